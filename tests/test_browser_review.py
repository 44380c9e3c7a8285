"""The review station in a real browser: headless Debian Chromium driven by Playwright, against the
app served by uvicorn on a loopback port. Sign in, open the queue, correct a field with the
keyboard only, see the history entry, two browsers saving one document, a hostile value shown as text.

(The README's screenshots come from real OCR: ``scripts/review_screenshots.py``.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.reviewdata import PASSWORD, build_station, serve_on_loopback

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    return build_station(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def base_url(station):
    yield from serve_on_loopback(station.settings)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run SOHOA_SETUP_BROWSER=1 bin/setup", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


def _signed_in(browser, base_url, name="reviewer-commune"):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + "/")
    assert page.url.startswith(base_url + "/login")  # signed out: the login page first
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/")
    page.dialogs = dialogs
    return context, page


def test_log_in_open_the_queue_and_correct_a_field_with_the_keyboard(station, browser, base_url):
    context, page = _signed_in(browser, base_url)
    assert page.locator("#count-needs-review").inner_text() == "1"
    assert page.locator("table.queue tbody tr").count() == 1
    # keyboard only from here: the first document's link has the focus (Chromium applies autofocus
    # at its next rendering update, which can come after the load event on a busy machine)
    expect(page.locator("#first-document")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/documents/{station.docs['A']}")
    page.wait_for_selector(".box")  # drawn once the page image has loaded
    focused = page.evaluate("document.activeElement.name")
    assert focused == "id_number"  # the first field needing review
    page.keyboard.type("001220012345")
    page.keyboard.press("Enter")
    expect(page.locator("#history")).to_contain_text("001220012345")
    assert "reviewer-commune" in page.locator("#history").inner_text()
    assert page.evaluate("document.activeElement.name") == "place_of_birth"  # on to the next flagged field
    assert page.locator('.field[data-key="id_number"] .status').inner_text() == "corrected"
    assert page.locator(".box").count() >= 3  # field boxes drawn on the page image
    # one key confirms the rest and opens the next document (none left: back to the queue)
    page.keyboard.press("Control+Enter")
    page.wait_for_url(base_url + "/")
    assert page.locator("#count-needs-review").inner_text() == "0"
    assert page.dialogs == []
    context.close()


def test_two_browsers_saving_one_document_get_the_conflict_message(station, browser, base_url):
    doc_url = f"{base_url}/documents/{station.docs['B']}"
    first_context, first = _signed_in(browser, base_url, "reviewer-province")
    second_context, second = _signed_in(browser, base_url, "admin-province")
    for page in (first, second):
        page.goto(doc_url)
        page.wait_for_selector("#f-full_name")
    first.fill("#f-full_name", "Trần Thị Bình")
    first.focus("#f-full_name")
    first.keyboard.press("Enter")
    expect(first.locator("#message")).to_contain_text("corrected")
    second.fill("#f-full_name", "Trần Thị Bính")
    second.focus("#f-full_name")
    second.keyboard.press("Enter")
    expect(second.locator("#message")).to_contain_text("Conflict")
    message = second.locator("#message").inner_text()
    assert "Trần Thị Bình" in message  # the other reviewer's value is shown
    assert second.input_value("#f-full_name") == "Trần Thị Bính"  # and nothing typed is lost
    first_context.close()
    second_context.close()


def test_a_hostile_value_renders_as_text(station, browser, base_url):
    context, page = _signed_in(browser, base_url, "admin-province")
    hostile = "<script>alert(1)</script>"
    page.goto(f"{base_url}/documents/{station.docs['none']}")
    page.wait_for_selector("#f-full_name")
    page.fill("#f-full_name", hostile)
    page.focus("#f-full_name")
    page.keyboard.press("Enter")
    expect(page.locator("#history")).to_contain_text("<script>")
    page.reload()
    page.wait_for_selector("#f-full_name")
    assert page.input_value("#f-full_name") == hostile
    assert hostile in page.locator("#history").inner_text()
    assert page.locator("#history script").count() == 0
    assert page.dialogs == []
    context.close()


def test_a_document_with_two_flagged_fields_takes_two_keys_plus_the_correction(station, browser, base_url):
    """From the queue: Enter opens the document with the first flagged field focused, the correction
    is typed, Ctrl+Enter saves it, confirms the other flagged field and opens the next document."""
    context, page = _signed_in(browser, base_url, "reviewer-province")
    doc_id = station.docs["B"]
    token = page.request.post(base_url + "/api/token",
                              form={"username": "reviewer-province", "password": PASSWORD}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    record = page.request.get(f"{base_url}/api/documents/{doc_id}", headers=auth).json()
    flagged = sorted(k for k, f in record["fields"].items() if f["status"] == "needs_review")
    version = record["version"]
    for key in flagged[2:]:  # leave exactly two flagged fields
        version = page.request.post(f"{base_url}/api/documents/{doc_id}/fields/{key}", headers=auth,
                                    data={"confirm": True, "version": version}).json()["version"]
    # The queue of B's batch: what other tests of this module left flagged elsewhere comes first
    # otherwise (oldest batch first).
    page.goto(base_url + "/?batch=batch-B")
    expect(page.locator("#first-document")).to_be_focused()
    assert page.locator("#first-document").get_attribute("href") == f"/documents/{doc_id}"
    keys = 0
    page.keyboard.press("Enter"); keys += 1  # noqa: E702
    page.wait_for_url(f"{base_url}/documents/{doc_id}")
    page.wait_for_selector(".box")
    assert page.evaluate("document.activeElement.name") == flagged[0]
    page.keyboard.type("001220012345")  # the correction itself
    page.keyboard.press("Control+Enter"); keys += 1  # noqa: E702
    page.wait_for_url(lambda url: not url.endswith(f"/documents/{doc_id}"))  # the next document, or the queue
    assert keys == 2
    after = page.request.get(f"{base_url}/api/documents/{doc_id}", headers=auth).json()
    assert after["status"] == "reviewed"
    assert after["fields"][flagged[0]] | {"value": "001220012345", "status": "corrected"} == after["fields"][flagged[0]]
    assert after["fields"][flagged[1]]["status"] == "confirmed"
    context.close()
