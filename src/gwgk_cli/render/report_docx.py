"""The weekly report as a Word document (.docx) in 公文 form (GB/T 9704-2012): the same content as the
text, Markdown and HTML reports, laid out with render/docx_gongwen.py.

Order: 期号, title, period, the numbered sections, the 落款 (unit and date), then the 附件 (the full 台账)
on its own page, and the 版记 (报送/抄送) at the very end. No software credit line. Every text from
users or files passes `sanitize.print_line` (bidi marks removed) (one paragraph or cell each).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gwgk_cli.numerals import cn_numeral
from gwgk_cli.render import docx_closing as gc
from gwgk_cli.render import docx_gongwen as g
from gwgk_cli.render import docx_table as gt
from gwgk_cli.render.xlsx_ledger import FILLS
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
from gwgk_cli.sanitize import print_line

if TYPE_CHECKING:
    from docx.document import Document

Cells = list[list[str]]

# 红灯 and 黄灯 cells (the 预警 table's 信号, the 附件's 状态/信号) in the xlsx 台账's light fills: pale red and pale
# yellow on screen, light grey on a black-and-white printer, the black text readable on both; other cells plain.
SIGNAL_FILLS = {signal: FILLS[signal] for signal in ("red", "yellow")}


def signal_fills(recs: Sequence[Mapping[str, Any]], column: int) -> dict[tuple[int, int], str]:
    """(row, column) -> fill for the red and yellow tasks among `recs` (a table's rows, in order)."""
    return {(r, column): SIGNAL_FILLS[str(rec["signal"])] for r, rec in enumerate(recs)
            if rec["signal"] in SIGNAL_FILLS}


def _clean(rows: Cells) -> Cells:
    return [[print_line(c) for c in row] for row in rows]


def _overview(doc: Document, report: WeeklyReport) -> None:
    for line in summary_lines(report):
        g.para(doc, print_line(line))
    headers, rows = status_table(report)
    gt.table(doc, headers, rows, centered=(0, 1, 2, 3), widths_mm=[g.TEXT_W_MM / 4] * 4)


def _units(doc: Document, report: WeeklyReport) -> None:
    if not report.units:
        g.para(doc, empty_text(report, "units"))
        return
    g.para(doc, UNIT_PROGRESS_RULE)
    gt.table(doc, UNIT_HEADERS, _clean([unit_cells(u) for u in report.units]), centered=range(1, 7), small=True)


def _progress(doc: Document, report: WeeklyReport) -> None:
    if not report.progress:
        g.para(doc, empty_text(report, "progress"))
        return
    for n, group in enumerate(report.progress, 1):
        g.para(doc, f"（{cn_numeral(n)}）{print_line(group.unit)}", g.H2)
        for item in group.items:
            g.para(doc, print_line(item_text(item)))


def _warnings(doc: Document, report: WeeklyReport) -> None:
    if report.warnings:
        gt.table(doc, WARNING_HEADERS, _clean([warning_cells(r, document_year(report)) for r in report.warnings]),
                 centered=(0, 1, 4, 5, 6), small=True,
                 fills=signal_fills(report.warnings, WARNING_HEADERS.index("信号")))
    else:
        g.para(doc, empty_text(report, "warnings"))
    if report.stale:
        g.para(doc, stale_intro(report))
        gt.table(doc, STALE_HEADERS, _clean([stale_cells(r, document_year(report)) for r in report.stale]),
                centered=(0, 3, 4), small=True)


def _urge(doc: Document, report: WeeklyReport) -> None:
    g.para(doc, urge_intro(report))
    for row in report.urge:
        g.para(doc, print_line(urge_text(row)))


def _next(doc: Document, report: WeeklyReport) -> None:
    nxt = report.period.next_word
    g.para(doc, f"（一）{nxt}到期任务（{report.next_period.span_text()}）", g.H2)
    if report.due_next:
        rows = [[str(r["id"]), r["title"], units_text(r), due_text(r, document_year(report)), status_text(r)]
                for r in report.due_next]
        gt.table(doc, ["序号", "任务", "责任单位", "完成时限", "状态"], _clean(rows), centered=(0, 3, 4))
    else:
        g.para(doc, empty_text(report, "due_next"))
    g.para(doc, "（二）持续推进事项", g.H2)
    if report.ongoing:
        rows = [[str(r["id"]), r["title"], r["lead_unit"], status_text(r), note_text(r, document_year(report))]
                for r in report.ongoing]
        gt.table(doc, ["序号", "任务", "牵头单位", "状态", "最近进展"], _clean(rows), centered=(0, 3))
    else:
        g.para(doc, empty_text(report, "ongoing"))


def _notes(key: str) -> Callable[[Document, WeeklyReport], None]:
    def render(doc: Document, report: WeeklyReport) -> None:
        items = report.notes.get(key) or []
        if not items:
            g.para(doc, empty_text(report, "notes"))
        for n, item in enumerate(items, 1):
            g.para(doc, f"{n}．{print_line(item)}")

    return render


SECTIONS: dict[str, Callable[[Document, WeeklyReport], None]] = {
    "overview": _overview,
    "units": _units,
    "progress": _progress,
    "warnings": _warnings,
    "urge": _urge,
    "next": _next,
    "存在问题": _notes("存在问题"),
    "下一步工作": _notes("下一步工作"),
    "下一步工作打算": _notes("下一步工作打算"),
    "意见建议": _notes("意见建议"),
}


ANNEX_TITLE = "重点任务推进情况台账"


def _signature(doc: Document, report: WeeklyReport) -> None:
    """附件说明 when the 附件 follows, then the 落款 (署名 and 成文日期, no seal: render/docx_gongwen.signature)."""
    if report.annex:
        gc.attachment_note(doc, [ANNEX_TITLE])
    lines = [print_line(line) for line in signature_lines(report)]
    gc.signature(doc, lines[0] if len(lines) > 1 else "", lines[-1])


def _annex(doc: Document, report: WeeklyReport) -> None:
    """The 附件 on its own pages, A4 landscape (the 版心 turned): the 台账's long 进展情况 gets the width."""
    gc.new_section(doc, landscape=True)
    g.para(doc, "附件", g.MARK)  # 黑体, top left (GB/T 9704 8.1)
    g.para(doc, "", g.PLAIN)
    g.para(doc, ANNEX_TITLE, g.TITLE)
    g.para(doc, f"（{date_text(report.as_of)}）", g.SUBTITLE)
    gt.table(doc, ANNEX_HEADERS, _clean([annex_cells(r, document_year(report)) for r in report.annex]),
             centered=(0, 3, 5, 6), small=True, total_mm=g.LANDSCAPE_TEXT_W_MM, text_h_mm=g.LANDSCAPE_TEXT_H_MM,
             fills=signal_fills(report.annex, ANNEX_HEADERS.index("状态/信号")))


def _record(doc: Document, report: WeeklyReport) -> None:
    """版记 (GB/T 9704 7.4): 报送/抄送 lines (names closed by 句号) and the 印发机关 with the 印发日期, at the foot
    of the last (even) page."""
    form = report.office
    lines = [*([gc.record_lines("报送", print_line(form.send_to))] if form.send_to else []),
             *([gc.record_lines("抄送", print_line(form.copy_to))] if form.copy_to else [])]
    if not lines:
        return
    gc.record(doc, lines, print_line(report.signer), date_text(report.sign_date))


def report_docx(report: WeeklyReport) -> bytes:
    doc = g.new_document()
    issue = issue_text(report)
    if issue:
        g.para(doc, issue, g.SUBTITLE)
    for line in g.title_lines(print_line(report.title), print_line(report.issuer)):
        g.para(doc, line, g.TITLE)
    g.para(doc, f"（{report.period.label()}）", g.SUBTITLE)
    g.para(doc, "　".join(print_line(part) for part in meta_parts(report)), g.SUBTITLE)
    g.para(doc, "", g.PLAIN)
    if report.scope:  # a sentence of the body, not a centred line wrapping into two (found by a reader)
        g.para(doc, print_line(scope_text(report)) + "。", g.BODY)
    for key, heading in section_titles(report):
        g.para(doc, heading, g.H1)
        SECTIONS[key](doc, report)
    _signature(doc, report)
    if report.annex:
        _annex(doc, report)
    _record(doc, report)
    gt.finish_tables(doc)
    g.set_properties(doc, title=print_line(report.heading), author=print_line(report.signer or report.by),
                     subject="周报" if report.period.iso_week else "报告", when=report.as_of)
    return g.to_bytes(doc)
