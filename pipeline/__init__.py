"""Sohoa pipeline package (see docs/architecture.md)."""
