"""``sohoa dlq list|replay``: messages given up on, and sending them again."""

from __future__ import annotations

import json

import click

from scripts.common import ready_database, settings_from_env


@click.group()
def dlq() -> None:
    """Dead letters: messages that failed for good (kept in the database)."""


@dlq.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include replayed ones")
@click.option("--json", "as_json", is_flag=True)
def list_(show_all: bool, as_json: bool) -> None:
    """List dead letters."""
    from sqlalchemy import select

    from schemas.tables import DeadLetter
    from storage.db import transaction

    settings = settings_from_env()
    with transaction(ready_database(settings)) as s:
        stmt = select(DeadLetter).order_by(DeadLetter.id)
        if not show_all:
            stmt = stmt.where(DeadLetter.replayed_at.is_(None))
        rows = [
            {"id": d.id, "actor": d.actor, "queue": d.queue, "args": d.payload.get("args"), "attempts": d.attempts,
             "error": d.error, "created_at": d.created_at.isoformat() if d.created_at else None,
             "replayed_at": d.replayed_at.isoformat() if d.replayed_at else None}
            for d in s.scalars(stmt)
        ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no dead letters")
    for r in rows:
        click.echo(f"#{r['id']} {r['actor']}{tuple(r['args'] or [])} attempts={r['attempts']} {r['error']}")


@dlq.command()
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter not yet replayed")
def replay(ids: tuple[int, ...], replay_all: bool) -> None:
    """Send dead letters again, with their attempt counts reset."""
    from workers.app import build_app
    from workers.overview import replay_dead_letters

    if not ids and not replay_all:
        raise click.UsageError("give dead-letter ids or --all")
    settings = settings_from_env()
    ready_database(settings)
    runtime, _ = build_app(settings)
    replayed = replay_dead_letters(runtime.sessions, runtime.send, list(ids) or None)
    click.echo(f"replayed {replayed} dead letters")
