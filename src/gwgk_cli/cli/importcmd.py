"""`gwgk import`: turn a 任务分工 notice (text or saved web page) into a task table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gwgk_cli.cli.base import command, env
from gwgk_cli.errors import BadValue, GwgkError


@command("import")
def import_notice(
    ctx: typer.Context,
    notice: Annotated[Path, typer.Argument(help="通知文件:网页另存的文本(UTF-8 或 GB18030)或 .html 网页。",
                                           show_default=False)],
    year: Annotated[int | None, typer.Option("--year", "-y", help="计划年度(默认从通知标题或发布时间推断)。",
                                             show_default=False)] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="PATH",
                                               help="写入的任务表文件(默认 tasks_<年度>.yaml;- 表示输出到屏幕)。",
                                               show_default=False)] = None,
    explain: Annotated[bool, typer.Option("--explain", help="逐行说明每一行被识别成了什么。")] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
) -> None:
    """读取任务分工通知,生成同一格式的任务表(导入后请人工核对)。"""
    from gwgk_cli.importer import dump_table
    from gwgk_cli.importer import import_notice as run_import
    from gwgk_cli.storage_io import write_text_atomic

    try:
        data = notice.read_bytes()
    except FileNotFoundError:
        raise BadValue(f"找不到通知文件 {notice}") from None
    except OSError as exc:
        raise BadValue(f"无法读取通知文件 {notice}: {exc.strerror}") from None
    result = run_import(data, source_name=notice.name, year=year, imported=env(ctx).today)
    text = dump_table(result.table)
    to_stdout = output == "-"
    info = sys.stderr if to_stdout else sys.stdout
    if explain:
        print(result.explain_text(), file=info)
    for warning in result.warnings:
        print(f"警告: {notice}: {warning}", file=sys.stderr)
    if to_stdout:
        sys.stdout.write(text)
    else:
        plan_year = result.table.get("meta", {}).get("year") or year
        target = Path(output) if output else Path(f"tasks_{plan_year}.yaml")
        if target.exists() and not force:
            raise BadValue(f"{target} 已存在,未覆盖(确认覆盖请加 --force)")
        try:
            write_text_atomic(target, text)
        except OSError as exc:
            raise GwgkError(f"无法写入 {target}: {exc.strerror}") from None
        print(f"已写入 {target}", file=info)
    print(f"导入完成: {result.summary()}", file=info)
