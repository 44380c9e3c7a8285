"""Sohoa ocr package (see docs/architecture.md)."""
