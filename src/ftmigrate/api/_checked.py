"""Dataclasses that check their values.

The cookbook's configs are plain dataclasses; the bundled copies keep exactly that shape
(``dataclasses.fields``, ``replace``, ``asdict``, keyword construction, ``==``) and add checks,
but are never stricter than the real surface: what the real one rejects is rejected here too,
at construction or at attribute assignment (a wrong type, an unknown or removed keyword),
with a one-line error naming the class, the field and the value; a value the real one accepts
but that will not do what it says (a short ``training_shape_id``, a negative timeout, a manual
hardware field next to a training shape) is a :class:`ConfigWarning` at the caller's line.

Removed keywords (``infra=``, ``ref_training_shape_id=`` ...) are rejected with a message that
names the replacement, because a bare "unexpected keyword argument" does not tell a user where
the value went. :func:`derive` builds one checked class from another plus recorded
differences (the legacy recipe Configs, and each later target's classes, are built that way).
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import functools
import numbers
import operator
import os
import sys
import types
import typing
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ftmigrate.api import _record

Check = Callable[[Any], "str | None"]

_CHECK = "ftmigrate.check"


def field(default: Any = dataclasses.MISSING, *, check: Check | None = None, **kwargs: Any) -> Any:
    """``dataclasses.field`` with an optional value check (returns an error text or None)."""
    metadata = dict(kwargs.pop("metadata", None) or {})
    if check is not None:
        metadata[_CHECK] = check
    return dataclasses.field(default=default, metadata=metadata, **kwargs)


class RemovedKeywordError(TypeError):
    """A keyword that an earlier surface took and this one does not (the text names where the
    value goes now)."""


class ConfigWarning(UserWarning):
    """A value the real cookbook accepts, but that will not do what it says.

    The bundled API is never stricter than the real target: rules the real surface does not
    enforce (a short or empty ``training_shape_id``, manual hardware fields next to a training
    shape, a non-positive timeout ...) are this warning at construction, never an exception.
    Turn it into an error with ``warnings.simplefilter("error", ConfigWarning)``.
    """


_API_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_SKIPPED_FILES = frozenset({os.path.abspath(dataclasses.__file__), os.path.abspath(functools.__file__), "<string>"})


def _internal(filename: str) -> bool:
    # "<string>": the __init__ that dataclasses generates with exec().
    return filename in _SKIPPED_FILES or os.path.abspath(filename).startswith(_API_DIR)


def warn(message: str, category: type[Warning] = ConfigWarning) -> None:
    """``warnings.warn`` attributed to the first frame outside the bundled API (the user's line,
    however many dataclass and wrapper frames lie between)."""
    frame = sys._getframe(1)
    level = 2
    while frame is not None and _internal(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


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
    # The real classes are plain dataclasses: a sequence or mapping of another kind (a tuple,
    # an OmegaConf ListConfig / DictConfig from a Hydra script) works there too.
    if origin in (list, tuple):
        args = typing.get_args(tp)
        item = args[0] if args else Any
        if not isinstance(value, collections.abc.Sequence) or isinstance(value, (str, bytes)):
            return False, value
        return all(_conforms(v, item)[0] for v in value), value
    if origin is dict:
        args = typing.get_args(tp) or (Any, Any)
        if not isinstance(value, collections.abc.Mapping):
            return False, value
        ok = all(_conforms(k, args[0])[0] and _conforms(v, args[1])[0] for k, v in value.items())
        return ok, value
    if origin is not None:  # Callable[...] and friends: not checked
        return True, value
    if tp is bool:
        return isinstance(value, (bool, numpy_bool())), value
    # numbers.Integral / Real: numpy scalars are ints and floats to the real classes too.
    if tp is int:
        return isinstance(value, numbers.Integral) and not isinstance(value, bool), value
    if tp is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool), value
    if tp is str and isinstance(value, os.PathLike):
        return True, value  # a path object where the real recipe hands the value to os / open()
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


def numpy_bool() -> tuple[type, ...]:
    """``numpy.bool_`` when numpy is already loaded (never imported for this)."""
    numpy = sys.modules.get("numpy")
    return (numpy.bool_,) if numpy is not None else ()


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
        problem = check(os.fspath(coerced) if isinstance(coerced, os.PathLike) else coerced)
        if problem:
            warn(f"{display_name(cls)}.{name}={_short(value)}: {problem}")
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
    A class may define ``__check__(self)`` for rules that span several fields: it warns
    (:func:`warn`) about what the real surface accepts, and raises only for what it rejects.
    """

    def wrap(cls: type) -> type:
        cls = dataclasses.dataclass(cls)
        cross_check = getattr(cls, "__check__", None)
        generated_init = cls.__init__

        def __setattr__(self: Any, name: str, value: Any) -> None:
            if name in _field_map(type(self)):
                value = _check_field(self, name, value)
                # A field set for the first time is __init__ at work; __init__ runs the cross
                # check once, after the last field. Later assignments run it here.
                if _record.active is not None and name in self.__dict__:
                    _record.assigned(self, name)  # `ftmigrate verify`: a field set after __init__
                if cross_check is not None and name in self.__dict__:
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
        names = [f.name for f in dataclasses.fields(cls)]
        own = removed(names) if callable(removed) else removed
        inherited = {k: v for k, v in cls.__dict__.get("__removed__", {}).items() if k not in names}
        all_removed = {**inherited, **(own or {})}
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
            if _record.active is not None:  # `ftmigrate verify` records what the code builds
                _record.constructed(self)

        cls.__init__ = __init__
        return cls

    return wrap if cls is None else wrap(cls)


#: What ``dataclasses`` and :func:`checked` generate on a class: never copied by :func:`derive`.
_GENERATED = frozenset(
    {
        "__init__",
        "__setattr__",
        "__repr__",
        "__eq__",
        "__hash__",
        "__match_args__",
        "__dataclass_fields__",
        "__dataclass_params__",
        "__annotations__",
        "__dict__",
        "__weakref__",
        "__doc__",
        "__module__",
        "__qualname__",
        "__removed__",
        "__ftmigrate_target__",  # set by whoever derives (a profile), never inherited silently
        "__ftmigrate_derived_from__",
    }
)

NewField = tuple[str, Any, dataclasses.Field]


def copy_field(f: dataclasses.Field, **changes: Any) -> dataclasses.Field:
    """A fresh ``dataclasses.Field`` with ``f``'s default, factory and metadata (and ``changes``)."""
    values = {
        "default": f.default,
        "default_factory": f.default_factory,
        "metadata": f.metadata,
        "repr": f.repr,
        "compare": f.compare,
        "init": f.init,
        "hash": f.hash,
    }
    values.update(changes)
    if "default" in changes:
        values["default_factory"] = dataclasses.MISSING
    elif "default_factory" in changes:
        values["default"] = dataclasses.MISSING
    return dataclasses.field(**values)


def _retype(tp: Any, retype: Mapping[type, type]) -> Any:
    if isinstance(tp, type) and tp in retype:
        return retype[tp]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return functools.reduce(operator.or_, [_retype(arg, retype) for arg in typing.get_args(tp)])
    return tp


def derive(
    base: type,
    *,
    drop: Iterable[str] = (),
    replace: Mapping[str, Iterable[NewField]] | None = None,
    add: Iterable[NewField] = (),
    defaults: Mapping[str, Any] | None = None,
    retype: Mapping[type, type] | None = None,
    removed: dict[str, str] | Callable[[list[str]], dict[str, str]] | None = None,
    attrs: Mapping[str, Any] | None = None,
    module: str | None = None,
    doc: str | None = None,
) -> type:
    """A checked dataclass built from ``base``'s fields plus recorded differences.

    In ``base``'s field order: ``drop`` removes fields; ``replace`` puts new fields in a
    field's place (removing it); ``add`` appends fields; ``defaults`` changes defaults;
    ``retype`` swaps one class for another in annotations and in ``default_factory``
    (a factory that builds ``old()`` becomes ``new``). Field metadata (value checks, migration
    targets) is kept; ``base``'s own methods and properties (``__check__``, ``shape_path`` ...)
    are copied. ``removed`` is the derived class's removed-keyword map (see :func:`checked`).
    """
    drop = set(drop)
    replace = dict(replace or {})
    defaults = dict(defaults or {})
    retype = dict(retype or {})
    fields = dataclasses.fields(base)
    unknown = (drop | set(replace) | set(defaults)) - {f.name for f in fields}
    if unknown:
        raise TypeError(f"derive({base.__qualname__}): no field(s) {', '.join(sorted(unknown))}")
    hints = typing.get_type_hints(base)
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}

    def put(name: str, tp: Any, spec: dataclasses.Field) -> None:
        if name in annotations:
            raise TypeError(f"derive({base.__qualname__}): field {name!r} given twice")
        annotations[name] = tp
        namespace[name] = spec

    for f in fields:
        for name, tp, spec in replace.get(f.name, ()):
            put(name, tp, spec)
        if f.name in drop or f.name in replace:
            continue
        tp = hints[f.name]
        changes: dict[str, Any] = {}
        if f.name in defaults:
            changes["default"] = defaults[f.name]
        new_tp = _retype(tp, retype)
        if new_tp is not tp and f.default_factory is not dataclasses.MISSING:
            old = tp if isinstance(tp, type) else None
            if old is None or f.default_factory() != old():
                raise TypeError(f"derive({base.__qualname__}): cannot retype the custom default of {f.name!r}")
            changes["default_factory"] = retype[old]
        put(f.name, new_tp, copy_field(f, **changes))
    for name, tp, spec in add:
        put(name, tp, spec)

    for name, value in base.__dict__.items():
        if name not in _GENERATED and name not in annotations and not isinstance(value, dataclasses.Field):
            if name in {f.name for f in fields}:
                continue  # a class attribute holding a dropped field's default
            namespace.setdefault(name, value)
    namespace.update(attrs or {})
    namespace.update(
        __ftmigrate_derived_from__=base,
        __annotations__=annotations,
        __module__=module or base.__module__,
        __qualname__=base.__qualname__,
        __doc__=doc if doc is not None else base.__doc__,
    )
    return checked(type(base.__name__, (), namespace), removed=removed)


def derives_from(cls: type, base: type) -> bool:
    """Whether ``cls`` is ``base``, a subclass of it, or :func:`derive`-d from it (at any depth)."""
    while isinstance(cls, type):
        if issubclass(cls, base):
            return True
        cls = cls.__dict__.get("__ftmigrate_derived_from__")
    return False


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
