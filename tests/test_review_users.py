"""``sohoa users``: add (password from stdin, argon2-hashed), list, disable; units by code and era."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from scripts.cli import cli
from schemas.tables import User


def test_users_are_added_listed_and_disabled(tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_VAR_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    added = runner.invoke(cli, ["users", "add", "lan", "--role", "reviewer", "--unit", "pre2025:001", "--password-stdin"],
                          input="a long enough password\n")
    assert added.exit_code == 0, added.output
    assert "Ba Đình (001, pre2025)" in added.output
    province = runner.invoke(cli, ["users", "add", "minh", "--role", "admin", "--unit", "01", "--password-stdin"],
                             input="another password\n")
    assert province.exit_code == 0 and "(01, 2025)" in province.output  # a bare code both eras use: 2025
    for bad_args, words in ((["--unit", "999"], "no such district"), (["--unit", "1"], "digits")):
        bad = runner.invoke(cli, ["users", "add", "x", "--role", "viewer", *bad_args, "--password-stdin"],
                            input="a long enough password\n")
        assert bad.exit_code != 0 and words in str(bad.exception or bad.output)
    short = runner.invoke(cli, ["users", "add", "y", "--role", "viewer", "--unit", "01", "--password-stdin"], input="short\n")
    assert short.exit_code != 0
    assert runner.invoke(cli, ["users", "disable", "lan"]).exit_code == 0
    listed = runner.invoke(cli, ["users", "list"]).output.splitlines()
    assert listed[0].startswith("lan\treviewer\t") and listed[0].endswith("disabled")
    assert listed[1].startswith("minh\tadmin\t") and listed[1].endswith("active")

    from storage.db import session_factory

    with session_factory(f"sqlite:///{tmp_path / 'var' / 'sohoa.db'}")() as s:
        stored = s.scalar(select(User.password_hash).where(User.name == "lan"))
    assert stored.startswith("$argon2id$") and "long enough" not in stored
