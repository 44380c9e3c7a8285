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
