"""Target profiles: every target surface as data, for ``mount()``, the codemods and the lint rules.

Target 2026-06 is the bundled implementation itself (``config.py``, ``service.py``,
``recipes/``, ``utils.py``). Each later target is the one before it plus its recorded
differences, :data:`DIFFERENCES` (transcribed from target-surface.md, "A later target:
2026-08"): each fact is written once there, and the later target's classes, signatures and
module namespaces are derived from it, never copied.

What a codemod or a rule asks (``what`` names a class, function or recipe item:
``"TrainerConfig"``, ``"DeployConfig"``, ``"build_service_client"``,
``"create_reference_client"``, ``"ReconnectableClient.from_training_client"``,
``"rl_loop.Config"``, ``"rl_loop.main"``, ``"training.utils"``)::

    from ftmigrate.api import profiles

    august = profiles.get("2026-08")
    august.field_names("rl_loop.Config")      # the fields, in order
    august.defaults("DeployConfig")           # {field: default} (factories called)
    august.removed("TrainerConfig")           # {"accelerator_type": Removed(...), ...}
    august.renamed("build_service_client")    # {"lora_rank": "max_lora_rank"}
    august.changed_defaults("DeployConfig")   # {"disable_speculative_decoding": DefaultChanged(...)}
    august.added("TrainerConfig")             # ("pending_timeout_s", ...)
    august.lifecycle("rl_loop")               # what main() releases on exit, by default
    august.signature("build_service_client")  # inspect.Signature at that target
    august.removed_keywords("TrainerConfig")  # {keyword: the text FTM070 shows}
    august.base                               # the 2026-06 profile (None for the first)

``removed`` / ``renamed`` / ``changed_defaults`` / ``added`` are relative to ``base``; chain
through ``base`` to go further back (legacy facts live in ``ftmigrate.api.legacy.surface`` and
in the legacy classes' field metadata, see ``config.migration_target``).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import importlib
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ftmigrate.api._checked import RemovedKeywordError, derive, one_of, positive
from ftmigrate.api._checked import field as checked_field
from ftmigrate.api.legacy.surface import LOW_LEVEL_HELPERS
from ftmigrate.api.placeholders import placeholder
from ftmigrate.api.targets import DEFAULT_TARGET, TARGETS, check_target

__all__ = [
    "DEFAULT_TARGET",
    "DIFFERENCES",
    "TARGETS",
    "NO_VALUE",
    "Added",
    "DefaultChanged",
    "Delta",
    "Differences",
    "Lifecycle",
    "Namespace",
    "Profile",
    "Removed",
    "Renamed",
    "get",
]


# -- the vocabulary of a difference ------------------------------------------------------------


class _NoValue:
    """The ``keeps`` of a removed keyword that no value of it means what the target does."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


@dataclass(frozen=True)
class Removed:
    """A keyword, field or name the target no longer has."""

    name: str
    #: What to write instead (``"TrainerConfig.region"``), or None when nothing replaces it.
    replacement: str | None
    #: One line: what the target does instead, or why nothing replaces it.
    reason: str
    #: The value of the removed keyword that meant what the target now always does (passing it
    #: changed nothing, so dropping it keeps the behaviour): ``1`` for rl_loop's
    #: ``weight_sync_interval``. :data:`NO_VALUE` when no value does.
    keeps: Any = NO_VALUE

    def kept_by(self, value: object) -> bool:
        """Whether passing ``value`` meant what the target now always does (the type too:
        ``1`` is not ``True``)."""
        if self.keeps is None:
            return value is None
        return type(value) is type(self.keeps) and value == self.keeps

    def text(self, target: str) -> str:
        """The ``RemovedKeywordError`` text (after ``Class(name=...): ``)."""
        if self.replacement is not None:
            return f"removed at target {target}: use {self.replacement} ({self.reason})"
        return f"removed at target {target}: {self.reason}"


@dataclass(frozen=True)
class Renamed:
    """A keyword the target spells differently (same meaning)."""

    old: str
    new: str

    def text(self, target: str) -> str:
        return f"renamed to {self.new} at target {target}"


@dataclass(frozen=True)
class Added:
    """A field, keyword or name the target gained (``default`` is its default, or the value
    of a module constant; a ``training.utils`` name without a value here is implemented in
    ``ftmigrate.api.utils`` or served as a placeholder)."""

    name: str
    type: Any = Any
    default: Any = None
    #: A value check (as in ``_checked.field``): a warning when it fails, never an error.
    check: Any = None


@dataclass(frozen=True)
class DefaultChanged:
    """A field whose default the target changed."""

    name: str
    old: Any
    new: Any
    #: What to write to keep the behaviour of the old default.
    keep: str


@dataclass(frozen=True)
class Delta:
    """What changed on one class, function or module between a target and its base."""

    removed: tuple[Removed, ...] = ()
    renamed: tuple[Renamed, ...] = ()
    added: tuple[Added, ...] = ()
    defaults: tuple[DefaultChanged, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.removed or self.renamed or self.added or self.defaults)


@dataclass(frozen=True)
class Lifecycle:
    """What a recipe's ``main()`` releases when it exits, at a target.

    In every case the service deletes a separate reference trainer it created, per
    ``TrainerConfig.cleanup_reference_on_close``; this is about the policy trainer and the
    deployment the run created (reattached ones are never released).
    """

    #: The recipe ``Config`` field that turns the cleanup on (None: the recipe never cleans up).
    flag: str | None = None
    #: What happens to the policy trainer the run created when it is on: ``"delete"`` or None.
    trainer: str | None = None
    #: What happens to the deployment the run created when it is on: ``"scale_to_zero"``,
    #: ``"delete"`` or None.
    deployment: str | None = None
    #: The flag's default (read from the recipe Config by :meth:`Profile.lifecycle`).
    default: bool = False

    def on_exit(self, config: Any = None) -> bool:
        """Whether the cleanup runs for ``config`` (or by default)."""
        if self.flag is None:
            return False
        return bool(getattr(config, self.flag, self.default)) if config is not None else self.default

    def describe(self) -> str:
        """One line for a message: what the recipe does on exit by default."""
        if self.flag is None:
            return "leaves the policy trainer and the deployment it created running on exit"
        released = []
        if self.trainer == "delete":
            released.append("deletes the policy trainer it created")
        if self.deployment == "scale_to_zero":
            released.append("scales the deployment it created to zero")
        elif self.deployment == "delete":
            released.append("deletes the deployment it created")
        return f"{' and '.join(released)} on exit unless {self.flag}={not self.default!r}" if self.default else (
            f"leaves them running unless {self.flag}=True, which {' and '.join(released)} on exit"
        )


@dataclass(frozen=True)
class Differences:
    """A target as its base plus what changed."""

    base: str
    #: ``what`` -> its delta (see the module docstring for the keys).
    changes: Mapping[str, Delta]
    #: Recipes whose lifecycle changed.
    lifecycle: Mapping[str, Lifecycle] = field(default_factory=dict)
    #: Recipes the target added that ftmigrate does not implement: importable, with a ``Config``
    #: that keeps any keyword and a placeholder ``main``.
    recipes: tuple[str, ...] = ()
    #: Packages the target added (importable; their names are placeholders).
    packages: tuple[str, ...] = ()


# -- the recorded differences (every fact once) -------------------------------------------------

_CLEANUP_ON_EXIT = Added("cleanup_on_exit", bool, True)
_CLEANS_UP = Lifecycle(flag="cleanup_on_exit", trainer="delete", deployment="scale_to_zero")
_SHAPE_OWNS = "the training shape owns the accelerator; set training_shape_id, or leave it unset to auto-select one"

DIFFERENCES: dict[str, Differences] = {
    "2026-08": Differences(
        base="2026-06",
        changes={
            "TrainerConfig": Delta(
                removed=(
                    Removed("accelerator_type", None, _SHAPE_OWNS, keeps=None),
                    Removed("accelerator_count", None, _SHAPE_OWNS, keeps=None),
                ),
                added=(
                    Added("pending_timeout_s", float, 172800.0, positive),
                    Added("inactivity_timeout", datetime.timedelta | str | None, None),
                    Added("disable_inactivity_cleanup", bool, False),
                    Added("preemptible", bool, False),
                    Added("managed_by", str | None, None),
                    Added("use_reservation", bool, True),
                ),
            ),
            "DeployConfig": Delta(
                removed=(
                    Removed(
                        "deployment_region",
                        "TrainerConfig.region",
                        "the service places the deployment in the trainer's region",
                        keeps=None,
                    ),
                ),
                defaults=(
                    DefaultChanged(
                        "disable_speculative_decoding",
                        True,
                        False,
                        "write disable_speculative_decoding=True to keep speculative decoding off",
                    ),
                ),
                added=(
                    Added("enable_hot_load", bool, True),
                    Added("hot_load_transition_type", str | None, None),
                    Added("preemptible", bool, False),
                ),
            ),
            "rl_loop.Config": Delta(
                removed=(
                    Removed("weight_sync_interval", None, "rl_loop syncs weights to the deployment after every step", keeps=1),
                    Removed(
                        "weight_sync_before_training", None, "rl_loop always syncs the base weights before step 1", keeps=True
                    ),
                ),
                added=(_CLEANUP_ON_EXIT,),
            ),
            "async_rl_loop.Config": Delta(
                removed=(
                    Removed(
                        "weight_sync_before_training",
                        None,
                        "async_rl_loop always syncs the base weights before training starts",
                        keeps=True,
                    ),
                ),
                added=(_CLEANUP_ON_EXIT,),
            ),
            "igpo_loop.Config": Delta(added=(_CLEANUP_ON_EXIT,)),
            "dpo_loop.Config": Delta(added=(_CLEANUP_ON_EXIT,)),
            "build_service_client": Delta(
                renamed=(Renamed("lora_rank", "max_lora_rank"),),
                added=(
                    Added(
                        "cleanup_deployment_on_close",
                        str | None,
                        None,
                        one_of("delete", "scale_to_zero"),
                    ),
                ),
            ),
            # The 2026-08 recipes call it with policy_client=training_client.
            "create_reference_client": Delta(added=(Added("policy_client", Any, None),)),
            "training.utils": Delta(
                removed=(Removed("compute_pass_at_k", None, "training.utils no longer exports it"),),
                added=tuple(
                    Added(name)
                    for name in (
                        "CLEANUP_DEPLOYMENT_ON_CLOSE_SCALE_TO_ZERO",
                        "DatasetError",
                        "NO_VALID_PREFERENCE_PAIRS_MESSAGE",
                        "NO_VALID_TRAINING_EXAMPLES_MESSAGE",
                        "UserConfigError",
                        "log_metrics",
                        "RenderedChunkSpan",
                        "build_renderer_from_resolved_name",
                        "rendered_chunk_spans",
                        "renderer_supports_images",
                        "resolve_renderer_plan",
                        "resolve_renderer_snapshot",
                        "resolve_router_replay_enabled",
                    )
                ),
            ),
        },
        lifecycle={recipe: _CLEANS_UP for recipe in ("rl_loop", "igpo_loop", "async_rl_loop", "dpo_loop")},
        recipes=("distillation_loop", "embedding_loop"),
        packages=("training.provision", "training.utils.distillation", "training.utils.serverless", "training.train_loop"),
    ),
}

#: Config classes of ``training.utils`` a profile serves (``what`` keys).
CONFIG_CLASSES = ("TrainerConfig", "DeployConfig", "ConcurrencyConfig", "WandBConfig", "InfraConfig", "WeightSyncConfig")

#: Names of the legacy surface that no target has (import errors at every target, as on the
#: real surface, even in the submodules whose other names are placeholders).
LEGACY_ONLY_NAMES = frozenset(
    {
        "setup_infra",
        "Infra",
        "ResourceCleanup",
        "HotloadConfig",
        "make_reference_client",
        "create_base_reference",
        *LOW_LEVEL_HELPERS,
    }
)

#: ``training.utils`` submodules real code imports from (target-surface.md); ``rl`` is a package.
UTILS_SUBMODULES = (
    "config",
    "service",
    "client",
    "infra",
    "checkpoints",
    "data",
    "dataloader",
    "losses",
    "logging",
    "runner",
    "supervised",
    "tokenizers",
    "training_shapes",
    "validation",
    "timer",
    "rl",
)
#: Submodules whose documented contents are a bundled module's public names.
_KNOWN_SUBMODULES = {
    "config": "ftmigrate.api.config",
    "service": "ftmigrate.api.service",
    "client": "ftmigrate.api.client",
}


@dataclass
class Namespace:
    """What ``mount()`` serves as one module: its attributes, whether it is a package, and
    whether names it does not hold resolve (to ``training.utils`` names, else placeholders)."""

    names: dict[str, Any]
    package: bool = False
    lenient: bool = True
    #: ``__all__`` (None: not set).
    all: tuple[str, ...] | None = None
    #: Names that fail to import even when ``lenient`` (what the target is known not to have).
    absent: frozenset[str] = frozenset()


# -- profiles ----------------------------------------------------------------------------------


class Profile:
    """One target surface: its objects, their fields and signatures, and its differences."""

    def __init__(self, target: str, base: Profile | None = None, differences: Differences | None = None) -> None:
        self.target = target
        self.base = base
        self.differences = differences

    def __repr__(self) -> str:
        return f"Profile({self.target!r})"

    # -- differences from the base -----------------------------------------------------------

    def delta(self, what: str) -> Delta:
        """What changed on ``what`` since ``base`` (empty for the first target)."""
        if self.differences is None:
            return Delta()
        return self.differences.changes.get(what, Delta())

    def removed(self, what: str) -> dict[str, Removed]:
        """Keywords / fields / names of ``what`` this target removed, and what replaces each."""
        return {r.name: r for r in self.delta(what).removed}

    def renamed(self, what: str) -> dict[str, str]:
        """Keywords of ``what`` this target renamed: ``{old: new}``."""
        return {r.old: r.new for r in self.delta(what).renamed}

    def changed_defaults(self, what: str) -> dict[str, DefaultChanged]:
        """Fields of ``what`` whose default this target changed."""
        return {d.name: d for d in self.delta(what).defaults}

    def added(self, what: str) -> tuple[str, ...]:
        """Fields / keywords / names of ``what`` this target added."""
        return tuple(a.name for a in self.delta(what).added)

    @functools.cached_property
    def spelling(self) -> dict[str, dict[str, str]]:
        """Per ``what``: the first target's keyword -> this target's spelling (renames composed)."""
        out = {what: dict(names) for what, names in (self.base.spelling if self.base else {}).items()}
        for what, delta in (self.differences.changes if self.differences else {}).items():
            names = out.setdefault(what, {})
            for rename in delta.renamed:
                first = next((k for k, v in names.items() if v == rename.old), rename.old)
                names[first] = rename.new
        return out

    def spell(self, what: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """``arguments`` spelled as the first target spells them, respelled for this target."""
        names = self.spelling.get(what, {})
        return {names.get(k, k): v for k, v in arguments.items()}

    # -- objects -----------------------------------------------------------------------------

    @functools.cached_property
    def _objects(self) -> dict[str, Any]:
        return _derived_objects(self) if self.base is not None else _base_objects()

    def object(self, what: str) -> Any:
        """The class or function ``what`` names at this target."""
        if self.base is None and what in _BASE_OBJECTS:
            return _base_object(what)  # (one import, not all: a config class needs no service)
        if what in self._objects:
            return self._objects[what]
        recipe, _, attr = what.partition(".")
        if attr in ("Config", "main") and recipe in self.recipes:
            return getattr(self.recipe_module(recipe), attr)
        raise KeyError(f"{what!r} is not a class or function of target {self.target}")

    def config_class(self, name: str) -> type:
        """``TrainerConfig``, ``DeployConfig`` ... at this target."""
        return self.object(name)

    def recipe_config(self, recipe: str) -> type:
        """The recipe's ``Config`` class at this target."""
        return self.recipe_module(recipe).Config

    @property
    def build_service_client(self) -> Callable[..., Any]:
        """This target's ``build_service_client``."""
        return self.object("build_service_client")

    @property
    def service_class(self) -> type:
        """The local service client ``build_service_client`` returns at this target."""
        return self.object("LocalServiceClient")

    @functools.cached_property
    def recipes(self) -> tuple[str, ...]:
        """Every recipe of ``training.recipes`` at this target."""
        if self.base is None:
            from ftmigrate.api.recipes import RECIPES

            return RECIPES
        return (*self.base.recipes, *self.differences.recipes)

    @functools.cached_property
    def implemented_recipes(self) -> tuple[str, ...]:
        """The recipes ftmigrate implements (known fields, a dry-run ``main``)."""
        if self.base is None:
            return self.recipes
        return self.base.implemented_recipes

    @functools.cached_property
    def _recipe_modules(self) -> dict[str, types.ModuleType]:
        return _derived_recipes(self) if self.base is not None else {}

    def recipe_module(self, recipe: str) -> types.ModuleType:
        """The module ``training.recipes.<recipe>`` serves at this target."""
        if recipe not in self.recipes:
            raise KeyError(f"target {self.target} has no recipe {recipe!r} (it has {', '.join(self.recipes)})")
        if self.base is None:
            return importlib.import_module(f"ftmigrate.api.recipes.{recipe}")
        return self._recipe_modules[recipe]

    # -- fields and signatures ---------------------------------------------------------------

    def fields(self, what: str) -> tuple[dataclasses.Field, ...]:
        """The dataclass fields of a config class or recipe ``Config``, in order."""
        return dataclasses.fields(self.object(what))

    def field_names(self, what: str) -> tuple[str, ...]:
        """The field names of ``what``, in order. A later target's are worked out from its base's
        and the differences (as :func:`~ftmigrate.api._checked.derive` orders them), without
        deriving its classes: the codemods ask this on every run at that target."""
        if self.base is None:
            return tuple(f.name for f in self.fields(what))
        return self._field_names(what)

    @functools.cache  # noqa: B019 (profiles live as long as the process)
    def _field_names(self, what: str) -> tuple[str, ...]:
        delta = self.delta(what)
        gone = {r.name for r in delta.removed}
        renames = {r.old: r.new for r in delta.renamed}
        names = [renames.get(n, n) for n in self.base.field_names(what) if n not in gone]  # type: ignore[union-attr]
        return (*names, *(a.name for a in delta.added))

    def defaults(self, what: str) -> dict[str, Any]:
        """``{field: default}``; a factory's default is called; required fields are absent."""
        out = {}
        for f in self.fields(what):
            if f.default is not dataclasses.MISSING:
                out[f.name] = f.default
            elif f.default_factory is not dataclasses.MISSING:
                out[f.name] = f.default_factory()
        return out

    def signature(self, what: str) -> inspect.Signature:
        """The call signature of ``what`` at this target (``self`` left out for methods)."""
        obj = self.object(what)
        sig = inspect.signature(obj)
        if what == "create_reference_client":
            sig = sig.replace(parameters=list(sig.parameters.values())[1:])
        return sig

    def removed_keywords(self, what: str) -> dict[str, str]:
        """Keywords ``what`` rejects with a message naming the replacement (what FTM070 shows)."""
        return dict(getattr(self.object(what), "__removed__", {}) or {})

    def lifecycle(self, recipe: str) -> Lifecycle:
        """What the recipe's ``main()`` releases on exit at this target (see :class:`Lifecycle`)."""
        return self._lifecycle(recipe)

    @functools.cache  # noqa: B019 (profiles live as long as the process; the codemods ask per call)
    def _lifecycle(self, recipe: str) -> Lifecycle:
        rule = self._lifecycles.get(recipe, Lifecycle())
        if rule.flag is None or recipe not in self.implemented_recipes:
            return rule
        default = self.defaults(f"{recipe}.Config").get(rule.flag, False)
        return dataclasses.replace(rule, default=bool(default))

    @functools.cached_property
    def _lifecycles(self) -> dict[str, Lifecycle]:
        out = dict(self.base._lifecycles) if self.base is not None else {}
        out.update(self.differences.lifecycle if self.differences else {})
        return out

    # -- what mount() serves -----------------------------------------------------------------

    @functools.cached_property
    def utils_names(self) -> tuple[str, ...]:
        """``training.utils.__all__`` at this target."""
        return tuple(self._utils)

    @functools.cached_property
    def _utils(self) -> dict[str, Any]:
        if self.base is None:
            module = importlib.import_module("ftmigrate.api.utils")
            return {name: getattr(module, name) for name in module.__all__}
        return _derived_utils(self)

    @functools.cached_property
    def absent(self) -> frozenset[str]:
        """Names known not to exist at this target: the legacy-only ones, the ones this target
        removed, and the ones only a later target has."""
        later = set()
        for target in TARGETS[TARGETS.index(self.target) + 1 :]:
            later |= {a.name for a in DIFFERENCES[target].changes.get("training.utils", Delta()).added}
        removed = set()
        profile: Profile | None = self
        while profile is not None:
            removed |= set(profile.removed("training.utils"))
            profile = profile.base
        return frozenset(LEGACY_ONLY_NAMES | (removed - set(self.utils_names)) | (later - set(self.utils_names)))

    def namespaces(self) -> dict[str, Namespace]:
        """Module name -> what ``mount()`` serves under it."""
        if self.base is None:
            return _base_namespaces(self)
        return _derived_namespaces(self)


# -- the first target: the bundled modules themselves ---------------------------------------------


#: The first target's objects: ``what`` -> ``module:attribute.path`` of the bundled implementation.
_BASE_OBJECTS = {
    **{name: f"ftmigrate.api.config:{name}" for name in CONFIG_CLASSES},
    "build_service_client": "ftmigrate.api.service:build_service_client",
    "LocalServiceClient": "ftmigrate.api.service:LocalServiceClient",
    "create_reference_client": "ftmigrate.api.service:LocalServiceClient.create_reference_client",
    "ReconnectableClient.from_training_client": "ftmigrate.api.client:ReconnectableClient.from_training_client",
}


@functools.cache
def _base_object(what: str) -> Any:
    module, _, path = _BASE_OBJECTS[what].partition(":")
    obj: Any = importlib.import_module(module)
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _base_objects() -> dict[str, Any]:
    return {what: _base_object(what) for what in _BASE_OBJECTS}


def _public(module: types.ModuleType) -> dict[str, Any]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    return {name: getattr(module, name) for name in names}


def _base_namespaces(profile: Profile) -> dict[str, Namespace]:
    absent = profile.absent
    spaces = {
        "training": Namespace({}, package=True, lenient=False),
        "training.utils": Namespace(dict(profile._utils), package=True, all=profile.utils_names, absent=absent),
        "training.renderer": Namespace({}, absent=absent),
        "training.recipes": Namespace({}, package=True, lenient=False),
    }
    for sub in UTILS_SUBMODULES:
        source = _KNOWN_SUBMODULES.get(sub)
        names = _public(importlib.import_module(source)) if source else {}
        names = {k: v for k, v in names.items() if k not in absent}
        spaces[f"training.utils.{sub}"] = Namespace(names, package=sub == "rl", absent=absent)
    for recipe in profile.recipes:
        spaces[f"training.recipes.{recipe}"] = Namespace(_public(profile.recipe_module(recipe)))
    return spaces


# -- later targets: derived from the base and the differences -----------------------------------


def _removed_texts(what: str, profile: Profile, inherited: Mapping[str, str]) -> dict[str, str]:
    delta = profile.delta(what)
    texts = dict(inherited)
    texts.update({r.name: r.text(profile.target) for r in delta.removed})
    texts.update({r.old: r.text(profile.target) for r in delta.renamed})
    return texts


def _new_field(added: Added) -> tuple[str, Any, dataclasses.Field]:
    return added.name, added.type, checked_field(added.default, check=added.check)


def _derive_class(base_cls: type, what: str, profile: Profile, *, retype: Mapping[type, type], removed: Callable[[list[str]], dict[str, str]] | None = None, module: str | None = None) -> type:
    delta = profile.delta(what)
    inherited = dict(getattr(base_cls, "__removed__", {}) or {})

    def texts(names: list[str]) -> dict[str, str]:
        out = _removed_texts(what, profile, inherited)
        out.update(removed(names) if removed else {})
        return {k: v for k, v in out.items() if k not in names}

    renames = {r.old: r.new for r in delta.renamed}
    replace = {}
    for old, new in renames.items():
        f = next(f for f in dataclasses.fields(base_cls) if f.name == old)
        replace[old] = [(new, typing.get_type_hints(base_cls)[old], f)]
    return derive(
        base_cls,
        drop=[r.name for r in delta.removed],
        replace=replace,
        add=[_new_field(a) for a in delta.added],
        defaults={d.name: d.new for d in delta.defaults},
        retype=retype,
        removed=texts,
        attrs={"__ftmigrate_target__": profile.target},
        module=module,
    )


def _derive_callable(base_fn: Callable[..., Any], what: str, profile: Profile, impl: Callable[..., Any], label: str) -> Callable[..., Any]:
    """``base_fn``'s signature plus the delta of ``what``; calls ``impl`` with the arguments in
    the base's spelling (plus the added ones)."""
    delta = profile.delta(what)
    sig = inspect.signature(base_fn)
    gone = {r.name for r in delta.removed}
    renames = {r.old: r.new for r in delta.renamed}
    back = {new: old for old, new in renames.items()}
    params = [p.replace(name=renames.get(p.name, p.name)) for p in sig.parameters.values() if p.name not in gone]
    var_keyword = [p for p in params if p.kind is p.VAR_KEYWORD]
    params = [p for p in params if p.kind is not p.VAR_KEYWORD]
    params += [inspect.Parameter(a.name, inspect.Parameter.KEYWORD_ONLY, default=a.default, annotation=a.type) for a in delta.added]
    new_sig = sig.replace(parameters=params + var_keyword)
    hints = {k: v for k, v in _removed_texts(what, profile, getattr(base_fn, "__removed__", {}) or {}).items() if k not in new_sig.parameters}
    checks = {a.name: a.check for a in delta.added if a.check is not None}

    @functools.wraps(base_fn)
    def derived(*args: Any, **kwargs: Any) -> Any:
        for keyword in kwargs:
            if keyword in hints:
                raise RemovedKeywordError(f"{label}({keyword}=...): {hints[keyword]}")
        bound = new_sig.bind(*args, **kwargs)
        bound.apply_defaults()
        for name, check in checks.items():
            value = bound.arguments.get(name)
            problem = check(value) if value is not None else None
            if problem:
                raise ValueError(f"{label}({name}={value!r}): {problem}")
        return impl(**{back.get(k, k): v for k, v in bound.arguments.items()})

    derived.__signature__ = new_sig  # type: ignore[attr-defined]
    derived.__removed__ = hints  # type: ignore[attr-defined]
    del derived.__wrapped__  # inspect.signature must not look through to the base
    return derived


def _derived_objects(profile: Profile) -> dict[str, Any]:
    base = profile.base
    assert base is not None
    objects = dict(base._objects)
    for name in CONFIG_CLASSES:
        if profile.delta(name):
            objects[name] = _derive_class(base.object(name), name, profile, retype={})
    from ftmigrate.api import service

    # Each target's service client is its own class (its plans name the target).
    members: dict[str, Any] = {"__module__": service.__name__, "__ftmigrate_target__": profile.target}
    if profile.delta("create_reference_client"):
        members["create_reference_client"] = objects["create_reference_client"] = _derive_callable(
            base.object("create_reference_client"),
            "create_reference_client",
            profile,
            lambda **arguments: service.LocalServiceClient._create_reference_client(**arguments),
            "create_reference_client",
        )
    service_class = objects["LocalServiceClient"] = type("LocalServiceClient", (base.service_class,), members)
    spelling = profile.spelling.get("build_service_client", {})
    objects["build_service_client"] = _derive_callable(
        base.object("build_service_client"),
        "build_service_client",
        profile,
        lambda **arguments: service.build(arguments, service_class=service_class, renamed=spelling),
        "build_service_client",
    )
    return objects


def _retype(profile: Profile) -> dict[type, type]:
    base = profile.base
    assert base is not None
    return {
        base.object(name): profile.object(name)
        for name in CONFIG_CLASSES
        if base.object(name) is not profile.object(name)
    }


def _derived_recipes(profile: Profile) -> dict[str, types.ModuleType]:
    from ftmigrate.api.recipes._base import OpenConfig, removed_keywords

    base = profile.base
    assert base is not None
    retype = _retype(profile)
    swap = {id(old): new for old, new in retype.items()}
    modules = {}
    for recipe in base.recipes:
        old = base.recipe_module(recipe)
        module = types.ModuleType(old.__name__, old.__doc__)
        module.__dict__.update({k: swap.get(id(v), v) for k, v in vars(old).items() if not k.startswith("__")})
        if recipe in base.implemented_recipes:
            module.Config = _derive_class(
                old.Config,
                f"{recipe}.Config",
                profile,
                retype=retype,
                removed=lambda names, recipe=recipe: removed_keywords(recipe, names, profile.target),
            )
        modules[recipe] = module
    for recipe in profile.differences.recipes:
        name = f"ftmigrate.api.recipes.{recipe}"
        module = types.ModuleType(name, f"``training.recipes.{recipe}`` (target {profile.target}): not implemented by ftmigrate.")
        module.RECIPE = recipe
        module.Config = type(
            "Config",
            (OpenConfig,),
            {"__module__": name, "__qualname__": "Config", "__ftmigrate_target__": profile.target, "__doc__": OpenConfig.__doc__},
        )
        module.main = placeholder(f"training.recipes.{recipe}.main")
        modules[recipe] = module
    return modules


def _derived_utils(profile: Profile) -> dict[str, Any]:
    base = profile.base
    assert base is not None
    swap = _swap(profile)
    gone = set(profile.removed("training.utils"))
    names = {k: swap.get(id(v), v) for k, v in base._utils.items() if k not in gone}
    module = importlib.import_module("ftmigrate.api.utils")
    for added in profile.delta("training.utils").added:
        value = getattr(module, added.name, None)
        names[added.name] = value if value is not None else placeholder(f"training.utils.{added.name}")
    return names


def _swap(profile: Profile) -> dict[int, Any]:
    base = profile.base
    assert base is not None
    swap = {id(old): new for old, new in _retype(profile).items()}
    for what in ("build_service_client", "LocalServiceClient"):
        if base.object(what) is not profile.object(what):
            swap[id(base.object(what))] = profile.object(what)
    for recipe in base.implemented_recipes:
        swap[id(base.recipe_config(recipe))] = profile.recipe_config(recipe)
    return swap


def _derived_namespaces(profile: Profile) -> dict[str, Namespace]:
    base = profile.base
    assert base is not None
    swap = _swap(profile)
    spaces = {}
    for name, space in base.namespaces().items():
        if name.startswith("training.recipes."):
            continue
        absent = profile.absent if space.lenient else space.absent
        names = {k: swap.get(id(v), v) for k, v in space.names.items() if k not in absent}
        spaces[name] = dataclasses.replace(space, names=names, absent=absent)
    spaces["training.utils"] = dataclasses.replace(
        spaces["training.utils"], names=dict(profile._utils), all=profile.utils_names
    )
    for package in profile.differences.packages:
        spaces[package] = Namespace({}, package=True, absent=profile.absent)
    for recipe in profile.recipes:
        spaces[f"training.recipes.{recipe}"] = Namespace(_public(profile.recipe_module(recipe)))
    return spaces


# -- lookup ------------------------------------------------------------------------------------


def get(target: str = DEFAULT_TARGET) -> Profile:
    """The profile of ``target`` (``ValueError`` naming the known targets for anything else)."""
    return _profile(check_target(target))


@functools.cache
def _profile(target: str) -> Profile:
    differences = DIFFERENCES.get(target)
    if differences is None:
        return Profile(target)
    return Profile(target, _profile(differences.base), differences)
