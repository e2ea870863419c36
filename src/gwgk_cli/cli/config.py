"""`gwgk config show | set KEY VALUE | unset KEY | path`: the user's settings (gwgk_cli.config)."""


from typing import Annotated

import typer
from typer.core import TyperGroup

from gwgk_cli.cli.base import ChineseHelp, GwgkCommand, app, env
from gwgk_cli.sanitize import clean_line


class ConfigGroup(ChineseHelp, TyperGroup):
    pass


config_app = typer.Typer(cls=ConfigGroup, no_args_is_help=True, rich_markup_mode=None,
                         context_settings={"help_option_names": ["-h", "--help"]},
                         help="查看和修改用户配置（姓名、单位、预警天数、催办渠道）：优先级 命令行选项 > 环境变量 > 配置文件 > 任务表 settings > 默认值。")
app.add_typer(config_app, name="config")

KeyArgument = Annotated[str, typer.Argument(metavar="KEY", help="配置项，例如 user.name（gwgk config show 列出全部）。",
                                            show_default=False)]


@config_app.command("show", cls=GwgkCommand)
def show() -> None:
    """列出全部配置项：当前值（未设置的标明）和说明；登记人还显示实际生效的姓名及其来源。"""
    from gwgk_cli.config import KEYS, SOURCE_LABELS, config_path, default_user, load, masked

    values = load()
    typer.echo(clean_line(f"# 配置文件：{config_path()}"))
    rows = []
    for name, key in KEYS.items():
        if name in values:
            value = values[name]
            shown = str(value) if isinstance(value, int) else f"“{value}”"
            rows.append((clean_line(f"{name} = {shown}"), clean_line(key.help)))
        else:
            rows.append((clean_line(f"{name} 未设置"), clean_line(key.help)))
    from gwgk_cli.cli import base

    if base.stdout_is_terminal():  # the notes in a column, wrapped under it by the Chinese rules
        import shutil

        from gwgk_cli.render.cjkwrap import fit_lines, text_width

        width = shutil.get_terminal_size().columns
        column = min(max(text_width(left) for left, _ in rows) + 2, width // 2)
        for left, note in rows:
            line = left + " " * max(column - text_width(left), 2) + "# " + note
            typer.echo("\n".join(fit_lines(line, width, " " * (max(column, text_width(left) + 2) + 2))))
    else:
        for left, note in rows:
            typer.echo(f"{left}    # {note}")
    for name, value in values.items():
        if name not in KEYS:  # the 催办 channels of units (email.行财科, wecom.default …)
            typer.echo(clean_line(f"{name} = “{masked(name, str(value))}”"))
    user, source = default_user()
    typer.echo(clean_line(f"# 登记人默认为 “{user}”（来自{SOURCE_LABELS[source]}）"))


@config_app.command("set", cls=GwgkCommand)
def set_(ctx: typer.Context, key: KeyArgument,
         value: Annotated[str, typer.Argument(metavar="VALUE", help="新的值。", show_default=False)]) -> None:
    """设置一个配置项，例如 gwgk config set user.name 张三、gwgk config set wecom.default https://…。"""
    from gwgk_cli.config import config_path, masked, set_value, unit_key

    said = ""
    found = unit_key(key)
    if found is not None and found[1] != "default":
        # The unit as --unit takes it (a name, an alias, a part of a name, pinyin): an unknown one is refused
        # here, not found missing when 催办 mails no one; a part of a name is stored under the unit's name.
        from gwgk_cli.units import resolve_unit

        unit = resolve_unit(env(ctx).tracker.header, found[1])
        if found[1] not in unit.names:
            said = f"（“{found[1]}”即单位“{unit.name}”）"
            key = f"{found[0]}.{unit.name}"
    stored = set_value(key, value)
    typer.echo(clean_line(f"已设置 {key} = {masked(key, str(stored))}{said}（{config_path()}）"))


@config_app.command("unset", cls=GwgkCommand)
def unset(key: KeyArgument) -> None:
    """取消一个配置项，恢复默认。"""
    from gwgk_cli.config import unset as remove

    if remove(key):
        typer.echo(f"已取消 {key}")
    else:
        typer.echo(f"{key} 本来就未设置")


@config_app.command("path", cls=GwgkCommand)
def path() -> None:
    """显示配置文件的位置（可用环境变量 GWGK_CONFIG_DIR 另指目录）。"""
    from gwgk_cli.config import config_path

    typer.echo(clean_line(str(config_path())))
