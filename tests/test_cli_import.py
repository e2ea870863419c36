"""`gwgk import` through the real CLI: writes a loadable table, never overwrites without --force."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTICE_2021 = ROOT / "data" / "source" / "huainan-2021-notice.txt"
TABLE_2021 = ROOT / "data" / "tasks_2021.yaml"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_import_2021_then_list(workdir: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    (workdir / "data").mkdir()  # -o never creates directories
    result = gwgk("--today", "2021-11-22", "import", str(NOTICE_2021), "-o", "data/tasks_2021.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "已写入 data/tasks_2021.yaml",
        "导入完成：5 个部分，15 个小节，28 项任务，1 条警告",
    ]
    table = yaml.safe_load((workdir / "data" / "tasks_2021.yaml").read_text(encoding="utf-8"))
    assert table["source"]["file"] == "huainan-2021-notice.txt"
    assert str(table["source"]["imported"]) == "2021-11-22"
    reference = yaml.safe_load(TABLE_2021.read_text(encoding="utf-8"))
    assert table["source"]["sha256"] == reference["source"]["sha256"]
    listed = gwgk("--today", "2021-11-22", "--file", "data/tasks_2021.yaml", "list", "--unit", "指导办", "-F", "json")
    assert listed.exit_code == 0, listed.output
    assert [r["id"] for r in json.loads(listed.stdout)] == [1, 2, 3, 6, 10, 14, 15, 16, 20, 23, 24, 25, 26, 27, 28]
    assert gwgk("--file", "data/tasks_2021.yaml", "doctor").exit_code == 0


def test_import_never_overwrites_without_force(workdir: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    target = workdir / "导入.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    result = gwgk("import", str(NOTICE_2021), "-o", "导入.yaml")
    assert result.exit_code == 2
    assert result.stderr == "错误：导入.yaml 已存在，未覆盖（确认覆盖请加 --force）\n"
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert gwgk("import", str(NOTICE_2021), "-o", "导入.yaml", "--force").exit_code == 0
    assert "schema_version: 1" in target.read_text(encoding="utf-8")
    # tasks_2021.yaml in the working folder is the table in use (paths.find_table): never overwritten
    table = workdir / "tasks_2021.yaml"
    table.write_text("keep me\n", encoding="utf-8")
    result = gwgk("import", str(NOTICE_2021), "--force")
    assert result.exit_code == 2
    assert result.stderr == "错误：tasks_2021.yaml: 是正在使用的任务表，不能覆盖（请另选输出文件名）\n"
    assert table.read_text(encoding="utf-8") == "keep me\n"


def test_import_to_stdout_with_explain(workdir: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    result = gwgk("import", str(NOTICE_2021), "-o", "-", "--explain")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["meta"]["year"] == 2021
    assert "第  26 行：部分 一 标题  | 一、聚焦重点领域深化政务公开" in result.stderr.splitlines()
    assert "导入完成：5 个部分，15 个小节，28 项任务，1 条警告" in result.stderr
    assert not list(workdir.iterdir())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "错误：找不到通知文件 missing.txt\n"),
        ("这不是通知\n", "错误：missing.txt: 未找到任务表：第 1 行没有 具体要求/责任单位 表头，也没有编号任务\n"),
    ],
)
def test_import_bad_input(workdir: Path, gwgk, content: str | None, message: str) -> None:  # type: ignore[no-untyped-def]
    if content is not None:
        (workdir / "missing.txt").write_text(content, encoding="utf-8")
    result = gwgk("import", "missing.txt")
    assert result.exit_code == 2
    assert result.stderr == message
    assert sorted(p.name for p in workdir.iterdir()) == (["missing.txt"] if content else [])


def test_import_never_overwrites_the_table_in_use(workdir: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    table = workdir / "tasks.yaml"
    table.write_text("keep me\n", encoding="utf-8")
    for target in ("tasks.yaml", "tasks.progress.jsonl"):
        result = gwgk("--file", "tasks.yaml", "import", str(NOTICE_2021), "-o", target, "--force")
        assert result.exit_code != 0
        assert result.stderr.endswith("不能覆盖（请另选输出文件名）\n"), result.stderr
        assert result.stderr.count("\n") == 1  # refused before the import says anything
    assert table.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in workdir.iterdir()) == ["tasks.yaml"]


def test_import_explain_names_cells_of_a_workbook(workdir: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    notice = ROOT / "tests" / "fixtures" / "import" / "multi-sheet.xlsx"
    result = gwgk("--today", "2025-03-01", "import", str(notice), "-o", "-", "--explain")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "工作表“重点任务”C4：任务 1 具体要求  | 公开重大行政决策事项目录。" in lines
    assert f"说明：{notice}: 读取工作表“重点任务”（任务表所在的工作表；未读取 “说明”）" in lines
    assert yaml.safe_load(result.stdout)["tasks"][2]["id"] == 3


FIXTURES = ROOT / "tests" / "fixtures" / "import"
IMPORTABLE = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md", ".html", ".xlsx", ".docx"))


@pytest.mark.parametrize("name", IMPORTABLE)
def test_every_imported_fixture_passes_doctor_and_lists(name: str, workdir: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    result = gwgk("--today", "2022-03-01", "import", str(FIXTURES / name), "-o", "t.yaml")
    assert result.exit_code == 0, result.output
    doctor = gwgk("--file", "t.yaml", "doctor")
    assert doctor.exit_code == 0, doctor.output
    assert "未发现问题" in doctor.stdout
    listed = gwgk("--today", "2022-03-01", "--file", "t.yaml", "list", "-F", "json")
    assert listed.exit_code == 0, listed.output
    table = yaml.safe_load((workdir / "t.yaml").read_text(encoding="utf-8"))
    assert [r["id"] for r in json.loads(listed.stdout)] == [t["id"] for t in table["tasks"]]


@pytest.mark.parametrize("placeholder", [None, "(待填写发布机关)"])
def test_doctor_points_at_a_missing_issuer_without_failing(gwgk, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           placeholder: str | None) -> None:
    """Issue 15: a notice without issuer imports to a table that loads; doctor says so as a hint, exit 0.
    A table imported before the full-width sweep (placeholder in half-width parentheses) gets the same hint."""
    out = tmp_path / "t.yaml"
    fixture = Path(__file__).parent / "fixtures" / "import" / "no-meta.txt"
    assert gwgk("import", str(fixture), "-o", str(out)).exit_code == 0
    if placeholder is not None:
        text = out.read_text(encoding="utf-8")
        assert "（待填写发布机关）" in text
        out.write_text(text.replace("（待填写发布机关）", placeholder), encoding="utf-8")
    result = gwgk("--file", str(out), "doctor")
    assert result.exit_code == 0, result.output
    assert "meta.issuer 仍是导入时的占位" in result.stdout
    assert gwgk("--file", str(out), "list", "--format", "json").exit_code == 0


def test_a_fifo_or_directory_as_the_notice_is_refused_at_once(gwgk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    import pytest

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "notice.txt"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path):
        result = gwgk("import", str(path), "-o", str(tmp_path / "out.yaml"))
        assert result.exit_code == 2
        assert "不是普通文件" in result.output


@pytest.mark.skipif(__import__("os").name == "nt", reason="line breaks in file names")
@pytest.mark.parametrize("name", ["evil\nextra_key: [1, 2.txt", "evil\u2028units: []\u2029x.txt", "evil\rmeta: 1.txt"])
def test_a_line_break_in_the_notices_file_name_cannot_write_yaml(workdir: Path, gwgk, name: str) -> None:  # type: ignore[no-untyped-def]
    """Found by a hostile test: the file's name went raw into the header comment; a line break in it wrote
    YAML of its own, and the table no longer loaded."""
    notice = workdir / name
    notice.write_text("一、公开\n1. 公开规划。牵头单位：县发改委。完成时限：年底前。\n", encoding="utf-8")
    result = gwgk("import", str(notice), "-o", str(workdir / "out.yaml"))
    assert result.exit_code == 0, result.output
    text = (workdir / "out.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("# 本任务表由 gwgk import 从 evil")
    data = yaml.safe_load(text)
    assert "extra_key" not in data and "meta" in data and data["source"]["file"] == name
    assert gwgk("--file", str(workdir / "out.yaml"), "doctor").exit_code == 0


def _bomb(path: Path, part: str, size: int) -> Path:
    """A zip whose one part declares `size` bytes (all zeros, a few kilobytes compressed)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open(part, "w", force_zip64=True) as fh:
        chunk = bytes(1024 * 1024)
        for _ in range(size // len(chunk)):
            fh.write(chunk)
    return path


@pytest.mark.parametrize("name,part,kind", [("bomb.docx", "word/document.xml", "Word 文件"),
                                            ("bomb.xlsx", "xl/worksheets/sheet1.xml", "Excel 文件")])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(workdir: Path, gwgk, name: str, part: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Found by a hostile test: a 4 MB .docx unpacking to 4 GiB took 8 GB of memory or died with a traceback."""
    _bomb(workdir / name, part, 300 * 1024 * 1024)
    result = gwgk("import", name)
    assert result.exit_code == 2
    assert result.stderr == f"错误：{name}: {kind}解压后过大（300 MiB，上限 256 MiB），不像是正常的通知文件，未导入\n"
    assert sorted(p.name for p in workdir.iterdir()) == [name]


_TABLE = ("<table><tr><th>序号</th><th>具体要求</th><th>责任单位</th><th>时限要求</th></tr>"
          "<tr><td>1</td><td>公开规划。</td><td>指导办</td><td>年底前</td></tr></table>")


@pytest.mark.parametrize(("depth", "refused"), [(200, False), (1000, True), (5000, True)])
def test_a_deeply_nested_page_is_one_line_not_a_traceback(workdir: Path, gwgk, depth: int,  # type: ignore[no-untyped-def]
                                                          refused: bool) -> None:
    """Found by a hostile test: 1,000 nested <div>s around the table gave a RecursionError traceback."""
    (workdir / "deep.html").write_text(f"<html><body>{'<div>' * depth}{_TABLE}{'</div>' * depth}</body></html>",
                                       encoding="utf-8")
    result = gwgk("import", "deep.html", "--year", "2022", "-o", "out.yaml")
    if refused:
        assert result.exit_code == 2
        assert result.stderr.startswith("错误：deep.html: 网页的标签嵌套过深（")
        assert result.stderr.endswith("层，上限 256 层），不像发布的通知，未读取\n")
        assert not (workdir / "out.yaml").exists()
    else:
        assert result.exit_code == 0, result.output


_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
           + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
           + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
           '<w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize(("document", "why"), [
    (_LAUGHS, "含有会无限展开的 XML 实体定义（不安全的文件）"),
    ('<?xml version="1.0"?>\n<w:document xmlns:w="x"><w:body><w:p>', "XML 格式错误"),
], ids=["billion-laughs", "cut-short"])
def test_a_broken_word_file_is_named_in_chinese(workdir: Path, gwgk, document: str, why: str) -> None:  # type: ignore[no-untyped-def]
    """Found by a hostile test: libxml2's English reason was shown as it was."""
    import zipfile

    with zipfile.ZipFile(workdir / "bad.docx", "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", document)
    result = gwgk("import", "bad.docx", "--year", "2022", "-o", "out.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：bad.docx: 无法读取 Word 文件：正文 document.xml 第 ")
    assert result.stderr.endswith(f"{why}，未导入\n")
    assert result.stderr.isascii() is False and "amplification" not in result.stderr


def test_a_merged_range_over_the_whole_sheet_is_refused(workdir: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    import io
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "具体要求", "责任单位", "完成时限"])
    ws.append([1, "公开。", "县局", "年底前"])
    ws.merge_cells("A3:B4")  # widened below in the file itself (openpyxl would make every cell of it)
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(workdir / "merge.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            out.writestr(name, data.replace(b'ref="A3:B4"', b'ref="A3:XFD1048576"') if name.endswith("sheet1.xml")
                         else data)
    result = gwgk("import", "merge.xlsx")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：merge.xlsx: 工作表“Sheet”的合并单元格过大（共 ")


def test_a_pdf_page_with_more_text_than_any_notice_is_refused_at_once(workdir: Path, gwgk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Found by a hostile test: a 7.5 MB PDF with 200,000 text runs on one page took 72 s and 900 MB before
    "未找到任务表". The page's character count is checked before the per-character work."""
    from reportlab.lib.pagesizes import A3
    from reportlab.pdfgen import canvas

    monkeypatch.setattr("gwgk_cli.importer.pdf._MAX_PAGE_CHARS", 3000)  # the same rule, a smaller page to build
    c = canvas.Canvas(str(workdir / "dense.pdf"), pagesize=A3)
    c.drawString(40, 1150, "1 公开规划 指导办 年底前")
    c.showPage()
    c.setFont("Helvetica", 4)
    for row in range(200):
        c.drawString(10, 1180 - row * 5.8, "x" * 20)  # 4,000 characters on page 2
    c.save()
    result = gwgk("import", "dense.pdf", "--year", "2022", "-o", "out.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：dense.pdf: PDF 第 2 页有 4")  # 4,000 and PDFium's line breaks
    assert result.stderr.endswith("个字符，远超一页通知的篇幅（上限 3000），不像发布的通知，未导入\n")
    assert not (workdir / "out.yaml").exists()


def test_import_never_writes_into_the_journal_directory_in_use(table: Path, gwgk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found in review: `import -o` had its own list of files in use (the table and the journal file), so
    it wrote into a journal directory; it takes cli.deliver.in_use, as every -o."""
    assert gwgk("note", "3", "进展").exit_code == 0
    assert gwgk("journal", "split").exit_code == 0
    directory = table.with_name("tasks_2021.progress")
    before = sorted(p.name for p in directory.iterdir())
    result = gwgk("import", str(NOTICE_2021), "--year", "2022", "-o", str(directory / "t.yaml"))
    assert result.exit_code == 2
    assert "在正在使用的进展记录目录" in result.stderr
    assert sorted(p.name for p in directory.iterdir()) == before


# -- what the import says after writing (found by a new-year walkthrough, 2026-12-02) --------------------------

def test_an_imported_table_gwgk_cannot_read_is_written_named_and_fails(workdir: Path, gwgk,  # type: ignore[no-untyped-def]
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a new-year walkthrough: a layout the importer misread gave 39 empty 具体要求, exit 0 and
    `导入完成`; the next `gwgk list` refused the table. The import now checks what it wrote with the
    table's own checker (whatever the importer got wrong) and says so."""
    import gwgk_cli.importer as importer

    real = importer.dump_table

    def with_empty_requirements(*args: object, **kwargs: object) -> str:
        lines = real(*args, **kwargs).splitlines(keepends=True)  # type: ignore[arg-type]
        blanked = iter(range(12))
        return "".join('  requirement: ""\n' if line.startswith("  requirement: ") and next(blanked, None) is not None
                       else line for line in lines)

    monkeypatch.setattr(importer, "dump_table", with_empty_requirements)
    result = gwgk("import", str(NOTICE_2021), "-o", "tasks_2021.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["已写入 tasks_2021.yaml", "导入完成：5 个部分，15 个小节，28 项任务，1 条警告"]
    problems = [line for line in result.stderr.splitlines() if line.startswith("问题：")]
    assert problems[0] == "问题：tasks_2021.yaml: 任务 1 字段 requirement: 应为非空文本，实际是 空文本"
    assert len(problems) == 10
    assert result.stderr.splitlines()[-1] == ("错误：导入得到的任务表有 12 处问题（以上列出前 10 处），gwgk 还不能使用它："
                                              "请对照通知补全后用 gwgk --file tasks_2021.yaml doctor 检查")
    assert (workdir / "tasks_2021.yaml").read_text(encoding="utf-8").count('requirement: ""') == 12


def test_a_new_table_beside_last_years_says_how_to_make_it_the_default(workdir: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    shutil.copyfile(TABLE_2021, workdir / "tasks_2020.yaml")  # any other year's table in the folder
    result = gwgk("import", str(NOTICE_2021))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        f"提示：这里已有其他年度的任务表，不指定时 gwgk 不会替您选择；核对无误后用 gwgk config set table.file "
        f"{(workdir / 'tasks_2021.yaml').resolve()} 设为默认任务表（定时催办等脚本中的 --file 或 GWGK_FILE 也请改为新表）")
    assert gwgk("config", "set", "table.file", str(workdir / "tasks_2021.yaml")).exit_code == 0
    listed = gwgk("--today", "2021-11-22", "list", "--unit", "指导办")
    assert listed.exit_code == 0, listed.output


def test_alone_in_its_folder_no_hint(workdir: Path, gwgk) -> None:  # type: ignore[no-untyped-def]
    result = gwgk("import", str(NOTICE_2021))
    assert result.exit_code == 0, result.output
    assert not any(line.startswith("提示：") for line in result.stdout.splitlines())


@pytest.mark.parametrize(("value", "said"), [('""', "空文本"), ("'   '", "空文本"), ("[]", "列表"), ("", "空")])
def test_an_empty_requirement_is_called_empty(tmp_path: Path, value: str, said: str) -> None:
    from gwgk_cli.table import check_table

    text = TABLE_2021.read_text(encoding="utf-8")
    first = text.index("    requirement: ")
    end = text.index("\n", first)
    path = tmp_path / "t.yaml"
    path.write_text(text[:first] + f"    requirement: {value}" + text[end:], encoding="utf-8")
    _, problems = check_table(path)
    assert [str(p) for p in problems if p.fatal] == [f"{path}: 任务 1 字段 requirement: 应为非空文本，实际是 {said}"]
