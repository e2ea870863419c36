"""序号 restarting at 1 under each heading (一、 or （一）): a normal way to number a table, not a fault.

The tasks are numbered in order from the first restart on (the ids must be unique), with one warning for
the whole notice, not one per task; --explain gives each task's number as the notice wrote it. A gap or a
repeat inside a section still warns; a repeated number with no heading before it is renumbered as before.
"""

from __future__ import annotations

from typing import Any

import pytest

from notice_builders import WRITERS, make
from test_import_faults import TITLE, run, warnings

_HEADER = ["序号", "具体要求", "责任单位", "完成时限"]
_UNITS = ["县政府办", "县财政局", "县司法局", "县数据资源局", "县委编办", "县发改委", "各乡镇人民政府"]


def _items(groups: list[tuple[list[str], list[int]]]) -> list[tuple[str, Any]]:
    """Headings (一、…, （一）…) each followed by tasks with the given numbers."""
    items: list[tuple[str, Any]] = [("title", TITLE), ("header", _HEADER)]
    n = 0
    for headings, numbers in groups:
        for h in headings:
            items.append(("subsection" if h.startswith("（") else "section", h))
        for number in numbers:
            n += 1
            items.append(("task", [str(number), f"公开第{n}项政府信息。", _UNITS[n % len(_UNITS)], "年底前"]))
    return items


_FORMATS = {**WRITERS, "n.pdf": make.to_pdf}

_RESTARTS = {
    "per-section": ([(["一、主动公开"], [1, 2, 3]), (["二、政策解读"], [1, 2]), (["三、平台建设"], [1, 2])], 4),
    "per-subsection": ([(["一、主动公开", "（一）财政信息"], [1, 2]), (["（二）规划信息"], [1, 2, 3]),
                        (["二、政策解读", "（一）解读材料"], [1])], 3),
    "first-group-longer": ([(["一、主动公开"], [1, 2, 3, 4, 5]), (["二、政策解读"], [1, 2])], 6),
}


def _ids(result: Any) -> list[int]:
    return [t["id"] for t in result.table["tasks"]]


@pytest.mark.parametrize("case", sorted(_RESTARTS))
@pytest.mark.parametrize("name", sorted(_FORMATS))
def test_numbers_restarting_under_each_heading_warn_once(name: str, case: str) -> None:
    """Was one “序号 1 重复，改编为 …” warning per task after the first section, and ids taken from past the
    notice's highest number (4, 5 … skipped when a later section had them)."""
    groups, first_renumbered = _RESTARTS[case]
    result = run(_FORMATS[name](_items(groups)), name)
    total = sum(len(numbers) for _, numbers in groups)
    assert _ids(result) == list(range(1, total + 1))
    said = warnings(result)
    assert len(said) == 1, said
    assert f"序号在各部分（小节）重新从 1 编起：自此任务按出现顺序续编为 {first_renumbered} 起（通知原序号见 --explain）" in said[0]
    written = [n for _, numbers in groups for n in numbers]
    renumbered = [e.became for e in result.explain if "按出现顺序编号" in e.became]
    assert len(renumbered) == total - first_renumbered + 1
    assert all(f"（原序号 {n}）" in text for n, text in zip(written[first_renumbered - 1 :], renumbered, strict=True))


@pytest.mark.parametrize("name", ["n.txt", "n.html", "n.docx", "n.xlsx"])
def test_a_gap_inside_a_restarted_section_still_warns(name: str) -> None:
    groups = [(["一、主动公开"], [1, 2]), (["二、政策解读"], [1, 3]), (["三、平台建设"], [1])]
    result = run(_FORMATS[name](_items(groups)), name)
    assert _ids(result) == [1, 2, 3, 4, 5]
    said = warnings(result)
    assert len(said) == 2
    assert "序号在各部分（小节）重新从 1 编起" in said[0]
    assert "序号不连续（本部分内）：从 1 到 3（按顺序编为 4）" in said[1]


@pytest.mark.parametrize("name", ["n.txt", "n.html", "n.docx", "n.xlsx"])
def test_a_repeat_without_a_heading_before_it_is_renumbered_as_before(name: str) -> None:
    """1, 2, 1 in one section is a fault of the notice, not a way to number: the repeat takes a free number."""
    groups = [(["一、主动公开"], [1, 2, 1, 3])]
    result = run(_FORMATS[name](_items(groups)), name)
    assert _ids(result) == [1, 2, 4, 3]
    said = warnings(result)
    assert len(said) == 1 and "序号 1 重复，改编为 4（通知中未用的序号）" in said[0]


@pytest.mark.parametrize("name", ["n.txt", "n.html", "n.docx"])
def test_numbers_going_on_across_sections_are_kept(name: str) -> None:
    groups = [(["一、主动公开"], [1, 2]), (["二、政策解读"], [3, 4])]
    result = run(_FORMATS[name](_items(groups)), name)
    assert _ids(result) == [1, 2, 3, 4]
    assert warnings(result) == []
    assert not any("按出现顺序编号" in e.became for e in result.explain)
