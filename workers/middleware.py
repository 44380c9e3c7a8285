"""Dramatiq middleware of Sohoa, one concern each (dramatiq's own style).

* :func:`retry_policy` - transient errors retry with bounded exponential backoff (a service
  outage for up to about two hours, see :data:`OUTAGE_RETRIES`); permanent errors never do
  (actors record them and return); unexpected errors get a couple of tries.
* :class:`DeadLetters` - a message that will not be retried again is kept in the
  ``dead_letters`` table (for ``sohoa dlq list|replay``) and its file or page is failed with the
  reason, so the batch still finishes.
* :class:`RuntimeSetup` - each worker *process* builds its own runtime (pools after fork).
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Callable

import dramatiq
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from schemas.errors import PermanentError, SohoaError, TransientError
from schemas.settings import Settings

log = logging.getLogger("sohoa.workers")

UNEXPECTED_ERROR_RETRIES = 2

OUTAGE_CODES = frozenset({"store_unavailable", "database_unavailable", "broker_unavailable"})
"""Transient errors that say a *service* is down, not that the input is slow or odd."""

OUTAGE_RETRIES = 120
"""Retries of a message that met a service outage. At the backoff's bound (SOHOA_RETRY_MAX_BACKOFF_MS,
a minute by default) that is about two hours: a store or database that comes back within that
time finds its pages retried, not failed for good after the queue's few quick retries."""


def retry_policy(bound: int, retries: int, exception: BaseException) -> bool:
    """Should a message that raised ``exception`` after ``retries`` earlier retries run again?

    ``bound`` is the actor's retry bound from the queue table (bind it with functools.partial).
    """
    if isinstance(exception, PermanentError):
        return False
    if isinstance(exception, TransientError):
        return retries < (max(bound, OUTAGE_RETRIES) if exception.code in OUTAGE_CODES else bound)
    return retries < min(bound, UNEXPECTED_ERROR_RETRIES)


class DeadLetters(dramatiq.Middleware):
    """Record messages that are given up on, and fail what they were about."""

    def __init__(self, on_dead: Callable[[dramatiq.MessageProxy, str], None]) -> None:
        self.on_dead = on_dead

    def after_process_message(self, broker: dramatiq.Broker, message: dramatiq.MessageProxy, *,
                              result: Any = None, exception: BaseException | None = None) -> None:
        # Keep the error as Sohoa stores errors everywhere ("code: message"), for before_nack.
        if exception is not None:
            reason = exception.reason if isinstance(exception, SohoaError) else f"{type(exception).__name__}: {exception}"
            message.options["error_reason"] = reason

    def before_nack(self, broker: dramatiq.Broker, message: dramatiq.MessageProxy) -> None:
        reason = message.options.get("error_reason") or message.options.get("traceback", "") or "failed"
        reason = reason.strip().splitlines()[-1] if reason.strip() else "failed"
        try:
            self.on_dead(message, reason)
        except Exception:  # never lose the nack itself over bookkeeping
            log.exception("could not record dead letter %s", message.message_id)


class RuntimeSetup(dramatiq.Middleware):
    """Configure :mod:`workers.runtime` in each worker process after it boots."""

    def __init__(self, configure: Callable[[], Any]) -> None:
        self.configure = configure

    def before_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self.configure()


def default_middleware(settings: Settings) -> list[dramatiq.Middleware]:
    """The middleware stack every Sohoa broker gets (DeadLetters is added by the actor set-up)."""
    return [
        AgeLimit(),
        TimeLimit(),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        CurrentMessage(),
        Retries(
            min_backoff=settings.retry_min_backoff_ms,
            max_backoff=settings.retry_max_backoff_ms,
            retry_when=functools.partial(retry_policy, 3),
        ),
    ]
