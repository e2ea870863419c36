"""Shared shaping of history entries for the terminal (show, log)."""

from __future__ import annotations

from typing import Any

from gwgk_cli.model import Status
from gwgk_cli.render.plain import Column

_UNDONE_WORDS = {"accept": "签收", "extend": "延期", "review": "审核", "note": "进展", "status": "状态变更"}


def change_text(rec: dict[str, Any], undone: dict[str, Any] | None = None) -> str:
    """The 变更 column; for an undo, `undone` is the record it reverted when known (撤销签收, 撤销延期 …)."""
    op = rec["op"]
    if op == "status":
        frm = Status(rec["from"]).label if rec["from"] else "?"
        return f"{frm} → {Status(rec['to']).label}"
    if op == "undo":
        if rec["from"] and rec["to"] and rec["from"] == rec["to"]:  # a later change keeps the status
            return f"撤销记录 {rec.get('undoes') or ''}，状态仍为{Status(rec['to']).label}"
        if rec["from"] and rec["to"]:
            return f"撤销：{Status(rec['from']).label} → {Status(rec['to']).label}"
        if undone is not None:
            return f"撤销{_UNDONE_WORDS.get(undone['op'], '记录')}"
        return f"撤销记录 {rec.get('undoes') or ''}".rstrip()
    if op == "accept":
        return f"签收（{rec.get('unit') or ''}）"
    if op == "extend":  # who approved it, or a request nobody approved (found by a tester: log named no approver)
        who = rec.get("approved_by")
        return f"延期至 {rec.get('due')}（{who}批准）" if who else f"申请延期至 {rec.get('due')}（未经批准）"
    if op == "review":
        return "审核通过，销号" if rec.get("result") == "pass" else "审核退回 → 推进中"
    return "进展"


def history_rows(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    by_id = {rec.get("id"): rec for rec in recs}
    for rec in recs:
        note = rec["note"] or ""
        if rec.get("evidence"):
            note = (note + " " if note else "") + f"[佐证：{rec['evidence']}]"
        rows.append({
            "date": rec["at"],
            "by": rec["by"],
            "task": rec["task"],
            "change": change_text(rec, by_id.get(rec.get("undoes"))),
            "percent": "" if rec["percent"] is None else f"{rec['percent']}%",
            "note": note,
        })
    return rows


LOG_COLUMNS: list[Column] = [
    ("日期", lambda r: r["date"]), ("登记人", lambda r: r["by"]), ("任务", lambda r: r["task"]),
    ("变更", lambda r: r["change"]), ("进度", lambda r: r["percent"]), ("说明", lambda r: r["note"]),
    ("记录", lambda r: r["id"]),
]


def log_rows(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of `log`: history_rows with the entry's id, and what undid or contradicts it in the note."""
    rows = history_rows(recs)
    for row, rec in zip(rows, recs, strict=True):
        row["id"] = rec["id"]
        if rec["undone"]:
            row["note"] += "（已撤销）"
        if rec["contradiction"]:
            row["note"] += f"（{rec['contradiction']}）"
        if rec.get("void"):
            row["note"] += f"（{rec['void']}）"
    return rows
