"""Legacy names with no automatic port (lint only).

What: every reference -- calls, values passed around (``pool.submit(create_trainer_job, ...)``),
annotations -- to the gen2 low-level helpers (``create_trainer_job``, ``setup_deployment`` ...,
FTM060); a ``WeightSyncer`` / ``DeploymentSampler`` built by hand in a file that also
provisions the legacy way (FTM061); ``validate_config`` called with a ``WeightSyncConfig``
(FTM062); any legacy name reached through a vendored copy of the cookbook under a root listed
in ``[tool.ftmigrate] legacy-modules`` (FTM063), and a module not listed there that exports
the legacy names (FTM067, once per file: the setting to add); the legacy positional
``ReconnectableClient(rlor_mgr, job_id, base_model, ...)`` (FTM064); per-deployment weight sync
(``WeightSyncScope.PER_DEPLOYMENT``), which nothing reads at the target (FTM066); a star import from the
cookbook (FTM090); a recipe ``Config(...)`` / ``main(...)`` with legacy keywords whose recipe
cannot be resolved, or whose module under ``training.recipes`` is not one of the six recipes
ftmigrate knows (FTM091: such a call is left whole -- the ``InfraConfig`` inside it included --
rather than half ported).

Why: these have no mechanical translation -- the SDK-managed service replaces whole blocks
of provisioning code -- or cannot be resolved without guessing. Each message names the
target-surface replacement; nothing is rewritten.
"""

from __future__ import annotations

import ast

from ftmigrate.analysis import COOKBOOK_ROOT, LEGACY_SYMBOLS, SDK_MODULE, Codemod, Ref, classify, dotted, keyword, positional
from ftmigrate.api.legacy.surface import LOW_LEVEL_HELPERS
from ftmigrate.api.recipes._base import LEGACY_KEYWORDS
from ftmigrate.diagnostics import NONE, SAFE
from ftmigrate.prefilter import HINT, HINT_WINDOW
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

#: What to do about a hand-built one, in a few words (a TODO's text).
HAND_BUILT_ACTION = {
    "WeightSyncer": "remove it: the service syncs weights",
    "DeploymentSampler": "use service.create_deployment_sampler(...)",
}
HAND_BUILT = {
    "WeightSyncer": "the recipe and the SDK-managed service own weight sync (weight_sync_interval on the recipe Config)",
    "DeploymentSampler": "service.create_deployment_sampler(tokenizer=...)",
}


class LegacyReferences(Codemod):
    CODES = ("FTM060", "FTM061", "FTM062", "FTM063", "FTM064", "FTM065", "FTM066", "FTM067", "FTM090", "FTM091")

    def analyze(self) -> None:
        ctx = self.ctx
        self.provisions = False
        self.imports_recipes = False
        self.provisions = any(ref.name in LEGACY_PROVISIONING for _, ref in ctx.references("legacy"))
        for node in ctx.nodes(ast.ImportFrom):
            if not node.module or node.level:
                continue
            if node.module.startswith(f"{COOKBOOK_ROOT}.recipes"):
                self.imports_recipes = True
            if node.module.startswith(f"{COOKBOOK_ROOT}.") and any(a.name in LEGACY_PROVISIONING for a in node.names):
                self.provisions = True
        for node in ctx.nodes(ast.Import):
            if any(a.name.startswith(f"{COOKBOOK_ROOT}.recipes") for a in node.names):
                self.imports_recipes = True
        for node, _ in ctx.references():
            self._reference(node)
        for node in ctx.nodes(ast.ImportFrom):
            self._import_from(node)
        # A recipe Config reached through no import (a star import) is looked for in every call.
        for node in ctx.nodes(ast.Call) if self.imports_recipes else ctx.calls():
            self._call(node)
        for call, ref in ctx.unknown_recipe_calls():
            self._unknown_recipe(call, ref)
        self._unlisted_vendored_copy()
        for node, _ in ctx.references("target", "WeightSyncScope"):
            self._weight_sync_scope(node)
        for call in ctx.calls():
            self._scope_string(call)

    def _reference(self, node: ast.AST) -> None:
        ctx = self.ctx
        ref = ctx.ref(node)
        if ref is None or ctx.in_import(node):
            return
        if ref.kind == "legacy" and ref.name in HELPER_REPLACEMENT:
            ctx.report(
                node,
                "FTM060",
                f"{ref.name} is gone at target {self.ctx.options.target}: {HELPER_REPLACEMENT[ref.name]}",
                help=self._helper_help(node, ref.name),
            )
        elif ref.kind == "vendored":
            parent = ctx.parent(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                return  # report the full dotted reference once
            ctx.report(
                node,
                "FTM063",
                f"{ref.module}.{ref.name} is a vendored copy of the legacy cookbook API",
                help=_vendored_help(ref.module, ref.name),
            )

    def _import_from(self, node: ast.ImportFrom) -> None:
        ctx = self.ctx
        if node.level or node.module is None:
            return
        module = node.module
        if any(a.name == "*" for a in node.names):
            if module == COOKBOOK_ROOT or module.startswith(COOKBOOK_ROOT + "."):
                ctx.report(
                    node,
                    "FTM090",
                    f"from {module} import * hides which legacy names this file uses",
                    help=f"import the names you use explicitly. Import them from {module} by name, then run ftmigrate again",
                )
            return
        for alias in node.names:
            name = alias.name
            ref = classify(f"{module}.{name}", ctx.options.vendored_roots)
            if ref is None and module in GONE_MODULES:
                ref = classify(f"training.utils.{name}")
            if ref is None or ref.kind not in ("legacy", "vendored") or not self._unused(alias):
                continue
            asname = alias.asname
            if ref.kind == "vendored":
                ctx.report(alias, "FTM063", f"{module}.{name} is a vendored copy of the legacy cookbook API", help=_vendored_help(module, name))
            elif ref.name in GONE_NAMES or module in GONE_MODULES:
                self._gone_import(alias, module, name, asname)
            elif ref.name in DEPRECATED_NAMES:
                ctx.report(
                    alias,
                    "FTM065",
                    f"{name} is imported but not used here (a re-export?); it is deprecated at target {self.ctx.options.target}",
                    help=(
                        f"export {'TrainerConfig' if name == 'InfraConfig' else 'the cadence fields'} instead of {name}. Export"
                        f" {'TrainerConfig' if name == 'InfraConfig' else 'the recipe Config with its top-level cadence fields'}"
                        f" instead, port the modules that import {name} from here, then remove it from this import"
                    ),
                )

    def _unused(self, alias: ast.alias) -> bool:
        binding = self.ctx.binding_of_alias(alias)
        if binding is None:
            return False
        return not self.ctx.reads_of(binding) and not self.ctx.named_in_strings(binding)

    def _gone_import(self, alias: ast.alias, module: str, name: str, asname: str | None) -> None:
        reexport = self.ctx.path.endswith("__init__.py")
        if self.ctx.report(
            alias,
            "FTM065",
            f"{module}.{name} does not exist at target {self.ctx.options.target} and is not used here: the import would fail",
            fix=NONE if reexport else SAFE,
            help=(
                (f"port the importers of {name}, then remove it. " if reexport else "")
                + f"remove {name}{f' as {asname}' if asname else ''} from `from {module} import ...`"
                + (f"; first port the modules that import {name} from this package" if reexport else "")
            ),
        ):
            self.ctx.drop_import(module, name, asname)

    def _call(self, call: ast.Call) -> None:
        ctx = self.ctx
        ref = ctx.ref(call.func)
        if ref is not None and ref.kind == "sdk" and ref.name in HAND_BUILT and self.provisions:
            ctx.report(
                call,
                "FTM061",
                f"a hand-built {ref.name} next to legacy provisioning: {HAND_BUILT[ref.name]}",
                help=(
                    f"{HAND_BUILT_ACTION[ref.name]}. Remove {ctx.flat(call.func)}(...): {HAND_BUILT[ref.name]}, with the service"
                    " from build_service_client(...) that replaces the legacy provisioning in this file"
                ),
            )
        elif ref is not None and ref.kind == "legacy" and ref.name == "validate_config":
            third: list[ast.AST] = positional(call)[2:3] or [k for k in call.keywords if k.arg == "weight_sync_cfg"]
            if third:
                value = third[0].value if isinstance(third[0], ast.keyword) else third[0]
                ctx.report(
                    third[0],
                    "FTM062",
                    "validate_config() with a WeightSyncConfig: the cadence fields are validated by the recipe Config now",
                    help=(
                        f"drop the cadence config from this call. Call {ctx.flat(call.func)}(...) without {ctx.flat(value)}; pass"
                        " its cadence values to the recipe Config as top-level keywords, where the Config validates them"
                    ),
                )
        elif ref is not None and ref.kind == "target" and ref.name == "ReconnectableClient":
            if positional(call) or keyword(call, "rlor_mgr") is not None:
                ctx.report(
                    call,
                    "FTM064",
                    "ReconnectableClient(rlor_mgr, job_id, base_model, ...) is the legacy constructor",
                    help=self._reconnectable_help(call),
                )
        elif ref is None and self.imports_recipes and isinstance(call.func, (ast.Name, ast.Attribute)):
            self._unresolved_recipe(call)

    def _helper_help(self, node: ast.AST, name: str) -> str:
        parent = self.ctx.parent(node)
        site = self.ctx.flat(parent) if isinstance(parent, ast.Call) and parent.func is node else self.ctx.flat(node)
        first = "remove it: the deployment shape owns the GPU count" if name == "get_deployment_gpu_count" else f"replace {name} with the service"
        return (
            f"{first}. Replace {site} and the provisioning around it with the service: {HELPER_REPLACEMENT[name]}"
            " (service = build_service_client(api_key=..., base_url=..., additional_headers=None, base_model=...,"
            " tokenizer_model=..., lora_rank=..., max_context_length=..., learning_rate=..., trainer=TrainerConfig(...),"
            " deployment=DeployConfig(...) or None); close it in a finally"
        )

    def _unresolved_help(self, name: str) -> str:
        stars = [
            stmt.module
            for stmt in self.ctx.tree.body
            if isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names) and stmt.module is not None
            and stmt.module.startswith(f"{COOKBOOK_ROOT}.recipes.")
        ]
        attr = name.rpartition(".")[2]
        if len(stars) == 1:
            recipe = stars[0].rpartition(".")[2]
            return (
                f"import the recipe module explicitly. Replace `from {stars[0]} import *` with `from {COOKBOOK_ROOT}.recipes import {recipe}`, call"
                f" {recipe}.{attr}(...), then run `ftmigrate rewrite` again"
            )
        return (
            f"import the recipe module explicitly. Import it (`from {COOKBOOK_ROOT}.recipes import rl_loop`, with the recipe you"
            f" mean) and call rl_loop.{attr}(...), then run `ftmigrate rewrite` again"
        )

    def _unresolved_recipe(self, call: ast.Call) -> None:
        name = dotted(call.func) or ""
        if not (name == "Config" or name.endswith(".Config")):
            return
        legacy = [k.arg for k in call.keywords if k.arg is not None and k.arg in LEGACY_KEYWORDS]
        if legacy and not self.ctx.resolvable(call.func):
            self.ctx.report(
                call,
                "FTM091",
                f"{name}({legacy[0]}=...) looks like a legacy recipe Config, but its recipe cannot be resolved",
                help=self._unresolved_help(name),
            )

    def _unlisted_vendored_copy(self) -> None:
        """``from mylab.vendor.cookbook.utils import InfraConfig, setup_infra``: a module that is
        neither the cookbook nor listed in ``legacy-modules`` exports two or more names of the
        legacy surface. Nothing is rewritten; one finding per file suggests the setting.

        Only the module's import header is looked at (absolute imports at module level whose
        names include ``InfraConfig`` within the first ``prefilter.HINT_WINDOW`` bytes), which
        is what the byte prefilter lets through."""
        ctx = self.ctx
        found: list[tuple[ast.ImportFrom, str, list[str]]] = []
        for stmt in ctx.tree.body:
            if not isinstance(stmt, ast.ImportFrom) or stmt.level or not stmt.module:
                continue
            module = stmt.module
            if module.split(".")[0] == COOKBOOK_ROOT or module.startswith(SDK_MODULE):
                continue
            if any(module == root or module.startswith(root + ".") for root in ctx.options.vendored_roots):
                continue
            names = sorted({a.name for a in stmt.names if a.name in LEGACY_SYMBOLS})
            hinted = any(a.name == HINT.decode() and _in_header(ctx, a) for a in stmt.names)
            if len(names) >= 2 and hinted:
                found.append((stmt, module, names))
        if not found:
            return
        stmt, module, names = found[0]
        roots = sorted({_vendored_root(m) for _, m, _ in found})
        setting = "legacy-modules = [" + ", ".join(f'"{r}"' for r in roots) + "]"
        ctx.report(
            stmt,
            "FTM067",
            f"{module} exports {', '.join(names)} like the legacy cookbook: if it is a vendored copy, set {setting}",
            help=(
                f"add {setting} to [tool.ftmigrate] in pyproject.toml: then every use of the copy is reported (FTM063) and"
                f" none is rewritten into training.*; if {module} is not a copy of the cookbook, add"
                " `# ftmigrate: ignore[FTM067]` to this import"
            ),
            todo=False,  # a hint about the configuration: the file itself is left untouched
        )

    def _weight_sync_scope(self, node: ast.AST) -> None:
        """``WeightSyncScope.PER_DEPLOYMENT`` anywhere (a DeployConfig keyword, an assignment,
        a default): nothing at the target reads the scope, so the run syncs per trainer."""
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr == "PER_DEPLOYMENT":
            self._per_deployment(parent)

    def _scope_string(self, call: ast.Call) -> None:
        """``DeployConfig(weight_sync_scope="per_deployment")``, the enum's value as a string."""
        ref = self.ctx.ref(call.func)
        kw = keyword(call, "weight_sync_scope") if ref is not None and ref.kind == "target" and ref.name == "DeployConfig" else None
        if kw is not None and isinstance(kw.value, ast.Constant) and kw.value.value == "per_deployment":
            self._per_deployment(kw.value)

    def _per_deployment(self, node: ast.AST) -> None:
        self.ctx.report(
            node,
            "FTM066",
            f"{self.ctx.flat(node)}: nothing reads DeployConfig.weight_sync_scope at target {self.ctx.options.target}; weight sync is per trainer",
            help=(
                f"remove the per-deployment scope. Remove {self.ctx.flat(node)} (the deployment syncs from its trainer's bucket whatever it says). If this"
                " run exists to test per-deployment weight sync, it now tests per-trainer sync: retire it, or run it"
                " on a pinned legacy cookbook"
            ),
        )

    def _unknown_recipe(self, call: ast.Call, ref: Ref) -> None:
        """``distillation_loop.Config(infra=...)``: a recipe module ftmigrate does not know. Its
        fields cannot be looked up, so nothing in the call is ported (not even the InfraConfig
        inside): one finding, and the call stays as it was."""
        ctx = self.ctx
        found = ctx._legacy_arguments(call, ref.name)
        legacy = [x for x in found if x.endswith("=") or x == "positional managers"] or found
        name = ctx.flat(call.func)
        ctx.report(
            call,
            "FTM091",
            f"{ref.module} is not a recipe ftmigrate knows: {name}(...) is left as it was ({', '.join(legacy)})",
            help=(
                f"port this call by hand to the target fields. Port it by the convention all cookbook recipes share, checked against {ref.module}'s own"
                + (
                    " Config: trainer=TrainerConfig(...) for infra=, the cadence fields at top level for weight_sync=,"
                    " TrainerConfig(job_id=...) for the job ids"
                    if ref.name == "Config"
                    else " main(): main(config) alone, and release what it leaves running yourself"
                )
            ),
        )

    def _reconnectable_help(self, call: ast.Call) -> str:
        """The ``from_training_client`` call that replaces a legacy positional constructor call."""
        flat = self.ctx.flat
        names = ("rlor_mgr", "job_id", "base_model", "lora_rank", "default_timeout")
        given = dict(zip(names, (flat(a) for a in positional(call))))
        given.update((k.arg, flat(k.value)) for k in call.keywords if k.arg is not None)
        base = given.get("base_model", "base_model")
        rank = given.get("lora_rank", "0")
        extra = f", default_timeout={given['default_timeout']}" if "default_timeout" in given else ""
        return (
            f"use ReconnectableClient.from_training_client. Write {flat(call.func)}.from_training_client(service.create_training_client({base}, lora_rank={rank}),"
            f" job_id=service.trainer_job_id, base_model={base}, lora_rank={rank}, service=service{extra})"
            f" with the service from build_service_client(...) (it replaces {given.get('rlor_mgr', 'the trainer manager')}"
            + (f"; the service reattaches {given['job_id']} with trainer=TrainerConfig(job_id={given['job_id']})" if "job_id" in given else "")
            + ")"
        )


def _in_header(ctx: object, alias: ast.alias) -> bool:
    """Whether the byte prefilter sees ``alias``'s name: its ``HINT`` ends within the first
    ``HINT_WINDOW`` bytes of the file (counting a byte-order mark, to be safe)."""
    source = ctx.source  # type: ignore[attr-defined]
    start = source.offset(alias.lineno, source.column(alias.lineno, alias.col_offset))
    before = len(source.text[:start].encode("utf-8", "surrogatepass")) + 3
    return before + len(HINT) <= HINT_WINDOW


#: Module tails of the legacy cookbook's utilities, stripped to find a vendored copy's root.
_UTILS_TAILS = (".utils.config", ".utils.infra", ".utils.rl", ".utils")


def _vendored_root(module: str) -> str:
    """The ``legacy-modules`` entry for a vendored module: ``mypkg.training`` for
    ``mypkg.training.utils``, the module itself when it has no cookbook-like tail."""
    for tail in _UTILS_TAILS:
        if module.endswith(tail) and len(module) > len(tail):
            return module[: -len(tail)]
    return module


def _vendored_help(module: str, name: str) -> str:
    return (
        f"upgrade the vendored copy first. {module} is a vendored copy of the cookbook: upgrade it to target 2026-06 first (or switch to the"
        f" real cookbook's training.utils), then port this use of {name}; never rewrite it into training.* by hand"
    )
