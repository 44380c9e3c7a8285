"""``sohoa eval DIR``: run a ground-truth folder through OCR and analysis and report accuracy.

Per type and per field: type accuracy, field exact-match accuracy, coverage (share of fields
auto-accepted), error rate among auto-accepted fields, expected calibration error (ECE), and the
character error rate (CER) of the document text against the true text. Writes a reliability
diagram and a coverage/error curve as PNG. OCR results are cached per file (PageText JSON), so
re-running after a pipeline change costs no OCR. Analysis gets the units gazetteer, as workers do.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import click

from scripts.evalcore import FileCase, analyse_cases, cer, match_documents, read_cases, reference_gazetteer, same_value


@dataclass
class FieldOutcome:
    doc_type: str
    key: str
    truth: str
    value: str | None
    confidence: float
    accepted: bool
    correct: bool
    handwritten: bool
    features: dict[str, float] = field(default_factory=dict)
    file: str = ""
    family: str = ""


@dataclass
class DocOutcome:
    true_type: str
    predicted_type: str | None
    type_confidence: float
    pages_right: bool
    cer_errors: int
    cer_chars: int
    family: str = ""


ABSENT = "(not on the document)"
"""The truth of a field the document does not carry: any value read for it is wrong."""


def family_of(truth: dict) -> str:
    """The layout family of a true document (``gen:<type>`` for sets made before families existed)."""
    return truth.get("family") or f"gen:{truth['doc_type']}"


def score_cases(cases: list[FileCase], families: set[str] | None = None) -> tuple[list[DocOutcome], list[FieldOutcome]]:
    """Compare each case's documents with its truth (only the documents of ``families``, if given).

    A field the document does not carry (the truth's ``absent``) for which a value was read counts
    as a wrong field: reading a value that is not there is an error like any other."""
    docs: list[DocOutcome] = []
    fields: list[FieldOutcome] = []
    for case in cases:
        for truth, predicted in match_documents(case.documents, case.truth.get("documents", [])):
            family = family_of(truth)
            if families is not None and family not in families:
                continue
            _score_document(case, truth, predicted, family, docs, fields)
    return docs, fields


def _score_document(case: FileCase, truth: dict, predicted, family: str, docs: list, fields: list) -> None:
    true_type = truth["doc_type"]
    errors, chars = cer(predicted.text if predicted else "", truth.get("text") or "") if truth.get("text") else (0, 0)
    docs.append(DocOutcome(true_type, predicted.doc_type if predicted else None,
                           predicted.type_confidence if predicted else 0.0,
                           bool(predicted) and predicted.pages == truth.get("pages"), errors, chars, family))
    handwritten = set(truth.get("handwritten") or [])
    same_type = predicted is not None and predicted.doc_type == true_type
    for key, value in (truth.get("fields") or {}).items():
        if value in (None, ""):
            continue
        got = predicted.fields.get(key) if same_type else None
        fields.append(FieldOutcome(
            true_type, key, str(value), got.value if got else None, got.confidence if got else 0.0,
            bool(got) and got.status == "auto_accepted", bool(got) and same_value(key, got.value, str(value)),
            key in handwritten, dict(got.features) if got else {}, case.file, family))
    for key in truth.get("absent") or []:
        got = predicted.fields.get(key) if same_type else None
        if got is None or got.value is None:
            continue
        fields.append(FieldOutcome(true_type, key, ABSENT, got.value, got.confidence, got.status == "auto_accepted",
                                   False, False, dict(got.features), case.file, family))


def write_accepted_errors(fields: list[FieldOutcome], path: Path) -> int:
    """One JSON line per auto-accepted field whose value is wrong - the errors no reviewer will see,
    to be read one by one. Returns how many."""
    wrong = [o for o in fields if o.accepted and not o.correct]
    with path.open("w", encoding="utf-8") as fh:
        for o in wrong:
            fh.write(json.dumps({"file": o.file, "doc_type": o.doc_type, "key": o.key, "value": o.value,
                                 "truth": o.truth, "confidence": round(o.confidence, 4),
                                 "features": o.features}, ensure_ascii=False) + "\n")
    return len(wrong)


def ece(confidences: list[float], correct: list[bool], bins: int = 10) -> float:
    from pipeline.confidence import expected_calibration_error

    return expected_calibration_error(confidences, [int(c) for c in correct], bins)


def summarise_fields(outcomes: list[FieldOutcome]) -> dict:
    n = len(outcomes)
    accepted = [o for o in outcomes if o.accepted]
    return {
        "fields": n,
        "exact_match": round(sum(o.correct for o in outcomes) / n, 4) if n else None,
        "coverage": round(len(accepted) / n, 4) if n else None,
        "accepted_error": round(sum(not o.correct for o in accepted) / len(accepted), 5) if accepted else None,
        "accepted_wrong": sum(not o.correct for o in accepted),
        "ece": round(ece([o.confidence for o in outcomes], [o.correct for o in outcomes]), 4) if n else None,
        "handwritten_accepted_wrong": sum(1 for o in accepted if o.handwritten and not o.correct),
    }


def build_report(docs: list[DocOutcome], fields: list[FieldOutcome], cases: list[FileCase], seconds: float) -> dict:
    by_type: dict[str, list[DocOutcome]] = defaultdict(list)
    for d in docs:
        by_type[d.true_type].append(d)
    fields_by_type: dict[str, list[FieldOutcome]] = defaultdict(list)
    fields_by_key: dict[str, list[FieldOutcome]] = defaultdict(list)
    for f in fields:
        fields_by_type[f.doc_type].append(f)
        fields_by_key[f.key].append(f)
    pages = sum(len(c.pages) for c in cases)
    chars = sum(d.cer_chars for d in docs)
    report = {
        "files": len(cases),
        "failed_files": [c.file for c in cases if c.error],
        "pages": pages,
        "documents": len(docs),
        "type_accuracy": round(sum(d.predicted_type == d.true_type for d in docs) / len(docs), 4) if docs else None,
        "split_accuracy": round(sum(d.pages_right for d in docs) / len(docs), 4) if docs else None,
        "cer": round(sum(d.cer_errors for d in docs) / chars, 4) if chars else None,
        **summarise_fields(fields),
        "analysis_seconds": round(seconds, 2),
        "per_type": {},
        "per_field": {},
    }
    for key in sorted(by_type):
        ds = by_type[key]
        t_chars = sum(d.cer_chars for d in ds)
        report["per_type"][key] = {
            "documents": len(ds),
            "type_accuracy": round(sum(d.predicted_type == d.true_type for d in ds) / len(ds), 4),
            "cer": round(sum(d.cer_errors for d in ds) / t_chars, 4) if t_chars else None,
            **summarise_fields(fields_by_type.get(key, [])),
        }
    for key in sorted(fields_by_key):
        report["per_field"][key] = summarise_fields(fields_by_key[key])
    report["per_family"] = per_family(docs, fields)
    return report


def per_family(docs: list[DocOutcome], fields: list[FieldOutcome]) -> dict:
    """Type accuracy and field figures per layout family."""
    out = {}
    for family in sorted({d.family for d in docs}):
        ds = [d for d in docs if d.family == family]
        out[family] = {
            "documents": len(ds),
            "type_accuracy": round(sum(d.predicted_type == d.true_type for d in ds) / len(ds), 4),
            **summarise_fields([f for f in fields if f.family == family]),
        }
    return out


def write_plots(fields: list[FieldOutcome], out_dir: Path, threshold: float | None) -> list[Path]:
    """Reliability diagram and coverage/error curve as PNG files in ``out_dir``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pipeline.confidence import tradeoff_curve

    out_dir.mkdir(parents=True, exist_ok=True)
    conf = [f.confidence for f in fields]
    ok = [int(f.correct) for f in fields]
    bins = 10
    centers, accs, counts, means = [], [], [], []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(conf) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if idx:
            centers.append((lo + hi) / 2)
            means.append(sum(conf[i] for i in idx) / len(idx))
            accs.append(sum(ok[i] for i in idx) / len(idx))
            counts.append(len(idx))
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.bar(centers, accs, width=0.09, alpha=0.6, label="accuracy per bin")
    ax.plot(means, accs, "o-", color="C3", label="mean confidence vs accuracy")
    for x, y, n in zip(centers, accs, counts):
        ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=7)
    ax.set_xlabel("field confidence")
    ax.set_ylabel("share right")
    ax.set_title(f"Reliability (ECE {ece(conf, [bool(v) for v in ok]):.3f}, {len(conf)} fields)")
    ax.legend(loc="upper left", fontsize=8)
    reliability = out_dir / "reliability.png"
    fig.tight_layout()
    fig.savefig(reliability, dpi=110)
    plt.close(fig)

    # fields the pipeline holds back whatever their score (handwritten, failed validator, two
    # documents disagreeing) are never accepted: the curve shows what routing does at each threshold
    held = [not f.accepted and threshold is not None and f.confidence >= threshold for f in fields]
    curve = tradeoff_curve([0.0 if h else c for h, c in zip(held, conf)], ok, steps=101)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([p["coverage"] for p in curve], [100 * p["error"] for p in curve], "-", color="C0")
    if threshold is not None:
        point = min(curve, key=lambda p: abs(p["threshold"] - threshold))
        ax.plot([point["coverage"]], [100 * point["error"]], "o", color="C3",
                label=f"threshold {threshold:.3f}: coverage {point['coverage']:.1%}, error {point['error']:.2%}")
        ax.legend(fontsize=8)
    ax.axhline(0.5, linestyle=":", color="grey")
    ax.set_xlabel("coverage (share of fields auto-accepted)")
    ax.set_ylabel("error among auto-accepted (%)")
    ax.set_title("Coverage / error trade-off")
    curve_path = out_dir / "coverage_error.png"
    fig.tight_layout()
    fig.savefig(curve_path, dpi=110)
    plt.close(fig)
    return [reliability, curve_path]


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2%}" if value <= 1 else f"{value:.2f}"
    return str(value)


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"[bold]{report['files']} files, {report['pages']} pages, {report['documents']} documents, "
        f"{report['fields']} fields[/bold] (failed files: {len(report['failed_files'])})"
    )
    console.print(
        f"type accuracy {_fmt(report['type_accuracy'])} · split {_fmt(report['split_accuracy'])} · "
        f"field exact-match {_fmt(report['exact_match'])} · coverage {_fmt(report['coverage'])} · "
        f"error among auto-accepted {_fmt(report['accepted_error'])} ({report['accepted_wrong']} fields) · "
        f"ECE {report['ece']} · CER {_fmt(report['cer'])} · threshold {report.get('threshold')}"
    )
    tables = [("per type", report["per_type"], "type"), ("per field", report["per_field"], "field"),
              ("per family", report.get("per_family", {}), "family")]
    if report.get("held_out_families"):
        tables.append(("each family held out (calibration fitted on the others)", report["held_out_families"], "family"))
    for title, rows, first in tables:
        table = Table(title=title)
        columns = [first, "n", "type acc", "exact", "coverage", "acc. error", "ECE", "CER"]
        for col in columns:
            table.add_column(col, justify="left" if col == first else "right")
        for key, row in rows.items():
            table.add_row(
                key, str(row.get("documents", row.get("fields"))), _fmt(row.get("type_accuracy")),
                _fmt(row.get("exact_match")), _fmt(row.get("coverage")), _fmt(row.get("accepted_error")),
                _fmt(row.get("ece")), _fmt(row.get("cer")),
            )
        console.print(table)


def run_eval(folder: Path, cache_dir: Path, workers: int = 2, threshold: float | None = None,
             calibration_path: Path | None = None, progress=None, held_out_families: bool = False):
    """OCR (cached) and analyse every file of ``folder``; returns (report, doc outcomes, field outcomes).

    ``held_out_families``: also leave each layout family out in turn - fit the calibration and the
    type classifier on the folder's other families, score the one left out - and report those
    figures under ``held_out_families`` (how the pipeline does on a layout it has never seen)."""
    from pipeline.analyse import AnalysisContext
    from pipeline.confidence import Calibration, default_calibration

    cases = read_cases(folder, cache_dir, workers=workers, progress=progress)
    calibration = Calibration.load(calibration_path) if calibration_path else default_calibration()
    context = AnalysisContext(gazetteer=reference_gazetteer(), review_threshold=threshold, calibration=calibration)
    start = time.perf_counter()
    analyse_cases(cases, context)
    docs, fields = score_cases(cases)
    report = build_report(docs, fields, cases, time.perf_counter() - start)
    report["threshold"] = threshold if threshold is not None else calibration.threshold
    report["calibration"] = calibration.version
    if held_out_families:
        report["held_out_families"], pooled = held_out_report(cases, calibration)
        report["held_out_pooled"] = summarise_fields(pooled)
    return report, docs, fields


def held_out_report(cases: list[FileCase], base=None) -> tuple[dict, list[FieldOutcome]]:
    """Leave-one-family-out figures of analysed ``cases`` (their analysis is restored afterwards).

    ``base`` (the calibration in use): keep its fit and leave each family out of what it knows of
    families (label wordings); None: refit the calibration and the text model per family on the
    folder's other families."""
    from pipeline.analyse import AnalysisContext
    from pipeline.confidence import Calibration
    from scripts.calibrate import collect_samples, leave_one_family_out

    saved = [c.documents for c in cases]
    gazetteer = reference_gazetteer()
    analyse_cases(cases, AnalysisContext(gazetteer=gazetteer, calibration=Calibration()))
    samples = collect_samples(cases)
    report, pooled = leave_one_family_out(cases, samples, gazetteer, base=base)
    for case, documents in zip(cases, saved):
        case.documents = documents
    return report, pooled


@click.command("eval")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Where to write report.json and the PNGs (default: FOLDER/eval)")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=Path("var/ocr-cache"),
              show_default=True, help="OCR cache (PageText JSON per file)")
@click.option("--workers", type=int, default=2, show_default=True, help="OCR processes")
@click.option("--threshold", type=float, default=None, help="Review threshold (default: the calibration's)")
@click.option("--calibration", "calibration_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="Calibration JSON (default: the shipped one)")
@click.option("--held-out-families", is_flag=True,
              help="Also leave each layout family out in turn: fit on the others, report on the one left out")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON")
def eval_command(folder: Path, out_dir: Path | None, cache_dir: Path, workers: int, threshold: float | None,
                 calibration_path: Path | None, held_out_families: bool, as_json: bool) -> None:
    """Process a ground-truth folder (from `sohoa samples`) and report accuracy figures."""
    done = []

    def progress(case: FileCase) -> None:
        done.append(case)
        if not as_json and (len(done) % 20 == 0):
            click.echo(f"  read {len(done)} files", err=True)

    report, _, fields = run_eval(folder, cache_dir, workers, threshold, calibration_path, progress, held_out_families)
    out_dir = out_dir or folder / "eval"
    out_dir.mkdir(parents=True, exist_ok=True)
    report["plots"] = [str(p) for p in write_plots(fields, out_dir, report["threshold"])]
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    write_accepted_errors(fields, out_dir / "accepted_errors.jsonl")
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print_report(report)
        click.echo(f"plots: {', '.join(report['plots'])}; report: {out_dir / 'report.json'}; "
                   f"wrong auto-accepted fields: {out_dir / 'accepted_errors.jsonl'}")
