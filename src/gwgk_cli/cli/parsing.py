"""The command line before and around Click's parser: argv checks, global options where users type them,
and Chinese for the parser's own messages (usage errors, help headings, completion install).

Everything here works on what Typer exposes publicly: the exception's attributes (`ctx`, `param`,
`option_name`, `possibilities`, `message`) and the command's parameters. The parser's English texts
are matched by pattern; an unknown one still becomes one Chinese line (with the original in brackets).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from gwgk_cli.sanitize import clean_line

# The root group's options that take a value, and may be typed after the subcommand too.
GLOBAL_WITH_VALUE = ("--file", "-f", "--today")


def bad_argv_text(argv: Iterable[str]) -> str | None:
    """The first argument that is not valid UTF-8 text (Python keeps undecodable bytes as lone
    surrogates, `surrogateescape`), shown with the bad bytes escaped; None when all are fine."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raw = arg.encode("utf-8", "surrogateescape") if _only_escaped(arg) else arg.encode("utf-8", "replace")
            return clean_line(raw.decode("utf-8", "backslashreplace"))
    return None


def _only_escaped(text: str) -> bool:
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def _takes_value(command: Any) -> set[str]:
    """The option strings of `command` that consume the next argument."""
    names: set[str] = set()
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") != "option" or getattr(param, "is_flag", False):
            continue
        if getattr(param, "count", False) or getattr(param, "nargs", 1) == 0:
            continue
        names.update(getattr(param, "opts", ()))
    return names


def _global_token(arg: str) -> int:
    """How many tokens a global option starting at `arg` spans (0: not a global option)."""
    if arg in GLOBAL_WITH_VALUE:
        return 2
    if arg.startswith(("--file=", "--today=")) or (arg.startswith("-f") and not arg.startswith("--") and len(arg) > 2):
        return 1
    return 0


def hoist_global_options(argv: Sequence[str], command_of: Any) -> list[str]:
    """`gwgk list --unit X --today D` → `gwgk --today D list --unit X`: global options typed after the
    subcommand move in front of it, so Click's group parses them. `command_of(name)` gives the Click
    command for a name (or None); its own value-taking options keep their values (`--search --today`
    searches for "--today"), and nothing after `--` moves.
    """
    args = list(argv)
    i = 0
    while i < len(args):  # find the subcommand: skip the global options before it
        step = _global_token(args[i])
        if step:
            i += step
        elif args[i].startswith("-"):
            return args  # --help, --version, completion: nothing to move
        else:
            break
    if i >= len(args):
        return args
    command = command_of(args[i])
    if command is None:
        return args
    own = _takes_value(command)
    front, rest = args[: i], [args[i]]
    j = i + 1
    while j < len(args):
        arg = args[j]
        if arg == "--":
            rest.extend(args[j:])
            break
        if arg in own:
            rest.extend(args[j: j + 2])
            j += 2
            continue
        step = _global_token(arg)
        if step and arg not in own and not any(arg.startswith(o + "=") for o in own if o.startswith("--")):
            front.extend(args[j: j + step])
            j += step
            continue
        rest.append(arg)
        j += 1
    return front + rest


# ----------------------------------------------------------------------------- usage errors in Chinese

# Patterns are plain strings, compiled (and cached by re) only when a message is shown: start-up stays fast.
_PATTERNS: list[tuple[str, str]] = [
    (r"No such option: (?P<a>\S+)", "没有选项 {a}"),
    (r"Got unexpected extra argument(?:\(s\)|s)? \((?P<a>.*)\)", "多余的参数：{a}"),
    (r"Option '(?P<a>[^']+)' requires an argument\.", "选项 {a} 需要一个值"),
    (r"Option '(?P<a>[^']+)' requires (?P<n>\d+) arguments\.", "选项 {a} 需要 {n} 个值"),
    (r"Option '(?P<a>[^']+)' does not take a value\.", "选项 {a} 不接受值"),
    (r"No such command '(?P<a>[^']*)'\.(?: Did you mean (?P<b>.*)\?)?", "没有命令 “{a}”{b}"),
    (r"Missing command\.", "缺少命令"),
    (r"Argument '(?P<a>[^']+)' takes (?P<n>\d+) values\.", "参数 {a} 需要 {n} 个值"),
]

_VALUE_REASONS: list[tuple[str, str]] = [
    (r"'(?P<a>.*)' is not one of (?P<b>.*?)\.?$", "“{a}” 不是可选的值（可选：{b}）"),
    (r"greater than or equal to (?P<a>-?\d+)", "应为不小于 {a} 的整数"),
    (r"less than or equal to (?P<a>-?\d+)", "应为不大于 {a} 的整数"),
    # Typer 0.26–0.28 (Click's IntRange): "-1 is not in the range x>=0.", "'x' is not a valid int range."
    (r"not in the range x>=(?P<a>-?\d+)", "应为不小于 {a} 的整数"),
    (r"not in the range x<=(?P<a>-?\d+)", "应为不大于 {a} 的整数"),
    (r"valid integer|valid int range", "应为整数"),
    (r"valid number|valid float", "应为数字"),
    (r"valid boolean", "应为 true 或 false"),
]


def _names(text: str) -> str:
    """'a', 'b' → a、b"""
    return "、".join(part.strip().strip("'\"") for part in text.split(",") if part.strip())


def _hint(exc: Any) -> str:
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")] or list(getattr(param, "opts", ()))
        if getattr(param, "param_type_name", "") == "argument":
            metavar = getattr(param, "metavar", None)  # the Chinese placeholder (cli/base.chinese_metavar)
            if metavar:
                return str(metavar).strip("[]").removesuffix("...").removesuffix("]")
            return str(getattr(param, "name", "") or "").upper()
        return " / ".join(opts) or str(getattr(param, "name", ""))
    if hint is None:
        return ""
    return hint if isinstance(hint, str) else " / ".join(hint)


def usage_error_text(exc: Any) -> str:
    """One Chinese line (without `错误: `) for a Click usage error raised while parsing the command line."""
    message = str(getattr(exc, "message", "") or "")
    param = getattr(exc, "param", None)
    if param is not None or hasattr(exc, "param_hint"):
        hint = _hint(exc)
        if hasattr(exc, "param_type"):  # a missing argument or option
            what = "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"
            help_text = getattr(param, "help", None)
            said = help_text.rstrip("。") if help_text else ""
            return f"缺少{what} {hint}" + (f"（{said}）" if said and said != hint else "")
        reason = _value_reason(message)
        return f"{hint} 的值无效：{reason}" if hint else f"值无效：{reason}"
    for pattern, template in _PATTERNS:
        found = re.search(pattern, message)
        if found:
            groups = {k: (v or "") for k, v in found.groupdict().items()}
            if template.startswith("没有命令") and groups.get("b"):
                groups["b"] = f"（是否想用 {_names(groups['b'])}？）"
            elif template.startswith("没有命令") and getattr(getattr(exc, "ctx", None), "parent", None) is None:
                groups["b"] = _command_word_hint(groups["a"])
            if template.startswith("多余的参数"):
                groups["a"] = groups["a"].strip()
                template += extra_argument_hint(exc, groups["a"])
            text = template.format(**groups)
            possibilities = getattr(exc, "possibilities", None)
            if possibilities:
                text += f"（相近的选项：{'、'.join(sorted(possibilities))}）"
            return clean_line(text)
    return clean_line(f"命令行有误（{message}）")


# The Chinese words a clerk may type for a command: `gwgk 列表` suggests `gwgk list`.
COMMAND_WORDS: dict[str, str] = {
    "列表": "list", "清单": "list", "列出": "list", "任务": "list", "筛选": "list", "查找": "list -q 文字",
    "查看": "show", "显示": "show", "详情": "show", "预警": "warn", "警告": "warn", "红灯": "warn", "黄灯": "warn",
    "周报": "report", "报告": "report", "导出": "export", "台账": "export -o 台账.xlsx", "通报": "bulletin",
    "撤销": "undo", "撤回": "undo", "开始": "start", "推进": "start", "完成": "done", "受阻": "block",
    "重新打开": "reopen", "进展": "note", "备注": "note", "登记": "note", "记录": "log", "历史": "log", "日志": "log",
    "单位": "units", "科室": "units", "提纲": "sections", "目录": "sections", "检查": "doctor", "信息": "info",
    "催办": "remind", "签收": "accept", "延期": "extend", "审核": "review", "销号": "review --pass",
    "导入": "import", "配置": "config", "设置": "config", "填报表": "sheet", "填报": "sheet", "帮助": "-h",
}


def _command_word_hint(word: str) -> str:
    found = COMMAND_WORDS.get(word.strip())
    if found is None:
        found = next((cmd for key, cmd in COMMAND_WORDS.items() if key in word or (len(word) >= 2 and word in key)), None)
    return f"（是否想用 gwgk {found}？）" if found else ""


def extra_argument_hint(exc: Any, extra: str) -> str:
    """What an extra argument was probably meant as: a unit name (`gwgk list 行财科` → --unit 行财科), a
    status (--status), a signal (--signal). Empty when nothing fits."""
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command", None)
    options = {o for p in getattr(command, "params", ()) for o in getattr(p, "opts", ())}
    word = extra.split()[0].strip("'\"") if extra.split() else ""
    if not word:
        return ""
    if "--status" in options:
        from gwgk_cli.model import parse_status_word

        try:
            parse_status_word(word)
            return f"（按状态筛选请写 --status {word}）"
        except ValueError:
            pass
    if "--signal" in options:
        from gwgk_cli.signals import parse_signals

        try:
            parse_signals([word.removesuffix("色")])
            return f"（按信号筛选请写 --signal {word}）"
        except Exception:  # noqa: BLE001 - not a signal word
            pass
    if "--unit" in options and ctx is not None:
        from gwgk_cli.cli.base import Env
        from gwgk_cli.errors import GwgkError
        from gwgk_cli.units import unit_candidates

        obj = ctx.find_root().obj
        try:
            plan = obj.tracker.header if isinstance(obj, Env) else None
            if plan is not None and unit_candidates(plan, word):
                return f"（按单位筛选请写 --unit {word}）"
        except (GwgkError, OSError):
            pass
    return ""


def single_dash_option(argv: Sequence[str], command_of: Any) -> str | None:
    """`gwgk list -unit 行财科`: a long option written with one dash (read as -u nit). The message, or None."""
    names = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] not in GLOBAL_WITH_VALUE)]
    command = command_of(names[0]) if names else None
    options = {o for p in getattr(command, "params", ()) for o in getattr(p, "opts", ())}
    options.update(("--file", "--today", "--help", "--version"))
    values = _takes_value(command) if command is not None else set()
    previous = ""
    for arg in argv:
        if arg == "--":
            break
        long = "-" + arg
        if (arg.startswith("-") and not arg.startswith("--") and len(arg) > 3 and long in options
                and previous not in values and previous not in GLOBAL_WITH_VALUE):
            return f"选项 {arg} 应写作 {long}（长选项要两个短横 --）"
        previous = arg
    return None


def _value_reason(message: str) -> str:
    text = message.removeprefix("Value error, ")
    for pattern, template in _VALUE_REASONS:
        found = re.search(pattern, text)
        if found:
            groups = found.groupdict()
            if "b" in groups:
                groups["b"] = _names(groups["b"])
            return clean_line(template.format(**groups))
    return clean_line(f"无法识别（{text}）")


def help_hint(exc: Any) -> str:
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return "运行 gwgk -h 查看用法"
    return f"运行 {ctx.command_path} -h 查看用法"


# ----------------------------------------------------------------------------- help text in Chinese

_HELP_WORDS: list[tuple[str, str]] = [
    (r"^Usage: ", "用法："),
    (r"^Options:$", "选项："),
    (r"^Commands:$", "命令："),
    (r"^Arguments:$", "参数："),
    (r"\[OPTIONS\]", "[选项]"),
    (r"COMMAND \[ARGS\]\.\.\.", "命令 [参数]..."),
    (r"\[default: ", "[默认："),
    (r"\[required\]", "[必填]"),
    # Same display width as the English label, so the help columns stay aligned.
    (r"<list\[str\]>", "文字...    "),
    (r"<str>", "文字 "),
    (r"<int>", "整数 "),
    # Typer 0.26–0.27 write Click's metavars instead.
    (r"(?<= )TEXT(?=(?:\.\.\.)? )", "文字"),
    (r"(?<= )INTEGER(?= )", "整数   "),
    (r"\[x>=(\d+)\]", r"[≥\1]"),
    (r"\[(\d+)<=x<=(\d+)\]", r"[\1–\2]"),
]


def chinese_help(text: str) -> str:
    """Click's help and usage text with its English headings in Chinese."""
    for pattern, word in _HELP_WORDS:
        text = re.sub(pattern, word, text, flags=re.M)
    return text


def chinese_install_completion(original: Any) -> Any:
    """Typer's `--install-completion` callback, its English report turned into Chinese."""

    def callback(ctx: Any, param: Any, value: Any) -> Any:
        import contextlib
        import io

        import typer

        if not value or ctx.resilient_parsing:
            return value
        buf = io.StringIO()
        code: Any = 0
        try:
            with contextlib.redirect_stdout(buf):
                original(ctx, param, value)
        except SystemExit as exc:
            code = exc.code
        found = re.search(r"^(?:Shells\.)?(\S+) completion installed in (.+)$", buf.getvalue(), re.M)
        if found:
            typer.echo(f"已为 {found[1]} 安装命令补全：{found[2]}")
            typer.echo("重新打开终端后生效。")
        else:
            typer.echo(buf.getvalue(), nl=False)
        raise typer.Exit(code if isinstance(code, int) else 1)

    callback.gwgk_chinese = True  # type: ignore[attr-defined]
    return callback
