"""Where a notice's task table starts and what its columns hold: the header row (or a run of header
cells, one a line), a second header row under merged cells, the columns a row has when the notice
has no header; which rows start a task."""

from __future__ import annotations

import re

from gwgk_cli.importer.classify import (
    COLUMN_NAMES,
    bare_number,
    header_kind,
    inline_number,
    norm_key,
    numbered,
    section_heading,
    subsection_heading,
)
from gwgk_cli.importer.model import Cell, Row
from gwgk_cli.importer.outline import Outline

# A 工作任务 column that is the only text column of the table (序号|工作任务|责任单位|完成时限): the tasks'
# own text, not a group of them. Category headers (类别, 领域, 板块 …) stay groups.
_TASK_TEXT_HEADERS = frozenset(("工作任务", "重点任务", "主要任务", "任务", "任务名称", "工作事项", "重点工作", "工作项目"))


def task_text_column(kinds: list[str], cells: list[Cell]) -> list[str]:
    """The kinds with a lone 工作任务-like column read as the requirement when there is no 具体要求 column;
    with several group columns and no 具体要求 (一级指标 | 二级指标 | 三级指标 | 责任单位), the innermost
    (last) level is the tasks' own text."""
    if "req" in kinds:
        return kinds
    if kinds.count("group") >= 2:
        k = len(kinds) - 1 - kinds[::-1].index("group")
        return [*kinds[:k], "req", *kinds[k + 1 :]]
    if kinds.count("group") != 1:
        return kinds
    k = kinds.index("group")
    if k >= len(cells) or norm_key(cells[k].text).rstrip(":") not in _TASK_TEXT_HEADERS:
        return kinds
    return [*kinds[:k], "req", *kinds[k + 1 :]]


_CN_LABEL = re.compile(r"\(?[一二三四五六七八九十]{1,3}\)?[、.]?")


def _lead_and_others(kinds: list[str], cells: list[Cell]) -> list[str]:
    """牵头单位 | 责任单位 (two units columns, one headed 牵头): the other one's names share the task without
    leading it, as a 配合单位 column's do."""
    units = [k for k, kind in enumerate(kinds) if kind == "units" and k < len(cells)]
    leading = [k for k in units if norm_key(cells[k].text).startswith("牵头")]
    if len(units) < 2 or not leading or "co" in kinds:
        return kinds
    return ["co" if k in units and k not in leading else kind for k, kind in enumerate(kinds)]


def _people(kinds: list[str], cells: list[Cell]) -> list[str]:
    """A 责任人 column beside a 责任单位 column names people (张三), not units."""
    units = [k for k, kind in enumerate(kinds) if kind == "units" and k < len(cells)]
    people = [k for k in units if norm_key(cells[k].text).rstrip(":") in ("责任人", "责任人员")]
    if not people or len(people) == len(units):
        return kinds
    return ["person" if k in people else kind for k, kind in enumerate(kinds)]


class TableHeader(Outline):
    """The header and columns of the task table (the first layer of Interpreter, on top of Outline)."""

    rows: list[Row]
    columns: list[str] | None
    lead_header: bool
    header_line: int
    warned_no_header: bool
    person_labels: list[str]  # the headers of the columns naming people (责任领导 …), in order

    # ------------------------------------------------------------------ where the table starts
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

    def _header_row_kinds(self, row: Row) -> list[str] | None:
        cells = [c for c in row.cells if not c.carried]
        if not any(c.carried for c in row.cells):  # a copied table's row ends in empty cells (工作任务 | … | ||)
            while cells and not cells[-1].text:
                cells.pop()
        kinds = [header_kind(c.text) for c in cells]
        found = [k for k in kinds if k]
        if len(found) >= 2 and len(found) * 2 >= len([c for c in cells if c.text]):
            return [k or "extra" for k in kinds]
        return None

    def other_header(self, row: Row) -> bool:
        """A header row of another table after the task table's tasks: 序号 and short words, no number, no
        具体要求 or 责任单位 column (序号 | 单位 | 联络员 | 电话)."""
        cells = [c for c in row.cells if c.text and not c.carried]
        if self.columns is None or len(cells) < 2 or header_kind(cells[0].text) != "no":
            return False
        kinds = {header_kind(c.text) for c in cells}
        return not kinds & {"req", "units", "group"} and all(
            len(norm_key(c.text)) <= 8 and bare_number(c.text) is None and inline_number(c.text) is None for c in cells)

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
            if (row.explicit and self._header_row_kinds(row)) or (not row.explicit and self._header_run(k) >= 2):
                return self._headings_above(k)
        for k, row in enumerate(self.rows):
            first = next((c.text for c in row.cells if c.text), "")
            if (
                self.starts_task(row)
                or numbered(section_heading(first))
                or numbered(subsection_heading(first))
            ):
                return k
        return None

    def _headings_above(self, k: int) -> int:
        """Where the table starts, its header at row k: the numbered headings (一、 (一)) right above the header
        (one table a section, its heading a paragraph over it) are its first section's, not page chrome."""
        start = j = k
        while j > 0:
            texts = {c.text for c in self.rows[j - 1].cells if c.text}
            if len(texts) > 1:
                break
            if texts:
                text = texts.pop()
                if not (numbered(section_heading(text)) or numbered(subsection_heading(text))):
                    break
                start = j - 1
            j -= 1
        return start

    # ------------------------------------------------------------------ columns
    def _set_columns(self, kinds: list[str], cells: list[Cell], line: int, *, second_row: bool = False) -> None:
        """The columns are kinds (one per cell; a carried cell is a copy of a merged header cell)."""
        kinds = task_text_column(kinds, cells)
        kinds = _lead_and_others(_people(kinds, cells), cells)
        labels = [norm_key(c.text).rstrip(":：") or "责任领导" for c, kind in zip(cells, kinds, strict=False)
                  if kind == "person" and not c.carried]
        if labels and labels != self.person_labels:
            self.person_labels = labels
            named = "、".join(f"“{label}”" for label in labels)
            self.warn(line, f"{named}写的是人，不是单位：不计入责任单位，按原文记入各任务的 notice_progress"
                      f"（{labels[0]}：…）")
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

    @staticmethod
    def _copied_row(cells: list[Cell], cols: list[str]) -> list[str] | None:
        """The columns of a row of a table copied as text (pipe rows), where merged cells leave no trace: the
        cells a group merged down over its tasks are missing at the row's start and the row ends in empty
        cells instead (3.及时反馈… | 各科室 | |); a header cell merged across the levels and the number
        (工作任务 over 一、… | （一）… | 1) heads more cells than it names. None when the row fits as it is."""
        core = list(cells)
        while core and not core[-1].text:
            core.pop()
        if not core:
            return None
        tail = ["extra"] * (len(cells) - len(core))
        first = core[0].text
        if len(core) < len(cols) and cols[0] == "no" and _CN_LABEL.fullmatch(norm_key(first)):
            # 一 | 加强政策解读 (a heading split over the 序号 cell and the next, the rest of the row left out)
            return cols[: len(core)] + ["extra"] * (len(cells) - len(core))
        numbered_first = bare_number(first) is not None or (
            inline_number(first) is not None and not section_heading(first) and not subsection_heading(first))
        if len(core) < len(cols) <= len(cells) and cols[0] == "group" and numbered_first:
            # Right-aligned: the group cells (merged down in the notice) are the ones missing, the empty cells
            # at the end the copy's padding (a row shorter than the header has its own last cells: not this).
            return cols[len(cols) - len(core) :] + tail
        if len(core) > len(cols) and cols[0] == "group" and not numbered_first:
            return ["group"] * (len(core) - len(cols) + 1) + cols[1:] + tail
        return None

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
        if not any(c.carried for c in cells) and (copied := self._copied_row(cells, cols)) is not None:
            return copied
        if len(cols) == n:
            return cols
        if "no" not in cols and n == len(cols) + 1 and bare_number(cells[0].text) is not None:
            return ["no", *cols]
        if n < len(cols):
            for optional in ("group", "progress", "person", "co", "extra", "no"):
                while len(cols) > n and optional in cols:
                    cols.reverse()
                    cols.remove(optional)
                    cols.reverse()
            return cols[:n]
        return cols + ["extra"] * (n - len(cols))
