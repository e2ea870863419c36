"""gwgk_cli.cli.coercion: option values without pydantic give exactly what Typer's own coercion gives.

Each case runs one small Typer command twice through CliRunner: once as a plain TyperCommand (Typer
converts every value) and once as gwgk's command class (the deferred coercion). The values the command
receives, the exit code and the output must be the same, for values taken on the fast path and for the
ones handed back to Typer (bad numbers, other cases, paths, errors).
"""

from __future__ import annotations

import enum
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from typer.core import TyperCommand
from typer.testing import CliRunner

from gwgk_cli.cli import coercion
from gwgk_cli.cli.base import GwgkCommand
from gwgk_cli.cli.parsing import chinese_help


class Colour(str, enum.Enum):
    red = "red"
    green = "green"


def _app(command_cls: type[TyperCommand], seen: dict[str, Any]) -> typer.Typer:
    app = typer.Typer()

    @app.command(cls=command_cls)
    def probe(
        ids: Annotated[list[str] | None, typer.Argument()] = None,
        text: Annotated[str | None, typer.Option("--text")] = None,
        plain: Annotated[str, typer.Option("--plain")] = "默认",
        days: Annotated[int | None, typer.Option("--days", min=0)] = None,
        percent: Annotated[int, typer.Option("--percent", min=0, max=100)] = 50,
        ratio: Annotated[float | None, typer.Option("--ratio")] = None,
        colour: Annotated[Colour | None, typer.Option("--colour")] = None,
        shade: Annotated[Colour, typer.Option("--shade", case_sensitive=False)] = Colour.red,
        unit: Annotated[list[str] | None, typer.Option("--unit", "-u")] = None,
        where: Annotated[Path | None, typer.Option("--where")] = None,
        flag: Annotated[bool, typer.Option("--flag")] = False,
    ) -> None:
        seen.update(locals())
        seen.pop("seen", None)

    @app.command(cls=command_cls)
    def other() -> None:  # a second command, so `probe` is addressed by name
        pass

    return app


def _run(command_cls: type[TyperCommand], args: list[str]) -> tuple[int, str, dict[str, Any]]:
    seen: dict[str, Any] = {}
    result = CliRunner().invoke(_app(command_cls, seen), ["probe", *args])
    # gwgk's commands put Click's English headings in Chinese (cli/parsing.py); the rest must be equal.
    return result.exit_code, chinese_help(result.output), {k: (v, type(v)) for k, v in seen.items()}


CASES = [
    [],
    ["1", "2", "14"],
    ["--text", "进展 说明"],
    ["--text", ""],
    ["--plain", "x"],
    ["--days", "0"],
    ["--days", "007"],
    ["--days", "30"],
    ["--days", "-1"],
    ["--days", "abc"],
    ["--days", "٣"],
    ["--days", " 5"],
    ["--days", ""],
    ["--percent", "100"],
    ["--percent", "101"],
    ["--percent", "+5"],
    ["--ratio", "0.5"],
    ["--ratio", "x"],
    ["--colour", "green"],
    ["--colour", "GREEN"],
    ["--colour", "blue"],
    ["--shade", "GREEN"],
    ["--shade", "green"],
    ["-u", "指导办", "--unit", "zwgk"],
    ["--where", "some/file.txt"],
    ["--flag"],
    ["--days", "3", "--colour", "red", "-u", "a", "9"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(case) or "(none)" for case in CASES])
def test_same_values_and_errors_as_typer(args: list[str]) -> None:
    assert _run(GwgkCommand, args) == _run(TyperCommand, args)


def test_the_cases_cover_both_paths() -> None:
    """The table above must exercise the fast path and the hand-back to Typer, or it proves little."""
    taken: list[bool] = []
    original = coercion._fast_value

    def spy(value: Any, annotation: Any, info: Any) -> Any:
        out = original(value, annotation, info)
        taken.append(out is not coercion._NOT_HANDLED)
        return out

    mp = pytest.MonkeyPatch()
    mp.setattr(coercion, "_fast_value", spy)
    try:
        for args in CASES:
            _run(GwgkCommand, args)
    finally:
        mp.undo()
    assert True in taken and False in taken


def test_install_leaves_other_objects_alone() -> None:
    class NotTyper:
        pass

    class Built:
        type_descriptor = object()
        _runtime_param = "already built"

    plain, built = NotTyper(), Built()
    coercion.install([plain, built])
    assert not hasattr(plain, "_runtime_param")
    assert built._runtime_param == "already built"


def test_gwgk_list_does_not_import_pydantic(table: Path) -> None:
    """The point of the module: a read command never loads pydantic. If a Typer upgrade changes the
    detail coercion.install relies on, this fails rather than gwgk silently getting slower."""
    code = (
        "import sys\n"
        "from gwgk_cli.entry import main\n"
        "sys.argv = ['gwgk', 'list', '--unit', '政务公开指导办', '--status', 'todo', '--format', 'json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('pydantic' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[")
    assert result.stderr.strip().splitlines()[-1] == "False"
