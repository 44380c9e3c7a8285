"""``sohoa samples``: synthetic scanned Vietnamese administrative dossiers with ground truth.

Writes ``n`` files into ``out`` (dossier PDFs holding several documents, single-document PNG /
JPEG / TIFF / PDF scans, born-digital PDFs with a text layer) and ``out/ground_truth.jsonl``,
one JSON line per file::

    {"file": "hs-0001.pdf", "media_type": "application/pdf", "born_digital": false,
     "dossier_code": "000.00.15.H26-230512-0001",            # dossier files only
     "documents": [{"doc_type": "giay_tiep_nhan", "pages": [1], "title": "...",
                    "fields": {"full_name": "Nguyễn Văn An", ...},   # None = left blank on the page
                    "handwritten": ["doc_number"], "text": "reading-order text",
                    "units": {"province": "01", "district": "005", "commune": "00166"},
                    "boxes": {"full_name": {"page": 1, "bbox": [x0, y0, x1, y1]}}}],
     "pages": [{"page": 1, "rotation": 90, "skew": -2.4, "dpi": 200, "degradations": ["noise"],
                "clean_image": "clean/hs-0001-p1.png"}]}          # with clean_copies only

The same seed gives the same files and ground truth.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import click

from scripts.samplegen.degrade import ScanOptions
from scripts.samplegen.files import Options, make_file
from scripts.samplegen.layout import PAGE_SIZES

GROUND_TRUTH = "ground_truth.jsonl"


def build_options(dpi: int = 200, page_size: str = "A5", max_skew: float = 5.0, turn: str = "some",
                  clean: bool = False, clean_copies: bool = False, born_digital_rate: float = 0.2,
                  hand_rate: float = 0.25, degrade: bool = True, form_families: bool = False,
                  families: tuple[str, ...] = ()) -> Options:
    """Options from plain keywords.

    ``turn``: "none" (all upright), "some" (mostly upright, some 90/180/270) or "all" (the four
    turns equally often). ``clean=True`` renders every page clean and straight (no turn, no skew,
    no degradation); ``clean_copies=True`` also saves a clean upright PNG of every page under
    ``out/clean/`` next to the degraded file. ``form_families=True`` also draws the official forms
    of ``scripts/samplegen/forms`` (the CLI does by default; off here so that a seed keeps giving
    the files it gave before they existed); ``families`` draws only those families.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page_size must be one of {sorted(PAGE_SIZES)}")
    rotations = {"none": (0,), "some": ScanOptions().rotations, "all": (0, 90, 180, 270)}[turn]
    scan = ScanOptions(rotations=rotations, max_skew=max_skew, degrade=degrade)
    if clean:
        scan = ScanOptions(rotations=(0,), max_skew=0.0, degrade=False)
    from scripts.samplegen.files import family_builders

    unknown = sorted(set(families) - set(family_builders()))
    if unknown:
        raise ValueError(f"unknown families {unknown}; known: {sorted(family_builders())}")
    return Options(dpi=dpi, page_size=page_size, scan=scan, born_digital_rate=born_digital_rate,
                   hand_rate=hand_rate, clean_copies=clean_copies, form_families=form_families,
                   only_families=tuple(families))


def generate(out: Path, n: int = 12, seed: int = 0, **options) -> list[dict]:
    """Write ``n`` sample files and ``ground_truth.jsonl`` into ``out``; return the ground-truth rows.

    Keyword options are those of :func:`build_options` (dpi, page_size, max_skew, turn, clean,
    clean_copies, born_digital_rate, hand_rate, degrade, form_families, families).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    opts = build_options(**options)
    rows = [make_file(i, seed, out, opts) for i in range(1, n + 1)]
    with (out / GROUND_TRUTH).open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def load_ground_truth(folder: Path) -> list[dict]:
    """The rows of ``folder/ground_truth.jsonl``."""
    with (Path(folder) / GROUND_TRUTH).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def summary(rows: list[dict]) -> str:
    """A few lines: files by kind, pages, documents by type, handwritten fields."""
    kinds = Counter(Path(r["file"]).suffix + (" (born-digital)" if r["born_digital"] else "") for r in rows)
    types = Counter(d["doc_type"] for r in rows for d in r["documents"])
    families = Counter(d.get("family", "") for r in rows for d in r["documents"])
    pages = sum(len(r["pages"]) for r in rows)
    hand = sum(len(d["handwritten"]) for r in rows for d in r["documents"])
    turned = sum(1 for r in rows for p in r["pages"] if p["rotation"])
    return "\n".join([
        f"{len(rows)} files, {pages} pages ({turned} turned), {sum(types.values())} documents, "
        f"{hand} handwritten fields",
        "files: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        "types: " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())),
        "families: " + ", ".join(f"{k} {v}" for k, v in sorted(families.items())),
    ])


@click.command("samples")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="output folder")
@click.option("--n", "n", default=12, show_default=True, help="number of files")
@click.option("--seed", default=0, show_default=True, help="random seed (same seed, same samples)")
@click.option("--dpi", default=200, show_default=True, help="scan resolution")
@click.option("--page-size", type=click.Choice(sorted(PAGE_SIZES)), default="A5", show_default=True)
@click.option("--max-skew", default=5.0, show_default=True, help="largest tilt in degrees (±)")
@click.option("--turn", type=click.Choice(["none", "some", "all"]), default="some", show_default=True,
              help="page turns: none, some (mostly upright), all (0/90/180/270 equally)")
@click.option("--clean", is_flag=True, help="no turn, no skew, no degradation")
@click.option("--clean-copies", is_flag=True, help="also save clean upright PNGs under OUT/clean/")
@click.option("--born-digital-rate", default=0.2, show_default=True, help="share of born-digital PDFs")
@click.option("--form-families/--no-form-families", default=True, show_default=True,
              help="also fill the official forms of scripts/samplegen/forms (kltn:* families)")
@click.option("--family", "families", multiple=True,
              help="only this layout family (repeatable): gen:<type>, kltn:<form> or bang:<form> (the form set in a ruled table); stand-alone files only")
def samples_command(out: Path, n: int, seed: int, dpi: int, page_size: str, max_skew: float, turn: str,
                    clean: bool, clean_copies: bool, born_digital_rate: float, form_families: bool,
                    families: tuple[str, ...]) -> None:
    """Synthetic scanned Vietnamese dossiers with ground truth (OUT/ground_truth.jsonl)."""
    start = time.perf_counter()
    try:
        rows = generate(out, n, seed, dpi=dpi, page_size=page_size, max_skew=max_skew, turn=turn, clean=clean,
                        clean_copies=clean_copies, born_digital_rate=born_digital_rate,
                        form_families=form_families, families=families)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    click.echo(summary(rows))
    click.echo(f"wrote {out / GROUND_TRUTH} in {time.perf_counter() - start:.1f} s")
