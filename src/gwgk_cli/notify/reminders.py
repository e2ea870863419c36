"""Which units to chase (催办) and with what: each lead unit's red and yellow tasks (red first, then
by urgency) and its open tasks with no update for `stale_days` days, as of the reference date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from gwgk_cli.model import Plan
from gwgk_cli.notify.compose import Reminder, compose
from gwgk_cli.queries import TaskFilter, TaskRecord, records, select
from gwgk_cli.signals import SEVERITY, Thresholds
from gwgk_cli.state import TaskState


def _urgency(rec: Mapping[str, Any]) -> tuple[int, int]:
    days = rec.get("days_left")
    return SEVERITY.get(rec.get("signal") or "", 9), days if isinstance(days, int) else 10_000


def _stale(rec: Mapping[str, Any], today: dt.date, published: dt.date, stale_days: int) -> bool:
    if rec.get("status") == "done":
        return False
    updated = rec.get("updated")
    since = dt.date.fromisoformat(updated) if updated else published
    return (today - since).days >= stale_days


def build_reminders(plan: Plan, states: Mapping[int, TaskState], today: dt.date, thresholds: Thresholds, *,
                    units: Collection[str] = (), signals: Collection[str] = ("red", "yellow"),
                    sender: str = "") -> tuple[list[Reminder], list[int]]:
    """(the reminders, one per lead unit with something to chase; the ids of tasks whose lead is a
    collective unit such as 各相关科室, which no message can reach)."""
    recs = records(plan, select(plan, states, TaskFilter()).rows, today, thresholds)
    collective = plan.collective_units
    by_unit: dict[str, list[TaskRecord]] = {}
    unreachable: list[int] = []
    for rec in recs:
        lead = rec["lead_unit"]
        if lead in collective:
            if not units and rec.get("signal") in signals:
                unreachable.append(rec["id"])
            continue
        if units and lead not in units:
            continue
        by_unit.setdefault(lead, []).append(rec)
    out: list[Reminder] = []
    for unit in [u.name for u in plan.units if u.name in by_unit]:
        mine = by_unit[unit]
        urgent = sorted((r for r in mine if r.get("signal") in signals), key=_urgency)
        stale = [r for r in mine if _stale(r, today, plan.published, thresholds.stale_days)]
        reminder = compose(unit, urgent, stale, table_title=plan.title, today=today,
                           stale_days=thresholds.stale_days, sender=sender)
        if reminder is not None:
            out.append(reminder)
    return out, unreachable
