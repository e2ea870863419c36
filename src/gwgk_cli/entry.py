"""The `gwgk` console script (and `python -m gwgk_cli`).

Typer builds a Click command for every registered command at every start, so the script loads only
the module of the command being run and registers only that command (cli.base.register; the
lazy-subcommand pattern): about 15 ms saved on each run. Help, completion, --version and anything it does not recognise load every command, so
`gwgk`, `gwgk -h` and "no such command" suggestions see the whole application.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

# Command name -> the module in gwgk_cli.cli that registers it (tests/test_entry.py keeps this true).
COMMAND_MODULES = {
    **dict.fromkeys(("list", "show", "units", "sections", "doctor", "info"), "read"),
    **dict.fromkeys(("start", "done", "block", "reopen", "note", "undo", "log"), "progress"),
    **dict.fromkeys(("warn", "check"), "warn"),
    **dict.fromkeys(("report", "bulletin", "export"), "report"),
    "import": "importcmd",
    **dict.fromkeys(("accept", "extend", "review", "remind"), "supervise"),
    "sheet": "sheet",
    "journal": "journalcmd",
    "config": "config",
    "menu": "menu",
}
_GLOBAL_WITH_VALUE = ("--file", "-f", "--today")


def only_global_options(argv: Sequence[str]) -> bool:
    """Whether argv is global options with their values and nothing else (`-f Z:\\政务公开\\tasks_2022.yaml`, as a
    desktop shortcut gives it): at a console, the menu for that table (found by a Windows review)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _GLOBAL_WITH_VALUE and i + 1 < len(argv):
            i += 2
        elif arg.startswith(("--file=", "--today=")) or (arg.startswith("-f") and len(arg) > 2):
            i += 1
        else:
            return False
    return True


def command_name(argv: Sequence[str]) -> str | None:
    """The subcommand in argv, skipping the global options before it; None when there is none."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _GLOBAL_WITH_VALUE:
            i += 2
        elif arg.startswith(("--file=", "--today=")) or (arg.startswith("-f") and len(arg) > 2):
            i += 1
        elif arg.startswith("-"):
            return None  # -h, --version, --install-completion …
        else:
            return arg
    return None


def script() -> None:
    """The `gwgk` console script and `python -m gwgk_cli`: `main` in a process that ends with it, so Python's
    cyclic collector is kept out of the way (gwgk_cli.collector). A caller in a process that goes on (a test)
    calls `main`, which leaves the collector alone."""
    from gwgk_cli import collector

    collector.starting()
    main()


def main() -> None:
    if sys.platform == "win32":
        # Redirected on Windows: write UTF-8 rather than the ANSI code page, which lacks some characters, unless the
        # user asked for an encoding (PYTHONIOENCODING=gbk for PowerShell 5.1); and the line ends as gwgk writes them
        # (a CSV's \r\n became \r\r\n, a blank row after every row in Excel: found by a Windows review).
        chosen = "PYTHONIOENCODING" in os.environ
        for stream in (sys.stdout, sys.stderr):
            if not stream.isatty():
                stream.reconfigure(newline="\n", errors="replace",  # type: ignore[union-attr]
                                   **({} if chosen else {"encoding": "utf-8"}))
    opened = (only_global_options(sys.argv[1:]) and sys.stdin.isatty() and sys.stdout.isatty()
              and "_GWGK_COMPLETE" not in os.environ)
    if opened:
        sys.argv.append("menu")  # `gwgk` alone at a console, gwgk.exe double-clicked (or a shortcut with -f): the menu
    name = command_name(sys.argv[1:]) or ""
    module = COMMAND_MODULES.get(name)
    if module is None or "_GWGK_COMPLETE" in os.environ:
        from gwgk_cli.cli import load_all

        load_all()
    else:
        importlib.import_module(f"gwgk_cli.cli.{module}")
    from gwgk_cli.cli.base import app, register

    register([name])  # a command group (gwgk sheet …) was added by its module: nothing to register

    try:
        app(prog_name="gwgk")
    except SystemExit as exc:
        if opened and exc.code not in (0, None):  # double-clicked: the window would close on the message
            _wait_for_enter()
        raise
    except Exception:  # a fault of gwgk's own, in a double-clicked window: shown until the clerk has read it
        if not opened:
            raise
        import traceback

        traceback.print_exc()
        _wait_for_enter()
        raise SystemExit(1) from None


def _wait_for_enter() -> None:
    try:
        input("按回车键关闭窗口")
    except (EOFError, KeyboardInterrupt):
        pass
