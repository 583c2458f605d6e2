"""Rules about the input itself: what cannot be resolved or read, and idle suppressions."""

from ftmigrate.rules._base import Example, Rule


class StarImport(Rule):
    """`from training... import *`.

    Why: a star import hides which legacy names the file uses, so they cannot be resolved (and
    will not be rewritten). Import the names explicitly.
    """

    code = "FTM090"
    name = "star-import"
    fix = "none"
    codemod = "legacy_references"
    replacement = "Explicit imports: `from training.utils import TrainerConfig, ...`."
    related = ("FTM091",)
    INVALID = (
        Example(
            """
            from training.utils import *

            infra = InfraConfig()
            """,
        ),
    )
    VALID = (
        """
        from training.utils import TrainerConfig

        trainer = TrainerConfig()
        """,
    )


class UnresolvedRecipe(Rule):
    """A recipe `Config(...)` or `main(...)` with legacy arguments whose recipe cannot be resolved or is unknown.

    Unresolved: the recipe comes through a star import. Unknown: a module under
    `training.recipes` that is not one of the six recipes ftmigrate knows (one the cookbook
    added later, such as `distillation_loop`). Such a call is left whole, the `InfraConfig`
    or `WeightSyncConfig` inside it included, with this one finding: a half-ported call
    (`infra=TrainerConfig(...)`) would fail on either surface.

    Why: how `weight_sync=` is ported depends on the recipe (rl and igpo keep
    `weight_sync_interval`, async_rl does not, sft/dpo/orpo take only `dcp_save_interval`), and
    a recipe ftmigrate does not know may take other fields; ftmigrate reports instead of
    guessing.
    """

    code = "FTM091"
    name = "unresolved-recipe"
    fix = "none"
    codemod = "legacy_references"
    replacement = "Import the recipe explicitly (`from training.recipes import rl_loop`); for an unknown recipe, its own target fields (`trainer=TrainerConfig(...)`, cadence fields at top level)."
    related = ("FTM090", "FTM010")
    INVALID = (
        Example(
            """
            from training.recipes.rl_loop import *

            cfg = Config(log_path="/tmp/rl", infra=None)
            """,
        ),
        Example(
            """
            from training.recipes import distillation_loop
            from training.utils import InfraConfig

            cfg = distillation_loop.Config(log_path="/tmp/d", infra=InfraConfig(region="US_OHIO_1"))
            """,
        ),
    )
    VALID = (
        """
        from training.recipes import rl_loop

        cfg = rl_loop.Config(log_path="/tmp/rl")
        """,
    )


class UnusedSuppression(Rule):
    """A `# ftmigrate: ignore[...]` or `# noqa: FTM...` comment that suppresses nothing.

    Off by default; select it with `--select FTM099`.

    Why: stale suppressions hide nothing today and may hide a real finding tomorrow.
    """

    code = "FTM099"
    name = "unused-suppression"
    fix = "none"
    codemod = "transform"
    default = False
    replacement = "Remove the comment."
    INVALID = ()
    VALID = ()


class UnreadableFile(Rule):
    """A file that could not be read, decoded or parsed.

    Reported by `ftmigrate lint` as a finding (syntax errors, undecodable bytes, permission
    problems, nesting too deep for the parser), so a CI gate cannot pass over it silently.

    Why: ftmigrate cannot tell what a file it cannot parse uses.
    """

    code = "FTM901"
    name = "unreadable-file"
    fix = "none"
    codemod = "engine"
    replacement = "Fix the file so Python can parse it."
    INVALID = ()
    VALID = ()
