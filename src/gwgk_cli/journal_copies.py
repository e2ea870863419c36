"""A journal directory's sync-client conflict copies: what their names look like, and which file is one
(by name and content: conflict_original). Split from journal_dir.py, which uses it and re-exports its names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gwgk_cli.journal_entry import Entry, Seen

if TYPE_CHECKING:
    from gwgk_cli.journal_dir import FileRead

JSONL = ".jsonl"

# --------------------------------------------------------------------------- conflict copies

# What sync clients name the copy they make when one file changed on two PCs at once ("name" is the
# file's name without .jsonl): Dropbox "name (李明's conflicted copy 2021-11-22).jsonl", Nextcloud and
# ownCloud "name (conflicted copy 2021-11-22 093000).jsonl", old ownCloud "name_conflict-20211122-093000",
# Seafile "name (SFConflict li@x.cn 2021-11-22-09-30-00)", Syncthing "name.sync-conflict-20211122-093000-ABC1234",
# 坚果云 / 360 / 企业微信微盘 "name(冲突副本 …)" or "name-冲突副本…", WPS 云盘 "name-副本", Windows
# "name - 副本" / "name - Copy", Google Drive and Baidu "name (1)", and a marker after the extension
# ("name.jsonl.conflict…", "name.jsonl (1)"). OneDrive's "name-COMPUTERNAME" cannot be told from a
# writer by its name; it is reported only when it repeats entries of "name" (conflict_copies).
_COPY_STEMS = [
    r"(?P<base>.+?)\s*[(（]\s*\d{1,3}\s*[)）]",
    r"(?i)(?P<base>.+?)\s*[(（][^()（）]*(?:conflict|冲突|sfconflict)[^()（）]*[)）]",
    r"(?i)(?P<base>.+?)\.sync-conflict-\d{8}-\d{6}(?:-[0-9A-Z]+)?",
    r"(?i)(?P<base>.+?)_conflict-\d{8}-\d{6}",
    r"(?i)(?P<base>.+?)\s*[-_ ]\s*(?:冲突副本|冲突|副本|copy)(?:\s*[(（]?\s*\d{0,3}\s*[)）]?)?(?:[-_ ].*)?",
]
_COPY_AFTER_EXT = r"(?i)(?P<base>.+?)\.jsonl[ ._~-]*(?:[(（]\s*\d{1,3}\s*[)）]|.*(?:conflict|冲突|副本|copy).*)"


def conflict_base(name: str) -> str | None:
    """The writer file a sync client's conflict copy would be a copy of, by name alone (a copy of a copy,
    "name - Copy (2)": the original), else None. Whether it is one is conflict_original's to say."""
    base = _base_once(name)
    return None if base is None else conflict_base(base) or base


def _base_once(name: str) -> str | None:
    """The name one sync client's copy marker less ("X (2) (1).jsonl" -> "X (2).jsonl"), else None."""
    match = re.fullmatch(_COPY_AFTER_EXT, name)
    if match:
        return match["base"] + JSONL
    if not name.lower().endswith(JSONL):
        return None
    stem = name[: -len(JSONL)]
    for pattern in _COPY_STEMS:
        match = re.fullmatch(pattern, stem)
        if match:
            return match["base"].rstrip(" ") + JSONL
    return None


def conflict_original(name: str, first: Mapping[str, Entry | None]) -> str | None:
    """The file (a name among `first`'s keys: the directory's files, each with its first entry) that the
    file `name` is a sync client's conflict copy of, else None: it is a writer's own file.

    A name alone cannot tell: a PC whose host name is "PC (2)" writes "李明@PC (2).jsonl", just as a sync
    client names its copy of "李明@PC.jsonl". So the content decides where it can: a conflict copy is
    another version of its original, an append-only file, so it begins with the original's first entry
    (the same id and content; journal_entry.Seen). A file named like a copy is a copy of the nearest file
    its name derives from ("X (2) (1)": "X (2)", then "X") that is there and that it begins as; when one
    of the two has no entry yet, the name decides; when none is there, or it begins otherwise, it is a
    writer's own file (read in full either way: only how doctor and info name it, and where it is listed,
    depend on this)."""
    base = _base_once(name)
    while base is not None:
        if base in first:
            mine, theirs = first[name], first[base]
            if mine is None or theirs is None:
                return base
            seen = Seen()
            seen.copy_of(theirs)
            if seen.copy_of(mine) is not None:
                return base
        base = _base_once(base)
    return None


def conflict_copies(reads: Sequence[FileRead]) -> list[tuple[FileRead, FileRead | None]]:
    """(copy, the file it copies): named as a sync client names a conflict copy of a file there and beginning
    as it does (conflict_original), or OneDrive's "name-PC" repeating entries of "name"."""
    by_name = {r.path.name: r for r in reads}
    first = {r.path.name: r.entries[0] if r.entries else None for r in reads}
    originals = {r.path.name: conflict_original(r.path.name, first) for r in reads}
    out: list[tuple[FileRead, FileRead | None]] = []
    for r in reads:
        base = originals[r.path.name]
        if base is not None:
            out.append((r, by_name.get(base)))
            continue
        stem = r.path.name[: -len(JSONL)]
        for other in reads:
            other_stem = other.path.name[: -len(JSONL)]
            if other is not r and stem.startswith(other_stem + "-") and originals[other.path.name] is None \
                    and {e.id for e in r.entries} & {e.id for e in other.entries}:
                out.append((r, other))
                break
    return out


def _copy_lines(reads: Sequence[FileRead]) -> list[str]:
    lines = []
    for copy, base in conflict_copies(reads):
        seen = Seen()
        for e in base.entries if base is not None else ():
            seen.copy_of(e)
        extra = sum(1 for e in copy.entries if seen.copy_of(e) is None)  # the same id, other content: extra too
        what = f"{base.path.name} 的冲突副本" if base is not None else "冲突副本（原文件已不在）"
        if extra:
            tail = f"其中 {extra} 条不在原文件中，已一并读取，请勿删除"
        else:
            tail = "其记录原文件都有，核对后可删除"
        lines.append(f"{copy.path}: 同步软件生成的{what}（{len(copy.entries)} 条记录，已合并读取、不重复计）；{tail}")
    return lines


# --------------------------------------------------------------------------- beside a single journal file


def copies_beside(journal: Path, entries: Sequence[Entry]) -> tuple[list[str], list[str]]:
    """A single journal file's sync-client conflict copies in its folder (`tasks_2021.progress (1).jsonl`,
    OneDrive's `tasks_2021.progress-PC-XCK.jsonl`): gwgk reads only the journal, so a copy holding entries
    the journal lacks is a problem for doctor (those changes are in no view), one holding none a hint.
    Returns (problems, hints), one line each. A journal directory's copies are journal_dir's (read merged)."""
    from gwgk_cli.errors import JournalError
    from gwgk_cli.journal import read_entries

    try:
        names = sorted(p.name for p in journal.parent.iterdir())
    except OSError:
        return [], []
    stem = journal.name[: -len(JSONL)] if journal.name.endswith(JSONL) else journal.name
    have = {e.id for e in entries}
    problems: list[str] = []
    hints: list[str] = []
    for name in names:
        if name == journal.name or not (conflict_base(name) == journal.name
                                        or (name.startswith(stem + "-") and name.endswith(JSONL))):
            continue
        path = journal.parent / name
        try:
            if not path.is_file():
                continue
            theirs, _, _ = read_entries(path)
        except (JournalError, OSError):
            continue
        missing = [e for e in theirs if e.id not in have]
        if not theirs:
            continue
        if not missing:
            hints.append(f"提示：{path}: 是进展记录 {journal.name} 的同步冲突副本，其中的记录进展记录里都有，可以删除")
            continue
        first = missing[0]
        problems.append(
            f"{path}: 是进展记录 {journal.name} 的同步冲突副本，其中 {len(missing)} 条记录不在进展记录中"
            f"（例如任务 {first.task}，{first.by} {first.date}），gwgk 不读取副本，这些变更在各视图中都看不到；"
            "请核对后把这些行复制到进展记录末尾，再删除副本（多台电脑共用时可用 gwgk journal split 改为每台电脑一个文件）")
    return problems, hints
