"""A process's stage-time account, written to ``SOHOA_STAGE_ACCOUNT_DIR`` when the process ends.

``sohoa bench --end-to-end`` runs ``sohoa run`` and ``sohoa worker`` as their users do, in processes
of their own; this is how their CPU seconds per stage (``schemas.stagetimes``) come back to it:
one JSON file per process, ``<pid>.json``, with the stages and the process's whole CPU time (its
own and its finished children's, e.g. Tesseract OSD runs), so that the bench can say what no
stage accounts for ("other": start-up, queues, bookkeeping, the result table).
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import sys
import time
from pathlib import Path

from schemas import stagetimes
from schemas.settings import Settings

_REGISTERED: set[Path] = set()


def report_at_exit(settings: Settings) -> None:
    """When ``settings.stage_account_dir`` is set, write this process's account there at exit (once)."""
    folder = settings.stage_account_dir
    if folder is None or Path(folder) in _REGISTERED:
        return
    _REGISTERED.add(Path(folder))
    atexit.register(write_account, Path(folder))


def write_account(folder: Path) -> Path:
    """Write this process's account as ``folder/<pid>.json``; returns the file."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    account = {
        "pid": os.getpid(),
        "argv": sys.argv,
        "written_at": time.time(),
        "cpu_s": own.ru_utime + own.ru_stime,
        "children_cpu_s": children.ru_utime + children.ru_stime,
        "stages": {name: {"calls": total.calls, "wall_s": total.wall_s, "cpu_s": total.cpu_s}
                   for name, total in stagetimes.snapshot().items()},
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{os.getpid()}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(account), encoding="utf-8")
    os.replace(tmp, path)
    return path
