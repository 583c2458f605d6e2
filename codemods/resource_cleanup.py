"""``with ResourceCleanup(...) as cleanup:`` -> the service lifecycle (migration rule 10). Unsafe.

What: reports every reference to ``ResourceCleanup``. The rewrite (with ``--unsafe-fixes``)
is not implemented yet: the diagnostic says what to write.

Why: at target 2026-06 ``ResourceCleanup`` is gone: trainers the service created are deleted
by ``service.close()`` with ``cleanup_trainer_on_close=True``. Legacy cancelled trainers after a
grace period; the service deletes them.
"""

from __future__ import annotations

import libcst as cst

from ftmigrate.diagnostics import UNSAFE
from ftmigrate.transform import Codemod


class ResourceCleanupToService(Codemod):
    CODES = ("FTM053",)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        self._reference(original)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        self._reference(original)
        return updated

    def _reference(self, node: cst.BaseExpression) -> None:
        ref = self.ctx.legacy(node, "ResourceCleanup")
        if ref is None or self.ctx.in_import(node):
            return
        self.ctx.report(
            node,
            "FTM053",
            "ResourceCleanup is gone at target 2026-06: the service releases what it created on close()",
            fix=UNSAFE,
            help="build_service_client(..., cleanup_trainer_on_close=True) and call service.close() in a finally block; "
            "the service deletes trainers it created (legacy cancelled them after a grace period)",
        )
