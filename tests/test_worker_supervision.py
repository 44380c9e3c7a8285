"""The ``sohoa worker`` parent: restarts of dying children are paced by a bounded exponential backoff,
and the parent schedules the stalled-work sweep itself (no external cron), safely from several
machines at once: lost work is re-sent once, not once per machine.

The end-to-end tests run real ``sohoa worker`` commands on the machine's RabbitMQ / Redis and
PostgreSQL (fixtures shared with tests/test_scaleout.py).
"""

from __future__ import annotations

import ast
import collections
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from schemas.settings import load_settings
from schemas.tables import Page
from storage.db import transaction
from tests.test_scaleout import ROOT, SOHOA, make_cluster, rabbitmq_url, redis_url  # noqa: F401  (fixtures)
from tests.s3server import s3_server  # noqa: F401  (fixture)
from tests.test_worker_sweep import lost_work
from tests.test_workflow import _page_png
from workers.brokers import queue_depths
from workers.queues import BY_ACTOR
from workers.supervisor import RESTART_MAX_S, RestartBackoff, enqueue_sweep

MAINTENANCE = BY_ACTOR["sweep_stalled"].queue


def engine_that_exits(settings):
    """An OCR engine factory that makes every worker process die at boot (``SOHOA_OCR_ENGINE``)."""
    raise SystemExit(3)


# -- restart backoff ---------------------------------------------------------------------------------

def test_restart_delays_double_up_to_the_bound_and_reset_after_a_healthy_run():
    backoff = RestartBackoff(min_s=1, max_s=8, healthy_after_s=60)
    assert [backoff.after_exit(lived_s=2) for _ in range(6)] == [1, 2, 4, 8, 8, 8]
    assert backoff.after_exit(lived_s=61) == 1  # it ran fine for a minute: a new failure, not the loop
    assert backoff.after_exit(lived_s=0.5) == 2
    assert RestartBackoff().after_exit(0) == 1 and RestartBackoff(crashes=30).after_exit(0) == RESTART_MAX_S


def test_a_worker_process_that_dies_at_boot_is_restarted_with_growing_delays(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOHOA_VAR_DIR": str(tmp_path / "var"),
           "SOHOA_BROKER_URL": "redis://127.0.0.1:6379/15", "SOHOA_SWEEP_INTERVAL": "0",
           "SOHOA_OCR_ENGINE": f"{__name__}:engine_that_exits", "SOHOA_LOG_LEVEL": "WARNING"}
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        parent = subprocess.Popen([SOHOA, "worker", "--processes", "1"], env=env, cwd=ROOT, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    started = time.monotonic()
    try:
        while len(_exits(log)) < 3 and time.monotonic() - started < 40:
            time.sleep(0.2)
    finally:
        parent.send_signal(signal.SIGTERM)
        parent.wait(timeout=30)
    exits = _exits(log)
    assert len(exits) >= 3, log.read_text(errors="replace")[-3000:]
    assert all(code == "3" for _, code, _ in exits), exits
    delays = [delay for _, _, delay in exits[:3]]
    assert delays == [1, 2, 4], delays  # without the backoff: a restart every 0.5 s
    # The parent really waited: the next death comes at least the announced delay after the last.
    for (at, _, delay), (next_at, _, _) in zip(exits, exits[1:3]):
        assert next_at - at >= delay, exits


def _exits(log: Path) -> list[tuple[float, str, int]]:
    """(when, exit code, restart delay) of every child death the parent logged (JSON log lines)."""
    import datetime as dt
    import json

    text = log.read_text(errors="replace") if log.exists() else ""
    pattern = r"^worker process \d+ exited with (-?\d+); starting a new one in (\d+) s"
    exits = []
    for entry in (json.loads(line) for line in text.splitlines() if line.startswith("{")):
        for code, delay in re.findall(pattern, entry["message"]):
            exits.append((dt.datetime.fromisoformat(entry["time"]).timestamp(), code, int(delay)))
    return exits


# -- the sweep schedule ------------------------------------------------------------------------------

@pytest.fixture(params=["rabbitmq", "redis"])
def broker_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.mark.services
def test_no_sweep_is_enqueued_while_one_is_waiting(broker_url):
    """Several parents (machines) tick on their own: the maintenance queue holds one sweep at most."""
    settings = load_settings({}, broker_url=broker_url)
    assert enqueue_sweep(settings) is True
    assert [enqueue_sweep(settings) for _ in range(3)] == [False, False, False]

    from workers.actors import declare_actors
    from workers.brokers import make_broker

    broker = make_broker(broker_url)
    declare_actors(broker)
    try:
        assert queue_depths(broker, [MAINTENANCE])[MAINTENANCE]["ready"] == 1
        broker.flush(MAINTENANCE)
    finally:
        broker.close()


def _resent(log_text: str) -> collections.Counter:
    total: collections.Counter = collections.Counter()
    for found in re.findall(r"sweep: re-sent stalled work (\{[^}]*\})", log_text):
        total.update(ast.literal_eval(found))
    return total


@pytest.mark.services
def test_two_machines_schedule_sweeps_and_lost_work_is_resent_once(tmp_path, make_cluster, rabbitmq_url):  # noqa: F811
    folder = tmp_path / "scans"
    folder.mkdir()
    for n in range(3):
        _page_png(folder / f"f{n}.png", n)
    cluster = make_cluster(rabbitmq_url, sweep_interval="1")
    lost = lost_work(cluster.runtime, folder, "lost")  # nothing of it is in the broker

    machines = [cluster.start_workers(processes=1, threads=1) for _ in range(2)]
    counts = cluster.wait("lost")
    assert counts["files_done"] == 3 and counts["pages_done"] == 3, counts
    with transaction(cluster.runtime.sessions) as s:
        assert s.scalars(select(Page.attempts)).all() == [1, 1, 1]  # no page sent twice
    time.sleep(2.5)  # a few more sweeps from both machines: nothing more to re-send
    logs = "".join(m.log_text() for m in machines)
    assert _resent(logs) == {name: 1 for name in lost}, logs[-3000:]
