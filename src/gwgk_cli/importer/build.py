"""The task table built from what the interpreter found: meta, units (with inferred aliases),
sections and tasks (with draft titles where the notice gives none), checked deadlines.

Whatever cannot be found is filled so that the table always loads, with a warning and a YAML
comment at the value (see yamlout.py): the clerk corrects it; the tool never writes a table it
would then refuse.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from gwgk_cli.deadlines import is_understood
from gwgk_cli.errors import NoticeError
from gwgk_cli.importer import punct
from gwgk_cli.importer.classify import COLUMN_NAMES
from gwgk_cli.importer.meta import TITLE_ISSUER, issuer_from_notice, place_prefix, title_from_notice, year_of
from gwgk_cli.importer.titles import short_title
from gwgk_cli.importer.units import glued_units, is_collective, parse_units
from gwgk_cli.importer.yamlout import deadline_key

if TYPE_CHECKING:
    from gwgk_cli.importer.layout import Interpreter
    from gwgk_cli.importer.outline import Sec, Sub, Task

ISSUER_PLACEHOLDER = "（待填写发布机关）"


def _no_deadline_units(imp: Interpreter, task: Task, units: list[str], leads: list[str], co: list[str]
                      ) -> tuple[list[str], list[str], list[str]]:
    """A deadline phrase (第三季度, 2022年6月底前) in a units cell is no unit's name: dropped, with a warning
    (the deadline of a task without one)."""
    found = [n for n in dict.fromkeys([*units, *co]) if is_understood(n)]
    for name in found:
        taken = not task.text("deadline")
        if taken:
            task.values["deadline"] = [name]
            missing = f"任务 {task.id} 缺少{COLUMN_NAMES['deadline']}（请人工补全）"
            imp.warnings = [w for w in imp.warnings if w.message != missing]
        imp.warn(task.field_lines.get("units", task.line),
                 f"任务 {task.id} 的责任单位中的“{name}”是时限要求，不是单位名" + ("，已作为时限要求" if taken else "，已去掉"))
    return ([n for n in units if n not in found], [n for n in leads if n not in found], [n for n in co if n not in found])


# Characters without a glyph that make two spellings of one name: zero-width (space, joiners, word joiner,
# BOM, soft hyphen) and bidi marks, embeddings, overrides and isolates.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible_names(imp: Interpreter, task: Task, names: list[str]) -> list[str]:
    """Unit names without zero-width and bidi characters (区财政局\u200b is 区财政局), each said once."""
    out: list[str] = []
    for name in names:
        if _INVISIBLE.search(name):
            clean = _INVISIBLE.sub("", name)
            message = (f"任务 {task.id} 的单位名“{clean}”中有不可见字符（零宽或双向控制字符 "
                       + "、".join(f"U+{ord(c):04X}" for c in dict.fromkeys(_INVISIBLE.findall(name))) + "），已去掉")
            if not any(w.message == message for w in imp.warnings):
                imp.warn(task.field_lines.get("units", task.line), message)
            name = clean
        if name and name not in out:
            out.append(name)
    return out


def _check_controls(imp: Interpreter, task: Task, entry: dict[str, Any]) -> None:
    """Control characters (escape sequences, BEL …) in a task's text: kept, named in a warning."""
    for key, label in (("title", "标题"), ("requirement", "具体要求"), ("deadline", "时限要求")):
        if found := _CONTROL.findall(str(entry.get(key, ""))):
            imp.warn(task.line, f"任务 {task.id} 的{label}中有控制字符（"
                     + "、".join(f"U+{ord(c):04X}" for c in dict.fromkeys(found)) + "），请核对")


def build_table(imp: Interpreter, data: bytes, source_name: str, year: int | None, imported: date | None) -> dict[str, Any]:
    meta = _meta(imp, year, imported)
    year = meta["year"]
    source: dict[str, Any] = {"file": source_name, "sha256": hashlib.sha256(data).hexdigest()}
    if imported is not None:
        source["imported"] = imported

    names: list[str] = []
    tasks_out: list[dict[str, Any]] = []
    folded = punct.is_folded([t.text("req") for t in imp.tasks] + [t.text("progress") for t in imp.tasks])
    restored = 0
    for task in imp.tasks:
        units, leads = parse_units(task.text("units"))
        co, _ = parse_units(task.text("co"), default_role="co") if task.has("co") else ([], [])
        units, leads, co = _no_deadline_units(imp, task, units, leads, co)
        units, leads, co = (_visible_names(imp, task, names_) for names_ in (units, leads, co))
        if task.lead_parts and not leads:  # 牵头单位：A、B in the text: every name in it leads
            leads = [n for part in task.lead_parts for n in parse_units(part)[0] if n in units]
        if (task.has("co") or imp.lead_header) and not leads and len(units) > 1:
            leads = list(units)  # several names in a 牵头单位 column (or beside a 配合单位 column): all lead
        all_units = list(dict.fromkeys([*units, *co]))
        names.extend(n for n in all_units if n not in names)
        requirement = task.text("req").strip()
        progress = "；".join(p.strip() for p in task.values.get("progress", []) if p.strip())
        if folded:
            requirement, n = punct.restore(requirement)
            progress, m = punct.restore(progress)
            restored += n + m
        deadline = task.text("deadline").strip()
        drafted_from = requirement
        if not deadline and (deadline := _deadline_from_requirement(imp, task, requirement, year)):
            # 2022年10月底前编制完成…: the title is drafted from what follows the deadline (编制完成…)
            at = requirement.find(deadline)  # after 于, 力争 … at most
            drafted_from = (requirement[at + len(deadline):].lstrip("，,、 ") if 0 <= at <= 4 else "") or requirement
        title = task.title
        if not title:
            title = short_title(drafted_from) or f"任务{task.id}"
            imp.drafts.add(task.id)
        entry: dict[str, Any] = {
            "id": task.id,
            "section": task.section.no if task.section else 1,
            "subsection": task.sub.no if task.sub else None,
            "title": title,
            "requirement": requirement,
            "units": all_units,
        }
        if leads and leads != all_units[:1]:
            entry["leads"] = leads
        entry["deadline"] = deadline
        if progress:
            entry["notice_progress"] = progress
        tasks_out.append(entry)
        if task.text("units") and not units:
            imp.warn(task.field_lines.get("units", task.line), f"任务 {task.id} 的责任单位无法拆分出单位名")
        for field in ("units", "co"):
            for name, parts in glued_units(task.text(field)) if task.has(field) else []:
                split = "”“".join(parts)
                imp.warn(task.field_lines.get(field, task.line),
                         f"任务 {task.id} 的责任单位“{name}”像是几个单位连在了一起（原文以换行或空格分隔？），"
                         f"已拆为“{split}”，请核对")
        if deadline:
            _check_deadline(imp, task, deadline, year)
        _check_controls(imp, task, entry)
    if restored:
        imp.warn(
            0,
            f"通知的全角标点被折成了半角（全文没有“，”）：已把具体要求和进展情况中汉字之后的 , : ; ( ) "
            f"改回 ，：；（），共 {restored} 处，请核对",
        )
    registry = _registry(imp, names, place_prefix(meta["issuer"]))
    _drop_trailing_headings(imp)
    return {
        "schema_version": 1,
        "meta": meta,
        "source": source,
        "units": registry,
        "sections": [
            {"no": s.no, "title": s.title, "subsections": [{"no": b.no, "title": b.title} for b in s.subs]}
            for s in imp.sections
        ],
        "tasks": tasks_out,
    }


def _meta(imp: Interpreter, year: int | None, imported: date | None) -> dict[str, Any]:
    title = imp.title
    if title is None and imp.notice_title:
        title = title_from_notice(imp.notice_title)
    if title is None:
        title = "政务公开重点工作任务分工"
        imp.warn(0, "未找到标题（含“任务分工”的标题行），标题暂填“政务公开重点工作任务分工”")
    issuer: str | None = None
    if m := TITLE_ISSUER.match(title):
        issuer = m.group(1).strip() or None
    issuer = issuer or issuer_from_notice(imp.notice_title) or imp.issuer_source
    published = imp.published or imp.published_fallback
    year = _plan_year(imp, title, year, published, imported)
    if issuer is None:
        issuer = ISSUER_PLACEHOLDER
        imp.placeholders["issuer"] = "通知中未找到发布机关，请人工填写"
        imp.warn(0, f"未找到发布机关（标题中年份前的文字或“信息来源”），meta.issuer 暂填“{issuer}”，请人工填写")
    if published is None:
        published = date(year, 1, 1)
        imp.placeholders["published"] = f"通知中未找到发布时间，暂填 {published.isoformat()}，请人工核对"
        imp.warn(0, f"未找到发布时间，meta.published 暂填 {published.isoformat()}（计划年度的第一天），请人工核对")
    meta: dict[str, Any] = {"title": title}
    if imp.notice_title:
        meta["notice_title"] = imp.notice_title
    meta.update({"issuer": issuer, "published": published, "year": year})
    return meta


def _plan_year(imp: Interpreter, title: str, year: int | None, published: date | None, imported: date | None) -> int:
    """The plan year: --year, else the year in the title (the table's, else the notice's 关于印发…的通知 line),
    said at meta.year; else that of 发布时间. A --year that is not the title's is refused: the deadlines
    (年底前, 6月底前) would all fall in the wrong year."""
    named = next(((t, y) for t in (title, imp.notice_title or "") if (y := year_of(t)) is not None), None)
    if year is not None:
        if named is not None and named[1] != year:
            raise NoticeError(f"--year {year} 与通知标题中的年份 {named[1]} 不同（标题“{named[0][:40]}”），未导入："
                              f"请确认导入的是 {year} 年的通知；标题的年份确有错时，不加 --year 导入后改 meta.year")
        return year
    if named is not None:
        imp.placeholders["year"] = f"取自标题“{named[0][:40]}”中的年份，请核对"
        if published is not None and published.year not in (named[1], named[1] - 1):
            imp.warn(0, f"计划年度按标题取 {named[1]} 年，与发布时间 {published.isoformat()} 不符，请核对（可用 --year 指定）")
        return named[1]
    if published is not None:
        return published.year
    year = (imported or date.today()).year
    imp.warn(0, f"标题和发布时间中都没有年份，按 {year} 年处理（可用 --year 指定）")
    return year


def alias_of(name: str, names: set[str], prefix: str | None) -> str | None:
    """The name this one is an alias of: 市政府网站 -> 政府网站 when both occur (prefix 市)."""
    if prefix and name.startswith(prefix) and len(name) > len(prefix) + 1:
        bare = name[len(prefix) :]
        if bare in names:
            return bare
    return None


def _registry(imp: Interpreter, names: list[str], prefix: str | None) -> list[dict[str, Any]]:
    """One entry per unit; a name that is another with the issuer's place word in front is its alias."""
    present = set(names)
    registry: dict[str, dict[str, Any]] = {}
    aliases: dict[str, str] = {}
    for name in names:
        target = alias_of(name, present, prefix)
        if target is not None:
            aliases[name] = target
    for name in names:
        canonical = aliases.get(name, name)
        entry = registry.setdefault(
            canonical, {"name": canonical, **({"collective": True} if is_collective(canonical) else {})}
        )
        if canonical != name:
            entry.setdefault("aliases", []).append(name)
    if aliases:
        for task in imp.tasks:
            line = task.field_lines.get("units", task.line)
            for name in dict.fromkeys(parse_units(task.text("units"))[0] + parse_units(task.text("co"))[0]):
                if name in aliases:
                    imp.became.setdefault(line, []).append(
                        f"单位“{name}”视为“{aliases[name]}”的别名（去掉本地前缀“{prefix}”后相同）"
                    )
    out = []
    for entry in registry.values():
        if "aliases" in entry:  # name, aliases, collective: the order of data/tasks_2021.yaml
            entry = {"name": entry["name"], "aliases": entry["aliases"], **{k: v for k, v in entry.items() if k == "collective"}}
        out.append(entry)
    return out


def _drop_trailing_headings(imp: Interpreter) -> None:
    """Headings after the last task (a text cut off) are dropped; other empty ones are kept. Both warn."""
    last: Task | None = imp.tasks[-1] if imp.tasks else None
    last_sec = imp.sections.index(last.section) if last is not None and last.section in imp.sections else -1
    with_tasks = {id(t.section) for t in imp.tasks} | {id(t.sub) for t in imp.tasks if t.sub is not None}
    kept: list[Sec] = []
    for k, sec in enumerate(imp.sections):
        if k > last_sec:
            imp.warn(sec.line, f"第 {sec.no} 部分“{sec.title}”在最后一项任务之后，没有任务，未导入")
            imp.became.setdefault(sec.line, []).append("未导入（其后没有任务）")
            continue
        kept.append(sec)
        subs: list[Sub] = []
        last_sub = sec.subs.index(last.sub) if last is not None and last.sub in sec.subs else -1
        for j, sub in enumerate(sec.subs):
            has_tasks = id(sub) in with_tasks
            if k == last_sec and j > last_sub and not has_tasks:
                imp.warn(sub.line, f"小节 {sec.no}.{sub.no}“{sub.title}”在最后一项任务之后，没有任务，未导入")
                imp.became.setdefault(sub.line, []).append("未导入（其后没有任务）")
                continue
            if not has_tasks:
                imp.warn(sub.line, f"小节 {sec.no}.{sub.no}“{sub.title}”下没有任务")
            subs.append(sub)
        sec.subs = subs
        if id(sec) not in with_tasks:
            imp.warn(sec.line, f"第 {sec.no} 部分“{sec.title}”下没有任务")
    imp.sections = kept


def _deadline_from_requirement(imp: Interpreter, task: Task, requirement: str, year: int) -> str:
    """A task without a deadline (no 时限 column, its cell empty, no labelled one) whose requirement writes one
    at the start of a sentence (2022年10月底前编制完成…): that phrase, as written, said in a warning, in --explain
    and by a comment at the value in the YAML; the requirement keeps its text. "" when it writes none."""
    from gwgk_cli.deadlines import deadline_in_text

    found = deadline_in_text(requirement, year, imp.published)  # not a date already past when it was published
    if found is None:
        return ""
    missing = f"任务 {task.id} 缺少{COLUMN_NAMES['deadline']}（请人工补全）"
    imp.warnings = [w for w in imp.warnings if w.message != missing]
    line = task.field_lines.get("req", task.line)
    imp.warn(line, f"任务 {task.id} 没有时限要求，取具体要求中的“{found}”作为时限要求，请核对")
    imp.became.setdefault(line, []).append(f"任务 {task.id} 时限要求（取自具体要求中的“{found}”）")
    imp.placeholders[deadline_key(task.id)] = "通知中此项没有时限要求，取自具体要求中的文字，请核对"
    return found


_WRITTEN_YEAR = r"[0-9０-９]{4}|[〇零一二三四五六七八九]{4}"  # a year written out (2023年), not 次年


def _check_deadline(imp: Interpreter, task: Task, phrase: str, year: int) -> None:
    try:
        from gwgk_cli.deadlines import parse_deadline

        deadline = parse_deadline(phrase, year)
        parsed = deadline.parsed
    except Exception:  # noqa: BLE001 - the deadline module must not break an import
        parsed = False
    else:
        if deadline.due is not None and deadline.due.year < year:
            imp.warn(task.field_lines.get("deadline", task.line),
                     f"任务 {task.id} 的时限要求“{phrase}”在计划年度 {year} 年之前（{deadline.due.isoformat()}），"
                     "可能是上一年通知的文字，请核对")
        elif deadline.due is not None and deadline.due.year > year and re.search(_WRITTEN_YEAR, phrase):
            # 2023年6月底前 in a 2022 notice: a task beyond the plan year, or a slip; 次年1月底前 says it is meant
            imp.warn(task.field_lines.get("deadline", task.line),
                     f"任务 {task.id} 的时限要求“{phrase}”在计划年度 {year} 年之后（{deadline.due.isoformat()}），"
                     "本年度内不会亮黄灯或红灯；如是跨年度任务可不改，请核对")
    if not parsed:
        imp.warn(
            task.field_lines.get("deadline", task.line),
            f"任务 {task.id} 的时限要求“{phrase}”无法识别，按原文保留（无到期日）",
        )
