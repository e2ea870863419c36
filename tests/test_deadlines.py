"""Tests for gwgk_cli.deadlines (run with PYTHONPATH=src before the package is installed)."""

from __future__ import annotations

import os
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
    ("随时", UNKNOWN),
    ("", UNKNOWN),
    ("   ", UNKNOWN),
    ("前", UNKNOWN),
    ("完成", UNKNOWN),
    ("年", UNKNOWN),
    ("年6月底", UNKNOWN),
    ("本月底", UNKNOWN),
    ("6月底前完成并持续推进", UNKNOWN),
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
