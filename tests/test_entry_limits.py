"""What one entry may hold and how large the journal may grow: gwgk never writes a line, or a journal,
that its own reader would refuse or that would swamp every view (a returned sheet's 70 MB cell once made
the whole journal unreadable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gwgk_cli.journal import MAX_FIELD_CHARS, MAX_JOURNAL_BYTES, MAX_NAME_CHARS, field_problem


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("note", "进展" * 2500, None),
        ("note", "进" * 5001, "说明过长（5001 字，上限 5000 字）；较长的材料请作为佐证材料（--evidence 文件路径）"),
        ("by", "王" * 100, None),
        ("by", "王" * 101, "登记人过长（101 字，上限 100 字）"),
        ("approved_by", "副" * 101, "批准人过长（101 字，上限 100 字）"),
        ("evidence", "a" * 1001, "佐证材料过长（1001 字，上限 1000 字）"),
        ("note", "进展\x00尾", "说明含有 NUL 或无法识别的字符（可能是汉字被截断）：“进展\\x00尾”"),
        ("note", "\x1b]52;c;ZXZpbA==\x07进展\udce8", "说明含有 NUL 或无法识别的字符（可能是汉字被截断）："
                                                     "“\\x1b]52;c;ZXZpbA==\\x07进展\\udce8”"),
    ],
)
def test_field_problem(name: str, value: str, problem: str | None) -> None:
    assert field_problem(name, value) == problem


def test_limits_are_what_the_docs_say() -> None:
    assert MAX_FIELD_CHARS["note"] == 5000 and MAX_NAME_CHARS == 100


def test_an_overlong_note_is_refused_and_nothing_written(table: Path, journal: Path, gwgk: Any) -> None:
    assert gwgk("note", "3", "正常记录").exit_code == 0
    before = journal.read_bytes()
    result = gwgk("note", "4", "长" * 6000)
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：说明过长（6000 字，上限 5000 字）")
    assert "未登记" in result.stderr
    assert journal.read_bytes() == before
    assert gwgk("list").exit_code == 0


def test_a_journal_is_never_grown_past_what_its_reader_takes(table: Path, journal: Path, gwgk: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from gwgk_cli.reading import size_text

    assert size_text(MAX_JOURNAL_BYTES) == "64 MiB"
    monkeypatch.setattr("gwgk_cli.journal.MAX_JOURNAL_BYTES", 2048)  # the reader and the writer read it alike
    assert gwgk("note", "3", "第一条").exit_code == 0
    first = journal.read_bytes()
    with journal.open("ab") as f:  # blank lines, which the reader skips, up to just under the limit
        f.write(b"\n" * (2048 - len(first) - 10))
    size = journal.stat().st_size
    result = gwgk("note", "4", "再写一条")
    assert result.exit_code == 2
    assert f"写入后进展记录将超过上限 {size_text(2048)}，未写入" in result.stderr
    assert journal.stat().st_size == size
    assert gwgk("list").exit_code == 0  # still readable
