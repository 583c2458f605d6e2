"""InfraConfig -> TrainerConfig (migration rule 1). Safe.

What: every reference to the cookbook's ``InfraConfig`` -- calls, annotations,
``field(default_factory=InfraConfig)``, ``isinstance`` checks, the class passed as a value --
becomes ``TrainerConfig``, imported the way the file imported ``InfraConfig``. In calls and in
``dataclasses.replace(x, ...)`` on a known InfraConfig value, keywords are renamed
(``ref_training_shape_id`` -> ``reference_training_shape_id``, ``trainer_timeout_s`` ->
``timeout_s``, ``trainer_replica_count`` -> ``replica_count``) and positional arguments become
keywords (the two classes order their fields differently). Attribute reads and writes on a
known InfraConfig value are renamed the same way.

Why: recipe Configs at target 2026-06 take ``trainer=TrainerConfig(...)``; ``InfraConfig`` is
kept only to emit a DeprecationWarning.

Left to a person: ``managed_by`` has no TrainerConfig field (dropped, FTM002); a manual-path
field next to a training shape was already an error (FTM003: one per field when both values are
literals; one note per call when either is known only at run time; reported on
``TrainerConfig(...)`` calls too, where the target ignores the field with a warning);
``InfraConfig(**kwargs)`` keys
cannot be seen, so their names are not checked (FTM004). The renames come from the field
metadata of the bundled ``InfraConfig``; nothing here retypes them.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
from typing import Any

from ftmigrate._lazy import cst, cstutil
from ftmigrate.analysis import Codemod, has_splat, keyword, literal, positional, target_module_for
from ftmigrate.api.config import MANUAL_PATH_FIELDS, InfraConfig, TrainerConfig, migration_target
from ftmigrate.diagnostics import SAFE

INFRA_FIELDS = [f.name for f in dataclasses.fields(InfraConfig)]
TRAINER_DEFAULTS = {f.name: f.default for f in dataclasses.fields(TrainerConfig)}
INFRA_DEFAULTS = {f.name: f.default for f in dataclasses.fields(InfraConfig)}


def _renamed(name: str) -> str | None:
    """The TrainerConfig field for InfraConfig field ``name`` (None: no replacement)."""
    target = migration_target(InfraConfig, name)
    return target.split(".", 1)[1] if target else None


RENAMES = {f: _renamed(f) for f in INFRA_FIELDS}

#: InfraConfig defaults that TrainerConfig does not share: written out (none today).
EXPLICIT_DEFAULTS = {
    target: INFRA_DEFAULTS[name]
    for name, target in RENAMES.items()
    if target and INFRA_DEFAULTS[name] != TRAINER_DEFAULTS[target]
}




@functools.cache
def renames_at(target: str) -> dict[str, str | None]:
    """``RENAMES`` at ``target``: a TrainerConfig field the target removed has no replacement
    there (2026-08: ``accelerator_type``, ``accelerator_count``), and a field the target has
    under the InfraConfig name has one again (2026-08: ``managed_by``)."""
    from ftmigrate.api import profiles

    profile = profiles.get(target)
    if profile.base is None:
        return RENAMES
    fields = set(profile.field_names("TrainerConfig"))
    out: dict[str, str | None] = {}
    for name, renamed in RENAMES.items():
        if renamed is not None:
            out[name] = renamed if renamed in fields else None
        else:
            out[name] = name if name in fields else None
    return out


def keeps_value(target: str, name: str, value: ast.AST) -> bool:
    """Whether ``value``, given for the TrainerConfig field ``name`` that ``target`` removed, is
    what the target does without it (dropping it changes nothing)."""
    from ftmigrate.api import profiles

    entry = profiles.get(target).removed("TrainerConfig").get(name)
    known, given = literal(value)
    return entry is not None and known and entry.kept_by(given)


def removed_reason(target: str, name: str) -> str:
    """``: <what the target does instead>`` for a TrainerConfig field ``target`` removed, else ``""``."""
    from ftmigrate.api import profiles

    profile = profiles.get(target)
    while profile.base is not None:
        entry = profile.removed("TrainerConfig").get(name)
        if entry is not None:
            return f" at target {profile.target}: {entry.reason}"
        profile = profile.base
    return ""


def _dropped_help(name: str, value: str) -> str:
    """What to do about a dropped field: the value is recorded in the help's first sentence
    (which the TODO carries), since the rewrite removes it from the code."""
    return (
        f"record the dropped {name}={value}. `ftmigrate rewrite` drops it: if something relies on the trainer"
        f" being tagged {value}, tag the trainer job another way"
    )


class InfraConfigToTrainerConfig(Codemod):
    CODES = ("FTM001", "FTM002", "FTM003", "FTM004")

    def analyze(self) -> None:
        ctx = self.ctx
        self.renames = renames_at(ctx.options.target)
        for node, _ in ctx.references("legacy", "InfraConfig"):
            self._reference(node)
        for node in ctx.nodes(ast.Attribute):
            if node.attr in RENAMES and self.renames[node.attr] != node.attr and not ctx.legacy(node, "InfraConfig"):
                self._field_access(node)
        for node in ctx.nodes(ast.Constant):
            if isinstance(node.value, str) and "InfraConfig" in node.value:
                self._string_annotation(node)
        for call in ctx.calls():
            if ctx.left_alone(call):
                continue  # part of a call of a recipe ftmigrate does not know (FTM091)
            if ctx.legacy(call.func, "InfraConfig"):
                self._infra_call(call)
            elif self._is_trainer_config(call):
                # The ported (or hand-written) TrainerConfig: the target warns, lint reports.
                self._check_manual_path(call)
            elif call.args and ctx.is_call_to(call, "dataclasses.replace"):
                # The copied value's type, from where it comes, else from where the copy goes.
                kind = ctx.value_kind(call.args[0]) or ctx.destination_kind(call)
                if kind == ("InfraConfig", None):
                    self._replace_call(call)
                elif kind is None:
                    for kw in call.keywords:
                        if kw.arg is not None and RENAMES.get(kw.arg, kw.arg) != kw.arg:
                            self._looks_like_infra(kw, f"replace(..., {kw.arg}=...)")

    # --- a reference to the class -------------------------------------------------------------

    def _reference(self, node: ast.AST) -> None:
        ctx = self.ctx
        ref = ctx.legacy(node, "InfraConfig")
        if ref is None or ctx.in_import(node):
            return
        parent = ctx.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            return  # the call is handled as a whole
        if ctx.left_alone(node):
            return
        if ctx.report(node, "FTM001", "InfraConfig is deprecated: use TrainerConfig", fix=SAFE, help=self._reference_help(node)):
            ctx.drop_imports_of(node)
            ctx.target_name(node, "TrainerConfig", legacy=ref).replace()

    def _reference_help(self, node: ast.AST) -> str:
        """``write <the smallest construct holding the reference, with TrainerConfig in it>``."""
        ctx = self.ctx
        old = ctx.flat(node)
        new = old.rpartition("InfraConfig")[0] + "TrainerConfig"
        context: ast.AST = node
        parent = ctx.parent(node)
        while isinstance(parent, (ast.Attribute, ast.Subscript, ast.BinOp, ast.Tuple, ast.List)):
            context, parent = parent, ctx.parent(parent)
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and parent.returns is context:
            shown = f"-> {ctx.flat(context)}"
        elif isinstance(parent, ast.arg) and parent.annotation is context:
            shown = f"{parent.arg}: {ctx.flat(context)}"
        elif isinstance(parent, ast.AnnAssign) and parent.annotation is context:
            shown = f"{ctx.flat(parent.target)}: {ctx.flat(context)}"
        elif isinstance(parent, ast.Call) and context is not parent.func:
            shown = ctx.flat(parent)
        elif isinstance(parent, ast.keyword) and isinstance(ctx.parent(parent), ast.Call):
            shown = ctx.flat(ctx.parent(parent))  # type: ignore[arg-type]
        else:
            shown = ctx.flat(context)
        return f"write {shown.replace(old, new)} (TrainerConfig from training.utils)"

    def _string_annotation(self, node: ast.Constant) -> None:
        """``x: "tu.InfraConfig"`` / ``-> "Optional[InfraConfig]"``: the name in the string."""
        ctx = self.ctx
        found = [(sub, ref) for sub, ref in ctx.string_refs(node) if ref.kind == "legacy" and ref.name == "InfraConfig"]
        if not found:
            return
        parsed = ctx.string_annotation(node)
        assert parsed is not None
        inner = node.value.strip()
        raw = inner.encode("utf-8")
        pieces: list[tuple[int, int, str]] = []
        imports: list[tuple[str, str]] = []
        for sub, ref in found:
            module = target_module_for("TrainerConfig", ref.module)
            start, end = sub.col_offset, sub.end_col_offset  # type: ignore[attr-defined]
            if isinstance(sub, ast.Attribute) and ref.module == module:
                text = raw[start:end].decode().rpartition("InfraConfig")[0] + "TrainerConfig"
            else:
                text = ctx.local_name("TrainerConfig")
                head = sub
                while isinstance(head, ast.Attribute):
                    head = head.value
                imports.append((module, head.id))  # type: ignore[attr-defined]
            pieces.append((start, end, text))
        out = raw
        for start, end, text in sorted(pieces, reverse=True):
            out = out[:start] + text.encode() + out[end:]
        code = ctx.code(node)
        quote_at = len(code) - len(code.lstrip("rRuUbBfF"))
        prefix, quote = code[:quote_at], code[quote_at]
        lead = node.value[: len(node.value) - len(node.value.lstrip())]
        trail = node.value[len(node.value.rstrip()) :]
        value = f"{prefix}{quote}{lead}{out.decode()}{trail}{quote}"
        if not ctx.report(node, "FTM001", "InfraConfig is deprecated: use TrainerConfig", fix=SAFE, help=f"write {value} (TrainerConfig from training.utils)"):
            return
        for module, head in imports:
            # Next to the import the string's name comes from (after a sys.path bootstrap, under
            # `if TYPE_CHECKING:`), as for a name outside a string.
            ctx.target_ref(node, module, "TrainerConfig", via=head)
            ctx.drop_imports_named(node, head)
        ctx.edit(node, lambda original, updated: updated.with_changes(value=value))

    # --- calls ----------------------------------------------------------------------------------

    def _infra_call(self, call: ast.Call) -> None:
        ctx = self.ctx
        ref = ctx.legacy(call.func, "InfraConfig")
        # Positional arguments become keywords: InfraConfig and TrainerConfig order fields differently.
        named = {id(arg): INFRA_FIELDS[i] for i, arg in enumerate(positional(call)) if i < len(INFRA_FIELDS)}
        dropped = [kw for kw in call.keywords if kw.arg in self.renames and self.renames[kw.arg] is None]
        for kw in dropped:
            self._dropped(kw, kw.arg, kw.value)  # type: ignore[arg-type]
        for arg in positional(call):
            name = named.get(id(arg))
            if name is not None and self.renames.get(name) is None:
                self._dropped(arg, name, arg)
        self._check_manual_path(call)
        if has_splat(call):
            ctx.report(
                call,
                "FTM004",
                "InfraConfig(**...) keys are not visible: check them against TrainerConfig's fields",
                help=self._splat_help(call),
            )
        extra = {} if has_splat(call) or positional(call) else {
            name: value for name, value in EXPLICIT_DEFAULTS.items() if name not in {kw.arg for kw in call.keywords}
        }
        if not ctx.report(call, "FTM001", "InfraConfig is deprecated: use TrainerConfig", fix=SAFE, help=self._help(call, named, extra)):
            return
        ctx.drop_imports_of(call.func)
        spell = ctx.target_name(call.func, "TrainerConfig", legacy=ref)
        count = len(positional(call))
        if not (named or dropped or extra):  # renames only: token edits, no parse needed
            spell.replace()
            for kw in call.keywords:
                if kw.arg in self.renames and self.renames[kw.arg] != kw.arg:
                    ctx.rename_keyword(kw, self.renames[kw.arg])  # type: ignore[arg-type]
            return

        def port(original: Any, updated: Any) -> Any:
            args = []
            for index, arg in enumerate(updated.args):
                if index < count and index < len(INFRA_FIELDS) and arg.keyword is None and not arg.star:
                    arg = arg.with_changes(keyword=cst.Name(INFRA_FIELDS[index]), equal=cstutil.make_arg("x", arg.value).equal)
                name = arg.keyword.value if arg.keyword is not None else None
                if name in self.renames and self.renames[name] is None:
                    continue
                if name in self.renames and self.renames[name] != name:
                    arg = cstutil.rename_keyword(arg, self.renames[name])
                args.append(arg)
            args += [cstutil.make_arg(name, cst.parse_expression(repr(value))) for name, value in extra.items()]
            new = cstutil.with_args(updated, args) if args != list(updated.args) else updated
            return new.with_changes(func=spell(updated.func))

        ctx.edit(call, port)

    def _dropped(self, node: ast.AST, name: str, given: ast.AST) -> None:
        """FTM002 for an InfraConfig argument with no TrainerConfig field at the target (none
        when its value is what the target does anyway: ``accelerator_type=None``)."""
        if keeps_value(self.ctx.options.target, name, given):
            return
        value = self.ctx.code(given)
        why = removed_reason(self.ctx.options.target, name)
        if why:  # a manual-path field the target removed: the training shape owns it
            help = (
                f"record the dropped {name}={value}. It is gone{why}; if the run needs that accelerator, pick a"
                " training shape that has it (training_shape_id=accounts/<account>/trainingShapes/<shape>)"
            )
        else:
            help = _dropped_help(name, value)
        self.ctx.report(node, "FTM002", f"InfraConfig.{name}={value} has no TrainerConfig field{why} (the rewrite drops it)", help=help)

    def _is_trainer_config(self, call: ast.Call) -> bool:
        ref = self.ctx.ref(call.func)
        return ref is not None and ref.kind == "target" and ref.name == "TrainerConfig"

    def _help(self, call: ast.Call, named: dict[int, str], extra: dict[str, object]) -> str:
        ctx = self.ctx
        func = ctx.flat(call.func)
        parts = []
        for arg in sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset)):
            if isinstance(arg, ast.keyword):
                if arg.arg is None:
                    parts.append(f"**{ctx.flat(arg.value)}")
                elif self.renames.get(arg.arg, arg.arg) is not None:
                    parts.append(f"{self.renames.get(arg.arg, arg.arg)}={ctx.flat(arg.value)}")
            elif id(arg) in named:
                target = self.renames.get(named[id(arg)])
                if target is not None:
                    parts.append(f"{target}={ctx.flat(arg)}")
            else:
                parts.append(ctx.flat(arg))
        parts += [f"{name}={value!r}" for name, value in extra.items()]
        return f"write {func.rpartition('InfraConfig')[0]}TrainerConfig({', '.join(parts)})"

    def _splat_help(self, call: ast.Call) -> str:
        ctx = self.ctx
        mappings = ", ".join(ctx.flat(kw.value) for kw in call.keywords if kw.arg is None) or "the mapping"
        renames = ", ".join(f"{old} -> {new}" for old, new in self.renames.items() if new and new != old)
        dropped = ", ".join(old for old, new in self.renames.items() if new is None)
        return f"rename the keys where {mappings} is built. Rename them to TrainerConfig's ({renames}) and remove {dropped}"

    def _check_manual_path(self, call: ast.Call) -> None:
        """Manual-path fields next to a training shape. Both known (literals, not None): one
        finding per field -- legacy raised ``ValueError``, the target ignores the field with a
        warning. Either one known only at run time (``args.shape``, ``args.nodes``): they may
        not both be set, so one note for the call, not a TODO per field."""
        ctx = self.ctx
        shape = keyword(call, "training_shape_id")
        if shape is None or literal(shape.value) == (True, None):
            return
        given = [kw for name in MANUAL_PATH_FIELDS if (kw := keyword(call, name)) is not None and literal(kw.value) != (True, None) and self.renames.get(name) is not None]
        static = self._static(shape.value)
        for kw in given:
            if static and self._static(kw.value):
                ctx.report(
                    kw,
                    "FTM003",
                    f"{kw.arg}= is a manual-path field but training_shape_id is set: the shape owns it",
                    help=(
                        f"remove {kw.arg}={ctx.flat(kw.value)}: the shape sets it. Keep training_shape_id={ctx.flat(shape.value)}"
                        f" without {kw.arg}=, or set training_shape_id=None for the manual path"
                    ),
                )
        dynamic = [kw for kw in given if not (static and self._static(kw.value))]
        if dynamic:
            fields = ", ".join(f"{kw.arg}=" for kw in dynamic)
            ctx.report(
                dynamic[0] if static else shape,
                "FTM003",
                f"training_shape_id= and {fields} are known only at run time: when both are set, the shape owns {fields}",
                help=(
                    f"manual fields only when training_shape_id=None. Pass {fields} only when training_shape_id is None"
                    " (the manual path): the shape sets them, legacy InfraConfig raised ValueError for both, and"
                    " TrainerConfig ignores them with a warning"
                ),
            )

    def _static(self, expr: ast.AST) -> bool:
        """Whether a value is known without running the code, and not None: a literal, or a
        name bound once to one (a module constant such as ``SHAPE = "accounts/..."``)."""
        known, value = literal(expr)
        if not known and isinstance(expr, ast.Name):
            bindings = self.ctx.bindings(expr) or []
            if len(bindings) == 1 and bindings[0].kind == "assign" and bindings[0].value is not None:
                known, value = literal(bindings[0].value)
        return known and value is not None

    def _replace_call(self, call: ast.Call) -> None:
        ctx = self.ctx
        for kw in call.keywords:
            name = kw.arg
            target = self.renames.get(name) if name else None
            if name in self.renames and target is None:
                # Dropped as from an InfraConfig(...) call: TrainerConfig would reject it.
                value = ctx.code(kw.value)
                ctx.report(
                    kw,
                    "FTM002",
                    f"InfraConfig.{name}={value} has no TrainerConfig field{removed_reason(ctx.options.target, name)} (the rewrite drops it)",
                    help=_dropped_help(name, value),
                )
                if ctx.would_apply(call, "FTM001"):
                    ctx.edit(call, lambda original, updated, name=name: cstutil.drop_keywords(updated, {name}))
            elif target and target != name:
                if ctx.report(kw, "FTM001", f"InfraConfig field {name} is {target} on TrainerConfig", fix=SAFE, help=f"write {target}={ctx.flat(kw.value)}"):
                    ctx.rename_keyword(kw, target)

    # --- attributes -----------------------------------------------------------------------------

    def _looks_like_infra(self, node: ast.AST, what: str) -> None:
        """A legacy-only InfraConfig field name on a value whose type is unknown here."""
        ctx = self.ctx
        if isinstance(node, ast.Attribute):
            owner = node.value
        else:
            call = ctx.parent(node)
            owner = call.args[0]  # type: ignore[union-attr]
        if not ctx.unknown_may_be_ours(owner):
            return
        name = node.attr if isinstance(node, ast.Attribute) else node.arg  # type: ignore[union-attr]
        target = self.renames.get(name)
        if isinstance(node, ast.Attribute):
            receiver = ctx.flat(node.value)
            port = f"write {receiver}.{target}" if target else f"remove the use of {receiver}.{name} (TrainerConfig has no {name})"
        else:
            call = ctx.parent(node)
            receiver = ctx.flat(call.args[0]) if isinstance(call, ast.Call) and call.args else "the value"
            value = ctx.flat(node.value) if isinstance(node, ast.keyword) else "..."
            port = f"write {target}={value}" if target else f"remove {name}={value} (TrainerConfig has no {name})"
        ctx.report(
            node,
            "FTM031",
            f"{what} looks like a legacy InfraConfig field, but the value's type is unknown here",
            help=(
                f"annotate {receiver} with its type and rerun. Annotate it (`{receiver}: TrainerConfig`) and run"
                f" `ftmigrate rewrite` again; or, if {receiver} is a TrainerConfig now, {port}"
            ),
        )

    def _receiver(self, value: ast.AST) -> str:
        """``value`` as code, with a recipe Config's ``.infra`` already written ``.trainer`` (FTM030)."""
        if isinstance(value, ast.Attribute) and value.attr == "infra":
            kind = self.ctx.value_kind(value.value)
            if kind is not None and kind[0] == "recipe":
                return f"{self.ctx.flat(value.value)}.trainer"
        return self.ctx.flat(value)

    def _field_access(self, node: ast.Attribute) -> None:
        ctx = self.ctx
        name = node.attr
        # A recipe Config's `.trainer` is a TrainerConfig: its legacy field names are what the
        # InfraConfig ones become (the same finding on `cfg.infra.x` and, once ported, on
        # `cfg.trainer.x`: a second pass adds nothing).
        kind = ctx.value_kind(node.value)
        if kind in (("InfraConfig", None), ("TrainerConfig", None)) and RENAMES[name] == name:
            # A TrainerConfig field of the first target: nothing to port here; one the chosen
            # target removed (accelerator_type at 2026-08) is target_upgrade's (FTM081), on the
            # InfraConfig and on what it is ported to alike.
            return
        if kind not in (("InfraConfig", None), ("TrainerConfig", None)):
            inner = node.value
            if isinstance(inner, ast.Attribute) and inner.attr == "infra":
                return  # `x.infra.<field>`: the recipe Config codemod reports it once, whole
            # (only a name that InfraConfig alone has: a field the target removed from
            # TrainerConfig, accelerator_type at 2026-08, is a TrainerConfig name as well)
            if ctx.value_kind(node.value) is None and RENAMES[name] != name:
                self._looks_like_infra(node, f".{name}")
            return
        target = self.renames[name]
        if target is None:
            ctx.report(node, "FTM002", f"InfraConfig.{name} has no TrainerConfig field{removed_reason(ctx.options.target, name)}", help=f"remove the use of {ctx.flat(node)}. TrainerConfig has no {name}")
            return
        if ctx.report(node, "FTM001", f"InfraConfig field {name} is {target} on TrainerConfig", fix=SAFE, help=f"write {self._receiver(node.value)}.{target}"):
            ctx.rename_attribute(node, target)
