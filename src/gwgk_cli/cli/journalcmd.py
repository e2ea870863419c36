"""`gwgk journal split | join`: one journal file <-> a journal directory shared by several PCs
(gwgk_cli.journal_dir does the work; this module calls it and prints); `gwgk journal recover`: lost lines
written back (gwgk_cli.journal_lost)."""


import os
from typing import Annotated

import typer

from gwgk_cli.cli.base import GwgkCommand, GwgkGroup, app, env
from gwgk_cli.sanitize import clean_line

journal_app = typer.Typer(
    cls=GwgkGroup,
    help="进展记录的两种形式互换：split 把单个文件变成多台电脑共用的目录（每台电脑写自己的文件），"
         "join 把目录合成单个文件；recover 找回 gwgk doctor 说丢失的记录。",
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


@journal_app.command("recover", cls=GwgkCommand)
def recover(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不再询问，直接写回。")] = False,
) -> None:
    """找回进展记录中丢失的记录（gwgk doctor 提示“已不在进展记录中”时用）：本机登记过或读到过、现在哪个文件都没有的
    记录（同步软件换回了旧副本、文件一度消失或被手工改过），先逐条列出，确认后原样写回（记录编号和内容都不变）。
    共用目录时写成目录中的新文件“恢复-….jsonl”，按登记时间与其他文件合并；单个文件时追加到末尾。"""
    from gwgk_cli.cli.base import go_ahead, pick_format
    from gwgk_cli.errors import JournalError
    from gwgk_cli.journal_entry import entry_record
    from gwgk_cli.journal_lost import lost_entries, restore, shown_ids
    from gwgk_cli.paths import user_cache_dir
    from gwgk_cli.render.history import LOG_COLUMNS, log_rows
    from gwgk_cli.render.listing import render_rows

    e = env(ctx)
    journal = e.location.journal
    e.tracker.check_journal()  # the index reads the journal: lines gone since it last did are kept, to be found here
    cache = user_cache_dir()
    if cache.exists() and not cache.is_dir():  # GWGK_CACHE_DIR=/dev/null: nothing could have been kept there
        raise JournalError(f"{cache}: 缓存目录不是文件夹，本机保存的记录无从查找（可用环境变量 GWGK_CACHE_DIR 改用其他目录）")
    found, changed = lost_entries(journal)
    if changed:
        typer.echo(clean_line(f"记录 {shown_ids(changed)} 的编号仍在进展记录中、内容已不同（被手工改过？），不写回；"
                              "请用 gwgk log 核对"), err=True)
    if not found:
        typer.echo("没有可以写回的记录。" if changed else "没有需要找回的记录：本机保存的记录都在进展记录中。")
        return
    titles = {t.id: t.title for t in e.tracker.plan.tasks}
    total = sum(len(entries) for _, entries in found)
    for origin, entries in found:
        typer.echo(clean_line(f"原在 {origin}.jsonl 中的 {len(entries)} 条记录："))
        recs = [{**entry_record(x, titles), "undone": False, "contradiction": None} for x in entries]
        render_rows(log_rows(recs), LOG_COLUMNS, pick_format(None).value)
    if not go_ahead(yes, f"预览：将写回 {total} 条记录，现未写入任何内容（确认无误后加 --yes 写回）。",
                    f"把这 {total} 条记录写回进展记录？", "未写回任何内容。"):
        return
    done = restore(journal)
    if not done:
        typer.echo("没有写回：这些记录已回到进展记录中。")
        return
    for path, count in done:
        typer.echo(clean_line(f"已写回 {count} 条记录：{path}"))
