"""``mount()``: make the bundled API importable under the cookbook's own module names.

Rewritten code imports ``training.utils``, ``training.recipes.<name>`` and
``fireworks.training.sdk``. Inside ``with mount():`` those names resolve to synthetic modules
whose contents are the bundled objects of the chosen target (``mount(target="2026-06")``, the
default: ``training.utils.TrainerConfig is ftmigrate.api.TrainerConfig``; ``"2026-08"``: the
classes ``profiles`` derives for it), so rewritten -- or, with ``surface="legacy"``, legacy --
code can be imported and dry-run without the real cookbook. Every public name of the target's
``training.utils`` and its submodules imports; the ones ftmigrate does not implement are
placeholders that raise one clear error when used. On exit ``sys.modules`` is restored exactly.

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

from ftmigrate.api.targets import DEFAULT_TARGET, TARGETS, check_target

__all__ = ["MountError", "active", "mount"]

SURFACES = ("target", "legacy")

#: Attribute set on every synthetic module, so a mount can recognise its own modules.
MARKER = "__ftmigrate_mount__"


class _Module:
    """One synthetic module: its attributes, and what a missing attribute does. (A plain class:
    ``ftmigrate.api`` is imported on the lean lint path, where a dataclass costs too much.)"""

    __slots__ = ("names", "package", "all", "getattr")

    def __init__(
        self,
        names: dict[str, Any],
        package: bool = False,
        all: tuple[str, ...] | None = None,
        getattr: Callable[[str], Any] | None = None,
    ) -> None:
        self.names = names
        self.package = package
        self.all = all
        #: PEP 562 ``__getattr__`` for names the module does not hold (None: AttributeError).
        self.getattr = getattr


def _target_table(target: str) -> dict[str, _Module]:
    from ftmigrate.api.placeholders import lenient_module_getattr
    from ftmigrate.api.profiles import get

    profile = get(target)
    utils = dict(profile._utils)
    table = {}
    for name, space in profile.namespaces().items():
        lookup = lenient_module_getattr(name, utils, space.absent) if space.lenient else None
        table[name] = _Module(space.names, space.package, space.all, lookup)
    return table


def _legacy_table() -> dict[str, _Module]:
    from ftmigrate.api.legacy import CONFIG_NAMES, RL_NAMES
    from ftmigrate.api.legacy.surface import RECIPES, TARGET_ONLY_NAMES
    from ftmigrate.api.placeholders import lenient_module_getattr
    from ftmigrate.api.profiles import UTILS_SUBMODULES, get

    def public(source: str, names: tuple[str, ...] | None = None) -> dict[str, Any]:
        module = importlib.import_module(source)
        return {n: getattr(module, n) for n in (names if names is not None else _public_names(module))}

    # The legacy training.utils held the same helpers as the target's (data, losses,
    # tokenizers ...): those resolve as they do at the first target, placeholders included;
    # what only the targets have (TrainerConfig, build_service_client ...) does not import.
    first = get(TARGETS[0])
    absent = frozenset(TARGET_ONLY_NAMES) | (first.absent - _legacy_names())
    helpers = {k: v for k, v in first._utils.items() if k not in absent}

    def lenient(name: str, names: dict[str, Any], package: bool = False) -> _Module:
        return _Module(names, package, None, lenient_module_getattr(name, helpers, absent))

    table = {
        "training": _Module({}, package=True),
        "training.utils": lenient("training.utils", public("ftmigrate.api.legacy"), package=True),
        "training.utils.config": lenient("training.utils.config", public("ftmigrate.api.legacy", CONFIG_NAMES)),
        "training.utils.infra": lenient("training.utils.infra", public("ftmigrate.api.legacy.infra")),
        "training.utils.rl": lenient("training.utils.rl", public("ftmigrate.api.legacy", RL_NAMES), package=True),
        "training.renderer": lenient("training.renderer", {}),
        "training.recipes": _Module({}, package=True),
    }
    for sub in UTILS_SUBMODULES:
        table.setdefault(f"training.utils.{sub}", lenient(f"training.utils.{sub}", {}))
    for recipe in RECIPES:
        table[f"training.recipes.{recipe}"] = _Module(public(f"ftmigrate.api.legacy.recipes.{recipe}"))
    return table


def _legacy_names() -> frozenset[str]:
    """Every name the legacy emulation serves as ``training.utils``."""
    from ftmigrate.api import legacy

    return frozenset(legacy.__all__)


def _fireworks_table() -> dict[str, _Module]:
    sdk = importlib.import_module("ftmigrate.api.sdk")
    names = {n: getattr(sdk, n) for n in _public_names(sdk)}
    table = {
        "fireworks": _Module({}, package=True),
        "fireworks.training": _Module({}, package=True),
        "fireworks.training.sdk": _Module(names, package=True),
    }
    # Real code imports the classes from the submodules that define them as well
    # (``from fireworks.training.sdk.weight_syncer import WeightSyncer``): each serves them all.
    for sub in SDK_SUBMODULES:
        table[f"fireworks.training.sdk.{sub}"] = _Module(dict(names))
    return table


#: The SDK's submodules real code imports its classes from.
SDK_SUBMODULES = ("client", "deployment", "trainer", "weight_syncer")


class MountError(RuntimeError):
    """``mount()`` would shadow a real package, or clashes with a mount already active."""


# The (surface, target) of the mount in force, once per nesting level.
_active: list[tuple[str, str | None]] = []


def active() -> tuple[str, str | None] | None:
    """``(surface, target)`` of the mount in force (target None for the legacy surface), or None."""
    return _active[-1] if _active else None


def _public_names(module: types.ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return [n for n in vars(module) if not n.startswith("_")]


def _synthetic(name: str, spec: _Module) -> types.ModuleType:
    module = types.ModuleType(name)
    for attr, value in spec.names.items():
        setattr(module, attr, value)
    if spec.all is not None:
        module.__all__ = list(spec.all)
    if spec.getattr is not None:
        module.__getattr__ = spec.getattr
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None, is_package=spec.package)
    if spec.package:
        # An empty search path: submodules exist only if the mount put them in sys.modules.
        module.__path__ = []
    module.__package__ = name if spec.package else name.rpartition(".")[0]
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
def mount(
    force: bool = False,
    surface: str = "target",
    *,
    target: str = DEFAULT_TARGET,
    bundled_sdk: bool | None = None,
) -> Iterator[None]:
    """Serve the bundled API as ``training.*`` (and ``fireworks.training.sdk``) for the block.

    ``surface="target"`` serves the target surface ``target`` (``"2026-06"``, the default, or
    ``"2026-08"``); ``surface="legacy"`` the legacy emulation (``target`` does not apply).
    ``fireworks.training.sdk`` is the bundled stand-in only when no real ``fireworks`` package
    is importable; ``bundled_sdk=True`` serves it anyway (hiding the real one for the block --
    what dry-running legacy code that builds its own managers needs), ``False`` never does.
    Refuses with :class:`MountError` when a real ``training`` package is importable or imported,
    unless ``force=True`` (the real modules are hidden for the block and put back after).
    Nesting a mount of the same surface and target is a no-op; of another, an error.
    """
    if surface not in SURFACES:
        raise ValueError(f"mount(surface={surface!r}): expected one of {', '.join(map(repr, SURFACES))}")
    try:
        check_target(target)
    except ValueError as exc:
        raise ValueError(f"mount(target={target!r}): {exc}") from None
    state = (surface, target if surface == "target" else None)
    if _active:
        if _active[-1] != state:
            raise MountError(f"mount({_describe(state)}) inside an active mount({_describe(_active[-1])}); leave that block first")
        _active.append(state)
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

    table = _target_table(target) if surface == "target" else _legacy_table()
    roots = ("training",)
    if bundled_sdk if bundled_sdk is not None else not _fireworks_importable():
        table.update(_fireworks_table())
        roots += ("fireworks",)
    # Build every module before touching sys.modules, so a failure leaves nothing behind.
    modules = {name: _synthetic(name, spec) for name, spec in table.items()}
    for name, module in modules.items():
        parent, _, child = name.rpartition(".")
        # A package attribute named like a submodule wins, as in a real package that re-exports
        # it (training.utils.timer is the function; sys.modules holds the module).
        if parent and child not in table[parent].names:
            setattr(modules[parent], child, module)

    saved = {name: module for name, module in sys.modules.items() if _owned(name, roots)}
    for name in saved:
        del sys.modules[name]
    sys.modules.update(modules)
    _active.append(state)
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


def _describe(state: tuple[str, str | None]) -> str:
    surface, target = state
    return f"surface={surface!r}" + (f", target={target!r}" if target is not None else "")
