"""safe_write: atomic replacement and never-replacing creation, on real temp files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gwgk_cli.safe_write import write_bytes_atomic, write_new


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_new_creates_the_file(tmp_path: Path) -> None:
    target = tmp_path / "a.jsonl"
    write_new(target, b"line\n")
    assert target.read_bytes() == b"line\n"
    assert _leftovers(tmp_path) == []


def test_write_new_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.jsonl"
    target.write_bytes(b"kept\n")
    with pytest.raises(FileExistsError):
        write_new(target, b"new\n")
    assert target.read_bytes() == b"kept\n"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("exists", [False, True], ids=["renamed", "appeared-meanwhile"])
def test_write_new_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exists: bool) -> None:
    """Where the file system has no hard links (FAT, some shares) the temp file is renamed after checking
    again; a file that appeared meanwhile is still not replaced."""
    target = tmp_path / "a.jsonl"

    def no_link(src: str, dst: str) -> None:
        if exists:
            Path(dst).write_bytes(b"theirs\n")
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    if exists:
        with pytest.raises(FileExistsError):
            write_new(target, b"ours\n")
        assert target.read_bytes() == b"theirs\n"
    else:
        write_new(target, b"ours\n")
        assert target.read_bytes() == b"ours\n"
    assert _leftovers(tmp_path) == []


def test_write_bytes_atomic_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "t.yaml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    if os.name != "nt":
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_write_bytes_atomic_failure_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "t.yaml"
    target.write_bytes(b"old")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_write_bytes_atomic_waits_for_a_file_held_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows: a sharing violation (Excel or a sync client holding the file) is waited out a few times."""
    from gwgk_cli import safe_write

    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")
    real_replace = os.replace
    calls = []

    def busy_twice(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) <= 2:
            raise PermissionError(13, "The process cannot access the file because it is being used")
        real_replace(src, dst)

    monkeypatch.setattr(safe_write, "REPLACE_TRIES", 10)
    monkeypatch.setattr(safe_write, "REPLACE_WAIT", 0)
    monkeypatch.setattr(os, "replace", busy_twice)
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new" and len(calls) == 3
    assert _leftovers(tmp_path) == []


def test_a_file_held_open_is_named_and_left_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the tries: one line saying what to do, the old file untouched, and no temp file left, also when
    the target is read-only (on Windows a read-only temp file cannot be deleted until made writable)."""
    from gwgk_cli import safe_write
    from gwgk_cli.errors import OutputError

    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o444)
    real_unlink = os.unlink

    def busy(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    def like_windows(path: str, *args: object, **kwargs: object) -> None:
        if not os.stat(path).st_mode & stat.S_IWRITE:
            raise PermissionError(13, "Access is denied")
        real_unlink(path)

    monkeypatch.setattr(safe_write, "REPLACE_TRIES", 3)
    monkeypatch.setattr(safe_write, "REPLACE_WAIT", 0)
    monkeypatch.setattr(os, "replace", busy)
    monkeypatch.setattr(os, "unlink", like_windows)
    with pytest.raises(OutputError) as caught:
        safe_write.write_output(target, b"new", force=True)
    assert str(caught.value) == (f"无法写入 {target}: 没有权限（文件是否正被 Excel/WPS 等程序打开，或是只读文件？"
                                 "请关闭或去掉“只读”属性后重试；原文件未改动）")
    target.chmod(0o644)
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []
