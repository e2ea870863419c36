"""The report's wording, shared by every format (text, Markdown, HTML, Word): sentences, table rows and
headings built from a `WeeklyReport`, in Chinese with full-width punctuation (，：；（）“”) and half-width
numbers, dates and ids. Text typed by users is passed through as recorded; each renderer sanitises it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from gwgk_cli.model import Status
from gwgk_cli.numerals import cn_numeral
from gwgk_cli.report import ProgressItem, UnitRow, UrgeRow, WeeklyReport
from gwgk_cli.report_notes import NOTE_KEYS
from gwgk_cli.report_period import date_text, day_text, md_text

# The status values records hold (an enum member's .value is a property: looked up once here).
_DONE = Status.DONE.value
_BLOCKED = Status.BLOCKED.value

BAR_CELLS = 10
UNIT_PROGRESS_RULE = ("各单位完成进度为其全部任务进度的平均值：已完成的任务按 100% 计，其余按最近登记的进度计，"
                      "未登记进度的按 0 计。")


_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”"
_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", ".": "。", "?": "？", "!": "！"}
# Compiled (and cached by re) on first use: the character classes take milliseconds to compile, and most
# texts hold none of the marks (full_width returns them untouched).
# A full stop, ? or ! only right after a Chinese character and before a space, the end or Chinese text
# (附件.docx, 1.5 and www.gov.cn stay as they are).
_ASCII_PUNCT = (rf"(?<=[{_CJK}])\s*([,:;])\s*|\s*([,:;])\s*(?=[{_CJK}])|"
                rf"\(([^()]*[{_CJK}][^()]*)\)|(?<=[{_CJK}])([.?!])(?=\s|$|[{_CJK}])")


def full_width(text: str) -> str:
    """Chinese punctuation for Chinese text (generated, and users' notes where a leader reads them): , : ;
    next to a Chinese character become ，：；, parentheses around Chinese text （）, a . ? ! ending a Chinese
    clause 。？！. Numbers, dates, file names, addresses and ids stay half-width."""
    def sub(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            return f"（{full_width(m.group(3))}）"
        return _FULL[m.group(1) or m.group(2) or m.group(4)]

    if not any(mark in text for mark in ",:;(.?!"):
        return text  # nothing the pattern can match
    while True:  # again until nothing changes: a changed mark makes its ASCII neighbour next to Chinese
        out = re.sub(_ASCII_PUNCT, sub, text)
        if out == text:
            return out
        text = out


def rate_text(rate: float) -> str:
    from gwgk_cli.numerals import one_place

    return f"{one_place(rate)}%"


def bar_text(percent: int) -> str:
    filled = (percent * BAR_CELLS + 50) // 100
    return "■" * filled + "□" * (BAR_CELLS - filled)


def task_list_text(tasks: Sequence[int]) -> str:
    return "、".join(str(t) for t in tasks)


NAMED_AT_MOST = 5  # tasks named in one sentence of the overview; more: 等 N 项 (found by a reader of a 200-task 周报)


def named_tasks(report: WeeklyReport, tasks: Sequence[int], most: int | None = None) -> str:
    """任务 4“公开办公室预算决算”、任务 14“更新网站行政法规文本”; with `most`, the first `most` of more and 等 N 项
    (the others are in the tables below: a summary is read, not searched)."""
    shown = tasks if most is None or len(tasks) <= most else tasks[:most]
    text = "、".join(f"任务 {t}“{report.titles[t]}”" if t in report.titles else f"任务 {t}" for t in shown)
    return text + (f"等 {len(tasks)} 项" if len(shown) < len(tasks) else "")


def section_titles(report: WeeklyReport) -> list[tuple[str, str]]:
    """(key, numbered heading) of every section present, in order."""
    word, nxt = report.period.word, report.period.next_word
    keys = [
        ("overview", "总体情况"),
        ("units", "各单位推进情况"),
        ("progress", f"{word}工作进展"),
        ("warnings", "预警事项"),
        *([("urge", "催报事项")] if report.urge else []),
        ("next", f"{nxt}到期及持续推进事项"),
        *[(key, key) for key in NOTE_KEYS if key in report.notes],
    ]
    return [(key, f"{cn_numeral(i)}、{title}") for i, (key, title) in enumerate(keys, 1)]


def scope_text(report: WeeklyReport) -> str:
    """范围：… when --unit limited the report, else empty."""
    if not report.scope:
        return ""
    scope = "范围：" + "、".join(report.scope) + "的任务"
    if report.collective_hidden:
        scope += f"（另有 {report.collective_hidden} 项只写明“{report.collective_name}”等集体单位的任务未计入）"
    return scope


def meta_parts(report: WeeklyReport) -> tuple[str, str]:
    """(截至 …, 编制：…): the as-of date and who produced the report."""
    return f"数据截至 {date_text(report.as_of)}", f"编制：{report.by}"


def issue_text(report: WeeklyReport) -> str:
    """第 12 期, or empty when the period has no number."""
    no = report.office.issue_no
    return f"第 {no} 期" if no is not None else ""


def office_lines(report: WeeklyReport) -> list[str]:
    """报送：… / 抄送：… (the 版记), each only when configured."""
    form = report.office
    return [*([f"报送：{form.send_to}"] if form.send_to else []), *([f"抄送：{form.copy_to}"] if form.copy_to else [])]


def signature_lines(report: WeeklyReport) -> list[str]:
    """落款: the unit and the date, one under the other."""
    return [line for line in (report.signer, date_text(report.sign_date)) if line]


def footer_text(report: WeeklyReport) -> str:
    """The quiet note of the HTML and Markdown footers (not in the text or Word documents)."""
    return f"根据进展登记生成，数据截至 {date_text(report.as_of)}。"


def summary_lines(report: WeeklyReport) -> list[str]:
    """The overview in sentences."""
    ov, word = report.overview, report.period.word
    c = ov.counts
    # With review on, 已完成 counts the tasks reported done: those not yet closed are said (found by a reader:
    # 已完成 4 项 beside 完成率（以审核销号为准）8.7% read as a contradiction).
    waiting = sum(1 for r in report.annex if r.get("review") == "pending") if ov.review else 0
    lines = [
        f"纳入统计的重点任务共 {ov.total} 项：已完成 {c[Status.DONE]} 项"
        + (f"（其中待审核 {waiting} 项）" if waiting else "") + f"，推进中 {c[Status.DOING]} 项，"
        f"未开始 {c[Status.TODO]} 项，受阻 {c[Status.BLOCKED]} 项。"
        + (_rate_sentence(report) if ov.dated else ""),
    ]
    if ov.ongoing:
        oc = ov.ongoing_counts
        parts = [f"{status.label} {oc[status]} 项" for status in (Status.DONE, Status.DOING, Status.TODO, Status.BLOCKED)
                 if oc.get(status)]
        lines.append(f"持续推进任务 {ov.ongoing} 项（不计入完成率）：" + "，".join(parts) + "。")
    unknown = ov.total - ov.dated - ov.ongoing  # a deadline not understood (尽快, 待定): in neither count
    if unknown > 0:
        lines.append(f"时限未识别的任务 {unknown} 项（不计入完成率；请在任务表中写明时限）。")
    lines.append(f"预警：红灯 {ov.red} 项" + ("（已逾期、尚未完成）" if ov.red else "") + f"，黄灯 {ov.yellow} 项。")
    blocked = [int(r["id"]) for r in report.annex if r["status"] == _BLOCKED]
    if blocked:  # what the leader may have to unblock: named in the summary, the reasons in 预警事项
        lines.append(f"受阻 {len(blocked)} 项，需协调解决：{named_tasks(report, blocked, NAMED_AT_MOST)}（原因见预警事项）。")
    if ov.changes:
        parts = [f"{c.label} {len(c.tasks)} 项（{named_tasks(report, c.tasks, NAMED_AT_MOST)}）" for c in ov.changes]
        lines.append(f"{word}" + "；".join(parts) + "。")
    else:
        lines.append(f"{word}任务状态无变化。")
    lines.append(f"{word}共登记进展 {ov.entries} 条。" if ov.entries else f"{word}无进展登记。")
    return lines


def _rate_sentence(report: WeeklyReport) -> str:
    """完成率 over the tasks with a deadline; with review on, only closed (销号) tasks count as finished."""
    ov = report.overview
    if not ov.review:
        return f"有明确时限的 {ov.dated} 项中已完成 {ov.dated_done} 项，完成率 {rate_text(ov.rate)}。"
    pending = f"，另有 {ov.pending} 项已报告完成、待审核" if ov.pending else ""
    return (f"有明确时限的 {ov.dated} 项中已审核销号 {ov.dated_done} 项{pending}；"
            f"完成率（以审核销号为准）{rate_text(ov.rate)}。")


def status_table(report: WeeklyReport) -> tuple[list[str], list[list[str]]]:
    """状态 | 期初 | 截至… | 增减, one row per status and a total."""
    ov = report.overview
    headers = ["状态", f"期初（{md_text(report.period.start)}前）", f"截至{md_text(report.as_of)}", "增减"]
    rows = []
    for status in (Status.DONE, Status.DOING, Status.TODO, Status.BLOCKED):
        a, b = ov.before[status], ov.counts[status]
        rows.append([status.label, str(a), str(b), f"{b - a:+d}" if b != a else "0"])
    rows.append(["合计", str(ov.total), str(ov.total), "0"])
    return headers, rows


UNIT_HEADERS = ["单位", "牵头", "全部", "已完成", "推进中", "受阻", "逾期", "完成进度"]


def unit_cells(row: UnitRow) -> list[str]:
    name = row.name + ("（集体）" if row.collective else "")
    return [name, str(row.lead), str(row.total), str(row.done), str(row.doing), str(row.blocked), str(row.overdue),
            f"{bar_text(row.rate)} {row.rate}%"]


def item_detail(item: ProgressItem) -> str:
    """One task's line after its title: the changes, the percent, the latest note with its date and who, evidence."""
    parts = ["、".join(item.changes)] if item.changes else []
    if item.percent is not None and item.kind != "done":
        parts.append(f"进度 {item.percent}%")
    when = f"（{md_text(item.date)}" + (f"，{item.by}" if item.by else "") + "）"
    if item.note:
        parts.append(f"{full_width(item.note)}{when}")
    elif parts:  # a change without a note still says when and who
        parts[-1] += when
    if item.evidence:
        parts.append("佐证材料：" + "、".join(item.evidence))
    return "；".join(parts)


def item_text(item: ProgressItem) -> str:
    """任务 4“公开办公室预算决算”：完成；… — the narrative line of one task (the title quoted, as every other line
    names a task: in the Word 周报, without the spaces around the number, 任务14“更新…” still reads apart)."""
    detail = item_detail(item)
    return f"任务 {item.task}“{item.title}”" + (f"：{detail}" if detail else "")


def document_year(report: WeeklyReport) -> int:
    """The 周报's year, in every format: a date in another one is written with its year (2021年12月31日, 2023年1月31日
    in a 2022 report)."""
    return report.sign_date.year


def due_text(rec: Mapping[str, Any], year: int | None) -> str:
    """完成时限: 12月31日 (with its year when not the document's `year`), 持续推进, or the deadline as written;
    with the 延期 that moved it or is asked for (extension_text)."""
    if rec["ongoing"] and not rec["due"]:
        return "持续推进"
    if not rec["due"]:
        return str(rec["deadline"] or "未识别")
    text = day_text(dt.date.fromisoformat(rec["due"]), year)
    moved = extension_text(rec, year)
    return f"{text}（{moved}）" if moved else text


WITH_YEAR = 0  # a document year no date has: every date written with its year (the 台账, whose dates all show it)


def extension_facts(rec: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(who approved the 延期 that moved the date shown, or None; the date, ISO, a pending 延期 nobody approved asks
    for, or None). The date shown (`due`) is the one in force (signals.due_in_force): the table's or an approved
    延期's; a request is said beside it, never in its place. `show`, the 周报, the 台账 and the CSV say these."""
    extensions = rec.get("extensions") or []
    if not rec.get("due") or not extensions:
        return None, None
    approved = [x for x in extensions if x["approved_by"]]
    moved = str(approved[-1]["approved_by"]) if approved and rec["due"] != rec.get("original_due") else None
    last = extensions[-1]
    return moved, None if last["approved_by"] else str(last["to"])


def extension_text(rec: Mapping[str, Any], year: int | None) -> str:
    """原定12月31日，延期经王主任批准 when an approved 延期 moved the due date off the table's; 申请延期至2022年1月31日，
    未经批准 for a pending request (申请再延期… after an approved one); both, joined by ；; else empty. The 周报's
    完成时限 after the date in force, and the 台账's 延期情况 (xlsx and CSV, with `year` WITH_YEAR)."""
    moved, requested = extension_facts(rec)
    parts = []
    if moved:
        original = rec.get("original_due")
        was = day_text(dt.date.fromisoformat(original), year) if original else str(rec["deadline"])
        parts.append(f"原定{was}，延期经{moved}批准")
    if requested:
        parts.append(f"申请{'再' if moved else ''}延期至{day_text(dt.date.fromisoformat(requested), year)}，未经批准")
    return "；".join(parts)


def percent_text(rec: Mapping[str, Any]) -> str:
    """完成进度 of one task: 100% once done, the recorded percent, else —."""
    if rec["status"] == _DONE:
        return "100%"
    return f"{rec['percent']}%" if rec["percent"] is not None else "—"


def status_text(rec: Mapping[str, Any]) -> str:
    pct = rec["percent"]
    return str(rec["status_label"]) + (f" {pct}%" if pct is not None and rec["status"] != _DONE else "")


def late_text(rec: Mapping[str, Any]) -> str:
    """（逾期 5 天完成） of a task finished after the date it is judged by, else empty: the 信号 of a done task says
    it (found by a reader: once the week had passed, the 周报's 附件 and the 台账 said 已完成 of a late task, while
    the 通报 counted it 逾期完成)."""
    reason = str(rec.get("signal_reason") or "")
    return reason.removeprefix("已完成") if rec["status"] == _DONE and reason.startswith("已完成（逾期") else ""


def signal_text(rec: Mapping[str, Any]) -> str:
    """状态/信号 of the 台账: 已完成 (已销号 or 已完成（待审核） under review, as the xlsx 台账 says; with 逾期 N 天完成
    when late), or the status and its light (推进中·黄灯)."""
    if rec["status"] == _DONE:
        return str(rec["status_label"]) + late_text(rec)
    return f"{rec['status_label']}·{rec['signal_label']}灯"


def reason_text(rec: Mapping[str, Any]) -> str:
    """The signal's reason (the blocked reason in it too) with Chinese punctuation. (The 状态 column beside
    it says 未开始: the reason does not repeat it.)"""
    return full_width(str(rec["signal_reason"]))


def units_text(rec: Mapping[str, Any]) -> str:
    """责任单位 with the lead marked: 政务公开指导办（牵头）、政府网站."""
    leads = set(rec["leads"]) or {rec["lead_unit"]}
    return "、".join(u + ("（牵头）" if u in leads else "") for u in rec["units"])


def note_text(rec: Mapping[str, Any], year: int | None) -> str:
    """The latest note with its date (11月23日); without one, the last change's date when there was one (11月12日有
    变更，暂无进展说明: a task 推进中 said 暂无进展登记 beside it, found by a reader), else 暂无进展登记."""
    note = str(rec["last_note"] or "")
    if not note:
        changed = rec.get("updated")
        if changed and rec["status"] != "todo":
            return f"{day_text(dt.date.fromisoformat(changed), year)}有变更，暂无进展说明"
        return "暂无进展登记"
    note = full_width(note)
    when = rec.get("last_note_date")
    return f"{note}（{day_text(dt.date.fromisoformat(when), year)}）" if when else note


ANNEX_HEADERS = ["序号", "任务", "责任单位", "完成时限", "进展情况", "完成进度", "状态/信号"]


def annex_cells(rec: Mapping[str, Any], year: int | None) -> list[str]:
    """One row of the 附件 台账 (dates outside the document's `year` with their year)."""
    return [str(rec["id"]), str(rec["title"]), units_text(rec), due_text(rec, year), note_text(rec, year),
            percent_text(rec), signal_text(rec)]


WARNING_HEADERS = ["信号", "序号", "任务", "牵头单位", "完成时限", "状态", "进度", "原因"]


def warning_cells(rec: Mapping[str, Any], year: int | None) -> list[str]:
    return [f"{rec['signal_label']}灯", str(rec["id"]), str(rec["title"]), str(rec["lead_unit"]), due_text(rec, year),
            str(rec["status_label"]), percent_text(rec), reason_text(rec)]


STALE_HEADERS = ["序号", "任务", "牵头单位", "状态", "未更新", "最近进展"]


def stale_cells(rec: Mapping[str, Any], year: int | None) -> list[str]:
    return [str(rec["id"]), str(rec["title"]), str(rec["lead_unit"]), str(rec["status_label"]),
            full_width(str(rec["signal_reason"])), note_text(rec, year)]


def stale_intro(report: WeeklyReport) -> str:
    return f"以下 {len(report.stale)} 项持续推进任务较长时间未更新进展，请牵头单位及时登记："


def urge_text(row: UrgeRow) -> str:
    """政府网站：任务 17“…”、任务 18“…” (at most NAMED_AT_MOST named, then 等 N 项)."""
    shown = row.tasks[:NAMED_AT_MOST]
    more = f"等 {len(row.tasks)} 项" if len(row.tasks) > len(shown) else ""
    return f"{row.unit}：" + "、".join(f"任务 {i}“{t}”" for i, t in shown) + more


def urge_intro(report: WeeklyReport) -> str:
    return f"{report.period.word}以下单位未登记任何进展，请于{report.period.next_word}一并报送："


def empty_text(report: WeeklyReport, key: str) -> str:
    word, nxt = report.period.word, report.period.next_word
    return {
        "units": "无任务。",
        "progress": f"{word}无进展登记，各项任务状态与上期相同。",
        # The stale ongoing tasks (yellow too, counted in 总体情况) follow in their own table: not "no yellow".
        "warnings": "无逾期、临期、受阻或进度落后的预警事项。" if report.stale else "无红灯、黄灯预警事项。",
        "due_next": f"{nxt}无到期任务。",
        # Each task is named once: an ongoing task in 预警事项 (stale, blocked) is not listed again here.
        "ongoing": (f"持续推进事项 {named} 项，均已列入上文预警事项。"
                    if (named := sum(1 for r in (*report.warnings, *report.stale) if r["ongoing"])) else "无持续推进事项。"),
        "notes": "无。",
    }[key]
