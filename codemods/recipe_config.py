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

import libcst as cst

from ftmigrate.api.legacy.surface import LEGACY_CONFIG_FIELDS
from ftmigrate.api.recipes._base import IGNORED_LEGACY_KEYWORDS, LEGACY_KEYWORDS
from ftmigrate.codemods.infra_config import RENAMES as INFRA_RENAMES
from ftmigrate.codemods.weight_sync import RECIPE_FIELDS
from ftmigrate.cstutil import drop_keywords, flat, keyword, make_arg, rename_keyword, with_args
from ftmigrate.diagnostics import NONE, SAFE
from ftmigrate.transform import Codemod, dotted

#: Legacy keyword -> TrainerConfig field, for the job ids.
JOB_IDS = {k: v.split(".", 1)[1] for k, v in LEGACY_KEYWORDS.items() if v and v.startswith("trainer.")}


#: The code that reports a legacy recipe Config field where it cannot be ported here.
FIELD_CODES = {"infra": "FTM010", "weight_sync": "FTM011", "hotload": "FTM011", "rollout_base_model": "FTM022"}


def _field_code(name: str) -> str:
    return FIELD_CODES.get(name) or ("FTM020" if name in JOB_IDS else "FTM021")


class RecipeConfigTrainer(Codemod):
    CODES = ("FTM010", "FTM011", "FTM013", "FTM020", "FTM021", "FTM022")

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        recipe = self.ctx.config_recipe(original)
        replacing = None
        if recipe is None and self.ctx.is_call_to(original, "dataclasses.replace") and original.args:
            kind = self.ctx.value_kind(original.args[0].value)
            if kind is not None and kind[0] == "recipe":
                recipe, replacing = kind[1], original.args[0].value
        if recipe is None:
            self._partial_call(original)
            return updated
        self._fresh: set[int] = set()
        updated = self._infra(original, updated, recipe, replacing)
        updated = self._job_ids(original, updated, recipe, replacing)
        return self._dropped(original, updated, recipe)

    # -- what cannot be ported here: reported, with what to write ------------------------------

    def _report_fields(self, where: list[tuple[cst.CSTNode, str]], recipe: str, why: str, help: str) -> None:
        for node, name in where:
            self.ctx.report(node, _field_code(name), f"{name}= is gone from {recipe}.Config at target 2026-06, and {why}", help=help)

    def _partial_call(self, call: cst.Call) -> None:
        """``make(policy_job_id=...)`` where ``make = functools.partial(rl_loop.Config, ...)``."""
        if not isinstance(call.func, cst.Name):
            return
        bindings = self.ctx.bindings(call.func)
        if not bindings or any(b.kind != "assign" or not isinstance(b.value, cst.Call) for b in bindings):
            return
        recipes = {self.ctx.config_recipe(b.value) if self.ctx.is_call_to(b.value, "functools.partial") else None for b in bindings}  # type: ignore[arg-type]
        if len(recipes) != 1 or None in recipes:
            return
        recipe = recipes.pop()
        legacy = LEGACY_CONFIG_FIELDS[recipe]  # type: ignore[index]
        found = [(a, a.keyword.value) for a in call.args if a.keyword is not None and a.keyword.value in legacy]
        self._report_fields(
            found,
            recipe,  # type: ignore[arg-type]
            f"{call.func.value} is a functools.partial of it, so this call is not rewritten",
            f"pass the target keywords instead (trainer=TrainerConfig(job_id=...), the weight-sync fields at top level); if {call.func.value} already binds trainer=, write trainer=dataclasses.replace(<that TrainerConfig>, job_id=...)",
        )

    def _splatted(self, call: cst.Call, recipe: str) -> None:
        """``Config(**kwargs)`` where ``kwargs`` is a dict literal (bound once) with legacy keys."""
        legacy = LEGACY_CONFIG_FIELDS[recipe]
        for arg in call.args:
            if arg.star != "**" or not isinstance(arg.value, cst.Name):
                continue
            bindings = self.ctx.bindings(arg.value)
            if not bindings or len(bindings) != 1 or bindings[0].kind != "assign" or not isinstance(bindings[0].value, cst.Dict):
                continue
            found = [
                (element.key, element.key.evaluated_value)
                for element in bindings[0].value.elements
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)
                and element.key.evaluated_value in legacy
            ]
            self._report_fields(
                found,  # type: ignore[arg-type]
                recipe,
                f"it reaches {recipe}.Config through **{arg.value.value}, which is not rewritten",
                f"use the target keys in {arg.value.value}: 'trainer' (a TrainerConfig, job ids inside), the weight-sync fields as top-level keys; or pass these values as keywords so ftmigrate ports them",
            )

    def prepare(self, module: cst.Module) -> None:
        # Reported before the traversal: the nodes to flag stand in statements that come before
        # the one that shows the problem (their TODO goes above them).
        for call in self.ctx.nodes(cst.Call):
            recipe = self.ctx.config_recipe(call)
            if recipe is not None:
                self._splatted(call, recipe)
        for cls in self.ctx.nodes(cst.ClassDef):
            self._subclass(cls)

    def _subclass(self, original: cst.ClassDef) -> None:
        """A subclass of a recipe Config that redeclares a legacy field (``infra: InfraConfig = ...``)."""
        recipes = {self.ctx.recipe(base.value, "Config") for base in original.bases} - {None}
        if len(recipes) != 1:
            return
        recipe = recipes.pop()
        legacy = LEGACY_CONFIG_FIELDS[recipe]  # type: ignore[index]
        found = []
        for stmt in original.body.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.target.value in legacy:
                        found.append((small.target, small.target.value))
        self._report_fields(
            found,
            recipe,  # type: ignore[arg-type]
            f"{original.name.value} subclasses it and declares the field itself, so its instances keep the legacy shape",
            "declare the target field instead (trainer: TrainerConfig = field(default_factory=...), the weight-sync fields at top level); then ftmigrate can port the uses",
        )

    def _infra(self, original: cst.Call, updated: cst.Call, recipe: str, replacing: cst.BaseExpression | None) -> cst.Call:
        arg = keyword(original, "infra")
        if arg is None:
            return updated
        carried = None
        if replacing is not None and keyword(original, "trainer") is None:
            given = {JOB_IDS[a.keyword.value] for a in original.args if a.keyword is not None and a.keyword.value in JOB_IDS}
            carried = carry_job_ids(self.ctx, recipe, replacing, arg.value, _value_of(updated, "infra"), exclude=given)
            if carried is False:
                self.ctx.report(
                    arg,
                    "FTM020",
                    f"dataclasses.replace(..., infra=...) kept the job ids of the {recipe}.Config it copies; trainer= replaces them too",
                    help=f"bind the Config to a name, then write trainer=dataclasses.replace(<the new TrainerConfig>, {', '.join(f'{t}=<name>.trainer.{t}' for t in job_id_fields(recipe))})",
                )
                return updated
        if keyword(original, "trainer") is not None:
            self.ctx.report(
                arg,
                "FTM013",
                "infra= and trainer= are both given; the target takes trainer= only",
                help=f"merge the settings of infra={flat(arg.value)} into trainer={flat(keyword(original, 'trainer').value)} and remove infra=",
            )
            return updated
        if self.ctx.report(
            arg,
            "FTM010",
            f"{recipe}.Config(infra=...) is gone: use trainer=TrainerConfig(...)",
            fix=SAFE,
            help=self._infra_help(arg),
        ):
            args = []
            for a in updated.args:
                if _is(a, "infra"):
                    a = rename_keyword(a, "trainer")
                    if isinstance(carried, cst.BaseExpression):
                        a = a.with_changes(value=carried)
                        self._fresh.add(id(carried))
                args.append(a)
            return updated.with_changes(args=args)
        return updated

    def _infra_help(self, arg: cst.Arg) -> str:
        value = arg.value
        ref = self.ctx.ref(value.func) if isinstance(value, cst.Call) else None
        if ref is not None and ref.name == "InfraConfig" and ref.kind == "legacy":
            # The value as infra_config ports it (renamed keywords, managed_by dropped).
            kept = [a for a in value.args if not (a.keyword and INFRA_RENAMES.get(a.keyword.value, "") is None)]
            args = ", ".join(
                f"{INFRA_RENAMES.get(a.keyword.value) or a.keyword.value}={flat(a.value)}" if a.keyword else flat(a)
                for a in kept
            )
            func = flat(value.func)
            return f"write trainer={func.rpartition('InfraConfig')[0]}TrainerConfig({args}) in place of infra="
        return f"write trainer={flat(value)} in place of infra= (where that value is built, it becomes a TrainerConfig)"

    def _rollout_help(self, call: cst.Call, arg: cst.Arg, recipe: str) -> str:
        given = keyword(call, "base_model")
        base = flat(given.value) if given is not None else repr(RECIPE_FIELDS[recipe]["base_model"])
        return (
            f"remove rollout_base_model={flat(arg.value)}: the deployment serves base_model ({base}). If they name the"
            " same model, record that nothing changed; if not, ask which model the rollouts need"
        )

    def _job_ids(self, original: cst.Call, updated: cst.Call, recipe: str, replacing: cst.BaseExpression | None) -> cst.Call:
        legacy = LEGACY_CONFIG_FIELDS[recipe]
        ids = [a for a in original.args if a.keyword is not None and a.keyword.value in JOB_IDS and a.keyword.value in legacy]
        if not ids:
            return updated
        if replacing is None:
            # `policy_job_id=None` in a new Config is the default (no trainer to reattach); the
            # TrainerConfig's job ids default to None too: dropped, nothing to fold. (Not in
            # dataclasses.replace, where None resets an id the copied Config had.)
            nones = [a for a in ids if isinstance(a.value, cst.Name) and a.value.value == "None"]
            dropped = {
                a.keyword.value
                for a in nones
                if self.ctx.report(
                    a,
                    "FTM020",
                    f"{a.keyword.value}= is gone from {recipe}.Config: it is TrainerConfig({JOB_IDS[a.keyword.value]}=...) now",
                    fix=SAFE,
                    help=f"remove {a.keyword.value}=None: TrainerConfig.{JOB_IDS[a.keyword.value]} defaults to None",
                )
            }
            if dropped:
                updated = drop_keywords(updated, dropped)
            ids = [a for a in ids if a not in nones]
            if not ids:
                return updated
        trainer_arg = keyword(original, "trainer") or keyword(original, "infra")
        moves = [(a.keyword.value, JOB_IDS[a.keyword.value]) for a in ids]
        inline = trainer_arg is not None and self._inline_trainer(trainer_arg.value)
        if inline:
            taken = {a.keyword.value for a in trainer_arg.value.args if a.keyword is not None}
            clash = [(old, new) for old, new in moves if new in taken]
            if clash:
                old, new = clash[0]
                self.ctx.report(
                    next(a for a in ids if a.keyword.value == old),
                    "FTM013",
                    f"{old}= and trainer=TrainerConfig({new}=...) are both given; the call is left as it is until one is removed",
                    help=f"remove {old}={flat(next(a for a in ids if a.keyword.value == old).value)}: the TrainerConfig passed as trainer= already sets {new}={flat(keyword(trainer_arg.value, new).value)}",
                )
                return updated
        shown = ", ".join(f"{new}={self.ctx.code(a.value)}" for a, (_, new) in zip(ids, moves))
        if trainer_arg is None and replacing is None:
            where = f"add trainer=TrainerConfig({shown})"
        elif inline:
            where = f"add {shown} to the TrainerConfig(...) passed as trainer="
        elif replacing is not None and trainer_arg is None:
            where = f"write trainer=dataclasses.replace({self.ctx.code(replacing)}.trainer, {shown})"
        else:
            where = f"write trainer=dataclasses.replace({self.ctx.code(trainer_arg.value)}, {shown})"
        # dataclasses.replace(<call>, policy_job_id=...) would need the call twice: report only.
        twice = replacing is not None and trainer_arg is None and not isinstance(replacing, (cst.Name, cst.Attribute))
        fixable = False
        for a in ids:
            fixable = self.ctx.report(
                a,
                "FTM020",
                f"{a.keyword.value}= is gone from {recipe}.Config: it is TrainerConfig({JOB_IDS[a.keyword.value]}=...) now",
                fix=NONE if twice else SAFE,
                help=where + ("; bind the replaced Config to a name first" if twice else ""),
            )
        if not fixable:
            return updated
        id_names = {a.keyword.value for a in ids}
        # Keep each id's own comma: it carries the comment on its line into a multi-line trainer call.
        moved = [make_arg(new, _value_of(updated, old)).with_changes(comma=_arg_of(updated, old).comma) for old, new in moves]
        args: list[cst.Arg] = []
        inserted = False
        for a in updated.args:
            name = a.keyword.value if a.keyword is not None else None
            if name in id_names:
                if trainer_arg is None and not inserted:
                    args.append(make_arg("trainer", self._new_trainer(original, replacing, moved)))
                    inserted = True
                continue
            if name in ("trainer", "infra") and trainer_arg is not None:
                value = self._fold(a.value, moved, inline, trainer_arg.value)
                a = a.with_changes(value=value)
            args.append(a)
        return with_args(updated, args)

    def _inline_trainer(self, value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Call):
            return False
        ref = self.ctx.ref(value.func)
        return ref is not None and ref.name in ("InfraConfig", "TrainerConfig") and ref.kind in ("legacy", "target")

    def _fold(self, value: cst.BaseExpression, moved: list[cst.Arg], inline: bool, original: cst.BaseExpression) -> cst.BaseExpression:
        if inline and isinstance(value, cst.Call):
            return with_args(value, [*value.args, *moved])
        if (
            isinstance(value, cst.Call)
            and (id(value) in self._fresh or isinstance(original, cst.Call) and self.ctx.is_call_to(original, "dataclasses.replace"))
            and not any(a.keyword is not None and a.keyword.value in {m.keyword.value for m in moved} for a in value.args)
        ):
            return with_args(value, [*value.args, *moved])  # already a fresh copy: add to it
        return cst.Call(
            func=self.ctx.replace_function(),
            args=[cst.Arg(value=value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *_commas(moved)],
        )

    def _new_trainer(self, original: cst.Call, replacing: cst.BaseExpression | None, moved: list[cst.Arg]) -> cst.BaseExpression:
        if replacing is not None:
            base = cst.Attribute(value=replacing, attr=cst.Name("trainer"))
            return cst.Call(
                func=self.ctx.replace_function(),
                args=[cst.Arg(value=base, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *_commas(moved)],
            )
        return cst.Call(func=self.ctx.target_ref(original.func, "training.utils", "TrainerConfig"), args=_commas(moved))

    def _dropped(self, original: cst.Call, updated: cst.Call, recipe: str) -> cst.Call:
        legacy = LEGACY_CONFIG_FIELDS[recipe]
        drop: set[str] = set()
        for a in original.args:
            name = a.keyword.value if a.keyword is not None else None
            if name in IGNORED_LEGACY_KEYWORDS:
                if self.ctx.report(
                    a,
                    "FTM021",
                    f"{name}= was ignored by the legacy recipe and is gone at target 2026-06 (the rewrite drops it)",
                    fix=SAFE,
                    help=f"remove {name}={flat(a.value)} (the legacy recipe ignored it)",
                ):
                    drop.add(name)
            elif name == "rollout_base_model" and name in legacy:
                self.ctx.report(
                    a,
                    "FTM022",
                    f"rollout_base_model={self.ctx.code(a.value)} has no replacement, the deployment serves base_model (the rewrite drops it)",
                    help=self._rollout_help(original, a, recipe),
                )
                if self.ctx.would_apply(a, "FTM022"):
                    drop.add(name)
        if not drop:
            return updated
        return with_args(updated, [a for a in updated.args if not (a.keyword is not None and a.keyword.value in drop)])


def job_id_fields(recipe: str) -> list[str]:
    """The TrainerConfig fields that hold what were the recipe Config's own job id fields."""
    return sorted({JOB_IDS[name] for name in LEGACY_CONFIG_FIELDS[recipe] if name in JOB_IDS})


def carry_job_ids(
    ctx: object,
    recipe: str,
    receiver: cst.BaseExpression,
    original: cst.BaseExpression,
    value: cst.BaseExpression,
    exclude: set[str] = frozenset(),  # type: ignore[assignment]
) -> cst.BaseExpression | None | bool:
    """``value`` (the new trainer settings replacing ``receiver``'s) with ``receiver``'s job ids
    carried in: keywords added to an inline ``TrainerConfig(...)``/``InfraConfig(...)``, else a
    ``dataclasses.replace(value, ...)``. None: nothing to carry. False: ``receiver`` is not a
    plain name or attribute chain (reading it again could run code twice)."""
    fields = [f for f in job_id_fields(recipe) if f not in exclude]
    if not fields:
        return None
    if dotted(receiver) is None:
        return False
    reads = [make_arg(f, cst.parse_expression(f"{flat(receiver)}.trainer.{f}")) for f in fields]
    ref = ctx.ref(original.func) if isinstance(original, cst.Call) else None  # type: ignore[attr-defined]
    if (
        isinstance(value, cst.Call)
        and ref is not None
        and ref.name in ("InfraConfig", "TrainerConfig")
        and ref.kind in ("legacy", "target")
        and not any(a.star for a in value.args)
    ):
        taken = {a.keyword.value for a in value.args if a.keyword is not None}
        missing = [r for r in reads if r.keyword.value not in taken]
        return with_args(value, [*value.args, *missing]) if missing else None
    return cst.Call(
        func=ctx.replace_function(),  # type: ignore[attr-defined]
        args=[cst.Arg(value=value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *_commas(reads)],
    )



def _is(arg: cst.Arg, name: str) -> bool:
    return arg.keyword is not None and arg.keyword.value == name


def _arg_of(call: cst.Call, name: str) -> cst.Arg:
    arg = keyword(call, name)
    assert arg is not None
    return arg


def _value_of(call: cst.Call, name: str) -> cst.BaseExpression:
    return _arg_of(call, name).value


def _commas(args: list[cst.Arg]) -> list[cst.Arg]:
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [a.with_changes(comma=space if i < len(args) - 1 else cst.MaybeSentinel.DEFAULT) for i, a in enumerate(args)]
