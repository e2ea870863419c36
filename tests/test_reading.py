"""reading.read_regular: a regular file's bytes, whatever happens between its stat and its read, never past the cap."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gwgk_cli import reading


@pytest.mark.parametrize("size", [0, 1, 9, 10])
def test_a_file_within_the_cap_is_read_whole(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * size)
    assert reading.read_regular(path, 10) == b"x" * size


def test_a_file_past_the_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 11)
    with pytest.raises(reading.TooLarge):
        reading.read_regular(path, 10)


@pytest.mark.parametrize(("size", "told", "refused"), [(8, 5, False), (10, 0, False), (11, 5, True), (30, 9, True)])
def test_a_file_grown_after_its_stat_is_read_on_to_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           size: int, told: int, refused: bool) -> None:
    """The read asks for the size the stat told and one byte more; a file that grew since is read on (whole when
    within the cap, refused past it), never cut at the size it had."""
    path = tmp_path / "f"
    path.write_bytes(bytes(range(size)))
    real = os.fstat

    class Smaller:
        def __init__(self, st: os.stat_result) -> None:
            self.st = st

        def __getattr__(self, name: str) -> Any:
            return told if name == "st_size" else getattr(self.st, name)

    monkeypatch.setattr(os, "fstat", lambda fd: Smaller(real(fd)))
    if refused:
        with pytest.raises(reading.TooLarge):
            reading.read_regular(path, 10)
    else:
        assert reading.read_regular(path, 10) == bytes(range(size))
