"""The Typer application: global options, the one place errors become messages and exit codes."""


import datetime as dt
import enum
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from gwgk_cli import __version__, collector
from gwgk_cli.errors import EXIT_USAGE, BadValue, GwgkError
from gwgk_cli.sanitize import clean, clean_line

if TYPE_CHECKING:
    from gwgk_cli.paths import Location
    from gwgk_cli.store import Tracker

_BUILTIN_HELP = {
    "install_completion": "为当前 shell 安装命令补全（bash、zsh、fish、PowerShell）。",
    "show_completion": "显示当前 shell 的补全脚本，可复制或自行安装。",
}


# The placeholder an option's or argument's value is shown as in help and messages (metavar), by its
# long option or the argument's name: Chinese words, not PATH, TEXT, <int range> or {FILE}.
OPTION_METAVARS = {
    "--file": "文件", "--today": "日期", "--date": "日期", "--due-before": "日期", "--since": "日期",
    "--from": "日期", "--to": "日期", "--unit": "单位", "--section": "部分", "--subsection": "小节",
    "--status": "状态", "--signal": "信号", "--search": "文字", "--note": "说明", "--by": "姓名",
    "--warn-days": "天数", "--stale-days": "天数", "--percent": "进度", "--format": "格式", "--output": "文件",
    "--notes": "文件", "--week": "周", "--issue-no": "期号", "--send-to": "单位", "--copy-to": "单位",
    "--signer": "单位", "--period": "期间", "--year": "年度", "--evidence": "佐证材料", "--approved-by": "姓名",
}
ARGUMENT_METAVARS = {"ids": "序号", "task": "序号", "text": "进展情况", "notice": "通知文件", "files": "文件",
                     "entry": "记录编号", "key": "配置项", "value": "值"}


def chinese_metavar(param: Any) -> None:
    """Give `param` its Chinese placeholder (OPTION_METAVARS / ARGUMENT_METAVARS) unless it has a Chinese one."""
    current = getattr(param, "metavar", None)
    if current is not None and not current.isascii():
        return
    if getattr(param, "param_type_name", "") == "argument":
        word = ARGUMENT_METAVARS.get(str(param.name))
        if word is None:
            return
        if getattr(param, "nargs", 1) != 1:
            word += "..."
        param.metavar = word if param.required else f"[{word}]"
        return
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return
    long = next((o for o in param.opts if o.startswith("--")), "")
    if long in OPTION_METAVARS and not (current and "|" in current):  # 2021-W47|2021-11 says the forms
        param.metavar = OPTION_METAVARS[long]


def _unit_candidates(ctx: Any, incomplete: str) -> Any:
    """--unit's completion (cli/complete.py), imported only when a shell asks for it."""
    from gwgk_cli.cli.complete import unit_candidates

    return unit_candidates(ctx, incomplete)


class ChineseHelp:
    """Chinese help text for the options Click and Typer add themselves (-h, completion), Chinese
    placeholders, and the help laid out by display width with the Chinese line-breaking rules (cli/helpfmt)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示帮助并退出。"
        return option

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            chinese_metavar(param)
            if param.name in _BUILTIN_HELP:
                param.help = _BUILTIN_HELP[param.name]
            elif param.name == "unit":  # contains-matching for Chinese fragments (cli/complete.py)
                setattr(param, "shell_complete", _unit_candidates)  # noqa: B010
            if param.name == "install_completion" and not getattr(param.callback, "gwgk_chinese", False):
                from gwgk_cli.cli.parsing import chinese_install_completion

                param.callback = chinese_install_completion(param.callback)
        return params

    def get_usage(self, ctx: Any) -> str:
        from gwgk_cli.cli.parsing import chinese_help

        return chinese_help(super().get_usage(ctx))  # type: ignore[misc]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from gwgk_cli.cli.helpfmt import help_text

        formatter.write(help_text(self, ctx, formatter.width))


def _click_exception() -> type[Exception]:
    """The vendored Click's ClickException, the base of every usage error. Typer 0.28+ exports a base
    for it (typer.TyperException); 0.26–0.27 export none, so it is found through a public class."""
    for klass in typer.BadParameter.__mro__:
        if klass.__name__ == "ClickException":
            return klass
    return typer.BadParameter


_CLICK_EXCEPTION = _click_exception()


# The commands that write to the journal: each says where it wrote (paths.Location.where) on stderr, when it
# succeeded and appended something (journal.appended). (`sheet in` names it in its preview and confirmation.)
_WRITES = frozenset({"start", "done", "block", "reopen", "note", "undo", "accept", "extend", "review"})


class GwgkCommand(ChineseHelp, TyperCommand):
    def invoke(self, ctx: Any) -> Any:
        collector.running(self.name)
        result = super().invoke(ctx)
        journal = sys.modules.get("gwgk_cli.journal")  # imported by a write only
        if self.name in _WRITES and journal is not None and journal.appended:
            typer.echo(f"已记入 {clean_line(env(ctx).location.where())}", err=True)
            journal.appended.clear()
        return result


class GwgkGroup(ChineseHelp, TyperGroup):
    """The one place messages and exit codes are decided: every GwgkError raised by a command, the
    parser's own usage errors and argv that is not text become one `错误: …` line on stderr."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        from gwgk_cli.cli.parsing import (
            bad_argv_text,
            help_hint,
            hoist_global_options,
            single_dash_option,
            usage_error_text,
        )

        argv = list(sys.argv[1:] if args is None else args)
        bad = bad_argv_text(argv)
        if bad is not None:
            return _finish(EXIT_USAGE, f"参数不是有效的 UTF-8 文本：“{bad}”（可能是汉字被截断或终端编码不是 UTF-8）",
                           standalone_mode)
        if "_GWGK_COMPLETE" not in os.environ:
            dashed = single_dash_option(argv, self.commands.get)
            if dashed is not None:
                return _finish(EXIT_USAGE, dashed, standalone_mode)
            argv = hoist_global_options(argv, self.commands.get)
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False,
                              windows_expand_args=windows_expand_args, **extra)
        except typer.Abort:
            return _finish(1, "已中止。", standalone_mode)
        except _CLICK_EXCEPTION as exc:  # Click's usage errors (Typer's vendored Click)
            if type(exc).__name__ == "NoArgsIsHelpError":  # `gwgk` alone: the help, as Click shows it
                typer.echo(getattr(exc, "message", ""), err=True)
                return _finish(getattr(exc, "exit_code", EXIT_USAGE), None, standalone_mode)
            text = f"{usage_error_text(exc)}；{help_hint(exc)}"
            return _finish(getattr(exc, "exit_code", EXIT_USAGE), text, standalone_mode)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except GwgkError as exc:
            from gwgk_cli.safe_write import os_words  # the system's English reasons (Operation not permitted)

            typer.echo(f"错误：{clean(os_words(str(exc)))}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            raise  # `gwgk list | head`: Click ends quietly
        except OSError as exc:  # e.g. a full disk while writing the output
            from gwgk_cli.safe_write import os_reason, os_words

            where = f" {exc.filename}" if exc.filename else ""
            why = os_reason(exc, exc.filename) if exc.filename else os_words(str(exc.strerror or exc))
            typer.echo(clean_line(f"错误：无法读写{where}：{why}"), err=True)
            raise typer.Exit(1) from None
        finally:
            obj = ctx.find_root().obj
            if isinstance(obj, Env):
                obj.close()


def _finish(code: int, message: str | None, standalone: bool) -> int:
    if message is not None:
        typer.echo(f"错误：{message}", err=True)
    if standalone:
        sys.exit(code)
    return code


app = typer.Typer(
    cls=GwgkGroup,
    name="gwgk",
    help="政务公开重点工作任务分工跟踪工具：任务清单、进展登记、红黄绿灯预警、周报。",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


F = TypeVar("F", bound=Callable[..., Any])

# Typer builds a Click command for every registered command at every run (inspecting its signature and
# annotations: a few ms each), so @command only records the function; register() hands the ones a run
# needs to app.command. The console script registers just the command being run.
_DECLARED: dict[str, tuple[Callable[..., Any], str | None]] = {}  # command name -> (function, name given)
_REGISTERED: set[str] = set()


def command(name: str | None = None) -> Callable[[F], F]:
    """Declare a command of the root group: app.command with Chinese built-in help, registered by register()."""

    def record(func: F) -> F:
        _DECLARED[name or func.__name__.lower().replace("_", "-")] = (func, name)
        return func

    return record


def register(names: Iterable[str] | None = None) -> None:
    """Register the declared commands named (all when None) with the Typer app, in declaration order."""
    wanted = None if names is None else set(names)
    for key, (func, name) in _DECLARED.items():
        if key not in _REGISTERED and (wanted is None or key in wanted):
            app.command(name, cls=GwgkCommand)(func)
            _REGISTERED.add(key)


class Format(str, enum.Enum):
    table = "table"
    tsv = "tsv"
    json = "json"
    csv = "csv"


# The usual form, YYYY-MM-DD in ASCII digits, is read here without importing anything; the other forms a
# clerk writes (2021.11.20, 2021/11/20, 2021年12月1日, full-width digits) go to the parser of the 填报表's
# dates (sheets/values.py), so the command line and the sheets accept the same dates. Week dates
# (2021-W46-7), 20211122 and serial numbers are refused: no guessing.
_ISO_DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"  # compiled (and cached by re) on first use
_ANY_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
from gwgk_cli.model import YEARS  # noqa: E402 - the dates a command takes are checked against it

DATE_FORMS = "YYYY-MM-DD，例如 2021-11-22；也可写 2021.11.22 或 2021年11月22日"


def half_width(text: str) -> str:
    """A number or date as typed: full-width digits, ％, －, ．and spaces as their ASCII forms (NFKC), outer
    spaces removed. The one normalisation of every number and date the command line reads."""
    from gwgk_cli.numerals import half_width as nfkc

    return nfkc(text)


def parse_date(text: str, what: str = "日期") -> dt.date:
    """A date typed on the command line (or in GWGK_TODAY), years 2000–2099: YYYY-MM-DD, or any form with
    the year first that a 填报表 accepts (2021.11.20, 2021/11/20, 2021年12月1日, full-width digits)."""
    import re

    shown = clean_line(text)
    found = re.fullmatch(_ISO_DATE, text.strip())
    if found is None:
        plain = half_width(text)
        numbers = re.match(_ANY_DATE, plain)
        if numbers is None:
            raise BadValue(f"无效的{what} “{shown}”（应为 {DATE_FORMS}）")
        from gwgk_cli.sheets.period import week_of
        from gwgk_cli.sheets.values import WrongWeekday, parse_date_value

        try:  # the 填报表 parser: it also takes a time or a weekday after the date
            day = parse_date_value(plain, week_of(dt.date(2021, 1, 4)))
        except WrongWeekday as exc:
            raise BadValue(f"无效的{what} “{shown}”（{exc.day.isoformat()} 是{exc.actual}）") from None
        except ValueError:
            if _valid_date(numbers):  # a valid date with something after it that is no time nor weekday
                raise BadValue(f"无效的{what} “{shown}”（应为 {DATE_FORMS}）") from None
            day = None
        found = numbers
    else:
        day = None
    year, month, mday = int(found[1]), int(found[2]), int(found[3])
    if day is None:
        try:
            day = dt.date(year, month, mday)
        except ValueError:  # the reason, as a 填报表's date gets it (11月没有31日); imported only then
            from gwgk_cli.sheets.values import no_such_day

            raise BadValue(f"无效的{what} “{shown}”（{no_such_day(year, month, mday)}）") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise BadValue(f"无效的{what} “{shown}”（年份应在 {YEARS[0]}–{YEARS[1]} 之间）")
    return day


def _valid_date(found: Any) -> bool:
    try:
        dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return False
    return True


class Env:
    """What the global options decided; built once per run, passed to commands via ctx.obj."""

    __slots__ = ("file", "file_from_env", "today_text", "_tracker")

    def __init__(self, file: str | None = None, file_from_env: bool = False, today_text: str | None = None) -> None:
        self.file = file
        self.file_from_env = file_from_env
        self.today_text = today_text
        self._tracker: Tracker | None = None

    @property
    def today(self) -> dt.date:
        if self.today_text is not None:
            return parse_date(self.today_text, "日期 --today")
        return dt.date.today()

    @property
    def location(self) -> "Location":
        return self.tracker.location

    def close(self) -> None:
        """The command is done: what the tracker holds open (the index) closed."""
        if self._tracker is not None:
            self._tracker.close()

    @property
    def tracker(self) -> "Tracker":
        if self._tracker is None:
            from gwgk_cli.paths import find_table
            from gwgk_cli.store import Tracker

            location = find_table(self.file, from_env=self.file_from_env)
            if location.notice:
                typer.echo(f"警告：{clean_line(location.notice)}", err=True)
            self._tracker = Tracker(location, on_warnings=print_warnings, as_of=self.today)
        return self._tracker


def print_warnings(warnings: list[Any]) -> None:
    """Journal damage: say where it is, on stderr, and carry on."""
    for warning in warnings:
        typer.echo(f"警告：{clean(str(warning))}", err=True)


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
        typer.Option("--file", "-f", metavar="PATH", help="任务表 YAML 文件（默认：配置项 table.file，否则当前文件夹或上级的 tasks_<年份>.yaml、data/tasks_<年份>.yaml，否则内置 2021 表）。", show_default=False),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="YYYY-MM-DD", help="参照日期 YYYY-MM-DD，所有“剩余天数”据此计算（默认：今天）。", show_default=False),
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


_YES = frozenset({"是", "好", "对", "是的", "好的", "对的", "确定", "确认", "y", "yes"})
_NO = frozenset({"否", "不", "不是", "不要", "不用", "取消", "n", "no"})


def confirm(question: str) -> bool:
    """Ask on the terminal: 是/好/对/y (full-width Ｙ too) is yes, 否/不/n or just Enter is no; anything else
    is answered in Chinese and asked again. Every confirmation prompt of gwgk goes through here."""
    from gwgk_cli.sanitize import clean_line

    while True:
        answer = typer.prompt(f"{question} [是/否]", default="", show_default=False, prompt_suffix=" ")
        word = half_width(answer).lower().rstrip("。.!！")
        if not word or word in _NO:
            return False
        if word in _YES:
            return True
        typer.echo(f"请回答“是”或“否”（也可输入 y 或 n）；“{clean_line(answer)}”不是其中之一。")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def go_ahead(yes: bool, preview: str, question: str, declined: str) -> bool:
    """--yes, or a 是 at the terminal; piped without --yes the preview is all (it says how to go ahead)."""
    if yes:
        return True
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        typer.echo(preview)
        return False
    if not confirm(question):
        typer.echo(declined)
        return False
    return True


def pick_format(fmt: Format | None) -> Format:
    """The default: a rich table on a terminal, TSV when piped (like gh)."""
    if fmt is not None:
        return fmt
    return Format.table if stdout_is_terminal() else Format.tsv


def emit(text: str) -> None:
    if text.startswith("\ufeff") and not (sys.stdout.encoding or "").lower().replace("-", "").startswith("utf"):
        text = text[1:]  # a CSV's BOM tells Excel it is UTF-8: not so in another encoding (PYTHONIOENCODING=gbk)
    sys.stdout.write(text)
    sys.stdout.flush()


FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-F", help="输出格式：table（终端默认）| tsv（管道默认）| json | csv。", show_default=False),
]
