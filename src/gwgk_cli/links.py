"""What a 佐证材料 text is: a web address (with its scheme, or as clerks copy it without one) or a file path. One
rule for `--evidence` (actions) and a returned 填报表's links (sheets.reader)."""

from __future__ import annotations

import re

URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")
# A web address written without its scheme, as clerks copy it (www.huainan.gov.cn/xxgk, huainan.gov.cn/…).
WEB = re.compile(r"(?i)(?:www\.|(?:[a-z0-9-]+\.)+(?:cn|com|net|org|gov|edu)(?:[/:?#]|$))")


def web_address(text: str) -> bool:
    """Whether `text` is a web address (https://…, www.…, huainan.gov.cn/…) rather than a file."""
    return bool(URL.match(text) or WEB.match(text))
