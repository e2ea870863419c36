"""The reporting period of a 填报表: an ISO week (2021-W47, the default: the week of --today) or a month."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gwgk_cli.errors import BadValue

_WEEK = re.compile(r"^(\d{4})-?[Ww](\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """The reporting period a 填报 sheet covers."""

    key: str  # 2021-W47 or 2021-11: what the sheet and the journal record
    start: dt.date
    end: dt.date

    @property
    def year(self) -> int:
        return int(self.key[:4])

    @property
    def label(self) -> str:
        """2021年第47周（11月22日—11月28日）, or 2021年11月."""
        if "W" in self.key:
            week = int(self.key.split("W")[1])
            span = f"{self.start.month}月{self.start.day}日—{self.end.month}月{self.end.day}日"
            return f"{self.key[:4]}年第{week}周（{span}）"
        return f"{self.start.year}年{self.start.month}月"


def week_of(day: dt.date) -> Period:
    year, week, weekday = day.isocalendar()
    start = day - dt.timedelta(days=weekday - 1)
    return Period(f"{year}-W{week:02d}", start, start + dt.timedelta(days=6))


def parse_period(text: str) -> Period:
    """`2021-W47` (ISO week) or `2021-11` (month); BadValue otherwise."""
    raw = text.strip()
    if m := _WEEK.match(raw):
        year, week = int(m[1]), int(m[2])
        try:
            start = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise BadValue(f"无效的填报周期 “{text}”（{year} 年没有第 {week} 周）") from None
        return Period(f"{year}-W{week:02d}", start, start + dt.timedelta(days=6))
    if m := _MONTH.match(raw):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise BadValue(f"无效的填报周期 “{text}”（月份应为 1–12）")
        start = dt.date(year, month, 1)
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return Period(f"{year}-{month:02d}", start, following - dt.timedelta(days=1))
    raise BadValue(f"无效的填报周期 “{text}”（应为周 2021-W47 或月 2021-11）")


def period_or_week(text: str | None, today: dt.date) -> Period:
    return parse_period(text) if text is not None else week_of(today)
