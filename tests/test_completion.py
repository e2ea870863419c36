"""Shell completion: the callbacks in cli/complete.py, and Typer's completion entry point end to end.

The callbacks are called directly (with no context, so they find the table through GWGK_FILE, or with
a stand-in context whose root params carry --file). The entry point is driven in-process the way the
shell scripts drive it: `_GWGK_COMPLETE=complete_bash` with COMP_WORDS/COMP_CWORD, and the
`_TYPER_COMPLETE_ARGS` protocol for zsh, fish and PowerShell.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gwgk_cli.cli import app
from gwgk_cli.cli.complete import complete_section, complete_status, complete_task_id, complete_unit
from gwgk_cli.model import Plan
from gwgk_cli.store import load_plan
from gwgk_cli.units import resolve_unit

ZDB = "政务公开指导办"
WZ = "政府网站"
XCK = "行财科"
WMK = "文秘科"
FGF = "“放管服”改革和营商环境监督科"
HWLLK = "会务联络科"


class FakeRoot:
    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params

    def find_root(self) -> FakeRoot:
        return self


@pytest.fixture
def plan(table: Path) -> Plan:
    return load_plan(table)


def values(items: list[tuple[str, str]]) -> list[str]:
    return [v for v, _ in items]


# --- units -----------------------------------------------------------------------------------


def test_unit_nothing_typed_offers_every_canonical_name(table: Path, plan: Plan) -> None:
    assert values(complete_unit(None, "")) == [u.name for u in plan.units]


@pytest.mark.parametrize(
    ("incomplete", "expected"),
    [
        # Chinese: names and aliases that start with, or contain, what was typed; an alias is
        # described by the canonical name it stands for.
        ("政务", [(ZDB, "单位")]),
        ("行", [(XCK, "单位"), ("行政财务科", XCK)]),
        ("市", [("市政府网站", WZ), ("市政府办公室", "单位")]),
        ("指导", [(ZDB, "单位")]),
        # Pinyin initials: the unit's initials, described by its Chinese name.
        ("zw", [("zwgkzdb", ZDB)]),
        ("zwgk", [("zwgkzdb", ZDB)]),
        ("wmk", [("wmk", WMK)]),
        ("z", [("zwgkzdb", ZDB), ("zfwz", WZ)]),
        ("fgf", [("fgfgghyshjjdk", FGF)]),
    ],
)
def test_unit_candidates(table: Path, incomplete: str, expected: list[tuple[str, str]]) -> None:
    assert complete_unit(None, incomplete) == expected


@pytest.mark.parametrize(
    ("incomplete", "units"),
    [
        ("zw", {ZDB}),
        ("z", {ZDB, WZ}),
        ("zheng", {ZDB, WZ}),
        ("zhengwu", {ZDB}),
        ("xck", {XCK}),
        ("hck", {XCK}),
        ("hang", {XCK}),
        ("xingcai", {XCK}),
        ("h", {XCK, HWLLK}),
        ("wenmi", {WMK}),
        ("yshj", {FGF}),
        ("政", {ZDB, WZ, XCK, "市政府办公室"}),
        ("营商", {FGF}),
    ],
)
def test_every_unit_candidate_resolves_to_the_unit_it_describes(table: Path, plan: Plan, incomplete: str,
                                                                 units: set[str]) -> None:
    found = complete_unit(None, incomplete)
    assert found
    described = set()
    for value, help_text in found:
        unit = resolve_unit(plan, value)
        assert help_text in ("单位", unit.name)
        if help_text == "单位":
            assert value == unit.name
        described.add(unit.name)
    assert described == units


@pytest.mark.parametrize(
    ("incomplete", "unit"),
    [
        ("zw", ZDB),
        ("zwgk", ZDB),
        ("zhengwu", ZDB),  # full pinyin
        ("zhengwugong", ZDB),
        ("xingcai", XCK),
        ("hck", XCK),  # the other reading of 行
        ("hangcaike", XCK),
        ("wenmi", WMK),
        ("yshj", FGF),  # initials of the alias 营商环境监督科
    ],
)
def test_pinyin_candidates_start_with_what_was_typed(table: Path, incomplete: str, unit: str) -> None:
    """zsh (compadd) and fish keep only candidates that match the word typed so far, so a candidate
    that does not start with it is never shown there: `zhengwu<TAB>` or `hck<TAB>` would complete
    nothing in two of the four shells the README promises."""
    found = complete_unit(None, incomplete)
    assert any(help_text == unit for _, help_text in found), found
    for value, _ in found:
        assert value.startswith(incomplete), (value, found)


@pytest.mark.parametrize("incomplete", ["q", "zwx", "办公厅", "zwgkzdbx"])
def test_unit_no_candidates(table: Path, incomplete: str) -> None:
    assert complete_unit(None, incomplete) == []


def test_unit_completion_uses_the_file_option(table: Path, tmp_path: Path) -> None:
    """--file on the command line wins over GWGK_FILE, as for the commands themselves."""
    other = tmp_path / "other" / "tasks_2021.yaml"
    other.parent.mkdir()
    text = table.read_text(encoding="utf-8").replace("units:\n", "units:\n  - name: 测试科\n", 1)
    other.write_text(text, encoding="utf-8")
    assert complete_unit(None, "csk") == []
    ctx = FakeRoot({"file": str(other)})
    assert complete_unit(ctx, "csk") == [("csk", "测试科")]
    assert ("测试科", "单位") in complete_unit(ctx, "测试")


# --- sections and statuses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("incomplete", "expected"),
    [
        ("", ["一", "二", "三", "四", "五"]),
        ("四", ["四"]),
        ("4", ["四"]),
        ("1", ["一"]),
        ("条例", ["四"]),  # a word of the title
        ("聚焦", ["一", "二", "三", "四", "五"]),
        ("6", []),
        ("六", []),
    ],
)
def test_section_candidates(table: Path, plan: Plan, incomplete: str, expected: list[str]) -> None:
    found = complete_section(None, incomplete)
    assert values(found) == expected
    titles = {s.numeral: s.title for s in plan.sections}
    assert all(help_text == titles[v] for v, help_text in found)


@pytest.mark.parametrize(
    ("incomplete", "expected"),
    [
        ("", [("todo", "未开始"), ("doing", "推进中"), ("done", "已完成"), ("blocked", "受阻")]),
        ("d", [("doing", "推进中"), ("done", "已完成")]),
        ("doi", [("doing", "推进中")]),
        ("b", [("blocked", "受阻")]),
        ("推", [("推进中", "doing")]),
        ("已", [("已完成", "done")]),
        ("受", [("受阻", "blocked")]),
        ("x", []),
    ],
)
def test_status_candidates(incomplete: str, expected: list[tuple[str, str]]) -> None:
    assert complete_status(incomplete) == expected


# --- task ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("incomplete", "prefix", "ids"),
    [
        ("", "", list(range(1, 29))),
        ("1", "", [1, *range(10, 20)]),
        ("2", "", [2, *range(20, 29)]),
        ("28", "", [28]),
        ("9", "", [9]),
        ("29", "", []),
        ("x", "", []),
        ("4,1", "4,", [1, *range(10, 20)]),
        ("4,15,2", "4,15,", [2, *range(20, 29)]),
        ("4,", "4,", list(range(1, 29))),
        ("4\uff0c1", "4\uff0c", [1, *range(10, 20)]),  # full-width comma, which the commands accept
        ("4、1", "4、", [1, *range(10, 20)]),  # 顿号, likewise
    ],
)
def test_task_id_candidates_with_titles(table: Path, plan: Plan, incomplete: str, prefix: str,
                                        ids: list[int]) -> None:
    found = complete_task_id(None, incomplete)
    assert found == [(f"{prefix}{i}", plan.task(i).title) for i in ids]


def test_task_id_titles_are_the_short_titles(table: Path) -> None:
    found = dict(complete_task_id(None, "1"))
    assert found["1"] == "公开各类规划及历史规划"
    assert found["10"] == "建设政策综合信息服务专栏"
    assert found["14"] == "更新网站行政法规文本"


# --- completion never fails ----------------------------------------------------------------


CALLBACKS = [
    pytest.param(lambda: complete_unit(None, "zw"), id="unit"),
    pytest.param(lambda: complete_unit(None, ""), id="unit-empty"),
    pytest.param(lambda: complete_section(None, ""), id="section"),
    pytest.param(lambda: complete_task_id(None, "1"), id="task-id"),
]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(None, id="missing"),
        pytest.param("tasks: [\n  - id: 1\n", id="malformed-yaml"),
        pytest.param("just a string\n", id="not-a-mapping"),
        pytest.param("", id="empty"),
    ],
)
@pytest.mark.parametrize("callback", CALLBACKS)
def test_broken_table_completes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None,
                                        callback: Any) -> None:
    path = tmp_path / "broken.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("GWGK_FILE", str(path))
    assert callback() == []


def test_status_completion_needs_no_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWGK_FILE", str(tmp_path / "missing.yaml"))
    assert values(complete_status("t")) == ["todo"]


# --- through Typer's completion entry point ---------------------------------------------------


def _complete(env: dict[str, str]) -> str:
    result = CliRunner().invoke(app, [], env=env, prog_name="gwgk", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _bash(words: str) -> list[str]:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    out = _complete({"_GWGK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    return [line for line in out.splitlines() if line]


def test_bash_completes_a_pinyin_unit(table: Path) -> None:
    """The README's example: `gwgk list --unit zw<TAB>` -> zwgkzdb."""
    out = _complete({"_GWGK_COMPLETE": "complete_bash", "COMP_WORDS": "gwgk list --unit zw", "COMP_CWORD": "3"})
    assert out.splitlines() == ["zwgkzdb"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("gwgk li", ["list"]),  # commands
        ("gwgk un", ["units", "undo"]),
        ("gwgk list --st", ["--status", "--stale-days"]),  # options
        ("gwgk list -u 行", [XCK, "行政财务科"]),  # short option, Chinese unit
        ("gwgk warn --unit wm", ["wmk"]),
        ("gwgk list --section ", ["一", "二", "三", "四", "五"]),
        ("gwgk list --status d", ["doing", "done"]),
        ("gwgk show 28", ["28"]),
        ("gwgk list --signal ", ["red", "yellow", "green", "done"]),
        ("gwgk list --signal 黄", ["黄"]),
        ("gwgk list --unit 指导", [ZDB]),  # a Chinese fragment inside the name, as --unit accepts it
        ("gwgk list -u 财务", ["行政财务科"]),
        ("gwgk log 28", ["28"]),
        ("gwgk --file nowhere.yaml list --unit zw", []),  # a table that cannot be read completes nothing
    ],
)
def test_bash_entry_point(table: Path, words: str, expected: list[str]) -> None:
    assert sorted(_bash(words)) == sorted(expected)


def test_bash_lists_several_ids_with_their_titles(table: Path, plan: Plan) -> None:
    """bash shows no descriptions: several candidates carry the title, whose common prefix is the id."""
    assert _bash("gwgk show 2") == [f"{i}  {plan.task(i).title}" for i in (2, *range(20, 29))]
    assert _bash("gwgk done 4,1")[0] == f"4,1  {plan.task(1).title}"


@pytest.mark.parametrize(
    ("command", "offered"),
    [
        ("done", [1, 2, 3]),  # 4 is done already
        ("start", [1, 3]),  # 2 is under way; 3 is blocked and may restart
        ("block", [1, 2]),
        ("reopen", [3, 4]),
        ("show", [1, 2, 3, 4]),  # reading takes any task
    ],
)
def test_task_ids_offered_are_those_the_command_can_act_on(gwgk: Any, table: Path, command: str,
                                                           offered: list[int]) -> None:
    for args in (["start", "2"], ["block", "3", "--note", "等材料"], ["done", "4"]):
        assert gwgk(*args).exit_code == 0
    found = [int(v.split()[0]) for v in _bash(f"gwgk {command} ")]
    assert [i for i in found if i <= 4] == offered


def test_bash_entry_point_honours_file_option(table: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(table.read_text(encoding="utf-8").replace("units:\n", "units:\n  - name: 测试科\n", 1),
                     encoding="utf-8")
    assert _bash(f"gwgk --file {other} list --unit csk") == ["csk"]
    assert _bash("gwgk list --unit csk") == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"_GWGK_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "gwgk show 1"},
         '"10":"建设政策综合信息服务专栏"'),
        ({"_GWGK_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "gwgk list --unit zw"},
         '"zwgkzdb":"政务公开指导办"'),
        ({"_GWGK_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
          "_TYPER_COMPLETE_ARGS": "gwgk show 1"}, "14\t更新网站行政法规文本"),
        ({"_GWGK_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
          "_TYPER_COMPLETE_ARGS": "gwgk list --section 四"}, "四\t聚焦条例落实深化政务公开"),
        ({"_GWGK_COMPLETE": "complete_powershell", "_TYPER_COMPLETE_ARGS": "gwgk list --status d",
          "_TYPER_COMPLETE_WORD_TO_COMPLETE": "d"}, "done:::已完成"),
        ({"_GWGK_COMPLETE": "complete_powershell", "_TYPER_COMPLETE_ARGS": "gwgk list --unit xck",
          "_TYPER_COMPLETE_WORD_TO_COMPLETE": "xck"}, "xck:::行财科"),
    ],
    ids=["zsh-task-id", "zsh-unit", "fish-task-id", "fish-section", "powershell-status", "powershell-unit"],
)
def test_other_shells_get_descriptions(table: Path, env: dict[str, str], expected: str) -> None:
    assert expected in _complete(env)


@pytest.fixture
def detected_shell(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Typer detects the shell from the process tree (shellingham); pin it so the tests do not depend
    on how pytest was started."""
    import typer.completion

    def pin(shell: str) -> None:
        monkeypatch.setattr(typer.completion, "_get_shell_name", lambda: shell)

    return pin


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_show_completion_prints_a_script_for_the_current_shell(detected_shell: Callable[[str], None],
                                                                shell: str) -> None:
    detected_shell(shell)
    result = CliRunner().invoke(app, ["--show-completion"], prog_name="gwgk", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "_GWGK_COMPLETE" in result.stdout
    assert f"complete_{shell}" in result.stdout


def test_show_completion_bash_as_the_readme_writes_it(detected_shell: Callable[[str], None]) -> None:
    """README: run `gwgk --show-completion >> ~/.bashrc` from bash: it prints the bash script."""
    assert "gwgk --show-completion >> ~/.bashrc" in (Path(__file__).parent.parent / "README.md").read_text(
        encoding="utf-8")
    detected_shell("bash")
    result = CliRunner().invoke(app, ["--show-completion"], prog_name="gwgk", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "complete_bash" in result.stdout
    assert "complete -o default -F _gwgk_completion gwgk" in result.stdout


def test_installed_script_completes(table: Path) -> None:
    """Once as a real process: the console script installed next to this Python."""
    import os
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("gwgk")
    if not exe.exists():
        found = shutil.which("gwgk")
        if found is None:
            pytest.skip("the gwgk console script is not installed")
        exe = Path(found)
    env = {**os.environ, "_GWGK_COMPLETE": "complete_bash", "COMP_WORDS": "gwgk list --unit zw", "COMP_CWORD": "3"}
    proc = subprocess.run([str(exe)], env=env, capture_output=True, text=True, encoding="utf-8", timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["zwgkzdb"]
