"""``setup_infra(...)`` -> ``build_service_client(...)`` (migration rule 9). Unsafe.

What: reports every reference to ``setup_infra`` and the ``Infra`` bundle it returns. The
rewrite to the SDK-managed service (with ``--unsafe-fixes``) is not implemented yet: the
diagnostic says what to write.

Why: at target 2026-06 ``setup_infra`` is gone; provisioning lives behind
``build_service_client(...)`` -> ``service.create_*`` -> ``service.close()``.
"""

from __future__ import annotations

import libcst as cst

from ftmigrate.diagnostics import UNSAFE
from ftmigrate.transform import Codemod


class SetupInfraToService(Codemod):
    CODES = ("FTM050",)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        self._reference(original)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        self._reference(original)
        return updated

    def _reference(self, node: cst.BaseExpression) -> None:
        ref = self.ctx.legacy(node, "setup_infra", "Infra")
        if ref is None or self.ctx.in_import(node):
            return
        self.ctx.report(
            node,
            "FTM050",
            f"{ref.name} is gone at target 2026-06: provision with build_service_client(...)",
            fix=UNSAFE,
            help="service = build_service_client(api_key=..., base_url=..., additional_headers=None, base_model=..., "
            "tokenizer_model=..., lora_rank=..., max_context_length=..., learning_rate=..., trainer=TrainerConfig(...), "
            "deployment=<DeployConfig if inference was needed, else None>, cleanup_trainer_on_close=True, "
            "reference_required=<needs_reference>); close it in a finally block",
        )
