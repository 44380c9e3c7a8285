"""The page path's labelling gives what OpenCV's default labelling gives, on real page binaries."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from ocr.blobs import label_blobs

REAL = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["vietadmin-ocr/4_1.jpg", "vietadmin-ocr/augmented/4_2_v1_noisy.jpg"])
def test_labels_stats_and_centroids_match_opencvs_default(name):
    gray = cv2.imread(str(REAL / name), cv2.IMREAD_GRAYSCALE)
    adaptive = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    smeared = cv2.morphologyEx(adaptive, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 3)))
    for binary in (adaptive, smeared, (gray < 110).astype(np.uint8)):
        count, labels, stats, centroids = label_blobs(binary)
        expected = cv2.connectedComponentsWithStats(binary, connectivity=8)
        assert count == expected[0] and count > 10
        assert np.array_equal(labels, expected[1]) and np.array_equal(stats, expected[2])
        assert np.allclose(centroids, expected[3])
