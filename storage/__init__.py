"""Sohoa storage package (see docs/architecture.md)."""
