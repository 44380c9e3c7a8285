"""Sohoa ocr package (see DESIGN.md)."""
