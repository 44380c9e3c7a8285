"""Data contracts of Sohoa: tables, messages, results, export records, the document-type catalogue.

Nothing in this package does I/O.
"""
