"""What the readers produce and the interpreter consumes: cells and rows with their positions, and the result."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Positions. Every format reduces to numbered *units*: the lines of a text or HTML file, or the
# cells and paragraphs of a Word, Excel or PDF file. A cell knows the units it covers (Cell.lines);
# Source.where names each unit for the clerk (第 12 行, 工作表“任务”B5, 第 2 页表格第 3 行第 2 列).


@dataclass
class ExplainLine:
    """What one input unit (1-based) became: a Chinese label such as 任务 3 具体要求 or 空行."""

    lineno: int
    text: str
    became: str
    where: str = ""  # the unit's position when it is not a line (a spreadsheet cell, a PDF table cell)

    @property
    def position(self) -> str:
        return self.where or f"第 {self.lineno} 行"


@dataclass
class ImportWarning:
    """Something the importer noticed in the notice, and where."""

    lineno: int  # 0 when the warning is about the whole input
    message: str
    where: str = ""  # the position when it is not a line (see ExplainLine.where)

    def __str__(self) -> str:
        if self.where:
            return f"{self.where}：{self.message}"
        return f"第 {self.lineno} 行：{self.message}" if self.lineno else self.message


@dataclass
class ImportResult:
    """A notice read into a task table, with what needed attention."""

    table: dict[str, Any]
    explain: list[ExplainLine]
    warnings: list[ImportWarning]

    def summary(self) -> str:
        sections = self.table.get("sections") or []
        subsections = sum(len(s.get("subsections") or []) for s in sections)
        tasks = self.table.get("tasks") or []
        text = f"{len(sections)} 个部分，{subsections} 个小节，{len(tasks)} 项任务，{len(self.warnings)} 条警告"
        if unread := self.unread_deadlines():
            text += f"（其中 {unread} 项任务的时限要求无法识别，按原文保留，无到期日）"
        return text

    def unread_deadlines(self) -> int:
        """How many tasks have a deadline phrase the deadline module cannot read (each also a warning)."""
        from gwgk_cli.deadlines import parse_deadline

        year = (self.table.get("meta") or {}).get("year")
        if not isinstance(year, int):
            return 0
        phrases = [str(t.get("deadline") or "").strip() for t in self.table.get("tasks") or []]
        return sum(1 for p in phrases if p and not parse_deadline(p, year).parsed)

    sheet_note: str = ""  # which sheet/table of a workbook or document was read, and why
    drafts: list[int] = field(default_factory=list)  # ids of tasks whose title is a draft
    # meta key (or tasks.<id>.deadline: taken from the requirement's text) -> why it is marked in the YAML
    placeholders: dict[str, str] = field(default_factory=dict)

    def explain_text(self) -> str:
        """The explain list as plain text, one line per unit: 第 N 行：识别结果  | 原文（前 40 字）.

        Units that are not lines are named by their position (工作表“任务”B5: …).
        """
        width = len(str(self.explain[-1].lineno)) if self.explain else 1
        out = []
        for e in self.explain:
            where = e.where or f"第 {e.lineno:>{width}} 行"
            out.append(f"{where}：{e.became}  | {e.text.strip()[:40]}")
        return "\n".join(out)



@dataclass
class Cell:
    """One table cell of a notice, with where it was found."""

    text: str
    lines: tuple[int, ...] = ()  # source lines it covers; first = where it starts
    carried: bool = False  # a copy made by rowspan/colspan
    delimited: bool = False  # its end was marked (| separators): never continued by the next cell
    # The cell's lines as the notice broke them (<br>, <p>, a Word line break or paragraph, Alt+Enter in
    # Excel), when it has several: text joins them; a 责任单位 cell's names are split at them (units.py).
    breaks: tuple[str, ...] = ()

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0


@dataclass
class Row:
    """One table row of a notice: its cells, in order."""

    cells: list[Cell]
    explicit: bool  # a real table row (| row, <tr>), as opposed to a free line/cell
    page_top: bool = False  # the first row of a table on a PDF page after the first: it may go on with a row the page broke


@dataclass
class Source:
    """What a format reader hands the interpreter: rows of cells, and the units they came from."""

    rows: list[Row]
    lines: list[str]  # the text of each unit; unit n is lines[n - 1]
    other: dict[int, str] = field(default_factory=dict)  # units that are no cell: 空行, 单元格分隔符 …
    where: list[str] | None = None  # the position of each unit; None: the units are lines (第 N 行)
    note: str = ""  # said once in the summary: which sheet or table was read
    warnings: list[ImportWarning] = field(default_factory=list)  # the reader's own (pages of a PDF without text)

    def position(self, unit: int) -> str:
        if unit <= 0:
            return ""
        if self.where is not None and unit - 1 < len(self.where):
            return self.where[unit - 1]
        return f"第 {unit} 行"


WS = re.compile(r"\s+")
PIPES = "|｜"
# A line break in any of its spellings (what str.splitlines breaks at): CR LF, CR, NEL (U+0085), the
# Unicode line and paragraph separators (U+2028/2029), vertical tab (Word's manual line break in copied
# text), form feed and the ASCII record separators. Each is a line break as \n is, in every format.
LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def break_lines(text: str) -> list[str]:
    """The lines of a cell or a file, at any line break."""
    return LINE_BREAK.split(text)


def join_wrapped(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


class UnitLog:
    """Numbers the units of a document that is not line-based, with their positions."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.where: list[str] = []

    def add(self, text: str, where: str) -> int:
        self.lines.append(text)
        self.where.append(where)
        return len(self.lines)

    def cell(self, text: str, where: str, breaks: tuple[str, ...] = ()) -> Cell:
        """A cell that is its own unit (an empty cell is one too: --explain accounts for it)."""
        text = "\n".join(break_lines(text))
        return Cell(text, (self.add(text, where),), breaks=breaks)

    def source(self, rows: list[Row], note: str = "", warnings: list[ImportWarning] | None = None) -> Source:
        return Source(rows, self.lines, {}, self.where, note, warnings or [])


UP, LEFT = "up", "left"  # a grid cell covered by a merged cell above it / to its left
GridCell = tuple[str, str] | str | None  # (text, position); UP; LEFT; "": no cell; None: covered, direction unknown


def cell_breaks(text: str) -> tuple[str, ...]:
    """The lines of a cell's text at its line breaks (Cell.breaks): () when it has one line only."""
    lines = tuple(line.strip() for line in break_lines(text) if line.strip())
    return lines if len(lines) > 1 else ()


def table_rows(grid: list[list[GridCell]], log: UnitLog, *, breaks: bool = True) -> list[Row]:
    """Rows of a table given as a grid of (text, position) and covered cells (UP, LEFT, None).

    A covered cell repeats the cell that covers it, marked carried (a group cell spanning several
    rows belongs to each of them). None (the reader cannot tell) is the cell to the left when the
    row's only own cell is its first (a heading across the row), else the cell above. breaks: whether the
    line breaks in a cell's text are the notice's own (Cell.breaks; not a PDF's, which wraps at the width).
    """
    rows: list[Row] = []
    above: dict[int, Cell] = {}
    for line in grid:
        cells: list[Cell] = []
        own = sum(1 for c in line if isinstance(c, tuple))
        for j, item in enumerate(line):
            if item == "":  # no cell at all (a row starting late)
                cells.append(Cell("", (), True))
                continue
            if isinstance(item, tuple):
                lines = break_lines(item[0])
                cell = log.cell(join_wrapped(lines), item[1], cell_breaks(item[0]) if breaks else ())
                above[j] = cell
                cells.append(cell)
                continue
            left = cells[-1] if cells else None
            if item == LEFT or (item is None and own == 1 and isinstance(line[0], tuple)):
                src = left
            else:
                src = above.get(j, left if item is None else None)
            if src is not None:
                above[j] = src
            cells.append(Cell(src.text, (), True, breaks=src.breaks) if src is not None else Cell("", (), True))
        rows.append(Row(cells, True))
    return rows


def column_letter(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def check_unzipped_size(data: bytes, kind: str) -> None:
    """Refuse a zip-based document whose parts would unpack to more than reading.MAX_UNZIPPED (a zip bomb)."""
    from gwgk_cli.reading import MAX_UNZIPPED, unzipped_size

    total = unzipped_size(data)
    if total is not None and total > MAX_UNZIPPED:
        from gwgk_cli.errors import NoticeError

        raise NoticeError(f"{kind}解压后过大（{total // (1024 * 1024)} MiB，上限 {MAX_UNZIPPED // (1024 * 1024)} MiB），"
                          "不像是正常的通知文件，未导入")
