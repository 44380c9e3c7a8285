"""Process settings for throughput (:mod:`workers.tuning`): the heap a command leaves at exit."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

import scripts.cli
from workers import tuning


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()  # the test process's heap back in the collector's sight


def test_the_heap_left_at_exit_is_out_of_the_collectors_sight(unfrozen):
    garbage = [[] for _ in range(10)]
    tuning.leave_heap_to_the_system()
    assert gc.get_freeze_count() >= len(garbage)


@pytest.mark.parametrize("outcome", [SystemExit(0), SystemExit(3), KeyboardInterrupt()], ids=["ok", "exit-3", "ctrl-c"])
def test_every_command_leaves_its_heap_to_the_system_however_it_ends(monkeypatch, outcome):
    left: list[bool] = []
    monkeypatch.setattr(tuning, "quiet_start_up_collector", lambda: None)
    monkeypatch.setattr(tuning, "leave_heap_to_the_system", lambda: left.append(True))

    def command(**_kwargs):
        raise outcome

    monkeypatch.setattr(scripts.cli, "cli", command)
    with pytest.raises(type(outcome)):
        scripts.cli.main()
    assert left == [True]


def test_atexit_handlers_and_buffered_output_still_run_after_the_freeze():
    """What a command writes as it ends (an ``atexit`` handler: the stage account; output still
    buffered) is not lost to the frozen heap."""
    code = ("import atexit, sys; from workers.tuning import leave_heap_to_the_system; "
            "atexit.register(lambda: print('account written')); sys.stdout.write('buffered'); "
            "leave_heap_to_the_system()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout
    assert out == "bufferedaccount written\n"
