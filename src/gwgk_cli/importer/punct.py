"""Full-width punctuation folded to ASCII by a scrape, put back (，：；（）).

Some web pages (and copies of them) turn the notice's ，：；（） into , : ; ( ). In Chinese text
the ASCII forms are wrong (STYLE: full-width punctuation in Chinese text; numbers stay half-width).
A notice is *folded* when its texts have ASCII commas after Chinese characters and not one
full-width comma; then, in requirement and remark texts:

* ``,`` ``:`` ``;`` right after a Chinese character (or full-width punctuation) become ，：；
  unless a digit stands on both sides (1,000 stays);
* a pair ``(`` … ``)`` on one line, with Chinese text inside and a Chinese character next to it
  outside, becomes （ … ）.
"""

from __future__ import annotations

import re

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’《》〔〕【】"
_SEP = re.compile(rf"(?<=[{_CJK}])\s?([,:;])(?!\d{{3}}\b)")
_PAIR = re.compile(rf"\(([^()\n]*[{_CJK}][^()\n]*)\)")
_ASCII_AFTER_CJK = re.compile(rf"[{_CJK}][,]")
FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}
FOLD = str.maketrans({v: k for k, v in FULL.items()})


def is_folded(texts: list[str]) -> bool:
    """The notice's texts lost their full-width punctuation: ASCII commas after Chinese, no ，."""
    joined = "\n".join(texts)
    return "，" not in joined and len(_ASCII_AFTER_CJK.findall(joined)) >= 2


def _is_cjk(ch: str) -> bool:
    return bool(re.match(rf"[{_CJK}]", ch))


def restore(text: str) -> tuple[str, int]:
    """(the text with ，：；（） put back, how many marks were changed)."""
    count = 0

    def sep(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return FULL[m.group(1)]

    def pair(m: re.Match[str]) -> str:
        nonlocal count
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if not (_is_cjk(before) or _is_cjk(after) or before in "，。；：" or not before):
            return m.group(0)
        count += 2
        return "（" + m.group(1) + "）"

    text = _PAIR.sub(pair, text)
    text = _SEP.sub(sep, text)
    return text, count


def fold(text: str) -> str:
    """The inverse for texts that had no full-width marks: ，：；（） -> , : ; ( )."""
    return text.translate(FOLD)
