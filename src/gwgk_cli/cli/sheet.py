"""`gwgk sheet out|in|status`: 填报表 sent to each unit, read back into the journal, and who has
returned one. The work is in gwgk_cli.sheets; this module parses, calls and prints."""


import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gwgk_cli.cli.base import GwgkCommand, GwgkGroup, app, emit, env, go_ahead
from gwgk_cli.cli.options import UnitOption, half_width_values
from gwgk_cli.errors import BadValue
from gwgk_cli.sanitize import clean_line

if TYPE_CHECKING:
    from gwgk_cli.model import Plan
    from gwgk_cli.sheets.merge import Change, Proposal
    from gwgk_cli.sheets.reader import Problem

sheet_app = typer.Typer(
    cls=GwgkGroup,
    help="填报表：按单位生成推进情况填报表（out），导入各单位发回的填报表（in），撤销一张填报表的导入（undo），"
         "查看报送情况（status）。",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(sheet_app, name="sheet")

PeriodOption = Annotated[
    str | None,
    typer.Option("--period", "-p", metavar="2021-W47|2021-11", callback=half_width_values,
                 help="填报周期：周（2021-W47）或月（2021-11）；默认为 --today 所在的周。", show_default=False),
]


class StatusFormat(str, enum.Enum):
    text = "text"
    json = "json"


@sheet_app.command("out", cls=GwgkCommand)
def out(
    ctx: typer.Context,
    unit: UnitOption = None,
    all_units: Annotated[bool, typer.Option("--all-units", help="为每个单位各生成一份（-o 给出目录）。")] = False,
    period: PeriodOption = None,
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="文件或目录",
                                               help="输出文件（--all-units 时为目录）；默认在当前目录，"
                                                    "文件名如 行财科-推进情况填报表-2021-W47.xlsx。",
                                               show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
) -> None:
    """生成单位的推进情况填报表（.xlsx），发给各单位用 Excel 或 WPS 填写。"""
    import datetime as dt
    import secrets

    from gwgk_cli.cli.deliver import in_use, names_folder
    from gwgk_cli.safe_write import check_output, write_output
    from gwgk_cli.sheets.layout import Identity, default_file_name, fingerprint, rows_for, sheet_units
    from gwgk_cli.sheets.period import period_or_week
    from gwgk_cli.sheets.writer import build_workbook
    from gwgk_cli.units import resolve_unit

    e = env(ctx)
    plan = e.tracker.plan
    when = period_or_week(period, e.today)
    if all_units and unit:
        raise BadValue("--unit 和 --all-units 只能选一个")
    if not all_units and not unit:
        raise BadValue("请用 --unit 指定单位（可重复），或用 --all-units 为每个单位各生成一份")
    units = sheet_units(plan) if all_units else [resolve_unit(plan, u) for u in unit or []]
    collective = [u.name for u in units if u.collective]
    if collective:
        raise BadValue(f"“{collective[0]}”是集体单位，不单独填报；其任务会列入每个单位的填报表")
    folder: Path | None = None
    make_folder = False
    if all_units or len(units) > 1 or (output and names_folder(output)):  # `-o 填报表/`: a folder, made if need be
        folder = Path(output) if output else Path.cwd()
        if not folder.is_dir():
            if not folder.parent.is_dir():
                raise BadValue(f"目录 {folder} 不存在")
            make_folder = True
    elif output and Path(output).is_dir():
        folder = Path(output)
    elif output and not Path(output).suffix:  # `-o 第47周`: 第47周.xlsx (a file without it, sheet in would refuse)
        output += ".xlsx"
    fp = fingerprint(plan)
    states = e.tracker.progress().states
    used = in_use(ctx)  # the table, the journal (file or directory), their locks, the send log
    targets = [folder / default_file_name(u.name, when.key) if folder else Path(output or default_file_name(u.name, when.key))
               for u in units]
    if make_folder and folder is not None:  # not inside a journal directory either
        check_output(folder, force=force, in_use=used)
        folder.mkdir()
    else:  # every file checked before any is written: a refusal leaves nothing half done
        if output and folder is None:  # the file in use named as such first, then the extension
            from gwgk_cli.cli.deliver import output_format

            check_output(Path(output), force=True, in_use=used)
            output_format("sheet out", output, None, "xlsx")  # 填报表.xls would be an .xlsx Excel refuses to open
        for target in targets:
            check_output(target, force=force, in_use=used)
        if force:  # a unit's answers are never written over, --force or not
            from gwgk_cli.sheets.reader import filled_in

            kept = [t for t in targets if t.is_file() and filled_in(t)]
            if kept:
                raise BadValue(f"{clean_line(str(kept[0]))} 已填有内容（可能是单位发回、尚未导入的填报表），未覆盖"
                               f"{'（另有 ' + str(len(kept) - 1) + ' 个同样）' if len(kept) > 1 else ''}：请先 gwgk sheet in "
                               "导入或移走它，或换一个文件名或目录")
    for u, target in zip(units, targets, strict=True):
        rows = rows_for(plan, states, u)
        identity = Identity(fingerprint=fp, table=plan.title, year=plan.year, unit=u.name, period=when.key,
                            sheet_id=secrets.token_hex(6), created=dt.date.today().isoformat())
        info = (f"填报单位：{u.name}　　填报周期：{when.label}　　任务表：{plan.title}　　表号：{identity.sheet_id}")
        data = build_workbook(identity, rows, title=f"{plan.title}推进情况填报表", info=info,
                              footer=f"{u.name}　{when.label}　表号 {identity.sheet_id}")
        write_output(target, data, force=force, in_use=used)
        shared = sum(r.via_collective for r in rows)
        extra = f"，其中集体任务 {shared} 项" if shared else ""
        typer.echo(f"已生成 {clean_line(str(target))}（{u.name}，{when.label}，{len(rows)} 项任务{extra}）")


@sheet_app.command("in", cls=GwgkCommand)
def in_(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="各单位发回的填报表（.xlsx；.xls、.et 需安装 LibreOffice），"
                                                     "也可给出目录或 *.xlsx 这样的通配符。", metavar="FILE",
                                                show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不询问，直接登记预览中的内容。")] = False,
    partial: Annotated[bool, typer.Option("--partial", help="有问题的行和文件跳过，其余照常登记（默认：有任何问题则都不登记）；"
                                                          "退出码：0 全部登记，1 有跳过，2 因问题未登记任何内容。")] = False,
    force: Annotated[bool, typer.Option("--force", help="同一张填报表（表号相同）的另一版本看不出比已导入的新时，照样导入。")] = False,
) -> None:
    """导入各单位发回的填报表：先预览每项任务将登记的内容，加 --yes（或在终端确认）后记入进展记录。"""
    from gwgk_cli.sheets.merge import propose, record, simulate
    from gwgk_cli.sheets.reader import expand_paths, read_returned
    from gwgk_cli.sheets.versions import same_sheet_in_call

    e = env(ctx)
    plan = e.tracker.plan
    progress = e.tracker.progress(need_entries=True)
    states = {tid: progress.states[tid] for tid in progress.states}
    entries = list(progress.entries or [])
    proposals: list[Proposal] = []  # each decided on the journal as the ones before it will leave it
    sheets = [read_returned(path, plan, today=e.today, display=str(path)) for path in expand_paths(files)]
    same_sheet_in_call(sheets, e.today, force=force)
    for sheet in sheets:
        proposal = propose(sheet, plan, states, entries, today=e.today, force=force)
        proposals.append(proposal)
        states, entries = simulate(proposal, states, entries)
    problems = [p for proposal in proposals for p in sorted(proposal.sheet.problems, key=lambda p: p.order)]
    for proposal in proposals:
        _preview(proposal, plan)
    for problem in problems:
        typer.echo(f"问题：{clean_line(str(problem))}", err=True)
    fatal = [p.sheet.name for p in proposals if p.sheet.fatal]
    total = sum(c.entries for p in proposals for c in p.changes)
    if problems and not partial:
        rest = "，或加 --partial 只登记没有问题的行" if total else ""  # --partial only helps when something is left
        raise BadValue(f"共 {len(problems)} 处问题，未登记任何内容（请改正后重新导入{rest}）")
    if total == 0:
        typer.echo("没有需要登记的变更。")
        _skipped(problems, fatal, recorded=False)
        return
    where = clean_line(e.location.where())  # the journal and the table, named before anything is recorded
    if not go_ahead(yes, f"预览：将登记 {total} 条记录，记入 {where}，现未登记任何内容（确认无误后加 --yes 登记）。",
                     f"登记以上 {total} 条记录（记入 {where}）？", "未登记。"):
        return
    written = record(proposals, e.location.journal, plan, today=e.today, force=force)  # all, or nothing
    if not written:  # everything in the preview was recorded meanwhile (the same file imported elsewhere)
        typer.echo("没有需要登记的变更（预览中的内容已由另一次导入登记）。")
        _skipped(problems, fatal, recorded=False)
        return
    tasks = "、".join(str(t) for t in dict.fromkeys(w.task for w in written))
    skipped = f"；另有 {len(problems)} 处问题未登记" if problems else ""
    typer.echo(f"已登记 {len(written)} 条记录（任务 {tasks}），记入 {where}{skipped}。")
    _skipped(problems, fatal, recorded=True)


def _skipped(problems: list["Problem"], fatal: list[str], *, recorded: bool) -> None:
    """--partial's exit status: 0 when nothing was skipped; 1 when something was recorded and something
    skipped (a scheduler or a script must see that a row or a file was not); 2 when problems left nothing
    to record."""
    if not problems:
        return
    if not recorded:
        files = f"，其中 {len(fatal)} 个文件无法导入" if fatal else ""
        raise BadValue(f"共 {len(problems)} 处问题{files}，没有登记任何内容")
    from gwgk_cli.errors import EXIT_PROBLEM

    if fatal:
        typer.echo(f"{len(fatal)} 个文件无法导入：{clean_line('、'.join(fatal))}", err=True)
    raise typer.Exit(EXIT_PROBLEM)


def _change_text(change: "Change") -> str:
    parts = []
    if change.status_to is not None and change.status_from is not None:
        parts.append(f"{change.status_from.label} → {change.status_to.label}")
    if change.percent is not None:
        parts.append(f"进度 {change.percent}%")
    if change.note:
        parts.append(f"进展“{change.note}”")
    if change.evidence:
        parts.append(f"佐证 {change.evidence}")
    parts.append(f"{change.by} {change.when}")
    return clean_line("；".join(parts))


def _preview(proposal: "Proposal", plan: "Plan") -> None:
    sheet = proposal.sheet
    if sheet.fatal or sheet.period is None:
        typer.echo(f"{clean_line(sheet.name)}：无法导入（见下方问题）")
        return
    again = (f"（与前一文件 {sheet.same_as} 相同）" if sheet.same_as
             else "（此文件此前已导入过）" if proposal.already_imported else "")
    typer.echo(f"{clean_line(sheet.name)}：{sheet.unit}，{sheet.period.label}{again}")
    for notice in [*sheet.notices, *proposal.notices]:
        typer.echo(f"  {clean_line(notice)}")
    for change in proposal.changes:
        typer.echo(f"  任务 {change.task_id} {clean_line(change.title)}：{_change_text(change)}")
    for change in [*proposal.changes, *proposal.withdrawn]:
        if change.withdrawn:
            typer.echo(f"  任务 {change.task_id} {clean_line(change.title)}：此文件登记过的{'、'.join(change.withdrawn)}"
                       "已撤销，不再登记")
    shared = [u for change in proposal.changes if change.shared and (task := plan.task(change.task_id))
              for u in task.units if u in plan.collective_units]
    if shared:
        names = list(dict.fromkeys(shared))
        typer.echo(clean_line(f"  {'、'.join(f'【{n}】' for n in names)}的任务由{'、'.join(names)}共同承担：本单位所填状态和完成"
                              "进度只记入进展说明，不改变任务的状态和进度（由指导办确定）"))
    if proposal.unchanged:
        typer.echo(f"  无变化：任务 {'、'.join(map(str, proposal.unchanged))}")
    if not proposal.changes and not proposal.unchanged and not proposal.withdrawn and not sheet.problems:
        typer.echo("  未填写任何内容")


@sheet_app.command("undo", cls=GwgkCommand)
def undo(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="导入过的填报表文件（与导入时同一文件）。", metavar="FILE",
                                                show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不询问，直接撤销预览中的记录。")] = False,
) -> None:
    """撤销某张填报表导入的全部记录（导错了文件、周期或单位时）：先列出将撤销的记录，确认后一并撤销。

    只撤销这一文件（内容完全相同）登记且仍有效的记录；撤销本身记入历史。其中某条之后若还有以它为前提的
    状态变更，则一条也不撤销，并说明须先撤销哪一条。撤销后同一文件再导入也不会重新登记这些内容；
    改正后的文件可以再导入。"""
    import hashlib

    from gwgk_cli.actions import default_user, undo_entries
    from gwgk_cli.errors import EXIT_PROBLEM
    from gwgk_cli.journal_entry import entry_record
    from gwgk_cli.reading import MIB, read_named_file
    from gwgk_cli.render.history import change_text
    from gwgk_cli.sheets.reader import expand_paths
    from gwgk_cli.sheets.returns import recorded_from
    from gwgk_cli.store import load_task_ids

    e = env(ctx)
    valid, _ = load_task_ids(e.location.table)
    entries = list(e.tracker.progress(need_entries=True).entries or [])
    targets = []
    for path in expand_paths(files):
        found = recorded_from(entries, hashlib.sha256(read_named_file(path, 64 * MIB, "填报表")).hexdigest(),
                              e.today, valid)
        typer.echo(clean_line(f"{path}：{'导入的记录 ' + str(len(found)) + ' 条' if found else '没有仍有效的导入记录'}"))
        for entry in found:
            what = change_text(entry_record(entry))
            if entry.op == "note" and entry.percent is not None:
                what += f" {entry.percent}%"
            if entry.note:
                what += f"“{entry.note[:40]}{'…' if len(entry.note) > 40 else ''}”"
            typer.echo(clean_line(f"  任务 {entry.task}：{what}（{entry.by or '未署名'} {entry.date}，记录 {entry.id}）"))
        targets += found
    if not targets:
        typer.echo("没有可撤销的记录（这些文件未导入过，或导入的记录已撤销）。")
        raise typer.Exit(EXIT_PROBLEM)
    where = clean_line(e.location.where())
    if not go_ahead(yes, f"预览：将撤销 {len(targets)} 条记录（{where}），现未撤销任何内容（确认无误后加 --yes 撤销）。",
                     f"撤销以上 {len(targets)} 条记录（{where}）？", "未撤销。"):
        return
    done = undo_entries(e.location.journal, valid, [t.id for t in targets], by=default_user(), today=e.today)
    tasks = "、".join(str(t) for t in dict.fromkeys(sorted(u.entry.task for u in done)))
    typer.echo(f"已撤销 {len(done)} 条记录（任务 {tasks}）。")


@sheet_app.command("status", cls=GwgkCommand)
def status(
    ctx: typer.Context,
    period: PeriodOption = None,
    fmt: Annotated[StatusFormat, typer.Option("--format", "-F", help="输出格式：text（默认）| json。")] = StatusFormat.text,
) -> None:
    """查看某一填报周期哪些单位已报送填报表、哪些尚未报送（催报名单）及报送时间。"""
    from gwgk_cli.sheets.period import period_or_week
    from gwgk_cli.sheets.returns import returns_for

    e = env(ctx)
    plan = e.tracker.plan
    when = period_or_week(period, e.today)
    result = returns_for(plan, e.tracker.progress(need_entries=True).entries or [], when)
    if fmt is StatusFormat.json:
        from gwgk_cli.render import plain

        emit(plain.json_text({
            "period": when.key, "start": when.start.isoformat(), "end": when.end.isoformat(),
            "returned": [{"unit": r.unit, "first": r.first.isoformat(), "last": r.last.isoformat(),
                          "entries": r.entries, "by": r.by, "files": r.files} for r in result.returned],
            "missing": result.missing,
        }))
        return
    # A count of none ends with 。, not with a colon over nothing.
    lines = [f"填报周期：{when.label}", f"已报送 {len(result.returned)} 个单位" + ("：" if result.returned else "。")]
    for r in result.returned:
        day = str(r.last) if r.first == r.last else f"{r.first}—{r.last}"
        lines.append(clean_line(f"  {r.unit}　{day}　{'、'.join(r.by)}　{r.entries} 条　{'、'.join(r.files)}"))
    lines.append(f"未报送 {len(result.missing)} 个单位（催报）：" if result.missing else "未报送 0 个单位：全部已报送。")
    lines += [f"  {name}" for name in result.missing]
    emit("\n".join(lines) + "\n")
