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
