"""The domain model: tasks, units, sections, statuses. Plain dataclasses, no I/O."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gwgk_cli.deadlines import Deadline
from gwgk_cli.errors import BadValue
from gwgk_cli.numerals import cn_numeral


class Status(str, enum.Enum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Status:
        """Accept the English or the Chinese word (todo/未开始, doing/推进中, done/已完成, blocked/受阻)."""
        key = text.strip().lower()
        for status in cls:
            if key == status.value or key == status.label or key in STATUS_SYNONYMS.get(status, ()):
                return status
        raise ValueError(text)


STATUS_LABELS = {
    Status.TODO: "未开始",
    Status.DOING: "推进中",
    Status.DONE: "已完成",
    Status.BLOCKED: "受阻",
}
STATUS_SYNONYMS: dict[Status, tuple[str, ...]] = {
    Status.TODO: ("未启动", "open"),
    Status.DOING: ("进行中", "started", "in-progress"),
    Status.DONE: ("完成",),
    Status.BLOCKED: ("阻塞",),
}


# States of the 督办 loop that a filter can ask for besides the four statuses (list --status …).
SUPERVISION_STATES = {"unaccepted": "未签收", "review": "待审核", "closed": "已销号"}
SUPERVISION_SYNONYMS = {"unaccepted": ("未签收",), "review": ("待审核", "pending"), "closed": ("已销号", "销号")}


def parse_status_word(text: str) -> Status | str:
    """A status (todo/未开始 …) or a 督办 state (unaccepted/未签收, review/待审核, closed/已销号)."""
    key = text.strip().lower()
    for name, words in SUPERVISION_SYNONYMS.items():
        if key == name or key in words:
            return name
    return Status.parse(text)


# The largest number a table may use (序号, 部分, 小节) and a journal line may name: nine digits, far beyond
# any notice, and inside what every store holds (SQLite's integers end at 2**63 - 1).
MAX_NUMBER = 999_999_999
YEARS = (2000, 2099)  # the dates a yearly government task table can be about (--date, --today, a sheet's 填报日期)

STATUS_WORDS = "todo/未开始、doing/推进中、done/已完成、blocked/受阻、unaccepted/未签收、review/待审核、closed/已销号"


def parse_statuses(values: list[str] | None) -> tuple[set[Status], set[str]]:
    """(statuses, 督办 states) named by --status; any of them matches."""
    statuses: set[Status] = set()
    states: set[str] = set()
    for value in values or []:
        if not value.strip():
            raise BadValue(f"--status 不能为空（可用：{STATUS_WORDS}）")
        for part in value.replace("\uff0c", ",").split(","):
            if not part.strip():
                continue
            try:
                word = parse_status_word(part)
            except ValueError:
                raise BadValue(f"无效的状态 “{part}”（可用：{STATUS_WORDS}）") from None
            if isinstance(word, Status):
                statuses.add(word)
            else:
                states.add(word)
    return statuses, states


@dataclass(frozen=True, slots=True)
class Unit:
    """A responsible unit (科室): its name, other names, and whether it is collective (各相关科室)."""

    name: str
    aliases: tuple[str, ...] = ()
    collective: bool = False
    email: tuple[str, ...] = ()  # where its 催办 messages go (plan data: not secret)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Subsection:
    """A subsection (（一）…) of a section."""

    no: int
    title: str

    @property
    def label(self) -> str:
        return f"（{cn_numeral(self.no)}）"


@dataclass(frozen=True, slots=True)
class Section:
    """A section (一、…) of the notice, with its subsections."""

    no: int
    title: str
    subsections: tuple[Subsection, ...] = ()

    @property
    def numeral(self) -> str:
        return cn_numeral(self.no)

    def subsection(self, no: int | None) -> Subsection | None:
        for sub in self.subsections:
            if sub.no == no:
                return sub
        return None


@dataclass(frozen=True, slots=True)
class Task:
    """One key task: where it sits, what it asks, its units (the first named leads) and its deadline."""

    id: int
    section: int
    subsection: int | None
    title: str
    requirement: str
    units: tuple[str, ...]  # canonical unit names, in the order written; first = lead
    units_written: tuple[str, ...]  # as written in the notice
    leads: tuple[str, ...]  # canonical names of the lead unit(s)
    deadline: Deadline
    notice_progress: str | None = None

    @property
    def lead_unit(self) -> str:
        return self.leads[0] if self.leads else (self.units[0] if self.units else "")


@dataclass(frozen=True, slots=True)
class Repair:
    """A field of the notice as scraped and as restored by hand, kept as provenance."""

    task: int | None
    field: str
    scraped: str
    restored: str
    note: str = ""


@dataclass
class Plan:
    """One task table: the plan of one notice."""

    path: str
    schema_version: int
    title: str
    issuer: str
    published: date
    year: int
    units: tuple[Unit, ...]
    sections: tuple[Section, ...]
    tasks: tuple[Task, ...]
    notice_title: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    repairs: tuple[Repair, ...] = ()
    _by_id: dict[int, int] | None = field(init=False, repr=False, compare=False, default=None)
    _collective: frozenset[str] | None = field(init=False, repr=False, compare=False, default=None)

    def task_ids(self) -> list[int]:
        """Every task id, in table order."""
        return [t.id for t in self.tasks]

    def task(self, task_id: int) -> Task | None:
        if self._by_id is None:
            self._by_id = {tid: pos for pos, tid in enumerate(self.task_ids())}
        pos = self._by_id.get(task_id)
        return None if pos is None else self.tasks[pos]

    def section(self, no: int) -> Section | None:
        for sec in self.sections:
            if sec.no == no:
                return sec
        return None

    def unit(self, name: str) -> Unit | None:
        for unit in self.units:
            if name in unit.names:
                return unit
        return None

    @property
    def collective_units(self) -> frozenset[str]:
        if self._collective is None:
            self._collective = frozenset(u.name for u in self.units if u.collective)
        return self._collective

    @property
    def collective_name(self) -> str:
        """A collective unit the table has, to name them by in messages (“各相关科室”等集体单位)."""
        return next((u.name for u in self.units if u.collective), "各相关科室")

    @property
    def review_required(self) -> bool:
        """settings.review: a finished task counts only once a reviewer has closed it (审核销号)."""
        return self.settings.get("review") is True

    def id_range(self) -> str:
        ids = sorted(self.task_ids())
        return f"{ids[0]}–{ids[-1]}" if ids else "无"
