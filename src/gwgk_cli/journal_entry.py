"""The journal's entries as values: one line's change (Entry), a line that cannot be used
(JournalWarning) and where it is, and the views of entries every reader shares (history order, the
JSON record). Reading, checking and appending the file is journal.py's job; show and log need only this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from gwgk_cli.model import Status
from gwgk_cli.state import chronological


def instant(at: str) -> dt.datetime | None:
    """An entry's recording time `at` as an instant (no offset: taken as UTC); None when it is not a
    date-time. The one reading of `at`: a directory's merge order, the clock checks, doctor."""
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when


@dataclass(frozen=True)
class Entry:
    """One journal line: who recorded what change to which task, when."""

    id: str
    at: str  # when it was recorded (ISO date-time with offset)
    date: dt.date  # when it happened (--date), never later than the day it was recorded
    by: str
    task: int
    op: str
    from_status: Status | None = None
    to_status: Status | None = None
    percent: int | None = None
    note: str = ""
    evidence: str = ""
    undoes: str = ""
    unit: str = ""  # accept: the unit that acknowledged the task
    due: dt.date | None = None  # extend: the new due date
    approved_by: str = ""  # extend: who approved the extension (empty: not approved)
    result: str = ""  # review: pass | return
    source: str = ""  # where it came from when not typed (a 填报表: gwgk_cli.sheet_source.format_source)
    batch: str = ""  # the changes one command made of several tasks (done 26,27) share it: `undo` reverts them together
    lineno: int = 0  # the line in the journal; in a journal directory, the place in the merged order (journal_dir)
    origin: str = ""  # journal directory only: the file it was read from (its line: origin_line)
    origin_line: int = 0

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "id": self.id,
            "at": self.at,
            "date": self.date.isoformat(),
            "by": self.by,
            "task": self.task,
            "op": self.op,
        }
        if self.from_status is not None:
            data["from"] = self.from_status.value
        if self.to_status is not None:
            data["to"] = self.to_status.value
        if self.percent is not None:
            data["percent"] = self.percent
        if self.note:
            data["note"] = self.note
        if self.evidence:
            data["evidence"] = self.evidence
        if self.undoes:
            data["undoes"] = self.undoes
        if self.unit:
            data["unit"] = self.unit
        if self.due is not None:
            data["due"] = self.due.isoformat()
        if self.approved_by:
            data["approved_by"] = self.approved_by
        if self.result:
            data["result"] = self.result
        if self.source:
            data["source"] = self.source
        if self.batch:
            data["batch"] = self.batch
        import json

        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class JournalWarning(NamedTuple):
    """A journal line that cannot be used, and where it is (path:line). (A NamedTuple: a dataclass costs
    start-up time, and show and log load this module.)"""

    path: str
    lineno: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.lineno}: {self.message}"


def warning_at(path: str, entry: Entry, message: str) -> JournalWarning:
    """A warning about one entry, at its line (in its own file, when read from a journal directory)."""
    if entry.origin:
        return JournalWarning(entry.origin, entry.origin_line, message)
    return JournalWarning(path, entry.lineno, message)


def line_ref(entry: Entry) -> str:
    """“第 N 行”, or “文件名 第 N 行” for an entry read from a journal directory."""
    if entry.origin:
        return f"{Path(entry.origin).name} 第 {entry.origin_line} 行"
    return f"第 {entry.lineno} 行"


# --------------------------------------------------------------------------- repeated ids
#
# The one rule for an entry id found more than once (every reader follows it: a single file, a journal
# directory's merge, the index, join, doctor, undo): the same id with the same content (the same Entry,
# wherever it is) is one entry, a copy a sync client or a union merge made, counted once, where it is met
# first (file order; a directory's recording order). The same id with different content (a hand edit, two
# branches merged) is two entries, both in force as they stand, as a single file has always read them;
# `doctor` names both, `journal join` and `undo ID` refuse them (an undo names an id: it reverts both).


def same_content(a: Entry, b: Entry) -> bool:
    """The same change, wherever each was read (line, file)."""
    return replace(a, lineno=0, origin="", origin_line=0) == replace(b, lineno=0, origin="", origin_line=0)


class Seen:
    """The entries met so far, by id: which of the next ones is a copy of one met before (same id, same
    content). The usual entry's id is new: one dictionary call; contents are compared only for a repeat."""

    def __init__(self) -> None:
        self.first: dict[str, Entry] = {}
        self.others: dict[str, list[Entry]] = {}  # the id's later entries with other contents

    def copy_of(self, entry: Entry) -> Entry | None:
        """The entry met before that `entry` is a copy of, else None (and `entry` is met)."""
        first = self.first.setdefault(entry.id, entry)
        if first is entry:
            return None
        others = self.others.setdefault(entry.id, [])
        for earlier in (first, *others):
            if same_content(earlier, entry):
                return earlier
        others.append(entry)
        return None


def unique(entries: Iterable[Entry], copies: list[tuple[Entry, Entry]] | None = None) -> list[Entry]:
    """The entries less every copy of an earlier one (see above); `copies` collects (copy, the original)."""
    entries = list(entries)
    if len({e.id for e in entries}) == len(entries):
        return entries  # the usual journal: every id once
    seen = Seen()
    out = []
    for entry in entries:
        original = seen.copy_of(entry)
        if original is None:
            out.append(entry)
        elif copies is not None:
            copies.append((entry, original))
    return out


def repeated_ids(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """The ids that name more than one entry (after `unique`: entries with different contents), each with
    its entries in the order given."""
    by_id: dict[str, list[Entry]] = {}
    for entry in entries:
        by_id.setdefault(entry.id, []).append(entry)
    return {k: v for k, v in by_id.items() if len(v) > 1}


def history(entries: Iterable[Entry], as_of: dt.date | None = None) -> list[Entry]:
    """Every entry dated on or before `as_of`, newest first: the replay order, reversed."""
    return chronological(e for e in entries if as_of is None or e.date <= as_of)[::-1]


def entry_record(entry: Entry, titles: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The JSON shape of one history entry (gwgk log --format json)."""
    return {
        "id": entry.id,
        "at": entry.date.isoformat(),
        "recorded_at": entry.at,
        "by": entry.by,
        "task": entry.task,
        "title": (titles or {}).get(entry.task, ""),
        "op": entry.op,
        "from": entry.from_status.value if entry.from_status else None,
        "to": entry.to_status.value if entry.to_status else None,
        "percent": entry.percent,
        "note": entry.note,
        "evidence": entry.evidence or None,
        "undoes": entry.undoes or None,
        "unit": entry.unit or None,
        "due": entry.due.isoformat() if entry.due else None,
        "approved_by": entry.approved_by or None,
        "result": entry.result or None,
        "source": entry.source or None,
    }
