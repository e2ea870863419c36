"""The weekly report as GitHub-flavoured Markdown: headings, lists and pipe tables."""

from __future__ import annotations

import re
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

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def esc(text: object) -> str:
    """Inline text: Markdown's special characters escaped (| too, so it is safe in a table cell),
    line breaks folded into spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


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
    return table(UNIT_HEADERS, [unit_cells(u) for u in report.units], right=range(1, 7))


def _progress(report: WeeklyReport) -> list[str]:
    if not report.progress:
        return [esc(empty_text(report, "progress")), ""]
    out: list[str] = []
    for n, group in enumerate(report.progress, 1):
        out += [f"### ({cn_numeral(n)}){esc(group.unit)}", ""]
        rows = [[md_text(i.date), str(i.task), i.title, i.change, item_detail(i), i.by] for i in group.items]
        out += table(["日期", "序号", "任务", "变更", "情况说明", "登记人"], rows, right=(1,))
    return out


def _warnings(report: WeeklyReport) -> list[str]:
    if not report.warnings:
        return [esc(empty_text(report, "warnings")), ""]
    rows = [[r["signal_label"] + "灯", str(r["id"]), r["title"], r["lead_unit"], due_text(r), r["signal_reason"]]
            for r in report.warnings]
    return table(["信号", "序号", "任务", "牵头单位", "到期", "原因"], rows, right=(1,))


def _next(report: WeeklyReport) -> list[str]:
    nxt = report.period.next_word
    out = [f"### (一){nxt}到期任务({esc(report.next_period.span_text())})", ""]
    if report.due_next:
        rows = [[str(r["id"]), r["title"], "、".join(r["units"]), due_text(r), status_text(r)]
                for r in report.due_next]
        out += table(["序号", "任务", "责任单位", "到期", "状态"], rows, right=(0,))
    else:
        out += [esc(empty_text(report, "due_next")), ""]
    out += ["### (二)持续推进事项", ""]
    if report.ongoing:
        rows = [[str(r["id"]), r["title"], r["lead_unit"], status_text(r), note_text(r)] for r in report.ongoing]
        out += table(["序号", "任务", "牵头单位", "状态", "最近进展"], rows, right=(0,))
    else:
        out += [esc(empty_text(report, "ongoing")), ""]
    return out


def _notes(key: str) -> Callable[[WeeklyReport], list[str]]:
    def render(report: WeeklyReport) -> list[str]:
        items = report.notes.get(key) or []
        if not items:
            return [esc(empty_text(report, "notes")), ""]
        # The notes file is the user's own Markdown: kept as written.
        return [*(f"{n}. {item}" for n, item in enumerate(items, 1)), ""]

    return render


SECTIONS: dict[str, Callable[[WeeklyReport], list[str]]] = {
    "overview": _overview,
    "units": _units,
    "progress": _progress,
    "warnings": _warnings,
    "next": _next,
    "存在问题": _notes("存在问题"),
    "下一步工作": _notes("下一步工作"),
}


def report_markdown(report: WeeklyReport) -> str:
    out = [f"# {esc(report.heading)}", "", esc(" · ".join(meta_parts(report))), ""]
    if report.scope:
        out += [esc(scope_text(report)), ""]
    for key, heading in section_titles(report):
        out += [f"## {esc(heading)}", "", *SECTIONS[key](report)]
    out += ["---", "", esc(footer_text(report))]
    return "\n".join(out) + "\n"
