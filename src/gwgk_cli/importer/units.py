"""Unit cells: splitting into names, role markers (牵头/配合), collective units."""

from __future__ import annotations

import re

from gwgk_cli.importer.model import WS

_OPEN = "（(《“【[‘「〔"
_CLOSE = "）)》”】]’」〕"
_UNIT_SEPARATORS = ",，;；\n"
_NAME_SEPARATORS = "、/／"
# Trailing markers, longest first. (marker, role): "lead", "each" (= all lead), "co", "" (dropped).
_MARKERS: tuple[tuple[str, str], ...] = (
    ("按职责分工负责落实", ""), ("按职责分工负责", ""), ("按职责分工落实", ""), ("按职责分工", ""),
    ("按职责负责", ""), ("按职责", ""), ("分别牵头落实", "each"), ("分别牵头负责", "each"),
    ("分别牵头", "each"), ("分别负责落实", "each"), ("分别负责", "each"), ("分别落实", "each"),
    ("为牵头单位", "lead"), ("牵头落实", "lead"), ("牵头负责", "lead"), ("牵头", "lead"),
    ("为配合单位", "co"), ("配合落实", "co"), ("共同落实", ""), ("共同负责", ""), ("负责落实", ""),
    ("配合", "co"), ("协助", "co"), ("参与", "co"), ("协办", "co"), ("分别", "each"), ("共同", ""),
    ("负责", ""), ("落实", ""), ("等单位", ""), ("等部门", ""), ("等科室", ""), ("等", ""),
)
_PREFIX_MARKERS = re.compile(
    r"^(牵头单位|牵头科室|牵头部门|牵头|责任单位|责任科室|主责单位|配合单位|配合科室|配合部门|配合|协办单位|参与单位)\s*[:：]\s*"
)
_PAREN_MARKER = re.compile(r"[（(【〔\[]\s*(牵头单位|牵头部门|牵头|配合单位|配合部门|配合|参与|协办|协助|负责)\s*[）)】〕\]]\s*$")
_ROLE_OF_PREFIX = {"牵": "lead", "责": "", "主": "", "配": "co", "协": "co", "参": "co"}


def _split_top(text: str, seps: str) -> list[str]:
    """Split at separators outside parentheses, book-title marks and quotes."""
    parts: list[str] = []
    depth = 0
    cur = ""
    for ch in text:
        if ch in _OPEN and not (ch == "“" and depth and cur.endswith("“")):
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in seps and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def _strip_markers(name: str) -> tuple[str, str | None, bool]:
    """(name without trailing role markers, role or None, whether the role is the name's own).

    A marker in parentheses annotates the name it follows (``A、B（牵头）``: B leads, not A); a marker
    written on (``A、B牵头``) is the verb of all the unmarked names before it (both lead)."""
    role: str | None = None
    own = False
    name = name.strip().strip("。.")
    changed = True
    while changed:
        changed = False
        if m := _PAREN_MARKER.search(name):
            word = m.group(1)
            if role is None:
                role, own = ("lead" if word.startswith("牵头") else "co" if word != "负责" else ""), True
            name = name[: m.start()].strip()
            changed = True
            continue
        for marker, r in _MARKERS:
            if name.endswith(marker) and len(name) > len(marker):
                name = name[: -len(marker)].strip()
                if role is None or (r in ("lead", "each") and role not in ("lead", "each")):
                    role = r if role is None or r else role
                changed = True
                break
    return name, role, own


def parse_units(cell: str, *, default_role: str | None = None, split_glued: bool = True
                ) -> tuple[list[str], list[str]]:
    """(units in order, leads) of a 责任单位 cell; leads is [] when none is marked.

    ``A、B牵头,C配合`` -> ([A, B, C], [A, B]); ``A牵头,各部门负责落实`` -> ([A, 各部门], [A]);
    ``各县(区)人民政府(管委会)`` stays one name.
    """
    names: list[str] = []
    leads: list[str] = []
    for segment in _split_top(cell, _UNIT_SEPARATORS):
        segment = segment.strip()
        seg_role = default_role
        if m := _PREFIX_MARKERS.match(segment):
            seg_role = _ROLE_OF_PREFIX.get(m.group(1)[0], seg_role) or seg_role
            segment = segment[m.end() :]
        items = [_strip_markers(n) for n in _split_top(segment, _NAME_SEPARATORS)]
        # A marker applies to the unmarked names before it (A、B牵头 -> both lead); one in parentheses
        # only to its own name (A、B（牵头） -> B leads), and A is then unmarked.
        roles: list[str | None] = [r for _, r, _ in items]
        following: str | None = None
        for k in range(len(roles) - 1, -1, -1):
            if roles[k] is None:
                roles[k] = following
            else:
                following = None if items[k][2] else roles[k]
        for (text, _, _), role in zip(items, roles, strict=False):
            found = _space_separated(text)
            if split_glued:
                found = [part for name in found for part in unglued(name)]
            for name in found:
                name = name.strip("、,，;；:：。.")
                if not name or name in names:
                    continue
                names.append(name)
                if (role or seg_role) in ("lead", "each"):
                    leads.append(name)
    return names, leads


# How the name of a unit ends (局, 委, 办公室, 中心 …): names separated only by spaces are split when every
# part ends so; otherwise the spaces are a wrapped name's and are dropped.
_UNIT_END = re.compile(r"(?:局|委|办|科|室|处|中心|院|会|部|厅|所|队|站|公司|政府|单位|组|馆|社|台|行|庭|校|团|司|署|监狱)$")
# One name running into the next, as a line break or a space lost in the notice leaves them: a unit's
# ending followed by a place (县财政局县发改委).
_GLUED = re.compile(r"(?:局|委|办|室|科|处|部|中心|院|厅|所|站|队|政府)(?=(?:省|市|县|区|镇|乡|街道)[\u4e00-\u9fff]{2,})")


def _space_separated(text: str) -> list[str]:
    parts = WS.split(text.strip())
    if len(parts) > 1 and all(len(p) >= 2 and _UNIT_END.search(p) for p in parts):
        return parts
    return [WS.sub("", text)]


def unglued(name: str) -> list[str]:
    """A unit's name that looks like names run together (县财政局县发改委), split where one ends and the
    next place begins; any other name as it is. Import warns of every split (glued_units)."""
    if is_collective(name) or not _GLUED.search(name):
        return [name]
    parts: list[str] = []
    start = 0
    for m in _GLUED.finditer(name):
        if name.startswith(_JOINT, m.end()) and name[m.end() - 1] == "委":
            continue  # 县委县政府督查室, 市委市政府信访局: one joint office, not two units
        parts.append(name[start:m.end()])
        start = m.end()
    return [*parts, name[start:]]


_JOINT = tuple(f"{place}政府" for place in ("省", "市", "县", "区", "镇", "乡"))


def glued_units(cell: str) -> list[tuple[str, list[str]]]:
    """(name as written, its parts) of each name in a 责任单位 cell that parse_units splits as run together."""
    names, _ = parse_units(cell, split_glued=False)
    return [(name, parts) for name in names if len(parts := unglued(name)) > 1]


_COLLECTIVE = re.compile(r"^(?:各|相关|有关|[市县区]直(?:各|有关|相关))")
# 各县（市、区）政府, 各乡镇（街道）: the governments below, not the office's own units. Collective, their tasks
# would be every department's (a city bureau's sheet listed fourteen county tasks); as one unit they are
# the addressee the notice names, sent a sheet and chased as one.
_LEVEL_BELOW = re.compile(r"^各(?:(?:市|县|区|镇)(?!直)|乡|街道|开发区|园区)")  # 各县直单位: the county's own


def is_collective(name: str) -> bool:
    """Collective units (= every relevant unit of the table): names starting with 各, 相关, 有关 or 市直各/市直有关
    (and 县直…/区直…), but not the governments below (各县（市、区）政府, 各乡镇): one unit each."""
    return bool(_COLLECTIVE.match(name)) and not _LEVEL_BELOW.match(name)


def unit_lines(lines: tuple[str, ...]) -> str:
    """A 责任单位 cell written on several lines (<br>, a paragraph, Alt+Enter): a line break between two
    names separates them (县政务公开办 / 各乡镇人民政府); a name broken over lines (县住房和城乡 / 建设局, the
    first line no unit's ending) is joined."""
    out = ""
    for line in lines:
        if out and (_UNIT_END.search(out) or out[-1] in "、,，;；)）"):
            out += "\n"
        out += line
    return out


def plausible_units(text: str) -> bool:
    if len(text) > 100 or any(p in text for p in "。！？!?"):
        return False
    names, _ = parse_units(text)
    return bool(names) and all(len(n) <= 40 for n in names)


def plausible_group(text: str) -> bool:
    return 0 < len(text) <= 30 and not any(p in text for p in "。，,；;！？")
