"""PDF notices read with pypdfium2 (Google's PDFium): ruled tables rebuilt from the page's line
objects, text from PDFium's text layer.

Per page: horizontal and vertical rules (thin path objects, or the edges of rectangles) give the
table's row and column boundaries; a missing rule between two grid cells means a merged cell
(no rule on its left: covered from the left; none above: covered from above). Text whose centre
falls in a grid cell is its text (lines top to bottom, left to right); the rest of the page's text
is lines of free text above and below the table. Units: table cells (第 2 页表格第 3 行第 2 列)
and lines (第 1 页第 4 行). A PDF without any character is a scan.

Speed: a page's text comes in one call and is placed in *runs* (the characters between two that
PDFium made up: a space between words or cells, a line break), each by the boxes of its first and
last character; only a run whose ends fall in different places (two cells on one line with nothing
made up between them) is placed character by character (see :class:`_Text`). Rules are bucketed
by position, not searched. What is left is PDFium's own work of loading each page and its text
layer; for a font the PDF does not embed, that includes measuring every glyph of the substitute
font (docs/import.md has the figures). So a PDF of 40 pages or more is read in worker processes,
each a range of pages reduced to plain data (a page's free lines and table grids), assembled in
page order into the same rows and units as the serial reading (see :func:`_read_parallel`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import partial
from typing import Any

from gwgk_cli.errors import NoticeError
from gwgk_cli.importer.model import LEFT, UP, GridCell, ImportWarning, Row, Source, UnitLog, table_rows

_MAX_PAGES = 5000
_MAX_PAGE_CHARS = 50_000  # an A3 page of 6-point text holds some 15,000 characters
_THIN = 4.0  # a rule is thinner than this (points; the bounds include the stroke: a 1 pt line is 2 pt tall)
_MERGE = 2.5  # boundaries closer than this are one
_FORM_DEPTH = 4  # rules drawn inside form XObjects nested this deep still count


# PDFium's load errors (FPDF_ERR_*), said in Chinese (its own text is English).
_LOAD_ERRORS = {
    2: "文件无法打开",
    3: "文件已损坏或不是 PDF（其结构无法解析）",
    4: "文件有打开密码：请用密码打开后另存为没有密码的 PDF，或找到 Word、网页版本再导入",
    5: "文件的加密方式不受支持：请另存为没有加密的 PDF 再导入",
}


def _load_error(exc: Exception) -> str:
    code = getattr(exc, "err_code", None)
    if isinstance(code, int) and code in _LOAD_ERRORS:
        return _LOAD_ERRORS[code]
    return f"文件已损坏或加密（PDFium 错误 {code if isinstance(code, int) else type(exc).__name__}）"


def read_pdf(data: bytes) -> Source:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001 - PdfiumError and friends for damaged or encrypted files
        raise NoticeError(f"无法读取 PDF 文件：{_load_error(exc)}") from None
    try:
        n_pages = len(doc)
        if n_pages > _MAX_PAGES:
            raise NoticeError(f"PDF 文件超过 {_MAX_PAGES} 页")
        pages = None
        workers = _workers(n_pages)
        if workers > 1:
            pages = _read_parallel(data, n_pages, workers)
        if pages is None:  # small, one CPU, GWGK_IMPORT_WORKERS=1, or the pool failed
            pages = _read_pages(doc, 0, n_pages)
    except NoticeError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise NoticeError(f"无法读取 PDF 文件：{type(exc).__name__}") from None
    finally:
        doc.close()
    if not any(has_text for _, has_text in pages):
        raise NoticeError("PDF 文件没有文字层（可能是扫描件或图片）：请找到可复制文字的 PDF、Word 或网页版本，或先做文字识别（OCR）")
    log = UnitLog()
    rows: list[Row] = []
    chrome = _page_chrome([p for p, _ in pages])
    other: dict[int, str] = {}
    for page_no, (pieces, _) in enumerate(pages):  # in page order: the units are numbered as the serial reading numbers them
        first_table = page_no > 0
        for piece in pieces:
            if isinstance(piece, tuple) and _chrome_key(piece[0]) in chrome:
                other[log.add(piece[0], piece[1])] = "跳过：页眉或页脚（各页重复）"
            elif isinstance(piece, tuple):
                rows.append(Row([log.cell(piece[0], piece[1])], False))
            else:
                table = table_rows(piece, log, breaks=False)
                if first_table and table:
                    table[0].page_top = True  # a task row may be broken at the end of the page before
                first_table = False
                rows.extend(table)
    blank = [str(n) for n, (_, has_text) in enumerate(pages, start=1) if not has_text]
    said = [ImportWarning(0, f"PDF 第 {'、'.join(blank)} 页没有文字层（可能是扫描页或空白页），其内容未导入：请核对，"
                             "或先做文字识别（OCR）")] if blank else []
    source = log.source(rows, warnings=said)
    source.other.update(other)
    return source


_EDGE = 2  # lines of free text at the top and at the bottom of a page that may be its header or footer


def _chrome_key(text: str) -> str:
    """A line as page headers and footers repeat it: numbers (the page's) and spaces not counted."""
    return re.sub(r"[0-9０-９]+", "#", re.sub(r"\s+", "", text))


def _page_chrome(pages: list[list[Piece]]) -> set[str]:
    """The page headers and footers (文号, — 3 —, 第 3 页 共 9 页): lines of free text at the top or the
    bottom of a page, repeated there on most pages (at least two)."""
    if len(pages) < 2:
        return set()
    seen: dict[str, int] = {}
    for pieces in pages:
        lines = [p[0] for p in pieces if isinstance(p, tuple)]
        top = [k for k, p in enumerate(pieces) if isinstance(p, tuple)][:_EDGE]
        bottom = [k for k, p in enumerate(pieces) if isinstance(p, tuple)][-_EDGE:]
        first_table = next((k for k, p in enumerate(pieces) if not isinstance(p, tuple)), len(pieces))
        last_table = max((k for k, p in enumerate(pieces) if not isinstance(p, tuple)), default=-1)
        edge = {k for k in top if k < first_table} | {k for k in bottom if k > last_table}
        if not lines:
            continue
        for key in {_chrome_key(str(pieces[k][0])) for k in edge}:
            seen[key] = seen.get(key, 0) + 1
    least = max(2, (len(pages) + 1) // 2)
    return {key for key, n in seen.items() if n >= least and key}


# What a page reduces to, as plain data (it crosses from a worker process): its pieces in reading
# order — a line of free text (text, position) or a table (its grid) — and whether it has any text.
Piece = tuple[str, str] | list[list[GridCell]]
Page = tuple[list[Piece], bool]


def _read_pages(doc: Any, start: int, stop: int) -> list[Page]:
    """Pages start..stop-1 (0-based) of an open document, each closed as soon as it is read."""
    out: list[Page] = []
    for i in range(start, stop):
        page = doc[i]
        textpage = page.get_textpage()
        try:
            text = _Text(textpage.raw)
            if len(text.text) > _MAX_PAGE_CHARS:  # before the per-character work (minutes for such a page)
                raise NoticeError(f"PDF 第 {i + 1} 页有 {len(text.text)} 个字符，远超一页通知的篇幅"
                                  f"（上限 {_MAX_PAGE_CHARS}），不像发布的通知，未导入")
            out.append((_page_pieces(page.raw, text, i + 1), bool(text.text.strip())))
        finally:  # memory stays flat
            textpage.close()
            page.close()
    return out


# Parallel reading. PDFium spends most of a big import loading pages (for a font the PDF does not
# embed, measuring the substitute font's glyphs); it is single-threaded, so a big PDF's pages are
# read in worker processes, each a contiguous range of pages, and put back in page order: the
# result is the serial reading's, unit for unit. Any failure of the pool falls back to reading
# serially (which then reports a damaged page as the serial reading does).
_PARALLEL_PAGES = 40  # fewer pages than this: starting the workers would cost more than it saves
_MIN_PAGES_PER_WORKER = 20
_MAX_WORKERS = 8
_RANGES_PER_WORKER = 2  # a few ranges each: a worker done early takes the next; memory per task stays small
_WORKERS_ENV = "GWGK_IMPORT_WORKERS"  # a number of worker processes; 1 reads serially

_worker_data: bytes = b""


def _workers(n_pages: int) -> int:
    """How many processes read a PDF of n_pages: 1 (serially) unless it is big and there are CPUs."""
    import os

    wanted = os.environ.get(_WORKERS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return min(int(wanted), max(1, n_pages))
    if n_pages < _PARALLEL_PAGES:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, _MAX_WORKERS, n_pages // _MIN_PAGES_PER_WORKER))


def _ranges(n_pages: int, parts: int) -> list[tuple[int, int]]:
    """n_pages split into `parts` contiguous ranges (start, stop) of near-equal length, in order."""
    parts = max(1, min(parts, n_pages))
    bounds = [n_pages * k // parts for k in range(parts + 1)]
    return [(bounds[k], bounds[k + 1]) for k in range(parts) if bounds[k] < bounds[k + 1]]


def _worker_init(data: bytes) -> None:
    global _worker_data
    _worker_data = data


def _worker_read(start: int, stop: int) -> list[Page]:
    """In a worker process: pages start..stop-1 of the PDF given to _worker_init, as plain data."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(_worker_data)
    try:
        return _read_pages(doc, start, stop)
    finally:
        doc.close()


def _read_parallel(data: bytes, n_pages: int, workers: int) -> list[Page] | None:
    """Every page, read by `workers` processes; None when the pool fails in any way."""
    from concurrent.futures import ProcessPoolExecutor

    ranges = _ranges(n_pages, workers * _RANGES_PER_WORKER)
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(data,)) as pool:
            parts = list(pool.map(_worker_read, [a for a, _ in ranges], [b for _, b in ranges]))
    except Exception:  # noqa: BLE001 - a worker that died, could not start, or failed on a page
        return None
    pages = [page for part in parts for page in part]
    return pages if len(pages) == n_pages else None


Char = tuple[float, float, float, str]  # left x, centre y, height, text (one character, or a run of them)
Box = tuple[float, float, float, float]  # left, bottom, right, top


class _Text:
    """A page's text layer: all its text in one call, boxes asked for only where needed.

    PDFium's text (FPDFText_GetText) has one character per character index, including those it made
    up: a space between words or table cells, ``\\r\\n`` between lines. Between two made-up ones the
    characters follow each other on one line: a *run*, placed as one piece. Real spaces stay in
    their run. When the text is not one character per index (characters beyond the BMP), each
    character is asked for on its own.
    """

    def __init__(self, textpage: Any) -> None:
        import ctypes

        import pypdfium2.raw as raw

        self._raw = raw
        self._tp = textpage
        self._box = [ctypes.c_double() for _ in range(4)]
        self._refs = [ctypes.byref(d) for d in self._box]
        n = raw.FPDFText_CountChars(textpage)
        text = ""
        if n > 0:
            buf = ctypes.create_string_buffer(2 * (n + 1))
            written = raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
            text = buf.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="replace")
            if len(text) != n:
                text = "".join(_char(raw.FPDFText_GetUnicode(textpage, i)) for i in range(n))
        self.text = text

    def box(self, i: int) -> Box:
        self._raw.FPDFText_GetCharBox(self._tp, i, *self._refs)  # left, right, bottom, top
        left, right, bottom, top = (d.value for d in self._box)
        return left, bottom, right, top

    def runs(self) -> list[tuple[int, int]]:
        """(start, end) of each run of characters that PDFium did not make up."""
        out: list[tuple[int, int]] = []
        is_generated = self._raw.FPDFText_IsGenerated
        start = 0
        for i, ch in enumerate(self.text):
            if ch < " " or ch in "\ufffe\uffff" or (ch == " " and is_generated(self._tp, i) == 1):
                if i > start:
                    out.append((start, i))
                start = i + 1
        if len(self.text) > start:
            out.append((start, len(self.text)))
        return out

    def place(self, where: Callable[[float, float], object]) -> dict[object, list[Char]]:
        """The page's runs grouped by where(centre x, centre y) of their characters."""
        out: dict[object, list[Char]] = {}
        text = self.text
        for a, b in self.runs():
            first = self.box(a)
            last = self.box(b - 1) if b - 1 > a else first
            at = where((first[0] + first[2]) / 2, (first[1] + first[3]) / 2)
            if b - 1 == a or where((last[0] + last[2]) / 2, (last[1] + last[3]) / 2) == at:
                bottom, top = min(first[1], last[1]), max(first[3], last[3])
                out.setdefault(at, []).append((first[0], (bottom + top) / 2, top - bottom, text[a:b]))
                continue
            for i in range(a, b):  # the run crosses a rule: each character where it is
                left, bottom, right, top = self.box(i)
                here = where((left + right) / 2, (bottom + top) / 2)
                out.setdefault(here, []).append((left, (bottom + top) / 2, top - bottom, text[i]))
        return out


def _char(code: int) -> str:
    return chr(code) if 0 <= code < 0x110000 else "\ufffd"


Rules = list[tuple[float, float, float]]


def _rules(page: Any) -> tuple[Rules, Rules]:
    """(horizontal rules as (y, x0, x1), vertical rules as (x, y0, y1)), from the page's path objects."""
    import ctypes

    import pypdfium2.raw as raw

    horizontal: Rules = []
    vertical: Rules = []
    bounds = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(f) for f in bounds]

    def walk(count: int, get: Callable[[int], Any], depth: int) -> None:
        for i in range(count):
            obj = get(i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM and depth < _FORM_DEPTH:
                walk(raw.FPDFFormObj_CountObjects(obj), partial(raw.FPDFFormObj_GetObject, obj), depth + 1)
                continue
            if kind != raw.FPDF_PAGEOBJ_PATH or not raw.FPDFPageObj_GetBounds(obj, *refs):
                continue
            left, bottom, right, top = (f.value for f in bounds)
            w, h = right - left, top - bottom
            if h < _THIN and w > 4:
                horizontal.append(((bottom + top) / 2, left, right))
            elif w < _THIN and h > 4:
                vertical.append(((left + right) / 2, bottom, top))
            elif w >= 4 and h >= 4:  # a rectangle: its four edges (cell borders drawn as boxes)
                horizontal.extend([(bottom, left, right), (top, left, right)])
                vertical.extend([(left, bottom, top), (right, bottom, top)])

    walk(raw.FPDFPage_CountObjects(page), partial(raw.FPDFPage_GetObject, page), 0)
    return horizontal, vertical


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _MERGE:
            out.append(v)
    return out


class _RuleIndex:
    """Which rules lie at a boundary position: rules bucketed by the nearest boundary, not searched."""

    def __init__(self, rules: Rules, positions: list[float]) -> None:
        self.positions = positions
        self.buckets: list[list[tuple[float, float, float]]] = [[] for _ in positions]
        for rule in rules:
            k = max(0, bisect_right(positions, rule[0]) - 1)
            self.buckets[k].append(rule)

    def covers(self, k: int, mid: float) -> bool:
        """Whether a rule at boundary k (within _MERGE of it) spans the point mid along it."""
        at = self.positions[k]
        for j in (k - 1, k, k + 1):
            if 0 <= j < len(self.buckets):
                for pos, lo, hi in self.buckets[j]:
                    if abs(pos - at) <= _MERGE and lo - _MERGE <= mid <= hi + _MERGE:
                        return True
        return False


def _lines(chars: list[Char]) -> list[str]:
    """Runs of characters (in the page's content order) as lines of text: top to bottom, left to right.

    A line is placed by its tallest run (quotes and commas sit higher or lower than the characters
    around them); a run joins a line when its centre lies within 0.6 of the taller one's height from it.
    """
    lines: list[list[Any]] = []  # [centre y of the tallest run, its height, runs]
    for c in chars:
        for line in reversed(lines[-3:]):
            if abs(c[1] - line[0]) <= max(line[1], c[2], 1.0) * 0.6:
                line[2].append(c)
                if c[2] > line[1]:
                    line[0], line[1] = c[1], c[2]
                break
        else:
            lines.append([c[1], c[2], [c]])
    lines.sort(key=lambda line: -line[0])
    return ["".join(c[3] for c in sorted(line[2], key=lambda c: c[0])).strip() for line in lines]


_ABOVE, _BELOW = "above", "below"


def _page_pieces(page: Any, text: _Text, page_no: int) -> list[Piece]:
    horizontal, vertical = _rules(page)
    ys = _positions([y for y, _, _ in horizontal])
    xs = _positions([x for x, _, _ in vertical])
    pieces: list[Piece] = []
    line_no = 0

    def free(runs: list[Char]) -> None:
        nonlocal line_no
        for line in _lines(runs):
            line_no += 1
            if line:
                pieces.append((line, f"第 {page_no} 页第 {line_no} 行"))

    if len(ys) < 2 or len(xs) < 2:
        free(text.place(lambda x, y: _ABOVE).get(_ABOVE, []))
        return pieces
    top, bottom, left, right = ys[-1], ys[0], xs[0], xs[-1]
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    h_index, v_index = _RuleIndex(horizontal, ys), _RuleIndex(vertical, xs)
    # The grid: each cell its own, or covered from the left / from above (a merged cell).
    owner: list[list[tuple[int, int]]] = []
    kinds: list[list[str]] = []
    for r in range(n_rows):
        y_top = n_rows - r  # index of the row's upper boundary in ys
        mid_y = (ys[y_top] + ys[y_top - 1]) / 2
        owner.append([])
        kinds.append([])
        for k in range(n_cols):
            mid_x = (xs[k] + xs[k + 1]) / 2
            if k > 0 and not v_index.covers(k, mid_y):
                kinds[r].append(LEFT)
                owner[r].append(owner[r][k - 1])
            elif r > 0 and not h_index.covers(y_top, mid_x):
                kinds[r].append(UP)
                owner[r].append(owner[r - 1][k])
            else:
                kinds[r].append("")
                owner[r].append((r, k))

    def where(x: float, y: float) -> object:
        if y > top:
            return _ABOVE
        if y < bottom or not left <= x <= right:
            return _BELOW
        r = min(max(0, n_rows - bisect_right(ys, y)), n_rows - 1)  # row 0 at the top
        k = min(max(0, bisect_right(xs, x) - 1), n_cols - 1)
        return owner[r][k]

    placed = text.place(where)
    free(placed.get(_ABOVE, []))
    grid: list[list[GridCell]] = []
    for r in range(n_rows):
        line: list[GridCell] = []
        for k in range(n_cols):
            if kinds[r][k]:
                line.append(kinds[r][k])
            else:
                cell = "\n".join(_lines(placed.get((r, k), [])))
                line.append((cell, f"第 {page_no} 页表格第 {r + 1} 行第 {k + 1} 列"))
        grid.append(line)
    pieces.append(grid)
    free(placed.get(_BELOW, []))
    return pieces
