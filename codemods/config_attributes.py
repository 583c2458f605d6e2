"""Attribute reads and writes of legacy recipe Config fields (migration rule 6). Safe.

What: on a value known to be a recipe Config (bound from a recipe ``Config(...)`` call or
``dataclasses.replace`` of one, or annotated with a recipe Config):

* ``cfg.infra`` -> ``cfg.trainer`` (a following InfraConfig field is renamed by
  ``infra_config``: ``cfg.infra.ref_training_shape_id`` -> ``cfg.trainer.reference_training_shape_id``);
* ``cfg.weight_sync.<field>`` / ``cfg.hotload.<field>`` -> ``cfg.<top-level field>`` where the
  recipe has that field;
* ``cfg.policy_job_id`` (and the other top-level ids) -> ``cfg.trainer.job_id``.

Reads and writes alike (``cfg.infra.region = "us"`` works the same way).

Why: at target 2026-06 these fields live on ``trainer`` or at the top level of the Config.

Left to a person: a cadence field the recipe does not have, the nested object itself
(``ws = cfg.weight_sync``), or a legacy field with no replacement is FTM032; the same access
on a receiver whose type cannot be told from the file is FTM031 (reported, not rewritten).
"""

from __future__ import annotations

import dataclasses

import libcst as cst

from ftmigrate.api.config import TARGET, HotloadConfig, InfraConfig, WeightSyncConfig, migration_target
from ftmigrate.api.legacy.surface import LEGACY_CONFIG_FIELDS
from ftmigrate.api.recipes._base import LEGACY_KEYWORDS
from ftmigrate.codemods.recipe_config import carry_job_ids, job_id_fields
from ftmigrate.codemods.weight_sync import RECIPE_FIELDS
from ftmigrate.cstutil import flat
from ftmigrate.diagnostics import SAFE
from ftmigrate.transform import Codemod

NESTED = {"weight_sync": WeightSyncConfig, "hotload": HotloadConfig}
NESTED_TARGETS = {
    name: {f.name: f.metadata[TARGET] for f in dataclasses.fields(cls)} for name, cls in NESTED.items()
}
INFRA_FIELDS = frozenset(f.name for f in dataclasses.fields(InfraConfig))
JOB_IDS = {k: v.split(".", 1)[1] for k, v in LEGACY_KEYWORDS.items() if v and v.startswith("trainer.")}


class ConfigAttributes(Codemod):
    CODES = ("FTM030", "FTM031", "FTM032")

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        attr = original.attr.value
        inner = original.value
        # cfg.weight_sync.<field>: rewritten as a whole at the outer attribute.
        if isinstance(inner, cst.Attribute) and inner.attr.value in NESTED:
            return self._nested_field(original, updated, inner)
        if attr == "infra":
            return self._infra(original, updated)
        if attr in NESTED:
            parent = self.ctx.parent(original)
            if not (isinstance(parent, cst.Attribute) and parent.value is original and parent.attr.value in NESTED_TARGETS[attr]):
                self._nested_alone(original)
            return updated
        if attr in JOB_IDS:
            return self._job_id(original, updated)
        return updated

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        """``cfg.infra = X`` replaced the trainer settings and kept ``cfg``'s job ids (fields of
        their own); ``cfg.trainer = X`` would drop them: they are carried into ``X``."""
        if len(original.targets) != 1:
            return updated
        target = original.targets[0].target
        if not (isinstance(target, cst.Attribute) and target.attr.value == "infra"):
            return updated
        recipe = self._recipe(target.value)
        new_target = updated.targets[0].target
        if recipe is None or not (isinstance(new_target, cst.Attribute) and new_target.attr.value == "trainer"):
            return updated  # not ported (unknown receiver, or suppressed): nothing to carry
        carried = carry_job_ids(self.ctx, recipe, target.value, original.value, updated.value)
        if carried is False:
            self.ctx.report(
                original.value,
                "FTM032",
                f"{recipe}.Config kept its job ids apart from .infra; assigning .trainer replaces them too",
                help=f"bind {flat(target.value)} to a name, then carry its ids: <name>.trainer = dataclasses.replace(<new value>, {', '.join(f'{f}=<name>.trainer.{f}' for f in job_id_fields(recipe))})",
            )
            return updated
        return updated.with_changes(value=carried) if isinstance(carried, cst.BaseExpression) else updated

    def _recipe(self, receiver: cst.BaseExpression) -> str | None:
        kind = self.ctx.value_kind(receiver)
        return kind[1] if kind is not None and kind[0] == "recipe" else None

    def _infra(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        recipe = self._recipe(original.value)
        if recipe is None:
            parent = self.ctx.parent(original)
            if isinstance(parent, cst.Attribute) and parent.attr.value in INFRA_FIELDS and parent.value is original:
                self._unknown(parent, f".infra.{parent.attr.value}", f".trainer.{_infra_target(parent.attr.value)}")
            return updated
        if self.ctx.report(
            original,
            "FTM030",
            f"{recipe}.Config has no .infra: the trainer settings are .trainer",
            fix=SAFE,
            help=self._infra_help(original),
        ):
            return updated.with_changes(attr=cst.Name("trainer"))
        return updated

    def _infra_help(self, original: cst.Attribute) -> str:
        parent = self.ctx.parent(original)
        receiver = flat(original.value)
        if isinstance(parent, cst.Attribute) and parent.value is original and parent.attr.value in INFRA_FIELDS:
            field = parent.attr.value
            if migration_target(InfraConfig, field) is None:
                return f"write {receiver}.trainer; TrainerConfig has no {field}, so remove the use of {receiver}.infra.{field}"
            return f"write {receiver}.trainer.{_infra_target(field)}"
        return f"write {receiver}.trainer"

    def _nested_field(self, original: cst.Attribute, updated: cst.Attribute, inner: cst.Attribute) -> cst.BaseExpression:
        nested, name = inner.attr.value, original.attr.value
        if name not in NESTED_TARGETS[nested]:
            return updated
        target = NESTED_TARGETS[nested][name]
        recipe = self._recipe(inner.value)
        if recipe is None:
            self._unknown(original, f".{nested}.{name}", f".{target}" if target else "nothing (no replacement)")
            return updated
        if target is None or target not in RECIPE_FIELDS[recipe]:
            self.ctx.report(
                original,
                "FTM032",
                f"{recipe}.Config has no {target or name}: .{nested}.{name} has no replacement",
                help=(
                    f"remove the use of {flat(original)}: async_rl_loop syncs weights after every optimizer step (the interval is always 1)"
                    if target == "weight_sync_interval"
                    else f"remove the use of {flat(original)}: {name} has no replacement at target 2026-06 (the service owns it)"
                    if target is None
                    else f"remove the use of {flat(original)}: {recipe}.Config has no {target}"
                ),
            )
            return updated
        if self.ctx.report(
            original,
            "FTM030",
            f".{nested}.{name} is gone: {recipe}.Config has {target} at top level",
            fix=SAFE,
            help=f"write {self.ctx.code(inner.value)}.{target}",
        ):
            receiver = updated.value.value if isinstance(updated.value, cst.Attribute) else inner.value
            return updated.with_changes(value=receiver, attr=cst.Name(target))
        return updated

    def _nested_alone(self, original: cst.Attribute) -> None:
        recipe = self._recipe(original.value)
        if recipe is None:
            return
        parent = self.ctx.parent(original)
        if isinstance(parent, cst.AssignTarget) and self.ctx.parent(parent) in self.ctx.shared.get("spread_assignments", ()):
            return  # `cfg.weight_sync = WeightSyncConfig(...)`: the weight_sync codemod spreads it
        fields = [f for f in ("weight_sync_interval", "weight_sync_before_training", "weight_sync_timeout", "dcp_save_interval") if f in RECIPE_FIELDS[recipe]]
        self.ctx.report(
            original,
            "FTM032",
            f"{recipe}.Config has no nested .{original.attr.value} object at target 2026-06",
            help=f"use the top-level fields instead of {flat(original)}: {', '.join(f'{flat(original.value)}.{f}' for f in fields)}",
        )

    def _job_id(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = original.attr.value
        recipe = self._recipe(original.value)
        if recipe is None or name not in LEGACY_CONFIG_FIELDS[recipe]:
            return updated
        target = JOB_IDS[name]
        if self.ctx.report(
            original,
            "FTM030",
            f"{recipe}.Config has no .{name}: it is .trainer.{target}",
            fix=SAFE,
            help=f"write {self.ctx.code(original.value)}.trainer.{target}",
        ):
            return updated.with_changes(
                value=cst.Attribute(value=updated.value, attr=cst.Name("trainer")), attr=cst.Name(target)
            )
        return updated

    def _unknown(self, node: cst.Attribute, legacy: str, target: str) -> None:
        owner = node.value.value if isinstance(node.value, cst.Attribute) else node.value
        if self.ctx.foreign(owner):
            return  # a look-alike: the receiver is known to be another project's object
        code = flat(node)
        receiver = code[: -len(legacy)] if code.endswith(legacy) else "the receiver"
        self.ctx.report(
            node,
            "FTM031",
            f"{legacy} looks like a legacy recipe Config field, but the receiver's type is unknown here",
            help=(
                f"if {receiver} is a recipe Config, "
                + (f"write {receiver}{target}" if target.startswith(".") else f"remove the use of {code}: it has no replacement")
                + f"; or annotate it (`{receiver}: <recipe>.Config`, e.g. `rl_loop.Config`) and run `ftmigrate rewrite` again"
            ),
        )



def _infra_target(name: str) -> str:
    target = migration_target(InfraConfig, name)
    return target.split(".", 1)[1] if target else name
