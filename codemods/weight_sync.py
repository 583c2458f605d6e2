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

import ast
import dataclasses
import functools
from typing import Any

from ftmigrate._lazy import cst, cstutil
from ftmigrate.analysis import ASSIGN, Codemod, dotted, has_splat, keyword, literal, positional
from ftmigrate.api.config import TARGET, HotloadConfig, WeightSyncConfig
from ftmigrate.api.recipes import RECIPES
from ftmigrate.diagnostics import SAFE

LEGACY_CLASSES = {"WeightSyncConfig": WeightSyncConfig, "HotloadConfig": HotloadConfig}
NESTED_KEYWORDS = ("weight_sync", "hotload")
CADENCE = ("weight_sync_interval", "weight_sync_before_training", "weight_sync_timeout", "dcp_save_interval")


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


@functools.cache
def fields_at(target: str, recipe: str) -> frozenset[str]:
    """The fields of the recipe's Config at ``target`` (``RECIPE_FIELDS`` at the first one)."""
    from ftmigrate.api import profiles

    profile = profiles.get(target)
    if profile.base is None:
        return frozenset(RECIPE_FIELDS[recipe])
    return frozenset(profile.field_names(f"{recipe}.Config"))


def removed_at(target: str, recipe: str, name: str) -> Any:
    """What ``target`` says about the recipe Config field ``name`` it removed (a
    ``profiles.Removed``), or None."""
    from ftmigrate.api import profiles

    return profiles.get(target).removed(f"{recipe}.Config").get(name)


@dataclasses.dataclass(frozen=True)
class LegacyField:
    name: str
    target: str | None
    default: object


def _legacy_fields(cls: type) -> list[LegacyField]:
    return [LegacyField(f.name, f.metadata[TARGET], f.default) for f in dataclasses.fields(cls)]


FIELDS = {name: _legacy_fields(cls) for name, cls in LEGACY_CLASSES.items()}
FIELDS_BY_NAME = {cls: {f.name: f for f in fields} for cls, fields in FIELDS.items()}

# The rewrite keeps only the keywords the user wrote; that is behaviour-preserving only while
# the legacy defaults equal the recipe defaults. Checked here, against the bundled API.
_UNEQUAL_DEFAULTS = {
    (cls, f.name)
    for cls, fields in FIELDS.items()
    for f in fields
    for recipe, recipe_fields in RECIPE_FIELDS.items()
    if f.target in recipe_fields and recipe_fields[f.target] != f.default
}


@dataclasses.dataclass
class _Move:
    """One top-level keyword the spread writes: from the nested call's ``legacy`` argument, or
    ``default`` (the code of the legacy default, for fields a replacement reset)."""

    target: str
    legacy: str | None = None
    default: str | None = None


class WeightSyncToTopLevel(Codemod):
    CODES = ("FTM011", "FTM012", "FTM013", "FTM014", "FTM015")

    def analyze(self) -> None:
        ctx = self.ctx
        self.inline: dict[int, ast.Call] = {}  # id(recipe Config call) -> the nested call to inline
        self.consumed: set[int] = set()  # legacy calls the rewrite consumes
        calls = []
        for node in ctx.calls():
            recipe = self._recipe_of(node)
            if recipe is None:
                continue
            calls.append((node, recipe))
            for name in NESTED_KEYWORDS:
                kw = keyword(node, name)
                if kw is not None and isinstance(kw.value, ast.Name):
                    self._plan_inline(node, kw)
                elif kw is not None and isinstance(kw.value, ast.Call):
                    self.consumed.add(id(kw.value))
        # `cfg.weight_sync = WeightSyncConfig(...)` spread here: the other codemods leave them be.
        spread = ctx.shared.setdefault("spread_assignments", set())
        assignments = []
        for assign in ctx.nodes(ast.Assign):
            found = self._nested_assignment(assign)
            if found is not None:
                self.consumed.add(id(assign.value))
                spread.add(id(assign))
                assignments.append((assign, *found))
        for node, _ in ctx.references("legacy", *LEGACY_CLASSES):
            self._other_use(node)
        for node in ctx.nodes(ast.Constant):
            if isinstance(node.value, str) and ("WeightSyncConfig" in node.value or "HotloadConfig" in node.value):
                self._string_annotation(node)
        for call, recipe in calls:
            for name in NESTED_KEYWORDS:
                kw = keyword(call, name)
                if kw is not None:
                    self._spread(call, recipe, kw)
        for assign, recipe, cls in assignments:
            self._spread_assignment(assign, recipe, cls)

    def _recipe_of(self, call: ast.Call) -> str | None:
        recipe = self.ctx.config_recipe(call)
        if recipe is not None:
            return recipe
        if call.args and self.ctx.is_call_to(call, "dataclasses.replace"):
            kind = self.ctx.value_kind(call.args[0])
            if kind is not None and kind[0] == "recipe":
                return kind[1]
        return None

    def _plan_inline(self, call: ast.Call, kw: ast.keyword) -> None:
        ctx = self.ctx
        name = kw.value
        bindings = ctx.bindings(name)  # type: ignore[arg-type]
        if not bindings or len(bindings) != 1 or bindings[0].kind != ASSIGN:
            return
        binding = bindings[0]
        value = binding.value
        if not isinstance(value, ast.Call) or self._legacy_class(value) is None:
            return
        if ctx.scope(name) is not binding.scope:
            return
        if len(ctx.reads_of(binding)) != 1:
            return
        stmt = binding.statement
        if not isinstance(stmt, ast.Assign) or not ctx.alone_on_line(stmt):
            return
        self.inline[id(call)] = value
        self.consumed.add(id(value))
        if ctx.would_apply(kw, "FTM011"):
            ctx.remove_statement(stmt)

    def _legacy_class(self, call: ast.Call) -> str | None:
        ref = self.ctx.legacy(call.func, *LEGACY_CLASSES)
        return ref.name if ref else None

    # --- other uses of the legacy classes -------------------------------------------------------

    def _string_annotation(self, node: ast.Constant) -> None:
        """``x: "WeightSyncConfig"``: a string annotation naming a legacy class."""
        for _, ref in self.ctx.string_refs(node):
            if ref.kind == "legacy" and ref.name in LEGACY_CLASSES:
                self.ctx.report(
                    node,
                    "FTM015",
                    f"{_status(ref.name, self.ctx.options.target)}: its fields are top-level recipe Config keywords",
                    help=self._other_use_help(node, ref.name),
                )
                break

    def _other_use(self, node: ast.AST) -> None:
        ctx = self.ctx
        ref = ctx.legacy(node, *LEGACY_CLASSES)
        if ref is None or ctx.in_import(node):
            return
        parent = ctx.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node and id(parent) in self.consumed:
            return
        if ctx.left_alone(parent if isinstance(parent, ast.Call) and parent.func is node else node):
            return  # part of a call of a recipe ftmigrate does not know (FTM091)
        ctx.report(
            node,
            "FTM015",
            f"{_status(ref.name, self.ctx.options.target)}: its fields are top-level recipe Config keywords",
            help=self._other_use_help(node, ref.name),
        )

    def _other_use_help(self, node: ast.AST, cls: str) -> str:
        ctx = self.ctx
        parent = ctx.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node and not has_splat(parent):
            given = {n: a for n, a in self._given(parent, cls).items() if n in FIELDS_BY_NAME[cls]}
            moved = [f"{FIELDS_BY_NAME[cls][n].target}={ctx.flat(v)}" for n, v in given.items() if FIELDS_BY_NAME[cls][n].target]
            dropped = [f"{n}={ctx.flat(v)}" for n, v in given.items() if not FIELDS_BY_NAME[cls][n].target]
            text = f"pass its fields to the recipe Config instead. Instead of {ctx.flat(parent)}, pass {', '.join(moved) or 'nothing (every value is a default)'} to the recipe Config"
            if dropped:
                text += f"; {', '.join(dropped)} has no replacement (record the dropped value)"
            return text + (
                " (keep the fields the recipe has: weight_sync_interval on rl_loop and igpo_loop, weight_sync_before_training"
                " and weight_sync_timeout on rl_loop, igpo_loop and async_rl_loop, dcp_save_interval on every recipe)"
            )
        fields = ", ".join(f"{f.target} (was {f.name})" for f in FIELDS[cls] if f.target)
        return f"carry the recipe Config's cadence fields instead. Carry its top-level fields instead of a {cls}: {fields}"

    # --- spreading the nested config ------------------------------------------------------------

    def _spread(self, call: ast.Call, recipe: str, kw: ast.keyword) -> None:
        ctx = self.ctx
        label = kw.arg
        inline = self.inline.get(id(call))
        nested = kw.value if isinstance(kw.value, ast.Call) else inline
        cls = self._legacy_class(nested) if isinstance(nested, ast.Call) else None
        if nested is None or cls is None:
            ctx.report(
                kw,
                "FTM014",
                f"{label}={ctx.code(kw.value)} cannot be spread into top-level keywords here",
                help=self._not_inlinable_help(kw, recipe),
            )
            return
        if has_splat(nested):
            ctx.report(
                kw,
                "FTM014",
                f"{cls}(**...) keys are not visible: pass them as top-level {recipe}.Config keywords",
                help=(
                    f"pass its keys as top-level keywords. Pass the keys of {', '.join(ctx.flat(k.value) for k in nested.keywords if k.arg is None)}"
                    f" as {recipe}.Config keywords with the target names ({', '.join(self._available(recipe))}; hot_load_* -> weight_sync_*)"
                ),
            )
            return
        is_replace = ctx.config_recipe(call) is None
        top_level = {k.arg: k for k in call.keywords if k.arg is not None}
        moves, problems = self._plan(nested, cls, recipe, is_replace, top_level, label, kw)  # type: ignore[arg-type]
        preview = ", ".join(self._shown(move, nested, cls) for move in moves)
        if not self._report_spread(
            kw,
            f"{label}={cls}(...) is not accepted by {recipe}.Config at target {self.ctx.options.target}: it takes the cadence fields at top level",
            f"write {preview or 'nothing (all values are the defaults)'} on {recipe}.Config",
            problems,
        ):
            return
        ctx.drop_imports_of(nested.func)
        inlined = ctx.code(inline) if inline is not None else None

        def spread(original: Any, updated: Any) -> Any:
            now = cstutil.keyword(updated, label)
            if now is None:
                return updated
            nested_now = cst.parse_expression(inlined) if inlined is not None else now.value
            if not isinstance(nested_now, cst.Call):
                return updated
            new_args = _build(moves, nested_now, cls)
            args: list[Any] = []
            for a in updated.args:
                if a.keyword is not None and a.keyword.value == label:
                    args.extend(new_args)
                else:
                    args.append(a)
            return cstutil.with_args(updated, args)

        ctx.edit(call, spread)

    def _shown(self, move: _Move, nested: ast.Call, cls: str) -> str:
        if move.legacy is None:
            return f"{move.target}={move.default}"
        value = self._given(nested, cls)[move.legacy]
        return f"{move.target}={' '.join(self.ctx.flat(value).split())}"

    def _report_spread(self, node: ast.AST, message: str, help: str, problems: list[tuple[str, ast.AST, str, str]]) -> bool:
        """FTM011 at ``node`` (True: spread it now), then the problems planning found."""
        fixable = self.ctx.report(node, "FTM011", message, fix=SAFE, help=help)
        for code, where, text, hint in problems:
            self.ctx.report(where, code, text, help=hint, anchor=node)
        return fixable

    def _plan(
        self,
        nested: ast.Call,
        cls: str,
        recipe: str,
        is_replace: bool,
        top_level: dict[str, ast.keyword],
        label: str,
        where: ast.AST,
    ) -> tuple[list[_Move], list[tuple[str, ast.AST, str, str]]]:
        """The top-level keywords ``nested`` spreads into on ``recipe`` (every field when the
        whole object is replaced: ``is_replace``), and the problems to report."""
        ctx = self.ctx
        given = self._given(nested, cls)
        available = self._available(recipe)
        never_valid = "weight_sync_timeout" not in RECIPE_FIELDS[recipe]
        moves: list[_Move] = []
        problems: list[tuple[str, ast.AST, str, str]] = []
        # The user's order first (positional arguments, then keywords as written), then the
        # defaults a dataclasses.replace() would have reset.
        order = [name for name in given if name in FIELDS_BY_NAME[cls]]
        order += [f.name for f in FIELDS[cls] if f.name not in given]
        for name in order:
            f = FIELDS_BY_NAME[cls][name]
            if f.name not in given:
                if f.target in available and f.target not in top_level and (is_replace or (cls, f.name) in _UNEQUAL_DEFAULTS):
                    moves.append(_Move(f.target, default=repr(f.default)))  # type: ignore[arg-type]
                continue
            value = given[f.name]
            node = self._arg_node(nested, f.name, cls)
            shown = f"{f.name}={ctx.code(value)}"
            if f.target is None:
                if literal(value) != (True, f.default):
                    problems.append(("FTM012", node, f"{shown} has no replacement at target {self.ctx.options.target}, the service owns it (the rewrite drops it)", f"record the dropped {shown}. Nothing replaces {f.name} (the service owns it; the old default was {f.default!r}); if something depended on it, ask"))
            elif f.target not in available and f.target in RECIPE_FIELDS[recipe]:
                # A field the chosen target removed (rl_loop's weight_sync_interval at 2026-08).
                entry = removed_at(ctx.options.target, recipe, f.target)
                known, given_value = literal(value)
                if entry is not None and not (known and entry.kept_by(given_value)):
                    problems.append(("FTM012", node, f"{shown} has no replacement at target {ctx.options.target}: {entry.reason} (the rewrite drops it)", f"record the dropped {shown}. At target {ctx.options.target} {entry.reason}, and nothing else sets it; if the run depended on it, ask"))
            elif f.target not in available:
                if recipe == "async_rl_loop" and f.target == "weight_sync_interval":
                    if literal(value) != (True, 1):
                        problems.append(("FTM012", node, f"{shown} does not apply: async_rl_loop always syncs every optimizer step (the rewrite drops it)", f"record the dropped {shown}. async_rl_loop pins weight_sync_interval to 1; if syncing less often mattered, ask"))
                elif not never_valid:
                    problems.append(("FTM012", node, f"{shown} does not apply: {recipe}.Config has no {f.target} (the rewrite drops it)", f"record the dropped {shown}. {recipe}.Config has no {f.target}"))
            elif f.target in top_level:
                kept = ctx.code(top_level[f.target].value)
                if kept != ctx.code(value):
                    problems.append(("FTM013", node, f"{f.target} is given twice ({shown} nested, {kept} at top level); the rewrite keeps the top-level value", f"keep one {f.target}: {kept} or {ctx.code(value)}. {f.target}={kept} (top level) is kept by the rewrite, {f.target}={ctx.code(value)} (nested) dropped; ask which one was meant"))
            else:
                moves.append(_Move(f.target, legacy=f.name))
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
        return moves, problems

    def _arg_node(self, nested: ast.Call, name: str, cls: str) -> ast.AST:
        """The argument node (keyword, or positional value) giving legacy field ``name``."""
        kw = keyword(nested, name)
        if kw is not None:
            return kw
        names = [f.name for f in FIELDS[cls]]
        return positional(nested)[names.index(name)]

    # --- cfg.weight_sync = WeightSyncConfig(...) -----------------------------------------------

    def _nested_assignment(self, assign: ast.Assign) -> tuple[str, str] | None:
        """``cfg.weight_sync = WeightSyncConfig(...)`` on a known recipe Config: (the recipe, the
        legacy class), when it can be spread into top-level assignments."""
        target = assign.targets[0]
        if not (isinstance(target, ast.Attribute) and target.attr in NESTED_KEYWORDS and dotted(target.value) is not None):
            return None
        if len(assign.targets) != 1 or not self.ctx.alone_on_line(assign):
            return None
        if not isinstance(assign.value, ast.Call) or has_splat(assign.value):
            return None
        cls = self._legacy_class(assign.value)
        kind = self.ctx.value_kind(target.value)
        if cls is None or kind is None or kind[0] != "recipe":
            return None
        return kind[1], cls  # type: ignore[return-value]

    def _spread_assignment(self, assign: ast.Assign, recipe: str, cls: str) -> None:
        ctx = self.ctx
        target = assign.targets[0]
        label = target.attr  # type: ignore[attr-defined]
        # Assigning a new object resets every field it has: all of them are written out.
        moves, problems = self._plan(assign.value, cls, recipe, True, {}, label, assign)  # type: ignore[arg-type]
        receiver = ctx.flat(target.value)  # type: ignore[attr-defined]
        preview = "; ".join(f"{receiver}.{m.target} = {self._shown(m, assign.value, cls).split('=', 1)[1]}" for m in moves)  # type: ignore[arg-type]
        if not self._report_spread(
            assign,
            f"{receiver}.{label} = {cls}(...): {recipe}.Config has no .{label} at target {self.ctx.options.target}, it has the cadence fields at top level",
            f"write {preview or 'nothing (no field applies to ' + recipe + ')'} in place of the assignment",
            problems,
        ):
            return
        ctx.drop_imports_of(assign.value.func)  # type: ignore[attr-defined]
        if not moves:
            ctx.remove_statement(assign)
            return
        rest: list[Any] = []

        def spread(original: Any, updated: Any) -> Any:
            if not isinstance(updated, cst.Assign) or not isinstance(updated.value, cst.Call):
                return updated
            owner = updated.targets[0].target.value
            statements = [
                cst.SimpleStatementLine([cst.Assign(targets=[cst.AssignTarget(cst.Attribute(value=owner.deep_clone(), attr=cst.Name(a.keyword.value)))], value=a.value)])
                for a in _build(moves, updated.value, cls)
            ]
            rest[:] = statements[1:]
            return statements[0].body[0]

        ctx.edit(assign, spread)
        ctx.insert_statements(assign, lambda: list(rest))

    # --- help texts -----------------------------------------------------------------------------

    def _not_inlinable_help(self, kw: ast.keyword, recipe: str) -> str:
        ctx = self.ctx
        cls = "HotloadConfig" if kw.arg == "hotload" else "WeightSyncConfig"
        value = kw.value
        holder, bind = (ctx.flat(value), "") if isinstance(value, (ast.Name, ast.Attribute)) else ("ws", f"bind ws = {ctx.flat(value)}, then ")
        moved = [f"{f.target}={holder}.{f.name}" for f in FIELDS[cls] if f.target in self._available(recipe)]
        if isinstance(value, ast.Constant) and value.value is None:
            return f"remove {kw.arg}=None. {recipe}.Config has no {kw.arg}= at the target: the cadence fields are top-level keywords"
        write = f"write {', '.join(moved)} on {recipe}.Config in place of {kw.arg}={ctx.flat(value)}"
        return f"spread {holder}'s fields into top-level keywords. " + (f"Bind ws = {ctx.flat(value)}, then {write}" if bind else write[:1].upper() + write[1:])

    def _never_valid_help(self, given: dict[str, ast.AST], cls: str, recipe: str) -> str:
        ctx = self.ctx
        given = {n: a for n, a in given.items() if n in FIELDS_BY_NAME[cls]}
        dcp = [ctx.flat(v) for n, v in given.items() if FIELDS_BY_NAME[cls][n].target == "dcp_save_interval"]
        others = [f"{n}={ctx.flat(v)}" for n, v in given.items() if FIELDS_BY_NAME[cls][n].target != "dcp_save_interval"]
        first = f"record the dropped {', '.join(others)}" if others else "nothing else was dropped; remove this TODO"
        kept = (
            f"{recipe}.Config takes dcp_save_interval={dcp[0]} at top level (`ftmigrate rewrite` writes it)"
            if dcp
            else f"{recipe}.Config needs no cadence keyword here"
        )
        return f"{first}. {kept}" + (f"; the others never applied to {recipe}" if others else "")

    def _available(self, recipe: str) -> list[str]:
        fields = fields_at(self.ctx.options.target, recipe)
        return [t for t in CADENCE if t in fields]

    def _given(self, nested: ast.Call, cls: str) -> dict[str, ast.AST]:
        """The nested call's argument values by legacy field name (positional ones included)."""
        names = [f.name for f in FIELDS[cls]]
        out: dict[str, ast.AST] = dict(zip(names, positional(nested)))
        out.update((k.arg, k.value) for k in nested.keywords if k.arg is not None)
        return out


def _status(cls: str, target: str) -> str:
    """What is true of a legacy cadence class at the target: ``WeightSyncConfig`` is still
    exported (a deprecated shell), ``HotloadConfig`` (gen0) is not."""
    if cls == "WeightSyncConfig":
        return "WeightSyncConfig is deprecated, and not accepted by any recipe Config"
    return f"{cls} is gone at target {target}"


def _build(moves: list[_Move], nested: Any, cls: str) -> list[Any]:
    """The top-level keyword arguments (LibCST) for ``moves``, taken from ``nested`` (LibCST)."""
    names = [f.name for f in FIELDS[cls]]
    given = dict(zip(names, cstutil.positional(nested)))
    given.update((a.keyword.value, a) for a in nested.args if a.keyword is not None)
    out = []
    for move in moves:
        if move.legacy is None:
            out.append(cstutil.make_arg(move.target, cst.parse_expression(move.default)))
        else:
            arg = given[move.legacy]
            if arg.keyword is None:
                arg = arg.with_changes(keyword=cst.Name(move.legacy), equal=cstutil.make_arg(move.legacy, arg.value).equal)
            out.append(cstutil.rename_keyword(arg, move.target))
    return out
