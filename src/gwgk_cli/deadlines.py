"""Read a Chinese deadline phrase (时限要求) as a due date of the plan year.

``parse_deadline("6月底前", 2021)`` gives 2021-06-30; ``parse_deadline("持续推进", 2021)``
gives an *ongoing* deadline (no due date); a phrase that is not understood gives a
deadline with neither, and the phrase is always kept exactly as written.

Beyond one date or one ongoing word (the simple grammar), a phrase is read by word families and
clause by clause (``_compound``): 及时公开, 动态更新, 按上级要求, 依法依规办理 … have no date and are
ongoing; ``持续推进，12月底前完成阶段任务`` is due 12月底 (the dated part; of two, the completion:
``9月底前启动，年底前完成`` is due 年底); 尽快, 待定, 另行通知 ask for a date the notice does not give and
stay not understood. :func:`deadline_in_text` finds a deadline written in a requirement's text.

This module is core code: standard library only at import time. ``dateutil`` is
imported lazily, by the one helper that does month-end arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TypeVar

from gwgk_cli.numerals import small_number, year_number

__all__ = [
    "ONGOING_WORDS",
    "Deadline",
    "deadline_in_text",
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

# An optional year in front: 2021年 / 2021年度 / 今年 / 本年度 / 当年 / 次年, 明年, 下一年 (the year after the
# plan year: 次年1月底前 for a report on the year) / bare 年 (as in 年底).
_YEAR_PREFIX = rf"(?:(?P<year>{_YEAR})|(?P<this>今|本|当)|(?P<next>次|明|下一))?年度?"
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
        elif m.group("next") is not None:
            year += 1
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


# --------------------------------------------------------------------------- phrases without a date

# Three word families say that a task has no one due date (after normalisation, at the start of the phrase;
# any verb may follow: 及时公开, 动态更新, 常年坚持, 按上级要求推进). All are *ongoing*, as 持续推进 is: no red
# or yellow light by date, the 30-day “N 天未更新” light instead, listed with the 持续推进 tasks in reports.
#: Keep doing it: 持续, 长期, 常态化, 常年, 全年, 经常, 日常, 长效, 定期, 不间断, 坚持 …
_STEADY = r"持续|长期|常态化?|常年|全年|经常性?|日常|长效|定期|不间断|始终|一以贯之|坚持"
#: Whenever it arises: 及时, 实时, 随时, 即时, 动态, 适时, 同步.
_PROMPT = r"及时|实时|随时|即时|动态|适时|同步"
#: The date is set elsewhere — by the superior, the work plan, the law (per case): 根据上级部署, 按上级要求,
#: 根据工作安排, 按要求, 按规定时限, 依法依规, 按时 ….
_DIRECTED = (
    r"(?:按照?|根据|依据|依照|遵照|服从)[\u4e00-\u9fff]{0,10}?"
    r"(?:部署|要求|安排|规定|需要|进度|时限|期限|时间|节点|程序)(?:的?(?:时限|期限|时间|进度))?内?"
    r"|(?:在|于)?(?:规定|法定|承诺)的?(?:时限|期限|时间)内?"
    r"|依法依规|依法|依规"
)
_NO_DATE_HEAD = rf"(?:{_STEADY}|{_PROMPT}|{_DIRECTED})+"
#: Phrases that ask for a date the notice did not give (尽快, 待定, 另行通知, 视情况而定): not understood, so
#: that the import and `gwgk doctor` keep saying so until the clerk writes the date in.
_DATE_TO_COME = ("尽快", "尽早", "待定", "另行", "另定", "再定", "视情况", "择机",
                 # a date set elsewhere and meant as a date (按期完成, 按上级要求的时间节点, 按规定时间报送):
                 # the clerk writes it in, as for 待定 (按规定时限 办理, case by case, stays ongoing)
                 "时间", "节点", "按期", "如期", "按时")
_CJK = r"[\u4e00-\u9fff]"
# What looks like a date (a clause with one that is not understood makes the whole phrase not understood).
_DATE_LIKE = (
    r"[0-9０-９]|[一二三四五六七八九十〇零]+个?(?:月|日|号|季度?)|年度?(?:底|末|内|中|终)|月(?:底|末|内|初|中)"
    r"|[上下]半年|旬|季度"
    r"|^(?:今|本|当|次|明)年"
)
# A completion: the part of a compound phrase that gives its due date (9月底前启动，年底前完成 → 年底).
_COMPLETION = ("完成", "办结", "建成", "完工", "到位", "落实", "上线", "印发", "出台", "实现", "验收", "结束", "收官")
# What ends the date of a dated clause followed by its verb (6月底前 上线): a word that makes it a deadline.
_DATE_END = ("前", "底", "末", "内", "止", "日", "号", "旬", "终")
# A date without such a word (9月, 三季度, 上半年, 每季度) is a deadline before one of these verbs only (9月启动,
# 三季度完成, 每季度公开; not 2021年开始, 每季度大概).
_VERBS = (*_COMPLETION, "启动", "开展", "公开", "更新", "报送", "上报", "发布", "推进", "部署", "召开", "组织", "形成",
          "编制", "梳理", "调整", "报告", "总结", "评估")
# What may not follow a date for it to be a deadline (2021年以来, 2021年底的数据, 6月后, 6月底前后); 起, 开始 after
# one without 前 (9月起, 2021年开始; 9月底前开始实施 is one).
_NOT_A_DEADLINE_AFTER = ("的", "以来", "来", "以后", "之后", "后", "左右")
_STARTING = ("起", "开始")
# Words before the date or the verb of a clause that say nothing of the date: 并, 同时, 力争, 确保 ….
_CONNECTIVES = (
    "并且", "并", "且", "同时", "其中", "力争", "确保", "争取", "务必", "必须", "须", "要", "应", "原则上", "最迟",
    "最晚", "不晚于", "不迟于", "于", "在", "到", "至",
)
_CLAUSE_BREAK = r"[，,；;。、！!？?（()）【】\[\]]+|并且|并|同时"
_MAX_COMPOUND = 80  # characters (normalised): a longer text is no deadline phrase


def _strip_connectives(text: str) -> str:
    while True:
        before = text
        for word in _CONNECTIVES:
            if text.startswith(word):
                text = text[len(word) :]
                break
        if text == before:
            return text


def _date_like(text: str) -> bool:
    return re.search(_DATE_LIKE, text) is not None


class _Clause:
    """One clause of a compound phrase: its due date, or ongoing, or neither (``date_like`` when it has what
    looks like a date all the same; ``to_come`` when it asks for one: 尽快, 另行通知), and whether it is the
    completion (完成 …). A plain class: a dataclass generates its methods at import, about a millisecond at
    every start of gwgk, for a detail of parsing."""

    __slots__ = ("due", "ongoing", "date_like", "to_come", "completes")

    def __init__(self, due: date | None = None, ongoing: bool = False, *, date_like: bool = False,
                 to_come: bool = False, completes: bool = False) -> None:
        self.due, self.ongoing, self.date_like, self.to_come, self.completes = due, ongoing, date_like, to_come, completes


def _no_date(text: str) -> bool:
    """A normalised phrase of the families without a date (及时公开, 按上级要求, 常年坚持 …)."""
    if any(word in text for word in _DATE_TO_COME) or _date_like(text):
        return False
    m = re.match(_NO_DATE_HEAD, text)
    if m is None:
        return False
    tail = text[m.end() :]
    return (re.fullmatch(rf"{_CJK}{{0,16}}", tail) is not None
            and not tail.startswith((*_NOT_A_DEADLINE_AFTER, *_STARTING)))


def _dated_head(text: str, year: int) -> Deadline | None:
    """What a clause that is a date followed by its verb says (12月底前完成阶段任务, 6月底前上线: a due date;
    每季度10日前报送: ongoing, as 每季度10日前 is), or None."""
    for cut in range(len(text) - 1, 0, -1):
        head, tail = text[:cut], text[cut:]
        if _date_like(tail) or tail.startswith(_NOT_A_DEADLINE_AFTER) or not re.fullmatch(rf"{_CJK}+", tail):
            continue
        if (tail.startswith(_STARTING) and not head.endswith("前")) or tail[0] in "前内底末止之以":
            continue  # 9月起; 6月底|前后 (the longer head was refused: so is this one)
        if not head.endswith(_DATE_END) and not tail.startswith(_VERBS):
            continue  # 2021年开始, 每季度大概: no deadline
        if (found := _single(head, year)).parsed:
            return found
    return None


def _clause(raw: str, year: int) -> _Clause:
    completes = any(word in raw for word in _COMPLETION)
    text = _strip_connectives(_normalise(raw))
    m = re.match(_NO_DATE_HEAD, text)
    if m is not None and _date_like(text[m.end() :]):  # 按要求于6月底前完成: the date is the deadline
        text = _strip_connectives(text[m.end() :])
    if not text:
        return _Clause()
    single = _single(text, year)
    if single.due is not None or single.ongoing:
        return _Clause(single.due, single.ongoing, completes=completes)
    if _no_date(text):
        return _Clause(ongoing=True)
    if (head := _dated_head(text, year)) is not None:
        return _Clause(head.due, head.ongoing, completes=completes)
    return _Clause(date_like=_date_like(text), to_come=any(word in text for word in _DATE_TO_COME), completes=completes)


_T = TypeVar("_T")


def _plan_years_due(found: Sequence[_T], year: int, key: Callable[[_T], date | None]) -> _T:
    """Of several dated parts, the one that gives the due date: the latest in the plan year (9月底前启动，年底前完成
    and 6月底前完成自查，11月底前迎接检查: the last step of the year, so no stage turns the task red before
    its end), else the earliest (年底前完成年度任务，2023年6月底前全面完成 in a 2022 plan: 年底)."""
    dated = [(d, f) for f in found if (d := key(f)) is not None]
    in_year = [p for p in dated if p[0].year == year]
    return (max(in_year, key=lambda p: p[0]) if in_year else min(dated, key=lambda p: p[0]))[1]


def _compound(phrase: str, year: int) -> Deadline:
    """A phrase the simple grammar does not read: clause by clause (持续推进，12月底前完成阶段任务; 9月底前启动，
    年底前完成; 长期坚持（每季度更新）; 及时公开). A dated clause gives the due date — of several, the latest
    of those that say 完成 (or the like), else the latest of all; without one, a clause of the families
    without a date makes it ongoing. Never when a clause has a date not understood (持续推进，2月30日前), nor
    when the completion or the whole phrase waits for a date (6月底前启动，完成时间另行通知; 持续推进，时间待定)."""
    text = re.sub(_WHITESPACE, "", phrase).translate(_FULLWIDTH_DIGITS)
    if len(text) > _MAX_COMPOUND:
        return Deadline(phrase, None, False)
    clauses = [_clause(part, year) for part in re.split(_CLAUSE_BREAK, text) if part]
    if not clauses or any(c.date_like for c in clauses):
        return Deadline(phrase, None, False)
    dated = [c for c in clauses if c.due is not None]
    if any(c.to_come and (c.completes or not dated) for c in clauses):
        return Deadline(phrase, None, False)
    if dated:
        return Deadline(phrase, _plan_years_due(dated, year, key=lambda c: c.due).due, False)
    if any(c.ongoing for c in clauses):
        return Deadline(phrase, None, True)
    return Deadline(phrase, None, False)


# --------------------------------------------------------------------------- API


@lru_cache(maxsize=4096)  # a table repeats its phrases (年底前 × 23): a compound one is read once (about 0.2 ms)
def parse_deadline(phrase: str, year: int) -> Deadline:
    """Read ``phrase`` for plan year ``year``. Never raises; unknown → Deadline(phrase, None, False)."""
    single = _single(phrase, year)
    if single.parsed:
        return single
    return _compound(phrase, year)


def _single(phrase: str, year: int) -> Deadline:
    """The simple grammar: one date, one ongoing word, or a recurring phrase."""
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


_SENTENCE_BREAK = "。；;，,：:！!？?\n"
_TEXT_CONNECTIVES = ("力争", "确保", "争取", "务必", "必须", "并且", "并", "同时", "要", "于", "在")


def deadline_in_text(text: str, year: int, not_before: date | None = None) -> str | None:
    """The deadline a requirement writes at the start of one of its sentences, without a label
    (``2022年10月底前编制完成…``, ``…，力争年底前实现全覆盖``), exactly as written; None when there is none.

    Strict, as the text is no deadline cell: a date of the simple grammar ending in 前 or 内, at the start of
    the text or after punctuation (力争, 确保, 于 … may stand before it), not followed by 的, 以来, 后 …, due in the
    plan year or the next and not before `not_before` (the notice's date: a date already past when it was
    published is none), not a yearly duty (``每年1月31日前``) (``截至2021年底的数据``, ``2021年以来``,
    ``2020年底前已完成`` are no deadline). Of several, the latest in the plan year, else the earliest."""
    found: list[tuple[date, bool, str]] = []
    for start in range(len(text)):
        if start and text[start - 1] not in _SENTENCE_BREAK:
            continue
        begin = start
        while (word := next((w for w in _TEXT_CONNECTIVES if text.startswith(w, begin)), None)) is not None:
            begin += len(word)
        for end in range(begin + 1, min(len(text), begin + 16) + 1):
            if text[end - 1] in _SENTENCE_BREAK:
                break
            if text[end - 1] not in "前内" or text.startswith(_NOT_A_DEADLINE_AFTER, end) or (
                    text[end - 1] == "内" and text.startswith(_STARTING, end)):
                continue
            phrase = text[begin:end]
            if phrase.startswith("每"):  # 每年1月31日前公布…: a yearly duty, not this task's one date
                break
            due = _single(phrase, year).due
            if due is not None and year <= due.year <= year + 1 and (not_before is None or due >= not_before):
                stop = next((k for k in range(end, len(text)) if text[k] in _SENTENCE_BREAK), len(text))
                found.append((due, any(w in text[end:stop] for w in _COMPLETION), phrase))
                break
    if not found:
        return None
    return _plan_years_due(found, year, key=lambda f: f[0])[2]


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
