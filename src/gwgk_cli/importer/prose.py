"""Tasks written as prose, not as a table: headings, then paragraphs that are tasks with their units and
deadline in a trailing bracket or a labelled sentence (政务公开工作要点 published as text)::

    一、深化重点领域信息公开
    （一）加强政策解读。围绕……做好解读工作。（责任单位：市政府办公室、市发展改革委；完成时限：年底前）
    1.推进……。牵头单位：市政府办公室；配合单位：各县区政府。
    做好……工作。（市财政局负责）

A paragraph is a task when it carries its units: labelled fields (责任单位/牵头单位/配合单位/责任部门 …：,
fields.py) after its text, or a bracket at its end — （）, (), 【】, [] — holding such fields or a list of
units with a role word (``（市财政局负责）``, ``（市发展改革委牵头，市财政局配合）``). A 一、 paragraph is a
section; a （一） paragraph that carries no units is a subsection, one that does is a task (numbered (一), its
short first sentence its title). A numbered paragraph without units goes on in the paragraphs after it until
units come (a task over several paragraphs; a PDF's wrapped lines); an unnumbered one does so only while its
text has not ended (no 。 at its end: a wrapped line). Any other paragraph without units is no task: a
warning names it (第 N 段 / 第 N 行 / 第 P 页第 N 行), never a silent task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gwgk_cli.deadlines import is_understood
from gwgk_cli.importer.cell_stream import CellStream
from gwgk_cli.importer.classify import (
    COLUMN_NAMES,
    dotted_number,
    header_kind,
    inline_number,
    is_chrome,
    is_note,
    number_style,
    numbered,
    section_heading,
    subsection_heading,
)
from gwgk_cli.importer.fields import lead_values, split_fields
from gwgk_cli.importer.model import Cell, ImportWarning, Row, join_wrapped
from gwgk_cli.importer.units import plausible_units
from gwgk_cli.numerals import cn_number

_PAIRS = {"）": "（", ")": "(", "】": "【", "]": "["}
_END = " \t。；;，,．."
# A unit list in a bracket without labels says who does it: 负责, 牵头, 配合, 落实 … (units.py's role markers).
_ROLE_WORD = re.compile(r"(?:牵头|负责|配合|落实|协助|参与|协办)")
_ROLE_END = re.compile(r"(?:牵头|负责|配合|落实|协助|参与|协办)$")
_SUB_NUMBER = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*[、.．]?\s*(\S.*)$", re.DOTALL)
_TITLE_MAX = 20


@dataclass
class ProseTask:
    """A paragraph read as a task: its text without the units, and the labelled fields."""

    rest: str
    fields: list[tuple[str, str]]
    leads: set[str]
    inner: int = 0  # brackets of units inside the text, before the closing one (their units are the task's too)


def _trailing_bracket(text: str) -> tuple[int, int] | None:
    """(start, end) of the bracket that ends the text (after its trailing 。；), or None."""
    body = text.rstrip(_END)
    if not body or body[-1] not in _PAIRS:
        return None
    close, open_ = body[-1], _PAIRS[body[-1]]
    depth = 0
    for k in range(len(body) - 1, -1, -1):
        if body[k] == close:
            depth += 1
        elif body[k] == open_:
            depth -= 1
            if depth == 0:
                return k, len(body)
    return None


_INNER_BRACKET = re.compile(r"[（(]([^（()）]{2,200})[）)]")


def _inner_brackets(text: str) -> list[tuple[list[tuple[str, str]], set[str]]]:
    """The labelled unit brackets inside a task's text (（牵头单位：A；责任单位：B）重塑……（责任单位：C）): a paragraph
    naming the units of each of its clauses. Only labelled ones count (a （…负责） inside a sentence may quote)."""
    out = []
    for m in _INNER_BRACKET.finditer(text):
        rest, fields = split_fields(m.group(1))
        if any(k in ("units", "co") for k, _ in fields) and not rest.strip(_END):
            out.append((fields, lead_values(m.group(1))))
    return out


def _bracket_fields(inner: str) -> tuple[list[tuple[str, str]], set[str]] | None:
    """The units (and deadline) in a bracket: labelled (责任单位：…；完成时限：…), or a unit list with a role word
    (市财政局负责, A牵头，B配合), a deadline after it labelled or not (…；完成时限：9月底前, …，6月底前完成)."""
    rest, fields = split_fields(inner)
    if any(k in ("units", "co") for k, _ in fields):
        return (fields, lead_values(inner)) if not rest.strip(_END) else None
    if not _ROLE_WORD.search(rest):
        return None
    parts = [p.strip(_END) for p in re.split(r"[，,；;。]", rest) if p.strip(_END)]
    deadline = [p for p in parts if is_understood(p) or is_understood(re.sub(r"(?:完成|办结)$", "", p))]
    units = [p for p in parts if p not in deadline]
    # Each list of units ends with its role (A牵头，B配合; A、B分别负责): 执行落实情况 inside a sentence is no role.
    if not units or not all(_ROLE_END.search(u) for u in units) or not plausible_units("，".join(units)):
        return None
    out = [("units", "，".join(units))]
    out += [("deadline", d) for d in deadline[:1]] + [f for f in fields if f[0] == "deadline"][: 0 if deadline else 1]
    return out, set()


def prose_task(text: str) -> ProseTask | None:
    """The paragraph as a task (its units found in it), or None when it names no unit."""
    if (span := _trailing_bracket(text)) is not None:
        start, end = span
        found = _bracket_fields(text[start + 1 : end - 1])
        if found is not None:
            before = text[:start].rstrip(" \t，,；;")
            after = text[end:].strip()
            rest = before + ("。" if after.startswith("。") and before[-1:] not in "。！？!?" else "")
            inner = _inner_brackets(before)
            fields = [f for fs, _ in inner for f in fs if f[0] in ("units", "co")] + found[0]
            leads = found[1].union(*(ls for _, ls in inner))
            return ProseTask(rest.strip(), fields, leads, len(inner))
    rest, fields = split_fields(text)
    if rest.strip() and any(k in ("units", "co") for k, _ in fields):
        return ProseTask(rest.strip(), fields, lead_values(text))
    return None


def units_line(text: str) -> list[tuple[str, str]] | None:
    """The fields of a paragraph that is only a list of units with a role word (市发改委牵头落实, 市财政局、
    市审计局分别负责), written on a line of its own under the task's text; None for any other paragraph."""
    body = text.strip(_END)
    if not body or len(body) > 80 or any(p in body for p in "。！？!?：:") or _trailing_bracket(text) is not None:
        return None
    found = _bracket_fields(body)
    return found[0] if found is not None else None


def only_fields(text: str) -> bool:
    """A paragraph that is labelled fields only (牵头单位：…；配合单位：…, 完成时限：…): it goes with the task above."""
    rest, fields = split_fields(text)
    return bool(fields) and not rest.strip(_END + "(（【[")


def lead_title(text: str) -> tuple[str, str] | None:
    """(title, the rest) when the text opens with a short sentence that names it (加强政策解读。围绕……)."""
    m = re.match(rf"([^。；;！？!?，,：:]{{2,{_TITLE_MAX}}})[。.．]", text)
    if m is None or not text[m.end() :].strip():
        return None
    return m.group(1).strip(), text[m.end() :].strip()


def _number_of(text: str) -> tuple[str, int, str] | None:
    """("sub", n, rest) for （一）…, ("num", n, rest) for 1.… （1）… ①…; None when unnumbered."""
    if (m := _SUB_NUMBER.match(text)) is not None and (n := cn_number(m.group(1))) is not None:
        return "sub", n, m.group(2).strip()
    if (found := inline_number(text)) is not None:
        return "num", found[0], found[1]
    return None


def paragraph_cells(row: Row) -> list[Cell]:
    """The row's cells with a text of their own, one of each text: a paragraph has one (a table row of one
    column, as a Word document laid out in a table has, is a paragraph too)."""
    cells = [c for c in row.cells if c.text and not c.carried]
    return list({c.text: c for c in reversed(cells)}.values())[::-1]


def is_prose(rows: list[Row], start: int | None) -> bool:
    """Whether the rows after the table's start are paragraphs with their units inside: no header, no table
    row of more than one text, and a paragraph that is a task by prose_task and not written as a cell of its own."""
    if start is None:
        return False
    after = rows[start:]
    if any(len(paragraph_cells(r)) > 1 for r in after):
        return False
    texts = [cells[0].text for r in after if (cells := paragraph_cells(r))]
    if any(header_kind(t) is not None for t in texts):
        return False
    return any(prose_task(t) is not None or (k > 0 and units_line(t) is not None and units_line(texts[k - 1]) is None
                                             and not numbered(section_heading(texts[k - 1])))
               for k, t in enumerate(texts))


class ProseParagraphs(CellStream):
    """Paragraphs that are tasks (the layer of Interpreter on top of CellStream; see the module's text)."""

    prose: bool
    warnings: list[ImportWarning]
    prose_pending: list[Cell]
    prose_later: list[bool]  # a paragraph naming units at or after each row
    prose_unnumbered: bool  # the one warning for tasks without a number was given

    def _prose_cell(self, k: int, cell: Cell) -> None:
        text = cell.text
        if not text:
            self.note(cell, "空单元格")
            return
        task = self.task
        if task is not None and not self.prose_pending and only_fields(text):  # 完成时限：… on a line of its own
            _, fields = split_fields(text)
            self._put_fields(task, fields, cell, [])
            return
        if is_chrome(text):
            self._prose_flush()
            what = self._meta(cell, before=False)
            self.note(cell, what or "跳过：网页框架")
            return
        if (sec := numbered(section_heading(text))) is not None and prose_task(text) is None:
            self._prose_flush()
            self._section(sec[0], sec[1], cell)
            return
        if not self.prose_later[k] and not self.prose_pending and (self.tasks or task is not None):
            self._close_task()  # its units came: complete, whatever it lacks
            if not is_chrome(text):
                self.warn(cell.line, "最后一项任务之后的段落没有责任单位，不作为任务；其后的文字视为通知正文以外的内容"
                          f"（已忽略）：{text[:30]}")
            self._end_table(cell)  # after the last task: the page around the notice
            return
        if is_note(text) and prose_task(text) is None:
            self._prose_flush()
            self._close_task()
            self._skip_note(cell, "注释段落")
            return
        pending = self.prose_pending
        if pending and units_line(text) is not None:  # 围绕……解读。/ 市发改委牵头落实
            pending.append(cell)
            self._prose_try()
            return
        if pending and self._item_of(pending[0].text, text):  # 1.做好以下工作：/（1）…；/（2）…（责任单位：…）
            pending.append(cell)
            self._prose_try()
            return
        if len(pending) == 1 and _number_of(text) is None and numbered(subsection_heading(pending[0].text)):
            self._prose_flush()  # （一）加强预期引导 on a line of its own, paragraphs under it: a subsection heading
        elif pending and _number_of(text) is None:
            numbered_first = _number_of(pending[0].text) is not None
            wrapped = pending[-1].text.rstrip()[-1:] not in "。！？!?；;：:"
            if numbered_first or wrapped:
                pending.append(cell)
                self._prose_try()
                return
        self._prose_flush()
        self._close_task()
        self.prose_pending.append(cell)
        self._prose_try()

    @staticmethod
    def _item_of(first: str, text: str) -> bool:
        """Whether a paragraph numbered otherwise than the pending task (（1） ① under 1.) is an item of it."""
        numbering, own = _number_of(first), _number_of(text)
        if numbering is None or own is None or numbering[0] != "num" or own[0] != "num":
            return False
        return number_style(text) != number_style(first)

    def _prose_try(self) -> None:
        """The pending paragraphs as a task, if they now carry units."""
        cells = self.prose_pending
        found = prose_task(join_wrapped([c.text for c in cells]))
        if found is None and len(cells) > 1 and (own := units_line(cells[-1].text)) is not None:
            found = ProseTask(join_wrapped([c.text for c in cells[:-1]]), own, set())
        if found is None:
            return
        self.prose_pending = []
        first = cells[0]
        numbering = _number_of(found.rest)
        number = numbering[1] if numbering else None
        body = numbering[2] if numbering else found.rest
        dotted = dotted_number(body) if numbering is None else None  # 1.1 公开…: numbered by levels
        if dotted is not None:
            body = dotted[1]
        title = ""
        if (lead := lead_title(body)) is not None:
            title, body = lead
        task = self._new_task(number, first, explicit=False, quiet=True, dotted=dotted[0] if dotted else None)
        if number is None and dotted is None and not self.prose_unnumbered:
            self.prose_unnumbered = True
            self.warn(first.line, f"任务段落没有编号，编为 {task.id}；其后没有编号的任务段落同样按顺序编号，不再逐项警告")
        task.slots = []
        if numbering and numbering[0] == "sub":
            self.since_heading, self.group_last, self.skipped = True, 0, []  # a （一） task heads the 1. tasks after it
        if title:
            task.title = title
        task.put("req", body, first.line)
        if found.inner:
            self.warn(first.line, f"任务 {task.id} 的段落中有 {found.inner + 1} 处责任单位（各管其中一句），"
                      "已合并为一项任务、单位合在一起：请核对，必要时拆成几项")
        for kind, value in found.fields:
            if kind == "units" and value in found.leads:
                task.lead_parts.append(value)
            task.put(kind, value, cells[-1].line)
        names = (["序号"] if number is not None else []) + (["标题"] if title else []) + ["具体要求"]
        fields = [COLUMN_NAMES[kind] for kind, _ in found.fields]
        if len(cells) == 1:
            self.note(first, f"任务 {task.id} " + "、".join(dict.fromkeys(names + fields)))
            return
        self.note(first, f"任务 {task.id} " + "、".join(names))
        for c in cells[1:-1]:
            self.note(c, f"任务 {task.id} 具体要求（续段）")
        last = cells[-1]
        self.note(last, f"任务 {task.id} " + ("" if only_fields(last.text) or units_line(last.text) else "具体要求（续段）、") + "、".join(dict.fromkeys(fields)))

    def _lined_task(self, cells: list[Cell]) -> bool:
        """A numbered task whose units and deadline follow on lines of their own (1.公开… / 党政办 / 年底前, as a
        table copied a cell a line), among tasks written as prose: a task as the stream reads it."""
        numbering = _number_of(cells[0].text)
        if numbering is None or numbering[0] != "num" or len(cells) < 3:
            return False
        *req, units, deadline = cells
        if not is_understood(deadline.text) or not plausible_units(units.text) or is_understood(units.text):
            return False
        task = self._new_task(numbering[1], cells[0], explicit=False)
        task.slots = []
        task.put("req", join_wrapped([numbering[2], *(c.text for c in req[1:])]), cells[0].line)
        task.put("units", units.text, units.line)
        task.put("deadline", deadline.text, deadline.line)
        self.note(cells[0], f"任务 {task.id} 序号、具体要求")
        for c in req[1:]:
            self.note(c, f"任务 {task.id} 具体要求（续段）")
        self.note(units, f"任务 {task.id} 责任单位")
        self.note(deadline, f"任务 {task.id} 时限要求")
        return True

    def _prose_flush(self) -> None:
        """Pending paragraphs that never got units: a （一） heading is a subsection; the rest are no tasks."""
        cells, self.prose_pending = self.prose_pending, []
        if not cells:
            return
        if (sub := numbered(subsection_heading(cells[0].text))) is not None:
            self._subsection(sub[0], sub[1], cells[0])
            cells = cells[1:]
        elif self._lined_task(cells):
            return
        for c in cells:
            self._close_task()
            self.warn(c.line, f"段落没有责任单位，不作为任务（已忽略）：{c.text[:30]}")
            if (numbering := _number_of(c.text)) is not None and numbering[0] == "num":
                self.skipped.append((numbering[1], self.warnings[-1]))
            self.note(c, "没有责任单位的段落，已忽略（见警告）")
