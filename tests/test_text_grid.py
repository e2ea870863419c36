"""The text report's column arithmetic (render/report_text.py): display widths (a wide character takes
two cells, a combining mark none, ASCII one each) and the grid that pads by them."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk_cli.render.report_text import cells, center, grid, pad


def reference_cells(text: str) -> int:
    """The width rule, one character at a time."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
               for ch in text)


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("", 0),
        ("abc 123", 7),
        ("\t\x1b", 2),  # controls: one cell each, as the rule gives them
        ("政务公开", 8),
        ("任务 4：完成", 12),  # the full-width colon is wide
        ("ＡＢ", 4),  # full-width Latin
        ("ｱｲ", 2),  # half-width katakana
        ("e\u0301", 1),  # a combining accent takes no cell
        ("文\u0301字", 4),
        ("（一）", 6),
        ("—", 1),  # an ambiguous-width dash counts as narrow
        ("😀", 2),
    ],
)
def test_cells(text: str, width: int) -> None:
    assert cells(text) == width == reference_cells(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cells_follow_the_rule(text: str) -> None:
    assert cells(text) == reference_cells(text)


@pytest.mark.parametrize(
    ("text", "width", "right", "out"),
    [
        ("ab", 5, False, "ab   "),
        ("ab", 5, True, "   ab"),
        ("甲乙", 5, False, "甲乙 "),
        ("甲乙", 5, True, " 甲乙"),
        ("甲乙丙", 4, False, "甲乙丙"),  # too wide: never cut, never negative padding
        ("e\u0301", 3, True, "  e\u0301"),
    ],
)
def test_pad(text: str, width: int, right: bool, out: str) -> None:
    assert pad(text, width, right) == out


def test_center() -> None:
    assert center("周报", 10) == "   周报"
    assert center("周报周报周报", 10) == "周报周报周报"


def test_grid_pads_by_display_width() -> None:
    lines = grid(["序号", "任务", "单位"], [["4", "公开预算", "行财科"], ["14", "ab", "政务公开指导办"]], right=(0,))
    assert lines == [
        "  序号  任务      单位",
        "  ------------------------------",
        "     4  公开预算  行财科",
        "    14  ab        政务公开指导办",
    ]


def test_grid_right_aligned_last_column_and_combining_marks() -> None:
    lines = grid(["名", "数"], [["e\u0301", "1"], ["文字", "100"]], right=range(2), indent="")
    assert lines == [
        "  名   数",
        "---------",
        "   e\u0301    1",
        "文字  100",
    ]
