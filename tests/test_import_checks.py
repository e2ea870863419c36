"""What `gwgk import` says after writing: a table gwgk cannot read yet, or one beside another year's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTICE_2021 = ROOT / "data" / "source" / "huainan-2021-notice.txt"
TABLE_2021 = ROOT / "data" / "tasks_2021.yaml"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


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
