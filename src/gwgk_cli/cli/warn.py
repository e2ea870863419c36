"""Deadline warnings: `gwgk warn` (for people) and `gwgk check` (for cron and scripts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from gwgk_cli.cli.base import Format, FormatOption, command, emit, env, pick_format
from gwgk_cli.cli.options import (
    StaleDaysOption,
    UnitOption,
    WarnDaysOption,
    last_years_table_line,
    thresholds,
    year_ended_line,
)
from gwgk_cli.errors import EXIT_PROBLEM
from gwgk_cli.sanitize import clean_line

if TYPE_CHECKING:
    import datetime as dt

    from gwgk_cli.cli.base import Env
    from gwgk_cli.model import Plan
    from gwgk_cli.queries import Row, TaskFilter, TaskRecord
    from gwgk_cli.signals import Signal, Thresholds


def _scope(ctx: typer.Context, unit: list[str] | None, warn_days: int | None, stale_days: int | None
           ) -> tuple[Env, Plan, TaskFilter, Thresholds]:
    """(the run's environment, the plan's header, the tasks asked for — the units' with the collective units', as
    warn has always counted them — and the thresholds)."""
    from gwgk_cli.queries import TaskFilter
    from gwgk_cli.units import resolve_unit

    e = env(ctx)
    plan = e.tracker.header
    flt = TaskFilter(units=[resolve_unit(plan, u) for u in unit or []], include_collective=True)
    return e, plan, flt, thresholds(plan, warn_days, stale_days)


def _flagged_values(ctx: typer.Context, unit: list[str] | None, warn_days: int | None, stale_days: int | None
                    ) -> tuple[dict[str, list[Any]], int, Plan]:
    """(queries.task_values of the red and yellow tasks, in no particular order; the number of tasks checked; the
    plan), from the signals the index keeps (flagged.flagged_values): no task built."""
    from gwgk_cli.flagged import flagged_values
    from gwgk_cli.queries import candidate_units

    e, plan, flt, limits = _scope(ctx, unit, warn_days, stale_days)
    # With the collective units counted in (include_collective) and no other condition, `select` keeps exactly
    # the tasks naming a candidate unit.
    values, total = flagged_values(e.tracker, plan, candidate_units(plan, flt), e.today, limits)
    return values, total, plan


def _flagged(ctx: typer.Context, unit: list[str] | None, warn_days: int | None,
             stale_days: int | None) -> tuple[list[tuple[Row, Signal]], int, Plan]:
    """(the red and yellow rows with their signal, in table order; number of tasks checked; the plan): the signals
    the index keeps, as the TSV and `check` read them, and only the red and yellow tasks built."""
    from gwgk_cli.flagged import flagged_facts
    from gwgk_cli.queries import candidate_units, select
    from gwgk_cli.signals import Signal

    e, plan, flt, limits = _scope(ctx, unit, warn_days, stale_days)
    facts, total = flagged_facts(e.tracker, plan, candidate_units(plan, flt), e.today, limits)
    signals = {f[0]: Signal(f[7], f[8]) for f in facts}
    tasks, states = e.tracker.tracked(sorted(signals)) if signals else ([], {})
    return [(row, signals[row.task.id]) for row in select(plan, states, flt, tasks=tasks).rows], total, plan


def _records(plan: Plan, flagged: list[tuple[Row, Signal]], today: dt.date) -> list[TaskRecord]:
    """The flagged rows' task records, worst first (queries.warning_records)."""
    from gwgk_cli.queries import signed_records, warning_records

    return warning_records(signed_records(plan, flagged, today))


@command()
def warn(ctx: typer.Context, unit: UnitOption = None, warn_days: WarnDaysOption = None,
         stale_days: StaleDaysOption = None, fmt: FormatOption = None) -> None:
    """只看预警（红灯逾期、黄灯临期/进度落后/久未更新），按牵头单位分组，最严重的在前。"""
    from gwgk_cli.render import plain

    out = pick_format(fmt)
    today = env(ctx).today
    if out in (Format.tsv, Format.csv):
        # Only the printed columns, column by column: no record per warning, and the signals the index keeps
        # (flagged.flagged_values).
        from gwgk_cli.queries import warning_order

        values, _, plan = _flagged_values(ctx, unit, warn_days, stale_days)
        ended = year_ended_line(plan, today, "warn")
        order = warning_order(values)
        values = {key: [column[i] for i in order] for key, column in values.items()}
        names = [name for name, _ in plain.TASK_COLUMNS]  # 牵头单位 among them, once
        columns = plain.task_column_values(values)
        emit((plain.csv_values if out is Format.csv else plain.tsv_values)(names, columns, len(order)))
        if ended:
            typer.echo(ended, err=True)
        return
    flagged, total, plan = _flagged(ctx, unit, warn_days, stale_days)
    ended = year_ended_line(plan, today, "warn")
    bad = _records(plan, flagged, today)
    if out is Format.json:
        emit(plain.json_text(bad))
        return
    from gwgk_cli.render.warnings import print_warnings

    print_warnings(bad, total, ended)


@command()
def check(
    ctx: typer.Context,
    unit: UnitOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="黄灯也视为失败（退出码 1）。")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="全部正常时也输出一行结果。")] = False,
    warn_days: WarnDaysOption = None,
    stale_days: StaleDaysOption = None,
) -> None:
    """供定时任务和脚本使用：全部正常时不输出；有红灯退出码 1（--strict 时黄灯也算）。"""
    from gwgk_cli.queries import warning_order
    from gwgk_cli.render.warnings import line_of

    values, total, plan = _flagged_values(ctx, unit, warn_days, stale_days)  # no record per warning
    order = warning_order(values)
    signal, label, ids, title, reason = (values[k] for k in ("signal", "signal_label", "id", "title", "signal_reason"))
    red = sum(signal[i] == "red" for i in order)
    if order:  # one write for all the lines
        lines = [clean_line(line_of(label[i], ids[i], title[i], reason[i])) for i in order]
        from gwgk_cli.cli import base

        if base.stdout_is_terminal():  # a long reason wrapped under the task, as warn does (none in a cron log)
            import shutil

            from gwgk_cli.render.cjkwrap import fit_lines
            from gwgk_cli.render.warnings import HANGING

            width = shutil.get_terminal_size().columns
            lines = [piece for line in lines for piece in fit_lines(line, width, HANGING)]
        typer.echo("\n".join(lines))
    if verbose or order:
        typer.echo(f"检查 {total} 项任务：红灯 {red} 项，黄灯 {len(order) - red} 项。")
    ended = last_years_table_line(plan, env(ctx).location.table, env(ctx).today, "check", "定时任务")
    if ended:  # a scheduled job still on last year's table: its mail says so
        typer.echo(clean_line(ended), err=True)
    failing = len(order) if strict else red
    if failing:
        raise typer.Exit(EXIT_PROBLEM)
