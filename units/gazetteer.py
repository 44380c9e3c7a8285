"""The gazetteer: every administrative unit of both eras (pre-2025 and 2025) as plain rows, indexed
for parent-scoped fuzzy search, with the old->new mapping of the 2025 reform.

Pure: built from :class:`UnitRow` values (``storage.refdata.load_gazetteer`` reads them from the
database at the I/O edge); :mod:`pipeline.address` resolves noisy addresses against it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from units.text import fold

_TOP = 3  # candidates kept per level and span end
_NOT_ALNUM = re.compile(r"[^a-z0-9]")

PRE2025 = "pre2025"
ERA_2025 = "2025"
LEVELS = ("province", "district", "commune")

UnitKey = tuple[str, str, str]  # (era, level, code)


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One administrative unit as plain data. ``parent_code`` is the parent's code in the same era."""

    era: str  # 'pre2025' or '2025'
    level: str  # 'province', 'district' or 'commune'
    code: str  # GSO code: 2 digits province, 3 district, 5 commune
    name: str  # without the type, e.g. 'Ba Đình'
    unit_type: str  # 'Tỉnh', 'Thành phố', 'Quận', 'Huyện', 'Thị xã', 'Xã', 'Phường', 'Thị trấn', 'Đặc khu'
    parent_code: str | None = None
    folded_name: str = ""

    @property
    def key(self) -> UnitKey:
        return (self.era, self.level, self.code)

    @property
    def full_name(self) -> str:
        """Type and name as printed, e.g. 'Phường Phúc Xá'."""
        return f"{self.unit_type} {self.name}".strip()


_LOOKALIKE_RATIO = 97.0  # below an exact match: a name spelt right wins over a look-alike
_LOOKALIKES = str.maketrans({"l": "i", "j": "i", "1": "i", "0": "o", "q": "a"})


def _lookalike_key(compact_name: str) -> str:
    """``compact_name`` with the letters OCR confuses (l/I/1, 0/o, an italic a read q: "Xã Eq Na")
    made one."""
    return compact_name.translate(_LOOKALIKES)


def _min_ratio(compact_name: str) -> float:
    """Short names match by chance: the shorter the name, the closer the text must be."""
    if len(compact_name) <= 4:
        return 100.0
    if len(compact_name) <= 7:
        return 85.0
    return 78.0



# --- gazetteer -------------------------------------------------------------------------------------


class _Scope:
    """A set of units searched together (e.g. the communes of one district)."""

    def __init__(self, units: Sequence[UnitRow]):
        self.units = list(units)
        # Compared as the text's tokens are joined: no spaces, hyphens or apostrophes ('Ea H'leo').
        self.keys = [_NOT_ALNUM.sub("", u.folded_name) for u in self.units]
        self._by_lookalike: dict[str, list[int]] = {}
        for i, key in enumerate(self.keys):
            self._by_lookalike.setdefault(_lookalike_key(key), []).append(i)

    def match(self, query: str, limit: int = _TOP) -> list[tuple[UnitRow, float]]:
        if not self.units or not query:
            return []
        found = process.extract(query, self.keys, scorer=fuzz.ratio, limit=limit, score_cutoff=70)
        matches = {i: score for _key, score, i in found if score >= _min_ratio(self.keys[i])}
        # Names too short for fuzzy matching still match through OCR look-alikes: 'la Tô' is 'Ia Tô'
        # (the Jarai 'Ia' of Gia Lai, 'Ea' of Đắk Lắk read with an l).
        for i in self._by_lookalike.get(_lookalike_key(query), ()):
            matches.setdefault(i, _LOOKALIKE_RATIO)
        return [(self.units[i], score) for i, score in matches.items()]


class Gazetteer:
    """All units of both eras, indexed for parent-scoped fuzzy search, and the old→new mapping."""

    def __init__(self, units: Iterable[UnitRow], mappings: Iterable[tuple[UnitKey, UnitKey]] = ()):
        self._units: dict[UnitKey, UnitRow] = {}
        children: dict[UnitKey | tuple[str, None], list[UnitRow]] = defaultdict(list)
        for unit in units:
            if not unit.folded_name:
                unit = UnitRow(unit.era, unit.level, unit.code, unit.name, unit.unit_type, unit.parent_code,
                               fold(unit.name))
            self._units[unit.key] = unit
        for unit in self._units.values():
            children[self._parent_key(unit) or (unit.era, None)].append(unit)
        self._children = dict(children)
        self._successors: dict[UnitKey, list[UnitKey]] = defaultdict(list)
        for old, new in mappings:
            self._successors[tuple(old)].append(tuple(new))
        self._scopes: dict[tuple, _Scope] = {}

    @classmethod
    def from_rows(cls, rows: Iterable[UnitRow], mappings: Iterable[tuple[UnitKey, UnitKey]] = ()) -> Gazetteer:
        """Build from unit rows and optional (old unit key, new unit key) pairs, default successor first."""
        return cls(rows, mappings)

    def __len__(self) -> int:
        return len(self._units)

    def unit(self, era: str, level: str, code: str) -> UnitRow | None:
        """The unit with this GSO code, if known."""
        return self._units.get((era, level, code))

    def parent(self, unit: UnitRow) -> UnitRow | None:
        """The unit one level up (a district's province, a commune's district or 2025 province)."""
        key = self._parent_key(unit)
        return self._units.get(key) if key else None

    def children(self, unit: UnitRow | None, era: str = PRE2025) -> list[UnitRow]:
        """Units directly below ``unit`` (the provinces of ``era`` when ``unit`` is None)."""
        return list(self._children.get(unit.key if unit else (era, None), []))

    def units(self, era: str, level: str) -> list[UnitRow]:
        """Every unit of one era and level."""
        return [u for u in self._units.values() if u.era == era and u.level == level]

    def successors(self, unit: UnitRow) -> list[UnitRow]:
        """The 2025 units an old unit became part of, the default one first."""
        return [self._units[k] for k in self._successors.get(unit.key, []) if k in self._units]

    def _parent_key(self, unit: UnitRow) -> UnitKey | None:
        if unit.parent_code is None:
            return None
        if unit.level == "district" or unit.era == ERA_2025:
            return (unit.era, "province", unit.parent_code)
        return (unit.era, "district", unit.parent_code)

    def scope(self, level: str, within: UnitRow | None = None, era: str = PRE2025) -> _Scope:
        """The units of ``level`` inside ``within`` (nationwide when None), cached."""
        key = (level, within.key if within else era)
        scope = self._scopes.get(key)
        if scope is None:
            scope = self._scopes[key] = _Scope(self._descendants(level, within, era))
        return scope

    def _descendants(self, level: str, within: UnitRow | None, era: str) -> list[UnitRow]:
        if within is None:
            return self.units(era, level)
        found: list[UnitRow] = []
        frontier = [within]
        while frontier:
            below = [child for unit in frontier for child in self.children(unit)]
            found += [u for u in below if u.level == level]
            frontier = [u for u in below if u.level != level]
        return found


