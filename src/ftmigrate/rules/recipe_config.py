"""Rules for recipe ``Config`` keywords that moved (migration rules 2 to 5)."""

from ftmigrate.rules._base import Example, Rule


class RecipeInfraKeyword(Rule):
    """Recipe `Config(infra=...)`.

    Also `functools.partial(Config, infra=...)`, and `dataclasses.replace(cfg, infra=X)` of a
    known Config (the job ids `cfg` had are carried into `X`: they were fields of their own).
    Reported without a fix: `**kwargs` holding an `"infra"` key, and a `Config` subclass that
    declares `infra` itself.

    Why: at target 2026-06 recipe Configs take the trainer settings as
    `trainer=TrainerConfig(...)`; `infra=` raises an error naming the replacement.
    """

    code = "FTM010"
    name = "recipe-infra-keyword"
    fix = "safe"
    codemod = "recipe_config"
    replacement = "`Config(trainer=TrainerConfig(...))`."
    related = ("FTM001", "FTM020")
    INVALID = (
        Example(
            """
            from training.recipes import sft_loop
            from training.utils import InfraConfig

            cfg = sft_loop.Config(log_path="/tmp/sft", infra=InfraConfig(region="us-ohio-1"))
            """,
        ),
        Example(
            """
            import dataclasses

            from training.recipes import rl_loop
            from training.utils import InfraConfig

            base = rl_loop.Config(log_path="/tmp/rl", policy_job_id="rl-7")
            bigger = dataclasses.replace(base, infra=InfraConfig(trainer_replica_count=2))
            """,
            """
            import dataclasses

            from training.recipes import rl_loop
            from training.utils import TrainerConfig

            base = rl_loop.Config(log_path="/tmp/rl", trainer=TrainerConfig(job_id="rl-7"))
            bigger = dataclasses.replace(base, trainer=TrainerConfig(replica_count=2, job_id=base.trainer.job_id, reference_job_id=base.trainer.reference_job_id))
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import sft_loop
        from training.utils import TrainerConfig

        cfg = sft_loop.Config(log_path="/tmp/sft", trainer=TrainerConfig(region="us-ohio-1"))
        """,
    )


class NestedCadenceConfig(Rule):
    """Recipe `Config(weight_sync=WeightSyncConfig(...))` (gen1) or `hotload=HotloadConfig(...)` (gen0).

    The nested fields become top-level keywords of the recipe's `Config`, by recipe: rl_loop
    and igpo_loop take `weight_sync_interval`, `weight_sync_before_training`,
    `weight_sync_timeout` and `dcp_save_interval`; async_rl_loop the last three (its interval
    is pinned to 1); sft, dpo and orpo only `dcp_save_interval`. gen0 names (`hot_load_*`) are
    renamed on the way. `cfg.weight_sync = WeightSyncConfig(...)` on a known Config becomes one
    assignment per top-level field, every field the new object reset written out.

    Why: at target 2026-06 no recipe Config accepts the nested cadence object (`WeightSyncConfig`
    is still exported, deprecated; `HotloadConfig` is gone); the SDK-managed service owns the
    save and weight-sync state, and recipe Configs reject `weight_sync=`.
    """

    code = "FTM011"
    name = "nested-cadence-config"
    fix = "safe"
    codemod = "weight_sync"
    replacement = "Top-level cadence keywords on the recipe Config (`weight_sync_interval=N`, `dcp_save_interval=N` ...)."
    related = ("FTM012", "FTM013", "FTM014", "FTM015")
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import WeightSyncConfig

            cfg = rl_loop.Config(
                log_path="/tmp/rl",
                weight_sync=WeightSyncConfig(weight_sync_interval=2, dcp_save_interval=50),
            )
            """,
        ),
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import WeightSyncConfig

            cfg = rl_loop.Config(log_path="/tmp/rl")
            cfg.weight_sync = WeightSyncConfig(weight_sync_interval=5)
            """,
            """
            from training.recipes import rl_loop

            cfg = rl_loop.Config(log_path="/tmp/rl")
            cfg.weight_sync_interval = 5
            cfg.dcp_save_interval = 0
            cfg.weight_sync_before_training = False
            cfg.weight_sync_timeout = 600
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        cfg = rl_loop.Config(log_path="/tmp/rl", weight_sync_interval=2, dcp_save_interval=50)
        """,
    )


class CadenceValueDropped(Rule):
    """A nested cadence value with no place at the target was dropped.

    `dcp_timeout` and `first_checkpoint_type` have no replacement (reported when they differ
    from the old defaults, 2700 and "base"); async_rl_loop always syncs every step (reported
    when the interval was not 1); sft, dpo and orpo never accepted `weight_sync=` at all. At
    target 2026-08 rl_loop has no `weight_sync_interval` / `weight_sync_before_training` and
    async_rl_loop no `weight_sync_before_training` (reported unless the value is what they now
    always do: interval 1, sync before training True).

    Why: the rewrite must not drop a value silently; decide whether anything depended on it.
    """

    code = "FTM012"
    name = "cadence-value-dropped"
    fix = "none"
    codemod = "weight_sync"
    replacement = "Nothing at the recipe level; the service owns DCP timeouts and the first checkpoint type."
    related = ("FTM011",)
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import WeightSyncConfig

            cfg = rl_loop.Config(log_path="/tmp/rl", weight_sync=WeightSyncConfig(dcp_timeout=5400))
            """,
        ),
        Example(
            """
            from training.recipes import async_rl_loop
            from training.utils import WeightSyncConfig

            cfg = async_rl_loop.Config(log_path="/tmp/a", weight_sync=WeightSyncConfig(weight_sync_interval=4))
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop
        from training.utils import WeightSyncConfig

        cfg = rl_loop.Config(log_path="/tmp/rl", weight_sync=WeightSyncConfig(dcp_timeout=2700))
        """,
    )


class KeywordGivenTwice(Rule):
    """A value given both the legacy way and the target way, with different values.

    For example `weight_sync=WeightSyncConfig(dcp_save_interval=5)` next to
    `dcp_save_interval=10`, `infra=` next to `trainer=`, or `policy_job_id=` next to a
    `TrainerConfig(job_id=...)`. The rewrite keeps the target-style value.

    Why: half-ported code is ambiguous; only a person knows which value was meant.
    """

    code = "FTM013"
    name = "keyword-given-twice"
    fix = "none"
    codemod = "weight_sync"
    replacement = "One value, given the target way."
    related = ("FTM011", "FTM010", "FTM020")
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import WeightSyncConfig

            cfg = rl_loop.Config(log_path="/tmp/rl", dcp_save_interval=10, weight_sync=WeightSyncConfig(dcp_save_interval=5))
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        cfg = rl_loop.Config(log_path="/tmp/rl", dcp_save_interval=10)
        """,
    )


class CadenceNotInlinable(Rule):
    """`weight_sync=` / `hotload=` whose value cannot be spread into keywords here.

    The value is a parameter, an attribute, a helper's result, a name bound more than once or
    used elsewhere, or `WeightSyncConfig(**mapping)`.

    Why: only a literal `WeightSyncConfig(...)` (inline, or bound once in the same scope and
    used nowhere else) can be rewritten without guessing.
    """

    code = "FTM014"
    name = "cadence-not-inlinable"
    fix = "none"
    codemod = "weight_sync"
    replacement = "Pass the cadence fields to the recipe Config directly, where the values are known."
    related = ("FTM011",)
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop

            def build(ws):
                return rl_loop.Config(log_path="/tmp/rl", weight_sync=ws)
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        def build(interval):
            return rl_loop.Config(log_path="/tmp/rl", weight_sync_interval=interval)
        """,
    )


class LegacyCadenceClass(Rule):
    """Use of `WeightSyncConfig` / `HotloadConfig` outside a recipe `Config(weight_sync=...)`.

    Annotations, helpers that build one, values stored or passed around.

    Why: at target 2026-06 the cadence fields are top-level recipe Config fields.
    `WeightSyncConfig` is still exported but deprecated, and no recipe Config accepts it;
    `HotloadConfig` is gone. Code that carries a nested object around has to carry the fields
    instead.
    """

    code = "FTM015"
    name = "legacy-cadence-class"
    fix = "none"
    codemod = "weight_sync"
    replacement = "The recipe Config's own `weight_sync_interval`, `weight_sync_before_training`, `weight_sync_timeout`, `dcp_save_interval`."
    related = ("FTM011",)
    INVALID = (
        Example(
            """
            from training.utils import WeightSyncConfig

            def cadence() -> WeightSyncConfig:
                return WeightSyncConfig(weight_sync_interval=2)
            """,
        ),
    )
    VALID = (
        """
        def cadence() -> dict:
            return {"weight_sync_interval": 2}
        """,
    )


class TopLevelJobIds(Rule):
    """Job ids passed to the recipe `Config` at top level.

    `policy_job_id` (rl, igpo, dpo, async_rl), `job_id` (orpo) and `trainer_job_id` (sft)
    become `TrainerConfig(job_id=...)`; `reference_job_id` (rl, igpo, dpo) becomes
    `TrainerConfig(reference_job_id=...)`. They are folded into an inline `trainer=`; a
    `trainer=` that is a name becomes `dataclasses.replace(name, job_id=...)` so a shared
    object is not mutated; without `trainer=`, one is added. A literal `None` in a new
    `Config` is the default and is dropped. Reported without a fix: a call of a
    `functools.partial` of the Config with job ids, and `**kwargs` holding them.

    Why: at target 2026-06 reattaching to an existing trainer is a `TrainerConfig` setting.
    """

    code = "FTM020"
    name = "top-level-job-ids"
    fix = "safe"
    codemod = "recipe_config"
    replacement = "`trainer=TrainerConfig(job_id=..., reference_job_id=...)`."
    related = ("FTM010", "FTM021", "FTM022")
    INVALID = (
        Example(
            """
            from training.recipes import dpo_loop

            cfg = dpo_loop.Config(log_path="/tmp/dpo", policy_job_id="job-123", reference_job_id="job-456")
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import dpo_loop
        from training.utils import TrainerConfig

        cfg = dpo_loop.Config(log_path="/tmp/dpo", trainer=TrainerConfig(job_id="job-123"))
        """,
    )


class IgnoredBaseUrl(Rule):
    """`policy_base_url`, `reference_base_url` or `trainer_base_url` on a recipe `Config`.

    Why: the legacy recipes ignored these keywords; the target Configs reject them. Dropping
    them changes nothing.
    """

    code = "FTM021"
    name = "ignored-base-url"
    fix = "safe"
    codemod = "recipe_config"
    replacement = "Nothing."
    related = ("FTM020",)
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop

            cfg = rl_loop.Config(log_path="/tmp/rl", policy_base_url="https://example.invalid")
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        cfg = rl_loop.Config(log_path="/tmp/rl")
        """,
    )


class RolloutBaseModelDropped(Rule):
    """`rollout_base_model=` on `rl_loop.Config`, which has no replacement.

    Why: at target 2026-06 the deployment serves the recipe's `base_model`; a separate rollout
    model is not supported. The rewrite drops the keyword and leaves a TODO.
    """

    code = "FTM022"
    name = "rollout-base-model-dropped"
    fix = "none"
    codemod = "recipe_config"
    replacement = "Nothing: the deployment serves `base_model`."
    related = ("FTM020",)
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop

            cfg = rl_loop.Config(log_path="/tmp/rl", rollout_base_model="accounts/fireworks/models/qwen3-8b")
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        cfg = rl_loop.Config(log_path="/tmp/rl", base_model="accounts/fireworks/models/qwen3-8b")
        """,
    )


class JobIdTravelsWithTrainer(Rule):
    """A job id moved into `trainer`, on a Config whose `.infra` is passed on whole.

    `cfg = rl_loop.Config(..., policy_job_id=J)` then `dpo_loop.Config(infra=cfg.infra)` (or
    `shared = cfg.infra`, `dataclasses.replace(cfg.infra, ...)`): the rewrite moves `J` into
    `cfg.trainer` and ports `cfg.infra` to `cfg.trainer`, so the value passed on now carries
    `job_id=J`. The rewrite keeps both edits and reports the keyword.

    Why: legacy kept job ids apart from the InfraConfig, so a copy of `cfg.infra` had none; at
    target 2026-06 the TrainerConfig holds them, and a Config built from the copy reattaches to
    the same trainer instead of creating its own.
    """

    code = "FTM023"
    name = "job-id-travels-with-trainer"
    fix = "none"
    codemod = "recipe_config"
    replacement = "`dataclasses.replace(cfg.trainer, job_id=None)` where the value is passed on, when the copy must not reattach."
    related = ("FTM020", "FTM030")
    INVALID = (
        Example(
            """
            from training.recipes import dpo_loop, rl_loop

            rl = rl_loop.Config(log_path="/tmp/rl", policy_job_id="rl-job")
            dpo = dpo_loop.Config(log_path="/tmp/dpo", infra=rl.infra)
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import dpo_loop, rl_loop

        rl = rl_loop.Config(log_path="/tmp/rl", policy_job_id="rl-job")
        print(rl.infra.region)
        """,
    )
