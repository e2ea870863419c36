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


@pytest.mark.parametrize(("value", "places", "expected"), [
    (8.25, 1, 8.3), (6.25, 1, 6.3), (8.35, 1, 8.4), (0.05, 1, 0.1), (12.5, 0, 13.0), (2.675, 2, 2.68),
    (100 / 3, 1, 33.3), (200 / 3, 1, 66.7), (-1.25, 1, -1.3), (7.0, 1, 7.0), (0.0, 1, 0.0),
])
def test_figures_are_rounded_half_up(value: float, places: int, expected: float) -> None:
    """四舍五入, as a Chinese report rounds: Python's round() gives 8.2 for 8.25 and 2.67 for 2.675 (found by a tester:
    政务公开指导办's average delay of 8.25 days read 8.2 in the 通报)."""
    from gwgk_cli.numerals import half_up, one_place

    assert half_up(value, places) == expected
    if places == 1:
        assert one_place(value) == f"{expected:.1f}"
