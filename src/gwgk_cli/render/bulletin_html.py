"""The 通报 as one self-contained HTML file (A4, the weekly report's CSS and table helpers)."""

from __future__ import annotations

from gwgk_cli.bulletin import (
    NUMERIC_FROM,
    OVERDUE_HEADERS,
    Bulletin,
    addressee_line,
    cells,
    headers,
    note_lines,
    overdue_cells,
    score_line,
    section_titles,
    signature_lines,
    subtitle,
    summary_lines,
)
from gwgk_cli.render.report_html import CSS, e, para, table, tr


def _widths(n: int) -> list[int]:
    """The unit column wide, the figures narrow: percentages summing to about 100."""
    rest = (100 - 6 - 20) // max(1, n - 2)
    return [6, 20, *([rest] * (n - 2))]


def bulletin_html(b: Bulletin) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">', f"<title>{e(b.title)}</title>",
             f"<style>{CSS}</style>", "</head>", "<body>", f"<h1>{e(b.title)}</h1>", f'<p class="period">{e(subtitle(b))}</p>',
             '<hr class="rule">']
    if (to := addressee_line(b)) is not None:
        parts.append(f'<p class="to">{e(to)}</p>')
    heads = headers(b)
    for key, heading in section_titles(b):
        parts.append(f"<h2>{e(heading)}</h2>")
        if key == "overview":
            parts += [para(line) for line in summary_lines(b)]
        elif key == "units":
            rows = [tr([e(c) for c in cells(b, s)], centered=[0, *range(NUMERIC_FROM, len(heads))],
                       cls="group" if s is b.total else "") for s in [*b.units, b.total]]
            parts.append(table(heads, _widths(len(heads)), rows) if b.units else para("无。"))
            parts += [para(line) for line in note_lines(b)]
        elif key == "overdue":
            rows = [tr([e(c) for c in overdue_cells(o)], centered=(0, 3, 4, 5)) for o in b.overdue]
            parts.append(table(OVERDUE_HEADERS, [7, 33, 20, 18, 10, 12], rows) if rows else para("无逾期未完成任务。"))
        else:
            parts.append(para(score_line(b)))
    parts += [f'<p class="sign">{e(line)}</p>' for line in signature_lines(b)]
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
