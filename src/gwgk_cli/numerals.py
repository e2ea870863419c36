"""Chinese numerals, both directions, for 1..99: section numbers (一、（十二）) and dates (二十一日); and figures
rounded as a Chinese report rounds them (四舍五入, `half_up`).

The one implementation the model, the deadline parser and the importer share.
"""

from __future__ import annotations

import re

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_CN_SMALL = r"(?:([一二三四五六七八九])?(十))?([一二三四五六七八九])?"  # compiled (and cached by re) on first use


def half_width(text: str) -> str:
    """Full-width digits, letters and punctuation as half-width (NFKC: `２０２１．１１．２２`, `６０％`), outer
    spaces removed: the one normalisation of the numbers and dates the command line and the 填报表 read."""
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


def cn_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一; outside 1..99 the ASCII digits."""
    if not 0 < n < 100:
        return str(n)
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def cn_number(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十一 -> 21 (1..99 in Chinese numerals); None when it is not one."""
    m = re.fullmatch(_CN_SMALL, text)
    if m is None or not text:
        return None
    tens_digit, ten, units = m.groups()
    tens = (CN_DIGITS[tens_digit] if tens_digit else 1) if ten else 0
    return tens * 10 + (CN_DIGITS[units] if units else 0)


def small_number(text: str) -> int | None:
    """1..99 from ASCII digits or Chinese numerals (6, 六, 十一, 二十, 三十一)."""
    if re.fullmatch(r"[0-9]{1,2}", text):
        return int(text)
    return cn_number(text)


def parse_cn_numeral(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, '3' -> 3; None when it is not a numeral."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    return small_number(text)


def year_number(text: str) -> int:
    """A four-character year, ASCII (2021) or Chinese digit by digit (二〇二一)."""
    if re.fullmatch(r"[0-9]{4}", text):
        return int(text)
    return int("".join(str(CN_DIGITS[c]) for c in text))


def half_up(value: float, places: int = 1) -> float:
    """`value` rounded to `places` decimals half away from zero (四舍五入: 8.25 -> 8.3, 6.25 -> 6.3), as its shortest
    decimal text reads; Python's round() and format() round half to even (8.2, found by a tester of the 通报)."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def one_place(value: float) -> str:
    """A figure with one decimal, 四舍五入 (half_up): 8.25 -> "8.3"."""
    return f"{half_up(value):.1f}"

