"""Text in a workbook cell stays text: the one rule every .xlsx gwgk writes (台账, 通报, 填报表) follows.

A string that a spreadsheet would take as a formula (`=`, `+`, `-`, `@` first: OWASP's CSV-injection
list, sanitize.is_formula_like) is written as a string cell with Excel's quote-prefix style: Excel and
WPS show it as typed and keep it text when it is edited, and the text itself gets no apostrophe (a `'`
in front is the CSV and TSV way, sanitize.cell; in a workbook it would show, and print). openpyxl is
given the text as a value; it would make a formula of a leading `=`, so the cell's type is set back.
"""

from __future__ import annotations

from typing import Any

from gwgk_cli.sanitize import fit_xlsx, is_formula_like, print_line


def text(value: str) -> str:
    """A string for one cell: controls escaped and bidi marks removed (sanitize.print_line), cut to what a
    cell holds."""
    return str(fit_xlsx(print_line(value)))


TEXT_FORMAT = "@"  # Excel's and WPS's Text format: what is typed into the cell stays text (0001, 12-31, 1/2)


def keep_text(target: Any) -> None:
    """Make an openpyxl cell holding text a Text-formatted cell (edited in Excel or WPS, 0001 stays 0001 and
    2021-12-31 a string, not a number or a date), and formula-like text a quote-prefixed string cell (after its
    value is set)."""
    value = target.value
    if isinstance(value, str):
        target.number_format = TEXT_FORMAT
    if isinstance(value, str) and is_formula_like(value):
        target.data_type = "s"
        target.quotePrefix = True


# ----------------------------------------------------------------------------- row heights
# A wrapped cell's row must be as tall as its lines, and no taller. Excel and WPS fit a row themselves when
# its height is not marked custom (they measure with the fonts they have), so a body row is written without
# customHeight (auto_rows); LibreOffice keeps the stored height, so that height is an estimate of its layout:
#
# - a wide (CJK) character of 宋体 at 11 pt is 14.67 px, 2.1 of Excel's 7-px column units (Calibri's digit:
#   the workbook's default font); a column w units wide is 7·w + 5 px with about 3 px of padding each side,
#   so it holds floor((w - 0.15) / 2.1) such characters: 14 at w = 30, 4 at w = 10 — measured through
#   LibreOffice with Carlito (Calibri's metric twin, which LibreOffice ships and Windows has as Calibri);
# - a narrow character is taken as 1.2 units (宋体's Latin is half a character, 1.05; LibreOffice sets Latin
#   text in a wider face where 宋体 is missing), and a line does not start with a closing mark (，。）”…):
#   the character before it goes down with it, as Excel, WPS and LibreOffice break Chinese lines;
# - a line of 11-pt CJK text is 16 pt in LibreOffice (Noto Serif/Sans CJK, 1.45 em, which it uses for 宋体
#   when 宋体 is missing), 13.5–14.25 pt in Excel: the larger, so no line is cut; 2 pt above and below.
# A machine whose LibreOffice lacks Carlito measures Calibri's unit with a wider face (DejaVu Sans, 9.3 px),
# so its columns are a third wider, hold more and its rows print taller than needed: install Carlito there
# (Debian: fonts-crosextra-carlito).
WIDE_UNITS = 2.1
NARROW_UNITS = 1.2
CELL_PAD_UNITS = 0.15
LINE_EM = 16 / 11  # LibreOffice's line pitch for CJK text, in ems of the font size
ROW_PAD_PT = 4.0
MAX_ROW_PT = 409.0  # the tallest row Excel allows (409 pt): a taller stored height is not a valid file
NO_LINE_START = frozenset("，。、；：？！）》」』】〉”’…%,.;:?!)]}")


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def wrapped_lines(value: str, width: float, size: float = 11.0) -> int:
    """Lines a wrapped cell `width` units wide (Excel's column width) takes for `value` at `size` points: its own
    line breaks kept, at least one."""
    scale = size / 11.0
    wide, narrow = WIDE_UNITS * scale, NARROW_UNITS * scale
    room = max(width - CELL_PAD_UNITS, wide)
    total = 0
    for part in value.split("\n"):
        lines, used, last = 1, 0.0, 0.0
        for ch in part:
            w = wide if _wide(ch) else narrow
            if used + w > room + 1e-9 and used > 0:
                lines += 1
                used = last if ch in NO_LINE_START and used > last else 0.0
            used += w
            last = w
        total += lines
    return total


def row_height(lines: int, size: float = 11.0) -> float:
    """Points a row of `lines` lines of `size`-point text takes (LibreOffice's pitch, padded), at most Excel's
    409: a longer text is cut in print at that height (the cell keeps all of it)."""
    return min(MAX_ROW_PT, round(lines * size * LINE_EM + ROW_PAD_PT, 1))


def auto_rows(sheet_xml: bytes, first: int) -> bytes:
    """A worksheet's XML with rows `first` and below no longer marked customHeight, so Excel and WPS fit them to
    their text (and grow them as a clerk types); LibreOffice still uses the stored height. openpyxl marks every
    row it is given a height for; the title and banner rows above `first` (merged cells, which Excel does not
    fit) keep their mark."""
    import re

    def unmark(m: re.Match[bytes]) -> bytes:
        return m.group(0).replace(b' customHeight="1"', b"") if int(m.group(1)) >= first else m.group(0)

    return re.sub(rb'<row r="(\d+)"[^>]*>', unmark, sheet_xml)
