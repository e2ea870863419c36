"""gwgk export --format xlsx: the 台账 workbook, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

FIXTURES = Path(__file__).parent / "fixtures" / "report"
EXPORT = ("--today", "2021-11-24", "export", "--format", "xlsx")


@pytest.fixture
def w47(journal: Path) -> Path:
    shutil.copyfile(FIXTURES / "w47.progress.jsonl", journal)
    return journal


def make(gwgk, tmp_path: Path, name: str = "台账.xlsx") -> Path:
    target = tmp_path / name
    result = gwgk(*EXPORT, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"已将 28 项任务（xlsx）写入 {target}\n"
    return target


@pytest.fixture
def book(gwgk, w47: Path, tmp_path: Path) -> Workbook:
    return openpyxl.load_workbook(make(gwgk, tmp_path))


def header(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[2]}


def test_sheets_title_and_frozen_header(book: Workbook) -> None:
    assert book.sheetnames == ["任务台账", "进展记录"]
    ws = book["任务台账"]
    assert ws["A1"].value == "淮南市人民政府办公室2021年政务公开重点工作任务分工台账（截至 2021年11月24日）"
    assert ws["A1"].font.bold and "A1:P1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "D3"  # 序号, 部分 and 任务 stay in view across 16 columns (found by a reader)
    assert list(header(ws)) == ["序号", "部分", "任务", "具体要求", "责任单位", "完成时限", "延期情况", "状态", "信号",
                                "完成进度", "最近进展", "进展日期", "佐证材料", "登记人", "完成时间", "签收"]
    assert ws.max_row == 2 + 28
    assert [ws.cell(r, 1).value for r in range(3, 31)] == list(range(1, 29))
    assert ws.print_title_rows == "$2:$2"


def test_widths_and_wrapping(book: Workbook) -> None:
    ws = book["任务台账"]
    cols = header(ws)
    from openpyxl.utils import get_column_letter

    assert ws.column_dimensions[get_column_letter(cols["任务"])].width >= 16
    assert ws.column_dimensions[get_column_letter(cols["具体要求"])].width >= 30
    assert ws.cell(3, cols["具体要求"]).alignment.wrap_text
    assert not ws.cell(3, cols["序号"]).alignment.wrap_text
    # Row heights follow the wrapped text (LibreOffice does not fit them itself): task 5's long 具体要求.
    assert ws.row_dimensions[2 + 5].height > 3 * ws.row_dimensions[2 + 4].height
    assert ws.cell(3, cols["信号"]).alignment.horizontal == "center"


@pytest.mark.parametrize(("task", "signal", "fill"), [
    (4, "已完成", "D9D9D9"),
    (1, "绿灯", "C6EFCE"),
    (20, "黄灯", "FFEB9C"),
    (23, "黄灯", "FFEB9C"),
])
def test_signal_fills(book: Workbook, task: int, signal: str, fill: str) -> None:
    ws = book["任务台账"]
    c = ws.cell(2 + task, header(ws)["信号"])
    assert c.value == signal
    assert c.fill.fgColor.rgb.endswith(fill)


def test_red_fill(gwgk, w47: Path, tmp_path: Path) -> None:
    target = tmp_path / "late.xlsx"
    assert gwgk("--today", "2022-01-05", "export", "--format", "xlsx", "-o", str(target)).exit_code == 0
    ws = openpyxl.load_workbook(target)["任务台账"]
    c = ws.cell(3, header(ws)["信号"])  # task 1, overdue
    assert c.value == "红灯" and c.fill.fgColor.rgb.endswith("FFC7CE")


def test_a_late_completion_says_so(gwgk, w47: Path, tmp_path: Path) -> None:
    """Found by a reader: once its week had passed, the 台账 and the 周报's 附件 said 已完成 of a task finished after
    its date, while the 通报 counted it 逾期完成."""
    assert gwgk("--today", "2022-01-05", "done", "1").exit_code == 0
    target = tmp_path / "late.xlsx"
    assert gwgk("--today", "2022-01-10", "export", "--format", "xlsx", "-o", str(target)).exit_code == 0
    ws = openpyxl.load_workbook(target)["任务台账"]
    cols = header(ws)
    assert (ws.cell(3, cols["信号"]).value, ws.cell(6, cols["信号"]).value) == ("已完成（逾期 5 天完成）", "已完成")
    assert ws.cell(3, cols["信号"]).alignment.wrap_text
    report = gwgk("--today", "2022-01-10", "report", "--week", "2022-W02").stdout
    annex = report[report.index("重点任务推进情况台账"):]
    assert "已完成（逾期 5 天完成）" in annex


def test_dates_and_percents_are_numbers(book: Workbook) -> None:
    ws = book["任务台账"]
    cols = header(ws)
    row4, row5, row20 = 2 + 4, 2 + 5, 2 + 20
    due = ws.cell(row4, cols["完成时限"])
    assert due.value == dt.datetime(2021, 12, 31) and due.number_format == 'yyyy"年"m"月"d"日"'
    assert ws.cell(row5, cols["完成时限"]).value == "持续推进"
    pct = ws.cell(row20, cols["完成进度"])
    assert pct.value == pytest.approx(0.3) and pct.number_format == "0%"
    assert ws.cell(row4, cols["完成进度"]).value == 1
    assert ws.cell(2 + 3, cols["完成进度"]).value is None  # nothing recorded
    assert ws.cell(row4, cols["完成时间"]).value == dt.datetime(2021, 11, 22)
    assert ws.cell(row4, cols["佐证材料"]).value == "预决算公开截图.png"
    assert ws.cell(row4, cols["登记人"]).value == "赵敏"
    assert ws.cell(row4, cols["进展日期"]).value == dt.datetime(2021, 11, 22)
    assert ws.cell(2 + 6, cols["责任单位"]).value == "“放管服”改革和营商环境监督科（牵头）、政务公开指导办、政府网站"


def test_history_sheet(book: Workbook) -> None:
    ws = book["进展记录"]
    assert list(header(ws)) == ["日期", "登记人", "任务", "变更", "进度", "说明", "佐证材料"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert rows[0][:4] == [dt.datetime(2021, 9, 20), "王芳", "1 公开各类规划及历史规划", "启动"]
    assert not any("误记" in (r[5] or "") for r in rows)  # the undone entry is not history
    dates = [r[0] for r in rows]
    assert dates == sorted(dates)
    assert ws.freeze_panes == "A3"
    done = [r for r in rows if r[2].startswith("4 ")][-1]
    assert done[3] == "完成" and done[6] == "预决算公开截图.png"


def test_formula_like_text_stays_text(gwgk, w47: Path, tmp_path: Path) -> None:
    with w47.open("a", encoding="utf-8") as fh:
        fh.write('{"id":"f1","at":"2021-11-24T10:00:00+08:00","date":"2021-11-24","by":"@某人","task":1,'
                 '"op":"note","note":"=HYPERLINK(\\"http://x\\",\\"点我\\")","evidence":"+1\\u001b"}\n')
    wb = openpyxl.load_workbook(make(gwgk, tmp_path))
    ws = wb["任务台账"]
    cols = header(ws)
    note = ws.cell(3, cols["最近进展"])
    # Shown as typed (no apostrophe in the text), kept text by Excel's quote-prefix style.
    assert (note.value, note.data_type, note.quotePrefix) == ("=HYPERLINK(\"http://x\",\"点我\")", "s", True)
    assert (ws.cell(3, cols["佐证材料"]).value, ws.cell(3, cols["佐证材料"]).quotePrefix) == ("+1\\x1b", True)
    assert (ws.cell(3, cols["登记人"]).value, ws.cell(3, cols["登记人"]).quotePrefix) == ("@某人", True)
    assert not ws.cell(3, cols["任务"]).quotePrefix  # only formula-like text is marked
    for sheet in wb:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_two_runs_are_byte_identical(gwgk, w47: Path, tmp_path: Path) -> None:
    a = make(gwgk, tmp_path, "a.xlsx").read_bytes()
    b = make(gwgk, tmp_path, "b.xlsx").read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = openpyxl.load_workbook(tmp_path / "a.xlsx").properties
    assert props.created == props.modified == dt.datetime(2021, 11, 24)


def test_xlsx_needs_a_file(gwgk, w47: Path) -> None:
    result = gwgk(*EXPORT)
    assert result.exit_code == 2 and "请用 -o 指定输出文件" in result.stderr


# --------------------------------------------------------------------------- list -F xlsx (issue 14)

LIST = ("--today", "2021-11-24", "list", "--unit", "行财科")


def test_list_as_xlsx_holds_the_filtered_tasks_and_only_their_history(gwgk, w47: Path, tmp_path: Path) -> None:
    target = tmp_path / "行财科台账.xlsx"
    result = gwgk(*LIST, "--collective", "-F", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.output
    listed = gwgk(*LIST, "--collective", "-F", "json")
    import json

    ids = [r["id"] for r in json.loads(listed.stdout)]
    assert result.stdout == f"已将 {len(ids)} 项任务（xlsx）写入 {target}\n"
    book = openpyxl.load_workbook(target)
    ledger, history = book.worksheets
    col = header(ledger)["序号"]
    assert [ledger.cell(row, col).value for row in range(3, ledger.max_row + 1)] == ids
    cells = [str(history.cell(row, 3).value or "") for row in range(3, history.max_row + 1)]
    logged = {int(text.split()[0]) for text in cells if text[:1].isdigit()}
    assert logged and logged <= set(ids)


def test_list_xlsx_suffix_picks_the_format_and_other_formats_go_to_a_file_too(gwgk, w47: Path, tmp_path: Path) -> None:
    assert gwgk(*LIST, "-o", str(tmp_path / "a.xlsx")).exit_code == 0
    assert zipfile.is_zipfile(tmp_path / "a.xlsx")
    result = gwgk(*LIST, "-o", str(tmp_path / "a.csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.csv").read_bytes().startswith("\ufeff序号,部分,任务".encode())


@pytest.mark.parametrize(("args", "message"), [
    (("-F", "xlsx"), "错误：1 项任务（xlsx）是二进制文件，请用 -o 指定输出文件（例如 -o 台账.xlsx）\n"),
    (("-F", "table", "-o", "t.txt"), "错误：终端表格不能写入文件：-o 请配合 --format xlsx、csv、tsv 或 json\n"),
])
def test_list_output_refusals(gwgk, w47: Path, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = gwgk(*LIST, *args)
    assert result.exit_code == 2
    assert result.stderr == message
    assert not (tmp_path / "t.txt").exists()


def test_no_output_into_a_journal_directory(gwgk, journal: Path) -> None:
    folder = journal.with_name(journal.name[: -len(".jsonl")])
    folder.mkdir()
    result = gwgk("list", "-o", str(folder / "x.jsonl"))
    assert result.exit_code == 2
    assert result.stderr == f"错误：{folder / 'x.jsonl'}: 在正在使用的进展记录目录 {folder} 中，不能写入（请另选位置）\n"
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("name,kind", [("台账.xlsx", "xlsx"), ("全部.csv", "csv"), ("全部.yaml", "yaml"), ("全部.json", "json")])
def test_export_takes_its_format_from_the_file_name(gwgk: Any, table: Path, tmp_path: Path, name: str,
                                                    kind: str) -> None:
    """Found by a hostile test: `export -o 台账.xlsx` wrote JSON into the .xlsx file."""
    target = tmp_path / name
    result = gwgk("export", "-o", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    starts = {"xlsx": b"PK\x03\x04", "csv": "\ufeff序号".encode(), "yaml": b"- ", "json": b"["}
    assert data.startswith(starts[kind]), data[:20]


def test_export_refuses_a_format_that_contradicts_the_file_name(gwgk: Any, table: Path, tmp_path: Path) -> None:
    result = gwgk("export", "-F", "json", "-o", str(tmp_path / "台账.xlsx"))
    assert result.exit_code == 2
    assert result.stderr == ("错误：--format json 与输出文件 台账.xlsx 的扩展名不符，未写入"
                             "（json 请用 .json 文件名，或去掉 --format 按扩展名写 xlsx）\n")
    assert not (tmp_path / "台账.xlsx").exists()


@pytest.mark.parametrize("command", [("export", "--format", "xlsx"), ("list", "--collective", "-F", "xlsx")])
def test_history_sheet_stops_at_its_date(gwgk, w47: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    """The 进展记录 sheet is as of --today, like the 任务台账 beside it (whose title says 截至): nothing dated
    later, and an undo dated later does not yet remove what it undoes."""
    target = tmp_path / "past.xlsx"
    assert gwgk("--today", "2021-11-15", *command, "-o", str(target)).exit_code == 0
    book = openpyxl.load_workbook(target)
    dates = [r[0].value for r in book["进展记录"].iter_rows(min_row=3)]
    assert dates and max(dates) == dt.datetime(2021, 11, 15)
    later = openpyxl.load_workbook(make(gwgk, tmp_path))["进展记录"]
    assert max(r[0].value for r in later.iter_rows(min_row=3)) == dt.datetime(2021, 11, 24)


def test_bidi_marks_are_not_printed(gwgk, w47: Path, tmp_path: Path) -> None:
    """A bidi override or mark has no glyph: removed from the printed workbook (not escaped as \\u202e);
    the text keeps its stored order, which is what the reader must see."""
    with w47.open("a", encoding="utf-8") as fh:
        fh.write('{"id":"b1","at":"2021-11-24T10:00:00+08:00","date":"2021-11-24","by":"李四\\u200e","task":1,'
                 '"op":"note","note":"\\u202e反向文字测试\\u202c"}\n')
    ws = openpyxl.load_workbook(make(gwgk, tmp_path))["任务台账"]
    cols = header(ws)
    assert (ws.cell(3, cols["最近进展"]).value, ws.cell(3, cols["登记人"]).value) == ("反向文字测试", "李四")


# ----------------------------------------------------------------------------- row heights (printed through LibreOffice)
REASON = "因上级系统接口调整和数据迁移，"
URL = "https://www.huainan.gov.cn/xxgk/ysjs.html"


@pytest.mark.parametrize(("width", "text", "lines"), [
    # measured: LibreOffice 7.4 with Carlito (Calibri's metric twin), 宋体 11 pt, the cell wrapped
    (30, "一行中文字", 1),
    (30, "测试文字" * 9, 3),  # 14 characters a line in 30 units (the old estimate: 13, a line too many at 133)
    (30, "测试文字" * 33 + "测", 10),
    (28, REASON * 20, 24),  # a line does not start with “，”: the character before goes down with it
    (10, "测试文字", 1),  # 4 characters fill 10 units (the old estimate: 2 lines)
    (16, URL, 4),
    (20, "第5项：已召开专题会议研究部署，明确责任人和时间节点，正在按计划推进，预计按期完成", 5),
    (30, "甲\n乙\n", 3),
])
def test_wrapped_lines_as_libreoffice_lays_them_out(width: float, text: str, lines: int) -> None:
    from gwgk_cli.render.xlsx_text import wrapped_lines

    assert wrapped_lines(text, width) == lines


def test_rows_as_tall_as_their_lines_and_left_to_excel_to_fit(gwgk, w47: Path, tmp_path: Path) -> None:
    """A row is its lines at LibreOffice's 16 pt a line (no taller: the old 15 pt a line with 13 characters in 30
    units printed rows a line too tall, and one or two points short at three lines); body rows are not marked
    customHeight, so Excel and WPS fit them with their own fonts, while the merged title row keeps its height."""
    from gwgk_cli.render.xlsx_text import wrapped_lines

    target = make(gwgk, tmp_path)
    ws = openpyxl.load_workbook(target)["任务台账"]
    cols = header(ws)
    for r in range(3, ws.max_row + 1):
        lines = max(wrapped_lines(str(c.value), ws.column_dimensions[c.column_letter].width)
                    for c in ws[r] if c.alignment.wrap_text and isinstance(c.value, str))
        assert ws.row_dimensions[r].height == round(lines * 16 + 4, 1), r
    assert ws.row_dimensions[2 + 1].height == 16 * 7 + 4  # task 1: its 85-character 具体要求 on 7 lines of 14
    assert cols
    with zipfile.ZipFile(target) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    import re

    rows = dict(re.findall(r'<row r="(\d+)"([^>]*)>', xml))
    assert 'customHeight="1"' in rows["1"]
    assert all('customHeight="1"' not in rows[r] and "ht=" in rows[r] for r in rows if r != "1")


def test_a_very_long_note_keeps_the_row_within_excels_limit(gwgk, w47: Path, tmp_path: Path) -> None:
    """Excel allows rows up to 409 pt; a 5,000-character note gave the old 台账 a 5,779-pt row (a file Excel
    repairs). The cell keeps the whole note."""
    note = "长" * 5000
    assert gwgk("--today", "2021-11-24", "note", "5", note).exit_code == 0
    ws = openpyxl.load_workbook(make(gwgk, tmp_path))["任务台账"]
    assert ws.row_dimensions[2 + 5].height == 409
    assert ws.cell(2 + 5, header(ws)["最近进展"]).value == note
    assert all(d.height is None or d.height <= 409 for d in ws.row_dimensions.values())


def test_dates_and_percents_have_room_for_wide_digits(book: Workbook) -> None:
    """A date or a number that does not fit shows as ###: 2021年12月31日 in 16.1 units fit 宋体's digits and no
    wider ones (LibreOffice where 宋体 is missing printed ### in 完成时限, 进展日期 and 完成时间)."""
    from openpyxl.utils import get_column_letter

    ws = book["任务台账"]
    cols = header(ws)
    for name in ("完成时限", "进展日期", "完成时间"):
        assert ws.column_dimensions[get_column_letter(cols[name])].width >= 8 * 1.33 + 3 * 2.1 + 0.4, name
    assert ws.column_dimensions[get_column_letter(cols["完成进度"])].width >= 3 * 1.33 + 1.9 + 0.4  # 100%: % is 13.9 px in DejaVu Sans


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice and pdftotext (poppler) are needed")
def test_no_row_cuts_its_text_in_libreoffice(tmp_path: Path) -> None:
    """Rows of 1, 3, 10 and 24 lines through LibreOffice: every line of a row's text lies inside the row (above
    the next row's number), and no row is more than a line and a half taller than its text where LibreOffice
    measures columns as Excel does (Carlito installed; without it columns print a third wider and rows taller)."""
    import re
    import subprocess

    from gwgk_cli.render.xlsx_ledger import fixed_zip, write_sheet
    from gwgk_cli.sheets.convert import convert

    texts = ["一行中文字", "测试文字" * 9, "测试文字" * 33 + "测", REASON * 20]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    write_sheet(ws, "测试", (("序号", 6, False), ("说明", 30, True)), [[n, t] for n, t in enumerate(texts, 1)] + [[9, "末"]],
                percent_cols=(), date_cols=())
    import io

    raw = io.BytesIO()
    wb.save(raw)
    (tmp_path / "rows.xlsx").write_bytes(fixed_zip(raw.getvalue(), {}))
    assert SOFFICE is not None and PDFTOTEXT is not None
    pdf = convert(SOFFICE, tmp_path / "rows.xlsx", tmp_path / "pdf", "pdf")
    out = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, encoding="utf-8",
                         check=True, timeout=120).stdout
    carlito = "Carlito" in subprocess.run(["fc-list"], capture_output=True, text=True).stdout if shutil.which(
        "fc-list") else False
    offset = 0.0
    words: list[tuple[float, float, str]] = []
    for page in re.findall(r"<page[^>]*>(.*?)</page>", out, re.S):
        found = [(float(y0) + offset, float(y1) + offset, w) for y0, y1, w in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page) if w not in ("序号", "说明", "测试")]
        words += found
        offset += 10_000
    numbers = {w: y0 for y0, _, w in words if w in ("1", "2", "3", "4", "9")}
    tops = [numbers[k] for k in ("1", "2", "3", "4", "9")]
    for n, (top, below) in enumerate(zip(tops, tops[1:], strict=False), 1):
        body = [(y0, y1) for y0, y1, w in words if top - 3 <= y0 < top + 5_000 and w not in numbers and
                (y0 < below or y0 // 10_000 == top // 10_000 and below // 10_000 != top // 10_000)]
        same_page = below // 10_000 == top // 10_000
        last = max(y1 for _, y1 in body)
        if same_page:
            assert last <= below, (n, last, below)  # not cut by the next row
            if carlito:
                assert below - last < 16 * 1.5, (n, below - last)


@pytest.mark.parametrize("note", ["0001", "2021-12-31", "1/2", "12-31", "1e5", "00:30"])
def test_text_that_looks_like_a_number_or_a_date_stays_text(gwgk, w47: Path, tmp_path: Path, note: str) -> None:
    """A string cell opens as text; edited in Excel or WPS (F2, Enter) it was parsed again, 0001 becoming 1 and
    2021-12-31 a date: every text cell now has the Text format (@), which keeps what is typed as typed. Dates
    and percentages keep their number formats; the sheets print their title, header and rows (the print area)."""
    assert gwgk("--today", "2021-11-24", "note", "1", note).exit_code == 0
    wb = openpyxl.load_workbook(make(gwgk, tmp_path))
    ws = wb["任务台账"]
    cols = header(ws)
    cell = ws.cell(3, cols["最近进展"])
    assert (cell.value, cell.data_type, cell.number_format) == (note, "s", "@")
    assert ws.cell(3, cols["任务"]).number_format == "@"
    assert ws.cell(3, cols["完成时限"]).number_format == 'yyyy"年"m"月"d"日"'
    assert ws.cell(3, cols["序号"]).number_format == "General"
    hist = wb["进展记录"]
    assert any(c.value == note and c.number_format == "@" for row in hist.iter_rows(min_row=3) for c in row)
    assert ws.print_area == "'任务台账'!$A$1:$P$30"
    assert hist.print_area == f"'进展记录'!$A$1:$G${hist.max_row}"
    assert ws.auto_filter.ref == "A2:P30" and ws.freeze_panes == "D3"


# ----------------------------------------------------------------------------- 延期 in the 台账 (xlsx and CSV)
# Found by a reader: the 台账's 完成时限 showed 2022年1月31日 alone; a leader could not tell the date had been moved,
# from what, nor whether anybody approved it (an unapproved 延期 does not move the date lateness is judged by).
EXTENSIONS = [  # (--today, task, --to, approved by)
    ("2021-10-11", 1, "2022-01-31", None),
    ("2021-10-12", 2, "2022-02-28", "李"),
    ("2021-10-13", 3, "2022-01-15", "王主任"),
    ("2021-10-20", 3, "2022-03-31", None),  # an approved date, then a request nobody approved: both are said
]
EXTENDED = {  # task: (完成时限, 延期情况) in the xlsx; 4 has no 延期, 5 is 持续推进
    1: (dt.datetime(2021, 12, 31), "申请延期至2022年1月31日，未经批准"),  # a request: the date in force stays
    2: (dt.datetime(2022, 2, 28), "原定2021年12月31日，延期经李批准"),
    3: (dt.datetime(2022, 1, 15), "原定2021年12月31日，延期经王主任批准；申请再延期至2022年3月31日，未经批准"),
    4: (dt.datetime(2021, 12, 31), None),
    5: ("持续推进", None),
}


@pytest.fixture
def extended(gwgk, journal: Path) -> Path:
    for today, task, to, approver in EXTENSIONS:
        args = ("--today", today, "extend", str(task), "--to", to, "--note", "等待数据")
        result = gwgk(*args, *(("--approved-by", approver) if approver else ()))
        assert result.exit_code == 0, result.output
    return journal


@pytest.mark.parametrize("task", sorted(EXTENDED))
def test_ledger_says_a_deadline_was_moved(gwgk, extended: Path, tmp_path: Path, task: int) -> None:
    target = tmp_path / "台账.xlsx"
    assert gwgk("--today", "2021-11-22", "export", "-o", str(target)).exit_code == 0
    ws = openpyxl.load_workbook(target)["任务台账"]
    cols = header(ws)
    due, moved = ws.cell(2 + task, cols["完成时限"]), ws.cell(2 + task, cols["延期情况"])
    assert (due.value, moved.value) == EXTENDED[task]
    if isinstance(due.value, dt.datetime):  # still a real date, shown 2022年1月31日
        assert due.number_format == 'yyyy"年"m"月"d"日"'
    assert cols["延期情况"] == cols["完成时限"] + 1
    assert moved.alignment.wrap_text and moved.number_format == "@"
    if moved.value:  # on two lines, broken after the comma, not inside the date (原定2021年12月31 / 日，…)
        from gwgk_cli.render.xlsx_text import wrapped_lines

        width = ws.column_dimensions[moved.column_letter].width
        first = moved.value[:moved.value.index("，") + 1]
        assert wrapped_lines(first, width) == 1 and wrapped_lines(moved.value, width) <= 2 * moved.value.count("，")


def test_ledger_extension_wording_is_the_reports(gwgk, extended: Path, tmp_path: Path) -> None:
    """One wording: the 台账's 延期情况 is what the 周报 writes after the date in force (report_wording.due_text)."""
    import json

    from gwgk_cli.report_wording import due_text

    recs = {r["id"]: r for r in json.loads(gwgk("--today", "2021-11-22", "export").stdout)}
    assert due_text(recs[2], 2021) == "2022年2月28日（原定12月31日，延期经李批准）"  # in a 2021 周报
    target = tmp_path / "台账.xlsx"
    assert gwgk("--today", "2021-11-22", "export", "-o", str(target)).exit_code == 0
    ws = openpyxl.load_workbook(target)["任务台账"]
    cell = ws.cell(2 + 2, header(ws)["延期情况"]).value
    assert due_text(recs[2], 0) == f"2022年2月28日（{cell}）"


@pytest.mark.parametrize("command", [("export", "-F", "csv"), ("list", "--collective", "-F", "csv")])
def test_csv_says_a_deadline_was_moved(gwgk, extended: Path, command: tuple[str, ...]) -> None:
    """The CSV (export and list alike) has 延期情况 right after 到期日, in the 台账's wording."""
    import csv
    import io

    result = gwgk("--today", "2021-11-22", *command)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"), newline="")))
    head = rows[0]
    assert head[5:10] == ["牵头单位", "时限", "到期日", "延期情况", "剩余天数"]
    got = {int(r[0]): tuple(r[6:9]) for r in rows[1:] if int(r[0]) in EXTENDED}
    assert got == {
        1: ("年底前", "2021-12-31", "申请延期至2022年1月31日，未经批准"),
        2: ("年底前", "2022-02-28", "原定2021年12月31日，延期经李批准"),
        3: ("年底前", "2022-01-15", "原定2021年12月31日，延期经王主任批准；申请再延期至2022年3月31日，未经批准"),
        4: ("年底前", "2021-12-31", ""),
        5: ("持续推进", "", ""),
    }
