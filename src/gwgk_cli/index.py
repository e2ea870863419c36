"""The index: one SQLite file per task table in the user cache directory, derived from the table and its
journal file(s) and rebuildable from them at any time. It is never the truth, and nothing in it can run
code (rows of text and numbers; no pickle).

What it holds (schema version SCHEMA_VERSION in `PRAGMA user_version`, `application_id` APPLICATION_ID):

- the plan: `meta` (the table's header as JSON), `tasks`, `task_units` (the unit ↔ task relation, lead
  flagged), `sections`;
- the journal: `entries` (file, line, id, task, date, op, the line itself as JSON; indexed by task and by
  date), `problems` (lines that are not valid entries), `unknown` (entries of tasks the table does not
  have, kept up to date when either file changes), and the replay: `states` (each task's state after
  every entry in force, in the order changes happened, with the day the next one takes over: `until`)
  and `current` (the state after the last one). A task and a state are each one separator-joined text
  (index_db: a read fetches one column, not a dozen);
- the signals `warn` and `check` worked out (`signals`, under the key `meta.signals`: gwgk_cli.flagged), a task's
  row dropped in the transaction that replays it, every row when the plan changes (`_signals_stale`);
- bookkeeping: `table_file` (the table's stamp: size, mtime_ns, ctime_ns; and, when the stamp was taken
  within RACY_SECONDS of the last edit, the content digest to check it against) and `journal_files`, one row
  per journal file (path, byte offset indexed, digest of the indexed prefix, line count, stamp). The journal
  bookkeeping is per file so that a journal directory (one .jsonl per writer) is indexed file by file:
  `Index.refresh_journals` takes the list of files (`merged`: a directory's, read in journal_dir's merged
  recording order; `entries.seq` is an entry's place in it, 0 for a single file).

Freshness. A file whose stamp is unchanged (and, when racy, whose content still has the recorded digest) is
not read. A table that changed is parsed and its rows replaced. A journal that changed is read: when its old
part still has the recorded digest and ends with a whole line, only the lines after the recorded offset are
parsed and indexed, and only the tasks they touch are replayed again (from their indexed entries: an undo or
a back-dated line replays its task from the start); any other change re-indexes the file whole. A journal
directory's appended lines recorded after everything indexed are merged at its end the same way; any other
change to it (a line recorded earlier, a file rewritten or gone) re-reads the changed files, or, when entries
repeat, the whole directory (index_dir). Lines that leave the index and no file holds any more are saved for
`gwgk doctor` (journal_lost). A racy stamp found unchanged once the file is old enough is trusted from then on.

Concurrency. The database is in WAL mode: readers never block the one writer nor each other, and a reader
sees one consistent snapshot for the whole command (a read transaction is held open). Updates are written
in one `BEGIN IMMEDIATE` transaction after checking the files again under it, so two commands that find the
index stale do the work once; `busy_timeout` makes the second wait rather than fail. (WAL needs shared
memory, so the cache directory must be on a local disk; a cache that cannot be used is simply bypassed.)

Safety. The directory is created 0700 and the file 0600 (not on Windows), and an index whose file or
directory belongs to another user is not used. A file at the index path that is not our database — a
pickle, random bytes, a directory, another schema version — is deleted and rebuilt.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gwgk_cli.index_db import (
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    EntryDecoder,
    Unusable,
    connect,
    encode_header,
    encode_state,
    remove_file,
    task_row,
)
from gwgk_cli.index_read import IndexReads
from gwgk_cli.model import Plan
from gwgk_cli.state import TaskState, apply

__all__ = ["SCHEMA_VERSION", "Index", "Unusable", "discard", "digest", "index_path", "is_racy", "stamp_of"]

if TYPE_CHECKING:
    import sqlite3

    from gwgk_cli.journal_entry import Entry, JournalWarning

RACY_SECONDS = 3  # above FAT's 2-second timestamps; NTFS and ext4 are far finer


Stamp = tuple[int, int, int]


def stamp_of(path: Path) -> Stamp | None:
    """(size, mtime_ns, ctime_ns) of a regular file; None when it is missing or not a regular file."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    # On Windows st_ctime is the creation time, which an edit does not change: leave it out there.
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns if os.name != "nt" else 0)


def is_racy(stamp: Stamp) -> bool:
    """Modified so recently (or in the future, by another machine's clock) that a further edit could keep
    the same size and time: the content must be checked against the digest when the stamp is next used."""
    return time.time_ns() - stamp[1] < RACY_SECONDS * 1_000_000_000


def digest(data: bytes) -> str:
    """A cheap 64-bit fingerprint (zlib loads faster than hashlib's OpenSSL; this is no security)."""
    import zlib

    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def index_path(table: Path) -> Path:
    from gwgk_cli.paths import user_cache_dir

    key = digest(str(table.resolve()).encode("utf-8"))
    return user_cache_dir() / f"index-{key}.sqlite3"


# --------------------------------------------------------------------------- the index


def discard(table: Path) -> None:
    """Delete the index of a table (it is damaged); the next run builds it again."""
    try:
        remove_file(index_path(table))
    except Unusable:
        pass





class _Chunk(NamedTuple):
    """Entries parsed from one journal file (or its new tail)."""

    file: int
    entries: list[Entry]
    problems: list[JournalWarning]


class Index(IndexReads):
    """One open index. `refresh_table` and `refresh_journals` bring it up to date with the files; the
    queries (index_read.IndexReads) then answer from one consistent snapshot."""

    def __init__(self, table: Path, conn: sqlite3.Connection) -> None:
        self.table = table
        self.conn = conn
        self._journals: dict[int, Path] = {}  # file number -> the path as the caller named it
        # Racy stamps whose content was found unchanged once the file had grown old enough: the mark is
        # cleared (_settle), so later reads trust the stamp instead of reading and hashing the file again.
        self._settled: list[tuple[str, tuple[Any, ...]]] = []

    @classmethod
    def open(cls, table: Path) -> Index:
        import sqlite3

        try:
            return cls(table, connect(index_path(table)))
        except sqlite3.Error as exc:
            raise Unusable(str(exc)) from None

    def close(self) -> None:
        self.conn.close()

    # ----------------------------------------------------------------- the table

    def _table_fresh(self) -> bool:
        row = self.conn.execute("SELECT size, mtime_ns, ctime_ns, racy, digest FROM table_file").fetchone()
        now = stamp_of(self.table)
        if row is None or now is None or tuple(row[:3]) != now:
            return False
        if row[3]:
            from gwgk_cli.reading import read_regular
            from gwgk_cli.table import MAX_TABLE_BYTES

            try:
                if digest(read_regular(self.table, MAX_TABLE_BYTES)) != row[4]:
                    return False
            except OSError:
                return False
            if not is_racy(now):
                self._settled.append(("UPDATE table_file SET racy = 0 WHERE size = ? AND mtime_ns = ? AND ctime_ns = ? "
                                      "AND digest = ?", (*now, row[4])))
        return True

    def _settle(self) -> None:
        """Clear the racy marks of files found unchanged after they grew old enough (`_settled`). Sound: the
        stamp was taken at least RACY_SECONDS after the file's mtime and before its content was read and
        found to have the recorded digest, so an edit after that stamp gets a later mtime (or inode change
        time) and the stamp alone tells. Each row is updated only while it still holds what was checked; an
        index that cannot be written now (read-only, busy) keeps the marks: they only cost a read."""
        todo, self._settled = self._settled, []
        if not todo:
            return

        def clear() -> None:
            for sql, args in todo:
                self.conn.execute(sql, args)

        self._write_if_free(clear)

    def _write_if_free(self, work: Callable[[], None]) -> None:
        """`work` in a write transaction of its own, for what a read may add to the index and can do without: a writer
        is waited for 200 ms at most, and SQLite's OperationalError (busy, read-only, disk full) is not raised (the
        index keeps what it had). Another error (damage) is raised. The read transaction goes on after it."""
        import sqlite3

        self._end_read()
        try:
            self.conn.execute("PRAGMA busy_timeout = 200")
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                work()
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError:
            pass
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._read()

    def refresh_table(self) -> None:
        """Re-index the plan when the table changed. A table that cannot be read or parsed raises the
        table's own error (nothing is written to the index then)."""
        self._read()
        if self._table_fresh():
            self._settle()
            return
        self._settled = []
        self._end_read()
        now = stamp_of(self.table)
        fresh_digest = None
        if now is not None and is_racy(now):  # taken before parsing: a later edit only costs a parse
            from gwgk_cli.reading import read_regular
            from gwgk_cli.table import MAX_TABLE_BYTES

            try:
                fresh_digest = digest(read_regular(self.table, MAX_TABLE_BYTES))
            except OSError:
                now = None
        from gwgk_cli.table import load_table

        plan = load_table(self.table)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._store_plan(plan, now, fresh_digest)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self._read()

    def _store_plan(self, plan: Plan, now: Stamp | None, fresh_digest: str | None) -> None:
        c = self.conn
        for name in ("table_file", "tasks", "task_units", "sections"):
            c.execute(f"DELETE FROM {name}")
        self._signals_stale(None)  # a deadline, the publication date, a setting may have changed
        c.execute("INSERT OR REPLACE INTO meta VALUES ('header', ?)", (encode_header(plan),))
        c.execute("INSERT OR REPLACE INTO meta VALUES ('ids', ?)", (json.dumps(plan.task_ids()),))
        c.executemany("INSERT INTO tasks VALUES (?,?,?,?,?)",
                      (task_row(pos, t) for pos, t in enumerate(plan.tasks)))
        c.executemany("INSERT OR IGNORE INTO task_units VALUES (?,?,?)",
                      ((u, t.id, int(u in t.leads)) for t in plan.tasks for u in t.units))
        rows: list[tuple[int, int, int | None, str]] = []
        for sec in plan.sections:
            rows.append((len(rows), sec.no, None, sec.title))
            rows += [(len(rows) + i, sec.no, sub.no, sub.title) for i, sub in enumerate(sec.subsections)]
        c.executemany("INSERT INTO sections VALUES (?,?,?,?)", rows)
        self._find_unknown(None)
        if now is not None:  # never stamped: a table that is not a regular file is parsed every time
            c.execute("INSERT INTO table_file VALUES (?,?,?,?,?,?)",
                      (str(self.table), *now, int(fresh_digest is not None), fresh_digest))

    def _find_unknown(self, chunks: list[_Chunk] | None) -> None:
        """Record the entries (all, or those of `chunks`) of tasks the table does not have."""
        if chunks is None:
            self.conn.execute("DELETE FROM unknown")
            self.conn.execute("INSERT INTO unknown SELECT file, lineno, task FROM entries "
                              "WHERE task NOT IN (SELECT id FROM tasks)")
            return
        ids = set(self.task_ids())
        self.conn.executemany("INSERT INTO unknown VALUES (?,?,?)", (
            (chunk.file, e.lineno, e.task) for chunk in chunks for e in chunk.entries if e.task not in ids))

    # ----------------------------------------------------------------- the journal

    def refresh_journals(self, journals: Sequence[Path], *, merged: bool = False) -> None:
        """Bring the journal part up to date with these files (a JournalError when one cannot be read).
        `merged`: the files are a journal directory's (journal_dir), read as one journal in recording
        order, each entry id once: appends recorded after everything indexed are added at the end, any
        other change indexes the directory whole again."""
        self._read()
        known = {path: (file, rest) for file, path, *rest in self.conn.execute(
            "SELECT file, path, offset, digest, lines, size, mtime_ns, ctime_ns, racy FROM journal_files")}
        keys = [str(p.resolve()) for p in journals]
        stale = set(known) - set(keys) or any(not self._journal_fresh(p, known.get(k)) for p, k in zip(
            journals, keys, strict=True))
        if stale:
            self._settled = []  # the update below checks every file again (and may clear the marks itself)
            self._end_read()
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if merged:
                    from gwgk_cli.index_dir import update_directory

                    update_directory(self, journals, keys)
                else:
                    self._update_journals(journals, keys)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self._read()
        self._settle()
        self._journals = {}
        for path, key in zip(journals, keys, strict=True):
            row = self.conn.execute("SELECT file FROM journal_files WHERE path = ?", (key,)).fetchone()
            if row is not None:
                self._journals[row[0]] = path

    def _journal_fresh(self, path: Path, known: tuple[int, Any] | None) -> bool:
        now = stamp_of(path)
        if known is None:
            # A missing journal is empty: nothing to index. Not so a symlink to nothing, nor one there but too
            # long a path for Windows: read_journal_bytes refuses them, as the files' own reading does.
            from gwgk_cli.paths import beyond_max_path

            return now is None and not path.exists() and not path.is_symlink() and not beyond_max_path(path)
        _, (offset, dig, _lines, *old, racy) = known
        if now is None or tuple(old) != now:
            return False
        if racy:
            from gwgk_cli.journal import read_journal_bytes

            raw = read_journal_bytes(path)
            if not (len(raw) == offset and digest(raw) == dig):
                return False
            if not is_racy(now):
                self._settled.append(("UPDATE journal_files SET racy = 0 WHERE file = ? AND offset = ? AND digest = ? "
                                      "AND size = ? AND mtime_ns = ? AND ctime_ns = ?", (known[0], offset, dig, *now)))
        return True

    def _update_journals(self, journals: Sequence[Path], keys: list[str]) -> None:
        """Under the write lock: check every file again and index what changed."""
        from gwgk_cli.journal import parse_entries, read_journal_bytes
        from gwgk_cli.journal_entry import unique

        c = self.conn
        known = {path: (file, rest) for file, path, *rest in c.execute(
            "SELECT file, path, offset, digest, lines, size, mtime_ns, ctime_ns, racy FROM journal_files")}
        chunks: list[_Chunk] = []
        full = False
        dropped: list[tuple[str, str, str]] = []
        for gone in set(known) - set(keys):
            dropped += self._rows_of(known[gone][0], gone)
            self._drop_file(known[gone][0])
            full = True
        for path, key in zip(journals, keys, strict=True):
            if self._journal_fresh(path, known.get(key)):
                continue
            now = stamp_of(path)  # before reading: a later append is seen next time
            raw = read_journal_bytes(path)
            old = known.get(key)
            if now is None and not raw:  # gone (a missing journal is empty): nothing of it stays indexed
                if old is not None:
                    dropped += self._rows_of(old[0], key)
                    self._drop_file(old[0])
                    full = True
                continue
            if old is not None:
                file, (offset, dig, lines, *_rest) = old
                if 0 < offset <= len(raw) and raw[offset - 1:offset] == b"\n" and digest(raw[:offset]) == dig:
                    entries, problems = parse_entries(raw[offset:], str(path), lines + 1)
                    chunks.append(_Chunk(file, self._not_copies(file, unique(entries)), problems))
                else:
                    dropped += self._rows_of(file, key)
                    self._drop_file(file)
                    full = True
                    file = self._new_file(key)
                    entries, problems = parse_entries(raw, str(path))
                    chunks.append(_Chunk(file, unique(entries), problems))
            else:
                file = self._new_file(key)
                entries, problems = parse_entries(raw, str(path))
                chunks.append(_Chunk(file, unique(entries), problems))
            size, mtime, ctime = now if now is not None else (len(raw), -1, -1)
            c.execute("UPDATE journal_files SET offset=?, digest=?, lines=?, size=?, mtime_ns=?, ctime_ns=?, racy=? "
                      "WHERE file=?", (len(raw), digest(raw), raw.count(b"\n"), size, mtime, ctime,
                                        int(now is None or is_racy(now)), file))
        self._insert(chunks)
        self._find_unknown(chunks)
        self.keep_lost(dropped, directory=False)
        if full:
            self._replay_all()
        else:
            self._replay_touched(chunks)

    def _not_copies(self, file: int, entries: list[Entry]) -> list[Entry]:
        """Appended entries less those that repeat one the file's indexed part holds, the same id with the
        same content (journal_entry.unique: a copy counts once, where it comes first)."""
        found = self.conn.execute("SELECT id, line FROM entries WHERE file = ? AND id IN (SELECT value FROM json_each(?))",
                                  (file, json.dumps(sorted({e.id for e in entries})))).fetchall()
        if not found:
            return entries
        lines = set(found)  # the indexed line is Entry.to_json: the same content, the same text
        return [e for e in entries if (e.id, e.to_json()) not in lines]

    def _new_file(self, key: str) -> int:
        cur = self.conn.execute("INSERT INTO journal_files(path, offset, digest, lines, size, mtime_ns, ctime_ns, racy) "
                                "VALUES (?, 0, '', 0, -1, -1, -1, 1)", (key,))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _rows_of(self, file: int, key: str) -> list[tuple[str, str, str]]:
        """(path, id, line) of a file's indexed entries (before it is dropped: keep_lost)."""
        return [(key, id_, line) for id_, line in self.conn.execute("SELECT id, line FROM entries WHERE file = ?",
                                                                    (file,))]

    def keep_lost(self, dropped: Sequence[tuple[str, str, str]], *, directory: bool) -> None:
        """Of these (path, id, line) that were indexed, those no file holds now (the index is up to date with the
        files) are saved in the cache for `gwgk doctor` (journal_lost): the journal is append-only, so an
        entry that disappeared was lost (an older copy put back by a sync client, a file gone)."""
        if not dropped:
            return
        present = set(self.conn.execute("SELECT id, line FROM entries WHERE id IN (SELECT value FROM json_each(?))",
                                        (json.dumps(sorted({id_ for _, id_, _ in dropped})),)))
        lost = [(path, line) for path, id_, line in dropped if (id_, line) not in present]
        if lost:
            from gwgk_cli.journal_lost import save_lost

            save_lost(lost, directory=directory)

    def _drop_file(self, file: int) -> None:
        for name in ("entries", "problems", "unknown", "journal_files"):
            self.conn.execute(f"DELETE FROM {name} WHERE file = ?", (file,))

    def _insert(self, chunks: list[_Chunk]) -> None:
        c = self.conn
        for chunk in chunks:
            c.executemany("INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?,?,?,NULL,?,0,?)", (
                (chunk.file, e.lineno, e.id, e.task, e.date.toordinal(), e.op, e.undoes or None, e.to_json(), e.at)
                for e in chunk.entries))
            c.executemany("INSERT INTO problems VALUES (?,?,?)",
                          ((chunk.file, w.lineno, w.message) for w in chunk.problems))

    def _set_undone(self, ids: Iterable[str] | None) -> None:
        """entries.undone_on: the date of the earliest undo of the entry's task naming it (None: never undone;
        always None for an undo line: state.undone_keys)."""
        sql = ("UPDATE entries SET undone_on = CASE WHEN op = 'undo' THEN NULL ELSE (SELECT min(u.date) FROM entries u "
               "WHERE u.op = 'undo' AND u.undoes = entries.id AND u.task = entries.task) END")
        if ids is None:
            self.conn.execute(sql)
        else:
            self.conn.execute(sql + " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),))

    def _replay_all(self) -> None:
        self._set_undone(None)
        self.conn.execute("DELETE FROM states")
        self.conn.execute("DELETE FROM current")
        self._replay(None)

    def _replay_touched(self, chunks: list[_Chunk]) -> None:
        new = [e for chunk in chunks for e in chunk.entries]
        if not new:
            return
        ids = {e.id for e in new} | {e.undoes for e in new if e.op == "undo" and e.undoes}
        self._set_undone(ids)
        tasks = {e.task for e in new}  # an undo reverts only entries of its own task (state.undone_keys)
        arg = json.dumps(sorted(tasks))
        self.conn.execute("DELETE FROM states WHERE task IN (SELECT value FROM json_each(?))", (arg,))
        self.conn.execute("DELETE FROM current WHERE task IN (SELECT value FROM json_each(?))", (arg,))
        self._replay(sorted(tasks))

    def _replay(self, tasks: list[int] | None) -> None:
        """Replay these tasks (None: all) from their indexed entries in force after every entry; store the
        state after each one, and the last."""
        self._signals_stale(tasks)
        sql = ("SELECT task, date, line, lineno FROM entries WHERE op != 'undo' AND undone_on IS NULL")
        args: list[Any] = []
        if tasks is not None:
            sql += " AND task IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(tasks))
        rows = self.conn.execute(sql + " ORDER BY task, date, seq, file, lineno", args).fetchall()
        out: list[list[Any]] = []
        last: dict[int, str] = {}
        state = TaskState()
        task_now, seq = None, 0
        decode = EntryDecoder().decode
        for task, date, line, lineno in rows:
            if task != task_now:
                task_now, seq, state = task, 0, TaskState()
            elif out:
                out[-1][3] = date  # the state before this entry holds until its date (exclusive)
            apply(state, decode(line, lineno))
            seq += 1
            text = encode_state(state)
            out.append([task, seq, date, None, text])
            last[task] = text
        self.conn.executemany("INSERT INTO states VALUES (?,?,?,?,?)", out)
        self.conn.executemany("INSERT INTO current VALUES (?,?)", last.items())

    # ----------------------------------------------------------------- the signals kept

    def _signals_stale(self, tasks: list[int] | None) -> None:
        """In the transaction that changes these tasks' states (None: the plan or every state): their kept
        signals go, and the generation moves on, so a signal worked out from an earlier snapshot is not stored
        (store_signals)."""
        if tasks is None:
            self.conn.execute("DELETE FROM signals")
        else:
            self.conn.execute("DELETE FROM signals WHERE task IN (SELECT value FROM json_each(?))", (json.dumps(tasks),))
        self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('generation', 0)")  # no upsert: older SQLite too
        self.conn.execute("UPDATE meta SET value = CAST(value AS INT) + 1 WHERE key = 'generation'")

    def store_signals(self, key: str, generation: int, rows: Sequence[tuple[Any, ...]]) -> None:
        """Keep these signal rows (index_read.SIGNAL_COLUMNS), worked out under `key` from the snapshot of
        `generation`: stored only when no state or plan changed since (else the next command works them out
        again), replacing every kept row when they were kept under another key (another day, other
        thresholds, another version of the rules). A writer is waited for 200 ms at most, and SQLite's
        OperationalError (busy, read-only, disk full) is not raised: an index that cannot be written now keeps what
        it has (_write_if_free). Another error (damage) is raised, as for any read (the index is then rebuilt)."""
        if not rows:
            return

        def store() -> None:
            if self.signal_generation() != generation:
                return
            if self._signals_key() != key:
                self.conn.execute("DELETE FROM signals")
                self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('signals', ?)", (key,))
            self.conn.executemany("INSERT OR REPLACE INTO signals VALUES (?,?,?,?,?,?,?,?)", rows)

        self._write_if_free(store)

