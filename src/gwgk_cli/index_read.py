"""The index's reads (gwgk_cli.index.Index inherits them): the plan, tasks and their states as of a date,
journal lines and warnings, all from one snapshot (a read transaction held for the whole command).
What the tables hold and how they stay true to the files: gwgk_cli.index and docs/design.md."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwgk_cli.index_db import (
    TASK_COLUMNS,
    TASK_WIDTH,
    EntryDecoder,
    StateDecoder,
    TaskBuilder,
    day_of,
    from_json_value,
)
from gwgk_cli.model import Plan, Repair, Section, Subsection, Task, Unit
from gwgk_cli.state import TaskState, apply

if TYPE_CHECKING:
    import sqlite3

    from gwgk_cli.journal_entry import Entry, JournalWarning


# What undo lines name, by task: read through the partial index entries_undoes, which covers both columns.
UNDONE_SQL = "SELECT DISTINCT task, undoes FROM entries WHERE op = 'undo' AND undoes IS NOT NULL"


# A kept signal (index table `signals`): the task, its 红黄绿灯 and why, the date in force (ordinal), status,
# status label, percent and last update (ordinal), as flagged.signal_row makes it.
SIGNAL_COLUMNS = ("task", "signal", "reason", "due", "status", "status_label", "percent", "updated")
SIGNAL_VALUES = ", ".join(f"g.{name}" for name in SIGNAL_COLUMNS[1:])


class StoredSignals:
    """IndexReads.stored_signals's answer (a plain class: a NamedTuple costs a start-up its creation)."""

    __slots__ = ("rows", "missing", "total", "generation")

    def __init__(self, rows: list[tuple[Any, ...]], missing: list[int], total: int, generation: int) -> None:
        self.rows = rows  # (id, section, subsection, title, units, leads, phrase, then SIGNAL_COLUMNS but the task)
        self.missing = missing
        self.total = total
        self.generation = generation


class IndexReads:
    """The queries of an open index (`conn`); `_journals` maps the indexed journal files' numbers to
    their paths as the caller named them."""

    table: Path
    conn: sqlite3.Connection
    _journals: dict[int, Path]

    # ----------------------------------------------------------------- transactions

    def _read(self) -> None:
        """Hold a read transaction (unless in one already): every later query sees the same snapshot."""
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
            self.conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()

    def _end_read(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def header(self) -> Plan:
        """The plan without its tasks (units, sections, settings …)."""
        self._read()
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'header'").fetchone()
        h = json.loads(row[0])
        sections: list[Section] = []
        subs: dict[int, list[Subsection]] = {}
        for sec, sub, title in self.conn.execute("SELECT section, subsection, title FROM sections ORDER BY pos"):
            if sub is None:
                sections.append(Section(sec, title))
            else:
                subs.setdefault(sec, []).append(Subsection(sub, title))
        return Plan(
            path=str(self.table), schema_version=h["schema_version"], title=h["title"], issuer=h["issuer"],
            published=dt.date.fromisoformat(h["published"]), year=h["year"],
            units=tuple(Unit(n, tuple(a), c, tuple(e)) for n, a, c, e in h["units"]),
            sections=tuple(Section(s.no, s.title, tuple(subs.get(s.no, ()))) for s in sections), tasks=(),
            notice_title=h["notice_title"], settings=from_json_value(h["settings"]), source=from_json_value(h["source"]),
            repairs=tuple(Repair(*r) for r in h["repairs"]))

    def plan(self) -> Plan:
        from dataclasses import replace

        return replace(self.header(), tasks=tuple(self.tasks()))

    def task_ids(self) -> list[int]:
        self._read()
        ids: list[int] = json.loads(self.conn.execute("SELECT value FROM meta WHERE key = 'ids'").fetchone()[0])
        return ids

    def known_ids(self, ids: Iterable[int]) -> set[int]:
        """Which of these ids the table has (one lookup each: no list of every id)."""
        self._read()
        found = self.conn.execute("SELECT id FROM tasks WHERE id IN (SELECT value FROM json_each(?))",
                                  (json.dumps(list(ids)),)).fetchall()
        return {r[0] for r in found}

    def id_span(self) -> tuple[int, int] | None:
        """The smallest and the greatest task id (None: no task)."""
        self._read()
        low, high = self.conn.execute("SELECT min(id), max(id) FROM tasks").fetchone()
        return None if low is None else (low, high)

    def tasks(self, ids: Iterable[int] | None = None, *, units: Iterable[str] | None = None,
              section: int | None = None, subsection: int | None = None) -> list[Task]:
        """Tasks in table order: all, those of `ids`, of any of `units`, in a section or subsection."""
        self._read()
        where: list[str] = []
        args: list[Any] = []
        if ids is not None:
            where.append("id IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(list(ids)))
        _task_filter(where, args, units, section, subsection)
        sql = f"SELECT {TASK_COLUMNS} FROM tasks" + (" WHERE " + " AND ".join(where) if where else "")
        build = TaskBuilder().build
        return [build(r) for r in self.conn.execute(sql + " ORDER BY pos", args)]

    def count_tasks(self, *, units: Iterable[str] | None = None) -> int:
        """How many tasks `tasks(units=…)` would give."""
        self._read()
        where: list[str] = []
        args: list[Any] = []
        _task_filter(where, args, units, None, None)
        return int(self.conn.execute("SELECT count(*) FROM tasks" + (" WHERE " + " AND ".join(where) if where else ""),
                                     args).fetchone()[0])

    def tracked(self, ids: Iterable[int] | None = None, *, units: Iterable[str] | None = None,
                section: int | None = None, subsection: int | None = None, as_of: dt.date | None = None
                ) -> tuple[list[Task], dict[int, TaskState]]:
        """The tasks `tasks` would give and their states as of `as_of` (None: after every entry), in one
        query joining them; a task the journal does not name is left out of the states."""
        self._read()
        where: list[str] = []
        args: list[Any] = []
        d = None if as_of is None or self._at_end(as_of) else as_of.toordinal()
        if d is None:
            join = "LEFT JOIN current s ON s.task = tasks.id"
        else:
            join = "LEFT JOIN states s ON s.task = tasks.id AND s.date <= ? AND (s.until IS NULL OR s.until > ?)"
            args += [d, d]  # the join's, before the conditions'
        if ids is not None:
            where.append("tasks.id IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(list(ids)))
        _task_filter(where, args, units, section, subsection)
        sql = (f"SELECT {TASK_COLUMNS}, s.state FROM tasks {join}"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY tasks.pos")
        build = TaskBuilder().build
        decode = StateDecoder().decode
        tasks: list[Task] = []
        states: dict[int, TaskState] = {}
        for row in self.conn.execute(sql, args):
            task = build(row)
            tasks.append(task)
            if row[TASK_WIDTH] is not None:
                states[task.id] = decode(row[TASK_WIDTH])
        if d is not None:
            self._redo(states, d, {t.id for t in tasks})
        return tasks, states

    # ----------------------------------------------------------------- the signals kept

    def signal_generation(self) -> int:
        """How many times the plan or a state changed in this index (index.Index._signals_stale)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def _signals_key(self) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'signals'").fetchone()
        return row[0] if row else None

    def stored_signals(self, key: str, *, units: Iterable[str] | None = None, kinds: Iterable[str] = ()
                       ) -> StoredSignals:
        """The kept signals of the tasks naming any of `units` (None: all), worked out under `key`: the rows of those
        whose signal is one of `kinds` (each the task's id, section, subsection, title, units, leads and deadline
        phrase, then SIGNAL_COLUMNS but the task), the ids of those with none kept (to work out and store_signals),
        the number of tasks, and the snapshot's generation (for store_signals). Kept under another key, none is.
        A row that does not decode raises, as any damage found by a read does (the index is rebuilt)."""
        self._read()
        units = list(units) if units is not None else None  # read twice below
        where: list[str] = []
        args: list[Any] = []
        _task_filter(where, args, units, None, None)
        cond = " AND ".join(where) or "1"
        generation = self.signal_generation()
        total = self.count_tasks(units=units)
        if self._signals_key() != key:
            missing = [r[0] for r in self.conn.execute(f"SELECT id FROM tasks WHERE {cond}", args)]
            return StoredSignals([], missing, total, generation)
        heading = TaskBuilder().heading
        rows = [(tid, section, subsection, *heading(text), *kept) for tid, section, subsection, text, *kept in
                self.conn.execute(
                    f"SELECT tasks.id, tasks.section, tasks.subsection, tasks.task, {SIGNAL_VALUES} FROM tasks "
                    f"JOIN signals g ON g.task = tasks.id WHERE {cond} AND g.signal IN (SELECT value FROM json_each(?))",
                    [*args, json.dumps(list(kinds))])]
        missing = [r[0] for r in self.conn.execute(
            f"SELECT id FROM tasks WHERE {cond} AND NOT EXISTS (SELECT 1 FROM signals g WHERE g.task = tasks.id)",
            args)]
        return StoredSignals(rows, missing, total, generation)

    # ----------------------------------------------------------------- journal queries

    def _at_end(self, as_of: dt.date | None) -> bool:
        """Whether the state as of `as_of` is the one after every entry (`current`)."""
        if as_of is None:
            return True
        latest = self.conn.execute("SELECT max(date) FROM entries").fetchone()[0]
        return latest is None or as_of.toordinal() >= latest

    def latest(self) -> dt.date | None:
        """The date of the latest entry (undo entries included)."""
        self._read()
        return day_of(self.conn.execute("SELECT max(date) FROM entries").fetchone()[0])

    def states(self, ids: Iterable[int] | None, as_of: dt.date | None) -> dict[int, TaskState]:
        """The state of these tasks (None: every task of the journal) as of a date (None: after every entry).
        Tasks the journal does not name are left out (their state is the initial one)."""
        self._read()
        filt, args = "", []
        if ids is not None:
            filt = " AND task IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(list(ids)))
        decode = StateDecoder().decode
        if self._at_end(as_of):
            return {t: decode(s) for t, s in self.conn.execute("SELECT task, state FROM current WHERE 1" + filt, args)}
        assert as_of is not None
        d = as_of.toordinal()
        out: dict[int, TaskState] = {t: decode(s) for t, s in self.conn.execute(
            "SELECT task, state FROM states WHERE date <= ? AND (until IS NULL OR until > ?)" + filt, [d, d, *args])}
        self._redo(out, d, None if ids is None else set(ids))
        return out

    def _redo(self, out: dict[int, TaskState], d: int, ids: set[int] | None) -> None:
        """Fix `out`, the stored states as of day `d` of these tasks (None: all): an entry in force on that
        date that a later undo reverts is not in the stored replay, so those tasks are replayed as of the date
        from their entries (rare: found through the partial index entries_undone)."""
        # No DISTINCT, no ORDER BY: with either SQLite scans the table instead of the partial index.
        redo = sorted({r[0] for r in self.conn.execute(
            "SELECT task FROM entries WHERE undone_on > ? AND op != 'undo' AND date <= ?", (d, d))})
        if ids is not None:
            redo = [task for task in redo if task in ids]
        if not redo:  # the usual case: no Entry class to load
            return
        entry = EntryDecoder().decode
        for task in redo:
            state = TaskState()
            found = False
            for line, lineno in self.conn.execute(
                    "SELECT line, lineno FROM entries WHERE task = ? AND op != 'undo' AND date <= ? AND "
                    "(undone_on IS NULL OR undone_on > ?) ORDER BY date, seq, file, lineno", (task, d, d)):
                apply(state, entry(line, lineno))
                found = True
            if found:
                out[task] = state
            else:
                out.pop(task, None)

    def entries(self, ids: Iterable[int] | None = None, *, with_undos: bool = False,
                since: dt.date | None = None, until: dt.date | None = None,
                reported_from: dt.date | None = None) -> list[Entry]:
        """Every indexed line (undo entries included) of these tasks (None: all), in file order; with
        `with_undos`, every undo line too, whatever task it names (a replay of these tasks needs them);
        with `since`/`until`, only the lines dated from/to them. The lines were checked when indexed: they are
        decoded without journal.parse_line's checks (index_db.EntryDecoder)."""
        self._read()
        cols = "SELECT line, lineno, seq, file FROM entries"
        dated = "" if until is None else f" AND date <= {until.toordinal()}"
        if since is not None:
            dated += f" AND date >= {since.toordinal()}"
        if reported_from is not None:  # dated from it, or recorded from it (report.reported in Python)
            dated += (f" AND (date >= {reported_from.toordinal()}"
                      f" OR substr(at, 1, 10) >= '{reported_from.isoformat()}')")
        if ids is None:
            sql, args = f"{cols} WHERE 1{dated}", []
        else:
            wanted = "task IN (SELECT value FROM json_each(?))"
            # The lines' keys found in entries_task, which holds task, date and at, then only those lines read:
            # SQLite would read each line of the tasks' period to test its `at` (5 ms of a unit's report).
            sql, args = (f"{cols} WHERE (file, lineno) IN (SELECT file, lineno FROM entries WHERE {wanted}{dated})"
                         if dated else f"{cols} WHERE {wanted}", [json.dumps(list(ids))])
            if with_undos:  # the other tasks' undo lines through the partial index (an OR would scan the table)
                sql += f" UNION ALL {cols} INDEXED BY entries_undoes WHERE op = 'undo' AND NOT {wanted}{dated}"
                args += args
        decode = EntryDecoder().decode
        rows = self.conn.execute(sql + " ORDER BY seq, file, lineno", args).fetchall()
        if not any(row[2] for row in rows):
            return [decode(line, lineno) for line, lineno, _, _ in rows]
        from gwgk_cli.journal_dir import placed

        out = []
        for line, lineno, seq, file in rows:
            entry = decode(line, lineno)
            # A journal directory's entry: its place in the merged order, and where it is (journal_dir.merge).
            out.append(placed(entry, seq, str(self._journals.get(file, ""))) if seq else entry)
        return out

    def undone(self, as_of: dt.date | None) -> set[tuple[int, str]]:
        """(task, id) of the entries an undo dated on or before `as_of` reverts (state.undone_keys)."""
        self._read()
        sql, args = UNDONE_SQL, []
        if as_of is not None:
            sql += " AND date <= ?"
            args.append(as_of.toordinal())
        return {(r[0], r[1]) for r in self.conn.execute(sql, args)}

    def revertible(self, keys: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
        """Those of these (task, id) that name an entry an undo may revert (state.revertible_keys)."""
        keys = set(keys)
        if not keys:
            return set()
        self._read()
        rows = self.conn.execute("SELECT task, id FROM entries WHERE op != 'undo' AND id IN (SELECT value FROM json_each(?))",
                                 (json.dumps(sorted({k[1] for k in keys})),))
        return {(r[0], r[1]) for r in rows} & keys

    def warnings(self) -> list[JournalWarning]:
        """Lines that are not valid entries, then entries of tasks the table does not have; file by file."""
        self._read()
        problems = [(file, path, self.conn.execute(
            "SELECT lineno, message FROM problems WHERE file = ? ORDER BY lineno", (file,)).fetchall())
            for file, path in self._journals.items()]
        # Then the entries of unknown tasks in the journal's order (a directory's: the merged one).
        place = {file: pos for pos, file in enumerate(self._journals)}
        unknown = [(seq, place[file], n, file, t) for file, n, t, seq in self.conn.execute(
            "SELECT u.file, u.lineno, u.task, e.seq FROM unknown u JOIN entries e ON e.file = u.file AND "
            "e.lineno = u.lineno") if file in place]
        if not unknown and not any(rows for _, _, rows in problems):
            return []  # the usual case: the journal module is not even imported
        from gwgk_cli.journal_entry import JournalWarning

        out = [JournalWarning(str(path), n, m) for _, path, rows in problems for n, m in rows]
        out += [JournalWarning(str(self._journals[file]), n, f"任务 {t} 不在任务表中，此行已忽略")
                for _, _, n, file, t in sorted(unknown)]
        return out


def _task_filter(where: list[str], args: list[Any], units: Iterable[str] | None, section: int | None,
                 subsection: int | None) -> None:
    """The conditions on `tasks` for these filters (units: any of them; None: no filter), added to
    `where` and `args`."""
    if units is not None:
        where.append("tasks.id IN (SELECT task FROM task_units WHERE unit IN (SELECT value FROM json_each(?)))")
        args.append(json.dumps(list(units), ensure_ascii=False))
    if section is not None:
        where.append("tasks.section = ?")
        args.append(section)
    if subsection is not None:
        where.append("tasks.subsection = ?")
        args.append(subsection)
