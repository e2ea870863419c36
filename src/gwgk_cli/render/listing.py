"""Listings on stdout: a generic table of rows in any of the four formats (units, sections, log), and the
text of `show` (one task's fields, then its history)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from gwgk_cli.render import plain

if TYPE_CHECKING:
    from gwgk_cli.queries import TaskRecord

SHOW_FIELDS = [
    ("部分", "section_path"),
    ("责任单位", "units"),
    ("牵头单位", "lead_unit"),
    ("时限要求", "deadline"),
    ("到期日", "due_text"),
    ("签收", "accept_text"),
    ("状态", "status_text"),
    ("信号", "signal"),
    ("最近进展", "last_note"),
    ("佐证材料", "evidence"),
]


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def render_rows(rows: list[dict[str, Any]], columns: list[plain.Column], fmt: str, *, caption: str = "",
                right: Iterable[int] = ()) -> None:
    """A generic listing in any of the four formats (fmt: table, tsv, json or csv)."""
    if fmt == "json":
        _write(plain.json_text(rows))
    elif fmt == "csv":
        _write(plain.csv_text(rows, columns))
    elif fmt == "tsv":
        _write(plain.tsv(rows, columns))
    else:
        from gwgk_cli.render.rich_views import print_grid

        print_grid([name for name, _ in columns], [[plain.cell_text(get(r)) for _, get in columns] for r in rows],
                   caption=caption, right=right)


def list_footer(recs: list[TaskRecord], hidden: list[str], collective: bool, collective_name: str = "各相关科室",
                left_out: int | None = None) -> list[str]:
    """The lines under a list: the tasks left out as only a collective unit's (`left_out` of them, after the
    --signal filter; None: all of `hidden`), then the warnings among the tasks (`recs`, before --signal) and,
    apart, among those left out (`hidden`: their signals), so the counts add up to what `gwgk warn` shows for the
    same units."""
    lines = []
    left_out = len(hidden) if left_out is None else left_out
    if left_out and not collective:
        lines.append(f"另有 {left_out} 项任务只写明“{collective_name}”等集体单位，未列出；加 --collective 一并显示。")
    red = [r for r in recs if r["signal"] == "red"]
    yellow = [r for r in recs if r["signal"] == "yellow"]
    hidden_counts = [f"{name} {n} 项" for name, n in (
        ("红灯", hidden.count("red")), ("黄灯", hidden.count("yellow")))
        if n] if not collective else []
    if red or yellow or hidden_counts:
        line = f"预警：红灯 {len(red)} 项，黄灯 {len(yellow)} 项" if red or yellow else "预警：所列任务无红灯、黄灯"
        if red:
            shown = "、".join(str(r["id"]) for r in red[:12])
            line += f"；逾期任务：{shown}" + (f" 等 {len(red)} 项" if len(red) > 12 else "")
        if hidden_counts:
            line += ("；未列出的集体单位任务另有" if red or yellow else "；未列出的集体单位任务有") + "、".join(hidden_counts)
        lines.append(line + "（gwgk warn 查看详情）")
    return lines


def show_fields(rec: TaskRecord) -> None:
    """The texts `show` prints for a task record (section path, due date with its extensions, 签收, status)."""
    rec["section_path"] = f"{rec['section_label']}、{rec['section_title']}" + (
        f" / {rec['subsection_label']}{rec['subsection_title']}" if rec["subsection"] else "")
    rec["due_text"] = (f"{rec['due']}（{plain.days_text(rec)}）" if rec["due"] else plain.days_text(rec) or "未识别")
    if rec["extensions"]:
        from gwgk_cli.report_wording import extension_facts

        moved, requested = extension_facts(rec)
        said = ([f"原定 {rec['original_due'] or rec['deadline']}，延期经{moved}批准"] if moved else []) + (
            [f"申请{'再' if moved else ''}延期至 {requested}（未经批准）"] if requested else [])
        from gwgk_cli.signals import approval_counts

        count = sum(approval_counts([(x["approved_by"], x["to"]) for x in rec["extensions"]]))  # request + approval: 1
        rec["due_text"] += "".join(f"；{part}" for part in said) + (f"，共延期 {count} 次" if count > 1 else "")
    rec["accept_text"] = plain.accept_text(rec)
    rec["status_text"] = rec["status_label"] + (f" {rec['percent']}%" if rec["percent"] is not None else "")


def print_show(recs: list[TaskRecord], history: Mapping[int, list[dict[str, Any]]]) -> None:
    """`show` on a terminal: each task's fields, then its history, a blank line between tasks."""
    from gwgk_cli.render.history import history_rows
    from gwgk_cli.render.rich_views import print_task

    for n, rec in enumerate(recs):
        if n:
            print()
        show_fields(rec)
        print_task(rec, history_rows(history[rec["id"]]), SHOW_FIELDS)
