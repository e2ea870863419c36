"""Tables of a 公文 (render/docx_gongwen.py): column widths from the content, rows kept whole when short,
the header row repeated on every page, cells set in 仿宋 off the character grid.

A Chinese character is one em and a digit half (docx_gongwen.em_width); short fixed-vocabulary columns (序号,
信号, 状态, dates) never wrap, the text columns share the rest by how much they hold; a row at most half
the 版心 high is kept on one page (``w:cantSplit``), a taller one may split rather than be clipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gwgk_cli.render.docx_gongwen import (
    MM_PER_PT,
    TABLE_HEAD,
    TABLE_PT,
    TABLE_SMALL_PT,
    TABLE_TEXT,
    TEXT_H_MM,
    TEXT_W_MM,
    TWIPS_PER_MM,
    add_text,
    em_width,
    insert_before,
    new_el,
    qname,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table


CROWDED_COLUMNS = 10  # a table of this many columns or more (a `small` one) is set in 小五
TABLE_CROWDED_PT = 9.0  # 小五
CELL_MARGIN_MM = 1.0  # left and right in every cell of a table (w:tblCellMar; Word's default is 1.9 mm)
CROWDED_MARGIN_MM = 0.5  # in a crowded one: a dozen columns' margins are two characters of 小五
CELL_SLACK_MM = 0.6  # borders and rounding, so a line that fits by the sum does not wrap
NOWRAP_MAX_EM = 10.0  # a no-wrap column whose longest cell is wider than this is a text column after all
TEXT_MIN_EM = 4.0  # a text column is never narrower than four characters (nor than its longest word)
HEAD_EM = 2.0  # a header of two characters never wraps; a longer one may, in two lines (three if need be)
TEXT_COMFORT_EM = 10.0  # in a crowded table, a text column's width before the dates get their one line back
DATE_WITH_YEAR = re.compile(r"(\d{4}年)(\d{1,2}月\d{1,2}日)")  # in a crowded table it may break: 2021年 | 11月24日


def date_pieces(line: str) -> list[str]:
    """A cell's line that is a date with its year in two (2021年, 11月24日); any other line whole."""
    m = DATE_WITH_YEAR.fullmatch(line)
    return [m.group(1), m.group(2)] if m else [line]


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], size_pt: float,
                  total_mm: float = TEXT_W_MM, nowrap: Sequence[int] = (), margin_mm: float = CELL_MARGIN_MM
                  ) -> list[float]:
    """Millimetres per column, from the content at `size_pt` (render/docx_gongwen.em_width): the `nowrap`
    columns (序号, 信号, 状态, dates, figures: the centred ones) as wide as their longest cell, never wrapped;
    the headers in as few lines as fit (at most three); the text columns share the rest by how much text
    they hold, none wider than its longest cell unless width is left over. Sums to `total_mm`.

    A table of many columns (the 通报's ranking: a dozen figures, a date, 单位) has no room left for its text:
    then a date with its year may break after 年 (2021年 / 11月24日), the headers take more lines, and the text
    columns get up to ten characters (a unit's name on one line) before the dates get their one line back."""
    em = size_pt * MM_PER_PT
    count = len(headers)

    def mm(ems: float) -> float:
        return ems * em + 2 * margin_mm + CELL_SLACK_MM

    def longest_of(c: int, pieces: bool = False) -> float:
        return max((em_width(part) for row in rows for line in str(row[c]).split("\n")
                    for part in (date_pieces(line) if pieces else [line])), default=0.0)

    longest = [longest_of(c) for c in range(count)]
    volume = [sum(em_width(str(row[c])) for row in rows) for c in range(count)]
    fixed = [c in nowrap and longest[c] <= NOWRAP_MAX_EM for c in range(count)]
    text = [c for c in range(count) if not fixed[c]]
    weight = {c: max(volume[c], 1.0) for c in text}
    text_floor = [min(TEXT_MIN_EM, max(longest[c], 1.0)) for c in range(count)]
    comfort = [max(text_floor[c], min(longest[c], TEXT_COMFORT_EM)) for c in range(count)]

    def layout(piece: list[float], by_ease: bool) -> tuple[list[float], list[float]]:
        """The columns' least widths and their comfortable ones, with the headers in the fewest lines at which
        the least (`by_ease`: the comfortable) widths fit, else in three."""
        for head_lines in (1, 2, 3):
            heads = [em_width(h) if em_width(h) <= HEAD_EM else math.ceil(em_width(h) / head_lines) for h in headers]
            need = [mm(max(piece[c] if fixed[c] else text_floor[c], heads[c])) for c in range(count)]
            ease = [mm(max(piece[c] if fixed[c] else comfort[c], heads[c])) for c in range(count)]
            if sum(ease if by_ease else need) <= total_mm:
                break
        return need, ease

    need, ease = layout(longest, by_ease=False)
    broken = [longest_of(c, pieces=True) if fixed[c] else longest[c] for c in range(count)]
    squeezed = sum(ease) > total_mm and broken != longest
    if squeezed:  # crowded: a date with its year may break after 年, the headers take up to three lines
        need, ease = layout(broken, by_ease=True)
    spare = total_mm - sum(need)
    if spare < 0 or not text:  # no room (or no text column): every column in proportion
        return _exact([w * total_mm / sum(need) for w in need], total_mm, range(count))
    widths = list(need)
    full = [mm(max(longest[c], 0.0)) for c in range(count)]
    if squeezed:  # the text columns to ten characters first (where that saves the most lines), then the dates
        spare = _fewest_lines(widths, {c: mm(comfort[c]) for c in text}, rows, em, spare, margin_mm)  # one line
        spare = _grow(widths, {c: mm(comfort[c]) for c in text}, weight, spare)
        for c in range(count):  # a date column whole or not at all (half of it would break 2021年11 | 月22日)
            if fixed[c] and 0 < full[c] - widths[c] <= spare:
                spare -= full[c] - widths[c]
                widths[c] = full[c]
    # the text columns grow, a character at a time, where the table gets fewest lines (a long 原因 beside short
    # 任务 titles: volume alone gave the titles the room; found by a reader), then by the text they hold, up to
    # their longest cell; what is left, in proportion
    spare = _fewest_lines(widths, {c: full[c] for c in text}, rows, em, spare, margin_mm)
    spare = _grow(widths, {c: full[c] for c in text}, weight, spare)
    if spare > 0.05:
        total_weight = sum(weight[c] for c in text)
        widths = [w + (spare * weight[c] / total_weight if c in weight else 0.0) for c, w in enumerate(widths)]
    return _exact(widths, total_mm, text)


def _fewest_lines(widths: list[float], target: dict[int, float], rows: Sequence[Sequence[str]], em: float,
                  spare: float, margin_mm: float = CELL_MARGIN_MM) -> float:
    """Widen the columns of `target` (towards their target widths) one character at a time, each time the one
    that saves the table the most lines (its rows' tallest cells), while a character saves any; what is left."""
    cells = [[[em_width(part) for part in str(row[c]).split("\n")] for c in range(len(widths))] for row in rows]

    def lines(ws: Sequence[float]) -> int:
        chars = [max(1.0, math.floor((w - 2 * margin_mm) / em)) for w in ws]
        return sum(max(sum(max(1, math.ceil(part / chars[c])) for part in row[c]) for c in range(len(ws)))
                   for row in cells)

    now = lines(widths)
    while spare >= em:
        best, best_lines = -1, now
        for c in target:
            if widths[c] + em > target[c] + 0.05:
                continue
            widths[c] += em
            n = lines(widths)
            widths[c] -= em
            if n < best_lines:
                best, best_lines = c, n
        if best < 0:
            break
        widths[best] += em
        spare -= em
        now = best_lines
    return spare


def _grow(widths: list[float], target: dict[int, float], weight: dict[int, float], spare: float) -> float:
    """Widen the columns of `target` towards their target widths, sharing `spare` by weight; what is left."""
    want = {c: max(0.0, target[c] - widths[c]) for c in target}
    open_cols = [c for c in target if want[c] > 0.05]
    while spare > 0.05 and open_cols:
        total_weight = sum(weight[c] for c in open_cols)
        grant = {c: spare * weight[c] / total_weight for c in open_cols}
        spare = 0.0
        for c in open_cols:
            take = min(grant[c], want[c])
            widths[c] += take
            want[c] -= take
            spare += grant[c] - take
        open_cols = [c for c in open_cols if want[c] > 0.05]
    return spare


def _exact(widths: Sequence[float], total_mm: float, give: Iterable[int]) -> list[float]:
    """Rounded to 0.1 mm, the rounding put on the widest of the `give` columns, so the sum is the width."""
    out = [math.floor(w * 10) / 10 for w in widths]
    widest = max(give, key=lambda c: out[c])
    out[widest] = round(out[widest] + total_mm - sum(out), 1)
    return out


LINE_EMS = 1.15 * 1.3  # a table line: 1.15 lines of a CJK face's 1.3 em


def keep_row_lines(size_pt: float, text_h_mm: float) -> int:
    """The most lines a table row keeps whole: half the 版心's height. A taller row may split across pages (one
    taller than a page cannot be kept, and moving one of half a page would leave half a page empty)."""
    return math.floor(text_h_mm / 2 / (size_pt * LINE_EMS * MM_PER_PT))


def row_lines(values: Sequence[str], widths_mm: Sequence[float], size_pt: float,
              margin_mm: float = CELL_MARGIN_MM) -> int:
    """Lines the tallest cell of a row takes at these widths (an estimate: whole characters a line)."""
    em = size_pt * MM_PER_PT
    lines = 1
    for value, width in zip(values, widths_mm, strict=True):
        chars = max(1.0, math.floor((width - 2 * margin_mm) / em))
        lines = max(lines, sum(max(1, math.ceil(em_width(part) / chars)) for part in str(value).split("\n")))
    return lines


# What follows w:shd in a cell's properties (w:tcPr, in the schema's order).
AFTER_SHADING = ("noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")


def shade(tc: Any, fill: str) -> None:
    """A solid background `fill` (RRGGBB) behind one cell (a w:tc element), its text left as it is: w:shd, which
    python-docx has no API for (written with docx.oxml's OxmlElement and qn: docx_gongwen.new_el)."""
    tcpr = tc.get_or_add_tcPr()
    for old in tcpr.findall(qname("w:shd")):
        tcpr.remove(old)
    insert_before(tcpr, new_el("w:shd", val="clear", color="auto", fill=fill), *AFTER_SHADING)


def table(doc: Document, headers: Sequence[str], rows: Sequence[Sequence[str]], *, centered: Sequence[int] = (),
          small: bool = False, widths_mm: Sequence[float] | None = None, total_mm: float = TEXT_W_MM,
          text_h_mm: float = TEXT_H_MM, fills: Mapping[tuple[int, int], str] | None = None) -> Table:
    """A bordered table across the text width: header row in 黑体, cells in 仿宋, fixed column widths (from the
    content unless given); the header row repeats on every page, a row splits across pages only when it is
    too tall to keep whole. `fills`: (row of `rows`, column) -> a light background for that cell (`shade`)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    size = TABLE_SMALL_PT if small else TABLE_PT
    margin = CELL_MARGIN_MM
    if small and len(headers) >= CROWDED_COLUMNS:  # the 通报's ranking: 小五 and narrower cell margins, so a
        size, margin = TABLE_CROWDED_PT, CROWDED_MARGIN_MM  # unit's name keeps to one line (found by a reader:
        # 政务公开指导办 wrapped, and headers stood a character a line)
    widths = (list(widths_mm) if widths_mm is not None
              else column_widths(headers, rows, size, total_mm, nowrap=centered, margin_mm=margin))
    tbl: Table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    tbl.style = doc.styles["Table Grid"]
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    for c, width in enumerate(widths):
        tbl.columns[c].width = Mm(width)  # the table grid (LibreOffice lays out by it) ...
    keep_lines = keep_row_lines(size, text_h_mm)
    element = next(doc.element.body.iterchildren(qname("w:tbl"), reversed=True))  # the table just added
    margins = new_el("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(new_el(f"w:{side}", w=str(round(margin * TWIPS_PER_MM)), type="dxa"))
    insert_before(element.find(qname("w:tblPr")), margins, "tblLook")
    lines = [row_lines([str(v) for v in values], widths, size, margin) for values in [headers, *rows]]
    whole = sum(lines) <= keep_lines * 2 / 3  # a short table (a third of the 版心 at most) is kept on one page
    if whole:
        before = element.getprevious()
        if before is not None and before.tag == qname("w:p"):  # with the line that introduces it
            before.get_or_add_pPr().keepNext_val = True
    # One pass over the rows: python-docx's rows[r] builds the list of every row on each call, which made
    # a table of 5,000 rows take minutes.
    for r, (row, tr, values) in enumerate(zip(tbl.rows, element.iterchildren(qname("w:tr")), [headers, *rows],
                                              strict=True)):
        cells = row.cells
        trpr = tr.get_or_add_trPr()
        if lines[r] <= keep_lines:
            trpr.append(new_el("w:cantSplit"))
        if r == 0:
            trpr.append(new_el("w:tblHeader"))
        elif fills:
            for c, tc in enumerate(tr.iterchildren(qname("w:tc"))):  # a new table: one w:tc a cell, none merged
                if (r - 1, c) in fills:
                    shade(tc, fills[r - 1, c])
        for c, value in enumerate(values):
            cell = cells[c]
            cell.width = Mm(widths[c])  # ... and each cell (Word and WPS use these)
            p = cell.paragraphs[0]
            p.style = TABLE_HEAD if r == 0 else TABLE_TEXT
            if r and c in centered:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            texts = str(value).split("\n")
            if r and c in centered:  # a date in a column too narrow for it: broken after 年, not anywhere
                texts = [part for line in texts for part in (date_pieces(line) if em_width(line) * size
                                                              * MM_PER_PT > widths[c] - 2 * margin
                                                              else [line])]
            for n, line in enumerate(texts):
                if n:
                    p = cell.add_paragraph(style=p.style)
                add_text(p, line, size)
                if whole and r < len(rows):  # every row keeps with the next: the table is not broken
                    p.paragraph_format.keep_with_next = True
    return tbl


def finish_tables(doc: Document) -> None:
    """Every table: cells centred vertically."""
    body = doc.element.body
    for tbl in body.iter(qname("w:tbl")):
        for tc in tbl.iter(qname("w:tc")):
            tc.get_or_add_tcPr().append(new_el("w:vAlign", val="center"))
