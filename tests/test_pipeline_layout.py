"""Line layout, title cues and syllable checks on small hand-made inputs."""

from pipeline.classify import header_evidence, match_title, parse_symbol
from pipeline.layout import page_lines
from pipeline.syllables import syllable_share
from schemas.pages import PageText, Word
from tests.pipeline_fixtures import page_from_text


def _word(text, x0, x1, line=1):
    return Word(text=text, conf=0.9, bbox=(x0, 100, x1, 130), block=1, par=1, line=line)


def test_glued_header_columns_are_cut_apart():
    words = [_word("UỶ", 60, 100), _word("BAN", 110, 170), _word("CỘNG", 200, 280), _word("HÒA", 290, 350)]
    page = PageText(page_no=1, width=1240, height=1754, words=words)
    assert [l.text for l in page_lines(page)] == ["UỶ BAN", "CỘNG HÒA"]


def test_blank_for_a_handwritten_number_is_not_a_column_gap():
    words = [_word("Số:", 60, 110), _word("/UBND-KTTH", 400, 600), _word("Quảng", 900, 1000)]
    page = PageText(page_no=1, width=1240, height=1754, words=words)
    assert [l.text for l in page_lines(page)] == ["Số: /UBND-KTTH", "Quảng"]


def _block_word(text, x0, x1, top, bottom, block, line=1):
    return Word(text=text, conf=0.9, bbox=(x0, top, x1, bottom), block=block, par=1, line=line)


def test_a_value_the_engine_laid_out_as_a_block_of_its_own_rejoins_its_labels_row():
    # new-study3, 07_cap_lai_the_BHYT: a name written in a taller hand after its label, which lost its
    # colon under the ink, came back as a block of its own read after the labels below it
    label = [_block_word(t, x0, x1, 1036, 1089, block=4, line=3)
             for t, x0, x1 in (("Họ", 456, 507), ("và", 520, 567), ("tên", 579, 638), ("người", 652, 765), ("tham", 778, 873))]
    below = [_block_word("Mã", 456, 514, 1102, 1137, block=4, line=4), _block_word("thẻ:", 526, 585, 1101, 1137, block=4, line=4)]
    name = [_block_word(t, x0, x1, 1005, 1092, block=6) for t, x0, x1 in (("Huỳnh", 920, 1068), ("Đình", 1073, 1180))]
    page = PageText(page_no=1, width=2155, height=2768, words=label + below + name)
    assert [l.text for l in page_lines(page)] == ["Họ và tên người tham Huỳnh Đình", "Mã thẻ:"]


def test_lines_of_other_blocks_that_share_no_row_stay_apart():
    header = [_block_word("ỦY", 60, 110, 100, 130, block=1), _block_word("BAN", 120, 180, 100, 130, block=1)]
    motto = [_block_word("CỘNG", 700, 780, 100, 130, block=2), _block_word("HÒA", 790, 850, 100, 130, block=2)]
    tall_mark = [_block_word("+", 20, 40, 90, 400, block=3)]  # a margin mark as tall as many lines
    body = [_block_word("Họ", 60, 100, 200, 230, block=4), _block_word("tên:", 110, 170, 200, 230, block=4)]
    speck = [_block_word(")", 30, 50, 300, 330, block=5)]  # no letter, no row: the item after it opens its line
    item = [_block_word("Nơi", 60, 100, 300, 330, block=6), _block_word("ở:", 110, 150, 300, 330, block=6)]
    page = PageText(page_no=1, width=1240, height=1754, words=header + motto + tall_mark + body + speck + item)
    assert [l.text for l in page_lines(page)] == ["ỦY BAN", "CỘNG HÒA", "+", "Họ tên:", ")", "Nơi ở:"]


def test_titles_are_fuzzy_but_not_loose():
    lines = page_lines(page_from_text("CHÍ THỊ\nCÔNG AN TP ĐÀ NẴNG\nĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\nQuyết định số 12"))
    assert match_title(lines[0])[0] == "chi_thi"  # OCR's CHÍ for CHỈ
    assert match_title(lines[1]) is None  # not CÔNG VĂN
    assert match_title(lines[2])[0] == "don_de_nghi"
    assert match_title(lines[3]) is None  # body text, not a title


def test_symbol_cue_and_motto():
    assert parse_symbol("Số: 05/CT-UBND") == "CT"
    assert parse_symbol("Số: 01/2023/TT-VPCP") == "TT"
    text = "ỦY BAN NHÂN DÂN|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH QUẢNG NGÃI|Độc lập - Tự do - Hạnh phúc\nSố: 12/TB-UBND"
    evidence = header_evidence(page_lines(page_from_text(text)))
    assert evidence.motto and evidence.symbol_type == "thong_bao" and evidence.letter_header


def test_syllable_share_spots_ocr_slips():
    assert syllable_share("Nguyễn Văn An") == 1.0
    assert syllable_share("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI") == 1.0
    assert syllable_share("Quảng Nøãi") == 0.5
    assert syllable_share("Sở GD&ĐT, 123/TTr-UBND") == 1.0


def test_value_repairs_undo_ocr_spacing_and_mark_slips():
    from pipeline.extract import repair_spacing
    from pipeline.letters import fix_symbol

    assert repair_spacing("Số163, đường Trần Hưng Đạo,Xã Tam An, TỉnhThanh Hóa") == (
        "Số 163, đường Trần Hưng Đạo, Xã Tam An, Tỉnh Thanh Hóa")
    assert repair_spacing("Tố dân phố 5, Tính Bắc Ninh") == "Tổ dân phố 5, Tỉnh Bắc Ninh"
    assert repair_spacing("Huyện Sơn Tịnh, Tỉnh Quảng Ngãi") == "Huyện Sơn Tịnh, Tỉnh Quảng Ngãi"
    assert repair_spacing("Xã Cư ELang") == "Xã Cư ELang"
    assert fix_symbol("TTIr -UBND") == "TTr-UBND" and fix_symbol("QĐÐ-UBND") == "QĐ-UBND"


def test_the_motto_beside_a_header_keeps_its_column_and_its_order():
    # p3-6262: "UBND THÀNH PHỐ HÒA BÌNH." and the motto a few letters apart: the motto heads the right
    # column, read after the left one as the engine laid them out (the text's order, and its CER)
    left = [_block_word("UBND", 60, 160, 100, 130, block=1), _block_word("TỈNH", 170, 260, 100, 130, block=1),
            _block_word("XÃ", 60, 110, 140, 170, block=1, line=2), _block_word("AN", 120, 170, 140, 170, block=1, line=2)]
    motto = [_block_word("CỘNG", 290, 370, 100, 130, block=2), _block_word("HÒA", 380, 440, 100, 130, block=2)]
    page = PageText(page_no=1, width=1240, height=1754, words=left + motto)
    assert [l.text for l in page_lines(page)] == ["UBND TỈNH", "XÃ AN", "CỘNG HÒA"]


def test_a_row_stands_where_the_reading_first_meets_it():
    # new-sealed5, 35_giay_de_nghi_kham_giam_dinh: the typed phone "0909331843" read in the body's block,
    # its label "Điện thoại liên hệ" in a block read after the signature: the row at the label's place
    # fell after "(Ký, ghi rõ họ tên)", where a form's items end
    body = [_block_word("Nghề:", 436, 540, 932, 974, block=6, line=1),
            _block_word("0909331843", 802, 1017, 997, 1027, block=6, line=2),
            _block_word("Đề", 436, 486, 1058, 1092, block=6, line=3), _block_word("nghị", 498, 573, 1060, 1099, block=6, line=3)]
    signature = [_block_word("(Ký,", 900, 980, 1513, 1550, block=7, line=1), _block_word("tên)", 990, 1060, 1513, 1550, block=7, line=1)]
    label = [_block_word(t, x0, x1, 997, 1034, block=8) for t, x0, x1 in (("Điện", 436, 519), ("thoại", 532, 616), ("liên", 630, 693), ("hệ", 705, 744))]
    page = PageText(page_no=1, width=2120, height=2744, words=body + signature + label)
    assert [l.text for l in page_lines(page)] == ["Nghề:", "Điện thoại liên hệ 0909331843", "Đề nghị", "(Ký, tên)"]


def _cell_row(label, value, top, bottom, block):
    return [_block_word(label, 60, 380, top, bottom, block), _block_word(value, 420, 900, top, bottom, block)]


def test_a_tables_rows_keep_their_order_down_the_table_whatever_the_engine_reads_first():
    # p6-bang-study6, 51_TK_cap_ho_chieu_tre_em in a table: the engine read the tall last row ("7. Quan hệ
    # với người dưới 14 tuổi …: Mẹ") before item 1, and the relation turned the form to the child before
    # the applicant's own items. A title above the table that the engine read after that row stays where
    # it was read (p6-bang-study4, 09: "THÔNG BÁO" read after the table's last row, before its first)
    cells = [(50, 100, 400, 160), (400, 100, 1000, 160), (50, 160, 400, 220), (400, 160, 1000, 220),
             (50, 220, 400, 400), (400, 220, 1000, 400)]
    title = [_block_word("THÔNG_BÁO", 400, 700, 40, 80, block=2)]
    words = (_cell_row("7.Quan_hệ:", "Mẹ", 290, 330, block=1) + title
             + _cell_row("1.Họ_tên", "Lương_Thanh_Phượng", 115, 145, block=3)
             + _cell_row("2.Sinh_ngày", "03/07/1956", 175, 205, block=3))
    page = PageText(page_no=1, width=1240, height=1754, words=words, cells=cells)
    assert [l.text for l in page_lines(page)] == ["THÔNG_BÁO", "1.Họ_tên Lương_Thanh_Phượng",
                                                  "2.Sinh_ngày 03/07/1956", "7.Quan_hệ: Mẹ"]
