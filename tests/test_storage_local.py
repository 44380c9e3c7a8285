"""The local-folder object store (the embedded default): atomic writes, parts, mapped reads."""

from __future__ import annotations

import numpy as np
import pytest

from ocr.decode import RawPage, decode_raw_page, encode_raw_page, raw_page_parts
from schemas.errors import CorruptFile, NotFound
from storage.objects import LocalObjectStore, sha256_hex, source_key


@pytest.fixture
def store(tmp_path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


def _colour_page() -> RawPage:
    image = np.random.default_rng(3).integers(0, 256, (120, 90, 3), dtype=np.uint8)
    return RawPage(2, 300, image, None, 90, 120, ["resampled"], source_dpi=150)


def test_parts_are_written_in_order_as_one_object(store: LocalObjectStore) -> None:
    page = _colour_page()
    store.put("pages/ab/x/0002.raw", raw_page_parts(page))
    assert store.get("pages/ab/x/0002.raw") == encode_raw_page(page)
    store.put("pages/ab/x/one", [b"ab", memoryview(b"cd"), b""])
    assert store.get("pages/ab/x/one") == b"abcd"


def test_a_mapped_page_decodes_to_the_same_read_only_pixels(store: LocalObjectStore) -> None:
    page = _colour_page()
    store.put("pages/ab/x/0002.raw", raw_page_parts(page))
    back = decode_raw_page(store.get_view("pages/ab/x/0002.raw"))
    assert np.array_equal(back.image, page.image)
    assert (back.page_no, back.dpi, back.notes, back.source_dpi) == (2, 300, ["resampled"], 150)
    assert not back.image.flags.writeable
    with pytest.raises(ValueError):
        back.image[0, 0, 0] = 1


def test_a_mapped_page_survives_its_object_being_replaced_or_deleted(store: LocalObjectStore) -> None:
    """A reader's view keeps the contents it mapped: a redelivered ingest that rewrites the page
    (or a clean-up that removes it) never changes pixels under a page being read."""
    page = _colour_page()
    store.put("pages/ab/x/0002.raw", raw_page_parts(page))
    view = store.get_view("pages/ab/x/0002.raw")
    store.put("pages/ab/x/0002.raw", b"SRP2 something else entirely")
    assert np.array_equal(decode_raw_page(view).image, page.image)
    store.delete("pages/ab/x/0002.raw")
    assert np.array_equal(decode_raw_page(view).image, page.image)


def test_views_of_missing_empty_and_foreign_objects(store: LocalObjectStore) -> None:
    with pytest.raises(NotFound):
        store.get_view("pages/none.raw")
    store.put("pages/empty", b"")
    assert bytes(store.get_view("pages/empty")) == b""
    with pytest.raises(CorruptFile):
        decode_raw_page(store.get_view("pages/empty"))
    store.put("pages/png", b"\\x89PNG\\r\\n\\x1a\\n not a hand-off")
    with pytest.raises(CorruptFile):
        decode_raw_page(store.get_view("pages/png"))


def test_sources_are_checked_against_their_name(store: LocalObjectStore) -> None:
    data = b"%PDF-1.4 a scan"
    key = source_key(sha256_hex(data))
    store.put(key, data)
    assert store.get(key) == data
    (store.root / key).write_bytes(b"%PDF-1.4 another scan")
    with pytest.raises(CorruptFile):
        store.get(key)


def test_keys_that_leave_the_folder_are_refused(store: LocalObjectStore) -> None:
    for key in ("", "/etc/passwd", "pages/../../x"):
        with pytest.raises(ValueError):
            store.put(key, b"x")
