"""What `gwgk doctor` checks of the 催办 contacts: the config's per-unit keys (a malformed e-mail
address, a webhook that is not https, a unit the task table does not know). The table's own `units:
email` addresses are checked when the table is read (table.py), so they are not reported twice."""

from __future__ import annotations

from gwgk_cli.model import Plan


def contact_problems(plan: Plan | None) -> list[str]:
    """One line per problem, naming the config file and the key; [] when all is well. Without a plan
    (the table could not be read) units are not checked against it."""
    from gwgk_cli.config import config_path, key_for, load, unit_key, value_problem
    from gwgk_cli.errors import BadValue, ConfigError

    try:
        values = load()
    except ConfigError as exc:
        return [str(exc)]
    where = config_path()
    known = {name for unit in plan.units for name in unit.names} if plan is not None else None
    out: list[str] = []
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
            out.append(f"{where}: {name}: 任务表的单位名录中没有单位 “{unit}”（催办不会用到这一项）")
    return out
