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

import importlib

import libcst as cst

from ftmigrate.api.legacy.surface import LEGACY_CLEANUP, LEGACY_MAIN_PARAMS
from ftmigrate.api.recipes._base import LEGACY_KEYWORDS
from ftmigrate.cstutil import flat, keyword, literal, positional, with_args
from ftmigrate.diagnostics import SAFE
from ftmigrate.transform import Codemod

MANAGERS = ("rlor_mgr", "deploy_mgr")
FLAGS = ("cancel_on_exit", "cleanup_on_exit", "on_resources_ready")
MANAGER_CLASSES = ("TrainerJobManager", "DeploymentManager")
#: Recipes whose target run serves from a deployment (read from the bundled recipes).
WITH_DEPLOYMENT = tuple(
    r for r in LEGACY_MAIN_PARAMS if importlib.import_module(f"ftmigrate.api.recipes.{r}").NEEDS_DEPLOYMENT
)


class RecipeMainCall(Codemod):
    CODES = ("FTM040", "FTM041", "FTM042")

    def prepare(self, module: cst.Module) -> None:
        """Find manager bindings used only as arguments the rewrite removes."""
        self.removed_args: dict[cst.Call, list[tuple[str, cst.Arg]]] = {}
        consumed: set[cst.CSTNode] = set()
        for node in self.ctx.nodes(cst.Call):
            recipe = self.ctx.recipe(node.func, "main")
            if recipe is None:
                continue
            legacy = self._legacy_args(node, recipe)
            if legacy:
                self.removed_args[node] = legacy
                if self.ctx.would_apply(node, "FTM040"):
                    consumed.update(a.value for _, a in legacy)
        for legacy in self.removed_args.values():
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
            f"{recipe}.main() takes the config alone at target 2026-06 (the rewrite drops {', '.join(n + '=' for n in names)}); {before}, {after}",
            fix=SAFE,
            help=f"call {self._ported_call(original, legacy)}",
        )
        for name, arg in flags.items():
            if name != "on_resources_ready" and literal(arg.value) in ((True, False), (True, None)):
                continue  # a false flag cleaned up nothing: dropping it changes nothing
            self.ctx.report(
                arg,
                "FTM041",
                f"{name}={self.ctx.code(arg.value)} has no target equivalent (the rewrite removes it); {self._flag_effect(recipe, name)}",
                help=self._flag_help(original, recipe, name, arg),
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
        if legacy.trainers_always and self._run_facts(node)[1] is None:
            # (a run that reattaches its trainer by id lost nothing: legacy never cancelled those)
            self.ctx.report(
                node,
                "FTM042",
                f"legacy {recipe}.main cancelled the trainers it created on exit; the target recipe leaves them running",
                help=self._lost_cleanup_help(node, recipe),
            )

    # --- help texts: what to write at this call --------------------------------------------------

    @staticmethod
    def _ported_call(call: cst.Call, legacy: list[tuple[str, cst.Arg]]) -> str:
        removed = {id(arg) for _, arg in legacy}
        kept = [flat(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for a in call.args if id(a) not in removed]
        return f"{flat(call.func)}({', '.join(kept)})"

    @staticmethod
    def _main_keywords(call: cst.Call) -> str:
        """The keyword arguments a target ``main()`` keeps (async_rl_loop's ``rollout_fn_factory`` ...)."""
        kept = [a for a in call.args[1:] if a.keyword is not None and a.keyword.value not in (*MANAGERS, *FLAGS)]
        return "".join(f", {flat(a.with_changes(comma=cst.MaybeSentinel.DEFAULT))}" for a in kept)

    def _flag_help(self, call: cst.Call, recipe: str, name: str, arg: cst.Arg) -> str:
        config, job_id, deployment_id = self._run_facts(call)
        named = isinstance(call.args[0].value, (cst.Name, cst.Attribute)) if call.args else False
        cfg = config if named else "cfg"
        bound = "" if named else f" (bind cfg = {config} before the call)"
        if name == "on_resources_ready":
            return (
                f"the callback {flat(arg.value)} is no longer called: after {recipe}.main(...) returns, read what it"
                f" needed from the Config ({cfg}.trainer.job_id, {cfg}.deployment.deployment_id){bound}"
            )
        legacy = LEGACY_CLEANUP[recipe]
        when = "" if literal(arg.value)[0] else f" when {flat(arg.value)} is true"
        steps = []
        if legacy.deployment_with_cancel:
            target = deployment_id or f"{cfg}.deployment.deployment_id"
            step = (
                f"scale the deployment to zero after {self._ported_call(call, self.removed_args.get(call, []))} returns{when}, in a finally:"
                f" DeploymentManager(api_key=...).scale_to_zero({target}) (from fireworks.training.sdk)"
            )
            if deployment_id is None and not named:
                step += bound
            if deployment_id is None:
                step += " -- set DeployConfig(deployment_id=...) so it names the deployment the recipe used"
            steps.append(step)
        if legacy.trainers_with_cancel and not legacy.trainers_always:
            steps.append(self._trainer_step(recipe, config, job_id, self._main_keywords(call)))
        steps.append("or, if the resources are kept on purpose, replace the TODO with a NOTE saying so")
        return "; ".join(steps)

    def _lost_cleanup_help(self, call: cst.Call, recipe: str) -> str:
        config, _, _ = self._run_facts(call)
        return self._trainer_step(recipe, config, None, self._main_keywords(call)) + "; or keep the trainer on purpose and say so in a NOTE"

    def _trainer_step(self, recipe: str, config: str, job_id: str | None, keywords: str = "") -> str:
        if job_id is not None:
            return f"the policy trainer {job_id} is reattached: the legacy call never cancelled it, leave it running"
        return (
            f"to delete the trainer the recipe creates, as the legacy call did, run it on a trainer the script owns:"
            f" run_on_owned_trainer({recipe}.main, {config}, api_key=..., base_url=...{keywords}) from the ftmigrate skill's"
            " references/lifecycle.md (`ftmigrate skill` prints its folder)"
        )

    def _run_facts(self, call: cst.Call) -> tuple[str, str | None, str | None]:
        """The config passed to ``main()`` (as code), and the trainer job id it reattaches to and
        the deployment id it names, when the file shows them."""
        if not call.args:
            return "config", None, None
        expr = call.args[0].value
        config = self._config_call(expr)
        code = flat(expr)
        if config is None:
            return code, None, None
        job_id = None
        for name in ("policy_job_id", "trainer_job_id", "job_id"):
            arg = keyword(config, name)
            if arg is not None:
                job_id = flat(arg.value)
        trainer = keyword(config, "trainer") or keyword(config, "infra")
        if job_id is None and trainer is not None and isinstance(trainer.value, cst.Call):
            arg = keyword(trainer.value, "job_id")
            job_id = flat(arg.value) if arg is not None else None
        deployment = keyword(config, "deployment")
        deployment_id = None
        if deployment is not None and isinstance(deployment.value, cst.Call):
            arg = keyword(deployment.value, "deployment_id")
            deployment_id = flat(arg.value) if arg is not None else None
        return code, job_id, deployment_id

    def _config_call(self, expr: cst.BaseExpression, depth: int = 0) -> cst.Call | None:
        """The recipe ``Config(...)`` call that ``expr`` evaluates to, when this file shows it: the
        call itself, a name bound once to it, or a call of a local function that returns it."""
        if depth > 4:
            return None
        if isinstance(expr, cst.Call) and self.ctx.recipe(expr.func, "Config") is not None:
            return expr
        name = expr.func if isinstance(expr, cst.Call) else expr
        if not isinstance(name, cst.Name):
            return None
        bindings = self.ctx.bindings(name) or []
        if len(bindings) != 1:
            return None
        binding = bindings[0]
        if isinstance(expr, cst.Name) and binding.kind in ("assign", "annassign") and binding.value is not None:
            return self._config_call(binding.value, depth + 1)
        if isinstance(expr, cst.Call) and isinstance(binding.node, cst.FunctionDef):
            returns = _returns(binding.node)
            if len(returns) == 1 and returns[0].value is not None:
                return self._config_call(returns[0].value, depth + 1)
        return None

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


def _returns(fn: cst.FunctionDef) -> list[cst.Return]:
    """The ``return`` statements of ``fn`` itself (not of functions nested in it)."""
    found: list[cst.Return] = []

    class Visitor(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is fn

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

    fn.visit(Visitor())
    return found
