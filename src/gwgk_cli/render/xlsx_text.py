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


def keep_text(target: Any) -> None:
    """Make an openpyxl cell holding formula-like text a quote-prefixed string cell (after its value is set)."""
    value = target.value
    if isinstance(value, str) and is_formula_like(value):
        target.data_type = "s"
        target.quotePrefix = True
