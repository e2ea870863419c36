"""What returned 填报表 would record, and recording it through gwgk_cli.actions.

Idempotent: a row records only what the journal does not already say. A status or percent equal to
the current one, or to what the same unit's earlier sheets last said for that task (a copied row is not
news, even if someone has changed the task by hand since), a note already recorded for that task (by
any sheet or by hand), evidence already recorded for that task: none of them is recorded again, so
importing the same file twice, or a later file that repeats earlier rows, records nothing twice.
What a file recorded and 指导办 undid since (gwgk undo) is not recorded again from the same file (the
preview says 已撤销，不再登记).

A task the unit holds only through a collective unit (各相关科室, shared by every unit) is not set by any
one unit's sheet: its 状态 and 完成进度 go into the unit's note as text (“…（行财科：已完成，100%）”), and
指导办 decides the task's status and percent with the CLI. No file is refused for another unit's view.
Such a note starts a 未开始 task (as every note does) only when the unit says it has started: 状态 推进中,
受阻 or 已完成, or a 完成进度 above 0. Otherwise (未开始, 进度 0, or neither filled in) the note is recorded
with the unit's name in the entry's `unit` field, and the replay (state.apply) leaves the task 未开始.
受阻 needs a reason in 存在问题 here as on the unit's own tasks.

Status changes follow the CLI's rules: a done task is not reopened from a sheet (gwgk reopen does
that, on purpose), a task is never set back to 未开始, 受阻 needs a reason, and a status change dated
before the task's latest change (which would override it) is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gwgk_cli.journal_entry import Entry
from gwgk_cli.model import Plan, Status
from gwgk_cli.sheet_source import format_source, parse_source
from gwgk_cli.sheets.reader import Filled, ReturnedSheet
from gwgk_cli.state import TaskState, in_force, reverted, undone_keys

VERB_FOR = {Status.DOING: "start", Status.DONE: "done", Status.BLOCKED: "block"}


@dataclass(slots=True)
class Change:
    """What one row would record for its task."""
    task_id: int
    title: str
    row: int
    by: str
    when: dt.date
    status_from: Status | None = None
    status_to: Status | None = None  # None: no status change
    percent: int | None = None  # None: no percent recorded
    note: str = ""
    evidence: str = ""
    shared: bool = False  # a collective task: the unit's status and percent are in the note, not set
    unit_view: str = ""  # a collective task the unit has not started: its note does not start the task
    withdrawn: list[str] = field(default_factory=list)  # what this file recorded before and was undone: not again

    @property
    def entries(self) -> int:
        """How many journal entries recording it takes."""
        status = self.status_to is not None
        rest = self.percent is not None and self.status_to is not Status.DONE
        return int(status) + int(rest or (not status and bool(self.note or self.evidence)))


@dataclass(slots=True)
class Proposal:
    """What one returned sheet would record: its changes, the rows left unchanged, whether it was merged already."""
    sheet: ReturnedSheet
    changes: list[Change] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)  # task ids of filled rows that change nothing
    already_imported: bool = False  # this very file (same bytes) was imported before
    notices: list[str] = field(default_factory=list)  # said in the preview (another version imported before …)
    withdrawn: list[Change] = field(default_factory=list)  # rows whose every change was recorded and undone

    @property
    def source(self) -> str:
        assert self.sheet.period is not None
        return format_source(sheet_id=self.sheet.sheet_id, period=self.sheet.period.key, sha256=self.sheet.sha256[:16],
                             unit=self.sheet.unit, file=self.sheet.path.name)


def compose_note(row: Filled) -> str:
    """本期进展情况；存在问题：…；下一步措施：… as one note (a placeholder, 无 or /, left out)."""
    parts = [row.progress] if row.progress and not no_progress(row.progress) else []
    if row.problems and not no_reason(row.problems):
        parts.append(f"存在问题：{row.problems}")
    if row.next_steps and not no_reason(row.next_steps):
        parts.append(f"下一步措施：{row.next_steps}")
    # A part that ends a sentence (…3件。) loses its mark before the next: one mark between parts, not 。； (found by a
    # tester); the last keeps what the clerk wrote.
    return "；".join([part.rstrip(_PART_END) for part in parts[:-1]] + parts[-1:])


_PART_END = "。；;，,.、 \u3000"


def recorded_notes(entries: Iterable[Entry]) -> set[tuple[int, str]]:
    """(task, note) of every note in force (an undone entry does not count)."""
    return _recorded(entries, "note")


def recorded_evidence(entries: Iterable[Entry]) -> set[tuple[int, str]]:
    """(task, evidence) of every evidence in force: a sheet that repeats one records nothing again."""
    return _recorded(entries, "evidence")


def _recorded(entries: Iterable[Entry], what: str) -> set[tuple[int, str]]:
    entries = list(entries)
    undone = undone_keys(entries)
    return {(e.task, text) for e in entries
            if e.op != "undo" and not reverted(e, undone) and (text := getattr(e, what).strip())}


def imported_hashes(entries: Iterable[Entry]) -> set[str]:
    out = set()
    for entry in entries:
        fields = parse_source(entry.source)
        if fields:
            out.add(fields["sha256"])
    return out


def propose(sheet: ReturnedSheet, plan: Plan, states: Mapping[int, TaskState], entries: list[Entry], *,
            today: dt.date, force: bool = False) -> Proposal:
    """Decide what the sheet's rows would record; a row that breaks a rule becomes a problem of the sheet."""
    from gwgk_cli.actions import extended_after, overriding
    from gwgk_cli.sheets.versions import against_journal

    proposal = Proposal(sheet)
    if sheet.fatal or sheet.period is None:
        return proposal
    owner = _owner_of(sheet.sheet_id, entries)
    if owner is not None and owner[0] != sheet.unit:
        sheet.fail(f"表号 {sheet.sheet_id} 是发给 {owner[0]} 的填报表（此前已从 {owner[1]} 导入），此文件却标为 "
                   f"{sheet.unit}：识别信息被改动过，未导入（各单位请用发给本单位的填报表填写）")
        return proposal
    notice, refusal = against_journal(sheet, entries, today, force=force)
    if notice:
        proposal.notices.append(notice)
    # In the journal, not only earlier in this call (simulate's preview-… entries: sheet.same_as says that).
    proposal.already_imported = sheet.sha256[:16] in imported_hashes(e for e in entries if not e.id.startswith("preview-"))
    notes = recorded_notes(entries)
    evidence = recorded_evidence(entries)
    last_status = last_status_dates(entries)
    live: dict[int, list[Entry]] = {}  # each task's changes in force: what a backdated percent must not precede
    for e in in_force(entries):
        live.setdefault(e.task, []).append(e)
    said = unit_said(entries, sheet.unit)
    withdrawn = undone_from(entries, sheet)
    default_day = min(today, sheet.period.end)
    for row in sheet.rows:
        if row.empty or row.task_id in sheet.bad_rows:
            continue
        state = states.get(row.task_id) or TaskState()
        task = plan.task(row.task_id)
        as_filled = row.status or (None if row.shared else state.status)
        if row.percent == 100 and as_filled in (Status.DOING, Status.BLOCKED):
            proposal.notices.append(f"注意：任务 {row.task_id} 完成进度填 100%，状态{'却是' if row.status else '仍为'}"
                                    f"“{as_filled.label}”（第 {row.row} 行）；已完成的请把状态改为“已完成”后重新导入")
        change = Change(task_id=row.task_id, title=task.title if task else "", row=row.row,
                        by=row.filled_by or sheet.unit, when=row.filled_on or default_day)
        if row.done_on is not None and row.status is not Status.DONE and (row.shared or state.status is not Status.DONE):
            sheet.problem(row.ref("done_on"), f"任务 {row.task_id} 的状态不是“已完成”，却填了完成日期 {row.done_on}："
                                              "已完成的请把状态改为“已完成”，否则请清空完成日期", row.task_id)
            continue
        if row.shared:
            if not _shared_change(sheet, row, change, notes, evidence):
                if row.task_id not in sheet.bad_rows:
                    proposal.unchanged.append(row.task_id)
                continue
            _withdraw(change, withdrawn.get(row.task_id, []))
            if change.withdrawn and not (change.note or change.evidence):
                proposal.withdrawn.append(change)
            elif not _unwritable(sheet, row, change):
                proposal.changes.append(change)
            continue
        note = compose_note(row)
        # Every word of the row (its note, its 佐证材料) recorded before: a row copied from an earlier sheet.
        copied = ((not note or (row.task_id, note) in notes)
                  and (not row.evidence or (row.task_id, row.evidence.strip()) in evidence))
        status, percent = _news(row, said.get(row.task_id, {}), copied)
        if (row.status is not None and status is None and row.status.label != _shown_status(row)
                and not proposal.already_imported):  # this very file again: 无变化 says it
            proposal.notices.append(f"注意：任务 {row.task_id} 填的状态“{row.status.label}”与本单位此前的填报相同，表中当前"
                                    f"状态却是“{row.shown_status}”，又无新的进展说明，视为照抄旧表，状态未登记（第 {row.row} "
                                    "行；确有变化请在“本期进展情况”中写明后重新导入）")
        if (row.done_on is not None and status is None and state.status is Status.DONE
                and row.done_on != last_status.get(row.task_id) and not proposal.already_imported):
            proposal.notices.append(f"注意：任务 {row.task_id} 已登记为已完成（{last_status.get(row.task_id)}），完成日期 "
                                    f"{row.done_on} 未改动（第 {row.row} 行；如需更正，请先用 gwgk undo 撤销原记录再导入）")
        if status is Status.DONE and row.done_on is not None:  # the day it was finished, not the day it was told
            change.when = row.done_on
        if not _status_change(sheet, row, status, state, last_status.get(row.task_id), change):
            continue
        extension = (extended_after(live.get(row.task_id, []), row.task_id, change.when)
                     if change.status_to is Status.DONE else None)
        if extension is not None:
            what = "完成日期" if row.done_on is not None else "完成日期（未填，按填报日期计）"
            sheet.problem(row.ref("done_on" if row.done_on is not None else "filled_on"),
                          f"任务 {row.task_id} 已于 {extension.date} 登记延期至 {extension.due}（记录 {extension.id}），"
                          f"{what} {change.when} 早于该延期：请核对；如确于 {change.when} 完成、延期是误登，"
                          f"请先 gwgk undo {extension.id} 再导入", row.task_id)
            continue
        result_percent = 100 if change.status_to is Status.DONE else state.percent
        if percent is not None and percent != result_percent:
            if change.status_to is Status.DONE:
                sheet.problem(row.ref("new_percent"), f"任务 {row.task_id} 为“已完成”，完成进度却是 {percent}",
                              row.task_id)
                continue
            if state.status is Status.DONE and change.status_to is None:  # done since the sheet went out, perhaps
                when = last_status.get(row.task_id)
                sheet.problem(row.ref("new_percent"), f"任务 {row.task_id} 已{f'于 {when} ' if when else ''}登记为“已完成”，"
                                                      f"本表填的完成进度却是 {percent}：如任务尚未完成，请先 gwgk reopen "
                                                      f"{row.task_id} 再导入；已完成则删去该进度", row.task_id)
                continue
            later = overriding(live.get(row.task_id, []), row.task_id, change.when, "percent")
            if later is not None:
                sheet.problem(row.ref("new_percent"), f"任务 {row.task_id} 已于 {later.date} 登记过更晚的进度或完成状态"
                                                      f"（记录 {later.id}），填报日期 {change.when} 的进度 {percent}% "
                                                      "会被它覆盖而不生效；请核对填报日期", row.task_id)
                continue
            change.percent = percent
        if change.status_to is not None:
            change.note = note  # the reason or the progress that goes with the change
        elif note and (row.task_id, note) not in notes:
            change.note = note
        if row.evidence and row.evidence != state.evidence and (row.task_id, row.evidence.strip()) not in evidence:
            change.evidence = row.evidence
        _withdraw(change, withdrawn.get(row.task_id, []))
        if change.status_to is None and change.percent is None and not change.note and not change.evidence:
            if change.withdrawn:
                proposal.withdrawn.append(change)
            else:
                proposal.unchanged.append(row.task_id)
            continue
        if not _unwritable(sheet, row, change):
            proposal.changes.append(change)
    if refusal and proposal.changes:  # what an older version of a sheet already imported would record
        sheet.fail(refusal)
        proposal.changes.clear()
        proposal.unchanged.clear()
    return proposal


def undone_from(entries: Iterable[Entry], sheet: ReturnedSheet) -> dict[int, list[Entry]]:
    """Each task's entries recorded from this very file (same 表号 and SHA-256) and undone since."""
    entries = list(entries)
    undone = undone_keys(entries)
    out: dict[int, list[Entry]] = {}
    for e in entries:
        fields = parse_source(e.source) if reverted(e, undone) else None
        if fields is not None and fields["sheet"] == sheet.sheet_id and fields["sha256"] == sheet.sha256[:16]:
            out.setdefault(e.task, []).append(e)
    return out


def _withdraw(change: Change, undone: Sequence[Entry]) -> None:
    """Leave out what the same file recorded for the task before and 指导办 has undone since (gwgk undo): a
    re-import of the folder must not bring it back. What is left out is named in change.withdrawn."""
    if not undone:
        return
    if change.status_to is not None and any(e.op == "status" and e.to_status is change.status_to for e in undone):
        change.withdrawn.append(f"状态“{change.status_to.label}”")
        if change.status_to is Status.DONE:  # its 100% came with the completion
            change.percent = None
        change.status_from = change.status_to = None
    if change.percent is not None and any(e.percent == change.percent for e in undone):
        change.withdrawn.append(f"进度 {change.percent}%")
        change.percent = None
    if change.note and any(e.note == change.note.strip() for e in undone):
        change.withdrawn.append("进展说明")
        change.note = ""
    if change.evidence and any(e.evidence == change.evidence.strip() for e in undone):
        change.withdrawn.append("佐证材料")
        change.evidence = ""


def _unwritable(sheet: ReturnedSheet, row: Filled, change: Change) -> bool:
    """Whether the row's change holds what the journal would refuse (journal.check_writable): each cell was
    checked as it was read, but 本期进展、存在问题 and 下一步措施 are one note together. Then a problem of the
    sheet at the row, named in the preview (not a refusal after it)."""
    from gwgk_cli.journal import field_problem

    for text, name, label in ((change.note, "note", "本行合起来的说明（本期进展情况、存在问题、下一步措施）"),
                              (change.evidence, "evidence", "本行的佐证材料")):
        problem = field_problem(name, text, label)
        if problem:
            sheet.problem(row.ref("progress" if name == "note" else "evidence"), problem, row.task_id)
            return True
    return False


def shared_note(row: Filled, unit: str) -> str:
    """The note a unit's row on a collective task records: its progress, problems and next steps, then what
    it says of the task's status and percent as text: 已在专栏发布解读（行财科：已完成，100%）."""
    note = compose_note(row)
    if not note and row.status in (None, Status.TODO) and not row.percent:  # 无, 未开始: nothing to say
        return ""
    said = [row.status.label] if row.status is not None else []
    if row.status is Status.DONE and row.done_on is not None:
        said[0] += f"（{row.done_on.month}月{row.done_on.day}日）"
    if row.percent is not None:
        said.append(f"{row.percent}%")
    return note + (f"（{unit}：{'，'.join(said)}）" if said else "")


def _shared_change(sheet: ReturnedSheet, row: Filled, change: Change, notes: set[tuple[int, str]],
                   evidence: set[tuple[int, str]]) -> bool:
    """A row on a task the unit holds only through a collective unit (各相关科室): every unit answers for it,
    so no one unit's 状态 or 完成进度 decides it for all (指导办 does, with the CLI); they go into the unit's
    note. False when the row records nothing new."""
    if row.status is Status.DONE and row.percent not in (None, 100):
        sheet.problem(row.ref("new_percent"), f"任务 {row.task_id} 状态为“已完成”，完成进度却是 {row.percent}", row.task_id)
        return False
    if row.status is Status.BLOCKED and not blocked_reason(sheet, row):
        return False
    change.shared = row.status is not None or row.percent is not None  # the preview says where they went
    started = row.status in (Status.DOING, Status.BLOCKED, Status.DONE) or (row.percent or 0) > 0
    change.unit_view = "" if started else sheet.unit
    note = shared_note(row, sheet.unit)
    if note and (row.task_id, note) not in notes:
        change.note = note
    if row.evidence and (row.task_id, row.evidence.strip()) not in evidence:
        change.evidence = row.evidence
    return bool(change.note or change.evidence)


def _owner_of(sheet_id: str, entries: Iterable[Entry]) -> tuple[str, str] | None:
    """(unit, file) a sheet of this 表号 was imported for before (undone or not): a 表号 is one unit's."""
    for e in entries:
        fields = parse_source(e.source)
        if fields is not None and fields["sheet"] == sheet_id and not e.id.startswith("preview-"):
            return fields["unit"], fields["file"]
    return None


def _shown_status(row: Filled) -> str:
    """The status label the sheet showed, as the 状态 column names it (with review on it showed 已完成（待审核）
    or 已销号: both 已完成)."""
    return "已完成" if row.shown_status in ("已完成（待审核）", "已销号") else row.shown_status


def _news(row: Filled, before: Mapping[str, object], copied: bool) -> tuple[Status | None, int | None]:
    """The row's status and percent where they are news. Not news: the 当前状态 and 当前进度 the sheet showed
    the unit, repeated; nor what the unit's earlier sheets said, on a row whose words were recorded before
    (a row copied from an earlier sheet must not undo what 指导办 changed by hand since). News: the unit
    reporting 已完成 again after a 退回, with what it did since; 推进中 on a task the sheet shows 受阻."""
    def shown_percent() -> int | None:
        shown = row.shown_percent.rstrip("%")
        return int(shown) if shown.isdigit() else None

    status = None if row.status is not None and row.status.label == _shown_status(row) else row.status
    percent = None if row.percent is not None and row.percent == (shown_percent() or 0) else row.percent  # 0: none shown
    if copied:
        status = None if before.get("status") is status else status
        percent = None if before.get("percent") == percent else percent
    return status, percent


def unit_said(entries: Iterable[Entry], unit: str) -> dict[int, dict[str, object]]:
    """The latest status and percent each task got from this unit's earlier sheets (entries in force)."""
    from gwgk_cli.state import chronological

    entries = list(entries)
    undone = undone_keys(entries)
    out: dict[int, dict[str, object]] = {}
    for e in chronological(entries):
        fields = parse_source(e.source)
        if fields is None or fields["unit"] != unit or reverted(e, undone):
            continue
        got = out.setdefault(e.task, {})
        if e.op == "status" and e.to_status is not None:
            got["status"] = e.to_status
            if e.to_status is Status.DONE:
                got["percent"] = 100
        if e.percent is not None:
            got["percent"] = e.percent
    return out


def last_status_dates(entries: Iterable[Entry]) -> dict[int, dt.date]:
    """Each task's latest status change in force (its date): a status change dated before it would be
    overridden by it in the replay."""
    entries = list(entries)
    undone = undone_keys(entries)
    out: dict[int, dt.date] = {}
    for e in entries:
        if e.op == "status" and not reverted(e, undone) and (e.task not in out or e.date > out[e.task]):
            out[e.task] = e.date
    return out


def _status_change(sheet: ReturnedSheet, row: Filled, target: Status | None, state: TaskState,
                   last_change: dt.date | None, change: Change) -> bool:
    """Fill in the status change the row asks for; False (and a problem) when the rules refuse it."""
    current = state.status
    if target is None or target is current:
        return True
    ref = row.ref("new_status")
    if current is Status.DONE:
        sheet.problem(ref, f"任务 {row.task_id} 已完成，填报表不能把它改为“{target.label}”"
                           f"（确需重新打开请用 gwgk reopen {row.task_id}）", row.task_id)
        return False
    if target is Status.TODO:
        sheet.problem(ref, f"任务 {row.task_id} 当前为“{current.label}”，不能改回“未开始”", row.task_id)
        return False
    if target is Status.BLOCKED and not blocked_reason(sheet, row):
        return False
    if last_change is not None and change.when < last_change:
        key = "done_on" if target is Status.DONE and row.done_on is not None else "filled_on"
        what = "完成日期" if key == "done_on" else "填报日期"
        sheet.problem(row.ref(key), f"{what} {change.when} 早于任务 {row.task_id} 最近一次状态变更"
                                    f"（{last_change}），这一状态变更会被其覆盖；请核对{what}", row.task_id)
        return False
    change.status_from, change.status_to = current, target
    return True


def blocked_reason(sheet: ReturnedSheet, row: Filled) -> bool:
    """Whether a row set to 受阻 says why in 存在问题 (gwgk block needs a reason); False and a problem when not."""
    if not row.problems:
        sheet.problem(row.ref("problems"), f"任务 {row.task_id} 状态为“受阻”，请在“存在问题”中写明原因", row.task_id)
        return False
    if no_reason(row.problems):
        sheet.problem(row.ref("problems"), f"任务 {row.task_id} 状态为“受阻”，“存在问题”却是“{row.problems}”，"
                                           "请写明受阻的原因", row.task_id)
        return False
    return True


# What clerks write in 存在问题 when there is none: no reason for 受阻.
_NO_REASON = frozenset({"无", "暂无", "没有", "无问题", "暂无问题", "没有问题", "否", "不存在", "na", "n/a", "none", "nil"})


_NO_PROGRESS = frozenset({"无进展", "暂无进展", "没有进展", "本期无进展", "本周无进展", "本月无进展"})


def no_progress(text: str) -> bool:
    """Whether a 本期进展情况 text says there is nothing to report (无, 暂无进展, /): no note is made of it."""
    from gwgk_cli.sheets.values import normal

    return no_reason(text) or normal(text).strip("。.，,；;！! ") in _NO_PROGRESS


def no_reason(text: str) -> bool:
    """Whether a 存在问题 text says there is no problem (无, 暂无, /, -, …): no reason for 受阻."""
    from gwgk_cli.sheets.values import normal

    key = normal(text).lower().strip("。.，,；;！! ")
    return key in _NO_REASON or all(not ch.isalnum() for ch in key)


class Superseded(Exception):
    """Under the journal's lock, the rows re-decided record nothing: what the preview showed has been
    recorded meanwhile (another import of the same file)."""


def redecide(proposals: Sequence[Proposal], plan: Plan, entries: list[Entry], *, today: dt.date,
             force: bool = False) -> list[Proposal]:
    """The proposals decided again, by `propose` and `simulate` as the preview decided them, on `entries`
    (the journal as read under its lock). The sheets are copied: their problems are left as they were."""
    from dataclasses import replace

    from gwgk_cli.state import state_as_of

    states: Mapping[int, TaskState] = state_as_of(entries, [t.id for t in plan.tasks], today)
    out: list[Proposal] = []
    for proposal in proposals:
        copy = replace(proposal.sheet, problems=list(proposal.sheet.problems), bad_rows=set(proposal.sheet.bad_rows),
                       notices=list(proposal.sheet.notices))
        again = propose(copy, plan, states, entries, today=today, force=force)
        out.append(again)
        states, entries = simulate(again, states, entries)
    return out


def check_unchanged(confirmed: Sequence[Proposal], again: Sequence[Proposal]) -> None:
    """Refuse (BadValue, nothing recorded) when what the rows would record now is not what the preview
    showed; Superseded when it would now record nothing at all."""
    from gwgk_cli.errors import BadValue

    for before, now in zip(confirmed, again, strict=True):
        new = [p for p in now.sheet.problems if p not in before.sheet.problems]
        if new:
            raise BadValue(f"{new[0]}；预览之后进展记录已有变化，整批未登记任何内容，请重新导入（预览会指出问题所在）")
    if all(not now.changes for now in again):
        raise Superseded
    for before, now in zip(confirmed, again, strict=True):
        if before.changes != now.changes:
            raise BadValue(f"{before.sheet.name}：预览之后进展记录已有变化（另一处刚登记过？），以上预览已不准确，"
                           "整批未登记任何内容；请重新运行 gwgk sheet in 查看新的预览")


def record(proposals: Sequence[Proposal], journal: Path, plan: Plan, *, today: dt.date,
           force: bool = False) -> list[Entry]:
    """Append every proposal's entries in one append: decided together under the journal's lock. There the
    rows are decided again (propose) on the journal as it is then: when another import has recorded some
    of them since the preview, or the journal changed so that the preview no longer holds, nothing is
    recorded (a BadValue names the file; run the import again to see the new preview); when everything
    has been recorded since, nothing is, and an empty list is returned. Then the entries are made by the
    core actions' rules (actions.status_entries / note_entries), each change on the journal as it will be
    with the ones before it; all are written, or none."""
    from dataclasses import replace

    from gwgk_cli.actions import note_entries, status_entries
    from gwgk_cli.errors import BadValue
    from gwgk_cli.journal import now_iso, transact

    changes = [(proposal, change) for proposal in proposals for change in proposal.changes]
    if not changes:
        return []
    at = now_iso()

    def entries_for(change: Change, view: list[Entry], source: str) -> list[Entry]:
        written: list[Entry] = []
        if change.status_to is not None:
            written += status_entries(view, [change.task_id], VERB_FOR[change.status_to], by=change.by,
                                      when=change.when, note=change.note, evidence=change.evidence.strip(),
                                      source=source, at=at)[0]
            if change.percent is not None and change.status_to is not Status.DONE:
                written += note_entries(_after(view, written), [change.task_id], "", by=change.by, when=change.when,
                                        percent=change.percent, evidence="", source=source, at=at)
        else:
            text = change.note or ("补充佐证材料" if change.evidence and change.percent is None else "")
            written += [replace(e, unit=change.unit_view) for e in note_entries(
                view, [change.task_id], text, by=change.by, when=change.when, percent=change.percent,
                evidence=change.evidence, source=source, at=at)]
        return written

    def decide(entries: list[Entry]) -> list[Entry]:
        try:
            check_unchanged(proposals, redecide(proposals, plan, entries, today=today, force=force))
        except Superseded:
            return []
        view = list(entries)
        out: list[Entry] = []
        for proposal, change in changes:
            try:
                new = entries_for(change, view, proposal.source)
            except BadValue as exc:
                raise BadValue(f"{proposal.sheet.name} 第 {change.row} 行（任务 {change.task_id}）：{exc}；"
                               "整批未登记任何内容，请重新导入（预览会指出问题所在）") from None
            out += new
            view = _after(view, new)
        return out

    # Every task the sheets list: what deciding their rows again depends on (their earlier rows, notes,
    # evidence, status changes).
    tasks = sorted({row.task_id for proposal in proposals for row in proposal.sheet.rows})
    return transact(journal, decide, tasks=tasks)


def _after(view: list[Entry], new: list[Entry]) -> list[Entry]:
    """The journal as it will be once `new` is appended (recorded after every line of `view`)."""
    from dataclasses import replace

    last = max((e.lineno for e in view), default=0)
    return [*view, *(replace(e, lineno=last + 1 + i) for i, e in enumerate(new))]


def simulate(proposal: Proposal, states: Mapping[int, TaskState], entries: list[Entry]
             ) -> tuple[dict[int, TaskState], list[Entry]]:
    """The states and entries as they will be once this proposal is recorded: the next file of the same
    run is decided against them (two units reporting on one collective task record it once)."""
    from dataclasses import replace

    from gwgk_cli.state import apply

    new_states = {tid: replace(st) for tid, st in states.items()}
    new_entries = list(entries)
    for change in proposal.changes:
        state = new_states.setdefault(change.task_id, TaskState())
        op = "status" if change.status_to is not None else "note"
        entry = Entry(id=f"preview-{len(new_entries)}", at="", date=change.when, by=change.by, task=change.task_id,
                      op=op, from_status=change.status_from, to_status=change.status_to, percent=change.percent,
                      note=change.note, evidence=change.evidence, source=proposal.source, unit=change.unit_view)
        apply(state, entry)
        new_entries.append(entry)
    return new_states, new_entries
