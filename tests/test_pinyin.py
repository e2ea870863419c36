"""Typing less: units by pinyin (initials, full pinyin, prefixes, 多音字) and task ids as lists and ranges.

Unit resolution is checked on the core (units.resolve_unit, pinyin.*) and through the CLI (`--unit`),
against a private copy of the 2021 table (the `table` fixture).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gwgk_cli.errors import BadValue, UnknownUnit
from gwgk_cli.model import Plan, Unit
from gwgk_cli.pinyin import all_initials, full, initials, name_matches, pinyin_matches, readings
from gwgk_cli.queries import parse_ids
from gwgk_cli.store import load_plan
from gwgk_cli.units import resolve_unit, unit_candidates

ZDB = "政务公开指导办"
WZ = "政府网站"
XCK = "行财科"
WMK = "文秘科"
FGF = "“放管服”改革和营商环境监督科"
MSYS = "秘书一室"
HWLLK = "会务联络科"
SZFBGS = "市政府办公室"
GXGKS = "各相关科室"


@pytest.fixture
def plan(table: Path) -> Plan:
    return load_plan(table)


# --- the pinyin module on its own ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected_initials", "expected_full"),
    [
        (ZDB, "zwgkzdb", "zhengwugongkaizhidaoban"),
        (WZ, "zfwz", "zhengfuwangzhan"),
        (WMK, "wmk", "wenmike"),
        (XCK, "xck", "xingcaike"),
        (GXGKS, "gxgks", "gexiangguankeshi"),
        ("营商环境监督科", "yshjjdk", "yingshanghuanjingjianduke"),
        # ASCII letters and digits are kept (lower-cased), punctuation is dropped.
        ("“放管服”改革", "fgfgg", "fangguanfugaige"),
        ("A区2科", "aq2k", "aqu2ke"),
    ],
)
def test_initials_and_full_pinyin(name: str, expected_initials: str, expected_full: str) -> None:
    assert initials(name) == expected_initials
    assert full(name) == expected_full


def test_heteronym_keeps_every_reading() -> None:
    """行 in 行财科 is read both xíng and háng: both readings, toneless, in the first position."""
    first = readings(XCK)[0]
    assert {"xing", "hang"} <= set(first)
    assert all(r.isascii() and r.isalpha() for r in first)
    assert {"xck", "hck"} <= set(all_initials(XCK))


@pytest.mark.parametrize(
    ("query", "name", "expected"),
    [
        ("zwgkzdb", ZDB, True),
        ("zwgk", ZDB, True),  # prefix of the initials
        ("z", ZDB, True),
        ("zhengwugongkaizhidaoban", ZDB, True),
        ("zhengwu", ZDB, True),  # prefix of the full pinyin at a syllable boundary
        ("zhengw", ZDB, True),  # ... and inside a syllable
        ("zhen", ZDB, True),
        ("ZWGKZDB", ZDB, True),  # case does not matter
        ("zheng wu", ZDB, True),  # spaces and apostrophes between syllables are ignored
        ("zheng'wu", ZDB, True),
        ("xck", XCK, True),
        ("hck", XCK, True),
        ("xingcaike", XCK, True),
        ("hangcaike", XCK, True),
        ("hangcai", XCK, True),
        ("zwgkzdbx", ZDB, False),  # longer than the name
        ("zhengwugongkaizhidaobanx", ZDB, False),
        ("zfwz", ZDB, False),
        ("wmk", ZDB, False),
        ("kck", XCK, False),
        ("", ZDB, False),
        ("   ", ZDB, False),
        ("政务", ZDB, False),  # not Latin: the Chinese matching in units.py handles it
    ],
)
def test_name_matches(query: str, name: str, expected: bool) -> None:
    assert name_matches(query, name) is expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("wmk", ["文秘科"]),  # exact initials of one unit win over being a prefix of another's
        ("wenmike", ["文秘科"]),  # likewise an exact full pinyin
        ("wmks", ["文秘科室"]),
        ("wm", ["文秘科", "文秘科室"]),  # a prefix of both: ambiguous
        ("wenmi", ["文秘科", "文秘科室"]),
        ("hck", ["行财科"]),  # exact for the second reading too
        ("xyz", []),
    ],
)
def test_pinyin_matches_exact_wins(query: str, expected: list[str]) -> None:
    units = (Unit("文秘科"), Unit("文秘科室"), Unit(XCK))
    assert [u.name for u in pinyin_matches(units, query)] == expected


# --- resolving units against the 2021 registry ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zwgkzdb", ZDB),
        ("zhengwugongkaizhidaoban", ZDB),
        ("zwgk", ZDB),
        ("zw", ZDB),
        ("zhengwu", ZDB),
        ("ZWGKZDB", ZDB),
        ("zheng wu", ZDB),
        ("wmk", WMK),
        ("wenmike", WMK),
        ("w", WMK),
        ("zfwz", WZ),
        ("zhengfu", WZ),
        ("xck", XCK),
        ("hck", XCK),
        ("xingcaike", XCK),
        ("hangcaike", XCK),
        ("x", XCK),
        ("xzcwk", XCK),  # initials of the alias 行政财务科
        ("hzcwk", XCK),
        ("yshjjdk", FGF),  # initials of the alias 营商环境监督科
        ("fgf", FGF),
        ("msys", MSYS),
        ("hwllk", HWLLK),
        ("szfbgs", SZFBGS),
        ("gxgks", GXGKS),
        # Chinese input still works as before.
        (ZDB, ZDB),
        ("指导办", ZDB),
        ("市政府网站", WZ),
        ("行政财务科", XCK),
    ],
)
def test_resolve_unit(plan: Plan, text: str, expected: str) -> None:
    assert resolve_unit(plan, text).name == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("z", {ZDB, WZ}),  # both initials start with z
        ("zheng", {ZDB, WZ}),  # both full pinyins start with zheng (政)
        ("h", {XCK, HWLLK}),  # 行 read háng, and 会
        ("s", {WZ, SZFBGS}),  # 市政府网站 (an alias of 政府网站) and 市政府办公室
    ],
)
def test_ambiguous_pinyin_lists_the_candidates(plan: Plan, text: str, expected: set[str]) -> None:
    assert {u.name for u in unit_candidates(plan, text)} == expected
    with pytest.raises(UnknownUnit) as info:
        resolve_unit(plan, text)
    message = str(info.value)
    assert "不明确" in message
    for name in expected:
        assert name in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zwgkzdb", ZDB),
        ("zhengwugongkaizhidaoban", ZDB),
        ("zwgk", ZDB),
        ("wmk", WMK),
        ("xck", XCK),
        ("hck", XCK),
        ("xingcaike", XCK),
        ("hangcaike", XCK),
    ],
)
def test_cli_pinyin_unit_lists_the_same_tasks_as_the_chinese_name(gwgk, table: Path, text: str,
                                                                   expected: str) -> None:
    by_pinyin = gwgk("list", "--unit", text, "--format", "json")
    by_name = gwgk("list", "--unit", expected, "--format", "json")
    assert by_pinyin.exit_code == 0, by_pinyin.output
    recs = json.loads(by_pinyin.stdout)
    assert recs, "the unit has tasks in 2021"
    assert all(expected in r["units"] for r in recs)
    assert by_pinyin.stdout == by_name.stdout


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("z", [ZDB, WZ], WMK),
        ("h", [XCK, HWLLK], ZDB),
        ("zheng", [ZDB, WZ], XCK),
    ],
)
def test_cli_ambiguous_unit_exits_2_naming_the_candidates(gwgk, table: Path, text: str, expected: list[str],
                                                          not_expected: str) -> None:
    result = gwgk("list", "--unit", text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("错误：")
    assert "不明确" in result.stderr
    for name in expected:
        assert name in result.stderr
    assert not_expected not in result.stderr


@pytest.mark.parametrize("text", ["q", "xyz", "zwx", "zwgkzdbq"])
def test_cli_unknown_unit_exits_2_with_closest_units(gwgk, table: Path, text: str) -> None:
    result = gwgk("list", "--unit", text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"未知单位 “{text}”" in result.stderr
    assert "最接近的单位" in result.stderr


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("文秘课", WMK),  # Chinese typo: ranked by shared characters
        ("秘书二室", MSYS),
        ("wmkk", WMK),  # pinyin typos: one letter too many, one swapped, one missing
        ("msyss", MSYS),
        ("hwlk", HWLLK),
        ("wenmiek", WMK),
        ("szfbgss", SZFBGS),
    ],
)
def test_unknown_unit_suggests_the_unit_that_was_meant(plan: Plan, typo: str, meant: str) -> None:
    """The closest units for a near miss include the unit meant, for pinyin as for Chinese."""
    with pytest.raises(UnknownUnit) as info:
        resolve_unit(plan, typo)
    hint = str(info.value).split("最接近的单位：", 1)[1]
    assert meant in hint


# --- gwgk units shows the initials -----------------------------------------------------------


EXPECTED_INITIALS = {
    ZDB: "zwgkzdb",
    WZ: "zfwz",
    GXGKS: "gxgks",
    XCK: "xck",
    FGF: "fgfgghyshjjdk",
    WMK: "wmk",
    MSYS: "msys",
    HWLLK: "hwllk",
    SZFBGS: "szfbgs",
}


def test_units_json_has_pinyin_initials(gwgk, table: Path) -> None:
    result = gwgk("units", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["name"]: r["pinyin"] for r in rows} == EXPECTED_INITIALS


def test_units_tsv_has_a_pinyin_column(gwgk, table: Path) -> None:
    result = gwgk("units", "--format", "tsv")
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.splitlines()
    col = header.split("\t").index("拼音")
    by_name = {line.split("\t")[0]: line.split("\t")[col] for line in lines}
    assert by_name[ZDB] == "zwgkzdb"
    assert by_name[XCK] == "xck"


def test_initials_shown_by_units_are_accepted_by_unit_option(gwgk, plan: Plan, table: Path) -> None:
    """What `gwgk units` prints in the 拼音 column can be typed back as --unit and means that unit."""
    rows = json.loads(gwgk("units", "--format", "json").stdout)
    for row in rows:
        assert resolve_unit(plan, row["pinyin"]).name == row["name"], row


# --- task ids: lists and ranges ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["4"], [4]),
        (["4,15"], [4, 15]),
        (["14-16"], [14, 15, 16]),
        (["14–16"], [14, 15, 16]),  # en dash, as Word writes it
        (["14~16"], [14, 15, 16]),
        (["4\uff0c15"], [4, 15]),  # full-width comma
        (["4、15"], [4, 15]),  # 顿号
        (["4", "15"], [4, 15]),  # several arguments
        (["15", "4"], [15, 4]),  # in the order given
        (["16,14"], [16, 14]),
        (["4,4", "4"], [4]),  # no repeats
        (["1-3,2"], [1, 2, 3]),
        (["1-3", "5-6"], [1, 2, 3, 5, 6]),
        (["5-5"], [5]),
        ([" 4 , 15 "], [4, 15]),
        (["4,,15,"], [4, 15]),  # empty parts are skipped
        (["1 - 3"], [1, 2, 3]),
        ([], []),
    ],
)
def test_parse_ids(texts: list[str], expected: list[int]) -> None:
    assert parse_ids(texts) == expected


@pytest.mark.parametrize(
    ("text", "bad_part"),
    [
        ("a", "a"),
        ("5-3", "5-3"),  # backwards range
        ("1-", "1-"),
        ("-3", "-3"),
        ("-", "-"),
        ("1-2-3", "1-2-3"),
        ("4.5", "4.5"),
        ("4,x", "x"),
        ("1-a", "1-a"),
        ("1-200000", "1-200000"),  # absurdly long range
    ],
)
def test_parse_ids_rejects_bad_input(text: str, bad_part: str) -> None:
    with pytest.raises(BadValue) as info:
        parse_ids([text])
    assert f"“{bad_part}”" in str(info.value)


def _journal_tasks(table: Path) -> list[int]:
    journal = table.with_name("tasks_2021.progress.jsonl")
    if not journal.exists():
        return []
    return [json.loads(line)["task"] for line in journal.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["start", "1-3"], [1, 2, 3]),
        (["done", "4,15"], [4, 15]),
        (["done", "4、15"], [4, 15]),
        (["done", "4\uff0c15"], [4, 15]),
        (["start", "14–16"], [14, 15, 16]),
        (["start", "15", "4"], [15, 4]),
        (["start", "1-2", "2,3"], [1, 2, 3]),
        (["block", "2,3", "--note", "等待技术方案"], [2, 3]),
        (["note", "14-15", "已更新", "--percent", "50"], [14, 15]),
    ],
)
def test_write_commands_take_lists_and_ranges(gwgk, table: Path, args: list[str], expected: list[int]) -> None:
    result = gwgk(*args)
    assert result.exit_code == 0, result.output
    assert _journal_tasks(table) == expected
    reported = [int(line.split()[1].split("：")[0]) for line in result.stdout.splitlines()]
    assert reported == expected


def test_reopen_takes_a_range(gwgk, table: Path) -> None:
    assert gwgk("done", "2,3").exit_code == 0
    result = gwgk("reopen", "2-3")
    assert result.exit_code == 0, result.output
    assert _journal_tasks(table) == [2, 3, 2, 3]
    assert "任务 2：已完成 → 推进中" in result.stdout
    assert "任务 3：已完成 → 推进中" in result.stdout


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (["done", "4,99"], "99"),
        (["start", "27-29"], "29"),
        (["start", "0-1"], "0"),
        (["note", "4,99", "x"], "99"),
        (["show", "27-29"], "29"),
        (["log", "4,99"], "99"),
    ],
)
def test_unknown_id_in_a_list_is_all_or_nothing(gwgk, table: Path, args: list[str], missing: str) -> None:
    result = gwgk(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：")
    assert missing in result.stderr
    assert result.stdout == ""
    assert _journal_tasks(table) == []


@pytest.mark.parametrize(
    ("args", "bad_part"),
    [
        (["show", "a"], "a"),
        (["show", "5-3"], "5-3"),
        (["done", "1-"], "1-"),
        (["start", "5-3"], "5-3"),
        (["note", "x,4", "进展"], "x"),
        (["log", "1-"], "1-"),
        (["block", "a", "--note", "n"], "a"),
    ],
)
def test_bad_ids_exit_2_and_name_the_bad_part(gwgk, table: Path, args: list[str], bad_part: str) -> None:
    result = gwgk(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"“{bad_part}”" in result.stderr
    assert _journal_tasks(table) == []


@pytest.mark.parametrize("command", ["show", "start", "done", "reopen", "note"])
@pytest.mark.parametrize("ids", ["", ","])
def test_an_id_list_with_no_ids_is_an_error(gwgk, table: Path, command: str, ids: str) -> None:
    """`gwgk show ""` must not succeed silently: nothing was asked for."""
    args = [command, ids] + (["进展"] if command == "note" else [])
    result = gwgk(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("错误：")
    assert _journal_tasks(table) == []


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["14-16"], [14, 15, 16]),
        (["4,15"], [4, 15]),
        (["16,14"], [16, 14]),
        (["4", "15"], [4, 15]),
        (["27–28"], [27, 28]),
    ],
)
def test_show_takes_lists_and_ranges(gwgk, table: Path, ids: list[str], expected: list[int]) -> None:
    result = gwgk("show", *ids, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == expected


def test_show_single_id_range_gives_one_record(gwgk, table: Path) -> None:
    result = gwgk("show", "14-14", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == 14


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["4,15"], {4, 15}),
        (["1-3"], {1, 3}),  # 2 has no history
        (["4", "1"], {1, 4}),
        (["2"], set()),
    ],
)
def test_log_takes_lists_and_ranges(gwgk, table: Path, ids: list[str], expected: set[int]) -> None:
    for args in (["done", "4,15"], ["start", "1"], ["start", "3"], ["note", "16", "进展"]):
        assert gwgk(*args).exit_code == 0
    result = gwgk("log", *ids, "--format", "json")
    assert result.exit_code == 0, result.output
    assert {r["task"] for r in json.loads(result.stdout)} == expected
