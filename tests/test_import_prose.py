"""Notices whose tasks are written as prose, not as a table (政务公开工作要点 published as text):

    一、深化重点领域信息公开
    （一）加强政策解读。围绕……做好解读工作。（责任单位：市政府办公室、市发展改革委；完成时限：年底前）
    1.推进……。牵头单位：市政府办公室；配合单位：各县区政府。

They were refused (“未找到任务表”) or read wrongly (a task's paragraph taken as the deadline of the one
before). Each notice is built as text, a web page, a Word document, a one-column sheet and a PDF.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwgk_cli.importer import NoticeError
from gwgk_cli.importer.prose import prose_task
from notice_builders import make
from test_import_faults import IMPORTED, run, warnings

TITLE = "示例市2022年政务公开工作要点任务分工"


def _items(paragraphs: list[str]) -> list[tuple[str, Any]]:
    return [("title", TITLE), ("line", "发布时间：2022-03-01"), *(("line", p) for p in paragraphs)]


_FORMATS = {
    "n.txt": lambda items: make.to_text(items).encode(),
    "n.html": make.to_html,
    "n.docx": make.to_docx,
    "n.xlsx": lambda items: make.to_xlsx(items, extra_sheet=False),
    "n.pdf": make.to_pdf,
}


def _tasks(result: Any) -> list[tuple[Any, ...]]:
    """(id, section, subsection, title or None when drafted, requirement, units, leads, deadline)."""
    return [(t["id"], t["section"], t["subsection"], None if t["id"] in result.drafts else t["title"], t["requirement"],
             t["units"], t.get("leads"), t["deadline"]) for t in result.table["tasks"]]


def _messages(result: Any) -> list[str]:
    return [w.message for w in result.warnings]


# --------------------------------------------------------------------------- the notice of the brief

_BRIEF = [
    "为进一步深化政务公开，制定本要点。",
    "一、深化重点领域信息公开",
    "（一）加强政策解读。围绕中心工作做好政策解读工作，解读材料与政策文件同步起草、同步审签、同步发布。"
    "（责任单位：市政府办公室、市发展改革委；完成时限：年底前）",
    "1.推进重大建设项目信息公开。牵头单位：市政府办公室；配合单位：各县区政府；完成时限：每季度。",
    "2.做好财政预决算公开。【责任部门：市财政局；时限：2022年6月底前】",
    "二、加强平台建设",
    "（一）优化政府网站",
    "1.完善政府网站集约化平台功能。(市数据资源局负责，9月底前完成)",
    "2.做好政务新媒体日常监管。",
    "3.推进政务公开专区建设。（市政务服务中心牵头，各县区政府配合；完成时限：持续推进）",
]
_BRIEF_TASKS = [
    (1, 1, None, "加强政策解读", "围绕中心工作做好政策解读工作，解读材料与政策文件同步起草、同步审签、同步发布。",
     ["市政府办公室", "市发展改革委"], None, "年底前"),
    (2, 1, None, None, "推进重大建设项目信息公开。", ["市政府办公室", "各县区政府"], None, "每季度"),
    (3, 1, None, None, "做好财政预决算公开。", ["市财政局"], None, "2022年6月底前"),
    (4, 2, 1, None, "完善政府网站集约化平台功能。", ["市数据资源局"], None, "9月底前完成"),
    (5, 2, 1, None, "推进政务公开专区建设。", ["市政务服务中心", "各县区政府"], None, "持续推进"),
]
_WHERE = {  # where the paragraph 2.做好政务新媒体日常监管。 is, as each format names it
    "n.txt": "第 11 行", "n.html": "第 13 行", "n.docx": "第 11 段", "n.xlsx": "工作表“任务分工”A11", "n.pdf": "第 1 页第 ",
}


@pytest.mark.parametrize("name", sorted(_FORMATS))
def test_tasks_written_as_paragraphs_import(name: str) -> None:
    result = run(_FORMATS[name](_items(_BRIEF)), name)
    assert _tasks(result) == _BRIEF_TASKS
    assert [(s["no"], s["title"], [(b["no"], b["title"]) for b in s["subsections"]]) for s in result.table["sections"]] == [
        (1, "深化重点领域信息公开", []), (2, "加强平台建设", [(1, "优化政府网站")])]
    assert _messages(result) == [
        "序号在各部分（小节）重新从 1 编起：自此任务按出现顺序续编为 2 起（通知原序号见 --explain）",
        # One account of the skipped 2. and the gap it leaves (two warnings that read oddly before).
        "段落没有责任单位，不作为任务（已忽略）：2.做好政务新媒体日常监管。——它占了本部分的序号 2，"
        "其后的任务按出现顺序编为 5 起（通知原序号见 --explain）",
    ]
    where = str(result.warnings[1])
    assert where.startswith(_WHERE[name]), where
    explain = {re.sub(r"<[^>]+>", "", e.text).strip(): e.became for e in result.explain}  # a page's line: its text
    assert explain["2.做好政务新媒体日常监管。"] == "没有责任单位的段落，已忽略（见警告）"
    assert explain["二、加强平台建设"] == "部分 二 标题"
    assert explain["（一）优化政府网站"] == "小节 2.1 标题"
    if name != "n.pdf":  # a PDF wraps the long paragraph over lines
        assert explain[_BRIEF[2]] == "任务 1 序号、标题、具体要求、责任单位、时限要求"
        assert explain[_BRIEF[3]] == "任务 2 按出现顺序编号（原序号 1）；任务 2 序号、具体要求、责任单位、配合单位、时限要求"


def test_the_brief_notice_through_the_cli(tmp_path: Any, gwgk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table written loads once the one missing piece is there (none is: every task has its deadline)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.docx").write_bytes(make.to_docx(_items(_BRIEF)))
    done = gwgk("--today", "2022-03-01", "import", "n.docx", "-o", "t.yaml")
    assert done.exit_code == 0, done.output
    assert "导入完成：2 个部分，1 个小节，5 项任务，2 条警告" in done.output
    assert gwgk("--file", "t.yaml", "doctor").exit_code == 0


# --------------------------------------------------------------------------- brackets, separators, labels

_VARIANTS: dict[str, tuple[str, list[str], list[str] | None, str]] = {
    # paragraph after the task's text -> units, leads, deadline
    "full-width-bracket": ("（责任单位：市政府办公室、市发展改革委；完成时限：年底前）",
                           ["市政府办公室", "市发展改革委"], None, "年底前"),
    "ascii-bracket": ("(责任单位:市财政局;完成时限:6月底前)", ["市财政局"], None, "6月底前"),
    "lenticular": ("【牵头单位：市数据资源局；配合单位：各县区政府；完成时间：每季度】", ["市数据资源局", "各县区政府"], None, "每季度"),
    "square": ("[责任单位：市财政局；完成时限：年底前]", ["市财政局"], None, "年底前"),
    "comma": ("（责任部门：市财政局，时限：年底前）", ["市财政局"], None, "年底前"),
    "full-stops": ("牵头单位：市司法局。配合单位：市政府办公室。完成时限：9月底前。", ["市司法局", "市政府办公室"], None, "9月底前"),
    "semicolons": ("责任单位：市政府办公室；完成时限：持续推进。", ["市政府办公室"], None, "持续推进"),
    "two-leads": ("牵头单位：市发展改革委、市财政局；配合单位：各县区政府；完成时间：每半年。",
                  ["市发展改革委", "市财政局", "各县区政府"], ["市发展改革委", "市财政局"], "每半年"),
    "role-word": ("（市发展改革委牵头，市财政局配合；完成时限：9月底前）", ["市发展改革委", "市财政局"], None, "9月底前"),
    "each-leads": ("（市发展改革委、市财政局分别负责，年底前完成）", ["市发展改革委", "市财政局"],
                   ["市发展改革委", "市财政局"], "年底前完成"),
    "responsible": ("（市财政局负责，每月）", ["市财政局"], None, "每月"),
}


@pytest.mark.parametrize("variant", sorted(_VARIANTS))
@pytest.mark.parametrize("name", ["n.txt", "n.html", "n.docx"])
def test_units_and_deadline_in_the_paragraph(name: str, variant: str) -> None:
    tail, units, leads, deadline = _VARIANTS[variant]
    paragraphs = ["一、加强政策解读", f"1.做好重大政策解读工作。{tail}", "2.做好政策咨询工作。（责任单位：市政府办公室；完成时限：年底前）"]
    result = run(_FORMATS[name](_items(paragraphs)), name)
    assert _tasks(result) == [
        (1, 1, None, None, "做好重大政策解读工作。", units, leads, deadline),
        (2, 1, None, None, "做好政策咨询工作。", ["市政府办公室"], None, "年底前"),
    ]
    assert warnings(result) == []


@pytest.mark.parametrize("name", ["n.txt", "n.html", "n.docx"])
def test_a_task_without_a_deadline_is_imported_with_a_warning(name: str) -> None:
    """（国务院审改办负责） as the State Council's notices write it: units, no deadline — the task comes with
    the deadline empty and a warning, as a table's task missing its 时限要求 does."""
    paragraphs = ["一、推进权责清单公开", "（一）推进权力清单公开。在全面公开权力清单的基础上，做好动态调整。（市委编办负责）"]
    result = run(_FORMATS[name](_items(paragraphs)), name)
    assert _tasks(result) == [(1, 1, None, "推进权力清单公开", "在全面公开权力清单的基础上，做好动态调整。", ["市委编办"], None, "")]
    assert _messages(result) == ["任务 1 缺少时限要求（请人工补全）"]


# --------------------------------------------------------------------------- strictness, headings, paragraphs

@pytest.mark.parametrize("name", sorted(_FORMATS))
def test_paragraphs_without_units_are_named_never_tasks(name: str) -> None:
    paragraphs = [
        "一、总体要求",
        "坚持以人民为中心，全面推进政务公开。",
        "二、重点任务",
        "1.公开权责清单。（责任单位：市委编办；完成时限：年底前）",
        "各部门要加强学习培训。",
        "2.公开财政预决算。（责任单位：市财政局；完成时限：年底前）",
    ]
    result = run(_FORMATS[name](_items(paragraphs)), name)
    assert [(t[0], t[1], t[4]) for t in _tasks(result)] == [(1, 2, "公开权责清单。"), (2, 2, "公开财政预决算。")]
    assert _messages(result) == [
        "第 1 部分“总体要求”下没有任务",
        "段落没有责任单位，不作为任务（已忽略）：坚持以人民为中心，全面推进政务公开。",
        "段落没有责任单位，不作为任务（已忽略）：各部门要加强学习培训。",
    ]


@pytest.mark.parametrize("name", ["n.txt", "n.html", "n.docx", "n.xlsx"])
def test_a_task_over_several_paragraphs(name: str) -> None:
    """A numbered task goes on in the paragraphs after it until its units come: its items (（1）…) too."""
    paragraphs = [
        "一、深化决策公开",
        "1.做好以下决策公开工作：",
        "（1）公开重大行政决策事项目录；",
        "（2）做好决策草案征求意见。",
        "（责任单位：市司法局；完成时限：6月底前）",
        "2.做好政策解读。",
        "围绕重大政策同步解读。（责任单位：市政府办公室；完成时限：年底前）",
    ]
    result = run(_FORMATS[name](_items(paragraphs)), name)
    assert _tasks(result) == [
        (1, 1, None, None, "做好以下决策公开工作：（1）公开重大行政决策事项目录；（2）做好决策草案征求意见。", ["市司法局"], None, "6月底前"),
        (2, 1, None, "做好政策解读", "围绕重大政策同步解读。", ["市政府办公室"], None, "年底前"),
    ]
    assert warnings(result) == []
    explain = [e.became for e in result.explain if e.became.startswith("任务 1")]
    assert explain == ["任务 1 序号、具体要求", "任务 1 具体要求（续段）", "任务 1 具体要求（续段）", "任务 1 责任单位、时限要求"]


@pytest.mark.parametrize("name", ["n.txt", "n.html", "n.docx"])
def test_a_task_with_its_units_and_deadline_on_lines_of_their_own_among_prose(name: str) -> None:
    """One task written as a table copied a cell a line (1.… / 党政办 / 年底前) among tasks written as prose:
    the prose reading took its lines for paragraphs without units and lost the task."""
    paragraphs = [
        "一、主动公开",
        "1.公开权责清单。（责任单位：市委编办；完成时限：年底前）",
        "2.公开财政预决算。",
        "市财政局",
        "6月底前",
        "3.公开重大项目信息。（责任单位：市发展改革委；完成时限：每季度）",
    ]
    result = run(_FORMATS[name](_items(paragraphs)), name)
    assert [(t[0], t[4], t[5], t[7]) for t in _tasks(result)] == [
        (1, "公开权责清单。", ["市委编办"], "年底前"), (2, "公开财政预决算。", ["市财政局"], "6月底前"),
        (3, "公开重大项目信息。", ["市发展改革委"], "每季度")]
    assert warnings(result) == []


@pytest.mark.parametrize("name", ["n.txt", "n.html", "n.docx", "n.pdf"])
def test_units_on_a_line_of_their_own_under_each_paragraph(name: str) -> None:
    """As some 实施方案 are written: a heading, paragraphs, each followed by its units with their role
    (市发改委牵头落实); a role word inside a sentence (执行落实情况) is no unit line."""
    paragraphs = [
        "一、以政务公开助力稳增长",
        "（一）加强预期引导",
        "围绕经济形势和相关政策执行落实情况，及时宣传解读。",
        "市发改委牵头落实",
        "加强财政政策信息公开，按月公开财政收支情况。",
        "市财政局、市审计局分别负责",
    ]
    items = [("title", "潍坊市2017年政务公开工作要点实施方案"), *(("line", p) for p in paragraphs)]
    result = run(_FORMATS[name](items), name)
    assert [(t[0], t[1], t[2], t[4], t[5], t[6]) for t in _tasks(result)] == [
        (1, 1, 1, "围绕经济形势和相关政策执行落实情况，及时宣传解读。", ["市发改委"], None),
        (2, 1, 1, "加强财政政策信息公开，按月公开财政收支情况。", ["市财政局", "市审计局"], ["市财政局", "市审计局"]),
    ]
    assert result.table["meta"]["title"] == "潍坊市2017年政务公开工作要点实施方案"
    assert result.table["meta"]["issuer"] == "潍坊市"
    assert [m for m in _messages(result) if "发布时间" not in m] == [
        "任务段落没有编号，编为 1；其后没有编号的任务段落同样按顺序编号，不再逐项警告",
        "任务 1 缺少时限要求（请人工补全）", "任务 2 缺少时限要求（请人工补全）"]
    if name != "n.pdf":
        explain = [e.became for e in result.explain if e.became.startswith(("任务", "小节"))]
        assert explain == ["小节 1.1 标题", "任务 1 具体要求", "任务 1 责任单位", "任务 2 具体要求", "任务 2 责任单位"]


@pytest.mark.parametrize("name", ["n.txt", "n.docx"])
def test_unnumbered_task_paragraphs_warn_once(name: str) -> None:
    paragraphs = [
        "一、主动公开",
        "公开权责清单。（市委编办负责，年底前）",
        "公开财政预决算。（市财政局负责，年底前）",
        "公开重大项目信息。（市发展改革委负责，年底前）",
    ]
    result = run(_FORMATS[name](_items(paragraphs)), name)
    assert [t[0] for t in _tasks(result)] == [1, 2, 3]
    assert _messages(result) == ["任务段落没有编号，编为 1；其后没有编号的任务段落同样按顺序编号，不再逐项警告"]


@pytest.mark.parametrize("name", ["n.txt", "n.docx"])
def test_headings_only_is_still_refused(name: str) -> None:
    """Paragraphs and no units anywhere: no task table — an error, nothing written (as before)."""
    paragraphs = ["一、总体要求", "（一）指导思想", "坚持以人民为中心。", "二、重点任务", "1.公开权责清单。"]
    with pytest.raises(NoticeError, match="未找到任务表"):
        run(_FORMATS[name](_items(paragraphs)), name)


def test_text_after_the_last_task_ends_the_notice() -> None:
    paragraphs = ["一、主动公开", "1.公开权责清单。（责任单位：市委编办；完成时限：年底前）",
                  "各单位要高度重视，认真抓好落实。", "示例市人民政府办公室"]
    result = run(make.to_text(_items(paragraphs)).encode(), "n.txt")
    assert [t[0] for t in _tasks(result)] == [1]
    assert _messages(result) == ["最后一项任务之后的段落没有责任单位，不作为任务；其后的文字视为通知正文以外的内容（已忽略）："
                                 "各单位要高度重视，认真抓好落实。"]
    assert result.table["source"]["imported"] == IMPORTED


# --------------------------------------------------------------------------- the paragraph parser

_NAMES = st.sampled_from(["市财政局", "市政府办公室", "市发展改革委", "各县区政府", "市数据资源局", "县(区)人民政府"])
_DEADLINES = st.sampled_from(["年底前", "6月底前", "每季度", "持续推进", "2022年9月30日前"])
_BRACKETS = st.sampled_from(["（）", "()", "【】", "[]"])
_SEPARATORS = st.sampled_from(["；", ";", "，", "。"])
_UNIT_LABELS = st.sampled_from(["责任单位", "牵头单位", "责任部门", "牵头部门", "责任科室"])
_DEADLINE_LABELS = st.sampled_from(["完成时限", "完成时间", "时限", "时限要求", "时间节点"])


@given(
    text=st.sampled_from(["做好政策解读工作。", "公开重大项目批准信息", "推进政务公开专区建设，完善服务功能。"]),
    names=st.lists(_NAMES, min_size=1, max_size=3, unique=True),
    deadline=_DEADLINES, brackets=_BRACKETS, sep=_SEPARATORS, unit_label=_UNIT_LABELS, deadline_label=_DEADLINE_LABELS,
    bracketed=st.booleans(),
)
def test_prose_task_finds_the_units_and_the_deadline(text: str, names: list[str], deadline: str, brackets: str, sep: str,
                                                     unit_label: str, deadline_label: str, bracketed: bool) -> None:
    fields = f"{unit_label}：{'、'.join(names)}{sep}{deadline_label}：{deadline}"
    # Unbracketed, a label follows punctuation (a label glued to the text is the text's: 征求意见牵头单位：).
    if bracketed:
        paragraph = text + brackets[0] + fields + brackets[1]
    else:
        paragraph = text + ("" if text.endswith("。") else "。") + fields
    found = prose_task(paragraph)
    assert found is not None
    assert found.rest.rstrip("。") == text.rstrip("。")
    assert found.fields == [("units", "、".join(names)), ("deadline", deadline)]
    assert found.leads == ({"、".join(names)} if unit_label.startswith("牵头") else set())


@given(st.text(alphabet=st.sampled_from(list("（）()【】[]：:；;，,。、责任单位牵头配合负责完成时限年底前市财政局做好工作1.一、 ")), max_size=60))
def test_prose_task_never_fails(text: str) -> None:
    """Any text: a ProseTask whose units field is not empty, or None."""
    found = prose_task(text)
    if found is not None:
        assert any(kind in ("units", "co") and value.strip() for kind, value in found.fields)


@pytest.mark.parametrize(("text", "expected"), [
    ("做好解读。（市财政局负责）", ("做好解读。", [("units", "市财政局负责")])),
    ("做好解读（市财政局牵头，市司法局配合；完成时限：年底前）。", ("做好解读。", [("units", "市财政局牵头，市司法局配合"), ("deadline", "年底前")])),
    ("做好解读。（含乡镇）", None),  # a bracket without units is the text's
    ("做好解读（2022年版）", None),
    ("征求意见牵头单位：市司法局。", None),  # a label inside a phrase is text
    ("责任单位：市财政局", None),  # fields only: no task text (the line after a task)
])
def test_prose_task_table(text: str, expected: tuple[str, list[tuple[str, str]]] | None) -> None:
    found = prose_task(text)
    assert (None if found is None else (found.rest, found.fields)) == expected
