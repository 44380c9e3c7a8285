"""Screenshots of the review station (docs/review-queue.png, docs/review-page.png) on real OCR of
generated dossiers, for the README:

    .venv/bin/python scripts/review_screenshots.py [--work /tmp/sohoa-shots]

Makes three samples, runs them through Tesseract on the embedded default in ``--work`` with
``--unit pre2025:00001``, adds a district reviewer, serves the app on a loopback port and
photographs the queue and the first document with headless Chromium (/usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOHOA = str(REPO / ".venv" / "bin" / "sohoa")
USER, PASSWORD = "lan", "review station demo"


def prepare(work: Path, env: dict) -> None:
    """Samples, processed, and a reviewer (once per work folder)."""
    if (work / "samples").exists():
        return
    subprocess.run([SOHOA, "samples", "--out", str(work / "samples"), "--n", "3", "--seed", "6262", "--turn", "none",
                    "--max-skew", "2.5", "--born-digital-rate", "0"], env=env, check=True)
    subprocess.run([SOHOA, "run", str(work / "samples"), "--batch", "ba-dinh-2026-11", "--unit", "pre2025:00001",
                    "--quiet"], env=env, check=True)
    subprocess.run([SOHOA, "users", "add", USER, "--role", "reviewer", "--unit", "pre2025:001", "--password-stdin"],
                   env=env, input=f"{PASSWORD}\n".encode(), check=True)


def photograph(base: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base + "/")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/")
        page.screenshot(path=str(REPO / "docs" / "review-queue.png"), full_page=True)
        page.keyboard.press("Enter")  # the first document of the queue has the focus
        page.wait_for_selector(".box", timeout=30_000)
        time.sleep(1)  # the crops' backgrounds
        page.screenshot(path=str(REPO / "docs" / "review-page.png"))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/sohoa-shots"))
    args = parser.parse_args()
    env = {**os.environ, "SOHOA_VAR_DIR": str(args.work / "var")}
    prepare(args.work, env)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([SOHOA, "serve", "--port", str(port)], env=env)
    try:
        time.sleep(6)
        photograph(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
