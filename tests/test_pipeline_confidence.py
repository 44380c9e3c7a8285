"""Calibration: fitted maps are monotone, thresholds meet the accuracy target, JSON round-trips."""

import random

from pipeline.confidence import (
    Calibration, MonotoneMap, choose_threshold, choose_threshold_by_groups, error_upper_bound, expected_calibration_error, fit_calibration, tradeoff_curve,
)
from pipeline.route import route_field
from schemas.results import FieldResult


def _samples(n=3000, seed=7):
    rng = random.Random(seed)
    samples = []
    for _ in range(n):
        ocr = rng.random()
        valid = rng.random() < 0.8
        p_right = 0.3 + 0.69 * ocr * (1.0 if valid else 0.5)
        samples.append(({"ocr_mean": ocr, "ocr_min": ocr, "valid": float(valid), "label": 1.0}, rng.random() < p_right))
    return samples


def test_fitted_calibration_is_calibrated_and_meets_the_target(tmp_path):
    samples = _samples()
    types = [(s, s > 0.3) for s in (i / 100 for i in range(100))]
    calibration = fit_calibration(samples, types, source="synthetic")
    confidences = [calibration.field_confidence(f) for f, _ in samples]
    right = [int(ok) for _, ok in samples]
    assert expected_calibration_error(confidences, right) < 0.03
    accepted = [ok for c, ok in zip(confidences, right) if c >= calibration.threshold]
    assert sum(accepted) / len(accepted) >= 0.99 or calibration.threshold == 1.0
    xs = [i / 50 for i in range(51)]
    ys = [calibration.field_map(x) for x in xs]
    assert ys == sorted(ys)
    path = tmp_path / "cal.json"
    calibration.save(path)
    again = Calibration.load(path)
    assert again.field_confidence(samples[0][0]) == calibration.field_confidence(samples[0][0])
    assert again.version == calibration.version and again.tradeoff == calibration.tradeoff


def test_threshold_is_the_lowest_that_keeps_accepted_fields_right():
    confidences = [0.99] * 200 + [0.9] * 100 + [0.5] * 100
    right = [1] * 200 + [1] * 99 + [0] + [1] * 50 + [0] * 50
    assert choose_threshold(confidences, right, target=0.995, level=None) == 0.9
    assert choose_threshold(confidences, right, target=0.999, level=None) == 0.99
    curve = tradeoff_curve(confidences, right, steps=11)
    assert curve[0]["coverage"] == 1.0 and curve[-1]["coverage"] == 0.0


def test_threshold_keeps_the_upper_bound_of_the_error_within_target():
    # at 0.9: 12 wrong of 3000 = 0.4% (within 0.5%), but its 95% upper bound is above 0.5%
    confidences = [0.99] * 2000 + [0.9] * 1000
    right = [1] * 2000 + [1] * 988 + [0] * 12
    assert choose_threshold(confidences, right, target=0.995, level=None) == 0.9
    assert choose_threshold(confidences, right, target=0.995) == 0.99
    assert 0.005 < error_upper_bound(12, 3000) < 0.008 and error_upper_bound(0, 2000) < 0.003


def test_errors_that_come_in_dossiers_raise_the_threshold():
    # 100 dossiers of 30 fields: 20 scored 0.99 (all right), 10 scored 0.95. Six of the 0.95 fields
    # are wrong: 6 of 3000 accepted at 0.95 = 0.2%, within 0.5% even by the field-wise 99% bound.
    groups = [f"dossier-{d}" for d in range(100) for _ in range(30)]
    confidences = ([0.99] * 20 + [0.95] * 10) * 100

    def wrong_at(cells):
        right = [1] * 3000
        for dossier, field in cells:
            right[dossier * 30 + 20 + field] = 0
        return right

    spread = wrong_at([(d, 0) for d in (3, 17, 31, 48, 66, 90)])  # six dossiers, one error each
    clustered = wrong_at([(d, f) for d in (5, 60) for f in range(3)])  # one name misread, copied 3 times
    for right in (spread, clustered):
        assert choose_threshold(confidences, right, target=0.995) == 0.95
    # Fresh sets of dossiers: six scattered errors vary little; two dossiers of three errors each
    # often come as three or four such dossiers (9-12 errors, 0.3-0.4%) and at the 99th percentile
    # beyond 0.5%.
    assert choose_threshold_by_groups(confidences, spread, groups) == 0.95
    assert choose_threshold_by_groups(confidences, clustered, groups) == 0.99


def test_monotone_map_interpolates_and_clips():
    m = MonotoneMap([0.2, 0.8], [0.1, 0.9])
    assert m(0.0) == 0.1 and m(1.0) == 0.9 and abs(m(0.5) - 0.5) < 1e-9


def test_routing_never_accepts_missing_or_handwritten_values():
    field = FieldResult(key="doc_number", value="05/CT-UBND", confidence=0.99)
    assert route_field(field, 0.9).status == "auto_accepted"
    assert route_field(field.model_copy(), 0.9, handwritten=True).status == "needs_review"
    assert route_field(FieldResult(key="doc_number", value=None, confidence=0.99), 0.9).status == "needs_review"


def test_shipped_calibration_is_certified_by_every_bound_it_records():
    """The shipped threshold is at or above each error bound recorded with it (field by field,
    by dossier, and on the families held out of the fit), its map is monotone, and every
    family it reports held-out figures for is one it knows."""
    from pipeline.confidence import DEFAULT_PATH, FEATURES

    shipped = Calibration.load(DEFAULT_PATH)
    metrics = shipped.metrics
    for bound in ("threshold_field_bound", "threshold_group_bound", "threshold_held_out_bound"):
        assert metrics.get(bound) is not None, bound
        assert metrics[bound] <= shipped.threshold, bound
    assert set(shipped.weights) <= set(FEATURES)
    assert shipped.field_map.x == sorted(shipped.field_map.x)
    assert shipped.field_map.y == sorted(shipped.field_map.y)
    assert set(metrics["held_out_families"]) <= set(shipped.families)
    # no wrong value auto-accepted on a family the fit never saw
    assert metrics["held_out_pooled"]["accepted_error"] <= 1 - 0.995
