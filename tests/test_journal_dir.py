"""Team journals: one journal directory shared by several PCs (gwgk_cli.journal_dir)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Runner
from gwgk_cli import journal_dir, journal_split
from gwgk_cli.journal import read_entries
from gwgk_cli.journal_dir import conflict_base, safe_part
from gwgk_cli.journal_split import join, split


def line(id_: str, at: str, date: str = "2021-11-22", *, by: str = "李明", task: int = 4, op: str = "note",
         **more: object) -> str:
    data: dict[str, object] = {"id": id_, "at": at, "date": date, "by": by, "task": task, "op": op, **more}
    if op == "note" and "note" not in data:
        data["note"] = f"进展 {id_}"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


@pytest.fixture
def folder(journal: Path) -> Path:
    """The journal directory beside the table (tasks_2021.progress/), empty."""
    directory = journal.with_name("tasks_2021.progress")
    directory.mkdir()
    return directory


def as_pc(monkeypatch: pytest.MonkeyPatch, user: str, host: str) -> None:
    monkeypatch.setenv("GWGK_USER", user)
    monkeypatch.setenv("GWGK_HOST", host)


def log_ids(gwgk: Runner) -> list[str]:
    result = gwgk("log", "--format", "json")
    assert result.exit_code == 0, result.output
    return [r["id"] for r in json.loads(result.stdout)]


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(("text", "expected"), [
    ("李明", "李明"),
    ("PC-ZWGK", "PC-ZWGK"),
    ("张三@政务公开办", "张三_政务公开办"),
    ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
    ("  李 明  ", "李 明"),
    ("...名字...", "名字"),
    ("CON", "CON_"),
    ("lpt1", "lpt1_"),
    ("nul.txt", "nul.txt_"),
    ("", "_"),
    ("\x00\x1f", "__"),
    ("长" * 40, "长" * 26),  # 80 bytes of UTF-8 cut on a character boundary
])
def test_safe_part(text: str, expected: str) -> None:
    assert safe_part(text) == expected


@given(st.text())
def test_safe_part_is_a_valid_file_name_part_anywhere(text: str) -> None:
    part = safe_part(text)
    assert part and len(part.encode("utf-8")) <= journal_dir.NAME_BYTES
    assert not set(part) & set('<>:"/\\|?*@') and all(ord(c) >= 0x20 and c != "\x7f" for c in part)
    assert part == part.strip(" .")
    assert part.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                                              *(f"LPT{i}" for i in range(10))}


def test_writer_file_is_user_at_host(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_pc(monkeypatch, "李明", "PC-ZWGK")
    assert journal_dir.writer_file(folder) == folder / "李明@PC-ZWGK.jsonl"
    assert journal_dir.writer_file(folder, "王/芳", "CON") == folder / "王_芳@CON_.jsonl"


@pytest.mark.parametrize(("name", "base"), [
    ("李明@PC-A.jsonl", None),
    ("tasks_2021.progress.jsonl", None),
    ("王芳@PC-2.jsonl", None),
    ("李明@PC-A (1).jsonl", "李明@PC-A.jsonl"),  # Google Drive, Baidu, browsers
    ("李明@PC-A(2).jsonl", "李明@PC-A.jsonl"),
    ("李明@PC-A（1）.jsonl", "李明@PC-A.jsonl"),
    ("李明@PC-A (conflicted copy 2021-11-22 093000).jsonl", "李明@PC-A.jsonl"),  # Nextcloud, ownCloud
    ("李明@PC-A (王芳's conflicted copy 2021-11-22).jsonl", "李明@PC-A.jsonl"),  # Dropbox
    ("李明@PC-A (SFConflict wf@example.cn 2021-11-22-09-30-00).jsonl", "李明@PC-A.jsonl"),  # Seafile
    ("李明@PC-A.sync-conflict-20211122-093000-ABCDEFG.jsonl", "李明@PC-A.jsonl"),  # Syncthing
    ("李明@PC-A_conflict-20211122-093000.jsonl", "李明@PC-A.jsonl"),  # ownCloud (old)
    ("李明@PC-A(冲突副本 2021-11-22 王芳).jsonl", "李明@PC-A.jsonl"),  # 坚果云 style
    ("李明@PC-A-冲突副本-20211122.jsonl", "李明@PC-A.jsonl"),
    ("李明@PC-A(冲突).jsonl", "李明@PC-A.jsonl"),  # 360
    ("李明@PC-A-副本.jsonl", "李明@PC-A.jsonl"),  # WPS 云盘
    ("李明@PC-A - 副本.jsonl", "李明@PC-A.jsonl"),  # Windows Explorer (Chinese)
    ("李明@PC-A - Copy (2).jsonl", "李明@PC-A.jsonl"),  # Windows Explorer
    ("李明@PC-A.jsonl.conflict-20211122", "李明@PC-A.jsonl"),
    ("李明@PC-A.jsonl (1)", "李明@PC-A.jsonl"),
    ("readme.txt", None),
])
def test_conflict_copy_names(name: str, base: str | None) -> None:
    assert conflict_base(name) == base


def test_journal_files_of_a_single_file(journal: Path) -> None:
    assert journal_dir.journal_files(journal) == []
    journal.write_text(line("a1", "2021-11-22T09:00:00+08:00"), encoding="utf-8")
    assert journal_dir.journal_files(journal) == [journal]


def test_only_journal_files_are_read(folder: Path) -> None:
    for name in ("b@PC.jsonl", "a@PC.jsonl", "a@PC (1).jsonl", ".a@PC.jsonl.x.tmp", "~$a.jsonl", "desktop.ini",
                 "a@PC.jsonl.lock", ".nutstore.db"):
        (folder / name).write_text("", encoding="utf-8")
    (folder / "sub.jsonl").mkdir()
    assert [p.name for p in journal_dir.journal_files(folder.with_name("tasks_2021.progress.jsonl"))] == [
        "a@PC.jsonl", "b@PC.jsonl", "a@PC (1).jsonl"]


# --------------------------------------------------------------------------- which journal


def test_a_file_and_a_directory_both_are_refused(gwgk: Runner, journal: Path, folder: Path) -> None:
    journal.write_text(line("aaaa00000001", "2021-11-22T09:00:00+08:00"), encoding="utf-8")
    for args in (("list",), ("note", "4", "x")):
        result = gwgk(*args)
        assert result.exit_code == 2
        assert result.stderr == (
            f"错误：进展记录文件 {journal} 与进展记录目录 {folder}{os.sep} 同时存在，不知以哪个为准，未读取也未写入；"
            "请运行 gwgk journal split 把该文件并入目录（原文件改名留作备份），"
            "或把它移走后再用 gwgk journal join 合成单个文件\n")
    assert sorted(p.name for p in folder.iterdir()) == []
    assert gwgk("journal", "split").exit_code == 0  # the way out it names
    assert [e.id for e in read_entries(journal)[0]] == ["aaaa00000001"]


def test_each_writer_appends_to_its_own_file(gwgk: Runner, journal: Path, folder: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    as_pc(monkeypatch, "李明", "PC-A")
    assert gwgk("start", "4").exit_code == 0
    as_pc(monkeypatch, "王芳", "PC-B")
    assert gwgk("done", "4", "-n", "已公开").exit_code == 0  # decided on the merged view: from 推进中
    assert not journal.exists()
    a = (folder / "李明@PC-A.jsonl").read_text(encoding="utf-8").splitlines()
    b = (folder / "王芳@PC-B.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["to"] for x in a] == ["doing"]
    assert [(json.loads(x)["from"], json.loads(x)["to"]) for x in b] == [("doing", "done")]
    result = gwgk("show", "4", "--format", "json")
    assert json.loads(result.stdout)["status"] == "done"


# --------------------------------------------------------------------------- two PCs at once


def _run_many(env: dict[str, str], user: str, host: str, count: int) -> list[subprocess.Popen[bytes]]:
    mine = {**env, "GWGK_USER": user, "GWGK_HOST": host}
    return [subprocess.Popen([sys.executable, "-m", "gwgk_cli", "note", str(i % 28 + 1), f"{user} 的进展 {i:02d}"],
                             env=mine, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(count)]


def test_two_pcs_writing_at_once_plus_a_conflict_copy(gwgk: Runner, folder: Path) -> None:
    env = dict(os.environ)
    procs = _run_many(env, "李明", "PC-A", 8) + _run_many(env, "王芳", "PC-B", 8)
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode("utf-8", "replace")
    a, b = folder / "李明@PC-A.jsonl", folder / "王芳@PC-B.jsonl"
    assert sorted(p.name for p in folder.iterdir()) == [a.name, b.name]
    for path, who in ((a, "李明"), (b, "王芳")):
        raw = path.read_bytes()
        assert raw.endswith(b"\n") and raw.count(b"\n") == 8
        assert {json.loads(x)["by"] for x in raw.decode("utf-8").splitlines()} == {who}  # only its own writer
    # The sync client could not upload 李明's file in time: his copy, with one more entry, came back as a copy.
    copy = folder / "李明@PC-A (conflicted copy 2021-11-22 093000).jsonl"
    copy.write_bytes(a.read_bytes() + line("c0ffee000001", "2021-11-22T18:00:00+08:00", task=5).encode("utf-8"))
    entries, warnings, _ = read_entries(folder.with_name("tasks_2021.progress.jsonl"))
    assert warnings == []
    assert len(entries) == 17 and len({e.id for e in entries}) == 17  # nothing lost, nothing twice
    assert sorted(e.note for e in entries if e.by == "王芳") == [f"王芳 的进展 {i:02d}" for i in range(8)]
    assert [e.lineno for e in entries] == list(range(1, 18))
    assert next(e for e in entries if e.id == "c0ffee000001").origin == str(copy)
    assert len(log_ids(gwgk)) == 17
    result = gwgk("doctor")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2:] == [
        f"{copy}: 同步软件生成的李明@PC-A.jsonl 的冲突副本（9 条记录，已合并读取、不重复计）；其中 1 条不在原文件中，已一并读取，请勿删除",
        "发现 1 处问题。",
    ]


# --------------------------------------------------------------------------- order


def test_merged_order_is_recording_order_and_replay_is_date_then_that(gwgk: Runner, folder: Path) -> None:
    (folder / "李明@PC-A.jsonl").write_text(
        line("a1", "2021-11-20T09:00:00+08:00", "2021-11-20")
        + line("a2", "2021-11-22T09:10:00+08:00")
        + line("a3", "2021-11-22T09:30:00+08:00"), encoding="utf-8")
    (folder / "王芳@PC-B.jsonl").write_text(
        line("b1", "2021-11-22T01:05:00+00:00")  # 09:05 in Beijing: between a1 and a2
        + line("b2", "2021-11-22T09:20:00+08:00", "2021-11-21")  # recorded on the 22nd, dated the 21st
        + line("b3", "2021-11-22T09:30:00+08:00"), encoding="utf-8")  # the same second as a3: by id, a3 first
    entries = read_entries(folder.with_name("tasks_2021.progress.jsonl"))[0]
    assert [e.id for e in entries] == ["a1", "b1", "a2", "b2", "a3", "b3"]
    assert [(Path(e.origin).name, e.origin_line) for e in entries][:2] == [("李明@PC-A.jsonl", 1), ("王芳@PC-B.jsonl", 1)]
    assert log_ids(gwgk) == ["b3", "a3", "a2", "b1", "b2", "a1"]  # newest first: date, then recording order


def test_a_file_keeps_its_own_order_whatever_its_times(folder: Path) -> None:
    """A writer's file is in the order it was written, even when a clock went back."""
    (folder / "李明@PC-A.jsonl").write_text(
        line("a1", "2021-11-22T10:00:00+08:00") + line("a2", "2021-11-22T08:00:00+08:00"), encoding="utf-8")
    (folder / "王芳@PC-B.jsonl").write_text(line("b1", "2021-11-22T09:00:00+08:00"), encoding="utf-8")
    assert [e.id for e in read_entries(folder.with_name("tasks_2021.progress.jsonl"))[0]] == ["b1", "a1", "a2"]


def test_single_file_order_is_unchanged(gwgk: Runner, journal: Path) -> None:
    journal.write_text(line("a1", "2021-11-22T10:00:00+08:00") + line("a2", "2021-11-22T08:00:00+08:00"),
                       encoding="utf-8")
    assert log_ids(gwgk) == ["a2", "a1"]  # the line order, not the times


# --------------------------------------------------------------------------- split and join

_entry = st.tuples(
    st.dates(min_value=__import__("datetime").date(2021, 1, 1), max_value=__import__("datetime").date(2021, 12, 31)),
    st.integers(0, 86399),  # seconds into 2021-11-22 when it was recorded
    st.integers(1, 28),
    st.text(alphabet="进展公开abc ", max_size=8),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_entry, max_size=12), st.lists(_entry, max_size=12))
def test_split_join_round_trip(first: list[tuple[object, int, int, str]], second: list[tuple[object, int, int, str]]
                               ) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        journal = Path(tmp) / "tasks_2021.progress.jsonl"

        def text(rows: list[tuple[object, int, int, str]], prefix: str) -> str:
            return "".join(line(f"{prefix}{n:04d}", f"2021-11-22T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+08:00",
                                str(d), task=t, note=note or "x") for n, (d, s, t, note) in enumerate(rows))

        original = text(first, "a")
        journal.write_text(original, encoding="utf-8")
        before = read_entries(journal)[0]
        done = split(journal)
        assert done.backup.read_text(encoding="utf-8") == original  # the source kept, untouched
        assert not journal.exists()
        after = read_entries(journal)[0]
        assert [e.id for e in after] == [e.id for e in before]  # nothing lost or reordered
        # A second PC writes too; join writes the merged order, and reading it back gives that order.
        (done.target.parent / "王芳@PC-B.jsonl").write_text(text(second, "b"), encoding="utf-8")
        merged = [e.id for e in read_entries(journal)[0]]
        assert sorted(merged) == sorted([e.id for e in before] + [f"b{n:04d}" for n in range(len(second))])
        joined = join(journal)
        assert joined.backup.is_dir() and sorted(p.name for p in joined.backup.iterdir()) == [
            "tasks_2021.progress.jsonl", "王芳@PC-B.jsonl"]
        assert [e.id for e in read_entries(journal)[0]] == merged
        if not second:
            assert journal.read_text(encoding="utf-8") == original  # split then join: the very same bytes


def test_split_and_join_on_the_command_line(gwgk: Runner, journal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal_split, "_stamp_now", lambda: "20211122-100000")
    as_pc(monkeypatch, "李明", "PC-A")
    assert gwgk("note", "4", "已启动").exit_code == 0
    folder = journal.with_name("tasks_2021.progress")
    result = gwgk("journal", "split")
    assert result.exit_code == 0
    assert result.stdout == (
        f"已拆分：1 条记录原样移入 {folder}{os.sep}tasks_2021.progress.jsonl。\n"
        "原文件已改名为 tasks_2021.progress.jsonl.拆分前备份-20211122-100000，留作备份（确认无误后可删除）。\n"
        "本机此后写入 李明@PC-A.jsonl；其他电脑各写各的文件，读取时按登记顺序合并（gwgk info 列出全部文件）。\n")
    assert gwgk("journal", "split").exit_code == 2  # nothing left to split
    assert gwgk("note", "5", "第二条").exit_code == 0
    shutil.copyfile(folder / "李明@PC-A.jsonl", folder / "李明@PC-A (1).jsonl")
    result = gwgk("journal", "join")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"已合并：2 条记录写入 {journal}（冲突副本中重复的 1 条只保留一份）。\n"
        "原目录已改名为 tasks_2021.progress.合并前备份-20211122-100000，留作备份（确认无误后可删除）。\n")
    assert [e.note for e in read_entries(journal)[0]] == ["已启动", "第二条"]
    result = gwgk("journal", "join")
    assert result.exit_code == 2 and f"{folder}{os.sep}: 没有进展记录目录可合并" in result.stderr


@pytest.mark.parametrize("held", [2, 100])
def test_split_waits_while_a_sync_client_holds_the_new_folder(gwgk: Runner, journal: Path,
                                                              monkeypatch: pytest.MonkeyPatch, held: int) -> None:
    """Found by a Windows review: Windows refuses to rename a folder while a sync client or a virus scanner holds a
    file in it, and split failed at once, saying 只读. It tries again for a few seconds; then says why, unchanged."""
    from gwgk_cli import safe_write

    monkeypatch.setattr(safe_write, "FOLDER_TRIES", 5)
    monkeypatch.setattr(safe_write, "REPLACE_WAIT", 0)
    assert gwgk("note", "4", "已启动").exit_code == 0
    before = journal.read_bytes()
    real = os.rename
    calls = {"n": 0}

    def busy(source: object, target: object) -> None:
        if str(source).endswith(".tmp") and calls["n"] < held:
            calls["n"] += 1
            raise PermissionError(13, "拒绝访问。", str(source))
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", busy)
    result = gwgk("journal", "split")
    if held < 5:
        assert result.exit_code == 0, result.output
        assert journal.with_name("tasks_2021.progress").is_dir()
    else:
        assert result.exit_code == 2
        assert "拆分失败：拒绝访问。（文件可能正被同步软件或杀毒软件占用，请稍后重试）；未改动" in result.stderr
        assert journal.read_bytes() == before and not journal.with_name("tasks_2021.progress").exists()


def test_join_refuses_what_it_would_lose_or_overwrite(gwgk: Runner, journal: Path, folder: Path) -> None:
    (folder / "李明@PC-A.jsonl").write_text(line("a1", "2021-11-22T09:00:00+08:00") + "{坏行\n", encoding="utf-8")
    result = gwgk("journal", "join")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{folder / '李明@PC-A.jsonl'}:2: 此行无效")
    assert "有 1 行无法读取，合并会丢失它们，未合并" in result.stderr
    (folder / "李明@PC-A.jsonl").write_text(line("a1", "2021-11-22T09:00:00+08:00"), encoding="utf-8")
    (folder / "王芳@PC-B.jsonl").write_text(line("a1", "2021-11-22T09:00:00+08:00", note="改过"), encoding="utf-8")
    result = gwgk("journal", "join")
    assert result.exit_code == 2 and "记录编号 a1 与 李明@PC-A.jsonl 第 1 行相同但内容不同" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["李明@PC-A.jsonl", "王芳@PC-B.jsonl"]
    assert not journal.exists()


# --------------------------------------------------------------------------- contradictions and undo


def _parallel(folder: Path, done_at: str, blocked_at: str) -> None:
    (folder / "李明@PC-A.jsonl").write_text(
        line("a0start00001", "2021-11-21T09:00:00+08:00", "2021-11-21", op="status", **{"from": "todo", "to": "doing"})
        + line("a1done000001", done_at, op="status", note="已公开", **{"from": "doing", "to": "done"}),
        encoding="utf-8")
    (folder / "王芳@PC-B.jsonl").write_text(
        line("b1block00001", blocked_at, by="王芳", op="status", note="缺经费", **{"from": "doing", "to": "blocked"}),
        encoding="utf-8")


@pytest.mark.parametrize(("done_at", "blocked_at", "status"), [
    ("2021-11-22T09:00:00+08:00", "2021-11-22T10:00:00+08:00", "blocked"),
    ("2021-11-22T11:00:00+08:00", "2021-11-22T10:00:00+08:00", "done"),
])
def test_contradicting_changes_the_later_recorded_wins(gwgk: Runner, folder: Path, done_at: str, blocked_at: str,
                                                       status: str) -> None:
    _parallel(folder, done_at, blocked_at)
    assert json.loads(gwgk("show", "4", "--format", "json").stdout)["status"] == status


def test_contradiction_reported_by_doctor_and_marked_in_log(gwgk: Runner, folder: Path) -> None:
    _parallel(folder, "2021-11-22T09:00:00+08:00", "2021-11-22T10:00:00+08:00")
    result = gwgk("doctor")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        f"进展记录：{folder}{os.sep}",
        f"{folder / '王芳@PC-B.jsonl'}:1: 任务 4 的状态变更相互矛盾：李明（2021-11-22，李明@PC-A.jsonl）记为“已完成”"
        "（记录 a1done000001），王芳（2021-11-22，王芳@PC-B.jsonl）记为“受阻”（记录 b1block00001），"
        "都从“推进中”改起、互不知情；按规则以登记在后的“受阻”为准。如不对：gwgk undo b1block00001",
        "发现 1 处问题。",
    ]
    result = gwgk("log", "--format", "tsv")
    assert result.stdout.splitlines()[1:3] == [
        "2021-11-22\t王芳\t4\t推进中 → 受阻\t\t缺经费（与记录 a1done000001 矛盾，以此为准）\tb1block00001",
        "2021-11-22\t李明\t4\t推进中 → 已完成\t\t已公开（与记录 b1block00001 矛盾，被其覆盖）\ta1done000001",
    ]
    records = json.loads(gwgk("log", "--format", "json").stdout)
    assert records[0]["contradiction"] == "与记录 a1done000001 矛盾，以此为准"
    assert records[2]["contradiction"] is None


def test_contradiction_in_a_single_file_merged_by_git(gwgk: Runner, journal: Path) -> None:
    journal.write_text(
        line("a0", "2021-11-21T09:00:00+08:00", "2021-11-21", op="status", **{"from": "todo", "to": "doing"})
        + line("a1", "2021-11-22T09:00:00+08:00", op="status", **{"from": "doing", "to": "done"})
        + line("b1", "2021-11-22T10:00:00+08:00", by="王芳", op="status", **{"from": "doing", "to": "blocked"}),
        encoding="utf-8")
    result = gwgk("doctor")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2].startswith(f"{journal}:3: 任务 4 的状态变更相互矛盾：李明（2021-11-22）记为“已完成”")


def test_undo_across_files(gwgk: Runner, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _parallel(folder, "2021-11-22T09:00:00+08:00", "2021-11-22T10:00:00+08:00")
    as_pc(monkeypatch, "李明", "PC-A")
    result = gwgk("undo", "b1bl")  # 王芳's entry, in her file: the undo goes into 李明's
    assert result.exit_code == 0, result.output
    assert json.loads(gwgk("show", "4", "--format", "json").stdout)["status"] == "done"
    mine = (folder / "李明@PC-A.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(mine[-1])["undoes"] == "b1block00001"
    assert (folder / "王芳@PC-B.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert gwgk("doctor").exit_code == 0  # an undone change contradicts nothing
    as_pc(monkeypatch, "王芳", "PC-B")
    result = gwgk("note", "5", "王芳的进展")
    as_pc(monkeypatch, "李明", "PC-A")
    result = gwgk("undo")  # 李明's own latest change in force: 已完成, though 王芳 recorded after it
    assert result.exit_code == 0, result.output
    assert "a1done000001" in result.stdout
    assert json.loads(gwgk("show", "4", "--format", "json").stdout)["status"] == "doing"


# --------------------------------------------------------------------------- doctor and info


def test_doctor_reports_a_line_being_written_that_commands_skip(gwgk: Runner, folder: Path) -> None:
    (folder / "李明@PC-A.jsonl").write_text(line("a1", "2021-11-22T09:00:00+08:00") + '{"id":"a2","at', encoding="utf-8")
    result = gwgk("list", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""  # another PC is writing it: not a warning
    result = gwgk("doctor")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2:] == [
        f"{folder / '李明@PC-A.jsonl'}:2: 最后一行不完整（可能写入时中断）：不是完整的 JSON 行"
        "（Unterminated string starting at，第 12 列），已跳过",
        "发现 1 处问题。",
    ]


def test_doctor_names_each_file_and_line(gwgk: Runner, folder: Path) -> None:
    (folder / "李明@PC-A.jsonl").write_text(line("a1", "2021-11-22T09:00:00+08:00", task=99), encoding="utf-8")
    (folder / "王芳@PC-B.jsonl").write_text(line("b1", "2021-11-22T09:00:00+08:00")
                                          + line("b2", "2021-11-22T09:01:00+08:00", op="undo", undoes="zzzz"),
                                          encoding="utf-8")
    result = gwgk("doctor")
    assert result.stdout.splitlines()[2:] == [
        f"{folder / '李明@PC-A.jsonl'}:1: 任务 99 不在任务表中，此行已忽略",
        f"{folder / '王芳@PC-B.jsonl'}:2: 撤销的记录 zzzz 不存在",
        "发现 2 处问题。",
    ]


def test_info_lists_the_directory_and_its_files(gwgk: Runner, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_pc(monkeypatch, "李明", "PC-A")
    (folder / "王芳@PC-B.jsonl").write_text(line("b1", "2021-11-22T09:00:00+08:00"), encoding="utf-8")
    (folder / "王芳@PC-B (1).jsonl").write_text(line("b1", "2021-11-22T09:00:00+08:00"), encoding="utf-8")
    lines = gwgk("info").stdout.splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("进展记录"))
    assert lines[at:at + 4] == [
        f"进展记录      {folder}{os.sep}（目录，2 个文件，每台电脑只写自己的文件）",
        "              王芳@PC-B.jsonl（1 行）",
        "              王芳@PC-B (1).jsonl（1 行，同步软件的冲突副本）",
        "本机写入      李明@PC-A.jsonl（尚未写入）",
    ]


def test_a_change_is_recorded_after_what_it_builds_on_whatever_the_clocks(
        gwgk: Runner, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PC-A's clock runs ahead: PC-B's 已完成, decided on PC-A's 推进中, still comes after it."""
    import datetime as dt

    ahead = "2031-01-01T09:00:00+08:00"
    (folder / "李明@PC-A.jsonl").write_text(
        line("ffff00000001", ahead, op="status", **{"from": "todo", "to": "doing"}), encoding="utf-8")
    as_pc(monkeypatch, "王芳", "PC-B")
    assert gwgk("done", "4").exit_code == 0
    assert gwgk("note", "5", "另一项任务").exit_code == 0  # after PC-A's latest too, though another task
    written = [json.loads(x) for x in (folder / "王芳@PC-B.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = dt.datetime.fromisoformat(ahead) + dt.timedelta(seconds=1)
    assert [dt.datetime.fromisoformat(w["at"]) for w in written] == [expected, expected + dt.timedelta(seconds=1)]
    assert json.loads(gwgk("show", "4", "--format", "json").stdout)["status"] == "done"
    # doctor names PC-A's file as the one whose clock is ahead, and PC-B's as only pushed after it.
    lines = gwgk("doctor").stdout.splitlines()[2:]
    assert [x.split(": ", 1)[0] for x in lines] == [f"{folder / '李明@PC-A.jsonl'}:1", f"{folder / '王芳@PC-B.jsonl'}:1",
                                                     "发现 2 处问题。"]
    assert "写入此文件的电脑时钟快了" in lines[0] and "不是本机时钟的问题" in lines[1]


def test_split_makes_the_folder_for_every_clerk(gwgk: Runner, journal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new journal directory is made with the usual permissions: never os.mkdir(..., 0o700) (what
    tempfile.mkdtemp does), which on Windows gives an access list of its creator alone that a rename keeps."""
    assert gwgk("note", "4", "已启动").exit_code == 0
    modes: list[int] = []
    real_mkdir = os.mkdir

    def mkdir(path: str, mode: int = 0o777, *args: object, **kwargs: object) -> None:
        modes.append(mode)
        real_mkdir(path, mode)

    monkeypatch.setattr(os, "mkdir", mkdir)
    assert gwgk("journal", "split").exit_code == 0
    assert modes and all(mode == 0o777 for mode in modes)
    folder = journal.with_name("tasks_2021.progress")
    umask = os.umask(0)
    os.umask(umask)
    if os.name != "nt":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~umask
    assert [p.name for p in folder.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("folder,client", [
    ("OneDrive - 淮南市人民政府办公室", "OneDrive"), ("Dropbox", "Dropbox"), ("我的坚果云", "坚果云"),
    ("Nutstore Files", "坚果云"), ("Sync", "同步盘"), ("BaiduSyncdisk", "百度网盘"),
    ("共享", None), ("OneDriveBackup2", None), ("syncing-tools", None),
])
def test_doctor_and_info_say_when_a_single_journal_file_sits_in_a_synced_folder(
        gwgk: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str, client: str | None) -> None:
    """Only a hint (exit 0): several PCs writing one file there make conflict copies; journal split is the
    cure, after which the hint is gone."""
    for var in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        monkeypatch.delenv(var, raising=False)
    place = tmp_path / folder / "政务公开"
    place.mkdir(parents=True)
    table = place / "tasks_2021.yaml"
    shutil.copyfile(Path(__file__).parents[1] / "data" / "tasks_2021.yaml", table)
    hint = (f"提示：进展记录 {place / 'tasks_2021.progress.jsonl'} 位于 {client} 同步文件夹中：几台电脑同时写同一个"
            "文件会产生冲突副本；如有多台电脑登记，请运行 gwgk journal split，改为每台电脑各写一个文件（读取时自动合并）")
    doctor = gwgk("--file", str(table), "doctor")
    info = gwgk("--file", str(table), "info")
    assert doctor.exit_code == 0 and info.exit_code == 0, doctor.output
    assert (hint in doctor.stdout.splitlines()) is (client is not None)
    assert (hint.removeprefix("提示：") in info.stdout) is (client is not None)
    if client is not None:
        assert gwgk("--file", str(table), "note", "4", "x").exit_code == 0
        assert gwgk("--file", str(table), "journal", "split").exit_code == 0
        assert "同步文件夹" not in gwgk("--file", str(table), "doctor").stdout


def test_a_journal_under_the_onedrive_variable_is_in_a_synced_folder(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from gwgk_cli.journal_dir import synced_folder

    monkeypatch.setenv("OneDriveCommercial", str(tmp_path / "工作"))
    assert synced_folder(tmp_path / "工作" / "督办" / "tasks.progress.jsonl") == "OneDrive"
    assert synced_folder(tmp_path / "工作2" / "tasks.progress.jsonl") is None


def test_a_cache_directory_that_cannot_hold_the_lock_is_named(gwgk: Runner, folder: Path, journal: Path,
                                                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A journal directory's lock lives in the local cache directory: when that cannot be made, the error
    names it (not the journal on the share), and nothing is written."""
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(blocked))
    before = sorted(p.name for p in folder.iterdir())
    result = gwgk("note", "4", "x")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{blocked}: 无法在缓存目录中建立写入锁：")
    assert result.stderr.endswith("；未写入（可用环境变量 GWGK_CACHE_DIR 改用其他目录）\n")
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_member_file_saved_again_in_another_encoding_is_refused_naming_it(gwgk: Runner, folder: Path,
                                                                            monkeypatch: pytest.MonkeyPatch,
                                                                            encoding: str) -> None:
    """Found by a hostile test: a member file re-saved as “ANSI” by Notepad lost its Chinese lines to warnings; by a
    Windows review: one re-saved as “Unicode” (UTF-16) dropped out of every view unsaid."""
    from test_journal import GBK_JOURNAL, UTF16_JOURNAL

    message = GBK_JOURNAL if encoding == "gbk" else UTF16_JOURNAL
    other = folder / "王芳@PC-B.jsonl"
    other.write_bytes((line("b1", "2021-11-22T09:00:00+08:00", by="wang") + line("b2", "2021-11-22T09:01:00+08:00",
                                                                                 task=5)).encode(encoding))
    mine = folder / "李明@PC-A.jsonl"
    mine.write_text(line("a1", "2021-11-22T08:00:00+08:00", task=6), encoding="utf-8")
    as_pc(monkeypatch, "李明", "PC-A")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for args in (("list",), ("log",), ("note", "7", "x"), ("start", "5")):
        result = gwgk(*args)
        assert (result.exit_code, result.stderr) == (2, f"错误：{other}:1: {message}\n"), args
    doctor = gwgk("doctor")
    assert doctor.exit_code == 1
    assert doctor.stdout.splitlines()[2:] == [f"{other}:1: {message}", "发现 1 处问题。"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_file_written_after_another_pc_split_is_split_in_too(gwgk: Runner, journal: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """PC-A splits; PC-B, not yet synced, records in the single file, which the sync brings back beside the
    directory. Every command then refuses (file and directory both there) and says to split: that split
    adds the file under a free name (before: refused, 目录中已有同名文件 — a dead end); nothing lost, the
    entries both files hold counted once."""
    monkeypatch.setenv("GWGK_USER", "李明")
    assert gwgk("--today", "2021-11-22", "start", "4").exit_code == 0
    stale = journal.read_bytes()
    assert gwgk("journal", "split").exit_code == 0
    journal.write_bytes(stale)  # PC-B's copy of the single file, synced back
    monkeypatch.setenv("GWGK_USER", "王芳")
    with journal.open("a", encoding="utf-8") as fh:
        fh.write('{"id":"b00000000001","at":"2021-11-23T09:00:00+08:00","date":"2021-11-23","by":"王芳",'
                 '"task":4,"op":"note","note":"PC-B 的进展"}\n')
    refused = gwgk("--today", "2021-11-23", "list")
    assert refused.exit_code == 2 and "gwgk journal split" in refused.stderr
    result = gwgk("journal", "split")
    assert result.exit_code == 0, result.output
    folder = journal.with_name("tasks_2021.progress")
    assert sorted(p.name for p in folder.iterdir()) == ["tasks_2021.progress-2.jsonl", "tasks_2021.progress.jsonl"]
    shown = gwgk("--today", "2021-11-23", "log", "4").stdout
    assert shown.count("未开始 → 推进中") == 1 and "PC-B 的进展" in shown


# --------------------------------------------------------------------------- lines gone missing (journal_lost)


def _replace(path: Path, data: bytes) -> None:
    """As a sync client saves a file: a new file renamed over the old one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _problems(gwgk: Runner) -> list[str]:
    result = gwgk("doctor")
    return result.stdout.splitlines()[2:]


def test_a_file_put_back_older_loses_nothing(gwgk: Runner, folder: Path, monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    """A sync client puts back an older copy of PC-B's file: the lines it lost are named by doctor on the PC
    that wrote them and on a PC that had read them (each keeps them in its cache), with what to do; `journal
    recover` lists them, writes nothing without --yes, then writes them back as a file of the directory: every
    view is as before on both PCs and doctor is content."""
    b = folder / "王芳@PC-B.jsonl"
    as_pc(monkeypatch, "王芳", "PC-B")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "cache-B"))
    assert gwgk("note", "5", "王芳的第一条").exit_code == 0
    older = b.read_bytes()
    assert gwgk("done", "5").exit_code == 0
    assert gwgk("note", "6", "王芳的第三条").exit_code == 0
    lost = [e.id for e in read_entries(b)[0]][1:]
    as_pc(monkeypatch, "李明", "PC-A")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "cache-A"))
    before = gwgk("list", "--format", "json").stdout
    assert json.loads(before)[4]["status"] == "done"
    _replace(b, older)
    assert json.loads(gwgk("list", "--format", "json").stdout)[4]["status"] == "doing"  # the files' truth
    tail = ("已不在进展记录中（该文件被同步软件换成了旧副本、一度消失或被手工改过？），缺少的原行已保存为 {}；"
            "核对后运行 gwgk journal recover 即可恢复（先列出，确认后写回）；如是有意删除，可不理会"
            "（删去 {} 中的保存文件后不再提示）")
    problems = _problems(gwgk)
    saved_a = next((tmp_path / "cache-A" / "recovered").glob("*/待恢复-王芳@PC-B-*.jsonl"))
    assert problems == [f"{b}: 本机读到的 2 条记录（{'、'.join(lost)}）" + tail.format(saved_a, saved_a.parent),
                        "发现 1 处问题。"]
    as_pc(monkeypatch, "王芳", "PC-B")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "cache-B"))
    problems = _problems(gwgk)
    saved_b = next((tmp_path / "cache-B" / "recovered").glob("*/待恢复-王芳@PC-B-*.jsonl"))
    assert problems == [f"{b}: 本机登记的 2 条记录（{'、'.join(lost)}）" + tail.format(saved_b, saved_b.parent),
                        "发现 1 处问题。"]
    preview = gwgk("journal", "recover")  # piped: the entries, and nothing written
    assert preview.exit_code == 0, preview.output
    assert preview.stdout.splitlines()[0] == "原在 王芳@PC-B.jsonl 中的 2 条记录："
    assert preview.stdout.count("王芳的第三条") == 1 and preview.stdout.count("推进中 → 已完成") == 1
    assert preview.stdout.splitlines()[-1] == "预览：将写回 2 条记录，现未写入任何内容（确认无误后加 --yes 写回）。"
    assert sorted(p.name for p in folder.iterdir()) == ["王芳@PC-B.jsonl"]
    done = gwgk("journal", "recover", "--yes")
    restored = next(folder.glob("恢复-王芳@PC-B-*.jsonl"))
    assert done.stdout.splitlines()[-1] == f"已写回 2 条记录：{restored}"
    assert restored.read_bytes() == saved_b.read_bytes()  # the lines exactly as they were
    if os.name != "nt":  # found by a hostile tester: 0600, the other clerks' gwgk could not read the directory
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE(restored.stat().st_mode) == 0o666 & ~umask
    assert gwgk("journal", "recover").stdout == "没有需要找回的记录：本机保存的记录都在进展记录中。\n"
    assert gwgk("list", "--format", "json").stdout == before
    assert gwgk("doctor").exit_code == 0
    as_pc(monkeypatch, "李明", "PC-A")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "cache-A"))
    assert gwgk("list", "--format", "json").stdout == before
    assert gwgk("doctor").exit_code == 0


def test_a_file_that_vanishes_for_a_while(gwgk: Runner, folder: Path, tmp_path: Path) -> None:
    """While a file is away its lines are missing from every view, and doctor says where they are kept; back,
    every view is as before and doctor says nothing of it."""
    b = folder / "王芳@PC-B.jsonl"
    b.write_text(line("b1", "2021-11-22T09:00:00+08:00", by="王芳", task=5, op="status", **{"from": "todo", "to": "done"}),
                 encoding="utf-8")
    assert json.loads(gwgk("list", "--format", "json").stdout)[4]["status"] == "done"
    b.rename(tmp_path / "away.jsonl")
    assert json.loads(gwgk("list", "--format", "json").stdout)[4]["status"] == "todo"
    problems = _problems(gwgk)
    assert len(problems) == 2 and problems[0].startswith(f"{b}: 本机读到的 1 条记录（b1）已不在进展记录中")
    (tmp_path / "away.jsonl").rename(b)
    assert json.loads(gwgk("list", "--format", "json").stdout)[4]["status"] == "done"
    assert gwgk("doctor").exit_code == 0


def test_a_single_journal_put_back_older_is_named(gwgk: Runner, journal: Path) -> None:
    """The same for a single journal file: doctor names the lost line (kept by the PC that wrote it, and by
    its index, which had read it) and says to recover it; `journal recover --yes` appends it as it was, and
    then nothing is named."""
    assert gwgk("note", "4", "第一条").exit_code == 0
    older = journal.read_bytes()
    assert gwgk("note", "4", "第二条").exit_code == 0
    assert gwgk("list").exit_code == 0  # read: the index holds it too
    second, text = read_entries(journal)[0][-1].id, journal.read_bytes()[len(older):]
    _replace(journal, older)
    problems = _problems(gwgk)
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"{journal}: 本机登记或读到的 1 条记录（{second}）已不在进展记录中")
    assert "核对后运行 gwgk journal recover 即可恢复" in problems[0]
    assert gwgk("journal", "recover", "--yes").stdout.splitlines()[-1] == f"已写回 1 条记录：{journal}"
    assert journal.read_bytes() == older + text  # appended exactly as it was
    assert gwgk("doctor").exit_code == 0
    assert gwgk("journal", "recover", "--yes").stdout == "没有需要找回的记录：本机保存的记录都在进展记录中。\n"


def test_two_pcs_with_the_same_user_and_computer_name(gwgk: Runner, folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    """Two PCs both 李明 on PC-A (one cache each) write one file: doctor on either names the other's lines in
    its own file and says to give one PC another name; once it has one, each writes its own file."""
    as_pc(monkeypatch, "李明", "PC-A")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "first"))
    assert gwgk("note", "4", "第一台").exit_code == 0
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "second"))
    assert gwgk("note", "5", "第二台").exit_code == 0
    assert gwgk("doctor").exit_code == 0  # the second PC began its copy after the first's line: not named
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "first"))
    second = read_entries(folder / "李明@PC-A.jsonl")[0][-1].id
    assert _problems(gwgk) == [
        f"{folder / '李明@PC-A.jsonl'}: 其中 1 条记录（{second}）不是本机写入的：另有一台电脑也以“李明”的名义、用同一计算机名"
        "“PC-A”登记，两台电脑写同一个文件，同步软件会让它们互相覆盖（记录丢失）或产生冲突副本；"
        "请在其中一台电脑上把环境变量 GWGK_HOST 设为另一个名字（如 PC-A-2），它此后写入自己的文件",
        "发现 1 处问题。"]
    monkeypatch.setenv("GWGK_HOST", "PC-A-2")
    assert gwgk("doctor").exit_code == 0


def test_recover_leaves_an_entry_edited_by_hand_and_names_it(gwgk: Runner, journal: Path) -> None:
    """A line edited by hand keeps its id with other content: doctor names the original as missing, but
    writing it back would give one id two contents, so `journal recover` names it and writes nothing."""
    assert gwgk("note", "4", "第一条").exit_code == 0
    assert gwgk("note", "4", "第二条").exit_code == 0
    assert gwgk("list").exit_code == 0
    edited = journal.read_bytes().replace("第二条".encode(), "第二条（改）".encode())
    _replace(journal, edited)
    second = read_entries(journal)[0][-1].id
    problems = _problems(gwgk)  # found in review: doctor sent the clerk to recover, which had nothing to do
    assert problems[0].startswith(f"{journal}: 记录 {second} 在进展记录中的内容与本机保存的不同（被手工改过？），"
                                  "请用 gwgk log 核对；如改动无误，可不理会（删去 ")
    assert len(problems) == 2 and "journal recover" not in problems[0]
    result = gwgk("journal", "recover", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout == "没有可以写回的记录。\n"
    assert result.stderr == (f"记录 {second} 的编号仍在进展记录中、内容已不同（被手工改过？），不写回；"
                             "请用 gwgk log 核对\n")
    assert journal.read_bytes() == edited


def test_lines_lost_before_a_split_are_still_found_and_recovered_in_their_place(gwgk: Runner, journal: Path) -> None:
    """Found in review: lines kept for a single journal file were looked for under the directory's name after
    `journal split` (and the reverse after `join`): doctor and recover said nothing, the entry was gone. And
    appended to a single file, an entry recorded before a later one of its task and day would be replayed
    after it (an older percent over the newer one): refused, pointing to split, where it takes its place."""
    older = line("a1", "2021-11-22T09:00:00+08:00", percent=50, note="五十")
    journal.write_text(older + line("a2", "2021-11-22T10:00:00+08:00", percent=80, note="八十"), encoding="utf-8")
    assert gwgk("list").exit_code == 0  # the index has read 八十
    _replace(journal, older.encode("utf-8"))
    with journal.open("a", encoding="utf-8") as fh:  # recorded afterwards, the same day
        fh.write(line("a3", "2021-11-22T11:00:00+08:00", percent=60, note="重新登记六十"))
    refused = gwgk("journal", "recover", "--yes")
    assert refused.exit_code != 0 and "请先运行 gwgk journal split" in refused.stderr, refused.output
    assert journal.read_bytes().count(b"\n") == 2  # nothing written
    assert gwgk("journal", "split").exit_code == 0
    problems = _problems(gwgk)
    assert len(problems) == 2 and "本机读到的 1 条记录（a2）已不在进展记录中" in problems[0], problems
    done = gwgk("journal", "recover", "--yes")
    assert done.exit_code == 0, done.output
    assert json.loads(gwgk("show", "4", "--format", "json").stdout)["percent"] == 60  # recorded last, in force
    assert gwgk("doctor").exit_code == 0


def test_two_pcs_recovering_the_same_lines_is_no_problem(gwgk: Runner, folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    """Found in review: two PCs writing the same lost entries back (each before the other's file synced)
    made doctor report the copies as a problem to delete by hand; they count once and are none."""
    b = folder / "王芳@PC-B.jsonl"
    as_pc(monkeypatch, "王芳", "PC-B")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "cache-B"))
    assert gwgk("note", "5", "第一条").exit_code == 0
    older = b.read_bytes()
    assert gwgk("note", "5", "第二条").exit_code == 0
    as_pc(monkeypatch, "李明", "PC-A")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "cache-A"))
    assert gwgk("list").exit_code == 0  # PC-A has read 第二条, not 第三条
    as_pc(monkeypatch, "王芳", "PC-B")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / "cache-B"))
    assert gwgk("note", "5", "第三条").exit_code == 0
    _replace(b, older)
    for user, host, cache in (("李明", "PC-A", "cache-A"), ("王芳", "PC-B", "cache-B")):
        as_pc(monkeypatch, user, host)
        monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / cache))
        assert gwgk("list").exit_code == 0
    restored = []
    for user, host, cache in (("李明", "PC-A", "cache-A"), ("王芳", "PC-B", "cache-B")):
        as_pc(monkeypatch, user, host)
        monkeypatch.setenv("GWGK_CACHE_DIR", str(tmp_path / cache))
        (folder / "saved").mkdir(exist_ok=True)
        for made in restored:  # not synced yet: the other PC's file is not there
            made.rename(folder / "saved" / made.name)
        assert gwgk("journal", "recover", "--yes").exit_code == 0
        restored = list(folder.glob("恢复-*.jsonl"))
        assert len(restored) == 1
    for moved in (folder / "saved").iterdir():  # both synced
        moved.rename(folder / moved.name)
    (folder / "saved").rmdir()
    assert len(list(folder.glob("恢复-*.jsonl"))) == 2
    result = gwgk("doctor")
    assert result.exit_code == 0, result.output
    assert [r["note"] for r in json.loads(gwgk("log", "5", "--format", "json").stdout)] == ["第三条", "第二条", "第一条"]


def test_recover_with_a_cache_that_is_no_folder_says_so(gwgk: Runner, journal: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a hostile tester: GWGK_CACHE_DIR=/dev/null made recover say nothing was missing."""
    assert gwgk("note", "4", "第一条").exit_code == 0
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("x", encoding="utf-8")
    monkeypatch.setenv("GWGK_CACHE_DIR", str(not_a_folder))
    result = gwgk("journal", "recover")
    assert result.exit_code != 0
    assert result.stderr == (f"错误：{not_a_folder}: 缓存目录不是文件夹，本机保存的记录无从查找（可用环境变量 GWGK_CACHE_DIR "
                             "改用其他目录）\n")
