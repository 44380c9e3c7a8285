"""A read page's image, for the review station and the searchable PDFs.

The raw page the ingest step writes is a hand-off to the page worker, uncompressed because it is
written once and read once, and grey with its red stamp ink already separated (the page path's
first step, :func:`ocr.page.separate_red_ink`; 8.7 MB for an A4 page at 300 dpi: ten times a
scan's own size, or more). It is deleted once its file is analysed (``workers.tasks``), so what the
store keeps is the scans as they came. A page shown or exported after that is decoded again from
its scan, in its colours: the same decoder at the page's recorded resolution gives the pixels the
page path started from. (A page that failed keeps its hand-off: it is shown grey, stamps removed.)
"""

from __future__ import annotations

from typing import NamedTuple

from ocr.decode import RawPage, decode_raw_page, page_of
from schemas.errors import NotFound
from schemas.tables import Page


class PageImageRef(NamedTuple):
    """Where a page's image can be found (read from its row inside a transaction, used outside)."""

    image_key: str
    source_key: str
    source_name: str
    page_no: int
    dpi: int

    @classmethod
    def of(cls, page: Page) -> "PageImageRef":
        source = page.source_file
        return cls(page.image_key, source.object_key, source.original_path, page.page_no, page.dpi or 300)


def load_raw_page(store, ref: PageImageRef, scans: dict[str, bytes] | None = None) -> RawPage:
    """The page as the page path read it: its hand-off while there is one, else decoded from the scan.

    ``scans``: where the caller keeps scans already fetched, by key (the pages of one long scan
    are then fetched and checksummed once, not once a page).
    """
    try:
        return decode_raw_page(store.get_view(ref.image_key))
    except NotFound:
        pass
    scan = scans.get(ref.source_key) if scans is not None else None
    if scan is None:
        scan = store.get(ref.source_key)
        if scans is not None:
            scans[ref.source_key] = scan
    return page_of(scan, ref.source_name, ref.page_no, dpi=ref.dpi)


def drop_hand_offs(store, image_keys: list[str]) -> None:
    """Delete read pages' hand-offs (their file is analysed; see the module docstring)."""
    for key in image_keys:
        store.delete(key)
