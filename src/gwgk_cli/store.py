"""The tracker's data: a task table (the plan) plus its journal (the progress), with a cache.

The cache keeps the parsed table and the replayed journal in the user cache directory, keyed on
each file's path, size and modification time (and, off Windows, its inode change time, which a tool
that restores the modification time cannot restore). It is rebuilt when stale and never trusted over
the files: a cache that cannot be read is ignored, and a cache made while the file was less than
RACY_SECONDS old is used only after the file's content is checked against it ("racy git": an edit
within the file system's timestamp granularity leaves size and time unchanged). Journal replay is
incremental: when the journal only grew since the cached replay, just the new lines are read.

The cached replay is the state after every entry. It answers for a reference date (`--today`) on or
after the latest entry's date; for an earlier date the journal is replayed as of that date (entries
dated after it are not in force), and nothing is cached for it: correct first, fast where it can be.
Only regular files are stamped, read or cached (a FIFO or a device is refused by the readers).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, overload

from gwgk_cli import __version__
from gwgk_cli.deadlines import Deadline
from gwgk_cli.journal import (
    Entry,
    JournalWarning,
    Replay,
    TaskState,
    apply,
    parse_entries,
    read_entries,
    read_journal_bytes,
    replay,
    summarize,
)
from gwgk_cli.model import Plan, Task
from gwgk_cli.paths import Location, user_cache_dir
from gwgk_cli.reading import read_regular
from gwgk_cli.storage_io import write_bytes_atomic

CACHE_FORMAT = 14
RACY_SECONDS = 3  # above FAT's 2-second timestamps; NTFS and ext4 are far finer

Stamp = tuple[int, int, int]


def _stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # never cached: the readers refuse it
    # On Windows st_ctime is the creation time, which an edit does not change: leave it out there.
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns if os.name != "nt" else 0)


def _racy(stamp: Stamp) -> bool:
    """Modified so recently (or in the future, by another machine's clock) that a further edit could
    keep the same size and time: a cache made now must be checked against the content when used."""
    return time.time_ns() - stamp[1] < RACY_SECONDS * 1_000_000_000


def _read_bytes(path: Path) -> bytes | OSError:
    """A stamped (regular) file's bytes for a digest; refused beyond the journal's cap like any read."""
    from gwgk_cli.journal import MAX_JOURNAL_BYTES

    try:
        return read_regular(path, MAX_JOURNAL_BYTES)
    except OSError as exc:
        return exc


def _read_journal(path: Path) -> bytes:
    """The journal's bytes; JournalError for a FIFO, a device, a file past the cap or any read error."""
    return read_journal_bytes(path)


def _file_digest(path: Path) -> str | None:
    raw = _read_bytes(path)
    return None if isinstance(raw, OSError) else _digest(raw)


def _read_trusted(cache: Path, stamp: Stamp, path: Path) -> dict[str, Any] | None:
    """The cache entry if it is for this very file: same stamp and, if it was made racy, same content.
    A racy entry checked once the file is old enough is marked so, and not checked again."""
    data: dict[str, Any] | None = _read_cache(cache)
    if data is None or data.get("stamp") != stamp:
        return None
    if data.get("racy"):
        if _file_digest(path) != data.get("digest"):
            return None
        if not _racy(stamp):
            data = {**data, "racy": False}
            _write_cache(cache, data)
    return data


def _freshness(stamp: Stamp, path: Path) -> dict[str, Any]:
    """What a new cache entry records about its file (the content digest only when racy)."""
    if _racy(stamp):
        return {"stamp": stamp, "racy": True, "digest": _file_digest(path)}
    return {"stamp": stamp, "racy": False}


def _digest(data: bytes) -> str:
    """A cheap 64-bit fingerprint (zlib loads faster than hashlib's OpenSSL, and this is no security)."""
    import zlib

    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _cache_file(path: Path, kind: str) -> Path:
    key = _digest(str(path.resolve()).encode("utf-8"))
    return user_cache_dir() / f"{kind}-{key}.pickle"


def _cache_enabled() -> bool:
    return os.environ.get("GWGK_NO_CACHE", "") == ""


def _read_cache(path: Path) -> Any:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None  # never open a FIFO or a device put where a cache file should be
        with path.open("rb") as fh:
            data = pickle.load(fh)
    except Exception:  # a damaged cache of any kind is ignored and rebuilt: never trusted over the files
        return None
    if not isinstance(data, dict) or data.get("format") != (CACHE_FORMAT, __version__):
        return None
    return data


def _write_cache(path: Path, data: dict[str, Any]) -> None:
    """Atomic (temp file + replace). A cache that cannot be written is not an error."""
    data["format"] = (CACHE_FORMAT, __version__)
    try:
        write_bytes_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


_TASK_FIELDS = tuple(f.name for f in fields(Task))
_DEADLINE_AT = _TASK_FIELDS.index("deadline")


def _pack_plan(plan: Plan) -> dict[str, Any]:
    """The plan as plain tuples (dates as day numbers): unpickling 10,000 tuples of str and int is
    several times faster than 10,000 dataclasses, each with its own date object."""
    rows = [tuple(getattr(t, f) if f != "deadline" else (t.deadline.phrase, _ordinal(t.deadline.due),
                                                         t.deadline.ongoing)
                  for f in _TASK_FIELDS) for t in plan.tasks]
    plan.positions_with_units(frozenset())  # builds the unit index, kept with the plan
    return {"skeleton": replace(plan, tasks=()), "rows": rows, "by_unit": plan._by_unit}


class LazyTasks(Sequence[Task]):
    """The cached plan's tasks, each made into a Task only when it is first looked at: a unit filter
    over 10,000 tasks builds only the tasks of that unit."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows
        self._built: list[Task | None] = [None] * len(rows)
        self._deadlines: dict[tuple[Any, ...], Deadline] = {}

    def ids(self) -> Iterator[int]:
        return (row[0] for row in self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Task: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Task]: ...

    def __getitem__(self, index: int | slice) -> Task | Sequence[Task]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        task = self._built[index]
        if task is None:
            row = self._rows[index]
            key = row[_DEADLINE_AT]
            deadline = self._deadlines.get(key)
            if deadline is None:
                deadline = self._deadlines[key] = Deadline(key[0], _date(key[1]), key[2])
            task = object.__new__(Task)
            task.__dict__.update(zip(_TASK_FIELDS, row, strict=True))
            task.__dict__["deadline"] = deadline
            self._built[index] = task
        return task

    def __iter__(self) -> Iterator[Task]:
        for i in range(len(self._rows)):
            yield self[i]

    def __eq__(self, other: object) -> bool:  # equal to a tuple of the same tasks, as Plan.tasks was
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]


def _unpack_plan(data: dict[str, Any]) -> Plan:
    skeleton: Plan = data["skeleton"]
    plan = replace(skeleton, tasks=LazyTasks(data["rows"]))
    plan._by_unit = data["by_unit"]
    return plan


def _ordinal(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _date(ordinal: int | None) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal is not None else None


_STATE_FIELDS = tuple(TaskState.__dataclass_fields__)
_STATE_DATES = frozenset({"updated", "last_note_date", "done_on", "due", "closed_on"})


def _pack_replay(result: Replay) -> dict[str, Any]:
    states = {tid: tuple(_ordinal(getattr(st, f)) if f in _STATE_DATES else getattr(st, f) for f in _STATE_FIELDS)
              for tid, st in result.states.items()}
    return {"states": states, "undone": result.undone}


class PackedStates(Mapping[int, TaskState]):
    """Task states as the cache keeps them (tuples), made into TaskState objects only when looked up:
    `list --unit` at 10,000 tasks looks at a tenth of them."""

    def __init__(self, packed: dict[int, tuple[Any, ...]]) -> None:
        self._packed = packed
        self._built: dict[int, TaskState] = {}

    def __getitem__(self, task_id: int) -> TaskState:
        state = self._built.get(task_id)
        if state is None:
            row = self._packed[task_id]
            state = object.__new__(TaskState)
            state.__dict__.update(zip(_STATE_FIELDS, row, strict=True))
            for name in _STATE_DATES:
                state.__dict__[name] = _date(state.__dict__[name])
            self._built[task_id] = state
        return state

    def __iter__(self) -> Iterator[int]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


def _unpack_replay(data: dict[str, Any]) -> Replay:
    return Replay(states=PackedStates(data["states"]), undone=set(data["undone"]))


def load_plan(path: Path) -> Plan:
    """The table at `path`, from the cache when the file has not changed."""
    stamp = _stamp(path)
    if stamp is not None and _cache_enabled():
        cache = _cache_file(path, "plan")
        data = _read_trusted(cache, stamp, path)
        if data is not None:
            try:
                return _unpack_plan(data)
            except Exception:  # a cache of another shape: rebuild it
                pass
    from gwgk_cli.table import load_table  # only when the cache cannot serve

    # The content digest is taken before parsing: should the file change in between, the cache
    # holds a newer plan under an older digest, which only costs a parse next time.
    fresh = _freshness(stamp, path) if stamp is not None and _cache_enabled() else None
    plan = load_table(path)
    if fresh is not None:
        _write_cache(cache, {**fresh, **_pack_plan(plan)})
    return plan


def load_task_ids(path: Path) -> tuple[frozenset[int], str]:
    """Only the task ids (and the id range text): what a write needs, without unpickling every task."""
    stamp = _stamp(path)
    if stamp is not None and _cache_enabled():
        data = _read_trusted(_cache_file(path, "ids"), stamp, path)
        if data is not None:
            return data["ids"], data["range"]
    fresh = _freshness(stamp, path) if stamp is not None and _cache_enabled() else None  # before reading
    plan = load_plan(path)
    ids = frozenset(plan.task_ids())
    if fresh is not None:
        _write_cache(_cache_file(path, "ids"), {**fresh, "ids": ids, "range": plan.id_range()})
    return ids, plan.id_range()


@dataclass(slots=True)
class Progress:
    """The journal replayed against a plan."""

    path: Path
    replay: Replay
    warnings: list[JournalWarning] = field(default_factory=list)
    entries: list[Entry] | None = None  # every line (incl. undone and undo entries), when read

    @property
    def states(self) -> Mapping[int, TaskState]:
        return self.replay.states

    def state(self, task_id: int) -> TaskState:
        return self.replay.states.get(task_id) or TaskState()


def load_progress(journal: Path, plan: Plan, *, need_entries: bool = False, as_of: dt.date | None = None
                  ) -> Progress:
    """Replay the journal as of `as_of` (None: after every entry). Cached on the journal's stamp and the
    table's task ids (all a replay depends on); incremental when the journal only grew. The replay after
    every entry answers any reference date on or after the latest entry's date; an earlier one has its
    own cache (the last such date asked for), kept the same way."""
    ids = plan.task_ids()
    jstamp = _stamp(journal)
    # A journal directory (journal_dir, several PCs' files): an uncached merged read for now, until the
    # index covers it. read_entries merges the files; directory_for refuses a file and a directory both.
    from gwgk_cli.journal_dir import directory_for

    if need_entries or jstamp is None or not _cache_enabled() or directory_for(journal) is not None:
        every, problems, _ = read_entries(journal)
        replayed, more = replay(every, ids, str(journal), as_of=as_of)
        return Progress(journal, replayed, problems + more, every)
    key = (plan.path, len(ids), _digest(",".join(map(str, ids)).encode("ascii")))
    if as_of is not None:  # asked before for this date and this very file: that answer holds
        earlier = _cached_replay(journal, ids, key, jstamp, as_of, only_hit=True)
        if earlier is not None:
            return earlier[0]
    found = _cached_replay(journal, ids, key, jstamp, None)
    assert found is not None
    progress, latest = found
    if not _before(as_of, latest):
        return progress
    found = _cached_replay(journal, ids, key, jstamp, as_of)
    assert found is not None
    return found[0]


def _cached_replay(journal: Path, ids: list[int], key: tuple[Any, ...], jstamp: Stamp, as_of: dt.date | None,
                   *, only_hit: bool = False) -> tuple[Progress, dt.date | None] | None:
    """(the replay as of `as_of`, the latest date of the entries in force then), from the cache when it
    is for this very file and date, incrementally when the file only grew, else from the file. With
    `only_hit`, None unless the cache answers as it is."""
    cache = _cache_file(journal, "progress" if as_of is None else "asof")
    data = _read_cache(cache)
    if data is not None and (data.get("plan") != key or data.get("as_of") != as_of):
        data = None
    raw: bytes | OSError | None = None
    if data is not None and data.get("stamp") == jstamp:
        if data.get("racy"):  # see _racy: check the content before trusting the stamp
            raw = _read_bytes(journal)
        if raw is None or (isinstance(raw, bytes) and _digest(raw) == data.get("digest")):
            try:
                progress = Progress(journal, _unpack_replay(data["replay"]), data["warnings"])
            except Exception:  # a cache of another shape: rebuild it
                data = None
            else:
                if raw is not None and not _racy(jstamp):  # checked once more now; no need to check again
                    _write_cache(cache, {**data, "racy": False})
                return progress, data.get("latest")
    if only_hit:
        return None
    if raw is None or isinstance(raw, OSError):
        raw = _read_journal(journal)  # a read error is a JournalError
    grown = _replay_tail(journal, raw, data, ids, as_of) if data is not None else None
    entries: list[Entry] | None = None
    if grown is not None:
        result, warnings, latest = grown
    else:
        entries, warnings = parse_entries(raw, str(journal))
        result, more = replay(entries, ids, str(journal), as_of=as_of)
        warnings += more
        latest = max((e.date for e in entries if as_of is None or e.date <= as_of), default=None)
    _write_cache(cache, {"plan": key, "as_of": as_of, "stamp": jstamp, "racy": _racy(jstamp),
                         "replay": _pack_replay(result), "warnings": warnings, "end": len(raw), "digest": _digest(raw),
                         "lines": raw.count(b"\n"), "latest": latest})
    return Progress(journal, result, warnings, entries), latest


def _before(as_of: dt.date | None, latest: Any) -> bool:
    """Whether the reference date is before the latest entry: the replay after every entry does not
    answer for it."""
    return as_of is not None and isinstance(latest, dt.date) and as_of < latest


def _replay_tail(
    journal: Path, raw: bytes, data: dict[str, Any], ids: list[int], as_of: dt.date | None
) -> tuple[Replay, list[JournalWarning], dt.date | None] | None:
    """Apply only the lines appended since the cached replay; None when the file changed otherwise
    (its old part no longer hashes the same), when an undo in force reaches back into the past, or
    when a new line in force is dated before the latest one. Lines dated after `as_of` are not in force."""
    end = data.get("end")
    if not isinstance(end, int) or not isinstance(data.get("lines"), int):
        return None
    if end == 0 or len(raw) < end or raw[end - 1:end] != b"\n":
        return None
    if _digest(raw[:end]) != data.get("digest"):
        return None
    new, warnings = parse_entries(raw[end:], str(journal), data["lines"] + 1)
    latest = data.get("latest")
    valid = set(ids)
    for entry in new:
        if entry.task not in valid:
            warnings.append(JournalWarning(str(journal), entry.lineno, f"任务 {entry.task} 不在任务表中,此行已忽略"))
    new = [e for e in new if as_of is None or e.date <= as_of]
    if any(e.op == "undo" for e in new):
        return None  # an undo reaches back into the past
    if latest is not None and any(e.date < latest for e in new):
        return None  # a backdated change belongs before others: replay in date order from the start
    try:
        result = _unpack_replay(data["replay"])
    except Exception:
        return None
    for entry in new:
        if entry.task in valid:
            apply(result.states[entry.task], entry)
    dates = [e.date for e in new]
    return result, data["warnings"] + warnings, max([*dates, latest] if latest else dates, default=None)


@dataclass(slots=True)
class Tracker:
    """The plan and its progress for one location, loaded once and on demand. Journal damage never
    stops the tracker: its warnings go to `on_warnings` (the CLI prints them on stderr)."""

    location: Location
    on_warnings: Callable[[list[JournalWarning]], None] | None = None
    as_of: dt.date | None = None  # the reference date (--today): every view is the state as of it
    _plan: Plan | None = None
    _progress: Progress | None = None

    @property
    def plan(self) -> Plan:
        if self._plan is None:
            self._plan = load_plan(self.location.table)
        return self._plan

    @property
    def journal(self) -> Path:
        return self.location.journal

    def progress(self, *, need_entries: bool = False) -> Progress:
        if self._progress is None or (need_entries and self._progress.entries is None):
            self._progress = load_progress(self.journal, self.plan, need_entries=need_entries, as_of=self.as_of)
            if self.on_warnings is not None and self._progress.warnings:
                self.on_warnings(summarize(self._progress.warnings))
        return self._progress
