"""Meta data of a notice: title, issuer, publication date, year."""

from __future__ import annotations

import re
from datetime import date

from gwgk_cli.numerals import year_number

TITLE_WORDS = ("任务分工", "任务清单", "分工方案", "责任分工", "任务分解", "工作要点")
PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|成文日期|印发日期|日期|时间)[:：]?(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})"
)
CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
ISSUER = re.compile(r"(?:信息来源|来源|发布机构|发文机关)\s*[:：]\s*(.+)")
ISSUER_END = re.compile(r"\s{2,}|文字大小|字体|字号|背景色|浏览|阅读|访问|点击|发布时间|发布日期|索引号|【|\[|\|")
TITLE_ISSUER = re.compile(r"^(.*?)(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年")


def ymd_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def year_of(title: str) -> int | None:
    if m := re.search(r"(\d{4})\s*年", title):
        return int(m.group(1))
    if m := re.search(r"([〇零一二三四五六七八九]{4})\s*年", title):
        return year_number(m.group(1))
    return None


def notice_title(text: str) -> str:
    text = text.strip().lstrip("#*> ").strip()
    if (k := text.find("的通知")) >= 0:
        return text[: k + 3]
    return re.split(r"[_|]| - |—", text)[0].strip()


_NOTICE = re.compile(r"^(.{0,30}?)关于(?:印发|下发|转发|公布)?《?(.+?)》?(?:的)?通知$")


def title_from_notice(notice: str) -> str | None:
    """The document a 关于印发《…》的通知 line issues: 某县人民政府办公室关于印发2022年…的通知 -> 2022年…."""
    m = _NOTICE.match(notice)
    return m.group(2) if m else None


def issuer_from_notice(notice: str | None) -> str | None:
    """The office in front of 关于 in the notice's own title (某县人民政府办公室关于印发…的通知), if any."""
    m = _NOTICE.match(notice or "")
    return (m.group(1).strip() or None) if m else None


_TITLE_TAG = re.compile(r"^\s*[【\[]([^】\]]{1,20})[】\]]\s*")


def strip_title_tag(text: str) -> str:
    """A title without a leading column tag: 【政务公开任务分工】某单位2024年… -> 某单位2024年…."""
    rest = _TITLE_TAG.sub("", text, count=1).strip()
    return rest if len(rest) >= 4 else text.strip()


_PLACE = re.compile(r"^(?:.{1,12}?)([省市区县旗])")


def place_prefix(issuer: str | None) -> str | None:
    """The one-character place word of the issuer's own place: 淮南市人民政府办公室 -> 市, 某区 -> 区.

    Units of the issuer's own place are written with or without it (市政府网站 / 政府网站).
    """
    if not issuer:
        return None
    m = _PLACE.match(issuer)
    return m.group(1) if m else None
