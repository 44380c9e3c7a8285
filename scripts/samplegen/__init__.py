"""Synthetic scanned Vietnamese administrative dossiers with ground truth (``sohoa samples``).

Modules:

* :mod:`.fakedata` - plausible, consistent people, units, agencies, codes and dates;
* :mod:`.fonts` - the font files used and a glyph-coverage check (no tofu);
* :mod:`.layout` - a page model (text, lines, stamp, signature in points) and a writer that lays
  out headers, labelled fields, tables and paragraphs, collecting the reading-order text;
* :mod:`.templates` - one builder per document type, returning pages + field ground truth;
* :mod:`.render` - the page model to a PIL image (raster) or to a PDF with a real text layer;
* :mod:`.degrade` - scanner effects (turns, skew, noise, blur, JPEG, light, 1-bit), recorded;
* :mod:`.files` - assembling files (PNG/JPEG/TIFF/PDF) and their ground-truth rows.
"""
