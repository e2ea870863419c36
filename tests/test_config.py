"""`gwgk config`: a TOML file in the per-user config directory (GWGK_CONFIG_DIR in tests), fixed keys,
checked values, and the precedence option > environment > config > table settings > default."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk_cli import config


@pytest.fixture
def cfg() -> Path:
    return Path(os.environ["GWGK_CONFIG_DIR"]) / "config.toml"


def test_set_show_unset(gwgk, cfg: Path) -> None:
    assert not cfg.exists()
    result = gwgk("config", "set", "user.name", "张三")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"已设置 user.name = 张三（{cfg}）\n"
    assert gwgk("config", "set", "report.warn_days", "15").exit_code == 0
    assert cfg.read_text(encoding="utf-8") == (
        "# gwgk 的用户配置；请用 gwgk config set / unset 修改。\n\n[user]\nname = \"张三\"\n\n[report]\nwarn_days = 15\n")
    out = gwgk("config", "show").stdout.splitlines()
    assert out[0] == f"# 配置文件：{cfg}"
    assert out[1] == "user.name = “张三”    # 登记人、周报编制人的默认姓名（--by）"
    assert out[2].startswith("user.unit 未设置")
    assert out[3].startswith("report.warn_days = 15")
    assert out[-1] == "# 登记人默认为 “测试员”（来自环境变量 GWGK_USER）"
    assert gwgk("config", "unset", "user.name").stdout == "已取消 user.name\n"
    assert gwgk("config", "unset", "user.name").stdout == "user.name 本来就未设置\n"
    assert "[user]" not in cfg.read_text(encoding="utf-8")
    assert gwgk("config", "path").stdout == f"{cfg}\n"


@pytest.mark.parametrize("args,message", [
    (["set", "user.nmae", "x"], "错误：未知的配置项 “user.nmae”（可用：user.name、user.unit、report.warn_days、report.stale_days、smtp.host、smtp.port、smtp.security、"
     "smtp.user、smtp.from、table.file、email.<单位>、wecom.<单位>、dingtalk.<单位>、dingtalk_secret.<单位>）"),
    (["unset", "colour"], "错误：未知的配置项 “colour”（可用：user.name、user.unit、report.warn_days、report.stale_days、smtp.host、smtp.port、smtp.security、"
     "smtp.user、smtp.from、table.file、email.<单位>、wecom.<单位>、dingtalk.<单位>、dingtalk_secret.<单位>）"),
    (["set", "report.warn_days", "--", "-3"], "错误：配置项 report.warn_days 应为不小于 0 的整数，而不是 “-3”"),
    (["set", "report.stale_days", "0"], "错误：配置项 report.stale_days 应为不小于 1 的整数，而不是 “0”"),
    (["set", "report.warn_days", "七"], "错误：配置项 report.warn_days 应为不小于 0 的整数，而不是 “七”"),
    (["set", "user.name", "  "], "错误：配置项 user.name 不能为空（取消设置请用 gwgk config unset user.name）"),
    (["set", "user.name", "a\x1b[2Jb"], "错误：配置项 user.name 不能含控制字符或换行"),
    (["set", "smtp.password", "x"], "错误：gwgk 不保存密码：请设环境变量 GWGK_SMTP_PASSWORD，或用系统钥匙串"
                                    "（keyring set gwgk-smtp 登录名）"),
    (["set", "smtp.security", "tls"], "错误：配置项 smtp.security 应为 none、starttls 或 ssl，而不是 “tls”"),
    (["set", "smtp.port", "0"], "错误：配置项 smtp.port 应为 1 到 65535 之间的整数，而不是 “0”"),
    (["set", "smtp.port", "99999"], "错误：配置项 smtp.port 应为 1 到 65535 之间的整数，而不是 “99999”"),
    (["set", "smtp.port", "65536"], "错误：配置项 smtp.port 应为 1 到 65535 之间的整数，而不是 “65536”"),
    (["set", "smtp.port", "--", "-1"], "错误：配置项 smtp.port 应为 1 到 65535 之间的整数，而不是 “-1”"),
    (["set", "smtp.port", "abc"], "错误：配置项 smtp.port 应为 1 到 65535 之间的整数，而不是 “abc”"),
    (["set", "smtp.port", "６５５３６"], "错误：配置项 smtp.port 应为 1 到 65535 之间的整数，而不是 “６５５３６”"),
    (["set", "smtp.from", "zwgk"], "错误：配置项 smtp.from 不是有效的电子邮件地址：“zwgk”"),
    (["set", "email.行财科", "a@b.cn；c@"], "错误：配置项 email.行财科 不是有效的电子邮件地址：“c@”"),
    (["set", "wecom.default", "http://qyapi.weixin.qq.com/x"],
     "错误：配置项 wecom.default 的 webhook 地址应以 https:// 开头：http://qyapi.weixin.qq.com/…"),
    (["set", "dingtalk.行财科", "oapi.dingtalk.com/robot/send"],
     "错误：配置项 dingtalk.行财科 的 webhook 地址应以 https:// 开头：oapi.dingtalk.com/robot/send…"),
    (["set", "wecom.", "https://x.cn/"], None),
])
def test_bad_settings_are_refused(gwgk, cfg: Path, args: list[str], message: str | None) -> None:
    result = gwgk("config", *args)
    assert result.exit_code == 2
    assert result.stderr == (message + "\n" if message else result.stderr) and result.stderr.startswith("错误：")
    assert not cfg.exists()


@pytest.mark.parametrize("text,message", [
    ("[user]\nnick = \"x\"\n", "未知的配置项 “user.nick”"),
    ("[report]\nwarn_days = \"7\"\n", "report.warn_days 应为不小于 0 的整数"),
    ("[smtp]\nport = 99999\n", "smtp.port 应为 1 到 65535 之间的整数"),
    ("[smtp]\nport = 0\n", "smtp.port 应为 1 到 65535 之间的整数"),
    ("[smtp]\npassword = \"pa55\"\n", "smtp.password：gwgk 不保存密码"),
    ("[user]\nname = 3\n", "user.name 应为文字"),
    ("user = 1\n", "“user” 应为 [user] 小节"),
    ("[user\n", "格式有误"),
    ("[user]\nname = \"李明\"\n", "config.toml:2: 不是 UTF-8 编码的文本，看起来是 GBK/GB18030（“ANSI”）编码"),
])
def test_a_broken_file_is_one_error_line(gwgk, table: Path, cfg: Path, text: str, message: str) -> None:
    cfg.parent.mkdir(parents=True)
    cfg.write_bytes(text.encode("gb18030") if "ANSI" in message else text.encode("utf-8"))
    result = gwgk("list", "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：") and message in result.stderr and result.stderr.count("\n") == 1
    assert gwgk("info").exit_code == 0  # info still works and says what is wrong
    assert message in gwgk("info").stdout


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(str.strip),
       st.integers(0, 10_000))
def test_written_file_reads_back(tmp_path_factory: pytest.TempPathFactory, name: str, days: int) -> None:
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    try:
        config.set_value("user.name", name, path)
    except Exception as exc:  # bidi marks and the like are refused, never written
        assert "控制字符" in str(exc)
        assert not path.exists()
        return
    config.set_value("report.warn_days", str(days), path)
    assert config.load(path) == {"user.name": name.strip(), "report.warn_days": days}


# --------------------------------------------------------------------------- precedence


def test_by_default_precedence(gwgk, table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def last_by() -> str:
        return json.loads(gwgk("log", "--format", "json").stdout)[0]["by"]

    assert gwgk("config", "set", "user.name", "配置里的名字").exit_code == 0
    assert gwgk("note", "3", "环境变量优先").exit_code == 0
    assert last_by() == "测试员"  # GWGK_USER
    monkeypatch.delenv("GWGK_USER")
    assert gwgk("note", "3", "配置其次").exit_code == 0
    assert last_by() == "配置里的名字"
    assert gwgk("note", "3", "选项最先", "--by", "选项名").exit_code == 0
    assert last_by() == "选项名"


def test_report_compiler_from_config_not_login(gwgk, table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    monkeypatch.delenv("GWGK_USER")
    monkeypatch.setenv("PATH", "")  # no git: the name comes from the login
    login = getpass.getuser()
    result = gwgk("report", "--week", "2021-W47")
    assert f"编制：{login}（系统登录名）" in re.sub(r"\s+", "", result.stdout)  # said to be a login, not passed off as a name
    assert result.stderr == f"提示：未设置姓名，编制人暂写登录名 “{login}”；请运行 gwgk config set user.name 您的姓名\n"
    assert gwgk("config", "set", "user.name", "张三").exit_code == 0
    result = gwgk("report", "--week", "2021-W47")
    assert "编制：张三" in re.sub(r"\s+", "", result.stdout) and login not in result.stdout and result.stderr == ""


def test_windows_precedence(gwgk, table: Path) -> None:
    """Task 28 is due 2021-12-31, 39 days after 2021-11-22; the table's settings say warn_days: 30."""
    def signal(*args: str) -> str:
        recs = json.loads(gwgk("list", "--format", "json", *args).stdout)
        return next(r["signal"] for r in recs if r["id"] == 28)

    assert signal() == "green"  # the table's 30 days
    assert gwgk("config", "set", "report.warn_days", "40").exit_code == 0
    assert signal() == "yellow"  # config over the table's settings
    assert signal("--warn-days", "10") == "green"  # option over config
    text = table.read_text(encoding="utf-8")
    assert "  warn_days: 30\n" in text
    table.write_text(text.replace("  warn_days: 30\n", "  warn_days: 45\n", 1), encoding="utf-8")
    assert gwgk("config", "set", "report.warn_days", "10").exit_code == 0
    assert signal() == "green"  # config (10) over the table (45)
    assert gwgk("config", "unset", "report.warn_days").exit_code == 0
    assert signal() == "yellow"  # the table (45) again


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is 3.11+; tomli is used on 3.10")
def test_reads_with_the_standard_library() -> None:
    import tomllib

    assert tomllib.loads(config.dump({"user.name": "引号\"与\\反斜杠", "report.stale_days": 3})) == {
        "user": {"name": "引号\"与\\反斜杠"}, "report": {"stale_days": 3}}


def test_channel_settings_by_unit(gwgk, cfg: Path) -> None:
    """Per-unit 催办 channels: quoted TOML keys, shown with the webhook token cut and the secret hidden,
    the file readable by its owner only."""
    for key, value in [("smtp.host", "smtp.example.gov.cn"), ("smtp.security", "ssl"),
                       ("email.行财科", "xck@example.gov.cn，cw@example.gov.cn"),
                       ("wecom.default", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdefXYZ"),
                       ("dingtalk_secret.行财科", "SEC0123456789")]:
        result = gwgk("config", "set", key, value)
        assert result.exit_code == 0, result.output
    assert "SEC0123456789" not in result.stdout
    assert cfg.read_text(encoding="utf-8") == (
        "# gwgk 的用户配置；请用 gwgk config set / unset 修改。\n\n"
        "[smtp]\nhost = \"smtp.example.gov.cn\"\nsecurity = \"ssl\"\n\n"
        "[email]\n\"行财科\" = \"xck@example.gov.cn，cw@example.gov.cn\"\n\n"
        "[wecom]\ndefault = \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdefXYZ\"\n\n"
        "[dingtalk_secret]\n\"行财科\" = \"SEC0123456789\"\n")
    if os.name != "nt":
        assert cfg.stat().st_mode & 0o777 == 0o600
    shown = gwgk("config", "show").stdout.splitlines()
    assert "email.行财科 = “xck@example.gov.cn，cw@example.gov.cn”" in shown
    assert "wecom.default = “https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123…”" in shown
    assert "dingtalk_secret.行财科 = “SEC…（已隐藏）”" in shown
    assert config.load(cfg)["email.行财科"] == "xck@example.gov.cn，cw@example.gov.cn"
    assert gwgk("config", "unset", "email.行财科").stdout == "已取消 email.行财科\n"


@pytest.mark.parametrize(("key", "stored", "said"), [
    ("email.行财科", "email.行财科", ""),
    ("email.行政财务科", "email.行政财务科", ""),  # an alias: kept as written, resolved when sending
    ("email.网站", "email.政府网站", "（“网站”即单位“政府网站”）"),  # a part of a name, as --unit takes it
    ("wecom.xck", "wecom.行财科", "（“xck”即单位“行财科”）"),
])
def test_config_set_takes_a_unit_as_unit_options_do(gwgk: Any, table: Path, key: str, stored: str, said: str) -> None:
    """Found by a clerk test: `email.网站` was stored and never used (催办 mailed no one for 政府网站)."""
    value = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" if key.startswith("wecom") else "a@example.gov.cn"
    result = gwgk("config", "set", key, value)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"已设置 {stored} = ")
    assert said in result.stdout
    assert gwgk("config", "show").stdout.count(f"{stored} = ") == 1


def test_config_set_refuses_an_unknown_unit(gwgk: Any, table: Path) -> None:
    result = gwgk("config", "set", "email.会务科", "a@example.gov.cn")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：未知单位 “会务科”。最接近的单位：会务联络科")
    assert "会务科" not in gwgk("config", "show").stdout


@pytest.mark.parametrize(("key", "typed", "stored"), [("report.warn_days", "１５", "15"), ("smtp.port", "４６５", "465")])
def test_config_numbers_may_be_typed_full_width(gwgk: Any, table: Path, key: str, typed: str, stored: str) -> None:
    """Found by a clerk test: `config set report.warn_days １５` was refused while `--percent １２` was taken."""
    result = gwgk("config", "set", key, typed)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"已设置 {key} = {stored}（")


def test_a_windows_path_in_double_quotes_says_how_to_write_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a Windows review: file = "D:\\政务公开\\…" (a backslash escape TOML refuses) said only
    Unescaped '\\' in a string."""
    from gwgk_cli.config import ConfigError, load

    monkeypatch.setenv("GWGK_CONFIG_DIR", str(tmp_path))
    (tmp_path / "config.toml").write_text('[table]\nfile = "D:\\政务公开\\tasks_2022.yaml"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load()
    assert str(caught.value).endswith("（Windows 路径请写在单引号中，如 file = 'D:\\政务公开\\tasks_2022.yaml'，或用 / 分隔）")
