"""Bad input: a broken or missing table, bad dates. Each is one `错误：…` line on stderr naming what is
wrong and where, exit 2, no traceback, and nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TABLE_2021 = Path(__file__).resolve().parent.parent / "data" / "tasks_2021.yaml"

# Commands that read the table: the error must be the same whichever is run, and a write must not write.
READERS = [
    ["list"],
    ["list", "--unit", "指导办", "--format", "json"],
    ["show", "4"],
    ["units"],
    ["sections"],
    ["log"],
    ["start", "4"],
    ["note", "4", "进展"],
    ["undo"],
]


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误："), lines[0]
    return lines[0]


def nothing_written(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".progress.jsonl")]


def edit_task(text: str, task_id: int, old: str, new: str) -> str:
    start = text.index(f"\n  - id: {task_id}\n")
    end = text.find("\n  - id: ", start + 1)
    block = text[start:end]
    assert old in block, (task_id, old)
    return text[:start] + block.replace(old, new, 1) + text[end:]


# --------------------------------------------------------------------------- malformed YAML


def _line_col(text: str, needle: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of needle[offset] in text."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _colon_in_title(text: str) -> tuple[str, tuple[int, int]]:
    bad = edit_task(text, 7, "title: 注重政策实质性解读", "title: 注重: 政策实质性解读")
    return bad, _line_col(bad, "注重: 政策", 2)


def _unclosed_flow(text: str) -> tuple[str, tuple[int, int]]:
    bad = edit_task(text, 4, "units: [行财科]", "units: [行财科\n    deadline: 年底前")
    return bad, _line_col(bad, "units: [行财科\n    deadline:", len("units: [行财科\n    deadline"))


def _tab_indent(text: str) -> tuple[str, tuple[int, int]]:
    bad = edit_task(text, 12, "    title: ", "\ttitle: ")
    return bad, _line_col(bad, "\ttitle: ", 0)


def _unclosed_quote(text: str) -> tuple[str, tuple[int, int]]:
    bad = text.rstrip("\n") + '\nextra: "never closed\n'
    return bad, (bad.count("\n") + 1, 1)


def _bad_indent(text: str) -> tuple[str, tuple[int, int]]:
    return "schema_version: 1\nmeta:\n  title: x\n   issuer: y\n", (4, 10)


@pytest.mark.parametrize("breaker", [_colon_in_title, _unclosed_flow, _tab_indent, _unclosed_quote, _bad_indent])
@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c))
def test_malformed_yaml_is_file_line_col(table: Path, gwgk, breaker, command: list[str]) -> None:
    bad, (line, col) = breaker(table.read_text(encoding="utf-8"))
    table.write_text(bad, encoding="utf-8")
    message = one_error_line(gwgk(*command))
    assert message.startswith(f"错误：{table}:{line}:{col}: "), (message, line, col)
    nothing_written(table.parent)


def test_malformed_yaml_in_doctor(table: Path, gwgk) -> None:
    bad, (line, col) = _colon_in_title(table.read_text(encoding="utf-8"))
    table.write_text(bad, encoding="utf-8")
    result = gwgk("doctor")  # a problem it reports (exit 1), with the journal still checked
    assert result.exit_code == 1, result.output
    assert f"\n{table}:{line}:{col}: " in result.stdout
    assert "Traceback" not in result.output


def test_malformed_yaml_relative_path(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    bad, (line, col) = _colon_in_title(table.read_text(encoding="utf-8"))
    table.write_text(bad, encoding="utf-8")
    monkeypatch.chdir(table.parent)
    message = one_error_line(gwgk("--file", table.name, "list"))
    assert message.startswith(f"错误：{table.name}:{line}:{col}: ")


def test_table_not_utf8(table: Path, gwgk) -> None:
    table.write_bytes(table.read_text(encoding="utf-8").encode("gb18030"))  # saved by a GBK editor
    message = one_error_line(gwgk("list"))
    assert str(table) in message and "UTF-8" in message


# --------------------------------------------------------------------------- schema errors


@pytest.mark.parametrize(
    ("task", "old", "new", "fragments"),
    [
        (7, "units: [各相关科室]", "units: 5", ["任务 7", "units"]),
        (7, "units: [各相关科室]", "units: []", ["任务 7", "units"]),
        (7, "    title: ", "    titel: ", ["任务 7", "titel"]),
        (7, "    section: 2\n", "    section: 9\n", ["任务 7", "section", "9"]),
        (7, "    subsection: 2\n", "    subsection: 8\n", ["任务 7", "subsection", "8"]),
        (7, "    section: 2\n", "    section: 二\n", ["任务 7", "section"]),
        (7, "    deadline: 年底前\n", "", ["任务 7", "deadline"]),
        (7, "    requirement: ", "    requirement: \n    old_requirement: ", ["任务 7"]),
        (7, "units: [各相关科室]", "units: [各相关科室]\n    leads: [行财科]", ["任务 7", "leads", "行财科"]),
        (8, "  - id: 8\n", "  - id: 7\n", ["任务 7", "重复"]),
    ],
)
def test_schema_error_names_task_and_field(table: Path, gwgk, task: int, old: str, new: str,
                                           fragments: list[str]) -> None:
    text = table.read_text(encoding="utf-8")
    if old.startswith("  - id:"):
        bad = text.replace("\n" + old, "\n" + new, 1)
    else:
        bad = edit_task(text, task, old, new)
    table.write_text(bad, encoding="utf-8")
    for command in (["list"], ["start", "4"]):
        message = one_error_line(gwgk(*command))
        assert message.startswith(f"错误：{table}: "), message
        for fragment in fragments:
            assert fragment in message, (fragment, message)
    nothing_written(table.parent)
    doctor = gwgk("doctor")
    assert doctor.exit_code == 1, doctor.output
    assert all(fragment in doctor.stdout for fragment in fragments), doctor.stdout


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        ("schema_version: 1", "schema_version: 2", ["schema_version", "2"]),
        ("  issuer: 淮南市人民政府办公室\n", "", ["meta", "issuer"]),
        ("  published: 2021-09-10", "  published: 九月十日", ["meta.published", "九月十日"]),
        ("settings:\n  warn_days: 30", "settings:\n  warn_dayz: 30", ["settings", "warn_dayz"]),
        ("  - name: 文秘科\n", "  - name: 文秘科\n  - name: 文秘科\n", ["文秘科", "重复"]),
    ],
)
def test_schema_error_outside_tasks(table: Path, gwgk, old: str, new: str, fragments: list[str]) -> None:
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, new, 1), encoding="utf-8")
    message = one_error_line(gwgk("list"))
    for fragment in fragments:
        assert fragment in message, (fragment, message)


@pytest.mark.parametrize(
    ("where", "old", "new"),
    [
        (None, "  published: 2021-09-10", "  published: 2021-02-30"),  # YAML reads it as a date: no such day
        (None, "  published: 2021-09-10", "  published: 2021-13-10"),
        (9, "deadline: 年底前", "deadline: 2021-11-31"),
        (9, "deadline: 年底前", "deadline: 年底前\n    notice_progress: 2021-09-31"),
    ],
)
def test_impossible_date_in_yaml(table: Path, gwgk, where: int | None, old: str, new: str) -> None:
    text = table.read_text(encoding="utf-8")
    bad = edit_task(text, where, old, new) if where else text.replace(old, new, 1)
    assert bad != text
    table.write_text(bad, encoding="utf-8")
    for command in (["list"], ["start", "4"]):
        message = one_error_line(gwgk(*command))
        assert message.startswith(f"错误：{table}"), message
    nothing_written(table.parent)
    doctor = gwgk("doctor")
    assert doctor.exit_code in (1, 2), doctor.output
    assert "Traceback" not in doctor.output and str(table) in doctor.output


@pytest.mark.parametrize("content", ["", "- 1\n- 2\n", "just a string\n", "tasks: []\n"])
def test_not_a_table_at_all(table: Path, gwgk, content: str) -> None:
    table.write_text(content, encoding="utf-8")
    message = one_error_line(gwgk("list"))
    assert str(table) in message


# --------------------------------------------------------------------------- missing table


def test_missing_file_option(tmp_path: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nowhere" / "tasks.yaml"
    for command in (["list"], ["show", "4"], ["start", "4"], ["note", "4", "x"], ["doctor"]):
        message = one_error_line(gwgk("--file", str(missing), *command))
        assert str(missing) in message
        assert "--file" in message and "GWGK_FILE" in message
    assert not missing.parent.exists()


def test_missing_gwgk_file(tmp_path: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "tasks_2099.yaml"
    monkeypatch.setenv("GWGK_FILE", str(missing))
    message = one_error_line(gwgk("list"))
    assert str(missing) in message
    assert "--file" in message and "GWGK_FILE" in message
    info = gwgk("info")  # info still says which file it looked for
    assert info.exit_code == 0, info.output
    assert str(missing) in info.stdout


def test_table_is_a_directory(tmp_path: Path, gwgk) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    message = one_error_line(gwgk("--file", str(folder), "list"))
    assert str(folder) in message


# --------------------------------------------------------------------------- bad dates


BAD_DATES = ["2021-02-30", "2021-13-01", "yesterday", "2021/11/31", "22.11.2021", "11/22/2021", ""]


@pytest.mark.parametrize("day", BAD_DATES)
def test_bad_today_option(table: Path, gwgk, day: str) -> None:
    message = one_error_line(gwgk("--today", day, "list"))
    assert "--today" in message
    if day:
        assert day in message


@pytest.mark.parametrize("day", [d for d in BAD_DATES if d])
def test_bad_today_env(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("GWGK_TODAY", day)
    message = one_error_line(gwgk("list"))
    assert day in message
    result = gwgk("start", "4")
    assert result.exit_code == 2
    nothing_written(table.parent)


@pytest.mark.parametrize("day", BAD_DATES)
def test_bad_due_before(table: Path, gwgk, day: str) -> None:
    message = one_error_line(gwgk("list", "--due-before", day))
    assert "--due-before" in message


@pytest.mark.parametrize("day", [d for d in BAD_DATES if d])
@pytest.mark.parametrize("command", [["start", "4"], ["note", "4", "进展"], ["block", "4", "--note", "x"]])
def test_bad_date_option_writes_nothing(table: Path, gwgk, day: str, command: list[str]) -> None:
    message = one_error_line(gwgk(*command, "--date", day))
    assert "--date" in message and day in message
    nothing_written(table.parent)


@pytest.mark.parametrize("day", [d for d in BAD_DATES if d])
def test_bad_since(table: Path, gwgk, day: str) -> None:
    message = one_error_line(gwgk("log", "--since", day))
    assert "--since" in message


def test_good_today_option(table: Path, gwgk) -> None:
    result = gwgk("--today", "2022-01-05", "list", "--unit", "行财科", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"days_left": -5' in result.stdout


# --------------------------------------------------------------------------- an empty value is not "no option"
# In a script, `--date "$DAY"` with DAY unset must not quietly mean "today" (and write that into the journal),
# nor `--section "$S"` quietly mean "every section".


@pytest.mark.parametrize(
    ("command", "fragment"),
    [
        (["--file", "", "list"], "--file"),  # today it silently uses GWGK_FILE (and info calls that --file)
        (["--file", "", "start", "4"], "--file"),
        (["start", "4", "--date", ""], "--date"),
        (["done", "4", "--date", ""], "--date"),
        (["block", "4", "--note", "x", "--date", ""], "--date"),
        (["note", "4", "进展", "--date", ""], "--date"),
        (["list", "--section", ""], ""),
        (["list", "--subsection", ""], ""),
        (["list", "--status", ""], ""),
        (["log", "--since", ""], "--since"),
        (["log", ""], ""),
        (["show", ""], ""),
    ],
    ids=lambda v: " ".join(a or "''" for a in v) if isinstance(v, list) else (v or "-"),
)
def test_empty_value_is_an_error(table: Path, gwgk, command: list[str], fragment: str) -> None:
    message = one_error_line(gwgk(*command))
    assert fragment in message
    nothing_written(table.parent)


@pytest.mark.parametrize(("name", "shown"), [("文秘\\u202e科", "'文秘\\u202e科'"),
                                           ("文秘科\\r\\nBcc: x@y.cn", "'文秘科\\r\\nBcc: x@y.cn'"),
                                           ("文秘科\\u200b", "'文秘科\\u200b'")])  # in review
def test_doctor_names_a_unit_name_with_controls(table: Path, gwgk, name: str, shown: str) -> None:
    """Found by a tester: a unit name with a bidi override or a line break (it goes into file names, e-mail
    headers, settings keys) passed doctor. It is named; every output still escapes it."""
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("  - name: 文秘科\n", f'  - name: "{name}"\n', 1), encoding="utf-8")
    doctor = gwgk("doctor")
    assert doctor.exit_code == 1
    assert f"{table}: units 第 6 项 name: 单位名 {shown} 含换行、控制字符或不可见字符，请改正" in doctor.stdout.splitlines()
    assert sum("含换行" in line for line in doctor.stdout.splitlines()) == 1  # once, not once per task
