"""Shell-completion callbacks: unit names (Chinese and pinyin), sections, statuses, task ids with titles.

They must never fail: a broken table simply completes nothing.
"""

from __future__ import annotations

import os

import typer

from gwgk_cli.errors import GwgkError
from gwgk_cli.model import Plan, Status


def _plan(ctx: typer.Context | None) -> Plan | None:
    from gwgk_cli.paths import find_table
    from gwgk_cli.store import load_plan

    file = None
    if ctx is not None:
        file = ctx.find_root().params.get("file")
    env_file = os.environ.get("GWGK_FILE")
    try:
        loc = find_table(file or env_file, from_env=not file and bool(env_file))
        return load_plan(loc.table)
    except (GwgkError, OSError):
        return None


def complete_unit(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from gwgk_cli.pinyin import initials, name_matches

    plan = _plan(ctx)
    if plan is None:
        return []
    out: list[tuple[str, str]] = []
    for unit in plan.units:
        for name in unit.names:
            if name.startswith(incomplete) or (incomplete and incomplete in name):
                out.append((name, unit.name if name != unit.name else "单位"))
        if incomplete.isascii() and incomplete:
            if any(name_matches(incomplete, n) for n in unit.names):
                out.append((initials(unit.name), unit.name))
        elif not incomplete:
            continue
    if not incomplete:
        out = [(u.name, "单位") for u in plan.units]
    return list(dict.fromkeys(out))


def complete_section(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    plan = _plan(ctx)
    if plan is None:
        return []
    return [(s.numeral, s.title) for s in plan.sections
            if s.numeral.startswith(incomplete) or str(s.no).startswith(incomplete) or incomplete in s.title]


def complete_status(incomplete: str) -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in Status if s.value.startswith(incomplete)] + [
        (s.label, s.value) for s in Status if incomplete and s.label.startswith(incomplete)
    ]


def complete_task_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    plan = _plan(ctx)
    if plan is None:
        return []
    head, _, last = incomplete.rpartition(",")
    prefix = head + "," if head else ""
    return [(f"{prefix}{t.id}", t.title) for t in plan.tasks if str(t.id).startswith(last)]




