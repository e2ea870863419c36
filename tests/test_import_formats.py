"""gwgk import of Word, Excel, PDF and web pages, encodings, and what issue 15 asked of unseen notices.

The binary fixtures are written by tests/fixtures/import/make_fixtures.py (kept beside them); the
2021 notice is converted to .html/.docx/.xlsx/.pdf by the same script, in a temporary directory.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwgk_cli.importer import ImportResult, NoticeError, dump_table, import_notice, short_title
from notice_builders import FIXTURES, make

ROOT = Path(__file__).resolve().parent.parent
NOTICE_2021 = ROOT / "data" / "source" / "huainan-2021-notice.txt"
IMPORTED = dt.date(2026, 11, 26)




def imp(path: Path, **kwargs: Any) -> ImportResult:
    return import_notice(path.read_bytes(), source_name=path.name, imported=IMPORTED, **kwargs)


def content(result: ImportResult) -> dict[str, Any]:
    """What must be the same whatever the notice's format: outline, tasks, units, meta."""
    table = result.table
    return {
        "sections": table["sections"],
        "tasks": table["tasks"],
        "units": table["units"],
        "meta": {k: table["meta"][k] for k in ("title", "issuer", "published", "year")},
    }


# --------------------------------------------------------------------------- the 2021 notice in every format


@pytest.fixture(scope="module")
def conversions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    written: dict[str, Path] = make.write_conversions(tmp_path_factory.mktemp("conv"))
    return written


@pytest.fixture(scope="module")
def text_2021() -> ImportResult:
    return imp(NOTICE_2021)


@pytest.mark.parametrize("name", ["notice-2021.html", "notice-2021.docx", "notice-2021.xlsx", "notice-2021.pdf"])
def test_2021_in_every_format(name: str, conversions: dict[str, Path], text_2021: ImportResult) -> None:
    result = imp(conversions[name])
    assert result.summary() == "5 个部分，15 个小节，28 项任务，1 条警告"
    assert content(result) == content(text_2021)
    assert [w.message for w in result.warnings] == [w.message for w in text_2021.warnings]
    # every unit of the input is accounted for, with its position
    assert all(e.became for e in result.explain)
    if not name.endswith(".html"):
        assert all(e.where for e in result.explain)


def test_2021_xlsx_says_which_sheet(conversions: dict[str, Path]) -> None:
    result = imp(conversions["notice-2021.xlsx"])
    assert result.sheet_note == "读取工作表“任务分工”（任务表所在的工作表；未读取 “填表说明”）"
    explain = {e.where: e.became for e in result.explain}
    assert explain["工作表“任务分工”A4"] == "部分 一 标题"
    assert explain["工作表“任务分工”A6"] == "任务 1 序号"
    assert explain["工作表“任务分工”C6"] == "任务 1 责任单位"


@pytest.mark.parametrize("name", ["notice-2021.docx", "notice-2021.pdf"])
def test_2021_cli_doctor_and_list(name: str, conversions: dict[str, Path], tmp_path: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "tasks.yaml"
    result = gwgk("--today", "2021-11-22", "import", str(conversions[name]), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "导入完成：5 个部分，15 个小节，28 项任务，1 条警告"
    doctor = gwgk("--file", str(out), "doctor")
    assert doctor.exit_code == 0, doctor.output
    listed = gwgk("--today", "2021-11-22", "--file", str(out), "list", "--unit", "政府网站", "-F", "json")
    assert listed.exit_code == 0, listed.output
    # 市政府网站 (tasks 17, 18) is an alias of 政府网站, as in the shipped table
    assert [r["id"] for r in json.loads(listed.stdout)] == [2, 3, 6, 10, 17, 18, 20]


# --------------------------------------------------------------------------- small binary fixtures


def test_fixtures_are_current(tmp_path: Path) -> None:
    """The committed binary fixtures are what make_fixtures.py writes (compared by what they import to)."""
    for name, writer in make.FIXTURES.items():
        path = tmp_path / name
        path.write_bytes(writer())
        try:
            fresh: Any = content(imp(path))
        except NoticeError as exc:
            fresh = str(exc)
        try:
            committed: Any = content(imp(FIXTURES / name))
        except NoticeError as exc:
            committed = str(exc)
        assert fresh == committed, name


def test_xlsx_several_sheets_merged_group_header_in_row_3() -> None:
    result = imp(FIXTURES / "multi-sheet.xlsx")
    table = result.table
    assert result.sheet_note == "读取工作表“重点任务”（任务表所在的工作表；未读取 “说明”）"
    assert [(s["no"], s["title"]) for s in table["sections"]] == [(1, "决策公开"), (2, "政策解读")]
    rows = [(t["id"], t["section"], t["units"], t.get("leads"), t["deadline"]) for t in table["tasks"]]
    assert rows == [
        (1, 1, ["县司法局"], None, "2025年6月底前"),
        (2, 1, ["县政府办", "各相关单位"], None, "2025-12-31"),  # a date cell, a number stored as text
        (3, 2, ["县政府办", "县融媒体中心"], None, "持续推进"),  # 3.0 stored as a number
    ]
    explain = {e.where: e.became for e in result.explain}
    assert explain["工作表“重点任务”B4"] == "部分 一 标题（工作任务列）"
    assert explain["工作表“重点任务”E4"] == "任务 1 配合单位（空）"
    assert "工作表“重点任务”B5" not in explain  # covered by the merged B4:B5: no cell of its own


def test_docx_numbered_paragraphs_without_a_table() -> None:
    result = imp(FIXTURES / "numbered-paragraphs.docx")
    tasks = result.table["tasks"]
    assert [(t["id"], t["requirement"], t["units"], t["deadline"]) for t in tasks] == [
        (1, "公开镇级权责清单。", ["党政办"], "年底前"),
        (2, "做好财政预决算公开。", ["财政所"], "持续推进"),
    ]
    explain = {e.where: e.became for e in result.explain}
    assert explain["第 7 段"] == "任务 1 序号、具体要求"  # the 1. is Word's numbering, not in the text


def test_docx_merged_cells_and_continued_tables(tmp_path: Path) -> None:
    """Two tables (a page break between them) with the header repeated; a group cell merged down."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("示例局2025年政务公开重点工作任务分工")
    for rows in ([("1", "公开权责清单。", "办公室", "年底前"), ("2", "公开预决算。", "财务科", "年底前")],
                 [("3", "公开政策解读。", "办公室", "持续推进")]):
        table = doc.add_table(rows=1, cols=5)
        for cell, text in zip(table.rows[0].cells, ["序号", "工作任务", "具体要求", "责任科室", "完成时限"], strict=True):
            cell.text = text
        for no, req, unit, when in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, [no, "", req, unit, when], strict=True):
                cell.text = text
        group = table.rows[1].cells[1].merge(table.rows[-1].cells[1])
        group.text = "主动公开" if rows[0][0] == "1" else "政策解读"
        doc.add_page_break()
    path = tmp_path / "merged.docx"
    doc.save(str(path))
    result = imp(path)
    table_ = result.table
    assert [(s["no"], s["title"]) for s in table_["sections"]] == [(1, "主动公开"), (2, "政策解读")]
    assert [(t["id"], t["section"], t["units"]) for t in table_["tasks"]] == [
        (1, 1, ["办公室"]), (2, 1, ["财务科"]), (3, 2, ["办公室"])
    ]
    assert [str(w) for w in result.warnings] == [
        "未找到发布时间，meta.published 暂填 2025-01-01（计划年度的第一天），请人工核对"
    ]


def test_scanned_pdf_is_a_clear_error() -> None:
    with pytest.raises(NoticeError, match="PDF 文件没有文字层"):
        imp(FIXTURES / "scanned.pdf")


def test_html_rowspan_colspan_br_and_meta_charset() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
        "<div>首页 &gt; 通知公告</div><h1>示例县2023年政务公开重点工作任务分工</h1>"
        "<table><tr><th>序号</th><th>具体要求</th><th>责任单位</th><th>时限要求</th></tr>"
        "<tr><td colspan='4'>一、决策公开</td></tr>"
        "<tr><td>1</td><td>公开决策<br>事项目录。</td><td>县司法局</td><td>年底前</td></tr>"
        "<tr><td colspan='4'>二、政策解读</td></tr>"
        "<tr><td>2</td><td>公开征求意见情况。</td><td rowspan='2'>县政府办</td><td>持续推进</td></tr>"
        "<tr><td>3</td><td>同步解读。</td><td>持续推进</td></tr>"
        "</table><p>版权所有:示例县人民政府</p></body></html>"
    )
    data = page.encode("gbk")  # GBK bytes, as the page says
    result = import_notice(data, source_name="notice.htm", imported=IMPORTED)
    tasks = result.table["tasks"]
    assert [(t["id"], t["section"], t["requirement"], t["units"]) for t in tasks] == [
        (1, 1, "公开决策事项目录。", ["县司法局"]),
        (2, 2, "公开征求意见情况。", ["县政府办"]),
        (3, 2, "同步解读。", ["县政府办"]),  # the rowspan'd cell belongs to both rows
    ]
    assert [s["title"] for s in result.table["sections"]] == ["决策公开", "政策解读"]


# --------------------------------------------------------------------------- encodings

_SMALL = "示例县2022年政务公开重点工作任务分工\n序号\n具体要求\n责任单位\n时限要求\n一、公开\n1\n公开权责清单。\n县委编办\n年底前\n"
_BIG5 = "示例縣2022年政務公開重點工作任務分工\n序號\n具體要求\n責任單位\n時限要求\n一、公開\n1\n公開權責清單。\n縣委編辦\n年底前\n"


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        (_SMALL.encode("utf-8"), True),
        (b"\xef\xbb\xbf" + _SMALL.encode("utf-8"), True),
        (_SMALL.encode("utf-16"), True),
        (_SMALL.encode("utf-32"), True),  # with its BOM
        (_SMALL.encode("gb18030"), True),
        (_SMALL.encode("utf-32-le"), False),  # no BOM: NUL characters
        (_SMALL.encode("utf-16-le"), False),
        (_BIG5.encode("big5"), False),  # decodes as GB18030, into mojibake
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf32-bom", "gb18030", "utf32-no-bom", "utf16-no-bom", "big5"],
)
def test_encodings(data: bytes, ok: bool) -> None:
    if ok:
        assert [t["units"] for t in import_notice(data, source_name="x.txt").table["tasks"]] == [["县委编办"]]
    else:
        with pytest.raises(NoticeError, match="编码|空字符") as info:
            import_notice(data, source_name="x.txt")
        assert "另存为 UTF-8" in str(info.value)


def test_big5_message() -> None:
    with pytest.raises(NoticeError) as info:
        import_notice(_BIG5.encode("big5"), source_name="x.txt")
    assert str(info.value).startswith("通知的编码无法确定：按 GB18030 读出的文字是乱码（")


# --------------------------------------------------------------------------- unseen notices (issue 15)


def test_alias_shown_in_explain_and_draft_titles_marked() -> None:
    result = imp(FIXTURES / "cell-pipes.txt")
    explain = {e.lineno: e.became for e in result.explain}
    assert explain[14] == "任务 1 责任单位；单位“区政府网站”视为“政府网站”的别名（去掉本地前缀“区”后相同）"
    text = dump_table(result.table, drafts=result.drafts, placeholders=result.placeholders)
    assert "  title: 公开国民经济和社会发展规划纲要  # 草稿标题（由具体要求自动拟定），请核对" in text.splitlines()
    assert "  published: 2024-01-01  # 通知中未找到发布时间，暂填 2024-01-01，请人工核对" in text.splitlines()
    assert yaml.safe_load(text)["tasks"][0]["units"] == ["区政府网站", "区发改委"]  # names kept as written


@pytest.mark.parametrize(
    ("requirement", "title"),
    [
        ("区政府要主动公开国民经济和社会发展规划纲要及其他各类规划,建立规划信息专题。", "公开国民经济和社会发展规划纲要"),
        ("各单位应及时公开规划调整情况。", "及时公开规划调整情况"),
        ("对重要政策文件同步开展解读,解读材料与政策文件同步发布。", "对重要政策文件同步开展解读"),
    ],
)
def test_titles_at_a_natural_boundary(requirement: str, title: str) -> None:
    assert short_title(requirement) == title


def test_ids_past_1000() -> None:
    lines = ["示例市2030年政务公开重点工作任务分工", "序号", "具体要求", "责任单位", "时限要求", "一、公开"]
    for i in (999, 1000, 1001, 12345):
        lines += [str(i), f"公开第{i}项。", "办公室", "年底前"]
    result = import_notice("\n".join(lines).encode(), source_name="x.txt")
    assert [t["id"] for t in result.table["tasks"]] == [999, 1000, 1001, 12345]


def test_old_office_file_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    from gwgk_cli.importer import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(NoticeError) as info:
        import_notice(ole, source_name="通知.wps")
    assert str(info.value) == (
        "通知.wps 是旧版 Office/WPS 文件（.wps），本机没有安装 LibreOffice，无法转换：请用 WPS 或 Office 打开后另存为 .docx 再导入"
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_doc_through_libreoffice(tmp_path: Path) -> None:
    (tmp_path / "n.docx").write_bytes(make.numbered_paragraphs_docx())
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(tmp_path / "n.docx")],
                   check=True, capture_output=True, timeout=180)
    assert (tmp_path / "n.doc").read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    result = imp(tmp_path / "n.doc")
    assert [t["requirement"] for t in result.table["tasks"]] == ["公开镇级权责清单。", "做好财政预决算公开。"]


# --------------------------------------------------------------------------- never a traceback

_MAGIC = [b"PK\x03\x04", b"%PDF-1.4\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", b"<html><table>"]
_NAMES = ["x.docx", "x.xlsx", "x.xls", "x.pdf", "x.html", "x.txt", "x.et"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_MAGIC), st.binary(max_size=400), st.sampled_from(_NAMES))
def test_arbitrary_files_never_crash(magic: bytes, rest: bytes, name: str) -> None:
    from gwgk_cli.importer import office

    office_soffice = office.soffice
    office.soffice = lambda: None  # no LibreOffice run per example
    try:
        import_notice(magic + rest, source_name=name)
    except NoticeError as exc:
        assert str(exc)
    finally:
        office.soffice = office_soffice


_CELL = st.one_of(
    st.sampled_from(["序号", "具体要求", "责任单位", "时限要求", "进展情况", "一、公开", "(一)解读", "1", "2", "年底前", ""]),
    st.text(max_size=10),
    st.integers(-5, 2000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELL, min_size=1, max_size=5), min_size=1, max_size=8))
def test_arbitrary_sheets_and_documents_never_crash(rows: list[list[Any]]) -> None:
    import docx
    import openpyxl

    clean = [[c if not isinstance(c, str) else "".join(ch for ch in c if ch.isprintable()) for c in r] for r in rows]
    book = openpyxl.Workbook()
    for r, row in enumerate(clean, start=1):
        for c, value in enumerate(row, start=1):
            book.active.cell(r, c, value)
    import io

    buf = io.BytesIO()
    book.save(buf)
    doc = docx.Document()
    width = max(len(r) for r in clean)
    table = doc.add_table(rows=len(clean), cols=width)
    for r, row in enumerate(clean):
        for c, value in enumerate(row):
            table.cell(r, c).text = str(value)
    dbuf = io.BytesIO()
    doc.save(dbuf)
    four = [([str(c) for c in row] + [""] * 4)[:4] for row in clean]  # make.to_pdf lays out 4 columns
    pdf = make.to_pdf([("title", "示例2024年任务分工"), ("header", four[0]), *(("task", row) for row in four[1:])])
    for data, name in ((buf.getvalue(), "x.xlsx"), (dbuf.getvalue(), "x.docx"), (pdf, "x.pdf")):
        try:
            result = import_notice(data, source_name=name)
        except NoticeError as exc:
            assert str(exc)
            continue
        assert result.table["tasks"]
        dump_table(result.table)


def test_import_does_not_load_format_libraries_for_list() -> None:
    code = "import sys; from gwgk_cli.entry import main\n" \
           "import gwgk_cli.importer\n" \
           "print(sorted(m for m in ('lxml', 'python_calamine', 'pypdfium2', 'docx') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("责任科室", "units"), ("责任单位", "units"), ("责任部门", "units"), ("牵头单位", "units"),
        ("责任单位及责任人", "units"), ("主办单位", "units"), ("责任单位(部门)", "units"),
        ("配合单位", "co"), ("协作单位", "co"),
        ("完成时限", "deadline"), ("时限要求", "deadline"), ("完成时间要求", "deadline"), ("推进时限", "deadline"),
        ("工作措施", "req"), ("具体措施", "req"), ("工作要求", "req"), ("工作举措", "req"), ("具体内容及要求", "req"),
        ("进展情况", "progress"), ("当前进展情况", "progress"), ("备注说明", "progress"),
        ("序号", "no"), ("序列号", "no"), ("工作任务", "group"),
        # cells of a task are not headers
        ("县政府办", None), ("年底前", None), ("持续推进", None), ("各相关部门", None), ("2024年6月底前", None),
        ("公开权责清单。", None),
    ],
)
def test_headers_by_meaning(header: str, kind: str | None) -> None:
    from gwgk_cli.importer.classify import header_kind

    assert header_kind(header) == kind


def test_unseen_header_words_import() -> None:
    text = "示例县2024年政务公开重点工作任务分工\n序列号\n工作举措\n主办单位\n协作单位\n完成时间要求\n当前进展情况\n" \
           "一、公开\n1\n公开权责清单。\n县委编办\n县司法局\n年底前\n已公开\n"
    result = import_notice(text.encode(), source_name="x.txt")
    (task,) = result.table["tasks"]
    assert (task["units"], task["deadline"], task["notice_progress"]) == (["县委编办", "县司法局"], "年底前", "已公开")


@pytest.mark.parametrize("name", ["saved.html", "saved.txt"])
def test_meta_charset_decides_before_gb18030(name: str) -> None:
    """A Big5 page that says so is read as Big5 (without its <meta> it would be refused as mojibake)."""
    page = '<html><head><meta charset="big5"></head><body><p>示例縣2023年政務公開重點工作任務分工</p>' \
           "<table><tr><td>序號</td><td>具體要求</td><td>責任單位</td><td>時限要求</td></tr>" \
           "<tr><td>1</td><td>公開權責清單。</td><td>縣委編辦</td><td>年底前</td></tr></table></body></html>"
    result = import_notice(page.encode("big5"), source_name=name)
    assert result.table["tasks"][0]["units"] == ["縣委編辦"]
    with pytest.raises(NoticeError, match="乱码"):
        import_notice(page.replace(' charset="big5"', "").encode("big5"), source_name=name)


def test_pdf_group_cell_spanning_rows(tmp_path: Path) -> None:
    """A 工作任务 cell merged over two rows belongs to both; a heading row spans the table."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    cells = [
        ["序号", "工作任务", "具体要求", "责任单位", "时限要求"],
        ["一、推进决策公开", "", "", "", ""],
        ["1", "决策公开", "公开重大行政决策事项目录。", "县司法局", "年底前"],
        ["2", "", "做好决策草案公开征求意见。", "县政府办", "持续推进"],
        ["3", "政策解读", "同步发布政策解读材料。", "县政府办", "持续推进"],
    ]
    table = Table([[Paragraph(c, style) for c in row] for row in cells], colWidths=[30, 60, 200, 80, 60])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (0, 1), (-1, 1)), ("SPAN", (1, 2), (1, 3)),
    ]))
    out = io.BytesIO()
    SimpleDocTemplate(out).build([Paragraph("示例县2025年政务公开重点工作任务分工", style), table])
    path = tmp_path / "group.pdf"
    path.write_bytes(out.getvalue())
    result = imp(path)
    table_ = result.table
    assert [(s["no"], s["title"], [b["title"] for b in s["subsections"]]) for s in table_["sections"]] == [
        (1, "推进决策公开", ["决策公开", "政策解读"])
    ]
    assert [(t["id"], t["subsection"], t["units"]) for t in table_["tasks"]] == [
        (1, 1, ["县司法局"]), (2, 1, ["县政府办"]), (3, 2, ["县政府办"])
    ]
    explain = {e.where: e.became for e in result.explain}
    assert explain["第 1 页表格第 3 行第 2 列"] == "小节 1.1 标题（工作任务列）"
    assert "第 1 页表格第 4 行第 2 列" not in explain  # covered by the merged cell


# --------------------------------------------------------------------------- unseen layouts, binary fixtures

# name: (sections with subsections, tasks as (id, section, subsection, requirement, units, leads, deadline),
#        meta (title, issuer, published), warnings). Written by make_fixtures.py (see its docstrings).
UNSEEN: dict[str, tuple[Any, ...]] = {
    "sdt-merged-units.docx": (
        [(1, "推进卫生健康信息公开", ["医疗服务信息", "公共卫生信息"])],
        [
            (1, 1, 1, "公开医疗机构执业信息。", ["医政科"], None, "6月底前"),
            (2, 1, 1, "公开医疗服务价格和收费项目。", ["医政科"], None, "持续推进"),  # 医政科 merged down
            (3, 1, 2, "及时公开突发公共卫生事件信息。", ["疾控科"], None, "9月底前"),  # row and cell in content controls
        ],
        ("示例区卫生健康委2025年政务公开重点工作任务分工", "示例区卫生健康委", dt.date(2025, 3, 10)),
        [],
    ),
    "two-row-header.xlsx": (
        [(1, "深化重点领域信息公开", ["财政信息", "就业信息"])],
        [
            (1, 1, 1, "公开政府预决算和“三公”经费。", ["市财政局", "市直各部门"], None, "2025年8月底前"),
            (2, 1, 1, "公开政府债务限额和余额。", ["市财政局"], None, "年底前"),
            (3, 1, 2, "公开就业创业扶持政策。", ["市人力资源社会保障局", "各县(区)人民政府"], None, "持续推进"),
        ],
        ("示例市2025年政务公开重点工作任务分工", "示例市", dt.date(2025, 2, 20)),
        [],
    ),
    "split-row.pdf": (
        [(1, "（未分部分）", [])],
        [
            (1, 1, None, "公开县级权责清单。", ["县委编办"], None, "年底前"),
            (2, 1, None, "推进政务服务事项标准化，公开办事指南，实现同源发布。", ["县数据资源局"], None, "2025年9月底前"),
            (3, 1, None, "做好政策解读。", ["县政府办"], None, "持续推进"),
        ],
        ("示例县2025年政务公开重点工作任务分工", "示例县", dt.date(2025, 4, 1)),
        ["第 1 页表格第 2 行第 1 列：任务前没有部分标题，归入第 1 部分“（未分部分）”"],
    ),
}


@pytest.mark.parametrize("name", sorted(UNSEEN))
def test_unseen_binary_layouts(name: str) -> None:
    sections, tasks, (title, issuer, published), warnings = UNSEEN[name]
    result = imp(FIXTURES / name)
    table = result.table
    assert [(s["no"], s["title"], [b["title"] for b in s["subsections"]]) for s in table["sections"]] == sections
    assert [
        (t["id"], t["section"], t["subsection"], t["requirement"], t["units"], t.get("leads"), t["deadline"])
        for t in table["tasks"]
    ] == tasks
    assert (table["meta"]["title"], table["meta"]["issuer"], table["meta"]["published"]) == (title, issuer, published)
    assert [str(w) for w in result.warnings] == warnings
    assert all(e.became and e.where for e in result.explain)


def test_two_row_header_explained() -> None:
    """The second header row names the columns under the merged 责任单位; no “different header” warning."""
    explain = {e.where: e.became for e in imp(FIXTURES / "two-row-header.xlsx").explain}
    assert explain["工作表“Sheet1”D3"] == "表头 责任单位"
    assert explain["工作表“Sheet1”D4"] == "表头 责任单位（原文“牵头单位”）（表头第二行）"
    assert explain["工作表“Sheet1”E4"] == "表头 配合单位（表头第二行）"
    assert explain["工作表“Sheet1”E6"] == "任务 1 配合单位"


def test_split_row_continues_over_the_repeated_header() -> None:
    explain = {e.where: e.became for e in imp(FIXTURES / "split-row.pdf").explain}
    assert explain["第 2 页表格第 1 行第 2 列"] == "表头 具体要求（重复）"
    assert explain["第 2 页表格第 2 行第 2 列"] == "任务 2 具体要求（接上一表格行）"


@pytest.mark.parametrize("width", [0.5, 1.0, 1.5, 2.5])
def test_pdf_rules_of_any_usual_width(width: float) -> None:
    """Table borders from hairlines to 2.5 pt (a thick outer frame) are rules."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    cells = [["序号", "具体要求", "责任单位", "时限要求"], ["1", "公开权责清单。", "县委编办", "年底前"]]
    table = Table([[Paragraph(c, style) for c in row] for row in cells], colWidths=[40, 200, 100, 80])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), width, colors.black)]))
    out = io.BytesIO()
    SimpleDocTemplate(out).build([Paragraph("示例县2025年政务公开重点工作任务分工", style), table])
    result = import_notice(out.getvalue(), source_name="x.pdf")
    assert [(t["requirement"], t["units"]) for t in result.table["tasks"]] == [("公开权责清单。", ["县委编办"])]
    assert {e.where for e in result.explain} >= {"第 1 页表格第 2 行第 3 列"}


def test_pdf_text_crossing_a_rule_is_split_at_it() -> None:
    """One text object running over a column rule (no space between the cells: PDFium makes none up)
    is split character by character: the number in the 序号 cell, the rest in the next."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("STSong-Light", 10)
    c.drawString(50, 800, "示例县2025年政务公开重点工作任务分工")
    xs = [50, 76, 250, 330, 400]
    for x, text in zip(xs, ["序号", "具体要求", "责任单位", "时限要求"], strict=False):
        c.drawString(x + 2, 766, text)
    c.drawString(70, 746, "1公开县级权责清单。")  # "1" left of the rule at x=76, the rest right of it
    c.drawString(252, 746, "县委编办")
    c.drawString(332, 746, "年底前")
    for y in (780, 760, 740):
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, 780, x, 740)
    c.showPage()
    c.save()
    result = import_notice(out.getvalue(), source_name="x.pdf")
    assert [(t["id"], t["requirement"], t["units"]) for t in result.table["tasks"]] == [(1, "公开县级权责清单。", ["县委编办"])]
    explain = {e.where: (e.text, e.became) for e in result.explain}
    assert explain["第 1 页表格第 2 行第 1 列"] == ("1", "任务 1 序号")


@pytest.mark.parametrize("name", sorted(UNSEEN))
def test_unseen_binary_layouts_pass_doctor_and_list(name: str, tmp_path: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "t.yaml"
    result = gwgk("--today", "2025-03-01", "import", str(FIXTURES / name), "-o", str(out))
    assert result.exit_code == 0, result.output
    doctor = gwgk("--file", str(out), "doctor")
    assert doctor.exit_code == 0, doctor.output
    listed = gwgk("--today", "2025-03-01", "--file", str(out), "list", "-F", "json")
    assert listed.exit_code == 0, listed.output
    assert [r["id"] for r in json.loads(listed.stdout)] == [1, 2, 3]


def test_xlsx_a_row_with_empty_last_cells_keeps_its_columns(tmp_path: Path) -> None:
    """Found by a hostile test: a row whose 时限要求 cell was empty was cut at its last value, and its values
    were read one column off (requirement '1', units [公开规划], deadline 县发改委)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["某县2022年政务公开重点工作任务分工"], ["序号", "具体要求", "责任单位", "时限要求"], ["一、全部"],
                [1, "公开规划。", "县发改委", None], [2, "公开预算。", "县财政局", "年底前"],
                [3, "公开政策解读。", None, None]):
        ws.append(row)
    ws["H9"] = "（注：表外备注）"
    wb.save(tmp_path / "n.xlsx")
    tasks = imp(tmp_path / "n.xlsx").table["tasks"]
    assert [(t["id"], t["requirement"], t["units"], t["deadline"]) for t in tasks] == [
        (1, "公开规划。", ["县发改委"], ""), (2, "公开预算。", ["县财政局"], "年底前"), (3, "公开政策解读。", [], "")]


def test_a_pdf_with_two_header_rows_of_one_repeated_word_is_refused_not_crashed() -> None:
    """Found by hypothesis in CI: a PDF whose first two rows both read 序号 序号 序号 (a blank fourth cell) took
    the second for a second header row and crashed (zip of three cells against four); now no task table."""
    four = [["序号", "序号", "序号", ""], ["序号", "序号", "序号", ""]]
    pdf = make.to_pdf([("title", "示例2024年任务分工"), ("header", four[0]), ("task", four[1])])
    with pytest.raises(NoticeError):
        import_notice(pdf, source_name="x.pdf")


def _book_bytes(rows: list[list[Any]], other: list[list[Any]] | None = None) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "任务分工"
    for row in rows:
        book.active.append(row)
    if other is not None:
        extra = book.create_sheet("汇总")
        for row in other:
            extra.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


_HEADER = ["序号", "工作任务", "责任单位", "完成时限"]


def test_xlsx_formulas_without_saved_results_are_refused_by_cell() -> None:
    """Found by a tester: a 序号 written =ROW()-1 in a workbook a program wrote (openpyxl keeps no result) read
    as blank, and the tasks ran into one another."""
    rows = [_HEADER, *(["=ROW()-1", f"任务{n}要求", "县政府办", "年底前"] for n in range(1, 6))]
    with pytest.raises(NoticeError) as caught:
        import_notice(_book_bytes(rows), source_name="x.xlsx")
    assert str(caught.value) == (
        "工作表“任务分工”A2、A3、A4 等 5 个单元格是公式，文件中没有保存计算结果（由程序生成、未经 Excel 或 WPS 保存），"
        "按空白读会错：请用 Excel 或 WPS 打开该文件、保存后再导入")
    # A formula in a sheet that is not the task table does not stop the import.
    plain = [_HEADER, *([n, f"任务{n}要求", "县政府办", "年底前"] for n in range(1, 6))]
    result = import_notice(_book_bytes(plain, other=[["合计", "=COUNTA(任务分工!A2:A6)"]]), source_name="x.xlsx")
    assert [t["id"] for t in result.table["tasks"]] == [1, 2, 3, 4, 5]


def _saved_by_excel(data: bytes) -> bytes:
    """The workbook as Excel saves it after computing: each formula with its result (A: the row's number; others:
    an empty string, <c t="str">…<v></v>)."""
    import io
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as z, zipfile.ZipFile(out, "w") as w:
        for item in z.infolist():
            body = z.read(item)
            if item.filename.startswith("xl/worksheets/"):
                body = re.sub(rb'<c r="A(\d+)"><f>([^<]*)</f><v></v>',
                              lambda m: b'<c r="A' + m[1] + b'"><f>' + m[2] + b"</f><v>" + str(int(m[1]) - 1).encode() + b"</v>",
                              body)
                body = re.sub(rb'<c r="([B-Z]\d+)"><f>', rb'<c r="\1" t="str"><f>', body)
            w.writestr(item, body)
    return out.getvalue()


def test_xlsx_formulas_with_saved_results_import() -> None:
    """Found in review: =IF(D2="","","") saved by Excel (an empty string result) was refused as a formula with no
    saved result, which no re-saving could mend."""
    rows = [[*_HEADER, "备注"], *(["=ROW()-1", f"任务{n}要求", "县政府办", "年底前", '=IF(D2="","","")'] for n in range(1, 6))]
    result = import_notice(_saved_by_excel(_book_bytes(rows)), source_name="x.xlsx")
    assert [t["id"] for t in result.table["tasks"]] == [1, 2, 3, 4, 5]


def test_one_finder_for_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a Windows review: the importer looked in %PROGRAMFILES% only, sheet in also in (x86); neither in
    ProgramW6432 (a 32-bit Python, a 64-bit LibreOffice) nor where GWGK_SOFFICE names it."""
    from gwgk_cli.importer import office
    from gwgk_cli.sheets import convert

    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.delenv("GWGK_SOFFICE", raising=False)
    program = tmp_path / "x86" / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"")
    monkeypatch.setattr(sys, "platform", "win32")
    for var in ("ProgramW6432", "ProgramFiles"):
        monkeypatch.setenv(var, str(tmp_path / "none"))
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "x86"))
    monkeypatch.setattr("gwgk_cli.soffice._registry_folders", lambda: [])
    assert office.soffice() == convert.find_soffice() == str(program)
    named = tmp_path / "elsewhere" / "soffice.exe"
    named.parent.mkdir()
    named.write_bytes(b"")
    monkeypatch.setenv("GWGK_SOFFICE", str(named))
    assert office.soffice() == convert.find_soffice() == str(named)
