"""``sohoa export``: the digitised records as JSON lines or CSV."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scripts.common import ready_database, settings_from_env


@click.command()
@click.option("--batch", "batch_name", help="Only this batch")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)")
def export(batch_name: str | None, fmt: str, out: Path | None) -> None:
    """Write one record per document (docs/architecture.md's export record)."""
    from storage.db import transaction
    from storage.export import iter_records, to_csv, to_jsonl

    settings = settings_from_env()
    sessions = ready_database(settings)
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
