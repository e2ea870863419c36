"""Where a command's output goes: `-o FILE` (atomic, never over the table or the journal in use, nor
into a journal directory) or stdout; binary documents only to a file. Shared by every command with -o."""


from pathlib import Path
from typing import Annotated

import typer

from gwgk_cli.cli.base import emit, env
from gwgk_cli.sanitize import clean_line

OutputOption = Annotated[
    str | None, typer.Option("--output", "-o", metavar="FILE",
                             help="写入文件（UTF-8），不输出到屏幕；文件已存在时须加 --force。不会写入正在使用的任务表和进展记录。",
                             show_default=False)
]
ForceOption = Annotated[bool, typer.Option("--force", help="-o 的文件已存在时覆盖它。")]


def in_use(ctx: typer.Context) -> tuple[Path, ...]:
    """The files an output must never replace, whether or not they exist yet: the table, the journal file
    and the journal directory (journal_dir: tasks_2021.progress/ beside tasks_2021.progress.jsonl), the
    journal's lock file (replaced, it would be a new file that a writer holding the old one does not lock:
    two writers at once), and the 催办 send log with its lock and directory."""
    from gwgk_cli.notify.sendlog import log_path

    loc = env(ctx).location
    journal = loc.journal
    directory = journal.with_name(journal.name[: -len(".jsonl")]) if journal.name.endswith(".jsonl") else journal
    sends = log_path(journal)
    return (loc.table, journal, directory, journal.with_name(journal.name + ".lock"), sends,
            sends.with_name(sends.name + ".lock"), sends.with_name(sends.name[: -len(".jsonl")]))


def check_output(ctx: typer.Context, output: str, force: bool) -> None:
    """Refuse a bad -o before any work, so a refused command changes nothing."""
    from gwgk_cli.safe_write import check_output as check

    check(Path(output), force=force, in_use=in_use(ctx))


def deliver_bytes(ctx: typer.Context, data: bytes, output: str | None, what: str, force: bool) -> None:
    """A binary document (docx, xlsx): only to a file, never to a terminal or pipe."""
    from gwgk_cli.errors import BadValue
    from gwgk_cli.safe_write import write_output

    if output is None:
        raise BadValue(f"{what.strip()}是二进制文件，请用 -o 指定输出文件（例如 -o 周报.docx）")
    write_output(Path(output), data, force=force, in_use=in_use(ctx))
    typer.echo(clean_line(f"已将{what}写入 {output}"))


def deliver(ctx: typer.Context, text: str, output: str | None, what: str, force: bool) -> None:
    """To the file (safe_write.write_output: atomic, never over the table or journal in use, never over a
    device, FIFO or dangling link, an existing file only with --force; one line saying where) or to stdout."""
    if output is None:
        emit(text)
        return
    from gwgk_cli.safe_write import write_output

    write_output(Path(output), text.encode("utf-8"), force=force, in_use=in_use(ctx))
    typer.echo(clean_line(f"已将{what}写入 {output}"))
