"""A 退回's reason is the task's latest word (最近进展) only until the unit's next change or a 销号.

Found by a review: done, 退回 (佐证不全), done again with evidence, 销号 — and `show`, `list`, the 台账 and the
周报 still gave 佐证不全 as the task's 最近进展. The replay (state.apply) now makes the reason history once a
later change of the unit's (a status change or a note) or a 销号 follows it; `log` keeps it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gwgk_cli.journal_entry import Entry
from gwgk_cli.model import Status
from gwgk_cli.paths import Location
from gwgk_cli.state import TaskState, state_as_of
from gwgk_cli.store import Tracker

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "data" / "tasks_2021.yaml"
TASK = 4


def D(day: int) -> dt.date:  # noqa: N802 - a date in October 2021, as the cases read
    return dt.date(2021, 10, day)


def step(n: int, text: str) -> Entry:
    """One journal entry of task 4 from a short phrase: `DAY op [argument]` (line n)."""
    day, op, *rest = text.split()
    arg = rest[0] if rest else ""
    base: dict[str, Any] = {"id": f"e{n:03d}", "at": f"2021-10-{int(day):02d}T09:00:00+08:00", "date": D(int(day)),
                            "by": "测试员", "task": TASK, "lineno": n}
    statuses = {"done": Status.DONE, "start": Status.DOING, "reopen": Status.DOING, "block": Status.BLOCKED}
    if op in statuses:
        return Entry(op="status", to_status=statuses[op], note=arg, evidence="https://x.gov.cn/a" if op == "done" else "",
                     **base)
    if op == "note":
        return Entry(op="note", note=arg, **base)
    if op == "return":
        return Entry(op="review", result="return", note=arg, from_status=Status.DONE, to_status=Status.DOING, **base)
    if op == "close":
        return Entry(op="review", result="pass", note=arg, from_status=Status.DONE, **base)
    if op == "accept":
        return Entry(op="accept", unit="行财科", **base)
    if op == "extend":
        return Entry(op="extend", due=dt.date(2022, 1, 31), note=arg, **base)
    if op == "undo":  # undo of line `arg`
        return Entry(op="undo", undoes=f"e{int(arg):03d}", **base)
    raise AssertionError(text)


def history(*texts: str) -> list[Entry]:
    return [step(n, text) for n, text in enumerate(texts, start=1)]


# (why, the steps, as of, (status, last_note, last_note's day, returned_note)): line numbers count from 1.
CASES = [
    ("the review's case: redo with evidence, then 销号", ["1 done", "2 return 佐证不全", "5 done", "6 close"], 7,
     (Status.DONE, "", None, "")),
    ("redo without a 销号 yet", ["1 done", "2 return 佐证不全", "5 done"], 5, (Status.DONE, "", None, "")),
    ("the unit's own note before the return is the latest word again", ["1 done 已上传预算", "2 return 佐证不全", "5 done"],
     7, (Status.DONE, "已上传预算", 1, "")),
    ("while the return stands, its reason is the latest word", ["1 done 已上传预算", "2 return 佐证不全", "5 done"], 4,
     (Status.DOING, "佐证不全", 2, "佐证不全")),
    ("a 签收 and a 延期 are not the unit's word: the return stands",
     ["1 done", "2 return 佐证不全", "3 accept", "4 extend 等审计"], 5, (Status.DOING, "佐证不全", 2, "佐证不全")),
    ("a note after the return is the latest word", ["1 done", "2 return 佐证不全", "4 note 已补充决算报表"], 5,
     (Status.DOING, "已补充决算报表", 4, "")),
    ("a note backdated before the return does not supersede it", ["1 done", "3 return 佐证不全", "2 note 补记"], 5,
     (Status.DOING, "佐证不全", 3, "佐证不全")),
    ("a return then start (a status change)", ["1 done 已上传预算", "2 return 佐证不全", "3 start"], 4,
     (Status.DOING, "已上传预算", 1, "")),
    ("a return, blocked, reopened", ["1 done", "2 return 佐证不全", "3 block 等财政局", "4 reopen"], 5,
     (Status.DOING, "等财政局", 3, "")),
    ("the return undone", ["1 done 已上传预算", "2 return 佐证不全", "3 undo 2"], 4, (Status.DONE, "已上传预算", 1, "")),
    ("the redo undone: the return stands again", ["1 done", "2 return 佐证不全", "3 done", "4 undo 3"], 5,
     (Status.DOING, "佐证不全", 2, "佐证不全")),
    ("a return of a task closed earlier", ["1 done 已上传预算", "2 close", "3 return 公开不全"], 4,
     (Status.DOING, "公开不全", 3, "公开不全")),
    ("a task closed earlier, returned, redone and closed again",
     ["1 done 已上传预算", "2 close", "3 return 公开不全", "5 done", "6 close"], 7, (Status.DONE, "已上传预算", 1, "")),
    ("a second return: its reason is the latest word", ["1 done", "2 return 佐证不全", "3 done", "4 return 缺少决算报表"], 5,
     (Status.DOING, "缺少决算报表", 4, "缺少决算报表")),
    ("a second return, then a note", ["1 done", "2 return 佐证不全", "3 done", "4 return 缺少决算报表", "5 note 已补充"], 6,
     (Status.DOING, "已补充", 5, "")),
]


@pytest.mark.parametrize(("why", "steps", "day", "want"), CASES, ids=[c[0] for c in CASES])
def test_the_latest_word_is_the_latest_event(why: str, steps: list[str], day: int,
                                             want: tuple[Status, str, int | None, str]) -> None:
    state = state_as_of(history(*steps), [TASK], D(day))[TASK]
    status, note, note_day, returned = want
    got = (state.status, state.last_note, state.last_note_date, state.returned_note)
    assert got == (status, note, D(note_day) if note_day else None, returned), why


@pytest.mark.parametrize(("why", "steps", "day", "want"), CASES, ids=[c[0] for c in CASES])
def test_the_index_agrees_with_the_replay(why: str, steps: list[str], day: int, want: object, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The index caches replayed states (its schema version bumped for the new fields): as of the case's date
    and after everything, it gives the state the replay of the files gives."""
    table = tmp_path / "tasks_2021.yaml"
    shutil.copyfile(TABLE, table)
    entries = history(*steps)
    table.with_name("tasks_2021.progress.jsonl").write_text(
        "".join(e.to_json() + "\n" for e in entries), encoding="utf-8")
    for as_of in (D(day), None):
        indexed = Tracker(Location(table, "test", False), as_of=as_of).states()
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
        direct = Tracker(Location(table, "test", False), as_of=as_of).states()
        monkeypatch.delenv("GWGK_NO_CACHE")
        assert indexed.get(TASK, TaskState()) == direct.get(TASK, TaskState()) == state_as_of(
            entries, [TASK], as_of)[TASK], (why, as_of)


@pytest.fixture
def review_table(table: Path) -> Path:
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("settings:\n", "settings:\n  review: true\n", 1), encoding="utf-8")
    return table


def test_show_list_export_and_report_after_a_redo_and_close(gwgk: Any, review_table: Path) -> None:
    """The reported case through the CLI: the reason is in `log`, not the 最近进展 of show, list, export, 周报."""
    for args in [("--today", "2021-11-15", "done", "4"),
                 ("--today", "2021-11-16", "review", "4", "--return", "--note", "佐证不全"),
                 ("--today", "2021-11-18", "done", "4", "--evidence", "https://www.huainan.gov.cn/xxgk/ysjs.html"),
                 ("--today", "2021-11-19", "review", "4", "--pass")]:
        result = gwgk(*args)
        assert result.exit_code == 0, result.output
    while_returned = json.loads(gwgk("--today", "2021-11-17", "show", "4", "--format", "json").stdout)
    assert while_returned["last_note"] == "佐证不全"
    shown = gwgk("show", "4", "--format", "json")
    assert shown.exit_code == 0, shown.output
    rec = json.loads(shown.stdout)
    assert (rec["status_label"], rec["last_note"]) == ("已销号", None)
    table_view = gwgk("show", "4", "--format", "table").stdout
    assert "审核退回 → 推进中" in table_view and table_view.count("佐证不全") == 1  # its log line only
    assert "佐证不全" not in gwgk("list", "--format", "tsv").stdout
    assert "佐证不全" not in gwgk("export", "--format", "csv").stdout
    assert "佐证不全" not in gwgk("report", "--week", "2021-W46").stdout
    log = json.loads(gwgk("log", "4", "--format", "json").stdout)
    assert [r["note"] for r in log if r["op"] == "review"] == ["", "佐证不全"]


# (why, the steps with the percent each reports, as of, (status, percent)): found by a tester, a 退回 left the
# task 推进中 at no percent, and the unit's average (各单位推进情况) fell as if it had reported 0.
PERCENT_CASES = [
    ("a return: the unit's percent before it finished", [("1 note 上传中", 50), ("2 done", None), ("3 return 缺报表", None)],
     4, (Status.DOING, 50)),
    ("a reopen likewise", [("1 note 上传中", 50), ("2 done", None), ("3 reopen", None)], 4, (Status.DOING, 50)),
    ("none reported before: none", [("2 done", None), ("3 return 缺报表", None)], 4, (Status.DOING, None)),
    ("the latest report before the second completion", [("1 note 上传中", 50), ("2 done", None), ("3 return 缺报表", None),
                                                        ("4 note 补充中", 70), ("5 done", None), ("6 return 仍缺", None)],
     7, (Status.DOING, 70)),
    ("done and closed: 100", [("1 note 上传中", 50), ("2 done", None), ("3 close", None)], 4, (Status.DONE, 100)),
    ("the return undone: done, 100", [("1 note 上传中", 50), ("2 done", None), ("3 return 缺报表", None), ("4 undo 3", None)],
     5, (Status.DONE, 100)),
]


@pytest.mark.parametrize(("why", "steps", "day", "want"), PERCENT_CASES, ids=[c[0] for c in PERCENT_CASES])
def test_a_return_gives_back_the_units_percent(why: str, steps: list[tuple[str, int | None]], day: int,
                                               want: tuple[Status, int | None]) -> None:
    from dataclasses import replace

    entries = [replace(step(n, text), percent=pct) for n, (text, pct) in enumerate(steps, start=1)]
    state = state_as_of(entries, [TASK], D(day))[TASK]
    assert (state.status, state.percent) == want, why
