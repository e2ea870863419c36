"""What a cell's text is: header words (by meaning), headings, task numbers, page chrome."""

from __future__ import annotations

import re
import unicodedata

from gwgk_cli.importer.model import WS
from gwgk_cli.numerals import cn_number, cn_numeral


def norm_key(text: str) -> str:
    return WS.sub("", unicodedata.normalize("NFKC", text))


_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "no": ("序号", "编号", "序列"),
    "group": (
        "工作任务", "重点任务", "主要任务", "任务类别", "类别", "分类", "工作类别", "项目", "工作事项",
        "任务名称", "工作项目", "重点工作", "任务", "重点领域", "工作领域", "公开领域", "领域", "板块", "工作板块",
        "任务分类", "大类", "一级任务", "二级任务",
    ),
    "req": (
        "具体要求", "工作要求", "具体任务", "任务内容", "工作内容", "具体内容", "工作措施", "主要内容",
        "任务要求", "具体措施", "主要措施", "任务分解", "具体工作",
    ),
    "units": (
        "责任单位", "责任科室", "责任部门", "责任处室", "责任股室", "牵头单位", "牵头科室", "牵头部门",
        "牵头处室", "责任主体", "承办单位", "主责单位", "负责单位", "责任单位(科室)", "责任人",
    ),
    "co": ("配合单位", "配合科室", "配合部门", "配合处室", "协办单位", "参与单位", "协同单位"),
    "deadline": (
        "时限要求", "完成时限", "完成时间", "时间要求", "时限", "时间节点", "完成期限", "进度要求",
        "时间安排", "完成时间节点", "办结时限", "截止时间",
    ),
    "person": (
        "责任领导", "分管领导", "牵头领导", "包保领导", "联系领导", "挂点领导", "县级领导", "市级领导", "牵头县领导",
        "牵头市领导", "牵头区领导", "责任县领导", "责任市领导", "领导", "联系人", "经办人", "具体责任人",
    ),
    "progress": (
        "进展情况", "完成情况", "备注", "落实情况", "工作进展", "进度情况", "推进情况", "目前进展",
        "工作完成情况", "进展", "办理情况",
    ),
}
_HEADER_KIND = {w: kind for kind, words in _HEADER_WORDS.items() for w in words}
COLUMN_NAMES = {
    "no": "序号", "group": "工作任务", "req": "具体要求", "units": "责任单位", "co": "配合单位",
    "deadline": "时限要求", "progress": "进展情况", "person": "责任领导", "extra": "多余的列",
}  # also the field names in the explain output (任务 3 具体要求)


# Header cells not in the lists above, recognised by what they are made of (matched whole, on the
# cell without its parenthesised part): a role word and an office word for units, and so on.
_HEADER_MEANING: tuple[tuple[str, re.Pattern[str]], ...] = (
    # The levels of an index table (一级指标 | 二级指标 | 三级指标, as assessment-style notices lay them out).
    ("group", re.compile(r"[一二三四五1-5]级(?:指标|任务|事项|目录|分类|类别)|(?:考核|评估|评价|工作)?指标")),
    ("co", re.compile(r"(?:配合|协办|协助|参与|协同|协作)(?:单位|科室|部门|处室|股室|单位及部门)")),
    ("person", re.compile(r"(?:责任|牵头|分管|包保|联系|挂点|主责)?(?:[省市县区]级?)?领导(?:同志)?|(?:联系|经办)人")),
    ("units", re.compile(r"(?:责任|牵头|主责|主办|承办|负责|实施|落实)(?:单位|科室|部门|处室|股室|主体|人)"
                         r"(?:及(?:责任人|联系人|配合单位))?")),
    ("deadline", re.compile(r"(?:完成|办结|截止|推进|实施|工作)?(?:时限|期限|时间|时间节点|进度)(?:要求|安排|节点)?")),
    ("progress", re.compile(r"(?:目前|当前|工作|任务)?(?:进展|完成|落实|推进|办理|进度)(?:情况|进度)|备注(?:说明)?")),
    ("req", re.compile(r"(?:具体|主要|工作|重点|任务|落实)(?:要求|措施|内容|举措|任务)(?:及要求)?")),
    ("no", re.compile(r"(?:序号|编号|序列号)")),
)


def header_kind(text: str) -> str | None:
    """The column a header cell names (no, group, req, units, co, deadline, progress), or None."""
    key = norm_key(text).rstrip(":")
    if not key or len(key) > 12:
        return None
    if key in _HEADER_KIND:
        return _HEADER_KIND[key]
    bare = re.sub(r"\(.*?\)", "", key)
    if bare in _HEADER_KIND:
        return _HEADER_KIND[bare]
    for kind, pattern in _HEADER_MEANING:
        if pattern.fullmatch(bare):
            return kind
    return None


_CN_NUM = "一二三四五六七八九十"
# Matched on stripped text; the title group is stripped by the caller.
_SECTION = re.compile(rf"^([{_CN_NUM}]{{1,3}})\s*[、.．]\s*(\S.*)$")
_SECTION_LOST = re.compile(r"^、\s*(\S.*)$")
_SUBSECTION = re.compile(rf"^[（(]\s*([{_CN_NUM}]{{1,3}})\s*[）)]\s*[、.．]?\s*(\S.*)$")
_SUBSECTION_LOST = re.compile(r"^[）)]\s*(\S.*)$")
_BARE_NUMBER = re.compile(r"^\s*[（(]?\s*([0-9０-９]{1,5})\s*[）)]?\s*[.、．,，]?\s*$")
_INLINE_NUMBER = re.compile(
    r"^\s*(?:([0-9０-９]{1,5})\s*(?:[.．](?![0-9０-９])|[、）)])|[（(]\s*([0-9０-９]{1,5})\s*[）)]\s*[、.．]?)\s*(\S.*)$",
    re.DOTALL,
)


_DOTTED = re.compile(r"^\s*([0-9０-９]{1,3}(?:[.．][0-9０-９]{1,3})+)(?![0-9０-９])\s*[.、．]?\s*(.*)$", re.DOTALL)


def dotted_number(text: str) -> tuple[str, str] | None:
    """(label, rest) of a text numbered by levels (1.1, 2.3.1 — a number per heading level): ("1.2", "公开决算。")."""
    m = _DOTTED.match(text)
    if m is None or (m.group(2) and m.group(2)[0] in "0123456789%％年月日万亿倍元个项家件次人"):
        return None
    return unicodedata.normalize("NFKC", m.group(1)), m.group(2).strip()


def _symbols(first: str, last: str, start: int = 1) -> dict[str, int]:
    return {chr(c): start + k for k, c in enumerate(range(ord(first), ord(last) + 1))}


# Numbers written as one character: ①…⑳ ㉑…㉟ ㊱…㊿ (circled), ⑴…⒇ (parenthesised), ⒈…⒛ (with a full
# stop), ❶…❿ ⓫…⓴ (negative circled), ⓵…⓾ (double circled), ➀…➉ ➊…➓ (dingbats). A notice numbers its tasks with them as with 1. 2. 3.
NUMBER_SYMBOLS: dict[str, int] = {
    **_symbols("①", "⑳"), **_symbols("㉑", "㉟", 21), **_symbols("㊱", "㊿", 36), **_symbols("⑴", "⒇"),
    **_symbols("⒈", "⒛"), **_symbols("❶", "❿"), **_symbols("⓫", "⓴", 11), **_symbols("⓵", "⓾"),
    **_symbols("➀", "➉"), **_symbols("➊", "➓"),
}
_SYMBOL_NUMBER = re.compile("^\\s*([" + "".join(NUMBER_SYMBOLS) + "])\\s*[.、．]?\\s*(.*)$", re.DOTALL)


def _heading_title_ok(title: str) -> bool:
    """A heading's title: short, one phrase (a full stop at its end is allowed, see _heading_title)."""
    return 0 < len(title) <= 50 and not any(p in title for p in "。；;！？")


def _heading_title(title: str) -> str:
    """The title without a closing full stop: (一)做好各类规划主动公开。 -> 做好各类规划主动公开."""
    title = title.strip()
    return title[:-1].rstrip() if title.endswith(("。", ".", "．")) and len(title) > 1 else title


def _heading(text: str, full: re.Pattern[str], lost: re.Pattern[str]) -> tuple[int | None, str] | None:
    text = text.strip()
    if len(text) > 80:
        return None
    if m := full.match(text):
        number, title = cn_number(m.group(1)), _heading_title(m.group(2))
        return (number, title) if number is not None and _heading_title_ok(title) else None
    if m := lost.match(text):
        title = _heading_title(m.group(1))
        return (None, title) if _heading_title_ok(title) else None
    return None


def section_heading(text: str) -> tuple[int | None, str] | None:
    """(number, title) of 一、标题; (None, title) of 、标题 (numeral lost)."""
    return _heading(text, _SECTION, _SECTION_LOST)


def subsection_heading(text: str) -> tuple[int | None, str] | None:
    """(number, title) of (一)标题 or （一）标题; (None, title) of )标题 (numeral lost)."""
    return _heading(text, _SUBSECTION, _SUBSECTION_LOST)


_SEQ_SECTION = re.compile(rf"([{_CN_NUM}]{{1,3}})[、.]?")
_SEQ_SUBSECTION = re.compile(rf"\(([{_CN_NUM}]{{1,3}})\)[、.]?")


def numeral_heading(numeral: str, title: str) -> tuple[str, int, str] | None:
    """("section" or "subsection", number, title) of a heading split over two cells, the numeral in the
    序号 column and the title beside it (一 | 推进决策公开, （一） | 提升解读质量, as WPS tables have)."""
    key, title = norm_key(numeral), title.strip()
    if not title or not _heading_title_ok(_heading_title(title)):
        return None
    for level, pattern in (("section", _SEQ_SECTION), ("subsection", _SEQ_SUBSECTION)):
        if (m := pattern.fullmatch(key)) and (n := cn_number(m.group(1))) is not None:
            return level, n, _heading_title(title)
    return None


def numbered(found: tuple[int | None, str] | None) -> tuple[int | None, str] | None:
    """Only a heading with its numeral (not one that may be a wrapped cell starting with 、 or ))."""
    return found if found is not None and found[0] is not None else None


def _origin(group: bool | str) -> str:
    """Where a heading that is no 一、/(一) heading came from: True, the 工作任务 column; a str says it."""
    return f"（{group}）" if isinstance(group, str) else "（工作任务列）" if group else ""


def section_label(no: int, group: bool | str) -> str:
    """Explain label of a section heading: 部分 一 标题 (from the 工作任务 column: …(工作任务列))."""
    return f"部分 {cn_numeral(no)} 标题" + _origin(group)


def subsection_label(sec: int, no: int, group: bool | str) -> str:
    """Explain label of a subsection heading: 小节 1.2 标题 (section 1, subsection (二))."""
    return f"小节 {sec}.{no} 标题" + _origin(group)


# A note under or inside the table (注：…, 备注：…, 说明：…, 注1：…, ※…): never a task.
_NOTE = re.compile(r"^[（(【]?\s*(?:注|注释|注意|备注|附注|说明|填表说明|特别说明|备注说明)\s*[0-9０-９一二三四五六七八九十]{0,2}\s*[:：]|^[※＊*]\s*\S")


# An attachment's heading after the table (附件, 附件2, 附件：联络员名单): what follows is not the task table.
_ATTACHMENT = re.compile(r"^附件\s*[0-9０-９一二三四五六七八九十]{0,2}\s*(?:[:：].{0,40})?$")


def is_attachment(text: str) -> bool:
    return bool(_ATTACHMENT.match(norm_key(text)))


def is_note(text: str) -> bool:
    return bool(_NOTE.match(text.strip()))


def heading_like(text: str) -> tuple[int, str] | None:
    """(number, title) of a numbered phrase that reads as a heading (1.做好政策解读, ①政策解读, （1）规划公开):
    short, one phrase (see _heading_title_ok); the numbers as inline_number reads them."""
    found = inline_number(text)
    if found is None or len(text.strip()) > 80:
        return None
    title = _heading_title(found[1])
    return (found[0], title) if _heading_title_ok(title) else None


def bare_number(text: str) -> int | None:
    """The number of a cell that is only a task number: 12, 12., 12、, (12), （12）, 12), ⑫, ⑿, ⒓."""
    if (s := _SYMBOL_NUMBER.match(text)) is not None:
        return NUMBER_SYMBOLS[s.group(1)] if not s.group(2).strip() else None
    m = _BARE_NUMBER.match(text)
    if m is None:
        return None
    value = int(m.group(1))
    return value if value > 0 else None


_SYMBOL_STYLE = {**dict.fromkeys("⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇", "(1)"), **dict.fromkeys("⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛", "1.")}


def number_style(text: str) -> str | None:
    """How a text's leading number is written: "1." (1. 1、 ⒈), "(1)" ((1) （1） ⑴), "1)" (1） 1)), "①"
    (circled and other one-character numbers); None without one. Items of a lower level inside a task's
    text are numbered in another style than the tasks (1.做好…：(1)…；(2)…)."""
    if (s := _SYMBOL_NUMBER.match(text)) is not None:
        return _SYMBOL_STYLE.get(s.group(1), "①")
    if (m := _INLINE_NUMBER.match(text)) is None:
        return None
    if m.group(2):
        return "(1)"
    return "1)" if text.lstrip()[len(m.group(1)):].lstrip()[:1] in "）)" else "1."


def inline_number(text: str) -> tuple[int, str] | None:
    """(number, the rest) of a text that starts with a task number: 3.做好…, 3、做好…, 3）做好…, (3)做好…,
    （3）做好…, ③做好…, ⑶做好…, ⒊做好…"""
    if (s := _SYMBOL_NUMBER.match(text)) is not None:
        rest = s.group(2).strip()
        return (NUMBER_SYMBOLS[s.group(1)], rest) if rest else None
    m = _INLINE_NUMBER.match(text)
    if m is None:
        return None
    value = int(m.group(1) or m.group(2))
    return (value, m.group(3).strip()) if value > 0 else None


# Page chrome: keys that start a line of the page around the notice (after bullets).
_CHROME_KEYED = (
    "发布时间", "发布日期", "信息来源", "来源", "索引号", "发布机构", "发文机关", "发文字号", "文号",
    "成文日期", "生成日期", "主题分类", "公开方式", "公开范围", "有效性", "姓名", "联系方式", "联系电话",
    "电话", "手机", "邮箱", "电子邮箱", "内容", "验证码", "地址", "邮编", "主办", "承办", "主办单位",
    "承办单位", "维护单位", "浏览次数", "阅读次数", "访问量", "点击数", "字号", "字体", "作者", "责任编辑",
    "分享到", "当前位置", "您当前的位置", "您的位置", "所在位置",
)
_CHROME_START = (
    "文字大小", "背景色", "【打印", "打印本页", "打印", "【关闭", "关闭窗口", "关闭", "扫一扫", "分享到",
    "上一篇", "下一篇", "相关链接", "相关文章", "相关阅读", "版权所有", "网站标识码", "技术支持", "网站地图",
    "联系我们", "当前位置", "您当前的位置", "首页>", "首页›", "【字体", "字体:", "【大", "收藏", "返回顶部",
    "提交", "重置", "无障碍", "长者模式", "政府网站找错", "视力保护色", "公安备案", "皖ICP", "ICP备",
)
_CHROME_KEY = re.compile(r"^[•·●◆■□▪*\-–—>\s]*\*?\s*(" + "|".join(sorted(_CHROME_KEYED, key=len, reverse=True)) + r")[:：]")


def is_chrome(text: str) -> bool:
    key = norm_key(text).lstrip("•·●◆■□▪*-–—>")
    if not key:
        return False
    if _CHROME_KEY.match(norm_key(text)):
        return True
    if len(key) <= 40 and key.startswith(_CHROME_START):
        return True
    return "ICP备" in key or "公网安备" in key or "网站标识码" in key
