"""Option values without pydantic when none is needed.

Typer 0.29 converts every parameter's value through a pydantic TypeAdapter that it builds on first use,
and it builds it even for an option left unset. So every `gwgk` run imported pydantic and built an
adapter per option: about 100 ms of each run on the CI machine, most of a command's time.

The values gwgk's commands receive are nearly always unset, plain strings, lists of strings, an exact
choice (`--format json`) or a plain number in range (`--warn-days 7`). For those this module gives the
result Typer's adapter would give, without building one. Anything else (a bad or out-of-range number,
a path, a choice in another case, a type not listed here) goes to Typer's own coercion, built at that
moment, so its conversions and error messages are untouched.

It relies on one detail of Typer's parameters (the `_runtime_param` slot, filled on first use). With a
Typer that lacks it, `install` changes nothing and Typer does all the work as before.
tests/test_coercion.py compares both paths with Typer's own results, and checks that `gwgk list` no
longer imports pydantic, so an upgrade that changes this detail shows up in CI.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, get_args, get_origin

_NOT_HANDLED = object()


def _fast_value(value: Any, annotation: Any, info: Any) -> Any:
    """The coerced value, or _NOT_HANDLED when Typer must decide."""
    if getattr(info, "parser", None) is not None:
        return _NOT_HANDLED
    if annotation is str:
        return value if type(value) is str else _NOT_HANDLED
    if annotation is int and type(value) is str and value.isascii() and value.isdigit():
        number = int(value)
        low, high = getattr(info, "min", None), getattr(info, "max", None)
        if (low is None or number >= low) and (high is None or number <= high):
            return number
        return _NOT_HANDLED
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum) and type(value) is str:
        for member in annotation:
            if isinstance(member.value, str) and member.value == value:
                return member
        return _NOT_HANDLED
    if get_origin(annotation) is list and get_args(annotation) == (str,) and isinstance(value, (list, tuple)):
        return list(value) if all(type(item) is str for item in value) else _NOT_HANDLED
    return _NOT_HANDLED


class DeferredCoercion:
    """Stands in a Typer parameter's `_runtime_param` slot; builds Typer's own only when needed."""

    __slots__ = ("_descriptor", "_typer")

    def __init__(self, descriptor: Any) -> None:
        self._descriptor = descriptor
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if self._typer is None:
            multi = param.multiple or param.nargs == -1
            if value is None:
                return () if multi else None
            if getattr(ctx, "token_normalize_func", None) is not None:
                return self._build().coerce(value, param=param, ctx=ctx)
            fast = _fast_value(value, self._descriptor.annotation, self._descriptor.parameter_info)
            if fast is not _NOT_HANDLED:
                return fast
            self._build()
        return self._typer.coerce(value, param=param, ctx=ctx)

    def _build(self) -> Any:
        from typer._coercion import build_runtime_param

        self._typer = build_runtime_param(self._descriptor)
        return self._typer


def install(params: Iterable[Any]) -> None:
    """Give each Typer parameter whose coercion is not built yet a DeferredCoercion."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", False) is None:
            param._runtime_param = DeferredCoercion(descriptor)
