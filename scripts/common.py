"""What every command does first: settings from the environment, logging, a database to read."""

from __future__ import annotations

import logging
import os

from schemas.errors import ConfigError
from schemas.settings import Settings, load_settings


def settings_from_env(**overrides) -> Settings:
    """The validated settings (a bad SOHOA_* value ends the command with a message naming it)."""
    from schemas.logging import install

    settings = load_settings(**overrides)
    install(settings.log_level, settings.log_format)  # JSON lines, personal data masked
    # dramatiq and pdf libraries are chatty at INFO; their warnings still show.
    for name in ("dramatiq", "pdfminer", "urllib3", "alembic"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))
    # pika logs every refused connection attempt as a warning with a traceback; Sohoa reports
    # an unreachable broker itself (TransientError with the cause), once.
    logging.getLogger("pika").setLevel(logging.CRITICAL)
    return settings


# One OCR process per core: a library that spreads one page over every core (OpenCV does by
# default, OpenBLAS and OpenMP may) only makes the processes fight over the cores.
SINGLE_THREAD_ENV = {"OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                     "OPENCV_FOR_THREADS_NUM": "1"}


def one_thread_per_library() -> None:
    """One thread per library in this process (an operator's own value wins).

    Call it first in a freshly spawned OCR process: the libraries read it when they are imported.
    """
    for name, value in SINGLE_THREAD_ENV.items():
        os.environ.setdefault(name, value)


NOT_MIGRATED = "database is not migrated: run `sohoa db upgrade`"


def ready_database(settings: Settings):
    """A session factory for a database that has the schema, for commands that only read it.

    The embedded default (a SQLite file, no server) is created and migrated here, as ``sohoa run``
    does, so ``sohoa status`` or ``sohoa export`` on a fresh folder answer "nothing yet". A server
    database is not ours to change from a read command: a never-migrated one raises
    :class:`ConfigError` saying to run ``sohoa db upgrade``, not a "no such table" traceback.
    """
    from sqlalchemy.engine import make_url

    from storage.db import session_factory

    url = settings.effective_database_url
    if make_url(url).get_backend_name() == "sqlite":
        from workers.embedded import ensure_database

        ensure_database(settings)
    else:
        from storage.migrate import current_revision

        if current_revision(url) is None:
            raise ConfigError(f"{NOT_MIGRATED} (SOHOA_DATABASE_URL={_without_password(url)})")
    return session_factory(url)


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
