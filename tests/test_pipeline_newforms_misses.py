"""Misses of the extractors on the opt-in form families (scripts/samplegen/forms/extra/, Part 6's
unseen forms), each tested on the forms' own wording (realdata/forms-kltn)."""

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages
from tests.pipeline_fixtures import page_from_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)


def _doc(text: str, context: AnalysisContext = ACCEPT_ALL):
    (doc,) = analyse_pages([page_from_text(text)], context)
    return doc


@pytest.mark.parametrize("label", ["Nơi cưtrú: (2)", "Ngày, tháng, nămsinh:", "Giấy tờ tùythân: (3)", "Địa chỉthường trú"])
def test_a_label_alone_on_its_line_with_two_words_read_glued_does_not_crash(label):
    # 52_TK_dang_ky_CMC / 23_doi_ho_ten_cho_con: "Nơi cư trú: (2)" with the address on the line below;
    # OCR glued two of the label's words, so the line is shorter than the label (IndexError before)
    doc = _doc(MOTTO + "TỜ KHAI ĐĂNG KÝ NHẬN CHA, MẸ, CON\nHọ, chữ đệm, tên người yêu cầu: Nguyễn Văn An\n"
               + label + "\nXóm 1, Xã Tiến Đức, Huyện Hưng Hà, Tỉnh Thái Bình\n")
    assert doc.fields["full_name"].value == "Nguyễn Văn An"
    if label.startswith("Nơi"):
        assert doc.fields["address"].value == "Xóm 1, Xã Tiến Đức, Huyện Hưng Hà, Tỉnh Thái Bình"
