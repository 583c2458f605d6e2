"""Rules for recipe ``main()`` calls and the managers that fed them (migration rules 7 and 8)."""

from ftmigrate.rules._base import Example, Rule


class LegacyMainArguments(Rule):
    """Recipe `main()` called with the legacy managers or flags.

    `main(cfg, rlor_mgr, deploy_mgr)` and `main(cfg, rlor_mgr=..., deploy_mgr=...,
    cancel_on_exit=...)` become `main(cfg)`. A `TrainerJobManager(...)` or
    `DeploymentManager(...)` built only to be passed there is removed with its import. The
    message states the call's lifecycle: what the legacy call cleaned up on exit, and what the
    target recipe leaves running (at target 2026-08, where rl, igpo, async_rl and dpo clean up
    themselves, their lifecycle is written as `cleanup_on_exit` on the Config: FTM086).

    Why: at target 2026-06 `main(config)` takes the config alone; the SDK-managed service
    provisions trainers and deployments.
    """

    code = "FTM040"
    name = "legacy-main-arguments"
    fix = "safe"
    codemod = "recipe_main"
    replacement = "`main(config)`."
    related = ("FTM041", "FTM042")
    INVALID = (
        Example(
            """
            from fireworks.training.sdk import DeploymentManager, TrainerJobManager
            from training.recipes import rl_loop

            rlor_mgr = TrainerJobManager(api_key="key")
            deploy_mgr = DeploymentManager(api_key="key")
            rl_loop.main(rl_loop.Config(log_path="/tmp/rl"), rlor_mgr=rlor_mgr, deploy_mgr=deploy_mgr)
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        rl_loop.main(rl_loop.Config(log_path="/tmp/rl"))
        """,
    )


class RemovedLifecycleFlag(Rule):
    """`cancel_on_exit=`, `cleanup_on_exit=` or `on_resources_ready=` passed to a recipe `main()`.

    The flag is removed (the target `main()` rejects it) and a TODO says what it did. At target
    2026-08 `cancel_on_exit=` / `cleanup_on_exit=` of rl, igpo and async_rl become the recipe
    Config's own `cleanup_on_exit` (FTM086), and only `on_resources_ready=` is left to you.

    Why: with a true value the legacy rl, async_rl and igpo recipes cancelled their trainers
    and scaled their deployment to zero on exit; at target 2026-06 the recipes leave resources
    running, so whatever relied on that cleanup must now do it after `main()` returns.
    """

    code = "FTM041"
    name = "removed-lifecycle-flag"
    fix = "none"
    codemod = "recipe_main"
    replacement = "Explicit cleanup after `main()` returns (delete the trainer job, scale the deployment to zero)."
    related = ("FTM040", "FTM042")
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop

            rl_loop.main(rl_loop.Config(log_path="/tmp/rl"), cancel_on_exit=True)
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        rl_loop.main(rl_loop.Config(log_path="/tmp/rl"))
        """,
    )


class LostRecipeCleanup(Rule):
    """A migrated sft, orpo, dpo or igpo `main()` call whose legacy recipe cleaned up on exit.

    At target 2026-08 only sft and orpo: the dpo and igpo recipes clean up themselves there
    (`cleanup_on_exit`, FTM086).

    Why: the legacy recipes cancelled the trainers they created when they exited (a reattached
    job id was never cancelled); at target 2026-06 they leave them running, and a forgotten
    trainer keeps its GPUs. Delete the trainer when the run ends, or reuse it deliberately
    with `TrainerConfig(job_id=...)`.
    """

    code = "FTM042"
    name = "lost-recipe-cleanup"
    fix = "none"
    codemod = "recipe_main"
    replacement = "Delete the trainer job after `main()` returns (or keep it on purpose)."
    related = ("FTM040", "FTM041")
    INVALID = (
        Example(
            """
            from training.recipes import sft_loop

            sft_loop.main(sft_loop.Config(log_path="/tmp/sft"), rlor_mgr=None)
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        rl_loop.main(rl_loop.Config(log_path="/tmp/rl"))
        """,
    )


class ReferenceDeletedOnExit(Rule):
    """A migrated rl or async_rl `main()` call whose separate reference trainer the target deletes on exit.

    Reported for a `main()` call whose Config is built the legacy way in the file (or that
    passes the legacy managers), when the run may create a reference trainer of its own: a KL
    penalty (`kl_beta` not 0) on a full-parameter run, or an explicit reference shape. A run
    whose Config the file does not show (a parameter, a dataclass of your own, `main` passed
    to a pool) is reported in a file still on the legacy surface, saying the run may create
    one; a Config that shows there is none (`kl_beta=0`, LoRA without a reference shape) is not.

    Why: legacy rl_loop and async_rl_loop left every trainer running unless
    `cancel_on_exit=True`; at target 2026-06 the recipe's service deletes the reference trainer
    it created when it closes (`TrainerConfig.cleanup_reference_on_close`, True by default).
    Code that reuses that trainer after the run (an evaluation against the reference) loses it.
    """

    code = "FTM043"
    name = "reference-deleted-on-exit"
    fix = "none"
    codemod = "recipe_main"
    replacement = "`TrainerConfig(cleanup_reference_on_close=False)` if the reference trainer is reused; otherwise nothing."
    related = ("FTM040", "FTM042")
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import InfraConfig

            rl_loop.main(rl_loop.Config(log_path="/tmp/rl", infra=InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/s")))
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop
        from training.utils import InfraConfig

        rl_loop.main(rl_loop.Config(log_path="/tmp/rl", lora_rank=16, infra=InfraConfig()))
        """,
        """
        from training.recipes import rl_loop
        from training.utils import InfraConfig

        rl_loop.main(rl_loop.Config(log_path="/tmp/rl", kl_beta=0, infra=InfraConfig()))
        """,
    )
