"""What every command does first: settings from the environment, logging."""

from __future__ import annotations

import logging

from schemas.settings import Settings, load_settings


def settings_from_env(**overrides) -> Settings:
    """The validated settings (a bad SOHOA_* value ends the command with a message naming it)."""
    settings = load_settings(**overrides)
    logging.basicConfig(
        level=getattr(logging, settings.log_level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # dramatiq and pdf libraries are chatty at INFO; their warnings still show.
    for name in ("dramatiq", "pika", "pdfminer", "urllib3", "alembic"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))
    return settings
