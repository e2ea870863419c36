"""`gwgk doctor`: a PC whose clock is wrong, seen in the journal's recording times (`at`).

Recording order (journal_dir.merge) follows `at`, and a new entry is always recorded after every entry
it was decided on: when the writer's clock is not later than the latest `at` it has seen, its `at` is
moved to one second after it (journal_dir._after_seen). That is what keeps a change that builds on
another merged after it whatever the clocks say, and what keeps a PC's appended lines above everything
indexed (the index's append-only path); so it stays. Its cost is that one PC whose clock runs ahead
(a day, a year) pulls every later entry of every PC after it: their `at` is pushed to its time plus a
second. Nothing is reordered wrongly, but the recording times are not true, so doctor says which file
it comes from:

- entries recorded in the future (`at` more than FUTURE_SLACK after now), one line per file: the file
  whose own clock is ahead (its first such line), and the files whose entries were only pushed after it;
- a file whose entries other PCs' entries were pushed past (the `at` of a line from another file is
  exactly one second after the latest one, which is this file's, or one pushed past it in a chain), at
  least AHEAD_PUSHES times, by PCs whose own clocks (their latest `at` not pushed) were at least
  AHEAD_GAP behind: this PC's clock ran ahead of theirs when it recorded them.
A single journal file is written by one PC at a time under its lock and nothing is pushed: only the
first check applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from gwgk_cli.journal_entry import Entry, instant

FUTURE_SLACK = dt.timedelta(minutes=10)  # clocks a few minutes apart are not worth a line
_SECOND = dt.timedelta(seconds=1)
# Another file's entries pushed past this file's before it is named, each from a PC whose own last `at` (not
# pushed) was at least AHEAD_GAP behind: clerks on an SMB share recording within the same seconds push each
# other's lines too, but their own clocks agree; a clock that runs ahead pushes every line recorded by the
# others until their clocks pass it, while theirs stay behind.
AHEAD_PUSHES = 2
AHEAD_GAP = dt.timedelta(minutes=1)  # how far behind the pushed PC's own clock was, at least


def clock_problems(merged: Sequence[Entry], path: str, now: dt.datetime | None = None) -> list[str]:
    """doctor's lines about recording times, for the journal's entries in recording order (a directory's:
    merged, each with its `origin`; `path`: the single file's)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    latest: tuple[dt.datetime, Entry] | None = None
    pushed: dict[str, list[tuple[Entry, Entry]]] = {}  # file -> (its entry, another file's entry pushed after it)
    future: dict[str, list[tuple[Entry, bool]]] = {}  # file -> (entry recorded in the future, was it pushed)
    root: dict[str, tuple[dt.datetime, Entry]] = {}  # a pushed entry's id -> the chain's first entry (not pushed)
    natural: dict[str, dt.datetime] = {}  # file -> its latest `at` that was not pushed: that PC's own clock
    instants: dict[str, dt.datetime | None] = {}  # many entries share an `at` (one command, one second)
    for e in merged:
        t = instants[e.at] if e.at in instants else instants.setdefault(e.at, instant(e.at))
        if t is None:
            continue
        here = e.origin or path
        was_pushed = latest is not None and t.replace(microsecond=0) == (latest[0] + _SECOND).replace(microsecond=0)
        if latest is not None and was_pushed:
            # Pushed past the latest entry, itself perhaps pushed past another: the chain's first entry is the
            # one whose clock ran ahead (a PC behind it stays pushed, one second a line, until its clock catches up).
            start = root.get(latest[1].id, latest)
            root[e.id] = start
            own = natural.get(here)
            # Its PC's own clock said, at its last line not pushed, at least AHEAD_GAP less than the chain's start:
            # not two PCs (or processes) recording within the same seconds on clocks that agree.
            if (start[1].origin or path) != here and own is not None and start[0] - own >= AHEAD_GAP:
                pushed.setdefault(start[1].origin or path, []).append((start[1], e))
        else:
            natural[here] = t
        if t > now + FUTURE_SLACK:
            future.setdefault(here, []).append((e, was_pushed))
        if latest is None or t > latest[0]:
            latest = (t, e)
    now_text = now.astimezone().replace(microsecond=0).isoformat()
    out: list[str] = []
    sources = {f for f, found in future.items() if not all(p for _, p in found)}
    for file, found in future.items():
        first = next((e for e, p in found if not p), found[0][0])
        n = len(found)
        where = f"{file}:{_line(first)}"
        if file in sources:
            out.append(f"{where}: 登记时间 {first.at} 晚于现在（{now_text}），写入此文件的电脑时钟快了（此文件共 {n} 条记录的"
                       "登记时间在未来）；此后各电脑的新记录都排在它之后，登记时间被顺延；请校准该电脑的时钟")
        else:
            names = "、".join(sorted(Path(s).name for s in sources)) or "其他文件"
            out.append(f"{where}: {n} 条记录的登记时间在未来（晚于现在 {now_text}），是排在 {names} 的未来时间记录之后被顺延的，"
                       "不是本机时钟的问题")
    for file, pairs in pushed.items():
        if file in sources or len(pairs) < AHEAD_PUSHES:
            continue  # said above; or two clerks on a share recording within one second of each other
        others = sorted({Path(p.origin or path).name for _, p in pairs})
        first = pairs[0][0]
        out.append(f"{file}:{_line(first)}: 此文件的登记时间比其他电脑快：{'、'.join(others)} 有 {len(pairs)} 条记录在它之后登记、"
                   f"本机时间却更早，已顺延排在其后（首个：登记时间 {first.at}）；请核对写入此文件的电脑的时钟")
    return out


def _line(e: Entry) -> int:
    return e.origin_line if e.origin else e.lineno
