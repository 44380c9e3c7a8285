"""Seed files of the reference data (read by storage/refdata.py)."""
