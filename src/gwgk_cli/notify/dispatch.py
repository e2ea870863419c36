"""Every reminder through every channel that has a target for its unit. A failure is recorded and
reported; it never stops the other units or channels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from gwgk_cli.notify.channels import ChannelError
from gwgk_cli.notify.compose import Reminder
from gwgk_cli.notify.sendlog import Attempt, SendLog


class Channel(Protocol):
    name: str

    def send(self, reminder: Reminder, target: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one message on one channel."""

    unit: str
    channel: str
    target: str
    status: str  # sent | skipped | failed | no-target
    detail: str


def dispatch(reminders: Sequence[Reminder], channels: Sequence[Channel],
             targets: Mapping[tuple[str, str], Sequence[str]], log: SendLog, today: dt.date) -> list[Outcome]:
    """`targets[(channel name, unit)]` are the unit's addresses or webhooks on that channel."""
    out: list[Outcome] = []
    for reminder in reminders:
        reached = False
        for channel in channels:
            for target in targets.get((channel.name, reminder.unit), ()):
                reached = True
                if log.sent_today(today, reminder.unit, channel.name, target):
                    out.append(Outcome(reminder.unit, channel.name, target, "skipped", "今日已发送，不再重复"))
                    continue
                try:
                    detail = channel.send(reminder, target)
                    ok = True
                except ChannelError as exc:
                    detail, ok = str(exc), False
                log.record(Attempt(today, reminder.unit, channel.name, target, reminder.subject, ok, detail))
                out.append(Outcome(reminder.unit, channel.name, target, "sent" if ok else "failed", detail))
        if not reached:
            out.append(Outcome(reminder.unit, "", "", "no-target", "未配置联系方式"))
    return out
