"""The index's file and rows: opening the SQLite file privately (or rebuilding what is there when it is not
ours), the schema, and how plans and task states are written as rows. gwgk_cli.index uses it."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwgk_cli.deadlines import Deadline
from gwgk_cli.model import Plan, Status, Task
from gwgk_cli.state import Extension, TaskState

if TYPE_CHECKING:
    import sqlite3

    from gwgk_cli.journal import Entry

SCHEMA_VERSION = 4  # 2: a task's unit lists in one column; 3: entries.seq (a journal directory's merged order);
# 4: a task's unit lists as separator-joined text, a state as columns (no JSON per task on a read),
# states.until (the state as of a date found by a range test), entries_undone
APPLICATION_ID = 0x67776B31  # "gwk1"
BUSY_TIMEOUT_MS = 30_000

# A task's state as columns (TaskState's fields in order): dates as day ordinals, the two lists (rare) as JSON
# text, NULL when empty.
_STATE_SQL = ("status TEXT NOT NULL, percent INT, updated INT, updated_by TEXT NOT NULL, last_note TEXT NOT NULL, "
              "last_note_date INT, evidence TEXT NOT NULL, done_on INT, blocked_reason TEXT NOT NULL, accepted TEXT, "
              "due INT, extensions TEXT, closed_on INT, returned_note TEXT NOT NULL")
STATE_COLUMNS = ", ".join(part.split()[0] for part in _STATE_SQL.split(", "))

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE table_file(path TEXT NOT NULL, size INT NOT NULL, mtime_ns INT NOT NULL, ctime_ns INT NOT NULL,
                        racy INT NOT NULL, digest TEXT);
CREATE TABLE tasks(id INTEGER PRIMARY KEY, pos INT NOT NULL, section INT NOT NULL, subsection INT,
                   title TEXT NOT NULL, requirement TEXT NOT NULL, units TEXT, written TEXT, leads TEXT,
                   phrase TEXT NOT NULL, due INT, ongoing INT NOT NULL, notice_progress TEXT);
CREATE INDEX tasks_pos ON tasks(pos);
CREATE TABLE task_units(unit TEXT NOT NULL, task INT NOT NULL, lead INT NOT NULL, PRIMARY KEY(unit, task))
    WITHOUT ROWID;
CREATE TABLE sections(pos INT NOT NULL, section INT NOT NULL, subsection INT, title TEXT NOT NULL);
CREATE TABLE journal_files(file INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, offset INT NOT NULL,
                           digest TEXT NOT NULL, lines INT NOT NULL, size INT NOT NULL, mtime_ns INT NOT NULL,
                           ctime_ns INT NOT NULL, racy INT NOT NULL);
CREATE TABLE entries(file INT NOT NULL, lineno INT NOT NULL, id TEXT NOT NULL, task INT NOT NULL,
                     date INT NOT NULL, op TEXT NOT NULL, undoes TEXT, undone_on INT, line TEXT NOT NULL,
                     seq INT NOT NULL, PRIMARY KEY(file, lineno)) WITHOUT ROWID;
CREATE INDEX entries_task ON entries(task, date);
CREATE INDEX entries_date ON entries(date);
CREATE INDEX entries_id ON entries(id);
CREATE INDEX entries_undoes ON entries(undoes) WHERE op = 'undo';
CREATE INDEX entries_undone ON entries(undone_on) WHERE undone_on IS NOT NULL;
CREATE TABLE problems(file INT NOT NULL, lineno INT NOT NULL, message TEXT NOT NULL);
CREATE TABLE unknown(file INT NOT NULL, lineno INT NOT NULL, task INT NOT NULL);
CREATE TABLE states(task INT NOT NULL, seq INT NOT NULL, date INT NOT NULL, until INT, {state},
                    PRIMARY KEY(task, seq)) WITHOUT ROWID;
CREATE TABLE current(task INTEGER PRIMARY KEY, {state});
""".replace("{state}", _STATE_SQL)


class Unusable(Exception):
    """The index cannot be used here (a directory of another user, a read-only cache): read the files."""


# --------------------------------------------------------------------------- opening


def _owned(st: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def _private_dir(folder: Path) -> None:
    """The cache directory, created 0700; one that belongs to another user is not used."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError as exc:
        raise Unusable(str(exc)) from None
    if not stat.S_ISDIR(st.st_mode) or not _owned(st):
        raise Unusable(f"{folder}: not our directory")
    if os.name != "nt" and stat.S_IMODE(st.st_mode) & 0o077:
        try:
            os.chmod(folder, 0o700)
        except OSError as exc:
            raise Unusable(str(exc)) from None


def remove_file(path: Path) -> None:
    """Delete whatever is at an index path (and its WAL files): it is rebuilt from the files."""
    import shutil

    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink(missing_ok=True)
        except OSError as exc:
            raise Unusable(str(exc)) from None


def _create_private(path: Path) -> None:
    """An empty file at `path`, 0600, unless one is there already."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise Unusable(str(exc)) from None
    os.close(fd)


def _check_file(path: Path) -> None:
    """Remove anything at the index path that is not a regular file of ours with mode 0600."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise Unusable(str(exc)) from None
    if not stat.S_ISREG(st.st_mode) or not _owned(st):
        remove_file(path)
    elif os.name != "nt" and stat.S_IMODE(st.st_mode) != 0o600:
        try:
            os.chmod(path, 0o600)
        except OSError as exc:
            raise Unusable(str(exc)) from None


def connect(path: Path) -> sqlite3.Connection:
    """Our database at `path`, created or rebuilt when what is there is not it."""
    import sqlite3

    _private_dir(path.parent)
    for attempt in range(2):
        _check_file(path)
        _create_private(path)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if _schema_ok(conn) or (_empty(conn) and _create_schema(conn)):
                conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable enough for a rebuildable index
                return conn
        except sqlite3.DatabaseError:  # not a database, or a damaged one
            pass
        conn.close()
        if attempt == 0:
            remove_file(path)
    raise Unusable(f"{path}: cannot create the index")


def _schema_ok(conn: sqlite3.Connection) -> bool:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    if (version, app) != (SCHEMA_VERSION, APPLICATION_ID):
        return False
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("SELECT count(*) FROM journal_files").fetchone()  # reads the schema: a damaged one fails here
    return True


def _empty(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
                and conn.execute("PRAGMA user_version").fetchone()[0] == 0)


def _create_schema(conn: sqlite3.Connection) -> bool:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _empty(conn):  # another process may have created it meanwhile
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return _schema_ok(conn)


# --------------------------------------------------------------------------- encoding


def ordinal(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def day_of(n: int | None) -> dt.date | None:
    return dt.date.fromordinal(n) if n is not None else None


_STATE_FIELDS = ("status", "percent", "updated", "updated_by", "last_note", "last_note_date", "evidence",
                 "done_on", "blocked_reason", "accepted", "due", "extensions", "closed_on", "returned_note")
assert tuple(f.name for f in fields(TaskState)) == _STATE_FIELDS, "index: TaskState changed; bump SCHEMA_VERSION"
assert STATE_COLUMNS == ", ".join(_STATE_FIELDS)


def encode_state(s: TaskState) -> tuple[Any, ...]:
    """A state as the values of STATE_COLUMNS."""
    return (s.status.value, s.percent, ordinal(s.updated), s.updated_by, s.last_note, ordinal(s.last_note_date),
            s.evidence, ordinal(s.done_on), s.blocked_reason,
            json.dumps([[u, d.toordinal()] for u, d in s.accepted], ensure_ascii=False) if s.accepted else None,
            ordinal(s.due),
            json.dumps([[x.date.toordinal(), x.to.toordinal(), x.approved_by, x.reason] for x in s.extensions],
                       ensure_ascii=False) if s.extensions else None,
            ordinal(s.closed_on), s.returned_note)


class StateDecoder:
    """Rows of STATE_COLUMNS made into TaskState objects (one date object per distinct day). A value this
    version does not write (an unknown status, a wrong type) raises KeyError/TypeError/ValueError: damage."""

    def __init__(self) -> None:
        self.days: dict[int, dt.date] = {}
        self.status = {s.value: s for s in Status}

    def day(self, n: int | None) -> dt.date | None:
        if n is None:
            return None
        day = self.days.get(n)
        if day is None:
            day = self.days[n] = dt.date.fromordinal(n)
        return day

    def decode(self, v: Sequence[Any]) -> TaskState:
        """v: the STATE_COLUMNS values (a row, or a row's tail from `offset` with decode_at)."""
        return self.decode_at(v, 0)

    def decode_at(self, v: Sequence[Any], i: int) -> TaskState:
        day = self.day
        accepted = v[i + 9]
        extensions = v[i + 11]
        return TaskState(
            self.status[v[i]], v[i + 1], day(v[i + 2]), _text(v[i + 3]), _text(v[i + 4]), day(v[i + 5]),
            _text(v[i + 6]), day(v[i + 7]), _text(v[i + 8]),
            tuple((u, dt.date.fromordinal(d)) for u, d in json.loads(accepted)) if accepted is not None else (),
            day(v[i + 10]),
            tuple(Extension(dt.date.fromordinal(a), dt.date.fromordinal(b), c, r) for a, b, c, r in json.loads(extensions))
            if extensions is not None else (),
            day(v[i + 12]), _text(v[i + 13]))


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"index: text expected, found {type(value).__name__}")
    return value


def decode_state(row: Sequence[Any]) -> TaskState:
    return StateDecoder().decode(row)


def to_json_value(value: Any) -> Any:
    """Settings and source as JSON: dates (YAML has them) tagged so they come back as dates."""
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def from_json_value(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return dt.date.fromisoformat(value["$date"])
        if set(value) == {"$datetime"}:
            return dt.datetime.fromisoformat(value["$datetime"])
        return {k: from_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json_value(v) for v in value]
    return value


def encode_header(plan: Plan) -> str:
    return json.dumps({
        "schema_version": plan.schema_version, "title": plan.title, "issuer": plan.issuer,
        "published": plan.published.isoformat(), "year": plan.year,
        "units": [[u.name, list(u.aliases), u.collective, list(u.email)] for u in plan.units],
        "notice_title": plan.notice_title, "settings": to_json_value(plan.settings), "source": to_json_value(plan.source),
        "repairs": [[r.task, r.field, r.scraped, r.restored, r.note] for r in plan.repairs],
    }, ensure_ascii=False)


SEP = "\x1f"  # the unit separator, between the names of a task's unit list
_JSON_LIST = "\x1e"  # a list holding the separator itself (never in a real table) is stored as this + JSON


def encode_names(names: Sequence[str]) -> str | None:
    """A unit list as one text: NULL when empty, else the names joined by SEP."""
    if not names:
        return None
    if any(SEP in n or n.startswith(_JSON_LIST) for n in names):
        return _JSON_LIST + json.dumps(list(names), ensure_ascii=False)
    return SEP.join(names)


def decode_names(text: str | None) -> tuple[str, ...]:
    if text is None:
        return ()
    if type(text) is not str:
        raise TypeError("index: a unit list that this version does not write")
    if text.startswith(_JSON_LIST):
        names = json.loads(text[1:])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("index: a unit list that this version does not write")
        return tuple(names)
    return tuple(text.split(SEP))


def task_row(pos: int, t: Task) -> tuple[Any, ...]:
    """The unit lists (units, as written, leads) as separator-joined text: no JSON parse per task."""
    return (t.id, pos, t.section, t.subsection, t.title, t.requirement, encode_names(t.units),
            encode_names(t.units_written), encode_names(t.leads), t.deadline.phrase, ordinal(t.deadline.due),
            int(t.deadline.ongoing), t.notice_progress)


TASK_COLUMNS = ("tasks.id, tasks.section, tasks.subsection, tasks.title, tasks.requirement, tasks.units, "
                "tasks.written, tasks.leads, tasks.phrase, tasks.due, tasks.ongoing, tasks.notice_progress")
TASK_WIDTH = 12  # the number of TASK_COLUMNS


class TaskBuilder:
    """Rows of `tasks` (TASK_COLUMNS) made into Task objects; one Deadline object per distinct deadline."""

    def __init__(self) -> None:
        self.deadlines: dict[tuple[str, int | None, int], Deadline] = {}

    def build(self, row: Sequence[Any]) -> Task:
        key = (row[8], row[9], row[10])
        deadline = self.deadlines.get(key)
        if deadline is None:
            deadline = self.deadlines[key] = Deadline(row[8], day_of(row[9]), bool(row[10]))
        return Task(row[0], row[1], row[2], row[3], row[4], decode_names(row[5]), decode_names(row[6]),
                    decode_names(row[7]), deadline, row[11])


_ENTRY_FIELDS = ("id", "at", "date", "by", "task", "op", "from_status", "to_status", "percent", "note", "evidence",
                 "undoes", "unit", "due", "approved_by", "result", "source", "lineno", "origin", "origin_line")


class EntryDecoder:
    """Indexed journal lines made into Entry objects without journal.parse_line's checks: a line is indexed
    only after parse_line accepted it, so here it is trusted (the same Entry, field for field: the tests
    compare both). Dates are decoded once per distinct day."""

    def __init__(self) -> None:
        from gwgk_cli.journal import Entry

        self.entry = Entry
        # Entry is a frozen dataclass whose __init__ sets every field through object.__setattr__; filling its
        # __dict__ directly is five times faster. Only while Entry is exactly what this code knows.
        self.fast = "__slots__" not in Entry.__dict__ and tuple(f.name for f in fields(Entry)) == _ENTRY_FIELDS
        self.days: dict[str, dt.date] = {}
        self.status = {s.value: s for s in Status}

    def day(self, text: str | None) -> dt.date | None:
        if not text:
            return None
        day = self.days.get(text)
        if day is None:
            day = self.days[text] = dt.date.fromisoformat(text)
        return day

    def decode(self, line: str, lineno: int) -> Entry:
        d = json.loads(line)
        get = d.get
        status = self.status
        f, t = get("from"), get("to")
        values = {
            "id": d["id"], "at": get("at") or "", "date": self.day(d["date"]), "by": get("by") or "",
            "task": d["task"], "op": d["op"], "from_status": status[f] if f else None,
            "to_status": status[t] if t else None, "percent": get("percent"), "note": get("note") or "",
            "evidence": get("evidence") or "", "undoes": get("undoes") or "", "unit": get("unit") or "",
            "due": self.day(get("due")), "approved_by": get("approved_by") or "", "result": get("result") or "",
            "source": get("source") or "", "lineno": lineno, "origin": "", "origin_line": 0,
        }
        if not self.fast:
            return self.entry(**values)  # type: ignore[arg-type]
        entry = object.__new__(self.entry)
        entry.__dict__.update(values)
        return entry
