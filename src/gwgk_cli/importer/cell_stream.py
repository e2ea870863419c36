"""Free rows, one cell each (text saved a table cell a line, pipes, paragraphs): the cells fill the
columns after a task's number in the header's order; headings, notes, labelled fields, wrapped cells
and the end of the table are told apart here."""

from __future__ import annotations

from gwgk_cli.deadlines import is_understood
from gwgk_cli.importer.classify import (
    bare_number,
    header_kind,
    inline_number,
    is_attachment,
    is_chrome,
    is_note,
    norm_key,
    number_style,
    numbered,
    section_heading,
    subsection_heading,
)
from gwgk_cli.importer.fields import split_fields
from gwgk_cli.importer.model import Cell
from gwgk_cli.importer.outside_table import OutsideTable
from gwgk_cli.importer.task_assembly import REQUIRED
from gwgk_cli.importer.units import plausible_group, plausible_units


class CellStream(OutsideTable):
    """The one-cell-per-line layout (the layer of Interpreter on top of OutsideTable)."""

    later_task: list[bool]
    notice_numbers: set[int]

    def _stream_cell(self, k: int, cell: Cell) -> None:
        text = cell.text
        task = self.task
        open_ = task is not None and not task.explicit and bool(task.slots)
        missing_required = task is not None and any(s in REQUIRED for s in task.slots)
        if not text:
            if task is not None and open_:
                self._fill(task, task.slots.pop(0), cell)
            else:
                self.note(cell, "空单元格")
            return
        if not missing_required and self._note_item(cell):
            return
        if is_chrome(text):
            what = self._meta(cell, before=False)
            self.note(cell, what or "跳过：网页框架")
            return
        if (number := bare_number(text)) is not None:
            self._new_task(number, cell, explicit=False)
            self.numbered_by = "bare"
            self.note(cell, f"任务 {self.task.id if self.task else number} 序号")
            return
        if (sec := numbered(section_heading(text))) is not None:
            self._section(sec[0], sec[1], cell)
            return
        if (sub := numbered(subsection_heading(text))) is not None:
            self._subsection(sub[0], sub[1], cell)
            return
        if task is not None and not task.explicit:
            rest, fields = split_fields(text)
            if fields and not rest:  # 牵头单位：…；配合单位：… on a line of its own
                self._put_fields(task, fields, cell, [])
                return
        if is_note(text) and not missing_required and self.later_task[k + 1]:
            self._skip_note(cell, "表格中的注释行")
            return
        if task is not None and missing_required and task.last_field is not None and not cell.delimited:
            # A cell cannot start with 、 or end with 、 or an open parenthesis: a wrapped cell.
            starts_cont = text[0] in "、,，;；)）" or (task.text(task.last_field)[-1:] in "、(（")
            # Nor with a number written otherwise than the task's, after its requirement: an item of it.
            item = task.last_field == "req" and self._numbered_otherwise(text)
            if (starts_cont or item) and self._continue(task, cell):
                return
        if self._take_heading(text, cell):
            return
        if task is not None and open_ and missing_required:
            slot = task.slots[0]
            if slot in ("units", "co") and "deadline" in task.slots and is_understood(text):
                # A deadline is never a unit's name: the cells before it were empty (a blank line lost).
                while task.slots[0] != "deadline":
                    task.slots.pop(0)
                slot = task.slots[0]
            if slot == "units" and not cell.delimited and not plausible_units(text):
                if self.later_task[k + 1] and self._continue(task, cell):
                    return
                if not self.later_task[k + 1]:
                    self._end_table(cell)
                    return
            if slot == "group" and not plausible_group(text):
                task.slots.pop(0)
                slot = task.slots[0] if task.slots else "extra"
            if task.slots:
                task.slots.pop(0)
            self._fill(task, slot, cell)
            return
        # No task waiting for a required cell.
        pre, post = self._stream_columns()
        if (inline := self._inline_task(text)) is not None and "req" in post:
            number, rest = inline
            new = self._new_task(number, cell, explicit=False)
            self.numbered_by = number_style(text)
            while new.slots and new.slots[0] != "req":
                new.slots.pop(0)
            if new.slots:
                new.slots.pop(0)
            rest, fields = split_fields(rest)
            new.put("req", rest, cell.line)
            self._put_fields(new, fields, cell, ["序号", "具体要求"])
            return
        next_starts = k + 1 < len(self.rows) and self.starts_task(self.rows[k + 1])
        if task is not None and open_ and not (next_starts and "group" in pre):
            slot = task.slots.pop(0)
            self._fill(task, slot, cell)
            return
        if "group" in pre and plausible_group(text) and self.later_task[k + 1]:
            self._close_task()
            self._group_label(text, cell)
            return
        if self._opens_unnumbered(k, post):
            new = self._new_task(None, cell, explicit=False)
            self._fill(new, new.slots.pop(0), cell)
            return
        if self.tasks and is_attachment(text):
            self.warn(cell.line, f"任务表后的附件（{text[:20]}）：任务表到此结束，其后的内容未导入")
            self._end_table(cell)
            return
        if self.later_task[k + 1]:
            self.warn(cell.line, f"无法归位的文字（已忽略）：{text[:30]}")
            self.note(cell, "无法归位，已忽略（见警告）")
            return
        self._end_table(cell)

    def _opens_unnumbered(self, k: int, post: list[str]) -> bool:
        """A cell starting a task without a number, one cell a line, under a header without a 序号 column (工作任务 /
        责任单位 / 完成时限 copied from a table without numbers): the notice numbers no task, no task waits for a
        cell, the header's first column is the requirement and the next line reads as that task's units."""
        task = self.task
        if self.columns is None or "no" in self.columns or post[:1] != ["req"] or "units" not in post or self.notice_numbers:
            return False
        if task is not None and any(s in REQUIRED for s in task.slots):
            return False
        nxt = self.rows[k + 1] if k + 1 < len(self.rows) else None
        if nxt is None or nxt.explicit or len(nxt.cells) != 1:
            return False
        after = post[1] if len(post) > 1 else ""
        return after in ("units", "co") and plausible_units(nxt.cells[0].text) and not is_chrome(nxt.cells[0].text)

    def _other_table_run(self, k: int) -> int:
        """Rows taken by another table's header (see _other_header_run) ending the task table at row k, or 0."""
        task = self.task
        if not (self.tasks or task is not None) or (task is not None and any(s in REQUIRED for s in task.slots)):
            return 0
        run = self._other_header_run(k)
        if run:
            self._other_table([self.rows[k + j].cells[0] for j in range(run)])
        return run

    def _other_header_run(self, k: int) -> int:
        """The length of another table's header written one cell a line after the tasks (序号 / 单位 / 联络员 /
        联系电话, then 1): 序号, two to seven short words that are no column of a task table, then a number; 0
        when the rows at k are not one."""
        cells = []
        for row in self.rows[k : k + 9]:
            if row.explicit or len(row.cells) != 1 or not row.cells[0].text:
                return 0
            cells.append(row.cells[0])
            if bare_number(row.cells[0].text) is not None:
                break
        else:
            return 0
        words, number = cells[:-1], cells[-1]
        if not 3 <= len(words) <= 8 or header_kind(words[0].text) != "no" or bare_number(number.text) is None:
            return 0
        rest = words[1:]
        if any(header_kind(c.text) in ("req", "units", "group", "deadline") for c in rest):
            return 0
        return len(words) if all(len(norm_key(c.text)) <= 8 and inline_number(c.text) is None for c in rest) else 0
