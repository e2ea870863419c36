"""The weekly report (周报) and the whole-tracker export, as plain data.

`build_report` turns the plan and the journal into a `WeeklyReport`: every section as lists and
dicts, already in the order and wording the report uses. The renderers (render/report_*.py) only
lay it out as text, Markdown or HTML. Core code: no typer, no rich.

The state at a date is the journal replayed with only the entries dated on or before it (entries
that were undone are left out whatever their date, as `gwgk undo` corrects a mistake). The report
is as of the period's end or --today, whichever is earlier, so re-running it later for a past week
gives the same report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gwgk_cli.errors import BadValue, OutputError
from gwgk_cli.journal import Entry, TaskState, replay, undone_ids
from gwgk_cli.model import Plan, Status, Unit, cn_numeral
from gwgk_cli.queries import Row, TaskFilter, records, select
from gwgk_cli.signals import RED, SEVERITY, YELLOW, Windows
from gwgk_cli.storage_io import write_text_atomic

NOTE_KEYS = ("存在问题", "下一步工作", "下一步工作打算", "意见建议")
NOTE_KEYS_TEXT = "、".join(NOTE_KEYS)
BAR_CELLS = 10
TITLE_LINE = 24  # characters of a title that fit one printed line


# --------------------------------------------------------------------------- dates and periods


def md_text(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True, slots=True)
class Period:
    """A closed range of days; an ISO week when it runs Monday to Sunday."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def iso_week(self) -> tuple[int, int] | None:
        if self.start.isoweekday() != 1 or self.days != 7:
            return None
        year, week, _ = self.start.isocalendar()
        return year, week

    @property
    def word(self) -> str:
        """本周 for a week, 本期 for any other period."""
        return "本周" if self.iso_week else "本期"

    @property
    def next_word(self) -> str:
        return "下周" if self.iso_week else "下期"

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def following(self) -> Period:
        """The period of the same length right after this one."""
        return Period(self.end + dt.timedelta(days=1), self.end + dt.timedelta(days=self.days))

    def span_text(self) -> str:
        """11月22日—11月28日; with years when they are not all the same one."""
        years = {self.start.year, self.end.year} | ({self.iso_week[0]} if self.iso_week else set())
        fmt = date_text if len(years) > 1 else md_text
        if self.start == self.end:
            return fmt(self.start)
        return f"{fmt(self.start)}—{fmt(self.end)}"

    def label(self) -> str:
        """2021年第47周，11月22日—11月28日 / 2021年11月1日—11月28日."""
        week = self.iso_week
        span = self.span_text()
        if week:
            return f"{week[0]}年第{week[1]}周，{span}"
        if self.start.year == self.end.year:
            return f"{self.start.year}年{span}"
        return span


_WEEK = re.compile(r"(\d{4})-?[Ww](\d{1,2})")


def parse_week(text: str) -> Period:
    """2021-W47, 2021W47, 2021-w47 -> that ISO week, Monday to Sunday."""
    match = _WEEK.fullmatch(text.strip())
    if not match:
        raise BadValue(f"无效的周次 “{text}”（应为 YYYY-Www，例如 2021-W47）")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks = dt.date(year, 12, 28).isocalendar()[1] if dt.MINYEAR <= year <= dt.MAXYEAR else 0
        raise BadValue(f"无效的周次 “{text}”：{year} 年只有第 1–{weeks} 周") from None
    return Period(monday, monday + dt.timedelta(days=6))


def week_of(day: dt.date) -> Period:
    monday = day - dt.timedelta(days=day.isoweekday() - 1)
    return Period(monday, monday + dt.timedelta(days=6))


def resolve_period(today: dt.date, week: str | None = None, start: dt.date | None = None,
                   end: dt.date | None = None) -> Period:
    """--week, or --from and --to together, or the ISO week containing today."""
    if week is not None and (start is not None or end is not None):
        raise BadValue("--week 不能与 --from/--to 同时使用")
    if week is not None:
        return parse_week(week)
    if (start is None) != (end is None):
        raise BadValue("--from 和 --to 需同时给出（例如 --from 2021-11-01 --to 2021-11-30）")
    if start is not None and end is not None:
        if start > end:
            raise BadValue(f"--from {start} 晚于 --to {end}")
        return Period(start, end)
    return week_of(today)


def report_title(plan: Plan, period: Period) -> str:
    """The plan title with 任务分工 made 任务推进情况周报 (or 推进情况周报 appended)."""
    noun = "周报" if period.iso_week else "报告"
    if "任务分工" in plan.title:
        return plan.title.replace("任务分工", f"任务推进情况{noun}", 1)
    return f"{plan.title}推进情况{noun}"


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True, slots=True)
class Change:
    """One kind of status change over the period, e.g. 新完成 [4, 14]."""

    label: str
    tasks: tuple[int, ...]


@dataclass(slots=True)
class Overview:
    total: int
    counts: dict[Status, int]  # as of the report date
    before: dict[Status, int]  # at the start of the period
    red: int
    yellow: int
    changes: list[Change]
    entries: int  # progress entries recorded in the period
    dated: int = 0  # tasks with a deadline (not 持续推进, not unrecognised)
    dated_done: int = 0
    ongoing: int = 0  # 持续推进 tasks
    ongoing_counts: dict[Status, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """完成率: done over the tasks with a deadline (持续推进 tasks are reported on their own)."""
        return 100.0 * self.dated_done / self.dated if self.dated else 0.0


@dataclass(frozen=True, slots=True)
class UnitRow:
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


@dataclass(frozen=True, slots=True)
class ProgressItem:
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


@dataclass(frozen=True, slots=True)
class ProgressGroup:
    unit: str
    items: tuple[ProgressItem, ...]


@dataclass(frozen=True, slots=True)
class UrgeRow:
    """催报: a unit with open tasks that recorded nothing in the period."""

    unit: str
    tasks: tuple[tuple[int, str], ...]  # (id, title) of its open tasks


@dataclass(frozen=True, slots=True)
class OfficeForm:
    """The 公文 form of the report: 期号, 报送/抄送 and the 落款."""

    issue_no: int | None = None
    send_to: str = ""  # 报送
    copy_to: str = ""  # 抄送
    signer: str = ""  # 落款 unit (default: the table's issuer)
    sign_date: dt.date | None = None  # 落款 date (default: the as-of date)


@dataclass(slots=True)
class WeeklyReport:
    title: str
    period: Period
    as_of: dt.date
    by: str
    scope: list[str]  # unit names the report is limited to; empty = every task
    collective_hidden: int  # tasks left out because only a collective unit names them
    overview: Overview
    units: list[UnitRow]
    progress: list[ProgressGroup]
    warnings: list[dict[str, Any]]  # task records, red then yellow by urgency (no 持续推进 staleness)
    next_period: Period
    due_next: list[dict[str, Any]]  # task records due in the next period, not done
    ongoing: list[dict[str, Any]]  # 持续推进 task records (+ last_note_date), not done
    notes: dict[str, list[str]] = field(default_factory=dict)  # 存在问题 / 下一步工作 ...
    issuer: str = ""
    stale: list[dict[str, Any]] = field(default_factory=list)  # 持续推进 tasks not updated for the stale window
    urge: list[UrgeRow] = field(default_factory=list)
    annex: list[dict[str, Any]] = field(default_factory=list)  # every task in scope (+ last_note_date)
    titles: dict[int, str] = field(default_factory=dict)  # task id -> short title
    office: OfficeForm = field(default_factory=OfficeForm)

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


def live_entries(entries: Iterable[Entry], task_ids: Iterable[int]) -> list[Entry]:
    """The entries in force: no undo lines, nothing undone, only known tasks; file order."""
    entries, valid = list(entries), set(task_ids)
    undone = undone_ids(entries)
    return [e for e in entries if e.op != "undo" and e.id not in undone and e.task in valid]


def states_at(entries: Sequence[Entry], task_ids: Sequence[int], keep: Callable[[Entry], bool]) -> Mapping[int, TaskState]:
    """Every task's state after replaying the live entries that `keep` accepts."""
    return replay([e for e in entries if keep(e)], task_ids)[0].states


def build_report(
    plan: Plan,
    entries: Iterable[Entry],
    *,
    period: Period,
    today: dt.date,
    by: str,
    windows: Windows,
    units: Sequence[Unit] = (),
    include_collective: bool = False,
    notes: Mapping[str, list[str]] | None = None,
    office: OfficeForm | None = None,
) -> WeeklyReport:
    if period.start > today:
        raise BadValue(f"{period.label()} 尚未开始（今天是 {today.isoformat()}），不能生成这一期的报告")
    ids = [t.id for t in plan.tasks]
    live = live_entries(entries, ids)
    as_of = min(period.end, today)
    now = states_at(live, ids, lambda e: e.date <= as_of)
    before = states_at(live, ids, lambda e: e.date < period.start and e.date <= as_of)
    selection = select(plan, now, TaskFilter(units=list(units), include_collective=include_collective))
    recs = records(plan, selection.rows, as_of, windows)
    for row, rec in zip(selection.rows, recs, strict=True):
        when = row.state.last_note_date
        rec["last_note_date"] = when.isoformat() if when else None
    chosen = {r["id"] for r in recs}
    in_period = [e for e in live if e.task in chosen and period.contains(e.date) and e.date <= as_of]
    next_period = period.following()
    form = office or OfficeForm()
    if form.issue_no is None and period.iso_week:
        form = replace(form, issue_no=issue_number(plan, period))
    warned = warning_records(recs)
    return WeeklyReport(
        title=report_title(plan, period),
        period=period,
        as_of=as_of,
        by=by,
        scope=[u.name for u in units],
        collective_hidden=selection.collective_hidden,
        overview=overview(selection.rows, recs, before, len(in_period)),
        units=unit_rows(plan, selection.rows, recs, [u.name for u in units]),
        progress=progress_groups(plan, in_period),
        warnings=[r for r in warned if not is_stale_only(r)],
        next_period=next_period,
        due_next=[r for row, r in zip(selection.rows, recs, strict=True)
                  if row.state.status is not Status.DONE and next_period.contains(row.task.deadline.due)],
        ongoing=ongoing_records(selection.rows, recs),
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


def overview(rows: Sequence[Row], recs: Sequence[dict[str, Any]], before: Mapping[int, TaskState],
             entries: int) -> Overview:
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
        dated_done=sum(row.state.status is Status.DONE for row in dated),
        ongoing=len(ongoing),
        ongoing_counts=_counts(row.state.status for row in ongoing),
    )


# What a change of status between the period's start and end counts as; first match wins.
_CHANGE_KINDS: tuple[tuple[str, Callable[[Status, Status], bool]], ...] = (
    ("新完成", lambda a, b: b is Status.DONE),
    ("新增受阻", lambda a, b: b is Status.BLOCKED),
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


UNIT_PROGRESS_RULE = ("各单位完成进度为其全部任务进度的平均值：已完成的任务按 100% 计，其余按最近登记的进度计，"
                      "未登记进度的按 0 计。")


def task_progress(state: TaskState) -> int:
    """One task's progress for UNIT_PROGRESS_RULE."""
    if state.status is Status.DONE:
        return 100
    return state.percent or 0


def unit_rows(plan: Plan, rows: Sequence[Row], recs: Sequence[dict[str, Any]], only: Sequence[str]) -> list[UnitRow]:
    """One row per unit with tasks in the report (only the asked-for units when --unit was given)."""
    overdue = {r["id"] for r in recs if r["signal"] == RED}
    out = []
    for unit in plan.units:
        if only and unit.name not in only:
            continue
        mine = [row for row in rows if unit.name in row.task.units]
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


def entry_kind(entry: Entry) -> tuple[str, str]:
    """(kind, Chinese label) of one journal entry."""
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


def progress_groups(plan: Plan, entries: Sequence[Entry]) -> list[ProgressGroup]:
    """The period's entries as one line per task, grouped by the task's lead unit (units in table order),
    tasks in the order of their first entry: the changes in order, the latest note, percent and evidence."""
    by_task: dict[int, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.date, e.lineno)):
        by_task.setdefault(entry.task, []).append(entry)
    groups: dict[str, list[ProgressItem]] = {}
    for task_id, mine in by_task.items():
        task = plan.task(task_id)
        assert task is not None  # live entries only name tasks of the plan
        kinds = [entry_kind(e) for e in mine]
        changes = tuple(label for kind, label in kinds if kind != "note" or label != "进展")
        noted = [e for e in mine if e.note]
        last = noted[-1] if noted else mine[-1]
        percents = [e.percent for e in mine if e.percent is not None]
        real = [kind for kind, label in kinds if label != "进展"]
        groups.setdefault(task.lead_unit, []).append(ProgressItem(
            task=task.id, title=task.title, kind=real[-1] if real else "note", changes=changes,
            note=last.note, date=last.date, by=last.by, percent=percents[-1] if percents else None,
            evidence=tuple(dict.fromkeys(e.evidence for e in mine if e.evidence)),
        ))
    order = {u.name: i for i, u in enumerate(plan.units)}
    names = sorted(groups, key=lambda name: (order.get(name, len(order)), name))
    return [ProgressGroup(name, tuple(groups[name])) for name in names]


def is_stale_only(rec: Mapping[str, Any]) -> bool:
    """A yellow 持续推进 task whose only concern is that it was not updated (listed apart from the warnings)."""
    return bool(rec["ongoing"]) and rec["signal"] == YELLOW and rec["status"] != Status.BLOCKED.value


def urgency(rec: Mapping[str, Any]) -> int:
    """Within yellow: 0 blocked, not started or behind schedule; 1 merely near its due date."""
    reason = str(rec["signal_reason"])
    if rec["status"] in (Status.BLOCKED.value, Status.TODO.value) or "进度落后" in reason:
        return 0
    return 1


def warning_records(recs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Red, then yellow by urgency (blocked, not started, behind schedule before merely 还剩 N 天); the nearest
    due date first, then by id."""
    bad = [r for r in recs if r["signal"] in (RED, YELLOW)]
    return sorted(bad, key=lambda r: (SEVERITY[r["signal"]], urgency(r) if r["signal"] == YELLOW else 0,
                                      r["days_left"] if r["days_left"] is not None else 10**6, r["id"]))


def ongoing_records(rows: Sequence[Row], recs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """持续推进 tasks not done, each with the date of its latest note."""
    return [rec for row, rec in zip(rows, recs, strict=True)
            if row.task.deadline.ongoing and row.state.status is not Status.DONE]


def urge_rows(plan: Plan, rows: Sequence[Row], in_period: Sequence[Entry], only: Sequence[str]) -> list[UrgeRow]:
    """催报: each unit (table order) with open tasks in the report none of which had an entry in the period."""
    touched = {e.task for e in in_period}
    out = []
    for unit in plan.units:
        if only and unit.name not in only:
            continue
        mine = [row for row in rows if unit.name in row.task.units]
        open_tasks = [row.task for row in mine if row.state.status is not Status.DONE]
        if open_tasks and not any(row.task.id in touched for row in mine):
            out.append(UrgeRow(unit.name, tuple((t.id, t.title) for t in open_tasks)))
    return out


# --------------------------------------------------------------------------- wording shared by every format

_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”"
_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}
_ASCII_PUNCT = re.compile(rf"(?<=[{_CJK}])\s*([,:;])\s*|\s*([,:;])\s*(?=[{_CJK}])|"
                          rf"\(([^()]*[{_CJK}][^()]*)\)")


def full_width(text: str) -> str:
    """Chinese punctuation for generated Chinese text: , : ; next to a Chinese character become ，：；, and
    parentheses around Chinese text （）. Numbers, dates and ids stay half-width."""
    def sub(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            return f"（{full_width(m.group(3))}）"
        return _FULL[m.group(1) or m.group(2)]

    while True:  # again until nothing changes: a changed mark makes its ASCII neighbour next to Chinese
        out = _ASCII_PUNCT.sub(sub, text)
        if out == text:
            return out
        text = out


def rate_text(rate: float) -> str:
    return f"{rate:.1f}%"


def bar_text(percent: int) -> str:
    filled = (percent * BAR_CELLS + 50) // 100
    return "■" * filled + "□" * (BAR_CELLS - filled)


def task_list_text(tasks: Sequence[int]) -> str:
    return "、".join(str(t) for t in tasks)


def named_tasks(report: WeeklyReport, tasks: Sequence[int]) -> str:
    """任务 4“公开办公室预算决算”、任务 14“更新网站行政法规文本”."""
    return "、".join(f"任务 {t}“{report.titles[t]}”" if t in report.titles else f"任务 {t}" for t in tasks)


def section_titles(report: WeeklyReport) -> list[tuple[str, str]]:
    """(key, numbered heading) of every section present, in order."""
    word, nxt = report.period.word, report.period.next_word
    keys = [
        ("overview", "总体情况"),
        ("units", "各单位推进情况"),
        ("progress", f"{word}工作进展"),
        ("warnings", "预警事项"),
        *([("urge", "催报事项")] if report.urge else []),
        ("next", f"{nxt}到期及持续推进事项"),
        *[(key, key) for key in NOTE_KEYS if key in report.notes],
    ]
    return [(key, f"{cn_numeral(i)}、{title}") for i, (key, title) in enumerate(keys, 1)]


def scope_text(report: WeeklyReport) -> str:
    """范围：… when --unit limited the report, else empty."""
    if not report.scope:
        return ""
    scope = "范围：" + "、".join(report.scope) + "的任务"
    if report.collective_hidden:
        scope += f"（另有 {report.collective_hidden} 项只写明“各相关科室”等集体单位的任务未计入）"
    return scope


def meta_parts(report: WeeklyReport) -> tuple[str, str]:
    """(截至 …, 编制：…): the as-of date and who produced the report."""
    return f"数据截至 {date_text(report.as_of)}", f"编制：{report.by}"


def issue_text(report: WeeklyReport) -> str:
    """第 12 期, or empty when the period has no number."""
    no = report.office.issue_no
    return f"第 {no} 期" if no is not None else ""


def office_lines(report: WeeklyReport) -> list[str]:
    """报送：… / 抄送：… (the 版记), each only when configured."""
    form = report.office
    return [*([f"报送：{form.send_to}"] if form.send_to else []), *([f"抄送：{form.copy_to}"] if form.copy_to else [])]


def signature_lines(report: WeeklyReport) -> list[str]:
    """落款: the unit and the date, one under the other."""
    return [line for line in (report.signer, date_text(report.sign_date)) if line]


def footer_text(report: WeeklyReport) -> str:
    """The quiet note of the HTML and Markdown footers (not in the text or Word documents)."""
    return f"根据进展登记生成，数据截至 {date_text(report.as_of)}。"


def summary_lines(report: WeeklyReport) -> list[str]:
    """The overview in sentences."""
    ov, word = report.overview, report.period.word
    c = ov.counts
    lines = [
        f"纳入统计的重点任务共 {ov.total} 项：已完成 {c[Status.DONE]} 项，推进中 {c[Status.DOING]} 项，"
        f"未开始 {c[Status.TODO]} 项，受阻 {c[Status.BLOCKED]} 项。"
        + (f"有明确时限的 {ov.dated} 项中已完成 {ov.dated_done} 项，完成率 {rate_text(ov.rate)}。" if ov.dated else ""),
    ]
    if ov.ongoing:
        oc = ov.ongoing_counts
        parts = [f"{status.label} {oc[status]} 项" for status in (Status.DONE, Status.DOING, Status.TODO, Status.BLOCKED)
                 if oc.get(status)]
        lines.append(f"持续推进任务 {ov.ongoing} 项（不计入完成率）：" + "，".join(parts) + "。")
    lines.append(f"预警：红灯 {ov.red} 项，黄灯 {ov.yellow} 项。")
    if ov.changes:
        parts = [f"{c.label} {len(c.tasks)} 项（{named_tasks(report, c.tasks)}）" for c in ov.changes]
        lines.append(f"{word}" + "；".join(parts) + "。")
    else:
        lines.append(f"{word}任务状态无变化。")
    lines.append(f"{word}共登记进展 {ov.entries} 条。" if ov.entries else f"{word}无进展登记。")
    return lines


def status_table(report: WeeklyReport) -> tuple[list[str], list[list[str]]]:
    """状态 | 期初 | 截至… | 增减, one row per status and a total."""
    ov = report.overview
    headers = ["状态", f"期初（{md_text(report.period.start)}前）", f"截至{md_text(report.as_of)}", "增减"]
    rows = []
    for status in (Status.DONE, Status.DOING, Status.TODO, Status.BLOCKED):
        a, b = ov.before[status], ov.counts[status]
        rows.append([status.label, str(a), str(b), f"{b - a:+d}" if b != a else "0"])
    rows.append(["合计", str(ov.total), str(ov.total), "0"])
    return headers, rows


UNIT_HEADERS = ["单位", "牵头", "全部", "已完成", "推进中", "受阻", "逾期", "完成进度"]


def unit_cells(row: UnitRow) -> list[str]:
    name = row.name + ("（集体）" if row.collective else "")
    return [name, str(row.lead), str(row.total), str(row.done), str(row.doing), str(row.blocked), str(row.overdue),
            f"{bar_text(row.rate)} {row.rate}%"]


def item_detail(item: ProgressItem) -> str:
    """One task's line after its title: the changes, the percent, the latest note with its date and who, evidence."""
    parts = ["、".join(item.changes)] if item.changes else []
    if item.percent is not None and item.kind != "done":
        parts.append(f"进度 {item.percent}%")
    if item.note:
        who = f"，{item.by}" if item.by else ""
        parts.append(f"{item.note}（{md_text(item.date)}{who}）")
    if item.evidence:
        parts.append("佐证材料：" + "、".join(item.evidence))
    return "；".join(parts)


def item_text(item: ProgressItem) -> str:
    """任务 4 公开办公室预算决算：完成；… — the narrative line of one task."""
    detail = item_detail(item)
    return f"任务 {item.task} {item.title}" + (f"：{detail}" if detail else "")


def due_text(rec: Mapping[str, Any]) -> str:
    if rec["ongoing"]:
        return "持续推进"
    if not rec["due"]:
        return str(rec["deadline"] or "未识别")
    return md_text(dt.date.fromisoformat(rec["due"]))


def percent_text(rec: Mapping[str, Any]) -> str:
    """完成进度 of one task: 100% once done, the recorded percent, else —."""
    if rec["status"] == Status.DONE.value:
        return "100%"
    return f"{rec['percent']}%" if rec["percent"] is not None else "—"


def status_text(rec: Mapping[str, Any]) -> str:
    pct = rec["percent"]
    return str(rec["status_label"]) + (f" {pct}%" if pct is not None and rec["status"] != Status.DONE.value else "")


def signal_text(rec: Mapping[str, Any]) -> str:
    """状态/信号 of the 台账: 已完成, or the status and its light (推进中·黄灯)."""
    if rec["status"] == Status.DONE.value:
        return "已完成"
    return f"{rec['status_label']}·{rec['signal_label']}灯"


def reason_text(rec: Mapping[str, Any]) -> str:
    """The signal's reason with Chinese punctuation (the blocked note quoted as written); 未开始 said first."""
    reason = str(rec["signal_reason"])
    note = str(rec.get("last_note") or "")
    marker = f"受阻: {note}"
    if note and marker in reason:
        head, _, tail = reason.partition(marker)
        reason = full_width(head) + f"受阻：{note}" + full_width(tail)
    else:
        reason = full_width(reason)
    if rec["status"] == Status.TODO.value and rec["signal"] != RED:
        reason = "未开始；" + reason
    return reason


def units_text(rec: Mapping[str, Any]) -> str:
    """责任单位 with the lead marked: 政务公开指导办（牵头）、政府网站."""
    leads = set(rec["leads"]) or {rec["lead_unit"]}
    return "、".join(u + ("（牵头）" if u in leads else "") for u in rec["units"])


def note_text(rec: Mapping[str, Any]) -> str:
    """The latest note with its date (11月23日), or 暂无进展登记."""
    note = str(rec["last_note"] or "")
    if not note:
        return "暂无进展登记"
    when = rec.get("last_note_date")
    return f"{note}（{md_text(dt.date.fromisoformat(when))}）" if when else note


ANNEX_HEADERS = ["序号", "任务", "责任单位", "完成时限", "进展情况", "完成进度", "状态/信号"]


def annex_cells(rec: Mapping[str, Any]) -> list[str]:
    """One row of the 附件 台账."""
    return [str(rec["id"]), str(rec["title"]), units_text(rec), due_text(rec), note_text(rec), percent_text(rec),
            signal_text(rec)]


WARNING_HEADERS = ["信号", "序号", "任务", "牵头单位", "完成时限", "状态", "进度", "原因"]


def warning_cells(rec: Mapping[str, Any]) -> list[str]:
    return [f"{rec['signal_label']}灯", str(rec["id"]), str(rec["title"]), str(rec["lead_unit"]), due_text(rec),
            str(rec["status_label"]), percent_text(rec), reason_text(rec)]


STALE_HEADERS = ["序号", "任务", "牵头单位", "状态", "未更新", "最近进展"]


def stale_cells(rec: Mapping[str, Any]) -> list[str]:
    return [str(rec["id"]), str(rec["title"]), str(rec["lead_unit"]), str(rec["status_label"]),
            full_width(str(rec["signal_reason"])), note_text(rec)]


def stale_intro(report: WeeklyReport) -> str:
    return f"以下 {len(report.stale)} 项持续推进任务较长时间未更新进展，请牵头单位及时登记："


def urge_text(row: UrgeRow) -> str:
    """政府网站：任务 17“…”、任务 18“…”."""
    return f"{row.unit}：" + "、".join(f"任务 {i}“{t}”" for i, t in row.tasks)


def urge_intro(report: WeeklyReport) -> str:
    return f"{report.period.word}以下单位未登记任何进展，请于{report.period.next_word}一并报送："


def empty_text(report: WeeklyReport, key: str) -> str:
    word, nxt = report.period.word, report.period.next_word
    return {
        "units": "无任务。",
        "progress": f"{word}无进展登记，各项任务状态与上期相同。",
        "warnings": "无红灯、黄灯预警事项。",
        "due_next": f"{nxt}无到期任务。",
        "ongoing": "无持续推进事项。",
        "notes": "无。",
    }[key]


# --------------------------------------------------------------------------- the notes file (存在问题 / 下一步工作)

_HEADING = re.compile(r"(#{1,6})\s*(.*?)\s*#*\s*")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、]\s*|[（(][一二三四五六七八九十\d]+[）)]\s*)")
_COLON = re.compile("[:\uff1a]+$")
# (一)…(二)… written on one line: split before a later (二), after the end of a sentence.
_INLINE_ITEM = re.compile(r"(?<=[。；;!！?？])\s*[（(][一二三四五六七八九十]+[）)]\s*")
_ITEM = re.compile(r"^(?:[-*+•·]\s+|\d+(?:[.)]\s+|．\s*)|\d+、\s*|[（(][一二三四五六七八九十\d]+[）)]\s*)")


def read_notes_text(path: Path) -> str:
    """The notes file as text: UTF-8 (with or without BOM), else GB18030 (what Windows Notepad and WPS save)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadValue(f"找不到备注文件 {path}") from None
    except OSError as exc:
        raise BadValue(f"无法读取备注文件 {path}：{exc.strerror}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadValue(f"备注文件 {path} 不是 UTF-8 或 GB18030 文本")


def load_notes(path: Path) -> dict[str, list[str]]:
    """存在问题 / 下一步工作 / 下一步工作打算 / 意见建议 from a text or Markdown file (headings with or without
    ##, numbered 一、 or not, a colon or not) or a YAML file (keys); BadValue in one line."""
    text = read_notes_text(path)
    suffix = path.suffix.lower()
    as_yaml = suffix in (".yaml", ".yml") or (suffix not in (".md", ".markdown", ".txt") and not _has_note_heading(text))
    notes = _notes_yaml(text, path) if as_yaml else _notes_markdown(text, path)
    if not notes:
        raise BadValue(f"备注文件 {path} 中没有“存在问题”“下一步工作”等标题（可用：{NOTE_KEYS_TEXT}）")
    return notes


def _heading(line: str) -> tuple[int, str] | None:
    """(level, key) of a heading line: `## 存在问题`, `二、存在问题：`, `存在问题` alone; level 0 without #."""
    text = line.strip()
    match = _HEADING.fullmatch(text)
    if match:
        return len(match.group(1)), match.group(2)
    key = _note_key(text)
    return (0, key) if key in NOTE_KEYS else None


def _has_note_heading(text: str) -> bool:
    return any((h := _heading(line)) and _note_key(h[1]) in NOTE_KEYS for line in text.splitlines())


def _note_key(heading: str) -> str:
    return _COLON.sub("", _NUMBERING.sub("", heading.strip())).strip()


def _notes_markdown(text: str, path: Path) -> dict[str, list[str]]:
    bodies: dict[str, list[str]] = {}
    current: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        heading = _heading(line)
        if heading:
            level, title = heading
            key = _note_key(title)
            if key in NOTE_KEYS:
                current = bodies.setdefault(key, [])
            elif level == 1 and not bodies:
                current = None  # the document's own title
            else:
                raise BadValue(f"{path}:{lineno}: 未知标题 “{title}”（可用：{NOTE_KEYS_TEXT}）")
        elif current is not None:
            current.append(line)
        elif line.strip() and not bodies and lineno == 1:
            continue  # a title line without #
        elif line.strip():
            raise BadValue(f"{path}:{lineno}: 内容应写在“存在问题”“下一步工作”等标题下")
    return {key: note_items(bodies[key]) for key in NOTE_KEYS if key in bodies}


def _notes_yaml(text: str, path: Path) -> dict[str, list[str]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行）" if mark is not None else ""
        raise BadValue(f"备注文件 {path} 不是有效的 YAML{where}") from None
    if not isinstance(data, dict):
        raise BadValue(f"备注文件 {path} 应为 Markdown（## 存在问题 / ## 下一步工作）或 YAML 映射（存在问题: …）")
    unknown = [str(k) for k in data if _note_key(str(k)) not in NOTE_KEYS]
    if unknown:
        raise BadValue(f"备注文件 {path}：未知的键 “{unknown[0]}”（可用：{NOTE_KEYS_TEXT}）")
    out: dict[str, list[str]] = {}
    for key, value in data.items():
        out[_note_key(str(key))] = _yaml_items(value, path, str(key))
    return {key: out[key] for key in NOTE_KEYS if key in out}


def _yaml_items(value: Any, path: Path, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return note_items(value.splitlines())
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return [" ".join(str(v).split()) for v in value if str(v).strip()]
    raise BadValue(f"备注文件 {path}：“{key}” 应为一段文字或文字列表")


def _join(a: str, b: str) -> str:
    """Join a wrapped line: no space between Chinese characters."""
    return a + b if (a and not a[-1].isascii()) or (b and not b[0].isascii()) else f"{a} {b}"


def note_items(lines: Iterable[str]) -> list[str]:
    """List items (-, *, 1., 1、, (一)) and paragraphs, each as one line of text."""
    items: list[str] = []
    current: str | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            if current is not None:
                items.append(current)
            current = None
            continue
        match = _ITEM.match(line)
        if match:
            if current is not None:
                items.append(current)
            current = line[match.end():].strip()
        else:
            current = line if current is None else _join(current, line)
    if current is not None:
        items.append(current)
    return [part.strip() for item in items for part in _INLINE_ITEM.split(item) if part.strip()]


# --------------------------------------------------------------------------- export and files


def export_records(plan: Plan, states: Mapping[int, TaskState], today: dt.date, windows: Windows, *,
                   extra: bool = False) -> list[dict[str, Any]]:
    """Every task with its current status, signal and last note (the list JSON records); with `extra` (CSV,
    xlsx) also the date of the latest note (last_note_date) and the day it was done (done_on)."""
    rows = select(plan, states, TaskFilter()).rows
    recs = records(plan, rows, today, windows)
    if not extra:
        return recs
    for row, rec in zip(rows, recs, strict=True):
        note_day, done_day = row.state.last_note_date, row.state.done_on
        rec["last_note_date"] = note_day.isoformat() if note_day else None
        rec["done_on"] = done_day.isoformat() if done_day and row.state.status is Status.DONE else None
    return recs


# CSV export columns after plain.CSV_TASK_COLUMNS: (header, getter).
EXPORT_COLUMNS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("佐证材料", lambda r: r.get("evidence")),
    ("登记人", lambda r: r.get("updated_by")),
    ("完成时间", lambda r: r.get("done_on")),
]


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One line of the 进展记录 sheet: a live journal entry."""

    date: dt.date
    by: str
    task: int
    title: str
    change: str
    percent: int | None
    note: str
    evidence: str


def history_rows(plan: Plan, entries: Iterable[Entry]) -> list[HistoryRow]:
    """The live journal (nothing undone, no undo lines), oldest first: 日期, 登记人, 任务, 变更, 进度, 说明, 佐证材料."""
    ids = plan.task_ids()
    out = []
    for entry in sorted(live_entries(entries, ids), key=lambda e: (e.date, e.lineno)):
        task = plan.task(entry.task)
        _, change = entry_kind(entry)
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
    """Write UTF-8 text atomically (storage_io); a failure is one OutputError line."""
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise OutputError(f"无法写入 {path}: {exc.strerror or exc}") from None

