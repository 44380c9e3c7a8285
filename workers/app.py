"""Assemble a worker application: runtime + broker + actors, for any configured broker."""

from __future__ import annotations

from typing import Any

import dramatiq

from schemas.settings import Settings
from workers.actors import declare_actors
from workers.brokers import make_broker
from workers.middleware import default_middleware
from workers.runtime import Runtime, configure


def build_app(settings: Settings, *, ocr_engine: Any = None) -> tuple[Runtime, dramatiq.Broker]:
    """Configure this process's runtime and a broker with every Sohoa actor declared on it."""
    runtime = configure(settings, ocr_engine=ocr_engine)
    broker = make_broker(settings.broker_url, middleware=default_middleware(settings))
    dramatiq.set_broker(broker)
    runtime.actors = declare_actors(broker)
    return runtime, broker
