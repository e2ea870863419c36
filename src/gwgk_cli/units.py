"""Finding a unit from what a clerk typed: canonical name, alias, pinyin, or an unambiguous part."""

from __future__ import annotations

from gwgk_cli.errors import UnknownUnit
from gwgk_cli.model import Plan, Unit


def _strip_quotes(text: str) -> str:
    return text.translate(str.maketrans("", "", "“”\"'‘’「」"))


def unit_candidates(plan: Plan, text: str) -> list[Unit]:
    """The units `text` could mean, best interpretation first (an exact match wins alone)."""
    query = text.strip()
    if not query:
        return []
    for unit in plan.units:
        if query in unit.names:
            return [unit]
    bare = _strip_quotes(query)
    if not bare:
        return []
    for unit in plan.units:
        if bare in (_strip_quotes(n) for n in unit.names):
            return [unit]
    parts = [u for u in plan.units if any(bare in _strip_quotes(n) for n in u.names)]
    if parts:
        return parts
    from gwgk_cli.pinyin import pinyin_matches  # lazily: pypinyin is only needed for latin input

    if query.isascii():
        return pinyin_matches(plan.units, query)
    return []


def closest_units(plan: Plan, text: str, n: int = 3) -> list[str]:
    import difflib

    if text.isascii():
        return _closest_by_pinyin(plan, text.strip().lower(), n)
    names = [name for u in plan.units for name in u.names]
    close = difflib.get_close_matches(text, names, n=n, cutoff=0.0)
    # Also rank by shared characters, which suits Chinese names better than edit distance.
    shared = sorted(names, key=lambda name: -len(set(name) & set(text)))
    out: list[str] = []
    for name in [*shared[:n], *close]:
        canonical = plan.unit(name)
        label = canonical.name if canonical else name
        if label not in out:
            out.append(label)
    return out[:n]


def _closest_by_pinyin(plan: Plan, text: str, n: int) -> list[str]:
    """Latin input: compare with every unit's initials and full pinyin."""
    import difflib

    from gwgk_cli.pinyin import all_initials, full

    spellings: dict[str, str] = {}
    for unit in plan.units:
        for name in unit.names:
            for spelling in (*all_initials(name), full(name)):
                spellings.setdefault(spelling, unit.name)
    close = difflib.get_close_matches(text, list(spellings), n=n * 3, cutoff=0.0)
    return list(dict.fromkeys(spellings[s] for s in close))[:n]


def resolve_unit(plan: Plan, text: str) -> Unit:
    """Exactly one unit, or UnknownUnit naming the closest / the candidates."""
    found = unit_candidates(plan, text)
    if len(found) == 1:
        return found[0]
    if found:
        names = "、".join(u.name for u in found)
        raise UnknownUnit(f"单位 “{text}” 不明确，可能是：{names}（请写得更完整）")
    hint = "、".join(closest_units(plan, text))
    raise UnknownUnit(f"未知单位 “{text}”。最接近的单位：{hint}（gwgk units 列出全部单位）")
