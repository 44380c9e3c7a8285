"""Rules of Part 6's "sealed8" forms (branch sealed8): 37 and 48 of ``forms/extra/``.

Both are rendered here (:func:`_document`, the batch's :meth:`~.base.Batch.document`), each with its own
layout, so every other family renders byte for byte as before. The form's
wording is printed as it is, its blanks filled; the truth is the registry's type
(``schemas/doctypes.py``) and that type's fields, as the filled copy prints them:

- 37 (GIẤY PHÉP XÂY DỰNG, "Sử dụng cho công trình không theo tuyến"): a document an office issues,
  ``giay_phep_xay_dung``. The issuer (the site's province's Sở Xây dựng or its district's people's
  committee) heads it left of the motto, its place and date under
  the motto; the number is written under the title as the form prints it ("Số: 125/GPXD"; on a
  few copies in the header instead). Item 1 names the holder (a person: "Cấp cho: Ông Nguyễn Văn
  An") and the holder's address, in the form's pieces ("số nhà: 15 đường (phố) Trần Phú phường
  (xã): Phường …") or written whole; item 2 the work, its design, the designers (other people),
  the site ("+ Vị trí xây dựng …: Thửa đất số …, tờ bản đồ số …, …") and its figures; item 3 the
  land-use certificate (its own, earlier, date); signed by the head or a deputy, sealed.
  Truth: ``doc_number``, ``full_name`` (the name without "Ông"/"Bà"), ``address`` (the holder's,
  the pieces read as one: "Số 15, đường Trần Phú, Phường …, Quận …, Thành phố …"),
  ``construction_site`` (as printed after its label), ``signed_date``, ``issuing_agency`` (the
  issuer's own header line, as in the templates). A number or date left blank for the clerk (the
  style's blank rate) is ``absent``.
- 48 ("Thông tin cơ bản:", eleven numbered items): a citizen's own information sheet, no title of
  the registry's, no motto, no date line, no signature. Typed ``don_de_nghi`` (the registry's
  "Đơn đề nghị / Tờ khai", the type of every citizen's form: a sheet declaring one's details is a
  tờ khai). Its heading is printed as the form words it ("Thông tin cơ bản:"), on some copies
  set as a centred heading in capitals. Truth: ``full_name`` (item 1, as printed: capitals on
  some), ``phone`` (2), ``address`` (6 "Nhà ở": where the person lives), ``id_number`` (10 "Số
  CMND": the card's number, a CCCD's twelve digits on most); absent ``date_of_birth``,
  ``gender``, ``signed_date`` (not asked, not printed). The e-mail, degree, level of study, job,
  schooling, nationality and dream are filled but are no field of the type.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata

from .. import fakedata as fk
from ..layout import PAGE_SIZES, Seg
from ..templates import MOTTO, MOTTO2, Doc, Style, _blank, _date_segs, _hand, _number_segs, _writer, closing, iso
from .base import DrawnWhole

FORMS = frozenset({"37_giay_phep_xay_dung", "48_thong_tin_co_ban"})
# Form 48 prints no title of its own (only the heading "Thông tin cơ bản:"); 37's is its first line
# in capitals after the motto.
TITLES = {"37_giay_phep_xay_dung": "GIẤY PHÉP XÂY DỰNG", "48_thong_tin_co_ban": "THÔNG TIN CƠ BẢN"}
TYPES = {"37_giay_phep_xay_dung": "giay_phep_xay_dung", "48_thong_tin_co_ban": "don_de_nghi"}
# a blank: a run of dots with an ellipsis in it, or two dots or more ("…", "..………", "....")
_BLANK = re.compile(r"[.…_]*…[.…_]*|[._]{2,}")


def fields_of(doc_type: str) -> tuple[str, ...]:
    from schemas.doctypes import get
    return get(doc_type).all_fields


def _document(rng: random.Random, style: Style, case, family) -> Doc:
    """One filled document of a sealed8 form."""
    size = PAGE_SIZES[rng.choice(("A4", "A5"))] if rng.random() < 0.5 else style.size
    style = Style(size, style.family, style.hand_rate, style.blank_rate, style.scanned)
    render = {"37_giay_phep_xay_dung": _permit, "48_thong_tin_co_ban": _info_sheet}[family.stem]
    doc = render(rng, style, case, family.lines)
    doc.family = family.name
    return doc


def _finish(w, doc_type: str, truth: dict, title: str, hand: list[str], units) -> Doc:
    fields = fields_of(doc_type)
    values = {key: truth.get(key) for key in fields}
    doc = Doc(doc_type, w.pages, values, "\n".join(w.lines), title, sorted(hand), w.boxes, units)
    doc.absent = [key for key in fields if values[key] is None]
    return doc


def _fill(line: str, values, rng: random.Random, leaders: bool) -> list[Seg]:
    """The printed line with its blanks filled in order: a value is a text or (text, key); None
    leaves a short run of dots (nobody writes there)."""
    segs, pos = [], 0
    for index, match in enumerate(_BLANK.finditer(line)):
        before = line[pos:match.start()]
        value = values[index] if index < len(values) else None
        if value is None:
            segs.append(Seg(before + "…" * rng.randint(2, 5)))
        else:
            text, key = value if isinstance(value, tuple) else (value, None)
            after = line[match.end():match.end() + 1]
            if before and not before.endswith(" "):
                before += " "
            segs.append(Seg(before))
            segs.append(Seg(text, key=key))
            if after and after.isalnum():
                segs.append(Seg(" "))
            elif leaders and rng.random() < 0.25 and not line[match.end():].strip():
                segs.append(Seg(" " + "." * rng.randint(3, 8)))
        pos = match.end()
    segs.append(Seg(line[pos:]))
    return _tidy(segs)


def _tidy(segs: list[Seg]) -> list[Seg]:
    """One space between pieces, none at the ends (keys stay on their segments)."""
    out: list[Seg] = []
    for seg in segs:
        text = re.sub(r"\s+", " ", seg.text)
        if out and out[-1].text.endswith(" ") and text.startswith(" "):
            text = text[1:]
        if not out:
            text = text.lstrip()
        if text:
            out.append(Seg(text, seg.style, seg.hand, seg.key))
    while out and not out[-1].text.strip():
        out.pop()
    if out and out[-1].text != out[-1].text.rstrip():
        last = out[-1]
        out[-1] = Seg(last.text.rstrip(), last.style, last.hand, last.key)
    return out


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _comma(number: float, digits: int = 1) -> str:
    return f"{number:.{digits}f}".replace(".", ",")


# ---------------------------------------------------------------- 37: the building permit

_WORKS = ("Nhà ở kết hợp kinh doanh dịch vụ", "Nhà xưởng sản xuất đồ gỗ nội thất", "Khách sạn {name}",
          "Nhà văn phòng cho thuê", "Nhà kho chứa hàng hóa", "Phòng khám đa khoa {name}", "Nhà hàng ăn uống {name}",
          "Trung tâm thương mại - dịch vụ {name}", "Xưởng sửa chữa ô tô {name}", "Nhà nghỉ {name}")
_BRANDS = ("Hoàng Long", "Minh Anh", "Phú Thịnh", "An Bình", "Hồng Phát", "Thành Đạt", "Sao Mai", "Bảo Ngọc")
_CONSULTANTS = ("Công ty TNHH Tư vấn thiết kế xây dựng {brand}", "Công ty CP Kiến trúc và Xây dựng {brand}",
                "Công ty TNHH Tư vấn đầu tư xây dựng {brand}", "Trung tâm Tư vấn kiến trúc và xây dựng {province}")
_COLOURS = ("Trắng, ghi nhạt", "Vàng kem, viền trắng", "Ghi sáng", "Trắng sữa, mái ngói đỏ", "Xanh nhạt, trắng")


def _issuer(rng: random.Random, unit: fk.Unit) -> tuple[fk.Agency, str, list[list[str]], str, str]:
    """(agency, place, signer titles to choose from, its office in "Lưu: VT, …", kind): a province's
    Sở Xây dựng or the district's people's committee of the site."""
    province = unit.province.replace("Thành phố", "THÀNH PHỐ").replace("Tỉnh", "TỈNH").upper()
    kind = rng.choice(("so", "huyen", "huyen"))
    if kind == "so":
        agency = fk.Agency(f"UBND {province}", "SỞ XÂY DỰNG", "SXD", unit.province_short, unit, "tinh", "",
                           "GIÁM ĐỐC", ())
        titles = [["GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]]
        return agency, unit.province_short, titles, rng.choice(("QLXD", "P.QLXD", "KTQH")), kind
    place = re.sub(r"\s*\(.*\)$", "", unit.district_short)
    parent = f"UBND {province}" if rng.random() < 0.3 else ""
    agency = fk.Agency(parent, f"ỦY BAN NHÂN DÂN {unit.district.upper()}", "UBND", place, unit, "huyen", "",
                       "CHỦ TỊCH", ())
    titles = [["CHỦ TỊCH"], ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]]
    office = "QLĐT" if unit.district_type in ("Quận", "Thành phố", "Thị xã") else "KT&HT"
    return agency, place, titles, office, kind


def _site(rng: random.Random, unit: fk.Unit) -> str:
    """The plot and its address, as the permit names them."""
    parcel = f"Thửa đất số {rng.randint(12, 980)}, tờ bản đồ số {rng.randint(1, 60)}"
    if unit.ward_type == "Phường" and rng.random() < 0.4:
        head = f"Lô {rng.choice('ABCDE')}{rng.randint(1, 40)}, Khu đô thị mới {rng.choice(_BRANDS)}"
    elif unit.ward_type == "Phường" or rng.random() < 0.4:
        head = f"đường {rng.choice(fk.STREETS)}"
    else:
        head = f"{rng.choice(('Thôn', 'Xóm', 'Ấp'))} {rng.randint(1, 14)}"
    first = f"{parcel}, {head}" if rng.random() < 0.7 else f"{head}, {parcel[:1].lower()}{parcel[1:]}"
    return f"{first}, {unit.ward}, {unit.district}, {unit.province}"


def _address_pieces(person: fk.Person) -> tuple[str, str] | None:
    """(house number, street) of a "Số 15, đường Trần Phú, …" address; None for a village's."""
    match = re.match(r"^Số (\d+), đường ([^,]+), ", person.address)
    return (match.group(1), match.group(2)) if match else None


def _permit(rng: random.Random, style: Style, case, lines: tuple[str, ...]) -> Doc:
    w = _writer(style, rng)
    holder = case.person
    site_unit = fk.pick_unit(rng, holder.home.province_code) if rng.random() < 0.8 else fk.pick_unit(rng)
    agency, place, titles, office, kind = _issuer(rng, site_unit)
    signed = case.due if rng.random() < 0.5 else case.received + dt.timedelta(days=rng.randint(5, 30))
    number = rng.randrange(1, 2400) if rng.random() < 0.7 else rng.randrange(1, 100)
    symbol = f"{number}/GPXD"
    hand_no, blank_no = _hand(rng, style), _blank(rng, style)
    hand_day, blank_day = _hand(rng, style), _blank(rng, style)
    number_segs = _number_segs(number, symbol, hand_no, blank_no)
    in_header = rng.random() < 0.15  # some offices set the number under their name, as on letters
    leaders = rng.random() < 0.5
    instructions = rng.random() < 0.4  # the form's bracketed instructions kept ("(tên công trình)")

    # header: the issuer left, the motto right, place and date under the motto
    left: list[tuple] = []
    if agency.parent:
        left.append((agency.parent, 0.92, "regular", False))
    if agency.name.startswith("ỦY BAN NHÂN DÂN "):
        left.append(([Seg("ỦY BAN NHÂN DÂN", "bold", key="issuing_agency")], 0.92, "bold", False))
        left.append(([Seg(agency.name[16:], "bold", key="issuing_agency")], 0.92, "bold", True))
    else:
        left.append(([Seg(agency.name, "bold", key="issuing_agency")], 0.92, "bold", True))
    if in_header:
        left.append((number_segs, 0.95, "regular", False))
    w.columns(left, [(MOTTO, 0.92, "bold", "fit"), (MOTTO2, 0.98, "bold", "full")])
    w.space(0.2)
    w.line(_date_segs(place, signed, hand_day, blank_day), w.body * 0.95, "right")
    w.space(0.6)
    w.line("GIẤY PHÉP XÂY DỰNG", w.body * 1.15, "center", style="bold")
    if not in_header:
        w.line(number_segs, w.body, "center")
    w.line("(Sử dụng cho công trình không theo tuyến)", w.body * 0.95, "center", style="italic")
    w.space(0.5)

    # the work
    brand = rng.choice(_BRANDS)
    work = rng.choice(_WORKS).format(name=brand)
    consultant = rng.choice(_CONSULTANTS).format(brand=rng.choice(_BRANDS), province=site_unit.province_short)
    designer = fk.make_person(rng, born_between=(1960, 1992))
    checker = fk.make_person(rng, born_between=(1958, 1990))
    checked = rng.random() < 0.7
    urban = site_unit.district_type in ("Quận", "Thành phố", "Thị xã")
    reviewer = (("Phòng Quản lý đô thị " if urban else "Phòng Kinh tế và Hạ tầng ") + _lower_first(site_unit.district)
                if kind == "huyen" else rng.choice(("Sở Xây dựng " + site_unit.province_short,
                                                     "Công ty CP Kiểm định xây dựng " + rng.choice(_BRANDS))))
    site = _site(rng, site_unit)
    floors = rng.randint(1, 9)
    basements = rng.choice((0, 0, 0, 1)) if floors >= 3 else 0
    mezzanine = rng.random() < 0.4
    ground = round(rng.uniform(80, 900), 1)
    total = round(ground * (floors + basements + (0.5 if mezzanine else 0)) * rng.uniform(0.9, 1.0), 1)
    height = round(floors * rng.uniform(3.3, 3.9) + rng.uniform(0.3, 1.2), 1)
    density = rng.randint(40, 90)
    honorific = "Ông" if holder.gender == "Nam" else "Bà"
    certificate = (f"Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất số "
                   f"{rng.choice(('CS', 'CH', 'BX', 'CD'))} {rng.randrange(100, 99999):05d} do "
                   f"{rng.choice(('Sở Tài nguyên và Môi trường ' + _lower_first(site_unit.province), 'Ủy ban nhân dân ' + _lower_first(site_unit.district)))}"
                   f" cấp ngày {fk.format_date(fk.random_date(rng, dt.date(2005, 1, 1), signed - dt.timedelta(days=200)), rng)}")
    pieces = _address_pieces(holder)
    whole = pieces is None or rng.random() < 0.3
    start = next(i for i, line in enumerate(lines) if line.startswith("1. Cấp cho"))
    for line in lines[start:]:
        if not line.strip() or re.fullmatch(r"[-_.…\s]+", line):
            continue
        if line.startswith("Nơi nhận"):
            break
        if not instructions:
            line = re.sub(r"\s*\((?:tên công trình|tên tổ chức tư vấn|ghi rõ lô đất, địa chỉ)\)", "", line)
        if line.startswith("1. Cấp cho"):
            name = rng.choice((f"{honorific} ", f"{honorific} ", "Ông/Bà ", ""))
            segs = [Seg("1. Cấp cho: " + name),
                    Seg(holder.full_name, "bold" if rng.random() < 0.5 else "regular", key="full_name")]
        elif line.startswith("Địa chỉ"):
            if whole:
                segs = [Seg("Địa chỉ: "), Seg(holder.address, key="address")]
            else:
                home = holder.home
                segs = _fill(line, [(pieces[0], "address"), (pieces[1], "address"), (home.ward, "address"),
                                    (home.district, "address"), (home.province, "address")], rng, False)
        elif line.startswith("2. Được phép"):
            segs = _fill(line, [work], rng, leaders)
        elif line.startswith("- Theo thiết kế"):
            segs = _fill(line, [rng.choice((f"Hồ sơ thiết kế xây dựng công trình {work[:1].lower()}{work[1:]}",
                                             f"Bản vẽ thiết kế ký hiệu KT-01 đến KT-{rng.randint(8, 24):02d}, "
                                             f"KC-01 đến KC-{rng.randint(5, 16):02d}",
                                             "Thiết kế xây dựng triển khai sau thiết kế cơ sở được phê duyệt"))],
                         rng, leaders)
        elif line.startswith("- Do:"):
            segs = _fill(line, [consultant], rng, False)
        elif line.startswith("- Chủ nhiệm"):
            segs = _fill(line, [f"{rng.choice(('KTS.', 'KS.', 'ThS. KTS.'))} {designer.full_name}"], rng, leaders)
        elif line.startswith("- Đơn vị thẩm định"):
            segs = _fill(line, [reviewer if checked else "Không"], rng, leaders)
        elif line.startswith("- Chủ trì thẩm tra"):
            segs = _fill(line, [f"KS. {checker.full_name}" if checked else "Không"], rng, leaders)
        elif line.startswith("+ Vị trí xây dựng"):
            segs = _fill(line, [(site, "construction_site")], rng, False)
        elif line.startswith("+ Cốt nền"):
            segs = _fill(line, [f"+{_comma(rng.uniform(0.2, 0.9), 2)} m so với cốt "
                                f"{rng.choice(('vỉa hè', 'mặt đường hiện trạng', 'tim đường'))}"], rng, leaders)
        elif line.startswith("+ Mật độ"):
            segs = _fill(line, [f"{density}%", f"{_comma(density / 100 * floors)} lần"], rng, False)
        elif line.startswith("+ Chỉ giới đường đỏ"):
            segs = _fill(line, [f"cách tim đường {_comma(rng.uniform(6, 21))} m",
                                rng.choice(("trùng chỉ giới đường đỏ", f"lùi {_comma(rng.uniform(2, 6))} m so với "
                                            "chỉ giới đường đỏ"))], rng, False)
        elif line.startswith("+ Màu sắc"):
            segs = _fill(line, [rng.choice(_COLOURS)], rng, leaders)
        elif line.startswith("+ Chiều sâu"):
            segs = _fill(line, [f"-{_comma(rng.uniform(2.8, 3.6))} m" if basements else "Không có tầng hầm"],
                         rng, leaders)
        elif line.startswith("+ Diện tích xây dựng"):
            segs = _fill(line, [_comma(ground)], rng, False)
        elif line.startswith("+ Tổng diện tích"):
            segs = _fill(line, [_comma(total)], rng, False)
        elif line.startswith("+ Chiều cao"):
            segs = _fill(line, [_comma(height)], rng, False)
        elif line.startswith("+ Số tầng"):
            parts = [f"{floors:02d} tầng nổi"]
            parts.append(f"{basements:02d} tầng hầm" if basements else "không có tầng hầm")
            parts.append("01 tầng lửng" if mezzanine else "không có tầng lửng")
            segs = _fill(line, [", ".join(parts)], rng, leaders)
        elif line.startswith("3. Giấy tờ"):
            segs = _fill(line, [certificate], rng, False)
        else:
            segs = _fill(line, [], rng, False)
        indent = 0.0 if re.match(r"^\d\.", line) else 6 * w.mm
        w.paragraph(segs, indent=indent, gap=0.15)
    w.space(0.4)
    signer = fk.person_name(rng, rng.choice(("Nam", "Nữ")))
    closing(w, ["Chủ đầu tư;", f"Lưu: VT, {office}."], rng.choice(titles), signer,
            agency.name if rng.random() < 0.9 else None)
    truth = {"doc_number": None if blank_no else symbol, "full_name": holder.full_name, "address": holder.address,
             "construction_site": site, "signed_date": None if blank_day else iso(signed),
             "issuing_agency": agency.name}
    hand = [k for k, flag in (("doc_number", hand_no and not blank_no), ("signed_date", hand_day and not blank_day))
            if flag]
    return _finish(w, "giay_phep_xay_dung", truth, "GIẤY PHÉP XÂY DỰNG", hand, holder.home.codes)


# ---------------------------------------------------------------- 48: the information sheet

_DREAMS = ("Trở thành kỹ sư phần mềm giỏi", "Mở một cửa hàng kinh doanh của riêng mình",
           "Có công việc ổn định, chăm lo tốt cho gia đình", "Trở thành giáo viên", "Được đi du học",
           "Trở thành bác sĩ", "Xây được nhà cho bố mẹ", "Phát triển trang trại của gia đình",
           "Được làm việc trong lĩnh vực tài chính - ngân hàng", "Đi du lịch khắp Việt Nam")
# (the degree held, the level of study, the job, schooling) by the person's age
_STUDENTS = (("Bằng tốt nghiệp THPT", "Đại học năm thứ {year}", "Sinh viên", "12/12"),
             ("Bằng tốt nghiệp THPT", "Cao đẳng năm thứ {year}", "Sinh viên", "12/12"))
_ADULTS = (("Cử nhân Kinh tế", "Đại học", "Nhân viên văn phòng", "Đại học"),
           ("Kỹ sư Công nghệ thông tin", "Đại học", "Lập trình viên", "Đại học"),
           ("Cử nhân Sư phạm", "Đại học", "Giáo viên", "Đại học"),
           ("Bằng tốt nghiệp THPT", "Trung học phổ thông", "Công nhân", "12/12"),
           ("Bằng Cao đẳng Kế toán", "Cao đẳng", "Kế toán viên", "Cao đẳng"),
           ("Thạc sĩ Quản trị kinh doanh", "Sau đại học", "Trưởng phòng kinh doanh", "Thạc sĩ"),
           ("Bằng tốt nghiệp THCS", "Trung học cơ sở", "Nông dân", "9/12"),
           ("Bằng trung cấp Điện công nghiệp", "Trung cấp", "Thợ điện", "12/12"),
           ("Bác sĩ đa khoa", "Đại học", "Bác sĩ", "Đại học"),
           ("Bằng tốt nghiệp THPT", "Trung học phổ thông", "Kinh doanh tự do", "12/12"))


def _info_sheet(rng: random.Random, style: Style, case, lines: tuple[str, ...]) -> Doc:
    w = _writer(style, rng)
    p = case.person
    hand = style.scanned and rng.random() < max(style.hand_rate, 0.3)  # a sheet is often filled by hand
    numbers = rng.random() < 0.8
    leaders = rng.random() < 0.5
    capitals = rng.random() < 0.2
    age = case.received.year - p.date_of_birth.year
    degree, level, job, schooling = (rng.choice(_STUDENTS) if age <= 22 and rng.random() < 0.8 else
                                     rng.choice(_ADULTS))
    level = level.format(year=rng.randint(1, 4))
    words = _ascii(p.full_name).lower().split()
    mail = (f"{words[-1]}{''.join(word[0] for word in words[:-1])}{rng.randint(1, 99):02d}"
            f"@{rng.choice(('gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com'))}")
    name = p.full_name.upper() if capitals else p.full_name
    values = {
        "Họ và tên": (name, "full_name"), "Số điện thoại": (fk.format_phone(p.phone, rng), "phone"),
        "Email": (mail if rng.random() < 0.85 else None, None), "Bằng hiện tại": (degree, None),
        "Cấp độ học": (level, None), "Nhà ở": (p.address, "address"), "Nghề nghiệp": (job, None),
        "Trình độ học vấn": (schooling, None), "Quốc tịch": ("Việt Nam", None),
        "Số CMND": (fk.format_id(p.id_number, rng), "id_number"), "Ươc mơ": (rng.choice(_DREAMS), None),
    }
    heading = next(line for line in lines if line.strip())
    shown = "THÔNG TIN CƠ BẢN" if rng.random() < 0.3 else heading
    w.space(rng.choice((0.0, 0.5, 1.0)))
    if shown == heading:
        w.line(heading, w.body * rng.choice((1.0, 1.1)), "left", style=rng.choice(("bold", "regular")))
    else:
        w.line(shown, w.body * 1.15, "center", style="bold")
    w.space(0.4)
    pending: list[Seg] | None = None
    for line in lines:
        item = re.match(r"^(\d{1,2})\.\s*([^:]+):\s*[.…_]+\s*$", line)
        if not item:
            continue
        label = item.group(2).strip()
        text, key = values[label]
        label_text = f"{item.group(1)}. {label}:" if numbers else f"{label}:"
        if text is None:
            segs = [Seg(label_text + " " + "." * rng.randint(20, 40))]
        else:
            segs = [Seg(label_text + " " + ("." * rng.randint(2, 5) if leaders and rng.random() < 0.4 else "")),
                    Seg(text, hand=hand, key=key)]
            if leaders and rng.random() < 0.5:
                segs.append(Seg(" " + "." * rng.randint(4, 12)))
            segs = _tidy(segs)
        short = sum(len(s.text) for s in segs) < 34
        if pending is not None:
            w.paragraph(pending + [Seg("     ")] + segs, indent=0.0, gap=0.25)
            pending = None
            continue
        if short and rng.random() < 0.25:
            pending = segs
            continue
        w.paragraph(segs, indent=0.0, gap=0.25)
    if pending is not None:
        w.paragraph(pending, indent=0.0, gap=0.25)
    truth = {"full_name": name, "phone": p.phone, "address": p.address, "id_number": p.id_number}
    hand_keys = [key for key in truth if hand]
    return _finish(w, "don_de_nghi", truth, TITLES["48_thong_tin_co_ban"], hand_keys, p.home.codes)


BATCH = DrawnWhole("sealed8", FORMS, TITLES, _document)
