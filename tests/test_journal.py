"""The progress journal (JSON Lines beside the table): damage is reported and survived, appends never
mix with a damaged line, concurrent writers lose nothing, and git merges two people's journals.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gwgk_cli.journal import parse_line

ROOT = Path(__file__).resolve().parent.parent


def run_ok(gwgk, *args: str):
    result = gwgk(*args)
    assert result.exit_code == 0, result.output
    return result


def statuses(gwgk) -> dict[int, str]:
    return {r["id"]: r["status"] for r in json.loads(run_ok(gwgk, "list", "--format", "json").stdout)}


def line_for(task: int, to: str, *, entry_id: str, frm: str = "todo") -> str:
    return json.dumps({"id": entry_id, "at": "2021-11-20T09:00:00+08:00", "date": "2021-11-20", "by": "李明",
                       "task": task, "op": "status", "from": frm, "to": to}, ensure_ascii=False, separators=(",", ":"))


GOOD_4 = line_for(4, "doing", entry_id="a00000000004")
GOOD_6 = line_for(6, "done", entry_id="a00000000006")
GOOD_14 = line_for(14, "blocked", entry_id="a00000000014")
assert '"op":"status"' in GOOD_6 and '"to":"done"' in GOOD_6

# (journal text, {line number: what the warning says}, statuses the good lines give)
DAMAGE = {
    "truncated last line": (
        f"{GOOD_4}\n{GOOD_6}\n{GOOD_14[:40]}",
        {3: "最后一行不完整"},
        {4: "doing", 6: "done", 14: "todo"},
    ),
    "garbage middle line": (
        f"{GOOD_4}\n<<<<<<< HEAD\n{GOOD_6}\n{GOOD_14}\n",
        {2: "此行无效"},
        {4: "doing", 6: "done", 14: "blocked"},
    ),
    "line naming task 99": (
        f"{GOOD_4}\n{line_for(99, 'done', entry_id='a00000000099')}\n{GOOD_6}\n",
        {2: "任务 99"},
        {4: "doing", 6: "done", 14: "todo"},
    ),
    "unknown op": (
        f"{GOOD_4}\n" + GOOD_6.replace('"op":"status"', '"op":"delete"') + f"\n{GOOD_14}\n",
        {2: "delete"},
        {4: "doing", 6: "todo", 14: "blocked"},
    ),
    "bad status word": (
        f"{GOOD_4}\n" + GOOD_6.replace('"to":"done"', '"to":"finished"') + f"\n{GOOD_14}\n",
        {2: "此行无效"},
        {4: "doing", 6: "todo", 14: "blocked"},
    ),
    "percent out of range": (
        f"{GOOD_4}\n" + GOOD_6[:-1] + ',"percent":150}' + f"\n{GOOD_14}\n",
        {2: "percent"},
        {4: "doing", 6: "todo", 14: "blocked"},
    ),
    "all three": (
        f"{GOOD_4}\nnot json at all\n{line_for(99, 'done', entry_id='a00000000099')}\n{GOOD_6}\n{GOOD_14[:25]}",
        {2: "此行无效", 3: "任务 99", 5: "最后一行不完整"},
        {4: "doing", 6: "done", 14: "todo"},
    ),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_journal_still_works_and_warns(table: Path, journal: Path, gwgk, kind: str) -> None:
    text, warned, expected = DAMAGE[kind]
    journal.write_text(text, encoding="utf-8")
    result = run_ok(gwgk, "list", "--format", "json")
    got = {r["id"]: r["status"] for r in json.loads(result.stdout)}
    assert {i: got[i] for i in expected} == expected
    warnings = [line for line in result.stderr.splitlines() if line.startswith("警告：")]
    assert len(warnings) == len(warned), result.stderr
    for lineno, words in warned.items():
        assert any(w.startswith(f"警告：{journal}:{lineno}: ") and words in w for w in warnings), (lineno, warnings)
    # Every reading command works and warns the same way; the journal is not touched by reading.
    for command in (["show", "4"], ["log"], ["units"], ["list", "--unit", "行财科"]):
        other = run_ok(gwgk, *command)
        assert f"警告：{journal}:{min(warned)}: " in other.stderr, command
    assert journal.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_doctor_reports_journal_damage(table: Path, journal: Path, gwgk, kind: str) -> None:
    text, warned, _ = DAMAGE[kind]
    journal.write_text(text, encoding="utf-8")
    result = gwgk("doctor")
    assert result.exit_code == 1, result.output
    for lineno, words in warned.items():
        assert any(line.startswith(f"{journal}:{lineno}: ") and words in line for line in result.stdout.splitlines()), (
            lineno, result.stdout)
    assert f"发现 {len(warned)} 处问题" in result.stdout


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_writes_work_on_a_damaged_journal(table: Path, journal: Path, gwgk, kind: str) -> None:
    text, _, expected = DAMAGE[kind]
    journal.write_text(text, encoding="utf-8")
    run_ok(gwgk, "done", "20", "--note", "已建库")
    run_ok(gwgk, "note", "21", "热线已优化", "--percent", "90")
    got = statuses(gwgk)
    assert {i: got[i] for i in expected} == expected
    assert (got[20], got[21]) == ("done", "doing")
    assert journal.read_text(encoding="utf-8").startswith(text)  # the damaged part is left as it was
    run_ok(gwgk, "undo")
    run_ok(gwgk, "undo")
    got = statuses(gwgk)
    assert {i: got[i] for i in expected} == expected
    assert (got[20], got[21]) == ("todo", "todo")


@pytest.mark.parametrize(
    "partial",
    [
        GOOD_14[:40],  # cut after a comma
        GOOD_14.encode("utf-8")[: GOOD_14.encode("utf-8").index("李".encode()) + 1].decode("utf-8", "ignore"),
        "{",
    ],
)
def test_write_after_truncated_last_line_starts_a_new_line(table: Path, journal: Path, gwgk, partial: str) -> None:
    journal.write_text(f"{GOOD_4}\n{partial}", encoding="utf-8")
    before = journal.read_bytes()
    run_ok(gwgk, "done", "6", "--note", "已公开")
    after = journal.read_bytes()
    assert after.startswith(before + b"\n")  # the partial line is kept exactly as it was
    new_lines = after[len(before) + 1:].decode("utf-8").splitlines()
    assert len(new_lines) == 1
    entry = parse_line(new_lines[0])
    assert (entry.task, entry.to_status.value, entry.note) == (6, "done", "已公开")
    assert after.decode("utf-8").splitlines() == [GOOD_4, partial, new_lines[0]]
    got = statuses(gwgk)
    assert (got[4], got[6]) == ("doing", "done")


def test_write_after_a_cut_multibyte_character(table: Path, journal: Path, gwgk) -> None:
    raw = GOOD_14.encode("utf-8")
    cut = raw[: raw.index("李".encode()) + 1]  # half a character: not even UTF-8
    journal.write_bytes(GOOD_4.encode() + b"\n" + cut)
    result = run_ok(gwgk, "start", "6")
    assert f"警告：{journal}:2: " in result.stderr
    assert journal.read_bytes().startswith(GOOD_4.encode() + b"\n" + cut + b"\n")
    got = statuses(gwgk)
    assert (got[4], got[6], got[14]) == ("doing", "doing", "todo")


def test_journal_edited_on_windows_crlf(table: Path, journal: Path, gwgk) -> None:
    journal.write_bytes(f"{GOOD_4}\r\n{GOOD_6}\r\n".encode())
    result = run_ok(gwgk, "list", "--format", "json")
    assert "警告" not in result.stderr
    got = statuses(gwgk)
    assert (got[4], got[6]) == ("doing", "done")
    run_ok(gwgk, "start", "14")
    assert statuses(gwgk)[14] == "doing"
    assert run_ok(gwgk, "doctor").exit_code == 0


def test_journal_saved_with_a_bom(table: Path, journal: Path, gwgk) -> None:
    """Windows Notepad saves UTF-8 with a byte order mark: the first line is still a good line."""
    journal.write_bytes(b"\xef\xbb\xbf" + f"{GOOD_4}\n{GOOD_6}\n".encode())
    result = run_ok(gwgk, "list", "--format", "json")
    assert "警告" not in result.stderr, result.stderr
    got = statuses(gwgk)
    assert (got[4], got[6]) == ("doing", "done")
    assert gwgk("doctor").exit_code == 0


def test_blank_lines_are_ignored(table: Path, journal: Path, gwgk) -> None:
    journal.write_text(f"\n{GOOD_4}\n\n   \n{GOOD_6}\n\n", encoding="utf-8")
    result = run_ok(gwgk, "list", "--format", "json")
    assert "警告" not in result.stderr
    assert gwgk("doctor").exit_code == 0


def test_journal_is_one_json_object_per_line(table: Path, journal: Path, gwgk) -> None:
    run_ok(gwgk, "start", "4", "--note", "含有\"引号\"和\t制表符")
    run_ok(gwgk, "note", "4", "第一行\n第二行", "--percent", "20")
    run_ok(gwgk, "undo")
    raw = journal.read_text(encoding="utf-8")
    assert raw.endswith("\n")
    entries = [parse_line(line) for line in raw.splitlines()]
    assert [e.op for e in entries] == ["status", "note", "undo"]
    assert entries[0].note == "含有\"引号\"和\t制表符"
    assert entries[1].note == "第一行\n第二行"


# --------------------------------------------------------------------------- concurrent writers


def test_twenty_processes_adding_notes_at_once(table: Path, journal: Path) -> None:
    env = dict(os.environ)
    env.pop("GWGK_NO_CACHE", None)
    procs = []
    for i in range(20):
        task_id = i % 28 + 1
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gwgk_cli", "note", str(task_id), f"并发进展 {i:02d}", "--by", f"进程{i:02d}"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        ))
    outputs = [(p, *p.communicate(timeout=120)) for p in procs]
    for proc, _out, err in outputs:
        assert proc.returncode == 0, err.decode("utf-8", "replace")
    raw = journal.read_bytes()
    assert raw.endswith(b"\n")
    lines = raw.decode("utf-8").split("\n")[:-1]
    assert len(lines) == 20
    entries = [parse_line(line) for line in lines]  # every line intact and valid
    assert sorted((e.task, e.note, e.by) for e in entries) == sorted(
        (i % 28 + 1, f"并发进展 {i:02d}", f"进程{i:02d}") for i in range(20))
    assert len({e.id for e in entries}) == 20
    check = subprocess.run([sys.executable, "-m", "gwgk_cli", "doctor"], env=env, capture_output=True)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()


# --------------------------------------------------------------------------- git merge


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, encoding="utf-8")
    if check:
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


@pytest.fixture
def two_branches(tmp_path: Path, gwgk, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Path:
    """A repo whose two branches each marked different tasks, starting from a shared journal line."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "测试员")
    git(repo, "config", "user.email", "tester@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    if request.param:
        shutil.copyfile(ROOT / ".gitattributes", repo / ".gitattributes")
    shutil.copyfile(ROOT / "data" / "tasks_2021.yaml", repo / "data" / "tasks_2021.yaml")
    monkeypatch.setenv("GWGK_FILE", str(repo / "data" / "tasks_2021.yaml"))
    monkeypatch.setenv("GWGK_TODAY", "2021-11-22")
    run_ok(gwgk, "start", "1", "--by", "张三", "--date", "2021-11-01")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()

    git(repo, "checkout", "-q", "-b", "alice")
    run_ok(gwgk, "start", "4", "--by", "甲")
    run_ok(gwgk, "note", "4", "预算表已整理", "--percent", "60", "--by", "甲")
    git(repo, "commit", "-q", "-am", "alice")

    git(repo, "checkout", "-q", base)
    git(repo, "checkout", "-q", "-b", "bob")
    run_ok(gwgk, "done", "6", "--by", "乙")
    run_ok(gwgk, "block", "14", "--note", "等待法规库", "--by", "乙")
    git(repo, "commit", "-q", "-am", "bob")

    git(repo, "checkout", "-q", "alice")
    return repo


@pytest.mark.parametrize("two_branches", [True], indirect=True)
def test_git_merge_of_two_journals(two_branches: Path, gwgk) -> None:
    repo = two_branches
    journal = repo / "data" / "tasks_2021.progress.jsonl"
    assert statuses(gwgk)[4] == "doing"  # also primes the cache with alice's journal
    merge = git(repo, "merge", "--no-edit", "bob", check=False)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert "CONFLICT" not in merge.stdout
    text = journal.read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    entries = [parse_line(line) for line in text.splitlines()]
    assert sorted((e.task, e.by) for e in entries) == [(1, "张三"), (4, "甲"), (4, "甲"), (6, "乙"), (14, "乙")]
    got = statuses(gwgk)
    assert (got[1], got[4], got[6], got[14]) == ("doing", "doing", "done", "blocked")
    four = json.loads(run_ok(gwgk, "show", "4", "--format", "json").stdout)
    assert (four["percent"], four["last_note"]) == (60, "预算表已整理")
    assert len(json.loads(run_ok(gwgk, "log", "--format", "json").stdout)) == 5
    assert gwgk("doctor").exit_code == 0


@pytest.mark.parametrize("two_branches", [False], indirect=True)
def test_without_the_gitattributes_the_same_merge_conflicts(two_branches: Path) -> None:
    """The control: it is `merge=union` that makes the merge above clean."""
    merge = git(two_branches, "merge", "--no-edit", "bob", check=False)
    assert merge.returncode != 0
    assert "CONFLICT" in merge.stdout


def test_repo_gitattributes_sets_union_merge() -> None:
    lines = (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "*.progress.jsonl merge=union" in [line.strip() for line in lines]


# --------------------------------------------------------------------------- a journal that cannot be read or written


@pytest.mark.parametrize("cache", ["on", "off"])
def test_unreadable_journal_is_reported_not_taken_as_empty(table: Path, journal: Path, gwgk,
                                                           monkeypatch: pytest.MonkeyPatch, cache: str) -> None:
    # A directory where the journal should be stands in for a file this user may not read (the tests may
    # run as root, for whom permissions do not stop a read).
    if cache == "off":
        monkeypatch.setenv("GWGK_NO_CACHE", "1")
    journal.mkdir()
    for _ in range(2):  # the second run could come from the cache
        result = gwgk("list", "--unit", "行财科", "--format", "tsv")
        assert result.exit_code == 2, result.output
        assert result.stderr == f"错误：{journal}: 进展记录不是普通文件（设备、管道或目录），不能读取\n"
    write = gwgk("start", "4")
    assert write.exit_code == 2, write.output
    assert write.stderr.splitlines()[-1].startswith(f"错误：{journal}: "), write.stderr
    assert "Traceback" not in write.output
    doctor = gwgk("doctor")
    assert doctor.exit_code == 1
    assert f"{journal}:" in doctor.stdout


# --------------------------------------------------------------------------- what a write accepts as a journal

_VALID = b'{"id":"0a1b2c3d4e5f","at":"2021-11-22T09:00:00+08:00","date":"2021-11-22","by":"b","task":4,"op":"note","note":"x"}'


def _looks_like_journal_reference(data: bytes) -> bool:
    """The rule as first written (strip the whole body, split every line): the reference for the faster one."""
    from gwgk_cli.journal import parse_line

    body = data.removeprefix(b"\xef\xbb\xbf").strip()
    if not body:
        return True
    for raw in body.removeprefix(b"\xef\xbb\xbf").split(b"\n"):  # _first_valid_line took a BOM off again
        if raw.strip():
            try:
                parse_line(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                continue
            return True
    return body.startswith(b'{"') and b"\n" not in body


@pytest.mark.parametrize(("data", "expected"), [
    (b"", True),
    (b" \n\t\r\n", True),
    (_VALID + b"\n", True),
    (b"\xef\xbb\xbf" + _VALID + b"\n", True),
    (b"garbage\n" + _VALID + b"\n", True),  # a damaged first line, a valid second one
    (b'{"id":"0a1b2c3d', True),  # one line cut short while being written
    (b'  {"id":"0a1b2c3d \n\n', True),  # the same, with white space around it
    (b'{"id":"0a\n{"id":"0b', False),  # two broken lines: not a journal
    (b"name,unit\n1,2\n", False),  # a CSV named as the journal
    (b"\xff\xfe\x00", False),
])
def test_what_a_write_takes_for_a_journal(data: bytes, expected: bool) -> None:
    from gwgk_cli.journal import _looks_like_journal

    assert _looks_like_journal(data, []) is expected
    assert _looks_like_journal_reference(data) is expected


@settings(max_examples=300, deadline=None)
@example([b"\xef\xbb\xbf", b"\xef\xbb\xbf", _VALID])  # found by CI: a second BOM before a valid line
@example([b" ", b"\xef\xbb\xbf", _VALID])  # white space, then a BOM, before a valid line
@given(st.lists(st.sampled_from([_VALID, b"", b" ", b"\t", b"\r", b"junk", b'{"id":"0a', b"\xef\xbb\xbf", b"\xff",
                                 b"\n", b"\n\n", b'{"', b"\x0b", b"\x0c"]), max_size=8))
def test_what_a_write_takes_for_a_journal_agrees_with_the_reference(parts: list[bytes]) -> None:
    from gwgk_cli.journal import _looks_like_journal

    data = b"".join(parts)
    assert _looks_like_journal(data, []) is _looks_like_journal_reference(data)


def test_an_append_waits_for_a_journal_held_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows: a sync client or antivirus holding the journal for a moment (a sharing violation on open)
    is waited out; the line is written once."""
    from gwgk_cli import journal as journal_module
    from gwgk_cli import safe_write

    path = tmp_path / "t.progress.jsonl"
    real_open = os.open
    refused: list[str] = []

    def busy_once(file: Any, flags: int, mode: int = 0o777, *args: Any, **kwargs: Any) -> int:
        if str(file) == str(path) and not refused:
            refused.append(str(file))
            raise PermissionError(13, "The process cannot access the file because it is being used")
        return real_open(file, flags, mode, *args, **kwargs)

    monkeypatch.setattr(safe_write, "REPLACE_TRIES", 5)
    monkeypatch.setattr(safe_write, "REPLACE_WAIT", 0)
    monkeypatch.setattr(os, "open", busy_once)
    entry = parse_line('{"id": "a1", "at": "2021-11-22T09:00:00+08:00", "date": "2021-11-22", "by": "李明", '
                       '"task": 4, "op": "note", "note": "进展"}')
    journal_module._append(path, [entry], b"")
    assert refused and path.read_bytes() == (entry.to_json() + "\n").encode("utf-8")


GBK_JOURNAL = ("进展记录不是 UTF-8 编码，看起来被另存为 GBK/GB18030（“ANSI”，例如用记事本编辑后保存）；为免丢失记录，未读取也未写入，"
               "文件未改动。请用记事本打开它，“文件—另存为”，编码选“UTF-8”后保存，再运行 gwgk doctor 检查")


def ascii_line(task: int, entry_id: str) -> str:
    """A line with no Chinese in it: the same bytes in UTF-8 and GBK."""
    return line_for(task, "doing", entry_id=entry_id).replace("李明", "li")


@pytest.mark.parametrize("write", ["start 6", "note 6 x", "note 6 x --percent 20", "undo"])
def test_a_journal_saved_again_as_gbk_is_refused_whole_and_left_as_it_is(table: Path, journal: Path, gwgk,
                                                                         write: str) -> None:
    """Found by a hostile test: Notepad's “ANSI” (GBK) lost every line with Chinese text to a warning, and a write
    (which reads only its task's lines) appended UTF-8 to the GBK file. Now every read and write names the first
    such line and what to do; nothing is skipped, nothing written."""
    journal.write_bytes(f"{ascii_line(20, 'a00000000020')}\n{GOOD_4}\n{GOOD_14}\n{ascii_line(21, 'a00000000021')}\n"
                        .encode("gbk"))
    before = journal.read_bytes()
    for args in (("list",), ("show", "4"), ("report", "--format", "text"), write.split()):
        result = gwgk(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"错误：{journal}:2: {GBK_JOURNAL}\n"), args
    doctor = gwgk("doctor")
    assert doctor.exit_code == 1
    assert doctor.stdout.splitlines()[2:] == [f"{journal}:2: {GBK_JOURNAL}", "发现 1 处问题。"]
    assert journal.read_bytes() == before
    journal.write_bytes(before.decode("gbk").encode("utf-8"))  # saved again as UTF-8: every line is back
    assert {i: s for i, s in statuses(gwgk).items() if i in (4, 14, 20, 21)} == {
        4: "doing", 14: "blocked", 20: "doing", 21: "doing"}
    assert run_ok(gwgk, "doctor").exit_code == 0


UTF16_JOURNAL = ("进展记录不是 UTF-8 编码，看起来被另存为 UTF-16（记事本的“Unicode”）；为免丢失记录，未读取也未写入，文件未改动。"
                 "请用记事本打开它，“文件—另存为”，编码选“UTF-8”后保存，再运行 gwgk doctor 检查")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("write", ["start 6", "note 6 x", "note 6 x --percent 20", "undo"])
def test_a_journal_saved_again_as_utf16_is_refused_whole_and_left_as_it_is(table: Path, journal: Path, gwgk,
                                                                           write: str, encoding: str) -> None:
    """Found by a Windows review: Notepad's “Unicode” (UTF-16) journal read as nothing recorded, every view went on
    (a 周报 of every task 未开始, exit 0), and writes were refused for another reason."""
    journal.write_bytes(f"{GOOD_4}\n{GOOD_14}\n".encode(encoding))
    before = journal.read_bytes()
    for args in (("list",), ("show", "4"), ("report", "--format", "text"), write.split()):
        result = gwgk(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"错误：{journal}:1: {UTF16_JOURNAL}\n"), args
    doctor = gwgk("doctor")
    assert doctor.exit_code == 1 and f"{journal}:1: {UTF16_JOURNAL}" in doctor.stdout.splitlines()
    assert journal.read_bytes() == before


def test_a_table_saved_as_utf16_says_so(table: Path, gwgk) -> None:
    table.write_bytes(table.read_text(encoding="utf-8").encode("utf-16"))
    assert gwgk("list").stderr == f"错误：{table}:1: 不是 UTF-8 编码的文本，是 UTF-16（记事本的“Unicode”）编码：请用记事本另存为 UTF-8 编码后再试\n"


@pytest.mark.parametrize("where", ["top", "end", "middle"])
def test_a_gbk_line_among_many_others_is_found_by_reads_and_writes(table: Path, journal: Path, gwgk,
                                                                   where: str) -> None:
    """A write reads only its task's lines (a plain note none): it checks the first and last 64 KiB of the file
    too, where a file saved again as GBK always shows it; a read finds it anywhere."""
    from gwgk_cli.journal import GBK_CHECK_BYTES

    filler = "".join(f"{ascii_line(20, f'b{i:011d}')}\n" for i in range(GBK_CHECK_BYTES // 100)).encode()
    gbk = f"{GOOD_4}\n".encode("gbk")
    data = {"top": gbk + filler + filler, "end": filler + filler + gbk, "middle": filler + gbk + filler}[where]
    journal.write_bytes(data)
    lineno = data[: data.index(gbk)].count(b"\n") + 1
    writes = [("note", "4", "x", "--percent", "20"), ("start", "4")]  # these read task 4's lines
    if where != "middle":
        writes += [("note", "6", "又一条"), ("start", "6")]
    for args in [("list",), *writes]:
        result = gwgk(*args)
        assert (result.exit_code, result.stderr) == (2, f"错误：{journal}:{lineno}: {GBK_JOURNAL}\n"), args
    assert journal.read_bytes() == data


@pytest.mark.parametrize("damage", [b"\xff\xfe", "已启动".encode()[:-1]])
def test_a_damaged_character_in_a_utf8_journal_is_still_one_skipped_line(table: Path, journal: Path, gwgk,
                                                                         damage: bytes) -> None:
    """Not GBK: one damaged line among good ones is reported and skipped as before, and writes go on."""
    bad = GOOD_6.encode().replace(b'"by":"', b'"by":"' + damage)
    journal.write_bytes(f"{GOOD_4}\n".encode() + bad + f"\n{GOOD_14}\n".encode())
    result = run_ok(gwgk, "start", "20")
    assert result.stderr == f"警告：{journal}:2: 不是 UTF-8 文本，已跳过此行\n已记入 {journal}（任务表 {table}）\n"
    got = statuses(gwgk)
    assert (got[4], got[6], got[14], got[20]) == ("doing", "todo", "blocked", "doing")


def test_a_date_that_does_not_exist_is_named_in_chinese(table: Path, journal: Path, gwgk) -> None:
    """Found by a hostile test: `9999-99-99` gave Python's English `month must be in 1..12`."""
    line = json.loads(line_for(4, "doing", entry_id="d1"))
    journal.write_text(json.dumps({**line, "date": "2021-02-30"}) + "\n", encoding="utf-8")
    result = gwgk("doctor")
    assert result.exit_code == 1
    assert f"{journal}:1: 此行无效：日期 2021-02-30 不存在（月应为 1–12，日不超过当月天数），已跳过" in result.stdout


def test_a_recording_time_that_is_not_a_time_is_kept_and_named(table: Path, journal: Path, gwgk) -> None:
    """Found by a hostile test: `"at": "not a time"` was taken without a word. The entry stays in force
    (nothing lost); doctor names it."""
    line = json.loads(line_for(4, "doing", entry_id="t1"))
    journal.write_text(json.dumps({**line, "at": "not a time"}) + "\n", encoding="utf-8")
    assert statuses(gwgk)[4] == "doing"
    result = gwgk("doctor")
    assert result.exit_code == 1
    assert (f"{journal}:1: 记录时间 at 不是有效的时间：'not a time'（应如 2021-11-22T09:30:00+08:00）；"
            "此行仍计入，多台电脑合并时排在最前，请改正") in result.stdout


def _sheet_note(id_: str, task: int, note: str, unit_field: str = "") -> str:
    data: dict[str, object] = {
        "id": id_, "at": "2021-11-19T10:00:00+08:00", "date": "2021-11-19", "by": "行财科", "task": task,
        "op": "note", "note": note,
        "source": "sheet=ab12cd34; period=2021-W46; sha256=00ff; unit=行财科; file=行财科填报表.xlsx"}
    if unit_field:
        data["unit"] = unit_field
    return json.dumps(data, ensure_ascii=False) + "\n"


def test_doctor_names_a_shared_task_note_imported_before_notes_carried_the_unit(table: Path, journal: Path,
                                                                                gwgk) -> None:
    """Task 5 is 各相关科室's. 行财科's 填报表 said nothing started, but the line (imported before such notes
    carried the unit) starts the task when read: doctor names it and says what to do. A unit that reported it
    started, a note that carries its unit, a task the unit is named on, an undone line: not named."""
    journal.write_text(
        _sheet_note("s00000000001", 5, "已组织学习（行财科：未开始）")
        + _sheet_note("s00000000002", 7, "正在梳理（行财科：推进中，30%）")
        + _sheet_note("s00000000003", 8, "待布置", unit_field="行财科")
        + _sheet_note("s00000000004", 9, "待布置")
        + _sheet_note("s00000000005", 4, "本室任务的说明")
        + _sheet_note("s00000000006", 11, "尚无进展（行财科：0%）")
        + json.dumps({"id": "u00000000001", "at": "2021-11-20T10:00:00+08:00", "date": "2021-11-20", "by": "李明",
                      "task": 11, "op": "undo", "undoes": "s00000000006"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    states = {t["id"]: t["status"] for t in json.loads(gwgk("list", "--collective", "--format", "json").stdout)}
    assert (states[5], states[7], states[8], states[9], states[11]) == ("doing", "doing", "todo", "doing", "todo")
    result = gwgk("doctor")
    assert result.exit_code == 1
    named = [line for line in result.stdout.splitlines() if "各相关科室" in line]
    tail = "（现在导入同样的行不会改变任务状态）。如任务确未开始：gwgk undo {0}（说明仍留在进展记录中，gwgk log 可见）；如任务确已开始，可不处理"
    assert named == [
        f"{journal}:1: 任务 5 由各相关科室共同承担，行财科 的填报表（行财科填报表.xlsx，2021-W46）报的是“未开始”，并未报告开始；"
        "这行说明（2021-11-19，行财科，记录 s00000000001）由旧版 gwgk 导入，未注明单位，因此把任务从“未开始”读作“推进中”"
        + tail.format("s00000000001"),
        f"{journal}:4: 任务 9 由各相关科室共同承担，行财科 的填报表（行财科填报表.xlsx，2021-W46）未填状态和完成进度，并未报告开始；"
        "这行说明（2021-11-19，行财科，记录 s00000000004）由旧版 gwgk 导入，未注明单位，因此把任务从“未开始”读作“推进中”"
        + tail.format("s00000000004"),
    ]
    assert gwgk("undo", "s00000000001").exit_code == 0
    assert "s00000000001" not in gwgk("doctor").stdout
