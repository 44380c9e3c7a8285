"""``sohoa run PATH…``: ingest local files and process them to the end, with a summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scripts.common import settings_from_env


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--batch", "batch_name", help="Batch name (default: run-<timestamp>)")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="CSV manifest")
@click.option("--quiet", is_flag=True, help="Only the batch totals")
@click.option("--unit", "unit_code", help="GSO code of the unit that received these dossiers (reviewers' scope)")
def run(paths: tuple[Path, ...], batch_name: str | None, manifest: Path | None, quiet: bool,
        unit_code: str | None) -> None:
    """Process scans (PDF, TIFF, JPEG, PNG; files or folders) on the configured backends."""
    from storage.db import transaction
    from storage.export import iter_records
    from workers.intake import read_manifest

    settings = settings_from_env()
    batch_name = batch_name or "run-" + dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    from scripts.users_cmd import assign_batch_unit

    assign_batch_unit(settings, batch_name, unit_code)
    console = Console()
    with _progress_bar(console) as (progress, update):
        if settings.embedded:
            from workers.embedded import process_paths

            report = process_paths(settings, paths, batch_name, manifest=read_manifest(manifest), progress=update)
            from workers.runtime import current

            runtime = current()
        else:
            runtime, report = _enqueue_for_workers(settings, paths, batch_name, read_manifest(manifest))
            from workers.embedded import wait_for_batch

            wait_for_batch(runtime, batch_name, progress=update)
    assign_batch_unit(settings, batch_name, unit_code)
    for relative, reason in report.skipped:
        console.print(f"[yellow]unsupported[/] {relative}: {reason}")
    for relative, file_id in report.duplicates:
        console.print(f"[dim]already processed (same SHA-256): {relative}[/]")
    with transaction(runtime.sessions) as session:
        records = list(iter_records(session, batch_name))
    if not quiet:
        console.print(document_table(records))
    console.print(batch_totals(batch_name, records))


def _enqueue_for_workers(settings, paths, batch_name, manifest):
    from workers.app import build_app
    from workers.embedded import ensure_database
    from workers.intake import register_paths

    ensure_database(settings)
    runtime, _broker = build_app(settings)
    report = register_paths(runtime, paths, batch_name, manifest=manifest)
    for file_id in report.to_process:
        runtime.send("ingest_file", file_id)
    return runtime, report


class _progress_bar:
    """A rich progress bar over pages read, updated from batch counts."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("pages"),
            TextColumn("{task.fields[files]}"), TimeElapsedColumn(), console=console, transient=False,
        )
        self.task = None

    def update(self, counts: dict[str, int]) -> None:
        total = max(counts.get("pages_expected", 0), counts.get("pages_total", 0))
        done = counts.get("pages_done", 0) + counts.get("pages_failed", 0)
        files_done = counts.get("files_done", 0) + counts.get("files_failed", 0)
        files = f"files {files_done}/{counts.get('files_total', 0)}"
        self.progress.update(self.task, total=total or None, completed=done, files=files)

    def __enter__(self):
        self.progress.start()
        self.task = self.progress.add_task("reading", total=None, files="")
        return self.progress, self.update

    def __exit__(self, *exc) -> None:
        self.progress.stop()


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
