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


def execute(source: str, surface: str, filename: str = "generated.py") -> dict[str, object]:
    """Run ``source`` under ``mount(surface=...)`` (bundled SDK) and return its namespace."""
    import warnings

    from ftmigrate.api import mount

    namespace: dict[str, object] = {"__name__": "generated"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with mount(surface=surface, bundled_sdk=True):
            exec(compile(source, filename, "exec"), namespace)
    return namespace


def expected_after(recipe: str, legacy_cfg: object) -> object:
    """The target recipe Config a legacy one means: each legacy field at its new name.

    The mapping is read from the bundled API (field metadata of InfraConfig /
    WeightSyncConfig / HotloadConfig, and the recipes' LEGACY_KEYWORDS), never retyped.
    """
    import dataclasses
    import importlib

    from ftmigrate.api.config import TARGET
    from ftmigrate.api.recipes._base import LEGACY_KEYWORDS

    target_cls = importlib.import_module(f"ftmigrate.api.recipes.{recipe}").Config
    target_names = {f.name for f in dataclasses.fields(target_cls)}
    legacy_names = {f.name for f in dataclasses.fields(legacy_cfg)}
    values = {n: getattr(legacy_cfg, n) for n in legacy_names & target_names}
    trainer = expected_trainer(getattr(legacy_cfg, "infra"))
    for legacy_name, target in LEGACY_KEYWORDS.items():
        if legacy_name in legacy_names and target and target.startswith("trainer.") and getattr(legacy_cfg, legacy_name) is not None:
            trainer = dataclasses.replace(trainer, **{target.split(".", 1)[1]: getattr(legacy_cfg, legacy_name)})
    for nested in ("weight_sync", "hotload"):
        obj = getattr(legacy_cfg, nested, None) if nested in legacy_names else None
        if obj is None:
            continue
        for f in dataclasses.fields(obj):
            target = f.metadata[TARGET]
            if target in target_names:
                values[target] = getattr(obj, f.name)
    return target_cls(**values, trainer=trainer)


def expected_trainer(infra: object) -> object:
    """The TrainerConfig an InfraConfig means (fields with no replacement left out)."""
    import dataclasses

    from ftmigrate.api.config import TARGET, TrainerConfig

    values = {}
    for f in dataclasses.fields(infra):
        target = f.metadata[TARGET]
        if target is not None:
            values[target.split(".", 1)[1]] = getattr(infra, f.name)
    return TrainerConfig(**values)
