"""What `gwgk doctor` checks of the 催办 contacts: the config's per-unit keys (a malformed e-mail
address, a webhook that is not https, a unit the task table does not know), and that a config file
holding secrets (webhook addresses, which carry access tokens; 钉钉 加签 secrets; an SMTP password written
in by hand) is not readable by other users (POSIX only: on Windows the file's ACL, not its mode bits,
decides, and the user's profile folder is private by default). The table's own `units: email` addresses
are checked when the table is read (table.py), so they are not reported twice."""

from __future__ import annotations

import os
import re
from pathlib import Path

from gwgk_cli.model import Plan

SECRET_LABELS = {"wecom": "群机器人 webhook 地址（含访问令牌）", "dingtalk": "群机器人 webhook 地址（含访问令牌）",
                 "dingtalk_secret": "钉钉加签密钥", "password": "SMTP 密码"}


def secrets_in(text: str) -> list[str]:
    """What kinds of secret a config file's text holds (SECRET_LABELS), read leniently: a file that is not
    valid TOML is searched by its section headers and `password =` lines."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, no-redef]
    found: list[str] = []
    try:
        data = tomllib.loads(text)
        for section, body in data.items():
            if not isinstance(body, dict) or not body:
                continue
            if section in SECRET_LABELS:
                found.append(SECRET_LABELS[section])
            if any("password" in str(name).lower() for name in body):
                found.append(SECRET_LABELS["password"])
    except (tomllib.TOMLDecodeError, ValueError):
        for section in re.findall(r"^\s*\[\s*([A-Za-z_]+)\s*\]", text, flags=re.MULTILINE):
            if section in SECRET_LABELS:
                found.append(SECRET_LABELS[section])
        if re.search(r"^\s*\S*password\S*\s*=", text, flags=re.MULTILINE | re.IGNORECASE):
            found.append(SECRET_LABELS["password"])
    return list(dict.fromkeys(found))


def exposure_problem(path: Path) -> str:
    """A line when the config file holds secrets and other users may read it (POSIX), else ""."""
    if os.name == "nt":
        return ""
    import stat

    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) or not st.st_mode & 0o044:
            return ""
        held = secrets_in(path.read_bytes()[:1_000_000].decode("utf-8-sig", "replace"))
    except OSError:
        return ""
    if not held:
        return ""
    return (f"{path}: 配置文件含{'、'.join(held)}，但其他用户可读（权限 {stat.S_IMODE(st.st_mode):o}）："
            f"请执行 chmod 600 {path}（gwgk config set 写入时会改为仅本人可读）")


def contact_problems(plan: Plan | None) -> tuple[list[str], list[str]]:
    """(problems, notes), a line each, naming the config file and the key; ([], []) when all is well. A unit
    the table does not know is a note, not a problem: the settings are the user's, for every table (last
    year's units stay when next year's table is in use). Without a plan (the table could not be read) units
    are not checked against it."""
    from gwgk_cli.config import config_path, key_for, load, unit_key, value_problem
    from gwgk_cli.errors import BadValue, ConfigError

    where = config_path()
    exposed = exposure_problem(where)
    try:
        values = load()
    except ConfigError as exc:
        return [line for line in (exposed, str(exc)) if line], []
    out: list[str] = [exposed] if exposed else []
    notes: list[str] = []
    known = {name for unit in plan.units for name in unit.names} if plan is not None else None
    for name, value in values.items():
        found = unit_key(name)
        if found is None:
            continue
        try:
            problem = value_problem(key_for(name), str(value))
        except BadValue as exc:  # a unit name with control characters, written by hand
            problem = str(exc)
        if problem:
            out.append(f"{where}: {problem}")
        unit = found[1]
        if unit != "default" and known is not None and unit not in known:
            notes.append(f"提示：{where}: {name}: 本任务表的单位名录中没有单位 “{unit}”（也许是另一年度任务表的单位；"
                         "用本表催办时不会用到这一项）")
    return out, notes
