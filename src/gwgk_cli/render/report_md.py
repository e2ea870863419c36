"""The weekly report as GitHub-flavoured Markdown: headings, lists and pipe tables."""

from __future__ import annotations

import re
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
    footer_text,
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

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def esc(text: object) -> str:
    """Inline text: Markdown's special characters escaped (| too, so it is safe in a table cell),
    line breaks folded into spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(clean_line(str(text)).split()))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """A pipe table; every row has exactly as many cells as the header."""
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(esc(c) or " " for c in cells) + " |"

    align = ["---:" if i in right else "---" for i in range(len(headers))]
    return [line(headers), "| " + " | ".join(align) + " |", *(line(r) for r in rows), ""]


def _overview(report: WeeklyReport) -> list[str]:
    headers, rows = status_table(report)
    return [*(f"- {esc(s)}" for s in summary_lines(report)), "", *table(headers, rows, right=(1, 2, 3))]


def _units(report: WeeklyReport) -> list[str]:
    if not report.units:
        return [esc(empty_text(report, "units")), ""]
    return [esc(UNIT_PROGRESS_RULE), "", *table(UNIT_HEADERS, [unit_cells(u) for u in report.units], right=range(1, 7))]


def _progress(report: WeeklyReport) -> list[str]:
    if not report.progress:
        return [esc(empty_text(report, "progress")), ""]
    out: list[str] = []
    for n, group in enumerate(report.progress, 1):
        out += [f"### （{cn_numeral(n)}）{esc(group.unit)}", ""]
        out += [*(f"- {esc(item_text(item))}" for item in group.items), ""]
    return out


def _warnings(report: WeeklyReport) -> list[str]:
    out = (table(WARNING_HEADERS, [warning_cells(r, document_year(report)) for r in report.warnings], right=(1,)) if report.warnings
           else [esc(empty_text(report, "warnings")), ""])
    if report.stale:
        out += [esc(stale_intro(report)), "", *table(STALE_HEADERS, [stale_cells(r, document_year(report)) for r in report.stale], right=(0,))]
    return out


def _urge(report: WeeklyReport) -> list[str]:
    return [esc(urge_intro(report)), "", *(f"- {esc(urge_text(r))}" for r in report.urge), ""]


def _next(report: WeeklyReport) -> list[str]:
    nxt = report.period.next_word
    out = [f"### （一）{nxt}到期任务（{esc(report.next_period.span_text())}）", ""]
    if report.due_next:
        rows = [[str(r["id"]), r["title"], units_text(r), due_text(r, document_year(report)), status_text(r)] for r in report.due_next]
        out += table(["序号", "任务", "责任单位", "完成时限", "状态"], rows, right=(0,))
    else:
        out += [esc(empty_text(report, "due_next")), ""]
    out += ["### （二）持续推进事项", ""]
    if report.ongoing:
        rows = [[str(r["id"]), r["title"], r["lead_unit"], status_text(r), note_text(r, document_year(report))] for r in report.ongoing]
        out += table(["序号", "任务", "牵头单位", "状态", "最近进展"], rows, right=(0,))
    else:
        out += [esc(empty_text(report, "ongoing")), ""]
    return out


def _notes(key: str) -> Callable[[WeeklyReport], list[str]]:
    def render(report: WeeklyReport) -> list[str]:
        items = report.notes.get(key) or []
        if not items:
            return [esc(empty_text(report, "notes")), ""]
        # The notes file is the user's own Markdown: kept as written, control characters escaped.
        return [*(f"{n}. {clean_line(item)}" for n, item in enumerate(items, 1)), ""]

    return render


SECTIONS: dict[str, Callable[[WeeklyReport], list[str]]] = {
    "overview": _overview,
    "units": _units,
    "progress": _progress,
    "warnings": _warnings,
    "urge": _urge,
    "next": _next,
    **{key: _notes(key) for key in ("存在问题", "下一步工作", "下一步工作打算", "意见建议")},
}


def report_markdown(report: WeeklyReport) -> str:
    issue = issue_text(report)
    out = [*([esc(issue), ""] if issue else []), f"# {esc(report.heading)}", "", esc("　".join(meta_parts(report))), ""]
    if report.scope:
        out += [esc(scope_text(report)), ""]
    for key, heading in section_titles(report):
        out += [f"## {esc(heading)}", "", *SECTIONS[key](report)]
    out += [*(f"<p align=\"right\">{esc(line)}</p>" for line in signature_lines(report)), ""]
    if report.annex:
        out += ["## 附件：重点任务推进情况台账", "", esc(f"（{date_text(report.as_of)}）"), "",
                *table(ANNEX_HEADERS, [annex_cells(r, document_year(report)) for r in report.annex], right=(0,))]
    lines = office_lines(report)
    if lines:
        out += ["---", "", *(f"{esc(line)}  " for line in lines), ""]
    out += ["---", "", f"*{esc(footer_text(report))}*"]
    return "\n".join(out) + "\n"
