"""The channels a 催办 message travels by: e-mail over SMTP, 企业微信 群机器人 and 钉钉 自定义机器人.

Each channel sends one Reminder to one target (an address or a webhook) and raises ChannelError with
a Chinese reason when it cannot. Webhook messages longer than the service accepts are split at line
boundaries into numbered parts; consecutive posts to one robot are spaced to stay under its rate limit
(20 a minute for both services), and a rate-limit answer (企业微信 errcode 45009, 钉钉 130101/410100)
is retried after a pause. Sleeping and the clock are injectable so tests never wait.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gwgk_cli.notify.compose import Reminder


class ChannelError(Exception):
    """A send that failed: the reason, in Chinese, for the send log and the summary."""


def split_message(text: str, limit: int) -> list[str]:
    """Parts of at most `limit` UTF-8 bytes, cut at line ends (a longer line at character boundaries),
    each after the first numbered “（续 2/3）”, so nothing is lost and the order is plain."""
    room = limit - len("（续 99/99）\n".encode())
    if room < 16:
        raise ValueError("limit too small")
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > room:  # a line longer than a whole part: cut it
            cut = len(line.encode()[:room].decode("utf-8", "ignore"))
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:cut])
            line = line[cut:]
        if len((current + line).encode()) > room:
            parts.append(current)
            current = ""
        current += line
    if current or not parts:
        parts.append(current)
    if len(parts) == 1:
        return parts
    return [part if i == 0 else f"（续 {i + 1}/{len(parts)}）\n{part}" for i, part in enumerate(parts)]


def check_webhook_url(url: str) -> str:
    """A webhook must be https with a host and nothing broken in it (config.webhook_problem)."""
    from gwgk_cli.config import webhook_problem

    why = webhook_problem(url)
    if why:
        raise ChannelError("此" + why.removeprefix("的"))
    return url


@dataclass(slots=True)
class SmtpSettings:
    """How to reach the SMTP server (host, port, security, login)."""

    host: str
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    user: str = ""
    sender: str = ""
    password: str = ""  # resolved from the environment or the keyring, never from gwgk's files
    timeout: float = 20.0

    def __post_init__(self) -> None:
        if self.security not in ("none", "starttls", "ssl"):
            raise ValueError(f"smtp.security 应为 none、starttls 或 ssl，实际是 {self.security!r}")


@dataclass(slots=True)
class EmailChannel:
    """Sends 催办 messages by e-mail."""

    settings: SmtpSettings
    name: str = "email"

    def send(self, reminder: Reminder, target: str) -> str:
        import smtplib
        import ssl
        from email.message import EmailMessage
        from email.utils import formatdate, make_msgid

        s = self.settings
        msg = EmailMessage()
        msg["Subject"] = reminder.subject
        msg["From"] = s.sender or s.user
        msg["To"] = target
        msg["Date"] = formatdate(localtime=True)
        msg["Message-ID"] = make_msgid(domain="gwgk.local")
        msg.set_content(reminder.body, charset="utf-8")
        try:
            context = ssl.create_default_context()
            if s.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            with client:
                if s.security == "starttls":
                    client.starttls(context=context)
                if s.user:
                    client.login(s.user, s.password)
                refused = client.send_message(msg)
        except smtplib.SMTPAuthenticationError:
            raise ChannelError("SMTP 登录失败（用户名或密码不对）") from None
        except UnicodeEncodeError:  # smtplib logs in with ASCII only
            raise ChannelError("SMTP 用户名或密码含非 ASCII 字符（如中文或全角字符），无法登录；请核对") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"SMTP 发送失败：{exc}") from None
        if refused:
            raise ChannelError(f"收件人被拒收：{', '.join(refused)}")
        return "已发送"


Post = Callable[[str, bytes], dict[str, Any]]


def http_post_json(url: str, body: bytes) -> dict[str, Any]:
    """POST JSON (UTF-8) and read the JSON answer."""
    import http.client
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - https checked before
            raw = response.read(1_000_000)
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ChannelError(f"无法连接：{getattr(exc, 'reason', exc)}") from None
    except (ValueError, http.client.HTTPException) as exc:  # InvalidURL, a bad port: never the URL (its token)
        raise ChannelError(f"无法发送：{type(exc).__name__}") from None
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ChannelError("应答不是 JSON") from None
    if not isinstance(answer, dict):
        raise ChannelError("应答不是 JSON 对象")
    return answer


@dataclass(slots=True)
class WebhookChannel:
    """A group robot: one POST per part, spaced and retried on the service's rate-limit answers."""

    name: str
    limit_bytes: int
    rate_codes: frozenset[int]
    interval: float = 3.1  # 20 messages a minute
    backoff: tuple[float, ...] = (60.0, 120.0, 300.0)
    post: Post = http_post_json
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    secrets: dict[str, str] = field(default_factory=dict)  # url -> signing secret (钉钉 加签)
    _last: dict[str, float] = field(default_factory=dict)

    def payload(self, text: str) -> bytes:
        return json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode("utf-8")

    def signed_url(self, url: str) -> str:
        return url

    def send(self, reminder: Reminder, target: str) -> str:
        check_webhook_url(target)
        parts = split_message(f"{reminder.subject}\n{reminder.body}", self.limit_bytes)
        for part in parts:
            self._post_spaced(target, self.payload(part))
        return "已发送" if len(parts) == 1 else f"已发送（分 {len(parts)} 条）"

    def _post_spaced(self, url: str, body: bytes) -> None:
        for attempt in range(len(self.backoff) + 1):
            last = self._last.get(url)
            if last is not None:
                wait = self.interval - (self.clock() - last)
                if wait > 0:
                    self.sleep(wait)
            answer = self.post(self.signed_url(url), body)
            self._last[url] = self.clock()
            code = answer.get("errcode", 0)
            if code == 0:
                return
            if code in self.rate_codes and attempt < len(self.backoff):
                self.sleep(self.backoff[attempt])
                continue
            raise ChannelError(f"errcode {code}: {str(answer.get('errmsg', ''))[:80]}")


def wecom(**kwargs: Any) -> WebhookChannel:
    """企业微信 群机器人: text content at most 2048 bytes; 20 messages a minute (errcode 45009)."""
    return WebhookChannel(name="wecom", limit_bytes=2048, rate_codes=frozenset({45009}), **kwargs)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


@dataclass(slots=True)
class DingTalkChannel(WebhookChannel):
    """Sends 催办 messages to a 钉钉 group robot webhook."""

    wall_clock: Callable[[], float] = time.time

    def signed_url(self, url: str) -> str:
        secret = self.secrets.get(url)
        if not secret:
            return url
        ts = int(self.wall_clock() * 1000)
        return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={dingtalk_sign(secret, ts)}"


def dingtalk(**kwargs: Any) -> DingTalkChannel:
    """钉钉 自定义机器人: 20 messages a minute, then throttled (errcode 130101, 410100); text kept under
    4,000 bytes so a message stays readable on a phone."""
    return DingTalkChannel(name="dingtalk", limit_bytes=4000, rate_codes=frozenset({130101, 410100}), **kwargs)
