"""Rules for the legacy ``InfraConfig`` (migration rule 1)."""

from ftmigrate.rules._base import Example, Rule


class InfraConfigUse(Rule):
    """Use of the deprecated `InfraConfig`.

    Reports every reference to the cookbook's `InfraConfig` -- calls, annotations,
    `default_factory=InfraConfig`, `isinstance` checks, the class passed as a value -- and the
    legacy field names read or passed through `dataclasses.replace` on a known InfraConfig
    value.

    Why: at target 2026-06 recipe Configs take `trainer=TrainerConfig(...)` and reject
    `InfraConfig`; constructing it only emits a DeprecationWarning. Three fields were renamed:
    `ref_training_shape_id` -> `reference_training_shape_id`, `trainer_timeout_s` ->
    `timeout_s`, `trainer_replica_count` -> `replica_count`.
    """

    code = "FTM001"
    name = "infra-config"
    fix = "safe"
    codemod = "infra_config"
    replacement = "`TrainerConfig(...)` from `training.utils`, with the renamed fields."
    related = ("FTM002", "FTM003", "FTM004", "FTM010")
    INVALID = (
        Example(
            """
            from training.utils import InfraConfig

            infra = InfraConfig(
                training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200",
                ref_training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200-forward",
                trainer_timeout_s=7200,
            )
            """,
        ),
        Example(
            """
            from dataclasses import dataclass, field
            from training.utils import InfraConfig

            @dataclass
            class Experiment:
                infra: InfraConfig = field(default_factory=InfraConfig)
            """,
        ),
    )
    VALID = (
        """
        from training.utils import TrainerConfig

        trainer = TrainerConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200")
        """,
        """
        from myproject.infra import InfraConfig  # a project's own class of the same name

        cfg = InfraConfig(ref_training_shape_id="x")
        """,
    )


class InfraFieldDropped(Rule):
    """An `InfraConfig` field with no `TrainerConfig` equivalent (`managed_by`).

    The rewrite drops the keyword (TrainerConfig would reject it) and leaves a TODO naming the
    value that was dropped. At target 2026-08 the fields are the August `TrainerConfig`'s:
    `managed_by` is kept (it is a field again), and `accelerator_type` / `accelerator_count`
    are dropped instead (the training shape owns the accelerator; `None` silently).

    Why: at target 2026-06 `TrainerConfig` has no `managed_by`; passing it raises `TypeError`.
    Whatever relied on the trainer being tagged must now do it another way.
    """

    code = "FTM002"
    name = "infra-field-dropped"
    fix = "none"
    codemod = "infra_config"
    replacement = "Nothing: remove `managed_by=`; tag the trainer job another way if something relies on it."
    related = ("FTM001",)
    INVALID = (
        Example(
            """
            from training.utils import InfraConfig

            infra = InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/s", managed_by="team-a")
            """,
        ),
    )
    VALID = (
        """
        from training.utils import InfraConfig

        infra = InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/s")
        """,
    )


class ManualFieldWithShape(Rule):
    """A manual-path field (`accelerator_type`, `accelerator_count`, `node_count`, `custom_image_tag`) next to a training shape.

    Reported on `InfraConfig(...)` and on `TrainerConfig(...)` calls: one finding per field when
    both values are written in the code; one note per call when either comes from a value known
    only at run time (`training_shape_id=args.shape, node_count=args.nodes`), since both may
    not be set.

    Why: on the shape path the training shape owns the hardware and image; these fields are sent
    only on the manual path (`training_shape_id=None`). The legacy `InfraConfig` raised
    `ValueError` for this combination; `TrainerConfig` accepts it and ignores the fields (a
    `ConfigWarning` in the bundled API), so the run silently uses the shape's hardware. Decide
    which path you mean.
    """

    code = "FTM003"
    name = "manual-field-with-shape"
    fix = "none"
    codemod = "infra_config"
    replacement = "Either `training_shape_id=...` alone, or the manual fields with `training_shape_id=None`."
    related = ("FTM001",)
    INVALID = (
        Example(
            """
            from training.utils import InfraConfig

            infra = InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/s", accelerator_type="NVIDIA_H200_141GB")
            """,
        ),
        Example(
            """
            from training.utils import TrainerConfig

            trainer = TrainerConfig(training_shape_id="accounts/fireworks/trainingShapes/s", node_count=2)
            """,
        ),
    )
    VALID = (
        """
        from training.utils import InfraConfig

        infra = InfraConfig(accelerator_type="NVIDIA_H200_141GB", accelerator_count=8)
        """,
    )


class InfraKwargsSplat(Rule):
    """`InfraConfig(**kwargs)` whose keys cannot be seen.

    The call is renamed to `TrainerConfig(**kwargs)`; the keys are not.

    Why: if the mapping holds `ref_training_shape_id`, `trainer_timeout_s`,
    `trainer_replica_count` or `managed_by`, `TrainerConfig` rejects it at run time. Rename the
    keys where the mapping is built (argparse, Hydra, YAML ...).
    """

    code = "FTM004"
    name = "infra-kwargs-splat"
    fix = "none"
    codemod = "infra_config"
    replacement = "Build the mapping with TrainerConfig's field names."
    related = ("FTM001",)
    INVALID = (
        Example(
            """
            from training.utils import InfraConfig

            def make(opts: dict):
                return InfraConfig(**opts)
            """,
        ),
    )
    VALID = (
        """
        from training.utils import TrainerConfig

        def make(opts: dict):
            return TrainerConfig(**opts)
        """,
    )
