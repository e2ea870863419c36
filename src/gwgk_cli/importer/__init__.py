"""Import a notice (政务公开重点工作任务分工) as a task table (docs/schema.md).

The input is the notice as it was published: text copied or saved from the page (decode.py:
BOMs, UTF-8, a page's meta charset, GB18030; mojibake refused), the saved ``.html`` page, a Word
``.docx``, an Excel ``.xlsx``/``.xls``, a PDF with a text layer, or an old ``.doc``/``.wps``/``.et``
converted by LibreOffice (formats.py picks the reader). Each reader (text.py, html.py, docx.py,
xlsx.py, pdf.py) reduces its format to a :class:`~gwgk_cli.importer.model.Source`: rows of cells,
each cell knowing the *units* (lines, or spreadsheet/document cells with their positions) it came
from. One interpreter (layout.py, built in layers: outline.py for headings, table_header.py,
task_assembly.py, outside_table.py, cell_stream.py, prose.py, table_rows.py) turns that stream into sections and
tasks without knowing the format; build.py makes the table; yamlout.py writes it.
:func:`import_notice` accounts for every unit (:class:`ExplainLine`); whatever it cannot place
becomes an :class:`ImportWarning` with its position.

How the text is read
====================

1. **Cells.** The input becomes a sequence of rows of cells (for text and web pages as follows;
   Word, Excel and PDF tables give rows directly, merged cells expanded the same way).

   * HTML: ``<tr>`` is a row, ``<td>``/``<th>`` a cell (``rowspan``/``colspan`` are expanded:
     a merged cell is repeated, marked *carried*, in the rows and columns it spans). Text
     outside tables becomes one single-cell row per block (``<p>``, ``<div>``, ``<br>`` …).
     Line numbers are those of the HTML source.
   * A text line with ``|`` separators (``| 1 | 依托… | 办公室 | 年底前 |``) is a row; a row
     that starts with ``|`` but does not end with one continues on the next lines (a cell
     wrapped over two lines). ``|---|---|`` rules are skipped.
   * Lines made only of pipes (``|``, ``||``) separate cells; ``||`` (or two separator lines
     in a row) is an empty cell. Between the first and the last separator line, consecutive
     text lines form one cell (a wrapped cell); a blank line ends a cell.
   * A line with tabs between its cells (copied from a browser's table) is a row.
   * Any other non-blank line is one cell (the 2021 layout: one cell per line).

2. **Table.** It starts at the column header (a row, or a run of at least two cells, of
   header words: 序号 / 工作任务 / 具体要求 / 责任单位 (责任科室, 牵头单位 …) / 配合单位 /
   时限要求 (完成时限 …) / 进展情况 (完成情况, 备注 …)), or, without a header, at the first
   heading or numbered task. Before it: page chrome and meta data (title, 发布时间, 信息来源).
   After the last task: page chrome (the feedback form and the like).

3. **Rows and cells in the table.**

   * ``一、标题`` is a section, ``(一)标题``/``（一）标题`` a subsection. A heading whose
     numeral was lost by the scrape (``、标题``, ``)标题``) gets the next number in order.
     A heading with the title of the current section/subsection (a page break repeat)
     is not a new one.
   * A cell that is only a number (``12``) starts task 12; its following cells fill the
     header's columns after the 序号 column, in order (the 2021 layout). A cell
     ``3.依托…`` (``3、`` ``(3)`` ``（3）`` ``3）`` ``③`` ``⑶`` ``⒊`` …) starts task 3 with the requirement
     ``依托…``; a number written otherwise than the tasks' inside a task's rows is an item of that task. The notice's numbers are
     kept (a skip such as 4 → 6 is a warning; a repeated number is renumbered, with a
     warning). A row without any number gets the next number, with a warning.
   * Explicit rows (``|`` rows, HTML rows) map cells to columns by position.
   * The 工作任务 column: a heading there is a heading; other text names a group of tasks:
     it becomes a subsection when the notice has 一、 sections but no (一) subsections, a
     section when it has neither, and the task's title when it has both.
     A row with only a 工作任务 cell is such a label for the rows below it, not a task.

   * Tasks written as prose (no header, no table; prose.py): paragraphs that carry their units — in a
     bracket at their end (（责任单位：…；完成时限：…）, （市财政局负责）) or in labelled sentences (牵头单位：…；
     配合单位：…。) — are tasks; 一、 is a section, a （一） paragraph without units a subsection, with units a
     task. A paragraph without units is no task: a warning says where it is.
   * 序号 restarting at 1 under each heading: from the first restart on the tasks are numbered in order,
     one warning for the notice (--explain gives the notice's numbers).

4. **Units.** A unit cell is split at ``、 , ， ; ；`` and ``/`` outside parentheses (full-width
   （） and ASCII (), 《》 and quotes), so ``各县(区)人民政府(管委会)`` stays whole. Role markers
   are taken off the names: ``牵头`` (and ``分别`` = each of them leads) marks leads (``（牵头）`` in
   parentheses only the name it follows); ``配合``,
   ``参与``, ``协助``, ``负责落实``, ``负责``, ``落实``, ``按职责分工负责``, ``等`` are dropped.
   A marker at the end of ``A、B牵头`` applies to the unmarked names before it (A and B
   lead). A 配合单位 column gives co-units; several names in a 牵头单位 column (or in the
   责任单位 column beside a 配合单位 column) all lead. ``units`` lists every unit in order
   (lead column first); ``leads`` is written only when it differs from ``[units[0]]``.
   Names are kept as written on each task; a name that is another with the issuer's place word
   in front (市政府网站 / 政府网站) becomes its alias in the registry (build.py).
   **Collective** units (``collective: true``): names starting with 各, 相关 or 有关, or
   with 市直各/县直各/区直各 (各相关科室, 相关业务科室, 各县(区)人民政府, 市直各部门).

5. **Titles.** The task's title is the 工作任务 cell when the layout has one per task (see
   3.); otherwise it is made from the requirement: its first clause (up to the first
   ， 。 ； ： …), cut to at most 16 characters before a 、 和 与 及 并 的 《 “ ( boundary
   (or after 》 ” )) that leaves at least 6 characters, else before a preposition
   (向 对 在 于 把 将 从 为 以 按), else hard at 16 characters. Drafts, to be checked by hand.

6. **Honesty.** Deadlines are kept as written and checked with
   :func:`gwgk_cli.deadlines.parse_deadline`; unreadable ones are warnings (and counted in the summary).
   A task without a deadline (no 时限 column or its cell empty, no labelled one) whose requirement starts
   a sentence with one (``2022年10月底前编制完成…``) takes it, as written, with a warning, an --explain note
   and a YAML comment at the value (build.py, deadlines.deadline_in_text). A task the text
   ends in the middle of (no 责任单位/时限要求 before the end) is not imported: it is a
   warning. A task missing a field in the middle of the table is imported with the field
   empty, and a warning (the table then does not load until it is completed by hand).
   Headings after the last imported task (a cut text) are dropped, other empty ones kept;
   both are warnings. Meta data that cannot be found (issuer, published) is written as
   null, with a warning. meta.title: the first line before the table containing 任务分工
   (not a 关于…通知 line, which is notice_title); else derived from notice_title.
   meta.issuer: the title's text before its year, else 信息来源/发布机构. published:
   发布时间/发布日期 (YYYY-MM-DD or 年月日), else a date line before the table. year:
   the caller's, else the title's, else the published date's.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from gwgk_cli.errors import NoticeError
from gwgk_cli.importer.decode import decode_notice
from gwgk_cli.importer.model import ExplainLine, ImportResult, ImportWarning, Source
from gwgk_cli.importer.titles import short_title
from gwgk_cli.importer.units import is_collective, parse_units
from gwgk_cli.importer.yamlout import dump_table

if TYPE_CHECKING:
    from gwgk_cli.importer.layout import Interpreter

__all__ = [
    "ExplainLine",
    "ImportResult",
    "ImportWarning",
    "NoticeError",
    "decode_notice",
    "dump_table",
    "import_notice",
    "is_collective",
    "parse_units",
    "read_source",
    "short_title",
]


def read_source(data: bytes, source_name: str) -> Source:
    """The notice's rows of cells with their positions, whatever its format (see formats.py)."""
    from gwgk_cli.importer.formats import read_any

    return read_any(data, source_name)


def import_notice(
    data: bytes, *, source_name: str, year: int | None = None, imported: date | None = None
) -> ImportResult:
    """Read a notice (text, web page, Word, Excel, PDF …) and build a task table.

    Raises NoticeError when the input cannot be read or holds no task table; any other input
    imports, perhaps with warnings.
    """
    from gwgk_cli.importer.layout import Interpreter

    source = read_source(data, source_name)
    try:
        imp = Interpreter(source)
        imp.run()
    except RecursionError:
        raise NoticeError("通知过于复杂，无法解析") from None
    if not imp.tasks:
        try:
            _no_tasks(imp)
        except NoticeError as exc:
            exc.seen = imp.result({})  # for --explain: what each line became up to the refusal
            raise
    table = imp.build(data, source_name, year, imported)
    return imp.result(table)


def _no_tasks(imp: Interpreter) -> None:
    """The refusal of a notice without a task, saying where the importer looked (the units of its format)."""
    position = imp.source.position
    whole = f"从{position(1)}到{position(imp.n_lines)}都" if imp.n_lines > 1 else position(1) or "全文"
    if imp.columns is None and not any(imp.starts_task(r) for r in imp.rows):
        raise NoticeError(f"未找到任务表：{whole}没有 具体要求/责任单位 表头，也没有编号任务")
    if imp.columns is not None and imp.header_line:
        raise NoticeError(f"未找到任务表：{position(imp.header_line)}是任务表的表头，但其后没有一项完整的任务"
                          "（有编号的任务行及其 具体要求、责任单位、时限要求；--explain 逐行列出读到的内容）")
    raise NoticeError(f"未找到任务表：{whole}没有一项完整的任务（有编号的任务行及其 具体要求、责任单位、时限要求；"
                      "--explain 逐行列出读到的内容）")
