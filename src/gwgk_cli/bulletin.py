"""The 通报: how each unit carried out the tasks it leads, as of a date, as plain data and Chinese wording.

Pure: the plan, the journal's entries and the reference date in, a `Bulletin` out (the renderers in
render/bulletin_*.py lay it out as text, Markdown, HTML, Word or Excel). The state is the one replay
every view uses (state.state_as_of), as of the period's end or the reference date, whichever is earlier.

Rules (README, 督办; docs/schema.md for the score):

- a unit answers for the tasks it leads (牵头); tasks led by a collective unit (各相关科室) are counted
  apart, as no one unit answers for them;
- a task is finished when it is done, and, where the table requires review (settings.review), closed
  (销号); done but not yet closed is 待审核, listed on its own, unless it was reported done after its date: that
  one is 逾期完成 whatever the review decides;
- on time means finished on or before the ORIGINAL deadline, or the new date of the latest extension
  that was approved (--approved-by); an extension not approved does not move the deadline;
- finished late: after that deadline (days late: from the deadline to the day it was done); overdue:
  not finished, the deadline passed (days late so far, to the as-of date); a task without a deadline
  (持续推进) is never late, and counts as on time once finished;
- 按时完成率 = on time / (on time + late + overdue); tasks not due yet and not finished are not judged;
- the score (only when the table's settings.score gives weights) = Σ weight × count, over on_time,
  late, overdue, extension (extensions not approved) and returned (sent back by a reviewer);
- units are ordered by score when there is one, else by on-time rate (then fewer overdue, fewer late,
  table order); equal keys share a rank;
- a unit with nothing judged yet (no task on time, late or overdue: its tasks not due, or waiting for
  review) is not ranked (rank 0, shown —): it comes after the ranked units, in table order, and the rules
  name it (暂无可评价任务), rather than ranking it below units that missed their deadlines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from gwgk_cli.errors import BadValue
from gwgk_cli.journal_entry import Entry
from gwgk_cli.model import Plan, Status
from gwgk_cli.numerals import half_up, one_place
from gwgk_cli.report_period import Period, date_text, parse_week
from gwgk_cli.signals import extension_counts, judged_due, requested_due
from gwgk_cli.state import TaskState, in_force, state_as_of

SCORE_ORDER = ("on_time", "late", "overdue", "extension", "returned")
SCORE_LABELS = {"on_time": "按时完成", "late": "逾期完成", "overdue": "逾期未完成", "extension": "未经批准的延期",
                "returned": "审核退回"}


@dataclass(frozen=True, slots=True)
class Standing:
    """One unit's figures in the 通报."""

    unit: str
    tasks: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0  # 待审核: reported done, not yet closed (review on)
    not_due: int = 0  # neither finished nor past its deadline
    no_due: int = 0  # not finished and without a date to judge: 持续推进, or a deadline not understood
    ext_approved: int = 0
    ext_unapproved: int = 0
    returned: int = 0
    days_late: int = 0  # summed over the late and the overdue tasks
    last_update: dt.date | None = None
    score: float | None = None
    rank: int = 0

    @property
    def judged(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        """按时完成率 in percent; None when no task could be judged yet."""
        return 100.0 * self.on_time / self.judged if self.judged else None

    @property
    def avg_days_late(self) -> float | None:
        late = self.late + self.overdue
        return self.days_late / late if late else None


@dataclass(frozen=True, slots=True)
class Overdue:
    """A task past its deadline and not finished."""

    task: int
    title: str
    unit: str
    due: dt.date
    original: dt.date | None
    days: int
    status: str
    requested: dt.date | None = None  # a 延期 nobody approved, pending: said beside the date in force


@dataclass(slots=True)
class Bulletin:
    """The 通报 of one period: the units' standings (ranked), the overdue tasks, its heading facts."""

    title: str
    as_of: dt.date
    period: Period | None
    issuer: str
    review: bool
    units: list[Standing]
    total: Standing
    overdue: list[Overdue] = field(default_factory=list)
    collective: int = 0  # tasks in scope led by a collective unit (not counted for any unit)
    collective_overdue: int = 0  # of them, overdue (listed in `overdue` with the others)
    weights: dict[str, float] = field(default_factory=dict)  # empty: no score
    closed: bool = False  # a period that had ended: judged at its close (a task due on its last day is overdue)
    addressee: str = ""  # 主送机关 (--to): the units the 通报 is addressed to, "" for none
    collective_name: str = "各相关科室"  # a collective unit of the table, to name them by

    @property
    def scored(self) -> bool:
        return bool(self.weights)


def addressee_line(b: Bulletin) -> str | None:
    """The 主送 line (GB/T 9704 §7.3.3: under the title, flush left, ending with a full-width colon), or None."""
    return f"{b.addressee}：" if b.addressee else None


def clean_addressee(text: str) -> str:
    """--addressee as typed: spaces and a trailing colon (half- or full-width) dropped, so the line ends
    with one ：. A date is refused: in `report` and `extend` a date follows --to, not a 主送机关."""
    from gwgk_cli.errors import BadValue

    name = " ".join(text.split()).rstrip(":：").strip()
    if not name:
        raise BadValue("--addressee（主送机关）不能为空，例如 --addressee 各科室")
    if re.fullmatch(r"([\d０-９]{4}\D{1,2})?[\d０-９]{1,2}\D{1,2}[\d０-９]{1,2}\D?", name):
        raise BadValue(f"--addressee 是主送机关（如 各科室），不是日期 “{name}”；通报的期间请用 --period，"
                       "例如 --period 2021-11-01..2021-11-30")
    return name


def parse_period(text: str) -> Period:
    """2021 (a year), 2021-11 (a month), 2021-Q4 (a quarter), 2021-W47 (an ISO week) or
    2021-10-01..2021-12-31 (a range; ~ also separates)."""
    raw = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})", raw):
            year = int(m[1])
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", raw):
            start = dt.date(int(m[1]), int(m[2]), 1)
            return Period(start, _month_end(start))
        if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", raw):
            start = dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
            return Period(start, _month_end(start.replace(month=start.month + 2)))
        if re.fullmatch(r"\d{4}-?[Ww]\d{1,2}", raw):
            return parse_week(raw)
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*(?:\.\.|~|～)\s*(\d{4}-\d{2}-\d{2})", raw):
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if start > end:
                raise BadValue(f"期间 “{text}” 的开始晚于结束")
            return Period(start, end)
    except ValueError:
        pass
    raise BadValue(f"无效的期间 “{text}”（例如 2021、2021-11、2021-Q4、2021-W47 或 2021-10-01..2021-12-31）")


def _month_end(day: dt.date) -> dt.date:
    following = day.replace(day=28) + dt.timedelta(days=4)
    return following - dt.timedelta(days=following.day)


def bulletin_title(plan: Plan) -> str:
    if "任务分工" in plan.title:
        return plan.title.replace("任务分工", "任务落实情况通报", 1)
    return f"{plan.title}落实情况通报"


def weights_of(plan: Plan) -> dict[str, float]:
    raw = plan.settings.get("score")
    if not isinstance(raw, Mapping):
        return {}
    return {k: float(raw[k]) for k in SCORE_ORDER if isinstance(raw.get(k), (int, float)) and not isinstance(raw.get(k), bool)}


def bulletin_date(today: dt.date, period: Period | None) -> dt.date:
    """The date the 通报 is as of: the period's end or the reference date, whichever is earlier."""
    if period is not None and period.start > today:
        raise BadValue(f"期间 {period.label()} 尚未开始（参照日期 {today}），不能通报")
    return min(period.end, today) if period else today


def build_bulletin(plan: Plan, entries: Iterable[Entry], *, today: dt.date, period: Period | None = None,
                   states: Mapping[int, TaskState] | None = None) -> Bulletin:
    """The 通报 as of `today` (or the period's end, when earlier); with a period, only the tasks whose
    date in force (the table's, or an approved 延期's) falls in it. `states`, when given, are the tasks' states as of that date (the
    tracker's indexed replay); `entries` then need hold only the review and undo entries."""
    as_of = bulletin_date(today, period)
    # A task is overdue once its due day has passed. A period that has ended is judged at its close: a task due
    # on its last day and not finished by then is overdue (by one day), not "not yet due".
    judged_on = as_of + dt.timedelta(days=1) if period is not None and today > period.end else as_of
    entries = list(entries)
    ids = plan.task_ids()
    if states is None:
        states = state_as_of(entries, ids, as_of)
    returns: dict[int, int] = {}
    for entry in in_force(entries, as_of, ids):
        if entry.op == "review" and entry.result == "return":
            returns[entry.task] = returns.get(entry.task, 0) + 1
    collective = plan.collective_units
    review = plan.review_required
    counts: dict[str, dict[str, int]] = {}
    updates: dict[str, dt.date] = {}
    overdue: list[Overdue] = []
    shared = shared_overdue = 0
    for task in plan.tasks:
        state = states.get(task.id) or TaskState()
        # A period's 通报 takes the tasks whose date in force falls in it: the table's, or an approved 延期's (found
        # by a tester: a task extended, with approval, to 31 January was missing from January's, and counted
        # 尚未到期 in December's).
        if period is not None and not period.contains(judged_due(task, state)):
            continue
        asked = requested_due(task, state)
        if task.lead_unit in collective:  # no unit's count; an overdue one is still listed (found by a reader)
            shared += 1
            due = judged_due(task, state)
            if state.status is not Status.DONE and due is not None and due < judged_on:
                shared_overdue += 1
                overdue.append(Overdue(task.id, task.title, task.lead_unit, due, task.deadline.due,
                                       (judged_on - due).days, state.status.label, asked))
            continue
        c = counts.setdefault(task.lead_unit, dict.fromkeys(_COUNTS, 0))
        c["tasks"] += 1
        due = judged_due(task, state)
        done = state.status is Status.DONE
        reported_late = bool(done and due and state.done_on and state.done_on > due)
        # Reported done after its date, it is late whatever the review says: counted 逾期完成, not set apart as
        # 待审核 where no rate sees it (found by a reader: 按时完成率 100% of two late tasks awaiting review).
        if done and review and state.closed_on is None and not reported_late:
            c["pending"] += 1
        elif done:
            late = (state.done_on - due).days if due and state.done_on and state.done_on > due else 0
            c["late" if late else "on_time"] += 1
            c["days_late"] += late
        elif due is not None and due < judged_on:
            c["overdue"] += 1
            c["days_late"] += (judged_on - due).days
            overdue.append(Overdue(task.id, task.title, task.lead_unit, due, task.deadline.due,
                                   (judged_on - due).days, state.status.label, asked))
        elif due is None:
            c["no_due"] += 1
        else:
            c["not_due"] += 1
        approved, pending = extension_counts(state)
        if done and not reported_late:  # finished by its date: a request still pending asked for time it never used
            pending = 0
        c["ext_approved"] += approved
        c["ext_unapproved"] += pending
        c["returned"] += returns.get(task.id, 0)
        if state.updated and (task.lead_unit not in updates or state.updated > updates[task.lead_unit]):
            updates[task.lead_unit] = state.updated
    weights = weights_of(plan)
    standings = [_standing(unit.name, counts[unit.name], updates.get(unit.name), weights)
                 for unit in plan.units if unit.name in counts]
    ranked = _rank(standings, scored=bool(weights))
    total = _standing("合计", {k: sum(c[k] for c in counts.values()) for k in _COUNTS},
                      max(updates.values(), default=None), weights)
    overdue.sort(key=lambda o: (-o.days, o.task))
    return Bulletin(title=bulletin_title(plan), as_of=as_of, period=period, issuer=plan.issuer, review=review,
                    units=ranked, total=total, overdue=overdue, collective=shared, weights=weights,
                    collective_overdue=shared_overdue,
                    closed=judged_on > as_of, collective_name=plan.collective_name)


_COUNTS = ("tasks", "on_time", "late", "overdue", "pending", "not_due", "no_due", "ext_approved", "ext_unapproved", "returned",
           "days_late")


def _standing(unit: str, c: Mapping[str, int], last: dt.date | None, weights: Mapping[str, float]) -> Standing:
    score = None
    if weights:
        by_key = {"on_time": c["on_time"], "late": c["late"], "overdue": c["overdue"],
                  "extension": c["ext_unapproved"], "returned": c["returned"]}
        score = half_up(sum(weights.get(k, 0.0) * n for k, n in by_key.items()), 2)
    return Standing(unit=unit, last_update=last, score=score, **c)


def _rank(units: Sequence[Standing], *, scored: bool) -> list[Standing]:
    def key(s: Standing) -> tuple[float, ...]:
        rate = s.rate if s.rate is not None else -1.0
        return (-(s.score or 0.0), -rate) if scored else (-rate, s.overdue, s.late)

    ordered = sorted((s for s in units if s.judged), key=key)  # stable: table order among equals
    out: list[Standing] = []
    for i, s in enumerate(ordered):
        rank = out[-1].rank if out and key(ordered[i - 1]) == key(s) else i + 1
        out.append(replace(s, rank=rank))
    return out + [replace(s, rank=0) for s in units if not s.judged]  # 暂无可评价任务: not ranked


def unranked(b: Bulletin) -> list[Standing]:
    """The units with nothing judged yet (暂无可评价任务), not ranked."""
    return [s for s in b.units if not s.rank]


def rank_cell(b: Bulletin, s: Standing) -> str:
    """排名: the rank, — for a unit not ranked, nothing for the 合计 row."""
    return str(s.rank) if s.rank else "" if s is b.total else "—"


# --------------------------------------------------------------------------- wording (every format)


def number_text(value: float) -> str:
    """12 for 12.0, 12.5 as it is."""
    return f"{value:.0f}" if value == int(value) else one_place(value).rstrip("0").rstrip(".")


def rate_cell(s: Standing) -> str:
    return f"{one_place(s.rate)}%" if s.rate is not None else "—"


def avg_cell(s: Standing) -> str:
    avg = s.avg_days_late
    return one_place(avg) if avg is not None else "—"


def headers(b: Bulletin) -> list[str]:
    return ["排名", "单位", "任务", "按时完成", "逾期完成", "逾期未完成", *(["待审核"] if b.review else []),
            "延期（批准/未批准）", "退回", "平均逾期天数", "最近更新", "按时完成率", *(["得分"] if b.scored else [])]


def cells(b: Bulletin, s: Standing) -> list[str]:
    return [rank_cell(b, s), s.unit, str(s.tasks), str(s.on_time), str(s.late), str(s.overdue),
            *([str(s.pending)] if b.review else []), f"{s.ext_approved}/{s.ext_unapproved}", str(s.returned),
            avg_cell(s), s.last_update.isoformat() if s.last_update else "—", rate_cell(s),
            *([number_text(s.score or 0.0)] if b.scored else [])]


NUMERIC_FROM = 2  # columns from here on are figures (right-aligned / centred)


def subtitle(b: Bulletin) -> str:
    if b.period is not None:
        return f"（{b.period.label()}，数据截至 {date_text(b.as_of)}）"
    return f"（截至 {date_text(b.as_of)}）"


def summary_lines(b: Bulletin) -> list[str]:
    t = b.total
    scope = "完成时限在本期内的重点任务" if b.period else "纳入通报的重点任务"
    first = f"{scope}共 {t.tasks + b.collective} 项，按牵头单位统计"
    if b.collective:
        first += f"（其中 {b.collective} 项由“{b.collective_name}”等集体单位牵头，不计入各单位" + (
            f"；这些任务中逾期未完成的 {b.collective_overdue} 项列入逾期未完成任务清单" if b.collective_overdue else "") + "）"
    parts = [f"按时完成 {t.on_time} 项", f"逾期完成 {t.late} 项", f"逾期未完成 {t.overdue} 项",
             *([f"已报告完成待审核 {t.pending} 项"] if b.review else []), *([f"尚未到期 {t.not_due} 项"] if t.not_due or not t.no_due else []),
             *([f"持续推进等无明确时限的 {t.no_due} 项"] if t.no_due else [])]
    lines = [first + "。各单位牵头的 " + f"{t.tasks} 项中，" + "，".join(parts) + "。"]
    lines.append(f"按时完成率 {rate_cell(t)}" + (f"，逾期任务平均逾期 {avg_cell(t)} 天" if t.avg_days_late is not None else "")
                 + "。")
    lines.append(f"延期 {t.ext_approved + t.ext_unapproved} 次（经批准 {t.ext_approved} 次，未经批准 {t.ext_unapproved} 次），"
                 f"审核退回 {t.returned} 次。")
    return lines


def note_lines(b: Bulletin) -> list[str]:
    """How the ranking is counted, as a 注 under it: the results first (found by a reader: with 200 tasks, nine
    lines of method left two rows of the ranking on the first page)."""
    lines = rule_lines(b)
    return ["注：" + lines[0], *lines[1:]] if lines else []


def rule_lines(b: Bulletin) -> list[str]:
    # In words, as a 公文 writes a rule (found by a reader: "= … ÷（… + …）" read as a formula in the 正文).
    lines = ["按时完成以原定完成时限为准，经批准延期的以批准后的时限为准；按时完成率为按时完成的任务占已到期任务（按时完成、"
             "逾期完成、逾期未完成三项之和）的比例，尚未到期和无明确时限（持续推进）的任务不计入。平均逾期天数含逾期完成（完成时逾期的天数）和逾期未完成（"
             + ("期末仍未完成，逾期天数计至期末次日" if b.closed else "截至通报日逾期的天数") + "）的任务。"
             "延期申请经批准的计为经批准的延期；尚未批准的计为未经批准的延期，但任务已在时限内完成的不计。"]
    if b.review:
        lines.append("任务经审核销号后方计为完成；已报告完成、尚待审核的任务单列，报告完成时已逾期的计入逾期完成。")
    lines.append("各单位按得分由高到低排列。" if b.scored else "各单位按“按时完成率”由高到低排列，相同时逾期未完成少者在前，"
                 "再相同时逾期完成少者在前。")
    waiting = "、".join(s.unit for s in unranked(b))
    lines[-1] += (f"暂无可评价任务（按时完成、逾期完成、逾期未完成均为 0，如牵头任务均未到期{'或待审核' if b.review else ''}）"
                  "的单位不参与排名，列在最后，排名记为“—”"
                  + (f"：{waiting}。" if waiting else "。"))
    return lines


def score_line(b: Bulletin) -> str:
    terms = [f"{SCORE_LABELS[k]}每项（次）{'计' if b.weights[k] >= 0 else '扣'} {number_text(abs(b.weights[k]))} 分"
             for k in SCORE_ORDER if k in b.weights]
    return "各单位得分为各项之和：" + "，".join(terms) + "。"


OVERDUE_HEADERS = ["序号", "任务", "牵头单位", "完成时限", "逾期天数", "状态"]


def overdue_cells(o: Overdue, day: Callable[[dt.date], str] = dt.date.isoformat) -> list[str]:
    """One overdue task; its dates as `day` writes them (ISO, or 公文 form in the Word 通报)."""
    due = day(o.due)
    if o.original and o.original != o.due:
        due += f"（原定 {day(o.original)}）"
    if o.requested:  # found by a tester: the 周报 said the request, the 通报 did not
        due += f"（申请延期至 {day(o.requested)}，未经批准）"
    return [str(o.task), o.title, o.unit, due, str(o.days), o.status]


def section_titles(b: Bulletin) -> list[tuple[str, str]]:
    keys = [("overview", "总体情况"), ("units", "各单位落实情况"), ("overdue", "逾期未完成任务"),
            *([("score", "评分办法")] if b.scored else [])]
    numerals = "一二三四"
    return [(key, f"{numerals[i]}、{title}") for i, (key, title) in enumerate(keys)]


def signature_lines(b: Bulletin) -> list[str]:
    return [line for line in (b.issuer, date_text(b.as_of)) if line]
