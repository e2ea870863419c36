"""The user's settings: a small TOML file in the per-user config directory (`gwgk config`).

Keys are namespaced and fixed (KEYS); anything else is refused with the list of known keys, in the file
as on the command line. Values are checked when set and when read. The file is read with the standard
library (`tomllib`, Python 3.11+; `tomli` on 3.10) and written by `dump` below (atomically), so a
comment added by hand is not kept.

Precedence, everywhere: command-line option > environment variable > this file > the task table's
settings > built-in default. `default_user` gives the --by / 编制 default and says where it came from.

Besides the fixed keys, four sections are keyed by unit (催办 channels, personal and possibly secret, so
they live here and not in the versioned task table): `email.<单位>` (addresses overriding the table's
`units: email`), `wecom.<单位>` / `dingtalk.<单位>` (group-robot webhooks; `default` for every unit
without its own) and `dingtalk_secret.<单位>` (the 钉钉 加签 secret of that unit's robot, or `default`).
The SMTP password is never stored: `smtp.password` is refused (notify/settings.py reads it from
GWGK_SMTP_PASSWORD or the system keyring).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NamedTuple

from gwgk_cli.errors import BadValue, ConfigError

CONFIG_NAME = "config.toml"
MAX_BYTES = 64 * 1024


class Key(NamedTuple):
    """One configuration key: its type, help, and the checks of a value."""

    name: str
    kind: type  # str or int
    help: str
    minimum: int = 0
    check: str = ""  # extra check of a text value: security | email | emails | url
    maximum: int | None = None

    def int_range(self) -> str:
        """“应为不小于 1 的整数” or “应为 1 到 65535 之间的整数”."""
        if self.maximum is None:
            return f"应为不小于 {self.minimum} 的整数"
        return f"应为 {self.minimum} 到 {self.maximum} 之间的整数"


KEYS: dict[str, Key] = {k.name: k for k in (
    Key("user.name", str, "登记人、周报编制人的默认姓名（--by）"),
    Key("user.unit", str, "本人所在单位（gwgk info 显示）"),
    Key("report.warn_days", int, "到期前多少天亮黄灯（--warn-days 的默认值）", 0),
    Key("report.stale_days", int, "持续推进事项多少天未更新亮黄灯（--stale-days 的默认值）", 1),
    Key("smtp.host", str, "催办邮件的 SMTP 服务器（remind --send）"),
    Key("smtp.port", int, "SMTP 端口（默认 none/starttls 为 25，ssl 为 465）", 1, maximum=65535),
    Key("smtp.security", str, "none、starttls 或 ssl（默认 none）", check="security"),
    Key("smtp.user", str, "SMTP 登录名；密码取自环境变量 GWGK_SMTP_PASSWORD 或系统钥匙串"),
    Key("smtp.from", str, "发件人地址（默认 smtp.user）", check="email"),
    Key("table.file", str, "默认任务表（未用 --file、未设 GWGK_FILE 时使用；存为完整路径）", check="path"),
)}

# Sections keyed by unit name (or `default`): (section, check, help).
UNIT_SECTIONS: dict[str, tuple[str, str]] = {
    "email": ("emails", "该单位的催办邮箱（覆盖任务表 units 的 email；多个用逗号分隔）"),
    "wecom": ("url", "企业微信群机器人 webhook（default: 未单独配置的单位都发到这里）"),
    "dingtalk": ("url", "钉钉自定义机器人 webhook（default 同上）"),
    "dingtalk_secret": ("", "钉钉机器人的加签密钥（SEC 开头；default 同上）"),
}
SECURITY = ("none", "starttls", "ssl")
REFUSED = {"smtp.password": "gwgk 不保存密码：请设环境变量 GWGK_SMTP_PASSWORD，或用系统钥匙串"
                            "（keyring set gwgk-smtp 登录名）"}


def known_keys() -> str:
    return "、".join([*KEYS, *(f"{section}.<单位>" for section in UNIT_SECTIONS)])


def unit_key(name: str) -> tuple[str, str] | None:
    """(section, unit or "default") for a key of a unit section (wecom.行财科), else None."""
    section, dot, unit = name.partition(".")
    if dot and section in UNIT_SECTIONS and unit.strip():
        return section, unit
    return None


def config_dir() -> Path:
    """GWGK_CONFIG_DIR, else the platform's per-user config directory (paths.platform_dir)."""
    env = os.environ.get("GWGK_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from gwgk_cli.paths import platform_dir

    return platform_dir("config")


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def key_for(name: str) -> Key:
    """The key `name` (a fixed one or a unit section's); BadValue for an unknown or refused key."""
    return _check_key(name)


def _check_key(name: str) -> Key:
    key = KEYS.get(name)
    if key is not None:
        return key
    if name in REFUSED:
        raise BadValue(REFUSED[name])
    found = unit_key(name)
    if found is not None:
        from gwgk_cli.sanitize import needs_cleaning

        if needs_cleaning(found[1]) or found[1] != found[1].strip():
            raise BadValue(f"配置项 {name} 的单位名不能含控制字符或首尾空白")
        return Key(name, str, UNIT_SECTIONS[found[0]][1], check=UNIT_SECTIONS[found[0]][0])
    from gwgk_cli.sanitize import clean_line

    raise BadValue(f"未知的配置项 “{clean_line(name)}”（可用：{known_keys()}）")


def _check_text(key: Key, value: str) -> str:
    from gwgk_cli.sanitize import needs_cleaning

    value = value.strip()
    if not value:
        raise BadValue(f"配置项 {key.name} 不能为空（取消设置请用 gwgk config unset {key.name}）")
    if needs_cleaning(value) or "\n" in value or "\t" in value:
        raise BadValue(f"配置项 {key.name} 不能含控制字符或换行")
    return value


def split_addresses(text: str) -> list[str]:
    """Addresses written one after another: separated by commas, semicolons (either width) or spaces."""
    import re

    return [a for a in re.split(r"[,;，；、\s]+", text) if a]


def value_problem(key: Key, value: str) -> str:
    """Why a text value does not fit its key (empty when it does): for `config set` and `gwgk doctor`."""
    if key.check == "security" and value not in SECURITY:
        return f"{key.name} 应为 none、starttls 或 ssl，而不是 “{value}”"
    if key.check in ("email", "emails"):
        from gwgk_cli.table import EMAIL_PATTERN

        for address in split_addresses(value) if key.check == "emails" else [value]:
            if not EMAIL_PATTERN.fullmatch(address):
                return f"{key.name} 不是有效的电子邮件地址：“{address}”"
    if key.check == "url":
        why = webhook_problem(value)
        if why:
            return f"{key.name} {why}"
    return ""


def webhook_problem(url: str) -> str:
    """Why a webhook address cannot be posted to (empty when it can): https with a host (plain http only to
    this machine, for tests), no space or control character (a paste that broke the address), one that
    urllib can parse. The message names the scheme and host only: the path and query hold the token."""
    import urllib.parse

    try:
        parsed = urllib.parse.urlsplit(url)
        host = parsed.hostname
    except ValueError:  # an unbalanced [ ] (IPv6), a bad port
        return "的 webhook 地址无法解析（请重新复制完整的地址）"
    shown = f"{parsed.scheme}://{host}/…" if host else url.split("?")[0][:40] + "…"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return f"的 webhook 地址中有空格或换行（复制时断开了？请重新复制完整的地址）：{shown}"
    loopback = parsed.scheme == "http" and host in ("127.0.0.1", "localhost", "::1")
    if not (parsed.scheme == "https" and host) and not loopback:
        return f"的 webhook 地址应以 https:// 开头：{shown}"
    return ""


def masked(name: str, value: str) -> str:
    """A value as shown on screen: a 钉钉 secret hidden, a webhook's query (its access token) cut short."""
    found = unit_key(name)
    if found is None:
        return value
    if found[0] == "dingtalk_secret":
        return f"{value[:3]}…（已隐藏）"
    if found[0] in ("wecom", "dingtalk") and "?" in value:  # key=…, access_token=…: the first 4 characters
        base, _, query = value.partition("?")
        parts = [(f"{k}={v[:4]}…" if len(v) > 4 else f"{k}={v}") for k, _, v in (p.partition("=") for p in query.split("&"))]
        return f"{base}?{'&'.join(parts)}"
    return value


def parse_value(name: str, text: str) -> str | int:
    """A value typed on the command line for `name`, checked."""
    key = _check_key(name)
    if key.kind is int:
        from gwgk_cli.sheets.values import normal

        raw = normal(text.strip())  # full-width digits read as ASCII, as every number gwgk reads
        if not (raw.isascii() and raw.isdigit()) or not _in_range(key, int(raw)):
            from gwgk_cli.sanitize import clean_line

            raise BadValue(clean_line(f"配置项 {name} {key.int_range()}，而不是 “{text}”"))
        return int(raw)
    value = _check_text(key, text)
    problem = value_problem(key, value)
    if problem:
        raise BadValue(f"配置项 {problem}")
    if key.check == "path":  # a table: stored in full (it is used from any folder), and it must be there now
        full = Path(value).expanduser().resolve()
        if not full.is_file():
            raise BadValue(f"配置项 {name}：文件 {full} 不存在")
        return str(full)
    return value


def _in_range(key: Key, value: int) -> bool:
    return value >= key.minimum and (key.maximum is None or value <= key.maximum)


def _flatten(data: dict[str, Any], where: Path) -> dict[str, str | int]:
    out: dict[str, str | int] = {}
    for section, body in data.items():
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: “{section}” 应为 [{section}] 小节（可用的配置项：{known_keys()}）")
        for name, value in body.items():
            full = f"{section}.{name}"
            if full in REFUSED:  # smtp.password written by hand: say why, not “unknown”
                raise ConfigError(f"{where}: {full}：{REFUSED[full]}；请从配置文件中删去这一项")
            try:
                key = _check_key(full)
            except BadValue:
                raise ConfigError(f"{where}: 未知的配置项 “{full}”（可用：{known_keys()}）") from None
            if key.kind is int:
                if type(value) is not int or not _in_range(key, value):
                    raise ConfigError(f"{where}: {full} {key.int_range()}")
            elif not isinstance(value, str):
                raise ConfigError(f"{where}: {full} 应为文字（用双引号括起）")
            else:
                try:
                    value = _check_text(key, value)
                except BadValue as exc:
                    raise ConfigError(f"{where}: {exc}") from None
                # A unit's address or webhook is reported by gwgk doctor (and by the send), not here.
                problem = value_problem(key, value) if full in KEYS else ""
                if problem:
                    raise ConfigError(f"{where}: {problem}")
            out[full] = value
    return out


def load(path: Path | None = None) -> dict[str, str | int]:
    """The settings in the file (empty when there is none), flattened to {"user.name": …}."""
    path = path or config_path()
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件 {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"配置文件 {path} 不是普通文件")
    if st.st_size > MAX_BYTES:
        raise ConfigError(f"配置文件 {path} 过大（{st.st_size} 字节，上限 {MAX_BYTES}）")
    try:
        raw = path.read_bytes()[: MAX_BYTES + 1]
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件 {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        from gwgk_cli.reading import not_utf8

        raise ConfigError(f"配置文件 {path}:{not_utf8(raw, exc.start)}") from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, no-redef]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        hint = ("（Windows 路径请写在单引号中，如 file = 'D:\\政务公开\\tasks_2022.yaml'，或用 / 分隔）"
                if "escape" in str(exc).lower() or "\\" in str(exc) else "")  # found by a Windows review
        raise ConfigError(f"配置文件 {path} 格式有误：{exc}{hint}") from None
    return _flatten(data, path)


def dump(values: dict[str, str | int]) -> str:
    """TOML for the settings: one [section] per namespace, keys in KEYS order. Strings are TOML basic
    strings (JSON's escapes are a subset of TOML's)."""
    import re

    lines = ["# gwgk 的用户配置；请用 gwgk config set / unset 修改。", ""]
    sections: dict[str, list[str]] = {}
    by_unit = sorted((n for n in values if n not in KEYS), key=lambda n: (list(UNIT_SECTIONS).index(n.split(".")[0]),
                                                                        n.split(".", 1)[1] != "default", n))
    for name in [*(n for n in KEYS if n in values), *by_unit]:
        section, key = name.split(".", 1)
        if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
            key = json.dumps(key, ensure_ascii=False)  # a unit name: a quoted TOML key
        value = values[name]
        shown = str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)
        sections.setdefault(section, []).append(f"{key} = {shown}")
    for section, body in sections.items():
        lines += [f"[{section}]", *body, ""]
    return "\n".join(lines)


def set_value(name: str, text: str, path: Path | None = None) -> str | int:
    value = parse_value(name, text)
    path = path or config_path()
    values = load(path)
    values[name] = value
    _save(path, values)
    return value


def unset(name: str, path: Path | None = None) -> bool:
    """Remove a key; False when it was not set."""
    _check_key(name)
    path = path or config_path()
    values = load(path)
    if name not in values:
        return False
    del values[name]
    _save(path, values)
    return True


def _save(path: Path, values: dict[str, str | int]) -> None:
    from gwgk_cli.safe_write import write_text_atomic

    try:
        if any(unit_key(name) for name in values):  # webhooks carry access tokens: for the owner only,
            path.parent.mkdir(parents=True, exist_ok=True)  # before they are written (the new file takes
            path.touch(mode=0o600, exist_ok=True)  # the old one's mode): never readable by others meanwhile
            os.chmod(path, 0o600)
        write_text_atomic(path, dump(values))
    except OSError as exc:
        from gwgk_cli.paths import os_reason

        raise ConfigError(f"无法写入配置文件 {path}: {os_reason(exc, path)}") from None


def get(name: str) -> str | int | None:
    """One setting, or None; a broken config file is an error (it is never silently ignored)."""
    _check_key(name)
    return load().get(name)


def get_int(name: str) -> int | None:
    value = get(name)
    return value if isinstance(value, int) else None


# --------------------------------------------------------------------------- who is typing

SOURCE_LABELS = {"env": "环境变量 GWGK_USER", "config": "配置文件 user.name", "git": "git 的 user.name",
                 "login": "登录名"}


def default_user() -> tuple[str, str]:
    """(name, where it came from): GWGK_USER > config user.name > git's user.name > the login name."""
    user = os.environ.get("GWGK_USER", "").strip()
    if user:
        return user, "env"
    configured = get("user.name")
    if isinstance(configured, str) and configured:
        return configured, "config"
    import shutil
    import subprocess

    git = shutil.which("git")
    if git:
        try:
            out = subprocess.run([git, "config", "user.name"], capture_output=True, text=True, encoding="utf-8",
                                 timeout=5, check=False)
            if out.returncode == 0 and out.stdout.strip():
                return out.stdout.strip(), "git"
        except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
            pass
    import getpass

    try:
        return getpass.getuser(), "login"
    except Exception:  # getuser raises various errors when no name is set
        return "unknown", "login"
