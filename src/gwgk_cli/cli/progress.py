"""Write-side commands: start, done, block, reopen, note, undo, and the history: log."""


from typing import TYPE_CHECKING, Annotated

import typer

from gwgk_cli.cli.base import Format, FormatOption, command, emit, env, parse_date, pick_format
from gwgk_cli.cli.complete import complete_task_id
from gwgk_cli.cli.options import (
    ByOption,
    DateOption,
    IdsArgument,
    NoteOption,
    UnitOption,
    check_ids,
    half_width_values,
)
from gwgk_cli.errors import BadValue
from gwgk_cli.sanitize import clean_line

if TYPE_CHECKING:
    from gwgk_cli.actions import Undone
    from gwgk_cli.cli.base import Env
    from gwgk_cli.journal_entry import Entry


def _mark(ctx: typer.Context, verb: str, ids: list[str], note: str, by: str | None, date: str | None,
          evidence: str = "") -> None:
    from gwgk_cli.actions import change_status, check_when, default_user
    from gwgk_cli.queries import parse_ids

    _text_as_id(verb, ids)
    e = env(ctx)
    table = e.location.table
    wanted = check_ids(e.tracker, parse_ids(ids))  # only these ids looked up in the index
    when = check_when(parse_date(date, "日期 --date") if date is not None else None, e.today,
                      e.tracker.header.year)
    e.tracker.check_journal()  # reports journal damage on stderr; the decision itself is made under the lock
    base = None if e.location.bundled else table.parent  # evidence inside the table's folder: stored relative
    outcome = change_status(e.tracker.journal, None, wanted, verb, by=by or default_user(), when=when,
                            note=note, evidence=evidence, base=base)
    if outcome.evidence_missing:
        typer.echo(clean_line(f"警告：佐证材料 {outcome.evidence_missing} 不存在（仍已登记；请核对路径）"), err=True)
    if outcome.evidence_elsewhere:
        typer.echo(clean_line(f"提示：佐证材料 {outcome.evidence_elsewhere} 不在任务表所在的文件夹中，其他电脑可能打不开"
                              "（可先复制到任务表所在的共用文件夹，或登记网址）"), err=True)
    for task_id, status in outcome.unchanged:
        if verb == "reopen":
            typer.echo(f"任务 {task_id} 当前为“{status.label}”，无需重新打开，未登记。")
        else:
            typer.echo(f"任务 {task_id} 已经是“{status.label}”，未重复登记。")
    for entry in outcome.written:
        assert entry.from_status is not None and entry.to_status is not None
        extra = f"（{entry.note}）" if entry.note else ""
        typer.echo(clean_line(f"任务 {entry.task}：{entry.from_status.label} → {entry.to_status.label}{extra}"))


def _text_as_id(verb: str, ids: list[str]) -> None:
    """`gwgk block 4 等待上级部署`: words after the ids, where a 序号 is expected, are the reason or note given
    without --note (as `note` takes its text): say so, with the command as it should be."""
    words = next((a for a in ids[1:] if not any(ch.isdigit() for ch in a)), None)
    if words is None:
        return
    what = "受阻原因" if verb == "block" else "说明"
    shown = clean_line(words if len(words) <= 20 else words[:20] + "…")
    first = clean_line(ids[0])
    raise BadValue(f"“{shown}”不是任务序号：{what}请写在 --note 后，例如 gwgk {verb} {first} --note “{shown}”")


@command()
def start(ctx: typer.Context, ids: IdsArgument, note: NoteOption = "", by: ByOption = None,
          date: DateOption = None) -> None:
    """标记任务为“推进中”。"""
    _mark(ctx, "start", ids, note, by, date)


@command()
def done(
    ctx: typer.Context, ids: IdsArgument, note: NoteOption = "", by: ByOption = None, date: DateOption = None,
    evidence: Annotated[str, typer.Option("--evidence", "-e", help="佐证材料：网址，或文件路径（任务表所在文件夹内的文件按相对路径保存，文件不存在时给出警告）。")] = "",
) -> None:
    """标记任务为“已完成”，可附佐证材料。"""
    _mark(ctx, "done", ids, note, by, date, evidence=evidence)


@command()
def block(ctx: typer.Context, ids: IdsArgument,
          note: Annotated[str, typer.Option("--note", "-n", help="受阻原因（必填）。")] = "",
          by: ByOption = None, date: DateOption = None) -> None:
    """标记任务为“受阻”，须用 --note 写明原因。"""
    _mark(ctx, "block", ids, note, by, date)


@command()
def reopen(ctx: typer.Context, ids: IdsArgument, note: NoteOption = "", by: ByOption = None,
           date: DateOption = None) -> None:
    """重新打开已完成或受阻的任务（回到“推进中”）。"""
    _mark(ctx, "reopen", ids, note, by, date)


@command()
def note(
    ctx: typer.Context,
    ids: Annotated[str, typer.Argument(help="任务序号（可写 4,15 或 14-16）。", autocompletion=complete_task_id,
                                       callback=half_width_values,
                                       show_default=False)],
    text: Annotated[str, typer.Argument(help="进展情况。", show_default=False)],
    percent: Annotated[str | None, typer.Option("--percent", "-p", help="完成进度 0–100（可带 %）。",
                                                callback=half_width_values, show_default=False)] = None,
    by: ByOption = None,
    date: DateOption = None,
) -> None:
    """登记一条进展情况（可带完成百分比）。"""
    from gwgk_cli.actions import add_notes, check_when, default_user, parse_percent
    from gwgk_cli.queries import parse_ids

    e = env(ctx)
    wanted = check_ids(e.tracker, parse_ids([ids]))  # only these ids looked up in the index
    when = check_when(parse_date(date, "日期 --date") if date is not None else None, e.today,
                      e.tracker.header.year)
    pct = parse_percent(percent)
    entries = add_notes(e.location.journal, wanted, text, by=by or default_user(), when=when, percent=pct)
    for entry in entries:
        pct_text = f"（进度 {entry.percent}%）" if entry.percent is not None else ""
        typer.echo(clean_line(f"任务 {entry.task}：已登记进展{pct_text} {entry.date}"))


@command()
def undo(
    ctx: typer.Context,
    entry: Annotated[str | None, typer.Argument(metavar="[记录编号]",
                                                help="要撤销的记录编号（gwgk log 显示；可只写前 4 位以上，须唯一）。",
                                                show_default=False)] = None,
    by: ByOption = None,
) -> None:
    """撤销自己最近一次仍有效的变更，或撤销指定记录（撤销本身也记入历史，历史从不删除）。

    不给记录编号时，只撤销登记人（--by，默认同登记时）自己登记的变更；一条命令登记了几项任务的（如
    gwgk done 26,27），一并撤销。某项状态变更之后若还有同一任务的
    状态变更（以它为前提），须先撤销后者。没有可撤销的变更时退出码为 1。"""
    from gwgk_cli.actions import default_user, undo_last
    from gwgk_cli.errors import EXIT_PROBLEM
    from gwgk_cli.store import load_task_ids

    e = env(ctx)
    valid, _ = load_task_ids(e.location.table)
    who = by or default_user()
    results = undo_last(e.location.journal, valid, by=who, today=e.today, entry=entry)
    if not results:
        typer.echo(clean_line(f"没有 {who} 登记的可撤销变更（撤销他人的记录：gwgk log 查看记录编号，再 gwgk undo 编号）。"))
        raise typer.Exit(EXIT_PROBLEM)
    for result in reversed(results):  # a command's changes (done 26,27) in the order they were recorded
        _say_undone(e, result)


def _say_undone(e: "Env", result: "Undone") -> None:
    """已撤销：… — one line for one undone change."""
    done_entry = result.entry
    whose = f"{done_entry.by or '未署名'} {done_entry.date} 登记，记录 {done_entry.id}"
    if done_entry.op == "status":
        assert done_entry.from_status is not None and done_entry.to_status is not None
        what = f"{done_entry.from_status.label} → {done_entry.to_status.label}"
        if result.status_after is done_entry.to_status:  # the undo leaves the status as it was: say why
            typer.echo(clean_line(f"已撤销：任务 {done_entry.task} 的“{what}”（{whose}）；"
                                  f"任务仍为“{result.status_after.label}”：{_still_because(e, done_entry)}。"))
        else:
            typer.echo(clean_line(f"已撤销：任务 {done_entry.task} 的“{what}”（{whose}）；"
                                  f"现为“{result.status_after.label}”。"))
    elif done_entry.op == "note":
        pct = f" 进度 {done_entry.percent}%" if done_entry.percent is not None else ""
        typer.echo(clean_line(f"已撤销：任务 {done_entry.task} 的进展“{done_entry.note}”{pct}（{whose}）。"))
    else:  # a 督办 step: 签收, 延期, 审核 (a review's undo changes the status back too)
        from gwgk_cli.journal_entry import entry_record
        from gwgk_cli.render.history import change_text

        after = f"；现为“{result.status_after.label}”" if done_entry.op == "review" else ""
        typer.echo(clean_line(f"已撤销：任务 {done_entry.task} 的{change_text(entry_record(done_entry))}（{whose}）{after}。"))


def _still_because(e: "Env", undone: "Entry") -> str:
    """Why a task keeps the status an undone change gave it: the progress notes recorded after it (a note
    on a task not started means the work has started), else the other changes in force."""
    from gwgk_cli.model import Status
    from gwgk_cli.state import reverted

    gone = e.tracker.undone()
    later = [x for x in e.tracker.entries([undone.task]) if x.lineno > undone.lineno and not reverted(x, gone)
             and x.op != "undo" and x.date <= e.today]
    notes = [x for x in later if x.op == "note" and not x.unit]  # a unit's note on a shared task starts nothing
    if notes and undone.from_status is Status.TODO:
        first = notes[0]
        return (f"之后{first.by or '未署名'} {first.date} 登记了进展（记录 {first.id}），"
                "有进展的任务即为推进中；如确未开始，请再撤销该进展")
    if later:
        first = later[0]
        return f"之后还有{first.by or '未署名'} {first.date} 登记的记录 {first.id}"
    return "其他仍有效的记录使它保持此状态"


@command("log")
def log(
    ctx: typer.Context,
    ids: Annotated[list[str] | None, typer.Argument(help="只看这些任务（可写 4,15 或 14-16）。", callback=half_width_values,
                                                    autocompletion=complete_task_id, show_default=False)] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="只看该日期及以后的变更。",
                                              show_default=False)] = None,
    unit: UnitOption = None,
    fmt: FormatOption = None,
) -> None:
    """查看进展历史，最新的在前：日期、登记人、任务、状态变化、进度、说明、记录编号（gwgk undo 用）。

    只列出参照日期（--today）及以前的记录：晚于它的记录在该日尚未生效。"""
    from gwgk_cli.journal_dir import contradiction_marks, display
    from gwgk_cli.journal_entry import entry_record, history
    from gwgk_cli.queries import parse_ids
    from gwgk_cli.render import plain
    from gwgk_cli.render.history import LOG_COLUMNS, log_rows
    from gwgk_cli.render.listing import render_rows
    from gwgk_cli.state import reverted, void_undos
    from gwgk_cli.units import resolve_unit

    e = env(ctx)
    wanted = set(check_ids(e.tracker, parse_ids(ids))) if ids else None
    since_date = parse_date(since, "日期 --since") if since is not None else None
    units = {resolve_unit(e.tracker.header, u).name for u in unit or []}
    # Only the tasks asked for (by id, or naming a unit) are built, and only their entries read.
    tasks = {t.id: t for t in e.tracker.tasks(wanted, units=units or None)}
    titles = {tid: t.title for tid, t in tasks.items()}
    undone = e.tracker.undone()
    entries = e.tracker.entries(tasks if wanted is not None or units else None)
    marks = contradiction_marks(entries, e.today)  # two PCs' contradicting status changes
    # Hand-written undo lines that revert nothing (state.undone_keys).
    void = void_undos(entries, every_task=wanted is None and not units)
    recs = []
    for entry in history(entries, as_of=e.today):
        task = tasks.get(entry.task)
        if task is None or (wanted is not None and entry.task not in wanted) or (since_date and entry.date < since_date):
            continue
        if units and not units & set(task.units):
            continue
        rec = entry_record(entry, titles)
        rec["undone"] = reverted(entry, undone)
        rec["contradiction"] = marks.get(entry.id, "").strip("（）") or None
        rec["void"] = void.get((entry.task, entry.id))
        recs.append(rec)
    out = pick_format(fmt)
    if out is Format.json:
        emit(plain.json_text(recs))
        return
    rows = log_rows(recs)
    render_rows(rows, LOG_COLUMNS, out, caption=f"共 {len(rows)} 条记录 · {display(e.location.journal)}")
