"""Sohoa storage package (see DESIGN.md)."""
