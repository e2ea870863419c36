"""gwgk import: faults a hostile tester found with notices of other offices (one section per fault).

Each test builds its notice in a temporary file (HTML, text, .xlsx, .docx or PDF) and says exactly
what must come out of it; the layouts are not the fixtures', and each fault is checked in the
variants another office would write (other markers, labels and numbering styles).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from gwgk_cli.importer import ImportResult, NoticeError, import_notice
from notice_builders import make

IMPORTED = dt.date(2026, 11, 26)
TITLE = "示例县2022年政务公开重点工作任务分工"




def run(data: bytes, name: str) -> ImportResult:
    return import_notice(data, source_name=name, imported=IMPORTED)


def tasks(result: ImportResult) -> list[tuple[Any, ...]]:
    """(id, section, subsection, requirement, units, leads, deadline) of every task."""
    return [
        (t["id"], t["section"], t["subsection"], t["requirement"], t["units"], t.get("leads"), t["deadline"])
        for t in result.table["tasks"]
    ]


def outline(result: ImportResult) -> list[tuple[int, str, list[tuple[int, str]]]]:
    return [(s["no"], s["title"], [(b["no"], b["title"]) for b in s["subsections"]]) for s in result.table["sections"]]


def warnings(result: ImportResult) -> list[str]:
    """The warnings, without the one every notice here has (no 发布时间)."""
    return [str(w) for w in result.warnings if "未找到发布时间" not in w.message]


def html_table(rows: list[list[str]]) -> bytes:
    """A page with the title and one table, a row per line; a cell given as ``<td …>`` is taken as it is."""
    lines = ["<html><body>", f"<p>{TITLE}</p>", "<table>"]
    for row in rows:
        lines.append("<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>")
    lines += ["</table>", "</body></html>"]
    return ("\n".join(lines) + "\n").encode()


# --------------------------------------------------------------------------- 6. the encoding error names the byte

_HEAD = f"<html><body><p>{TITLE}</p>\n<table><tr><td>序号</td><td>具体要求</td></tr>\n".encode()


@pytest.mark.parametrize(("data", "where"), [
    # 0xA1A1 (a GB18030 space) is the first byte that is not UTF-8; 0xFF is not GB18030 either (GB18030 fails
    # earlier still, in the title's UTF-8: where it fails says nothing to the clerk).
    (_HEAD + b"<tr><td>1</td><td>\xa1\xa1ok \xff</td></tr></table></body></html>",
     f"第 3 行，第 {len(_HEAD) + 19} 字节 0xA1 起不符"),
    (b"\xff" + _HEAD, "第 1 行，第 1 字节 0xFF 起不符"),  # counted from 1
], ids=["utf8-first", "first-byte"])
@pytest.mark.parametrize("name", ["n.html", "n.txt"])
def test_encoding_error_names_the_first_bad_byte(data: bytes, where: str, name: str, tmp_path: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    """It named the GB18030 attempt's offset, counted from 0: not where the file stops being UTF-8."""
    path = tmp_path / name
    path.write_bytes(data)
    result = gwgk("import", str(path), "-o", str(tmp_path / "t.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"错误：{path}: 无法识别通知的编码：既不是 UTF-8（{where}）也不是 GB18030：请用记事本或 WPS 另存为 UTF-8 编码后再导入\n"
    assert not (tmp_path / "t.yaml").exists()


def test_bom_error_counts_the_bom() -> None:
    with pytest.raises(NoticeError) as info:
        run(b"\xef\xbb\xbf" + TITLE.encode() + b"\xff", "n.txt")
    assert str(info.value) == (f"通知文件以 UTF-8 的 BOM 开头，但第 {3 + len(TITLE.encode()) + 1} 字节（0xFF）起不是该编码："
                               "请用记事本或 WPS 另存为 UTF-8 编码后再导入")


# --------------------------------------------------------------------------- 7. (牵头) names its own unit only


@pytest.mark.parametrize(("cell", "units", "leads"), [
    ("县财政局、县发改委（牵头）", ["县财政局", "县发改委"], ["县发改委"]),
    ("县财政局、县发改委(牵头单位)", ["县财政局", "县发改委"], ["县发改委"]),
    ("县财政局、县发改委【牵头】、县审计局", ["县财政局", "县发改委", "县审计局"], ["县发改委"]),
    ("县财政局（牵头）、县发改委、县审计局（配合）", ["县财政局", "县发改委", "县审计局"], ["县财政局"]),
    ("县财政局、县发改委（牵头）、县审计局（牵头）", ["县财政局", "县发改委", "县审计局"], ["县发改委", "县审计局"]),
    # Written on, the marker is the verb of every unmarked name before it: unchanged.
    ("县财政局、县发改委牵头", ["县财政局", "县发改委"], ["县财政局", "县发改委"]),
    ("县财政局、县发改委牵头，县审计局（配合）", ["县财政局", "县发改委", "县审计局"], ["县财政局", "县发改委"]),
])
def test_a_lead_mark_in_parentheses_names_its_own_unit(cell: str, units: list[str], leads: list[str]) -> None:
    from gwgk_cli.importer import parse_units

    assert parse_units(cell) == (units, leads)


def test_lead_in_parentheses_through_the_cli(tmp_path: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    import yaml

    path = tmp_path / "n.html"
    path.write_bytes(html_table([
        ["序号", "具体要求", "责任单位", "时限要求"],
        ['<td colspan="4">一、推进决策公开</td>'],
        ["1", "公开重大行政决策事项目录。", "县司法局、县政府办（牵头）", "年底前"],
        ["2", "做好政策解读。", "县政府办", "持续推进"],
    ]))
    out = tmp_path / "t.yaml"
    result = gwgk("--today", "2022-03-01", "import", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    table = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [(t["units"], t.get("leads")) for t in table["tasks"]] == [
        (["县司法局", "县政府办"], ["县政府办"]), (["县政府办"], None)]
    assert gwgk("--file", str(out), "doctor").exit_code == 0


# --------------------------------------------------------------------------- 8. no table larger than the reader takes


@pytest.mark.parametrize("output", ["t.yaml", "-", None])
def test_a_table_too_large_to_read_is_not_written(output: str | None, tmp_path: Path, gwgk,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The table reader's cap (table.MAX_TABLE_BYTES, 16 MiB), lowered here to what this notice's table just
    exceeds: a notice of 16 MiB would take minutes on the shared machine."""
    from gwgk_cli import table

    path = tmp_path / "n.html"
    path.write_bytes(html_table([
        ["序号", "具体要求", "责任单位", "时限要求"],
        ['<td colspan="4">一、推进决策公开</td>'],
        ["1", "公开重大行政决策事项目录。", "县司法局", "年底前"],
    ]))
    monkeypatch.chdir(tmp_path)
    fits = gwgk("--today", "2022-03-01", "import", str(path), "-o", "-")
    assert fits.exit_code == 0, fits.output
    size = len(fits.stdout.encode("utf-8"))
    args = ["--today", "2022-03-01", "import", str(path)] + (["-o", output] if output else [])
    monkeypatch.setattr(table, "MAX_TABLE_BYTES", size - 1)
    result = gwgk(*args)
    assert result.exit_code == 2
    assert result.stderr == (f"错误：{path}: 导入得到的任务表过大（{size} 字节，任务表上限 {size - 1} 字节），"
                             "gwgk 无法读取这样的表，未写入\n")
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.html"]
    monkeypatch.setattr(table, "MAX_TABLE_BYTES", size)
    assert gwgk(*args).exit_code == 0  # the cap itself is allowed


# --------------------------------------------------------------------------- 9. every line break is one


def _breaks_notice(br: str) -> list[tuple[str, Any]]:
    """Cells with a line break in them: two units, a requirement of two sentences, a wrapped deadline."""
    return [
        ("title", TITLE),
        ("header", ["序号", "具体要求", "责任单位", "时限要求"]),
        ("section", "一、推进决策公开"),
        ("task", ["1", f"公开重大行政决策事项目录。{br}做好决策草案征求意见。", f"县司法局{br}县政府办", "年底前"]),
        ("task", ["2", "做好政策解读。", f"县政府办{br}县融媒体中心", f"2022年6月{br}底前"]),
    ]


_FORMATS = {
    "n.txt": lambda items: make.to_text(items).encode(),  # one cell per line: a break inside a cell starts the next
    "n.html": make.to_html,
    "n.docx": make.to_docx,
    "n.xlsx": make.to_xlsx,
}


@pytest.mark.parametrize("br", ["\x85", "\u2028", "\u2029", "\r\n", "\v"], ids=["NEL", "LS", "PS", "CRLF", "VT"])
@pytest.mark.parametrize("name", sorted(_FORMATS))
def test_every_line_break_is_read_as_a_newline(name: str, br: str) -> None:
    """NEL and the Unicode separators were a space (units split as if space-separated, no warning) or stayed
    in the requirement as they were; they are line breaks, as \\n is: the same table, explain and warnings."""
    if name in ("n.docx", "n.xlsx") and br == "\v":
        pytest.skip("XML cannot hold a vertical tab")
    make_bytes = _FORMATS[name]
    with_newline = run(make_bytes(_breaks_notice("\n")), name)
    result = run(make_bytes(_breaks_notice(br)), name)
    assert result.table["tasks"] == with_newline.table["tasks"]
    assert [str(w) for w in result.warnings] == [str(w) for w in with_newline.warnings]
    assert [e.became for e in result.explain] == [e.became for e in with_newline.explain]
    if name != "n.txt":
        assert [t["units"] for t in result.table["tasks"]] == [["县司法局", "县政府办"], ["县政府办", "县融媒体中心"]]
        assert [t["deadline"] for t in result.table["tasks"]] == ["年底前", "2022年6月底前"]


# --------------------------------------------------------------------------- 5. circled and other task numbers

_NUMBERS = {
    "circled": ["①", "②", "⑫"],
    "circled-comma": ["①、", "②、", "⑫、"],
    "parenthesised-symbol": ["⑴", "⑵", "⑿"],
    "full-stop-symbol": ["⒈", "⒉", "⒓"],
    "negative-circled": ["❶", "❷", "⓬"],
    "parentheses": ["(1)", "(2)", "(12)"],
    "full-width-parentheses": ["（1）", "（2）", "（12）"],
    "closing-parenthesis": ["1）", "2）", "12）"],
    "ascii-closing-parenthesis": ["1)", "2)", "12)"],
}
_REQS = ["公开重大行政决策事项目录。", "做好决策草案征求意见。", "做好政策解读。"]
_UNITS = ["县司法局", "县政府办", "县融媒体中心"]


def _numbered_notice(numbers: list[str], layout: str) -> tuple[bytes, str]:
    head = ["序号", "具体要求", "责任单位", "时限要求"]
    if layout == "html-column":
        rows = [head, ['<td colspan="4">一、推进决策公开</td>']]
        rows += [[n, r, u, "年底前"] for n, r, u in zip(numbers, _REQS, _UNITS, strict=True)]
        return html_table(rows), "n.html"
    if layout == "html-inline":  # no 序号 column: the number starts the requirement
        rows = [head[1:], ['<td colspan="3">一、推进决策公开</td>']]
        rows += [[n + r, u, "年底前"] for n, r, u in zip(numbers, _REQS, _UNITS, strict=True)]
        return html_table(rows), "n.html"
    lines = [TITLE, *head[1:], "一、推进决策公开"]
    for n, r, u in zip(numbers, _REQS, _UNITS, strict=True):
        lines += [n, r, u, "年底前"] if layout == "text-lines" else [n + r, u, "年底前"]
    return ("\n".join(lines) + "\n").encode(), "n.txt"


@pytest.mark.parametrize("layout", ["html-column", "html-inline", "text-lines", "text-inline"])
@pytest.mark.parametrize("style", sorted(_NUMBERS))
def test_task_numbers_of_every_style(style: str, layout: str) -> None:
    """①②③ were no numbers: each task got the next one with a warning (in a 序号 column), or the text had no
    task at all (numbers in the text)."""
    data, name = _numbered_notice(_NUMBERS[style], layout)
    result = run(data, name)
    assert tasks(result) == [
        (1, 1, None, _REQS[0], [_UNITS[0]], None, "年底前"),
        (2, 1, None, _REQS[1], [_UNITS[1]], None, "年底前"),
        (12, 1, None, _REQS[2], [_UNITS[2]], None, "年底前"),
    ]
    third = {"html-column": 8, "html-inline": 8, "text-lines": 14, "text-inline": 12}[layout]  # task 12's line
    assert warnings(result) == [f"第 {third} 行：序号不连续：从 2 跳到 12（保留通知原序号）"]


@pytest.mark.parametrize(("rows", "requirement"), [
    # Tasks numbered 1. in the text; items (1) (2) ① in rows of their own below.
    ([["1.做好以下工作：", "县司法局", "年底前"], ["(1)公开重大决策目录；", "", ""], ["(2)做好征求意见。", "", ""]],
     "做好以下工作：(1)公开重大决策目录；(2)做好征求意见。"),
    ([["1.做好以下工作：", "县司法局", "年底前"], ["①公开重大决策目录；", "", ""], ["②做好征求意见。", "", ""]],
     "做好以下工作：①公开重大决策目录；②做好征求意见。"),
    # Tasks numbered in the 序号 column; items numbered in the text of rows without a number, unit or deadline.
    ([["1", "做好以下工作：", "县司法局", "年底前"], ["", "1.公开重大决策目录；", "", ""], ["", "2.做好征求意见。", "", ""]],
     "做好以下工作：1.公开重大决策目录；2.做好征求意见。"),
], ids=["paren-items", "circled-items", "items-below-a-numbered-row"])
def test_items_numbered_otherwise_stay_in_their_task(rows: list[list[str]], requirement: str) -> None:
    head = ["序号", "具体要求", "责任单位", "时限要求"][4 - len(rows[0]):]
    last = ["2", "做好政策解读。", "县政府办", "持续推进"] if len(head) == 4 else ["2.做好政策解读。", "县政府办", "持续推进"]
    result = run(html_table([head, [f'<td colspan="{len(head)}">一、推进决策公开</td>'], *rows, last]), "n.html")
    assert tasks(result) == [
        (1, 1, None, requirement, ["县司法局"], None, "年底前"),
        (2, 1, None, "做好政策解读。", ["县政府办"], None, "持续推进"),
    ]
    assert warnings(result) == []



@pytest.mark.parametrize(("task", "items"), [
    ("1.做好以下工作：", ["（1）公开重大决策目录；", "（2）做好征求意见。"]),
    ("1.做好以下工作：", ["①公开重大决策目录；", "②做好征求意见。"]),
    ("1.做好以下工作：", ["（1）公开重大决策目录；"]),
    ("1\n做好以下工作：", ["1.公开重大决策目录；", "2.做好征求意见。"]),  # the task's number on a line of its own
    ("1\n做好以下工作：", ["（1）公开重大决策目录；", "（2）做好征求意见。"]),
], ids=["paren-items", "circled-items", "one-item", "items-below-a-bare-number", "paren-items-below-a-bare-number"])
def test_items_numbered_otherwise_stay_in_their_task_one_cell_a_line(task: str, items: list[str]) -> None:
    """A notice saved a table cell a line: the first item was taken as the units, the next as the deadline,
    and the task's own units and deadline were lost as text out of place."""
    second = ["2", "做好政策解读。"] if task.startswith("1\n") else ["2.做好政策解读。"]
    lines = [TITLE, "序号", "具体要求", "责任单位", "时限要求", "一、推进决策公开", *task.split("\n"), *items,
             "县司法局", "年底前", *second, "县政府办", "持续推进"]
    result = run(("\n".join(lines) + "\n").encode(), "n.txt")
    assert tasks(result) == [
        (1, 1, None, "做好以下工作：" + "".join(items), ["县司法局"], None, "年底前"),
        (2, 1, None, "做好政策解读。", ["县政府办"], None, "持续推进"),
    ]
    assert warnings(result) == []
    assert [e.became for e in result.explain if e.text in items] == ["任务 1 具体要求（接上一格，折行）"] * len(items)

# --------------------------------------------------------------------------- 1. one-cell rows across the table

_ROW_FORMATS = {"n.html": make.to_html, "n.docx": make.to_docx, "n.xlsx": make.to_xlsx, "n.pdf": make.to_pdf}


def _row_notice(group: str, note: str) -> list[tuple[str, Any]]:
    """Rows across the whole table (merged: colspan, gridSpan, a merged range, a spanned PDF cell): a 一、
    heading, numbered group headings, a note between tasks and one under the last."""
    return [
        ("title", TITLE),
        ("header", ["序号", "具体要求", "责任单位", "时限要求"]),
        ("section", "一、推进决策公开"),
        ("section", f"{group.format(1)}做好决策公开"),
        ("task", ["1", "公开重大行政决策事项目录。", "县司法局", "年底前"]),
        ("task", ["2", "做好决策草案征求意见。", "县政府办", "持续推进"]),
        ("section", f"{note}以上任务请于每月底报送进展。"),
        ("section", f"{group.format(2)}做好政策解读。"),
        ("task", ["3", "同步发布政策解读材料。", "县政府办", "持续推进"]),
        ("section", f"{note}本表由县政务公开办负责解释。"),
    ]


@pytest.mark.parametrize(("group", "note"), [
    ("{}.", "注："), ("{}、", "备注："), ("({})", "说明："), ("（{}）", "注1："), ("{})", "※"),
])
@pytest.mark.parametrize("name", sorted(_ROW_FORMATS))
def test_a_row_across_the_table_is_a_heading_or_a_note_never_a_task(name: str, group: str, note: str) -> None:
    """`1.标题` across the table became a task (its text in every column), and so did `注：…`; the
    notice's own numbers then shifted (序号 1 重复，改编为 2 …)."""
    result = run(_ROW_FORMATS[name](_row_notice(group, note)), name)
    assert outline(result) == [(1, "推进决策公开", [(1, "做好决策公开"), (2, "做好政策解读")])]
    assert tasks(result) == [
        (1, 1, 1, "公开重大行政决策事项目录。", ["县司法局"], None, "年底前"),
        (2, 1, 1, "做好决策草案征求意见。", ["县政府办"], None, "持续推进"),
        (3, 1, 2, "同步发布政策解读材料。", ["县政府办"], None, "持续推进"),
    ]
    messages = [w.message for w in result.warnings if "未找到发布时间" not in w.message]
    assert messages == [f"表格中的注释行，不是任务（已忽略）：{note}以上任务请于每月底报送进展。",
                        f"表格中的注释行，不是任务（已忽略）：{note}本表由县政务公开办负责解释。"]
    marks = ("做好决策公开", "以上任务请于每月底", "做好政策解读", "本表由县政务公开办")
    became = [e.became for e in result.explain if any(m in e.text for m in marks)]
    assert became == ["小节 1.1 标题（跨列的编号标题行）", "注释行，已忽略（见警告）", "小节 1.2 标题（跨列的编号标题行）",
                      "注释行，已忽略（见警告）"]


def test_a_numbered_row_across_the_table_names_the_next_task_under_both_headings() -> None:
    """With 一、 and (一) headings, a numbered group row is the title of the task below it (as a 工作任务 cell is)."""
    rows = [["序号", "具体要求", "责任单位", "时限要求"], ['<td colspan="4">一、推进决策公开</td>'],
            ['<td colspan="4">（一）决策公开</td>'], ['<td colspan="4">1.重大决策目录</td>'],
            ["1", "公开重大行政决策事项目录。", "县司法局", "年底前"], ["2", "做好决策草案征求意见。", "县政府办", "持续推进"]]
    result = run(html_table(rows), "n.html")
    assert outline(result) == [(1, "推进决策公开", [(1, "决策公开")])]
    assert [(t["id"], t["title"]) for t in result.table["tasks"]] == [(1, "重大决策目录"), (2, "做好决策草案征求意见")]
    assert warnings(result) == []


@pytest.mark.parametrize("note", ["注：以上时限均为2022年。", "备注：各单位按职责落实。", "说明：本表自发布之日起执行。"])
def test_a_note_alone_in_the_first_column_is_not_a_task(note: str, tmp_path: Path) -> None:
    """An Excel sheet without merged cells: the note in column A, the rest of its row empty."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in ([TITLE], ["序号", "具体要求", "责任单位", "时限要求"], ["一、推进决策公开"],
                [1, "公开重大行政决策事项目录。", "县司法局", "年底前"], [note],
                [2, "做好政策解读。", "县政府办", "持续推进"], [note]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    result = run(out.getvalue(), "n.xlsx")
    assert [t[0] for t in tasks(result)] == [1, 2]
    assert warnings(result) == [f"工作表“Sheet”A5：表格中的注释行，不是任务（已忽略）：{note}",
                                f"工作表“Sheet”A7：表格中的注释行，不是任务（已忽略）：{note}"]


def test_a_note_line_between_tasks_of_a_text_notice() -> None:
    text = "\n".join([TITLE, "序号", "具体要求", "责任单位", "时限要求", "一、推进决策公开", "1", "公开目录。", "县司法局",
                      "年底前", "注：以上任务每月报送。", "2", "做好政策解读。", "县政府办", "持续推进"]) + "\n"
    result = run(text.encode(), "n.txt")
    assert [(t[0], t[6]) for t in tasks(result)] == [(1, "年底前"), (2, "持续推进")]
    assert warnings(result) == ["第 11 行：表格中的注释行，不是任务（已忽略）：注：以上任务每月报送。"]


# --------------------------------------------------------------------------- 3. a deadline written in the requirement

# (requirement cell, requirement, deadline)
_LABELLED = [
    ("公开重大行政决策事项目录。完成时限：2022年6月底前", "公开重大行政决策事项目录。", "2022年6月底前"),
    ("做好决策草案征求意见（时限：年底前）。", "做好决策草案征求意见。", "年底前"),
    ("做好政策解读，完成时间：9月底前。", "做好政策解读。", "9月底前"),
    ("优化政策文件库。时间节点：2022年10月底前", "优化政策文件库。", "2022年10月底前"),
    ("清理失效文件（牵头单位：县司法局；截止时间:11月底前）", "清理失效文件（牵头单位：县司法局）", "11月底前"),
    ("公开权责清单。办结时限：持续推进。", "公开权责清单。", "持续推进"),
]


def _labelled_notice(layout: str) -> tuple[bytes, str]:
    units = ["县司法局", "县政府办", "县政府办", "县数据资源局", "县司法局", "县委编办"]
    if layout == "text":  # one cell per line, a header without a deadline column
        lines = [TITLE, "序号", "具体要求", "责任单位", "一、推进决策公开"]
        for k, ((cell, _, _), unit) in enumerate(zip(_LABELLED, units, strict=True), 1):
            lines += [str(k), cell, unit]
        return ("\n".join(lines) + "\n").encode(), "n.txt"
    rows = [["序号", "具体要求", "责任单位"], ['<td colspan="3">一、推进决策公开</td>']]
    rows += [[str(k), cell, unit] for k, ((cell, _, _), unit) in enumerate(zip(_LABELLED, units, strict=True), 1)]
    if layout == "html-empty-column":  # the deadline column is there, empty for these tasks
        rows = [[*r, ""] if not r[0].startswith("<td") else ['<td colspan="4">一、推进决策公开</td>'] for r in rows]
        rows[0][-1] = "完成时限"
    return html_table(rows), "n.html"


@pytest.mark.parametrize("layout", ["html", "html-empty-column", "text"])
def test_a_labelled_deadline_in_the_requirement_is_the_deadline(layout: str) -> None:
    """Without a deadline column the label stayed in the requirement, every task lacked its deadline, and the
    last one was dropped as cut off."""
    data, name = _labelled_notice(layout)
    result = run(data, name)
    assert [(t[0], t[3], t[6]) for t in tasks(result)] == [
        (k, req, deadline) for k, (_, req, deadline) in enumerate(_LABELLED, 1)]
    assert warnings(result) == []
    (became,) = [e.became.split("；") for e in result.explain if "公开重大行政决策事项目录" in e.text]
    assert "任务 1 具体要求" in became and became[-1] == "任务 1 时限要求（写在具体要求中）"


def test_a_deadline_in_the_units_cell(tmp_path: Path) -> None:
    rows = [["序号", "具体要求", "责任单位"], ['<td colspan="3">一、推进决策公开</td>'],
            ["1", "公开重大行政决策事项目录。", "县司法局（完成时限：6月底前）"], ["2", "做好政策解读。", "县政府办，时限：年底前"]]
    result = run(html_table(rows), "n.html")
    assert [(t[0], t[3], t[4], t[6]) for t in tasks(result)] == [
        (1, "公开重大行政决策事项目录。", ["县司法局"], "6月底前"), (2, "做好政策解读。", ["县政府办"], "年底前")]
    assert warnings(result) == []


def test_without_a_deadline_anywhere_the_last_task_is_kept_and_said_to_lack_it() -> None:
    rows = [["序号", "具体要求", "责任单位"], ['<td colspan="3">一、推进决策公开</td>'],
            ["1", "公开目录。", "县司法局"], ["2", "做好政策解读。", "县政府办"]]
    result = run(html_table(rows), "n.html")
    assert [t[0] for t in tasks(result)] == [1, 2]
    assert warnings(result) == ["第 6 行：任务 1 缺少时限要求（请人工补全）", "第 7 行：任务 2 缺少时限要求（请人工补全）"]


# --------------------------------------------------------------------------- 4. a row the page broke; numbering


def _broken_row_pdf(end: list[list[str]], rest: list[list[str]]) -> bytes:
    """Task 2's row broken at the end of page 1 (``end``: its cells there, each a list of lines), going on at
    the top of page 2 below the repeated header (``rest``); tasks 3 and 4 after it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    xs = [50, 90, 350, 470, 545]
    header = [["序号"], ["具体要求"], ["责任单位"], ["完成时限"]]
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)

    def table(top: float, rows: list[list[list[str]]]) -> None:
        y = top
        c.setFont("STSong-Light", 10)
        c.line(xs[0], y, xs[-1], y)
        for row in rows:
            for k, lines in enumerate(row):
                for j, line in enumerate(lines):
                    c.drawString(xs[k] + 3, y - 14 - 16 * j, line)
            y -= 16 * max(len(lines) for lines in row) + 6
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, top, x, y)

    c.setFont("STSong-Light", 14)
    c.drawString(50, 800, TITLE)
    table(760, [header, [["1"], ["公开县级权责清单。"], ["县委编办"], ["年底前"]], end])
    c.showPage()
    table(800, [header, rest, [["3"], ["做好政策解读。"], ["县政府办"], ["持续推进"]],
                [["4"], ["公开规划。"], ["县发改委"], ["年底前"]]])
    c.showPage()
    c.save()
    return out.getvalue()


@pytest.mark.parametrize(("end", "rest", "task2"), [
    ([["2"], ["推进政务服务事项标准化。"], ["县数据资源局、"], ["2022年9月底前"]], [[""], [""], ["县政务服务中心"], [""]],
     ("推进政务服务事项标准化。", ["县数据资源局", "县政务服务中心"], "2022年9月底前")),
    ([["2"], ["推进政务服务事项标准化。"], ["县数据资源局"], ["2022年9月"]], [[""], [""], [""], ["底前"]],
     ("推进政务服务事项标准化。", ["县数据资源局"], "2022年9月底前")),
    ([["2"], ["推进政务服务事项标准化，"], ["县数据资源局、"], ["2022年9月"]], [[""], ["实现同源发布。"], ["县政务服务中心"], ["底前"]],
     ("推进政务服务事项标准化，实现同源发布。", ["县数据资源局", "县政务服务中心"], "2022年9月底前")),
], ids=["units", "deadline", "every-cell"])
def test_a_row_broken_across_a_pdf_page_is_one_task(end: list[list[str]], rest: list[list[str]],
                                                    task2: tuple[str, list[str], str]) -> None:
    """The units or the deadline going on at the top of the next page made an extra task (任务没有编号，按顺序编为 3)
    and every later number a repeat (序号 3 重复，改编为 4 …)."""
    result = run(_broken_row_pdf(end, rest), "n.pdf")
    assert [(t[0], t[3], t[4], t[6]) for t in tasks(result)] == [
        (1, "公开县级权责清单。", ["县委编办"], "年底前"), (2, *task2),
        (3, "做好政策解读。", ["县政府办"], "持续推进"), (4, "公开规划。", ["县发改委"], "年底前")]
    assert warnings(result) == ["第 1 页表格第 2 行第 1 列：任务前没有部分标题，归入第 1 部分“（未分部分）”"]
    explain = {e.where: e.became for e in result.explain}
    for k, name in enumerate(["序号", "具体要求", "责任单位", "时限要求"]):
        if rest[k][0]:
            assert explain[f"第 2 页表格第 2 行第 {k + 1} 列"] == f"任务 2 {name}（接上一表格行）"


@pytest.mark.parametrize(("numbers", "ids", "message"), [
    (["1", "2", "", "3", "4"], [1, 2, 5, 3, 4], "第 8 行：任务没有编号，编为 5（通知中未用的序号）"),
    (["1", "2", "2", "3", "4"], [1, 2, 5, 3, 4], "第 8 行：序号 2 重复，改编为 5（通知中未用的序号）"),
    (["1", "", "", "2"], [1, 3, 4, 2], "第 7 行：任务没有编号，编为 3（通知中未用的序号）"),
], ids=["unnumbered", "repeated", "two-unnumbered"])
def test_a_task_numbered_by_the_importer_shifts_no_later_number(numbers: list[str], ids: list[int], message: str) -> None:
    """A task without its own number took max + 1, which the notice's next task has: every later number was then
    a repeat, renumbered, with a warning each."""
    rows = [["序号", "具体要求", "责任单位", "时限要求"], ['<td colspan="4">一、推进决策公开</td>']]
    rows += [[n, f"第{k}项任务。", "县政府办", "年底前"] for k, n in enumerate(numbers, 1)]
    result = run(html_table(rows), "n.html")
    assert [t[0] for t in tasks(result)] == ids
    assert warnings(result)[0] == message
    assert all("重复" not in w and "倒序" not in w and "不连续" not in w for w in warnings(result)[1:])


# --------------------------------------------------------------------------- 2. two group columns


_LEVEL_ROWS = [  # (outer, inner, requirement, unit); None: merged down from the row above
    ("决策公开", "决策事项", "公开重大行政决策事项目录。", "县司法局"),
    (None, None, "做好决策草案征求意见。", "县政府办"),
    (None, "政策解读", "同步发布政策解读材料。", "县政府办"),
    ("平台建设", "政府网站", "优化政策文件库。", "县数据资源局"),
    (None, None, "清理失效文件。", "县数据资源局"),
]


def _levels_html(outer_head: str, numbered: bool) -> bytes:
    rows: list[list[str]] = [["序号", outer_head, "工作任务", "具体要求", "责任单位", "时限要求"]]
    sec, sub = 0, 0
    for k, (outer, inner, req, unit) in enumerate(_LEVEL_ROWS):
        cells = [str(k + 1)]
        for j, text in ((0, outer), (1, inner)):
            if text is None:
                continue
            span = 1 + next((n for n, r in enumerate(_LEVEL_ROWS[k + 1:]) if r[j] is not None), len(_LEVEL_ROWS) - k - 1)
            if numbered and j == 0:
                sec, sub = sec + 1, 0
                text = "一二"[sec - 1] + "、" + text
            elif numbered:
                sub += 1
                text = "（" + "一二"[sub - 1] + "）" + text
            cells.append(f'<td rowspan="{span}">{text}</td>')
        rows.append([*cells, req, unit, "年底前"])
    return html_table(rows)


def _levels_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.append(["序号", "类别", "工作任务", "具体要求", "责任单位", "时限要求"])
    for k, (outer, inner, req, unit) in enumerate(_LEVEL_ROWS):
        sheet.append([k + 1, outer, inner, req, unit, "年底前"])
    for rng in ("B3:B5", "C3:C4", "B6:B7", "C6:C7"):
        sheet.merge_cells(rng)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_LEVEL_TASKS = [
    (1, 1, 1, "公开重大行政决策事项目录。", ["县司法局"], None, "年底前"),
    (2, 1, 1, "做好决策草案征求意见。", ["县政府办"], None, "年底前"),
    (3, 1, 2, "同步发布政策解读材料。", ["县政府办"], None, "年底前"),
    (4, 2, 1, "优化政策文件库。", ["县数据资源局"], None, "年底前"),
    (5, 2, 1, "清理失效文件。", ["县数据资源局"], None, "年底前"),
]


@pytest.mark.parametrize(("data", "name"), [
    (_levels_html("类别", False), "n.html"),
    (_levels_html("重点领域", False), "n.html"),  # a header word of other offices
    (_levels_html("重点领域", True), "n.html"),  # 一、 in the outer column, （一） in the inner one
    (_levels_xlsx(), "n.xlsx"),
], ids=["html-类别", "html-重点领域", "html-numbered", "xlsx-merged"])
def test_two_group_columns_are_section_and_subsection(data: bytes, name: str) -> None:
    """Each group's first task was lost (序号 1 后没有任务内容，未导入): the outer cell, taken as a group after
    the inner one, closed the task the row had just opened."""
    result = run(data, name)
    assert outline(result) == [(1, "决策公开", [(1, "决策事项"), (2, "政策解读")]), (2, "平台建设", [(1, "政府网站")])]
    assert tasks(result) == _LEVEL_TASKS
    assert warnings(result) == []


def test_two_group_columns_under_heading_rows_are_subsection_and_title() -> None:
    rows = [["序号", "类别", "工作任务", "具体要求", "责任单位", "时限要求"], ['<td colspan="6">一、推进决策公开</td>'],
            ["1", '<td rowspan="2">决策公开</td>', "重大决策目录", "公开重大行政决策事项目录。", "县司法局", "年底前"],
            ["2", "征求意见", "做好决策草案征求意见。", "县政府办", "持续推进"]]
    result = run(html_table(rows), "n.html")
    assert outline(result) == [(1, "推进决策公开", [(1, "决策公开")])]
    assert [(t["id"], t["subsection"], t["title"]) for t in result.table["tasks"]] == [(1, 1, "重大决策目录"), (2, 1, "征求意见")]
    assert warnings(result) == []
