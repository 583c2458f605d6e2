"""Code of an earlier target -> the chosen target (2026-06 -> 2026-08), and the last step of a
legacy port to 2026-08. Safe where the meaning is kept; a finding wherever it is not.

What (at ``--target 2026-08``; nothing at the first target): every difference recorded in
``ftmigrate.api.profiles.DIFFERENCES`` is applied to the calls that meet it, read from the
profile, never retyped here:

* a keyword the target removed (``TrainerConfig(accelerator_type=...)``,
  ``rl_loop.Config(weight_sync_interval=...)``, ``weight_sync_before_training=`` on rl_loop and
  async_rl_loop) is dropped: silently when its value meant what the target now always does
  (``weight_sync_interval=1``, FTM080), else with a finding saying what the target does
  (FTM081); ``DeployConfig(deployment_region=X)`` moves to ``TrainerConfig(region=X)`` of the
  same run when that keeps the region (FTM085), else FTM081;
* a renamed keyword is respelled (``build_service_client(lora_rank=)`` -> ``max_lora_rank=``,
  FTM082);
* in code written for the earlier target (or legacy code being ported): a default the target
  changed is written out where the code relied on it (``DeployConfig(...,
  disable_speculative_decoding=True)``, and on a recipe Config that relied on its default
  deployment; FTM083, or FTM084 where it cannot be written), and a recipe whose lifecycle
  changed gets ``cleanup_on_exit`` written for what the old run did on exit, said at the
  ``main()`` call (FTM086; FTM087 where the target cannot do exactly that).

Which code is older: a file is taken as written for the earlier target when it uses something
only that target has (a removed or renamed keyword, a removed ``training.utils`` name), and as
legacy code when it uses the legacy surface; code that reads the same at both targets is taken
as written for the chosen one and left alone (so current 2026-08 code gets no finding). At the
first target, a file that uses what only a later target has is reported once by
``target_signatures`` (FTM072) from the same evidence (:func:`evidence`).

Why: the August 2026 cookbook rejects the removed keywords with ``TypeError``, and changed
defaults and lifecycles would change a run silently.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ftmigrate._lazy import cst, cstutil
from ftmigrate.analysis import Analysis, Codemod, has_splat, keyword, literal
from ftmigrate.api.legacy.surface import LEGACY_CLEANUP, LEGACY_CONFIG_FIELDS
from ftmigrate.api.targets import TARGETS
from ftmigrate.codemods.recipe_main import legacy_main_args
from ftmigrate.diagnostics import SAFE
from ftmigrate.resolve import ASSIGN

#: The classes and functions whose calls carry target differences (``what`` keys of a profile).
CALLABLES = ("TrainerConfig", "DeployConfig", "build_service_client")
#: The keywords that hold a run's trainer / deployment settings, in the calls that take both
#: (target recipe Configs and ``build_service_client``; legacy recipe Configs and ``setup_infra``).
TRAINER_KEYWORDS = ("trainer", "infra", "infra_cfg")
DEPLOYMENT_KEYWORDS = ("deployment", "deploy_cfg")
#: Legacy recipe ``main()`` flags that released resources on exit.
LEGACY_FLAGS = ("cancel_on_exit", "cleanup_on_exit")
#: Legacy classes that are still exported, deprecated, at every target: using one is legacy code.
_DEPRECATED_SHELLS = frozenset({"InfraConfig", "WeightSyncConfig"})


# -- what the file is written for ---------------------------------------------------------------


@dataclass
class Evidence:
    """What in a file shows which surface it is written for (relative to ``target``)."""

    target: str
    #: The first use of the legacy surface (None: none).
    legacy: ast.AST | None = None
    #: Uses only an earlier target has: (node, what it is: ``DeployConfig(deployment_region=)``).
    older: list[tuple[ast.AST, str]] = field(default_factory=list)
    #: Uses only a later target has: (node, what it is, the earliest target that has it).
    newer: list[tuple[ast.AST, str, str]] = field(default_factory=list)
    #: Uses that ``target`` has and its base did not (same shape as ``newer``).
    current: list[tuple[ast.AST, str, str]] = field(default_factory=list)

    @property
    def era(self) -> str:
        """``legacy``; ``older`` (written for the target before ``target``); ``mixed`` (features of
        an earlier target next to features of ``target`` or a later one: half upgraded, by hand);
        ``newer`` (a later target's); or ``same`` (written for ``target``, or reads the same at
        both)."""
        if self.legacy is not None:
            return "legacy"
        if self.older and (self.current or self.newer):
            return "mixed"
        return "older" if self.older else "newer" if self.newer else "same"


def evidence(ctx: Analysis) -> Evidence:
    """The evidence of ``ctx``'s module (worked out once per pass)."""
    found = ctx.shared.get("target_evidence")
    if found is None:
        found = ctx.shared["target_evidence"] = _evidence(ctx)
    return found


def _evidence(ctx: Analysis) -> Evidence:
    target = ctx.options.target
    index = TARGETS.index(target)
    ev = Evidence(target)
    from ftmigrate.api import profiles

    # Per ``what``: the keywords only earlier targets spell (removed or renamed at or before
    # ``target``), and those a later target added, with the first target that has them.
    older: dict[str, set[str]] = {}
    added: dict[str, dict[str, str]] = {}
    removed_names: set[str] = set()
    added_names: dict[str, str] = {}
    packages: dict[str, str] = {}
    for later in TARGETS[1:]:
        differences = profiles.DIFFERENCES[later]
        for what, delta in differences.changes.items():
            if what == "training.utils":
                removed_names.update(r.name for r in delta.removed)
                added_names.update((a.name, later) for a in delta.added)
                continue
            names = added.setdefault(what, {})
            names.update((a.name, later) for a in delta.added)
            names.update((r.new, later) for r in delta.renamed)
            if TARGETS.index(later) <= index:
                older.setdefault(what, set()).update({r.name for r in delta.removed} | {r.old for r in delta.renamed})
        packages.update((p, later) for p in differences.packages)
        packages.update((f"training.recipes.{r}", later) for r in differences.recipes)
    if index == 0:
        removed_names = set()  # (the first target has them all)

    def since(node: ast.AST, what: str, later: str) -> None:
        # (a feature of the chosen target or an earlier one: ``current``; of a later one: ``newer``)
        (ev.newer if TARGETS.index(later) > index else ev.current).append((node, what, later))

    utils_names = set(ctx.profile.utils_names)
    for node, ref in ctx.references("legacy"):
        if ref.name in _DEPRECATED_SHELLS or ref.name not in utils_names:
            ev.legacy = node
            break
    for call, what in target_calls(ctx):
        if what.endswith(".Config") and ev.legacy is None:
            legacy = LEGACY_CONFIG_FIELDS.get(what.partition(".")[0], ())
            if any(k.arg in legacy for k in call.keywords):
                ev.legacy = call
        for kw in call.keywords:
            if kw.arg is None:
                continue
            if kw.arg in older.get(what, ()):
                ev.older.append((kw, f"{_label(what)}({kw.arg}=...)"))
            if kw.arg in added.get(what, {}):
                since(kw, f"{_label(what)}({kw.arg}=...)", added[what][kw.arg])
    if ev.legacy is None:
        for call, recipe in main_calls(ctx):
            if legacy_main_args(call, recipe):
                ev.legacy = call
                break
    for stmt in ctx.nodes(ast.ImportFrom, ast.Import):
        if isinstance(stmt, ast.ImportFrom) and stmt.level:
            continue
        modules = [stmt.module or ""] if isinstance(stmt, ast.ImportFrom) else [a.name for a in stmt.names]
        for module in modules:
            for package, later in packages.items():
                if module == package or module.startswith(package + "."):
                    since(stmt, module, later)
        if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").split(".")[:2] == ["training", "utils"]:
            for alias in stmt.names:
                if alias.name in removed_names:
                    ev.older.append((alias, f"{stmt.module}.{alias.name}"))
                elif alias.name in added_names:
                    since(alias, f"{stmt.module}.{alias.name}", added_names[alias.name])
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "training.recipes":
            for alias in stmt.names:
                later = packages.get(f"training.recipes.{alias.name}")
                if later is not None:
                    since(alias, f"training.recipes.{alias.name}", later)
    for found in (ev.older, ev.current, ev.newer):
        found.sort(key=lambda item: ctx.position(item[0]))
    return ev


def _label(what: str) -> str:
    return what.rpartition(".")[0] + ".Config" if what.endswith(".Config") else what


def target_calls(ctx: Analysis) -> list[tuple[ast.Call, str]]:
    """Calls that carry target differences, with their ``what``: ``TrainerConfig(...)``,
    ``DeployConfig(...)``, ``build_service_client(...)``, a recipe ``Config(...)`` (also through
    ``functools.partial`` or ``dataclasses.replace`` of a known one), and
    ``<service>.create_reference_client(...)``. Worked out once per pass."""
    found = ctx.shared.get("target_calls")
    if found is not None:
        return found
    found = []
    for call in ctx.calls():
        ref = ctx.ref(call.func)
        if ref is not None and ref.kind == "target" and ref.name in CALLABLES:
            found.append((call, ref.name))
            continue
        recipe = ctx.config_recipe(call)
        if recipe is None and call.args and ctx.is_call_to(call, "dataclasses.replace"):
            kind = ctx.value_kind(call.args[0])
            recipe = kind[1] if kind is not None and kind[0] == "recipe" else None
        if recipe is not None:
            found.append((call, f"{recipe}.Config"))
    for call in ctx.nodes(ast.Call):
        if isinstance(call.func, ast.Attribute) and call.func.attr == "create_reference_client" and _a_service(ctx, call.func.value):
            found.append((call, "create_reference_client"))
    ctx.shared["target_calls"] = found
    return found


def _a_service(ctx: Analysis, receiver: ast.AST) -> bool:
    """Whether ``receiver`` is a name bound (once) to ``build_service_client(...)``: a project's
    own ``create_reference_client`` is not the cookbook's."""
    bindings = ctx.bindings(receiver) if isinstance(receiver, ast.Name) else None
    if not bindings or len(bindings) != 1 or not isinstance(bindings[0].value, ast.Call):
        return False
    ref = ctx.ref(bindings[0].value.func)
    return ref is not None and ref.kind == "target" and ref.name == "build_service_client"


def main_calls(ctx: Analysis) -> list[tuple[ast.Call, str]]:
    """Calls of a recipe's ``main``, with the recipe."""
    out = []
    for call in ctx.calls():
        recipe = ctx.recipe(call.func, "main")
        if recipe is not None:
            out.append((call, recipe))
    return out


# -- the codemod --------------------------------------------------------------------------------


@dataclass
class _CallEdit:
    """What the rewrite changes in one call: keywords dropped, renamed, added (code)."""

    drop: set[str] = field(default_factory=set)
    rename: dict[str, str] = field(default_factory=dict)
    add: list[tuple[str, str]] = field(default_factory=list)


class TargetUpgrade(Codemod):
    CODES = ("FTM080", "FTM081", "FTM082", "FTM083", "FTM084", "FTM085", "FTM086", "FTM087")

    def analyze(self) -> None:
        ctx = self.ctx
        profile = ctx.profile
        if profile.base is None:
            return  # the first target: nothing comes before it
        self.target, self.base = profile.target, profile.base.target
        self.edits: dict[int, tuple[ast.Call, _CallEdit]] = {}
        self.wraps: list[tuple[ast.AST, Any]] = []
        ev = evidence(ctx)
        self.era = ev.era
        if self.era == "same" and ctx.options.upgrade_from == self.base:
            self.era = "older"  # --upgrade-from: what reads the same at both was written for the base
        # Defaults and lifecycles are kept only where the code shows it was written for the
        # earlier target (or the legacy surface); half-upgraded code gets findings instead.
        self.kept = self.era in ("legacy", "older", "mixed")
        for call, what in target_calls(ctx):
            if what == "create_reference_client":
                continue
            if what == "DeployConfig":
                self._deployment_region(call)
            self._removed(call, what)
            self._renamed(call, what)
            if self.kept:
                self._defaults(call, what)
        self._removed_attributes()
        if self.kept:
            self._default_classes()
            for call, recipe in main_calls(ctx):
                self._lifecycle(call, recipe)
        for call, plan in self.edits.values():
            self._apply(call, plan)
        for node, wrap in self.wraps:
            ctx.edit(node, wrap)

    def _plan(self, call: ast.Call) -> _CallEdit:
        return self.edits.setdefault(id(call), (call, _CallEdit()))[1]

    # -- removed and renamed keywords --------------------------------------------------------

    def _removed(self, call: ast.Call, what: str) -> None:
        ctx = self.ctx
        removed = ctx.profile.removed(what)
        for kw in call.keywords:
            entry = removed.get(kw.arg) if kw.arg is not None else None
            if entry is None or entry.replacement is not None:
                continue  # (a removed keyword with a replacement is moved: _deployment_region)
            shown = f"{kw.arg}={ctx.code(kw.value)}"
            known, value = literal(kw.value)
            label = _label(what)
            if known and entry.kept_by(value):
                applied = ctx.report(
                    kw,
                    "FTM080",
                    f"{label}() has no {kw.arg} at target {self.target}, and {shown} is what it always does now: {entry.reason}",
                    fix=SAFE,
                    help=f"remove {shown}",
                )
            else:
                ctx.report(
                    kw,
                    "FTM081",
                    f"{shown} is gone from {label}() at target {self.target}: {entry.reason} (the rewrite drops it)",
                    help=self._dropped_help(kw, what, entry),
                )
                applied = ctx.would_apply(kw, "FTM081", SAFE)  # (dropped, and left for a person)
            if applied:
                self._plan(call).drop.add(kw.arg)  # type: ignore[arg-type]

    def _dropped_help(self, kw: ast.keyword, what: str, entry: Any) -> str:
        shown = f"{kw.arg}={self.ctx.flat(kw.value)}"
        if what == "TrainerConfig":
            return (
                f"remove {shown}: at target {self.target} {entry.reason}. If the run needs that accelerator, pick a"
                " training shape that has it (training_shape_id=accounts/<account>/trainingShapes/<shape>)"
            )
        return (
            f"remove {shown}: at target {self.target} {entry.reason}, and nothing else sets it. Record the dropped value;"
            f" if the run depended on it, pin the cookbook at {self.base} or ask"
        )

    def _renamed(self, call: ast.Call, what: str) -> None:
        ctx = self.ctx
        for old, new in ctx.profile.renamed(what).items():
            kw = keyword(call, old)
            if kw is None or keyword(call, new) is not None:
                continue
            if ctx.report(
                kw,
                "FTM082",
                f"{_label(what)}({old}=...) is {new}= at target {self.target}",
                fix=SAFE,
                help=f"write {new}={ctx.flat(kw.value)}",
            ):
                self._plan(call).rename[old] = new

    def _removed_attributes(self) -> None:
        """``cfg.weight_sync_interval`` on a known recipe Config, ``cfg.trainer.accelerator_type``
        on its TrainerConfig: a field the target removed."""
        ctx = self.ctx
        wanted = {name for what in ctx.profile.differences.changes for name in ctx.profile.removed(what)}
        for node in ctx.nodes(ast.Attribute):
            if node.attr not in wanted:
                continue
            kind = ctx.value_kind(node.value)
            if kind is None or kind[0] not in ("recipe", "TrainerConfig", "InfraConfig"):
                continue
            what = f"{kind[1]}.Config" if kind[0] == "recipe" else "TrainerConfig"  # (what InfraConfig is ported to)
            entry = ctx.profile.removed(what).get(node.attr)
            if entry is None:
                continue
            ctx.report(
                node,
                "FTM081",
                f"{what} has no {node.attr} at target {self.target}: {entry.reason}",
                help=f"remove the use of {ctx.flat(node)}: at target {self.target} {entry.reason}",
            )

    # -- deployment_region -> TrainerConfig.region ---------------------------------------------

    def _deployment_region(self, deploy: ast.Call) -> None:
        ctx = self.ctx
        removed = ctx.profile.removed("DeployConfig")
        for kw in deploy.keywords:
            entry = removed.get(kw.arg) if kw.arg is not None else None
            if entry is None or entry.replacement is None:
                continue
            owner, _, target_field = entry.replacement.partition(".")
            shown = f"{kw.arg}={ctx.code(kw.value)}"
            known, value = literal(kw.value)
            if known and entry.kept_by(value):
                if ctx.report(kw, "FTM080", f"DeployConfig() has no {kw.arg} at target {self.target}, and {shown} set nothing", fix=SAFE, help=f"remove {shown}"):
                    self._plan(deploy).drop.add(kw.arg)  # type: ignore[arg-type]
                continue
            self._move(deploy, kw, owner, target_field, entry)

    def _run_of(self, deploy: ast.Call) -> tuple[ast.Call, ast.keyword] | None:
        """The call that takes ``deploy`` as its deployment (inline, or through a name bound
        once to it and read once), and the keyword it stands in."""
        ctx = self.ctx
        node: ast.AST = deploy
        parent = ctx.parent(node)
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            binding = next((b for b in ctx.resolver.all_bindings() if b.node is parent.targets[0]), None)
            reads = ctx.reads_of(binding) if binding is not None else []
            if binding is None or len(reads) != 1 or len(ctx.bindings(reads[0]) or []) != 1:
                return None
            node, parent = reads[0], ctx.parent(reads[0])
        if not (isinstance(parent, ast.keyword) and parent.arg in DEPLOYMENT_KEYWORDS):
            return None
        run = ctx.parent(parent)
        return (run, parent) if isinstance(run, ast.Call) else None

    def _move(self, deploy: ast.Call, kw: ast.keyword, owner: str, target_field: str, entry: Any) -> None:
        """``DeployConfig(deployment_region=X)`` -> ``TrainerConfig(region=X)`` of the same run,
        when that is the same region."""
        ctx = self.ctx
        value = ctx.flat(kw.value)
        shown = f"{kw.arg}={value}"
        found = self._run_of(deploy)
        run = found[0] if found is not None else None
        trainer = next((k for k in run.keywords if k.arg in TRAINER_KEYWORDS), None) if run is not None else None
        settings, exclusive = self._trainer_settings(trainer.value) if trainer is not None else (None, False)
        region = keyword(settings, target_field) if settings is not None else None
        # The value is written in another statement than its own: a literal only.
        local = run is not None and ctx.within(deploy, run) and (settings is None or ctx.within(settings, run))
        why = None
        if run is None:
            why = "no call in this file takes this DeployConfig with its trainer settings"
        elif trainer is None:
            if has_splat(run) or ctx.recipe(run.func, "Config") is None:
                why = f"{ctx.flat(run.func)}(...) gets its trainer settings some other way"
        elif settings is None:
            why = f"its trainer settings are {ctx.flat(trainer.value)}, not a TrainerConfig(...) written in this file"
        if why is None and region is not None and not self._same_code(region.value, kw.value):
            why = f"the trainer's region is {ctx.flat(region.value)}"
        elif why is None and region is None and trainer is not None and not exclusive:
            why = f"the TrainerConfig it would move to ({ctx.flat(trainer.value)}) is used elsewhere too"
        elif why is None and region is None and not local and not literal(kw.value)[0]:
            why = f"{value} is not a literal, and the trainer settings are built in another statement"
        if why is not None:
            ctx.report(
                kw,
                "FTM081",
                f"{shown} is gone from DeployConfig() at target {self.target}: {entry.reason}, and {why} (the rewrite drops it)",
                help=(
                    f"remove {shown} and set {owner}({target_field}={value}) on the run's trainer, if placing the trainer"
                    f" there is right; otherwise the deployment follows the trainer to its region"
                ),
            )
            if ctx.would_apply(kw, "FTM081", SAFE):
                self._plan(deploy).drop.add(kw.arg)  # type: ignore[arg-type]
            return
        assert run is not None
        if region is not None:
            message = f"{shown} is gone at target {self.target}: {entry.reason}, which is {value} already"
            help = f"remove {shown}"
        elif settings is not None:
            message = (
                f"{shown} is gone at target {self.target}: {entry.reason}; the rewrite moves it to"
                f" {ctx.flat(settings.func)}({target_field}={value}), which places the trainer there too"
            )
            help = f"remove {shown} and write {target_field}={value} in {ctx.flat(settings)}"
        else:
            message = (
                f"{shown} is gone at target {self.target}: {entry.reason}; the rewrite adds"
                f" trainer={owner}({target_field}={value}), which places the trainer there too"
            )
            help = f"remove {shown} and write trainer={owner}({target_field}={value}) on {ctx.flat(run.func)}(...)"
        if not ctx.report(kw, "FTM085", message, fix=SAFE, help=help):
            return
        self._plan(deploy).drop.add(kw.arg)  # type: ignore[arg-type]
        if region is not None:
            return
        code = ctx.code(kw.value) if local else ctx.flat(kw.value)
        if settings is not None:
            self._plan(settings).add.append((target_field, code))
        else:
            name = ctx.target_ref(run, "training.utils", owner)
            self._plan(run).add.append(("trainer", f"{name}({target_field}={code})"))

    def _trainer_settings(self, expr: ast.AST, depth: int = 0) -> tuple[ast.Call | None, bool]:
        """The ``TrainerConfig(...)`` / ``InfraConfig(...)`` call (or ``dataclasses.replace`` of
        one that sets the field itself) that ``expr`` is, and whether only ``expr`` uses it."""
        ctx = self.ctx
        if depth > 4:
            return None, False
        if isinstance(expr, ast.Call):
            if self._trainer_call(expr):
                return expr, True
            if expr.args and ctx.is_call_to(expr, "dataclasses.replace") and not has_splat(expr):
                inner, _ = self._trainer_settings(expr.args[0], depth + 1)
                if inner is None:
                    return None, False
                # replace(x, region=...) sets it here; else x's region (never written into x)
                return (expr, True) if keyword(expr, "region") is not None else (inner, False)
            return None, False
        if isinstance(expr, ast.Name):
            bindings = ctx.bindings(expr) or []
            if len(bindings) != 1 or bindings[0].kind != ASSIGN or bindings[0].value is None:
                return None, False
            inner, exclusive = self._trainer_settings(bindings[0].value, depth + 1)
            return inner, exclusive and len(ctx.reads_of(bindings[0])) == 1
        return None, False

    def _trainer_call(self, call: ast.Call) -> bool:
        ref = self.ctx.ref(call.func)
        return ref is not None and ref.name in ("TrainerConfig", "InfraConfig") and ref.kind in ("target", "legacy") and not has_splat(call)

    def _same_code(self, a: ast.AST, b: ast.AST) -> bool:
        known_a, value_a = literal(a)
        known_b, value_b = literal(b)
        if known_a and known_b:
            return type(value_a) is type(value_b) and value_a == value_b
        return self.ctx.flat(a) == self.ctx.flat(b)

    # -- changed defaults --------------------------------------------------------------------

    def _defaults(self, call: ast.Call, what: str) -> None:
        ctx = self.ctx
        changed = ctx.profile.changed_defaults(what)
        if changed:
            given = {k.arg for k in call.keywords}
            missing = [d for name, d in changed.items() if name not in given]
            if not missing or self._is_copy(call):
                return
            if has_splat(call):
                ctx.report(
                    call,
                    "FTM084",
                    f"{what}(**...) may rely on the default of {', '.join(d.name for d in missing)}, which target {self.target} changed to "
                    + ", ".join(repr(d.new) for d in missing),
                    help="; ".join(f"{d.keep} if the mapping does not set it" for d in missing),
                )
                return
            written = ", ".join(f"{d.name}={d.old!r}" for d in missing)
            if self.era == "mixed":
                self._undecided(call, f"{what}() relies on the default of {', '.join(d.name for d in missing)}, which target {self.target} changed", "; ".join(d.keep for d in missing))
                return
            if ctx.report(
                call,
                "FTM083",
                f"{what}() relied on {written}, the default before target {self.target}, which changed it to "
                + ", ".join(repr(d.new) for d in missing)
                + ": the rewrite writes it out",
                fix=SAFE,
                help="; ".join(d.keep for d in missing),
            ):
                self._plan(call).add.extend((d.name, repr(d.old)) for d in missing)
            return
        if not what.endswith(".Config") or self._is_copy(call) or ctx.recipe(call.func, "Config") is None:
            return
        recipe = what.partition(".")[0]
        for name, cls, defaults in self._defaulted_fields(recipe):
            if keyword(call, name) is not None:
                continue
            written = ", ".join(f"{d.name}={d.old!r}" for d in defaults)
            if has_splat(call):
                ctx.report(
                    call,
                    "FTM084",
                    f"{what}(**...) may rely on its default {name}={cls}(), whose {', '.join(d.name for d in defaults)} default target {self.target} changed",
                    help=f"pass {name}={cls}({written}) unless the mapping sets {name}",
                )
                continue
            if self.era == "mixed":
                self._undecided(call, f"{what}() relies on its default {name}={cls}(), and target {self.target} changed {cls}'s defaults ({_was(defaults)})", f"write {name}={cls}({written}) to keep it")
                continue
            if ctx.report(
                call,
                "FTM083",
                f"{what}() relied on its default {name}={cls}(), and target {self.target} changed {cls}'s defaults ({_was(defaults)}): the rewrite writes the old values out",
                fix=SAFE,
                help=f"write {name}={cls}({written})",
            ):
                spelled = ctx.target_ref(call, "training.utils", cls)
                self._plan(call).add.append((name, f"{spelled}({written})"))

    def _undecided(self, node: ast.AST, what: str, keep: str, code: str = "FTM084") -> None:
        """In a file that mixes code of the earlier target and of this one, a site that reads
        the same at both: which one it was written for is for a person to say."""
        self.ctx.report(
            node,
            code,
            f"{what}; this file mixes {self.base} and {self.target} code, so it may have relied on the earlier one",
            help=f"say which target this was written for. If for {self.base}, {keep}; if for {self.target}, replace the TODO with a NOTE saying so",
        )

    def _is_copy(self, call: ast.Call) -> bool:
        """``dataclasses.replace(x, ...)`` / ``functools.partial(Config, ...)``: the defaults
        come from elsewhere."""
        return self.ctx.recipe(call.func, "Config") is None and (
            self.ctx.is_call_to(call, "dataclasses.replace") or self.ctx.is_call_to(call, "functools.partial")
        )

    def _defaulted_fields(self, recipe: str) -> list[tuple[str, str, list[Any]]]:
        """Fields of the recipe's Config whose default is a config class with changed defaults
        (``deployment=DeployConfig()`` on a recipe that deploys)."""
        base = self.ctx.profile.base
        out = []
        if f"{recipe}.Config" not in {f"{r}.Config" for r in base.implemented_recipes}:
            return out
        import dataclasses

        classes = {id(base.object(name)): name for name in ("TrainerConfig", "DeployConfig")}
        module = base.recipe_module(recipe)
        for f in dataclasses.fields(base.recipe_config(recipe)):
            cls = classes.get(id(f.default_factory))
            if cls is None:
                continue
            changed = list(self.ctx.profile.changed_defaults(cls).values())
            if not changed:
                continue
            if f.name == "deployment" and not getattr(module, "NEEDS_DEPLOYMENT", True):
                continue  # the recipe never deploys: the default changes nothing
            out.append((f.name, cls, changed))
        return out

    def _default_classes(self) -> None:
        """``field(default_factory=DeployConfig)``, ``DeployConfig`` passed as a value: the default
        is not written anywhere it could be changed."""
        ctx = self.ctx
        for name in CALLABLES:
            changed = ctx.profile.changed_defaults(name)
            if not changed:
                continue
            for node, _ in ctx.references("target", name):
                parent = ctx.parent(node)
                if not (isinstance(parent, ast.keyword) and parent.arg == "default_factory"):
                    continue  # (a call is written out where it stands; isinstance() builds nothing)
                written = ", ".join(f"{d.name}={d.old!r}" for d in changed.values())
                ctx.report(
                    node,
                    "FTM084",
                    f"default_factory={ctx.flat(node)} builds a {name} with the defaults of target {self.target}, where "
                    + ", ".join(f"{d.name} is {d.new!r} (was {d.old!r})" for d in changed.values()),
                    help=f"build it as {ctx.flat(node)}({written}) (e.g. default_factory=lambda: {ctx.flat(node)}({written})) to keep the earlier defaults",
                )

    # -- lifecycle -----------------------------------------------------------------------------

    def _lifecycle(self, call: ast.Call, recipe: str) -> None:
        ctx = self.ctx
        profile = ctx.profile
        rule = profile.lifecycle(recipe)
        if rule.flag is None or profile.base.lifecycle(recipe).flag is not None:
            return
        flag = rule.flag
        config = call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else None
        config_kw = keyword(call, "config")
        if config is None and config_kw is not None:
            config = config_kw.value
        built = ctx.config_call(config) if config is not None else None
        if built is not None and (keyword(built, flag) is not None or has_splat(built)):
            return  # written already (or hidden in a mapping)
        if config is not None and isinstance(config, ast.Call) and self._is_copy(config) and keyword(config, flag) is not None:
            return
        value, before, mismatch = self._keep(call, recipe, rule)
        after = rule.describe()
        if self.era == "mixed":
            self._undecided(call, f"{recipe}.main() at target {self.target} {after}", f"write {flag}={value} on its Config", "FTM087")
            return
        if config is None:
            ctx.report(
                call,
                "FTM087",
                f"{recipe}.main() at target {self.target} {after}; {before}, and the config of this call is not visible here",
                help=f"set {flag}={value} on the Config passed to {recipe}.main() to keep that",
            )
            return
        message = f"{recipe}.main() at target {self.target} {after}; {before}: the rewrite writes {flag}={value} to keep that"
        help = f"write {flag}={value} on the recipe Config ({ctx.flat(built) if built is not None else ctx.flat(config)})"
        if not ctx.report(call, "FTM086", message, fix=SAFE, help=help):
            if mismatch:
                ctx.report(call, "FTM087", mismatch, help=self._mismatch_help(recipe, flag))
            return
        if mismatch:
            ctx.report(call, "FTM087", mismatch, help=self._mismatch_help(recipe, flag))
        where = self.shared_configs().get(id(built)) if built is not None else None
        # On the Config call: when only this call's value is written there, and the value means
        # the same there (a constant, or the Config is built inside this very call).
        if built is not None and where is not None and len(where) == 1 and (literal_value(value) or ctx.within(built, call)):
            plan = self._plan(built)
            if flag not in {name for name, _ in plan.add}:
                plan.add.append((flag, value))
            return
        if isinstance(config, ast.Call) and ctx.is_call_to(config, "dataclasses.replace") and config.args and not has_splat(config):
            self._plan(config).add.append((flag, value))  # a copy made at the call: it says it
            return
        replace = ctx.replace_function()

        def wrap(original: Any, updated: Any) -> Any:
            return cst.Call(
                func=cst.parse_expression(replace),
                args=[cst.Arg(updated), cstutil.make_arg(flag, cst.parse_expression(value))],
            )

        # (registered after the keyword edits of this codemod: they edit the call inside it)
        self.wraps.append((config, wrap))

    def shared_configs(self) -> dict[int, set[str]]:
        """Per recipe Config call reached from ``main()`` calls: the values they want written."""
        found = self.ctx.shared.get("lifecycle_configs")
        if found is None:
            found = self.ctx.shared["lifecycle_configs"] = {}
            for call, recipe in main_calls(self.ctx):
                rule = self.ctx.profile.lifecycle(recipe)
                if rule.flag is None or not call.args or isinstance(call.args[0], ast.Starred):
                    continue
                built = self.ctx.config_call(call.args[0])
                if built is not None:
                    found.setdefault(id(built), set()).add(self._keep(call, recipe, rule)[0])
        return found

    def _keep(self, call: ast.Call, recipe: str, rule: Any) -> tuple[str, str, str | None]:
        """The value of the lifecycle flag that keeps what the call did before (as code), what
        that was (for the message), and what the target cannot keep (None: all of it)."""
        deploys = bool(getattr(self.ctx.profile.base.recipe_module(recipe), "NEEDS_DEPLOYMENT", False))
        if self.era != "legacy":
            return "False", f"at target {self.base} it left them running", None
        legacy = LEGACY_CLEANUP[recipe]
        flags = [(name, arg) for name, arg in legacy_main_args(call, recipe) if name in LEGACY_FLAGS]
        cancel: str | bool | None = None
        for _, arg in flags:
            value = arg.value if isinstance(arg, ast.keyword) else arg
            known, constant = literal(value)
            if known:
                cancel = bool(constant) or cancel is True
            elif cancel is not True:
                cancel = self.ctx.code(value)
        trainer_always = legacy.trainers_always
        if cancel is True or trainer_always:
            value = "True"
        elif cancel in (None, False):
            value = "False"
        else:  # an expression: its truth value, as the legacy recipe read it
            value = cancel if self._boolean(flags) else f"bool({cancel})"  # type: ignore[assignment]
        released = []
        if trainer_always:
            released.append("cancelled the trainers it created")
        elif legacy.trainers_with_cancel and cancel:
            released.append("cancelled the trainers it created" + (f" when {cancel} was true" if isinstance(cancel, str) else ""))
        deployment_released = bool(cancel) and legacy.deployment_with_cancel and deploys
        if deployment_released:
            released.append("scaled its deployment to zero" + (f" when {cancel} was true" if isinstance(cancel, str) else ""))
        before = f"on exit, legacy {recipe}.main " + (" and ".join(released) if released else "cleaned up nothing")
        mismatch = None
        if value == "True" and deploys and rule.deployment and not deployment_released:
            mismatch = (
                f"legacy {recipe}.main kept its deployment on exit, but with {rule.flag}=True the target recipe"
                f" also {'scales it to zero' if rule.deployment == 'scale_to_zero' else 'deletes it'}"
            )
        elif isinstance(cancel, str) and trainer_always and deploys and rule.deployment:
            mismatch = (
                f"legacy {recipe}.main scaled its deployment to zero only when {cancel} was true; with {rule.flag}=True"
                " the target recipe always does"
            )
        return value, before, mismatch

    def _boolean(self, flags: list[tuple[str, ast.AST]]) -> bool:
        """Whether the flag expression is a bool already (``not x``, a comparison)."""
        for _, arg in flags:
            value = arg.value if isinstance(arg, ast.keyword) else arg
            if not literal(value)[0]:
                return (isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not)) or isinstance(value, ast.Compare)
        return False

    def _mismatch_help(self, recipe: str, flag: str) -> str:
        return (
            f"decide whether the deployment must keep serving after {recipe}.main(). If it must, write {flag}=False and delete the"
            " trainer yourself after it returns (references/lifecycle.md of the ftmigrate skill); otherwise replace the"
            " TODO with a NOTE that scaling the deployment to zero is fine"
        )

    # -- edits ---------------------------------------------------------------------------------

    def _apply(self, call: ast.Call, plan: _CallEdit) -> None:
        drop, rename, add = set(plan.drop), dict(plan.rename), list(plan.add)
        ctx = self.ctx
        if not drop and not add:  # renames only: token edits, no parse needed
            for kw in call.keywords:
                if kw.arg in rename:
                    ctx.rename_keyword(kw, rename[kw.arg])
            return

        def change(original: Any, updated: Any) -> Any:
            kept = []
            for arg in updated.args:
                name = arg.keyword.value if arg.keyword is not None else None
                if name in drop:
                    continue
                if name in rename:
                    arg = cstutil.rename_keyword(arg, rename[name])
                kept.append(arg)
            present = {a.keyword.value for a in kept if a.keyword is not None}
            for name, code in add:
                if name not in present:
                    kept.append(cstutil.make_arg(name, cst.parse_expression(code)))
                    present.add(name)
            return rebuild(updated, kept)

        ctx.edit(call, change)


def rebuild(call: Any, args: list[Any]) -> Any:
    """``call`` with ``args``: the arguments it keeps (in order) and new ones after them. Each
    kept argument keeps the comment at the end of its line and the comment lines above it; a
    dropped argument's comments go with it (the edit puts them back above the statement), and a
    new argument gets none. Separators and the closing layout come from ``call``."""
    if not call.args:
        return cstutil.with_args(call, args)
    old = list(call.args)
    index = {id(a): i for i, a in enumerate(old)}
    last = old[-1]
    closing_comma, closing_ws = last.comma, last.whitespace_after_arg
    if isinstance(closing_comma, cst.Comma) and isinstance(closing_comma.whitespace_after, cst.ParenthesizedWhitespace):
        closing_comma = closing_comma.with_changes(
            whitespace_after=closing_comma.whitespace_after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
        )
    if isinstance(closing_ws, cst.ParenthesizedWhitespace):
        closing_ws = closing_ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    separator = cstutil.separator(call)

    def own_line(arg: Any) -> Any:
        """The end of the argument's line (its comment), if the layout has one."""
        if id(arg) not in index:
            return None
        if isinstance(arg.comma, cst.Comma) and isinstance(arg.comma.whitespace_after, cst.ParenthesizedWhitespace):
            return arg.comma.whitespace_after.first_line
        if isinstance(arg.whitespace_after_arg, cst.ParenthesizedWhitespace):
            return arg.whitespace_after_arg.first_line
        return None

    def lines_above(arg: Any) -> list[Any]:
        """The comment lines between the argument before it and this one."""
        i = index.get(id(arg))
        if not i:
            return []
        before = old[i - 1].comma
        if isinstance(before, cst.Comma) and isinstance(before.whitespace_after, cst.ParenthesizedWhitespace):
            return list(before.whitespace_after.empty_lines)
        return []

    out = []
    for i, arg in enumerate(args):
        own = own_line(arg)
        if i < len(args) - 1:
            comma = separator
            ws = comma.whitespace_after
            if isinstance(ws, cst.ParenthesizedWhitespace):
                comma = comma.with_changes(whitespace_after=ws.with_changes(first_line=own or ws.first_line, empty_lines=lines_above(args[i + 1])))
            out.append(arg.with_changes(comma=comma, whitespace_after_arg=cst.SimpleWhitespace("")))
            continue
        comma, ws = closing_comma, closing_ws
        if own is not None and isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
            comma = comma.with_changes(whitespace_after=comma.whitespace_after.with_changes(first_line=own))
        elif own is not None and isinstance(ws, cst.ParenthesizedWhitespace):
            ws = ws.with_changes(first_line=own)
        out.append(arg.with_changes(comma=comma, whitespace_after_arg=ws))
    return call.with_changes(args=out)


def literal_value(code: str) -> bool:
    """Whether ``code`` (a flag value) is a constant that can be written in another statement."""
    return code in ("True", "False")


def _was(defaults: Any) -> str:
    """``disable_speculative_decoding was True`` for each changed default."""
    return ", ".join(f"{d.name} was {d.old!r}" for d in defaults)
