"""``sohoa calibrate``: refit the confidence calibration (and the text classifier) from labelled
samples, and store them as versioned JSON in ``pipeline/models/``.

Two sources of labelled fields, alone or together:

* ground-truth folders written by ``sohoa samples`` (OCR is cached like ``sohoa eval``);
* reviewers' verdicts in the database (``--reviews``): every field a reviewer confirmed or corrected
  is a sample, its features as the machine stored them, right if the reviewer kept the value.

A fit that used the database is also recorded there (table ``calibrations``, numbered versions),
next to the JSON file the pipeline loads.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from scripts.evalcore import FileCase, analyse_cases, match_documents, read_cases, reference_gazetteer, same_value


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


def calibration_samples(cases: list[FileCase]) -> tuple[list[tuple[dict, bool]], list[tuple[float, bool]], list[str]]:
    """(field features, right?) for every extracted field with a value; (raw type score, right?) per
    document; the file of each field sample (errors of one dossier come together: see
    :func:`pipeline.confidence.choose_threshold_by_groups`).

    The cases must have been analysed with an identity calibration, so that ``type_confidence``
    is the raw type score.
    """
    field_samples: list[tuple[dict, bool]] = []
    type_samples: list[tuple[float, bool]] = []
    groups: list[str] = []
    for case in cases:
        for truth, predicted in match_documents(case.documents, case.truth.get("documents", [])):
            if predicted is None:
                continue
            type_samples.append((predicted.type_confidence, predicted.doc_type == truth["doc_type"]))
            if predicted.doc_type != truth["doc_type"]:
                continue  # its fields are another type's: their values teach nothing about field confidence
            true_fields = truth.get("fields") or {}
            for key, result in predicted.fields.items():
                if result.value is None or true_fields.get(key) in (None, ""):
                    continue
                right = same_value(key, result.value, str(true_fields[key]))
                field_samples.append((dict(result.features), right))
                groups.append(case.file)
    return field_samples, type_samples, groups


def review_field_samples(database_url: str) -> list[tuple[dict, bool]]:
    """(features, right?) of every field reviewers confirmed or corrected in the database."""
    from storage.db import session_factory, transaction
    from storage.repo import review_samples

    with transaction(session_factory(database_url)) as session:
        return [(features, right) for _key, features, right in review_samples(session)]


def record_calibration(database_url: str, calibration, source: str) -> int:
    """Store the fitted calibration as the next numbered version in the database; returns the number."""
    from dataclasses import asdict

    from schemas.tables import Calibration as CalibrationRow
    from storage.db import session_factory, transaction
    from storage.repo import newest_calibration_version

    with transaction(session_factory(database_url)) as session:
        number = (newest_calibration_version(session) or 0) + 1
        session.add(CalibrationRow(version=number, source=source, threshold=calibration.threshold,
                                   model=asdict(calibration), metrics=calibration.metrics))
    return number


def calibrate(folders: Path | list[Path], cache_dir: Path, workers: int = 2, train_text_model: bool = True,
              out: Path | None = None, text_model_out: Path | None = None, progress=None,
              database_url: str | None = None):
    """Fit the text model (optionally) and the calibration from ground-truth ``folders`` and, when
    ``database_url`` is given, reviewers' verdicts; returns the calibration (saved to ``out``)."""
    from pipeline import textmodel
    from pipeline.analyse import AnalysisContext
    from pipeline.confidence import DEFAULT_PATH, Calibration, fit_calibration

    folders = [folders] if isinstance(folders, Path) else list(folders)
    cases = []
    for folder in folders:
        for case in read_cases(folder, cache_dir, workers=workers, progress=progress):
            if case.error is None:
                case.file = f"{folder.name}/{case.file}"  # the group of its fields: unique across folders
                cases.append(case)
    names = ", ".join(f.name for f in folders)
    if train_text_model and cases:
        texts, labels = text_model_samples(cases)
        model = textmodel.train(texts, labels, version=f"trained on {len(texts)} documents of {names}")
        model.save(text_model_out or textmodel.MODEL_PATH)
        textmodel._MODEL, textmodel._LOADED = model, True  # use it for the calibration run below
    analyse_cases(cases, AnalysisContext(gazetteer=reference_gazetteer(), calibration=Calibration()))
    field_samples, type_samples, groups = calibration_samples(cases)
    sources = [f"{len(cases)} files of {names}"] if cases else []
    if database_url is not None:
        reviewed = review_field_samples(database_url)
        field_samples += reviewed
        # Reviewed fields count as independent (the review table does not say which came together).
        groups += [f"review-{number}" for number in range(len(reviewed))]
        sources.append(f"{len(reviewed)} reviewed fields")
    if not field_samples:
        from schemas.errors import ConfigError

        raise ConfigError("no labelled fields: give ground-truth folders or reviewed fields in the database")
    calibration = fit_calibration(field_samples, type_samples, source=" + ".join(sources), groups=groups)
    if database_url is not None:
        kind = "samples+reviews" if cases else "reviews"
        number = record_calibration(database_url, calibration, kind)
        calibration.version = f"v{number}-{calibration.version}"
    calibration.save(out or DEFAULT_PATH)
    return calibration


@click.command("calibrate")
@click.argument("folders", nargs=-1, required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=Path("var/ocr-cache"), show_default=True)
@click.option("--workers", type=int, default=2, show_default=True, help="OCR processes")
@click.option("--text-model/--no-text-model", default=True, show_default=True, help="Also retrain the type classifier")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Calibration JSON (default: pipeline/models/calibration.json)")
@click.option("--reviews", is_flag=True,
              help="Also learn from reviewers' confirmed and corrected fields in the database (SOHOA_* settings), "
                   "and record the fit there as a numbered version")
def calibrate_command(folders: tuple[Path, ...], cache_dir: Path, workers: int, text_model: bool, out: Path | None,
                      reviews: bool) -> None:
    """Refit the field/type confidence calibration from ground-truth folders (from `sohoa samples`)
    and/or reviewers' corrections in the database (--reviews)."""
    if not folders and not reviews:
        raise click.UsageError("give ground-truth FOLDERS, --reviews, or both")
    database_url = None
    if reviews:
        from scripts.common import settings_from_env

        database_url = settings_from_env().effective_database_url
    calibration = calibrate(list(folders), cache_dir, workers, text_model and bool(folders), out,
                            database_url=database_url)
    click.echo(f"calibration {calibration.version}: threshold {calibration.threshold}, type threshold "
               f"{calibration.type_threshold}")
    click.echo(json.dumps(calibration.metrics, indent=1))
    click.echo("coverage/error trade-off (threshold: coverage, error among accepted):")
    for point in calibration.tradeoff[::5]:
        click.echo(f"  {point['threshold']:.2f}: {point['coverage']:.1%}, {point['error']:.2%}")
