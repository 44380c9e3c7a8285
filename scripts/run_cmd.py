"""``sohoa run PATH…``: ingest local files and process them to the end, with a summary."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from scripts.common import settings_from_env


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--batch", "batch_name", help="Batch name (default: run-<timestamp>)")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV manifest (file, dossier_code, procedure_code, receiving_unit, received_date, note)")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the per-file account to this CSV file")
@click.option("--retry-failed", is_flag=True, help="Run files that failed before again")
@click.option("--unit", "unit_code", help="GSO code of the unit that received these dossiers (reviewers' scope)")
@click.option("--quiet", is_flag=True, help="Only files that need a word, and the batch totals")
def run(paths: tuple[Path, ...], batch_name: str | None, manifest: Path | None, report_path: Path | None,
        retry_failed: bool, quiet: bool, unit_code: str | None) -> None:
    """Process scans (PDF, TIFF, JPEG, PNG, zip archives of them; files or folders) to the end.

    Every file is accounted for (new, duplicate, resumed, unsupported, failed, with the reason).
    Rerunning after an interruption finishes what was unfinished and stores nothing twice. Exit
    status: 0 all processed, 3 some files refused or failed, 4 manifest wrong (nothing uploaded),
    2 usage, 1 other error.
    """
    from scripts.intake_ui import EXIT_MANIFEST, RunProgress, finish, next_steps, print_account
    from storage.db import transaction
    from workers.manifest import ManifestError

    settings = settings_from_env()
    batch_name = batch_name or "run-" + dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    from scripts.users_cmd import assign_batch_unit

    assign_batch_unit(settings, batch_name, unit_code)
    console = Console()
    try:
        with RunProgress(console) as progress:
            if settings.embedded:
                from workers.embedded import PROGRESS_EVERY_S, process_paths
                from workers.runtime import current

                report = process_paths(settings, paths, batch_name, manifest=manifest, retry_failed=retry_failed,
                                       progress=progress.update, progress_every_s=PROGRESS_EVERY_S if progress.live else math.inf)
                runtime = current()
            else:
                runtime, report = _enqueue_for_workers(settings, paths, batch_name, manifest, retry_failed)
                from workers.embedded import wait_for_files
                from workers.intake import settle

                wait_for_files(runtime, _waited_for(report), progress=progress.update)
                settle(runtime, report)
        assign_batch_unit(settings, batch_name, unit_code)  # files registered during the run
    except ManifestError as exc:
        click.echo(f"sohoa: {exc}", err=True)
        raise SystemExit(EXIT_MANIFEST) from None
    with transaction(runtime.sessions) as session:
        # --quiet prints the totals only: statuses, not whole export records (each one walks its
        # units and pages: ~0.1 CPU s per file).
        if quiet:
            records = status_records(session, batch_name)
        else:
            from storage.export import iter_records  # the records' model: imports a quiet run does without

            records = list(iter_records(session, batch_name))
    if not quiet:
        console.print(document_table(records))
    console.print(batch_totals(batch_name, records))
    print_account(console, report, verbose=not quiet)
    next_steps(console, batch_name, processed=True)
    finish(report, report_path)


def _waited_for(report) -> list[int]:
    """The files this run waits for: its own, and those queued by an earlier upload still unfinished."""
    return [f.file_id for f in report.files if f.file_id is not None and f.status in (
        "pending", "ingested", "reading", "analysing") or f.outcome in ("new", "resumed")]


def _enqueue_for_workers(settings, paths, batch_name, manifest, retry_failed):
    from workers.app import build_app
    from workers.embedded import ensure_database
    from workers.intake import register_paths

    ensure_database(settings)
    runtime, _broker = build_app(settings)
    # Each file's message goes out once its row is committed (the first file's at once): the workers
    # read the first pages while the rest of the folder is still hashed and stored, instead of
    # waiting for the whole folder.
    report = register_paths(runtime, paths, batch_name, manifest=manifest, retry_failed=retry_failed,
                            send_as_recorded=True)
    return runtime, report


def document_table(records: list[dict]) -> Table:
    """One row per document: file, pages, type, status, fields needing review."""
    table = Table(title="Documents", show_lines=False)
    for column in ("file", "pages", "type", "conf", "status", "fields", "needs review / error"):
        table.add_column(column)
    for r in records:
        review = [k for k, f in r["fields"].items() if f["status"] == "needs_review"]
        pages = r["pages"]
        span = f"{min(pages)}-{max(pages)}" if len(pages) > 1 else (str(pages[0]) if pages else "-")
        status_style = {"auto_accepted": "green", "needs_review": "yellow", "failed": "red"}.get(r["status"], "")
        table.add_row(
            r["source"], span, r["doc_type"], f"{r['doc_type_confidence']:.2f}",
            f"[{status_style}]{r['status']}[/]" if status_style else r["status"],
            str(len(r["fields"])), r["error"] or ", ".join(review),
        )
    return table


def status_records(session, batch_name: str) -> list[dict]:
    """What :func:`batch_totals` reads of the export records (document status, current fields'
    statuses), in two queries."""
    from sqlalchemy import select

    from schemas.tables import Batch, Document, FieldValue, SourceFile

    documents = (select(Document.id, Document.status).join(SourceFile, Document.source_file_id == SourceFile.id)
                 .join(Batch, SourceFile.batch_id == Batch.id).where(Batch.name == batch_name))
    records = {doc_id: {"status": status, "fields": {}} for doc_id, status in session.execute(documents)}
    fields = select(FieldValue.document_id, FieldValue.key, FieldValue.status).where(
        FieldValue.is_current.is_(True), FieldValue.document_id.in_(documents.with_only_columns(Document.id)))
    for doc_id, key, status in session.execute(fields):
        records[doc_id]["fields"][key] = {"status": status}
    return list(records.values())


def batch_totals(batch_name: str, records: list[dict]) -> Table:
    """Batch totals: documents by status, fields auto-accepted vs needing review."""
    by_status: dict[str, int] = {}
    fields_total = fields_review = 0
    for r in records:
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
        fields_total += len(r["fields"])
        fields_review += sum(1 for f in r["fields"].values() if f["status"] == "needs_review")
    table = Table(title=f"Batch {batch_name}")
    table.add_column("documents")
    table.add_column("auto_accepted")
    table.add_column("needs_review")
    table.add_column("failed")
    table.add_column("fields")
    table.add_column("fields to review")
    table.add_row(
        str(len(records)), str(by_status.get("auto_accepted", 0)), str(by_status.get("needs_review", 0)),
        str(by_status.get("failed", 0)), str(fields_total), str(fields_review),
    )
    return table
