"""Read a Chinese deadline phrase (时限要求) as a due date of the plan year.

``parse_deadline("6月底前", 2021)`` gives 2021-06-30; ``parse_deadline("持续推进", 2021)``
gives an *ongoing* deadline (no due date); a phrase that is not understood gives a
deadline with neither, and the phrase is always kept exactly as written.

This module is core code: standard library only at import time. ``dateutil`` is
imported lazily, by the one helper that does month-end arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from gwgk_cli.numerals import small_number, year_number

__all__ = [
    "ONGOING_WORDS",
    "Deadline",
    "describe",
    "is_understood",
    "parse_deadline",
]

#: Phrases (after normalisation) that mean "no due date, keep doing it".
ONGOING_WORDS: tuple[str, ...] = (
    "持续推进",
    "长期坚持",
    "长期",
    "持续开展",
    "常态化推进",
    "持续",
    "常态化",
    "长期推进",
    "持续实施",
    "持续落实",
    "持续进行",
    "常态化开展",
    "常态化实施",
    "长期开展",
    "长期执行",
    "常年",
)

#: Recurring deadlines (每季度, 按月, 每半年 …): the task is done again and again through the year, so it has no
#: one due date and counts as ongoing (as 持续推进 does); the phrase is kept as written. ``每年3月底前`` names a
#: date each year: in a one-year plan that is 3月底 of the plan year, a due date like any other.
_RECURRING = (
    r"(?:每|按)个?(?P<unit>季度?|月|半年|年度?|周|星期)"
    r"(?P<rest>.*)"
)
_RECURRING_TAIL = (
    r"(?:(?:首月|末月|第?[一二三1-3]个?月)内?)?"
    r"(?:末|底|初|内|上旬|中旬|下旬|第?[0-9一二三四五六七八九十]{1,3}个?(?:工作)?[日天号])?"
    r"(?:一次|1次|更新|报送)?"
)

ONGOING_LABEL = "持续推进"
UNKNOWN_LABEL = "未识别"


@dataclass(frozen=True, slots=True)
class Deadline:
    """A 时限要求 phrase and what it means for the plan year."""

    phrase: str  # as written (original, unmodified)
    due: date | None  # None when ongoing or not understood
    ongoing: bool  # 持续推进 etc.

    @property
    def parsed(self) -> bool:
        """True when the phrase was understood (a due date, or ongoing)."""
        return self.due is not None or self.ongoing

    def days_left(self, today: date) -> int | None:
        """Days from ``today`` to the due date (negative when overdue); None if no due date."""
        if self.due is None:
            return None
        return (self.due - today).days


# --------------------------------------------------------------------------- normalising

# Patterns are kept as strings: re compiles (and caches) each on first use, so importing this
# module costs nothing when the table comes from the index and no phrase is parsed.
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_WHITESPACE = r"\s+"
_TRAILING_PUNCT = "。．.，,；;、：:！!？?…"
# Longest first, so 为止 is taken before 止 and 之前 before 前.
_TRAILING_WORDS = (
    "前完成",
    "完成",
    "之前",
    "以前",
    "为止",
    "截止",
    "截至",
    "前",
    "止",
)
_LEADING_WORDS = ("截至", "截止", "在", "于", "到", "至")


def _normalise(phrase: str) -> str:
    """Strip whitespace, fold full-width digits, drop 完成/前/止… and leading 在/于."""
    text = re.sub(_WHITESPACE, "", phrase).translate(_FULLWIDTH_DIGITS)
    while True:
        before = text
        text = text.rstrip(_TRAILING_PUNCT)
        for word in _TRAILING_WORDS:
            if text.endswith(word):
                text = text[: -len(word)]
                break
        for word in _LEADING_WORDS:
            if text.startswith(word):
                text = text[len(word) :]
                break
        if text == before:
            return text


# --------------------------------------------------------------------------- numbers

_YEAR = r"[0-9]{4}|[〇零一二三四五六七八九]{4}"
_NUM = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"

# An optional year in front: 2021年 / 2021年度 / 今年 / 本年度 / 当年 / bare 年 (as in 年底).
_YEAR_PREFIX = rf"(?:(?P<year>{_YEAR})|(?P<this>今|本|当))?年度?"
# What may follow a bare 年 (年底, 年内, 年度内, 年中 …).
_BARE_YEAR_END = frozenset({"底", "末", "内", "终"})
_BARE_MID_YEAR = frozenset({"中"})
# What may follow an explicit year (2021年底, 今年年底, 本年度内, 2021年 …).
_YEAR_END = frozenset({"", "底", "末", "内", "终", "年底", "年末", "年内", "年终"})
_MID_YEAR = frozenset({"中", "年中", "上半年", "上半年底", "上半年末", "上半年内"})
_SECOND_HALF = frozenset({"下半年", "下半年底", "下半年末", "下半年内"})

_MONTH_END = rf"(?P<m>{_NUM})月(?:份|底|末|内|份底|份内|下旬)?"
_MONTH_TEN_DAYS = rf"(?P<m>{_NUM})月(?P<part>上旬|中旬)"
_MONTH_DAY = rf"(?P<m>{_NUM})月(?P<d>{_NUM})[日号]"
_QUARTER = r"第?(?P<q>[一二三四1-4])季度(?:末|底|内)?"
_FIRST_QUARTERS = r"前(?P<q>[一二三1-3])个?季度(?:末|底|内)?"
_QUARTER_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_TEN_DAYS_END = {"上旬": 10, "中旬": 20}


def _month_end(year: int, month: int) -> date:
    """Last day of ``month`` in ``year`` (raises ValueError for a bad month or year)."""
    from dateutil.relativedelta import relativedelta

    first = date(year, month, 1)
    result: date = first + relativedelta(day=31)
    return result


_NUMERIC_DATE = r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"


def _due(text: str, year: int) -> date | None:
    """The due date of a normalised, non-ongoing phrase, or None."""
    if (nd := re.fullmatch(_NUMERIC_DATE, text)) is not None:  # 2021-11-30, 2021/11/30, 2021.11.30
        return date(int(nd.group(1)), int(nd.group(2)), int(nd.group(3)))
    rest = text
    m = re.match(_YEAR_PREFIX, text)
    if m is not None:
        rest = text[m.end() :]
        if m.group("year") is not None:
            year = year_number(m.group("year"))
        elif m.group("this") is None:  # a bare 年: only 年底, 年内, 年中 and the like
            if rest in _BARE_YEAR_END:
                return date(year, 12, 31)
            if rest in _BARE_MID_YEAR:
                return date(year, 6, 30)
            return None
        if rest in _YEAR_END:
            return date(year, 12, 31)
    if rest in _MID_YEAR:
        return date(year, 6, 30)
    if rest in _SECOND_HALF:
        return date(year, 12, 31)
    if not rest:
        return None

    if (q := re.fullmatch(_QUARTER, rest) or re.fullmatch(_FIRST_QUARTERS, rest)) is not None:
        return _month_end(year, _QUARTER_NUMBERS[q.group("q")] * 3)
    if (md := re.fullmatch(_MONTH_DAY, rest)) is not None:
        month, day = small_number(md.group("m")), small_number(md.group("d"))
        if month is None or day is None:
            return None
        return date(year, month, day)
    if (mt := re.fullmatch(_MONTH_TEN_DAYS, rest)) is not None:
        month = small_number(mt.group("m"))
        if month is None:
            return None
        return date(year, month, _TEN_DAYS_END[mt.group("part")])
    if (me := re.fullmatch(_MONTH_END, rest)) is not None:
        month = small_number(me.group("m"))
        if month is None:
            return None
        return _month_end(year, month)
    return None


# --------------------------------------------------------------------------- API


def parse_deadline(phrase: str, year: int) -> Deadline:
    """Read ``phrase`` for plan year ``year``. Never raises; unknown → Deadline(phrase, None, False)."""
    text = _normalise(phrase)
    if text in ONGOING_WORDS:
        return Deadline(phrase, None, True)
    if (rec := re.fullmatch(_RECURRING, text)) is not None:
        return _recurring(phrase, rec.group("unit"), rec.group("rest"), year)
    try:
        due = _due(text, year)
    except (ValueError, OverflowError):  # 2月30日, 13月, year 0 …
        due = None
    return Deadline(phrase, due, False)


def _recurring(phrase: str, unit: str, rest: str, year: int) -> Deadline:
    """每季度/按月/每半年 …: ongoing; 每年3月底(前): 3月底 of the plan year; anything else not understood."""
    if unit.startswith("年") and rest:
        try:
            due = _due(rest, year)
        except (ValueError, OverflowError):
            due = None
        if due is not None and due.year == year:
            return Deadline(phrase, due, False)
    if re.fullmatch(_RECURRING_TAIL, rest):
        return Deadline(phrase, None, True)
    return Deadline(phrase, None, False)


def is_understood(phrase: str) -> bool:
    """True when ``phrase`` is a deadline this module can read (a date or ongoing)."""
    return parse_deadline(phrase, 2000).parsed


def describe(d: Deadline) -> str:
    """Short label for display: the ISO due date, 持续推进, or 未识别."""
    if d.due is not None:
        return d.due.isoformat()
    if d.ongoing:
        return ONGOING_LABEL
    return UNKNOWN_LABEL
