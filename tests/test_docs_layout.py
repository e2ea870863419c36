"""The layout of the documents a leader reads (周报 and 通报 .docx, 台账 and 通报 .xlsx), as GB/T 9704-2012 asks:
落款 kept with its date and placed without a seal, 附件说明, 版记, column widths from the content, the 附件 in
landscape, titles broken at words, dates in 公文 form, printable sheets, clean metadata, full-width quotes."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from gwgk_cli.render import docx_closing as gc
from gwgk_cli.render import docx_gongwen as g
from gwgk_cli.render import docx_table as gt

FIXTURES = Path(__file__).parent / "fixtures" / "report"
W47 = ("--today", "2021-11-24", "report", "--week", "2021-W47")
CHAR = Mm(156) / 28  # one character of the 28-character line


@pytest.fixture
def w47(journal: Path) -> Path:
    shutil.copyfile(FIXTURES / "w47.progress.jsonl", journal)
    return journal


def report(gwgk: Any, tmp_path: Path, *args: str, today: tuple[str, ...] = W47) -> Path:
    target = tmp_path / "周报.docx"
    result = gwgk(*today, "-o", str(target), "--notes", str(FIXTURES / "notes.md"), *args)
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture
def weekly(gwgk: Any, w47: Path, tmp_path: Path) -> Document:
    return docx.Document(str(report(gwgk, tmp_path, "--send-to", "市政府办公室分管领导", "--copy-to", "各科室、市数据资源局")))


def _history(gwgk: Any) -> None:
    for args in [("--today", "2021-12-10", "done", "1"), ("--today", "2022-01-03", "done", "2"),
                 ("--today", "2021-12-20", "extend", "4", "--to", "2022-01-31", "--note", "等待审计结果",
                  "--approved-by", "王主任"), ("--today", "2022-01-12", "done", "4")]:
        assert gwgk(*args).exit_code == 0


@pytest.fixture
def bulletin(gwgk: Any, table: Path, tmp_path: Path) -> Document:
    _history(gwgk)
    assert gwgk("--today", "2022-01-15", "bulletin", "-o", str(tmp_path / "通报.docx")).exit_code == 0
    return docx.Document(str(tmp_path / "通报.docx"))


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def body_blocks(doc: Document) -> list[Any]:
    return [el for el in doc.element.body if el.tag in (qn("w:p"), qn("w:tbl"))]


def keeps_next(el: Any) -> bool:
    keep = el.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
    return keep is not None and keep.get(qn("w:val")) not in ("0", "false")


# ----------------------------------------------------------------------------- 1, 2, 3: 附件说明 and 落款


def test_weekly_attachment_note_and_signature(weekly: Document) -> None:
    paras = weekly.paragraphs
    lines = texts(weekly)
    note = lines.index("附件：重点任务推进情况台账")
    assert lines[note - 1] == "" and lines[note + 1] == ""  # a blank line under the body and above the 落款
    sign, date = paras[note + 2], paras[note + 3]
    assert (sign.text, date.text) == ("淮南市人民政府办公室", "2021年11月24日")
    # 附件说明: 左空二字, the name under itself when it runs on (附件： is three characters)
    fmt = paras[note].paragraph_format
    assert abs(fmt.left_indent - 5 * CHAR) < Mm(0.1) and abs(fmt.first_line_indent + 3 * CHAR) < Mm(0.1)
    # the date's first character two right of the 署名's: a ten-character 署名 and a date of 8.25 (seven
    # characters and the quarter spaces where digits meet Chinese) would bring the date within two characters
    # of the edge: the date 右空二字 and the 署名 moved in (右空 2.25 字) to keep the two characters
    assert sign.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert g.em_width("2021年11月24日") == 8.25
    assert abs(date.paragraph_format.right_indent - 2 * CHAR) < Mm(0.1)
    assert abs(sign.paragraph_format.right_indent - 2.25 * CHAR) < Mm(0.1)
    # kept together: the body's last table row, the note, the blank lines and the 署名 stay with the date
    blocks = body_blocks(weekly)
    start = blocks.index(paras[note - 1]._p) - 1
    last = blocks[start]  # the body's last paragraph (意见建议 of the notes)
    assert last.tag == qn("w:p") and keeps_next(last)
    assert [keeps_next(p) for p in blocks[start + 1:start + 6]] == [True, True, True, True, False]
    assert date.paragraph_format.keep_together


def test_bulletin_signature_kept_with_the_body(bulletin: Document) -> None:
    paras = bulletin.paragraphs
    sign = texts(bulletin).index("淮南市人民政府办公室", 2)
    assert paras[sign + 1].text == "2022年1月15日" and paras[sign - 1].text == ""
    assert "附件：" not in "".join(texts(bulletin))  # no 附件, no 附件说明
    assert abs(paras[sign].paragraph_format.right_indent - 2 * CHAR) < Mm(0.1)
    assert abs(paras[sign + 1].paragraph_format.right_indent - (10 - g.em_width("2022年1月15日")) * CHAR) < Mm(0.1)
    blocks = body_blocks(bulletin)
    at = blocks.index(paras[sign]._p)
    before = blocks[at - 2]  # the body's last block: the 逾期 table's last row keeps with the 落款
    assert before.tag == qn("w:tbl")
    assert all(keeps_next(p) for p in before.findall(qn("w:tr"))[-1].iter(qn("w:p")))
    assert keeps_next(blocks[at - 1]) and keeps_next(blocks[at]) and not keeps_next(blocks[at + 1])


def test_signature_of_a_short_signer_keeps_the_date_two_characters_in() -> None:
    doc = g.new_document()
    g.para(doc, "正文。")
    gc.signature(doc, "政务公开办", "2022年1月6日")  # five characters, the date 7.25: date 右空二字, the 署名 in
    sign, date = doc.paragraphs[-2:]
    assert abs(date.paragraph_format.right_indent - 2 * CHAR) < Mm(0.1)
    assert abs(sign.paragraph_format.right_indent - (2 + 7.25 + 2 - 5) * CHAR) < Mm(0.1)  # its first char 2 left


# ----------------------------------------------------------------------------- 4: 版记


def test_record_at_the_foot_of_an_even_page(weekly: Document) -> None:
    last = weekly.sections[-1]
    assert last.start_type == WD_SECTION.EVEN_PAGE and last.orientation == WD_ORIENT.PORTRAIT
    record = weekly.tables[-1]
    rows = [r.cells[0].text for r in record.rows]
    assert rows == ["报送：市政府办公室分管领导。", "抄送：各科室，市数据资源局。", "淮南市人民政府办公室\t2021年11月24日印发"]
    tbl = record._tbl
    borders = {el.tag.split("}")[1]: (el.get(qn("w:val")), el.get(qn("w:sz")))
               for el in tbl.tblPr.find(qn("w:tblBorders"))}
    assert borders == {"top": ("single", "8"), "bottom": ("single", "8"), "insideH": ("single", "6"),
                       "left": ("nil", None), "right": ("nil", None), "insideV": ("nil", None)}
    for row in record.rows:
        p = row.cells[0].paragraphs[0]
        assert p.style.name == "公文版记" and p.style.font.size.pt == 14  # 4号仿宋
        assert p.paragraph_format.left_indent.pt >= 14 and p.paragraph_format.right_indent.pt == 14  # 左右各空一字
    # pushed down by a paragraph of exact height: the spacer and the rows fill the 版心's 225 mm
    spacer = weekly.paragraphs[-1]
    assert spacer.paragraph_format.line_spacing is not None
    height = spacer.paragraph_format.line_spacing.pt + sum(r.height.pt for r in record.rows)
    assert 225 / 25.4 * 72 - 8 < height <= 225 / 25.4 * 72


def test_record_page_is_not_numbered(weekly: Document) -> None:
    """GB/T 9704 7.5: 版记页前有空白页的，空白页和版记页均不编排页码 — the 版记's section has footers of its own, empty;
    the sections before keep their “— PAGE —”."""
    last = weekly.sections[-1]
    for footer in (last.footer, last.even_page_footer):
        assert not footer.is_linked_to_previous
        assert footer.paragraphs[0].text == "" and not footer._element.findall(f".//{qn('w:instrText')}")
    assert weekly.sections[0].footer.paragraphs[0].text == "— 1 —"
    assert "PAGE" in weekly.sections[1].footer._element.xml  # the 附件's numbers, turned
    assert weekly.element.body.find(qn("w:sectPr")).find(qn("w:docGrid")) is None  # no line grid on the 版记 page


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed")
def test_record_page_unnumbered_in_libreoffice(gwgk: Any, w47: Path, tmp_path: Path) -> None:
    """As printed two-sided (LibreOffice keeping the blank page it inserts): the 版记 on an even page, the blank
    page before it and the 版记 page without a number, every page before numbered in order."""
    source = report(gwgk, tmp_path, "--send-to", "市政府办公室分管领导", "--copy-to", "各科室")
    profile = (tmp_path / "lo-profile").as_uri()
    export = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", export,
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "周报.pdf"), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    pages = pages[:-1] if not pages[-1].strip() else pages
    assert len(pages) % 2 == 0 and "印发" in pages[-1]
    numbers = [re.findall(r"—\s*(\d+)\s*—", page) for page in pages]
    assert numbers[-1] == []
    blank = len(pages) - 1 if not pages[-2].strip() else None  # its number, counted from 1
    assert [n for n, page in enumerate(numbers[:-1], 1) if n != blank and page != [str(n)]] == []
    if blank is not None:
        assert numbers[blank - 1] == []
    # the 版记's last line at the foot of the 版心 (its lower edge 262 mm from the top), not below it
    box = subprocess.run(["pdftotext", "-bbox", "-f", str(len(pages)), "-l", str(len(pages)), str(tmp_path / "周报.pdf"),
                          "-"], check=True, capture_output=True, text=True).stdout
    bottom = max(float(m) for m in re.findall(r'yMax="([\d.]+)">[^<]*印发</word>', box))
    assert 262 / 25.4 * 72 - 30 < bottom < 262 / 25.4 * 72


def test_no_record_without_send_or_copy(gwgk: Any, w47: Path, tmp_path: Path) -> None:
    doc = docx.Document(str(report(gwgk, tmp_path)))
    assert doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE  # the 附件 is the last section
    assert not any("印发" in c.text for t in doc.tables for r in t.rows for c in r.cells)


# ----------------------------------------------------------------------------- 5, 6: widths and the 附件


def widths(table: Any) -> list[float]:
    return [round(c.width.mm, 1) for c in table.columns]


def one_line(text: str, width_mm: float, size: float = 10.5, margin_mm: float = gt.CELL_MARGIN_MM) -> bool:
    return g.em_width(text) * size * 25.4 / 72 <= width_mm - 2 * margin_mm


def set_in(table: Any) -> tuple[float, float]:
    """(the points of a table's body text, as the file says them; its cells' left and right margin in mm): a
    crowded table (docx_table.CROWDED_COLUMNS) is in 小五 with narrower margins."""
    size = next(run.font.size.pt for row in table.rows[1:] for cell in row.cells for p in cell.paragraphs
                for run in p.runs if run.font.size is not None)
    return size, gt.CROWDED_MARGIN_MM if size == gt.TABLE_CROWDED_PT else gt.CELL_MARGIN_MM


def short_columns_never_wrap(tables: list[tuple[Any, tuple[str, ...]]]) -> None:
    for table, short in tables:
        heads = [c.text for c in table.rows[0].cells]
        cols = widths(table)
        size, margin = set_in(table)
        for name in short:
            c = heads.index(name)
            values = [r.cells[c].text for r in table.rows[1:]]
            assert all(one_line(v, cols[c], size, margin) for v in values), (name, cols[c], values)


def test_short_columns_never_wrap(weekly: Document) -> None:
    warnings = next(t for t in weekly.tables if t.rows[0].cells[0].text == "信号")
    annex = weekly.tables[-2]
    short_columns_never_wrap([(warnings, ("信号", "序号", "完成时限", "状态", "进度")),
                              (annex, ("序号", "完成时限", "完成进度", "状态/信号"))])
    assert widths(warnings) == [10.0, 10.0, 28.0, 21.1, 20.1, 13.7, 10.0, 43.1]  # the fewest lines (a reader)
    assert widths(annex) == [10.0, 42.5, 51.4, 20.1, 58.8, 17.4, 24.8]
    assert all(one_line(h, w) for h, w in zip(["序号", "信号", "状态"], [10.0, 10.0, 13.7], strict=True))


def test_bulletin_short_columns_never_wrap(bulletin: Document) -> None:
    short_columns_never_wrap([(bulletin.tables[0], ("排名", "任务", "退回", "最近更新", "按时完成率")),
                              (bulletin.tables[1], ("序号", "完成时限", "逾期天数", "状态"))])


LONG_NAMES = {"行财科": "市数据资源管理局", "行政财务科": "市数据资源管理局机关", "会务联络科": "各县区人民政府办公室"}


def test_bulletin_unit_names_get_the_room(gwgk: Any, table: Path, tmp_path: Path) -> None:
    """The ranking's 单位 column is as wide as a long unit name (it was 21 mm: 市数据资源管理局 in 2 lines, 3 for
    各县区人民政府办公室); to make the room, a date with its year breaks after 年, never inside 11月22日."""
    text = table.read_text(encoding="utf-8")
    for short, long in LONG_NAMES.items():
        text = text.replace(short, long)
    table.write_text(text, encoding="utf-8")
    _history(gwgk)
    assert gwgk("--today", "2021-11-22", "done", "23").exit_code == 0  # 各县区人民政府办公室 led, done late
    assert gwgk("--today", "2022-01-15", "bulletin", "-o", str(tmp_path / "通报.docx")).exit_code == 0
    ranking = docx.Document(str(tmp_path / "通报.docx")).tables[0]
    heads = [c.text for c in ranking.rows[0].cells]
    cols = widths(ranking)
    size, margin = set_in(ranking)
    assert (size, margin) == (gt.TABLE_CROWDED_PT, gt.CROWDED_MARGIN_MM)  # a dozen columns: 小五
    with zipfile.ZipFile(tmp_path / "通报.docx") as z:  # and its cells' margins, as written: 0.5 mm is 28 twips
        assert '<w:left w:w="28" w:type="dxa"/>' in z.read("word/document.xml").decode("utf-8")
    unit = heads.index("单位")
    assert one_line("各县区人民政府办公室", cols[unit], size, margin)  # the longest on one line at 小五
    names = [r.cells[unit].text for r in ranking.rows[1:]]
    assert "各县区人民政府办公室" in names and "市数据资源管理局" in names
    date = heads.index("最近更新")
    cells = [r.cells[date] for r in ranking.rows[1:]]
    for cell in cells:  # each line of a cell on one line: 1月12日, or 2021年11月22日 (room for it at 小五)
        assert all(one_line(p.text, cols[date], size, margin) for p in cell.paragraphs), [p.text for p in cell.paragraphs]
    short_columns_never_wrap([(ranking, ("排名", "任务", "退回", "按时完成率"))])


def test_crowded_columns_break_dates_after_the_year() -> None:
    heads = ["排名", "单位", "任务", "按时完成", "逾期完成", "逾期未完成", "延期（批准/未批准）", "退回", "平均逾期天数",
             "最近更新", "按时完成率"]
    rows = [["1", "各县区人民政府办公室", "12", "5", "1", "2", "0/0", "0", "11.0", "2021年11月22日", "100.0%"]]
    nowrap = [0, *range(2, 11)]
    cols = gt.column_widths(heads, rows, 10.5, nowrap=nowrap)
    assert sum(cols) == pytest.approx(156)
    assert one_line("市数据资源管理局", cols[1])  # was 21.3 mm: four characters a line
    assert one_line("11月22日", cols[9]) and not one_line("2021年11月22日", cols[9])
    roomy = gt.column_widths(heads[:3] + heads[9:], [rows[0][:3] + rows[0][9:]], 10.5, nowrap=(0, 2, 3, 4))
    assert one_line("2021年11月22日", roomy[3])  # room enough: the date on one line


def test_short_tables_kept_on_one_page(weekly: Document) -> None:
    """A table of a few rows is not broken across pages (it was: the status table's header and first row at the foot of
    page 1, the rest on page 2): each row but the last keeps with the next, and the line before it with the table."""
    status = weekly.tables[0]
    assert [c.text for c in status.rows[0].cells][0] == "状态"
    rows = status._tbl.findall(qn("w:tr"))
    assert [all(keeps_next(p) for p in tr.iter(qn("w:p"))) for tr in rows] == [True] * (len(rows) - 1) + [False]
    intro = status._tbl.getprevious()
    assert intro.tag == qn("w:p") and keeps_next(intro)
    annex = weekly.tables[-2]  # 28 tasks: may break between rows
    assert not keeps_next(next(annex._tbl.findall(qn("w:tr"))[1].iter(qn("w:p"))))


def test_a_long_reason_beside_short_titles_gets_the_room(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a reader: in the 预警 table the one long 原因 was 16 lines at 8 characters while every 任务 took two;
    the text columns now widen where the table gets the fewest lines (here 56 lines became 53)."""
    heads = ["信号", "序号", "任务", "牵头单位", "完成时限", "状态", "进度", "原因"]
    rows = [["红灯", str(n), "专题公开高标准市场体系政策", "政务公开指导办", "2021年12月31日", "未开始", "—", "逾期 12 天"]
            for n in range(15)]
    rows.append(["红灯", "2", "网站建立规划专题集中发布", "政务公开指导办", "2021年12月31日", "受阻", "—",
                 "逾期 12 天；受阻：" + "等待市规划局提供历史规划清单，各规划编制单位逐一核对后方可集中发布" * 2])
    nowrap = (0, 1, 4, 5, 6)
    cols = gt.column_widths(heads, rows, 10.5, nowrap=nowrap)
    assert sum(cols) == pytest.approx(156)
    monkeypatch.setattr(gt, "_fewest_lines", lambda widths, target, rows, em, spare, margin: spare)  # by volume only
    by_volume = gt.column_widths(heads, rows, 10.5, nowrap=nowrap)
    assert cols[7] > by_volume[7]
    assert (sum(gt.row_lines(row, cols, 10.5) for row in rows), sum(gt.row_lines(row, by_volume, 10.5) for row in rows)
            ) == (53, 56)


def test_column_widths_from_content() -> None:
    heads = ["序号", "任务", "完成时限", "状态"]
    rows = [["1", "一项很长的任务名称需要换行显示出来" * 3, "2021年12月31日", "推进中"]]
    cols = gt.column_widths(heads, rows, 10.5, nowrap=(0, 2, 3))
    assert sum(cols) == pytest.approx(156)
    assert cols[0] == pytest.approx(2 * 3.704 + 2.6, abs=0.1)  # 序号: two characters and the cell margins
    assert one_line("2021年12月31日", cols[2]) and one_line("推进中", cols[3])
    assert cols[1] == max(cols)  # the text takes the rest


def test_annex_in_a_landscape_section(weekly: Document) -> None:
    annex_section = weekly.sections[1]
    assert annex_section.orientation == WD_ORIENT.LANDSCAPE
    assert round(annex_section.page_width.mm) == 297 and round(annex_section.page_height.mm) == 210
    assert [round(m.mm) for m in (annex_section.top_margin, annex_section.bottom_margin,
                                  annex_section.left_margin, annex_section.right_margin)] == [28, 26, 35, 37]
    annex = weekly.tables[-2]
    assert abs(sum(c.width for c in annex.columns) - Mm(225)) < Mm(0.2)
    assert weekly.sections[0].orientation == WD_ORIENT.PORTRAIT
    # the 落款's date carries the section break (no empty paragraph left to make a page of its own)
    date = weekly.paragraphs[texts(weekly).index("2021年11月24日")]
    assert date._p.pPr.find(qn("w:sectPr")) is not None


def test_annex_page_numbers_where_portrait_pages_have_them(weekly: Document) -> None:
    """GB/T 9704 8: a landscape table's page numbers stay where the portrait pages have them, the table's head at the
    binding side of odd pages: the portrait page turned a quarter left, so its foot is the landscape page's left
    side. There, 7 mm outside the 版心, a text box turned a quarter holds “— PAGE —”: odd pages one character in from
    the landscape foot (the portrait right), even pages from the landscape head (the portrait left)."""
    annex = weekly.sections[1]
    assert round(annex.left_margin.mm) == 35 and round(annex.right_margin.mm) == 37  # portrait foot and head
    boxes = {}
    for name, footer in (("odd", annex.footer), ("even", annex.even_page_footer)):
        assert not footer.is_linked_to_previous and footer.paragraphs[0].text == ""  # nothing at the landscape foot
        anchor = footer._element.find(f".//{qn('wp:anchor')}")
        body = anchor.find(f".//{{{gc.WPS}}}bodyPr")
        assert body.get("vert") == "vert"
        x, y = (int(anchor.find(f"{qn(f'wp:position{a}')}/{qn('wp:posOffset')}").text) / 36000 for a in "HV")
        length = int(anchor.find(qn("wp:extent")).get("cy")) / 36000
        thick = int(anchor.find(qn("wp:extent")).get("cx")) / 36000
        assert x + thick == pytest.approx(35 - 7, abs=0.01)  # 7 mm outside the 版心's (portrait) lower edge
        number = anchor.find(f".//{qn('w:txbxContent')}/{qn('w:p')}")
        assert "PAGE" in "".join(number.itertext()) and number.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
        boxes[name] = (y, y + length)
    em = 14 * 25.4 / 72
    assert boxes["odd"][1] == pytest.approx(210 - 26 - em, abs=0.01)  # one character in from the portrait right
    assert boxes["even"][0] == pytest.approx(28 + em, abs=0.01)  # one character in from the portrait left


def test_tall_rows_may_split(gwgk: Any, w47: Path, tmp_path: Path) -> None:
    with w47.open("a", encoding="utf-8") as fh:
        fh.write('{"id":"x1","at":"2021-11-24T10:00:00+08:00","date":"2021-11-24","by":"张三","task":5,'
                 '"op":"note","note":"' + "很长的进展说明" * 120 + '"}\n')
    doc = docx.Document(str(report(gwgk, tmp_path)))
    annex = doc.tables[-1]
    rows = annex._tbl.findall(qn("w:tr"))
    split = [n for n, tr in enumerate(rows) if tr.trPr.find(qn("w:cantSplit")) is None]
    assert split == [5]  # task 5's row, far taller than half a page; every other row kept whole
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None


# ----------------------------------------------------------------------------- 7: titles


@pytest.mark.parametrize(("title", "issuer", "lines"), [
    ("淮南市人民政府办公室2021年政务公开重点工作任务落实情况通报", "淮南市人民政府办公室",
     ["淮南市人民政府办公室", "2021年政务公开重点工作任务落实情况通报"]),
    ("关于2021年政务公开重点工作任务落实情况的通报", "", ["关于2021年政务公开重点工作任务", "落实情况的通报"]),
    ("政务公开工作通报", "", ["政务公开工作通报"]),
])
def test_titles_break_at_words(title: str, issuer: str, lines: list[str]) -> None:
    assert g.title_lines(title, issuer) == lines
    assert all(g.em_width(line) <= 20 for line in lines)


def test_bulletin_title_lines(bulletin: Document) -> None:
    assert texts(bulletin)[:2] == ["淮南市人民政府办公室", "2021年政务公开重点工作任务落实情况通报"]
    assert {p.style.name for p in bulletin.paragraphs[:2]} == {"公文标题"}


# ----------------------------------------------------------------------------- 8: dates


def test_bulletin_dates_in_gongwen_form(bulletin: Document) -> None:
    cells = [c.text for t in bulletin.tables for r in t.rows for c in r.cells]
    assert not [c for c in cells if "-" in c and c[:4].isdigit()]  # no 2021-12-31
    ranking = bulletin.tables[0]
    col = [c.text for c in ranking.rows[0].cells].index("最近更新")
    assert {r.cells[col].text for r in ranking.rows[1:]} == {"1月12日", "1月3日", "—"}  # the 通报's year: 2022
    overdue = bulletin.tables[1]
    assert overdue.rows[1].cells[3].text == "2021年12月31日"


def test_day_text() -> None:
    import datetime as dt

    from gwgk_cli.report_period import day_text

    assert day_text(dt.date(2021, 12, 31), 2022) == "2021年12月31日"
    assert day_text(dt.date(2022, 1, 31), 2022) == "1月31日"
    assert day_text(dt.date(2022, 1, 31)) == "1月31日"


def test_weekly_dates_across_the_year(gwgk: Any, table: Path, tmp_path: Path) -> None:
    assert gwgk("--today", "2021-12-20", "extend", "6", "--to", "2022-01-31", "--note", "待定",
                "--approved-by", "王主任").exit_code == 0
    doc = docx.Document(str(report(gwgk, tmp_path, today=("--today", "2022-01-06", "report", "--week", "2022-W01"))))
    annex = doc.tables[-1]
    due = {r.cells[0].text: r.cells[3].text for r in annex.rows[1:]}
    assert due["1"] == "2021年12月31日"  # 2021 given in a 2022 report
    assert due["6"] == "1月31日（原定2021年12月31日，延期经王主任批准）"


# ----------------------------------------------------------------------------- 9: the sheets


def test_ledger_prints_readably(gwgk: Any, w47: Path, tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    assert gwgk("--today", "2021-11-24", "export", "-o", str(target)).exit_code == 0
    wb = openpyxl.load_workbook(target)
    ws = wb["任务台账"]
    assert ws.print_title_rows == "$2:$2"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.page_setup.orientation) == (1, 0, "landscape")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    total = sum(ws.column_dimensions[c].width for c in "ABCDEFGHIJKLMN")
    assert total <= 210  # printed at about 66% of 11 pt, not 45% (dates and 100% with room for wide digits)
    heads = {c.value: c.column_letter for c in ws[2]}
    assert ws.column_dimensions[heads["序号"]].width == 6
    assert ws.column_dimensions[heads["完成时限"]].width == 17.7  # 2021年12月31日 on one line, even in wide digits
    assert ws.cell(3, 6).number_format == 'yyyy"年"m"月"d"日"'
    # rows as tall as their wrapped text: task 5's 具体要求 over many lines
    req = ws[f"{heads['具体要求']}{2 + 5}"].value
    width = ws.column_dimensions[heads["具体要求"]].width
    assert ws.row_dimensions[2 + 5].height >= 16 * (len(req) / ((width - 0.15) // 2.1))
    hist = wb["进展记录"]
    change = [c.value for c in hist[2]].index("变更") + 1
    assert hist.cell(3, change).alignment.wrap_text
    assert hist.oddFooter.center.text == "第 &P 页 共 &N 页"


@pytest.mark.parametrize(("header", "values"), [
    ("完成进度", ["100%", "60%"]), ("按时完成", ["1", "12"]), ("逾期未完成", ["2"]), ("平均逾期天数", ["14.5"]),
    ("按时完成率", ["100.0%"]),
])
def test_sheet_headers_wrap_evenly(header: str, values: list[str]) -> None:
    """A header on two lines breaks in the middle (完成/进度, not 完成进/度): in Excel (宋体 11 pt, a Chinese
    character 15 px, a width unit 7 px) the column holds half the header and not one character more."""
    from gwgk_cli.render import xlsx_ledger as xl

    width = xl.column_width(header, values, most=30, wrap=False)
    assert width * 7 // 15 == math.ceil(len(header) / 2), width
    assert all(xl._units(v) + 1 <= width for v in values)


def test_bulletin_sheet_header_fits(gwgk: Any, table: Path, tmp_path: Path) -> None:
    _history(gwgk)
    assert gwgk("--today", "2022-01-15", "bulletin", "-o", str(tmp_path / "通报.xlsx")).exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "通报.xlsx")["通报"]
    heads = {c.value: c.column_letter for c in ws[2]}
    width = ws.column_dimensions[heads["延期（批准/未批准）"]].width
    assert width < 20 and ws.row_dimensions[2].height >= 2 * 15  # the header wraps onto two lines, row tall enough
    assert ws.print_title_rows == "$2:$2" and ws.oddFooter.center.text == "第 &P 页 共 &N 页"


# ----------------------------------------------------------------------------- 10, 11: metadata, quotes


def test_docx_metadata(gwgk: Any, w47: Path, tmp_path: Path) -> None:
    path = report(gwgk, tmp_path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
        rels = z.read("_rels/.rels").decode()
        core = z.read("docProps/core.xml").decode()
    assert "docProps/thumbnail.jpeg" not in names and "thumbnail" not in rels
    assert "Microsoft" not in app and "<Application>gwgk</Application>" in app
    assert "<Company>淮南市人民政府办公室</Company>" in app and "<Pages>" not in app
    assert "lastPrinted" not in core
    props = docx.Document(str(path)).core_properties
    assert props.author == "淮南市人民政府办公室" and props.title.startswith("淮南市人民政府办公室2021年")


def test_quotes_set_in_the_chinese_face(weekly: Document) -> None:
    runs = [r for p in weekly.paragraphs for r in p.runs if any(q in r.text for q in "“”‘’")]
    assert runs
    for run in runs:
        assert set(run.text) <= set("“”‘’")  # a run of its own
        fonts = run._r.rPr.find(qn("w:rFonts"))
        face = g.STYLE_FACE[run._parent.style.name].name
        assert fonts.get(qn("w:hint")) == "eastAsia"
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == fonts.get(qn("w:eastAsia")) == face


def test_fill_sheet_rows_and_footer(gwgk: Any, table: Path, tmp_path: Path) -> None:
    """The 填报表: its footer has room below the rows (LibreOffice cut “第 1 页，共 15 页” in half with a 0.6"
    bottom margin and the footer 0.3" up); task rows two lines at least, as tall as their text at LibreOffice's
    16 pt a line of 11 pt (15.3 at 10.5), and left to Excel and WPS to fit (no customHeight), so a row grows as a
    clerk types; the merged banner rows keep their heights."""
    import re

    from gwgk_cli.render.xlsx_text import wrapped_lines
    from gwgk_cli.sheets.layout import FIRST_ROW, HEADER_ROW

    target = tmp_path / "s.xlsx"
    assert gwgk("sheet", "out", "--unit", "政务公开指导办", "-o", str(target)).exit_code == 0
    ws = openpyxl.load_workbook(target)["推进情况填报表"]
    assert ws.page_margins.bottom - ws.page_margins.footer > 0.39
    assert ws.oddFooter.center.size == 10
    smaller = 0
    for r in range(FIRST_ROW, ws.max_row + 1):  # each text at its own size: a long one is set smaller to fit
        texts = [c for c in ws[r] if isinstance(c.value, str)]
        heights = [round(max(2 if c.font.sz == 10.5 else 1, wrapped_lines(str(c.value), ws.column_dimensions[
            c.column_letter].width, c.font.sz)) * c.font.sz * 16 / 11 + 4, 1) for c in texts]
        assert ws.row_dimensions[r].height == min(409, max(heights)), r
        assert all(h < 409 or c.font.sz == 7.5 for c, h in zip(texts, heights, strict=True)), r  # 六号 at least
        smaller += any(c.font.sz < 10.5 for c in texts)
    assert smaller  # the long 具体要求 of tasks 5, 10 and 13: set smaller so that they print whole
    with zipfile.ZipFile(target) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    rows = {int(r): attrs for r, attrs in re.findall(r'<row r="(\d+)"([^>]*)>', xml)}
    assert all(('customHeight="1"' in attrs) == (r < HEADER_ROW) for r, attrs in rows.items())
    # what a clerk types in a text column stays text (0001, 1-2 not a date); the print area is the form
    heads = {c.value: c for c in ws[HEADER_ROW]}
    for name in ("本期进展情况", "存在问题", "下一步措施", "佐证材料", "填报人"):
        assert ws.cell(FIRST_ROW, heads[name].column).number_format == "@", name
    assert ws.cell(FIRST_ROW, heads["填报日期"].column).number_format == "yyyy-mm-dd"
    assert ws.cell(FIRST_ROW, heads["完成进度（%）"].column).number_format == "0"
    assert ws.print_area == f"'推进情况填报表'!$A$1:$Q${ws.max_row}"
