"""Recording progress: status changes, notes and undo, validated in full before one append.

Each write reads the journal, decides and appends under the journal's lock (journal.transact), so what
it decides on is what is in the file at that moment: twenty concurrent `gwgk done 20` write one line,
ten concurrent `gwgk undo` undo ten different entries.

Rules (docs/schema.md):
- A change dated D (--date, else the reference date) is decided on the state as of D.
- A backdated change that an existing later-dated change would override is refused, naming that
  change and the date that would work: a change is never accepted and then not in force.
- `undo` reverts the latest change still in force recorded by the caller (or one named entry); a
  status change that a later status change of the same task builds on is refused (undo that first).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from gwgk_cli.errors import BadValue
from gwgk_cli.journal import find_entry, new_id, now_iso, transact
from gwgk_cli.journal_entry import Entry, line_ref
from gwgk_cli.links import URL, web_address
from gwgk_cli.model import Status
from gwgk_cli.sanitize import blank
from gwgk_cli.state import TaskState, decided_on, in_force, replay, state_as_of

# What each verb sets, and which states it may leave.
VERBS: dict[str, Status] = {"start": Status.DOING, "done": Status.DONE, "block": Status.BLOCKED, "reopen": Status.DOING}


def default_user() -> str:
    """--by default: GWGK_USER, else config user.name, else git's user.name, else the login name."""
    from gwgk_cli.config import default_user as user_and_source

    return user_and_source()[0]


def check_when(when: dt.date | None, today: dt.date, year: int) -> dt.date:
    """The date of a progress entry (--date, else today): not after today, not before the table's year (a
    2019 date on a 2021 table is a typo; its entry would be dated before every other)."""
    if when is None:
        if today.year < year:  # the same rule for the day it is (found in review): a PC's clock, or --today
            raise BadValue(f"参照日期 {today} 早于任务表的年度（{year} 年），不能登记：请核对电脑日期或 --today")
        return today
    if when > today:
        raise BadValue(f"--date {when} 晚于参照日期 {today}，不能登记未来的进展")
    if when.year < year:
        raise BadValue(f"--date {when} 早于任务表的年度（{year} 年），请核对日期")
    return when


def parse_percent(text: str | None) -> int | None:
    if text is None:
        return None
    raw = text.strip().removesuffix("%").removesuffix("%")
    try:
        value = int(raw)
    except ValueError:
        raise BadValue(f"无效的进度 “{text}”（应为 0–100 的整数）") from None
    if not 0 <= value <= 100:
        raise BadValue(f"无效的进度 {value}（应为 0–100 的整数）")
    return value


@dataclass(slots=True)
class Outcome:
    """What a status change wrote, what it left alone, and a missing evidence file."""

    written: list[Entry] = field(default_factory=list)
    unchanged: list[tuple[int, Status]] = field(default_factory=list)  # already in that status
    evidence_missing: str = ""  # a local evidence path that does not exist (recorded all the same)
    evidence_elsewhere: str = ""  # a local evidence path outside the table's folder: other PCs may not open it


def normalize_evidence(text: str, base: Path | None, cwd: Path | None = None) -> tuple[str, bool]:
    """(what to store, whether it exists). A URL is kept as given; a local path is made absolute (from
    the current directory) and then stored relative to `base` (the table's directory) when inside it,
    with forward slashes, so it means the same file wherever gwgk runs."""
    text = text.strip()
    if not text or web_address(text):
        return text, True
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    path = Path(os.path.normpath(path))
    exists = path.exists()
    if base is not None:
        try:
            return path.relative_to(Path(os.path.normpath(base.absolute()))).as_posix(), exists
        except ValueError:
            pass
    return str(path), exists


def _overrides(entry: Entry, what: str) -> bool:
    """Whether an entry sets what a new change sets ('status' or 'percent'). A review (审核) judges the status
    it finds: a status change backdated before it would slip under it (销号 of a task then reopened)."""
    if what == "status":
        return entry.op in ("status", "review")
    return entry.percent is not None or (entry.op == "status" and Status.DONE in (entry.to_status, entry.from_status))


def _described(entry: Entry) -> str:
    if entry.op == "status" and entry.to_status is not None:
        return f"登记为“{entry.to_status.label}”"
    if entry.op == "review":
        return "审核通过并销号" if entry.result == "pass" else "审核退回"
    return f"登记进度 {entry.percent}%" if entry.percent is not None else "登记进展"


def overriding(entries: Sequence[Entry], task_id: int, when: dt.date, what: str) -> Entry | None:
    """The latest later-dated change in force that would override a change of `what` dated `when`."""
    later = [e for e in in_force(entries) if e.task == task_id and e.date > when and _overrides(e, what)]
    return max(later, key=lambda e: (e.date, e.lineno)) if later else None


def extended_after(entries: Sequence[Entry], task_id: int, when: dt.date) -> Entry | None:
    """The latest 延期 in force recorded after `when`: a completion dated `when` would leave a task extended after
    it was done, which `extend` itself refuses (found by a tester: the 通报 then counted the extension and the
    周报 showed a done task as 延期至…)."""
    later = [e for e in in_force(entries) if e.task == task_id and e.op == "extend" and e.date > when]
    return max(later, key=lambda e: (e.date, e.lineno)) if later else None


def check_not_overridden(entries: Sequence[Entry], task_id: int, when: dt.date, what: str, change: str) -> None:
    """Refuse a change dated `when` that a later-dated change in force would override."""
    last = overriding(entries, task_id, when, what)
    if last is None:
        return
    raise BadValue(
        f"任务 {task_id} 已于 {last.date} {_described(last)}（记录 {last.id}，{last.by or '未署名'}）；"
        f"{when} 的{change}会被它覆盖而不生效。请用 --date {last.date} 或更晚，或先 gwgk undo {last.id}"
    )


def change_status(
    journal: Path,
    states: Mapping[int, TaskState] | None,
    ids: list[int],
    verb: str,
    *,
    by: str,
    when: dt.date,
    note: str = "",
    evidence: str = "",
    base: Path | None | Literal["journal"] = "journal",
    source: str = "",
    evidence_as_written: bool = False,
) -> Outcome:
    """Mark tasks; those already in the target status (as of `when`) are reported, not written.

    The decision is made on the journal as read under its lock; `states` is not used for it (kept so
    existing callers work). A local `evidence` path is stored relative to `base` (the table's directory)
    when inside it (by default the journal's folder, which is the table's), else absolute (base=None);
    Outcome.evidence_missing names it when the file does not exist."""
    del states  # decided under the lock, from the file itself
    if verb == "block" and blank(note):  # before reading anything
        raise BadValue("标记受阻时请用 --note 写明原因")
    outcome = Outcome()
    # Typed on this PC: a path made absolute or table-relative. From a returned sheet: kept as the clerk wrote it.
    stored, exists = ((evidence.strip(), True) if evidence_as_written
                      else normalize_evidence(evidence, journal.parent if base == "journal" else base))
    if not exists:
        outcome.evidence_missing = stored
    elif base is not None and stored and not URL.match(stored) and Path(stored).is_absolute():
        outcome.evidence_elsewhere = stored
    at = now_iso()

    def decide(entries: list[Entry]) -> list[Entry]:
        written, outcome.unchanged = status_entries(entries, ids, verb, by=by, when=when, note=note,
                                                    evidence=stored, source=source, at=at)
        outcome.written = one_batch(written)
        return outcome.written

    transact(journal, decide, tasks=ids)
    return outcome


def status_entries(entries: Sequence[Entry], ids: Sequence[int], verb: str, *, by: str, when: dt.date, note: str,
                   evidence: str, source: str, at: str) -> tuple[list[Entry], list[tuple[int, Status]]]:
    """The status changes `verb` makes of these tasks, decided on `entries` (the journal as read under its
    lock), and the tasks already in that status; a BadValue when a rule refuses it (nothing is written)."""
    target = VERBS[verb]
    if verb == "block" and blank(note):
        raise BadValue("标记受阻时请用 --note 写明原因")
    then = state_as_of(decided_on(entries), ids, when)
    if verb in ("start", "block"):
        finished = [i for i in ids if then[i].status is Status.DONE]
        if finished:
            which = "、".join(str(i) for i in finished)
            raise BadValue(f"任务 {which} 已完成；如需继续推进，请先用 gwgk reopen {finished[0]} 重新打开")
    written: list[Entry] = []
    unchanged: list[tuple[int, Status]] = []
    for task_id in ids:
        current = then[task_id].status
        if (verb == "reopen" and current not in (Status.DONE, Status.BLOCKED)) or current is target:
            unchanged.append((task_id, current))
            continue
        check_not_overridden(entries, task_id, when, "status", f"“{target.label}”")
        extension = extended_after(entries, task_id, when) if target is Status.DONE else None
        if extension is not None:
            raise BadValue(f"任务 {task_id} 已于 {extension.date} 登记延期至 {extension.due}（记录 {extension.id}），"
                           f"完成日期 {when} 早于该延期：请用 --date {extension.date} 或更晚；如确于 {when} 完成、"
                           f"延期是误登，请先 gwgk undo {extension.id}")
        written.append(Entry(
            id=new_id(), at=at, date=when, by=by, task=task_id, op="status", from_status=current,
            to_status=target, note=note.strip(), evidence=evidence, source=source,
        ))
    return written, unchanged


def add_notes(journal: Path, ids: list[int], text: str, *, by: str, when: dt.date, percent: int | None,
              evidence: str = "", source: str = "") -> list[Entry]:
    """One note per task. A backdated --percent that a later-dated percent would override is refused."""
    at = now_iso()

    def decide(entries: list[Entry]) -> list[Entry]:
        return one_batch(note_entries(entries, ids, text, by=by, when=when, percent=percent, evidence=evidence,
                                      source=source, at=at))

    # Only a percent depends on what the journal holds; a plain note reads none of its lines (at 50,000
    # lines the search for the task's lines is most of a note's cost).
    return transact(journal, decide, tasks=ids if percent is not None else ())


def note_entries(entries: Sequence[Entry], ids: Sequence[int], text: str, *, by: str, when: dt.date,
                 percent: int | None, evidence: str, source: str, at: str) -> list[Entry]:
    """One note per task, decided on `entries` (the journal as read under its lock; a plain note needs none
    of them); a BadValue when a rule refuses it (nothing is written)."""
    if blank(text) and percent is None:
        raise BadValue("进展内容不能为空")
    if percent is not None:
        if percent < 100:  # a finished task is at 100%: a lower percent would contradict it
            states = replay(decided_on(entries), ids, as_of=when)[0].states
            done = [i for i in ids if states[i].status is Status.DONE]
            if done:
                which = "、".join(map(str, done))
                raise BadValue(f"任务 {which} 已完成，不能把进度记为 {percent}%；"
                               f"如需继续推进，请先 gwgk reopen {done[0]}（不带 --percent 的进展说明可照常登记）")
        for task_id in ids:
            check_not_overridden(entries, task_id, when, "percent", f"进度 {percent}%")
    return [Entry(id=new_id(), at=at, date=when, by=by, task=i, op="note", percent=percent, note=text.strip(),
                  evidence=evidence.strip(), source=source) for i in ids]


@dataclass(frozen=True, slots=True)
class Undone:
    """An undo: the entry it reverted, the undo line written, and the status after it."""

    entry: Entry  # the change that was reverted
    record: Entry  # the undo entry written
    status_after: Status


def undo_last(journal: Path, valid: frozenset[int], *, by: str, today: dt.date, entry: str | None = None
              ) -> list[Undone]:
    """Revert by appending undo entries dated `today` (history is kept): the named `entry` (an id or a prefix of
    4+ characters), else the latest command of `by` still in force: its latest change and the changes of the same
    command (`one_command`: `done 26,27` is two entries of one batch, undone together; found by a tester). Empty when `by`
    has nothing left to undo. All or none: a status change that a later status change of the same task builds
    on is refused (undo the later one first)."""
    result: list[Undone] = []

    def decide(entries: list[Entry]) -> list[Entry]:
        result.clear()
        live = in_force(entries, today, valid)
        if entry is not None:
            targets = [find_entry(entries, entry)]
            _check_one(entries, targets[0])
            _check_undoable(entries, targets[0], today, valid)
        else:
            mine = [e for e in live if e.by == by]
            if not mine:
                return []
            targets = one_command(mine, mine[-1])  # the most recently recorded command still in force
        current = list(entries)
        for target in reversed(targets):  # the latest first, each decided with the undos before it
            _check_one(entries, target)
            undone = _undo_one(current, in_force(current, today, valid), target, by=by, today=today)
            result.append(undone)
            current.append(undone.record)
        return [u.record for u in result]

    transact(journal, decide)
    return result


def one_batch(written: list[Entry]) -> list[Entry]:
    """The changes one command makes of several tasks, marked with one `batch` (none for one change), so that
    `undo` reverts the command, not only its last line."""
    if len(written) < 2:
        return written
    batch = new_id()
    return [replace(e, batch=batch) for e in written]


def one_command(mine: Sequence[Entry], last: Entry) -> list[Entry]:
    """`last` and the changes of the same command still in force (`mine`: the caller's), in recording order."""
    if not last.batch:
        return [last]
    return [e for e in mine if e.batch == last.batch and e.by == last.by]


def _undo_one(entries: Sequence[Entry], live: Sequence[Entry], target: Entry, *, by: str, today: dt.date) -> Undone:
    """The undo line for `target`, decided on `entries` (`live`: those in force); a BadValue when a later change
    builds on it."""
    if target.op in ("status", "review"):
        # A later status change or review (审核 judges the finished task) recorded after it and in force
        # after it builds on it.
        later = [e for e in live if e.task == target.task and e.op in ("status", "review")
                 and e.lineno > target.lineno and e.date >= target.date]
        if later:
            nxt = min(later, key=lambda e: (e.date, e.lineno))
            if nxt.op == "status" and nxt.from_status is not None and nxt.to_status is not None:
                what = f"状态变更 {nxt.date} {nxt.from_status.label} → {nxt.to_status.label}"
            else:
                what = f" {nxt.date} {_described(nxt)}"
            raise BadValue(
                f"任务 {target.task} 在此之后还有{what}"
                f"（记录 {nxt.id}，{nxt.by or '未署名'}），它以记录 {target.id} 为前提；请先撤销它：gwgk undo {nxt.id}")
    current = state_as_of(entries, [target.task], today)[target.task].status
    record = Entry(id=new_id(), at=now_iso(), date=today, by=by, task=target.task, op="undo",
                   undoes=target.id)
    after = state_as_of([*entries, record], [target.task], today)[target.task].status
    if after is Status.DONE and current is not Status.DONE:
        # Undoing a 重新打开 makes the task done again: a percent recorded while it was open would then stand
        # on a done task (gwgk note refuses that), silently no longer counting.
        partial = [e for e in live if e.task == target.task and e.percent is not None and e.percent < 100
                   and e.lineno > target.lineno and e.date >= target.date]
        if partial:
            nxt = min(partial, key=lambda e: (e.date, e.lineno))
            raise BadValue(f"任务 {target.task} 在此之后还有{nxt.date} 登记进度 {nxt.percent}%（记录 {nxt.id}，"
                           f"{nxt.by or '未署名'}），撤销后任务将回到“已完成”，这一进度便不再成立；请先撤销它：gwgk undo {nxt.id}")
    if target.op == "status":
        record = replace(record, from_status=current, to_status=after)
    return Undone(entry=target, record=record, status_after=after)


def undo_entries(journal: Path, valid: frozenset[int], ids: Sequence[str], *, by: str, today: dt.date) -> list[Undone]:
    """Undo these entries (ids) together, the latest first, all or none: what one 填报表 recorded (gwgk sheet
    undo). Each is checked as `undo` checks one, on the journal with the undos before it."""
    result: list[Undone] = []

    def decide(entries: list[Entry]) -> list[Entry]:
        result.clear()
        current = list(entries)
        targets = sorted((find_entry(entries, i) for i in ids), key=lambda e: e.lineno, reverse=True)
        for target in targets:
            _check_one(entries, target)
            _check_undoable(current, target, today, valid)
            undone = _undo_one(current, in_force(current, today, valid), target, by=by, today=today)
            result.append(undone)
            current.append(undone.record)
        return [u.record for u in result]

    if ids:
        transact(journal, decide)
    return result


_OTHER_OPS = {"accept": "签收", "extend": "延期", "undo": "撤销"}  # what _described does not describe


def _check_one(entries: Sequence[Entry], target: Entry) -> None:
    """An undo names an id: refused when the id names entries with different contents (a hand edit, a union
    merge): of one task it would revert them together, of several only one, whichever was meant (copies with
    the same content are one)."""
    same = [e for e in entries if e.id == target.id]
    if len(same) > 1:
        places = "；".join(f"{line_ref(e)}：任务 {e.task} {_OTHER_OPS.get(e.op) or _described(e)}"
                          f"（{e.by or '未署名'} {e.date}）" for e in same)
        # An undo reverts the lines of its own task with the id (state.undone_keys): of one task, both; of
        # several, the one of the task it is written for, and which was meant cannot be told from the id.
        why = ("撤销会把它们一并撤销" if len({e.task for e in same}) == 1
               else "撤销只会撤销其中一个任务的记录，无法确定是哪一条")
        raise BadValue(f"记录编号 {target.id} 有 {len(same)} 条内容不同的记录（{places}），{why}，未撤销；"
                       "请先核对进展记录，改正其中一条的编号（gwgk doctor 列出）")


def _check_undoable(entries: Sequence[Entry], target: Entry, today: dt.date, valid: frozenset[int]) -> None:
    if target.op == "undo":
        raise BadValue(f"记录 {target.id} 本身是撤销记录，不能撤销；如需恢复，请重新登记该变更")
    if target.task not in valid:
        raise BadValue(f"记录 {target.id} 的任务 {target.task} 不在任务表中")
    if target.date > today:
        raise BadValue(f"记录 {target.id} 的日期 {target.date} 晚于参照日期 {today}，尚未生效；请用 --today {target.date} 或更晚")
    undone_by = [e for e in entries if e.op == "undo" and e.undoes == target.id and e.task == target.task
                 and e.date <= today]
    if undone_by:
        raise BadValue(f"记录 {target.id} 已于 {undone_by[0].date} 被撤销（记录 {undone_by[0].id}，{undone_by[0].by}）")

