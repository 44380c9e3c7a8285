"""Misses on the fresh draws of 7 Dec 2026, late night (``p6-honest30``: every official form of
``forms-kltn`` as printed, seed 6368; ``p6-bang-honest23``: every form set in a ruled table, seed
8868; measured before any of their documents was read: one wrong value accepted of 1,333), now
read whole or held; tested on the forms' own wording.

The review threshold is 0, so a value is held only by a weak-evidence rule.
"""

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages
from pipeline.extract import normalise_value
from pipeline.layout import page_lines
from schemas.pages import PageText, Word
from scripts.evalcore import reference_gazetteer
from tests.pipeline_fixtures import MOTTO, analyse_text, page_from_text


def _words(texts_x, y, block, conf=0.97):
    return [Word(text=t, conf=conf, bbox=(x, y, x + 22 * len(t) + 10, y + 40), block=block, par=1, line=1)
            for t, x in texts_x]


def _read_unsure(text: str, word: str, conf: float) -> PageText:
    """The page typed as ``text``, ``word`` read at ``conf``."""
    page = page_from_text(text)
    return page.model_copy(update={"words": [w.model_copy(update={"conf": conf}) if w.text == word else w
                                             for w in page.words]})


def _analysed(page: PageText):
    (doc,) = analyse_pages([page], AnalysisContext(review_threshold=0.0, use_text_model=False))
    return doc


def _report_page(under_subject: str) -> PageText:
    """p6-honest30 vb-0143 (04_cap_chung_chi_tham_tra_vien_ATGT_duong_bo, a tờ trình), its boxes: the
    subject's second line, "bộ", and the short rule under it read as one unreadable word."""
    header = (_words([("BỘ", 254), ("GIAO", 330), ("THÔNG", 450), ("VẬN", 600), ("TẢI", 700)], 177, 1)
              + _words([("CỘNG", 853), ("HÒA", 980), ("XÃ", 1080), ("HỘI", 1150), ("CHỦ", 1240), ("NGHĨA", 1340),
                        ("VIỆT", 1490), ("NAM", 1600)], 175, 2)
              + _words([("Độc", 969), ("lập", 1060), ("-", 1140), ("Tự", 1180), ("do", 1250), ("-", 1320),
                        ("Hạnh", 1360), ("phúc", 1480)], 237, 3)
              + _words([("Số:", 271), ("409/TTr-ĐHCNGTVT", 350)], 342, 4)
              + _words([("Hà", 981), ("Nội,", 1050), ("ngày", 1150), ("24", 1270), ("tháng", 1330), ("7", 1470),
                        ("năm", 1510), ("2021", 1610)], 412, 5))
    title = _words([("TỜ", 831), ("TRÌNH", 920)], 495, 6)
    subject = _words([("Cấp", 378), ("chứng", 470), ("chỉ", 610), ("thẩm", 700), ("tra", 830), ("viên", 910),
                      ("an", 1030), ("toàn", 1090), ("giao", 1210), ("thông", 1330), ("đường", 1480)], 562, 7)
    below = [Word(text=under_subject, conf=0.02, bbox=(736, 622, 1010, 668), block=8, par=1, line=1)]
    body = (_words([("Kính", 616), ("gửi:", 730), ("Cục", 850), ("Đường", 950), ("bộ", 1100), ("Việt", 1170),
                    ("Nam", 1280)], 715, 9)
            + _words([("Căn", 343), ("cứ", 440), ("Nghị", 510), ("định", 620), ("số", 730), ("11/2010/NĐ-CP", 800),
                      ("ngày", 1130), ("24/02/2010", 1250), ("của", 1500), ("Chính", 1600)], 792, 10))
    return PageText(page_no=1, width=2480, height=3508, words=header + title + subject + below + body)


def test_a_subject_over_an_unread_line_may_go_on_there():
    # the subject's last word "bộ" run into the rule under it, read "—__ÖẦ___S" at 0.02: the subject
    # "… giao thông đường" was accepted at 1.00, cut
    subject = _analysed(_report_page("—__ÖẦ___S")).fields["subject"]
    assert subject.value == "Cấp chứng chỉ thẩm tra viên an toàn giao thông đường"
    assert subject.status == "needs_review" and subject.note == "the line below may carry on the subject"


def test_a_rule_under_a_subject_read_unsure_is_no_more_of_it():
    subject = _analysed(_report_page("—————")).fields["subject"]
    assert subject.status == "auto_accepted"


# 18_de_nghi_huong_tro_cap_that_nghiep in a table: "Chỗ ở hiện nay (trường hợp khác nơi đăng ký
# thường trú) (1): …", the footnote mark read as a speck and "Œ):"
ADDRESS = ("ĐỀ NGHỊ HƯỞNG TRỢ CẤP THẤT NGHIỆP\n1. Họ và tên: Trần Văn Bình\n"
           "9. Chỗ ở hiện nay (trường hợp khác nơi đăng ký thường trú) {mark} Số 49, đường Trần Phú, Thị trấn Mường Tè\n")


@pytest.mark.parametrize("mark", ["_ Œ):", "Œ):", "(1):", "( 1):"])
def test_a_footnote_mark_ocr_garbled_is_no_part_of_the_value(mark):
    # p6-bang-honest23 vb-0040: the address read "Œ): Số 49, đường Trần Phú, …", held
    doc = analyse_text(MOTTO + ADDRESS.format(mark=mark))
    assert doc.fields["address"].value == "Số 49, đường Trần Phú, Thị trấn Mường Tè"


def test_a_cells_line_the_engine_read_in_two_blocks_is_read_left_to_right():
    # p6-bang-honest23 vb-0089 (59_to_khai_thue_thu_nhap_ca_nhan in a table): "Vũ Thị" and "Uyên" two
    # blocks of one line, "Uyên" a pixel higher, read "Uyên Vũ Thị"
    label = _words([("[04]", 280), ("Tên", 375), ("người", 461), ("nộp", 588), ("thuế:", 678)], 938, 22)
    value = _words([("Vũ", 826), ("Thị", 893)], 938, 22) + _words([("Uyên", 973)], 937, 23)
    cells = [(272, 924, 804, 992), (820, 924, 1632, 992)]
    page = PageText(page_no=1, width=2480, height=3508, words=label + value, cells=cells)
    assert [line.text for line in page_lines(page)] == ["04 Tên người nộp thuế: Vũ Thị Uyên"]


def test_a_cells_lines_one_under_the_other_stay_top_to_bottom():
    # p6-bang-honest23 vb-0059: a stroke read as a tall "AI" reaching into the line below, which
    # starts 2 px further left: still the second line
    first = _words([("Số", 835), ("81,", 901), ("đường", 979)], 1001, 22)
    tall = [Word(text="AI", conf=0.01, bbox=(1123, 1001, 1232, 1088), block=22, par=1, line=1)]
    second = [Word(text=t, conf=0.97, bbox=(x, 1055, x + 110, 1095), block=22, par=1, line=2)
              for t, x in (("Minh", 833), ("Xuân,", 953))]
    page = PageText(page_no=1, width=2480, height=3508, words=first + tall + second, cells=[(824, 984, 1636, 1160)])
    assert [line.text for line in page_lines(page)] == ["Số 81, đường AI Minh Xuân,"]


# 01_BCC_thuc_hien_trach_nhiem_du_hoc_sinh: "Tên tôi là: … Sinh ngày: …"
PLEDGE = MOTTO + "BẢN CAM KẾT\nTên tôi là: Lương Văn Xuân Khánh Sinh ngày {speck} 05-05-1966\nSố CMND: 082066359069\n"


@pytest.mark.parametrize("speck", ["'", "„", "-"])
def test_a_speck_read_unsure_before_a_birth_date_is_no_part_of_it(speck):
    # p6-bang-honest23 vb-0048: "Sinh ngày '[0.46] 05-05-1966", the date not found
    assert _analysed(_read_unsure(PLEDGE.format(speck=speck), speck, 0.46)).fields["date_of_birth"].value == "1966-05-05"


def test_a_word_read_sure_before_a_birth_date_still_stops_it():
    doc = analyse_text(PLEDGE.format(speck="khoảng"))
    assert doc.fields["date_of_birth"].value is None


# 51_TK_cap_ho_chieu_tre_em: "2. Sinh ngày … 3. Giới tính (Nam/Nữ): …"
PASSPORT = MOTTO + "TỜ KHAI ĐỀ NGHỊ CẤP HỘ CHIẾU\n1. Họ và tên: Đặng Đức Minh\n3. Giới tính(Nam/Nữ): {value}\n"


@pytest.mark.parametrize("value, gender", [("Nam: .........", "Nam"), ("Nữ:", "Nữ")])
def test_a_gender_with_a_speck_read_as_a_colon_after_it_is_read(value, gender):
    # p6-honest30 vb-0007: "Giới tính(Nam/Nữ): Nam: ………", the colon-ended word taken for the label's
    # and dropped, no gender found
    assert analyse_text(PASSPORT.format(value=value)).fields["gender"].value == gender


@pytest.mark.parametrize("value", ["Nam □ Nữ ☑", "Nam: ☐ Nữ: ☒", "Nam: ........ Nữ: ........", "Nam: ... x Nữ: ..."])
def test_both_genders_printed_as_a_choice_are_no_value(value):
    # a form's choice of the two, one ticked: OCR does not read which (before, "Nam" accepted)
    field = analyse_text(PASSPORT.format(value=value)).fields.get("gender")
    assert field is None or field.value is None


@pytest.mark.parametrize("value, gender", [("Nữ Quốc tịch: Việt Nam", "Nữ"), ("Nữ Dân tộc: Kinh", "Nữ")])
def test_a_gender_before_the_next_item_naming_a_country_stays(value, gender):
    assert analyse_text(PASSPORT.format(value=value)).fields["gender"].value == gender


def test_two_columns_of_text_in_one_cell_are_not_read_as_one_line():
    # p6-bang-study vb-0103 (born digital, a rule not found): a CCCD wrapped in its cell, "044 099 078"
    # / "530", and the next cell's "cấp … Nơi cấp:" beside its first line, 83 px right of it; read as
    # one line the number was cut to a CMND's nine digits and accepted
    number = [Word(text=t, conf=1.0, bbox=(x, 848, x + 84, 887), block=0, par=0, line=24)
              for t, x in (("044", 714), ("099", 814), ("078", 913))]
    rest = [Word(text="530", conf=1.0, bbox=(714, 915, 797, 954), block=0, par=0, line=26)]
    beside = [Word(text=t, conf=1.0, bbox=(x, 844, x + 90, 899), block=0, par=0, line=28)
              for t, x in (("cấp", 1079), ("Nơi", 1190), ("cấp:", 1300))]
    page = PageText(page_no=1, width=2480, height=3508, words=number + rest + beside, cells=[(704, 824, 1684, 1180)])
    (line,) = page_lines(page)
    assert "044 099 078 530" in line.text


# The second pair of the late night (p6-honest31, seed 6369; p6-bang-honest24, seed 8869), measured
# before any of its documents was read: no wrong value accepted, and misses

def test_a_labels_qualifier_wrapped_onto_the_next_line_with_its_colon():
    # p6-honest31 vb-0092 (13_DDN_gia_han_time_hoc_nuoc_ngoai): "15. Điện thoại cố định:……… Điện thoại" /
    # "di động:...0393684543": the phone not found (the fixed phone's empty blank read instead)
    doc = analyse_text(MOTTO + "ĐƠN ĐỀ NGHỊ GIA HẠN\n1. Họ và tên: Trần Văn Bình\n"
                       "14. E-mail: an@x.vn 15. Điện thoại cố định:......... Điện thoại\ndi động:...0393684543\n")
    assert doc.fields["phone"].value == "0393684543"


@pytest.mark.parametrize("read", ["ngày-14/07/1988........", "ngày14/07/1988", "ngày.14/07/1988"])
def test_a_whole_date_glued_to_its_label(read):
    # p6-honest31 vb-0139 (01_BCC_thuc_hien_trach_nhiem_du_hoc_sinh): "Sinh ngày-14/07/1988……", not found
    doc = analyse_text(MOTTO + f"BẢN CAM KẾT\nTên tôi là:...Bùi Thị Lan ........ Sinh {read}\nSố CMND: 082066359069\n")
    assert doc.fields["date_of_birth"].value == "1988-07-14"


def test_a_blank_glued_to_a_date_label_is_no_date():
    doc = analyse_text(MOTTO + "BẢN CAM KẾT\nTên tôi là:...Bùi Thị Lan ........ Sinh ngày........\nSố CMND: 082066359069\n")
    assert doc.fields["date_of_birth"].value is None


def _word(text, x0, y0, x1, y1, line):
    return Word(text=text, conf=1.0, bbox=(x0, y0, x1, y1), block=0, par=0, line=line)


def test_a_value_cell_found_in_part_keeps_its_lines_heads_and_last_line():
    # p6-bang-honest24 vb-0003 (20_de_nghi_Nhan_che_do_BHXH…, born digital): the value cell found only
    # from x 1108, its left rule not found; each line's head outside it ("Số 289 , đường", a comma a
    # word of its own; "Phụng Công ,") and its last line wholly outside ("Hưng Yên") went to the label
    label = [_word("4", 266, 1093, 289, 1124, 46), _word(".", 294, 1117, 299, 1124, 46),
             _word("Nơi", 320, 1091, 381, 1124, 46), _word("cư", 399, 1097, 448, 1124, 46),
             _word("trú:", 459, 1090, 515, 1124, 46)]
    first = [_word("Số", 816, 1088, 865, 1124, 52), _word("289", 880, 1092, 954, 1124, 52),
             _word(",", 959, 1117, 966, 1128, 52), _word("đường", 984, 1090, 1109, 1132, 52),
             _word("Trần", 1125, 1088, 1216, 1124, 52), _word("Hưng", 1229, 1093, 1332, 1132, 52),
             _word("Đạo,", 1348, 1093, 1440, 1131, 52), _word("Xã", 1457, 1091, 1507, 1124, 52)]
    second = [_word("Phụng", 817, 1145, 939, 1186, 54), _word("Công", 958, 1143, 1059, 1186, 54),
              _word(",", 1065, 1171, 1071, 1182, 54), _word("Huyện", 1092, 1143, 1218, 1186, 54),
              _word("Văn", 1234, 1145, 1311, 1178, 54), _word("Giang", 1328, 1145, 1444, 1186, 54),
              _word(",", 1450, 1171, 1457, 1182, 54), _word("Tỉnh", 1473, 1143, 1559, 1177, 54)]
    last = [_word("Hưng", 817, 1200, 919, 1239, 56), _word("Yên", 935, 1197, 1009, 1231, 56)]
    page = PageText(page_no=1, width=1700, height=2400, words=label + first + second + last,
                    cells=[(260, 1076, 792, 1248), (1108, 1076, 1616, 1248)])
    (line,) = page_lines(page)
    assert line.text == "4. Nơi cư trú: Số 289, đường Trần Hưng Đạo, Xã Phụng Công, Huyện Văn Giang, Tỉnh Hưng Yên"


def test_a_stroke_through_a_value_cell_found_as_a_rule_splits_no_line():
    # p6-bang-honest24 vb-0139 (52_TK_dang_ky_CMC): a line found at x 1388 through the value's cell, its
    # words 20 px either side ("Sang," | "Huyện"): read "… Khánh Vĩnh, Tỉnh Khánh Huyện Hòa"
    label = [Word(text=t, conf=0.97, bbox=(x, 767, x + 60, 799), block=17, par=1, line=1)
             for t, x in (("Nơi", 311), ("cư", 390), ("trú:", 450))]
    first = [Word(text=t, conf=0.97, bbox=(x0, 767, x1, 805), block=18, par=1, line=1)
             for t, x0, x1 in (("Khu", 860, 931), ("phố", 953, 1024), ("4,", 1042, 1075), ("Xã", 1094, 1142),
                               ("Liên", 1159, 1242), ("Sang,", 1258, 1370), ("Huyện", 1390, 1516))]
    second = [Word(text=t, conf=0.97, bbox=(x0, 820, x1, 855), block=18, par=1, line=2)
              for t, x0, x1 in (("Khánh", 860, 984), ("Vĩnh,", 1001, 1100), ("Tỉnh", 1118, 1204),
                                ("Khánh", 1225, 1348), ("Hòa", 1367, 1441))]
    cells = [(300, 752, 836, 872), (848, 752, 1388, 872), (1396, 752, 1660, 872)]
    page = PageText(page_no=1, width=1700, height=2400, words=label + first + second, cells=cells)
    (line,) = page_lines(page)
    assert line.text == "Nơi cư trú: Khu phố 4, Xã Liên Sang, Huyện Khánh Vĩnh, Tỉnh Khánh Hòa"


def test_two_cells_a_rules_padding_apart_stay_two():
    # the label's cell and the value's: 73 px between "người" and "Nguyễn", no run of text
    label = [Word(text=t, conf=0.97, bbox=(x, 550, x + 90, 585), block=11, par=1, line=1)
             for t, x in (("Họ", 311), ("và", 420), ("tên:", 530))]
    value = [Word(text=t, conf=0.97, bbox=(x, 550, x + 120, 585), block=11, par=1, line=1)
             for t, x in (("Nguyễn", 860), ("Văn", 1000), ("Bình", 1140))]
    second = [Word(text="Nam", conf=0.97, bbox=(1420, 550, 1500, 585), block=11, par=1, line=1)]
    cells = [(300, 530, 836, 600), (848, 530, 1388, 600), (1396, 530, 1660, 600)]
    page = PageText(page_no=1, width=1700, height=2400, words=label + value + second, cells=cells)
    (line,) = page_lines(page)
    assert line.text == "Họ và tên: Nguyễn Văn Bình Nam"
    assert [w.text for w in line.words][-1] == "Nam"


@pytest.mark.parametrize("read", ["16 tháng 05_ năm 1962", "ngày 16 tháng 05_ năm 1962", "16 tháng 05, năm 1962"])
def test_a_speck_after_the_months_digits_is_no_part_of_the_date(read):
    # p6-bang-honest24 vb-0082 (51_TK_cap_ho_chieu_tre_em): "Sinh ngày 16 tháng 05_ năm 1962", no date found
    assert normalise_value("date_of_birth", read)[0] == "1962-05-16"


# Pairs of the late night measured before reading, later ones (p6-honest33, seed 6371; p6-bang-honest26,
# seed 8871)

GUARDIANSHIP = (MOTTO + "TỜ KHAI ĐĂNG KÝ CHẤM DỨT GIÁM HỘ\n1. Họ, chữ đệm, tên: Trần Văn Bình\n"
                "Đã đăng ký giám hộ tại UBND xã Lâm\nTrạch ngày 16 tháng 04 {year} số 70 quyển số:\n02/2014\n"
                "Lâm Trạch, ngày 20 tháng 4 năm 2020\nNGƯỜI YÊU CẦU\n")


@pytest.mark.parametrize("year", ["năm2014", "năm 2014"])
def test_a_registrations_date_with_its_year_glued_is_no_signing_date(year):
    # p6-honest33 vb-0007 (54_TK_DK_cham_dut_giam_ho): "Trạch ngày 16 tháng 04 năm2014 số 70 quyển số:",
    # the body's registration date, accepted at 1.00 as the form's signing date (2020-04-20 below)
    assert analyse_text(GUARDIANSHIP.format(year=year)).fields["signed_date"].value == "2020-04-20"


def test_a_birth_date_whose_day_a_hand_spaced_after_its_label():
    # p6-honest33 vb-0076 (38_giay_uy_quyen): "…, sinh ngày 1 7/05/1 969", not found (the day "1 7"
    # was no day opening a date); found now, held as spaced digits are unless read again as one word
    doc = analyse_text(MOTTO + "GIẤY ỦY QUYỀN\nHọ và tên: Lương Quốc Khánh, sinh ngày 1 7/05/1 969\n"
                       "Số CMND/số căn cước công dân/số hộ chiếu/: 082051932066 do\n")
    field = doc.fields["date_of_birth"]
    assert field.value == "1969-05-17" and field.status == "needs_review"


def test_a_cmnd_before_a_group_read_unsure_with_a_speck_is_held():
    # p6-bang-honest26 vb-0022 (49_TK1-TS in a table): "040 188 512 {990[0.08]", a CCCD accepted at 1.00
    # as its first nine digits, a CMND
    page = _read_unsure(MOTTO + "TỜ KHAI THAM GIA BẢO HIỂM XÃ HỘI\n1. Họ và tên: NGUYỄN KIM ANH\n"
                        "[06]. Số CCCD/ĐDCN/Hộ chiếu: 040 188 512 {990\n", "{990", 0.08)
    field = _analysed(page).fields["id_number"]
    assert field.status == "needs_review" and "may go on" in field.note


def test_a_cmnd_before_other_words_stays_accepted():
    doc = analyse_text(MOTTO + "TỜ KHAI THAM GIA BẢO HIỂM XÃ HỘI\n1. Họ và tên: NGUYỄN KIM ANH\n"
                       "[06]. Số CMND: 040188512 (cấp năm 2010)\n")
    assert doc.fields["id_number"].status == "auto_accepted"


@pytest.mark.parametrize("mark", ["(021", "(02]", "{02}"])
def test_a_bracketed_item_number_read_glued_to_its_label(mark):
    # p6-bang-honest26 vb-0022: "NGUYÊNKIM ANH (021Giới tính: Nữ", "[02]" read "(021": no gender found
    # (and, written apart, the name ran on into "021Giới")
    doc = analyse_text(MOTTO + f"TỜ KHAI THAM GIA BẢO HIỂM\n1. [01]. Họ và tên (viết chữ in hoa): NGUYỄN KIM ANH {mark}Giới tính: Nữ\n")
    assert doc.fields["gender"].value == "Nữ" and doc.fields["full_name"].value == "NGUYỄN KIM ANH"


def test_a_word_of_a_cells_line_read_as_a_block_of_its_own_keeps_its_place():
    # p6-bang-honest26 vb-0007 (28_don_to_cao in a table): "đường Hai." a block of its own inside "Số
    # 184, … Bù Trưng, Phường", read after the line: "Số 184, Bù Trưng, Phường đường Hai. Phượng Sơn"
    line = [Word(text=t, conf=0.96, bbox=(x0, 1270, x1, 1325), block=24, par=2, line=1)
            for t, x0, x1 in (("Số", 1374, 1453), ("184,", 1474, 1576), ("Bà", 1941, 2011), ("Trưng,", 2041, 2201),
                              ("Phường", 2252, 2463))]
    inner = [Word(text=t, conf=0.96, bbox=(x0, 1261, x1, 1341), block=50, par=1, line=1)
             for t, x0, x1 in (("đường", 1616, 1783), ("Hai", 1816, 1943))]
    below = [Word(text=t, conf=0.96, bbox=(x0, 1344, x1, 1395), block=24, par=2, line=2)
             for t, x0, x1 in (("Phượng", 1372, 1568), ("Sơn", 1617, 1748))]
    page = PageText(page_no=1, width=2600, height=3600, words=line + inner + below, cells=[(1360, 1252, 2516, 1476)])
    (read,) = page_lines(page)
    assert read.text == "Số 184, đường Hai Bà Trưng, Phường Phượng Sơn"


# The fifth pair (p6-honest34, seed 6372; p6-bang-honest27, seed 8872), measured before reading: one
# wrong value accepted of 1,301

def _id_across_rule_page(conf: float) -> PageText:
    """p6-bang-honest27 vb-0056 (20_de_nghi_Nhan_che_do_BHXH… in a table), its boxes: a CCCD in its
    cell, "017 066" / "|624", its third group run into the rule and the next cell's "Ngày" as one
    word ("394|3[NghỆ_")."""
    def words(items, line):
        return [Word(text=t, conf=c, bbox=box, block=14, par=line, line=1) for t, box, c in items]
    title = [Word(text=t, conf=0.97, bbox=(x, 300, x + 200, 345), block=1, par=1, line=1)
             for t, x in (("ĐỀ", 700), ("NGHỊ", 800), ("HƯỞNG", 1000), ("CHẾ", 1200), ("ĐỘ", 1300))]
    name = words([("Họ", (331, 700, 380, 740), 0.97), ("và", (390, 700, 440, 740), 0.97),
                  ("tên:", (450, 700, 500, 740), 0.97), ("Trần", (604, 700, 676, 740), 0.97),
                  ("Văn", (690, 700, 760, 740), 0.97), ("Bình", (770, 700, 840, 740), 0.97)], 1)
    first = words([("Số", (331, 784, 374, 818), 0.96), ("017", (514, 787, 580, 818), 0.97),
                   ("066", (595, 787, 661, 818), 0.97), ("394|3[NghỆ_", (677, 772, 913, 844), conf)], 2)
    second = words([("chứng", (329, 839, 449, 883), 0.89), ("|624", (514, 841, 582, 872), 0.96)], 3)
    second[0] = second[0].model_copy(update={"text": "CMND:"})
    cells = [(320, 772, 492, 1052), (504, 772, 768, 1052), (780, 772, 952, 1052)]
    return PageText(page_no=1, width=1700, height=2400, words=title + name + first + second, cells=cells)


def test_a_number_whose_digits_the_engine_read_across_its_cells_rule_is_held():
    # "017 066 624" accepted at 1.00 as a CMND, the CCCD's "399" read into the rule
    field = _analysed(_id_across_rule_page(0.0)).fields["id_number"]
    assert field.value == "017066624" and field.status == "needs_review" and "rule" in field.note


def test_a_number_beside_a_word_read_sure_across_the_rule_stays():
    field = _analysed(_id_across_rule_page(0.95)).fields["id_number"]
    assert field.status == "auto_accepted"


VEHICLE = (MOTTO + "GIẤY KHAI ĐĂNG KÝ XE\nTên chủ xe: Nguyễn Văn An\nNăm sinh: 1980\n"
           "Số CCCD/CMND/Hộ chiếu của chủ xe:{number}\n")


@pytest.mark.parametrize("number", ["014 054 596 728", "014054596728"])
def test_an_owners_number_glued_to_the_colon_of_its_qualified_label(number):
    # p6-honest34 vb-0094 (22_dk_xe1): "… của chủ xe:014 054 596 728", the qualifier's last word glued
    # to the value lost, the number taken for another person's and not found
    assert analyse_text(VEHICLE.format(number=number)).fields["id_number"].value == "014054596728"


def test_a_place_opening_with_a_house_number_written_small():
    # p6-bang-honest27 vb-0143 (62_xet_cap_hoc_bong_chinh_sach): "4. Địa chỉ thường trú số 14,đường
    # Nguyễn Du, …", no colon and a small "số": not found
    doc = analyse_text(MOTTO + "ĐƠN XIN CẤP HỌC BỔNG\n1. Họ và tên: Trần Văn Bình\n4. Địa chỉ thường trú số 14, "
                       "đường Nguyễn Du, Xã Sơn Nham, Huyện Sơn Hà, Tỉnh Quảng Ngãi\n", reference_gazetteer())
    assert doc.fields["address"].value == "Số 14, đường Nguyễn Du, Xã Sơn Nham, Huyện Sơn Hà, Tỉnh Quảng Ngãi"


def test_small_words_after_a_colonless_place_label_are_no_place():
    doc = analyse_text(MOTTO + "ĐƠN XIN CẤP HỌC BỔNG\n1. Họ và tên: Trần Văn Bình\n4. Địa chỉ thường trú số nhà của tôi\n")
    assert doc.fields["address"].value is None


# The sixth pair (p6-honest36, seed 6374; p6-bang-honest29, seed 8874), measured before reading: one
# wrong value accepted of 1,313

PLACE = MOTTO + "TỜ KHAI THAY ĐỔI THÔNG TIN\n1. Họ và tên: Trần Văn Bình\n2. Địa chỉ cư trú: Số 103, đường {street}, Xã Mường Tè, Huyện Mường Tè, Tỉnh Lai Châu\n"


def test_a_streets_two_words_read_run_together_unsure_are_held():
    # p6-honest36 vb-0109 (47_thay_doi_thong_tin_nguoi_huong): "đường Hùngvương," at 0.77 accepted at
    # 1.00 for "Hùng Vương"
    field = _analysed(_read_unsure(PLACE.format(street="Hùngvương"), "Hùngvương,", 0.77)).fields["address"]
    assert field.status == "needs_review" and "no Vietnamese word" in field.note


@pytest.mark.parametrize("street", ["Hùng Vương", "Khuphố Hùng Vương"])
def test_a_streets_words_set_apart_or_its_type_words_run_together_stay(street):
    field = _analysed(_read_unsure(PLACE.format(street=street), "Vương,", 0.77)).fields["address"]
    assert "no Vietnamese word" not in (field.note or "")


POWER = MOTTO + "GIẤY ĐỀ NGHỊ MUA ĐIỆN\n1. Họ và tên: Trần Văn Bình\n{line}\n"


def test_a_speck_read_as_a_colon_after_a_phones_last_group():
    # p6-bang-honest29 vb-0067 (36_giay_de_nghi_mua_dien…): "(SMS): 0850 647 127:", the last group
    # dropped and the phone read cut
    doc = analyse_text(POWER.format(line="5.Số điện thoại liên hệ và nhận nhắn tin (SMS): 0850 647 127:"))
    assert doc.fields["phone"].value == "0850647127"


def test_a_colon_after_a_group_that_leaves_the_number_short_still_ends_it():
    doc = analyse_text(POWER.format(line="5. Số điện thoại: 0850 647 12: Fax: 0241"))
    assert doc.fields["phone"].status == "needs_review"


def test_dots_read_unsure_inside_a_label():
    # p6-bang-honest29 vb-0150 (45_thay_doi_thong_tin_cu_tru in a table): "5. Số điện ..[0.08] thoại liên
    # hệ: 0762338406", no phone found
    page = _read_unsure(POWER.format(line="5. Số điện .. thoại liên hệ: 0762338406 6. Email:"), "..", 0.08)
    assert _analysed(page).fields["phone"].value == "0762338406"


# The last pair (p6-honest37, seed 6375; p6-bang-honest30, seed 8875), measured before reading: no wrong
# value accepted of 1,321

@pytest.mark.parametrize("close", ["(dafe of birth)),.:...", "(date of birth),:..."])
def test_a_speck_between_a_glosss_close_and_its_colon(close):
    # p6-honest37 vb-0026 (06_cap_GPLX_quoc_te): "Ngày tháng năm sinh (dafe of birth)),.:...27/08/1985", not found
    doc = analyse_text(MOTTO + "TỜ KHAI ĐỀ NGHỊ CẤP GIẤY PHÉP LÁI XE QUỐC TẾ\nHọ và tên (full name): Trần Văn Bình\n"
                       f"Ngày tháng năm sinh {close}27/08/1985 .......\n")
    assert doc.fields["date_of_birth"].value == "1985-08-27"
