"""Assemble a worker application: runtime + broker + actors, for any configured broker."""

from __future__ import annotations

from typing import Any

import dramatiq

from schemas.settings import Settings
from workers.actors import declare_actors
from workers.brokers import make_broker
from workers.middleware import default_middleware
from workers.runtime import Runtime, configure
from workers.stage_account import report_at_exit


def build_app(settings: Settings, *, ocr_engine: Any = None) -> tuple[Runtime, dramatiq.Broker]:
    """Configure this process's runtime and a broker with every Sohoa actor declared on it."""
    runtime = configure(settings, ocr_engine=ocr_engine)
    report_at_exit(settings)  # only with SOHOA_STAGE_ACCOUNT_DIR (the end-to-end bench)
    broker = make_broker(settings.broker_url, middleware=default_middleware(settings))
    dramatiq.set_broker(broker)
    runtime.actors = declare_actors(broker)
    return runtime, broker
