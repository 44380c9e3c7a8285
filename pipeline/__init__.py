"""Sohoa pipeline package (see DESIGN.md)."""
