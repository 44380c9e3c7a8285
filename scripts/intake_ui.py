"""What ``sohoa upload`` and ``sohoa run`` show and return: progress, the per-file account, exit codes.

Exit codes (both commands):

==  ============================================================================================
0   every file is new, a duplicate or resumed (and, for ``run``, processed without failure)
1   an error stopped the command (the message says which)
2   wrong usage or settings
3   some files were refused (unsupported, unsafe, unreadable) or failed; the others went on
4   the manifest is wrong: nothing was uploaded (every problem is listed with its line and column)
==  ============================================================================================
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from workers.intake import IntakeReport

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_FILES, EXIT_MANIFEST = 0, 1, 2, 3, 4
REPORT_COLUMNS = ("file", "outcome", "intake", "reason", "file_id", "duplicate_of", "status", "pages", "documents", "size")
_STYLE = {"new": "green", "duplicate": "dim", "resumed": "cyan", "unsupported": "yellow", "failed": "red"}


def print_account(console: Console, report: IntakeReport, *, verbose: bool = True) -> None:
    """One line per file that needs a word (all of them with ``verbose``), then the totals."""
    for f in report.files:
        if verbose or f.outcome not in ("new",):
            style = _STYLE[f.outcome]
            reason = f": {f.reason}" if f.reason else ""
            console.print(f"[{style}]{f.outcome:<11}[/] {f.name}{reason}", highlight=False, soft_wrap=True)
    counts = report.counts()
    console.print(
        f"batch {report.batch}: {len(report.files)} files - " + ", ".join(f"{counts[k]} {k}" for k in counts),
        highlight=False,
    )


def write_report(path: Path, report: IntakeReport) -> None:
    """The per-file account as CSV (UTF-8 with BOM so that spreadsheets read the accents)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        for f in report.files:
            writer.writerow([neutral(str(v)) if v is not None else "" for v in (
                f.name, f.outcome, f.intake, f.reason, f.file_id, f.duplicate_of, f.status, f.pages, f.documents, f.size)])


def neutral(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (the export's rule)."""
    from storage.export import neutralise

    return neutralise(value)


def exit_code(report: IntakeReport) -> int:
    counts = report.counts()
    return EXIT_FILES if counts["unsupported"] or counts["failed"] else EXIT_OK


def finish(report: IntakeReport, report_path: Path | None) -> None:
    if report_path is not None:
        write_report(report_path, report)
        click.echo(f"per-file report written to {report_path}", err=True)
    code = exit_code(report)
    if code:
        raise SystemExit(code)


class Meter:
    """Rate and time left of work measured in units since ``start``."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def text(self, done: int, total: int, unit: str) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = done / elapsed
        if rate <= 0 or total <= done:
            left = "-" if total > done else "0s"
        else:
            left = _duration((total - done) / rate)
        per = f"{rate:.1f} {unit}/s" if rate >= 1 else f"{rate * 60:.1f} {unit}/min"
        return f"{per}, ETA {left}"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class UploadProgress:
    """files stored / found, rate and ETA, updated per file by the intake (no database polling)."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                 TextColumn("{task.fields[line]}"), console=console, transient=True)
        self.meter = Meter()
        self.task = None
        self.total = 0
        self.done = 0
        self.bytes = 0

    def found(self, total: int) -> None:
        self.total = total
        self.progress.update(self.task, total=total)

    def file(self, outcome) -> None:
        self.done += 1
        self.bytes += outcome.size or 0
        line = f"files {self.done}/{self.total}, {self.bytes / 1e6:.1f} MB, " + self.meter.text(
            self.done, self.total, "files")
        self.progress.update(self.task, completed=self.done, line=line)

    def __enter__(self) -> "UploadProgress":
        self.progress.start()
        self.task = self.progress.add_task("upload", total=None, line="looking for files")
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()


class RunProgress:
    """files and pages done, pages/s and ETA, from counts read at most once a second."""

    def __init__(self, console: Console) -> None:
        # Drawn when the counts change (once a second at most), not by rich's own thread ten times a
        # second: those redraws took ~15% of `sohoa run`'s CPU outside the stages.
        self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                 TextColumn("{task.fields[line]}"), console=console, transient=False,
                                 auto_refresh=False)
        self.meter = Meter()
        self.task = None
        # Where rich cannot redraw a line (output to a file or a pipe: logs, scripts, the bench),
        # it prints the bar once, as it stops: counts read before then would never be seen.
        self.live = console.is_terminal and not console.is_dumb_terminal

    def update(self, counts: dict[str, int]) -> None:
        pages_total = counts.get("pages_expected", 0)
        pages = counts.get("pages_done", 0) + counts.get("pages_failed", 0)
        files = counts.get("files_done", 0) + counts.get("files_failed", 0)
        line = (f"files {files}/{counts.get('files_total', 0)}, pages {pages}/{pages_total or '?'}, "
                + self.meter.text(pages, pages_total, "pages"))
        self.progress.update(self.task, total=pages_total or None, completed=pages, line=line, refresh=True)

    def __enter__(self) -> "RunProgress":
        self.progress.start()
        self.task = self.progress.add_task("processing", total=None, line="")
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()


def next_steps(console: Console, batch: str, *, processed: bool) -> None:
    """What to do next: export, review, or start the workers."""
    console.print("[bold]next[/]:", highlight=False, soft_wrap=True)
    if processed:
        console.print(f"  export:  sohoa export --batch {batch} --format csv --out {batch}.csv"
                      f"   (or --format pdf --out {batch}-pdf/ for searchable PDFs)", highlight=False, soft_wrap=True)
        console.print("  review:  sohoa serve, then open http://127.0.0.1:8000/ (documents needing review)",
                      highlight=False)
    else:
        console.print("  workers: sohoa worker   (on each machine; same SOHOA_* settings)", highlight=False, soft_wrap=True)
        console.print(f"  follow:  sohoa status --batch {batch}", highlight=False, soft_wrap=True)
        console.print(f"  then:    sohoa export --batch {batch} --format csv --out {batch}.csv", highlight=False, soft_wrap=True)
