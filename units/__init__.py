"""Administrative units and Vietnamese text rules as pure data and functions, shared by the pipeline
(address resolution) and storage (reference data): no I/O, no import of either."""
