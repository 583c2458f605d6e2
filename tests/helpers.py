"""Shared test helpers: run the engine on a source, the way the CLI does."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ftmigrate.api.targets import DEFAULT_TARGET
from ftmigrate.diagnostics import Diagnostic
from ftmigrate.engine import RunSettings, process_source
from ftmigrate.rules import registry
from ftmigrate.transform import Options

_DIRECTIVE = re.compile(r"^# ftmigrate-fixture: (?P<body>.*)$", re.M)


@dataclass
class Run:
    code: str
    diagnostics: list[Diagnostic]
    status: str
    error: str | None


def directives(source: str) -> dict[str, str]:
    """``# ftmigrate-fixture: unsafe`` / ``legacy-modules=a.b,c`` / ``target=2026-08`` lines of a
    fixture (items separated by ``;``)."""
    out: dict[str, str] = {}
    for m in _DIRECTIVE.finditer(source):
        for item in m.group("body").split(";"):
            key, _, value = item.strip().partition("=")
            out[key.strip()] = value.strip()
    return out


def run(
    source: str,
    *,
    mode: str = "rewrite",
    unsafe: bool | None = None,
    legacy_modules: tuple[str, ...] | None = None,
    path: str = "case.py",
    target: str | None = None,
) -> Run:
    """Process ``source`` with every default rule on; settings may come from fixture directives
    (``unsafe``, ``legacy-modules=a.b,c``, ``target=2026-08``)."""
    found = directives(source)
    if target is None:
        target = found.get("target") or DEFAULT_TARGET
    if unsafe is None:
        unsafe = "unsafe" in found
    if legacy_modules is None:
        legacy_modules = tuple(m for m in found.get("legacy-modules", "").split(",") if m)
    enabled = frozenset(code for code, rule in registry().items() if rule.default)
    options = Options(mode=mode, enabled=enabled, unsafe=unsafe, vendored_roots=legacy_modules)
    settings = RunSettings(options=options, legacy_modules=legacy_modules, target=target)
    result, new = process_source(source.encode(), path, settings)
    code = new.decode() if new is not None else source
    return Run(code, result.diagnostics, result.status, result.error)


def execute(source: str, surface: str, filename: str = "generated.py", target: str = DEFAULT_TARGET) -> dict[str, object]:
    """Run ``source`` under ``mount(surface=..., target=...)`` (bundled SDK) and return its namespace."""
    import warnings

    from ftmigrate.api import mount

    namespace: dict[str, object] = {"__name__": "generated"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with mount(surface=surface, target=target, bundled_sdk=True):
            exec(compile(source, filename, "exec"), namespace)
    return namespace


def expected_after(recipe: str, legacy_cfg: object, target: str = DEFAULT_TARGET, *, cleanup: bool | None = None) -> object:
    """The target recipe Config a legacy one means at ``target``: each legacy field at its new
    name, where the target has it (``cleanup``: the ``cleanup_on_exit`` a port writes).

    The mapping is read from the bundled API (field metadata of InfraConfig /
    WeightSyncConfig / HotloadConfig, the recipes' LEGACY_KEYWORDS, the target's profile),
    never retyped.
    """
    import dataclasses

    from ftmigrate.api import profiles
    from ftmigrate.api.config import TARGET
    from ftmigrate.api.recipes._base import LEGACY_KEYWORDS

    profile = profiles.get(target)
    target_cls = profile.recipe_config(recipe)
    target_names = set(profile.field_names(f"{recipe}.Config"))
    legacy_names = {f.name for f in dataclasses.fields(legacy_cfg)}
    values = {n: getattr(legacy_cfg, n) for n in legacy_names & target_names}
    if "deployment" in values:
        values["deployment"] = expected_deployment(values["deployment"], target, deploys=profile.recipe_module(recipe).NEEDS_DEPLOYMENT)
    trainer = expected_trainer(getattr(legacy_cfg, "infra"), target)
    for legacy_name, where in LEGACY_KEYWORDS.items():
        if legacy_name in legacy_names and where and where.startswith("trainer.") and getattr(legacy_cfg, legacy_name) is not None:
            trainer = dataclasses.replace(trainer, **{where.split(".", 1)[1]: getattr(legacy_cfg, legacy_name)})
    for nested in ("weight_sync", "hotload"):
        obj = getattr(legacy_cfg, nested, None) if nested in legacy_names else None
        if obj is None:
            continue
        for f in dataclasses.fields(obj):
            where = f.metadata[TARGET]
            if where in target_names:
                values[where] = getattr(obj, f.name)
    if cleanup is not None:
        values["cleanup_on_exit"] = cleanup
    return target_cls(**values, trainer=trainer)


def expected_deployment(legacy: object, target: str = DEFAULT_TARGET, *, deploys: bool = True) -> object:
    """The DeployConfig a legacy one means at ``target``: every field the target has, the old
    default of a field whose default it changed written out (on a recipe that deploys)."""
    import dataclasses

    from ftmigrate.api import profiles

    profile = profiles.get(target)
    cls = profile.config_class("DeployConfig")
    if cls is type(legacy):
        return legacy
    names = set(profile.field_names("DeployConfig"))
    values = {f.name: getattr(legacy, f.name) for f in dataclasses.fields(legacy) if f.name in names}
    if not deploys:  # (a recipe that never deploys keeps the target's defaults: the port writes none)
        for name in profile.changed_defaults("DeployConfig"):
            values.pop(name, None)
    return cls(**values)


def expected_trainer(infra: object, target: str = DEFAULT_TARGET) -> object:
    """The TrainerConfig an InfraConfig means at ``target`` (fields with no replacement there
    left out; a field the target has under the InfraConfig name kept)."""
    import dataclasses

    from ftmigrate.api import profiles
    from ftmigrate.api.config import TARGET

    profile = profiles.get(target)
    names = set(profile.field_names("TrainerConfig"))
    values = {}
    for f in dataclasses.fields(infra):
        where = f.metadata[TARGET]
        name = where.split(".", 1)[1] if where is not None else f.name
        if name in names:
            values[name] = getattr(infra, f.name)
    return profile.config_class("TrainerConfig")(**values)
