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

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

import click

from scripts.evalcore import FileCase, analyse_cases, match_documents, read_cases, reference_gazetteer, same_value


def text_model_samples(cases: list[FileCase], skip_family: str | None = None) -> tuple[list[str], list[str]]:
    """(OCR text of each true document, its type): the classifier learns from what OCR gives.
    ``skip_family``: leave that layout family's documents out."""
    from scripts.eval import family_of

    texts, labels = [], []
    for case in cases:
        by_no = {p.page_no: p for p in case.pages}
        for doc in case.truth.get("documents", []):
            if skip_family is not None and family_of(doc) == skip_family:
                continue
            text = "\n".join(by_no[n].text for n in doc.get("pages", []) if n in by_no)
            if text.strip():
                texts.append(text)
                labels.append(doc["doc_type"])
    return texts, labels


@dataclass
class Samples:
    """Labelled samples of analysed cases: per field (features, right?, file, family, key, label)
    and per document (raw type score, right?, family)."""

    fields: list[tuple[dict, bool]] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    families: list[str] = field(default_factory=list)
    labels: list[tuple[str, str | None]] = field(default_factory=list)
    types: list[tuple[float, bool]] = field(default_factory=list)
    type_families: list[str] = field(default_factory=list)

    def without(self, family: str) -> "Samples":
        """The samples of every family but ``family``."""
        keep = [i for i, f in enumerate(self.families) if f != family]
        keep_t = [i for i, f in enumerate(self.type_families) if f != family]
        return Samples([self.fields[i] for i in keep], [self.groups[i] for i in keep], [self.families[i] for i in keep],
                       [self.labels[i] for i in keep], [self.types[i] for i in keep_t],
                       [self.type_families[i] for i in keep_t])

    def family_labels(self) -> dict[str, dict[str, list[str]]]:
        """Per family, per field, the label wordings that found its values."""
        out: dict[str, dict[str, set[str]]] = {}
        for family, (key, label) in zip(self.families, self.labels):
            if label is not None:
                out.setdefault(family, {}).setdefault(key, set()).add(label)
        return {f: {k: sorted(v) for k, v in sorted(keys.items())} for f, keys in sorted(out.items())}

    def family_layouts(self) -> dict[str, list[str]]:
        """Per family, how its values were laid out: in a ruled table's cells or on lines."""
        from pipeline.layout import LINE_LAYOUT, TABLE_LAYOUT

        out: dict[str, set[str]] = {}
        for family, (features, _) in zip(self.families, self.fields):
            out.setdefault(family, set()).add(TABLE_LAYOUT if features.get("in_table") else LINE_LAYOUT)
        return {family: sorted(layouts) for family, layouts in sorted(out.items())}

    def seen_labels(self) -> dict[str, list[str]]:
        """Per field, the label wordings that found its values."""
        seen: dict[str, set[str]] = {}
        for key, label in self.labels:
            if label is not None:
                seen.setdefault(key, set()).add(label)
        return {key: sorted(labels) for key, labels in sorted(seen.items())}


def collect_samples(cases: list[FileCase]) -> Samples:
    """Samples of cases analysed with an identity calibration (``type_confidence`` is the raw type
    score). Fields of a document whose type was wrong teach nothing about field confidence."""
    from scripts.eval import family_of

    out = Samples()
    for case in cases:
        for truth, predicted in match_documents(case.documents, case.truth.get("documents", [])):
            if predicted is None:
                continue
            family = family_of(truth)
            out.types.append((predicted.type_confidence, predicted.doc_type == truth["doc_type"]))
            out.type_families.append(family)
            if predicted.doc_type != truth["doc_type"]:
                continue
            true_fields = truth.get("fields") or {}
            absent = set(truth.get("absent") or [])
            for key, result in predicted.fields.items():
                if result.value is None:
                    continue
                if key in absent:
                    right = False  # a value read for a field the document does not carry
                elif true_fields.get(key) in (None, ""):
                    continue
                else:
                    right = same_value(key, result.value, str(true_fields[key]))
                out.fields.append((dict(result.features), right))
                out.groups.append(case.file)
                out.families.append(family)
                out.labels.append((key, result.label))
    return out


def calibration_samples(cases: list[FileCase]) -> tuple[list[tuple[dict, bool]], list[tuple[float, bool]], list[str]]:
    """(field features, right?) for every extracted field with a value; (raw type score, right?) per
    document; the file of each field sample (errors of one dossier come together: see
    :func:`pipeline.confidence.choose_threshold_by_groups`)."""
    samples = collect_samples(cases)
    return samples.fields, samples.types, samples.groups


def fit_samples(samples: Samples, source: str):
    """A calibration fitted on ``samples``, with the label wordings and families it has seen."""
    from pipeline.confidence import fit_calibration

    calibration = fit_calibration(samples.fields, samples.types, source=source, groups=samples.groups)
    record_families(calibration, samples)
    return calibration


def record_families(calibration, samples: Samples) -> None:
    """Put the label wordings, layouts and families of ``samples`` into ``calibration`` (added to
    those it has)."""
    family_labels = dict(calibration.family_labels)
    for family, labels in samples.family_labels().items():
        merged = {k: set(v) for k, v in family_labels.get(family, {}).items()}
        for key, wordings in labels.items():
            merged.setdefault(key, set()).update(wordings)
        family_labels[family] = {k: sorted(v) for k, v in sorted(merged.items())}
    calibration.family_labels = dict(sorted(family_labels.items()))
    seen: dict[str, set[str]] = {}
    for labels in family_labels.values():
        for key, wordings in labels.items():
            seen.setdefault(key, set()).update(wordings)
    calibration.seen_labels = {k: sorted(v) for k, v in sorted(seen.items())}
    layouts = {family: set(found) for family, found in calibration.family_layouts.items()}
    for family, found in samples.family_layouts().items():
        layouts.setdefault(family, set()).update(found)
    calibration.family_layouts = {family: sorted(found) for family, found in sorted(layouts.items())}
    calibration.families = sorted(set(calibration.families) | set(samples.families) | set(samples.type_families))


def leave_one_family_out(cases: list[FileCase], samples: Samples, gazetteer,
                         text_model: bool = True, base=None) -> tuple[dict, list]:
    """For each family: fit the calibration (and, with ``text_model``, the type classifier) on every
    other family, analyse the files holding that family's documents with them, and score only its
    documents. Returns (per-family report, the pooled field outcomes of every held-out family).

    The samples' features come from an analysis with the full text model: the classifier's vote in
    ``type_score`` is slightly optimistic in the fit; the held-out analysis itself is honest."""
    from pipeline import textmodel
    from pipeline.analyse import AnalysisContext
    from scripts.eval import family_of, per_family, score_cases

    report, pooled = {}, []
    families = sorted(set(samples.type_families))
    shipped_model = (textmodel._MODEL, textmodel._LOADED)
    for family in families:
        rest = samples.without(family)
        if base is not None:
            known = copy.deepcopy(base)
            record_families(known, samples)
            calibration = known.without_family(family)
        elif not rest.fields or len({ok for _, ok in rest.fields}) < 2:
            continue
        else:
            calibration = fit_samples(rest, source=f"all families but {family}")
        if text_model and base is None:
            texts, labels = text_model_samples(cases, skip_family=family)
            if len(set(labels)) >= 2:
                textmodel._MODEL, textmodel._LOADED = textmodel.train(texts, labels, version=f"without {family}"), True
        holding = [c for c in cases if any(family_of(d) == family for d in c.truth.get("documents", []))]
        saved = [c.documents for c in holding]
        analyse_cases(holding, AnalysisContext(gazetteer=gazetteer, calibration=calibration))
        docs, fields = score_cases(holding, {family})
        for c, documents in zip(holding, saved):
            c.documents = documents
        row = per_family(docs, fields).get(family)
        if row is not None:
            row["threshold"] = calibration.threshold
            report[family] = row
        pooled += fields
    textmodel._MODEL, textmodel._LOADED = shipped_model
    return report, pooled


def held_out_threshold(outcomes: list) -> float | None:
    """The lowest threshold at which the error among auto-accepted fields of the held-out families
    (each scored by a calibration that never saw it) stays within the target at the bound's level,
    counting only fields not held back by a weak-evidence rule. None without outcomes."""
    from pipeline.confidence import MIN_GROUPS, choose_threshold, choose_threshold_by_groups

    eligible = [o for o in outcomes if o.value is not None and not o.features.get("held")]
    if not eligible:
        return None
    confidences = [o.confidence for o in eligible]
    correct = [int(o.correct) for o in eligible]
    threshold = choose_threshold(confidences, correct)
    groups = [o.file for o in eligible]
    if len(set(groups)) >= MIN_GROUPS:
        threshold = max(threshold, choose_threshold_by_groups(confidences, correct, groups))
    return threshold


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
              database_url: str | None = None, hold_out_families: bool = True, keep_fit: bool = False):
    """Fit the text model (optionally) and the calibration from ground-truth ``folders`` and, when
    ``database_url`` is given, reviewers' verdicts; returns the calibration (saved to ``out``).

    ``hold_out_families``: fit once per layout family on all the others and score the one left out
    (:func:`leave_one_family_out`); the shipped threshold is raised until the error bound also holds
    on the pooled held-out families (``metrics["held_out_families"]`` has the per-family figures).

    ``keep_fit``: keep the current fit (``out``, else the shipped one) and only record the families
    and label wordings of the samples, then leave each family out of those (for sample sets too
    small to refit: the error bound needs about a thousand accepted fields per fit)."""
    from pipeline import textmodel
    from pipeline.analyse import AnalysisContext
    from pipeline.confidence import DEFAULT_PATH, Calibration, default_calibration, fit_calibration
    from scripts.eval import summarise_fields

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
    samples = collect_samples(cases)
    field_samples, type_samples, groups = samples.fields, samples.types, samples.groups
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
    if keep_fit:
        # too few samples to refit: the shipped fit stays, the samples add what they know of families
        calibration = copy.deepcopy(default_calibration()) if out is None or not Path(out).exists() else Calibration.load(out)
        calibration.source = f"{calibration.source}; families and label wordings from {' + '.join(sources)}"
    else:
        calibration = fit_calibration(field_samples, type_samples, source=" + ".join(sources), groups=groups)
    record_families(calibration, samples)
    if hold_out_families and len(calibration.families) > 1:
        held_out, pooled = leave_one_family_out(cases, samples, reference_gazetteer(), text_model=train_text_model,
                                                base=calibration if keep_fit else None)
        bound = held_out_threshold(pooled)
        calibration.metrics["held_out_families"] = held_out
        calibration.metrics["threshold_held_out_bound"] = round(bound, 4) if bound is not None else None
        calibration.metrics["held_out_pooled"] = summarise_fields(pooled)
        if bound is not None and not keep_fit:
            # the bound must hold on families the fit never saw, not only on those it saw
            calibration.threshold = round(max(calibration.threshold, bound), 4)
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
@click.option("--hold-out-families/--no-hold-out-families", default=True, show_default=True,
              help="Leave each layout family out in turn and choose the threshold so that the error bound "
                   "holds on the families held out")
@click.option("--keep-fit", is_flag=True,
              help="Keep the current fit; only record the samples' families and label wordings (and hold "
                   "each family out of them)")
@click.option("--reviews", is_flag=True,
              help="Also learn from reviewers' confirmed and corrected fields in the database (SOHOA_* settings), "
                   "and record the fit there as a numbered version")
def calibrate_command(folders: tuple[Path, ...], cache_dir: Path, workers: int, text_model: bool, out: Path | None,
                      hold_out_families: bool, keep_fit: bool, reviews: bool) -> None:
    """Refit the field/type confidence calibration from ground-truth folders (from `sohoa samples`)
    and/or reviewers' corrections in the database (--reviews)."""
    if not folders and not reviews:
        raise click.UsageError("give ground-truth FOLDERS, --reviews, or both")
    database_url = None
    if reviews:
        from scripts.common import settings_from_env

        database_url = settings_from_env().effective_database_url
    calibration = calibrate(list(folders), cache_dir, workers, text_model and bool(folders), out,
                            database_url=database_url, hold_out_families=hold_out_families, keep_fit=keep_fit)
    click.echo(f"calibration {calibration.version}: threshold {calibration.threshold}, type threshold "
               f"{calibration.type_threshold}")
    click.echo(json.dumps(calibration.metrics, indent=1))
    click.echo("coverage/error trade-off (threshold: coverage, error among accepted):")
    for point in calibration.tradeoff[::5]:
        click.echo(f"  {point['threshold']:.2f}: {point['coverage']:.1%}, {point['error']:.2%}")
