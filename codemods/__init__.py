"""The codemods, one per migration step, and the order they run in.

Order matters where codemods meet on the same node (the traversal feeds each ``leave_`` the
previous codemod's result):

1. ``infra_config`` renames ``InfraConfig`` calls first, so that codemods folding job ids into
   an inline ``trainer=`` value find a ``TrainerConfig(...)`` call.
2. ``weight_sync`` spreads nested cadence configs into top-level keywords (and assignments).
3. ``recipe_config`` renames ``infra=`` and folds the top-level job ids into ``trainer=``.
4. ``config_attributes`` rewrites ``cfg.infra.x`` / ``cfg.weight_sync.x``.
5. ``recipe_main`` drops the managers from ``main()`` calls, and the managers themselves.
6. The unsafe service rewrites (``setup_infra``, ``resource_cleanup``, ``reference_client``).
7. ``target_upgrade`` takes code to a later target (2026-06 -> 2026-08, and the last step of a
   legacy port there): it runs after the legacy ports so that its edits of a call (a keyword
   dropped or added) come after theirs (``InfraConfig(...)`` is a ``TrainerConfig(...)`` by
   then), and it does nothing at the first target.
8. ``legacy_references`` and ``target_signatures`` only report; they run last so that they
   see what the others left.

Import bookkeeping (LibCST's ``AddImportsVisitor`` / ``RemoveImportsVisitor``) runs after
each traversal, in ``ftmigrate.transform``.
"""

from __future__ import annotations

from ftmigrate.analysis import Codemod
from ftmigrate.codemods.config_attributes import ConfigAttributes
from ftmigrate.codemods.infra_config import InfraConfigToTrainerConfig
from ftmigrate.codemods.legacy_references import LegacyReferences
from ftmigrate.codemods.recipe_config import RecipeConfigTrainer
from ftmigrate.codemods.recipe_main import RecipeMainCall
from ftmigrate.codemods.reference_client import ReferenceClientToService
from ftmigrate.codemods.resource_cleanup import ResourceCleanupToService
from ftmigrate.codemods.setup_infra import SetupInfraToService
from ftmigrate.codemods.target_signatures import TargetSignatures
from ftmigrate.codemods.target_upgrade import TargetUpgrade
from ftmigrate.codemods.weight_sync import WeightSyncToTopLevel

CODEMODS: tuple[type[Codemod], ...] = (
    InfraConfigToTrainerConfig,
    WeightSyncToTopLevel,
    RecipeConfigTrainer,
    ConfigAttributes,
    RecipeMainCall,
    SetupInfraToService,
    ResourceCleanupToService,
    ReferenceClientToService,
    TargetUpgrade,
    LegacyReferences,
    TargetSignatures,
)
