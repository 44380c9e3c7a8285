"""Page images of a born-digital PDF: its pages were read from the text layer (no image stored),
so the API renders them from the PDF at the resolution the word boxes were measured in."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from storage.db import transaction
from storage.review import set_batch_receiving_unit
from storage.users import add_user
from tests.reviewdata import PASSWORD
from workers.embedded import process_paths


def _born_digital_pdf(path) -> None:
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    pdf = canvas.Canvas(str(path), pagesize=A5)
    pdf.setFont("DejaVu", 12)
    for n, line in enumerate(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "GIẤY KHAI SINH",
                              "Họ, chữ đệm, tên: NGUYỄN VĂN AN", "Ngày, tháng, năm sinh: 05/03/2020"]):
        pdf.drawString(40, 540 - 24 * n, line)
    pdf.save()


def test_a_text_layer_page_is_rendered_from_the_pdf(embedded_settings, tmp_path):
    from api.app import create_app
    from workers.runtime import current

    scans = tmp_path / "scans"
    scans.mkdir()
    _born_digital_pdf(scans / "digital.pdf")
    process_paths(embedded_settings, [scans], "digital", threads=1)
    with transaction(current().sessions) as s:
        set_batch_receiving_unit(s, "digital", "pre2025:00001")
        add_user(s, "viewer", role="viewer", unit_code="pre2025:00001", password=PASSWORD)
    client = TestClient(create_app(embedded_settings))
    token = client.post("/api/token", data={"username": "viewer", "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    (item,) = client.get("/api/documents", headers=headers, params={"status": "all"}).json()["items"]
    record = client.get(f"/api/documents/{item['id']}", headers=headers).json()
    assert record["page_details"][0]["text_source"] == "text_layer"
    answer = client.get(f"/api/documents/{item['id']}/pages/1/image", headers=headers, params={"format": "png"})
    assert answer.status_code == 200
    image = Image.open(io.BytesIO(answer.content))
    assert list(image.size) == record["page_sizes"]["1"]  # the word boxes' pixel grid
    assert min(image.convert("L").getdata()) < 100  # the text is drawn
