"""Sohoa scripts package (see docs/architecture.md)."""
