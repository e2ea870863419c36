"""The weekly report, the 通报 and the whole-tracker export: `gwgk report`, `gwgk bulletin`, `gwgk export`."""


import enum
from pathlib import Path
from typing import Annotated

import typer

from gwgk_cli.cli.base import command, env, parse_date, stdout_is_terminal
from gwgk_cli.cli.deliver import ForceOption, OutputOption, deliver, deliver_bytes, output_to
from gwgk_cli.cli.options import StaleDaysOption, UnitOption, WarnDaysOption, half_width_values, thresholds
from gwgk_cli.sanitize import clean_line


class ReportFormat(str, enum.Enum):
    text = "text"
    md = "md"
    html = "html"
    docx = "docx"


class ExportFormat(str, enum.Enum):
    json = "json"
    csv = "csv"
    yaml = "yaml"
    xlsx = "xlsx"




@command()
def report(
    ctx: typer.Context,
    week: Annotated[str | None, typer.Option("--week", "-w", metavar="周", callback=half_width_values,
                                             help="ISO 周，例如 2021-W47（默认：--today 所在的周）。",
                                             show_default=False)] = None,
    start: Annotated[str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="自定义期间的第一天（与 --to 同用）。",
                                              show_default=False)] = None,
    end: Annotated[str | None, typer.Option("--to", metavar="YYYY-MM-DD", help="自定义期间的最后一天（与 --from 同用）。",
                                            show_default=False)] = None,
    unit: UnitOption = None,
    collective: Annotated[
        bool, typer.Option("--collective", help="按单位筛选时，同时计入只写“各相关科室”的任务。")
    ] = False,
    fmt: Annotated[ReportFormat | None, typer.Option("--format", "-F",
                                                     help="text（默认）| md | html（A4 打印）| docx（公文格式 Word，需 -o）。"
                                                          "-o 为 .md/.html/.docx 文件时可省略。",
                                                     show_default=False)] = None,
    output: OutputOption = None,
    notes: Annotated[str | None, typer.Option("--notes", metavar="FILE",
                                              help="“存在问题”“下一步工作”：Markdown（## 标题）或 YAML 文件。",
                                              show_default=False)] = None,
    by: Annotated[str | None, typer.Option("--by", metavar="NAME", help="编制人（默认：环境变量 GWGK_USER，否则配置 user.name，否则 git 的 user.name，否则登录名并注明）。",
                                           show_default=False)] = None,
    warn_days: WarnDaysOption = None,
    stale_days: StaleDaysOption = None,
    force: ForceOption = False,
    issue_no: Annotated[int | None, typer.Option("--issue-no", metavar="N", min=1,
                                                 help="期号（第 N 期；默认按周从任务表年度第一期起算）。",
                                                 show_default=False)] = None,
    send_to: Annotated[str | None, typer.Option("--send-to", metavar="TEXT", help="报送单位（版记“报送：”一行）。",
                                                show_default=False)] = None,
    copy_to: Annotated[str | None, typer.Option("--copy-to", metavar="TEXT", help="抄送单位（版记“抄送：”一行）。",
                                                show_default=False)] = None,
    signer: Annotated[str | None, typer.Option("--signer", metavar="UNIT", help="落款单位（默认：任务表的发文单位）。",
                                               show_default=False)] = None,
) -> None:
    """生成周报：总体情况、各单位进度、本周进展、预警、下周到期与持续推进事项。"""
    from dataclasses import replace

    from gwgk_cli.config import default_user
    from gwgk_cli.queries import TaskFilter, candidate_units
    from gwgk_cli.report import build_report, load_notes, office_form, resolve_period
    from gwgk_cli.units import resolve_unit

    e = env(ctx)
    # before any work: a refused -o changes nothing
    out = ReportFormat(output_to(ctx, "report", output, force, fmt.value if fmt else None, "text"))
    period = resolve_period(e.today, week, parse_date(start, "日期 --from") if start is not None else None,
                            parse_date(end, "日期 --to") if end is not None else None)
    note_data = load_notes(Path(notes)) if notes else None
    plan = e.tracker.header
    units = [resolve_unit(plan, u) for u in unit or []]
    names = candidate_units(plan, TaskFilter(units=units))
    wanted = frozenset(u.name for u in units)
    hidden = 0
    if names is None:
        plan = e.tracker.plan
    elif collective or names == wanted:  # a unit's report: only its tasks (and those of collective units) built
        plan = replace(plan, tasks=tuple(e.tracker.tasks(units=names)))
    else:  # those only a collective unit names are left out of the report: counted, not built
        own = e.tracker.tasks(units=wanted)
        hidden = e.tracker.count_tasks(units=names) - len(own)
        plan = replace(plan, tasks=tuple(own))
    # The states and the period's changes come from the tracker (the index): no line before the period is read.
    weekly = build_report(plan, e.tracker, period=period, today=e.today, by=by or _compiler(default_user()),
                          thresholds=thresholds(plan, warn_days, stale_days), units=units,
                          include_collective=collective, notes=note_data,
                          office=office_form(plan.settings, issue_no=issue_no, send_to=send_to, copy_to=copy_to,
                                             signer=signer), hidden_elsewhere=hidden)
    if out is ReportFormat.docx:
        from gwgk_cli.render.report_docx import report_docx

        deliver_bytes(ctx, report_docx(weekly), output, "周报（docx）", force)
        return
    if out is ReportFormat.text and output is None and stdout_is_terminal():
        from gwgk_cli.render.report_text import print_report

        print_report(weekly)
        return
    if out is ReportFormat.html:
        from gwgk_cli.render.report_html import report_html as render
    elif out is ReportFormat.md:
        from gwgk_cli.render.report_md import report_markdown as render
    else:
        from gwgk_cli.render.report_text import report_text as render
    deliver(ctx, render(weekly), output, f"周报（{out.value}）", force)


class BulletinFormat(str, enum.Enum):
    text = "text"
    md = "md"
    html = "html"
    docx = "docx"
    xlsx = "xlsx"




@command()
def bulletin(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Option(
        "--period", "-p", metavar="期间", callback=half_width_values,
        help="只通报完成时限在此期间的任务：2021、2021-11、2021-Q4、2021-W47 或 2021-10-01..2021-12-31"
             "（默认：全部任务，截至 --today）。", show_default=False)] = None,
    fmt: Annotated[BulletinFormat | None, typer.Option(
        "--format", "-F", help="text（默认）| md | html | docx（公文格式，需 -o）| xlsx（需 -o）；-o 的扩展名可代替。",
        show_default=False)] = None,
    addressee: Annotated[str | None, typer.Option(
        "--addressee", metavar="主送机关", help="主送机关，写在标题下、居左顶格，如 --addressee 各科室（默认不写；xlsx 不写）。",
        show_default=False)] = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """通报：各单位牵头任务的按时完成、逾期完成、逾期未完成、延期、退回、平均逾期天数和最近更新，按得分或按时完成率排名。"""
    from gwgk_cli.bulletin import build_bulletin, bulletin_date, clean_addressee, parse_period
    from gwgk_cli.supervision import review_entries

    e = env(ctx)
    addressee = clean_addressee(addressee) if addressee is not None else ""
    # before any work: a refused -o changes nothing
    out = BulletinFormat(output_to(ctx, "bulletin", output, force, fmt.value if fmt else None, "text"))
    chosen = parse_period(period) if period is not None else None
    plan = e.tracker.plan
    as_of = bulletin_date(e.today, chosen)
    states = e.tracker.progress().states  # the replay from the index, as of --today
    if as_of != e.today:  # a period that ended earlier: the replay as of its end
        from gwgk_cli.store import load_progress

        states = load_progress(e.tracker.journal, plan, as_of=as_of).states
    data = build_bulletin(plan, review_entries(e.tracker.journal), today=e.today, period=chosen, states=states)
    if addressee:
        from dataclasses import replace

        data = replace(data, addressee=addressee)
    if out is BulletinFormat.docx:
        from gwgk_cli.render.bulletin_docx import bulletin_docx

        deliver_bytes(ctx, bulletin_docx(data), output, "通报（docx）", force)
        return
    if out is BulletinFormat.xlsx:
        from gwgk_cli.render.bulletin_xlsx import bulletin_xlsx

        if addressee:  # a table of figures has no 主送 line: said, not dropped silently
            typer.echo("提示：xlsx 通报表不写主送机关（--addressee 只用于 docx、html、md 和文本）", err=True)

        deliver_bytes(ctx, bulletin_xlsx(data), output, "通报（xlsx）", force)
        return
    if out is BulletinFormat.html:
        from gwgk_cli.render.bulletin_html import bulletin_html as render
    elif out is BulletinFormat.md:
        from gwgk_cli.render.bulletin_text import bulletin_markdown as render
    else:
        from gwgk_cli.render.bulletin_text import bulletin_text as render
    deliver(ctx, render(data), output, f"通报（{out.value}）", force)


@command()
def export(
    ctx: typer.Context,
    chosen: Annotated[ExportFormat | None, typer.Option(
        "--format", "-F", help="json（默认）| csv（带 BOM，Excel/WPS 可直接打开）| yaml | xlsx（台账工作簿，需 -o）；"
                               "-o 的扩展名可代替。", show_default=False)] = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """导出全部任务：任务表、当前状态、信号和最近进展，每项任务一条记录。"""
    from gwgk_cli.render import plain
    from gwgk_cli.report import export_records

    e = env(ctx)
    # first: a file that must never be written is named as such, then the extension
    fmt = ExportFormat(output_to(ctx, "export", output, force, chosen.value if chosen else None, "json"))
    plan = e.tracker.plan
    recs = export_records(plan, e.tracker.progress().states, e.today, thresholds(plan),
                          extra=fmt in (ExportFormat.csv, ExportFormat.xlsx))
    if fmt is ExportFormat.xlsx:
        from gwgk_cli.render.xlsx_ledger import ledger_xlsx
        from gwgk_cli.report import history_rows

        progress = e.tracker.progress(need_entries=True)
        data = ledger_xlsx(plan, recs, history_rows(plan, progress.entries or [], e.today), today=e.today)
        deliver_bytes(ctx, data, output, f" {len(recs)} 项任务（xlsx）", force)
        return
    if fmt is ExportFormat.csv:
        from gwgk_cli.report import EXPORT_COLUMNS

        text = plain.csv_text(recs, [*plain.CSV_BASE_COLUMNS, *EXPORT_COLUMNS, plain.ACCEPT_COLUMN])
    elif fmt is ExportFormat.yaml:
        from gwgk_cli.render.plain import yaml_text

        text = yaml_text(recs)
    else:
        text = plain.json_text(recs)
    deliver(ctx, text, output, f" {len(recs)} 项任务（{fmt.value}）", force)


def _compiler(user: tuple[str, str]) -> str:
    """The report's 编制人. A bare login name (root, Administrator) is not a person's name: the report
    says that it is one, and stderr says how to set the real name once."""
    name, source = user
    if source != "login":
        return name
    typer.echo(clean_line(f"提示：未设置姓名，编制人暂写登录名 “{name}”；请运行 gwgk config set user.name 您的姓名"), err=True)
    return f"{name}（系统登录名）"
