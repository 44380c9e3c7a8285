"""``sohoa bench --end-to-end``: what users run against plain Tesseract, on the same pages and cores.

Three methods over one folder of page images, in one run, taking turns round by round (A B C,
C B A, ...: a machine whose speed drifts slows them alike):

* **plain** ``tesseract IMAGE - -l vie``, one process per page, ``--processes`` at a time (one
  OpenMP thread each), as a user would script it;
* **sohoa run**: the ``sohoa run FOLDER --quiet`` command on the embedded default (SQLite, local
  objects, in-process queue; a fresh var folder per round, migrated beforehand: installing is not
  reading);
* **sohoa worker**: ``sohoa worker --processes N --threads 1`` on the machine's RabbitMQ and
  PostgreSQL (a fresh vhost and database per round), fed by ``sohoa run`` with that broker; the
  clock starts once every worker process consumes (start-up is not throughput).

For each: wall seconds and pages/min; CPU seconds per page (the primary figure on a shared
machine: processes and their children, e.g. Tesseract OSD runs); CER against the truth where
there is one. For the two Sohoa methods, CPU seconds per page per stage from the pipeline's own
timers (``schemas.stagetimes``), which every process writes to ``SOHOA_STAGE_ACCOUNT_DIR`` when it
ends; "other" is the processes' CPU no stage accounts for (start-up, queues, bookkeeping, the
result table). The machine's load average is printed next to every run.

Page sets: the ``sohoa bench`` default set (real photos and scans, rendered born-digital pages,
generated clean and damaged pages), a folder of images with ``<stem>_gt.txt`` truths
(``--pages``), or ``--samples N``: freshly generated ``sohoa samples`` files, their scanned pages
written out as images (born-digital files have a text layer and no OCR: left out) and each
file's document texts as the truth of its pages taken together.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import click

from scripts.bench import BenchPage, _cpu_timed, _warm_pool, cer, run_plain

ROOT = Path(__file__).resolve().parents[1]
SOHOA = str(Path(sys.executable).with_name("sohoa"))
STAGES_SHOWN = ("decode", "store", "orientation", "deskew", "clean", "ocr", "analyse", "save", "other")


@dataclass
class PageSet:
    """Page images in one folder (nothing else in it) and truths for groups of them."""

    folder: Path
    names: list[str]  # image file names, in order
    truths: list[tuple[list[str], str]]  # (image names read together, their text)
    kind: str


@dataclass
class RunFigure:
    """One method's pass over the page set."""

    method: str
    seconds: float
    cpu_s: float
    pages: int
    texts: dict[str, str]
    stages: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage, "other" included
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after
    extra: dict = field(default_factory=dict)

    @property
    def pages_per_minute(self) -> float:
        return self.pages / self.seconds * 60 if self.seconds else 0.0


# -- page sets -------------------------------------------------------------------------------------

def bench_page_set(folder: Path) -> PageSet:
    """The ``sohoa bench`` default page set, copied into ``folder/images`` (truths kept aside)."""
    from scripts.bench import default_page_set

    work = folder / "build"
    work.mkdir(parents=True, exist_ok=True)
    return _from_bench_pages(default_page_set(work), folder / "images", "bench set")


def folder_page_set(source: Path, folder: Path) -> PageSet:
    """Images of ``source`` with their ``<stem>_gt.txt`` / ``<stem>.gt.txt`` truths."""
    from scripts.bench import pages_from_folder

    return _from_bench_pages(pages_from_folder(source), folder / "images", str(source))


def _from_bench_pages(pages: list[BenchPage], images: Path, kind: str) -> PageSet:
    images.mkdir(parents=True, exist_ok=True)
    names, truths = [], []
    for number, page in enumerate(pages):
        name = f"{number:03d}-{Path(page.path).name}"
        shutil.copyfile(page.path, images / name)
        names.append(name)
        if page.truth:
            truths.append(([name], page.truth))
    return PageSet(images, names, truths, kind)


def samples_page_set(folder: Path, files: int, seed: int) -> PageSet:
    """``sohoa samples --n files --seed seed``; every scanned page as a 300 dpi PNG."""
    from ocr.decode import iter_pages
    from scripts.samples import generate

    source = folder / "samples"
    rows = generate(source, n=files, seed=seed)
    images = folder / "images"
    images.mkdir(parents=True, exist_ok=True)
    names, truths = [], []
    for row in rows:
        if row["born_digital"]:
            continue  # a text layer, no OCR: nothing to compare
        path = source / row["file"]
        group = []
        for raw in iter_pages(path.read_bytes(), row["file"]):
            if raw.image is None:
                continue
            name = f"{Path(row['file']).stem}-p{raw.page_no:02d}.png"
            _save_png_300(images / name, raw.image)
            group.append(name)
        names += group
        text = "\n".join(document["text"] for document in sorted(row["documents"], key=lambda d: min(d["pages"])))
        if group and text.strip():
            truths.append((group, text))
    return PageSet(images, names, truths, f"sohoa samples --n {files} --seed {seed}")


def _save_png_300(path: Path, image) -> None:
    """``image`` (grey or BGR) as a PNG marked 300 dpi, its resolution after the split: no reader
    has to guess it."""
    import cv2
    from PIL import Image

    pixels = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    Image.fromarray(pixels).save(path, dpi=(300, 300))


# -- methods ---------------------------------------------------------------------------------------

def _load() -> float:
    return round(os.getloadavg()[0], 2)


def run_plain_pass(pool, pages: PageSet) -> RunFigure:
    """Plain Tesseract on every page, ``processes`` at a time (a warm pool: its start-up is not timed)."""
    import functools

    load = _load()
    start = time.perf_counter()
    outcomes = pool.map(functools.partial(_cpu_timed, run_plain), [str(pages.folder / n) for n in pages.names],
                        chunksize=1)
    seconds = time.perf_counter() - start
    texts = {name: text for name, (text, _) in zip(pages.names, outcomes)}
    return RunFigure("plain tesseract", seconds, sum(cpu for _, cpu in outcomes), len(pages.names), texts,
                     load=(load, _load()))


def _sohoa_env(var_dir: Path, accounts: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SOHOA_")}
    keep = ("SOHOA_OCR_ENGINE", "SOHOA_OCR_LANG", "SOHOA_TESSERACT_CMD")  # a fake engine in the tests
    env.update({key: os.environ[key] for key in keep if key in os.environ})
    env.update({"SOHOA_VAR_DIR": str(var_dir), "SOHOA_STAGE_ACCOUNT_DIR": str(accounts), "SOHOA_LOG_LEVEL": "WARNING",
                **extra})
    return env


def _timed_command(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Run ``command``; wall seconds and CPU seconds of it and its children (``wait4``)."""
    start = time.perf_counter()
    with open(log, "wb") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise click.ClickException(f"{' '.join(command[:3])} failed (exit {process.returncode}): "
                                   f"{log.read_text(errors='replace')[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime


def run_embedded_pass(pages: PageSet, work: Path, niceness: int = 0) -> RunFigure:
    """``sohoa run FOLDER --quiet`` on the embedded default, on a fresh (migrated) var folder."""
    var_dir, accounts = work / "var", work / "accounts"
    env = _sohoa_env(var_dir, accounts)
    _migrate(env)
    load = _load()
    seconds, cpu = _timed_command([*_nice(niceness), SOHOA, "run", str(pages.folder), "--quiet", "--batch", "e2e"],
                                  env, work / "run.log")
    stages = stage_cpu(read_accounts(accounts), total_cpu=cpu)
    texts = page_texts(f"sqlite:///{var_dir / 'sohoa.db'}", f"file://{var_dir / 'objects'}")
    return RunFigure("sohoa run (embedded)", seconds, cpu, len(pages.names), texts, stages, (load, _load()))


def run_workers_pass(pages: PageSet, work: Path, processes: int, *, pg_server: str, rabbitmq_server: str,
                     niceness: int = 0, timeout_s: float = 1800) -> RunFigure:
    """``sohoa worker --processes N --threads 1`` on RabbitMQ + PostgreSQL, fed by ``sohoa run``."""
    from scripts.scale_bench import _stop, _tree_cpu, _wait_for_consumers, create_database, create_vhost
    from workers.brokers import make_broker

    var_dir, accounts = work / "var", work / "accounts"
    database_url, drop_database = create_database(pg_server)
    broker_url, drop_vhost = create_vhost(rabbitmq_server)
    env = _sohoa_env(var_dir, accounts, SOHOA_DATABASE_URL=database_url, SOHOA_BROKER_URL=broker_url,
                     SOHOA_STORAGE_URL=f"file://{var_dir / 'objects'}")
    workers = None
    try:
        _migrate(env)
        var_dir.mkdir(parents=True, exist_ok=True)
        workers = subprocess.Popen([*_nice(niceness), SOHOA, "worker", "--processes", str(processes), "--threads", "1"],
                                   env=env, cwd=ROOT, stdout=open(work / "worker.log", "wb"), stderr=subprocess.STDOUT,
                                   start_new_session=True)
        share_bench_autogroup(workers.pid)
        broker = make_broker(broker_url)
        try:
            _wait_for_consumers(broker, processes, workers)
        finally:
            broker.close()
        load = _load()
        before = _tree_cpu(workers.pid)
        seconds, front_cpu = _timed_command(
            [*_nice(niceness), SOHOA, "run", str(pages.folder), "--quiet", "--batch", "e2e"], _without_account(env),
            work / "run.log")
        worker_cpu = _tree_cpu(workers.pid) - before
        after_load = _load()
    finally:
        if workers is not None:
            _stop(workers)
        drop_vhost()
    try:
        texts = page_texts(database_url, f"file://{var_dir / 'objects'}")
    finally:
        drop_database()
    stages = stage_cpu(read_accounts(accounts), total_cpu=worker_cpu)
    return RunFigure(f"sohoa worker x{processes} (RabbitMQ + PostgreSQL)", seconds, worker_cpu + front_cpu,
                     len(pages.names), texts, stages, (load, after_load),
                     extra={"worker_cpu_s": round(worker_cpu, 2), "front_cpu_s": round(front_cpu, 2)})


def _migrate(env: dict[str, str]) -> None:
    """``sohoa db upgrade`` before the clock runs (installing is not reading)."""
    subprocess.run([SOHOA, "db", "upgrade"], env=_without_account(env), cwd=ROOT, capture_output=True, check=True)


def _without_account(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a process whose stages are not the pages' (its account would count twice)."""
    return {key: value for key, value in env.items() if key != "SOHOA_STAGE_ACCOUNT_DIR"}


def share_bench_autogroup(pid: int) -> bool:
    """Give the session ``pid`` leads the scheduler weight of the bench's own (Linux autogroups).

    The workers run in a session of their own (to be stopped as a group), and a new session is a new
    autogroup, which competes for the CPU as one equal share whatever its processes' niceness: on a
    machine other jobs share, ``sohoa run`` (in the bench's autogroup) and the workers would be timed
    under different weights (``echo -20 > /proc/self/autogroup`` in the measuring shell lifts the
    first only). False where the kernel has no autogroups or refuses the setting."""
    try:
        own = Path("/proc/self/autogroup").read_text().split()
        Path(f"/proc/{pid}/autogroup").write_text(own[own.index("nice") + 1])
    except (OSError, ValueError, IndexError):
        return False
    return True


def _nice(niceness: int) -> list[str]:
    return ["nice", "-n", str(niceness)] if niceness else []


# -- accounts and texts ----------------------------------------------------------------------------

def read_accounts(folder: Path) -> list[dict]:
    """The stage accounts the processes wrote (``workers.stage_account``)."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]


def stage_cpu(accounts: list[dict], total_cpu: float) -> dict[str, float]:
    """CPU seconds per stage over ``accounts``, and "other": ``total_cpu`` that no stage accounts for."""
    stages = {name: 0.0 for name in STAGES_SHOWN}
    for account in accounts:
        for name, total in account["stages"].items():
            stages[name] = stages.get(name, 0.0) + total["cpu_s"]
    stages["other"] = max(total_cpu - sum(v for k, v in stages.items() if k != "other"), 0.0)
    return stages


def page_texts(database_url: str, storage_url: str) -> dict[str, str]:
    """Text of every read page of the run, by image file name (one page per image)."""
    from sqlalchemy import select

    from schemas.pages import PageText
    from schemas.tables import Page, SourceFile
    from storage.db import session_factory
    from storage.objects import open_store

    store = open_store(storage_url)
    sessions = session_factory(database_url)
    texts: dict[str, str] = {}
    try:
        with sessions() as session:
            rows = session.execute(select(SourceFile.original_path, Page.page_no, Page.words_key)
                                   .join(Page, Page.source_file_id == SourceFile.id)
                                   .order_by(SourceFile.original_path, Page.page_no)).all()
        for path, _page_no, words_key in rows:
            text = PageText.model_validate_json(store.get(words_key)).text if words_key else ""
            name = Path(path).name
            texts[name] = f"{texts[name]}\n{text}" if name in texts else text
    finally:
        sessions.kw["bind"].dispose()
    return texts


def page_set_cer(pages: PageSet, texts: dict[str, str]) -> float | None:
    """Mean CER over the truth groups (a group's pages read in order, joined)."""
    values = [cer("\n".join(texts.get(name, "") for name in names), truth) for names, truth in pages.truths]
    return round(sum(values) / len(values), 4) if values else None


# -- the bench -------------------------------------------------------------------------------------

def measure_end_to_end(pages: PageSet, work: Path, *, processes: int, rounds: int, workers: bool,
                       pg_server: str, rabbitmq_server: str, niceness: int = 0,
                       echo=lambda line: None) -> dict:
    """Every method over ``pages`` ``rounds`` times, taking turns; the figures (see module docstring)."""
    methods = ["plain", "run"] + (["workers"] if workers else [])
    passes: dict[str, list[RunFigure]] = {name: [] for name in methods}
    with ExitStack() as stack:
        pool = stack.enter_context(_warm_pool(processes))
        for number in range(rounds):
            for name in methods if number % 2 == 0 else list(reversed(methods)):
                folder = work / f"round{number}-{name}"
                folder.mkdir(parents=True)
                if name == "plain":
                    figure = run_plain_pass(pool, pages)
                elif name == "run":
                    figure = run_embedded_pass(pages, folder, niceness)
                else:
                    figure = run_workers_pass(pages, folder, processes, pg_server=pg_server,
                                              rabbitmq_server=rabbitmq_server, niceness=niceness)
                passes[name].append(figure)
                echo(f"  round {number + 1} {figure.method:42s} {figure.seconds:6.1f} s  "
                     f"{figure.pages_per_minute:6.1f} pages/min  {figure.cpu_s / figure.pages:5.2f} CPU s/page  "
                     f"(load {figure.load[0]:.2f} -> {figure.load[1]:.2f})")
    return summarise(pages, passes, processes, rounds)


def summarise(pages: PageSet, passes: dict[str, list[RunFigure]], processes: int, rounds: int) -> dict:
    """Figures per method over its rounds, ratios to plain Tesseract, the stage table."""
    count = len(pages.names)
    results: dict = {"page_set": pages.kind, "pages": count, "truth_groups": len(pages.truths),
                     "processes": processes, "rounds": rounds, "cores": os.cpu_count(), "methods": {}}
    for name, figures in passes.items():
        seconds = sum(f.seconds for f in figures)
        cpu = sum(f.cpu_s for f in figures)
        entry = {
            "method": figures[0].method,
            "pages_per_minute": round(count * len(figures) / seconds * 60, 1),
            "pages_per_minute_by_round": [round(f.pages_per_minute, 1) for f in figures],
            "cpu_seconds_per_page": round(cpu / (count * len(figures)), 3),
            "cer": page_set_cer(pages, figures[0].texts),
            "load_by_round": [list(f.load) for f in figures],
            **({"extra_by_round": [f.extra for f in figures]} if figures[0].extra else {}),
        }
        if figures[0].stages:
            per_page = {stage: round(sum(f.stages.get(stage, 0.0) for f in figures) / (count * len(figures)), 3)
                        for stage in STAGES_SHOWN}
            entry["stage_cpu_seconds_per_page"] = per_page
            entry["cpu_seconds_per_page_outside_ocr"] = round(
                sum(v for k, v in per_page.items() if k != "ocr"), 3)
        results["methods"][name] = entry
    plain = results["methods"]["plain"]
    for name, entry in results["methods"].items():
        if name == "plain":
            continue
        entry["speed_vs_plain"] = round(entry["pages_per_minute"] / plain["pages_per_minute"], 3)
        entry["speed_vs_plain_by_round"] = [round(b / a, 3) for a, b in zip(plain["pages_per_minute_by_round"],
                                                                           entry["pages_per_minute_by_round"])]
        entry["cpu_speed_vs_plain"] = round(plain["cpu_seconds_per_page"] / entry["cpu_seconds_per_page"], 3)
        if entry["cer"] is not None and plain["cer"]:
            entry["cer_vs_plain"] = round(entry["cer"] / plain["cer"], 3)
    return results


def print_results(results: dict, echo=click.echo) -> None:
    echo(f"{results['pages']} pages ({results['page_set']}; {results['truth_groups']} with a truth), "
         f"{results['processes']} processes per method on {results['cores']} cores, {results['rounds']} rounds taking turns")
    for name, entry in results["methods"].items():
        rounds = " / ".join(f"{v:.1f}" for v in entry["pages_per_minute_by_round"])
        line = (f"  {entry['method']:42s} {entry['pages_per_minute']:6.1f} pages/min ({rounds})  "
                f"{entry['cpu_seconds_per_page']:5.2f} CPU s/page  CER {entry['cer']}")
        if name != "plain":
            line += (f"  x{entry['speed_vs_plain']:.2f} pages/min, x{entry['cpu_speed_vs_plain']:.2f} CPU"
                     + (f", CER x{entry['cer_vs_plain']:.2f}" if "cer_vs_plain" in entry else "") + " vs plain")
        echo(line)
    staged = [(name, entry) for name, entry in results["methods"].items() if "stage_cpu_seconds_per_page" in entry]
    if staged:
        echo("CPU s/page by stage: " + "  |  ".join(entry["method"] for _, entry in staged))
        for stage in STAGES_SHOWN:
            echo(f"  {stage:12s} " + "  ".join(f"{entry['stage_cpu_seconds_per_page'][stage]:7.3f}" for _, entry in staged))
        echo(f"  {'outside OCR':12s} " + "  ".join(f"{entry['cpu_seconds_per_page_outside_ocr']:7.3f}" for _, entry in staged))


def byte_compile_project() -> None:
    """Fresh bytecode caches for the timed processes, as ``bin/setup`` leaves them: the runs time an
    installed Sohoa, not the compilation of sources edited since (see :mod:`scripts.bytecode`)."""
    from scripts.bytecode import compile_project

    compile_project()


def end_to_end(pages_dir: Path | None, samples: int | None, seed: int, processes: int, rounds: int, workers: bool,
               pg_server: str, rabbitmq_server: str, niceness: int, as_json: bool) -> dict:
    """The ``sohoa bench --end-to-end`` command body."""
    with tempfile.TemporaryDirectory(prefix="sohoa-e2e-") as folder:
        work = Path(folder)
        if samples:
            pages = samples_page_set(work, samples, seed)
        elif pages_dir:
            pages = folder_page_set(pages_dir, work)
        else:
            pages = bench_page_set(work)
        if not pages.names:
            raise click.ClickException("no page images to read")
        echo = (lambda line: click.echo(line, err=True)) if as_json else click.echo
        byte_compile_project()
        echo(f"{len(pages.names)} pages ({pages.kind}); load {_load()}")
        results = measure_end_to_end(pages, work, processes=processes, rounds=rounds, workers=workers,
                                     pg_server=pg_server, rabbitmq_server=rabbitmq_server, niceness=niceness,
                                     echo=echo)
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_results(results)
    return results

