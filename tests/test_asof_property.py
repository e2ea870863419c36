"""One truth as of any date: random histories written through the core functions (start, done, block,
reopen, note, undo with random dates) and hand-written undo lines (of a task not in the table, of another
task than the entry named, of an undo line), then list, show, warn, report, export and log's 已撤销 marks,
cached and not, agree with each other and with a naive model on every task's status and percent for
several reference dates; and a change that is accepted is in force."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gwgk_cli import actions, store
from gwgk_cli.cli import app
from gwgk_cli.errors import BadValue
from gwgk_cli.journal import read_entries
from gwgk_cli.journal_entry import Entry
from gwgk_cli.model import Status
from gwgk_cli.paths import Location
from gwgk_cli.queries import Row, TaskFilter, records, select, thresholds_for
from gwgk_cli.report import JournalEntries, build_report, export_records, warning_records, week_of
from gwgk_cli.state import state_as_of

TABLE_2021 = Path(__file__).resolve().parent.parent / "data" / "tasks_2021.yaml"

START = dt.date(2021, 11, 1)
TASKS = [4, 5, 6]
USERS = ["张三", "李四"]

day = st.integers(min_value=0, max_value=40).map(lambda n: START + dt.timedelta(days=n))
mark = st.tuples(st.sampled_from(["start", "done", "block", "reopen"]), st.sampled_from(TASKS), day,
                 st.sampled_from(USERS))
note = st.tuples(st.just("note"), st.sampled_from(TASKS), day, st.sampled_from(USERS),
                 st.one_of(st.none(), st.integers(0, 100)))
undo = st.tuples(st.just("undo"), st.integers(0, 30), day, st.sampled_from(USERS))
# A hand-written undo line: 0, of task 999 (not in the table); 1, of another task than the entry it names;
# 2, naming an undo line; 3, as gwgk would write it (the named entry's task), on any date.
raw_undo = st.tuples(st.just("raw"), st.integers(0, 30), day, st.sampled_from(USERS), st.integers(0, 3))
history = st.lists(st.one_of(mark, note, undo, raw_undo), max_size=20)


@contextmanager
def tracker_files() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "tasks_2021.yaml"
        shutil.copyfile(TABLE_2021, table)
        yield table


def model(entries: list[Entry], as_of: dt.date) -> dict[int, tuple[str, int | None]]:
    """A naive replay, written apart from the code under test: (status, percent) per task."""
    dated = [e for e in entries if e.date <= as_of]
    out = dict.fromkeys(TASKS, ("todo", None))
    for e in sorted(dated, key=lambda e: (e.date, e.lineno)):
        if e.op == "undo" or e.id in model_undone(dated, e.task) or e.task not in out:
            continue
        status, percent = out[e.task]
        if e.op == "status":
            assert e.to_status is not None
            if e.to_status is Status.DONE:
                percent = 100
            elif status == "done" and percent == 100:  # reopened: the completion's 100% goes
                percent = None
            status = e.to_status.value
        elif status == "todo":
            status = "doing"
        if e.percent is not None and status != "done":  # a done task is 100%, whatever a line says
            percent = e.percent
        out[e.task] = (status, percent)
    return out


def model_undone(entries: list[Entry], task: int) -> set[str]:
    """The ids of a task's lines its undo lines revert: an undo line reverts the lines of its own task with the
    id it names, never an undo line (so an undo of task 999, or naming another task's line or an undo, reverts
    nothing)."""
    own = {e.id for e in entries if e.task == task and e.op != "undo"}
    return {e.undoes for e in entries if e.op == "undo" and e.task == task} & own


def write_raw_undo(journal: Path, step: tuple[Any, ...]) -> None:
    """Append an undo line as a person would write it by hand (no check: it may revert nothing)."""
    _, pick, when, by, kind = step
    entries = read_entries(journal)[0] if journal.exists() else []
    undos = [e for e in entries if e.op == "undo"]
    pool = undos if kind == 2 else entries
    if not pool:
        return
    target = pool[pick % len(pool)]
    task = {0: 999, 1: TASKS[(TASKS.index(target.task) + 1) % len(TASKS)] if target.task in TASKS else 4}.get(
        kind, target.task)
    line = {"id": f"{len(entries):04d}feedbeef", "at": f"{when}T12:00:00+08:00", "date": when.isoformat(), "by": by,
            "task": task, "op": "undo", "undoes": target.id}
    with journal.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")


def record(table: Path, step: tuple[Any, ...]) -> None:
    """One step through the core; a refusal (BadValue) writes nothing. An accepted change is in force."""
    journal = table.with_name("tasks_2021.progress.jsonl")
    valid = frozenset(range(1, 29))
    kind = step[0]
    try:
        if kind == "raw":
            write_raw_undo(journal, step)
        elif kind == "note":
            _, task, when, by, percent = step
            actions.add_notes(journal, [task], "进展", by=by, when=when, percent=percent)
            if percent is not None:
                entries = read_entries(journal)[0]
                latest = max(e.date for e in entries)
                assert state_as_of(entries, TASKS, latest)[task].percent == percent
                then = state_as_of(entries, TASKS, when)[task]
                # In force from its date on, unless the task was done then (a done later undone, the undo
                # dated after `when`): a done task is 100%.
                assert then.percent == percent or then.status is Status.DONE
        elif kind == "undo":
            _, pick, when, by = step
            entries = read_entries(journal)[0]
            ref = entries[pick % len(entries)].id if entries and pick % 3 == 0 else None
            actions.undo_last(journal, valid, by=by, today=when, entry=ref)
        else:
            verb, task, when, by = step
            outcome = actions.change_status(journal, None, [task], verb, by=by, when=when,
                                            note="原因" if verb == "block" else "")
            if outcome.written:
                entries = read_entries(journal)[0]
                latest = max(e.date for e in entries)
                for d in (when, latest):  # in force from its date on, and never overridden
                    assert state_as_of(entries, TASKS, d)[task].status is actions.VERBS[verb]
    except BadValue:
        pass


def views(table: Path, as_of: dt.date) -> dict[str, dict[int, tuple[str, int | None]]]:
    """(status, percent) per task as each view derives it for the reference date."""
    loc = Location(table, "--file", bundled=False)
    cached = store.Tracker(loc, as_of=as_of)
    plan = cached.plan
    thresholds = thresholds_for(plan)
    states = cached.progress().states
    listed = records(plan, select(plan, states, TaskFilter(include_collective=True)).rows, as_of, thresholds)
    full = store.Tracker(loc, as_of=as_of).progress(need_entries=True)  # show, log and report read entries
    shown = records(plan, [Row(t, full.state(t.id)) for t in plan.tasks if t.id in TASKS], as_of, thresholds)
    exported = export_records(plan, states, as_of, thresholds)
    weekly = build_report(plan, JournalEntries(full.entries or []), period=week_of(as_of), today=as_of, by="测试员", thresholds=thresholds)

    def pick(recs: list[dict[str, Any]]) -> dict[int, tuple[str, int | None]]:
        return {r["id"]: (r["status"], r["percent"]) for r in recs if r["id"] in TASKS}

    out = {"list": pick(listed), "show": pick(shown), "export": pick(exported)}
    warned = pick(warning_records(listed))
    out["warn"] = {t: out["list"][t] for t in warned} | warned
    report_recs = pick(weekly.warnings + weekly.due_next + weekly.ongoing)
    out["report"] = {t: out["list"][t] for t in report_recs} | report_recs
    # log's 已撤销 marks (Tracker.undone), the index's and the files' alike: exactly what the model reverts.
    lines = read_entries(table.with_name("tasks_2021.progress.jsonl"))[0] if table.with_name(
        "tasks_2021.progress.jsonl").exists() else []
    dated = [e for e in lines if e.date <= as_of]
    expected = {e.id for e in dated if e.id in model_undone(dated, e.task)}
    for cache in ("", "1"):
        result = CliRunner().invoke(app, ["log", "--format", "json"], catch_exceptions=False, env={
            "GWGK_FILE": str(table), "GWGK_TODAY": as_of.isoformat(), "GWGK_NO_CACHE": cache})
        assert result.exit_code == 0, result.output
        assert {r["id"] for r in json.loads(result.stdout) if r["undone"]} == expected, (as_of, cache)
    counts = dict.fromkeys(Status, 0)
    for rec in listed:
        counts[Status(rec["status"])] += 1
    assert weekly.overview.counts == counts, as_of
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=history, probes=st.lists(day, min_size=1, max_size=3))
def test_every_view_agrees_as_of_any_date(steps: list[tuple[Any, ...]], probes: list[dt.date]) -> None:
    with tracker_files() as table:
        loc = Location(table, "--file", bundled=False)
        for step in steps:
            record(table, step)
            # The caches (after every entry, and as of a probe date) follow each append incrementally.
            entries = read_entries(table.with_name("tasks_2021.progress.jsonl"))[0]
            for as_of in (probes[0], None):
                states = store.Tracker(loc, as_of=as_of).progress().states
                expected = model(entries, as_of or dt.date.max)
                assert {t: (states[t].status.value, states[t].percent) for t in TASKS} == expected, (step, as_of)
        entries = read_entries(table.with_name("tasks_2021.progress.jsonl"))[0]
        dates = sorted({*probes, START - dt.timedelta(days=1), START + dt.timedelta(days=60),
                        *(e.date for e in entries[-2:])})
        for as_of in dates:
            expected = model(entries, as_of)
            for name, got in views(table, as_of).items():
                for task, value in got.items():
                    assert value == expected[task], (name, as_of, task)


@pytest.mark.parametrize("cache", ["on", "off"])
def test_views_agree_on_a_fixed_history(cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's case as a fixed example, through the same checks (cache on and off)."""
    if cache == "off":
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
    with tracker_files() as table:
        for step in [("start", 6, dt.date(2021, 12, 17), "张三"), ("done", 6, dt.date(2021, 12, 1), "张三"),
                     ("note", 5, dt.date(2021, 11, 20), "李四", 40), ("done", 4, dt.date(2021, 11, 24), "张三"),
                     ("undo", 1, dt.date(2021, 11, 25), "张三")]:
            record(table, step)
        entries = read_entries(table.with_name("tasks_2021.progress.jsonl"))[0]
        assert [e.op for e in entries] == ["status", "note", "status", "undo"]  # the backdated done was refused
        for as_of, expected in [(dt.date(2021, 11, 22), {4: ("todo", None), 5: ("doing", 40), 6: ("todo", None)}),
                                (dt.date(2021, 11, 24), {4: ("done", 100), 5: ("doing", 40), 6: ("todo", None)}),
                                (dt.date(2021, 12, 31), {4: ("todo", None), 5: ("doing", 40), 6: ("doing", None)})]:
            assert model(entries, as_of) == expected
            for name, got in views(table, as_of).items():
                assert {t: expected[t] for t in got} == got, (name, as_of)
