"""The 通报 as a Word document in 公文 form (render/docx_gongwen.py: A4, 仿宋 三号, 黑体 headings, page
numbers “— 1 —”), deterministic like the weekly report. Every text from users or files passes print_line (bidi marks removed)."""

from __future__ import annotations

from gwgk_cli.bulletin import (
    NUMERIC_FROM,
    OVERDUE_HEADERS,
    Bulletin,
    Standing,
    addressee_line,
    cells,
    headers,
    note_lines,
    overdue_cells,
    score_line,
    section_titles,
    signature_lines,
    subtitle,
    summary_lines,
)
from gwgk_cli.render import docx_closing as gc
from gwgk_cli.render import docx_gongwen as g
from gwgk_cli.render import docx_table as gt
from gwgk_cli.report_period import day_text
from gwgk_cli.sanitize import print_line

LAST_UPDATE = "最近更新"


def _dates(b: Bulletin, row: list[str], s: Standing, heads: list[str]) -> list[str]:
    """最近更新 in 公文 form: 1月5日 in the 通报's year, 2021年11月5日 in another."""
    if LAST_UPDATE in heads and s.last_update:
        row[heads.index(LAST_UPDATE)] = day_text(s.last_update, b.as_of.year)
    return row


def bulletin_docx(b: Bulletin) -> bytes:
    doc = g.new_document()
    for line in g.title_lines(print_line(b.title), print_line(b.issuer)):
        g.para(doc, line, g.TITLE)
    g.centered(doc, subtitle(b))
    g.para(doc, "", g.PLAIN)
    if (to := addressee_line(b)) is not None:  # 主送: flush left under the title
        g.para(doc, print_line(to), g.PLAIN)
    heads = headers(b)
    for key, heading in section_titles(b):
        g.para(doc, heading, g.H1)
        if key == "overview":
            for line in summary_lines(b):
                g.para(doc, line)
        elif key == "units":  # the ranking first, how it is counted under it (found by a reader)
            if b.units:
                rows = [[print_line(c) for c in _dates(b, cells(b, s), s, heads)] for s in [*b.units, b.total]]
                gt.table(doc, heads, rows, centered=[0, *range(NUMERIC_FROM, len(heads))], small=True)
            else:
                g.para(doc, "无。")
            for line in note_lines(b):
                g.para(doc, line)
        elif key == "overdue":
            if b.overdue:
                rows = [[print_line(c) for c in overdue_cells(o, lambda d: day_text(d, b.as_of.year))]
                        for o in b.overdue]
                gt.table(doc, OVERDUE_HEADERS, rows, centered=(0, 3, 4, 5), small=True)
            else:
                g.para(doc, "无逾期未完成任务。")
        else:
            g.para(doc, score_line(b))
    lines = [print_line(line) for line in signature_lines(b)]
    gc.signature(doc, lines[0] if len(lines) > 1 else "", lines[-1])
    gt.finish_tables(doc)
    g.set_properties(doc, title=print_line(b.title), author=print_line(b.issuer or "gwgk"), subject="通报", when=b.as_of)
    return g.to_bytes(doc)
