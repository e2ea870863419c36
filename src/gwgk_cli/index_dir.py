"""The index of a journal directory (journal_dir: one JSON Lines file per PC), kept up to date file by file.

`update_directory` runs under the index's write lock when some file of the directory changed. In order:

1. **Appends recorded after everything indexed** (`_append`): the new lines go at the end of the merged
   order (while any old entry is left it is the smaller head in journal_dir.merge, so the old order is
   unchanged); only they are parsed and indexed, only their tasks replayed.
2. **Files changed otherwise** (`_reread_changed`: a sync client replaced a file by an older copy, a line
   was completed, a PC back online with lines recorded earlier, a file gone or new): only the changed files
   are read. journal_dir.merge takes, of the files' next entries, the smallest (recorded instant, id); so the
   order it gives the unchanged files' entries among themselves does not depend on the changed files, and
   merging the unchanged files' indexed entries (in their indexed order, keys from their `at`) with the
   changed files gives the whole merge. Sound only when no entry is skipped as a copy (the same id and
   content twice: which copy counts depends on the order) — `meta.repeats` is 0 — and the changed files'
   entries share no id with each other or with the rest. Every entry gets its new place (`seq`), and only
   the tasks whose entries (or their order) changed are replayed.
3. Anything else: every file re-read and re-merged (`_full`).
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwgk_cli.index import digest, is_racy, stamp_of

if TYPE_CHECKING:
    from gwgk_cli.index import Index
    from gwgk_cli.journal_entry import Entry

Key = tuple[int, str, str]
Stamp = tuple[int, int, int]


def update_directory(idx: Index, journals: Sequence[Path], keys: list[str]) -> None:
    """Under the write lock: bring the index up to date with a journal directory's files (see the module)."""
    seen: dict[str, tuple[Stamp | None, bytes]] = {}  # what _append read: _reread_changed reads it no more
    if _append(idx, journals, keys, seen) or _reread_changed(idx, journals, keys, seen):
        return
    _full(idx, journals, keys)


def _known(idx: Index) -> dict[str, tuple[int, Any]]:
    return {path: (file, rest) for file, path, *rest in idx.conn.execute(
        "SELECT file, path, offset, digest, lines, size, mtime_ns, ctime_ns, racy FROM journal_files")}


def _stamp_row(idx: Index, file: int, data: bytes, now: tuple[int, int, int] | None) -> None:
    size, mtime, ctime = now if now is not None else (len(data), -1, -1)
    idx.conn.execute("UPDATE journal_files SET offset=?, digest=?, lines=?, size=?, mtime_ns=?, ctime_ns=?, racy=? "
                     "WHERE file=?", (len(data), digest(data), data.count(b"\n"), size, mtime, ctime,
                                      int(now is None or is_racy(now)), file))


def _full(idx: Index, journals: Sequence[Path], keys: list[str]) -> None:
    """Index the directory's files again, whole, in journal_dir's merged order (entries.seq: the place in it;
    lineno: the line in the entry's own file). An entry seen before in that order, the same id with the same
    content (a conflict copy), is not indexed again."""
    from gwgk_cli.journal_dir import merge, read_paths, read_warnings

    c = idx.conn
    dropped = [(path, id_, line) for path, id_, line in c.execute(
        "SELECT f.path, e.id, e.line FROM entries e JOIN journal_files f ON f.file = e.file")]
    for (file,) in c.execute("SELECT file FROM journal_files").fetchall():
        idx._drop_file(file)
    stamps = [stamp_of(path) for path in journals]  # before reading: a later append is seen next time
    reads = read_paths(journals)
    files: dict[str, int] = {}
    for path, key, now, read in zip(journals, keys, stamps, reads, strict=True):
        if now is None and not read.data:
            continue  # gone meanwhile: nothing of it is indexed
        file = files[str(path)] = idx._new_file(key)
        _stamp_row(idx, file, read.data, now)
    kept = [r for r in reads if str(r.path) in files]
    entries = merge([(r.path, r.entries) for r in kept])
    c.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,NULL,?,?,?)", (
        (files[e.origin], e.origin_line, e.id, e.task, e.date.toordinal(), e.op, e.undoes or None, e.to_json(),
         e.lineno, e.at) for e in entries))
    c.executemany("INSERT INTO problems VALUES (?,?,?)", (
        (files[w.path], w.lineno, w.message) for w in read_warnings(reads) if w.path in files))
    idx._find_unknown(None)
    idx._replay_all()
    c.execute("DELETE FROM meta WHERE key = 'last_key'")
    # Every line read counts, a repeated id too: in journal_dir.merge a file's later line (even one
    # skipped as a repeat) holds back that file's next lines, so the append path's limit must see it.
    _set_last_key(idx, [e for r in kept for e in r.entries])
    idx.keep_lost(dropped, directory=True)
    c.execute("INSERT OR REPLACE INTO meta VALUES ('repeats', ?)",
              (str(sum(len(r.entries) for r in kept) - len(entries)),))


def _set_last_key(idx: Index, entries: Sequence[Entry]) -> None:
    """Remember the greatest merge key indexed (journal_dir: recorded instant, then id)."""
    from gwgk_cli.journal_dir import recorded

    old = idx.conn.execute("SELECT value FROM meta WHERE key = 'last_key'").fetchone()
    found = [recorded(e) for e in entries]
    if old is not None and old[0] != "null":
        found.append(tuple(json.loads(old[0])))
    idx.conn.execute("INSERT OR REPLACE INTO meta VALUES ('last_key', ?)",
                     (json.dumps(list(max(found)) if found else None, ensure_ascii=False),))


def _append(idx: Index, journals: Sequence[Path], keys: list[str], seen: dict[str, tuple[Stamp | None, bytes]]
            ) -> bool:
    """Lines appended to files of the directory (or a new file), every one recorded after everything
    indexed: merged after it, as journal_dir.merge would place them (an old entry is always the smaller
    head then), so only they are indexed and their tasks replayed. False (nothing done): anything else."""
    from gwgk_cli.index import _Chunk
    from gwgk_cli.journal import parse_entries, read_journal_bytes
    from gwgk_cli.journal_dir import FileRead, merge, read_warnings, recorded

    c = idx.conn
    known = _known(idx)
    last = c.execute("SELECT value FROM meta WHERE key = 'last_key'").fetchone()
    if set(known) - set(keys) or last is None:
        return False
    tails: list[tuple[int, FileRead, tuple[int, int, int]]] = []
    updates = []
    for path, key in zip(journals, keys, strict=True):
        old = known.get(key)
        if old is not None and idx._journal_fresh(path, old):
            continue
        now = stamp_of(path)  # before reading: a later append is seen next time
        raw = read_journal_bytes(path)
        seen[key] = (now, raw)
        offset, dig, lines = old[1][:3] if old is not None else (0, "", 0)
        if offset and not (offset <= len(raw) and raw[offset - 1:offset] == b"\n" and digest(raw[:offset]) == dig):
            return False
        if now is None:
            return False
        entries, problems = parse_entries(raw[offset:], str(path), lines + 1)
        tails.append((-1 if old is None else old[0], FileRead(path, raw, entries, problems), now))
        updates.append((key, raw, now))
    new = [e for _, r, _ in tails for e in r.entries]
    limit = json.loads(last[0])
    if limit is not None and any(recorded(e) <= tuple(limit) for e in new):
        return False
    ids = {e.id for e in new}
    if len(ids) < len(new) or c.execute(
            "SELECT 1 FROM entries WHERE id IN (SELECT value FROM json_each(?)) LIMIT 1",
            (json.dumps(sorted(ids)),)).fetchone():
        return False  # an id seen twice (a conflict copy, a copied line): which copy counts is the full merge's call
    files = {str(r.path): (file if file >= 0 else idx._new_file(key))
             for (file, r, _), (key, _, _) in zip(tails, updates, strict=True)}
    for (_key, raw, now), (_, r, _) in zip(updates, tails, strict=True):
        _stamp_row(idx, files[str(r.path)], raw, now)
    top = c.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()[0]
    merged = list(merge([(r.path, r.entries) for _, r, _ in tails]))
    c.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,NULL,?,?,?)", (
        (files[e.origin], e.origin_line, e.id, e.task, e.date.toordinal(), e.op, e.undoes or None, e.to_json(),
         top + n, e.at) for n, e in enumerate(merged, 1)))
    c.executemany("INSERT INTO problems VALUES (?,?,?)", (
        (files[w.path], w.lineno, w.message) for w in read_warnings([r for _, r, _ in tails])))
    c.execute("INSERT INTO unknown SELECT file, lineno, task FROM entries WHERE seq > ? AND task NOT IN "
              "(SELECT id FROM tasks)", (top,))
    idx._replay_touched([_Chunk(0, merged, [])])
    _set_last_key(idx, new)
    return True


def _reread_changed(idx: Index, journals: Sequence[Path], keys: list[str],
                    seen: dict[str, tuple[Stamp | None, bytes]]) -> bool:
    """Re-read only the files that changed, when that is sound (see the module); False (nothing done) when
    it is not."""
    from gwgk_cli.journal import parse_entries, read_journal_bytes
    from gwgk_cli.journal_dir import FileRead, at_key, read_warnings

    c = idx.conn
    repeats = c.execute("SELECT value FROM meta WHERE key = 'repeats'").fetchone()
    if repeats is None or repeats[0] != "0":
        return False
    known = _known(idx)
    wanted = set(keys)
    old_files = [known[k][0] for k in known if k not in wanted]  # gone
    reads: list[tuple[str, FileRead, tuple[int, int, int] | None]] = []
    for path, key in zip(journals, keys, strict=True):
        old = known.get(key)
        if old is not None and idx._journal_fresh(path, old):
            continue
        if old is not None:
            old_files.append(old[0])
        if key in seen:
            now, data = seen[key]
        else:
            now = stamp_of(path)  # before reading: a later append is seen next time
            data = read_journal_bytes(path)
        read = FileRead(path, data, *parse_entries(data, str(path)))
        if now is not None or read.data:
            reads.append((key, read, now))
        else:
            wanted.discard(key)  # gone meanwhile: as a file gone, nothing of it stays indexed
    new = [e for _, r, _ in reads for e in r.entries]
    ids = {e.id for e in new}
    olds = json.dumps(old_files)
    if len(ids) < len(new) or c.execute(
            "SELECT 1 FROM entries WHERE id IN (SELECT value FROM json_each(?)) AND file NOT IN "
            "(SELECT value FROM json_each(?)) LIMIT 1", (json.dumps(sorted(ids)), olds)).fetchone():
        return False  # an id twice: which copy counts is the full merge's call
    before = c.execute("SELECT task, date, seq, line, id, undoes, file FROM entries WHERE file IN "
                       "(SELECT value FROM json_each(?))", (olds,)).fetchall()
    paths = {file: path for path, (file, _) in known.items()}
    dropped = [(paths[row[6]], row[4], row[3]) for row in before]
    rest = c.execute("SELECT file, lineno, seq, task, date, id, at FROM entries "
                     "WHERE file NOT IN (SELECT value FROM json_each(?)) ORDER BY seq", (olds,)).fetchall()
    instants: dict[str, tuple[int, str]] = {}

    def key_of(at: Any, id_: str) -> Key:
        when = instants.get(at)
        if when is None:
            when = instants[at] = at_key(at if isinstance(at, str) else "")
        return (*when, id_)

    def kept() -> Iterator[tuple[Key, int, Any]]:
        for row in rest:
            yield key_of(row[6], row[5]), 0, row

    def changed(n: int, entries: list[Entry]) -> Iterator[tuple[Key, int, Any]]:
        for entry in entries:
            yield key_of(entry.at, entry.id), n, entry

    # The old files' rows go; the files' own rows stay (their numbers too) and are stamped again.
    for file in old_files:
        for name in ("entries", "problems", "unknown"):
            c.execute(f"DELETE FROM {name} WHERE file = ?", (file,))
    for gone in set(known) - wanted:
        c.execute("DELETE FROM journal_files WHERE file = ?", (known[gone][0],))
    files: dict[str, int] = {}
    for name, read, now in reads:
        file = files[str(read.path)] = known[name][0] if name in known else idx._new_file(name)
        _stamp_row(idx, file, read.data, now)
    moved: list[tuple[int, int, int]] = []
    inserted: list[tuple[Any, ...]] = []
    after: dict[int, list[tuple[int, int, tuple[Any, ...]]]] = {}
    touched = {row[0] for row in before} | {e.task for e in new}
    top: Key | None = None
    streams = [kept(), *(changed(n, r.entries) for n, (_, r, _) in enumerate(reads, 1))]
    for seq, (at, n, item) in enumerate(heapq.merge(*streams, key=lambda t: t[0]), 1):
        top = at if top is None or at > top else top
        if n == 0:
            file, lineno, old_seq, task, date, *_ = item
            if old_seq != seq:
                moved.append((seq, file, lineno))
            if task in touched:
                after.setdefault(task, []).append((date, seq, ("kept", file, lineno)))
            continue
        e: Entry = item
        line = e.to_json()
        inserted.append((files[str(reads[n - 1][1].path)], e.lineno, e.id, e.task, e.date.toordinal(),
                         e.op, e.undoes or None, line, seq, e.at))
        after.setdefault(e.task, []).append((e.date.toordinal(), seq, ("new", line)))
    # Rows moved to their new places: seq is not in any key, so the updates cannot collide.
    c.executemany("UPDATE entries SET seq = ? WHERE file = ? AND lineno = ?", moved)
    c.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,NULL,?,?,?)", inserted)
    c.executemany("INSERT INTO problems VALUES (?,?,?)", (
        (files[w.path], w.lineno, w.message) for w in read_warnings([r for _, r, _ in reads]) if w.path in files))
    c.execute("INSERT INTO unknown SELECT file, lineno, task FROM entries WHERE file IN (SELECT value FROM json_each(?)) "
              "AND task NOT IN (SELECT id FROM tasks)", (json.dumps(sorted(files.values())),))
    # Replay the tasks whose entries, or their order, changed: the old files' lines against the new ones.
    was: dict[int, list[tuple[int, int, tuple[Any, ...]]]] = {}
    for task, date, seq, line, *_ in before:
        was.setdefault(task, []).append((date, seq, ("new", line)))
    for row in rest:
        if row[3] in touched:
            was.setdefault(row[3], []).append((row[4], row[2], ("kept", row[0], row[1])))
    replay = sorted(t for t in touched if [x[2] for x in sorted(was.get(t, []))] != [x[2] for x in sorted(after.get(t, []))])
    if replay:
        # undone_on of every entry an undo that came or went names, and of the new entries
        named = {row[0] for row in c.execute("SELECT DISTINCT undoes FROM entries WHERE op = 'undo'")}
        idx._set_undone({e.id for e in new if e.id in named} | {e.undoes for e in new if e.undoes}
                        | {row[5] for row in before if row[5]})
        arg = json.dumps(replay)
        c.execute("DELETE FROM states WHERE task IN (SELECT value FROM json_each(?))", (arg,))
        c.execute("DELETE FROM current WHERE task IN (SELECT value FROM json_each(?))", (arg,))
        idx._replay(replay)
    c.execute("INSERT OR REPLACE INTO meta VALUES ('last_key', ?)",
              (json.dumps(list(top) if top is not None else None, ensure_ascii=False),))
    idx.keep_lost(dropped, directory=True)
    return True
