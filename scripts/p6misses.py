"""List, per held-out family and field, the truth against the extracted value, its confidence, its
status and why it is held (the note of the weak-evidence rule, or confidence below the threshold).

Same analysis as ``sohoa calibrate SET --keep-fit --no-text-model`` (each family held out in turn,
shipped fit), reading the OCR cache that calibrate filled. Usage::

    python -m scripts.p6misses var/new-sealed [var/new-sealed2 ...] --cache var/ocr-cache --out var/m.jsonl
"""

from __future__ import annotations

import collections
import copy
import json
import sys
from pathlib import Path

from pipeline.analyse import AnalysisContext
from pipeline.confidence import Calibration, default_calibration
from scripts.calibrate import collect_samples, record_families
from scripts.eval import ABSENT, family_of
from scripts.evalcore import analyse_cases, match_documents, read_cases, reference_gazetteer, same_value


def classify(row: dict) -> str:
    """The miss class of one field row."""
    if row["value"] is None:
        return "not_found"
    if not row["correct"]:
        return "WRONG_ACCEPTED" if row["accepted"] else "wrong_held"
    if row["accepted"]:
        return "ok"
    return "right_held"


def rows_of(folders: list[Path], cache: Path, every_family: bool = False) -> list[dict]:
    cases = []
    for folder in folders:
        for case in read_cases(folder, cache, workers=2):
            if case.error is None:
                case.file = f"{folder.name}/{case.file}"
                cases.append(case)
    gazetteer = reference_gazetteer()
    analyse_cases(cases, AnalysisContext(gazetteer=gazetteer, calibration=Calibration()))
    samples = collect_samples(cases)
    base = copy.deepcopy(default_calibration())
    record_families(base, samples)
    rows = []
    for family in sorted(set(samples.type_families)):
        if not every_family and not family.startswith(("kltn:", "bang:")):
            continue
        calibration = base.without_family(family)
        holding = [c for c in cases if any(family_of(d) == family for d in c.truth.get("documents", []))]
        analyse_cases(holding, AnalysisContext(gazetteer=gazetteer, calibration=calibration))
        for case in holding:
            for truth, predicted in match_documents(case.documents, case.truth.get("documents", [])):
                if family_of(truth) != family:
                    continue
                same_type = predicted is not None and predicted.doc_type == truth["doc_type"]
                items = [(k, str(v)) for k, v in (truth.get("fields") or {}).items() if v not in (None, "")]
                items += [(k, ABSENT) for k in truth.get("absent") or []]
                for key, value in items:
                    got = predicted.fields.get(key) if same_type else None
                    if value == ABSENT and (got is None or got.value is None):
                        continue
                    row = {
                        "family": family.split(":")[1][:12] if family.startswith("kltn:") else family[:17], "file": case.file, "key": key, "truth": value,
                        "value": got.value if got else None, "conf": round(got.confidence, 3) if got else 0.0,
                        "accepted": bool(got) and got.status == "auto_accepted",
                        "correct": bool(got) and value != ABSENT and same_value(key, got.value, value),
                        "held": bool(got and got.features.get("held")), "note": got.note if got else None,
                        "label": got.label if got else None, "threshold": calibration.threshold,
                        "hand": key in set(truth.get("handwritten") or []),
                        "flags": {k: v for k, v in (got.features if got else {}).items()
                                  if k in ("unseen_label", "unseen_layout", "in_table", "handwritten", "loose_label", "hand_filled") and v},
                    }
                    row["class"] = classify(row)
                    rows.append(row)
    return rows


def summary(rows: list[dict]) -> None:
    by = collections.defaultdict(collections.Counter)
    for r in rows:
        by[(r["family"], r["key"])][r["class"]] += 1
    fams = collections.defaultdict(collections.Counter)
    for (fam, _), c in by.items():
        fams[fam].update(c)
    for fam, c in sorted(fams.items()):
        n = sum(c.values())
        print(f"== {fam}: n={n} ok={c['ok']} ({c['ok'] / n:.0%}) " + " ".join(f"{k}={v}" for k, v in c.most_common() if k != "ok"))
        for (f2, key), c2 in sorted(by.items()):
            if f2 == fam:
                print(f"   {key:22s} " + " ".join(f"{k}={v}" for k, v in c2.most_common()))
    reasons = collections.Counter()
    for r in rows:
        if r["class"] == "right_held":
            reason = r["note"] if r["held"] else f"conf<{r['threshold']}"
            reasons[(r["family"], reason)] += 1
    print("== right but held, by reason")
    for (fam, reason), n in reasons.most_common():
        print(f"  {n:3d} {fam} {reason}")


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("var/ocr-cache"))
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--every-family", action="store_true", help="also the gen:* families")
    args = parser.parse_args(argv)
    rows = rows_of(args.folders, args.cache, args.every_family)
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    summary(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
