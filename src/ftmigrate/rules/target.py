"""Rules for moving code to a later target (2026-06 -> 2026-08, and a legacy port straight there).

They apply at ``--target 2026-08`` (or ``target = "2026-08"`` in ``[tool.ftmigrate]``) only: at
2026-06 the same code is correct. What changed is read from ``ftmigrate.api.profiles``.
"""

from ftmigrate.rules._base import Example, Rule

_AUGUST = ("2026-08",)


class RemovedKeywordKept(Rule):
    """A keyword the target removed, whose value is what the target now always does.

    `rl_loop.Config(weight_sync_interval=1)`, `weight_sync_before_training=True` on rl_loop and
    async_rl_loop, `TrainerConfig(accelerator_type=None)`, `DeployConfig(deployment_region=None)`:
    the keyword is dropped and the run is the same.

    Why: at target 2026-08 these keywords raise `TypeError`; rl_loop syncs weights after every
    step and before step 1, and async_rl_loop before training, without being asked.
    """

    code = "FTM080"
    name = "removed-keyword-kept"
    fix = "safe"
    codemod = "target_upgrade"
    targets = _AUGUST
    replacement = "Nothing: the target does it always."
    related = ("FTM081",)
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import DeployConfig

            cfg = rl_loop.Config(
                log_path="/tmp/rl",
                deployment=DeployConfig(tokenizer_model="Qwen/Qwen3-8B", disable_speculative_decoding=True),
                weight_sync_interval=1,
                weight_sync_timeout=900,
            )
            """,
            """
            from training.recipes import rl_loop
            from training.utils import DeployConfig

            cfg = rl_loop.Config(
                log_path="/tmp/rl",
                deployment=DeployConfig(tokenizer_model="Qwen/Qwen3-8B", disable_speculative_decoding=True),
                weight_sync_timeout=900,
            )
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import igpo_loop

        cfg = igpo_loop.Config(log_path="/tmp/igpo", weight_sync_interval=1)
        """,
    )


class RemovedKeywordDropped(Rule):
    """A keyword the target removed, whose value the target cannot keep.

    `rl_loop.Config(weight_sync_interval=N)` with N other than 1 (rl_loop now syncs after every
    step), `weight_sync_before_training=False` on rl_loop or async_rl_loop (they now always sync
    the base weights first), `TrainerConfig(accelerator_type=...)` / `accelerator_count=` (the
    training shape owns the accelerator), and `DeployConfig(deployment_region=...)` where the
    region cannot be moved to the run's `TrainerConfig(region=...)` (FTM085). The rewrite drops
    the keyword, so the code runs at the target, and leaves a TODO saying what the target does
    instead; a read of such a field (`cfg.weight_sync_interval`) is reported.

    Why: at target 2026-08 these keywords raise `TypeError`, and nothing replaces them: the run
    behaves differently, which a person must accept or work around.
    """

    code = "FTM081"
    name = "removed-keyword-dropped"
    fix = "none"
    codemod = "target_upgrade"
    targets = _AUGUST
    replacement = (
        "Drop the keyword and accept what the target does (every-step sync, a training shape for"
        " the accelerator, the trainer's region for the deployment), or pin the cookbook at 2026-06."
    )
    related = ("FTM080", "FTM085", "FTM012", "FTM002")
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import TrainerConfig

            cfg = rl_loop.Config(
                log_path="/tmp/rl",
                trainer=TrainerConfig(accelerator_type="NVIDIA_H200_141GB", accelerator_count=8),
                weight_sync_interval=4,
                cleanup_on_exit=False,
            )
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop
        from training.utils import TrainerConfig

        cfg = rl_loop.Config(log_path="/tmp/rl", trainer=TrainerConfig(training_shape_id="accounts/a/trainingShapes/s"))
        """,
    )


class RenamedKeyword(Rule):
    """A keyword the target spells differently: `build_service_client(lora_rank=...)`.

    It becomes `max_lora_rank=...`, same value.

    Why: at target 2026-08 `build_service_client` takes `max_lora_rank=` (the largest LoRA rank
    the service's clients may use) and rejects `lora_rank=` with `TypeError`.
    """

    code = "FTM082"
    name = "renamed-keyword"
    fix = "safe"
    codemod = "target_upgrade"
    targets = _AUGUST
    replacement = "`build_service_client(..., max_lora_rank=...)`."
    INVALID = (
        Example(
            """
            from training.utils import TrainerConfig, build_service_client

            service = build_service_client(
                api_key=key, base_url=url, additional_headers=None, base_model="m", tokenizer_model="m",
                lora_rank=16, max_context_length=8192, learning_rate=1e-5, trainer=TrainerConfig(),
            )
            """,
        ),
    )
    VALID = (
        """
        from training.utils import TrainerConfig, build_service_client

        service = build_service_client(
            api_key=key, base_url=url, additional_headers=None, base_model="m", tokenizer_model="m",
            max_lora_rank=16, max_context_length=8192, learning_rate=1e-5, trainer=TrainerConfig(),
        )
        """,
    )


class ChangedDefault(Rule):
    """A default the target changed, relied on by code written for an earlier target.

    `DeployConfig(...)` without `disable_speculative_decoding=` gets
    `disable_speculative_decoding=True` (the default before 2026-08), and a recipe Config that
    deploys (rl, igpo, async_rl) with no `deployment=` gets
    `deployment=DeployConfig(disable_speculative_decoding=True)`. Only in code that shows it is
    older (legacy code, or 2026-06 code: a keyword only 2026-06 has): code that reads the same at
    both targets is taken as written for 2026-08.

    Why: at target 2026-08 speculative decoding is on by default; a run ported without the
    explicit value would sample differently.
    """

    code = "FTM083"
    name = "changed-default"
    fix = "safe"
    codemod = "target_upgrade"
    targets = _AUGUST
    replacement = "The old default written out: `disable_speculative_decoding=True`."
    related = ("FTM084",)
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import DeployConfig

            cfg = rl_loop.Config(
                log_path="/tmp/rl",
                deployment=DeployConfig(tokenizer_model="Qwen/Qwen3-8B"),
                weight_sync_interval=1,
            )
            """,
            """
            from training.recipes import rl_loop
            from training.utils import DeployConfig

            cfg = rl_loop.Config(
                log_path="/tmp/rl",
                deployment=DeployConfig(tokenizer_model="Qwen/Qwen3-8B", disable_speculative_decoding=True),
            )
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop
        from training.utils import DeployConfig

        cfg = rl_loop.Config(log_path="/tmp/rl", deployment=DeployConfig(tokenizer_model="Qwen/Qwen3-8B"))
        """,
    )


class ChangedDefaultHidden(Rule):
    """A default the target changed, relied on where the rewrite cannot write it.

    `field(default_factory=DeployConfig)` in a project's own dataclass, or `DeployConfig(**kw)`
    whose keys cannot be seen, in code written for an earlier target.

    Why: at target 2026-08 `DeployConfig()` turns speculative decoding on; these sites build one
    with the new default.
    """

    code = "FTM084"
    name = "changed-default-hidden"
    fix = "none"
    codemod = "target_upgrade"
    targets = _AUGUST
    replacement = "`default_factory=lambda: DeployConfig(disable_speculative_decoding=True)`, or the key in the mapping."
    related = ("FTM083",)
    INVALID = (
        Example(
            """
            import dataclasses

            from training.utils import DeployConfig, TrainerConfig

            @dataclasses.dataclass
            class Experiment:
                trainer: TrainerConfig = dataclasses.field(default_factory=lambda: TrainerConfig(accelerator_type=None))
                deployment: DeployConfig = dataclasses.field(default_factory=DeployConfig)
            """,
        ),
    )
    VALID = (
        """
        import dataclasses

        from training.utils import DeployConfig

        @dataclasses.dataclass
        class Experiment:
            deployment: DeployConfig = dataclasses.field(default_factory=DeployConfig)
        """,
    )


class DeploymentRegionMoved(Rule):
    """`DeployConfig(deployment_region=X)` where the run's trainer is (or may be put) in region X.

    The keyword is dropped; when the run's inline `TrainerConfig(...)` has no region, it gets
    `region=X` (a recipe Config without `trainer=` gets `trainer=TrainerConfig(region=X)`), which
    also places the trainer there. A different region, or a trainer not written in the same
    call, is FTM081.

    Why: at target 2026-08 `DeployConfig` has no region: the service places the deployment in
    the trainer's region (`TrainerConfig.region`).
    """

    code = "FTM085"
    name = "deployment-region-moved"
    fix = "safe"
    codemod = "target_upgrade"
    targets = _AUGUST
    replacement = "`TrainerConfig(region=X)` on the run's trainer."
    related = ("FTM081",)
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import DeployConfig, TrainerConfig

            cfg = rl_loop.Config(
                log_path="/tmp/rl",
                trainer=TrainerConfig(training_shape_id="accounts/a/trainingShapes/s"),
                deployment=DeployConfig(deployment_region="US_OHIO_1", disable_speculative_decoding=True),
                cleanup_on_exit=False,
            )
            """,
            """
            from training.recipes import rl_loop
            from training.utils import DeployConfig, TrainerConfig

            cfg = rl_loop.Config(
                log_path="/tmp/rl",
                trainer=TrainerConfig(training_shape_id="accounts/a/trainingShapes/s", region="US_OHIO_1"),
                deployment=DeployConfig(disable_speculative_decoding=True),
                cleanup_on_exit=False,
            )
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop
        from training.utils import DeployConfig, TrainerConfig

        cfg = rl_loop.Config(log_path="/tmp/rl", trainer=TrainerConfig(region="US_OHIO_1"), deployment=DeployConfig())
        """,
    )


class CleanupOnExit(Rule):
    """A recipe `main()` call whose recipe cleans up on exit at the target, unlike before.

    At target 2026-08 rl, igpo, async_rl and dpo take `cleanup_on_exit` (default True: the
    recipe deletes the trainer it created and scales its deployment to zero on exit). The
    rewrite writes the value that keeps what the call did before on its recipe Config (or as
    `dataclasses.replace(cfg, cleanup_on_exit=...)` at the call) and says so at the call:
    2026-06 code left everything running (`False`); legacy rl and async_rl cleaned up only with
    `cancel_on_exit=True`, legacy igpo and dpo cancelled their trainers (`True`). sft and orpo
    have no such field (FTM042 covers them).

    Why: without it a ported run that kept its trainer and deployment (to inspect them, to serve
    from the deployment afterwards, to reattach) would lose them on exit.
    """

    code = "FTM086"
    name = "cleanup-on-exit"
    fix = "safe"
    codemod = "target_upgrade"
    targets = _AUGUST
    replacement = "`cleanup_on_exit=` written on the recipe Config."
    related = ("FTM087", "FTM040", "FTM042")
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import DeployConfig

            cfg = rl_loop.Config(log_path="/tmp/rl", deployment=DeployConfig(deployment_region=None, disable_speculative_decoding=True))
            rl_loop.main(cfg)
            """,
            """
            from training.recipes import rl_loop
            from training.utils import DeployConfig

            cfg = rl_loop.Config(log_path="/tmp/rl", deployment=DeployConfig(disable_speculative_decoding=True), cleanup_on_exit=False)
            rl_loop.main(cfg)
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        rl_loop.main(rl_loop.Config(log_path="/tmp/rl"))
        """,
    )


class CleanupChanged(Rule):
    """A recipe `main()` whose earlier lifecycle the target cannot keep exactly.

    Legacy igpo cancelled its trainers but kept its deployment unless `cancel_on_exit=True`; at
    target 2026-08 `cleanup_on_exit=True` (written to keep the trainer cleanup) also scales the
    deployment to zero. Also a `main()` call whose config is not visible (`main(**kwargs)`).

    Why: the deployment a legacy run left serving would be scaled to zero after a ported run.
    """

    code = "FTM087"
    name = "cleanup-changed"
    fix = "none"
    codemod = "target_upgrade"
    targets = _AUGUST
    replacement = "`cleanup_on_exit=False` and an explicit trainer deletion after `main()`, or accept the new cleanup."
    related = ("FTM086",)
    INVALID = (
        Example(
            """
            from fireworks.training.sdk import DeploymentManager, TrainerJobManager
            from training.recipes import igpo_loop

            igpo_loop.main(igpo_loop.Config(log_path="/tmp/igpo"), TrainerJobManager(api_key="k"), DeploymentManager(api_key="k"))
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import igpo_loop

        igpo_loop.main(igpo_loop.Config(log_path="/tmp/igpo", cleanup_on_exit=True))
        """,
    )
