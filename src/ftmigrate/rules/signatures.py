"""Rules checking target-API calls against the bundled signatures."""

from ftmigrate.rules._base import Example, Rule


class UnknownTargetArgument(Rule):
    """A call of the target API with an argument its signature does not have.

    Checked: `TrainerConfig`, `DeployConfig`, `ConcurrencyConfig`, `WandBConfig`,
    `build_service_client`, `ReconnectableClient.from_training_client`, and each recipe's
    `Config` and `main`, against the bundled implementation of the chosen target (`--target`):
    `build_service_client(max_lora_rank=...)` is right at 2026-08 and unknown at 2026-06. A
    keyword the target removed or renamed is reported by FTM080-FTM085 instead, and a file
    written for a later target gets one FTM072 instead of one FTM070 per keyword.

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


class NewerThanTarget(Rule):
    """A file written for a later target than the one it is checked against.

    Checked at target 2026-06, a file that uses what only 2026-08 has (`cleanup_on_exit=` on a
    recipe Config, `build_service_client(max_lora_rank=...)`, `TrainerConfig(preemptible=...)`,
    `DeployConfig(enable_hot_load=...)`, `policy_client=`, `training.provision`, the names
    2026-08 added to `training.utils` ...) and nothing only 2026-06 has gets this one finding,
    at its first such use, naming the target it looks written for; its calls are then checked
    against that target's signatures instead of one FTM070 per keyword.

    Why: the project most likely runs the later cookbook and ftmigrate is checking against the
    wrong surface; `--target 2026-08` (or `target = "2026-08"` in `[tool.ftmigrate]`) fixes
    every one of those findings at once.
    """

    code = "FTM072"
    name = "newer-than-target"
    fix = "none"
    codemod = "target_signatures"
    targets = ("2026-06",)
    replacement = '`ftmigrate lint --target 2026-08`, or `target = "2026-08"` in `[tool.ftmigrate]`.'
    related = ("FTM070",)
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop
            from training.utils import TrainerConfig

            cfg = rl_loop.Config(log_path="/tmp/rl", trainer=TrainerConfig(preemptible=True), cleanup_on_exit=False)
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop
        from training.utils import TrainerConfig

        cfg = rl_loop.Config(log_path="/tmp/rl", trainer=TrainerConfig(region="US_OHIO_1"))
        """,
    )
