"""gwgk import: what other offices' notices showed beyond their table layouts (tests/test_import_layouts.py) —
prose paragraphs naming the units of each clause (浔阳区 2023), notes under the table with numbered items,
the plan year and issuer in a 关于印发…的通知 title, and every refusal as one Chinese line saying where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gwgk_cli.importer import import_notice
from test_import_faults import tasks, warnings

IMPORTED = dt.date(2026, 12, 1)


# --------------------------------------------------------------------------- a paragraph with a bracket per clause

# 浔阳区 2023 (xunyang.gov.cn): one （一） paragraph names the units after each of its clauses. Before, the
# task kept only the last bracket's units (区发改委): the lead units of the first clauses were lost.
_XUNYANG = """2023年浔阳区政务公开工作要点
一、紧扣工作重点，加强主动公开
（一）做好重大战略部署落实情况信息公开。推进产业迭代升级。（牵头单位：区发改委、区工信局；责任单位：区政府各相关部门、各街道）重塑大中路核心商圈，打造区域消费中心（牵头单位：区商务局；责任单位：各街道）、依法依规做好重大建设项目信息公开。（责任单位：区发改委；完成时限：年底前）
（二）做好优化营商环境信息公开。加大改革信息公开力度。（牵头单位：区政务服务中心；责任单位：区直各部门；完成时限：6月底前）
"""


@pytest.mark.parametrize("brackets", ["（）", "()"])
def test_a_paragraph_naming_the_units_of_each_clause(brackets: str) -> None:
    text = _XUNYANG.translate(str.maketrans("（）", brackets))
    result = import_notice(text.encode(), source_name="n.txt", imported=IMPORTED)
    got = tasks(result)
    assert [(t[0], t[4], t[5], t[6]) for t in got] == [
        (1, ["区发改委", "区工信局", "区政府各相关部门", "各街道", "区商务局"], ["区发改委", "区工信局", "区商务局"], "年底前"),
        (2, ["区政务服务中心", "区直各部门"], None, "6月底前"),
    ]
    assert warnings(result) == [
        "未找到发布机关（标题中年份前的文字或“信息来源”），meta.issuer 暂填“（待填写发布机关）”，请人工填写",
        "第 3 行：任务 1 的段落中有 3 处责任单位（各管其中一句），已合并为一项任务、单位合在一起：请核对，必要时拆成几项",
    ]


def test_a_bracket_inside_a_sentence_that_names_no_unit_is_text() -> None:
    """Only labelled brackets count inside the text: （试行） or （2022—2025年） stay words of the task."""
    text = "示例县2022年政务公开工作要点\n一、主动公开\n1.落实《规划（2022—2025年）》公开要求（试行）。（责任单位：县发改委；完成时限：年底前）\n"
    result = import_notice(text.encode(), source_name="n.txt", imported=IMPORTED)
    assert [(t[3], t[4]) for t in tasks(result)] == [("落实《规划（2022—2025年）》公开要求（试行）。", ["县发改委"])]
    assert not [w for w in warnings(result) if "处责任单位" in w]


# --------------------------------------------------------------------------- numbered notes under the table


@pytest.mark.parametrize("label", ["注：", "说明：", "备注："], ids=["zhu", "shuoming", "beizhu"])
@pytest.mark.parametrize("where", ["html", "text"])
def test_the_numbered_items_of_a_note_are_no_tasks(label: str, where: str) -> None:
    """石泉县: 注：1.… then 2.… under the table. Before, 2. was a task (a repeat of 序号 2, cut off)."""
    rows = [["序号", "具体要求", "责任单位", "完成时限"], ["1", "公开预算。", "县财政局", "年底前"],
            ["2", "公开决算。", "县财政局", "6月底前"]]
    notes = [f"{label}1.各单位每季度末报送落实情况。", "2.本表由县政府办负责解释。", "3.未尽事宜另行通知。"]
    if where == "html":
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        data = ("<html><body><p>示例县2022年政务公开重点工作任务分工</p><table>" + body + "</table>"
                + "".join(f"<p>{n}</p>" for n in notes) + "</body></html>").encode()
    else:
        data = ("示例县2022年政务公开重点工作任务分工\n" + "\n".join("\t".join(r) for r in rows) + "\n"
                + "\n".join(notes) + "\n").encode()
    result = import_notice(data, source_name=f"n.{'html' if where == 'html' else 'txt'}", imported=IMPORTED)
    assert [t[0] for t in tasks(result)] == [1, 2]
    said = [w for w in warnings(result) if "未找到发布机关" not in w and "任务前没有部分标题" not in w]
    assert len(said) == 1 and f"不是任务（已忽略）：{label}1.各单位每季度末报送落实情况。" in said[0]
    assert [e.became for e in result.explain if e.text.strip().startswith(("2.本表", "3.未尽"))] in (
        [], ["注释第 2 条，已忽略（同上一条警告）", "注释第 3 条，已忽略（同上一条警告）"])


def test_a_task_after_a_note_is_still_a_task() -> None:
    """A numbered row with its units after a note (the note had no items of its own) stays a task."""
    text = ("示例县2022年政务公开重点工作任务分工\n序号\t具体要求\t责任单位\t完成时限\n1\t公开预算。\t县财政局\t年底前\n"
            "注：以下为补充任务。\n2\t公开决算。\t县财政局\t6月底前\n")
    result = import_notice(text.encode(), source_name="n.txt", imported=IMPORTED)
    assert [t[0] for t in tasks(result)] == [1, 2]


# --------------------------------------------------------------------------- the plan year and the issuer from the title

_TASK = "一、深化公开\n1.公开预算。（责任单位：县财政局；完成时限：年底前）\n"


@pytest.mark.parametrize(("title", "published", "year", "issuer", "warned"), [
    # The notice's own title only (关于印发…的通知): its year, and the office in front of 关于.
    ("示例县人民政府办公室关于印发2022年政务公开工作要点的通知", "2022-03-01", 2022, "示例县人民政府办公室", None),
    ("关于印发2022年政务公开工作要点的通知", "2022-03-01", 2022, None, None),
    ("2023年政务公开重点工作任务分工方案", "2022-12-20", 2023, None, None),  # published the December before
    # A 发布时间 that is not the title's year (nor the year before): said, the title's year kept.
    ("关于印发2022年政务公开工作要点的通知", "2024-03-01", 2022, None,
     "计划年度按标题取 2022 年，与发布时间 2024-03-01 不符，请核对（可用 --year 指定）"),
], ids=["office-before-guanyu", "guanyu-yinfa", "plan-title", "published-later"])
def test_the_plan_year_from_the_title(title: str, published: str, year: int, issuer: str | None, warned: str | None) -> None:
    text = f"{title}\n发布日期：{published}\n{_TASK}"
    result = import_notice(text.encode(), source_name="n.txt", imported=IMPORTED)
    meta: dict[str, Any] = result.table["meta"]
    assert meta["year"] == year
    assert result.placeholders["year"].startswith("取自标题“") and result.placeholders["year"].endswith("”中的年份，请核对")
    if issuer is not None:
        assert meta["issuer"] == issuer
    assert [w for w in warnings(result) if "计划年度" in w] == ([warned] if warned else [])


def test_the_year_taken_from_the_title_is_said_in_the_table(tmp_path: Path, gwgk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.txt").write_text(f"关于印发2022年政务公开工作要点的通知\n发布日期：2022-03-01\n{_TASK}", encoding="utf-8")
    result = gwgk("import", "n.txt", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "  year: 2022  # 取自标题“2022年政务公开工作要点”中的年份，请核对\n" in result.stdout


def test_a_year_option_against_the_title_is_refused(tmp_path: Path, gwgk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """--year 2023 on the 2022 notice: every 年底前 would fall a year late. Refused, nothing written; the same
    --year as the title's, or none, imports."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.txt").write_text(f"示例县2022年政务公开重点工作任务分工\n{_TASK}", encoding="utf-8")
    refused = gwgk("import", "n.txt", "--year", "2023", "-o", "t.yaml")
    assert refused.exit_code == 2
    assert refused.stderr == ("错误：n.txt: --year 2023 与通知标题中的年份 2022 不同（标题“示例县2022年政务公开重点工作任务分工”），"
                              "未导入：请确认导入的是 2023 年的通知；标题的年份确有错时，不加 --year 导入后改 meta.year\n")
    assert not (tmp_path / "t.yaml").exists()
    assert gwgk("import", "n.txt", "--year", "2022", "-o", "t.yaml").exit_code == 0
    assert "# 取自标题" not in (tmp_path / "t.yaml").read_text(encoding="utf-8")  # the user's --year: nothing to say


# --------------------------------------------------------------------------- refusals: one Chinese line, where


def _docx(tasks: tuple[tuple[str, str, str], ...] | list[tuple[str, str, str]] = (), *, word_numbers: bool = False) -> bytes:
    """A Word notice: the title, then a table of 序号 | 具体要求 | 责任单位 | 完成时限 with a heading row and
    ``tasks`` (requirement, unit, deadline); ``word_numbers``: the 序号 cells numbered by Word's List Number
    style (no text of their own), else written."""
    import io

    import docx

    doc = docx.Document()
    doc.add_paragraph("示例县2022年政务公开重点工作任务分工")
    table = doc.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["序号", "具体要求", "责任单位", "完成时限"], strict=True):
        cell.text = text
    if tasks:
        heading = table.add_row()
        heading.cells[0].merge(heading.cells[3]).text = "一、主动公开"
    for k, (req, unit, when) in enumerate(tasks, start=1):
        row = table.add_row()
        if word_numbers:
            row.cells[0].paragraphs[0].style = doc.styles["List Number"]
        else:
            row.cells[0].text = str(k)
        row.cells[1].text, row.cells[2].text, row.cells[3].text = req, unit, when
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("a.txt", "示例县2022年政务公开重点工作任务分工\n序号\t具体要求\t责任单位\t完成时限\n".encode(),
     "未找到任务表：第 2 行是任务表的表头，但其后没有一项完整的任务（有编号的任务行及其 具体要求、责任单位、时限要求；"
     "--explain 逐行列出读到的内容）"),
    ("b.docx", None,
     "未找到任务表：表格 1 第 1 行第 1 列是任务表的表头，但其后没有一项完整的任务（有编号的任务行及其 具体要求、责任单位、"
     "时限要求；--explain 逐行列出读到的内容）"),
    ("c.txt", "随便一段话。\n另一段话。\n".encode(), "未找到任务表：从第 1 行到第 2 行都没有 具体要求/责任单位 表头，也没有编号任务"),
    ("d.pdf", b"%PDF-1.4\nbroken", "无法读取 PDF 文件：文件已损坏或不是 PDF（其结构无法解析）"),
], ids=["text-header-only", "docx-header-only", "text-no-table", "pdf-damaged"])
def test_a_refusal_is_one_chinese_line_naming_where(tmp_path: Path, gwgk: Any, monkeypatch: pytest.MonkeyPatch,
                                                    name: str, data: bytes | None, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(data if data is not None else _docx())
    result = gwgk("import", name, "-o", "t.yaml")
    assert result.exit_code == 2
    assert result.stderr == f"错误：{name}: {message}\n"
    assert not (tmp_path / "t.yaml").exists()


# --------------------------------------------------------------------------- columns naming people


@pytest.mark.parametrize(("header", "row", "units", "progress", "said"), [
    # A 责任领导 column (county leaders over each task): before, 张副县长 became a unit.
    (["序号", "具体要求", "责任领导", "责任单位", "完成时限"], ["1", "公开预算。", "张副县长", "县财政局", "年底前"],
     ["县财政局"], "责任领导：张副县长", "“责任领导”写的是人"),
    (["序号", "具体要求", "牵头单位", "牵头领导", "责任人", "完成时限"], ["1", "公开预算。", "县财政局", "张三", "王五", "年底前"],
     ["县财政局"], "牵头领导：张三；责任人：王五", "“牵头领导”、“责任人”写的是人"),
    (["序号", "具体要求", "责任单位", "配合单位", "联系人", "完成时限"], ["1", "公开预算。", "县财政局", "县审计局", "王五", "年底前"],
     ["县财政局", "县审计局"], "联系人：王五", "“联系人”写的是人"),
    # 责任人 alone is the units column (a department's list names its 科室 there), as before.
    (["序号", "具体要求", "责任人", "完成时限"], ["1", "公开预算。", "办公室", "年底前"], ["办公室"], None, None),
], ids=["leader", "lead-leader-and-person", "contact", "person-alone"])
def test_a_column_naming_people_is_no_units_column(header: list[str], row: list[str], units: list[str],
                                                   progress: str | None, said: str | None) -> None:
    from test_import_faults import html_table

    result = import_notice(html_table([header, row]), source_name="n.html", imported=IMPORTED)
    task = result.table["tasks"][0]
    assert (task["units"], task.get("notice_progress")) == (units, progress)
    people = [w for w in warnings(result) if "写的是人" in w]
    assert people == ([f"第 4 行：{said}，不是单位：不计入责任单位，按原文记入各任务的 notice_progress（{progress.split('：')[0]}：…）"]
                      if said and progress else [])


# --------------------------------------------------------------------------- Word's automatic numbers in a 序号 column


def test_a_number_column_numbered_by_word() -> None:
    """The 序号 cells hold no text, only Word's automatic list number (List Number style): before, every task
    was said to have no number (and numbered by the importer)."""
    data = _docx([("公开预算。", "县财政局", "年底前"), ("公开决算。", "县财政局", "6月底前"), ("做好解读。", "县政府办", "每季度")],
                 word_numbers=True)
    result = import_notice(data, source_name="n.docx", imported=IMPORTED)
    assert [(t[0], t[3], t[6]) for t in tasks(result)] == [(1, "公开预算。", "年底前"), (2, "公开决算。", "6月底前"),
                                                           (3, "做好解读。", "每季度")]
    assert warnings(result) == []
    assert [e.became for e in result.explain if e.where == "表格 1 第 3 行第 1 列"] == ["任务 1 序号"]


# --------------------------------------------------------------------------- a skipped paragraph and the number it held

_SKIPPED = "段落没有责任单位，不作为任务（已忽略）："


@pytest.mark.parametrize(("body", "ids", "said"), [
    # The notice numbers on (1. … 6.): a skipped 1. and 5. are the gaps; the tasks keep the notice's numbers.
    ("一、深化公开\n1.加强组织领导，各单位要高度重视。\n2.公开预算。{u}\n3.公开决算。{u}\n二、加强解读\n4.做好解读。{u}\n"
     "5.加强督查，确保落实。\n6.回应关切。{u}\n", [2, 3, 4, 6],
     [("第 4 行", "1.加强组织领导，各单位要高度重视。——它占了序号 1，其后的任务保留通知原序号（从 2 起）"),
      ("第 9 行", "5.加强督查，确保落实。——它占了序号 5，其后的任务保留通知原序号（从 6 起）")]),
    # The notice numbers each section from 1 and the restart's 1. is skipped (the last session's case).
    ("一、深化公开\n1.公开预算。{u}\n2.公开决算。{u}\n二、加强解读\n1.加强组织领导，各单位要高度重视。\n2.做好解读。{u}\n3.回应关切。{u}\n",
     [1, 2, 3, 4],
     [("第 7 行", "1.加强组织领导，各单位要高度重视。——它占了本部分的序号 1，序号在各部分（小节）重新从 1 编起："
                 "其后的任务按出现顺序编为 3 起（通知原序号见 --explain）")]),
], ids=["numbered-on", "restart"])
def test_a_skipped_paragraph_and_the_gap_it_leaves_are_one_warning(body: str, ids: list[int], said: list[tuple[str, str]]) -> None:
    text = "示例县2022年政务公开工作要点\n发布日期：2022-03-01\n" + body.format(u="（责任单位：县财政局；完成时限：年底前）")
    result = import_notice(text.encode(), source_name="n.txt", imported=IMPORTED)
    assert [t[0] for t in tasks(result)] == ids
    assert [str(w) for w in result.warnings] == [f"{line}：{_SKIPPED}{rest}" for line, rest in said]


# --------------------------------------------------------------------------- numbers by levels (1.1, 1.2, 2.1)


@pytest.mark.parametrize("layout", ["number-column", "in-the-text", "prose"])
def test_tasks_numbered_by_levels_are_numbered_in_order(layout: str) -> None:
    """序号 1.1, 1.2, 2.1 (a number per heading level): before, every task was said to have no number (a table)
    or kept 1.1 in its requirement (prose)."""
    from test_import_faults import html_table

    items = [("一、主动公开", None), ("1.1", ("公开预算。", "县财政局", "年底前")), ("1.2", ("公开决算。", "县财政局", "6月底前")),
             ("二、政策解读", None), ("2.1", ("做好解读。", "县政府办", "每季度"))]
    if layout == "prose":
        text = "示例县2022年政务公开工作要点\n" + "".join(
            f"{no}\n" if task is None else f"{no} {task[0]}（责任单位：{task[1]}；完成时限：{task[2]}）\n" for no, task in items)
        result = import_notice(text.encode(), source_name="n.txt", imported=IMPORTED)
    else:
        rows: list[list[str]] = [["序号", "具体要求", "责任单位", "完成时限"] if layout == "number-column" else ["具体要求", "责任单位", "完成时限"]]
        for no, task in items:
            if task is None:
                rows.append([f'<td colspan="{len(rows[0])}">{no}</td>'])
            else:
                rows.append([no, *task] if layout == "number-column" else [f"{no}{task[0]}", task[1], task[2]])
        result = import_notice(html_table(rows), source_name="n.html", imported=IMPORTED)
    assert [(t[0], t[1], t[3], t[6]) for t in tasks(result)] == [(1, 1, "公开预算。", "年底前"), (2, 1, "公开决算。", "6月底前"),
                                                                (3, 2, "做好解读。", "每季度")]
    assert [w.split("：", 1)[1] for w in warnings(result) if "编号" in w] == [
        "序号是分级编号（1.1 …）：任务按出现顺序编为 1 起（通知原序号见 --explain）"]
    assert sum("按出现顺序编号（原序号 2.1）" in e.became for e in result.explain) == 1


@pytest.mark.parametrize("text", ["1.5万家企业信息公开。", "2.5%以上。", "3.2倍。"])
def test_a_decimal_at_the_start_of_a_text_is_no_level_number(text: str) -> None:
    from gwgk_cli.importer.classify import dotted_number

    assert dotted_number(text) is None


@pytest.mark.parametrize("empty", ["<td></td>", "<td> </td>", "<td><p></p></td>"])
def test_a_warning_about_an_empty_cell_names_its_row(empty: str) -> None:
    """An empty 时限 cell has no text to place: the warning said no line at all before."""
    from test_import_faults import html_table

    rows = [["序号", "具体要求", "责任单位", "完成时限"], ['<td colspan="4">一、深化公开</td>'],
            ["1", "公开预算。", "县财政局", "年底前"], ["2", "公开决算。", "县财政局", empty]]
    result = import_notice(html_table(rows), source_name="n.html", imported=IMPORTED)
    assert warnings(result) == ["第 7 行：任务 2 缺少时限要求（请人工补全）"]
