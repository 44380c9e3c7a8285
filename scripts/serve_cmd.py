"""``sohoa serve``: the API, reviewer and ops pages, and /metrics."""

from __future__ import annotations

import click

from scripts.common import settings_from_env


@click.command()
@click.option("--host", help="Interface (default SOHOA_API_HOST)")
@click.option("--port", type=int, help="Port (default SOHOA_API_PORT)")
@click.option("--workers", type=int, default=1, show_default=True, help="Server processes (the same SOHOA_* settings)")
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the API on SOHOA_API_HOST:SOHOA_API_PORT."""
    import uvicorn

    from api.app import create_app
    from workers.embedded import ensure_database

    settings = settings_from_env()
    ensure_database(settings)
    settings.effective_secret_key  # a missing SOHOA_SECRET_KEY stops start-up with its message
    if workers > 1:  # each process builds its app from the environment
        uvicorn.run("api.app:app_from_env", factory=True, workers=workers, host=host or settings.api_host,
                    port=port or settings.api_port, log_level=settings.log_level.lower())
        return
    uvicorn.run(create_app(settings), host=host or settings.api_host, port=port or settings.api_port,
                log_level=settings.log_level.lower())
