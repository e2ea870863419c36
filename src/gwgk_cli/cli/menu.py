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
from gwgk_cli.cli.menu_ask import Back, ask, ask_date, ask_percent, ask_task, typed, typed_path, typed_paths
from gwgk_cli.errors import GwgkError
from gwgk_cli.sanitize import clean_line

if TYPE_CHECKING:
    from gwgk_cli.cli.base import Env


class Session(NamedTuple):
    """What the choices need: the reference date, the run's settings and the clerk's unit (config user.unit)."""

    today: dt.date
    env: "Env"
    unit: str  # the clerk's unit (config user.unit) as the table names it, or as set when the table does not; ""
    options: tuple[str, ...]  # the global options the menu was given (-f, --today), passed to each command

    @property
    def week(self) -> str:
        year, week, _ = self.today.isocalendar()
        return f"{year}-W{week:02d}"


def output_file(default: str, suffix: str) -> list[str] | None:
    """`-o FILE` (with --force once the clerk agrees to replace an existing file), or None: not replaced."""
    from gwgk_cli.cli.deliver import names_folder

    default = str(Path.cwd() / default)
    name = typed_path(ask(f"保存为（直接回车：{default}；也可把文件夹拖进本窗口）", required=False)) or default
    if name.startswith("~"):
        name = str(Path(name).expanduser())
    if Path(name).is_dir() or names_folder(name):  # a folder dragged in or written with its /: the file goes in it
        name = str(Path(name) / Path(default).name)
    if not name.lower().endswith(suffix) or Path(name).name.lower() == suffix:  # 周报 → 周报.docx
        name += suffix
    path = Path(name)
    if path.exists():
        if not confirm(f"{name} 已存在，覆盖它吗？"):
            typer.echo("未覆盖；可换一个文件名再试。")
            return None
        return ["-o", name, "--force"]
    return ["-o", name]


def _unit_of(s: Session, text: str) -> str | None:
    """The unit a clerk typed (全称、简称、拼音首字母; a trailing 。 is fine), or None after saying what the table
    has instead: a 科室 the notice does not name shares the collective unit's tasks (各相关科室)."""
    from gwgk_cli.errors import GwgkError
    from gwgk_cli.units import resolve_unit

    text = text.strip().rstrip("。.，,")
    plan = s.env.tracker.header
    try:
        return resolve_unit(plan, text).name
    except GwgkError as exc:
        typer.echo(clean_line(str(exc)))
    if plan.collective_units:
        typer.echo(clean_line(f"任务表没有单独列出的科室，其任务写作“{plan.collective_name}”：可输入 {plan.collective_name} 查看，"
                              "或直接回车看全部任务。"))
    return None


def _shared(s: Session, tasks: str) -> list[int]:
    """Of these tasks, those the clerk's unit (user.unit) holds only through a collective unit (各相关科室):
    every 科室 answers for them, so one 科室's word does not decide their status or percent for all (as
    with a 填报表: it goes into the note, with the unit's name)."""
    if not s.unit:
        return []
    from gwgk_cli.errors import GwgkError
    from gwgk_cli.queries import parse_ids

    try:
        ids = parse_ids([tasks])
        found = s.env.tracker.tasks(ids)
    except GwgkError:
        return []  # the command says what is wrong with the numbers
    collective = s.env.tracker.header.collective_units  # a unit the table does not name holds only these
    return [t.id for t in found if s.unit not in t.units and collective & set(t.units)]


def _mixed(s: Session, tasks: str, shared: list[int]) -> bool:
    """Tasks of the clerk's own given with shared ones (4,5): said, to be recorded one kind at a time."""
    from gwgk_cli.queries import parse_ids

    own = [t for t in parse_ids([tasks]) if t not in shared]
    if not own:
        return False
    typer.echo(clean_line(f"任务 {'、'.join(map(str, own))} 是本单位的任务，任务 {'、'.join(map(str, shared))} 由"
                          f"“{s.env.tracker.header.collective_name}”共同承担，登记方式不同：请分两次登记。"))
    return True


def _shared_note(s: Session, tasks: str, shared: list[int], note: str, said: str) -> list[str]:
    """The note a 科室 records on tasks it holds through the collective unit: what it said of the status or
    percent in words, after its unit's name, as a 填报表 records it (……（行财科：已完成））."""
    ids = "、".join(map(str, shared))
    typer.echo(clean_line(f"任务 {ids} 由“{s.env.tracker.header.collective_name}”共同承担：本科室的情况记入进展说明"
                          f"（注明{s.unit}），任务的状态和进度由政务公开指导办确定。"))
    words = f"（{s.unit}：{said}）" if said else f"（{s.unit}）"
    return ["note", "--", tasks, f"{note}{words}" if note else f"{s.unit}：{said}"]


def _list(s: Session) -> list[str] | None:
    typed_unit = ask("单位（全称、简称或拼音首字母；直接回车看全部任务）", required=False)
    if not typed_unit:
        return ["list"]
    unit = _unit_of(s, typed_unit)
    if unit is None:
        return None
    collective = s.env.tracker.header.collective_units
    return ["list", "--unit", unit, *(["--collective"] if collective and unit not in collective else [])]


def _show(s: Session) -> list[str] | None:
    return ["show", ask_task()]


def _note(s: Session) -> list[str] | None:
    task = ask_task()
    percent = ask_percent()
    text = ask("进展情况（可粘贴多行）", text=True)
    shared = _shared(s, task)
    if shared and _mixed(s, task, shared):
        return None
    if shared:
        return _shared_note(s, task, shared, text, f"{percent}%" if percent else "")
    if percent == "100" and confirm("完成进度 100%：同时标记为“已完成”吗？"):
        return ["done", f"--note={text}", "--", task]
    return ["note", *([f"--percent={percent}"] if percent else []), "--", task, text]  # a note may start with -


def _done(s: Session) -> list[str] | None:
    task = ask_task("任务序号（可写 4,15）")
    shared = _shared(s, task)
    if shared and _mixed(s, task, shared):
        return None
    if shared:
        return _shared_note(s, task, shared, ask("完成情况", required=False, text=True), "已完成")
    when = ask_date("完成日期", s.today, year=s.env.tracker.header.year)
    note = ask("完成情况说明", required=False, text=True)
    evidence = typed_path(ask("佐证材料：网址或文件（可把文件拖进本窗口）", required=False))
    return ["done", *([f"--date={when}"] if when else []), *([f"--note={note}"] if note else []),
            *([f"--evidence={evidence}"] if evidence else []), "--", task]


def _block(s: Session) -> list[str] | None:
    task, reason = ask_task(), ask("受阻原因", text=True)
    shared = _shared(s, task)
    if shared and _mixed(s, task, shared):
        return None
    if shared:
        return _shared_note(s, task, shared, reason, "受阻")
    return ["block", f"--note={reason}", "--", task]


def _reopen(s: Session) -> list[str] | None:
    task = ask_task()
    shared = _shared(s, task)
    if shared and _mixed(s, task, shared):
        return None
    note = ask("说明（如：问题已解决，恢复推进）", required=False, text=True)
    if shared:
        return _shared_note(s, task, shared, note, "恢复推进")
    return ["reopen", *([f"--note={note}"] if note else []), "--", task]


def _undo(s: Session) -> list[str] | None:
    if not confirm("撤销您最近一次登记的变更吗？（撤销后会显示撤销了哪一条）"):
        return None
    return ["undo"]


def _settings(s: Session) -> list[str] | None:
    """The table file, the clerk's name and unit, each kept in the settings (gwgk config set)."""
    from gwgk_cli.config import load

    values = load()
    asked = [("table.file", "任务表文件（可把文件拖进本窗口）"), ("user.name", "您的姓名"), ("user.unit", "您所在的单位")]
    changed = []
    for key, words in asked:
        now = values.get(key)
        answer = ask(f"{words}（现为：{now or '未设置'}；直接回车不改）", required=False)
        if key == "table.file":
            answer = typed_path(answer)
            if answer and not _a_table(answer):
                continue
        if answer and run([*s.options, "config", "set", "--", key, answer.rstrip("。.")]) == 0:
            changed.append(key)
            if key == "user.unit":
                _named_or_collective(s, answer.rstrip("。."))
    if "table.file" in changed:
        typer.echo("任务表已改：下次打开菜单时生效。")
    elif changed:
        typer.echo("设置已保存。")
    return None


def _a_table(path: str) -> bool:
    """Whether the file is a task table gwgk reads (said when it is not: a notice, a journal, a folder)."""
    from gwgk_cli.store import load_plan

    try:
        load_plan(Path(path))
    except (GwgkError, OSError) as exc:
        from gwgk_cli.safe_write import os_words

        typer.echo(clean_line(f"错误：{path} 不是可用的任务表（{os_words(str(exc))}），未设置"))
        return False
    return True


def _named_or_collective(s: Session, unit: str) -> None:
    """A unit the table does not name is told its tasks are the collective unit's (各相关科室)."""
    from gwgk_cli.units import resolve_unit

    plan = s.env.tracker.header
    try:
        resolve_unit(plan, unit)
    except GwgkError:
        if plan.collective_units:
            typer.echo(clean_line(f"任务表中没有单列“{unit}”：本科室的任务按“{plan.collective_name}”的任务登记"
                                  "（记作本科室的进展说明，任务的状态由政务公开指导办确定）。"))


def _report(s: Session) -> list[str] | None:
    out = output_file(f"周报-{s.week}.docx", ".docx")
    return None if out is None else ["report", *out]


def _export(s: Session) -> list[str] | None:
    out = output_file(f"台账-{s.today.isoformat()}.xlsx", ".xlsx")
    return None if out is None else ["export", *out]


def _bulletin(s: Session) -> list[str] | None:
    out = output_file(f"通报-{s.today.isoformat()}.docx", ".docx")
    return None if out is None else ["bulletin", *out]


def _sheet_out(s: Session) -> list[str] | None:
    default = str(Path.cwd() / f"填报表-{s.week}")
    folder = typed_path(ask(f"放在哪个文件夹（直接回车：{default}）", required=False)) or default
    path = Path(folder)
    if path.is_dir() and any(path.iterdir()):  # it may hold the sheets units sent back: never written over
        typer.echo(clean_line(f"文件夹 {folder} 里已有文件（可能是各单位发回的填报表），未生成；请换一个文件夹再试。"))
        return None
    return ["sheet", "out", "--all-units", "-o", folder]


def _sheet_in(s: Session) -> list[str] | None:
    return ["sheet", "in", *typed_paths(ask("发回的填报表文件或所在文件夹（可把它们拖进本窗口）"))]


def _accept(s: Session) -> list[str] | None:
    task = ask_task("任务序号（可写 4,15）")
    typed_unit = ask(f"签收单位（直接回车：{s.unit}）" if s.unit else "签收单位", required=not s.unit) or s.unit
    unit = _unit_of(s, typed_unit)
    if unit is None:
        return None
    note = ask("说明", required=False, text=True)
    return ["accept", "--unit", unit, *([f"--note={note}"] if note else []), "--", task]


def _log(s: Session) -> list[str] | None:
    from gwgk_cli.cli.base import half_width

    mine = f"本单位（{s.unit}）的全部任务" if s.unit else "全部任务"
    while True:
        task = half_width(ask(f"任务序号（直接回车：{mine}）", required=False)).rstrip("。.")
        if not task or re.fullmatch(r"\d+(\s*[-,，、]\s*\d+)*", task):
            break
        typer.echo(clean_line(f"“{task}”不是任务序号：请输入数字，如 4。"))
    if task:
        return ["log", "--", task]
    return ["log", "--unit", s.unit] if s.unit else ["log"]


def _extend(s: Session) -> list[str] | None:
    task = ask_task()
    due = ask_date("延期至", s.today, future=True)
    reason = ask("延期原因", text=True)
    approved = ask("批准人（直接回车：只登记延期申请，到期日不变；批准后再登记一次并写批准人）", required=False)
    return ["extend", f"--to={due}", f"--note={reason}", *([f"--approved-by={approved}"] if approved else []),
            "--", task]


def _review(s: Session) -> list[str] | None:
    task = ask_task("任务序号（可写 4,15）")
    while True:
        result = ask("审核结果：1 通过并销号，2 退回").rstrip("。.")
        if result in ("1", "１", "通过"):
            note = ask("审核意见", required=False, text=True)
            return ["review", "--pass", *([f"--note={note}"] if note else []), "--", task]
        if result in ("2", "２", "退回"):
            return ["review", "--return", f"--note={ask('退回原因', text=True)}", "--", task]
        typer.echo("请输入 1 或 2。")


# (the words shown, what it asks and the command it builds); the number is the position, from 1
CHOICES: tuple[tuple[str, Callable[[Session], list[str] | None]], ...] = (
    ("查看任务清单（可按单位）", _list),
    ("查看一项任务的详情和进展", _show),
    ("登记进展", _note),
    ("标记完成", _done),
    ("标记受阻", _block),
    ("恢复推进（已完成或受阻的任务）", _reopen),
    ("撤销我最近一次登记", _undo),
    ("红黄绿灯预警", lambda s: ["warn"]),
    ("生成本周周报（Word）", _report),
    ("导出台账（Excel）", _export),
    ("生成通报（Word）", _bulletin),
    ("生成各单位填报表（Excel）", _sheet_out),
    ("导入各单位发回的填报表", _sheet_in),
    ("查看正在使用的任务表和记录文件", lambda s: ["info"]),
    ("设置：任务表文件、我的姓名和单位", _settings),
    ("签收任务", _accept),
    ("查看进展历史", _log),
    ("延期（指导办）", _extend),
    ("审核销号（指导办）", _review),
    ("催办：预览要发给各单位的催办内容（指导办）", lambda s: ["remind"]),
)
_HEADINGS = {16: "督办"}  # a line before these numbers


_SETTINGS = next(n for n, (_, f) in enumerate(CHOICES, 1) if f is _settings)


def menu_text() -> str:
    lines = ["", "gwgk 政务公开重点工作任务跟踪 —— 请输入编号后按回车：", ""]
    for number, (words, _) in enumerate(CHOICES, 1):
        if number in _HEADINGS:
            lines.append(f"  —— {_HEADINGS[number]} ——")
        lines.append(f"  {number:>2}  {words}")
    lines += ["   0  退出", ""]
    return "\n".join(lines)


def shown(argv: list[str]) -> str:
    """The command as it would be typed: quoted only where a space or quote needs it."""
    def one(arg: str) -> str:
        if arg and not re.search(r"[\s\"'&|<>;`$]", arg):
            return arg
        return '"' + arg.replace('"', '\\"') + '"'
    return clean_line(" ".join(["gwgk", *map(one, argv)]))


def pick(answer: str) -> Callable[[Session], list[str] | None] | None:
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
    """菜单：按编号选择要做的事（查看、登记、预警、周报、台账、填报表、设置），并显示对应的命令。

    在终端里只输入 gwgk（或在 Windows 上双击 gwgk）也会打开菜单。每一步直接按回车（或按 Ctrl-C）即返回菜单。"""
    e = env(ctx)
    root = ctx.find_root().params
    options = (*(["-f", str(Path(root["file"]).absolute())] if root.get("file") else []),  # the menu may move
               *(["--today", root["today"]] if root.get("today") else []))
    _where_the_clerk_works(e)
    _first_run(list(options))
    session = Session(e.today, e, _configured_unit(e), options)
    typer.echo("需要帮助时：gwgk -h 列出全部命令，gwgk 命令 -h 说明一个命令。")
    while True:
        try:
            went_on = _round(session)
        except KeyboardInterrupt:  # Ctrl-C between two questions (not while one is asked): the menu
            typer.echo("")
            continue
        if went_on is None:
            break
        session = went_on
    typer.echo("已退出。")


def _round(session: Session) -> Session | None:
    """The menu shown, one choice asked and run, Enter waited for: the session to go on with (the clerk's unit
    may have changed), or None to leave (0, Ctrl-C at the menu, the input ended)."""
    typer.echo(menu_text())
    try:
        answer = typed("编号：")
    except (typer.Abort, Back):  # Ctrl-C at the menu, or the input ended (Ctrl-D, Ctrl-Z)
        return None
    try:
        choice = pick(answer)
    except ValueError:
        if answer.strip():
            typer.echo(clean_line(f"没有编号“{answer.strip()}”：请输入 0–{len(CHOICES)} 之间的编号。"))
        return session
    if choice is None:
        return None
    try:
        argv = choice(session)
    except Back:
        typer.echo("已返回菜单，未做任何事。")
        return session
    except typer.Abort:  # the input ended (Ctrl-D, Ctrl-Z)
        return None
    except (GwgkError, OSError, ValueError) as exc:  # a table that cannot be read, a path too long …: said
        from gwgk_cli.safe_write import os_reason, os_words

        why = os_reason(exc, exc.filename) if isinstance(exc, OSError) and exc.filename else os_words(str(exc))
        typer.echo(clean_line(f"错误：{why}"))
        return session
    if argv is None:
        return session
    typer.echo(f"相当于输入：{shown(argv)}")
    typer.echo("")
    options = list(session.options)
    code = run([*options, *argv])
    if code in _INTERRUPTED:  # Ctrl-C reached the command: it has said what it did
        typer.echo("\n已中断。")
    elif code == 2 and argv[:2] == ["sheet", "in"] and _sheets_given(argv[2]) and _partial_wanted():
        run([*options, *argv[:2], "--partial", *argv[2:]])
    if choice is _settings:
        session = session._replace(unit=_configured_unit(session.env))
    try:
        typed("\n按回车键返回菜单")
    except Back:  # Ctrl-C: the menu, as at a question
        pass
    except typer.Abort:
        return None
    return session


# A command's exit status after Ctrl-C: 130 (a shell's), -2 (SIGINT) on POSIX; STATUS_CONTROL_C_EXIT on Windows.
_INTERRUPTED = frozenset({130, -2, 0xC000013A, 0xC000013A - 2**32})


def _sheets_given(path: str) -> bool:
    """Whether `sheet in` was given workbooks or a folder (not a device, a journal, a .docx): only then can
    some of its rows be recorded without the others."""
    target = Path(path)
    return target.is_dir() or (target.is_file() and target.suffix.lower() in (".xlsx", ".xlsm", ".xls"))


def _partial_wanted() -> bool:
    """After a 填报表 refused for its problems: record the rows without any (sheet in --partial)?"""
    try:
        return confirm("只登记没有问题的行、其余留待改正后再导入吗？")
    except typer.Abort:
        return False


def _configured_unit(e: "Env") -> str:
    """The clerk's unit (config user.unit) as the table names it; as set when the table does not name it (a
    科室 whose tasks are the collective unit's: 法制科 under 各相关科室); "" when not set."""
    from gwgk_cli.config import get
    from gwgk_cli.units import resolve_unit

    try:
        unit = get("user.unit")
    except (GwgkError, OSError):
        return ""
    if not unit:
        return ""
    try:
        return resolve_unit(e.tracker.header, str(unit)).name
    except (GwgkError, OSError):
        return str(unit).strip()


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
    would be written there and the table not found. Work in the configured table's folder, else Documents.
    A table that cannot be found or read is said, and the menu still opens: its settings can fix it."""
    from gwgk_cli.paths import configured_table

    here = Path.cwd().resolve()
    program = Path(sys.executable).resolve().parent
    try:
        if here in (program, program.parent) or Path(sys.prefix).resolve() in (here, *here.parents):
            table = configured_table()
            home = Path.home()
            target = table.parent if table is not None else next(
                (p for p in (home / "Documents", home / "文档", home) if p.is_dir()), home)
            os.chdir(target)
            typer.echo(clean_line(f"当前文件夹：{target}（在程序所在的文件夹中打开，已改到这里）"))
        location = e.location
    except (GwgkError, OSError) as exc:
        typer.echo(clean_line(f"错误：{exc}"))
        typer.echo(f"可选 {_SETTINGS} 设置要用的任务表文件（把文件拖进本窗口即可）。")
        return
    typer.echo(clean_line(f"进展记录：{location.where()}"))
    if location.bundled:
        typer.echo(f"提示：正在使用内置的 2021 任务表；本单位的任务表可选 {_SETTINGS} 设置"
                   "（放在共用文件夹中，各科室的登记才汇到一起）。")


def _first_run(options: list[str]) -> None:
    """No name configured (gwgk would sign changes with the login name, or with whatever name git has on this
    PC): ask once and keep it in the settings, with the clerk's unit."""
    from gwgk_cli.config import default_user, get

    try:
        if default_user()[1] not in ("login", "git"):
            return
        unit = get("user.unit")
    except GwgkError as exc:  # a settings file that cannot be read: said, and the menu opens
        typer.echo(clean_line(f"错误：{exc}"))
        return
    typer.echo("第一次使用：登记进展时要写明登记人。")
    try:
        name = ask("您的姓名（保存在设置中，以后不再询问）", required=False)
        where = "" if unit else ask("您所在的单位（如 行财科）", required=False)
    except (typer.Abort, Back):
        return
    if name:
        run([*options, "config", "set", "--", "user.name", name])
    if where:
        run([*options, "config", "set", "--", "user.unit", where.rstrip("。.")])
