"""The ``sohoa`` command line. Each subcommand lives in its own module and is imported lazily,
so that ``sohoa --help`` is instant and a missing optional tool breaks only its own command."""

from __future__ import annotations

import importlib
import sys

import click

# name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "db": "scripts.db_cmd:db",
    "run": "scripts.run_cmd:run",
    "upload": "scripts.upload_cmd:upload",
    "worker": "scripts.worker_cmd:worker",
    "status": "scripts.status_cmd:status",
    "serve": "scripts.serve_cmd:serve",
    "export": "scripts.export_cmd:export",
    "samples": "scripts.samples:samples_command",
    "eval": "scripts.eval:eval_command",
    "bench": "scripts.bench:bench_command",
    "calibrate": "scripts.calibrate:calibrate_command",
    "dlq": "scripts.dlq:dlq",
    "users": "scripts.users_cmd:users",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("scripts."):
                return None  # command not built yet
            raise
        return getattr(module, attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Sohoa: digitise paper administrative dossiers into the three-level one-stop database."""


def main() -> None:
    """Console-script entry point: settings errors and Sohoa errors end with a clear message."""
    from schemas.errors import ConfigError, SohoaError
    from workers.tuning import leave_heap_to_the_system, quiet_start_up_collector

    quiet_start_up_collector()
    try:
        cli(standalone_mode=True)
    except ConfigError as exc:
        click.echo(f"sohoa: {exc}", err=True)
        sys.exit(2)
    except SohoaError as exc:
        click.echo(f"sohoa: {exc.reason}", err=True)
        sys.exit(1)
    finally:
        leave_heap_to_the_system()


if __name__ == "__main__":
    main()
