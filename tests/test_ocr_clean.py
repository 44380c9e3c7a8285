"""ocr.clean: stamps, uneven light, border shadows, noise, blank pages, margins."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.clean import clean_page, content_box, drop_red, flatten_background, is_blank, remove_border_shadows
from ocr.synth import degrade, render_text_page


def _ink(gray: np.ndarray) -> np.ndarray:
    return gray < 128


def test_red_stamp_goes_black_text_under_it_stays():
    page = render_text_page(dpi=200)
    stamped = degrade(page.image, seed=1, noise=0, uneven=False, stamp=True)
    notes: list[str] = []
    cleaned = drop_red(stamped, notes)
    text_ink = _ink(page.image)
    # Nearly all of the text's ink survives, nearly nothing else is left dark.
    assert (_ink(cleaned) & text_ink).sum() >= 0.97 * text_ink.sum()
    assert (_ink(cleaned) & ~text_ink).sum() <= 0.01 * text_ink.sum()
    assert any("red stamp" in note for note in notes)


def test_grey_page_passes_through_drop_red():
    gray = np.full((50, 60), 200, dtype=np.uint8)
    assert drop_red(gray) is gray


def test_uneven_light_is_flattened_to_white_paper():
    page = render_text_page(dpi=200).image.astype(np.float32)
    shade = np.linspace(0.55, 1.0, page.shape[1], dtype=np.float32)[None, :]
    dark = (page * shade).astype(np.uint8)
    flat = flatten_background(dark, 200)
    paper = page > 200
    assert np.percentile(flat[paper], 5) > 200  # even the darkest paper is near white now
    assert np.mean(flat[page < 60]) < 100  # text stays dark


def test_border_shadow_is_whitened_but_text_kept():
    page = render_text_page(dpi=200).image.copy()
    page[:, :60] = 20  # scanner lid shadow along the left edge
    cleaned = remove_border_shadows(page, 200)
    assert cleaned[:, :50].min() == 255
    assert (_ink(cleaned[:, 100:]) == _ink(page[:, 100:])).all()


def test_blank_and_not_blank():
    paper = np.full((1100, 850), 245, dtype=np.uint8)
    noisy = np.clip(paper + np.random.default_rng(0).normal(0, 6, paper.shape), 0, 255).astype(np.uint8)
    assert is_blank(noisy, 100)
    assert not is_blank(render_text_page(dpi=100).image, 100)


def test_content_box_crops_the_margins():
    page = np.full((1000, 800), 255, dtype=np.uint8)
    text = render_text_page(dpi=100, width_in=3, height_in=2, margin_in=0.1).image
    page[400 : 400 + text.shape[0], 250 : 250 + text.shape[1]] = text
    x0, y0, x1, y1 = content_box(page, 100)
    assert 200 < x0 <= 260 and 380 < y0 <= 420 and x1 < 600 and y1 < 640


def test_clean_page_runs_all_steps_on_a_damaged_colour_page():
    page = render_text_page(dpi=200)
    damaged = degrade(page.image, seed=2)
    notes: list[str] = []
    cleaned = clean_page(damaged, 200, notes)
    assert cleaned.ndim == 2 and cleaned.dtype == np.uint8
    agreement = (_ink(cleaned) == _ink(page.image)).mean()
    assert agreement > 0.99
    assert cv2.countNonZero((cleaned < 128).astype(np.uint8)) > 0


def test_punch_holes_are_whitened_but_letters_kept():
    from ocr.clean import remove_punch_holes

    text = render_text_page(dpi=200, width_in=5.8, height_in=8.3).image
    page = np.pad(text, ((0, 0), (120, 0)), constant_values=255)  # a 25 mm left margin in all
    for y in (300, 1300):
        cv2.circle(page, (95, y), 26, 10, thickness=-1)  # 6.6 mm holes, 12 mm from the left edge
    notes: list[str] = []
    cleaned = remove_punch_holes(page, 200, notes)
    assert cleaned[300, 95] == 255 and cleaned[1300, 95] == 255
    assert notes == ["2 punch hole(s) removed"]
    assert (_ink(cleaned[:, 140:]) == _ink(page[:, 140:])).all()


def test_only_blurred_pages_are_sharpened():
    from ocr.clean import sharpen_if_blurred, sharpness

    page = render_text_page(dpi=300, width_in=5.8, height_in=8.3).image
    small = cv2.resize(page, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)  # a ~90 dpi capture
    blurred = cv2.resize(cv2.GaussianBlur(small, (5, 5), 0), (page.shape[1], page.shape[0]), interpolation=cv2.INTER_CUBIC)
    assert sharpness(blurred, 300) < 3.4 < sharpness(page, 300)
    notes: list[str] = []
    sharpened = sharpen_if_blurred(blurred, 300, notes)
    assert notes and sharpness(sharpened, 300) > sharpness(blurred, 300)
    assert sharpen_if_blurred(page, 300) is page


def test_the_75_dpi_copy_is_shared_only_by_the_same_image():
    """The blank test, the dark marks and the content box share one ~75 dpi copy per image object
    (ocr.clean._LastReduction): each must answer for the image it is given, not the last one seen."""
    page = render_text_page(dpi=300).image
    shifted = np.full_like(page, 255)
    shifted[200:, 300:] = page[:-200, :-300]  # the same text, lower and further right
    blank = np.full_like(page, 255)
    expected = {id(image): (content_box(image, 300), is_blank(image, 300)) for image in (page, shifted, blank)}
    for image in (page, page, shifted, page, blank, blank, shifted, shifted):
        assert (content_box(image, 300), is_blank(image, 300)) == expected[id(image)]
    assert content_box(page, 300) != content_box(shifted, 300) and is_blank(blank, 300) and not is_blank(page, 300)
    copy = page.copy()  # equal pixels, another object: measured again, the same answer
    assert content_box(copy, 300) == expected[id(page)][0]
    assert content_box(page, 150) != content_box(page, 300)  # another resolution is another copy
