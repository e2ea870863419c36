"""One unit's 填报表 as .xlsx bytes (openpyxl, imported only when a sheet is written).

Read-only cells are locked and the sheet protected without a password (WPS users are never locked
out; the protection only stops slips); the columns to fill are unlocked, yellow, with input validation
on 完成进度 (a whole number 0–100) and 状态 (a drop-down of the four statuses). Column widths and row
heights are set for Chinese text, and the page is A4 landscape, fitted to the page width only (the
columns are narrow enough that the 10.5-point body prints at 10 pt or more: sheets.layout), the rows
running over as many pages as they need, the header row repeated on every page, page numbers in the footer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from gwgk_cli.render.xlsx_text import MAX_ROW_PT, TEXT_FORMAT, keep_text, row_height, text, wrapped_lines
from gwgk_cli.sanitize import fit_xlsx, print_line
from gwgk_cli.sheets.layout import (
    BODY_PT,
    COLUMNS,
    FILL,
    FIRST_ROW,
    HEADER_ROW,
    HELP_LINE,
    HELP_ROW,
    ID_FIRST_ROW,
    ID_SHEET,
    INFO_ROW,
    MAIN_SHEET,
    READ_ONLY,
    STATUS_CHOICES,
    TITLE_ROW,
    Identity,
    SheetRow,
    letter,
    shared_help,
)

BODY_FONT = "宋体"
# A read-only text too long for the tallest row Excel prints (409 pt) at the body size is set smaller, down to 六号
# (7.5 pt), so that it prints whole (found by readers: task 5's 具体要求, 293 characters, cut mid-sentence).
SMALLER_SIZES = (9.0, 8.0, 7.5)


def fitting_size(value: str, width: float) -> float:
    """The body size, or the largest of SMALLER_SIZES at which `value` fits in the tallest row (the smallest when
    none does: the cell still holds the whole text, the formula bar shows it)."""
    for size in (BODY_PT, *SMALLER_SIZES):
        if row_height(wrapped_lines(value, width, size), size) < MAX_ROW_PT:
            return size
    return SMALLER_SIZES[-1]
TITLE_FONT = "黑体"
READ_ONLY_FILL = "F2F2F2"
INPUT_FILL = "FFF2CC"
HEADER_FILL = "D9E1F2"


def build_workbook(identity: Identity, rows: Sequence[SheetRow], *, title: str, info: str, footer: str = "") -> bytes:
    """The workbook, as bytes: `title` for row 1 and `info` (table, unit, period) for row 2; `footer` at the foot of
    every printed page, left of the page number (the unit and period: a page of a pile of units' sheets says whose
    it is; found by a tester)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = MAIN_SHEET
    last_col = letter(COLUMNS[-1].key)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=BODY_FONT, size=BODY_PT)
    wrap_top = Alignment(wrap_text=True, vertical="top")

    def banner(row: int, line: str, font: Any, height: float, align: str = "left") -> None:
        ws.merge_cells(f"A{row}:{last_col}{row}")
        c: Any = ws.cell(row=row, column=1, value=text(line))
        keep_text(c)
        c.font = font
        c.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        ws.row_dimensions[row].height = height

    total = sum(col.width for col in COLUMNS)  # a banner's lines: over the whole width, at its font's size

    def height(line: str, size: float) -> float:
        return row_height(wrapped_lines(line, total, size), size) + 2

    banner(TITLE_ROW, title, Font(name=TITLE_FONT, size=16), max(30.0, height(title, 16)), "center")
    banner(INFO_ROW, info, Font(name=BODY_FONT, size=11), height(info, 11))
    markers = [row.collective for row in rows if row.via_collective]
    help_line = HELP_LINE + shared_help(markers) if markers else HELP_LINE
    banner(HELP_ROW, help_line, Font(name=BODY_FONT, size=10, color="C00000"), height(help_line, 10))

    for i, col in enumerate(COLUMNS, 1):
        c: Any = ws.cell(row=HEADER_ROW, column=i, value=col.header)
        c.font = Font(name=TITLE_FONT, size=10.5)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.fill = PatternFill("solid", fgColor=INPUT_FILL if col.fill else HEADER_FILL)
        c.border = border
        ws.column_dimensions[letter(col.key)].width = col.width
    ws.row_dimensions[HEADER_ROW].height = row_height(max(wrapped_lines(c.header, c.width, BODY_PT) for c in COLUMNS),
                                                      BODY_PT)

    for offset, row in enumerate(rows):
        r = FIRST_ROW + offset
        tallest = row_height(2, BODY_PT)  # two lines at least: room to write
        for i, col in enumerate(COLUMNS, 1):
            c = ws.cell(row=r, column=i)
            c.font = body
            c.border = border
            c.alignment = wrap_top
            if col.fill:
                c.fill = PatternFill("solid", fgColor=INPUT_FILL)
                c.protection = Protection(locked=False)
                if col.key in ("filled_on", "done_on"):
                    c.number_format = "yyyy-mm-dd"
                elif col.key == "new_percent":
                    c.number_format = "0"
                elif col.key != "new_status":
                    c.number_format = TEXT_FORMAT  # typed text stays text: 0001, 1-2 (not a date)
            else:
                value = fit_xlsx(row.values[col.key])
                c.value = value
                keep_text(c)
                c.fill = PatternFill("solid", fgColor=READ_ONLY_FILL)
                if col.key == "id":
                    c.alignment = Alignment(horizontal="center", vertical="top")
                size = fitting_size(str(value), col.width)
                if size != BODY_PT:
                    c.font = Font(name=BODY_FONT, size=size)
                tallest = max(tallest, row_height(wrapped_lines(str(value), col.width, size), size))
        ws.row_dimensions[r].height = tallest
    last_row = FIRST_ROW + max(len(rows), 1) - 1

    percent_dv = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True,
                                showErrorMessage=True, errorTitle="完成进度", error="请填写 0–100 的整数。",
                                showInputMessage=True, promptTitle="完成进度", prompt="0–100 的整数，例如 80")
    status_dv = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True,
                               showErrorMessage=True, errorTitle="状态", error="请从下拉列表中选择状态。")
    for dv, key in ((percent_dv, "new_percent"), (status_dv, "new_status")):
        dv.add(f"{letter(key)}{FIRST_ROW}:{letter(key)}{last_row}")
        ws.add_data_validation(dv)

    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.print_area = f"A{TITLE_ROW}:{last_col}{last_row}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top, ws.page_margins.bottom, ws.page_margins.footer = 0.6, 0.7, 0.3  # room for the footer
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"  # type: ignore[union-attr]
    ws.oddFooter.center.size = 10  # type: ignore[union-attr]
    if footer:  # & starts a code in a header or footer: && is one &
        ws.oddFooter.left.text = print_line(footer).replace("&", "&&")  # type: ignore[union-attr]
        ws.oddFooter.left.size = 10  # type: ignore[union-attr]
    ws.protection.sheet = True  # no password: protection against slips, never a lock-out
    ws.protection.formatColumns = False  # widening a column or a row stays allowed
    ws.protection.formatRows = False
    ws.protection.formatCells = False

    ids = wb.create_sheet(ID_SHEET)
    for r, (key, value) in enumerate(identity.pairs(), 1):
        ids.cell(row=r, column=1, value=key)
        ids.cell(row=r, column=2, value=value)
    ids.cell(row=ID_FIRST_ROW - 1, column=1, value="row")
    ids.cell(row=ID_FIRST_ROW - 1, column=2, value="task")
    for i, col in enumerate(READ_ONLY, 3):
        ids.cell(row=ID_FIRST_ROW - 1, column=i, value=col.key)
    for offset, row in enumerate(rows):
        r = ID_FIRST_ROW + offset
        ids.cell(row=r, column=1, value=FIRST_ROW + offset)
        ids.cell(row=r, column=2, value=row.task_id)
        for i, col in enumerate(READ_ONLY, 3):
            keep_text(ids.cell(row=r, column=i, value=fit_xlsx(row.values[col.key])))  # what the visible cell holds
    ids.sheet_state = "veryHidden"
    ids.protection.sheet = True
    for r, (key, _) in enumerate(identity.pairs(), 1):
        if key in ("fingerprint", "unit", "period", "sheet_id"):
            wb.defined_names[f"gwgk_{key}"] = DefinedName(f"gwgk_{key}", attr_text=f"'{ID_SHEET}'!$B${r}")
    wb.active = 0
    assert len(FILL) == len(COLUMNS) - len(READ_ONLY)
    buffer = io.BytesIO()
    wb.save(buffer)
    from gwgk_cli.render.xlsx_ledger import fixed_zip

    return fixed_zip(buffer.getvalue(), {}, auto_from=HEADER_ROW)  # Excel and WPS fit the header and task rows
