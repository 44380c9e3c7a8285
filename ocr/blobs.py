"""Connected components: the one way the page path labels ink (orientation, deskew, cleaning, the
blank test, the content box, the letter height, the resolution guess of the decoder)."""

from __future__ import annotations

import cv2
import numpy as np


def label_blobs(binary: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """(count, labels, stats, centroids) of the 8-connected non-zero regions of a uint8 image, as
    :func:`cv2.connectedComponentsWithStats` gives them.

    Labelled by Grana's block-based algorithm (BBDT), which gives the same labels, in the same
    order, as OpenCV's default (Spaghetti) but, with statistics and one thread, 2-3x faster on page
    binaries: measured on 150 dpi binaries of the bench's A4 scans, 4.5-6 ms against 10-15 ms, and
    a page is labelled seven or eight times on its way through the page path.
    """
    return cv2.connectedComponentsWithStatsWithAlgorithm(binary, 8, cv2.CV_32S, cv2.CCL_BBDT)
