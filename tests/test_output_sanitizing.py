"""Nothing injected: text from users (notes, --by, evidence) and from the task table reaches the
terminal, TSV and CSV with control characters and bidi overrides escaped, and spreadsheet cells never
start a formula. JSON keeps the exact text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk_cli.render import plain
from gwgk_cli.sanitize import cell, clean, clean_line, is_formula_like, needs_cleaning, print_line

ESC_CLEAR = "\x1b[2J"
OSC8 = "\x1b]8;;http://evil.example/\x07点此\x1b]8;;\x07"
RLO = "\u202e"
HOSTILE = f"{ESC_CLEAR}清屏 {OSC8} {RLO}txt.exe \x00空 \x9b31m"
NOTE = HOSTILE.replace("\x00", "")  # a journal never takes NUL (it would refuse the line when read back)
RAW_BITS = ("\x1b", "\x07", "\u202e", "\x00", "\x9b")
ESCAPED_BITS = ("\\x1b[2J", "\\x1b]8;;http://evil.example/\\x07", "\\u202e", "\\x00", "\\x9b")

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"点此\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)",
            "\t=1+1", "\r=1+1", " =1+1"]


def console_script() -> str:
    beside = Path(sys.executable).parent / ("gwgk.exe" if os.name == "nt" else "gwgk")
    return str(beside)


def no_raw_controls(text: str) -> None:
    for bit in RAW_BITS:
        assert bit not in text, (bit, text)


def hostile_table(table: Path) -> None:
    """Task 4's title and requirement carry the hostile text (a table from a careless or hostile file)."""
    text = table.read_text(encoding="utf-8")
    start = text.index("\n  - id: 4\n")
    title_at = text.index("    title: ", start)
    line_end = text.index("\n", title_at)
    hostile = json.dumps("标题" + HOSTILE.replace("\x00", ""), ensure_ascii=True)  # YAML takes JSON escapes
    text = text[:title_at] + f"    title: {hostile}" + text[line_end:]
    start = text.index("\n  - id: 6\n")
    title_at = text.index("    title: ", start)
    line_end = text.index("\n", title_at)
    table.write_text(text[:title_at] + "    title: \"=1+1 围绕双招双引\"" + text[line_end:], encoding="utf-8")


# --------------------------------------------------------------------------- the shared functions


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_cells_become_data(text: str) -> None:
    out = cell(text)
    assert out.startswith("'"), out
    assert "\t" not in out and "\r" not in out


@pytest.mark.parametrize("value,expected", [
    (-3, "-3"), (0, "0"), (45, "45"), (None, ""), ("2021-12-31", "2021-12-31"), ("普通文字", "普通文字"),
    ("-2+3", "'-2+3"), ("=1", "'=1"), (["=a", "b"], "'=a、b"),
])
def test_sheet_cell_numbers_stay_numbers(value: object, expected: str) -> None:
    assert plain.sheet_cell(value) == expected


@pytest.mark.parametrize("text", ["\ud800孤", "a\x00b", "\x1b[31m红", "\u202eabc", "\x85下一行"])
def test_clean_line_escapes_what_a_terminal_would_act_on(text: str) -> None:
    out = clean_line(text)
    out.encode("utf-8")  # lone surrogates escaped: always encodable
    no_raw_controls(out)
    assert "\ud800" not in out and "\x85" not in out


def test_tsv_and_csv_of_hostile_records_keep_their_shape() -> None:
    columns: list[plain.Column] = [("a", lambda r: r["a"]), ("b", lambda r: r["b"]), ("n", lambda r: r["n"])]
    recs = [{"a": HOSTILE, "b": "第一行\n第二行\t制表\ud800", "n": -5}, {"a": "=1+1", "b": "@SUM(1)", "n": 3}]
    tsv = plain.tsv(recs, columns)
    no_raw_controls(tsv)
    rows = [line.split("\t") for line in tsv.splitlines()]
    assert [len(r) for r in rows] == [3, 3, 3]
    assert rows[1][2] == "-5" and rows[2] == ["'=1+1", "'@SUM(1)", "3"]
    assert rows[1][1] == "第一行 第二行 制表\\ud800"
    text = plain.csv_text(recs, columns)
    no_raw_controls(text)
    parsed = list(csv.reader(io.StringIO(text.removeprefix(plain.BOM))))
    assert parsed[2] == ["'=1+1", "'@SUM(1)", "3"]
    assert parsed[1][2] == "-5"


def test_clean_is_cheap_for_ordinary_text() -> None:
    text = "推进政府信息公开平台建设 2021-12-31"
    assert clean(text) is text and clean_line(text) is text


# --------------------------------------------------------------------------- through the real CLI


@pytest.fixture
def hostile(table: Path, gwgk) -> Path:
    """A note, a --by and evidence with control characters, on task 3; a hostile title on task 4."""
    assert gwgk("note", "3", HOSTILE, "--by", f"={RLO}坏人\x1b[8m").exit_code == 2  # NUL: refused (below)
    assert gwgk("note", "3", NOTE, "--by", f"={RLO}坏人\x1b[8m").exit_code == 0
    assert gwgk("done", "3", "--note", OSC8, "--evidence", f"{ESC_CLEAR}证据.docx", "--by", "=2+5").exit_code == 0
    assert gwgk("block", "5", "--note", "=HYPERLINK(\"http://evil.example\")").exit_code == 0
    assert gwgk("block", "4", "--note", NOTE).exit_code == 0
    hostile_table(table)
    return table


@pytest.mark.parametrize("args", [
    ["show", "3", "--format", "table"],
    ["show", "4", "--format", "table"],
    ["log", "--format", "table"],
    ["log", "--format", "tsv"],
    ["log", "--format", "csv"],
    ["list", "--format", "table"],
    ["list", "--format", "tsv"],
    ["list", "--format", "csv"],
    ["show", "3", "4", "--format", "tsv"],
    ["show", "3", "--format", "csv"],
    ["warn", "--format", "table"],
    ["warn", "--format", "tsv"],
    ["check"],
    ["export", "--format", "csv"],
    ["info"],
], ids=lambda a: "-".join(a))
def test_no_raw_control_reaches_any_view(hostile: Path, gwgk, args: list[str]) -> None:
    result = gwgk(*args)
    assert result.exit_code in (0, 1), result.output
    no_raw_controls(result.stdout)
    no_raw_controls(result.stderr)


@pytest.mark.parametrize("args", [["show", "3", "--format", "table"], ["log", "--format", "tsv"]])
def test_controls_are_shown_escaped_not_dropped(hostile: Path, gwgk, args: list[str]) -> None:
    out = re.sub(r" *\n *", "", gwgk(*args).stdout)  # a long cell may be wrapped over lines
    for bit in ("\\x1b[2J清屏", "\\u202etxt.exe", "\\x1b]8;;http://evil.example/\\x07点此"):
        assert bit in out, (bit, out)


@pytest.mark.parametrize("args", [
    ["export", "--format", "csv"], ["list", "--format", "csv"], ["log", "--format", "csv"],
    ["list", "--format", "tsv"], ["log", "--format", "tsv"],
], ids=lambda a: "-".join(a))
def test_no_cell_is_a_formula(hostile: Path, gwgk, args: list[str]) -> None:
    out = gwgk(*args).stdout.removeprefix(plain.BOM)
    if "csv" in args:
        rows = list(csv.reader(io.StringIO(out)))
    else:
        rows = [line.split("\t") for line in out.splitlines()]
    cells = [c for row in rows for c in row]
    risky = [c for c in cells if c.lstrip(" \t\r\n")[:1] in ("=", "+", "@")
             or (c.startswith("-") and not c.lstrip("-").isdigit())]
    assert risky == []
    assert any(c.startswith("'=") for c in cells)  # the hostile cells are there, neutralised


def test_json_keeps_the_exact_text(hostile: Path, gwgk) -> None:
    records = json.loads(gwgk("log", "--format", "json").stdout)
    assert NOTE in [r["note"] for r in records]
    assert f"={RLO}坏人\x1b[8m" in [r["by"] for r in records]
    task = json.loads(gwgk("show", "4", "--format", "json").stdout)
    assert task["title"] == "标题" + HOSTILE.replace("\x00", "")


def test_error_messages_escape_what_the_user_typed(table: Path, gwgk) -> None:
    result = gwgk("list", "--unit", f"{ESC_CLEAR}不存在{RLO}")
    assert result.exit_code == 2
    no_raw_controls(result.stderr)
    assert "\\x1b[2J不存在\\u202e" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
@pytest.mark.parametrize("args", [["show", "3"], ["log"], ["list"], ["warn"], ["show", "4"]])
def test_a_real_terminal_gets_no_raw_control(hostile: Path, args: list[str]) -> None:
    """The console script on a pseudo-terminal (rich draws its tables): the hostile text arrives
    escaped; rich's own colour codes are the only escape sequences."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "LINES": "50", "TERM": "xterm-256color"}
    proc = subprocess.Popen([console_script(), *args], stdout=follower, stderr=follower, stdin=subprocess.DEVNULL,
                            env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) in (0, 1)
    out = b"".join(chunks).decode("utf-8")
    for raw in (ESC_CLEAR, "\x1b]8;", "\x1b[8m", RLO, "\x00", "\x9b", "\x07"):
        assert raw not in out, (raw, out)
    assert "\\x1b" in out or "\\u202e" in out


@pytest.mark.parametrize("args", [["sections", "--format", "table"], ["sections", "--format", "tsv"],
                                  ["sections", "--format", "csv"], ["units", "--format", "table"],
                                  ["units", "--format", "tsv"]], ids=lambda a: "-".join(a))
def test_section_titles_and_aliases_from_the_table_are_escaped(table: Path, gwgk, args: list[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # no folding inside the escapes
    text = table.read_text(encoding="utf-8")
    hostile = json.dumps("=聚焦" + ESC_CLEAR + RLO + "重点", ensure_ascii=True)
    text = text.replace("title: 聚焦重点领域深化政务公开", f"title: {hostile}", 1)
    alias = json.dumps("=网站" + ESC_CLEAR + RLO + "别名", ensure_ascii=True)
    text = text.replace("aliases: [市政府网站]", f"aliases: [市政府网站, {alias}]", 1)
    table.write_text(text, encoding="utf-8")
    result = gwgk(*args)
    assert result.exit_code == 0, result.output
    no_raw_controls(result.stdout)
    word = "重点" if args[0] == "sections" else "别名"
    assert f"\\x1b[2J\\u202e{word}" in result.stdout
    if args[-1] != "table":
        assert ("'=聚焦" if args[0] == "sections" else "市政府网站、=网站") in result.stdout


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_becomes_a_safe_cell(text: str) -> None:
    out = plain.sheet_cell(text)
    out = clean_line(out)  # what tsv/csv do when a control character is anywhere in the output
    out.encode("utf-8")
    assert not is_formula_like(out)
    assert "\t" not in out and "\n" not in out and "\r" not in out
    assert clean(out) == out


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_clean_keeps_printable_text(text: str) -> None:
    """Text without controls, bidi marks or surrogates is returned unchanged."""
    out = clean(text)
    if not needs_cleaning(text):
        assert out == text
    else:
        assert clean(out) == out  # escaping is final: the escapes are printable


def test_json_with_a_lone_surrogate_is_valid_utf8_and_exact() -> None:
    data = {"note": "半个字\ud800尾", "by": "\udcff"}
    text = plain.json_text(data)
    text.encode("utf-8")
    assert json.loads(text) == data


def test_damaged_journal_lines_are_reported_escaped(table: Path, journal: Path, gwgk) -> None:
    """A damaged journal line is quoted in warnings and by doctor: its control characters escaped."""
    assert gwgk("note", "3", "正常").exit_code == 0
    with journal.open("a", encoding="utf-8") as fh:
        fh.write(f'{{"id": "x{ESC_CLEAR}{RLO}", broken\n')
    for args in (["doctor"], ["list", "--format", "tsv"], ["log", "--format", "tsv"]):
        result = gwgk(*args)
        no_raw_controls(result.stdout)
        no_raw_controls(result.stderr)
    assert gwgk("doctor").exit_code == 1


def test_warnings_go_through_the_sanitiser(capsys: pytest.CaptureFixture[str]) -> None:
    from gwgk_cli.cli.base import print_warnings

    print_warnings([f"第 2 行：{HOSTILE}"])
    err = capsys.readouterr().err
    no_raw_controls(err)
    assert err.startswith("警告：第 2 行：\\x1b[2J清屏")


@pytest.mark.parametrize("text", ["空\x00字", "截断\ud800"])
def test_text_the_journal_would_refuse_is_refused_before_writing(table: Path, gwgk, text: str) -> None:
    journal = table.with_name("tasks_2021.progress.jsonl")
    result = gwgk("note", "3", text)
    assert result.exit_code == 2
    assert result.output.startswith("错误：") and "可能是汉字被截断" in result.output  # argv check or journal check
    assert not journal.exists() or journal.read_bytes() == b""
    assert gwgk("block", "3", "--note", "ok", "--by", text).exit_code == 2


def _by_regex(pattern: str, text: str, line: bool) -> str:
    """The sanitiser as it was before its isprintable() shortcut: the regular expression on every text."""
    import re

    def repl(match: re.Match[str]) -> str:
        char = match.group()
        if line and char in "\t\n\r\u2028\u2029":
            return " "
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return re.sub(pattern, repl, text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40) | st.text(st.sampled_from("\t\n\r\x1b\x7f\x85\u061c\u200b\u200e\u202e\u2066\u3000"
                                                      "\ud800\udc80\ufeff甲a \u2028\u206b\ufffa\U000e0041"),
                                     max_size=12))
def test_printable_shortcut_changes_nothing(text: str) -> None:
    """Every character the sanitiser escapes is one str.isprintable() refuses, so the shortcut for
    printable text gives what the regular expression gives."""
    from gwgk_cli.sanitize import _UNSAFE, _UNSAFE_OR_BREAK

    assert clean(text) == _by_regex(_UNSAFE, text, line=False)
    assert clean_line(text) == _by_regex(_UNSAFE_OR_BREAK, text, line=True)
    assert needs_cleaning(text) == (clean(text) != text)


def test_every_escaped_character_is_not_printable() -> None:
    import re

    from gwgk_cli.sanitize import _UNSAFE_OR_BREAK

    escaped = [c for c in map(chr, range(0x110000)) if re.match(_UNSAFE_OR_BREAK, c)]
    assert len(escaped) > 2000 and not any(c.isprintable() for c in escaped)


EVIL = "A\x1b]8;;http://evil/\x07链接\x1b]8;;\x07\u202e反向\x1b[2J\r\n第二行"


@pytest.mark.parametrize("write", [
    ["block", "4", "--note", EVIL],
    ["note", "4", EVIL],
    ["start", "4", "--note", EVIL],
    ["extend", "4", "--to", "2022-01-31", "--note", EVIL, "--approved-by", EVIL],
])
def test_what_a_write_echoes_is_sanitised(table: Path, gwgk, write: list[str]) -> None:
    """The confirmation a write prints echoes the user's text: escaped, never acted on by the terminal."""
    result = gwgk("--today", "2021-11-22", *write)
    assert result.exit_code == 0, result.output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", result.output), result.output


def test_undoing_another_clerks_note_echoes_it_sanitised(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWGK_USER", EVIL)
    assert gwgk("--today", "2021-11-22", "note", "4", EVIL).exit_code == 0
    monkeypatch.setenv("GWGK_USER", "指导办")
    entry = json.loads(gwgk("--today", "2021-11-22", "log", "--format", "json").stdout)[0]["id"]
    result = gwgk("--today", "2021-11-22", "undo", entry)
    assert result.exit_code == 0, result.output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", result.output), result.output


# Invisible format characters and separators (a hostile run found them passed through raw).
INVISIBLE = "行\u2028分\u2029段\u206a旧\ufff9注\U000e0041标\u200d"


@pytest.mark.parametrize(("func", "expected"), [
    (clean, "行\\u2028分\\u2029段\\u206a旧\\ufff9注\\U000e0041标\u200d"),
    (clean_line, "行 分 段\\u206a旧\\ufff9注\\U000e0041标\u200d"),
    (print_line, "行 分 段旧注标\u200d"),  # no glyph: removed in print; a ZWJ (emoji sequences) is kept
])
def test_invisible_format_characters(func: Callable[[str], str], expected: str) -> None:
    assert func(INVISIBLE) == expected


@pytest.mark.parametrize("args", [
    ["log", "--format", "json"], ["show", "3", "--format", "json"], ["list", "--format", "json"],
    ["export", "--format", "json"], ["export", "--format", "yaml"], ["warn", "--format", "json"],
], ids=lambda a: "-".join(a))
def test_json_and_yaml_escape_what_would_act_on_a_terminal(hostile: Path, gwgk, args: list[str]) -> None:
    """JSON and YAML keep the exact text when parsed, but a person who prints them sees escapes."""
    import yaml

    assert gwgk("note", "3", INVISIBLE).exit_code == 0
    out = gwgk(*args).stdout
    no_raw_controls(out)
    for char in INVISIBLE.replace("\u200d", ""):
        if not ("\u4e00" <= char <= "\u9fff"):
            assert char not in out, (hex(ord(char)), out)
    data = yaml.safe_load(out) if "yaml" in args else json.loads(out)
    texts = json.dumps(data, ensure_ascii=False)
    if args[0] in ("log", "show", "export"):
        assert json.dumps(INVISIBLE, ensure_ascii=False)[1:-1] in texts
    if args[0] in ("log", "export"):
        assert json.dumps(NOTE, ensure_ascii=False)[1:-1] in texts
