"""`gwgk import`: turn a 任务分工 notice (text, web page, Word, Excel, PDF) into a task table."""


import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from gwgk_cli.cli.base import command, env
from gwgk_cli.errors import EXIT_PROBLEM, GwgkError

if TYPE_CHECKING:
    from gwgk_cli.importer import ImportResult


@command("import")
def import_notice(
    ctx: typer.Context,
    notice: Annotated[Path, typer.Argument(help="通知文件：网页另存的文本（UTF-8 或 GB18030）、.html 网页、"
                                           ".docx/.xlsx/.xls/.pdf，或 .doc/.wps/.et（需安装 LibreOffice）。",
                                           show_default=False)],
    year: Annotated[int | None, typer.Option("--year", "-y", help="计划年度（默认从通知标题或发布时间推断）。",
                                             show_default=False)] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="文件",
                                               help="写入的任务表文件（默认 tasks_<年度>.yaml；- 表示输出到屏幕）。",
                                               show_default=False)] = None,
    explain: Annotated[bool, typer.Option("--explain", help="逐项说明每一行（或每个单元格）被识别成了什么。")] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
) -> None:
    """读取任务分工通知，生成同一格式的任务表（导入后请人工核对）。"""
    from gwgk_cli.errors import NoticeError
    from gwgk_cli.importer import ImportResult, dump_table
    from gwgk_cli.importer import import_notice as run_import
    from gwgk_cli.reading import MIB, read_named_file
    from gwgk_cli.sanitize import clean_line

    # A regular file only, of sane size: a FIFO would hang the import, /dev/zero fill the memory.
    data = read_named_file(notice, 64 * MIB, "通知文件")
    to_stdout = output == "-"
    target: Path | None = None
    if not to_stdout:
        target = Path(output) if output else None
        if target is not None:
            from gwgk_cli.cli.deliver import output_format

            _check_target(ctx, target, force, notice)  # before the work: a refused path costs nothing
            output_format("import", output, None, "yaml")  # then the extension (tasks.docx is no table)
    try:
        result = run_import(data, source_name=notice.name, year=year, imported=env(ctx).today)
    except NoticeError as exc:  # the notice's own fault: say which file, as the warnings do
        if explain and isinstance(exc.seen, ImportResult):  # what it saw up to the refusal
            _show_seen(notice, exc.seen, sys.stderr if to_stdout else sys.stdout)
        raise NoticeError(f"{clean_line(str(notice))}: {exc}") from None
    text = dump_table(result.table, drafts=result.drafts, placeholders=result.placeholders)
    _check_size(notice, len(text.encode("utf-8")))
    if not to_stdout and target is None:
        target = Path(f"tasks_{result.table.get('meta', {}).get('year') or year}.yaml")
        _check_target(ctx, target, force, notice)  # refused before anything is said about the import
    info = sys.stderr if to_stdout else sys.stdout
    if explain:
        print(clean_text_block(result.explain_text()), file=info)
    shown = clean_line(str(notice))
    if result.sheet_note:
        print(f"说明：{shown}: {clean_line(result.sheet_note)}", file=info)
    for warning in result.warnings:
        print(f"警告：{shown}: {clean_line(str(warning))}", file=sys.stderr)
    unusable = _unusable(text, target or Path("-"))
    if to_stdout:
        sys.stdout.write(text)
    else:
        assert target is not None
        from gwgk_cli.safe_write import write_output

        write_output(target, text.encode("utf-8"), force=force, in_use=_in_use(ctx))
        print(f"已写入 {clean_line(str(target))}", file=info)
    print(f"导入完成：{result.summary()}", file=info)
    if unusable:
        for problem in unusable[:10]:
            print(f"问题：{clean_line(str(problem))}", file=sys.stderr)
        more = "（以上列出前 10 处）" if len(unusable) > 10 else ""
        print(f"错误：导入得到的任务表有 {len(unusable)} 处问题{more}，gwgk 还不能使用它：请对照通知补全后用 "
              f"gwgk --file {clean_line(str(target or '任务表'))} doctor 检查", file=sys.stderr)
        raise typer.Exit(EXIT_PROBLEM)
    if target is not None:
        _next_steps(target)


def _unusable(text: str, target: Path) -> list[object]:
    """What would stop gwgk reading the imported table (an empty 具体要求 …): the table's own checker."""
    from gwgk_cli.table import check_table

    _, problems = check_table(target, text)
    return [p for p in problems if p.fatal]


def _next_steps(target: Path) -> None:
    """The new table beside another year's: a plain `gwgk list` would now refuse to choose between them."""
    from gwgk_cli.errors import TableNotFound
    from gwgk_cli.paths import find_table
    from gwgk_cli.sanitize import clean_line

    try:
        find_table(None)
    except TableNotFound:  # several tasks_<year>.yaml in one folder (or table.file gone)
        print(clean_line(f"提示：这里已有其他年度的任务表，不指定时 gwgk 不会替您选择；核对无误后用 gwgk config set "
                         f"table.file {target.resolve()} 设为默认任务表（定时催办等脚本中的 --file 或 GWGK_FILE "
                         "也请改为新表）"))


def _show_seen(notice: Path, seen: "ImportResult", info: TextIO) -> None:
    """--explain on a refused notice: every line as far as the import read it, and its warnings."""
    from gwgk_cli.sanitize import clean_line

    print(clean_text_block(seen.explain_text()), file=info)
    for warning in seen.warnings:
        print(f"警告：{clean_line(str(notice))}: {clean_line(str(warning))}", file=sys.stderr)


def _check_size(notice: Path, size: int) -> None:
    """A table gwgk would refuse to read is not written (nor shown with -o -): the reader's cap, here."""
    from gwgk_cli import table
    from gwgk_cli.errors import NoticeError
    from gwgk_cli.reading import size_text

    if size > table.MAX_TABLE_BYTES:
        raise NoticeError(f"{notice}: 导入得到的任务表过大（{size} 字节，任务表上限 {size_text(table.MAX_TABLE_BYTES)}），"
                          "gwgk 无法读取这样的表，未写入")


def clean_text_block(text: str) -> str:
    from gwgk_cli.sanitize import clean_line

    return "\n".join(clean_line(line) for line in text.split("\n"))


def _in_use(ctx: typer.Context) -> tuple[Path, ...]:
    """What this run's table, journal (file or directory), their locks and the send log are (cli.deliver's
    in_use, as for every -o): never overwritten by an import. None to protect when no table is found."""
    from gwgk_cli.cli.deliver import in_use

    try:
        return in_use(ctx)
    except (GwgkError, OSError):
        return ()


def _check_target(ctx: typer.Context, target: Path, force: bool, notice: Path) -> None:
    import os

    from gwgk_cli.errors import OutputError
    from gwgk_cli.safe_write import check_output

    try:  # the notice itself (by any name: a symlink, a hard link), even with --force
        same = target.exists() and os.path.samefile(target, notice)
    except OSError:
        same = False
    if same:
        from gwgk_cli.sanitize import clean_line

        raise OutputError(f"{clean_line(str(target))}: 是要导入的通知文件本身，不能覆盖（请另选输出文件名）")
    check_output(target, force=force, in_use=_in_use(ctx))
