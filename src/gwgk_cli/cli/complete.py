"""Shell-completion callbacks: unit names (Chinese and pinyin), sections, statuses, signals, task ids
with titles (only the tasks the command can act on: `done <TAB>` offers no finished task).

They must never fail: a broken table simply completes nothing. bash shows no descriptions, so there a
list of several task ids carries each title in the candidate itself (`14  更新网站行政法规文本`): the
common prefix bash inserts is still the id, and a single candidate is the bare id.
"""


import os
from typing import Any, NamedTuple

import typer

from gwgk_cli.errors import GwgkError
from gwgk_cli.model import Plan, Status
from gwgk_cli.paths import Location


def _location(ctx: typer.Context | None) -> Location | None:
    from gwgk_cli.cli.base import table_option
    from gwgk_cli.paths import find_table

    file = ctx.find_root().params.get("file") if ctx is not None else None
    try:
        file, from_env = table_option(file)
        return find_table(file, from_env=from_env)
    except (GwgkError, OSError):
        return None


def _plan(ctx: typer.Context | None) -> Plan | None:
    from gwgk_cli.store import load_plan

    location = _location(ctx)
    try:
        return load_plan(location.table) if location is not None else None
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


def complete_signal(incomplete: str) -> list[tuple[str, str]]:
    from gwgk_cli.signals import SIGNAL_LABELS

    return [(key, label) for key, label in SIGNAL_LABELS.items() if key.startswith(incomplete)] + [
        (label, key) for key, label in SIGNAL_LABELS.items() if incomplete and label.startswith(incomplete)
    ]


# Which statuses a command can act on; a command not named here takes every task.
_ACTS_ON: dict[str, frozenset[Status]] = {
    "start": frozenset({Status.TODO, Status.BLOCKED}),
    "done": frozenset({Status.TODO, Status.DOING, Status.BLOCKED}),
    "block": frozenset({Status.TODO, Status.DOING}),
    "reopen": frozenset({Status.DONE, Status.BLOCKED}),
    "note": frozenset({Status.TODO, Status.DOING, Status.BLOCKED}),
}


def _actionable(ctx: typer.Context | None, plan: Plan) -> frozenset[int] | None:
    """Ids of the tasks the command being completed can act on; None when it takes every task."""
    wanted = _ACTS_ON.get(getattr(ctx, "info_name", None) or "")
    if wanted is None:
        return None
    from gwgk_cli.store import load_progress

    location = _location(ctx)
    if location is None:
        return None
    progress = load_progress(location.journal, plan)
    return frozenset(t for t in plan.task_ids() if progress.state(t).status in wanted)


def complete_task_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    plan = _plan(ctx)
    if plan is None:
        return []
    try:
        acting = _actionable(ctx, plan)
    except (GwgkError, OSError):
        acting = None
    cut = max(incomplete.rfind(sep) for sep in (",", "\uff0c", "、")) + 1
    prefix, last = incomplete[:cut], incomplete[cut:]
    found = [(f"{prefix}{t.id}", t.title) for t in plan.tasks
             if str(t.id).startswith(last) and (acting is None or t.id in acting)]
    if len(found) > 1 and os.environ.get("_GWGK_COMPLETE") == "complete_bash":
        return [(f"{value}  {title}", title) for value, title in found]
    return found


class Candidate(NamedTuple):
    """One completion candidate, as the shell formatters read it (value, help, type)."""

    value: str
    help: str | None = None
    type: str = "plain"


def unit_candidates(ctx: Any, incomplete: str) -> list[Candidate]:
    """The unit option's candidates without Typer's starts-with filter, so a Chinese fragment completes
    to the names containing it (`指导` -> 政务公开指导办), as `--unit 指导` is accepted. Installed as
    the option's shell_complete by cli.base.ChineseHelp."""
    return [Candidate(value, help_) for value, help_ in complete_unit(ctx, incomplete)]




