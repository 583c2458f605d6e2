"""``mount()``: make the bundled API importable under the cookbook's own module names.

Rewritten code imports ``training.utils``, ``training.recipes.<name>`` and
``fireworks.training.sdk``. Inside ``with mount():`` those names resolve to synthetic modules
whose contents are the bundled objects (``training.utils.TrainerConfig is
ftmigrate.api.TrainerConfig``), so rewritten -- or, with ``surface="legacy"``, legacy -- code can
be imported and dry-run without the real cookbook. On exit ``sys.modules`` is restored exactly.

It never shadows a real package: a ``training`` that is importable or already imported makes
it refuse (unless ``force=True``), and ``fireworks`` is mounted only when no real ``fireworks``
package is importable. Importing ftmigrate itself never adds a ``training`` module.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Iterator

from ftmigrate.api.recipes import RECIPES

__all__ = ["MountError", "mount"]

SURFACES = ("target", "legacy")

#: Attribute set on every synthetic module, so a mount can recognise its own modules.
MARKER = "__ftmigrate_mount__"

# Synthetic module name -> (bundled module it copies, names to copy or None for its public
# names). A None source is an empty package.
_Table = dict[str, tuple[str | None, tuple[str, ...] | None]]


def _table(surface: str) -> _Table:
    if surface == "target":
        table: _Table = {
            "training": (None, None),
            "training.utils": ("ftmigrate.api.utils", None),
            "training.utils.config": ("ftmigrate.api.config", None),
            "training.utils.service": ("ftmigrate.api.service", None),
            "training.utils.client": ("ftmigrate.api.client", None),
            "training.recipes": ("ftmigrate.api.recipes", None),
        }
        recipes = "ftmigrate.api.recipes"
    else:
        from ftmigrate.api.legacy import CONFIG_NAMES, RL_NAMES

        table = {
            "training": (None, None),
            "training.utils": ("ftmigrate.api.legacy", None),
            "training.utils.config": ("ftmigrate.api.legacy", CONFIG_NAMES),
            "training.utils.infra": ("ftmigrate.api.legacy.infra", None),
            "training.utils.rl": ("ftmigrate.api.legacy", RL_NAMES),
            "training.recipes": ("ftmigrate.api.legacy.recipes", None),
        }
        recipes = "ftmigrate.api.legacy.recipes"
    for recipe in RECIPES:
        table[f"training.recipes.{recipe}"] = (f"{recipes}.{recipe}", None)
    return table


_FIREWORKS: _Table = {
    "fireworks": (None, None),
    "fireworks.training": (None, None),
    "fireworks.training.sdk": ("ftmigrate.api.sdk", None),
}


class MountError(RuntimeError):
    """``mount()`` would shadow a real package, or clashes with a mount already active."""


# The surface of the mount in force, and how deeply it is nested.
_active: list[str] = []


def _public_names(module: types.ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return [n for n in vars(module) if not n.startswith("_")]


def _synthetic(name: str, source: str | None, names: tuple[str, ...] | None, *, package: bool) -> types.ModuleType:
    module = types.ModuleType(name)
    if source is not None:
        bundled = importlib.import_module(source)
        module.__doc__ = bundled.__doc__
        for attr in names if names is not None else _public_names(bundled):
            setattr(module, attr, getattr(bundled, attr))
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None, is_package=package)
    if package:
        # An empty search path: submodules exist only if the mount put them in sys.modules.
        module.__path__ = []
    module.__package__ = name if package else name.rpartition(".")[0]
    setattr(module, MARKER, True)
    return module


def _is_ours(name: str) -> bool:
    return getattr(sys.modules.get(name), MARKER, False)


def _real_training_present() -> bool:
    if "training" in sys.modules:
        return not _is_ours("training")
    try:
        return importlib.util.find_spec("training") is not None
    except (ImportError, ValueError):
        return True  # something named training is there, but broken: do not shadow it


def _fireworks_importable() -> bool:
    if "fireworks" in sys.modules:
        return not _is_ours("fireworks")
    try:
        return importlib.util.find_spec("fireworks") is not None
    except (ImportError, ValueError):
        return True


def _owned(name: str, roots: tuple[str, ...]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


@contextlib.contextmanager
def mount(force: bool = False, surface: str = "target", *, bundled_sdk: bool | None = None) -> Iterator[None]:
    """Serve the bundled API as ``training.*`` (and ``fireworks.training.sdk``) for the block.

    ``surface="target"`` serves target 2026-06; ``surface="legacy"`` the legacy emulation.
    ``fireworks.training.sdk`` is the bundled stand-in only when no real ``fireworks`` package
    is importable; ``bundled_sdk=True`` serves it anyway (hiding the real one for the block --
    what dry-running legacy code that builds its own managers needs), ``False`` never does.
    Refuses with :class:`MountError` when a real ``training`` package is importable or imported,
    unless ``force=True`` (the real modules are hidden for the block and put back after).
    Nesting a mount of the same surface is a no-op; of the other surface, an error.
    """
    if surface not in SURFACES:
        raise ValueError(f"mount(surface={surface!r}): expected one of {', '.join(map(repr, SURFACES))}")
    if _active:
        if _active[-1] != surface:
            raise MountError(
                f"mount(surface={surface!r}) inside an active mount(surface={_active[-1]!r});"
                " leave that block first"
            )
        _active.append(surface)
        try:
            yield
        finally:
            _active.pop()
        return
    if not force and _real_training_present():
        where = getattr(sys.modules.get("training"), "__file__", None)
        if where is None:
            spec = importlib.util.find_spec("training") if "training" not in sys.modules else None
            where = spec.origin if spec is not None else "sys.modules"
        raise MountError(
            f"a real 'training' package is importable ({where}); ftmigrate will not shadow it:"
            " pass force=True to mount over it for this block"
        )

    table = dict(_table(surface))
    roots = ("training",)
    if bundled_sdk if bundled_sdk is not None else not _fireworks_importable():
        table.update(_FIREWORKS)
        roots += ("fireworks",)
    # Build every module before touching sys.modules, so a failure leaves nothing behind.
    modules = {
        name: _synthetic(name, source, names, package=_is_package(name, table))
        for name, (source, names) in table.items()
    }
    for name, module in modules.items():
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(modules[parent], child, module)

    saved = {name: module for name, module in sys.modules.items() if _owned(name, roots)}
    for name in saved:
        del sys.modules[name]
    sys.modules.update(modules)
    _active.append(surface)
    try:
        yield
    finally:
        _active.pop()
        # Drop everything under the mounted roots (submodules imported during the block
        # too), then put back exactly what was there before.
        for name in [n for n in sys.modules if _owned(n, roots)]:
            del sys.modules[name]
        sys.modules.update(saved)
        importlib.invalidate_caches()


def _is_package(name: str, table: _Table) -> bool:
    return any(other.startswith(name + ".") for other in table)
