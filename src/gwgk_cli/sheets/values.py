"""A 填报表 cell's value as the unit meant it: a date, a percent, a status, text.

Accepted as Excel, WPS and clerks write them:
- 填报日期: a real date cell, a date serial number, `2021-11-22`, `2021/11/22`, `2021.11.22`,
  `2021年11月22日` (or `22号`), `20211122`, `11月22日` or `11/22` (the period's year), full-width digits
  too, a time after it (`2021-11-22 10:00`, `2021-11-22T10:00:00`), a weekday after it
  (`2021-11-22 星期一`, `（周一）`) when it is that date's (else: 星期不符), and a serial number stored as text
  (`44522`, a text-formatted cell) when it falls within a year of the period. Anything else
  (`22/11/2021`, `21-11-22`) is refused: no guessing which number is the day.
- 完成进度: a whole number 0–100 as a number or as text (`80`, `80%`, `８０％`); a number in a cell
  formatted as a percentage is what Excel shows (0.8 formatted `0%` is 80; 1.5, shown `150%`, is out of
  range and quoted as `150%`); a literal `"%"` or an escaped % in the format scales nothing (80 formatted `0"%"`
  is 80). A fraction typed as text (`0.8`) is not guessed: an error.
- text: as written, with Excel's `_xHHHH_` escapes of control characters decoded (openpyxl leaves them).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from gwgk_cli.numerals import half_width
from gwgk_cli.sheets.period import Period

# -- values -----------------------------------------------------------------------------------------

_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[/月.-]\s*(\d{1,2})\s*[日号]?$")
_TIME_PART = re.compile(r"(\s+|T)\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")  # 2021-11-22 10:00, 2021-11-22T10:00:00
_WEEKDAY = re.compile(r"\s*[(]?\s*(?:星期|周|礼拜)([一二三四五六日天])\s*[)]?$")  # after NFKC: （ is (
_WEEKDAYS = "一二三四五六日"
_SERIAL_TEXT = re.compile(r"^\d{5}(\.\d+)?$")  # 44522: a date serial number in a text-formatted cell
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
# What a number format shows literally, so a % in it scales nothing: "…" strings, \x escapes, _x and *x
# (padding, fill), [colour] and [condition] sections.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|[_*].|\[[^\]]*\]')


class WrongWeekday(ValueError):
    """A date written with a weekday that is not its own (2021-11-19 星期一: the 19th is a Friday)."""

    def __init__(self, day: dt.date) -> None:
        super().__init__(day)
        self.day = day

    @property
    def actual(self) -> str:
        return "星期" + _WEEKDAYS[self.day.weekday()]


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """OOXML's `_xHHHH_` escapes (how Excel saves a control character, and `_x005F_` a literal `_x`) as the
    characters they stand for; openpyxl leaves them as written."""
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


normal = half_width  # full-width digits, letters and punctuation as half-width (NFKC), outer spaces removed


def person_name(text: str) -> str:
    """A 填报人 as one spelling: NFKC, and a Chinese name without the spaces typed inside it (王 芳, 王　芳:
    王芳); a Latin one with its spaces as one."""
    text = " ".join(normal(text).split())
    return text.replace(" ", "") if any(not ch.isascii() for ch in text) else text


def no_such_day(year: int, month: int, day: int) -> str | None:
    """Why year-month-day is no date, in a clerk's words (11月没有31日, 2021年2月只有28天); None when it is one.
    The command line and the 填报表 say it alike."""
    try:
        dt.date(year, month, day)
    except ValueError:
        pass
    else:
        return None
    if not 1 <= month <= 12:
        return f"没有{month}月"
    if day < 1:
        return "日应从 1 起"
    import calendar

    last = calendar.monthrange(year, month)[1]
    return f"{year}年{month}月只有{last}天" if month == 2 else f"{month}月没有{day}日"


def why_not_a_date(value: Any, period: Period) -> str | None:
    """For a 填报日期 that is no date: why, when it is written as a date that does not exist (2022/4/31)."""
    text = _TIME_PART.sub("", normal(str(value)))
    if m := _FULL_DATE.match(text):
        return no_such_day(int(m[1]), int(m[2]), int(m[3]))
    if m := _SHORT_DATE.match(text):
        return no_such_day(period.start.year, int(m[1]), int(m[2]))
    return None


def parse_date_value(value: Any, period: Period) -> dt.date:
    """A 填报日期 cell -> a date; ValueError when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and _COMPACT_DATE.match(str(int(value))):
            return parse_date_value(str(int(value)), period)
        if 10000 <= value < 2958466:  # Excel's serial numbers (1900 date system; 10000 is 1927), as WPS writes them
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()  # type: ignore[no-any-return]
        raise ValueError(value)
    text = normal(str(value))
    weekday = None
    if m := _WEEKDAY.search(text):  # 2021年11月22日（星期一）: the weekday must be that date's
        weekday = _WEEKDAYS.index(m[1].replace("天", "日"))
        text = text[: m.start()].strip()
    day = _text_date(_TIME_PART.sub("", text), period)
    if weekday is not None and day.weekday() != weekday:
        raise WrongWeekday(day)
    return day


def _text_date(text: str, period: Period) -> dt.date:
    if _SERIAL_TEXT.match(text):
        # A serial number as text: only one within a year of the period (another 5-digit number is no date).
        from openpyxl.utils.datetime import from_excel

        serial_day: dt.date = from_excel(float(text)).date()
        if not period.start.year - 1 <= serial_day.year <= period.end.year + 1:
            raise ValueError(text)
        return serial_day
    if m := _FULL_DATE.match(text) or _COMPACT_DATE.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _SHORT_DATE.match(text):
        month, day = int(m[1]), int(m[2])
        # The period's year; a week across New Year takes the year that puts the day nearest the period.
        years = sorted({period.start.year, period.end.year})
        candidates = []
        for year in years:
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                continue
        if not candidates:
            raise ValueError(text)
        return min(candidates, key=lambda d: abs((d - period.start).days))
    raise ValueError(text)


def is_percent_format(number_format: str | None) -> bool:
    """Whether a number format shows a number as a percentage (times 100): a % that is not literal text."""
    return "%" in _FORMAT_LITERALS.sub("", number_format or "")


def percent_shown(value: Any, number_format: str | None) -> str:
    """A 完成进度 cell quoted in a message as the clerk sees it: 1.5 formatted 0% is “150%”."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and is_percent_format(number_format):
        return f"{round(value * 100, 6):g}%"
    return shown(value)


def parse_percent_value(value: Any, number_format: str = "General") -> int:
    """A 完成进度 cell -> 0–100; ValueError with the Chinese reason."""
    if isinstance(value, bool):
        raise ValueError("不是 0–100 的数字")
    if isinstance(value, (int, float)):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise ValueError("不是 0–100 的数字")
        if is_percent_format(number_format):
            number = round(number * 100, 6)  # what the cell shows: 80% typed into a percentage cell is 0.8
    else:
        text = normal(str(value)).removesuffix("%").strip()
        if not _NUMBER.match(text):
            raise ValueError("不是 0–100 的数字")
        number = float(text)
    if not number.is_integer():
        raise ValueError("不是 0–100 的整数")
    if not 0 <= number <= 100:
        raise ValueError("超出 0–100")
    return int(number)


def text_value(value: Any) -> str:
    """A text cell as text: a number as written (80, not 80.0), a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return unescape(str(value)).strip()


def shown(value: Any) -> str:
    """A cell's value quoted in a message."""
    return text_value(value).replace("\n", " ")[:40]
