"""A formula in a returned 填报表 is not a value the unit filled in: one rule whatever program saved the file.

The cells are written into the sheet `gwgk sheet out` made as the programs save them (the XML of the
worksheet part edited: LibreOffice's `<c t="n"><f aca="false">TRUE()</f><v>1</v></c>`, Excel's t="b", shared
and array formulas, none saved at all), and once through LibreOffice itself when it is installed."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import Result

from gwgk_cli.sheets.layout import MAIN_SHEET

Runner = Callable[..., Result]
TITLE = "淮南市人民政府办公室2021年政务公开重点工作任务分工推进情况填报表"  # A1
SAY = "，不是直接填写的值；请改为直接填写的值（以 = 开头的文字请在前面加英文单引号 '）"
REFUSED = "错误：共 {n} 处问题，未登记任何内容（请改正后重新导入，或加 --partial 只登记没有问题的行）"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


# `sheet` (conftest): 行财科's sheet for 2021-W47 (task 3 in row 5, 4 in row 6, 5 in row 7, 7 in row 8).


def type_in(path: Path, cells: dict[str, Any]) -> None:
    """Cells typed as a clerk types them (openpyxl: text stays text, also one starting with =)."""
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[MAIN_SHEET][ref].value = value
        if isinstance(value, str):
            wb[MAIN_SHEET][ref].data_type = "s"
    wb.save(path)


def with_xml(path: Path, cells: dict[str, str]) -> None:
    """Replace cells of the main sheet's XML by the elements given ({s}: the cell's own style, kept)."""
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    xml = files[part].decode("utf-8")
    for ref, element in cells.items():
        pattern = re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', re.DOTALL)
        m = pattern.search(xml)
        assert m is not None, ref
        style = re.search(r'\ss="\d+"', m["attrs"])
        xml = xml[:m.start()] + element.replace("{s}", style[0].strip() if style else "") + xml[m.end():]
    files[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


def notes(journal: Path) -> list[tuple[int, str, int | None, str]]:
    lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()] if journal.exists() else []
    return [(e["task"], e.get("note", ""), e.get("percent"), e.get("evidence", "")) for e in lines]


@pytest.mark.parametrize(("cells", "problems"), [
    pytest.param({"J6": '<c r="J6" {s} t="n"><f aca="false">TRUE()</f><v>1</v></c>'},
                 ["J6: “完成进度”是公式（=TRUE()）" + SAY], id="libreoffice-true-is-1"),
    pytest.param({"J6": '<c r="J6" {s} t="b"><f>TRUE()</f><v>1</v></c>'},
                 ["J6: “完成进度”是公式（=TRUE()）" + SAY], id="excel-true-boolean"),
    pytest.param({"J6": '<c r="J6" {s}><f>50+10</f><v>60</v></c>'},
                 ["J6: “完成进度”是公式（=50+10）" + SAY], id="a-sum-with-a-fine-result"),
    pytest.param({"J6": '<c r="J6" {s}><f>50+10</f></c>'},
                 ["J6: “完成进度”是公式（=50+10）" + SAY], id="no-saved-result"),
    pytest.param({"J6": '<c r="J6" {s}><f>1/3</f><v>0.333333333333333</v></c>'},
                 ["J6: “完成进度”是公式（=1/3）" + SAY], id="a-fraction"),
    pytest.param({"I6": f'<c r="I6" {{s}} t="str"><f>A1</f><v>{TITLE}</v></c>'},
                 ["I6: “本期进展情况”是公式（=A1）" + SAY], id="a-reference-as-the-note"),
    pytest.param({"I6": '<c r="I6" {s} t="str"><f>_xlfn.CONCAT("已","公开")</f><v>已公开</v></c>'},
                 ['I6: “本期进展情况”是公式（=CONCAT("已","公开")）' + SAY], id="a-newer-function"),
    pytest.param({"I6": '<c r="I6" {s} t="e"><f>预算已公开</f><v>#NAME?</v></c>'},
                 ["I6: “本期进展情况”是公式（=预算已公开）" + SAY], id="text-typed-without-a-quote"),
    pytest.param({"K6": '<c r="K6" {s} t="str"><f>"已完成"</f><v>已完成</v></c>'},
                 ['K6: “状态”是公式（="已完成"）' + SAY], id="the-status"),
    pytest.param({"P6": '<c r="P6" {s}><f aca="true">TODAY()</f><v>44522</v></c>'},
                 ["P6: “填报日期”是公式（=TODAY()）" + SAY], id="today-as-the-filling-date"),
    pytest.param({"Q6": '<c r="Q6" {s}><f>DATE(2021,11,20)</f><v>44520</v></c>'},
                 ["Q6: “完成日期”是公式（=DATE(2021,11,20)）" + SAY], id="a-date-formula"),
    pytest.param({"N6": '<c r="N6" {s} t="str"><f>HYPERLINK(A1)</f><v>x</v></c>'},
                 ["N6: “佐证材料”是公式（=HYPERLINK(A1)）" + SAY], id="a-link-to-a-cell"),
    pytest.param({"N6": '<c r="N6" {s} t="str"><f>HYPERLINK("https://a.gov.cn/1",B6)</f><v>x</v></c>'},
                 ['N6: “佐证材料”是公式（=HYPERLINK("https://a.gov.cn/1",B6)）' + SAY], id="a-link-text-from-a-cell"),
    pytest.param({"I6": '<c r="I6" {s} t="str"><f>HYPERLINK("https://a.gov.cn/1","已公开")</f><v>已公开</v></c>'},
                 ['I6: “本期进展情况”是公式（=HYPERLINK("https://a.gov.cn/1","已公开")）' + SAY],
                 id="a-link-outside-the-evidence-column"),
    # A shared formula: the cells sharing it hold <f t="shared" si="0"/> and no text; the formula is moved.
    pytest.param({"J6": '<c r="J6" {s}><f t="shared" ref="J6:J7" si="0">A6*10</f><v>40</v></c>',
                  "J7": '<c r="J7" {s}><f t="shared" si="0"/><v>50</v></c>'},
                 ["J6: “完成进度”是公式（=A6*10）" + SAY, "J7: “完成进度”是公式（=A7*10）" + SAY], id="shared"),
    # An array formula (a dynamic array's spill alike): the cells of its range but the first hold only a value.
    pytest.param({"J6": '<c r="J6" {s}><f t="array" ref="J6:J7">A6:A7*10</f><v>40</v></c>',
                  "J7": '<c r="J7" {s}><v>50</v></c>'},
                 ["J6: “完成进度”是公式（=A6:A7*10）" + SAY, "J7: “完成进度”是 J6:J7 的数组公式（=A6:A7*10）的结果" + SAY],
                 id="array"),
    pytest.param({"J6": '<c {s}><f>TRUE()</f><v>1</v></c>'},  # no r: the cell after I6, as every reader counts
                 ["J6: “完成进度”是公式（=TRUE()）" + SAY], id="a-cell-without-its-reference"),
    pytest.param({"A6": '<c r="A6" {s}><f>2+2</f><v>4</v></c>'},
                 ["A6: 只读单元格“序号”被改动（原为 “4”，现为公式 =2+2）"], id="the-task-id"),
])
def test_a_formula_in_a_returned_sheet_is_refused_at_its_cell(sheet: Path, gwgk: Runner, journal: Path,
                                                              cells: dict[str, str], problems: list[str]) -> None:
    """Found by a hostile test: =TRUE() typed into 完成进度 and saved by LibreOffice was recorded as 1 %
    (its saved result); =A1 recorded the sheet's title as the progress. A formula's result is not what the clerk
    wrote and changes when recalculated: refused at its cell, cached or not, and nothing is recorded."""
    type_in(sheet, {"I6": "预决算已公开", "I7": "已梳理", "I8": "已转发"})
    with_xml(sheet, cells)
    result = gwgk("sheet", "in", str(sheet), "--yes")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"问题：{sheet}!{p}" for p in problems] + [REFUSED.format(n=len(problems))]
    assert not journal.exists()


def test_with_partial_only_the_row_with_a_formula_is_skipped(sheet: Path, gwgk: Runner, journal: Path) -> None:
    type_in(sheet, {"I6": "预决算已公开", "I8": "已转发"})
    with_xml(sheet, {"J6": '<c r="J6" {s} t="n"><f aca="false">TRUE()</f><v>1</v></c>'})
    result = gwgk("sheet", "in", str(sheet), "--yes", "--partial")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == f"问题：{sheet}!J6: “完成进度”是公式（=TRUE()）" + SAY
    assert [task for task, *_ in notes(journal)] == [7]


@pytest.mark.parametrize(("cells", "recorded"), [
    # Text that starts with = is text (a quote typed before it, a text cell): kept, as any other note.
    pytest.param({"I6": '<c r="I6" {s} t="inlineStr"><is><t>=TRUE()</t></is></c>'}, (4, "=TRUE()", None, ""),
                 id="inline-string"),
    pytest.param({"I6": '<c r="I6" {s} t="str"><v>=A1 已核对</v></c>'}, (4, "=A1 已核对", None, ""),
                 id="a-formula-string-with-no-formula"),
    # =HYPERLINK with its address and text written out: nothing computed; the text as written, and the address.
    pytest.param({"N6": '<c r="N6" {s} t="str"><f>HYPERLINK("https://a.gov.cn/1","预算专栏")</f><v>预算专栏</v></c>'},
                 (4, "已公开", None, "预算专栏 https://a.gov.cn/1"), id="a-link"),
    pytest.param({"N6": '<c r="N6" {s} t="str"><f>HYPERLINK("https://a.gov.cn/1","预算专栏")</f><v>另一个</v></c>'},
                 (4, "已公开", None, "预算专栏 https://a.gov.cn/1"), id="a-link-its-text-not-its-saved-result"),
    pytest.param({"N6": '<c r="N6" {s} t="str"><f>hyperlink( "https://a.gov.cn/1" )</f></c>'},
                 (4, "已公开", None, "https://a.gov.cn/1"), id="a-link-without-text-or-result"),
])
def test_text_starting_with_equals_and_a_written_out_link_are_read(sheet: Path, gwgk: Runner, journal: Path,
                                                                   cells: dict[str, str],
                                                                   recorded: tuple[int, str, int | None, str]) -> None:
    type_in(sheet, {"I6": "已公开", "J6": "50"})
    with_xml(sheet, cells)
    result = gwgk("sheet", "in", str(sheet), "--yes")
    assert result.exit_code == 0, result.output
    task, note, _, evidence = recorded
    assert notes(journal) == [(task, note, 50, evidence)]


@pytest.mark.parametrize(("typed", "recorded", "problem"), [
    ({"I6": "=1/3"}, [(4, "=1/3", None, "")], None),  # '=1/3 in Excel: a shared string
    ({"I6": "=SUM(A1:A9)", "L6": "=A1", "M6": "@cmd"}, [(4, "=SUM(A1:A9)；存在问题：=A1；下一步措施：@cmd", None, "")],
     None),
    ({"I6": "进展", "J6": "=50"}, [], "J6: 完成进度 “=50” 不是 0–100 的数字"),  # text, not computed
    ({"I6": "进展", "Q6": "=DATE(2021,11,20)"}, [],
     "Q6: 完成日期 “=DATE(2021,11,20)” 不是日期（例如 2021-11-22 或 11月22日）"),
])
def test_text_starting_with_equals_is_text(sheet: Path, gwgk: Runner, journal: Path, typed: dict[str, str],
                                           recorded: list[tuple[int, str, int | None, str]], problem: str | None) -> None:
    type_in(sheet, typed)
    result = gwgk("sheet", "in", str(sheet), "--yes")
    assert notes(journal) == recorded
    if problem is None:
        assert (result.exit_code, result.stderr) == (0, "")
    else:
        assert result.exit_code == 2
        assert result.stderr.splitlines()[0] == f"问题：{sheet}!{problem}"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_formulas_saved_by_libreoffice_are_refused(sheet: Path, gwgk: Runner, journal: Path, tmp_path: Path,
                                                   fmt: str) -> None:
    """The file as LibreOffice saves it (its result stored: 1 for =TRUE()), also as .xls and .ods, which sheet in
    reads through LibreOffice again."""
    from gwgk_cli.sheets.convert import convert

    wb = openpyxl.load_workbook(sheet)
    ws = wb[MAIN_SHEET]
    ws["I6"], ws["J6"], ws["Q6"] = "已完成", "=TRUE()", "=DATE(2021,11,20)"
    ws["I7"] = "=A1"
    ws["I8"], ws["N8"] = "已转发", '=HYPERLINK("https://a.gov.cn/1","通知")'
    ws["I8"].data_type = "s"
    wb.save(sheet)
    assert SOFFICE is not None
    saved = convert(SOFFICE, sheet, tmp_path / "lo", fmt)
    result = gwgk("sheet", "in", str(saved), "--yes")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"问题：{saved}!{p}" for p in [
        "J6: “完成进度”是公式（=TRUE()）" + SAY,
        "Q6: “完成日期”是公式（=DATE(2021,11,20)）" + SAY,
        "I7: “本期进展情况”是公式（=A1）" + SAY,
    ]] + [REFUSED.format(n=3)]
    assert not journal.exists()
    result = gwgk("sheet", "in", str(saved), "--yes", "--partial")
    assert result.exit_code == 1, result.output
    assert notes(journal) == [(7, "已转发", None, "通知 https://a.gov.cn/1")]


def test_a_formula_merged_over_two_rows_is_refused_in_each(sheet: Path, gwgk: Runner, journal: Path) -> None:
    wb = openpyxl.load_workbook(sheet)
    wb[MAIN_SHEET].merge_cells("I6:I7")
    wb[MAIN_SHEET]["I6"] = "=A1"
    wb.save(sheet)
    result = gwgk("sheet", "in", str(sheet), "--yes")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [f"问题：{sheet}!I{row}: “本期进展情况”是公式（=A1）" + SAY for row in (6, 7)]
    assert not journal.exists()


def test_formula_cells_of_a_sheet_not_in_the_package_is_unreadable(sheet: Path) -> None:
    from gwgk_cli.sheets.formulas import Unreadable, formula_cells

    with_xml(sheet, {"J6": '<c r="J6" {s}><f>1+1</f><v>2</v></c>'})
    assert formula_cells(sheet.read_bytes(), MAIN_SHEET, max_column=17).at(6, 10) is not None
    assert formula_cells(sheet.read_bytes(), MAIN_SHEET, max_column=9).at(6, 10) is None  # beyond the table
    with pytest.raises(Unreadable):
        formula_cells(sheet.read_bytes(), "另一个表", max_column=17)
