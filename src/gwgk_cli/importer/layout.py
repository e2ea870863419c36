"""The layout interpreter: one stream of rows of cells (from any format) to sections, subsections and tasks."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from gwgk_cli.importer.classify import (
    COLUMN_NAMES,
    bare_number,
    header_kind,
    heading_like,
    inline_number,
    is_chrome,
    is_note,
    norm_key,
    number_style,
    numbered,
    section_heading,
    subsection_heading,
)
from gwgk_cli.importer.fields import split_fields, take_field
from gwgk_cli.importer.meta import (
    CN_DATE,
    ISSUER,
    ISSUER_END,
    PUBLISHED,
    TITLE_WORDS,
    notice_title,
    strip_title_tag,
    ymd_date,
)
from gwgk_cli.importer.model import Cell, ExplainLine, ImportResult, ImportWarning, Row, Source, join_wrapped
from gwgk_cli.importer.outline import Outline, Sec, Sub, Task
from gwgk_cli.importer.units import plausible_group, plausible_units
from gwgk_cli.numerals import cn_number

_REQUIRED = ("req", "units", "deadline")


class Interpreter(Outline):
    """Turns the rows of a Source into sections and tasks, noting what every unit became.

    It does not know the format the rows came from: only cells, their order, whether a row is a
    real table row (``explicit``) and the units each cell covers.
    """

    def __init__(self, source: Source) -> None:
        rows = source.rows
        self.source = source
        self.rows = rows
        self.default_explain = source.other
        self.n_lines = len(source.lines)
        self.lines = source.lines
        self.became: dict[int, list[str]] = {}
        self.warnings: list[ImportWarning] = []
        self.columns: list[str] | None = None
        self.lead_header = False  # the units column is headed 牵头单位: every name in it leads
        self.header_line = 0
        self.header_row = -2  # the index of the last header row (a second one may follow it)
        self.sections: list[Sec] = []
        self.sec: Sec | None = None
        self.sub: Sub | None = None
        self.group: str | None = None
        self.task: Task | None = None
        self.tasks: list[Task] = []
        self.used_ids: set[int] = set()
        self.max_id = 0
        self.last_number = 0  # the notice's own number of the last task that kept it
        self.page_top = False  # the rows since a PDF page's table began, until its first task row
        self.numbered_by: str | None = None  # how the last task's number was written: "bare" (a cell of its own), a number_style, None
        self.post = False
        self.warned_no_header = False
        self.implicit_section: Sec | None = None
        # meta candidates
        self.title: str | None = None
        self.notice_title: str | None = None
        self.published: date | None = None
        self.published_fallback: date | None = None
        self.issuer_source: str | None = None
        self.drafts: set[int] = set()  # ids of tasks whose title was drafted from the requirement
        self.placeholders: dict[str, str] = {}  # meta key -> why its value is a placeholder

        starts = [self.starts_task(r) for r in rows]
        # The numbers the notice gives its tasks: a task the importer numbers itself takes none of them.
        self.notice_numbers = {n for r, s in zip(rows, starts, strict=True) if s for n in self._numbers(r)}
        self.later_task = [False] * (len(rows) + 1)
        for k in range(len(rows) - 1, -1, -1):
            self.later_task[k] = self.later_task[k + 1] or starts[k]
        self.table_start = self._find_table_start()
        after = rows[self.table_start :] if self.table_start is not None else []
        texts = [c.text for r in after for c in r.cells[:2]]
        self.has_sections = any(numbered(section_heading(t)) for t in texts)
        self.has_subs = any(numbered(subsection_heading(t)) for t in texts)
        self.promote_subs = self.has_subs and not self.has_sections
        # Heading levels the notice writes as rows of their own (not in a 工作任务 column): the levels left
        # to several group columns (see _group_levels).
        alone = [t.pop() for t in ({c.text for c in r.cells if c.text} for r in after) if len(t) == 1]
        self.row_levels = (1 if any(numbered(section_heading(t)) for t in alone) else 0) + (
            1 if any(numbered(subsection_heading(t)) for t in alone) else 0)

    # ------------------------------------------------------------------ bookkeeping
    def note(self, cell: Cell, what: str) -> None:
        for k, line in enumerate(cell.lines):
            self.became.setdefault(line, []).append(what if k == 0 else f"{what}（续行）")

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ImportWarning(line, message))

    # ------------------------------------------------------------------ pre-pass
    @staticmethod
    def starts_task(row: Row) -> bool:
        cells = [c for c in row.cells if c.text and not c.carried]
        if not cells:
            return False
        if row.explicit:
            return any(bare_number(c.text) is not None or inline_number(c.text) is not None for c in cells[:3])
        return bare_number(cells[0].text) is not None or inline_number(cells[0].text) is not None

    @staticmethod
    def _numbers(row: Row) -> list[int]:
        cells = [c for c in row.cells if c.text and not c.carried][: 3 if row.explicit else 1]
        out = []
        for c in cells:
            if (n := bare_number(c.text)) is not None:
                out.append(n)
            elif (found := inline_number(c.text)) is not None:
                out.append(found[0])
        return out

    def _free_number(self) -> int:
        """The number for a task the importer numbers itself: the next one the notice does not use (its
        later tasks keep their own numbers; “max + 1” made every later number a repeat)."""
        n = self.max_id + 1
        while n in self.notice_numbers or n in self.used_ids:
            n += 1
        return n

    def _header_row_kinds(self, row: Row) -> list[str] | None:
        cells = [c for c in row.cells if not c.carried]
        kinds = [header_kind(c.text) for c in cells]
        found = [k for k in kinds if k]
        if len(found) >= 2 and len(found) * 2 >= len([c for c in cells if c.text]):
            return [k or "extra" for k in kinds]
        return None

    def _header_run(self, k: int) -> int:
        """Length of the run of single header-word cells starting at row k (free rows)."""
        n = 0
        while k + n < len(self.rows):
            row = self.rows[k + n]
            if row.explicit or len(row.cells) != 1 or header_kind(row.cells[0].text) is None:
                break
            n += 1
        return n

    def _find_table_start(self) -> int | None:
        for k, row in enumerate(self.rows):
            if row.explicit and self._header_row_kinds(row):
                return k
            if not row.explicit and self._header_run(k) >= 2:
                return k
        for k, row in enumerate(self.rows):
            first = next((c.text for c in row.cells if c.text), "")
            if (
                self.starts_task(row)
                or numbered(section_heading(first))
                or numbered(subsection_heading(first))
            ):
                return k
        return None

    # ------------------------------------------------------------------ columns
    def _set_columns(self, kinds: list[str], cells: list[Cell], line: int, *, second_row: bool = False) -> None:
        """The columns are kinds (one per cell; a carried cell is a copy of a merged header cell)."""
        if "req" not in kinds and "units" not in kinds:
            self.warn(line, "表头没有 具体要求/责任单位 列")
        repeated = self.columns is not None and not second_row
        if repeated and kinds != self.columns:
            self.warn(line, "表头与前面的不同，此后按新表头解释：" + " / ".join(COLUMN_NAMES.get(k, k) for k in kinds))
            repeated = False
        self.columns = kinds
        if kinds.count("group") >= 2:
            self.promote_subs = False  # the columns are the levels: (一) in the inner one stays a subsection
        self.header_line = self.header_line or line
        self.lead_header = any(k == "units" and norm_key(c.text).startswith("牵头") for c, k in zip(cells, kinds, strict=False))
        for cell, kind in zip(cells, kinds, strict=False):
            if cell.carried:
                continue
            name = COLUMN_NAMES.get(kind, kind)
            written = norm_key(cell.text)
            label = f"表头 {name}" + (f"（原文“{written}”）" if written != name else "")
            self.note(cell, label + ("（重复）" if repeated else "（表头第二行）" if second_row else ""))

    def _stream_columns(self) -> tuple[list[str], list[str]]:
        """(columns before the number, columns after it) for one-cell-per-line layouts."""
        cols = [c for c in (self.columns or ["req", "units", "deadline"]) if c != "extra"]
        if "no" in cols:
            k = cols.index("no")
            return cols[:k], cols[k + 1 :]
        k = 0
        while k < len(cols) and cols[k] == "group":
            k += 1
        return cols[:k], cols[k:]

    def _row_columns(self, cells: list[Cell]) -> list[str]:
        n = len(cells)
        if self.columns is None:
            if not self.warned_no_header:
                self.warned_no_header = True
                self.warn(cells[0].line, "没有找到表头，按列数推断各列的含义")
            num0 = bare_number(cells[0].text) is not None
            num1 = n > 1 and bare_number(cells[1].text) is not None
            if n <= 3:
                return ["req", "units", "deadline"][:n]
            if n == 4:
                return ["no", "req", "units", "deadline"] if num0 else ["group", "req", "units", "deadline"]
            if num1:
                base = ["group", "no", "req", "units", "deadline"]
            elif num0:
                base = ["no", "group", "req", "units", "deadline"]
            else:
                base = ["group", "req", "units", "deadline"]
            return base + ["progress"] * (n - len(base))
        cols = list(self.columns)
        if len(cols) == n:
            return cols
        if "no" not in cols and n == len(cols) + 1 and bare_number(cells[0].text) is not None:
            return ["no", *cols]
        if n < len(cols):
            for optional in ("group", "progress", "co", "extra", "no"):
                while len(cols) > n and optional in cols:
                    cols.reverse()
                    cols.remove(optional)
                    cols.reverse()
            return cols[:n]
        return cols + ["extra"] * (n - len(cols))

    # ------------------------------------------------------------------ tasks
    def _new_task(self, number: int | None, cell: Cell, *, explicit: bool) -> Task:
        self._close_task()
        used = self.used_ids
        last = self.last_number
        if number is None:
            number = self._free_number()
            self.warn(cell.line, f"任务没有编号，编为 {number}（通知中未用的序号）")
        elif number in used:
            new = self._free_number()
            self.warn(cell.line, f"序号 {number} 重复，改编为 {new}（通知中未用的序号）")
            number = new
        else:
            if number > last + 1:
                self.warn(cell.line, f"序号不连续：从 {last} 跳到 {number}（保留通知原序号）")
            elif number < last:
                self.warn(cell.line, f"序号倒序：{number} 在 {last} 之后（保留通知原序号）")
            self.last_number = number
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
        style = self.numbered_by
        if self.task is not None and style not in (None, "bare") and number_style(text) != style:
            return None
        return found

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
        missing = [k for k in _REQUIRED if not task.has(k) and (k != "units" or not task.has("co"))
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
        for k in _REQUIRED:
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
            self._group_label(cell.text, cell, task) if cell.text else self.note(cell, "空单元格（工作任务列）")
            return
        if kind == "no":
            self.note(cell, f"任务 {task.id} 序号")
            return
        task.put(kind, cell.text, cell.line)
        what = f"任务 {task.id} {COLUMN_NAMES.get(kind, kind)}"
        if kind == "extra" and cell.text:
            self.warn(cell.line, f"任务 {task.id} 的这一格超出表头的列，已忽略：{cell.text[:20]}")
            what += "（已忽略，见警告）"
        self.note(cell, what + ("" if cell.text else "（空）"))

    def _put_fields(self, task: Task, fields: list[tuple[str, str]], cell: Cell, before: list[str]) -> None:
        """Labelled fields found in a stream cell (fields.py): each fills its column."""
        names = list(before)
        for kind, value in fields:
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

    # ------------------------------------------------------------------ the walk
    def run(self) -> None:
        k = 0
        while k < len(self.rows):
            row = self.rows[k]
            if self.table_start is None or k < self.table_start:
                for cell in row.cells:
                    if cell.text:
                        self._outside(cell, before=True)
                k += 1
                continue
            if self.post:
                for cell in row.cells:
                    if cell.text:
                        self._outside(cell, before=False)
                k += 1
                continue
            if row.explicit:
                self._explicit_row(k, row)
                k += 1
                continue
            run = self._header_run(k)
            if run >= 2:
                self._close_task()
                cells = [self.rows[k + j].cells[0] for j in range(run)]
                self._set_columns([header_kind(c.text) or "extra" for c in cells], cells, cells[0].line)
                k += run
                continue
            self._stream_cell(k, row.cells[0])
            k += 1
        self._close_task(at_end=True)

    def _outside(self, cell: Cell, *, before: bool) -> None:
        what = self._meta(cell, before=before)
        if what:
            self.note(cell, what)
        elif is_chrome(cell.text):
            self.note(cell, "跳过：网页框架")
        else:
            self.note(cell, "跳过：网页框架（" + ("表格前" if before else "表格后") + "）")

    def _end_table(self, cell: Cell) -> None:
        """Text after the last task that does not continue it: the rest is page chrome."""
        self._close_task(at_end=True)
        self.post = True
        self._outside(cell, before=False)

    def _stream_cell(self, k: int, cell: Cell) -> None:
        text = cell.text
        task = self.task
        open_ = task is not None and not task.explicit and bool(task.slots)
        missing_required = task is not None and any(s in _REQUIRED for s in task.slots)
        if not text:
            if task is not None and open_:
                self._fill(task, task.slots.pop(0), cell)
            else:
                self.note(cell, "空单元格")
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
            self.warn(cell.line, f"表格中的注释行，不是任务（已忽略）：{text[:30]}")
            self.note(cell, "注释行，已忽略（见警告）")
            return
        if task is not None and missing_required and task.last_field is not None and not cell.delimited:
            # A cell cannot start with 、 or end with 、 or an open parenthesis: a wrapped cell.
            starts_cont = text[0] in "、,，;；)）" or (task.text(task.last_field)[-1:] in "、(（")
            if starts_cont and self._continue(task, cell):
                return
        if self._take_heading(text, cell):
            return
        if task is not None and open_ and missing_required:
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
        if self.later_task[k + 1]:
            self.warn(cell.line, f"无法归位的文字（已忽略）：{text[:30]}")
            self.note(cell, "无法归位，已忽略（见警告）")
            return
        self._end_table(cell)

    def _explicit_row(self, k: int, row: Row) -> None:
        cells = row.cells
        if row.page_top:
            self.page_top = True  # for this row, or the first after the header repeated on the page
        if not any(c.text for c in cells):
            for c in cells:
                self.note(c, "表格空行")
            return
        if (kinds := self._header_row_kinds(row)) is not None:
            real = [c for c in cells if not c.carried]
            if len(real) < len(cells):  # merged header cells: a column for each cell they cover
                kinds = [header_kind(c.text) or "extra" for c in cells]
                own_cells = cells
            else:
                own_cells = real
            if self.header_row == k - 1 and self.columns is not None and len(self.columns) == len(kinds):
                # A second header row (牵头单位 / 配合单位 under a merged 责任单位): it names the
                # columns its own cells stand in; the cells merged down from the row above keep theirs.
                kinds = [old if c.carried or new == "extra" else new for old, new, c in zip(self.columns, kinds, cells, strict=True)]
                self._set_columns(kinds, own_cells, real[0].line, second_row=True)
            else:
                if kinds != self.columns:
                    self._close_task()  # a header repeated on a new page leaves the task open: its row may go on
                self._set_columns(kinds, own_cells, real[0].line)
            self.header_row = k
            return
        own = [c for c in cells if c.text and not c.carried]
        distinct = {c.text for c in own}
        if not own:
            return  # only copies of merged cells
        page_top, self.page_top = self.page_top, False
        cols = self._row_columns(cells)
        by_kind = dict(zip(cols, cells, strict=False))
        single = own[0] if len(distinct) == 1 else None
        if single is not None and self._one_cell_row(k, cells, cols, single):
            return
        if single is not None and (
            is_chrome(single.text)
            or section_heading(single.text)
            or subsection_heading(single.text)
            or len(own) == len(cells) > 1  # the same text in every column: a colspan'd heading
        ):
            for c in own[1:]:
                self.note(c, "（与前一格相同）")
            self._stream_cell(k, single)
            return
        no_cell = by_kind.get("no")
        # A Chinese numeral in the 序号 column: a heading split over two cells.
        if no_cell is not None and no_cell.text and bare_number(no_cell.text) is None:
            rest = [c for c in own if c is not no_cell]
            title = rest[0].text if rest else ""
            num = norm_key(no_cell.text)
            if (n := cn_number(num.rstrip("、.")) ) is not None and title:
                label = self._section(n, title, no_cell)
                for c in rest:
                    self.note(c, label)
                return
            if (m := re.fullmatch(r"\(([一二三四五六七八九十]{1,3})\)", num)) and title:
                label = self._subsection(cn_number(m.group(1)), title, no_cell)
                for c in rest:
                    self.note(c, label)
                return
        number = bare_number(no_cell.text) if no_cell is not None and no_cell.text else None
        req_cell = by_kind.get("req")
        inline = None
        if req_cell is not None and number is None and not req_cell.carried:
            # Numbered in the 序号 column so far: a number in the text of a row with no unit or deadline
            # of its own starts an item of the task above, not a task.
            alone = not any(c.text and not c.carried for kind, c in zip(cols, cells, strict=False) if kind in ("units", "co", "deadline"))
            if not (self.numbered_by == "bare" and self.task is not None and alone):
                inline = self._inline_task(req_cell.text)
        if number is None and inline is None:
            filled = {kind for kind, c in zip(cols, cells, strict=False) if c.text and not c.carried}
            task = self.task
            if task is not None and not filled & {"no", "group"} and (
                not filled & {"units", "deadline", "co"}  # the requirement (or progress) wrapped onto a row
                or ("req" in cols and "req" not in filled)  # the units or the deadline did
                or page_top  # a row the page broke: any of its cells goes on
            ):
                # A row continuing the previous one (cells wrapped onto a second row).
                for kind, c in zip(cols, cells, strict=False):
                    if not c.text or c.carried:
                        continue
                    if task.has(kind) and kind != "extra":
                        task.values[kind][-1] = join_wrapped([task.values[kind][-1], c.text])
                        self.note(c, f"任务 {task.id} {COLUMN_NAMES.get(kind, kind)}（接上一表格行）")
                    else:
                        self._fill(task, kind, c)
                return
            if single is not None and self.task is None and not self.later_task[k + 1] and self.tasks:
                self._end_table(single)
                return
        groups = [c for kind, c in zip(cols, cells, strict=False) if kind == "group"]
        group_cell = by_kind.get("group") if len(groups) < 2 else None
        levels_title: str | None = None
        if len(groups) >= 2:
            levels_title = self._group_levels(groups)
            if number is None and inline is None and all(c in groups for c in own):
                return  # only group cells: labels for the tasks below
        group_text = group_cell.text if group_cell is not None else ""
        is_heading = bool(group_text) and bool(section_heading(group_text) or subsection_heading(group_text))
        title_mode = self.has_sections and self.has_subs and not self.promote_subs
        if number is None and inline is None and group_cell is not None and len(own) == 1 and own[0] is group_cell:
            # Only a 工作任务 cell: a group label for the tasks below it (as a merged group cell would be).
            self._close_task()
            self._group_label(group_text, group_cell)
            return
        if group_cell is not None and group_text and not group_cell.carried and (is_heading or not title_mode):
            self._close_task()
            self._group_label(group_text, group_cell)
        first = no_cell if number is not None and no_cell is not None else (req_cell or own[0])
        self.numbered_by = "bare" if number is not None else number_style(req_cell.text) if inline and req_cell else None
        number = number if number is not None else (inline[0] if inline else None)
        task = self._new_task(number, first, explicit=True)
        if group_cell is not None and group_text and title_mode and not is_heading:
            task.title = group_text
            if not group_cell.carried:
                self.note(group_cell, f"任务 {task.id} 标题（工作任务列）")
        if levels_title:
            task.title = levels_title
        for kind, c in zip(cols, cells, strict=False):
            if c is group_cell or (kind == "group" and c in groups and len(groups) >= 2):
                continue
            if c.carried:
                if kind not in ("no", "group"):
                    task.put(kind, c.text, task.line)
                continue
            if kind == "req" and inline is not None and c is req_cell:
                task.put("req", inline[1], c.line)
                self.note(c, f"任务 {task.id} 序号、具体要求")
                continue
            self._fill(task, kind, c)

    def _group_levels(self, groups: list[Cell]) -> str | None:
        """Several group columns (重点领域 | 工作任务 | …, each merged down over its tasks): outer to inner, the
        levels the notice's heading rows leave free — section, subsection, the task's title. A numbered
        heading (一、 (一)) in them is its own level. Returns the task title they give, if any."""
        title: str | None = None
        for i, cell in enumerate(groups):
            level = self.row_levels + i
            if not cell.text:
                continue
            if cell.carried:  # merged down from the row that opened it
                title = cell.text if level >= 2 else title
                continue
            self._close_task()
            if self._take_heading(cell.text, cell):
                continue
            if level == 0:
                self._section(None, cell.text, cell, group=True)
            elif level == 1:
                self._subsection(None, cell.text, cell, group=True)
            else:
                title = cell.text
                self.note(cell, "任务标题（工作任务列）")
        return title

    def _one_cell_row(self, k: int, cells: list[Cell], cols: list[str], single: Cell) -> bool:
        """A row holding one text only, across the table (colspan, merged cells, the same text in every
        column) or alone in its first column: a note (注：…, 备注：…, 说明：…) is ignored with a warning; a
        numbered phrase (1.做好政策解读, ①…, （1）…) is a heading of the tasks below it. Neither is ever a
        task. Returns whether the row was taken so (一、/(一) headings and other text go on as before)."""
        if any(c.text and c.text != single.text for c in cells):
            return False
        spans = len(cells) > 1 and all(c.text == single.text for c in cells)
        at = next(j for j, c in enumerate(cells) if c is single)
        first = at == 0 or all(not c.text for c in cells[:at])
        label_column = first and at < len(cols) and cols[at] in ("no", "group")  # not a requirement's end
        if not spans and not (first and at == 0) and not label_column:
            return False
        text = single.text
        if section_heading(text) or subsection_heading(text) or is_chrome(text):
            return False
        copies = [c for c in cells if c is not single and not c.carried]
        if is_note(text):
            self.warn(single.line, f"表格中的注释行，不是任务（已忽略）：{text[:30]}")
            self.note(single, "注释行，已忽略（见警告）")
        elif (spans or label_column) and (heading := heading_like(text)) is not None:
            self._numbered_group(heading[1], single)
        elif spans and inline_number(text) is not None:
            # Numbered, too long for a heading: not a task either (a task row has cells of its own).
            self.warn(single.line, f"跨整行的文字不是任务（已忽略）：{text[:30]}")
            self.note(single, "跨整行的文字，已忽略（见警告）")
        else:
            return False
        for c in copies:
            self.note(c, "（与前一格相同）")
        return True

    def _numbered_group(self, title: str, cell: Cell) -> None:
        """A heading numbered as tasks are (1.做好政策解读 across the table): a group of the tasks below it,
        at the level a 工作任务 group takes (a subsection under 一、 sections, else a section; with both
        一、 and (一) headings, the title of the next task)."""
        self._close_task()
        origin = "跨列的编号标题行"
        if self.has_sections and self.has_subs and not self.promote_subs:
            self.group = title
            self.note(cell, f"下一项任务的标题（{origin}）")
        elif self.has_sections and not self.promote_subs:
            self._subsection(None, title, cell, group=origin)
        else:
            self._section(None, title, cell, group=origin)

    # ------------------------------------------------------------------ meta
    def _meta(self, cell: Cell, *, before: bool) -> str:
        text = cell.text.strip()
        found: list[str] = []
        key = norm_key(text)
        if before and any(w in key for w in TITLE_WORDS) and len(key) <= 80 and not any(p in key for p in ",。"):
            if key.startswith("关于") or "的通知" in key or key.endswith("通知"):
                if self.notice_title is None:
                    self.notice_title = notice_title(text)
                    found.append("通知标题")
            elif self.title is None:
                self.title = strip_title_tag(text.lstrip("#*> ").strip())
                found.append("标题")
        if (m := PUBLISHED.search(key)) and self.published is None:
            self.published = ymd_date(m.group(1), m.group(2), m.group(3))
            if self.published:
                found.append("发布时间")
        elif before and (m := CN_DATE.fullmatch(key)) and self.published_fallback is None:
            self.published_fallback = ymd_date(m.group(1), m.group(2), m.group(3))
            if self.published_fallback:
                found.append("发布时间（日期行）")
        if (m := ISSUER.search(text)) and self.issuer_source is None:
            value = ISSUER_END.split(m.group(1))[0].strip(" :：")
            if value:
                self.issuer_source = value
                found.append("发布机构（信息来源）")
        if not found:
            return ""
        return "元数据 " + "、".join(found) + ("（网页框架行）" if is_chrome(text) else "")

    # ------------------------------------------------------------------ output
    def build(self, data: bytes, source_name: str, year: int | None, imported: date | None) -> dict[str, Any]:
        """The table (see build.py); also drops headings left without tasks at the end."""
        from gwgk_cli.importer.build import build_table

        return build_table(self, data, source_name, year, imported)

    def explain(self) -> list[ExplainLine]:
        out: list[ExplainLine] = []
        for n in range(1, self.n_lines + 1):
            text = self.lines[n - 1] if n - 1 < len(self.lines) else ""
            parts = self.became.get(n)
            if parts:
                became = "；".join(dict.fromkeys(parts))
            else:
                became = self.default_explain.get(n) or ("空行" if not text.strip() else "网页代码（无文字）")
            out.append(ExplainLine(n, text, became, self.source.where[n - 1] if self.source.where else ""))
        return out

    def result(self, table: dict[str, Any]) -> ImportResult:
        """The import's result: the table, what each unit became, the warnings in input order."""
        self.warnings.sort(key=lambda w: w.lineno)
        if self.source.where is not None:
            for w in self.warnings:
                w.where = self.source.position(w.lineno)
        return ImportResult(table, self.explain(), self.warnings, self.source.note, sorted(self.drafts), dict(self.placeholders))
