"""`gwgk remind --send`: the channels and targets from the user's config and the task table, and the
send itself under the send log's lock (two scheduled runs at once still send a reminder only once).

Where each piece comes from (README, 督办):

- unit e-mail addresses: the table's `units: email` (plan data, versioned with the table), overridden
  per unit by `gwgk config set email.<单位> …`;
- the SMTP server: `smtp.host/port/security/user/from` in the config; the password from the environment
  variable GWGK_SMTP_PASSWORD, else the system keyring (service `gwgk-smtp`, the smtp.user as the name)
  when the optional `keyring` package is importable; never from a gwgk file;
- group robots: `wecom.<单位>` / `dingtalk.<单位>` in the config, else `wecom.default` /
  `dingtalk.default`; 钉钉 加签 secrets `dingtalk_secret.<单位>`, else `dingtalk_secret.default`.
  Webhook URLs carry access tokens, so they are personal settings, never in the shared task table.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gwgk_cli.errors import BadValue
from gwgk_cli.model import Plan
from gwgk_cli.notify.compose import Reminder
from gwgk_cli.notify.dispatch import Channel, Outcome

PASSWORD_ENV = "GWGK_SMTP_PASSWORD"
KEYRING_SERVICE = "gwgk-smtp"
KEYRING_DEADLINE = 30.0  # seconds the system keyring may take to answer
CHANNEL_LABELS = {"email": "邮件", "wecom": "企业微信", "dingtalk": "钉钉"}
STATUS_LABELS = {"sent": "已发送", "skipped": "跳过", "failed": "失败", "no-target": "未发送", "interrupted": "中断"}


def _sleep(seconds: float) -> None:
    """The pause between posts to one robot (a module function, so tests can replace it)."""
    time.sleep(seconds)


@dataclass(slots=True)
class Delivery:
    """What `--send` will use: the channels, each unit's targets on them, and notes for the user."""

    channels: list[Channel] = field(default_factory=list)
    targets: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def smtp_password(user: str) -> str:
    """GWGK_SMTP_PASSWORD, else the system keyring when the `keyring` package is installed, else "".
    BadValue when the keyring does not answer within KEYRING_DEADLINE."""
    password = os.environ.get(PASSWORD_ENV, "")
    if password or not user:
        return password
    try:
        import keyring  # type: ignore[import-not-found]  # optional: never a dependency of gwgk
    except ImportError:
        return ""
    from gwgk_cli.notify.channels import DeadlineExceeded, within

    try:  # a locked keyring may wait for someone to unlock it, and a scheduled run has no one
        found = within(KEYRING_DEADLINE, lambda: keyring.get_password(KEYRING_SERVICE, user))
    except DeadlineExceeded:
        raise BadValue(f"系统钥匙串 {KEYRING_DEADLINE:g} 秒内没有给出 SMTP 密码（钥匙串锁着，在等人解锁？）；"
                       f"未发送任何消息。定时任务请改用环境变量 {PASSWORD_ENV}") from None
    except Exception:  # no backend, a locked keyring: as if nothing were stored
        return ""
    return found if isinstance(found, str) else ""


def _unit_value(plan: Plan, values: Mapping[str, str | int], section: str, unit: str, *,
                default: bool = True) -> str:
    """config `<section>.<unit>` (the unit's name or one of its aliases), else `<section>.default`
    ("" when neither)."""
    known = plan.unit(unit)
    for name in known.names if known else (unit,):
        if f"{section}.{name}" in values:
            return str(values[f"{section}.{name}"])
    return str(values.get(f"{section}.default", "")) if default else ""


def mailboxes(addresses: Sequence[str]) -> list[str]:
    """The addresses, one per mailbox: Zhang@x.cn and zhang@X.CN are one (the domain is case-insensitive by
    the standard; the local part too at every Chinese mail service), the first spelling kept."""
    seen: set[str] = set()
    out: list[str] = []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


def destinations(plan: Plan, values: Mapping[str, str | int], unit: str) -> str:
    """Where --send would send the unit's message, for the preview (robots named, their addresses not: a
    webhook address holds its key): 邮件 a@x.cn；企业微信机器人（本单位）."""
    from gwgk_cli.config import split_addresses

    out: list[str] = []
    configured = _unit_value(plan, values, "email", unit, default=False)
    known = plan.unit(unit)
    addresses = mailboxes(split_addresses(str(configured)) if configured else list(known.email if known else ()))
    if addresses:
        out.append(f"邮件 {'、'.join(addresses)}" + ("" if values.get("smtp.host") else "（未配置 smtp.host，不会发出）"))
    for name, label in (("wecom", "企业微信机器人"), ("dingtalk", "钉钉机器人")):
        if _unit_value(plan, values, name, unit, default=False):
            out.append(f"{label}（本单位）")
        elif _unit_value(plan, values, name, unit):
            out.append(f"{label}（{name}.default）")
    return "；".join(out) or "未配置任何渠道，不会发出（gwgk config set email.单位 地址，或 wecom.单位 / dingtalk.单位 机器人地址）"


def delivery(plan: Plan, values: Mapping[str, str | int], units: Sequence[str]) -> Delivery:
    """Channels and targets for these units. BadValue (nothing sent) when no channel is configured at
    all, or when the SMTP server is configured incompletely."""
    from gwgk_cli.config import split_addresses
    from gwgk_cli.notify.channels import EmailChannel, RateBudget, SmtpSettings, dingtalk, wecom

    out = Delivery()
    emails: dict[str, list[str]] = {}
    for unit in units:
        configured = _unit_value(plan, values, "email", unit, default=False)
        known = plan.unit(unit)
        addresses = split_addresses(str(configured)) if configured else list(known.email if known else ())
        if addresses:
            emails[unit] = mailboxes(addresses)
    host = str(values.get("smtp.host", ""))
    if host:
        security = str(values.get("smtp.security", "none"))
        user = str(values.get("smtp.user", ""))
        sender = str(values.get("smtp.from", "")) or user
        if not sender:
            raise BadValue("已配置 smtp.host，但没有发件人：请 gwgk config set smtp.from 地址（或 smtp.user）")
        password = smtp_password(user)
        if user and not password:
            raise BadValue(f"已配置 smtp.user，但找不到密码：请设环境变量 {PASSWORD_ENV}，"
                           f"或存入系统钥匙串（keyring set {KEYRING_SERVICE} {user}）")
        port = values.get("smtp.port")
        settings = SmtpSettings(host=host, port=port if isinstance(port, int) else (465 if security == "ssl" else 25),
                                security=security, user=user, sender=sender, password=password)
        out.channels.append(EmailChannel(settings))
        for unit, addresses in emails.items():
            out.targets[("email", unit)] = addresses
    elif emails:
        out.notes.append(f"{'、'.join(emails)} 有电子邮件地址，但未配置 smtp.host，未发邮件")
    budget = RateBudget()  # one bound on the rate-limit pauses of the whole run, every robot together
    robots = {"wecom": wecom(sleep=_sleep, budget=budget), "dingtalk": dingtalk(sleep=_sleep, budget=budget)}
    for name, channel in robots.items():
        used = False
        for unit in units:
            url = _unit_value(plan, values, name, unit)
            if not url:
                continue
            used = True
            out.targets[(name, unit)] = [url]
            if name == "dingtalk":
                secret = _unit_value(plan, values, "dingtalk_secret", unit)
                if secret:
                    channel.secrets[url] = secret
        if used:
            out.channels.append(channel)
    if not out.channels:
        raise BadValue("发送渠道尚未配置：邮件请 gwgk config set smtp.host …（单位邮箱写在任务表 units 的 email "
                       "或 email.<单位>），群机器人请 gwgk config set wecom.default / dingtalk.default 地址")
    return out


def send(reminders: Sequence[Reminder], how: Delivery, journal: Path, today: dt.date) -> list[Outcome]:
    """Every reminder through every channel with a target for its unit, once a day (the send log beside
    the journal: sendlog.log_files), under the log's lock: a second run started meanwhile waits and then
    skips what went."""
    from filelock import FileLock, Timeout

    from gwgk_cli.errors import JournalError
    from gwgk_cli.notify.dispatch import dispatch
    from gwgk_cli.notify.sendlog import SendLog, log_files

    files = log_files(journal)
    path = files.own
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(files.lock), timeout=600):
            try:  # the log must take a line before anything is sent: a message sent and not recorded
                with path.open("ab"):  # would go out again on the next run
                    pass
            except OSError as exc:
                raise JournalError(f"{path}: 无法写入发送记录：{exc.strerror or exc}；未发送任何消息") from None
            return dispatch(reminders, how.channels, how.targets, SendLog(path, files.read), today)
    except Timeout:
        raise JournalError(f"{path}: 等待发送记录的锁超时（另一个 gwgk remind --send 正在发送？）") from None
    except OSError as exc:
        raise JournalError(f"{path}: 无法写入发送记录：{exc.strerror or exc}") from None


def outcome_rows(outcomes: Sequence[Outcome]) -> list[list[str]]:
    """单位 | 渠道 | 发往 | 结果 | 说明: webhook targets shown by host and fingerprint, never their token."""
    from gwgk_cli.notify.sendlog import target_key

    rows = []
    for o in outcomes:
        status = STATUS_LABELS.get(o.status, o.status)
        rows.append([o.unit, CHANNEL_LABELS.get(o.channel, o.channel or "—"), target_key(o.target) if o.target else "—",
                     status, "" if o.detail == status else o.detail])
    return rows


OUTCOME_HEADERS = ["单位", "渠道", "发往", "结果", "说明"]


def interrupted_line(outcomes: Sequence[Outcome], pending: int) -> str:
    """The one line for Ctrl-C during --send: what went, what did not (the send log says the same)."""
    sent = sum(o.status == "sent" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    text = f"已中断：本次已发送 {sent} 条"
    if skipped:
        text += f"，今日已发送而跳过 {skipped} 条"
    if failed:
        text += f"，失败 {failed} 条"
    for o in outcomes:
        if o.status == "interrupted":
            text += f"，发往{o.unit}的{CHANNEL_LABELS.get(o.channel, o.channel)}消息发送中被中断（可能已送达）"
    text += f"，未发送 {pending} 条；发送记录已如实记下，再次运行 gwgk remind --send 会补发未发送的。"
    return text
