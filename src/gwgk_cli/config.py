"""The user's settings: a small TOML file in the per-user config directory (`gwgk config`).

Keys are namespaced and fixed (KEYS); anything else is refused with the list of known keys, in the file
as on the command line. Values are checked when set and when read. The file is read with the standard
library (`tomllib`, Python 3.11+; `tomli` on 3.10) and written by `dump` below (atomically), so a
comment added by hand is not kept.

Precedence, everywhere: command-line option > environment variable > this file > the task table's
settings > built-in default. `default_user` gives the --by / 编制 default and says where it came from.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gwgk_cli.errors import BadValue, GwgkError

CONFIG_NAME = "config.toml"
MAX_BYTES = 64 * 1024


class ConfigError(GwgkError):
    """The config file cannot be read or holds a value gwgk does not know."""


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    kind: type  # str or int
    help: str
    minimum: int = 0


KEYS: dict[str, Key] = {k.name: k for k in (
    Key("user.name", str, "登记人、周报编制人的默认姓名（--by）"),
    Key("user.unit", str, "本人所在单位（gwgk info 显示）"),
    Key("report.warn_days", int, "到期前多少天亮黄灯（--warn-days 的默认值）", 0),
    Key("report.stale_days", int, "持续推进事项多少天未更新亮黄灯（--stale-days 的默认值）", 1),
)}


def known_keys() -> str:
    return "、".join(KEYS)


def config_dir() -> Path:
    """GWGK_CONFIG_DIR, else the platform's per-user config directory (platformdirs)."""
    env = os.environ.get("GWGK_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("gwgk", appauthor=False))


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def _check_key(name: str) -> Key:
    key = KEYS.get(name)
    if key is None:
        from gwgk_cli.sanitize import clean_line

        raise BadValue(f"未知的配置项 “{clean_line(name)}”（可用：{known_keys()}）")
    return key


def _check_text(key: Key, value: str) -> str:
    from gwgk_cli.sanitize import needs_cleaning

    value = value.strip()
    if not value:
        raise BadValue(f"配置项 {key.name} 不能为空（取消设置请用 gwgk config unset {key.name}）")
    if needs_cleaning(value) or "\n" in value or "\t" in value:
        raise BadValue(f"配置项 {key.name} 不能含控制字符或换行")
    return value


def parse_value(name: str, text: str) -> str | int:
    """A value typed on the command line for `name`, checked."""
    key = _check_key(name)
    if key.kind is int:
        raw = text.strip()
        if not (raw.isascii() and raw.isdigit()) or int(raw) < key.minimum:
            raise BadValue(f"配置项 {name} 应为不小于 {key.minimum} 的整数，而不是 “{text}”")
        return int(raw)
    return _check_text(key, text)


def _flatten(data: dict[str, Any], where: Path) -> dict[str, str | int]:
    out: dict[str, str | int] = {}
    for section, body in data.items():
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: “{section}” 应为 [{section}] 小节（可用的配置项：{known_keys()}）")
        for name, value in body.items():
            full = f"{section}.{name}"
            if full not in KEYS:
                raise ConfigError(f"{where}: 未知的配置项 “{full}”（可用：{known_keys()}）")
            key = KEYS[full]
            if key.kind is int:
                if type(value) is not int or value < key.minimum:
                    raise ConfigError(f"{where}: {full} 应为不小于 {key.minimum} 的整数")
            elif not isinstance(value, str):
                raise ConfigError(f"{where}: {full} 应为文字（用双引号括起）")
            else:
                try:
                    value = _check_text(key, value)
                except BadValue as exc:
                    raise ConfigError(f"{where}: {exc}") from None
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
    except UnicodeDecodeError:
        raise ConfigError(f"配置文件 {path} 不是 UTF-8 文本") from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, no-redef]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"配置文件 {path} 格式有误：{exc}") from None
    return _flatten(data, path)


def dump(values: dict[str, str | int]) -> str:
    """TOML for the settings: one [section] per namespace, keys in KEYS order. Strings are TOML basic
    strings (JSON's escapes are a subset of TOML's)."""
    lines = ["# gwgk 的用户配置；请用 gwgk config set / unset 修改。", ""]
    sections: dict[str, list[str]] = {}
    for name in KEYS:
        if name in values:
            section, key = name.split(".", 1)
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
    from gwgk_cli.storage_io import write_text_atomic

    try:
        write_text_atomic(path, dump(values))
    except OSError as exc:
        raise ConfigError(f"无法写入配置文件 {path}: {exc.strerror or exc}") from None


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
