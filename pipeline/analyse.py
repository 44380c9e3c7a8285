"""The analysis entry point: pages of one file -> typed documents with scored, routed fields.

    documents = analyse_pages(pages, AnalysisContext())

Stages: split (:mod:`pipeline.split`) -> classify (:mod:`pipeline.classify`, with the text model
of :mod:`pipeline.textmodel`) -> extract (:mod:`pipeline.extract`, :mod:`pipeline.letters`) ->
repair (names against :mod:`pipeline.names`, address and agency units against the gazetteer of
:mod:`pipeline.address`) -> validate (:mod:`pipeline.validate`) -> confidence
(:mod:`pipeline.confidence`) -> route (:mod:`pipeline.route`) -> agreement between the documents
of one file (:func:`agree_across_documents`). Pure: no I/O beyond reading the shipped model files once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from schemas import doctypes
from schemas.pages import PEN_INKS, PageText, Word
from schemas.results import DocumentResult, FieldResult
from pipeline import letters, lexicon
from pipeline.classify import TypeDecision, decide_type
from pipeline.confidence import Calibration, default_calibration
from pipeline.extract import (CUT_NOTE, GENDER_GUESS_NOTE, HAND_NOTES, Candidate, extract_labelled, find_id_by_shape, find_pattern,
                              flag_weak_words, digit_words, in_pen_ink, looks_handwritten, read_together, typed_digit_height,
                              typed_symbol_height)
from pipeline.labels import DATE_KEYS, LOW_WORD_CONF, NUMBER_KEYS, PLACE_OPENERS, PRINTED_CONF
from pipeline.layout import LINE_LAYOUT, TABLE_LAYOUT, TextLine, across_right_rule, ends_in_rule, in_cell
from pipeline.names import has_mark_rivals, repair_name, repair_surname, surnames_ending
from pipeline.route import route_document, route_field
from pipeline.split import PageRole, split_documents
from pipeline.syllables import is_syllable, syllable_share
from pipeline.text import fold
from pipeline.validate import (FREE_TEXT_KEYS, PLACE_KEYS, cross_checks, is_cccd, names_its_units, place_matches_agency,
                               validate_field)

if TYPE_CHECKING:  # pipeline.address is written alongside; only its resolve_address is used
    from pipeline.address import Gazetteer


@dataclass
class AnalysisContext:
    """What analysis needs besides the pages. Every part is optional."""

    gazetteer: "Gazetteer | None" = None
    review_threshold: float | None = None
    """Field confidence needed for auto-acceptance; None = the calibration's threshold."""
    calibration: Calibration | None = None
    """None = the shipped default in pipeline/models."""
    use_text_model: bool = True
    """False = header cues only (no bag-of-words classifier)."""


def analyse_pages(pages: list[PageText], context: AnalysisContext | None = None) -> list[DocumentResult]:
    """Cut the pages of one file into documents and analyse each (documents in page order)."""
    context = context or AnalysisContext()
    calibration = context.calibration or default_calibration()
    documents = [analyse_document(roles, context, calibration) for roles in split_documents(pages)]
    if len(documents) > 1:
        agree_across_documents(documents, calibration)
        hold_dates_far_from_receipt(documents)
    _route(documents, context, calibration)
    return documents


RECEIPT_WINDOW = dt.timedelta(days=60)
"""A dossier's documents are signed around its handling: the application days before its receipt,
the decision or permit by its due date. Two months off is no dossier's rhythm."""


def hold_dates_far_from_receipt(documents: list[DocumentResult]) -> None:
    """Hold a signing date that lies more than :data:`RECEIPT_WINDOW` before the file's receipt or
    after its due date ("ngày 22 tháng 11" read "tháng 1" on an application received in November):
    a digit of its month or year was likely misread, however sure the reading."""
    def days(key: str) -> list[dt.date]:
        return [day for document in documents if (day := _field_date(document, key)) is not None]

    received, due = days("received_date"), days("due_date")
    if not received:
        return
    low, high = min(received) - RECEIPT_WINDOW, max(due + received) + RECEIPT_WINDOW
    for document in documents:
        signed = _field_date(document, "signed_date")
        if signed is not None and not low <= signed <= high:
            result = document.fields["signed_date"]
            result.features["held"] = 1.0
            result.note = result.note or "signed months away from the file's receipt: a digit of the month or year may be misread"


def _field_date(document: DocumentResult, key: str) -> dt.date | None:
    """The document's ``key`` value as a date, when it holds a valid ISO one."""
    result = document.fields.get(key)
    try:
        return dt.date.fromisoformat(result.value) if result is not None and result.value else None
    except ValueError:
        return None


def _route(documents: list[DocumentResult], context: AnalysisContext, calibration: Calibration) -> None:
    """Route every field and document, once each: after every field is scored in full."""
    threshold = context.review_threshold if context.review_threshold is not None else calibration.threshold
    for document in documents:
        for result in document.fields.values():
            route_field(result, threshold, handwritten=bool(result.features.get("held")))
        route_document(document, calibration.type_threshold)


SHARED_KEYS = tuple(f.key for f in doctypes.FIELDS if f.shared)
"""Fields a dossier repeats on several of its documents (application, ID card copy, receipt, control sheet)."""


def agree_across_documents(documents: list[DocumentResult], calibration: Calibration) -> None:
    """Score each shared field again with one more piece of evidence: does another document of the
    same file carry the same value? ``doc_agree``: 1 another document reads the same; 0 another
    reads it one or two characters apart (a slip on one side: both go to a reviewer); 0.5 no other
    reading, or only clearly different values (another person: the child on a birth certificate).

    Two independent readings that agree are rarely both wrong. Fields held back stay held back, but
    for a doubt another reading settles (:func:`release_by_copy`).
    """
    for document in documents:
        for key, result in document.fields.items():
            if key not in SHARED_KEYS or result.value is None:
                continue
            other_results = [d.fields[key] for d in documents
                             if d is not document and key in d.fields and d.fields[key].value is not None]
            others = [o.value for o in other_results]
            agreement = reading_agreement(result.value, others)
            if agreement == 1.0 and result.features.get("corrected", 0.0) > 0:
                continue  # OCR post-correction changes every copy alike: no independent reading
            if agreement == 1.0 and result.features.get("name_unknown", 0.0) > 0:
                # A name syllable no name has ("Mỹ Chỉ" for "Mỹ Chi"): the same name in the same print
                # is misread the same way on every copy, so copies that agree prove nothing.
                continue
            if agreement == 0.5:
                continue
            if agreement == 1.0:
                release_by_copy(result, other_results)
            result.features["doc_agree"] = agreement
            result.confidence = calibration.field_confidence(result.features)
            if agreement == 0.0:
                result.features["held"] = 1.0  # a slip on one side: both copies go to a reviewer
                if result.note is None:
                    result.note = "another document of the file reads this value slightly differently"


SETTLED_BY_COPY = (
    # whose value it is: a label that names no field for sure, or a wording the calibration never saw
    "loose_label", "unseen_label",
    # how its letters and digits were read: an unsure word or number, a repair, marks that may have slipped
    "low_conf_word", "low_conf_digits", "unconfirmed_digits", "unconfirmed_date", "second_reading", "split_digits",
    "hand_filled", "pen_digits", "capital_marks", "name_guess", "glued_name", "signed_marks", "restated_marks", "case_slip",
    "misspelt", "split_word", "unit_rival", "unit_marks", "id_province_differs", "ends_in_rule", "odd_street_word",
)
"""Doubts another document of the file settles when it reads the value alike, marks and all, unheld
(:func:`release_by_copy`): two independent readings, on other pages in other print, that give the
same field the same characters are not both misread, nor both another person's ("Ông/Bà:" on a
receipt, the application's "Họ, chữ đệm, tên người yêu cầu:"). Doubts of where the value ends (cut at
the margin, run on, wrapped), of which of several people it is, of a layout new to the calibration,
and a hand's digits (``handwritten``) are not settled so."""

HELD_FOR_COPY = "held_for_copy"
"""Routing feature of a field held for doubts of :data:`SETTLED_BY_COPY` alone."""

HELD_FOR_MARKS = "held_for_marks"
"""Routing feature of a field held for its capitals' marks among them: its copy must be in small letters."""


def _settled_by_copy(candidate: Candidate, novelty: float) -> list[str]:
    """The routing features of a candidate whose weak evidence a copy settles (:data:`SETTLED_BY_COPY`),
    or none (another doubt, or a layout new to the calibration, stands)."""
    if _new_layout(candidate, novelty):
        return []
    flags = [flag for flag in WEAK_EVIDENCE if candidate.flags.get(flag)]
    if not flags or any(flag not in SETTLED_BY_COPY for flag in flags):
        return []
    return [HELD_FOR_COPY] + ([HELD_FOR_MARKS] if "capital_marks" in flags else [])


def release_by_copy(result: FieldResult, others: list[FieldResult]) -> None:
    """Release a field held for doubts of :data:`SETTLED_BY_COPY` alone that another document of the
    file reads alike, marks and all, unheld ("LÝ DIỆU TRANG" on the card copy, "Lý Diệu Trang" on the
    application; "Ông/Bà: Lý Diệu Trang" on the receipt): for a name in capitals, the copy must be in
    small letters."""
    if not result.features.get(HELD_FOR_COPY) or result.value is None:
        return
    mine = result.value.casefold().split()
    small_letters = bool(result.features.get(HELD_FOR_MARKS))
    if any(o.value is not None and not o.features.get("held") and o.value.casefold().split() == mine
           and not (small_letters and o.value.isupper()) for o in others):
        result.features["held"] = 0.0
        result.features.pop(HELD_FOR_COPY)
        result.features.pop(HELD_FOR_MARKS, None)
        result.note = None


def reading_agreement(value: str, others: list[str]) -> float:
    """1 if one of ``others`` is ``value`` (spaces and case aside), 0 if one is within two edits of
    it (a misread character) and the edits change less than half its letters, else 0.5: "Nam" and
    "Nữ" are two edits apart and two different values, not a slip."""
    mine = value.replace(" ", "").casefold()
    keys = [v.replace(" ", "").casefold() for v in others]
    if mine in keys:
        return 1.0
    if any(_slip_apart(Levenshtein.distance(mine, k), max(len(mine), len(k))) for k in keys):
        return 0.0
    return 0.5


def _slip_apart(edits: int, length: int) -> bool:
    return edits <= 2 and 2 * edits < length


def classify_document(roles: list[PageRole], context: AnalysisContext) -> TypeDecision:
    """Type of the document whose first page is ``roles[0]``."""
    from pipeline import textmodel

    probs = None
    if context.use_text_model:
        model = textmodel.default_model()
        if model is not None:
            probs = model.predict_proba("\n".join(line.text for role in roles for line in role.lines))
    return decide_type(roles[0].evidence, probs)


def field_keys(doc_type: str) -> tuple[str, ...]:
    """Every field extracted for ``doc_type``."""
    return doctypes.get(doc_type).all_fields


SIGNED_FORM_TYPES = frozenset({"don_de_nghi"})
"""Types filed and signed by a citizen: their signature block names a person."""


def _extract(doc_type: str, lines: list[TextLine], decision: TypeDecision,
             gazetteer: "Gazetteer | None" = None, signer: Candidate | None = None) -> tuple[dict[str, Candidate], str | None]:
    """Candidates for every field of the type; also the place printed before the date, if any.
    With a gazetteer, an address that ends with a province takes no continuation line. ``signer``: the
    name signed under a citizen's form (``letters.form_signer``), which the name read is weighed against."""
    keys = field_keys(doc_type)
    found: dict[str, Candidate] = {}
    place = None
    evidence = decision.evidence
    letter_layout = doctypes.get(doc_type).in_letter_layout
    if letter_layout or "doc_number" in keys:
        number = letters.doc_number(evidence)
        if number is not None:
            found["doc_number"] = number
    if letter_layout:
        for key, extractor in (("issuing_agency", letters.issuing_agency), ("subject", letters.subject)):
            candidate = extractor(lines, evidence) if key in keys else None
            if candidate is not None:
                found[key] = candidate
        if found.get("issuing_agency") is not None:
            flag_restated_marks(found["issuing_agency"], lines, gazetteer)
        date, place = letters.signed_date(lines)
        if date is not None:
            found["signed_date"] = date
        if "signer" in keys:
            candidate = letters.signer(lines)
            if candidate is not None:
                found["signer"] = candidate
    remaining = tuple(k for k in keys if k not in found and k != "doc_number")
    whole = None
    if gazetteer is not None:
        from pipeline.address import ends_with_province

        whole = functools.partial(ends_with_province, gazetteer=gazetteer)
    labelled = extract_labelled(lines, remaining, doc_type, whole)
    found.update({k: v for k, v in labelled.items() if k in remaining})
    if "signed_date" in keys and "signed_date" not in found:
        # forms sign at the bottom: "Vân Sơn, ngày 05 tháng 11 năm 2022" above the signature
        date, place = letters.signed_date(lines, max_top=1.0, first_page_only=False)
        if date is not None:
            found["signed_date"] = date
    if "full_name" in keys and doc_type in SIGNED_FORM_TYPES and found.get("full_name") is not None:
        restore_surname(found["full_name"], signer)
        flag_signed_marks(found["full_name"], signer)
        hold_short_of_signer(found["full_name"], signer)
        confirm_wrap_by_signer(found["full_name"], signer)
        confirm_end_by_signer(found["full_name"], signer)
        note_signed_alike(found["full_name"], signer)
    if "full_name" in keys and doc_type in SIGNED_FORM_TYPES and (found.get("full_name") is None
                                                                   or found["full_name"].value is None):
        # the name lines lost (under a seal): the name signed under "NGƯỜI KHAI" is a reviewer's hint
        # only - on some forms the person they are about is not the one who signs (the deceased)
        if signer is not None:
            found["full_name"] = replace(signer, flags={**signer.flags, "from_signature": 1.0})
    if "id_number" in keys and doc_type in SIGNED_FORM_TYPES and (found.get("id_number") is None
                                                                  or found["id_number"].value is None):
        by_shape = find_id_by_shape(lines, _value_of(found.get("date_of_birth")), _value_of(found.get("gender")))
        if by_shape is not None:
            found["id_number"] = by_shape
    for key in ("dossier_code", "procedure_code"):
        if key in keys and (key not in found or found[key].value is None):
            candidate = find_pattern(lines, key)
            if candidate is not None:
                found[key] = candidate
    return found, place


def _value_of(candidate: Candidate | None) -> str | None:
    return candidate.value if candidate is not None else None


def restore_surname(name: Candidate, signed: Candidate | None) -> None:
    """Put back the surname's lost first letters ("/ương Diệu Loan": "Tr" read as "/") from the
    name signed under the form ("Trương Diệu Loan"), when the rest of the two names are the same
    words and the read first word is no surname but the end of the signed one. Two readings of
    one name then agree; the value stays held (``surname_restored``): the signer could be another
    person of the same given names, unless the letters read are the end of one surname of the table
    alone (``pipeline.names.surnames_ending``)."""
    if name.value is None or signed is None or signed.value is None:
        return
    words, theirs = name.value.split(), signed.value.split()
    if len(words) < 2 or len(words) != len(theirs) or [w.casefold() for w in words[1:]] != [w.casefold() for w in theirs[1:]]:
        return
    first, surname = fold(words[0]), fold(theirs[0])
    if (first in letters.SURNAMES or theirs[0].casefold() not in letters.SURNAMES_MARKED or not first
            or not surname.endswith(first) or len(surname) - len(first) > 2
            or not words[0].casefold().endswith(theirs[0].casefold()[len(theirs[0]) - len(words[0]):])):
        return
    styled = theirs[0].upper() if words[0].isupper() and len(words[0]) > 1 else theirs[0]
    name.value = " ".join([styled] + words[1:])
    if surnames_ending(words[0]) != [theirs[0].casefold()]:
        # held, unless the letters read end one surname alone: then the value's own ink names it
        name.flags["surname_restored"] = 1.0


SIGNED_READING_EDITS = 2
"""Letters (marks aside) a value's word may differ by from the signed word read in its place: a hand's
"Mai" read "Mũi" is one letter off; another person's name is further."""


SIGNED_FAIR_CONF = 0.90
"""A signature whose every word was read at this confidence, short of print's, may stand for a
value's word barely made out (:data:`FAR_LESS_SURE_CONF`) and spelt with other letters: a hand's
"Đinh" filled in, read "Đĩa)" at 0.03, typed "Đinh" under the form at 0.93 (06_cap_GPLX_quoc_te in
a table)."""
FAR_LESS_SURE_CONF = 0.30


def take_signed_reading(name: Candidate, signed: Candidate | None) -> None:
    """Hold the name signed under the form as the value's reading where the two are one name read
    twice and the signed reading is the surer: every signed word read at print confidence (or near
    it, :data:`SIGNED_FAIR_CONF`, and then only a value's word read far below is doubted), a
    Vietnamese syllable, its surname a known one; and the value either the signed name's first words
    (cut short: "Nguyễn Thanh" by the label, "Nguyễn Thanh Diệu Vân" signed) or the same number of
    words (or their letters spaced otherwise: :func:`_spaced_otherwise`), at most half of them spelt
    otherwise, each such word a letter or two from the signed one
    (:data:`SIGNED_READING_EDITS`) and the reading to doubt: no syllable, repaired, or read under
    print confidence and less sure than the signed word ("Nguyễn Thị Mũi"[0.24] by a hand, "Nguyễn
    Thị Mai" signed at 0.96). Two sure readings that differ are two names (a father's "Nguyễn Văn An"
    by the label, his son's "Nguyễn Văn Anh" signing): the value's stays, :func:`flag_signed_marks`
    holds it when only the marks differ. The value taken stays held (``signed_reading``): the signer
    may be another person of a like name."""
    if name.value is None or signed is None or signed.value is None:
        return
    theirs = signed.value.split()
    signed_words = _lettered(signed.words)
    if (len(signed_words) != len(theirs) or not all(w.conf >= SIGNED_FAIR_CONF for w in signed_words)
            or theirs[0].casefold() not in letters.SURNAMES_MARKED or not all(is_syllable(t) for t in theirs)):
        return
    signed_sure = _read_sure(signed_words)
    ours = name.value.split()
    if 2 <= len(ours) < len(theirs) and [w.casefold() for w in theirs[: len(ours)]] == [w.casefold() for w in ours]:
        _take_signed(name, signed.value)
        return
    if len(ours) != len(theirs):
        if _spaced_otherwise(ours, theirs, name):
            _take_signed(name, signed.value)
        return
    differing = [(k, mine, other) for k, (mine, other) in enumerate(zip(ours, theirs)) if mine.casefold() != other.casefold()]
    if not differing or 2 * len(differing) > len(ours):
        return
    read = {fold(w.text.strip(",.:;")): w for w in name.judged_words}
    read_again = {}
    for k, mine, other in differing:
        word = read.get(fold(mine))
        doubtful = word is None or not is_syllable(mine) or word.conf < min(PRINTED_CONF, signed_words[k].conf)
        if not signed_sure and word is not None:
            # a signature read short of print: doubt only a word barely made out, its letters other
            # than the signed word's (its marks alone are no surer read there)
            doubtful = word.conf < FAR_LESS_SURE_CONF and fold(mine) != fold(other)
        if not doubtful or Levenshtein.distance(fold(mine), fold(other)) > SIGNED_READING_EDITS:
            return
        if word is not None and _read_again_as(word, other):
            read_again[id(word)] = other
    if len(read_again) == len(differing):
        _take_own_second_readings(name, read_again, signed.value)
        return
    _take_signed(name, signed.value)


def _read_again_as(word: Word, text: str) -> bool:
    """Did the page path's second reading of ``word`` (alone, at a larger scale, ocr/digits.py) spell
    ``text``, surer than the page's reading?"""
    return (word.second_reading is not None and word.second_conf is not None and word.second_conf > word.conf
            and word.second_reading.strip(",.;:…") == text)


def _take_own_second_readings(name: Candidate, read_again: dict[int, str], signed_value: str) -> None:
    """The signed name, where each word the value spells otherwise was read so again from the value's
    own ink ("Tời" at 0.73, read again "Tài" at 0.97, "Tài" signed): the value's words take their second
    readings, and the value is no signer's name taken on trust (no ``signed_reading``): two readings of
    its ink and the signature agree (:func:`note_signed_alike` then weighs the signature)."""
    name.value = signed_value.upper() if (name.value or "").isupper() else signed_value
    name.words = [w.model_copy(update={"text": read_again[id(w)], "conf": w.second_conf, "first_conf": w.conf})
                  if id(w) in read_again else w for w in name.words]
    name.flags["name_unknown"] = 1.0 if repair_name(name.value).unknown else 0.0  # judged on the new words


def _spaced_otherwise(ours: list[str], theirs: list[str], name: Candidate) -> bool:
    """Are the value's words the signed name's letters with one space more or fewer ("Nguy Õï Phương
    My", "Nu Yến Diệu Hằng" for "Nguyễn …": a hand's word read in two), at most
    :data:`SIGNED_READING_EDITS` letters off, a word of the value read under print confidence?"""
    return (abs(len(ours) - len(theirs)) == 1
            and Levenshtein.distance(fold("".join(ours)), fold("".join(theirs))) <= SIGNED_READING_EDITS
            and any(w.conf < PRINTED_CONF for w in name.judged_words))


def _has_letter(word: Word) -> bool:
    return any(ch.isalpha() for ch in word.text)


def _lettered(words: list[Word]) -> list[Word]:
    """A name's words, the specks and stops read among them dropped."""
    return [w for w in words if _has_letter(w)]


def _read_sure(words: list[Word]) -> bool:
    """Were ``words`` (a name's, its specks dropped) all read at print confidence?"""
    return bool(words) and all(w.conf >= PRINTED_CONF for w in words)


def _take_signed(name: Candidate, signed_value: str) -> None:
    name.value = signed_value.upper() if (name.value or "").isupper() else signed_value
    name.flags["signed_reading"] = 1.0


def flag_signed_marks(name: Candidate, signed: Candidate | None) -> None:
    """Hold a name that the name signed under the form spells with other marks on the same letters
    ("Bùi Thi Loan" by the label, "Bùi Thị Loan" under "NGƯỜI LÀM ĐƠN"; 12_DDN_cap_doi_GPLX, a
    handwritten "Thị" read "Thi" at 0.79 and auto-accepted), when the value's reading of the word
    they spell differently is the one to doubt (:func:`_less_sure_reading`): two readings of one name
    disagree and the value's may hold the slip (``signed_marks``). A signature read less sure than
    the value (a hand's signature line) or a different name signed says nothing; nor does a word the
    second reading spells as signed ("Ñgô" read "Ngô" again): :func:`take_second_readings_of_repair`
    judges it. Nor does a surname both readings spell as one surname of the table, whatever their marks
    ("Đỉnh" by the label, "Đinh" signed: no other surname has those letters; the value's is repaired to it)."""
    if name.value is None or signed is None or signed.value is None:
        return
    if name.value.casefold() == signed.value.casefold() or fold(name.value) != fold(signed.value):
        return
    ours, theirs = name.value.split(), signed.value.split()
    if len(ours) != len(theirs):
        return
    read = {fold(w.text.strip(",.:;")): w for w in name.judged_words}
    signed_read = {fold(w.text.strip(",.:;")): w for w in signed.words}
    for position, (mine, other) in enumerate(zip(ours, theirs)):
        if mine.casefold() == other.casefold() or (position == 0 and _one_surname(mine, other)):
            continue
        word, their_word = read.get(fold(mine)), signed_read.get(fold(other))
        if word is not None and word.second_reading is not None and word.second_reading.strip(",.;:…") == other:
            continue  # read again alone it spells the signed word: the value's repair is judged on that reading
        if word is not None and _less_sure_reading(word, their_word):
            name.flags["signed_marks"] = 1.0
            return


def _one_surname(mine: str, other: str) -> bool:
    """Are two readings of a name's first word one surname of the table (``pipeline.names.repair_surname``:
    their letters fit exactly one)?"""
    surname = repair_surname(mine)
    return surname is not None and surname == repair_surname(other)


def _less_sure_reading(word: Word, signed: Word | None) -> bool:
    """Is ``word`` (the value's) the reading to doubt, of two that spell a name's word differently:
    read unsure and signed no less sure (or the signed word not placed), read less sure than the
    signed one even at print confidence (a handwritten "Vinh" read "Vĩnh" at 0.95 over "Vinh" signed
    at 0.96, 62_xet_cap_hoc_bong_chinh_sach), or the signed one read at print confidence too: two sure
    readings of one name that disagree, one slipped ("Thăng" by the label at 0.963, "Thắng" typed under
    the form at 0.960, 11_dang_ky_khai_sinh in a table)?"""
    if signed is None:
        return word.conf < PRINTED_CONF
    return signed.conf >= min(word.conf, PRINTED_CONF)


RESTATED_WORDS = 3
"""Words a name needs for its restatement elsewhere in the document to be looked for (a body that
repeats "Sở Xây dựng" says little; "Công ty TNHH Sản xuất Bao bì Tân Tiến" is the issuer again)."""


def flag_restated_marks(candidate: Candidate, lines: list[TextLine], gazetteer: "Gazetteer | None" = None) -> None:
    """Hold an issuer's name that the document prints again elsewhere, the same letters with other
    marks: "CÔNG TY TNHH SẢN XUẤT BAO BÌ TÂN TIỀN" in the header, "Tên doanh nghiệp: CÔNG TY TNHH SẢN
    XUẤT BAO BÌ TÂN TIẾN" in the body (39_hoi_dap_chi_cuc_thue); "… MAY SÔNG HÔNG" over "TỔNG GIÁM
    ĐỐC CÔNG TY CỔ PHẦN MAY SÔNG HỒNG" (44_Quyet_dinh_viec_nghi_viec_huong_che_do_huu_tri). A company's
    proper name is checked by no table: two readings that disagree are the only sign that one of
    them slipped (``restated_marks``). The first restatement found decides; one spelt alike says
    nothing more. The value held is the surer of the two readings (:func:`_take_surer_restatement`).
    An administrative unit's name is checked by the units table (``gazetteer``): a restatement that
    spells the unit with marks no unit has, where the value spells it as the table does ("HUYỆN
    CẤM[0.85] KHÊ" in a decision's body under the header's "HUYỆN CẨM KHÊ"), slipped itself."""
    words = _plain_words(candidate.value or "")
    if len(words) < RESTATED_WORDS:
        return
    target = fold("".join(words))
    for line in lines:
        if _is_value_line(line, candidate):
            continue  # the header lines the value was read from
        restated = _restatement(target, line.words)
        if restated is None:
            continue
        restated_text = " ".join(x.text for x in restated)
        more = _words_going_on(line.words, restated)
        if more and not _parents_place(more, candidate, lines):
            # held with the longer name, in the value's own case: the reviewer starts from it
            candidate.flags["short_of_restatement"] = 1.0
            candidate.value = " ".join([candidate.value or ""] + [t.upper() if words[-1].isupper() else t for t in more])
        if [w.casefold() for w in _plain_words(restated_text)] != [w.casefold() for w in words]:
            if gazetteer is not None and _restatement_misspells_unit(candidate.value or "", restated_text, gazetteer):
                return
            candidate.flags["restated_marks"] = 1.0
            _take_surer_restatement(candidate, restated)
        return


def _words_going_on(words: list[Word], restated: list[Word]) -> list[str]:
    """The capitalised words a restatement goes on with to its line's end ("1. Tên cơ quan/tổ chức:
    Viện Năng lượng nguyên tử Việt Nam" under the header's "VIỆN NĂNG LƯỢNG NGUYÊN TỬ", whose last
    line OCR did not read, 05_cap_giay_phep_chuyen_gia_KHCN_VN: "Việt", "Nam"), or none: the name
    printed there is longer than the one read, which may be cut."""
    after = words[words.index(restated[-1]) + 1 :]
    texts = [w.text for w in after if _letters_of(w)]
    return texts if texts and len(texts) == len(after) and all(t[:1].isupper() for t in texts) else []


def _parents_place(more: list[str], candidate: Candidate, lines: list[TextLine]) -> bool:
    """Do the words a restatement goes on with name the place the header's lines above the value
    already name ("Sở Nội vụ Tỉnh Quảng Ngãi" under "UBND TỈNH QUẢNG NGÃI" / "SỞ NỘI VỤ": the
    department's province, its parent's, no word of its own name), in that order? A unit's type
    words aside."""
    from pipeline.address import UNIT_TYPES_IN_TEXT

    type_words = {word for kind in UNIT_TYPES_IN_TEXT for word in fold(kind).split()}
    place = [word for word in fold(" ".join(more)).split() if word not in type_words]
    if candidate.bbox is None:
        return False
    x0, top, x1, _ = candidate.bbox
    above = [line.key for line in lines if line.page_no == candidate.page and line.bbox[3] <= top
             and line.bbox[0] < x1 and x0 < line.bbox[2]]  # its column: no motto
    # spaces left out: the header may read the place's words glued ("UBND THÀNH PHỐ HÀNỘI")
    return bool(place) and "".join(place) in "".join(key.replace(" ", "") for key in above)


def _restatement_misspells_unit(value: str, restated: str, gazetteer: "Gazetteer") -> bool:
    """Does ``value`` name its units as the units table spells them, and ``restated`` one of them with
    other marks than any unit has?"""
    from pipeline.address import units_in_text

    ours, theirs = units_in_text(value, gazetteer), units_in_text(restated, gazetteer)
    return bool(ours) and all(known for _, known in ours) and any(not known for _, known in theirs)


def _restatement(target: str, words: list[Word]) -> list[Word] | None:
    """The run of ``words`` whose letters, marks, spaces and stops aside, are ``target``'s (a
    reading that ran two words together, "MAYMẶC", still spells the name printed "MAY MẶC")."""
    plain = [(fold(_letters_of(w)), w) for w in words]
    for start in range(len(plain)):
        if not plain[start][0] or not target.startswith(plain[start][0]):
            continue
        letters = ""
        for end in range(start, len(plain)):
            letters += plain[end][0]
            if letters == target:
                return [w for _, w in plain[start : end + 1]]
            if not target.startswith(letters):
                break
    return None


def _take_surer_restatement(candidate: Candidate, restated: list[Word]) -> None:
    """Hold the restatement's reading when the words it reads otherwise were all read surer than the
    value's own that differ from them ("TIẾN" at 0.97 in the body over the header's "TIỀN" at 0.74).
    Still held: which reading slipped is a guess; the reviewer starts from the likelier one."""
    ours = [w for w in candidate.words if _letters_of(w)]
    if fold("".join(_letters_of(w) for w in ours)) != fold("".join(_plain_words(candidate.value or ""))):
        return  # the value is no longer its words' reading (repaired): nothing to weigh
    mine, theirs = {_letters_of(w).casefold() for w in ours}, {_letters_of(w).casefold() for w in restated}
    ours_differing = [w for w in ours if _letters_of(w).casefold() not in theirs]
    theirs_differing = [w for w in restated if _letters_of(w).casefold() not in mine]
    if not ours_differing or not theirs_differing:
        return
    if min(w.conf for w in theirs_differing) <= min(w.conf for w in ours_differing):
        return
    text = " ".join(w.text for w in restated).strip(" ,.;:")
    candidate.value = text.upper() if (candidate.value or "").isupper() else text


def _letters_of(word: Word) -> str:
    """The word's letters and digits, its punctuation dropped ("BAO." is "BAO")."""
    return _letters(word.text)


def _letters(token: str) -> str:
    return re.sub(r"[^\w]", "", token)


def _plain_words(text: str) -> list[str]:
    """The words of ``text`` without their punctuation ("BAO." is "BAO"), empty ones dropped."""
    return [word for word in (_letters(token) for token in text.split()) if word]


def _is_value_line(line: TextLine, candidate: Candidate) -> bool:
    """Is ``line`` one the value was read from (on its page, meeting its box)? A restatement elsewhere
    is looked for on the other lines."""
    return line.page_no == candidate.page and candidate.bbox is not None and _boxes_meet(line.bbox, candidate.bbox)


def _boxes_meet(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def hold_short_of_signer(name: Candidate, signed: Candidate | None) -> None:
    """Hold a name that is the first words of the name signed under the form, one or more words
    short ("Đỗ Văn" read, "Đỗ Văn Quân" signed): its last word was cut off or read as another line's
    (``short_of_signer``). The signer may be another person, so the signed name is no value; but
    a person's name that the signature goes on past is likely cut."""
    if name.value is None or signed is None or signed.value is None:
        return
    words, theirs = name.value.casefold().split(), signed.value.casefold().split()
    if 2 <= len(words) < len(theirs) and theirs[: len(words)] == words:
        name.flags["short_of_signer"] = 1.0


def confirm_wrap_by_signer(name: Candidate, signed: Candidate | None) -> None:
    """Release a name joined across its line's end ("Người khởi kiện: ....Hồ Kim" / "Giang") that the
    name signed under the form spells word for word ("Hồ Kim Giang"): whether the two lines are one
    value was the doubt (``wrapped``), and the signature writes them as one."""
    if name.flags.get("wrapped") and _signed_word_for_word(name, signed):
        name.flags.pop("wrapped")


def confirm_end_by_signer(name: Candidate, signed: Candidate | None) -> None:
    """Release a name that reaches its line's end ("… Em là: Nguyễn Xuân Trung" at the margin, "Sinh
    ngày: …" below) when the name signed under the form spells it word for word, every signed word
    read at print confidence: whether it went on below was the doubt (``cut``), and the signature ends
    it there."""
    if name.flags.get("cut") and _signed_word_for_word(name, signed) and _read_sure(_lettered(signed.words)):
        name.flags.pop("cut")
        if name.note == CUT_NOTE:
            name.note = None


def note_signed_alike(name: Candidate, signed: Candidate | None) -> None:
    """Note (``signed_alike``) a name that the name signed under the form spells word for word, marks
    and all, its last word read at print confidence there ("HOÀNG HỮU AN" by the label, "Hoàng Hữu An"
    under "NGƯỜI KHAI"): a second reading of the given name's marks, which capitals set small
    (:func:`_capital_marks_unsure`). Every word read at print confidence there (``signed_sure``): a
    second reading of the whole name, whose words take the better confidence and whose reading doubts
    it settles (:func:`settle_by_signature`)."""
    if name.flags.get("signed_reading") or not _signed_word_for_word(name, signed):
        return  # a value taken from the signature is no second reading of it
    words = _lettered(signed.words)
    if words and words[-1].conf >= PRINTED_CONF:
        name.flags["signed_alike"] = 1.0
    if _read_sure(words):
        name.flags["signed_sure"] = 1.0  # every word read again, sure: see settle_by_signature
        _raise_to_signed_reading(name, words)


def _raise_to_signed_reading(name: Candidate, signed_words: list[Word]) -> None:
    """Give each of the name's words the better confidence of its two readings, the label's and the
    signature's (the page path does the same for a word its second reading agrees with): when the
    value's own words spell the signed ones one for one."""
    own = [k for k, w in enumerate(name.words) if _has_letter(w)]
    if len(own) != len(signed_words) or any(
            name.words[k].text.strip(",.;:").casefold() != s.text.strip(",.;:").casefold()
            for k, s in zip(own, signed_words)):
        return  # the label's reading was repaired or split: its words are not the signed ones
    words = list(name.words)
    for k, signed_word in zip(own, signed_words):
        if words[k].conf < signed_word.conf:
            words[k] = words[k].model_copy(update={"conf": signed_word.conf, "first_conf": words[k].page_conf})
    name.words = words


SETTLED_BY_SIGNATURE = ("low_conf_word", "name_guess", "glued_name", "case_slip", "misspelt", "split_word")
"""Doubts of how a name's letters and marks were read that the name signed under the form settles when
it spells the name word for word, marks and all, every word read at print confidence
(``signed_sure``, :func:`note_signed_alike`): a second reading of every letter, on another line.
(``capital_marks`` is never raised on such a name: ``signed_alike`` comes with ``signed_sure``.)"""


def settle_by_signature(name: Candidate) -> None:
    """Drop the reading doubts of :data:`SETTLED_BY_SIGNATURE` from a name signed alike and sure."""
    if name.flags.get("signed_sure"):
        for flag in SETTLED_BY_SIGNATURE:
            name.flags.pop(flag, None)


def _signed_word_for_word(name: Candidate, signed: Candidate | None) -> bool:
    """Does the name signed under the form spell the value word for word, marks and all?"""
    return (name.value is not None and signed is not None and signed.value is not None
            and name.value.casefold().split() == signed.value.casefold().split())


FIELD_KIND: dict[str, str] = {f.key: f.kind for f in doctypes.FIELDS}


def _capital_marks_unsure(value: str, candidate: Candidate) -> bool:
    """A name in capitals whose given name (its last word) was read under print confidence, with
    another name spelt in its letters and other marks ("TRỊNH ĐÌNH THĂNG" at 0.75 for THẮNG, "THU
    MỸ" at 0.91 for MY): on capitals the marks are small, and a slip in them still makes a name."""
    words = value.split()
    last = next((w for w in reversed(candidate.words) if _has_letter(w)), None)
    return (len(words) >= 2 and value.isupper() and last is not None and last.conf < PRINTED_CONF
            and fold(last.text.strip(",;.")) == fold(words[-1]) and has_mark_rivals(words[-1]))


def _marks_put_on_sure_capitals(candidate: Candidate, repaired: str) -> bool:
    """A name in capitals printed without marks, perhaps, as a passport writes it ("NGUYEN THI MAI
    ANH", 61_xac_nhan_thu_nhap): the repair put marks on a word read without any ("NGUYEN", at 0.96
    or at 0.78), and every mark read in the name was read under print confidence ("THỊ" at 0.89, a
    speck over its I; at 0.72 in a hand). On capitals marks are large: a reading without them says
    they may not have been printed, and no sure mark elsewhere says they were; the name is kept as
    printed only when no mark is read at all."""
    read = candidate.value or ""
    words, out = read.split(), repaired.split()
    lettered = _lettered(candidate.words)
    if not read.isupper() or len(words) != len(out) or len(lettered) != len(words):
        return False
    marked = [word for text, word in zip(words, lettered) if not text.isascii()]
    marks_put_on = any(text.isascii() and new != text and fold(new) == fold(text) for text, new in zip(words, out))
    return marks_put_on and bool(marked) and all(word.conf < PRINTED_CONF for word in marked)


def surname_evidence(name: str) -> float:
    """1 if the first word is a known surname as printed, 0 if only its unmarked form is (a tone
    slip: "Trấn" for "Trần"), 0.5 if unknown."""
    first = name.split()[0] if name.split() else ""
    if first.casefold() in letters.SURNAMES_MARKED:
        return 1.0
    return 0.0 if fold(first) in letters.SURNAMES else 0.5


def key_is_text(key: str) -> bool:
    """Fields whose value is Vietnamese words (their syllables can be checked)."""
    return FIELD_KIND.get(key) in ("name", "text")


def repair_candidates(candidates: dict[str, Candidate], gazetteer: "Gazetteer | None",
                      lines: list[TextLine] = ()) -> None:
    """Post-correct values against what they can be: names against Vietnamese name syllables, the
    unit part of addresses and agencies against the units table (when a gazetteer is given).

    What was found is left in ``candidate.flags`` for the confidence model: ``name_fixed`` /
    ``name_unknown`` (a name syllable no name has), ``unit_levels`` (0..1: how many of the three
    unit levels of an address were confirmed), ``unit_known`` (the agency's unit exists).
    ``lines``: the document's, where a unit's name may be printed again (:func:`_unsure_rivalled_unit`).
    """
    for key, candidate in candidates.items():
        if candidate.value is None:
            continue
        if FIELD_KIND.get(key) == "name":
            repaired = repair_name(candidate.value)
            candidate.flags["name_fixed"] = 1.0 if repaired.fixed else 0.0
            candidate.flags["name_unknown"] = 1.0 if repaired.unknown else 0.0
            if repaired.guessed and candidate.ocr_min_conf < PRINTED_CONF:
                candidate.flags["name_guess"] = 1.0  # "Hàng" read unsure -> "Hằng": or "Hồng", "Hùng"?
            if _capital_marks_unsure(repaired.value, candidate) and not candidate.flags.get("signed_alike"):
                candidate.flags["capital_marks"] = 1.0
            if _marks_put_on_sure_capitals(candidate, repaired.value):
                candidate.flags["unmarked_print"] = 1.0
            if repaired.moved_letter:
                candidate.flags["split_word"] = 1.0
            if repaired.stray_letter or repaired.hook_as_dot:
                # "NWguyễn" read as "Nguyễn", "Chỉ" as "Chi": the likely reading, not a sure one
                candidate.flags["misspelt"] = 1.0
            if repaired.case_slip:
                candidate.flags["case_slip"] = 1.0
            candidate.value = repaired.value
            take_second_readings_of_repair(candidate)
        elif key in PLACE_KEYS and gazetteer is not None:
            from pipeline.address import (canonical_address, confirmed_unit_words, join_spaced_house_number,
                                          names_lower_unit, repair_street_word, repair_type_word,
                                          runs_past_province)

            fitted = canonical_address(candidate.value, gazetteer)
            as_read = _as_engine_read(candidate)
            if fitted.levels < 3 and as_read is not None:
                # OCR post-correction may have "fixed" a unit name into a common word ("Hải Tân" ->
                # "Hội Tân"): the engine's own reading is tried against the units table too
                again = canonical_address(as_read, gazetteer)
                if again.levels > fitted.levels:
                    fitted = again
            candidate.value = fitted.value
            if key == "address":
                candidate.value, retyped = repair_type_word(candidate.value)
                candidate.value, restreeted = repair_street_word(candidate.value)
                if retyped or restreeted:
                    candidate.flags["misspelt"] = 1.0
                candidate.value, spaced = join_spaced_house_number(candidate.value, PLACE_OPENERS)
                if spaced and not read_together(digit_words(candidate.words)[:2]):  # the house number's two pieces
                    candidate.flags["spaced_number"] = 1.0
            candidate.flags["unit_levels"] = round(fitted.levels / 3, 4)
            if fitted.ends_with_province and candidate.flags.pop("cut", None) and candidate.note == CUT_NOTE:
                candidate.note = None  # it reached the margin, but the province (an address's end) is read
            if fitted.ambiguous_repair:
                candidate.flags["unit_changed"] = 1.0
            if fitted.unit_in_segment:
                candidate.flags["unit_in_segment"] = 1.0
            if fitted.province_completed:
                candidate.flags["province_completed"] = 1.0
            if runs_past_province(candidate.value, gazetteer):
                candidate.flags["past_province"] = 1.0
            no_province = fitted.match is None or fitted.match.province_code is None
            if not fitted.levels and names_its_units(candidate.value) and (no_province or names_lower_unit(candidate.value)):
                # "…, Tỉnh Tiền" (Giang wrapped away); "…, Huyện Hữu Lũn" (the district cut, the province
                # lost): the table found units like them, but confirmed none as read. ("Bệnh viện Đa
                # khoa Tỉnh Lâm Đồng" names its province alone, and that one is read whole.)
                candidate.flags["units_unconfirmed"] = 1.0
            if _unsure_rivalled_unit(candidate, fitted, gazetteer, lines):
                candidate.flags["unit_rival"] = 1.0
            if key == "address" and _commune_type_lost(fitted):
                candidate.flags["commune_type_lost"] = 1.0
            if key == "address" and _commune_unconfirmed(fitted):
                candidate.flags["commune_unconfirmed"] = 1.0
            if key == "address" and fitted.match is not None and fitted.match.province_code and fitted.levels < 2:
                # a residence names its commune and district: "Hạ Hòa, Tỉnh Phú Thọ" (28_don_to_cao, the
                # address's first line under "Hộ khẩu thường trú:……" read after it) is its tail only
                candidate.flags["few_units"] = 1.0
            # a unit word read unsure that the table pins to the one unit it can be spells that unit
            candidate.confirmed_tail = confirmed_unit_words([w.text for w in candidate.words], fitted, gazetteer)
            if fitted.levels:
                # the unit names are checked against the table: only the head's OCR can be wrong
                head_words = len(fitted.head.split())
                candidate.flags["head_ocr_min"] = round(min((w.conf for w in candidate.words[:head_words]), default=1.0), 4)
                candidate.flags["head_syllables"] = round(syllable_share(fitted.head), 4)
        elif key == "issuing_agency" and gazetteer is not None:
            from pipeline.address import canonical_agency

            value, known = canonical_agency(candidate.value, gazetteer)
            as_read = _as_engine_read(candidate)
            if known is False and as_read is not None:
                again, known_again = canonical_agency(as_read, gazetteer)
                if known_again:
                    value, known = again, known_again
            candidate.value = value
            candidate.flags["unit_known"] = 0.5 if known is None else float(known)
        elif key in FREE_TEXT_KEYS and gazetteer is not None:
            from pipeline.address import unit_read_with_other_marks

            if unit_read_with_other_marks(candidate.value, gazetteer):
                candidate.flags["unit_marks"] = 1.0


PRINTED_DIGITS_CONF = PRINTED_CONF  # the name ocr/digits.py gives it


def take_second_readings_of_repair(candidate: Candidate) -> None:
    """Raise each word of a repaired name to its second reading's confidence where that sure reading
    (``Word.second_reading``, ocr/digits.py: the word alone, at a larger scale) spells the word as the
    repair made it: "là:...NÑgô" at 0.18, the dots' remains read as a letter, repaired "Ngô" and read
    "Ngô" again at 0.95. Two readings then agree on the value's letters, as when the second reading
    agrees with the first. When every word the repair changed is so confirmed, the repair is no guess
    (``misspelt``, ``name_guess`` dropped); the low word's hold is judged again on the raised words."""
    texts = (candidate.value or "").split()
    if len(texts) != len(candidate.words):
        return
    raised, changed_unconfirmed = [], False
    for text, word in zip(texts, candidate.words):
        if _read_again_as(word, text.strip(",.;:…")):
            word = word.model_copy(update={"conf": word.second_conf, "first_conf": word.conf})
        elif word.text.strip(",.;:…") != text.strip(",.;:…"):
            changed_unconfirmed = True
        raised.append(word)
    if raised == candidate.words:
        return
    candidate.words = raised
    candidate.flags.pop("low_conf_word", None)  # flag_weak_words judges the raised words again
    if not changed_unconfirmed:
        candidate.flags.pop("misspelt", None)
        candidate.flags.pop("name_guess", None)


def confirm_id_rest_below(number: Candidate | None, checks: dict[str, bool]) -> None:
    """A CCCD read as nine digits at the line's end and a lone group of three opening the next line
    (flag ``id_rest_below``) is one number when the document's birth date agrees with its century
    and year digits (and its gender digit, if a gender is given, too): they show the nine are the
    head of a CCCD, not a whole CMND. Otherwise the join stays held (``wrapped``)."""
    if number is None or not number.flags.pop("id_rest_below", None):
        return
    if checks.get("cccd_matches_dob") is not True or checks.get("cccd_matches_gender") is False:
        number.flags["wrapped"] = 1.0


def settle_gender_by_id(candidates: dict[str, Candidate], id_checks: dict[str, bool], novelty: float) -> None:
    """A gender guessed from a misspelt word ("Ngm" is Nam, ``GENDER_GUESS_NOTE``) is no guess when the
    person's CCCD says the same: the ID's fourth digit is its holder's century and gender, and its
    year digits agree with the birth date read (the ID is the person's). The ID must be one the
    document would accept on its own evidence (no unsure, hand's or unconfirmed digits): a digit
    misread there could flip the gender it gives. The gender word's low confidence goes with its
    misspelling (``low_conf_word``: the one word is the one the guess was made from, "Ngm" at 0.4):
    what its letters are does not matter once the ID says which of the two it is. A guess the ID
    contradicts, or one with no ID or birth date to check it by, stays held; so does every other
    doubt of the gender (a loose or unseen label, a layout never seen, several values)."""
    gender, number = candidates.get("gender"), candidates.get("id_number")
    if gender is None or number is None or gender.note != GENDER_GUESS_NOTE or not gender.flags.get("misspelt"):
        return
    if id_checks.get("cccd_matches_gender") is not True or id_checks.get("cccd_matches_dob") is not True:
        return
    if number.flags.get("handwritten") or weak_evidence(number, novelty) is not None:
        return
    del gender.flags["misspelt"]
    gender.flags.pop("low_conf_word", None)
    gender.note = None


def _part_before_district(fitted: "CanonicalAddress") -> str | None:
    """The part of a residence right before its district, where the table confirmed the district
    and province but no commune; None otherwise. Where a commune should stand, and does not."""
    match = fitted.match
    if match is None or not match.district_code or match.commune_code or fitted.levels != 2:
        return None
    return fitted.head.rsplit(",", 1)[-1].strip()


def _commune_type_lost(fitted: "CanonicalAddress") -> bool:
    """Does a residence confirmed down to its district name no commune, the part before the district
    a bare name with no type word ("Số 215, đường Hùng Vương, Châu Bắc, Thị xã Hoài Nhơn, …": OCR
    lost "Xã Hoài" at the line's end, 51_TK_cap_ho_chieu_tre_em)? A hamlet, street or house opens
    with its type word or number; a bare name there is a commune read short."""
    last = _part_before_district(fitted)
    words = fold(last or "").split()
    return (bool(words) and last[:1].isupper() and words[0] not in PLACE_OPENERS
            and not any(ch.isdigit() for ch in last))


def _commune_unconfirmed(fitted: "CanonicalAddress") -> bool:
    """Does a residence confirmed down to its district name a commune, with its type word, that the
    table does not hold under that district ("…, Xã la Dêt, Huyện Ia Grai, Tỉnh Gia Lai": Ia Dêr's
    "Ia" read "la" and its r "t", none of the district's communes close enough to repair it)? The
    district and province read whole do not vouch for the commune's letters."""
    from pipeline.address import COMMUNE_TYPE_WORDS

    last = fold(_part_before_district(fitted) or "")
    return any(last.startswith(fold(kind) + " ") and len(last) > len(fold(kind)) + 1 for kind in COMMUNE_TYPE_WORDS)


def check_id_province(candidates: dict[str, Candidate], gazetteer: "Gazetteer") -> None:
    """Flag ``id_province_differs`` on a CCCD read with less than printed certainty whose province
    code (its 2nd and 3rd digits: where the holder's birth was registered) is not the province of
    the person's place of birth or, without one, address.

    People move, so a different province alone proves nothing; but with unsure digits it is the
    one check a misread code digit fails ("015…" Yên Bái read "075…" Đồng Nai: both real codes)."""
    from pipeline.address import resolve_address

    number = candidates.get("id_number")
    if number is None or number.value is None or not is_cccd(number.value):
        return
    with_digits = digit_words(number.words)
    if with_digits and min(w.conf for w in with_digits) >= PRINTED_DIGITS_CONF:
        return
    for key in ("place_of_birth", "address"):
        place = candidates.get(key)
        match = resolve_address(place.value, gazetteer) if place is not None and place.value else None
        if match is not None and match.province_code is not None:
            if number.value[1:3] != match.province_code:
                number.flags["id_province_differs"] = 1.0
            return


def _as_engine_read(candidate: Candidate) -> str | None:
    """The value with every OCR post-corrected word put back as the engine read it (None if no
    word was changed)."""
    if not any(w.original is not None for w in candidate.words):
        return None
    from pipeline.extract import repair_spacing

    return repair_spacing(" ".join(w.original or w.text for w in candidate.words).strip(" .,:;"))


def _features(candidate: Candidate, checks: dict[str, bool], type_score: float) -> dict[str, float]:
    words = candidate.words
    own = [v for k, v in checks.items() if not k.startswith("x_")]
    cross = [v for k, v in checks.items() if k.startswith("x_")]
    value = candidate.value or ""
    features = {
        "ocr_mean": round(candidate.ocr_conf, 4),
        "ocr_min": round(candidate.ocr_min_conf, 4),
        "label": round(candidate.label_score, 4),
        "valid": 1.0 if own and all(own) else (0.0 if own else 0.5),
        "cross": 1.0 if cross and all(cross) else (0.0 if cross else 0.5),
        "handwritten": candidate.flags.get("handwritten", 0.0),
        "type_score": round(type_score, 4),
        "has_note": 1.0 if candidate.note else 0.0,
        "length_ok": 1.0 if 1 <= len(value) <= 200 else 0.0,
        # impossible syllables betray OCR slips in names, addresses and agencies
        "syllables": round(syllable_share(value), 4) if key_is_text(candidate.key) else 1.0,
        "low_ocr": 1.0 if candidate.ocr_min_conf < 0.75 else 0.0,
        "corrected": round(sum(w.original is not None for w in words) / len(words), 4) if words else 0.0,
        # long values have more chances to hold one wrong character (log-ish scale, 0..1)
        "words": round(min(1.0, len(words) / 20), 4),
        # each kind of field has its own base rate of OCR slips
        **{f"kind_{kind}": 1.0 if FIELD_KIND.get(candidate.key) == kind else 0.0 for kind in ("name", "text", "date", "code")},
    }
    if candidate.flags.get("in_table"):
        features["in_table"] = 1.0  # how it was laid out, for the calibration's record (not a model input)
    kind = FIELD_KIND.get(candidate.key)
    # "TRẤN VĂN VIỆT": a surname read with the wrong mark is a sure OCR slip
    features["surname"] = surname_evidence(value) if kind == "name" else 0.5
    features["text_ocr_min"] = features["ocr_min"] if kind == "text" else 0.0
    features["text_syllables"] = features["syllables"] if kind in ("text", "name") else 0.0
    features["name_ocr_min"] = features["ocr_min"] if kind == "name" else 0.0
    features["code_ocr_min"] = features["ocr_min"] if kind in ("code", "date") else 0.0
    features[f"key_{candidate.key}"] = 1.0
    features["doc_agree"] = 0.5  # set by agree_across_documents when the file repeats the field
    flags = candidate.flags
    features["name_fixed"] = flags.get("name_fixed", 0.0)
    features["name_unknown"] = flags.get("name_unknown", 0.0)
    features["unit_known"] = flags.get("unit_known", 0.5) if candidate.key == "issuing_agency" else 0.5
    place = candidate.key in PLACE_KEYS
    features["unit_levels"] = flags.get("unit_levels", 0.0) if place else 0.0
    features["place_head_ocr_min"] = flags.get("head_ocr_min", features["ocr_min"]) if place else 0.0
    features["place_head_syllables"] = flags.get("head_syllables", features["syllables"]) if place else 0.0
    return features


def analyse_as_type(pages: list[PageText], doc_type: str, context: AnalysisContext | None = None) -> DocumentResult:
    """The pages as one document of ``doc_type`` (a reviewer's choice): its fields extracted for
    that type, scored and routed as :func:`analyse_pages` routes them."""
    context = context or AnalysisContext()
    calibration = context.calibration or default_calibration()
    roles = [role for document in split_documents(pages) for role in document]
    if not roles:
        return DocumentResult(doc_type=doc_type, type_confidence=1.0, pages=[p.page_no for p in pages],
                              status="needs_review", error="blank: no text was found on any page")
    document = analyse_document(roles, context, calibration, doc_type=doc_type)
    _route([document], context, calibration)
    return document


def analyse_document(roles: list[PageRole], context: AnalysisContext, calibration: Calibration,
                     doc_type: str | None = None) -> DocumentResult:
    """Classify (unless a reviewer set ``doc_type``), extract, validate and score one document
    (``analyse_pages`` routes it, once the file's documents have been compared)."""
    lines = [line for role in roles for line in role.lines]
    decision = classify_document(roles, context)
    if doc_type is not None:
        decision = replace(decision, doc_type=doc_type, score=1.0, cues=[f"set by a reviewer: {doc_type}"])
    document = DocumentResult(
        doc_type=decision.doc_type,
        type_confidence=calibration.type_confidence(decision.score),
        type_cues=decision.cues,
        pages=[role.page.page_no for role in roles],
        page_roles=[role.role for role in roles],
        text="\n\n".join("\n".join(line.text for line in role.lines) for role in roles),
    )
    signer = letters.form_signer(lines) if decision.doc_type in SIGNED_FORM_TYPES else None
    candidates, place = _extract(decision.doc_type, lines, decision, context.gazetteer, signer)
    repair_candidates(candidates, context.gazetteer, lines)
    if candidates.get("full_name") is not None:
        take_signed_reading(candidates["full_name"], signer)  # on the repaired name
        note_signed_alike(candidates["full_name"], signer)  # a repair may have made it spell the signed name
    if context.gazetteer is not None:
        check_id_province(candidates, context.gazetteer)
    values = {k: c.value for k, c in candidates.items()}
    crossed = cross_checks(values, decision.doc_type, doctypes.get(decision.doc_type).symbol)
    if place and values.get("issuing_agency") and "signed_date" in candidates:
        crossed.setdefault("signed_date", {})["place_matches_agency"] = place_matches_agency(place, values["issuing_agency"])
    confirm_id_rest_below(candidates.get("id_number"), crossed.get("id_number", {}))
    novelty = calibration.novelty(candidates.values())
    document.type_cues.append(f"novelty:{novelty:.2f}")
    pages = {role.page.page_no: role.page for role in roles}
    for candidate in candidates.values():
        if candidate.label is not None and calibration.novel_label(candidate):
            candidate.flags["unseen_label"] = 1.0
        mark_layout(candidate, pages.get(candidate.page), calibration)
    digit_heights = {role.page.page_no: typed_digit_height(role.page.words) for role in roles}
    symbol_heights = {role.page.page_no: typed_symbol_height(role.page.words) for role in roles}
    for key, candidate in candidates.items():
        flag_weak_words(candidate)
        settle_by_signature(candidate)
        reference = symbol_heights.get(candidate.page) if key == "doc_number" else None
        if candidate.value is not None and in_pen_ink(candidate):
            # routing, not the fit's ``handwritten`` feature: that weight was learned on digits that
            # looked a hand's by their height or glyphs, and on an address it says nothing
            candidate.flags["pen_digits"] = 1.0
        if candidate.value is not None and looks_handwritten(candidate, reference or digit_heights.get(candidate.page)):
            candidate.flags["handwritten"] = 1.0
            candidate.note = candidate.note or "digits look handwritten (taller than the typed ones, or odd glyphs)"
    flag_hand_filled_digits(candidates)
    settle_gender_by_id(candidates, crossed.get("id_number", {}), novelty)
    for key, candidate in candidates.items():
        checks = validate_field(key, candidate.value)
        checks.update({f"x_{name}": ok for name, ok in crossed.get(key, {}).items()})
        features = _features(candidate, checks, decision.score)
        confidence = calibration.field_confidence(features) if candidate.value is not None else 0.0
        result = FieldResult(
            key=key, value=candidate.value, raw=candidate.raw, confidence=confidence, page=candidate.page,
            bbox=candidate.bbox, checks=checks, features=features, note=candidate.note, label=candidate.label,
        )
        # a name or agency with an impossible syllable ("MƯỜNGLA", "NGOK") holds an OCR slip
        odd_syllables = FIELD_KIND.get(key) == "name" or key == "issuing_agency"
        odd_syllables = odd_syllables and candidate.value is not None and features["syllables"] < 1.0
        # "ĐẮK LẮK", "MƯỜNG LA": a unit name found in the units table is no OCR slip
        odd_syllables = odd_syllables and features["unit_known"] != 1.0
        if odd_syllables and result.note is None:
            result.note = "a word of the value is no Vietnamese syllable: OCR slip or ethnic-minority name"
        # administrative prose ("Về việc …", a procedure's name) has no foreign words: one that is no
        # syllable is a slip ("Việt Nara"); capitals inside a word mean a space moved ("đườn GHai")
        slip = _prose_slip(key, candidate.value, context.gazetteer)
        if slip and result.note is None:
            result.note = slip
        if slip and FIELD_KIND.get(key) == "text":
            # a fixed phrase read with other marks has one spelling: the reviewer confirms it, held
            result.value = lexicon.with_phrase_marks(candidate.value, streets=key in PLACE_KEYS)
        # a value its own validator rejects (no date, truncated text, "ỦY BAN NHÂN DÂN" alone) is never accepted
        failed = [name for name, ok in checks.items() if not ok and not name.startswith("x_")]
        weak = weak_evidence(candidate, novelty)
        if weak and result.note is None:
            result.note = weak
        if failed and result.note is None:
            result.note = f"the value fails its own check ({', '.join(failed)}): a misread or cut value"
        unsure = bool(features["handwritten"]) or odd_syllables or bool(slip) or bool(failed) or bool(weak)
        result.features["held"] = 1.0 if unsure else 0.0  # routing, not evidence: no calibration feature
        if unsure and not (features["handwritten"] or odd_syllables or slip or failed):
            for feature in _settled_by_copy(candidate, novelty):
                result.features[feature] = 1.0  # routing too: agree_across_documents may release it
        document.fields[key] = result
    _add_missing_fields(document)
    _resolve_unit(document, context)
    return document


def _unsure_rivalled_unit(candidate: Candidate, fitted, gazetteer: "Gazetteer", lines: list[TextLine] = ()) -> bool:
    """A word of a unit's name read below :data:`PRINTED_CONF` where that unit has a rival in its
    parent (:func:`pipeline.address.rivalled_unit_words`): "Ninh" read at 0.78 where the district
    holds both An Ninh and An Vinh. The units table confirms the name read exists, not that it
    is the one printed; the document printing the unit's name again on another line, with the same
    letters and marks, each of the two readings at :data:`RESTATED_UNIT_CONF` or more
    (:func:`_unit_restated_sure`), does."""
    from pipeline.address import rivalled_unit_words, unit_chain

    if not fitted.levels:
        return False
    rivalled = rivalled_unit_words(fitted.match, gazetteer)
    unsure = [w for w in candidate.words if w.conf < PRINTED_CONF and fold(w.text.strip(",.;:()")) in rivalled]
    if not unsure:
        return False
    names = [unit.name for unit in unit_chain(fitted.match, gazetteer) if unit is not None]
    return any(word.conf < RESTATED_UNIT_CONF or not _unit_restated_sure(word, names, candidate, lines) for word in unsure)


RESTATED_UNIT_CONF = 0.90
"""A unit's rarer syllables are read at 0.90-0.95 wherever printed ("Tăm" 0.91-0.93, "Luông" 0.91 in
the residence and above the signature alike): two readings of the name, each at this or more,
spelling it with the same letters and marks, are two that would have had to slip alike."""


def _unit_restated_sure(word: Word, names: list[str], candidate: Candidate, lines: list[TextLine]) -> bool:
    """Is the unit name that ``word`` (read unsure) belongs to printed again on another line of the
    document, every word of it read at :data:`RESTATED_UNIT_CONF` or more with the same letters and
    marks ("Nậm Tăm, ngày 24 tháng 01 năm 2023" above the signature of a form whose residence reads
    "Xã Nậm Tăm"; "Kính gửi: Ủy ban nhân dân Xã Thanh Luông")? Two readings would have had to slip
    into the same rival unit."""
    spelt = word.text.strip(",.;:()").casefold()
    for name in names:
        name_words = [w.casefold() for w in name.split()]
        if spelt not in name_words:
            continue
        for line in lines:
            if _is_value_line(line, candidate):
                continue
            read = [(w.text.strip(",.;:()").casefold(), w.conf) for w in line.words]
            for start in range(len(read) - len(name_words) + 1):
                run = read[start : start + len(name_words)]
                if [text for text, _ in run] == name_words and min(conf for _, conf in run) >= RESTATED_UNIT_CONF:
                    return True
    return False


def mark_layout(candidate: Candidate, page: PageText | None, calibration: Calibration) -> None:
    """Say how the value was laid out: in a ruled table's cell (``in_table``), or on the lines of the
    page; a layout the calibration's samples never found a value in (``unseen_layout``) is weak
    evidence. The extractor reads a table's row as a line, label and value side by side, but what its
    confidence is worth there only the fit's samples could tell (:meth:`Calibration.knows_layout`).
    A word the engine read ending inside its cell's rule (``ends_in_rule``) is weak evidence too; a
    page's own text layer reads no rule."""
    if candidate.value is None or not candidate.words:
        return
    cells = page.cells if page is not None else []
    layout = TABLE_LAYOUT if in_cell(candidate.words[0].bbox, cells) else LINE_LAYOUT
    if layout == TABLE_LAYOUT:
        candidate.flags["in_table"] = 1.0
        if page.text_source == "ocr" and any(ends_in_rule(w, cells) for w in candidate.words):
            candidate.flags["ends_in_rule"] = 1.0
        if page.text_source == "ocr" and candidate.key in NUMBER_KEYS and _digits_across_rule(candidate, page):
            candidate.flags["group_after"] = 1.0
    if not calibration.knows_layout(layout):
        candidate.flags["unseen_layout"] = 1.0


def _digits_across_rule(candidate: Candidate, page: PageText) -> bool:
    """Did the engine read, unsure, digits across the rule after one of the number's words (its cell's
    last characters run into the next cell's: :func:`pipeline.layout.across_right_rule`)? The number
    may go on there: a CCCD's first nine digits are a valid CMND."""
    return any(any(ch.isdigit() for ch in other.text) and other.conf < LOW_WORD_CONF
               for word in candidate.words for other in across_right_rule(word, page.words, page.cells))


HAND_FLOOR_CONF = 0.30
"""A digit word read below this is one Tesseract could barely make out: on a form, a hand's."""


def _has_pen_ink(words: list[Word]) -> bool:
    return any(w.ink in PEN_INKS for w in words)


def flag_hand_filled_digits(candidates: dict[str, Candidate]) -> None:
    """On a form whose body a hand filled, hold every number and date (``hand_filled``) but those
    the page path read twice alike.

    One hand fills a form's values: when one of them looks handwritten, was written in a pen's
    blue ink (``Word.ink``; a name's letters too) or was read only by guessing a hand's glyphs
    (:data:`~pipeline.extract.HAND_NOTES`: a phone's 0 read as ")"), or a date of it was one
    Tesseract could barely read (typed dates it reads well), the form's other numbers were written
    by that hand too, and Tesseract's confidence on a handwritten 1 read as 7 can still be 0.95 (an
    ID has no check digit to catch it). The signing date is no evidence: typed forms are dated by
    hand at signing. A number or date whose every digit word the second reading (``ocr/digits.py``:
    alone, at a larger scale) read letter for letter at 0.90 or more is not held for the hand: the
    7 a hand's 1 becomes at the page's scale is mostly read 1 at the larger one
    (``pipeline.extract.weigh_second_reading``), and two readings agreeing is the evidence the page's
    confidence alone was not (measured on the Part 6 sets: 45 such values released, none wrong).
    A digit word read in black ink on a page a pen wrote blue on (``Word.ink``, ``ocr/ink.py``) is no
    hand's either (a typed month beside a day the pen wrote, an ID the office typed in): a value each
    digit word of which was read twice alike or printed black is not held (:func:`_no_hands_digits`).
    """
    body = {k: c for k, c in candidates.items() if c.value is not None and k != "signed_date"}
    by_hand = any(c.flags.get("handwritten") or c.note in HAND_NOTES or _has_pen_ink(c.words) for c in body.values()) or any(
        any(any(ch.isdigit() for ch in w.text) and w.page_conf < HAND_FLOOR_CONF for w in c.words)
        for k, c in body.items() if k in DATE_KEYS)
    if not by_hand:
        return
    for key, candidate in candidates.items():
        if candidate.value is None or not (key in NUMBER_KEYS or key in DATE_KEYS):
            continue
        if not _no_hands_digits(candidate):
            candidate.flags["hand_filled"] = 1.0


def _no_hands_digits(candidate: Candidate) -> bool:
    """Is every digit word of the value either read twice alike (``Word.reread_conf``) or printed in
    black ink (``Word.ink``: known only on a page a pen wrote blue on; a word of both inks, a label's
    print read with a hand's digits, is no print)?"""
    with_digits = digit_words(candidate.words)
    return bool(with_digits) and all(w.reread_conf is not None or w.ink == "black" for w in with_digits)


PEN_INK_NOTE = "digits in a pen's blue ink, not read alike a second time: written by hand"

WEAK_EVIDENCE: dict[str, str] = {
    "loose_label": "found by a label that names the field only loosely",
    "whose_unsure": "two people are named above, one by an item the extractor does not know: the value may be either's",
    "cut": CUT_NOTE,
    "tall_mark": "a word of the name read unsure is far taller than its words read sure: a seal's or a stroke's mark read as letters",
    "line_lost": "a line of the value ends at the margin over a line's height of blank, where the engine read no line: the value may go on there",
    "group_after": "a digit group with a letter or a mark read in it follows the number ('038 s49', '530 53⁄4', '512 {990', digits read across its cell's rule): the number may go on past where it was read to end",
    "ends_in_rule": "a word of the value ends inside its cell's rule: a letter touching the line may be misread with it",
    "low_conf_word": "a word of the value was read with low confidence",
    "low_conf_digits": "digits read with low confidence (handwritten?)",
    "unit_changed": "a unit name was repaired into a different existing unit",
    "unit_in_segment": "the commune follows other words without a comma: a comma may have been lost",
    "province_completed": "the province's name was read cut or misread and completed from the district",
    "past_province": "words follow the province's name: the value may run on into the form's next line",
    "id_province_differs": "the ID's province code is not the person's province and its digits were read unsure",
    "second_reading": "the value was taken from a second reading of its digits at a larger scale, which the page's reading did not agree with: likely, not sure",
    "unconfirmed_digits": "a number (ID, phone, house number) read unsure and not confirmed by a second reading",
    "unconfirmed_date": "a birth date's digits read unsure and not confirmed by a second reading: a hand's 1 reads as 7",
    "units_unconfirmed": "the address names units but none is in the units table: cut, run on or misread",
    "unit_rival": "a unit's name was read unsure and another unit of the same parent is a letter or two from it",
    "place_slip": "a hamlet's or house's type word of the address has letters glued to it ('Xómg'): its number was misread",
    "lone_letter": "a lone letter with a mark stands between the hamlet's or house's type word and its number ('Ấp Í 3'): a digit misread",
    "label_word_before": "the name's last word, right before the next item's label, is no known name syllable: it may be that label's",
    "head_mark": "a mark read unsure stands where the name opens ('/ Văn Dũng'): its first word may be lost under it",
    "odd_mark": "a word of the address holds a mark no address is written with ('Xó! 8'): a letter OCR could not read",
    "spaced_number": "the house's or hamlet's number had a digit set apart ('Số 1 7'), read together: which digits belong together is a guess",
    "cut_word": "a word of the address was read cut before its last letter ('đườn G'): the hand that wrote it was misread",
    "odd_street_word": "a word of the street or hamlet, read unsure, is no Vietnamese word ('Nđuyễn'): OCR slip",
    "unit_marks": "a unit the text names is read with other marks than the units table spells it: OCR slip",
    "unseen_label": "found by a label wording the calibration has never seen",
    "unseen_layout": "found in a layout the calibration has never seen (a ruled table's cell)",
    "several": "the document gives this field several values (several people?)",
    "capital_marks": "a name in capitals whose given name, read unsure, is another name with other marks",
    "unmarked_print": "a name in capitals read without marks on a word the repair gave marks to, and no mark of it read sure: it may be printed without marks",
    "split_word": "the name's last word was read in two pieces and made whole: OCR spacing",
    "pen_digits": PEN_INK_NOTE,
    "hand_filled": "a form filled by hand (another of its values shows it): its numbers and dates are a hand's",
    "glued_name": "two words of the name were read as one, unsure: their marks may be misread too",
    "glued_words": "two words of the name were read as one and set apart where their syllables part: OCR spacing, the letters may be misread too",
    "split_digits": "digits of the date stand apart and were read together: the reading is a guess",
    "uneven_date": "the date's day and month have different numbers of digits: a digit may have been lost",
    "misspelt": "the value was read from a misspelt word: the reading is a guess",
    "case_slip": "a name word was read in another case than the name ('NgỌC', 'LỘC') and put in its style: its letters may be misread too",
    "one_word_name": "a full name of one word: the rest of the name was cut or not read",
    "name_guess": "a name word read unsure was repaired into a name that others lie one letter from",
    "wrapped": "a name or number joined across the line's end: the two lines may not be one value",
    "over_page": "the label ends its page and the number opens the next: the two may not be one item",
    "surname_restored": "the surname's first letters were lost and put back from the name signed under the form",
    "from_signature": "the name signed under the form: the signer may not be the person it is about",
    "commune_type_lost": "the address names no commune: a bare name stands before its district, its type word lost",
    "commune_unconfirmed": "the address names a commune the units table does not hold under its district: its name misread",
    "few_units": "the address names its province but no district or commune the units table confirmed: part of it may be lost",
    "signed_marks": "the name signed under the form has other marks on the same letters, and the value's reading is the less sure",
    "short_of_signer": "the name signed under the form goes on past the name read: its last word may be cut",
    "signed_reading": "the name signed under the form, read surer, was taken for the value's unsure or cut reading: the signer may be another person",
    "restated_marks": "the document prints this name again with other marks on the same letters: one reading slipped",
    "short_of_restatement": "the document prints this name again with more words after it: the reading may be cut",
    "header_in_motto": "a line of the header was read into the motto's line: the name read from the rest may be cut",
    "vv_misread": "the subject's 'V/v' was misread: the rest of its line may hold a slip too",
    "id_by_shape": "no label was read for this number: found as the one 12-digit ID whose birth year and gender digits are the person's",
}
NOVELTY_LIMIT = 0.5
"""Above this share of unseen labels, the document's layout family is new to the calibration."""


def weak_evidence(candidate: Candidate, novelty: float) -> str | None:
    """Why the candidate must not be auto-accepted whatever its score, or None.

    The calibration learns how often values are wrong on layouts it has seen; on evidence it
    cannot weigh (a loose label, a cut value, a low-confidence word, a repaired unit, a label
    wording or a layout family it never saw) its score would be over-confident."""
    if candidate.value is None:
        return None
    for flag, why in WEAK_EVIDENCE.items():
        if candidate.flags.get(flag):
            return why
    if _new_layout(candidate, novelty):
        return f"a layout the calibration has not seen (novelty {novelty:.2f})"
    return None


def _new_layout(candidate: Candidate, novelty: float) -> bool:
    """Was ``candidate`` found by a label on a document whose layout the calibration has not seen?"""
    return novelty > NOVELTY_LIMIT and candidate.label is not None


def _capital_inside(token: str) -> bool:
    """A capital after the word's first letter followed by two small letters: "GHai", "NGuyễn"
    (not "TTr", "UBND", "QĐ-UBND", "H'leo")."""
    for i in range(1, len(token) - 2):
        if (token[i].isupper() and token[i - 1].isalpha()
                and token[i + 1].islower() and token[i + 2].islower()):
            return True
    return False


def _prose_slip(key: str, value: str | None, gazetteer: "Gazetteer | None" = None) -> str | None:
    """Why a text value holds an OCR slip no score should let through, or None.

    * a word with a capital inside it followed by small letters ("đườn GHai", "NGuyễn"): OCR moved
      a space or misread a letter's case - abbreviations ("TTr", "HĐND", "QĐ-UBND") do not do that;
    * in administrative prose (``FREE_TEXT_KEYS``), a word that is no Vietnamese syllable and no
      abbreviation ("Việt Nara"): those texts are written in Vietnamese words only, bar the names
      of units the units table (``gazetteer``) spells as read ("Xã Tà Hine").
    """
    if not value or FIELD_KIND.get(key) not in ("text", "name"):
        return None
    if any(_capital_inside(token) for token in value.split()):
        return "a word has a capital inside it: OCR may have moved a space or misread a letter"
    if key in FREE_TEXT_KEYS and syllable_share(_without_known_units(value, gazetteer)) < 1.0:
        return "a word of the text is no Vietnamese word: OCR slip"
    if FIELD_KIND.get(key) == "text":
        # a unit the table spells as read is no slip of a phrase that folds alike ("Xã Tân Hội", the
        # lunar year "Tân Hợi")
        checked = _without_known_units(value, gazetteer) if key in PLACE_KEYS else value
        phrase = lexicon.mark_slip(checked) or (lexicon.street_slip(value) if key in PLACE_KEYS else None)
        if phrase:
            return f"'{phrase}' read with other marks: OCR slip"
        phrase = lexicon.dropped_word(value)
        if phrase:
            return f"'{phrase}' read with a word missing"
    return None


def _without_known_units(value: str, gazetteer: "Gazetteer | None") -> str:
    """``value`` without the unit names the units table spells as read ("Xã Tà Hine", "Thị trấn Ea
    Knốp": ethnic-minority names are no Vietnamese syllables, and no slip either)."""
    if gazetteer is None:
        return value
    from pipeline.address import units_in_text

    for name, known in units_in_text(value, gazetteer):
        if known:
            value = value.replace(name, " ")
    return value


def _add_missing_fields(document: DocumentResult) -> None:
    """A field of the type that was not found is a field for the reviewer (no value, confidence 0),
    so the document goes to review instead of passing as complete."""
    if document.doc_type == "khac":
        return
    for key in doctypes.get(document.doc_type).fields:
        if key not in document.fields:
            document.fields[key] = FieldResult(key=key, status="needs_review", note="not found on the document")


def _resolve_unit(document: DocumentResult, context: AnalysisContext) -> None:
    """Fill ``document.unit`` from the address (or the issuing agency) when a gazetteer is given."""
    if context.gazetteer is None:
        return
    try:
        from pipeline.address import resolve_address
    except ImportError:  # the resolver is written alongside; analysis works without it
        return
    for key in ("address", "construction_site", "place_of_birth", "issuing_agency"):
        field_result = document.fields.get(key)
        if field_result is None or not field_result.value:
            continue
        match = resolve_address(field_result.value, context.gazetteer)
        if match is None:
            continue
        # both eras: the pre-2025 codes (the export's ``unit``) and the 2025 units they became
        document.unit = {**match.unit_codes(), "province_2025": match.new_province_code,
                         "commune_2025": match.new_commune_code}
        field_result.checks["address_resolved"] = True
        return
