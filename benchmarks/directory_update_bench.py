"""The index update alone after a sync client replaced one file of a journal directory (a benchmark, not a test).

    python benchmarks/directory_update_bench.py [--rounds 3] [--tasks 10000 --changes 50000 --writers 4]

The generated journal (benchmarks/generate.py) is spread over --writers files of a journal directory and
indexed. Then, each round, one writer's file is replaced (a new file renamed over it, as a sync client
saves) by an older copy of itself (its last 100 lines lost), and the index brought up to date, timed; then
the whole file is put back (lines recorded before others already indexed), timed again. Prints the medians.
Run it with PYTHONPATH naming the code to time (an older export of src to compare, as git archive gives it).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import journal_lines, table_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=50_000)
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rng = random.Random(2021)
        lines = journal_lines(args.tasks, args.changes, rng)
        (root / "tasks.yaml").write_text(table_text(args.tasks, rng), encoding="utf-8")
        directory = root / "tasks.progress"
        directory.mkdir()
        for w in range(args.writers):
            (directory / f"w{w}@PC-{w}.jsonl").write_text("\n".join(lines[w::args.writers]) + "\n", encoding="utf-8")
        os.environ["GWGK_CACHE_DIR"] = str(root / "cache")
        from gwgk_cli.index import Index
        from gwgk_cli.journal_dir import directory_files

        def refresh() -> float:
            idx = Index.open(root / "tasks.yaml")
            try:
                idx.refresh_table()
                start = time.perf_counter()
                idx.refresh_journals(directory_files(directory), merged=True)
                return time.perf_counter() - start
            finally:
                idx.close()

        refresh()
        replaced = directory / f"w{args.writers // 2}@PC-{args.writers // 2}.jsonl"
        whole = replaced.read_bytes()
        older = b"".join(whole.splitlines(keepends=True)[:-100])
        times: dict[str, list[float]] = {"older copy": [], "whole file again": []}
        for _ in range(args.rounds):
            for name, data in (("older copy", older), ("whole file again", whole)):
                tmp_file = replaced.with_name(replaced.name + ".tmp")
                tmp_file.write_bytes(data)
                os.replace(tmp_file, replaced)
                times[name].append(refresh())
        print("  ".join(f"{name}: {statistics.median(v) * 1000:.0f} ms" for name, v in times.items())
              + f"  ({args.tasks} tasks, {args.changes} changes, {args.writers} files, median of {args.rounds})")


if __name__ == "__main__":
    main()
