"""``policy.create_base_reference()`` / ``make_reference_client(...)`` ->
``service.create_reference_client(base_model, lora_rank=...)`` (migration rule 11). Unsafe.

What: with ``--unsafe-fixes`` and exactly one service in scope -- the one a ``setup_infra``
rewrite creates in the same function (``ftmigrate.codemods.setup_infra``), or a name bound once
to ``build_service_client(...)`` earlier in the same scope -- the call becomes
``service.create_reference_client(base_model, lora_rank=...)`` with that service's base model
and LoRA rank. Without a service in scope it is reported with a TODO.

Why: at target 2026-06 the service owns the reference strategy: a LoRA policy without an
explicit reference shape shares its session with the reference (what ``create_base_reference``
gave); full-parameter training (or an explicit reference shape) gets a separate forward-only
trainer, which the service deletes on close.

Unsafe because the reference for a full-parameter policy changes from the policy's own session
to a separate trainer (the message says so). ``make_reference_client`` was never public; its
arguments are not read, only the service's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ftmigrate.analysis import Analysis, Codemod, keyword
from ftmigrate.codemods.setup_infra import InfraSite, in_scope_of, reference_call, takes_policy_client
from ftmigrate.diagnostics import UNSAFE

STRATEGY = (
    "the service picks the reference: the policy's shared LoRA session (what create_base_reference gave) or,"
    " for full-parameter training or an explicit reference shape, a separate forward-only trainer it deletes on close()"
)
HELP = (
    "use service.create_reference_client(...). Write reference = service.create_reference_client(base_model,"
    " lora_rank=lora_rank) with the service from build_service_client(...)"
)


@dataclass(eq=False)
class Service:
    """A service a reference call can use: its name and how it was built (the code of each part)."""

    name: str
    base_model: str
    lora_rank: str
    site: InfraSite | None = None  # None: an existing build_service_client(...) binding


class ReferenceClientToService(Codemod):
    CODES = ("FTM056",)

    def analyze(self) -> None:
        ctx = self.ctx
        plan = ctx.shared.get("service_plan")
        self.sites: list[InfraSite] = list(plan.sites.values()) if plan is not None else []
        self.existing = _existing_services(ctx)
        for node, _ in ctx.references("legacy", "make_reference_client"):
            if isinstance(node, ast.Name) and not ctx.in_import(node):
                call = ctx.parent(node)
                if not (isinstance(call, ast.Call) and call.func is node):
                    self._reference(node)
        for call in ctx.nodes(ast.Call):
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr == "create_base_reference" and not ctx.ref(func):
                self._call(call, "create_base_reference()")
            elif ctx.legacy(func, "make_reference_client"):
                self._call(call, "make_reference_client(...)")

    def _reference(self, node: ast.Name) -> None:
        self.ctx.report(
            node,
            "FTM056",
            f"make_reference_client is gone at target {self.ctx.options.target}: use service.create_reference_client(base_model, lora_rank=...)",
            help=HELP,
        )

    def _call(self, call: ast.Call, name: str) -> None:
        ctx = self.ctx
        service, reason = self._service(call)
        if service is None:
            ctx.report(
                call,
                "FTM056",
                f"{name} is gone at target {self.ctx.options.target} and {reason}: use service.create_reference_client(base_model, lora_rank=...)",
                help=HELP,
            )
            return
        applied = ctx.report(
            call,
            "FTM056",
            f"{name} is gone at target {self.ctx.options.target}: use {service.name}.create_reference_client(base_model, lora_rank=...); {STRATEGY}",
            fix=UNSAFE,
            help=HELP,
        )
        if not applied or (service.site is not None and not service.site.apply):
            return
        if name.startswith("make_reference_client"):
            ctx.drop_imports_of(call.func)
        # ``policy.create_base_reference()``: the policy client goes with it where the target takes it.
        receiver = call.func.value if isinstance(call.func, ast.Attribute) and name.startswith("create_base_reference") else None
        policy = ctx.flat(receiver) if isinstance(receiver, (ast.Name, ast.Attribute)) and takes_policy_client(ctx) else None
        parts = (service.name, service.base_model, service.lora_rank, policy)
        ctx.edit(call, lambda original, updated: reference_call(*parts))

    def _service(self, call: ast.Call) -> tuple[Service | None, str]:
        """The one service in scope at ``call``, or None and why not."""
        ctx = self.ctx
        owner = next((s for s in self.sites if any(c is call for c in s.base_references)), None)
        if owner is not None:
            candidates = [owner] if owner.reason is None else []
        else:
            candidates = [s for s in self.sites if s.reason is None and in_scope_of(ctx, s, call)]
        services = [_of_site(ctx, s) for s in candidates]
        scope = ctx.scope(call)
        start = ctx.position(call)[:2]
        services += [s for stmt, s in self.existing if ctx.scope(stmt) is scope and ctx.position(stmt)[2:] < start]
        if owner is not None and not candidates:
            return None, f"its setup_infra cannot be ported ({owner.reason})"
        if not services:
            return None, "no service is in scope"
        if len(services) > 1:
            return None, f"{len(services)} services are in scope ({', '.join(s.name for s in services)})"
        return services[0], ""


def _of_site(ctx: Analysis, site: InfraSite) -> Service:
    lora_rank = site.value("lora_rank")
    return Service(site.service, ctx.code(site.value("base_model")), ctx.code(lora_rank) if lora_rank is not None else "0", site)  # type: ignore[arg-type]


def _existing_services(ctx: Analysis) -> list[tuple[ast.stmt, Service]]:
    """``name = build_service_client(...)`` bindings whose base model and rank can be reused."""
    found: list[tuple[ast.stmt, Service]] = []
    for func, _ in ctx.references("target", "build_service_client"):
        call = ctx.parent(func)
        node = ctx.parent(call) if isinstance(call, ast.Call) and call.func is func else None
        if not isinstance(node, ast.Assign) or node.value is not call:
            continue
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            continue
        target = node.targets[0]
        scope = ctx.scope(target)
        base_model = keyword(call, "base_model")  # type: ignore[arg-type]
        lora_rank = keyword(call, "lora_rank") or keyword(call, "max_lora_rank")  # type: ignore[arg-type]  (2026-08)
        if scope is None or len(ctx.bindings_in(scope, target.id)) != 1 or base_model is None or lora_rank is None:
            continue
        if not all(_plain(kw.value) for kw in (base_model, lora_rank)):
            continue
        found.append((node, Service(target.id, ctx.code(base_model.value), ctx.code(lora_rank.value))))
    return found


def _plain(value: ast.AST) -> bool:
    """A name (``None`` included), an attribute, a string or an integer literal."""
    if isinstance(value, (ast.Name, ast.Attribute)):
        return True
    return isinstance(value, ast.Constant) and (value.value is None or isinstance(value.value, (str, bytes, int)))
