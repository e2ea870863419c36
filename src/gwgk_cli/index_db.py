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

    from gwgk_cli.journal_entry import Entry

SCHEMA_VERSION = 17  # 2: a task's unit lists in one column; 3: entries.seq (a journal directory's merged order);
# 4: a task and a state each as one separator-joined text (no JSON per task on a read), states.until (the
# state as of a date found by a range test), entries_undone; 5: a review's 退回 no longer sets a state's
# `updated`, a done task stays 100% whatever percent a line carries, and a journal saved as GBK is refused
# where an old index kept its Chinese lines as warnings (the states are replayed again); 6: one rule for
# repeated entry ids (journal_entry.unique): a single file's line repeating an entry (the same id and
# content) is no longer indexed, a directory's entry with an id seen before but other content no longer
# left out; 7: recurring deadlines (每季度, 按月, 每年3月底前 …) are understood, a table's parsed deadlines read again;
# 8: an undo reverts only entries of its own task and never an undo line (state.undone_keys): entries.undone_on
# is recomputed; 9: the undo index covers (undoes, task), which undone() reads (without it SQLite scanned
# every entry: 100 ms at 50,000 lines); 10: deadlines as other offices write them (及时, 按上级要求, 持续推进，12月底前完成…)
# are understood, a table's parsed deadlines read again; 11: of a phrase's dates the plan year's last; 按期, 如期,
# 按…时间节点 not understood; 12: entries keep their `batch` (an index an older version wrote dropped it);
# 13: a 退回's reason is the latest note only until the unit's next change or a 销号 (states keep the unit's
# own note, own_note and own_note_date, to fall back to; the states are replayed again); 14: a 退回 or reopen
# falls back to the unit's percent before the completion (states keep reported_percent; replayed again); 15:
# entries.at, the line's recording time, which a period's report filters on (json_extract over every line of a
# unit's quarter took 20 ms of `report --unit` at 50,000 lines); 16: `signals`, each task's 红黄绿灯 as of a date kept
# (gwgk_cli.flagged); 17: their values checked (CHECK) and the first generation taken at random
APPLICATION_ID = 0x67776B31  # "gwk1"
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE table_file(path TEXT NOT NULL, size INT NOT NULL, mtime_ns INT NOT NULL, ctime_ns INT NOT NULL,
                        racy INT NOT NULL, digest TEXT);
CREATE TABLE tasks(id INTEGER PRIMARY KEY, pos INT NOT NULL, section INT NOT NULL, subsection INT,
                   task TEXT NOT NULL CHECK(typeof(task) = 'text'));
CREATE INDEX tasks_pos ON tasks(pos);
CREATE TABLE task_units(unit TEXT NOT NULL, task INT NOT NULL, lead INT NOT NULL, PRIMARY KEY(unit, task))
    WITHOUT ROWID;
CREATE TABLE sections(pos INT NOT NULL, section INT NOT NULL, subsection INT, title TEXT NOT NULL);
CREATE TABLE journal_files(file INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, offset INT NOT NULL,
                           digest TEXT NOT NULL, lines INT NOT NULL, size INT NOT NULL, mtime_ns INT NOT NULL,
                           ctime_ns INT NOT NULL, racy INT NOT NULL);
CREATE TABLE entries(file INT NOT NULL, lineno INT NOT NULL, id TEXT NOT NULL, task INT NOT NULL,
                     date INT NOT NULL, op TEXT NOT NULL, undoes TEXT, undone_on INT, line TEXT NOT NULL,
                     seq INT NOT NULL, at TEXT NOT NULL, PRIMARY KEY(file, lineno)) WITHOUT ROWID;
CREATE INDEX entries_task ON entries(task, date, at);  -- `at` here: a period's filter reads no row it drops
CREATE INDEX entries_date ON entries(date);
CREATE INDEX entries_id ON entries(id);
CREATE INDEX entries_undoes ON entries(undoes, task) WHERE op = 'undo';  -- covers undone()'s (task, undoes)
CREATE INDEX entries_undone ON entries(undone_on) WHERE undone_on IS NOT NULL;
CREATE TABLE problems(file INT NOT NULL, lineno INT NOT NULL, message TEXT NOT NULL);
CREATE TABLE unknown(file INT NOT NULL, lineno INT NOT NULL, task INT NOT NULL);
CREATE TABLE states(task INT NOT NULL, seq INT NOT NULL, date INT NOT NULL, until INT,
                    state TEXT NOT NULL CHECK(typeof(state) = 'text'), PRIMARY KEY(task, seq)) WITHOUT ROWID;
CREATE TABLE current(task INTEGER PRIMARY KEY, state TEXT NOT NULL CHECK(typeof(state) = 'text'));
CREATE TABLE signals(task INTEGER PRIMARY KEY, signal TEXT NOT NULL CHECK(signal IN ('red', 'yellow', 'green', 'done')),
                      reason TEXT NOT NULL CHECK(typeof(reason) = 'text'),
                      due INT CHECK(due IS NULL OR (typeof(due) = 'integer' AND due BETWEEN 1 AND 3652059)),
                      status TEXT NOT NULL CHECK(status IN ('todo', 'doing', 'done', 'blocked')),
                      status_label TEXT NOT NULL CHECK(typeof(status_label) = 'text'),
                      percent INT CHECK(percent IS NULL OR typeof(percent) = 'integer'),
                      updated INT CHECK(updated IS NULL OR (typeof(updated) = 'integer' AND updated BETWEEN 1 AND 3652059)));
-- the first generation at random: a snapshot's number read from an index since rebuilt matches no later one
INSERT INTO meta VALUES ('generation', abs(random() % 1000000000000));
"""


class Unusable(Exception):
    """The index cannot be used here (a directory of another user, a read-only cache): read the files."""


# --------------------------------------------------------------------------- opening


def _owned(st: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def _private_dir(folder: Path) -> None:
    """The cache directory, created 0700; one that belongs to another user is not used. On Windows it is
    made as its parent (%LOCALAPPDATA%, already the user's own) gives: there mode 0700 means an access list
    of the creator alone, and a first run from an administrator's prompt would lock the user out of it."""
    try:
        folder.mkdir(mode=0o777 if os.name == "nt" else 0o700, parents=True, exist_ok=True)
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
    else:
        # Windows has only the read-only attribute (which would make SQLite refuse every update) to clear.
        windows = os.name == "nt"
        if (not st.st_mode & stat.S_IWRITE) if windows else stat.S_IMODE(st.st_mode) != 0o600:
            try:
                os.chmod(path, stat.S_IREAD | stat.S_IWRITE if windows else 0o600)
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
    use_wal(conn)
    conn.execute("SELECT count(*) FROM journal_files").fetchone()  # reads the schema: a damaged one fails here
    return True


def _empty(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
                and conn.execute("PRAGMA user_version").fetchone()[0] == 0)


def use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL (readers hold one snapshot per command without blocking the writer). SQLite keeps the
    old mode where WAL cannot work (a cache folder on a network drive: WAL needs shared memory); then the
    index is not used and the files are read."""
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise Unusable(f"index: journal mode {mode}, not WAL (a network drive?)")


def _create_schema(conn: sqlite3.Connection) -> bool:
    use_wal(conn)
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


# Rows are read by the ten thousand, and Python's sqlite3 pays for every column fetched: a task and a state
# are each one text, their fields joined by SEP (a unit list's names by NAMES_SEP), split in one call. Dates
# are day ordinals, absent values empty. A task or state whose text holds a separator itself (never seen
# in a real table or journal, but possible) is stored as JSON after the mark JSON_MARK instead.
SEP = "\x1f"
NAMES_SEP = "\x1d"
JSON_MARK = "\x1e"
_CONTROL = (SEP, NAMES_SEP, JSON_MARK)

_STATE_FIELDS = ("status", "percent", "updated", "updated_by", "last_note", "last_note_date", "evidence",
                 "done_on", "blocked_reason", "accepted", "due", "extensions", "closed_on", "returned_note",
                 "own_note", "own_note_date", "reported_percent")
assert tuple(f.name for f in fields(TaskState)) == _STATE_FIELDS, "index: TaskState changed; bump SCHEMA_VERSION"


def _num(n: int | None) -> str:
    return "" if n is None else str(n)


def _day(day: dt.date | None) -> str:
    return "" if day is None else str(day.toordinal())


def encode_state(s: TaskState) -> str:
    """A state as one text (StateDecoder reads it)."""
    accepted = [[u, d.toordinal()] for u, d in s.accepted]
    extensions = [[x.date.toordinal(), x.to.toordinal(), x.approved_by, x.reason] for x in s.extensions]
    text = SEP.join((s.status.value, _num(s.percent), _day(s.updated), s.updated_by, s.last_note,
                     _day(s.last_note_date), s.evidence, _day(s.done_on), s.blocked_reason,
                     json.dumps(accepted, ensure_ascii=False) if accepted else "", _day(s.due),
                     json.dumps(extensions, ensure_ascii=False) if extensions else "", _day(s.closed_on),
                     s.returned_note, s.own_note, _day(s.own_note_date), _num(s.reported_percent)))
    if text.count(SEP) == len(_STATE_FIELDS) - 1 and not text.startswith(JSON_MARK):
        return text
    return JSON_MARK + json.dumps([s.status.value, s.percent, ordinal(s.updated), s.updated_by, s.last_note,
                                   ordinal(s.last_note_date), s.evidence, ordinal(s.done_on), s.blocked_reason,
                                   accepted, ordinal(s.due), extensions, ordinal(s.closed_on), s.returned_note,
                                   s.own_note, ordinal(s.own_note_date), s.reported_percent],
                                  ensure_ascii=False)


class _Days(dict[Any, "dt.date | None"]):
    """A day ordinal's text -> the date, each made once ("" -> None)."""

    def __missing__(self, text: str) -> dt.date:
        day = self[text] = dt.date.fromordinal(int(text))
        return day


class _Ints(dict[Any, "int | None"]):
    def __missing__(self, text: str) -> int:
        n = self[text] = int(text)
        return n


class StateDecoder:
    """encode_state's texts made into TaskState objects (one date object per distinct day). A text this
    version does not write (fields missing, an unknown status) raises IndexError/KeyError/ValueError/TypeError:
    damage."""

    def __init__(self) -> None:
        self.days = _Days({"": None})
        self.ints = _Ints({"": None})
        self.status = {s.value: s for s in Status}

    def decode(self, text: str) -> TaskState:
        if text.startswith(JSON_MARK):
            return self._decode_json(text)
        days = self.days
        (status, percent, updated, updated_by, last_note, last_note_date, evidence, done_on, blocked_reason,
         accepted, due, extensions, closed_on, returned_note, own_note, own_note_date, reported) = text.split(SEP)
        return TaskState(
            self.status[status], self.ints[percent], days[updated], updated_by, last_note, days[last_note_date],
            evidence, days[done_on], blocked_reason, _accepted(json.loads(accepted)) if accepted else (), days[due],
            _extensions(json.loads(extensions)) if extensions else (), days[closed_on], returned_note,
            own_note, days[own_note_date], self.ints[reported])

    def _decode_json(self, text: str) -> TaskState:
        v = json.loads(text[1:])
        if not isinstance(v, list) or len(v) != len(_STATE_FIELDS):
            raise ValueError("index: a state that this version does not write")
        return TaskState(
            status=Status(v[0]), percent=v[1], updated=day_of(v[2]), updated_by=v[3], last_note=v[4],
            last_note_date=day_of(v[5]), evidence=v[6], done_on=day_of(v[7]), blocked_reason=v[8],
            accepted=_accepted(v[9]), due=day_of(v[10]), extensions=_extensions(v[11]), closed_on=day_of(v[12]),
            returned_note=v[13], own_note=v[14], own_note_date=day_of(v[15]), reported_percent=v[16])


def _accepted(v: list[Any]) -> tuple[tuple[str, dt.date], ...]:
    return tuple((u, dt.date.fromordinal(d)) for u, d in v)


def _extensions(v: list[Any]) -> tuple[Extension, ...]:
    return tuple(Extension(dt.date.fromordinal(a), dt.date.fromordinal(b), c, r) for a, b, c, r in v)


def decode_state(text: str) -> TaskState:
    return StateDecoder().decode(text)


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


def encode_task(t: Task) -> str:
    """A task (all but its id) as one text (TaskBuilder reads it)."""
    names = (*t.units, *t.units_written, *t.leads)
    lists = [NAMES_SEP.join(x) for x in (t.units, t.units_written, t.leads)]
    text = SEP.join((_num(t.section), _num(t.subsection), t.title, t.requirement, *lists, t.deadline.phrase,
                     _day(t.deadline.due), "1" if t.deadline.ongoing else "", t.notice_progress or ""))
    if (text.count(SEP) == 10 and not text.startswith(JSON_MARK) and t.notice_progress != ""
            and all(n and not any(c in n for c in _CONTROL) for n in names)):
        return text
    return JSON_MARK + json.dumps([t.section, t.subsection, t.title, t.requirement, t.units, t.units_written, t.leads,
                                   t.deadline.phrase, ordinal(t.deadline.due), t.deadline.ongoing, t.notice_progress],
                                  ensure_ascii=False)


def task_row(pos: int, t: Task) -> tuple[Any, ...]:
    return (t.id, pos, t.section, t.subsection, encode_task(t))


TASK_COLUMNS = "tasks.id, tasks.task"
TASK_WIDTH = 2  # the number of TASK_COLUMNS


class _Names(dict[Any, tuple[str, ...]]):
    """A unit list's text -> its names, each list split once."""

    def __missing__(self, text: str) -> tuple[str, ...]:
        names = self[text] = tuple(text.split(NAMES_SEP)) if text else ()
        return names


class TaskBuilder:
    """Rows of `tasks` (TASK_COLUMNS) made into Task objects; one Deadline object per distinct deadline. A
    text this version does not write raises ValueError/TypeError/IndexError: damage."""

    def __init__(self) -> None:
        self.deadlines: dict[tuple[str, str, str], Deadline] = {}
        self.names = _Names()
        self.ints = _Ints({"": None})
        self.days = _Days({"": None})

    def build(self, row: Sequence[Any]) -> Task:
        text = row[1]
        if text.startswith(JSON_MARK):
            return self._build_json(row[0], text)
        section, subsection, title, requirement, units, written, leads, phrase, due, ongoing, progress = \
            text.split(SEP)
        key = (phrase, due, ongoing)
        deadline = self.deadlines.get(key)
        if deadline is None:
            deadline = self.deadlines[key] = Deadline(phrase, self.days[due], bool(ongoing))
        names = self.names
        ints = self.ints
        return Task(row[0], int(section), ints[subsection], title, requirement, names[units], names[written],
                    names[leads], deadline, progress or None)

    def heading(self, text: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
        """(title, units, leads, deadline phrase) of a task's text, without building the task."""
        if text.startswith(JSON_MARK):
            task = self._build_json(0, text)
            return task.title, task.units, task.leads, task.deadline.phrase
        fields = text.split(SEP)
        names = self.names
        return fields[2], names[fields[4]], names[fields[6]], fields[7]

    def _build_json(self, ident: int, text: str) -> Task:
        v = json.loads(text[1:])
        if not isinstance(v, list) or len(v) != 11 or not all(
                isinstance(x, list) and all(isinstance(n, str) for n in x) for x in v[4:7]):
            raise ValueError("index: a task that this version does not write")
        return Task(ident, v[0], v[1], v[2], v[3], tuple(v[4]), tuple(v[5]), tuple(v[6]),
                    Deadline(v[7], day_of(v[8]), bool(v[9])), v[10])

class _IsoDays(dict[str, dt.date]):
    def __missing__(self, text: str) -> dt.date:
        day = self[text] = dt.date.fromisoformat(text)
        return day


class EntryDecoder:
    """Indexed journal lines made into Entry objects without journal.parse_line's checks. The index stores
    a line only after parse_line accepted it, and stores it as Entry.to_json writes it (known keys only,
    nothing empty or null), so here it is trusted: the same Entry, field for field (the tests compare
    both). Dates are decoded once per distinct day."""

    def __init__(self) -> None:
        from gwgk_cli.journal_entry import Entry

        self.entry = Entry
        self.days = _IsoDays()
        self.status = {s.value: s for s in Status}

    def decode(self, line: str, lineno: int) -> Entry:
        """`line`: the text the index stores (Entry.to_json)."""
        d = json.loads(line)
        get = d.get
        status = self.status
        f, t, due = get("from"), get("to"), get("due")
        return self.entry(
            id=d["id"], at=get("at") or "", date=self.days[d["date"]], by=get("by") or "", task=d["task"], op=d["op"],
            from_status=status[f] if f else None, to_status=status[t] if t else None, percent=get("percent"),
            note=get("note") or "", evidence=get("evidence") or "", undoes=get("undoes") or "", unit=get("unit") or "",
            due=self.days[due] if due else None, approved_by=get("approved_by") or "", result=get("result") or "",
            source=get("source") or "", batch=get("batch") or "", lineno=lineno)
