"""Model: what the journal's changes make of each task, as of a date.

The state of the tracker as of a date D (`--today`) is the replay of the changes in force on D: those
dated on or before D, in date order (then file order), less the changes an undo dated on or before D
reverts. Every view (list, show, warn, check, log, report, export) derives from this one replay.
The journal file format (Entry, reading, appending) stays in journal.py; this module reads only the
entries' fields (Entry is imported for the types), and asks journal_entry.warning_at where a warning about an
entry for an unknown task points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from gwgk_cli.model import Status

if TYPE_CHECKING:
    from gwgk_cli.journal_entry import Entry, JournalWarning


@dataclass
class TaskState:
    """What the journal says about one task as of a date."""

    status: Status = Status.TODO
    percent: int | None = None
    updated: dt.date | None = None  # date of the unit's last change (status or note; not a 督办 step)
    updated_by: str = ""
    last_note: str = ""
    last_note_date: dt.date | None = None
    evidence: str = ""
    done_on: dt.date | None = None
    blocked_reason: str = ""  # why it is blocked, kept until it is unblocked (a later note does not replace it)
    accepted: tuple[tuple[str, dt.date], ...] = ()  # 签收: (unit, date), in the order they acknowledged
    due: dt.date | None = None  # 延期: the last one's date, approved or not (signals.due_in_force: the date in force)
    extensions: tuple[Extension, ...] = ()  # every extension, in the order they happened
    closed_on: dt.date | None = None  # 审核销号: the day a reviewer closed the finished task
    returned_note: str = ""  # 退回: why a review sent it back, while that is the latest word (see apply)
    own_note: str = ""  # the unit's own latest note (never a 退回's reason): last_note once a 退回 is history
    own_note_date: dt.date | None = None
    reported_percent: int | None = None  # the unit's percent before a completion made it 100: back after a 退回

    def accepted_by(self, unit: str) -> bool:
        return any(name == unit for name, _ in self.accepted)


@dataclass(frozen=True, slots=True)
class Extension:
    """One 延期: recorded on `date`, the task is due on `to`; approved when `approved_by` is named."""

    date: dt.date
    to: dt.date
    approved_by: str
    reason: str


class Replay(NamedTuple):
    """Every task's state, and the (task, id) of the entries an undo in force has reverted (a NamedTuple: a
    dataclass costs start-up time, and this one is only handed on)."""

    states: Mapping[int, TaskState]
    undone: set[tuple[int, str]]  # (task, id) an undo in force reverts: test an entry with `reverted`


def chronological(entries: Iterable[Entry]) -> list[Entry]:
    """The order changes happened in: by date (--date backdates), then by line."""
    return sorted(entries, key=lambda e: (e.date, e.lineno))


def undone_keys(entries: Iterable[Entry], as_of: dt.date | None = None) -> set[tuple[int, str]]:
    """(task, id) of what an undo (dated on or before `as_of`, when given) reverts; `reverted` tells whether
    an entry is among them.

    The one rule of undo, on every path (replay, the index, log's marks, doctor): an undo line reverts the
    entries *of its own task* with the id it names that are not undo lines themselves. gwgk writes an undo
    with the task of the entry it names and never undoes an undo, so this only decides hand-written lines:
    an undo whose task is not the named entry's (a task not in the table, a typo) reverts nothing, and
    neither does an undo of an undo (the CLI refuses it: record the change again). Both are ignored as a
    whole and `gwgk doctor` names them. The rule reads nothing but the journal (not the table), so the
    index's replay does not depend on the table."""
    return {(e.task, e.undoes) for e in entries if e.op == "undo" and e.undoes and (as_of is None or e.date <= as_of)}


def reverted(entry: Entry, undone: set[tuple[int, str]]) -> bool:
    """Whether an undo among `undone` (undone_keys) reverts this entry (never an undo line: see undone_keys)."""
    return entry.op != "undo" and (entry.task, entry.id) in undone


def in_force(entries: Iterable[Entry], as_of: dt.date | None = None, task_ids: Iterable[int] | None = None, *,
             since: dt.date | None = None) -> list[Entry]:
    """The changes in force as of a date: dated on or before it, not an undo, not reverted by an undo
    dated on or before it (only tasks of `task_ids`, when given; with `since`, only those dated on or after
    it, e.g. a report's period); file order."""
    entries = [e for e in entries if as_of is None or e.date <= as_of]
    undone = undone_keys(entries)
    valid = set(task_ids) if task_ids is not None else None
    return [e for e in entries if e.op != "undo" and (e.task, e.id) not in undone and (valid is None or e.task in valid)
            and (since is None or e.date >= since)]


def taken_back(lines: Iterable[Entry], revertible: Collection[tuple[int, str]]) -> list[Entry]:
    """Among a period's lines (every line dated in it, undo lines included), the undo lines that take back a
    change made before it: what the period changed without a change of its own (a mistake made and undone
    within the period is neither). `revertible`: the (task, id) of the lines (not undos) the undos name, from
    the whole journal (revertible_keys); an undo naming none of them reverts nothing (undone_keys)."""
    lines = list(lines)
    inside = {(e.task, e.id) for e in lines if e.op != "undo"}
    return [e for e in lines if e.op == "undo" and (e.task, e.undoes) not in inside
            and (e.task, e.undoes) in revertible]


def void_undos(entries: Iterable[Entry], *, every_task: bool = False) -> dict[tuple[int, str], str]:
    """The undo lines that revert nothing (undone_keys: the entry they name is not of their task, or is an
    undo line), by (task, id), with why, for `log`'s mark. `entries`: every line of the tasks concerned;
    `every_task`: of every task, so an id named by none of them does not exist (else it may be elsewhere)."""
    entries = list(entries)
    revertible = revertible_keys(entries)
    undos = {(e.task, e.id) for e in entries if e.op == "undo"}
    ids = {e.id for e in entries}
    out: dict[tuple[int, str], str] = {}
    for e in entries:
        if e.op == "undo" and (e.task, e.undoes) not in revertible:
            why = ("是撤销记录，不能撤销" if (e.task, e.undoes) in undos else
                   "不存在" if every_task and e.undoes not in ids else
                   f"不是任务 {e.task} 的记录" if e.undoes in ids or every_task else f"不是任务 {e.task} 的记录（或不存在）")
            out[(e.task, e.id)] = f"所撤销的记录 {e.undoes} {why}，此撤销不生效"
    return out


def revertible_keys(entries: Iterable[Entry]) -> set[tuple[int, str]]:
    """(task, id) of every entry an undo may revert (every line but undo lines: undone_keys)."""
    return {(e.task, e.id) for e in entries if e.op != "undo"}


def decided_on(entries: Iterable[Entry]) -> list[Entry]:
    """What a new change dated D is decided on (with state_as_of(…, D)): the entries less every one an undo
    has reverted, whatever the undo's date. An undone change was a mistake: a change backdated to before
    the undo must not be refused (已经是“已完成”, 已签收 …) because of it."""
    entries = list(entries)
    undone = undone_keys(entries)
    return [e for e in entries if e.op != "undo" and (e.task, e.id) not in undone]


def latest_date(entries: Iterable[Entry]) -> dt.date | None:
    """The date of the latest entry (undo entries included): from then on the state no longer changes."""
    return max((e.date for e in entries), default=None)


def replay(entries: Iterable[Entry], task_ids: Iterable[int], path: str = "", *,
           as_of: dt.date | None = None) -> tuple[Replay, list[JournalWarning]]:
    """Every task's state as of `as_of` (None: after every entry): the entries in force then, in the
    order they happened (a change recorded later with an earlier --date takes its place in time)."""
    from gwgk_cli.journal_entry import warning_at  # where a warning points is the journal's business

    entries = list(entries)
    valid = set(task_ids)
    warnings = [warning_at(path, e, f"任务 {e.task} 不在任务表中，此行已忽略") for e in entries if e.task not in valid]
    dated = [e for e in entries if as_of is None or e.date <= as_of]
    result = Replay({tid: TaskState() for tid in valid}, undone_keys(dated))
    for entry in chronological(dated):
        if entry.task not in valid or entry.op == "undo" or (entry.task, entry.id) in result.undone:
            continue
        apply(result.states[entry.task], entry)
    return result, warnings


def state_as_of(entries: Iterable[Entry], task_ids: Iterable[int], as_of: dt.date | None) -> Mapping[int, TaskState]:
    """Every task's state as of a date: the one replay every view derives from."""
    return replay(entries, task_ids, as_of=as_of)[0].states


def ends_return(entry: Entry) -> bool:
    """Whether this change makes a 退回 before it history. A 退回's reason is the task's latest word
    (last_note, 最近进展) only until the unit's next change (a status change or a note) or a 销号; the 督办
    steps that are not progress (签收, 延期) and another 退回 leave it standing. The one rule: apply, and the
    周报's latest note of a task in the period (report.progress_groups)."""
    if entry.op == "review":
        return entry.result == "pass"
    return entry.op not in ("accept", "extend", "undo")


def _return_superseded(state: TaskState) -> None:
    """The 退回 is history (ends_return): the latest note is the unit's own again (`log` still shows the reason)."""
    if state.returned_note:
        state.returned_note = ""
        state.last_note, state.last_note_date = state.own_note, state.own_note_date


def apply(state: TaskState, entry: Entry) -> None:
    # The 督办 steps that are not progress: "updated" and the latest note stay as they were (a 退回 it
    # was sent back with stays the latest word: the task is still sent back).
    if entry.op == "accept":
        if not state.accepted_by(entry.unit):
            state.accepted = (*state.accepted, (entry.unit, entry.date))
        return
    if entry.op == "extend" and entry.due is not None:
        state.due = entry.due
        state.extensions = (*state.extensions, Extension(entry.date, entry.due, entry.approved_by, entry.note))
        return
    if ends_return(entry):
        _return_superseded(state)
    if entry.op == "review" and entry.result == "pass":
        state.closed_on = entry.date
        return
    returned = entry.op == "review"
    if returned:  # 退回: back to work, with the reason as the latest note; the reviewer's step,
        # not the unit's progress: "updated" (最近更新) stays the unit's own
        entry = replace(entry, op="status", to_status=Status.DOING)
    elif state.updated is None or entry.date >= state.updated:
        state.updated = entry.date
        state.updated_by = entry.by
    if entry.op == "status" and entry.to_status is not None:
        was_done = state.status is Status.DONE
        state.status = entry.to_status
        state.blocked_reason = entry.note if entry.to_status is Status.BLOCKED else ""
        state.closed_on = None
        if entry.to_status is Status.DONE:
            state.done_on = entry.date
            if not was_done:
                state.reported_percent = state.percent
            state.percent = 100
        else:
            state.done_on = None
            if was_done and state.percent == 100:  # reopened or sent back: the 100% was the completion's, not a
                state.percent = state.reported_percent  # report; the unit's own last percent again (found by a tester:
                # a 退回 left 推进中 at no percent, and the unit's average fell as if it had reported 0)
    if entry.op == "note" and state.status is Status.TODO and not entry.unit:
        state.status = Status.DOING  # a progress note means the work has started; not one unit's note on a
        # shared task saying it has not (`unit`: the 填报表 of that unit, sheets.merge.shared_note)
    if entry.percent is not None and state.status is not Status.DONE:  # a done task is 100% (a hand-written
        state.percent = entry.percent  # "done at 40%" or a later percent on a done task does not change it)
    if entry.note:
        state.last_note = entry.note
        state.last_note_date = entry.date
        if returned:
            state.returned_note = entry.note
        else:
            state.own_note, state.own_note_date = entry.note, entry.date
    if entry.evidence:
        state.evidence = entry.evidence
