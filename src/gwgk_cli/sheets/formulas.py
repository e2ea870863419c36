"""The formula cells of a returned 填报表's worksheet, read from the file's XML whatever program saved it.

A formula's value is not what the clerk wrote: it is what Excel, WPS or LibreOffice computed when the file was
saved (`=TRUE()` saved by LibreOffice is the number 1, `=A1` the sheet's title, `=TODAY()` the day it was saved),
or nothing at all in a file a program wrote, and it changes when the workbook is calculated again. Read for
values (openpyxl's data_only) a formula cell looks like any other, so the cells are found in the XML:

- a cell with its own `<f>`: a plain formula, the first cell of an array formula, and a shared formula's first
  cell (`<f t="shared" ref="J5:J9" si="0">A5*10</f>`) and the cells sharing it (`<f t="shared" si="0"/>`, no
  text: the formula is the first cell's, moved as Excel moves it, =A6*10 in J6);
- a cell inside an array formula's range other than its first (`<f t="array" ref="J5:J7">`, a dynamic array's
  spill range alike, or a data table's `t="dataTable"`): it has only a `<v>`, the formula's result.

A string starting with = (`<c t="s">`, `t="inlineStr"`, `t="str"` without `<f>`) is text, not a formula.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")  # <f>, <f t=…>, <x:f> (not <formula1>, <fill>)


@dataclass(frozen=True, slots=True)
class Formula:
    """A cell's formula as the formula bar shows it (=TRUE()); `array` names the range (J5:J7) when the cell is
    inside an array formula's range, not its first cell."""

    text: str  # "" when the file does not say (a shared formula whose first cell is missing)
    array: str = ""


@dataclass(slots=True)
class Formulas:
    """The formula cells of one worksheet, by (row, column), columns from 1."""

    cells: dict[tuple[int, int], Formula] = field(default_factory=dict)
    ranges: list[tuple[int, int, int, int, Formula]] = field(default_factory=list)  # rows, columns, first to last
    sharing: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)  # cell -> (its ref, si)
    shared: dict[str, tuple[str, str]] = field(default_factory=dict)  # si -> (the first cell's formula, that cell)

    def at(self, row: int, column: int) -> Formula | None:
        found = self.cells.get((row, column))
        if found is not None:
            return found
        if (row, column) in self.sharing:  # moved when asked for: a formula filled down a column is 10⁵ cells
            return self._moved(*self.sharing[(row, column)])
        return next((f for r1, c1, r2, c2, f in self.ranges if r1 <= row <= r2 and c1 <= column <= c2), None)

    def _moved(self, ref: str, si: str) -> Formula:
        from openpyxl.formula.translate import Translator

        text, origin = self.shared.get(si, ("", ""))
        if text:
            try:
                text = Translator(text, origin).translate_formula(ref)
            except Exception:  # noqa: BLE001 - openpyxl's tokenizer on a formula it cannot parse: the first cell's
                pass
        return Formula(text)


def shown_formula(formula: Formula, limit: int = 40) -> str:
    """A formula quoted in a message: Excel's _xlfn. prefixes of newer functions left out, cut at `limit`."""
    text = re.sub(r"_xl(?:fn|ws)\.", "", formula.text, flags=re.IGNORECASE).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Unreadable(Exception):
    """The worksheet's part cannot be found or read in the file (openpyxl read it: a file made to differ)."""


def formula_cells(raw: bytes, title: str, *, max_column: int) -> Formulas:
    """The formula cells of worksheet `title` of the .xlsx `raw` in its columns up to `max_column` (the table's).
    A worksheet without any <f> is not parsed. Unreadable when its part is not found."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = set(z.namelist())
            part = _sheet_part(z, names, title)
            if part is None:
                raise Unreadable(title)
            data = z.read(part)
    except (KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        raise Unreadable(title) from exc
    if not _FORMULA_TAG.search(data):
        return Formulas()
    try:
        return _parse(data, max_column)
    except (ValueError, ElementTree.ParseError) as exc:
        raise Unreadable(title) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_part(z: zipfile.ZipFile, names: set[str], title: str) -> str | None:
    """The zip member holding worksheet `title`: the package's relationships followed as openpyxl follows them
    (_rels/.rels to the workbook, the workbook's own .rels to the sheet)."""
    from xml.etree import ElementTree

    def rels(of: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(of)
        path = posixpath.join(folder, "_rels", name + ".rels")
        if path not in names:
            return {}
        root = ElementTree.fromstring(z.read(path))
        return {str(r.get("Id")): (str(r.get("Type") or ""), _target(folder, str(r.get("Target") or "")))
                for r in root if _local(r.tag) == "Relationship"}

    book = next((target for kind, target in rels("").values() if kind.endswith("/officeDocument")), "xl/workbook.xml")
    if book not in names:
        return None
    sheets = rels(book)
    for el in ElementTree.fromstring(z.read(book)).iter():
        if _local(el.tag) == "sheet" and el.get("name") == title:
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id" and k.startswith("{")), None)
            target = sheets.get(str(rid))
            return target[1] if target and target[1] in names else None
    return None


def _target(folder: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _parse(data: bytes, max_column: int) -> Formulas:
    from xml.etree import ElementTree

    from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

    found = Formulas()
    row = col = 0
    for event, el in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        tag = _local(el.tag)
        if event == "start":
            if tag == "row":  # <row r> and <c r> may be left out: then each is the one after the last
                row, col = (int(el.get("r")) if el.get("r") else row + 1), 0
            continue
        if tag == "row":
            el.clear()
        if tag != "c":
            continue
        ref = el.get("r")
        if ref:
            row, col = coordinate_to_tuple(ref)
        else:
            col += 1
            ref = f"{get_column_letter(col)}{row}"
        f = next((child for child in el if _local(child.tag) == "f"), None)
        if f is not None:
            kind, text = f.get("t") or "normal", f.text or ""
            if kind == "shared" and f.get("si") is not None:
                si = str(f.get("si"))
                if text:
                    found.shared.setdefault(si, ("=" + text, ref))
                elif col <= max_column:
                    found.sharing[(row, col)] = (ref, si)
                if not text:
                    el.clear()
                    continue
            formula = Formula("=" + text if text else "")
            if col <= max_column:
                found.cells[(row, col)] = formula
            span = f.get("ref")
            if kind in ("array", "dataTable") and span and ":" in span:
                c1, r1, c2, r2 = range_boundaries(span)
                if (c1 is not None and r1 is not None and c2 is not None and r2 is not None and c1 <= max_column
                        and (r1, c1) != (r2, c2)):
                    found.ranges.append((r1, c1, r2, c2, Formula(formula.text, span.upper())))
        el.clear()
    return found
