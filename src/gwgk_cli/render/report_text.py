"""The weekly report as text: plain (pipes, files) or, on a terminal, the same lines styled with rich.

Columns are aligned by display width (a Chinese character takes two cells). rich is imported only
by `print_report`, so plain output never loads it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from gwgk_cli.model import cn_numeral
from gwgk_cli.report import (
    UNIT_HEADERS,
    WeeklyReport,
    due_text,
    empty_text,
    footer_text,
    item_detail,
    md_text,
    meta_parts,
    note_text,
    scope_text,
    section_titles,
    status_table,
    status_text,
    summary_lines,
    unit_cells,
)

Line = tuple[str, str]  # (text, style: "" | title | heading | sub | red | yellow | dim)
PAGE_WIDTH = 80
INDENT = "  "


def cells(text: str) -> int:
    """Display width: two cells for wide (CJK) characters, none for combining marks."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - cells(text))
    return space + text if right else text + space


def center(text: str, width: int = PAGE_WIDTH) -> str:
    return " " * max(0, (width - cells(text)) // 2) + text


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = (),
         indent: str = INDENT) -> list[str]:
    """Header, rule, rows; columns two spaces apart, the last one unpadded."""
    widths = [max(cells(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        last = len(row) - 1
        parts = [cell if i == last and i not in right else pad(cell, widths[i], i in right)
                 for i, cell in enumerate(row)]
        return (indent + "  ".join(parts)).rstrip()

    rule = indent + "-" * (sum(widths) + 2 * (len(widths) - 1))
    return [line(headers), rule, *(line(r) for r in rows)]


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _overview(report: WeeklyReport) -> list[Line]:
    headers, rows = status_table(report)
    return [*((INDENT + s, "") for s in summary_lines(report)), ("", ""),
            *((s, "") for s in grid(headers, rows, right=(1, 2, 3)))]


def _units(report: WeeklyReport) -> list[Line]:
    if not report.units:
        return [(INDENT + empty_text(report, "units"), "")]
    rows = [unit_cells(u) for u in report.units]
    styles = ["", "", *("red" if u.overdue else "" for u in report.units)]
    return list(zip(grid(UNIT_HEADERS, rows, right=range(1, 7)), styles, strict=True))


def _progress(report: WeeklyReport) -> list[Line]:
    if not report.progress:
        return [(INDENT + empty_text(report, "progress"), "")]
    out: list[Line] = []
    for n, group in enumerate(report.progress, 1):
        out.append((f"{INDENT}({cn_numeral(n)}){group.unit}", "sub"))
        for item in group.items:
            detail = item_detail(item)
            text = f"{md_text(item.date)}  【{item.change}】任务 {item.task} {item.title}"
            text += (f":{_one_line(detail)}" if detail else "") + (f"({item.by})" if item.by else "")
            style = {"done": "green", "block": "yellow"}.get(item.kind, "")
            out.append((INDENT * 2 + text, style))
    return out


def _warnings(report: WeeklyReport) -> list[Line]:
    if not report.warnings:
        return [(INDENT + empty_text(report, "warnings"), "")]
    rows = [[r["signal_label"] + "灯", str(r["id"]), r["title"], r["lead_unit"], due_text(r),
             _one_line(r["signal_reason"])] for r in report.warnings]
    lines = grid(["信号", "序号", "任务", "牵头单位", "到期", "原因"], rows, right=(1,))
    styles = ["", "", *(r["signal"] for r in report.warnings)]
    return list(zip(lines, styles, strict=True))


def _next(report: WeeklyReport) -> list[Line]:
    nxt = report.period.next_word
    out: list[Line] = [(f"{INDENT}(一){nxt}到期任务({report.next_period.span_text()})", "sub")]
    if report.due_next:
        rows = [[str(r["id"]), r["title"], "、".join(r["units"]), due_text(r), status_text(r)]
                for r in report.due_next]
        out += [(s, "") for s in grid(["序号", "任务", "责任单位", "到期", "状态"], rows, right=(0,), indent=INDENT * 2)]
    else:
        out.append((INDENT * 2 + empty_text(report, "due_next"), ""))
    out.append((f"{INDENT}(二)持续推进事项", "sub"))
    if report.ongoing:
        rows = [[str(r["id"]), r["title"], r["lead_unit"], status_text(r), _one_line(note_text(r))]
                for r in report.ongoing]
        out += [(s, "") for s in grid(["序号", "任务", "牵头单位", "状态", "最近进展"], rows, right=(0,),
                                      indent=INDENT * 2)]
    else:
        out.append((INDENT * 2 + empty_text(report, "ongoing"), ""))
    return out


def _notes(key: str) -> Callable[[WeeklyReport], list[Line]]:
    def render(report: WeeklyReport) -> list[Line]:
        items = report.notes.get(key) or []
        if not items:
            return [(INDENT + empty_text(report, "notes"), "")]
        return [(f"{INDENT}{n}. {item}", "") for n, item in enumerate(items, 1)]

    return render


SECTIONS: dict[str, Callable[[WeeklyReport], list[Line]]] = {
    "overview": _overview,
    "units": _units,
    "progress": _progress,
    "warnings": _warnings,
    "next": _next,
    "存在问题": _notes("存在问题"),
    "下一步工作": _notes("下一步工作"),
}


def report_lines(report: WeeklyReport) -> list[Line]:
    out: list[Line] = [
        (center(report.title), "title"),
        (center(f"({report.period.label()})"), "title"),
        ("", ""),
        ("    ".join(meta_parts(report)), "dim"),
        *([(scope_text(report), "dim")] if report.scope else []),
        ("=" * PAGE_WIDTH, ""),
    ]
    for key, heading in section_titles(report):
        out += [("", ""), (heading, "heading"), *SECTIONS[key](report)]
    out += [("", ""), ("-" * PAGE_WIDTH, ""), (footer_text(report), "dim")]
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
    for text, style in report_lines(report):
        out.print(Text(text, style=RICH_STYLES.get(style, "")), soft_wrap=True)
