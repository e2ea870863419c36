"""Whole-process timings of a journal directory against the single file (a benchmark, not a test).

    python benchmarks/journal_dir_bench.py [--runs 7] [--tasks 10000 --changes 50000 --writers 4]

The generated table and journal (benchmarks/generate.py) are used twice: as one file, and split over
`--writers` files of a journal directory (each file in order, as its writer appended it). Timed, as
medians of --runs whole processes after one warm-up: `gwgk list --unit U` (piped; the single file is
cached, the directory too: both answered from the index), `gwgk note N …` (the write decides on the
tasks it touches in every file), and `list --unit U` right after a note (the index brings in the
appended line, in the file and the directory alike). For the directory, also `list --unit U` right after a
sync client replaced one writer's file by an older copy (its last 100 lines lost) or put the whole file back
(lines recorded before others already indexed): not an append, so the index re-reads that file (before
this session: every file) and re-merges. The merged order is checked to equal the file's order.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import journal_lines, table_text  # noqa: E402


def gwgk_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("gwgk")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "gwgk_cli"]


def median_time(args: list[str], env: dict[str, str], runs: int) -> float:
    subprocess.run(args, env=env, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_after(before: list[str] | Callable[[int], object], args: list[str], env: dict[str, str],
                 runs: int) -> float:
    """`args` timed each time right after an untimed `before` (a command or a function of the run's
    number, which changes the journal)."""
    times = []
    for n in range(runs):
        if callable(before):
            before(n)
        else:
            subprocess.run(before, env=env, check=True, capture_output=True)
        start = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=50_000)
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()
    rng = random.Random(2021)
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        lines = journal_lines(args.tasks, args.changes, rng)
        table = table_text(args.tasks, rng)
        for mode in ("file", "directory"):
            folder = Path(tmp) / mode
            folder.mkdir()
            (folder / "tasks.yaml").write_text(table, encoding="utf-8")
            if mode == "file":
                (folder / "tasks.progress.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            else:
                directory = folder / "tasks.progress"
                directory.mkdir()
                for w in range(args.writers):
                    mine = lines[w :: args.writers]
                    (directory / f"写入者{w}@PC-{w}.jsonl").write_text("\n".join(mine) + "\n", encoding="utf-8")
            env = {**os.environ, "GWGK_FILE": str(folder / "tasks.yaml"), "GWGK_TODAY": "2021-12-31",
                   "GWGK_CACHE_DIR": str(folder / "cache"), "GWGK_USER": "基准", "GWGK_HOST": "PC-B"}
            unit = json.loads(subprocess.run([*gwgk_cmd(), "units", "--format", "json"], env=env, check=True,
                                             capture_output=True).stdout)[0]["name"]
            results[mode] = (
                median_time([*gwgk_cmd(), "list", "--unit", unit], env, args.runs),
                median_time([*gwgk_cmd(), "note", "7", "基准进展"], env, args.runs),
                median_after([*gwgk_cmd(), "note", "8", "基准进展"], [*gwgk_cmd(), "list", "--unit", unit], env,
                             args.runs),
            )
            if mode == "directory":
                replaced = directory / "写入者0@PC-0.jsonl"
                whole = replaced.read_bytes()
                older = b"".join(whole.splitlines(keepends=True)[:-100])

                def sync_client(n: int, path: Path = replaced, versions: tuple[bytes, bytes] = (older, whole)) -> None:
                    tmp = path.with_name(path.name + ".tmp")  # as a sync client saves: a new file renamed over
                    tmp.write_bytes(versions[n % 2])
                    os.replace(tmp, path)

                replace_time = median_after(sync_client, [*gwgk_cmd(), "list", "--unit", unit], env, args.runs)
                sync_client(1)  # the whole file again
                from gwgk_cli.journal import read_entries

                ids = [e.id for e in read_entries(folder / "tasks.progress.jsonl")[0]][: len(lines)]
                assert ids == [json.loads(x)["id"] for x in lines], "merged order differs from the file's"
        for mode, (listing, note, after) in results.items():
            print(f"{mode:9}  list --unit: {listing * 1000:7.0f} ms   note: {note * 1000:7.0f} ms   "
                  f"list --unit after a note: {after * 1000:7.0f} ms")
        print(f"directory  list --unit after one file was replaced (older copy, then the whole file again): "
              f"{replace_time * 1000:7.0f} ms")
        f, d = results["file"], results["directory"]
        print(f"directory / file: list {d[0] / f[0]:.2f}×, note {d[1] / f[1]:.2f}×, list after a note {d[2] / f[2]:.2f}× "
              f"({args.tasks} tasks, {args.changes} changes, {args.writers} files)")


if __name__ == "__main__":
    main()
