"""``sohoa calibrate``: refit the confidence calibration (and the text classifier) from labelled
samples, and store them as versioned JSON in ``pipeline/models/``.

Source today: a ground-truth folder written by ``sohoa samples`` (OCR is cached like ``sohoa
eval``). Reviewers' corrections in the database are the next source (a field confirmed or
corrected by a reviewer is a labelled sample); that path is not built yet.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from scripts.evalcore import FileCase, analyse_cases, match_documents, read_cases, same_value


def text_model_samples(cases: list[FileCase]) -> tuple[list[str], list[str]]:
    """(OCR text of each true document, its type): the classifier learns from what OCR gives."""
    texts, labels = [], []
    for case in cases:
        by_no = {p.page_no: p for p in case.pages}
        for doc in case.truth.get("documents", []):
            text = "\n".join(by_no[n].text for n in doc.get("pages", []) if n in by_no)
            if text.strip():
                texts.append(text)
                labels.append(doc["doc_type"])
    return texts, labels


def calibration_samples(cases: list[FileCase]) -> tuple[list[tuple[dict, bool]], list[tuple[float, bool]]]:
    """(field features, right?) for every extracted field with a value; (raw type score, right?) per document.

    The cases must have been analysed with an identity calibration, so that ``type_confidence``
    is the raw type score.
    """
    field_samples: list[tuple[dict, bool]] = []
    type_samples: list[tuple[float, bool]] = []
    for case in cases:
        for truth, predicted in match_documents(case.documents, case.truth.get("documents", [])):
            if predicted is None:
                continue
            type_samples.append((predicted.type_confidence, predicted.doc_type == truth["doc_type"]))
            true_fields = truth.get("fields") or {}
            for key, result in predicted.fields.items():
                if result.value is None or true_fields.get(key) in (None, ""):
                    continue
                right = predicted.doc_type == truth["doc_type"] and same_value(key, result.value, str(true_fields[key]))
                field_samples.append((dict(result.features), right))
    return field_samples, type_samples


def calibrate(folders: Path | list[Path], cache_dir: Path, workers: int = 2, train_text_model: bool = True,
              out: Path | None = None, text_model_out: Path | None = None, progress=None):
    """Fit the text model (optionally) and the calibration from ground-truth ``folders``; returns the calibration."""
    from pipeline import textmodel
    from pipeline.analyse import AnalysisContext
    from pipeline.confidence import DEFAULT_PATH, Calibration, fit_calibration

    folders = [folders] if isinstance(folders, Path) else list(folders)
    cases = [c for folder in folders for c in read_cases(folder, cache_dir, workers=workers, progress=progress)
             if c.error is None]
    names = ", ".join(f.name for f in folders)
    if train_text_model:
        texts, labels = text_model_samples(cases)
        model = textmodel.train(texts, labels, version=f"trained on {len(texts)} documents of {names}")
        model.save(text_model_out or textmodel.MODEL_PATH)
        textmodel._MODEL, textmodel._LOADED = model, True  # use it for the calibration run below
    analyse_cases(cases, AnalysisContext(calibration=Calibration()))
    field_samples, type_samples = calibration_samples(cases)
    calibration = fit_calibration(field_samples, type_samples, source=f"{len(cases)} files of {names}")
    calibration.save(out or DEFAULT_PATH)
    return calibration


@click.command("calibrate")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=Path("var/ocr-cache"), show_default=True)
@click.option("--workers", type=int, default=2, show_default=True, help="OCR processes")
@click.option("--text-model/--no-text-model", default=True, show_default=True, help="Also retrain the type classifier")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Calibration JSON (default: pipeline/models/calibration.json)")
def calibrate_command(folders: tuple[Path, ...], cache_dir: Path, workers: int, text_model: bool, out: Path | None) -> None:
    """Refit the field/type confidence calibration from ground-truth folders (from `sohoa samples`).

    Reviewers' corrections in the database are not used yet (planned: confirmed and corrected
    fields are labelled samples)."""
    calibration = calibrate(list(folders), cache_dir, workers, text_model, out)
    click.echo(f"calibration {calibration.version}: threshold {calibration.threshold}, type threshold "
               f"{calibration.type_threshold}")
    click.echo(json.dumps(calibration.metrics, indent=1))
    click.echo("coverage/error trade-off (threshold: coverage, error among accepted):")
    for point in calibration.tradeoff[::5]:
        click.echo(f"  {point['threshold']:.2f}: {point['coverage']:.1%}, {point['error']:.2%}")
