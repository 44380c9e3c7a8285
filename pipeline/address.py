"""Administrative units in noisy OCR'd text: a gazetteer and a fuzzy, parent-scoped resolver.

Pure: built from plain :class:`UnitRow` values (``storage.refdata.load_gazetteer`` reads them from
the database at the I/O edge).

How an address is resolved (``resolve_address``)::

    "P. Phúc Xá, Q. Ba Đình, TP Hà Nội"  →  tokens  p phuc xa q ba dinh tp ha noi
                                                    └commune┘└district┘└province┘

The text is folded (lower case, no marks, đ→d) and cut into word tokens. Vietnamese addresses end
with the largest unit, so the search runs from the end: province spans that end at (or just before)
the last token, then district spans that end where the province span starts, matched only against
that province's districts, then commune spans matched only against that district's communes.
Spans are 1-5 tokens, optionally preceded by a type word or abbreviation (``tỉnh``, ``TP``, ``Q.``,
``H.``, ``TX.``, ``P.``, ``X.``, ``TT.`` …) that must agree with the unit's type. Names are compared
with RapidFuzz on the folded form without spaces, so lost accents, OCR letter slips and glued or
split words still match. A district may be missing (the commune is then looked for in the whole
province), and so may the province (the district is then looked for nationwide). The national
motto and 'Ủy ban nhân dân' are dropped first: letter headers glue them to unit names.

Measured on 2,000 generated addresses with abbreviations, lost marks, capitals, missing districts
and one-letter slips (``tests/test_address.py`` runs 400 of them): ~92% exact commune, ~1% wrong
commune, the rest undecided (None) at the commune level; ~1 ms per address.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.text import fold, letters_or_digits, nfc, upper_share
from units.gazetteer import (  # noqa: F401 (re-exported: the resolver's callers name them here)
    _NOT_ALNUM, _TOP, ERA_2025, LEVELS, PRE2025, Gazetteer, UnitKey, UnitRow, _lookalike_key, _Scope,
)

@dataclass(frozen=True)
class AddressMatch:
    """The units an address names (pre-2025 GSO codes) and their 2025 successors."""

    province_code: str | None
    district_code: str | None
    commune_code: str | None
    names: dict[str, str] = field(default_factory=dict)  # level → 'Phường Phúc Xá'
    score: float = 0.0  # 0..1: how well the matched names agree with the text
    new_province_code: str | None = None
    new_commune_code: str | None = None

    def unit_codes(self) -> dict[str, str | None]:
        """The export record's ``unit`` object: {"province": "01", "district": "001", "commune": "00001"}."""
        return {"province": self.province_code, "district": self.district_code, "commune": self.commune_code}


@dataclass(frozen=True)
class UnitMatch:
    """One unit named in a text (e.g. an agency header), with how well it matched."""

    unit: UnitRow
    score: float


# --- type words ------------------------------------------------------------------------------------

# Folded type words and abbreviations, per level, with the unit type they announce.
_MARKERS: dict[str, dict[tuple[str, ...], str]] = {
    "province": {("tinh",): "Tỉnh", ("t",): "Tỉnh", ("thanh", "pho"): "Thành phố", ("tp",): "Thành phố"},
    "district": {
        ("quan",): "Quận", ("q",): "Quận", ("huyen",): "Huyện", ("h",): "Huyện",
        ("thi", "xa"): "Thị xã", ("tx",): "Thị xã", ("thanh", "pho"): "Thành phố", ("tp",): "Thành phố",
    },
    "commune": {
        ("xa",): "Xã", ("x",): "Xã", ("phuong",): "Phường", ("p",): "Phường", ("f",): "Phường",
        ("thi", "tran"): "Thị trấn", ("tt",): "Thị trấn", ("dac", "khu"): "Đặc khu",
    },
}
PLACE_TYPE_WORDS = ("Số", "Xóm", "Thôn", "Tổ", "Ấp", "Khu", "Khóm", "Bản", "Buôn", "Làng", "Đường", "Ngõ", "Ngách",
                    "Hẻm", "Kiệt", "Phố")
"""The words that introduce a house number, a street or a village, as printed: the one list the
address resolver, the type-word repair and the label finder (``pipeline.labels.PLACE_OPENERS``) read."""
STREET_WORDS = frozenset(fold(word) for word in PLACE_TYPE_WORDS)
""":data:`PLACE_TYPE_WORDS` folded: a unit name right after one of them is not the unit ("Thôn Hà Nam")."""
UNIT_TYPE_WORDS = frozenset(
    key[0] for level in _MARKERS.values() for key, name in level.items() if fold(name).split()[0] == key[0]
)
"""The first words of the unit types spelled out ("xa", "phuong", "thanh" of "Thành phố"), not their
abbreviations ("tp", "p")."""
_TRAILING_JUNK = frozenset({"vietnam", "vn"})  # and the pair "viet nam"
# Folded phrases that are never part of an address or unit name, longest first.
_BOILERPLATE = (
    ("cong", "hoa", "xa", "hoi", "chu", "nghia", "viet", "nam"),
    ("cong", "hoa", "xa", "hoi", "chu", "nghia"),
    ("doc", "lap", "tu", "do", "hanh", "phuc"),
    ("uy", "ban", "nhan", "dan"),
    ("hoi", "dong", "nhan", "dan"),
)
_BOILERPLATE_RATIO = 88  # OCR slips ('CHÚ NGHĨA', 'HOÀ') still count
# Common short forms that fuzzy matching cannot guess (pre-2025 province codes).
_PROVINCE_ALIASES = {
    "hn": "01", "tphn": "01", "hcm": "79", "tphcm": "79", "saigon": "79", "sg": "79",
    "hue": "46", "tthue": "46", "brvt": "77", "baria": "77", "vungtau": "77",
}

_MAX_NAME_TOKENS = 5
_MARKER_BONUS = 0.02  # a type word that agrees: prefer the span that includes it
_MARKER_CONFLICT = 0.1  # 'Quận' printed before a Huyện (or a unit re-typed since the scan)
_GAP_PENALTY = 0.05  # per junk token skipped between levels or at the end
_MARKS_WEIGHT = 0.01  # tie-breaker only: names that differ in their marks alone


# --- tokens ----------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_]+|\d+|[,;\n]")


@dataclass(frozen=True)
class _Tokens:
    words: tuple[str, ...]  # folded: 'phuc', 'xa'
    breaks: frozenset[int]  # i in breaks: a comma / line break stands before words[i]
    marked: tuple[str, ...] = ()  # the same words in lower case with their marks: 'phúc', 'xá'

    @classmethod
    def of(cls, text: str) -> _Tokens:
        words: list[str] = []
        marked: list[str] = []
        breaks: set[int] = set()
        # Letters and digits split apart: 'p5' → 'p', '5'; 'q.3' → 'q', '3'.
        for token in _TOKEN.findall(nfc(text).lower()):
            if token in ",;\n":
                breaks.add(len(words))
                continue
            folded = fold(token)
            if folded.isdigit():
                folded = folded.lstrip("0") or "0"  # 'Phường 05' is 'Phường 5'
            if folded.isascii() and folded.isalnum():
                words.append(folded)
                marked.append(token)
        return cls(tuple(words), frozenset(breaks), tuple(marked)).without_boilerplate()

    def without_boilerplate(self) -> _Tokens:
        """Drop the national motto and body names that sit next to unit names in letter headers.

        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' would otherwise read as Xã Cộng Hòa, and two-column
        headers glue 'TỈNH QUẢNG NGÃI' to 'Độc lập - Tự do - Hạnh phúc' on one OCR line.
        A dropped phrase leaves a break, so names are not joined across it.
        """
        found = [
            (fuzz.ratio("".join(self.words[i : i + len(phrase)]), "".join(phrase)), len(phrase), i)
            for phrase in _BOILERPLATE
            for i in range(len(self.words) - len(phrase) + 1)
        ]
        keep = [True] * len(self.words)
        breaks = set(self.breaks)
        # Best-aligned first: a window shifted by one word also scores high, but lower.
        for ratio, length, i in sorted(found, reverse=True):
            if ratio >= _BOILERPLATE_RATIO and all(keep[i : i + length]):
                keep[i : i + length] = [False] * length
                breaks.add(i + length)
        if all(keep):
            return self
        new_index = {old: new for new, old in enumerate(i for i, kept in enumerate(keep) if kept)}
        # A break before a dropped word moves to the next kept word.
        moved = {min((j for j in new_index if j >= b), default=None) for b in breaks}
        return _Tokens(
            tuple(w for w, kept in zip(self.words, keep) if kept),
            frozenset(new_index[j] for j in moved if j is not None),
            tuple(m for m, kept in zip(self.marked, keep) if kept),
        )

    def without_trailing_junk(self) -> _Tokens:
        words = list(self.words)
        while words:
            if words[-2:] == ["viet", "nam"]:
                del words[-2:]
            elif words[-1] in _TRAILING_JUNK or (words[-1].isdigit() and len(words[-1]) >= 5):
                words.pop()  # 'Vietnam', 'VN', postal codes
            else:
                break
        return _Tokens(tuple(words), self.breaks, self.marked[: len(words)])

    def joined(self, start: int, end: int) -> str:
        return "".join(self.words[start:end])

    def joined_marked(self, start: int, end: int) -> str:
        return "".join(self.marked[start:end])

    def crosses_break(self, start: int, end: int) -> bool:
        return any(i in self.breaks for i in range(start + 1, end))


# --- span matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    unit: UnitRow
    score: float  # may exceed 1 by the marker bonus; clamped when reported
    start: int  # first token, including the type word
    ambiguous: bool = False


def _markers_before(tokens: _Tokens, name_start: int, level: str) -> list[tuple[int, str]]:
    """(span start, announced type) for each type word of ``level`` right before the name."""
    found: list[tuple[int, str]] = []
    for words, unit_type in _MARKERS[level].items():
        start = name_start - len(words)
        if start >= 0 and tokens.words[start:name_start] == words and not tokens.crosses_break(start, name_start + 1):
            found.append((start, unit_type))
    return found


def _variants(tokens: _Tokens, name_start: int, level: str) -> list[tuple[int, str | None, bool]]:
    """(span start, announced type, type word included?) for one name.

    The bare name is always a variant too: 'Sơn Tịnh, Quảng Ngãi' without commas reads
    '… tinh quang ngai', where 'tinh' ends the district's name rather than announcing the province.
    A type word that stands there and disagrees costs the bare name as much as it costs the span
    including it, so 'xã Kỳ Anh' still prefers a Xã to the Thị xã of the same name.
    """
    markers = _markers_before(tokens, name_start, level)
    variants = [(start, announced, True) for start, announced in markers]
    variants.append((name_start, markers[0][1] if markers else None, False))
    return variants


def _score(unit: UnitRow, ratio: float, announced: str | None, included: bool, tokens: _Tokens,
           start: int) -> float | None:
    score = ratio / 100.0
    if unit.name[:1].isdigit() and not included:
        return None  # 'Quận 1', 'Phường 5': a bare number is not a unit name
    if announced is not None and announced != unit.unit_type:
        score -= _MARKER_CONFLICT
    elif included:
        score += _MARKER_BONUS
    if not included and start > 0 and tokens.words[start - 1] in STREET_WORDS and start not in tokens.breaks:
        return None  # 'đường Lê Lợi', 'thôn Tân Lập': a street or village with a unit's name
    return score


@functools.lru_cache(maxsize=4096)  # one address asks the same question for several province candidates
def _hits_ending_at(tokens: _Tokens, end: int, level: str, scope: _Scope, limit: int = _TOP) -> tuple[_Hit, ...]:
    """The best units of ``scope`` whose name (with optional type word) ends just before token ``end``."""
    best: dict[tuple[UnitKey, int], _Hit] = {}
    for length in range(1, _MAX_NAME_TOKENS + 1):
        name_start = end - length
        if name_start < 0 or tokens.crosses_break(name_start, end):
            break
        query = tokens.joined(name_start, end)
        marked_query = tokens.joined_marked(name_start, end)
        matches = scope.match(query)
        if level == "province" and query in _PROVINCE_ALIASES:
            alias = next((u for u in scope.units if u.code == _PROVINCE_ALIASES[query]), None)
            matches += [(alias, 100.0)] if alias else []
        for unit, ratio in matches:
            for start, announced, included in _variants(tokens, name_start, level):
                score = _score(unit, ratio, announced, included, tokens, start)
                if score is not None and marked_query != query:
                    # The text kept its marks: let them separate 'Trực Hùng' from 'Trực Hưng'.
                    score += _MARKS_WEIGHT * fuzz.ratio(marked_query, unit.name.lower().replace(" ", "")) / 100
                if score is not None and score > best.get((unit.key, start), _Hit(unit, -1, start)).score:
                    best[(unit.key, start)] = _Hit(unit, score, start)
    return tuple(_rank(list(best.values()), limit))


def _rank(hits: list[_Hit], limit: int) -> list[_Hit]:
    """Best first; a top hit tied with another unit's is marked ambiguous (same name, two places)."""
    hits.sort(key=lambda h: (-h.score, h.start))
    if len(hits) >= 2 and hits[0].unit.key != hits[1].unit.key and hits[1].score >= hits[0].score - 1e-9:
        hits[0] = _Hit(hits[0].unit, hits[0].score, hits[0].start, ambiguous=True)
    return hits[:limit]


def _hits_before(tokens: _Tokens, end: int, level: str, scope: _Scope) -> list[tuple[_Hit, float]]:
    """Hits ending at ``end`` or one junk token earlier, with the penalty for the skipped token."""
    found: list[tuple[_Hit, float]] = []
    for gap in (0, 1):
        if end - gap > 0:
            found += [(hit, gap * _GAP_PENALTY) for hit in _hits_ending_at(tokens, end - gap, level, scope)]
    return found


# --- addresses -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    province: _Hit | None
    district: _Hit | None
    commune: _Hit | None
    penalty: float

    @property
    def hits(self) -> list[_Hit]:
        return [h for h in (self.province, self.district, self.commune) if h is not None]

    @property
    def evidence(self) -> float:
        """What the candidate explains: more matched levels and better matches rank higher."""
        return sum(min(h.score, 1.0 + _MARKER_BONUS) for h in self.hits) - self.penalty


def resolve_address(text: str, gazetteer: Gazetteer, era: str = PRE2025) -> AddressMatch | None:
    """The province / district / commune an address names, or None if none is recognisable.

    Robust to lost accents, OCR letter slips, capitals and the usual abbreviations (TP., Q., P., H.,
    X., TX., TT.). ``score`` is the mean agreement of the matched names with the text; a level that
    could not be decided (missing, or two communes of the same name in the province) is None.
    Archive papers predate the reform, hence pre-2025 codes by default; ``era='2025'`` reads an
    address written after it (province and commune only; the ``new_*`` codes are then the same).
    """
    tokens = _Tokens.of(text).without_trailing_junk()
    if not tokens.words:
        return None
    candidates = _with_province(tokens, gazetteer, era)
    if era == PRE2025:
        candidates += _without_province(tokens, gazetteer)
    if not candidates:
        return None
    return _to_match(max(candidates, key=lambda c: c.evidence), gazetteer)


def _with_province(tokens: _Tokens, gazetteer: Gazetteer, era: str) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    provinces = gazetteer.scope("province", era=era)
    n = len(tokens.words)
    for trailing in range(0, 3):
        for province in _hits_ending_at(tokens, n - trailing, "province", provinces):
            candidates += _below_province(tokens, gazetteer, province, trailing * _GAP_PENALTY)
    return candidates


def _below_province(tokens: _Tokens, gazetteer: Gazetteer, province: _Hit, penalty: float) -> list[_Candidate]:
    found = [_Candidate(province, None, None, penalty)]
    districts = gazetteer.scope("district", province.unit)  # empty after the reform
    for district, gap in _hits_before(tokens, province.start, "district", districts):
        found.append(_Candidate(province, district, None, penalty + gap))
        for commune, gap2 in _hits_before(tokens, district.start, "commune", gazetteer.scope("commune", district.unit)):
            found.append(_Candidate(province, district, commune, penalty + gap + gap2))
    # No district printed (or unreadable): look for the commune in the whole province.
    communes = gazetteer.scope("commune", province.unit)
    for commune, gap in _hits_before(tokens, province.start, "commune", communes):
        found.append(_Candidate(province, None, commune, penalty + gap))
    # A district printed but read as none of the province's ("Huyện Sơn Hè": a short name one letter
    # off, too close to chance to match): the commune before its part still names it.
    skipped = _part_before(tokens, province.start, "district")
    if skipped is not None and len(found) == 1:
        for commune, gap in _hits_before(tokens, skipped, "commune", communes):
            found.append(_Candidate(province, None, commune, penalty + gap + _UNREAD_DISTRICT_PENALTY))
    return found


_UNREAD_DISTRICT_PENALTY = 0.1
"""What a district part read as no district costs the commune found before it: the commune then
decides the district (its own), as when no district is printed."""


def _part_before(tokens: _Tokens, end: int, level: str) -> int | None:
    """The start of the comma-separated part that ends at ``end`` when it opens with a type word of
    ``level`` and holds a name of at most :data:`_MAX_NAME_TOKENS` words ("…, Huyện Sơn Hè, Tỉnh …",
    "…, Tỉnh Hỏi pương"), or None."""
    start = max((b for b in tokens.breaks if b < end), default=None)
    if start is None or end - start < 2:
        return None
    for words in _MARKERS[level]:
        if tokens.words[start : start + len(words)] == words and 0 < end - start - len(words) <= _MAX_NAME_TOKENS:
            return start
    return None


def _without_province(tokens: _Tokens, gazetteer: Gazetteer) -> list[_Candidate]:
    """No province recognisable at the end: a district anywhere in the country, then its commune. The
    district ends the address, or comes before a province part read as no province ("…, Huyện Gia
    Lộc, Tỉnh Hỏi pương": :func:`_part_before`), which then costs it
    :data:`_UNREAD_PROVINCE_PENALTY`: the district names its province."""
    candidates: list[_Candidate] = []
    n = len(tokens.words)
    ends = [(n, 0.0)]
    unread = _part_before(tokens, n, "province")
    if unread is not None and not _names_a_province(tokens, unread, n, gazetteer):
        ends.append((unread, _UNREAD_PROVINCE_PENALTY))
    for end, penalty in ends:
        for district in _hits_ending_at(tokens, end, "district", gazetteer.scope("district")):
            if district.ambiguous:
                continue  # 'Huyện Châu Thành' exists in six provinces
            candidates.append(_Candidate(None, district, None, penalty))
            communes = gazetteer.scope("commune", district.unit)
            candidates += [_Candidate(None, district, c, penalty + gap)
                           for c, gap in _hits_before(tokens, district.start, "commune", communes)]
    return candidates


_UNREAD_PROVINCE_PENALTY = 0.1
"""What a province part read as no province costs the district found before it."""


def _names_a_province(tokens: _Tokens, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Do the tokens from ``start`` to ``end`` spell a province's name, with or without its type word?
    Then it was read, and a district of another province before it does not overrule it."""
    return any(tokens.joined(k, end) == fold(unit.name).replace(" ", "") for k in range(start, end)
               for unit in gazetteer.scope("province").units)


def _to_match(candidate: _Candidate, gazetteer: Gazetteer) -> AddressMatch:
    commune = candidate.commune.unit if candidate.commune and not candidate.commune.ambiguous else None
    district = candidate.district.unit if candidate.district else None
    if district is None and commune is not None and commune.era == PRE2025:
        district = gazetteer.parent(commune)  # found in the whole province: its own district
    province = candidate.province.unit if candidate.province else (gazetteer.parent(district) if district else None)
    decided = [h for h in candidate.hits if not h.ambiguous]
    score = sum(min(h.score, 1.0) for h in decided) / max(len(decided), 1) - candidate.penalty
    if candidate.province is None:
        score *= 0.9  # the province was inferred, not read
    new_province, new_commune = _successors(gazetteer, province, district, commune)
    names = {u.level: u.full_name for u in (province, district, commune) if u is not None}
    return AddressMatch(
        province_code=province.code if province else None,
        district_code=district.code if district else None,
        commune_code=commune.code if commune else None,
        names=names,
        score=round(max(0.0, min(score, 1.0)), 3),
        new_province_code=new_province,
        new_commune_code=new_commune,
    )


def _successors(gazetteer: Gazetteer, province: UnitRow | None, district: UnitRow | None,
                commune: UnitRow | None) -> tuple[str | None, str | None]:
    """The 2025 province and commune codes; island districts map straight to a 2025 commune."""
    if (province or commune) and (province or commune).era == ERA_2025:
        return (province.code if province else None), (commune.code if commune else None)
    for old in (commune, district):
        new = gazetteer.successors(old) if old else []
        if new:
            parent = gazetteer.parent(new[0])
            return (parent.code if parent else None), new[0].code
    new_provinces = gazetteer.successors(province) if province else []
    return (new_provinces[0].code if new_provinces else None), None


# --- unit names (agency headers) -------------------------------------------------------------------


def resolve_unit_name(text: str, gazetteer: Gazetteer, level: str, parent: str | None = None,
                      era: str = PRE2025) -> UnitMatch | None:
    """The unit of ``level`` named anywhere in ``text``, e.g. 'ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI'.

    ``parent`` (a GSO code: a province for districts; a district or province for communes)
    restricts the search. A name announced by its type word ('TỈNH', 'HUYỆN', 'UBND XÃ' …) wins
    over the same name elsewhere in the text.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    within = _parent_unit(gazetteer, parent, era)
    scope = gazetteer.scope(level, within, era)
    tokens = _Tokens.of(text)
    hits = [hit for end in range(1, len(tokens.words) + 1) for hit in _hits_ending_at(tokens, end, level, scope)]
    if not hits:
        return None
    best = _rank(hits, 1)[0]
    if best.ambiguous:
        return None
    return UnitMatch(best.unit, round(min(best.score, 1.0), 3))


def _parent_unit(gazetteer: Gazetteer, code: str | None, era: str) -> UnitRow | None:
    if code is None:
        return None
    level = "province" if len(code) == 2 else "district" if len(code) == 3 else "commune"
    unit = gazetteer.unit(era, level, code)
    if unit is None:
        raise ValueError(f"unknown parent unit {code!r} in era {era}")
    return unit


# --- canonical spelling of the unit part of a field ----------------------------------------------

_SEGMENT_RATIO = 85.0
"""How closely a comma-separated segment must read as the resolved unit's full name to be replaced
by it ('Huyện Tuyên Hóá' → 'Huyện Tuyên Hóa', 'Xã Thanhrâm' → 'Xã Thanh Lâm')."""
_HEAD_WORDS = {"so": "Số", "thon": "Thôn", "xom": "Xóm", "ap": "Ấp", "duong": "đường", "ngo": "ngõ", "hem": "hẻm"}
"""Words that open the street or village part of an address; one spelling each once folded
("tổ"/"tờ", "bản"/"ban" are not: both spellings open segments)."""


_NAMED_AFTER_UNIT = frozenset({"tram y te", "trung tam y te", "benh vien", "benh vien da khoa", "uy ban nhan dan",
                               "nha van hoa", "truong mam non", "truong tieu hoc", "truong trung hoc co so"})
"""Places named after their commune ("Trạm Y tế Xã Ia Kla", "Bệnh viện Đa khoa Huyện Krông Pa"): such
a name before the unit's type word is no street or village that lost its comma."""


_SEGMENT_BREAK = re.compile(r"[,;]|\.(?=\s*(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s)", re.IGNORECASE)


@dataclass(frozen=True)
class CanonicalAddress:
    """An address field with its unit names spelled as in the units table."""

    value: str
    match: AddressMatch | None
    levels: int
    """How many trailing segments were confirmed as the resolved units (0-3)."""
    head: str
    """The part before the units (house number, street, village), as read."""
    changed: bool
    ambiguous_repair: bool = False
    """A unit name was changed into another unit's while the table holds more than one unit that
    close to the reading (or the reading is itself a unit): the repair may pick the wrong one."""
    unit_in_segment: bool = False
    """The commune ends a comma-separated part that other words open ("đường Quang Trung Xã Tú
    Sơn"): a named place or a comma OCR lost - which one, the text does not say. Not set when
    those words are a kind of place named after its commune (``_NAMED_AFTER_UNIT``: "Trạm Y tế Xã
    Ia Kla")."""
    ends_with_province: bool = False
    """The last part reads as the resolved province: the address is whole (it may have reached the
    line's end, nothing of it is cut)."""
    province_completed: bool = False
    """The province's name was read cut ("…, Thành phố Long Khánh, Tỉnh Đồng": "Nai" wrapped away
    and never read) or its last word misread ("Tỉnh Bắc TÓn") and put back from the one province
    whose name starts so and holds the district read: likely right, but not what was read."""


def _compact(text: str) -> str:
    """Comparison key of a printed name: folded, no spaces or punctuation, OCR look-alikes made one."""
    return _lookalike_key(_NOT_ALNUM.sub("", fold(text)))


def canonical_address(text: str, gazetteer: Gazetteer) -> CanonicalAddress:
    """Resolve ``text`` and replace its trailing unit segments by their official names.

    Addresses are printed "<street or village>, <commune>, <district>, <province>": each trailing
    comma-separated segment that reads closely as the resolved unit of its level is replaced by
    that unit's full name (in the segment's case style). The resolver is scoped by parent, so a
    commune is only ever replaced by a commune of the district read. Nothing is guessed: a segment
    that does not agree stops the replacement.
    """
    text = _GLUED_UNIT_TYPE.sub(r"\1 \2", text)  # "Huyện Ứng Hòa. Thànhphố Hà Nội": OCR lost the space
    text = _GLUED_UNIT_NAME.sub(r"\1 ", text)  # "Tỉnhcao Bằng": the type word glued to its name, its capital read small
    fitted = _canonical_address(text, gazetteer)
    if fitted.levels < 3:
        completed = _complete_province(text, gazetteer)
        if completed is not None:
            again = _canonical_address(completed, gazetteer)
            if again.levels >= 2 and again.levels > fitted.levels:
                return replace(again, changed=True, ends_with_province=False, province_completed=True)
    return fitted


def _canonical_address(text: str, gazetteer: Gazetteer) -> CanonicalAddress:
    """:func:`canonical_address` of ``text`` as read."""
    match = resolve_address(text, gazetteer)
    if match is None:
        return CanonicalAddress(text, None, 0, text, False)
    # commas, or a semicolon or full stop that OCR made of one ("Phường 3. Quận Tân Bình")
    segments = [s.strip() for s in _SEGMENT_BREAK.split(text)]
    segments, country = _split_country(segments)  # "…, Tỉnh Bình Dương, Việt Nam": units end before it
    fitted = _with_country(_fit_segments(text, segments, match, gazetteer), country)
    # a comma OCR lost before a district or province ("Thị xã Hoài Nhơn Tỉnh Bình Định"): put it
    # back only if the units then read right
    split: list[str] = []
    first_cut = None  # index of the first piece a put-back comma ends
    for segment in segments:
        parts = _LOST_COMMA.split(segment)
        if len(parts) > 1 and first_cut is None:
            first_cut = len(split)
        split += parts
    if first_cut is not None:
        again = _fit_segments(text, split, match, gazetteer)
        # both sides of every put-back comma must be units ("Bệnh viện Đa khoa Tỉnh X" keeps its text)
        if again.levels > fitted.levels and first_cut >= len(split) - again.levels:
            return _with_country(again, country)
    return fitted


_COUNTRY = ("vietnam", "vn")
_GLUED_UNIT_TYPE = re.compile(r"\b(thành|thị)(phố|xã|trấn)\b", re.IGNORECASE)
_GLUED_UNIT_NAME = re.compile(r"\b((?i:tỉnh|huyện|quận|phường|xã))(?=[a-zà-ỹđ]{2,}\b)")
_PROVINCE_TYPE_OF = {("tỉnh",): "Tỉnh", ("thành", "phố"): "Thành phố", ("tp",): "Thành phố", ("tp.",): "Thành phố"}
"""A province's type words as read (lower case) and the unit type they name."""
_PROVINCE_TYPES = tuple(_PROVINCE_TYPE_OF)


_MISREAD_PROVINCE_RATIO = 60.0
"""A province's name read with every word misread is still like it by this ratio ("hoipuong" for
"haiduong"): the district before it, which must read as one of its own, decides."""


def _complete_province(text: str, gazetteer: Gazetteer) -> str | None:
    """``text`` with its last part, a province's type word and part of its name
    (:func:`_part_of_name_read`: "Tỉnh Đồng", "Tỉnh An", "Tỉnh Bắc TÓn", "Tỉnh Hỏi pương"), or the
    type word alone (the name wrapped to a line the value did not take: "…, Huyện Bình Sơn, Tỉnh" /
    "Quảng Ngãi ..k."), made the whole name, when exactly one province of that type so read holds a
    district the part before reads as; else None. A province read whole, or one that several
    provinces so read share with the district read, is left alone."""
    segments = [s.strip() for s in text.split(",")]
    if len(segments) < 3 or _SEGMENT_BREAK.search(segments[-1]):
        return None
    words = segments[-1].split()
    for type_words in _PROVINCE_TYPES:
        n = len(type_words)
        if [w.casefold() for w in words[:n]] == list(type_words):
            rest = [w.casefold() for w in words[n:]]
            break
    else:
        return None
    if _is_province_name(segments[-1], gazetteer):
        return None
    fits = []
    for province in gazetteer.children(None):
        if not rest and _PROVINCE_TYPE_OF.get(type_words) != province.unit_type:
            continue  # a type word alone: "Tỉnh" is no "Thành phố Hà Nội"
        children = gazetteer.children(province)
        if not rest:
            # nothing of the name read: the district, read letter for letter, must say it alone
            if _reads_exactly_as_one_of(segments[-2], children):
                fits.append(province)
        elif _part_of_name_read(rest, province.name):
            if _reads_exactly_as_one_of(segments[-2], children) or _closest_child(segments[-2], children) is not None:
                fits.append(province)
    if len(fits) != 1:
        return None
    name = fits[0].name.upper() if upper_share(segments[-1]) > 0.8 else fits[0].name
    return ", ".join(segments[:-1] + [" ".join(words[: len(words) - len(rest)] + [name])])


def _part_of_name_read(rest: list[str], name: str) -> bool:
    """Do the words read after a province's type word (``rest``, case folded) read as part of its
    ``name``: its first words, the rest wrapped away ("Tỉnh Đồng"); its last, the first lost ("Tỉnh
    An" for Long An); all of them with the last misread ("Tỉnh Bắc TÓn": Bắc Kạn, Bắc Ninh, Bắc
    Giang), or every word misread, loosely like it still ("Tỉnh Hỏi pương" for Hải Dương,
    :data:`_MISREAD_PROVINCE_RATIO`)? The district before it tells which province it is."""
    words = [w.casefold() for w in name.split()]
    if len(words) > len(rest):
        return words[: len(rest)] == rest or words[-len(rest):] == rest
    return len(rest) >= 2 and len(words) == len(rest) and (
        words[:-1] == rest[:-1] or fuzz.ratio(_compact(" ".join(rest)), _compact(name)) >= _MISREAD_PROVINCE_RATIO)


def _reads_exactly_as_one_of(segment: str, units: list[UnitRow]) -> bool:
    """Does ``segment`` spell one of ``units``' full names letter for letter (a rival one letter apart,
    "Huyện Bảo Lạc" beside "Huyện Bảo Lâm", does not make it less read)?"""
    return any(_compact(u.full_name) == _compact(segment) for u in units)


def _split_country(segments: list[str]) -> tuple[list[str], list[str]]:
    """(the address's segments, the country segments that end it), e.g. "…, Tỉnh X" / "Việt Nam"."""
    end = len(segments)
    while end > 1 and _compact(segments[end - 1]) in _COUNTRY:
        end -= 1
    return segments[:end], segments[end:]


def _is_province_name(text: str, gazetteer: Gazetteer) -> bool:
    """Is ``text`` exactly a province's name, with or without its type word ("Tỉnh Bắc Kạn", "Hà Nội")?"""
    compact = _compact(text)
    return any(compact in (_compact(u.full_name), _compact(u.name)) for u in gazetteer.scope("province").units)


def _with_country(fitted: CanonicalAddress, country: list[str]) -> CanonicalAddress:
    """``fitted`` with the country segments it was read without put back at its end."""
    if not country:
        return fitted
    return replace(fitted, value=", ".join([fitted.value, *country]))


def ends_with_province(text: str, gazetteer: Gazetteer) -> bool:
    """Does the address's last part (a country aside) read exactly as a province's name, with or
    without its type word ("…, Tỉnh Bắc Kạn", "…, Hà Nội")? Then nothing of it is left to come.
    So does a place named after its province ("Bệnh viện Đa khoa Tỉnh Lâm Đồng"): its last words
    are the province's type word and name."""
    segments, _ = _split_country([s.strip() for s in _SEGMENT_BREAK.split(text) if s.strip()])
    if len(segments) == 1:
        words = segments[0].split()
        # a province alone is no address's end: "Tỉnh Gia" / "Lai" may follow
        return any(_is_province_name(" ".join(words[-k:]), gazetteer) and fold(words[-k]) in ("tinh", "thanh")
                   for k in range(2, min(len(words), 6)))
    return bool(segments) and _is_province_name(segments[-1], gazetteer)


def runs_past_province(text: str, gazetteer: Gazetteer) -> bool:
    """Does the address's last part open with a province's name and go on with other words ("…,
    Tỉnh Bắc Kạn Hiện em đang là học sinh lớp")? The province ends a Vietnamese address (a country
    name aside): words after it are the next line of the form, run on into the value."""
    segments = [s.strip() for s in _SEGMENT_BREAK.split(text) if s.strip()]
    words = segments[-1].split() if segments else []
    for k in range(1, len(words)):
        rest = _compact(" ".join(words[k:]))
        if rest in _COUNTRY or not rest:
            continue
        if _is_province_name(" ".join(words[:k]), gazetteer):
            return True
    return False


_LOST_COMMA = re.compile(r"(?<=[^\W\d_])\s+(?=(?:Tỉnh|TỈNH|Thành phố|THÀNH PHỐ|Huyện|HUYỆN|Quận|QUẬN|Thị xã|THỊ XÃ)\s)")


def _fit_segments(text: str, segments: list[str], match: AddressMatch, gazetteer: Gazetteer) -> CanonicalAddress:
    """:func:`canonical_address` on ``text`` cut into ``segments``."""
    out = list(segments)
    j, levels = len(segments) - 1, 0
    parent: UnitRow | None = None
    province: UnitRow | None = None
    head_extra = ""
    ambiguous = in_segment = province_end = False
    for level in ("province", "district", "commune"):
        name = match.names.get(level)
        if j < 0:
            break
        segment = segments[j].strip(" .;:\"'`_")
        # "Trạm Y tế Xã Ia Kla": a place named before the unit stays, the unit is the segment's end
        words = segment.split()
        found: UnitRow | None = None  # the unit found here among the parent's children, not by the resolver
        if name is None and parent is not None:
            children = gazetteer.children(parent)
            name = _closest_child(segment, children)
            for k in range(2, min(len(words), 7)):
                if name is None:
                    name = _closest_child(" ".join(words[-k:]), children)
            found = next((u for u in children if u.full_name == name), None)
        if name is None:
            continue
        scope_parent = parent or (province if level == "commune" else None)
        code = {"province": match.province_code, "district": match.district_code}.get(level)
        # a district the resolver missed ("Huyện ĐÐa KFrông") but found here is the commune's parent
        parent = gazetteer.unit(PRE2025, level, code) if code else found
        province = parent if level == "province" else province
        width = len(name.split())
        prefix, tail = words[:-width] if len(words) > width else [], " ".join(words[-width:])
        if fuzz.ratio(_compact(segment), _compact(name)) >= _SEGMENT_RATIO:
            prefix, tail = [], segment
        elif not (prefix and level == "commune" and fuzz.ratio(_compact(tail), _compact(name)) >= _SEGMENT_RATIO):
            break
        upper = upper_share(tail) > 0.8
        if _compact(tail) != _compact(name):
            # a repair that changes letters stands only when the rest of the address pins the unit:
            # its parent was read (a commune's district, a district's province) and no other unit of
            # that parent reads about as close
            parent_read = level == "province" or (scope_parent is not None and scope_parent.level == _PARENT_LEVEL[level])
            if not parent_read or _unit_rivals(tail, gazetteer.scope(level, scope_parent).units) != 1:
                ambiguous = True
        unit = name.upper() if upper else name
        # "đường Quang Trung Xã Tú Sơn": a street or village before the commune's type word lost its
        # comma (a place named before a unit, "Trạm Y tế Xã Ia Kla", keeps the text as read); the
        # value stays unsure either way (``unit_in_segment``)
        street_first = bool(prefix) and fold(prefix[0]) in _HEAD_WORDS and fold(tail).split()[:1] == fold(name).split()[:1]
        out[j] = f"{' '.join(prefix)}, {unit}" if street_first else " ".join(prefix + [unit])
        province_end = province_end or (level == "province" and j == len(segments) - 1 and not prefix)
        in_segment = in_segment or (bool(prefix) and fold(" ".join(prefix)) not in _NAMED_AFTER_UNIT)
        j, levels = j - 1, levels + 1
        head_extra = " ".join(prefix)
    head = [_head_words(s, opens_address=(i == 0)) for i, s in enumerate(out[: j + 1])]
    value = ", ".join(head + out[j + 1 :])
    return CanonicalAddress(value, match, levels, ", ".join(head + ([head_extra] if head_extra else [])), value != text,
                            ambiguous, in_segment, province_end)


_PARENT_LEVEL = {"district": "province", "commune": "district"}
_RIVAL_MARGIN = 8.0
"""A unit this close to the best reading (ratio points) is a rival: one letter apart in a name."""


def _unit_rivals(reading: str, units: list[UnitRow]) -> int:
    """How many units of the scope read as ``reading`` about as well as the best one (type word
    and name, or name alone); the reading itself being a unit's exact name counts as a rival."""
    key = _compact(reading)
    scores = [max(fuzz.ratio(key, _compact(u.full_name)), fuzz.ratio(key, _compact(u.name))) for u in units]
    if not scores:
        return 0
    best = max(scores)
    return sum(score >= best - _RIVAL_MARGIN and score >= _SEGMENT_RATIO - _RIVAL_MARGIN for score in scores)


def _closest_child(segment: str, children: list[UnitRow]) -> str | None:
    """The full name of the one unit among ``children`` that ``segment`` reads as (type word
    included, so "Xã la Kla" finds "Xã Ia Kla"), None when none or two come close. One spelt as
    read, marks and all, is that one, however close another is ("Phường Sa Pa" beside "Phường Sa
    Pả", both of Thị xã Sa Pa)."""
    exact = [u.full_name for u in children if u.full_name.casefold() == segment.strip().casefold()]
    if len(exact) == 1:
        return exact[0]
    key = _compact(segment)
    scored = sorted(((fuzz.ratio(key, _compact(u.full_name)), u.full_name) for u in children), reverse=True)
    if not scored or scored[0][0] < _SEGMENT_RATIO or (len(scored) > 1 and scored[1][0] > scored[0][0] - 10):
        return None
    return scored[0][1]


_NUMBERED_TYPES = ("Tổ dân phố", "Khu phố", "Thôn", "Xóm", "Khóm", "Bản", "Ấp", "Tổ", "Khu")
"""Type words of a numbered hamlet or quarter ("Thôn 5", "Tổ dân phố 2")."""
_HEAD_NUMBER = re.compile(r"[“”\"'(]?(\d{1,4}[A-Za-z]?,?)")


def _numbered_type(words: list[str]) -> list[str]:
    """``words`` with the type word before a hamlet's number read back as the one it is: a piece
    split off ("T hôn 5"), a letter slipped ("Thên 4", "7ổ dân phố 2", "Khu Dhố 14", four letters
    or more), a mark before the number ('Xóm “7')."""
    at = next((i for i, w in enumerate(words[:4]) if _HEAD_NUMBER.fullmatch(w)), None)
    if not at:
        return words
    opening, number = words[:at], _HEAD_NUMBER.fullmatch(words[at]).group(1)
    key = re.sub(r"[\W_]", "", fold("".join(opening)))
    exact = [t for t in _NUMBERED_TYPES if fold(t).replace(" ", "") == key]
    near = [t for t in _NUMBERED_TYPES if len(key) >= 4 and Levenshtein.distance(fold(t).replace(" ", ""), key) == 1]
    found = exact or near
    if len(found) != 1 or (exact and [fold(w) for w in opening] == fold(found[0]).split() and number == words[at]):
        return words
    styled = found[0].upper() if "".join(opening).isupper() and len(key) > 1 else found[0]
    return styled.split() + [number] + words[at + 1:]


def _head_words(segment: str, opens_address: bool = False) -> str:
    """Marks back on the words that open a street or village ('Sõ 288' → 'Số 288', 'Âp 2' → 'Ấp 2');
    a numbered hamlet's type word read back (:func:`_numbered_type`). The address's very first word,
    a house number's or hamlet's, takes its capital ('số 150, đường …': a hand's capital S read small;
    an address opens with a capital in every format it is written in)."""
    words = _numbered_type(segment.split())
    glued = {"khupho": "Khu phố", "todanpho": "Tổ dân phố"}  # "Khuphố 3"
    if words and fold(words[0]) in glued:
        words[0:1] = glued[fold(words[0])].split()
    elif len(words) > 1 and fold(words[0]) + fold(words[1]) in glued:  # "Tổdân phố 13"
        words[0:2] = glued[fold(words[0]) + fold(words[1])].split()
    if words:
        key = fold(words[0])
        fixed = _HEAD_WORDS.get(key)
        if fixed is not None and words[0] != fixed and fold(fixed) == key:
            words[0] = fixed.upper() if words[0].isupper() and len(words[0]) > 1 else (
                fixed[0].upper() + fixed[1:] if words[0][0].isupper() else fixed[0].lower() + fixed[1:])
        if opens_address and fixed is not None and fixed[0].isupper() and words[0][0].islower():
            words[0] = words[0][0].upper() + words[0][1:]
    return " ".join(words)


_AGENCY_UNIT = re.compile(r"^(?P<body>.*?\b)(?P<type>TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s+(?P<name>[^\W\d_][\w\s\-']*)$",
                          re.IGNORECASE)
_AGENCY_LEVELS = {"tinh": ("province",), "thanh pho": ("province", "district"), "huyen": ("district",),
                  "quan": ("district",), "thi xa": ("district",), "xa": ("commune",), "phuong": ("commune",),
                  "thi tran": ("commune",)}


def canonical_agency(text: str, gazetteer: Gazetteer) -> tuple[str, bool | None]:
    """("ỦY BAN NHÂN DÂN HUYỆN TÂN KỲ", known?) from an agency read as "… HUYỆN TÂN KỶ".

    The unit named after the last type word is looked up among all units of that level: when its
    unmarked name belongs to units that are all spelled one way, that spelling is used. ``known``
    is True when the name (after repair) is a real unit's, False when no unit has that name, None
    when the agency names no unit ("SỞ TƯ PHÁP").
    """
    found = _AGENCY_UNIT.match(text.strip())
    if found is None:
        return text, None
    name = found.group("name").strip()
    levels = _AGENCY_LEVELS.get(fold(found.group("type")), ())
    unit_type = fold(found.group("type"))
    spellings = {  # compared without spaces and apostrophes: "M ĐRẮK" is M'Đrắk
        u.name for level in levels for u in gazetteer.scope(level).units
        if _compact(u.folded_name) == _compact(name) and fold(u.unit_type) == unit_type
    }
    if len(spellings) != 1:
        return text, (None if not levels else (len(spellings) > 1 and name.casefold() in {s.casefold() for s in spellings}))
    right = spellings.pop()
    right = right.upper() if upper_share(name) > 0.8 else right
    return f"{found.group('body')}{found.group('type')} {right}", True


UNIT_RIVAL_EDITS = 2
"""A unit whose name lies within this many letters of another's of the same parent ("Tam Bình" /
"Tân Bình", "Phường 3" / "Phường 8") could be that other one misread."""


def unrivalled_levels(match: AddressMatch | None, gazetteer: Gazetteer) -> int:
    """How many of the address's units, from the province down, are each the only unit of their
    parent within :data:`UNIT_RIVAL_EDITS` letters of their name (0-3). A rival of a district or
    a province counts only if it holds a unit of the same name as the one read below it: a misread
    district would have to hold the commune read too. For those levels the table and the rest of
    the address agree on exactly one unit: OCR doubt about their words cannot make the value
    another real address."""
    if match is None or None in (match.commune_code, match.district_code, match.province_code):
        return 0
    chain = [gazetteer.unit(PRE2025, level, code) for level, code in
             (("commune", match.commune_code), ("district", match.district_code), ("province", match.province_code))]
    if None in chain:
        return 0
    commune, district, province = chain
    levels = 0
    for unit, parent, child in ((province, None, district), (district, province, commune), (commune, district, None)):
        if _has_rival(unit, parent, child, gazetteer):
            return levels
        levels += 1
    return levels


def _has_rival(unit: UnitRow, parent: UnitRow | None, child: UnitRow | None, gazetteer: Gazetteer) -> bool:
    """Does another unit of ``parent`` lie within :data:`UNIT_RIVAL_EDITS` letters of ``unit``'s name
    (and hold a unit named as ``child``, when the address names one below it)?"""
    return bool(_rivals(unit, parent, child, gazetteer))


def _rivals(unit: UnitRow, parent: UnitRow | None, child: UnitRow | None, gazetteer: Gazetteer) -> list[UnitRow]:
    """The other units of ``parent`` within :data:`UNIT_RIVAL_EDITS` letters of ``unit``'s name (each
    holding a unit named as ``child``, when the address names one below it)."""
    key = _compact(unit.name)
    return [other for other in gazetteer.scope(unit.level, parent).units
            if other.key != unit.key and Levenshtein.distance(_compact(other.name), key) <= UNIT_RIVAL_EDITS
            and (child is None or any(_compact(c.name) == _compact(child.name) for c in gazetteer.scope(child.level, other).units))]


def unit_chain(match: AddressMatch | None, gazetteer: Gazetteer) -> list[UnitRow | None]:
    """The units an address match names (pre-2025 era), province, district, commune; None where unnamed."""
    if match is None:
        return []
    levels = (("province", match.province_code), ("district", match.district_code), ("commune", match.commune_code))
    return [gazetteer.unit(PRE2025, level, code) if code else None for level, code in levels]


def rivalled_unit_words(match: AddressMatch | None, gazetteer: Gazetteer) -> set[str]:
    """The words (folded) by which the address's units differ from a rival: another unit of the same
    parent within :data:`UNIT_RIVAL_EDITS` letters ("Ninh" of An Ninh, whose district holds An Vinh;
    not "An"). OCR that misread one of their letters would still spell a real unit, so the table
    cannot vouch for them; a word the rival shares ("Trà" of Trà Thủy and Trà Thanh) spells no other
    unit however misread. Provinces and districts count as rivalled as :func:`unrivalled_levels`
    counts them."""
    if match is None:
        return set()
    chain = unit_chain(match, gazetteer)
    words: set[str] = set()
    for index, unit in enumerate(chain):
        if unit is None:
            continue
        parent = chain[index - 1] if index else None
        if index and parent is None:
            continue
        child = chain[index + 1] if index + 1 < len(chain) else None
        own = unit.name.lower().split()
        for rival in _rivals(unit, parent, child, gazetteer):
            theirs = set(rival.name.lower().split())
            words |= {fold(word) for word in own if word not in theirs}
    return words


def confirmed_unit_words(words: list[str], fitted: CanonicalAddress, gazetteer: Gazetteer) -> int:
    """How many trailing ``words`` of an address as read are unit names the units table confirmed
    as the one unit they can be (:func:`unrivalled_levels`: the province's words, then the
    district's, then the commune's). 0 unless the value was fitted whole and plainly: three levels
    in their own parts at the end, no repair the table could not pin, no province completed, no
    unit sharing its part with other words. A word that spans two parts ("phố13,Xã") is not counted."""
    if (fitted.levels < 3 or not fitted.ends_with_province or fitted.ambiguous_repair or fitted.unit_in_segment
            or fitted.province_completed or fitted.match is None):
        return 0
    fitted_parts = [p.strip() for p in _SEGMENT_BREAK.split(fitted.value)]
    names = [fitted.match.names.get(level) for level in ("commune", "district", "province")]
    if len(fitted_parts) < 4 or None in names or [p.casefold() for p in fitted_parts[-3:]] != [n.casefold() for n in names]:
        return 0
    text, starts = "", []
    for word in words:
        starts.append(len(text) + (1 if text else 0))
        text = f"{text} {word}" if text else word
    breaks = sorted(m.start() for m in _SEGMENT_BREAK.finditer(text) if _letters_after(text, m.end()))
    if len(breaks) + 1 != len(fitted_parts):  # a comma OCR lost before a district or province, put back
        breaks = sorted(breaks + [m.start() for m in _LOST_COMMA.finditer(text)])
    if len(breaks) + 1 != len(fitted_parts):
        return 0  # the words cannot be told apart by part
    levels = unrivalled_levels(fitted.match, gazetteer)
    if not levels:
        return 0
    opening = breaks[-levels]
    tail = sum(start > opening for start in starts)
    if tail == len(words) or not all(_plain_head_word(word) for word in words[: len(words) - tail]):
        return 0
    return tail


_HEAD_LOWER = frozenset({"so", "duong", "pho", "ngo", "ngach", "hem", "kiet", "to", "dan", "khu", "thon", "xom", "ap",
                         "ban", "lo", "khom", "cum", "doi", "nha", "tang", "phong", "can", "ho"})
"""Lower-case words a street or village part prints ("Số 12 ngõ 34 phố Huế", "Tổ dân phố 5")."""


def _plain_head_word(word: str) -> bool:
    """A word of an address's street or village part as one prints it, or several OCR glued
    ("phố13,Xã", "Tổdân"): numbers ("12", "34/5", "12A"), capitalised names, :data:`_HEAD_LOWER`
    words. Anything else ("Khu phố ổ": an 8 misread) is an OCR slip in the part the units table
    cannot check."""
    for chunk in _HEAD_CHUNK.findall(word):
        if chunk[0].isdigit() or chunk[0].isupper():
            continue
        key = fold(chunk)
        if key not in _HEAD_LOWER and not any(key[:i] in _HEAD_LOWER and key[i:] in _HEAD_LOWER for i in range(1, len(key))):
            return False
    return True


_HEAD_CHUNK = re.compile(r"\d+[A-Za-z]?|[^\W\d_]+")


def _letters_after(text: str, position: int) -> bool:
    return letters_or_digits(text[position:])


COMMUNE_TYPE_WORDS = ("xã", "phường", "thị trấn")
"""The type words of communes as running text writes them."""
_LOWER_UNIT_TYPES = COMMUNE_TYPE_WORDS + ("huyện", "quận", "thị xã")
"""The type words of districts and communes as running text writes them."""
UNIT_TYPES_IN_TEXT = _LOWER_UNIT_TYPES + ("thành phố", "tỉnh")
"""The type words of every unit level as running text writes them."""
_UNIT_TYPE_IN_TEXT = re.compile(rf"\b({'|'.join(UNIT_TYPES_IN_TEXT)})\s+", re.IGNORECASE)
_LOWER_UNIT = re.compile(rf"\b({'|'.join(_LOWER_UNIT_TYPES)})\s+\w", re.IGNORECASE)


def names_lower_unit(text: str) -> bool:
    """Does ``text`` name a district or commune (its type word followed by a name)?"""
    return bool(_LOWER_UNIT.search(text))

_NAME_WORDS = 4
"""The longest unit name read after its type word ("Xã Tà Si Láng" has three)."""


def unit_read_with_other_marks(text: str, gazetteer: Gazetteer) -> str | None:
    """A unit named in running text ("… của Xã Tà Sĩ Láng") whose letters are the name of a unit
    of that type but whose marks are no such unit's: the name as read, else None. A unit's name
    has one spelling; the same letters with another tone are an OCR slip (a letter's subject is
    never repaired)."""
    return next((read for read, known in units_in_text(text, gazetteer) if not known), None)


def units_in_text(text: str, gazetteer: Gazetteer) -> list[tuple[str, bool]]:
    """The unit names running text gives after a unit's type word, as read, each with whether the
    units table spells a unit of that type so (marks and all) or only with other marks."""
    from pipeline.lexicon import spelling

    names = _names_by_fold(gazetteer)
    found = []
    for match in _UNIT_TYPE_IN_TEXT.finditer(text):
        words = [w.strip(",.;:()\"'") for w in text[match.end():].split()[:_NAME_WORDS]]
        for width in range(len(words), 0, -1):
            read = " ".join(words[:width])
            spelt = names.get((fold(match.group(1)), fold(read)))
            if not spelt or not all(w[:1].isupper() for w in words[:width]):
                continue
            mine = [spelling(w) for w in read.split()]
            found.append((read, any([spelling(w) for w in name.split()] == mine for name in spelt)))
            break
    return found


@functools.lru_cache(maxsize=4)
def _names_by_fold(gazetteer: Gazetteer) -> dict[tuple[str, str], frozenset[str]]:
    """Every pre-2025 unit name (without its type), by its folded type word and folded letters."""
    out: dict[tuple[str, str], set[str]] = {}
    for level in ("province", "district", "commune"):
        for unit in gazetteer.units(PRE2025, level):
            out.setdefault((fold(unit.unit_type), fold(unit.name)), set()).add(unit.name)
    return {key: frozenset(names) for key, names in out.items()}


_SPACED_HOUSE_NUMBER = re.compile(r"^((\S+)(?: \S+){0,2}?) (\d) (\d{1,2})(?=,|$)")
"""A house's or hamlet's number whose first digit a hand set apart ("Số 1 7,", "Khu phố 1 2,"): its
type words, one digit, then one or two."""


def join_spaced_house_number(value: str, openers: frozenset[str]) -> tuple[str, bool]:
    """(``value`` with the number of its first part joined where a hand set its first digit apart
    ("Số 1 7," -> "Số 17,", "Khu phố 1 2," -> "Khu phố 12,"), whether it was): a house's or hamlet's
    type word (one of ``openers``, folded), one digit, then one or two before the first comma. Which
    digits belong together is a guess."""
    match = _SPACED_HOUSE_NUMBER.match(value)
    if match is None or fold(match.group(2)) not in openers or any(ch.isdigit() for ch in match.group(1)):
        return value, False
    return f"{match.group(1)} {match.group(3)}{match.group(4)}" + value[match.end():], True


_STREET_WORD = "đường"


def repair_street_word(value: str) -> tuple[str, bool]:
    """(``value`` with the street's type word put back where it opens a part of the address before a
    name and was read one letter off ("Số 212, đườn Lê Duẩn" -> "đường Lê Duẩn": a hand's final g
    lost, or read apart: "đườn G Quang Trung"), whether it was). A guess, like :func:`repair_type_word`."""
    parts = value.split(", ")
    changed = False
    for i, part in enumerate(parts):
        words = part.split(" ")
        if len(words) >= 3 and fold(words[1]) == "g" and fold(words[0] + "g") == "duong":
            words = [words[0] + "g"] + words[2:]  # the g read apart
        elif words[0] == _STREET_WORD or fold(words[0]) not in ("duong", "duon") or \
                Levenshtein.distance(words[0].lower(), _STREET_WORD) != 1:
            continue
        if len(words) < 2 or len(words[1]) < 2 or not words[1][:1].isupper():
            continue  # a street's name follows its type word
        words[0] = _STREET_WORD.capitalize() if words[0][:1].isupper() else _STREET_WORD
        parts[i] = " ".join(words)
        changed = True
    return ", ".join(parts), changed


def repair_type_word(value: str) -> tuple[str, bool]:
    """(``value`` with the type word opening it put back where a hand's was misread one letter off
    ("xó/ 9," -> "Xóm 9,", "hôn 14," -> "Thôn 14,"), whether it was): the first word, before a number,
    is no such word and lies one letter, marks included, from exactly one of them. A guess."""
    words = value.split(" ", 2)
    if len(words) < 2 or not words[1][:1].isdigit():
        return value, False
    read = "".join(ch for ch in words[0].lower() if ch.isalpha())
    if not read or read in {w.lower() for w in PLACE_TYPE_WORDS}:
        return value, False
    near = [w for w in PLACE_TYPE_WORDS if Levenshtein.distance(read, w.lower()) == 1]
    if len(near) != 1:
        return value, False
    return " ".join([near[0]] + words[1:]), True
