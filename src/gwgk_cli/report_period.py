"""Periods of the weekly report: ISO weeks, custom ranges, and how their dates are written (core, no I/O)."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from gwgk_cli.errors import BadValue
from gwgk_cli.model import Plan


def md_text(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def day_text(day: dt.date, year: int | None = None) -> str:
    """A date in a document of `year`: 12月31日 in that year, 2021年12月31日 in another (a document across a
    year boundary gives the year); without a year, 12月31日."""
    return md_text(day) if year is None or day.year == year else date_text(day)


class Period(NamedTuple):
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
