"""Dataclasses that check their values.

The cookbook's configs are plain dataclasses; the bundled copies keep exactly that shape
(``dataclasses.fields``, ``replace``, ``asdict``, keyword construction, ``==``) and add one
thing: a wrong type or value is rejected at construction, or at attribute assignment, with a
one-line error naming the class, the field and the value. A dry run should fail where the real
run would have failed, not an hour later on a trainer.

Removed keywords (``infra=``, ``ref_training_shape_id=`` ...) are rejected with a message that
names the replacement, because a bare "unexpected keyword argument" does not tell a user where
the value went.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], "str | None"]

_CHECK = "ftmigrate.check"


def field(default: Any = dataclasses.MISSING, *, check: Check | None = None, **kwargs: Any) -> Any:
    """``dataclasses.field`` with an optional value check (returns an error text or None)."""
    metadata = dict(kwargs.pop("metadata", None) or {})
    if check is not None:
        metadata[_CHECK] = check
    return dataclasses.field(default=default, metadata=metadata, **kwargs)


class RemovedKeywordError(TypeError):
    """A keyword that existed on the legacy surface and is gone at the target."""


def _short(value: Any) -> str:
    text = repr(value).replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "..."


def display_name(cls: type) -> str:
    """``TrainerConfig``, or ``rl_loop.Config`` for a recipe's ``Config``."""
    if cls.__name__ == "Config":
        return f"{cls.__module__.rsplit('.', 1)[-1]}.Config"
    return cls.__qualname__


def _type_name(tp: Any) -> str:
    if isinstance(tp, type):
        return tp.__name__
    return str(tp).replace("typing.", "")


def _conforms(value: Any, tp: Any) -> tuple[bool, Any]:
    """Whether ``value`` has type ``tp``; returns (ok, value coerced for enums)."""
    if tp is Any or tp is object:
        return True, value
    if tp is None or tp is type(None):
        return value is None, value
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            ok, coerced = _conforms(value, arg)
            if ok:
                return True, coerced
        return False, value
    if origin is typing.Literal:
        return value in typing.get_args(tp), value
    if origin in (list, tuple):
        args = typing.get_args(tp)
        item = args[0] if args else Any
        if not isinstance(value, (list, tuple)):
            return False, value
        return all(_conforms(v, item)[0] for v in value), value
    if origin is dict:
        args = typing.get_args(tp) or (Any, Any)
        if not isinstance(value, dict):
            return False, value
        ok = all(_conforms(k, args[0])[0] and _conforms(v, args[1])[0] for k, v in value.items())
        return ok, value
    if origin is not None:  # Callable[...] and friends: not checked
        return True, value
    if tp is bool:
        return isinstance(value, bool), value
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool), value
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        if isinstance(value, tp):
            return True, value
        try:
            return True, tp(value)
        except (ValueError, TypeError):
            return False, value
    if isinstance(tp, type):
        return isinstance(value, tp), value
    return True, value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@functools.cache
def _field_map(cls: type) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(cls)}


def _check_field(obj: Any, name: str, value: Any) -> Any:
    cls = type(obj)
    spec = _field_map(cls)[name]
    tp = _hints(cls)[name]
    ok, coerced = _conforms(value, tp)
    if not ok:
        raise TypeError(
            f"{display_name(cls)}.{name}: expected {_type_name(tp)}, got {_short(value)}"
            f" ({type(value).__name__})"
        )
    check = spec.metadata.get(_CHECK)
    if check is not None and coerced is not None:
        problem = check(coerced)
        if problem:
            raise ValueError(f"{display_name(cls)}.{name}={_short(value)}: {problem}")
    return coerced


def checked(
    cls: type | None = None,
    *,
    removed: dict[str, str] | Callable[[list[str]], dict[str, str]] | None = None,
) -> Any:
    """Make ``cls`` a dataclass whose fields are type- and value-checked.

    ``removed`` maps a legacy keyword to the text that says where it went (or is a function of
    the field names returning that map); passing such a keyword raises
    :class:`RemovedKeywordError` (a ``TypeError``) instead of the generic one.
    A class may define ``__check__(self)`` for rules that span several fields.
    """

    def wrap(cls: type) -> type:
        cls = dataclasses.dataclass(cls)
        n_fields = len(dataclasses.fields(cls))
        cross_check = getattr(cls, "__check__", None)
        generated_init = cls.__init__

        def __setattr__(self: Any, name: str, value: Any) -> None:
            if name in _field_map(type(self)):
                value = _check_field(self, name, value)
                if cross_check is not None and len(self.__dict__) >= n_fields:
                    previous = self.__dict__[name]
                    object.__setattr__(self, name, value)
                    try:
                        cross_check(self)
                    except Exception:
                        object.__setattr__(self, name, previous)
                        raise
                    return
            object.__setattr__(self, name, value)

        cls.__setattr__ = __setattr__
        own = removed([f.name for f in dataclasses.fields(cls)]) if callable(removed) else removed
        all_removed = {**getattr(cls, "__removed__", {}), **(own or {})}
        cls.__removed__ = all_removed

        @functools.wraps(generated_init)
        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            legacy = [k for k in kwargs if k in all_removed]
            if legacy:
                name = legacy[0]
                raise RemovedKeywordError(f"{display_name(cls)}({name}=...): {all_removed[name]}")
            generated_init(self, *args, **kwargs)
            if cross_check is not None:
                cross_check(self)

        cls.__init__ = __init__
        return cls

    return wrap if cls is None else wrap(cls)


# Value checks, each returning an error text or None.


def at_least(low: float) -> Check:
    return lambda v: None if v >= low else f"must be >= {low}"


def positive(v: float) -> str | None:
    return None if v > 0 else "must be > 0"


def non_empty(v: str) -> str | None:
    return None if v.strip() else "must not be empty"


def resource_name(collection: str) -> Check:
    """A full resource path ``accounts/<account>/<collection>/<id>``."""

    def check(v: str) -> str | None:
        parts = v.split("/")
        if len(parts) == 4 and parts[0] == "accounts" and parts[2] == collection and all(parts):
            return None
        return f"expected a full path accounts/<account>/{collection}/<id>"

    return check


def one_of(*allowed: Any) -> Check:
    return lambda v: None if v in allowed else f"must be one of {', '.join(map(repr, allowed))}"
