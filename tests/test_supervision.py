"""The 督办 loop: 签收, 延期, 审核销号/退回, every transition and every refusal, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def review_table(table: Path) -> Path:
    """The 2021 table with review required (settings.review: true)."""
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("settings:\n  warn_days: 30\n", "settings:\n  review: true\n  warn_days: 30\n"),
                     encoding="utf-8")
    return table


def record(gwgk: Any, task: int) -> dict[str, Any]:
    result = gwgk("show", str(task), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def listed(gwgk: Any, *args: str) -> list[int]:
    result = gwgk("list", "--format", "json", "--collective", *args)
    assert result.exit_code == 0, result.output
    return [r["id"] for r in json.loads(result.stdout)]


# --- 签收 ---------------------------------------------------------------------------------------


def test_accept_by_the_lead_unit_by_default(gwgk: Any, table: Path) -> None:
    assert 4 in listed(gwgk, "--status", "unaccepted")
    result = gwgk("accept", "4", "--date", "2021-11-20")
    assert result.exit_code == 0, result.output
    assert result.stdout == "任务 4：行财科 签收 2021-11-20\n"
    rec = record(gwgk, 4)
    assert rec["accepted"] is True and rec["accepted_by"] == [{"unit": "行财科", "date": "2021-11-20"}]
    assert 4 not in listed(gwgk, "--status", "未签收")
    again = gwgk("accept", "4")
    assert again.stdout == "任务 4：行财科 已于 2021-11-20 签收，未重复登记。\n"


def test_accept_by_a_unit_that_does_not_hold_the_task_is_refused(gwgk: Any, journal: Path) -> None:
    result = gwgk("accept", "4", "--unit", "文秘科")
    assert result.exit_code == 2
    assert result.output == "错误：任务 4 的责任单位是 行财科，“文秘科”不在其中，不能签收\n"
    assert not journal.exists() or journal.read_text(encoding="utf-8") == ""


def test_accept_is_all_or_nothing(gwgk: Any, journal: Path) -> None:
    result = gwgk("accept", "1,4", "--unit", "行财科")
    assert result.exit_code == 2
    assert "任务 1 的责任单位是 政务公开指导办，“行财科”不在其中" in result.output
    assert not journal.exists() or journal.read_text(encoding="utf-8") == ""


def test_a_collective_task_is_accepted_by_any_unit(gwgk: Any, table: Path) -> None:
    assert gwgk("accept", "7", "--unit", "文秘科").exit_code == 0  # 7: 各相关科室
    assert record(gwgk, 7)["accepted"] is True


def test_a_co_owner_accepts_but_the_task_waits_for_its_lead(gwgk: Any, table: Path) -> None:
    assert gwgk("accept", "2", "--unit", "政府网站").exit_code == 0
    assert 2 in listed(gwgk, "--status", "unaccepted")  # the lead (政务公开指导办) has not
    assert gwgk("accept", "2").exit_code == 0
    assert 2 not in listed(gwgk, "--status", "unaccepted")


# --- 延期 ---------------------------------------------------------------------------------------


def test_extend_moves_the_due_date_and_keeps_the_original(gwgk: Any, table: Path) -> None:
    result = gwgk("extend", "4", "--to", "2022-01-31", "--note", "等待审计结果", "--approved-by", "王主任")
    assert result.exit_code == 0, result.output
    assert result.stdout == "任务 4：原定 2021-12-31，延期至 2022-01-31（等待审计结果，王主任批准）\n"
    rec = record(gwgk, 4)
    assert rec["due"] == "2022-01-31" and rec["original_due"] == "2021-12-31"
    assert rec["extensions"] == [{"date": "2021-11-22", "to": "2022-01-31", "approved_by": "王主任",
                                  "reason": "等待审计结果"}]
    # Signals and due-date filters use the new date: on 2022-01-05 it is not overdue.
    late = gwgk("--today", "2022-01-05", "show", "4", "--format", "json")
    assert json.loads(late.stdout)["signal"] == "yellow"
    assert 4 not in listed(gwgk, "--due-before", "2022-01-01")


def test_several_extensions_are_a_history(gwgk: Any, table: Path) -> None:
    assert gwgk("--today", "2021-12-20", "extend", "4", "--to", "2022-01-31", "--note", "一").exit_code == 0
    assert gwgk("--today", "2022-01-20", "extend", "4", "--to", "2022-02-28", "--note", "二").exit_code == 0
    rec = json.loads(gwgk("--today", "2022-01-20", "show", "4", "--format", "json").stdout)
    assert [x["to"] for x in rec["extensions"]] == ["2022-01-31", "2022-02-28"]
    # Neither approved: requests, the table's date stays the one in force (found by testers: 还剩 25 天 of a red task).
    assert rec["due"] == "2021-12-31" and rec["original_due"] == "2021-12-31" and rec["days_left"] == -20
    shown = gwgk("--today", "2022-01-20", "show", "4", "--format", "table").stdout
    assert "2021-12-31（逾期 20 天）；申请延期至 2022-02-28（未经批准），共延期 2 次" in shown
    # Approved afterwards, the date asked for is in force: an approval of a pending request is no longer refused as
    # "not later than the date in force" (found by a tester: the natural order, asked and then approved).
    assert gwgk("--today", "2022-01-21", "extend", "4", "--to", "2022-02-28", "--note", "同意",
                "--approved-by", "王主任").exit_code == 0
    rec = json.loads(gwgk("--today", "2022-01-21", "show", "4", "--format", "json").stdout)
    assert (rec["due"], rec["days_left"], rec["signal"]) == ("2022-02-28", 38, "green")
    shown = gwgk("--today", "2022-01-21", "show", "4", "--format", "table").stdout
    assert "2022-02-28（还剩 38 天）；原定 2021-12-31，延期经王主任批准\n" in shown  # the approval settles the requests
    assert gwgk("--today", "2022-01-22", "extend", "4", "--to", "2022-03-31", "--note", "三").exit_code == 0
    shown = gwgk("--today", "2022-01-22", "show", "4", "--format", "table").stdout
    assert "2022-02-28（还剩 37 天）；原定 2021-12-31，延期经王主任批准；申请再延期至 2022-03-31（未经批准），共延期 2 次" \
        in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["4", "--to", "2021-12-31", "--note", "x"], "错误：延期后的日期 2021-12-31 应晚于当前到期日 2021-12-31\n"),
        (["4", "--to", "2021-06-30", "--note", "x"], "错误：延期后的日期 2021-06-30 应晚于当前到期日 2021-12-31\n"),
        (["4", "--to", "2022-01-31"], "错误：延期请用 --note 写明原因\n"),
        (["4", "--to", "2022-01-31", "--note", "\u200b\u2060"], "错误：延期请用 --note 写明原因\n"),  # nothing visible
        (["24", "--to", "2022-01-31", "--note", "x"], "错误：任务 24 是持续推进事项，没有到期日，不能延期\n"),
        (["4", "--to", "2022-13-01", "--note", "x"], None),
    ],
)
def test_extend_refusals(gwgk: Any, journal: Path, args: list[str], message: str | None) -> None:
    result = gwgk("extend", *args)
    assert result.exit_code == 2
    if message is not None:
        assert result.output == message
    assert not journal.exists() or journal.read_text(encoding="utf-8") == ""


def test_an_approver_nobody_can_see_is_no_approval(gwgk: Any, journal: Path) -> None:
    """Found by a tester: --approved-by U+200B (a zero-width space) counted as approved, and the 通报 took the
    task out of 逾期未完成."""
    result = gwgk("--today", "2021-12-20", "extend", "23", "--to", "2022-01-31", "--note", "等待", "--approved-by",
                  "\u200b")
    assert result.stdout == ("任务 23：申请延期至 2022-01-31（等待，未经批准）；批准前到期日不变，批准时再登记一次并加 --approved-by 姓名\n")
    assert '"approved_by"' not in journal.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["\u200b", "\u3164", "\u2800", " \u3000 ", "\ufeff\u2060"])
def test_an_invisible_approver_in_the_journal_is_no_approval(gwgk: Any, journal: Path, name: str) -> None:
    """Found in review: the check at `extend` left a line written before it (or by hand) counting as approved in
    every view; the approver is read as none."""
    line = {"id": "c000000000e1", "at": "2021-10-20T09:00:00+08:00", "date": "2021-10-20", "by": "李明", "task": 4,
            "op": "extend", "due": "2022-01-31", "note": "等待", "approved_by": name}
    journal.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    rec = record(gwgk, 4)
    assert rec["extensions"][0]["approved_by"] in ("", None)


@pytest.mark.parametrize(("text", "blank"), [("", True), ("  ", True), ("\u200b", True), ("\u3164", True),
                                             ("\u2800", True), ("\ufe0f", True), ("\u115f\u1160", True),
                                             ("王", False), ("王\u3164", False), ("a\u200b", False)])
def test_blank_is_nothing_visible(text: str, blank: bool) -> None:
    from gwgk_cli.sanitize import blank as is_blank

    assert is_blank(text) is blank


def test_a_done_task_is_not_extended(gwgk: Any, table: Path) -> None:
    assert gwgk("done", "4", "--date", "2021-11-20").exit_code == 0
    result = gwgk("extend", "4", "--to", "2022-01-31", "--note", "x")
    assert result.exit_code == 2 and result.output == "错误：任务 4 已于 2021-11-20 完成，不能延期\n"


def test_a_request_made_in_time_is_approved_after_the_completion(gwgk: Any, table: Path, monkeypatch: Any) -> None:
    """Found by a tester: a request made in time, the task finished late, the leader's approval after it counted only
    when back-dated (the refusal even said to), while an unfinished task's approval counted whatever its date. The
    approval of a request made before the completion is recorded on its own day and counts; a new 延期 is refused."""
    monkeypatch.setenv("GWGK_TODAY", "2022-01-10")
    assert gwgk("extend", "4", "--to", "2022-01-31", "--note", "数据未齐", "--date", "2021-12-20").exit_code == 0
    assert gwgk("done", "4", "--date", "2022-01-05").exit_code == 0
    other = gwgk("extend", "4", "--to", "2022-02-28", "--note", "数据未齐", "--approved-by", "王主任")
    assert other.exit_code == 2 and other.output == (
        "错误：任务 4 已于 2022-01-05 完成，不能延期；完成前提出的延期申请（至 2022-01-31）仍可批准："
        "gwgk extend 4 --to 2022-01-31 --note 理由 --approved-by 姓名\n")
    approved = gwgk("extend", "4", "--to", "2022-01-31", "--note", "数据未齐", "--approved-by", "王主任")
    assert approved.exit_code == 0, approved.output
    bulletin = gwgk("bulletin", "--format", "md").output
    row = next(line for line in bulletin.splitlines() if line.startswith("| ") and "行财科" in line)
    assert "| 1 | 1 | 0 | 0 |" in row and "1/0" in row, row  # on time, the 延期 approved
    shown = gwgk("show", "4").output
    assert "逾期" not in shown, shown


def test_an_approval_after_the_completion_of_a_request_made_after_it_does_not_count() -> None:
    """signals.judged_due: a request made after the completion (a hand-written line: extend refuses it), approved
    later, does not make a late completion on time; one made by then does, approved on any day."""
    import datetime as dt

    from gwgk_cli.model import Status
    from gwgk_cli.signals import judged_due
    from gwgk_cli.state import Extension, TaskState
    from gwgk_cli.table import load_table

    task = next(t for t in load_table(Path(__file__).resolve().parent.parent / "data" / "tasks_2021.yaml").tasks
                if t.id == 4)
    d = dt.date
    done = {"status": Status.DONE, "done_on": d(2022, 1, 5)}
    cases = [
        ((Extension(d(2021, 12, 20), d(2022, 1, 31), "", "r"), Extension(d(2022, 1, 10), d(2022, 1, 31), "王", "r")),
         d(2022, 1, 31)),
        ((Extension(d(2022, 1, 8), d(2022, 1, 31), "", "r"), Extension(d(2022, 1, 10), d(2022, 1, 31), "王", "r")),
         d(2021, 12, 31)),
        ((Extension(d(2022, 1, 10), d(2022, 1, 31), "王", "r"),), d(2021, 12, 31)),
        ((Extension(d(2021, 12, 1), d(2022, 1, 31), "王", "r"),), d(2022, 1, 31)),
    ]
    for extensions, due in cases:
        assert judged_due(task, TaskState(extensions=extensions, **done)) == due, extensions  # type: ignore[arg-type]
        assert judged_due(task, TaskState(extensions=extensions)) == d(2022, 1, 31)  # unfinished: every approval


# --- 审核销号 -----------------------------------------------------------------------------------


def test_review_is_refused_where_the_table_does_not_require_it(gwgk: Any, table: Path) -> None:
    assert gwgk("done", "4").exit_code == 0
    result = gwgk("review", "4", "--pass")
    assert result.exit_code == 2
    assert "本任务表未启用审核销号" in result.output
    assert record(gwgk, 4)["status_label"] == "已完成"  # the bundled table's behaviour is unchanged


def test_review_pass_closes_and_return_reopens(gwgk: Any, review_table: Path) -> None:
    assert gwgk("done", "4", "--date", "2021-11-20").exit_code == 0
    rec = record(gwgk, 4)
    assert (rec["status"], rec["status_label"], rec["review"]) == ("done", "已完成（待审核）", "pending")
    assert listed(gwgk, "--status", "review") == [4]
    returned = gwgk("review", "4", "--return", "--note", "佐证材料不全")
    assert returned.exit_code == 0, returned.output
    assert returned.stdout == "任务 4：已退回，回到“推进中”（佐证材料不全）\n"
    rec = record(gwgk, 4)
    assert (rec["status"], rec["last_note"], rec["percent"]) == ("doing", "佐证材料不全", None)
    assert gwgk("done", "4").exit_code == 0
    closed = gwgk("review", "4", "--pass")
    assert closed.stdout == "任务 4：审核通过，已销号 2021-11-22\n"
    rec = record(gwgk, 4)
    assert (rec["status_label"], rec["review"]) == ("已销号", "closed")
    assert listed(gwgk, "--status", "closed") == [4] and listed(gwgk, "--status", "review") == []
    assert gwgk("review", "4", "--pass").stdout == "任务 4：已于 2021-11-22 销号，未重复登记。\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["4", "--pass"], "错误：任务 4 尚未完成（当前：未开始），不能审核；单位完成后用 gwgk done 4 报告\n"),
        (["4"], "错误：请给出 --pass（通过，销号）或 --return（退回）其中之一\n"),
        (["4", "--pass", "--return"], "错误：请给出 --pass（通过，销号）或 --return（退回）其中之一\n"),
        (["4", "--return"], "错误：退回请用 --note 写明原因\n"),
        (["4", "--return", "--note", "\ufeff\u3000"], "错误：退回请用 --note 写明原因\n"),
    ],
)
def test_review_refusals(gwgk: Any, review_table: Path, journal: Path, args: list[str], message: str) -> None:
    result = gwgk("review", *args)
    assert result.exit_code == 2
    assert result.output == message
    assert not journal.exists() or journal.read_text(encoding="utf-8") == ""


def test_undo_of_a_review_restores_the_pending_state(gwgk: Any, review_table: Path) -> None:
    assert gwgk("done", "4").exit_code == 0
    assert gwgk("review", "4", "--pass").exit_code == 0
    assert gwgk("undo").exit_code == 0
    assert record(gwgk, 4)["review"] == "pending"


def test_the_loop_is_in_the_log_and_as_of_dates_apply(gwgk: Any, review_table: Path) -> None:
    assert gwgk("accept", "4", "--date", "2021-11-01").exit_code == 0
    assert gwgk("extend", "4", "--to", "2022-01-31", "--note", "等审计", "--date", "2021-11-10").exit_code == 0
    assert gwgk("done", "4", "--date", "2021-11-15").exit_code == 0
    assert gwgk("review", "4", "--pass", "--date", "2021-11-20").exit_code == 0
    log = gwgk("log", "4", "--format", "json")
    ops = [(r["op"], r["at"]) for r in json.loads(log.stdout)]
    assert ops == [("review", "2021-11-20"), ("status", "2021-11-15"), ("extend", "2021-11-10"),
                   ("accept", "2021-11-01")]
    before = json.loads(gwgk("--today", "2021-11-05", "show", "4", "--format", "json").stdout)
    assert (before["accepted"], before["due"], before["status"]) == (True, "2021-12-31", "todo")
    mid = json.loads(gwgk("--today", "2021-11-17", "show", "4", "--format", "json").stdout)
    assert (mid["due"], mid["review"]) == ("2021-12-31", "pending")  # the 延期 not approved: a request


# --- the weekly report knows the loop -----------------------------------------------------------


def test_report_rate_counts_only_closed_tasks_under_review(gwgk: Any, review_table: Path) -> None:
    for args in [("--today", "2021-11-24", "done", "1"), ("--today", "2021-11-24", "done", "4"),
                 ("--today", "2021-11-26", "review", "4", "--pass")]:
        assert gwgk(*args).exit_code == 0
    out = gwgk("--today", "2021-11-28", "report", "--week", "2021-W47").stdout
    assert ("有明确时限的 23 项中已审核销号 1 项，另有 1 项已报告完成、待审核；完成率（以审核销号为准）4.3%。"
            in out.replace("\n", ""))
    assert "已完成 2 项（其中待审核 1 项），推进中" in out.replace("\n", "")  # found by a reader: 已完成 2 beside 4.3%


def test_report_rate_without_review_counts_done(gwgk: Any, table: Path) -> None:
    for task in ("1", "4"):
        assert gwgk("--today", "2021-11-24", "done", task).exit_code == 0
    out = gwgk("--today", "2021-11-28", "report", "--week", "2021-W47").stdout
    assert "有明确时限的 23 项中已完成 2 项，完成率 8.7%。" in out.replace("\n", "")


def test_report_narrative_names_the_loop_steps(gwgk: Any, review_table: Path) -> None:
    for args in [("--today", "2021-11-22", "accept", "4"),
                 ("--today", "2021-11-23", "extend", "4", "--to", "2022-01-31", "--note", "等待审计结果",
                  "--approved-by", "王主任"),
                 ("--today", "2021-11-23", "extend", "28", "--to", "2022-02-28", "--note", "人手不足"),
                 ("--today", "2021-11-24", "done", "4"),
                 ("--today", "2021-11-25", "review", "4", "--return", "--note", "缺少决算报表"),
                 ("--today", "2021-11-26", "done", "4"), ("--today", "2021-11-26", "review", "4", "--pass")]:
        result = gwgk(*args)
        assert result.exit_code == 0, result.output
    out = gwgk("--today", "2021-11-28", "report", "--week", "2021-W47", "--format", "md").stdout
    # The 退回's reason was made history by the redo and the 销号: not the task's latest word (the steps name
    # the 退回); the latest note still standing is the 延期's, as without a 退回.
    assert ("- 任务 4“公开办公室预算决算”：行财科签收、延期至2022年1月31日（王主任批准）、完成、审核退回、完成、审核销号；"
            "等待审计结果（11月23日，测试员）\n") in out
    assert "缺少决算报表" not in out
    assert "- 任务 28“年报公开重点任务落实情况”：申请延期至2022年2月28日（未经批准）；人手不足（11月23日，测试员）" in out


def test_the_collective_unit_itself_cannot_sign(gwgk: Any, journal: Path) -> None:
    """Found by a hostile test: `accept 5` signed task 5 as “各相关科室” (its lead), and --unit 各相关科室 too.
    A member unit signs for it; nothing is written for the batch."""
    for args in (("accept", "5"), ("accept", "7", "--unit", "各相关科室"), ("accept", "4,5")):
        result = gwgk(*args)
        assert result.exit_code == 2, args
        assert "由“各相关科室”负责，签收须由具体单位进行：请用 --unit 写明签收的单位" in result.stderr
    assert not journal.exists() or journal.read_text(encoding="utf-8") == ""
    # Found by the hostile round of 2026-12-02: on a task that names its units, it said the task was 各相关科室's.
    result = gwgk("accept", "4", "--unit", "各相关科室")
    assert result.exit_code == 2
    assert result.stderr == ("错误：“各相关科室”不是具体单位，不能签收；任务 4 的责任单位是 行财科，请用 --unit 写明其中签收的单位\n")


def test_show_says_the_lead_has_not_signed_when_only_a_co_owner_has(gwgk: Any, table: Path) -> None:
    """Found by a hostile test: show printed “签收 政府网站 …” for a task whose lead had not signed, while list
    and JSON said 未签收."""
    assert gwgk("accept", "2", "--unit", "政府网站").exit_code == 0
    shown = gwgk("show", "2", "--format", "table").stdout
    assert "牵头单位未签收（已签收：政府网站 2021-11-22）" in shown
    assert gwgk("accept", "2").exit_code == 0
    assert "牵头单位未签收" not in gwgk("show", "2", "--format", "table").stdout


def test_a_change_backdated_before_an_undo_is_not_judged_against_what_was_undone(gwgk: Any, table: Path) -> None:
    """Found by a hostile test: done (12-10), undone (12-12), then done --date 12-11 said 已经是“已完成” and
    wrote nothing: the state as of 12-11 still held the undone change. An undone change was a mistake."""
    assert gwgk("--today", "2021-12-10", "done", "4").exit_code == 0
    assert gwgk("--today", "2021-12-12", "undo").exit_code == 0
    result = gwgk("--today", "2021-12-12", "done", "4", "--date", "2021-12-11")
    assert result.exit_code == 0 and result.stdout == "任务 4：未开始 → 已完成\n", result.output
    shown = json.loads(gwgk("--today", "2021-12-12", "show", "4", "--format", "json").stdout)
    assert shown["status"] == "done" and shown["updated"] == "2021-12-11"
    assert gwgk("--today", "2021-12-10", "accept", "4").exit_code == 0
    assert gwgk("--today", "2021-12-12", "undo").exit_code == 0
    again = gwgk("--today", "2021-12-12", "accept", "4", "--date", "2021-12-11")
    assert again.exit_code == 0 and again.stdout == "任务 4：行财科 签收 2021-12-11\n", again.output


def test_a_done_that_a_later_review_judged_is_not_undone_under_it(gwgk: Any, review_table: Path) -> None:
    """Found by a hostile test: done, review --pass (销号), then undo of the done went through: 未开始, with a
    live 销号 in the log."""
    assert gwgk("--today", "2021-12-10", "done", "4", "--by", "小王").exit_code == 0
    assert gwgk("--today", "2021-12-12", "review", "4", "--pass", "--by", "李主任").exit_code == 0
    result = gwgk("--today", "2021-12-13", "undo", "--by", "小王")
    assert result.exit_code == 2
    assert "在此之后还有 2021-12-12 审核通过并销号（记录 " in result.stderr
    assert "请先撤销它：gwgk undo " in result.stderr
    shown = json.loads(gwgk("--today", "2021-12-13", "show", "4", "--format", "json").stdout)
    assert shown["status"] == "done"


def test_a_status_change_backdated_before_a_review_is_refused(gwgk: Any, review_table: Path) -> None:
    """Found by a hostile test: reopen --date before an existing 销号 was accepted and slipped under it."""
    assert gwgk("--today", "2021-12-10", "done", "4").exit_code == 0
    assert gwgk("--today", "2021-12-12", "review", "4", "--pass").exit_code == 0
    result = gwgk("--today", "2021-12-13", "reopen", "4", "--date", "2021-12-11")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：任务 4 已于 2021-12-12 审核通过并销号（记录 ")
    assert gwgk("--today", "2021-12-13", "reopen", "4").exit_code == 0  # dated after it: fine


@pytest.mark.parametrize("step,said", [
    (("accept", "4"), "已撤销：任务 4 的签收（行财科）（测试员 2021-12-10 登记，记录 "),
    (("extend", "4", "--to", "2022-01-31", "--note", "审计"), "已撤销：任务 4 的申请延期至 2022-01-31（未经批准）（测试员 2021-12-10 登记，记录 "),
])
def test_undoing_a_supervision_step_names_it(gwgk: Any, table: Path, step: tuple[str, ...], said: str) -> None:
    """Found by a hostile test: undoing a 签收 or a 延期 said it undid a 进展“”."""
    assert gwgk("--today", "2021-12-10", *step).exit_code == 0
    result = gwgk("--today", "2021-12-10", "undo")
    assert result.exit_code == 0 and result.stdout.startswith(said), result.output


def test_an_extension_to_a_day_already_past_is_refused(gwgk: Any, journal: Path) -> None:
    """Found by a hostile test: on 2022-01-15, `extend 4 --to 2022-01-10` was accepted: a new deadline
    that had already passed. Refused, nothing written; a backdated 延期 (--date) is judged on its own date:
    a deadline after that day is recorded (history), one before it is not."""
    result = gwgk("--today", "2022-01-15", "extend", "4", "--to", "2022-01-10", "--note", "x")
    assert result.exit_code == 2
    assert result.output == "错误：延期后的日期 2022-01-10 已经过去（参照日期 2022-01-15），请给出 2022-01-15 或以后的日期\n"
    backdated = gwgk("--today", "2022-01-15", "extend", "4", "--to", "2022-01-10", "--note", "x",
                     "--date", "2022-01-11")
    assert backdated.exit_code == 2
    assert backdated.output == ("错误：延期后的日期 2022-01-10 早于这次延期的日期 2022-01-11（--date），"
                                "请给出 2022-01-11 或以后的日期\n")
    assert not journal.exists() or journal.read_text(encoding="utf-8") == ""
    today = gwgk("--today", "2022-01-15", "extend", "4", "--to", "2022-01-15", "--note", "x")
    assert today.exit_code == 0, today.output  # due today is not past
    assert gwgk("--today", "2022-01-15", "undo").exit_code == 0
    history = gwgk("--today", "2022-01-15", "extend", "4", "--to", "2022-01-10", "--note", "x", "--date", "2021-12-20")
    assert history.exit_code == 0, history.output  # granted on 12-20: recorded as it happened


def test_a_backdated_second_acceptance_is_refused(gwgk: Any, journal: Path) -> None:
    """Found by a hostile test: `accept 6` and then `accept 6 --date` an earlier day wrote a second 签收 of
    the same unit. Refused like a backdated status change under a later one (nothing written for the
    batch), naming the 签收 in force and how to move it; a forward duplicate stays a no-op."""
    assert gwgk("--today", "2022-01-15", "accept", "6").exit_code == 0
    lines = journal.read_text(encoding="utf-8")
    result = gwgk("--today", "2022-01-15", "accept", "4,6", "--date", "2021-12-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：任务 6：“放管服”改革和营商环境监督科 已于 2022-01-15 签收（记录 ")
    assert "要把签收日期改为 2021-12-01，请先 gwgk undo " in result.stderr
    assert journal.read_text(encoding="utf-8") == lines
    again = gwgk("--today", "2022-01-20", "accept", "6")
    assert again.exit_code == 0
    assert again.stdout == "任务 6：“放管服”改革和营商环境监督科 已于 2022-01-15 签收，未重复登记。\n"
    assert journal.read_text(encoding="utf-8") == lines


def test_a_review_backdated_under_a_later_review_is_refused(gwgk: Any, review_table: Path, journal: Path) -> None:
    """Found looking for the same fault as the second 签收: review --pass --date before an existing 销号
    wrote a second 销号, and a --return dated before it slipped under it (退回, then 销号 of a task 推进中)."""
    assert gwgk("--today", "2021-12-10", "done", "4").exit_code == 0
    assert gwgk("--today", "2021-12-12", "review", "4", "--pass").exit_code == 0
    lines = journal.read_text(encoding="utf-8")
    for args in (("--pass",), ("--return", "--note", "材料不全")):
        result = gwgk("--today", "2021-12-13", "review", "4", *args, "--date", "2021-12-11")
        assert result.exit_code == 2, args
        assert result.stderr.startswith("错误：任务 4 已于 2021-12-12 审核通过并销号（记录 "), result.stderr
    assert journal.read_text(encoding="utf-8") == lines


def test_the_same_extension_twice_is_refused(gwgk: Any, journal: Path) -> None:
    assert gwgk("extend", "4", "--to", "2022-01-31", "--note", "x").exit_code == 0
    again = gwgk("extend", "4", "--to", "2022-01-31", "--note", "x")
    assert again.exit_code == 2
    assert again.output == "错误：任务 4 已申请延期至 2022-01-31，尚未批准，未重复登记；批准时请加 --approved-by 姓名\n"
    approved = gwgk("extend", "4", "--to", "2022-01-31", "--note", "同意", "--approved-by", "王主任")
    assert approved.exit_code == 0, approved.output  # approving the request: the date is in force
    again = gwgk("extend", "4", "--to", "2022-01-31", "--note", "x", "--approved-by", "王主任")
    assert again.output == "错误：延期后的日期 2022-01-31 应晚于当前到期日 2022-01-31\n"


@pytest.mark.parametrize("word", ["review", "待审核", "closed", "done,已销号"])
def test_listing_review_states_where_review_is_off_says_so(gwgk: Any, table: Path, word: str) -> None:
    """Found by a hostile test: `list --status review` on a table without 审核销号 printed an empty list, as
    if nothing were waiting. A bad option: one line, exit 2, like --lead without --unit."""
    assert gwgk("done", "4").exit_code == 0
    for fmt in ("tsv", "json", "table"):
        result = gwgk("list", "--status", word, "--format", fmt)
        assert result.exit_code == 2, (fmt, result.output)
        assert result.stdout == ""
        assert result.stderr == ("错误：本任务表未启用审核销号，没有“待审核”“已销号”的任务：--status 请用 done（已完成），"
                                 "或在任务表的 settings 中写 review: true\n")


def test_listing_review_states_where_review_is_on(gwgk: Any, review_table: Path) -> None:
    assert gwgk("done", "4").exit_code == 0
    assert listed(gwgk, "--status", "review") == [4] and listed(gwgk, "--status", "closed") == []


def test_a_reviewers_return_is_not_the_units_update(gwgk: Any, review_table: Path) -> None:
    """Found by a hostile test: a reviewer's 退回 counted as the unit's 最近更新 (show, list, the 通报) and as
    its report of the week (周报 催报): review entries are the supervisor's, not the unit's progress. The
    return still sends the task back, its reason the latest note."""
    assert gwgk("--today", "2021-12-20", "done", "4", "--by", "小王").exit_code == 0
    assert gwgk("--today", "2022-01-10", "review", "4", "--return", "--note", "缺少决算报表", "--by", "李主任"
                ).exit_code == 0
    rec = json.loads(gwgk("--today", "2022-01-12", "show", "4", "--format", "json").stdout)
    assert (rec["status"], rec["last_note"]) == ("doing", "缺少决算报表")
    assert (rec["updated"], rec["updated_by"]) == ("2021-12-20", "小王")
    tsv = gwgk("--today", "2022-01-12", "list", "--unit", "行财科", "--format", "tsv").stdout
    assert tsv.splitlines()[1].split("\t")[10] == "2021-12-20"
    md = gwgk("--today", "2022-01-12", "bulletin", "--format", "md").stdout
    assert "| 行财科 | 1 | 0 | 0 | 1 | 0 | 0/0 | 1 | 12.0 | 2021-12-20 | 0.0% |" in md
    report = gwgk("--today", "2022-01-12", "report", "--week", "2022-W02").stdout.replace("\n", "")
    assert "行财科：任务 4“公开办公室预算决算”" in report


def test_every_export_says_who_signed_and_when(gwgk: Any, table: Path, tmp_path: Path) -> None:
    """Found by a hostile test: the 台账 (export CSV and xlsx, list -o) had no 签收 column while show, list
    --status unaccepted and JSON told who had signed. Every form now says it as show does: the lead's 签收,
    or 未签收, or that only a co-owner has signed."""
    import csv
    import io

    from openpyxl import load_workbook

    assert gwgk("accept", "4", "--date", "2021-11-20").exit_code == 0
    assert gwgk("accept", "2", "--unit", "政府网站").exit_code == 0
    want = {4: "行财科 2021-11-20", 2: "牵头单位未签收（已签收：政府网站 2021-11-22）", 1: "未签收"}

    def check(rows: list[list[Any]]) -> None:
        head = rows[0]
        assert head[-1] == "签收", head
        got = {int(r[0]): r[-1] for r in rows[1:]}
        assert {k: got[k] for k in want} == want

    exported = gwgk("export", "--format", "csv").stdout
    check(list(csv.reader(io.StringIO(exported.lstrip("\ufeff"), newline=""))))
    listed_csv = gwgk("list", "--collective", "--format", "csv").stdout
    check(list(csv.reader(io.StringIO(listed_csv.lstrip("\ufeff"), newline=""))))
    shown = gwgk("show", "1,2,4", "--format", "tsv").stdout
    check([line.split("\t") for line in shown.splitlines()])
    # The xlsx 台账 writes its dates as a document does, 2021年11月20日 (found by a reader: ISO dates there alone).
    want = {4: "行财科 2021年11月20日", 2: "牵头单位未签收（已签收：政府网站 2021年11月22日）", 1: "未签收"}
    for args in (("export", "-o"), ("list", "--collective", "-o")):
        out = tmp_path / f"{args[0]}.xlsx"
        assert gwgk(*args, str(out)).exit_code == 0
        ws = load_workbook(out)["任务台账"]
        check([[c.value for c in row] for row in ws.iter_rows(min_row=2)])
    rec = json.loads(gwgk("export").stdout)[1]  # JSON (and YAML) carry it as data
    assert (rec["id"], rec["accepted"], rec["accepted_by"]) == (2, False, [{"unit": "政府网站", "date": "2021-11-22"}])


def test_log_says_which_step_an_undo_took_back(gwgk: Any, journal: Path) -> None:
    """Found by the hostile round of 2026-12-02: every undo of a 签收 or 延期 read 撤销进展 in log (and in the
    台账's history): on paper a progress note seemed withdrawn."""
    assert gwgk("accept", "4").exit_code == 0
    assert gwgk("extend", "4", "--to", "2022-01-31", "--note", "等待审计", "--approved-by", "王主任").exit_code == 0
    assert gwgk("note", "4", "预算已公开").exit_code == 0
    ids = [json.loads(line)["id"] for line in journal.read_text(encoding="utf-8").splitlines()]
    for entry in reversed(ids):
        assert gwgk("undo", entry).exit_code == 0
    changes = [line.split("\t")[3] for line in gwgk("log", "4").stdout.splitlines()[1:4]]
    assert changes == ["撤销签收", "撤销延期", "撤销进展"]


def test_the_annex_tells_closed_from_waiting_for_review(gwgk: Any, review_table: Path) -> None:
    """Found by a reader: the 周报's 附件 台账 said 已完成 of a closed task and of one waiting for review alike
    (the xlsx 台账 tells them apart)."""
    assert gwgk("done", "4,6", "--date", "2021-11-20").exit_code == 0
    assert gwgk("review", "4", "--pass").exit_code == 0
    from gwgk_cli.report_wording import annex_cells

    recs = {r["id"]: r for r in json.loads(gwgk("export", "--format", "json").stdout)}
    assert [annex_cells(recs[i], 2021)[-1] for i in (4, 6, 7)] == ["已销号", "已完成（待审核）", "未开始·绿灯"]


def test_an_unapproved_extension_tells_one_story(gwgk: Any, table: Path) -> None:
    """Found by a reader and in review: with a 延期 nobody approved, the 周报 and warn said 还剩 8 天 (yellow, check
    exit 0) while the 通报 counted the task 逾期未完成; and a completion between the two dates was 按时 in list but
    逾期完成 in the 通报. One rule now: late by the approved date."""
    assert gwgk("--today", "2021-12-20", "extend", "6", "--to", "2022-01-20", "--note", "等待企业名录").exit_code == 0
    listed = json.loads(gwgk("--today", "2022-01-12", "list", "--format", "json").stdout)
    six = next(r for r in listed if r["id"] == 6)
    assert (six["signal"], six["signal_reason"], six["due"], six["days_left"]) == (
        "red", "逾期 12 天（延期至 2022-01-20 未经批准）", "2021-12-31", -12)  # the 到期日 too (found by testers)
    assert gwgk("--today", "2022-01-12", "check", "--unit", "“放管服”改革和营商环境监督科").exit_code == 1
    bulletin = gwgk("--today", "2022-01-12", "bulletin", "--format", "md").stdout
    assert "| 6 | 围绕双招双引推进对企信息公开 |" in bulletin
    assert gwgk("--today", "2022-01-12", "done", "6", "--date", "2022-01-05").exit_code == 0
    six = next(r for r in json.loads(gwgk("--today", "2022-01-12", "list", "--format", "json").stdout) if r["id"] == 6)
    assert six["signal_reason"] == "已完成（逾期 5 天完成；延期至 2022-01-20 未经批准）"
    shown = gwgk("--today", "2022-01-12", "show", "6", "--format", "table").stdout  # it said 按期完成 (found by a tester)
    assert "2021-12-31（逾期 5 天完成）；申请延期至 2022-01-20（未经批准）" in shown
    report = gwgk("--today", "2022-01-12", "report", "--week", "2022-W01").stdout
    assert "任务 6“围绕双招双引推进对企信息公开”：逾期 5 天完成" in report


def test_the_weekly_report_names_what_an_undo_took_back(gwgk: Any, review_table: Path) -> None:
    """Found in review: an undo of a 销号 or a 延期 made in an earlier week read 撤销一条此前的登记 in the 周报, and a
    leader could not tell what had changed. It names the change taken back, its date; from the index, from the
    journal without it, and from the entries in memory alike."""
    import datetime as dt

    from gwgk_cli.paths import Location
    from gwgk_cli.queries import thresholds_for
    from gwgk_cli.report import JournalEntries, build_report, week_of
    from gwgk_cli.store import Tracker

    for args in (("--today", "2021-11-12", "done", "6"), ("--today", "2021-11-13", "review", "6", "--pass"),
                 ("--today", "2021-11-14", "extend", "4", "--to", "2022-01-31", "--note", "等待审计", "--approved-by", "李"),
                 ("--today", "2021-11-17", "undo"), ("--today", "2021-11-18", "undo"),  # the 延期, then the 销号
                 ("--today", "2021-11-18", "note", "6", "佐证材料补充中")):
        result = gwgk(*args)
        assert result.exit_code == 0, result.output
    result = gwgk("--today", "2021-11-22", "report", "--week", "2021-W46")
    assert result.exit_code == 0, result.output
    assert "任务 4“公开办公室预算决算”：撤销11月14日的“延期至2022年1月31日（李批准）”（11月17日，测试员）" in result.stdout
    assert "任务 6“围绕双招双引推进对企信息公开”：撤销11月13日的“审核销号”；佐证材料补充中（11月18日，测试员）" in result.stdout
    assert "撤销一条此前的登记" not in result.stdout
    today = dt.date(2021, 11, 22)

    def build(source: Any) -> Any:
        tracker = Tracker(Location(review_table, "test", False), as_of=today)
        return build_report(tracker.plan, source, period=week_of(dt.date(2021, 11, 16)), today=today, by="测试员",
                            thresholds=thresholds_for(tracker.plan))

    from test_index import no_index

    whole = build(JournalEntries(Tracker(Location(review_table, "test", False), as_of=today).entries()))
    assert build(Tracker(Location(review_table, "test", False), as_of=today)) == whole
    with no_index():
        assert build(Tracker(Location(review_table, "test", False), as_of=today)) == whole


def test_a_task_closed_in_the_week_shows_no_earlier_percent(gwgk: Any, review_table: Path) -> None:
    """Found by a tester: 完成、审核退回、完成、审核销号；进度 90% of a task closed that week (everywhere else 100%)."""
    for args in (("--today", "2021-11-22", "done", "4", "--note", "决算已公开"),
                 ("--today", "2021-11-23", "review", "4", "--return", "--note", "缺少决算报表"),
                 ("--today", "2021-11-24", "note", "4", "已补充决算报表", "--percent", "90"),
                 ("--today", "2021-11-25", "done", "4"), ("--today", "2021-11-26", "review", "4", "--pass")):
        result = gwgk(*args)
        assert result.exit_code == 0, result.output
    report = gwgk("--today", "2021-11-26", "report").stdout
    line = next(s for s in report.splitlines() if "任务 4“" in s and "审核销号" in s)
    assert "进度" not in line and "完成、审核退回、完成、审核销号" in line
    assert gwgk("--today", "2021-11-24", "report").stdout.count("进度 90%") == 1  # before the completion: said


def test_log_and_the_ledger_history_name_the_approver_and_the_year(gwgk: Any, table: Path, tmp_path: Path) -> None:
    """Found by a tester: log listed an approved 延期 as 延期至 2022-01-31 (no approver), and the 台账's 进展记录 wrote
    延期至1月31日 in a sheet whose every other date has its year."""
    from openpyxl import load_workbook

    assert gwgk("--today", "2021-12-20", "extend", "4", "--to", "2022-01-31", "--note", "申请").exit_code == 0
    assert gwgk("--today", "2021-12-21", "extend", "4", "--to", "2022-01-31", "--note", "同意",
                "--approved-by", "王主任").exit_code == 0
    log = gwgk("--today", "2022-01-05", "log", "4").stdout
    assert "\t申请延期至 2022-01-31（未经批准）\t" in log and "\t延期至 2022-01-31（王主任批准）\t" in log
    out = tmp_path / "台账.xlsx"
    assert gwgk("--today", "2022-01-05", "export", "-o", str(out)).exit_code == 0
    changes = [row[3] for row in load_workbook(out)["进展记录"].iter_rows(min_row=3, values_only=True)]
    assert changes == ["申请延期至2022年1月31日（未经批准）", "延期至2022年1月31日（王主任批准）"]


def test_a_pending_request_is_approved_after_its_date(gwgk: Any, table: Path) -> None:
    """Found in review: the approval of a request, recorded after the date asked for, was refused as a date already
    past; the approval of that very request is taken (another date past is still refused)."""
    assert gwgk("--today", "2021-12-20", "extend", "4", "--to", "2022-01-31", "--note", "材料待定").exit_code == 0
    late = gwgk("--today", "2022-02-05", "extend", "4", "--to", "2022-01-31", "--note", "同意", "--approved-by", "王主任")
    assert late.exit_code == 0, late.output
    rec = json.loads(gwgk("--today", "2022-02-05", "show", "4", "--format", "json").stdout)
    assert (rec["due"], rec["signal"]) == ("2022-01-31", "red")
    other = gwgk("--today", "2022-02-05", "extend", "4", "--to", "2022-02-01", "--note", "x", "--approved-by", "王主任")
    assert other.exit_code == 2 and "已经过去" in other.output
