"""The sample output in README.md and docs/ is what the commands print today (scripts/readme_samples.py,
in the manner of `cog --check`): a changed message or layout fails here until the samples are
regenerated with `python scripts/readme_samples.py --write`."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "readme_samples.py"


def _load():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("readme_samples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["readme_samples"] = module
    spec.loader.exec_module(module)
    return module


samples = _load()
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
needs_gwgk = pytest.mark.skipif(not (Path(sys.executable).parent / "gwgk").exists() and shutil.which("gwgk") is None,
                                reason="the installed gwgk command is needed")


@needs_gwgk
@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_samples_are_what_the_commands_print(path: Path) -> None:
    import difflib

    old = path.read_text(encoding="utf-8")
    new = samples.regenerate(old)
    diff = "".join(list(difflib.unified_diff(old.splitlines(True), new.splitlines(True), path.name, "now"))[:60])
    assert samples.same(old, new), (
        f"{path.name}: stale sample output; run python scripts/readme_samples.py --write and review the diff:\n{diff}")


def test_the_readme_has_samples_checked() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sum(1 for line in readme.splitlines() if samples.MARKER.match(line)) >= 8


def test_a_stale_sample_is_found_and_rewritten(tmp_path: Path) -> None:
    doc = "intro\n<!-- sample -->\n```\n$ echo 任务 14  # a comment\nstale\n```\ntail\n"
    assert samples.regenerate(doc) == "intro\n<!-- sample -->\n```\n$ echo 任务 14  # a comment\n任务 14\n```\ntail\n"


def test_blocks_share_a_sandbox_unless_fresh() -> None:
    doc = ("<!-- sample -->\n```\n$ echo x > f\n```\n<!-- sample -->\n```\n$ cat f\n```\n"
           "<!-- sample: fresh -->\n```\n$ cat f 2>/dev/null || echo none\n```\n")
    new = samples.regenerate(doc)
    assert "$ cat f\nx\n" in new
    assert "|| echo none\nnone\n" in new


def test_stderr_follows_stdout_and_the_sandbox_path_is_hidden() -> None:
    doc = "<!-- sample -->\n```\n$ echo oops >&2; pwd; echo \"$PWD/data/x\"\n```\n"
    lines = samples.regenerate(doc).split("\n")
    assert "gwgk-sample-" in lines[3]  # pwd prints the sandbox itself (only "dir/" prefixes are hidden)
    assert lines[4:6] == ["data/x", "oops"]


def test_record_ids_are_not_compared() -> None:
    assert samples.same("undo 9ed63ed9bd1d done", "undo 1204e48f1b96 done")
    assert not samples.same("undo 9ed63ed9bd1d done", "undo 1204e48f1b96 gone")


def test_setup_commands_run_unseen() -> None:
    doc = "<!-- sample-setup: echo hidden > f -->\n<!-- sample -->\n```\n$ cat f\n```\n"
    assert samples.regenerate(doc) == "<!-- sample-setup: echo hidden > f -->\n<!-- sample -->\n```\n$ cat f\nhidden\n```\n"


def test_an_unknown_option_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sample option"):
        samples.regenerate("<!-- sample: colour -->\n```\n$ true\n```\n")
