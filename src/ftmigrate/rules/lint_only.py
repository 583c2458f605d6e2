"""Rules for legacy patterns with no automatic port (lint only)."""

from ftmigrate.rules._base import Example, Rule


class LowLevelHelper(Rule):
    """Use of a gen2 low-level provisioning helper.

    `create_trainer_job`, `request_trainer_job`, `wait_trainer_job`, `setup_deployment`,
    `setup_or_reattach_deployment`, `request_deployment`, `wait_deployment`,
    `setup_training_client`, `get_deployment_gpu_count`; every reference is reported, including
    the helper passed as a value (`pool.submit(create_trainer_job, ...)`).

    Why: all of them are gone at target 2026-06; the SDK-managed service provisions and waits
    for trainers and deployments.
    """

    code = "FTM060"
    name = "low-level-helper"
    fix = "none"
    codemod = "legacy_references"
    replacement = "`build_service_client(trainer=..., deployment=...)` and `service.create_training_client(...)` / `create_deployment_sampler(...)`."
    related = ("FTM050", "FTM061")
    INVALID = (
        Example(
            """
            from concurrent.futures import ThreadPoolExecutor
            from training.utils import create_trainer_job

            with ThreadPoolExecutor() as pool:
                future = pool.submit(create_trainer_job, "accounts/fireworks/models/qwen3-8b")
            """,
        ),
    )
    VALID = (
        """
        from myinfra import create_trainer_job  # a project's own helper

        create_trainer_job("x")
        """,
    )


class HandBuiltSyncOrSampler(Rule):
    """A `WeightSyncer` or `DeploymentSampler` built by hand next to legacy provisioning.

    Why: at target 2026-06 the recipe and the SDK-managed service own weight sync
    (`weight_sync_interval` on the recipe Config), and the sampler comes from
    `service.create_deployment_sampler(...)`.
    """

    code = "FTM061"
    name = "hand-built-sync-or-sampler"
    fix = "none"
    codemod = "legacy_references"
    replacement = "`service.create_deployment_sampler(tokenizer=...)`; weight sync via the recipe's cadence fields."
    related = ("FTM060",)
    INVALID = (
        Example(
            """
            from fireworks.training.sdk import WeightSyncer
            from training.utils import setup_infra

            def sync(infra, deploy_mgr):
                return WeightSyncer(infra.policy, deploy_mgr, deployment_id=infra.deployment_id)
            """,
        ),
    )
    VALID = (
        """
        from fireworks.training.sdk import WeightSyncer

        def sync(policy):
            return WeightSyncer(policy)
        """,
    )


class ValidateConfigCadence(Rule):
    """`validate_config(base_model, dataset, weight_sync_cfg, ...)` with a `WeightSyncConfig`.

    Why: no recipe Config takes the nested cadence config any more (`WeightSyncConfig` is
    deprecated); the recipe Config validates its own top-level cadence fields.
    """

    code = "FTM062"
    name = "validate-config-cadence"
    fix = "none"
    codemod = "legacy_references"
    replacement = "Construct the recipe Config with its top-level cadence fields; it validates them."
    related = ("FTM011", "FTM015")
    INVALID = (
        Example(
            """
            from training.utils import WeightSyncConfig, validate_config

            validate_config("accounts/fireworks/models/qwen3-8b", "data.jsonl", WeightSyncConfig(), None)
            """,
        ),
    )
    VALID = (
        """
        from training.utils import validate_config

        validate_config("accounts/fireworks/models/qwen3-8b", "data.jsonl")
        """,
    )


class VendoredLegacyModule(Rule):
    """A legacy name reached through a vendored copy of the cookbook.

    Reported for module roots listed in `[tool.ftmigrate] legacy-modules` (for example
    `mypkg.training`).

    Why: a vendored copy keeps the deprecated surface alive inside the project; rewriting its
    users into `training.*` would be a guess. Upgrade the vendored copy first.
    """

    code = "FTM063"
    name = "vendored-legacy-module"
    fix = "none"
    codemod = "legacy_references"
    replacement = "The target surface of the upgraded cookbook (`training.utils`)."
    related = ("FTM001",)
    INVALID = (
        Example(
            """
            from mypkg.training.utils import InfraConfig

            infra = InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200")
            """,
            legacy_modules=("mypkg.training",),
        ),
    )
    VALID = (
        """
        from mypkg.training.utils import InfraConfig  # mypkg.training not listed: another project's class

        infra = InfraConfig(training_shape_id="x")
        """,
    )


class LegacyReconnectableClient(Rule):
    """The legacy positional `ReconnectableClient(rlor_mgr, job_id, base_model, ...)` constructor.

    Why: it still exists but builds the client from a trainer manager; at target 2026-06
    recipes build it from the service's training client with
    `ReconnectableClient.from_training_client(...)`.
    """

    code = "FTM064"
    name = "legacy-reconnectable-client"
    fix = "none"
    codemod = "legacy_references"
    replacement = "`ReconnectableClient.from_training_client(service.create_training_client(base_model, lora_rank=r), job_id=service.trainer_job_id, base_model=base_model, lora_rank=r, service=service)`."
    related = ("FTM050",)
    INVALID = (
        Example(
            """
            from training.utils import ReconnectableClient

            client = ReconnectableClient(rlor_mgr, "job-1", "accounts/fireworks/models/qwen3-8b")
            """,
        ),
    )
    VALID = (
        """
        from training.utils import ReconnectableClient

        client = ReconnectableClient.from_training_client(tc, job_id="job-1", base_model="m", service=service)
        """,
    )


class LegacyImportUnused(Rule):
    """An import of a legacy name that nothing in the file uses.

    Names gone at target 2026-06 (`setup_infra`, `ResourceCleanup`, the low-level helpers,
    `HotloadConfig`, anything from `training.utils.infra` / `training.utils.rl`) make the
    import itself fail: the rewrite removes the import (in `__init__.py` it is a re-export, so
    it is reported instead). Deprecated names that still exist (`InfraConfig`,
    `WeightSyncConfig`) imported but unused are reported as re-exports.

    Why: `ImportError: cannot import name 'setup_infra'` is the first thing an upgraded install
    shows; a re-export keeps the deprecated surface alive for the modules that import it.
    """

    code = "FTM065"
    name = "legacy-import-unused"
    fix = "safe"
    codemod = "legacy_references"
    replacement = "No import (or, for a re-export, the target name)."
    related = ("FTM001", "FTM050", "FTM060")
    INVALID = (
        Example(
            """
            from training.utils import ResourceCleanup, TrainerConfig

            trainer = TrainerConfig()
            """,
        ),
    )
    VALID = (
        """
        from training.utils import TrainerConfig

        trainer = TrainerConfig()
        """,
    )


class PerDeploymentWeightSync(Rule):
    """`WeightSyncScope.PER_DEPLOYMENT` (or `weight_sync_scope="per_deployment"`), which nothing reads at the target.

    Reported wherever the per-deployment scope is named: a `DeployConfig(weight_sync_scope=...)`
    keyword, an assignment, a default. `DeployConfig` still accepts the field, so nothing fails;
    the run silently syncs weights per trainer instead.

    Why: at target 2026-06 the SDK-managed service owns weight sync, and it syncs each
    deployment from its trainer's bucket whatever the scope says. A script that exists to test
    per-deployment sync would pass while testing per-trainer sync.
    """

    code = "FTM066"
    name = "per-deployment-weight-sync"
    fix = "none"
    codemod = "legacy_references"
    replacement = "Nothing: remove the scope (weight sync is per trainer); retire a test of per-deployment sync, or run it on a pinned legacy cookbook."
    related = ("FTM061",)
    INVALID = (
        Example(
            """
            from training.utils import DeployConfig, WeightSyncScope

            deploy = DeployConfig(deployment_id="sync-test", weight_sync_scope=WeightSyncScope.PER_DEPLOYMENT)
            """,
        ),
    )
    VALID = (
        """
        from training.utils import DeployConfig, WeightSyncScope

        deploy = DeployConfig(deployment_id="serving", weight_sync_scope=WeightSyncScope.PER_TRAINER)
        """,
    )


class UnlistedVendoredCopy(Rule):
    """A module that is not listed in `legacy-modules` but exports the legacy cookbook's names.

    `from mylab.vendor.cookbook.utils import InfraConfig, setup_infra`: `InfraConfig` and at
    least one more name of the legacy surface imported from one module that is neither the
    cookbook (`training`) nor a root listed in `[tool.ftmigrate] legacy-modules`. Reported once
    per file, at the first such import, with the setting to add; the file is left untouched
    (no TODO comment either: the fix is in the configuration). Only
    absolute imports at module level in the file's first 8 KB (its import header) are looked
    at: that is all the byte prefilter reads for it.

    Why: names are resolved through imports, so a vendored copy that is not listed is invisible
    to ftmigrate: its users would get no finding at all, and the copy keeps the deprecated
    surface alive inside the project.
    """

    code = "FTM067"
    name = "unlisted-vendored-copy"
    fix = "none"
    codemod = "legacy_references"
    replacement = "`legacy-modules = [\"<the copy's package>\"]` in `[tool.ftmigrate]`, then port the copy (FTM063)."
    related = ("FTM063",)
    INVALID = (
        Example(
            """
            from mylab.vendor.cookbook.utils import InfraConfig, setup_infra

            infra = InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200")
            """,
        ),
    )
    VALID = (
        """
        from mylab.cluster import InfraConfig  # one name: the project's own class

        infra = InfraConfig(region="us")
        """,
    )
