"""Shell-completion callbacks: unit names (Chinese and pinyin), sections, statuses, task ids with titles.

They must never fail: a broken table simply completes nothing.
"""

from __future__ import annotations

import typer

from gwgk_cli.errors import GwgkError
from gwgk_cli.model import Plan, Status


def _plan(ctx: typer.Context | None) -> Plan | None:
    from gwgk_cli.cli.base import table_option
    from gwgk_cli.paths import find_table
    from gwgk_cli.store import load_plan

    file = ctx.find_root().params.get("file") if ctx is not None else None
    try:
        file, from_env = table_option(file)
        return load_plan(find_table(file, from_env=from_env).table)
    except (GwgkError, OSError):
        return None


def complete_unit(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Chinese input: names and aliases that start with, then contain, what was typed. Latin
    input: per unit, the first pinyin spelling (initials, then full) that extends what was typed,
    since zsh and fish only show candidates that start with the typed word."""
    from gwgk_cli.pinyin import all_initials, full_spellings

    plan = _plan(ctx)
    if plan is None:
        return []
    typed = incomplete.strip()
    if not typed:
        return [(u.name, "单位") for u in plan.units]
    out: list[tuple[str, str]] = []
    if typed.isascii():
        low = typed.lower()
        for unit in plan.units:
            for name in unit.names:
                match = next((sp for sp in (*all_initials(name), *full_spellings(name)) if sp.startswith(low)), None)
                if match:
                    out.append((match, unit.name))
                    break
        return list(dict.fromkeys(out))
    for test in (str.startswith, str.__contains__):
        for unit in plan.units:
            for name in unit.names:
                if test(name, typed):
                    out.append((name, "单位" if name == unit.name else unit.name))
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
    cut = max(incomplete.rfind(sep) for sep in (",", "\uff0c", "、")) + 1
    prefix, last = incomplete[:cut], incomplete[cut:]
    return [(f"{prefix}{t.id}", t.title) for t in plan.tasks if str(t.id).startswith(last)]




