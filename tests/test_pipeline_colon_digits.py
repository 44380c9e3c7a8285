"""A hand's dot between a phone number's digit groups read as a colon ("0763:322:515", "0395
063:232"), seen on Part 6's forms filled in a handwriting-like hand: the colon is no label's, and the
number goes on past it. Wording from realdata/forms-kltn 59_to_khai_thue_thu_nhap_ca_nhan ("[09]
Điện thoại:") and 16_DDN_huong_che_do_benh_nghe_nghiep ("4. Điện thoại:").
"""

import pytest

from pipeline.analyse import AnalysisContext, analyse_pages
from pipeline.labels import after_colon
from tests.pipeline_fixtures import page_from_text

ACCEPT_ALL = AnalysisContext(review_threshold=0.0, use_text_model=False)

TAX = ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nTỜ KHAI THUẾ THU NHẬP CÁ NHÂN\n"
       "[04] Tên người nộp thuế: Trần Văn Bình\n[05] Mã số thuế: 8031142021\n"
       "[06] Địa chỉ: Số 12, đường Lê Lợi, Phường Quang Trung, Thành phố Thái Bình, Tỉnh Thái Bình\n"
       "[09] Điện thoại: {phone} [10] Fax: [11] Email:\nThái Bình, ngày 12 tháng 4 năm 2024\n")
CLAIM = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐƠN ĐỀ NGHỊ\n"
         "Về việc hưởng chế độ bệnh nghề nghiệp\nKính gửi: Bảo hiểm xã hội tỉnh Thái Bình\n"
         "1. Họ và tên: Trần Văn Bình\n2. Ngày tháng năm sinh: 12/05/1980 Giới tính: Nam\n"
         "4. Điện thoại: {phone}\n5. Số sổ BHXH: 3415006789\n")


@pytest.mark.parametrize("form, phone", [
    (TAX, "0763:322:515"),       # the number's first word holds the colons
    (CLAIM, "0395 063:232"),     # a later group holds one
    (CLAIM, "0395.063.232"),     # dots, as printed: unchanged
])
def test_a_phone_goes_on_past_a_colon_between_its_digit_groups(form, phone):
    (doc,) = analyse_pages([page_from_text(form.format(phone=phone))], ACCEPT_ALL)
    assert doc.fields["phone"].value == "".join(ch for ch in phone if ch.isdigit())


def test_a_colon_after_a_label_or_an_item_number_still_ends_the_label():
    words = page_from_text("thoại:0912345678 07:0912345678 12:30").words
    assert after_colon(words[:1])[0].text == "0912345678"      # a label glued to its value
    assert after_colon(words[1:2])[0].text == "0912345678"     # an item's number: too short for a number's group
    assert after_colon(words[2:3])[0].text == "30"
