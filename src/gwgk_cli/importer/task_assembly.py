"""Putting a task together: opening it with its number (the notice's, or one it does not use), filling
its columns cell by cell, closing it (a deadline written in the requirement, what is missing, a task
cut off at the end of the text)."""

from __future__ import annotations

from gwgk_cli.importer.classify import COLUMN_NAMES, inline_number, number_style
from gwgk_cli.importer.fields import lead_values, take_field
from gwgk_cli.importer.model import Cell, join_wrapped
from gwgk_cli.importer.outline import Task
from gwgk_cli.importer.table_header import TableHeader
from gwgk_cli.importer.units import unit_lines

REQUIRED = ("req", "units", "deadline")


class TaskAssembly(TableHeader):
    """The tasks as they are put together (the layer of Interpreter on top of TableHeader)."""

    became: dict[int, list[str]]
    task: Task | None
    tasks: list[Task]
    used_ids: set[int]
    max_id: int
    last_number: int
    notice_numbers: set[int]
    numbered_by: str | None
    sequential: bool  # the notice restarts its 序号 under each heading: tasks numbered in order
    since_heading: bool  # a heading opened since the last task
    group_last: int  # the notice's own number of the last task under the current heading
    dotted_seen: bool  # a task numbered by levels (1.1) was met: said once

    def _free_number(self) -> int:
        """The number for a task the importer numbers itself: the next one the notice does not use (its
        later tasks keep their own numbers; “max + 1” made every later number a repeat)."""
        n = self.max_id + 1
        while n in self.notice_numbers or n in self.used_ids:
            n += 1
        return n

    def _new_task(self, number: int | None, cell: Cell, *, explicit: bool, quiet: bool = False,
                  merged: bool = False, dotted: str | None = None) -> Task:
        """A task numbered ``number`` starting at ``cell``; ``merged``: its 序号 cell is merged down from the
        row above (one number over several rows, each with its own units and deadline: each row a task)."""
        self._close_task()
        used = self.used_ids
        last = self.last_number
        written = number
        # The numbers before this one under the heading, each a numbered paragraph skipped (no units).
        skipped = {n for n, _ in self.skipped}
        missing = set(range(self.group_last + 1, written)) if written is not None else set()
        explained = bool(missing) and missing <= skipped
        if self.sequential or (
            number is not None and number in used and self.since_heading and (number == 1 or explained)
        ):
            # 序号 restarting at 1 under each heading is a way to number, not a fault: from here on the
            # tasks are numbered in order, one warning for the notice; a gap inside a section still warns.
            number = max(self.max_id, max(used, default=0)) + 1
            restart = "" if self.sequential else "序号在各部分（小节）重新从 1 编起："
            self.sequential = True
            if explained:
                # One account with the warning of the skipped paragraph(s) that took the missing numbers.
                warning = next(w for n, w in reversed(self.skipped) if n in missing)
                held = "、".join(str(n) for n in sorted(missing))
                warning.message += (f"——它占了本部分的序号 {held}，{restart}其后的任务"
                                    f"按出现顺序编为 {number} 起（通知原序号见 --explain）")
            elif restart:
                self.warn(cell.line, f"{restart}自此任务按出现顺序续编为 {number} 起（通知原序号见 --explain）")
            if written is not None and written != self.group_last + 1 and not explained:
                self.warn(cell.line, f"序号不连续（本部分内）：从 {self.group_last} 到 {written}（按顺序编为 {number}）")
            if written is not None:
                self.became.setdefault(cell.line, []).append(f"任务 {number} 按出现顺序编号（原序号 {written}）")
        elif number is None:
            number = self._free_number()
            if dotted is not None:
                # 1.1, 1.2, 2.1: a number per heading level, not an id; the tasks are numbered in order.
                if not self.dotted_seen:
                    self.dotted_seen = True
                    self.warn(cell.line, f"序号是分级编号（{dotted} …）：任务按出现顺序编为 {number} 起（通知原序号见 --explain）")
                self.became.setdefault(cell.line, []).append(f"任务 {number} 按出现顺序编号（原序号 {dotted}）")
            elif not quiet:
                self.warn(cell.line, f"任务没有编号，编为 {number}（通知中未用的序号）")
        elif number in used:
            new = self._free_number()
            if merged:
                self.warn(cell.line, f"序号 {number} 的单元格合并了几行：此行作为另一项任务，编为 {new}"
                          "（通知中未用的序号），请核对")
            else:
                self.warn(cell.line, f"序号 {number} 重复，改编为 {new}（通知中未用的序号）")
            number = new
        else:
            gap = set(range(last + 1, number))
            if gap and gap <= skipped:
                # The numbers between were paragraphs without units (warned): one account, at that warning.
                warning = next(w for n, w in reversed(self.skipped) if n in gap)
                held = "、".join(str(n) for n in sorted(gap))
                warning.message += f"——它占了序号 {held}，其后的任务保留通知原序号（从 {number} 起）"
            elif number > last + 1:
                self.warn(cell.line, f"序号不连续：从 {last} 跳到 {number}（保留通知原序号）")
            elif number < last:
                self.warn(cell.line, f"序号倒序：{number} 在 {last} 之后（保留通知原序号）")
            self.last_number = number
        self.since_heading = False
        self.group_last = written if written is not None else self.group_last + 1
        if self.sec is None:
            self._implicit_section(cell.line)
        _, post = self._stream_columns()
        task = Task(number, cell.line, self.sec, self.sub, [] if explicit else list(post), explicit)
        if self.group and self.has_sections and self.has_subs and not self.promote_subs:
            task.title = self.group
            self.group = None
        self.task = task
        return task

    def _inline_task(self, text: str) -> tuple[int, str] | None:
        """(number, rest) of a text starting a task with its number (3.做好…, （3）做好…, ③做好…), or None.

        Once tasks are numbered so (1.), a number written otherwise (（1） ① 1）) in the text of an open
        task is an item of that task: 1.做好以下工作：/（1）公开…；/（2）…"""
        found = inline_number(text)
        if found is None:
            return None
        if self.numbered_by != "bare" and self._numbered_otherwise(text):
            return None
        return found

    def _numbered_otherwise(self, text: str) -> bool:
        """Whether a text starts with a number written otherwise than the open task's (（1） ① in a task
        numbered 1., 1. in one numbered in a cell of its own): an item of that task, never a task."""
        style = self.numbered_by
        return (self.task is not None and style is not None and inline_number(text) is not None
                and number_style(text) != style)

    def _drop_notes(self, task: Task, why: str) -> None:
        prefix = f"任务 {task.id} "
        for line, parts in self.became.items():
            if line >= task.line:
                self.became[line] = [f"{p}（{why}）" if p.startswith(prefix) else p for p in parts]

    def _close_task(self, *, at_end: bool = False) -> None:
        task, self.task = self.task, None
        if task is None:
            return
        if not task.text("deadline"):
            self._labelled_deadline(task)
        # A column the header does not have is not missing because the text was cut.
        missing = [k for k in REQUIRED if not task.has(k) and (k != "units" or not task.has("co"))
                   and (self.columns is None or k in self.columns or k == "req")]
        if at_end and missing:
            self.warn(
                task.line,
                f"任务 {task.id} 不完整（文本在此任务中截断，缺少 "
                + "、".join(COLUMN_NAMES[k] for k in missing)
                + "），未导入",
            )
            self._drop_notes(task, "文本在此截断，未导入")
            return
        if not task.text("req") and not task.text("units"):
            self.warn(task.line, f"序号 {task.id} 后没有任务内容，未导入")
            self._drop_notes(task, "没有任务内容，未导入")
            return
        for k in REQUIRED:
            if not task.text(k) and not (k == "units" and task.text("co")):
                self.warn(task.field_lines.get(k, task.line), f"任务 {task.id} 缺少{COLUMN_NAMES[k]}（请人工补全）")
        self.tasks.append(task)
        self.used_ids.add(task.id)
        self.max_id = max(self.max_id, task.id)

    def _labelled_deadline(self, task: Task) -> None:
        """A task without a deadline whose requirement (or units, co-units, progress) cell says it, labelled
        (…。完成时限：2022年6月底前, （时限：年底前）, 时间节点：…): the deadline, taken out of that text."""
        for kind in ("req", "units", "co", "progress"):
            parts = task.values.get(kind, [])
            for j, part in enumerate(parts):
                if (found := take_field(part, "deadline")) is None:
                    continue
                parts[j], value = found
                line = task.field_lines.get(kind, task.line)
                task.values["deadline"] = [value]
                task.field_lines["deadline"] = line
                self.became.setdefault(line, []).append(f"任务 {task.id} 时限要求（写在{COLUMN_NAMES[kind]}中）")
                return

    def _fill(self, task: Task, kind: str, cell: Cell) -> None:
        if kind == "group":
            if not cell.text:
                self.note(cell, "空单元格（工作任务列）")
                return
            # One cell a line, the 工作任务 cell comes after the task's number: the group the task opens,
            # as in a table row (the task stays open, in the section or subsection the cell opens).
            opened = self.task is task
            self.task = None if opened else self.task
            self._group_label(cell.text, cell, task)
            if opened:
                self.task, task.section, task.sub = task, self.sec, self.sub
            return
        if kind == "no":
            self.note(cell, f"任务 {task.id} 序号")
            return
        if kind == "person":  # people, not units: kept as the notice wrote them, with their column's name
            seen = task.values.setdefault("person", [])
            labels = self.person_labels or ["责任领导"]
            label = labels[min(len(seen), len(labels) - 1)]
            seen.append(cell.text)
            if cell.text:
                task.put("progress", f"{label}：{cell.text}", cell.line)
            self.note(cell, f"任务 {task.id} {label}（人，记入 notice_progress）" + ("" if cell.text else "（空）"))
            return
        task.put(kind, unit_lines(cell.breaks) if cell.breaks and kind in ("units", "co") else cell.text, cell.line)
        what = f"任务 {task.id} {COLUMN_NAMES.get(kind, kind)}"
        if kind == "extra" and cell.text:
            self.warn(cell.line, f"任务 {task.id} 的这一格超出表头的列，已忽略：{cell.text[:20]}")
            what += "（已忽略，见警告）"
        self.note(cell, what + ("" if cell.text else "（空）"))

    def _put_fields(self, task: Task, fields: list[tuple[str, str]], cell: Cell, before: list[str]) -> None:
        """Labelled fields found in a stream cell (fields.py): each fills its column."""
        names = list(before)
        leading = lead_values(cell.text)
        for kind, value in fields:
            if kind == "units" and value in leading:
                task.lead_parts.append(value)
            task.put(kind, value, cell.line)
            if kind in task.slots:
                task.slots.remove(kind)
            names.append(COLUMN_NAMES[kind])
        self.note(cell, f"任务 {task.id} " + "、".join(dict.fromkeys(names)))

    def _continue(self, task: Task, cell: Cell) -> bool:
        kind = task.last_field
        if kind is None or kind in ("no", "group", "extra"):
            return False
        task.values[kind][-1] = join_wrapped([task.values[kind][-1], cell.text])
        self.note(cell, f"任务 {task.id} {COLUMN_NAMES.get(kind, kind)}（接上一格，折行）")
        return True
