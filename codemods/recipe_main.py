"""Recipe ``main(cfg, rlor_mgr=..., deploy_mgr=...)`` -> ``main(cfg)``, and the managers that only fed it
(migration rules 7 and 8). Safe, with lifecycle reports.

What: calls of a recipe's ``main`` lose the legacy trainer and deployment managers, positional
or keyword (the legacy parameter order comes from ``ftmigrate.api.legacy.surface``), and the
``cancel_on_exit=`` / ``cleanup_on_exit=`` / ``on_resources_ready=`` flags, which have no target
equivalent. A ``TrainerJobManager(...)`` / ``DeploymentManager(...)`` bound to a name that is
used only as such an argument is removed with its import; a manager used for anything else
stays.

Why: at target 2026-06 ``main(config)`` takes the config alone; the SDK-managed service
provisions (and the recipe no longer cleans up).

Lifecycle: every migrated call's report says what the legacy call cleaned up on exit and what
the target recipe leaves running. Legacy sft, orpo and dpo cancelled the trainers they created;
igpo did too, and scaled its deployment to zero with ``cancel_on_exit=True``; rl and async_rl
cleaned up only with ``cancel_on_exit=True``. At the target the recipes leave resources
running. A lost cleanup is FTM042, a removed flag FTM041; both leave a TODO.
"""

from __future__ import annotations

import libcst as cst

from ftmigrate.api.legacy.surface import LEGACY_CLEANUP, LEGACY_MAIN_PARAMS
from ftmigrate.api.recipes._base import LEGACY_KEYWORDS
from ftmigrate.cstutil import literal, positional, with_args
from ftmigrate.diagnostics import SAFE
from ftmigrate.transform import Codemod

MANAGERS = ("rlor_mgr", "deploy_mgr")
FLAGS = ("cancel_on_exit", "cleanup_on_exit", "on_resources_ready")
MANAGER_CLASSES = ("TrainerJobManager", "DeploymentManager")
#: Recipes whose target run serves from a deployment.
WITH_DEPLOYMENT = ("dpo_loop", "rl_loop", "igpo_loop", "async_rl_loop")


class RecipeMainCall(Codemod):
    CODES = ("FTM040", "FTM041", "FTM042")

    def prepare(self, module: cst.Module) -> None:
        """Find manager bindings used only as arguments the rewrite removes."""
        self.removed_args: dict[cst.Call, list[tuple[str, cst.Arg]]] = {}
        codemod = self
        consumed: set[cst.CSTNode] = set()

        class Finder(cst.CSTVisitor):
            def visit_Call(self, node: cst.Call) -> None:
                recipe = codemod.ctx.recipe(node.func, "main")
                if recipe is None:
                    return
                legacy = codemod._legacy_args(node, recipe)
                if legacy:
                    codemod.removed_args[node] = legacy
                    if codemod.ctx.would_apply(node, "FTM040"):
                        consumed.update(a.value for _, a in legacy)

        self.ctx.module.visit(Finder())
        for call, legacy in self.removed_args.items():
            for name, arg in legacy:
                if name in MANAGERS and isinstance(arg.value, cst.Name):
                    self._plan_manager_removal(arg.value, consumed)

    def _plan_manager_removal(self, name: cst.Name, consumed: set[cst.CSTNode]) -> None:
        bindings = self.ctx.bindings(name)
        if not bindings or len(bindings) != 1 or bindings[0].kind != "assign":
            return
        binding = bindings[0]
        value = binding.value
        if not isinstance(value, cst.Call):
            return
        ref = self.ctx.ref(value.func)
        if ref is None or ref.name not in MANAGER_CLASSES:
            return
        scope = self.ctx.scope(binding.node)
        if scope is None:
            return
        uses = [a.node for a in scope.accesses if any(getattr(r, "node", None) is binding.node for r in a.referents)]
        stmt = binding.statement
        if uses and all(u in consumed for u in uses) and isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            self.ctx.remove_statement(stmt)
            self.ctx.drop_imports_of(value.func)

    def _legacy_args(self, call: cst.Call, recipe: str) -> list[tuple[str, cst.Arg]]:
        params = LEGACY_MAIN_PARAMS[recipe]
        found: list[tuple[str, cst.Arg]] = []
        if recipe != "async_rl_loop":
            for index, arg in enumerate(positional(call)[1:]):
                if index < len(params):
                    found.append((params[index], arg))
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in (*MANAGERS, *FLAGS):
                found.append((arg.keyword.value, arg))
        return found

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        recipe = self.ctx.recipe(original.func, "main")
        if recipe is None:
            return updated
        legacy = self.removed_args.get(original)
        if not legacy:
            self._lifecycle_only(original, recipe)
            return updated
        names = [name for name, _ in legacy]
        flags = {name: arg for name, arg in legacy if name in FLAGS}
        cancel = self._truthy(flags.get("cancel_on_exit")) or self._truthy(flags.get("cleanup_on_exit"))
        before, after = self._lifecycle(recipe, cancel)
        fixable = self.ctx.report(
            original,
            "FTM040",
            f"{recipe}.main() takes the config alone at target 2026-06: dropped {', '.join(n + '=' for n in names)}; {before}, {after}",
            fix=SAFE,
            help=f"call {recipe}.main({self.ctx.code(original.args[0].value) if original.args else 'config'})",
        )
        for name, arg in flags.items():
            if name != "on_resources_ready" and literal(arg.value) in ((True, False), (True, None)):
                continue  # a false flag cleaned up nothing: dropping it changes nothing
            self.ctx.report(
                arg,
                "FTM041",
                f"{name}={self.ctx.code(arg.value)} has no target equivalent and was removed; {self._flag_effect(recipe, name)}",
                help="clean up after main() returns: delete the trainer job and scale or delete the deployment",
                anchor=original,
            )
        self._lost_cleanup(original, recipe, cancel)
        if not fixable:
            return updated
        removed = {id(arg) for _, arg in legacy}
        keep = [a for o, a in zip(original.args, updated.args) if id(o) not in removed]
        return with_args(updated, keep)

    def _truthy(self, arg: cst.Arg | None) -> bool | None:
        """True / False for a literal flag, None when absent; an expression counts as maybe."""
        if arg is None:
            return None
        known, value = literal(arg.value)
        return bool(value) if known else True

    def _lifecycle(self, recipe: str, cancel: bool | None) -> tuple[str, str]:
        legacy = LEGACY_CLEANUP[recipe]
        cleaned = []
        if legacy.trainers_always or (cancel and legacy.trainers_with_cancel):
            cleaned.append("cancelled the trainers it created")
        if cancel and legacy.deployment_with_cancel:
            cleaned.append("scaled its deployment to zero")
        before = f"legacy {recipe}.main " + (" and ".join(cleaned) if cleaned else "cleaned up nothing") + " on exit"
        left = "its trainer and deployment" if recipe in WITH_DEPLOYMENT else "its trainer"
        after = f"the target recipe leaves {left} running"
        return before, after

    def _flag_effect(self, recipe: str, name: str) -> str:
        legacy = LEGACY_CLEANUP[recipe]
        if name == "on_resources_ready":
            return "the callback is no longer called; read ids from the Config's trainer / deployment"
        effects = []
        if legacy.trainers_with_cancel and not legacy.trainers_always:
            effects.append("cancelled its trainers")
        if legacy.deployment_with_cancel == "scale_to_zero":
            effects.append("scaled its deployment to zero")
        elif legacy.deployment_with_cancel:
            effects.append("deleted its deployment")
        if not effects:
            return "for this recipe it changed nothing"
        return f"with a true value the legacy recipe {' and '.join(effects)} on exit; the target leaves them running"

    def _lost_cleanup(self, node: cst.Call, recipe: str, cancel: bool | None) -> None:
        legacy = LEGACY_CLEANUP[recipe]
        if legacy.trainers_always:
            self.ctx.report(
                node,
                "FTM042",
                f"legacy {recipe}.main cancelled the trainers it created on exit; the target recipe leaves them running",
                help="delete the trainer job when the run ends (reattached trainers were never cancelled and still are not)",
            )

    def _lifecycle_only(self, call: cst.Call, recipe: str) -> None:
        """A ``main(cfg)`` call whose Config is built here the legacy way: report the lifecycle."""
        if not call.args or not LEGACY_CLEANUP[recipe].trainers_always:
            return
        config = call.args[0].value
        if isinstance(config, cst.Name):
            bindings = self.ctx.bindings(config) or []
            values = [b.value for b in bindings if b.kind == "assign"]
            config = values[0] if len(values) == 1 else None
        if isinstance(config, cst.Call) and self.ctx.recipe(config.func, "Config"):
            if any(a.keyword is not None and a.keyword.value in LEGACY_KEYWORDS for a in config.args):
                self._lost_cleanup(call, recipe, None)
