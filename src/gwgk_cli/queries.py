"""Queries: which tasks a clerk asked for, and the plain records every renderer draws from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from gwgk_cli.errors import BadValue, UnknownSection, UnknownTask
from gwgk_cli.model import Plan, Section, Status, Subsection, Task, Unit
from gwgk_cli.numerals import parse_cn_numeral
from gwgk_cli.signals import (
    DEFAULT_STALE_DAYS,
    DEFAULT_WARN_DAYS,
    RED,
    SEVERITY,
    SIGNAL_LABELS,
    YELLOW,
    Signal,
    Thresholds,
    due_in_force,
    signal_for,
)
from gwgk_cli.state import TaskState

if TYPE_CHECKING:
    from gwgk_cli.store import Tracker


def resolve_section(plan: Plan, text: str) -> Section:
    """一…五, 1…5, 四、, or part of the section's title."""
    query = text.strip().rstrip("、.")
    no = parse_cn_numeral(query)
    if no is not None:
        section = plan.section(no)
        if section is None:
            raise UnknownSection(f"没有第 {query} 部分（共 {len(plan.sections)} 个部分：{_numerals(plan)}）")
        return section
    found = [s for s in plan.sections if query and query in s.title]
    if len(found) == 1:
        return found[0]
    if found:
        names = "、".join(f"{s.numeral}、{s.title}" for s in found)
        raise UnknownSection(f"部分 “{text}” 不明确，可能是：{names}")
    raise UnknownSection(f"未知部分 “{text}”（可用 {_numerals(plan)}、1–{len(plan.sections)} 或标题中的词）")


def _numerals(plan: Plan) -> str:
    return "".join(s.numeral for s in plan.sections)


_PARENS = str.maketrans("", "", "()()")


def resolve_subsection(plan: Plan, text: str, section: Section | None) -> tuple[Section, Subsection]:
    """(一) / 一 / 1 within a section, or part of a subsection title (anywhere when no section is given)."""
    query = text.strip().translate(_PARENS)
    no = parse_cn_numeral(query)
    if no is not None:
        if section is None:
            raise BadValue("按编号选小节时需同时给出 --section（例如 --section 二 --subsection 3）")
        sub = section.subsection(no)
        if sub is None:
            raise UnknownSection(f"第{section.numeral}部分没有第（{query}）小节（共 {len(section.subsections)} 个小节）")
        return section, sub
    scope = [section] if section else list(plan.sections)
    found = [(s, sub) for s in scope for sub in s.subsections if query and query in sub.title]
    if len(found) == 1:
        return found[0]
    if found:
        names = "、".join(f"{s.numeral}{sub.label}{sub.title}" for s, sub in found)
        raise UnknownSection(f"小节 “{text}” 不明确，可能是：{names}")
    raise UnknownSection(f"未知小节 “{text}”（gwgk sections 列出全部小节）")


class TaskFilter:
    """What a clerk asked for; every condition must hold. (Plain classes and NamedTuples here, not
    dataclasses: each dataclass costs most of a millisecond at every start.)"""

    __slots__ = ("units", "lead_only", "include_collective", "section", "subsection", "statuses", "states",
                 "search", "due_before")

    def __init__(self, *, units: list[Unit] | None = None, lead_only: bool = False, include_collective: bool = False,
                 section: int | None = None, subsection: int | None = None, statuses: set[Status] | None = None,
                 states: set[str] | None = None, search: str = "", due_before: dt.date | None = None) -> None:
        self.units = units or []  # any of them
        self.lead_only = lead_only
        self.include_collective = include_collective
        self.section = section
        self.subsection = subsection
        self.statuses = statuses or set()  # any of them
        self.states = states or set()  # 督办 states (model.SUPERVISION_STATES), any of them or of the statuses
        self.search = search
        self.due_before = due_before

    def __repr__(self) -> str:
        return "TaskFilter(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__) + ")"


class Row(NamedTuple):
    task: Task
    state: TaskState
    via_collective: bool = False  # included only because a collective unit (各相关科室) has it


class Selection(NamedTuple):
    rows: list[Row]
    hidden: tuple[Row, ...] = ()  # tasks left out because only a collective unit names them

    @property
    def collective_hidden(self) -> int:
        return len(self.hidden)


def _unit_match(task: Task, wanted: frozenset[str], lead_only: bool, collective: frozenset[str]) -> tuple[bool, bool]:
    """(named, via collective) for the unit filter; `collective` is empty when a collective unit is wanted."""
    pool = task.leads if lead_only else task.units
    if any(u in wanted for u in pool):
        return True, False
    if lead_only:
        return False, False
    return False, any(u in collective for u in task.units)


def candidate_units(plan: Plan, flt: TaskFilter) -> frozenset[str] | None:
    """The units a task must name to pass the unit filter (a wanted one, or a collective one such as 各相关
    科室, which `select` counts apart); None without a unit filter."""
    wanted = frozenset(u.name for u in flt.units)
    if not wanted:
        return None
    return wanted | (frozenset() if wanted & plan.collective_units else plan.collective_units)


def select_tracked(tracker: Tracker, flt: TaskFilter) -> tuple[Plan, Selection]:
    """`select` over the tracker's tasks, building only the tasks the unit and section filters leave (the
    index finds them) and only their states. Returns the plan's header with the selection."""
    plan = tracker.header
    if flt.lead_only and not flt.units:
        raise BadValue("--lead 需要和 --unit 一起使用（例如 --unit 指导办 --lead）")
    tasks, states = tracker.tracked(units=candidate_units(plan, flt), section=flt.section, subsection=flt.subsection)
    return plan, select(plan, states, flt, tasks=tasks)


def select(plan: Plan, states: Mapping[int, TaskState], flt: TaskFilter, *, tasks: Iterable[Task] | None = None
           ) -> Selection:
    """Apply every filter (AND between filters, OR within a repeated one) to the plan's tasks (or to
    `tasks`, a part of them the caller already narrowed)."""
    if flt.lead_only and not flt.units:
        raise BadValue("--lead 需要和 --unit 一起使用（例如 --unit 指导办 --lead）")
    if flt.states & {"review", "closed"} and not plan.review_required:  # else an empty list, as if none waited
        raise BadValue("本任务表未启用审核销号，没有“待审核”“已销号”的任务：--status 请用 done（已完成），"
                       "或在任务表的 settings 中写 review: true")
    wanted = frozenset(u.name for u in flt.units)
    collective = frozenset() if wanted & plan.collective_units else plan.collective_units
    needle = flt.search.strip().lower()
    section, subsection, lead_only = flt.section, flt.subsection, flt.lead_only
    statuses, wanted_states, due_before = flt.statuses, flt.states, flt.due_before
    by_status = bool(statuses or wanted_states)
    rows: list[Row] = []
    hidden: list[Row] = []
    for task in (plan.tasks if tasks is None else tasks):
        if section is not None and task.section != section:
            continue
        if subsection is not None and task.subsection != subsection:
            continue
        named = via = False
        if wanted:  # first, as it is the cheapest and the most selective
            named, via = _unit_match(task, wanted, lead_only, collective)
            if not named and not via:
                continue
        state = states.get(task.id) or TaskState()
        if by_status and not (state.status in statuses or supervision_state(plan, task, state) & wanted_states):
            continue
        if needle and needle not in task.title.lower() and needle not in task.requirement.lower():
            continue
        if due_before is not None:
            due = due_in_force(task, state)
            if due is None or due >= due_before:
                continue
        if via and not named and not flt.include_collective:
            hidden.append(Row(task, state, via))
            continue
        rows.append(Row(task, state, via))
    return Selection(rows, tuple(hidden))


def is_accepted(plan: Plan, task: Task, state: TaskState) -> bool:
    """签收: the lead unit has acknowledged the task (for a collective lead such as 各相关科室, any unit)."""
    if task.lead_unit in plan.collective_units:
        return bool(state.accepted)
    return state.accepted_by(task.lead_unit)


def supervision_state(plan: Plan, task: Task, state: TaskState) -> set[str]:
    """Which 督办 states (model.SUPERVISION_STATES) the task is in."""
    out = set()
    if state.status is not Status.DONE and not is_accepted(plan, task, state):
        out.add("unaccepted")
    if state.status is Status.DONE and plan.review_required:
        out.add("closed" if state.closed_on else "review")
    return out


def status_label(plan: Plan, state: TaskState) -> str:
    """The status as every view shows it; with review on, 已完成(待审核) until a reviewer closes it (已销号)."""
    if state.status is Status.DONE and plan.review_required:
        return "已销号" if state.closed_on else "已完成（待审核）"
    return state.status.label


class ExtensionRecord(TypedDict):
    date: str
    to: str
    approved_by: str | None
    reason: str


class AcceptanceRecord(TypedDict):
    unit: str
    date: str


class _Added(TypedDict, total=False):
    """Keys some views add to a task record: report/export (last_note_date), show."""

    last_note_date: str | None
    history: list[dict[str, Any]]
    section_path: str
    due_text: str
    accept_text: str
    status_text: str


class TaskRecord(_Added):
    """One task as every view gets it (README: JSON output): mypy checks the keys a renderer reads."""

    id: int
    section: int
    section_label: str
    section_title: str
    subsection: int | None
    subsection_label: str | None
    subsection_title: str | None
    title: str
    requirement: str
    units: list[str]
    units_as_written: list[str]
    lead_unit: str
    leads: list[str]
    via_collective: bool
    deadline: str
    due: str | None
    original_due: str | None
    extensions: list[ExtensionRecord]
    accepted: bool
    accepted_by: list[AcceptanceRecord]
    review: str | None
    ongoing: bool
    days_left: int | None
    done_on: str | None
    status: str
    status_label: str
    percent: int | None
    updated: str | None
    updated_by: str | None
    last_note: str | None
    evidence: str | None
    blocked_reason: str | None
    signal: str
    signal_label: str
    signal_reason: str


def task_record(plan: Plan, row: Row, today: dt.date, sig: Signal) -> TaskRecord:
    """The documented JSON shape of one task (README: JSON output), with its deadline signal."""
    return record_maker(plan, today)(row, sig)


Place = tuple[str, str, str | None, str | None]  # section_label, section_title, subsection_label, subsection_title


def _place_finder(plan: Plan) -> tuple[dict[tuple[int, int | None], Place], Callable[[int, int | None], Place]]:
    """(the places found so far by (section, subsection), the function that finds and adds a place)."""
    places: dict[tuple[int, int | None], Place] = {}

    def place(section_no: int, subsection_no: int | None) -> Place:
        section = plan.section(section_no)
        sub = section.subsection(subsection_no) if section else None
        found = (section.numeral if section else str(section_no), section.title if section else "",
                 sub.label if sub else None, sub.title if sub else None)
        places[section_no, subsection_no] = found
        return found

    return places, place


def record_maker(plan: Plan, today: dt.date) -> Callable[[Row, Signal], TaskRecord]:
    """`task_record` for many rows of one plan and date: what the rows share is worked out once (the section
    and subsection names, the status labels, the review setting, the collective units)."""
    review = plan.review_required
    places, place = _place_finder(plan)
    values = {status: status.value for status in Status}
    done_status, blocked_status = Status.DONE, Status.BLOCKED

    def make(row: Row, sig: Signal) -> TaskRecord:
        task, state = row.task, row.state
        deadline = task.deadline
        table_due = deadline.due
        due = due_in_force(task, state)
        section_label, section_title, sub_label, sub_title = (places.get((task.section, task.subsection))
                                                              or place(task.section, task.subsection))
        status = state.status
        leads, units = task.leads, task.units
        accepted = state.accepted
        review_on = review and status is done_status
        updated = state.updated
        extensions = state.extensions
        return {
            "id": task.id,
            "section": task.section,
            "section_label": section_label,
            "section_title": section_title,
            "subsection": task.subsection,
            "subsection_label": sub_label,
            "subsection_title": sub_title,
            "title": task.title,
            "requirement": task.requirement,
            "units": list(units),
            "units_as_written": list(task.units_written),
            "lead_unit": task.lead_unit,
            "leads": list(leads),
            "via_collective": row.via_collective,
            "deadline": deadline.phrase,
            "due": due.isoformat() if due else None,
            "original_due": table_due.isoformat() if table_due else None,
            "extensions": [{"date": x.date.isoformat(), "to": x.to.isoformat(), "approved_by": x.approved_by or None,
                            "reason": x.reason} for x in extensions] if extensions else [],
            "accepted": is_accepted(plan, task, state),
            "accepted_by": [{"unit": unit, "date": day.isoformat()} for unit, day in accepted] if accepted else [],
            "review": ("closed" if state.closed_on else "pending") if review_on else None,
            "ongoing": deadline.ongoing,
            "days_left": (due - today).days if due and status is not done_status else None,  # done: stopped
            "done_on": state.done_on.isoformat() if state.done_on and status is done_status else None,
            "status": values[status],
            "status_label": status_label(plan, state),
            "percent": state.percent,
            "updated": updated.isoformat() if updated else None,
            "updated_by": state.updated_by or None,
            "last_note": state.last_note or task.notice_progress or None,
            "evidence": state.evidence or None,
            "blocked_reason": (state.blocked_reason or None) if status is blocked_status else None,
            "signal": sig.signal,
            "signal_label": SIGNAL_LABELS[sig.signal],
            "signal_reason": sig.reason,
        }

    return make


# The status values records hold (an enum member's .value is a property: looked up once here).
_BLOCKED, _TODO = Status.BLOCKED.value, Status.TODO.value


URGENT_DAYS = 7  # a yellow task due within a week needs action now, whatever its status


def urgency(rec: Mapping[str, Any]) -> int:
    """Within yellow: 0 blocked, not started, behind schedule or due within URGENT_DAYS; 1 merely near its due
    date (还剩 8–30 天) or idle."""
    return _urgency(rec["status"], rec["signal_reason"], rec["days_left"])


def _urgency(status: str, reason: object, days_left: int | None) -> int:
    return 0 if (status in (_BLOCKED, _TODO) or "进度落后" in str(reason)
                 or (days_left is not None and days_left <= URGENT_DAYS)) else 1


def _warning_key(signal: str, status: str, reason: object, days_left: int | None, task_id: int
                 ) -> tuple[int, int, int, int]:
    return (SEVERITY[signal], _urgency(status, reason, days_left) if signal == YELLOW else 0,
            days_left if days_left is not None else 10**6, task_id)


def warning_records(recs: Iterable[TaskRecord]) -> list[TaskRecord]:
    """Red, then yellow by urgency (blocked, not started, behind schedule or due within a week before merely
    还剩 N 天); the nearest
    due date first, then by id. (Here rather than in report.py, so that `warn` and `check` do not import
    the report.)"""
    bad = [r for r in recs if r["signal"] in (RED, YELLOW)]
    return sorted(bad, key=lambda r: _warning_key(r["signal"], r["status"], r["signal_reason"], r["days_left"], r["id"]))


def require_ids(ids: Iterable[int], valid: frozenset[int], id_range: str) -> list[int]:
    """All-or-nothing: every id must exist, or nothing is written (or shown)."""
    ids = list(ids)
    if not ids:
        raise BadValue("请给出任务序号")
    missing = [i for i in ids if i not in valid]
    if missing:
        raise UnknownTask(missing_ids_message(missing, id_range))
    return ids


def missing_ids_message(missing: list[int], id_range: str) -> str:
    """任务 99 不存在(有效序号 1–28); a long list is cut short."""
    which = "、".join(str(i) for i in missing[:10]) + (f" 等 {len(missing)} 个序号" if len(missing) > 10 else "")
    return f"任务 {which} 不存在（有效序号 {id_range}）"


def parse_ids(texts: Iterable[str]) -> list[int]:
    """'4', '4,15', '14-16', '14–16' (several arguments allowed) -> ids in the order given, no repeats."""
    out: list[int] = []
    for text in texts:
        for part in text.replace("\uff0c", ",").replace("、", ",").split(","):
            part = part.strip()
            if not part:
                continue
            lo, sep, hi = part.replace("–", "-").replace("~", "-").partition("-")
            try:
                if sep:
                    start, end = int(lo), int(hi)
                    if start > end or end - start > 100_000:
                        raise ValueError
                    out.extend(range(start, end + 1))
                else:
                    out.append(int(part))
            except ValueError:
                raise BadValue(f"无效的任务序号 “{part}”（例如 4、4,15 或 14-16）") from None
    return list(dict.fromkeys(out))


def records(plan: Plan, rows: Iterable[Row], today: dt.date, thresholds: Thresholds) -> list[TaskRecord]:
    """Task records with their deadline signal (红黄绿灯)."""
    make = record_maker(plan, today)
    published = plan.published
    return [make(row, signal_for(row.task, row.state, today, published, thresholds)) for row in rows]


def signals_of(plan: Plan, rows: Iterable[Row], today: dt.date, thresholds: Thresholds) -> list[str]:
    """Only the signals (red/yellow/green/done) of `rows`, as `records` would give them."""
    published = plan.published
    return [signal_for(row.task, row.state, today, published, thresholds).signal for row in rows]


def signed_records(plan: Plan, signed: Iterable[tuple[Row, Signal]], today: dt.date) -> list[TaskRecord]:
    """Task records of rows whose signal the caller already worked out (`records` without a second
    signal_for per row)."""
    make = record_maker(plan, today)
    return [make(row, sig) for row, sig in signed]


# The record keys `task_values` gives: those plain.TASK_COLUMNS and the warnings' order read.
VALUE_KEYS = ("id", "section_label", "subsection_label", "title", "units", "lead_unit", "deadline", "due", "days_left",
              "status", "status_label", "percent", "updated", "signal", "signal_label", "signal_reason")


def task_values(plan: Plan, signed: Sequence[tuple[Row, Signal]], today: dt.date) -> dict[str, list[Any]]:
    """For rows whose signal is known: what their records (task_record) hold under VALUE_KEYS, one list per
    key in the rows' order, without a record per row (TSV and CSV print 14 of a record's 35 keys).
    tests/test_task_values.py checks these against the records."""
    return fact_values(plan, [task_facts(plan, row.task, row.state, sig) for row, sig in signed], today)


# What fact_values reads of a task with its signal: (id, section, subsection, title, units, leads, deadline phrase,
# signal, reason, due date in force (ordinal), status, status label, percent, last update (ordinal)); made from the
# task and its state (task_facts) or from the signal the index keeps (index_read.IndexReads.stored_signals).
Facts = tuple[int, int, "int | None", str, tuple[str, ...], tuple[str, ...], str, str, str, "int | None", str, str,
              "int | None", "int | None"]


def task_facts(plan: Plan, task: Task, state: TaskState, sig: Signal) -> Facts:
    due, updated = due_in_force(task, state), state.updated
    return (task.id, task.section, task.subsection, task.title, task.units, task.leads, task.deadline.phrase,
            sig.signal, sig.reason, due.toordinal() if due else None, state.status.value, status_label(plan, state),
            state.percent, updated.toordinal() if updated else None)


def fact_values(plan: Plan, facts: Sequence[Facts], today: dt.date) -> dict[str, list[Any]]:
    """`task_values` from each task's facts (Facts), one list per key of VALUE_KEYS."""
    places, place = _place_finder(plan)
    found = [places.get((f[1], f[2])) or place(f[1], f[2]) for f in facts]
    iso = _iso_days()
    done = Status.DONE.value
    today_n = today.toordinal()
    return {
        "id": [f[0] for f in facts],
        "section_label": [p[0] for p in found],
        "subsection_label": [p[2] for p in found],
        "title": [f[3] for f in facts],
        "units": [list(f[4]) for f in facts],
        "lead_unit": [f[5][0] if f[5] else (f[4][0] if f[4] else "") for f in facts],  # Task.lead_unit
        "deadline": [f[6] for f in facts],
        "due": [iso[f[9]] for f in facts],
        "days_left": [f[9] - today_n if f[9] is not None and f[10] != done else None for f in facts],
        "status": [f[10] for f in facts],
        "status_label": [f[11] for f in facts],
        "percent": [f[12] for f in facts],
        "updated": [iso[f[13]] for f in facts],
        "signal": [f[7] for f in facts],
        "signal_label": [SIGNAL_LABELS[f[7]] for f in facts],
        "signal_reason": [f[8] for f in facts],
    }


class _IsoDays(dict[Any, "str | None"]):
    """A day ordinal's ISO date, each worked out once (None: None)."""

    def __missing__(self, n: int) -> str:
        text = self[n] = dt.date.fromordinal(n).isoformat()
        return text


def _iso_days() -> _IsoDays:
    return _IsoDays({None: None})


def warning_order(values: Mapping[str, Sequence[Any]]) -> list[int]:
    """The positions of `task_values`'s rows in the order of `warning_records` (red and yellow rows only)."""
    signal, status, reason, days, ids = (values[k] for k in ("signal", "status", "signal_reason", "days_left", "id"))
    return sorted((i for i, s in enumerate(signal) if s in (RED, YELLOW)),
                  key=lambda i: _warning_key(signal[i], status[i], reason[i], days[i], ids[i]))


def thresholds_for(plan: Plan, warn_days: int | None = None, stale_days: int | None = None) -> Thresholds:
    """Options win over the table's settings: block, which wins over the defaults."""
    settings = plan.settings
    return Thresholds(
        warn_days=warn_days if warn_days is not None else int(settings.get("warn_days", DEFAULT_WARN_DAYS)),
        stale_days=stale_days if stale_days is not None else int(settings.get("stale_days", DEFAULT_STALE_DAYS)),
    )


def unit_records(plan: Plan, states: Mapping[int, TaskState]) -> list[dict[str, Any]]:
    """`gwgk units`: each unit with its aliases, pinyin initials and task counts (total, lead, by status)."""
    from gwgk_cli.pinyin import initials_for

    counts = {u.name: {"total": 0, "lead": 0, **{s.value: 0 for s in Status}} for u in plan.units}
    for task in plan.tasks:
        status = (states.get(task.id) or TaskState()).status.value
        for name in task.units:
            row = counts[name]
            row["total"] += 1
            row[status] += 1
            row["lead"] += name in task.leads
    return [{"name": u.name, "aliases": list(u.aliases), "pinyin": initials_for(u), "collective": u.collective,
             **counts[u.name]} for u in plan.units]


def outline(plan: Plan) -> list[dict[str, Any]]:
    """`gwgk sections`: sections 一…五 with their subsections and task ids, in one pass over the tasks."""
    by_section: dict[int, list[int]] = {}
    by_sub: dict[tuple[int, int | None], list[int]] = {}
    for task in plan.tasks:
        by_section.setdefault(task.section, []).append(task.id)
        by_sub.setdefault((task.section, task.subsection), []).append(task.id)
    return [
        {"no": sec.no, "label": sec.numeral, "title": sec.title,
         "subsections": [{"no": sub.no, "label": sub.label, "title": sub.title, "tasks": by_sub.get((sec.no, sub.no), [])}
                         for sub in sec.subsections],
         "tasks": by_section.get(sec.no, []), "unplaced": by_sub.get((sec.no, None), [])}
        for sec in plan.sections
    ]
