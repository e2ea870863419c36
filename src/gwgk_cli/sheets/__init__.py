"""填报表: progress workbooks sent to each unit and read back into the journal.

- `period`: the reporting period (an ISO week `2021-W47` or a month `2021-11`).
- `layout`: the columns, the header block, the hidden identification, the journal's `source` text.
- `writer`: one unit's workbook (openpyxl, imported only here).
- `reader`: a returned workbook -> the filled rows, each value checked, with cell references.
- `values`: one cell's value as meant: a date, a percent, text.
- `versions`: two versions of one sheet (the same 表号): which is the later.
- `merge`: what a returned workbook would change (idempotent), and recording it through `actions`.
- `returns`: which units have returned a sheet for a period (from the journal's `source` fields).

Nothing here imports typer or rich.
"""
