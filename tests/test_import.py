"""gwgk import: reading a notice (text or HTML) into a task table.

Each fixture under tests/fixtures/import/ is one layout; CASES says what must come out of it.
The 2021 notice is compared with the hand-transcribed data/tasks_2021.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwgk_cli.importer import (
    ImportResult,
    NoticeError,
    decode_notice,
    dump_table,
    import_notice,
    is_collective,
    parse_units,
    short_title,
)

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "import"
NOTICE_2021 = ROOT / "data" / "source" / "huainan-2021-notice.txt"
TABLE_2021 = ROOT / "data" / "tasks_2021.yaml"
IMPORTED = dt.date(2026, 11, 26)


def imp(name: str, **kwargs: Any) -> ImportResult:
    path = FIXTURES / name
    return import_notice(path.read_bytes(), source_name=name, imported=IMPORTED, **kwargs)


def by_id(result: ImportResult) -> dict[int, dict[str, Any]]:
    return {t["id"]: t for t in result.table["tasks"]}


def outline(result: ImportResult) -> list[tuple[int, str, list[tuple[int, str]]]]:
    return [
        (s["no"], s["title"], [(b["no"], b["title"]) for b in s["subsections"]]) for s in result.table["sections"]
    ]


# --------------------------------------------------------------------------- fixtures, table-driven

# For each fixture: sections (no, title, [(no, title)]), tasks {id: (section, subsection, units,
# leads or None, deadline)}, optional notice_progress, meta, collective units, and the warnings
# (substrings, exactly as many as listed).
CASES: dict[str, dict[str, Any]] = {
    # Issue 15: each cell on its own line ending in " |", "||" between rows, section and subsection rows
    # inside the table, a 【…】 tag before the title, a 责任科室/完成时限 header, a subsection heading
    # ending in 。, a 进展情况 cell for task 1 only, 区政府网站/政府网站 (the issuer's place prefix 区).
    "cell-pipes.txt": {
        "sections": [
            (1, "深化重点领域信息公开", [(1, "做好各类规划主动公开"), (2, "加强财政信息公开")]),
            (2, "强化政策解读", []),
        ],
        "tasks": {
            1: (1, 1, ["区政府网站", "区发改委"], None, "2024年6月底前"),
            2: (1, 1, ["政府网站", "区自然资源局"], None, "持续推进"),
            3: (1, 2, ["区财政局", "各相关科室"], None, "年底前"),
            4: (2, None, ["办公室"], None, "持续推进"),
        },
        "progress": {1: "已建立“规划信息”专题，相关规划信息正在完善。"},
        "titles": {1: "公开国民经济和社会发展规划纲要", 2: "及时公开规划调整、修订情况"},
        "aliases": {"政府网站": ["区政府网站"]},
        "meta": {"title": "某区2024年政务公开重点工作任务分工", "issuer": "某区", "published": dt.date(2024, 1, 1),
                 "year": 2024},
        "collective": ["各相关科室"],
        "warnings": ["未找到发布时间", "全角标点被折成了半角"],
    },
    # Issue 15: no title, issuer or date anywhere; 工作措施 / 牵头单位 + 配合单位 header.
    "no-meta.txt": {
        "sections": [(1, "推进决策公开", [])],
        "tasks": {
            1: (1, None, ["司法局", "各相关单位"], None, "年底前"),
            2: (1, None, ["政府办", "司法局", "融媒体中心"], ["政府办", "司法局"], "持续推进"),
        },
        "meta": {"title": "政务公开重点工作任务分工", "issuer": "（待填写发布机关）", "published": dt.date(2026, 1, 1),
                 "year": 2026},
        "collective": ["各相关单位"],
        "warnings": ["未找到标题", "都没有年份", "未找到发布机关", "未找到发布时间"],
    },
    # Issue 15: numbered tasks (1.…) without any column header.
    "numbered-no-header.txt": {
        "sections": [(1, "加强主动公开", []), (2, "强化政策解读", [])],
        "tasks": {
            1: (1, None, ["党政办"], None, "年底前"),
            2: (1, None, ["财政所"], None, "持续推进"),
            3: (2, None, ["党政办"], None, "持续推进"),
        },
        "meta": {"issuer": "示例街道", "published": dt.date(2025, 2, 10), "year": 2025},
        "warnings": [],
    },
    # Unseen layout: no table, numbered paragraphs with labelled fields inside the text (牵头单位：…；
    # 配合单位：…。完成时限：…), on the task's line, on lines of their own, or in parentheses.
    "inline-lead-co.txt": {
        "sections": [(1, "深化决策公开", []), (2, "加强政务公开平台建设", [])],
        "tasks": {
            1: (1, None, ["县司法局", "县政府办"], None, "2025年6月底前"),
            2: (1, None, ["县政府办", "各乡镇", "县直各部门"], None, "持续推进"),
            3: (2, None, ["县数据资源局"], None, "年底前"),
        },
        "requirements": {
            1: "公开重大行政决策事项目录，做好决策前公开征求意见。",
            2: "做好政策解读，解读材料与政策文件同步发布。",
            3: "优化政府网站政策文件库，及时清理失效文件。",
        },
        "meta": {"title": "示例县2025年政务公开工作要点任务分工", "issuer": "示例县",
                 "published": dt.date(2025, 3, 5), "year": 2025},
        "collective": ["县直各部门"],  # 各乡镇: the governments below, one unit
        "warnings": [],
    },
    # Unseen layout: a table saved by Word as a web page (filtered), in GB2312 as its <meta> says: text in
    # <span>s broken over source lines, two <p> in a cell, &nbsp; for empty cells, a 备注 column.
    "word-export.gb2312.html": {
        "sections": [(1, "做好社会救助信息公开", []), (2, "做好养老服务信息公开", [])],
        "tasks": {
            1: (1, None, ["社会救助处"], None, "2024年6月底前"),
            2: (1, None, ["社会救助处", "办公室"], None, "持续推进"),
            3: (2, None, ["养老服务处"], None, "2024年底前"),
        },
        "requirements": {1: "公开最低生活保障标准和救助程序，每季度更新保障对象数据。"},
        "progress": {2: "已公开"},
        "meta": {"title": "示例市民政局2024年政务公开重点工作任务分工", "issuer": "示例市民政局",
                 "published": dt.date(2024, 4, 8), "year": 2024},
        "warnings": [],
    },
    "pipe-rows.md": {
        "sections": [
            (1, "聚焦重点领域", [(1, "规划信息公开"), (2, "财政信息公开")]),
            (2, "聚焦平台建设", [(1, "网站建设")]),
        ],
        "tasks": {
            1: (1, 1, ["规划科"], None, "2022年6月底前"),
            2: (1, 1, ["规划科", "办公室"], None, "年底前"),
            3: (1, 2, ["财务科"], None, "2022年底前"),
            4: (2, 1, ["信息中心"], None, "11月底前完成"),
            5: (2, 1, ["信息中心", "各科室"], None, "持续推进"),
        },
        "requirements": {4: "完善门户网站政策文件库，实现规范性文件全面归集。"},  # ， restored  # a | row wrapped over two lines
        "meta": {"title": "示例市数据资源局2022年政务公开重点工作任务分工", "issuer": "示例市数据资源局",
                 "published": dt.date(2022, 3, 15), "year": 2022},
        "collective": ["各科室"],
        "warnings": ["全角标点被折成了半角"],
    },
    "pipe-lines.txt": {
        "sections": [(1, "推进政务公开", [])],
        "tasks": {
            1: (1, None, ["综合科"], None, "2022年6月底前"),
            2: (1, None, ["法制科", "综合科"], None, "年底前"),
            3: (1, None, ["综合科"], None, "2022年1月31日前"),
        },
        "requirements": {
            1: "依托政府网站开设优化营商环境专题，集中公开惠企政策。",  # wrapped cell; ， restored
            2: "规范依申请公开办理流程，",  # a cell ending in a comma is still one cell
        },
        "progress": {2: "已制定流程图"},  # 备注 column; tasks 1 and 3 have it empty (||)
        # No date in the notice: the first day of the plan year stands in (a warning, a YAML comment).
        "meta": {"issuer": "示例县人民政府办公室", "published": dt.date(2022, 1, 1), "year": 2022},
        "warnings": ["未找到发布时间", "全角标点被折成了半角"],
    },
    "group-column.md": {
        "sections": [(1, "深化决策公开", []), (2, "加强政策解读", [])],
        "tasks": {
            1: (1, None, ["法制科"], None, "3月底前"),
            2: (1, None, ["各相关科室"], None, "持续推进"),
            3: (2, None, ["各相关科室"], None, "年底前"),
            4: (2, None, ["办公室"], None, "下半年"),
        },
        "meta": {"issuer": "示例区司法局", "year": 2022},
        "collective": ["各相关科室"],
        "warnings": ["未找到发布时间"],
    },
    "numbers-in-text.txt": {
        "sections": [
            (1, "加强主动公开", [(1, "规划公开"), (2, "财政公开")]),
            (2, "提升公开质量", [(1, "政策解读")]),
        ],
        "tasks": {
            1: (1, 1, ["区发展改革委"], None, "年底前"),
            2: (1, 1, ["区自然资源局"], None, "2022年底前"),
            3: (1, 2, ["区财政局"], None, "年底前"),
            4: (2, 1, ["区政府办"], None, "持续推进"),
            6: (2, 1, ["各街道"], None, "年底前"),
        },
        "requirements": {1: "依托政府网站开设规划专栏。", 3: "做好预决算公开。", 4: "同步发布解读材料,解读率达到100%。"},
        "meta": {"issuer": "示例区人民政府", "year": 2022},
        "collective": [],  # 各街道: the governments below, one unit
        "warnings": ["未找到发布时间", "从 4 跳到 6"],
    },
    "lead-co-progress.md": {
        "sections": [(1, "深化重点领域信息公开", [])],
        "tasks": {
            1: (1, None, ["市发展改革委", "市财政局", "市住房城乡建设局"], None, "2023年6月底前"),
            2: (1, None, ["市税务局", "市财政局", "各县(区)人民政府(管委会)"], ["市税务局", "市财政局"], "年底前"),
            3: (1, None, ["市教育局"], None, "8月底前"),
        },
        "progress": {1: "已公开项目清单", 3: "已完成"},
        "meta": {
            "title": "示例市2023年政务公开重点工作任务分工",
            "notice_title": "关于印发示例市2023年政务公开重点工作任务分工的通知",
            "issuer": "示例市",
            "published": dt.date(2023, 4, 2),
            "year": 2023,
        },
        "collective": [],  # the governments below, one unit
        "warnings": [],
    },
    "unit-markers.txt": {
        "sections": [(1, "推进政务公开标准化", [(1, "完善标准目录")])],
        "tasks": {
            1: (1, 1, ["市政务公开办", "市司法局", "市直各部门"], ["市政务公开办", "市司法局"], "2022年6月底前"),
            2: (1, 1, ["市政务公开办", "各部门"], None, "年底前"),
            3: (1, 1, ["市民政局", "市卫生健康委"], ["市民政局", "市卫生健康委"], "持续推进"),
            4: (1, 1, ["各县（区）人民政府（管委会）", "市政务公开办"], None, "年底前"),
            5: (1, 1, ["市政府办公室", "相关业务科室"], None, "第三季度"),
        },
        "meta": {"issuer": "示例市人民政府办公室", "year": 2022},
        "collective": ["市直各部门", "各部门", "相关业务科室"],
        "warnings": ["未找到发布时间"],
    },
    "chrome.txt": {
        "sections": [(1, "加强数据开放", [])],
        "tasks": {
            1: (1, None, ["数据管理科"], None, "2022年9月底前"),
            2: (1, None, ["数据管理科", "信息中心"], None, "年底前"),
        },
        "meta": {"title": "示例市数据资源局2022年政务公开重点工作任务分工", "issuer": "示例市数据资源局",
                 "published": dt.date(2022, 5, 20), "year": 2022},
        "warnings": [],
    },
    "cut-off.txt": {
        "sections": [(1, "深化政务公开", [])],
        "tasks": {1: (1, None, ["县委编办"], None, "年底前")},
        "meta": {"issuer": "示例县", "year": 2022},
        "warnings": ["未找到发布时间", "任务 2 不完整"],
    },
    "cut-off-chrome.txt": {
        "sections": [(1, "深化政务公开", [])],
        "tasks": {1: (1, None, ["县委编办"], None, "年底前")},
        "meta": {"issuer": "示例县", "year": 2022},
        "warnings": ["未找到发布时间", "任务 2 不完整"],
    },
    "layout-table.html": {  # the task table inside a layout table's cell
        "sections": [(1, "加强教育信息公开", [])],
        "tasks": {
            1: (1, None, ["基教股", "各学校"], None, "5月底前"),
            2: (1, None, ["资助中心"], None, "年底前"),
        },
        "requirements": {1: "公开义务教育招生入学政策。"},  # <br> inside a cell
        "progress": {2: "每学期更新"},
        "meta": {"title": "示例县教育局2022年政务公开重点工作任务分工", "issuer": "示例县教育局",
                 "published": dt.date(2022, 3, 1), "year": 2022},
        "collective": ["各学校"],
        "warnings": [],
    },
    "title-column.md": {  # 一、 and (一) headings: the 工作任务 column is each task's title
        "sections": [(1, "深化公开", [(1, "规划公开"), (2, "财政公开")])],
        "tasks": {
            1: (1, 1, ["甲局", "乙局"], ["甲局", "乙局"], "年底前"),  # a 牵头单位 column: all of them lead
            2: (1, 1, ["丙局"], None, "2022年12月31日前"),
            3: (1, 2, ["财政局"], None, "持续"),
        },
        "titles": {1: "公开规划纲要", 2: "公开专项规划", 3: "预决算公开"},
        "requirements": {2: "公开专项规划,并做好专项规划的解读。"},  # continued on a second row
        "meta": {"title": "某市2022年政务公开重点工作任务分工", "issuer": "某市",
                 "published": dt.date(2022, 2, 28), "year": 2022},
        "warnings": [],
    },
    "page.html": {
        "sections": [(1, "聚焦重点领域", [(1, "规划公开")]), (2, "聚焦平台建设", [(1, "政府网站")])],
        "tasks": {
            1: (1, 1, ["市发展改革委"], None, "年底前"),
            2: (1, 1, ["市自然资源和规划局"], None, "年底前"),  # rowspan'd deadline
            3: (2, 1, ["市数据资源局", "各县(区)人民政府"], None, "2022年10月底前"),
        },
        "requirements": {
            1: "公开“十四五”规划纲要。",  # entities decoded
            2: "公开国土空间规划，做好解读。",  # a cell over two source lines; ， restored
            3: "推进政府网站集约化，支持 IPv6。",
        },
        "meta": {
            "title": "示例市2022年政务公开重点工作任务分工",
            "notice_title": "关于印发示例市2022年政务公开重点工作任务分工的通知",
            "issuer": "示例市",
            "published": dt.date(2022, 4, 1),
            "year": 2022,
        },
        "collective": [],
        "warnings": ["全角标点被折成了半角"],
    },
}


TEXT_SUFFIXES = (".txt", ".md", ".html")  # the binary fixtures are checked in test_import_formats.py


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.suffix in TEXT_SUFFIXES) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture(name: str) -> None:
    case = CASES[name]
    result = imp(name)
    table = result.table
    assert outline(result) == case["sections"]
    tasks = by_id(result)
    assert [t["id"] for t in table["tasks"]] == list(case["tasks"])
    for tid, (section, subsection, units, leads, deadline) in case["tasks"].items():
        task = tasks[tid]
        assert (task["section"], task["subsection"]) == (section, subsection), tid
        assert task["units"] == units, tid
        assert task.get("leads") == leads, tid
        assert task["deadline"] == deadline, tid
        assert task.get("notice_progress") == case.get("progress", {}).get(tid), tid
        assert task["requirement"] and task["title"]
        assert 2 <= len(task["title"]) <= 16, task["title"]
    for tid, requirement in case.get("requirements", {}).items():
        assert tasks[tid]["requirement"] == requirement
    for tid, title in case.get("titles", {}).items():
        assert tasks[tid]["title"] == title
    for key, value in case["meta"].items():
        assert table["meta"][key] == value, key
    registry = [u["name"] for u in table["units"]]
    canonical = {a: name for name, aliases in case.get("aliases", {}).items() for a in aliases}
    first_seen = list(dict.fromkeys(canonical.get(n, n) for t in table["tasks"] for n in t["units"]))
    assert registry == first_seen
    assert {u["name"]: u["aliases"] for u in table["units"] if "aliases" in u} == case.get("aliases", {})
    collective = [u["name"] for u in table["units"] if u.get("collective")]
    assert collective == case.get("collective", [])
    assert len(result.warnings) == len(case["warnings"]), [str(w) for w in result.warnings]
    for expected, warning in zip(case["warnings"], result.warnings, strict=True):
        assert expected in warning.message
    assert table["source"] == {
        "file": name,
        "sha256": __import__("hashlib").sha256((FIXTURES / name).read_bytes()).hexdigest(),
        "imported": IMPORTED,
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_explain_accounts_for_every_line(name: str) -> None:
    result = imp(name)
    data = decode_notice((FIXTURES / name).read_bytes(), html=name.endswith(".html"))
    n_lines = len(data.splitlines())
    assert [e.lineno for e in result.explain] == list(range(1, n_lines + 1))
    assert all(e.became for e in result.explain)
    # The labels are Chinese: no English word in them, nor in the warnings.
    assert [e.became for e in result.explain if any(c.isascii() and c.isalpha() for c in e.became)] == []
    for warning in result.warnings:
        assert 0 <= warning.lineno <= n_lines
        # (YAML keys such as meta.issuer and the option --year are named as the clerk types them.)
        assert not re.search(r"[A-Za-z]{4,}", re.sub(r"meta\.\w+|--year", "", warning.message)), warning
    s = len(result.table["sections"])
    b = sum(len(x["subsections"]) for x in result.table["sections"])
    assert result.summary() == f"{s} 个部分，{b} 个小节，{len(result.table['tasks'])} 项任务，{len(result.warnings)} 条警告"


@pytest.mark.parametrize("name", sorted(CASES))
def test_dumped_table_loads(name: str, tmp_path: Path) -> None:
    """The YAML written for a fixture is a valid task table as written (missing meta has stand-ins)."""
    from gwgk_cli.table import check_table

    result = imp(name)
    table = result.table
    path = tmp_path / "tasks.yaml"
    path.write_text(dump_table(table, drafts=result.drafts, placeholders=result.placeholders), encoding="utf-8")
    plan, problems = check_table(path)
    assert plan is not None
    assert [str(p) for p in problems if p.fatal] == []
    assert len(plan.tasks) == len(table["tasks"])


def test_explain_details() -> None:
    explain = {e.lineno: e.became for e in imp("cut-off-chrome.txt").explain}
    assert explain[1] == "元数据 标题"
    assert explain[2] == "表头 工作任务"
    assert explain[6] == "部分 一 标题"
    assert explain[7] == "任务 1 序号"
    assert explain[8] == "任务 1 具体要求"
    assert explain[11] == "任务 2 序号（文本在此截断，未导入）"
    assert explain[13] == "跳过：网页框架（表格后）"
    assert explain[14] == "跳过：网页框架"
    explain = {e.lineno: e.became for e in imp("pipe-lines.txt").explain}
    assert explain[4] == "单元格分隔符"
    assert explain[18] == "任务 1 具体要求（续行）"
    assert explain[23] == "任务 1 进展情况（空）"
    explain = {e.lineno: e.became for e in imp("chrome.txt").explain}
    assert explain[1] == "跳过：网页框架（表格前）"
    assert explain[2] == "跳过：网页框架"
    assert explain[5] == "元数据 发布时间（网页框架行）"
    assert explain[8] == "元数据 标题"


def test_gb18030_file(tmp_path: Path) -> None:
    text = (FIXTURES / "unit-markers.txt").read_text(encoding="utf-8")
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = tmp_path / "notice-gbk.txt"
    path.write_bytes(data)
    result = import_notice(path.read_bytes(), source_name=path.name, imported=IMPORTED)
    reference = imp("unit-markers.txt")
    assert result.table["tasks"] == reference.table["tasks"]
    assert result.table["units"] == reference.table["units"]
    assert result.table["source"]["sha256"] != reference.table["source"]["sha256"]


def test_decode_notice() -> None:
    assert decode_notice("序号".encode()) == "序号"
    assert decode_notice(b"\xef\xbb\xbf" + "序号".encode()) == "序号"
    assert decode_notice("责任单位".encode("gb18030")) == "责任单位"
    with pytest.raises(NoticeError, match="编码"):
        decode_notice(b"\x81\x30\xff\xff")


def test_utf8_bom_is_ignored() -> None:
    data = (FIXTURES / "chrome.txt").read_bytes()
    with_bom = import_notice(b"\xef\xbb\xbf" + data, source_name="x.txt", imported=IMPORTED)
    assert with_bom.table["tasks"] == imp("chrome.txt").table["tasks"]


def test_tab_separated_rows_in_utf16() -> None:
    """Cells copied from a browser table come separated by tabs (an empty cell = two tabs)."""
    text = (
        "某局2022年政务公开重点工作任务分工\n序号\t工作任务\t具体要求\t责任单位\t完成时限\n一、深化公开\n"
        "1\t规划\t公开规划纲要。\t甲局\t年底前\n2\t\t公开专项规划。\t乙局\t6月底前\n"
    )
    result = import_notice(text.encode("utf-16"), source_name="x.txt")
    assert outline(result) == [(1, "深化公开", [(1, "规划")])]
    assert [(t["id"], t["subsection"], t["units"], t["deadline"]) for t in result.table["tasks"]] == [
        (1, 1, ["甲局"], "年底前"),
        (2, 1, ["乙局"], "6月底前"),
    ]


def test_br_in_pipe_cells() -> None:
    text = "| 序号 | 具体要求 | 责任单位 | 时限要求 |\n| 1 | 公开规划<br>纲要。 | 甲局 | 年底前 |\n"
    result = import_notice(text.encode(), source_name="x.md")
    assert result.table["tasks"][0]["requirement"] == "公开规划纲要。"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n  \n",
        "关于印发某某的通知\n各科室:\n现将有关事项通知如下。\n",
        "具体要求\n",
        "<html><body><p>没有表格</p></body></html>",
    ],
)
def test_no_task_table(text: str) -> None:
    with pytest.raises(NoticeError, match="未找到任务表"):
        import_notice(text.encode(), source_name="x.txt")


def test_header_without_tasks() -> None:
    with pytest.raises(NoticeError, match="未找到任务表：第 1 行是任务表的表头，但其后没有一项完整的任务"):
        import_notice("序号\n具体要求\n责任单位\n时限要求\n一、标题\n".encode(), source_name="x.txt")


def test_year_option_and_unreadable_deadline() -> None:
    text = "具体要求\n责任单位\n时限要求\n1\n做好公开。\n办公室\n尽快\n2\n做好解读。\n办公室\n年底前\n"
    result = import_notice(text.encode(), source_name="x.txt", year=2024)
    assert result.table["meta"]["year"] == 2024
    assert [t["deadline"] for t in result.table["tasks"]] == ["尽快", "年底前"]
    messages = [w.message for w in result.warnings]
    assert any("“尽快”无法识别" in m for m in messages)
    assert any("任务前没有部分标题" in m for m in messages)
    unreadable = next(w for w in result.warnings if "尽快" in w.message)
    assert unreadable.lineno == 7


def test_missing_field_mid_table_is_kept_with_a_warning() -> None:
    text = "具体要求\n责任单位\n时限要求\n一、甲\n1\n做好公开。\n办公室\n2\n做好解读。\n办公室\n年底前\n"
    result = import_notice(text.encode(), source_name="x.txt")
    assert [t["id"] for t in result.table["tasks"]] == [1, 2]
    assert result.table["tasks"][0]["deadline"] == ""
    assert any("任务 1 缺少时限要求" in w.message for w in result.warnings)


def test_repeated_number_is_renumbered() -> None:
    text = "具体要求\n责任单位\n时限要求\n一、甲\n1\n甲事。\n办公室\n年底前\n1\n乙事。\n办公室\n年底前\n"
    result = import_notice(text.encode(), source_name="x.txt")
    assert [t["id"] for t in result.table["tasks"]] == [1, 2]
    assert any("序号 1 重复" in w.message for w in result.warnings)


# A row with only a 工作任务 cell (``| | 规划公开 | | | |``) is a group label, like a merged
# group cell: no task, no warning. Rows are (序号, 工作任务, 具体要求, 责任单位, 时限要求); a str is a
# heading row (colspan in HTML). groups: what each group-only row became (explain label, then the
# sections outline or the title of the next task).
_GROUP_HEADER = ("序号", "工作任务", "具体要求", "责任单位", "时限要求")
_GROUP_TASKS = {
    1: ("", "公开规划纲要。", "甲局", "年底前"),
    2: ("", "公开专项规划。", "乙局", "6月底前"),
    3: ("", "公开预决算报告。", "财政局", "年底前"),
}
GROUP_ROW_CASES: dict[str, dict[str, Any]] = {
    "subsection": {  # 一、 sections, no (一): the group is a subsection
        "rows": ["一、加强主动公开", ("", "规划公开"), 1, 2, ("", "财政公开"), 3],
        "labels": {"规划公开": "小节 1.1 标题（工作任务列）", "财政公开": "小节 1.2 标题（工作任务列）"},
        "sections": [(1, "加强主动公开", [(1, "规划公开"), (2, "财政公开")])],
        "placed": {1: (1, 1), 2: (1, 1), 3: (1, 2)},
        "titles": {},
    },
    "section": {  # no headings: the group is a section
        "rows": [("", "规划公开"), 1, 2, ("", "财政公开"), 3],
        "labels": {"规划公开": "部分 一 标题（工作任务列）", "财政公开": "部分 二 标题（工作任务列）"},
        "sections": [(1, "规划公开", []), (2, "财政公开", [])],
        "placed": {1: (1, None), 2: (1, None), 3: (2, None)},
        "titles": {},
    },
    "title": {  # 一、 and (一) headings: the group is the next task's title
        "rows": ["一、加强主动公开", "(一)规划公开", ("", "规划纲要"), 1, 2, "(二)财政公开", ("", "预决算"), 3],
        "labels": {"规划纲要": "下一项任务的标题（工作任务列）", "预决算": "下一项任务的标题（工作任务列）"},
        "sections": [(1, "加强主动公开", [(1, "规划公开"), (2, "财政公开")])],
        "placed": {1: (1, 1), 2: (1, 1), 3: (1, 2)},
        "titles": {1: "规划纲要", 2: "公开专项规划", 3: "预决算"},
    },
}


def _group_row_cells(row: str | int | tuple[str, ...]) -> list[str]:
    if isinstance(row, int):
        return [str(row), *_GROUP_TASKS[row]]
    if isinstance(row, str):
        return ["", row, "", "", ""]
    return [*row, "", "", ""][:5]


def _group_row_notice(rows: list[Any], fmt: str) -> str:
    lead = ["示例市2022年政务公开重点工作任务分工", "发布时间:2022-03-01"]
    if fmt == "pipe":
        body = [_GROUP_HEADER, *(_group_row_cells(r) for r in rows)]
        lines = ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join([*lead, "", lines[0], "|---|---|---|---|---|", *lines[1:]]) + "\n"
    out = [f"<p>{lead[0]}</p>", f"<p>{lead[1]}</p>", "<table>"]
    out.append("<tr>" + "".join(f"<th>{c}</th>" for c in _GROUP_HEADER) + "</tr>")
    for r in rows:
        if isinstance(r, str):
            out.append(f'<tr><td colspan="5">{r}</td></tr>')
        else:
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in _group_row_cells(r)) + "</tr>")
    return "\n".join(["<html><body>", *out, "</table>", "</body></html>"]) + "\n"


@pytest.mark.parametrize("fmt", ["pipe", "html"])
@pytest.mark.parametrize("layout", sorted(GROUP_ROW_CASES))
def test_group_only_row_is_a_group_label(layout: str, fmt: str) -> None:
    case = GROUP_ROW_CASES[layout]
    text = _group_row_notice(case["rows"], fmt)
    result = import_notice(text.encode(), source_name="x.html" if fmt == "html" else "x.md")
    assert [str(w) for w in result.warnings] == []
    assert outline(result) == case["sections"]
    tasks = by_id(result)
    assert list(tasks) == [1, 2, 3]  # the notice's own numbers; no task for a group-only row
    assert {tid: (t["section"], t["subsection"]) for tid, t in tasks.items()} == case["placed"]
    assert [t["requirement"] for t in tasks.values()] == [v[1] for v in _GROUP_TASKS.values()]
    for tid, title in case["titles"].items():
        assert tasks[tid]["title"] == title
    explain = {e.lineno: e.became for e in result.explain}
    lines = text.splitlines()
    for group, label in case["labels"].items():
        lineno = next(k for k, line in enumerate(lines, 1) if f">{group}<" in line or f"| {group} |" in line)
        assert explain[lineno] == label


def test_2021_cut_anywhere() -> None:
    """The 2021 notice cut after any line (or in the middle of it): only complete tasks come in, unchanged."""
    lines = NOTICE_2021.read_text(encoding="utf-8").split("\n")
    full = {t["id"]: t for t in import_notice("\n".join(lines).encode(), source_name="x").table["tasks"]}
    for k in range(len(lines) + 1):
        for half in (False, True):
            part = lines[:k]
            if half and part and len(part[-1]) > 10:
                part = [*part[:-1], part[-1][: len(part[-1]) // 2]]
            try:
                result = import_notice("\n".join(part).encode(), source_name="x")
            except NoticeError:
                continue
            tasks = result.table["tasks"]
            assert tasks == [full[t["id"]] for t in tasks], k
            assert len({t["section"] for t in tasks}) == len(result.table["sections"]), k  # no empty section
            assert [t["id"] for t in tasks] == list(range(1, len(tasks) + 1)), k
            if half and k in (32, 40, 296):  # cut inside a requirement: reported
                assert any("不完整" in w.message for w in result.warnings), k


# --------------------------------------------------------------------------- units, titles


@pytest.mark.parametrize(
    ("cell", "units", "leads"),
    [
        ("政务公开指导办", ["政务公开指导办"], []),
        ("政务公开指导办、政府网站,各相关科室", ["政务公开指导办", "政府网站", "各相关科室"], []),
        ("A局、B局牵头,C局配合", ["A局", "B局", "C局"], ["A局", "B局"]),
        ("A局、B局牵头，C局、D局配合", ["A局", "B局", "C局", "D局"], ["A局", "B局"]),
        ("A局牵头,各部门负责落实", ["A局", "各部门"], ["A局"]),
        ("A局、B局分别牵头落实", ["A局", "B局"], ["A局", "B局"]),
        ("各县(区)人民政府(管委会)", ["各县(区)人民政府(管委会)"], []),
        ("各县（区）人民政府（管委会）、市直各部门", ["各县（区）人民政府（管委会）", "市直各部门"], []),
        ("A局（牵头）、B局参与", ["A局", "B局"], ["A局"]),
        ("牵头单位:A局;配合单位:B局、C局", ["A局", "B局", "C局"], ["A局"]),
        ("A局、B局等", ["A局", "B局"], []),
        ("“放管服”改革和营商环境监督科、政务公开指导办", ["“放管服”改革和营商环境监督科", "政务公开指导办"], []),
        ("A局牵头、B局配合", ["A局", "B局"], ["A局"]),
        ("市政府办公室按职责分工负责", ["市政府办公室"], []),
    ],
)
def test_parse_units(cell: str, units: list[str], leads: list[str]) -> None:
    assert parse_units(cell) == (units, leads)


@pytest.mark.parametrize(
    ("name", "collective"),
    [
        ("各科室", True), ("各相关科室", True), ("相关业务科室", True), ("各部门", True),
        ("有关单位", True), ("市直各部门", True), ("市直有关单位", True), ("县直相关单位", True),
        ("各市直单位", True), ("市直各行政执法单位", True), ("各县直单位", True), ("各区直部门", True),
        ("各县直有关单位", True), ("各镇直单位", True),
        ("政务公开指导办", False), ("市政府办公室", False), ("政府网站", False),
        # Found by a new-year walkthrough: the governments below are the notice's addressee, not every unit.
        ("各县(区)人民政府(管委会)", False), ("各县（市、区）政府", False), ("各乡镇（街道）", False),
        ("各区人民政府", False), ("各市人民政府", False), ("各开发区管委会", False),
    ],
)
def test_collective_rule(name: str, collective: bool) -> None:
    assert is_collective(name) is collective


@pytest.mark.parametrize(
    ("requirement", "title"),
    [
        ("建立市级政策文件库,实现规章和规范性文件全面归集。", "建立市级政策文件库"),
        ("做好市政府办公室的预算、决算及相关报表公开。", "做好市政府办公室的预算、决算"),
        ("认真贯彻落实中央、省、市经济工作会议精神、《政府工作报告》要求", "认真贯彻落实中央"),
        ("1.依托政府网站开设规划专栏。", "依托政府网站开设规划专栏"),
        ("重大行政决策事项目录年初向社会公布。", "重大行政决策事项目录年初"),
    ],
)
def test_short_title(requirement: str, title: str) -> None:
    assert short_title(requirement) == title
    assert len(short_title(requirement)) <= 16


# --------------------------------------------------------------------------- dump


def test_dump_table() -> None:
    result = imp("unit-markers.txt")
    text = dump_table(result.table)
    assert text.startswith("# ")
    assert "gwgk import" in text.splitlines()[0] + text.splitlines()[1]
    assert "unit-markers.txt" in text.splitlines()[0]
    assert "imported: 2026-11-26" in text
    assert "units: [市政务公开办, 市司法局, 市直各部门]" in text
    assert "\\u" not in text
    loaded = yaml.safe_load(text)
    assert loaded == result.table  # `no` keys are quoted, dates stay dates


# --------------------------------------------------------------------------- the 2021 notice

needs_2021 = pytest.mark.skipif(not TABLE_2021.exists(), reason="data/tasks_2021.yaml not written yet")


@pytest.fixture(scope="module")
def result_2021() -> ImportResult:
    return import_notice(NOTICE_2021.read_bytes(), source_name=NOTICE_2021.name, imported=IMPORTED)


@pytest.fixture(scope="module")
def reference_2021() -> dict[str, Any]:
    with open(TABLE_2021, encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def _fold(text: str, reference: dict[str, Any]) -> str:
    """The punctuation repair undone (，：；（） -> , : ; ( ))."""
    for repair in reference.get("repairs") or []:
        if repair["field"] == "punctuation":
            text = text.translate(str.maketrans(repair["restored"], repair["scraped"]))
    return text


def _undo_repairs(reference: dict[str, Any]) -> dict[int, str]:
    """The reference requirements with each repair undone: the scrape's text (ASCII punctuation)."""
    texts = {t["id"]: _fold(t["requirement"], reference) for t in reference["tasks"]}
    for repair in reference.get("repairs") or []:
        if repair["field"] == "requirement":
            tid = repair["task"]
            assert repair["restored"] in texts[tid], repair
            texts[tid] = texts[tid].replace(repair["restored"], repair["scraped"], 1)
    return texts


def test_2021_summary(result_2021: ImportResult) -> None:
    assert result_2021.summary() == "5 个部分，15 个小节，28 项任务，1 条警告"
    assert [str(w) for w in result_2021.warnings] == [
        "通知的全角标点被折成了半角（全文没有“，”）：已把具体要求和进展情况中汉字之后的 , : ; ( ) 改回 ，：；（），共 100 处，请核对"
    ]
    meta = result_2021.table["meta"]
    assert meta == {
        "title": "淮南市人民政府办公室2021年政务公开重点工作任务分工",
        "notice_title": "关于印发淮南市人民政府办公室2021年政务公开重点工作任务分工的通知",
        "issuer": "淮南市人民政府办公室",
        "published": dt.date(2021, 9, 10),
        "year": 2021,
    }


def test_2021_explain(result_2021: ImportResult) -> None:
    explain = {e.lineno: e.became for e in result_2021.explain}
    assert len(explain) == len(NOTICE_2021.read_text(encoding="utf-8").splitlines())
    assert explain[1] == "元数据 通知标题"
    assert explain[14] == "元数据 标题"
    assert explain[18] == "表头 工作任务"
    assert explain[26] == "部分 一 标题"
    assert explain[86] == "部分 二 标题（重复）"
    assert explain[134] == "小节 2.3 标题（重复）"
    assert explain[246] == "部分 四 标题（缺编号，已补）"
    assert explain[268] == "部分 四 标题（重复）"
    assert explain[280] == "部分 五 标题（缺编号，已补）"
    assert explain[292] == "小节 5.2 标题（缺编号，已补）"
    assert explain[294] == "任务 28 序号"
    assert explain[300] == "任务 28 时限要求"
    assert explain[311] == "跳过：网页框架（表格后）"
    assert explain[318] == "跳过：网页框架"


@needs_2021
def test_2021_matches_reference(result_2021: ImportResult, reference_2021: dict[str, Any]) -> None:
    table = result_2021.table
    ref = reference_2021
    assert [t["id"] for t in table["tasks"]] == [t["id"] for t in ref["tasks"]]
    assert table["sections"] == ref["sections"]
    requirements = _undo_repairs(ref)
    for mine, theirs in zip(table["tasks"], ref["tasks"], strict=True):
        tid = theirs["id"]
        assert (mine["section"], mine["subsection"]) == (theirs["section"], theirs.get("subsection")), tid
        assert mine["units"] == theirs["units"], tid
        assert mine.get("leads") == theirs.get("leads"), tid
        assert mine["deadline"] == theirs["deadline"], tid
        # The import restores the punctuation as the table does (the same 100 marks) ...
        assert _fold(mine["requirement"], ref) == requirements[tid], tid
        if not any(r["task"] == tid for r in ref.get("repairs") or []):
            assert mine["requirement"] == theirs["requirement"], tid  # ... exactly where no other repair is
        else:
            assert mine["requirement"].count("，") == theirs["requirement"].count("，"), tid
        assert 2 <= len(mine["title"]) <= 16, mine["title"]
    for key in ("title", "notice_title", "issuer", "published", "year"):
        assert table["meta"][key] == ref["meta"][key], key
    assert table["source"]["sha256"] == ref["source"]["sha256"]


@needs_2021
def test_2021_units_registry(result_2021: ImportResult, reference_2021: dict[str, Any]) -> None:
    canonical = {}
    for unit in reference_2021["units"]:
        for name in [unit["name"], *(unit.get("aliases") or [])]:
            canonical[name] = unit
    for unit in result_2021.table["units"]:
        assert unit["name"] in canonical, unit["name"]
        assert bool(unit.get("collective")) == bool(canonical[unit["name"]].get("collective")), unit["name"]


# --------------------------------------------------------------------------- never crashes

_WORDS = [
    "序号", "工作任务", "具体要求", "责任单位", "责任科室", "牵头单位", "配合单位", "时限要求", "完成时限", "进展情况",
    "备注", "一、", "、", "(一)", ")", "（二）", "1", "2", "12", "3.", "4、", "|", "||", " | ", "\n", "\n\n", "年底前",
    "持续推进", "牵头", "配合", "各相关科室", "(", ")", "（", "）", "发布时间:2021-02-30", "信息来源:", "姓名:",
    "<table>", "<tr>", "<td rowspan='2'>", "</td>", "</tr>", "<td colspan=x>", "</table>", "<p>", "任务分工",
    "2021年", "。", ",", "、", "--- |", "\r", "\t", "\u3000", "\x00",
]


def _check(text: str) -> None:
    try:
        result = import_notice(text.encode("utf-8"), source_name="x.txt")
    except NoticeError as exc:
        assert str(exc)
        return
    assert result.table["tasks"]
    assert [e.lineno for e in result.explain] == list(range(1, len(result.explain) + 1))
    dump_table(result.table)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=12)), max_size=60))
def test_header_words_and_pipes_never_crash(parts: list[str]) -> None:
    _check("".join(parts))
    _check("\n".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        import_notice(data, source_name="x.bin")
    except NoticeError:
        pass


# --------------------------------------------------------------------------- labelled fields inside a task's text


@pytest.mark.parametrize(
    ("text", "rest", "fields"),
    [
        ("公开目录。牵头单位：县司法局；配合单位：县政府办。完成时限：6月底前。", "公开目录。",
         [("units", "县司法局"), ("co", "县政府办"), ("deadline", "6月底前")]),
        ("牵头单位：县政府办；配合单位：各乡镇、县直各部门", "", [("units", "县政府办"), ("co", "各乡镇、县直各部门")]),
        ("优化文件库。（责任单位：县数据资源局，完成时间：年底前）", "优化文件库。",
         [("units", "县数据资源局"), ("deadline", "年底前")]),
        ("责任科室:办公室;进展情况:已完成", "", [("units", "办公室"), ("progress", "已完成")]),  # half-width, by meaning
        ("责任单位：各县（区）人民政府", "", [("units", "各县（区）人民政府")]),  # its own parentheses kept
        ("征求意见牵头单位：县司法局", "征求意见牵头单位：县司法局", []),  # inside a phrase: not a label
        ("公开事项。具体要求：按时公开", "公开事项。具体要求：按时公开", []),  # not a field of its own
        ("没有标签的文字", "没有标签的文字", []),
    ],
)
def test_split_fields(text: str, rest: str, fields: list[tuple[str, str]]) -> None:
    from gwgk_cli.importer.fields import split_fields

    assert split_fields(text) == (rest, fields)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["牵头单位", "配合单位", "完成时限", "：", ":", "；", "。", "（", "）", "县局", "公开", "各乡镇", " "]),
                max_size=20).map("".join) | st.text(max_size=60))
def test_split_fields_never_loses_the_text_before_a_label(text: str) -> None:
    from gwgk_cli.importer.fields import FIELD_KINDS, split_fields

    rest, fields = split_fields(text)
    assert text.startswith(rest)
    assert all(kind in FIELD_KINDS and value and value in text for kind, value in fields)
    if not fields:
        assert rest == text


@pytest.mark.parametrize("cell,units", [
    ("县发改委 县财政局", ["县发改委", "县财政局"]),  # a space (or U+3000) between whole names
    ("县发改委\u3000县财政局、县审计局", ["县发改委", "县财政局", "县审计局"]),
    ("市数据资源管 理局", ["市数据资源管理局"]),  # a wrapped name: the space is dropped
    ("县发改委县财政局", ["县发改委", "县财政局"]),  # run together where a line break was lost
    ("县住建局县城管局县水利局", ["县住建局", "县城管局", "县水利局"]),
    ("区委区政府办公室县财政局", ["区委区政府办公室", "县财政局"]),
    ("县委县政府督查室", ["县委县政府督查室"]),  # one joint office
    ("市政府办公室", ["市政府办公室"]),
    ("各县区政府", ["各县区政府"]),
    ("市公安局交警支队", ["市公安局交警支队"]),
])
def test_unit_names_separated_by_spaces_or_run_together(cell: str, units: list[str]) -> None:
    """Found by a hostile test: names separated by a line break, <br>, <p> or a space came out as one name."""
    assert parse_units(cell)[0] == units


def test_import_warns_where_it_split_names_run_together() -> None:
    html = ("<html><body><h1>某县2022年政务公开重点工作任务分工</h1><table>"
            "<tr><td>序号</td><td>具体要求</td><td>责任单位</td><td>完成时限</td></tr>"
            "<tr><td>1</td><td>公开规划。</td><td>县发改委县财政局</td><td>年底前</td></tr>"
            "</table></body></html>").encode()  # (with <br> between them, no guess: see test_import_faults2.py)
    result = import_notice(html, source_name="n.html")
    assert result.table["tasks"][0]["units"] == ["县发改委", "县财政局"]
    assert any("任务 1 的责任单位“县发改委县财政局”像是几个单位连在了一起（原文以换行或空格分隔？），已拆为“县发改委”“县财政局”，请核对"
               in str(w) for w in result.warnings)
