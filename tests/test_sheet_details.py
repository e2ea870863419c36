"""Details of the 填报表 round trip a clerk ran into: a name typed with a space, 100% beside 推进中, one file
given twice, a CSV sent back, the single file's lock left in the shared folder by `journal split`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import Runner
from tests.test_sheets import SHEET, fill, journal_lines

from gwgk_cli.sheets.values import person_name


@pytest.mark.parametrize(("typed", "name"), [
    ("王 芳", "王芳"), ("王　芳", "王芳"), (" 王  芳 ", "王芳"), ("王芳", "王芳"), ("Li  Ming", "Li Ming"),
    ("ＬＩ Ming", "LI Ming"), ("欧阳 Xiu", "欧阳Xiu"),
])
def test_a_persons_name_is_one_spelling(typed: str, name: str) -> None:
    assert person_name(typed) == name


def test_a_name_typed_with_a_space_is_the_same_person(sheet: Path, gwgk: Runner, journal: Path) -> None:
    fill(sheet, {4: {"progress": "已公开", "filled_by": "王 芳", "filled_on": "2021-11-22"},
                 3: {"progress": "推进中", "filled_by": "王芳", "filled_on": "2021-11-20"}})
    assert gwgk("sheet", "in", str(sheet), "--yes").exit_code == 0
    assert [e["by"] for e in journal_lines(journal)] == ["王芳", "王芳"]
    with journal.open("a", encoding="utf-8") as f:  # a line recorded before names were made one spelling
        recorded = dict(journal_lines(journal)[0], id="0123456789ab", by="王 芳", note="早先的记录")
        f.write(json.dumps(recorded, ensure_ascii=False) + "\n")
    status = gwgk("sheet", "status")
    assert f"  行财科　2021-11-20—2021-11-22　王芳　3 条　{SHEET}\n" in status.stdout, status.stdout


@pytest.mark.parametrize(("values", "notice"), [
    ({"new_status": "推进中", "new_percent": 100}, "注意：任务 4 完成进度填 100%，状态却是“推进中”（第 6 行）；"
                                                    "已完成的请把状态改为“已完成”后重新导入"),
    ({"new_percent": 100}, "注意：任务 4 完成进度填 100%，状态仍为“推进中”（第 6 行）；已完成的请把状态改为“已完成”后重新导入"),
    ({"new_status": "已完成", "new_percent": 100}, None),
    ({"new_status": "推进中", "new_percent": 90}, None),
])
def test_percent_100_beside_a_status_not_done_is_remarked(sheet: Path, gwgk: Runner, values: dict[str, object],
                                                          notice: str | None) -> None:
    assert gwgk("start", "4").exit_code == 0
    fill(sheet, {4: {"progress": "已公开", **values}})
    result = gwgk("sheet", "in", str(sheet))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.strip() for line in lines if "100%，状态" in line] == ([notice] if notice else [])


def test_the_same_file_twice_in_one_call_is_said_to_be_the_same(sheet: Path, gwgk: Runner, journal: Path) -> None:
    fill(sheet, {4: {"progress": "已公开"}})
    copy = sheet.with_name("副本.xlsx")
    shutil.copyfile(sheet, copy)
    result = gwgk("sheet", "in", str(sheet), str(copy))
    assert result.exit_code == 0, result.output
    assert f"{copy}：行财科，2021年第47周（11月22日—11月28日）（与前一文件 {sheet} 相同）\n" in result.stdout
    assert "此前已导入过" not in result.stdout
    assert gwgk("sheet", "in", str(sheet), "--yes").exit_code == 0
    again = gwgk("sheet", "in", str(sheet))
    assert "（此文件此前已导入过）\n" in again.stdout


@pytest.mark.parametrize("suffix", [".csv", ".CSV", ".txt"])
def test_a_csv_reply_is_told_what_to_send_and_not_to_use_partial(sheet: Path, gwgk: Runner, suffix: str) -> None:
    reply = sheet.with_name(f"回复{suffix}")
    reply.write_text("序号,任务\n4,已公开\n", encoding="utf-8")
    result = gwgk("sheet", "in", str(reply), "--yes")
    assert result.exit_code == 2
    kind = suffix[1:].upper()
    assert result.stderr == (
        f"问题：{reply}: 是另存为的 {kind} 文本，没有填报表的识别信息，无法导入；请发回 gwgk sheet out 生成的 .xlsx 原表"
        "（在其中填写后直接保存）\n错误：共 1 处问题，未登记任何内容（请改正后重新导入）\n")


def test_a_problem_beside_rows_that_could_be_recorded_still_suggests_partial(sheet: Path, gwgk: Runner) -> None:
    fill(sheet, {4: {"progress": "已公开"}, 3: {"new_percent": "八成"}})
    result = gwgk("sheet", "in", str(sheet), "--yes")
    assert result.exit_code == 2
    assert result.stderr.endswith("错误：共 1 处问题，未登记任何内容（请改正后重新导入，或加 --partial 只登记没有问题的行）\n")


def test_split_leaves_no_lock_in_the_shared_folder(gwgk: Runner, journal: Path) -> None:
    assert gwgk("note", "4", "已启动").exit_code == 0
    lock = journal.with_name(journal.name + ".lock")
    assert lock.exists()  # the single file's lock, beside it
    result = gwgk("journal", "split")
    assert result.exit_code == 0, result.output
    assert not lock.exists()
    assert sorted(p.name for p in journal.parent.iterdir() if "progress" in p.name and "备份" not in p.name) == [
        "tasks_2021.progress"]
    assert gwgk("note", "5", "之后").exit_code == 0
    assert not lock.exists()


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice and pdftotext (poppler) are needed")
def test_the_sheet_prints_legibly_on_a4_landscape(gwgk: Runner, table: Path, tmp_path: Path) -> None:
    """Found by a tester: printed through LibreOffice the 填报表 was one A4 page at about 55 %, the body about
    6 pt. Now: fitted to the page width only, the rows over several pages, the header row on every page, and
    the body (宋体 10.5) printed at 8.5 pt or more, the 小五 of the 通报's crowded tables — measured on the PDF
    LibreOffice makes of it, as the width of the body's Chinese characters (one character is as wide as its font
    size). Found in review: with a narrow 具体要求 the rows took a page each (23 tasks on 18 pages at 10 pt); a wider
    one prints them on 9 at about 8.6 pt."""
    import re
    import subprocess

    from gwgk_cli.sheets.convert import convert

    assert gwgk("sheet", "out", "--unit", "政务公开指导办", "-o", str(tmp_path / "s.xlsx")).exit_code == 0
    assert SOFFICE is not None and PDFTOTEXT is not None
    pdf = convert(SOFFICE, tmp_path / "s.xlsx", tmp_path / "pdf", "pdf")
    html = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, encoding="utf-8",
                          check=True, timeout=120).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    assert 3 <= len(pages) <= 11  # 23 tasks: the rows run over several pages, not shrunk onto one nor one a page
    sizes: list[float] = []
    for width, height, body in pages:
        assert (round(float(width)), round(float(height))) == (842, 595)  # A4 landscape
        words = [(float(x0), float(y0), float(x1), float(y1), w) for x0, y0, x1, y1, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', body)]
        header = [w for w in words if w[4] == "序号"]
        assert header, "the header row is repeated on every page"
        below = header[0][3]
        sizes += [(x1 - x0) / len(w) for x0, y0, x1, _, w in words
                  if y0 > below and len(w) >= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in w)]
        assert max(x1 for _, _, x1, _, _ in words) <= float(width)  # nothing cut off at the right
    sizes.sort()
    assert len(sizes) > 50
    assert sizes[len(sizes) // 2] >= 8.5, sizes[len(sizes) // 2]  # the median body character: ≥ 8.5 pt


def test_the_sheet_shows_the_date_in_force_and_keeps_every_text_whole(table: Path, gwgk: Runner, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a reader of the printouts: the 完成时限 of a task extended to 1月31日 read 年底前. The date in force is
    shown with the original and whether it was approved. A long 具体要求 stays whole in its cell (cut, the clerk lost
    the end of it: found in review); the returned sheet still matches."""
    import openpyxl

    from gwgk_cli.sheets.layout import letter

    monkeypatch.chdir(tmp_path)
    assert gwgk("--today", "2021-11-20", "extend", "4", "--to", "2022-01-31", "--note", "等待审计",
                "--approved-by", "王主任").exit_code == 0
    assert gwgk("--today", "2021-11-21", "extend", "3", "--to", "2022-01-15", "--note", "等待").exit_code == 0
    # An approved date, then a request nobody approved: the approved date (lateness is judged by it) is named too.
    assert gwgk("--today", "2021-11-20", "extend", "8", "--to", "2022-01-10", "--note", "等待",
                "--approved-by", "王主任").exit_code == 0
    assert gwgk("--today", "2021-11-21", "extend", "8", "--to", "2022-02-20", "--note", "再等").exit_code == 0
    assert gwgk("sheet", "out", "--unit", "行财科", "-o", "s.xlsx").exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["推进情况填报表"]
    rows = {ws[f"A{r}"].value: r for r in range(5, ws.max_row + 1) if isinstance(ws[f"A{r}"].value, int)}
    deadline = letter("deadline")
    assert ws[f"{deadline}{rows[4]}"].value == "2022年1月31日（原定年底前，延期经王主任批准）"
    assert ws[f"{deadline}{rows[7]}"].value == "年底前"
    assert ws[f"{deadline}{rows[3]}"].value == "年底前（申请延期至2022年1月15日，未经批准）"
    assert ws[f"{deadline}{rows[8]}"].value == "2022年1月10日（原定年底前，延期经王主任批准；申请再延期至2022年2月20日，未经批准）"
    requirement = {t["id"]: t["requirement"] for t in json.loads(gwgk("export", "--format", "json").stdout)}
    assert all(ws[f"{letter('requirement')}{r}"].value == requirement[task] for task, r in rows.items())
    fill(tmp_path / "s.xlsx", {4: {"progress": "审计已完成"}})
    result = gwgk("sheet", "in", "s.xlsx", "--yes")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("progress", "problems", "next_steps", "note"), [
    ("本周办理依申请公开3件。", "人手不足。", "下周补齐。", "本周办理依申请公开3件；存在问题：人手不足；下一步措施：下周补齐。"),
    ("已完成初稿；", "", "报分管领导审定", "已完成初稿；下一步措施：报分管领导审定"),
    ("进展正常", "无", "/", "进展正常"),
    ("已上线。", "", "", "已上线。"),
    ("", "缺数据，", "", "存在问题：缺数据，"),
])
def test_a_rows_note_has_one_mark_between_its_parts(progress: str, problems: str, next_steps: str, note: str) -> None:
    """Found by a tester: 本周办理依申请公开3件。；存在问题：… in the log, the report and the next sheet. The parts are
    joined by one ；, the last part kept as the clerk wrote it."""
    from gwgk_cli.sheets.merge import compose_note
    from gwgk_cli.sheets.reader import Filled

    assert compose_note(Filled(5, 4, progress=progress, problems=problems, next_steps=next_steps)) == note


def test_every_printed_page_says_whose_sheet_it_is(table: Path, gwgk: Runner, tmp_path: Path) -> None:
    """Found by a tester: pages 2 onward said only 第 N 页 — eight units' sheets printed with --all-units were eight
    piles of pages alike. The footer names the unit, the period and the sheet, left of the page number."""
    import openpyxl

    from gwgk_cli.sheets.layout import ID_SHEET

    target = tmp_path / "s.xlsx"
    assert gwgk("sheet", "out", "--unit", "行财科", "-o", str(target)).exit_code == 0
    wb = openpyxl.load_workbook(target)
    meta = {wb[ID_SHEET][f"A{r}"].value: wb[ID_SHEET][f"B{r}"].value for r in range(1, 10)}
    footer = wb["推进情况填报表"].oddFooter
    assert footer.left.text == f"行财科　2021年第47周（11月22日—11月28日）　表号 {meta['sheet_id']}"
    assert footer.center.text == "第 &P 页，共 &N 页"


@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice and pdftotext (poppler) are needed")
def test_dates_a_unit_types_print_whole(gwgk: Runner, table: Path, tmp_path: Path) -> None:
    """Found by a tester: 填报日期 and 完成日期 typed as dates printed as ### through LibreOffice, which sets the digits of
    a missing 宋体 in a wider face; their columns have room for wide digits."""
    import datetime as dt
    import subprocess

    import openpyxl

    from gwgk_cli.sheets.convert import convert

    target = tmp_path / "s.xlsx"
    assert gwgk("sheet", "out", "--unit", "政务公开指导办", "-o", str(target)).exit_code == 0
    wb = openpyxl.load_workbook(target)
    ws = wb["推进情况填报表"]
    ws["P5"], ws["Q5"] = dt.date(2021, 11, 25), dt.date(2021, 11, 24)
    wb.save(target)
    assert SOFFICE is not None and PDFTOTEXT is not None
    pdf = convert(SOFFICE, target, tmp_path / "pdf", "pdf")
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, encoding="utf-8",
                          check=True, timeout=120).stdout
    assert "###" not in text and "2021-11-25" in text and "2021-11-24" in text
