"""remind --send left running by an office: rate limits paced per robot and bounded per run, every request
under an overall deadline, split messages resumed where they stopped, one message per mailbox, Ctrl-C
reported and recorded, secrets kept out of messages and out of other users' reach."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gwgk_cli.notify.channels import (
    ChannelError,
    EmailChannel,
    SmtpSettings,
    WebhookChannel,
    http_post_json,
    wecom,
)
from gwgk_cli.notify.dispatch import dispatch
from gwgk_cli.notify.sendlog import SendLog, log_path
from test_notify import REMIND_DAY, Robot, _posts, _rows, configured, reminder, robot, smtp_server

__all__ = ["configured", "robot", "smtp_server"]  # fixtures used here, defined beside the older tests

DAY = dt.date(2021, 11, 22)
SEND_ALL = ("--today", REMIND_DAY, "remind", "--stale-days", "400", "--send")
SEND_ONE = ("--today", REMIND_DAY, "remind", "--unit", "行财科", "--send")


def _pauses(slept: list[float]) -> list[float]:
    """The rate-limit pauses among the sleeps (the spacing between posts is at most 3.1 s)."""
    return [s for s in slept if s > 3.1]


# --- 1. rate limits: per robot, bounded per run -------------------------------------------------


def test_a_rate_limited_robot_shared_by_seven_units_holds_the_run_a_bounded_time(
        gwgk: Any, configured: dict[str, Any], journal: Path) -> None:
    """wecom.default serves seven units and answers 45009 to everything: the pauses grow per robot, not per
    message, so the run waits 60 + 120 + 300 s at most once, then fails the rest of that robot's messages
    (which the next run sends: the log does not mark them sent). Before: 7 × 480 s, about an hour."""
    robot: Robot = configured["robot"]
    robot.failing = {"/cgi-bin/": 45009}
    result = gwgk(*SEND_ALL)
    assert result.exit_code == 1
    assert _pauses(configured["slept"]) == [60.0, 120.0, 300.0]
    rows = [r for r in _rows(result.stdout) if r[1] == "企业微信"]
    assert len(rows) == 7 and all(r[3] == "失败" for r in rows)
    assert len(_posts(robot, "/cgi-bin/")) == 4  # the first message and its three retries; then no more
    assert all(" ".join(r[4:]) == "机器人持续限流（errcode 45009），本次运行已为限流共等待 480 秒，不再等待；"
               "发往这个机器人的其余消息留待下次运行发送" for r in rows)
    robot.failing = {}
    configured["slept"].clear()
    again = gwgk(*SEND_ALL)  # the robot has recovered: what failed goes now, nothing twice
    assert again.exit_code == 0, again.output
    assert [r[3] for r in _rows(again.stdout) if r[1] == "企业微信"] == ["已发送"] * 7
    assert [r[3] for r in _rows(again.stdout) if r[1] != "企业微信"] == ["跳过"] * 3


def test_the_pauses_of_every_robot_draw_on_one_budget_per_run(tmp_path: Path) -> None:
    """Two robots, both rate-limited throughout: the second gets what the first left of the run's budget
    (600 s), then is given up too; a robot that answers normally is not held."""
    from gwgk_cli.notify.channels import RATE_WAIT_BUDGET, RateBudget

    slept: list[float] = []
    answers = {"https://a.example/h?key=A": 45009, "https://b.example/h?key=B": 45009, "https://c.example/h?key=C": 0}
    posted: list[str] = []

    def post(url: str, body: bytes) -> dict[str, Any]:
        posted.append(url)
        return {"errcode": answers[url], "errmsg": "api freq out of limit"}

    budget = RateBudget()
    channel = WebhookChannel(name="wecom", limit_bytes=2048, rate_codes=frozenset({45009}), post=post,
                             sleep=slept.append, clock=lambda: 0.0, budget=budget, interval=0.0)
    targets = {("wecom", unit): [url] for unit, url in zip(("行财科", "文秘科", "会务联络科"), answers, strict=True)}
    reminders = [reminder(unit=unit) for unit in ("行财科", "文秘科", "会务联络科")]
    out = dispatch(reminders, [channel], targets, SendLog(tmp_path / "log.jsonl"), DAY)
    assert [o.status for o in out] == ["failed", "failed", "sent"]
    assert slept == [60.0, 120.0, 300.0, 60.0, 60.0] and sum(slept) == RATE_WAIT_BUDGET
    assert budget.left == 0
    assert posted.count("https://b.example/h?key=B") == 3 and posted.count("https://c.example/h?key=C") == 1
    assert "key=" not in json.dumps([o.detail for o in out], ensure_ascii=False)


def test_a_rate_limit_answer_then_success_starts_the_robots_pauses_again(robot: Robot) -> None:
    slept: list[float] = []
    channel = wecom(sleep=slept.append, clock=lambda: 0.0, interval=0.0)
    robot.answers = [45009, 0, 45009, 0]
    channel.send(reminder(), robot.url)
    channel.send(reminder(unit="文秘科"), robot.url)
    assert slept == [60.0, 60.0] and len(robot.requests) == 4


# --- 2. an overall deadline on every request -----------------------------------------------------


class Trickler:
    """A server on 127.0.0.1 that answers each connection with `greeting`, then one byte of `drip` every
    50 ms (at most 200 of them: it stops by itself, or sooner when the test ends)."""

    def __init__(self, greeting: bytes, drip: bytes) -> None:
        self.greeting, self.drip = greeting, drip
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(1)
                conn.recv(65536)
                conn.sendall(self.greeting)
                for _ in range(200):
                    if self.stop.wait(0.05):
                        break
                    conn.sendall(self.drip)
            except OSError:
                pass


@pytest.fixture
def trickler() -> Iterator[Callable[[bytes, bytes], Trickler]]:
    made: list[Trickler] = []

    def make(greeting: bytes, drip: bytes) -> Trickler:
        made.append(Trickler(greeting, drip))
        return made[-1]

    yield make
    for server in made:
        server.stop.set()
        server.thread.join(timeout=5)
        server.sock.close()


def test_a_robot_trickling_its_answer_cannot_hold_the_run(trickler: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each byte comes well within the 15 s read timeout; the whole answer never does: the request's own
    deadline ends it."""
    monkeypatch.setattr("gwgk_cli.notify.channels.REQUEST_DEADLINE", 0.5, raising=False)
    server = trickler(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", b" ")
    with pytest.raises(ChannelError) as caught:
        http_post_json(f"http://127.0.0.1:{server.port}/cgi-bin/webhook/send?key=wxKEY", b"{}")
    assert str(caught.value) == "0.5 秒内未收到完整应答（服务器应答过慢），已放弃；这条消息可能已送达，下次运行会再发"


def test_a_robot_trickling_its_headers_cannot_hold_the_run(trickler: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gwgk_cli.notify.channels.REQUEST_DEADLINE", 0.5, raising=False)
    server = trickler(b"HTTP/1.1 200 OK\r\n", b"X")  # one endless header line
    with pytest.raises(ChannelError, match="秒内未收到完整应答"):
        wecom(sleep=lambda s: None).send(reminder(), f"http://127.0.0.1:{server.port}/cgi-bin/webhook/send?key=k")


def test_an_smtp_server_trickling_its_greeting_cannot_hold_the_run(
        trickler: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gwgk_cli.notify.channels.SMTP_DEADLINE", 0.5, raising=False)
    server = trickler(b"", b"2")  # "222…": a greeting line that never ends
    channel = EmailChannel(SmtpSettings(host="127.0.0.1", port=server.port, sender="zwgk@example.gov.cn"))
    with pytest.raises(ChannelError) as caught:
        channel.send(reminder(), "xck@example.gov.cn")
    assert str(caught.value) == "SMTP 服务器 0.5 秒内未完成发送（应答过慢），已放弃；邮件可能已发出，下次运行会再发"


def test_a_robot_answering_json_nested_past_the_limit_is_a_failed_row(trickler: Any) -> None:
    body = b"[" * 200_000
    server = trickler(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body, b"")
    with pytest.raises(ChannelError, match="应答不是 JSON"):
        http_post_json(f"http://127.0.0.1:{server.port}/hook", b"{}")


def test_a_keyring_that_never_answers_cannot_hold_the_run(
        gwgk: Any, table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A locked keyring waiting for someone to unlock it (a scheduled run has no one): a bounded wait, then
    one line saying what to do; nothing is sent."""
    import sys
    import types

    released = threading.Event()
    fake = types.ModuleType("keyring")
    fake.get_password = lambda service, user: released.wait(30) and None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    monkeypatch.delenv("GWGK_SMTP_PASSWORD", raising=False)
    monkeypatch.setattr("gwgk_cli.notify.send.KEYRING_DEADLINE", 0.3, raising=False)
    for key, value in [("smtp.host", "127.0.0.1"), ("smtp.user", "zwgk@example.gov.cn")]:
        assert gwgk("config", "set", key, value).exit_code == 0
    try:
        result = gwgk(*SEND_ONE)
    finally:
        released.set()
    assert result.exit_code == 2
    assert result.stderr == ("错误：系统钥匙串 0.3 秒内没有给出 SMTP 密码（钥匙串锁着，在等人解锁？）；未发送任何消息。"
                             "定时任务请改用环境变量 GWGK_SMTP_PASSWORD\n")


class ScriptedSmtp:
    """A minimal SMTP server on 127.0.0.1 for one conversation: accepts the message, then answers QUIT with
    `quit_reply` (a server that has queued the mail but ends the session badly)."""

    def __init__(self, quit_reply: bytes) -> None:
        self.quit_reply = quit_reply
        self.messages: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(10)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn, conn.makefile("rb") as reader:
            conn.settimeout(10)
            conn.sendall(b"220 test ESMTP\r\n")
            data: list[bytes] = []
            in_data = False
            for line in reader:
                if in_data:
                    if line == b".\r\n":
                        in_data = False
                        self.messages.append(b"".join(data))
                        conn.sendall(b"250 queued\r\n")
                    else:
                        data.append(line)
                    continue
                verb = line[:4].upper()
                if verb == b"QUIT":
                    conn.sendall(self.quit_reply)
                    return
                if verb == b"DATA":
                    in_data = True
                    conn.sendall(b"354 go ahead\r\n")
                else:
                    conn.sendall(b"250 ok\r\n")


@pytest.mark.parametrize("quit_reply", [b"421 closing\r\n", b""])
def test_a_mail_the_server_accepted_is_sent_however_the_session_ends(quit_reply: bytes) -> None:
    """The server queued the mail (250 after the data) and then answered QUIT badly or hung up: the mail is
    sent, not a failure the next run would send again."""
    server = ScriptedSmtp(quit_reply)
    channel = EmailChannel(SmtpSettings(host="127.0.0.1", port=server.port, sender="zwgk@example.gov.cn", timeout=5))
    try:
        assert channel.send(reminder(), "xck@example.gov.cn") == "已发送"
    finally:
        server.thread.join(timeout=5)
        server.sock.close()
    assert len(server.messages) == 1


# --- 3. a split message resumes at the part that failed ------------------------------------------


def _long_title(table: Path) -> None:
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("title: 公开办公室预算决算\n", f"title: {'公开办公室预算决算' * 80}\n", 1),
                     encoding="utf-8")


def test_a_split_message_resumes_at_the_part_that_failed(
        gwgk: Any, table: Path, configured: dict[str, Any], journal: Path) -> None:
    robot: Robot = configured["robot"]
    _long_title(table)
    robot.answers = [0, 93000]  # part 1 goes, part 2 is refused
    first = gwgk(*SEND_ONE)
    assert first.exit_code == 1
    assert "第 2/3 条：errcode 93000: error（前 1 条已发送，下次从第 2 条续发）" in " ".join(first.stdout.split())
    assert len(_posts(robot, "/cgi-bin/")) == 2
    again = gwgk(*SEND_ONE)
    assert again.exit_code == 0, again.output
    posts = _posts(robot, "/cgi-bin/")
    assert len(posts) == 4  # parts 2 and 3 only: part 1 is not posted a second time
    assert posts[2].startswith("（续 2/3）\n") and posts[3].startswith("（续 3/3）\n")
    assert posts[2] == posts[1]
    assert _rows(again.stdout)[-1][3:] == ["已发送", "已发送（分", "3", "条，前", "1", "条此前已发，本次续发其余）"]
    lines = [json.loads(line) for line in journal.with_name("tasks_2021.remind-log.jsonl").read_text("utf-8").splitlines()]
    wecom_lines = [(ln["ok"], ln.get("part"), ln.get("parts")) for ln in lines if ln["channel"] == "wecom"]
    assert wecom_lines == [(False, 1, 3), (False, None, None), (False, 2, 3), (True, None, None)]
    assert gwgk(*SEND_ONE).stdout.splitlines()[-1] == "已发送 0 条，今日已发送而跳过 3 条，失败 0 条。"


def test_a_split_message_that_changed_since_starts_again_at_part_one(tmp_path: Path, robot: Robot) -> None:
    """The parts recorded belong to one text: a message that changed meanwhile (a task updated) is a new
    message and goes from its first part."""
    body = "".join(f"任务 {i}　公开办公室预算决算，按要求完成并登记进展情况\n" for i in range(60))
    log = SendLog(log_path(tmp_path / "tasks_2021.progress.jsonl"))
    targets = {("wecom", "行财科"): [robot.url]}
    channel = wecom(sleep=lambda s: None)
    robot.answers = [0, 93000]
    assert [o.status for o in dispatch([reminder(body)], [channel], targets, log, DAY)] == ["failed"]
    robot.requests.clear()
    changed = reminder(body.replace("任务 0", "任务 00"))
    assert [o.status for o in dispatch([changed], [channel], targets, SendLog(log.path), DAY)] == ["sent"]
    assert robot.requests[0][1]["text"]["content"].startswith("【催办】行财科")


# --- 4. the small ones ----------------------------------------------------------------------------


@pytest.mark.parametrize("signal", ["green", "red,green", "绿", "done"])
def test_remind_refuses_a_signal_it_does_not_chase(gwgk: Any, table: Path, signal: str) -> None:
    result = gwgk("remind", "--signal", signal)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("错误：remind --signal 只能是 red（红）、yellow（黄）或两者，不能是 ")
    assert result.stderr.endswith("：催办只发红灯、黄灯任务；久未更新的任务不论信号总会列入\n")
    assert result.stderr.count("\n") == 1


def test_remind_signal_red_only(gwgk: Any, table: Path) -> None:
    result = gwgk("--today", "2021-11-22", "remind", "--signal", "red", "--stale-days", "400")
    assert result.exit_code == 0 and "黄灯任务" not in result.stdout


def test_addresses_differing_only_in_case_are_one_mailbox(
        gwgk: Any, table: Path, smtp_server: tuple[int, list[Any]], configured: dict[str, Any]) -> None:
    received = configured["received"]
    assert gwgk("config", "set", "email.行财科", "Zhang@Example.gov.cn, zhang@example.GOV.CN; li@example.gov.cn").exit_code == 0
    result = gwgk(*SEND_ONE)
    assert result.exit_code == 0, result.output
    assert sorted(m["To"] for m in received) == ["Zhang@Example.gov.cn", "li@example.gov.cn"]
    # The address re-typed in another case the same day: the same mailbox, already sent.
    assert gwgk("config", "set", "email.行财科", "ZHANG@example.gov.cn, Li@Example.Gov.Cn").exit_code == 0
    again = gwgk(*SEND_ONE)
    assert again.exit_code == 0
    assert [(r[1], r[3]) for r in _rows(again.stdout)] == [("邮件", "跳过"), ("邮件", "跳过"), ("企业微信", "跳过")]
    assert len(received) == 2


def test_an_address_logged_in_another_case_by_an_older_run_counts_as_sent(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(json.dumps({"day": "2021-11-22", "unit": "行财科", "channel": "email",
                                "target": "Zhang@X.cn", "ok": True}) + "\n", encoding="utf-8")
    assert SendLog(path).sent_today(DAY, "行财科", "email", "zhang@x.CN")


def test_ctrl_c_during_send_says_what_went_and_the_log_stays_true(
        gwgk: Any, configured: dict[str, Any], journal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the second message to the 企业微信 robot is on its way: one line says what was sent and
    what was not, the exit code is 130, and the log holds exactly what went; the next run sends the rest."""
    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("gwgk_cli.notify.send._sleep", interrupt)  # the pause before the robot's 2nd post
    result = gwgk(*SEND_ALL)
    assert result.exit_code == 130
    assert result.stderr == ("已中断：本次已发送 1 条，发往政府网站的企业微信消息发送中被中断（可能已送达），未发送 8 条；"
                             "发送记录已如实记下，再次运行 gwgk remind --send 会补发未发送的。\n")
    lines = [json.loads(line) for line in journal.with_name("tasks_2021.remind-log.jsonl").read_text("utf-8").splitlines()]
    assert [(ln["unit"], ln["channel"], ln["ok"]) for ln in lines] == [
        ("政务公开指导办", "wecom", True), ("政府网站", "wecom", False)]
    monkeypatch.setattr("gwgk_cli.notify.send._sleep", configured["slept"].append)
    again = gwgk(*SEND_ALL)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1].startswith("已发送 9 条，今日已发送而跳过 1 条，失败 0 条。")


@pytest.mark.parametrize("which", ["part", "whole"])
def test_ctrl_c_while_a_send_is_being_recorded_still_records_it(tmp_path: Path, robot: Robot, which: str) -> None:
    """Ctrl-C lands just as the line for a part that went (or for the whole message) is to be written: the
    line is written before the run stops, so the next run neither repeats that part nor the message."""
    from gwgk_cli.notify.dispatch import Interrupted
    from gwgk_cli.notify.sendlog import Attempt

    class Flinching(SendLog):
        hit = False

        def record(self, attempt: Attempt) -> None:
            if not self.hit and (attempt.part > 0) == (which == "part"):
                self.hit = True
                raise KeyboardInterrupt
            super().record(attempt)

    body = "".join(f"任务 {i}　公开办公室预算决算，按要求完成并登记进展情况\n" for i in range(60))
    log = Flinching(log_path(tmp_path / "tasks_2021.progress.jsonl"))
    targets = {("wecom", "行财科"): [robot.url]}
    with pytest.raises(Interrupted):
        dispatch([reminder(body)], [wecom(sleep=lambda s: None)], targets, log, DAY)
    lines = [json.loads(line) for line in log.path.read_text(encoding="utf-8").splitlines()]
    if which == "part":
        assert len(robot.requests) == 1 and [ln.get("part") for ln in lines] == [1, None]
        assert lines[-1]["detail"].startswith("发送中被中断")
    else:
        assert len(robot.requests) == 3 and lines[-1]["ok"] is True
    robot.requests.clear()
    dispatch([reminder(body)], [wecom(sleep=lambda s: None)], targets, SendLog(log.path), DAY)
    assert len(robot.requests) == (2 if which == "part" else 0)


def test_ctrl_c_before_the_first_send_says_nothing_was_sent(
        gwgk: Any, configured: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("filelock.FileLock.acquire", interrupt)  # waiting for another run's lock
    result = gwgk(*SEND_ONE)
    assert result.exit_code == 130 and result.stderr == "已中断：未发送任何消息。\n"
    assert configured["received"] == [] and configured["robot"].requests == []


POSIX = pytest.mark.skipif(os.name == "nt", reason="file modes are POSIX; on Windows nothing is said")


@POSIX
@pytest.mark.parametrize("text,held", [
    ('[wecom]\ndefault = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wxKEY"\n', "群机器人 webhook 地址（含访问令牌）"),
    ('[dingtalk_secret]\ndefault = "SEC0123"\n', "钉钉加签密钥"),
    ('[smtp]\nhost = "smtp.example.gov.cn"\npassword = "pa55"\n', "SMTP 密码"),
    ('[smtp\npassword = "pa55"\n', "SMTP 密码"),  # not even valid TOML
])
def test_doctor_warns_of_a_config_with_secrets_others_can_read(gwgk: Any, table: Path, text: str, held: str) -> None:
    cfg = Path(os.environ["GWGK_CONFIG_DIR"]) / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(text, encoding="utf-8")
    cfg.chmod(0o644)
    result = gwgk("doctor")
    assert result.exit_code == 1
    warning = (f"{cfg}: 配置文件含{held}，但其他用户可读（权限 644）：请执行 chmod 600 {cfg}"
               "（gwgk config set 写入时会改为仅本人可读）")
    assert result.stdout.splitlines()[2] == warning
    assert "wxKEY" not in result.stdout and "pa55" not in result.stdout and "SEC0123" not in result.stdout
    cfg.chmod(0o600)
    assert warning not in gwgk("doctor").stdout


@POSIX
def test_remind_send_warns_of_a_config_others_can_read(gwgk: Any, configured: dict[str, Any]) -> None:
    cfg = Path(os.environ["GWGK_CONFIG_DIR"]) / "config.toml"
    cfg.chmod(0o640)
    result = gwgk(*SEND_ONE)
    assert result.exit_code == 0
    assert result.stderr == (f"提示：{cfg}: 配置文件含群机器人 webhook 地址（含访问令牌）、钉钉加签密钥，但其他用户可读"
                             f"（权限 640）：请执行 chmod 600 {cfg}（gwgk config set 写入时会改为仅本人可读）\n")
    cfg.chmod(0o600)
    assert gwgk("--today", "2022-01-06", *SEND_ONE[2:]).stderr == ""


@POSIX
def test_doctor_is_quiet_about_a_readable_config_without_secrets(gwgk: Any, table: Path) -> None:
    cfg = Path(os.environ["GWGK_CONFIG_DIR"]) / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text('[user]\nname = "张三"\n[email]\n"行财科" = "xck@example.gov.cn"\n', encoding="utf-8")
    cfg.chmod(0o644)
    result = gwgk("doctor")
    assert result.exit_code == 0, result.output


@POSIX
@pytest.mark.parametrize("existing", [None, '[user]\nname = "张三"\n'])
def test_config_set_of_a_secret_makes_the_file_private(
        gwgk: Any, existing: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = Path(os.environ["GWGK_CONFIG_DIR"]) / "config.toml"
    if existing is not None:
        cfg.parent.mkdir(parents=True, exist_ok=True)
        cfg.write_text(existing, encoding="utf-8")
        cfg.chmod(0o644)
    import gwgk_cli.safe_write

    real = gwgk_cli.safe_write.write_text_atomic
    modes: list[int] = []

    def watched(path: Path, text: str, **kwargs: Any) -> None:
        modes.append(path.stat().st_mode & 0o777)  # the file the secret is about to replace
        real(path, text, **kwargs)

    monkeypatch.setattr(gwgk_cli.safe_write, "write_text_atomic", watched)
    old = os.umask(0o022)
    try:
        assert gwgk("config", "set", "dingtalk_secret.default", "SEC0123456789").exit_code == 0
    finally:
        os.umask(old)
    assert cfg.stat().st_mode & 0o777 == 0o600
    assert modes == [0o600]  # private before the secret was written, not only after


def test_a_robots_error_message_never_shows_its_token() -> None:
    url = "https://qyapi.weixin.qq.com/x?key=wxKEY123456"
    channel = WebhookChannel(name="wecom", limit_bytes=2048, rate_codes=frozenset({45009}), sleep=lambda s: None,
                             post=lambda u, b: {"errcode": 93000, "errmsg": f"invalid webhook url {u}"})
    with pytest.raises(ChannelError) as caught:
        channel.send(reminder(), url)
    assert "wxKEY123456" not in str(caught.value) and str(caught.value).startswith("errcode 93000: invalid webhook url")


def test_a_long_blocking_reason_is_quoted_not_posted_whole(gwgk: Any, table: Path) -> None:
    """Found by the hostile round of 2026-12-02: a 4,900-character 受阻 reason went out as nine 企业微信 posts."""
    reason = "等待上级批复。" * 700
    assert gwgk("block", "4", "--note", reason).exit_code == 0
    out = gwgk("remind", "--unit", "行财科")
    assert out.exit_code == 0, out.output
    line = next(line for line in out.stdout.splitlines() if "任务 4" in line)
    assert line == f"　　任务 4　公开办公室预算决算（受阻）：{('受阻：' + reason)[:120]}……（全文见 gwgk show 4）"
    shown = gwgk("show", "4")
    assert reason in shown.stdout.replace("\n", "")


def test_the_preview_says_where_each_message_would_go(gwgk: Any, configured: dict[str, Any]) -> None:
    """Found by a new-year walkthrough: `config set email.sjj …` went to another unit than meant, and the
    preview never showed an address: the slip was invisible until --send. Robot addresses hold their key:
    named, not shown."""
    out = gwgk("--today", "2021-12-10", "remind", "--unit", "行财科", "--unit", "政府网站", "--unit", "指导办")
    assert out.exit_code == 0, out.output
    assert [line for line in out.stdout.splitlines() if line.startswith(("== ", "发送到："))] == [
        "== 【催办】政务公开指导办：黄灯 12 项（2021年12月10日）",
        "发送到：企业微信机器人（wecom.default）",
        "== 【催办】政府网站：黄灯 2 项（2021年12月10日）",
        "发送到：企业微信机器人（wecom.default）；钉钉机器人（本单位）",
        "== 【催办】行财科：黄灯 1 项（2021年12月10日）",
        "发送到：邮件 xck@example.gov.cn、xck2@example.gov.cn；企业微信机器人（wecom.default）",
    ]
    assert "key=" not in out.stdout and "access_token" not in out.stdout


def test_last_years_table_in_the_new_year_is_said_by_check_and_remind(gwgk: Any, table: Path) -> None:
    """Found by a new-year walkthrough: a scheduled job left on the 2021 table chased units in 2022 with
    nothing saying the table's year had ended. In early January chasing last year's tasks is normal; with
    a later year's table beside it, or from April, it is said."""
    for command, job in (("check", "定时任务"), ("remind", "定时催办")):
        ended = f"任务表的年度（2021 年）已结束；查看当年情况请指定该年内的日期，例如 gwgk --today 2021-12-31 {command}"
        assert f"{ended}（{job}请改用新年度的任务表）\n" in gwgk("--today", "2022-04-29", command).stderr
        assert "已结束" not in gwgk("--today", "2022-01-05", command).stderr
        (table.parent / "tasks_2022.yaml").write_text("", encoding="utf-8")
        assert (f"{ended}（{job}请改用新年度的任务表，旁边已有 tasks_2022.yaml）\n"
                in gwgk("--today", "2022-01-05", command).stderr)
        (table.parent / "tasks_2022.yaml").unlink()
    assert "已结束" not in gwgk("--today", "2021-12-31", "check").stderr
