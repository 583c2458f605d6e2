"""Inert placeholders for the public names ftmigrate does not implement.

Real scripts import much more from the cookbook than the config and service classes (data
loaders, loss builders, tokenizers, logging helpers ...). Under ``mount()`` every public name
of the target surface imports; the ones ftmigrate does not implement are placeholders, so that
a script can be imported, its configs built and its provisioning plan compared. A placeholder
raises one clear :class:`PlaceholderError` naming it when it is *used*: called, instantiated
(a subclass too), or called through one of its attributes (``RunStatus.DONE`` is itself a
placeholder). Importing it, annotating with it, subclassing it, comparing it or passing it
around does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["PlaceholderError", "is_placeholder", "lenient_module_getattr", "placeholder", "placeholders"]

_NAME = "__ftmigrate_placeholder__"


class PlaceholderError(NotImplementedError):
    """A name ftmigrate's bundled API imports but does not implement was used."""


def _message(name: str, via: str | None = None) -> str:
    used = f"{via} derives from {name}, which" if via else name
    return (
        f"{used} is not implemented by ftmigrate's bundled API (an importable placeholder under"
        " mount()); using it needs the real cookbook: dry-run only the code that builds configs"
        " and provisioning plans, or install the cookbook"
    )


class _PlaceholderMeta(type):
    """Placeholders are classes, so that user code may subclass and annotate with them."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        name = getattr(cls, _NAME)
        own = cls.__dict__.get(_NAME) is not None
        raise PlaceholderError(_message(name, None if own else cls.__name__))

    def __getattr__(cls, attr: str) -> Any:
        # Private and dunder names are not placeholders: inspect, typing, dataclasses, copy and
        # pickle probe for them and must get the ordinary AttributeError.
        if attr.startswith("_"):
            raise AttributeError(attr)
        child = placeholder(f"{getattr(cls, _NAME)}.{attr}")
        type.__setattr__(cls, attr, child)
        return child

    def __repr__(cls) -> str:
        if cls.__dict__.get(_NAME) is None:
            return super().__repr__()
        return f"<ftmigrate placeholder {getattr(cls, _NAME)}>"


def placeholder(qualified_name: str) -> Any:
    """A placeholder for ``qualified_name`` (``training.utils.load_jsonl_dataset``)."""
    module, _, name = qualified_name.rpartition(".")
    return _PlaceholderMeta(
        name,
        (),
        {
            _NAME: qualified_name,
            "__module__": module,
            "__qualname__": name,
            "__doc__": f"Placeholder for ``{qualified_name}``: importable, raises PlaceholderError when used.",
            # ``JsonlRenderDataset[Row]`` in an annotation must not fail.
            "__class_getitem__": classmethod(lambda cls, item: cls),
        },
    )


def is_placeholder(obj: object) -> bool:
    """Whether ``obj`` is a placeholder (not a subclass of one)."""
    return isinstance(obj, _PlaceholderMeta) and obj.__dict__.get(_NAME) is not None


def lenient_module_getattr(
    module: str, known: Mapping[str, Any], absent: Iterable[str] = ()
) -> Callable[[str], Any]:
    """A module ``__getattr__`` (PEP 562) for a module whose full contents are not known.

    A public name in ``known`` (``training.utils``'s names) resolves to that same object; a
    name in ``absent`` (known not to exist at the target) is the ordinary ``AttributeError``
    (so ``from ... import name`` fails as it does on the real surface); any other public name
    is a placeholder ``<module>.<name>``, created once. The real modules hold more than the
    cookbook documents, and the bundled API must never be stricter than the real one: a
    misspelt name fails when used, naming itself.
    """
    made: dict[str, Any] = {}
    absent = frozenset(absent)

    def __getattr__(name: str) -> Any:
        if name.startswith("_") or name in absent:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        if name in known:
            return known[name]
        if name not in made:
            made[name] = placeholder(f"{module}.{name}")
        return made[name]

    return __getattr__


def placeholders(module: str, names: Iterable[str]) -> dict[str, Any]:
    """One placeholder per name, qualified with ``module``."""
    return {name: placeholder(f"{module}.{name}") for name in names}
