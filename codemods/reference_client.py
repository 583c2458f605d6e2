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

from dataclasses import dataclass

import libcst as cst

from ftmigrate.codemods.setup_infra import InfraSite, in_scope_of, reference_call
from ftmigrate.cstutil import keyword
from ftmigrate.diagnostics import UNSAFE
from ftmigrate.transform import Codemod, FileContext

STRATEGY = (
    "the service picks the reference: the policy's shared LoRA session (what create_base_reference gave) or,"
    " for full-parameter training or an explicit reference shape, a separate forward-only trainer it deletes on close()"
)
HELP = "reference = service.create_reference_client(base_model, lora_rank=lora_rank) with the service from build_service_client(...)"


@dataclass(eq=False)
class Service:
    """A service a reference call can use: its name and how it was built."""

    name: str
    base_model: cst.BaseExpression
    lora_rank: cst.BaseExpression
    site: InfraSite | None = None  # None: an existing build_service_client(...) binding


class ReferenceClientToService(Codemod):
    CODES = ("FTM056",)

    def prepare(self, module: cst.Module) -> None:
        plan = self.ctx.shared.get("service_plan")
        self.sites: list[InfraSite] = list(plan.sites.values()) if plan is not None else []
        self.existing = _existing_services(self.ctx, module)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if self.ctx.legacy(original, "make_reference_client") and not self.ctx.in_import(original):
            call = self.ctx.parent(original)
            if not (isinstance(call, cst.Call) and call.func is original):
                self.ctx.report(
                    original,
                    "FTM056",
                    "make_reference_client is gone at target 2026-06: use service.create_reference_client(base_model, lora_rank=...)",
                    help=HELP,
                )
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if self.ctx.legacy(func, "make_reference_client"):
            name = "make_reference_client(...)"
        elif isinstance(func, cst.Attribute) and func.attr.value == "create_base_reference" and not self.ctx.ref(func):
            name = "create_base_reference()"
        else:
            return updated
        service, reason = self._service(original)
        if service is None:
            self.ctx.report(
                original,
                "FTM056",
                f"{name} is gone at target 2026-06 and {reason}: use service.create_reference_client(base_model, lora_rank=...)",
                help=HELP,
            )
            return updated
        applied = self.ctx.report(
            original,
            "FTM056",
            f"{name} is gone at target 2026-06: use {service.name}.create_reference_client(base_model, lora_rank=...); {STRATEGY}",
            fix=UNSAFE,
            help=HELP,
        )
        if not applied or (service.site is not None and not service.site.apply):
            return updated
        if name.startswith("make_reference_client"):
            self.ctx.drop_imports_of(func)
        return reference_call(cst.Name(service.name), service.base_model.deep_clone(), service.lora_rank.deep_clone())

    def _service(self, call: cst.Call) -> tuple[Service | None, str]:
        """The one service in scope at ``call``, or None and why not."""
        owner = next((s for s in self.sites if call in s.base_references), None)
        if owner is not None:
            candidates = [owner] if owner.reason is None else []
        else:
            candidates = [s for s in self.sites if s.reason is None and in_scope_of(self.ctx, s, call)]
        services = [_of_site(s) for s in candidates]
        scope = self.ctx.scope(call)
        start = self.ctx.position(call)[:2]
        services += [s for stmt, s in self.existing if self.ctx.scope(stmt) is scope and self.ctx.position(stmt)[2:] < start]
        if owner is not None and not candidates:
            return None, f"its setup_infra cannot be ported ({owner.reason})"
        if not services:
            return None, "no service is in scope"
        if len(services) > 1:
            return None, f"{len(services)} services are in scope ({', '.join(s.name for s in services)})"
        return services[0], ""


def _of_site(site: InfraSite) -> Service:
    lora_rank = site.value("lora_rank")
    return Service(site.service, site.value("base_model"), lora_rank if lora_rank is not None else cst.Integer("0"), site)  # type: ignore[arg-type]


def _existing_services(ctx: FileContext, module: cst.Module) -> list[tuple[cst.CSTNode, Service]]:
    """``name = build_service_client(...)`` bindings whose base model and rank can be reused."""
    found: list[tuple[cst.CSTNode, Service]] = []
    for node in ctx.nodes(cst.Assign):
        call = node.value
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name) or not isinstance(call, cst.Call):
            continue
        ref = ctx.ref(call.func)
        if ref is None or ref.kind != "target" or ref.name != "build_service_client":
            continue
        target = node.targets[0].target
        scope = ctx.scope(target)
        base_model, lora_rank = keyword(call, "base_model"), keyword(call, "lora_rank")
        if scope is None or len(list(scope.assignments[target.value])) != 1 or base_model is None or lora_rank is None:
            continue
        if not all(isinstance(a.value, (cst.Name, cst.Attribute, cst.SimpleString, cst.Integer)) for a in (base_model, lora_rank)):
            continue
        found.append((node, Service(target.value, base_model.value, lora_rank.value)))
    return found
