"""Line breaking for Chinese text in fixed-width terminal cells.

- Display width: wide and full-width characters (CJK, full-width punctuation) take two columns,
  combining marks none, everything else one.
- Nothing is lost: the lines joined give the text back (a space where a line was broken at a space
  is the only thing dropped, as every wrapper does).
- Chinese line-breaking rules (禁则, GB/T 15834 and the W3C's "Requirements for Chinese Text Layout"):
  no line starts with closing punctuation (、，。；：？！）》”’ …) and none ends with opening
  punctuation (（《“‘ …); a Latin word or number is kept whole when it fits a line.
"""

from __future__ import annotations

import re
import unicodedata

NO_LINE_START = frozenset("、，。；：？！）》〉」』】〕〗”’…‥—～·%‰,.;:?!)]}")
NO_LINE_END = frozenset("（《〈「『【〔〖“‘([{")
# A visible escape from sanitize (\x1b, \u202e), a number with its measure word (`73 天`, `等3个`, `126 件`, `12 月`:
# a line never ends between them), or a Latin word, number, path or URL stays whole.
_TOKEN = re.compile(r"\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|等?[0-9]+ ?[个项天件次条人年月日周期]"
                    r"|[A-Za-z0-9_\-./%:+@#&=';?\[\]]+|\s|.", re.DOTALL)


def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def _split_long(token: str, width: int) -> list[str]:
    """A token wider than a line, cut into pieces that fit."""
    pieces: list[str] = []
    current, used = "", 0
    for char in token:
        w = char_width(char)
        if current and used + w > width:
            pieces.append(current)
            current, used = "", 0
        current += char
        used += w
    if current:
        pieces.append(current)
    return pieces


def _tokens(paragraph: str, width: int) -> list[str]:
    out: list[str] = []
    for token in _TOKEN.findall(paragraph):
        out.extend(_split_long(token, width) if text_width(token) > width else [token])
    return out


def _break_ok(tokens: list[str], start: int, end: int) -> bool:
    """May a line hold tokens[start:end] and the next line begin at tokens[end]?"""
    following = end
    while following < len(tokens) and tokens[following].isspace():
        following += 1  # the spaces at a break go; the next line starts after them
    if following < len(tokens) and tokens[following][:1] in NO_LINE_START:
        return False
    kept = [t for t in tokens[start:end] if not t.isspace()]
    return not (kept and kept[-1][-1:] in NO_LINE_END and following < len(tokens))


def _paragraph_lines(tokens: list[str], width: int) -> list[str]:
    lines: list[str] = []
    i = 0
    while i < len(tokens):
        while i < len(tokens) and tokens[i].isspace():
            i += 1  # a break at a space: the space goes
        if i == len(tokens):
            break
        end, used = i, 0
        while end < len(tokens) and used + text_width(tokens[end]) <= width:
            used += text_width(tokens[end])
            end += 1
        end = max(end, i + 1)
        if end < len(tokens):
            # Step back until the break obeys the rules (a line keeps at least one token).
            best = end
            while best > i + 1 and not _break_ok(tokens, i, best):
                best -= 1
            if _break_ok(tokens, i, best):
                end = best
        lines.append("".join(tokens[i:end]).rstrip(" "))
        i = end
    return lines


def wrap(text: str, width: int) -> list[str]:
    """The lines of `text` in a cell `width` columns wide (each paragraph of the text on new lines)."""
    width = max(width, 2)
    out: list[str] = []
    for paragraph in text.split("\n"):
        lines = _paragraph_lines(_tokens(paragraph, width), width)
        out.extend(lines or [""])
    return out


def fit_lines(text: str, width: int, hanging: str | None = None) -> list[str]:
    """The lines of `text` within `width` columns for a terminal: a longer line broken by the Chinese rules,
    its pieces after the first indented as the line is (spaces or the full-width 　　 of a letter's
    paragraph) or by `hanging`, where a terminal's own wrapping breaks anywhere (`完成 1` over `0%`) and
    starts at column 0."""
    out: list[str] = []
    for line in text.split("\n"):
        if text_width(line) <= width:
            out.append(line)
            continue
        body = line.lstrip(" \u3000")
        indent = line[:len(line) - len(body)]
        while indent and text_width(indent) > width // 2:
            indent = indent[:-1]
        if hanging is None or indent:
            out.extend(indent + piece for piece in wrap(body, width - text_width(indent)))
            continue
        hang = hanging if text_width(hanging) <= width // 2 else ""
        first, *rest = wrap(body, width)
        out.append(first)
        if rest:
            out.extend(hang + piece for piece in wrap(body[len(first):].lstrip(" "), width - text_width(hang)))
    return out
