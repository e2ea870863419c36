"""The 督办 loop: accept (签收), extend (延期), review (审核销号 / 退回), remind (催办)."""


from typing import TYPE_CHECKING, Annotated

import typer

from gwgk_cli.cli.base import command, env, parse_date
from gwgk_cli.cli.complete import complete_task_id
from gwgk_cli.cli.options import (
    ByOption,
    DateOption,
    IdsArgument,
    StaleDaysOption,
    UnitOption,
    WarnDaysOption,
    half_width_values,
    last_years_table_line,
)
from gwgk_cli.sanitize import clean_line

if TYPE_CHECKING:
    from gwgk_cli.notify.compose import Reminder

TaskArgument = Annotated[
    str, typer.Argument(help="任务序号。", autocompletion=complete_task_id, callback=half_width_values, show_default=False)
]


def _ids(ctx: typer.Context, ids: list[str]) -> list[int]:
    from gwgk_cli.queries import parse_ids, require_ids

    plan = env(ctx).tracker.plan
    return require_ids(parse_ids(ids), frozenset(plan.task_ids()), plan.id_range())


@command()
def accept(
    ctx: typer.Context, ids: IdsArgument, unit: UnitOption = None,
    note: Annotated[str, typer.Option("--note", "-n", help="说明（可选）。")] = "",
    by: ByOption = None, date: DateOption = None,
) -> None:
    """签收任务：单位确认已收到并负责（默认以各任务的牵头单位签收；--unit 指定签收单位）。"""
    from gwgk_cli.actions import check_when, default_user
    from gwgk_cli.supervision import accept as record
    from gwgk_cli.units import resolve_unit

    e = env(ctx)
    plan = e.tracker.plan
    wanted = _ids(ctx, ids)
    if unit and len(unit) > 1:
        from gwgk_cli.errors import BadValue

        raise BadValue("签收时 --unit 只能给一个单位")
    who = resolve_unit(plan, unit[0]).name if unit else None
    when = check_when(parse_date(date, "日期 --date") if date is not None else None, e.today,
                      e.tracker.header.year)
    e.tracker.progress()  # reports journal damage; the decision is made under the lock
    out = record(e.tracker.journal, plan, wanted, unit=who, by=by or default_user(), when=when, note=note)
    for task_id, why in out.unchanged:
        typer.echo(clean_line(f"任务 {task_id}：{why}，未重复登记。"))
    for entry in out.written:
        typer.echo(clean_line(f"任务 {entry.task}：{entry.unit} 签收 {entry.date}"))


@command()
def extend(
    ctx: typer.Context, task: TaskArgument,
    to: Annotated[str, typer.Option("--to", metavar="YYYY-MM-DD", help="延期后的到期日（必填，须晚于当前到期日）。",
                                    show_default=False)],
    note: Annotated[str, typer.Option("--note", "-n", help="延期原因（必填）。")] = "",
    approved_by: Annotated[str, typer.Option("--approved-by", metavar="NAME",
                                             help="批准人；不写则为未经批准的延期（通报按原定时限计是否按时）。")] = "",
    by: ByOption = None, date: DateOption = None,
) -> None:
    """延期：登记新的到期日。原定时限保留并显示，多次延期都记入历史。"""
    from gwgk_cli.actions import check_when, default_user
    from gwgk_cli.supervision import extend as record

    e = env(ctx)
    plan = e.tracker.plan
    (task_id, *rest) = _ids(ctx, [task])
    if rest:
        from gwgk_cli.errors import BadValue

        raise BadValue("延期一次只登记一项任务")
    when = check_when(parse_date(date, "日期 --date") if date is not None else None, e.today,
                      e.tracker.header.year)
    e.tracker.progress()
    entry = record(e.tracker.journal, plan, task_id, to=parse_date(to, "日期 --to"), reason=note,
                   approved_by=approved_by, by=by or default_user(), when=when, today=e.today)
    original = plan.task(task_id).deadline.due  # type: ignore[union-attr]
    if entry.approved_by:
        typer.echo(clean_line(f"任务 {task_id}：原定 {original}，延期至 {entry.due}（{entry.note}，{entry.approved_by}批准）"))
    else:  # a request: the date in force stays until somebody approves it (signals.due_in_force)
        typer.echo(clean_line(f"任务 {task_id}：申请延期至 {entry.due}（{entry.note}，未经批准）；批准前到期日不变，"
                              f"批准时再登记一次并加 --approved-by 姓名"))


@command()
def review(
    ctx: typer.Context, ids: IdsArgument,
    passed: Annotated[bool, typer.Option("--pass", help="审核通过，销号。")] = False,
    returned: Annotated[bool, typer.Option("--return", help="退回，回到“推进中”（须用 --note 写明原因）。")] = False,
    note: Annotated[str, typer.Option("--note", "-n", help="审核意见；退回时必填。")] = "",
    by: ByOption = None, date: DateOption = None,
) -> None:
    """审核单位报告完成的任务：--pass 销号，--return 退回（任务表 settings 中 review: true 时启用）。"""
    from gwgk_cli.actions import check_when, default_user
    from gwgk_cli.errors import BadValue
    from gwgk_cli.supervision import review as record

    if passed == returned:
        raise BadValue("请给出 --pass（通过，销号）或 --return（退回）其中之一")
    e = env(ctx)
    wanted = _ids(ctx, ids)
    when = check_when(parse_date(date, "日期 --date") if date is not None else None, e.today,
                      e.tracker.header.year)
    e.tracker.progress()
    out = record(e.tracker.journal, e.tracker.plan, wanted, passed=passed, note=note, by=by or default_user(),
                 when=when)
    for task_id, why in out.unchanged:
        typer.echo(clean_line(f"任务 {task_id}：{why}，未重复登记。"))
    for entry in out.written:
        if entry.result == "pass":
            typer.echo(clean_line(f"任务 {entry.task}：审核通过，已销号 {entry.date}"))
        else:
            typer.echo(clean_line(f"任务 {entry.task}：已退回，回到“推进中”（{entry.note}）"))


@command()
def remind(
    ctx: typer.Context,
    unit: UnitOption = None,
    signal: Annotated[str, typer.Option("--signal", metavar="red,yellow",
                                        help="催办哪些信号的任务（默认 red,yellow）。")] = "red,yellow",
    stale_days: StaleDaysOption = None,
    warn_days: WarnDaysOption = None,
    send: Annotated[bool, typer.Option("--send", help="真正发送（默认只显示将发送的内容）。")] = False,
) -> None:
    """催办：按牵头单位汇总红灯、黄灯及久未更新的任务，默认只显示；--send 按 gwgk config 配置的渠道发送。"""
    from gwgk_cli.notify.reminders import build_reminders
    from gwgk_cli.queries import thresholds_for
    from gwgk_cli.signals import SIGNAL_LABELS, parse_signals
    from gwgk_cli.units import resolve_unit

    e = env(ctx)
    plan = e.tracker.plan
    units = {resolve_unit(plan, u).name for u in unit or []}
    from gwgk_cli.cli.options import signal_values

    signals = parse_signals(signal_values([signal]), SIGNAL_LABELS)
    other = signals - {"red", "yellow"}
    if other:
        from gwgk_cli.errors import BadValue

        named = "、".join(f"{s}（{SIGNAL_LABELS[s]}）" for s in sorted(other))
        raise BadValue(f"remind --signal 只能是 red（红）、yellow（黄）或两者，不能是 {named}："
                       "催办只发红灯、黄灯任务；久未更新的任务不论信号总会列入")
    states = e.tracker.progress().states
    reminders, unreachable = build_reminders(plan, states, e.today, thresholds_for(plan, warn_days, stale_days),
                                             units=units, signals=signals)
    ended = last_years_table_line(plan, e.location.table, e.today, "remind", "定时催办")
    if ended:  # a scheduled job still on last year's table chases units in the new year
        typer.echo(clean_line(ended), err=True)
    if not send:
        from gwgk_cli.cli import base
        from gwgk_cli.config import load
        from gwgk_cli.notify.send import destinations

        values = load()
        width = 0  # piped: the messages exactly as they would be sent
        if base.stdout_is_terminal():  # the terminal's width, long lines broken by the Chinese rules
            import shutil

            width = shutil.get_terminal_size().columns

        def show(text: str) -> str:
            from gwgk_cli.render.cjkwrap import fit_lines

            return "\n".join(fit_lines(text, width)) if width else text

        for n, reminder in enumerate(reminders):
            if n:
                typer.echo("")
            typer.echo(show(f"== {reminder.subject}"))
            typer.echo(show(clean_line(f"发送到：{destinations(plan, values, reminder.unit)}")))
            typer.echo(show(reminder.body), nl=False)
        if unreachable:
            typer.echo(f"\n另有任务 {'、'.join(map(str, unreachable))} 只写明集体单位（如“{plan.collective_name}”），无法按单位催办。")
        typer.echo(f"\n共 {len(reminders)} 个单位需催办（未发送；加 --send 按 gwgk config 配置的渠道发送）。", err=True)
        return
    _send(ctx, reminders, unreachable)


def _send(ctx: typer.Context, reminders: "list[Reminder]", unreachable: list[int]) -> None:
    """--send: through the channels of gwgk config (notify/send.py); a table of what happened to each
    unit; exit 1 when any channel failed (the others still sent)."""
    from gwgk_cli.config import config_path, load
    from gwgk_cli.errors import EXIT_PROBLEM
    from gwgk_cli.notify.checks import exposure_problem
    from gwgk_cli.notify.dispatch import Interrupted
    from gwgk_cli.notify.send import OUTCOME_HEADERS, delivery, interrupted_line, outcome_rows, send
    from gwgk_cli.render.report_text import grid

    e = env(ctx)
    if not reminders:
        typer.echo("没有需要催办的单位，未发送。")
        return
    try:
        how = delivery(e.tracker.plan, load(), [r.unit for r in reminders])
        exposed = exposure_problem(config_path())  # a scheduled run's log is where this gets seen
        for note in [*how.notes, *([exposed] if exposed else [])]:
            typer.echo(clean_line(f"提示：{note}"), err=True)
        outcomes = send(reminders, how, e.tracker.journal, e.today)
    except Interrupted as stop:  # Ctrl-C while sending
        typer.echo(clean_line(interrupted_line(stop.outcomes, stop.pending)), err=True)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:  # before the first send (the keyring, the send log's lock)
        typer.echo("已中断：未发送任何消息。", err=True)
        raise typer.Exit(130) from None
    rows = [[" ".join(clean_line(c).split()) for c in row] for row in outcome_rows(outcomes)]
    for line in grid(OUTCOME_HEADERS, rows, indent=""):
        typer.echo(line)
    counts = {status: sum(o.status == status for o in outcomes) for status in ("sent", "skipped", "failed")}
    summary = f"已发送 {counts['sent']} 条，今日已发送而跳过 {counts['skipped']} 条，失败 {counts['failed']} 条。"
    if unreachable:
        summary += f"任务 {'、'.join(map(str, unreachable))} 只写明集体单位，无法按单位催办。"
    typer.echo(summary)
    if counts["failed"]:
        raise typer.Exit(EXIT_PROBLEM)
