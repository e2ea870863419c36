"""gwgk_cli.frozen: the value classes behave as the frozen dataclasses they replace."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
from typing import Any

import pytest

from gwgk_cli.cli.complete import Candidate
from gwgk_cli.config import Key
from gwgk_cli.deadlines import Deadline
from gwgk_cli.frozen import Frozen
from gwgk_cli.journal import JournalWarning
from gwgk_cli.model import Repair, Section, Subsection, Task, Unit
from gwgk_cli.signals import Signal, Thresholds
from gwgk_cli.state import Extension, Replay, TaskState

DEADLINE = Deadline("6月底前", dt.date(2021, 6, 30), False)
VALUES: list[Frozen] = [
    Unit("政务公开指导办", ("指导办",), False, ("a@example.com",)),
    Unit("各相关科室", collective=True),
    Subsection(1, "推进"),
    Section(2, "二、", (Subsection(1, "推进"), Subsection(2, "深化"))),
    Task(4, 1, None, "标题", "要求", ("甲", "乙"), ("甲", "乙"), ("甲",), DEADLINE),
    Task(5, 1, 2, "标题", "要求", (), (), (), Deadline("持续推进", None, True), notice_progress="进展"),
    Repair(None, "title", "a", "b"),
    DEADLINE,
    Thresholds(),
    Thresholds(10, 20),
    Signal("red", "逾期 3 天"),
    Extension(dt.date(2021, 5, 1), dt.date(2021, 9, 30), "张三", "原因"),
    JournalWarning("j.jsonl", 3, "坏行"),
    Key("user.name", str, "帮助"),
    Candidate("14", "更新网站"),
]


def as_dataclass(value: Frozen) -> Any:
    """The same fields in a frozen dataclass of the same name (what the class was before)."""
    cls = dataclasses.make_dataclass(type(value).__name__, list(type(value).__slots__), frozen=True, slots=True)
    return cls(*value._values())


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_like_a_frozen_dataclass(value: Frozen) -> None:
    twin = as_dataclass(value)
    assert repr(value) == repr(twin)
    assert hash(value) == hash(twin)
    same = type(value)(*value._values())
    assert value == same and not value != same and hash(value) == hash(same)
    assert value != twin and value != value._values()
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.copy(value) == value and copy.deepcopy(value) == value
    with pytest.raises(AttributeError):
        value.x = 1  # type: ignore[attr-defined]
    name = type(value).__slots__[0]
    with pytest.raises(AttributeError):
        setattr(value, name, None)
    with pytest.raises(AttributeError):
        delattr(value, name)
    assert not hasattr(value, "__dict__")


def test_a_field_decides_equality() -> None:
    assert Unit("甲") != Unit("乙")
    assert Thresholds(10, 20) != Thresholds(10, 21)
    assert len({Signal("red", "a"), Signal("red", "a"), Signal("red", "b")}) == 2


def test_replay() -> None:
    a = Replay({1: TaskState()}, {"x"})
    assert a == Replay({1: TaskState()}, {"x"}) and a != Replay({1: TaskState()})
    assert Replay().states == {} and Replay().undone == set()
    assert repr(Replay()) == "Replay(states={}, undone=set())"
    with pytest.raises(TypeError):
        hash(a)
