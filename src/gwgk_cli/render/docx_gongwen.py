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
  unless it is taller than half the 版心; column widths come from the content (docx_table.column_widths).
- The 落款 without a seal (7.3.5.2), the 附件说明 (7.3.4), the 版记 (7.4) at the foot of an even last page,
  a landscape section for a wide 附件 (docx_closing.new_section), titles broken at words (title_lines), curly quotes in
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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

PAGE_W_MM, PAGE_H_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
LINES, CHARS = 22, 28
BODY_PT, TITLE_PT, PAGE_NO_PT, TABLE_PT, TABLE_SMALL_PT = 16, 22, 14, 12, 10.5
TEXT_W_MM = PAGE_W_MM - LEFT_MM - RIGHT_MM  # 156
TEXT_H_MM = PAGE_H_MM - TOP_MM - BOTTOM_MM  # 225: the 版心's height (portrait)
LANDSCAPE_TEXT_W_MM, LANDSCAPE_TEXT_H_MM = TEXT_H_MM, TEXT_W_MM  # the 版心 turned: 225 × 156
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
    _grid(doc.element.body.find(qname("w:sectPr")))
    doc.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer.paragraphs[0], odd=True)
    page_number(section.even_page_footer.paragraphs[0], odd=False)
    return doc


def qname(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def new_el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement(tag, {qname(f"w:{k}"): v for k, v in attrs.items()})


def insert_before(parent: Any, child: Any, *successors: str) -> None:
    """Insert `child` in schema order: before the first of these children present, else last."""
    for tag in successors:
        found = parent.find(qname(f"w:{tag}"))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _set_fonts(rpr: Any, face: Face, latin: str = LATIN) -> None:
    """ascii/hAnsi Latin, eastAsia the 公文 face; theme fonts removed so they cannot win."""
    fonts = rpr.find(qname("w:rFonts"))
    if fonts is None:
        fonts = new_el("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", face.name), ("cs", latin)):
        fonts.set(qname(f"w:{attr}"), value)
    fonts.set(qname("w:hint"), "eastAsia")


# The template's styles a 公文 keeps; its English Heading/Title/List/shading styles (theme fonts and colours)
# are dropped, so the style list a clerk sees holds the 公文 styles (and setting a style stays fast).
KEEP_STYLES = {"Normal", "Header", "HeaderChar", "Footer", "FooterChar", "DefaultParagraphFont", "TableNormal",
               "NoList", "TableGrid"}


def _prune_styles(doc: Document) -> None:
    root = doc.styles.element
    for style in root.findall(qname("w:style")):
        if style.get(qname("w:styleId")) not in KEEP_STYLES:
            root.remove(style)


def _defaults(doc: Document) -> None:
    """docDefaults: 仿宋 16 pt, Chinese language, no space after paragraphs, single lines on the grid."""
    root = doc.styles.element
    rpr = root.find(f"{qname('w:docDefaults')}/{qname('w:rPrDefault')}/{qname('w:rPr')}")
    _set_fonts(rpr, FANGSONG)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qname(tag)).set(qname("w:val"), str(BODY_PT * 2))
    lang = rpr.find(qname("w:lang"))
    lang.set(qname("w:val"), "en-US")
    lang.set(qname("w:eastAsia"), "zh-CN")
    ppr = root.find(f"{qname('w:docDefaults')}/{qname('w:pPrDefault')}/{qname('w:pPr')}")
    spacing = ppr.find(qname("w:spacing"))
    for key in list(spacing.attrib):
        del spacing.attrib[key]
    spacing.set(qname("w:after"), "0")
    spacing.set(qname("w:line"), "240")
    spacing.set(qname("w:lineRule"), "auto")
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
        spacing = new_el("w:spacing", val=str(CHAR_SPACING))
        size_el = rpr.find(qname("w:sz"))  # schema order: w:spacing comes before w:sz
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
        ppr.append(new_el("w:outlineLvl", val=str(outline)))
    if outline is not None or name == SUBTITLE:
        fmt.keep_with_next = True
    if not on_grid:  # the title and tables: off the character grid (a 22 pt character would take two cells)
        ppr.append(new_el("w:snapToGrid", val="0"))
        fmt.line_spacing = 1.15 if size < BODY_PT else Pt(size * 1.5)


def _grid(sect_pr: Any) -> None:
    grid = sect_pr.find(qname("w:docGrid"))
    if grid is None:
        grid = new_el("w:docGrid")
        sect_pr.append(grid)
    for key in list(grid.attrib):
        del grid.attrib[key]
    grid.set(qname("w:type"), "lines")
    grid.set(qname("w:linePitch"), str(LINE_PITCH))


def page_number(paragraph: Paragraph, *, odd: bool, indent: bool = True) -> None:
    """— PAGE — in 四号 宋体, right on odd pages and left on even ones, one character in from the edge (`indent`;
    a turned number in a text box is placed one character in instead: docx_closing.turned_page_numbers)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph.style = PAGE_NO
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    if indent and odd:
        fmt.right_indent = Pt(PAGE_NO_PT)
    elif indent:
        fmt.left_indent = Pt(PAGE_NO_PT)
    paragraph.add_run("— ")
    paragraph.add_run().element.append(new_el("w:fldChar", fldCharType="begin"))
    instr = new_el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    paragraph.add_run().element.append(instr)
    paragraph.add_run().element.append(new_el("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")
    paragraph.add_run().element.append(new_el("w:fldChar", fldCharType="end"))
    paragraph.add_run(" —")


QUOTES = re.compile("([\u201c\u201d\u2018\u2019]+)")
# A space between Chinese text and a number (共 28 项, 第 19 期: how gwgk's terminal lines read) is no part of a
# 公文: on the 28-character grid it spreads a line unevenly (found by a reader). Removed where a number meets a
# Chinese character or full-width mark, either side.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u201c\u201d\u2018\u2019"
# Only a number standing alone (12, 12.5, 80%): never one inside a path, an address or a name (材料 2021/预算 2.pdf,
# …id=123 已发布, WPS 2019: found in review).
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?"  # 12, 12.5, 80%, 3,200
_SPACE_BEFORE = re.compile(f"(?<=[{_CJK}]) +(?={_NUMBER}(?:[ {_CJK}]|$))")
_SPACE_AFTER = re.compile(f"((?:^|(?<=[{_CJK} ])){_NUMBER}) +(?=[{_CJK}])")


def tight(text: str) -> str:
    """`text` without the spaces between Chinese and a number standing alone (共28项, 逾期12天)."""
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub("", text))
STYLE_FACE = {name: face for name, face, *_ in STYLES}


def add_text(paragraph: Paragraph, text: str, size: float | None = None) -> None:
    """The text as runs; the curly quotes “”‘’ in a run of their own set in the paragraph's Chinese face.

    Word, WPS and LibreOffice take these quotes for Latin text and set them in the ascii font (Times New
    Roman), half a character wide (任务 10“建设…”); the run's ascii/hAnsi font is the 公文 face and its
    hint east Asian, so they are full-width characters like the Chinese text around them."""
    from docx.shared import Pt

    face = STYLE_FACE.get(str(paragraph.style.name if paragraph.style is not None else ""), FANGSONG)
    for n, part in enumerate(QUOTES.split(tight(text))):
        if not part:
            continue
        run = paragraph.add_run(part)
        if size is not None:
            run.font.size = Pt(size)
        if n % 2:
            rpr = run.element.get_or_add_rPr()
            fonts = new_el("w:rFonts")
            rpr.insert(0, fonts)
            for attr in ("ascii", "hAnsi", "eastAsia"):
                fonts.set(qname(f"w:{attr}"), face.name)
            fonts.set(qname("w:hint"), "eastAsia")


def para(doc: Document, text: str, style: str = BODY) -> Paragraph:
    p = doc.add_paragraph(style=style)
    add_text(p, text)
    return p


def centered_lines(text: str, ems: int = CHARS) -> list[str]:
    """A centred line (a subtitle) too long for one line of `ems` characters, broken after its last “，” that leaves
    both parts a line each: （2021年12月1日—2022年1月31日，/ 数据截至2022年1月5日）, not a last line of “5日）”."""
    if em_width(text) <= ems:
        return [text]
    for i in range(len(text) - 1, 0, -1):
        if text[i - 1] == "，" and em_width(text[:i]) <= ems and em_width(text[i:]) <= ems:
            return [text[:i], text[i:]]
    return [text]


def centered(doc: Document, text: str, style: str = SUBTITLE) -> Paragraph:
    """A centred paragraph in lines from centered_lines, joined by line breaks (one paragraph: kept together)."""
    p = doc.add_paragraph(style=style)
    for n, line in enumerate(centered_lines(text)):
        if n:
            p.add_run().add_break()
        add_text(p, line)
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
