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
cleaned up only with ``cancel_on_exit=True``. At the target the recipes leave their policy
trainer and deployment running, and their service deletes a separate reference trainer it
created (rl, igpo, async_rl with a KL penalty, dpo; ``cleanup_reference_on_close``). A lost
cleanup is FTM042, a removed flag FTM041; a reference trainer the target deletes where legacy
left it running is FTM043; each leaves a TODO.
"""

from __future__ import annotations

import ast
import importlib
from typing import Any

from ftmigrate._lazy import cstutil
from ftmigrate.analysis import ASSIGN, Codemod, has_splat, keyword, literal, positional
from ftmigrate.api.legacy.surface import LEGACY_CLEANUP, LEGACY_MAIN_PARAMS
from ftmigrate.api.recipes._base import LEGACY_KEYWORDS
from ftmigrate.diagnostics import SAFE

MANAGERS = ("rlor_mgr", "deploy_mgr")
FLAGS = ("cancel_on_exit", "cleanup_on_exit", "on_resources_ready")


def legacy_main_args(call: ast.Call, recipe: str) -> list[tuple[str, ast.AST]]:
    """The legacy arguments of a recipe ``main()`` call: (parameter name, the argument node)."""
    params = LEGACY_MAIN_PARAMS[recipe]
    found: list[tuple[str, ast.AST]] = []
    if recipe != "async_rl_loop":
        for index, arg in enumerate(positional(call)[1:]):
            if index < len(params):
                found.append((params[index], arg))
    for kw in call.keywords:
        if kw.arg is not None and kw.arg in (*MANAGERS, *FLAGS):
            found.append((kw.arg, kw))
    return found
MANAGER_CLASSES = ("TrainerJobManager", "DeploymentManager")
#: Recipes whose target run serves from a deployment (read from the bundled recipes).
WITH_DEPLOYMENT = tuple(
    r for r in LEGACY_MAIN_PARAMS if importlib.import_module(f"ftmigrate.api.recipes.{r}").NEEDS_DEPLOYMENT
)


def _needs_reference(recipe: str) -> bool:
    module = importlib.import_module(f"ftmigrate.api.recipes.{recipe}")
    return bool(module.needs_reference(module.Config(log_path="/")))


#: Recipes whose default run has a reference model: when it is a trainer of its own (a
#: full-parameter run, or an explicit reference shape), the target's service deletes it on
#: close (``cleanup_reference_on_close``), where legacy cancelled it or left it running.
WITH_REFERENCE = tuple(r for r in LEGACY_MAIN_PARAMS if _needs_reference(r))


def target_cleanup(recipe: str) -> str:
    """What the target recipe does with its resources on exit, in words."""
    left = "its policy trainer and deployment" if recipe in WITH_DEPLOYMENT else "its policy trainer"
    text = f"the target recipe leaves {left} running"
    if recipe in WITH_REFERENCE:
        text += " and deletes a separate reference trainer it created"
    return text


class RecipeMainCall(Codemod):
    CODES = ("FTM040", "FTM041", "FTM042", "FTM043")

    def analyze(self) -> None:
        ctx = self.ctx
        self.removed_args: dict[int, list[tuple[str, ast.AST]]] = {}
        consumed: set[int] = set()
        calls = []
        for node in ctx.calls():
            recipe = ctx.recipe(node.func, "main")
            if recipe is None:
                continue
            calls.append((node, recipe))
            legacy = self._legacy_args(node, recipe)
            if legacy:
                self.removed_args[id(node)] = legacy
                if ctx.would_apply(node, "FTM040"):
                    consumed.update(id(_value(a)) for _, a in legacy)
        # Find manager bindings used only as arguments the rewrite removes.
        for legacy in self.removed_args.values():
            for name, arg in legacy:
                if name in MANAGERS and isinstance(_value(arg), ast.Name):
                    self._plan_manager_removal(_value(arg), consumed)  # type: ignore[arg-type]
        for call, recipe in calls:
            self._call(call, recipe)
        # `pool.map(sft_loop.main, configs)`: main passed as a value runs with the same lifecycle.
        called = {id(call.func) for call, _ in calls}
        for node, ref in ctx.references("recipe", "main"):
            if id(node) not in called and not ctx.in_import(node) and self._legacy_file():
                self._lost_cleanup(node, ref.recipe, None, passed=True)  # type: ignore[arg-type]
                self._reference_cleanup(node, ref.recipe, None)  # type: ignore[arg-type]

    def _legacy_file(self) -> bool:
        """Whether the file is still on the legacy surface: it uses a legacy name, or builds a
        recipe Config with a legacy keyword (then a recipe run in it is a legacy run)."""
        found = self.ctx.shared.get("legacy_file")
        if found is None:
            found = bool(self.ctx.references("legacy")) or any(
                self.ctx.config_recipe(call) is not None and any(k.arg in LEGACY_KEYWORDS for k in call.keywords)
                for call in self.ctx.calls()
            )
            self.ctx.shared["legacy_file"] = found
        return found

    def _plan_manager_removal(self, name: ast.Name, consumed: set[int]) -> None:
        ctx = self.ctx
        bindings = ctx.bindings(name)
        if not bindings or len(bindings) != 1 or bindings[0].kind != ASSIGN:
            return
        binding = bindings[0]
        value = binding.value
        if not isinstance(value, ast.Call):
            return
        ref = ctx.ref(value.func)
        if ref is None or ref.name not in MANAGER_CLASSES:
            return
        uses = ctx.reads_of(binding)
        stmt = binding.statement
        if uses and all(id(u) in consumed for u in uses) and isinstance(stmt, ast.Assign) and ctx.alone_on_line(stmt):
            if id(stmt) not in ctx.removed:
                ctx.remove_statement(stmt)
                ctx.drop_imports_of(value.func)

    def _legacy_args(self, call: ast.Call, recipe: str) -> list[tuple[str, ast.AST]]:
        return legacy_main_args(call, recipe)

    def _call(self, call: ast.Call, recipe: str) -> None:
        ctx = self.ctx
        legacy = self.removed_args.get(id(call))
        if not legacy:
            self._lifecycle_only(call, recipe)
            return
        names = [name for name, _ in legacy]
        flags = {name: arg for name, arg in legacy if name in FLAGS}
        cancel = self._truthy(flags.get("cancel_on_exit")) or self._truthy(flags.get("cleanup_on_exit"))
        target = ctx.options.target
        # A target whose recipe has a cleanup flag of its own: target_upgrade writes it (FTM086).
        mapped = ctx.profile.lifecycle(recipe).flag is not None
        if mapped:
            lifecycle = f"what it does on exit is set with {ctx.profile.lifecycle(recipe).flag}= on its Config (FTM086)"
        else:
            lifecycle = ", ".join(self._lifecycle(recipe, cancel))
        fixable = ctx.report(
            call,
            "FTM040",
            f"{recipe}.main() takes the config alone at target {target} (the rewrite drops {', '.join(n + '=' for n in names)}); {lifecycle}",
            fix=SAFE,
            help=f"call {self._ported_call(call, legacy)}",
        )
        for name, arg in flags.items():
            if name != "on_resources_ready" and literal(_value(arg)) in ((True, False), (True, None)):
                continue  # a false flag cleaned up nothing: dropping it changes nothing
            if mapped and name != "on_resources_ready":
                continue  # kept as the recipe's own flag (FTM086)
            ctx.report(
                arg,
                "FTM041",
                f"{name}={ctx.code(_value(arg))} has no target equivalent (the rewrite removes it); {self._flag_effect(recipe, name)}",
                help=self._flag_help(call, recipe, name, arg),
                anchor=call,
            )
        self._lost_cleanup(call, recipe, cancel)
        self._reference_cleanup(call, recipe, cancel)
        if not fixable:
            return
        order = _source_order(call)
        removed = {i for i, node in enumerate(order) if any(node is a for _, a in legacy)}
        room = self._room(call)

        def drop(original: Any, updated: Any) -> Any:
            keep = [a for i, a in enumerate(updated.args) if i not in removed]
            # `main(\n    config,\n)` left by the drop reads as `main(config)` when it fits.
            return cstutil.joined(cstutil.with_args(updated, keep), room)

        ctx.edit(call, drop)

    def _room(self, call: ast.Call) -> int:
        """How much of the call's line the code around the call takes (before it on its first
        line, after it on its last), for joining the call onto one line."""
        source = self.ctx.source
        (l1, c1), (l2, c2) = source.start(call), source.end(call)
        return c1 + len(source.line(l2)[c2:].rstrip("\r\n"))

    def _truthy(self, arg: ast.AST | None) -> bool | None:
        """True / False for a literal flag, None when absent; an expression counts as maybe."""
        if arg is None:
            return None
        known, value = literal(_value(arg))
        return bool(value) if known else True

    def _lifecycle(self, recipe: str, cancel: bool | None) -> tuple[str, str]:
        legacy = LEGACY_CLEANUP[recipe]
        cleaned = []
        if legacy.trainers_always or (cancel and legacy.trainers_with_cancel):
            cleaned.append("cancelled the trainers it created")
        if cancel and legacy.deployment_with_cancel:
            cleaned.append("scaled its deployment to zero")
        before = f"legacy {recipe}.main " + (" and ".join(cleaned) if cleaned else "cleaned up nothing") + " on exit"
        after = target_cleanup(recipe)
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

    def _lost_cleanup(self, node: ast.AST, recipe: str, cancel: bool | None, passed: bool = False) -> None:
        legacy = LEGACY_CLEANUP[recipe]
        if self.ctx.profile.lifecycle(recipe).flag is not None:
            return  # the target recipe cleans up itself: target_upgrade keeps it (FTM086)
        if not legacy.trainers_always:
            return
        if passed:  # main passed as a value: its configs are not known here
            self.ctx.report(
                node,
                "FTM042",
                f"{recipe}.main is passed as a value: legacy {recipe}.main cancelled the trainers it created on exit; {target_cleanup(recipe)}",
                help=(
                    "delete created trainers after each run returns. Wrap the function you pass so that it deletes the"
                    " trainer each run creates, as the legacy recipe did (run_on_owned_trainer in the ftmigrate skill's"
                    " references/lifecycle.md); or keep the trainers on purpose and say so in a NOTE"
                ),
            )
            return
        # Decided from the job id's value: a run that reattaches its trainer by id lost nothing
        # (legacy never cancelled those); None created one; a value not known here may be either.
        given = self._job_id_value(node)
        known, value = literal(given) if given is not None else (True, None)
        if known and value is not None:
            return
        if known:
            message = f"legacy {recipe}.main cancelled the trainers it created on exit; {target_cleanup(recipe)}"
        else:
            message = (
                f"legacy {recipe}.main cancelled the trainer it created on exit (when {self.ctx.flat(given)} is None,"  # type: ignore[arg-type]
                f" it creates one); {target_cleanup(recipe)}"
            )
        self.ctx.report(node, "FTM042", message, help=self._lost_cleanup_help(node, recipe))

    def _job_id_value(self, call: ast.Call) -> ast.AST | None:
        """The trainer job id expression the Config passed to ``main()`` reattaches to, when
        the file shows the Config (None: no job id given)."""
        config = self._config_call(call.args[0]) if call.args else None
        if config is None:
            return None
        found = None
        for name in ("policy_job_id", "trainer_job_id", "job_id"):
            kw = keyword(config, name)
            if kw is not None:
                found = kw.value
        trainer = keyword(config, "trainer") or keyword(config, "infra")
        if found is None and trainer is not None and isinstance(trainer.value, ast.Call):
            kw = keyword(trainer.value, "job_id")
            found = kw.value if kw is not None else None
        return found

    # --- help texts: what to write at this call --------------------------------------------------

    def _ported_call(self, call: ast.Call, legacy: list[tuple[str, ast.AST]]) -> str:
        kept = [self._shown(a) for a in _source_order(call) if not any(a is b for _, b in legacy)]
        return f"{self.ctx.flat(call.func)}({', '.join(kept)})"

    def _shown(self, arg: ast.AST) -> str:
        if isinstance(arg, ast.keyword):
            return f"{arg.arg}={self.ctx.flat(arg.value)}" if arg.arg is not None else f"**{self.ctx.flat(arg.value)}"
        if isinstance(arg, ast.Starred):
            return f"*{self.ctx.flat(arg.value)}"
        return self.ctx.flat(arg)

    def _main_keywords(self, call: ast.Call) -> str:
        """The keyword arguments a target ``main()`` keeps (async_rl_loop's ``rollout_fn_factory`` ...)."""
        kept = [k for k in call.keywords if k.arg is not None and k.arg not in (*MANAGERS, *FLAGS)]
        return "".join(f", {self._shown(k)}" for k in kept)

    def _flag_help(self, call: ast.Call, recipe: str, name: str, arg: ast.AST) -> str:
        ctx = self.ctx
        config, job_id, deployment_id = self._run_facts(call)
        named = isinstance(call.args[0], (ast.Name, ast.Attribute)) if call.args else False
        cfg = config if named else "cfg"
        bound = "" if named else f" (bind cfg = {config} before the call)"
        if name == "on_resources_ready":
            return (
                f"read the ids from the Config after main(). The callback {ctx.flat(_value(arg))} is no longer called: after"
                f" {recipe}.main(...) returns, read what it needed from the Config ({cfg}.trainer.job_id,"
                f" {cfg}.deployment.deployment_id){bound}"
            )
        legacy = LEGACY_CLEANUP[recipe]
        when = "" if literal(_value(arg))[0] else f" when {ctx.flat(_value(arg))} is true"
        steps = []
        if legacy.deployment_with_cancel:
            target = deployment_id or f"{cfg}.deployment.deployment_id"
            step = (
                f"scale the deployment to zero after {self._ported_call(call, self.removed_args.get(id(call), []))} returns{when}, in a finally:"
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
        release = [
            *(["the trainer"] if legacy.trainers_with_cancel and not legacy.trainers_always and job_id is None else []),
            *(["the deployment"] if legacy.deployment_with_cancel else []),
        ]
        if legacy.deployment_with_cancel and len(release) == 1:
            first = "scale the deployment to zero after main()"
        elif release:
            first = f"release {' and '.join(release)} after main()"
        else:
            first = "nothing to release here: say so in a NOTE"
        condition = f" if {ctx.flat(_value(arg))}" if when else ""
        if release and len(first + condition) <= 54:  # the condition, when the TODO has room for it
            first += condition
        text = "; ".join(steps)
        return f"{first}. {text[:1].upper()}{text[1:]}"

    def _lost_cleanup_help(self, call: ast.Call, recipe: str) -> str:
        config, _, _ = self._run_facts(call)
        step = self._trainer_step(recipe, config, None, self._main_keywords(call))
        return f"delete a created trainer after main() returns. {step[:1].upper()}{step[1:]}; or keep the trainer on purpose and say so in a NOTE"

    def _trainer_step(self, recipe: str, config: str, job_id: str | None, keywords: str = "") -> str:
        if job_id is not None:
            return f"the policy trainer {job_id} is reattached: the legacy call never cancelled it, leave it running"
        return (
            f"to delete the trainer the recipe creates, as the legacy call did, run it on a trainer the script owns:"
            f" run_on_owned_trainer({recipe}.main, {config}, api_key=..., base_url=...{keywords}) from the ftmigrate skill's"
            " references/lifecycle.md (`ftmigrate skill` prints its folder)"
        )

    def _run_facts(self, call: ast.Call) -> tuple[str, str | None, str | None]:
        """The config passed to ``main()`` (as code), and the trainer job id it reattaches to and
        the deployment id it names, when the file shows them."""
        ctx = self.ctx
        if not call.args:
            return "config", None, None
        expr = call.args[0]
        config = self._config_call(expr)
        code = ctx.flat(expr)
        if config is None:
            return code, None, None
        job_id = None
        for name in ("policy_job_id", "trainer_job_id", "job_id"):
            kw = keyword(config, name)
            if kw is not None:
                job_id = ctx.flat(kw.value)
        trainer = keyword(config, "trainer") or keyword(config, "infra")
        if job_id is None and trainer is not None and isinstance(trainer.value, ast.Call):
            kw = keyword(trainer.value, "job_id")
            job_id = ctx.flat(kw.value) if kw is not None else None
        if job_id == "None":
            job_id = None  # no trainer to reattach: the recipe creates one
        deployment = keyword(config, "deployment")
        deployment_id = None
        if deployment is not None and isinstance(deployment.value, ast.Call):
            kw = keyword(deployment.value, "deployment_id")
            deployment_id = ctx.flat(kw.value) if kw is not None else None
        return code, job_id, deployment_id

    def _config_call(self, expr: ast.AST) -> ast.Call | None:
        """The recipe Config (or partial of one) a ``main()`` argument is, when the file shows it."""
        return self.ctx.config_call(expr, loose=True)

    def _lifecycle_only(self, call: ast.Call, recipe: str) -> None:
        """A ``main(cfg)`` call whose Config is built here the legacy way: report the lifecycle."""
        if not call.args:
            return
        config = self._config_call(call.args[0])
        if config is None:
            # A Config this file does not show (a parameter, another module's): a run in a file
            # that is still on the legacy surface is a legacy run.
            if not self._legacy_file():
                return
        elif not any(k.arg is not None and k.arg in LEGACY_KEYWORDS for k in config.keywords):
            return
        if LEGACY_CLEANUP[recipe].trainers_always:
            self._lost_cleanup(call, recipe, None)
        self._reference_cleanup(call, recipe, None)

    def _reference_cleanup(self, node: ast.AST, recipe: str, cancel: bool | None) -> None:
        """FTM043: the target recipe's service deletes a separate reference trainer it created
        (``cleanup_reference_on_close``) where legacy rl / async_rl, without a true
        ``cancel_on_exit``, left it running. ``node`` is the ``main(...)`` call, or ``main``
        passed as a value. Not reported when the Config shows there is none (no KL penalty, or
        a LoRA run that shares the policy session); when the file does not show the Config
        (the callers report those only in a file still on the legacy surface), or not all of
        it, the message says the run may create one."""
        legacy = LEGACY_CLEANUP[recipe]
        if recipe not in WITH_REFERENCE or legacy.trainers_always or cancel:
            return
        if self.ctx.profile.lifecycle(recipe).flag is not None:
            return  # the target recipe's own flag governs its cleanup: target_upgrade writes it (FTM086)
        call = node if isinstance(node, ast.Call) else None
        config = self._config_call(call.args[0]) if call is not None and call.args else None
        separate = self._separate_reference(config) if config is not None else None
        if separate is False:
            return
        left = f"legacy {recipe}.main left it running"
        if separate:
            message = f"the target {recipe}.main deletes the separate reference trainer it creates on exit; {left}"
        else:
            if call is None:
                unknown = f"{recipe}.main is passed as a value, its Configs are not shown here"
            elif config is None:
                unknown = "its Config is not shown here"
            else:
                unknown = "the Config does not show whether it has one"
            message = (
                f"the target {recipe}.main deletes on exit a separate reference trainer the run may create (with a KL"
                f" penalty on a full-parameter run, or a reference shape; {unknown}); {left}"
            )
        self.ctx.report(
            node,
            "FTM043",
            message,
            help=(
                "keep the reference: cleanup_reference_on_close=False. Pass"
                " TrainerConfig(cleanup_reference_on_close=False) as trainer= if something reuses the reference trainer"
                " after the run; otherwise nothing to do (the target frees it), say so in a NOTE"
            ),
        )

    def _separate_reference(self, config: ast.Call) -> bool | None:
        """Whether a run of this Config creates a reference trainer of its own: it has a KL
        penalty (``kl_beta`` not 0) and is full-parameter or names a reference shape. False
        when the Config shows there is none, None when it does not show enough (an expression,
        a ``**mapping`` or a ``functools.partial`` that may set the fields it leaves out)."""
        ctx = self.ctx
        # Fields the call leaves out have their defaults, unless something else may set them.
        open_ended = has_splat(config) or ctx.is_call_to(config, "functools.partial")
        kl = keyword(config, "kl_beta")
        if kl is not None:
            known, value = literal(kl.value)
            if known and value in (0, 0.0):
                return False
            kl_penalty = True if known and isinstance(value, (int, float)) and value > 0 else None
        else:
            kl_penalty = None if open_ended else True  # the default kl_beta is a KL penalty
        rank = keyword(config, "lora_rank")
        if rank is not None:
            known, value = literal(rank.value)
            lora = (isinstance(value, int) and value > 0) if known else None
        else:
            lora = None if open_ended else False
        if lora is False:
            return kl_penalty  # full-parameter: a KL penalty needs a reference trainer of its own
        trainer = keyword(config, "trainer") or keyword(config, "infra")
        if trainer is None:
            shape: bool | None = None if open_ended else False
        elif isinstance(trainer.value, ast.Call) and not has_splat(trainer.value):
            shape = any(keyword(trainer.value, n) is not None for n in ("ref_training_shape_id", "reference_training_shape_id"))
        else:
            shape = None
        if lora and shape is False:
            return False  # LoRA, no reference shape: the reference shares the policy session
        if shape and kl_penalty:
            return True  # an explicit reference shape on a run with a KL penalty
        return None


def _value(arg: ast.AST) -> ast.AST:
    """The value of an argument (a keyword's value, or the positional expression itself)."""
    return arg.value if isinstance(arg, ast.keyword) else arg


def _source_order(call: ast.Call) -> list[ast.AST]:
    """The call's arguments in source order: the order of the LibCST call's ``args``."""
    return sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))
