"""Legacy names with no automatic port (lint only).

What: every reference -- calls, values passed around (``pool.submit(create_trainer_job, ...)``),
annotations -- to the gen2 low-level helpers (``create_trainer_job``, ``setup_deployment`` ...,
FTM060); a ``WeightSyncer`` / ``DeploymentSampler`` built by hand in a file that also
provisions the legacy way (FTM061); ``validate_config`` called with a ``WeightSyncConfig``
(FTM062); any legacy name reached through a vendored copy of the cookbook under a root listed
in ``[tool.ftmigrate] legacy-modules`` (FTM063); the legacy positional
``ReconnectableClient(rlor_mgr, job_id, base_model, ...)`` (FTM064); a star import from the
cookbook (FTM090); a recipe ``Config(...)`` / ``main(...)`` with legacy keywords whose recipe
cannot be resolved (FTM091).

Why: these have no mechanical translation -- the SDK-managed service replaces whole blocks
of provisioning code -- or cannot be resolved without guessing. Each message names the
target-surface replacement; nothing is rewritten.
"""

from __future__ import annotations

import libcst as cst

from ftmigrate.api.legacy.surface import LOW_LEVEL_HELPERS
from ftmigrate.api.recipes._base import LEGACY_KEYWORDS
from ftmigrate.cstutil import flat, keyword, positional
from ftmigrate.diagnostics import NONE, SAFE
from ftmigrate.transform import COOKBOOK_ROOT, Codemod, classify, dotted

HELPER_REPLACEMENT = {
    "create_trainer_job": "build_service_client(trainer=TrainerConfig(...)) provisions the trainer",
    "request_trainer_job": "build_service_client(trainer=TrainerConfig(...)) provisions the trainer",
    "wait_trainer_job": "service.create_training_client(...) waits for the trainer",
    "setup_deployment": "build_service_client(deployment=DeployConfig(...)) provisions the deployment",
    "setup_or_reattach_deployment": "build_service_client(deployment=DeployConfig(deployment_id=...)) reattaches",
    "request_deployment": "build_service_client(deployment=DeployConfig(...)) provisions the deployment",
    "wait_deployment": "service.create_deployment_sampler(...) waits for the deployment",
    "setup_training_client": "service.create_training_client(base_model, lora_rank=...)",
    "get_deployment_gpu_count": "nothing: the deployment shape owns the GPU count",
}
assert set(HELPER_REPLACEMENT) == set(LOW_LEVEL_HELPERS)

#: Names whose presence means the file provisions the legacy way.
LEGACY_PROVISIONING = frozenset({*LOW_LEVEL_HELPERS, "setup_infra", "ResourceCleanup"})
#: Legacy names that no longer exist at target 2026-06 (importing them fails), and modules.
GONE_NAMES = frozenset({*LOW_LEVEL_HELPERS, "setup_infra", "Infra", "ResourceCleanup", "make_reference_client", "HotloadConfig"})
GONE_MODULES = frozenset({"training.utils.infra", "training.utils.rl"})
#: Legacy names still importable at target (deprecated).
DEPRECATED_NAMES = frozenset({"InfraConfig", "WeightSyncConfig"})

HAND_BUILT = {
    "WeightSyncer": "the recipe and the SDK-managed service own weight sync (weight_sync_interval on the recipe Config)",
    "DeploymentSampler": "service.create_deployment_sampler(tokenizer=...)",
}


class LegacyReferences(Codemod):
    CODES = ("FTM060", "FTM061", "FTM062", "FTM063", "FTM064", "FTM065", "FTM090", "FTM091")

    def prepare(self, module: cst.Module) -> None:
        self.provisions = False
        self.imports_recipes = False
        for node in self.ctx.nodes(cst.Name):
            ref = self.ctx.ref(node)
            if ref is not None and ref.kind == "legacy" and ref.name in LEGACY_PROVISIONING:
                self.provisions = True
                break
        for node in self.ctx.nodes(cst.ImportFrom):
            module_name = dotted(node.module) if node.module is not None else None
            if not module_name or node.relative:
                continue
            if module_name.startswith(f"{COOKBOOK_ROOT}.recipes"):
                self.imports_recipes = True
            if module_name.startswith(f"{COOKBOOK_ROOT}.") and not isinstance(node.names, cst.ImportStar):
                if any(a.evaluated_name in LEGACY_PROVISIONING for a in node.names):
                    self.provisions = True
        for node in self.ctx.nodes(cst.Import):
            if any((dotted(a.name) or "").startswith(f"{COOKBOOK_ROOT}.recipes") for a in node.names):
                self.imports_recipes = True

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        self._reference(original)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        self._reference(original)
        return updated

    def _reference(self, node: cst.BaseExpression) -> None:
        ref = self.ctx.ref(node)
        if ref is None or self.ctx.in_import(node):
            return
        if ref.kind == "legacy" and ref.name in HELPER_REPLACEMENT:
            self.ctx.report(
                node,
                "FTM060",
                f"{ref.name} is gone at target 2026-06: {HELPER_REPLACEMENT[ref.name]}",
                help=self._helper_help(node, ref.name),
            )
        elif ref.kind == "vendored":
            parent = self.ctx.parent(node)
            if isinstance(parent, cst.Attribute) and parent.value is node:
                return  # report the full dotted reference once
            self.ctx.report(
                node,
                "FTM063",
                f"{ref.module}.{ref.name} is a vendored copy of the legacy cookbook API",
                help=_vendored_help(ref.module, ref.name),
            )

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        if original.relative or original.module is None:
            return updated
        module = dotted(original.module) or ""
        if isinstance(original.names, cst.ImportStar):
            if module == COOKBOOK_ROOT or module.startswith(COOKBOOK_ROOT + "."):
                self.ctx.report(
                    original,
                    "FTM090",
                    f"from {module} import * hides which legacy names this file uses",
                    help=f"import the names you use from {module} explicitly, then run ftmigrate again",
                )
            return updated
        for alias in original.names:
            name = alias.evaluated_name
            ref = classify(f"{module}.{name}", self.ctx.options.vendored_roots)
            if ref is None and module in GONE_MODULES:
                ref = classify(f"training.utils.{name}")
            if ref is None or ref.kind not in ("legacy", "vendored") or not self._unused(original, alias):
                continue
            asname = alias.evaluated_alias
            if ref.kind == "vendored":
                self.ctx.report(
                    alias,
                    "FTM063",
                    f"{module}.{name} is a vendored copy of the legacy cookbook API",
                    help=_vendored_help(module, name),
                )
            elif ref.name in GONE_NAMES or module in GONE_MODULES:
                self._gone_import(alias, module, name, asname)
            elif ref.name in DEPRECATED_NAMES:
                self.ctx.report(
                    alias,
                    "FTM065",
                    f"{name} is imported but not used here (a re-export?); it is deprecated at target 2026-06",
                    help=(
                        f"export {'TrainerConfig' if name == 'InfraConfig' else 'the recipe Config with its top-level cadence fields'}"
                        f" instead of {name}, port the modules that import {name} from here, then remove it from this import"
                    ),
                )
        return updated

    def _unused(self, stmt: cst.ImportFrom, alias: cst.ImportAlias) -> bool:
        scope = self.ctx.scope(stmt)
        if scope is None:
            return False
        bound = alias.evaluated_alias or alias.evaluated_name
        for assignment in scope[bound]:
            if getattr(assignment, "node", None) is stmt:
                return not assignment.references
        return False

    def _gone_import(self, alias: cst.ImportAlias, module: str, name: str, asname: str | None) -> None:
        reexport = self.ctx.path.endswith("__init__.py")
        if self.ctx.report(
            alias,
            "FTM065",
            f"{module}.{name} does not exist at target 2026-06 and is not used here: the import would fail",
            fix=NONE if reexport else SAFE,
            help=(
                f"remove {name}{f' as {asname}' if asname else ''} from `from {module} import ...`"
                + (f"; first port the modules that import {name} from this package" if reexport else "")
            ),
        ):
            self.ctx.drop_import(module, name, asname)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        ref = self.ctx.ref(original.func)
        if ref is not None and ref.kind == "sdk" and ref.name in HAND_BUILT and self.provisions:
            self.ctx.report(
                original,
                "FTM061",
                f"a hand-built {ref.name} next to legacy provisioning: {HAND_BUILT[ref.name]}",
                help=(
                    f"remove {flat(original.func)}(...); {HAND_BUILT[ref.name]}, with the service from build_service_client(...)"
                    " that replaces the legacy provisioning in this file"
                ),
            )
        elif ref is not None and ref.kind == "legacy" and ref.name == "validate_config":
            third = positional(original)[2:3] or [a for a in original.args if a.keyword and a.keyword.value == "weight_sync_cfg"]
            if third:
                self.ctx.report(
                    third[0],
                    "FTM062",
                    "validate_config() with a WeightSyncConfig: the cadence fields are validated by the recipe Config now",
                    help=(
                        f"call {flat(original.func)}(...) without {flat(third[0].value)}; pass its cadence values to the recipe"
                        " Config as top-level keywords, where the Config validates them"
                    ),
                )
        elif ref is not None and ref.kind == "target" and ref.name == "ReconnectableClient":
            if positional(original) or keyword(original, "rlor_mgr") is not None:
                self.ctx.report(
                    original,
                    "FTM064",
                    "ReconnectableClient(rlor_mgr, job_id, base_model, ...) is the legacy constructor",
                    help=_reconnectable_help(original),
                )
        elif ref is None and self.imports_recipes and isinstance(original.func, (cst.Name, cst.Attribute)):
            self._unresolved_recipe(original)
        return updated

    def _helper_help(self, node: cst.BaseExpression, name: str) -> str:
        parent = self.ctx.parent(node)
        site = flat(parent) if isinstance(parent, cst.Call) and parent.func is node else flat(node)
        return (
            f"replace {site} and the provisioning around it with the service: {HELPER_REPLACEMENT[name]}"
            " (service = build_service_client(api_key=..., base_url=..., additional_headers=None, base_model=...,"
            " tokenizer_model=..., lora_rank=..., max_context_length=..., learning_rate=..., trainer=TrainerConfig(...),"
            " deployment=DeployConfig(...) or None); close it in a finally"
        )

    def _unresolved_help(self, name: str) -> str:
        stars = [
            dotted(stmt.module)
            for line in self.ctx.module.body
            if isinstance(line, cst.SimpleStatementLine)
            for stmt in line.body
            if isinstance(stmt, cst.ImportFrom) and isinstance(stmt.names, cst.ImportStar) and stmt.module is not None
            and (dotted(stmt.module) or "").startswith(f"{COOKBOOK_ROOT}.recipes.")
        ]
        attr = name.rpartition(".")[2]
        if len(stars) == 1:
            recipe = stars[0].rpartition(".")[2]
            return (
                f"replace `from {stars[0]} import *` with `from {COOKBOOK_ROOT}.recipes import {recipe}`, call"
                f" {recipe}.{attr}(...), then run `ftmigrate rewrite` again"
            )
        return (
            f"import the recipe module explicitly (`from {COOKBOOK_ROOT}.recipes import rl_loop`, with the recipe you"
            f" mean) and call rl_loop.{attr}(...), then run `ftmigrate rewrite` again"
        )

    def _unresolved_recipe(self, call: cst.Call) -> None:
        name = dotted(call.func) or ""
        if not (name == "Config" or name.endswith(".Config")):
            return
        legacy = [a.keyword.value for a in call.args if a.keyword is not None and a.keyword.value in LEGACY_KEYWORDS]
        if legacy and not self.ctx.qualified_names(call.func):
            self.ctx.report(
                call,
                "FTM091",
                f"{name}({legacy[0]}=...) looks like a legacy recipe Config, but its recipe cannot be resolved",
                help=self._unresolved_help(name),
            )


def _vendored_help(module: str, name: str) -> str:
    return (
        f"{module} is a vendored copy of the cookbook: upgrade it to target 2026-06 first (or switch to the"
        f" real cookbook's training.utils), then port this use of {name}; never rewrite it into training.* by hand"
    )


def _reconnectable_help(call: cst.Call) -> str:
    """The ``from_training_client`` call that replaces a legacy positional constructor call."""
    names = ("rlor_mgr", "job_id", "base_model", "lora_rank", "default_timeout")
    given = dict(zip(names, (flat(a.value) for a in positional(call))))
    given.update((a.keyword.value, flat(a.value)) for a in call.args if a.keyword is not None)
    base = given.get("base_model", "base_model")
    rank = given.get("lora_rank", "0")
    extra = f", default_timeout={given['default_timeout']}" if "default_timeout" in given else ""
    return (
        f"{flat(call.func)}.from_training_client(service.create_training_client({base}, lora_rank={rank}),"
        f" job_id=service.trainer_job_id, base_model={base}, lora_rank={rank}, service=service{extra})"
        f" with the service from build_service_client(...) (it replaces {given.get('rlor_mgr', 'the trainer manager')}"
        + (f"; the service reattaches {given['job_id']} with trainer=TrainerConfig(job_id={given['job_id']})" if "job_id" in given else "")
        + ")"
    )
