"""The per-user directories: the same paths platformdirs gave (gwgk used it before), so no one's
journal, index or settings move."""

from __future__ import annotations

import ntpath
import os
import sys
from pathlib import Path

import pytest

from gwgk_cli.paths import platform_dir

HOME = {"HOME": "/home/li", "USERPROFILE": r"C:\Users\li"}


@pytest.mark.parametrize(
    ("platform", "environ", "kind", "expected"),
    [
        ("linux", HOME, "data", "/home/li/.local/share/gwgk"),
        ("linux", HOME, "cache", "/home/li/.cache/gwgk"),
        ("linux", HOME, "config", "/home/li/.config/gwgk"),
        ("linux", {**HOME, "XDG_DATA_HOME": "/srv/d"}, "data", "/srv/d/gwgk"),
        ("linux", {**HOME, "XDG_CACHE_HOME": "/srv/c/"}, "cache", "/srv/c/gwgk"),
        ("linux", {**HOME, "XDG_CONFIG_HOME": "/srv/e"}, "config", "/srv/e/gwgk"),
        ("linux", {**HOME, "XDG_DATA_HOME": "relative/d"}, "data", "/home/li/.local/share/gwgk"),
        ("linux", {**HOME, "XDG_CACHE_HOME": ""}, "cache", "/home/li/.cache/gwgk"),
        ("linux", {**HOME, "XDG_DATA_HOME": "/srv/d"}, "cache", "/home/li/.cache/gwgk"),
        ("freebsd14", HOME, "data", "/home/li/.local/share/gwgk"),
        ("darwin", HOME, "data", "/home/li/Library/Application Support/gwgk"),
        ("darwin", HOME, "cache", "/home/li/Library/Caches/gwgk"),
        ("darwin", HOME, "config", "/home/li/Library/Application Support/gwgk"),
        ("darwin", {**HOME, "XDG_CONFIG_HOME": "/srv/e"}, "config", "/srv/e/gwgk"),
    ],
)
def test_posix_directories(platform: str, environ: dict[str, str], kind: str, expected: str) -> None:
    assert platform_dir(kind, platform=platform, environ=environ).as_posix() == expected


@pytest.mark.skipif(sys.platform != "win32", reason="Windows paths are built with the Windows path rules")
@pytest.mark.parametrize(
    ("environ", "kind", "expected"),
    [
        ({"LOCALAPPDATA": r"C:\Users\li\AppData\Local"}, "data", r"C:\Users\li\AppData\Local\gwgk"),
        ({"LOCALAPPDATA": r"C:\Users\li\AppData\Local"}, "config", r"C:\Users\li\AppData\Local\gwgk"),
        ({"LOCALAPPDATA": r"C:\Users\li\AppData\Local"}, "cache", r"C:\Users\li\AppData\Local\gwgk\Cache"),
        ({"LOCALAPPDATA": "C:/Users/li/AppData/Local/", "XDG_DATA_HOME": "/srv/d"}, "data",
         r"C:\Users\li\AppData\Local\gwgk"),
        ({"USERPROFILE": r"C:\Users\li"}, "data", r"C:\Users\li\AppData\Local\gwgk"),
    ],
)
def test_windows_directories(environ: dict[str, str], kind: str, expected: str) -> None:
    assert ntpath.normcase(str(platform_dir(kind, platform="win32", environ=environ))) == ntpath.normcase(expected)


@pytest.mark.parametrize("xdg", [None, "", "relative", "/tmp/gwgk-xdg-test", "/tmp/gwgk-xdg-test/"])
@pytest.mark.parametrize("kind", ["data", "cache", "config"])
def test_same_as_platformdirs_on_this_machine(monkeypatch: pytest.MonkeyPatch, kind: str, xdg: str | None) -> None:
    platformdirs = pytest.importorskip("platformdirs")
    variable = {"data": "XDG_DATA_HOME", "cache": "XDG_CACHE_HOME", "config": "XDG_CONFIG_HOME"}[kind]
    if xdg is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, xdg)
    theirs = {"data": platformdirs.user_data_path, "cache": platformdirs.user_cache_path,
              "config": platformdirs.user_config_path}[kind]("gwgk", appauthor=False)
    assert platform_dir(kind) == Path(theirs)
    assert os.path.isabs(platform_dir(kind))


def test_a_path_under_home_is_shown_in_full_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a Windows review: ~\\Desktop\\… means nothing to Explorer or cmd."""
    from gwgk_cli import paths

    monkeypatch.setenv("HOME", str(tmp_path))
    target = tmp_path / "Desktop" / "周报.docx"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert paths.short_path(target, elsewhere) == str(Path("~") / "Desktop" / "周报.docx")
    monkeypatch.setattr(paths, "on_windows", lambda: True)
    assert paths.short_path(target, elsewhere) == str(target)
