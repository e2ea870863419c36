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
- Tables repeat their header row on every page (``w:tblHeader``) and never split a row (``w:cantSplit``).
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
import zipfile
from collections.abc import Sequence
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
TITLE, SUBTITLE, BODY, H1, H2, TABLE_TEXT, TABLE_HEAD, PAGE_NO, PLAIN, MARK = (
    "公文标题", "公文副标题", "公文正文", "公文一级标题", "公文二级标题", "公文表格", "公文表头", "公文页码", "公文无缩进",
    "公文附件标记")
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


def para(doc: Document, text: str, style: str = BODY) -> Paragraph:
    return doc.add_paragraph(text, style=style)


def page_break(doc: Document) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph(style=PLAIN).add_run().add_break(WD_BREAK.PAGE)


def table(doc: Document, headers: Sequence[str], widths_mm: Sequence[float], rows: Sequence[Sequence[str]],
          centered: Sequence[int] = (), small: bool = False) -> Table:
    """A bordered table across the text width: header row in 黑体, cells in 仿宋, fixed column widths."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    size = Pt(TABLE_SMALL_PT if small else TABLE_PT)
    tbl: Table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    tbl.style = doc.styles["Table Grid"]
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    for c, width in enumerate(widths_mm):
        tbl.columns[c].width = Mm(width)  # the table grid (LibreOffice lays out by it) ...
    # One pass over the rows: python-docx's rows[r] builds the list of every row on each call, which made
    # a table of 5,000 rows take minutes.
    for r, (row, values) in enumerate(zip(tbl.rows, [headers, *rows], strict=True)):
        cells = row.cells
        for c, value in enumerate(values):
            cell = cells[c]
            cell.width = Mm(widths_mm[c])  # ... and each cell (Word and WPS use these)
            p = cell.paragraphs[0]
            p.style = TABLE_HEAD if r == 0 else TABLE_TEXT
            if r and c in centered:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            lines = str(value).split("\n")
            for n, line in enumerate(lines):
                if n:
                    p = cell.add_paragraph(style=p.style)
                p.add_run(line).font.size = size
    return tbl


def finish_tables(doc: Document) -> None:
    """Every table: the first row repeats on each page, no row splits across pages, cells centred vertically."""
    body = doc.element.body
    for tbl in body.iter(_qn("w:tbl")):
        for n, tr in enumerate(tbl.iter(_qn("w:tr"))):
            trpr = tr.get_or_add_trPr()
            trpr.append(_el("w:cantSplit"))
            if n == 0:
                trpr.append(_el("w:tblHeader"))
            for tc in tr.iter(_qn("w:tc")):
                tc.get_or_add_tcPr().append(_el("w:vAlign", val="center"))


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


def set_properties(doc: Document, *, title: str, author: str, subject: str, when: dt.date) -> None:
    """Fixed core properties: the same inputs give the same document (no time of the run)."""
    props = doc.core_properties
    stamp = dt.datetime(when.year, when.month, when.day, tzinfo=dt.timezone.utc)
    props.title, props.author, props.last_modified_by, props.subject = title, author, author, subject
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = props.keywords = props.category = ""


def to_bytes(doc: Document) -> bytes:
    """The .docx with every zip entry at a fixed time, in a fixed order, and the 公文 font table."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = font_table_xml() if info.filename == "word/fontTable.xml" else src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()
