"""Sohoa api package (see docs/architecture.md)."""
