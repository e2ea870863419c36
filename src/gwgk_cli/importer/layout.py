"""The layout interpreter: one stream of rows of cells (from any format) to sections, subsections and tasks.

:class:`Interpreter` holds the state of one import, walks the rows and gives the result. Its jobs are
layers, each a module using only the layers under it (no module imports one above it):

- outline.py (``Outline``): section and subsection headings, group labels;
- table_header.py (``TableHeader``): where the table starts, its header, what each column holds;
- task_assembly.py (``TaskAssembly``): a task opened with its number, filled, closed;
- outside_table.py (``OutsideTable``): the notice's meta and page chrome around the table, its end;
- cell_stream.py (``CellStream``): free rows, one cell each (a table cell a line);
- prose.py (``ProseParagraphs``): paragraphs that are tasks, their units in a bracket or a labelled sentence;
- table_rows.py (``TableRows``): real table rows;
- this module (``Interpreter``): the state, the walk over the rows, the result.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gwgk_cli.importer.classify import (
    header_kind,
    numbered,
    numeral_heading,
    section_heading,
    subsection_heading,
)
from gwgk_cli.importer.model import Cell, ExplainLine, ImportResult, ImportWarning, Source
from gwgk_cli.importer.outline import Sec, Sub, Task
from gwgk_cli.importer.prose import is_prose, paragraph_cells, prose_task, units_line
from gwgk_cli.importer.table_rows import TableRows


class Interpreter(TableRows):
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
        self.warnings: list[ImportWarning] = list(source.warnings)
        self.columns: list[str] | None = None
        self.person_labels: list[str] = []  # the headers of the columns naming people (责任领导 …)
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
        self.sequential = False  # 序号 restart under each heading: the tasks are numbered in order
        self.since_heading = False
        self.group_last = 0
        self.page_top = False  # the rows since a PDF page's table began, until its first task row
        self.numbered_by: str | None = None  # how the last task's number was written: "bare" (a cell of its own), a number_style, None
        self.post = False
        self.dotted_seen = False
        self.note_next: int | None = None  # the next item number of a note (注：1.…) above
        self.skipped: list[tuple[int, ImportWarning]] = []  # numbered paragraphs skipped since the last heading
        self.warned_no_header = False
        self.implicit_section: Sec | None = None
        # meta candidates
        self.title: str | None = None
        self.notice_title: str | None = None
        self.published: date | None = None
        self.published_fallback: date | None = None
        self.issuer_source: str | None = None
        self.drafts: set[int] = set()  # ids of tasks whose title was drafted from the requirement
        self.placeholders: dict[str, str] = {}  # meta key (or tasks.<id>.deadline) -> why its value is marked

        starts = [self.starts_task(r) for r in rows]
        # The numbers the notice gives its tasks: a task the importer numbers itself takes none of them.
        self.notice_numbers = {n for r, s in zip(rows, starts, strict=True) if s for n in self._numbers(r)}
        self.later_task = [False] * (len(rows) + 1)
        for k in range(len(rows) - 1, -1, -1):
            self.later_task[k] = self.later_task[k + 1] or starts[k]
        self.table_start = self._find_table_start()
        after = rows[self.table_start :] if self.table_start is not None else []
        texts = [c.text for r in after for c in r.cells[:2]]
        # Headings split over the 序号 column and the one beside it (一 | 推进决策公开): rows of their own.
        split = [h[0] for r in after if r.explicit and len(r.cells) > 1 and (h := numeral_heading(r.cells[0].text, r.cells[1].text))
                 and not any(c.text for c in r.cells[2:] if not c.carried)]
        self.has_sections = any(numbered(section_heading(t)) for t in texts) or "section" in split
        self.has_subs = any(numbered(subsection_heading(t)) for t in texts) or "subsection" in split
        self.promote_subs = self.has_subs and not self.has_sections
        # Heading levels the notice writes as rows of their own (not in a 工作任务 column): the levels left
        # to several group columns (see _group_levels).
        alone = [t.pop() for t in ({c.text for c in r.cells if c.text} for r in after) if len(t) == 1]
        # Tasks written as paragraphs with their units inside (prose.py).
        self.prose = is_prose(rows, self.table_start)
        self.prose_pending: list[Cell] = []
        self.prose_unnumbered = False
        self.prose_later = [False] * (len(rows) + 1)
        if self.prose:
            for k in range(len(rows) - 1, -1, -1):
                cells = paragraph_cells(rows[k])
                self.prose_later[k] = self.prose_later[k + 1] or bool(cells) and (
                    prose_task(cells[0].text) is not None or units_line(cells[0].text) is not None)
        self.row_levels = (1 if any(numbered(section_heading(t)) for t in alone) or "section" in split else 0) + (
            1 if any(numbered(subsection_heading(t)) for t in alone) or "subsection" in split else 0)

    # ------------------------------------------------------------------ bookkeeping
    def note(self, cell: Cell, what: str) -> None:
        for k, line in enumerate(cell.lines):
            self.became.setdefault(line, []).append(what if k == 0 else f"{what}（续行）")

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ImportWarning(line, message))

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
            if self.prose:  # paragraphs (a table of one column among them)
                cells = paragraph_cells(row)
                for c in row.cells:
                    if c not in cells and not c.carried:
                        self.note(c, "空单元格" if not c.text else "（与前一格相同）")
                if cells:
                    self._prose_cell(k, cells[0])
                k += 1
                continue
            if row.explicit:
                self._explicit_row(k, row)
                k += 1
                continue
            if (run := self._other_table_run(k)) > 0:
                k += run
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
        if self.prose:  # a task paragraph is complete once its units came: never cut off
            self._prose_flush()
            self._close_task()
        self._close_task(at_end=True)

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
