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

import ast
import dataclasses
import re
from typing import Any

from ftmigrate._lazy import cst
from ftmigrate.analysis import Codemod
from ftmigrate.api.config import TARGET, HotloadConfig, InfraConfig, WeightSyncConfig, migration_target
from ftmigrate.api.legacy.surface import LEGACY_CONFIG_FIELDS
from ftmigrate.api.recipes._base import LEGACY_KEYWORDS
from ftmigrate.codemods.infra_config import removed_reason, renames_at
from ftmigrate.codemods.recipe_config import job_id_fields, plan_carry
from ftmigrate.codemods.weight_sync import CADENCE, fields_at, removed_at
from ftmigrate.diagnostics import SAFE

NESTED = {"weight_sync": WeightSyncConfig, "hotload": HotloadConfig}
NESTED_TARGETS = {
    name: {f.name: f.metadata[TARGET] for f in dataclasses.fields(cls)} for name, cls in NESTED.items()
}
INFRA_FIELDS = frozenset(f.name for f in dataclasses.fields(InfraConfig))
#: InfraConfig field -> its TrainerConfig field (None: no replacement).
INFRA_TARGETS = {name: (lambda t: t.split(".", 1)[1] if t else None)(migration_target(InfraConfig, name)) for name in INFRA_FIELDS}
JOB_IDS = {k: v.split(".", 1)[1] for k, v in LEGACY_KEYWORDS.items() if v and v.startswith("trainer.")}
_PLAIN_CHAIN = re.compile(r"[ \t]*\.[ \t]*\w+[ \t]*\.[ \t]*\w+")
#: Attribute names this codemod looks at (anything else is skipped at once).
INTERESTING = frozenset({"infra", *NESTED, *JOB_IDS, *(f for fields in NESTED_TARGETS.values() for f in fields)})


class ConfigAttributes(Codemod):
    CODES = ("FTM030", "FTM031", "FTM032")

    def analyze(self) -> None:
        for node in self.ctx.nodes(ast.Attribute):
            if node.attr in INTERESTING:
                self._attribute(node)
        for assign in self.ctx.nodes(ast.Assign):
            target = assign.targets[0] if len(assign.targets) == 1 else None
            if isinstance(target, ast.Attribute) and target.attr == "infra":
                self._assign_infra(assign)

    def _attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        inner = node.value
        # cfg.weight_sync.<field>: rewritten as a whole at the outer attribute.
        if isinstance(inner, ast.Attribute) and inner.attr in NESTED:
            self._nested_field(node, inner)
        elif attr == "infra":
            self._infra(node)
        elif attr in NESTED:
            parent = self.ctx.parent(node)
            if not (isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in NESTED_TARGETS[attr]):
                self._nested_alone(node)
        elif attr in JOB_IDS:
            self._job_id(node)

    def _assign_infra(self, assign: ast.Assign) -> None:
        """``cfg.infra = X`` replaced the trainer settings and kept ``cfg``'s job ids (fields of
        their own); ``cfg.trainer = X`` would drop them: they are carried into ``X``."""
        ctx = self.ctx
        target = assign.targets[0]
        recipe = self._recipe(target.value)  # type: ignore[attr-defined]
        if recipe is None or not ctx.would_apply(target, "FTM030"):
            return  # not ported (unknown receiver, or suppressed): nothing to carry
        plan = plan_carry(ctx, recipe, target.value, assign.value)  # type: ignore[attr-defined]
        if plan is False:
            ctx.report(
                assign.value,
                "FTM032",
                f"{recipe}.Config kept its job ids apart from .infra; assigning .trainer replaces them too",
                help=f"bind the Config to a name, then carry its ids. Bind {ctx.flat(target.value)} to a name, then write <name>.trainer = dataclasses.replace(<new value>, {', '.join(f'{f}=<name>.trainer.{f}' for f in job_id_fields(recipe))})",  # type: ignore[attr-defined]
            )
            return
        if plan is None:
            return
        carry = plan.bind(ctx)  # type: ignore[union-attr]
        ctx.edit(assign, lambda original, updated: updated.with_changes(value=carry(updated.value)))

    def _recipe(self, receiver: ast.AST) -> str | None:
        kind = self.ctx.value_kind(receiver)
        return kind[1] if kind is not None and kind[0] == "recipe" else None

    def _infra(self, node: ast.Attribute) -> None:
        ctx = self.ctx
        recipe = self._recipe(node.value)
        if recipe is None:
            parent = ctx.parent(node)
            if isinstance(parent, ast.Attribute) and parent.attr in INFRA_FIELDS and parent.value is node:
                self._unknown(parent, f".infra.{parent.attr}", f".trainer.{_infra_target(parent.attr)}")
            return
        if ctx.report(node, "FTM030", f"{recipe}.Config has no .infra: the trainer settings are .trainer", fix=SAFE, help=self._infra_help(node)):
            ctx.rename_attribute(node, "trainer")

    def _infra_help(self, node: ast.Attribute) -> str:
        ctx = self.ctx
        parent = ctx.parent(node)
        receiver = ctx.flat(node.value)
        if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in INFRA_FIELDS:
            field = parent.attr
            renamed = renames_at(ctx.options.target)[field]
            if renamed is None:
                return f"write {receiver}.trainer; TrainerConfig has no {field}{removed_reason(ctx.options.target, field)}, so remove the use of {receiver}.infra.{field}"
            return f"write {receiver}.trainer.{renamed}"
        return f"write {receiver}.trainer"

    def _nested_field(self, node: ast.Attribute, inner: ast.Attribute) -> None:
        ctx = self.ctx
        nested, name = inner.attr, node.attr
        if name not in NESTED_TARGETS[nested]:
            return
        target = NESTED_TARGETS[nested][name]
        recipe = self._recipe(inner.value)
        if recipe is None:
            self._unknown(node, f".{nested}.{name}", f".{target}" if target else "nothing (no replacement)")
            return
        if target is None or target not in fields_at(ctx.options.target, recipe):
            entry = removed_at(ctx.options.target, recipe, target) if target is not None else None
            ctx.report(
                node,
                "FTM032",
                f"{recipe}.Config has no {target or name}"
                + (f" at target {ctx.options.target}: .{nested}.{name} has no replacement ({entry.reason})" if entry is not None else f": .{nested}.{name} has no replacement"),
                help=(
                    f"remove the use of {ctx.flat(node)}. At target {ctx.options.target} {entry.reason}"
                    if entry is not None
                    else f"remove the use of {ctx.flat(node)}. async_rl_loop syncs weights after every optimizer step (the interval is always 1)"
                    if target == "weight_sync_interval"
                    else f"remove the use of {ctx.flat(node)}. {name} has no replacement at target {self.ctx.options.target} (the service owns it)"
                    if target is None
                    else f"remove the use of {ctx.flat(node)}. {recipe}.Config has no {target}"
                ),
            )
            return
        if ctx.report(node, "FTM030", f".{nested}.{name} is gone: {recipe}.Config has {target} at top level", fix=SAFE, help=f"write {ctx.code(inner.value)}.{target}"):

            def lift(original: Any, updated: Any) -> Any:
                receiver = updated.value.value if isinstance(updated.value, cst.Attribute) else original.value.value
                return updated.with_changes(value=receiver, attr=cst.Name(target))

            ctx.edit(node, lift, text=self._lift_text(node, inner, target))

    def _lift_text(self, node: ast.Attribute, inner: ast.Attribute, target: str) -> tuple[int, int, str] | None:
        """``.weight_sync.<field>`` -> ``.<target>`` as a text edit, when the two attributes are
        plainly written on one line after the receiver."""
        source = self.ctx.source
        (l1, c1), (l2, c2) = source.end(inner.value), source.end(node)
        if l1 != l2 or not _PLAIN_CHAIN.fullmatch(source.line(l1)[c1:c2]):
            return None
        return source.offset(l1, c1), source.offset(l2, c2), f".{target}"

    def _nested_alone(self, node: ast.Attribute) -> None:
        ctx = self.ctx
        recipe = self._recipe(node.value)
        if recipe is None:
            return
        parent = ctx.parent(node)
        if isinstance(parent, ast.Assign) and node in parent.targets and id(parent) in ctx.shared.get("spread_assignments", ()):
            return  # `cfg.weight_sync = WeightSyncConfig(...)`: the weight_sync codemod spreads it
        fields = [f for f in CADENCE if f in fields_at(ctx.options.target, recipe)]
        ctx.report(
            node,
            "FTM032",
            f"{recipe}.Config has no nested .{node.attr} object at target {self.ctx.options.target}",
            help=f"use the top-level fields instead of {ctx.flat(node)}. They are {', '.join(f'{ctx.flat(node.value)}.{f}' for f in fields)}",
        )

    def _job_id(self, node: ast.Attribute) -> None:
        ctx = self.ctx
        name = node.attr
        recipe = self._recipe(node.value)
        if recipe is None:
            if ctx.cookbook_evidence(node.value):  # (`.policy_job_id` alone is reported on evidence only)
                self._unknown(node, f".{name}", f".trainer.{JOB_IDS[name]}")
            return
        if name not in LEGACY_CONFIG_FIELDS[recipe]:
            return
        target = JOB_IDS[name]
        if ctx.report(node, "FTM030", f"{recipe}.Config has no .{name}: it is .trainer.{target}", fix=SAFE, help=f"write {ctx.code(node.value)}.trainer.{target}"):
            ctx.rename_attribute(node, f"trainer.{target}")

    def _unknown(self, node: ast.Attribute, legacy: str, target: str) -> None:
        ctx = self.ctx
        owner = node.value.value if isinstance(node.value, ast.Attribute) else node.value
        if not ctx.unknown_may_be_ours(owner):
            return
        code = ctx.flat(node)
        receiver = code[: -len(legacy)] if code.endswith(legacy) else "the receiver"
        ctx.report(
            node,
            "FTM031",
            f"{legacy} looks like a legacy recipe Config field, but the receiver's type is unknown here",
            help=(
                f"annotate {receiver} with its type and rerun. Annotate it (`{receiver}: <recipe>.Config`, e.g. `rl_loop.Config`)"
                f" and run `ftmigrate rewrite` again; or, if {receiver} is a recipe Config, "
                + (f"write {receiver}{target}" if target.startswith(".") else f"remove the use of {code}: it has no replacement")
            ),
        )


def _infra_target(name: str) -> str:
    return INFRA_TARGETS.get(name) or name
