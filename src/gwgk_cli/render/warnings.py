"""The text of `warn` and `check`: one line per warning, grouped by lead unit, worst first."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwgk_cli.queries import TaskRecord


def warning_line(rec: TaskRecord) -> str:
    return line_of(rec["signal_label"], rec["id"], rec["title"], rec["signal_reason"])


def line_of(label: str, task_id: int, title: str, reason: str) -> str:
    """One warning's line from its values (`check` has no record per warning)."""
    return f"● {label}  任务 {task_id} {title}：{reason}"


def group_by_lead(recs: list[TaskRecord]) -> list[tuple[str, list[TaskRecord]]]:
    """Grouped by lead unit; groups with more red, then more yellow, first."""
    groups: dict[str, list[TaskRecord]] = {}
    for rec in recs:
        groups.setdefault(rec["lead_unit"], []).append(rec)
    return sorted(groups.items(), key=lambda kv: (-sum(r["signal"] == "red" for r in kv[1]), -len(kv[1])))


HANGING = " " * 6  # a warning's wrapped lines start under its 任务 (after `● 红  `)


def print_warnings(bad: list[TaskRecord], total: int, ended: str | None) -> None:
    """`warn` on a terminal: the counts, then each lead unit's warnings in its signal's colour."""
    from rich.text import Text

    from gwgk_cli.render.cjkwrap import fit_lines
    from gwgk_cli.render.rich_views import SIGNAL_STYLE, console, print_lines

    # A long reason (逾期 6 天；受阻：…) wraps by the Chinese rules under the 任务 after "  ● 红  ", not at column 0.
    width = max(20, console().width - 2)

    red = sum(r["signal"] == "red" for r in bad)
    lines: list[str | Text] = [Text(f"预警：红灯 {red} 项，黄灯 {len(bad) - red} 项（共检查 {total} 项任务）",
                                    style="bold")]
    if not bad:
        lines.append("全部正常，无预警。")
    for lead, recs in group_by_lead(bad):
        lines.append(Text(f"\n{lead}（{len(recs)} 项）", style="bold"))
        for rec in recs:
            wrapped = "\n".join("  " + piece for piece in fit_lines(warning_line(rec), width, HANGING))
            lines.append(Text(wrapped, style=SIGNAL_STYLE[rec["signal"]]))
    if ended:
        lines.append(Text("\n" + ended, style="bold"))
    print_lines(lines)
