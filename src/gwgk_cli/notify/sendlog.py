"""The send log: one JSON line per attempt (when, to which unit, by which channel and target, what, the
result), beside the journal so that PCs sharing the journal share it too. A reminder that went out to a
target today is not sent there again today (a cron job or the Windows task scheduler may run `gwgk
remind --send` as often as it likes).

Beside a journal file it is one file, `tasks_2021.remind-log.jsonl`, locked by a lock file beside it.
Beside a journal directory (PCs sharing a synced folder) it is a directory like the journal's,
`tasks_2021.remind-log/`, one file per PC (`<user>@<host>.jsonl`, locked on the PC itself) and all of them
read: a lock file in a synced folder locks nothing across PCs, and two PCs appending to one file make
conflict copies whose lines would be lost to the once-a-day rule (conflict copies are read too)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Attempt:
    """One recorded delivery attempt."""

    day: dt.date
    unit: str
    channel: str
    target: str
    subject: str
    ok: bool
    detail: str


def log_path(journal: Path) -> Path:
    """`tasks_2021.progress.jsonl` -> `tasks_2021.remind-log.jsonl`, in the same folder."""
    stem = journal.name.split(".progress")[0] if ".progress" in journal.name else journal.stem
    return journal.with_name(f"{stem}.remind-log.jsonl")


class LogFiles(NamedTuple):
    """Where this PC records its attempts, the lock it takes for that, and every file to read."""

    own: Path
    lock: Path
    read: list[Path]


def log_files(journal: Path) -> LogFiles:
    """The send log of this journal (a file, or a directory of them): see the module's docstring."""
    from gwgk_cli.journal_dir import directory_files, directory_for, local_lock_for, writer_file

    path = log_path(journal)
    folder = path.with_name(path.name.removesuffix(".jsonl"))
    # The other form's log is read too: after `journal split` (or `join`) today's sends stay sent.
    per_pc = directory_files(folder) if folder.is_dir() else []
    if directory_for(journal) is None:
        return LogFiles(path, path.with_name(path.name + ".lock"), [path, *per_pc])
    own = writer_file(folder)
    read = per_pc if own in per_pc else [own, *per_pc]
    return LogFiles(own, local_lock_for(own), [*read, path] if path.is_file() else read)


def target_key(target: str) -> str:
    """Webhook URLs carry access tokens: the log keeps a fingerprint of them, not the token."""
    if target.startswith(("http://", "https://")):
        import hashlib
        import urllib.parse

        try:
            host = urllib.parse.urlsplit(target).hostname or "?"
        except ValueError:  # a broken address (refused before sending): still one key, never the token
            host = "?"
        return f"{host}#{hashlib.sha256(target.encode()).hexdigest()[:12]}"
    return target


def _sent_in(paths: Sequence[Path]) -> set[tuple[str, str, str, str]]:
    """(day, unit, channel, target key) of every successful attempt these log files record."""
    sent: set[tuple[str, str, str, str]] = set()
    data = b""
    for path in paths:
        try:
            data += (path.read_bytes() + b"\n") if path.is_file() else b""
        except OSError:
            pass
    for raw in data.splitlines():
        try:
            rec: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue  # a damaged line never stops reminders; it only cannot prevent a resend
        if isinstance(rec, dict) and rec.get("ok") is True:
            sent.add((str(rec.get("day")), str(rec.get("unit")), str(rec.get("channel")), str(rec.get("target"))))
    return sent


class SendLog:
    """The attempts recorded in `path` (and in `others`: other PCs' logs), and appending to `path`."""

    def __init__(self, path: Path, others: Sequence[Path] = ()) -> None:
        self.path = path
        self.others = [p for p in others if p != path]
        self._sent: set[tuple[str, str, str, str]] | None = None

    def _load(self) -> set[tuple[str, str, str, str]]:
        """What this log (and the others, as they were when first read) records as sent."""
        if self._sent is None:
            self._sent = _sent_in((self.path, *self.others))
        return self._sent

    def sent_today(self, day: dt.date, unit: str, channel: str, target: str) -> bool:
        key = (day.isoformat(), unit, channel, target_key(target))
        if key in self._load():
            return True
        # Another PC may be sending the same reminders right now: its log is read again before each send.
        return bool(self.others) and key in _sent_in(self.others)

    def record(self, attempt: Attempt) -> None:
        rec: dict[str, object] = {"at": dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
               "day": attempt.day.isoformat(), "unit": attempt.unit, "channel": attempt.channel,
               "target": target_key(attempt.target), "subject": attempt.subject, "ok": attempt.ok,
               "detail": attempt.detail}
        line = (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")
        with self.path.open("ab") as fh:
            start = fh.tell()
            try:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
            except OSError:
                fh.truncate(start)  # a failed append leaves the log as it was
                raise
        if attempt.ok:
            self._load().add((attempt.day.isoformat(), attempt.unit, attempt.channel, target_key(attempt.target)))
