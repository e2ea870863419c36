"""What a 填报表 holds and where: columns, the header block, the hidden identification, and the
`source` text each recorded journal entry carries.

The workbook has two sheets. `推进情况填报表` is what the clerk sees: a title (row 1), which table,
unit and period it is for (row 2), one line on how to fill it in (row 3), the column headers (row 4)
and one row per task from row 5. `_gwgk` is very hidden and holds the identification: the table's
fingerprint and year, the unit, the period, the sheet's own id, and per row the task id and the text
of every read-only cell as written (so a changed read-only cell is found and named). It is plain cell
text, which Excel, WPS and LibreOffice all keep when they save the workbook again; the same values
are also given workbook-level defined names (`gwgk_sheet_id` …).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gwgk_cli.model import STATUS_LABELS, Plan, Status, Task, Unit
from gwgk_cli.sanitize import clean_line
from gwgk_cli.state import TaskState

FORMAT = 1
MAIN_SHEET = "推进情况填报表"
ID_SHEET = "_gwgk"
TITLE_ROW, INFO_ROW, HELP_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4, 5
ID_FIRST_ROW = 11  # in _gwgk: rows 1–9 are key/value pairs, row 10 the headers of the per-row table
STATUS_CHOICES = tuple(STATUS_LABELS[s] for s in Status)
HELP_LINE = (
    "填写说明：只填写黄色列（本期进展情况至完成日期）；完成进度填 0–100 的整数；状态从下拉列表选择；"
    "状态为“受阻”时在存在问题中写明原因；状态为“已完成”时在完成日期填实际完成之日（不填以填报日期计）；"
    "灰色列为只读，请勿改动、增删行；填好后保存为 .xlsx 发回。"
)


def shared_help(collective: Iterable[str]) -> str:
    """Added to the help line of a sheet listing tasks the unit holds through a collective unit (各相关科室,
    the names the table gives: 各县（市、区）政府 …)."""
    names = list(dict.fromkeys(collective))
    return (f"责任单位标有{'、'.join(f'【{n}】' for n in names)}的任务由{'、'.join(names)}共同承担：所填状态和完成进度"
            "作为本单位情况记入进展说明，不改变任务本身的状态和进度（由指导办确定）。")


@dataclass(frozen=True, slots=True)
class Column:
    """A 填报 sheet column: header, width, what it holds."""

    key: str
    header: str
    width: float  # in Excel's character units (a CJK character is about two)
    fill: bool  # a column the unit fills in (unlocked), else read-only


# The widths (141.5 units, about 7 pt each in LibreOffice, 5.25 pt in Excel) are fitted to the width of A4 landscape
# (0.3" side margins; sheets.writer fits to the page width only): LibreOffice prints them at about 82 %, the
# 10.5-point body at about 8.6 pt, Excel at about 100 %; the rows run over as many pages as they need. 具体要求 is the
# widest (its text runs to 300 characters): at 11.5 units its rows took a page each, and 行财科's 11 tasks printed on 9
# pages, 政务公开指导办's 23 on 18 (found in review); at 24 they print on 5 and 9. The dates have 12 units, room for
# wide digits (宋体 missing, LibreOffice sets them in DejaVu Sans): a yyyy-mm-dd date narrower than its cell shows as
# ### (found by a tester at 10); 序号 4.5, the room of its two characters (3.5 broke it in two).
COLUMNS: tuple[Column, ...] = (
    Column("id", "序号", 4.5, False),
    Column("title", "任务", 8, False),
    Column("requirement", "具体要求", 24, False),
    Column("units", "责任单位", 7, False),
    Column("deadline", "完成时限", 6.5, False),
    Column("status", "当前状态", 7, False),
    Column("percent", "当前进度", 5.5, False),
    Column("last_note", "最近进展", 8, False),
    Column("progress", "本期进展情况", 12, True),
    Column("new_percent", "完成进度（%）", 5, True),
    Column("new_status", "状态", 5.5, True),
    Column("problems", "存在问题", 6.5, True),
    Column("next_steps", "下一步措施", 6, True),
    Column("evidence", "佐证材料", 6.5, True),
    Column("filled_by", "填报人", 5.5, True),
    Column("filled_on", "填报日期", 12, True),
    # Last, so that sheets written before it (16 columns) read as they were: the day a task was finished,
    # which is not the day the sheet was filled in (a 通报 judged 按时完成 by the 填报日期 before).
    Column("done_on", "完成日期", 12, True),
)
BODY_PT = 10.5  # the rows' text size
# A column a sheet written by an earlier gwgk does not have: its header cell blank there.
ADDED_COLUMNS = frozenset({"done_on"})
READ_ONLY = tuple(c for c in COLUMNS if not c.fill)
FILL = tuple(c for c in COLUMNS if c.fill)


def letter(key: str) -> str:
    """The column letter of a column key: `new_percent` -> J."""
    index = next(i for i, c in enumerate(COLUMNS) if c.key == key)
    return chr(ord("A") + index)


def header_of(key: str) -> str:
    return next(c.header for c in COLUMNS if c.key == key).replace("（%）", "")


def fingerprint(plan: Plan) -> str:
    """What the sheet must match: the table's title and year and every task's id, title and units
    (not its bytes, so re-saving or re-commenting the YAML keeps returned sheets valid)."""
    data = [plan.title, plan.year, [[t.id, t.title, list(t.units)] for t in plan.tasks]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def unit_tasks(plan: Plan, unit: Unit) -> list[tuple[Task, bool]]:
    """The unit's tasks in table order (led and co-owned), then those given to a collective unit
    (各相关科室), marked True: every unit answers for those."""
    collective = plan.collective_units
    out: list[tuple[Task, bool]] = []
    for task in plan.tasks:
        if unit.name in task.units:
            out.append((task, False))
        elif not unit.collective and any(u in collective for u in task.units):
            out.append((task, True))
    return out


def sheet_units(plan: Plan) -> list[Unit]:
    """The units a sheet goes to with --all-units: every unit that is not collective and is named on a task."""
    named = {u for t in plan.tasks for u in t.units}
    return [u for u in plan.units if not u.collective and u.name in named]


def units_text(task: Task, collective: frozenset[str], via_collective: bool) -> str:
    """政务公开指导办（牵头）、政府网站; a task reaching the unit through a collective unit starts with
    【各相关科室】 (full-width brackets, as a Chinese document marks a note; found by a reader: [..] read as code)."""
    names = [f"{written}（牵头）" if canonical in task.leads else written
             for canonical, written in zip(task.units, task.units_written, strict=False)]
    marked = "、".join(names)
    return f"【{collective_of(task, collective)}】{marked}" if via_collective else marked


def collective_of(task: Task, collective: frozenset[str]) -> str:
    """The collective unit through which a task reaches every unit (its marker: 【各相关科室】)."""
    return next((u for u in task.units if u in collective), "集体单位")


def deadline_text(task: Task, state: TaskState) -> str:
    """完成时限 as the sheet shows it: the table's phrase, or the date in force when an approved 延期 moved it, with
    the original; a pending 延期 nobody approved said after it, as the 周报 says it (report_wording.extension_text;
    found by a reader: the sheet said 年底前 of a task extended to 1月31日)."""
    from gwgk_cli.signals import due_in_force, requested_due

    due = due_in_force(task, state)
    if due is None or not state.extensions:
        return task.deadline.phrase
    approved = [x for x in state.extensions if x.approved_by]
    moved = approved[-1].approved_by if approved and due != task.deadline.due else ""
    requested = requested_due(task, state)
    parts = [f"原定{task.deadline.phrase}，延期经{moved}批准"] if moved else []
    if requested is not None:
        parts.append(f"申请{'再' if moved else ''}延期至{requested.year}年{requested.month}月{requested.day}日，未经批准")
    head = f"{due.year}年{due.month}月{due.day}日" if moved else task.deadline.phrase
    return f"{head}（{'；'.join(parts)}）" if parts else head


def read_only_values(task: Task, state: TaskState, collective: frozenset[str], via_collective: bool,
                     status: str = "") -> dict[str, str | int]:
    """The read-only cells of one task's row, as written (controls escaped; the writer keeps formula-like text
    text). `status` is the status as every view shows it (with review on, 已完成（待审核） or 已销号)."""
    texts = {
        "title": task.title,
        "requirement": task.requirement,
        "units": units_text(task, collective, via_collective),
        "deadline": deadline_text(task, state),
        "last_note": state.last_note or task.notice_progress or "",
    }
    # Each text whole (a long 具体要求 prints cut at the tallest row Excel prints, 409 pt, but the clerk reads it
    # whole in the formula bar: cutting the cell's text lost it; found in review).
    cells: dict[str, str | int] = {key: clean_line(value) for key, value in texts.items()}
    return {"id": task.id, **cells, "status": status or state.status.label,
            "percent": f"{state.percent}%" if state.percent is not None else ""}


@dataclass(frozen=True, slots=True)
class Identity:
    """What _gwgk says about a sheet."""

    fingerprint: str
    table: str
    year: int
    unit: str
    period: str
    sheet_id: str
    created: str

    def pairs(self) -> list[tuple[str, str]]:
        return [("format", str(FORMAT)), ("fingerprint", self.fingerprint), ("table", self.table),
                ("year", str(self.year)), ("unit", self.unit), ("period", self.period),
                ("sheet_id", self.sheet_id), ("created", self.created), ("main", MAIN_SHEET)]


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One task row of a 填报 sheet."""

    task_id: int
    via_collective: bool
    values: Mapping[str, str | int]  # read-only column key -> value
    collective: str = ""  # with via_collective: the collective unit it comes through (各相关科室 …)


def rows_for(plan: Plan, states: Mapping[int, TaskState], unit: Unit) -> list[SheetRow]:
    from gwgk_cli.queries import status_label

    collective = plan.collective_units
    rows = []
    for task, via in unit_tasks(plan, unit):
        state = states.get(task.id) or TaskState()
        rows.append(SheetRow(task.id, via, read_only_values(task, state, collective, via, status_label(plan, state)),
                             collective_of(task, collective) if via else ""))
    return rows


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]')


def default_file_name(unit: str, period: str) -> str:
    """行财科-推进情况填报表-2021-W47.xlsx (characters Windows forbids in names replaced by _)."""
    return _UNSAFE_NAME.sub("_", f"{unit}-推进情况填报表-{period}.xlsx")
