"""Plain renderers: one line per record whatever the cells hold; CSV with a BOM."""

from __future__ import annotations

import pytest

from gwgk_cli.render.plain import csv_text, tsv

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
