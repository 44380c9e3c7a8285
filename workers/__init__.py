"""Sohoa workers package (see docs/architecture.md)."""
