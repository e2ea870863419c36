"""The notes file of the report (`gwgk report --notes`): 存在问题, 下一步工作, 下一步工作打算, 意见建议 as
clerks write them, in text/Markdown or YAML, UTF-8 or GB18030; BadValue in one line on anything else."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gwgk_cli.errors import BadValue

NOTE_KEYS = ("存在问题", "下一步工作", "下一步工作打算", "意见建议")
NOTE_KEYS_TEXT = "、".join(NOTE_KEYS)


# Patterns compiled on first use (re's cache), not at import: most reports have no notes file.
_HEADING = r"(#{1,6})\s*(.*?)\s*#*\s*"
_NUMBERING = r"^(?:[一二三四五六七八九十]+、|\d+[.、]\s*|[（(][一二三四五六七八九十\d]+[）)]\s*)"
_COLON = "[:\uff1a]+$"
# (一)…(二)… written on one line: split before a later (二), after the end of a sentence.
_INLINE_ITEM = r"(?<=[。；;!！?？])\s*[（(][一二三四五六七八九十]+[）)]\s*"
_ITEM = r"^(?:[-*+•·]\s+|\d+(?:[.)]\s+|．\s*)|\d+、\s*|[（(][一二三四五六七八九十\d]+[）)]\s*)"


def read_notes_text(path: Path) -> str:
    """The notes file as text: UTF-8 (with or without BOM), else GB18030 (what Windows Notepad and WPS save)."""
    from gwgk_cli.reading import MIB, read_named_file

    raw = read_named_file(path, MIB, "备注文件")  # a FIFO would hang the report, /dev/zero fill memory
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadValue(f"备注文件 {path} 不是 UTF-8 或 GB18030 文本")


def load_notes(path: Path) -> dict[str, list[str]]:
    """存在问题 / 下一步工作 / 下一步工作打算 / 意见建议 from a text or Markdown file (headings with or without
    ##, numbered 一、 or not, a colon or not) or a YAML file (keys); BadValue in one line."""
    text = read_notes_text(path)
    suffix = path.suffix.lower()
    as_yaml = suffix in (".yaml", ".yml") or (suffix not in (".md", ".markdown", ".txt") and not _has_note_heading(text))
    notes = _notes_yaml(text, path) if as_yaml else _notes_markdown(text, path)
    if not notes:
        raise BadValue(f"备注文件 {path} 中没有“存在问题”“下一步工作”等标题（可用：{NOTE_KEYS_TEXT}）")
    return notes


def _heading(line: str) -> tuple[int, str] | None:
    """(level, key) of a heading line: `## 存在问题`, `二、存在问题：`, `存在问题` alone; level 0 without #."""
    text = line.strip()
    match = re.fullmatch(_HEADING, text)
    if match:
        return len(match.group(1)), match.group(2)
    key = _note_key(text)
    return (0, key) if key in NOTE_KEYS else None


def _has_note_heading(text: str) -> bool:
    return any((h := _heading(line)) and _note_key(h[1]) in NOTE_KEYS for line in text.splitlines())


def _note_key(heading: str) -> str:
    return re.sub(_COLON, "", re.sub(_NUMBERING, "", heading.strip())).strip()


def _notes_markdown(text: str, path: Path) -> dict[str, list[str]]:
    bodies: dict[str, list[str]] = {}
    current: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        heading = _heading(line)
        if heading:
            level, title = heading
            key = _note_key(title)
            if key in NOTE_KEYS:
                current = bodies.setdefault(key, [])
            elif level == 1 and not bodies:
                current = None  # the document's own title
            else:
                raise BadValue(f"{path}:{lineno}: 未知标题 “{title}”（可用：{NOTE_KEYS_TEXT}）")
        elif current is not None:
            current.append(line)
        elif line.strip() and not bodies and lineno == 1:
            continue  # a title line without #
        elif line.strip():
            raise BadValue(f"{path}:{lineno}: 内容应写在“存在问题”“下一步工作”等标题下")
    return {key: note_items(bodies[key]) for key in NOTE_KEYS if key in bodies}


def _notes_yaml(text: str, path: Path) -> dict[str, list[str]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行）" if mark is not None else ""
        raise BadValue(f"备注文件 {path} 不是有效的 YAML{where}") from None
    if not isinstance(data, dict):
        raise BadValue(f"备注文件 {path} 应为 Markdown（## 存在问题 / ## 下一步工作）或 YAML 映射（存在问题：…）")
    unknown = [str(k) for k in data if _note_key(str(k)) not in NOTE_KEYS]
    if unknown:
        raise BadValue(f"备注文件 {path}：未知的键 “{unknown[0]}”（可用：{NOTE_KEYS_TEXT}）")
    out: dict[str, list[str]] = {}
    for key, value in data.items():
        out[_note_key(str(key))] = _yaml_items(value, path, str(key))
    return {key: out[key] for key in NOTE_KEYS if key in out}


def _yaml_items(value: Any, path: Path, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return note_items(value.splitlines())
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return [" ".join(str(v).split()) for v in value if str(v).strip()]
    raise BadValue(f"备注文件 {path}：“{key}” 应为一段文字或文字列表")


def _join(a: str, b: str) -> str:
    """Join a wrapped line: no space between Chinese characters."""
    return a + b if (a and not a[-1].isascii()) or (b and not b[0].isascii()) else f"{a} {b}"


def note_items(lines: Iterable[str]) -> list[str]:
    """List items (-, *, 1., 1、, (一)) and paragraphs, each as one line of text."""
    items: list[str] = []
    current: str | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            if current is not None:
                items.append(current)
            current = None
            continue
        match = re.match(_ITEM, line)
        if match:
            if current is not None:
                items.append(current)
            current = line[match.end():].strip()
        else:
            current = line if current is None else _join(current, line)
    if current is not None:
        items.append(current)
    return [part.strip() for item in items for part in re.split(_INLINE_ITEM, item) if part.strip()]
