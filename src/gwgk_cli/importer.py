"""Import a notice (政务公开重点工作任务分工) as a task table (docs/schema.md).

The input is the notice as it comes off a government web site: text copied or saved from
the page (UTF-8 with or without BOM, else GB18030; UTF-16 with a BOM), or the saved ``.html``
page itself (detected by its tags). :func:`import_notice`
turns it into a schema-following dict and accounts for every input line (:class:`ExplainLine`);
whatever it cannot place becomes an :class:`ImportWarning` with its line number.

How the text is read
====================

1. **Cells.** The input becomes a sequence of rows of cells.

   * HTML: ``<tr>`` is a row, ``<td>``/``<th>`` a cell (``rowspan``/``colspan`` are expanded:
     a merged cell is repeated, marked *carried*, in the rows and columns it spans). Text
     outside tables becomes one single-cell row per block (``<p>``, ``<div>``, ``<br>`` …).
     Line numbers are those of the HTML source.
   * A text line with ``|`` separators (``| 1 | 依托… | 办公室 | 年底前 |``) is a row; a row
     that starts with ``|`` but does not end with one continues on the next lines (a cell
     wrapped over two lines). ``|---|---|`` rules are skipped.
   * Lines made only of pipes (``|``, ``||``) separate cells; ``||`` (or two separator lines
     in a row) is an empty cell. Between the first and the last separator line, consecutive
     text lines form one cell (a wrapped cell); a blank line ends a cell.
   * A line with tabs between its cells (copied from a browser's table) is a row.
   * Any other non-blank line is one cell (the 2021 layout: one cell per line).

2. **Table.** It starts at the column header (a row, or a run of at least two cells, of
   header words: 序号 / 工作任务 / 具体要求 / 责任单位 (责任科室, 牵头单位 …) / 配合单位 /
   时限要求 (完成时限 …) / 进展情况 (完成情况, 备注 …)), or, without a header, at the first
   heading or numbered task. Before it: page chrome and meta data (title, 发布时间, 信息来源).
   After the last task: page chrome (the feedback form and the like).

3. **Rows and cells in the table.**

   * ``一、标题`` is a section, ``(一)标题``/``（一）标题`` a subsection. A heading whose
     numeral was lost by the scrape (``、标题``, ``)标题``) gets the next number in order.
     A heading with the title of the current section/subsection (a page break repeat)
     is not a new one.
   * A cell that is only a number (``12``) starts task 12; its following cells fill the
     header's columns after the 序号 column, in order (the 2021 layout). A cell
     ``3.依托…`` starts task 3 with the requirement ``依托…``. The notice's numbers are
     kept (a skip such as 4 → 6 is a warning; a repeated number is renumbered, with a
     warning). A row without any number gets the next number, with a warning.
   * Explicit rows (``|`` rows, HTML rows) map cells to columns by position.
   * The 工作任务 column: a heading there is a heading; other text names a group of tasks:
     it becomes a subsection when the notice has 一、 sections but no (一) subsections, a
     section when it has neither, and the task's title when it has both.
     A row with only a 工作任务 cell is such a label for the rows below it, not a task.

4. **Units.** A unit cell is split at ``、 , ， ; ；`` and ``/`` outside parentheses (full-width
   （） and ASCII (), 《》 and quotes), so ``各县(区)人民政府(管委会)`` stays whole. Role markers
   are taken off the names: ``牵头`` (and ``分别`` = each of them leads) marks leads; ``配合``,
   ``参与``, ``协助``, ``负责落实``, ``负责``, ``落实``, ``按职责分工负责``, ``等`` are dropped.
   A marker at the end of ``A、B牵头`` applies to the unmarked names before it (A and B
   lead). A 配合单位 column gives co-units; several names in a 牵头单位 column (or in the
   责任单位 column beside a 配合单位 column) all lead. ``units`` lists every unit in order
   (lead column first); ``leads`` is written only when it differs from ``[units[0]]``.
   Names are kept as written (no alias merging: 市政府网站 and 政府网站 are two units).
   **Collective** units (``collective: true``): names starting with 各, 相关 or 有关, or
   with 市直各/县直各/区直各 (各相关科室, 相关业务科室, 各县(区)人民政府, 市直各部门).

5. **Titles.** The task's title is the 工作任务 cell when the layout has one per task (see
   3.); otherwise it is made from the requirement: its first clause (up to the first
   ， 。 ； ： …), cut to at most 16 characters before a 、 和 与 及 并 的 《 “ ( boundary
   (or after 》 ” )) that leaves at least 6 characters, else before a preposition
   (向 对 在 于 把 将 从 为 以 按), else hard at 16 characters. Drafts, to be checked by hand.

6. **Honesty.** Deadlines are kept as written and checked with
   :func:`gwgk_cli.deadlines.parse_deadline`; unreadable ones are warnings. A task the text
   ends in the middle of (no 责任单位/时限要求 before the end) is not imported: it is a
   warning. A task missing a field in the middle of the table is imported with the field
   empty, and a warning (the table then does not load until it is completed by hand).
   Headings after the last imported task (a cut text) are dropped, other empty ones kept;
   both are warnings. Meta data that cannot be found (issuer, published) is written as
   null, with a warning. meta.title: the first line before the table containing 任务分工
   (not a 关于…通知 line, which is notice_title); else derived from notice_title.
   meta.issuer: the title's text before its year, else 信息来源/发布机构. published:
   发布时间/发布日期 (YYYY-MM-DD or 年月日), else a date line before the table. year:
   the caller's, else the title's, else the published date's.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any

from gwgk_cli.errors import NoticeError

__all__ = [
    "ExplainLine",
    "ImportResult",
    "ImportWarning",
    "NoticeError",
    "decode_notice",
    "dump_table",
    "import_notice",
    "is_collective",
    "parse_units",
    "short_title",
]




@dataclass
class ExplainLine:
    """What one input line (1-based) became: a Chinese label such as 任务 3 具体要求 or 空行."""

    lineno: int
    text: str
    became: str


@dataclass
class ImportWarning:
    lineno: int  # 0 when the warning is about the whole input
    message: str

    def __str__(self) -> str:
        return f"第 {self.lineno} 行: {self.message}" if self.lineno else self.message


@dataclass
class ImportResult:
    table: dict[str, Any]
    explain: list[ExplainLine]
    warnings: list[ImportWarning]

    def summary(self) -> str:
        sections = self.table.get("sections") or []
        subsections = sum(len(s.get("subsections") or []) for s in sections)
        tasks = self.table.get("tasks") or []
        return (
            f"{len(sections)} 个部分, {subsections} 个小节, {len(tasks)} 项任务, {len(self.warnings)} 条警告"
        )

    def explain_text(self) -> str:
        """The explain list as plain text, one line per input line: 第 N 行: 识别结果  | 原文(前 40 字)."""
        width = len(str(self.explain[-1].lineno)) if self.explain else 1
        return "\n".join(f"第 {e.lineno:>{width}} 行: {e.became}  | {e.text.strip()[:40]}" for e in self.explain)


# =========================================================================== decoding


def decode_notice(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (UTF-16 with a BOM too). NoticeError when it is neither."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM (Windows "Unicode" text)
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise NoticeError(f"无法识别通知的编码:既不是 UTF-8 也不是 GB18030(字节 {exc.start})") from None


# =========================================================================== cells


@dataclass
class _Cell:
    text: str
    lines: tuple[int, ...] = ()  # source lines it covers; first = where it starts
    carried: bool = False  # a copy made by rowspan/colspan
    delimited: bool = False  # its end was marked (| separators): never continued by the next cell

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0


@dataclass
class _Row:
    cells: list[_Cell]
    explicit: bool  # a real table row (| row, <tr>), as opposed to a free line/cell


_WS = re.compile(r"\s+")
_PIPES = "|｜"


def _join_wrapped(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def _split_pipe_row(line: str) -> list[str]:
    text = line.strip().replace("｜", "|")
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return [c.strip() for c in text.split("|")]


_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _pipe_cells(numbered: list[tuple[int, str]]) -> list[_Cell]:
    """Cells of a | row given as (line number, text) lines (more than one when a cell was wrapped)."""
    cells: list[_Cell] = []
    parts: list[str] = []
    covered: list[int] = []
    for k, (no, line) in enumerate(numbered):
        text = _BR_TAG.sub("", line.strip().replace("｜", "|"))
        if k == 0 and text.startswith("|"):
            text = text[1:]
        if k == len(numbered) - 1 and text.endswith("|"):
            text = text[:-1]
        pieces = text.split("|")
        for j, piece in enumerate(pieces):
            if j > 0:
                cells.append(_Cell(_join_wrapped(parts), tuple(covered)))
                parts, covered = [], []
            if piece.strip() or not covered:
                parts.append(piece)
                covered.append(no)
    cells.append(_Cell(_join_wrapped(parts), tuple(dict.fromkeys(covered))))
    return cells


_RULE_LINE = re.compile(r"^[|｜]?\s*:?-{2,}:?\s*(?:[|｜]\s*:?-{2,}:?\s*)*[|｜]?$")  # on stripped text


def _is_pipe_line(line: str) -> bool:
    """A line made only of | separators (and spaces)."""
    return any(p in line for p in _PIPES) and not line.replace("|", "").replace("｜", "").strip()


def _text_rows(lines: list[str]) -> tuple[list[_Row], dict[int, str]]:
    """Rows of a plain-text notice, and what the lines that are not cells are (blank, separator)."""
    kinds: list[str] = []
    for line in lines:
        if not line.strip():
            kinds.append("blank")
        elif _is_pipe_line(line):
            kinds.append("pipes")
        elif _RULE_LINE.match(line.strip()):
            kinds.append("rule")
        elif any(p in line for p in _PIPES) and len(_split_pipe_row(line)) >= 2:
            kinds.append("row")
        elif "\t" in line.strip() and sum(1 for c in line.split("\t") if c.strip()) >= 2:
            kinds.append("tabs")
        else:
            kinds.append("text")
    pipe_idx = [i for i, k in enumerate(kinds) if k == "pipes"]
    first_pipe, last_pipe = (pipe_idx[0], pipe_idx[-1]) if pipe_idx else (-1, -1)

    rows: list[_Row] = []
    other: dict[int, str] = {}
    cur: list[tuple[int, str]] = []  # the wrapped cell being built (pipe layout)
    text_since_sep = True
    delimited = False

    def flush() -> None:
        if cur:
            cell = _Cell(_join_wrapped([t for _, t in cur]), tuple(n for n, _ in cur), delimited=delimited)
            rows.append(_Row([cell], False))
            cur.clear()

    i = 0
    while i < len(lines):
        line, kind, no = lines[i], kinds[i], i + 1
        if kind == "blank":
            flush()
            other[no] = "空行"
        elif kind == "rule":
            flush()
            other[no] = "表格分隔线"
        elif kind == "pipes":
            flush()
            count = sum(line.count(p) for p in _PIPES)
            empties = count - 1 + (0 if text_since_sep else 1)
            for _ in range(empties):
                rows.append(_Row([_Cell("", (no,))], False))
            other[no] = "单元格分隔符" + ("(空单元格)" if empties else "")
            text_since_sep = False
        elif kind == "tabs":  # cells copied from a browser table: separated by tabs
            flush()
            text_since_sep = True
            rows.append(_Row([_Cell(c.strip(), (no,)) for c in line.strip().split("\t")], True))
        elif kind == "row":
            flush()
            text_since_sep = True
            stripped = line.strip()
            covered = [no]
            # A row that starts with | but does not end with one was wrapped: join the next lines.
            while (
                stripped.startswith(("|", "｜"))
                and not lines[covered[-1] - 1].rstrip().endswith(("|", "｜"))
                and i + 1 < len(lines)
                and kinds[i + 1] in ("text", "row")
                and len(covered) < 6
            ):
                i += 1
                covered.append(i + 1)
            rows.append(_Row(_pipe_cells([(n, lines[n - 1]) for n in covered]), True))
        else:
            text_since_sep = True
            stripped = line.strip()
            in_pipe_zone = delimited = first_pipe < i < last_pipe
            if cur and in_pipe_zone and kinds[i - 1] == "text" and not _standalone(stripped) and not _standalone(cur[-1][1]):
                cur.append((no, stripped))
            else:
                flush()
                cur.append((no, stripped))
                if not in_pipe_zone:
                    flush()
        i += 1
    flush()
    return rows, other


def _standalone(text: str) -> bool:
    """A line that is a cell of its own, never part of a wrapped cell."""
    return (
        _bare_number(text) is not None
        or _section_heading(text) is not None
        or _subsection_heading(text) is not None
        or _header_kind(text) is not None
        or _is_chrome(text)
    )


# --------------------------------------------------------------------------- HTML


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
    text = _WS.sub(" ", "".join(" " if p == _BLOCK_MARK else p for _, _, p in parts)).strip()
    text = _SPACE_NEAR_CJK.sub("", text)
    used = [(s, e) for s, e, p in parts if p.strip() and p != _BLOCK_MARK]
    if not text or not used:
        return "", ()
    return text, tuple(range(used[0][0], used[-1][1] + 1))


class _Table:
    def __init__(self) -> None:
        self.pending: dict[int, list[Any]] = {}  # column -> [rows left, cell]
        self.row: list[_Cell] | None = None
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
        self.rows: list[_Row] = []
        self.free: list[tuple[int, int, str]] = []
        self.tables: list[_Table] = []
        self.skip = 0

    # -- free text
    def free_blocks(self, parts: list[tuple[int, int, str]]) -> None:
        for group in _html_blocks(parts):
            text, lines = _html_text(group)
            if text:
                self.rows.append(_Row([_Cell(text, lines)], False))

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
            self.rows.append(_Row([_Cell(text, lines)], False))

    # -- tables
    def _fill_occupied(self, t: _Table, upto: int | None) -> None:
        assert t.row is not None
        while t.col in t.occupied and (upto is None or t.col < upto):
            left_cell = t.pending[t.col][1]
            t.row.append(_Cell(left_cell.text, (), True))
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
        cell = _Cell(text, lines)
        for k in range(colspan):
            t.row.append(cell if k == 0 else _Cell(text, (), True))
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
                row.append(_Cell("", (), True))
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
                    self.rows.append(_Row([cell], False))
        elif any(c.text for c in row):
            self.rows.append(_Row(row, True))

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
                            self.rows.append(_Row([cell], False))
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

    def finish(self) -> list[_Row]:
        self.close()
        while self.tables:
            self.end_row(self.tables[-1])
            self.tables.pop()
        self.flush_free()
        return self.rows


_HTML_HINT = re.compile(r"<\s*(?:!doctype|html|body|table|tr|td|div|p)\b", re.IGNORECASE)


def _looks_like_html(text: str) -> bool:
    return len(_HTML_HINT.findall(text[:200_000])) >= 2 or text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))


# =========================================================================== classifying cells


def _key(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text))


_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "no": ("序号", "编号", "序列"),
    "group": (
        "工作任务", "重点任务", "主要任务", "任务类别", "类别", "分类", "工作类别", "项目", "工作事项",
        "任务名称", "工作项目", "重点工作", "任务",
    ),
    "req": (
        "具体要求", "工作要求", "具体任务", "任务内容", "工作内容", "具体内容", "工作措施", "主要内容",
        "任务要求", "具体措施", "主要措施", "任务分解", "具体工作",
    ),
    "units": (
        "责任单位", "责任科室", "责任部门", "责任处室", "责任股室", "牵头单位", "牵头科室", "牵头部门",
        "牵头处室", "责任主体", "承办单位", "主责单位", "负责单位", "责任单位(科室)", "责任人",
    ),
    "co": ("配合单位", "配合科室", "配合部门", "配合处室", "协办单位", "参与单位", "协同单位"),
    "deadline": (
        "时限要求", "完成时限", "完成时间", "时间要求", "时限", "时间节点", "完成期限", "进度要求",
        "时间安排", "完成时间节点", "办结时限", "截止时间",
    ),
    "progress": (
        "进展情况", "完成情况", "备注", "落实情况", "工作进展", "进度情况", "推进情况", "目前进展",
        "工作完成情况", "进展", "办理情况",
    ),
}
_HEADER_KIND = {w: kind for kind, words in _HEADER_WORDS.items() for w in words}
_COLUMN_NAMES = {
    "no": "序号", "group": "工作任务", "req": "具体要求", "units": "责任单位", "co": "配合单位",
    "deadline": "时限要求", "progress": "进展情况", "extra": "多余的列",
}  # also the field names in the explain output (任务 3 具体要求)


def _header_kind(text: str) -> str | None:
    key = _key(text).rstrip(":")
    if not key or len(key) > 12:
        return None
    if key in _HEADER_KIND:
        return _HEADER_KIND[key]
    bare = re.sub(r"\(.*?\)", "", key)
    return _HEADER_KIND.get(bare)


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def _cn_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十一 -> 21."""
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 and _CN_DIGITS[text] > 0 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return value or None


_CN_NUM = "一二三四五六七八九十"
# Matched on stripped text; the title group is stripped by the caller.
_SECTION = re.compile(rf"^([{_CN_NUM}]{{1,3}})\s*[、.．]\s*(\S.*)$")
_SECTION_LOST = re.compile(r"^、\s*(\S.*)$")
_SUBSECTION = re.compile(rf"^[（(]\s*([{_CN_NUM}]{{1,3}})\s*[）)]\s*[、.．]?\s*(\S.*)$")
_SUBSECTION_LOST = re.compile(r"^[）)]\s*(\S.*)$")
_BARE_NUMBER = re.compile(r"^\s*[（(]?\s*([0-9０-９]{1,3})\s*[）)]?\s*[.、．,，]?\s*$")
_INLINE_NUMBER = re.compile(r"^\s*([0-9０-９]{1,3})\s*(?:[.．](?![0-9０-９])|[、])\s*(\S.*)$", re.DOTALL)


def _heading_title_ok(title: str) -> bool:
    return 0 < len(title) <= 50 and not any(p in title for p in "。；;！？")


def _heading(text: str, full: re.Pattern[str], lost: re.Pattern[str]) -> tuple[int | None, str] | None:
    text = text.strip()
    if len(text) > 80:
        return None
    if m := full.match(text):
        number, title = _cn_number(m.group(1)), m.group(2).strip()
        return (number, title) if number is not None and _heading_title_ok(title) else None
    if m := lost.match(text):
        title = m.group(1).strip()
        return (None, title) if _heading_title_ok(title) else None
    return None


def _section_heading(text: str) -> tuple[int | None, str] | None:
    """(number, title) of 一、标题; (None, title) of 、标题 (numeral lost)."""
    return _heading(text, _SECTION, _SECTION_LOST)


def _subsection_heading(text: str) -> tuple[int | None, str] | None:
    """(number, title) of (一)标题 or （一）标题; (None, title) of )标题 (numeral lost)."""
    return _heading(text, _SUBSECTION, _SUBSECTION_LOST)


def _numbered(found: tuple[int | None, str] | None) -> tuple[int | None, str] | None:
    """Only a heading with its numeral (not one that may be a wrapped cell starting with 、 or ))."""
    return found if found is not None and found[0] is not None else None


def _cn_numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二, 21 -> 二十一 (the inverse of _cn_number, for 1..99)."""
    if not 0 < n < 100:
        return str(n)
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _section_label(no: int, group: bool) -> str:
    """Explain label of a section heading: 部分 一 标题 (from the 工作任务 column: …(工作任务列))."""
    return f"部分 {_cn_numeral(no)} 标题" + ("(工作任务列)" if group else "")


def _subsection_label(sec: int, no: int, group: bool) -> str:
    """Explain label of a subsection heading: 小节 1.2 标题 (section 1, subsection (二))."""
    return f"小节 {sec}.{no} 标题" + ("(工作任务列)" if group else "")


def _bare_number(text: str) -> int | None:
    m = _BARE_NUMBER.match(text)
    if m is None:
        return None
    value = int(m.group(1))
    return value if value > 0 else None


def _inline_number(text: str) -> tuple[int, str] | None:
    m = _INLINE_NUMBER.match(text)
    if m is None:
        return None
    value = int(m.group(1))
    return (value, m.group(2).strip()) if value > 0 else None


# Page chrome: keys that start a line of the page around the notice (after bullets).
_CHROME_KEYED = (
    "发布时间", "发布日期", "信息来源", "来源", "索引号", "发布机构", "发文机关", "发文字号", "文号",
    "成文日期", "生成日期", "主题分类", "公开方式", "公开范围", "有效性", "姓名", "联系方式", "联系电话",
    "电话", "手机", "邮箱", "电子邮箱", "内容", "验证码", "地址", "邮编", "主办", "承办", "主办单位",
    "承办单位", "维护单位", "浏览次数", "阅读次数", "访问量", "点击数", "字号", "字体", "作者", "责任编辑",
    "分享到", "当前位置", "您当前的位置", "您的位置", "所在位置",
)
_CHROME_START = (
    "文字大小", "背景色", "【打印", "打印本页", "打印", "【关闭", "关闭窗口", "关闭", "扫一扫", "分享到",
    "上一篇", "下一篇", "相关链接", "相关文章", "相关阅读", "版权所有", "网站标识码", "技术支持", "网站地图",
    "联系我们", "当前位置", "您当前的位置", "首页>", "首页›", "【字体", "字体:", "【大", "收藏", "返回顶部",
    "提交", "重置", "无障碍", "长者模式", "政府网站找错", "视力保护色", "公安备案", "皖ICP", "ICP备",
)
_CHROME_KEY = re.compile(r"^[•·●◆■□▪*\-–—>\s]*\*?\s*(" + "|".join(sorted(_CHROME_KEYED, key=len, reverse=True)) + r")[:：]")


def _is_chrome(text: str) -> bool:
    key = _key(text).lstrip("•·●◆■□▪*-–—>")
    if not key:
        return False
    if _CHROME_KEY.match(_key(text)):
        return True
    if len(key) <= 40 and key.startswith(_CHROME_START):
        return True
    return "ICP备" in key or "公网安备" in key or "网站标识码" in key


# --------------------------------------------------------------------------- units


_OPEN = "（(《“【[‘「〔"
_CLOSE = "）)》”】]’」〕"
_UNIT_SEPARATORS = ",，;；\n"
_NAME_SEPARATORS = "、/／"
# Trailing markers, longest first. (marker, role): "lead", "each" (= all lead), "co", "" (dropped).
_MARKERS: tuple[tuple[str, str], ...] = (
    ("按职责分工负责落实", ""), ("按职责分工负责", ""), ("按职责分工落实", ""), ("按职责分工", ""),
    ("按职责负责", ""), ("按职责", ""), ("分别牵头落实", "each"), ("分别牵头负责", "each"),
    ("分别牵头", "each"), ("分别负责落实", "each"), ("分别负责", "each"), ("分别落实", "each"),
    ("为牵头单位", "lead"), ("牵头落实", "lead"), ("牵头负责", "lead"), ("牵头", "lead"),
    ("为配合单位", "co"), ("配合落实", "co"), ("共同落实", ""), ("共同负责", ""), ("负责落实", ""),
    ("配合", "co"), ("协助", "co"), ("参与", "co"), ("协办", "co"), ("分别", "each"), ("共同", ""),
    ("负责", ""), ("落实", ""), ("等单位", ""), ("等部门", ""), ("等科室", ""), ("等", ""),
)
_PREFIX_MARKERS = re.compile(
    r"^(牵头单位|牵头科室|牵头部门|牵头|责任单位|责任科室|主责单位|配合单位|配合科室|配合部门|配合|协办单位|参与单位)\s*[:：]\s*"
)
_PAREN_MARKER = re.compile(r"[（(]\s*(牵头单位|牵头|配合单位|配合|参与|协办|负责)\s*[）)]\s*$")
_ROLE_OF_PREFIX = {"牵": "lead", "责": "", "主": "", "配": "co", "协": "co", "参": "co"}


def _split_top(text: str, seps: str) -> list[str]:
    """Split at separators outside parentheses, book-title marks and quotes."""
    parts: list[str] = []
    depth = 0
    cur = ""
    for ch in text:
        if ch in _OPEN and not (ch == "“" and depth and cur.endswith("“")):
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in seps and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def _strip_markers(name: str) -> tuple[str, str | None]:
    """(name without trailing role markers, role or None)."""
    role: str | None = None
    name = name.strip().strip("。.")
    changed = True
    while changed:
        changed = False
        if m := _PAREN_MARKER.search(name):
            word = m.group(1)
            role = role or ("lead" if word.startswith("牵头") else "co" if word != "负责" else "")
            name = name[: m.start()].strip()
            changed = True
            continue
        for marker, r in _MARKERS:
            if name.endswith(marker) and len(name) > len(marker):
                name = name[: -len(marker)].strip()
                if role is None or (r in ("lead", "each") and role not in ("lead", "each")):
                    role = r if role is None or r else role
                changed = True
                break
    return name, role


def parse_units(cell: str, *, default_role: str | None = None) -> tuple[list[str], list[str]]:
    """(units in order, leads) of a 责任单位 cell; leads is [] when none is marked.

    ``A、B牵头,C配合`` -> ([A, B, C], [A, B]); ``A牵头,各部门负责落实`` -> ([A, 各部门], [A]);
    ``各县(区)人民政府(管委会)`` stays one name.
    """
    names: list[str] = []
    leads: list[str] = []
    for segment in _split_top(cell, _UNIT_SEPARATORS):
        segment = segment.strip()
        seg_role = default_role
        if m := _PREFIX_MARKERS.match(segment):
            seg_role = _ROLE_OF_PREFIX.get(m.group(1)[0], seg_role) or seg_role
            segment = segment[m.end() :]
        items = [_strip_markers(n) for n in _split_top(segment, _NAME_SEPARATORS)]
        # A marker applies to the unmarked names before it (A、B牵头 -> both lead).
        roles: list[str | None] = [r for _, r in items]
        following: str | None = None
        for k in range(len(roles) - 1, -1, -1):
            if roles[k] is None:
                roles[k] = following
            else:
                following = roles[k]
        for (name, _), role in zip(items, roles, strict=False):
            name = _WS.sub("", name).strip("、,，;；:：。.")
            if not name or name in names:
                continue
            names.append(name)
            if (role or seg_role) in ("lead", "each"):
                leads.append(name)
    return names, leads


_COLLECTIVE = re.compile(r"^(?:各|相关|有关|[市县区]直各)")


def is_collective(name: str) -> bool:
    """Collective units (= every relevant unit): names starting with 各, 相关, 有关 or 市直各/县直各/区直各."""
    return bool(_COLLECTIVE.match(name))


def _plausible_units(text: str) -> bool:
    if len(text) > 100 or any(p in text for p in "。！？!?"):
        return False
    names, _ = parse_units(text)
    return bool(names) and all(len(n) <= 40 for n in names)


def _plausible_group(text: str) -> bool:
    return 0 < len(text) <= 30 and not any(p in text for p in "。，,；;！？")


# --------------------------------------------------------------------------- titles

_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]")
_CUT_BEFORE = "、和与及并的《“（("
_CUT_AFTER = "》”）)"
_CUT_WEAK = "向对在于把将从为以按"


def short_title(requirement: str, limit: int = 16) -> str:
    """A draft short title: the first clause of the requirement, cut at a boundary to <= limit chars."""
    text = requirement.strip().lstrip("“\"'")
    if (num := _inline_number(text)) is not None:
        text = num[1]
    clause = _CLAUSE_END.split(text, maxsplit=1)[0].strip()
    if len(clause) < 2:
        clause = _WS.sub("", text)
    if len(clause) <= limit:
        return clause
    for p in range(limit, 5, -1):
        if clause[p] in _CUT_BEFORE or clause[p - 1] in _CUT_AFTER:
            head = clause[:p].rstrip("、")
            if len(head.rsplit("、", 1)[-1]) >= 2:  # not 贯彻落实中央、省
                return head
    for p in range(limit, 5, -1):
        if clause[p] in _CUT_WEAK:
            return clause[:p]
    return clause[:limit]


# =========================================================================== the importer


@dataclass
class _Sub:
    no: int
    title: str
    line: int


@dataclass
class _Sec:
    no: int
    title: str
    line: int
    subs: list[_Sub] = field(default_factory=list)


@dataclass
class _Task:
    id: int
    line: int
    section: _Sec | None
    sub: _Sub | None
    slots: list[str]  # stream: the columns still to fill, in order
    explicit: bool = False
    title: str = ""
    values: dict[str, list[str]] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    last_field: str | None = None

    def put(self, kind: str, text: str, line: int) -> None:
        self.values.setdefault(kind, []).append(text)
        self.field_lines.setdefault(kind, line)
        self.last_field = kind

    def text(self, kind: str) -> str:
        """The field's text; several columns of one kind are joined (units with 、)."""
        parts = [p for p in self.values.get(kind, []) if p.strip()]
        return ("、" if kind in ("units", "co") else "；").join(parts)

    def has(self, kind: str) -> bool:
        return kind in self.values


_REQUIRED = ("req", "units", "deadline")


class _Importer:
    def __init__(self, rows: list[_Row], default_explain: dict[int, str], n_lines: int, lines: list[str]) -> None:
        self.rows = rows
        self.default_explain = default_explain
        self.n_lines = n_lines
        self.lines = lines
        self.became: dict[int, list[str]] = {}
        self.warnings: list[ImportWarning] = []
        self.columns: list[str] | None = None
        self.lead_header = False  # the units column is headed 牵头单位: every name in it leads
        self.header_line = 0
        self.sections: list[_Sec] = []
        self.sec: _Sec | None = None
        self.sub: _Sub | None = None
        self.group: str | None = None
        self.task: _Task | None = None
        self.tasks: list[_Task] = []
        self.used_ids: set[int] = set()
        self.max_id = 0
        self.post = False
        self.warned_no_header = False
        self.implicit_section: _Sec | None = None
        # meta candidates
        self.title: str | None = None
        self.notice_title: str | None = None
        self.published: date | None = None
        self.published_fallback: date | None = None
        self.issuer_source: str | None = None
        self.html_title: str | None = None

        starts = [self._starts_task(r) for r in rows]
        self.later_task = [False] * (len(rows) + 1)
        for k in range(len(rows) - 1, -1, -1):
            self.later_task[k] = self.later_task[k + 1] or starts[k]
        self.table_start = self._find_table_start()
        after = rows[self.table_start :] if self.table_start is not None else []
        texts = [c.text for r in after for c in r.cells[:2]]
        self.has_sections = any(_numbered(_section_heading(t)) for t in texts)
        self.has_subs = any(_numbered(_subsection_heading(t)) for t in texts)
        self.promote_subs = self.has_subs and not self.has_sections

    # ------------------------------------------------------------------ bookkeeping
    def note(self, cell: _Cell, what: str) -> None:
        for k, line in enumerate(cell.lines):
            self.became.setdefault(line, []).append(what if k == 0 else f"{what}(续行)")

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ImportWarning(line, message))

    # ------------------------------------------------------------------ pre-pass
    @staticmethod
    def _starts_task(row: _Row) -> bool:
        cells = [c for c in row.cells if c.text and not c.carried]
        if not cells:
            return False
        if row.explicit:
            return any(_bare_number(c.text) is not None or _inline_number(c.text) is not None for c in cells[:3])
        return _bare_number(cells[0].text) is not None or _inline_number(cells[0].text) is not None

    def _header_row_kinds(self, row: _Row) -> list[str] | None:
        cells = [c for c in row.cells if not c.carried]
        kinds = [_header_kind(c.text) for c in cells]
        found = [k for k in kinds if k]
        if len(found) >= 2 and len(found) * 2 >= len([c for c in cells if c.text]):
            return [k or "extra" for k in kinds]
        return None

    def _header_run(self, k: int) -> int:
        """Length of the run of single header-word cells starting at row k (free rows)."""
        n = 0
        while k + n < len(self.rows):
            row = self.rows[k + n]
            if row.explicit or len(row.cells) != 1 or _header_kind(row.cells[0].text) is None:
                break
            n += 1
        return n

    def _find_table_start(self) -> int | None:
        for k, row in enumerate(self.rows):
            if row.explicit and self._header_row_kinds(row):
                return k
            if not row.explicit and self._header_run(k) >= 2:
                return k
        for k, row in enumerate(self.rows):
            first = next((c.text for c in row.cells if c.text), "")
            if (
                self._starts_task(row)
                or _numbered(_section_heading(first))
                or _numbered(_subsection_heading(first))
            ):
                return k
        return None

    # ------------------------------------------------------------------ columns
    def _set_columns(self, kinds: list[str], cells: list[_Cell], line: int) -> None:
        if "req" not in kinds and "units" not in kinds:
            self.warn(line, "表头没有 具体要求/责任单位 列")
        repeated = self.columns is not None
        if repeated and kinds != self.columns:
            self.warn(line, "表头与前面的不同,此后按新表头解释: " + " / ".join(_COLUMN_NAMES.get(k, k) for k in kinds))
            repeated = False
        self.columns = kinds
        self.header_line = self.header_line or line
        self.lead_header = any(k == "units" and _key(c.text).startswith("牵头") for c, k in zip(cells, kinds, strict=False))
        for cell, kind in zip(cells, kinds, strict=False):
            name = _COLUMN_NAMES.get(kind, kind)
            written = _key(cell.text)
            label = f"表头 {name}" + (f"(原文“{written}”)" if written != name else "")
            self.note(cell, label + ("(重复)" if repeated else ""))

    def _stream_columns(self) -> tuple[list[str], list[str]]:
        """(columns before the number, columns after it) for one-cell-per-line layouts."""
        cols = [c for c in (self.columns or ["req", "units", "deadline"]) if c != "extra"]
        if "no" in cols:
            k = cols.index("no")
            return cols[:k], cols[k + 1 :]
        k = 0
        while k < len(cols) and cols[k] == "group":
            k += 1
        return cols[:k], cols[k:]

    def _row_columns(self, cells: list[_Cell]) -> list[str]:
        n = len(cells)
        if self.columns is None:
            if not self.warned_no_header:
                self.warned_no_header = True
                self.warn(cells[0].line, "没有找到表头,按列数推断各列的含义")
            num0 = _bare_number(cells[0].text) is not None
            num1 = n > 1 and _bare_number(cells[1].text) is not None
            if n <= 3:
                return ["req", "units", "deadline"][:n]
            if n == 4:
                return ["no", "req", "units", "deadline"] if num0 else ["group", "req", "units", "deadline"]
            if num1:
                base = ["group", "no", "req", "units", "deadline"]
            elif num0:
                base = ["no", "group", "req", "units", "deadline"]
            else:
                base = ["group", "req", "units", "deadline"]
            return base + ["progress"] * (n - len(base))
        cols = list(self.columns)
        if len(cols) == n:
            return cols
        if "no" not in cols and n == len(cols) + 1 and _bare_number(cells[0].text) is not None:
            return ["no", *cols]
        if n < len(cols):
            for optional in ("group", "progress", "co", "extra", "no"):
                while len(cols) > n and optional in cols:
                    cols.reverse()
                    cols.remove(optional)
                    cols.reverse()
            return cols[:n]
        return cols + ["extra"] * (n - len(cols))

    # ------------------------------------------------------------------ sections
    def _section(self, number: int | None, title: str, cell: _Cell, *, group: bool = False) -> str:
        """A section heading (group: a 工作任务 cell made a section). Returns the explain label noted."""
        self._close_task()
        self.group = None
        key = _key(title)
        same = next((s for s in self.sections if _key(s.title) == key), None)
        if number is None and same is None:
            number = max((s.no for s in self.sections), default=0) + 1
            restored = True
        else:
            restored = False
        if same is not None and (number is None or number == same.no):
            if same is not self.sec:
                self.warn(cell.line, f"部分标题与第 {same.no} 部分相同,视为该部分的重复标题")
                self.sub = same.subs[-1] if same.subs else None
            self.sec = same
            return self._note_heading(cell, _section_label(same.no, group), "重复")
        assert number is not None
        clash = next((s for s in self.sections if s.no == number), None)
        if clash is not None:
            self.warn(cell.line, f"部分编号 {number} 重复(“{clash.title}”与“{title}”),并入第 {number} 部分")
            self.sec, self.sub = clash, (clash.subs[-1] if clash.subs else None)
            return self._note_heading(cell, _section_label(number, group), "编号重复,见警告")
        expected = max((s.no for s in self.sections), default=0) + 1
        if number != expected:
            self.warn(cell.line, f"部分编号不连续:应为 {expected},实为 {number}")
        sec = _Sec(number, title, cell.line)
        self.sections.append(sec)
        self.sec, self.sub = sec, None
        return self._note_heading(cell, _section_label(number, group), "缺编号,已补" if restored and not group else "")

    def _subsection(self, number: int | None, title: str, cell: _Cell, *, group: bool = False) -> str:
        """A subsection heading (group: a 工作任务 cell made a subsection). Returns the explain label noted."""
        if self.promote_subs:
            return self._section(number, title, cell, group=group)
        self._close_task()
        self.group = None
        sec = self.sec or self._implicit_section(cell.line)
        key = _key(title)
        same = next((s for s in sec.subs if _key(s.title) == key), None)
        if same is not None and (number is None or number == same.no):
            self.sub = same
            return self._note_heading(cell, _subsection_label(sec.no, same.no, group), "重复")
        restored = number is None
        if number is None:
            number = max((s.no for s in sec.subs), default=0) + 1
        clash = next((s for s in sec.subs if s.no == number), None)
        if clash is not None:
            self.warn(cell.line, f"小节编号 ({number}) 在第 {sec.no} 部分重复(“{clash.title}”与“{title}”),并入该小节")
            self.sub = clash
            return self._note_heading(cell, _subsection_label(sec.no, number, group), "编号重复,见警告")
        expected = max((s.no for s in sec.subs), default=0) + 1
        if number != expected:
            self.warn(cell.line, f"小节编号不连续:第 {sec.no} 部分应为 ({expected}),实为 ({number})")
        sub = _Sub(number, title, cell.line)
        sec.subs.append(sub)
        self.sub = sub
        return self._note_heading(
            cell, _subsection_label(sec.no, number, group), "缺编号,已补" if restored and not group else ""
        )

    def _note_heading(self, cell: _Cell, label: str, remark: str) -> str:
        label += f"({remark})" if remark else ""
        self.note(cell, label)
        return label

    def _implicit_section(self, line: int) -> _Sec:
        if self.implicit_section is None:
            self.warn(line, "任务前没有部分标题,归入第 1 部分“(未分部分)”")
            sec = _Sec(max((s.no for s in self.sections), default=0) + 1, "(未分部分)", line)
            self.sections.append(sec)
            self.implicit_section = sec
        self.sec = self.sec or self.implicit_section
        return self.implicit_section

    def _take_heading(self, text: str, cell: _Cell) -> bool:
        """A 一、 or (一) heading: open that section or subsection and say so."""
        if (sec := _section_heading(text)) is not None:
            self._section(sec[0], sec[1], cell)
            return True
        if (sub := _subsection_heading(text)) is not None:
            self._subsection(sub[0], sub[1], cell)
            return True
        return False

    def _group_label(self, text: str, cell: _Cell, task: _Task | None = None) -> None:
        """A 工作任务 cell that is not a heading: a group of tasks (or the task's title)."""
        if self._take_heading(text, cell):
            return
        if self.has_sections and self.has_subs and not self.promote_subs:
            if task is not None:
                task.title = text
                self.note(cell, f"任务 {task.id} 标题(工作任务列)")
            else:
                self.group = text
                self.note(cell, "下一项任务的标题(工作任务列)")
            return
        if self.group is not None and _key(self.group) == _key(text):
            self.note(cell, "工作任务列(与上一组相同)")
            return
        self.group = text
        if self.has_sections and not self.promote_subs:
            self._subsection(None, text, cell, group=True)
        else:
            self._section(None, text, cell, group=True)
        self.group = text

    # ------------------------------------------------------------------ tasks
    def _new_task(self, number: int | None, cell: _Cell, *, explicit: bool) -> _Task:
        self._close_task()
        used = self.used_ids
        last = self.tasks[-1].id if self.tasks else 0
        if number is None:
            number = self.max_id + 1
            self.warn(cell.line, f"任务没有编号,按顺序编为 {number}")
        elif number in used:
            new = self.max_id + 1
            self.warn(cell.line, f"序号 {number} 重复,改编为 {new}")
            number = new
        elif number > last + 1:
            self.warn(cell.line, f"序号不连续:从 {last} 跳到 {number}(保留通知原序号)")
        elif number < last:
            self.warn(cell.line, f"序号倒序:{number} 在 {last} 之后(保留通知原序号)")
        if self.sec is None:
            self._implicit_section(cell.line)
        _, post = self._stream_columns()
        task = _Task(number, cell.line, self.sec, self.sub, [] if explicit else list(post), explicit)
        if self.group and self.has_sections and self.has_subs and not self.promote_subs:
            task.title = self.group
            self.group = None
        self.task = task
        return task

    def _drop_notes(self, task: _Task, why: str) -> None:
        prefix = f"任务 {task.id} "
        for line, parts in self.became.items():
            if line >= task.line:
                self.became[line] = [f"{p}({why})" if p.startswith(prefix) else p for p in parts]

    def _close_task(self, *, at_end: bool = False) -> None:
        task, self.task = self.task, None
        if task is None:
            return
        missing = [k for k in _REQUIRED if not task.has(k) and (k != "units" or not task.has("co"))]
        if at_end and missing:
            self.warn(
                task.line,
                f"任务 {task.id} 不完整(文本在此任务中截断,缺少 "
                + "、".join(_COLUMN_NAMES[k] for k in missing)
                + "),未导入",
            )
            self._drop_notes(task, "文本在此截断,未导入")
            return
        if not task.text("req") and not task.text("units"):
            self.warn(task.line, f"序号 {task.id} 后没有任务内容,未导入")
            self._drop_notes(task, "没有任务内容,未导入")
            return
        for k in _REQUIRED:
            if not task.text(k) and not (k == "units" and task.text("co")):
                self.warn(task.field_lines.get(k, task.line), f"任务 {task.id} 缺少{_COLUMN_NAMES[k]}(请人工补全)")
        self.tasks.append(task)
        self.used_ids.add(task.id)
        self.max_id = max(self.max_id, task.id)

    def _fill(self, task: _Task, kind: str, cell: _Cell) -> None:
        if kind == "group":
            self._group_label(cell.text, cell, task) if cell.text else self.note(cell, "空单元格(工作任务列)")
            return
        if kind == "no":
            self.note(cell, f"任务 {task.id} 序号")
            return
        task.put(kind, cell.text, cell.line)
        what = f"任务 {task.id} {_COLUMN_NAMES.get(kind, kind)}"
        if kind == "extra" and cell.text:
            self.warn(cell.line, f"任务 {task.id} 的这一格超出表头的列,已忽略: {cell.text[:20]}")
            what += "(已忽略,见警告)"
        self.note(cell, what + ("" if cell.text else "(空)"))

    def _continue(self, task: _Task, cell: _Cell) -> bool:
        kind = task.last_field
        if kind is None or kind in ("no", "group", "extra"):
            return False
        task.values[kind][-1] = _join_wrapped([task.values[kind][-1], cell.text])
        self.note(cell, f"任务 {task.id} {_COLUMN_NAMES.get(kind, kind)}(接上一格,折行)")
        return True

    # ------------------------------------------------------------------ the walk
    def run(self) -> None:
        k = 0
        while k < len(self.rows):
            row = self.rows[k]
            if self.table_start is None or k < self.table_start:
                for cell in row.cells:
                    if cell.text:
                        self._outside(cell, before=True)
                k += 1
                continue
            if self.post:
                for cell in row.cells:
                    if cell.text:
                        self._outside(cell, before=False)
                k += 1
                continue
            if row.explicit:
                self._explicit_row(k, row)
                k += 1
                continue
            run = self._header_run(k)
            if run >= 2:
                self._close_task()
                cells = [self.rows[k + j].cells[0] for j in range(run)]
                self._set_columns([_header_kind(c.text) or "extra" for c in cells], cells, cells[0].line)
                k += run
                continue
            self._stream_cell(k, row.cells[0])
            k += 1
        self._close_task(at_end=True)

    def _outside(self, cell: _Cell, *, before: bool) -> None:
        what = self._meta(cell, before=before)
        if what:
            self.note(cell, what)
        elif _is_chrome(cell.text):
            self.note(cell, "跳过:网页框架")
        else:
            self.note(cell, "跳过:网页框架(" + ("表格前" if before else "表格后") + ")")

    def _end_table(self, cell: _Cell) -> None:
        """Text after the last task that does not continue it: the rest is page chrome."""
        self._close_task(at_end=True)
        self.post = True
        self._outside(cell, before=False)

    def _stream_cell(self, k: int, cell: _Cell) -> None:
        text = cell.text
        task = self.task
        open_ = task is not None and not task.explicit and bool(task.slots)
        missing_required = task is not None and any(s in _REQUIRED for s in task.slots)
        if not text:
            if task is not None and open_:
                self._fill(task, task.slots.pop(0), cell)
            else:
                self.note(cell, "空单元格")
            return
        if _is_chrome(text):
            what = self._meta(cell, before=False)
            self.note(cell, what or "跳过:网页框架")
            return
        if (number := _bare_number(text)) is not None:
            self._new_task(number, cell, explicit=False)
            self.note(cell, f"任务 {self.task.id if self.task else number} 序号")
            return
        if (sec := _numbered(_section_heading(text))) is not None:
            self._section(sec[0], sec[1], cell)
            return
        if (sub := _numbered(_subsection_heading(text))) is not None:
            self._subsection(sub[0], sub[1], cell)
            return
        if task is not None and missing_required and task.last_field is not None and not cell.delimited:
            # A cell cannot start with 、 or end with 、 or an open parenthesis: a wrapped cell.
            starts_cont = text[0] in "、,，;；)）" or (task.text(task.last_field)[-1:] in "、(（")
            if starts_cont and self._continue(task, cell):
                return
        if self._take_heading(text, cell):
            return
        if task is not None and open_ and missing_required:
            slot = task.slots[0]
            if slot == "units" and not cell.delimited and not _plausible_units(text):
                if self.later_task[k + 1] and self._continue(task, cell):
                    return
                if not self.later_task[k + 1]:
                    self._end_table(cell)
                    return
            if slot == "group" and not _plausible_group(text):
                task.slots.pop(0)
                slot = task.slots[0] if task.slots else "extra"
            if task.slots:
                task.slots.pop(0)
            self._fill(task, slot, cell)
            return
        # No task waiting for a required cell.
        pre, post = self._stream_columns()
        if (inline := _inline_number(text)) is not None and "req" in post:
            number, rest = inline
            new = self._new_task(number, cell, explicit=False)
            while new.slots and new.slots[0] != "req":
                new.slots.pop(0)
            if new.slots:
                new.slots.pop(0)
            new.put("req", rest, cell.line)
            self.note(cell, f"任务 {new.id} 序号、具体要求")
            return
        next_starts = k + 1 < len(self.rows) and self._starts_task(self.rows[k + 1])
        if task is not None and open_ and not (next_starts and "group" in pre):
            slot = task.slots.pop(0)
            self._fill(task, slot, cell)
            return
        if "group" in pre and _plausible_group(text) and self.later_task[k + 1]:
            self._close_task()
            self._group_label(text, cell)
            return
        if self.later_task[k + 1]:
            self.warn(cell.line, f"无法归位的文字(已忽略): {text[:30]}")
            self.note(cell, "无法归位,已忽略(见警告)")
            return
        self._end_table(cell)

    def _explicit_row(self, k: int, row: _Row) -> None:
        cells = row.cells
        if not any(c.text for c in cells):
            for c in cells:
                self.note(c, "表格空行")
            return
        if (kinds := self._header_row_kinds(row)) is not None:
            self._close_task()
            real = [c for c in cells if not c.carried]
            self._set_columns(kinds, real, real[0].line)
            return
        own = [c for c in cells if c.text and not c.carried]
        distinct = {c.text for c in own}
        if not own:
            return  # only copies of merged cells
        cols = self._row_columns(cells)
        by_kind = dict(zip(cols, cells, strict=False))
        single = own[0] if len(distinct) == 1 else None
        if single is not None and (
            _is_chrome(single.text)
            or _section_heading(single.text)
            or _subsection_heading(single.text)
            or len(own) == len(cells) > 1  # the same text in every column: a colspan'd heading
        ):
            for c in own[1:]:
                self.note(c, "(与前一格相同)")
            self._stream_cell(k, single)
            return
        no_cell = by_kind.get("no")
        # A Chinese numeral in the 序号 column: a heading split over two cells.
        if no_cell is not None and no_cell.text and _bare_number(no_cell.text) is None:
            rest = [c for c in own if c is not no_cell]
            title = rest[0].text if rest else ""
            num = _key(no_cell.text)
            if (n := _cn_number(num.rstrip("、.")) ) is not None and title:
                label = self._section(n, title, no_cell)
                for c in rest:
                    self.note(c, label)
                return
            if (m := re.fullmatch(r"\(([一二三四五六七八九十]{1,3})\)", num)) and title:
                label = self._subsection(_cn_number(m.group(1)), title, no_cell)
                for c in rest:
                    self.note(c, label)
                return
        number = _bare_number(no_cell.text) if no_cell is not None and no_cell.text else None
        req_cell = by_kind.get("req")
        inline = _inline_number(req_cell.text) if req_cell is not None and number is None else None
        if number is None and inline is None:
            filled = {kind for kind, c in zip(cols, cells, strict=False) if c.text and not c.carried}
            task = self.task
            if task is not None and not filled & {"units", "deadline", "co", "no", "group"}:
                # A row continuing the previous one (cells wrapped onto a second row).
                for kind, c in zip(cols, cells, strict=False):
                    if not c.text or c.carried:
                        continue
                    if task.has(kind) and kind != "extra":
                        task.values[kind][-1] = _join_wrapped([task.values[kind][-1], c.text])
                        self.note(c, f"任务 {task.id} {_COLUMN_NAMES.get(kind, kind)}(接上一表格行)")
                    else:
                        self._fill(task, kind, c)
                return
            if single is not None and self.task is None and not self.later_task[k + 1] and self.tasks:
                self._end_table(single)
                return
        group_cell = by_kind.get("group")
        group_text = group_cell.text if group_cell is not None else ""
        is_heading = bool(group_text) and bool(_section_heading(group_text) or _subsection_heading(group_text))
        title_mode = self.has_sections and self.has_subs and not self.promote_subs
        if number is None and inline is None and group_cell is not None and len(own) == 1 and own[0] is group_cell:
            # Only a 工作任务 cell: a group label for the tasks below it (as a merged group cell would be).
            self._close_task()
            self._group_label(group_text, group_cell)
            return
        if group_cell is not None and group_text and not group_cell.carried and (is_heading or not title_mode):
            self._close_task()
            self._group_label(group_text, group_cell)
        first = no_cell if number is not None and no_cell is not None else (req_cell or own[0])
        number = number if number is not None else (inline[0] if inline else None)
        task = self._new_task(number, first, explicit=True)
        if group_cell is not None and group_text and title_mode and not is_heading:
            task.title = group_text
            if not group_cell.carried:
                self.note(group_cell, f"任务 {task.id} 标题(工作任务列)")
        for kind, c in zip(cols, cells, strict=False):
            if c is group_cell:
                continue
            if c.carried:
                if kind not in ("no", "group"):
                    task.put(kind, c.text, task.line)
                continue
            if kind == "req" and inline is not None and c is req_cell:
                task.put("req", inline[1], c.line)
                self.note(c, f"任务 {task.id} 序号、具体要求")
                continue
            self._fill(task, kind, c)

    # ------------------------------------------------------------------ meta
    def _meta(self, cell: _Cell, *, before: bool) -> str:
        text = cell.text.strip()
        found: list[str] = []
        key = _key(text)
        if before and any(w in key for w in _TITLE_WORDS) and len(key) <= 80 and not any(p in key for p in ",。"):
            if key.startswith("关于") or "的通知" in key or key.endswith("通知"):
                if self.notice_title is None:
                    self.notice_title = _notice_title(text)
                    found.append("通知标题")
            elif self.title is None:
                self.title = text.lstrip("#*> ").strip()
                found.append("标题")
        if (m := _PUBLISHED.search(key)) and self.published is None:
            self.published = _date(m.group(1), m.group(2), m.group(3))
            if self.published:
                found.append("发布时间")
        elif before and (m := _CN_DATE.fullmatch(key)) and self.published_fallback is None:
            self.published_fallback = _date(m.group(1), m.group(2), m.group(3))
            if self.published_fallback:
                found.append("发布时间(日期行)")
        if (m := _ISSUER.search(text)) and self.issuer_source is None:
            value = _ISSUER_END.split(m.group(1))[0].strip(" :：")
            if value:
                self.issuer_source = value
                found.append("发布机构(信息来源)")
        if not found:
            return ""
        return "元数据 " + "、".join(found) + ("(网页框架行)" if _is_chrome(text) else "")

    # ------------------------------------------------------------------ output
    def build(self, data: bytes, source_name: str, year: int | None, imported: date | None) -> dict[str, Any]:
        title = self.title
        if title is None and self.notice_title:
            title = _title_from_notice(self.notice_title)
        if title is None:
            title = "政务公开重点工作任务分工"
            self.warn(0, "未找到标题(含“任务分工”的标题行),标题暂填“政务公开重点工作任务分工”")
        issuer: str | None = None
        if m := _TITLE_ISSUER.match(title):
            issuer = m.group(1).strip() or None
        issuer = issuer or self.issuer_source
        if issuer is None:
            self.warn(0, "未找到发布机关(标题中年份前的文字或“信息来源”),meta.issuer 留空,请人工填写")
        published = self.published or self.published_fallback
        if published is None:
            self.warn(0, "未找到发布时间,meta.published 留空,请人工填写")
        title_year = _year_of(title)
        if year is None:
            year = title_year or (published.year if published else None)
            if year is None:
                year = (imported or date.today()).year
                self.warn(0, f"标题和发布时间中都没有年份,按 {year} 年处理(可用 --year 指定)")
        elif title_year is not None and title_year != year:
            self.warn(0, f"--year {year} 与标题中的年份 {title_year} 不同,按 {year} 年处理")

        meta: dict[str, Any] = {"title": title}
        if self.notice_title:
            meta["notice_title"] = self.notice_title
        meta.update({"issuer": issuer, "published": published, "year": year})
        source: dict[str, Any] = {"file": source_name, "sha256": hashlib.sha256(data).hexdigest()}
        if imported is not None:
            source["imported"] = imported

        registry: dict[str, dict[str, Any]] = {}
        tasks_out: list[dict[str, Any]] = []
        for task in self.tasks:
            units, leads = parse_units(task.text("units"))
            co, _ = parse_units(task.text("co"), default_role="co") if task.has("co") else ([], [])
            if (task.has("co") or self.lead_header) and not leads and len(units) > 1:
                leads = list(units)  # several names in a 牵头单位 column (or beside a 配合单位 column): all lead
            all_units = list(dict.fromkeys([*units, *co]))
            for name in all_units:
                registry.setdefault(name, {"name": name, **({"collective": True} if is_collective(name) else {})})
            requirement = task.text("req").strip()
            deadline = task.text("deadline").strip()
            entry: dict[str, Any] = {
                "id": task.id,
                "section": task.section.no if task.section else 1,
                "subsection": task.sub.no if task.sub else None,
                "title": task.title or short_title(requirement) or f"任务{task.id}",
                "requirement": requirement,
                "units": all_units,
            }
            if leads and leads != all_units[:1]:
                entry["leads"] = leads
            entry["deadline"] = deadline
            progress = "；".join(p.strip() for p in task.values.get("progress", []) if p.strip())
            if progress:
                entry["notice_progress"] = progress
            tasks_out.append(entry)
            if task.text("units") and not units:
                self.warn(task.field_lines.get("units", task.line), f"任务 {task.id} 的责任单位无法拆分出单位名")
            if deadline:
                self._check_deadline(task, deadline, year)
        self._drop_trailing_headings()
        return {
            "schema_version": 1,
            "meta": meta,
            "source": source,
            "units": list(registry.values()),
            "sections": [
                {"no": s.no, "title": s.title, "subsections": [{"no": b.no, "title": b.title} for b in s.subs]}
                for s in self.sections
            ],
            "tasks": tasks_out,
        }

    def _drop_trailing_headings(self) -> None:
        """Headings after the last task (a text cut off) are dropped; other empty ones are kept. Both warn."""
        last = self.tasks[-1] if self.tasks else None
        last_sec = self.sections.index(last.section) if last is not None and last.section in self.sections else -1
        with_tasks = {id(t.section) for t in self.tasks} | {id(t.sub) for t in self.tasks if t.sub is not None}
        kept: list[_Sec] = []
        for k, sec in enumerate(self.sections):
            if k > last_sec:
                self.warn(sec.line, f"第 {sec.no} 部分“{sec.title}”在最后一项任务之后,没有任务,未导入")
                self.became.setdefault(sec.line, []).append("未导入(其后没有任务)")
                continue
            kept.append(sec)
            subs: list[_Sub] = []
            last_sub = sec.subs.index(last.sub) if last is not None and last.sub in sec.subs else -1
            for j, sub in enumerate(sec.subs):
                has_tasks = id(sub) in with_tasks
                if k == last_sec and j > last_sub and not has_tasks:
                    self.warn(sub.line, f"小节 {sec.no}.{sub.no}“{sub.title}”在最后一项任务之后,没有任务,未导入")
                    self.became.setdefault(sub.line, []).append("未导入(其后没有任务)")
                    continue
                if not has_tasks:
                    self.warn(sub.line, f"小节 {sec.no}.{sub.no}“{sub.title}”下没有任务")
                subs.append(sub)
            sec.subs = subs
            if id(sec) not in with_tasks:
                self.warn(sec.line, f"第 {sec.no} 部分“{sec.title}”下没有任务")
        self.sections = kept

    def _check_deadline(self, task: _Task, phrase: str, year: int) -> None:
        try:
            from gwgk_cli.deadlines import parse_deadline

            parsed = parse_deadline(phrase, year).parsed
        except Exception:  # noqa: BLE001 - the deadline module must not break an import
            parsed = False
        if not parsed:
            self.warn(
                task.field_lines.get("deadline", task.line),
                f"任务 {task.id} 的时限要求“{phrase}”无法识别,按原文保留(无到期日)",
            )

    def explain(self) -> list[ExplainLine]:
        out: list[ExplainLine] = []
        for n in range(1, self.n_lines + 1):
            text = self.lines[n - 1] if n - 1 < len(self.lines) else ""
            parts = self.became.get(n)
            if parts:
                became = "; ".join(dict.fromkeys(parts))
            else:
                became = self.default_explain.get(n) or ("空行" if not text.strip() else "网页代码(无文字)")
            out.append(ExplainLine(n, text, became))
        return out


_TITLE_WORDS = ("任务分工", "任务清单", "分工方案", "责任分工", "任务分解")
_PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|成文日期|印发日期|日期|时间)[:：]?(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})"
)
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISSUER = re.compile(r"(?:信息来源|来源|发布机构|发文机关)\s*[:：]\s*(.+)")
_ISSUER_END = re.compile(r"\s{2,}|文字大小|字体|字号|背景色|浏览|阅读|访问|点击|发布时间|发布日期|索引号|【|\[|\|")
_TITLE_ISSUER = re.compile(r"^(.*?)(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年")


def _date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _year_of(title: str) -> int | None:
    if m := re.search(r"(\d{4})\s*年", title):
        return int(m.group(1))
    if m := re.search(r"([〇零一二三四五六七八九]{4})\s*年", title):
        return int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
    return None


def _notice_title(text: str) -> str:
    text = text.strip().lstrip("#*> ").strip()
    if (k := text.find("的通知")) >= 0:
        return text[: k + 3]
    return re.split(r"[_|]| - |—", text)[0].strip()


def _title_from_notice(notice: str) -> str | None:
    m = re.match(r"^关于(?:印发|下发|转发|公布)?《?(.+?)》?(?:的)?通知$", notice)
    return m.group(1) if m else None


# =========================================================================== API


def _rows_of(text: str) -> tuple[list[_Row], dict[int, str], list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if _looks_like_html(text):
        parser = _HtmlRows()
        try:
            parser.feed(text)
            rows = parser.finish()
        except Exception:  # noqa: BLE001 - html.parser on broken markup: read it as text instead
            rows = []
        if rows:
            return rows, {}, lines
    rows, other = _text_rows(lines)
    return rows, other, lines


def import_notice(
    data: bytes, *, source_name: str, year: int | None = None, imported: date | None = None
) -> ImportResult:
    """Read a notice (text or saved HTML page) and build a task table.

    Raises NoticeError when the input is not text or holds no task table; any other input
    imports, perhaps with warnings.
    """
    text = decode_notice(data)
    try:
        rows, other, lines = _rows_of(text)
        imp = _Importer(rows, other, len(lines), lines)
        imp.run()
    except RecursionError:
        raise NoticeError("通知过于复杂,无法解析") from None
    if not imp.tasks:
        if imp.columns is None and not any(imp._starts_task(r) for r in rows):
            raise NoticeError("未找到任务表:没有 具体要求/责任单位 表头,也没有编号任务")
        raise NoticeError("未找到任务表:没有一项完整的任务(有编号的任务行及其 具体要求、责任单位、时限要求)")
    table = imp.build(data, source_name, year, imported)
    imp.warnings.sort(key=lambda w: w.lineno)
    return ImportResult(table, imp.explain(), imp.warnings)


class _FlowList(list[Any]):
    pass


def dump_table(table: dict[str, Any]) -> str:
    """The table as YAML text, with a header comment saying where it came from."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def flow(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.Node:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)

    Dumper.add_representer(_FlowList, flow)
    out = dict(table)
    if isinstance(out.get("tasks"), list):
        tasks = []
        for task in out["tasks"]:
            task = dict(task)
            for key in ("units", "leads"):
                if isinstance(task.get(key), list):
                    task[key] = _FlowList(task[key])
            tasks.append(task)
        out["tasks"] = tasks
    body = yaml.dump(out, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
    source = table.get("source") or {}
    name = source.get("file", "?") if isinstance(source, dict) else "?"
    header = (
        f"# 本任务表由 gwgk import 从 {name} 自动生成,请逐项人工核对(标题为自动拟定的草稿)。\n"
        f"# Generated by `gwgk import` from {name}; check it by hand before use (titles are drafts).\n\n"
    )
    return header + body
