"""The read side through the real CLI: list (filters, formats), show, units, sections, doctor, info,
--version, -h, and which task table / journal a run uses.

Every test runs `gwgk` in-process (CliRunner) against a private copy of the 2021 table
(GWGK_FILE, GWGK_TODAY=2021-11-22; see conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import typer.main

from gwgk_cli import __version__
from gwgk_cli.cli import app
from gwgk_cli.paths import bundled_table

TABLE_2021 = Path(__file__).resolve().parent.parent / "data" / "tasks_2021.yaml"
ESC = "\x1b"
ALL_IDS = list(range(1, 29))
ZWGK_IDS = [1, 2, 3, 6, 10, 14, 15, 16, 20, 23, 24, 25, 26, 27, 28]  # tasks naming 政务公开指导办
ZWGK_COLLECTIVE_ONLY = [5, 7, 8, 9, 11, 12, 13, 22]  # tasks given only to 各相关科室
WEBSITE_IDS = [2, 3, 6, 10, 17, 18, 20]  # 政府网站 (17 and 18 write it 市政府网站)
TSV_HEADER = "序号\t部分\t任务\t责任单位\t牵头单位\t时限\t到期日\t剩余天数\t状态\t进度\t最近更新\t信号\t提示"
COLLECTIVE_FOOTER = "另有 {n} 项任务只写明“各相关科室”等集体单位，未列出；加 --collective 一并显示。"

JSON_TASK_KEYS = {
    "id", "section", "subsection", "title", "requirement", "units", "lead_unit", "deadline", "due", "ongoing",
    "status", "days_left", "percent", "updated", "last_note", "signal", "signal_reason",
}


def tsv_ids(stdout: str) -> list[int]:
    lines = stdout.splitlines()
    assert lines and lines[0] == TSV_HEADER, stdout
    return [int(line.split("\t")[0]) for line in lines[1:]]


def list_ids(gwgk, *args: str) -> list[int]:
    result = gwgk("list", *args, "--format", "tsv")
    assert result.exit_code == 0, result.output
    return tsv_ids(result.stdout)


def list_json(gwgk, *args: str) -> list[dict]:
    result = gwgk("list", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one_error_line(result) -> str:
    """A usage error: exit 2, nothing on stdout, exactly one `错误：…` line on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：")
    return lines[0]


def edit_task(text: str, task_id: int, old: str, new: str) -> str:
    """Replace `old` by `new` inside one task's block of a table's YAML text."""
    start = text.index(f"\n  - id: {task_id}\n")
    end = text.find("\n  - id: ", start + 1)
    end = len(text) if end == -1 else end
    block = text[start:end]
    assert old in block, (task_id, old)
    return text[:start] + block.replace(old, new, 1) + text[end:]


# --------------------------------------------------------------------------- list: exact output


def test_list_unit_tsv_is_exact(table: Path, gwgk) -> None:
    result = gwgk("list", "--unit", "行财科")  # not a terminal: TSV by default
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{TSV_HEADER}\n"
        "4\t一（三）\t公开办公室预算决算\t行财科\t行财科\t年底前\t2021-12-31\t39\t未开始\t\t\t绿\t还剩 39 天\n"
    )
    # 10 tasks name only 各相关科室 (3, 5, 7, 8, 9, 10, 11, 12, 13, 22) and not 行财科.
    assert result.stderr == (COLLECTIVE_FOOTER.format(n=10) + "\n"
                             "预警：所列任务无红灯、黄灯；未列出的集体单位任务有黄灯 1 项（gwgk warn 查看详情）\n")


# --------------------------------------------------------------------------- list --unit


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("政务公开指导办", ZWGK_IDS),  # canonical name
        ("指导办", ZWGK_IDS),  # unambiguous part
        ("政府网站", WEBSITE_IDS),  # canonical name
        ("市政府网站", WEBSITE_IDS),  # alias: the same unit
        ("行政财务科", [4]),  # alias
        ("行财科", [4]),
        ("营商环境监督科", [6]),  # alias
        ("放管服改革和营商环境监督科", [6]),  # alias without the curly quotes
        ("“放管服”改革和营商环境监督科", [6]),  # canonical with curly quotes
        ("文秘", [14, 15]),  # part
        ("秘书一室", [19, 20]),
        ("会务联络科", [23]),
        ("市政府办公室", [21]),
        ("xck", [4]),  # pinyin initials
        ("hck", [4]),  # 行 also reads háng
        ("zwgkzdb", ZWGK_IDS),
        ("zhengwu", ZWGK_IDS),  # full pinyin prefix
        ("zfwz", WEBSITE_IDS),
        ("wmk", [14, 15]),
    ],
)
def test_list_unit_resolves_names(table: Path, gwgk, unit: str, expected: list[int]) -> None:
    assert list_ids(gwgk, "--unit", unit) == expected


@pytest.mark.parametrize(
    ("unit", "start", "closest"),
    [
        ("宣传部", "错误：未知单位 “宣传部”。最接近的单位：", None),
        ("文秘处", "错误：未知单位 “文秘处”。最接近的单位：", "文秘科"),
        ("会务科", "错误：未知单位 “会务科”。最接近的单位：", "会务联络科"),
        ("政府", "错误：单位 “政府” 不明确，可能是：", "政府网站、市政府办公室"),
        ("科", "错误：单位 “科” 不明确，可能是：", "行财科"),
    ],
)
@pytest.mark.parametrize("fmt", ["tsv", "json"])
def test_list_unknown_or_ambiguous_unit_is_one_line(
    table: Path, gwgk, unit: str, start: str, closest: str | None, fmt: str
) -> None:
    line = one_error_line(gwgk("list", "--unit", unit, "--format", fmt))
    assert line.startswith(start), line
    listed = line[len(start):]
    assert any(name in listed for name in ("政务公开指导办", "政府网站", "行财科", "文秘科", "会务联络科")), line
    if closest:
        assert closest in listed, line


def test_list_unit_default_leaves_out_collective_tasks_and_says_how_many(table: Path, gwgk) -> None:
    result = gwgk("list", "--unit", "政务公开指导办", "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert tsv_ids(result.stdout) == ZWGK_IDS
    assert COLLECTIVE_FOOTER.format(n=8) in result.stderr.splitlines()
    assert ESC not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "hidden"),
    [
        (["--section", "一"], 0),
        (["--section", "二"], 7),  # 5, 7, 8, 9, 11, 12, 13
        (["--section", "三"], 1),  # 22
        (["--search", "解读"], 5),  # 5, 7, 8, 11, 12 (10 names 指导办 itself)
    ],
)
def test_list_collective_footer_counts_only_what_the_other_filters_let_through(
    table: Path, gwgk, args: list[str], hidden: int
) -> None:
    result = gwgk("list", "--unit", "指导办", *args, "--format", "tsv")
    assert result.exit_code == 0, result.output
    shown = len(result.stdout.splitlines()) - 1
    with_collective = list_ids(gwgk, "--unit", "指导办", *args, "--collective")
    assert len(with_collective) - shown == hidden
    footer = [line for line in result.stderr.splitlines() if line.startswith("另有")]
    assert footer == ([COLLECTIVE_FOOTER.format(n=hidden)] if hidden else [])


def test_list_collective_adds_them_marked_via_collective(table: Path, gwgk) -> None:
    result = gwgk("list", "--unit", "指导办", "--collective", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == sorted(ZWGK_IDS + ZWGK_COLLECTIVE_ONLY)
    assert {r["id"] for r in records if r["via_collective"]} == set(ZWGK_COLLECTIVE_ONLY)
    assert "另有" not in result.stderr
    tsv = gwgk("list", "--unit", "指导办", "--collective", "--format", "tsv")
    assert tsv.exit_code == 0, tsv.output
    assert "另有" not in tsv.stderr


def test_list_unit_collective_itself_lists_its_tasks(table: Path, gwgk) -> None:
    assert list_ids(gwgk, "--unit", "各相关科室") == [3, 5, 7, 8, 9, 10, 11, 12, 13, 22]


def test_list_without_unit_lists_everything(table: Path, gwgk) -> None:
    result = gwgk("list", "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert tsv_ids(result.stdout) == ALL_IDS
    assert "另有" not in result.stderr


@pytest.mark.parametrize(
    ("unit", "canonical", "expected"),
    [
        ("指导办", "政务公开指导办", [1, 2, 3, 10, 14, 15, 16, 24, 25, 26, 27, 28]),
        ("政府网站", "政府网站", [17, 18]),
        ("市政府网站", "政府网站", [17, 18]),
        ("文秘科", "文秘科", []),
        ("秘书一室", "秘书一室", [19, 20]),
    ],
)
def test_list_lead(table: Path, gwgk, unit: str, canonical: str, expected: list[int]) -> None:
    assert list_ids(gwgk, "--unit", unit, "--lead") == expected
    assert all(rec["lead_unit"] == canonical for rec in list_json(gwgk, "--unit", unit, "--lead"))


def test_list_lead_needs_unit(table: Path, gwgk) -> None:
    line = one_error_line(gwgk("list", "--lead"))
    assert "--unit" in line


# --------------------------------------------------------------------------- list --section / --subsection


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--section", "一"], [1, 2, 3, 4]),
        (["--section", "1"], [1, 2, 3, 4]),
        (["--section", "一、"], [1, 2, 3, 4]),
        (["--section", "二"], [5, 6, 7, 8, 9, 10, 11, 12, 13]),
        (["--section", "条例"], [24, 25, 26]),  # part of 四、聚焦条例落实深化政务公开
        (["-s", "监督保障"], [27, 28]),
        (["--section", "二", "--subsection", "3"], [9, 10, 11, 12]),
        (["--section", "二", "--subsection", "三"], [9, 10, 11, 12]),
        (["--section", "二", "--subsection", "(三)"], [9, 10, 11, 12]),
        (["--section", "二", "--subsection", "(三)"], [9, 10, 11, 12]),
        (["--section", "3", "--subsection", "1"], [14, 15, 16]),
        (["--section", "二", "--subsection", "质量"], [7, 8]),  # title part within the section
        (["--subsection", "回应关切"], [13]),  # title part, no section needed
        (["--subsection", "平台建设"], [17, 18, 19, 20, 21]),
    ],
)
def test_list_section_and_subsection(table: Path, gwgk, args: list[str], expected: list[int]) -> None:
    assert list_ids(gwgk, *args) == expected


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--section", "六"], "六"),
        (["--section", "9"], "9"),
        (["--section", "聚焦"], "不明确"),  # every section title has it
        (["--section", "没有这个部分"], "没有这个部分"),
        (["--subsection", "3"], "--section"),  # a number needs its section
        (["--section", "二", "--subsection", "9"], "9"),
        (["--subsection", "政策解读"], "不明确"),
    ],
)
def test_list_bad_section_or_subsection(table: Path, gwgk, args: list[str], fragment: str) -> None:
    assert fragment in one_error_line(gwgk("list", *args))


# --------------------------------------------------------------------------- list --status / --search / --due-before


@pytest.fixture
def some_progress(table: Path, gwgk) -> None:
    """Task 4 推进中, 14 已完成, 5 受阻; everything else 未开始."""
    for args in (["start", "4"], ["done", "14"], ["block", "5", "--note", "等待数据"]):
        result = gwgk(*args)
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["doing"], [4]),
        (["推进中"], [4]),
        (["done"], [14]),
        (["已完成"], [14]),
        (["blocked"], [5]),
        (["受阻"], [5]),
        (["todo"], [i for i in ALL_IDS if i not in (4, 5, 14)]),
        (["未开始"], [i for i in ALL_IDS if i not in (4, 5, 14)]),
        (["doing", "blocked"], [4, 5]),  # repeated: OR
        (["doing,done"], [4, 14]),
        (["DONE"], [14]),
    ],
)
def test_list_status(some_progress: None, gwgk, statuses: list[str], expected: list[int]) -> None:
    args = [a for s in statuses for a in ("--status", s)]
    assert list_ids(gwgk, *args) == expected


def test_list_bad_status(table: Path, gwgk) -> None:
    assert "bogus" in one_error_line(gwgk("list", "--status", "bogus"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年报", [26, 28]),  # titles
        ("Word、PDF", [15]),  # only in the requirement
        ("word", [15]),  # case-insensitive
        ("政务新媒体", [2, 3, 6, 18, 20]),
        ("行政复议", [25]),
        ("蓝图", [1]),  # only in the requirement
        ("没有这段文字", []),
    ],
)
def test_list_search(table: Path, gwgk, text: str, expected: list[int]) -> None:
    assert list_ids(gwgk, "--search", text) == expected


@pytest.fixture
def dated_table(table: Path) -> Path:
    """The 2021 table with task 4 due 9月底前 (2021-09-30) and task 14 due 11月底前 (2021-11-30)."""
    text = table.read_text(encoding="utf-8")
    text = edit_task(text, 4, "deadline: 年底前", "deadline: 9月底前")
    text = edit_task(text, 14, "deadline: 年底前", "deadline: 11月底前")
    table.write_text(text, encoding="utf-8")
    return table


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2021-09-30", []),  # strictly before
        ("2021-10-01", [4]),
        ("2021-12-01", [4, 14]),
        ("2021-12-31", [4, 14]),
        ("2022-01-01", [i for i in ALL_IDS if i not in (5, 24, 25, 26, 27)]),  # ongoing tasks have no due date
    ],
)
def test_list_due_before(dated_table: Path, gwgk, day: str, expected: list[int]) -> None:
    assert list_ids(gwgk, "--due-before", day) == expected


# --------------------------------------------------------------------------- list: filters combine


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--unit", "行财科", "--unit", "文秘科"], [4, 14, 15]),  # --unit repeats: OR
        (["--unit", "文秘科", "--unit", "行财科"], [4, 14, 15]),
        (["--unit", "指导办", "--section", "三"], [14, 15, 16, 20, 23]),  # AND
        (["--unit", "指导办", "--section", "三", "--search", "政策"], [16]),
        (["--unit", "指导办", "--search", "网站"], [2, 3, 6, 10, 14, 15]),
        (["--unit", "指导办", "--lead", "--section", "四"], [24, 25, 26]),
        (["--unit", "政府网站", "--section", "三", "--subsection", "2"], [17, 18, 20]),
        (["--unit", "行财科", "--unit", "文秘科", "--status", "done"], [14]),
        (["--unit", "行财科", "--status", "doing"], [4]),
        (["--unit", "指导办", "--status", "doing"], []),
        (["--unit", "指导办", "--collective", "--status", "blocked"], [5]),
        (["--unit", "指导办", "--status", "blocked"], []),
        (["--section", "二", "--status", "todo", "--search", "解读"], [7, 8, 10, 11, 12]),
    ],
)
def test_list_filters_combine(some_progress: None, gwgk, args: list[str], expected: list[int]) -> None:
    assert list_ids(gwgk, *args) == expected


# --------------------------------------------------------------------------- list: formats


def test_list_json_shape(table: Path, gwgk) -> None:
    records = list_json(gwgk, "--unit", "政务公开指导办")
    assert [r["id"] for r in records] == ZWGK_IDS
    for rec in records:
        assert JSON_TASK_KEYS <= rec.keys()
        assert rec["via_collective"] is False
    first = records[0]
    assert first["id"] == 1
    assert first["section"] == 1 and first["subsection"] == 1
    assert first["title"] == "公开各类规划及历史规划"
    assert first["requirement"].startswith("主动公开国民经济和社会发展第十四个五年规划纲要")
    assert first["requirement"].endswith("充分展示“一张蓝图绘到底”的接续奋斗历程")
    assert first["units"] == ["政务公开指导办"] and first["lead_unit"] == "政务公开指导办"
    assert (first["deadline"], first["due"], first["ongoing"], first["days_left"]) == ("年底前", "2021-12-31", False, 39)
    assert (first["status"], first["percent"], first["updated"], first["last_note"]) == ("todo", None, None, None)
    assert (first["signal"], first["signal_reason"]) == ("green", "还剩 39 天")
    ongoing = next(r for r in records if r["id"] == 24)
    assert (ongoing["deadline"], ongoing["due"], ongoing["ongoing"], ongoing["days_left"]) == ("持续推进", None, True, None)
    assert ongoing["signal"] == "yellow"  # no change since the notice (2021-09-10): 73 days
    six = next(r for r in records if r["id"] == 6)
    assert six["lead_unit"] == "“放管服”改革和营商环境监督科"
    assert six["units"] == ["“放管服”改革和营商环境监督科", "政务公开指导办", "政府网站"]


def test_list_json_alias_gives_canonical_units(table: Path, gwgk) -> None:
    records = list_json(gwgk, "--unit", "市政府网站")
    assert [r["id"] for r in records] == WEBSITE_IDS
    assert all("政府网站" in r["units"] and "市政府网站" not in r["units"] for r in records)


def test_list_tsv_has_header_and_no_escape_codes(table: Path, gwgk) -> None:
    result = gwgk("list", "--format", "tsv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == TSV_HEADER
    assert len(lines) == 29
    assert all(len(line.split("\t")) == 13 for line in lines)
    assert ESC not in result.stdout and ESC not in result.stderr


def test_list_csv_has_bom_and_chinese_header(table: Path, gwgk) -> None:
    result = gwgk("list", "--unit", "行财科", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff序号,部分,任务,具体要求,责任单位,牵头单位,")
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["序号", "部分", "任务", "具体要求"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["序号"] == "4"
    assert row["任务"] == "公开办公室预算决算"
    assert row["具体要求"] == "做好市政府办公室的预算、决算及相关报表公开。"
    assert row["状态"] == "未开始"
    assert ESC not in result.stdout


def test_list_csv_keeps_commas_and_quotes_in_cells(table: Path, gwgk) -> None:
    result = gwgk("list", "--unit", "营商环境监督科", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    records = list_json(gwgk, "--unit", "营商环境监督科")
    assert [r[3] for r in rows[1:]] == [r["requirement"] for r in records]


def test_list_table_shows_titles_at_120_columns(table: Path, gwgk) -> None:
    result = gwgk("list", "--unit", "指导办", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "序号" in result.stdout
    assert ESC not in result.stdout  # not a terminal
    for rec in list_json(gwgk, "--unit", "指导办"):
        # 120 columns are room enough for every title (at most 14 characters) on one line.
        assert rec["title"] in result.stdout, rec["title"]
    assert all(len(line) <= 120 for line in result.stdout.splitlines())


def test_list_table_short_title(table: Path, gwgk) -> None:
    result = gwgk("list", "--unit", "行财科", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "序号" in result.stdout and "公开办公室预算决算" in result.stdout


COLOUR_SGR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7]|38;[0-9;]+)m")


def test_list_table_colours_when_forced(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control for the NO_COLOR test below: with FORCE_COLOR the table has colour codes."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    result = gwgk("list", "--unit", "行财科", "--format", "table")
    assert result.exit_code == 0, result.output
    assert COLOUR_SGR.search(result.stdout)


@pytest.mark.parametrize("force", [None, "1"])
def test_list_table_respects_no_color(table: Path, gwgk, monkeypatch: pytest.MonkeyPatch, force: str | None) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    if force:
        monkeypatch.setenv("FORCE_COLOR", force)
    result = gwgk("list", "--unit", "行财科", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "公开办公室预算决算" in result.stdout
    assert not COLOUR_SGR.search(result.stdout), repr(result.stdout)
    if not force:
        assert ESC not in result.stdout


def test_table_saved_by_notepad_reads_the_same(table: Path, gwgk) -> None:
    expected = list_json(gwgk)
    table.write_bytes(b"\xef\xbb\xbf" + table.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert list_json(gwgk) == expected


def test_list_bad_format(table: Path, gwgk) -> None:
    result = gwgk("list", "--format", "xml")
    assert result.exit_code == 2
    assert result.stdout == ""


# --------------------------------------------------------------------------- show


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_show_text_has_full_requirement(table: Path, gwgk) -> None:
    result = gwgk("show", "15", "--format", "table")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("任务 15  集中规范公开规章和规范性文件\n")
    requirement = next(r for r in list_json(gwgk) if r["id"] == 15)["requirement"]
    assert len(requirement) > 120  # longer than one line of the terminal
    assert squeeze(requirement) in squeeze(result.stdout)
    for fragment in ("政务公开指导办、文秘科", "年底前", "2021-12-31（还剩 39 天）", "未开始", "三、聚焦工作基础深化政务公开"):
        assert fragment in result.stdout
    assert ESC not in result.stdout


def test_show_text_has_history(table: Path, gwgk) -> None:
    assert gwgk("start", "4", "--note", "已启动", "--date", "2021-11-01", "--by", "张三").exit_code == 0
    assert gwgk("note", "4", "预算已公开", "--percent", "60").exit_code == 0
    result = gwgk("show", "4", "--format", "table")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "进展记录" in out
    assert "张三" in out and "已启动" in out and "预算已公开" in out and "60%" in out
    assert out.index("预算已公开") < out.index("已启动")  # newest first


def test_show_json(table: Path, gwgk) -> None:
    result = gwgk("show", "4", "--format", "json")
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)
    assert isinstance(rec, dict)
    assert JSON_TASK_KEYS <= rec.keys()
    assert rec["id"] == 4
    assert rec["requirement"] == "做好市政府办公室的预算、决算及相关报表公开。"
    assert rec["history"] == []


def test_show_json_history(table: Path, gwgk) -> None:
    assert gwgk("start", "4", "--note", "已启动", "--by", "张三").exit_code == 0
    assert gwgk("done", "4", "--evidence", "https://www.huainan.gov.cn/x").exit_code == 0
    rec = json.loads(gwgk("show", "4", "--format", "json").stdout)
    assert [(h["from"], h["to"], h["by"]) for h in rec["history"]] == [("doing", "done", "测试员"), ("todo", "doing", "张三")]
    assert rec["history"][0]["evidence"] == "https://www.huainan.gov.cn/x"
    assert rec["history"][1]["note"] == "已启动"


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["14-16"], [14, 15, 16]),
        (["14–16"], [14, 15, 16]),
        (["4,15"], [4, 15]),
        (["4,15"], [4, 15]),
        (["4、15"], [4, 15]),
        (["15", "4"], [15, 4]),
        (["4,4"], [4]),
    ],
)
def test_show_several(table: Path, gwgk, ids: list[str], expected: list[int]) -> None:
    result = gwgk("show", *ids, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    records = data if isinstance(data, list) else [data]
    assert [r["id"] for r in records] == expected
    text = gwgk("show", *ids, "--format", "table")
    assert text.exit_code == 0, text.output
    assert [int(m) for m in re.findall(r"^任务 (\d+)  ", text.stdout, re.M)] == expected


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["99"], "错误：任务 99 不存在（有效序号 1–28）"),
        (["0"], "错误：任务 0 不存在（有效序号 1–28）"),
        (["4", "99"], "错误：任务 99 不存在（有效序号 1–28）"),
        (["27-30"], "错误：任务 29、30 不存在（有效序号 1–28）"),
        (["abc"], "错误：无效的任务序号 “abc”（例如 4、4,15 或 14-16）"),
        (["16-14"], "错误：无效的任务序号 “16-14”（例如 4、4,15 或 14-16）"),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_show_bad_id(table: Path, gwgk, ids: list[str], message: str, fmt: str) -> None:
    assert one_error_line(gwgk("show", *ids, "--format", fmt)) == message


# --------------------------------------------------------------------------- units, sections


def test_units_json(table: Path, gwgk) -> None:
    result = gwgk("units", "--format", "json")
    assert result.exit_code == 0, result.output
    units = {u["name"]: u for u in json.loads(result.stdout)}
    assert list(units)[:3] == ["政务公开指导办", "政府网站", "各相关科室"]
    assert units["政务公开指导办"]["total"] == 15
    assert units["政务公开指导办"]["todo"] == 15
    assert units["政府网站"]["aliases"] == ["市政府网站"]
    assert units["政府网站"]["total"] == 7
    assert units["行财科"]["aliases"] == ["行政财务科"]
    assert units["各相关科室"]["collective"] is True
    assert units["各相关科室"]["total"] == 10
    assert [name for name, u in units.items() if u["collective"]] == ["各相关科室"]


def test_units_counts_follow_progress(some_progress: None, gwgk) -> None:
    units = {u["name"]: u for u in json.loads(gwgk("units", "--format", "json").stdout)}
    assert (units["行财科"]["doing"], units["行财科"]["todo"]) == (1, 0)
    assert (units["文秘科"]["done"], units["文秘科"]["todo"]) == (1, 1)
    assert units["政务公开指导办"]["done"] == 1  # task 14 is also 指导办's
    assert units["各相关科室"]["blocked"] == 1


def test_units_tsv(table: Path, gwgk) -> None:
    result = gwgk("units", "--format", "tsv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["单位", "别名"]
    assert "政府网站\t市政府网站\t" in result.stdout
    assert len(lines) == 10


def test_sections_json(table: Path, gwgk) -> None:
    result = gwgk("sections", "--format", "json")
    assert result.exit_code == 0, result.output
    sections = json.loads(result.stdout)
    assert [s["no"] for s in sections] == [1, 2, 3, 4, 5]
    assert [s["label"] for s in sections] == ["一", "二", "三", "四", "五"]
    assert sections[0]["title"] == "聚焦重点领域深化政务公开"
    assert sum(len(s["subsections"]) for s in sections) == 15
    assert [[sub["tasks"] for sub in s["subsections"]] for s in sections] == [
        [[1, 2], [3], [4]],
        [[5, 6], [7, 8], [9, 10, 11, 12], [13]],
        [[14, 15, 16], [17, 18, 19, 20, 21], [22, 23]],
        [[24], [25], [26]],
        [[27], [28]],
    ]
    assert [s["tasks"] for s in sections][3] == [24, 25, 26]
    assert sorted(i for s in sections for i in s["tasks"]) == ALL_IDS


def test_sections_tsv(table: Path, gwgk) -> None:
    result = gwgk("sections", "--format", "tsv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "编号\t标题\t任务序号"
    assert lines[1] == "一、\t聚焦重点领域深化政务公开\t1,2,3,4"
    assert lines[2] == "（一）\t做好各类规划主动公开\t1,2"
    assert len(lines) == 1 + 5 + 15


# --------------------------------------------------------------------------- doctor


def test_doctor_clean_table(table: Path, gwgk) -> None:
    result = gwgk("doctor")
    assert result.exit_code == 0, result.output
    assert str(table) in result.stdout
    assert "未发现问题（28 项任务）" in result.stdout


def test_doctor_reports_every_problem_with_task_id(table: Path, gwgk) -> None:
    text = table.read_text(encoding="utf-8")
    text = text.replace("\n  - id: 8\n", "\n  - id: 7\n", 1)  # a second task 7
    text = edit_task(text, 4, "units: [行财科]", "units: [宣传科]")  # not in the registry
    text = edit_task(text, 28, "deadline: 年底前", "deadline: 尽快")  # no date in it
    table.write_text(text, encoding="utf-8")
    result = gwgk("doctor")
    assert result.exit_code == 1, result.output
    problems = [line for line in result.stdout.splitlines() if line.startswith(str(table) + ":")]
    assert len(problems) == 3, result.stdout
    assert any("任务 7" in p and "重复" in p for p in problems), problems
    assert any("任务 4" in p and "units" in p and "宣传科" in p for p in problems), problems
    assert any("任务 28" in p and "deadline" in p and "尽快" in p for p in problems), problems
    assert "发现 3 处问题" in result.stdout
    assert "Traceback" not in result.output


def test_doctor_unreadable_deadline_alone_is_a_problem(table: Path, gwgk) -> None:
    table.write_text(edit_task(table.read_text(encoding="utf-8"), 9, "deadline: 年底前", "deadline: 视情况而定"),
                     encoding="utf-8")
    result = gwgk("doctor")
    assert result.exit_code == 1, result.output
    assert "任务 9" in result.stdout and "视情况而定" in result.stdout
    # Other commands keep the phrase as written, with no due date.
    rec = next(r for r in list_json(gwgk) if r["id"] == 9)
    assert (rec["deadline"], rec["due"], rec["days_left"]) == ("视情况而定", None, None)


# --------------------------------------------------------------------------- info, --version, -h


def test_info_shows_the_table_in_use(table: Path, journal: Path, gwgk) -> None:
    result = gwgk("info")
    assert result.exit_code == 0, result.output
    assert f"{table}（GWGK_FILE）" in result.stdout
    assert str(journal) in result.stdout
    assert "2021-11-22" in result.stdout
    assert "28 项任务" in result.stdout


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(gwgk, flag: str) -> None:
    from importlib.metadata import version

    result = gwgk(flag)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"gwgk {__version__}\n"
    assert __version__ == version("gwgk-cli")


COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_the_commands_are_all_there() -> None:
    assert {"list", "show", "units", "sections", "doctor", "info", "start", "done", "block", "reopen", "note",
            "undo", "log"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_on_every_command(gwgk, command: str, flag: str) -> None:
    result = gwgk(command, flag)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"用法：gwgk {command} ")
    assert "-h, --help" in result.stdout


def test_help_top_level(gwgk) -> None:
    result = gwgk("-h")
    assert result.exit_code == 0, result.output
    assert "用法：gwgk " in result.stdout
    for command in ("list", "show", "start", "log"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), command


def test_help_works_without_a_table(gwgk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWGK_FILE", str(tmp_path / "missing.yaml"))
    result = gwgk("list", "-h")
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- where the data lives


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.endswith(".lock")}


def test_no_table_anywhere_uses_the_bundled_one(tmp_path: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    monkeypatch.setenv("GWGK_TODAY", "2021-11-22")
    bundled = bundled_table()
    assert bundled.is_file()
    before = _snapshot(bundled.parent)

    info = gwgk("info")
    assert info.exit_code == 0, info.output
    table_line = next(line for line in info.stdout.splitlines() if line.startswith("任务表"))
    assert "内置" in table_line and str(bundled) in table_line
    assert list_ids(gwgk, "--unit", "政务公开指导办") == ZWGK_IDS

    result = gwgk("note", "4", "预算已公开")
    assert result.exit_code == 0, result.output
    data_dir = Path(os.environ["GWGK_DATA_DIR"])
    written = data_dir / "tasks_2021.progress.jsonl"
    assert written.is_file()
    assert json.loads(written.read_text(encoding="utf-8"))["note"] == "预算已公开"
    assert str(written) in gwgk("info").stdout
    assert _snapshot(bundled.parent) == before  # nothing written beside the bundled table
    assert list(empty.iterdir()) == []
    assert list_json(gwgk, "--unit", "行财科")[0]["last_note"] == "预算已公开"


@pytest.mark.parametrize("subdir", [".", "sub", "sub/deeper"])
def test_project_directory_table(tmp_path: Path, gwgk, monkeypatch: pytest.MonkeyPatch, subdir: str) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    mine = project / "data" / "tasks_2021.yaml"
    text = TABLE_2021.read_text(encoding="utf-8")
    mine.write_text(edit_task(text, 4, "title: 公开办公室预算决算", "title: 本项目的预算决算"), encoding="utf-8")
    cwd = project / subdir
    cwd.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("GWGK_TODAY", "2021-11-22")

    info = gwgk("info")
    assert info.exit_code == 0, info.output
    assert str(mine) in info.stdout and "内置" not in info.stdout
    assert list_json(gwgk, "--unit", "行财科")[0]["title"] == "本项目的预算决算"
    assert gwgk("start", "4").exit_code == 0
    assert (project / "data" / "tasks_2021.progress.jsonl").is_file()
    assert not (Path(os.environ["GWGK_DATA_DIR"]) / "tasks_2021.progress.jsonl").exists()


def test_file_option_overrides_gwgk_file(table: Path, tmp_path: Path, gwgk) -> None:
    other = tmp_path / "other" / "plan.yaml"
    other.parent.mkdir()
    other.write_text(edit_task(table.read_text(encoding="utf-8"), 4, "title: 公开办公室预算决算", "title: 另一张表的任务"),
                     encoding="utf-8")
    for flag in ("--file", "-f"):
        info = gwgk(flag, str(other), "info")
        assert info.exit_code == 0, info.output
        assert f"{other}（--file）" in info.stdout
        assert str(table) not in info.stdout
        result = gwgk(flag, str(other), "list", "--unit", "行财科", "--format", "json")
        assert json.loads(result.stdout)[0]["title"] == "另一张表的任务"
    assert gwgk("--file", str(other), "start", "4").exit_code == 0
    assert (other.parent / "plan.progress.jsonl").is_file()
    assert not table.with_name("tasks_2021.progress.jsonl").exists()


def test_gwgk_file_overrides_project_directory(table: Path, tmp_path: Path, gwgk,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    shutil.copyfile(TABLE_2021, project / "data" / "tasks_2021.yaml")
    monkeypatch.chdir(project)
    info = gwgk("info")
    assert f"{table}（GWGK_FILE）" in info.stdout


@pytest.mark.parametrize(("done_on", "said"), [("2022-01-05", "逾期 5 天完成"), ("2021-12-20", "按期完成"),
                                               ("2021-12-31", "按期完成")])
def test_a_finished_task_stops_counting(table: Path, gwgk, done_on: str, said: str) -> None:
    """Found by a hostile test: `show` of a task done on 2022-01-05 (due 2021-12-31) said 到期日 2021-12-31（逾期
    15 天）on 2022-01-15, counting on to the reference date; the list's 剩余天数 and days_left did too. A finished
    task says how it was finished against its deadline, the same whatever the reference date."""
    assert gwgk("done", "4", "--date", done_on, "--today", "2022-01-05").exit_code == 0
    for today in ("2022-01-15", "2022-03-01"):
        shown = gwgk("--today", today, "show", "4", "--format", "table").stdout
        assert f"到期日    2021-12-31（{said}）" in shown, shown
        rec = json.loads(gwgk("--today", today, "show", "4", "--format", "json").stdout)
        assert (rec["days_left"], rec["done_on"]) == (None, done_on)
        table_out = gwgk("--today", today, "list", "--unit", "行财科", "--format", "table").stdout
        assert ("逾期完成" if "逾期" in said else said) in table_out and "逾期 1" not in table_out
        for fmt in ("tsv", "csv"):
            out = gwgk("--today", today, "list", "--unit", "行财科", "--format", fmt).stdout
            row = out.lstrip("\ufeff").splitlines()[1].split("\t" if fmt == "tsv" else ",")
            header = out.lstrip("\ufeff").splitlines()[0].split("\t" if fmt == "tsv" else ",")
            assert row[header.index("剩余天数")] == "", (fmt, row)
    open_rec = json.loads(gwgk("--today", "2022-01-15", "show", "1", "--format", "json").stdout)
    assert (open_rec["days_left"], open_rec["done_on"]) == (-15, None)  # not done: it counts on


@pytest.mark.parametrize(("args", "example"), [
    (["list", "-F", "xlsx"], "-o 台账.xlsx"), (["export", "-F", "xlsx"], "-o 台账.xlsx"),
    (["report", "-F", "docx"], "-o 周报.docx"), (["bulletin", "-F", "xlsx"], "-o 通报.xlsx"),
    (["bulletin", "-F", "docx"], "-o 通报.docx"),
])
def test_a_binary_format_without_o_names_a_file_of_its_kind(table: Path, gwgk, args: list[str],
                                                             example: str) -> None:
    """`list -F xlsx` without -o suggested `-o 周报.docx`: a Word file for an Excel 台账."""
    result = gwgk(*args)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"是二进制文件，请用 -o 指定输出文件（例如 {example}）\n"), result.stderr


def test_the_footer_names_the_tables_own_collective_unit(gwgk, table: Path) -> None:  # type: ignore[no-untyped-def]
    """Found by a new-year walkthrough: a 2022 city table's list said “各相关科室”等集体单位, a name it does not have."""
    table.write_text(table.read_text(encoding="utf-8").replace("各相关科室", "市直各部门"), encoding="utf-8")
    out = gwgk("list", "--unit", "行财科")
    assert "另有 10 项任务只写明“市直各部门”等集体单位，未列出；加 --collective 一并显示。" in out.stderr + out.stdout
    report = gwgk("report", "--unit", "行财科", "--format", "md").stdout
    assert "只写明“市直各部门”等集体单位的任务未计入" in report
