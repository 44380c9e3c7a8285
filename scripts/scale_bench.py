"""Scale-out figure: pages per minute with 1, 2, … ``sohoa worker`` processes on the same pages.

Production shape on one machine: RabbitMQ and PostgreSQL of the machine, real Tesseract, separate
``sohoa worker --processes N --threads 1`` commands (one OCR process per core, OMP_THREAD_LIMIT=1).
Each run gets a fresh database and object folder (so the same files are not deduplicated away)
and, when ``rabbitmqctl`` works, a RabbitMQ vhost of its own.

A run's clock starts when the files are uploaded, the workers are consuming (start-up is not
throughput) and the files are enqueued; it stops when the database says every file is done;
pages/min = pages / that time. Each run also reports the cores its workers got and the cores
everything else on the machine used meanwhile: on a shared machine the second worker can only
be as fast as the second core is free.

    .venv/bin/python -m scripts.scale_bench --files 8 --pages-per-file 3 --workers 1,2

**Control-plane mode** (``--control-plane``): the same production path with an instant OCR engine
(``SOHOA_OCR_ENGINE=scripts.scale_bench:instant_engine``, it returns a fixed birth certificate
without looking at the image) on small pages, so that what is measured is everything *but* OCR:
ingest fan-out, the page messages, the fan-in, the analysis, the database writes and the broker.
It also reports broker messages and database statements and commits per page, read from the
workers' own metrics endpoint (dramatiq's Prometheus middleware, ``sohoa_db_statements_total``):

    .venv/bin/python -m scripts.scale_bench --control-plane --files 200 --pages-per-file 10 --workers 2 --threads 4

Prints one line per run and the speed-up of each run over the first, and, with ``--json``, the
figures as JSON. Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and RabbitMQ at
127.0.0.1:5672 (guest/guest) unless ``--pg-server`` / ``--rabbitmq-server`` say otherwise.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
SOHOA = str(Path(sys.executable).with_name("sohoa"))


@dataclass
class RunFigure:
    """What one run measured."""

    workers: int
    files: int
    pages: int
    seconds: float
    pages_per_minute: float
    pages_failed: int
    worker_cores: float  # CPU the worker processes and their Tesseract runs used, per second of the run
    other_cores: float  # CPU everything else on the machine used meanwhile (services, other jobs)
    worker_peak_mb: float  # largest peak resident memory of one worker process (VmHWM)
    messages_per_page: float | None = None  # broker messages the workers processed, per page
    statements_per_page: float | None = None  # SQL statements the workers sent, per page
    commits_per_page: float | None = None  # transactions the workers committed, per page
    worker_cpu_ms_per_page: float | None = None  # CPU of the worker processes per page
    services_cpu_ms_per_page: float | None = None  # CPU of PostgreSQL + RabbitMQ per page (an upper
    # bound: on a shared machine it includes what other jobs made these services do meanwhile)


# -- control plane: an instant OCR engine on small pages ---------------------------------------------

class InstantEngine:
    """Implements ``OcrEngine`` in no time: one fixed line of a continuation page, whatever the image
    (a short text keeps the analysis cheap too: the figure is of the control plane, not of the
    pipeline's CPU, which grows with worker machines)."""

    LINES = ("Trang tiếp theo của hồ sơ",)

    def recognize(self, image, dpi: int):
        from schemas.pages import Word

        words = []
        for line_no, line in enumerate(self.LINES):
            x = 10
            for text in line.split():
                words.append(Word(text=text, conf=0.97, bbox=(x, 10 + 20 * line_no, x + 8 * len(text), 26 + 20 * line_no),
                                  block=1, par=1, line=line_no + 1))
                x += 8 * len(text) + 6
        return words


def instant_engine(settings) -> InstantEngine:
    """Factory for ``SOHOA_OCR_ENGINE=scripts.scale_bench:instant_engine``."""
    return InstantEngine()


def make_small_scans(folder: Path, files: int, pages_per_file: int) -> int:
    """Multi-page TIFFs of small (1 x 1.4 inch at 150 dpi) pages with a few bars of "text"."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    for index in range(files):
        pages = []
        for page_no in range(pages_per_file):
            page = Image.new("L", (150, 210), 255)
            draw = ImageDraw.Draw(page)
            for line in range(6):  # different on every page: no two files share a SHA-256
                width = 40 + (index * 7 + page_no * 13 + line * 17) % 90
                draw.rectangle((12, 20 + 28 * line, 12 + width, 30 + 28 * line), fill=0)
            draw.text((12, 190), f"{index}.{page_no}", fill=0)
            pages.append(page)
        pages[0].save(folder / f"small-{index:05d}.tif", dpi=(150, 150), compression="tiff_deflate",
                      save_all=True, append_images=pages[1:])
    return files * pages_per_file


# -- pages -----------------------------------------------------------------------------------------

def make_scans(folder: Path, files: int, pages_per_file: int, seed: int) -> int:
    """Multi-page TIFF dossiers of A5 pages at 300 dpi: typeset official letters, tilted, noisy, stamped."""
    import cv2
    from PIL import Image

    from ocr.synth import SAMPLE_TEXT, degrade, render_text_page, tilt

    rng = random.Random(seed)
    lines = SAMPLE_TEXT.splitlines()
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(files):
        pages = []
        for page_no in range(pages_per_file):
            body = lines[:5] + rng.sample(lines[5:], len(lines) - 5)  # headers stay, the body is shuffled
            page = render_text_page("\n".join(body * 2), dpi=300, width_in=5.8, height_in=8.3, font_pt=12)
            image = tilt(page.image, rng.uniform(-2.0, 2.0))
            bgr = degrade(image, seed=seed * 1000 + index * 10 + page_no, noise=8.0)
            pages.append(Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
        pages[0].save(folder / f"dossier-{index:03d}.tif", dpi=(300, 300), compression="tiff_deflate",
                      save_all=True, append_images=pages[1:])
    return files * pages_per_file


# -- services --------------------------------------------------------------------------------------

def create_database(pg_server: str) -> tuple[str, callable]:
    """A fresh PostgreSQL database; returns its URL and a function that drops it."""
    from sqlalchemy import create_engine, text

    name = f"sohoa_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{pg_server}/{name}", drop


def create_vhost(rabbitmq_server: str) -> tuple[str, callable]:
    """A RabbitMQ vhost of its own (``rabbitmqctl``), or the default one when that is not possible."""
    vhost = f"sohoa-bench-{uuid.uuid4().hex[:8]}"

    def ctl(*args: str) -> bool:
        try:
            return subprocess.run(["rabbitmqctl", *args], capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    if ctl("add_vhost", vhost) and ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"):
        return f"{rabbitmq_server}/{vhost}", lambda: ctl("delete_vhost", vhost)
    click.echo("note: rabbitmqctl unavailable; using vhost / (do not run workers on it meanwhile)", err=True)
    return f"{rabbitmq_server}/%2F", lambda: None


# -- one run ---------------------------------------------------------------------------------------

def run_once(scans: Path, pages: int, workers: int, *, pg_server: str, rabbitmq_server: str,
             timeout_s: float, niceness: int = 0, threads: int = 1, control_plane: bool = False) -> RunFigure:
    """Process ``scans`` with ``workers`` worker processes on fresh services; return the figure."""
    from schemas.settings import load_settings
    from storage import repo
    from storage.db import transaction
    from workers.app import build_app
    from workers.embedded import ensure_database, wait_for_batch
    from workers.intake import register_paths

    database_url, drop_database = create_database(pg_server)
    broker_url, drop_vhost = create_vhost(rabbitmq_server)
    var_dir = Path(tempfile.mkdtemp(prefix=f"sohoa-bench-{workers}w-"))
    env = {
        **os.environ, "OMP_THREAD_LIMIT": "1", "SOHOA_DATABASE_URL": database_url, "SOHOA_BROKER_URL": broker_url,
        "SOHOA_VAR_DIR": str(var_dir), "SOHOA_STORAGE_URL": f"file://{var_dir / 'objects'}",
        "SOHOA_LOG_LEVEL": "WARNING", "SOHOA_WORKER_METRICS_PORT": "0",
    }
    if control_plane:
        metrics_port = _free_port()
        env.update({"SOHOA_OCR_ENGINE": "scripts.scale_bench:instant_engine", "PYTHONPATH": str(ROOT),
                    "SOHOA_WORKER_METRICS_PORT": str(metrics_port)})
    settings = load_settings(env)
    process = None
    try:
        ensure_database(settings)
        runtime, broker = build_app(settings)
        process = subprocess.Popen(
            ["nice", "-n", str(niceness), SOHOA, "worker", "--processes", str(workers), "--threads", str(threads)],
            env=env, cwd=ROOT,
            stdout=open(var_dir / "worker.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        _nice_session(process.pid, niceness)
        report = register_paths(runtime, [scans], "bench")  # the upload is not the workers' time
        _wait_for_consumers(broker, workers, process)
        start = time.perf_counter()
        tree_before, busy_before = _tree_cpu(process.pid), _machine_busy_cpu()
        services_before = _services_cpu()
        for file_id in report.to_process:
            runtime.send("ingest_file", file_id)
        wait_for_batch(runtime, "bench", timeout_s=timeout_s, poll_s=0.25)
        seconds = time.perf_counter() - start
        worker_cpu = _tree_cpu(process.pid) - tree_before
        services_cpu = _services_cpu() - services_before
        other_cpu = _machine_busy_cpu() - busy_before - worker_cpu
        peak_mb = _workers_peak_mb(process.pid)
        costs = _worker_costs(metrics_port, pages) if control_plane else {}
        if control_plane:
            costs.update(worker_cpu_ms_per_page=round(1000 * worker_cpu / pages, 1),
                         services_cpu_ms_per_page=round(1000 * services_cpu / pages, 1))
        with transaction(runtime.sessions) as s:
            counts = repo.batch_progress(s, "bench")
        broker.close()
        runtime.sessions.kw["bind"].dispose()
    finally:
        if process is not None:
            _stop(process)
        drop_vhost()
        drop_database()
    return RunFigure(
        workers, len(report.to_process), pages, round(seconds, 1), round(pages / seconds * 60, 1),
        counts.get("pages_failed", 0), round(worker_cpu / seconds, 2), round(other_cpu / seconds, 2), round(peak_mb),
        **costs,
    )


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _worker_costs(metrics_port: int, pages: int) -> dict[str, float]:
    """Broker messages, SQL statements and commits per page, from the workers' metrics endpoint."""
    import re
    import urllib.request

    text = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).read().decode()

    def total(name: str) -> float:
        return sum(float(v) for v in re.findall(rf"^{name}(?:{{[^}}]*}})? ([0-9.e+-]+)$", text, re.M))

    return {"messages_per_page": round(total("dramatiq_messages_total") / pages, 2),
            "statements_per_page": round(total("sohoa_db_statements_total") / pages, 1),
            "commits_per_page": round(total("sohoa_db_commits_total") / pages, 2)}


_TICKS = os.sysconf("SC_CLK_TCK")


def _tree_cpu(parent_pid: int) -> float:
    """CPU seconds of ``sohoa worker`` and its worker processes, with their finished Tesseract runs (Linux)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        pid, ppid = int(stat.parent.name), int(fields[1])
        if parent_pid in (pid, ppid):
            total += sum(int(v) for v in fields[11:15]) / _TICKS  # utime stime cutime cstime
    return total


SERVICE_PROGRAMS = ("postgres", "beam.smp", "erl_child_setup")


def _services_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL and RabbitMQ processes of the machine (Linux)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if head.split("(", 1)[1] in SERVICE_PROGRAMS:
            total += sum(int(v) for v in rest.split()[11:13]) / _TICKS  # utime stime
    return total


def _workers_peak_mb(parent_pid: int) -> float:
    """The largest peak resident memory (VmHWM) among the worker processes of ``sohoa worker``."""
    peak_kb = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(lines.get("PPid", "0").strip()) == parent_pid and "VmHWM" in lines:
            peak_kb = max(peak_kb, int(lines["VmHWM"].split()[0]))
    return peak_kb / 1024


def _machine_busy_cpu() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat: everything but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / _TICKS


def _nice_session(pid: int, niceness: int) -> None:
    """Linux groups the CPU share by session (autogroup), so a process's own niceness only counts
    inside its session: give the workers' session (``start_new_session``) the niceness too."""
    autogroup = Path(f"/proc/{pid}/autogroup")
    if niceness and autogroup.exists():
        try:
            autogroup.write_text(str(niceness))
        except OSError as exc:
            click.echo(f"note: could not set the session's niceness: {exc}", err=True)


def _wait_for_consumers(broker, workers: int, process: subprocess.Popen, timeout_s: float = 120) -> None:
    """Until every worker process consumes the OCR queue (their start-up is not part of the figure)."""
    from workers.brokers import queue_depths

    deadline = time.monotonic() + timeout_s
    while (queue_depths(broker, ["sohoa.ocr"])["sohoa.ocr"]["consumers"] or 0) < workers:
        if process.poll() is not None or time.monotonic() > deadline:
            raise click.ClickException(f"workers did not start (exit {process.poll()})")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@click.command()
@click.option("--files", default=8, show_default=True, help="Dossier files")
@click.option("--pages-per-file", default=3, show_default=True)
@click.option("--workers", "worker_list", default="1,2", show_default=True,
              help="Worker processes of each run, comma-separated")
@click.option("--repeat", default=1, show_default=True,
              help="Rounds of runs, interleaved (1,2,1,2…); the summary takes each count's best run")
@click.option("--seed", default=7, show_default=True)
@click.option("--pg-server", default="postgresql+psycopg://postgres@127.0.0.1:5432", show_default=True)
@click.option("--rabbitmq-server", default="amqp://guest:guest@127.0.0.1:5672", show_default=True)
@click.option("--timeout", "timeout_s", default=1800.0, show_default=True, help="Seconds per run at most")
@click.option("--nice", "niceness", default=0, show_default=True,
              help="Niceness of the workers and their session: e.g. -10 (root) on a machine shared with other jobs")
@click.option("--threads", default=1, show_default=True, help="Threads per worker process")
@click.option("--control-plane", is_flag=True,
              help="Instant OCR engine on small pages: measure everything but OCR (messages, fan-in, writes)")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON too")
def main(files: int, pages_per_file: int, worker_list: str, repeat: int, seed: int, pg_server: str,
         rabbitmq_server: str, timeout_s: float, niceness: int, threads: int, control_plane: bool,
         as_json: bool) -> None:
    """Pages per minute with each number of worker processes, and the speed-up over the first."""
    worker_counts = [int(n) for n in worker_list.split(",") if n.strip()]
    figures: list[RunFigure] = []
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-scans-") as folder:
        scans = Path(folder)
        if control_plane:
            pages = make_small_scans(scans, files, pages_per_file)
            click.echo(f"control plane: {files} files, {pages} small pages, instant OCR engine; {os.cpu_count()} cores")
        else:
            pages = make_scans(scans, files, pages_per_file, seed)
            click.echo(f"{files} files, {pages} pages (A5, 300 dpi, tilted, noisy, stamped); {os.cpu_count()} cores")
        for _round in range(repeat):
            for workers in worker_counts:
                figure = run_once(scans, pages, workers, pg_server=pg_server, rabbitmq_server=rabbitmq_server,
                                  timeout_s=timeout_s, niceness=niceness, threads=threads,
                                  control_plane=control_plane)
                figures.append(figure)
                click.echo(f"  {workers} worker process(es): {figure.seconds:6.1f} s = {figure.pages_per_minute:6.1f}"
                           f" pages/min; cores used by the workers {figure.worker_cores:.2f}, by everything"
                           f" else {figure.other_cores:.2f}; {figure.pages_failed} pages failed")
                if figure.messages_per_page is not None:
                    click.echo(f"    per page: {figure.messages_per_page} broker messages, {figure.statements_per_page}"
                               f" SQL statements, {figure.commits_per_page} commits (workers);"
                               f" CPU {figure.worker_cpu_ms_per_page} ms in the workers,"
                               f" {figure.services_cpu_ms_per_page} ms in PostgreSQL + RabbitMQ (shared: an upper bound)")
    peak_mb = max(f.worker_peak_mb for f in figures)
    click.echo(f"peak memory of one worker process: {peak_mb:.0f} MB (plus its Tesseract run)")
    best = {n: max(f.pages_per_minute for f in figures if f.workers == n) for n in worker_counts}
    base = best[worker_counts[0]]
    for n in worker_counts:
        click.echo(f"{n} worker process(es): {best[n]:.1f} pages/min (best of {repeat}), x{best[n] / base:.2f}")
    if as_json:
        click.echo(json.dumps({"runs": [asdict(f) for f in figures], "best_pages_per_minute": best,
                               "peak_process_mb": round(peak_mb),
                               "speedup": {n: round(best[n] / base, 2) for n in worker_counts}}))


if __name__ == "__main__":
    main()
