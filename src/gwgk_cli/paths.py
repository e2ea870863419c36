"""Where the data lives: which task table, which journal, which cache directory.

Order for the table: --file / GWGK_FILE; else data/tasks_2021.yaml in the current directory or a
parent (a checkout of the project); else the 2021 table bundled in the package. Anything gwgk
writes for the bundled table (its journal) goes to the per-user data directory, never into the
installed package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "gwgk"
DEFAULT_TABLE = Path("data") / "tasks_2021.yaml"
JOURNAL_SUFFIX = ".progress.jsonl"


@dataclass(frozen=True, slots=True)
class Location:
    table: Path
    how: str  # "--file", "GWGK_FILE", "项目目录", "内置"
    bundled: bool

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
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_cache_dir() -> Path:
    env = os.environ.get("GWGK_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def journal_path(table: Path, *, bundled: bool = False) -> Path:
    """The progress journal: next to the table, same stem (tasks_2021.progress.jsonl)."""
    name = table.stem + JOURNAL_SUFFIX
    if bundled:
        return user_data_dir() / name
    return table.with_name(name)
