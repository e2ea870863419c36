"""The send log: one JSON line per attempt (when, to which unit, by which channel and target, what, the
result), beside the journal so that PCs sharing the journal share it too. A reminder that went out to a
target today is not sent there again today (a cron job or the Windows task scheduler may run `gwgk
remind --send` as often as it likes).

Beside a journal file it is one file, `tasks_2021.remind-log.jsonl`, locked by a lock file beside it.
Beside a journal directory (PCs sharing a synced folder) it is a directory like the journal's,
`tasks_2021.remind-log/`, one file per PC (`<user>@<host>.jsonl`, locked on the PC itself) and all of them
read: a lock file in a synced folder locks nothing across PCs, and two PCs appending to one file make
conflict copies whose lines would be lost to the once-a-day rule (conflict copies are read too).

A message split into parts (a long reminder to a group robot) has a line for each part that went but the
last (`"part": k, "parts": n, "text": <fingerprint of the message>`, `"ok": false`: the message is not
complete yet); a later run the same day with the same text resumes at part k + 1 rather than posting the
first parts again. The last part's line is the message's ordinary `"ok": true` line.

E-mail addresses are kept in lower case: one mailbox is one target however the address is capitalised
(the domain is case-insensitive by the standard, and every Chinese mail service treats the local part
so too)."""

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
    part: int = 0  # a split message: parts sent so far (0: the whole message's attempt)
    parts: int = 0
    text: str = ""  # message_key of the message, with part


def message_key(subject: str, body: str) -> str:
    """A fingerprint of a message's text: a resumed split message must be the same message."""
    import hashlib

    return hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()[:16]


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
    return target.lower() if "@" in target else target


Key = tuple[str, str, str, str]  # day, unit, channel, target key


class Recorded(NamedTuple):
    """What the log files say: the messages sent, and the parts of split messages sent so far."""

    sent: set[Key]
    parts: dict[tuple[str, str, str, str, str], int]  # (day, unit, channel, target key, text) -> parts sent


def _recorded(paths: Sequence[Path]) -> Recorded:
    """Every successful attempt these log files record, and the parts of split messages."""
    out = Recorded(set(), {})
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
        if not isinstance(rec, dict):
            continue
        target = str(rec.get("target"))
        key = (str(rec.get("day")), str(rec.get("unit")), str(rec.get("channel")),
               target.lower() if "@" in target else target)  # an address logged before keys were lower case
        if rec.get("ok") is True:
            out.sent.add(key)
        part = rec.get("part")
        if type(part) is int and part > 0 and isinstance(rec.get("text"), str):
            where = (*key, rec["text"])
            out.parts[where] = max(part, out.parts.get(where, 0))
    return out


def _sent_in(paths: Sequence[Path]) -> set[Key]:
    """(day, unit, channel, target key) of every successful attempt these log files record."""
    return _recorded(paths).sent


class SendLog:
    """The attempts recorded in `path` (and in `others`: other PCs' logs), and appending to `path`."""

    def __init__(self, path: Path, others: Sequence[Path] = ()) -> None:
        self.path = path
        self.others = [p for p in others if p != path]
        self._seen: Recorded | None = None

    def _load(self) -> Recorded:
        """What this log (and the others, as they were when first read) records."""
        if self._seen is None:
            self._seen = _recorded((self.path, *self.others))
        return self._seen

    def sent_today(self, day: dt.date, unit: str, channel: str, target: str) -> bool:
        key = (day.isoformat(), unit, channel, target_key(target))
        if key in self._load().sent:
            return True
        # Another PC may be sending the same reminders right now: its log is read again before each send.
        return bool(self.others) and key in _sent_in(self.others)

    def parts_sent(self, day: dt.date, unit: str, channel: str, target: str, text: str) -> int:
        """How many parts of this split message (its message_key `text`) went to the target today."""
        where = (day.isoformat(), unit, channel, target_key(target), text)
        found = self._load().parts.get(where, 0)
        if self.others:
            found = max(found, _recorded(self.others).parts.get(where, 0))
        return found

    def record(self, attempt: Attempt) -> None:
        rec: dict[str, object] = {"at": dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
               "day": attempt.day.isoformat(), "unit": attempt.unit, "channel": attempt.channel,
               "target": target_key(attempt.target), "subject": attempt.subject, "ok": attempt.ok,
               "detail": attempt.detail}
        if attempt.part:
            rec.update(part=attempt.part, parts=attempt.parts, text=attempt.text)
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
        key = (attempt.day.isoformat(), attempt.unit, attempt.channel, target_key(attempt.target))
        if attempt.ok:
            self._load().sent.add(key)
        if attempt.part:
            parts, where = self._load().parts, (*key, attempt.text)
            parts[where] = max(attempt.part, parts.get(where, 0))
