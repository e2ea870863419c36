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
