"""`warn`'s TSV and CSV are made column by column from the rows (queries.task_values, plain.task_column_values,
queries.warning_order) rather than from a task record per warning: the values, the columns and the order
must be those the records give (queries.signed_records, plain.TASK_COLUMNS, queries.warning_records)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk_cli.model import Plan, Status
from gwgk_cli.queries import (
    VALUE_KEYS,
    Row,
    signed_records,
    task_values,
    warning_order,
    warning_records,
)
from gwgk_cli.render import plain
from gwgk_cli.signals import Thresholds, signal_for
from gwgk_cli.state import Extension, TaskState
from gwgk_cli.table import load_table

PLAN = load_table(Path(__file__).resolve().parent.parent / "data" / "tasks_2021.yaml")
DAYS = st.dates(dt.date(2021, 9, 1), dt.date(2022, 2, 1))

STATES = st.builds(
    TaskState,
    status=st.sampled_from(Status),
    percent=st.none() | st.integers(0, 100),
    updated=st.none() | DAYS,
    updated_by=st.sampled_from(["", "张三"]),
    last_note=st.sampled_from(["", "进展", "=1+1"]),
    done_on=st.none() | DAYS,
    blocked_reason=st.sampled_from(["", "等待数据", "-缺材料"]),
    accepted=st.sampled_from([(), (("政务公开指导办", dt.date(2021, 10, 1)),)]),
    due=st.none() | DAYS,
    extensions=st.sampled_from([(), (Extension(dt.date(2021, 11, 1), dt.date(2021, 12, 31), "", "理由"),)]),
    closed_on=st.none() | DAYS,
)


def _check(plan: Plan, states: list[TaskState], today: dt.date, limits: Thresholds) -> None:
    rows = [Row(task, state) for task, state in zip(plan.tasks, states, strict=False)]
    signed = [(row, signal_for(row.task, row.state, today, plan.published, limits)) for row in rows]
    recs = signed_records(plan, signed, today)
    values = task_values(plan, signed, today)
    assert set(values) == set(VALUE_KEYS)
    for key in VALUE_KEYS:
        assert values[key] == [rec[key] for rec in recs], key  # type: ignore[literal-required]
    by_getter = [[get(rec) for rec in recs] for _, get in plain.TASK_COLUMNS]
    assert plain.task_column_values(values) == by_getter
    assert [values["id"][i] for i in warning_order(values)] == [rec["id"] for rec in warning_records(recs)]


@settings(max_examples=150, deadline=None)
@given(st.lists(STATES, min_size=len(PLAN.tasks), max_size=len(PLAN.tasks)), DAYS, st.booleans(),
       st.integers(0, 60), st.integers(1, 60))
def test_task_values_are_the_records(states: list[TaskState], today: dt.date, review: bool, warn_days: int,
                                     stale_days: int) -> None:
    plan = replace(PLAN, settings={**PLAN.settings, "review": review})
    _check(plan, states, today, Thresholds(warn_days=warn_days, stale_days=stale_days))


def test_task_values_of_no_rows() -> None:
    assert task_values(PLAN, [], dt.date(2021, 11, 22)) == {key: [] for key in VALUE_KEYS}
    assert plain.tsv_values(["甲", "乙"], [[], []], 0) == "甲\t乙\n"
    assert plain.csv_values(["甲", "乙"], [[], []], 0) == "\ufeff甲,乙\r\n"
