"""Rich renderings for a terminal. Imported only when a table is drawn (rich is slow to import)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from gwgk_cli.render.cjkwrap import text_width, wrap
from gwgk_cli.render.plain import days_text
from gwgk_cli.sanitize import clean

if TYPE_CHECKING:
    from gwgk_cli.queries import TaskRecord

SIGNAL_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "green", "done": "dim"}
STATUS_STYLE = {"todo": "", "doing": "cyan", "done": "green", "blocked": "bold magenta"}


def console(width: int | None = None) -> Console:
    """A console on stdout; colours follow NO_COLOR and vanish when not a terminal."""
    if width is None and not sys.stdout.isatty():
        try:
            width = int(os.environ.get("COLUMNS", "")) or None
        except ValueError:
            width = None
        width = width or 120
    # markup=False: task texts and notes are data, a "[...]" in them must print as written.
    return Console(file=sys.stdout, width=width, no_color=bool(os.environ.get("NO_COLOR")) or None,
                   highlight=False, soft_wrap=False, markup=False)


def safe(value: Any, style: str = "") -> Text:
    """Text from users or files for the terminal: control characters and bidi overrides escaped
    (sanitize.clean), never interpreted by rich (no markup) or the terminal."""
    return Text(clean("" if value is None else str(value)), style=style)


def _safe_line(line: str | Text) -> Text:
    if isinstance(line, Text):
        if clean(line.plain) == line.plain:
            return line
        return Text(clean(line.plain), style=line.style)
    return safe(line)


def short_reason(reason: str) -> str:
    """The first clause of a signal reason (`还剩 9 天；受阻：…` -> `还剩 9 天`)."""
    for sep in (";", "；", ":", "：", "(", "（"):
        reason = reason.split(sep)[0]
    return reason.strip()


def signal_text(rec: TaskRecord, *, own_line: bool = False) -> Text:
    """`● 黄 受阻：公报印刷厂停工`: the light and its whole reason, as `show` and `warn` give it (a 受阻 task
    within the warning window says `还剩 11 天；受阻：…`, never only `还剩 11 天`); `own_line`: the reason on a
    line of its own (a narrow column then breaks the reason, if at all, by the Chinese rules inside it,
    never between 73 天未 and 更新 of one phrase)."""
    signal = rec.get("signal")
    if not signal:
        return Text("")
    text = safe(f"● {rec.get('signal_label', '')}", style=SIGNAL_STYLE.get(signal, ""))
    reason = str(rec.get("signal_reason") or "")
    if signal in ("red", "yellow") and reason:
        text.append(clean(f"{chr(10) if own_line else ' '}{reason}"))
    elif signal == "green" and rec.get("extensions"):  # a 延期 asked for and not approved: said too (a tester)
        from gwgk_cli.report_wording import extension_facts

        requested = extension_facts(rec)[1]
        if requested:
            text.append(clean(f"{chr(10) if own_line else ' '}延期至 {requested} 未经批准"))
    return text


def says_days_left(rec: TaskRecord) -> bool:
    """Whether the signal's reason already says how far the deadline is (`逾期 1796 天`, `还剩 9 天`): then a
    narrow table's due column gives only the date, not the same words again."""
    reason = short_reason(rec.get("signal_reason") or "") if rec.get("signal") in ("red", "yellow") else ""
    return reason.startswith(("逾期", "还剩"))


def units_text(rec: TaskRecord, *, lead_only: bool = False) -> Text:
    """The units, the lead in bold; `lead_only`: the lead and how many others (`政务公开指导办 等3个`)."""
    text = Text()
    leads = set(rec["leads"])
    if lead_only:
        lead = rec.get("lead_unit") or (rec["units"][0] if rec["units"] else "")
        text.append(clean(lead), style="bold")
        others = len(rec["units"]) - 1
        if others > 0:
            text.append(f" 等{len(rec['units'])}个", style="dim")
        return text
    for i, name in enumerate(rec["units"]):
        if i:
            text.append("、")
        text.append(clean(name), style="bold" if name in leads else "")
    return text


def due_text(rec: TaskRecord, *, date_only: bool = False) -> Text:
    if rec["ongoing"]:
        return Text("持续推进", style="dim")
    if rec["due"] is None:
        return Text("未识别", style="dim")
    if date_only:
        return safe(rec["due"])
    said = days_text(rec)
    if rec["status"] == "done" and said.startswith("逾期"):
        said = "逾期完成"  # in the 10 columns; the days: show, and the 提示 of --wide
    return safe(f"{rec['due']}\n{said}")


def status_text(rec: TaskRecord) -> Text:
    status = safe(rec["status_label"], style=STATUS_STYLE.get(rec["status"], ""))
    if rec.get("percent") is not None and rec["status"] != "done":
        status.append(f" {rec['percent']}%")
    return status


def wrap_text(text: Text, width: int) -> Text:
    """`text` broken into lines of at most `width` columns by the Chinese rules (render/cjkwrap), its
    styles kept; nothing is cut off (rich's own folding breaks anywhere and may drop characters)."""
    plain = text.plain
    out = Text(justify=text.justify)
    pos = 0
    for i, line in enumerate(wrap(plain, width)):
        start = plain.find(line, pos) if line else pos
        if i:
            out.append("\n")
        out.append_text(text[start:start + len(line)])
        pos = start + len(line)
    return out


@dataclass(frozen=True, slots=True)
class Column:
    """A terminal table column: header, width rules, style."""

    header: str
    width: int  # 0: takes what is left
    justify: str = "left"


GAP = 3  # between two columns: rich's padding (1 + 1) and the box's divider
EDGES = 2  # the box's left and right edges


def list_columns(total: int, records: Sequence[TaskRecord], *, wide: bool) -> list[Column]:
    """The `list` table for a terminal `total` columns wide. Below 100 columns the deadline phrase goes
    (the due column says 持续推进 or the date) and only the lead unit is shown (`show` has them all).
    Short columns are as wide as their content; what is left goes to the title (three fifths) and the
    units, which wrap by the Chinese rules."""
    def fit(texts: Iterable[str], least: int, most: int) -> int:
        return min(max([least, *(max(map(text_width, t.split("\n"))) for t in texts)]), most)

    ids = fit((str(r["id"]) for r in records), 4, 6)
    status = fit((status_text(r).plain for r in records), 4, 10)
    signal = fit((signal_text(r).plain for r in records), 4, 40 if wide else SIGNAL_MOST if total >= 140 else 18)
    if wide or total >= 100:
        units = fit((units_text(r).plain for r in records), 8, 40 if wide else 24)
        fixed = [Column("序号", ids, "right"), Column("任务", 0), Column("责任单位", units),
                 Column("时限", fit((r["deadline"] for r in records), 4, 12)), Column("到期日/剩余", 11),
                 Column("状态", status), Column("信号", signal)]
    else:
        lead = fit((units_text(r, lead_only=True).plain.split(" 等")[0] for r in records), 8, 16)
        reasons = fit((signal_text(r, own_line=True).plain for r in records), 4, 12)
        fixed = [Column("序号", ids, "right"), Column("任务", 0), Column("牵头单位", lead),
                 Column("到期日", 10), Column("状态", status), Column("信号", reasons)]
    used = sum(c.width for c in fixed) + GAP * (len(fixed) - 1) + EDGES
    if total - used < TITLE_LEAST and not wide:  # the unit column gives way first: every column must fit
        fixed = [Column(c.header, max(8, c.width - (TITLE_LEAST - (total - used))))
                 if c.header in ("牵头单位", "责任单位") else c for c in fixed]
        used = sum(c.width for c in fixed) + GAP * (len(fixed) - 1) + EDGES
    title = min(max(total - used, 8 if not wide else TITLE_LEAST), 60)
    longest = fit((r["title"] + (" [各相关科室]" if r.get("via_collective") and wide else "") for r in records),
                  TITLE_LEAST, 60)
    if wide:  # no wider than the longest title (with its [各相关科室] mark): --wide runs past the window already
        title = min(title, longest)
    elif title > longest and records:  # room the titles do not need goes to a long reason (受阻：…)
        narrow = not (wide or total >= 100)
        reason = fit((signal_text(r, own_line=narrow).plain for r in records), 4, 60)
        more = min(title - longest, max(reason - fixed[-1].width, 0))
        fixed[-1] = Column(fixed[-1].header, fixed[-1].width + more)
        title -= more
    return [Column(c.header, title) if c.width == 0 else c for c in fixed]


TITLE_LEAST = 12  # the title column's cells, when there is room for them
SIGNAL_MOST = 24  # the signal column from 140 columns on: a 受阻 reason in fewer lines


def task_table(records: Sequence[TaskRecord], *, width: int, wide: bool = False) -> Table:
    columns = list_columns(width, records, wide=wide)
    narrow = not wide and any(c.header == "到期日" for c in columns)
    table = Table(box=box.SIMPLE_HEAVY, show_lines=False, expand=False, pad_edge=False)
    for column in columns:
        # Cells come wrapped to the column's width (wrap_text): rich must not wrap them again.
        table.add_column(column.header, width=column.width, no_wrap=True,
                         justify=column.justify)  # type: ignore[arg-type]
    for rec in records:
        title = safe(rec["title"])
        if rec.get("via_collective") and wide:  # narrower, the unit column says 各相关科室 already
            title.append(" [各相关科室]", style="dim italic")
        cells: dict[str, Text] = {
            "序号": Text(str(rec["id"]), justify="right"),
            "任务": title,
            "责任单位": units_text(rec),
            "牵头单位": units_text(rec, lead_only=True),
            "时限": safe(rec["deadline"]),
            "到期日/剩余": due_text(rec, date_only=says_days_left(rec) and not wide),
            "到期日": due_text(rec, date_only=says_days_left(rec)),
            "状态": status_text(rec),
            "信号": signal_text(rec, own_line=narrow),
        }
        table.add_row(*(wrap_text(cells[c.header], c.width) for c in columns))
    return table


def print_tasks(records: Sequence[TaskRecord], *, caption: str, footer: Iterable[str | Text] = (),
                wide: bool = False) -> None:
    out = console()
    window = width = out.width
    if wide:  # every column at its full width, even past the window (scroll, or `less -S`)
        needed = sum(c.width for c in list_columns(10_000, records, wide=True)) + GAP * 6 + EDGES
        width = max(width, needed)
        out = console(width=width)
    print_whole(out, task_table(records, width=width, wide=wide))
    for line in [caption, *footer]:  # the lines under it within the window, wide or not
        text = _safe_line(line)
        out.print(wrap_text(text, max(window - 1, 20)), no_wrap=True, overflow="ignore", crop=False)


def print_task(rec: TaskRecord, history: Sequence[dict[str, Any]], fields: Sequence[tuple[str, str]]) -> None:
    """One task in full: a key/value grid, the requirement wrapped, then its history."""
    out = console()
    out.print(safe(f"任务 {rec['id']}  {rec['title']}", style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True)
    value_width = max(out.width - max(text_width(label) for label, _ in fields) - 3, 20)
    for label, key in fields:
        if key == "units":
            value = units_text(rec)
        elif key == "signal":
            word, reason = rec.get("signal_label", ""), rec.get("signal_reason") or ""
            value = (safe(f"● {word}", style=SIGNAL_STYLE.get(rec.get("signal") or "", ""))
                     + safe(f"  {reason}" if reason != word else ""))  # 已完成 said once
        else:
            value = safe(rec.get(key))
        grid.add_row(label, wrap_text(value, value_width))
    out.print(grid)
    out.print(Text("具体要求", style="bold"))
    out.print(Padding(wrap_text(safe(rec["requirement"]), max(out.width - 3, 20)), (0, 0, 0, 2)), no_wrap=True)
    if history:
        out.print(Text("进展记录", style="bold"))
        print_whole(out, history_table(history, out.width))


HISTORY_HEADERS = ("日期", "登记人", "任务", "变更", "进度", "说明")


def history_table(history: Sequence[dict[str, Any]], width: int) -> Table:
    """A task's history in a window `width` columns wide, the notes wrapped by the Chinese rules."""
    keys = ("date", "by", "task", "change", "percent", "note")
    return grid_table(HISTORY_HEADERS, [[safe(h[key]) for key in keys] for h in history], width, box.SIMPLE)


def fit_widths(natural: Sequence[int], least: Sequence[int], room: int) -> list[int]:
    """Column widths that add up to at most `room`: every column its natural width when they fit; else the
    widest are brought down to one width, the largest that fits, none below its `least` (which may then
    exceed `room`: the table is wider than the window rather than unreadable)."""
    if sum(natural) <= room:
        return list(natural)
    low, high = 0, max(natural)
    while low < high:  # the largest cap whose widths fit
        cap = (low + high + 1) // 2
        if sum(max(lo, min(n, cap)) for n, lo in zip(natural, least, strict=True)) <= room:
            low = cap
        else:
            high = cap - 1
    return [max(lo, min(n, low)) for n, lo in zip(natural, least, strict=True)]


GRID_GAP = 2  # between two columns of a listing: a space of padding and the box's divider
KEEP_WHOLE = 12  # a column no wider than this (a date, a record id, a count) is never wrapped
TEXT_LEAST = 8  # a wrapped text column keeps at least four Chinese characters a line


def grid_widths(headers: Sequence[str], rows: Sequence[Sequence[Text]], total: int) -> list[int]:
    """The widths of a grid's columns in a window `total` columns wide: headers never wrapped, short columns
    whole, the long texts sharing what is left."""
    natural = [max([text_width(h), *(max(map(text_width, cell.plain.split("\n"))) for cell in column)])
               for h, column in zip(headers, zip(*rows, strict=True) if rows else [()] * len(headers), strict=True)]
    least = [n if n <= KEEP_WHOLE else max(text_width(h), TEXT_LEAST) for h, n in zip(headers, natural, strict=True)]
    return fit_widths(natural, least, total - GRID_GAP * (len(headers) - 1) - EDGES)


def grid_table(headers: Sequence[str], cells: Sequence[Sequence[Text]], total: int, style: box.Box = box.SIMPLE_HEAVY,
               right: Iterable[int] = ()) -> Table:
    """A listing fitted to a window `total` columns wide (grid_widths): long cells wrapped by the Chinese
    rules (render/cjkwrap), nothing cut."""
    widths = grid_widths(headers, cells, total)
    table = Table(box=style, pad_edge=False, padding=(0, 1, 0, 0))
    right_cols = set(right)
    for i, (h, width) in enumerate(zip(headers, widths, strict=True)):
        table.add_column(h, justify="right" if i in right_cols else "left", width=width, no_wrap=True)
    for row in cells:
        table.add_row(*(wrap_text(cell, width) for cell, width in zip(row, widths, strict=True)))
    return table


def print_grid(headers: Sequence[str], rows: Sequence[Sequence[str | Text]], *, caption: str = "",
               right: Iterable[int] = ()) -> None:
    """A listing (units, sections, log) on a terminal, its caption wrapped like its cells."""
    out = console()
    print_whole(out, grid_table(headers, [[_safe_line(value) for value in row] for row in rows], out.width, right=right))
    if caption:
        out.print(wrap_text(safe(caption), max(out.width - 1, 20)), no_wrap=True, overflow="ignore", crop=False)


def print_whole(out: Console, table: Table) -> None:
    """A table whose columns cannot all fit the window (below some 70 columns) printed at its own width for
    the terminal to wrap, rather than shrunk by rich, which cuts every cell to `…`."""
    needed = out.measure(table, options=out.options.update(max_width=10_000)).maximum
    if needed <= out.width:
        out.print(table)
        return
    import re

    wider = console(width=needed)
    with wider.capture() as captured:
        wider.print(table)
    # Without the spaces that pad each line to the table's width: the terminal would wrap them into blank lines.
    text = re.sub(r"(?: |\x1b\[[0-9;]*m)+$", lambda m: m[0].replace(" ", ""), captured.get(), flags=re.M)
    sys.stdout.write(text)
    sys.stdout.flush()


def print_lines(lines: Iterable[str | Text]) -> None:
    out = console()
    for line in lines:
        out.print(_safe_line(line))
