"""Excel notices (.xlsx, .xls, and WPS .et saved as either) read with python-calamine.

Merged ranges are expanded (the top-left cell is carried into the cells it covers); numbers come
back as text the way a clerk reads them (1.0 -> 1, a date -> 2021-12-31); the sheet holding the
task table is chosen by its header words and numbered rows, and the choice is said. Units are
cells named as in Excel: 工作表“任务分工”B5.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from gwgk_cli.errors import NoticeError
from gwgk_cli.importer.classify import bare_number, header_kind, inline_number
from gwgk_cli.importer.model import (
    LEFT,
    UP,
    GridCell,
    Row,
    Source,
    UnitLog,
    check_unzipped_size,
    column_letter,
    table_rows,
)

_MAX_CELLS = 2_000_000


def cell_text(value: Any) -> str:
    """A cell value as the text a clerk sees: 3.0 -> 3, dates as YYYY-MM-DD, booleans as 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def sheet_score(grid: list[list[str]]) -> int:
    """How much a sheet looks like the task table: header words in one row, numbered rows."""
    best_header = 0
    numbered = 0
    for row in grid[:5000]:
        kinds = {header_kind(t) for t in row if t}
        kinds.discard(None)
        best_header = max(best_header, len(kinds))
        if any(bare_number(t) is not None or inline_number(t) is not None for t in row[:3] if t):
            numbered += 1
    return best_header * 10 + min(numbered, 1000)


def read_workbook(data: bytes) -> Source:
    from python_calamine import CalamineWorkbook

    check_unzipped_size(data, "Excel 文件")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets: list[tuple[str, list[list[str]], list[Any]]] = []
        for name in book.sheet_names:
            try:
                sheet = book.get_sheet_by_name(name)
            except Exception:  # noqa: BLE001 - a chart sheet or an unreadable one: not a task table
                continue
            values = sheet.to_python(skip_empty_area=False)
            if sum(len(r) for r in values) > _MAX_CELLS:
                raise NoticeError(f"工作表“{name}”过大（超过 {_MAX_CELLS} 个单元格）")
            merged = list(sheet.merged_cell_ranges or [])
            area = sum((int(r2) - int(r1) + 1) * (int(c2) - int(c1) + 1) for (r1, c1), (r2, c2) in merged)
            if area > _MAX_CELLS:  # one merged range over the whole sheet is a few bytes and a billion cells
                raise NoticeError(f"工作表“{name}”的合并单元格过大（共 {area} 个单元格，上限 {_MAX_CELLS}）")
            sheets.append((name, [[cell_text(v) for v in row] for row in values], merged))
    except NoticeError:
        raise
    except Exception:  # noqa: BLE001 - calamine raises its own error types for broken files
        raise NoticeError("无法读取 Excel 文件（已损坏、加密或不是 Excel 工作簿）") from None  # (the library says why in English)
    sheets = [s for s in sheets if any(any(t for t in row) for row in s[1])]
    if not sheets:
        raise NoticeError("Excel 文件中没有文字")
    scores = [sheet_score(grid) for _, grid, _ in sheets]
    k = max(range(len(sheets)), key=lambda i: (scores[i], -i))
    name, grid, merged = sheets[k]
    unsaved = unsaved_formulas(data, name)
    if unsaved:
        shown = "、".join(unsaved[:3]) + (f" 等 {len(unsaved)} 个单元格" if len(unsaved) > 3 else " ")
        raise NoticeError(f"工作表“{name}”{shown}是公式，文件中没有保存计算结果（由程序生成、未经 Excel 或 WPS "
                          "保存），按空白读会错：请用 Excel 或 WPS 打开该文件、保存后再导入")
    note = ""
    if len(sheets) > 1:
        others = "、".join(f"“{s[0]}”" for j, s in enumerate(sheets) if j != k)
        note = f"读取工作表“{name}”（任务表所在的工作表；未读取 {others}）"
    return _sheet_source(name, grid, merged, note)


def unsaved_formulas(data: bytes, name: str) -> list[str]:
    """The cells (A5 …) of sheet `name` of an .xlsx holding a formula with no saved result (no <v>): a file a
    program wrote and no spreadsheet program saved since. Read for values they are blank: a 序号 written
    =ROW()-3 would make every task a continuation of the one above. A formula whose saved result is empty
    (=IF(…,"","")) has one and is read as the blank it is (found in review)."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            parts = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            if not any(b"<f>" in part or b"<f " in part for part in map(z.read, parts)):  # no cell formula
                return []  # (a <formula1> of a validation is none)
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rid = next((s.get(f"{rel}id") for s in book.iter(f"{main}sheet") if s.get("name") == name), None)
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            target = next((r.get("Target") for r in rels if r.get("Id") == rid), None)
            if not target:
                return []
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            if path not in names:
                return []
            found = []
            with z.open(path) as sheet:
                for _, el in ElementTree.iterparse(sheet):
                    if el.tag == f"{main}c":
                        value = el.find(f"{main}v")
                        # No result: no <v>, or an empty one that is no string (openpyxl writes <v></v>); an empty
                        # string result is <c t="str"><f>…</f><v></v></c>, as Excel saves =IF(…,"","").
                        if el.find(f"{main}f") is not None and (value is None or (not value.text and el.get("t") != "str")):
                            found.append(str(el.get("r") or ""))
                        el.clear()
            return found
    except (KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError):  # not a workbook these parts make
        return []


def _sheet_source(name: str, grid: list[list[str]], merged: list[Any], note: str) -> Source:
    height = max([len(grid), *(int(r[1][0]) + 1 for r in merged)])
    width = max([0, *(len(r) for r in grid), *(int(r[1][1]) + 1 for r in merged)])
    covered: dict[tuple[int, int], str] = {}
    for (r1, c1), (r2, c2) in merged:
        for r in range(int(r1), int(r2) + 1):
            for c in range(int(c1), int(c2) + 1):
                if (r, c) != (r1, c1):
                    covered[(r, c)] = UP if c == c1 else LEFT
    last_covered: dict[int, int] = {}
    for r, c in covered:
        last_covered[r] = max(c, last_covered.get(r, -1))
    # Columns left of the table (empty in every row) are not cells of it.
    first = min([width, *(next(c for c, t in enumerate(row) if t) for row in grid if any(row))])
    first = min([first, *(int(r[0][1]) for r in merged)])
    # The table's right edge: the last column any row of two or more cells reaches. A row is read up to it,
    # its empty last cells included (an empty 完成时限 stays in its column; cut at the row's last value,
    # the row would have fewer cells than the header and its values would be read one column off).
    # A row of one cell (a title, a note beside the table) does not move the edge.
    edge = max([-1, *(max(c for c in range(len(row)) if row[c]) for row in grid
                      if sum(1 for t in row if t) >= 2), *last_covered.values()])
    log = UnitLog()
    out: list[list[GridCell]] = []
    for r in range(height):
        row = grid[r] if r < len(grid) else []
        last = max([-1, *(c for c in range(len(row)) if row[c])])
        last = max(last, last_covered.get(r, -1))
        if any(row[c] for c in range(first, len(row))):  # a row with values: read up to the table's edge
            last = max(last, edge)
        line: list[GridCell] = []
        for c in range(first, min(width, last + 1)):
            if (r, c) in covered:
                line.append(covered[(r, c)])
            else:
                line.append((row[c] if c < len(row) else "", f"工作表“{name}”{column_letter(c)}{r + 1}"))
        out.append(line)
    rows: list[Row] = [r for r in table_rows([ln for ln in out if ln], log) if r.cells]
    return log.source(rows, note)
