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

SCHEMA_VERSION = 3  # 2: a task's unit lists in one column; 3: entries.seq (a journal directory's merged order)
APPLICATION_ID = 0x67776B31  # "gwk1"
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE table_file(path TEXT NOT NULL, size INT NOT NULL, mtime_ns INT NOT NULL, ctime_ns INT NOT NULL,
                        racy INT NOT NULL, digest TEXT);
CREATE TABLE tasks(id INTEGER PRIMARY KEY, pos INT NOT NULL, section INT NOT NULL, subsection INT,
                   title TEXT NOT NULL, requirement TEXT NOT NULL, units TEXT NOT NULL, phrase TEXT NOT NULL,
                   due INT, ongoing INT NOT NULL, notice_progress TEXT);
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
CREATE TABLE problems(file INT NOT NULL, lineno INT NOT NULL, message TEXT NOT NULL);
CREATE TABLE unknown(file INT NOT NULL, lineno INT NOT NULL, task INT NOT NULL);
CREATE TABLE states(task INT NOT NULL, seq INT NOT NULL, date INT NOT NULL, state TEXT NOT NULL,
                    PRIMARY KEY(task, seq)) WITHOUT ROWID;
CREATE TABLE current(task INTEGER PRIMARY KEY, state TEXT NOT NULL);
"""


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


def encode_state(s: TaskState) -> str:
    return json.dumps([s.status.value, s.percent, ordinal(s.updated), s.updated_by, s.last_note, ordinal(s.last_note_date),
                       s.evidence, ordinal(s.done_on), s.blocked_reason, [[u, d.toordinal()] for u, d in s.accepted],
                       ordinal(s.due), [[x.date.toordinal(), x.to.toordinal(), x.approved_by, x.reason]
                                     for x in s.extensions], ordinal(s.closed_on), s.returned_note],
                      ensure_ascii=False, separators=(",", ":"))


def decode_state(text: str) -> TaskState:
    v = json.loads(text)
    return TaskState(
        status=Status(v[0]), percent=v[1], updated=day_of(v[2]), updated_by=v[3], last_note=v[4],
        last_note_date=day_of(v[5]), evidence=v[6], done_on=day_of(v[7]), blocked_reason=v[8],
        accepted=tuple((u, dt.date.fromordinal(d)) for u, d in v[9]), due=day_of(v[10]),
        extensions=tuple(Extension(dt.date.fromordinal(a), dt.date.fromordinal(b), c, r) for a, b, c, r in v[11]),
        closed_on=day_of(v[12]), returned_note=v[13])


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


def task_row(pos: int, t: Task) -> tuple[Any, ...]:
    """units: [units, units as written, leads] in one JSON text (one parse a task)."""
    return (t.id, pos, t.section, t.subsection, t.title, t.requirement,
            json.dumps([t.units, t.units_written, t.leads], ensure_ascii=False, separators=(",", ":")),
            t.deadline.phrase, ordinal(t.deadline.due), int(t.deadline.ongoing), t.notice_progress)


TASK_COLUMNS = "id, section, subsection, title, requirement, units, phrase, due, ongoing, notice_progress"


class TaskBuilder:
    """Rows of `tasks` made into Task objects; one Deadline object per distinct deadline."""

    def __init__(self) -> None:
        self.deadlines: dict[tuple[str, int | None, int], Deadline] = {}

    def build(self, row: Sequence[Any]) -> Task:
        key = (row[6], row[7], row[8])
        deadline = self.deadlines.get(key)
        if deadline is None:
            deadline = self.deadlines[key] = Deadline(row[6], day_of(row[7]), bool(row[8]))
        units, written, leads = json.loads(row[5])
        return Task(row[0], row[1], row[2], row[3], row[4], tuple(units), tuple(written), tuple(leads), deadline,
                    row[9])
