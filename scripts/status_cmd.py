"""``sohoa status``: workers and their heartbeats, queues and their consumers, batches with counts,
rate, ETA and a stalled flag, dead letters (the figures of the ops page, see :mod:`workers.overview`)."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table

from scripts.common import ready_database, settings_from_env


@click.command()
@click.option("--batch", "batch_name", help="Only this batch")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
def status(batch_name: str | None, as_json: bool) -> None:
    """Show workers, queues, batch progress (rate, ETA, stalled) and dead letters."""
    from workers.overview import overview

    settings = settings_from_env()
    sessions = ready_database(settings)
    report = overview(settings, sessions, batch_name=batch_name)
    report.pop("throughput")
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    _print(Console(width=None if sys.stdout.isatty() else 160), report, settings.embedded)


def _print(console: Console, report: dict, embedded: bool) -> None:
    if report["broker_error"]:
        console.print(f"[bold red]broker {report['broker']} unreachable:[/] {report['broker_error']}")
    if report["store_error"]:
        console.print(f"[bold red]object store {report['store']} unreachable:[/] {report['store_error']}")
    if not embedded:
        workers = Table(title=f"Workers: {report['workers_live']} live")
        for col in ("worker", "queues", "threads", "messages", "last heartbeat", "live"):
            workers.add_column(col)
        for w in report["workers"]:
            workers.add_row(w["worker"], ", ".join(w["queues"] or ["all"]), str(w["threads"]), str(w["processed"]),
                            f"{w['seconds_since_heartbeat']:.0f} s ago",
                            "yes" if w["live"] else
                            "[bold red]NO (process gone)[/]" if w["gone"] else "[bold red]NO (silent)[/]")
        if not report["workers"]:
            workers.add_row("[bold red]no worker seen[/]", "", "", "", "", "")
        console.print(workers)
        queues = Table(title="Queues")
        for col in ("queue", "ready", "delayed", "dead", "consumers"):
            queues.add_column(col)
        for name, depth in report["queues"].items():
            consumers = depth.get("consumers")
            shown = "-" if consumers is None else str(consumers)
            if depth.get("ready") and consumers == 0:
                shown = f"[bold red]{shown}[/]"
            queues.add_row(name, *(str(depth.get(k, "-")) for k in ("ready", "delayed", "dead")), shown)
        console.print(queues)
    batches = Table(title="Batches")
    for col in ("batch", "files", "done", "failed", "pages", "documents", "failed docs", "needs review",
                "pages/min", "ETA", "state"):
        batches.add_column(col)
    for b in report["batches"]:
        eta = f"{b['eta_seconds'] / 60:.1f} min" if b["eta_seconds"] is not None else "-"
        if b["finished"]:
            state = "finished"
        elif b["stalled"]:
            state = "[bold red]STALLED[/]"
        else:
            state = "running"
        batches.add_row(
            b["batch"], str(b["files_total"]), str(b["files_done"]), str(b["files_failed"]),
            f"{b['pages_finished']}/{b['pages_finished'] + b['pages_remaining']}",
            str(b["documents_total"]), str(b["documents_failed"]), str(b["documents_needs_review"]),
            str(b["pages_per_minute"]), eta, state,
        )
    console.print(batches)
    for b in report["batches"]:
        if b["stalled"]:
            console.print(f"[bold red]batch {b['batch']} STALLED:[/] " + "; ".join(b["stalled_reasons"]))
    console.print(f"dead letters not replayed: {report['dead_letters']} · outbox waiting: {report['outbox']['waiting']}"
                  f" · pages in the last hour: {report['pages_last_hour']}")
