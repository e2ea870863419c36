"""The 示例 at the end of each command's `--help`: typical command lines a clerk can copy, each with what it
does. Kept here, apart from the docstrings (whose lines are joined and wrapped as prose): a command line is
never broken. Each line fits an 80-column window (tests/test_cli_parsing.py checks it)."""

from __future__ import annotations

# The command's path after `gwgk` -> (command line, what it does) pairs.
EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "menu": [("gwgk menu", "按编号选择要做的事（只输入 gwgk 也会打开）")],
    "list": [("gwgk list --unit 指导办 --lead", "该单位牵头的任务"),
             ("gwgk list --signal 红,黄", "只列亮红灯、黄灯的任务"),
             ("gwgk list --status blocked --wide", "受阻任务，显示全部列"),
             ("gwgk list --format xlsx -o 台账.xlsx", "写成 Excel 台账")],
    "show": [("gwgk show 4", "任务 4 的全部信息和进展记录"), ("gwgk show 14-16", "连续几项任务")],
    "units": [("gwgk units", "全部单位及其任务数"), ("gwgk units --format csv > 单位.csv", "存为 CSV")],
    "sections": [("gwgk sections", "部分、小节及其任务序号")],
    "doctor": [("gwgk doctor", "检查任务表和进展记录，问题带行号")],
    "info": [("gwgk info", "正在使用的任务表、进展记录和登记人")],
    "start": [("gwgk start 14 15", "任务 14、15 开始推进"),
              ("gwgk start 4 --date 2021-11-15 --note 已启动", "补记更早的日期和说明")],
    "done": [("gwgk done 4 --evidence https://www.huainan.gov.cn/xxgk/ysjs", "完成，附佐证材料链接"),
             ("gwgk done 4 --note 预决算已在专栏公开", "完成，附说明")],
    "block": [("gwgk block 2 --note 等待专题栏目技术方案", "受阻，写明原因（必填）")],
    "reopen": [("gwgk reopen 4 --note 需补充决算报表", "重新打开，回到推进中")],
    "note": [("gwgk note 14 \"已更新行政法规文本 126 件\" --percent 80", "登记进展和完成百分比")],
    "undo": [("gwgk undo", "撤销自己最近一次仍有效的变更"), ("gwgk undo 970c", "撤销指定记录（gwgk log 查编号）")],
    "log": [("gwgk log 4", "任务 4 的历史"), ("gwgk log --since 2021-11-15 --unit 行财科", "某单位某日以来的变更")],
    "accept": [("gwgk accept 4", "以牵头单位签收任务 4"), ("gwgk accept 6 --unit 指导办", "以其他责任单位签收")],
    "extend": [("gwgk extend 4 --to 2022-01-31 --note 等待审计结果 --approved-by 王主任", "延期，写明原因和批准人")],
    "review": [("gwgk review 4 --pass", "审核通过，销号"), ("gwgk review 4 --return --note 缺少决算报表", "退回，写明原因")],
    "remind": [("gwgk remind", "显示将发给各单位的催办内容（不发送）"), ("gwgk remind --unit 行财科 --send", "发送给该单位")],
    "warn": [("gwgk warn", "全部预警，按牵头单位分组"), ("gwgk warn --unit 指导办 --warn-days 15", "到期前 15 天起亮黄灯")],
    "check": [("gwgk check --strict || echo 有预警", "脚本中：有红灯或黄灯时退出码为 1")],
    "report": [("gwgk report", "本周周报显示在屏幕上"), ("gwgk report --week 2021-W47 -o 周报.docx", "某周周报写成 Word"),
               ("gwgk report --unit 行财科", "只含某单位的任务")],
    "bulletin": [("gwgk bulletin", "截至今天的通报"), ("gwgk bulletin --period 2021-Q4 -o 通报.docx", "某季度的通报写成 Word")],
    "export": [("gwgk export -o 全部任务.json", "全部任务导出为 JSON"), ("gwgk export -o 台账.xlsx", "导出为 Excel 台账")],
    "import": [("gwgk import 通知.docx", "由通知生成 tasks_<年度>.yaml"), ("gwgk import 通知.html --explain -o -", "逐项说明识别结果，只显示")],
    "sheet": [("gwgk sheet out --unit 行财科", "生成该单位的填报表"), ("gwgk sheet in 行财科.xlsx", "预览并导入发回的填报表"),
              ("gwgk sheet undo 行财科.xlsx", "撤销导错的填报表"), ("gwgk sheet status", "本周哪些单位尚未报送")],
    "sheet out": [("gwgk sheet out --unit 行财科", "生成该单位的填报表"), ("gwgk sheet out --all-units -o 填报表", "每个单位一份，写入目录")],
    "sheet in": [("gwgk sheet in 行财科.xlsx", "先预览，确认后记入"), ("gwgk sheet in *.xlsx --yes", "不询问，直接记入")],
    "sheet undo": [("gwgk sheet undo 行财科.xlsx", "列出此文件登记的记录，确认后一并撤销")],
    "sheet status": [("gwgk sheet status", "本周的报送情况"), ("gwgk sheet status --period 2021-W46", "某一周的报送情况")],
    "journal": [("gwgk journal split", "多台电脑共用前：变成每台电脑一个文件"), ("gwgk journal join", "合回单个文件"),
                ("gwgk journal recover", "找回 gwgk doctor 说丢失的记录")],
    "journal split": [("gwgk journal split", "变成目录，每台电脑只写自己的文件")],
    "journal join": [("gwgk journal join", "把目录合成单个文件")],
    "journal recover": [("gwgk journal recover", "列出丢失的记录，确认后写回"),
                        ("gwgk journal recover --yes", "不再询问，直接写回")],
    "config": [("gwgk config show", "全部配置项"), ("gwgk config set user.name 李明", "设置登记人姓名")],
    "config show": [("gwgk config show", "全部配置项、当前值和说明")],
    "config set": [("gwgk config set user.name 李明", "登记人姓名"), ("gwgk config set report.warn_days 15", "到期前 15 天亮黄灯")],
    "config unset": [("gwgk config unset report.warn_days", "恢复默认")],
    "config path": [("gwgk config path", "配置文件的位置")],
}


def examples_of(command_path: str) -> list[tuple[str, str]]:
    """The examples of a command by its path as Click gives it (`gwgk sheet status`, `python -m gwgk_cli list`);
    none for `gwgk` itself, whose help lists the commands."""
    words = command_path.split()
    for start in range(len(words) + 1):
        key = " ".join(words[start:])
        if key in EXAMPLES:
            return EXAMPLES[key]
    return []


def example_lines(examples: list[tuple[str, str]], width: int, indent: int) -> list[str]:
    """`gwgk show 4   # 任务 4 的全部信息`, the comments aligned when every line fits `width`; else a comment too
    long for its line stands above its command. A command line is never broken."""
    from gwgk_cli.render.cjkwrap import text_width

    pad = " " * indent
    column = max(text_width(cmd) for cmd, _ in examples) + 2
    if all(indent + column + 2 + text_width(what) <= width for _, what in examples):
        return [pad + cmd + " " * (column - text_width(cmd)) + "# " + what for cmd, what in examples]
    out = []
    for cmd, what in examples:
        if indent + text_width(cmd) + 4 + text_width(what) <= width:
            out.append(f"{pad}{cmd}  # {what}")
        else:
            out += [f"{pad}# {what}", pad + cmd]
    return out
