"""``sohoa upload``: put scans into the object store and enqueue them for the workers."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import Progress

from scripts.common import settings_from_env


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--batch", "batch_name", required=True, help="Batch name")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="CSV manifest")
@click.option("--unit", "unit_code", help="GSO code of the unit that received these dossiers (reviewers' scope)")
def upload(paths: tuple[Path, ...], batch_name: str, manifest: Path | None, unit_code: str | None) -> None:
    """Upload files or folders as one batch (dedup by SHA-256; run again to resume)."""
    from workers.app import build_app
    from workers.embedded import ensure_database
    from workers.intake import iter_scan_files, read_manifest, register_paths

    settings = settings_from_env()
    ensure_database(settings)
    runtime, _ = build_app(settings)
    from scripts.users_cmd import assign_batch_unit

    assign_batch_unit(settings, batch_name, unit_code)
    total = sum(1 for _ in iter_scan_files(paths))
    with Progress() as progress:
        task = progress.add_task("uploading", total=total)
        report = register_paths(
            runtime, paths, batch_name, manifest=read_manifest(manifest),
            on_file=lambda _name: progress.advance(task),
        )
    assign_batch_unit(settings, batch_name, unit_code)
    for file_id in report.to_process:
        runtime.send("ingest_file", file_id)
    click.echo(
        f"batch {batch_name}: {len(report.new)} new, {len(report.resumed)} resumed, "
        f"{len(report.duplicates)} already known, {len(report.skipped)} unsupported; "
        f"{len(report.to_process)} enqueued"
    )
    if settings.embedded:
        click.echo("note: the broker is the in-process stub; use `sohoa run` or set SOHOA_BROKER_URL for workers")
