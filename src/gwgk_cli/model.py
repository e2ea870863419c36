"""The domain model: tasks, units, sections, statuses. Plain value classes (gwgk_cli.frozen) and one
dataclass (Plan, which dataclasses.replace copies), no I/O."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gwgk_cli.deadlines import Deadline
from gwgk_cli.errors import BadValue
from gwgk_cli.frozen import Frozen
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


class Unit(Frozen):
    __slots__ = ("name", "aliases", "collective", "email")
    name: str
    aliases: tuple[str, ...]
    collective: bool
    email: tuple[str, ...]  # where its 催办 messages go (plan data: not secret)

    def __init__(self, name: str, aliases: tuple[str, ...] = (), collective: bool = False,
                 email: tuple[str, ...] = ()) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "name", name)
        setattr_(self, "aliases", aliases)
        setattr_(self, "collective", collective)
        setattr_(self, "email", email)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class Subsection(Frozen):
    __slots__ = ("no", "title")
    no: int
    title: str

    def __init__(self, no: int, title: str) -> None:
        object.__setattr__(self, "no", no)
        object.__setattr__(self, "title", title)

    @property
    def label(self) -> str:
        return f"（{cn_numeral(self.no)}）"


class Section(Frozen):
    __slots__ = ("no", "title", "subsections")
    no: int
    title: str
    subsections: tuple[Subsection, ...]

    def __init__(self, no: int, title: str, subsections: tuple[Subsection, ...] = ()) -> None:
        object.__setattr__(self, "no", no)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "subsections", subsections)

    @property
    def numeral(self) -> str:
        return cn_numeral(self.no)

    def subsection(self, no: int | None) -> Subsection | None:
        for sub in self.subsections:
            if sub.no == no:
                return sub
        return None


class Task(Frozen):
    __slots__ = ("id", "section", "subsection", "title", "requirement", "units", "units_written", "leads",
                 "deadline", "notice_progress")
    id: int
    section: int
    subsection: int | None
    title: str
    requirement: str
    units: tuple[str, ...]  # canonical unit names, in the order written; first = lead
    units_written: tuple[str, ...]  # as written in the notice
    leads: tuple[str, ...]  # canonical names of the lead unit(s)
    deadline: Deadline
    notice_progress: str | None

    def __init__(self, id: int, section: int, subsection: int | None, title: str, requirement: str,
                 units: tuple[str, ...], units_written: tuple[str, ...], leads: tuple[str, ...], deadline: Deadline,
                 notice_progress: str | None = None) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "id", id)
        setattr_(self, "section", section)
        setattr_(self, "subsection", subsection)
        setattr_(self, "title", title)
        setattr_(self, "requirement", requirement)
        setattr_(self, "units", units)
        setattr_(self, "units_written", units_written)
        setattr_(self, "leads", leads)
        setattr_(self, "deadline", deadline)
        setattr_(self, "notice_progress", notice_progress)

    @property
    def lead_unit(self) -> str:
        return self.leads[0] if self.leads else (self.units[0] if self.units else "")


class Repair(Frozen):
    __slots__ = ("task", "field", "scraped", "restored", "note")
    task: int | None
    field: str
    scraped: str
    restored: str
    note: str

    def __init__(self, task: int | None, field: str, scraped: str, restored: str, note: str = "") -> None:
        setattr_ = object.__setattr__
        setattr_(self, "task", task)
        setattr_(self, "field", field)
        setattr_(self, "scraped", scraped)
        setattr_(self, "restored", restored)
        setattr_(self, "note", note)


@dataclass(init=False)
class Plan:
    """One task table: the plan of one notice. A dataclass (dataclasses.replace copies it) with its
    __init__ written out: generating it took about half a millisecond of every command's start."""

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

    def __init__(self, path: str, schema_version: int, title: str, issuer: str, published: date, year: int,
                 units: tuple[Unit, ...], sections: tuple[Section, ...], tasks: tuple[Task, ...],
                 notice_title: str = "", settings: dict[str, Any] | None = None,
                 source: dict[str, Any] | None = None, repairs: tuple[Repair, ...] = ()) -> None:
        self.path = path
        self.schema_version = schema_version
        self.title = title
        self.issuer = issuer
        self.published = published
        self.year = year
        self.units = units
        self.sections = sections
        self.tasks = tasks
        self.notice_title = notice_title
        self.settings = {} if settings is None else settings
        self.source = {} if source is None else source
        self.repairs = repairs
        self._by_id = None
        self._collective = None

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
    def review_required(self) -> bool:
        """settings.review: a finished task counts only once a reviewer has closed it (审核销号)."""
        return self.settings.get("review") is True

    def id_range(self) -> str:
        ids = sorted(self.task_ids())
        return f"{ids[0]}–{ids[-1]}" if ids else "无"
