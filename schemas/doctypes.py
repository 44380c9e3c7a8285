"""The one registry of document types and fields. Every stage reads it; nothing else lists fields.

A field (:class:`FieldSpec`) says how it is printed and read: its labels and their synonyms as
forms word them (one synonym table for every form), the labels that only loosely name it, its kind
(name, text, date, code), whether it wraps over lines, whether it is a place, which validator
checks it, how the export writes it, which extractor finds it. A document type (:class:`DocType`)
says which printed titles announce it and which fields it carries.

Adding a document type is one :class:`DocType` entry here plus its sample template
(``scripts/samplegen/templates.py``); ``docs/adding-a-document-type.md`` walks through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from units.text import fold

# --- fields ------------------------------------------------------------------------------------

KINDS = ("name", "text", "date", "code")
EXPORT_FORMATS = ("text", "iso_date", "digits", "doc_number")
EXTRACTORS = ("label", "letter", "pattern")

DOC_NUMBER = re.compile(r"^\d{1,5}(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*$")
"""Nghị định 30/2020 số ký hiệu: "123/QĐ-UBND", normative "01/2023/TT-VPCP", "445/CV-PA03".
The one pattern of a document number: validation and the export both use it."""


@dataclass(frozen=True)
class FieldSpec:
    """One field as it is printed, read, checked and exported."""

    key: str
    kind: str
    """``name`` (a person), ``text`` (Vietnamese words), ``date`` or ``code`` (digits and symbols)."""
    labels: tuple[str, ...] = ()
    """Printed labels and their synonyms, as the forms word them (matched folded and fuzzily)."""
    loose_labels: tuple[str, ...] = ()
    """Labels that name the field only loosely ("Cấp cho:", "Ông/Bà:"): a value they find is never
    auto-accepted on its own."""
    not_before: tuple[str, ...] = ()
    """Words that, right after one of its labels, make it another field's label ("Địa chỉ email")."""
    type_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Labels that mean this field only on some document types ("Số:" on an ID card)."""
    multiline: bool = False
    """The value wraps onto the next line when it reaches the right margin."""
    place: bool = False
    """Printed "<street or village>, <commune>, <district>, <province>" (checked against the units)."""
    complete_text: bool = False
    """A value cut short (ends on a function word, a unit type without its name) fails validation."""
    validator: str | None = None
    """Name of the check in ``pipeline.validate.CHECKS`` (None: the text checks)."""
    export: str = "text"
    extractor: str = "label"
    """``label`` (label-value pairs by layout), ``letter`` (the ND30 letter layout), ``pattern``
    (an unmistakable code anywhere on the page, after the label)."""
    case_insensitive: bool = False
    """Printed in capitals or not, the same value (names, agencies, places)."""
    shared: bool = False
    """A dossier repeats it on several of its documents (application, ID copy, receipt)."""
    free_text: bool = False
    """Words no table, lexicon or check reads against (a letter's subject): a word read a little
    unsure may be a slip to another real word ("sai sót" read "sai sói" at 0.80), and nothing else
    would catch it."""

    def __post_init__(self) -> None:
        assert self.kind in KINDS and self.export in EXPORT_FORMATS and self.extractor in EXTRACTORS, self.key

    @property
    def folded_labels(self) -> tuple[str, ...]:
        return tuple(fold(label) for label in self.labels)

    @property
    def folded_loose_labels(self) -> tuple[str, ...]:
        return tuple(fold(label) for label in self.loose_labels)


def _date(key: str, labels: tuple[str, ...] = (), validator: str = "date_valid", **kw) -> FieldSpec:
    return FieldSpec(key, "date", labels, validator=validator, export="iso_date", **kw)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "full_name", "name",
        ("Họ và tên", "Họ, chữ đệm, tên", "Họ, chữ đệm và tên", "Họ chữ đệm và tên", "Họ tên", "Tên người nộp hồ sơ",
         "Tên người nộp", "Tên tổ chức, cá nhân", "Hồ sơ của", "Tên người yêu cầu", "Họ, chữ đệm, tên người yêu cầu",
         "Họ, chữ đệm và tên người yêu cầu", "Tôi tên là", "Tên tôi là", "Tôi tên", "Họ và tên người đề nghị", "Họ và tên người khai",
         "Họ, chữ đệm, tên người đề nghị", "Họ và tên người yêu cầu", "Tên chủ đầu tư", "Tên chủ xe", "Em là",
         # realdata/forms-kltn 12_DDN_cap_doi_GPLX "Tôi là: …", 28_don_to_cao "Họ và tên tôi: …"
         "Tôi là", "Họ và tên tôi",
         # 27_don_khoi_kien "Người khởi kiện: …": a lawsuit's applicant (the other parties, "Người bị
         # kiện:", follow with their own items)
         "Người khởi kiện",
         # 30_don_xin_giao_dat "1. Người xin giao đất/cho thuê đất/cho phép chuyển mục đích sử dụng
         # đất ……": no colon, wrapped anywhere (pipeline.extract.close_long_labels)
         "Người xin giao đất/cho thuê đất/cho phép chuyển mục đích sử dụng đất",
         # 36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat "2.Đại diện là ông (bà): …": the person who
         # applies for an organisation (or for himself); "Ông (bà)" alone is loose, this names him
         "Đại diện là ông (bà)", "Đại diện là ông/bà"),
        loose_labels=("Ông/Bà", "Ông (Bà)", "Chủ đầu tư", "Cấp cho", "Người đề nghị", "Người yêu cầu"),
        # a building permit is issued to one holder, the person its "1. Cấp cho:" names (the official
        # form, realdata/forms-kltn/37_giay_phep_xay_dung); elsewhere "Cấp cho" may name a copy's or a
        # card's recipient
        type_labels={"giay_phep_xay_dung": ("Cấp cho",)},
        validator="name_shape", case_insensitive=True, shared=True,
    ),
    FieldSpec("signer", "name", validator="name_shape", extractor="letter", case_insensitive=True),
    _date("date_of_birth", ("Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Ngày/tháng/năm sinh", "Ngày sinh", "Sinh ngày"),
          validator="date_past", shared=True),
    FieldSpec(
        "id_number", "code",
        ("Số CCCD", "Số căn cước công dân", "Số căn cước", "Số CMND", "Số CMND/CCCD", "Số định danh cá nhân",
         "Số định danh", "Số giấy tờ tùy thân", "Số chứng minh nhân dân", "Giấy CCCD/CMND", "Giấy CMND",
         "Số định danh cá nhân/CCCD", "Số định danh cá nhân/CMND", "Số định danh cá nhân/Chứng minh nhân dân",
         "Số CCCD/CMND", "Số định danh cá nhân/Căn cước công dân", "CCCD", "CMND", "CCCD/CMND", "CMND/CCCD",
         "Số CMND/số căn cước công dân/số hộ chiếu", "Số CMND/CCCD/Hộ chiếu", "Giấy CMND số", "CMND số", "CCCD số",
         "Giấy tờ tùy thân",
         # forms-kltn 28_don_to_cao "Chứng minh nhân dân số: …", 34_giay_cam_ket "Số CMTND: …" (chứng
         # minh thư nhân dân, the older name)
         "Chứng minh nhân dân số", "Chứng minh nhân dân", "Số CMTND", "CMTND",
         # "Giấy CMND" written out (35_giay_de_nghi_kham_giam_dinh "Giấy Chứng minh nhân dân/Thẻ căn
         # cước/Hộ chiếu số: …"): the label's first word, not the end of the value above
         "Giấy chứng minh nhân dân", "Giấy chứng minh nhân dân số",
         # 16_DDN_huong_che_do_benh_nghe_nghiep "Số chứng minh thư hoặc thẻ căn cước công dân: …"
         "Số chứng minh thư",
         # 36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat "Số CMND/Hộ chiếu/CMCAND/CMQĐND: …" (the
         # people's police and army ID cards named after the passport)
         "Số CMND/Hộ chiếu/CMCAND/CMQĐND", "Số CMND/Hộ chiếu"),
        type_labels={"can_cuoc": ("Số", "Số / No.", "Số / No", "Số/No.")},
        validator="id_number_format", export="digits", shared=True,
    ),
    FieldSpec(
        "address", "text",
        ("Địa chỉ", "Nơi thường trú", "Nơi cư trú", "Địa chỉ thường trú", "Nơi ở hiện tại", "Địa chỉ liên hệ",
         "Địa chỉ của chủ đầu tư", "Địa chỉ liên lạc", "Nơi ĐKHK thường trú", "Nơi đăng ký thường trú",
         "Chỗ ở hiện nay", "Nơi ở hiện nay", "Địa chỉ cư trú", "Nơi cư trú hiện tại", "Địa chỉ nơi cư trú",
         "Thường trú tại", "Hộ khẩu thường trú", "Nơi đăng ký hộ khẩu thường trú", "Trú tại",
         # forms-kltn 35_giay_de_nghi_kham_giam_dinh "Chỗ ở hiện tại: …" ("Chỗ ở hiện nay" and "Nơi ở
         # hiện tại" worded the other way round)
         "Chỗ ở hiện tại",
         # 29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc "Hiện trú tại: …" (its "Hiện" read as a name's end)
         "Hiện trú tại",
         # 49_TK1-TS "[12]. Số nhà, đường/phố, thôn/xóm: …" then "[13]. Xã: … [14] Huyện: … [15]. Tỉnh: …":
         # the residence in pieces, read as one (pipeline.extract.join_unit_items)
         "Số nhà, đường/phố, thôn/xóm", "Số nhà, đường phố, thôn/xóm"),
        # 48_thong_tin_co_ban "6. Nhà ở: …" (one's dwelling; elsewhere a kind of house, "Tiền nhà ở")
        loose_labels=("Nhà ở",),
        not_before=("email", "e-mail", "thư điện tử"), multiline=True, place=True, complete_text=True, case_insensitive=True, shared=True,
    ),
    FieldSpec("phone", "code", ("Số điện thoại", "Điện thoại", "SĐT", "ĐT", "Điện thoại liên hệ",
                                "Số điện thoại liên hệ"),
              validator="phone_format", export="digits", shared=True),
    FieldSpec("procedure_name", "text", ("Tên thủ tục", "Thủ tục hành chính", "Nội dung yêu cầu giải quyết", "Thủ tục"),
              multiline=True, complete_text=True, case_insensitive=True, shared=True, free_text=True),
    FieldSpec("procedure_code", "code", ("Mã thủ tục", "Mã TTHC"), validator="procedure_code_format",
              extractor="pattern", shared=True),
    _date("received_date", ("Ngày nhận", "Ngày tiếp nhận", "Thời gian nhận hồ sơ", "Ngày nhận hồ sơ"), shared=True),
    _date("due_date", ("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hẹn trả kết quả", "Thời gian trả kết quả",
                       "Ngày trả kết quả"), shared=True),
    FieldSpec("dossier_code", "code", ("Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ"), validator="dossier_code_format",
              extractor="pattern", shared=True),
    FieldSpec("gender", "code", ("Giới tính",), validator="gender_value", shared=True),
    FieldSpec("place_of_birth", "text", ("Nơi sinh",), multiline=True, place=True, complete_text=True,
              case_insensitive=True),
    FieldSpec("registration_number", "code", ("Số đăng ký",),
              type_labels={"giay_khai_sinh": ("Số",), "trich_luc_khai_tu": ("Số",)},
              validator="registration_format"),
    _date("date_of_death", ("Ngày chết", "Ngày mất", "Chết vào ngày", "Ngày, tháng, năm chết", "Đã chết vào lúc"),
          validator="date_past"),
    FieldSpec("place_of_death", "text", ("Nơi chết", "Nơi mất"), multiline=True, place=True, complete_text=True,
              case_insensitive=True),
    FieldSpec("construction_site", "text", ("Địa điểm xây dựng", "Vị trí xây dựng", "Địa điểm công trình"),
              multiline=True, place=True, complete_text=True, case_insensitive=True),
    FieldSpec("doc_number", "code", validator="doc_number_nd30", export="doc_number", extractor="letter"),
    FieldSpec("issuing_agency", "text", complete_text=True, extractor="letter", case_insensitive=True),
    FieldSpec("subject", "text", complete_text=True, extractor="letter", case_insensitive=True, free_text=True),
    # a document reaches the archive signed: a signing date after today is a misread year ("2034")
    _date("signed_date", extractor="letter", validator="date_past"),
)

FIELD_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
FIELD_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)


def spec(key: str) -> FieldSpec:
    """The registry entry of field ``key`` (KeyError if unknown)."""
    return FIELD_BY_KEY[key]


def keys_where(**conditions) -> frozenset[str]:
    """Field keys whose spec has every given attribute value (``keys_where(kind="date")``)."""
    return frozenset(f.key for f in FIELDS if all(getattr(f, k) == v for k, v in conditions.items()))


# --- document types ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DocType:
    """One kind of document Sohoa recognises."""

    key: str
    name: str
    titles: tuple[str, ...]
    """Printed titles as they appear on the page (upper case, with marks); a title is matched at the
    start of an upper-case line near the top, the longest matching title wins."""
    fields: tuple[str, ...]
    """Fields every document of the type carries (missing ones go to a reviewer)."""
    symbol: str | None = None
    """Nghị định 30/2020 abbreviation in the số ký hiệu (``QĐ`` in ``123/QĐ-UBND``)."""
    official_letter: bool = False
    extra_fields: tuple[str, ...] = field(default_factory=tuple)
    """Fields read when printed, not required."""
    letter_layout: bool = False
    """Printed in the Nghị định 30/2020 layout (agency header, number, place and date, signer)."""

    def __post_init__(self) -> None:
        unknown = [k for k in self.fields + self.extra_fields if k not in FIELD_BY_KEY]
        assert not unknown, f"{self.key}: fields {unknown} are not in the registry"

    @property
    def all_fields(self) -> tuple[str, ...]:
        """Every field extracted for the type (required first)."""
        return tuple(dict.fromkeys(self.fields + self.extra_fields))

    @property
    def in_letter_layout(self) -> bool:
        return self.official_letter or self.letter_layout


_LETTER_FIELDS = ("doc_number", "issuing_agency", "signed_date", "subject")

# Titles of citizens' applications as the official forms print them (forms-kltn: "TỜ KHAI …",
# "GIẤY ĐỀ NGHỊ …", "ĐỀ NGHỊ …", "ĐƠN …", "GIẤY KHAI …", "PHIẾU ĐỀ NGHỊ …", "BẢN KHAI …").
_APPLICATION_TITLES = ("ĐƠN ĐỀ NGHỊ", "TỜ KHAI", "ĐƠN XIN", "ĐƠN ĐĂNG KÝ", "GIẤY ĐỀ NGHỊ", "ĐỀ NGHỊ", "ĐƠN",
                       "GIẤY KHAI", "PHIẾU ĐỀ NGHỊ", "BẢN KHAI", "GIẤY CAM KẾT", "GIẤY ỦY QUYỀN", "MẪU ĐƠN",
                       "MẪU TỜ KHAI", "ĐƠN KHIẾU NẠI", "ĐƠN TỐ CÁO", "PHIẾU ĐĂNG KÝ", "GIẤY XÁC NHẬN",
                       "BẢN CAM KẾT",
                       # forms-kltn 61_xac_nhan_thu_nhap "THƯ XÁC NHẬN THU NHẬP": a payer confirms a
                       # person's income item by item ("1. Họ và tên: …"), the "GIẤY XÁC NHẬN" of a letter
                       "THƯ XÁC NHẬN")

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
        extra_fields=("procedure_name",),
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
        _APPLICATION_TITLES,
        ("full_name", "date_of_birth", "id_number", "address", "signed_date"),
        extra_fields=("gender", "phone"),
    ),
    DocType(
        "can_cuoc",
        "Căn cước công dân / Chứng minh nhân dân",
        ("CĂN CƯỚC CÔNG DÂN", "CHỨNG MINH NHÂN DÂN", "CĂN CƯỚC", "GIẤY CHỨNG MINH NHÂN DÂN"),
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
        ("TRÍCH LỤC KHAI TỬ", "TRÍCH LỤC KHAI TỬ (BẢN SAO)"),
        ("full_name", "date_of_death", "place_of_death", "registration_number"),
    ),
    DocType(
        "giay_phep_xay_dung",
        "Giấy phép xây dựng",
        ("GIẤY PHÉP XÂY DỰNG",),
        ("doc_number", "full_name", "address", "construction_site", "signed_date"),
        symbol="GPXD",
        extra_fields=("issuing_agency",),
        letter_layout=True,
    ),
    DocType(
        "phieu_ly_lich_tu_phap",
        "Phiếu lý lịch tư pháp",
        ("PHIẾU LÝ LỊCH TƯ PHÁP",),
        ("doc_number", "full_name", "date_of_birth", "id_number"),
        symbol="LLTP",
        extra_fields=("issuing_agency", "signed_date"),
        letter_layout=True,
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
