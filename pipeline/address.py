"""Administrative units in noisy OCR'd text: a gazetteer and a fuzzy, parent-scoped resolver.

Pure: built from plain :class:`UnitRow` values (``storage.refdata.load_gazetteer`` reads them from
the database at the I/O edge).
"""

from __future__ import annotations

from dataclasses import dataclass


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
