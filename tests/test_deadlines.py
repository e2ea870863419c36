"""Tests for gwgk_cli.deadlines (run with PYTHONPATH=src before the package is installed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwgk_cli.deadlines import (
    ONGOING_WORDS,
    Deadline,
    deadline_in_text,
    describe,
    is_understood,
    parse_deadline,
)

Y = 2021
ONGOING = "ongoing"
UNKNOWN = None

# (phrase, expected): a date, ONGOING, or UNKNOWN. Plan year is Y.
CASES: list[tuple[str, date | str | None]] = [
    # year end
    ("年底前", date(Y, 12, 31)),
    ("年底", date(Y, 12, 31)),
    ("年内", date(Y, 12, 31)),
    ("今年年底前", date(Y, 12, 31)),
    ("本年度内", date(Y, 12, 31)),
    ("年末", date(Y, 12, 31)),
    ("年度内", date(Y, 12, 31)),
    ("年底前完成", date(Y, 12, 31)),
    ("年底前完成。", date(Y, 12, 31)),
    ("  年底前 ", date(Y, 12, 31)),
    ("年 底 前", date(Y, 12, 31)),
    ("在年底前", date(Y, 12, 31)),
    ("于年底前完成", date(Y, 12, 31)),
    ("年底之前", date(Y, 12, 31)),
    ("年底以前", date(Y, 12, 31)),
    ("年底为止", date(Y, 12, 31)),
    ("2022年底前", date(2022, 12, 31)),
    ("2022年年底前", date(2022, 12, 31)),
    ("2022年内", date(2022, 12, 31)),
    ("２０２２年底前", date(2022, 12, 31)),
    ("二〇二二年底前", date(2022, 12, 31)),
    # ongoing
    ("持续推进", ONGOING),
    ("长期坚持", ONGOING),
    ("长期", ONGOING),
    ("持续开展", ONGOING),
    ("常态化推进", ONGOING),
    ("持续", ONGOING),
    ("常态化", ONGOING),
    ("长期推进", ONGOING),
    ("持续实施", ONGOING),
    (" 持续推进。", ONGOING),
    # month end / month / day
    ("6月底前", date(Y, 6, 30)),
    ("6月底前完成", date(Y, 6, 30)),
    ("６月底前", date(Y, 6, 30)),
    ("六月底前", date(Y, 6, 30)),
    ("十二月底", date(Y, 12, 31)),
    ("十一月末", date(Y, 11, 30)),
    ("2月底前", date(Y, 2, 28)),
    ("9月份", date(Y, 9, 30)),
    ("9月", date(Y, 9, 30)),
    ("9月前", date(Y, 9, 30)),
    ("9月30日前", date(Y, 9, 30)),
    ("9月30日", date(Y, 9, 30)),
    ("９月３０日前完成", date(Y, 9, 30)),
    ("九月三十日前", date(Y, 9, 30)),
    ("十月三十一日", date(Y, 10, 31)),
    ("十月二十日前", date(Y, 10, 20)),
    ("十月十日", date(Y, 10, 10)),
    ("3月1日止", date(Y, 3, 1)),
    ("2022年3月底前", date(2022, 3, 31)),
    ("2024年2月底前", date(2024, 2, 29)),
    ("2022年3月15日前", date(2022, 3, 15)),
    ("2022年3月", date(2022, 3, 31)),
    ("今年10月底前", date(Y, 10, 31)),
    ("6月中旬", date(Y, 6, 20)),
    ("6月上旬", date(Y, 6, 10)),
    ("6月下旬", date(Y, 6, 30)),
    ("2月下旬", date(Y, 2, 28)),
    # halves and quarters
    ("上半年", date(Y, 6, 30)),
    ("年中", date(Y, 6, 30)),
    ("下半年", date(Y, 12, 31)),
    ("2022年上半年", date(2022, 6, 30)),
    ("一季度", date(Y, 3, 31)),
    ("第一季度", date(Y, 3, 31)),
    ("一季度末", date(Y, 3, 31)),
    ("第一季度末", date(Y, 3, 31)),
    ("1季度", date(Y, 3, 31)),
    ("二季度", date(Y, 6, 30)),
    ("三季度", date(Y, 9, 30)),
    ("第三季度末前完成", date(Y, 9, 30)),
    ("四季度", date(Y, 12, 31)),
    ("第四季度", date(Y, 12, 31)),
    ("第四季度末", date(Y, 12, 31)),
    ("前三季度", date(Y, 9, 30)),
    # numeric dates
    ("2021-11-30", date(2021, 11, 30)),
    ("2022/3/5", date(2022, 3, 5)),
    ("2022.03.05前", date(2022, 3, 5)),
    ("2021-02-30", UNKNOWN),
    # invalid dates and unknown phrases
    ("2月30日", UNKNOWN),
    ("2月29日", UNKNOWN),  # 2021 is not a leap year
    ("13月底前", UNKNOWN),
    ("0月底前", UNKNOWN),
    ("6月32日", UNKNOWN),
    ("十十月底", UNKNOWN),
    ("五季度", UNKNOWN),
    ("视情况而定", UNKNOWN),
    ("", UNKNOWN),
    ("   ", UNKNOWN),
    ("前", UNKNOWN),
    ("完成", UNKNOWN),
    ("年", UNKNOWN),
    ("年6月底", UNKNOWN),
    ("本月底", UNKNOWN),
    ("6月底前完成并持续推进", date(Y, 6, 30)),
    # the year after the plan year
    ("次年1月底前", date(Y + 1, 1, 31)),
    ("明年3月底前", date(Y + 1, 3, 31)),
    ("下一年度一季度", date(Y + 1, 3, 31)),
    ("明年", date(Y + 1, 12, 31)),
    # keep doing it (持续, 长期, 常态化, 常年, 全年, 经常, 日常, 定期 … and any verb after it)
    ("常年坚持", ONGOING),
    ("全年", ONGOING),
    ("全年推进", ONGOING),
    ("持续更新", ONGOING),
    ("长期有效", ONGOING),
    ("经常性开展", ONGOING),
    ("日常工作", ONGOING),
    ("定期更新", ONGOING),
    ("常态化、长效化推进", ONGOING),
    # whenever it arises (及时, 实时, 随时, 即时, 动态, 适时, 同步)
    ("及时", ONGOING),
    ("及时公开", ONGOING),
    ("及时公开政府信息。", ONGOING),
    ("动态更新", ONGOING),
    ("动态调整", ONGOING),
    ("实时更新", ONGOING),
    ("随时", ONGOING),
    ("即时办理", ONGOING),
    ("适时", ONGOING),
    ("适时开展", ONGOING),
    ("同步公开", ONGOING),
    ("及时、准确发布", ONGOING),
    # the date is set elsewhere: the superior, the work plan, the law (per case)
    ("根据上级部署", ONGOING),
    ("按上级要求", ONGOING),
    ("按照上级要求推进", ONGOING),
    ("根据工作安排", ONGOING),
    ("根据工作需要", ONGOING),
    ("按要求", ONGOING),
    ("按要求完成", ONGOING),
    ("按省统一部署", ONGOING),
    ("按照省政府办公厅统一部署", ONGOING),
    ("按规定时限", ONGOING),
    ("按规定时限办理", ONGOING),
    ("在法定期限内", ONGOING),
    ("法定时限内办结", ONGOING),
    ("依法依规", ONGOING),
    ("依法依规办理", ONGOING),
    # Found in review: a date set elsewhere and meant as a date stays not understood, for the clerk to write in.
    ("按时", UNKNOWN),
    ("按期完成", UNKNOWN),
    ("如期完成", UNKNOWN),
    ("按上级要求的时间节点完成", UNKNOWN),
    ("按通知要求时间报送", UNKNOWN),
    ("按规定时间报送年度报告", UNKNOWN),
    # compound phrases: the dated part gives the due date; of two, the completion (完成 …), else the latest
    ("持续推进，12月底前完成阶段任务", date(Y, 12, 31)),
    ("2021年12月底前完成，并持续推进", date(2021, 12, 31)),
    ("9月底前启动，年底前完成", date(Y, 12, 31)),
    ("年底前完成，9月底前启动", date(Y, 12, 31)),
    ("6月底前完成，年底前总结评估", date(Y, 12, 31)),  # the year's last step (found in review)
    ("6月底前完成自查，11月底前迎接检查", date(Y, 11, 30)),
    ("年底前完成年度任务，2022年6月底前全面完成", date(Y, 12, 31)),  # the plan year's own (found by a tester)
    ("6月底前启动，9月底前形成初稿", date(Y, 9, 30)),
    ("6月、12月底前", date(Y, 12, 31)),
    ("长期坚持（每季度更新）", ONGOING),
    ("持续推进（每月更新）", ONGOING),
    ("持续推进；及时更新", ONGOING),
    ("2022年6月底前完成，长期坚持", date(2022, 6, 30)),
    ("按要求于6月底前完成", date(Y, 6, 30)),
    ("力争9月底前完成", date(Y, 9, 30)),
    ("确保年底前上线运行", date(Y, 12, 31)),
    ("6月底前上线", date(Y, 6, 30)),
    ("2022年10月底前编制完成", date(2022, 10, 31)),
    ("9月30日完成", date(Y, 9, 30)),
    ("9月完成", date(Y, 9, 30)),
    ("尽快，最迟6月底前", date(Y, 6, 30)),
    ("动态调整，每季度10日前报送", ONGOING),
    ("每月5日前报送", ONGOING),
    ("每年3月底前更新", date(Y, 3, 31)),
    ("持续推进，每年3月底前报送上年度情况", date(Y, 3, 31)),
    # a date not understood in a part: the whole is not understood (no date hidden behind 持续推进)
    ("持续推进，2月30日前完成", UNKNOWN),
    ("持续推进，本月底前", UNKNOWN),
    ("6月底前启动，另行通知完成时间", UNKNOWN),
    # a date still to come (尽快, 待定, 另行通知, 视情况而定): not understood, the clerk writes it in
    ("尽快", UNKNOWN),
    ("尽早完成", UNKNOWN),
    ("待定", UNKNOWN),
    ("时间另行通知", UNKNOWN),
    ("另行通知", UNKNOWN),
    ("持续推进，具体时间待定", UNKNOWN),
    # relative and other dates that are no deadline of the plan: not understood
    ("文件印发后20个工作日内", UNKNOWN),
    ("一个月内", UNKNOWN),
    ("2021年以来", UNKNOWN),
    ("2021年开始", UNKNOWN),
    ("截至2021年底的数据", UNKNOWN),
    ("6月后", UNKNOWN),
    ("长期以来", UNKNOWN),
    ("9月启动", date(Y, 9, 30)),  # a date before a verb: the deadline to start
    ("9月起", UNKNOWN),
    ("9月底前开始实施", date(Y, 9, 30)),
    ("6月底前后", UNKNOWN),
    ("6月底前的数据", UNKNOWN),
    ("每季度公开", ONGOING),
    ("每季度大概", UNKNOWN),
    ("三季度启动，10月中旬完成", date(Y, 10, 20)),
]


@pytest.mark.parametrize(("phrase", "expected"), CASES, ids=[repr(c[0]) for c in CASES])
def test_parse_table(phrase: str, expected: date | str | None) -> None:
    d = parse_deadline(phrase, Y)
    assert d.phrase == phrase
    if expected == ONGOING:
        assert d == Deadline(phrase, None, True)
        assert d.parsed
        assert describe(d) == "持续推进"
    elif expected is UNKNOWN:
        assert d == Deadline(phrase, None, False)
        assert not d.parsed
        assert describe(d) == "未识别"
    else:
        assert isinstance(expected, date)
        assert d == Deadline(phrase, expected, False)
        assert d.parsed
        assert describe(d) == expected.isoformat()


def test_case_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


def test_every_ongoing_word_is_ongoing() -> None:
    assert isinstance(ONGOING_WORDS, tuple)
    for word in ONGOING_WORDS:
        assert parse_deadline(word, Y).ongoing, word


def test_plan_year_is_used() -> None:
    assert parse_deadline("年底前", 2030).due == date(2030, 12, 31)
    assert parse_deadline("2月底前", 2024).due == date(2024, 2, 29)
    # a phrase that names its year ignores the plan year
    assert parse_deadline("2022年6月底前", 2030).due == date(2022, 6, 30)


def test_out_of_range_years_do_not_raise() -> None:
    assert parse_deadline("年底前", 0) == Deadline("年底前", None, False)
    assert parse_deadline("年底前", 10000) == Deadline("年底前", None, False)
    assert parse_deadline("0000年底前", Y) == Deadline("0000年底前", None, False)
    assert parse_deadline("12月底", 9999).due == date(9999, 12, 31)


@pytest.mark.parametrize(
    ("phrase", "today", "expected"),
    [
        ("年底前", date(2021, 12, 1), 30),
        ("年底前", date(2021, 12, 31), 0),
        ("年底前", date(2022, 1, 1), -1),
        ("6月底前", date(2021, 6, 1), 29),
        ("9月30日前", date(2021, 10, 10), -10),
        ("持续推进", date(2021, 6, 1), None),
        ("视情况而定", date(2021, 6, 1), None),
    ],
)
def test_days_left(phrase: str, today: date, expected: int | None) -> None:
    assert parse_deadline(phrase, 2021).days_left(today) == expected


def test_is_understood() -> None:
    assert is_understood("年底前")
    assert is_understood("持续推进")
    assert is_understood("2月29日")  # checked against 2000, a leap year
    assert not is_understood("2月30日")
    assert not is_understood("视情况而定")


def test_deadline_is_frozen() -> None:
    d = parse_deadline("年底前", Y)
    with pytest.raises(AttributeError):
        d.due = None


def test_import_is_cheap() -> None:
    """Importing the module must not import dateutil, typer or rich (checked in a fresh process)."""
    import gwgk_cli

    src = str(Path(gwgk_cli.__file__).resolve().parent.parent)
    code = (
        "import sys; import gwgk_cli; before = set(sys.modules);"
        "import gwgk_cli.deadlines;"
        "new = set(sys.modules) - before;"
        "print(','.join(sorted(m for m in new if m.split('.')[0] in ('dateutil', 'typer', 'rich'))))"
    )
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == ""


_deadline_alphabet = st.sampled_from(
    list(
        "0123456789０１２３４５６７８９一二三四五六七八九十〇年月日号底末内中上下半旬季度第前完成之以为止在于今本持续 。；"
    )
)


@given(st.text())
def test_never_raises_on_arbitrary_text(phrase: str) -> None:
    d = parse_deadline(phrase, Y)
    assert d.phrase == phrase
    assert not (d.ongoing and d.due is not None)
    assert isinstance(describe(d), str)


@given(st.text(_deadline_alphabet, max_size=12), st.integers(min_value=-5, max_value=10_005))
def test_never_raises_on_deadline_like_text(phrase: str, year: int) -> None:
    d = parse_deadline(phrase, year)
    assert d.phrase == phrase
    assert d.parsed == (d.due is not None or d.ongoing)
    assert is_understood(phrase) in (True, False)


# --------------------------------------------------------------------------- word families, compounds

_STEADY_WORDS = ["持续", "长期", "常态化", "常年", "全年", "经常", "经常性", "日常", "长效", "定期", "坚持"]
_PROMPT_WORDS = ["及时", "实时", "随时", "即时", "动态", "适时", "同步"]
_DIRECTED_WORDS = ["根据上级部署", "按上级要求", "根据工作安排", "按要求", "按照市政府统一部署", "按规定时限",
                   "在规定时限内", "依法依规"]
_VERBS = ["", "推进", "坚持", "开展", "更新", "公开", "发布", "调整", "办理", "落实", "做好相关工作"]
_ENDS = ["", "。", "；", "完成"]


@given(st.sampled_from(_STEADY_WORDS + _PROMPT_WORDS + _DIRECTED_WORDS), st.sampled_from(_VERBS),
       st.sampled_from(_ENDS), st.sampled_from(["", " ", "　"]))
def test_a_word_of_the_families_without_a_date_and_any_verb_is_ongoing(head: str, verb: str, end: str, pad: str) -> None:
    phrase = pad + head + verb + end
    assert parse_deadline(phrase, Y) == Deadline(phrase, None, True)


_DATED = {
    "年底前": date(Y, 12, 31), "年内": date(Y, 12, 31), "6月底前": date(Y, 6, 30), "9月30日前": date(Y, 9, 30),
    "三季度": date(Y, 9, 30), "上半年": date(Y, 6, 30), "10月中旬": date(Y, 10, 20), "2021年11月底前": date(Y, 11, 30),
    "次年1月底前": date(Y + 1, 1, 31), "十月底": date(Y, 10, 31),
}
_DATED_VERBS = ["", "完成", "前完成", "启动", "上线", "形成初稿", "完成阶段任务"]
_ONGOING_PARTS = ["持续推进", "长期坚持", "及时更新", "动态调整", "常年坚持", "按上级要求推进", "依法依规办理", "每季度更新"]
_SEPARATORS = ["，", "；", "、", "，并", "并", "（"]


@given(st.sampled_from(sorted(_DATED)), st.sampled_from(_DATED_VERBS), st.lists(st.sampled_from(_ONGOING_PARTS), max_size=2),
       st.sampled_from(_SEPARATORS), st.booleans())
def test_a_dated_part_with_ongoing_parts_gives_the_due_date(
    dated: str, verb: str, ongoing: list[str], sep: str, first: bool
) -> None:
    """持续推进，12月底前完成阶段任务 / 2021年12月底前完成，并持续推进: the date, whatever the order and separators."""
    if verb.startswith("前") and dated.endswith("前"):
        verb = verb[1:]
    part = dated + verb
    parts = [part, *ongoing] if first else [*ongoing, part]
    phrase = sep.join(parts) + ("）" if sep == "（" and len(parts) > 1 else "")
    assert parse_deadline(phrase, Y) == Deadline(phrase, _DATED[dated], False)


@given(st.sampled_from(sorted(_DATED)), st.sampled_from(sorted(_DATED)), st.sampled_from(["，", "；"]))
def test_of_two_dates_the_latest_in_the_plan_year_is_the_due_date(start: str, done: str, sep: str) -> None:
    """The year's last step is the task's due date, so no stage turns it red before its end; in the plan year
    first (a later year's step is beyond this plan), else the earliest."""
    in_year = [d for d in (_DATED[start], _DATED[done]) if d.year == Y]
    expected = max(in_year) if in_year else min(_DATED[start], _DATED[done])
    for phrase in (f"{start}启动{sep}{done}完成", f"{start}启动{sep}{done}形成初稿"):
        assert parse_deadline(phrase, Y).due == expected


_phrase_alphabet = st.sampled_from(
    [*"0123456789一二三四五六七八九十〇年月日号底末内中上下半旬季度第前之以为止在于今本次明 ，。；、（）",
     "持续", "推进", "及时", "按", "要求", "根据", "部署", "完成", "启动", "并", "长期", "坚持", "每", "尽快", "的", "以来", "后"]
)


@given(st.lists(_phrase_alphabet, max_size=14).map("".join), st.integers(min_value=1900, max_value=2100))
def test_a_due_date_without_a_year_written_is_in_the_plan_year_or_the_next(phrase: str, year: int) -> None:
    d = parse_deadline(phrase, year)
    assert d.phrase == phrase
    assert not (d.ongoing and d.due is not None)
    if d.due is not None and not re.search(r"[0-9〇零一二三四五六七八九]{4}", phrase):
        assert year <= d.due.year <= year + 1


@given(st.lists(_phrase_alphabet, max_size=14).map("".join), st.lists(_phrase_alphabet, max_size=14).map("".join))
def test_a_deadline_is_read_alike_before_and_after_its_ongoing_part(left: str, right: str) -> None:
    """持续推进 added to a phrase understood with a date never loses the date."""
    d = parse_deadline(left, Y)
    if d.due is not None and "，" not in left:
        assert parse_deadline(f"{left}，持续推进", Y).due == d.due
        assert parse_deadline(f"持续推进，{left}", Y).due == d.due


# --------------------------------------------------------------------------- a deadline in a requirement

TEXT_CASES: list[tuple[str, str | None]] = [
    ("2022年10月底前编制完成政府信息公开目录。", "2022年10月底前"),
    ("公开目录，力争年底前实现全覆盖。", "年底前"),
    ("于6月30日前报送市政府办公室。", "6月30日前"),
    ("9月底前启动，年底前完成。", "年底前"),
    ("6月底前完成目录编制，年底前总结评估。", "年底前"),
    ("确保三季度内上线运行。", "三季度内"),
    ("每年3月底前公开上一年度工作报告。", None),  # a yearly duty (found in review)
    ("截至2021年底的数据应当公开。", None),
    ("截至2022年底，全市已公开目录。", None),
    ("2021年以来出台的文件全部公开。", None),
    ("2020年底前已完成的清单。", None),  # before the plan year: what was done, no deadline
    ("2030年底前建成。", None),  # beyond the next year: a long-term goal
    ("6月底后开展评估。", None),
    ("做好解读。", None),
    ("在全面公开权力清单的基础上，做好动态调整。", None),
    ("持续推进政务公开，三年内完成。", None),
    ("文件印发后20个工作日内公开。", None),
    ("公开6月底前的数据。", None),  # not at the start of a sentence
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES, ids=[c[0][:12] for c in TEXT_CASES])
def test_deadline_in_text(text: str, expected: str | None) -> None:
    assert deadline_in_text(text, 2022) == expected


@given(st.text(), st.integers(min_value=-5, max_value=10_005))
def test_a_deadline_in_text_is_a_part_of_it_with_a_due_date(text: str, year: int) -> None:
    found = deadline_in_text(text, year)
    if found is not None:
        assert found in text
        due = parse_deadline(found, year).due
        assert due is not None and year <= due.year <= year + 1


@given(st.lists(_phrase_alphabet, max_size=20).map("".join))
def test_a_deadline_in_deadline_like_text_is_a_part_of_it(text: str) -> None:
    found = deadline_in_text(text, Y)
    if found is not None:
        assert found in text
        due = parse_deadline(found, Y).due
        assert due is not None and Y <= due.year <= Y + 1


def test_a_date_in_the_text_already_past_when_the_notice_was_published_is_no_deadline() -> None:
    """Found in review: a notice of 2022-05-20 whose requirement says 于1月31日前公布… got a task red from its
    first day."""
    text = "于1月31日前公布上一年度工作报告。"
    assert deadline_in_text(text, 2022) == "1月31日前"
    assert deadline_in_text(text, 2022, not_before=date(2022, 5, 20)) is None
    assert deadline_in_text("于10月31日前公布。", 2022, not_before=date(2022, 5, 20)) == "10月31日前"
