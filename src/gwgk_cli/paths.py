"""Where the data lives: which task table, which journal, which cache directory.

Order for the table: --file / GWGK_FILE; else the config key table.file; else, in the current folder or
the nearest parent that has one, a table named tasks_<year>.yaml directly in the folder or in its data/
(a checkout of the project, or the folder a clerk keeps the table in); else the 2021 table bundled in
the package. Several such tables in that folder (tasks_2021.yaml and data/tasks_2022.yaml) are refused
with their list: which year's journal a change goes to is never guessed. Anything gwgk writes for the
bundled table (its journal) goes to the per-user data directory, never into the installed package; when
the bundled table is used while a tasks*.yaml that is not so named sits in the current folder or its
data/ (tasks_2021(1).yaml, a download's copy), Location.notice says so (the CLI prints it on stderr).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

APP_NAME = "gwgk"
DEFAULT_TABLE = Path("data") / "tasks_2021.yaml"
JOURNAL_SUFFIX = ".progress.jsonl"


class Location:
    """Which task table, and how it was found (a plain class: a dataclass costs start-up time)."""

    __slots__ = ("table", "how", "bundled", "notice")
    table: Path
    how: str  # "--file", "GWGK_FILE", "配置 table.file", "当前文件夹", "上级文件夹", "项目目录", "内置 2021 任务表"
    bundled: bool
    notice: str  # a warning about the choice (the bundled table used beside a tasks*.yaml), or ""

    def __init__(self, table: Path, how: str, bundled: bool, notice: str = "") -> None:
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "how", how)
        object.__setattr__(self, "bundled", bundled)
        object.__setattr__(self, "notice", notice)

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

    def where(self, cwd: Path | None = None) -> str:
        """The journal and the table in short form, for a write's confirmation and a preview:
        data/tasks_2021.progress.jsonl（任务表 data/tasks_2021.yaml）."""
        table = "内置 2021 任务表" if self.bundled else short_path(self.table, cwd)
        journal = self.journal
        folder = journal.with_name(journal.name[: -len(".jsonl")])
        shown = f"{short_path(folder, cwd)}{os.sep}" if folder.is_dir() else short_path(journal, cwd)
        return f"{shown}（任务表 {table}）"


def bundled_table() -> Path:
    """The 2021 table shipped inside the package (or the checkout's data/ in a development install)."""
    here = Path(__file__).resolve().parent
    inside = here / "bundled" / "tasks_2021.yaml"
    if inside.is_file():
        return inside
    return here.parent.parent / DEFAULT_TABLE


def find_table(explicit: str | None, *, from_env: bool = False, cwd: Path | None = None) -> Location:
    """The table in use (the order is in this module's docstring). TableNotFound when the folder holds
    several tables (they are listed)."""
    if explicit:
        return Location(Path(explicit).expanduser(), "GWGK_FILE" if from_env else "--file", bundled=False)
    configured = configured_table()
    if configured is not None:
        return Location(configured, "配置 table.file", bundled=False)
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        direct = _names_in(folder, is_table_name)
        in_data = _names_in(folder / "data", is_table_name)
        found = sorted(direct) + sorted(in_data)
        if len(found) > 1:
            from gwgk_cli.errors import TableNotFound

            names = "、".join(short_path(p, start) for p in found)
            raise TableNotFound(f"{folder} 中有多个任务表：{names}；不知道该用哪一个（进展记录随任务表而定），"
                                "请用 --file 指定，或 gwgk config set table.file 路径 设为默认")
        if found:
            how = "项目目录" if not direct else ("当前文件夹" if folder == start else "上级文件夹")
            return Location(found[0], how, bundled=False)
    return Location(bundled_table(), "内置 2021 任务表", bundled=True, notice=_bundled_notice(start))


def is_table_name(name: str) -> bool:
    """tasks_<year>.yaml (any case): the name of a table found without being named."""
    low = name.lower()
    year = low[len("tasks_"):-len(".yaml")]
    return low.startswith("tasks_") and low.endswith(".yaml") and len(year) == 4 and year.isascii() and year.isdigit()


def _names_in(folder: Path, wanted: Callable[[str], bool]) -> list[Path]:
    """The files of a folder whose name is `wanted` (none when it cannot be listed): the name is tested
    first, so a large folder (a home directory) costs no stat per entry on the way up to the root."""
    try:
        with os.scandir(folder) as found:
            return [folder / e.name for e in found if wanted(e.name) and _is_file(e)]
    except OSError:
        return []


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _like_a_table(name: str) -> bool:
    low = name.lower()
    return low.startswith("tasks") and low.endswith((".yaml", ".yml"))


def _bundled_notice(start: Path) -> str:
    """The warning when the bundled table is used while a tasks*.yaml sits in the current folder or its data/."""
    near = sorted((*_names_in(start, _like_a_table), *_names_in(start / "data", _like_a_table)))
    if not near:
        return ""
    names = "、".join(short_path(p, start) for p in near)
    return (f"正在使用内置 2021 任务表（进展记入 {short_path(journal_path(bundled_table(), bundled=True), start)}），"
            f"而当前文件夹有 {names}：只有名为 tasks_<年份>.yaml 的任务表才会自动采用，"
            "请改名，或用 --file 指定")


def configured_table() -> Path | None:
    """The config key table.file, when the config file sets it (the file is read only when it exists)."""
    env = os.environ.get("GWGK_CONFIG_DIR")
    folder = Path(env).expanduser() if env else platform_dir("config")
    if not (folder / "config.toml").is_file():
        return None
    from gwgk_cli.config import get

    value = get("table.file")
    return Path(value).expanduser() if isinstance(value, str) and value else None


def short_path(path: Path, cwd: Path | None = None) -> str:
    """A path as a clerk reads it: relative to the current folder when inside it, else with ~ for the home
    folder (not on Windows, where neither Explorer nor cmd reads ~: found by a Windows review), else in full."""
    full = Path(os.path.abspath(path))
    base = Path(os.path.abspath(cwd or Path.cwd()))
    try:
        return str(full.relative_to(base))
    except ValueError:
        pass
    if on_windows():
        return str(full)
    home = Path(os.path.abspath(os.path.expanduser("~")))
    try:
        return str(Path("~") / full.relative_to(home))
    except ValueError:
        return str(full)


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
