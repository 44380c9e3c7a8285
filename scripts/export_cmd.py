"""``sohoa export``: the digitised records as JSON lines or CSV, or one searchable PDF per document."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scripts.common import ready_database, settings_from_env


@click.command()
@click.option("--batch", "batch_name", help="Only this batch")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "pdf"]), default="jsonl", show_default=True)
@click.option("--out", type=click.Path(path_type=Path),
              help="File to write (default: stdout); for pdf, the folder to write the PDFs into")
def export(batch_name: str | None, fmt: str, out: Path | None) -> None:
    """Write one record per document (docs/architecture.md's export record), or one searchable PDF per document.

    csv: one row per document, one column per field (value, confidence, status), no JSON.
    pdf: the straightened page images with an invisible text layer, metadata dossier code, type,
    number, date and units (``--out DIR`` required).
    """
    from storage.db import transaction
    from storage.export import iter_records, to_csv, to_jsonl

    settings = settings_from_env()
    sessions = ready_database(settings)
    if fmt == "pdf":
        _export_pdfs(settings, sessions, batch_name, out)
        return
    if out is not None and out.is_dir():
        raise click.BadParameter(f"{out} is a folder; give a file name (a folder is for --format pdf)",
                                 param_hint="--out")
    writer = to_jsonl if fmt == "jsonl" else to_csv
    handle = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    count = 0

    def counted(records):
        nonlocal count
        for record in records:
            count += 1
            yield record

    try:
        with transaction(sessions) as session:
            for chunk in writer(counted(iter_records(session, batch_name))):
                handle.write(chunk)
    finally:
        if out:
            handle.close()
    if out:
        click.echo(f"wrote {count} records to {out}", err=True)


def _export_pdfs(settings, sessions, batch_name: str | None, out: Path | None) -> None:
    from storage.db import transaction
    from storage.objects import open_store
    from storage.pageimages import PageImages
    from storage.pdfexport import write_pdfs

    if out is None:
        raise click.UsageError("--format pdf needs --out DIR (one PDF per document is written there)")
    if out.exists() and not out.is_dir():
        raise click.BadParameter(f"{out} is a file; --format pdf writes into a folder", param_hint="--out")
    with transaction(sessions) as session:
        images = PageImages(open_store(settings.effective_storage_url), settings.max_pixels, keep_last_scan=True)
        count = write_pdfs(session, images, out, batch_name)
    click.echo(f"wrote {count} searchable PDFs to {out}", err=True)
