"""Recipe ``Config(infra=...)`` and top-level job ids -> ``trainer=`` (migration rules 2 and 5). Safe.

What: in a recipe ``Config(...)`` call (or ``dataclasses.replace`` of a known recipe Config):

* ``infra=X`` becomes ``trainer=X`` (``X`` itself is rewritten by ``infra_config``);
* ``policy_job_id`` (rl, igpo, dpo, async_rl), ``job_id`` (orpo) and ``trainer_job_id`` (sft)
  become ``TrainerConfig(job_id=...)``, ``reference_job_id`` (rl, igpo, dpo)
  ``TrainerConfig(reference_job_id=...)``: folded into an inline ``trainer=TrainerConfig(...)``;
  a ``trainer=`` that is any other expression becomes ``dataclasses.replace(expr, job_id=...)``
  so a shared object is not mutated; without ``trainer=`` one is added;
* ``policy_base_url`` / ``reference_base_url`` / ``trainer_base_url`` (ignored by the legacy
  recipes) are dropped;
* ``dataclasses.replace(cfg, infra=X)`` (and, in ``config_attributes``, ``cfg.infra = X``)
  replaced only the trainer settings: the job ids were fields of their own and survived. At
  target they live in ``trainer``, so the ids ``cfg`` had are carried into the new value
  (``TrainerConfig(..., job_id=cfg.trainer.job_id)``, or ``dataclasses.replace(X, job_id=...)``)
  -- replacing ``trainer`` whole would silently drop a reattach id.

Why: at target 2026-06 the recipe Configs take the trainer settings, reattach ids included,
as ``trainer=TrainerConfig(...)`` and reject the legacy keywords.

Left to a person: ``rollout_base_model`` has no replacement (dropped, FTM022); a value given
both ways is FTM013. Which keyword goes where comes from ``LEGACY_KEYWORDS`` of the bundled
recipes and the per-recipe legacy fields of ``ftmigrate.api.legacy.surface``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ftmigrate._lazy import cst, cstutil
from ftmigrate.analysis import ASSIGN, Analysis, Codemod, dotted, has_splat, keyword, returned_values
from ftmigrate.api.legacy.surface import LEGACY_CONFIG_FIELDS
from ftmigrate.api.recipes._base import IGNORED_LEGACY_KEYWORDS, LEGACY_KEYWORDS
from ftmigrate.codemods.infra_config import RENAMES as INFRA_RENAMES
from ftmigrate.codemods.weight_sync import RECIPE_FIELDS
from ftmigrate.diagnostics import NONE, SAFE

#: Legacy keyword -> TrainerConfig field, for the job ids.
JOB_IDS = {k: v.split(".", 1)[1] for k, v in LEGACY_KEYWORDS.items() if v and v.startswith("trainer.")}


#: The code that reports a legacy recipe Config field where it cannot be ported here.
FIELD_CODES = {"infra": "FTM010", "weight_sync": "FTM011", "hotload": "FTM011", "rollout_base_model": "FTM022"}


def _field_action(name: str, form: str) -> str:
    """What to write instead of the legacy field ``name``, in a few words: as a keyword of a call
    (``form`` "keyword"), a field a subclass declares ("field"), a key of a ``**mapping`` ("key")."""
    if name in ("infra", "weight_sync", "hotload") or name in JOB_IDS:
        what = {
            "infra": ("trainer=TrainerConfig(...)", "trainer: TrainerConfig", "the key 'trainer'"),
            "weight_sync": ("the cadence fields at top level", "the cadence fields at top level", "the cadence fields as keys"),
            "hotload": ("the cadence fields at top level", "the cadence fields at top level", "the cadence fields as keys"),
        }.get(name, ("trainer=TrainerConfig(job_id=...)", "the ids in trainer: TrainerConfig", "the id inside the 'trainer' value"))
        verb, index = {"keyword": ("pass", 0), "field": ("declare", 1), "key": ("use", 2)}[form]
        return f"{verb} {what[index]} instead"
    if name == "rollout_base_model":
        return "remove rollout_base_model (no replacement)"
    return f"remove {name} (the legacy recipe ignored it)"


def _field_code(name: str) -> str:
    return FIELD_CODES.get(name) or ("FTM020" if name in JOB_IDS else "FTM021")


class RecipeConfigTrainer(Codemod):
    CODES = ("FTM010", "FTM011", "FTM013", "FTM020", "FTM021", "FTM022", "FTM023")

    def analyze(self) -> None:
        ctx = self.ctx
        # Reported first: the nodes to flag stand in statements that come before the one that
        # shows the problem (their TODO goes above them).
        for call in ctx.calls():
            recipe = ctx.config_recipe(call)
            if recipe is not None:
                self._splatted(call, recipe)
        for cls in ctx.nodes(ast.ClassDef):
            self._subclass(cls)
        partials = self._partial_names()
        if partials:
            for call in ctx.nodes(ast.Call):
                if isinstance(call.func, ast.Name) and call.func.id in partials:
                    self._partial_call(call)
        for call in ctx.calls():
            recipe = ctx.config_recipe(call)
            replacing = None
            if recipe is None and call.args and ctx.is_call_to(call, "dataclasses.replace"):
                kind = ctx.value_kind(call.args[0])
                if kind is not None and kind[0] == "recipe":
                    recipe, replacing = kind[1], call.args[0]
            if recipe is None:
                continue
            self._infra(call, recipe, replacing)
            self._job_ids(call, recipe, replacing)
            self._dropped(call, recipe)

    # -- what cannot be ported here: reported, with what to write ------------------------------

    def _report_fields(self, where: list[tuple[ast.AST, str]], recipe: str, why: str, help: str, form: str = "keyword") -> None:
        for node, name in where:
            action = _field_action(name, form)
            self.ctx.report(
                node,
                _field_code(name),
                f"{name}= is gone from {recipe}.Config at target {self.ctx.options.target}, and {why}",
                help=f"{action}. {help[:1].upper()}{help[1:]}",
            )

    def _partial_names(self) -> set[str]:
        """Names bound to a ``functools.partial(...)`` call somewhere in the module."""
        return {
            b.name
            for b in self.ctx.resolver.all_bindings()
            if b.kind == ASSIGN and isinstance(b.value, ast.Call) and self.ctx.is_call_to(b.value, "functools.partial")
        }

    def _partial_call(self, call: ast.Call) -> None:
        """``make(policy_job_id=...)`` where ``make = functools.partial(rl_loop.Config, ...)``."""
        ctx = self.ctx
        if not isinstance(call.func, ast.Name):
            return
        bindings = ctx.bindings(call.func)
        if not bindings or any(b.kind != ASSIGN or not isinstance(b.value, ast.Call) for b in bindings):
            return
        recipes = {ctx.config_recipe(b.value) if ctx.is_call_to(b.value, "functools.partial") else None for b in bindings}  # type: ignore[arg-type]
        if len(recipes) != 1 or None in recipes:
            return
        recipe = recipes.pop()
        legacy = LEGACY_CONFIG_FIELDS[recipe]  # type: ignore[index]
        found = [(k, k.arg) for k in call.keywords if k.arg is not None and k.arg in legacy]
        self._report_fields(
            found,  # type: ignore[arg-type]
            recipe,  # type: ignore[arg-type]
            f"{call.func.id} is a functools.partial of it, so this call is not rewritten",
            f"pass the target keywords instead (trainer=TrainerConfig(job_id=...), the weight-sync fields at top level); if {call.func.id} already binds trainer=, write trainer=dataclasses.replace(<that TrainerConfig>, job_id=...)",
        )

    def _splatted(self, call: ast.Call, recipe: str) -> None:
        """``Config(**kwargs)`` where ``kwargs`` is a dict literal with legacy keys: bound once to
        the literal, or to a call of a helper of this file that returns one."""
        ctx = self.ctx
        legacy = LEGACY_CONFIG_FIELDS[recipe]
        for kw in call.keywords:
            if kw.arg is not None:
                continue
            for mapping in self._dict_literals(kw.value):
                found = [
                    (key, key.value)
                    for key in mapping.keys
                    if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value in legacy
                ]
                shown = ctx.flat(kw.value)
                self._report_fields(
                    found,  # type: ignore[arg-type]
                    recipe,
                    f"it reaches {recipe}.Config through **{shown}, which is not rewritten",
                    f"use the target keys in {shown}: 'trainer' (a TrainerConfig, job ids inside), the weight-sync fields as top-level keys; or pass these values as keywords so ftmigrate ports them",
                    form="key",
                )

    def _dict_literals(self, value: ast.AST, depth: int = 0) -> list[ast.Dict]:
        """The dict literals ``value`` is known to be: itself, a name bound once to one, or the
        values a helper of this file returns."""
        ctx = self.ctx
        if depth > 3:
            return []
        if isinstance(value, ast.Dict):
            return [value]
        if isinstance(value, ast.Name):
            bindings = ctx.bindings(value)
            if bindings and len(bindings) == 1 and bindings[0].kind == ASSIGN and bindings[0].value is not None:
                return self._dict_literals(bindings[0].value, depth + 1)
            return []
        if isinstance(value, ast.Call):
            fn = ctx.local_function(value.func)
            if fn is not None:
                return [d for v in returned_values(fn) if v is not None for d in self._dict_literals(v, depth + 1)]
        return []

    def _subclass(self, cls: ast.ClassDef) -> None:
        """A subclass of a recipe Config that redeclares a legacy field (``infra: InfraConfig = ...``)."""
        recipes = {self.ctx.recipe(base, "Config") for base in cls.bases} - {None}
        if len(recipes) != 1:
            return
        recipe = recipes.pop()
        legacy = LEGACY_CONFIG_FIELDS[recipe]  # type: ignore[index]
        found = [
            (stmt.target, stmt.target.id)
            for stmt in cls.body
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id in legacy
        ]
        self._report_fields(
            found,  # type: ignore[arg-type]
            recipe,  # type: ignore[arg-type]
            f"{cls.name} subclasses it and declares the field itself, so its instances keep the legacy shape",
            "declare the target field instead (trainer: TrainerConfig = field(default_factory=...), the weight-sync fields at top level); then ftmigrate can port the uses",
            form="field",
        )

    # -- infra= ----------------------------------------------------------------------------------

    def _infra(self, call: ast.Call, recipe: str, replacing: ast.AST | None) -> None:
        ctx = self.ctx
        kw = keyword(call, "infra")
        if kw is None:
            return
        carried: Carry | None = None
        if replacing is not None and keyword(call, "trainer") is None:
            given = {JOB_IDS[k.arg] for k in call.keywords if k.arg in JOB_IDS}
            plan = plan_carry(ctx, recipe, replacing, kw.value, exclude=given)
            if plan is False:
                ctx.report(
                    kw,
                    "FTM020",
                    f"dataclasses.replace(..., infra=...) kept the job ids of the {recipe}.Config it copies; trainer= replaces them too",
                    help=f"bind the copied Config to a name first. Then write trainer=dataclasses.replace(<the new TrainerConfig>, {', '.join(f'{t}=<name>.trainer.{t}' for t in job_id_fields(recipe))})",
                )
                return
            carried = plan  # type: ignore[assignment]
        if keyword(call, "trainer") is not None:
            ctx.report(
                kw,
                "FTM013",
                "infra= and trainer= are both given; the target takes trainer= only",
                help=f"merge infra= into trainer=, then remove infra=. Merge the settings of infra={ctx.flat(kw.value)} into trainer={ctx.flat(keyword(call, 'trainer').value)}",  # type: ignore[union-attr]
            )
            return
        if not ctx.report(kw, "FTM010", f"{recipe}.Config(infra=...) is gone: use trainer=TrainerConfig(...)", fix=SAFE, help=self._infra_help(kw)):
            return
        carry = carried.bind(ctx) if carried is not None else None
        if carry is None:
            ctx.rename_keyword(kw, "trainer")
            return

        def rename(original: Any, updated: Any) -> Any:
            args = []
            for a in updated.args:
                if a.keyword is not None and a.keyword.value == "infra":
                    a = cstutil.rename_keyword(a, "trainer").with_changes(value=carry(a.value))
                args.append(a)
            return updated.with_changes(args=args)

        ctx.edit(call, rename)

    def _infra_help(self, kw: ast.keyword) -> str:
        ctx = self.ctx
        value = kw.value
        ref = ctx.ref(value.func) if isinstance(value, ast.Call) else None
        if ref is not None and ref.name == "InfraConfig" and ref.kind == "legacy":
            # The value as infra_config ports it (renamed keywords, managed_by dropped).
            parts = [ctx.flat(a) for a in value.args]  # type: ignore[union-attr]
            for k in value.keywords:  # type: ignore[union-attr]
                if k.arg is None:
                    parts.append(f"**{ctx.flat(k.value)}")
                elif INFRA_RENAMES.get(k.arg, "") is not None:
                    parts.append(f"{INFRA_RENAMES.get(k.arg) or k.arg}={ctx.flat(k.value)}")
            func = ctx.flat(value.func)  # type: ignore[union-attr]
            return f"write trainer={func.rpartition('InfraConfig')[0]}TrainerConfig({', '.join(parts)}) in place of infra="
        return f"write trainer={ctx.flat(value)} in place of infra= (where that value is built, it becomes a TrainerConfig)"

    def _rollout_help(self, call: ast.Call, kw: ast.keyword, recipe: str) -> str:
        given = keyword(call, "base_model")
        base = self.ctx.flat(given.value) if given is not None else repr(RECIPE_FIELDS[recipe]["base_model"])
        return (
            f"record the dropped rollout_base_model={self.ctx.flat(kw.value)}. The deployment serves base_model ({base}):"
            " if they name the same model, nothing changed; if not, ask which model the rollouts need"
        )

    # -- job ids -----------------------------------------------------------------------------------

    def _passed_on(self, call: ast.Call, ids: list[ast.keyword]) -> None:
        """FTM023: the Config is bound to a name whose ``.infra`` (``.trainer``) is passed on
        whole; the ids moved into the trainer now travel with it."""
        ctx = self.ctx
        parent = ctx.parent(call)
        if not (isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is call):
            return
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        if len(targets) != 1 or not isinstance(targets[0], ast.Name):
            return
        name = targets[0]
        binding = next((b for b in ctx.bindings_in(ctx.scope(name), name.id) if b.value is call), None)  # type: ignore[arg-type]
        if binding is None:
            return
        for read in ctx.reads_of(binding):
            attr = ctx.parent(read)
            if not (isinstance(attr, ast.Attribute) and attr.value is read and attr.attr in ("infra", "trainer")):
                continue
            if isinstance(attr.ctx, ast.Load) and self._passes_on(attr):
                shown = ", ".join(f"{k.arg}={ctx.flat(k.value)}" for k in ids)
                use = ctx.flat(ctx.statement_of(attr))  # type: ignore[arg-type]
                use = use if len(use) <= 60 else use[:57] + "..."
                ctx.report(
                    ids[0],
                    "FTM023",
                    f"{shown} moves into {name.id}.trainer, and {name.id}.{attr.attr} is passed on whole ({use}):"
                    " at the target the value passed on carries the job id (legacy kept it apart)",
                    help=(
                        f"pass on {name.id}.trainer with job_id=None unless it should reattach. Write"
                        f" dataclasses.replace({name.id}.trainer, job_id=None) where it is passed on: legacy {name.id}.infra"
                        " held no job id; if reattaching to the same trainer is intended, say so in a NOTE"
                    ),
                )
                return

    def _passes_on(self, node: ast.Attribute) -> bool:
        """Whether ``node``'s value goes on as a whole: bound to a name, returned, passed as a
        trainer / infra keyword, or copied (``dataclasses.replace``, ``copy.copy``)."""
        ctx = self.ctx
        user = ctx.parent(node)
        if isinstance(user, (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.Return)):
            return user.value is node
        if isinstance(user, ast.keyword):
            return user.arg in ("infra", "trainer", "infra_cfg")
        if isinstance(user, ast.Call) and user.args and user.args[0] is node:
            return any(ctx.is_call_to(user, q) for q in ("dataclasses.replace", "copy.copy", "copy.deepcopy"))
        return False

    def _job_ids(self, call: ast.Call, recipe: str, replacing: ast.AST | None) -> None:
        ctx = self.ctx
        legacy = LEGACY_CONFIG_FIELDS[recipe]
        ids = [k for k in call.keywords if k.arg is not None and k.arg in JOB_IDS and k.arg in legacy]
        if not ids:
            return
        if replacing is None:
            # `policy_job_id=None` in a new Config is the default (no trainer to reattach); the
            # TrainerConfig's job ids default to None too: dropped, nothing to fold. (Not in
            # dataclasses.replace, where None resets an id the copied Config had.)
            nones = [k for k in ids if isinstance(k.value, ast.Constant) and k.value.value is None]
            dropped = {
                k.arg
                for k in nones
                if ctx.report(
                    k,
                    "FTM020",
                    f"{k.arg}= is gone from {recipe}.Config: it is TrainerConfig({JOB_IDS[k.arg]}=...) now",  # type: ignore[index]
                    fix=SAFE,
                    help=f"remove {k.arg}=None: TrainerConfig.{JOB_IDS[k.arg]} defaults to None",  # type: ignore[index]
                )
            }
            if dropped:
                ctx.edit(call, lambda original, updated: cstutil.drop_keywords(updated, dropped))
            ids = [k for k in ids if k not in nones]
            if not ids:
                return
        trainer_kw = keyword(call, "trainer") or keyword(call, "infra")
        moves = [(k.arg, JOB_IDS[k.arg]) for k in ids]  # type: ignore[index]
        inline = trainer_kw is not None and self._inline_trainer(trainer_kw.value)
        if inline:
            taken = {k.arg for k in trainer_kw.value.keywords if k.arg is not None}  # type: ignore[union-attr]
            clash = [(old, new) for old, new in moves if new in taken]
            if clash:
                old, new = clash[0]
                first = next(k for k in ids if k.arg == old)
                ctx.report(
                    first,
                    "FTM013",
                    f"{old}= and trainer=TrainerConfig({new}=...) are both given; the call is left as it is until one is removed",
                    help=f"remove {old}= or {new}= from trainer=. The TrainerConfig passed as trainer= already sets {new}={ctx.flat(keyword(trainer_kw.value, new).value)}; {old}={ctx.flat(first.value)} says otherwise: ask which one is meant",  # type: ignore[union-attr, arg-type]
                )
                return
        shown = ", ".join(f"{new}={ctx.code(k.value)}" for k, (_, new) in zip(ids, moves))
        if trainer_kw is None and replacing is None:
            where = f"add trainer=TrainerConfig({shown})"
        elif inline:
            where = f"add {shown} to the TrainerConfig(...) passed as trainer="
        elif replacing is not None and trainer_kw is None:
            where = f"write trainer=dataclasses.replace({ctx.code(replacing)}.trainer, {shown})"
        else:
            where = f"write trainer=dataclasses.replace({ctx.code(trainer_kw.value)}, {shown})"  # type: ignore[union-attr]
        # dataclasses.replace(<call>, policy_job_id=...) would need the call twice: report only.
        twice = replacing is not None and trainer_kw is None and not isinstance(replacing, (ast.Name, ast.Attribute))
        fixable = False
        for k in ids:
            fixable = ctx.report(
                k,
                "FTM020",
                f"{k.arg}= is gone from {recipe}.Config: it is TrainerConfig({JOB_IDS[k.arg]}=...) now",  # type: ignore[index]
                fix=NONE if twice else SAFE,
                help=("bind the copied Config to a name first. Then " + where) if twice else where,
            )
        if not twice and "FTM020" in ctx.options.enabled:
            self._passed_on(call, ids)  # (lint reports it as the rewrite will: the move is certain)
        if not fixable:
            return
        id_names = {k.arg for k in ids}
        new_names = {new for _, new in moves}
        trainer_value = trainer_kw.value if trainer_kw is not None else None
        # Whether the trainer value, as the earlier edits leave it, takes the ids as keywords:
        # an inline TrainerConfig, the copy that carries a replaced Config's ids, a replace().
        extend = trainer_kw is not None and (
            inline
            or (trainer_kw is keyword(call, "infra") and replacing is not None and self._carries(call, recipe, replacing))
            or (
                isinstance(trainer_value, ast.Call)
                and ctx.is_call_to(trainer_value, "dataclasses.replace")
                and not any(k.arg in new_names for k in trainer_value.keywords)
            )
        )
        needs_replace = (trainer_kw is None and replacing is not None) or (trainer_kw is not None and not extend)
        replace_text = ctx.replace_function() if needs_replace else None
        trainer_text = ctx.target_ref(call.func, "training.utils", "TrainerConfig") if trainer_kw is None and replacing is None else None

        def fold(original: Any, updated: Any) -> Any:
            moved = [
                cstutil.make_arg(new, cstutil.keyword(updated, old).value).with_changes(comma=cstutil.keyword(updated, old).comma)
                for old, new in moves
            ]
            args: list[Any] = []
            inserted = False
            for a in updated.args:
                name = a.keyword.value if a.keyword is not None else None
                if name in id_names:
                    if trainer_kw is None and not inserted:
                        args.append(cstutil.make_arg("trainer", self._new_trainer(updated, replace_text, trainer_text, moved)))
                        inserted = True
                    continue
                if name in ("trainer", "infra") and trainer_kw is not None:
                    a = a.with_changes(value=_fold(a.value, moved, extend, replace_text))
                args.append(a)
            return cstutil.with_args(updated, args)

        ctx.edit(call, fold)

    def _carries(self, call: ast.Call, recipe: str, replacing: ast.AST) -> bool:
        """Whether ``infra=`` of this replace() is ported with the copied Config's ids carried."""
        infra = keyword(call, "infra")
        if infra is None or keyword(call, "trainer") is not None or not self.ctx.would_apply(infra, "FTM010"):
            return False
        given = {JOB_IDS[k.arg] for k in call.keywords if k.arg in JOB_IDS}
        return isinstance(plan_carry(self.ctx, recipe, replacing, infra.value, exclude=given), Carry)

    def _inline_trainer(self, value: ast.AST) -> bool:
        if not isinstance(value, ast.Call):
            return False
        ref = self.ctx.ref(value.func)
        return ref is not None and ref.name in ("InfraConfig", "TrainerConfig") and ref.kind in ("legacy", "target")

    @staticmethod
    def _new_trainer(updated: Any, replace_text: str | None, trainer_text: str | None, moved: list[Any]) -> Any:
        if replace_text is not None:
            base = cst.Attribute(value=updated.args[0].value, attr=cst.Name("trainer"))
            return cst.Call(
                func=cst.parse_expression(replace_text),
                args=[cst.Arg(value=base, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *_commas(moved)],
            )
        return cst.Call(func=cst.Name(trainer_text), args=_commas(moved))

    # -- ignored and dropped keywords ----------------------------------------------------------------

    def _dropped(self, call: ast.Call, recipe: str) -> None:
        ctx = self.ctx
        legacy = LEGACY_CONFIG_FIELDS[recipe]
        drop: set[str] = set()
        for k in call.keywords:
            name = k.arg
            if name in IGNORED_LEGACY_KEYWORDS:
                if ctx.report(
                    k,
                    "FTM021",
                    f"{name}= was ignored by the legacy recipe and is gone at target {self.ctx.options.target} (the rewrite drops it)",
                    fix=SAFE,
                    help=f"remove {name}={ctx.flat(k.value)} (the legacy recipe ignored it)",
                ):
                    drop.add(name)  # type: ignore[arg-type]
            elif name == "rollout_base_model" and name in legacy:
                ctx.report(
                    k,
                    "FTM022",
                    f"rollout_base_model={ctx.code(k.value)} has no replacement, the deployment serves base_model (the rewrite drops it)",
                    help=self._rollout_help(call, k, recipe),
                )
                if ctx.would_apply(k, "FTM022"):
                    drop.add(name)
        if drop:
            ctx.edit(call, lambda original, updated: cstutil.drop_keywords(updated, drop))


def _fold(value: Any, moved: list[Any], extend: bool, replace_text: str | None) -> Any:
    """The trainer value with the job ids added: as keywords of a call that may take them (an
    inline TrainerConfig, a copy the rewrite made), else through ``dataclasses.replace``."""
    if extend and isinstance(value, cst.Call):
        return cstutil.with_args(value, [*value.args, *moved])
    return cst.Call(
        func=cst.parse_expression(replace_text or "dataclasses.replace"),
        args=[cst.Arg(value=value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *_commas(moved)],
    )


def job_id_fields(recipe: str) -> list[str]:
    """The TrainerConfig fields that hold what were the recipe Config's own job id fields."""
    return sorted({JOB_IDS[name] for name in LEGACY_CONFIG_FIELDS[recipe] if name in JOB_IDS})


@dataclass
class Carry:
    """How to carry a Config's job ids into new trainer settings: keywords added to an inline
    ``TrainerConfig(...)`` / ``InfraConfig(...)`` (``extend``), else ``dataclasses.replace``."""

    reads: list[tuple[str, str]]  # (TrainerConfig field, code reading the old value)
    extend: bool

    def bind(self, ctx: Analysis) -> Callable[[Any], Any]:
        """The edit of the new value (registers the ``dataclasses`` import it may need)."""
        replace_text = None if self.extend else ctx.replace_function()
        reads = self.reads

        def carry(value: Any) -> Any:
            args = [cstutil.make_arg(field, cst.parse_expression(code)) for field, code in reads]
            if replace_text is None and isinstance(value, cst.Call):
                taken = {a.keyword.value for a in value.args if a.keyword is not None}
                missing = [a for a in args if a.keyword.value not in taken]
                return cstutil.with_args(value, [*value.args, *missing]) if missing else value
            return cst.Call(
                func=cst.parse_expression(replace_text or "dataclasses.replace"),
                args=[cst.Arg(value=value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *_commas(args)],
            )

        return carry


def plan_carry(ctx: Analysis, recipe: str, receiver: ast.AST, value: ast.AST, exclude: set[str] = frozenset()) -> Carry | None | bool:  # type: ignore[assignment]
    """How ``value`` (new trainer settings replacing ``receiver``'s) gets ``receiver``'s job ids.
    None: nothing to carry. False: ``receiver`` is not a plain name or attribute chain (reading
    it again could run code twice)."""
    fields = [f for f in job_id_fields(recipe) if f not in exclude]
    if not fields:
        return None
    if dotted(receiver) is None:
        return False
    reads = [(f, f"{ctx.flat(receiver)}.trainer.{f}") for f in fields]
    ref = ctx.ref(value.func) if isinstance(value, ast.Call) else None
    if (
        isinstance(value, ast.Call)
        and ref is not None
        and ref.name in ("InfraConfig", "TrainerConfig")
        and ref.kind in ("legacy", "target")
        and not has_splat(value)
    ):
        taken = {k.arg for k in value.keywords if k.arg is not None}
        missing = [r for r in reads if r[0] not in taken]
        return Carry(missing, extend=True) if missing else None
    return Carry(reads, extend=False)


def _commas(args: list[Any]) -> list[Any]:
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [a.with_changes(comma=space if i < len(args) - 1 else cst.MaybeSentinel.DEFAULT) for i, a in enumerate(args)]
