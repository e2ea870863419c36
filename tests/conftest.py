"""Shared fixtures: every test runs against temp files, never the real home or the repo's data."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from gwgk_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TABLE_2021 = DATA / "tasks_2021.yaml"
NOTICE_2021 = DATA / "source" / "huainan-2021-notice.txt"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GWGK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("GWGK_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("GWGK_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("GWGK_USER", "测试员")
    for var in ("GWGK_FILE", "GWGK_TODAY", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    # Run from an empty folder: a test that forgets the `table` fixture must not find (and write beside)
    # the repository's own data/tasks_2021.yaml; it gets the bundled table and a journal under `home`.
    monkeypatch.chdir(home)
    # The index falls back to reading the files when SQLite fails mid-way; in the tests such a failure is
    # a bug to see, not something to hide behind the fallback (tests of the fallback undo this).
    monkeypatch.setattr("gwgk_cli.store._index_errors", lambda: ())


@pytest.fixture
def table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the 2021 table (with an empty journal beside it), selected by GWGK_FILE."""
    path = tmp_path / "tasks_2021.yaml"
    shutil.copyfile(TABLE_2021, path)
    monkeypatch.setenv("GWGK_FILE", str(path))
    monkeypatch.setenv("GWGK_TODAY", "2021-11-22")
    return path


@pytest.fixture
def journal(table: Path) -> Path:
    return table.with_name("tasks_2021.progress.jsonl")


Runner = Callable[..., Result]


@pytest.fixture
def gwgk() -> Runner:
    """Run the real CLI in-process: gwgk("list", "--unit", "指导办")."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def sheet(table: Path, gwgk: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """行财科's 填报表 for 2021-W47 (task 3 in row 5, 4 in row 6, 5 in row 7, 7 in row 8), written by the real CLI
    into a fresh directory (the cwd)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = gwgk("sheet", "out", "--unit", "行财科")
    assert result.exit_code == 0, result.output
    return work / "行财科-推进情况填报表-2021-W47.xlsx"
