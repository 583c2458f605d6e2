"""Nested ``weight_sync=WeightSyncConfig(...)`` / gen0 ``hotload=HotloadConfig(...)`` -> top-level
recipe keywords (migration rules 3 and 4). Safe.

What: in a recipe ``Config(...)`` call (or ``dataclasses.replace`` of a known recipe Config),
the nested cadence config is spread into the recipe's own keywords, by recipe:
rl_loop / igpo_loop take ``weight_sync_interval``, ``weight_sync_before_training``,
``weight_sync_timeout`` and ``dcp_save_interval``; async_rl_loop the last three (its interval
was always pinned to 1); sft / dpo / orpo only ``dcp_save_interval`` (``weight_sync=`` was
never valid there). gen0 names (``hot_load_interval`` ...) are renamed on the way. Only the
keywords the user wrote are kept (the defaults are equal, which the codemod checks against the
bundled API); in ``dataclasses.replace`` every field the nested object would have reset is
written out, because there the old call really did reset them. ``weight_sync=<name>`` bound
once, in the same scope, to a literal ``WeightSyncConfig(...)`` and used nowhere else is
inlined and its binding removed. ``cfg.weight_sync = WeightSyncConfig(...)`` (or ``.hotload``) on
a known recipe Config becomes one assignment per top-level field, every field the new object
reset written out, as in ``dataclasses.replace``.

Why: at target 2026-06 there is no nested cadence object; recipe Configs reject
``weight_sync=``.

Left to a person: values with no replacement (``dcp_timeout``, ``first_checkpoint_type`` when
not the old default; an async_rl interval other than 1; anything but ``dcp_save_interval`` on
sft/dpo/orpo) are dropped with FTM012; a keyword given both nested and at top level with
different values is FTM013; a ``weight_sync=`` value that cannot be inlined is FTM014; other
uses of the legacy classes are FTM015.
"""

from __future__ import annotations

import dataclasses

import libcst as cst

from ftmigrate.api.config import TARGET, HotloadConfig, WeightSyncConfig
from ftmigrate.api.recipes import RECIPES
from ftmigrate.cstutil import flat, has_splat, keyword, literal, make_arg, positional, rename_keyword, with_args
from ftmigrate.diagnostics import SAFE
from ftmigrate.transform import Codemod, dotted

LEGACY_CLASSES = {"WeightSyncConfig": WeightSyncConfig, "HotloadConfig": HotloadConfig}
NESTED_KEYWORDS = ("weight_sync", "hotload")


def _recipe_fields() -> dict[str, dict[str, object]]:
    import importlib

    out = {}
    for recipe in RECIPES:
        config = importlib.import_module(f"ftmigrate.api.recipes.{recipe}").Config
        out[recipe] = {
            f.name: (f.default if f.default is not dataclasses.MISSING else dataclasses.MISSING)
            for f in dataclasses.fields(config)
        }
    return out


RECIPE_FIELDS = _recipe_fields()


@dataclasses.dataclass(frozen=True)
class LegacyField:
    name: str
    target: str | None
    default: object


def _legacy_fields(cls: type) -> list[LegacyField]:
    return [LegacyField(f.name, f.metadata[TARGET], f.default) for f in dataclasses.fields(cls)]


FIELDS = {name: _legacy_fields(cls) for name, cls in LEGACY_CLASSES.items()}

# The rewrite keeps only the keywords the user wrote; that is behaviour-preserving only while
# the legacy defaults equal the recipe defaults. Checked here, against the bundled API.
_UNEQUAL_DEFAULTS = {
    (cls, f.name)
    for cls, fields in FIELDS.items()
    for f in fields
    for recipe, recipe_fields in RECIPE_FIELDS.items()
    if f.target in recipe_fields and recipe_fields[f.target] != f.default
}


class WeightSyncToTopLevel(Codemod):
    CODES = ("FTM011", "FTM012", "FTM013", "FTM014", "FTM015")

    def prepare(self, module: cst.Module) -> None:
        """Find ``weight_sync=<name>`` bindings that can be inlined (they precede their use)."""
        self.inline: dict[cst.Call, cst.Call] = {}  # recipe Config call -> the nested call to inline
        self.consumed: set[cst.Call] = set()  # legacy calls the rewrite consumes
        for node in self.ctx.nodes(cst.Call):
            if self._recipe_of(node) is None:
                continue
            for name in NESTED_KEYWORDS:
                arg = keyword(node, name)
                if arg is not None and isinstance(arg.value, cst.Name):
                    self._plan_inline(node, arg)
                elif arg is not None and isinstance(arg.value, cst.Call):
                    self.consumed.add(arg.value)
        # `cfg.weight_sync = WeightSyncConfig(...)` spread here: the other codemods leave them be.
        spread = self.ctx.shared.setdefault("spread_assignments", set())
        for stmt in self.ctx.nodes(cst.SimpleStatementLine):
            found = self._nested_assignment(stmt)
            if found is not None:
                self.consumed.add(found[0].value)  # type: ignore[arg-type]
                spread.add(found[0])

    def _recipe_of(self, call: cst.Call) -> str | None:
        recipe = self.ctx.config_recipe(call)
        if recipe is not None:
            return recipe
        if self.ctx.is_call_to(call, "dataclasses.replace") and call.args:
            kind = self.ctx.value_kind(call.args[0].value)
            if kind is not None and kind[0] == "recipe":
                return kind[1]
        return None

    def _plan_inline(self, call: cst.Call, arg: cst.Arg) -> None:
        name = arg.value
        assert isinstance(name, cst.Name)
        bindings = self.ctx.bindings(name)
        if not bindings or len(bindings) != 1 or bindings[0].kind != "assign":
            return
        binding = bindings[0]
        value = binding.value
        if not isinstance(value, cst.Call) or self._legacy_class(value) is None:
            return
        scope = self.ctx.scope(name)
        if scope is None or self.ctx.scope(binding.node) is not scope:
            return
        target = binding.node
        accesses = [a for a in scope.accesses if any(getattr(r, "node", None) is target for r in a.referents)]
        if len(accesses) != 1:
            return
        stmt = binding.statement
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            return
        self.inline[call] = value
        self.consumed.add(value)
        if self.ctx.would_apply(arg, "FTM011"):
            self.ctx.remove_statement(stmt)

    def _legacy_class(self, call: cst.Call) -> str | None:
        ref = self.ctx.legacy(call.func, *LEGACY_CLASSES)
        return ref.name if ref else None

    # --- traversal ---------------------------------------------------------------------------

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        self._other_use(original)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        self._other_use(original)
        return updated

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        """``x: "WeightSyncConfig"``: a string annotation naming a legacy class."""
        for _, ref in self.ctx.string_refs(original):
            if ref.kind == "legacy" and ref.name in LEGACY_CLASSES:
                self.ctx.report(
                    original,
                    "FTM015",
                    f"{ref.name} is gone at target 2026-06: its fields are top-level recipe Config keywords",
                    help=self._other_use_help(original, ref.name),
                )
                break
        return updated

    def _other_use(self, node: cst.BaseExpression) -> None:
        ref = self.ctx.legacy(node, *LEGACY_CLASSES)
        if ref is None or self.ctx.in_import(node):
            return
        parent = self.ctx.parent(node)
        if isinstance(parent, cst.Call) and parent.func is node and parent in self.consumed:
            return
        self.ctx.report(
            node,
            "FTM015",
            f"{ref.name} is gone at target 2026-06: its fields are top-level recipe Config keywords",
            help=self._other_use_help(node, ref.name),
        )

    def _other_use_help(self, node: cst.BaseExpression, cls: str) -> str:
        parent = self.ctx.parent(node)
        if isinstance(parent, cst.Call) and parent.func is node and not has_splat(parent):
            given = {n: a for n, a in self._given(parent, cls).items() if n in FIELDS_BY_NAME[cls]}
            moved = [f"{FIELDS_BY_NAME[cls][n].target}={flat(a.value)}" for n, a in given.items() if FIELDS_BY_NAME[cls][n].target]
            dropped = [f"{n}={flat(a.value)}" for n, a in given.items() if not FIELDS_BY_NAME[cls][n].target]
            text = f"instead of {flat(parent)}, pass {', '.join(moved) or 'nothing (every value is a default)'} to the recipe Config"
            if dropped:
                text += f"; {', '.join(dropped)} has no replacement (record the dropped value)"
            return text + (
                " (keep the fields the recipe has: weight_sync_interval on rl_loop and igpo_loop, weight_sync_before_training"
                " and weight_sync_timeout on rl_loop, igpo_loop and async_rl_loop, dcp_save_interval on every recipe)"
            )
        fields = ", ".join(f"{f.target} (was {f.name})" for f in FIELDS[cls] if f.target)
        return f"carry the recipe Config's top-level fields instead of a {cls}: {fields}"

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        recipe = self._recipe_of(original)
        if recipe is None:
            return updated
        for name in NESTED_KEYWORDS:
            arg = keyword(original, name)
            if arg is not None:
                updated = self._spread(original, updated, recipe, arg)
        return updated

    def _spread(self, original: cst.Call, updated: cst.Call, recipe: str, arg: cst.Arg) -> cst.Call:
        inline = self.inline.get(original)
        nested = arg.value if isinstance(arg.value, cst.Call) else inline
        cls = self._legacy_class(nested) if isinstance(nested, cst.Call) else None
        if nested is None or cls is None:
            self.ctx.report(
                arg,
                "FTM014",
                f"{arg.keyword.value}={self.ctx.code(arg.value)} cannot be spread into top-level keywords here",
                help=self._not_inlinable_help(arg, recipe),
            )
            return updated
        if has_splat(nested):
            self.ctx.report(
                arg,
                "FTM014",
                f"{cls}(**...) keys are not visible: pass them as top-level {recipe}.Config keywords",
                help=(
                    f"pass the keys of {', '.join(flat(a.value) for a in nested.args if a.star == '**')} as {recipe}.Config"
                    f" keywords with the target names ({', '.join(self._available(recipe))}; hot_load_* -> weight_sync_*)"
                ),
            )
            return updated
        # The nested call as it is now (other codemods may have changed its arguments).
        now = keyword(updated, arg.keyword.value)
        nested_now = now.value if inline is None and now is not None and isinstance(now.value, cst.Call) else nested
        is_replace = self.ctx.config_recipe(original) is None
        top_level = {a.keyword.value: a for a in original.args if a.keyword is not None}
        new_args, problems = self._plan(nested, nested_now, cls, recipe, is_replace, top_level, arg.keyword.value, arg)
        preview = ", ".join(" ".join(cst.Module([]).code_for_node(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)).split()) for a in new_args)
        if not self._report_spread(
            arg,
            f"{arg.keyword.value}={cls}(...) is gone: {recipe}.Config takes the cadence fields at top level",
            f"write {preview or 'nothing (all values are the defaults)'} on {recipe}.Config",
            problems,
        ):
            return updated
        self.ctx.drop_imports_of(nested.func)
        args: list[cst.Arg] = []
        for a in updated.args:
            if a.keyword is not None and a.keyword.value == arg.keyword.value:
                args.extend(new_args)
            else:
                args.append(a)
        return with_args(updated, args)

    def _report_spread(self, node: cst.CSTNode, message: str, help: str, problems: list[tuple[str, cst.CSTNode, str, str]]) -> bool:
        """FTM011 at ``node`` (True: spread it now), then the problems planning found."""
        fixable = self.ctx.report(node, "FTM011", message, fix=SAFE, help=help)
        for code, where, text, hint in problems:
            self.ctx.report(where, code, text, help=hint, anchor=node)
        return fixable

    def _plan(
        self,
        nested: cst.Call,
        nested_now: cst.Call,
        cls: str,
        recipe: str,
        is_replace: bool,
        top_level: dict[str, cst.Arg],
        label: str,
        where: cst.CSTNode,
    ) -> tuple[list[cst.Arg], list[tuple[str, cst.CSTNode, str, str]]]:
        """The top-level keywords ``nested`` spreads into on ``recipe`` (every field when the
        whole object is replaced: ``is_replace``), and the problems to report."""
        given = self._given(nested, cls)
        given_now = self._given(nested_now, cls)
        available = self._available(recipe)
        never_valid = "weight_sync_timeout" not in RECIPE_FIELDS[recipe]
        new_args: list[cst.Arg] = []
        problems: list[tuple[str, cst.CSTNode, str, str]] = []
        # The user's order first (positional arguments, then keywords as written), then the
        # defaults a dataclasses.replace() would have reset.
        order = [name for name in given if name in FIELDS_BY_NAME[cls]]
        order += [f.name for f in FIELDS[cls] if f.name not in given]
        for name in order:
            f = FIELDS_BY_NAME[cls][name]
            if f.name not in given:
                if f.target in available and f.target not in top_level and (is_replace or (cls, f.name) in _UNEQUAL_DEFAULTS):
                    new_args.append(make_arg(f.target, cst.parse_expression(repr(f.default))))
                continue
            node, value = given[f.name], given[f.name].value
            shown = f"{f.name}={self.ctx.code(value)}"
            if f.target is None:
                if literal(value) != (True, f.default):
                    problems.append(("FTM012", node, f"{shown} has no replacement at target 2026-06, the service owns it (the rewrite drops it)", f"remove {shown}: nothing replaces {f.name} (the service owns it; the old default was {f.default!r}). Record the dropped value; if something depended on it, ask"))
            elif f.target not in available:
                if recipe == "async_rl_loop" and f.target == "weight_sync_interval":
                    if literal(value) != (True, 1):
                        problems.append(("FTM012", node, f"{shown} does not apply: async_rl_loop always syncs every optimizer step (the rewrite drops it)", f"remove {shown}: async_rl_loop pins weight_sync_interval to 1. Record the dropped value; if syncing less often mattered, ask"))
                elif not never_valid:
                    problems.append(("FTM012", node, f"{shown} does not apply: {recipe}.Config has no {f.target} (the rewrite drops it)", f"remove {shown}: {recipe}.Config has no {f.target}. Record the dropped value"))
            elif f.target in top_level:
                kept = self.ctx.code(top_level[f.target].value)
                if kept != self.ctx.code(value):
                    problems.append(("FTM013", node, f"{f.target} is given twice ({shown} nested, {kept} at top level); the rewrite keeps the top-level value", f"keep one value: {f.target}={kept} (top level, kept by the rewrite) or {f.target}={self.ctx.code(value)} (nested); ask which one was meant"))
            else:
                moved = given_now[f.name]
                new_args.append(rename_keyword(_as_keyword(moved, f.name), f.target))
        if never_valid:
            dropped = [n for n in given if FIELDS_BY_NAME[cls][n].target != "dcp_save_interval"]
            problems.append(
                (
                    "FTM012",
                    where,
                    f"{label}= was never valid on {recipe}.Config (the rewrite keeps only dcp_save_interval"
                    + (f", drops {', '.join(dropped)})" if dropped else ")"),
                    self._never_valid_help(given, cls, recipe),
                )
            )
        return new_args, problems

    # --- cfg.weight_sync = WeightSyncConfig(...) -----------------------------------------------

    def _nested_assignment(self, stmt: cst.SimpleStatementLine) -> tuple[cst.Assign, str, str] | None:
        """``cfg.weight_sync = WeightSyncConfig(...)`` on a known recipe Config: (the assignment,
        the recipe, the legacy class), when it can be spread into top-level assignments."""
        if len(stmt.body) != 1 or not isinstance(stmt.body[0], cst.Assign) or len(stmt.body[0].targets) != 1:
            return None
        assign = stmt.body[0]
        target = assign.targets[0].target
        if not (isinstance(target, cst.Attribute) and target.attr.value in NESTED_KEYWORDS and dotted(target.value) is not None):
            return None
        if not isinstance(assign.value, cst.Call) or has_splat(assign.value):
            return None
        cls = self._legacy_class(assign.value)
        kind = self.ctx.value_kind(target.value)
        if cls is None or kind is None or kind[0] != "recipe":
            return None
        return assign, kind[1], cls  # type: ignore[return-value]

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        found = self._nested_assignment(original)
        if found is None:
            return updated
        assign, recipe, cls = found
        target = assign.targets[0].target
        now = updated.body[0]
        if not isinstance(now, cst.Assign) or not isinstance(now.value, cst.Call):
            return updated
        label = target.attr.value  # type: ignore[attr-defined]
        # Assigning a new object resets every field it has: all of them are written out.
        new_args, problems = self._plan(assign.value, now.value, cls, recipe, True, {}, label, assign)  # type: ignore[arg-type]
        receiver = flat(target.value)  # type: ignore[attr-defined]
        preview = "; ".join(f"{receiver}.{a.keyword.value} = {flat(a.value)}" for a in new_args)
        if not self._report_spread(
            assign,
            f"{receiver}.{label} = {cls}(...) is gone: {recipe}.Config has the cadence fields at top level",
            f"write {preview or 'nothing (no field applies to ' + recipe + ')'} in place of the assignment",
            problems,
        ):
            return updated
        self.ctx.drop_imports_of(assign.value.func)  # type: ignore[attr-defined]
        owner = now.targets[0].target.value  # type: ignore[attr-defined]
        statements = [
            cst.SimpleStatementLine([cst.Assign(targets=[cst.AssignTarget(cst.Attribute(value=owner.deep_clone(), attr=cst.Name(a.keyword.value)))], value=a.value)])
            for a in new_args
        ]
        if not statements:
            self.ctx.remove_statement(original)
            return updated
        self.ctx.insert_statements(original, statements[1:])
        return updated.with_changes(body=[statements[0].body[0]])

    def _not_inlinable_help(self, arg: cst.Arg, recipe: str) -> str:
        cls = "HotloadConfig" if arg.keyword.value == "hotload" else "WeightSyncConfig"
        value = arg.value
        holder, bind = (flat(value), "") if isinstance(value, (cst.Name, cst.Attribute)) else ("ws", f"bind ws = {flat(value)}, then ")
        moved = [f"{f.target}={holder}.{f.name}" for f in FIELDS[cls] if f.target in self._available(recipe)]
        return f"{bind}write {', '.join(moved)} on {recipe}.Config in place of {arg.keyword.value}={flat(value)}"

    def _never_valid_help(self, given: dict[str, cst.Arg], cls: str, recipe: str) -> str:
        given = {n: a for n, a in given.items() if n in FIELDS_BY_NAME[cls]}
        dcp = [flat(a.value) for n, a in given.items() if FIELDS_BY_NAME[cls][n].target == "dcp_save_interval"]
        others = [n for n in given if FIELDS_BY_NAME[cls][n].target != "dcp_save_interval"]
        text = (
            f"{recipe}.Config takes dcp_save_interval={dcp[0]} at top level (`ftmigrate rewrite` writes it)"
            if dcp
            else f"{recipe}.Config needs no cadence keyword here"
        )
        if others:
            return text + f"; {', '.join(others)} never applied to {recipe}: record the dropped values"
        return text + "; nothing else was dropped"

    def _available(self, recipe: str) -> list[str]:
        return [t for t in ("weight_sync_interval", "weight_sync_before_training", "weight_sync_timeout", "dcp_save_interval") if t in RECIPE_FIELDS[recipe]]

    def _given(self, nested: cst.Call, cls: str) -> dict[str, cst.Arg]:
        """The nested call's arguments by legacy field name (positional ones included)."""
        names = [f.name for f in FIELDS[cls]]
        out = dict(zip(names, positional(nested)))
        out.update((a.keyword.value, a) for a in nested.args if a.keyword is not None)
        return out


def _as_keyword(arg: cst.Arg, name: str) -> cst.Arg:
    if arg.keyword is not None:
        return arg
    return arg.with_changes(keyword=cst.Name(name), equal=make_arg(name, arg.value).equal)


FIELDS_BY_NAME = {cls: {f.name: f for f in fields} for cls, fields in FIELDS.items()}

