"""The end of a 公文 (render/docx_gongwen.py): the 附件说明 (GB/T 9704 §7.3.4), the 落款 without a seal
(§7.3.5.2), a section of its own for a 附件 (landscape when wide) and the 版记 (§7.4) at the foot of an even
last page, with python-docx's public API and ``docx.oxml`` elements.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gwgk_cli.render.docx_gongwen import (
    BOTTOM_MM,
    CHARS,
    LEFT_MM,
    MM_PER_PT,
    PAGE_H_MM,
    PAGE_NO_PT,
    PAGE_W_MM,
    PLAIN,
    RECORD,
    RIGHT_MM,
    TEXT_H_MM,
    TEXT_W_MM,
    TOP_MM,
    add_text,
    em_width,
    insert_before,
    new_el,
    para,
    qname,
)

if TYPE_CHECKING:
    from docx.document import Document


CHAR_MM = TEXT_W_MM / CHARS  # one character of the 28-character body line (5.57 mm)


def _keep_with_next(p: Any) -> None:
    p.get_or_add_pPr().keepNext_val = True


def keep_last_with_next(doc: Document) -> None:
    """The last paragraph of the body (every paragraph of a table's last row) stays on the page of what follows."""
    last = next(el for el in reversed(doc.element.body) if el.tag in (qname("w:p"), qname("w:tbl")))
    if last.tag == qname("w:p"):
        _keep_with_next(last)
        return
    row = last.findall(qname("w:tr"))[-1]
    for p in row.iter(qname("w:p")):
        _keep_with_next(p)


def attachment_note(doc: Document, names: Sequence[str]) -> None:
    """附件说明 (GB/T 9704 7.3.4): a blank line under the body, then 左空二字 “附件：” and the name, 3号仿宋, the
    name without 书名号 and without closing punctuation; several are numbered (附件：1．…); a long name runs
    on under its first character. Kept with the body before it and the 落款 after it."""
    from docx.shared import Mm

    keep_last_with_next(doc)
    para(doc, "", PLAIN).paragraph_format.keep_with_next = True
    for n, name in enumerate(names, 1):
        name = name.strip().strip("《》").rstrip("。.，,；;：:")
        number = f"{n}．" if len(names) > 1 else ""
        head = "附件：" if n == 1 else ""
        p = para(doc, f"{head}{number}{name}", PLAIN)
        fmt = p.paragraph_format
        hanging = em_width("附件：" + number)
        fmt.left_indent = Mm((2 + hanging) * CHAR_MM)
        fmt.first_line_indent = Mm(-(hanging - (0 if n == 1 else 3)) * CHAR_MM)
        fmt.keep_with_next = True
        fmt.keep_together = True


def signature(doc: Document, signer: str, date: str) -> None:
    """落款 of a document without a seal (GB/T 9704 7.3.5.2): a blank line under the body (or 附件说明), the
    署名 右空二字, the 成文日期 on the next line with its first character two characters right of the 署名's
    (so a ten-character 署名 puts the date 右空四字); a date that would then come closer than two characters
    to the edge is set 右空二字 and the 署名 moved in to keep the two characters. Kept together and with the
    last paragraph (or table row) of the body: never split from its date across pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    keep_last_with_next(doc)
    blank = para(doc, "", PLAIN)
    blank.paragraph_format.keep_with_next = True
    sign_w, date_w = em_width(signer), em_width(date)
    sign_right, date_right = 2.0, sign_w - date_w
    if date_right < 2:
        date_right, sign_right = 2.0, 4.0 + date_w - sign_w
    lines = [(signer, sign_right), (date, date_right)] if signer else [(date, 4.0)]
    for n, (text, right) in enumerate(lines):
        p = para(doc, text, PLAIN)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt = p.paragraph_format
        fmt.right_indent = Mm(right * CHAR_MM)
        fmt.keep_together = True
        fmt.keep_with_next = n < len(lines) - 1




def new_section(doc: Document, *, landscape: bool, even_page: bool = False) -> None:
    """A new section on a new page (an even one if asked): A4 portrait with the 公文 margins, or A4 landscape
    with the 版心 turned (156 mm high, 225 mm wide: top 28, bottom 26, left 35, right 37 mm, the portrait page
    turned a quarter to the left) and its page numbers where a portrait page has them (`turned_page_numbers`);
    the line grid carries on. The break is put in the paragraph before it (no empty line left
    behind that could make a page of its own), or in a paragraph of one point after a table."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm, Pt

    section = doc.add_section(WD_SECTION.EVEN_PAGE if even_page else WD_SECTION.NEW_PAGE)
    holder = doc.element.body[-2]  # the new paragraph holding the previous section's properties
    before = holder.getprevious()
    if before is not None and before.tag == qname("w:p") and before.find(f"{qname('w:pPr')}/{qname('w:sectPr')}") is None:
        before.get_or_add_pPr().append(holder.find(f"{qname('w:pPr')}/{qname('w:sectPr')}"))
        holder.getparent().remove(holder)
    else:
        ppr = holder.get_or_add_pPr()
        ppr.insert(0, new_el("w:pStyle", val=doc.styles[PLAIN].style_id))
        ppr.append(new_el("w:snapToGrid", val="0"))
        ppr.append(new_el("w:spacing", line=str(int(Pt(1).twips)), lineRule="exact"))
        ppr.append(ppr.find(qname("w:sectPr")))  # schema order: the section's properties come last
    if landscape:  # the portrait page turned a quarter left: its top is the left side (订口) of a portrait page
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_H_MM), Mm(PAGE_W_MM)
        section.top_margin, section.bottom_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.left_margin, section.right_margin = Mm(BOTTOM_MM), Mm(TOP_MM)
        turned_page_numbers(doc)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.footer_distance = Mm(BOTTOM_MM - 7 - PAGE_NO_PT * MM_PER_PT * 1.3)


def unnumbered(doc: Document) -> None:
    """The last section's pages carry no page number (GB/T 9704 7.5: 公文的版记页前有空白页的，空白页和版记页均
    不编排页码): its odd and even footers unlinked from the section before (“同前节” off) and left empty, as a clerk
    does in Word or WPS. The blank page an even-page section break inserts before it is the new section's (Word
    lays it out with that section's footer); LibreOffice prints it empty in any case. So the 版记 page is not
    numbered even when no blank page came before it (the generator cannot know where the pages fall)."""
    section = doc.sections[-1]
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False  # a footer of its own, one empty paragraph


WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
EMU_PER_MM = 36000
TURNED_NUMBER_MM = 32.0  # the text box's length: “— 100 —” in 四号


def turned_page_numbers(doc: Document) -> None:
    """The last (landscape) section's page numbers where the portrait pages have them (GB/T 9704 8: 表格横排时，
    页码位置与公文其他页码保持一致，单页码表头在订口一边，双页码表头在切口一边): the table's head is at the left
    side of the portrait sheet, so the portrait foot is the landscape page's left side. There, 7 mm outside the
    版心, a text box turned a quarter (text running down, ``vert``) holds “— PAGE —” in 四号 宋体: on odd pages
    one character in from the portrait right (the landscape foot), on even ones from the portrait left (the
    landscape head). The section's footers are its own; their paragraph holds the box, anchored to the page."""
    from docx.oxml import parse_xml
    from docx.text.paragraph import Paragraph

    from gwgk_cli.render.docx_gongwen import page_number

    section = doc.sections[-1]
    thick, length, em = PAGE_NO_PT * MM_PER_PT * 1.4, TURNED_NUMBER_MM, PAGE_NO_PT * MM_PER_PT
    x = BOTTOM_MM - 7 - thick  # the portrait foot: 7 mm under the 版心
    for n, (footer, odd) in enumerate(((section.footer, True), (section.even_page_footer, False)), 1):
        footer.is_linked_to_previous = False
        y = PAGE_W_MM - RIGHT_MM - em - length if odd else LEFT_MM + em
        size = f'cx="{round(thick * EMU_PER_MM)}" cy="{round(length * EMU_PER_MM)}"'
        drawing = parse_xml(
            f'<w:drawing xmlns:w="{W_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" xmlns:wps="{WPS}">'
            '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" '
            'locked="1" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="page"><wp:posOffset>{round(x * EMU_PER_MM)}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{round(y * EMU_PER_MM)}</wp:posOffset></wp:positionV>'
            f'<wp:extent {size}/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{9000 + n}" name="页码 {n}"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="{WPS}"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
            f'<a:xfrm><a:off x="0" y="0"/><a:ext {size}/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            '<a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent><w:p/></w:txbxContent></wps:txbx>'
            '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr">'
            '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>')
        footer.paragraphs[0].add_run().element.append(drawing)
        page_number(Paragraph(drawing.find(f".//{qname('w:p')}"), footer), odd=odd, indent=False)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


RECORD_PT = 14  # 4号
RECORD_LINE_PT = 22  # exact line height of the 版记
RECORD_PAD_PT = 4  # above and below the text of a 版记 row
THICK, THIN = "8", "6"  # border widths in eighths of a point: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm


def record_lines(label: str, names: str) -> str:
    """抄送：A，B，C。 — the names separated by 逗号 and closed by a 句号 (GB/T 9704 7.4.2)."""
    parts = [p.strip() for p in re.split("[，,、；;]", names.strip().rstrip("。.")) if p.strip()]
    return f"{label}：" + "，".join(parts) + "。"


def record(doc: Document, lines: Sequence[str], printer: str, printed: str) -> None:
    """版记 (GB/T 9704 7.4) on the last page, an even one (a new portrait section starting on an even page, its
    pages unnumbered: `unnumbered`), at its foot: the 抄送 (and 报送) lines and the 印发机关 with the 印发日期,
    4号仿宋, 左右各空一字, a name list running on under the first name; a thick line (0.35 mm) above the first and
    below the last, thin lines (0.25 mm) between. A table of one column across the 版心 with those borders, pushed to the bottom of the
    page by a paragraph of exact height (what every renderer honours, unlike a page's vertical alignment)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
    from docx.shared import Emu, Mm, Pt

    new_section(doc, landscape=False, even_page=True)
    unnumbered(doc)
    # no line grid on the 版记's page (no body text there): LibreOffice lays the spacer on the grid and pushed the
    # last rule 2 mm below the 版心 (GB/T 9704 7.4.1: it coincides with the 版心's lower edge)
    grid = doc.element.body.find(qname("w:sectPr")).find(qname("w:docGrid"))
    grid.getparent().remove(grid)
    rows = [*lines, f"{printer}\t{printed}印发"]
    em = RECORD_PT * MM_PER_PT
    usable = math.floor((TEXT_W_MM - 2 * em) / em)
    heights: list[float] = []
    for n, text in enumerate(rows):
        if n < len(lines):
            head, _, rest = text.partition("：")
            count = 1 + max(0, math.ceil((em_width(text) - usable) / max(1.0, usable - em_width(head + "："))))
        else:
            count = 1 if em_width(text) + 2 < usable else 2
        heights.append(count * RECORD_LINE_PT + 2 * RECORD_PAD_PT)
    spacer = para(doc, "", PLAIN)
    doc.element.body[-2].get_or_add_pPr().append(new_el("w:snapToGrid", val="0"))  # the spacer, off the line grid
    text_h_pt = TEXT_H_MM / MM_PER_PT
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacer.paragraph_format.line_spacing = Pt(max(1.0, text_h_pt - sum(heights) - 4))
    tbl = doc.add_table(rows=len(rows), cols=1)
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    tbl.columns[0].width = Mm(TEXT_W_MM)
    element = next(doc.element.body.iterchildren(qname("w:tbl"), reversed=True))
    tblpr = element.find(qname("w:tblPr"))
    borders = new_el("w:tblBorders")
    for side, size in (("top", THICK), ("left", ""), ("bottom", THICK), ("right", ""), ("insideH", THIN),
                       ("insideV", "")):
        borders.append(new_el(f"w:{side}", val="single", sz=size, space="0", color="000000") if size
                       else new_el(f"w:{side}", val="nil"))
    margins = new_el("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margins.append(new_el(f"w:{side}", w="0", type="dxa"))
    insert_before(tblpr, borders, "shd", "tblLayout", "tblCellMar", "tblLook")
    insert_before(tblpr, margins, "tblLook")
    for n, (row, text, height) in enumerate(zip(tbl.rows, rows, heights, strict=True)):
        row.height = Pt(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        cell = row.cells[0]
        cell.width = Mm(TEXT_W_MM)
        p = cell.paragraphs[0]
        p.style = RECORD
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(RECORD_LINE_PT)
        fmt.space_before = fmt.space_after = Pt(RECORD_PAD_PT)
        fmt.right_indent = Pt(RECORD_PT)
        if n < len(lines):
            head = text.partition("：")[0] + "："
            fmt.left_indent = Pt(RECORD_PT * (1 + em_width(head)))
            fmt.first_line_indent = Pt(-RECORD_PT * em_width(head))
        else:
            fmt.left_indent = Pt(RECORD_PT)
            fmt.tab_stops.add_tab_stop(Emu(Mm(TEXT_W_MM) - Pt(RECORD_PT)), WD_TAB_ALIGNMENT.RIGHT)
        add_text(p, text)
