"""`gwgk journal split` / `join`: the single-file journal <-> a journal directory (gwgk_cli.journal_dir),
without losing or reordering anything; the source is always kept as a backup beside it."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from gwgk_cli.errors import JournalError
from gwgk_cli.journal import parse_entries
from gwgk_cli.journal_copies import conflict_copies
from gwgk_cli.journal_dir import JSONL, merge, read_files
from gwgk_cli.journal_entry import Entry, line_ref, repeated_ids, unique


@dataclass(frozen=True, slots=True)
class Converted:
    """What `journal split` did: the directory, the backup, the entries moved."""

    target: Path  # the file written (split: inside the directory; join: the single file)
    backup: Path  # where the source now is, untouched
    entries: int  # entries in the target
    duplicates: int = 0  # join: lines of conflict copies repeating an entry (the same id and content) read before
    repeats: int = 0  # join: other lines repeating an entry read before (one file twice, a line twice)


def _stamp_now() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _backup_name(path: Path, what: str) -> Path:
    """A free name beside `path` for the source kept as a backup (never a journal's name)."""
    base = path.name.rstrip(os.sep)
    for n in range(100):
        candidate = path.with_name(f"{base}.{what}-{_stamp_now()}" + (f"-{n}" if n else ""))
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
    raise JournalError(f"{path}: 找不到可用的备份名")


def _free_name(directory: Path, name: str) -> Path:
    """`<dir>/<name>`, or `<stem>-2.jsonl` … when the directory already holds it: a file left behind by a PC
    that recorded in the single file after another had split it (the sync brought it back). Its lines are
    added beside the earlier one, never over it; entries in both are copies, counted once."""
    stem = name[: -len(JSONL)]
    for n in range(1, 100):
        candidate = directory / (name if n == 1 else f"{stem}-{n}{JSONL}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
    raise JournalError(f"{directory}: 找不到可用的文件名，未拆分（不覆盖任何文件）")


def split(journal: Path) -> Converted:
    """Single file -> journal directory: the file's bytes, unchanged, become `<dir>/<journal name>` (a file
    no writer appends to: it has no "@"), and the file is renamed to a backup beside it. The directory is
    made when missing (complete before it appears); an existing one (the file and the directory both
    present: a PC recorded in the single file after another split it) gets the file added, under a free
    name when the directory holds one of that name. Nothing is lost or reordered: the merged order of one file is its order."""
    from filelock import FileLock

    from gwgk_cli.journal import _lock_path, _looks_like_journal, read_journal_bytes

    if not journal.name.endswith(JSONL):
        raise JournalError(f"{journal}: 进展记录文件名应以 .jsonl 结尾")
    directory = journal.with_name(journal.name[: -len(JSONL)])
    if not journal.is_file():
        raise JournalError(f"{journal}: 没有单个文件形式的进展记录可拆分"
                           + (f"（已在使用目录 {directory}{os.sep}）" if directory.is_dir() else ""))
    with FileLock(str(_lock_path(journal)), timeout=30):
        data = read_journal_bytes(journal)
        entries, _ = parse_entries(data, str(journal))
        if not _looks_like_journal(data, entries):
            raise JournalError(f"{journal}: 不是进展记录（没有一行有效的记录），未拆分")
        if directory.exists() and not directory.is_dir():
            raise JournalError(f"{directory}: 已存在同名文件（不是目录），未拆分")
        target = _free_name(directory, journal.name)
        backup = _backup_name(journal, "拆分前备份")
        made = not directory.exists()
        try:
            if made:
                import secrets

                from gwgk_cli.safe_write import write_bytes_atomic

                # Made with the usual permissions, as the folder it is in gives them: not tempfile.mkdtemp,
                # whose 0700 keeps the other clerks out (on Windows, a private access list that no chmod
                # undoes and that a rename keeps).
                staging = directory.parent / f".{directory.name}.{secrets.token_hex(6)}.tmp"
                os.mkdir(staging)
                try:
                    write_bytes_atomic(staging / journal.name, data)
                    _rename(staging, directory)
                except OSError:
                    import shutil

                    shutil.rmtree(staging, ignore_errors=True)
                    raise
            else:
                _write_new(target, data)
            _rename(journal, backup)
        except OSError as exc:
            if target.exists():  # undo what was done: the journal stays exactly as it was
                target.unlink(missing_ok=True)
                if made:
                    directory.rmdir()
            from gwgk_cli.paths import os_reason

            busy = "（文件可能正被同步软件或杀毒软件占用，请稍后重试）" if isinstance(exc, PermissionError) else ""
            raise JournalError(f"{journal}: 拆分失败：{os_reason(exc, target)}{busy}；未改动") from None
    try:  # the single file's lock, beside it in the shared folder, locks nothing now (the writers' are local)
        _lock_path(journal).unlink(missing_ok=True)
    except OSError:  # held open by another PC's gwgk (Windows): left; it is harmless
        pass
    return Converted(target, backup, len(unique(entries)))


def _rename(source: Path, target: Path) -> None:
    """os.rename, tried again for a few seconds on Windows while another program holds a file in the folder."""
    from gwgk_cli.safe_write import FOLDER_TRIES, when_free

    when_free(lambda: os.rename(source, target), FOLDER_TRIES)


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist (safe_write.write_new); one that does is refused, untouched."""
    from gwgk_cli.safe_write import write_new

    try:
        write_new(path, data)
    except FileExistsError:
        raise JournalError(f"{path}: 已存在，未覆盖") from None


class Joined(NamedTuple):
    """The single file `join` writes, its entries, and the lines left out as copies of an entry read before
    (in conflict copies; elsewhere)."""

    data: bytes
    entries: int
    duplicates: int
    repeats: int


def joined_bytes(directory: Path) -> Joined:
    """The single file `join` writes: every entry's line exactly as it is in its file, in merged order
    (each entry once: a copy, the same id with the same content, is left out). Refused when a line cannot
    be read (it would be lost) or one id has two contents (in one file they could not be told apart)."""
    reads = read_files(directory)
    bad = [w for r in reads for w in r.warnings]
    if bad:
        raise JournalError(f"{bad[0]}；有 {len(bad)} 行无法读取，合并会丢失它们，未合并（gwgk doctor 列出全部）")
    copies: list[tuple[Entry, Entry]] = []
    merged = merge([(r.path, r.entries) for r in reads], copies)
    repeated = repeated_ids(merged)
    if repeated:
        ident, (first, second, *_) = next(iter(repeated.items()))
        more = f"；共 {len(repeated)} 个编号如此" if len(repeated) > 1 else ""
        raise JournalError(f"{second.origin}:{second.origin_line}: 记录编号 {ident} 与 {line_ref(first)}相同但内容不同"
                           f"（两条都计入），合成单个文件后无法区分，未合并{more}；请核对后改正其中一条的编号（gwgk doctor 列出全部）")
    lines = {r.path: r.data.removeprefix(b"\xef\xbb\xbf").split(b"\n") for r in reads}
    out = [lines[Path(e.origin)][e.origin_line - 1].rstrip(b"\r") + b"\n" for e in merged]
    in_copies = {str(c.path) for c, _ in conflict_copies(reads)}
    duplicates = sum(1 for c, o in copies if c.origin in in_copies or o.origin in in_copies)
    return Joined(b"".join(out), len(merged), duplicates, len(copies) - duplicates)


def join(journal: Path) -> Converted:
    """Journal directory -> single file: written complete beside it (never over an existing file), then
    the directory renamed to a backup beside it, untouched."""
    from filelock import FileLock

    from gwgk_cli.journal import _lock_path

    if not journal.name.endswith(JSONL):
        raise JournalError(f"{journal}: 进展记录文件名应以 .jsonl 结尾")
    directory = journal.with_name(journal.name[: -len(JSONL)])
    if not directory.is_dir():
        raise JournalError(f"{directory}{os.sep}: 没有进展记录目录可合并")
    if journal.exists() or journal.is_symlink():
        raise JournalError(f"{journal}: 已存在，不覆盖；请先运行 gwgk journal split 把它并入目录，再合并")
    with FileLock(str(_lock_path(journal)), timeout=30):
        data, count, duplicates, repeats = joined_bytes(directory)
        backup = _backup_name(directory, "合并前备份")
        try:
            _rename(directory, backup)
        except OSError as exc:
            raise JournalError(f"{directory}: 无法改名为备份（同步软件或其他程序正在使用？）："
                               f"{exc.strerror or exc}；未改动") from None
        try:
            _write_new(journal, data)
        except (OSError, JournalError) as exc:
            _rename(backup, directory)
            why = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise JournalError(f"{journal}: 合并失败：{why or exc}；未改动") from None
    return Converted(journal, backup, count, duplicates, repeats)
