"""Labelled fields written inside a task's text: ``…征求意见。牵头单位：县司法局；配合单位：县政府办。
完成时限：6月底前。`` or ``…(责任单位：县数据资源局，完成时间：年底前)``.

A label is a header word of the units, co-units, deadline or progress columns (classify.header_kind:
by meaning, so 责任科室, 协办单位, 完成时间 … count too) followed by a colon, at the start of the
text or after punctuation. Its value runs to the next label or the end, without the separators
around it. Header words for the other columns (具体要求：…) are not labels: they are text.
"""

from __future__ import annotations

import re

from gwgk_cli.importer.classify import header_kind

FIELD_KINDS = ("units", "co", "deadline", "progress")
_COLON = re.compile(r"[:：]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff()（）]{2,14}$")
_BEFORE_LABEL = "。；;，,、(（【[ \t"  # what may stand before a label (or the start of the text)
_TRIM = " \t。；;，,、"


def _label_at(text: str, colon: int) -> tuple[int, str] | None:
    """(start, kind) of the label ending at the colon, or None: the longest header word before it
    that starts the text, follows punctuation or follows what is not Chinese (征求意见牵头单位：…
    is not taken apart)."""
    run = _CJK_RUN.search(text, 0, colon)
    if run is None:
        return None
    for start in range(run.start(), colon - 1):
        if start > run.start() and text[start - 1] not in _BEFORE_LABEL:
            continue
        if (kind := header_kind(text[start:colon])) in FIELD_KINDS:
            return start, kind
    return None


def _trim(value: str) -> str:
    value = value.strip(_TRIM)
    for close, open_ in ((")", "("), ("）", "（"), ("】", "【")):
        while value.endswith(close) and value.count(close) > value.count(open_):
            value = value[:-1].rstrip(_TRIM)
    return value


def split_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """(the text before the first label, [(kind, value), …] in order). No label with a value: (text, [])."""
    labels: list[tuple[int, int, str]] = []  # label start, value start, kind
    for colon in _COLON.finditer(text):
        found = _label_at(text, colon.start())
        if found is not None:
            labels.append((found[0], colon.end(), found[1]))
    if not labels:
        return text, []
    fields = []
    for k, (_, value_start, kind) in enumerate(labels):
        end = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        value = _trim(text[value_start:end])
        if value:  # an empty one (配合单位：无 is not empty; 配合单位：； is) says nothing
            fields.append((kind, value))
    if not fields:
        return text, []
    rest = text[: labels[0][0]].rstrip(" \t(（【[")
    return rest.rstrip(), fields


def lead_values(text: str) -> set[str]:
    """The values of the units fields of a text labelled as leading (牵头单位：A、B, 牵头科室：…): every name
    in them leads, as in a column headed 牵头单位."""
    labels: list[tuple[int, int, str]] = []
    for colon in _COLON.finditer(text):
        found = _label_at(text, colon.start())
        if found is not None:
            labels.append((found[0], colon.end(), found[1]))
    out = set()
    for k, (start, value_start, kind) in enumerate(labels):
        end = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        if kind == "units" and text[start:value_start].startswith("牵头"):
            out.add(_trim(text[value_start:end]))
    return out


_OPENERS = "(（【["
_CLOSERS = {"(": ")", "（": "）", "【": "】", "[": "]"}


def take_field(text: str, kind: str) -> tuple[str, str] | None:
    """(the text without it, the value) of the first labelled field of that kind in a text, or None:
    ``公开目录。完成时限：2022年6月底前`` -> (``公开目录。``, ``2022年6月底前``); ``做好解读（时限：年底前）。`` ->
    (``做好解读。``, ``年底前``). The field runs to the next label or the end; the parentheses around it
    and the separator before it go with it; the other labels stay in the text."""
    labels: list[tuple[int, int, str]] = []
    for colon in _COLON.finditer(text):
        found = _label_at(text, colon.start())
        if found is not None:
            labels.append((found[0], colon.end(), found[1]))
    for k, (start, value_start, found_kind) in enumerate(labels):
        if found_kind != kind:
            continue
        end = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        value = _trim(text[value_start:end])
        if not value:
            continue
        before = text[:start].rstrip(" \t")
        after = text[end:]
        segment = text[value_start:end].rstrip(_TRIM)
        if before and before[-1] in _OPENERS:  # （时限：年底前）: the parentheses go too
            close = _CLOSERS[before[-1]]
            if segment.endswith(close):
                before = before[:-1]
            elif after.lstrip(_TRIM).startswith(close):
                after = after.lstrip(_TRIM)[1:]
        elif segment[-1:] in _CLOSERS.values():
            # （责任单位：…，完成时间：年底前）: the parenthesis closing the labels before it stays.
            opener = next(o for o, c in _CLOSERS.items() if c == segment[-1])
            if before.count(opener) > before.count(segment[-1]):
                after = segment[-1] + after
        full_stop = text[value_start:end].rstrip().endswith(("。", "."))
        before = before.rstrip(" \t，,；;、:：")
        if full_stop and before and before[-1] not in "。！？!?" and not after.strip():
            before += "。"  # …，完成时限：6月底前。 -> …。
        return (before + after).strip(), value
    return None
