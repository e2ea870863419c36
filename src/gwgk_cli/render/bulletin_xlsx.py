"""The 通报 as an Excel workbook: one sheet 通报 (the units' figures, ranked, and a 合计 row; rates and
averages as numbers) and one sheet 逾期未完成; laid out with the 台账's helpers (render/xlsx_ledger.py:
title row, frozen header, widths, borders, A4 landscape) and as deterministic. Text cells pass
xlsx_text (never a formula)."""

from __future__ import annotations

from typing import Any

from gwgk_cli.bulletin import OVERDUE_HEADERS, Bulletin, Standing, headers, subtitle
from gwgk_cli.numerals import half_up
from gwgk_cli.render.xlsx_ledger import FONT, fixed_zip, write_sheet
from gwgk_cli.render.xlsx_text import text as cell


def _row(b: Bulletin, s: Standing) -> list[Any]:
    avg = s.avg_days_late
    return [s.rank or (None if s is b.total else "—"), cell(s.unit), s.tasks, s.on_time, s.late, s.overdue, *([s.pending] if b.review else []),
            f"{s.ext_approved}/{s.ext_unapproved}", s.returned, half_up(avg) if avg is not None else None,
            s.last_update, s.rate / 100 if s.rate is not None else None, *([s.score] if b.scored else [])]


def _none_row(ws: Any, width: int, line: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    last = get_column_letter(width)
    ws.cell(3, 1, line)
    ws.merge_cells(f"A3:{last}3")
    ws.cell(3, 1).font = Font(name=FONT, size=11)
    ws.cell(3, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[3].height = 24
    ws.print_area = f"A1:{last}3"


def bulletin_xlsx(b: Bulletin) -> bytes:
    import datetime as dt
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.xml.functions import tostring

    heads = headers(b)
    columns = [(h, 6 if h == "排名" else 28 if h == "单位" else 12, h == "单位") for h in heads]
    rows = [_row(b, s) for s in [*b.units, b.total]]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "通报"
    write_sheet(ws, cell(f"{b.title}{subtitle(b)}"), columns, rows, percent_cols=(heads.index("按时完成率"),),
                date_cols=(heads.index("最近更新"),), centered=[i for i, h in enumerate(heads) if h != "单位"],
                percent_decimals=1, frozen_columns=2)  # 100.0%: measured as shown, or Excel prints ###
    for c in range(1, len(heads) + 1):
        ws.cell(2 + len(rows), c).font = Font(name=FONT, size=11, bold=True)  # 合计
    # one decimal, as the text, HTML and Word 通报 print them (62.5%, 11.0 天), not 63% and 11
    for r in range(3, 3 + len(rows)):
        ws.cell(r, heads.index("平均逾期天数") + 1).number_format = "0.0"
    late = wb.create_sheet("逾期未完成")
    late_columns = [(h, {"任务": 36, "牵头单位": 28}.get(h, 12), h in ("任务", "牵头单位")) for h in OVERDUE_HEADERS]
    late_rows = [[o.task, cell(o.title), cell(o.unit), o.due, o.days, cell(o.status)] for o in b.overdue]
    write_sheet(late, "逾期未完成任务", late_columns, late_rows, percent_cols=(), date_cols=(3,), centered=(0, 3, 4, 5),
                frozen_columns=2)
    if not late_rows:  # a row that says so, not a page of a header alone
        _none_row(late, len(late_columns), "无逾期未完成任务。")
    stamp = dt.datetime(b.as_of.year, b.as_of.month, b.as_of.day)
    wb.properties.creator = wb.properties.lastModifiedBy = cell(b.issuer or "gwgk")
    wb.properties.title = cell(b.title)
    wb.properties.created = wb.properties.modified = stamp
    raw = io.BytesIO()
    wb.save(raw)
    wb.properties.modified = stamp
    return fixed_zip(raw.getvalue(), {"docProps/core.xml": tostring(wb.properties.to_tree())})
