"""Rules checking target-API calls against the bundled signatures."""

from ftmigrate.rules._base import Example, Rule


class UnknownTargetArgument(Rule):
    """A call of the target API with an argument its signature does not have.

    Checked: `TrainerConfig`, `DeployConfig`, `ConcurrencyConfig`, `WandBConfig`,
    `build_service_client`, `ReconnectableClient.from_training_client`, and each recipe's
    `Config` and `main`, against the bundled implementation of target 2026-06.

    Why: hand-ported code in the wrong shape fails only at run time, for example
    `weight_sync_interval=` on `async_rl_loop.Config` (it is pinned to 1) or `deployment=` on
    `sft_loop.Config` (sft has no deployment).
    """

    code = "FTM070"
    name = "unknown-target-argument"
    fix = "none"
    codemod = "target_signatures"
    replacement = "The keywords of the target signature (`ftmigrate explain FTM070` lists none; the message does)."
    related = ("FTM071",)
    INVALID = (
        Example(
            """
            from training.recipes import async_rl_loop

            cfg = async_rl_loop.Config(log_path="/tmp/a", weight_sync_interval=2)
            """,
        ),
        Example(
            """
            from training.recipes import sft_loop
            from training.utils import DeployConfig

            cfg = sft_loop.Config(log_path="/tmp/s", deployment=DeployConfig())
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import async_rl_loop

        cfg = async_rl_loop.Config(log_path="/tmp/a", weight_sync_timeout=900)
        """,
    )


class MissingTargetArgument(Rule):
    """A call of the target API without a required argument.

    For example `build_service_client(...)` without `additional_headers=` (required, even when
    it is None) or a recipe `Config` without `log_path=`.

    Why: required keywords of the target surface have no default; the call raises `TypeError`.
    """

    code = "FTM071"
    name = "missing-target-argument"
    fix = "none"
    codemod = "target_signatures"
    replacement = "Pass every required keyword."
    related = ("FTM070",)
    INVALID = (
        Example(
            """
            from training.recipes import sft_loop

            cfg = sft_loop.Config(dataset="data.jsonl")
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import sft_loop

        cfg = sft_loop.Config(log_path="/tmp/s", dataset="data.jsonl")
        """,
    )
