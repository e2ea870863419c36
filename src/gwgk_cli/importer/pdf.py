"""PDF notices with a text layer, read with pdfplumber: ruled tables (continued over pages) and the
lines of text around them, in reading order. A PDF without text (a scan) is refused: it says so.
Units are table cells (第 2 页表格第 3 行第 2 列) and lines (第 1 页第 4 行).
"""

from __future__ import annotations

import io
from typing import Any

from gwgk_cli.errors import NoticeError
from gwgk_cli.importer.model import GridCell, Row, Source, UnitLog, table_rows

_MAX_PAGES = 2000


def read_pdf(data: bytes) -> Source:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken files
        raise NoticeError(f"无法读取 PDF 文件(已损坏或加密):{type(exc).__name__}") from None
    log = UnitLog()
    rows: list[Row] = []
    any_text = False
    try:
        with pdf:
            if len(pdf.pages) > _MAX_PAGES:
                raise NoticeError(f"PDF 文件超过 {_MAX_PAGES} 页")
            for page_no, page in enumerate(pdf.pages, start=1):
                if page.chars:
                    any_text = True
                rows.extend(_page_rows(page, page_no, log))
                page.close()  # frees the page's parsed objects: memory stays flat over long files
    except NoticeError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise NoticeError(f"无法读取 PDF 文件:{type(exc).__name__}") from None
    if not any_text:
        raise NoticeError("PDF 文件没有文字层(可能是扫描件或图片):请找到可复制文字的 PDF、Word 或网页版本,或先做文字识别(OCR)")
    return log.source(rows)


def _page_rows(page: Any, page_no: int, log: UnitLog) -> list[Row]:
    tables = page.find_tables()
    outside = page
    for t in tables:
        outside = outside.outside_bbox(t.bbox)
    items: list[tuple[float, int, Any]] = []
    for k, line in enumerate(outside.extract_text_lines(return_chars=False)):
        items.append((float(line["top"]), 0, (k, line["text"])))
    for k, t in enumerate(tables):
        items.append((float(t.bbox[1]), 1, (k, t)))
    items.sort(key=lambda x: (x[0], x[1]))
    rows: list[Row] = []
    line_no = 0
    table_no = 0
    for _, kind, (_, obj) in items:
        if kind == 0:
            line_no += 1
            text = str(obj).strip()
            if text:
                rows.append(Row([log.cell(text, f"第 {page_no} 页第 {line_no} 行")], False))
            continue
        table_no += 1
        name = f"第 {page_no} 页表格" + (f" {table_no}" if len(tables) > 1 else "")
        grid: list[list[GridCell]] = []
        for r, cells in enumerate(obj.extract(), start=1):
            grid.append(
                [None if c is None else (c, f"{name}第 {r} 行第 {j} 列") for j, c in enumerate(cells, start=1)]
            )
        rows.extend(table_rows(grid, log))
    return rows
