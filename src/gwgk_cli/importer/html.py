"""Saved web pages: <table> rows and cells (rowspan/colspan expanded); text outside tables as free rows."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from gwgk_cli.importer.model import WS, Cell, Row, Source

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 section article header footer nav dd dt dl hr title "
    "form blockquote pre center caption aside main".split()
)
_SKIP_TAGS = frozenset("script style noscript template select option textarea button svg iframe object".split())
_SPACE_NEAR_CJK = re.compile(r"(?<=[^\x00-\x7f]) (?![A-Za-z0-9])|(?<![A-Za-z0-9]) (?=[^\x00-\x7f])")


_BLOCK_MARK = "\x1e"  # a block tag (<p>, <br> …) inside a table cell


def _html_blocks(parts: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    groups: list[list[tuple[int, int, str]]] = [[]]
    for part in parts:
        if part[2] == _BLOCK_MARK:
            groups.append([])
        else:
            groups[-1].append(part)
    return [g for g in groups if g]


def _html_text(parts: list[tuple[int, int, str]]) -> tuple[str, tuple[int, ...]]:
    """Text of a cell or block: whitespace collapsed, spaces next to Chinese text dropped."""
    text = WS.sub(" ", "".join(" " if p == _BLOCK_MARK else p for _, _, p in parts)).strip()
    text = _SPACE_NEAR_CJK.sub("", text)
    used = [(s, e) for s, e, p in parts if p.strip() and p != _BLOCK_MARK]
    if not text or not used:
        return "", ()
    return text, tuple(range(used[0][0], used[-1][1] + 1))


class _Table:
    def __init__(self) -> None:
        self.pending: dict[int, list[Any]] = {}  # column -> [rows left, cell]
        self.row: list[Cell] | None = None
        self.col = 0
        self.occupied: set[int] = set()
        self.cell: list[tuple[int, int, str]] | None = None
        self.span = (1, 1)
        self.degraded = False


def _span(value: str | None) -> int:
    try:
        return max(1, min(50, int((value or "1").strip() or "1")))
    except ValueError:
        return 1


class _HtmlRows(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.free: list[tuple[int, int, str]] = []
        self.tables: list[_Table] = []
        self.skip = 0

    # -- free text
    def free_blocks(self, parts: list[tuple[int, int, str]]) -> None:
        for group in _html_blocks(parts):
            text, lines = _html_text(group)
            if text:
                self.rows.append(Row([Cell(text, lines)], False))

    def block(self, t: _Table | None) -> None:
        if t is not None and t.cell is not None:
            line = self.getpos()[0]
            t.cell.append((line, line, _BLOCK_MARK))
        else:
            self.flush_free()

    def flush_free(self) -> None:
        text, lines = _html_text(self.free)
        self.free = []
        if text:
            self.rows.append(Row([Cell(text, lines)], False))

    # -- tables
    def _fill_occupied(self, t: _Table, upto: int | None) -> None:
        assert t.row is not None
        while t.col in t.occupied and (upto is None or t.col < upto):
            left_cell = t.pending[t.col][1]
            t.row.append(Cell(left_cell.text, (), True))
            t.col += 1

    def start_row(self, t: _Table) -> None:
        if t.row is not None:
            self.end_row(t)
        t.row, t.col, t.degraded = [], 0, False
        t.occupied = {c for c, (left, _) in t.pending.items() if left > 0}

    def end_cell(self, t: _Table) -> None:
        if t.cell is None:
            return
        if t.row is None:
            self.start_row(t)
        assert t.row is not None
        if t.degraded:  # a layout cell around a table: its blocks are free text
            self.free_blocks(t.cell)
            t.cell = None
            return
        text, lines = _html_text(t.cell)
        t.cell = None
        self._fill_occupied(t, None)
        colspan, rowspan = t.span
        cell = Cell(text, lines)
        for k in range(colspan):
            t.row.append(cell if k == 0 else Cell(text, (), True))
            if rowspan > 1:
                t.pending[t.col] = [rowspan - 1, cell]
                t.occupied.discard(t.col)
            t.col += 1

    def end_row(self, t: _Table) -> None:
        self.end_cell(t)
        if t.row is None:
            return
        row = t.row
        # Columns still covered by cells from rows above.
        for c in sorted(x for x in t.occupied if x >= t.col):
            while t.col < c:
                row.append(Cell("", (), True))
                t.col += 1
            self._fill_occupied(t, None)
        for c in list(t.occupied):
            t.pending[c][0] -= 1
            if t.pending[c][0] <= 0:
                del t.pending[c]
        t.row = None
        if t.degraded:
            for cell in row:
                if cell.text and not cell.carried:
                    self.rows.append(Row([cell], False))
        elif any(c.text for c in row):
            self.rows.append(Row(row, True))

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
            return
        t = self.tables[-1] if self.tables else None
        if tag == "table":
            if t is not None and t.cell is not None:
                # A table inside a cell: the outer table is layout; its row becomes free text.
                if t.row is not None:
                    for cell in t.row:
                        if cell.text and not cell.carried:
                            self.rows.append(Row([cell], False))
                    t.row = []
                self.free_blocks(t.cell)
                t.cell = []
                t.degraded = True
            else:
                self.flush_free()
            self.tables.append(_Table())
        elif t is not None and tag == "tr":
            self.start_row(t)
        elif t is not None and tag in ("td", "th"):
            self.end_cell(t)
            if t.row is None:
                self.start_row(t)
            a = dict(attrs)
            t.span = (_span(a.get("colspan")), _span(a.get("rowspan")))
            t.cell = []
        elif tag in _BLOCK_TAGS:
            self.block(t)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.block(self.tables[-1] if self.tables else None)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        t = self.tables[-1] if self.tables else None
        if tag == "table" and t is not None:
            self.end_row(t)
            self.tables.pop()
        elif t is not None and tag == "tr":
            self.end_row(t)
        elif t is not None and tag in ("td", "th"):
            self.end_cell(t)
        elif tag in _BLOCK_TAGS:
            self.block(t)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        start = self.getpos()[0]
        part = (start, start + data.count("\n"), data)
        t = self.tables[-1] if self.tables else None
        if t is not None and t.cell is not None:
            t.cell.append(part)
        else:
            self.free.append(part)

    def finish(self) -> list[Row]:
        self.close()
        while self.tables:
            self.end_row(self.tables[-1])
            self.tables.pop()
        self.flush_free()
        return self.rows


_HTML_HINT = re.compile(r"<\s*(?:!doctype|html|body|table|tr|td|div|p)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return len(_HTML_HINT.findall(text[:200_000])) >= 2 or text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))


def read_html(data: bytes, text: str | None = None) -> Source:
    """A saved web page: the units are the lines of its source."""
    from gwgk_cli.importer.decode import decode_notice
    from gwgk_cli.importer.text import read_text, split_lines

    if text is None:
        text = decode_notice(data, html=True)
    lines = split_lines(text)
    parser = _HtmlRows()
    try:
        parser.feed(text.replace("\r\n", "\n").replace("\r", "\n"))
        rows = parser.finish()
    except Exception:  # noqa: BLE001 - html.parser on broken markup: read it as text instead
        rows = []
    if not rows:
        return read_text(text)
    return Source(rows, lines)
