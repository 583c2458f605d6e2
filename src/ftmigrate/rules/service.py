"""Rules for legacy provisioning replaced by the SDK-managed service (migration rules 9 to 11)."""

from ftmigrate.rules._base import Example, Rule


class SetupInfra(Rule):
    """Use of `setup_infra(...)` or its `Infra` result.

    With `--unsafe-fixes` the call becomes `service = build_service_client(...)`: the trainer
    from `infra_cfg` plus the job ids, `deployment` only when inference was needed,
    `reference_required`, `cleanup_trainer_on_close` from whether `cleanup=` was passed,
    `max_seq_len` as `max_context_length`. Uses of the result follow: `.policy` becomes a
    `ReconnectableClient.from_training_client(service.create_training_client(...), ...)`,
    `.reference` `service.create_reference_client(...)`, the ids and shapes the service's
    properties; the service is closed on every path (try/finally).

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

            infra = setup_infra(
                rlor_mgr=rlor_mgr,
                base_model="accounts/fireworks/models/qwen3-8b",
                infra_cfg=InfraConfig(),
                role_prefix="dpo",
                api_key=api_key,
                needs_reference=True,
            )
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
    )


class InfraAttributeWithoutReplacement(Rule):
    """An attribute of the legacy `Infra` bundle that the service does not provide.

    `boot_metrics`, `deployment_gpu_count`, `policy_profile`, `training_shape_id`,
    `ref_training_shape_id`; and `setup_infra`'s `role_prefix=` / `on_status=` arguments.

    Why: the SDK-managed service resolves shapes and reports status itself; code that read
    these values needs another source or can drop them.
    """

    code = "FTM051"
    name = "infra-attribute-without-replacement"
    fix = "none"
    codemod = "setup_infra"
    replacement = "Nothing on the service; read shapes from your TrainerConfig / DeployConfig."
    related = ("FTM050",)
    INVALID = (
        Example(
            """
            from training.utils import setup_infra

            def boot(**kw):
                infra = setup_infra(**kw)
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

    The rewrite writes a clearly marked placeholder (never a guessed literal) and a TODO.

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

            def boot(rlor_mgr, api_key):
                return setup_infra(rlor_mgr=rlor_mgr, base_model="m", infra_cfg=InfraConfig(), role_prefix="x", api_key=api_key)
            """,
            unsafe=True,
        ),
    )
    VALID = ()


class ResourceCleanupUse(Rule):
    """Use of `ResourceCleanup`.

    With `--unsafe-fixes`, `with ResourceCleanup(...) as cleanup:` becomes the service
    lifecycle: trainers registered with `cleanup.trainer(...)` become
    `cleanup_trainer_on_close=True` (trainers never registered, such as reused ids, are never
    deleted); the service is closed in a `finally`. Other context managers in the same `with`
    keep their order.

    Why: at target 2026-06 `ResourceCleanup` is gone. Note the difference: legacy cancelled
    trainers after a grace period (`FW_TRAINER_CANCEL_GRACE_PERIOD_S`, 30 s); the service deletes
    them on close.
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
            from training.utils import ResourceCleanup

            def run(rlor_mgr, deploy_mgr):
                with ResourceCleanup(rlor_mgr, deploy_mgr) as cleanup:
                    pass
            """,
        ),
    )
    VALID = (
        """
        import contextlib

        def run(service):
            with contextlib.closing(service):
                pass
        """,
    )


class DeploymentCleanup(Rule):
    """`cleanup.deployment(dep_id, action=...)` has no service equivalent.

    The rewrite keeps an explicit `deploy_mgr.delete(...)` / `scale_to_zero(...)` in the
    `finally`, or leaves a TODO when the manager is not in scope.

    Why: the target service does not clean up deployments on close; whatever did must stay
    explicit.
    """

    code = "FTM054"
    name = "deployment-cleanup"
    fix = "none"
    codemod = "resource_cleanup"
    replacement = "An explicit deployment delete / scale-to-zero after the run."
    related = ("FTM053",)
    INVALID = (
        Example(
            """
            from training.utils import ResourceCleanup

            def run(rlor_mgr, deploy_mgr):
                with ResourceCleanup(rlor_mgr, deploy_mgr) as cleanup:
                    cleanup.deployment("dep-1", action="scale_to_zero")
            """,
        ),
    )
    VALID = ()


class EarlyTrainerRelease(Rule):
    """`cleanup.cancel_trainer(job_id)` (or its alias `delete_trainer`): an early release.

    Why: the service has no per-trainer early release; a reference trainer released early to
    save GPUs needs a decision (the service can be built with `cleanup_reference_on_close`, or
    the job deleted explicitly).
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

    With `--unsafe-fixes`, and a service in scope, it becomes
    `service.create_reference_client(base_model, lora_rank=...)`; otherwise a TODO.

    Why: at target 2026-06 the service owns the reference strategy: LoRA without a reference
    shape shares the policy session; full-parameter (or an explicit reference shape) gets a
    separate forward-only trainer.
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
            from training.utils import setup_infra

            def refs(infra):
                return infra.policy.create_base_reference()
            """,
        ),
    )
    VALID = (
        """
        def refs(service, base_model):
            return service.create_reference_client(base_model, lora_rank=0)
        """,
    )
