"""Frozen: a read-only value class with `__slots__`, compared, hashed and shown by its slots.

It behaves as `@dataclass(frozen=True, slots=True)` does for the small value types loaded on every
command (units, sections, tasks, deadlines, signals…): `==` and `hash` over the fields in `__slots__`
order, `Name(field=value, …)` as repr, assignment refused, pickling and copying by the constructor.
A dataclass generates and `exec`s its methods when its module is imported (0.5–0.9 ms a class, ~10 ms
of every run for the classes on the `list` path); a subclass of Frozen costs about 0.01 ms.

A subclass lists its fields in `__slots__` in the order of its `__init__`'s parameters and sets them
with `object.__setattr__` there. `dataclasses.replace` and `fields` do not apply: types that need
them (Plan, Entry, TaskState) stay dataclasses.
"""

from __future__ import annotations

from typing import Any


class Frozen:
    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__slots__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._values())
