"""The command line: `gwgk`. Commands only parse, call the core, and render.

Importing a command module declares its commands (cli.base.command) and adds its command groups;
cli.base.register() hands declared commands to Typer. `from gwgk_cli.cli import app` gives the whole
application (every module loaded and every command registered, in the order `gwgk --help` lists them);
the console script (gwgk_cli.entry) loads only the module of the command being run and registers only
that command.

The command modules do not use `from __future__ import annotations`: Typer reads the annotations of the
command being run (and of its completion callbacks) at every run, and string annotations would be
compiled and evaluated each time (about 3 ms). Names imported only for type checking are quoted.
"""

from __future__ import annotations

import importlib
from typing import Any

COMMAND_MODULES_IN_HELP_ORDER = ("menu", "read", "progress", "supervise", "warn", "report", "sheet", "journalcmd", "importcmd", "config")


def load_all() -> None:
    """Every command module loaded and every command registered."""
    from gwgk_cli.cli.base import register

    for name in COMMAND_MODULES_IN_HELP_ORDER:
        importlib.import_module(f"gwgk_cli.cli.{name}")
    register()


def __getattr__(name: str) -> Any:
    if name == "app":
        load_all()
        from gwgk_cli.cli.base import app

        return app
    raise AttributeError(name)
