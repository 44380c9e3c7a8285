"""Field extraction: label-anchored search over OCR lines and word boxes, plus the official-letter
layout of Nghị định 30/2020 (left header agency, "Số: …", "<place>, ngày …", trích yếu, signer).

Extraction proposes :class:`Candidate` values with their evidence (words, label-match strength,
notes); validation and confidence scoring happen later. A value that cannot be read is never
guessed: the candidate keeps the raw text with ``value=None`` and a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from schemas.pages import BBox, Word
from pipeline.dates import first_date
from pipeline.layout import TextLine, union_bbox
from pipeline.text import clean, digits, fold
from pipeline.validate import normalise_gender

MIN_LABEL_SCORE = 82.0
HANDWRITING_CONF = 0.80
"""Digits read below this word confidence in a header number or day are treated as handwritten."""


@dataclass
class Candidate:
    """A proposed field value with the evidence behind it."""

    key: str
    value: str | None
    raw: str | None
    page: int | None = None
    bbox: BBox | None = None
    words: list[Word] = field(default_factory=list)
    label_score: float = 1.0
    note: str | None = None
    flags: dict[str, float] = field(default_factory=dict)

    @property
    def ocr_conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words) if self.words else 0.0

    @property
    def ocr_min_conf(self) -> float:
        return min((w.conf for w in self.words), default=0.0)


# Printed labels of each field (folded). Several wordings exist across forms and provinces.
LABELS: dict[str, tuple[str, ...]] = {
    "full_name": (
        "ho va ten", "ho, chu dem, ten", "ho chu dem va ten", "ho ten", "ten nguoi nop", "nguoi nop ho so",
        "ten to chuc, ca nhan", "ong/ba", "ong (ba)", "chu dau tu", "ho va ten nguoi de nghi",
        "ho, chu dem, ten nguoi chet", "ten nguoi yeu cau", "ho va ten nguoi nop",
    ),
    "date_of_birth": ("ngay, thang, nam sinh", "ngay thang nam sinh", "ngay sinh", "sinh ngay", "nam sinh"),
    "id_number": (
        "so cccd", "so can cuoc cong dan", "so can cuoc", "so cmnd", "so cmnd/cccd", "so dinh danh ca nhan",
        "so dinh danh", "so giay to tuy than", "so chung minh nhan dan", "cccd", "cmnd", "so giay to",
    ),
    "address": (
        "dia chi", "noi thuong tru", "noi cu tru", "dia chi thuong tru", "noi o hien tai", "noi o",
        "dia chi lien he", "dia chi cua chu dau tu", "dia chi lien lac", "que quan",
    ),
    "phone": ("so dien thoai", "dien thoai", "sdt", "dt"),
    "procedure_name": ("ten thu tuc", "thu tuc hanh chinh", "thu tuc", "ve viec", "linh vuc"),
    "procedure_code": ("ma thu tuc", "ma tthc"),
    "received_date": ("ngay nhan", "ngay tiep nhan", "thoi gian nhan ho so", "tiep nhan ngay", "nhan ho so ngay", "ngay nhan ho so"),
    "due_date": ("ngay hen tra", "hen tra ket qua", "thoi gian tra ket qua", "ngay tra ket qua", "hen tra ket qua vao"),
    "dossier_code": ("ma ho so", "so ho so", "ma so ho so"),
    "gender": ("gioi tinh",),
    "place_of_birth": ("noi sinh",),
    "registration_number": ("so dang ky", "so dang ky khai sinh", "so dang ky khai tu", "so:"),
    "date_of_death": ("ngay chet", "ngay mat", "chet vao ngay", "ngay, thang, nam chet", "da chet vao luc"),
    "place_of_death": ("noi chet", "noi mat"),
    "construction_site": ("dia diem xay dung", "vi tri xay dung", "dia diem cong trinh", "dia diem"),
    "doc_number": ("so",),
}

# Labels that mean a field only on some document types ("Số:" is the card number on an ID card).
TYPE_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "can_cuoc": {"id_number": ("so", "so/no", "so / no")},
}

DATE_KEYS = {"date_of_birth", "date_of_death", "received_date", "due_date", "signed_date"}
_LABEL_TOKENS = {key: [label.split() for label in labels] for key, labels in LABELS.items()}
_DOSSIER_CODE = re.compile(r"\b([0-9A-Z]{2,4}(?:\s?\.\s?[0-9A-Z]{2,4}){2,4}\s?-\s?\d{6}\s?-\s?\d{4,6})\b")
_PROCEDURE_CODE = re.compile(r"(?<![\d.])(\d\s?\.\s?\d{6})(?![\d])")


@dataclass
class LabelHit:
    key: str
    line: TextLine
    start: int
    end: int
    score: float


def _word_keys(line: TextLine) -> list[str]:
    return [fold(w.text) for w in line.words]


def find_label_hits(line: TextLine, keys: tuple[str, ...], doc_type: str | None = None) -> list[LabelHit]:
    """Labels of ``keys`` on ``line``, fuzzily matched word by word, best non-overlapping first."""
    tokens = _word_keys(line)
    hits: list[LabelHit] = []
    extra = TYPE_LABELS.get(doc_type or "", {})
    for key in keys:
        for label in _LABEL_TOKENS.get(key, []) + [lab.split() for lab in extra.get(key, ())]:
            n = len(label)
            target = " ".join(label)
            for i in range(0, max(0, len(tokens) - n) + 1):
                window = " ".join(tokens[i : i + n]).rstrip(":.;")
                if abs(len(window) - len(target)) > max(2, len(target) // 4):
                    continue
                score = fuzz.ratio(window, target)
                # short labels ("dt", "so") must be exact and followed by a colon
                if len(target) <= 4 and not (window == target.rstrip(":") and ":" in "".join(t for t in tokens[i : i + n + 1])):
                    continue
                # every word must resemble its label word: "va tra ket qua" is not "hen tra ket qua"
                if any(fuzz.ratio(tok.strip(":.;,"), want) < 60 for tok, want in zip(tokens[i : i + n], label)):
                    continue
                if score >= MIN_LABEL_SCORE:
                    hits.append(LabelHit(key, line, i, i + n, score))
    hits.sort(key=lambda h: (-(h.end - h.start), -h.score))
    chosen: list[LabelHit] = []
    for hit in hits:
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def _strip_separators(words: list[Word]) -> list[Word]:
    """Drop leading ':' / '.' tokens and dot leaders that separate a label from its value."""
    out = list(words)
    while out and not fold(out[0].text).strip(":.;-_…"):
        out.pop(0)
    if out and out[0].text[:1] in ":;":
        first = out[0].model_copy(update={"text": out[0].text.lstrip(":; ")})
        out[0] = first
    return [w for w in out if fold(w.text).strip(".…_")]


def normalise_value(key: str, raw: str) -> tuple[str | None, str | None]:
    """(normalised value, note) of ``raw`` for ``key``; value None when unreadable."""
    text = clean(raw).strip(" .,:;")
    if not text:
        return None, "empty"
    if key in DATE_KEYS:
        match = first_date(text)
        if match is None:
            return None, "no date found"
        if match.iso is None:
            what = ", ".join(match.missing) if match.missing else "invalid date"
            return None, f"date incomplete ({what}): handwritten or unreadable"
        return match.iso, None
    if key in ("id_number", "phone"):
        value = digits(text)
        return (value or None), (None if value else "no digits")
    if key == "gender":
        value = normalise_gender(text.split()[0]) if text.split() else None
        return value, (None if value else "unreadable gender")
    if key == "dossier_code":
        return re.sub(r"\s+", "", text).upper(), None
    if key == "procedure_code":
        return re.sub(r"\s+", "", text), None
    if key in ("full_name", "signer"):
        return clean(re.sub(r"[^\w\s\-]", " ", text)), None
    return text, None


def _candidate(key: str, words: list[Word], line: TextLine, label_score: float) -> Candidate | None:
    words = _strip_separators(words)
    if not words:
        return None
    raw = clean(" ".join(w.text for w in words))
    value, note = normalise_value(key, raw)
    return Candidate(key, value, raw, line.page_no, union_bbox(words), words, label_score / 100, note)


def extract_labelled(lines: list[TextLine], keys: tuple[str, ...], doc_type: str | None = None) -> dict[str, Candidate]:
    """Label-anchored values: the words after a label up to the next label, or the next line."""
    found: dict[str, Candidate] = {}
    hits_per_line = [find_label_hits(line, keys, doc_type) for line in lines]
    for index, (line, hits) in enumerate(zip(lines, hits_per_line)):
        for n, hit in enumerate(hits):
            if hit.key in found and found[hit.key].value is not None:
                continue
            stop = hits[n + 1].start if n + 1 < len(hits) else len(line.words)
            words = line.words[hit.end : stop]
            candidate = _candidate(hit.key, words, line, hit.score)
            if candidate is None and index + 1 < len(lines) and not hits_per_line[index + 1]:
                # label alone on its line: the value is on the next line, if that parses
                nxt = lines[index + 1]
                candidate = _candidate(hit.key, nxt.words, nxt, hit.score * 0.9)
                if candidate is not None and candidate.value is None:
                    candidate = None
            if candidate is not None and (candidate.value is not None or hit.key not in found):
                found[hit.key] = candidate
    return found


def find_pattern(lines: list[TextLine], key: str) -> Candidate | None:
    """A dossier code or procedure code anywhere in the text (they are unmistakable)."""
    pattern = _DOSSIER_CODE if key == "dossier_code" else _PROCEDURE_CODE
    for line in lines:
        match = pattern.search(line.text)
        if match:
            words = _words_of_span(line, match.start(1), match.end(1))
            value = re.sub(r"\s+", "", match.group(1)).upper()
            return Candidate(key, value, match.group(1), line.page_no, union_bbox(words), words, 0.7)
    return None


def _words_of_span(line: TextLine, start: int, end: int) -> list[Word]:
    """The words of ``line`` overlapping the character span [start, end) of ``line.text``."""
    out, pos = [], 0
    for word in line.words:
        w_start = line.text.find(word.text, pos)
        if w_start < 0:
            w_start = pos
        w_end = w_start + len(word.text)
        pos = w_end
        if w_start < end and start < w_end:
            out.append(word)
    return out or list(line.words)
