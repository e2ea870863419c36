"""Real table rows (HTML, Word, Excel, PDF; pipe or tab rows of text): a header row (or a second one
under merged cells), a task row and the rows continuing it, group columns (工作任务, 重点领域 …), a row
of one text across the table (a heading, a note)."""

from __future__ import annotations

import re

from gwgk_cli.importer.classify import (
    COLUMN_NAMES,
    bare_number,
    dotted_number,
    header_kind,
    heading_like,
    inline_number,
    is_chrome,
    is_note,
    norm_key,
    number_style,
    section_heading,
    subsection_heading,
)
from gwgk_cli.importer.model import Cell, Row, join_wrapped
from gwgk_cli.importer.prose import ProseParagraphs
from gwgk_cli.importer.units import unit_lines
from gwgk_cli.numerals import cn_number


class TableRows(ProseParagraphs):
    """Rows that are rows of a table (the layer of Interpreter on top of ProseParagraphs)."""

    header_row: int
    page_top: bool
    row_levels: int

    def _explicit_row(self, k: int, row: Row) -> None:
        cells = row.cells
        if row.page_top:
            self.page_top = True  # for this row, or the first after the header repeated on the page
        if not any(c.text for c in cells):
            for c in cells:
                self.note(c, "表格空行")
            return
        if (self.tasks or self.task) and self.other_header(row):
            self._other_table(cells)
            return
        if (kinds := self._header_row_kinds(row)) is not None:
            real = [c for c in cells if not c.carried]
            if len(real) < len(cells):  # merged header cells: a column for each cell they cover
                kinds = [header_kind(c.text) or "extra" for c in cells]
                own_cells = cells
            else:
                own_cells = real
            if (self.header_row == k - 1 and self.columns is not None
                    and len(self.columns) == len(kinds) == len(cells)):  # (a blank cell at the end: kinds are fewer)
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
        cols = self._number_column(self._row_columns(cells), cells)
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
        dotted: str | None = None
        dotted_req: str | None = None
        if number is None and inline is None:  # 1.1 in the 序号 column, or at the start of the task's text
            for level_cell, is_no in ((no_cell, True), (req_cell, False)):
                if (level_cell is not None and level_cell.text and not level_cell.carried
                        and (found := dotted_number(level_cell.text)) and (found[1] == "") == is_no):
                    dotted, dotted_req = found[0], (None if is_no else found[1])
                    break
        # The 序号 cell, or the task's text when that cell is merged down from a row above (it has no line of its own here).
        first = (no_cell if (number is not None or dotted) and no_cell is not None and not no_cell.carried
                 else (req_cell or own[0]))
        self.numbered_by = "bare" if number is not None else number_style(req_cell.text) if inline and req_cell else None
        number = number if number is not None else (inline[0] if inline else None)
        task = self._new_task(number, first, explicit=True, merged=no_cell is not None and no_cell.carried, dotted=dotted)
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
                    task.put(kind, unit_lines(c.breaks) if c.breaks and kind in ("units", "co") else c.text, task.line)
                continue
            if kind == "req" and dotted_req is not None and c is req_cell:
                task.put("req", dotted_req, c.line)
                self.note(c, f"任务 {task.id} 序号（分级编号）、具体要求")
                continue
            if kind == "req" and inline is not None and c is req_cell:
                task.put("req", inline[1], c.line)
                self.note(c, f"任务 {task.id} 序号、具体要求")
                continue
            self._fill(task, kind, c)

    @staticmethod
    def _number_column(cols: list[str], cells: list[Cell]) -> list[str]:
        """Without a 序号 column, a group column whose cell is a bare number is the number column: a header
        cell merged over the levels and the number (工作任务 over 一、… | （一）… | 1) names no 序号."""
        if "no" in cols:
            return cols
        for j, (kind, c) in enumerate(zip(cols, cells, strict=False)):
            if kind == "group" and c.text and not c.carried and bare_number(c.text) is not None:
                return [*cols[:j], "no", *cols[j + 1 :]]
        return cols

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
        if self._note_item(single):
            for c in cells:
                if c is not single and not c.carried:
                    self.note(c, "（与前一格相同）")
            return True
        if section_heading(text) or subsection_heading(text) or is_chrome(text):
            return False
        copies = [c for c in cells if c is not single and not c.carried]
        if is_note(text):
            self._skip_note(single, "表格中的注释行")
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
