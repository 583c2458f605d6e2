"""Rules for legacy provisioning replaced by the SDK-managed service (migration rules 9 to 11)."""

from ftmigrate.rules._base import Example, Rule


class SetupInfra(Rule):
    """Use of `setup_infra(...)` or its `Infra` result.

    With `--unsafe-fixes`, `infra = setup_infra(...)` becomes `service = build_service_client(...)`
    with every keyword the target requires: the trainer from `infra_cfg` plus the job ids,
    `deployment` only when inference was needed, `reference_required` from `needs_reference`,
    `cleanup_trainer_on_close` from whether a `ResourceCleanup` registered the trainers,
    `max_seq_len` as `max_context_length`, and `base_url` / `additional_headers` from the
    `TrainerJobManager` that was passed (FTM052 when they cannot be seen). Uses of the result
    follow: `.policy` becomes one `ReconnectableClient.from_training_client(...)` (with
    `default_timeout` from `step_timeout`), `.reference` one `service.create_reference_client(...)`,
    the ids and shapes the service's properties, the `closeables` loop `service.close()`. The
    service is closed on every path -- a `try/finally` around the rest of the block, or the
    `ExitStack` a `ResourceCleanup` became -- never through `with service:`. The message states
    what the legacy call cleaned up and what the new code releases or leaves running. A call
    whose `Infra` escapes (returned, passed on, stored) is reported with the reason and a TODO.

    Why: at target 2026-06 `setup_infra` is gone; provisioning lives behind
    `build_service_client(...)` -> `service.create_*` -> `service.close()`.
    """

    code = "FTM050"
    name = "setup-infra"
    fix = "unsafe"
    codemod = "setup_infra"
    replacement = "`service = build_service_client(...)`, `service.create_training_client(...)`, `service.close()` in `finally`."
    related = ("FTM051", "FTM052", "FTM053", "FTM056")
    INVALID = (
        Example(
            """
            from training.utils import InfraConfig, setup_infra

            BASE_MODEL = "accounts/fireworks/models/qwen3-8b"


            def train(rlor_mgr, api_key, steps):
                infra = setup_infra(
                    rlor_mgr=rlor_mgr,
                    base_model=BASE_MODEL,
                    infra_cfg=InfraConfig(),
                    lora_rank=16,
                    needs_reference=True,
                    role_prefix="dpo",
                    api_key=api_key,
                )
                for step in range(steps):
                    infra.reference.forward([step], "cross_entropy")
                    infra.policy.optim_step(None)
            """,
            """
            from training.utils import ReconnectableClient, TrainerConfig, build_service_client

            BASE_MODEL = "accounts/fireworks/models/qwen3-8b"


            def train(rlor_mgr, api_key, steps):
                # TODO(ftmigrate): record the dropped role_prefix="dpo" (ftmigrate explain FTM051)
                service = build_service_client(
                    api_key=api_key,
                    base_url=rlor_mgr.base_url,
                    additional_headers=rlor_mgr.additional_headers,
                    base_model=BASE_MODEL,
                    tokenizer_model=None,
                    lora_rank=16,
                    max_context_length=None,
                    learning_rate=1e-5,
                    trainer=TrainerConfig(),
                    deployment=None,
                    cleanup_trainer_on_close=False,
                    reference_required=True,
                )
                try:
                    policy = ReconnectableClient.from_training_client(
                        service.create_training_client(BASE_MODEL, lora_rank=16),
                        base_model=BASE_MODEL,
                        lora_rank=16,
                        job_id=service.trainer_job_id,
                        service=service,
                        default_timeout=3600,
                    )
                    reference = service.create_reference_client(BASE_MODEL, lora_rank=16)
                    for step in range(steps):
                        reference.forward([step], "cross_entropy")
                        policy.optim_step(None)
                finally:
                    service.close()
            """,
            unsafe=True,
        ),
        Example(
            """
            from training.utils import InfraConfig, setup_infra

            def boot(rlor_mgr, api_key):
                infra = setup_infra(rlor_mgr=rlor_mgr, base_model="m", infra_cfg=InfraConfig(), role_prefix="x", api_key=api_key)
                return infra
            """,
        ),
    )
    VALID = (
        """
        from training.utils import TrainerConfig, build_service_client

        service = build_service_client(
            api_key=api_key,
            base_url="https://api.fireworks.ai",
            additional_headers=None,
            base_model="accounts/fireworks/models/qwen3-8b",
            tokenizer_model=None,
            lora_rank=0,
            max_context_length=None,
            learning_rate=1e-5,
            trainer=TrainerConfig(),
            reference_required=True,
        )
        """,
        """
        from myproject.infra import setup_infra

        infra = setup_infra(rlor_mgr=rlor_mgr)
        """,
    )


class InfraAttributeWithoutReplacement(Rule):
    """An attribute of the legacy `Infra` bundle, or a `setup_infra` argument, that the service
    does not provide.

    `boot_metrics`, `deployment_gpu_count`, `policy_profile`, `training_shape_id`,
    `ref_training_shape_id` and `inference_model` read None after the `setup_infra` rewrite;
    `role_prefix=` and `on_status=` are dropped. Each gets a TODO saying where the value comes
    from now, if anywhere.

    Why: the SDK-managed service resolves shapes, names trainers and reports status itself;
    code that read these values needs another source or can drop them.
    """

    code = "FTM051"
    name = "infra-attribute-without-replacement"
    fix = "none"
    codemod = "setup_infra"
    replacement = (
        "Nothing on the service: read requested shapes from your TrainerConfig / DeployConfig; sample through"
        " `service.create_deployment_sampler(...)`."
    )
    related = ("FTM050",)
    INVALID = (
        Example(
            """
            from training.utils import InfraConfig, setup_infra

            def boot(rlor_mgr, api_key):
                infra = setup_infra(rlor_mgr=rlor_mgr, base_model="m", infra_cfg=InfraConfig(), role_prefix="x", api_key=api_key)
                print(infra.boot_metrics)
            """,
        ),
    )
    VALID = (
        """
        def boot(service):
            print(service.trainer_job_id)
        """,
    )


class ServiceEndpointUnknown(Rule):
    """The service's `base_url` or `additional_headers` cannot be derived from the code in scope.

    The `setup_infra` rewrite takes them from the `TrainerJobManager(...)` passed as `rlor_mgr`
    (its constructor in scope, or its `.base_url` / `.additional_headers`). When the manager
    comes out of an expression it cannot see into, it writes the names
    `FTMIGRATE_TODO_BASE_URL` / `FTMIGRATE_TODO_ADDITIONAL_HEADERS` -- a NameError if run --
    and a TODO: never a guessed literal.

    Why: the legacy managers carried the endpoint; `build_service_client` needs it explicitly.
    """

    code = "FTM052"
    name = "service-endpoint-unknown"
    fix = "none"
    codemod = "setup_infra"
    replacement = "`base_url=` / `additional_headers=` with the values the managers used."
    related = ("FTM050",)
    INVALID = (
        Example(
            """
            from training.utils import InfraConfig, setup_infra

            def boot(make_manager, api_key):
                infra = setup_infra(rlor_mgr=make_manager(), base_model="m", infra_cfg=InfraConfig(), role_prefix="x", api_key=api_key)
                print(infra.policy_job_id)
            """,
        ),
    )
    VALID = (
        """
        from fireworks.training.sdk import TrainerJobManager
        from training.utils import InfraConfig, setup_infra

        def boot(api_key):
            rlor_mgr = TrainerJobManager(api_key=api_key, base_url="https://api.fireworks.ai")
            infra = setup_infra(rlor_mgr=rlor_mgr, base_model="m", infra_cfg=InfraConfig(), role_prefix="x", api_key=api_key)
            print(infra.policy_job_id)
        """,
    )


class ResourceCleanupUse(Rule):
    """Use of `ResourceCleanup`.

    With `--unsafe-fixes`, the `ResourceCleanup(...)` item of a `with` goes: trainers it covered
    (`setup_infra(..., cleanup=cleanup)`, `cleanup.trainer(infra.policy_job_id)`) become
    `cleanup_trainer_on_close=True` on the service, which the `setup_infra` rewrite closes in a
    `finally`; trainers never registered, such as reused ids, are never deleted. Other context
    managers of the same `with` stay, in order; a `with` left with nothing to enter is replaced
    by its body. When deployments were registered (`cleanup.deployment(...)`) and their manager
    is in scope, the item becomes `contextlib.ExitStack()` and each registration
    `cleanup.callback(deploy_mgr.delete | scale_to_zero, dep)`, run on exit newest first, as
    before. A block that registers a trainer the service does not create, or hands the cleanup
    object elsewhere, is reported with the reason and a TODO.

    Why: at target 2026-06 `ResourceCleanup` is gone. Legacy *cancelled* trainers on exit after a
    grace period (`FW_TRAINER_CANCEL_GRACE_PERIOD_S`, 30 s by default); the service *deletes* the
    trainers it created on close(). Every message says so.
    """

    code = "FTM053"
    name = "resource-cleanup"
    fix = "unsafe"
    codemod = "resource_cleanup"
    replacement = "`build_service_client(..., cleanup_trainer_on_close=True)` and `service.close()` in `finally`."
    related = ("FTM050", "FTM054", "FTM055")
    INVALID = (
        Example(
            """
            from training.utils import InfraConfig, ResourceCleanup, setup_infra

            def run(rlor_mgr, api_key):
                with ResourceCleanup(rlor_mgr) as cleanup:
                    infra = setup_infra(
                        rlor_mgr=rlor_mgr,
                        base_model="m",
                        infra_cfg=InfraConfig(),
                        role_prefix="sft",
                        api_key=api_key,
                        cleanup=cleanup,
                    )
                    infra.policy.optim_step(None)
            """,
            """
            from training.utils import ReconnectableClient, TrainerConfig, build_service_client

            def run(rlor_mgr, api_key):
                # TODO(ftmigrate): record the dropped role_prefix="sft" (ftmigrate explain FTM051)
                service = build_service_client(
                    api_key=api_key,
                    base_url=rlor_mgr.base_url,
                    additional_headers=rlor_mgr.additional_headers,
                    base_model="m",
                    tokenizer_model=None,
                    lora_rank=0,
                    max_context_length=None,
                    learning_rate=1e-5,
                    trainer=TrainerConfig(),
                    deployment=None,
                    cleanup_trainer_on_close=True,
                    reference_required=False,
                )
                try:
                    policy = ReconnectableClient.from_training_client(
                        service.create_training_client("m", lora_rank=0),
                        base_model="m",
                        lora_rank=0,
                        job_id=service.trainer_job_id,
                        service=service,
                        default_timeout=3600,
                    )
                    policy.optim_step(None)
                finally:
                    service.close()
            """,
            unsafe=True,
        ),
    )
    VALID = (
        """
        import contextlib

        def run(service):
            with contextlib.closing(service):
                pass
        """,
        """
        from myproject.lifecycle import ResourceCleanup

        def run(rlor_mgr):
            with ResourceCleanup(rlor_mgr) as cleanup:
                cleanup.trainer("job-1")
        """,
    )


class DeploymentCleanup(Rule):
    """`cleanup.deployment(dep_id, action=...)`: a deployment that `ResourceCleanup` released.

    With `--unsafe-fixes`, when the deployment manager is a name in scope, the
    `ResourceCleanup(...)` item becomes `contextlib.ExitStack()` and the registration
    `cleanup.callback(deploy_mgr.delete, dep_id)` (or `scale_to_zero`): the same explicit call,
    registered at the same point, run on exit. When the manager is not in scope (built inline,
    say), the registration is removed and a TODO says what legacy released there.

    Why: the target service does not clean up deployments on close; whatever did must stay
    explicit.
    """

    code = "FTM054"
    name = "deployment-cleanup"
    fix = "unsafe"
    codemod = "resource_cleanup"
    replacement = "An explicit `deploy_mgr.delete(...)` / `scale_to_zero(...)` on exit (`ExitStack.callback`)."
    related = ("FTM053",)
    INVALID = (
        Example(
            """
            from training.utils import ResourceCleanup

            def run(rlor_mgr, deploy_mgr, train):
                with ResourceCleanup(rlor_mgr, deploy_mgr) as cleanup:
                    cleanup.deployment("dep-1", action="scale_to_zero")
                    train()
            """,
            """
            import contextlib

            def run(rlor_mgr, deploy_mgr, train):
                with contextlib.ExitStack() as cleanup:
                    cleanup.callback(deploy_mgr.scale_to_zero, "dep-1")
                    train()
            """,
            unsafe=True,
        ),
        Example(
            """
            from fireworks.training.sdk import DeploymentManager
            from training.utils import ResourceCleanup

            def run(rlor_mgr, api_key):
                with ResourceCleanup(rlor_mgr, DeploymentManager(api_key=api_key)) as cleanup:
                    cleanup.deployment("dep-1", action="scale_to_zero")
            """,
        ),
    )
    VALID = (
        """
        import contextlib

        def run(deploy_mgr, train):
            with contextlib.ExitStack() as cleanup:
                cleanup.callback(deploy_mgr.scale_to_zero, "dep-1")
                train()
        """,
    )


class EarlyTrainerRelease(Rule):
    """`cleanup.cancel_trainer(job_id)` (or its alias `delete_trainer`): an early release.

    The `ResourceCleanup` rewrite removes the call and leaves a TODO where it was: the service
    keeps the trainer until `close()`, and deletes it then only if it created it.

    Why: the service has no per-trainer early release; a reference trainer released early to
    save GPUs needs a decision (delete the job explicitly and build the service with
    `TrainerConfig(cleanup_reference_on_close=False)`, or keep it until `service.close()`).
    """

    code = "FTM055"
    name = "early-trainer-release"
    fix = "none"
    codemod = "resource_cleanup"
    replacement = "Delete the job explicitly when it is no longer needed, or keep it until `service.close()`."
    related = ("FTM053",)
    INVALID = (
        Example(
            """
            from training.utils import ResourceCleanup

            def run(rlor_mgr, ref_id):
                with ResourceCleanup(rlor_mgr) as cleanup:
                    cleanup.cancel_trainer(ref_id)
            """,
        ),
    )
    VALID = ()


class LegacyReferenceClient(Rule):
    """`policy.create_base_reference()` or `make_reference_client(...)`.

    With `--unsafe-fixes`, and exactly one service in scope -- the one the `setup_infra` rewrite
    creates in the same function, or a name bound to `build_service_client(...)` earlier in the
    same scope -- it becomes `service.create_reference_client(base_model, lora_rank=...)` with that
    service's base model and rank; otherwise it is reported with a TODO.

    Why: at target 2026-06 the service owns the reference strategy: LoRA without a reference
    shape shares the policy session (what `create_base_reference()` gave); full-parameter (or an
    explicit reference shape) gets a separate forward-only trainer, deleted on close.
    """

    code = "FTM056"
    name = "legacy-reference-client"
    fix = "unsafe"
    codemod = "reference_client"
    replacement = "`service.create_reference_client(base_model, lora_rank=...)`."
    related = ("FTM050",)
    INVALID = (
        Example(
            """
            from training.utils import build_service_client

            def refs(service_args, base_model):
                service = build_service_client(**service_args, base_model=base_model, lora_rank=8)
                return policy_of(service).create_base_reference()
            """,
            """
            from training.utils import build_service_client

            def refs(service_args, base_model):
                service = build_service_client(**service_args, base_model=base_model, lora_rank=8)
                return service.create_reference_client(base_model, lora_rank=8)
            """,
            unsafe=True,
        ),
        Example(
            """
            from training.utils import ReconnectableClient

            def refs(policy: ReconnectableClient):
                return policy.create_base_reference()
            """,
        ),
    )
    VALID = (
        """
        def refs(service, base_model):
            return service.create_reference_client(base_model, lora_rank=0)
        """,
    )
