"""The rule catalog: every code ftmigrate reports, with its documentation and examples.

Rule classes are plain Python (no LibCST): the CLI lists and explains them, the config loader
validates codes against them, and the reporters take their metadata from them.
"""

from __future__ import annotations

import functools
import importlib

from ftmigrate.rules._base import Example, Rule

#: Modules of rule classes, in catalog order.
MODULES = (
    "config_classes",
    "recipe_config",
    "attributes",
    "main_call",
    "service",
    "lint_only",
    "signatures",
    "target",
    "meta",
)


@functools.cache
def registry() -> dict[str, type[Rule]]:
    """Every rule, by code, in code order."""
    rules: dict[str, type[Rule]] = {}
    for name in MODULES:
        try:
            module = importlib.import_module(f"ftmigrate.rules.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"ftmigrate.rules.{name}":
                continue
            raise
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__:
                rules[value.code] = value
    return dict(sorted(rules.items()))


__all__ = ["Example", "Rule", "registry"]
