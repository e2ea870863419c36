"""gwgk import on notices as other offices publish them: a page whose table sits in nested <div>s inside a layout
table, a page laying its article out in a table cell with no table inside, a Word document framed by a table
(a web page saved as .docx), text boxes Word and WPS write twice (mc:AlternateContent), Word's Strict Open XML,
an .xls saved by Excel's older format (through LibreOffice)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from notice_builders import make
from test_import_faults import run, warnings

_TASKS = [  # (序号, 工作任务, 具体要求, 责任单位 lines, 完成时限)
    ("1", "财政信息公开", "做好预决算公开，细化到功能分类项级科目。", ["区财政局", "各街道办事处"], "2022年6月底前"),
    ("2", "财政信息公开", "公开政府债务限额和余额。", ["区财政局"], "每季度"),
    ("3", "政策解读", "同步发布政策解读材料。", ["区政府办", "区司法局"], "持续推进"),
]
_EXPECTED = [
    (1, 1, 1, "做好预决算公开，细化到功能分类项级科目。", ["区财政局", "各街道办事处"], None, "2022年6月底前"),
    (2, 1, 1, "公开政府债务限额和余额。", ["区财政局"], None, "每季度"),
    (3, 2, 1, "同步发布政策解读材料。", ["区政府办", "区司法局"], None, "持续推进"),
]
_OUTLINE = [(1, "深化重点领域信息公开", [(1, "财政信息公开")]), (2, "加强政策解读", [(1, "政策解读")])]


def _tasks(result: Any) -> list[tuple[Any, ...]]:
    return [(t["id"], t["section"], t["subsection"], t["requirement"], t["units"], t.get("leads"), t["deadline"])
            for t in result.table["tasks"]]


def _outline(result: Any) -> list[tuple[Any, ...]]:
    return [(s["no"], s["title"], [(b["no"], b["title"]) for b in s["subsections"]]) for s in result.table["sections"]]


def _meta(result: Any) -> tuple[Any, ...]:
    meta = result.table["meta"]
    return meta["title"], meta["issuer"], meta["published"].isoformat()


def _task_table_html() -> str:
    rows = ['<tr><td><p align="center"><strong><span style="font-family:黑体">序号</span></strong></p></td>'
            "<td><p><strong>工作任务</strong></p></td><td><p><b>具体要求</b></p></td><td><div><strong>责任单位</strong></div></td>"
            "<td><p><strong>完成时限</strong></p></td></tr>",
            '<tr><td colspan="5"><p><span>一、深化重点领域信息公开</span></p></td></tr>']
    for k, (no, group, req, units, when) in enumerate(_TASKS):
        if k == 2:
            rows.append('<tr><td colspan="5"><p>二、加强政策解读</p></td></tr>')
        group_cell = "" if k == 1 else f'<td{" rowspan=2" if k == 0 else ""}><p>{group}</p></td>'
        unit_cell = "".join(f"<p>{u}</p>" for u in units) if k == 0 else "<br>".join(units)
        rows.append(f"<tr><td><p>{no}</p></td>{group_cell}<td><div><p><span>{req}</span></p></div></td>"
                    f"<td>{unit_cell}</td><td><p>{when}</p></td></tr>")
    return ('<div align="center"><table class="MsoNormalTable" border="1" style="border-collapse:collapse"><tbody>\n'
            + "\n".join(rows) + "\n</tbody></table></div>")


def _page(article: str) -> bytes:
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>关于印发示例区2022年政务公开重点工作任务分工的通知</title>
<script>var t = "<table><tr><td>1</td></tr></table>";</script></head>
<body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li>政务公开</li></ul></div>
<table width="100%" class="layout"><tr><td class="left"><div class="menu"><a>信息公开指南</a><a>信息公开目录</a></div></td>
<td class="main"><div class="content"><div class="article">
<div class="title"><h1>示例区2022年政务公开重点工作任务分工</h1></div>
<div class="info"><span>发布时间：2022-03-15</span><span>来源：示例区人民政府办公室</span></div>
<div class="TRS_Editor"><div class="Custom_UnionStyle">
{article}
</div></div>
<div class="share">分享到：<a>微信</a></div>
</div></div></td></tr></table>
<div class="footer"><p>版权所有：示例区人民政府 网站标识码：3400000000 皖ICP备00000000号</p></div>
</body></html>
""".encode()


def test_a_table_in_nested_divs_inside_a_layout_table() -> None:
    result = run(_page(_task_table_html()), "n.html")
    assert _tasks(result) == _EXPECTED
    assert _outline(result) == _OUTLINE
    assert _meta(result) == ("示例区2022年政务公开重点工作任务分工", "示例区", "2022-03-15")
    assert warnings(result) == []


_PROSE = [
    "一、深化重点领域信息公开",
    "（一）加强政策解读。围绕中心工作做好政策解读工作。（责任单位：区政府办、区发改委；完成时限：年底前）",
    "（二）推进重大项目信息公开。公开重大建设项目批准和实施信息。（责任单位：区发改委；完成时限：每季度）",
    "二、加强平台建设",
    "（一）优化政府网站。完善网站集约化平台功能。（区数据资源局负责，9月底前完成）",
]


@pytest.mark.parametrize("joined", ["br", "p"])
def test_an_article_laid_out_in_a_table_cell_without_a_table_inside(joined: str) -> None:
    """A page's layout table with no table inside (a menu cell beside the article) was read as the task table:
    the whole article one cell, “未找到任务表”. Its cells are the page's text; the paragraphs are tasks."""
    body = ("<p>" + "<br>\n".join("&nbsp;&nbsp;" + p for p in _PROSE) + "</p>" if joined == "br"
            else "\n".join(f"<p>&nbsp;&nbsp;{p}</p>" for p in _PROSE))
    result = run(_page(f"<p>为深入推进政务公开，制定本要点。</p>\n{body}\n<p>示例区人民政府办公室</p>"), "n.html")
    assert [(t["id"], t["section"], t["title"], t["units"], t["deadline"]) for t in result.table["tasks"]] == [
        (1, 1, "加强政策解读", ["区政府办", "区发改委"], "年底前"),
        (2, 1, "推进重大项目信息公开", ["区发改委"], "每季度"),
        (3, 2, "优化政府网站", ["区数据资源局"], "9月底前完成"),
    ]
    explain = {e.lineno: e.became for e in result.explain}
    lines = _page("").decode().count("\n")  # the article starts after the page's lines before it
    first = next(n for n, e in explain.items() if e == "部分 一 标题")
    assert first > lines // 2
    # Each paragraph its own line: a <br> and the line break after it belong to no neighbour.
    assert [explain[first + k] for k in range(5)] == [
        "部分 一 标题", "任务 1 序号、标题、具体要求、责任单位、时限要求", "任务 2 序号、标题、具体要求、责任单位、时限要求",
        "部分 二 标题", "任务 3 按出现顺序编号（原序号 1）；任务 3 序号、标题、具体要求、责任单位、时限要求"]


# --------------------------------------------------------------------------- Word documents


def _docx_parts(data: bytes, change: dict[str, Any]) -> bytes:
    """The .docx with some parts' XML changed (part name -> function of its text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename in change:
                body = change[info.filename](body.decode()).encode()
            dst.writestr(info, body)
    return out.getvalue()


def _items() -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = [("title", "示例区2022年政务公开重点工作任务分工"), ("line", "发布时间：2022-03-15"),
                                    ("header", ["序号", "具体要求", "责任单位", "完成时限"]),
                                    ("section", "一、深化重点领域信息公开")]
    for k, (no, _, req, units, when) in enumerate(_TASKS):
        if k == 2:
            items.append(("section", "二、加强政策解读"))
        items.append(("task", [no, req, "、".join(units), when]))
    return items


_FLAT = [(t[0], t[1], None, *t[3:]) for t in _EXPECTED]


def test_a_word_document_framed_by_a_table() -> None:
    """The task table inside a table laying out the page (a web page saved as .docx, a frame around the notice):
    its text was one cell of the frame, “未找到任务表”. The frame's cells are read as the document's body."""
    import docx

    inner = docx.Document(io.BytesIO(make.to_docx(_items())))
    doc = docx.Document()
    frame = doc.add_table(rows=1, cols=2)
    frame.cell(0, 0).text = "信息公开目录"
    cell = frame.cell(0, 1)
    for paragraph in inner.paragraphs:
        cell.add_paragraph(paragraph.text)
    cell._tc.append(inner.tables[0]._tbl)
    cell.add_paragraph("示例区人民政府办公室")
    out = io.BytesIO()
    doc.save(out)
    result = run(out.getvalue(), "n.docx")
    assert _tasks(result) == _FLAT
    assert _meta(result) == ("示例区2022年政务公开重点工作任务分工", "示例区", "2022-03-15")
    assert warnings(result) == []
    assert str(result.explain[0].where) == "第 1 段" and result.explain[0].became == "跳过：网页框架（表格前）"


_TEXT_BOX = ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
             "<mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p><w:r><w:t>（此件公开发布）</w:t></w:r></w:p>"
             "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>（此件公开发布）</w:t>"
             "</w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>")


def test_a_text_box_word_writes_twice_is_read_once() -> None:
    """Word and WPS write a text box (or a shape's text) twice: for new readers and, as a fallback, for old ones."""
    data = _docx_parts(make.to_docx(_items()), {"word/document.xml": lambda xml: xml.replace(
        "<w:t>发布时间：2022-03-15</w:t></w:r>", "<w:t>发布时间：2022-03-15</w:t></w:r>" + _TEXT_BOX, 1)})
    result = run(data, "n.docx")
    assert _tasks(result) == _FLAT
    assert [e.text for e in result.explain if "发布时间" in e.text] == ["发布时间：2022-03-15\n（此件公开发布）"]


def test_strict_open_xml() -> None:
    """Word's “Strict Open XML” format names its elements in another namespace: the body was not found."""
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    data = _docx_parts(make.to_docx(_items()), {part: (lambda xml: xml.replace(word, strict))
                                                for part in ("word/document.xml", "word/styles.xml", "word/numbering.xml")})
    assert strict.encode() in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    result = run(data, "n.docx")
    assert _tasks(result) == _FLAT
    assert warnings(result) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_xls_reads_as_its_xlsx(tmp_path: Path) -> None:
    """.xls (Excel 97–2003, as many offices still save) is read by calamine: the same table as the .xlsx."""
    (tmp_path / "n.xlsx").write_bytes(make.to_xlsx(_items()))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--convert-to", "xls", "--outdir", str(tmp_path), str(tmp_path / "n.xlsx")],
                   check=True, capture_output=True, timeout=180)
    xls = (tmp_path / "n.xls").read_bytes()
    assert xls.startswith(b"\xd0\xcf\x11\xe0")
    from_xls, from_xlsx = run(xls, "n.xls"), run((tmp_path / "n.xlsx").read_bytes(), "n.xlsx")
    assert _tasks(from_xls) == _tasks(from_xlsx) == _FLAT
    assert [str(w) for w in from_xls.warnings] == [str(w) for w in from_xlsx.warnings]
