"""The Typer application: global options, the one place errors become messages and exit codes."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
import sys
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from gwgk_cli import __version__
from gwgk_cli.errors import BadValue, GwgkError
from gwgk_cli.paths import Location, find_table
from gwgk_cli.store import Tracker

_BUILTIN_HELP = {
    "install_completion": "为当前 shell 安装命令补全(bash、zsh、fish、PowerShell)。",
    "show_completion": "显示当前 shell 的补全脚本,可复制或自行安装。",
}


class ChineseHelp:
    """Chinese help text for the options Click and Typer add themselves (-h, completion)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示帮助并退出。"
        return option

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.name in _BUILTIN_HELP:
                param.help = _BUILTIN_HELP[param.name]
            elif param.name == "unit":  # contains-matching for Chinese fragments (cli/complete.py)
                from gwgk_cli.cli.complete import unit_candidates

                setattr(param, "shell_complete", lambda ctx, incomplete: unit_candidates(ctx, incomplete))  # noqa: B010
        return params


class GwgkCommand(ChineseHelp, TyperCommand):
    pass


class GwgkGroup(ChineseHelp, TyperGroup):
    """Turns every GwgkError raised by a command into `错误: …` on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except GwgkError as exc:
            typer.echo(f"错误: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            raise  # `gwgk list | head`: Click ends quietly
        except OSError as exc:  # e.g. a full disk while writing the output
            where = f" {exc.filename}" if exc.filename else ""
            typer.echo(f"错误: 无法读写{where}: {exc.strerror or exc}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=GwgkGroup,
    name="gwgk",
    help="政务公开重点工作任务分工跟踪工具:任务清单、进展登记、红黄绿灯预警、周报。",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


# Every command is declared with @command(...): app.command with Chinese built-in help.
command = functools.partial(app.command, cls=GwgkCommand)


class Format(str, enum.Enum):
    table = "table"
    tsv = "tsv"
    json = "json"
    csv = "csv"


def parse_date(text: str, what: str = "日期") -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadValue(f"无效的{what} “{text}”(应为 YYYY-MM-DD,例如 2021-11-22)") from None
    if not 1900 <= day.year <= 2999:
        raise BadValue(f"无效的{what} “{text}”(年份应在 1900–2999 之间)")
    return day


@dataclass(slots=True)
class Env:
    """What the global options decided; built once per run, passed to commands via ctx.obj."""

    file: str | None = None
    file_from_env: bool = False
    today_text: str | None = None
    _tracker: Tracker | None = field(default=None)

    @property
    def today(self) -> dt.date:
        if self.today_text is not None:
            return parse_date(self.today_text, "日期 --today")
        return dt.date.today()

    @property
    def location(self) -> Location:
        return self.tracker.location

    @property
    def tracker(self) -> Tracker:
        if self._tracker is None:
            self._tracker = Tracker(find_table(self.file, from_env=self.file_from_env), on_warnings=print_warnings,
                                    as_of=self.today)
        return self._tracker


def print_warnings(warnings: list[Any]) -> None:
    """Journal damage: say where it is, on stderr, and carry on."""
    for warning in warnings:
        typer.echo(f"警告: {warning}", err=True)


def env(ctx: typer.Context) -> Env:
    obj = ctx.find_root().obj
    if not isinstance(obj, Env):
        obj = Env()
        ctx.find_root().obj = obj
    return obj


def table_option(file: str | None) -> tuple[str | None, bool]:
    """--file, else GWGK_FILE: (the path or None, whether it came from the environment)."""
    if file is not None:
        if not file.strip():
            raise BadValue("--file 的路径不能为空")
        return file, False
    env_file = os.environ.get("GWGK_FILE") or None
    return env_file, env_file is not None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gwgk {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    file: Annotated[
        str | None,
        typer.Option("--file", "-f", metavar="PATH", help="任务表 YAML 文件(默认: 当前项目的 data/tasks_2021.yaml,否则内置 2021 表)。", show_default=False),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="YYYY-MM-DD", help="参照日期 YYYY-MM-DD,所有“剩余天数”据此计算(默认: 今天)。", show_default=False),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="显示版本并退出。")
    ] = False,
) -> None:
    """政务公开重点工作任务分工跟踪工具。"""
    table, from_env = table_option(file)
    env_today = os.environ.get("GWGK_TODAY") or None
    ctx.obj = Env(file=table, file_from_env=from_env, today_text=today if today is not None else env_today)
    if ctx.obj.today_text is not None:
        ctx.obj.today  # noqa: B018 - validate --today before any command runs


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def pick_format(fmt: Format | None) -> Format:
    """The default: a rich table on a terminal, TSV when piped (like gh)."""
    if fmt is not None:
        return fmt
    return Format.table if stdout_is_terminal() else Format.tsv


def emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-F", help="输出格式: table(终端默认)| tsv(管道默认)| json | csv。", show_default=False),
]
