"""Whose items a form's lines describe: the lines after which a citizen's form turns from the person
it names first (the applicant, the declarant) to another person (the child, the deceased, the
person authorised, the party sued) or to an office (its confirmation, a workplace, a school).

Pure predicates over :class:`pipeline.layout.TextLine`; :func:`pipeline.extract.extract_labelled`
reads them while it walks a document's lines, and marks what it finds below such a line as another
person's (held, never taken as the applicant's).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from pipeline.layout import TextLine
from pipeline.text import fold, upper_share

if TYPE_CHECKING:
    from pipeline.extract import Candidate
    from pipeline.labels import LabelHit

OTHER_PERSON = ("cua", "me", "cha", "vo", "chong", "con", "chu ho", "nguoi me", "nguoi cha", "nguoi chet",
                "nguoi duoc", "nguoi giam ho", "nguoi dai dien", "nguoi uy quyen", "nguoi duoc uy quyen")
"""Words between a label and its colon that make it another person's ("Họ, chữ đệm, tên người mẹ:",
"Số định danh cá nhân của chủ hộ:"): such a value is not the applicant's."""


PERSON_HEADS = frozenset(words.split()[0] for words in OTHER_PERSON)

PERSON_KEYS = ("full_name", "date_of_birth", "id_number", "gender", "phone")
"""Fields that describe one person."""
OTHER_PERSON_KEYS = PERSON_KEYS + ("address",)
"""Fields that belong to the other person once a form turns to one (that person's "Nơi cư trú",
"Hộ khẩu thường trú" is not the applicant's address)."""
OTHER_PERSON_FOLLOWS = ("cho nguoi duoi day", "cho nguoi co ten duoi day", "nguoi duoc uy quyen")
"""Lines after which a form describes another person ("Đề nghị … khai tử cho người có tên dưới đây:",
"II. Người được ủy quyền:"): the applicant's fields come before."""


def introduces_other_person(line: TextLine) -> bool:
    key = re.sub(r"[^a-z ]", " ", line.key)
    key = " ".join(key.split())
    return any(phrase in key for phrase in OTHER_PERSON_FOLLOWS) and len(line.words) <= 16


OF_WHOM = re.compile(r"\bcua\s*(?::[\s.…_\-–—·'\"`,;|~*]*$|(?:em|con|chau|ong|ba|anh|chi)\s*:)")
"""A line ending in "của:" says whose items follow: once the form's first person is described,
another person's ("… hành vi vi phạm pháp luật của:" before the person a complaint accuses,
28_don_to_cao; "Là phụ huynh/người giám hộ hợp pháp của:", 29; "Là con nuôi của:", 53). Before
that, the first person's own ("Tiếp nhận hồ sơ của:" on a receipt). "của" and a form of address
before the colon names that other person on the line ("Là cha/mẹ (hoặc người chăm sóc) của em: …",
15_DDN_ho_tro_hoc_tap, 24_don_de_nghi_ho_tro): the child's birth date and residence follow."""

_BARE_HONORIFIC = re.compile(r"^(?:\S{1,4}[.)] ?)?(?:ong|ba|anh|chi|ong/ba|ba/ong|anh/chi)\s*:")
"""A line opening with a person's form of address alone as its label ("Anh: ……… Sinh ngày: ……",
28_don_to_cao): once the form's first person is described, it names another person."""


_BARE_ROLE = re.compile(r"^(?:\S{1,4}[.),] ?)?(?:hoc sinh|nguoi giam ho|nguoi duoc giam ho|cha|me|con|vo|chong)\s*:")
"""A line opening with a person's role alone as its label ("Học sinh: ……… Ngày tháng năm sinh: ……",
29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc; "Người được giám hộ:", 55_TK_DK_giam_ho; "10. Cha: họ và
tên …", 51_TK_cap_ho_chieu_tre_em): once the form's first person is described, it names another person
(the pupil, the ward, a parent), even when OCR lost the line that introduced them ("… của:")."""


_OTHER_PARTY = re.compile(r"(?:^|(?<=[.…_:] )|(?<=[.…_:]))(?:\S{1,4}[.),] ?)?nguoi (?:bi [a-z]+|co quyen loi"
                          r"|co quyen, loi ich|co nghia vu)\b[^:]{0,50}(?::|$)")
"""Another party of a petition as an item's label ("Người bị kiện:", "Người có quyền lợi, nghĩa vụ liên
quan (nếu có):", 27_don_khoi_kien; any "Người bị …", the party a petition is against, whatever OCR
made of its verb: "Người bị Kem Ủy ban nhân dân …" for "kiện:"; the line's first item, or one set after a short item, or its label
wrapped at the line's end; never inside running text, "… là người có nghĩa vụ …"): the person or office sued, or a third party, each with an address and a
phone of their own after it; the applicant ("Người khởi kiện:") comes first."""


_OTHER_BODY = re.compile(r"(?:^|(?<=[.…_:] )|(?<=[.…_:]))(?:\S?\[\d{1,2}\][.:]? ?|\S{1,4}[.),] ?|\d{1,2} )?ten (?:to chuc(?:, ca nhan)?"
                         r" tra thu nhap|dai ly thue)\b[^:]{0,30}(?::|$)")
"""Another body a tax declaration names after the taxpayer ("[12] Tên tổ chức trả thu nhập: …", "[17]
Tên đại lý thuế (nếu có): …", 59_to_khai_thue_thu_nhap_ca_nhan), each with its own "Địa chỉ" and
"Điện thoại" items: the payer's and the tax agent's, not the declaring person's. A speck may stand
before the item's bracket ("{[12] Tên tổ chức trả thu nhập: …"), and a table's cell may lose the
brackets ("12 Tên tổ chức trả thu nhập: …")."""


def other_party_at(line: TextLine) -> int | None:
    """The index of the word where another party's label (:data:`_OTHER_PARTY`, :data:`_OTHER_BODY`)
    begins, or None."""
    folded = [fold(word.text) for word in line.words]
    joined = " ".join(folded)
    starts = [m.start() for m in (_OTHER_PARTY.search(joined), _OTHER_BODY.search(joined)) if m is not None]
    return None if not starts else len(joined[: min(starts)].split())


def turns_to_other_person(line: TextLine) -> bool:
    """Once a form's first person is described, does ``line`` turn to another person by a bare role
    label (:data:`_BARE_ROLE`)? (A lettered section does so as a numbered one: :func:`opens_section`.)"""
    return bool(_BARE_ROLE.match(line.key))


def introduces_across(previous: TextLine | None, line: TextLine) -> bool:
    """An introducing phrase (:data:`OTHER_PERSON_FOLLOWS`) wrapped over two lines ("… cho người có
    tên dưới" / "đây:", 23_doi_ho_ten_cho_con): it ends on ``line``."""
    if previous is None or previous.page_no != line.page_no:
        return False

    def words(key: str) -> str:
        return " ".join(re.sub(r"[^a-z ]", " ", key).split())

    before, here = words(previous.key), words(line.key)
    both = f"{before} {here}"
    return any(p in both and p not in before and p not in here for p in OTHER_PERSON_FOLLOWS)


_ORGANISATIONS_ITEMS = re.compile(r"\bten don vi\W{0,3}dia chi\b")
"""An item asking an organisation's name and address ("(1) Đơn vị thứ nhất (Tên đơn vị, địa chỉ,
người trực tiếp liên hệ, …)", 41_Mẫu số 16 - TT 28, the companies a job seeker contacted): the
address, person and phone written for it are the organisation's."""


def others_heading(line: TextLine) -> bool:
    """Is ``line`` a heading in capitals over another party's section ("CAM KẾT CỦA GIA ĐÌNH",
    01_BCC_thuc_hien_trach_nhiem_du_hoc_sinh; "GIẤY XÁC NHẬN CỦA NHÀ TRƯỜNG", 62)? Once the form's
    first person is described, the parent, school or office named there fills what follows, with a
    name item OCR or the label table may not read ("Họ và tên bố (mẹ) hoặc người đại diện hợp pháp:")."""
    return (sum(ch.isalpha() for ch in line.text) >= 8 and upper_share(line.text) > 0.9
            and " cua " in f" {line.key} " and len(line.words) <= 12)


_NAMES_ORGANISATION = re.compile(r"^(?:co quan cong tac|noi lam viec|cong tac tai|ten (?:co quan|don vi|truong|to chuc)|truong\s*[.…:])")
"""An item naming an organisation: a workplace ("14. Cơ quan công tác sau khi tốt nghiệp về Việt
Nam:", 00_bao_cao_tot_nghiep_du_hoc_sinh; "Công tác tại:", 01), a school ("Trường……", 62)."""


def organisation_item_at(line: TextLine, previous: TextLine | None = None) -> int | None:
    """Index of the word opening an item that names an organisation (:data:`_NAMES_ORGANISATION`)
    on ``line``: at the line's start, after an item number, or after another item's value ended by
    a leader or a colon (two items set on one line); -1 if the item opened at the end of the line
    ``previous`` and wraps onto this one ("14. Cơ quan công" / "tác sau khi tốt nghiệp …"); None if
    there is none."""
    if previous is not None and previous.page_no == line.page_no and previous.words:
        texts = [w.text for w in previous.words] + [w.text for w in line.words[:3]]
        if _item_naming_organisation(texts, range(max(0, len(previous.words) - 3), len(previous.words))) is not None:
            return -1
    return _item_naming_organisation([w.text for w in line.words], range(len(line.words)))


def _item_naming_organisation(texts: list[str], starts: range) -> int | None:
    for i in starts:
        before = texts[i - 1] if i else ""
        if i and not (re.search(r"[.…:]$", before) or (i == 1 and re.fullmatch(r"\S{1,4}[.)]", before))):
            continue
        if _NAMES_ORGANISATION.match(fold(" ".join(texts[i : i + 4]))):
            return i
    return None


def asks_organisation(line: TextLine) -> bool:
    return bool(_ORGANISATIONS_ITEMS.search(line.key))


def names_by_honorific(line: TextLine) -> bool:
    return bool(_BARE_HONORIFIC.match(line.key))


_RELATION_TO_OTHER = re.compile(r"(?:^|\s)(?:\S{1,4}[.),] ?)?(?:moi )?quan he voi nguoi\b")
"""The applicant's relation to the person the form is about ("Quan hệ với người đã chết: Cha",
"Quan hệ với người được khai sinh:", "7. Quan hệ với người dưới 14 tuổi …", also as the second item
of a line: "6. Số điện thoại: … 7. Quan hệ với người dưới 14 tuổi đề nghị", 51_TK_cap_ho_chieu_tre_em):
that person's items follow. ("Mối quan hệ với chủ hộ" is the applicant's own item: the household head is named, not
described, after it.)"""


def relates_to_other_person(line: TextLine) -> bool:
    """Does ``line`` give the applicant's relation to another person, whose items come next? Then
    a birth date or gender below is that person's even when OCR lost the lines that name them."""
    return bool(_RELATION_TO_OTHER.search(line.key))


SECTION = re.compile(r"^(?:(?:[IVX]{1,4}|PHẦN\s+[IVX\d]{1,4})\s*[.:)]|[A-H]\s*[.)]\s+\S)")
"""A form's numbered section heading: "II. Người được ủy quyền:", "II. THÔNG TIN CÁ NHÂN …", or
lettered: "B. Thông tin về người chưa đủ 14 tuổi đề nghị cấp hộ chiếu:" (51_TK_cap_ho_chieu_tre_em,
after "A. Thông tin người đại diện hợp pháp:")."""


_CONFIRMATION = re.compile(r"^(?:\S{1,4}[.)] ?)?(?:giay )?xac nhan cua\b")
"""An office's confirmation under a citizen's part ("GIẤY XÁC NHẬN CỦA NHÀ TRƯỜNG",
62_xet_cap_hoc_bong_chinh_sach; "Xác nhận của UBND hoặc Công an cấp xã", "XÁC NHẬN CỦA ỦY BAN NHÂN
DÂN CẤP XÃ" on other forms): its address and phone are the office's, its name the applicant's again."""


_SIGNATURE_NOTE = re.compile(r"^\(?ky(?: ten)?(?:,| va)? (?:gh[a-z]{1,2} ro )?(?:ho (?:va )?te[a-z]\b|ten)")
"""The note under a signature ("(Ký và ghi rõ họ tên)", "(Ký, ghi rõ họ tên)"; as OCR misreads its
marks: "Ký, ghủ rõ họ tên;", "Ký, ghi rõ họ têh;", 61_xac_nhan_thu_nhap): the writer has signed; what
the page asks below is an office's (its confirmation, its heading perhaps lost)."""


def is_signature_note(line: TextLine) -> bool:
    """Is ``line`` the note under a signature, "(Ký, ghi rõ họ tên)" (:data:`_SIGNATURE_NOTE`)?"""
    return bool(_SIGNATURE_NOTE.match(line.key)) and len(line.words) <= 16


def opens_confirmation(line: TextLine) -> bool:
    """Once the form's first person is described, does ``line`` head an office's confirmation, or
    close the writer's part with the note under their signature?"""
    return (bool(_CONFIRMATION.match(line.key)) and len(line.words) <= 16) or is_signature_note(line)


def opens_section(line: TextLine) -> bool:
    """Does ``line`` open a new numbered section of the form ("I.", "II.", "PHẦN II:")? Once the
    person a form names first has been described, the next section is another person's (the
    one who arranges a burial after the deceased, the person authorised after the one who
    authorises) or no person's. A section lettered "A" is a form's first, no later one: after the
    first person's items it is an item's number misread ("A. Quyết định cử đi học số …" for "4.",
    00_bao_cao_tot_nghiep_du_hoc_sinh)."""
    return bool(SECTION.match(line.text)) and len(line.words) <= 20 and not _FIRST_LETTERED.match(line.text)


_FIRST_LETTERED = re.compile(r"^A\s*[.)]\s")
"""The first of a form's lettered sections ("A. Thông tin người đại diện hợp pháp:")."""


def says_whose(line: TextLine) -> bool:
    """Does ``line`` say whose items follow (:data:`OF_WHOM`, "… của:", "… của em: …")?"""
    return bool(OF_WHOM.search(line.key))


TURNS_ONCE_DESCRIBED: tuple[Callable[[TextLine], bool], ...] = (
    opens_section, names_by_honorific, says_whose, turns_to_other_person, opens_confirmation, others_heading,
    asks_organisation,
)
"""Lines that turn to another person's (or an office's) items once the form's first person is
described; before that, the same wording is the first person's own ("Tiếp nhận hồ sơ của:" on a
receipt, the form's first section heading)."""


def turns_to_another(line: TextLine, previous: TextLine | None, first_described: bool) -> bool:
    """Does the form turn, at ``line``, to another person's items (an introducing phrase, perhaps
    wrapped from ``previous``; or, once its first person is described, one of
    :data:`TURNS_ONCE_DESCRIBED`)?"""
    return (introduces_other_person(line) or introduces_across(previous, line)
            or (first_described and any(turns(line) for turns in TURNS_ONCE_DESCRIBED)))


def repeats_first_persons_label(hit: LabelHit, found: dict[str, "Candidate"]) -> bool:
    """Is ``hit`` the first person's name label printed again, after that person's name and one
    more of their items were read ("Họ và tên: … sinh ngày …" / "Số CMND …" / … / "Họ và tên: …")?
    A form lists its next person's items after the first's (the person authorised, the heir), under
    a heading OCR may have lost ("II. Người được ủy quyền:")."""
    first = found.get("full_name")
    if first is None or first.value is None or not _same_or_bare(hit.label, first.label):
        return False
    return any(found[key].value is not None for key in PERSON_KEYS if key != "full_name" and key in found)


def of_first_persons_role(hit: LabelHit, found: dict[str, "Candidate"]) -> bool:
    """Is ``hit`` qualified by the role the form's first name label named ("Số CCCD/CMND/Hộ chiếu của
    chủ xe:" after "Tên chủ xe:", 22_dk_xe1)? Then "của" names that first person, not another one;
    another role on the same form ("… của người làm thủ tục") still names somebody else."""
    first = found.get("full_name")
    if first is None or first.value is None or not first.label or not first.label.startswith("ten "):
        return False
    role = first.label[len("ten "):]
    return len(role.split()) >= 2 and f" {hit.qualifier.strip()}".endswith(f" cua {role}")


def offers_roles(hit: LabelHit) -> bool:
    """Does the label's qualifier offer roles as alternatives ("Họ và tên cha mẹ (hoặc người chăm
    sóc):", 15_DDN_ho_tro_hoc_tap; "cha/mẹ")? Such a label asks the name of whoever fills in the
    form, not of one other person ("Họ, chữ đệm, tên người mẹ:")."""
    return bool(re.search(r"\bhoac\b|[a-z]/[a-z]", hit.qualifier))


def _same_or_bare(label: str, first_label: str | None) -> bool:
    """``label`` is the first person's name label, or its bare head: "Họ, chữ đệm, tên:" after
    "Họ, chữ đệm, tên người yêu cầu:" (53_TK_DKLai_viec_nuoi_con_nuoi, the adopted child's items
    next, their introducing line lost)."""
    return first_label is not None and (label == first_label or first_label.startswith(label + " "))


_RELATIVE_OF_ROLE = re.compile(r"^(?:cha|me)(?:/(?:cha|me))? (?:.* )?(?:hoc sinh|sinh vien)\b")
"""A name label's qualifier naming a relative of the person the form is for by that person's role
("Họ tên cha/mẹ học sinh, sinh viên:", 64_ĐN_chi_tra_tien_mien_giam_hoc_phi, "học" misread or not: the
role "sinh viên" tells it too): the relative is named
among the student's items, not described; the items after it (the household's address) stay the
student's."""


def names_relative_of_role(hit: LabelHit) -> bool:
    return bool(_RELATIVE_OF_ROLE.match(" ".join(hit.qualifier.split())))
