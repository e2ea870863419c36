"""Storage: a team journal, one journal directory shared by several PCs (docs/schema.md, README).

Beside the table `tasks_2021.yaml`, the directory `tasks_2021.progress/` (the single-file journal's
name without `.jsonl`) holds one append-only JSON Lines file per writer, `<user>@<host>.jsonl`
(user: GWGK_USER / config user.name / git / login name; host: GWGK_HOST, else the computer's name).
When the directory exists it is the journal; the file `tasks_2021.progress.jsonl` beside it as well is
refused (`gwgk journal split` moves it into the directory).

Writing: each writer appends only to its own file, under a lock in the local cache directory (only
processes of this PC ever write that file, and locks over SMB or a sync client are unreliable). The
decision is taken on the merged view of every file (`transact`), as with a single file.

Reading: every file in `journal_files` order is read and the entries merged into one sequence, the
*recording order*: each file keeps its own order; of the files' next entries the one recorded first
(`at`, compared as an instant in UTC; an entry without a readable `at` counts as earliest) comes next,
ties by entry id, then by file order. An entry seen before, the same id with the same content (a sync
client's conflict copy, a file copied twice, a line repeated), is taken once, where it comes first in
that order; the same id with different content is two entries, both read, as a single file reads them
(journal_entry: the rule for repeated ids). Each entry's `lineno` is its place in
that sequence (1, 2, …) and `origin` / `origin_line` say where it is; replay then orders by date and
recording order, exactly as a single file orders by date and line. A single file is never read this
way: its order stays date, then line.

A last line without its newline in a file of the directory is being appended by another PC right now
(or was cut off by a crash): commands skip it silently, `gwgk doctor` reports it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from gwgk_cli.errors import JournalError
from gwgk_cli.journal_copies import _copy_lines, conflict_original
from gwgk_cli.journal_copies import conflict_base as conflict_base  # re-exported: journal_dir names them
from gwgk_cli.journal_copies import conflict_copies as conflict_copies
from gwgk_cli.journal_entry import Entry, JournalWarning, Seen, instant, line_ref, unique, warning_at
from gwgk_cli.state import chronological, in_force

if TYPE_CHECKING:
    from gwgk_cli.paths import Location

JSONL = ".jsonl"
NAME_BYTES = 80  # per part (user, host) of a writer's file name, in UTF-8 bytes: far below every limit
# The regular expressions here are strings, compiled (and cached by re) on first use: importing this
# module for a read command then compiles none.
_FORBIDDEN = r'[\x00-\x1f\x7f<>:"/\\|?*@]'  # Windows' forbidden characters, controls, and "@"
_RESERVED = r"(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?"  # Windows device names


# --------------------------------------------------------------------------- where


def directory_for(journal: Path) -> Path | None:
    """The journal directory that replaces the single-file `journal` (tasks_2021.progress.jsonl ->
    tasks_2021.progress/), or None when there is none. Both at once is a JournalError: which one
    holds the truth is not for gwgk to guess."""
    if not journal.name.endswith(JSONL):
        return None
    directory = journal.with_name(journal.name[: -len(JSONL)])
    if not directory.is_dir():
        return None
    if journal.exists() or journal.is_symlink():
        raise JournalError(
            f"进展记录文件 {journal} 与进展记录目录 {directory}{os.sep} 同时存在，不知以哪个为准，未读取也未写入；"
            f"请运行 gwgk journal split 把该文件并入目录（原文件改名留作备份），或把它移走后再用 gwgk journal join 合成单个文件")
    return directory


def journal_files(location: Location | Path) -> list[Path]:
    """The files that make up the journal, in a stable order: for a single-file journal that file (when
    it exists); for a journal directory the writers' files by name, then conflict copies by name."""
    journal = location if isinstance(location, Path) else location.journal
    directory = directory_for(journal)
    if directory is None:
        from gwgk_cli.paths import beyond_max_path  # there, but too long for Windows: reading it says so

        return [journal] if journal.exists() or beyond_max_path(journal) else []
    return directory_files(directory)


def directory_files(directory: Path) -> list[Path]:
    """The writers' files of a directory of JSON Lines files, by name, then their conflict copies by name."""
    try:
        names = [p.name for p in directory.iterdir()]
    except OSError as exc:
        raise JournalError(f"{directory}: 无法列出进展记录目录：{exc.strerror or exc}") from None
    files = [n for n in names if _is_journal_name(n) and (directory / n).is_file()]
    plain = sorted(n for n in files if conflict_base(n) is None)
    copies = sorted(n for n in files if conflict_base(n) is not None)
    return [directory / n for n in plain + copies]


def _is_journal_name(name: str) -> bool:
    if name.startswith((".", "~")) or name.endswith((".tmp", ".lock", ".part")):
        return False  # hidden files, sync clients' and editors' temporary files, locks
    return name.lower().endswith(JSONL) or conflict_base(name) is not None


def display(journal: Path) -> str:
    """The journal as shown to the user: the file, or the directory (with a trailing separator)."""
    try:
        directory = directory_for(journal)
    except JournalError:
        return str(journal)
    return str(journal) if directory is None else f"{directory}{os.sep}"


# Folders that sync clients keep in step across PCs, by a folder name on the path (case ignored; OneDrive's
# business folders are "OneDrive - 单位名") or, on Windows, the OneDrive variables.
_SYNCED_NAMES = (("onedrive", "OneDrive"), ("dropbox", "Dropbox"), ("nutstore", "坚果云"), ("我的坚果云", "坚果云"),
                 ("坚果云", "坚果云"), ("nextcloud", "Nextcloud"), ("owncloud", "ownCloud"), ("seafile", "Seafile"),
                 ("google drive", "Google Drive"), ("icloud drive", "iCloud"), ("iclouddrive", "iCloud"),
                 ("baidunetdisk", "百度网盘"), ("baidusyncdisk", "百度网盘"), ("百度网盘", "百度网盘"),
                 ("wps云盘", "WPS 云盘"), ("wpsdrive", "WPS 云盘"), ("wps cloud files", "WPS 云盘"),
                 ("同步盘", "同步盘"))
_SYNCED_EXACT = {"sync": "同步盘", "resilio sync": "Resilio Sync"}  # Syncthing's and Resilio's default folders


def synced_folder(path: Path) -> str | None:
    """The sync client whose folder holds `path` (a guess from the folder names), or None."""
    full = os.path.normcase(os.path.abspath(path))
    for var in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        root = os.environ.get(var)
        if root and full.startswith(os.path.normcase(os.path.abspath(root)) + os.sep):
            return "OneDrive"
    for part in Path(os.path.abspath(path)).parent.parts:
        name = part.lower()
        if name in _SYNCED_EXACT:
            return _SYNCED_EXACT[name]
        for prefix, client in _SYNCED_NAMES:
            if name == prefix or (name.startswith(prefix) and not name[len(prefix)].isalnum()):
                return client
    return None


def sync_hint(journal: Path) -> str | None:
    """`gwgk doctor`/`info`: a single-file journal in a synced folder, where two PCs writing it at once
    make conflict copies; a journal directory (one file per PC) is what such a folder needs."""
    client = synced_folder(journal)
    if client is None:
        return None
    try:
        if directory_for(journal) is not None:
            return None
    except JournalError:
        return None
    return (f"提示：进展记录 {journal} 位于 {client} 同步文件夹中：几台电脑同时写同一个文件会产生冲突副本；"
            "如有多台电脑登记，请运行 gwgk journal split，改为每台电脑各写一个文件（读取时自动合并）")


def info_rows(journal: Path) -> list[tuple[str, str]]:
    """`gwgk info`: the journal, and for a directory each file (the caller's own, conflict copies)."""
    try:
        directory = directory_for(journal)
        if directory is None:
            hint = sync_hint(journal)
            return [("进展记录", str(journal)), *([("提示", hint.removeprefix("提示："))] if hint else [])]
        files = directory_files(directory)
    except JournalError as exc:
        return [("进展记录", str(journal)), ("问题", str(exc))]
    own = writer_file(directory)
    rows = [("进展记录", f"{directory}{os.sep}（目录，{len(files)} 个文件，每台电脑只写自己的文件）")]
    counts: dict[Path, int | str] = {}
    first: dict[str, Entry | None] = {}
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            counts[path] = str(exc.strerror or exc)
            continue
        counts[path] = sum(1 for line in data.split(b"\n") if line.strip())
        first[path.name] = _first_entry(data)
    for path in files:
        count = counts[path]
        if isinstance(count, str):
            rows.append(("", f"{path.name}（无法读取：{count}）"))
            continue
        copy = path != own and conflict_original(path.name, first) is not None
        mark = "，本机写入" if path == own else "，同步软件的冲突副本" if copy else ""
        rows.append(("", f"{path.name}（{count} 行{mark}）"))
    if own not in files:
        rows.append(("本机写入", f"{own.name}（尚未写入）"))
    return rows


# --------------------------------------------------------------------------- who writes


def safe_part(text: str) -> str:
    """One part of a writer's file name, valid on Windows, macOS and Linux file systems and sync
    clients: NFC, controls and <>:"/\\|?*@ replaced by "_", no leading or trailing dot or space, at
    most NAME_BYTES bytes of UTF-8 (cut on a character boundary), never empty, never a device name."""
    text = re.sub(_FORBIDDEN, "_", unicodedata.normalize("NFC", text))
    text = re.sub(r"\s+", " ", text).strip(" .")
    encoded = text.encode("utf-8")[:NAME_BYTES]
    text = encoded.decode("utf-8", "ignore").strip(" .")
    if not text:
        return "_"
    if re.fullmatch(_RESERVED, text):
        text += "_"
    return text


def host_name() -> str:
    """This computer's name: GWGK_HOST when set (tests simulate PCs with it), else the host name
    without its domain."""
    env = os.environ.get("GWGK_HOST", "").strip()
    if env:
        return env
    import socket

    return socket.gethostname().split(".")[0] or "localhost"


def writer_file(directory: Path, user: str | None = None, host: str | None = None) -> Path:
    """The caller's own file in the directory: `<user>@<host>.jsonl`."""
    if user is None:
        from gwgk_cli.config import default_user

        user = default_user()[0]
    return directory / f"{safe_part(user)}@{safe_part(host if host is not None else host_name())}{JSONL}"


def local_lock_for(path: Path) -> Path:
    """A lock in the local cache directory for one writer's file (never on the share: a lock file in a
    synced folder locks nothing across PCs)."""
    import hashlib

    from gwgk_cli.paths import user_cache_dir

    # normcase: on Windows "Li@PC.jsonl" and "li@pc.jsonl" are one file, so they must be one lock.
    digest = hashlib.sha256(os.path.normcase(os.path.realpath(path)).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    folder = user_cache_dir() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.lock"


# --------------------------------------------------------------------------- reading


class FileRead(NamedTuple):
    """One writer's journal file as read: its bytes, entries and damaged lines (a NamedTuple, like
    Contradiction: internal values, and a dataclass costs start-up time)."""

    path: Path
    data: bytes
    entries: list[Entry]
    warnings: list[JournalWarning]


def _read_file(path: Path, tasks: Iterable[int] | None) -> FileRead:
    from gwgk_cli.journal import parse_entries, parse_task_lines, read_journal_bytes  # not for log's views

    data = read_journal_bytes(path)
    if tasks is not None:
        return FileRead(path, data, parse_task_lines(data, str(path), tasks), [])
    entries, warnings = parse_entries(data, str(path))
    return FileRead(path, data, entries, warnings)


def read_files(directory: Path, tasks: Iterable[int] | None = None) -> list[FileRead]:
    wanted = None if tasks is None else list(tasks)
    return [_read_file(path, wanted) for path in directory_files(directory)]


def read_paths(paths: Iterable[Path]) -> list[FileRead]:
    """These files of a directory (its listing, as `journal_files` gives it), each read whole."""
    return [_read_file(path, None) for path in paths]


def _recorded(entry: Entry) -> tuple[int, str, str]:
    """The merge key: when it was recorded (UTC), then its id."""
    return (*at_key(entry.at), entry.id)


def at_key(at: str) -> tuple[int, str]:
    """The merge key's first part: when an entry was recorded, in UTC (an `at` that is no date-time first)."""
    when = instant(at)
    if when is None:
        return (0, "")
    return (1, when.astimezone(dt.timezone.utc).isoformat())


def _first_entry(data: bytes) -> Entry | None:
    """A file's first valid entry (conflict_original compares it)."""
    return _valid_entry(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"))


def _last_entry(data: bytes) -> Entry | None:
    """A file's last valid entry (its latest: each file is in the order it was written)."""
    return _valid_entry(reversed(data.split(b"\n")))


def _valid_entry(lines: Iterable[bytes]) -> Entry | None:
    """The first of `lines` that is a valid entry."""
    from gwgk_cli.journal import parse_line

    for raw in lines:
        if raw.strip():
            try:
                return parse_line(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                continue
    return None


def _after_seen(new: Sequence[Entry], seen: Iterable[Entry]) -> list[Entry]:
    """New entries recorded after every entry they were decided on: an `at` not later than the latest
    seen (this PC's clock behind another's, or the same second) becomes one second after it, so a change
    that builds on another is always merged after it, whatever the ids."""
    latest = max((t for e in seen if (t := instant(e.at)) is not None), default=None)
    if latest is None:
        return list(new)
    out = []
    for entry in new:
        when = instant(entry.at)
        if when is not None and when <= latest:
            bumped = (latest + dt.timedelta(seconds=1)).astimezone(when.tzinfo).replace(microsecond=0)
            entry = replace(entry, at=bumped.isoformat())
        out.append(entry)
    return out


def recorded(entry: Entry) -> tuple[int, str, str]:
    """The key `merge` orders the files' next entries by (the index keeps the greatest it has merged)."""
    return _recorded(entry)


def merge(files: Sequence[tuple[Path, Sequence[Entry]]], copies: list[tuple[Entry, Entry]] | None = None
          ) -> list[Entry]:
    """The entries of several files (each in file order) in recording order, each entry once (a copy, the
    same id with the same content, is skipped; `copies` collects (copy, the original)); `lineno` set to
    the place in that order, `origin`/`origin_line` to where each one is (see the module doc)."""

    instants: dict[str, tuple[int, str]] = {}  # many entries share an `at` (one command, one second)

    def tagged(path: str, entries: Sequence[Entry]) -> Iterator[tuple[tuple[int, str, str], str, Entry]]:
        for entry in entries:
            when = instants.get(entry.at)
            if when is None:
                when = instants[entry.at] = at_key(entry.at)
            yield (*when, entry.id), path, entry

    out: list[Entry] = []
    seen = Seen()
    for _, path, entry in heapq.merge(*(tagged(str(p), es) for p, es in files), key=lambda item: item[0]):
        entry = placed(entry, len(out) + 1, path)
        original = seen.copy_of(entry)
        if original is None:
            out.append(entry)
        elif copies is not None:
            copies.append((entry, original))
    return out


def placed(entry: Entry, lineno: int, origin: str) -> Entry:
    """The entry at its place in the merged order: line `lineno` of the merged journal, from `origin`
    (its own line number kept as origin_line)."""
    return replace(entry, lineno=lineno, origin=origin, origin_line=entry.lineno)


def _in_progress(read: FileRead, warning: JournalWarning) -> bool:
    """A warning about a last line without its newline: another PC is appending it right now."""
    return not read.data.endswith(b"\n") and warning.lineno == read.data.count(b"\n") + 1


def read_merged(directory: Path, *, strict: bool = False) -> tuple[list[Entry], list[JournalWarning]]:
    """Every file read and merged; the warnings of every file (`strict`: also a last line still being
    written)."""
    reads = read_files(directory)
    return merge([(r.path, r.entries) for r in reads]), read_warnings(reads, strict=strict)


def read_warnings(reads: Sequence[FileRead], *, strict: bool = False) -> list[JournalWarning]:
    """The warnings of every file in order (`strict`: also a last line still being written)."""
    return [w for r in reads for w in r.warnings if strict or not _in_progress(r, w)]


# --------------------------------------------------------------------------- writing


def transact(directory: Path, decide: Callable[[list[Entry]], Sequence[Entry]], *,
             tasks: Iterable[int] | None = None) -> list[Entry]:
    """journal.transact for a journal directory: under the lock of the caller's own file, read and merge
    every file (only entries of `tasks`, when given), decide, append to the caller's own file."""
    from filelock import FileLock, Timeout

    from gwgk_cli.journal import (
        _append,
        _looks_like_journal,
        check_encoding_at_ends,
        check_lock_path,
        check_writable,
    )

    own = writer_file(directory)
    try:
        lock = local_lock_for(own)
        check_lock_path(lock, lock)
    except (OSError, JournalError) as exc:  # the lock lives in the cache directory, not on the share: name that
        from gwgk_cli.paths import long_path_advice, os_reason, user_cache_dir

        why = os_reason(exc, user_cache_dir()) if isinstance(exc, OSError) else long_path_advice(user_cache_dir())
        raise JournalError(f"{user_cache_dir()}: 无法在缓存目录中建立写入锁：{why}；未写入"
                           "（可用环境变量 GWGK_CACHE_DIR 改用其他目录）") from None
    try:
        with FileLock(str(lock), timeout=30):
            reads = read_files(directory, tasks)
            for r in reads:  # a file saved again as GBK: refused, as reading it is
                check_encoding_at_ends(r.data, str(r.path))
            mine = next((r for r in reads if r.path == own), None)
            entries = merge([(r.path, r.entries) for r in reads])
            own_data = mine.data if mine is not None else b""
            if not _looks_like_journal(own_data, mine.entries if mine is not None else []):
                raise JournalError(f"{own}: 不是进展记录（没有一行有效的记录），未写入；请检查该文件")
            tails = [e for r in reads if (e := _last_entry(r.data)) is not None]  # the other tasks' latest
            new = _after_seen(decide(entries), [*entries, *tails])
            for entry in new:
                check_writable(entry)
            if new:
                _append(own, new, own_data)
                from gwgk_cli.journal_lost import keep_own

                keep_own(directory, own, new)
            return new
    except Timeout:
        raise JournalError(f"{own}: 等待写入锁超时（本机另一个 gwgk 正在写入？）") from None
    except OSError as exc:
        from gwgk_cli.paths import os_reason

        raise JournalError(f"{own}: 无法写入进展记录：{os_reason(exc, own)}") from None


# --------------------------------------------------------------------------- contradictions


class Contradiction(NamedTuple):
    """Two status changes of one task made from the same status, neither knowing the other; the one
    later in replay order (date, then recording order) is in force."""

    overridden: Entry
    winner: Entry


def contradictions(entries: Iterable[Entry], as_of: dt.date | None = None) -> list[Contradiction]:
    """Status changes in force that contradict the change before them in replay order, recorded before
    them too: both from the same status, to different ones (two PCs, or two branches merged with
    merge=union, neither seeing the other). A backdated change recorded after the change that overrides
    it is journal.audit's case, not this one."""
    last: dict[int, Entry] = {}
    out: list[Contradiction] = []
    for entry in chronological(in_force(entries, as_of)):
        if entry.op != "status" or entry.to_status is None:
            continue
        before = last.get(entry.task)
        if (before is not None and entry.from_status is not None and entry.from_status is before.from_status
                and entry.to_status is not before.to_status and entry.from_status is not before.to_status
                and entry.lineno > before.lineno):  # recorded later too (else: a backdated change, see audit)
            out.append(Contradiction(before, entry))
        last[entry.task] = entry
    return out


def contradiction_marks(entries: Iterable[Entry], as_of: dt.date | None = None) -> dict[str, str]:
    """What `gwgk log` adds to the note of each entry in a contradiction, by entry id."""
    marks: dict[str, str] = {}
    for c in contradictions(entries, as_of):
        marks[c.overridden.id] = f"（与记录 {c.winner.id} 矛盾，被其覆盖）"
        marks[c.winner.id] = f"（与记录 {c.overridden.id} 矛盾，以此为准）"
    return marks


def _who(entry: Entry) -> str:
    where = f"，{Path(entry.origin).name}" if entry.origin else ""
    return f"{entry.by or '未署名'}（{entry.date}{where}）"


def contradiction_line(c: Contradiction, path: str) -> str:
    from gwgk_cli.journal_entry import warning_at

    a, b = c.overridden, c.winner
    assert a.to_status is not None and b.to_status is not None and b.from_status is not None
    message = (f"任务 {b.task} 的状态变更相互矛盾：{_who(a)}记为“{a.to_status.label}”（记录 {a.id}），"
               f"{_who(b)}记为“{b.to_status.label}”（记录 {b.id}），都从“{b.from_status.label}”改起、互不知情；"
               f"按规则以登记在后的“{b.to_status.label}”为准。如不对：gwgk undo {b.id}")
    return str(warning_at(path, b, message))


# --------------------------------------------------------------------------- doctor


def doctor_lines(journal: Path, today: dt.date) -> list[str]:
    """What `gwgk doctor` adds about a team journal: lines repeating an earlier entry (counted once) and
    contradicting status changes (also in a single file merged by git), and for a directory: lines still
    being written or cut off and conflict copies (merged, each entry once). Entry ids repeated with
    different contents are journal.audit's."""
    from gwgk_cli.journal import parse_entries, read_journal_bytes
    from gwgk_cli.journal_lost import lost_lines, shared_name_lines

    copies: list[tuple[Entry, Entry]] = []
    directory = directory_for(journal)
    if directory is None:
        read = parse_entries(read_journal_bytes(journal), str(journal))[0]
        entries = unique(read, copies)
        lines = [copy_line(str(journal), c, o) for c, o in copies] + lost_lines(journal, None, read)
        return lines + [contradiction_line(c, str(journal)) for c in contradictions(entries, today)]
    reads = read_files(directory)
    lines = [str(w) for r in reads for w in r.warnings if _in_progress(r, w)]
    merged = merge([(r.path, r.entries) for r in reads], copies)
    in_copies = {str(c.path) for c, _ in conflict_copies(reads)}  # reported file by file: _copy_lines
    lines += _copy_lines(reads)
    lines += [copy_line(str(directory), c, o) for c, o in copies if c.origin not in in_copies and o.origin not in in_copies
              and not _restored(c) and not _restored(o)]  # gwgk journal recover's files may repeat an entry
    lines += [contradiction_line(c, str(directory)) for c in contradictions(merged, today)]
    own = writer_file(directory)
    lines += shared_name_lines(directory, [e for r in reads if r.path == own for e in r.entries])
    return lines + lost_lines(journal, directory, [e for r in reads for e in r.entries])


def _restored(entry: Entry) -> bool:
    """Read from a file `gwgk journal recover` wrote (恢复-….jsonl): two PCs may both write an entry back, or its
    own file may come back after; the copies count once and are no problem to mend by hand."""
    from gwgk_cli.journal_lost import RESTORED

    return Path(entry.origin).name.startswith(RESTORED)


def copy_line(path: str, copy: Entry, original: Entry) -> str:
    return str(warning_at(path, copy, f"记录编号 {copy.id} 与{line_ref(original)}完全相同（同一记录的副本），只计一次；"
                                      "核对后可删去此行"))
