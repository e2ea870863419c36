"""The one place text from users or files is made safe to show: terminal, TSV, CSV, Markdown, HTML,
documents and spreadsheets all call these functions; JSON and YAML output keep the exact text, with
every character `clean` would escape written as a \\u escape of the format (`escape_in_strings`):
parsed, the text is exact; printed, nothing acts on the terminal.

- `clean(text)`: C0/C1 control characters (but tab and newline), DEL, bidi overrides and isolates,
  invisible format characters (deprecated controls, annotation marks, tags), the Unicode line and
  paragraph separators, and lone surrogates are shown as visible escapes (`\\x1b`, `\\u202e`) rather than acting on the
  terminal or reordering what a reader sees. Everything else is kept as it is.
- `clean_line(text)`: the same, with tabs, newlines and U+2028/U+2029 folded into spaces (one table cell, one line).
- `cell(text)`: a spreadsheet cell (CSV, TSV): `clean_line`, and a value a spreadsheet would take as
  a formula (`=`, `+`, `-`, `@` first, also after leading tab, CR or spaces) is prefixed with `'`
  (OWASP's advice for CSV injection), so it stays data. (In .xlsx, render/xlsx_text.py marks the cell.)
- `print_line(text)`: a line of a printed document (the Word 周报 and 通报, the xlsx workbooks): bidi
  controls and marks, and the other invisible format characters, removed (they have no glyph: what a reader must see is the text in its stored order,
  which removing them shows, where an escape would print as `\u202e`), then `clean_line`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import re

# C0 controls but \t and \n, DEL, C1 controls; bidi embeddings/overrides/isolates and marks (LRM, RLM,
# ALM); lone surrogates (from undecodable bytes passed through surrogateescape). Every one of them is
# "not printable" to str.isprintable (categories Cc, Cf, Cs), so text that isprintable() (nearly all of
# it) is returned as it is without a regular expression, and the patterns are compiled only when some
# text is not (re caches them).
# Also the invisible format characters that hide or re-order text without a glyph: the deprecated format
# controls (U+206A–206F), the interlinear annotation marks (U+FFF9–FFFB) and the tag characters
# (U+E0000–E007F); and the Unicode line and paragraph separators (U+2028, U+2029), which break a line in
# some viewers and not in others (a space in one-line cells, like a newline).
_INVISIBLE = "\u206a-\u206f\ufff9-\ufffb\U000e0000-\U000e007f"
_UNSAFE = ("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\u2028\u2029"
           + _INVISIBLE + "]")
_UNSAFE_OR_BREAK = ("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\u2028\u2029"
                    + _INVISIBLE + "]")
FORMULA_START = ("=", "+", "-", "@")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _escape_or_space(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\t\n\r\u2028\u2029":
        return " "
    return _escape(match)


def clean(text: str) -> str:
    """Control characters and bidi overrides as visible escapes; tab and newline kept."""
    if text.isprintable():
        return text
    import re

    return re.sub(_UNSAFE, _escape, text)


def clean_line(text: str) -> str:
    """As `clean`, with tab, CR and newline turned into spaces (one line of one cell)."""
    if text.isprintable():
        return text
    import re

    return re.sub(_UNSAFE_OR_BREAK, _escape_or_space, text)


_BIDI = "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069" + _INVISIBLE + "]"  # no glyph: removed in print


def print_line(text: str) -> str:
    """As `clean_line`, with bidi controls and marks removed rather than escaped (printed documents)."""
    if text.isprintable():
        return text
    import re

    return clean_line(re.sub(_BIDI, "", text))


def is_formula_like(text: str) -> bool:
    return text.lstrip(" \t\r\n").startswith(FORMULA_START)


def cell(text: str) -> str:
    """A spreadsheet cell that is always data: never a formula, never a control character."""
    if is_formula_like(text):
        return "'" + clean_line(text)
    return clean_line(text)


XLSX_CELL_MAX = 32_767  # characters Excel (and WPS) hold in one cell; more and Excel reports the file damaged
CUT_MARK = "…（已截断）"  # a text cut to fit a cell (here, and render.xlsx_text.fit_cell)


def fit_xlsx(value: Any) -> Any:
    """A value for a workbook cell: text cut to what one cell holds, with a mark saying so; others as given."""
    if isinstance(value, str) and len(value) > XLSX_CELL_MAX:
        return value[: XLSX_CELL_MAX - len(CUT_MARK)] + CUT_MARK
    return value


def needs_cleaning(text: str) -> bool:
    """Whether `clean` would change `text` (a quick test before cleaning many cells at once)."""
    if text.isprintable():
        return False
    if len(text) <= 65536 and text.replace("\t", "").replace("\n", "").isprintable():
        return False  # a whole TSV text: its tabs and newlines are kept (cheaper than compiling _UNSAFE)
    import re

    return re.search(_UNSAFE, text) is not None


def _json_escape(match: re.Match[str]) -> str:
    """A character as JSON's \\u escape; past U+FFFF a UTF-16 surrogate pair, as JSON spells it."""
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _yaml_escape(match: re.Match[str]) -> str:
    """A character as a YAML double-quoted escape (\\U past U+FFFF: YAML does not pair surrogates)."""
    code = ord(match.group())
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape_in_strings(text: str, *, yaml: bool = False) -> str:
    """JSON text (or YAML whose strings holding such characters are double-quoted: see `needs_cleaning`)
    with every character `clean` would escape written as an escape of the format: the same data when
    parsed, and nothing that acts on a terminal when printed. The characters occur only inside strings
    (the formats' own syntax is ASCII), so the text is rewritten as a whole."""
    if text.replace("\n", "").isprintable():
        return text
    import re

    return re.sub(_UNSAFE, _yaml_escape if yaml else _json_escape, text)


def blank(text: str) -> bool:
    """Whether `text` shows nothing: only whitespace, control and invisible format characters (a zero-width
    space U+200B, a word joiner U+2060, a BOM, bidi marks). A reason, an approver or a note that is
    required cannot be made of them: an approval nobody can see must not move a task out of 逾期."""
    if not text.strip():
        return True
    if text.isprintable() and _BLANK_LETTERS.isdisjoint(text) and not any("\ufe00" <= ch <= "\ufe0f" for ch in text):
        return False  # nearly all text: something printable and not a space is in it
    import unicodedata

    return all(ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")
               or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef" for ch in text)


# Letters with no glyph: the Hangul fillers, the braille blank, the Mongolian vowel separator (found in review).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
