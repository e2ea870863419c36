"""gwgk import: faults a second hostile tester found with notices of other offices (one section per fault).

The style of test_import_faults.py: each test builds its notice (HTML, text, .xlsx, .docx or PDF) and says
exactly what must come out of it, in the variants another office would write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from notice_builders import WRITERS, make
from test_import_faults import TITLE, outline, run, tasks, warnings

_SECTIONS = [("一、主动公开", ["公开县级权责清单。", "公开财政预决算。"]), ("二、政策解读", ["同步发布政策解读材料。"])]
_UNITS = ["县委编办", "县财政局、各乡镇人民政府", "县直各部门"]
_DEADLINES = ["年底前", "2022年内", "长期坚持"]


def _items(header: list[str], *, numbered: bool = True) -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = [("title", TITLE), ("header", header)]
    n = 0
    for heading, reqs in _SECTIONS:
        items.append(("section", heading))
        for req in reqs:
            n += 1
            items.append(("task", ([str(n)] if numbered else []) + [req, _UNITS[n - 1], _DEADLINES[n - 1]]))
    return items




def _expected_tasks() -> list[tuple[Any, ...]]:
    units = [["县委编办"], ["县财政局", "各乡镇人民政府"], ["县直各部门"]]
    return [(1, 1, None, "公开县级权责清单。", units[0], None, "年底前"),
            (2, 1, None, "公开财政预决算。", units[1], None, "2022年内"),
            (3, 2, None, "同步发布政策解读材料。", units[2], None, "长期坚持")]


# --------------------------------------------------------------------------- 1. 序号|工作任务|责任单位|完成时限


@pytest.mark.parametrize("word", ["工作任务", "重点任务", "主要任务"])
@pytest.mark.parametrize("name", sorted(WRITERS))
@pytest.mark.parametrize("numbered", [True, False], ids=["numbered", "unnumbered"])
def test_a_lone_task_column_is_the_requirement(word: str, name: str, numbered: bool) -> None:
    """With no 具体要求 column, each task's text became a subsection title, its requirement empty, and the last
    task was dropped as cut off: the one text column is the requirement (the title drafted from it)."""
    header = (["序号"] if numbered else []) + [word, "责任单位", "完成时限"]
    result = run(WRITERS[name](_items(header, numbered=numbered)), name)
    assert tasks(result) == _expected_tasks()
    assert outline(result) == [(1, "主动公开", []), (2, "政策解读", [])]
    assert [t["title"] for t in result.table["tasks"]] == ["公开县级权责清单", "公开财政预决算", "同步发布政策解读材料"]
    if numbered:
        assert warnings(result) == []
    else:  # each task numbered by the importer, said where
        assert [w.message for w in result.warnings if "未找到发布时间" not in w.message] == [
            f"任务没有编号，编为 {n}（通知中未用的序号）" for n in (1, 2, 3)]


# --------------------------------------------------------------------------- 2. headings above each table's header

_HEAD = ["序号", "具体要求", "责任单位", "完成时限"]
_PER_SECTION = [  # (headings above the table, its rows)
    (["一、加强政策发布解读", "（一）提升解读质量"], [["1", "同步组织解读材料。", "区司法局", "长期坚持"],
                                                   ["2", "建立舆情回应机制。", "区委宣传部", "持续推进"]]),
    (["（二）做好政策咨询"], [["3", "完善政策咨询窗口。", "区政务服务中心", "2022年9月底前"]]),
    (["二、夯实政务公开基础"], [["4", "完成标准目录编制。", "各街道办事处", "2022年6月底前"]]),
]


def _per_section_docx() -> bytes:
    import io

    import docx

    doc = docx.Document()
    doc.add_paragraph(TITLE)
    for headings, rows in _PER_SECTION:
        for h in headings:
            doc.add_paragraph(h)
        table = doc.add_table(rows=0, cols=4)
        for row in [_HEAD, *rows]:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _per_section_text(sep: str) -> bytes:
    lines = [TITLE, ""]
    for headings, rows in _PER_SECTION:
        lines += headings
        for row in [_HEAD, *rows]:
            lines += [sep.join(row)] if sep else row
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(("name", "data"), [
    ("n.docx", _per_section_docx()),
    ("tab.txt", _per_section_text("\t")),
    ("lines.txt", _per_section_text("")),
], ids=["docx", "tab-rows", "cell-lines"])
def test_headings_above_each_tables_header(name: str, data: bytes) -> None:
    """一、 and （一） written as paragraphs over each section's table: those over the first header were skipped as
    page chrome (“网页框架（表格前）”), the first section lost."""
    result = run(data, name)
    assert outline(result) == [(1, "加强政策发布解读", [(1, "提升解读质量"), (2, "做好政策咨询")]),
                               (2, "夯实政务公开基础", [])]
    assert [(t["id"], t["section"], t["subsection"]) for t in result.table["tasks"]] == [
        (1, 1, 1), (2, 1, 1), (3, 1, 2), (4, 2, None)]
    assert warnings(result) == []


# --------------------------------------------------------------------------- 3. a heading's numeral in the 序号 column


def _seq_col_items(numerals: tuple[str, str], sub: str | None) -> list[tuple[str, Any]]:
    row = lambda *cells: ("row", [*cells, "", "", ""][:5])  # noqa: E731
    items: list[tuple[str, Any]] = [("title", TITLE), ("header", ["序号", "工作任务", "具体要求", "责任单位", "完成时限"]),
                                    row(numerals[0], "推进决策公开")]
    if sub:
        items.append(row(sub, "做好决策预公开"))
    items += [("row", ["1", "重大决策预公开", "公开重大决策事项。", "县司法局", "2022年6月底前"]),
              ("row", ["2", "决策执行公开", "公开决策执行情况。", "县政府办", "年底前"]),
              row(numerals[1], "加强政策解读"),
              ("row", ["3", "解读材料", "同步发布解读材料。", "县直各部门", "长期坚持"])]
    return items


@pytest.mark.parametrize("numerals", [("一", "二"), ("一、", "二、")], ids=["bare", "comma"])
@pytest.mark.parametrize("sub", [None, "（一）"], ids=["sections", "subsections"])
@pytest.mark.parametrize("name", ["n.html", "n.docx", "n.xlsx"])
def test_a_sections_numeral_in_the_number_column(numerals: tuple[str, str], sub: str | None, name: str) -> None:
    """一 | 推进决策公开 | | | (not merged, as WPS writes it): every task's 工作任务 cell became a section, a real
    section lost as a repeated number. Such a row is a heading; the 工作任务 cells are what they are under
    headings written 一、 across the table."""
    result = run(WRITERS[name](_seq_col_items(numerals, sub)), name)
    merged = [("title", TITLE), ("header", ["序号", "工作任务", "具体要求", "责任单位", "完成时限"]),
              ("section", "一、推进决策公开"), *([("subsection", "（一）做好决策预公开")] if sub else []),
              *_seq_col_items(numerals, sub)[3 + bool(sub):5 + bool(sub)], ("section", "二、加强政策解读"),
              _seq_col_items(numerals, sub)[-1]]
    assert outline(result) == outline(run(make.to_html(merged), "n.html"))
    assert [s[1] for s in outline(result)] == ["推进决策公开", "加强政策解读"]
    assert [t["requirement"] for t in result.table["tasks"]] == ["公开重大决策事项。", "公开决策执行情况。", "同步发布解读材料。"]
    assert [str(w) for w in warnings(result) if "部分" in str(w)] == []


# --------------------------------------------------------------------------- 4. one cell a line, a title cell in each row

_TITLED = [("1", "就业政策", ["公开就业补贴政策。"], "就业促进科", "职业能力建设科", "2022年6月底前"),
           ("2", "创业扶持", ["做好以下工作：", "（1）公开创业担保贷款政策；", "（2）公开办理流程。"], "就业促进科",
            "市就业中心", "第三季度"),
           ("3", "社保基金", ["公开社会保险基金收支情况。"], "基金监督科", "各县区人社局", "年底前")]


@pytest.mark.parametrize("group", ["工作任务", "重点任务"])
@pytest.mark.parametrize("co", [False, True], ids=["units", "lead-co"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_one_cell_a_line_with_a_title_cell_in_each_row(group: str, co: bool, encoding: str) -> None:
    """序号/工作任务/具体要求/责任单位/时限要求 one cell a line: the title cell after each number closed the task
    just opened (refused “未找到任务表”, or 1 task of 4 with items in the requirement). It is the task's group."""
    header = ["序号", group, "具体要求", "牵头单位" if co else "责任单位", *(["配合单位"] if co else []), "完成时限"]
    lines = [TITLE, *header, "一、就业创业信息公开"]
    for no, title, req, lead, helper, deadline in _TITLED:
        lines += [no, title, *req, lead, *([helper] if co else []), deadline]
    result = run("\r\n".join(lines).encode(encoding), "n.txt")
    assert [(t["id"], t["requirement"], t["units"], t["deadline"]) for t in result.table["tasks"]] == [
        (1, "公开就业补贴政策。", ["就业促进科", "职业能力建设科"] if co else ["就业促进科"], "2022年6月底前"),
        (2, "做好以下工作：（1）公开创业担保贷款政策；（2）公开办理流程。", ["就业促进科", "市就业中心"] if co else ["就业促进科"],
         "第三季度"),
        (3, "公开社会保险基金收支情况。", ["基金监督科", "各县区人社局"] if co else ["基金监督科"], "年底前")]
    assert outline(result) == [(1, "就业创业信息公开", [(1, "就业政策"), (2, "创业扶持"), (3, "社保基金")])]
    assert warnings(result) == []


def test_explain_says_what_it_saw_before_a_refusal(tmp_path: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    """--explain printed nothing when the notice was refused: the lines as far as the import read them."""
    path = tmp_path / "n.txt"
    path.write_text(f"{TITLE}\n序号\n具体要求\n责任单位\n时限要求\n一、推进决策公开\n1\n", encoding="utf-8")
    result = gwgk("import", str(path), "-o", str(tmp_path / "t.yaml"), "--explain")
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"第 1 行：元数据 标题  | {TITLE}", "第 2 行：表头 序号  | 序号", "第 3 行：表头 具体要求  | 具体要求",
        "第 4 行：表头 责任单位  | 责任单位", "第 5 行：表头 时限要求  | 时限要求", "第 6 行：部分 一 标题  | 一、推进决策公开",
        "第 7 行：任务 1 序号（文本在此截断，未导入）  | 1"]
    assert "未找到任务表" in result.stderr and "任务 1 不完整" in result.stderr
    assert not (tmp_path / "t.yaml").exists()


# --------------------------------------------------------------------------- 5. a line break between unit names

_BROKEN = [(["县政务公开办", "各乡镇人民政府"], ["县政务公开办", "各乡镇人民政府"]),
           (["县财政局", "县乡村振兴局"], ["县财政局", "县乡村振兴局"]),
           (["县住房和城乡", "建设局"], ["县住房和城乡建设局"]),  # a name the clerk broke: one name
           (["县司法局、", "县政府办（牵头）"], ["县司法局", "县政府办"])]


def _broken_units(how: str) -> tuple[bytes, str]:
    import io

    header = ["序号", "具体要求", "责任单位", "完成时限"]
    rows = [[str(k + 1), f"公开第{k + 1}项信息。", lines, "年底前"] for k, (lines, _) in enumerate(_BROKEN)]
    if how in ("br", "p"):
        from test_import_faults import html_table

        def cell(lines: list[str]) -> str:
            return "<td>" + ("<br>".join(lines) if how == "br" else "".join(f"<p>{x}</p>" for x in lines)) + "</td>"
        return html_table([header, ['<td colspan="4">一、主动公开</td>'],
                           *[[no, req, cell(lines), dl] for no, req, lines, dl in rows]]), "n.html"
    if how == "xlsx":
        return make.to_xlsx([("title", TITLE), ("header", header), ("section", "一、主动公开"),
                             *[("task", [no, req, "\n".join(lines), dl]) for no, req, lines, dl in rows]]), "n.xlsx"
    import docx

    doc = docx.Document()
    doc.add_paragraph(TITLE)
    table = doc.add_table(rows=0, cols=4)
    for values in [header, ["一、主动公开"] * 4, *rows]:
        for c, value in zip(table.add_row().cells, values, strict=True):
            if not isinstance(value, list):
                c.text = value
            elif how == "docx-break":
                run = c.paragraphs[0].add_run(value[0])
                for line in value[1:]:
                    run.add_break()
                    run = c.paragraphs[0].add_run(line)
            else:
                c.paragraphs[0].add_run(value[0])
                for line in value[1:]:
                    c.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue(), "n.docx"


@pytest.mark.parametrize("how", ["br", "p", "docx-break", "docx-paragraphs", "xlsx"])
def test_a_line_break_separates_unit_names(how: str) -> None:
    """县政务公开办<br>各乡镇人民政府 came out as one unit 县政务公开办各乡镇人民政府 (and 县财政局<br>县乡村振兴局 split
    only by the glued-names guess, with a warning): the reader kept no break, as docs/import.md promises."""
    result = run(*_broken_units(how))
    assert [t["units"] for t in result.table["tasks"]] == [units for _, units in _BROKEN]
    assert result.table["tasks"][3].get("leads") == ["县政府办"]
    assert warnings(result) == []


def test_a_line_break_in_a_merged_units_cell() -> None:
    """A 责任单位 cell merged down over two tasks (rowspan): each task has both names."""
    from test_import_faults import html_table

    result = run(html_table([["序号", "具体要求", "责任单位", "完成时限"], ['<td colspan="4">一、主动公开</td>'],
                             ["1", "公开预算。", '<td rowspan="2">县政务公开办<br>各乡镇人民政府</td>', "年底前"],
                             ["2", "公开决算。", "年底前"]]), "n.html")
    assert [t["units"] for t in result.table["tasks"]] == [["县政务公开办", "各乡镇人民政府"]] * 2
    assert warnings(result) == []


# --------------------------------------------------------------------------- 6. a second table after the task table

_CONTACTS = [["序号", "单位", "联络员", "联系电话"], ["1", "县发改委", "张三", "1234567"], ["2", "县财政局", "李四", "7654321"]]


def _two_tables(name: str, attachment: bool) -> bytes:
    items: list[tuple[str, Any]] = _items(["序号", "具体要求", "责任单位", "完成时限"])
    if name == "n.txt":  # one cell a line
        lines = make.to_text(items).splitlines() + (["附件2", "联络员名单"] if attachment else [])
        return ("\n".join(lines + [c for row in _CONTACTS for c in row]) + "\n").encode()
    if name == "n.html":
        from test_import_faults import html_table

        page = make.to_html(items).decode()
        second = html_table(_CONTACTS).decode().split("<table>", 1)[1].split("</table>")[0]
        extra = ("<p>附件</p><p>各单位政务公开联络员名单</p>" if attachment else "") + f"<table>{second}</table>"
        return page.replace("</table>", "</table>" + extra, 1).encode()
    import io

    import docx

    doc = docx.Document(io.BytesIO(make.to_docx(items)))
    if attachment:
        doc.add_paragraph("附件")
        doc.add_paragraph("各单位政务公开联络员名单")
    table = doc.add_table(rows=0, cols=4)
    for row in _CONTACTS:
        for c, text in zip(table.add_row().cells, row, strict=True):
            c.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("attachment", [True, False], ids=["附件-line", "table-only"])
@pytest.mark.parametrize("name", ["n.txt", "n.html", "n.docx"])
def test_a_second_table_after_the_task_table_is_not_tasks(name: str, attachment: bool) -> None:
    """附件 联络员名单 (序号 | 单位 | 联络员 | 电话) after the task table became tasks 4-6 (电话 a deadline)."""
    result = run(_two_tables(name, attachment), name)
    assert tasks(result) == _expected_tasks()
    said = warnings(result)
    assert len(said) == 1
    assert ("任务表后的附件" if attachment else "另一张表的表头（序号 / 单位 / 联络员 / 联系电话）") in said[0]
    assert "任务表到此结束" in said[0]


# --------------------------------------------------------------------------- 7. a PDF with some pages scanned


def _with_pages_without_text(pdf: bytes, at: list[int]) -> bytes:
    """The PDF with pages of no text inserted at the given (0-based) places, as a scan's pages are."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    for index in at:
        page = doc.new_page(595, 842, index=index)
        page.close()
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    return out.getvalue()


def test_pages_without_text_are_named() -> None:
    """A PDF whose later pages are scans imported what the first page held, without a word about the rest."""
    pdf = make.to_pdf(_items(["序号", "具体要求", "责任单位", "完成时限"]))
    result = run(_with_pages_without_text(pdf, [1, 2]), "n.pdf")
    assert len(result.table["tasks"]) == 3
    assert warnings(result) == ["PDF 第 2、3 页没有文字层（可能是扫描页或空白页），其内容未导入：请核对，或先做文字识别（OCR）"]
    assert warnings(run(pdf, "n.pdf")) == []


# --------------------------------------------------------------------------- 8. a deadline is never a unit's name


@pytest.mark.parametrize("deadline", ["第三季度", "2022年6月底前", "持续推进", "12月31日前"])
@pytest.mark.parametrize("blank", ["", None], ids=["blank-line", "no-line"])
def test_an_empty_cell_does_not_shift_a_deadline_into_the_units(deadline: str, blank: str | None) -> None:
    """One cell a line, an empty 配合单位 cell (a blank line, or nothing): the deadline became the 配合单位 and the
    task had no deadline."""
    lines = [TITLE, "序号", "具体内容", "牵头单位", "配合单位", "完成时限", "一、就业创业信息公开",
             "1", "公开就业补贴政策。", "就业促进科", "职业能力建设科", "年底前",
             "2", "公开创业担保贷款政策。", "就业促进科", *([blank] if blank is not None else []), deadline,
             "3", "公开社保基金收支情况。", "基金监督科", "各县区人社局", "年底前"]
    result = run(("\n".join(lines) + "\n").encode(), "n.txt")
    assert [(t["units"], t["deadline"]) for t in result.table["tasks"]] == [
        (["就业促进科", "职业能力建设科"], "年底前"), (["就业促进科"], deadline), (["基金监督科", "各县区人社局"], "年底前")]
    assert warnings(result) == []


def test_a_deadline_in_a_units_cell_is_no_unit() -> None:
    from test_import_faults import html_table

    result = run(html_table([["序号", "具体要求", "责任单位", "完成时限"], ['<td colspan="4">一、主动公开</td>'],
                             ["1", "公开预算。", "县财政局、2022年6月底前", ""],
                             ["2", "公开决算。", "县财政局，年底前", "持续推进"]]), "n.html")
    assert [(t["units"], t["deadline"]) for t in result.table["tasks"]] == [
        (["县财政局"], "2022年6月底前"), (["县财政局"], "持续推进")]
    assert warnings(result) == ["第 6 行：任务 1 的责任单位中的“2022年6月底前”是时限要求，不是单位名，已作为时限要求",
                                "第 7 行：任务 2 的责任单位中的“年底前”是时限要求，不是单位名，已去掉"]


# --------------------------------------------------------------------------- 9. 牵头单位：A、B inline: both lead


@pytest.mark.parametrize(("task", "leads"), [
    ("1.规范政务新媒体管理。（牵头单位：区委网信办、区数据局；完成时限：12月31日前）", ["区委网信办", "区数据局"]),
    ("1.规范政务新媒体管理。牵头单位：区委网信办、区数据局。完成时限：12月31日前。", ["区委网信办", "区数据局"]),
    ("1.规范政务新媒体管理。\n牵头科室：区委网信办、区数据局\n完成时限：12月31日前", ["区委网信办", "区数据局"]),
    ("1.规范政务新媒体管理。（责任单位：区委网信办、区数据局；完成时限：12月31日前）", None),  # no one leads
    ("1.规范政务新媒体管理。（牵头单位：区委网信办；责任单位：区数据局；完成时限：12月31日前）", None),  # the first named
], ids=["parenthesised", "sentences", "own-lines", "responsible", "lead-then-other"])
def test_an_inline_lead_label_names_every_unit_as_lead(task: str, leads: list[str] | None) -> None:
    """牵头单位：A、B in a task's text made A the only lead (a 牵头单位 column makes both)."""
    result = run(f"{TITLE}\n一、推进政务公开\n{task}\n".encode(), "n.txt")
    assert tasks(result) == [(1, 1, None, "规范政务新媒体管理。", ["区委网信办", "区数据局"], leads, "12月31日前")]


# --------------------------------------------------------------------------- 10. invisible and control characters


@pytest.mark.parametrize(("written", "codes"), [
    ("区财政局\u200b", "U+200B"), ("\ufeff区财政局", "U+FEFF"), ("区财\u200d政局", "U+200D"),
    ("\u2067区财政局\u2069", "U+2067、U+2069"), ("区财政局\u200e", "U+200E"), ("\u202e区财政局", "U+202E"),
])
def test_invisible_characters_in_a_unit_name_are_removed(written: str, codes: str) -> None:
    """区财政局\\u200b was a unit of its own beside 区财政局 (two spellings, one office)."""
    from test_import_faults import html_table

    result = run(html_table([["序号", "具体要求", "责任单位", "完成时限"], ['<td colspan="4">一、主动公开</td>'],
                             ["1", "公开预算。", "区财政局", "年底前"],
                             ["2", "公开决算。", f"{written}、区审计局", "年底前"]]), "n.html")
    assert [t["units"] for t in result.table["tasks"]] == [["区财政局"], ["区财政局", "区审计局"]]
    assert [u["name"] for u in result.table["units"]] == ["区财政局", "区审计局"]
    assert warnings(result) == [f"第 7 行：任务 2 的单位名“区财政局”中有不可见字符（零宽或双向控制字符 {codes}），已去掉"]


def test_control_characters_in_a_task_are_named() -> None:
    from test_import_faults import html_table

    result = run(html_table([["序号", "具体要求", "责任单位", "完成时限"], ['<td colspan="4">一、主动公开</td>'],
                             ["1", "公开预算。\x07\x1b[31m红色\x1b[0m", "区财政局", "年底前"]]), "n.html")
    assert warnings(result) == ["第 6 行：任务 1 的具体要求中有控制字符（U+0007、U+001B），请核对"]


# --------------------------------------------------------------------------- 11. a deadline before the plan year


@pytest.mark.parametrize(("phrase", "due"), [("2021年12月底前", "2021-12-31"), ("2021年6月30日前", "2021-06-30"),
                                           ("2020年底前", "2020-12-31")])
def test_a_deadline_before_the_plan_year_is_named(phrase: str, due: str) -> None:
    """2021年12月底前 in a 2022 notice (last year's text left in) passed without a word."""
    from test_import_faults import html_table

    result = run(html_table([["序号", "具体要求", "责任单位", "完成时限"], ['<td colspan="4">一、主动公开</td>'],
                             ["1", "公开预算。", "区财政局", phrase], ["2", "公开决算。", "区财政局", "2022年6月底前"]]),
                 "n.html")
    assert warnings(result) == [f"第 6 行：任务 1 的时限要求“{phrase}”在计划年度 2022 年之前（{due}），可能是上一年通知的文字，请核对"]


# --------------------------------------------------------------------------- 12. a password-protected .xlsx/.docx

# What Office writes for a password: an OLE compound file with the streams EncryptionInfo, EncryptedPackage.
_ENCRYPTED = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024) + "EncryptionInfo".encode("utf-16-le") + bytes(64)
              + "EncryptedPackage".encode("utf-16-le") + bytes(512))


@pytest.mark.parametrize(("name", "advice"), [
    ("n.xlsx", "请用 Excel 或 WPS 表格 打开（输入密码），去掉密码后另存为 .xlsx 再导入"),
    ("n.xls", "请用 Excel 或 WPS 表格 打开（输入密码），去掉密码后另存为 .xlsx 再导入"),
    ("n.docx", "请用 Word 或 WPS 文字 打开（输入密码），去掉密码后另存为 .docx 再导入"),
    ("n.doc", "请用 Word 或 WPS 文字 打开（输入密码），去掉密码后另存为 .docx 再导入"),
    ("通知", "请用 Word、Excel 或 WPS 打开（输入密码），去掉密码后另存为 .docx 或 .xlsx 再导入"),
])
def test_a_password_protected_file_is_named_so(name: str, advice: str, tmp_path: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    """It said LibreOffice could not convert a damaged file, and advised .docx for an .xlsx."""
    path = tmp_path / name
    path.write_bytes(_ENCRYPTED)
    result = gwgk("import", str(path), "-o", str(tmp_path / "t.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"错误：{path}: 文件设置了打开密码（已加密），无法读取：{advice}\n"


# --------------------------------------------------------------------------- 13. -o never overwrites the notice


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "dotted"])
def test_the_output_is_never_the_notice(how: str, tmp_path: Path, gwgk, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """-o NOTICE --force replaced the notice with its own import (also through a link to it)."""
    import os

    notice = tmp_path / "n.txt"
    data = f"{TITLE}\n序号\n具体要求\n责任单位\n时限要求\n一、推进决策公开\n1\n公开目录。\n县司法局\n年底前\n".encode()
    notice.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    out = {"same": "n.txt", "dotted": "./n.txt", "symlink": "link.txt", "hardlink": "hard.txt"}[how]
    if how == "symlink":
        os.symlink(notice, tmp_path / out)
    elif how == "hardlink":
        os.link(notice, tmp_path / out)
    result = gwgk("--today", "2022-03-01", "import", "n.txt", "-o", out, "--force")
    assert result.exit_code == 2
    assert result.stderr == f"错误：{Path(out)}: 是要导入的通知文件本身，不能覆盖（请另选输出文件名）\n"
    assert notice.read_bytes() == data


# --------------------------------------------------------------------------- 14. PDF page headers and footers


def _pdf_with_chrome(header: str, footer: str, pages: int = 3) -> bytes:
    """A table over several pages (its header row repeated), the office's 文号 at the top of each page and the
    page number at its foot (footer with {n}: the page's number, {total}: the pages')."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    xs = [50, 90, 350, 470, 545]
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for page in range(1, pages + 1):
        c.setFont("STSong-Light", 10)
        c.drawString(250, 815, header)
        y = 790
        if page == 1:
            c.drawString(50, 790, TITLE)
            y = 770
        rows = [["序号", "具体要求", "责任单位", "完成时限"]] + ([["", "一、主动公开", "", ""]] if page == 1 else [])
        rows += [[str(n), f"公开第{n}项信息。", "县政府办", "年底前"] for n in range(2 * page - 1, 2 * page + 1)]
        c.line(xs[0], y, xs[-1], y)
        top = y
        for row in rows:
            for k, text in enumerate(row):
                c.drawString(xs[k] + 3, y - 14, text)
            y -= 20
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, top, x, y)
        c.drawString(280, 30, footer.format(n=page, total=pages))
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.mark.parametrize("header", ["示政办发〔2022〕12号", "示例县人民政府办公室"])
@pytest.mark.parametrize("footer", ["— {n} —", "第 {n} 页 共 {total} 页", "- {n} -"])
def test_pdf_page_headers_and_footers_are_page_chrome(header: str, footer: str) -> None:
    """The 文号 at the top and — N — at the foot of every page: two “无法归位的文字” warnings a page."""
    result = run(_pdf_with_chrome(header, footer), "n.pdf")
    assert [t["id"] for t in result.table["tasks"]] == [1, 2, 3, 4, 5, 6]
    assert warnings(result) == []
    chrome = [e for e in result.explain if e.became == "跳过：页眉或页脚（各页重复）"]
    assert len(chrome) == 6


# --------------------------------------------------------------------------- minor: the date under the title


@pytest.mark.parametrize("line", ["（2022年5月10日）", "(2022年5月10日)", "2022年5月10日"])
def test_the_date_under_the_title_in_parentheses(line: str) -> None:
    from test_import_faults import html_table

    page = html_table([["序号", "具体要求", "责任单位", "完成时限"], ['<td colspan="4">一、主动公开</td>'],
                       ["1", "公开预算。", "区财政局", "年底前"]]).decode()
    result = run(page.replace("<table>", f"<p>{line}</p>\n<table>").encode(), "n.html")
    assert str(result.table["meta"]["published"]) == "2022-05-10"


# --------------------------------------------------------------------------- minor: the error line


@pytest.mark.parametrize(("name", "why"), [
    ("bad\nname\u202e.docx", "无法读取 Word 文件（.docx 已损坏或不是 Word 文档）：不是完整的 zip 压缩包"),
    ("n.xlsx", "无法读取 Excel 文件（已损坏、加密或不是 Excel 工作簿）"),
])
def test_a_broken_file_is_named_on_one_line_in_chinese(name: str, why: str, tmp_path: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    """A newline in the file's name split the error line; the zip library's English (File is not a zip file) ended it."""
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04garbage" + (b"xl/" if name.endswith("xlsx") else b"word/"))
    result = gwgk("import", str(path), "-o", str(tmp_path / "t.yaml"))
    assert result.exit_code == 2
    shown = str(path).replace("\n", " ").replace("\u202e", "\\u202e")
    assert result.stderr == f"错误：{shown}: {why}\n"
