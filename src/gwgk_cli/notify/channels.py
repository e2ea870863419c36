"""The channels a 催办 message travels by: e-mail over SMTP, 企业微信 群机器人 and 钉钉 自定义机器人.

Each channel sends one Reminder to one target (an address or a webhook) and raises ChannelError with
a Chinese reason when it cannot. Webhook messages longer than the service accepts are split at line
boundaries into numbered parts; consecutive posts to one robot are spaced to stay under its rate limit
(20 a minute for both services), and a rate-limit answer (企业微信 errcode 45009, 钉钉 130101/410100)
is retried after a pause. The pauses are counted per robot (per webhook address), not per message, and
all of a run's pauses draw on one RateBudget: when it is spent, a robot that still answers "rate
limited" gets no more posts in this run (its remaining messages are failed rows, sent by the next run).
Every request (an HTTP post, a whole SMTP conversation) has an overall deadline, not only a timeout per
socket read: a server that trickles its answer byte by byte cannot hold the run. Sleeping and the
clock are injectable so tests never wait.
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
from typing import Any, TypeVar

from gwgk_cli.notify.compose import Reminder

T = TypeVar("T")

REQUEST_DEADLINE = 60.0  # seconds for one webhook post, connection to the last byte of the answer
SMTP_DEADLINE = 180.0  # seconds for one e-mail, connection to QUIT
RATE_WAIT_BUDGET = 600.0  # seconds a run may spend in all in rate-limit pauses, every robot together


class ChannelError(Exception):
    """A send that failed: the reason, in Chinese, for the send log and the summary."""


class DeadlineExceeded(Exception):
    """`within` gave up waiting."""


def within(seconds: float, work: Callable[[], T]) -> T:
    """work() in a worker thread, waited for at most `seconds`: DeadlineExceeded when it is not done by
    then (the thread is a daemon and is left to end by itself; its socket keeps its own per-read timeout).
    Its exceptions are raised here. A socket timeout bounds each read, not the whole exchange."""
    import threading

    result: list[T] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # handed to the caller, whatever it is
            error.append(exc)

    worker = threading.Thread(target=run, name="gwgk-send", daemon=True)
    worker.start()
    end = time.monotonic() + seconds
    while worker.is_alive():  # short joins: Ctrl-C is seen at once on every platform
        left = end - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded
        worker.join(min(left, 0.25))
    if error:
        raise error[0]
    return result[0]


def scrub(text: str, *secrets: str) -> str:
    """`text` with each secret (a password, a webhook's token) replaced by “…”: a server's error message may
    echo what it was sent, and that message goes to the screen and the send log."""
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "…")
    return text


def url_secrets(url: str) -> list[str]:
    """The parts of a webhook address that may be its token: each query value and each long path segment."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return [url]
    values = [v for _, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)]
    return [*values, *(seg for seg in parts.path.split("/") if len(seg) >= 16), url]


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
    timeout: float = 20.0  # each socket operation
    deadline: float | None = None  # the whole conversation; None: SMTP_DEADLINE

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
        accepted: list[bool] = []

        def talk() -> dict[str, tuple[int, bytes]]:
            context = ssl.create_default_context()
            if s.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                if s.security == "starttls":
                    client.starttls(context=context)
                if s.user:
                    client.login(s.user, s.password)
                refused = client.send_message(msg)
                accepted.append(True)
            except BaseException:
                client.close()
                raise
            try:  # the server has taken the message: a failed goodbye must not make it a failure (sent again)
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()
            return refused

        limit = SMTP_DEADLINE if s.deadline is None else s.deadline
        try:
            refused = within(limit, talk)
        except DeadlineExceeded:
            if accepted:
                return "已发送"
            raise ChannelError(f"SMTP 服务器 {limit:g} 秒内未完成发送（应答过慢），已放弃；"
                               "邮件可能已发出，下次运行会再发") from None
        except smtplib.SMTPAuthenticationError:
            raise ChannelError("SMTP 登录失败（用户名或密码不对）") from None
        except UnicodeEncodeError:  # smtplib logs in with ASCII only
            raise ChannelError("SMTP 用户名或密码含非 ASCII 字符（如中文或全角字符），无法登录；请核对") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"SMTP 发送失败：{network_reason(exc, smtp=True)}") from None
        if refused:
            raise ChannelError(f"收件人被拒收：{', '.join(refused)}")
        return "已发送"

    def send_parts(self, reminder: Reminder, target: str, done: int, on_part: PartSent) -> str:
        """An e-mail is never split: the same as send."""
        return self.send(reminder, target)


def network_reason(exc: BaseException, *, smtp: bool = False) -> str:
    """Why a connection or a mail server failed, in Chinese with what to check (the system's English words,
    `[Errno 111] Connection refused` or `[SSL: WRONG_VERSION_NUMBER]`, told a clerk nothing)."""
    import smtplib
    import socket
    import ssl

    where = "：请核对 smtp.host 和 smtp.port" if smtp else "：请核对地址"
    if isinstance(exc, smtplib.SMTPNotSupportedError) or "STARTTLS extension not supported" in str(exc):
        return "服务器不支持 STARTTLS：smtp.security 可能应为 ssl 或 none"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return "发件人被服务器拒绝：smtp.from 一般须为登录的邮箱"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return ("服务器断开了连接：端口与加密方式可能不符（465 端口用 smtp.security ssl，587 或 25 端口用 starttls）"
                if smtp else "服务器断开了连接")
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"服务器拒绝（代码 {exc.smtp_code}：{text.strip()[:80]}）"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "服务器证书无法验证（证书过期或自签名，或本机日期时间不对）"
    if isinstance(exc, ssl.SSLError):
        if "WRONG_VERSION_NUMBER" in str(exc) or "wrong version number" in str(exc):
            return ("加密方式不符：服务器在这个端口不用 SSL，smtp.security 可能应为 starttls 或 none" if smtp
                    else "加密方式不符：这个地址不是 HTTPS 服务")
        return f"加密连接失败（{exc.reason or exc}）"
    if isinstance(exc, socket.gaierror):
        return "找不到服务器（主机名无法解析）" + where + "，或检查网络和 DNS"
    if isinstance(exc, ConnectionRefusedError):
        return "服务器拒绝连接（地址或端口不对，或服务未开启）" + where
    if isinstance(exc, TimeoutError):
        return "连接超时（网络不通，或被防火墙拦截）" + where
    if isinstance(exc, ConnectionResetError):
        return "连接被对方断开（可能被防火墙或代理拦截）"
    if isinstance(exc, OSError) and exc.strerror:
        return f"网络错误（{exc.strerror}）" + where
    return f"网络错误（{type(exc).__name__}：{exc}）"


PartSent = Callable[[int, int], None]  # (parts sent so far, parts in all): record it in the send log


Post = Callable[[str, bytes], dict[str, Any]]


def http_post_json(url: str, body: bytes, deadline: float | None = None) -> dict[str, Any]:
    """POST JSON (UTF-8) and read the JSON answer, all of it within `deadline` seconds (REQUEST_DEADLINE
    unless given; each socket read also times out after 15 s)."""
    import http.client
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})

    def exchange() -> bytes:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - https checked before
            data: bytes = response.read(1_000_000)
            return data

    limit = REQUEST_DEADLINE if deadline is None else deadline
    try:
        raw = within(limit, exchange)
    except DeadlineExceeded:
        raise ChannelError(f"{limit:g} 秒内未收到完整应答（服务器应答过慢），已放弃；"
                           "这条消息可能已送达，下次运行会再发") from None
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ChannelError(f"无法连接：{network_reason(reason) if isinstance(reason, BaseException) else reason}"
                           ) from None
    except (ValueError, http.client.HTTPException) as exc:  # InvalidURL, a bad port: never the URL (its token)
        raise ChannelError(f"无法发送：{type(exc).__name__}") from None
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: “[[[[…” nested past Python's limit
        raise ChannelError("应答不是 JSON") from None
    if not isinstance(answer, dict):
        raise ChannelError("应答不是 JSON 对象")
    return answer


@dataclass(slots=True)
class RateBudget:
    """The seconds a run may still spend pausing for rate limits, shared by every robot of the run."""

    left: float = RATE_WAIT_BUDGET
    spent: float = 0.0


@dataclass(slots=True)
class WebhookChannel:
    """A group robot: one POST per part, spaced, and paused on the service's rate-limit answers. The pauses
    grow per robot (per webhook address) with each rate-limit answer in a row from it (60 s, 120 s,
    300 s); once a robot has answered rate-limited after the last of them, or the run's RateBudget is
    spent, it gets no more posts in this run."""

    name: str
    limit_bytes: int
    rate_codes: frozenset[int]
    interval: float = 3.1  # 20 messages a minute
    backoff: tuple[float, ...] = (60.0, 120.0, 300.0)
    post: Post = http_post_json
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    secrets: dict[str, str] = field(default_factory=dict)  # url -> signing secret (钉钉 加签)
    budget: RateBudget = field(default_factory=RateBudget)
    _last: dict[str, float] = field(default_factory=dict)
    _strikes: dict[str, int] = field(default_factory=dict)  # url -> rate-limit answers in a row
    _given_up: dict[str, str] = field(default_factory=dict)  # url -> why it gets no more posts this run

    def payload(self, text: str) -> bytes:
        return json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode("utf-8")

    def signed_url(self, url: str) -> str:
        return url

    def send(self, reminder: Reminder, target: str) -> str:
        return self.send_parts(reminder, target, 0, lambda sent, total: None)

    def send_parts(self, reminder: Reminder, target: str, done: int, on_part: PartSent) -> str:
        """The message's parts after the first `done` (sent by an earlier run, as the send log says), calling
        on_part(k, n) after part k of n went (but the last: the whole message is then recorded as sent). A
        part that fails names the parts already sent; the next run starts at it."""
        check_webhook_url(target)
        parts = split_message(f"{reminder.subject}\n{reminder.body}", self.limit_bytes)
        total = len(parts)
        if not 0 <= done < total:
            done = 0
        for i in range(done, total):
            try:
                self._post_spaced(target, self.payload(parts[i]))
            except ChannelError as exc:
                if total == 1:
                    raise
                went = f"前 {i} 条已发送，下次从第 {i + 1} 条续发" if i else "下次从第 1 条发"
                raise ChannelError(f"第 {i + 1}/{total} 条：{exc}（{went}）") from None
            if i + 1 < total:
                on_part(i + 1, total)
        if total == 1:
            return "已发送"
        return f"已发送（分 {total} 条）" if not done else f"已发送（分 {total} 条，前 {done} 条此前已发，本次续发其余）"

    def _post_spaced(self, url: str, body: bytes) -> None:
        while True:
            if url in self._given_up:
                raise ChannelError(self._given_up[url])
            last = self._last.get(url)
            if last is not None:
                wait = self.interval - (self.clock() - last)
                if wait > 0:
                    self.sleep(wait)
            answer = self.post(self.signed_url(url), body)
            self._last[url] = self.clock()
            code = answer.get("errcode", 0)
            if code == 0:
                self._strikes.pop(url, None)
                return
            if code not in self.rate_codes:
                raise ChannelError(scrub(f"errcode {code}: {str(answer.get('errmsg', ''))[:80]}", *url_secrets(url)))
            strikes = self._strikes.get(url, 0)
            if strikes >= len(self.backoff) or self.budget.left <= 0:
                self._given_up[url] = (f"机器人持续限流（errcode {code}），本次运行已为限流共等待 "
                                       f"{self.budget.spent:.0f} 秒，不再等待；发往这个机器人的其余消息留待下次运行发送")
                raise ChannelError(self._given_up[url])
            pause = min(self.backoff[strikes], self.budget.left)
            self._strikes[url] = strikes + 1
            self.budget.left -= pause
            self.budget.spent += pause
            self.sleep(pause)


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
