"""Bytes to text: BOMs, strict UTF-8, the HTML meta charset, GB18030; mojibake is refused.

Order: a BOM (UTF-32, UTF-16, UTF-8) decides; then strict UTF-8; then, for a web page, the
charset its ``<meta>`` names; then GB18030. Text with NUL characters (UTF-16/32 without a BOM,
or a binary file) and text that decodes but is mojibake (see :func:`mojibake_score`) are
refused with a :class:`NoticeError` that says so: an import never goes on with garbled names.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from gwgk_cli.errors import NoticeError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_SAVE_AS = "请用记事本或 WPS 另存为 UTF-8 编码后再导入"


def meta_charset(data: bytes) -> str | None:
    """The encoding named by a page's <meta charset=…> or http-equiv Content-Type, if Python knows it."""
    m = _META_CHARSET.search(data[:8192])
    if m is None:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    if name in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936"):
        name = "gb18030"  # a superset: pages labelled gb2312 often hold GBK characters
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


@lru_cache(maxsize=65536)
def _unlikely(ch: str) -> bool:
    """A character that a Chinese government notice practically never holds, but mojibake does."""
    o = ord(ch)
    if 0xE000 <= o <= 0xF8FF or 0xF0000 <= o:  # private use (GB18030 maps unassigned codes there)
        return True
    if 0x3040 <= o <= 0x30FF or 0x0370 <= o <= 0x052F or 0x2500 <= o <= 0x257F:  # kana, Greek, Cyrillic, box
        return True
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF:
        try:
            ch.encode("gb2312")  # the 6,763 characters of everyday simplified Chinese
        except UnicodeEncodeError:
            return True
        return False
    cat = unicodedata.category(ch)
    return cat in ("Co", "Cn", "Cs")


def mojibake_score(text: str) -> tuple[int, int]:
    """(unlikely characters, non-ASCII characters) of the text's first 20,000 characters.

    Big5, Shift_JIS or UTF-8 bytes read as GB18030 turn into a mix of rare hanzi (outside GB2312),
    kana, Greek and Cyrillic letters, box drawing and private-use characters; a real notice,
    simplified Chinese, has next to none (a rare character in a place name at most).
    """
    sample = text[:20_000]
    wide = [c for c in sample if ord(c) > 0x7F and not c.isspace()]
    return sum(1 for c in wide if _unlikely(c)), len(wide)


def is_mojibake(text: str) -> bool:
    bad, total = mojibake_score(text)
    return bad >= 3 and bad * 5 >= total  # 20 % of the non-ASCII characters, and not one stray glyph


def _check_text(text: str, encoding: str, *, guessed: bool = False) -> str:
    """NoticeError for NULs; for a guessed encoding (not UTF-8 or a BOM), also for mojibake."""
    if "\x00" in text[:20_000]:
        raise NoticeError(
            f"通知文件含有空字符，按 {encoding} 读出来不是文本（可能是不带 BOM 的 UTF-16/UTF-32，或不是文本文件）：{_SAVE_AS}"
        )
    if guessed and is_mojibake(text):
        bad, total = mojibake_score(text)
        raise NoticeError(
            f"通知的编码无法确定：按 {encoding} 读出的文字是乱码（{total} 个汉字等字符中 {bad} 个罕见或无效，"
            f"可能是繁体 Big5 或其他编码）：{_SAVE_AS}"
        )
    return text


def _at_byte(data: bytes, offset: int) -> str:
    """Where a byte is, as the clerk looks for it in an editor or a hex viewer: 第 3 行，第 70 字节 0xA1 起.
    Both count from 1; the byte is counted in the whole file, the line by its \\n bytes (the same in
    UTF-8, GB18030 and ASCII)."""
    line = data.count(b"\n", 0, offset) + 1
    return f"第 {line} 行，第 {offset + 1} 字节 0x{data[offset]:02X} 起"


def decode_notice(data: bytes, *, html: bool = False) -> str:
    """The notice's text. NoticeError when it is not text, or not in an encoding that can be told."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom) :].decode(encoding), encoding.upper())
            except UnicodeDecodeError as exc:
                at = len(bom) + exc.start  # in the whole file, the BOM included
                raise NoticeError(f"通知文件以 {encoding.upper()} 的 BOM 开头，但第 {at + 1} 字节（0x{data[at]:02X}）起"
                                  f"不是该编码：{_SAVE_AS}") from None
    try:
        return _check_text(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as exc:
        not_utf8 = exc.start
    candidates = ["gb18030"]
    if html and (named := meta_charset(data)) and named not in ("utf-8", "gb18030"):
        candidates.insert(0, named)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:  # where GB18030 fails says nothing: most often in valid UTF-8 text
            if encoding != "gb18030":
                continue
            raise NoticeError(
                f"无法识别通知的编码：既不是 UTF-8（{_at_byte(data, not_utf8)}不符）也不是 GB18030：{_SAVE_AS}"
            ) from None
        return _check_text(text, encoding.upper(), guessed=encoding == "gb18030")  # a declared charset is trusted
    raise AssertionError("unreachable")  # pragma: no cover
