"""A Word document laid out as a 公文 (GB/T 9704-2012), with python-docx; nothing here knows the report.

What a generated file can follow of the standard:

- A4; margins top 37 mm, left 28 mm, bottom 35 mm, right 26 mm; a document grid of 22 lines of 28
  characters (``w:docGrid`` lines: 225 mm / 22 = 579 twips a line; 156 mm / 28 a character by condensed spacing).
- Styles, so a clerk who edits the document keeps the layout: the title in 方正小标宋简体 二号 (22 pt)
  centred, the body in 仿宋_GB2312 三号 (16 pt) with a first-line indent of two characters, first-level
  headings (一、) in 黑体, second-level ones ((一)) in 楷体_GB2312, tables in 仿宋 小四/五号 off the grid.
- Every font is named for East Asian text (``w:eastAsia``), not only the Latin name, or Word and WPS
  set Chinese in the theme's font. The font table names each 公文 font's usual stand-in (``w:altName``:
  仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体 …) with its family (roman for 宋/仿宋/楷, swiss for 黑体),
  so a PC without the 公文 fonts uses the Windows ones, and LibreOffice elsewhere a serif CJK face
  (Noto Serif CJK, FandolFang).
- Page numbers “— 1 —” in 四号 宋体 half-width digits, a real PAGE field, odd pages on the right and even
  pages on the left, one character in from the edge (``w:evenAndOddHeaders``).
- Tables repeat their header row on every page (``w:tblHeader``) and keep a row whole (``w:cantSplit``)
  unless it is taller than half the 版心; column widths come from the content (column_widths).
- The 落款 without a seal (7.3.5.2), the 附件说明 (7.3.4), the 版记 (7.4) at the foot of an even last page,
  a landscape section for a wide 附件 (new_section), titles broken at words (title_lines), curly quotes in
  the Chinese face (add_text).
- Deterministic: the core properties are fixed by the caller (no creation time of the run), and the zip
  is rewritten with fixed timestamps, so the same inputs give byte-identical files.

python-docx has no API for East Asian fonts, the document grid, fields, header-row repeat or
odd/even footers: those are set on the public ``element`` of styles, runs, the settings and the
document body with ``docx.oxml`` (``OxmlElement``, ``qn``).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

PAGE_W_MM, PAGE_H_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
LINES, CHARS = 22, 28
BODY_PT, TITLE_PT, PAGE_NO_PT, TABLE_PT, TABLE_SMALL_PT = 16, 22, 14, 12, 10.5
TEXT_W_MM = PAGE_W_MM - LEFT_MM - RIGHT_MM  # 156
MM_PER_PT = 25.4 / 72
TWIPS_PER_MM = 1440 / 25.4
LINE_PITCH = int((PAGE_H_MM - TOP_MM - BOTTOM_MM) * TWIPS_PER_MM / LINES)  # 579 twips = 28.95 pt
# 28 characters of 三号 to a 156 mm line: each is condensed by a quarter point (w:spacing, in 1/20 pt),
# which every renderer honours. A character grid (w:docGrid linesAndChars with a negative charSpace)
# would say the same to Word, but LibreOffice then gives each 16 pt character two 15.8 pt cells and
# prints 16 characters a line; so the grid fixes the 22 lines and the spacing the 28 characters.
CHAR_SPACING = math.floor((TEXT_W_MM / MM_PER_PT / CHARS - BODY_PT) * 20)  # -5 = -0.25 pt
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Face:
    """One 公文 font: the name Word/WPS look for, its stand-in and family for the font table."""

    name: str
    alt: str
    family: str  # roman (serif) | modern (sans) — what a substitution looks for
    panose: str


FANGSONG = Face("仿宋_GB2312", "仿宋", "roman", "02010609030101010101")
XIAOBIAOSONG = Face("方正小标宋简体", "宋体", "roman", "02000000000000000000")
HEITI = Face("黑体", "SimHei", "swiss", "02010609060101010101")
KAITI = Face("楷体_GB2312", "楷体", "roman", "02010609030101010101")
SONGTI = Face("宋体", "SimSun", "roman", "02010600030101010101")
STANDINS = (Face("仿宋", "FangSong", "roman", "02010609060101010101"),
            Face("楷体", "KaiTi", "roman", "02010609060101010101"))
LATIN = "Times New Roman"
FACES = (FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI, *STANDINS)

# Paragraph styles: (name, face, size, bold, alignment, first-line indent in pt, outline level, on grid)
TITLE, SUBTITLE, BODY, H1, H2, TABLE_TEXT, TABLE_HEAD, PAGE_NO, PLAIN, MARK, RECORD = (
    "公文标题", "公文副标题", "公文正文", "公文一级标题", "公文二级标题", "公文表格", "公文表头", "公文页码", "公文无缩进",
    "公文附件标记", "公文版记")
STYLES: tuple[tuple[str, Face, float, bool, str, float, int | None, bool], ...] = (
    (TITLE, XIAOBIAOSONG, TITLE_PT, False, "center", 0, 0, False),
    (SUBTITLE, KAITI, BODY_PT, False, "center", 0, None, True),
    (BODY, FANGSONG, BODY_PT, False, "justify", 2 * BODY_PT, None, True),
    (PLAIN, FANGSONG, BODY_PT, False, "left", 0, None, True),
    (MARK, HEITI, BODY_PT, False, "left", 0, None, True),
    (H1, HEITI, BODY_PT, False, "left", 2 * BODY_PT, 1, True),
    (H2, KAITI, BODY_PT, False, "left", 2 * BODY_PT, 2, True),
    (TABLE_TEXT, FANGSONG, TABLE_PT, False, "left", 0, None, False),
    (TABLE_HEAD, HEITI, TABLE_PT, False, "center", 0, None, False),
    (PAGE_NO, SONGTI, PAGE_NO_PT, False, "right", 0, None, False),
    (RECORD, FANGSONG, 14, False, "left", 0, None, False),
)


def new_document() -> Document:
    """An empty A4 公文 document: page, grid, styles, odd/even page numbers."""
    import docx
    from docx.shared import Mm

    doc = docx.Document()
    _prune_styles(doc)
    _defaults(doc)
    for spec in STYLES:
        _paragraph_style(doc, *spec)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance = Mm(15)
    # The number's line sits about 7 mm below the text block (GB/T 9704 7.5).
    section.footer_distance = Mm(BOTTOM_MM - 7 - PAGE_NO_PT * MM_PER_PT * 1.3)
    _grid(doc.element.body.find(_qn("w:sectPr")))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)
    return doc


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement(tag, {_qn(f"w:{k}"): v for k, v in attrs.items()})


def _set_fonts(rpr: Any, face: Face, latin: str = LATIN) -> None:
    """ascii/hAnsi Latin, eastAsia the 公文 face; theme fonts removed so they cannot win."""
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", face.name), ("cs", latin)):
        fonts.set(_qn(f"w:{attr}"), value)
    fonts.set(_qn("w:hint"), "eastAsia")


# The template's styles a 公文 keeps; its English Heading/Title/List/shading styles (theme fonts and colours)
# are dropped, so the style list a clerk sees holds the 公文 styles (and setting a style stays fast).
KEEP_STYLES = {"Normal", "Header", "HeaderChar", "Footer", "FooterChar", "DefaultParagraphFont", "TableNormal",
               "NoList", "TableGrid"}


def _prune_styles(doc: Document) -> None:
    root = doc.styles.element
    for style in root.findall(_qn("w:style")):
        if style.get(_qn("w:styleId")) not in KEEP_STYLES:
            root.remove(style)


def _defaults(doc: Document) -> None:
    """docDefaults: 仿宋 16 pt, Chinese language, no space after paragraphs, single lines on the grid."""
    root = doc.styles.element
    rpr = root.find(f"{_qn('w:docDefaults')}/{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
    _set_fonts(rpr, FANGSONG)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(_qn(tag)).set(_qn("w:val"), str(BODY_PT * 2))
    lang = rpr.find(_qn("w:lang"))
    lang.set(_qn("w:val"), "en-US")
    lang.set(_qn("w:eastAsia"), "zh-CN")
    ppr = root.find(f"{_qn('w:docDefaults')}/{_qn('w:pPrDefault')}/{_qn('w:pPr')}")
    spacing = ppr.find(_qn("w:spacing"))
    for key in list(spacing.attrib):
        del spacing.attrib[key]
    spacing.set(_qn("w:after"), "0")
    spacing.set(_qn("w:line"), "240")
    spacing.set(_qn("w:lineRule"), "auto")
    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), FANGSONG)


def _paragraph_style(doc: Document, name: str, face: Face, size: float, bold: bool, align: str, indent: float,
                     outline: int | None, on_grid: bool) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    style: Any = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, face, latin=face.name if face is SONGTI else LATIN)
    if on_grid and size == BODY_PT:
        spacing = _el("w:spacing", val=str(CHAR_SPACING))
        size_el = rpr.find(_qn("w:sz"))  # schema order: w:spacing comes before w:sz
        if size_el is not None:
            size_el.addprevious(spacing)
        else:
            rpr.append(spacing)
    fmt = style.paragraph_format
    fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                     "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    fmt.first_line_indent = Pt(indent) if indent else None
    fmt.space_before = fmt.space_after = Pt(0)
    ppr = style.element.get_or_add_pPr()
    if outline is not None:
        ppr.append(_el("w:outlineLvl", val=str(outline)))
    if outline is not None or name == SUBTITLE:
        fmt.keep_with_next = True
    if not on_grid:  # the title and tables: off the character grid (a 22 pt character would take two cells)
        ppr.append(_el("w:snapToGrid", val="0"))
        fmt.line_spacing = 1.15 if size < BODY_PT else Pt(size * 1.5)


def _grid(sect_pr: Any) -> None:
    grid = sect_pr.find(_qn("w:docGrid"))
    if grid is None:
        grid = _el("w:docGrid")
        sect_pr.append(grid)
    for key in list(grid.attrib):
        del grid.attrib[key]
    grid.set(_qn("w:type"), "lines")
    grid.set(_qn("w:linePitch"), str(LINE_PITCH))


def _page_number(paragraph: Paragraph, *, odd: bool) -> None:
    """— PAGE — in 四号 宋体, right on odd pages and left on even ones, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph.style = PAGE_NO
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    if odd:
        fmt.right_indent = Pt(PAGE_NO_PT)
    else:
        fmt.left_indent = Pt(PAGE_NO_PT)
    paragraph.add_run("— ")
    paragraph.add_run().element.append(_el("w:fldChar", fldCharType="begin"))
    instr = _el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    paragraph.add_run().element.append(instr)
    paragraph.add_run().element.append(_el("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")
    paragraph.add_run().element.append(_el("w:fldChar", fldCharType="end"))
    paragraph.add_run(" —")


QUOTES = re.compile("([\u201c\u201d\u2018\u2019]+)")
STYLE_FACE = {name: face for name, face, *_ in STYLES}


def add_text(paragraph: Paragraph, text: str, size: float | None = None) -> None:
    """The text as runs; the curly quotes “”‘’ in a run of their own set in the paragraph's Chinese face.

    Word, WPS and LibreOffice take these quotes for Latin text and set them in the ascii font (Times New
    Roman), half a character wide (任务 10“建设…”); the run's ascii/hAnsi font is the 公文 face and its
    hint east Asian, so they are full-width characters like the Chinese text around them."""
    from docx.shared import Pt

    face = STYLE_FACE.get(str(paragraph.style.name if paragraph.style is not None else ""), FANGSONG)
    for n, part in enumerate(QUOTES.split(text)):
        if not part:
            continue
        run = paragraph.add_run(part)
        if size is not None:
            run.font.size = Pt(size)
        if n % 2:
            rpr = run.element.get_or_add_rPr()
            fonts = _el("w:rFonts")
            rpr.insert(0, fonts)
            for attr in ("ascii", "hAnsi", "eastAsia"):
                fonts.set(_qn(f"w:{attr}"), face.name)
            fonts.set(_qn("w:hint"), "eastAsia")


def para(doc: Document, text: str, style: str = BODY) -> Paragraph:
    p = doc.add_paragraph(style=style)
    add_text(p, text)
    return p


def page_break(doc: Document) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph(style=PLAIN).add_run().add_break(WD_BREAK.PAGE)


LATIN_EM = {" ": 0.25, ".": 0.3, ",": 0.3, ":": 0.3, ";": 0.3, "/": 0.3, "%": 0.85, "-": 0.35, "(": 0.35, ")": 0.35}


def em_width(text: str) -> float:
    """Width of a line in ems of its font size: a Chinese (wide or ambiguous: ■ “ —) character one, a digit
    half, other Latin characters by Times New Roman's widths (a capital 0.75); and a quarter em where Chinese
    and Latin text meet, the space Word, WPS and LibreOffice put between them (w:autoSpaceDE/DN)."""
    width = 0.0
    previous = None
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F", "A")
        if wide:
            width += 1.0
        else:
            width += 0.5 if ch.isdigit() else LATIN_EM.get(ch, 0.75 if ch.isupper() else 0.55)
        if previous is not None and ch != " " and wide != previous:
            width += 0.25
        previous = None if ch == " " else wide
    return width


CELL_MARGIN_MM = 1.0  # left and right in every cell of a table (w:tblCellMar; Word's default is 1.9 mm)
CELL_SLACK_MM = 0.6  # borders and rounding, so a line that fits by the sum does not wrap
NOWRAP_MAX_EM = 10.0  # a no-wrap column whose longest cell is wider than this is a text column after all
TEXT_MIN_EM = 4.0  # a text column is never narrower than four characters (nor than its longest word)
HEAD_EM = 2.0  # a header of two characters never wraps; a longer one may, in two lines (three if need be)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], size_pt: float,
                  total_mm: float = TEXT_W_MM, nowrap: Sequence[int] = ()) -> list[float]:
    """Millimetres per column, from the content at `size_pt` (render/docx_gongwen.em_width): the `nowrap`
    columns (序号, 信号, 状态, dates, figures: the centred ones) as wide as their longest cell, never wrapped;
    the headers in as few lines as fit (at most three); the text columns share the rest by how much text
    they hold, none wider than its longest cell unless width is left over. Sums to `total_mm`."""
    em = size_pt * MM_PER_PT
    count = len(headers)

    def mm(ems: float) -> float:
        return ems * em + 2 * CELL_MARGIN_MM + CELL_SLACK_MM

    longest = [max((em_width(line) for row in rows for line in str(row[c]).split("\n")), default=0.0)
               for c in range(count)]
    volume = [sum(em_width(str(row[c])) for row in rows) for c in range(count)]
    fixed = [c in nowrap and longest[c] <= NOWRAP_MAX_EM for c in range(count)]
    text = [c for c in range(count) if not fixed[c]]
    for head_lines in (1, 2, 3):
        heads = [em_width(h) if em_width(h) <= HEAD_EM else math.ceil(em_width(h) / head_lines) for h in headers]
        need = [mm(max(longest[c] if fixed[c] else min(TEXT_MIN_EM, max(longest[c], 1.0)), heads[c]))
                for c in range(count)]
        if sum(need) <= total_mm:
            break
    spare = total_mm - sum(need)
    if spare < 0 or not text:  # no room (or no text column): every column in proportion
        return _exact([w * total_mm / sum(need) for w in need], total_mm, range(count))
    # the text columns grow by the text they hold, up to their longest cell; what is left, in proportion
    widths = list(need)
    want = {c: max(0.0, mm(longest[c]) - need[c]) for c in text}
    weight = {c: max(volume[c], 1.0) for c in text}
    open_cols = [c for c in text if want[c] > 0.05]
    while spare > 0.05 and open_cols:
        total_weight = sum(weight[c] for c in open_cols)
        grant = {c: spare * weight[c] / total_weight for c in open_cols}
        spare = 0.0
        for c in open_cols:
            take = min(grant[c], want[c])
            widths[c] += take
            want[c] -= take
            spare += grant[c] - take
        open_cols = [c for c in open_cols if want[c] > 0.05]
    if spare > 0.05:
        total_weight = sum(weight[c] for c in text)
        widths = [w + (spare * weight[c] / total_weight if c in weight else 0.0) for c, w in enumerate(widths)]
    return _exact(widths, total_mm, text)


def _exact(widths: Sequence[float], total_mm: float, give: Iterable[int]) -> list[float]:
    """Rounded to 0.1 mm, the rounding put on the widest of the `give` columns, so the sum is the width."""
    out = [math.floor(w * 10) / 10 for w in widths]
    widest = max(give, key=lambda c: out[c])
    out[widest] = round(out[widest] + total_mm - sum(out), 1)
    return out


TEXT_H_MM = PAGE_H_MM - TOP_MM - BOTTOM_MM  # 225: the 版心's height (portrait)
LANDSCAPE_TEXT_H_MM = TEXT_W_MM  # 156 (landscape)
LINE_EMS = 1.15 * 1.3  # a table line: 1.15 lines of a CJK face's 1.3 em


def keep_row_lines(size_pt: float, text_h_mm: float) -> int:
    """The most lines a table row keeps whole: half the 版心's height. A taller row may split across pages (one
    taller than a page cannot be kept, and moving one of half a page would leave half a page empty)."""
    return math.floor(text_h_mm / 2 / (size_pt * LINE_EMS * MM_PER_PT))


def row_lines(values: Sequence[str], widths_mm: Sequence[float], size_pt: float) -> int:
    """Lines the tallest cell of a row takes at these widths (an estimate: whole characters a line)."""
    em = size_pt * MM_PER_PT
    lines = 1
    for value, width in zip(values, widths_mm, strict=True):
        chars = max(1.0, math.floor((width - 2 * CELL_MARGIN_MM) / em))
        lines = max(lines, sum(max(1, math.ceil(em_width(part) / chars)) for part in str(value).split("\n")))
    return lines


def table(doc: Document, headers: Sequence[str], rows: Sequence[Sequence[str]], *, centered: Sequence[int] = (),
          small: bool = False, widths_mm: Sequence[float] | None = None, total_mm: float = TEXT_W_MM,
          text_h_mm: float = TEXT_H_MM) -> Table:
    """A bordered table across the text width: header row in 黑体, cells in 仿宋, fixed column widths (from the
    content unless given); the header row repeats on every page, a row splits across pages only when it is
    too tall to keep whole."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    size = TABLE_SMALL_PT if small else TABLE_PT
    widths = (list(widths_mm) if widths_mm is not None
              else column_widths(headers, rows, size, total_mm, nowrap=centered))
    tbl: Table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    tbl.style = doc.styles["Table Grid"]
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    for c, width in enumerate(widths):
        tbl.columns[c].width = Mm(width)  # the table grid (LibreOffice lays out by it) ...
    keep_lines = keep_row_lines(size, text_h_mm)
    element = next(doc.element.body.iterchildren(_qn("w:tbl"), reversed=True))  # the table just added
    margins = _el("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", w=str(round(CELL_MARGIN_MM * TWIPS_PER_MM)), type="dxa"))
    _insert_before(element.find(_qn("w:tblPr")), margins, "tblLook")
    # One pass over the rows: python-docx's rows[r] builds the list of every row on each call, which made
    # a table of 5,000 rows take minutes.
    for r, (row, tr, values) in enumerate(zip(tbl.rows, element.iterchildren(_qn("w:tr")), [headers, *rows],
                                              strict=True)):
        cells = row.cells
        trpr = tr.get_or_add_trPr()
        if row_lines([str(v) for v in values], widths, size) <= keep_lines:
            trpr.append(_el("w:cantSplit"))
        if r == 0:
            trpr.append(_el("w:tblHeader"))
        for c, value in enumerate(values):
            cell = cells[c]
            cell.width = Mm(widths[c])  # ... and each cell (Word and WPS use these)
            p = cell.paragraphs[0]
            p.style = TABLE_HEAD if r == 0 else TABLE_TEXT
            if r and c in centered:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for n, line in enumerate(str(value).split("\n")):
                if n:
                    p = cell.add_paragraph(style=p.style)
                add_text(p, line, size)
    return tbl


def finish_tables(doc: Document) -> None:
    """Every table: cells centred vertically."""
    body = doc.element.body
    for tbl in body.iter(_qn("w:tbl")):
        for tc in tbl.iter(_qn("w:tc")):
            tc.get_or_add_tcPr().append(_el("w:vAlign", val="center"))


CHAR_MM = TEXT_W_MM / CHARS  # one character of the 28-character body line (5.57 mm)


def _insert_before(parent: Any, child: Any, *successors: str) -> None:
    """Insert `child` in schema order: before the first of these children present, else last."""
    for tag in successors:
        found = parent.find(_qn(f"w:{tag}"))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _keep_with_next(p: Any) -> None:
    p.get_or_add_pPr().keepNext_val = True


def keep_last_with_next(doc: Document) -> None:
    """The last paragraph of the body (every paragraph of a table's last row) stays on the page of what follows."""
    last = next(el for el in reversed(doc.element.body) if el.tag in (_qn("w:p"), _qn("w:tbl")))
    if last.tag == _qn("w:p"):
        _keep_with_next(last)
        return
    row = last.findall(_qn("w:tr"))[-1]
    for p in row.iter(_qn("w:p")):
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


LANDSCAPE_TEXT_W_MM = TEXT_H_MM  # 225: the 版心 turned


def new_section(doc: Document, *, landscape: bool, even_page: bool = False) -> None:
    """A new section on a new page (an even one if asked): A4 portrait with the 公文 margins, or A4 landscape
    with the 版心 turned (156 mm high, 225 mm wide: top 28, bottom 26, left 37, right 35 mm); the page
    numbers and the line grid carry on. The break is put in the paragraph before it (no empty line left
    behind that could make a page of its own), or in a paragraph of one point after a table."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm, Pt

    section = doc.add_section(WD_SECTION.EVEN_PAGE if even_page else WD_SECTION.NEW_PAGE)
    holder = doc.element.body[-2]  # the new paragraph holding the previous section's properties
    before = holder.getprevious()
    if before is not None and before.tag == _qn("w:p") and before.find(f"{_qn('w:pPr')}/{_qn('w:sectPr')}") is None:
        before.get_or_add_pPr().append(holder.find(f"{_qn('w:pPr')}/{_qn('w:sectPr')}"))
        holder.getparent().remove(holder)
    else:
        ppr = holder.get_or_add_pPr()
        ppr.insert(0, _el("w:pStyle", val=doc.styles[PLAIN].style_id))
        ppr.append(_el("w:snapToGrid", val="0"))
        ppr.append(_el("w:spacing", line=str(int(Pt(1).twips)), lineRule="exact"))
        ppr.append(ppr.find(_qn("w:sectPr")))  # schema order: the section's properties come last
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_H_MM), Mm(PAGE_W_MM)
        section.top_margin, section.bottom_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.left_margin, section.right_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.footer_distance = Mm(RIGHT_MM - 7 - PAGE_NO_PT * MM_PER_PT * 1.3)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.footer_distance = Mm(BOTTOM_MM - 7 - PAGE_NO_PT * MM_PER_PT * 1.3)


RECORD_PT = 14  # 4号
RECORD_LINE_PT = 22  # exact line height of the 版记
RECORD_PAD_PT = 4  # above and below the text of a 版记 row
THICK, THIN = "8", "6"  # border widths in eighths of a point: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm


def record_lines(label: str, names: str) -> str:
    """抄送：A，B，C。 — the names separated by 逗号 and closed by a 句号 (GB/T 9704 7.4.2)."""
    parts = [p.strip() for p in re.split("[，,、；;]", names.strip().rstrip("。.")) if p.strip()]
    return f"{label}：" + "，".join(parts) + "。"


def record(doc: Document, lines: Sequence[str], printer: str, printed: str) -> None:
    """版记 (GB/T 9704 7.4) on the last page, an even one (a new portrait section starting on an even page), at
    its foot: the 抄送 (and 报送) lines and the 印发机关 with the 印发日期, 4号仿宋, 左右各空一字, a name list
    running on under the first name; a thick line (0.35 mm) above the first and below the last, thin lines
    (0.25 mm) between. A table of one column across the 版心 with those borders, pushed to the bottom of the
    page by a paragraph of exact height (what every renderer honours, unlike a page's vertical alignment)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
    from docx.shared import Emu, Mm, Pt

    new_section(doc, landscape=False, even_page=True)
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
    doc.element.body[-2].get_or_add_pPr().append(_el("w:snapToGrid", val="0"))  # the spacer, off the line grid
    text_h_pt = TEXT_H_MM / MM_PER_PT
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacer.paragraph_format.line_spacing = Pt(max(1.0, text_h_pt - sum(heights) - 4))
    tbl = doc.add_table(rows=len(rows), cols=1)
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    tbl.columns[0].width = Mm(TEXT_W_MM)
    element = next(doc.element.body.iterchildren(_qn("w:tbl"), reversed=True))
    tblpr = element.find(_qn("w:tblPr"))
    borders = _el("w:tblBorders")
    for side, size in (("top", THICK), ("left", ""), ("bottom", THICK), ("right", ""), ("insideH", THIN),
                       ("insideV", "")):
        borders.append(_el(f"w:{side}", val="single", sz=size, space="0", color="000000") if size
                       else _el(f"w:{side}", val="nil"))
    margins = _el("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margins.append(_el(f"w:{side}", w="0", type="dxa"))
    _insert_before(tblpr, borders, "shd", "tblLayout", "tblCellMar", "tblLook")
    _insert_before(tblpr, margins, "tblLook")
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


TITLE_EMS = math.floor(TEXT_W_MM / (TITLE_PT * MM_PER_PT))  # 20 characters of 二号 to a line
TITLE_BREAK_AFTER = re.compile(r"关于|的|[0-9０-９]年")
TITLE_BREAK_BEFORE = re.compile(r"落实情况|推进情况|情况通报|工作要点|实施方案")


def title_lines(title: str, issuer: str = "") -> list[str]:
    """A title in lines of at most 20 characters of 二号, broken where the sense allows (GB/T 9704 7.2: 词意完整,
    排列对称, 长短适宜): after the issuing office when it heads the title (as the 周报 does), else at the break
    (after 关于/的/…年, before …情况/通报 …) that gives the most even lines; a line still too long is broken again."""
    if em_width(title) <= TITLE_EMS:
        return [title]
    if issuer and title.startswith(issuer) and em_width(issuer) <= TITLE_EMS and len(title) > len(issuer):
        return [issuer, *title_lines(title[len(issuer):])]
    points = {m.end() for m in TITLE_BREAK_AFTER.finditer(title)} | {m.start() for m in TITLE_BREAK_BEFORE.finditer(title)}
    points = {i for i in points if 0 < i < len(title)}

    def cost(i: int) -> tuple[int, float]:
        top, bottom = em_width(title[:i]), em_width(title[i:])
        return (0 if max(top, bottom) <= TITLE_EMS else 1, abs(top - bottom))

    if not points:  # no word boundary known: the middle
        half = len(title) // 2
        return [*title_lines(title[:half]), *title_lines(title[half:])]
    best = min(sorted(points), key=cost)
    return [*title_lines(title[:best]), *title_lines(title[best:])]


def font_table_xml() -> bytes:
    """word/fontTable.xml naming the 公文 fonts with their stand-ins (GB2312 charset, family)."""
    fonts = [
        f'<w:font w:name="{f.name}"><w:altName w:val="{f.alt}"/><w:panose1 w:val="{f.panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{f.family}"/><w:pitch w:val="variable"/></w:font>'
        for f in FACES
    ]
    fonts.append(f'<w:font w:name="{LATIN}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
                 '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>')
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + "".join(fonts) + "</w:fonts>").encode("utf-8")


THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def set_properties(doc: Document, *, title: str, author: str, subject: str, when: dt.date) -> None:
    """Fixed core properties: the document's title, the office as author, created and modified on the
    document's date (the same inputs give the same document; no time of the run, no print date). The
    template's thumbnail (a picture of an empty Word page) is dropped from the package."""
    props = doc.core_properties
    stamp = dt.datetime(when.year, when.month, when.day, tzinfo=dt.timezone.utc)
    props.title, props.author, props.last_modified_by, props.subject = title, author, author, subject
    props.created = props.modified = stamp
    props.revision = 1
    props.comments = props.keywords = props.category = ""
    rels = doc.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == THUMBNAIL]:
        rels.pop(rid)


def app_xml(company: str) -> bytes:
    """docProps/app.xml: no claim of the Word that made the template (its “Microsoft Macintosh Word”, page and
    word counts of an empty page); the program and the office."""
    from xml.sax.saxutils import escape

    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Application>gwgk</Application><DocSecurity>0</DocSecurity><Company>{escape(company)}</Company>"
            "</Properties>").encode()


def to_bytes(doc: Document) -> bytes:
    """The .docx with every zip entry at a fixed time, in a fixed order, the 公文 font table and app.xml."""
    raw = io.BytesIO()
    doc.save(raw)
    replace = {"word/fontTable.xml": font_table_xml(), "docProps/app.xml": app_xml(doc.core_properties.author or "")}
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = replace.get(info.filename) or src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()
