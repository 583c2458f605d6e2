"""Shared test helpers: run the engine on a source, the way the CLI does."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    """``# ftmigrate-fixture: unsafe`` / ``legacy-modules=a.b,c`` lines of a fixture."""
    out: dict[str, str] = {}
    for m in _DIRECTIVE.finditer(source):
        for item in m.group("body").split(";"):
            key, _, value = item.strip().partition("=")
            out[key.strip()] = value.strip()
    return out


def run(source: str, *, mode: str = "rewrite", unsafe: bool | None = None, legacy_modules: tuple[str, ...] | None = None, path: str = "case.py") -> Run:
    """Process ``source`` with every default rule on; settings may come from fixture directives."""
    found = directives(source)
    if unsafe is None:
        unsafe = "unsafe" in found
    if legacy_modules is None:
        legacy_modules = tuple(m for m in found.get("legacy-modules", "").split(",") if m)
    enabled = frozenset(code for code, rule in registry().items() if rule.default)
    options = Options(mode=mode, enabled=enabled, unsafe=unsafe, vendored_roots=legacy_modules)
    settings = RunSettings(options=options, legacy_modules=legacy_modules)
    result, new = process_source(source.encode(), path, settings)
    code = new.decode() if new is not None else source
    return Run(code, result.diagnostics, result.status, result.error)
