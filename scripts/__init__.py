"""Sohoa scripts package (see DESIGN.md)."""
