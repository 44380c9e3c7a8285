"""Where the time goes: wall and CPU seconds per pipeline stage, in one process-wide account.

Stages wrap their work in :func:`timed`; the account is read by the benchmark (CPU seconds per page
per stage) and by the metrics module (a histogram per stage), which registers a listener. This
module holds no I/O, so ``ocr/`` and ``pipeline/`` may use it.

Stage names are a fixed vocabulary (``STAGES``) so dashboards and the bench agree on them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

STAGES = ("decode", "store", "orientation", "deskew", "clean", "ocr", "analyse", "save", "other")

Listener = Callable[[str, float, float], None]  # (stage, wall seconds, cpu seconds)


@dataclass
class StageTotal:
    """What one stage spent since the account was last reset."""

    calls: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0


_lock = threading.Lock()
_totals: dict[str, StageTotal] = {}
_listeners: list[Listener] = []


def add_listener(listener: Listener) -> None:
    """Call ``listener(stage, wall_s, cpu_s)`` after every timed stage (idempotent)."""
    with _lock:
        if listener not in _listeners:
            _listeners.append(listener)


def record(stage: str, wall_s: float, cpu_s: float) -> None:
    """Add one measured run of ``stage`` to the account and tell the listeners."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; one of {', '.join(STAGES)}")
    with _lock:
        total = _totals.setdefault(stage, StageTotal())
        total.calls += 1
        total.wall_s += wall_s
        total.cpu_s += cpu_s
        listeners = list(_listeners)
    for listener in listeners:
        listener(stage, wall_s, cpu_s)


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Time the block as ``stage``: wall clock and this thread's CPU time."""
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        yield
    finally:
        record(stage, time.perf_counter() - wall, time.thread_time() - cpu)


def snapshot() -> dict[str, StageTotal]:
    """A copy of the account, stage by stage."""
    with _lock:
        return {name: StageTotal(t.calls, t.wall_s, t.cpu_s) for name, t in _totals.items()}


def reset() -> None:
    """Start a new account (the bench does between runs)."""
    with _lock:
        _totals.clear()
