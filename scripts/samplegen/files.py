"""Assemble sample files (PNG, JPEG, TIFF, image PDFs, born-digital PDFs) and their ground-truth rows."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path


from . import templates as tp
from .degrade import ScanOptions, scan
from .fonts import SANS_FAMILIES, SERIF_FAMILIES, available_families
from .layout import PAGE_SIZES
from .render import pdf_bytes, raster

LETTER_TYPES = ("quyet_dinh", "cong_van", "chi_thi", "thong_bao", "bao_cao", "to_trinh", "ke_hoach")
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".tif": "image/tiff", ".pdf": "application/pdf"}


@dataclass
class Options:
    """Everything ``generate`` can be told (see ``scripts.samples.generate``)."""

    dpi: int = 200
    page_size: str = "A5"
    scan: ScanOptions = field(default_factory=ScanOptions)
    born_digital_rate: float = 0.2
    hand_rate: float = 0.25
    blank_rate: float = 0.05
    clean_copies: bool = False
    dossier_every: int = 3
    form_families: bool = False
    """Also draw applications from the official form wording of forms/ (``kltn:*`` families)."""
    only_families: tuple[str, ...] = ()
    """Draw only these families (``gen:<type>`` or ``kltn:<form>``); empty = every family."""


def builders() -> dict:
    """doc_type -> builder(rng, style, case) for every type the generator can draw."""
    table = {t: (lambda t: lambda rng, style, case: tp.official_letter(rng, style, t, case))(t) for t in LETTER_TYPES}
    table.update({"giay_tiep_nhan": tp.giay_tiep_nhan, "don_de_nghi": tp.don_de_nghi, "can_cuoc": tp.can_cuoc})
    for name in ("phieu_yeu_cau_bo_sung", "phieu_kiem_soat", "giay_khai_sinh", "trich_luc_khai_tu",
                 "giay_phep_xay_dung", "phieu_ly_lich_tu_phap", "khac"):
        if hasattr(tp, name):
            table[name] = getattr(tp, name)
    return table


def family_builders(options: "Options | None" = None) -> dict:
    """family name -> builder(rng, style, case): ``gen:<type>`` for each template, ``kltn:<form>``
    for each official form of forms/ (and, when asked by name or with no options, the opt-in forms
    of forms/extra/: never in the default mix)."""
    from . import formfamilies

    table = {f"gen:{t}": b for t, b in builders().items()}
    if options is None or options.form_families or options.only_families:
        forms = (formfamilies.all_families() if options is None or options.only_families
                 else formfamilies.families())
        for name, family in forms.items():
            table[name] = (lambda fam: lambda rng, style, case: formfamilies.form_document(rng, style, case, fam))(family)
        if options is None or options.only_families:  # a form set in a table: asked by name only
            for family in forms.values():
                table[f"bang:{family.stem}"] = (lambda fam: lambda rng, style, case: _as_table(
                    formfamilies.form_document(rng, style, case, fam, table=True), fam))(family)
    if options is not None and options.only_families:
        table = {k: v for k, v in table.items() if k in options.only_families}
    return table


def _as_table(doc: tp.Doc, family) -> tp.Doc:
    """A form set in a ruled table is a layout family of its own, ``bang:<form>``."""
    doc.family = f"bang:{family.stem}"
    return doc


def single_types(options: "Options | None" = None) -> list[str]:
    """The round-robin order of stand-alone documents (every family, letters interleaved with forms)."""
    letters = [f"gen:{t}" for t in LETTER_TYPES]
    table = family_builders(options)
    if options is not None and options.only_families:
        return list(table)
    forms = [t for t in table if t not in letters]
    LETTER = letters
    order: list[str] = []
    for i in range(max(len(forms), len(LETTER))):
        if i < len(LETTER):
            order.append(LETTER[i])
        if i < len(forms):
            order.append(forms[i])
    return order


def dossier_types(rng: random.Random, case: tp.Case) -> list[str]:
    """What a dossier file holds: receipt, application, ID copy, sometimes control sheets, the result."""
    table = builders()
    types = ["giay_tiep_nhan"]
    if "phieu_kiem_soat" in table and rng.random() < 0.4:
        types.append("phieu_kiem_soat")
    types += ["don_de_nghi", "can_cuoc"]
    if "phieu_yeu_cau_bo_sung" in table and rng.random() < 0.25:
        types.append("phieu_yeu_cau_bo_sung")
    result = case.procedure[3]
    types.append(result if result in table else "quyet_dinh")
    return types


def _style(rng: random.Random, options: Options, doc_type: str, scanned: bool) -> tp.Style:
    families = available_families()
    serif = [f for f in families if f in SERIF_FAMILIES]
    sans = [f for f in families if f in SANS_FAMILIES]
    pool = serif if doc_type in LETTER_TYPES or rng.random() < 0.6 else sans
    return tp.Style(PAGE_SIZES[options.page_size], rng.choice(pool or list(families)),
                    options.hand_rate, options.blank_rate, scanned)


def make_file(index: int, seed: int, out: Path, options: Options) -> dict:
    """Build, render, degrade and write file number ``index`` (1-based); return its ground-truth row."""
    rng = random.Random(f"{seed}:{index}")  # one stream per file: adding files never changes earlier ones
    table = family_builders(options)
    is_dossier = (options.dossier_every > 0 and not options.only_families
                  and index % options.dossier_every == 1 % options.dossier_every)
    born_digital = rng.random() < options.born_digital_rate
    case = tp.make_case(rng)
    if is_dossier:
        doc_types = [f"gen:{t}" for t in dossier_types(rng, case)]
        kltn = [name for name in table if name.startswith("kltn:")]
        if kltn and rng.random() < 0.5:  # the applicant's form in the state's own wording
            doc_types = [rng.choice(kltn) if t == "gen:don_de_nghi" else t for t in doc_types]
    else:
        order = single_types(options)
        dossiers_before = (0 if options.dossier_every <= 0 or options.only_families
                           else (index - 1 + options.dossier_every - 1) // options.dossier_every)
        singles_before = index - 1 - dossiers_before
        doc_types = [order[(singles_before + seed) % len(order)]]
    docs = [table[t](rng, _style(rng, options, t.partition(":")[2], not born_digital), case) for t in doc_types]
    stem = f"hs-{index:04d}" if is_dossier else f"vb-{index:04d}"
    pages = [page for d in docs for page in d.pages]
    ext = ".pdf" if born_digital or is_dossier else _image_ext(rng, len(pages))
    if born_digital:
        page_rows = _write_digital(out, stem + ext, pages, docs, options)
    else:
        page_rows = _write_scanned(out, stem + ext, pages, rng, options, case.due)
    if options.clean_copies:
        _write_clean(out, stem, pages, page_rows, options.dpi)
    return _row(stem + ext, born_digital, docs, page_rows, options.dpi if not born_digital else None,
                case.dossier_code if is_dossier else None)


def _image_ext(rng: random.Random, n_pages: int) -> str:
    if n_pages > 1:
        return rng.choice((".tif", ".pdf", ".pdf"))
    return rng.choice((".png", ".png", ".jpg", ".tif", ".pdf"))


def _write_scanned(out: Path, name: str, pages, rng: random.Random, options: Options,
                   scanned_on: dt.date) -> list[dict]:
    images, rows = [], []
    for number, page in enumerate(pages, 1):
        result = scan(raster(page, options.dpi), rng, options.scan)
        image = result.image
        if name.endswith(".jpg"):
            image = image.convert("RGB")
            if "jpeg" not in result.degradations:
                result.degradations.append("jpeg")
            if "bilevel" in result.degradations:
                result.degradations.remove("bilevel")
        images.append(image)
        rows.append({"page": number, "rotation": result.rotation, "skew": result.skew, "dpi": options.dpi,
                     "degradations": result.degradations})
    path = out / name
    if name.endswith(".png"):
        images[0].save(path, dpi=(options.dpi, options.dpi), optimize=False)
    elif name.endswith(".jpg"):
        images[0].save(path, "JPEG", quality=rng.randint(70, 90), dpi=(options.dpi, options.dpi))
    elif name.endswith(".tif"):
        all_bilevel = all(im.mode == "1" for im in images)
        images[0].save(path, save_all=True, append_images=images[1:], dpi=(options.dpi, options.dpi),
                       compression="group4" if all_bilevel else "tiff_lzw")
    else:
        converted = [im if im.mode in ("1", "L", "RGB") else im.convert("RGB") for im in images]
        stamp = scanned_on.timetuple()  # a fixed date, not "now": same seed, same bytes
        converted[0].save(path, "PDF", save_all=True, append_images=converted[1:], resolution=float(options.dpi),
                          title=Path(name).stem, creationDate=stamp, modDate=stamp)
    return rows


def _write_digital(out: Path, name: str, pages, docs, options: Options) -> list[dict]:
    (out / name).write_bytes(pdf_bytes(pages, docs[0].title))
    return [{"page": i, "rotation": 0, "skew": 0.0, "dpi": None, "degradations": []}
            for i in range(1, len(pages) + 1)]


def _write_clean(out: Path, stem: str, pages, rows: list[dict], dpi: int) -> None:
    """The same pages upright, straight and undegraded (the OCR benchmark's reference input)."""
    folder = out / "clean"
    folder.mkdir(exist_ok=True)
    for page, row in zip(pages, rows):
        name = f"{stem}-p{row['page']}.png"
        raster(page, dpi).save(folder / name, dpi=(dpi, dpi))
        row["clean_image"] = f"clean/{name}"


def _scale_box(box: dict, dpi: int, first_page: int) -> dict:
    k = dpi / 72.0
    return {"page": box["page"] + first_page - 1, "bbox": [round(v * k) for v in box["bbox"]]}


def _row(name: str, born_digital: bool, docs, page_rows: list[dict], dpi: int | None,
         dossier_code: str | None) -> dict:
    documents, first = [], 1
    for doc in docs:
        pages = list(range(first, first + len(doc.pages)))
        documents.append({
            "doc_type": doc.doc_type,
            "pages": pages,
            "title": doc.title,
            "fields": doc.fields,
            "handwritten": doc.handwritten,
            "text": doc.text,
            "units": doc.units,
            "family": doc.family or f"gen:{doc.doc_type}",
            "absent": doc.absent,
            # value boxes in pixels of the upright, straight page at the file's dpi (200 for born-digital)
            "boxes": {k: _scale_box(b, dpi or 200, first) for k, b in doc.boxes.items() if k in doc.fields},
        })
        first += len(doc.pages)
    row = {"file": name, "media_type": MEDIA_TYPES[Path(name).suffix], "born_digital": born_digital,
           "documents": documents, "pages": page_rows}
    if dossier_code:
        row["dossier_code"] = dossier_code
    return row
