"""The 台账 as an Excel workbook (.xlsx) with openpyxl: `gwgk export --format xlsx -o 台账.xlsx`.

Two sheets a clerk would keep:

- 任务台账: a title row, a frozen header, one row per task: 序号, 部分, 任务, 具体要求, 责任单位 (lead
  marked), 完成时限 (the date in force, a real date, or the deadline as written), 延期情况 (an approved 延期 that
  moved it and the original; a pending 延期 nobody approved: as the 周报 and the 填报表 say it), 状态, 信号 (红/黄/绿 fill),
  完成进度 (a number formatted 0%), 最近进展, 进展日期 (date), 佐证材料, 登记人, 完成时间 (date), 签收 (who
  signed and when, as `show` says it).
- 进展记录: the live journal, oldest first: 日期, 登记人, 任务, 变更, 进度, 说明, 佐证材料.

Every text cell passes `xlsx_text`: control characters escaped, and a value starting with = + - @ kept
text (a quote-prefixed string cell), never a formula. Deterministic: fixed document properties (the report
date, not the time of the run) and fixed zip timestamps, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gwgk_cli.model import Plan, Status
from gwgk_cli.render.plain import accept_text, extension_cell
from gwgk_cli.render.xlsx_text import auto_rows, keep_text, row_height, text, wrapped_lines
from gwgk_cli.report import HistoryRow
from gwgk_cli.report_period import date_text
from gwgk_cli.report_wording import (
    due_text,
    late_text,
    units_text,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

LEDGER, HISTORY = "任务台账", "进展记录"
FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE", "done": "D9D9D9"}
FONT = "宋体"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'  # 2021年12月31日, the 公文 form (a real date underneath)
DATE_WIDTH = 14  # its display width
FOOTER = "第 &P 页 共 &N 页"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# (header, the most width in Excel's units (a Chinese character is two), wrapped); a column is as wide as its
# longest value up to that (render/xlsx_ledger.column_width), so the sheet prints at a readable scale.
LEDGER_COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("序号", 6, False), ("部分", 8, False), ("任务", 16, True), ("具体要求", 30, True), ("责任单位", 18, True),
    ("完成时限", 16, False), ("延期情况", 28, True), ("状态", 8, False), ("信号", 12, True), ("完成进度", 8, False),
    ("最近进展", 28, True), ("进展日期", 16, False), ("佐证材料", 16, True), ("登记人", 8, False), ("完成时间", 16, False),
    ("签收", 16, True),
)
HISTORY_COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("日期", 16, False), ("登记人", 10, False), ("任务", 30, True), ("变更", 16, True), ("进度", 8, False),
    ("说明", 50, True), ("佐证材料", 24, True),
)


def _date(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text else None


def _text(value: Any) -> str:
    return text(str(value)) if value is not None else ""


def ledger_row(rec: Mapping[str, Any]) -> list[Any]:
    """One task as cell values: dates as dates, the progress as a fraction (shown 0%), text through xlsx_text.
    完成时限 is the date in force (a real date, as the 填报表 and the 周报 show it: the table's, or an approved 延期's);
    延期情况 beside it says when an approved 延期 moved it and from what, and a pending 延期 nobody approved
    (report_wording.extension_text)."""
    done = rec["status"] == Status.DONE.value
    due: Any = _date(rec["due"]) if rec["due"] and not rec["ongoing"] else _text(due_text(rec, None))
    percent = 1.0 if done else (rec["percent"] / 100 if rec["percent"] is not None else None)
    return [
        rec["id"],
        _text(rec["section_label"]),
        _text(rec["title"]),
        _text(rec["requirement"]),
        _text(units_text(rec)),
        due,
        _text(extension_cell(rec)),
        _text(rec["status_label"]),
        "已完成" + late_text(rec) if done else _text(rec["signal_label"] + "灯"),
        percent,
        _text(rec["last_note"]),
        _date(rec.get("last_note_date")),
        _text(rec["evidence"]),
        _text(rec["updated_by"]),
        _date(rec.get("done_on")),
        _text(accept_text(rec, lambda iso: date_text(dt.date.fromisoformat(iso)))),  # 2021年10月8日, as its dates
    ]


def history_row(row: HistoryRow) -> list[Any]:
    return [row.date, _text(row.by), _text(f"{row.task} {row.title}"), _text(row.change),
            row.percent / 100 if row.percent is not None else None, _text(row.note), _text(row.evidence)]


CJK_UNITS = 2.2  # a Chinese character of 11 pt 宋体 in Excel's width units when a column is sized to its text
# (2.1 measured, and a little room); the lines a wrapped cell takes: xlsx_text.wrapped_lines


def display_width(text: str) -> int:
    """Width in Excel's column units: two for a wide (CJK) character, one for others."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


# A number, date or percentage that does not fit its cell shows as ### (text would only run over): it is
# measured with its digits as wide as where 宋体 is missing and LibreOffice sets them in DejaVu (9.3 px, 1.33
# units; 宋体's are 7.3 px; its % 14 px, 2 units), its Chinese characters at 2.1, and 0.6 for the padding:
# 2021年12月31日 is 17.7 units, 100% 6.7, readable in Excel, WPS and LibreOffice alike.
NUMBER_DIGIT_UNITS, NUMBER_CJK_UNITS, NUMBER_PAD = 1.35, 2.1, 0.6


def _units(text: str, narrow: float = 1.0, cjk: float = CJK_UNITS) -> float:
    """Width in Excel's units with a Chinese character at its measured 2.2 (what a wrapped line holds) and any other
    at `narrow`."""
    wide = sum(1 for ch in text if display_width(ch) == 2)
    percent = text.count("%") if narrow > 1 else 0
    return narrow * (len(text) - wide - percent) + cjk * wide + 2 * percent


def shown(value: Any, percent: bool, date: bool, decimals: int = 0) -> str:
    """A value as the cell shows it (for widths): a date in DATE_FORMAT, a fraction as a percentage with
    `decimals` places, a float as Python writes it (the 通报's 0.0 format: 15.0)."""
    if value is None:
        return ""
    if date and isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if percent and isinstance(value, int | float):
        return f"{value:.{decimals}%}"
    return str(value)


HEAD_PAD = 0.6  # a header cell's width beyond its characters when it is to wrap evenly (see column_width)


def column_width(header: str, values: Sequence[str], most: float, wrap: bool, numeric: bool = False) -> float:
    """A column as wide as its longest value (+1.5), a wrapped one no wider than `most`; never narrower than six
    units, nor than its header on two even lines: 完成/进度, 按时完/成率, never 完成进/度. A header that cannot wrap
    evenly at the values' width is given one line when that costs at most four units more. The values of a
    `numeric` column (numbers, dates: shown as ### when they do not fit) are measured with wide digits."""
    if numeric:
        value = max((_units(v, NUMBER_DIGIT_UNITS, NUMBER_CJK_UNITS) for v in values if v), default=0.0) + NUMBER_PAD
    else:
        value = max((max(_units(part) for part in v.split("\n")) for v in values if v), default=0.0) + 1.5
    one_line = _units(header) + 1.5
    half = header[:math.ceil(len(header) / 2)]
    # the first half and not one character more: a Chinese character is 2.1 units in Excel (宋体 11 pt, 15 px),
    # so 2.2 a character and 0.6 over holds n and not n + 1 (LibreOffice, about 1.7 a character, holds n + 1
    # when n is 3)
    two_lines = _units(half) + HEAD_PAD
    value = round(value, 1)
    if one_line <= max(value, 6):
        natural = max(value, 6)
    elif value <= two_lines:
        natural = two_lines
    elif one_line - value <= 4:
        natural = one_line
    else:
        natural = value
    return round(min(natural, most) if wrap else natural, 1)


def write_sheet(ws: Worksheet, title: str, columns: Sequence[tuple[str, float, bool]], rows: Sequence[Sequence[Any]],
           percent_cols: Sequence[int], date_cols: Sequence[int], centered: Sequence[int] = (),
           percent_decimals: int = 0, frozen_columns: int = 0) -> None:
    """Title row (merged, bold), header row (bold, grey, frozen, repeated on every printed page), rows with
    widths from the content, wrapping and number formats; each row as tall as its wrapped text (LibreOffice
    does not fit rows itself, and a fixed height shorter than the text would cut it; Excel and WPS fit the rows
    below the title themselves: xlsx_text.auto_rows, applied by fixed_zip). Printed A4 landscape,
    one page wide and as many long as needed, “第 N 页 共 M 页” at the foot."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([title])
    keep_text(ws.cell(1, 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.append([name for name, _, _ in columns])
    texts = [[shown(values[c], c in percent_cols, c in date_cols, percent_decimals) for values in rows]
             for c in range(len(columns))]
    numeric = [any(isinstance(values[c], int | float | dt.date) for values in rows) for c in range(len(columns))]
    widths = [column_width(name, texts[c], most, wrap, numeric[c]) for c, (name, most, wrap) in enumerate(columns)]
    # the title over every column, wrapped when they are narrower than it (a 通报 of no task: cut at both sides)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = max(30.0, row_height(wrapped_lines(title, sum(widths) - 1, 16), 16))
    for c in range(1, len(columns) + 1):
        head = ws.cell(2, c)
        head.font = Font(name=FONT, size=11, bold=True)
        head.fill = PatternFill("solid", fgColor="D9D9D9")
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = border
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    ws.row_dimensions[2].height = row_height(max(wrapped_lines(name, w) for (name, _, _), w in zip(columns, widths,
                                                                                                  strict=True)))
    for values in rows:
        ws.append([text(v) if isinstance(v, str) else v for v in values])
    body = Font(name=FONT, size=11)
    for r in range(3, 3 + len(rows)):
        lines = 1
        for c, (_, _, wrap) in enumerate(columns, 1):
            target = ws.cell(r, c)
            keep_text(target)
            target.font = body
            target.border = border
            target.alignment = Alignment(vertical="top", wrap_text=wrap,
                                         horizontal="center" if c - 1 in centered else None)
            if c - 1 in percent_cols:
                target.number_format = "0." + "0" * percent_decimals + "%" if percent_decimals else "0%"
            elif c - 1 in date_cols:
                target.number_format = DATE_FORMAT
            if wrap and isinstance(target.value, str):
                lines = max(lines, wrapped_lines(target.value, widths[c - 1]))
        ws.row_dimensions[r].height = row_height(lines)
    ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}3"  # the header, and the columns naming the task
    ws.print_title_rows = "2:2"
    ws.print_area = f"A1:{get_column_letter(len(columns))}{2 + len(rows)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom, ws.page_margins.footer = 0.6, 0.7, 0.3
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = FOOTER
        footer.center.size = 10
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{2 + len(rows)}"


def ledger_xlsx(plan: Plan, recs: Sequence[Mapping[str, Any]], history: Sequence[HistoryRow], *,
                today: dt.date) -> bytes:
    """The workbook as bytes: 任务台账 and 进展记录."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ledger = wb.active
    assert ledger is not None
    ledger.title = LEDGER
    title = f"{plan.title or plan.notice_title}台账（截至 {today.year}年{today.month}月{today.day}日）"
    col = {name: c for c, (name, _, _) in enumerate(LEDGER_COLUMNS)}
    write_sheet(ledger, text(title), LEDGER_COLUMNS, [ledger_row(r) for r in recs], percent_cols=(col["完成进度"],),
                date_cols=(col["完成时限"], col["进展日期"], col["完成时间"]),
                centered=tuple(col[name] for name in ("序号", "部分", "完成时限", "状态", "信号", "完成进度", "进展日期",
                                                      "完成时间")),
                frozen_columns=3)  # 序号 部分 任务 stay
    for n, rec in enumerate(recs, 3):
        signal = str(rec["signal"])
        if signal in FILLS:
            ledger.cell(n, col["信号"] + 1).fill = PatternFill("solid", fgColor=FILLS[signal])
    hist = wb.create_sheet(HISTORY)
    write_sheet(hist, "进展记录", HISTORY_COLUMNS, [history_row(h) for h in history], percent_cols=(4,), date_cols=(0,),
           centered=(0, 3, 4))
    stamp = dt.datetime(today.year, today.month, today.day)
    wb.properties.creator = wb.properties.lastModifiedBy = text(plan.issuer or "gwgk")
    wb.properties.title = text(title)
    wb.properties.created = wb.properties.modified = stamp
    raw = io.BytesIO()
    wb.save(raw)  # sets `modified` to the time of the run: core.xml is written again below
    wb.properties.modified = stamp
    from openpyxl.xml.functions import tostring

    return fixed_zip(raw.getvalue(), {"docProps/core.xml": tostring(wb.properties.to_tree())})


BODY_FROM = 2  # the first row Excel and WPS fit themselves (below the merged title row)
SHEET_XML = re.compile(r"xl/worksheets/sheet\d+\.xml")


def fixed_zip(data: bytes, replace: Mapping[str, bytes], auto_from: int = BODY_FROM) -> bytes:
    """The same members (some replaced) at a fixed time, so two runs give the same bytes; rows `auto_from` and
    below of every sheet left for Excel and WPS to fit (xlsx_text.auto_rows)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            member = replace.get(info.filename) or src.read(info.filename)
            if SHEET_XML.fullmatch(info.filename):
                member = auto_rows(member, auto_from)
            dst.writestr(entry, member)
    return out.getvalue()
