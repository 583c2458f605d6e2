"""Calls of the target API checked against the bundled signatures (lint only).

What: calls of ``TrainerConfig``, ``DeployConfig``, ``ConcurrencyConfig``, ``WandBConfig``,
``build_service_client``, ``ReconnectableClient.from_training_client``, and each recipe's
``Config`` and ``main`` are bound against the signatures of the bundled implementation
(``ftmigrate.api``): an unknown keyword or too many positional arguments is FTM070, a missing
required argument FTM071. Legacy keywords that another rule ports (``infra=``,
``weight_sync=``, ``policy_job_id=`` ...) are left to that rule, and so are the keywords the
chosen target removed or renamed (``target_upgrade``). The signatures are those of the chosen
target (``ctx.profile``): ``build_service_client(max_lora_rank=...)`` is right at 2026-08.

Code newer than the target: a file that uses what only a later target has (and nothing only an
earlier one has; ``target_upgrade.evidence``) gets one FTM072 naming that target and the
setting, and its calls are checked against that later target, not one finding per call.

Why: code ported by hand to the wrong shape fails only at run time, on a trainer, e.g.
``weight_sync_interval=`` on ``async_rl_loop.Config`` (pinned) or ``deployment=`` on
``sft_loop.Config`` (no deployment). The signatures are read from the bundled API, so they
cannot drift from it.
"""

from __future__ import annotations

import functools
import inspect

import ast

from typing import Any

from ftmigrate.analysis import Codemod
from ftmigrate.api.legacy.surface import LEGACY_CONFIG_FIELDS
from ftmigrate.api.recipes._base import IGNORED_LEGACY_KEYWORDS
from ftmigrate.api.targets import TARGETS
from ftmigrate.codemods.target_upgrade import Evidence, evidence

#: The classes and functions checked (``what`` keys of a target profile), besides each recipe's
#: ``Config`` and ``main``.
CHECKED = (
    "TrainerConfig",
    "DeployConfig",
    "ConcurrencyConfig",
    "WandBConfig",
    "build_service_client",
    "ReconnectableClient.from_training_client",
)


def signature(profile: Any, what: str) -> tuple[inspect.Signature, dict[str, str]]:
    """``what``'s signature at the profile's target, and the keywords it rejects with a hint."""
    return _signature(profile.target, what)


@functools.cache
def _signature(target: str, what: str) -> tuple[inspect.Signature, dict[str, str]]:
    from ftmigrate.api import profiles

    profile = profiles.get(target)
    return profile.signature(what), profile.removed_keywords(what)


#: Legacy ``main()`` arguments, ported by ``recipe_main`` (positional managers included).
LEGACY_MAIN_ARGS = frozenset({"rlor_mgr", "deploy_mgr", "cancel_on_exit", "cleanup_on_exit", "on_resources_ready", "*positional"})

#: Recipe Config keywords the other codemods port on every recipe.
ALWAYS_PORTED = frozenset({"infra", "weight_sync", "hotload", *IGNORED_LEGACY_KEYWORDS})


class TargetSignatures(Codemod):
    CODES = ("FTM070", "FTM071", "FTM072")

    def analyze(self) -> None:
        ctx = self.ctx
        profile = ctx.profile
        ev = evidence(ctx)
        if ev.newer and not ev.older:
            # Code written for a later target: said once, and checked against that target.
            node, what, later = ev.newer[0]
            self._newer(node, what, later, ev)
            from ftmigrate.api import profiles

            profile = profiles.get(max((t for _, _, t in ev.newer), key=TARGETS.index))
        # Keywords the target removed or renamed are reported (and ported) by target_upgrade.
        upgraded = profile is ctx.profile
        for call in ctx.calls():
            resolved = self._target(call.func)
            if resolved is not None:
                what, skip = resolved
                renamed = {}
                if upgraded and profile.base is not None:
                    renamed = profile.renamed(what)
                    skip = skip | frozenset(profile.removed(what)) | frozenset(renamed)
                sig, removed = signature(profile, what)
                self._check(call, what, sig, removed, skip, renamed)

    def _newer(self, node: ast.AST, what: str, later: str, ev: Evidence) -> None:
        others = sorted({w for _, w, _ in ev.newer[1:]} - {what})
        also = f" (also {', '.join(others[:3])}{' ...' if len(others) > 3 else ''})" if others else ""
        self.ctx.report(
            node,
            "FTM072",
            f"this file looks like code for target {later}, not {ev.target}: {what} exists only at {later}{also}",
            help=(
                f'set target = "{later}" if the project runs the {later} cookbook. Write it in [tool.ftmigrate], or check'
                f" the file with `ftmigrate lint --target {later}`; otherwise remove what only {later} has"
            ),
        )

    def _target(self, func: ast.AST) -> tuple[str, frozenset[str]] | None:
        ref = self.ctx.ref(func)
        if ref is not None and ref.kind == "recipe" and ref.name in ("Config", "main"):
            if ref.name == "Config":  # legacy keywords another rule ports
                skip = frozenset({*LEGACY_CONFIG_FIELDS[ref.recipe], *ALWAYS_PORTED})
            else:
                skip = LEGACY_MAIN_ARGS
            return f"{ref.recipe}.{ref.name}", skip  # type: ignore[arg-type]
        if ref is not None and ref.kind == "target" and ref.name in CHECKED:
            return ref.name, frozenset()
        if isinstance(func, ast.Attribute) and func.attr == "from_training_client":
            owner = self.ctx.ref(func.value)
            if owner is not None and owner.kind == "target" and owner.name == "ReconnectableClient":
                return "ReconnectableClient.from_training_client", frozenset()
        return None

    def _check(self, call: ast.Call, label: str, sig: inspect.Signature, removed: dict[str, str], skip: frozenset[str], renamed: dict[str, str] | None = None) -> None:
        ctx = self.ctx
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return  # splatted arguments: nothing can be said statically
        params, accepts_kwargs, accepts_args, positional_params, names, required = _shape(sig)
        given_positional = list(call.args)
        if len(given_positional) > len(positional_params) and not accepts_args and "*positional" not in skip:
            ctx.report(
                given_positional[len(positional_params)],
                "FTM070",
                f"{label}() takes at most {len(positional_params)} positional argument(s), {len(given_positional)} given",
                help=f"pass the extra values by keyword; the signature is {label}{sig}",
            )
            return
        bound = {p.name for p in positional_params[: len(given_positional)]}
        for kw in call.keywords:
            name = kw.arg
            bound.add(name)  # type: ignore[arg-type]
            if renamed and name in renamed:
                bound.add(renamed[name])  # (respelled by target_upgrade)
            if name in names or accepts_kwargs or name in skip:
                continue
            hint = removed.get(name)  # type: ignore[arg-type]
            ctx.report(
                kw,
                "FTM070",
                f"{label}() has no parameter {name!r}" + (f": {hint}" if hint else ""),
                help=_removed_help(name, hint) if hint else _unknown_help(name, names),  # type: ignore[arg-type]
            )
        missing = [name for name in required if name not in bound]
        if missing:
            ctx.report(
                call,
                "FTM071",
                f"{label}() is missing required argument(s): {', '.join(missing)}",
                help="pass " + ", ".join(_missing_help(sig.parameters[m]) for m in missing),
            )


_SHAPES: dict[int, tuple[inspect.Signature, tuple]] = {}


def _shape(sig: inspect.Signature) -> tuple[list[inspect.Parameter], bool, bool, list[inspect.Parameter], frozenset[str], tuple[str, ...]]:
    """What ``_check`` reads of a signature, worked out once per signature (kept by the
    signature's identity: ``signature()`` gives each target one object, and hashing a
    Signature hashes every parameter, annotations included)."""
    found = _SHAPES.get(id(sig))
    if found is not None and found[0] is sig:
        return found[1]
    params = list(sig.parameters.values())
    shape = (
        params,
        any(p.kind is p.VAR_KEYWORD for p in params),
        any(p.kind is p.VAR_POSITIONAL for p in params),
        [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)],
        frozenset(p.name for p in params if p.kind is not p.POSITIONAL_ONLY),
        tuple(p.name for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)),
    )
    _SHAPES[id(sig)] = (sig, shape)
    return shape


def _removed_help(name: str, hint: str) -> str:
    """What to write for a keyword the target removed, then the bundled API's own words."""
    if hint.startswith("renamed to "):
        return f"write {hint.removeprefix('renamed to ')}= instead of {name}=. {name} was {hint}"
    return f"remove {name}=. {hint[:1].upper()}{hint[1:]}"


def _unknown_help(name: str, names: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(names), n=1)
    guess = f"did you mean {close[0]}=? " if close else ""
    return f"remove {name}= or rename it; {guess}valid keywords: {', '.join(sorted(names))}"


def _missing_help(param: inspect.Parameter) -> str:
    annotation = param.annotation if isinstance(param.annotation, str) else inspect.formatannotation(param.annotation)
    nullable = param.annotation is not param.empty and "None" in annotation
    return f"{param.name}=..." + (" (None when there is none)" if nullable else "")
