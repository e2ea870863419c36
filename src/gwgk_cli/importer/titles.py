"""Draft task titles from requirements, cut at a natural boundary."""

from __future__ import annotations

import re

from gwgk_cli.importer.classify import inline_number
from gwgk_cli.importer.model import WS

_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]")
_CUT_BEFORE = "、和与及并的《“（("
_CUT_AFTER = "》”）)"
_CUT_WEAK = "向对在于把将从为以按"


def short_title(requirement: str, limit: int = 16) -> str:
    """A draft short title: the first clause of the requirement, cut at a boundary to <= limit chars."""
    text = requirement.strip().lstrip("“\"'")
    if (num := inline_number(text)) is not None:
        text = num[1]
    clause = _CLAUSE_END.split(text, maxsplit=1)[0].strip()
    if len(clause) < 2:
        clause = WS.sub("", text)
    if len(clause) <= limit:
        return clause
    for p in range(limit, 5, -1):
        if clause[p] in _CUT_BEFORE or clause[p - 1] in _CUT_AFTER:
            head = clause[:p].rstrip("、")
            if len(head.rsplit("、", 1)[-1]) >= 2:  # not 贯彻落实中央、省
                return head
    for p in range(limit, 5, -1):
        if clause[p] in _CUT_WEAK:
            return clause[:p]
    return clause[:limit]
