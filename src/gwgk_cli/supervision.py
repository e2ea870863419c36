"""The 督办 loop's own steps, recorded in the journal like every other change (history, undo, as-of
dates): 签收 (a unit acknowledges a task), 延期 (a new due date, the original kept), 审核 (the
supervising office closes a finished task, 销号, or sends it back, 退回). Each decides and appends
under the journal's lock (journal.transact) and refuses what the loop does not allow, saying why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gwgk_cli.actions import check_not_overridden, one_batch
from gwgk_cli.errors import BadValue
from gwgk_cli.journal import new_id, now_iso, transact
from gwgk_cli.journal_entry import Entry
from gwgk_cli.model import Plan, Status, Task
from gwgk_cli.sanitize import blank
from gwgk_cli.signals import due_in_force, requested_due
from gwgk_cli.state import decided_on, in_force, state_as_of


@dataclass(slots=True)
class Recorded:
    """What a 督办 command recorded."""

    written: list[Entry] = field(default_factory=list)
    unchanged: list[tuple[int, str]] = field(default_factory=list)  # (task, why nothing was written)


def may_accept(plan: Plan, task: Task, unit: str) -> bool:
    """A unit may acknowledge a task it is named on; a task given to 各相关科室 (a collective unit) may
    be acknowledged by any unit of the registry."""
    collective = plan.collective_units
    if unit in collective:  # 各相关科室 is not a unit that can sign: one of its members does
        return False
    if unit in task.units:
        return True
    return any(u in collective for u in task.units) and plan.unit(unit) is not None


def accept(journal: Path, plan: Plan, ids: Sequence[int], *, unit: str | None, by: str, when: dt.date,
           note: str = "") -> Recorded:
    """签收 by `unit` (None: each task's lead unit). All-or-nothing: a unit that does not hold one of
    the tasks is refused before anything is written."""
    tasks = {i: task for i in ids if (task := plan.task(i)) is not None}
    who = {i: unit or tasks[i].lead_unit for i in ids}
    refused = [i for i in ids if not may_accept(plan, tasks[i], who[i])]
    if refused:
        i = refused[0]
        more = f"（另有任务 {'、'.join(map(str, refused[1:]))} 同样）" if len(refused) > 1 else ""
        if who[i] in plan.collective_units and who[i] in tasks[i].units:
            raise BadValue(f"任务 {i} 由“{who[i]}”负责，签收须由具体单位进行：请用 --unit 写明签收的单位{more}")
        if who[i] in plan.collective_units:  # --unit 各相关科室 on a task that names its units
            raise BadValue(f"“{who[i]}”不是具体单位，不能签收；任务 {i} 的责任单位是 {'、'.join(tasks[i].units)}，"
                           f"请用 --unit 写明其中签收的单位{more}")
        raise BadValue(f"任务 {i} 的责任单位是 {'、'.join(tasks[i].units)}，“{who[i]}”不在其中，不能签收{more}")
    out = Recorded()
    at = now_iso()

    def decide(entries: list[Entry]) -> list[Entry]:
        out.written, out.unchanged = [], []
        states = state_as_of(decided_on(entries), ids, when)
        for i in ids:
            if states[i].accepted_by(who[i]):
                day = next(d for u, d in states[i].accepted if u == who[i])
                out.unchanged.append((i, f"{who[i]} 已于 {day} 签收"))
                continue
            # Signed later (a backdated 签收 under it): the later one would be left standing as a second line.
            later = [e for e in in_force(entries) if e.task == i and e.op == "accept" and e.unit == who[i]]
            if later:
                last = min(later, key=lambda e: (e.date, e.lineno))
                raise BadValue(f"任务 {i}：{who[i]} 已于 {last.date} 签收（记录 {last.id}，{last.by or '未署名'}）；"
                               f"要把签收日期改为 {when}，请先 gwgk undo {last.id} 再签收")
            out.written.append(Entry(id=new_id(), at=at, date=when, by=by, task=i, op="accept", unit=who[i],
                                     note=note.strip()))
        out.written = one_batch(out.written)
        return out.written

    transact(journal, decide, tasks=ids)
    return out


def extend(journal: Path, plan: Plan, task_id: int, *, to: dt.date, reason: str, approved_by: str, by: str,
           when: dt.date, today: dt.date | None = None) -> Entry:
    """延期: the task is now due on `to`. Refused for a task without a due date (持续推进), a finished
    task, a date not after the due date in force, a date already past on the day of the extension (`when`:
    --date, else the reference date `today`; a backdated 延期 to a day after its own date is history and
    is recorded), or when an extension recorded with a later date would override this one."""
    if blank(reason):
        raise BadValue("延期请用 --note 写明原因")
    task = plan.task(task_id)
    assert task is not None
    at = now_iso()
    written: list[Entry] = []

    def decide(entries: list[Entry]) -> list[Entry]:
        written.clear()
        state = state_as_of(decided_on(entries), [task_id], when)[task_id]
        current = due_in_force(task, state)
        if current is None:
            raise BadValue(f"任务 {task_id} 是持续推进事项，没有到期日，不能延期")
        asked = requested_due(task, state)
        approving = not blank(approved_by) and asked == to  # the approval of a pending request
        if state.status is Status.DONE and not approving:
            # A request made before the completion may still be approved (signals.judged_due counts it): said so.
            how = (f"；完成前提出的延期申请（至 {asked}）仍可批准：gwgk extend {task_id} --to {asked} --note 理由 "
                   "--approved-by 姓名") if asked is not None else ""
            raise BadValue(f"任务 {task_id} 已于 {state.done_on} 完成，不能延期{how}")
        if to <= current:
            raise BadValue(f"延期后的日期 {to} 应晚于当前到期日 {current}")
        if blank(approved_by) and asked == to:  # the same request again: said once
            raise BadValue(f"任务 {task_id} 已申请延期至 {to}，尚未批准，未重复登记；批准时请加 --approved-by 姓名")
        if to < when and not approving:  # (its date may have passed meanwhile: found in review)
            said = (f"已经过去（参照日期 {when}）" if today is None or when >= today
                    else f"早于这次延期的日期 {when}（--date）")
            raise BadValue(f"延期后的日期 {to} {said}，请给出 {when} 或以后的日期")
        later = [e for e in in_force(entries) if e.task == task_id and e.op == "extend" and e.date > when]
        if later:
            last = max(later, key=lambda e: (e.date, e.lineno))
            raise BadValue(f"任务 {task_id} 已于 {last.date} 登记延期至 {last.due}（记录 {last.id}）；"
                           f"{when} 的延期会被它覆盖。请用 --date {last.date} 或更晚")
        written.append(Entry(id=new_id(), at=at, date=when, by=by, task=task_id, op="extend", due=to,
                             note=reason.strip(),
                             approved_by="" if blank(approved_by) else approved_by.strip()))
        return written

    transact(journal, decide, tasks=[task_id])
    return written[0]


def review(journal: Path, plan: Plan, ids: Sequence[int], *, passed: bool, note: str, by: str,
           when: dt.date) -> Recorded:
    """审核: `passed` closes each finished task (销号); otherwise it goes back to 推进中 with the reason
    (退回). Only where the table requires review (settings.review), and only for finished tasks."""
    if not plan.review_required:
        raise BadValue("本任务表未启用审核销号：在任务表的 settings 中写 review: true 后再用 gwgk review")
    if not passed and blank(note):
        raise BadValue("退回请用 --note 写明原因")
    out = Recorded()
    at = now_iso()

    def decide(entries: list[Entry]) -> list[Entry]:
        out.written, out.unchanged = [], []
        states = state_as_of(decided_on(entries), ids, when)
        open_ = [i for i in ids if states[i].status is not Status.DONE]
        if open_:
            i = open_[0]
            raise BadValue(f"任务 {i} 尚未完成（当前：{states[i].status.label}），不能审核；单位完成后用 gwgk done {i} 报告")
        for i in ids:
            # A review judges the status it finds: one backdated under a later review or status change of the
            # task would slip under it (a second 销号, or a 退回 before a 销号 that then closes a task 推进中).
            check_not_overridden(entries, i, when, "status", "审核")
            if passed and states[i].closed_on is not None:
                out.unchanged.append((i, f"已于 {states[i].closed_on} 销号"))
                continue
            out.written.append(Entry(id=new_id(), at=at, date=when, by=by, task=i, op="review",
                                     result="pass" if passed else "return", note=note.strip(),
                                     from_status=Status.DONE, to_status=None if passed else Status.DOING))
        out.written = one_batch(out.written)
        return out.written

    transact(journal, decide, tasks=ids)
    return out



_LOOP_OPS = re.compile(rb'"op"\s*:\s*"(?:review|undo)"')


def review_entries(journal: Path) -> list[Entry]:
    """The journal's review (审核) and undo entries only, for what counts returns (the 通报): the lines
    are picked by a byte search, so a 50,000-line journal is not parsed whole. Undo entries come along
    so that an undone review is not counted (state.in_force)."""
    from gwgk_cli.journal import parse_entries, read_journal_bytes

    data = read_journal_bytes(journal)
    if not _LOOP_OPS.search(data):
        return []
    wanted = b"\n".join(line for line in data.split(b"\n") if _LOOP_OPS.search(line))
    return parse_entries(wanted, str(journal))[0]
