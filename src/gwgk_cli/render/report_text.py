"""The weekly report as text: plain (pipes, files) or, on a terminal, the same lines styled with rich.

Columns are aligned by display width (a Chinese character takes two cells). rich is imported only
by `print_report`, so plain output never loads it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from gwgk_cli.numerals import cn_numeral
from gwgk_cli.report import WeeklyReport
from gwgk_cli.report_period import date_text
from gwgk_cli.report_wording import (
    ANNEX_HEADERS,
    STALE_HEADERS,
    UNIT_HEADERS,
    UNIT_PROGRESS_RULE,
    WARNING_HEADERS,
    annex_cells,
    document_year,
    due_text,
    empty_text,
    issue_text,
    item_text,
    meta_parts,
    note_text,
    office_lines,
    scope_text,
    section_titles,
    signature_lines,
    stale_cells,
    stale_intro,
    status_table,
    status_text,
    summary_lines,
    unit_cells,
    units_text,
    urge_intro,
    urge_text,
    warning_cells,
)
from gwgk_cli.sanitize import clean_line

Line = tuple[str, str]  # (text, style: "" | title | heading | sub | red | yellow | dim)
PAGE_WIDTH = 80
INDENT = "  "


class _CharWidths(dict[str, int]):
    """Display width of each character met so far, worked out on first sight."""

    def __missing__(self, ch: str) -> int:
        width = 0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        self[ch] = width
        return width


_CHAR_WIDTHS = _CharWidths()


def cells(text: str) -> int:
    """Display width: two cells for wide (CJK) characters, none for combining marks."""
    if text.isascii():
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * (width - cells(text))
    return space + text if right else text + space


def center(text: str, width: int = PAGE_WIDTH) -> str:
    return " " * max(0, (width - cells(text)) // 2) + text


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = (),
         indent: str = INDENT, width: int | None = None) -> list[str]:
    """Header, rule, rows; columns two spaces apart, the last one unpadded. Each cell's width is worked
    out once. With `width` (a terminal's): a grid wider than that has its widest text columns narrowed and
    their cells broken into lines by the Chinese rules (render/cjkwrap), the last column wrapped under
    itself; nothing is cut off."""
    return [line for block in grid_blocks(headers, rows, right, indent, width) for line in block]


def _lines(table: Sequence[Sequence[str]], sizes: list[list[int]], widths: list[int], on_right: frozenset[int],
           indent: str) -> list[str]:
    """The grid's lines (header, rule, rows) when it is left whole: each cell padded to its column's width."""

    def line(row: Sequence[str], size: list[int]) -> str:
        last = len(row) - 1
        parts = [cell if i == last and i not in on_right
                 else " " * (widths[i] - size[i]) + cell if i in on_right
                 else cell + " " * (widths[i] - size[i])
                 for i, cell in enumerate(row)]
        return (indent + "  ".join(parts)).rstrip()

    rule = indent + "-" * (sum(widths) + 2 * (len(widths) - 1))
    lines = [line(row, size) for row, size in zip(table, sizes, strict=True)]
    return [lines[0], rule, *lines[1:]]


NARROWEST = 8  # a text column is not narrowed below this many cells


def _total(indent: str, widths: Sequence[int]) -> int:
    return len(indent) + sum(widths) + 2 * (len(widths) - 1)


def grid_blocks(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = (),
                indent: str = INDENT, width: int | None = None) -> list[list[str]]:
    """grid()'s lines in blocks: the header's, the rule's, then each row's (one line, or several when the
    grid is fitted into `width`), so that a row's style can be given to all its lines."""
    table = [headers, *rows]
    sizes = [[cells(c) for c in row] for row in table]  # each cell measured once
    widths = [max(size[i] for size in sizes) for i in range(len(headers))]
    on_right = frozenset(right)
    if width is not None and _total(indent, widths) > width:
        return _narrow_grid(table, widths, on_right, indent, width)
    return [[line] for line in _lines(table, sizes, widths, on_right, indent)]


def _narrow_grid(table: Sequence[Sequence[str]], widths: list[int], on_right: frozenset[int], indent: str,
                 width: int) -> list[list[str]]:
    """grid() within `width` cells: the widest left-aligned columns but the last give up cells, one at a time,
    until the grid fits (none below NARROWEST); the last column takes what is left; cells wrap in their columns."""
    from gwgk_cli.render.cjkwrap import wrap

    widths = list(widths)
    last = len(widths) - 1
    while _total(indent, widths) > width:
        candidates = [i for i in range(last) if i not in on_right and widths[i] > NARROWEST]
        if not candidates:
            break
        widths[max(candidates, key=lambda k: widths[k])] -= 1  # a cell at a time from the widest: balanced
    start = _total(indent, widths[:-1]) + 2 if last else len(indent)
    if _total(indent, widths) > width and last not in on_right:
        widths[last] = max(width - start, NARROWEST)

    def lines_of(row: Sequence[str]) -> list[str]:
        wrapped = [[c] if i in on_right else wrap(c, widths[i]) for i, c in enumerate(row)]
        out = []
        for n in range(max(len(w) for w in wrapped)):
            parts = []
            for i, pieces in enumerate(wrapped):
                piece = pieces[n] if n < len(pieces) else ""
                space = " " * max(0, widths[i] - cells(piece))
                parts.append(space + piece if i in on_right else piece if i == last else piece + space)
            out.append((indent + "  ".join(parts)).rstrip())
        return out

    rule = indent + "-" * (sum(widths) + 2 * last)
    head, *body = table
    return [lines_of(head), [rule], *(lines_of(row) for row in body)]


def _one_line(text: object) -> str:
    """One line of user text, safe for a terminal (sanitize.clean_line), runs of spaces folded."""
    text = text if type(text) is str else str(text)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # nothing to clean or fold (isprintable: no space but U+0020, no control, no bidi mark)
    return " ".join(clean_line(text).split())


def _row(cells: Sequence[object]) -> list[str]:
    """_one_line of every cell of a row."""
    return [_one_line(c) for c in cells]


def _overview(report: WeeklyReport, width: int | None = None) -> list[Line]:
    headers, rows = status_table(report)
    return [*((INDENT + _one_line(s), "") for s in summary_lines(report)), ("", ""),
            *((s, "") for s in grid(headers, rows, right=(1, 2, 3), width=width))]


def _units(report: WeeklyReport, width: int | None = None) -> list[Line]:
    if not report.units:
        return [(INDENT + empty_text(report, "units"), "")]
    rows = [_row(unit_cells(u)) for u in report.units]
    styles = ["", "", *("red" if u.overdue else "" for u in report.units)]
    return [(INDENT + UNIT_PROGRESS_RULE, "dim"),
            *_styled(grid_blocks(UNIT_HEADERS, rows, right=range(1, 7), width=width), styles)]


def _progress(report: WeeklyReport, width: int | None = None) -> list[Line]:
    if not report.progress:
        return [(INDENT + empty_text(report, "progress"), "")]
    out: list[Line] = []
    for n, group in enumerate(report.progress, 1):
        out.append((f"{INDENT}（{cn_numeral(n)}）{_one_line(group.unit)}", "sub"))
        for item in group.items:
            style = {"done": "green", "block": "yellow"}.get(item.kind, "")
            out.append((INDENT * 2 + _one_line(item_text(item)), style))
    return out


def _warnings(report: WeeklyReport, width: int | None = None) -> list[Line]:
    out: list[Line] = []
    if report.warnings:
        rows = [_row(warning_cells(r, document_year(report))) for r in report.warnings]
        styles = ["", "", *(r["signal"] for r in report.warnings)]
        out += _styled(grid_blocks(WARNING_HEADERS, rows, right=(1,), width=width), styles)
    else:
        out.append((INDENT + empty_text(report, "warnings"), ""))
    if report.stale:
        out += [("", ""), (INDENT + stale_intro(report), ""),
                *((s, "") for s in grid(STALE_HEADERS, [_row(stale_cells(r, document_year(report))) for r in report.stale], right=(0,),
                                              width=width))]
    return out


def _urge(report: WeeklyReport, width: int | None = None) -> list[Line]:
    return [(INDENT + urge_intro(report), ""), *((INDENT * 2 + _one_line(urge_text(r)), "") for r in report.urge)]


def _next(report: WeeklyReport, width: int | None = None) -> list[Line]:
    nxt = report.period.next_word
    out: list[Line] = [(f"{INDENT}（一）{nxt}到期任务（{report.next_period.span_text()}）", "sub")]
    if report.due_next:
        rows = [_row([r["id"], r["title"], units_text(r), due_text(r, document_year(report)), status_text(r)]) for r in report.due_next]
        out += [(s, "") for s in grid(["序号", "任务", "责任单位", "完成时限", "状态"], rows, right=(0,),
                                      indent=INDENT * 2, width=width)]
    else:
        out.append((INDENT * 2 + empty_text(report, "due_next"), ""))
    out.append((f"{INDENT}（二）持续推进事项", "sub"))
    if report.ongoing:
        rows = [_row([r["id"], r["title"], r["lead_unit"], status_text(r), note_text(r, document_year(report))]) for r in report.ongoing]
        out += [(s, "") for s in grid(["序号", "任务", "牵头单位", "状态", "最近进展"], rows, right=(0,),
                                      indent=INDENT * 2, width=width)]
    else:
        out.append((INDENT * 2 + empty_text(report, "ongoing"), ""))
    return out


def _notes(key: str) -> Callable[[WeeklyReport, int | None], list[Line]]:
    def render(report: WeeklyReport, width: int | None = None) -> list[Line]:
        items = report.notes.get(key) or []
        if not items:
            return [(INDENT + empty_text(report, "notes"), "")]
        return [(f"{INDENT}{n}. {_one_line(item)}", "") for n, item in enumerate(items, 1)]

    return render


SECTIONS: dict[str, Callable[[WeeklyReport, int | None], list[Line]]] = {
    "overview": _overview,
    "units": _units,
    "progress": _progress,
    "warnings": _warnings,
    "urge": _urge,
    "next": _next,
    **{key: _notes(key) for key in ("存在问题", "下一步工作", "下一步工作打算", "意见建议")},
}


def _styled(blocks: list[list[str]], styles: list[str]) -> list[Line]:
    """A grid's lines, each with the style of the row it belongs to."""
    return [(line, style) for block, style in zip(blocks, styles, strict=True) for line in block]


def report_lines(report: WeeklyReport, width: int | None = None) -> list[Line]:
    """The report's lines; `width`: a terminal's, its tables fitted into it (plain text keeps them whole)."""
    issue = issue_text(report)
    out: list[Line] = [
        *([(center(issue), "title")] if issue else []),
        (center(_one_line(report.title)), "title"),
        (center(f"（{report.period.label()}）"), "title"),
        ("", ""),
        ("    ".join(_one_line(p) for p in meta_parts(report)), "dim"),
        *([(_one_line(scope_text(report)), "dim")] if report.scope else []),
        ("=" * PAGE_WIDTH, ""),
    ]
    for key, heading in section_titles(report):
        out += [("", ""), (heading, "heading"), *SECTIONS[key](report, width)]
    out += [("", ""), *((pad(_one_line(line), PAGE_WIDTH - 8, right=True), "") for line in signature_lines(report))]
    if report.annex:
        out += [("", ""), ("-" * PAGE_WIDTH, ""), ("附件", "heading"),
                (center(f"重点任务推进情况台账（{date_text(report.as_of)}）"), "title"),
                *((s, "") for s in grid(ANNEX_HEADERS, [_row(annex_cells(r, document_year(report))) for r in report.annex], right=(0,),
                                        width=width))]
    lines = office_lines(report)
    if lines:
        out += [("", ""), ("-" * PAGE_WIDTH, ""), *((_one_line(line), "") for line in lines)]
    return out


def report_text(report: WeeklyReport) -> str:
    """Plain text, no ANSI codes: for pipes and -o."""
    return "\n".join(text for text, _ in report_lines(report)) + "\n"


RICH_STYLES = {"title": "bold", "heading": "bold", "sub": "bold", "red": "bold red", "yellow": "yellow",
               "green": "green", "dim": "dim", "": ""}


def print_report(report: WeeklyReport) -> None:
    """The same lines on a terminal, with colour."""
    from rich.text import Text

    from gwgk_cli.render.rich_views import console

    out = console()
    width = out.width
    for text, style in report_lines(report, width=width):
        for line in fit_line(text, width):
            out.print(Text(line, style=RICH_STYLES.get(style, "")), no_wrap=True, overflow="ignore", crop=False)


def fit_line(text: str, width: int) -> list[str]:
    """A line within `width` cells: broken by the Chinese rules (no line starts with 。), the pieces after the
    first indented as the line is (a terminal's own wrapping breaks anywhere and starts at column 0)."""
    if cells(text) <= width:
        return [text]
    from gwgk_cli.render.cjkwrap import wrap

    body = text.lstrip(" ")
    indent = " " * min(len(text) - len(body), width // 2)
    return [indent + piece for piece in wrap(body, width - len(indent))]
