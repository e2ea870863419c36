"""Journal lines that went missing: kept on this PC, named by `gwgk doctor`.

The journal is append-only, so an entry that was there and is no longer in any file was lost: a sync client
put back an older copy of a file, a file vanished (for good or for a while), someone edited a line by hand.
The index sees it happen (it re-reads a file that changed other than by appending, or that is gone). The
lines it had read are saved, before they leave the index, in the cache directory:
`recovered/<fingerprint of the journal's path>/丢失的记录-<file>-<time>.jsonl`, each line exactly as indexed
(the same id and content: an entry read twice counts once). `gwgk doctor` lists every such file that still
holds entries the journal lacks; `gwgk journal recover` lists them and, once confirmed, writes them back
(`restore`): into a journal directory as a file of its own (read like any PC's file), to a single journal
file appended under its lock. A file whose entries are all back (the file reappeared, or was restored) is
not named.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from gwgk_cli.errors import GwgkError, JournalError

if TYPE_CHECKING:
    from gwgk_cli.journal_entry import Entry

PREFIX = "丢失的记录-"
OWN = "本机登记的记录-"
RESTORED = "恢复-"  # a file of a journal directory that `gwgk journal recover` wrote


def recovery_folder(journal: Path) -> Path:
    """Where lines lost from this journal are kept: one folder for both of its forms, the single file
    (tasks_2021.progress.jsonl) and the directory (tasks_2021.progress/), so that lines saved before a
    `journal split` or `join` are still found after it."""
    from gwgk_cli.paths import user_cache_dir

    path = journal.resolve()
    if path.suffix.lower() == ".jsonl":
        path = path.with_suffix("")
    return user_cache_dir() / "recovered" / _digest(path)


def _folders(journal: Path) -> list[Path]:
    """The folder of `recovery_folder`, and the one a single journal file's lines were kept in before it was
    shared by both forms (named after the file's own path)."""
    from gwgk_cli.paths import user_cache_dir

    folder = recovery_folder(journal)
    path = journal.resolve()
    older = path if path.suffix.lower() == ".jsonl" else path.with_name(path.name + ".jsonl")
    return [folder, user_cache_dir() / "recovered" / _digest(older)]


def _digest(path: Path) -> str:
    from gwgk_cli.index import digest

    return digest(str(path).encode("utf-8", "surrogatepass"))


def _private_folder(folder: Path) -> None:
    """Make the folder (and `recovered` above it) as private as the index: 0700 off Windows, whatever the umask."""
    for path in (folder.parent, folder):
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name != "nt":
            os.chmod(path, 0o700)


def _private(path: Path) -> None:
    if os.name != "nt":
        os.chmod(path, 0o600)


def save_lost(lost: Iterable[tuple[str, str]], *, directory: bool) -> None:
    """Save these (file, line) pairs, lines no file of the journal holds any more, one recovery file per journal
    file they came from. Best effort: a cache that cannot be written loses nothing that the files still have."""
    from gwgk_cli.safe_write import write_new

    by_file: dict[str, list[str]] = {}
    for path, line in lost:
        by_file.setdefault(path, []).append(line)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for path, lines in by_file.items():
        origin = Path(path)
        folder = recovery_folder(origin.parent if directory else origin)
        name = f"{PREFIX}{origin.stem}-{stamp}"
        try:
            _private_folder(folder)
            n = 1
            target = folder / f"{name}.jsonl"
            while target.exists():
                n += 1
                target = folder / f"{name}-{n}.jsonl"
            write_new(target, "".join(line + "\n" for line in lines).encode("utf-8"))
            _private(target)
        except OSError:
            continue


def keep_own(journal: Path, own: Path, entries: Sequence[Entry]) -> None:
    """After this PC appended `entries` to `own` (the journal file, or its own file of a journal directory):
    the same lines appended to its copy in the cache, so that what this PC recorded survives an older copy
    of the file put back by a sync client even when no read indexed it. Best effort."""
    try:
        folder = recovery_folder(journal)
        _private_folder(folder)
        fd = os.open(folder / f"{OWN}{own.stem}.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT
                     | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "ab") as fh:
            fh.write("".join(e.to_json() + "\n" for e in entries).encode("utf-8"))
    except OSError:
        pass


class Lost(NamedTuple):
    """Lines of one journal file that this PC saved and no file of the journal holds now."""

    origin: str  # the journal file they were in (its name without .jsonl)
    lines: list[tuple[str, str]]  # (entry id, the line as indexed), in the order first met
    how: set[str]  # 登记 (this PC wrote them) and/or 读到 (this PC had read them)


def _missing(folders: Sequence[Path], entries: Sequence[Entry]) -> list[Lost]:
    """The saved lines in `folders` (lost ones, and this PC's own) whose entry no file of the journal has now
    (`entries`: every entry read, copies too), by the file they came from."""
    import re

    from gwgk_cli.journal import parse_entries, read_journal_bytes

    files: list[Path] = []
    for folder in folders:
        try:
            files += sorted(p for p in folder.iterdir() if p.name.startswith((PREFIX, OWN)) and p.suffix == ".jsonl")
        except OSError:
            continue
    have = {(e.id, e.to_json()) for e in entries}
    missing: dict[str, dict[tuple[str, str], None]] = {}  # origin -> the lines, in the order first met
    how: dict[str, set[str]] = {}
    for path in files:
        try:
            saved, _ = parse_entries(read_journal_bytes(path), str(path))
        except (OSError, GwgkError):  # a damaged saved file is no journal problem
            continue
        own = path.name.startswith(OWN)
        origin = path.stem[len(OWN):] if own else re.sub(r"-\d{8}-\d{6}(-\d+)?$", "", path.stem[len(PREFIX):])
        for e in saved:
            key = (e.id, e.to_json())
            if key not in have:
                missing.setdefault(origin, {})[key] = None
                how.setdefault(origin, set()).add("登记" if own else "读到")
    return [Lost(origin, list(lines), how[origin]) for origin, lines in missing.items()]


def _data(lost: Lost) -> bytes:
    return "".join(line + "\n" for _, line in lost.lines).encode("utf-8")


def lost_lines(journal: Path, directory: Path | None, entries: Sequence[Entry]) -> list[str]:
    """`gwgk doctor`: for each file of this journal whose saved lines (lost ones, and this PC's own) hold
    entries no file of the journal has now (`entries`: every entry read, copies too), one line saying so and
    what to do: `gwgk journal recover`. An entry whose id the journal still holds, with other content (a line
    edited by hand), is named apart: nothing is recovered for it. The missing lines, and only they, are
    also written to `待恢复-<file>-<fingerprint>.jsonl` beside the saved files (the cache, never the journal)."""
    from gwgk_cli.index import digest

    folders = _folders(directory if directory is not None else journal)
    folder = folders[0]
    present = {e.id for e in entries}
    out = []
    for lost in _missing(folders, entries):
        where = f"{directory}{os.sep}{lost.origin}.jsonl" if directory is not None else str(journal)
        gone = [(id_, line) for id_, line in lost.lines if id_ not in present]
        edited = list(dict.fromkeys(id_ for id_, _ in lost.lines if id_ in present))
        if edited:
            out.append(f"{where}: 记录 {shown_ids(edited)} 在进展记录中的内容与本机保存的不同（被手工改过？），"
                       f"请用 gwgk log 核对；如改动无误，可不理会（删去 {folder} 中的保存文件后不再提示）")
        if not gone:
            continue
        data = _data(Lost(lost.origin, gone, lost.how))
        target = folder / f"待恢复-{lost.origin}-{digest(data)}.jsonl"
        try:
            if not target.exists():
                from gwgk_cli.safe_write import write_new

                _private_folder(folder)
                write_new(target, data)
                _private(target)
        except OSError:
            continue
        what = "或".join(w for w in ("登记", "读到") if w in lost.how)
        out.append(f"{where}: 本机{what}的 {len(gone)} 条记录（{shown_ids([i for i, _ in gone])}）已不在进展记录中"
                   f"（该文件被同步软件换成了旧副本、一度消失或被手工改过？），缺少的原行已保存为 {target}；"
                   f"核对后运行 gwgk journal recover 即可恢复（先列出，确认后写回）；如是有意删除，可不理会"
                   f"（删去 {folder} 中的保存文件后不再提示）")
    return out


def shown_ids(ids: Sequence[str]) -> str:
    """At most five entry ids, then 等: how doctor and recover name a list of entries."""
    return "、".join(ids[:5]) + (" 等" if len(ids) > 5 else "")


def _journal_entries(journal: Path, directory: Path | None) -> list[Entry]:
    """Every entry the journal's files hold now, copies too (as doctor reads them)."""
    from gwgk_cli.journal import parse_entries, read_journal_bytes

    if directory is None:
        return parse_entries(read_journal_bytes(journal), str(journal))[0] if journal.exists() else []
    from gwgk_cli.journal_dir import read_files

    return [e for r in read_files(directory) for e in r.entries]


class Recoverable(NamedTuple):
    """What `gwgk journal recover` can write back, by the file it came from, and the ids it leaves alone."""

    lost: list[tuple[str, list[Entry]]]  # (origin, the entries, the lines exactly as they were)
    changed: list[str]  # ids the journal holds with other content (edited by hand?): not written back


def lost_entries(journal: Path) -> Recoverable:
    """`gwgk journal recover`: what this PC saved that the journal lacks now, by the file it came from. An
    entry whose id the journal holds with other content is not written back (two contents of one id would
    be a problem of its own): it is named."""
    from gwgk_cli.journal import parse_line
    from gwgk_cli.journal_dir import directory_for

    directory = directory_for(journal)
    now = _journal_entries(journal, directory)
    present = {e.id for e in now}
    lost: list[tuple[str, list[Entry]]] = []
    changed: list[str] = []
    for item in _missing(_folders(directory if directory is not None else journal), now):
        entries = [parse_line(line) for id_, line in item.lines if id_ not in present]
        changed += [id_ for id_, _ in item.lines if id_ in present and id_ not in changed]
        if entries:
            lost.append((item.origin, entries))
    return Recoverable(lost, changed)


def out_of_order(now: Sequence[Entry], back: Sequence[Entry]) -> list[tuple[Entry, Entry]]:
    """(an entry to write back, an entry of the journal) pairs of one task and one date where the journal's was
    recorded later: a single journal replays a day's entries in file order, so the one written back at the end
    would come after it, the reverse of what happened (an older percent over a newer one)."""
    from gwgk_cli.journal_entry import instant

    out = []
    for entry in back:
        when = instant(entry.at)
        later = [e for e in now if e.task == entry.task and e.date == entry.date and when is not None
                 and (t := instant(e.at)) is not None and t > when]
        if later:
            out.append((entry, later[0]))
    return out


def restore(journal: Path) -> list[tuple[Path, int]]:
    """Write back what `lost_entries` finds (looked for again, at the moment of writing): into a journal
    directory as a new file per origin, `恢复-<file>-<fingerprint>.jsonl`, read like any PC's file (merged by
    recording time; an entry that comes back twice counts once); to a single journal file appended under its
    lock, the entries still missing then — refused when one would be replayed after a later-recorded entry
    of its task and date (out_of_order): a journal directory, merged by recording time, takes them in their
    place. The lines are written exactly as they were: the same ids, the same content. Returns (where, how
    many) per write."""
    from gwgk_cli.index import digest
    from gwgk_cli.journal_dir import directory_for
    from gwgk_cli.safe_write import write_new

    directory = directory_for(journal)
    if directory is None:
        from gwgk_cli.journal import transact

        wanted = [e for _, entries in lost_entries(journal).lost for e in entries]

        def decide(now: list[Entry]) -> list[Entry]:
            present = {e.id for e in now}
            out: list[Entry] = []
            for e in wanted:
                if e.id not in present:
                    out.append(e)
                    present.add(e.id)
            clash = out_of_order(now, out)
            if clash:
                back, later = clash[0]
                raise JournalError(
                    f"记录 {back.id}（任务 {back.task}，{back.date}）登记在同日的记录 {later.id} 之前，追加到 {journal} "
                    "末尾会排在它之后、改变任务的状态或进度，未写回；请先运行 gwgk journal split（进展记录改为目录，"
                    "按登记时间合并），再运行 gwgk journal recover")
            return out

        written = transact(journal, decide)
        return [(journal, len(written))] if written else []
    done = []
    for origin, entries in lost_entries(journal).lost:
        data = "".join(e.to_json() + "\n" for e in entries).encode("utf-8")
        target = directory / f"{RESTORED}{origin}-{digest(data)}.jsonl"
        try:
            write_new(target, data)
        except FileExistsError:  # the same lines written back already (then the entries are not missing)
            continue
        except OSError as exc:
            from gwgk_cli.paths import os_reason

            raise JournalError(f"{target}: 无法写入：{os_reason(exc, target)}；已写回的文件保留") from None
        done.append((target, len(entries)))
    return done


def shared_name_lines(directory: Path, own_entries: Sequence[Entry]) -> list[str]:
    """`gwgk doctor`: entries in this PC's own file of a journal directory that this PC did not write (not in its
    copy of what it wrote, recorded since that copy began): another PC has the same user and computer name, and
    the two write one file, which a sync client cannot keep whole."""
    from gwgk_cli.journal import parse_entries, read_journal_bytes
    from gwgk_cli.journal_dir import writer_file
    from gwgk_cli.journal_entry import instant

    own = writer_file(directory)
    mirror = recovery_folder(directory) / f"{OWN}{own.stem}.jsonl"
    try:
        mine = parse_entries(read_journal_bytes(mirror), str(mirror))[0] if mirror.is_file() else []
    except (OSError, GwgkError):
        return []
    since = min((t for e in mine if (t := instant(e.at)) is not None), default=None)
    if since is None:
        return []
    written = {e.id for e in mine}
    foreign = [e for e in own_entries if e.id not in written and (t := instant(e.at)) is not None and t >= since]
    if not foreign:
        return []
    user, _, host = own.stem.rpartition("@")
    shown = shown_ids([e.id for e in foreign])
    return [f"{own}: 其中 {len(foreign)} 条记录（{shown}）不是本机写入的：另有一台电脑也以“{user}”的名义、用同一计算机名"
            f"“{host}”登记，两台电脑写同一个文件，同步软件会让它们互相覆盖（记录丢失）或产生冲突副本；"
            f"请在其中一台电脑上把环境变量 GWGK_HOST 设为另一个名字（如 {host}-2），它此后写入自己的文件"]
