"""催办 channels end to end against servers on 127.0.0.1 only (an SMTP server from aiosmtpd, an HTTP
server standing in for the 企业微信 and 钉钉 robots), each stopped when its test ends."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwgk_cli.notify.channels import (
    ChannelError,
    EmailChannel,
    SmtpSettings,
    check_webhook_url,
    dingtalk,
    split_message,
    wecom,
)
from gwgk_cli.notify.compose import Reminder, compose
from gwgk_cli.notify.dispatch import dispatch
from gwgk_cli.notify.sendlog import SendLog, log_path

DAY = dt.date(2021, 11, 22)


def reminder(body: str = "任务 4　公开办公室预算决算（未开始）：还剩 39 天\n", unit: str = "行财科") -> Reminder:
    return Reminder(unit=unit, subject=f"【催办】{unit}：黄灯 1 项（2021-11-22）", body=body, task_ids=(4,))


# --- splitting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "parts"),
    [
        ("短消息\n", 100, ["短消息\n"]),
        ("一二三\n四五六\n", 40, ["一二三\n四五六\n"]),
        ("一" * 10 + "\n" + "二" * 10 + "\n", 50, ["一" * 10 + "\n", "（续 2/2）\n" + "二" * 10 + "\n"]),
    ],
)
def test_split_message(text: str, limit: int, parts: list[str]) -> None:
    assert split_message(text, limit) == parts


_PREFIX = "（续 "


def _unnumbered(part: str) -> str:
    return part.split("\n", 1)[1] if part.startswith(_PREFIX) else part


@given(st.lists(st.text(alphabet="政务公开ab1，。 ", max_size=120), max_size=30).map("\n".join),
       st.integers(min_value=40, max_value=400))
def test_split_keeps_everything_in_order_within_the_limit(text: str, limit: int) -> None:
    parts = split_message(text, limit)
    assert all(len(p.encode("utf-8")) <= limit for p in parts)
    assert "".join(_unnumbered(p) for p in parts) == text


@pytest.mark.parametrize("url", ["http://example.com/hook", "ftp://x/y", "https://", "qyapi.weixin.qq.com/x"])
def test_webhooks_must_be_https(url: str) -> None:
    with pytest.raises(ChannelError, match="https://"):
        check_webhook_url(url)


def test_compose_orders_red_then_yellow_then_stale() -> None:
    red = {"id": 5, "title": "公开财政资金", "status": "todo", "status_label": "未开始", "percent": None,
           "signal": "red", "signal_reason": "逾期 3 天"}
    yellow = {"id": 4, "title": "公开预决算", "status": "doing", "status_label": "推进中", "percent": 40,
              "signal": "yellow", "signal_reason": "还剩 9 天"}
    stale = {"id": 7, "title": "持续公开\x1b[2J", "updated": None}
    msg = compose("行财科", [red, yellow], [stale], table_title="2021年政务公开重点工作任务分工",
                  today=DAY, stale_days=30, sender="政务公开指导办")
    assert msg is not None
    assert msg.subject == "【催办】行财科：红灯 1 项，黄灯 1 项，未更新 1 项（2021-11-22）"
    assert msg.body == (
        "行财科：\n"
        "　　根据《2021年政务公开重点工作任务分工》，截至 2021-11-22，贵单位以下任务需抓紧推进，请于收到后及时登记进展：\n"
        "一、红灯任务（1 项）\n"
        "　　任务 5　公开财政资金（未开始）：逾期 3 天\n"
        "二、黄灯任务（1 项）\n"
        "　　任务 4　公开预决算（推进中 40%）：还剩 9 天\n"
        "三、超过 30 天未更新（1 项）\n"
        "　　任务 7　持续公开\\x1b[2J（最近更新：从未登记）\n"
        "政务公开指导办　2021-11-22\n"
    )
    assert msg.task_ids == (5, 4, 7)
    assert compose("文秘科", [], [], table_title="t", today=DAY, stale_days=30) is None


# --- a stand-in robot on 127.0.0.1 -------------------------------------------------------------


class Robot:
    """Records every POST; answers with the next errcode in `answers` (then 0)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.answers: list[int] = []
        self.secret = ""
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?access_token=t0k"


@pytest.fixture
def robot() -> Iterator[Robot]:
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            state.requests.append((self.path, body))
            code = state.answers.pop(0) if state.answers else 0
            if state.secret:
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                ts = query["timestamp"][0]
                expected = base64.b64encode(hmac.new(state.secret.encode(), f"{ts}\n{state.secret}".encode(),
                                                     hashlib.sha256).digest()).decode()
                if query["sign"][0] != expected:
                    code = 310000  # 钉钉: sign not match
            answer = json.dumps({"errcode": code, "errmsg": "ok" if code == 0 else "error"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.server = server
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 1))
        self.now += seconds

    def clock(self) -> float:
        return self.now


def test_wecom_splits_a_long_message_and_spaces_the_posts(robot: Robot) -> None:
    fake = FakeTime()
    channel = wecom(sleep=fake.sleep, clock=fake.clock)
    body = "".join(f"任务 {i}　公开办公室预算决算，按要求完成并登记进展情况\n" for i in range(60))
    detail = channel.send(reminder(body), robot.url)
    contents = [req["text"]["content"] for _, req in robot.requests]
    assert len(contents) > 1 and detail == f"已发送（分 {len(contents)} 条）"
    assert all(len(c.encode("utf-8")) <= 2048 for c in contents)
    assert contents[0].startswith("【催办】行财科")
    assert contents[1].startswith(f"（续 2/{len(contents)}）\n")
    assert all(req["msgtype"] == "text" for _, req in robot.requests)
    assert fake.slept == [3.1] * (len(contents) - 1)  # 20 a minute


def test_wecom_backs_off_on_its_rate_limit_code(robot: Robot) -> None:
    fake = FakeTime()
    robot.answers = [45009, 45009]
    wecom(sleep=fake.sleep, clock=fake.clock).send(reminder(), robot.url)
    assert len(robot.requests) == 3
    assert fake.slept == [60.0, 120.0]  # the pause already spaces the retries


def test_other_error_codes_fail_the_send(robot: Robot) -> None:
    robot.answers = [93000]
    with pytest.raises(ChannelError, match="errcode 93000"):
        wecom(sleep=lambda s: None).send(reminder(), robot.url)


def test_dingtalk_signs_each_request(robot: Robot) -> None:
    robot.secret = "SEC0123456789abcdef"
    channel = dingtalk(sleep=lambda s: None, secrets={robot.url: robot.secret}, wall_clock=lambda: 1637550000.123)
    assert channel.send(reminder(), robot.url) == "已发送"
    path, body = robot.requests[0]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["access_token"] == ["t0k"] and query["timestamp"] == ["1637550000123"]
    assert body["text"]["content"].startswith("【催办】行财科")


def test_dingtalk_with_a_wrong_secret_is_refused_by_the_robot(robot: Robot) -> None:
    robot.secret = "SEC-right"
    channel = dingtalk(sleep=lambda s: None, secrets={robot.url: "SEC-wrong"})
    with pytest.raises(ChannelError, match="310000"):
        channel.send(reminder(), robot.url)


def test_unreachable_robot_is_a_channel_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ChannelError, match="无法连接"):
        wecom(sleep=lambda s: None).send(reminder(), f"http://127.0.0.1:{port}/hook")


# --- e-mail through a local SMTP server --------------------------------------------------------


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[Any]]]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[Any] = []

    class Keep(Message):
        def handle_message(self, message: Any) -> None:
            received.append(message)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Keep(message_class=None), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def _subject(message: Any) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_email_reaches_the_unit(smtp_server: tuple[int, list[Any]]) -> None:
    port, received = smtp_server
    channel = EmailChannel(SmtpSettings(host="127.0.0.1", port=port, sender="zwgk@example.gov.cn"))
    assert channel.send(reminder(), "xck@example.gov.cn") == "已发送"
    assert len(received) == 1
    msg = received[0]
    assert msg["To"] == "xck@example.gov.cn" and msg["From"] == "zwgk@example.gov.cn"
    assert _subject(msg) == "【催办】行财科：黄灯 1 项（2021-11-22）"
    body = message_from_bytes(msg.as_bytes()).get_payload(decode=True).decode("utf-8")
    assert "公开办公室预算决算" in body


def test_dispatch_sends_once_a_day_and_a_failed_channel_does_not_stop_the_others(
        tmp_path: Path, smtp_server: tuple[int, list[Any]], robot: Robot) -> None:
    port, received = smtp_server
    robot.answers = [93000]  # the robot fails the first time
    email = EmailChannel(SmtpSettings(host="127.0.0.1", port=port, sender="zwgk@example.gov.cn"))
    bot = wecom(sleep=lambda s: None)
    log = SendLog(log_path(tmp_path / "tasks_2021.progress.jsonl"))
    targets = {("email", "行财科"): ["xck@example.gov.cn"], ("wecom", "行财科"): [robot.url]}
    reminders = [reminder(), reminder(unit="文秘科")]
    first = dispatch(reminders, [bot, email], targets, log, DAY)
    assert [(o.unit, o.channel, o.status) for o in first] == [
        ("行财科", "wecom", "failed"), ("行财科", "email", "sent"), ("文秘科", "", "no-target")]
    assert len(received) == 1
    # Run again the same day (a new process: the log is read from the file): only the failed one goes.
    again = dispatch(reminders, [bot, email], targets, SendLog(log.path), DAY)
    assert [(o.channel, o.status) for o in again[:2]] == [("wecom", "sent"), ("email", "skipped")]
    assert len(received) == 1
    # The next day both go out again.
    later = dispatch(reminders[:1], [bot, email], targets, SendLog(log.path), DAY + dt.timedelta(days=1))
    assert [o.status for o in later] == ["sent", "sent"]
    lines = [json.loads(line) for line in log.path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5
    assert all("t0k" not in json.dumps(line) for line in lines)  # the robot's token is not logged


# --- who is chased, from the 2021 table --------------------------------------------------------


def test_reminders_go_to_lead_units_red_first(table: Path, gwgk: Any) -> None:
    from gwgk_cli.notify.reminders import build_reminders
    from gwgk_cli.queries import windows_for
    from gwgk_cli.store import load_plan, load_progress

    assert gwgk("--today", "2021-11-22", "note", "4", "已起草", "--percent", "20").exit_code == 0
    plan = load_plan(table)
    states = load_progress(table.with_name("tasks_2021.progress.jsonl"), plan).states
    today = dt.date(2022, 1, 5)  # after the year-end deadlines: the open ones are red
    reminders, unreachable = build_reminders(plan, states, today, windows_for(plan, stale_days=400),
                                             units={"行财科"}, sender="政务公开指导办")
    assert [r.unit for r in reminders] == ["行财科"]
    assert reminders[0].subject == "【催办】行财科：红灯 1 项（2022-01-05）"
    assert "任务 4　公开办公室预算决算（推进中 20%）：逾期 5 天" in reminders[0].body
    assert unreachable == []  # filtered to one unit: collective tasks are not reported for it
    everyone, unreachable = build_reminders(plan, states, today, windows_for(plan, stale_days=400))
    assert "行财科" in [r.unit for r in everyone]
    assert all(r.unit not in plan.collective_units for r in everyone)
    assert unreachable  # tasks only 各相关科室 holds cannot be chased by message
