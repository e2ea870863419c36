"""Options and checks shared by several command modules (no commands here, so importing it registers none)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gwgk_cli.cli.complete import complete_task_id, complete_unit
from gwgk_cli.model import Plan

if TYPE_CHECKING:
    from pathlib import Path

    from gwgk_cli.signals import Thresholds
    from gwgk_cli.store import Tracker

LIST_SEPARATORS = ",，、;；"


def split_values(values: list[str] | None) -> list[str] | None:
    """A repeatable option's values with the lists typed in one value split: `--unit 指导办，行财科` is
    `--unit 指导办 --unit 行财科` (separators , ， 、 ; ；). The callback of every repeatable option."""
    if values is None:
        return None
    import re

    out: list[str] = []
    for value in values:
        parts = [p.strip() for p in re.split(f"[{LIST_SEPARATORS}]", value)]
        out.extend(p for p in parts if p) if any(parts) else out.append(value)
    return out


def half_width_values(value: Any) -> Any:
    """An option's or argument's text (or list of texts) of numbers, ids, weeks or periods with full-width
    digits, ％ and － made ASCII (cli.base.half_width): `１４－１６`, `２０２１-Ｗ47` read as typed in ASCII."""
    from gwgk_cli.cli.base import half_width

    if value is None:
        return None
    if isinstance(value, str):
        return half_width(value)
    return [half_width(v) if isinstance(v, str) else v for v in value]


def signal_values(values: list[str] | None) -> list[str] | None:
    """--signal's words split as split_values does, 红色/黄色/绿色 read as 红/黄/绿 (as 红灯 is)."""
    words = split_values(values)
    if words is None:
        return None
    return [w[:-1] if len(w) == 2 and w[1] == "色" and w[0] in "红黄绿" else w for w in words]


UnitOption = Annotated[
    list[str] | None,
    typer.Option("--unit", "-u", metavar="单位", callback=split_values,
                 help="责任单位：全称、别名、拼音首字母或唯一的部分名称（可重复，或用顿号、逗号隔开，任一匹配）。",
                 autocompletion=complete_unit, show_default=False),
]
IdsArgument = Annotated[
    list[str], typer.Argument(callback=half_width_values, help="任务序号，可写 4、4,15 或 14-16；多个序号要么全部登记，要么都不登记。",
                              autocompletion=complete_task_id, show_default=False)
]
NoteOption = Annotated[str, typer.Option("--note", "-n", help="说明（受阻原因、进展等）。")]
ByOption = Annotated[
    str | None, typer.Option("--by", help="登记人（默认：环境变量 GWGK_USER，否则配置 user.name，否则 git 的 user.name，否则登录名）。",
                             show_default=False)
]
DateOption = Annotated[
    str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="补记较早发生的变更（不得晚于 --today）。",
                             show_default=False)
]
WarnDaysOption = Annotated[
    int | None, typer.Option("--warn-days", min=0, help="到期前多少天亮黄灯（默认：配置 report.warn_days，否则任务表 settings，否则 30）。",
                             show_default=False)
]
StaleDaysOption = Annotated[
    int | None, typer.Option("--stale-days", min=1, help="持续推进事项多少天未更新亮黄灯（默认：配置 report.stale_days，否则任务表 settings，否则 30）。",
                             show_default=False)
]


def thresholds(plan: Plan, warn_days: int | None = None, stale_days: int | None = None) -> Thresholds:
    """The warning thresholds: option > config (report.warn_days / report.stale_days) > the table's
    settings > the defaults."""
    from gwgk_cli.config import get_int
    from gwgk_cli.queries import thresholds_for

    if warn_days is None:
        warn_days = get_int("report.warn_days")
    if stale_days is None:
        stale_days = get_int("report.stale_days")
    return thresholds_for(plan, warn_days, stale_days)


def year_ended_line(plan: Plan, today: dt.date, command: str) -> str | None:
    """Said once, in the footer, when the reference date is past the table's year (every task would
    be red "逾期 1796 天": true, but not what someone looking at that year wants)."""
    if today <= dt.date(plan.year, 12, 31):
        return None
    return f"任务表的年度（{plan.year} 年）已结束；查看当年情况请指定该年内的日期，例如 gwgk --today {plan.year}-12-31 {command}"


def last_years_table_line(plan: Plan, table: Path, today: dt.date, command: str, job: str) -> str | None:
    """For check and remind, which scheduled jobs run: the table's year has ended and either a later year's
    table lies beside it or the new year is a quarter old — the job is most likely still on last year's
    table (year_ended_line with what to do). In early January, chasing last year's tasks is normal."""
    ended = year_ended_line(plan, today, command)
    if ended is None:
        return None
    from gwgk_cli.paths import is_table_name

    try:
        newer = [p.name for p in table.parent.iterdir() if is_table_name(p.name) and int(p.name[6:10]) > plan.year]
    except OSError:
        newer = []
    if not newer and today < dt.date(plan.year + 1, 4, 1):
        return None
    beside = f"，旁边已有 {'、'.join(sorted(newer))}" if newer else ""
    return f"{ended}（{job}请改用新年度的任务表{beside}）"


def check_ids(tracker: Tracker, ids: list[int]) -> list[int]:
    """All-or-nothing: every id must exist, or nothing happens."""
    from gwgk_cli.queries import require_ids

    known = tracker.known_ids(ids)  # only these ids looked up; the id range only for the error message
    return require_ids(ids, known, tracker.id_range() if not known.issuperset(ids) else "")
