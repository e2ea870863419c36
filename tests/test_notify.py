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
    return Reminder(unit=unit, subject=f"【催办】{unit}：黄灯 1 项（2021年11月22日）", body=body, task_ids=(4,))


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


@pytest.mark.parametrize("url", [
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4 -8aef",  # a space pasted inside
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6\n-8aef",
    "http://[::1/x?key=693a91f6",  # urllib cannot parse it
])
def test_a_broken_webhook_address_is_refused_without_showing_its_token(url: str) -> None:
    """A paste that broke the address is a channel error naming the host only (the query is the token),
    not a traceback from http.client that prints the whole address."""
    with pytest.raises(ChannelError) as caught:
        check_webhook_url(url)
    assert "693a91f6" not in str(caught.value) and "webhook 地址" in str(caught.value)


def test_config_set_refuses_a_broken_webhook_address(gwgk: Any, table: Path) -> None:
    result = gwgk("config", "set", "wecom.default", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6 -8aef")
    assert result.exit_code == 2 and "空格" in result.stderr and "693a91f6" not in result.output


def test_compose_orders_red_then_yellow_then_stale() -> None:
    red = {"id": 5, "title": "公开财政资金", "status": "todo", "status_label": "未开始", "percent": None,
           "signal": "red", "signal_reason": "逾期 3 天"}
    yellow = {"id": 4, "title": "公开预决算", "status": "doing", "status_label": "推进中", "percent": 40,
              "signal": "yellow", "signal_reason": "还剩 9 天"}
    stale = {"id": 7, "title": "持续公开\x1b[2J", "updated": None}
    msg = compose("行财科", [red, yellow], [stale], table_title="2021年政务公开重点工作任务分工",
                  today=DAY, stale_days=30, sender="政务公开指导办")
    assert msg is not None
    assert msg.subject == "【催办】行财科：红灯 1 项，黄灯 1 项，未更新 1 项（2021年11月22日）"
    assert msg.body == (
        "行财科：\n"
        "　　根据《2021年政务公开重点工作任务分工》，截至2021年11月22日，贵单位以下任务需抓紧推进，请于收到后及时登记进展：\n"
        "一、红灯任务（1 项）\n"
        "　　任务 5　公开财政资金（未开始）：逾期 3 天\n"
        "二、黄灯任务（1 项）\n"
        "　　任务 4　公开预决算（推进中 40%）：还剩 9 天\n"
        "三、超过 30 天未更新（1 项）\n"
        "　　任务 7　持续公开\\x1b[2J（最近更新：从未登记）\n"
        "政务公开指导办　2021年11月22日\n"
    )
    assert msg.task_ids == (5, 4, 7)
    assert compose("文秘科", [], [], table_title="t", today=DAY, stale_days=30) is None


# --- a stand-in robot on 127.0.0.1 -------------------------------------------------------------


class Robot:
    """Records every POST; answers with the next errcode in `answers` (then 0)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.answers: list[int] = []
        self.secret = ""  # checked on 钉钉's path (/robot/send)
        self.failing: dict[str, int] = {}  # path prefix -> the errcode it always answers
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
            code = next((c for prefix, c in state.failing.items() if self.path.startswith(prefix)), code)
            if state.secret and self.path.startswith("/robot/"):
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
    assert _subject(msg) == "【催办】行财科：黄灯 1 项（2021年11月22日）"
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
    from gwgk_cli.queries import thresholds_for
    from gwgk_cli.store import load_plan, load_progress

    assert gwgk("--today", "2021-11-22", "note", "4", "已起草", "--percent", "20").exit_code == 0
    plan = load_plan(table)
    states = load_progress(table.with_name("tasks_2021.progress.jsonl"), plan).states
    today = dt.date(2022, 1, 5)  # after the year-end deadlines: the open ones are red
    reminders, unreachable = build_reminders(plan, states, today, thresholds_for(plan, stale_days=400),
                                             units={"行财科"}, sender="政务公开指导办")
    assert [r.unit for r in reminders] == ["行财科"]
    assert reminders[0].subject == "【催办】行财科：红灯 1 项（2022年1月5日）"
    assert "任务 4　公开办公室预算决算（推进中 20%）：逾期 5 天" in reminders[0].body
    assert unreachable == []  # filtered to one unit: collective tasks are not reported for it
    everyone, unreachable = build_reminders(plan, states, today, thresholds_for(plan, stale_days=400))
    assert "行财科" in [r.unit for r in everyone]
    assert all(r.unit not in plan.collective_units for r in everyone)
    assert unreachable  # tasks only 各相关科室 holds cannot be chased by message


# --- remind --send through the CLI, configured with gwgk config --------------------------------

REMIND_DAY = "2022-01-05"  # after the year-end deadlines: every open task with one is red
SECRET = "SEC0123456789abcdef"


def _rows(stdout: str) -> list[list[str]]:
    """The outcome table's rows (after the header and its rule), cells split on runs of spaces."""
    lines = stdout.splitlines()
    return [line.split() for line in lines[2:] if line and not line.startswith("已发送")]


@pytest.fixture
def configured(gwgk: Any, table: Path, smtp_server: tuple[int, list[Any]], robot: Robot,
               monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """smtp.* to the local SMTP server, 行财科's address overridden in config, every unit to one 企业微信
    robot (wecom.default) and 政府网站 also to a signed 钉钉 robot; pauses recorded, never slept."""
    port, received = smtp_server
    slept: list[float] = []
    monkeypatch.setattr("gwgk_cli.notify.send._sleep", slept.append)
    base = robot.url.split("/robot/")[0]
    settings = [("smtp.host", "127.0.0.1"), ("smtp.port", str(port)), ("smtp.from", "zwgk@example.gov.cn"),
                ("email.行财科", "xck@example.gov.cn, xck2@example.gov.cn"),
                ("wecom.default", f"{base}/cgi-bin/webhook/send?key=wxKEY"),
                ("dingtalk.政府网站", f"{base}/robot/send?access_token=t0k"), ("dingtalk_secret.政府网站", SECRET)]
    for key, value in settings:
        result = gwgk("config", "set", key, value)
        assert result.exit_code == 0, result.output
    robot.secret = SECRET
    return {"received": received, "robot": robot, "slept": slept}


def _posts(robot: Robot, prefix: str) -> list[str]:
    return [body["text"]["content"] for path, body in robot.requests if path.startswith(prefix)]


def test_remind_send_end_to_end(gwgk: Any, configured: dict[str, Any]) -> None:
    robot, received = configured["robot"], configured["received"]
    result = gwgk("--today", REMIND_DAY, "remind", "--stale-days", "400", "--send")
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    # Seven units to chase: each to the default 企业微信 robot; 行财科 also by e-mail to its two addresses
    # (config over the table, which has none), 政府网站 also to its own 钉钉 robot.
    assert [(r[0], r[1], r[3]) for r in rows if r[0] in ("行财科", "政府网站")] == [
        ("政府网站", "企业微信", "已发送"), ("政府网站", "钉钉", "已发送"),
        ("行财科", "邮件", "已发送"), ("行财科", "邮件", "已发送"), ("行财科", "企业微信", "已发送")]
    assert [r[2] for r in rows if r[1] == "邮件"] == ["xck@example.gov.cn", "xck2@example.gov.cn"]
    assert len(rows) == 10 and all(r[3] == "已发送" for r in rows)
    assert "wxKEY" not in result.stdout and "t0k" not in result.stdout  # tokens never printed
    assert result.stdout.splitlines()[-1] == ("已发送 10 条，今日已发送而跳过 0 条，失败 0 条。"
                                              "任务 7、8、9、11、12、13、22 只写明集体单位，无法按单位催办。")
    assert sorted(m["To"] for m in received) == ["xck2@example.gov.cn", "xck@example.gov.cn"]
    assert {_subject(m) for m in received} == {"【催办】行财科：红灯 1 项（2022年1月5日）"}
    body = message_from_bytes(received[0].as_bytes()).get_payload(decode=True).decode("utf-8")
    assert "任务 4　公开办公室预算决算（未开始）：逾期 5 天" in body
    wecom_posts = _posts(robot, "/cgi-bin/webhook/send?key=wxKEY")
    assert [p.splitlines()[0] for p in wecom_posts] == [
        "【催办】政务公开指导办：红灯 8 项（2022年1月5日）", "【催办】政府网站：红灯 2 项（2022年1月5日）",
        "【催办】行财科：红灯 1 项（2022年1月5日）", "【催办】“放管服”改革和营商环境监督科：红灯 1 项（2022年1月5日）",
        "【催办】秘书一室：红灯 2 项（2022年1月5日）", "【催办】会务联络科：红灯 1 项（2022年1月5日）",
        "【催办】市政府办公室：红灯 1 项（2022年1月5日）"]
    assert configured["slept"] and all(s <= 3.1 for s in configured["slept"])  # posts to one robot spaced
    # 钉钉: signed with the configured secret (the stand-in answers 310000 to a wrong signature).
    ding = [(path, body) for path, body in robot.requests if path.startswith("/robot/")]
    assert len(ding) == 1
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(ding[0][0]).query)
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{query['timestamp'][0]}\n{SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["sign"] == [expected] and query["access_token"] == ["t0k"]


def test_remind_send_twice_a_day_sends_once(gwgk: Any, configured: dict[str, Any], journal: Path) -> None:
    robot, received = configured["robot"], configured["received"]
    args = ("--today", REMIND_DAY, "remind", "--unit", "行财科", "--stale-days", "400", "--send")
    assert gwgk(*args).exit_code == 0
    assert len(received) == 2 and len(robot.requests) == 1
    again = gwgk(*args)  # the cron job runs again the same day
    assert again.exit_code == 0, again.output
    assert [(r[1], r[3]) for r in _rows(again.stdout)] == [("邮件", "跳过"), ("邮件", "跳过"), ("企业微信", "跳过")]
    assert again.stdout.splitlines()[-1] == "已发送 0 条，今日已发送而跳过 3 条，失败 0 条。"
    assert len(received) == 2 and len(robot.requests) == 1
    log = journal.with_name("tasks_2021.remind-log.jsonl")
    assert len(log.read_text(encoding="utf-8").splitlines()) == 3
    nextday = gwgk("--today", "2022-01-06", *args[2:])
    assert nextday.exit_code == 0 and len(received) == 4 and len(robot.requests) == 2


def test_remind_send_beside_a_journal_directory_keeps_a_log_per_pc(
        gwgk: Any, configured: dict[str, Any], journal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PCs sharing a journal directory through a synced folder: each records its sends in its own file of
    tasks_2021.remind-log/ (a lock file there would lock nothing across PCs, and two PCs appending to one
    file make conflict copies), and reads every PC's file, conflict copies too, for the once-a-day rule."""
    received = configured["received"]
    folder = journal.with_name("tasks_2021.progress")
    folder.mkdir()
    monkeypatch.setenv("GWGK_USER", "李明")
    monkeypatch.setenv("GWGK_HOST", "PC-A")
    args = ("--today", REMIND_DAY, "remind", "--unit", "行财科", "--stale-days", "400", "--send")
    assert gwgk(*args).exit_code == 0
    logs = journal.with_name("tasks_2021.remind-log")
    assert sorted(p.name for p in logs.iterdir()) == ["李明@PC-A.jsonl"]
    assert not journal.with_name("tasks_2021.remind-log.jsonl").exists()
    assert [p.name for p in journal.parent.iterdir() if p.name.endswith(".lock")] == []
    assert len(received) == 2
    (logs / "李明@PC-A.jsonl").rename(logs / "李明@PC-A (冲突副本 2022-01-05).jsonl")  # as a sync client may
    monkeypatch.setenv("GWGK_USER", "王芳")
    monkeypatch.setenv("GWGK_HOST", "PC-B")
    again = gwgk(*args)  # another PC, the same day: what PC-A sent is not sent again
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == "已发送 0 条，今日已发送而跳过 3 条，失败 0 条。"
    assert len(received) == 2
    assert gwgk("--today", "2022-01-06", *args[2:]).exit_code == 0
    assert len(received) == 4
    assert len((logs / "王芳@PC-B.jsonl").read_text(encoding="utf-8").splitlines()) == 3


@pytest.mark.parametrize("command", ["split", "join"])
def test_todays_sends_stay_sent_across_journal_split_and_join(
        gwgk: Any, configured: dict[str, Any], journal: Path, command: str) -> None:
    """`journal split` (or `join`) the same day: what was sent before is not sent again (the send log of the
    other form is read too)."""
    received = configured["received"]
    journal.write_text("", encoding="utf-8")
    if command == "join":
        assert gwgk("journal", "split").exit_code == 0
    args = ("--today", REMIND_DAY, "remind", "--unit", "行财科", "--stale-days", "400", "--send")
    assert gwgk(*args).exit_code == 0 and len(received) == 2
    assert gwgk("journal", command).exit_code == 0
    again = gwgk(*args)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == "已发送 0 条，今日已发送而跳过 3 条，失败 0 条。"
    assert len(received) == 2


def test_remind_send_a_failing_channel_does_not_stop_the_others(gwgk: Any, configured: dict[str, Any]) -> None:
    robot, received = configured["robot"], configured["received"]
    robot.failing = {"/cgi-bin/": 93000}  # the 企业微信 robot refuses everything
    result = gwgk("--today", REMIND_DAY, "remind", "--unit", "行财科", "--unit", "政府网站", "--send")
    assert result.exit_code == 1
    assert [(r[0], r[1], r[3]) for r in _rows(result.stdout)] == [
        ("政府网站", "企业微信", "失败"), ("政府网站", "钉钉", "已发送"),
        ("行财科", "邮件", "已发送"), ("行财科", "邮件", "已发送"), ("行财科", "企业微信", "失败")]
    assert "errcode 93000" in result.stdout
    assert result.stdout.splitlines()[-1] == "已发送 3 条，今日已发送而跳过 0 条，失败 2 条。"
    assert len(received) == 2
    robot.failing = {}
    retry = gwgk("--today", REMIND_DAY, "remind", "--unit", "行财科", "--unit", "政府网站", "--send")
    assert retry.exit_code == 0  # only the failed ones go out again
    assert [r[3] for r in _rows(retry.stdout)] == ["已发送", "跳过", "跳过", "跳过", "已发送"]
    assert len(received) == 2


def test_remind_send_splits_a_long_message(gwgk: Any, table: Path, configured: dict[str, Any]) -> None:
    robot = configured["robot"]
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("title: 公开办公室预算决算\n", f"title: {'公开办公室预算决算' * 80}\n", 1),
                     encoding="utf-8")
    result = gwgk("--today", REMIND_DAY, "remind", "--unit", "行财科", "--send")
    assert result.exit_code == 0, result.output
    posts = _posts(robot, "/cgi-bin/")
    assert len(posts) == 3 and all(len(p.encode("utf-8")) <= 2048 for p in posts)
    assert posts[1].startswith("（续 2/3）\n") and posts[2].startswith("（续 3/3）\n")
    assert _rows(result.stdout)[-1][4:] == ["已发送（分", "3", "条）"]
    assert len(configured["slept"]) == 2 and all(0 < s <= 3.1 for s in configured["slept"])  # spaced posts
    assert "".join(p.split("\n", 1)[1] if p.startswith("（续") else p for p in posts).count("公开办公室预算决算") == 80


def test_remind_send_needs_a_channel_and_a_password(gwgk: Any, table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("--today", REMIND_DAY, "remind", "--send")
    result = gwgk(*args)
    assert result.exit_code == 2 and result.stderr.startswith("错误：发送渠道尚未配置")
    refused = gwgk("config", "set", "smtp.password", "secret")
    assert refused.exit_code == 2 and "不保存密码" in refused.stderr
    for key, value in [("smtp.host", "127.0.0.1"), ("smtp.user", "zwgk@example.gov.cn")]:
        assert gwgk("config", "set", key, value).exit_code == 0
    monkeypatch.delenv("GWGK_SMTP_PASSWORD", raising=False)
    monkeypatch.setitem(__import__("sys").modules, "keyring", None)  # no keyring package
    result = gwgk(*args)
    assert result.exit_code == 2
    assert result.stderr == ("错误：已配置 smtp.user，但找不到密码：请设环境变量 GWGK_SMTP_PASSWORD，"
                             "或存入系统钥匙串（keyring set gwgk-smtp zwgk@example.gov.cn）\n")
    assert "secret" not in (Path(__import__("os").environ["GWGK_CONFIG_DIR"]) / "config.toml").read_text(encoding="utf-8")


def test_remind_send_logs_in_with_the_password_from_the_environment(
        gwgk: Any, table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message
    from aiosmtpd.smtp import AuthResult

    received: list[Any] = []
    logins: list[tuple[str, str]] = []

    class Keep(Message):
        def handle_message(self, message: Any) -> None:
            received.append(message)

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        login = tuple(v.decode() if isinstance(v, bytes) else str(v) for v in (data.login, data.password))
        logins.append(login)
        return AuthResult(success=login == ("zwgk", "pa55"), handled=False)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Keep(message_class=None), hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        for key, value in [("smtp.host", "127.0.0.1"), ("smtp.port", str(port)), ("smtp.user", "zwgk"),
                           ("smtp.from", "zwgk@example.gov.cn"), ("email.行财科", "xck@example.gov.cn")]:
            assert gwgk("config", "set", key, value).exit_code == 0
        monkeypatch.setenv("GWGK_SMTP_PASSWORD", "wrong")
        args = ("--today", REMIND_DAY, "remind", "--unit", "行财科", "--send")
        failed = gwgk(*args)
        assert failed.exit_code == 1 and "SMTP 登录失败" in failed.stdout and not received
        monkeypatch.setenv("GWGK_SMTP_PASSWORD", "pa55")
        sent = gwgk(*args)
        assert sent.exit_code == 0, sent.output
        assert set(logins) == {("zwgk", "wrong"), ("zwgk", "pa55")} and logins[-1] == ("zwgk", "pa55")
        assert len(received) == 1
        # A password smtplib cannot send (not ASCII) is a failed row with the reason, not a traceback.
        monkeypatch.setenv("GWGK_SMTP_PASSWORD", "密码pa55")
        odd = gwgk("--today", "2022-01-06", "remind", "--unit", "行财科", "--send")
        assert odd.exit_code == 1 and "非 ASCII" in odd.stdout and "Traceback" not in odd.output
        assert len(received) == 1
    finally:
        controller.stop()


# --- gwgk doctor checks the contacts ------------------------------------------------------------


def test_doctor_reports_bad_contacts(gwgk: Any, table: Path) -> None:
    cfg = Path(__import__("os").environ["GWGK_CONFIG_DIR"]) / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    # Written by hand: `gwgk config set` would refuse the first and third of these.
    cfg.write_text('[email]\n"行财科" = "xck@example"\n"行政财务科" = "cw@example.gov.cn"\n"不存在科" = "a@b.cn"\n'
                   '[wecom]\ndefault = "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"\n'
                   '[dingtalk]\n"政府网站" = "https://oapi.dingtalk.com/robot/send?access_token=t"\n', encoding="utf-8")
    cfg.chmod(0o600)  # the file's mode has its own test (test_remind.py)
    result = gwgk("doctor")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2:] == [
        # A unit of another table (last year's) is a note: the settings serve every table the user has.
        f"提示：{cfg}: email.不存在科: 本任务表的单位名录中没有单位 “不存在科”（也许是另一年度任务表的单位；"
        "用本表催办时不会用到这一项）",
        f"{cfg}: email.行财科 不是有效的电子邮件地址：“xck@example”",
        f"{cfg}: wecom.default 的 webhook 地址应以 https:// 开头：http://qyapi.weixin.qq.com/…",  # not the key
        "发现 2 处问题。",
    ]  # 行政财务科 is an alias of 行财科: known


def test_doctor_reports_a_malformed_address_in_the_table(gwgk: Any, table: Path) -> None:
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("  - name: 行财科\n", "  - name: 行财科\n    email: [xck.example.gov.cn]\n", 1),
                     encoding="utf-8")
    result = gwgk("doctor")
    assert result.exit_code == 1
    assert "email: 不是有效的电子邮件地址：'xck.example.gov.cn'" in result.stdout


def test_doctor_is_clean_with_good_contacts(gwgk: Any, table: Path) -> None:
    for key, value in [("email.行财科", "xck@example.gov.cn"), ("wecom.default", "https://qyapi.weixin.qq.com/x?key=k")]:
        assert gwgk("config", "set", key, value).exit_code == 0
    result = gwgk("doctor")
    assert result.exit_code == 0 and result.stdout.endswith("未发现问题（28 项任务）。\n")


def test_an_alias_in_config_reaches_the_unit(gwgk: Any, table: Path, smtp_server: tuple[int, list[Any]]) -> None:
    port, received = smtp_server
    for key, value in [("smtp.host", "127.0.0.1"), ("smtp.port", str(port)), ("smtp.from", "zwgk@example.gov.cn"),
                       ("email.行政财务科", "cw@example.gov.cn")]:
        assert gwgk("config", "set", key, value).exit_code == 0
    result = gwgk("--today", REMIND_DAY, "remind", "--unit", "行财科", "--send")
    assert result.exit_code == 0, result.output
    assert [m["To"] for m in received] == ["cw@example.gov.cn"]


def test_a_send_by_another_pc_meanwhile_is_seen_before_each_send(tmp_path: Path) -> None:
    """Two PCs sending at once: PC-A's log of the others is read again before each send, so a reminder PC-B
    sent a moment ago is not sent a second time (only one in flight on both at once can be)."""
    from gwgk_cli.notify.sendlog import Attempt

    mine, theirs = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    day = dt.date(2022, 1, 5)
    log_a = SendLog(mine, [mine, theirs])
    assert not log_a.sent_today(day, "行财科", "email", "xck@example.gov.cn")  # read once, nothing sent yet
    SendLog(theirs, [theirs, mine]).record(Attempt(day, "行财科", "email", "xck@example.gov.cn", "催办", True, "已发送"))
    assert log_a.sent_today(day, "行财科", "email", "xck@example.gov.cn")


def test_a_send_log_that_cannot_be_written_stops_before_anything_is_sent(
        gwgk: Any, configured: dict[str, Any], journal: Path) -> None:
    """A message sent but not recorded would go out again on the next run: the log is tried first."""
    journal.with_name("tasks_2021.remind-log.jsonl").mkdir()  # something that cannot take a line
    result = gwgk("--today", REMIND_DAY, "remind", "--unit", "行财科", "--send")
    assert result.exit_code == 2 and "未发送任何消息" in result.stderr
    assert configured["received"] == [] and _posts(configured["robot"], "/cgi-bin/") == []


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed when the block ends: nothing listens there


def test_a_refused_connection_is_named_in_chinese_with_what_to_check(gwgk: Any, table: Path) -> None:
    """Found by a clerk test: `SMTP 发送失败：[Errno 111] Connection refused` said nothing a clerk can act on."""
    for key, value in [("smtp.host", "127.0.0.1"), ("smtp.port", str(_closed_port())),
                       ("smtp.from", "zwgk@example.gov.cn"), ("email.行财科", "cw@example.gov.cn")]:
        assert gwgk("config", "set", key, value).exit_code == 0
    result = gwgk("--today", REMIND_DAY, "remind", "--unit", "行财科", "--send")
    assert result.exit_code == 1
    assert "SMTP 发送失败：服务器拒绝连接（地址或端口不对，或服务未开启）：请核对 smtp.host 和 smtp.port" in result.stdout
    assert "Errno" not in result.stdout


@pytest.mark.parametrize(("exc", "smtp", "reason"), [
    (ConnectionRefusedError(111, "Connection refused"), True,
     "服务器拒绝连接（地址或端口不对，或服务未开启）：请核对 smtp.host 和 smtp.port"),
    (ConnectionRefusedError(111, "Connection refused"), False, "服务器拒绝连接（地址或端口不对，或服务未开启）：请核对地址"),
    (TimeoutError("timed out"), True, "连接超时（网络不通，或被防火墙拦截）：请核对 smtp.host 和 smtp.port"),
    (ConnectionResetError(104, "Connection reset by peer"), False, "连接被对方断开（可能被防火墙或代理拦截）"),
    (OSError(28, "No space left on device"), False, "网络错误（No space left on device）：请核对地址"),
    (ValueError("odd"), False, "网络错误（ValueError：odd）"),
])
def test_network_reasons(exc: BaseException, smtp: bool, reason: str) -> None:
    from gwgk_cli.notify.channels import network_reason

    assert network_reason(exc, smtp=smtp) == reason


def test_network_reasons_of_the_mail_and_tls_libraries() -> None:
    import smtplib
    import socket
    import ssl

    from gwgk_cli.notify.channels import network_reason

    wrong = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")
    assert network_reason(wrong, smtp=True) == "加密方式不符：服务器在这个端口不用 SSL，smtp.security 可能应为 starttls 或 none"
    assert network_reason(wrong) == "加密方式不符：这个地址不是 HTTPS 服务"
    assert network_reason(socket.gaierror(-2, "Name or service not known"), smtp=True) == (
        "找不到服务器（主机名无法解析）：请核对 smtp.host 和 smtp.port，或检查网络和 DNS")
    assert network_reason(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), smtp=True) == (
        "服务器断开了连接：端口与加密方式可能不符（465 端口用 smtp.security ssl，587 或 25 端口用 starttls）")
    assert network_reason(smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."),
                          smtp=True) == "服务器不支持 STARTTLS：smtp.security 可能应为 ssl 或 none"
    assert network_reason(smtplib.SMTPDataError(554, b"DT:SPM spam")) == "服务器拒绝（代码 554：DT:SPM spam）"


def test_another_years_unit_in_the_settings_leaves_doctor_clean(gwgk: Any, table: Path) -> None:
    """Found by a new-year walkthrough: with a 2021 and a 2022 table, doctor could never be clean for both
    (each year's unit keys were the other's problems)."""
    cfg = Path(__import__("os").environ["GWGK_CONFIG_DIR"]) / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text('[email]\n"市数据资源局" = "sjj@example.gov.cn"\n', encoding="utf-8")
    cfg.chmod(0o600)
    result = gwgk("doctor")
    assert result.exit_code == 0, result.output
    assert "本任务表的单位名录中没有单位 “市数据资源局”" in result.stdout
