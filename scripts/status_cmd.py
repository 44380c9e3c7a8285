"""``sohoa status``: queue depths, dead letters, batch progress."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from scripts.common import ready_database, settings_from_env


@click.command()
@click.option("--batch", "batch_name", help="Only this batch")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
def status(batch_name: str | None, as_json: bool) -> None:
    """Show progress of batches, queues and dead letters."""
    from sqlalchemy import func, select

    from schemas.tables import Batch, DeadLetter
    from storage import repo
    from storage.db import transaction

    settings = settings_from_env()
    sessions = ready_database(settings)
    with transaction(sessions) as s:
        names = [batch_name] if batch_name else list(s.scalars(select(Batch.name).order_by(Batch.id)))
        batches = {name: repo.batch_progress(s, name) for name in names}
        dead = s.scalar(select(func.count()).select_from(DeadLetter).where(DeadLetter.replayed_at.is_(None)))
    queues = _queue_depths(settings)
    report = {"batches": batches, "dead_letters": dead, "queues": queues, "broker": settings.broker_url.split("@")[-1]}
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    console = Console()
    table = Table(title="Batches")
    for col in ("batch", "files", "done", "failed", "pages read", "documents", "needs review"):
        table.add_column(col)
    for name, c in batches.items():
        table.add_row(
            name, str(c.get("files_total", 0)), str(c.get("files_done", 0)), str(c.get("files_failed", 0)),
            f"{c.get('pages_done', 0) + c.get('pages_failed', 0)}/{c.get('pages_expected', 0)}",
            str(c.get("documents_total", 0)), str(c.get("documents_needs_review", 0)),
        )
    console.print(table)
    if queues:
        qt = Table(title="Queues")
        for col in ("queue", "ready", "delayed", "dead"):
            qt.add_column(col)
        for name, depth in queues.items():
            qt.add_row(name, *(str(depth.get(k, "-")) for k in ("ready", "delayed", "dead")))
        console.print(qt)
    console.print(f"dead letters not replayed: {dead}")


def _queue_depths(settings) -> dict:
    if settings.embedded:
        return {}
    from workers.brokers import make_broker, queue_depths
    from workers.queues import QUEUE_NAMES

    broker = make_broker(settings.broker_url)
    try:
        for name in QUEUE_NAMES:
            broker.declare_queue(name)
        return queue_depths(broker)
    finally:
        broker.close()
