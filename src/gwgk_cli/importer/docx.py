"""Word .docx notices: tables (merged cells, repeated headers, tables continued over pages) and
paragraphs (with Word's automatic numbering written out, for notices without a table).

The document XML is read with lxml (python-docx builds an object per cell and reads a 10,000-row
table in minutes; the XML walk takes a second). Units are paragraphs (第 5 段) and table cells
(表格 1 第 3 行第 2 列).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from gwgk_cli.errors import NoticeError
from gwgk_cli.importer.model import LEFT, UP, GridCell, Row, Source, UnitLog, check_unzipped_size, table_rows
from gwgk_cli.numerals import cn_numeral

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"


def _transitional(xml: bytes | None) -> bytes | None:
    """A part saved as Strict Open XML (Word's “Strict” format; its namespace differs) in the usual namespace."""
    return xml.replace(_STRICT, W[1:-1].encode()) if xml is not None and _STRICT in xml else xml




def _children(el: Any, *tags: str) -> list[Any]:
    """el's children with one of the tags, looking through content controls (w:sdt → w:sdtContent)
    and custom XML elements wrapped around them, as Word shows them: in place."""
    out: list[Any] = []
    for child in el:
        if child.tag in tags:
            out.append(child)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                out.extend(_children(content, *tags))
        elif child.tag == f"{W}customXml":
            out.extend(_children(child, *tags))
    return out


def _val(el: Any, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(f"{W}val", "")


def _text(el: Any) -> str:
    """The text of a paragraph or cell: w:t runs, tabs and breaks as spaces/newlines."""
    out: list[str] = []
    for node in el.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}p"):
        tag = node.tag
        if tag == f"{W}t":
            out.append(node.text or "")
        elif tag == f"{W}tab":
            out.append(" ")
        elif tag in (f"{W}br", f"{W}cr") or (tag == f"{W}p" and out):
            out.append("\n")
    return "".join(out).strip()


class _Numbering:
    """Word's automatic list numbers (numbering.xml): 1. / 一、 / (一) written out as text."""

    def __init__(self, xml: bytes | None) -> None:
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        if not xml:
            return
        from lxml import etree

        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
        abstract: dict[str, dict[str, tuple[str, str, int]]] = {}
        for a in root.iter(f"{W}abstractNum"):
            lv: dict[str, tuple[str, str, int]] = {}
            for lvl in a.iter(f"{W}lvl"):
                start = _val(lvl, f"{W}start") or "1"
                lv[lvl.get(f"{W}ilvl", "0")] = (
                    _val(lvl, f"{W}numFmt") or "decimal",
                    _val(lvl, f"{W}lvlText") or "%1.",
                    int(start) if start.isdigit() else 1,
                )
            abstract[a.get(f"{W}abstractNumId", "")] = lv
        for num in root.iter(f"{W}num"):
            aid = _val(num, f"{W}abstractNumId") or ""
            for ilvl, spec in abstract.get(aid, {}).items():
                self.levels[(num.get(f"{W}numId", ""), ilvl)] = spec

    def label(self, num_id: str, ilvl: str) -> str:
        spec = self.levels.get((num_id, ilvl))
        if spec is None or spec[0] in ("bullet", "none"):
            return ""
        key = (num_id, ilvl)
        n = self.counters.get(key, spec[2] - 1) + 1
        self.counters[key] = n
        for (nid, lv), _ in list(self.counters.items()):  # a deeper level restarts under a new item
            if nid == num_id and lv > ilvl:
                del self.counters[(nid, lv)]
        text = str(n) if spec[0] not in ("chineseCounting", "chineseCountingThousand", "ideographTraditional",
                                          "chineseLegalSimplified", "taiwaneseCounting") else cn_numeral(n)
        return spec[1].replace(f"%{int(ilvl) + 1}", text).replace("%1", text)


def read_docx(data: bytes) -> Source:
    from lxml import etree

    check_unzipped_size(data, "Word 文件")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            document = z.read("word/document.xml")
            names = set(z.namelist())
            numbering = z.read("word/numbering.xml") if "word/numbering.xml" in names else None
            styles = z.read("word/styles.xml") if "word/styles.xml" in names else None
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError) as exc:
        why = ("不是完整的 zip 压缩包" if isinstance(exc, zipfile.BadZipFile) else
               "缺少正文 word/document.xml" if isinstance(exc, KeyError) else "压缩包中的内容无法解开")
        raise NoticeError(f"无法读取 Word 文件（.docx 已损坏或不是 Word 文档）：{why}") from None
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        root = etree.fromstring(_transitional(document), parser=parser)
        lists = _Numbering(_transitional(numbering))
        styled = _styled_numbering(_transitional(styles), parser)
    except etree.XMLSyntaxError as exc:
        # libxml2's reason is English; say in Chinese what it means, and where (line and column).
        reason = str(exc)
        why = ("含有会无限展开的 XML 实体定义（不安全的文件）" if "amplification" in reason or "entity" in reason.lower()
               else "XML 格式错误")
        where = f"第 {exc.lineno} 行" if getattr(exc, "lineno", None) else ""
        raise NoticeError(f"无法读取 Word 文件：正文 document.xml {where}{why}，未导入") from None
    for fallback in list(root.iter(f"{MC}Fallback")):  # the same content again, for older readers
        fallback.getparent().remove(fallback)
    body = root.find(f"{W}body")
    log = UnitLog()
    walker = _Body(log, lists, styled)
    walker.walk(body)
    rows = walker.rows
    if not log.lines:
        raise NoticeError("Word 文件中没有文字")
    return log.source(rows)


class _Body:
    """The document's paragraphs and tables in order. A table holding a table in one of its cells lays out the
    page (a web page saved as a document, a frame around the notice): its cells are read as the body is, their
    paragraphs and the tables inside them in turn."""

    def __init__(self, log: UnitLog, lists: _Numbering, styled: dict[str, tuple[str, str]]) -> None:
        self.log, self.lists, self.styled = log, lists, styled
        self.rows: list[Row] = []
        self.para_no = 0
        self.table_no = 0

    def walk(self, el: Any) -> None:
        for child in [] if el is None else _children(el, f"{W}p", f"{W}tbl"):
            if child.tag == f"{W}p":
                self.paragraph(child)
            elif _is_layout(child):
                for tr in _children(child, f"{W}tr"):
                    for tc in _children(tr, f"{W}tc"):
                        self.walk(tc)
            else:
                self.table_no += 1
                self.rows.extend(_table(child, self.table_no, self.log, self.numbered))

    def paragraph(self, p: Any) -> None:
        self.para_no += 1
        text = _text(p)
        if text:
            text = self.label(p) + text
            self.rows.append(Row([self.log.cell(text, f"第 {self.para_no} 段")], False))

    def label(self, p: Any) -> str:
        """The automatic list number Word shows before the paragraph (numbering or a List Number style), or ""."""
        num = p.find(f"{W}pPr/{W}numPr")
        style = _val(p, f"{W}pPr/{W}pStyle")
        if num is None and style not in self.styled:
            return ""
        own = (_val(num, f"{W}numId"), _val(num, f"{W}ilvl")) if num is not None else (None, None)
        from_style = self.styled.get(style or "", ("", "0"))
        return self.lists.label(own[0] or from_style[0], own[1] or from_style[1])

    def numbered(self, tc: Any) -> str:
        """A table cell's text with Word's automatic numbers written out: a 序号 column numbered by a list
        has cells whose only text is the number Word draws (an empty paragraph of a numbered list)."""
        paragraphs = list(tc.iter(f"{W}p"))
        if not any(p.find(f"{W}pPr/{W}numPr") is not None or _val(p, f"{W}pPr/{W}pStyle") in self.styled
                   for p in paragraphs):
            return _text(tc)
        return "\n".join(t for p in paragraphs if (t := self.label(p) + _text(p))).strip()


def _is_layout(tbl: Any) -> bool:
    """A table with a table inside one of its cells (not inside a nested one's)."""
    return any(tc.find(f".//{W}tbl") is not None for tr in _children(tbl, f"{W}tr") for tc in _children(tr, f"{W}tc"))


def _styled_numbering(styles: bytes | None, parser: Any) -> dict[str, tuple[str, str]]:
    """Paragraph styles that number their paragraphs (List Number …): style id -> (numId, ilvl)."""
    if not styles:
        return {}
    from lxml import etree

    out: dict[str, tuple[str, str]] = {}
    for style in etree.fromstring(styles, parser=parser).iter(f"{W}style"):
        num = style.find(f"{W}pPr/{W}numPr")
        if num is not None and (num_id := _val(num, f"{W}numId")):
            out[style.get(f"{W}styleId", "")] = (num_id, _val(num, f"{W}ilvl") or "0")
    return out


def _table(tbl: Any, table_no: int, log: UnitLog, cell_text: Callable[[Any], str] = _text) -> list[Row]:
    grid: list[list[GridCell]] = []
    for r, tr in enumerate(_children(tbl, f"{W}tr"), start=1):  # not a nested table's rows: their text is in the outer cell
        line: list[GridCell] = []
        col = 0
        before = _val(tr, f"{W}trPr/{W}gridBefore")
        for _ in range(int(before) if before and before.isdigit() else 0):
            line.append("")
            col += 1
        for tc in _children(tr, f"{W}tc"):
            span_val = _val(tc, f"{W}tcPr/{W}gridSpan")
            span = max(1, min(50, int(span_val))) if span_val and span_val.isdigit() else 1
            vmerge = _val(tc, f"{W}tcPr/{W}vMerge")
            continued = vmerge is not None and vmerge in ("", "continue")
            where = f"表格 {table_no} 第 {r} 行第 {col + 1} 列"
            line.append(UP if continued else (cell_text(tc), where))
            line.extend([LEFT] * (span - 1))
            col += span
        grid.append(line)
    return table_rows(grid, log)
