"""Deadline warnings (红黄绿灯): one signal per task, computed against a reference date.

Rules, first match wins:
- 已完成 (done): the task is done. Never a warning, even when it was done after its due date.
- 红 (red): overdue, the due date has passed and the task is not done. Ongoing tasks are never red. A
  blocked task keeps its reason after it: 逾期 N 天；受阻：… (the coordination it asks for matters most then).
  Late is judged as the 通报 judges it: by the table's date or the last approved extension's (`judged_due`); a
  延期 nobody approved does not move it: 逾期 N 天（延期至 YYYY-MM-DD 未经批准）. Done tasks likewise: 逾期 N 天完成.
  The days left (the yellow window, 还剩 N 天, 进度落后) are counted to that date as well.
- 黄 (yellow), any of:
  - due within the warning window (default 30 days, today included): 还剩 N 天 / 今天到期;
  - blocked (受阻): a blocked task needs someone's attention whatever its date; the reason shown is
    the one given when it was blocked (a later note does not replace it);
  - behind schedule (进度落后): a --percent was recorded and it is more than BEHIND_MARGIN (25)
    percentage points below the share of the plan period already gone; the period runs from the
    notice's publication date to the due date;
  - ongoing (持续推进) with no change for the stale window (default 30 days), counted from the
    task's last change or, with none, from the notice's publication date: N 天未更新; the same for a task
    whose deadline is not understood (尽快, 待定: no date to count down to, so its updates are what is
    watched): N 天未更新（时限未识别）.
- 绿 (green): on track.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from gwgk_cli.errors import BadValue
from gwgk_cli.model import Status, Task
from gwgk_cli.state import TaskState

RED, YELLOW, GREEN, DONE = "red", "yellow", "green", "done"
SIGNAL_LABELS = {RED: "红", YELLOW: "黄", GREEN: "绿", DONE: "已完成"}
SEVERITY = {RED: 0, YELLOW: 1, GREEN: 2, DONE: 3}
DEFAULT_WARN_DAYS = 30
DEFAULT_STALE_DAYS = 30
BEHIND_MARGIN = 25


def parse_signals(values: list[str] | None, labels: dict[str, str] = SIGNAL_LABELS) -> set[str]:
    """The signals named by --signal (red/红/红灯 …, comma-separated); an unknown word is a BadValue."""
    out: set[str] = set()
    by_word = {**{k: k for k in labels}, **{v: k for k, v in labels.items()}, "红灯": "red", "黄灯": "yellow",
               "绿灯": "green"}
    for value in values or []:
        for part in value.replace("\uff0c", ",").split(","):
            key = by_word.get(part.strip().lower())
            if key is None:
                raise BadValue(f"无效的信号 “{part}”（可用：red/红、yellow/黄、green/绿、done/已完成）")
            out.add(key)
    return out


class Thresholds(NamedTuple):
    """The warning thresholds: yellow when due within warn_days, or idle for stale_days."""

    warn_days: int = DEFAULT_WARN_DAYS
    stale_days: int = DEFAULT_STALE_DAYS


class Signal(NamedTuple):
    """A task's 红黄绿灯 signal (RED, YELLOW, GREEN or DONE) and why."""

    signal: str
    reason: str

    @property
    def label(self) -> str:
        return SIGNAL_LABELS[self.signal]


def expected_percent(published: dt.date, due: dt.date, today: dt.date) -> float | None:
    """Share of the plan period (publication → due) gone by `today`, in percent; None outside it."""
    total = (due - published).days
    if total <= 0 or today < published:
        return None
    return min(100.0, 100.0 * (today - published).days / total)


def due_in_force(task: Task, state: TaskState) -> dt.date | None:
    """The due date that counts: the table's, or the last approved extension's (延期) — the date lateness is judged
    by (judged_due), shown as 到期日 and counted down to everywhere. A 延期 nobody approved is a request
    (requested_due): said beside the date, never in force (found by testers: the 到期日 and 剩余天数 of a request
    told a clerk 还剩 25 天 of a task the 信号 called 逾期). A task without a date (持续推进, or a deadline not
    understood) has none: `extend` refuses it one, and a hand-written extension line does not make an ongoing
    task red."""
    return judged_due(task, state)


def requested_due(task: Task, state: TaskState) -> dt.date | None:
    """The date a 延期 nobody approved asks for, when it is the latest 延期 (the request pending); else None."""
    if task.deadline.due is None or not state.extensions or state.extensions[-1].approved_by:
        return None
    return state.extensions[-1].to


def extension_counts(state: TaskState) -> tuple[int, int]:
    """(延期 approved, requests nobody approved still pending): an approval settles the requests before it (a
    request then its approval is one approved 延期, not one of each: found by a tester, whose 科室 lost score for
    it), so the requests counted are those after the last approval."""
    return approval_counts([(x.approved_by, x.to) for x in state.extensions])


def approval_counts(extensions: Sequence[tuple[str | None, object]]) -> tuple[int, int]:
    """extension_counts of 延期 given as (approver, date asked for) in order ("" or None: nobody approved it). A
    request repeating the one before it (a hand-written or merged line: `extend` refuses it) counts once."""
    approved = [i for i, (who, _) in enumerate(extensions) if who]
    pending = extensions[approved[-1] + 1 if approved else 0:]
    return len(approved), sum(1 for i, (_, to) in enumerate(pending) if i == 0 or pending[i - 1][1] != to)


def judged_due(task: Task, state: TaskState) -> dt.date | None:
    """The deadline on-time is judged against: the original one, or the latest approved extension's date.
    For a finished task, an approval counts when it came by the day the task was finished, or when it settled a
    request made by then (asked in time, approved later: the approval is recorded on its own day, as it happened;
    found by a tester, to whom only a back-dated approval counted, while an unfinished task's late one did); any
    other approved afterwards (after a backdated completion) cannot make a late completion on time. A task without a date (持续推进,
    a deadline not understood) has none, whatever a hand-written 延期 line says (found in review: such a line
    made an ongoing task 逾期未完成 in the 通报)."""
    due = task.deadline.due
    if due is None:
        return None
    finished = state.done_on if state.status is Status.DONE else None
    asked: dt.date | None = None  # the day of the first request still pending
    for extension in state.extensions:
        if not extension.approved_by:
            asked = asked or extension.date
            continue
        if finished is None or extension.date <= finished or (asked is not None and asked <= finished):
            due = extension.to
        asked = None
    return due


def signal_for(task: Task, state: TaskState, today: dt.date, published: dt.date, thresholds: Thresholds) -> Signal:
    # Lateness is judged, as the 通报 judges it, by the table's date or the last approved extension's, and the
    # days left are counted to it: a 延期 nobody approved is said, it moves nothing (found by a reader, in review
    # and by a review of the 台账: 还剩 70 天 of a task late in 39).
    due = due_in_force(task, state)
    if state.status is Status.DONE:
        late = (state.done_on - due).days if state.done_on and due else 0
        asked = requested_due(task, state)
        why = f"；延期至 {asked.isoformat()} 未经批准" if asked is not None and late > 0 else ""  # why it is late
        return Signal(DONE, f"已完成（逾期 {late} 天完成{why}）" if late > 0 else "已完成")
    deadline = task.deadline
    reasons: list[str] = []
    blocked = ("受阻" + (f"：{state.blocked_reason}" if state.blocked_reason else "")
               if state.status is Status.BLOCKED else None)
    requested = requested_due(task, state)
    unapproved = f"（延期至 {requested.isoformat()} 未经批准）" if requested is not None and requested != due else ""
    if due is not None:
        if due < today:
            return Signal(RED, f"逾期 {(today - due).days} 天{unapproved}" + (f"；{blocked}" if blocked else ""))
        days = (due - today).days
        if days <= thresholds.warn_days:
            reasons.append(("今天到期" if days == 0 else f"还剩 {days} 天") + unapproved)
    if blocked:
        reasons.append(blocked)
    if due is not None and state.percent is not None:
        expected = expected_percent(published, due, today)
        if expected is not None and state.percent < expected - BEHIND_MARGIN:
            reasons.append(f"进度落后（时间已过 {expected:.0f}%，完成 {state.percent}%）")
    if due is None:  # ongoing, or a deadline not understood: no date, so the updates are watched
        since = state.updated or published
        idle = (today - since).days
        if idle >= thresholds.stale_days:
            reasons.append(f"{idle} 天未更新" + ("" if deadline.ongoing else "（时限未识别）"))
    if reasons:
        return Signal(YELLOW, "；".join(reasons))
    if deadline.ongoing and due is None:
        return Signal(GREEN, "持续推进")
    if due is None:
        return Signal(GREEN, "时限未识别")
    return Signal(GREEN, f"还剩 {(due - today).days} 天{unapproved}")
