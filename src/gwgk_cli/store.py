"""The tracker's data: a task table (the plan) plus its journal (the progress), read through the index.

The index (gwgk_cli.index: SQLite in the user cache directory) answers every read; it is brought up to date
with the files first and is never trusted over them. GWGK_NO_CACHE=1 bypasses it: the table is parsed and
the journal replayed from the files on every run. That path is the reference the index is tested against,
and the one taken when the index cannot be used (a cache directory of another user, a read-only disk).

Every view is the state as of the tracker's reference date (`as_of`, the CLI's --today): the replay of the
entries in force on that date (journal.replay). The index stores the state after every entry per task,
so an earlier date is answered from it too (a task whose entry an undo later reverted is replayed as of the
date from its indexed entries).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from gwgk_cli.model import Plan, Task
from gwgk_cli.paths import Location
from gwgk_cli.state import (
    Replay,
    TaskState,
    in_force,
    replay,
    reverted,
    revertible_keys,
    state_as_of,
    taken_back,
    undone_keys,
)

if TYPE_CHECKING:
    from gwgk_cli.index import Index
    from gwgk_cli.index_read import StoredSignals
    from gwgk_cli.journal_entry import Entry, JournalWarning

T = TypeVar("T")


def index_enabled() -> bool:
    return os.environ.get("GWGK_NO_CACHE", "") == ""


def _open_index(table: Path) -> Index | None:
    if not index_enabled():
        return None
    from gwgk_cli.index import Index, Unusable

    try:
        return Index.open(table)
    except Unusable:
        return None


def _index_errors() -> tuple[type[BaseException], ...]:
    """What makes the index unusable mid-way (a full disk, a lock held too long, a number SQLite cannot hold):
    the files are read instead."""
    import sqlite3

    from gwgk_cli.index import Unusable

    return (sqlite3.Error, Unusable, OverflowError)


def _is_damage(exc: BaseException) -> bool:
    """A damaged index: SQLite says so ("file is not a database", "database disk image is malformed", a
    table or column missing), or a row does not decode. Not so a busy, locked or read-only one (the
    files are read instead), nor an error of gwgk's own (a broken table or journal: reported)."""
    import sqlite3

    from gwgk_cli.errors import GwgkError

    if isinstance(exc, GwgkError):
        return False
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return not any(word in text for word in ("locked", "busy", "readonly", "read-only", "unable to open",
                                                 "disk", "full", "interrupt"))
    return isinstance(exc, (sqlite3.DatabaseError, ValueError, KeyError, TypeError, IndexError))


def load_plan(path: Path) -> Plan:
    """The table at `path`, from the index when it is up to date."""
    return Tracker(Location(path, "", False)).plan


def load_task_ids(path: Path) -> tuple[frozenset[int], str]:
    """Only the task ids (and the id range text): what a write needs, without building any task."""
    tracker = Tracker(Location(path, "", False))
    return frozenset(tracker.task_ids()), tracker.id_range()


class Progress:
    """The journal replayed against a plan (a plain class: a dataclass costs start-up time)."""

    __slots__ = ("path", "replay", "warnings", "entries")

    def __init__(self, path: Path, replay: Replay, warnings: list[JournalWarning] | None = None,
                 entries: list[Entry] | None = None) -> None:
        self.path = path
        self.replay = replay
        self.warnings = warnings if warnings is not None else []
        self.entries = entries  # every line (incl. undone and undo entries), when read

    @property
    def states(self) -> Mapping[int, TaskState]:
        return self.replay.states

    def state(self, task_id: int) -> TaskState:
        return self.replay.states.get(task_id) or TaskState()


def load_progress(journal: Path, plan: Plan, *, need_entries: bool = False, as_of: dt.date | None = None
                  ) -> Progress:
    """The journal replayed as of `as_of` (None: after every entry) against the plan's tasks."""
    tracker = Tracker(Location(Path(plan.path), "", False), as_of=as_of, journal_files=[journal])
    tracker._plan = plan
    return tracker.progress(need_entries=need_entries)


class _Direct(NamedTuple):
    """The journal read and replayed from the file (no index)."""

    entries: list[Entry]
    problems: list[JournalWarning]
    replay: Replay
    warnings: list[JournalWarning]


class Tracker:
    """The plan and its progress for one location, loaded on demand and only as far as asked: a task, the
    tasks of a unit, one task's history. Journal damage never stops the tracker: its warnings go to
    `on_warnings` once (the CLI prints them on stderr). (A service object, not a value: a plain class.)"""

    __slots__ = ("location", "on_warnings", "as_of", "journal_files", "_plan", "_header", "_progress", "_index",
                 "_index_tried", "_journal_indexed", "_direct", "_warned")

    def __init__(self, location: Location, on_warnings: Callable[[list[JournalWarning]], None] | None = None,
                 as_of: dt.date | None = None, journal_files: list[Path] | None = None) -> None:
        self.location = location
        self.on_warnings = on_warnings
        self.as_of = as_of  # the reference date (--today): every view is the state as of it
        self.journal_files = journal_files  # None: the location's journal
        self._plan: Plan | None = None
        self._header: Plan | None = None
        self._progress: Progress | None = None
        self._index: Index | None = None
        self._index_tried = False
        self._journal_indexed = False
        self._direct: _Direct | None = None
        self._warned = False

    # ----------------------------------------------------------------- choosing the source

    def _ensure(self, *, journal: bool) -> Index | None:
        """The index, brought up to date with the table (and, with `journal`, the journal); None when it
        cannot be used (the files are read instead). A damaged index file is deleted and built again."""
        pending: list[JournalWarning] | None = None
        for attempt in (0, 1):
            try:
                if not self._index_tried:
                    self._index_tried = True
                    self._index = _open_index(self.location.table)
                    if self._index is not None:
                        self._index.refresh_table()
                if journal and self._index is not None and not self._journal_indexed:
                    files, merged = self._indexed_files()
                    self._index.refresh_journals(files, merged=merged)
                    self._journal_indexed = True
                if journal and self._index is not None and not self._warned:
                    pending = self._index.warnings()  # here: a damaged index is found (and rebuilt) by this too
                break
            except Exception as exc:
                if self._recover(exc, attempt):
                    continue
                break
        if journal and not self._warned:
            self._warned = True
            self._report(pending if self._index is not None and pending is not None else self._replayed().warnings)
        return self._index

    def _recover(self, exc: Exception, attempt: int) -> bool:
        """After the index failed: True to try again (a damaged index, deleted to be rebuilt, on the first
        attempt), False to read the files instead (an index that cannot be used); anything else — a
        broken table or journal, gwgk's own error — is raised again."""
        if attempt == 0 and _is_damage(exc):
            self._discard()
            return True
        self._drop_index()
        if isinstance(exc, _index_errors()):
            return False
        raise exc

    def close(self) -> None:
        """The command is done: the index's connection closed (SQLite folds its write-ahead log back into the file
        then; left to the collector, the console script's exit, which walks nothing, never closed it)."""
        self._close_index()
        self._index_tried = False

    def _drop_index(self) -> None:
        """Stop using the index for this run (the files are read instead)."""
        self._close_index()
        self._index_tried = True

    def _close_index(self) -> None:
        if self._index is not None:
            try:
                self._index.close()
            except Exception:  # closing a broken connection: nothing to keep
                pass
        self._index = None

    def _discard(self) -> None:
        """Delete a damaged index; the next use builds it again."""
        from gwgk_cli.index import discard

        self._drop_index()
        discard(self.location.table)
        self._index_tried = self._journal_indexed = False

    def _via(self, indexed: Callable[[Index], T], direct: Callable[[], T], *, journal: bool = False) -> T:
        for attempt in (0, 1):
            idx = self._ensure(journal=journal)
            if idx is None:
                break
            try:
                return indexed(idx)
            except Exception as exc:
                if self._recover(exc, attempt):
                    continue
                break
        return direct()

    def _report(self, warnings: list[JournalWarning]) -> None:
        if self.on_warnings is not None and warnings:
            from gwgk_cli.journal import summarize

            self.on_warnings(summarize(warnings))

    def _indexed_files(self) -> tuple[list[Path], bool]:
        """The files the index covers, and whether they are one journal directory's (merged: journal_dir).
        A journal directory (several PCs' files) is listed as journal_dir lists it."""
        paths = self.journals()
        if len(paths) != 1 or not paths[0].name.endswith(".jsonl") or not paths[0].with_name(
                paths[0].name[: -len(".jsonl")]).is_dir():
            return paths, False  # no directory: journal_dir (its regular expressions) is not even imported
        from gwgk_cli.journal_dir import directory_for, journal_files

        if directory_for(paths[0]) is not None:
            return journal_files(paths[0]), True
        return paths, False

    def journals(self) -> list[Path]:
        """The journal as named: one file, or the single-file name of a journal directory (journal_dir)."""
        return list(self.journal_files) if self.journal_files is not None else [self.location.journal]

    # ----------------------------------------------------------------- the plan

    @property
    def plan(self) -> Plan:
        """The whole plan, every task built."""
        if self._plan is None:
            self._plan = self._via(lambda idx: idx.plan(), self._table)
        return self._plan

    @property
    def header(self) -> Plan:
        """The plan's units, sections and settings; its tasks may be left out (ask `tasks` for them)."""
        if self._plan is not None:
            return self._plan
        if self._header is None:
            self._header = self._via(lambda idx: idx.header(), lambda: self.plan)
        return self._header

    def _table(self) -> Plan:
        from gwgk_cli.table import load_table

        return load_table(self.location.table)

    def task_ids(self) -> list[int]:
        if self._plan is not None:
            return self._plan.task_ids()
        return self._via(lambda idx: idx.task_ids(), lambda: self.plan.task_ids())

    def id_range(self) -> str:
        def direct() -> tuple[int, int] | None:
            ids = self.task_ids()
            return (min(ids), max(ids)) if ids else None

        span = direct() if self._plan is not None else self._via(lambda idx: idx.id_span(), direct)
        return f"{span[0]}–{span[1]}" if span is not None else "无"

    def known_ids(self, ids: Iterable[int]) -> frozenset[int]:
        """Which of these ids the table has (without listing every id)."""
        ids = list(ids)
        if self._plan is not None:
            return frozenset(ids) & frozenset(self._plan.task_ids())
        return frozenset(self._via(lambda idx: idx.known_ids(ids),
                                   lambda: set(ids) & set(self.plan.task_ids())))

    def tasks(self, ids: Iterable[int] | None = None, *, units: Iterable[str] | None = None,
              section: int | None = None, subsection: int | None = None) -> list[Task]:
        """Tasks in table order: all, or those of `ids`, naming any of `units`, in a section/subsection."""
        ids = list(ids) if ids is not None else None
        units = list(units) if units is not None else None

        def direct() -> list[Task]:
            wanted = set(ids) if ids is not None else None
            names = set(units) if units is not None else None
            return [t for t in self.plan.tasks if (wanted is None or t.id in wanted)
                    and (names is None or any(u in names for u in t.units))
                    and (section is None or t.section == section) and (subsection is None or t.subsection == subsection)]

        if self._plan is not None:
            return direct()
        return self._via(lambda idx: idx.tasks(ids, units=units, section=section, subsection=subsection), direct)

    def count_tasks(self, *, units: Iterable[str]) -> int:
        """How many tasks name any of `units`, without building them."""
        names = list(units)
        if self._plan is not None:
            return len(self.tasks(units=names))
        return self._via(lambda idx: idx.count_tasks(units=names), lambda: len(self.tasks(units=names)))

    def tracked(self, ids: Iterable[int] | None = None, *, units: Iterable[str] | None = None,
                section: int | None = None, subsection: int | None = None) -> tuple[list[Task], dict[int, TaskState]]:
        """`tasks(ids, units=…, section=…, subsection=…)` and their states as of the reference date, from one
        query of the index when it can; a task the journal does not name may be left out of the states
        (its state is the initial one)."""
        ids = list(ids) if ids is not None else None
        units = list(units) if units is not None else None

        def apart() -> tuple[list[Task], dict[int, TaskState]]:
            tasks = self.tasks(ids, units=units, section=section, subsection=subsection)
            return tasks, self.states(t.id for t in tasks)

        if self._plan is not None or self._progress is not None:
            return apart()
        return self._via(lambda idx: idx.tracked(ids, units=units, section=section, subsection=subsection,
                                                 as_of=self.as_of), apart, journal=True)

    def stored_signals(self, key: str, *, units: Iterable[str] | None = None, kinds: Iterable[str] = ()
                       ) -> StoredSignals | None:
        """The index's kept signals (index_read.IndexReads.stored_signals); None without an index (or with
        changes held in memory), when every signal is worked out from the tasks."""
        if self._plan is not None or self._progress is not None:
            return None
        units = list(units) if units is not None else None
        kinds = list(kinds)
        return self._via(lambda idx: idx.stored_signals(key, units=units, kinds=kinds), lambda: None, journal=True)

    def store_signals(self, key: str, generation: int, rows: Sequence[tuple[Any, ...]]) -> None:
        """Keep signals worked out from the snapshot `stored_signals` answered from (index.Index.store_signals)."""
        if self._index is not None:
            self._via(lambda idx: idx.store_signals(key, generation, rows), lambda: None)

    # ----------------------------------------------------------------- the journal

    @property
    def journal(self) -> Path:
        return self.journals()[0]

    def check_journal(self) -> None:
        """Read the journal (into the index) and report its damage, as a write does before deciding."""
        self._via(lambda idx: None, lambda: None, journal=True)

    def _replayed(self) -> _Direct:
        if self._direct is None:
            from gwgk_cli.journal import read_entries

            entries: list[Entry] = []
            problems: list[JournalWarning] = []
            for path in self.journals():
                more, bad, _ = read_entries(path)
                entries += more
                problems += bad
            result, unknown = replay(entries, self.task_ids(), str(self.journal), as_of=self.as_of)
            self._direct = _Direct(entries, problems, result, problems + unknown)
        return self._direct

    def states(self, ids: Iterable[int] | None = None) -> dict[int, TaskState]:
        """The state of these tasks (None: every task) as of the reference date; a task the journal does not
        name has the initial state (a TaskState())."""
        ids = list(ids) if ids is not None else None
        if self._progress is not None:
            return {tid: self._progress.state(tid) for tid in (ids if ids is not None else self._progress.states)}

        def indexed(idx: Index) -> dict[int, TaskState]:
            found = idx.states(ids, self.as_of)  # None: every task the journal names, no list of ids passed
            wanted = ids if ids is not None else self.task_ids()
            return {tid: found.get(tid) or TaskState() for tid in wanted}

        def direct() -> dict[int, TaskState]:
            states = self._replayed().replay.states
            return {tid: states[tid] for tid in (ids if ids is not None else states) if tid in states}

        return self._via(indexed, direct, journal=True)

    def states_on(self, ids: Iterable[int], day: dt.date) -> dict[int, TaskState]:
        """The state of these tasks as of `day`, whatever the reference date (a report's period start); a
        task the journal does not name has the initial state."""
        ids = list(ids)
        if day == self.as_of:
            return self.states(ids)

        def indexed(idx: Index) -> dict[int, TaskState]:
            found = idx.states(ids, day)
            return {tid: found.get(tid) or TaskState() for tid in ids}

        def direct() -> dict[int, TaskState]:
            return dict(state_as_of(self._replayed().entries, ids, day))

        return self._via(indexed, direct, journal=True)

    def in_force(self, ids: Iterable[int], since: dt.date, until: dt.date, *,
                 reported_from: dt.date | None = None) -> list[Entry]:
        """The changes to these tasks dated from `since` to `until` that are in force on `until`
        (state.in_force: no undo lines, nothing an undo dated by then reverts), in file order; with
        `reported_from`, those dated before it only when recorded on that day or later (report.reported).
        Only these lines are read, not the journal before them."""
        from gwgk_cli.report import reported

        ids = list(ids)

        def indexed(idx: Index) -> list[Entry]:
            undone = idx.undone(until)
            lines = idx.entries(ids, since=since, until=until, reported_from=reported_from)
            return [e for e in lines if not reverted(e, undone) and e.op != "undo"]

        def direct() -> list[Entry]:
            return reported(in_force(self._replayed().entries, until, ids, since=since), reported_from)

        return self._via(indexed, direct, journal=True)

    def undos(self, ids: Iterable[int], since: dt.date, until: dt.date) -> list[Entry]:
        """The undo lines of these tasks dated from `since` to `until` that take back a change made before
        `since` (state.taken_back; report.ReportSource), in file order."""
        ids = list(ids)

        def indexed(idx: Index) -> list[Entry]:
            lines = idx.entries(ids, since=since, until=until)
            return taken_back(lines, idx.revertible({(e.task, e.undoes) for e in lines if e.op == "undo"}))

        def direct() -> list[Entry]:
            wanted = set(ids)
            entries = self._replayed().entries
            return taken_back((e for e in entries if e.task in wanted and since <= e.date <= until),
                              revertible_keys(e for e in entries if e.task in wanted))

        return self._via(indexed, direct, journal=True)

    def reverted(self, undos: Iterable[Entry]) -> dict[str, Entry]:
        """The entries these undo lines take back, by id (report.ReportSource)."""
        from gwgk_cli.report import reverted_by

        undos = list(undos)
        tasks = sorted({u.task for u in undos})

        def indexed(idx: Index) -> dict[str, Entry]:
            return reverted_by(undos, idx.entries(tasks))

        def direct() -> dict[str, Entry]:
            return reverted_by(undos, self._replayed().entries)

        return self._via(indexed, direct, journal=True)

    def entries(self, ids: Iterable[int] | None = None, *, with_undos: bool = False,
                until: dt.date | None = None) -> list[Entry]:
        """Every journal line (undo entries included) of these tasks (None: all), in file order; with
        `with_undos`, every undo line too (what a replay of these tasks needs); with `until`, only the
        lines dated on or before it."""
        ids = list(ids) if ids is not None else None

        def direct() -> list[Entry]:
            wanted = set(ids) if ids is not None else None
            return [e for e in self._replayed().entries
                    if (wanted is None or e.task in wanted or (with_undos and e.op == "undo"))
                    and (until is None or e.date <= until)]

        return self._via(lambda idx: idx.entries(ids, with_undos=with_undos, until=until), direct, journal=True)

    def undone(self) -> set[tuple[int, str]]:
        """(task, id) of the entries an undo in force on the reference date reverts (state.reverted tests one)."""
        return self._via(lambda idx: idx.undone(self.as_of),
                         lambda: undone_keys((e for e in self._replayed().entries), self.as_of), journal=True)

    def progress(self, *, need_entries: bool = False) -> Progress:
        """Every task's state (and, with `need_entries`, every journal line)."""
        if self._progress is None or (need_entries and self._progress.entries is None):
            def indexed(idx: Index) -> Progress:
                ids = self.task_ids()
                found = idx.states(None, self.as_of)
                states = {tid: found.get(tid) or TaskState() for tid in ids}
                return Progress(self.journal, Replay(states, idx.undone(self.as_of)), idx.warnings(),
                                idx.entries() if need_entries else None)

            def direct() -> Progress:
                d = self._replayed()
                return Progress(self.journal, d.replay, d.warnings, d.entries)

            self._progress = self._via(indexed, direct, journal=True)
        return self._progress

