"""A person's name as OCR slips on a filled form, read after Part 6's sets were measured (each line
below is worded as its form in realdata/forms-kltn prints it): a capital read inside one syllable, a
name in capitals read as one word, the next item's number or footnote glued to the name, the next
item's label opening on the name's line.
"""

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages
from pipeline.names import repair_name, split_glued_words, stray_inner_capital
from tests.pipeline_fixtures import page_from_text

ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


def _name(text: str) -> str | None:
    (doc,) = analyse_pages([page_from_text(MOTTO + text)], ACCEPT_ALL)
    found = doc.fields.get("full_name")
    return found.value if found is not None else None


def test_a_capital_read_inside_one_name_syllable_is_made_small_not_cut():
    # 27_don_khoi_kien: "Người khởi kiện: Lý Đức ViỆt" had become "Lý Đức Vi Ệt"
    assert stray_inner_capital("ViỆt") == "Việt" and stray_inner_capital("HuỆ,") == "Huệ,"
    assert stray_inner_capital("ĐứcViệt") is None  # two names glued: cut, as before
    assert split_glued_words(["ĐứcViệt"]) == ["Đức", "Việt"]
    assert _name("ĐƠN KHỞI KIỆN\nKính gửi: Tòa án nhân dân huyện Mường La\n"
                 "Người khởi kiện: Lý Đức ViỆt\nĐịa chỉ: Ấp 6, Xã Cẩm Vân, Huyện Cẩm Thủy, Tỉnh Thanh Hóa\n") == "Lý Đức Việt"
    assert repair_name("Lý Đức ViỆt").fixed >= 1  # a slip put right is no sure reading


def test_a_name_in_capitals_read_as_one_word_is_cut_into_its_syllables():
    # 49_TK1-TS: "[01]. Họ và tên (viết chữ in hoa): ĐOÀNTHANHDIỆU HOA"
    assert split_glued_words(["ĐOÀNTHANHDIỆU", "HOA"]) == ["ĐOÀN", "THANH", "DIỆU", "HOA"]
    assert split_glued_words(["THÀNHCÔNG"]) == ["THÀNH", "CÔNG"]
    assert split_glued_words(["NGUYỄN"]) == ["NGUYỄN"]
    assert _name("TỜ KHAI THAM GIA, ĐIỀU CHỈNH THÔNG TIN BẢO HIỂM XÃ HỘI, BẢO HIỂM Y TẾ\n"
                 "[01]. Họ và tên (viết chữ in hoa): ĐOÀNTHANHDIỆU HOA\n[02]. Giới tính: Nữ\n") == "ĐOÀN THANH DIỆU HOA"


@pytest.mark.parametrize("line, name", [
    # 49_TK1-TS: the next item's number "[02]" read glued onto the name
    ("[01]. Họ và tên (viết chữ in hoa): HUỲNH ĐÌNH HÙNG021. Giới tính: Nam", "HUỲNH ĐÌNH HÙNG"),
    # 36_giay_de_nghi_mua_dien_cho_ngoai_sinh_hoat: the footnote mark "(2)." read "00)."
    ("2.Đại diện là ông (bà): Trương Công Dũng 00).", "Trương Công Dũng"),
])
def test_digits_after_a_name_are_no_part_of_it(line, name):
    assert _name("GIẤY ĐỀ NGHỊ\n" + line + "\n") == name


def test_the_next_items_label_on_the_names_line_is_no_part_of_the_name():
    # 13_DDN_gia_han_time_hoc_nuoc_ngoai: "Tôi tên là: …" and "Cơ quan quản lý trực tiếp (nếu có): …"
    # set on one line; "Cơ" is no name's word, and the small words run to the label's colon
    assert _name("ĐƠN ĐỀ NGHỊ GIA HẠN THỜI GIAN HỌC TẬP Ở NƯỚC NGOÀI\nKính gửi: Bộ Giáo dục và Đào tạo\n"
                 "Tôi tên là: Ngô Diệu Thảo Cơ quan quản lý trực tiếp (nếu có):\n") == "Ngô Diệu Thảo"
    # 20_de_nghi_Nhan_che_do_BHXH_khi_nguoi_huong_tu_tran: "Sinh ngày" with its day glued on
    assert _name("GIẤY ĐỀ NGHỊ NHẬN CHẾ ĐỘ BẢO HIỂM XÃ HỘI KHI NGƯỜI HƯỞNG TỪ TRẦN\n"
                 "2. Tôi tên là: Trịnh Thị Thủy Sinh ngày21 tháng 04 năm 1967\n") == "Trịnh Thị Thủy"


def test_the_next_items_label_misread_with_its_blank_glued_on_ends_the_name():
    # 33_don_xin_thoi_hoc: "Tôi tên: …… MSSV: ……" on one line, "MSSV" read "MSSYV", the blank's dot glued
    assert _name("ĐƠN XIN THÔI HỌC\nKính gửi: Ban Giám hiệu Trường Đại học Bách khoa\n"
                 "Tôi tên: Đinh Ngọc Dũng MSSYV:.\nNgành học: Công nghệ thông tin\n") == "Đinh Ngọc Dũng"


def test_a_name_word_before_small_words_and_a_colon_stays_the_names():
    # a petition's sentence: "An" is a name's word, the words after it are the sentence's
    assert _name("ĐƠN ĐỀ NGHỊ\nTôi tên là: Nguyễn Văn An hiện cư trú tại: Xã Cẩm Vân, Huyện Cẩm Thủy\n") == "Nguyễn Văn An"


def test_a_name_word_garbled_into_digits_is_not_cut_away():
    # p6-kltn60, form 26: "Tên tôi là: Phạn Hồng 111/0 HH acc": the given name "Lan" read as digits;
    # cut before them, "Phan Hồng" had been auto-accepted
    (doc,) = analyse_pages([page_from_text(MOTTO + "ĐƠN KHIẾU NẠI\nKính gửi: Ủy ban nhân dân Tỉnh Đồng Nai\n"
                                           "Tên tôi là: Phạn Hồng 111/0 HH acc\n")], AnalysisContext(use_text_model=False))
    name = doc.fields.get("full_name")
    assert name is None or name.value is None or name.status != "auto_accepted"


@pytest.mark.parametrize("read, written", [
    ("ĐỖ Văn Hùng", "Đỗ Văn Hùng"),          # a hand's surname read in capitals
    ("Ngô Kim NgỌC", "Ngô Kim Ngọc"),        # the marks of a capital read as capitals
    ("Lê QUang Huy", "Lê Quang Huy"), ("phan Văn Đức", "Phan Văn Đức"),
    ("NGUYỄN THỊ Lan", "NGUYỄN THỊ LAN"),    # a name in capitals keeps them
    ("LÊ NGỌC VĂN CƯỜNG", "LÊ NGỌC VĂN CƯỜNG"), ("Nguyễn Văn An", "Nguyễn Văn An"),
    ("Lê MY", "Lê MY"),                      # two words, one each way: no style to follow
    ("ương Diệu Loan", "ương Diệu Loan"),    # a word that lost its first letters gets no capital
])
def test_a_names_words_take_the_case_style_most_of_them_share(read, written):
    # "ĐỖ Hữu Sơn" (29_don_xin_chuyen_truong_tieu_hoc_trong_nuoc), "ĐỖ NgỌC Loan" (55_TK_DK_giam_ho),
    # "Lê QUang Bình" (64_ĐN_chi_tra_tien_mien_giam_hoc_phi), "Lê Đức HỮU Vinh" (57_TK_DK_nhan_CMC): the
    # reviewer had to retype a name read right but for its case
    repaired = repair_name(read)
    assert repaired.value == written
    assert (repaired.fixed > 0) == (read != written)  # a slip put right is no sure reading


def test_a_name_read_in_two_case_styles_is_found_in_one():
    assert _name("TỜ KHAI ĐỀ NGHỊ CẤP HỘ CHIẾU\n1. Họ và tên: ĐỖ Thị Hồng Nhung\n2. Giới tính: Nữ\n") == "Đỗ Thị Hồng Nhung"
    # a word read in another case may have slipped in its letters as well: put in style, the name is held
    (doc,) = analyse_pages([page_from_text(MOTTO + "TỜ KHAI\n1. Họ và tên: Lê QUang Huy\n")], ACCEPT_ALL)
    name = doc.fields["full_name"]
    assert name.value == "Lê Quang Huy" and name.status == "needs_review" and "another case" in name.note


@pytest.mark.parametrize("read, name", [
    ("Đặng Thị Chỉ", "Đặng Thị Chi"), ("TRỊNH DIỆU CHỈ", "TRỊNH DIỆU CHI"), ("Nguyễn Văn Chí", "Nguyễn Văn Chí"),
])
def test_an_is_dot_read_as_the_hook_above_is_put_back_and_held(read, name):
    # 11_dang_ky_khai_sinh and five other forms: the given name "Chi" read "Chỉ", typed or by hand; "Chỉ"
    # is no name, and its unmarked letters fit "Chí" too: the likely name, never auto-accepted
    repaired = repair_name(read)
    assert repaired.value == name and repaired.guessed == (read != name)
    (doc,) = analyse_pages([page_from_text(MOTTO + "TỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên người yêu cầu: "
                                           + read + "\nNơi cư trú: Số 12, đường Lê Lợi, Phường Quang Trung, "
                                           "Thành phố Thái Bình, Tỉnh Thái Bình\n")], ACCEPT_ALL)
    field = doc.fields["full_name"]
    assert field.value == name and (field.status == "needs_review") == (read != name)
