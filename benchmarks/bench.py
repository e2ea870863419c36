"""Whole-process timings of gwgk (a benchmark, not a test: nothing here fails a build).

    python benchmarks/bench.py [--runs 15] [--big-tasks 10000 --big-changes 50000] [--skip-big]

Issue 13's "Must show" list, piped, with a warm index, ratios taken in one run:

1. `gwgk list --unit 政务公开指导办` on the bundled 28-task table against a bare Typer hello app of the same
   Typer version (target <= 1.2x).
2. A generated 10,000-task table with a 50,000-change journal (benchmarks/generate.py), against Taskwarrior
   holding the same tasks (`task`, when installed):
   - `list --unit U` vs `task project:U list` (<= 1.0x);
   - `show 4` and `log 4` vs `task 4 info` (<= 1.0x);
   - `warn` and `report --unit U` vs `task summary` (<= 1.5x);
   - `note 4 …` there vs the same note on the 28-task table (<= 1.1x: writes stay flat);
   - the first command after a table edit (a full re-index of the plan), in seconds (<= 3 s);
   - and, without a target, `warn` when the signals the index keeps are worked out again: on a new day, after a note.
Each timing is the median of --runs runs after one warm-up run; two commands compared are timed
alternately (a, b, a, b, …) so that a busy moment hits both alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELLO = """
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")


if __name__ == "__main__":
    app()
"""


def gwgk_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("gwgk")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "gwgk_cli"]


def run(cmd: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, check=True)
    return time.perf_counter() - start


def median_times(a: Sequence[str], b: Sequence[str], runs: int, env_a: dict[str, str],
                 env_b: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """Medians of two commands timed alternately (a, b, a, b, …) after a warm-up run of each, so a
    busy moment on the machine hits both alike."""
    env_b = env_b or env_a
    run(a, env_a, cwd)
    run(b, env_b, cwd)
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(run(a, env_a, cwd))
        times_b.append(run(b, env_b, cwd))
    return statistics.median(times_a), statistics.median(times_b)


def report(label: str, ours: float, theirs: float, target: float, other: str) -> None:
    ratio = ours / theirs
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(f"{label}: gwgk {ours * 1000:.0f} ms, {other} {theirs * 1000:.0f} ms, ratio {ratio:.2f}x "
          f"(target <= {target}x) {verdict}")


def compile_package() -> None:
    """Byte-compile gwgk as `pip install .` does, so an editable install (or PYTHONDONTWRITEBYTECODE)
    does not time the compiler instead of the program."""
    import compileall

    import gwgk_cli

    compileall.compile_dir(str(Path(gwgk_cli.__file__).parent), quiet=1)


def bench_startup(runs: int, env: dict[str, str], work: Path) -> None:
    hello = work / "hello.py"
    hello.write_text(HELLO, encoding="utf-8")
    ours, bare = median_times([*gwgk_cmd(), "list", "--unit", "政务公开指导办"], [sys.executable, str(hello)], runs,
                              env, cwd=ROOT)
    report("list --unit 政务公开指导办 (28 tasks, piped)", ours, bare, 1.2, "bare Typer hello")


def load_taskwarrior(big: Path, work: Path) -> dict[str, str] | None:
    task = shutil.which("task")
    if task is None:
        print("Taskwarrior (`task`) is not installed: skipping the comparison (apt-get install taskwarrior).")
        return None
    import yaml

    data = yaml.load((big / "tasks.yaml").read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    names = [u["name"] for u in data["units"]]
    project = {name: f"unit{i}" for i, name in enumerate(names)}
    records = [{"description": t["title"], "project": project[t["units"][0]], "status": "pending",
                "tags": [project[u] for u in t["units"][1:]], "entry": "20210910T000000Z"} for t in data["tasks"]]
    twdir = work / "taskwarrior"
    twdir.mkdir()
    rc = twdir / "taskrc"
    rc.write_text(f"data.location={twdir / 'data'}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(twdir / "data")}
    src = twdir / "import.json"
    src.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    subprocess.run([task, "rc.gc=off", "import", str(src)], env=env, check=True, capture_output=True)
    env["GWGK_TW_PROJECT"] = project["政务公开指导办"]
    return env


def edit_table(table: Path, n: int) -> None:
    """A real edit (the content changes, so does the size): the next command re-indexes the plan."""
    with table.open("a", encoding="utf-8") as fh:
        fh.write(f"# edit {n}\n")


def bench_big(runs: int, env: dict[str, str], work: Path, n_tasks: int, n_changes: int) -> None:
    big = work / "big"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--tasks", str(n_tasks),
                    "--changes", str(n_changes), "--out", str(big)], check=True)
    small = work / "small"
    small.mkdir()
    shutil.copyfile(ROOT / "data" / "tasks_2021.yaml", small / "tasks.yaml")
    gw = gwgk_cmd()
    on_big = [*gw, "--file", str(big / "tasks.yaml")]
    unit = "政务公开指导办"
    print(f"{n_tasks} tasks / {n_changes} changes:")
    note_big, note_small = median_times([*on_big, "note", "4", "基准测试进展"],
                                        [*gw, "--file", str(small / "tasks.yaml"), "note", "4", "基准测试进展"], runs, env)
    report("  note 4 at 10,000 tasks vs at 28", note_big, note_small, 1.1, "note@28")
    # The 通报 reads the replayed states and only the review/undo lines: no slower than the weekly report,
    # which parses the whole journal.
    at = ["--file", str(big / "tasks.yaml"), "--today", "2022-01-15"]
    bulletin, weekly = median_times([*gw, *at, "bulletin"], [*gw, *at, "report", "--week", "2022-W02"], runs, env)
    report("  bulletin vs report --week", bulletin, weekly, 1.0, "report --week")
    tw_env = load_taskwarrior(big, work)
    if tw_env is None:
        for args in (["list", "--unit", unit], ["show", "4"], ["log", "4"], ["warn"], ["report", "--unit", unit]):
            ours, _ = median_times([*on_big, *args], [*on_big, *args], runs, env)
            print(f"  {' '.join(args)}: {ours * 1000:.0f} ms")
    else:
        project = tw_env["GWGK_TW_PROJECT"]
        comparisons = [
            (["list", "--unit", unit], ["task", f"project:{project}", "list"], 1.0, "task project:U list"),
            (["show", "4"], ["task", "4", "info"], 1.0, "task 4 info"),
            (["log", "4"], ["task", "4", "info"], 1.0, "task 4 info"),
            (["warn"], ["task", "summary"], 1.5, "task summary"),
            (["report", "--unit", unit], ["task", "summary"], 1.5, "task summary"),
        ]
        for args, theirs, target, label in comparisons:
            ours_t, theirs_t = median_times([*on_big, *args], theirs, runs, env, tw_env)
            report(f"  {' '.join(args)}", ours_t, theirs_t, target, label)
    # warn reads the signals the index keeps (gwgk_cli/flagged.py): they are worked out again, and kept, on a new day
    # (all of them) and after a note (the task noted). What those runs cost, beside the warm runs above (no target).
    new_day = [run([*on_big, "--today", (dt.date(2021, 11, 23) + dt.timedelta(days=n)).isoformat(), "warn"], env)
               for n in range(max(3, runs // 3))]
    run([*on_big, "warn"], env)  # the reference day's signals kept again
    after_note = []
    for _ in range(max(3, runs // 3)):
        run([*on_big, "note", "4", "基准测试进展"], env)
        after_note.append(run([*on_big, "warn"], env))
    print(f"  warn on a new day (every signal worked out and kept): {statistics.median(new_day) * 1000:.0f} ms; "
          f"right after a note: {statistics.median(after_note) * 1000:.0f} ms")
    times = []
    for n in range(max(3, runs // 3)):
        edit_table(big / "tasks.yaml", n)
        times.append(run([*on_big, "list", "--unit", unit], env))
    took = statistics.median(times)
    verdict = "ok" if took <= 3.0 else "OVER TARGET"
    print(f"  first command after a table edit (full re-index of the plan): {took:.2f} s (target <= 3 s) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--big-tasks", type=int, default=10_000)
    parser.add_argument("--big-changes", type=int, default=50_000)
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gwgk-bench-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "GWGK_CACHE_DIR": str(work / "cache"), "GWGK_DATA_DIR": str(work / "data"),
               "GWGK_CONFIG_DIR": str(work / "config"),  # not the user's own settings: the same run everywhere
               "GWGK_USER": "bench", "GWGK_TODAY": "2021-11-22"}
        env.pop("GWGK_FILE", None)
        compile_package()
        print(f"python {sys.version.split()[0]}, {args.runs} runs each, medians")
        bench_startup(args.runs, env, work)
        if not args.skip_big:
            bench_big(args.runs, env, work, args.big_tasks, args.big_changes)


if __name__ == "__main__":
    main()
