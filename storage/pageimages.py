"""A read page's image, for the review station and the searchable PDFs.

The raw page the ingest step writes is a hand-off to the page worker, uncompressed because it is
written once and read once, and grey with its red stamp ink already separated (the page path's
first step, :func:`ocr.page.separate_red_ink`; 8.7 MB for an A4 page at 300 dpi: ten times a
scan's own size, or more). It is deleted once its file is analysed (``workers.tasks``), so what the
store keeps is the scans as they came. A page shown or exported after that is decoded again from
its scan, in its colours: the same decoder at the page's recorded resolution and the configured
pixel budget gives the pixels the page path started from. (A page that failed keeps its hand-off:
it is shown grey, stamps removed.)
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


class PageImages:
    """The page images of one store, decoded as the ingest step decoded them.

    ``max_pixels`` must be the budget ingest ran with (``Settings.max_pixels``): a page beyond it
    was stored shrunk, at a lower resolution, and decoding it with another budget would give other
    pixels, or refuse the page. ``keep_last_scan``: keep the last scan fetched, so that the pages of
    one long scan, asked for in turn (an export), are fetched and checksummed once, not once a page;
    only one scan is kept, so memory stays bounded by the largest scan.
    """

    def __init__(self, store, max_pixels: int, *, keep_last_scan: bool = False) -> None:
        self.store = store
        self.max_pixels = max_pixels
        self._keep_last_scan = keep_last_scan
        self._last_scan: tuple[str, bytes] | None = None

    def load(self, ref: PageImageRef) -> RawPage:
        """The page as the page path read it: its hand-off while there is one, else from its scan."""
        try:
            return decode_raw_page(self.store.get_view(ref.image_key))
        except NotFound:
            return self.from_scan(ref)

    def from_scan(self, ref: PageImageRef) -> RawPage:
        """The page decoded again from its scan."""
        return page_of(self._scan(ref.source_key), ref.source_name, ref.page_no, dpi=ref.dpi,
                       max_pixels=self.max_pixels)

    def _scan(self, key: str) -> bytes:
        if self._last_scan is not None and self._last_scan[0] == key:
            return self._last_scan[1]
        data = self.store.get(key)
        if self._keep_last_scan:
            self._last_scan = (key, data)
        return data


def drop_hand_offs(store, image_keys: list[str]) -> None:
    """Delete read pages' hand-offs (their file is analysed; see the module docstring)."""
    for key in image_keys:
        store.delete(key)
