"""Screenshots of the review station (docs/review-queue.png, docs/review-page.png) on real OCR
of synthetic samples, for the README:

    .venv/bin/python scripts/review_screenshots.py

Works in /tmp/p5shots (samples, an embedded var folder); needs Tesseract and /usr/bin/chromium.
"""
import os, subprocess, sys, time, socket, pathlib
ROOT = pathlib.Path("/tmp/p5shots")
env = {**os.environ, "SOHOA_VAR_DIR": str(ROOT / "var")}
REPO = pathlib.Path(__file__).resolve().parents[1]
sohoa = str(REPO / ".venv" / "bin" / "sohoa")
if not (ROOT / "samples").exists():
    subprocess.run([sohoa, "samples", "--out", str(ROOT / "samples"), "--n", "3", "--seed", "6262", "--turn", "none",
                    "--max-skew", "2.5", "--born-digital-rate", "0"], env=env, check=True)
    subprocess.run([sohoa, "run", str(ROOT / "samples"), "--batch", "ba-dinh-2026-11", "--unit", "pre2025:00001", "--quiet"],
                   env=env, check=True)
    subprocess.run([sohoa, "users", "add", "lan", "--role", "reviewer", "--unit", "pre2025:001", "--password-stdin"],
                   env=env, input=b"review station demo\n", check=True)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
server = subprocess.Popen([sohoa, "serve", "--port", str(port)], env=env)
time.sleep(6)
try:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        page = b.new_page(viewport={"width": 1400, "height": 900})
        base = f"http://127.0.0.1:{port}"
        page.goto(base + "/")
        page.fill("input[name=username]", "lan"); page.fill("input[name=password]", "review station demo")
        page.keyboard.press("Enter"); page.wait_for_url(base + "/")
        page.screenshot(path=str(REPO / "docs" / "review-queue.png"), full_page=True)
        page.keyboard.press("Enter")
        page.wait_for_selector(".box", timeout=30000)
        time.sleep(1)
        page.screenshot(path=str(REPO / "docs" / "review-page.png"))
        b.close()
finally:
    server.terminate()
