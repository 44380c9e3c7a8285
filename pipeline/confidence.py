"""Field and type confidence: fuse the evidence into one score, then calibrate it.

Per field the features are the OCR word confidences of the value, the label-match strength, the
validator and cross-field results, the handwriting flag and the type's raw score. A logistic
fusion turns them into a raw score; an isotonic map (fitted on labelled samples by
:func:`fit_calibration`) turns the raw score into a probability that the value is right, so a
field scored 0.9 is right about 90% of the time. The fitted numbers live in a versioned JSON file
(``pipeline/models/calibration.json``) that ``sohoa calibrate`` rewrites.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from schemas import doctypes

MODELS_DIR = Path(__file__).parent / "models"
DEFAULT_PATH = MODELS_DIR / "calibration.json"
TARGET_ACCURACY = 0.995
"""Auto-accepted fields must be right at least this often (issue: 99.5%)."""
BOUND_LEVEL = 0.99
"""The threshold is chosen so that the one-sided 99% upper bound (Clopper-Pearson) of the error
among accepted fitting samples stays within 1 - TARGET_ACCURACY: the point estimate alone, fitted
on the same samples, lets new sample sets land above the target about half the time, and a 95%
bound still admits a block of 0.9-confidence fields that new sets then push over the target."""

FIELD_KEYS: tuple[str, ...] = doctypes.FIELD_KEYS
FEATURES: tuple[str, ...] = (
    "ocr_mean", "ocr_min", "label", "valid", "cross", "handwritten", "type_score", "has_note", "length_ok",
    "syllables", "corrected", "words", "kind_name", "kind_text", "kind_date", "kind_code",
    # interactions: how much OCR quality matters depends on the kind of value
    "text_ocr_min", "text_syllables", "name_ocr_min", "code_ocr_min", "surname", "low_ocr",
    "name_fixed", "name_unknown", "unit_known", "unit_levels", "place_head_ocr_min", "place_head_syllables",
    "doc_agree",
) + tuple(f"key_{k}" for k in FIELD_KEYS)

# Hand-set fusion used until a calibration is fitted: strong weight on validators and OCR.
DEFAULT_WEIGHTS = {
    "ocr_mean": 3.0, "ocr_min": 2.0, "label": 1.0, "valid": 2.0, "cross": 1.0,
    "handwritten": -4.0, "type_score": 1.0, "has_note": -2.0, "length_ok": 0.5,
    "syllables": 2.0, "corrected": -1.0, "words": -0.2,
}
DEFAULT_BIAS = -7.3


@dataclass
class MonotoneMap:
    """A piecewise-linear non-decreasing map from raw score to probability (isotonic fit)."""

    x: list[float] = field(default_factory=lambda: [0.0, 1.0])
    y: list[float] = field(default_factory=lambda: [0.0, 1.0])

    def __call__(self, value: float) -> float:
        if value <= self.x[0]:
            return self.y[0]
        if value >= self.x[-1]:
            return self.y[-1]
        i = bisect.bisect_right(self.x, value)
        x0, x1, y0, y1 = self.x[i - 1], self.x[i], self.y[i - 1], self.y[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (value - x0) / (x1 - x0)


@dataclass
class Calibration:
    """Fitted fusion weights, isotonic maps and thresholds, with their provenance."""

    version: str = "default-0"
    created: str = ""
    source: str = "hand-set defaults (no labelled samples)"
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    bias: float = DEFAULT_BIAS
    field_map: MonotoneMap = field(default_factory=MonotoneMap)
    type_map: MonotoneMap = field(default_factory=MonotoneMap)
    threshold: float = 0.95
    type_threshold: float = 0.9
    tradeoff: list[dict[str, float]] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    seen_labels: dict[str, list[str]] = field(default_factory=dict)
    """Per field, the label wordings (folded) that found values in the fitting samples. Empty: the
    calibration predates the record and every label counts as seen."""
    families: list[str] = field(default_factory=list)
    """The layout families of the fitting samples (``sohoa samples`` family names)."""
    family_labels: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """Per family, per field, the label wordings its documents used: a family is left out of
    ``seen_labels`` by taking the union of the others."""
    family_layouts: dict[str, list[str]] = field(default_factory=dict)
    """Per family, how its values were laid out (``pipeline.layout``: "line", "table"). Empty: the
    calibration predates the record and every layout counts as seen."""

    def without_family(self, family: str) -> "Calibration":
        """This calibration as if ``family`` had never been seen: its own label wordings are
        unseen unless another family uses them too (the fitted weights stay)."""
        import copy

        other = copy.deepcopy(self)
        seen: dict[str, set[str]] = {}
        for name, labels in self.family_labels.items():
            if name != family:
                for key, wordings in labels.items():
                    seen.setdefault(key, set()).update(wordings)
        other.seen_labels = {key: sorted(w) for key, w in sorted(seen.items())}
        other.family_layouts = {name: layouts for name, layouts in self.family_layouts.items() if name != family}
        other.families = [f for f in self.families if f != family]
        other.version = f"{self.version}-without-{family}"
        return other

    def knows_label(self, key: str, label: str) -> bool:
        """Did the fitting samples find ``key`` by this label wording?"""
        return not self.seen_labels or label in self.seen_labels.get(key, ())

    def knows_layout(self, layout: str) -> bool:
        """Did the fitting samples find values laid out so (in a ruled table's cells, on lines)?"""
        return not self.family_layouts or any(layout in layouts for layouts in self.family_layouts.values())

    def novel_label(self, candidate) -> bool:
        """Is the label that found ``candidate`` novel evidence: a wording the fitting samples never
        used, read only approximately? A wording read letter for letter as a strict registry
        synonym is what the extractor was written for, seen in the fit or not; one read fuzzily
        (or a loose label) that the fit never saw is not something the calibration can weigh."""
        return not self.knows_label(candidate.key, candidate.label) and not getattr(candidate, "label_exact", False)

    def novelty(self, candidates) -> float:
        """Share of the labelled values of a document found by novel label evidence
        (:meth:`novel_label`): 0 a layout whose labels the calibration has seen or the registry
        prints exactly, 1 one whose every label is new and read only approximately."""
        labelled = [c for c in candidates if getattr(c, "label", None) is not None]
        if not labelled or not self.seen_labels:
            return 0.0
        return round(sum(self.novel_label(c) for c in labelled) / len(labelled), 4)

    def raw_score(self, features: dict[str, float]) -> float:
        """The fused, uncalibrated score in 0..1."""
        z = self.bias + sum(self.weights.get(k, 0.0) * features.get(k, 0.0) for k in FEATURES)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def field_confidence(self, features: dict[str, float]) -> float:
        """Calibrated probability that a field value is right."""
        return round(min(1.0, max(0.0, self.field_map(self.raw_score(features)))), 4)

    def type_confidence(self, raw: float) -> float:
        """Calibrated probability that a document type is right."""
        return round(min(1.0, max(0.0, self.type_map(raw))), 4)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    def save(self, path: Path = DEFAULT_PATH) -> None:
        """Write the calibration as JSON (atomically: temp file then rename)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def from_dict(cls, data: dict) -> "Calibration":
        data = dict(data)
        data["field_map"] = MonotoneMap(**data.get("field_map", {}))
        data["type_map"] = MonotoneMap(**data.get("type_map", {}))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def load(cls, path: Path) -> "Calibration":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


_DEFAULT: Calibration | None = None


def default_calibration() -> Calibration:
    """The shipped calibration (``pipeline/models/calibration.json``) or hand-set defaults."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Calibration.load(DEFAULT_PATH) if DEFAULT_PATH.exists() else Calibration()
    return _DEFAULT


def _isotonic(raw: list[float], correct: list[int]) -> MonotoneMap:
    from sklearn.isotonic import IsotonicRegression

    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
    model.fit(raw, correct)
    xs = [float(v) for v in model.X_thresholds_]
    ys = [float(v) for v in model.y_thresholds_]
    return MonotoneMap(xs, ys)


def tradeoff_curve(confidences: list[float], correct: list[int], steps: int = 101) -> list[dict[str, float]]:
    """Coverage (share at or above t) and error among those, for thresholds t in 0..1."""
    pairs = sorted(zip(confidences, correct), reverse=True)
    n = len(pairs)
    curve = []
    for i in range(steps):
        t = i / (steps - 1)
        kept = [c for conf, c in pairs if conf >= t]
        coverage = len(kept) / n if n else 0.0
        error = 1 - sum(kept) / len(kept) if kept else 0.0
        curve.append({"threshold": round(t, 4), "coverage": round(coverage, 4), "error": round(error, 5)})
    return curve


def error_upper_bound(wrong: int, total: int, level: float = BOUND_LEVEL) -> float:
    """One-sided Clopper-Pearson upper bound of an error rate seen as ``wrong`` of ``total``."""
    from scipy.stats import beta

    if total <= 0:
        return 1.0
    if wrong >= total:
        return 1.0
    return float(beta.ppf(level, wrong + 1, total - wrong))


def choose_threshold(confidences: list[float], correct: list[int], target: float = TARGET_ACCURACY,
                     level: float | None = BOUND_LEVEL) -> float:
    """The lowest threshold whose accepted set is at least ``target`` right on the data given, by
    the upper confidence bound of its error at ``level`` (None: by the point estimate).

    Scans the distinct confidence values from the top; the accepted set at t is every value >= t.
    """
    pairs = sorted(zip(confidences, correct), reverse=True)
    best = 1.0
    right = total = 0
    i = 0
    while i < len(pairs):
        t = pairs[i][0]
        while i < len(pairs) and pairs[i][0] == t:
            right += pairs[i][1]
            total += 1
            i += 1
        error = (total - right) / total if level is None else error_upper_bound(total - right, total, level)
        if error <= 1 - target:
            best = t
    return max(best, 0.5)


CLUSTER_BOOTSTRAP_ROUNDS = 2000
MIN_GROUPS = 30
"""Fewer files than this and a bootstrap over them says little: the field-wise bound alone decides."""


def choose_threshold_by_groups(confidences: list[float], correct: list[int], groups: list[str],
                               target: float = TARGET_ACCURACY, level: float = BOUND_LEVEL,
                               rounds: int = CLUSTER_BOOTSTRAP_ROUNDS, seed: int = 0) -> float:
    """The lowest threshold whose error among accepted fields stays within ``1 - target`` at the
    ``level`` quantile of a bootstrap that resamples whole groups (files, dossiers).

    Why groups: the errors of one dossier come together - the same misread name is copied into
    its receipt, application and result, one blurred page spoils several fields - so a fresh set
    of dossiers varies more than a set of independent fields would, and a bound that counts
    fields as independent (Clopper-Pearson) is too narrow. Resampling dossiers keeps that
    clustering in the bound.
    """
    import numpy as np

    names = sorted(set(groups))
    index = {name: i for i, name in enumerate(names)}
    group_of = np.array([index[g] for g in groups])
    conf = np.asarray(confidences, dtype=float)
    wrong = 1 - np.asarray(correct, dtype=int)
    candidates = np.unique(conf)[::-1]  # high to low
    # accepted[t, g] / errors[t, g]: how many of group g's fields are accepted at candidate t, how many wrong.
    accepted = np.zeros((len(candidates), len(names)))
    errors = np.zeros((len(candidates), len(names)))
    for position, threshold in enumerate(candidates):
        kept = conf >= threshold
        accepted[position] = np.bincount(group_of[kept], minlength=len(names))
        errors[position] = np.bincount(group_of[kept], weights=wrong[kept], minlength=len(names))
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(names), np.full(len(names), 1 / len(names)), size=rounds).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = (weights @ errors.T) / (weights @ accepted.T)  # rounds x candidates
    rates = np.nan_to_num(rates, nan=0.0)
    bound = np.quantile(rates, level, axis=0)
    best = 1.0
    for position, threshold in enumerate(candidates):
        if bound[position] <= 1 - target:
            best = float(threshold)
    return max(best, 0.5)


def expected_calibration_error(confidences: list[float], correct: list[int], bins: int = 10) -> float:
    """ECE with equal-width bins: mean |accuracy - confidence| weighted by bin size."""
    n = len(confidences)
    if not n:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if (lo <= c < hi) or (b == bins - 1 and c == 1.0)]
        if idx:
            acc = sum(correct[i] for i in idx) / len(idx)
            conf = sum(confidences[i] for i in idx) / len(idx)
            total += len(idx) / n * abs(acc - conf)
    return total


def _out_of_fold_scores(X: list[list[float]], y: list[int], folds: int = 5) -> list[float]:
    """Fusion scores of each sample from a model fitted without it (k-fold), so that the isotonic
    map and the threshold see scores as they will be on new documents."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    n_folds = min(folds, sum(y), len(y) - sum(y))
    if n_folds < 2:  # too few of one class to hold any out: in-sample scores
        model = LogisticRegression(C=1.0, max_iter=2000).fit(X, y)
        return [float(p[1]) for p in model.predict_proba(X)]
    cv = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=0)
    proba = cross_val_predict(LogisticRegression(C=1.0, max_iter=2000), X, y, cv=cv, method="predict_proba")
    return [float(p[1]) for p in proba]


def fit_calibration(
    field_samples: list[tuple[dict[str, float], bool]],
    type_samples: list[tuple[float, bool]],
    source: str,
    version: str | None = None,
    groups: list[str] | None = None,
) -> Calibration:
    """Fit fusion weights (logistic regression), isotonic maps and thresholds on labelled samples.

    ``field_samples`` are (features, value was right) for every extracted field that had a value;
    ``type_samples`` are (raw type score, type was right) per document. ``groups`` names the file
    (dossier) of each field sample: with enough of them the threshold must also pass the
    group bootstrap of :func:`choose_threshold_by_groups`.
    """
    from sklearn.linear_model import LogisticRegression

    X = [[f.get(k, 0.0) for k in FEATURES] for f, _ in field_samples]
    y = [int(ok) for _, ok in field_samples]
    calibration = Calibration(source=source)
    raw = [calibration.raw_score(f) for f, _ in field_samples]
    if len(set(y)) == 2:
        model = LogisticRegression(C=1.0, max_iter=2000)
        model.fit(X, y)
        calibration.weights = {k: round(float(w), 5) for k, w in zip(FEATURES, model.coef_[0])}
        calibration.bias = round(float(model.intercept_[0]), 5)
        raw = _out_of_fold_scores(X, y)
        # the isotonic map is fitted on out-of-fold fusion scores: honest about unseen samples
        calibration.field_map = _isotonic(raw, y)
    confidences = [calibration.field_map(r) for r in raw]
    threshold = field_bound = choose_threshold(confidences, y, TARGET_ACCURACY)
    group_bound = None
    if groups is not None and len(set(groups)) >= MIN_GROUPS:
        group_bound = choose_threshold_by_groups(confidences, y, groups)
        threshold = max(threshold, group_bound)
    calibration.threshold = round(threshold, 4)
    calibration.tradeoff = tradeoff_curve(confidences, y, steps=51)
    t_raw = [r for r, _ in type_samples]
    t_y = [int(ok) for _, ok in type_samples]
    if len(set(t_y)) == 2:
        calibration.type_map = _isotonic(t_raw, t_y)
    elif t_y and all(t_y):
        # every type right in the samples: keep the raw score but never claim more than observed
        calibration.type_map = MonotoneMap([0.0, 1.0], [0.0, 1.0 - 1.0 / (len(t_y) + 2)])
    t_conf = [calibration.type_map(r) for r in t_raw]
    calibration.type_threshold = round(choose_threshold(t_conf, t_y, level=None), 4) if t_y else 0.9
    accepted = [ok for c, ok in zip(confidences, y) if c >= calibration.threshold]
    calibration.metrics = {
        "fields": len(y),
        "documents": len(t_y),
        "field_accuracy": round(sum(y) / len(y), 4) if y else 0.0,
        "coverage": round(len(accepted) / len(y), 4) if y else 0.0,
        "accepted_error": round(1 - sum(accepted) / len(accepted), 5) if accepted else 0.0,
        "ece": round(expected_calibration_error(confidences, y), 4),
        # the two bounds the threshold must pass: field by field (Clopper-Pearson) and by dossier
        "threshold_field_bound": round(field_bound, 4),
        "threshold_group_bound": round(group_bound, 4) if group_bound is not None else None,
    }
    now = dt.datetime.now(dt.timezone.utc)
    calibration.created = now.isoformat(timespec="seconds")
    calibration.version = version or now.strftime("cal-%Y%m%d-%H%M%S")
    return calibration
