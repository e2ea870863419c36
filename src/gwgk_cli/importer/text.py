"""Plain-text notices (copied from a page): lines to rows of cells."""

from __future__ import annotations

import re

from gwgk_cli.importer.classify import (
    bare_number,
    header_kind,
    is_chrome,
    section_heading,
    subsection_heading,
)
from gwgk_cli.importer.model import PIPES, Cell, Row, Source, break_lines, join_wrapped


def _split_pipe_row(line: str) -> list[str]:
    text = line.strip().replace("｜", "|")
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    return [c.strip() for c in text.split("|")]


_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _pipe_cells(numbered: list[tuple[int, str]]) -> list[Cell]:
    """Cells of a | row given as (line number, text) lines (more than one when a cell was wrapped)."""
    cells: list[Cell] = []
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
                cells.append(Cell(join_wrapped(parts), tuple(covered)))
                parts, covered = [], []
            if piece.strip() or not covered:
                parts.append(piece)
                covered.append(no)
    cells.append(Cell(join_wrapped(parts), tuple(dict.fromkeys(covered))))
    return cells


_RULE_LINE = re.compile(r"^[|｜]?\s*:?-{2,}:?\s*(?:[|｜]\s*:?-{2,}:?\s*)*[|｜]?$")  # on stripped text


def _is_pipe_line(line: str) -> bool:
    """A line made only of | separators (and spaces)."""
    return any(p in line for p in PIPES) and not line.replace("|", "").replace("｜", "").strip()


def _is_cell_end(line: str) -> bool:
    """A cell's text followed by one | (the cell-per-line layout: ``具体要求 |``)."""
    stripped = line.rstrip()
    if not stripped.endswith(("|", "｜")):
        return False
    body = stripped[:-1]
    return bool(body.strip()) and not any(p in body for p in PIPES)


def text_rows(lines: list[str]) -> tuple[list[Row], dict[int, str]]:
    """Rows of a plain-text notice, and what the lines that are not cells are (blank, separator)."""
    kinds: list[str] = []
    for line in lines:
        if not line.strip():
            kinds.append("blank")
        elif _is_pipe_line(line):
            kinds.append("pipes")
        elif _RULE_LINE.match(line.strip()):
            kinds.append("rule")
        elif _is_cell_end(line):
            kinds.append("cellend")
        elif any(p in line for p in PIPES) and len(_split_pipe_row(line)) >= 2:
            kinds.append("row")
        elif "\t" in line.strip() and sum(1 for c in line.split("\t") if c.strip()) >= 2:
            kinds.append("tabs")
        else:
            kinds.append("text")
    pipe_idx = [i for i, k in enumerate(kinds) if k in ("pipes", "cellend")]
    # Cells each ending in " |" (one cell per line): a lone | is an empty cell, || separates rows.
    cell_end_layout = kinds.count("cellend") >= 3
    first_pipe, last_pipe = (pipe_idx[0], pipe_idx[-1]) if pipe_idx else (-1, -1)

    rows: list[Row] = []
    other: dict[int, str] = {}
    cur: list[tuple[int, str]] = []  # the wrapped cell being built (pipe layout)
    text_since_sep = True
    delimited = False

    def flush() -> None:
        if cur:
            cell = Cell(join_wrapped([t for _, t in cur]), tuple(n for n, _ in cur), delimited=delimited)
            rows.append(Row([cell], False))
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
            count = sum(line.count(p) for p in PIPES)
            if cell_end_layout:
                empties = 1 if count == 1 else 0
            else:
                empties = count - 1 + (0 if text_since_sep else 1)
            for _ in range(empties):
                rows.append(Row([Cell("", (no,))], False))
            other[no] = "单元格分隔符" + ("（空单元格）" if empties else "（行分隔）" if cell_end_layout else "")
            text_since_sep = False
        elif kind == "cellend":  # the last (or only) line of a cell, ending in " |"
            stripped = line.strip().rstrip("|｜").strip()
            joins = bool(cur) and kinds[i - 1] == "text" and not _standalone(stripped) and not _standalone(cur[-1][1])
            if not joins:
                flush()
            cur.append((no, stripped))
            delimited = True
            flush()
            text_since_sep = False
        elif kind == "tabs":  # cells copied from a browser table: separated by tabs
            flush()
            text_since_sep = True
            rows.append(Row([Cell(c.strip(), (no,)) for c in line.strip().split("\t")], True))
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
                and kinds[i + 1] in ("text", "row", "cellend")
                and len(covered) < 6
            ):
                i += 1
                covered.append(i + 1)
            rows.append(Row(_pipe_cells([(n, lines[n - 1]) for n in covered]), True))
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
        bare_number(text) is not None
        or section_heading(text) is not None
        or subsection_heading(text) is not None
        or header_kind(text) is not None
        or is_chrome(text)
    )


def split_lines(text: str) -> list[str]:
    """The lines of a text or a page's source: at \\n and at every other line break (model.LINE_BREAK)."""
    lines = break_lines(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_text(text: str) -> Source:
    """A plain-text notice: every line is a unit."""
    lines = split_lines(text)
    rows, other = text_rows(lines)
    return Source(rows, lines, other)
