"""Recording progress: status changes, notes and undo, validated in full before one append."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gwgk_cli.errors import BadValue, UnknownTask
from gwgk_cli.journal import (
    Entry,
    TaskState,
    append_entries,
    new_id,
    now_iso,
    read_entries,
    replay,
    undone_ids,
)
from gwgk_cli.model import Status

# What each verb sets, and which states it may leave.
VERBS: dict[str, Status] = {"start": Status.DOING, "done": Status.DONE, "block": Status.BLOCKED, "reopen": Status.DOING}


def default_user() -> str:
    """--by default: GWGK_USER, else config user.name, else git's user.name, else the login name."""
    from gwgk_cli.config import default_user as user_and_source

    return user_and_source()[0]


def check_when(when: dt.date | None, today: dt.date) -> dt.date:
    if when is None:
        return today
    if when > today:
        raise BadValue(f"--date {when} 晚于参照日期 {today}:不能登记未来的进展")
    return when


def parse_percent(text: str | None) -> int | None:
    if text is None:
        return None
    raw = text.strip().removesuffix("%").removesuffix("%")
    try:
        value = int(raw)
    except ValueError:
        raise BadValue(f"无效的进度 “{text}”(应为 0–100 的整数)") from None
    if not 0 <= value <= 100:
        raise BadValue(f"无效的进度 {value}(应为 0–100 的整数)")
    return value


def require_ids(ids: Iterable[int], valid: frozenset[int], id_range: str) -> list[int]:
    """All-or-nothing: every id must exist, or nothing is written."""
    ids = list(ids)
    if not ids:
        raise BadValue("请给出任务序号")
    missing = [i for i in ids if i not in valid]
    if missing:
        from gwgk_cli.queries import missing_ids_message

        raise UnknownTask(missing_ids_message(missing, id_range))
    return ids


@dataclass(slots=True)
class Outcome:
    written: list[Entry] = field(default_factory=list)
    unchanged: list[tuple[int, Status]] = field(default_factory=list)  # already in that status


def change_status(
    journal: Path,
    states: Mapping[int, TaskState],
    ids: list[int],
    verb: str,
    *,
    by: str,
    when: dt.date,
    note: str = "",
    evidence: str = "",
) -> Outcome:
    """Mark tasks; those already in the target status are reported, not written."""
    target = VERBS[verb]
    if verb == "block" and not note.strip():
        raise BadValue("标记受阻时请用 --note 写明原因")
    if verb in ("start", "block"):
        finished = [i for i in ids if states.get(i, TaskState()).status is Status.DONE]
        if finished:
            which = "、".join(str(i) for i in finished)
            raise BadValue(f"任务 {which} 已完成;如需继续推进,请先用 gwgk reopen {finished[0]} 重新打开")
    outcome = Outcome()
    at = now_iso()
    for task_id in ids:
        current = states.get(task_id, TaskState()).status
        if verb == "reopen" and current not in (Status.DONE, Status.BLOCKED):
            outcome.unchanged.append((task_id, current))
            continue
        if current is target:
            outcome.unchanged.append((task_id, current))
            continue
        outcome.written.append(Entry(
            id=new_id(), at=at, date=when, by=by, task=task_id, op="status", from_status=current,
            to_status=target, note=note.strip(), evidence=evidence.strip(),
        ))
    append_entries(journal, outcome.written)
    return outcome


def add_notes(journal: Path, ids: list[int], text: str, *, by: str, when: dt.date, percent: int | None) -> list[Entry]:
    if not text.strip() and percent is None:
        raise BadValue("进展内容不能为空")
    at = now_iso()
    entries = [Entry(id=new_id(), at=at, date=when, by=by, task=i, op="note", percent=percent, note=text.strip())
               for i in ids]
    append_entries(journal, entries)
    return entries


@dataclass(frozen=True, slots=True)
class Undone:
    entry: Entry  # the change that was reverted
    record: Entry  # the undo entry written
    status_after: Status


def undo_last(journal: Path, valid: frozenset[int], *, by: str, today: dt.date) -> Undone | None:
    """Revert the most recent change still in force, by appending an undo entry (history is kept)."""
    entries, _, _ = read_entries(journal)
    undone = undone_ids(entries)
    live = [e for e in entries if e.op != "undo" and e.id not in undone and e.task in valid]
    if not live:
        return None
    target = live[-1]  # the most recently recorded change still in force
    same_task = [e for e in live[:-1] if e.task == target.task]
    before = replay(same_task, [target.task])[0].states[target.task]
    current = replay([*same_task, target], [target.task])[0].states[target.task].status
    record = Entry(id=new_id(), at=now_iso(), date=today, by=by, task=target.task, op="undo",
                   from_status=current if target.op == "status" else None,
                   to_status=before.status if target.op == "status" else None, undoes=target.id)
    append_entries(journal, [record])
    return Undone(entry=target, record=record, status_after=before.status)
