"""``sohoa serve``: the API, reviewer and ops pages, and /metrics."""

from __future__ import annotations

import click

from scripts.common import settings_from_env


@click.command()
@click.option("--host", help="Interface (default SOHOA_API_HOST)")
@click.option("--port", type=int, help="Port (default SOHOA_API_PORT)")
def serve(host: str | None, port: int | None) -> None:
    """Serve the API on SOHOA_API_HOST:SOHOA_API_PORT."""
    import uvicorn

    from api.app import create_app
    from workers.embedded import ensure_database

    settings = settings_from_env()
    ensure_database(settings)
    uvicorn.run(create_app(settings), host=host or settings.api_host, port=port or settings.api_port,
                log_level=settings.log_level.lower(), log_config=None)  # uvicorn's logs go through the masking
