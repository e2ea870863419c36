"""`json.dumps(data, ensure_ascii=False, indent=2)`, the same text, faster for the plain data gwgk writes.

With an indent the standard library encodes in pure Python, one generator step per token; at 10,000 task
records that is most of the time of `--format json`. This writer builds each container's text with one
join, strings through the same C escaping function json uses (json.encoder.encode_basestring). It handles
exactly str, int, float, bool, None, list, tuple and dict with str keys; anything else (a subclass, a
non-str key, a set) makes `dumps` return None and the caller takes json.dumps, which also gives its
usual error for what it cannot encode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

STEP = "  "


class _Unusual(Exception):
    """A value this writer leaves to json.dumps."""


def dumps(data: Any) -> str | None:
    """The text json.dumps(data, ensure_ascii=False, indent=2) gives, or None when `data` holds anything
    but plain JSON values (then call json.dumps)."""
    from json.encoder import encode_basestring

    try:
        return _value(data, "", encode_basestring, {})
    except (_Unusual, RecursionError):
        return None


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)


def _value(value: Any, indent: str, enc: Callable[[str], str], keys: dict[str, str]) -> str:
    """The text of one value at the given indent; `keys` holds each key's text seen so far ("id": )."""
    kind = type(value)
    if kind is str:
        return enc(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        return _float(value)
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = indent + STEP
        return "[\n" + inner + (",\n" + inner).join([_value(v, inner, enc, keys) for v in value]) + "\n" + indent + "]"
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + STEP
        items = []
        for key, item in value.items():
            prefix = keys.get(key)
            if prefix is None:
                if type(key) is not str:
                    raise _Unusual
                prefix = keys[key] = enc(key) + ": "
            kind = type(item)  # the usual scalars inline: one call less per value
            if kind is str:
                text = enc(item)
            elif item is None:
                text = "null"
            elif kind is int:
                text = int.__repr__(item)
            elif kind is bool:
                text = "true" if item else "false"
            else:
                text = _value(item, inner, enc, keys)
            items.append(prefix + text)
        return "{\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "}"
    raise _Unusual
