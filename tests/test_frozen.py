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
from gwgk_cli.journal import ENTRY_FIELDS, Entry, JournalWarning
from gwgk_cli.model import Plan, Repair, Section, Status, Subsection, Task, Unit
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


ENTRIES = [
    Entry("a1b2", "2021-11-22T09:30:00+08:00", dt.date(2021, 11, 22), "李明", 4, "note", note="进展", percent=30),
    Entry("c3d4", "2021-11-23T10:00:00+08:00", dt.date(2021, 11, 20), "王芳", 7, "status", Status.TODO, Status.DONE,
          evidence="证据.docx", lineno=12, origin="a.jsonl", origin_line=3),
    Entry(id="e5", at="x", date=dt.date(2021, 1, 1), by="b", task=1, op="extend", due=dt.date(2021, 12, 1),
          approved_by="张三", unit="办公室", result="", source="填报表", undoes=""),
]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_entry_is_the_dataclass_it_was(entry: Entry) -> None:
    """Entry's written-out methods give what @dataclass(frozen=True) generated."""
    assert tuple(f.name for f in dataclasses.fields(Entry)) == ENTRY_FIELDS
    values = [getattr(entry, name) for name in ENTRY_FIELDS]
    twin_class = dataclasses.make_dataclass("Entry", ENTRY_FIELDS, frozen=True)
    twin = twin_class(*values)
    assert repr(entry) == repr(twin)
    assert hash(entry) == hash(twin)
    same = Entry(*values)
    assert entry == same and hash(entry) == hash(same) and entry != twin
    assert entry != dataclasses.replace(entry, lineno=entry.lineno + 1)
    moved = dataclasses.replace(entry, note="改", origin="b.jsonl")
    assert (moved.note, moved.origin, moved.id, moved.date) == ("改", "b.jsonl", entry.id, entry.date)
    assert pickle.loads(pickle.dumps(entry)) == entry and copy.deepcopy(entry) == entry
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.note = "x"  # type: ignore[misc]
    assert len({entry, same}) == 1


def test_plan_and_task_state_init_as_generated() -> None:
    """Plan's and TaskState's written-out __init__ take the fields in order, with the same defaults, as
    the generated one did; replace() and fields() keep working."""
    names = [f.name for f in dataclasses.fields(TaskState)]
    assert names[:3] == ["status", "percent", "updated"] and len(names) == 14
    assert TaskState() == TaskState(*[f.default for f in dataclasses.fields(TaskState)])
    state = TaskState(Status.DOING, 40, dt.date(2021, 5, 1), returned_note="退回")
    assert (state.status, state.percent, state.updated, state.returned_note, state.extensions) == (
        Status.DOING, 40, dt.date(2021, 5, 1), "退回", ())
    assert dataclasses.replace(state) == state and dataclasses.replace(state, percent=50).percent == 50
    assert repr(TaskState()).startswith("TaskState(status=<Status.TODO: 'todo'>, percent=None, ")

    plan = Plan("t.yaml", 1, "标题", "市政府办公室", dt.date(2021, 3, 1), 2021, (Unit("甲"),), (), ())
    assert (plan.notice_title, plan.settings, plan.source, plan.repairs) == ("", {}, {}, ())
    assert plan.settings is not Plan("t.yaml", 1, "", "", dt.date(2021, 3, 1), 2021, (), (), ()).settings
    copy_ = dataclasses.replace(plan, tasks=(ENTRY_TASK,))
    assert copy_.tasks == (ENTRY_TASK,) and copy_.units == plan.units and copy_ != plan
    assert copy_.task(4) == ENTRY_TASK and plan.task(4) is None
    assert dataclasses.replace(plan) == plan
    assert "_by_id" not in repr(plan) and repr(plan).startswith("Plan(path='t.yaml', schema_version=1, ")
    assert [f.name for f in dataclasses.fields(Plan) if f.init][-1] == "repairs"


ENTRY_TASK = Task(4, 1, None, "标题", "要求", ("甲",), ("甲",), ("甲",), DEADLINE)
