"""A number cut from its label by the page break: the label ends a page, the number opens the next
("5. Điện thoại cố định: ……, Điện thoại di động:" / "0837613319"), seen on Part 6's
realdata/forms-kltn 00_bao_cao_tot_nghiep_du_hoc_sinh. It is the label's value, never auto-accepted.
"""

from pipeline.analyse import AnalysisContext, analyse_pages
from tests.pipeline_fixtures import MOTTO, page_from_text

ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)
FIRST = (MOTTO + "BÁO CÁO TỐT NGHIỆP\nKính gửi: Bộ Giáo dục và Đào tạo\n1. Họ và tên: Lê Văn An\n"
         "5. Điện thoại cố định: ........., Điện thoại di động:")


def _doc(second_page: str):
    pages = [page_from_text(FIRST), page_from_text(second_page).model_copy(update={"page_no": 2})]
    (doc,) = analyse_pages(pages, ACCEPT_ALL)
    return doc


def test_a_phone_opening_the_next_page_is_its_labels_held():
    field = _doc("0837613319\n6. E-mail: an@example.com\n").fields["phone"]
    assert field.value == "0837613319"
    assert field.status == "needs_review" and "next" in field.note


def _phone(doc) -> str | None:
    field = doc.fields.get("phone")
    return field.value if field else None


def test_a_next_page_opening_with_no_number_gives_the_label_nothing():
    assert _phone(_doc("6. E-mail: an@example.com\nTôi cam đoan 0837613319\n")) is None
    assert _phone(_doc("Trang 2\n0837613319\n")) is None
