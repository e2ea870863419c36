"""A returned 填报表 -> the rows a unit filled in, every value checked, every problem with its cell.

Values are read as gwgk_cli.sheets.values describes (dates, percents, statuses, text). A note cell merged
over several rows counts for each of those rows; any text, also one that looks like a formula, is kept as
text (output paths neutralise it through gwgk_cli.sanitize). A formula is not: a fill-in cell holding one is a
problem at that cell, whatever program saved the file and whether or not it saved the formula's result (its
value is not what the clerk wrote, and changes when recalculated); so is a read-only cell holding one. The one
formula read is =HYPERLINK("address", "text") with both written out in 佐证材料: its text and its address.

Problems name the file and the cell (`行财科-推进情况填报表.xlsx!J5: 完成进度 “八成” 不是 0–100 的数字`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gwgk_cli.errors import BadValue
from gwgk_cli.journal import field_problem
from gwgk_cli.model import YEARS, Plan, Status
from gwgk_cli.sheets.formulas import Formula, Formulas, shown_formula
from gwgk_cli.sheets.layout import (
    ADDED_COLUMNS,
    COLUMNS,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    ID_FIRST_ROW,
    ID_SHEET,
    MAIN_SHEET,
    READ_ONLY,
    STATUS_CHOICES,
    Column,
    fingerprint,
    header_of,
    letter,
    unit_tasks,
)
from gwgk_cli.sheets.period import Period, parse_period
from gwgk_cli.sheets.values import (
    WrongWeekday,
    normal,
    parse_date_value,
    parse_percent_value,
    percent_shown,
    person_name,
    shown,
    text_value,
    why_not_a_date,
)

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CONVERTED_SUFFIXES = (".xls", ".et", ".ods")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a returned sheet, at a cell reference."""

    file: str
    ref: str  # a cell (J5), or "" for the file as a whole
    message: str
    where: str = ""  # the worksheet the cell is on, when it is not the usual 推进情况填报表

    def __str__(self) -> str:
        ref = f"{self.where}!{self.ref}" if self.where and self.ref else self.ref
        return f"{self.file}!{ref}: {self.message}" if ref else f"{self.file}: {self.message}"

    @property
    def order(self) -> tuple[int, int, str]:
        """The file's own problems first, then by row, then by column."""
        m = re.match(r"^([A-Z]+)(\d+)$", self.ref)
        return (int(m[2]), len(m[1]), m[1]) if m else (0, 0, self.ref)


@dataclass(slots=True)
class Filled:
    """What a unit wrote in one task's row (text as written, stripped; empty when left blank)."""

    row: int
    task_id: int
    progress: str = ""
    percent: int | None = None
    status: Status | None = None
    problems: str = ""
    next_steps: str = ""
    evidence: str = ""
    filled_by: str = ""
    filled_on: dt.date | None = None
    done_on: dt.date | None = None  # 完成日期: when the task was finished (with 状态 已完成)
    shared: bool = False  # a task the unit holds only through a collective unit (各相关科室)
    shown_status: str = ""  # the row's 当前状态 and 当前进度 as sheet out printed them (what the unit saw)
    shown_percent: str = ""

    def ref(self, key: str) -> str:
        return f"{letter(key)}{self.row}"

    @property
    def empty(self) -> bool:
        return not (self.progress or self.percent is not None or self.status or self.problems or self.next_steps
                    or self.evidence)


@dataclass(slots=True)
class ReturnedSheet:
    """A returned 填报 workbook as read: its unit, period and rows."""

    path: Path
    name: str  # the file name as shown in messages
    sha256: str
    unit: str = ""
    period: Period | None = None
    sheet_id: str = ""
    rows: list[Filled] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False  # the file as a whole cannot be used (not a gwgk sheet, another table)
    bad_rows: set[int] = field(default_factory=set)  # task ids whose row has a problem
    saved: dt.datetime | None = None  # when the workbook was last saved (its own "modified" time, UTC)
    notices: list[str] = field(default_factory=list)  # said in the preview, not problems
    read_from: str = ""  # the worksheet read, when it is not the one sheet out named (renamed): problems name it
    same_as: str = ""  # an earlier file of the same call with the same bytes (versions.same_sheet_in_call)
    year: int = 0  # the task table's (and so the sheet's) year

    def problem(self, ref: str, message: str, task_id: int | None = None) -> None:
        self.problems.append(Problem(self.name, ref, message, self._where(ref)))
        if task_id is not None:
            self.bad_rows.add(task_id)

    def _where(self, ref: str) -> str:
        return self.read_from if re.fullmatch(r"[A-Z]+\d+", ref) else ""

    def fail(self, message: str, ref: str = "") -> ReturnedSheet:
        self.problems.append(Problem(self.name, ref, message, self._where(ref)))
        self.fatal = True
        return self


# -- reading ----------------------------------------------------------------------------------------


def expand_paths(args: list[Path]) -> list[Path]:
    """The files to read: a directory gives its workbooks (sorted; Excel's `~$` lock files left out), a
    pattern with * or ? that names no file is expanded (PowerShell and cmd do not expand it), anything
    else is taken as it is (a missing file is reported when it is read)."""
    out: list[Path] = []
    for arg in args:
        if arg.is_dir():
            found = sorted(p for p in arg.iterdir() if p.suffix.lower() in EXCEL_SUFFIXES + CONVERTED_SUFFIXES
                           and not p.name.startswith(("~$", ".")) and p.is_file())
            if not found:
                raise BadValue(f"目录 {arg} 中没有 .xlsx 填报表")
            out += found
        elif not arg.exists() and any(ch in arg.name for ch in "*?"):
            found = sorted(p for p in arg.parent.glob(arg.name) if p.is_file() and not p.name.startswith("~$"))
            if not found:
                raise BadValue(f"没有与 {arg} 匹配的文件")
            out += found
        else:
            out.append(arg)
    return list(dict.fromkeys(out))


def read_returned(path: Path, plan: Plan, *, today: dt.date, display: str | None = None) -> ReturnedSheet:
    """Read and check one returned workbook against the current table."""
    name = display or path.name
    from gwgk_cli.reading import MIB, read_named_file

    try:  # missing, not a regular file, too large, unreadable: this file's problem, not the run's
        raw = read_named_file(path, 64 * MIB, "填报表")
    except BadValue as exc:
        return ReturnedSheet(path=path, name=name, sha256="").fail(
            str(exc).replace(f"填报表 {path} ", "此文件").replace(f"填报表 {path}", "此文件"))
    sheet = ReturnedSheet(path=path, name=name, sha256=hashlib.sha256(raw).hexdigest())
    suffix = path.suffix.lower()
    if suffix in CONVERTED_SUFFIXES:
        from gwgk_cli.sheets.convert import to_xlsx

        try:
            raw = to_xlsx(path)
        except BadValue as exc:  # LibreOffice missing, or it cannot convert this file
            return sheet.fail(str(exc).removeprefix(f"{path.name}: "))
    elif suffix in (".csv", ".txt"):
        return sheet.fail(f"是另存为的 {suffix[1:].upper()} 文本，没有填报表的识别信息，无法导入；"
                          "请发回 gwgk sheet out 生成的 .xlsx 原表（在其中填写后直接保存）")
    elif suffix not in EXCEL_SUFFIXES:
        return sheet.fail("不是 Excel 工作簿（应为 .xlsx；.xls、.et 需要 LibreOffice 转换）")
    elif raw.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: an old .xls or .et, or an encrypted workbook
        return sheet.fail("是旧版 .xls/.et 或设置了打开密码的工作簿，扩展名却是 .xlsx：请在 Excel/WPS 中取消密码并"
                          "“另存为” .xlsx 后再导入")
    from gwgk_cli.reading import MAX_UNZIPPED, unzipped_size

    total = unzipped_size(raw)
    if total is not None and total > MAX_UNZIPPED:  # a zip bomb: gigabytes of XML from a small attachment
        return sheet.fail(f"解压后过大（{total // MIB} MiB，上限 {MAX_UNZIPPED // MIB} MiB），不像是填报表，未读取")
    import io

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl's notes on what it cannot use go to no one's terminal
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged file makes the parser fail in any of a dozen ways
        # (BadZipFile, zlib.error, XML ParseError, IndexError for missing styles …): each is this file's damage.
        return sheet.fail(f"无法作为 .xlsx 工作簿打开（{type(exc).__name__}），文件可能已损坏或不是 Excel 文件")
    modified = wb.properties.modified
    sheet.saved = modified if isinstance(modified, dt.datetime) else None
    if ID_SHEET not in wb.sheetnames:
        return sheet.fail("不是 gwgk sheet out 生成的填报表（缺少识别信息 _gwgk），无法对应任务")
    ids = wb[ID_SHEET]
    meta = {text_value(ids.cell(row=r, column=1).value): text_value(ids.cell(row=r, column=2).value)
            for r in range(1, ID_FIRST_ROW - 1)}
    if meta.get("format") != str(FORMAT):
        return sheet.fail(f"填报表格式 {meta.get('format')!r} 不受此版本 gwgk 支持", f"{ID_SHEET}!B1")
    year = meta.get("year", "")
    if year != str(plan.year):
        return sheet.fail(f"是 {year} 年任务表的填报表，当前任务表是 {plan.year} 年（{plan.title}），未导入")
    sheet.year = plan.year
    if meta.get("fingerprint") != fingerprint(plan):
        return sheet.fail(f"是为另一份任务表（{meta.get('table', '')}）生成的填报表，与当前任务表的任务不符"
                          "（任务表改动过？请用 gwgk sheet out 重新生成），未导入")
    unit = plan.unit(meta.get("unit", ""))
    if unit is None:
        return sheet.fail(f"填报单位 “{meta.get('unit', '')}” 不在当前任务表的单位中")
    sheet.unit, sheet.sheet_id = unit.name, meta.get("sheet_id", "")
    if not re.fullmatch(r"[0-9a-f]{12}", sheet.sheet_id):  # what sheet out writes; it goes into the journal
        return sheet.fail("识别信息已损坏（表号无效），请用 gwgk sheet out 重新生成", f"{ID_SHEET}!B7")
    try:
        sheet.period = parse_period(meta.get("period", ""))
    except BadValue:
        return sheet.fail(f"填报周期 “{meta.get('period', '')}” 无效", f"{ID_SHEET}!B6")
    if sheet.period.start > today:
        return sheet.fail(f"填报周期 {sheet.period.label}尚未开始（今天是 {today}），未导入")
    # The sheet to read is found by what it holds (the header row), not by its position or name: a clerk may
    # rename it, or copy it (Excel 移动或复制→建立副本) and fill the copy.
    main_name = meta.get("main", MAIN_SHEET)
    others = [s for s in wb.worksheets if s.title != ID_SHEET]
    alike = [s for s in others if not _moved_columns(s)]
    ws = next((s for s in alike if s.title == main_name), alike[0] if alike else
              wb[main_name] if main_name in wb.sheetnames else others[0] if others else None)
    if ws is None:
        return sheet.fail("找不到填报的工作表（只剩识别信息 _gwgk），请用 gwgk sheet out 重新生成")
    if ws.title != main_name:
        sheet.read_from = ws.title
    for copy in alike:
        if copy is not ws and _has_fill(copy, ids):
            sheet.problem("", f"工作表“{copy.title}”与所读的工作表“{ws.title}”表头相同，也填有内容，未读取；"
                              f"请把内容填在“{ws.title}”中并删除多余的工作表后重新导入")
    moved = _moved_columns(ws)
    if moved:  # columns swapped, inserted or deleted: every value would land in the wrong field
        col, now = moved[0]
        sheet.fail(f"表头应为“{col.header}”，现为“{shown(now)}”（列被移动、插入或删除？"
                   "请按原表填写，或用 gwgk sheet out 重新生成）", f"{letter(col.key)}{HEADER_ROW}")
        return sheet
    from gwgk_cli.sheets.formulas import Unreadable, formula_cells

    try:
        formulas = formula_cells(raw, ws.title, max_column=len(COLUMNS))
    except Unreadable:  # openpyxl read the sheet, its part is not where the package says: a made-up file
        return sheet.fail(f"无法读取工作表“{ws.title}”的单元格（文件结构异常），文件可能已损坏")
    listed = unit_tasks(plan, unit)
    mine = {task.id for task, _ in listed}
    shared = {task.id for task, via in listed if via}
    _read_rows(sheet, ws, ids, mine, shared, plan, today, lambda first: _stream_rows(raw, ws.title, first), formulas)
    return sheet


def _moved_columns(ws: Any) -> list[tuple[Column, Any]]:
    """The columns whose header is not the one sheet out wrote, with what is there now."""
    headers = [ws.cell(row=HEADER_ROW, column=i).value for i in range(1, len(COLUMNS) + 1)]
    return [(c, now) for c, now in zip(COLUMNS, headers, strict=True) if normal(text_value(now)) != normal(c.header)
            and not (c.key in ADDED_COLUMNS and text_value(now) == "")]  # a sheet from before the column


def _has_fill(ws: Any, ids: Any) -> bool:
    """Whether any of the table's rows has a fill-in cell written in (a filled copy of the sheet)."""
    rows = [ids.cell(row=r, column=1).value for r in range(ID_FIRST_ROW, ID_FIRST_ROW + 200)]
    listed = [int(r) for r in rows if isinstance(r, (int, float))] or list(range(FIRST_ROW, FIRST_ROW + 50))
    fill = [i for i, c in enumerate(COLUMNS, 1) if c.fill]
    return any(text_value(ws.cell(row=r, column=c).value) for r in listed for c in fill)


_LITERAL_LINK = re.compile(r'^=\s*HYPERLINK\s*\(\s*"((?:[^"]|"")*)"\s*(?:,\s*"((?:[^"]|"")*)"\s*)?\)\s*$',
                           re.IGNORECASE)


def literal_link(formula: Formula) -> tuple[str, str] | None:
    """(text, address) of =HYPERLINK("address", "text") (Excel's and WPS's link function; the text may be left
    out: the address shows) when both are written out in it: nothing in it is computed, the cell shows what the
    clerk wrote. None for any other formula (=HYPERLINK(A1), =HYPERLINK("…", B5), …)."""
    m = _LITERAL_LINK.match(formula.text) if not formula.array else None
    if m is None or not m[1].strip():
        return None
    address = m[1].replace('""', '"').strip()
    return (address if m[2] is None else m[2].replace('""', '"').strip()), address


def formula_problem(what: str, formula: Formula) -> str:
    """Why a fill-in cell holding a formula is not read, quoting it (`what`: the column, “完成进度”)."""
    text = shown_formula(formula)
    which = f" {formula.array} 的数组公式" if formula.array else "公式"
    quoted = f"（{text}）" if text else ""
    result = "的结果" if formula.array else ""
    return (f"{what}是{which}{quoted}{result}，不是直接填写的值；请改为直接填写的值"
            "（以 = 开头的文字请在前面加英文单引号 '）")


def _stream_rows(raw: bytes, title: str, first: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row, its values in COLUMNS) from `first` on, streamed (openpyxl's read-only mode): the rows below the
    table of a sheet formatted down to its last row (1,048,576) without making a cell for each."""
    import io

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            ws = wb[title]
            ws.reset_dimensions()  # read-only mode trusts the file's <dimension>; a tool may leave it short
            rows = ws.iter_rows(min_row=first, max_col=len(COLUMNS), values_only=True)
            yield from enumerate(rows, first)
        finally:
            wb.close()


# A 填报日期 this long before the period starts is a typo, not a sheet filled in just before the week.
EARLY_DAYS = dt.timedelta(days=7)
EXTRA_ROWS_IN_MEMORY = 1000  # rows below the table read cell by cell; more (a whole-column format) are streamed


class _Cells:
    """The main sheet's cells by (row, column key); a value merged over several rows counts for each
    of those rows (in the merged range's first column)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.column_of = {c.key: i for i, c in enumerate(COLUMNS, 1)}
        self.merged: dict[tuple[int, int], Any] = {}
        for rng in ws.merged_cells.ranges:
            top_left = ws.cell(row=rng.min_row, column=rng.min_col)
            for r in range(rng.min_row, rng.max_row + 1):
                self.merged[(r, rng.min_col)] = top_left

    def cell(self, row: int, key: str) -> Any:
        col = self.column_of[key]
        return self.merged.get((row, col)) or self.ws.cell(row=row, column=col)

    def value(self, row: int, key: str) -> Any:
        return self.cell(row, key).value

    def blank(self, row: int, key: str) -> bool:
        return text_value(self.value(row, key)) == ""


def link_address(target: str) -> str:
    """A 佐证材料 hyperlink's address as the clerk meant it. LibreOffice saves a link to D:\\材料\\预算.pdf relative
    to the workbook, as ../../../D:/材料/预算.pdf (found by a tester): the drive path is what it points at."""
    drive = re.match(r"(?:\.\./)+([A-Za-z]:[/\\].*)", target)
    return drive[1] if drive else target


def on_the_clerks_pc(target: str) -> bool:
    """Whether a link address points at the filling PC's own disk (D:/…, file:///D:/…, a relative path): not a
    web address nor a shared folder (\\\\server\\share), which other PCs may open."""
    if re.match(r"file:///[A-Za-z]:", target, re.IGNORECASE):
        return True
    from gwgk_cli.links import web_address

    return not (web_address(target) or target.startswith(("mailto:", "\\\\", "//")))


def _relative(target: str) -> bool:
    """Whether a link address is relative (to where the workbook was on the clerk's PC: nothing here)."""
    return not re.match(r"[A-Za-z]:[/\\]|[/\\]|file:", target, re.IGNORECASE)


def _merged_notices(sheet: ReturnedSheet, ws: Any, listed: Mapping[int, int]) -> None:
    """A fill-in cell merged over several tasks' rows counts for each of them (as a clerk who merges means, most
    often): said in the preview, naming the range and the tasks, since it may also be a slip (found by a tester:
    a percent merged over three rows recorded for three tasks, unsaid)."""
    for rng in ws.merged_cells.ranges:
        if not 1 <= rng.min_col <= len(COLUMNS) or not COLUMNS[rng.min_col - 1].fill:
            continue
        tasks = [listed[r] for r in range(rng.min_row, rng.max_row + 1) if r in listed]
        value = text_value(ws.cell(row=rng.min_row, column=rng.min_col).value)
        if len(tasks) > 1 and value:
            shown = value if len(value) <= 20 else value[:19] + "…"  # printed through clean_line (cli.sheet)
            sheet.notices.append(f"注意：{rng.coord} 是合并单元格，“{COLUMNS[rng.min_col - 1].header}”填的“{shown}”"
                                 f"记入了它覆盖的每个任务（{'、'.join(map(str, tasks))}）；如非此意，请取消合并、分行填写后重新导入")


def _read_rows(sheet: ReturnedSheet, ws: Any, ids: Any, mine: set[int], shared: set[int], plan: Plan, today: dt.date,
               stream: Callable[[int], Iterable[tuple[int, tuple[Any, ...]]]], formulas: Formulas) -> None:
    cells = _Cells(ws)
    layout: list[tuple[int, int, dict[str, str]]] = []  # (sheet row, task id, its read-only cells) as sheet out wrote
    r = ID_FIRST_ROW
    while ids.cell(row=r, column=1).value is not None:
        try:
            row_no, task_id = int(ids.cell(row=r, column=1).value), int(ids.cell(row=r, column=2).value)
        except (TypeError, ValueError):
            sheet.fail("识别信息已损坏（_gwgk 中的行号或任务序号无效），请用 gwgk sheet out 重新生成",
                       f"{ID_SHEET}!A{r}")
            return
        twice = (f"任务 {task_id}" if any(t == task_id for _, t, _ in layout)
                 else f"第 {row_no} 行" if any(n == row_no for n, _, _ in layout) else "")
        if twice:  # sheet out lists each task and row once
            sheet.fail(f"识别信息已损坏（_gwgk 中{twice} 出现了两次），请用 gwgk sheet out 重新生成", f"{ID_SHEET}!A{r}")
            return
        layout.append((row_no, task_id, {col.key: text_value(ids.cell(row=r, column=i).value)
                                         for i, col in enumerate(READ_ONLY, 3)}))
        r += 1
    moved = _rows_moved(layout, cells, mine)
    if moved is not None:  # rows deleted, inserted or sorted: every row below has moved too, so one problem,
        sheet.fail(*moved)  # not one per cell (an inserted blank row's read-only cells), and no row is read
        return
    listed: dict[int, int] = {}  # sheet row -> task id
    for row_no, task_id, expected in layout:
        listed[row_no] = task_id
        _check_read_only(sheet, row_no, task_id, expected, cells, formulas)
        if task_id not in mine:
            why = "不在任务表中" if plan.task(task_id) is None else f"不是 {sheet.unit} 的任务"
            sheet.problem(f"A{row_no}", f"任务 {task_id} {why}", task_id)
        else:
            sheet.rows.append(_read_filled(sheet, row_no, task_id, cells, today, formulas))
            sheet.rows[-1].shared = task_id in shared
            sheet.rows[-1].shown_status, sheet.rows[-1].shown_percent = expected["status"], expected["percent"]
    _merged_notices(sheet, ws, listed)
    last = max(listed, default=FIRST_ROW - 1)
    if ws.max_row - last <= EXTRA_ROWS_IN_MEMORY:
        below: Iterable[tuple[int, tuple[Any, ...]]] = (
            (row, tuple(cells.value(row, c.key) for c in COLUMNS)) for row in range(last + 1, ws.max_row + 1))
    else:
        below = stream(last + 1)
    for row, values in below:
        if all(text_value(v) == "" for v in values):
            continue
        typed = normal(text_value(values[0]))
        if typed.isdigit() and int(typed) not in mine:
            why = "不在任务表中" if plan.task(int(typed)) is None else f"不是 {sheet.unit} 的任务"
            sheet.problem(f"A{row}", f"任务 {typed} {why}")
        else:
            sheet.problem(f"A{row}", f"第 {row} 行不是填报表原有的行，未读取（请在原有的行中填写）")


_MOVED = "行被删除、插入或重新排序过，各行与任务不再对应，未读取（请在原表中填写，不要增删或排序行）"


def _rows_moved(layout: list[tuple[int, int, dict[str, str]]], cells: _Cells, mine: set[int]) -> tuple[str, str] | None:
    """(message, cell) when the table's rows no longer are where sheet out put them: another of the unit's
    tasks in a task's row. The message names the first row out of place: an inserted row (the task that was
    there is further down now), a deleted one (it is further up), or rows sorted."""
    def typed(row: int) -> str:
        return normal(text_value(cells.value(row, "id")))

    def here(row: int, task_id: int) -> bool:
        return typed(row) == str(task_id)

    first = next(((row, t) for row, t, want in layout if typed(row) != want["id"]), None)
    if first is None:
        return None
    row, task_id = first
    if sorted(typed(r) for r, _, _ in layout) == sorted(want["id"] for _, _, want in layout):  # all there, reordered
        return f"行的顺序被改动（此行应为任务 {task_id}，现为任务 {typed(row)}）：{_MOVED}", f"A{row}"  # (a tester)
    last = max(r for r, _, _ in layout)
    now = next((r for r in range(row + 1, last + len(layout) + 2) if here(r, task_id)), None)
    if now is not None and all(here(r + now - row, t) for r, t, _ in layout if r >= row):
        what = f"第 {row} 行是插入的行" if now == row + 1 else f"第 {row}–{now - 1} 行是插入的行"
        return f"{what}（任务 {task_id} 原在第 {row} 行，现在第 {now} 行）：{_MOVED}", f"A{row}"
    gone = next((r for r, t, _ in layout if r > row and here(row, t)), None)
    if gone is not None and all(here(r - (gone - row), t) for r, t, _ in layout if r >= gone):
        what = f"第 {row} 行" if gone == row + 1 else f"第 {row}–{gone - 1} 行"
        return f"任务 {task_id} 所在的{what}被删除了（现为任务 {typed(row)}）：{_MOVED}", f"A{row}"
    if row == last and all(text_value(cells.value(row, col.key)) == "" for col in READ_ONLY):
        return f"任务 {task_id} 所在的第 {row} 行被删除了（现为空行）：{_MOVED}", f"A{row}"
    others = [typed(r) for r, _, want in layout if typed(r) != want["id"]]
    if not any(t.isdigit() and int(t) in mine for t in others):
        return None  # a 序号 typed over, not rows moved: the read-only cells' check names it
    found = f"任务 {typed(row)}" if typed(row).isdigit() else f"“{typed(row)}”" if typed(row) else "空行"
    return f"此行应为任务 {task_id}，现为{found}：{_MOVED}", f"A{row}"


def _check_read_only(sheet: ReturnedSheet, row: int, task_id: int, expected: dict[str, str], cells: _Cells,
                     formulas: Formulas) -> None:
    for col in READ_ONLY:
        cell = cells.cell(row, col.key)
        now = text_value(cell.value)
        formula = formulas.at(cell.row, cell.column)  # sheet out writes none: one is a change, whatever it shows
        if now != expected[col.key] or formula is not None:
            was = expected[col.key].replace("\n", " ")[:40]
            if formula is None:
                now = f" “{now[:40]}”"
            else:
                now = f" {formula.array} 的数组公式" if formula.array else "公式"
                now += f" {shown_formula(formula)}" if formula.text else ""
            sheet.problem(f"{letter(col.key)}{row}", f"只读单元格“{col.header}”被改动（原为 “{was}”，现为{now}）", task_id)


def _date_cell(sheet: ReturnedSheet, filled: Filled, key: str, value: Any, today: dt.date, task_id: int
               ) -> dt.date | None:
    """A 填报日期 or 完成日期 cell as a date; None (and a problem at the cell) when it is none or cannot be right."""
    assert sheet.period is not None
    what, ref = header_of(key), filled.ref(key)
    try:
        day = parse_date_value(value, sheet.period)
    except WrongWeekday as exc:
        sheet.problem(ref, f"{what} “{shown(value)}” 星期不符（{exc.day} 是{exc.actual}），请核对", task_id)
        return None
    except (ValueError, OverflowError):
        start = sheet.period.start
        why = why_not_a_date(value, sheet.period) or f"例如 {start.isoformat()} 或 {start.month}月{start.day}日"
        sheet.problem(ref, f"{what} “{shown(value)}” 不是日期（{why}）", task_id)
        return None
    if day > today:
        sheet.problem(ref, f"{what} {day} 晚于今天（{today}）", task_id)
    elif key == "done_on" and sheet.year and day.year < sheet.year:  # as --date is (found in review)
        sheet.problem(ref, f"{what} {day} 早于任务表的年度（{sheet.year} 年），请核对", task_id)
    elif not YEARS[0] <= day.year <= YEARS[1] or day.year < sheet.period.start.year - 1:
        sheet.problem(ref, f"{what} {day} 远早于填报周期（{sheet.period.label}），请核对（数字被当作日期了？）", task_id)
    elif key == "filled_on" and day < sheet.period.start - EARLY_DAYS:  # a wrong month (2021.1.22 for 2021.11.22)
        sheet.problem(ref, f"{what} {day} 早于填报周期 {sheet.period.label}的开始超过 {EARLY_DAYS.days} 天，请核对",
                      task_id)
    else:
        return day
    return None


def _read_filled(sheet: ReturnedSheet, row: int, task_id: int, cells: _Cells, today: dt.date,
                 formulas: Formulas) -> Filled:
    assert sheet.period is not None
    filled = Filled(row=row, task_id=task_id)
    errors = set()
    link: tuple[str, str] | None = None  # (text, address) of a =HYPERLINK("address", "text") in 佐证材料
    for key in ("progress", "new_percent", "new_status", "problems", "next_steps", "evidence", "filled_by",
                "filled_on", "done_on"):
        c = cells.cell(row, key)
        formula = formulas.at(c.row, c.column)  # the top-left cell's, for a cell merged over several rows
        if formula is not None and key == "evidence" and (link := literal_link(formula)) is not None:
            continue  # read below: its text, then its address
        if formula is not None:  # cached result or none, saved by Excel, WPS, LibreOffice or a program: one rule
            errors.add(key)
            sheet.problem(filled.ref(key), formula_problem(f"“{header_of(key)}”", formula), task_id)
        elif c.data_type == "e":  # #NAME? and the like: text starting with = was taken for a formula
            errors.add(key)
            if key in ("filled_on", "done_on"):  # a number in the date-formatted column that is no date Excel knows
                sheet.problem(filled.ref(key), f"“{header_of(key)}”无法读取（{c.value}），请写成 2021-11-22 或 11月22日",
                              task_id)
            else:
                sheet.problem(filled.ref(key), f"“{header_of(key)}”是错误值 {c.value}（以 = 开头的内容会被当作公式，"
                                               "请在前面加英文单引号 ' 或改写）", task_id)
    for key, entry_field in (("progress", "note"), ("problems", "note"), ("next_steps", "note"), ("evidence", "evidence"),
                             ("filled_by", "by")):
        if key not in errors:
            text = text_value(link[0] if key == "evidence" and link is not None else cells.value(row, key))
            problem = field_problem(entry_field, text, f"“{header_of(key)}”")  # what the journal would refuse
            if problem:
                sheet.problem(filled.ref(key), problem, task_id)
                text = ""
            setattr(filled, key, text)
    filled.filled_by = person_name(filled.filled_by)
    cell_link = cells.cell(row, "evidence").hyperlink
    target = (link[1] if link is not None else
              link_address(text_value(cell_link.target)) if cell_link is not None and cell_link.target else "")
    if target and "evidence" not in errors and target not in filled.evidence:  # the link, not only its text
        filled.evidence = f"{filled.evidence} {target}".strip()
        if on_the_clerks_pc(target):
            where = "相对于填报人电脑上该工作簿所在位置的路径" if _relative(target) else "填报人电脑上的文件路径"
            sheet.notices.append(f"注意：{filled.ref('evidence')} 佐证材料的链接“{target}”是{where}，在本机打不开；"
                                 "请填报单位改附网址，或把文件一并发回")
    if not cells.blank(row, "new_percent") and "new_percent" not in errors:
        value = cells.value(row, "new_percent")
        try:
            filled.percent = parse_percent_value(value, cells.cell(row, "new_percent").number_format)
        except ValueError as exc:
            shown_as = percent_shown(value, cells.cell(row, "new_percent").number_format)
            sheet.problem(filled.ref("new_percent"), f"完成进度 “{shown_as}” {exc}", task_id)
    if not cells.blank(row, "new_status") and "new_status" not in errors:
        value = cells.value(row, "new_status")
        try:
            filled.status = Status.parse(normal(text_value(value)))
        except ValueError:
            choices = "、".join(STATUS_CHOICES)
            sheet.problem(filled.ref("new_status"), f"状态 “{shown(value)}” 不在可选状态中（{choices}）", task_id)
    for key in ("filled_on", "done_on"):
        if not cells.blank(row, key) and key not in errors:
            setattr(filled, key, _date_cell(sheet, filled, key, cells.value(row, key), today, task_id))
    return filled


def filled_in(path: Path) -> bool:
    """Whether a workbook at `path` is a 填报表 with something typed in the columns to fill: a unit's answers,
    perhaps not imported yet, which `sheet out` must never write over (not even with --force)."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException):  # not a workbook (or a name
        return False  # openpyxl refuses for its extension): the usual rules of -o apply
    try:
        fill = [i for i, col in enumerate(COLUMNS) if col.fill]
        for ws in wb.worksheets:
            rows = ws.iter_rows(min_row=HEADER_ROW, values_only=True)
            header = next(rows, ())
            if [normal(text_value(v)) for v in header[:3]] != [normal(c.header) for c in COLUMNS[:3]]:
                continue
            if any(text_value(row[i]) for row in rows for i in fill if i < len(row)):
                return True
        return False
    finally:
        wb.close()
