"""`gwgk sheet status`: which units have returned a 填报表 for a period (derived from the journal's
`source` fields), which have not (the 催报 list), and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from gwgk_cli.journal_entry import Entry
from gwgk_cli.model import Plan
from gwgk_cli.sheet_source import parse_source
from gwgk_cli.sheets.layout import sheet_units
from gwgk_cli.sheets.period import Period
from gwgk_cli.sheets.values import person_name
from gwgk_cli.state import reverted, undone_keys


@dataclass(slots=True)
class Returned:
    """One unit's returned 填报 in the period: when its lines were recorded (first, last), how many, by whom, from which files."""

    unit: str
    first: dt.date  # the earliest 填报日期 recorded from its sheets
    last: dt.date  # the latest
    entries: int = 0
    by: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Returns:
    """A period's 填报 returns: the units that returned sheets, and those still missing."""

    period: Period
    returned: list[Returned]
    missing: list[str]  # units with no sheet recorded for the period, in the table's order


def returns_for(plan: Plan, entries: Iterable[Entry], period: Period) -> Returns:
    entries = list(entries)
    undone = undone_keys(entries)
    found: dict[str, Returned] = {}
    for entry in entries:
        fields = parse_source(entry.source)
        if fields is None or fields["period"] != period.key or reverted(entry, undone) or entry.op == "undo":
            continue
        got = found.get(fields["unit"])
        if got is None:
            got = found[fields["unit"]] = Returned(fields["unit"], entry.date, entry.date)
        got.first, got.last = min(got.first, entry.date), max(got.last, entry.date)
        got.entries += 1
        by = person_name(entry.by)  # 王 芳 recorded before the names were made one spelling is 王芳
        if by not in got.by:
            got.by.append(by)
        if fields["file"] not in got.files:
            got.files.append(fields["file"])
    order = {u.name: i for i, u in enumerate(plan.units)}
    returned = sorted(found.values(), key=lambda r: (order.get(r.unit, len(order)), r.unit))
    missing = [u.name for u in sheet_units(plan) if u.name not in found]
    return Returns(period, returned, missing)


def recorded_from(entries: Iterable[Entry], sha256: str, today: dt.date, valid: frozenset[int]) -> list[Entry]:
    """The entries in force that one 填报表 file (these bytes: its SHA-256) recorded, in journal order: what
    `gwgk sheet undo` takes back."""
    from gwgk_cli.state import in_force

    return [e for e in in_force(list(entries), today, valid)
            if (fields := parse_source(e.source)) is not None and fields["sha256"] == sha256[:16]]
