"""The menu's questions (cli/menu.py): one line typed at the console, read as a clerk means it — full-width
digits, a trailing 。, a path dragged into the window with the quotes Windows adds, text pasted with its line
breaks — and asked again until it is what the question needs. Enter where an answer is needed, or Ctrl-C,
goes back to the menu (Back)."""


import datetime as dt
import os
import re
import sys
from pathlib import Path

import typer

from gwgk_cli.sanitize import clean_line


class Back(Exception):
    """Enter where an answer is needed, or Ctrl-C at a question: the choice is dropped and the menu shown again."""


def _more_lines() -> list[str]:
    """Lines that came with the one just read: text pasted with its line breaks (a note copied from Word)
    arrives as several lines at once. Read now, they are not taken as the answers to the next questions."""
    if not sys.stdin.isatty():
        return []
    out: list[str] = []
    try:
        if os.name == "nt":
            import msvcrt

            while msvcrt.kbhit():  # type: ignore[attr-defined,unused-ignore]
                out.append(sys.stdin.readline().rstrip("\r\n"))
        else:
            import select

            while select.select([sys.stdin], [], [], 0.05)[0]:
                line = sys.stdin.readline()
                if not line:
                    break
                out.append(line.rstrip("\n"))
    except (OSError, ValueError):
        pass
    return out


def console_interrupt() -> bool:
    """Whether an end of input at a Windows console was a Ctrl-C: Windows' console reads a Ctrl-C as an empty read
    and Python raises EOFError unless the interrupt's signal arrived within 0.1 s (it may come later, or the event
    be left set by a Ctrl-C that stopped a command; python/cpython#141381; found by a Windows review). Waiting a
    moment lets a late KeyboardInterrupt arrive: it is one. Elsewhere (and for a real Ctrl-Z + Enter): False."""
    if sys.platform != "win32" or not sys.stdin.isatty():
        return False
    import time

    try:
        time.sleep(0.25)
    except KeyboardInterrupt:
        return True
    return False


def typed(prompt: str, *, text: bool = False) -> str:
    """A line typed after `prompt` (piped, echoed, so the transcript reads as on a console). `text`: a note,
    whose pasted lines are one answer, joined by spaces; elsewhere lines pasted with it are dropped. Ctrl-C
    goes back to the menu (Back), also when it comes while the prompt is still being written; the end of the
    input (Ctrl-D, Ctrl-Z) is typer.Abort."""
    try:
        return _typed(prompt, text)
    except KeyboardInterrupt:
        typer.echo("")
        raise Back from None


def _typed(prompt: str, text: bool) -> str:
    typer.echo(prompt, nl=False)
    try:
        answer = input()
    except EOFError:
        typer.echo("")
        if console_interrupt():
            raise KeyboardInterrupt from None
        raise typer.Abort from None
    if not sys.stdin.isatty():
        typer.echo(clean_line(answer))
    more = _more_lines()
    if more and text:
        # A paste's last line, without a line break after it, is still being edited: Enter brings it.
        typer.echo(clean_line(f"（已读入粘贴的 {1 + len(more)} 行；最后一行如还在输入处，请按回车键）"), nl=False)
        try:
            more.append(input())
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
        answer = " ".join(part.strip() for part in [answer, *more] if part.strip())
    elif more:
        typer.echo(clean_line(f"（同时粘贴的其余 {len(more)} 行未使用）"))
    return "".join(ch for ch in answer if ch >= " " or ch == "\t")  # no NUL, no control character


def ask(question: str, *, required: bool = True, text: bool = False) -> str:
    """One answer typed at the console, outer spaces removed; Enter on a needed answer goes back to the menu."""
    hint = "" if required or "直接回车" in question else "（可不填，直接回车）"
    while True:
        answer = typed(f"{question}{hint}：", text=text).strip()
        if required and not answer:
            raise Back
        problem = _note_problem(answer) if text and answer else None
        if problem is None:
            return answer
        typer.echo(clean_line(f"{problem}，请重新输入（直接回车返回菜单）。"))


def _note_problem(text: str) -> str | None:
    """Why a note typed at the menu would be refused by the command (too long …), before it is run."""
    from gwgk_cli.journal import field_problem

    return field_problem("note", text, "内容")


def ask_task(question: str = "任务序号") -> str:
    """Task numbers (4, 4,15, 14-16; full-width digits too), asked again until they look like numbers."""
    from gwgk_cli.cli.base import half_width

    while True:
        answer = ask(question)
        if re.fullmatch(r"\d+(\s*[-,，、]\s*\d+)*", half_width(answer).rstrip("。.")):
            return half_width(answer).rstrip("。.")
        typer.echo(clean_line(f"“{answer}”不是任务序号：请输入数字，如 4（直接回车返回菜单）。"))


def ask_percent() -> str:
    """A percent 0–100 (full-width digits and % fine), asked again until it is one; "" when not given."""
    from gwgk_cli.cli.base import half_width

    while True:
        answer = half_width(ask("完成进度 0–100", required=False)).rstrip("%。.")
        if not answer or (answer.isdigit() and 0 <= int(answer) <= 100):
            return answer
        typer.echo(clean_line(f"“{answer}”不是 0–100 的整数，请重新输入（不填直接回车）。"))


def ask_date(question: str, today: dt.date, *, future: bool = False, year: int | None = None) -> str:
    """A date (2021-11-20, 2021.11.20, 11月20日 of this year …), asked again until gwgk reads it; "" for today.
    `future`: a date to come (延期至), needed, and later than today; `year`: the table's year, which a date
    may not precede (the command would refuse it: actions.check_when)."""
    from gwgk_cli.cli.base import half_width, parse_date
    from gwgk_cli.errors import GwgkError

    while True:
        hint = "" if future else f"（直接回车：今天 {today.isoformat()}）"
        answer = half_width(ask(f"{question}{hint}", required=future))
        if not answer:
            return ""
        if re.fullmatch(r"\d{1,2}\s*[月/.-]\s*\d{1,2}\s*[日号]?", answer):  # 11月20日: this year
            answer = f"{today.year}年{answer}"
        try:
            day = parse_date(answer)
        except GwgkError as exc:
            typer.echo(clean_line(f"{exc}，请重新输入。"))
            continue
        if day > today and not future:
            typer.echo(clean_line(f"{day.isoformat()} 晚于今天，请重新输入。"))
            continue
        if day <= today and future:
            typer.echo(clean_line(f"{day.isoformat()} 不晚于今天，请重新输入。"))
            continue
        if year is not None and day.year < year:
            typer.echo(clean_line(f"{day.isoformat()} 早于任务表的年度（{year} 年），请重新输入。"))
            continue
        return day.isoformat()


def typed_paths(text: str) -> list[str]:
    """The paths of several files dragged into the console window at once (Explorer drops them quoted, one
    after another: "C:\\回收\\行财科.xlsx" "C:\\回收\\法制科.xlsx"; found by a Windows review), or the one path
    `typed_path` reads. Unquoted words are taken apart only when each of them is a file or folder that exists."""
    whole = typed_path(text)
    if not whole or Path(whole).exists():
        return [whole] if whole else []
    parts = [q1 or q2 or q3 or bare for q1, q2, q3, bare in
             re.findall(r'"([^"]+)"|\'([^\']+)\'|“([^”]+)”|(\S+)', text.strip().removeprefix("& "))]
    quoted = len(re.findall(r'"[^"]+"|\'[^\']+\'|“[^”]+”', text)) > 1
    if len(parts) > 1 and (quoted or all(Path(part).exists() for part in parts)):
        return parts  # quoted: each file is named as sheet in finds it, there or not
    return [whole]


def typed_path(text: str) -> str:
    """A path as typed or dragged into the console window: Windows quotes it ("C:\\a b\\x.xlsx"), PowerShell
    adds `& '…'`, other terminals quote it with ' or escape spaces with \\."""
    text = text.strip()
    if text.startswith("& "):
        text = text[2:].strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if len(text) >= 2 and (text[0], text[-1]) in (("“", "”"), ("‘", "’"), ("「", "」")):  # typed with an IME
        return text[1:-1].strip()
    if os.sep == "/" and "\\ " in text:
        return text.replace("\\ ", " ")
    return text
