"""The 通报 as plain text (aligned columns, for a terminal or a file) and as Markdown, from the wording
in gwgk_cli.bulletin and the report renderers' helpers (display-width grid, Markdown tables)."""

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
from gwgk_cli.render.report_md import esc, table
from gwgk_cli.render.report_text import INDENT, PAGE_WIDTH, center, grid, pad
from gwgk_cli.sanitize import clean_line


def _one_line(text: object) -> str:
    return " ".join(clean_line(str(text)).split())


def _rows(b: Bulletin) -> list[list[str]]:
    return [[_one_line(c) for c in cells(b, s)] for s in [*b.units, b.total]]


def _unit_blocks(b: Bulletin) -> list[str]:
    """Each unit as a short block (rank and name, then its figures wrapped to the page): the table of the
    docx, HTML and Markdown forms is some 140 columns wide, more than a terminal or a printed page of text."""
    from gwgk_cli.render.cjkwrap import text_width

    heads = headers(b)
    width = PAGE_WIDTH - len(INDENT) - 4
    out: list[str] = []
    for row in _rows(b):
        rank, unit, *figures = row
        out.append(f"{INDENT}{rank:>2}  {unit}" if rank else f"{INDENT}    {unit}")
        items = [f"{h}{v}" if h.endswith("）") else f"{h} {v}" for h, v in zip(heads[2:], figures, strict=True)]
        line = ""
        for k, item in enumerate(items):  # a figure and its name are never split over two lines
            piece = item + ("，" if k < len(items) - 1 else "")
            if line and text_width(line + piece) > width:
                out.append(INDENT + "    " + line)
                line = ""
            line += piece
        out.append(INDENT + "    " + line)
    return out


def _paragraph(text: str) -> list[str]:
    from gwgk_cli.render.cjkwrap import wrap

    return [INDENT + line for line in wrap(text, PAGE_WIDTH - len(INDENT))]


def bulletin_text(b: Bulletin) -> str:
    out = [center(_one_line(b.title)), center(subtitle(b)), "=" * PAGE_WIDTH]
    if (to := addressee_line(b)) is not None:
        out += ["", _one_line(to)]
    for key, heading in section_titles(b):
        out += ["", heading]
        if key == "overview":
            out += [x for line in summary_lines(b) for x in _paragraph(line)]
        elif key == "units":
            out += _unit_blocks(b) if b.units else [INDENT + "无。"]
            out += [x for line in note_lines(b) for x in _paragraph(line)]
        elif key == "overdue":
            rows = [[_one_line(c) for c in overdue_cells(o)] for o in b.overdue]
            out += grid(OVERDUE_HEADERS, rows, right=(0, 4)) if rows else [INDENT + "无逾期未完成任务。"]
        else:
            out.append(INDENT + score_line(b))
    out += ["", *(pad(_one_line(line), PAGE_WIDTH - 8, right=True) for line in signature_lines(b))]
    return "\n".join(line.rstrip() for line in out) + "\n"


def bulletin_markdown(b: Bulletin) -> str:
    out = [f"# {esc(b.title)}", "", esc(subtitle(b)), ""]
    if (to := addressee_line(b)) is not None:
        out += [esc(to), ""]
    for key, heading in section_titles(b):
        out += [f"## {esc(heading)}", ""]
        if key == "overview":
            out += [*(f"- {esc(line)}" for line in summary_lines(b)), ""]
        elif key == "units":
            right = range(NUMERIC_FROM, len(headers(b)))
            out += table(headers(b), [cells(b, s) for s in [*b.units, b.total]], right=right) if b.units else ["无。", ""]
            out += [x for line in note_lines(b) for x in (esc(line), "")]  # one paragraph each (found by a reader)
        elif key == "overdue":
            out += (table(OVERDUE_HEADERS, [overdue_cells(o) for o in b.overdue], right=(0, 4)) if b.overdue
                    else [esc("无逾期未完成任务。"), ""])
        else:
            out += [esc(score_line(b)), ""]
    out += [f"<p align=\"right\">{esc(line)}</p>" for line in signature_lines(b)]
    return "\n".join(out) + "\n"
