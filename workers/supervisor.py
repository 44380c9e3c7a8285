"""What the ``sohoa worker`` parent does besides waiting: pace restarts, schedule the sweep.

* :class:`RestartBackoff` - a child that keeps dying (bad configuration, a service down at boot,
  out of memory) is restarted after 1, 2, 4 … seconds, at most :data:`RESTART_MAX_S`, instead of in
  a tight loop; a child that lived :data:`HEALTHY_AFTER_S` seconds starts the count afresh.
* :class:`SweepScheduler` - enqueues the ``sweep_stalled`` maintenance actor every
  ``SOHOA_SWEEP_INTERVAL`` seconds, so lost work is re-sent without an external cron. Every worker
  machine runs one; that is safe: no sweep is enqueued while one still waits in the maintenance
  queue, and the sweep claims each stalled file in the database (one sweep gets it).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from schemas.settings import Settings

log = logging.getLogger("sohoa.worker")

RESTART_MIN_S = 1.0
RESTART_MAX_S = 60.0
HEALTHY_AFTER_S = 60.0


@dataclass
class RestartBackoff:
    """Delay before restarting one worker slot, from how long its last child lived."""

    min_s: float = RESTART_MIN_S
    max_s: float = RESTART_MAX_S
    healthy_after_s: float = HEALTHY_AFTER_S
    crashes: int = 0  # consecutive short-lived children

    def after_exit(self, lived_s: float) -> float:
        """Record a child that died after ``lived_s`` seconds; return the seconds to wait before the next."""
        if lived_s >= self.healthy_after_s:
            self.crashes = 0  # it ran fine for a while: this is a fresh failure, not a crash loop
        self.crashes += 1
        return min(self.max_s, self.min_s * 2 ** (self.crashes - 1))


class SweepScheduler:
    """Enqueue ``sweep_stalled`` every ``settings.sweep_interval`` seconds (from the parent process).

    Each tick opens its own broker connection and closes it: an idle connection held for minutes
    would be dropped by RabbitMQ's heartbeat check, which a parent that only sleeps never answers.
    """

    def __init__(self, settings: Settings, *, clock=time.monotonic) -> None:
        self.settings = settings
        self.interval = settings.sweep_interval
        self.clock = clock
        self.next_at = clock()  # a first sweep at start: a machine back from an outage catches up

    def tick(self) -> bool:
        """Enqueue a sweep if it is time and none is waiting; True if one was enqueued."""
        now = self.clock()
        if now < self.next_at:
            return False
        self.next_at = now + self.interval
        try:
            return enqueue_sweep(self.settings)
        except Exception as exc:  # the broker may be down: try again next interval, never die of it
            log.warning("sweep: could not enqueue (%s: %s); next try in %s s", type(exc).__name__, exc, self.interval)
            return False


def enqueue_sweep(settings: Settings) -> bool:
    """Send one ``sweep_stalled`` message unless one already waits in its queue; True if sent."""
    from workers.actors import declare_actors
    from workers.brokers import make_broker, queue_depths
    from workers.middleware import default_middleware

    broker = make_broker(settings.broker_url, middleware=default_middleware(settings))
    try:
        actor = declare_actors(broker)["sweep_stalled"]
        depth = queue_depths(broker, [actor.queue_name])[actor.queue_name]
        if depth["ready"] or depth["delayed"]:
            log.debug("sweep: one is already waiting in %s", actor.queue_name)
            return False
        actor.send()
        return True
    finally:
        broker.close()
