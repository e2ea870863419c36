"""Where the data lives: which task table, which journal, which cache directory.

Order for the table: --file / GWGK_FILE; else data/tasks_2021.yaml in the current directory or a
parent (a checkout of the project); else the 2021 table bundled in the package. Anything gwgk
writes for the bundled table (its journal) goes to the per-user data directory, never into the
installed package.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "gwgk"
DEFAULT_TABLE = Path("data") / "tasks_2021.yaml"
JOURNAL_SUFFIX = ".progress.jsonl"


class Location:
    """Which task table, and how it was found (a plain class: a dataclass costs start-up time)."""

    __slots__ = ("table", "how", "bundled")
    table: Path
    how: str  # "--file", "GWGK_FILE", "项目目录", "内置"
    bundled: bool

    def __init__(self, table: Path, how: str, bundled: bool) -> None:
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "how", how)
        object.__setattr__(self, "bundled", bundled)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Location is read-only: {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Location is read-only: {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Location):
            return NotImplemented
        return (self.table, self.how, self.bundled) == (other.table, other.how, other.bundled)

    def __hash__(self) -> int:
        return hash((self.table, self.how, self.bundled))

    def __repr__(self) -> str:
        return f"Location(table={self.table!r}, how={self.how!r}, bundled={self.bundled!r})"

    @property
    def journal(self) -> Path:
        return journal_path(self.table, bundled=self.bundled)


def bundled_table() -> Path:
    """The 2021 table shipped inside the package (or the checkout's data/ in a development install)."""
    here = Path(__file__).resolve().parent
    inside = here / "bundled" / "tasks_2021.yaml"
    if inside.is_file():
        return inside
    return here.parent.parent / DEFAULT_TABLE


def find_table(explicit: str | None, *, from_env: bool = False, cwd: Path | None = None) -> Location:
    if explicit:
        return Location(Path(explicit).expanduser(), "GWGK_FILE" if from_env else "--file", bundled=False)
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / DEFAULT_TABLE
        if candidate.is_file():
            return Location(candidate, "项目目录", bundled=False)
    return Location(bundled_table(), "内置 2021 任务表", bundled=True)


def user_data_dir() -> Path:
    env = os.environ.get("GWGK_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return platform_dir("data")


def user_cache_dir() -> Path:
    env = os.environ.get("GWGK_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return platform_dir("cache")


# The per-user directories, the same paths platformdirs (which gwgk used before) gives for
# appname="gwgk", appauthor=False, so no one's journal, index or settings move; written out here
# because importing platformdirs cost about 4 ms of every command's start.
_XDG = {"data": "XDG_DATA_HOME", "cache": "XDG_CACHE_HOME", "config": "XDG_CONFIG_HOME"}
_HOME_DIRS = {  # below the home directory when the XDG variable is unset (or not an absolute path)
    "darwin": {"data": "Library/Application Support", "cache": "Library/Caches", "config": "Library/Application Support"},
    "other": {"data": ".local/share", "cache": ".cache", "config": ".config"},
}


def platform_dir(kind: str, *, platform: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The per-user `kind` ("data", "cache" or "config") directory of gwgk.

    Windows: %LOCALAPPDATA%\\gwgk (the cache in its Cache folder). macOS and Linux/Unix: $XDG_DATA_HOME,
    $XDG_CACHE_HOME or $XDG_CONFIG_HOME when set to an absolute path, else ~/Library/Application
    Support, ~/Library/Caches (macOS) or ~/.local/share, ~/.cache, ~/.config; then gwgk.
    `platform` and `environ` are for the tests (default: this machine's)."""
    platform = sys.platform if platform is None else platform
    env = os.environ if environ is None else environ
    if platform == "win32":
        base = env.get("LOCALAPPDATA") or os.path.join(_home(env, platform), "AppData", "Local")
        folder = os.path.join(os.path.normpath(base), APP_NAME)
        return Path(os.path.join(folder, "Cache") if kind == "cache" else folder)
    xdg = env.get(_XDG[kind], "")
    if xdg.startswith("/"):  # platformdirs takes an absolute POSIX path only
        return Path(os.path.join(xdg, APP_NAME))
    below = _HOME_DIRS["darwin" if platform == "darwin" else "other"][kind]
    return Path(os.path.join(_home(env, platform), below, APP_NAME))


def _home(env: Mapping[str, str], platform: str) -> str:
    if env is os.environ:
        return os.path.expanduser("~")
    return env.get("USERPROFILE" if platform == "win32" else "HOME", "") or os.path.expanduser("~")


def journal_path(table: Path, *, bundled: bool = False) -> Path:
    """The progress journal: next to the table, same stem (tasks_2021.progress.jsonl)."""
    name = table.stem + JOURNAL_SUFFIX
    if bundled:
        return user_data_dir() / name
    return table.with_name(name)


# --------------------------------------------------------------------------- paths too long for Windows

MAX_PATH = 260  # Windows' limit on a path (the final NUL included) where long paths are not enabled
MAX_DIR = MAX_PATH - 12  # what CreateDirectory takes (room for an 8.3 name); past it Windows says "not found"
ERROR_FILENAME_EXCED_RANGE = 206


def on_windows() -> bool:
    """os.name == "nt" (a function, so the tests can act as Windows where pathlib cannot)."""
    return os.name == "nt"


def _full(path: object) -> str:
    return os.path.abspath(os.fsdecode(path))  # type: ignore[arg-type]


def too_long(exc: OSError, *paths: object) -> bool:
    """Whether an OSError comes from a path too long: Windows' ERROR_FILENAME_EXCED_RANGE (206), the file
    system's ENAMETOOLONG, or on Windows a "path not found" for a path of MAX_DIR characters or more (the
    error's own path, a temp file beside the target, or one of `paths`)."""
    import errno

    if getattr(exc, "winerror", None) == ERROR_FILENAME_EXCED_RANGE or exc.errno == errno.ENAMETOOLONG:
        return True
    if not on_windows() or not isinstance(exc, FileNotFoundError):
        return False
    return any(len(_full(p)) >= MAX_DIR for p in (exc.filename, exc.filename2, *paths) if p)


def long_path_advice(path: object) -> str:
    """What to do about a path too long (the reason part of a one-line error message)."""
    return (f"路径过长（{len(_full(path))} 个字符；Windows 一般只支持 {MAX_PATH} 个字符以内的完整路径，"
            "写入时还要留出临时文件名的长度），请改用层级少、名称短的文件夹（例如 D:\\gwgk）")


def os_reason(exc: OSError, path: object) -> str:
    """Why an OS call on `path` failed, for a one-line message: the system's words, or what to do about a
    path (long_path_advice) or a single name (ENAMETOOLONG on a short path: over 255) too long."""
    if not too_long(exc, path):
        return str(exc.strerror or exc)
    if max(len(_full(p)) for p in (path, exc.filename, exc.filename2) if p) < MAX_DIR:
        longest = max(Path(_full(path)).parts, key=len) if path else ""
        return f"文件名或文件夹名过长（“{longest[:20]}…”{len(longest)} 个字符），请改用较短的名称"
    return long_path_advice(path)


def beyond_max_path(path: object) -> bool:
    """On Windows: whether `path`, which Windows says is not there, is there but too long to reach: the first
    of its folders (or itself) at MAX_DIR characters or more is listed in the folder above it. False
    elsewhere, and for a path that is short enough or really missing."""
    if not on_windows() or len(_full(path)) < MAX_DIR:
        return False
    full = Path(_full(path))
    child = full
    for parent in full.parents:
        if len(str(parent)) < MAX_DIR:
            if len(str(child)) < MAX_DIR:
                return False
            try:
                names = {os.path.normcase(n) for n in os.listdir(parent)}
            except OSError:
                return False
            return os.path.normcase(child.name) in names
        child = parent
    return False
