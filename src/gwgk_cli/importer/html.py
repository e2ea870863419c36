"""Saved web pages, parsed with lxml: <table> rows and cells (rowspan/colspan expanded: a covered
cell repeats, marked carried, the cell that covers it), <br>/<p> inside cells, a table holding
another table taken as page layout (its cells are free text), text outside tables as free rows
(one per block: <p>, <div>, <br> …). Units are the lines of the page's source: every text knows
the lines it spans (the element's source line, plus the newlines before it).
"""

from __future__ import annotations

import re
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


def _html_breaks(parts: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """A cell's lines at its block tags (<br>, <p> …): Cell.breaks."""
    texts = tuple(t for t in (_html_text(block)[0] for block in _html_blocks(parts)) if t)
    return texts if len(texts) > 1 else ()


def _span(value: str | None) -> int:
    try:
        return max(1, min(50, int((value or "1").strip() or "1")))
    except ValueError:
        return 1


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
    rows = lxml_rows("\n".join(lines))
    if not rows:
        return read_text(text)
    return Source(rows, lines)


# --------------------------------------------------------------------------- lxml


class _Walker:
    """Walks an lxml tree in document order, tracking source lines, collecting rows."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.free: list[tuple[int, int, str]] = []
        self.line = 1

    def text_part(self, text: str | None) -> tuple[int, int, str] | None:
        if not text:
            return None
        body = text.strip()
        start = self.line + text[: text.find(body[:1])].count("\n") if body else self.line  # not the break before it
        self.line += text.count("\n")
        end = self.line - text[len(text.rstrip()) :].count("\n") if body else self.line  # nor the one after it
        return (start, max(start, end), text)

    def flush_free(self) -> None:
        for group in _html_blocks(self.free):
            text, lines = _html_text(group)
            if text:
                self.rows.append(Row([Cell(text, lines)], False))
        self.free.clear()  # in place: walk() may hold this list as its sink

    def at(self, el: Any) -> None:
        if isinstance(el.sourceline, int) and el.sourceline > self.line:
            self.line = el.sourceline

    def walk(self, el: Any, sink: list[tuple[int, int, str]]) -> None:
        """Text of el and its descendants into sink (free text or a cell); tables handled apart."""
        tag = el.tag if isinstance(el.tag, str) else ""
        self.at(el)
        if tag in _SKIP_TAGS or not tag:
            return  # (its tail is the parent's business)
        if tag == "table" and sink is self.free:
            self.table(el)
            return
        if tag in _BLOCK_TAGS:
            sink.append((self.line, self.line, _BLOCK_MARK))
        if (part := self.text_part(el.text)) is not None:
            sink.append(part)
        for child in el:
            self.walk(child, sink)
            if (part := self.text_part(child.tail)) is not None:
                sink.append(part)
        if tag in _BLOCK_TAGS:
            sink.append((self.line, self.line, _BLOCK_MARK))

    def table(self, el: Any) -> None:
        rows = [tr for tr in el.iter("tr") if _owner(tr) is el]
        cells_of = [[c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")] for tr in rows]
        if any(td.find(".//table") is not None for cells in cells_of for td in cells) or _page_layout(cells_of):
            # A layout table (a table inside one of its cells, or a page's column): its cells are free text.
            for cells in cells_of:
                for td in cells:
                    self.walk_free_container(td)
            return
        self.free.append((self.line, self.line, _BLOCK_MARK))
        self.flush_free()
        pending: dict[int, list[Any]] = {}  # column -> [rows left, cell]
        for tr, cells in zip(rows, cells_of, strict=True):
            self.at(tr)
            row: list[Cell] = []
            col = 0
            for td in cells:
                col = _fill_covered(row, col, pending)
                parts: list[tuple[int, int, str]] = []
                self.at(td)
                if (part := self.text_part(td.text)) is not None:
                    parts.append(part)
                for child in td:
                    self.walk(child, parts)
                    if (part := self.text_part(child.tail)) is not None:
                        parts.append(part)
                text, lines = _html_text(parts)
                cell = Cell(text, lines, breaks=_html_breaks(parts))
                colspan, rowspan = _span(td.get("colspan")), _span(td.get("rowspan"))
                for k in range(colspan):
                    row.append(cell if k == 0 else Cell(text, (), True, breaks=cell.breaks))
                    if rowspan > 1:
                        pending[col] = [rowspan - 1, cell]
                    col += 1
            while any(c >= col for c in pending):  # columns to the right still covered from above
                if col in pending:
                    col = _fill_covered(row, col, pending)
                else:
                    row.append(Cell("", (), True))
                    col += 1
            if any(c.text for c in row):
                self.rows.append(Row(row, True))

    def walk_free_container(self, el: Any) -> None:
        self.at(el)
        if (part := self.text_part(el.text)) is not None:
            self.free.append(part)
        for child in el:
            self.walk(child, self.free)
            if (part := self.text_part(child.tail)) is not None:
                self.free.append(part)
        self.free.append((self.line, self.line, _BLOCK_MARK))


_PAGE_BLOCKS = frozenset("p div li h1 h2 h3 h4 h5 h6 section article".split())


def _page_layout(cells_of: list[list[Any]]) -> bool:
    """A table laying out a page (a menu beside the article, no table inside): at most three rows, and a cell
    holding the article — six or more blocks (<p>, <div>, <h1> …); a task table's cell holds a few at most."""
    if not cells_of or len(cells_of) > 3:
        return False
    return any(sum(1 for d in td.iter() if isinstance(d.tag, str) and d.tag in _PAGE_BLOCKS) >= 6
               for cells in cells_of for td in cells)


def _fill_covered(row: list[Cell], col: int, pending: dict[int, list[Any]]) -> int:
    """Columns from col on still covered by a rowspan cell above: its copies. Returns the next column."""
    while col in pending:
        left = pending[col]
        row.append(Cell(left[1].text, (), True, breaks=left[1].breaks))
        left[0] -= 1
        if left[0] <= 0:
            del pending[col]
        col += 1
    return col


def _owner(tr: Any) -> Any:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


MAX_DEPTH = 256  # libxml2's own limit for a page, which huge_tree (needed for long pages) lifts


def _depth(root: Any) -> int:
    """How deep the page's elements nest, counted without recursion."""
    from lxml import etree

    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def lxml_rows(text: str) -> list[Row]:
    from lxml import etree, html

    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return []  # not a page after all (or nothing in it): read as text
    depth = _depth(root)
    if depth > MAX_DEPTH:  # the walk recurses per level; a real page nests a few dozen at most
        from gwgk_cli.errors import NoticeError

        raise NoticeError(f"网页的标签嵌套过深（{depth} 层，上限 {MAX_DEPTH} 层），不像发布的通知，未读取")
    w = _Walker()
    w.walk_free_container(root)
    w.flush_free()
    return w.rows
