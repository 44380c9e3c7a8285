"""`sohoa status`, `sohoa export` and `sohoa dlq list` on a database that was never migrated: the
embedded default is migrated on the spot, a server database is refused with a clear message."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from schemas.errors import ConfigError
from scripts.cli import cli
from storage.migrate import current_revision, head_revision
from tests.pg import pg_url  # noqa: F401


@pytest.fixture
def fresh_var(tmp_path, monkeypatch):
    """SOHOA_VAR_DIR on an empty folder, no database or store configured."""
    monkeypatch.setenv("SOHOA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SOHOA_DATABASE_URL", raising=False)
    monkeypatch.delenv("SOHOA_STORAGE_URL", raising=False)
    monkeypatch.delenv("SOHOA_BROKER_URL", raising=False)
    return tmp_path / "var"


def test_read_commands_migrate_the_embedded_default_first(fresh_var):
    runner = CliRunner()
    status = runner.invoke(cli, ["status", "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.output)["batches"] == [] and json.loads(status.output)["dead_letters"] == 0
    assert current_revision(f"sqlite:///{fresh_var / 'sohoa.db'}") == head_revision()

    export = runner.invoke(cli, ["export", "--format", "csv", "--out", str(fresh_var / "out.csv")])
    assert export.exit_code == 0, export.output
    assert (fresh_var / "out.csv").read_text(encoding="utf-8").startswith("source,pages,batch")
    listed = runner.invoke(cli, ["dlq", "list"])
    assert listed.exit_code == 0 and "no dead letters" in listed.output


@pytest.mark.parametrize("args", [["status"], ["export"], ["dlq", "list"]])
def test_a_server_database_never_migrated_is_refused_with_the_fix(fresh_var, monkeypatch, pg_url, args):  # noqa: F811
    monkeypatch.setenv("SOHOA_DATABASE_URL", pg_url)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError), result.exception
    assert "database is not migrated: run `sohoa db upgrade`" in str(result.exception)
    assert current_revision(pg_url) is None  # a read command does not migrate a server's database


def test_the_command_line_says_so_without_a_traceback(fresh_var, pg_url):  # noqa: F811
    env = {"SOHOA_VAR_DIR": str(fresh_var), "SOHOA_DATABASE_URL": pg_url, "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "scripts.cli", "status"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.startswith("sohoa: database is not migrated: run `sohoa db upgrade`")
    assert "Traceback" not in run.stderr and "no such table" not in run.stderr
