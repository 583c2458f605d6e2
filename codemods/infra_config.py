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
field next to a training shape was already an error (FTM003); ``InfraConfig(**kwargs)`` keys
cannot be seen, so their names are not checked (FTM004). The renames come from the field
metadata of the bundled ``InfraConfig``; nothing here retypes them.
"""

from __future__ import annotations

import dataclasses

import libcst as cst

from ftmigrate.api.config import MANUAL_PATH_FIELDS, InfraConfig, TrainerConfig, migration_target
from ftmigrate.cstutil import flat, has_splat, keyword, literal, make_arg, positional, rename_keyword, with_args
from ftmigrate.diagnostics import SAFE
from ftmigrate.transform import Codemod, target_module_for

INFRA_FIELDS = [f.name for f in dataclasses.fields(InfraConfig)]
TRAINER_DEFAULTS = {f.name: f.default for f in dataclasses.fields(TrainerConfig)}
INFRA_DEFAULTS = {f.name: f.default for f in dataclasses.fields(InfraConfig)}


def _renamed(name: str) -> str | None:
    """The TrainerConfig field for InfraConfig field ``name`` (None: no replacement)."""
    target = migration_target(InfraConfig, name)
    return target.split(".", 1)[1] if target else None


RENAMES = {f: _renamed(f) for f in INFRA_FIELDS}


class InfraConfigToTrainerConfig(Codemod):
    CODES = ("FTM001", "FTM002", "FTM003", "FTM004")

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return self._reference(original, updated)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if self.ctx.legacy(original, "InfraConfig"):
            return self._reference(original, updated)
        return self._field_access(original, updated)

    def _reference(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        ref = self.ctx.legacy(original, "InfraConfig")
        if ref is None or self.ctx.in_import(original):
            return updated
        parent = self.ctx.parent(original)
        if isinstance(parent, cst.Call) and parent.func is original:
            return updated  # the call is handled as a whole in leave_Call
        if self.ctx.report(
            original,
            "FTM001",
            "InfraConfig is deprecated: use TrainerConfig",
            fix=SAFE,
            help=self._reference_help(original),
        ):
            self.ctx.drop_imports_of(original)
            return self.ctx.target_name(original, updated, "TrainerConfig", legacy=ref)
        return updated

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        """``x: "tu.InfraConfig"`` / ``-> "Optional[InfraConfig]"``: the name in the string."""
        found = [(sub, ref) for sub, ref in self.ctx.string_refs(original) if ref.kind == "legacy" and ref.name == "InfraConfig"]
        if not found:
            return updated
        replacements: dict[cst.CSTNode, cst.BaseExpression] = {}
        imports: list[tuple[str, str]] = []
        for sub, ref in found:
            module = target_module_for("TrainerConfig", ref.module)
            if isinstance(sub, cst.Attribute) and ref.module == module:
                replacements[sub] = sub.with_changes(attr=cst.Name("TrainerConfig"))
            else:
                replacements[sub] = cst.Name(self.ctx.local_name("TrainerConfig"))
                head = sub
                while isinstance(head, cst.Attribute):
                    head = head.value
                imports.append((module, head.value))  # type: ignore[attr-defined]
        expr = self.ctx.string_annotation(original)
        assert expr is not None
        text = cst.Module([]).code_for_node(expr.visit(_Replace(replacements)))
        value = f"{original.prefix}{original.quote}{text}{original.quote}"
        if not self.ctx.report(
            original,
            "FTM001",
            "InfraConfig is deprecated: use TrainerConfig",
            fix=SAFE,
            help=f"write {value} (TrainerConfig from training.utils)",
        ):
            return updated
        for module, head in imports:
            self.ctx.target_ref(original, module, "TrainerConfig")
            self.ctx.drop_imports_named(original, head)
        return updated.with_changes(value=value)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if self.ctx.legacy(original.func, "InfraConfig"):
            return self._infra_call(original, updated)
        if self.ctx.is_call_to(original, "dataclasses.replace") and original.args:
            kind = self.ctx.value_kind(original.args[0].value)
            if kind == ("InfraConfig", None):
                return self._replace_call(original, updated)
            if kind is None:
                for arg in original.args[1:]:
                    if arg.keyword is not None and RENAMES.get(arg.keyword.value, arg.keyword.value) != arg.keyword.value:
                        self._looks_like_infra(arg, f"replace(..., {arg.keyword.value}=...)")
        return updated

    def _reference_help(self, original: cst.BaseExpression) -> str:
        """``write <the smallest construct holding the reference, with TrainerConfig in it>``."""
        old = flat(original)
        new = old.rpartition("InfraConfig")[0] + "TrainerConfig"
        context: cst.CSTNode = original
        parent = self.ctx.parent(original)
        while isinstance(parent, (cst.Attribute, cst.Subscript, cst.SubscriptElement, cst.Index, cst.BinaryOperation, cst.Element)):
            context, parent = parent, self.ctx.parent(parent)
        owner = self.ctx.parent(parent) if parent is not None else None
        if isinstance(parent, cst.Annotation) and isinstance(owner, cst.FunctionDef):
            shown = f"-> {flat(context)}"
        elif isinstance(parent, cst.Annotation) and isinstance(owner, (cst.Param, cst.AnnAssign)):
            target = owner.name if isinstance(owner, cst.Param) else owner.target
            shown = f"{flat(target)}: {flat(context)}"
        elif isinstance(parent, cst.Arg) and isinstance(owner, cst.Call):
            shown = flat(owner)
        else:
            shown = flat(context)
        return f"write {shown.replace(old, new)} (TrainerConfig from training.utils)"

    def _looks_like_infra(self, node: cst.CSTNode, what: str) -> None:
        """A legacy-only InfraConfig field name on a value whose type is unknown here."""
        owner = node.value if isinstance(node, cst.Attribute) else self.ctx.parent(node).args[0].value
        if self.ctx.foreign(owner):
            return  # a look-alike: the value is known to be another project's object
        name = what.split("(", 1)[-1].strip(".").split("=", 1)[0].replace("..., ", "")
        target = RENAMES.get(name)
        if isinstance(node, cst.Attribute):
            receiver = flat(node.value)
            port = f"write {receiver}.{target}" if target else f"remove the use of {receiver}.{name} (TrainerConfig has no {name})"
        else:
            call = self.ctx.parent(node)
            receiver = flat(call.args[0].value) if isinstance(call, cst.Call) and call.args else "the value"
            value = flat(node.value) if isinstance(node, cst.Arg) else "..."
            port = f"write {target}={value}" if target else f"remove {name}={value} (TrainerConfig has no {name})"
        self.ctx.report(
            node,
            "FTM031",
            f"{what} looks like a legacy InfraConfig field, but the value's type is unknown here",
            help=f"if {receiver} is a TrainerConfig now, {port}; or annotate it (`{receiver}: TrainerConfig`) and run `ftmigrate rewrite` again",
        )

    def _infra_call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        ref = self.ctx.legacy(original.func, "InfraConfig")
        args = list(updated.args)
        # Positional arguments become keywords: InfraConfig and TrainerConfig order fields differently.
        pos = {id(a) for a in positional(updated)}
        named: list[cst.Arg] = []
        for index, arg in enumerate(args):
            if id(arg) in pos and index < len(INFRA_FIELDS):
                named.append(arg.with_changes(keyword=cst.Name(INFRA_FIELDS[index]), equal=make_arg("x", arg.value).equal))
            else:
                named.append(arg)
        new_args, dropped = [], []
        for arg in named:
            name = arg.keyword.value if arg.keyword else None
            if name is None or name not in RENAMES:
                new_args.append(arg)
            elif RENAMES[name] is None:
                dropped.append(arg)
            elif RENAMES[name] != name:
                new_args.append(rename_keyword(arg, RENAMES[name]))
            else:
                new_args.append(arg)
        new_args += self._explicit_defaults(original)
        new = with_args(updated, new_args) if (new_args != list(updated.args)) else updated

        for arg in dropped:
            value = self.ctx.code(arg.value)
            self.ctx.report(
                _original_arg(original, arg) or original,
                "FTM002",
                f"InfraConfig.{arg.keyword.value}={value} has no TrainerConfig field (the rewrite drops it)",
                help=(
                    f"remove {arg.keyword.value}={value} (`ftmigrate rewrite` drops it). If something relies on the"
                    f" trainer being tagged {value}, tag the trainer job another way; otherwise record the dropped value"
                ),
            )
        self._check_manual_path(original)
        if has_splat(original):
            self.ctx.report(
                original,
                "FTM004",
                "InfraConfig(**...) keys are not visible: check them against TrainerConfig's fields",
                help=self._splat_help(original),
            )
        fixable = self.ctx.report(
            original,
            "FTM001",
            "InfraConfig is deprecated: use TrainerConfig",
            fix=SAFE,
            help=self._help(new),
        )
        if not fixable:
            return updated
        self.ctx.drop_imports_of(original.func)
        return new.with_changes(func=self.ctx.target_name(original.func, updated.func, "TrainerConfig", legacy=ref))

    def _help(self, new: cst.Call) -> str:
        func = flat(new.func)
        return "write " + flat(new.with_changes(func=cst.parse_expression(func.rpartition("InfraConfig")[0] + "TrainerConfig")))

    def _splat_help(self, original: cst.Call) -> str:
        mappings = ", ".join(flat(a.value) for a in original.args if a.star == "**") or "the mapping"
        renames = ", ".join(f"{old} -> {new}" for old, new in RENAMES.items() if new and new != old)
        dropped = ", ".join(old for old, new in RENAMES.items() if new is None)
        return f"where {mappings} is built, rename its keys to TrainerConfig's ({renames}) and remove {dropped}"

    def _explicit_defaults(self, original: cst.Call) -> list[cst.Arg]:
        """Keywords for InfraConfig defaults that TrainerConfig does not share (none today)."""
        if has_splat(original) or positional(original):
            return []
        given = {a.keyword.value for a in original.args if a.keyword}
        extra = []
        for name, target in RENAMES.items():
            if target and name not in given and INFRA_DEFAULTS[name] != TRAINER_DEFAULTS[target]:
                extra.append(make_arg(target, cst.parse_expression(repr(INFRA_DEFAULTS[name]))))
        return extra

    def _check_manual_path(self, original: cst.Call) -> None:
        shape = keyword(original, "training_shape_id")
        if shape is None or literal(shape.value) == (True, None):
            return
        for name in MANUAL_PATH_FIELDS:
            arg = keyword(original, name)
            if arg is not None and literal(arg.value) != (True, None):
                self.ctx.report(
                    arg,
                    "FTM003",
                    f"{name}= is a manual-path field but training_shape_id is set: the shape owns it",
                    help=(
                        f"keep training_shape_id={flat(shape.value)} and remove {name}={flat(arg.value)} (the shape sets it),"
                        " or set training_shape_id=None for the manual path"
                    ),
                )

    def _replace_call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        args = []
        changed = False
        for arg in updated.args:
            name = arg.keyword.value if arg.keyword else None
            target = RENAMES.get(name) if name else None
            if name in RENAMES and target is None:
                self.ctx.report(
                    _original_arg(original, arg) or original,
                    "FTM002",
                    f"InfraConfig.{name}={self.ctx.code(arg.value)} has no TrainerConfig field",
                    help=f"remove {name}={flat(arg.value)} from this replace(): TrainerConfig has no {name}",
                )
                args.append(arg)
            elif target and target != name:
                if self.ctx.report(
                    _original_arg(original, arg) or original,
                    "FTM001",
                    f"InfraConfig field {name} is {target} on TrainerConfig",
                    fix=SAFE,
                    help=f"write {target}={flat(arg.value)}",
                ):
                    arg = rename_keyword(arg, target)
                    changed = True
                args.append(arg)
            else:
                args.append(arg)
        return updated.with_changes(args=args) if changed else updated

    def _receiver(self, value: cst.BaseExpression) -> str:
        """``value`` as code, with a recipe Config's ``.infra`` already written ``.trainer`` (FTM030)."""
        if isinstance(value, cst.Attribute) and value.attr.value == "infra":
            kind = self.ctx.value_kind(value.value)
            if kind is not None and kind[0] == "recipe":
                return f"{flat(value.value)}.trainer"
        return flat(value)

    def _field_access(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = original.attr.value
        if name not in RENAMES or RENAMES[name] == name:
            return updated
        if self.ctx.value_kind(original.value) != ("InfraConfig", None):
            inner = original.value
            if isinstance(inner, cst.Attribute) and inner.attr.value == "infra":
                return updated  # `x.infra.<field>`: the recipe Config codemod reports it once, whole
            if self.ctx.value_kind(original.value) is None:
                self._looks_like_infra(original, f".{name}")
            return updated
        target = RENAMES[name]
        if target is None:
            self.ctx.report(
                original,
                "FTM002",
                f"InfraConfig.{name} has no TrainerConfig field",
                help=f"remove the use of {flat(original)}: TrainerConfig has no {name}",
            )
            return updated
        if self.ctx.report(
            original, "FTM001", f"InfraConfig field {name} is {target} on TrainerConfig", fix=SAFE, help=f"write {self._receiver(original.value)}.{target}"
        ):
            return updated.with_changes(attr=cst.Name(target))
        return updated


def _original_arg(original: cst.Call, arg: cst.Arg) -> cst.Arg | None:
    """The argument of ``original`` with the same keyword (or position) as ``arg``."""
    if arg.keyword is not None:
        for candidate in original.args:
            if candidate.keyword is not None and candidate.keyword.value == arg.keyword.value:
                return candidate
        index = INFRA_FIELDS.index(arg.keyword.value) if arg.keyword.value in INFRA_FIELDS else -1
        pos = positional(original)
        if 0 <= index < len(pos):
            return pos[index]
    return None


class _Replace(cst.CSTTransformer):
    """Replace nodes by identity (in a parsed string annotation)."""

    def __init__(self, replacements: dict[cst.CSTNode, cst.BaseExpression]) -> None:
        self.replacements = replacements

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        return self.replacements.get(original, updated)
