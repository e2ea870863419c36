"""gwgk report --format docx: the 周报 as a 公文 (GB/T 9704-2012) Word file, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gwgk_cli.render import docx_gongwen as g

FIXTURES = Path(__file__).parent / "fixtures" / "report"
W47 = ("--today", "2021-11-24", "report", "--week", "2021-W47")
ASCII_NEXT_TO_CJK = re.compile(r"[\u4e00-\u9fff][,:;()]|[,:;()][\u4e00-\u9fff]")


@pytest.fixture
def w47(journal: Path) -> Path:
    shutil.copyfile(FIXTURES / "w47.progress.jsonl", journal)
    return journal


def make(gwgk, tmp_path: Path, *args: str, name: str = "周报.docx") -> Path:
    target = tmp_path / name
    result = gwgk(*W47, "--format", "docx", "-o", str(target), "--notes", str(FIXTURES / "notes.md"), *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"已将周报（docx）写入 {target}\n"
    return target


@pytest.fixture
def doc(gwgk, w47: Path, tmp_path: Path) -> Document:
    return docx.Document(str(make(gwgk, tmp_path, "--send-to", "市政府办公室分管领导", "--copy-to", "各科室")))


def near(length: int | None, expected: int) -> bool:
    """Lengths in EMU are stored in twips: equal within a twip."""
    return length is not None and abs(length - expected) <= 635


def test_page_size_and_margins(doc: Document) -> None:
    section = doc.sections[0]
    assert near(section.page_width, Mm(210)) and near(section.page_height, Mm(297))
    assert near(section.top_margin, Mm(37)) and near(section.bottom_margin, Mm(35))
    assert near(section.left_margin, Mm(28)) and near(section.right_margin, Mm(26))


def test_document_grid_22_lines_of_28_characters(doc: Document) -> None:
    first = doc.element.body.find(f".//{qn('w:pPr')}/{qn('w:sectPr')}")  # the body's section (the 版记's has none)
    grid = first.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    pitch = int(grid.get(qn("w:linePitch")))
    body_twips = (297 - 37 - 35) / 25.4 * 1440
    assert pitch == 579 and int(body_twips // pitch) == 22
    # 28 characters a line: the body's 16 pt characters condensed (w:spacing, 1/20 pt) to fit 156 mm.
    body = doc.styles["公文正文"].element.rPr
    char_pitch = 16 + int(body.find(qn("w:spacing")).get(qn("w:val"))) / 20  # points
    assert int((210 - 28 - 26) / 25.4 * 72 / char_pitch) == 28


def east_asia(style) -> str:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


@pytest.mark.parametrize(("style", "font", "size"), [
    (g.TITLE, "方正小标宋简体", 22),
    (g.BODY, "仿宋_GB2312", 16),
    (g.H1, "黑体", 16),
    (g.H2, "楷体_GB2312", 16),
    (g.TABLE_TEXT, "仿宋_GB2312", 12),
    (g.PAGE_NO, "宋体", 14),
])
def test_styles_name_the_east_asian_font(doc: Document, style: str, font: str, size: int) -> None:
    st = doc.styles[style]
    assert east_asia(st) == font
    assert st.font.size == Pt(size)
    assert st.font.name  # the Latin name is set too


def test_default_font_and_language_are_chinese(doc: Document) -> None:
    rpr = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = rpr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert not [k for k in fonts.attrib if k.endswith("Theme")]  # the theme cannot override it
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_font_table_names_stand_ins(gwgk, w47: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(make(gwgk, tmp_path)) as z:
        table = z.read("word/fontTable.xml").decode("utf-8")
    for name, alt in (("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体"), ("楷体_GB2312", "楷体"), ("黑体", "SimHei")):
        assert f'<w:font w:name="{name}"><w:altName w:val="{alt}"/>' in table


def test_paragraphs_use_the_styles(doc: Document) -> None:
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style[g.TITLE][:2] == ["淮南市人民政府办公室", "2021年政务公开重点工作任务推进情况周报"]
    assert by_style[g.SUBTITLE][:2] == ["第12期", "（2021年第47周，11月22日—11月28日）"]
    assert by_style[g.H1][:4] == ["一、总体情况", "二、各单位推进情况", "三、本周工作进展", "四、预警事项"]
    assert "（一）政务公开指导办" in by_style[g.H2]
    assert by_style[g.MARK] == ["附件"]
    assert "任务14“更新网站行政法规文本”：完成；网站行政法规文本已全部更新至最新版本（11月23日，王芳）" in by_style[g.BODY]


def test_a_units_scope_is_a_sentence_of_the_body(gwgk, w47: Path, tmp_path: Path) -> None:
    """Found by a reader: the 范围 line of a unit's 周报 was a centred subtitle that wrapped into two centred lines."""
    unit = docx.Document(str(make(gwgk, tmp_path, "--unit", "政务公开指导办")))
    scope = [p for p in unit.paragraphs if p.text.startswith("范围：")]
    assert [(p.style.name, p.text) for p in scope] == [
        (g.BODY, "范围：政务公开指导办的任务（另有8项只写明“各相关科室”等集体单位的任务未计入）。")]


def test_page_numbers_are_page_fields_odd_right_even_left(gwgk, w47: Path, tmp_path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    path = make(gwgk, tmp_path)
    doc = docx.Document(str(path))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align and p.style.name == g.PAGE_NO
        assert p.text == "— 1 —"  # the field's cached result between the dashes
    with zipfile.ZipFile(path) as z:
        footers = [z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(r"word/footer\d+\.xml", n)]
    assert len(footers) == 4  # the body's odd and even footers, and the landscape 附件's (numbers turned)
    for xml in footers:
        assert xml.count('w:fldCharType="begin"') == 1 and xml.count('w:fldCharType="end"') == 1
        assert '<w:instrText xml:space="preserve"> PAGE </w:instrText>' in xml
    assert sum('vert="vert"' in xml for xml in footers) == 2


def test_tables_repeat_the_header_and_keep_rows_whole(doc: Document) -> None:
    tables = list(doc.element.body.iter(qn("w:tbl")))[:-1]  # the last is the 版记
    assert len(tables) == len(doc.tables) - 1 >= 6
    for n, (tbl, table) in enumerate(zip(tables, doc.tables, strict=False)):
        rows = list(tbl.iter(qn("w:tr")))
        assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert all(tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for tr in rows)  # all short here
        assert all(tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is None for tr in rows[1:])
        total = sum(col.width for col in table.columns)
        width = 225 if n == len(tables) - 1 else 156  # the 附件 is landscape
        assert abs(total - Mm(width)) < Mm(1)  # across the text width, no wider


def test_annex_lists_every_task(doc: Document) -> None:
    annex = doc.tables[-2]
    assert [c.text for c in annex.rows[0].cells] == ["序号", "任务", "责任单位", "完成时限", "进展情况", "完成进度", "状态/信号"]
    rows = [[c.text for c in r.cells] for r in annex.rows[1:]]
    assert [int(r[0]) for r in rows] == list(range(1, 29))
    four = rows[3]
    assert four[1:4] == ["公开办公室预算决算", "行财科（牵头）", "12月31日"]
    assert four[5:] == ["100%", "已完成"]
    assert rows[19][5:] == ["30%", "推进中·黄灯"]


def test_generated_text_uses_full_width_punctuation(doc: Document) -> None:
    user = {"排版系统升级完成,恢复刊载", "均按期答复", "部分科室进展登记不及时", "政府公报数据库建设进度落后于计划"}
    texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    generated = [t for t in texts if not any(u in t for u in user)]
    assert len(generated) > 100
    assert [t for t in generated if ASCII_NEXT_TO_CJK.search(t)] == []
    joined = "\n".join(texts)
    assert "纳入统计的重点任务共28项：已完成3项，推进中7项" in joined
    # No space between Chinese and a number in a 公文 (the terminal's 共 28 项): found by a reader.
    assert [t for t in texts if re.search("[\u4e00-\u9fff，。：；） ][ ]+[0-9]|[0-9][ ]+[\u4e00-\u9fff]", t)] == []
    assert "自动生成" not in joined and "本报告由" not in joined  # no software credit line


@pytest.mark.parametrize(("text", "tight"), [
    ("共 28 项", "共28项"), ("第 12 期", "第12期"), ("截至 2022年1月12日", "截至2022年1月12日"),
    ("按时完成率 62.5%，平均逾期 12.0 天", "按时完成率62.5%，平均逾期12.0天"), ("任务 4“公开”", "任务4“公开”"), ("访问量 3,200 次", "访问量3,200次"),
    # A number inside a path, an address or a name keeps its spaces (found in review: 材料2021/预算2.pdf).
    ("佐证材料：材料 2021/预算 2.pdf", "佐证材料：材料 2021/预算 2.pdf"), ("见 …id=123 已发布", "见 …id=123 已发布"),
    ("v2 版", "v2 版"), ("gwgk undo 12", "gwgk undo 12"),
])
def test_no_space_between_chinese_and_a_number(text: str, tight: str) -> None:
    assert g.tight(text) == tight


def test_signature_and_record(doc: Document) -> None:
    texts = [p.text for p in doc.paragraphs]
    sign = texts.index("淮南市人民政府办公室", 2)
    assert texts[sign + 1] == "2021年11月24日"
    assert sign < texts.index("附件")  # the 落款 closes the body, before the annex
    assert [r.cells[0].text for r in doc.tables[-1].rows][:2] == ["报送：市政府办公室分管领导。", "抄送：各科室。"]


def test_two_runs_are_byte_identical(gwgk, w47: Path, tmp_path: Path) -> None:
    a = make(gwgk, tmp_path, name="a.docx").read_bytes()
    b = make(gwgk, tmp_path, name="b.docx").read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(str(tmp_path / "a.docx")).core_properties
    assert props.created == props.modified == dt.datetime(2021, 11, 24, tzinfo=dt.timezone.utc)
    assert props.revision == 1


def test_user_text_is_sanitised(gwgk, w47: Path, tmp_path: Path) -> None:
    with w47.open("a", encoding="utf-8") as fh:
        fh.write('{"id":"c1","at":"2021-11-24T10:00:00+08:00","date":"2021-11-24","by":"某\\u202e人","task":1,'
                 '"op":"note","note":"换行\\n\\u001b[31m红字"}\n')
    text = "\n".join(p.text for p in docx.Document(str(make(gwgk, tmp_path))).paragraphs)
    assert "\x1b" not in text and "\u202e" not in text
    # A control character is shown as an escape; a bidi mark, which has no glyph, is removed from print.
    assert "换行 \\x1b[31m红字（11月24日，某人）" in text


def test_format_follows_the_suffix_and_options(gwgk, w47: Path, tmp_path: Path) -> None:
    target = tmp_path / "w47.docx"
    result = gwgk(*W47, "-o", str(target), "--issue-no", "3", "--signer", "市政府办公室政务公开科")
    assert result.exit_code == 0, result.output
    texts = [p.text for p in docx.Document(str(target)).paragraphs]
    assert texts[0] == "第3期"
    assert "市政府办公室政务公开科" in texts


@pytest.mark.parametrize(("args", "message"), [
    ((), "请用 -o 指定输出文件"),
    (("-o", "tasks_2021.yaml"), "是正在使用的任务表"),
    (("-o", "tasks_2021.progress.jsonl"), "是正在使用的进展记录"),
])
def test_docx_output_refused(gwgk, w47: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
                             message: str) -> None:
    monkeypatch.chdir(w47.parent)
    before = {p.name: p.read_bytes() for p in w47.parent.iterdir() if p.is_file()}
    result = gwgk(*W47, "--format", "docx", *args)
    assert result.exit_code != 0
    assert result.stderr.startswith("错误：") and message in result.stderr and result.stderr.count("\n") == 1
    assert {p.name: p.read_bytes() for p in w47.parent.iterdir() if p.is_file()} == before


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed")
def test_libreoffice_renders_it(gwgk, w47: Path, tmp_path: Path) -> None:
    """As a person would see it: LibreOffice turns it into a PDF of A4 pages numbered “— N —”."""
    source = make(gwgk, tmp_path, name="w47.docx")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "w47.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 3
    for n, page in enumerate(pages[:3], 1):
        assert re.search(rf"—\s*{n}\s*—", page), page[-200:]
    assert "附" in text and "重点任务推进情况台账" in text


@pytest.mark.parametrize("args", [("list",), ("report",), ("export", "--format", "csv")])
def test_other_commands_do_not_load_docx_or_openpyxl(table: Path, args: tuple[str, ...]) -> None:
    """Start-up stays light: only report --format docx and export --format xlsx import them."""
    import sys

    code = ("import sys\nfrom gwgk_cli.entry import main\nsys.argv = ['gwgk', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('docx', 'openpyxl', 'lxml') if m in sys.modules), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
    assert run.stderr.strip().splitlines()[-1] == "[]", run.stderr


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed")
def test_libreoffice_lays_out_22_lines_of_28_characters(gwgk, w47: Path, tmp_path: Path) -> None:
    """GB/T 9704-2012 7.1 as printed: the body's lines 225 mm / 22 apart (28.95 pt), a full line of 三号 text 28
    characters across the 156 mm 版心 (28 mm from the left edge), the first line at the 版心's top (37 mm), the
    page number “— N —” 7 mm below the 版心 (262 mm), one character in from the right edge on odd pages and from
    the left on even ones."""
    source = make(gwgk, tmp_path, name="w47.docx")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    box = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "w47.pdf"), "-"], check=True, capture_output=True,
                         text=True).stdout
    mm = 72 / 25.4
    pitch = 225 / 22 * mm
    portrait = list(re.findall(r'<page width="595[^"]*"[^>]*>(.*?)</page>', box, re.S))
    full_lines = 0
    for n, page in enumerate(portrait, 1):
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)]
        number = [w for w in words if re.fullmatch(r"\d+", w[4]) and w[1] > 262 * mm]
        if not number:
            break  # the 附件 (landscape) and after
        assert number[0][4] == str(n)
        assert abs(number[0][1] - (262 + 7) * mm) < 4  # the number's line 7 mm below the 版心
        dashes = sorted(w[0] for w in words if w[4] == "—" and w[1] > 262 * mm)
        if n % 2:
            assert 210 * mm - 26 * mm - 16 - 3 < max(w[2] for w in words if w[1] > 262 * mm) < 210 * mm - 26 * mm - 16 + 3
        else:
            assert 28 * mm + 16 - 3 < dashes[0] < 28 * mm + 16 + 3
        body = {}  # the lines of 三号 text (taller boxes than the tables' 小四) by their top
        for x0, y0, x1, y1, w in words:
            if y1 - y0 > 20 and y0 < 262 * mm:
                body.setdefault(round(y0, 1), []).append((x0, x1, w))
        tops = sorted(body)
        if n == 1:
            assert 37 * mm - 3 < tops[0] < 37 * mm + pitch
        for a, b in zip(tops, tops[1:], strict=False) if n > 1 else ():  # page 1: the title, off the grid
            if b - a < pitch * 1.5:
                assert abs(b - a - pitch) < 0.6, (n, a, b)
        for top in tops:
            line = sorted(body[top])
            left, right = line[0][0], line[-1][1]
            if abs(left - 28 * mm) < 1 and abs(right - (210 - 26) * mm) < 2:  # a full, justified line
                text = "".join(w for _, _, w in line)
                ems = sum(0.5 if ch.isascii() else 1 for ch in text)  # Latin and digits: about half
                assert ems <= 28, text  # a line breaking before a closing mark may hold fewer, stretched
                full_lines += ems >= 27
    assert full_lines >= 3


# ----------------------------------------------------------------------------- 红灯/黄灯 cells filled
# Found by a reader: at the terminal the 预警 rows are coloured, in Word nothing marked 红/黄 but the word. The
# signal cell gets the xlsx 台账's light fill (grey on a black-and-white printer, the black text readable).
RED_FILL, YELLOW_FILL = "FFC7CE", "FFEB9C"
SIGNAL_COLUMNS = ("信号", "状态/信号")  # the 预警 table's, the 附件 台账's


def cell_grid(tbl) -> list[list[tuple[str, object]]]:
    """A table's cells as (text, w:shd element or None), read from the XML (w:tr, w:tc)."""
    return [[("".join(t.text or "" for t in tc.iter(qn("w:t"))), tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}"))
             for tc in tr.iterchildren(qn("w:tc"))] for tr in tbl.iterchildren(qn("w:tr"))]


def expected_fill(head: str, text: str) -> str | None:
    if head not in SIGNAL_COLUMNS:
        return None
    return RED_FILL if text.endswith("红灯") else YELLOW_FILL if text.endswith("黄灯") else None


@pytest.fixture
def late_table(table: Path, w47: Path) -> Path:
    """Tasks 3 and 9 due in October and mid-November: red in week 47, beside the fixture's yellow ones."""
    text = table.read_text(encoding="utf-8")
    for task, due in ((3, "10月底前"), (9, "11月15日前")):
        start = text.index(f"  - id: {task}\n")
        at = text.index("deadline: 年底前", start)
        text = text[:at] + f"deadline: {due}" + text[at + len("deadline: 年底前"):]
    table.write_text(text, encoding="utf-8")
    return table


def test_red_and_yellow_signal_cells_are_filled_and_nothing_else(gwgk, late_table: Path, tmp_path: Path) -> None:
    document = docx.Document(str(make(gwgk, tmp_path)))
    tables = [cell_grid(tbl) for tbl in document.element.body.iter(qn("w:tbl"))]
    warnings = next(t for t in tables if t[0][0][0] == "信号")
    assert [row[0][0] for row in warnings[1:]] == ["红灯", "红灯", "黄灯", "黄灯"]
    assert [row[1][0] for row in warnings[1:3]] == ["3", "9"]
    filled = 0
    for grid in tables:
        heads = [text for text, _ in grid[0]]
        for r, row in enumerate(grid):
            for (text, shd), head in zip(row, heads, strict=True):
                want = expected_fill(head, text) if r else None
                if want is None:
                    assert shd is None, (head, text)
                    continue
                filled += 1
                assert (shd.get(qn("w:val")), shd.get(qn("w:color")), shd.get(qn("w:fill"))) == ("clear", "auto", want)
    annex = next(t for t in tables if t[0][-1][0] == "状态/信号")
    assert {row[-1][0] for row in annex[1:]} >= {"未开始·红灯", "推进中·黄灯", "已完成"}
    assert filled == 4 + sum(1 for row in annex[1:] if row[-1][0].endswith(("红灯", "黄灯")))


def test_filled_cells_keep_their_text_black_and_their_properties_in_schema_order(gwgk, late_table: Path,
                                                                               tmp_path: Path) -> None:
    """w:shd between w:tcW and w:vAlign (Word refuses a file whose w:tcPr is out of order); no run coloured."""
    document = docx.Document(str(make(gwgk, tmp_path)))
    shaded = [tc for tc in document.element.body.iter(qn("w:tc")) if tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is not None]
    assert shaded
    for tc in shaded:
        assert [child.tag for child in tc.find(qn("w:tcPr"))] == [qn("w:tcW"), qn("w:shd"), qn("w:vAlign")]
        assert tc.find(f".//{qn('w:color')}") is None and tc.find(f".//{qn('w:highlight')}") is None
    from gwgk_cli.render.report_docx import SIGNAL_FILLS

    # the 台账's fills, light: above 200 of 255 in grey (what a black-and-white printer makes of them)
    assert SIGNAL_FILLS == {"red": RED_FILL, "yellow": YELLOW_FILL}
    grey = {k: 0.299 * int(v[:2], 16) + 0.587 * int(v[2:4], 16) + 0.114 * int(v[4:], 16) for k, v in SIGNAL_FILLS.items()}
    assert all(level > 200 for level in grey.values()), grey
