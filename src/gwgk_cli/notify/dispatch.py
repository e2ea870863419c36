"""Every reminder through every channel that has a target for its unit. A failure is recorded and
reported; it never stops the other units or channels. A split message resumes at the first part the
send log does not record as sent (sendlog's module docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from gwgk_cli.notify.channels import ChannelError, PartSent
from gwgk_cli.notify.compose import Reminder
from gwgk_cli.notify.sendlog import Attempt, SendLog, message_key


class Channel(Protocol):
    name: str

    def send_parts(self, reminder: Reminder, target: str, done: int, on_part: PartSent) -> str: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one message on one channel."""

    unit: str
    channel: str
    target: str
    status: str  # sent | skipped | failed | no-target | interrupted
    detail: str


INTERRUPTED = "发送中被中断（可能已送达，下次运行会再发）"


class Interrupted(Exception):
    """Ctrl-C during a send: the outcomes so far (the one in flight last, status interrupted, recorded in
    the log as not sent) and how many messages were not tried."""

    def __init__(self, outcomes: list[Outcome], pending: int) -> None:
        super().__init__("interrupted")
        self.outcomes = outcomes
        self.pending = pending


def dispatch(reminders: Sequence[Reminder], channels: Sequence[Channel],
             targets: Mapping[tuple[str, str], Sequence[str]], log: SendLog, today: dt.date) -> list[Outcome]:
    """`targets[(channel name, unit)]` are the unit's addresses or webhooks on that channel. Interrupted
    (Ctrl-C) stops at once, with the log true: every message that went is recorded, the one in flight is
    recorded as not sent."""
    jobs: list[tuple[Reminder, Channel | None, str]] = []
    for reminder in reminders:
        mine = [(reminder, channel, target) for channel in channels
                for target in targets.get((channel.name, reminder.unit), ())]
        jobs += mine or [(reminder, None, "")]
    out: list[Outcome] = []
    for n, (reminder, channel, target) in enumerate(jobs):
        try:
            if channel is None:
                out.append(Outcome(reminder.unit, "", "", "no-target", "未配置联系方式"))
                continue
            out.append(_send_one(reminder, channel, target, log, today))
        except KeyboardInterrupt:
            raise Interrupted(out, sum(c is not None for _, c, _ in jobs[n + 1:])) from None
        except _InFlight as stop:
            out.append(stop.outcome)
            raise Interrupted(out, sum(c is not None for _, c, _ in jobs[n + 1:])) from None
    return out


class _InFlight(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__("interrupted")
        self.outcome = outcome


def _send_one(reminder: Reminder, channel: Channel, target: str, log: SendLog, today: dt.date) -> Outcome:
    unit, name = reminder.unit, channel.name
    if log.sent_today(today, unit, name, target):
        return Outcome(unit, name, target, "skipped", "今日已发送，不再重复")
    text = message_key(reminder.subject, reminder.body)

    def on_part(sent: int, total: int) -> None:
        part = Attempt(today, unit, name, target, reminder.subject, False, f"第 {sent}/{total} 条已发送",
                       part=sent, parts=total, text=text)
        try:
            log.record(part)
        except KeyboardInterrupt:  # the part went: recorded before the run stops
            log.record(part)
            raise

    try:
        detail = channel.send_parts(reminder, target, log.parts_sent(today, unit, name, target, text), on_part)
        ok = True
    except ChannelError as exc:
        detail, ok = str(exc), False
    except KeyboardInterrupt:
        log.record(Attempt(today, unit, name, target, reminder.subject, False, INTERRUPTED))
        raise _InFlight(Outcome(unit, name, target, "interrupted", INTERRUPTED)) from None
    done = Outcome(unit, name, target, "sent" if ok else "failed", detail)
    attempt = Attempt(today, unit, name, target, reminder.subject, ok, detail)
    try:
        log.record(attempt)
    except KeyboardInterrupt:  # the message went: the log must say so before the run stops (at worst the
        log.record(attempt)  # line is there twice, which reads the same)
        raise _InFlight(done) from None
    return done
