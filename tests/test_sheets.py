"""填报表 out and back: a sheet written by `gwgk sheet out`, filled the way a clerk fills it (with
openpyxl: date cells, numbers typed as text, a merged note cell, a formula-like note), read back by
`gwgk sheet in`, and the journal checked line by line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import Result

from gwgk_cli.sheets.layout import FIRST_ROW, ID_SHEET, MAIN_SHEET, letter

Runner = Callable[..., Result]
SHEET = "行财科-推进情况填报表-2021-W47.xlsx"
# 行财科's sheet lists task 3 (row 5, via 各相关科室), 4 (row 6, its own), 5 (row 7), 7 (row 8) …
ROW = {3: 5, 4: 6, 5: 7, 7: 8, 8: 9}


def journal_lines(journal: Path) -> list[dict[str, Any]]:
    if not journal.exists():
        return []
    return [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines() if line.strip()]


def without_volatile(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in ("id", "at")}


@pytest.fixture
def sheet(table: Path, gwgk: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """行财科's sheet for 2021-W47, written by the real CLI into a fresh directory (the cwd)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = gwgk("sheet", "out", "--unit", "行财科")
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"已生成 {SHEET}（行财科，2021年第47周（11月22日—11月28日），11 项任务，其中集体任务 10 项）\n")
    return work / SHEET


def fill(path: Path, rows: dict[int, dict[str, Any]], *, save_as: Path | None = None,
         edit: Any = None) -> Path:
    """Type values into the sheet as a clerk would, by task id and column key; save."""
    wb = openpyxl.load_workbook(path)
    ws = wb[MAIN_SHEET]
    for task_id, values in rows.items():
        for key, value in values.items():
            cell = ws[f"{letter(key)}{ROW[task_id]}"]
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text ('= in Excel): data, not a formula
    if edit is not None:
        edit(ws)
    target = save_as or path
    wb.save(target)
    return target


def test_sheet_out_is_protected_validated_printable_and_identified(sheet: Path) -> None:
    wb = openpyxl.load_workbook(sheet)
    ws = wb[MAIN_SHEET]
    assert ws["A1"].value == "淮南市人民政府办公室2021年政务公开重点工作任务分工推进情况填报表"
    assert ws["A2"].value.startswith("填报单位：行财科　　填报周期：2021年第47周（11月22日—11月28日）")
    assert [ws.cell(row=4, column=i).value for i in range(1, 17)] == [
        "序号", "任务", "具体要求", "责任单位", "完成时限", "当前状态", "当前进度", "最近进展",
        "本期进展情况", "完成进度(%)", "状态", "存在问题", "下一步措施", "佐证材料", "填报人", "填报日期"]
    assert [ws[f"A{r}"].value for r in range(FIRST_ROW, FIRST_ROW + 11)] == [3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 22]
    assert ws["D6"].value == "行财科（牵头）"
    assert ws["D5"].value == "[各相关科室] 政务公开指导办（牵头）、政府网站、各相关科室"
    # Protected without a password; read-only cells locked, the columns to fill unlocked.
    assert ws.protection.sheet is True and not ws.protection.password
    assert ws["C6"].protection.locked is True
    assert all(ws[f"{c}6"].protection.locked is False for c in "IJKLMNOP")
    rules = {str(dv.sqref): (dv.type, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert rules == {"J5:J15": ("whole", "0", "100"), "K5:K15": ("list", '"未开始,推进中,已完成,受阻"', None)}
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$4:$4"
    assert ws.column_dimensions["C"].width == 40
    ids = wb[ID_SHEET]
    assert ids.sheet_state == "veryHidden"
    meta = {ids[f"A{r}"].value: ids[f"B{r}"].value for r in range(1, 10)}
    assert (meta["unit"], meta["period"], meta["year"], len(meta["sheet_id"])) == ("行财科", "2021-W47", "2021", 12)
    assert set(wb.defined_names) >= {"gwgk_fingerprint", "gwgk_unit", "gwgk_period", "gwgk_sheet_id"}


def test_a_clerk_fills_the_sheet_and_it_goes_into_the_journal(sheet: Path, gwgk: Runner, journal: Path) -> None:
    def merge_note(ws: Worksheet) -> None:  # one note for tasks 5 and 7, in a merged cell
        ws["I7"].value = "已在专栏集中发布政策解读"
        ws.merge_cells("I7:I8")

    fill(sheet, {
        4: {"progress": "预决算已在专栏公开", "new_percent": "100", "new_status": "已完成",
            "evidence": "https://www.huainan.gov.cn/xxgk/ysjs", "filled_by": "王芳", "filled_on": dt.datetime(2021, 11, 19)},
        3: {"progress": "=按计划推进，已完成初稿", "new_percent": "６０％", "filled_by": "王芳", "filled_on": "11月20日"},
        5: {"new_percent": 30, "filled_on": 44522},  # a serial number: 2021-11-22
        7: {"new_status": "推进中", "problems": "人手不足", "filled_on": "2021.11.21"},
    }, edit=merge_note)

    preview = gwgk("sheet", "in", str(sheet))  # no terminal, no --yes: a preview only
    assert preview.exit_code == 0, preview.output
    assert preview.stdout == (
        f"{sheet}：行财科，2021年第47周（11月22日—11月28日）\n"
        "  任务 3 专题公开高标准市场体系政策：进度 60%；进展“=按计划推进，已完成初稿”；王芳 2021-11-20\n"
        "  任务 4 公开办公室预算决算：未开始 → 已完成；进展“预决算已在专栏公开”；"
        "佐证 https://www.huainan.gov.cn/xxgk/ysjs；王芳 2021-11-19\n"
        "  任务 5 重大政策权威发布和深入解读：进度 30%；进展“已在专栏集中发布政策解读”；行财科 2021-11-22\n"
        "  任务 7 注重政策实质性解读：未开始 → 推进中；进展“已在专栏集中发布政策解读；存在问题：人手不足”；"
        "行财科 2021-11-21\n"
        "预览：将登记 4 条记录，现未登记任何内容（确认无误后加 --yes 登记）。\n")
    assert journal_lines(journal) == []

    result = gwgk("sheet", "in", str(sheet), "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("已登记 4 条记录（任务 3、4、5、7）。\n")
    lines = journal_lines(journal)
    sha = __import__("hashlib").sha256(sheet.read_bytes()).hexdigest()[:16]
    sheet_id = openpyxl.load_workbook(sheet)[ID_SHEET]["B7"].value
    source = f"sheet={sheet_id}; period=2021-W47; sha256={sha}; unit=行财科; file={SHEET}"
    assert [without_volatile(e) for e in lines] == [
        {"date": "2021-11-20", "by": "王芳", "task": 3, "op": "note", "percent": 60, "note": "=按计划推进，已完成初稿",
         "source": source},
        {"date": "2021-11-19", "by": "王芳", "task": 4, "op": "status", "from": "todo", "to": "done",
         "note": "预决算已在专栏公开", "evidence": "https://www.huainan.gov.cn/xxgk/ysjs", "source": source},
        {"date": "2021-11-22", "by": "行财科", "task": 5, "op": "note", "percent": 30, "note": "已在专栏集中发布政策解读",
         "source": source},
        {"date": "2021-11-21", "by": "行财科", "task": 7, "op": "status", "from": "todo", "to": "doing",
         "note": "已在专栏集中发布政策解读；存在问题：人手不足", "source": source},
    ]
    # The formula-like note is data in the journal, neutralised where it goes into a spreadsheet.
    resent = gwgk("sheet", "out", "--unit", "行财科", "-o", "next.xlsx")
    assert resent.exit_code == 0, resent.output
    ws = openpyxl.load_workbook(sheet.with_name("next.xlsx"))[MAIN_SHEET]
    assert (ws["H5"].value, ws["H5"].data_type) == ("'=按计划推进，已完成初稿", "s")
    assert (ws["F6"].value, ws["G6"].value, ws["F5"].value, ws["G5"].value) == ("已完成", "100%", "推进中", "60%")

    again = gwgk("sheet", "in", str(sheet), "--yes")  # the same file twice: nothing new
    assert again.exit_code == 0, again.output
    assert again.stdout == (f"{sheet}：行财科，2021年第47周（11月22日—11月28日）（此文件此前已导入过）\n"
                            "  无变化：任务 3、4、5、7\n没有需要登记的变更。\n")
    assert len(journal_lines(journal)) == 4


def test_a_later_sheet_repeating_earlier_rows_records_only_what_is_new(
        sheet: Path, gwgk: Runner, journal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(sheet, {4: {"progress": "预算已公开", "new_percent": 50, "new_status": "推进中", "filled_on": "2021-11-22"}})
    assert gwgk("sheet", "in", str(sheet), "--yes").exit_code == 0
    monkeypatch.setenv("GWGK_TODAY", "2021-11-29")
    out = gwgk("sheet", "out", "--unit", "行财科", "--period", "2021-W48")
    assert out.exit_code == 0, out.output
    later = sheet.with_name("行财科-推进情况填报表-2021-W48.xlsx")
    fill(later, {4: {"progress": "预算已公开", "new_percent": 50, "new_status": "推进中", "filled_on": "2021-11-29"},
                 3: {"progress": "已启动", "filled_on": "11/29"}})
    result = gwgk("sheet", "in", str(later), "--yes")
    assert result.exit_code == 0, result.output
    assert "  无变化：任务 4\n" in result.stdout
    assert [without_volatile(e)["task"] for e in journal_lines(journal)] == [4, 4, 3]
    assert journal_lines(journal)[-1]["note"] == "已启动"
    status = gwgk("sheet", "status", "--period", "2021-W48")
    assert status.stdout.startswith("填报周期：2021年第48周（11月29日—12月5日）\n已报送 1 个单位：\n"
                                    "  行财科　2021-11-29　行财科　1 条　行财科-推进情况填报表-2021-W48.xlsx\n"
                                    "未报送 7 个单位（催报）：\n  政务公开指导办\n")


BAD_CELLS = [
    ({4: {"new_percent": "八成"}}, "J6: 完成进度 “八成” 不是 0–100 的数字"),
    ({4: {"new_percent": 120}}, "J6: 完成进度 “120” 超出 0–100"),
    ({4: {"new_percent": "0.8"}}, "J6: 完成进度 “0.8” 不是 0–100 的整数"),
    ({4: {"new_status": "差不多了"}}, "K6: 状态 “差不多了” 不在可选状态中（未开始、推进中、已完成、受阻）"),
    ({4: {"progress": "x", "filled_on": "下周一"}}, "P6: 填报日期 “下周一” 不是日期（例如 2021-11-22 或 11月22日）"),
    ({4: {"progress": "x", "filled_on": "2021-11-30"}}, "P6: 填报日期 2021-11-30 晚于今天（2021-11-22）"),
    ({4: {"title": "公开预算"}}, "B6: 只读单元格“任务”被改动（原为 “公开办公室预算决算”，现为 “公开预算”）"),
    ({4: {"new_status": "受阻"}}, "L6: 任务 4 状态为“受阻”，请在“存在问题”中写明原因"),
    ({4: {"new_status": "已完成", "new_percent": 60}}, "J6: 任务 4 为“已完成”，完成进度却是 60"),
]


@pytest.mark.parametrize(("rows", "message"), BAD_CELLS, ids=[m.split(":")[0] + "-" + m[5:12] for _, m in BAD_CELLS])
def test_each_bad_cell_is_named_and_nothing_is_recorded(sheet: Path, gwgk: Runner, journal: Path,
                                                        rows: dict[int, dict[str, Any]], message: str) -> None:
    good = {3: {"progress": "按计划推进", "filled_on": "2021-11-22"}}
    fill(sheet, {**good, **rows})
    result = gwgk("sheet", "in", str(sheet), "--yes")
    assert result.exit_code == 2
    assert result.stderr == (f"问题: {sheet}!{message}\n"
                             "错误: 共 1 处问题，未登记任何内容（请改正后重新导入，或加 --partial 只登记没有问题的行）\n")
    assert journal_lines(journal) == []
    partial = gwgk("sheet", "in", str(sheet), "--yes", "--partial")  # the good row only
    assert partial.exit_code == 0, partial.output
    assert [e["task"] for e in journal_lines(journal)] == [3]


def test_a_done_task_is_not_reopened_and_a_row_backdated_before_a_later_change_is_refused(
        sheet: Path, gwgk: Runner, journal: Path) -> None:
    assert gwgk("done", "4", "--date", "2021-11-20").exit_code == 0
    assert gwgk("start", "3", "--date", "2021-11-21").exit_code == 0
    fill(sheet, {4: {"new_status": "推进中"}, 3: {"new_status": "受阻", "problems": "等待预算", "filled_on": "11月18日"}})
    result = gwgk("sheet", "in", str(sheet), "--yes")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        f"问题: {sheet}!P5: 填报日期 2021-11-18 早于任务 3 最近一次变更（2021-11-21），这一状态变更会被其覆盖；请核对填报日期",
        f"问题: {sheet}!K6: 任务 4 已完成，填报表不能把它改为“推进中”（确需重新打开请用 gwgk reopen 4）",
    ]
    assert len(journal_lines(journal)) == 2


def test_a_row_that_is_not_the_units_and_an_added_row_are_reported(sheet: Path, gwgk: Runner, journal: Path) -> None:
    def add_rows(ws: Worksheet) -> None:
        ws["A16"].value, ws["I16"].value = 14, "代填任务 14"
        ws["A17"].value, ws["I17"].value = 4, "又填一遍任务 4"

    fill(sheet, {4: {"progress": "ok"}}, edit=add_rows)
    result = gwgk("sheet", "in", str(sheet))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        f"问题: {sheet}!A16: 任务 14 不是 行财科 的任务",
        f"问题: {sheet}!A17: 第 17 行不是填报表原有的行，未读取（请在原有的行中填写）",
    ]
    assert journal_lines(journal) == []


def test_a_sheet_for_another_year_or_table_is_refused(sheet: Path, gwgk: Runner, journal: Path, table: Path) -> None:
    fill(sheet, {4: {"progress": "ok"}})
    text = table.read_text(encoding="utf-8")
    other = table.with_name("tasks_2022.yaml")
    other.write_text(text.replace("year: 2021", "year: 2022"), encoding="utf-8")
    result = gwgk("--file", str(other), "sheet", "in", str(sheet), "--yes", "--partial")
    assert result.exit_code == 2
    assert (f"问题: {sheet}: 是 2021 年任务表的填报表，当前任务表是 2022 年（淮南市人民政府办公室2021年政务公开重点工作任务分工），"
            "未导入\n") in result.stderr
    renamed = table.with_name("tasks_2021b.yaml")
    renamed.write_text(text.replace("title: 公开办公室预算决算", "title: 公开预算决算"), encoding="utf-8")
    result = gwgk("--file", str(renamed), "sheet", "in", str(sheet), "--yes")
    assert result.exit_code == 2
    assert "与当前任务表的任务不符" in result.stderr
    assert journal_lines(journal) == []


def test_a_workbook_not_made_by_gwgk(tmp_path: Path, table: Path, gwgk: Runner) -> None:
    plain = tmp_path / "别人的表.xlsx"
    openpyxl.Workbook().save(plain)
    result = gwgk("sheet", "in", str(plain))
    assert result.exit_code == 2
    assert f"问题: {plain}: 不是 gwgk sheet out 生成的填报表（缺少识别信息 _gwgk），无法对应任务\n" in result.stderr
    missing = gwgk("sheet", "in", str(tmp_path / "nope.xlsx"))
    assert missing.exit_code == 2 and missing.stderr == f"错误: 找不到文件 {tmp_path / 'nope.xlsx'}\n"


def test_xls_without_libreoffice_says_what_to_do(tmp_path: Path, table: Path, gwgk: Runner,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gwgk_cli.sheets.convert.find_soffice", lambda: None)
    old = tmp_path / "行财科.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = gwgk("sheet", "in", str(old))
    assert result.exit_code == 2
    assert result.stderr == ("错误: 行财科.xls: .xls 文件需要 LibreOffice 转换，但未找到 soffice；"
                             "请在 Excel 或 WPS 中“另存为” .xlsx 后再导入\n")


def test_sheet_out_guards_and_options(sheet: Path, gwgk: Runner, journal: Path, tmp_path: Path) -> None:
    again = gwgk("sheet", "out", "--unit", "xck")
    assert again.exit_code == 2 and again.stderr == f"错误: {SHEET} 已存在,未覆盖(确认覆盖请加 --force)\n"
    assert gwgk("sheet", "out", "--unit", "行财科", "--force").exit_code == 0
    journal.write_text("", encoding="utf-8")
    in_use = gwgk("sheet", "out", "--unit", "行财科", "-o", str(journal), "--force")
    assert in_use.exit_code == 2 and "是正在使用的进展记录" in in_use.stderr
    neither = gwgk("sheet", "out")
    assert neither.exit_code == 2 and "请用 --unit 指定单位" in neither.stderr
    collective = gwgk("sheet", "out", "--unit", "各相关科室")
    assert collective.exit_code == 2 and "是集体单位" in collective.stderr
    bad_period = gwgk("sheet", "out", "--unit", "行财科", "--period", "2021-W60")
    assert bad_period.stderr == "错误: 无效的填报周期 “2021-W60”（2021 年没有第 60 周）\n"
    every = gwgk("sheet", "out", "--all-units", "-o", str(tmp_path / "本周"), "--period", "2021-11")
    assert every.exit_code == 0, every.output
    assert len(list((tmp_path / "本周").glob("*-推进情况填报表-2021-11.xlsx"))) == 8


def test_sheet_status_lists_returns_and_the_units_to_chase(sheet: Path, gwgk: Runner) -> None:
    fill(sheet, {4: {"progress": "已公开", "filled_by": "王芳", "filled_on": "2021-11-22"},
                 3: {"progress": "推进中", "filled_by": "王芳", "filled_on": "2021-11-20"}})
    assert gwgk("sheet", "in", str(sheet), "--yes").exit_code == 0
    result = gwgk("sheet", "status")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "填报周期：2021年第47周（11月22日—11月28日）\n已报送 1 个单位：\n"
        f"  行财科　2021-11-20—2021-11-22　王芳　2 条　{SHEET}\n"
        "未报送 7 个单位（催报）：\n  政务公开指导办\n  政府网站\n  “放管服”改革和营商环境监督科\n  文秘科\n"
        "  秘书一室\n  会务联络科\n  市政府办公室\n")
    data = json.loads(gwgk("sheet", "status", "--format", "json").stdout)
    assert data["returned"][0]["unit"] == "行财科" and len(data["missing"]) == 7
    other = gwgk("sheet", "status", "--period", "2021-W46")
    assert "已报送 0 个单位" in other.stdout


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _libreoffice(source: Path, outdir: Path, fmt: str) -> Path:
    from gwgk_cli.sheets.convert import convert

    assert SOFFICE is not None
    return convert(SOFFICE, source, outdir, fmt)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_sheet_resaved_by_libreoffice_still_matches(sheet: Path, gwgk: Runner, journal: Path,
                                                       tmp_path: Path) -> None:
    fill(sheet, {4: {"progress": "预决算已公开", "new_percent": 80, "filled_on": dt.datetime(2021, 11, 22)}})
    resaved = _libreoffice(sheet, tmp_path / "lo", "xlsx")
    assert resaved.read_bytes() != sheet.read_bytes()
    result = gwgk("sheet", "in", str(resaved), "--yes")
    assert result.exit_code == 0, result.output
    assert [without_volatile(e)["note"] for e in journal_lines(journal)] == ["预决算已公开"]
    as_xls = _libreoffice(sheet, tmp_path / "xls", "xls")  # an old-format file goes through LibreOffice too
    result = gwgk("sheet", "in", str(as_xls), "--yes")
    assert result.exit_code == 0, result.output
    assert len(journal_lines(journal)) == 1  # the same content: nothing twice


def test_gwgk_list_does_not_import_openpyxl(table: Path) -> None:
    code = ("import sys\nsys.argv = ['gwgk', 'list', '--unit', '行财科']\nfrom gwgk_cli.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('openpyxl' in sys.modules, file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", timeout=60,
                         check=False)
    assert out.stderr.strip().splitlines()[-1] == "False"
