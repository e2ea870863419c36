"""Storage: the progress journal, an append-only JSON Lines file beside the task table.

One change per line, UTF-8, human-readable (`ensure_ascii=False`):

    {"id":"9f1c2b7a0d3e","at":"2021-11-22T09:30:00+08:00","date":"2021-11-22","by":"张三","task":4,"op":"status","from":"todo","to":"doing","note":"已启动"}

`op` is `status` (from/to), `note` (note, percent) or `undo` (undoes: the id of the entry it reverts).
Current status is derived by replaying the lines in file order; undone entries are skipped. The file
is never rewritten: an append is one write of whole lines under a lock, so concurrent writers lose
nothing and `git merge` with `merge=union` keeps both sides' lines.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gwgk_cli.errors import JournalError
from gwgk_cli.model import Status

OPS = ("status", "note", "undo")


@dataclass(frozen=True)
class Entry:
    id: str
    at: str  # when it was recorded (ISO date-time with offset)
    date: dt.date  # when it happened (--date), never later than the day it was recorded
    by: str
    task: int
    op: str
    from_status: Status | None = None
    to_status: Status | None = None
    percent: int | None = None
    note: str = ""
    evidence: str = ""
    undoes: str = ""
    lineno: int = 0
    source: str = ""  # where it came from when not typed (a 填报表: gwgk_cli.sheets.layout.format_source)

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "id": self.id,
            "at": self.at,
            "date": self.date.isoformat(),
            "by": self.by,
            "task": self.task,
            "op": self.op,
        }
        if self.from_status is not None:
            data["from"] = self.from_status.value
        if self.to_status is not None:
            data["to"] = self.to_status.value
        if self.percent is not None:
            data["percent"] = self.percent
        if self.note:
            data["note"] = self.note
        if self.evidence:
            data["evidence"] = self.evidence
        if self.undoes:
            data["undoes"] = self.undoes
        if self.source:
            data["source"] = self.source
        import json

        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class JournalWarning:
    path: str
    lineno: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.lineno}: {self.message}"


@dataclass
class TaskState:
    """What the journal says about one task now."""

    status: Status = Status.TODO
    percent: int | None = None
    updated: dt.date | None = None  # date of the last change (status or note)
    updated_by: str = ""
    last_note: str = ""
    last_note_date: dt.date | None = None
    evidence: str = ""
    done_on: dt.date | None = None


@dataclass
class Replay:
    states: Mapping[int, TaskState] = field(default_factory=dict)
    undone: set[str] = field(default_factory=set)  # ids of entries an undo has reverted


def new_id() -> str:
    import secrets

    return secrets.token_hex(6)


def now_iso() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def parse_line(line: str, lineno: int = 0) -> Entry:
    """One journal line -> Entry; ValueError with a Chinese reason when the line is not valid."""
    import json  # here, not at the top: a cached run never parses the journal

    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"不是完整的 JSON 行 ({exc.msg},第 {exc.colno} 列)") from None
    if not isinstance(data, dict):
        raise ValueError("应为 JSON 对象")
    try:
        op = data["op"]
        if op not in OPS:
            raise ValueError(f"未知操作 {op!r}")
        task = data["task"]
        if isinstance(task, bool) or not isinstance(task, int):
            raise ValueError(f"task 应为整数,实际是 {task!r}")
        if op == "status" and not data.get("to"):
            raise ValueError("状态变更缺少 to")
        if op == "undo" and not data.get("undoes"):
            raise ValueError("撤销记录缺少 undoes")
        percent = data.get("percent")
        if percent is not None and (isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100):
            raise ValueError(f"percent 应为 0–100 的整数,实际是 {percent!r}")
        return Entry(
            id=str(data["id"]),
            at=str(data.get("at", "")),
            date=dt.date.fromisoformat(str(data["date"])),
            by=str(data.get("by", "")),
            task=task,
            op=op,
            from_status=Status(data["from"]) if data.get("from") else None,
            to_status=Status(data["to"]) if data.get("to") else None,
            percent=percent,
            note=str(data.get("note") or ""),
            evidence=str(data.get("evidence") or ""),
            undoes=str(data.get("undoes") or ""),
            lineno=lineno,
            source=str(data.get("source") or ""),
        )
    except KeyError as exc:
        raise ValueError(f"缺少字段 {exc.args[0]!r}") from None
    except ValueError as exc:
        raise ValueError(str(exc) if str(exc) else "取值无效") from None


def read_entries(path: Path) -> tuple[list[Entry], list[JournalWarning], bytes]:
    """Read the whole journal; return (entries, warnings, the bytes read). A missing journal is empty."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], [], b""
    except OSError as exc:
        return [], [JournalWarning(str(path), 0, f"无法读取进展记录: {exc.strerror}")], b""
    entries, warnings = parse_entries(data, str(path))
    return entries, warnings, data


def parse_entries(data: bytes, path: str, first_lineno: int = 1) -> tuple[list[Entry], list[JournalWarning]]:
    """Parse journal bytes. A line that is not valid (a truncated last line after a crash, a hand edit
    gone wrong) is reported with its line number and skipped; every good line is kept."""
    entries: list[Entry] = []
    warnings: list[JournalWarning] = []
    if first_lineno == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # saved by an editor that adds a UTF-8 BOM (Notepad): not part of the first line
    lines = data.split(b"\n")
    for i, raw in enumerate(lines):
        lineno = first_lineno + i
        if not raw.strip():
            continue
        try:
            entry = parse_line(raw.decode("utf-8"), lineno)
        except UnicodeDecodeError:
            warnings.append(JournalWarning(path, lineno, "不是 UTF-8 文本,已跳过此行"))
            continue
        except ValueError as exc:
            why = "最后一行不完整(可能写入时中断)" if i == len(lines) - 1 else "此行无效"
            warnings.append(JournalWarning(path, lineno, f"{why}: {exc},已跳过"))
            continue
        entries.append(entry)
    return entries, warnings


def chronological(entries: Iterable[Entry]) -> list[Entry]:
    """The order changes happened in: by date (--date backdates), then by line."""
    return sorted(entries, key=lambda e: (e.date, e.lineno))


def undone_ids(entries: Iterable[Entry]) -> set[str]:
    """Ids of the entries an undo has reverted."""
    return {e.undoes for e in entries if e.op == "undo" and e.undoes}


def replay(entries: Iterable[Entry], task_ids: Iterable[int], path: str = "") -> tuple[Replay, list[JournalWarning]]:
    """Derive every task's current state from the journal entries, in the order they happened
    (a change recorded later with an earlier --date takes its place in time, not at the end)."""
    entries = list(entries)
    valid = set(task_ids)
    warnings: list[JournalWarning] = []
    result = Replay(states={tid: TaskState() for tid in valid})
    result.undone = undone_ids(entries)
    for entry in chronological(entries):
        if entry.task not in valid:
            warnings.append(JournalWarning(path, entry.lineno, f"任务 {entry.task} 不在任务表中,此行已忽略"))
            continue
        if entry.op == "undo" or entry.id in result.undone:
            continue
        apply(result.states[entry.task], entry)
    return result, warnings


def apply(state: TaskState, entry: Entry) -> None:
    if state.updated is None or entry.date >= state.updated:
        state.updated = entry.date
        state.updated_by = entry.by
    if entry.op == "status" and entry.to_status is not None:
        state.status = entry.to_status
        if entry.to_status is Status.DONE:
            state.done_on = entry.date
            state.percent = 100
        else:
            state.done_on = None
            if state.percent == 100:
                state.percent = None
    if entry.op == "note" and state.status is Status.TODO:
        state.status = Status.DOING  # a progress note means the work has started
    if entry.percent is not None:
        state.percent = entry.percent
    if entry.note:
        state.last_note = entry.note
        state.last_note_date = entry.date
    if entry.evidence:
        state.evidence = entry.evidence


def append_entries(path: Path, entries: Iterable[Entry]) -> None:
    """Append whole lines under a lock: one write, flushed and synced before the lock is released."""
    from filelock import FileLock, Timeout

    payload = "".join(e.to_json() + "\n" for e in entries).encode("utf-8")
    if not payload:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path) + ".lock", timeout=30)
        with lock:
            with path.open("ab") as fh:
                if fh.tell() > 0 and not _ends_with_newline(path):
                    # A crash left a partial last line: start ours on a fresh line so both stay separate.
                    payload = b"\n" + payload
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
    except Timeout:
        raise JournalError(f"{path}: 等待写入锁超时(另一个 gwgk 正在写入?)") from None
    except OSError as exc:
        raise JournalError(f"{path}: 无法写入进展记录: {exc.strerror}") from None


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def history(entries: Iterable[Entry]) -> list[Entry]:
    """Every entry, newest first: the replay order, reversed."""
    return chronological(entries)[::-1]


def entry_record(entry: Entry, titles: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The JSON shape of one history entry (gwgk log --format json)."""
    return {
        "id": entry.id,
        "at": entry.date.isoformat(),
        "recorded_at": entry.at,
        "by": entry.by,
        "task": entry.task,
        "title": (titles or {}).get(entry.task, ""),
        "op": entry.op,
        "from": entry.from_status.value if entry.from_status else None,
        "to": entry.to_status.value if entry.to_status else None,
        "percent": entry.percent,
        "note": entry.note,
        "evidence": entry.evidence or None,
        "undoes": entry.undoes or None,
    }
