"""The text of a 催办 message for one unit, from the task records every view uses (queries.records)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gwgk_cli.report_period import date_text
from gwgk_cli.sanitize import clean_line


@dataclass(frozen=True, slots=True)
class Reminder:
    """One unit's 催办 message: to whom, subject, text, tasks."""

    unit: str
    subject: str
    body: str
    task_ids: tuple[int, ...] = field(default=())


# A 催办 line quotes at most this much of a reason (a 受阻 reason is the clerk's own text): a 5,000-character
# note went out as nine 企业微信 posts. The whole text stays in gwgk show.
REASON_CHARS = 120


def _task_line(rec: Mapping[str, Any]) -> str:
    status = rec.get("status_label", "")
    if rec.get("percent") is not None and rec.get("status") != "done":
        status += f" {rec['percent']}%"
    reason = rec.get("signal_reason") or ""
    if len(reason) > REASON_CHARS:
        reason = f"{reason[:REASON_CHARS]}……（全文见 gwgk show {rec['id']}）"
    return clean_line(f"任务 {rec['id']}　{rec['title']}（{status}）：{reason}".rstrip("："))


def compose(unit: str, urgent: Sequence[Mapping[str, Any]], stale: Sequence[Mapping[str, Any]], *,
            table_title: str, today: dt.date, stale_days: int, sender: str = "") -> Reminder | None:
    """The unit's message, or None when there is nothing to chase. `urgent` are its red and yellow
    tasks (red first), `stale` its open tasks with no update for `stale_days` days."""
    if not urgent and not stale:
        return None
    red = [r for r in urgent if r.get("signal") == "red"]
    yellow = [r for r in urgent if r.get("signal") != "red"]
    lines = [f"{clean_line(unit)}：", f"　　根据《{clean_line(table_title)}》，截至{date_text(today)}，贵单位以下任务需抓紧推进，"
             "请于收到后及时登记进展："]
    if red:
        lines.append(f"一、红灯任务（{len(red)} 项）")
        lines.extend(f"　　{_task_line(r)}" for r in red)
    if yellow:
        lines.append(f"{'二' if red else '一'}、黄灯任务（{len(yellow)} 项）")
        lines.extend(f"　　{_task_line(r)}" for r in yellow)
    shown = {r["id"] for r in urgent}
    rest = [r for r in stale if r["id"] not in shown]
    if rest:
        numeral = "一二三"[bool(red) + bool(yellow)]
        lines.append(f"{numeral}、超过 {stale_days} 天未更新（{len(rest)} 项）")
        for r in rest:
            updated = date_text(dt.date.fromisoformat(r["updated"])) if r.get("updated") else "从未登记"
            lines.append(clean_line(f"　　任务 {r['id']}　{r['title']}（最近更新：{updated}）"))
    if sender:
        lines.append(f"{clean_line(sender)}　{date_text(today)}")
    counts = []
    if red:
        counts.append(f"红灯 {len(red)} 项")
    if yellow:
        counts.append(f"黄灯 {len(yellow)} 项")
    if rest:
        counts.append(f"未更新 {len(rest)} 项")
    subject = clean_line(f"【催办】{unit}：{'，'.join(counts)}（{date_text(today)}）")
    ids = tuple(dict.fromkeys([*(r["id"] for r in urgent), *(r["id"] for r in rest)]))
    return Reminder(unit=unit, subject=subject, body="\n".join(lines) + "\n", task_ids=ids)
