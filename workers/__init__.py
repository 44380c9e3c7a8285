"""Sohoa workers package (see DESIGN.md)."""
