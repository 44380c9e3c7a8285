"""Cut a file's pages into documents without separator sheets.

Every page gets a role:

* ``title`` - the first page of a document: the national motto or a "Số: …/…" line at the top,
  or an upper-case form title near the top (not "QUYẾT ĐỊNH:" with a colon, which is the
  operative part of a decision, possibly at the top of its second page);
* ``attachment`` - a page that is not a title page and opens with an annex heading ("PHỤ LỤC",
  "DANH SÁCH", "DANH MỤC", "BẢNG KÊ", "BIỂU", "(Kèm theo …)"): an annex, list or table attached to
  the document before it, and kept with it;
* ``continuation`` - anything else with text: it belongs to the document before it (a multi-page
  letter stays one document; an untitled attachment stays with the document it follows);
* ``blank`` - no text: belongs to no document (blank backs of single-sided scans would otherwise
  pad page ranges; the record keeps them in ``page_details`` through the file, not a document).

A continuation page at the very start of a file opens a document of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.pages import PageText
from pipeline.classify import TypeEvidence, header_evidence
from pipeline.layout import TextLine, page_lines

TITLE_TOP = 0.3
MIN_WORDS = 3
ROLES = ("title", "continuation", "attachment", "blank")
# Annex headings, folded (no marks, lower case): the page is attached to the document before it.
_ANNEX_HEADINGS = re.compile(r"^\(?\s*(?:phu luc|danh sach|danh muc|bang ke|bang tong hop|bieu mau|bieu so|mau so)\b")
_ATTACHED_TO = re.compile(r"^\(?\s*(?:ban hanh )?kem theo\b")


@dataclass
class PageRole:
    """The role of one page in its file, with the header evidence that decided it."""

    page: PageText
    role: str  # one of ROLES
    lines: list[TextLine]
    evidence: TypeEvidence | None = None


def is_blank(page: PageText) -> bool:
    """No readable text: blank pages, or a few specks read as characters."""
    if page.blank:
        return True
    real = [w for w in page.words if sum(ch.isalnum() for ch in w.text) >= 2]
    return len(real) < MIN_WORDS


def is_annex(lines: list[TextLine]) -> bool:
    """Does the page open with an annex heading (in its top part, within its first three lines)?"""
    top = [line for line in lines[:3] if line.rel_top < TITLE_TOP]
    return any(_ANNEX_HEADINGS.match(line.key) or _ATTACHED_TO.match(line.key) for line in top)


def page_role(page: PageText) -> PageRole:
    """Classify one page as title / continuation / attachment / blank."""
    if is_blank(page):
        return PageRole(page, "blank", [])
    lines = page_lines(page)
    evidence = header_evidence(lines)
    starts = evidence.motto or (evidence.number_line is not None and evidence.number_line.rel_top < 0.3)
    if not starts and evidence.title_line is not None:
        title = evidence.title_line
        starts = title.rel_top < TITLE_TOP and not title.text.rstrip().endswith(":")
    if starts:
        return PageRole(page, "title", lines, evidence)
    return PageRole(page, "attachment" if is_annex(lines) else "continuation", lines, evidence)


def split_documents(pages: list[PageText]) -> list[list[PageRole]]:
    """Group the pages (in file order) into documents; blank pages are left out."""
    documents: list[list[PageRole]] = []
    for page in sorted(pages, key=lambda p: p.page_no):
        role = page_role(page)
        if role.role == "blank":
            continue
        if role.role == "title" or not documents:
            documents.append([role])
        else:
            documents[-1].append(role)
    return documents
