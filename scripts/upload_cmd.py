"""``sohoa upload``: put scans into the object store and enqueue them for the workers.

Every file is accounted for (new, duplicate, resumed, unsupported, failed - see
:mod:`workers.intake`); exit codes are those of :mod:`scripts.intake_ui`. ``s3://BUCKET/PREFIX``
registers objects already in the object store without copying them (see :mod:`workers.pull`).
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from scripts.common import settings_from_env


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--batch", "batch_name", required=True, help="Batch name")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV manifest (file, dossier_code, procedure_code, receiving_unit, received_date, note)")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the per-file account to this CSV file")
@click.option("--retry-failed", is_flag=True, help="Run files that failed before again")
@click.option("--watch", is_flag=True, help="s3:// only: keep registering new objects under the prefix")
@click.option("--interval", type=float, default=30.0, show_default=True, help="Seconds between --watch polls")
@click.option("--unit", "unit_code", help="GSO code of the unit that received these dossiers (reviewers' scope)")
@click.option("--quiet", is_flag=True, help="Only files that need a word, and the totals")
def upload(sources: tuple[str, ...], batch_name: str, manifest: Path | None, report_path: Path | None,
           retry_failed: bool, watch: bool, interval: float, quiet: bool,
           unit_code: str | None) -> None:
    """Upload files, folders or zip archives as one batch, or register s3://BUCKET/PREFIX in place.

    Files already known (same SHA-256) are not stored or enqueued again; an interrupted upload is
    finished by running the same command again. Exit status: 0 all files accounted for, 3 some
    files refused or failed, 4 manifest wrong (nothing uploaded), 2 usage, 1 other error.
    """
    from scripts.intake_ui import EXIT_MANIFEST, UploadProgress, finish, next_steps, print_account
    from workers.app import build_app
    from workers.embedded import ensure_database
    from workers.intake import register_paths, send_all, settle
    from workers.manifest import ManifestError

    remote = [s for s in sources if s.startswith("s3://")]
    if remote and len(remote) != len(sources):
        raise click.UsageError("give either local paths or s3:// prefixes, not both")
    if watch and not remote:
        raise click.UsageError("--watch is for s3://BUCKET/PREFIX sources")
    paths = [Path(s) for s in sources if not s.startswith("s3://")]
    for path in paths:
        if not path.exists():
            raise click.BadParameter(f"{path} does not exist", param_hint="SOURCES")
    settings = settings_from_env()
    ensure_database(settings)
    runtime, _ = build_app(settings)
    from scripts.users_cmd import assign_batch_unit

    assign_batch_unit(settings, batch_name, unit_code)
    console = Console(stderr=False)
    try:
        if remote:
            from workers.pull import pull_objects

            report = pull_objects(runtime, remote, batch_name, manifest=manifest, retry_failed=retry_failed,
                                  watch=watch, interval=interval, console=console)
        else:
            with UploadProgress(console) as progress:
                report = register_paths(runtime, paths, batch_name, manifest=manifest, retry_failed=retry_failed,
                                        on_found=progress.found, on_file=progress.file)
    except ManifestError as exc:
        click.echo(f"sohoa: {exc}", err=True)
        raise SystemExit(EXIT_MANIFEST) from None
    assign_batch_unit(settings, batch_name, unit_code)  # the files just registered
    sent = send_all(runtime, report)
    settle(runtime, report)  # pages and documents of the duplicates, for the report
    print_account(console, report, verbose=not quiet)
    console.print(f"{len(report.to_process)} enqueued ({sent} messages)", highlight=False)
    if settings.embedded:
        console.print("note: the broker is the in-process stub; use `sohoa run` or set SOHOA_BROKER_URL"
                      " for workers", highlight=False)
    next_steps(console, batch_name, processed=False)
    finish(report, report_path)
