"""Pinyin for unit names, so a clerk can type `zwgkzdb` or `zhengwu` instead of switching input methods.

Each character contributes every reading pypinyin knows (多音字 such as 行 in 行财科 give both
xing and hang), so either reading matches. A query matches a unit when it is a prefix of the
unit's initials (zwgkzdb) or of its full pinyin (zhengwugongkaizhidaoban), for any name or alias.
"""

from __future__ import annotations

from functools import lru_cache

from gwgk_cli.model import Unit


@lru_cache(maxsize=512)
def readings(name: str) -> tuple[tuple[str, ...], ...]:
    """Per Chinese character (other characters dropped except letters and digits), its toneless readings."""
    from pypinyin import Style, pinyin

    out: list[tuple[str, ...]] = []
    for char in name:
        if char.isascii():
            if char.isalnum():
                out.append((char.lower(),))
            continue
        found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        options = tuple(dict.fromkeys(r.lower() for group in found for r in group if r.isalpha()))
        if options:
            out.append(options)
    return tuple(out)


def _match_initials(query: str, seq: tuple[tuple[str, ...], ...]) -> bool:
    if len(query) > len(seq):
        return False
    return all(any(r.startswith(q) for r in options) for q, options in zip(query, seq, strict=False))


def _match_full(query: str, seq: tuple[tuple[str, ...], ...], i: int = 0) -> bool:
    if not query:
        return True
    if i >= len(seq):
        return False
    for reading in seq[i]:
        if reading.startswith(query):
            return True
        if query.startswith(reading) and _match_full(query[len(reading):], seq, i + 1):
            return True
    return False


def name_matches(query: str, name: str) -> bool:
    q = query.strip().lower().replace("'", "").replace(" ", "")
    if not q or not q.isascii():
        return False
    seq = readings(name)
    return _match_initials(q, seq) or _match_full(q, seq)


def pinyin_matches(units: tuple[Unit, ...] | list[Unit], query: str) -> list[Unit]:
    """Units whose name or an alias matches; an exact initials/full match wins over prefixes."""
    q = query.strip().lower()
    exact = [u for u in units if any(q in (initials(n), full(n)) or q in all_initials(n) for n in u.names)]
    if len(exact) == 1:
        return exact
    return [u for u in units if any(name_matches(q, n) for n in u.names)]


def initials(name: str) -> str:
    """The first reading's initials: 政务公开指导办 -> zwgkzdb."""
    return "".join(options[0][0] for options in readings(name))


def all_initials(name: str, limit: int = 16) -> list[str]:
    """Every initials spelling the readings allow (行财科 -> xck, hck), at most `limit`."""
    combos = [""]
    for options in readings(name):
        firsts = list(dict.fromkeys(r[0] for r in options))
        combos = [c + f for c in combos for f in firsts][:limit]
    return combos


def full_spellings(name: str, limit: int = 16) -> list[str]:
    """Every full-pinyin spelling the readings allow (xingcaike, hangcaike), at most `limit`."""
    combos = [""]
    for options in readings(name):
        combos = [c + r for c in combos for r in options][:limit]
    return combos


def full(name: str) -> str:
    return "".join(options[0] for options in readings(name))


def initials_for(unit: Unit) -> str:
    """What `gwgk units` shows: the initials of the canonical name's usual reading."""
    return initials(unit.name)
