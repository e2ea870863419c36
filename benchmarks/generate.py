"""Write a large synthetic task table and journal for the benchmarks.

    python benchmarks/generate.py --tasks 10000 --changes 50000 --out DIR

writes DIR/tasks.yaml (schema version 1, 5 sections, 20 units) and DIR/tasks.progress.jsonl
(one change per line: status changes and notes, dated within the plan year).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

SECTIONS = ["聚焦重点领域深化政务公开", "聚焦解读回应深化政务公开", "聚焦工作基础深化政务公开",
            "聚焦条例落实深化政务公开", "聚焦监督保障深化政务公开"]
UNITS = ["政务公开指导办", "政府网站", "行财科", "文秘科", "秘书一室", "会务联络科", "市政府办公室",
         "督查科", "法制科", "信息科", "综合科", "秘书二室", "秘书三室", "机关党委", "人事科",
         "接待科", "应急办", "研究室", "金融办", "各相关科室"]
DEADLINES = ["年底前", "持续推进", "6月底前", "9月底前", "三季度", "11月30日前"]


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def table_text(n: int, rng: random.Random) -> str:
    out = ["schema_version: 1", "meta:", "  title: 基准测试任务表", "  issuer: 基准测试",
           "  published: 2021-09-10", "  year: 2021", "units:"]
    for name in UNITS:
        out.append(f"  - name: {name}")
        if name == "各相关科室":
            out.append("    collective: true")
    out.append("sections:")
    for i, title in enumerate(SECTIONS, 1):
        out += [f'  - "no": {i}', f"    title: {title}", "    subsections:"]
        for j in range(1, 5):
            out += [f'      - "no": {j}', f"        title: 小节{i}-{j}"]
    out.append("tasks:")
    for tid in range(1, n + 1):
        units = rng.sample(UNITS[:-1], rng.randint(1, 3))
        if rng.random() < 0.1:
            units.append("各相关科室")
        out += [
            f"  - id: {tid}",
            f"    section: {rng.randint(1, 5)}",
            f"    subsection: {rng.randint(1, 4)}",
            f"    title: 基准任务{tid}",
            f"    requirement: {q('做好第' + str(tid) + '项政务公开工作,及时公开相关信息,接受社会监督。')}",
            f"    units: [{', '.join(units)}]",
            f"    deadline: {rng.choice(DEADLINES)}",
        ]
    return "\n".join(out) + "\n"


def journal_lines(n_tasks: int, n_changes: int, rng: random.Random) -> list[str]:
    status = dict.fromkeys(range(1, n_tasks + 1), "todo")
    start = dt.date(2021, 9, 10)
    lines = []
    for k in range(n_changes):
        tid = rng.randint(1, n_tasks)
        day = start + dt.timedelta(days=k * 100 // max(1, n_changes))
        rec: dict[str, object] = {"id": f"{k:012x}", "at": f"{day}T09:00:00+08:00", "date": str(day),
                                  "by": rng.choice(["张三", "李四", "王五"]), "task": tid}
        if rng.random() < 0.5:
            to = rng.choice(["doing", "done", "blocked", "doing"])
            if to == status[tid]:
                to = "doing" if to != "doing" else "done"
            rec.update({"op": "status", "from": status[tid], "to": to})
            if to == "blocked":
                rec["note"] = "等待协调"
            status[tid] = to
        else:
            rec.update({"op": "note", "percent": rng.randint(0, 100), "note": f"第{k}次进展登记"})
        lines.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=50_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tasks.yaml").write_text(table_text(args.tasks, rng), encoding="utf-8")
    lines = journal_lines(args.tasks, args.changes, rng)
    (args.out / "tasks.progress.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'tasks.yaml'} ({args.tasks} tasks) and tasks.progress.jsonl ({args.changes} changes)")


if __name__ == "__main__":
    main()
