"""Where a command's output goes: `-o FILE` (atomic, never over the table or the journal in use, nor
into a journal directory) or stdout; binary documents only to a file. Shared by every command with -o.

The one rule for the file's extension (output_format): what a command writes is --format, else the
extension; an extension the command cannot write (周报.doc, 台账.xls, 周报.pdf) is refused with one line
naming the extensions it can, and a --format that contradicts the extension too."""


from pathlib import Path
from typing import Annotated

import typer

from gwgk_cli.cli.base import emit, env
from gwgk_cli.sanitize import clean_line

# For each command with -o: the extensions it writes and the format each one means, in the order said.
OUTPUT_SUFFIXES: dict[str, dict[str, str]] = {
    "list": {".xlsx": "xlsx", ".csv": "csv", ".tsv": "tsv", ".txt": "tsv", ".json": "json"},
    "report": {".docx": "docx", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".txt": "text"},
    "bulletin": {".docx": "docx", ".xlsx": "xlsx", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md",
                 ".txt": "text"},
    "export": {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".yaml": "yaml", ".yml": "yaml"},
    "sheet out": {".xlsx": "xlsx"},
    "import": {".yaml": "yaml", ".yml": "yaml"},
}
BINARY_FORMATS = frozenset({"docx", "xlsx"})
_SUFFIX_NOTES = {".docx": "Word/WPS 文字", ".xlsx": "Excel/WPS 表格", ".csv": "Excel/WPS 可打开", ".html": "网页，可打印",
                 ".md": "Markdown", ".txt": "纯文本", ".tsv": "制表符分隔", ".json": "JSON", ".yaml": "YAML"}
# What to use instead of an extension the documents are often asked in.
_INSTEAD = {".doc": ".docx", ".wps": ".docx", ".rtf": ".docx", ".odt": ".docx", ".xls": ".xlsx", ".et": ".xlsx",
            ".ods": ".xlsx", ".pdf": ".html", ".htm": ".html", ".text": ".txt", ".yml": ".yaml"}


def writable_suffixes(command: str) -> str:
    """`.docx（Word/WPS 文字）、.html（网页，可打印）…`: what `command` writes, for a message."""
    seen = dict.fromkeys(s for s in OUTPUT_SUFFIXES[command] if s not in (".htm", ".markdown", ".yml"))
    return "、".join(f"{s}（{_SUFFIX_NOTES[s]}）" if s in _SUFFIX_NOTES else s for s in seen)


def output_format(command: str, output: str | None, chosen: str | None, default: str) -> str:
    """The format `command` writes: --format (`chosen`), else the -o file's extension, else `default`.
    An extension the command cannot write, or one that contradicts --format, is a BadValue (nothing written);
    a .txt file takes any text format (`report --format md -o 周报.txt`)."""
    from gwgk_cli.errors import BadValue

    if output is None:
        return chosen or default
    if names_folder(output):  # Path("周报/") is Path("周报"): a file named 周报 would be written
        raise BadValue(f"-o {clean_line(output)} 以“{output[-1]}”结尾，指的是文件夹：请写出其中的文件名，未写入")
    suffix = Path(output).suffix.lower()
    known = OUTPUT_SUFFIXES[command]
    name = clean_line(Path(output).name)
    if Path(output).name.lower() in (*known, ".txt"):  # `-o 文件夹/.xlsx`: a hidden file, its format not by its name
        raise BadValue(f"-o {clean_line(output)}：只有扩展名，没有文件名，未写入（请写出文件名，如 {Path(output).parent / ('文件' + name)}）")
    if not suffix:
        return chosen or default
    if suffix == ".txt" and (chosen or known.get(suffix) or default) not in BINARY_FORMATS:
        return chosen or known.get(suffix) or default  # any text format is honoured by a .txt file
    if suffix not in known:
        better = _INSTEAD.get(suffix)
        use = f"请用 {better}；" if better in known else ""
        if suffix == ".pdf" and ".html" in known:
            use = "PDF 请先写 .html 再在浏览器中打印为 PDF；"
        raise BadValue(f"{name}：gwgk {command} 不能写 {suffix} 文件，未写入（{use}可写 {writable_suffixes(command)}）")
    by_suffix = known[suffix]
    if chosen is not None and chosen != by_suffix:
        fitting = next((s for s, f in known.items() if f == chosen), None)
        use = f"{chosen} 请用 {fitting} 文件名，或" if fitting else ""
        raise BadValue(f"--format {chosen} 与输出文件 {name} 的扩展名不符，未写入（{use}去掉 --format 按扩展名写 {by_suffix}）")
    return by_suffix


def names_folder(output: str) -> bool:
    """-o written with a trailing separator (`填报表/`, `D:\\周报\\`): a folder, whatever exists there."""
    import os

    return output.endswith(("/", os.sep, *((os.altsep,) if os.altsep else ())))


OutputOption = Annotated[
    str | None, typer.Option("--output", "-o", metavar="文件",
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


def output_to(ctx: typer.Context, command: str, output: str | None, force: bool, chosen: str | None,
              default: str) -> str:
    """The format `command` writes (output_format), the -o file checked before any work: a file in use or
    no regular file is named as such first, then the extension, then an existing file without --force."""
    if output is None:
        return output_format(command, None, chosen, default)
    from gwgk_cli.safe_write import check_output as check

    check(Path(output), force=True, in_use=in_use(ctx))
    fmt = output_format(command, output, chosen, default)
    check(Path(output), force=force, in_use=in_use(ctx))
    return fmt


def deliver_bytes(ctx: typer.Context, data: bytes, output: str | None, what: str, force: bool) -> None:
    """A binary document (docx, xlsx): only to a file, never to a terminal or pipe."""
    from gwgk_cli.errors import BadValue
    from gwgk_cli.safe_write import write_output

    if output is None:
        # The example names a file of this kind: 周报.docx, 通报.xlsx, 台账.xlsx (the tasks of list and export).
        name, _, kind = what.strip().rstrip("）").partition("（")
        example = f"{name if name in ('周报', '通报') else '台账'}.{kind or 'docx'}"
        raise BadValue(f"{what.strip()}是二进制文件，请用 -o 指定输出文件（例如 -o {example}）")
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
