"""The one Chinese numeral implementation (gwgk_cli.numerals), both directions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwgk_cli.numerals import cn_number, cn_numeral, parse_cn_numeral, small_number, year_number


@given(st.integers(min_value=1, max_value=99))
def test_round_trip(n: int) -> None:
    assert cn_number(cn_numeral(n)) == n
    assert small_number(cn_numeral(n)) == n


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"),
                                         (99, "九十九"), (0, "0"), (100, "100"), (-3, "-3")])
def test_cn_numeral(n: int, text: str) -> None:
    assert cn_numeral(n) == text


@pytest.mark.parametrize("text", ["", "零", "〇", "十十", "一二", "百", "二十一一", "12", "a"])
def test_cn_number_rejects(text: str) -> None:
    assert cn_number(text) is None


@pytest.mark.parametrize(("text", "value"), [("6", 6), ("31", 31), ("123", None), ("三十一", 31), ("一十", 10)])
def test_small_number(text: str, value: int | None) -> None:
    assert small_number(text) == value


@pytest.mark.parametrize(("text", "value"), [(" 3 ", 3), ("123", 123), ("十二", 12), ("x", None)])
def test_parse_cn_numeral(text: str, value: int | None) -> None:
    assert parse_cn_numeral(text) == value


@pytest.mark.parametrize(("text", "value"), [("2021", 2021), ("二〇二一", 2021), ("二零二二", 2022)])
def test_year_number(text: str, value: int) -> None:
    assert year_number(text) == value
