"""Plain renderers: one line per record whatever the cells hold; CSV with a BOM."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk_cli.model import Status
from gwgk_cli.render.plain import column_cells, csv_text, json_text, sheet_cell, tsv

COLUMNS = [("甲", lambda r: r["a"]), ("乙", lambda r: r["b"])]


@pytest.mark.parametrize(
    ("b", "line"),
    [
        ("普通", "1\t普通"),
        ("两行\n文字", "1\t两行 文字"),
        ("带\t制表符", "1\t带 制表符"),
        ("回车\r\n换行", "1\t回车  换行"),
        (None, "1\t"),
        (["甲", "乙"], "1\t甲、乙"),
        (True, "1\t是"),
    ],
)
def test_tsv_keeps_one_line_per_record(b: object, line: str) -> None:
    assert tsv([{"a": 1, "b": b}, {"a": 2, "b": "x"}], COLUMNS) == f"甲\t乙\n{line}\n2\tx\n"


def test_csv_has_bom_and_crlf() -> None:
    assert csv_text([{"a": 1, "b": "引号\"与,逗号"}], COLUMNS) == '\ufeff甲,乙\r\n1,"引号""与,逗号"\r\n'


# --------------------------------------------------------------------------- column by column (the fast paths)

@pytest.mark.parametrize(
    ("values", "cells"),
    [
        ([], []),
        (["普通", "", "文字"], ["普通", "", "文字"]),
        (["普通", "=1+1"], ["普通", "'=1+1"]),  # a formula is neutralised, the rest kept
        (["+86", "-3", "@sum", "a-b"], ["'+86", "'-3", "'@sum", "a-b"]),
        ([" =x", "\t=x", "\r=x", "\n=x"], ["' =x", "' =x", "' =x", "' =x"]),
        (["a\x00=b", "c"], ["a\x00=b", "c"]),  # a NUL inside a cell: a false alarm, settled cell by cell
        ([None, "2021-12-31", None], ["", "2021-12-31", ""]),
        ([None, "=x"], ["", "'=x"]),
        ([1, -3, None, 0], ["1", "-3", "", "0"]),  # a negative number stays a number
        ([1, -3, 0], ["1", "-3", "0"]),
        ([True, False, None], ["是", "否", ""]),
        ([1.5, -2.0], ["1.5", "-2.0"]),
        ([["甲", "乙"], [], ["丙"]], ["甲、乙", "", "丙"]),
        ([["=甲", "乙"], ["丙"]], ["'=甲、乙", "丙"]),
        ([[1, 2], ["丙"]], ["1、2", "丙"]),  # not all text: cell by cell
        ([("甲", "乙"), "丙", 3, None], ["甲、乙", "丙", "3", ""]),  # mixed kinds: cell by cell
    ],
)
def test_column_cells_are_sheet_cells(values: list[Any], cells: list[str]) -> None:
    assert column_cells(values) == cells
    assert [sheet_cell(v) for v in values] == cells


_TEXTS = st.text(alphabet=st.sampled_from("=+-@ \t\r\n\x00a甲、1"), max_size=6)
_VALUES = st.one_of(_TEXTS, st.none(), st.integers(-50, 50), st.booleans(), st.lists(_TEXTS, max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(_TEXTS), st.lists(st.one_of(_TEXTS, st.none())), st.lists(st.one_of(st.integers(), st.none())),
                 st.lists(st.lists(_TEXTS, max_size=3)), st.lists(_VALUES)))
def test_column_cells_match_cell_by_cell(values: list[Any]) -> None:
    assert column_cells(values) == [sheet_cell(v) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_VALUES, _VALUES), max_size=6))
def test_tsv_and_csv_match_cell_by_cell(pairs: list[tuple[Any, Any]]) -> None:
    """The column-wise TSV and CSV equal the same made one cell at a time (clean_line of sheet_cell)."""
    import csv
    import io

    from gwgk_cli.sanitize import clean_line

    recs = [{"a": a, "b": b} for a, b in pairs]
    rows = [[clean_line(sheet_cell(r["a"])), clean_line(sheet_cell(r["b"]))] for r in recs]
    assert tsv(recs, COLUMNS) == "".join("\t".join(row) + "\n" for row in [["甲", "乙"], *rows])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([["甲", "乙"], *rows])
    assert csv_text(recs, COLUMNS) == "\ufeff" + buf.getvalue()


# --------------------------------------------------------------------------- JSON: json.dumps's text


_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4),
                            st.tuples(inner, inner)),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_json_text_is_json_dumps(data: Any) -> None:
    from gwgk_cli.render.json_indent import dumps

    expected = json.dumps(data, ensure_ascii=False, indent=2)
    assert dumps(data) == expected
    assert json_text(data) == _escaped(expected) + "\n"


_ACTS_ON_A_TERMINAL = ("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\u2028\u2029"
                      "\u206a-\u206f\ufff9-\ufffb\U000e0000-\U000e007f]")


def _escaped(text: str) -> str:
    """What json_text writes for json.dumps's text: every character that would act on a terminal (DEL,
    C1, bidi controls, separators, invisible format characters, lone surrogates) as its JSON escape,
    past U+FFFF as a surrogate pair (json.dumps has already escaped C0)."""
    def escape(match: re.Match[str]) -> str:
        units = match.group().encode("utf-16-le", "surrogatepass")
        return "".join(f"\\u{int.from_bytes(units[i:i + 2], 'little'):04x}" for i in range(0, len(units), 2))

    return re.sub(_ACTS_ON_A_TERMINAL, escape, text)


class _Label(str):
    pass


@pytest.mark.parametrize(
    "data",
    [
        {1: "a", "b": [1, 2]},  # a key that is not text
        {"a": _Label("x"), _Label("k"): 1},  # a str subclass
        [Status.DONE],  # an enum (a str subclass)
        {"a": float("nan"), "b": float("-inf")},
        [[], {}, [[]], {"a": {}}],
        "\x1b[31m\u202e\ud800",
    ],
)
def test_json_text_unusual_values_as_json_dumps(data: Any) -> None:
    expected = json.dumps(data, ensure_ascii=False, indent=2)
    assert json_text(data) == _escaped(expected) + "\n"


def test_json_text_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        json_text({"a": {1, 2}})
