"""Calls of the target API checked against the bundled signatures (lint only).

What: calls of ``TrainerConfig``, ``DeployConfig``, ``ConcurrencyConfig``, ``WandBConfig``,
``build_service_client``, ``ReconnectableClient.from_training_client``, and each recipe's
``Config`` and ``main`` are bound against the signatures of the bundled implementation
(``ftmigrate.api``): an unknown keyword or too many positional arguments is FTM070, a missing
required argument FTM071. Legacy keywords that another rule ports (``infra=``,
``weight_sync=``, ``policy_job_id=`` ...) are left to that rule.

Why: code ported by hand to the wrong shape fails only at run time, on a trainer, e.g.
``weight_sync_interval=`` on ``async_rl_loop.Config`` (pinned) or ``deployment=`` on
``sft_loop.Config`` (no deployment). The signatures are read from the bundled API, so they
cannot drift from it.
"""

from __future__ import annotations

import functools
import importlib
import inspect

import libcst as cst

from ftmigrate.api.legacy.surface import LEGACY_CONFIG_FIELDS
from ftmigrate.api.recipes._base import IGNORED_LEGACY_KEYWORDS
from ftmigrate.transform import Codemod

TARGETS = {
    "TrainerConfig": "ftmigrate.api.config:TrainerConfig",
    "DeployConfig": "ftmigrate.api.config:DeployConfig",
    "ConcurrencyConfig": "ftmigrate.api.config:ConcurrencyConfig",
    "WandBConfig": "ftmigrate.api.config:WandBConfig",
    "build_service_client": "ftmigrate.api.service:build_service_client",
    "ReconnectableClient.from_training_client": "ftmigrate.api.client:ReconnectableClient.from_training_client",
}


@functools.cache
def signature(target: str) -> tuple[inspect.Signature, dict[str, str]]:
    """The bundled signature for ``target`` (``module:attr.path``) and its removed-keyword hints."""
    module, _, path = target.partition(":")
    obj: object = importlib.import_module(module)
    for part in path.split("."):
        obj = getattr(obj, part)
    removed = dict(getattr(obj, "__removed__", {}) or {})
    return inspect.signature(obj), removed  # type: ignore[arg-type]


#: Legacy ``main()`` arguments, ported by ``recipe_main`` (positional managers included).
LEGACY_MAIN_ARGS = frozenset({"rlor_mgr", "deploy_mgr", "cancel_on_exit", "cleanup_on_exit", "on_resources_ready", "*positional"})

#: Recipe Config keywords the other codemods port on every recipe.
ALWAYS_PORTED = frozenset({"infra", "weight_sync", "hotload", *IGNORED_LEGACY_KEYWORDS})


def _recipe_target(recipe: str, attr: str) -> str:
    return f"ftmigrate.api.recipes.{recipe}:{attr}"


class TargetSignatures(Codemod):
    CODES = ("FTM070", "FTM071")

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        resolved = self._target(original.func)
        if resolved is None:
            return updated
        label, target, skip = resolved
        sig, removed = signature(target)
        self._check(original, label, sig, removed, skip)
        return updated

    def _target(self, func: cst.BaseExpression) -> tuple[str, str, frozenset[str]] | None:
        ref = self.ctx.ref(func)
        if ref is not None and ref.kind == "recipe" and ref.name in ("Config", "main"):
            if ref.name == "Config":  # legacy keywords another rule ports
                skip = frozenset({*LEGACY_CONFIG_FIELDS[ref.recipe], *ALWAYS_PORTED})
            else:
                skip = LEGACY_MAIN_ARGS
            return f"{ref.recipe}.{ref.name}", _recipe_target(ref.recipe, ref.name), skip
        if ref is not None and ref.kind == "target" and ref.name in TARGETS:
            return ref.name, TARGETS[ref.name], frozenset()
        if isinstance(func, cst.Attribute) and func.attr.value == "from_training_client":
            owner = self.ctx.ref(func.value)
            if owner is not None and owner.kind == "target" and owner.name == "ReconnectableClient":
                key = "ReconnectableClient.from_training_client"
                return key, TARGETS[key], frozenset()
        return None

    def _check(self, call: cst.Call, label: str, sig: inspect.Signature, removed: dict[str, str], skip: frozenset[str]) -> None:
        if any(a.star for a in call.args):
            return  # splatted arguments: nothing can be said statically
        params = list(sig.parameters.values())
        accepts_kwargs = any(p.kind is p.VAR_KEYWORD for p in params)
        accepts_args = any(p.kind is p.VAR_POSITIONAL for p in params)
        positional_params = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        given_positional = [a for a in call.args if a.keyword is None]
        if len(given_positional) > len(positional_params) and not accepts_args and "*positional" not in skip:
            self.ctx.report(
                given_positional[len(positional_params)],
                "FTM070",
                f"{label}() takes at most {len(positional_params)} positional argument(s), {len(given_positional)} given",
                help=f"pass the extra values by keyword; the signature is {label}{sig}",
            )
            return
        names = {p.name for p in params if p.kind is not p.POSITIONAL_ONLY}
        bound = {p.name for p in positional_params[: len(given_positional)]}
        for arg in call.args:
            if arg.keyword is None:
                continue
            name = arg.keyword.value
            bound.add(name)
            if name in names or accepts_kwargs or name in skip:
                continue
            hint = removed.get(name)
            self.ctx.report(
                arg,
                "FTM070",
                f"{label}() has no parameter {name!r}" + (f": {hint}" if hint else ""),
                help=hint or _unknown_help(name, names),
            )
        missing = [
            p.name
            for p in params
            if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in bound
        ]
        if missing:
            self.ctx.report(
                call,
                "FTM071",
                f"{label}() is missing required argument(s): {', '.join(missing)}",
                help="pass " + ", ".join(_missing_help(sig.parameters[m]) for m in missing),
            )


def _unknown_help(name: str, names: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(names), n=1)
    guess = f"did you mean {close[0]}=? " if close else ""
    return f"remove {name}= or rename it; {guess}valid keywords: {', '.join(sorted(names))}"


def _missing_help(param: inspect.Parameter) -> str:
    annotation = param.annotation if isinstance(param.annotation, str) else inspect.formatannotation(param.annotation)
    nullable = param.annotation is not param.empty and "None" in annotation
    return f"{param.name}=..." + (" (None when there is none)" if nullable else "")
