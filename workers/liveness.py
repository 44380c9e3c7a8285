"""What keeps a worker process honest about being alive, and alive only while its parent is.

* :class:`Heartbeat` - a daemon thread of each worker process: every :data:`BEAT_S` seconds it
  writes the process's row in ``worker_heartbeats`` (what ``sohoa status``, ``/metrics`` and the
  ops pages count as live workers), and relays outbox messages whose first send failed. A process
  that stops cleanly deletes its row; one that is killed stops beating and is not live 60 s later.
* :func:`die_with_parent` - a ``sohoa worker`` child must not outlive its parent (a SIGKILLed
  parent would leave children consuming, unsupervised): on Linux the kernel sends the child
  SIGTERM when the parent dies (``prctl(PR_SET_PDEATHSIG)``), and everywhere a watchdog thread
  notices that the parent pid changed and does the same.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import logging
import os
import signal
import socket
import sys
import threading
import time

log = logging.getLogger("sohoa.worker")

BEAT_S = 5.0
"""Seconds between two heartbeats of a worker process (the live window is 60 s: twelve beats)."""

PRUNE_EVERY_S = 600.0
PR_SET_PDEATHSIG = 1


def worker_id(pid: int | None = None) -> str:
    return f"{socket.gethostname()}:{pid or os.getpid()}"


class Heartbeat:
    """Beat, relay the outbox, and count finished messages, for one worker process."""

    def __init__(self, runtime, *, queues: list[str] | None, threads: int, beat_s: float = BEAT_S) -> None:
        self.runtime = runtime
        self.queues, self.threads, self.beat_s = queues, threads, beat_s
        self.worker_id = worker_id()
        self.started_at = dt.datetime.now(dt.timezone.utc)
        self.processed = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sohoa-heartbeat", daemon=True)
        self._pruned_at = time.monotonic()

    def message_done(self) -> None:
        with self._lock:
            self.processed += 1

    def start(self) -> None:
        self.beat()  # at once: a worker is visible as soon as it consumes
        self._thread.start()

    def stop(self) -> None:
        """Stop beating and remove the row (a clean stop is not a silent worker)."""
        self._stop.set()
        self._thread.join(timeout=self.beat_s + 5)
        from storage import ops
        from storage.db import transaction

        try:
            with transaction(self.runtime.sessions) as s:
                ops.forget_worker(s, self.worker_id)
        except Exception as exc:  # the database may be down: the row then just grows old
            log.warning("heartbeat: could not remove %s (%s)", self.worker_id, type(exc).__name__)

    def beat(self) -> None:
        from storage import ops
        from storage.db import transaction

        with transaction(self.runtime.sessions) as s:
            ops.beat(s, worker_id=self.worker_id, host=socket.gethostname(), pid=os.getpid(),
                     parent_pid=os.getppid(), queues=self.queues, threads=self.threads,
                     processed=self.processed, started_at=self.started_at)

    def _run(self) -> None:
        from workers.actors import OUTBOX_RESEND_S
        from workers.tasks import relay_outbox

        while not self._stop.wait(self.beat_s):
            try:
                self.beat()
                relay_outbox(self.runtime, OUTBOX_RESEND_S)
                if time.monotonic() - self._pruned_at > PRUNE_EVERY_S:
                    self._prune()
            except Exception as exc:  # a database or broker outage: beat again next time
                log.warning("heartbeat: %s: %s", type(exc).__name__, exc)

    def _prune(self) -> None:
        from storage import ops
        from storage.db import transaction

        self._pruned_at = time.monotonic()
        with transaction(self.runtime.sessions) as s:
            ops.prune_minutes(s)
            ops.forget_silent_workers(s)


def die_with_parent(parent_pid: int, *, sig: int = signal.SIGTERM, poll_s: float = 1.0) -> None:
    """Get ``sig`` when the process ``parent_pid`` (our parent) dies; call first in a child."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %s", ctypes.get_errno())
    if os.getppid() != parent_pid:  # the parent died before the prctl: it will never fire
        os.kill(os.getpid(), sig)
        return

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(poll_s)
        log.warning("parent %s is gone: stopping", parent_pid)
        os.kill(os.getpid(), sig)

    threading.Thread(target=watch, name="sohoa-parent-watchdog", daemon=True).start()
