"""The document-type catalogue: keys, printed titles, fields (DESIGN.md's table and more)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocType:
    """One kind of document Sohoa recognises."""

    key: str
    name: str
    titles: tuple[str, ...]
    """Printed titles as they appear on the page (upper case, with marks)."""
    fields: tuple[str, ...]
    symbol: str | None = None
    """Nghị định 30/2020 abbreviation in the số ký hiệu (``QĐ`` in ``123/QĐ-UBND``)."""
    official_letter: bool = False
    extra_fields: tuple[str, ...] = field(default_factory=tuple)


_LETTER_FIELDS = ("doc_number", "issuing_agency", "signed_date", "subject")

CATALOGUE: tuple[DocType, ...] = (
    DocType(
        "giay_tiep_nhan",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "GIẤY TIẾP NHẬN HỒ SƠ"),
        ("dossier_code", "full_name", "address", "phone", "procedure_name", "received_date", "due_date"),
        extra_fields=("procedure_code",),
    ),
    DocType(
        "phieu_yeu_cau_bo_sung",
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "PHIẾU YÊU CẦU BỔ SUNG"),
        ("dossier_code", "full_name", "signed_date"),
    ),
    DocType(
        "phieu_kiem_soat",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "PHIẾU KIỂM SOÁT"),
        ("dossier_code", "full_name", "received_date", "due_date"),
    ),
    DocType(
        "don_de_nghi",
        "Đơn đề nghị / Tờ khai",
        ("ĐƠN ĐỀ NGHỊ", "TỜ KHAI", "ĐƠN XIN", "ĐƠN ĐĂNG KÝ"),
        ("full_name", "date_of_birth", "id_number", "address", "signed_date"),
    ),
    DocType(
        "can_cuoc",
        "Căn cước công dân / Chứng minh nhân dân",
        ("CĂN CƯỚC CÔNG DÂN", "CHỨNG MINH NHÂN DÂN", "CĂN CƯỚC"),
        ("id_number", "full_name", "date_of_birth", "gender", "address"),
    ),
    DocType(
        "giay_khai_sinh",
        "Giấy khai sinh",
        ("GIẤY KHAI SINH",),
        ("full_name", "date_of_birth", "gender", "place_of_birth", "registration_number", "id_number"),
    ),
    DocType(
        "trich_luc_khai_tu",
        "Trích lục khai tử",
        ("TRÍCH LỤC KHAI TỬ",),
        ("full_name", "date_of_death", "place_of_death", "registration_number"),
    ),
    DocType(
        "giay_phep_xay_dung",
        "Giấy phép xây dựng",
        ("GIẤY PHÉP XÂY DỰNG",),
        ("doc_number", "full_name", "address", "construction_site", "signed_date"),
        symbol="GPXD",
    ),
    DocType(
        "phieu_ly_lich_tu_phap",
        "Phiếu lý lịch tư pháp",
        ("PHIẾU LÝ LỊCH TƯ PHÁP",),
        ("doc_number", "full_name", "date_of_birth", "id_number"),
        symbol="LLTP",
    ),
    DocType("quyet_dinh", "Quyết định", ("QUYẾT ĐỊNH",), _LETTER_FIELDS + ("signer",), "QĐ", True),
    DocType("cong_van", "Công văn", ("CÔNG VĂN",), _LETTER_FIELDS, None, True),
    DocType("chi_thi", "Chỉ thị", ("CHỈ THỊ",), _LETTER_FIELDS, "CT", True),
    DocType("thong_bao", "Thông báo", ("THÔNG BÁO",), _LETTER_FIELDS, "TB", True),
    DocType("bao_cao", "Báo cáo", ("BÁO CÁO",), _LETTER_FIELDS, "BC", True),
    DocType("to_trinh", "Tờ trình", ("TỜ TRÌNH",), _LETTER_FIELDS, "TTr", True),
    DocType("ke_hoach", "Kế hoạch", ("KẾ HOẠCH",), _LETTER_FIELDS, "KH", True),
    DocType("khac", "Khác", (), ()),
)

BY_KEY: dict[str, DocType] = {t.key: t for t in CATALOGUE}
DOC_TYPE_KEYS: tuple[str, ...] = tuple(t.key for t in CATALOGUE)


def get(key: str) -> DocType:
    """The catalogue entry for ``key`` (KeyError if unknown)."""
    return BY_KEY[key]
