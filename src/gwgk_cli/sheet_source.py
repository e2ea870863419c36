"""The `source` text a journal entry carries when it was recorded from a returned 填报表 (sheets.merge writes it;
the 周报's 催报, doctor and the sheets' history read it). Apart from gwgk_cli.sheets so that reading it loads
none of the workbook code."""

from __future__ import annotations

# The journal's `source` for an entry recorded from a returned sheet: fixed keys in a fixed order, the
# file name last (it may contain anything): "sheet=…; period=…; sha256=…; unit=…; file=…".
_SOURCE_KEYS = ("sheet", "period", "sha256", "unit", "file")


def format_source(*, sheet_id: str, period: str, sha256: str, unit: str, file: str) -> str:
    values = (sheet_id, period, sha256, unit, file)
    return "; ".join(f"{k}={v}" for k, v in zip(_SOURCE_KEYS, values, strict=True))


def parse_source(text: str) -> dict[str, str] | None:
    """The fields of a sheet source; None for any other source (or none)."""
    if not text.startswith("sheet="):
        return None
    parts = text.split("; ", len(_SOURCE_KEYS) - 1)
    if len(parts) != len(_SOURCE_KEYS):
        return None
    out: dict[str, str] = {}
    for key, part in zip(_SOURCE_KEYS, parts, strict=True):
        name, sep, value = part.partition("=")
        if name != key or not sep:
            return None
        out[key] = value
    return out
