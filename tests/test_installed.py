"""The installed entry points, run as real processes: the `gwgk` console script and `python -m gwgk_cli`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gwgk_cli import __version__


def console_script() -> str:
    beside = Path(sys.executable).parent / ("gwgk.exe" if os.name == "nt" else "gwgk")
    if beside.is_file():
        return str(beside)
    found = shutil.which("gwgk")
    if found is None:
        pytest.fail("the gwgk console script is not installed (pip install -e .)")
    return found


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=120, env=dict(os.environ))


def test_console_script_lists_a_units_tasks_as_json(table: Path) -> None:
    result = run([console_script(), "--today", "2021-11-22", "list", "--unit", "政务公开指导办", "--format", "json"])
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == [1, 2, 3, 6, 10, 14, 15, 16, 20, 23, 24, 25, 26, 27, 28]
    assert records[0]["title"] == "公开各类规划及历史规划"
    assert "Traceback" not in result.stderr


def test_console_script_error_is_one_line(table: Path) -> None:
    result = run([console_script(), "show", "99"])
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "错误：任务 99 不存在（有效序号 1–28）\n"


def test_python_m_version() -> None:
    result = run([sys.executable, "-m", "gwgk_cli", "--version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"gwgk {__version__}\n"
