# isort: skip_file
"""The command line: `gwgk`. Commands only parse, call the core, and render."""

from __future__ import annotations

import sys

# Importing a command module registers its commands; `gwgk --help` lists them in this order.
from gwgk_cli.cli import read as _read  # noqa: F401
from gwgk_cli.cli import progress as _progress  # noqa: F401
from gwgk_cli.cli import warn as _warn  # noqa: F401
from gwgk_cli.cli import report as _report  # noqa: F401
from gwgk_cli.cli import importcmd as _importcmd  # noqa: F401
from gwgk_cli.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    if sys.platform == "win32":
        # Redirected on Windows: write UTF-8 rather than the ANSI code page, which lacks some characters.
        for stream in (sys.stdout, sys.stderr):
            if not stream.isatty():
                stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    app()
