"""What the bundled recipes share: nested keyword configs, removed keywords, the dry run.

A recipe module defines its target 2026-06 ``Config`` and ``main``; later targets derive their
``Config`` from it (``profiles``) and share ``main``: the dry run follows the target of the
config it is given (its ``__ftmigrate_target__``), so one ``main`` serves every target.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from typing import Any

from ftmigrate.api._checked import RemovedKeywordError, checked
from ftmigrate.api.targets import DEFAULT_TARGET

#: Recipe constants (the cookbook keeps them next to the recipes).
DEFAULT_EVAL_CARVE_RATIO = 0.05
DEFAULT_MAX_EVAL_SEQS = 256
DEFAULT_RENDER_WORKERS = 8

#: Strings on the target surface (the cookbook types them as Literal aliases).
PolicyLoss = str
LossPath = str


class KeywordConfig:
    """A recipe-internal nested config (``DAPOConfig``, ``TISConfig``, ``RunnerConfig`` ...).

    The cookbook documents these as recipe-internal; the bundled recipes keep whatever keywords
    they are given, compare by value, and print like a dataclass.
    """

    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(map(repr, vars(self).items())))))

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({body})"


class DAPOConfig(KeywordConfig):
    """DAPO loss settings (recipe-internal)."""


class DROConfig(KeywordConfig):
    """DRO loss settings (recipe-internal)."""


class GSPOConfig(KeywordConfig):
    """GSPO loss settings (recipe-internal)."""


class CISPOConfig(KeywordConfig):
    """CISPO loss settings (recipe-internal)."""


class TISConfig(KeywordConfig):
    """Truncated importance sampling settings (recipe-internal)."""


class RunnerConfig(KeywordConfig):
    """Run orchestration settings (recipe-internal)."""


class OpenConfig(KeywordConfig):
    """The ``Config`` of a recipe whose fields ftmigrate does not know (a recipe a later target
    added): it keeps whatever keywords it is given, so a config can be built, and checks none."""


#: Cadence fields a nested WeightSyncConfig / HotloadConfig turns into, in their target order.
CADENCE_FIELDS = (
    "weight_sync_interval",
    "weight_sync_before_training",
    "weight_sync_timeout",
    "dcp_save_interval",
)

#: Keywords the legacy recipe Configs took, and where their value goes at the target:
#: ``"trainer"`` (the whole value), ``"trainer.<field>"``, ``"<cadence>"`` (spread into the
#: recipe's top-level cadence fields) or ``None`` (no replacement).
LEGACY_KEYWORDS: dict[str, str | None] = {
    "infra": "trainer",
    "weight_sync": "<cadence>",
    "hotload": "<cadence>",
    "policy_job_id": "trainer.job_id",
    "trainer_job_id": "trainer.job_id",
    "job_id": "trainer.job_id",
    "reference_job_id": "trainer.reference_job_id",
    "policy_base_url": None,
    "reference_base_url": None,
    "trainer_base_url": None,
    "rollout_base_model": None,
}

#: Legacy keywords the legacy recipes ignored: dropping them changes nothing.
IGNORED_LEGACY_KEYWORDS = frozenset({"policy_base_url", "reference_base_url", "trainer_base_url"})

_PORT = "`ftmigrate rewrite` ports it where it is written as a keyword"
_PORT_CALL = "`ftmigrate rewrite` ports such calls"


def removed_keywords(recipe: str, field_names: list[str], target: str = DEFAULT_TARGET) -> dict[str, str]:
    """The error text for each legacy keyword of ``recipe``'s Config, naming the replacement."""
    cadence = [f for f in CADENCE_FIELDS if f in field_names]
    texts = {}
    from ftmigrate.api.legacy.surface import LEGACY_CONFIG_FIELDS

    legacy = LEGACY_CONFIG_FIELDS.get(recipe)
    for name, where in LEGACY_KEYWORDS.items():
        if name in field_names:
            continue  # still a real field of this recipe
        if legacy is not None and name not in legacy and where not in ("trainer", "<cadence>"):
            continue  # never a keyword of this recipe (sft_loop's policy_job_id): an unknown keyword
        if where == "trainer":
            what = "replaced by trainer=TrainerConfig(...)"
        elif where == "<cadence>":
            what = "gone; set " + ", ".join(f"{f}=" for f in cadence) + f" on {recipe}.Config directly"
        elif where is not None:
            what = f"moved to trainer=TrainerConfig({where.split('.', 1)[1]}=...)"
        elif name in IGNORED_LEGACY_KEYWORDS:
            what = "removed (the legacy recipe ignored it); drop it"
        else:
            what = "removed with no replacement; the deployment serves base_model"
        texts[name] = f"{what} at target {target}; {_PORT}"
    return texts


def recipe_config(recipe: str) -> Callable[[type], type]:
    """Make a recipe ``Config`` (target 2026-06): a checked dataclass that names the replacement
    of legacy keywords."""

    def wrap(cls: type) -> type:
        cls.__ftmigrate_target__ = DEFAULT_TARGET
        return checked(cls, removed=lambda names: removed_keywords(recipe, names))

    return wrap


def config_target(config: Any) -> str:
    """The target a config object was built for (its class's ``__ftmigrate_target__``)."""
    return getattr(type(config), "__ftmigrate_target__", DEFAULT_TARGET)


#: Keywords the legacy ``main()`` took that the target ``main(config)`` does not.
LEGACY_MAIN_KEYWORDS = {
    "rlor_mgr": "the SDK-managed service provisions trainers; pass nothing",
    "deploy_mgr": "the SDK-managed service provisions the deployment; pass nothing",
    "cancel_on_exit": "recipes leave resources running at target {target}",
    "cleanup_on_exit": "recipes leave resources running at target {target}",
    "on_resources_ready": "no target equivalent",
}


def _main_keyword_text(recipe: str, keyword: str, target: str) -> str:
    if keyword in ("cancel_on_exit", "cleanup_on_exit"):
        from ftmigrate.api.profiles import get

        flag = get(target).lifecycle(recipe).flag
        if flag is not None:
            return f"at target {target} cleanup on exit is a Config field: set {recipe}.Config({flag}=...)"
    return LEGACY_MAIN_KEYWORDS[keyword].format(target=target)


def target_main(recipe: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Reject legacy ``main()`` arguments with a message, keeping the exact target signature."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def main(*args: Any, **kwargs: Any) -> Any:
            try:
                signature.bind(*args, **kwargs)
            except TypeError:
                config = args[0] if args else kwargs.get("config")
                target = config_target(config)
                legacy = [k for k in kwargs if k in LEGACY_MAIN_KEYWORDS]
                if legacy:
                    raise RemovedKeywordError(
                        f"{recipe}.main({legacy[0]}=...): {_main_keyword_text(recipe, legacy[0], target)};"
                        f" call main(config) ({_PORT_CALL})"
                    ) from None
                if len(args) > 1:
                    raise RemovedKeywordError(
                        f"{recipe}.main() takes the config alone at target {target} (no trainer"
                        f" or deployment managers); {_PORT_CALL}"
                    ) from None
                raise
            return fn(*args, **kwargs)

        return main

    return wrap


def dry_run(config: Any, *, recipe: str, needs_reference: bool, needs_deployment: bool) -> Any:
    """Provision what ``recipe`` would, on the local backend, and return the plan.

    The bundled recipes do not train: they go through the target's ``build_service_client``
    exactly as the cookbook's recipes do, then close the service -- releasing what the
    target's recipe releases on exit (``profiles.Lifecycle``) -- and describe what was
    created, what was reused, and what is left running.
    """
    from ftmigrate.api.profiles import get
    from ftmigrate.api.service import LOCAL_BASE_URL

    profile = get(config_target(config))
    deployment = getattr(config, "deployment", None) if needs_deployment else None
    tokenizer = getattr(config, "tokenizer_model", None) or (
        deployment.tokenizer_model if deployment is not None else None
    )
    arguments: dict[str, Any] = dict(
        api_key="local",
        base_url=LOCAL_BASE_URL,
        additional_headers=None,
        base_model=config.base_model,
        tokenizer_model=tokenizer or None,
        lora_rank=config.lora_rank,
        max_context_length=config.max_seq_len,
        learning_rate=config.learning_rate,
        trainer=config.trainer,
        deployment=deployment,
        hotload_timeout_s=getattr(config, "weight_sync_timeout", None),
        cleanup_trainer_on_close=False,
        reference_required=needs_reference,
    )
    lifecycle = profile.lifecycle(recipe)
    if lifecycle.on_exit(config):
        arguments["cleanup_trainer_on_close"] = lifecycle.trainer == "delete"
        if lifecycle.deployment is not None:
            arguments["cleanup_deployment_on_close"] = lifecycle.deployment
    service = profile.build_service_client(**profile.spell("build_service_client", arguments))
    try:
        service.create_training_client(config.base_model, lora_rank=config.lora_rank)
        if needs_reference:
            service.create_reference_client(config.base_model, lora_rank=config.lora_rank)
        if deployment is not None:
            service.create_deployment_sampler()
    finally:
        service.close()
    return service.plan(recipe=recipe, config=dataclasses.asdict(config))
