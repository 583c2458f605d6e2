"""Rules for attribute access on recipe Configs (migration rule 6)."""

from ftmigrate.rules._base import Example, Rule


class LegacyConfigAttribute(Rule):
    """Read or write of a legacy field on a known recipe `Config`.

    `cfg.infra` becomes `cfg.trainer` (with InfraConfig's renamed fields),
    `cfg.weight_sync.<field>` the top-level `cfg.<field>`, and `cfg.policy_job_id` (and the
    other top-level ids) `cfg.trainer.job_id`. Known means: bound from a recipe `Config(...)`
    call or `dataclasses.replace` of one, or annotated with a recipe `Config`.

    Why: at target 2026-06 those fields live on `trainer` or at the top level; the old
    attribute raises `AttributeError`.
    """

    code = "FTM030"
    name = "legacy-config-attribute"
    fix = "safe"
    codemod = "config_attributes"
    replacement = "`cfg.trainer.<field>`, or the top-level cadence field `cfg.<field>`."
    related = ("FTM031", "FTM032", "FTM001")
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop

            def tune(cfg: rl_loop.Config) -> None:
                cfg.infra.ref_training_shape_id = "accounts/fireworks/trainingShapes/ref"
                print(cfg.weight_sync.dcp_save_interval)
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        def tune(cfg: rl_loop.Config) -> None:
            cfg.trainer.reference_training_shape_id = "accounts/fireworks/trainingShapes/ref"
            print(cfg.dcp_save_interval)
        """,
    )


class LegacyAttributeUnknownReceiver(Rule):
    """A legacy field name on a value whose type cannot be told from the file.

    `x.infra.<field>`, `x.weight_sync.<field>`, or an InfraConfig-only field name
    (`ref_training_shape_id`, `trainer_timeout_s`, `trainer_replica_count`, `managed_by`) read
    from `x` or passed to `dataclasses.replace(x, ...)`. Never on a value known to be another
    project's object (built by one of its classes or functions). In a file that does not import
    the cookbook (a test of `configs/base.py`), only on a value known to come from a module of
    the project that does (`base.dpo_config(...)`, a fixture returning one); there a job id read
    (`x.policy_job_id`) is reported too.

    Why: it looks like a legacy recipe Config field, but rewriting an attribute of an object of
    unknown type could break unrelated code. Annotate the receiver (`cfg: rl_loop.Config`) and
    run `ftmigrate rewrite` again, or port it by hand.
    """

    code = "FTM031"
    name = "legacy-attribute-unknown-receiver"
    fix = "none"
    codemod = "config_attributes"
    replacement = "`x.trainer.<field>` / `x.<field>` if `x` is a recipe Config."
    related = ("FTM030",)
    INVALID = (
        Example(
            """
            from training.recipes import rl_loop

            def shape_of(cfg):
                return cfg.infra.training_shape_id
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        def shape_of(cfg):
            return cfg.trainer.training_shape_id
        """,
    )


class NoTargetAttribute(Rule):
    """A legacy recipe Config attribute with no target equivalent.

    The nested `cfg.weight_sync` object itself, a cadence field the recipe does not have
    (`weight_sync_interval` on async_rl_loop), or `dcp_timeout` / `first_checkpoint_type`.

    Why: the value does not exist at target 2026-06; the code that reads or writes it needs
    a decision.
    """

    code = "FTM032"
    name = "no-target-attribute"
    fix = "none"
    codemod = "config_attributes"
    replacement = "The recipe's top-level cadence fields, or nothing."
    related = ("FTM030", "FTM012")
    INVALID = (
        Example(
            """
            from training.recipes import async_rl_loop

            cfg = async_rl_loop.Config(log_path="/tmp/a")
            interval = cfg.weight_sync.weight_sync_interval
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import async_rl_loop

        cfg = async_rl_loop.Config(log_path="/tmp/a")
        timeout = cfg.weight_sync_timeout
        """,
    )
