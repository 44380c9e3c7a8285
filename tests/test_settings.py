"""Settings: one validated object from SOHOA_* variables, errors name the variable."""

from __future__ import annotations

import pytest

from schemas.errors import ConfigError
from schemas.settings import load_settings


def test_embedded_defaults_need_no_services():
    settings = load_settings({})
    assert settings.embedded
    assert settings.effective_database_url.startswith("sqlite:///")
    assert settings.effective_storage_url.startswith("file://")
    assert settings.ocr_lang == "vie"


def test_values_come_from_sohoa_variables():
    settings = load_settings({
        "SOHOA_DATABASE_URL": "postgresql+psycopg://u@db/sohoa",
        "SOHOA_BROKER_URL": "amqp://guest:guest@mq:5672/%2F",
        "SOHOA_REVIEW_THRESHOLD": "0.8",
        "OTHER": "ignored",
    })
    assert settings.effective_database_url == "postgresql+psycopg://u@db/sohoa"
    assert not settings.embedded
    assert settings.review_threshold == 0.8


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SOHOA_OCR_DPI", "abc"),
        ("SOHOA_OCR_DPI", "5000"),
        ("SOHOA_REVIEW_THRESHOLD", "1.5"),
        ("SOHOA_BROKER_URL", "kafka://x"),
        ("SOHOA_DATABASE_URL", "mysql://x"),
        ("SOHOA_LOG_LEVEL", "LOUD"),
    ],
)
def test_a_wrong_value_names_the_variable(name, value):
    with pytest.raises(ConfigError) as caught:
        load_settings({name: value})
    assert name in str(caught.value)


def test_cli_stops_with_the_variable_name(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "scripts.cli", "db", "current"],
        env={"SOHOA_OCR_DPI": "nope", "PATH": "/usr/bin:/bin", "SOHOA_VAR_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "SOHOA_OCR_DPI" in result.stderr


def test_a_misspelt_variable_stops_start_up_with_a_suggestion():
    with pytest.raises(ConfigError) as caught:
        load_settings({"SOHOA_OCR_LNAG": "vie"})
    assert "SOHOA_OCR_LNAG" in str(caught.value) and "SOHOA_OCR_LANG" in str(caught.value)


def test_variables_of_the_setup_scripts_are_not_settings_errors():
    assert load_settings({"SOHOA_SETUP_BROWSER": "1"}).ocr_lang == "vie"


def test_backoff_bounds_must_be_in_order():
    with pytest.raises(ConfigError) as caught:
        load_settings({"SOHOA_RETRY_MIN_BACKOFF_MS": "5000", "SOHOA_RETRY_MAX_BACKOFF_MS": "10"})
    assert "SOHOA_RETRY_MIN_BACKOFF_MS" in str(caught.value) and "SOHOA_RETRY_MAX_BACKOFF_MS" in str(caught.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SOHOA_OCR_LANG", "xyz"), ("SOHOA_TESSERACT_CMD", "/nonexistent/tesseract")],
)
def test_run_stops_at_start_up_when_tesseract_cannot_serve_the_settings(tmp_path, variable, value):
    """Not a dead letter per page: the command ends at once, naming the variable."""
    import os
    import subprocess
    import sys

    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "a.png").write_bytes(b"not read: start-up stops first")
    env = {**os.environ, "SOHOA_VAR_DIR": str(tmp_path / "var"), variable: value}
    for other in ("SOHOA_DATABASE_URL", "SOHOA_STORAGE_URL", "SOHOA_BROKER_URL", "SOHOA_OCR_ENGINE"):
        env.pop(other, None)
    result = subprocess.run(
        [sys.executable, "-m", "scripts.cli", "run", str(scans)], env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert variable in result.stderr


def test_worker_parent_stops_at_start_up_on_a_missing_language(tmp_path):
    """The supervising parent checks Tesseract before starting children that would crash-loop."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SOHOA_VAR_DIR": str(tmp_path / "var"), "SOHOA_OCR_LANG": "xyz",
           "SOHOA_BROKER_URL": "redis://127.0.0.1:6379/15", "SOHOA_SWEEP_INTERVAL": "0"}
    for other in ("SOHOA_DATABASE_URL", "SOHOA_STORAGE_URL", "SOHOA_OCR_ENGINE"):
        env.pop(other, None)
    result = subprocess.run(
        [sys.executable, "-m", "scripts.cli", "worker", "--processes", "1"], env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "SOHOA_OCR_LANG" in result.stderr and "started" not in result.stderr.lower()
