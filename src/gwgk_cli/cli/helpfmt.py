"""`gwgk … -h` laid out for Chinese: lines measured in display columns (a Chinese character takes two), broken
by the Chinese line-breaking rules (render/cjkwrap), nothing cut off with `...`, Chinese placeholders.

Click's own formatter counts characters and wraps at spaces, so a Chinese help line ran past an 80-column
window and its next line began with `，`; the command list cut descriptions with `...`. The help is
written here through the public hooks Typer gives (a command's format_help, its parameters'
get_help_record, the formatter's width and write) and only imported when help is shown.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from typing import Any

from gwgk_cli.render.cjkwrap import text_width, wrap

INDENT = 2
FIRST_COLUMN_MOST = 26  # an option's names and placeholder wider than this: its help starts on the next line
# Click's bracketed extras after a help text ([default: 30]; [required]; [x>=0]) as Chinese sentences.
_EXTRA_WORDS: list[tuple[str, str]] = [
    (r"^default: (.*)$", r"默认：\1。"),
    (r"^required$", "必填。"),
    (r"^x>=(-?\d+)$", r"取值不小于 \1。"),
    (r"^x<=(-?\d+)$", r"取值不大于 \1。"),
    (r"^(-?\d+)<=x<=(-?\d+)$", r"取值 \1–\2。"),
]
_USAGE_WORDS: list[tuple[str, str]] = [
    (r"\[OPTIONS\]", "[选项]"),
    (r"COMMAND \[ARGS\]\.\.\.", "命令 [参数]..."),
]


def joined(text: str) -> str:
    """A docstring paragraph's lines as one line: no space where a Chinese line was broken in the source."""
    out = ""
    for line in text.split("\n"):
        line = line.strip()
        if out and line and (text_width(out[-1]) == 1 and text_width(line[0]) == 1):
            out += " "
        out += line
    return out


def paragraphs(text: str) -> list[str]:
    return [joined(p) for p in re.split(r"\n\s*\n", inspect.cleandoc(text).partition("\f")[0]) if p.strip()]


def hanging(first: str, rest: str, width: int, indent: int) -> list[str]:
    """`first` then `rest` wrapped, the continuation lines indented by `indent` columns."""
    room = max(width - indent, 10)
    lines = wrap(rest, max(width - text_width(first), 10))
    head, tail = lines[0], "".join(lines[1:])
    out = [first + head]
    if tail:
        out += [" " * indent + line for line in wrap(tail, room)]
    return out


def two_columns(rows: Sequence[tuple[str, str]], width: int) -> list[str]:
    """Rows of (name, description): the descriptions in a column after the names, wrapped to the width;
    a name too wide for the column stands on its own line, its description under the column."""
    fitting = [text_width(name) for name, _ in rows if text_width(name) <= FIRST_COLUMN_MOST]
    column = INDENT + (max(fitting) if fitting else FIRST_COLUMN_MOST) + 2
    room = max(width - column, 16)
    out: list[str] = []
    for name, text in rows:
        lines = wrap(text, room) if text else []
        first = " " * INDENT + name
        if text_width(first) + 2 <= column:
            out.append((first + " " * (column - text_width(first)) + (lines[0] if lines else "")).rstrip())
            lines = lines[1:]
        else:
            out.append(first)
        out += [" " * column + line for line in lines]
    return out


def _extra(text: str, help_text: str, argument: bool) -> str:
    out = ""
    for part in text.split("; "):
        if argument and part == "required":  # an argument is required unless its placeholder is in [ ]
            continue
        for pattern, word in _EXTRA_WORDS:
            if re.match(pattern, part):
                part = re.sub(pattern, word, part)
                break
        if part.rstrip("。") not in help_text:
            out += part
    return out


def _record(param: Any, ctx: Any) -> tuple[str, str] | None:
    record = param.get_help_record(ctx)
    if record is None:
        return None
    name, text = record
    found = re.search(r"\s*\[([^\[\]]*)\]$", text)
    if found and re.search(r"default:|required|x[<>]=|<=x", found[1]):
        before = text[: found.start()]
        text = before + _extra(found[1], before, getattr(param, "param_type_name", "") == "argument")
    return name, text.strip()


def usage_line(command: Any, ctx: Any) -> str:
    pieces = [command.options_metavar or ""] if command.options_metavar else []
    for param in command.get_params(ctx):
        if getattr(param, "param_type_name", "") == "argument":
            pieces.append(param.metavar or str(param.name))
    if hasattr(command, "list_commands"):
        pieces.append("COMMAND [ARGS]...")
    text = " ".join(p for p in pieces if p)
    for pattern, word in _USAGE_WORDS:
        text = re.sub(pattern, word, text)
    return f"{ctx.command_path} {text}".rstrip()


def help_text(command: Any, ctx: Any, width: int) -> str:
    """The whole help of `command`: usage, description, arguments, options, and a group's commands."""
    lines = hanging("用法：", usage_line(command, ctx), width, text_width("用法："))
    for paragraph in paragraphs(command.help or ""):
        lines.append("")
        lines += [" " * INDENT + line for line in wrap(paragraph, width - INDENT)]
    params = command.get_params(ctx)
    arguments = [r for p in params if getattr(p, "param_type_name", "") == "argument" and getattr(p, "help", None)
                 for r in [_record(p, ctx)] if r]
    options = [r for p in params if getattr(p, "param_type_name", "") != "argument" for r in [_record(p, ctx)] if r]
    for title, rows in (("参数：", arguments), ("选项：", options)):
        if rows:
            lines += ["", title, *two_columns(rows, width)]
    if hasattr(command, "list_commands"):
        rows = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or getattr(sub, "hidden", False):
                continue
            first = paragraphs(sub.short_help or sub.help or "")
            rows.append((name, first[0] if first else ""))
        if rows:
            lines += ["", "命令：", *two_columns(rows, width)]
    from gwgk_cli.cli.examples import example_lines, examples_of

    examples = examples_of(ctx.command_path)
    if examples:
        lines += ["", "示例：", *example_lines(examples, width, INDENT)]
    return "\n".join(lines) + "\n"
