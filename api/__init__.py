"""Sohoa api package (see DESIGN.md)."""
