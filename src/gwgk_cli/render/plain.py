"""Plain renderers: TSV (stable, ANSI-free, for pipes), CSV (UTF-8 with BOM for Excel/WPS), JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter, methodcaller
from typing import Any

from gwgk_cli.sanitize import cell, clean_line, escape_in_strings, needs_cleaning

BOM = "\ufeff"

Column = tuple[str, Callable[[Mapping[str, Any]], Any]]


def cell_text(value: Any) -> str:
    """A value as one cell's text (not yet sanitised)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


# What a cell may start with for a spreadsheet to take it as a formula (also after a tab, CR or space).
_RISKY_START = frozenset("=+-@\t\r\n ")


def sheet_cell(value: Any) -> str:
    """A TSV/CSV cell: numbers as they are (a negative 剩余天数 stays a number), text that a spreadsheet
    would take as a formula through sanitize.cell (prefixed with '). Control characters are left to the
    caller's one check over the whole output (most cells need nothing, so the usual cost is one type
    test and one character test)."""
    kind = type(value)
    if kind is str:
        return cell(value) if value and value[0] in _RISKY_START else value
    if value is None:
        return ""
    if kind is int or kind is float or kind is bool:
        return cell_text(value)
    text = cell_text(value)
    return cell(text) if text and text[0] in _RISKY_START else text


# What a cell that a spreadsheet would take as a formula starts with, after the NUL that `_any_risky` puts
# before every cell.
_RISKY_AFTER_NUL = tuple("\x00" + c for c in sorted(_RISKY_START))
_TEXT_KINDS = frozenset({str, type(None)})
_NUMBER_KINDS = frozenset({int, type(None)})
_LIST_KIND = {list}


def _any_risky(texts: list[str]) -> bool:
    """Whether a text starts with a character of _RISKY_START: one substring search per such character over
    the texts joined by NUL (a NUL inside a text can only add a false alarm, settled cell by cell)."""
    joined = "\x00" + "\x00".join(texts)
    return any(start in joined for start in _RISKY_AFTER_NUL)


def column_cells(values: list[Any]) -> list[str]:
    """`sheet_cell` of every value of one column, in a few passes over the whole column when all its values
    are text (or None), lists of text, or whole numbers (or None): the usual case, with no cell starting a
    formula."""
    kinds = set(map(type, values))
    if kinds <= _TEXT_KINDS:
        texts = [v if v is not None else "" for v in values] if type(None) in kinds else values
        if not _any_risky(texts):
            return texts
    elif kinds <= _NUMBER_KINDS:
        return [str(v) if v is not None else "" for v in values] if type(None) in kinds else list(map(str, values))
    elif kinds == _LIST_KIND:
        try:
            texts = list(map("、".join, values))
        except TypeError:  # not all text: cell by cell
            return [sheet_cell(v) for v in values]
        if not _any_risky(texts):
            return texts
    return [sheet_cell(v) for v in values]


def tsv(records: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """A header line, then one line per record; every cell as sanitize.cell makes it (Excel opens TSV
    too): tabs and line breaks inside cells become spaces, controls are escaped, formulas neutralised."""
    records = list(records)
    return tsv_values([name for name, _ in columns], [list(map(get, records)) for _, get in columns], len(records))


def tsv_values(names: Sequence[str], values: Sequence[list[Any]], count: int) -> str:
    """`tsv` from the values of each column (`count` rows), as the columns' getters would give them."""
    lines = ["\t".join(names)]
    if values:
        lines += map("\t".join, zip(*[column_cells(v) for v in values], strict=True))
    else:
        lines += [""] * count
    text = "\n".join(lines)
    if needs_cleaning(text) or text.count("\n") != len(lines) - 1 or text.count("\t") != len(lines) * (len(names) - 1):
        # Rare: a cell holds a control character, a tab or a line break; clean cell by cell so the
        # columns stay aligned.
        lines = lines[:1] + (list(map("\t".join, zip(*[[clean_line(sheet_cell(v)) for v in col] for col in values],
                                                      strict=True))) if values else [""] * count)
        text = "\n".join(lines)
    return text + "\n"


def csv_text(records: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """CSV with a UTF-8 BOM (so Excel and WPS open the Chinese correctly) and CRLF line ends; cells as
    sanitize.cell makes them (one line each, no control characters, never a formula)."""
    records = list(records)
    return csv_values([name for name, _ in columns], [list(map(get, records)) for _, get in columns], len(records))


def csv_values(names: Sequence[str], values: Sequence[list[Any]], count: int) -> str:
    """`csv_text` from the values of each column (`count` rows), as the columns' getters would give them."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(list(names))
    cols = [column_cells(v) for v in values]
    every = "".join(map("".join, cols))
    if needs_cleaning(every) or "\n" in every or "\t" in every:  # rare: clean cell by cell
        cols = [[clean_line(c) for c in col] for col in cols]
    writer.writerows(zip(*cols, strict=True) if cols else [[] for _ in range(count)])
    return BOM + buf.getvalue()


def json_text(data: Any) -> str:
    """JSON keeps the exact text: its encoder escapes control characters; a lone surrogate (an
    undecodable byte kept by surrogateescape) is written as its \\u escape, so the output is always
    valid UTF-8 and json.loads gives the same string back."""
    from gwgk_cli.render.json_indent import dumps

    text = dumps(data)  # json.dumps's text, faster
    if text is None:  # not plain JSON values: json.dumps decides (or says what it cannot encode)
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2)
    return escape_in_strings(text) + "\n"


def yaml_text(data: Any) -> str:
    """YAML (gwgk export --format yaml): Chinese kept readable, keys in record order; a string holding a
    character `clean` would escape (a bidi override, a control character) is double-quoted with that
    character as an escape, like JSON's: the exact text when parsed, nothing acting on a terminal."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = '"' if needs_cleaning(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return escape_in_strings(str(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False)), yaml=True)


def days_text(rec: Mapping[str, Any]) -> str:
    """剩余天数 as words: 还剩 9 天 / 今天到期 / 逾期 3 天 / 持续推进; for a finished task, how it was finished
    against the due date (按期完成 / 逾期 3 天完成), which no later reference date changes."""
    if rec.get("ongoing"):
        return "持续推进"
    if rec.get("status") == "done":
        due, done_on = rec.get("due"), rec.get("done_on")
        if not due or not done_on:
            return ""
        late = (dt.date.fromisoformat(done_on) - dt.date.fromisoformat(due)).days
        return f"逾期 {late} 天完成" if late > 0 else "按期完成"
    days = rec.get("days_left")
    if days is None:
        return ""
    if days > 0:
        return f"还剩 {days} 天"
    if days == 0:
        return "今天到期"
    return f"逾期 {-days} 天"


TASK_COLUMNS: list[Column] = [
    ("序号", itemgetter("id")),
    ("部分", lambda r: r["section_label"] + (r["subsection_label"] or "")),
    ("任务", itemgetter("title")),
    ("责任单位", itemgetter("units")),
    ("牵头单位", itemgetter("lead_unit")),
    ("时限", itemgetter("deadline")),
    ("到期日", itemgetter("due")),
    ("剩余天数", itemgetter("days_left")),
    ("状态", itemgetter("status_label")),
    ("进度", itemgetter("percent")),
    ("最近更新", itemgetter("updated")),
    ("信号", methodcaller("get", "signal_label", "")),
    ("提示", methodcaller("get", "signal_reason", "")),
]

def task_column_values(values: Mapping[str, list[Any]]) -> list[list[Any]]:
    """The values of TASK_COLUMNS from queries.task_values (record key -> values), column by column: what
    each column's getter gives for each record (tests/test_plain.py checks that they agree)."""
    return [
        values["id"],
        [label + (sub or "") for label, sub in zip(values["section_label"], values["subsection_label"], strict=True)],
        values["title"], values["units"], values["lead_unit"], values["deadline"], values["due"], values["days_left"],
        values["status_label"], values["percent"], values["updated"], values["signal_label"], values["signal_reason"],
    ]


def accept_text(rec: Mapping[str, Any], day: Callable[[str], str] = str) -> str:
    """签收 as show, the CSV and the 台账 say it: who signed and when (行财科 2021-11-20; `day` writes the date: the
    台账 writes 2021年11月20日, as its other dates), 未签收, or that only another unit named on the task has (签收
    is the lead unit's: records' `accepted`)."""
    signed = "、".join(f"{a['unit']} {day(a['date'])}" for a in rec["accepted_by"])
    return signed if rec["accepted"] else f"牵头单位未签收（已签收：{signed}）" if signed else "未签收"


ACCEPT_COLUMN: Column = ("签收", accept_text)


def extension_cell(rec: Mapping[str, Any]) -> str:
    """延期情况 as the xlsx 台账 says it (report_wording.extension_text, every date with its year): 原定2021年12月31日，
    延期经李批准 or 申请延期至2022年1月31日，未经批准, beside the 到期日 in force; empty without a 延期 (the wording
    imported only then)."""
    if not rec.get("extensions"):
        return ""
    from gwgk_cli.report_wording import WITH_YEAR, extension_text

    return extension_text(rec, WITH_YEAR)


# Without 签收, which comes last in every CSV (after the export's own columns): added, not moved in between.
CSV_BASE_COLUMNS: list[Column] = [
    *TASK_COLUMNS[:3],
    ("具体要求", lambda r: r["requirement"]),
    *TASK_COLUMNS[3:7],  # … 时限, 到期日
    ("延期情况", extension_cell),
    *TASK_COLUMNS[7:],
    ("最近进展", itemgetter("last_note")),
]
CSV_TASK_COLUMNS: list[Column] = [*CSV_BASE_COLUMNS, ACCEPT_COLUMN]
