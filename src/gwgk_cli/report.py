"""The weekly report (周报) and the whole-tracker export, as plain data.

`build_report` turns the plan and the journal into a `WeeklyReport`: every section as lists and
dicts, already in the order and wording the report uses. The renderers (render/report_*.py) only
lay it out as text, Markdown, HTML or Word, with the wording of report_wording.py. Core code: no typer,
no rich. Periods are in report_period.py, the notes file in report_notes.py.

The state at a date is the journal replayed with only the entries in force then (state.state_as_of:
dated on or before it, less those reverted by an undo dated on or before it). The report
is as of the period's end or --today, whichever is earlier, so re-running it later for a past week
gives the same report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from operator import methodcaller
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from gwgk_cli.errors import BadValue, OutputError
from gwgk_cli.journal_entry import Entry
from gwgk_cli.model import Plan, Status, Unit
from gwgk_cli.queries import Row, TaskFilter, TaskRecord, records, select, urgency, warning_records
from gwgk_cli.report_notes import NOTE_KEYS, load_notes, note_items
from gwgk_cli.report_period import (
    Period,
    date_text,
    day_text,
    md_text,
    parse_week,
    report_title,
    resolve_period,
    week_of,
)
from gwgk_cli.safe_write import write_text_atomic
from gwgk_cli.signals import RED, YELLOW, Thresholds, due_in_force, judged_due
from gwgk_cli.state import TaskState, ends_return, in_force, revertible_keys, state_as_of, taken_back

# The status value records hold (an enum member's .value is a property: looked up once here).
_BLOCKED = Status.BLOCKED.value

__all__ = [  # the periods, the notes reader and the warnings' order, also importable from here
    "NOTE_KEYS", "Period", "date_text", "load_notes", "md_text", "note_items", "parse_week", "report_title",
    "resolve_period", "urgency", "warning_records", "week_of",
]
TITLE_LINE = 24  # characters of a title that fit one printed line


# --------------------------------------------------------------------------- the report
# The report's values are NamedTuples: immutable like frozen dataclasses, but free at start-up (a dataclass
# compiles its methods when the module is imported, about a millisecond each; `report` has ten of them).


class Change(NamedTuple):
    """One kind of status change over the period, e.g. 新完成 [4, 14]."""

    label: str
    tasks: tuple[int, ...]


class Overview(NamedTuple):
    total: int
    counts: dict[Status, int]  # as of the report date
    before: dict[Status, int]  # at the start of the period
    red: int
    yellow: int
    changes: list[Change]
    entries: int  # progress entries recorded in the period
    dated: int  # tasks with a deadline (not 持续推进, not unrecognised)
    dated_done: int
    ongoing: int  # 持续推进 tasks
    ongoing_counts: dict[Status, int]
    review: bool  # the table requires review: only closed (销号) tasks count as finished
    pending: int  # done, awaiting review (review on), among the tasks with a deadline

    @property
    def rate(self) -> float:
        """完成率: finished over the tasks with a deadline (持续推进 tasks are reported on their own);
        with review on, finished means closed (销号)."""
        return 100.0 * self.dated_done / self.dated if self.dated else 0.0


class UnitRow(NamedTuple):
    name: str
    collective: bool
    lead: int  # tasks it leads
    total: int  # tasks that name it
    done: int
    doing: int
    blocked: int
    overdue: int
    progress: int = 0  # UNIT_PROGRESS_RULE, whole percent

    @property
    def rate(self) -> int:
        """The bar's percent: the mean progress of its tasks (UNIT_PROGRESS_RULE)."""
        return self.progress


class ProgressItem(NamedTuple):
    """One task's progress over the period, as one line: what changed and the latest note."""

    task: int
    title: str
    kind: str  # done | block | start | resume | reopen | note: the last change, for emphasis
    changes: tuple[str, ...]  # 启动, 完成 ... in order (no 进展)
    note: str  # the latest note in the period
    date: dt.date  # of the latest entry (the note's, when there is one)
    by: str
    percent: int | None  # the latest percent recorded in the period (not shown once done)
    evidence: tuple[str, ...]


class ProgressGroup(NamedTuple):
    unit: str
    items: tuple[ProgressItem, ...]


class UrgeRow(NamedTuple):
    """催报: a unit with open tasks that recorded nothing in the period."""

    unit: str
    tasks: tuple[tuple[int, str], ...]  # (id, title) of its open tasks


class OfficeForm(NamedTuple):
    """The 公文 form of the report: 期号, 报送/抄送 and the 落款."""

    issue_no: int | None = None
    send_to: str = ""  # 报送
    copy_to: str = ""  # 抄送
    signer: str = ""  # 落款 unit (default: the table's issuer)
    sign_date: dt.date | None = None  # 落款 date (default: the as-of date)


class WeeklyReport(NamedTuple):
    title: str
    period: Period
    as_of: dt.date
    by: str
    scope: list[str]  # unit names the report is limited to; empty = every task
    collective_hidden: int  # tasks left out because only a collective unit names them
    overview: Overview
    units: list[UnitRow]
    progress: list[ProgressGroup]
    warnings: list[TaskRecord]  # task records, red then yellow by urgency (no 持续推进 staleness)
    next_period: Period
    due_next: list[TaskRecord]  # task records due in the next period, not done
    ongoing: list[TaskRecord]  # 持续推进 task records (+ last_note_date), not done, not named in warnings or stale
    notes: dict[str, list[str]]  # 存在问题 / 下一步工作 ...
    issuer: str
    stale: list[TaskRecord]  # 持续推进 tasks not updated for the stale window
    urge: list[UrgeRow]
    annex: list[TaskRecord]  # every task in scope (+ last_note_date)
    titles: dict[int, str]  # task id -> short title
    office: OfficeForm
    collective_name: str = "各相关科室"  # a collective unit of the table, to name them by

    @property
    def heading(self) -> str:
        return f"{self.title}（{self.period.label()}）"

    @property
    def title_lines(self) -> list[str]:
        """The title as printed on a page: a long one starting with the issuer breaks after it (公文 style)."""
        rest = self.title.removeprefix(self.issuer) if self.issuer else self.title
        if len(self.title) > TITLE_LINE and rest and rest != self.title:
            return [self.issuer, rest]
        return [self.title]

    @property
    def signer(self) -> str:
        return self.office.signer or self.issuer

    @property
    def sign_date(self) -> dt.date:
        return self.office.sign_date or self.as_of


def live_entries(entries: Iterable[Entry], task_ids: Iterable[int], as_of: dt.date | None = None) -> list[Entry]:
    """The entries in force as of a date (state.in_force): no undo lines, nothing undone by then, only
    known tasks; file order."""
    return in_force(entries, as_of, task_ids)


class ReportSource(Protocol):
    """Where a report's states and changes come from: the journal's entries in memory (JournalEntries) or
    the tracker (store.Tracker), which answers from the index without reading the lines before the period."""

    def states_on(self, ids: Iterable[int], day: dt.date) -> Mapping[int, TaskState]:
        """The state of each of these tasks as of `day` (state.state_as_of)."""
        ...

    def in_force(self, ids: Iterable[int], since: dt.date, until: dt.date, *,
                 reported_from: dt.date | None = None) -> list[Entry]:
        """The changes to these tasks dated from `since` to `until` and in force on `until`, in file order;
        with `reported_from`, those dated before it only when recorded (their `at`) on that day or later."""
        ...

    def undos(self, ids: Iterable[int], since: dt.date, until: dt.date) -> list[Entry]:
        """The undo lines of these tasks dated from `since` to `until` that take back a change made before
        `since` (state.taken_back), in file order."""
        ...

    def reverted(self, undos: Iterable[Entry]) -> dict[str, Entry]:
        """The entries these undo lines take back, by id (what the 周报 says was undone)."""
        ...


class JournalEntries:
    """A ReportSource over journal entries in memory: the replay of state.py."""

    __slots__ = ("entries",)

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)

    def states_on(self, ids: Iterable[int], day: dt.date) -> Mapping[int, TaskState]:
        return state_as_of(self.entries, ids, day)

    def in_force(self, ids: Iterable[int], since: dt.date, until: dt.date, *,
                 reported_from: dt.date | None = None) -> list[Entry]:
        return reported(in_force(self.entries, until, ids, since=since), reported_from)

    def undos(self, ids: Iterable[int], since: dt.date, until: dt.date) -> list[Entry]:
        wanted = set(ids)
        return taken_back((e for e in self.entries if e.task in wanted and since <= e.date <= until),
                          revertible_keys(e for e in self.entries if e.task in wanted))

    def reverted(self, undos: Iterable[Entry]) -> dict[str, Entry]:
        return reverted_by(undos, self.entries)


def reverted_by(undos: Iterable[Entry], entries: Iterable[Entry]) -> dict[str, Entry]:
    """Of `entries`, those the undo lines `undos` take back (the same task, not an undo line), by id."""
    keys = {(u.task, u.undoes) for u in undos}
    return {e.id: e for e in entries if e.op != "undo" and (e.task, e.id) in keys}


def reported(entries: list[Entry], day: dt.date | None) -> list[Entry]:
    """The entries dated `day` or later, and those dated earlier but recorded (their `at`, the recording PC's
    local date) on `day` or later; all when None."""
    return entries if day is None else [e for e in entries if e.date >= day or e.at[:10] >= day.isoformat()]


# How far back a change recorded during the period may be dated and still be reported in it.
REPORTED_LATE = dt.timedelta(days=92)


def build_report(
    plan: Plan,
    source: ReportSource,
    *,
    period: Period,
    today: dt.date,
    by: str,
    thresholds: Thresholds,
    units: Sequence[Unit] = (),
    include_collective: bool = False,
    notes: Mapping[str, list[str]] | None = None,
    office: OfficeForm | None = None,
    hidden_elsewhere: int = 0,
) -> WeeklyReport:
    """The report of `plan`'s tasks (a unit's: those naming `units`, and with `include_collective` those only a
    collective unit names). `hidden_elsewhere`: the tasks only a collective unit names that the caller left out of
    `plan` (counted, not built), added to those `select` leaves out."""
    if period.start > today:
        raise BadValue(f"{period.label()} 尚未开始（今天是 {today.isoformat()}），不能生成这一期的报告")
    as_of = min(period.end, today)
    now = source.states_on([t.id for t in plan.tasks], as_of)  # the one replay every view uses
    selection = select(plan, now, TaskFilter(units=list(units), include_collective=include_collective))
    chosen = [row.task.id for row in selection.rows]
    # The state at the period's start, and the changes in force made during it, of the chosen tasks only.
    before = source.states_on(chosen, min(period.start - dt.timedelta(days=1), as_of))
    # The changes in force made during it, and those recorded during it but dated before it (a completion
    # dated by its 完成日期, `done --date`): what was reported this week is in this week's report.
    last = as_of.isoformat()
    in_period = [e for e in source.in_force(chosen, period.start - REPORTED_LATE, as_of, reported_from=period.start)
                 if e.date >= period.start or e.at[:10] <= last]
    taken_back = source.undos(chosen, period.start, as_of)
    undone = source.reverted(taken_back) if taken_back else {}
    recs = records(plan, selection.rows, as_of, thresholds)
    for row, rec in zip(selection.rows, recs, strict=True):
        when = row.state.last_note_date
        rec["last_note_date"] = when.isoformat() if when else None
    next_period = period.following()
    form = office or OfficeForm()
    if form.issue_no is None and period.iso_week:
        form = form._replace(issue_no=issue_number(plan, period))
    warned = warning_records(recs)
    return WeeklyReport(
        title=report_title(plan, period),
        period=period,
        as_of=as_of,
        by=by,
        scope=[u.name for u in units],
        collective_hidden=selection.collective_hidden + hidden_elsewhere,
        collective_name=plan.collective_name,
        overview=overview(selection.rows, recs, before, len(in_period) + len(taken_back),
                          review=plan.review_required),
        units=unit_rows(plan, selection.rows, recs, [u.name for u in units]),
        progress=progress_groups(plan, [*in_period, *taken_back], {row.task.id: judged_due(row.task, row.state)
                                                   for row in selection.rows}, undone, (form.sign_date or as_of).year),
        warnings=[r for r in warned if not is_stale_only(r)],
        next_period=next_period,
        due_next=[r for row, r in zip(selection.rows, recs, strict=True)  # by the date in force (a 延期 nobody
                  if row.state.status is not Status.DONE  # approved moves nothing: found in review)
                  and next_period.contains(due_in_force(row.task, row.state))],
        ongoing=ongoing_records(selection.rows, recs, named={r["id"] for r in warned}),
        notes=dict(notes or {}),
        issuer=plan.issuer,
        stale=[r for r in warned if is_stale_only(r)],
        urge=urge_rows(plan, selection.rows, in_period, [u.name for u in units]),
        annex=list(recs),
        titles={row.task.id: row.task.title for row in selection.rows},
        office=form,
    )


def issue_number(plan: Plan, period: Period) -> int | None:
    """第 N 期 of a weekly report: weeks counted from the first week of the table's year in which reports can
    exist (the week of the notice's publication, or the year's first week), the first being 第 1 期."""
    first_day = max(plan.published, dt.date(plan.year, 1, 1)) if plan.year else plan.published
    first = week_of(first_day)
    if period.start < first.start:
        return None
    return (period.start - first.start).days // 7 + 1


def _counts(statuses: Iterable[Status]) -> dict[Status, int]:
    out = dict.fromkeys(Status, 0)
    for status in statuses:
        out[status] += 1
    return out


def overview(rows: Sequence[Row], recs: Sequence[TaskRecord], before: Mapping[int, TaskState],
             entries: int, *, review: bool = False) -> Overview:
    start = {row.task.id: before[row.task.id].status for row in rows}
    end = {row.task.id: row.state.status for row in rows}
    dated = [row for row in rows if row.task.deadline.due is not None and not row.task.deadline.ongoing]
    ongoing = [row for row in rows if row.task.deadline.ongoing]
    return Overview(
        total=len(rows),
        counts=_counts(end.values()),
        before=_counts(start.values()),
        red=sum(r["signal"] == RED for r in recs),
        yellow=sum(r["signal"] == YELLOW for r in recs),
        changes=status_changes(start, end),
        entries=entries,
        dated=len(dated),
        dated_done=sum(row.state.status is Status.DONE and (not review or row.state.closed_on is not None)
                       for row in dated),
        ongoing=len(ongoing),
        ongoing_counts=_counts(row.state.status for row in ongoing),
        review=review,
        pending=sum(review and row.state.status is Status.DONE and row.state.closed_on is None for row in dated),
    )


# What a change of status between the period's start and end counts as; first match wins.
_CHANGE_KINDS: tuple[tuple[str, Callable[[Status, Status], bool]], ...] = (
    ("新完成", lambda a, b: b is Status.DONE),
    ("新增受阻", lambda a, b: b is Status.BLOCKED),
    ("改回未开始", lambda a, b: b is Status.TODO),  # an undo (or a hand edit) took a start or completion back
    ("重新打开", lambda a, b: a is Status.DONE),
    ("解除受阻", lambda a, b: a is Status.BLOCKED),
    ("新开始推进", lambda a, b: a is Status.TODO and b is Status.DOING),
)


def status_changes(start: Mapping[int, Status], end: Mapping[int, Status]) -> list[Change]:
    found: dict[str, list[int]] = {label: [] for label, _ in _CHANGE_KINDS}
    for task_id in sorted(end):
        a, b = start[task_id], end[task_id]
        if a is b:
            continue
        for label, test in _CHANGE_KINDS:
            if test(a, b):
                found[label].append(task_id)
                break
    return [Change(label, tuple(tasks)) for label, tasks in found.items() if tasks]


def task_progress(state: TaskState) -> int:
    """One task's progress for UNIT_PROGRESS_RULE."""
    if state.status is Status.DONE:
        return 100
    return state.percent or 0


def rows_by_unit(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """The rows of each unit a task names (a task once per unit), in the order of `rows`: one pass over them."""
    out: dict[str, list[Row]] = {}
    for row in rows:
        for name in set(row.task.units):
            out.setdefault(name, []).append(row)
    return out


def unit_rows(plan: Plan, rows: Sequence[Row], recs: Sequence[TaskRecord], only: Sequence[str]) -> list[UnitRow]:
    """One row per unit with tasks in the report (only the asked-for units when --unit was given)."""
    overdue = {r["id"] for r in recs if r["signal"] == RED}
    by_unit = rows_by_unit(rows)
    out = []
    for unit in plan.units:
        if only and unit.name not in only:
            continue
        mine = by_unit.get(unit.name)
        if not mine:
            continue
        status = _counts(row.state.status for row in mine)
        total = sum(task_progress(row.state) for row in mine)
        out.append(UnitRow(
            name=unit.name,
            collective=unit.collective,
            lead=sum(unit.name in row.task.leads for row in mine),
            total=len(mine),
            done=status[Status.DONE],
            doing=status[Status.DOING],
            blocked=status[Status.BLOCKED],
            overdue=sum(row.task.id in overdue for row in mine),
            progress=(2 * total + len(mine)) // (2 * len(mine)),  # rounded half up
        ))
    return out


def entry_kind(entry: Entry, undone: Mapping[str, Entry] | None = None, year: int | None = None) -> tuple[str, str]:
    """(kind, Chinese label) of one journal entry, the 督办 steps included (签收, 延期, 审核). `undone`: the
    entries undo lines take back, by id: an undo names what it took back (撤销11月13日的“审核销号”). `year`: the
    document's; a date in another is written with its year (延期至2022年1月31日 in a 2021 report; found by a reader:
    延期至1月31日 read as a date before the deadline it moved)."""
    if entry.op == "accept":
        return "accept", f"{entry.unit}签收" if entry.unit else "签收"
    if entry.op == "extend":  # a 延期 nobody approved is a request (signals.due_in_force)
        if not entry.due:
            return "extend", "延期"
        if entry.approved_by:
            return "extend", f"延期至{day_text(entry.due, year)}（{entry.approved_by}批准）"
        return "extend", f"申请延期至{day_text(entry.due, year)}（未经批准）"
    if entry.op == "review":
        return ("close", "审核销号") if entry.result == "pass" else ("return", "审核退回")
    if entry.op == "undo":  # a status change taken back carries the status before and after
        if entry.from_status is not None and entry.to_status is not None:
            return "undo", f"撤销此前登记的“{entry.from_status.label}”，改回“{entry.to_status.label}”"
        before = (undone or {}).get(entry.undoes)
        if before is not None:  # a 延期, a 审核, a 签收 or a note taken back (found in review: the 周报 said only
            # 撤销一条此前的登记 of a 销号 undone, and a leader could not tell what had changed)
            return "undo", f"撤销{day_text(before.date, year)}的“{entry_kind(before, year=year)[1]}”"
        return "undo", "撤销一条此前的登记"
    if entry.op != "status" or entry.to_status is None:
        return "note", "进展"
    if entry.to_status is Status.DONE:
        return "done", "完成"
    if entry.to_status is Status.BLOCKED:
        return "block", "受阻"
    if entry.to_status is Status.TODO:
        return "note", "改为未开始"
    if entry.from_status is Status.DONE:
        return "reopen", "重新打开"
    if entry.from_status is Status.BLOCKED:
        return "resume", "恢复推进"
    return "start", "启动"


def _late(kind: tuple[str, str], entry: Entry, due: dt.date | None) -> tuple[str, str]:
    """完成 recorded after the date it is judged by (signals.judged_due): 逾期 N 天完成, as the signal says."""
    if kind[0] == "done" and due is not None and entry.date > due:
        return "done", f"逾期 {(entry.date - due).days} 天完成"
    return kind


def progress_groups(plan: Plan, entries: Sequence[Entry], due: Mapping[int, dt.date | None] | None = None,
                    undone: Mapping[str, Entry] | None = None, year: int | None = None) -> list[ProgressGroup]:
    """The period's entries as one line per task, grouped by the task's lead unit (units in table order),
    tasks in the order of their first entry: the changes in order, the latest note, percent and evidence.
    `due`: each task's date it is judged by (signals.judged_due); a completion after it reads 逾期 N 天完成.
    `undone`: the entries the undo lines take back, by id, and `year` the document's (entry_kind)."""
    by_task: dict[int, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.date, e.lineno)):
        by_task.setdefault(entry.task, []).append(entry)
    groups: dict[str, list[ProgressItem]] = {}
    for task_id, mine in by_task.items():
        task = plan.task(task_id)
        assert task is not None  # live entries only name tasks of the plan
        kinds = [_late(entry_kind(e, undone, year), e, (due or {}).get(task_id)) for e in mine]
        changes = tuple(label for kind, label in kinds if kind != "note" or label != "进展")
        last = _latest_word(mine)
        percent = None  # the latest percent reported, unless a completion came after it (100%: 完成 says it; found
        for e in mine:  # by a tester: 完成、审核销号；进度 90% of a task closed that week)
            if e.op == "status" and e.to_status is Status.DONE:
                percent = None
            elif e.percent is not None:
                percent = e.percent
        real = [kind for kind, label in kinds if label != "进展"]
        groups.setdefault(task.lead_unit, []).append(ProgressItem(
            task=task.id, title=task.title, kind=real[-1] if real else "note", changes=changes,
            note=last.note, date=last.date, by=last.by, percent=percent,
            evidence=tuple(dict.fromkeys(e.evidence for e in mine if e.evidence)),
        ))
    order = {u.name: i for i, u in enumerate(plan.units)}
    names = sorted(groups, key=lambda name: (order.get(name, len(order)), name))
    return [ProgressGroup(name, tuple(groups[name])) for name in names]


def _latest_word(mine: Sequence[Entry]) -> Entry:
    """Of one task's entries in the period (in the order they happened), the one whose note is its latest word:
    the latest with a note, but not a 退回 a later change made history (state.ends_return: as in `show`, its
    reason is then no longer the latest note); else the latest entry (a change without a note: when and who)."""
    ended = False  # a change after this one ends a 退回
    for e in reversed(mine):
        if e.note and not (ended and e.op == "review" and e.result != "pass"):
            return e
        ended = ended or ends_return(e)
    return mine[-1]


def is_stale_only(rec: Mapping[str, Any]) -> bool:
    """A yellow 持续推进 task whose only concern is that it was not updated (listed apart from the warnings)."""
    return bool(rec["ongoing"]) and rec["signal"] == YELLOW and rec["status"] != _BLOCKED


def ongoing_records(rows: Sequence[Row], recs: Sequence[TaskRecord], named: Collection[int] = ()) -> list[TaskRecord]:
    """持续推进 tasks not done, each with the date of its latest note, less those `named` in 预警事项 already.

    A reader (the 分管领导 with the printout) expects each task once, where the report says what to do about it:
    a 持续推进 task nobody updated for the stale window is in 预警事项's list of them (请牵头单位及时登记), one
    that is blocked in the warnings table (受阻：…); naming it again under 持续推进事项 read as two tasks, or as a
    second, milder verdict on the same one. So that section lists the 持续推进 tasks on track."""
    return [rec for row, rec in zip(rows, recs, strict=True)
            if row.task.deadline.ongoing and row.state.status is not Status.DONE and row.task.id not in named]


def urge_rows(plan: Plan, rows: Sequence[Row], in_period: Sequence[Entry], only: Sequence[str]) -> list[UrgeRow]:
    """催报: each unit (table order) with open tasks in the report none of which had an entry in the period.
    An entry that names its unit (a unit's row on a shared task, anything from a unit's 填报表) counts for
    that unit only: another unit's reply on a task two units share is not this unit's report. One typed at the
    command line names none: it is the lead's report, and a unit that leads tasks of its own is judged by them
    (found by a reader: 政府网站, nothing recorded on its own tasks, was excused by another unit's note on a task
    it shares); a unit that leads none, by any entry on its tasks."""
    from gwgk_cli.sheet_source import parse_source

    touched: set[int] = set()  # tasks with an entry of no named unit (typed at the command line)
    touched_by: dict[str, set[int]] = {}
    for e in in_period:
        if e.op == "review":  # a reviewer's 退回 is not the unit's report
            continue
        reporter = e.unit or (parse_source(e.source) or {}).get("unit", "")
        if reporter:
            touched_by.setdefault(reporter, set()).add(e.task)
        else:
            touched.add(e.task)
    by_unit = rows_by_unit(rows)
    out = []
    for unit in plan.units:
        if only and unit.name not in only:
            continue
        mine = by_unit.get(unit.name, [])
        open_tasks = [row.task for row in mine if row.state.status is not Status.DONE]
        led_open = [t for t in open_tasks if unit.name in t.leads]
        if led_open:  # its own tasks to report on: judged by them, and they are what it is asked for
            led = {row.task.id for row in mine if unit.name in row.task.leads}
            own, asked = (touched & led) | touched_by.get(unit.name, set()), led_open
        else:
            own, asked = touched | touched_by.get(unit.name, set()), open_tasks
        if asked and not any(row.task.id in own for row in mine):
            out.append(UrgeRow(unit.name, tuple((t.id, t.title) for t in asked)))
    return out


# --------------------------------------------------------------------------- export and files


def export_records(plan: Plan, states: Mapping[int, TaskState], today: dt.date, thresholds: Thresholds, *,
                   extra: bool = False) -> list[TaskRecord]:
    """Every task with its current status, signal and last note (the list JSON records); with `extra` (CSV,
    xlsx) also the date of the latest note (last_note_date)."""
    rows = select(plan, states, TaskFilter()).rows
    recs = records(plan, rows, today, thresholds)
    if not extra:
        return recs
    for row, rec in zip(rows, recs, strict=True):
        note_day = row.state.last_note_date
        rec["last_note_date"] = note_day.isoformat() if note_day else None
    return recs


# CSV export columns after plain.CSV_TASK_COLUMNS: (header, getter).
EXPORT_COLUMNS: list[tuple[str, Callable[[Mapping[str, Any]], Any]]] = [
    ("佐证材料", methodcaller("get", "evidence")),
    ("登记人", methodcaller("get", "updated_by")),
    ("完成时间", methodcaller("get", "done_on")),
]


class HistoryRow(NamedTuple):
    """One line of the 进展记录 sheet: a live journal entry."""

    date: dt.date
    by: str
    task: int
    title: str
    change: str
    percent: int | None
    note: str
    evidence: str


def history_rows(plan: Plan, entries: Iterable[Entry], as_of: dt.date) -> list[HistoryRow]:
    """The journal in force as of a date (nothing dated later, nothing undone by then, no undo lines), oldest
    first: 日期, 登记人, 任务, 变更, 进度, 说明, 佐证材料. The 台账's 进展记录 beside its 截至 date."""
    ids = plan.task_ids()
    out = []
    for entry in sorted(live_entries(entries, ids, as_of), key=lambda e: (e.date, e.lineno)):
        task = plan.task(entry.task)
        _, change = entry_kind(entry, year=0)  # every date with its year, as the 台账 writes its dates (found by a tester)
        out.append(HistoryRow(entry.date, entry.by, entry.task, task.title if task else "", change, entry.percent,
                              entry.note, entry.evidence))
    return out


# The table's settings: keys a future `gwgk config` (branch i12surface) or the table may provide; options win.
OFFICE_SETTINGS = {"send_to": "report_send_to", "copy_to": "report_copy_to", "signer": "report_signer"}


def office_form(settings: Mapping[str, Any], *, issue_no: int | None = None, send_to: str | None = None,
                copy_to: str | None = None, signer: str | None = None) -> OfficeForm:
    """期号, 报送, 抄送 and 落款 from the options, else from `settings` (OFFICE_SETTINGS keys), else empty."""
    def pick(value: str | None, name: str) -> str:
        if value is not None:
            return value.strip()
        found = settings.get(OFFICE_SETTINGS[name])
        return str(found).strip() if found is not None else ""

    return OfficeForm(issue_no=issue_no, send_to=pick(send_to, "send_to"), copy_to=pick(copy_to, "copy_to"),
                      signer=pick(signer, "signer"))


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (safe_write); a failure is one OutputError line."""
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        from gwgk_cli.paths import os_reason

        raise OutputError(f"无法写入 {path}: {os_reason(exc, path)}") from None
