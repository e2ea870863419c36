"""`gwgk menu`, and `gwgk` alone at a console: numbered choices for a clerk who has never typed a command.

Each choice asks its few questions in Chinese, shows the command it stands for (相当于输入：gwgk …) and runs
that command as a gwgk process of its own — the same code path, confirmations and messages as typing it —
then waits for Enter before the menu comes back. On Windows a double-clicked gwgk.exe opens here instead of
printing the help into a console window that closes at once.
"""


import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import typer

from gwgk_cli.cli.base import command, confirm, env
from gwgk_cli.sanitize import clean_line

if TYPE_CHECKING:
    from gwgk_cli.cli.base import Env


class Back(Exception):
    """Enter where an answer is needed: the choice is dropped and the menu shown again."""


class Day(NamedTuple):
    """The dates the default file names are made of."""

    today: dt.date

    @property
    def week(self) -> str:
        year, week, _ = self.today.isocalendar()
        return f"{year}-W{week:02d}"


def typed(prompt: str) -> str:
    """A line typed after `prompt`; piped, the answer is echoed so the transcript reads as on a console."""
    answer = str(typer.prompt(prompt, default="", show_default=False, prompt_suffix=""))
    if not sys.stdin.isatty():
        typer.echo(clean_line(answer))
    return answer


def ask(question: str, *, required: bool = True) -> str:
    """One answer typed at the console, outer spaces removed; Enter on a needed answer goes back to the menu."""
    hint = "" if required or "直接回车" in question else "（可不填，直接回车）"
    answer = typed(f"{question}{hint}：").strip()
    if required and not answer:
        raise Back
    return answer


def ask_task(question: str = "任务序号") -> str:
    """Task numbers (4, 4,15, 14-16; full-width digits too), asked again until they look like numbers."""
    from gwgk_cli.cli.base import half_width

    while True:
        answer = ask(question)
        if re.fullmatch(r"\d+(\s*[-,，、]\s*\d+)*", half_width(answer)):
            return answer
        typer.echo(clean_line(f"“{answer}”不是任务序号：请输入数字，如 4（直接回车返回菜单）。"))


def typed_path(text: str) -> str:
    """A path as typed or dragged into the console window: Windows quotes it ("C:\\a b\\x.xlsx"), PowerShell
    adds `& '…'`, other terminals quote it with ' or escape spaces with \\."""
    text = text.strip()
    if text.startswith("& "):
        text = text[2:].strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if os.sep == "/" and "\\ " in text:
        return text.replace("\\ ", " ")
    return text


def output_file(default: str, suffix: str) -> list[str] | None:
    """`-o FILE` (with --force once the clerk agrees to replace an existing file), or None: not replaced."""
    default = str(Path.cwd() / default)
    name = typed_path(ask(f"保存为（直接回车：{default}）", required=False)) or default
    if not name.lower().endswith(suffix):
        name += suffix
    path = Path(name)
    if path.exists():
        if not confirm(f"{name} 已存在，覆盖它吗？"):
            typer.echo("未覆盖；可换一个文件名再试。")
            return None
        return ["-o", name, "--force"]
    return ["-o", name]


def _list(day: Day) -> list[str] | None:
    unit = ask("单位（全称、简称或拼音首字母；直接回车看全部任务）", required=False)
    return ["list", "--unit", unit] if unit else ["list"]


def _show(day: Day) -> list[str] | None:
    return ["show", ask_task()]


def _note(day: Day) -> list[str] | None:
    task, text = ask_task(), ask("进展情况")
    percent = ask("完成进度 0–100", required=False)
    return ["note", *([f"--percent={percent}"] if percent else []), "--", task, text]  # a note may start with -


def _done(day: Day) -> list[str] | None:
    task = ask_task("任务序号（可写 4,15）")
    evidence = typed_path(ask("佐证材料：网址或文件（可把文件拖进本窗口）", required=False))
    return ["done", *([f"--evidence={evidence}"] if evidence else []), "--", task]


def _block(day: Day) -> list[str] | None:
    task, reason = ask_task(), ask("受阻原因")
    return ["block", f"--note={reason}", "--", task]


def _undo(day: Day) -> list[str] | None:
    if not confirm("撤销您最近一次登记的变更吗？"):
        return None
    return ["undo"]


def _report(day: Day) -> list[str] | None:
    out = output_file(f"周报-{day.week}.docx", ".docx")
    return None if out is None else ["report", *out]


def _export(day: Day) -> list[str] | None:
    out = output_file(f"台账-{day.today.isoformat()}.xlsx", ".xlsx")
    return None if out is None else ["export", *out]


def _bulletin(day: Day) -> list[str] | None:
    out = output_file(f"通报-{day.today.isoformat()}.docx", ".docx")
    return None if out is None else ["bulletin", *out]


def _sheet_out(day: Day) -> list[str] | None:
    default = str(Path.cwd() / f"填报表-{day.week}")
    folder = typed_path(ask(f"放在哪个文件夹（直接回车：{default}）", required=False)) or default
    path = Path(folder)
    if path.is_dir() and any(path.iterdir()):  # it may hold the sheets units sent back: never written over
        typer.echo(clean_line(f"文件夹 {folder} 里已有文件（可能是各单位发回的填报表），未生成；请换一个文件夹再试。"))
        return None
    return ["sheet", "out", "--all-units", "-o", folder]


def _sheet_in(day: Day) -> list[str] | None:
    return ["sheet", "in", typed_path(ask("发回的填报表文件或所在文件夹（可把它拖进本窗口）"))]


# (the words shown, what it asks and the command it builds); the number is the position, from 1
CHOICES: tuple[tuple[str, Callable[[Day], list[str] | None]], ...] = (
    ("查看任务清单（可按单位）", _list),
    ("查看一项任务的详情和进展", _show),
    ("登记进展", _note),
    ("标记完成", _done),
    ("标记受阻", _block),
    ("撤销我最近一次登记", _undo),
    ("红黄绿灯预警", lambda day: ["warn"]),
    ("生成本周周报（Word）", _report),
    ("导出台账（Excel）", _export),
    ("生成通报（Word）", _bulletin),
    ("生成各单位填报表（Excel）", _sheet_out),
    ("导入各单位发回的填报表", _sheet_in),
    ("查看正在使用的任务表和记录文件", lambda day: ["info"]),
)


def menu_text() -> str:
    lines = ["", "gwgk 政务公开重点工作任务跟踪 —— 请输入编号后按回车：", ""]
    lines += [f"  {number:>2}  {words}" for number, (words, _) in enumerate(CHOICES, 1)]
    lines += ["   0  退出", ""]
    return "\n".join(lines)


def shown(argv: list[str]) -> str:
    """The command as it would be typed: quoted only where a space or quote needs it."""
    def one(arg: str) -> str:
        if arg and not re.search(r"[\s\"'&|<>;`$]", arg):
            return arg
        return '"' + arg.replace('"', '\\"') + '"'
    return clean_line(" ".join(["gwgk", *map(one, argv)]))


def pick(answer: str) -> Callable[[Day], list[str] | None] | None:
    """The choice typed (full-width digits and a trailing 。 are fine); None for 0, q, 退出."""
    from gwgk_cli.cli.base import half_width

    word = half_width(answer).lower().rstrip("。.")
    if word in ("0", "q", "quit", "exit", "退出"):
        return None
    if word.isdigit() and 1 <= int(word) <= len(CHOICES):
        return CHOICES[int(word) - 1][1]
    raise ValueError(word)


@command("menu")
def menu(ctx: typer.Context) -> None:
    """菜单：按编号选择要做的事（查看、登记、预警、周报、台账、填报表），并显示对应的命令。

    在终端里只输入 gwgk（或在 Windows 上双击 gwgk）也会打开菜单。每一步直接按回车即返回菜单。"""
    e = env(ctx)
    root = ctx.find_root().params
    globals_ = [*(["-f", str(Path(root["file"]).absolute())] if root.get("file") else []),  # the menu may move
                *(["--today", root["today"]] if root.get("today") else [])]
    day = Day(e.today)
    _where_the_clerk_works(e)
    _first_run_name(globals_)
    typer.echo("需要帮助时：gwgk -h 列出全部命令，gwgk 命令 -h 说明一个命令。")
    while True:
        typer.echo(menu_text())
        try:
            answer = typed("编号：")
        except typer.Abort:  # Ctrl-C, or the input ended (Ctrl-D, Ctrl-Z)
            typer.echo("")
            break
        try:
            choice = pick(answer)
        except ValueError:
            if answer.strip():
                typer.echo(clean_line(f"没有编号“{answer.strip()}”：请输入 0–{len(CHOICES)} 之间的编号。"))
            continue
        if choice is None:
            break
        try:
            argv = choice(day)
        except Back:
            continue
        except typer.Abort:  # Ctrl-C, or the input ended (Ctrl-D, Ctrl-Z)
            typer.echo("")
            break
        if argv is None:
            continue
        typer.echo(f"相当于输入：{shown(argv)}")
        typer.echo("")
        if run([*globals_, *argv]) in (130, -2):  # Ctrl-C reached the command: it has said what it did
            typer.echo("\n已中断。")
        try:
            typed("\n按回车键返回菜单")
        except typer.Abort:  # Ctrl-C, or the input ended (Ctrl-D, Ctrl-Z)
            typer.echo("")
            break
    typer.echo("已退出。")


def run(args: list[str]) -> int:
    """gwgk with these arguments, as a process of its own; Ctrl-C is left to it (it says what it did and
    finishes what it must: a 催办 run records what went), the menu waits for it to end."""
    proc = subprocess.Popen([sys.executable, "-m", "gwgk_cli", *args])
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            continue


def _where_the_clerk_works(e: "Env") -> None:
    """Started from the program's own folder (gwgk.exe double-clicked in Scripts, or a shortcut to it): files
    would be written there and the table not found. Work in the configured table's folder, else Documents."""
    from gwgk_cli.paths import configured_table

    here = Path.cwd().resolve()
    program = Path(sys.executable).resolve().parent
    if here in (program, program.parent) or Path(sys.prefix).resolve() in (here, *here.parents):
        table = configured_table()
        home = Path.home()
        target = table.parent if table is not None else next(
            (p for p in (home / "Documents", home / "文档", home) if p.is_dir()), home)
        os.chdir(target)
        typer.echo(clean_line(f"当前文件夹：{target}（在程序所在的文件夹中打开，已改到这里）"))
    location = e.location
    typer.echo(clean_line(f"进展记录：{location.where()}"))
    if location.bundled:
        typer.echo("提示：正在使用内置的 2021 任务表；本单位的任务表请用 gwgk config set table.file 路径 设为默认。")


def _first_run_name(globals_: list[str]) -> None:
    """No name configured (gwgk would sign changes with the login name): ask once and keep it in the config."""
    from gwgk_cli.config import default_user

    if default_user()[1] != "login":
        return
    typer.echo("第一次使用：登记进展时要写明登记人。")
    try:
        name = ask("您的姓名（保存在配置中，以后不再询问）", required=False)
    except typer.Abort:
        return
    if name:
        run([*globals_, "config", "set", "--", "user.name", name])
