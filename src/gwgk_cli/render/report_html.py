"""The weekly report as one self-contained HTML file, laid out to print on A4 portrait.

Inline CSS only: no scripts, no external fonts, images or links. Fonts are the usual Chinese office
faces installed on Windows, macOS and Linux (仿宋 for text, 黑体 for headings), falling back to the
generic families. Tables have fixed layouts that fit the page width, repeat their header on every
page and never split a row across pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from gwgk_cli.numerals import cn_numeral
from gwgk_cli.report import UnitRow, WeeklyReport
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
    units_text,
    urge_intro,
    urge_text,
    warning_cells,
)
from gwgk_cli.sanitize import clean_line

BODY_FONTS = ('"仿宋", "仿宋_GB2312", FangSong, FangSong_GB2312, STFangsong, "Songti SC", SimSun, "宋体", '
              '"Noto Serif CJK SC", "Source Han Serif SC", serif')
HEADING_FONTS = '"黑体", SimHei, "Heiti SC", STHeiti, "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
KAI_FONTS = '"楷体", "楷体_GB2312", KaiTi, KaiTi_GB2312, STKaiti, "Kaiti SC", ' + BODY_FONTS

CSS = f"""
@page {{
  size: A4 portrait;
  margin: 25mm 20mm 22mm 20mm;
  @bottom-center {{
    content: "第 " counter(page) " 页  共 " counter(pages) " 页";
    font-family: {BODY_FONTS};
    font-size: 9pt;
  }}
}}
html {{ background: #fff; }}
body {{
  margin: 0;
  color: #000;
  font-family: {BODY_FONTS};
  font-size: 12pt;
  line-height: 1.6;
  -webkit-print-color-adjust: exact;
  print-color-adjust: exact;
}}
@media screen {{
  html {{ background: #e8e8e8; }}
  body {{ width: 170mm; margin: 10mm auto; padding: 25mm 20mm; background: #fff; box-shadow: 0 0 3mm rgba(0, 0, 0, .25); }}
}}
h1, h2, th, .group td {{ font-family: {HEADING_FONTS}; }}
h1 {{ margin: 0; font-size: 20pt; font-weight: bold; line-height: 1.4; text-align: center; }}
.period {{ margin: 4pt 0 10pt; font-family: {KAI_FONTS}; font-size: 14pt; text-align: center; text-indent: 0; }}
.meta {{ display: flex; justify-content: space-between; margin: 0; font-size: 10.5pt; text-indent: 0; }}
.rule {{ margin: 3pt 0 6pt; border: 0; border-top: 2pt solid #c00000; }}
h2 {{ margin: 14pt 0 6pt; font-size: 14pt; font-weight: normal; break-after: avoid; page-break-after: avoid; }}
h3 {{ margin: 8pt 0 4pt; font-family: {KAI_FONTS}; font-size: 12pt; font-weight: bold;
      break-after: avoid; page-break-after: avoid; }}
p {{ margin: 0 0 4pt; text-indent: 2em; }}
ol {{ margin: 0 0 6pt; padding-left: 2.5em; }}
li {{ margin: 0 0 3pt; break-inside: avoid; page-break-inside: avoid; }}
table {{ width: 100%; margin: 4pt 0 10pt; table-layout: fixed; border-collapse: collapse;
         font-size: 10.5pt; line-height: 1.45; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
th, td {{ padding: 2pt 4pt; border: 0.75pt solid #000; vertical-align: middle;
          word-break: break-all; overflow-wrap: anywhere; }}
th {{ font-weight: normal; text-align: center; background: #efefef; }}
td.c {{ text-align: center; }}
.group td {{ background: #f6f6f6; }}
.bar {{ display: inline-block; width: 55%; height: 7pt; margin-right: 3pt; border: 0.75pt solid #000;
        vertical-align: middle; }}
.bar span {{ display: block; height: 100%; background: #555; }}
.red {{ color: #c00000; font-weight: bold; }}
.yellow {{ color: #9c6500; font-weight: bold; }}
.footer {{ margin-top: 14pt; padding-top: 4pt; border-top: 0.75pt solid #000; font-size: 9pt; text-indent: 0;
           color: #666; }}
.done {{ font-weight: bold; }}
.issue {{ margin: 0 0 6pt; text-align: center; text-indent: 0; }}
.sign {{ margin: 0; padding-right: 4em; text-align: right; text-indent: 0; }}
.to {{ margin: 8pt 0 4pt; text-indent: 0; }}
.annex {{ break-before: page; page-break-before: always; }}
.annex-mark {{ font-family: {HEADING_FONTS}; text-indent: 0; }}
.record {{ margin-top: 14pt; padding-top: 4pt; border-top: 0.75pt solid #000; text-indent: 0; }}
"""


def e(text: object) -> str:
    """Text from anywhere, safe in HTML: control characters made visible (sanitize), then escaped."""
    return escape(clean_line(str(text)), quote=True)


def table(headers: Sequence[str], widths: Sequence[int], rows: Sequence[str]) -> str:
    """A table with fixed column widths (percent) and a header that repeats on every page; rows are HTML."""
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "\n".join(rows)
    return f"<table>\n<colgroup>{cols}</colgroup>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def tr(cells: Sequence[str], centered: Sequence[int] = (), cls: str = "") -> str:
    """One row of already-escaped cells."""
    tds = "".join(f'<td class="c">{c}</td>' if i in centered else f"<td>{c}</td>" for i, c in enumerate(cells))
    return f'<tr class="{cls}">{tds}</tr>' if cls else f"<tr>{tds}</tr>"


def para(text: str) -> str:
    return f"<p>{e(text)}</p>"


def _overview(report: WeeklyReport) -> str:
    headers, rows = status_table(report)
    body = [tr([e(c) for c in row], centered=(0, 1, 2, 3)) for row in rows]
    return "\n".join([*(para(s) for s in summary_lines(report)), table(headers, [25, 25, 25, 25], body)])


def bar(row: UnitRow) -> str:
    return f'<span class="bar"><span style="width:{row.rate}%"></span></span>{row.rate}%'


def _units(report: WeeklyReport) -> str:
    if not report.units:
        return para(empty_text(report, "units"))
    rows = []
    for u in report.units:
        name = e(u.name) + ("（集体）" if u.collective else "")
        counts = [u.lead, u.total, u.done, u.doing, u.blocked, u.overdue]
        cells = [name, *(str(n) for n in counts[:-1]), f'<span class="red">{u.overdue}</span>' if u.overdue else "0",
                 bar(u)]
        rows.append(tr(cells, centered=range(1, 7)))
    return para(UNIT_PROGRESS_RULE) + "\n" + table(UNIT_HEADERS, [24, 7, 7, 9, 9, 7, 7, 30], rows)


def _progress(report: WeeklyReport) -> str:
    if not report.progress:
        return para(empty_text(report, "progress"))
    out = []
    for n, group in enumerate(report.progress, 1):
        out.append(f"<h3>（{cn_numeral(n)}）{e(group.unit)}</h3>")
        for item in group.items:
            cls = {"done": ' class="done"', "block": ' class="red"'}.get(item.kind, "")
            out.append(f"<p{cls}>{e(item_text(item))}</p>")
    return "\n".join(out)


def _warnings(report: WeeklyReport) -> str:
    out = []
    if report.warnings:
        rows = []
        for r in report.warnings:
            cells = [e(c) for c in warning_cells(r, document_year(report))]
            cells[0] = f'<span class="{r["signal"]}">● {cells[0]}</span>'
            rows.append(tr(cells, centered=(0, 1, 4, 5, 6)))
        out.append(table(WARNING_HEADERS, [8, 6, 20, 14, 10, 9, 7, 26], rows))
    else:
        out.append(para(empty_text(report, "warnings")))
    if report.stale:
        rows = [tr([e(c) for c in stale_cells(r, document_year(report))], centered=(0, 3, 4)) for r in report.stale]
        out += [para(stale_intro(report)), table(STALE_HEADERS, [7, 24, 17, 10, 14, 28], rows)]
    return "\n".join(out)


def _urge(report: WeeklyReport) -> str:
    return "\n".join([para(urge_intro(report)), *(para(urge_text(r)) for r in report.urge)])


def _next(report: WeeklyReport) -> str:
    nxt = report.period.next_word
    out = [f"<h3>（一）{nxt}到期任务（{e(report.next_period.span_text())}）</h3>"]
    if report.due_next:
        rows = [tr([str(r["id"]), e(r["title"]), e(units_text(r)), e(due_text(r, document_year(report))), e(status_text(r))],
                   centered=(0, 3, 4)) for r in report.due_next]
        out.append(table(["序号", "任务", "责任单位", "完成时限", "状态"], [7, 31, 36, 11, 15], rows))
    else:
        out.append(para(empty_text(report, "due_next")))
    out.append("<h3>（二）持续推进事项</h3>")
    if report.ongoing:
        rows = [tr([str(r["id"]), e(r["title"]), e(r["lead_unit"]), e(status_text(r)), e(note_text(r, document_year(report)))],
                   centered=(0, 3)) for r in report.ongoing]
        out.append(table(["序号", "任务", "牵头单位", "状态", "最近进展"], [7, 25, 18, 12, 38], rows))
    else:
        out.append(para(empty_text(report, "ongoing")))
    return "\n".join(out)


def _notes(key: str) -> Callable[[WeeklyReport], str]:
    def render(report: WeeklyReport) -> str:
        items = report.notes.get(key) or []
        if not items:
            return para(empty_text(report, "notes"))
        return "<ol>\n" + "\n".join(f"<li>{e(item)}</li>" for item in items) + "\n</ol>"

    return render


SECTIONS: dict[str, Callable[[WeeklyReport], str]] = {
    "overview": _overview,
    "units": _units,
    "progress": _progress,
    "warnings": _warnings,
    "urge": _urge,
    "next": _next,
    **{key: _notes(key) for key in ("存在问题", "下一步工作", "下一步工作打算", "意见建议")},
}


def report_html(report: WeeklyReport) -> str:
    meta = "".join(f"<span>{e(part)}</span>" for part in meta_parts(report))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(report.heading)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        *([f'<p class="issue">{e(issue_text(report))}</p>'] if issue_text(report) else []),
        f"<h1>{'<br>'.join(e(line) for line in report.title_lines)}</h1>",
        f'<p class="period">（{e(report.period.label())}）</p>',
        f'<p class="meta">{meta}</p>',
        '<hr class="rule">',
    ]
    if report.scope:
        parts.append(f'<p class="meta">{e(scope_text(report))}</p>')
    for key, heading in section_titles(report):
        parts += [f"<h2>{e(heading)}</h2>", SECTIONS[key](report)]
    parts += [f'<p class="sign">{e(line)}</p>' for line in signature_lines(report)]
    if report.annex:
        rows = [tr([e(c) for c in annex_cells(r, document_year(report))], centered=(0, 3, 5, 6)) for r in report.annex]
        parts += ['<section class="annex">', '<p class="annex-mark">附件</p>',
                  "<h1>重点任务推进情况台账</h1>", f'<p class="period">（{e(date_text(report.as_of))}）</p>',
                  table(ANNEX_HEADERS, [6, 18, 20, 10, 28, 8, 10], rows), "</section>"]
    lines = office_lines(report)
    if lines:
        parts.append('<p class="record">' + "<br>".join(e(line) for line in lines) + "</p>")
    parts += [f'<p class="footer">{e(footer_text(report))}</p>', "</body>", "</html>"]
    return "\n".join(parts) + "\n"
