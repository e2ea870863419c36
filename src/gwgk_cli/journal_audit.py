"""`gwgk doctor`: the journal lines gwgk itself would have refused (written or edited by hand, or by an
older version), each decided again as the command that writes it decides.

A command decides a change dated D on the journal as it stood when it was recorded (state.decided_on: the
lines before it, less what an undo reverts, as of D) and refuses what the rules forbid (docs/schema.md,
"Rules for writing"). Here every line still in force is put through the same rules, on the lines recorded
before it, task by task (an undo only acts within its own task: state.undone_keys), so a hand-written line
that the CLI would have refused is named once, at its file:line, in one Chinese line. A line an undo has
reverted is left alone (it is no longer in force); undo lines are audit's (journal.audit), backdated
status changes that a later one overrides are journal._overridden's, and contradicting status changes of
two PCs are journal_dir's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from gwgk_cli.actions import extended_after, overriding
from gwgk_cli.journal_entry import Entry, JournalWarning, line_ref, warning_at
from gwgk_cli.model import Plan, Status
from gwgk_cli.signals import due_in_force, requested_due
from gwgk_cli.state import TaskState, apply, decided_on, in_force, reverted, state_as_of, undone_keys
from gwgk_cli.supervision import may_accept

_CHECKED = ("status", "note", "review", "accept", "extend")


class _Track:
    """One task's lines so far, in recording order, and, while they were recorded in date order with no undo
    among them, the state after them (then the state as of a date on or after the last one, without a replay)."""

    __slots__ = ("before", "state", "last", "simple")

    def __init__(self) -> None:
        self.before: list[Entry] = []
        self.state = TaskState()
        self.last: dt.date | None = None
        self.simple = True

    def add(self, e: Entry) -> None:
        self.before.append(e)
        self.simple = self.simple and e.op != "undo" and (self.last is None or e.date >= self.last)
        self.last = e.date if self.last is None else max(self.last, e.date)
        if self.simple:
            apply(self.state, e)


def refused_lines(entries: Sequence[Entry], plan: Plan, path: str) -> list[JournalWarning]:
    """Every line in force (of a task of the table) that gwgk would refuse, decided on the lines of its task
    recorded before it; in recording order."""
    undone = undone_keys(entries)
    tracks: dict[int, _Track] = {}
    out: list[JournalWarning] = []
    for e in sorted(entries, key=lambda x: x.lineno):  # recording order
        track = tracks.setdefault(e.task, _Track())
        if e.op in _CHECKED and not reverted(e, undone) and plan.task(e.task) is not None:
            # Nothing recorded before it is dated after it: the state after them, and no later change to check.
            latest = track.simple and (track.last is None or e.date >= track.last)
            then = track.state if latest else state_as_of(decided_on(track.before), [e.task], e.date)[e.task]
            why = _refusal(plan, [] if latest else track.before, e, then)
            if why:
                out.append(warning_at(path, e, f"{_what(e)}（{e.date}，{e.by or '未署名'}，记录 {e.id}）gwgk 会拒绝："
                                               f"{why}（手写或改过的记录，或两台电脑互不知情时各自登记）；"
                                               f"请核对，如不对：gwgk undo {e.id}"))
            elif then.status is Status.TODO and (started := _shared_start(plan, e)):
                out.append(warning_at(path, e, started))
        track.add(e)
    return out


def _what(e: Entry) -> str:
    if e.op == "status" and e.to_status is not None:
        return f"任务 {e.task} 的状态变更“{e.to_status.label}”"
    if e.op == "review":
        return f"任务 {e.task} 的审核{'销号' if e.result == 'pass' else '退回'}"
    if e.op == "accept":
        return f"任务 {e.task} 的签收（{e.unit}）"
    if e.op == "extend":
        return f"任务 {e.task} 的延期至 {e.due}"
    return f"任务 {e.task} 的进度 {e.percent}%"


def _refusal(plan: Plan, before: list[Entry], e: Entry, then: TaskState) -> str:
    """Why the command that writes `e` would refuse it: `then`, the task's state as of its date decided on the
    task's earlier lines; `before`, those of them that may be dated after it (none: empty). Empty when it would
    not."""
    task = plan.task(e.task)
    assert task is not None
    if e.op == "status":
        # Its `from` is the status its writer saw: another one (a PC that had not seen the other's change) is
        # a contradiction of two PCs, journal_dir's to report, not a refusal.
        seen = e.from_status is None or e.from_status is then.status
        if seen and e.to_status is Status.BLOCKED and then.status is Status.DONE:
            return f"当时任务已完成（{then.done_on}），须先 gwgk reopen 才能标记受阻"
        extension = extended_after(before, e.task, e.date) if e.to_status is Status.DONE else None
        if extension is not None:
            return (f"{line_ref(extension)} 已有日期更晚（{extension.date}）的延期至 {extension.due}（记录 {extension.id}），"
                    "完成日期不能早于它")
        return ""  # a status change that a later one overrides: journal._overridden
    if e.op == "note":
        if e.percent is None:
            return ""  # a note without a percent is history: always accepted
        if e.percent < 100 and then.status is Status.DONE:
            return f"当时任务已完成（{then.done_on}），进度不能记为 {e.percent}%"
        last = overriding(before, e.task, e.date, "percent")
        if last is not None:
            return f"{line_ref(last)} 已有日期更晚（{last.date}）的进度或完成记录（记录 {last.id}），这条补记的进度被它覆盖而不生效"
        return ""
    if e.op == "review":
        if not plan.review_required:
            return "任务表未启用审核销号（settings.review）"
        if then.status is not Status.DONE:
            return f"审核日期 {e.date} 时任务尚未完成（当时：{then.status.label}）"
        last = overriding(before, e.task, e.date, "status")
        if last is not None:
            return f"{line_ref(last)} 已有日期更晚（{last.date}）的状态变更或审核（记录 {last.id}），补记在它之前的审核会被它覆盖"
        if e.result == "pass" and then.closed_on is not None:
            return f"任务已于 {then.closed_on} 销号，不会重复销号"
        return ""
    if e.op == "accept":
        if plan.unit(e.unit) is None and e.unit not in task.units:
            return f"“{e.unit}”不是任务表登记的单位"
        if not may_accept(plan, task, e.unit):
            if e.unit in plan.collective_units:
                return f"“{e.unit}”是统称，签收须由具体单位进行"
            return f"任务的责任单位是 {'、'.join(task.units)}，“{e.unit}”不在其中"
        if then.accepted_by(e.unit):
            day = next(d for u, d in then.accepted if u == e.unit)
            return f"{e.unit} 已于 {day} 签收，不会重复签收"
        later = [x for x in in_force(before) if x.op == "accept" and x.unit == e.unit]
        if later:
            first = min(later, key=lambda x: (x.date, x.lineno))
            return (f"{e.unit} 已于 {first.date} 签收（{line_ref(first)}，记录 {first.id}），补记更早的签收须先撤销那次签收")
        return ""
    if e.op == "extend":
        current = due_in_force(task, then)
        if e.due is None:
            return ""
        if current is None:
            return "任务是持续推进事项，没有到期日，不能延期"
        if then.status is Status.DONE:
            return f"当时任务已完成（{then.done_on}），不能延期"
        if e.due <= current:
            return f"延期后的日期 {e.due} 不晚于当时的到期日 {current}"
        if not e.approved_by and requested_due(task, then) == e.due:
            return f"当时已申请延期至 {e.due}，尚未批准，重复登记"
        if e.due < e.date:
            return f"延期后的日期 {e.due} 早于这次延期的日期 {e.date}"
        later = [x for x in in_force(before) if x.op == "extend" and x.date > e.date]
        if later:
            last = max(later, key=lambda x: (x.date, x.lineno))
            return f"{line_ref(last)} 已有日期更晚（{last.date}）的延期至 {last.due}（记录 {last.id}），这次延期会被它覆盖"
        return ""
    return ""


_STARTED = (Status.DOING.label, Status.BLOCKED.label, Status.DONE.label)


def _shared_start(plan: Plan, e: Entry) -> str:
    """A unit's note from its 填报表 on a task it holds only through a collective unit (各相关科室), imported
    before such notes carried the unit (`unit`, sheets.merge._shared_change): read as any note, it starts a
    未开始 task, though the unit did not report the task started (its note says so, as text, at its end:
    `（行财科：未开始，0%）`, or says nothing of the status). Empty when `e` is no such note."""
    if e.op != "note" or e.unit or not e.source.startswith("sheet="):
        return ""
    from gwgk_cli.sheet_source import parse_source

    fields = parse_source(e.source)
    task = plan.task(e.task)
    if fields is None or task is None:
        return ""
    unit = fields["unit"]
    if unit in task.units or not any(u in plan.collective_units for u in task.units):
        return ""
    said = ""
    mark = f"（{unit}："
    if e.note.endswith("）") and mark in e.note:
        said = e.note[e.note.rindex(mark) + len(mark):-1]
        for part in said.split("，"):
            if part in _STARTED or (part.endswith("%") and part[:-1].isdigit() and int(part[:-1]) > 0):
                return ""  # the unit reported it started: the note starts it, now as then
    reported = f"报的是“{said}”" if said else "未填状态和完成进度"
    return (f"任务 {e.task} 由各相关科室共同承担，{unit} 的填报表（{fields['file']}，{fields['period']}）{reported}，"
            f"并未报告开始；这行说明（{e.date}，{e.by or '未署名'}，记录 {e.id}）由旧版 gwgk 导入，未注明单位，因此把任务从"
            f"“未开始”读作“推进中”（现在导入同样的行不会改变任务状态）。如任务确未开始：gwgk undo {e.id}"
            f"（说明仍留在进展记录中，gwgk log 可见）；如任务确已开始，可不处理")
