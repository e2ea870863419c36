"""Sections and subsections of a notice as the interpreter meets their headings (一、 (一) and
工作任务 group cells), with the checks on their numbering; the task, section and subsection records."""

from __future__ import annotations

from dataclasses import dataclass, field

from gwgk_cli.importer.classify import (
    norm_key,
    section_heading,
    section_label,
    subsection_heading,
    subsection_label,
)
from gwgk_cli.importer.model import Cell, ImportWarning


@dataclass
class Sub:
    """A subsection heading met in the notice."""

    no: int
    title: str
    line: int


@dataclass
class Sec:
    """A section heading met in the notice."""

    no: int
    title: str
    line: int
    subs: list[Sub] = field(default_factory=list)


@dataclass
class Task:
    """A task being put together from the notice."""

    id: int
    line: int
    section: Sec | None
    sub: Sub | None
    slots: list[str]  # stream: the columns still to fill, in order
    explicit: bool = False
    title: str = ""
    values: dict[str, list[str]] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    last_field: str | None = None
    lead_parts: list[str] = field(default_factory=list)  # its units labelled 牵头单位：… in its text: they lead

    def put(self, kind: str, text: str, line: int) -> None:
        self.values.setdefault(kind, []).append(text)
        if line > 0:  # an empty cell may have no position (<td></td>): the warnings name the task's row then
            self.field_lines.setdefault(kind, line)
        self.last_field = kind

    def text(self, kind: str) -> str:
        """The field's text; several columns of one kind are joined (units with 、)."""
        parts = [p for p in self.values.get(kind, []) if p.strip()]
        return ("、" if kind in ("units", "co") else "；").join(parts)

    def has(self, kind: str) -> bool:
        return kind in self.values


class Outline:
    """The headings layer of the interpreter, the one under all others (see layout.py); the layers above
    provide note/warn (layout.py) and _close_task (task_assembly.py)."""

    sections: list[Sec]
    sec: Sec | None
    sub: Sub | None
    group: str | None
    implicit_section: Sec | None
    promote_subs: bool
    has_sections: bool
    has_subs: bool
    since_heading: bool
    group_last: int
    skipped: list[tuple[int, ImportWarning]]  # numbered paragraphs skipped (no units) since the last heading

    def note(self, cell: Cell, what: str) -> None:
        raise NotImplementedError

    def warn(self, line: int, message: str) -> None:
        raise NotImplementedError

    def _close_task(self, *, at_end: bool = False) -> None:
        raise NotImplementedError

    def _section(self, number: int | None, title: str, cell: Cell, *, group: bool | str = False) -> str:
        """A section heading (group: a 工作任务 cell made a section; a str: where else the title came from).
        Returns the explain label noted."""
        self._close_task()
        self.group = None
        key = norm_key(title)
        same = next((s for s in self.sections if norm_key(s.title) == key), None)
        if number is None and same is None:
            number = max((s.no for s in self.sections), default=0) + 1
            restored = True
        else:
            restored = False
        if same is not None and (number is None or number == same.no):
            if same is not self.sec:
                self.warn(cell.line, f"部分标题与第 {same.no} 部分相同，视为该部分的重复标题")
                self.sub = same.subs[-1] if same.subs else None
            self.sec = same
            return self._note_heading(cell, section_label(same.no, group), "重复")
        assert number is not None
        clash = next((s for s in self.sections if s.no == number), None)
        if clash is not None:
            self.warn(cell.line, f"部分编号 {number} 重复（“{clash.title}”与“{title}”），并入第 {number} 部分")
            self.sec, self.sub = clash, (clash.subs[-1] if clash.subs else None)
            return self._note_heading(cell, section_label(number, group), "编号重复，见警告")
        expected = max((s.no for s in self.sections), default=0) + 1
        if number != expected:
            self.warn(cell.line, f"部分编号不连续：应为 {expected}，实为 {number}")
        sec = Sec(number, title, cell.line)
        self.sections.append(sec)
        self.sec, self.sub = sec, None
        return self._note_heading(cell, section_label(number, group), "缺编号，已补" if restored and not group else "")

    def _subsection(self, number: int | None, title: str, cell: Cell, *, group: bool | str = False) -> str:
        """A subsection heading (group: a 工作任务 cell made a subsection). Returns the explain label noted."""
        if self.promote_subs:
            return self._section(number, title, cell, group=group)
        self._close_task()
        self.group = None
        sec = self.sec or self._implicit_section(cell.line)
        key = norm_key(title)
        same = next((s for s in sec.subs if norm_key(s.title) == key), None)
        if same is not None and (number is None or number == same.no):
            self.sub = same
            return self._note_heading(cell, subsection_label(sec.no, same.no, group), "重复")
        restored = number is None
        if number is None:
            number = max((s.no for s in sec.subs), default=0) + 1
        clash = next((s for s in sec.subs if s.no == number), None)
        if clash is not None:
            self.warn(cell.line, f"小节编号（{number}）在第 {sec.no} 部分重复（“{clash.title}”与“{title}”），并入该小节")
            self.sub = clash
            return self._note_heading(cell, subsection_label(sec.no, number, group), "编号重复，见警告")
        expected = max((s.no for s in sec.subs), default=0) + 1
        if number != expected:
            self.warn(cell.line, f"小节编号不连续：第 {sec.no} 部分应为（{expected}），实为（{number}）")
        sub = Sub(number, title, cell.line)
        sec.subs.append(sub)
        self.sub = sub
        return self._note_heading(
            cell, subsection_label(sec.no, number, group), "缺编号，已补" if restored and not group else ""
        )

    def _note_heading(self, cell: Cell, label: str, remark: str) -> str:
        self.since_heading, self.group_last, self.skipped = True, 0, []
        label += f"（{remark}）" if remark else ""
        self.note(cell, label)
        return label

    def _implicit_section(self, line: int) -> Sec:
        if self.implicit_section is None:
            self.warn(line, "任务前没有部分标题，归入第 1 部分“（未分部分）”")
            sec = Sec(max((s.no for s in self.sections), default=0) + 1, "（未分部分）", line)
            self.sections.append(sec)
            self.implicit_section = sec
        self.sec = self.sec or self.implicit_section
        return self.implicit_section

    def _take_heading(self, text: str, cell: Cell) -> bool:
        """A 一、 or (一) heading: open that section or subsection and say so."""
        if (sec := section_heading(text)) is not None:
            self._section(sec[0], sec[1], cell)
            return True
        if (sub := subsection_heading(text)) is not None:
            self._subsection(sub[0], sub[1], cell)
            return True
        return False

    def _group_label(self, text: str, cell: Cell, task: Task | None = None) -> None:
        """A 工作任务 cell that is not a heading: a group of tasks (or the task's title)."""
        if self._take_heading(text, cell):
            return
        if self.has_sections and self.has_subs and not self.promote_subs:
            if task is not None:
                task.title = text
                self.note(cell, f"任务 {task.id} 标题（工作任务列）")
            else:
                self.group = text
                self.note(cell, "下一项任务的标题（工作任务列）")
            return
        if self.group is not None and norm_key(self.group) == norm_key(text):
            self.note(cell, "工作任务列（与上一组相同）")
            return
        self.group = text
        if self.has_sections and not self.promote_subs:
            self._subsection(None, text, cell, group=True)
        else:
            self._section(None, text, cell, group=True)
        self.group = text
