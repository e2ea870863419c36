"""`gwgk journal split | join`: one journal file <-> a journal directory shared by several PCs
(gwgk_cli.journal_dir does the work; this module calls it and prints)."""


import os

import typer

from gwgk_cli.cli.base import GwgkCommand, GwgkGroup, app, env
from gwgk_cli.sanitize import clean_line

journal_app = typer.Typer(
    cls=GwgkGroup,
    help="进展记录的两种形式互换：split 把单个文件变成多台电脑共用的目录（每台电脑写自己的文件），"
         "join 把目录合成单个文件。",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(journal_app, name="journal")


@journal_app.command("split", cls=GwgkCommand)
def split(ctx: typer.Context) -> None:
    """把单个进展记录文件（tasks_2021.progress.jsonl）变成目录 tasks_2021.progress/：原有记录原样移入目录，
    原文件改名留作备份；此后每台电脑只追加自己的文件（姓名@计算机名.jsonl）。目录已存在时把该文件并入目录。
    请在其他电脑都未登记时运行。"""
    from gwgk_cli.journal_dir import writer_file
    from gwgk_cli.journal_split import split as do_split

    journal = env(ctx).location.journal
    done = do_split(journal)
    directory = done.target.parent
    typer.echo(clean_line(f"已拆分：{done.entries} 条记录原样移入 {directory}{os.sep}{done.target.name}。"))
    typer.echo(clean_line(f"原文件已改名为 {done.backup.name}，留作备份（确认无误后可删除）。"))
    typer.echo(clean_line(f"本机此后写入 {writer_file(directory).name}；"
                          "其他电脑各写各的文件，读取时按登记顺序合并（gwgk info 列出全部文件）。"))


@journal_app.command("join", cls=GwgkCommand)
def join(ctx: typer.Context) -> None:
    """把进展记录目录 tasks_2021.progress/ 合成单个文件 tasks_2021.progress.jsonl：按合并后的登记顺序逐行照抄，
    重复的记录（编号和内容都相同，如冲突副本中的）只留一份；目录改名留作备份。单个文件已存在、有无法读取的行、
    或同一记录编号有两种内容时不合并。"""
    from gwgk_cli.journal_split import join as do_join

    journal = env(ctx).location.journal
    done = do_join(journal)
    left = [f"冲突副本中重复的 {done.duplicates} 条只保留一份"] if done.duplicates else []
    left += [f"编号和内容都相同的 {done.repeats} 行重复记录只保留一份"] if done.repeats else []
    extra = f"（{'；'.join(left)}）" if left else ""
    typer.echo(clean_line(f"已合并：{done.entries} 条记录写入 {done.target}{extra}。"))
    typer.echo(clean_line(f"原目录已改名为 {done.backup.name}，留作备份（确认无误后可删除）。"))
