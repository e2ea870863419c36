"""Draft task titles from requirements, cut at a natural boundary."""

from __future__ import annotations

import re

from gwgk_cli.importer.classify import inline_number
from gwgk_cli.importer.model import WS

_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]")
_CUT_BEFORE = "、和与及并的《“（("
_CUT_AFTER = "》”）)"
_CUT_WEAK = "向对在于把将从为以按"


# Who must do it, in front of the verb: 区政府要…, 各单位应…, 市直各部门须… (taken off a title).
_SUBJECT = re.compile(
    r"^(?:[各本市区县]?[\u4e00-\u9fff]{0,8}?(?:政府|单位|部门|科室|各地|各级|局|委|办|处|室))"
    r"(?:要|应当|应|须|需|必须)(?!求)"
)
# Adverbs before the verb, dropped only when the title would not fit otherwise: 主动公开… -> 公开….
_ADVERB = re.compile(r"^(?:主动|及时|进一步|切实|认真|全面|持续|积极|加快|不断|着力|大力|深入|依法)+")
# Where the object of the first verb ends: … 规划纲要|及其他各类规划, … 专题|并…
_OBJECT_END = re.compile(r"及其他|及其|以及|及|并且|并|等")


def short_title(requirement: str, limit: int = 16) -> str:
    """A draft short title for a requirement, at most ``limit`` characters, ending at a natural boundary.

    In order: the first clause (up to ， 。 ； …) without its subject (区政府要…); if that is too long,
    the verb and its object up to 及/以及/并/等 (then without a leading adverb such as 主动); else
    the clause cut before 、 和 与 的 《 “ ( or after 》 ” ), else before a preposition, else hard.
    """
    text = requirement.strip().lstrip("“\"'")
    if (num := inline_number(text)) is not None:
        text = num[1]
    clause = _CLAUSE_END.split(text, maxsplit=1)[0].strip()
    if len(clause) < 2:
        clause = WS.sub("", text)
    if (m := _SUBJECT.match(clause)) and len(clause) - m.end() >= 4:
        clause = clause[m.end() :]
    if len(clause) <= limit:
        return clause
    for candidate in (clause, _ADVERB.sub("", clause)):
        if (m := _OBJECT_END.search(candidate, 4)) is not None and 4 <= m.start() <= limit:
            head = candidate[: m.start()].rstrip("、")
            if len(head.rsplit("、", 1)[-1]) >= 2:
                return head
    return _cut(clause, limit)


def _cut(clause: str, limit: int) -> str:
    for p in range(limit, 5, -1):
        if clause[p] in _CUT_BEFORE or clause[p - 1] in _CUT_AFTER:
            head = clause[:p].rstrip("、")
            if len(head.rsplit("、", 1)[-1]) >= 2:  # not 贯彻落实中央、省
                return head
    for p in range(limit, 5, -1):
        if clause[p] in _CUT_WEAK:
            return clause[:p]
    return clause[:limit]
