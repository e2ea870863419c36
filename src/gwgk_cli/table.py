"""Storage: read and validate a task table (YAML, schema in docs/schema.md).

Only a regular file of at most MAX_TABLE_BYTES is read. YAML anchors may be written but an alias (`*x`)
is refused (an alias bomb expands to gigabytes), a key repeated in one mapping is an error with its
line, and every value quoted in a message is cut to EXCERPT characters."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gwgk_cli.deadlines import parse_deadline
from gwgk_cli.errors import TableError, TableNotFound, TableUnreadable
from gwgk_cli.model import MAX_NUMBER, Plan, Repair, Section, Subsection, Task, Unit

SCHEMA_VERSION = 1
MAX_TABLE_BYTES = 16 * 1024 * 1024  # the 2021 table is 60 KB; 10,000 tasks are about 6 MB
EXCERPT = 80  # at most this many characters of a value in a message

TOP_KEYS = {"schema_version", "meta", "source", "settings", "units", "sections", "tasks", "repairs"}
META_KEYS = {"title", "notice_title", "issuer", "published", "year"}
SETTINGS_KEYS = {"warn_days", "stale_days", "review", "score"}
SCORE_KEYS = {"on_time", "late", "overdue", "extension", "returned"}  # the 通报's score weights (docs/schema.md)
UNIT_KEYS = {"name", "aliases", "collective", "email"}
EMAIL_PATTERN = re.compile(r"[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[A-Za-z]{2,}")
SECTION_KEYS = {"no", "title", "subsections"}
SUBSECTION_KEYS = {"no", "title"}
TASK_KEYS = {
    "id", "section", "subsection", "title", "requirement", "units", "leads", "deadline", "notice_progress",
}
REPAIR_KEYS = {"task", "field", "scraped", "restored", "note"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a table. Fatal problems make the table unusable."""

    where: str  # "FILE: 任务 7 字段 units"
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """repr() of a value, cut to `limit` characters: a message never prints a huge value."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_table_text(path: Path) -> str:
    """The table's text: a regular file of at most MAX_TABLE_BYTES, in UTF-8."""
    from gwgk_cli.reading import NotRegular, TooLarge, not_utf8, read_regular, size_text

    try:
        data = read_regular(path, MAX_TABLE_BYTES)
    except FileNotFoundError:
        from gwgk_cli.paths import beyond_max_path, long_path_advice

        if beyond_max_path(path):  # there, but Windows cannot reach it by this path
            raise TableUnreadable(f"{path}: 无法读取：{long_path_advice(path)}") from None
        raise TableNotFound(
            f"找不到任务表文件 {path}（用 --file 路径 或环境变量 GWGK_FILE 指定任务表）"
        ) from None
    except NotRegular:
        raise TableUnreadable(f"{path}: 任务表不是普通文件（设备、管道或目录），不能读取") from None
    except TooLarge as exc:
        raise TableUnreadable(f"{path}: 任务表过大（{exc.size} 字节，上限 {size_text(exc.limit)}）") from None
    except OSError as exc:
        from gwgk_cli.paths import os_reason

        raise TableUnreadable(f"{path}: 无法读取：{os_reason(exc, path)}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableUnreadable(f"{path}:{not_utf8(data, exc.start)}") from None



_LOADER: Any = None


def _strict_loader() -> Any:
    """The safe loader (C parser when present) with two checks in construction: an alias is refused when
    it is used (the composed tree shares the node, so nothing has been expanded yet), and a key repeated
    in one mapping is an error at the repeated key."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml
    from yaml.constructor import ConstructorError

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[valid-type,misc]
        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects:
                raise ConstructorError(None, None, "不支持 YAML 别名（*）：请把内容直接写出", node.start_mark)
            return super().construct_object(node, deep=deep)

    def unique_mapping(loader: Any, node: Any) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value  # the key as written
            if key in seen:
                raise ConstructorError(None, None, f"重复的键 {excerpt(key, 40)}（第 {seen[key]} 行已有）",
                                       key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return (yield from loader.construct_yaml_map(node))

    StrictLoader.add_constructor("tag:yaml.org,2002:map", unique_mapping)
    _LOADER = StrictLoader
    return _LOADER


def read_yaml(path: Path) -> Any:
    """Parse a YAML file (C loader when present). Malformed YAML -> TableError 'FILE:LINE:COL: message'."""
    return parse_yaml(read_table_text(path), path)


def parse_yaml(text: str, path: Path) -> Any:
    """Parse a table's text as read from `path` (named in the messages), as read_yaml does."""
    import yaml

    loader = _strict_loader()
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = exc.problem or exc.context or "YAML 格式错误"
        what = what if len(what) <= EXCERPT else what[: EXCERPT - 1] + "…"
        raise TableError(f"{path}:{line}:{col}: YAML 格式错误：{what}") from None
    except yaml.reader.ReaderError as exc:  # a control character: no mark, a position in the text
        pos = exc.position
        if not (0 <= pos < len(text) and ord(text[pos]) == exc.character):  # libyaml counts UTF-8 bytes
            pos = len(text.encode("utf-8")[:pos].decode("utf-8", "ignore"))
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        raise TableError(f"{path}:{line}:{col}: YAML 格式错误：不允许的控制字符 #x{exc.character:04x}") from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise TableError(f"{path}: YAML 格式错误：{first[:EXCERPT]}") from None
    except ValueError as exc:  # an impossible date such as 2021-02-30 fails while it is constructed
        raise TableError(f"{path}: {_bad_value_where(text, exc)}") from None


def _bad_value_where(text: str, exc: ValueError) -> str:
    """Point at the first date-like scalar that is not a real date (the loader gives no position)."""
    for lineno, line in enumerate(text.splitlines(), 1):
        for m in re.finditer(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])", line):
            try:
                dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return f"第 {lineno} 行第 {m.start() + 1} 列：无效的日期 {m[0]}（{exc}）"
    return f"无效的值：{exc}"


class _Checker:
    """Builds a Plan from parsed YAML, collecting every problem with where it is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.named_units: set[str] = set()  # unit names already named as unusable (unit_name)

    def problem(self, where: str, message: str, fatal: bool = True) -> None:
        loc = f"{self.path}: {where}" if where else str(self.path)
        self.problems.append(Problem(loc, message, fatal))

    def unit_name(self, name: str, where: str) -> None:
        """A unit's name goes into file names, e-mail headers, settings keys and every document: no line break,
        control character, bidi override or other invisible character in it (found by a tester: U+202E in a
        填报表's file name; in review: U+200B). Named once, where it first appears."""
        if name.isprintable() or name in self.named_units:
            return
        self.named_units.add(name)
        self.problem(where, f"单位名 {excerpt(name)} 含换行、控制字符或不可见字符，请改正", fatal=False)

    def mapping(self, value: Any, where: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(where, f"应为映射 (key: value)，实际是 {_kind(value)}")
            return {}
        if False in value and "no" in allowed and "no" not in value:
            # A bare `no:` key is YAML 1.1's false; it can only have meant "no".
            value = {("no" if k is False else k): v for k, v in value.items()}
        result: dict[str, Any] = value
        for key in value:
            if key not in allowed:
                self.problem(where, f"未知字段 {excerpt(key)}（允许：{', '.join(sorted(allowed))}）")
        for key in sorted(required - value.keys()):
            self.problem(where, f"缺少字段 {excerpt(key)}")
        return result

    def text(self, value: Any, where: str, *, optional: bool = False) -> str:
        if value is None and optional:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str) or (not value.strip() and not optional):
            self.problem(where, f"应为非空文本，实际是 {'空文本' if isinstance(value, str) else _kind(value)}")
            return ""
        return value.strip()

    def integer(self, value: Any, where: str, *, optional: bool = False) -> int | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(where, f"应为正整数，实际是 {excerpt(value)}")
            return None
        if value > MAX_NUMBER:
            self.problem(where, f"过大（最大 {MAX_NUMBER}），实际是 {excerpt(value)}")
            return None
        return value

    def date(self, value: Any, where: str) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(where, f"应为日期 YYYY-MM-DD，实际是 {excerpt(value)}")
        return dt.date(1970, 1, 1)

    def str_list(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(where, f"应为文本列表，实际是 {excerpt(value)}")
            return ()
        return tuple(v.strip() for v in value)

    def build(self, data: Any) -> Plan:
        top = self.mapping(data, "", TOP_KEYS, {"schema_version", "meta", "units", "sections", "tasks"})
        version = top.get("schema_version")
        if "schema_version" in top and version != SCHEMA_VERSION:
            self.problem("schema_version", f"不支持的版本 {excerpt(version)}（本程序读取版本 {SCHEMA_VERSION}）")
        meta = self.mapping(top.get("meta", {}), "meta", META_KEYS, {"title", "issuer", "published", "year"})
        title = self.text(meta.get("title"), "meta.title") if "title" in meta else ""
        issuer = self.text(meta.get("issuer"), "meta.issuer") if "issuer" in meta else ""
        published = self.date(meta.get("published"), "meta.published") if "published" in meta else dt.date(1970, 1, 1)
        year = (self.integer(meta.get("year"), "meta.year") if "year" in meta else None) or published.year

        settings = top.get("settings") or {}
        settings = self.mapping(settings, "settings", SETTINGS_KEYS, set())
        for key, value in settings.items():
            if key in ("warn_days", "stale_days"):
                self.integer(value, f"settings.{key}")
            elif key == "review" and not isinstance(value, bool):
                self.problem("settings.review", f"应为 true 或 false，实际是 {excerpt(value)}")
            elif key == "score":
                weights = self.mapping(value, "settings.score", SCORE_KEYS, set())
                for name, weight in weights.items():
                    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
                        self.problem(f"settings.score.{name}", f"应为数字，实际是 {excerpt(weight)}")
        source = top.get("source") or {}
        if not isinstance(source, dict):
            self.problem("source", "应为映射")
            source = {}

        units = self.units(top.get("units"))
        sections = self.sections(top.get("sections"))
        tasks = self.tasks(top.get("tasks"), year, units, sections)
        known = {name for unit in units for name in unit.names}
        implicit = [Unit(name) for name in dict.fromkeys(n for t in tasks for n in t.units) if name not in known]
        units = (*units, *implicit)  # unregistered units still work; doctor reports them
        repairs = self.repairs(top.get("repairs"))
        return Plan(
            path=str(self.path),
            schema_version=version if isinstance(version, int) else 0,
            title=title,
            issuer=issuer,
            published=published,
            year=year,
            units=units,
            sections=sections,
            tasks=tasks,
            notice_title=str(meta.get("notice_title") or ""),
            settings=dict(settings),
            source=dict(source),
            repairs=repairs,
        )

    def units(self, raw: Any) -> tuple[Unit, ...]:
        if not isinstance(raw, list):
            self.problem("units", f"应为单位列表，实际是 {_kind(raw)}")
            return ()
        units: list[Unit] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(raw, 1):
            where = f"units 第 {i} 项"
            entry = self.mapping(item, where, UNIT_KEYS, {"name"})
            if "name" not in entry:
                continue
            unit = Unit(
                name=self.text(entry["name"], f"{where} name"),
                aliases=self.str_list(entry.get("aliases"), f"{where} aliases"),
                collective=bool(entry.get("collective", False)),
                email=self.str_list(entry.get("email"), f"{where} email"),
            )
            for address in unit.email:
                if not EMAIL_PATTERN.fullmatch(address):
                    self.problem(f"{where} email", f"不是有效的电子邮件地址：{excerpt(address)}")
            for name in unit.names:
                self.unit_name(name, f"{where} name" if name == unit.name else f"{where} aliases")
                if name in seen:
                    self.problem(f"units {unit.name}", f"名称 {excerpt(name)} 与单位 {seen[name]} 重复")
                seen[name] = unit.name
            units.append(unit)
        return tuple(units)

    def sections(self, raw: Any) -> tuple[Section, ...]:
        if not isinstance(raw, list):
            self.problem("sections", f"应为列表，实际是 {_kind(raw)}")
            return ()
        sections: list[Section] = []
        for i, item in enumerate(raw, 1):
            where = f"sections 第 {i} 项"
            entry = self.mapping(item, where, SECTION_KEYS, {"no", "title"})
            no = self.integer(entry.get("no"), f"{where} no") or i
            subs: list[Subsection] = []
            raw_subs = entry.get("subsections") or []
            if not isinstance(raw_subs, list):
                self.problem(f"{where} subsections", "应为列表")
                raw_subs = []
            for j, sub in enumerate(raw_subs, 1):
                swhere = f"{where} subsections 第 {j} 项"
                sub_entry = self.mapping(sub, swhere, SUBSECTION_KEYS, {"no", "title"})
                sno = self.integer(sub_entry.get("no"), f"{swhere} no") or j
                if any(s.no == sno for s in subs):
                    self.problem(swhere, f"小节编号 {sno} 重复")
                subs.append(Subsection(sno, self.text(sub_entry.get("title"), f"{swhere} title")))
            if any(s.no == no for s in sections):
                self.problem(where, f"部分编号 {no} 重复")
            sections.append(Section(no, self.text(entry.get("title"), f"{where} title"), tuple(subs)))
        return tuple(sections)

    def tasks(
        self, raw: Any, year: int, units: tuple[Unit, ...], sections: tuple[Section, ...]
    ) -> tuple[Task, ...]:
        if not isinstance(raw, list):
            self.problem("tasks", f"应为任务列表，实际是 {_kind(raw)}")
            return ()
        canonical = {name: unit.name for unit in units for name in unit.names}
        by_no = {s.no: s for s in sections}
        tasks: list[Task] = []
        seen: set[int] = set()
        for i, item in enumerate(raw, 1):
            tid = item.get("id") if isinstance(item, dict) else None
            where = f"任务 {tid}" if isinstance(tid, int) and not isinstance(tid, bool) else f"tasks 第 {i} 项"
            entry = self.mapping(item, where, TASK_KEYS, {"id", "section", "title", "requirement", "units", "deadline"})
            task_id = self.integer(entry.get("id"), f"{where} 字段 id")
            if task_id is None:
                continue
            if task_id in seen:
                self.problem(where, f"序号 {task_id} 重复")
                continue
            seen.add(task_id)
            section_no = self.integer(entry.get("section"), f"{where} 字段 section")
            sub_no = self.integer(entry.get("subsection"), f"{where} 字段 subsection", optional=True)
            section = by_no.get(section_no) if section_no is not None else None
            if section_no is not None and section is None:
                self.problem(f"{where} 字段 section", f"没有编号为 {section_no} 的部分")
            elif section is not None and sub_no is not None and section.subsection(sub_no) is None:
                self.problem(f"{where} 字段 subsection", f"部分 {section.numeral} 下没有编号为 {sub_no} 的小节")
            written = self.str_list(entry.get("units"), f"{where} 字段 units")
            if "units" in entry and not written:
                self.problem(f"{where} 字段 units", "至少要有一个责任单位")
            for name in written:
                self.unit_name(name, f"{where} 字段 units")
                if name not in canonical:
                    self.problem(f"{where} 字段 units", f"单位 {excerpt(name)} 不在单位名录 (units) 中", fatal=False)
            resolved = tuple(dict.fromkeys(canonical.get(n, n) for n in written))
            leads_written = self.str_list(entry.get("leads"), f"{where} 字段 leads")
            for name in leads_written:
                if name not in written:
                    self.problem(f"{where} 字段 leads", f"牵头单位 {excerpt(name)} 不在该任务的 units 中")
            leads = tuple(canonical.get(n, n) for n in leads_written) or resolved[:1]
            raw_deadline = entry.get("deadline")
            if isinstance(raw_deadline, dt.date):  # an unquoted ISO date in the YAML
                raw_deadline = raw_deadline.isoformat()
            phrase = self.text(raw_deadline, f"{where} 字段 deadline")
            deadline = parse_deadline(phrase, year)
            if phrase and not deadline.parsed:
                self.problem(f"{where} 字段 deadline", f"无法识别的时限 {excerpt(phrase)}（保留原文，无到期日）", fatal=False)
            elif deadline.due is not None and deadline.due.year < year:
                # 2021年6月底前 in the 2022 table: overdue from its first day (last year's text copied?), as the import says
                self.problem(f"{where} 字段 deadline", f"时限 {excerpt(phrase)} 在计划年度 {year} 年之前"
                             f"（{deadline.due.isoformat()}），请核对", fatal=False)
            progress = entry.get("notice_progress")
            tasks.append(
                Task(
                    id=task_id,
                    section=section_no or 0,
                    subsection=sub_no,
                    title=self.text(entry.get("title"), f"{where} 字段 title"),
                    requirement=self.text(entry.get("requirement"), f"{where} 字段 requirement"),
                    units=resolved,
                    units_written=written,
                    leads=leads,
                    deadline=deadline,
                    notice_progress=str(progress).strip() if progress else None,
                )
            )
        return tuple(tasks)

    def repairs(self, raw: Any) -> tuple[Repair, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem("repairs", "应为列表")
            return ()
        out: list[Repair] = []
        for i, item in enumerate(raw, 1):
            where = f"repairs 第 {i} 项"
            entry = self.mapping(item, where, REPAIR_KEYS, {"field", "scraped", "restored"})
            task = entry.get("task")
            out.append(
                Repair(
                    task=task if isinstance(task, int) else None,
                    field=str(entry.get("field", "")),
                    scraped=str(entry.get("scraped", "")),
                    restored=str(entry.get("restored", "")),
                    note=str(entry.get("note") or ""),
                )
            )
        return tuple(out)


def _kind(value: Any) -> str:
    if value is None:
        return "空"
    return {dict: "映射", list: "列表", str: "文本", int: "整数", float: "小数", bool: "布尔值"}.get(
        type(value), type(value).__name__
    )


def check_table(path: Path, text: str | None = None) -> tuple[Plan, list[Problem]]:
    """The table and every problem found in it (for `gwgk doctor`); malformed YAML raises TableError.
    With `text`, that text is checked as the table `path` would hold (an import, before it is written)."""
    data = read_yaml(path) if text is None else parse_yaml(text, path)
    checker = _Checker(path)
    plan = checker.build(data)
    return plan, checker.problems


def load_table(path: Path) -> Plan:
    """Read a table; raise TableError naming the first fatal problem (task id and field)."""
    plan, problems = check_table(path)
    fatal = [p for p in problems if p.fatal]
    if fatal:
        extra = f"（另有 {len(fatal) - 1} 处问题，运行 gwgk doctor 查看全部）" if len(fatal) > 1 else ""
        raise TableError(f"{fatal[0]}{extra}")
    return plan
