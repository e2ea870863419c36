"""render/cjkwrap.py: display width, nothing lost, and the Chinese line-breaking rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwgk_cli.render.cjkwrap import NO_LINE_END, NO_LINE_START, text_width, wrap


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("政务公开指导办", 8, ["政务公开", "指导办"]),
        ("政务公开指导办、政府网站", 8, ["政务公开", "指导办、", "政府网站"]),
        ("政务公开指导办、政府网站", 6, ["政务公", "开指导", "办、政", "府网站"]),
        ("公开指导办、政府网站", 10, ["公开指导", "办、政府网", "站"]),  # 、 may not start a line: 办 comes down
        ("公开指导、政府网站", 8, ["公开指", "导、政府", "网站"]),
        ("“互联网+政务服务”", 10, ["“互联网+政", "务服务”"]),
        ("完成“互联网", 6, ["完成", "“互联", "网"]),  # “ may not end a line
        ("见附件(佐证材料)", 8, ["见附件", "(佐证材", "料)"]),
        ("任务表：data/tasks_2021.yaml", 20, ["任务表：", "data/tasks_2021.yaml"]),
        ("", 10, [""]),
        ("第一行\n第二行", 20, ["第一行", "第二行"]),
        # a number keeps its measure word: not `监督科 等3` over `个`, `完成 126` over `件`
        ("“放管服”改革和营商环境监督科 等3个", 16, ["“放管服”改革和营", "商环境监督科", "等3个"]),
        ("行政法规文本 126 件，其余", 16, ["行政法规文本", "126 件，其余"]),
        ("排期至 2022 年 1 月", 12, ["排期至", "2022 年 1 月"]),
    ],
)
def test_wrap(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


def test_width_counts_wide_characters_twice() -> None:
    assert text_width("政务a，1") == 8


CJK = st.sampled_from("政务公开指导办网站文秘科行财年底前完成")
CLOSE = st.sampled_from(sorted(NO_LINE_START & set("、，。；：？！）》”")))
OPEN = st.sampled_from(sorted(NO_LINE_END & set("（《“")))
PIECE = st.one_of(CJK, st.tuples(CJK, CLOSE).map("".join), st.tuples(OPEN, CJK, CJK).map("".join),
                  st.sampled_from(["2021", "tasks.yaml", " "]))


@given(st.lists(PIECE, max_size=40).map("".join), st.integers(min_value=6, max_value=40))
def test_nothing_lost_and_every_line_fits(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(text_width(line) <= width for line in lines)


@given(st.lists(PIECE, min_size=1, max_size=40).map("".join), st.integers(min_value=6, max_value=40))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text: str, width: int) -> None:
    lines = [line for line in wrap(text, width) if line]  # (a Latin word cut for length may start with ".")
    assert not any(line[0] in NO_LINE_START and not line[0].isascii() for line in lines[1:]), lines
    assert not any(line[-1] in NO_LINE_END for line in lines[:-1]), lines


@pytest.mark.parametrize(("text", "width", "hanging", "lines"), [
    ("短行", 20, None, ["短行"]),
    # a letter's paragraph: its pieces start under its full-width indent, never at column 0
    ("　　任务 1　规划（推进中 10%）：进度落后（时间已过 65%，完成 10%）", 40, None,
     ["　　任务 1　规划（推进中 10%）：进度落后", "　　（时间已过 65%，完成 10%）"]),
    ("  缩进两格的一行文字要折行", 14, None, ["  缩进两格的一", "  行文字要折行"]),
    ("● 黄  任务 2 专题：受阻：等待技术方案", 24, "      ", ["● 黄  任务 2 专题：受", "      阻：等待技术方案"]),
    ("第一行\n第二行很长需要折行", 10, None, ["第一行", "第二行很长", "需要折行"]),
])
def test_fit_lines(text: str, width: int, hanging: str | None, lines: list[str]) -> None:
    from gwgk_cli.render.cjkwrap import fit_lines

    assert fit_lines(text, width, hanging) == lines
    assert all(text_width(line) <= width for line in lines)
