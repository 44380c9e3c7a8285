"""Shared machinery of ``sohoa eval`` and ``sohoa calibrate``: read a ground-truth folder, OCR its
files once (cached as PageText JSON), analyse them and pair predictions with the truth.

Ground truth (``DIR/ground_truth.jsonl``, written by ``sohoa samples``), one line per file::

    {"file": "x.pdf", "documents": [{"doc_type", "pages": [1, 2], "fields": {key: value},
     "handwritten": [keys], "text"}], "pages": [{"page", "rotation", "skew"}]}
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from schemas import doctypes
from schemas.pages import PageText
from schemas.results import DocumentResult
from pipeline.text import clean, fold

OCR_CACHE_VERSION = "1"


@dataclass
class FileCase:
    """One ground-truth file with its OCR'd pages and the analysis result."""

    file: str
    truth: dict
    pages: list[PageText] = field(default_factory=list)
    documents: list[DocumentResult] = field(default_factory=list)
    error: str | None = None


def load_ground_truth(folder: Path) -> list[dict]:
    """The records of ``folder/ground_truth.jsonl``."""
    path = Path(folder) / "ground_truth.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@functools.lru_cache(maxsize=1)
def ocr_code_fingerprint() -> str:
    """A digest of the page path's source (``ocr/*.py``) and the Tesseract version: a cached reading
    is reused only by the code that made it, so a change to the OCR stages cannot be measured on
    stale pages."""
    import ocr
    from ocr.tesseract import tesseract_version

    digest = hashlib.sha256(tesseract_version().encode())
    for path in sorted(Path(ocr.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _cache_path(cache_dir: Path, data: bytes, lang: str) -> Path:
    key = f"|{lang}|{OCR_CACHE_VERSION}|{ocr_code_fingerprint()}"
    digest = hashlib.sha256(data + key.encode()).hexdigest()[:24]
    return cache_dir / f"{digest}.json"


def ocr_file(path: str, cache_dir: str, lang: str = "vie") -> tuple[str, list[dict] | None, str | None]:
    """OCR every page of ``path`` (or load it from the cache); returns (path, pages as dicts, error)."""
    from ocr.decode import split_pages
    from ocr.page import PageOptions, read_page
    from ocr.tesseract import TesseractEngine

    data = Path(path).read_bytes()
    cached = _cache_path(Path(cache_dir), data, lang)
    if cached.exists():
        return path, json.loads(cached.read_text(encoding="utf-8")), None
    try:
        engine = TesseractEngine(lang=lang)
        options = PageOptions(lang=lang)
        pages = [read_page(raw, engine, options).model_dump(mode="json") for raw in split_pages(data, Path(path).name)]
    except Exception as exc:  # noqa: BLE001 - a broken sample must not stop the evaluation
        return path, None, f"{type(exc).__name__}: {exc}"
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    tmp.replace(cached)
    return path, pages, None


def read_cases(folder: Path, cache_dir: Path, workers: int = 2, lang: str = "vie", progress=None) -> list[FileCase]:
    """Ground-truth cases with their pages, OCR'd in ``workers`` processes (cached per file)."""
    truth = load_ground_truth(folder)
    cases = {str(Path(folder) / t["file"]): FileCase(t["file"], t) for t in truth}
    paths = list(cases)
    if workers <= 1:
        results = (ocr_file(p, str(cache_dir), lang) for p in paths)
        for path, pages, error in results:
            _fill(cases[path], pages, error, progress)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for path, pages, error in pool.map(ocr_file, paths, [str(cache_dir)] * len(paths), [lang] * len(paths)):
                _fill(cases[path], pages, error, progress)
    return list(cases.values())


def _fill(case: FileCase, pages: list[dict] | None, error: str | None, progress) -> None:
    case.error = error
    case.pages = [PageText.model_validate(p) for p in pages or []]
    if progress is not None:
        progress(case)


_GAZETTEER = None


def reference_gazetteer():
    """The address resolver's gazetteer from the shipped units list (no database needed).

    Workers build theirs from the database (``storage.refdata.load_gazetteer``) out of the same
    list, so eval and calibration see the fields as production does."""
    global _GAZETTEER
    if _GAZETTEER is None:
        from pipeline.address import Gazetteer
        from storage.refdata import reference_source

        source = reference_source()
        _GAZETTEER = Gazetteer.from_rows(source.units, source.mappings)
    return _GAZETTEER


def analyse_cases(cases: list[FileCase], context) -> None:
    """Run the analysis on every case's pages (cheap: no OCR)."""
    from pipeline.analyse import analyse_pages

    for case in cases:
        if case.error is None:
            case.documents = analyse_pages(case.pages, context)


# ---------------------------------------------------------------------------------------------
# Comparing with the truth
# ---------------------------------------------------------------------------------------------

CASE_INSENSITIVE = doctypes.keys_where(case_insensitive=True)


def same_value(key: str, predicted: str | None, truth: str | None) -> bool:
    """Exact match after the docs/architecture.md normalisation (names and agencies in either case)."""
    if predicted is None or truth is None:
        return predicted is truth
    a, b = clean(str(predicted)), clean(str(truth))
    if key in CASE_INSENSITIVE:
        return a.casefold() == b.casefold()
    return a == b


def match_documents(predicted: list[DocumentResult], truth: list[dict]) -> list[tuple[dict, DocumentResult | None]]:
    """Pair each true document with the predicted one that shares most pages (or None)."""
    pairs = []
    for doc in truth:
        pages = set(doc.get("pages", []))
        best = max(predicted, key=lambda d: len(pages & set(d.pages)), default=None)
        if best is not None and not pages & set(best.pages):
            best = None
        pairs.append((doc, best))
    return pairs


def cer(predicted: str, truth: str) -> tuple[int, int]:
    """(edit distance, length of truth) on whitespace-normalised text."""
    from rapidfuzz.distance import Levenshtein

    a, b = clean(predicted), clean(truth)
    return Levenshtein.distance(a, b), len(b)


def folded(text: str) -> str:
    return fold(text)
