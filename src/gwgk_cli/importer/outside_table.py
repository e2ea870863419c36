"""Text outside the task table: the notice's meta before it (title, 发布时间, 信息来源) and the page
chrome around it; where the table ends (text after the last task that does not continue it)."""

from __future__ import annotations

from datetime import date

from gwgk_cli.importer.classify import inline_number, is_chrome, is_note, norm_key
from gwgk_cli.importer.fields import split_fields
from gwgk_cli.importer.meta import (
    CN_DATE,
    ISSUER,
    ISSUER_END,
    PUBLISHED,
    TITLE_WORDS,
    notice_title,
    strip_title_tag,
    ymd_date,
)
from gwgk_cli.importer.model import Cell
from gwgk_cli.importer.task_assembly import TaskAssembly


class OutsideTable(TaskAssembly):
    """The text around the task table (the layer of Interpreter on top of TaskAssembly)."""

    post: bool
    title: str | None
    notice_title: str | None
    published: date | None
    published_fallback: date | None
    issuer_source: str | None
    note_next: int | None

    def _skip_note(self, cell: Cell, what: str) -> None:
        """A note (注：…, 说明：…) in or under the table: ignored with a warning. Its own numbered items
        (注：1.… then 2.…, 3.… on the lines after it) are the note's, not tasks."""
        text = cell.text.strip()
        body = text.split("：", 1)[-1].split(":", 1)[-1]
        first = inline_number(body)
        self.note_next = first[0] + 1 if first is not None else None
        self.warn(cell.line, f"{what}，不是任务（已忽略）：{text[:30]}")
        self.note(cell, ("注释段落" if "段落" in what else "注释行") + "，已忽略（见警告）")

    def _note_item(self, cell: Cell) -> bool:
        """The next numbered item of the note above (注：1.… / 2.…), no unit named in it: part of the note."""
        expected, self.note_next = self.note_next, None
        found = inline_number(cell.text)
        if expected is None or found is None or found[0] != expected or is_note(cell.text):
            return False
        if any(kind in ("units", "co") for kind, _ in split_fields(cell.text)[1]):
            return False
        self.note_next = expected + 1
        self.note(cell, f"注释第 {expected} 条，已忽略（同上一条警告）")
        return True

    def _meta(self, cell: Cell, *, before: bool) -> str:
        text = cell.text.strip()
        found: list[str] = []
        key = norm_key(text)
        if before and any(w in key for w in TITLE_WORDS) and len(key) <= 80 and not any(p in key for p in ",。"):
            if key.startswith("关于") or "的通知" in key or key.endswith("通知"):
                if self.notice_title is None:
                    self.notice_title = notice_title(text)
                    found.append("通知标题")
            elif self.title is None:
                self.title = strip_title_tag(text.lstrip("#*> ").strip())
                found.append("标题")
        if (m := PUBLISHED.search(key)) and self.published is None:
            self.published = ymd_date(m.group(1), m.group(2), m.group(3))
            if self.published:
                found.append("发布时间")
        elif before and (m := CN_DATE.fullmatch(key.strip("()"))) and self.published_fallback is None:
            # 2022年5月10日 on a line of its own, or in parentheses under the title: （2022年5月10日）
            self.published_fallback = ymd_date(m.group(1), m.group(2), m.group(3))
            if self.published_fallback:
                found.append("发布时间（日期行）")
        if (m := ISSUER.search(text)) and self.issuer_source is None:
            value = ISSUER_END.split(m.group(1))[0].strip(" :：")
            if value:
                self.issuer_source = value
                found.append("发布机构（信息来源）")
        if not found:
            return ""
        return "元数据 " + "、".join(found) + ("（网页框架行）" if is_chrome(text) else "")

    def _outside(self, cell: Cell, *, before: bool) -> None:
        what = self._meta(cell, before=before)
        if what:
            self.note(cell, what)
        elif is_chrome(cell.text):
            self.note(cell, "跳过：网页框架")
        else:
            self.note(cell, "跳过：网页框架（" + ("表格前" if before else "表格后") + "）")

    def _other_table(self, cells: list[Cell]) -> None:
        """A header row unlike the task table's (序号 | 单位 | 联络员 | 电话 of an 附件) after its tasks: the task
        table ended; this row and the rest are outside it."""
        self._close_task(at_end=True)
        self.post = True
        written = " / ".join(norm_key(c.text) for c in cells if c.text and not c.carried)
        self.warn(cells[0].line, f"另一张表的表头（{written}），与任务表的不同：任务表到此结束，其后的内容未导入")
        for c in cells:
            if c.text and not c.carried:
                self.note(c, "另一张表的表头，任务表到此结束（见警告）")

    def _end_table(self, cell: Cell) -> None:
        """Text after the last task that does not continue it: the rest is page chrome."""
        self._close_task(at_end=True)
        self.post = True
        self._outside(cell, before=False)
