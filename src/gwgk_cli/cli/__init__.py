"""The command line: `gwgk`. Commands only parse, call the core, and render.

Importing a command module registers its commands. `from gwgk_cli.cli import app` gives the whole
application (every module loaded, in the order `gwgk --help` lists them); the console script
(gwgk_cli.entry) loads only the module of the command being run.
"""

from __future__ import annotations

import importlib
from typing import Any

COMMAND_MODULES_IN_HELP_ORDER = ("read", "progress", "supervise", "warn", "report", "sheet", "journalcmd", "importcmd", "config")


def load_all() -> None:
    for name in COMMAND_MODULES_IN_HELP_ORDER:
        importlib.import_module(f"gwgk_cli.cli.{name}")


def __getattr__(name: str) -> Any:
    if name == "app":
        load_all()
        from gwgk_cli.cli.base import app

        return app
    raise AttributeError(name)
