"""``policy.create_base_reference()`` / ``make_reference_client(...)`` ->
``service.create_reference_client(...)`` (migration rule 11). Unsafe.

What: reports every reference to ``make_reference_client`` and every
``.create_base_reference()`` call. The rewrite (with ``--unsafe-fixes``) is not implemented
yet: the diagnostic says what to write.

Why: at target 2026-06 the service owns the reference strategy (a shared LoRA session, or a
separate forward-only trainer).
"""

from __future__ import annotations

import libcst as cst

from ftmigrate.diagnostics import UNSAFE
from ftmigrate.transform import Codemod

MESSAGE = "{name} is gone at target 2026-06: use service.create_reference_client(base_model, lora_rank=...)"


class ReferenceClientToService(Codemod):
    CODES = ("FTM056",)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        ref = self.ctx.legacy(original, "make_reference_client")
        if ref is not None and not self.ctx.in_import(original):
            self._report(original, "make_reference_client")
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        func = original.func
        if isinstance(func, cst.Attribute) and func.attr.value == "create_base_reference" and not self.ctx.ref(func):
            self._report(original, "create_base_reference()")
        return updated

    def _report(self, node: cst.CSTNode, name: str) -> None:
        self.ctx.report(
            node,
            "FTM056",
            MESSAGE.format(name=name),
            fix=UNSAFE,
            help="reference = service.create_reference_client(base_model, lora_rank=lora_rank) with the service from build_service_client(...)",
        )
