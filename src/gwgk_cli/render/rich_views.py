"""Rich renderings for a terminal. Imported only when a table is drawn (rich is slow to import)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from gwgk_cli.render.plain import days_text
from gwgk_cli.sanitize import clean

SIGNAL_STYLE = {"red": "bold red", "yellow": "bold yellow", "green": "green", "done": "dim"}
STATUS_STYLE = {"todo": "", "doing": "cyan", "done": "green", "blocked": "bold magenta"}


def console() -> Console:
    """A console on stdout; colours follow NO_COLOR and vanish when not a terminal."""
    width = None
    if not sys.stdout.isatty():
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


def signal_text(rec: dict[str, Any]) -> Text:
    signal = rec.get("signal")
    if not signal:
        return Text("")
    text = safe(f"● {rec.get('signal_label', '')}", style=SIGNAL_STYLE.get(signal, ""))
    if signal in ("red", "yellow") and rec.get("signal_reason"):
        short = rec["signal_reason"].split(";")[0].split(":")[0].split("(")[0]
        text.append(clean(f" {short}"))
    return text


def units_text(rec: dict[str, Any]) -> Text:
    text = Text()
    leads = set(rec["leads"])
    for i, name in enumerate(rec["units"]):
        if i:
            text.append("、")
        text.append(clean(name), style="bold" if name in leads else "")
    return text


def due_text(rec: dict[str, Any]) -> Text:
    if rec["ongoing"]:
        return Text("持续推进", style="dim")
    if rec["due"] is None:
        return Text("未识别", style="dim")
    return safe(f"{rec['due']}\n{days_text(rec)}")


def task_table(records: Sequence[dict[str, Any]], *, caption: str = "") -> Table:
    table = Table(box=box.SIMPLE_HEAVY, caption=clean(caption) or None, caption_justify="left", show_lines=False,
                  expand=False, pad_edge=False)
    table.add_column("序号", justify="right", no_wrap=True)
    table.add_column("任务", min_width=10, max_width=32, overflow="fold", ratio=4)
    table.add_column("责任单位", min_width=8, max_width=30, overflow="fold", ratio=3)
    table.add_column("时限", no_wrap=True)
    table.add_column("到期日/剩余", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("信号", min_width=6, max_width=18, overflow="fold", ratio=2)
    for rec in records:
        title = safe(rec["title"])
        if rec.get("via_collective"):
            title.append(" [各相关科室]", style="dim italic")
        status = safe(rec["status_label"], style=STATUS_STYLE.get(rec["status"], ""))
        if rec.get("percent") is not None and rec["status"] != "done":
            status.append(f" {rec['percent']}%")
        table.add_row(str(rec["id"]), title, units_text(rec), safe(rec["deadline"]), due_text(rec), status,
                      signal_text(rec))
    return table


def print_tasks(records: Sequence[dict[str, Any]], *, caption: str, footer: Iterable[str | Text] = ()) -> None:
    out = console()
    out.print(task_table(records, caption=caption))
    for line in footer:
        out.print(_safe_line(line))


def print_task(rec: dict[str, Any], history: Sequence[dict[str, Any]], fields: Sequence[tuple[str, str]]) -> None:
    """One task in full: a key/value grid, the requirement wrapped, then its history."""
    out = console()
    out.print(safe(f"任务 {rec['id']}  {rec['title']}", style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, key in fields:
        if key == "units":
            grid.add_row(label, units_text(rec))
        elif key == "signal":
            grid.add_row(label, safe(f"● {rec.get('signal_label', '')}", style=SIGNAL_STYLE.get(rec.get("signal") or "", ""))
                         + safe(f"  {rec.get('signal_reason') or ''}"))
        else:
            grid.add_row(label, safe(rec.get(key)))
    out.print(grid)
    out.print(Text("具体要求", style="bold"))
    out.print(Padding(safe(rec["requirement"]), (0, 0, 0, 2)))
    if history:
        out.print(Text("进展记录", style="bold"))
        out.print(history_table(history))


def history_table(history: Sequence[dict[str, Any]]) -> Table:
    table = Table(box=box.SIMPLE, pad_edge=False)
    for name, opts in (("日期", {"no_wrap": True}), ("登记人", {"no_wrap": True}), ("任务", {"no_wrap": True}),
                       ("变更", {"no_wrap": True}), ("进度", {"no_wrap": True}), ("说明", {"overflow": "fold"})):
        table.add_column(name, **opts)  # type: ignore[arg-type]
    for h in history:
        table.add_row(*(safe(h[key]) for key in ("date", "by", "task", "change", "percent", "note")))
    return table


def print_history(history: Sequence[dict[str, Any]], caption: str = "") -> None:
    out = console()
    table = history_table(history)
    table.caption = clean(caption) or None
    table.caption_justify = "left"
    out.print(table)


def print_grid(headers: Sequence[str], rows: Sequence[Sequence[str | Text]], *, caption: str = "",
               right: Iterable[int] = ()) -> None:
    out = console()
    table = Table(box=box.SIMPLE_HEAVY, caption=clean(caption) or None, caption_justify="left", pad_edge=False)
    right_cols = set(right)
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if i in right_cols else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_safe_line(value) for value in row))
    out.print(table)


def print_lines(lines: Iterable[str | Text]) -> None:
    out = console()
    for line in lines:
        out.print(_safe_line(line))
