"""The weekly report (周报) and the whole-tracker export, as plain data.

`build_report` turns the plan and the journal into a `WeeklyReport`: every section as lists and
dicts, already in the order and wording the report uses. The renderers (render/report_*.py) only
lay it out as text, Markdown or HTML. Core code: no typer, no rich.

The state at a date is the journal replayed with only the entries in force then (journal.state_as_of:
dated on or before it, less those reverted by an undo dated on or before it). The report
is as of the period's end or --today, whichever is earlier, so re-running it later for a past week
gives the same report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gwgk_cli.errors import BadValue, OutputError
from gwgk_cli.journal import Entry, TaskState, in_force, state_as_of
from gwgk_cli.model import Plan, Status, Unit, cn_numeral
from gwgk_cli.queries import Row, TaskFilter, records, select
from gwgk_cli.signals import RED, SEVERITY, YELLOW, Windows
from gwgk_cli.storage_io import write_text_atomic

NOTE_KEYS = ("存在问题", "下一步工作")
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
        """2021年第47周,11月22日—11月28日 / 2021年11月1日—11月28日."""
        week = self.iso_week
        span = self.span_text()
        if week:
            return f"{week[0]}年第{week[1]}周,{span}"
        if self.start.year == self.end.year:
            return f"{self.start.year}年{span}"
        return span


_WEEK = re.compile(r"(\d{4})-?[Ww](\d{1,2})")


def parse_week(text: str) -> Period:
    """2021-W47, 2021W47, 2021-w47 -> that ISO week, Monday to Sunday."""
    match = _WEEK.fullmatch(text.strip())
    if not match:
        raise BadValue(f"无效的周次 “{text}”(应为 YYYY-Www,例如 2021-W47)")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks = dt.date(year, 12, 28).isocalendar()[1] if dt.MINYEAR <= year <= dt.MAXYEAR else 0
        raise BadValue(f"无效的周次 “{text}”:{year} 年只有第 1–{weeks} 周") from None
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
        raise BadValue("--from 和 --to 需同时给出(例如 --from 2021-11-01 --to 2021-11-30)")
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

    @property
    def rate(self) -> float:
        return 100.0 * self.counts[Status.DONE] / self.total if self.total else 0.0


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

    @property
    def rate(self) -> int:
        """Completion in whole percent, rounded half up."""
        return (200 * self.done + self.total) // (2 * self.total) if self.total else 0


@dataclass(frozen=True, slots=True)
class ProgressItem:
    date: dt.date
    task: int
    title: str
    kind: str  # done | start | resume | reopen | block | note
    change: str  # 完成, 启动, 受阻 ... (Chinese)
    note: str
    percent: int | None
    evidence: str
    by: str


@dataclass(frozen=True, slots=True)
class ProgressGroup:
    unit: str
    items: tuple[ProgressItem, ...]


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
    warnings: list[dict[str, Any]]  # task records, red then yellow
    next_period: Period
    due_next: list[dict[str, Any]]  # task records due in the next period, not done
    ongoing: list[dict[str, Any]]  # 持续推进 task records (+ last_note_date), not done
    notes: dict[str, list[str]] = field(default_factory=dict)  # 存在问题 / 下一步工作
    issuer: str = ""

    @property
    def heading(self) -> str:
        return f"{self.title}({self.period.label()})"

    @property
    def title_lines(self) -> list[str]:
        """The title as printed on a page: a long one starting with the issuer breaks after it (公文 style)."""
        rest = self.title.removeprefix(self.issuer) if self.issuer else self.title
        if len(self.title) > TITLE_LINE and rest and rest != self.title:
            return [self.issuer, rest]
        return [self.title]


def live_entries(entries: Iterable[Entry], task_ids: Iterable[int], as_of: dt.date | None = None) -> list[Entry]:
    """The entries in force as of a date (journal.in_force): no undo lines, nothing undone by then, only
    known tasks; file order."""
    return in_force(entries, as_of, task_ids)


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
) -> WeeklyReport:
    ids = [t.id for t in plan.tasks]
    entries = list(entries)
    as_of = min(period.end, today)
    live = live_entries(entries, ids, as_of)
    now = state_as_of(entries, ids, as_of)  # the one replay every view uses (journal.state_as_of)
    before = state_as_of(entries, ids, min(period.start - dt.timedelta(days=1), as_of))
    selection = select(plan, now, TaskFilter(units=list(units), include_collective=include_collective))
    recs = records(plan, selection.rows, as_of, windows)
    chosen = {r["id"] for r in recs}
    in_period = [e for e in live if e.task in chosen and period.contains(e.date) and e.date <= as_of]
    next_period = period.following()
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
        warnings=warning_records(recs),
        next_period=next_period,
        due_next=[r for row, r in zip(selection.rows, recs, strict=True)
                  if row.state.status is not Status.DONE and next_period.contains(row.task.deadline.due)],
        ongoing=ongoing_records(selection.rows, recs),
        notes=dict(notes or {}),
        issuer=plan.issuer,
    )


def _counts(statuses: Iterable[Status]) -> dict[Status, int]:
    out = dict.fromkeys(Status, 0)
    for status in statuses:
        out[status] += 1
    return out


def overview(rows: Sequence[Row], recs: Sequence[dict[str, Any]], before: Mapping[int, TaskState],
             entries: int) -> Overview:
    start = {row.task.id: before[row.task.id].status for row in rows}
    end = {row.task.id: row.state.status for row in rows}
    return Overview(
        total=len(rows),
        counts=_counts(end.values()),
        before=_counts(start.values()),
        red=sum(r["signal"] == RED for r in recs),
        yellow=sum(r["signal"] == YELLOW for r in recs),
        changes=status_changes(start, end),
        entries=entries,
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
        out.append(UnitRow(
            name=unit.name,
            collective=unit.collective,
            lead=sum(unit.name in row.task.leads for row in mine),
            total=len(mine),
            done=status[Status.DONE],
            doing=status[Status.DOING],
            blocked=status[Status.BLOCKED],
            overdue=sum(row.task.id in overdue for row in mine),
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
    """The period's entries grouped by the task's lead unit (units in table order), by date within."""
    groups: dict[str, list[ProgressItem]] = {}
    for entry in sorted(entries, key=lambda e: (e.date, e.lineno)):
        task = plan.task(entry.task)
        assert task is not None  # live entries only name tasks of the plan
        kind, change = entry_kind(entry)
        groups.setdefault(task.lead_unit, []).append(ProgressItem(
            date=entry.date, task=task.id, title=task.title, kind=kind, change=change, note=entry.note,
            percent=entry.percent, evidence=entry.evidence, by=entry.by,
        ))
    order = {u.name: i for i, u in enumerate(plan.units)}
    names = sorted(groups, key=lambda name: (order.get(name, len(order)), name))
    return [ProgressGroup(name, tuple(groups[name])) for name in names]


def warning_records(recs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Red, then yellow; the nearest due date first, then by id."""
    bad = [r for r in recs if r["signal"] in (RED, YELLOW)]
    return sorted(bad, key=lambda r: (SEVERITY[r["signal"]], r["days_left"] if r["days_left"] is not None else 10**6,
                                      r["id"]))


def ongoing_records(rows: Sequence[Row], recs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """持续推进 tasks not done, each with the date of its latest note."""
    out = []
    for row, rec in zip(rows, recs, strict=True):
        if row.task.deadline.ongoing and row.state.status is not Status.DONE:
            when = row.state.last_note_date
            out.append({**rec, "last_note_date": when.isoformat() if when else None})
    return out


# --------------------------------------------------------------------------- wording shared by every format


def rate_text(rate: float) -> str:
    return f"{rate:.1f}%"


def bar_text(percent: int) -> str:
    filled = (percent * BAR_CELLS + 50) // 100
    return "■" * filled + "□" * (BAR_CELLS - filled)


def task_list_text(tasks: Sequence[int]) -> str:
    return "、".join(str(t) for t in tasks)


def section_titles(report: WeeklyReport) -> list[tuple[str, str]]:
    """(key, numbered heading) of every section present, in order."""
    word, nxt = report.period.word, report.period.next_word
    keys = [
        ("overview", "总体情况"),
        ("units", "各单位推进情况"),
        ("progress", f"{word}工作进展"),
        ("warnings", "预警事项"),
        ("next", f"{nxt}到期及持续推进事项"),
        *[(key, key) for key in NOTE_KEYS if key in report.notes],
    ]
    return [(key, f"{cn_numeral(i)}、{title}") for i, (key, title) in enumerate(keys, 1)]


def scope_text(report: WeeklyReport) -> str:
    """范围: … when --unit limited the report, else empty."""
    if not report.scope:
        return ""
    scope = "范围: " + "、".join(report.scope) + " 的任务"
    if report.collective_hidden:
        scope += f"(另有 {report.collective_hidden} 项只写明“各相关科室”等集体单位的任务未计入)"
    return scope


def meta_parts(report: WeeklyReport) -> tuple[str, str]:
    """(截至 …, 编制: …): the as-of date and who produced the report."""
    return f"截至 {date_text(report.as_of)}", f"编制: {report.by}"


def footer_text(report: WeeklyReport) -> str:
    return f"(本报告由 gwgk 根据进展登记自动生成,数据截至 {date_text(report.as_of)}。)"


def summary_lines(report: WeeklyReport) -> list[str]:
    """The overview in sentences."""
    ov, word = report.overview, report.period.word
    c = ov.counts
    lines = [
        f"纳入统计的重点任务共 {ov.total} 项:已完成 {c[Status.DONE]} 项,推进中 {c[Status.DOING]} 项,"
        f"未开始 {c[Status.TODO]} 项,受阻 {c[Status.BLOCKED]} 项;完成率 {rate_text(ov.rate)}。",
        f"预警: 红灯 {ov.red} 项,黄灯 {ov.yellow} 项。",
    ]
    if ov.changes:
        parts = [f"{c.label} {len(c.tasks)} 项(任务 {task_list_text(c.tasks)})" for c in ov.changes]
        lines.append(f"{word}" + ";".join(parts) + "。")
    else:
        lines.append(f"{word}任务状态无变化。")
    lines.append(f"{word}共登记进展 {ov.entries} 条。" if ov.entries else f"{word}无进展登记。")
    return lines


def status_table(report: WeeklyReport) -> tuple[list[str], list[list[str]]]:
    """状态 | 期初 | 截至… | 增减, one row per status and a total."""
    ov = report.overview
    headers = ["状态", f"期初({md_text(report.period.start)}前)", f"截至{md_text(report.as_of)}", "增减"]
    rows = []
    for status in (Status.DONE, Status.DOING, Status.TODO, Status.BLOCKED):
        a, b = ov.before[status], ov.counts[status]
        rows.append([status.label, str(a), str(b), f"{b - a:+d}" if b != a else "0"])
    rows.append(["合计", str(ov.total), str(ov.total), "0"])
    return headers, rows


UNIT_HEADERS = ["单位", "牵头", "全部", "已完成", "推进中", "受阻", "逾期", "完成进度"]


def unit_cells(row: UnitRow) -> list[str]:
    name = row.name + ("(集体)" if row.collective else "")
    return [name, str(row.lead), str(row.total), str(row.done), str(row.doing), str(row.blocked), str(row.overdue),
            f"{bar_text(row.rate)} {row.rate}%"]


def item_detail(item: ProgressItem) -> str:
    """情况说明 of one progress item: the note, the percent and the evidence."""
    parts = [item.note] if item.note else []
    if item.percent is not None and item.kind != "done":
        parts.append(f"进度 {item.percent}%")
    if item.evidence:
        parts.append(f"佐证: {item.evidence}")
    return ";".join(parts)


def due_text(rec: dict[str, Any]) -> str:
    if rec["ongoing"]:
        return "持续推进"
    if not rec["due"]:
        return str(rec["deadline"] or "未识别")
    return md_text(dt.date.fromisoformat(rec["due"]))


def status_text(rec: dict[str, Any]) -> str:
    pct = rec["percent"]
    return str(rec["status_label"]) + (f" {pct}%" if pct is not None and rec["status"] != Status.DONE.value else "")


def note_text(rec: dict[str, Any]) -> str:
    """The latest note with its date (11月23日), or 暂无进展登记."""
    note = str(rec["last_note"] or "")
    if not note:
        return "暂无进展登记"
    when = rec.get("last_note_date")
    return f"{note}({md_text(dt.date.fromisoformat(when))})" if when else note


def empty_text(report: WeeklyReport, key: str) -> str:
    word, nxt = report.period.word, report.period.next_word
    return {
        "units": "无任务。",
        "progress": f"{word}无进展登记,各项任务状态与上期相同。",
        "warnings": "无红灯、黄灯预警事项。",
        "due_next": f"{nxt}无到期任务。",
        "ongoing": "无持续推进事项。",
        "notes": "无。",
    }[key]


# --------------------------------------------------------------------------- the notes file (存在问题 / 下一步工作)

_HEADING = re.compile(r"(#{1,6})\s*(.*?)\s*#*\s*")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、]\s*|[((][一二三四五六七八九十\d]+[))]\s*)")
_COLON = re.compile("[:\uff1a]+$")
_ITEM = re.compile(r"^(?:[-*+•·]\s+|\d+[.)]\s+|\d+、\s*|[((][一二三四五六七八九十\d]+[))]\s*)")


def load_notes(path: Path) -> dict[str, list[str]]:
    """存在问题 / 下一步工作 from a Markdown (## headings) or YAML (keys) file; BadValue in one line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadValue(f"找不到备注文件 {path}") from None
    except UnicodeDecodeError:
        raise BadValue(f"备注文件 {path} 不是 UTF-8 文本") from None
    except OSError as exc:
        raise BadValue(f"无法读取备注文件 {path}: {exc.strerror}") from None
    suffix = path.suffix.lower()
    as_yaml = suffix in (".yaml", ".yml") or (suffix not in (".md", ".markdown", ".txt") and not _has_note_heading(text))
    notes = _notes_yaml(text, path) if as_yaml else _notes_markdown(text, path)
    if not notes:
        raise BadValue(f"备注文件 {path} 中没有“存在问题”或“下一步工作”")
    return notes


def _has_note_heading(text: str) -> bool:
    return any((m := _HEADING.fullmatch(line.strip())) and _note_key(m.group(2)) in NOTE_KEYS
               for line in text.splitlines())


def _note_key(heading: str) -> str:
    return _COLON.sub("", _NUMBERING.sub("", heading.strip())).strip()


def _notes_markdown(text: str, path: Path) -> dict[str, list[str]]:
    bodies: dict[str, list[str]] = {}
    current: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        heading = _HEADING.fullmatch(line.strip())
        if heading:
            key = _note_key(heading.group(2))
            if key in NOTE_KEYS:
                current = bodies.setdefault(key, [])
            elif len(heading.group(1)) == 1 and not bodies:
                current = None  # the document's own title
            else:
                raise BadValue(f"{path}:{lineno}: 未知标题 “{heading.group(2)}”(可用: ## 存在问题、## 下一步工作)")
        elif current is not None:
            current.append(line)
        elif line.strip():
            raise BadValue(f"{path}:{lineno}: 内容应写在“## 存在问题”或“## 下一步工作”标题下")
    return {key: note_items(bodies[key]) for key in NOTE_KEYS if key in bodies}


def _notes_yaml(text: str, path: Path) -> dict[str, list[str]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"(第 {mark.line + 1} 行)" if mark is not None else ""
        raise BadValue(f"备注文件 {path} 不是有效的 YAML{where}") from None
    if not isinstance(data, dict):
        raise BadValue(f"备注文件 {path} 应为 Markdown(## 存在问题 / ## 下一步工作)或 YAML 映射(存在问题: …)")
    unknown = [str(k) for k in data if _note_key(str(k)) not in NOTE_KEYS]
    if unknown:
        raise BadValue(f"备注文件 {path}: 未知的键 “{unknown[0]}”(可用: 存在问题、下一步工作)")
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
    raise BadValue(f"备注文件 {path}: “{key}” 应为一段文字或文字列表")


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
    return [item for item in items if item]


# --------------------------------------------------------------------------- export and files


def export_records(plan: Plan, states: Mapping[int, TaskState], today: dt.date, windows: Windows) -> list[dict[str, Any]]:
    """Every task with its current status, signal and last note (the list JSON records)."""
    return records(plan, select(plan, states, TaskFilter()).rows, today, windows)


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (storage_io); a failure is one OutputError line."""
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise OutputError(f"无法写入 {path}: {exc.strerror or exc}") from None

