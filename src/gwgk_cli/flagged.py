"""The red and yellow tasks of `warn` and `check`, column by column, with the signals the index keeps.

At 10,000 tasks `warn` printed 5,800 warnings, and most of its time went to working out every task's signal
(the task and its state built from the index, then signals.signal_for), on every run, for a journal that had not
changed. The index keeps each task's signal as worked out (table `signals`: the signal and why, the date in
force, the status, percent and last update) under a key: the reference date, the thresholds, the publication
date and the rules' version (`rules_version`). The transaction that changes a task's state drops its row, and a
new table drops them all (index.Index._signals_stale), so a row kept is what signal_for gives now: a run reads
the flagged rows in one query and works out only the tasks with no row (after a note, that task; on a new day
or with other thresholds, all of them), which it stores for the next run unless the index changed meanwhile.
Without an index (or with the changes of a batch held in memory) every signal is worked out, as before.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from gwgk_cli.queries import Facts, fact_values, task_facts
from gwgk_cli.signals import RED, YELLOW, Thresholds, signal_for
from gwgk_cli.state import TaskState

if TYPE_CHECKING:
    from gwgk_cli.model import Plan, Task
    from gwgk_cli.store import Tracker

FLAGGED = (RED, YELLOW)


def rules_version() -> str:
    """gwgk's version and the modules that work out and word the signals as installed (size and time of each file,
    this one's too): a kept signal worked out by other rules is never read back."""
    from gwgk_cli import __version__, model, queries, signals

    stamps = [__version__]
    # The rules and their wording; the status labels; Status itself; this module (what is kept, how it is read).
    for path in (signals.__file__, queries.__file__, model.__file__, __file__):
        try:
            st = os.stat(path or "")
            stamps.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            stamps.append("?")
    return " ".join(stamps)


def signals_key(plan: Plan, today: dt.date, as_of: dt.date | None, limits: Thresholds) -> str:
    """What a kept signal was worked out under: the states' date, the reference date, the publication date, the
    thresholds and the rules."""
    return (f"{rules_version()}|{as_of}|{today}|{plan.published}|{limits.warn_days}|{limits.stale_days}"
            f"|{plan.review_required}")


def signal_row(facts: Facts) -> tuple[Any, ...]:
    """A task's row of the index's `signals` table (index_read.SIGNAL_COLUMNS) from its facts."""
    return (facts[0], facts[7], facts[8], facts[9], facts[10], facts[11], facts[12], facts[13])


def flagged_facts(tracker: Tracker, plan: Plan, units: frozenset[str] | None, today: dt.date,
                  limits: Thresholds) -> tuple[list[Facts], int]:
    """(the facts of the tasks naming any of `units` (None: all) whose signal is red or yellow, in table order
    when none is kept, else in no particular order; the number of tasks checked)."""
    key = signals_key(plan, today, tracker.as_of, limits)
    stored = tracker.stored_signals(key, units=units, kinds=FLAGGED)
    if stored is None:
        tasks, states = tracker.tracked(units=units)
        return _worked_out(plan, tasks, states, today, limits, None), len(tasks)
    facts: list[Facts] = list(stored.rows)  # decoded by the index (a damaged row is found there: it is rebuilt)
    if stored.missing:
        tasks, states = tracker.tracked(stored.missing)
        rows: list[tuple[Any, ...]] = []
        facts += _worked_out(plan, tasks, states, today, limits, rows)
        tracker.store_signals(key, stored.generation, rows)
    return facts, stored.total


def _worked_out(plan: Plan, tasks: list[Task], states: dict[int, TaskState], today: dt.date, limits: Thresholds,
                rows: list[tuple[Any, ...]] | None) -> list[Facts]:
    """The flagged tasks' facts, every signal worked out (signal_for); with `rows`, every task's signal row
    added to it (for the index to keep)."""
    published = plan.published
    initial = TaskState()
    out: list[Facts] = []
    for task in tasks:
        state = states.get(task.id) or initial
        sig = signal_for(task, state, today, published, limits)
        if rows is None and sig.signal not in FLAGGED:
            continue
        facts = task_facts(plan, task, state, sig)
        if rows is not None:
            rows.append(signal_row(facts))
        if sig.signal in FLAGGED:
            out.append(facts)
    return out


def flagged_values(tracker: Tracker, plan: Plan, units: frozenset[str] | None, today: dt.date,
                   limits: Thresholds) -> tuple[dict[str, list[Any]], int]:
    """queries.task_values of the red and yellow tasks naming any of `units` (None: all), in no particular order
    (queries.warning_order gives theirs); the number of tasks checked."""
    facts, total = flagged_facts(tracker, plan, units, today, limits)
    return fact_values(plan, facts, today), total

