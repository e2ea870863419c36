"""Read-side commands: list, show, units, sections, doctor, info."""


import enum
import sys
from typing import Annotated, Any

import typer

from gwgk_cli.cli.base import Format, FormatOption, command, emit, env, parse_date, pick_format
from gwgk_cli.cli.complete import complete_section, complete_signal, complete_status, complete_task_id
from gwgk_cli.cli.deliver import ForceOption, OutputOption, deliver_bytes, output_to
from gwgk_cli.cli.options import (
    StaleDaysOption,
    UnitOption,
    WarnDaysOption,
    check_ids,
    half_width_values,
    signal_values,
    split_values,
    thresholds,
    year_ended_line,
)
from gwgk_cli.errors import BadValue, GwgkError
from gwgk_cli.model import Status, parse_statuses
from gwgk_cli.render import plain
from gwgk_cli.render.listing import list_footer, render_rows
from gwgk_cli.sanitize import clean, clean_line


class ListFormat(str, enum.Enum):
    table = "table"
    tsv = "tsv"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@command("list")
def list_tasks(
    ctx: typer.Context,
    unit: UnitOption = None,
    lead: Annotated[bool, typer.Option("--lead", help="只列出该单位牵头（排名第一）的任务。")] = False,
    collective: Annotated[
        bool, typer.Option("--collective", help="同时列出只写“各相关科室”的任务（标注 [各相关科室]）。")
    ] = False,
    section: Annotated[
        str | None, typer.Option("--section", "-s", help="部分：一…五、1…5 或标题中的词。",
                                 autocompletion=complete_section, show_default=False)
    ] = None,
    subsection: Annotated[
        str | None, typer.Option("--subsection", help="小节：（一）/一/1（需 --section）或标题中的词。", show_default=False)
    ] = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", metavar="状态", callback=split_values, help="状态：todo/未开始、doing/推进中、done/已完成、blocked/受阻；督办：unaccepted/未签收、review/待审核、closed/已销号（可重复）。",
                                       autocompletion=complete_status, show_default=False)
    ] = None,
    search: Annotated[str | None, typer.Option("--search", "-q", help="在任务标题和具体要求中查找文字。",
                                               show_default=False)] = None,
    due_before: Annotated[
        str | None, typer.Option("--due-before", help="只列出到期日早于该日期的任务（YYYY-MM-DD）。", show_default=False)
    ] = None,
    signal: Annotated[
        list[str] | None, typer.Option("--signal", metavar="信号", callback=signal_values,
                                       help="信号：red/红、yellow/黄、green/绿、done/已完成（可重复，或用顿号、逗号隔开）。",
                                       autocompletion=complete_signal, show_default=False)
    ] = None,
    warn_days: WarnDaysOption = None,
    stale_days: StaleDaysOption = None,
    fmt: Annotated[ListFormat | None, typer.Option(
        "--format", "-F", help="输出格式：table（终端默认）| tsv（管道默认）| json | csv | xlsx（台账工作簿，需 -o）。",
        show_default=False)] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    wide: Annotated[bool, typer.Option("--wide", help="终端表格显示全部列（时限、全部责任单位、完整提示），不按窗口宽度精简。")] = False,
) -> None:
    """列出任务，可按单位、部分、状态、到期日等筛选（条件同时满足）。"""
    from gwgk_cli.queries import (
        TaskFilter,
        records,
        resolve_section,
        resolve_subsection,
        select_tracked,
        signals_of,
    )
    from gwgk_cli.signals import parse_signals
    from gwgk_cli.units import resolve_unit

    e = env(ctx)
    if output is not None and fmt is ListFormat.table:
        raise BadValue("终端表格不能写入文件：-o 请配合 --format xlsx、csv、tsv 或 json")
    chosen = output_to(ctx, "list", output, force, fmt.value if fmt is not None else None, "csv")
    plan = e.tracker.header
    statuses, states = parse_statuses(status)
    flt = TaskFilter(
        units=[resolve_unit(plan, u) for u in unit or []],
        lead_only=lead,
        include_collective=collective,
        statuses=statuses,
        states=states,
        search=search or "",
        due_before=parse_date(due_before, "日期 --due-before") if due_before is not None else None,
    )
    sec = resolve_section(plan, section) if section is not None else None
    if sec:
        flt.section = sec.no
    if subsection is not None:
        sec2, sub = resolve_subsection(plan, subsection, sec)
        flt.section, flt.subsection = sec2.no, sub.no
    wanted_signals = parse_signals(signal)
    today = e.today
    plan, selection = select_tracked(e.tracker, flt)
    limits = thresholds(plan, warn_days, stale_days)
    recs = records(plan, selection.rows, today, limits)
    hidden = signals_of(plan, selection.hidden, today, limits) if not collective else []
    # The warnings are counted before --signal (`list --signal red` saying 黄灯 0 项 contradicted warn: found by a
    # tester); the tasks left out after it.
    left_out = len([s for s in hidden if s in wanted_signals]) if wanted_signals else len(hidden)
    footer = list_footer(recs, hidden, collective, plan.collective_name, left_out)
    if wanted_signals:
        recs = [r for r in recs if r["signal"] in wanted_signals]
    ended = year_ended_line(plan, today, "list")
    if ended:
        footer.append(ended)
    if chosen == "xlsx":
        from gwgk_cli.render.xlsx_ledger import ledger_xlsx
        from gwgk_cli.report import history_rows

        shown = {r["id"] for r in recs}
        full = e.tracker.plan  # the workbook names the tasks of its history rows
        entries = [x for x in e.tracker.entries(shown, with_undos=True) if x.task in shown]
        data = ledger_xlsx(full, recs, history_rows(full, entries, today), today=today)
        deliver_bytes(ctx, data, output, f" {len(recs)} 项任务（xlsx）", force)
        return
    if output is not None:  # a file: the text formats as they would be piped (csv by default)
        from gwgk_cli.cli.deliver import deliver

        text = (plain.json_text(recs) if chosen == "json" else
                plain.csv_text(recs, plain.CSV_TASK_COLUMNS) if chosen == "csv" else plain.tsv(recs, plain.TASK_COLUMNS))
        deliver(ctx, text, output, f" {len(recs)} 项任务（{chosen}）", force)
        return
    out = pick_format(Format(fmt.value) if fmt is not None else None)
    if out is Format.json:
        emit(plain.json_text(recs))
    elif out is Format.csv:
        emit(plain.csv_text(recs, plain.CSV_TASK_COLUMNS))
    elif out is Format.tsv:
        emit(plain.tsv(recs, plain.TASK_COLUMNS))
        for line in footer:
            print(line, file=sys.stderr)
    else:
        from gwgk_cli.render.rich_views import print_tasks

        caption = f"任务表：{e.location.table}（{e.location.how}） · 参照日期 {today} · 共 {len(recs)} 项"
        print_tasks(recs, caption=caption, footer=footer, wide=wide)


@command("show")
def show(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="任务序号，可写 4、4,15 或 14-16。", autocompletion=complete_task_id,
                                             callback=half_width_values,
                                             show_default=False)],
    fmt: FormatOption = None,
) -> None:
    """显示任务的全部信息：具体要求、责任单位、时限、状态和进展记录。"""
    from gwgk_cli.journal_entry import entry_record, history
    from gwgk_cli.queries import Row, parse_ids, records

    e = env(ctx)
    wanted = check_ids(e.tracker, parse_ids(ids))
    plan = e.tracker.header
    tasks = {t.id: t for t in e.tracker.tasks(wanted)}
    states = e.tracker.states(wanted)
    rows = [Row(tasks[i], states[i]) for i in wanted if i in tasks]
    recs = records(plan, rows, e.today, thresholds(plan))
    titles = {t.id: t.title for t in tasks.values()}
    hist: dict[int, list[dict[str, Any]]] = {i: [] for i in wanted}
    for entry in history(e.tracker.entries(wanted), as_of=e.today):
        if entry.task in hist:
            hist[entry.task].append(entry_record(entry, titles))
    out = pick_format(fmt)
    if out is Format.json:
        for rec in recs:
            rec["history"] = hist[rec["id"]]
        emit(plain.json_text(recs[0] if len(recs) == 1 else recs))
        return
    if out in (Format.csv, Format.tsv):
        emit((plain.csv_text if out is Format.csv else plain.tsv)(recs, plain.CSV_TASK_COLUMNS))
        return
    from gwgk_cli.render.listing import print_show

    print_show(recs, hist)


@command("units")
def units(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """列出责任单位：别名、拼音首字母、任务数（总数、牵头、各状态）。"""
    from gwgk_cli.queries import unit_records

    e = env(ctx)
    rows = unit_records(e.tracker.plan, e.tracker.progress().states)
    out = pick_format(fmt)
    columns: list[plain.Column] = [
        ("单位", lambda r: r["name"]),
        ("别名", lambda r: r["aliases"]),
        ("拼音", lambda r: r["pinyin"]),
        ("集体" if out is Format.table else "集体单位", lambda r: r["collective"]),  # 10 columns in 80
        ("任务", lambda r: r["total"]),
        ("牵头", lambda r: r["lead"]),
        *[(s.label, (lambda key: lambda r: r[key])(s.value)) for s in Status],
    ]
    render_rows(rows, columns, out, caption=f"共 {len(rows)} 个单位；集体单位（如各相关科室）指所有相关科室",
                right=range(4, 10))


@command("sections")
def sections(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """显示任务分工的提纲：部分 一…五、小节及其任务序号。"""
    from gwgk_cli.queries import outline

    plan = env(ctx).tracker.plan
    data = outline(plan)
    out = pick_format(fmt)
    if out is Format.json:
        emit(plain.json_text(data))
        return
    flat: list[dict[str, Any]] = []
    for sec_rec in data:
        flat.append({"label": f"{sec_rec['label']}、", "title": sec_rec["title"], "tasks": sec_rec["tasks"]})
        for sub_rec in sec_rec["subsections"]:
            flat.append({"label": f"  {sub_rec['label']}", "title": sub_rec["title"], "tasks": sub_rec["tasks"]})
    columns: list[plain.Column] = [
        ("编号", lambda r: r["label"].strip() if out is not Format.table else r["label"]),
        ("标题", lambda r: r["title"]),
        ("任务序号", lambda r: ",".join(str(i) for i in r["tasks"])),
    ]
    render_rows(flat, columns, out, caption=f"{plan.title}：{len(plan.sections)} 个部分，"
                f"{sum(len(s.subsections) for s in plan.sections)} 个小节，{len(plan.tasks)} 项任务")


@command("doctor")
def doctor(ctx: typer.Context) -> None:
    """检查任务表和进展记录：格式、重复键、重复序号、未登记单位、无法识别的时限，以及损坏的记录行、
    晚于参照日期（尚未生效）的记录、重复的记录编号、不生效的撤销、gwgk 本会拒绝的手写记录、
    时钟不准的电脑。每处问题带行号；有问题时退出码为 1。"""
    from gwgk_cli.errors import JournalError, TableError, TableNotFound, TableUnreadable
    from gwgk_cli.journal import audit, read_entries
    from gwgk_cli.journal_dir import directory_for, display, sync_hint
    from gwgk_cli.journal_dir import doctor_lines as team_doctor_lines
    from gwgk_cli.notify.checks import contact_problems
    from gwgk_cli.table import check_table

    e = env(ctx)
    loc = e.location
    lines: list[str] = []
    hints: list[str] = []  # worth a look, not a problem (exit 0)
    task_ids: list[int] | None = None
    try:
        plan, problems = check_table(loc.table)
        lines += [str(p) for p in problems]
        task_ids = [t.id for t in plan.tasks]
        from gwgk_cli.importer.build import ISSUER_PLACEHOLDER

        if plan.issuer in (ISSUER_PLACEHOLDER, "(待填写发布机关)"):  # no issuer in the notice (older imports: half-width)
            hints.append(f"提示：{loc.table}: meta.issuer 仍是导入时的占位 “{ISSUER_PLACEHOLDER}”（通知中未找到发布机关），"
                         "请填写；meta.published 也请核对（不影响使用）")
    except (TableNotFound, TableUnreadable):
        raise
    except TableError as exc:  # malformed YAML, a duplicate key, an alias: still check the journal
        lines.append(str(exc))
    if task_ids is not None:  # the index brought up to date first: it keeps lines gone missing (journal_lost)
        from gwgk_cli.errors import GwgkError
        from gwgk_cli.store import Tracker

        try:
            Tracker(loc).check_journal()
        except GwgkError:
            pass  # read below, and reported
    try:
        entries, warnings, _ = read_entries(loc.journal)
        found = warnings + audit(entries, task_ids, e.today, str(loc.journal))
        if task_ids is not None:  # lines gwgk would have refused (hand-written): decided on the table too
            from gwgk_cli.journal_audit import refused_lines

            found += refused_lines(entries, plan, str(loc.journal))
        lines += [str(w) for w in sorted(found, key=lambda w: (w.path, w.lineno))]
        lines += team_doctor_lines(loc.journal, e.today)
        from gwgk_cli.journal_copies import copies_beside  # a single file's conflict copies: not read

        if directory_for(loc.journal) is None:
            beside, copy_hints = copies_beside(loc.journal, entries)
            lines += beside
            hints += copy_hints
        from gwgk_cli.journal_clock import clock_problems  # a PC whose clock is wrong

        lines += clock_problems(entries, str(loc.journal))
    except JournalError as exc:
        lines.append(str(exc))
    contacts, contact_notes = contact_problems(plan if task_ids is not None else None)  # the 催办 contacts in config
    lines += contacts
    hints += contact_notes
    synced = sync_hint(loc.journal)
    if synced:
        hints.append(synced)
    typer.echo(clean_line(f"任务表：{loc.table}"))
    typer.echo(clean_line(f"进展记录：{display(loc.journal)}"))
    for hint in hints:
        typer.echo(clean_line(hint))
    if not lines:
        typer.echo(f"未发现问题（{len(task_ids or [])} 项任务）。")
        return
    for line in lines:
        typer.echo(clean(line))
    typer.echo(f"发现 {len(lines)} 处问题。")
    raise typer.Exit(1)


@command("info")
def info(ctx: typer.Context) -> None:
    """显示正在使用的任务表、进展记录文件和数据目录。"""
    from gwgk_cli import __version__
    from gwgk_cli.config import SOURCE_LABELS, config_path, default_user, get
    from gwgk_cli.journal_dir import info_rows as journal_rows
    from gwgk_cli.paths import user_cache_dir, user_data_dir

    e = env(ctx)
    loc = e.location
    rows = [
        ("版本", f"gwgk {__version__}"),
        ("任务表", f"{loc.table}（{loc.how}）"),
        *journal_rows(loc.journal),
        ("用户数据目录", str(user_data_dir())),
        ("缓存目录", str(user_cache_dir())),
        ("配置文件", str(config_path())),
        ("参照日期", e.today.isoformat()),
    ]
    try:
        user, source = default_user()
        how = ("；设置本人姓名：gwgk config set user.name 您的姓名" if source == "login" else
               "；改用其他姓名：gwgk config set user.name 姓名" if source != "env" else "；改用其他姓名：修改环境变量 GWGK_USER")
        rows.append(("登记人", f"{user}（取自 {SOURCE_LABELS[source]}，登记的进展都署此名{how}）"))
        unit = get("user.unit")
        if unit:
            rows.append(("本人单位", str(unit)))
    except GwgkError as exc:  # a broken config file: say so, info must still work
        rows.append(("配置问题", str(exc)))
    try:
        plan = e.tracker.plan
        rows.insert(2, ("标题", f"{plan.title}（{len(plan.tasks)} 项任务）"))
    except GwgkError as exc:  # info must work even when the table is broken
        rows.insert(2, ("问题", str(exc)))
    width = max(len(k) for k, _ in rows)
    lines = [f"{key}{' ' * (2 * (width - len(key)))}  {clean_line(value)}" for key, value in rows]
    from gwgk_cli.cli import base

    if base.stdout_is_terminal():  # a long value wrapped under the values by the Chinese rules, not at column 0
        import shutil

        from gwgk_cli.render.cjkwrap import fit_lines

        columns = shutil.get_terminal_size().columns
        lines = [piece for line in lines for piece in fit_lines(line, columns, " " * (2 * width + 2))]
    typer.echo("\n".join(lines))
