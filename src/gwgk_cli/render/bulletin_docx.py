"""The 通报 as a Word document in 公文 form (render/docx_gongwen.py: A4, 仿宋 三号, 黑体 headings, page
numbers “— 1 —”), deterministic like the weekly report. Every text from users or files passes clean_line."""

from __future__ import annotations

from gwgk_cli.bulletin import (
    NUMERIC_FROM,
    OVERDUE_HEADERS,
    Bulletin,
    cells,
    headers,
    overdue_cells,
    rule_lines,
    score_line,
    section_titles,
    signature_lines,
    subtitle,
    summary_lines,
)
from gwgk_cli.render import docx_gongwen as g
from gwgk_cli.sanitize import clean_line

# Millimetres per column: the figures as narrow as their header (wrapped) allows, an ISO date and a
# percentage on one line at 10.5 pt; 单位 takes what is left of the 156 mm text width.
WIDTHS = {"排名": 8, "任务": 8, "按时完成": 10, "逾期完成": 10, "逾期未完成": 10, "待审核": 8, "延期（批准/未批准）": 12,
          "退回": 8, "平均逾期天数": 11, "最近更新": 24, "按时完成率": 16, "得分": 10}


def _widths(heads: list[str]) -> list[float]:
    fixed = sum(WIDTHS.get(h, 0) for h in heads)
    return [WIDTHS.get(h, g.TEXT_W_MM - fixed) for h in heads]


def bulletin_docx(b: Bulletin) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = g.new_document()
    g.para(doc, clean_line(b.title), g.TITLE)
    g.para(doc, subtitle(b), g.SUBTITLE)
    g.para(doc, "", g.PLAIN)
    heads = headers(b)
    for key, heading in section_titles(b):
        g.para(doc, heading, g.H1)
        if key == "overview":
            for line in summary_lines(b):
                g.para(doc, line)
        elif key == "units":
            for line in rule_lines(b):
                g.para(doc, line)
            if b.units:
                rows = [[clean_line(c) for c in cells(b, s)] for s in [*b.units, b.total]]
                g.table(doc, heads, _widths(heads), rows, centered=[0, *range(NUMERIC_FROM, len(heads))], small=True)
            else:
                g.para(doc, "无。")
        elif key == "overdue":
            if b.overdue:
                rows = [[clean_line(c) for c in overdue_cells(o)] for o in b.overdue]
                g.table(doc, OVERDUE_HEADERS, [11, 50, 30, 30, 17, 18], rows, centered=(0, 3, 4, 5), small=True)
            else:
                g.para(doc, "无逾期未完成任务。")
        else:
            g.para(doc, score_line(b))
    g.para(doc, "", g.PLAIN)
    for line in signature_lines(b):
        p = g.para(doc, clean_line(line), g.PLAIN)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(4 * g.BODY_PT)
    g.finish_tables(doc)
    g.set_properties(doc, title=clean_line(b.title), author=clean_line(b.issuer or "gwgk"), subject="通报", when=b.as_of)
    return g.to_bytes(doc)
