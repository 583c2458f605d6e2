"""``infra = setup_infra(...)`` -> ``service = build_service_client(...)`` (migration rule 9). Unsafe.

What: with ``--unsafe-fixes`` the call becomes ``service = build_service_client(...)`` with
every required keyword of the bundled signature: ``api_key``, ``base_model``, ``lora_rank``,
``learning_rate`` as given (or setup_infra's defaults); ``max_seq_len`` as
``max_context_length``; ``trainer`` the ``infra_cfg`` (with ``job_id`` / ``reference_job_id``
folded in from ``policy_job_id`` / ``reference_job_id``: into an inline ``TrainerConfig(...)``,
else through ``dataclasses.replace``); ``deployment`` the ``deploy_cfg`` when inference was
needed, else None; ``tokenizer_model`` from the ``deploy_cfg``; ``cleanup_trainer_on_close``
True when a ``ResourceCleanup`` registered the trainers; ``reference_required`` from
``needs_reference``. ``base_url`` / ``additional_headers`` come from the ``TrainerJobManager``
that was passed as ``rlor_mgr`` (its constructor in scope, or its attributes); when that
cannot be seen they are the names ``FTMIGRATE_TODO_BASE_URL`` /
``FTMIGRATE_TODO_ADDITIONAL_HEADERS`` -- a NameError if run -- and a TODO (FTM052).

Uses of the ``Infra`` result follow: ``.policy`` becomes one
``ReconnectableClient.from_training_client(service.create_training_client(...), ...)`` bound
once (where the code bound ``x = infra.policy``, else right after the service), ``.reference``
one ``service.create_reference_client(...)``, the ids and shapes the service's properties, a
``for c in infra.closeables: c.close()`` loop ``service.close()``. Attributes with no
replacement read None, with a TODO (FTM051); ``role_prefix=`` / ``on_status=`` are dropped,
with a TODO. The service is closed on every path: by a new ``try/finally`` around the rest of
the block (or the one right after the call that already closed the closeables), or -- when the
enclosing ``ResourceCleanup`` keeps deployment callbacks and becomes an ``ExitStack`` -- by
``cleanup.callback(service.close)``; never by ``with service:`` (the real SDK's service is not
a context manager). When no client is created for certain,
``service.create_training_client(...)`` still provisions right away, as ``setup_infra`` did.

Why: at target 2026-06 ``setup_infra`` is gone; provisioning lives behind
``build_service_client(...)`` -> ``service.create_*`` -> ``service.close()``.

Unsafe because structure and lifecycle change (see each FTM050 message). A call whose ``Infra``
escapes -- returned, passed on, stored, used outside the statements that follow it -- is reported
with the reason and left as it is. This module also decides, together with
``ftmigrate.codemods.resource_cleanup``, which ``ResourceCleanup`` blocks can be ported (the two
depend on each other through ``cleanup=``); the plan is shared with that codemod and with
``reference_client`` through ``ctx.shared["service_plan"]``.
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ftmigrate._lazy import cst, cstutil
from ftmigrate.analysis import ASSIGN, Analysis, Binding, Codemod, keyword, positional
from ftmigrate.api.legacy.surface import INFRA_ATTRIBUTES, SETUP_INFRA_PARAMS
from ftmigrate.codemods.resource_cleanup import CleanupSite, find_cleanups, in_block
from ftmigrate.diagnostics import UNSAFE
from ftmigrate.resolve import Scope
from ftmigrate.source import literal

#: Infra attribute -> the service property that replaces it.
SERVICE_PROPERTIES = {
    "policy_job_id": "trainer_job_id",
    "reference_job_id": "reference_trainer_job_id",
    "deployment_id": "deployment_id",
    "max_seq_len": "max_context_length",
    "deployment_shape": "deployment_shape",
}
#: Infra attributes with no service equivalent (read as None after the rewrite), and why.
NO_REPLACEMENT = {
    "boot_metrics": "setup_infra's provisioning timings; the service does not report them",
    "policy_profile": "the resolved training profile; read the shape from your TrainerConfig",
    "deployment_gpu_count": "the deployment shape owns the GPU count",
    "training_shape_id": "the resolved shape; TrainerConfig.training_shape_id holds the requested one",
    "ref_training_shape_id": "the resolved shape; TrainerConfig.reference_training_shape_id holds the requested one",
    "inference_model": "sample through service.create_deployment_sampler(tokenizer=...), which targets the deployment",
}
CLIENTS = ("policy", "reference")
assert {*SERVICE_PROPERTIES, *NO_REPLACEMENT, *CLIENTS, "closeables"} == set(INFRA_ATTRIBUTES)

#: setup_infra arguments with no service equivalent (dropped, FTM051).
DROPPED_ARGUMENTS = {
    "role_prefix": "named the trainers it created; the service names them itself",
    "on_status": "received provisioning status messages; the service has no status callback",
}
REQUIRED_ARGUMENTS = frozenset(name for name, default in SETUP_INFRA_PARAMS.items() if default is ...)


@functools.cache
def _signatures() -> tuple[dict[str, inspect.Parameter], frozenset[str], str, int]:
    """What the rewrite reads from the bundled API's signatures: build_service_client's
    keywords in signature order and those without a default (which must be given), the SDK's
    default base URL, and the client's default step timeout. Loaded when first needed: a lint
    of a file without setup_infra never imports the service."""
    from ftmigrate.api.client import ReconnectableClient
    from ftmigrate.api.sdk import TrainerJobManager
    from ftmigrate.api.service import build_service_client

    service = dict(inspect.signature(build_service_client).parameters)
    required = frozenset(n for n, p in service.items() if p.default is inspect.Parameter.empty)
    manager_base_url = inspect.signature(TrainerJobManager).parameters["base_url"].default
    step_timeout = inspect.signature(ReconnectableClient.from_training_client).parameters["default_timeout"].default
    return service, required, manager_base_url, step_timeout


@functools.cache
def _service_signature(target: str) -> tuple[dict[str, inspect.Parameter], frozenset[str]]:
    """``build_service_client``'s keywords at ``target``, in order, and those it requires."""
    from ftmigrate.api import profiles

    service = dict(profiles.get(target).signature("build_service_client").parameters)
    return service, frozenset(n for n, p in service.items() if p.default is inspect.Parameter.empty)


#: Marked, failing placeholders for endpoint values that cannot be derived (never a guess).
PLACEHOLDERS = {"base_url": "FTMIGRATE_TODO_BASE_URL", "additional_headers": "FTMIGRATE_TODO_ADDITIONAL_HEADERS"}
MANAGER_CLASSES = ("TrainerJobManager", "DeploymentManager")

TEMPLATE = (
    "service = build_service_client(api_key=..., base_url=..., additional_headers=..., base_model=..., tokenizer_model=...,"
    " lora_rank=..., max_context_length=<max_seq_len>, learning_rate=..., trainer=<TrainerConfig plus job ids>,"
    " deployment=<DeployConfig if inference was needed, else None>, cleanup_trainer_on_close=<cleanup given>,"
    " reference_required=<needs_reference>); close it in a finally block"
)


@dataclass(eq=False)
class InfraSite:
    """One ``setup_infra(...)`` call, what its result is used for, and how it is ported."""

    call: ast.Call
    args: dict[str, ast.keyword] = field(default_factory=dict)
    statement: ast.stmt | None = None  # the Assign / AnnAssign / Expr holding the call
    block: list[ast.stmt] | None = None  # the statement list holding the statement
    var: ast.Name | None = None  # the name the Infra is bound to
    reason: str | None = None  # why it cannot be ported (None: it can)
    apply: bool = False
    uses: list[ast.Attribute] = field(default_factory=list)  # every ``infra.<attr>`` read
    loops: list[ast.For] = field(default_factory=list)  # ``for c in infra.closeables: c.close()``
    base_references: list[ast.Call] = field(default_factory=list)  # infra.policy.create_base_reference()
    cleanup: CleanupSite | None = None  # the ResourceCleanup whose ExitStack closes the service
    linked: list[CleanupSite] = field(default_factory=list)  # ResourceCleanups it must be ported with
    cleanup_on_close: bool = False
    existing_try: ast.Try | None = None  # a try/finally right after it that closes the closeables
    service: str = "service"
    names: dict[str, str] = field(default_factory=dict)  # "policy" / "reference" -> bound name
    inplace: dict[str, ast.Assign] = field(default_factory=dict)  # x = infra.policy
    endpoint: dict[str, str] | None = None  # code of base_url / additional_headers; None: not derivable (FTM052)
    kept_manager: ast.Name | None = None  # a manager the endpoint still reads

    def value(self, name: str) -> ast.expr | None:
        arg = self.args.get(name)
        return arg.value if arg is not None else None

    def flag(self, name: str) -> bool | None:
        """True / False for a literal (or absent) flag; None for an expression."""
        value = self.value(name)
        if value is None:
            return bool(SETUP_INFRA_PARAMS[name])
        known, result = literal(value)
        return bool(result) if known else None


@dataclass(eq=False)
class ServicePlan:
    """What the three service codemods do in one pass over a file."""

    sites: dict[ast.Call, InfraSite]
    cleanups: list[CleanupSite]
    #: ``infra.<attr>`` node -> its site, for every use of a site's result.
    uses: dict[ast.Attribute, InfraSite]
    #: Every ``setup_infra`` name / attribute node that is the function of a site's call.
    calls: set[ast.AST]
    ctx: Analysis
    #: Names given to services and clients, per scope.
    given: dict[Scope | None, set[str]] = field(default_factory=dict)
    _taken: set[str] | None = None

    @property
    def taken(self) -> set[str]:
        """Identifiers the module already uses (new names avoid them)."""
        if self._taken is None:
            self._taken = _names(self.ctx)
        return self._taken


def build_plan(ctx: Analysis) -> ServicePlan:
    """Analyse every ``setup_infra`` call and ``ResourceCleanup`` block of the module together."""
    calls = [node for node in ctx.calls() if ctx.legacy(node.func, "setup_infra")]
    cleanups = find_cleanups(ctx)
    plan = ServicePlan({}, cleanups, {}, {c.func for c in calls}, ctx)
    for call in calls:
        site = _analyse(ctx, call)
        plan.sites[call] = site
        for use in site.uses:
            plan.uses[use] = site
    _link(ctx, plan)
    for site in plan.sites.values():
        if site.reason is None:
            _shape(ctx, plan, site)
    _decide(ctx, plan)
    return plan


# -- one call ----------------------------------------------------------------------------------


def _analyse(ctx: Analysis, call: ast.Call) -> InfraSite:
    site = InfraSite(call)
    if call.args or any(kw.arg is None for kw in call.keywords):
        site.reason = "its arguments are not all visible keywords"
        return site
    site.args = {kw.arg: kw for kw in call.keywords if kw.arg is not None}
    unknown = sorted(set(site.args) - set(SETUP_INFRA_PARAMS))
    missing = sorted(REQUIRED_ARGUMENTS - set(site.args))
    if unknown or missing:
        site.reason = f"{'unknown' if unknown else 'missing'} argument {(unknown or missing)[0]}="
        return site
    stmt = ctx.statement_of(call)
    small = stmt if stmt is not None and ctx.alone_on_line(stmt) else None
    if isinstance(small, ast.Assign) and small.value is call and len(small.targets) == 1:
        site.var = small.targets[0] if isinstance(small.targets[0], ast.Name) else None
    elif isinstance(small, ast.AnnAssign) and small.value is call:
        site.var = small.target if isinstance(small.target, ast.Name) else None
    elif not (isinstance(small, ast.Expr) and small.value is call):
        small = None
    if small is None or (site.var is None and not isinstance(small, ast.Expr)):
        site.reason = "the Infra it returns is not bound to a plain name"
        return site
    found = ctx.block_of(small)
    if found is None:
        site.reason = "it is not a statement of its own block"
        return site
    site.statement, site.block = small, found[2]
    for name in ("base_model", "lora_rank"):
        value = site.value(name)
        if value is not None and not _simple(value):
            site.reason = f"{name}= is an expression the service needs more than once; bind it to a name first"
            return site
    if site.flag("needs_inference") and site.value("deploy_cfg") is None:
        site.reason = "needs_inference=True without deploy_cfg= (legacy raised ValueError)"
        return site
    if site.var is not None:
        site.reason = _uses(ctx, site)
    return site


def _uses(ctx: Analysis, site: InfraSite) -> str | None:
    """Collect the uses of the Infra; a reason when one of them cannot be ported."""
    assert site.var is not None and site.statement is not None
    var = site.var.id
    scope = ctx.scope(site.var)
    bindings = ctx.bindings_in(scope, var) if scope is not None else []
    if len(bindings) != 1:
        return f"`{var}` is bound more than once"
    generator = _is_generator(ctx, _function_of(ctx, site.statement))
    for node in ctx.reads_of(bindings[0]):
        used_in = ctx.scope(node)
        while used_in is not None and used_in is not scope and used_in.kind == "comprehension":
            used_in = used_in.parent
        if used_in is not scope:
            return f"`{var}` is used inside a nested function or class"
        if not _after(ctx, site, node):
            return f"`{var}` is used outside the statements that follow it"
        attr = ctx.parent(node)
        if not (isinstance(attr, ast.Attribute) and attr.value is node):
            return f"the Infra escapes: `{var}` {_how_used(ctx, node)}"
        name = attr.attr
        if name not in INFRA_ATTRIBUTES:
            return f"{var}.{name} is not an Infra attribute"
        if not isinstance(attr.ctx, ast.Load):
            return f"{var}.{name} is assigned"
        if name == "closeables":
            loop = ctx.parent(attr)
            if not _is_close_loop(ctx, loop, attr):
                return f"{var}.closeables is used other than in a `for c in {var}.closeables: c.close()` loop"
            site.loops.append(loop)  # type: ignore[arg-type]
            continue
        if name in CLIENTS and _unpacked(ctx, attr):
            return f"{var}.{name} is assigned together with other values; bind it alone (`x = {var}.{name}`) and run ftmigrate again"
        if name in CLIENTS and _escapes(ctx, attr, generator):
            return f"{var}.{name} is returned or stored, and would outlive the service's close()"
        receiver = ctx.parent(attr)
        call = ctx.parent(receiver) if receiver is not None else None
        if (
            name == "policy"
            and isinstance(receiver, ast.Attribute)
            and receiver.attr == "create_base_reference"
            and isinstance(call, ast.Call)
            and call.func is receiver
        ):
            site.base_references.append(call)
        site.uses.append(attr)
    return None


def _link(ctx: Analysis, plan: ServicePlan) -> None:
    """Tie each site to the ResourceCleanup blocks it must be ported with, then propagate
    "cannot be ported" across those ties until nothing changes."""
    for site in plan.sites.values():
        value = site.value("cleanup")
        if value is None or _is_none(value):
            continue
        owner = next((c for c in plan.cleanups if any(call is site.call for call in c.setup_calls)), None)
        if site.reason is not None:
            # The call stays as it is, and with it its cleanup=: the with block must stay too.
            if owner is not None and owner.reason is None:
                owner.reason = "a setup_infra call it covers cannot be ported"
            continue
        if owner is None:
            site.reason = "cleanup= is not a ResourceCleanup entered in the same function"
            continue
        site.cleanup, site.cleanup_on_close = owner, True
        site.linked.append(owner)
    for cleanup in plan.cleanups:
        for reg in cleanup.registrations:
            if reg.method != "trainer" or cleanup.reason is not None:
                continue
            owner = next((s for s in plan.sites.values() if any(u.value is reg.infra_name for u in s.uses)), None)
            if owner is None or reg.infra_attr not in ("policy_job_id", "reference_job_id"):
                cleanup.reason = (
                    "it registers a trainer that setup_infra did not create;"
                    " port its provisioning to build_service_client(...) first"
                )
                continue
            if reg.infra_attr == "policy_job_id":
                owner.cleanup_on_close = True
            if cleanup not in owner.linked:
                owner.linked.append(cleanup)
    _propagate(plan)


def _propagate(plan: ServicePlan) -> None:
    changed = True
    while changed:
        changed = False
        for site in plan.sites.values():
            for cleanup in site.linked:
                if site.reason is None and cleanup.reason is not None:
                    site.reason, changed = f"its ResourceCleanup cannot be ported: {cleanup.reason}", True
                if cleanup.reason is None and site.reason is not None:
                    cleanup.reason, changed = "a setup_infra call it covers cannot be ported", True


def _shape(ctx: Analysis, plan: ServicePlan, site: InfraSite) -> None:
    """How a portable site is closed, what its clients are called, where its endpoint comes from."""
    assert site.statement is not None and site.block is not None
    if site.cleanup is not None and not site.cleanup.keeps_callbacks:
        site.cleanup = None  # the with goes: the service gets its own try/finally
    if site.cleanup is None:
        site.cleanup = next(
            (
                c
                for c in plan.cleanups
                if c.reason is None
                and c.name is not None
                and ctx.scope(c.name) is ctx.scope(site.call)
                and c.keeps_callbacks
                and in_block(ctx, site.statement, c.with_node.body)
            ),
            None,
        )
    body = site.block
    index = _index(body, site.statement)
    following = body[index + 1] if index + 1 < len(body) else None
    if (
        site.cleanup is None
        and isinstance(following, ast.Try)
        and following.finalbody
        and _indented(ctx, following.body)
        and any(loop is stmt for loop in site.loops for stmt in following.finalbody)
        and all(_top(ctx, use, site.block) is following for use in [*site.uses, *site.loops])
    ):
        site.existing_try = following
    region = list(site.existing_try.body) if site.existing_try is not None else body[index + 1 :]
    region_block = site.existing_try.body if site.existing_try is not None else site.block
    _inplace(ctx, site, region, region_block)
    if site.reason is not None:
        return
    prefix = site.var.id[: -len("infra")] if site.var is not None and site.var.id.endswith("infra") else (
        f"{site.var.id}_" if site.var is not None else ""
    )
    # New names avoid every identifier of the module, and the names given before in this scope.
    scope = ctx.scope(site.call)
    taken = plan.taken | plan.given.setdefault(scope, set())
    site.service = _fresh(taken, prefix + "service")
    receivers = _receivers(site)
    for client in CLIENTS:
        if client in site.inplace:
            site.names[client] = _target(site.inplace[client])
        elif client == "reference" and site.flag("needs_reference") is False:
            continue  # Infra.reference was None: reads become None
        elif any(u.attr == client and u not in receivers for u in site.uses):
            site.names[client] = _fresh(taken, prefix + client)
    plan.given[scope] |= taken - plan.taken
    if "reference" in site.names and site.flag("needs_reference") is None and not _simple(site.value("needs_reference")):
        site.reason = "needs_reference= is an expression and the reference is used; bind it to a name first"
    uses_deployment_id = any(u.attr == "deployment_id" for u in site.uses)
    if uses_deployment_id and site.flag("needs_inference") is None and not _simple(site.value("needs_inference")):
        site.reason = "needs_inference= is an expression and the deployment id is used; bind it to a name first"
    site.endpoint = _endpoint(ctx, site)


def _inplace(ctx: Analysis, site: InfraSite, region: list[ast.stmt], block: list[ast.stmt]) -> None:
    """``x = infra.policy`` statements before any other use become the client's one binding."""
    generator = _is_generator(ctx, _function_of(ctx, site.statement))
    used = {id(_top(ctx, u, block)) for u in [*site.uses, *site.loops]}
    for stmt in region:
        found = _client_binding(ctx, site, stmt)
        if found is not None and found[0] not in site.inplace:
            client, binding = found
            for read in ctx.reads_of(binding):
                if _escapes(ctx, read, generator):
                    site.reason = (
                        f"`{binding.name}` (the {client} client) is returned or stored, and would outlive the service's close()"
                    )
                    return
            site.inplace[client] = stmt  # type: ignore[assignment]
            continue
        if id(stmt) in used:
            return


def _client_binding(ctx: Analysis, site: InfraSite, stmt: ast.stmt) -> tuple[str, Binding] | None:
    """``x = infra.policy`` (alone on its line, ``x`` bound once): the client and the binding."""
    if not (isinstance(stmt, ast.Assign) and ctx.alone_on_line(stmt)):
        return None
    value = stmt.value
    if not (
        len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(value, ast.Attribute)
        and any(value is use for use in site.uses)
        and value.attr in CLIENTS
    ):
        return None
    target = stmt.targets[0]
    scope = ctx.scope(target)
    bindings = ctx.bindings_in(scope, target.id) if scope is not None else []
    if len(bindings) != 1:
        return None
    return value.attr, bindings[0]


def _endpoint(ctx: Analysis, site: InfraSite) -> dict[str, str] | None:
    """``base_url`` / ``additional_headers`` (as code) as the trainer manager had them, or None."""
    manager = site.value("rlor_mgr")
    assert manager is not None
    construction = _manager_call(ctx, manager) if isinstance(manager, ast.Call) else _constructed(ctx, manager)
    if construction is not None:
        pos = positional(construction)
        found: dict[str, ast.expr | None] = {}
        for index, name in ((1, "base_url"), (2, "additional_headers")):
            kw = keyword(construction, name)
            found[name] = kw.value if kw is not None else (pos[index] if len(pos) > index else None)
        inline = construction is manager
        if all(v is None or inline or _simple(v) for v in found.values()):
            base_url, headers = found["base_url"], found["additional_headers"]
            return {
                "base_url": ctx.code(base_url) if base_url is not None else json.dumps(_signatures()[2]),
                "additional_headers": ctx.code(headers) if headers is not None else "None",
            }
    if isinstance(manager, (ast.Name, ast.Attribute)) and _simple(manager):
        if isinstance(manager, ast.Name):
            site.kept_manager = manager
        return {name: f"{ctx.code(manager)}.{name}" for name in PLACEHOLDERS}
    return None


def _constructed(ctx: Analysis, name: ast.AST) -> ast.Call | None:
    """The ``TrainerJobManager(...)`` / ``DeploymentManager(...)`` call ``name`` was bound to."""
    if not isinstance(name, ast.Name):
        return None
    bindings = _bindings(ctx, name)
    if len(bindings) != 1 or bindings[0].kind != ASSIGN or not isinstance(bindings[0].value, ast.Call):
        return None
    return _manager_call(ctx, bindings[0].value)


def _manager_call(ctx: Analysis, call: ast.Call) -> ast.Call | None:
    """``call`` when it builds a ``TrainerJobManager`` / ``DeploymentManager`` of the SDK."""
    ref = ctx.ref(call.func)
    return call if ref is not None and ref.kind == "sdk" and ref.name in MANAGER_CLASSES else None


def _decide(ctx: Analysis, plan: ServicePlan) -> None:
    """Which sites and blocks are rewritten this run (unsafe fixes on, not suppressed). A
    suppressed half of a linked pair keeps the other half as it is, too."""
    for site in plan.sites.values():
        site.apply = site.reason is None and ctx.would_apply(site.call, "FTM050", UNSAFE)
    for cleanup in plan.cleanups:
        cleanup.apply = cleanup.reason is None and ctx.would_apply(cleanup.call, "FTM053", UNSAFE)
    if not ctx.options.unsafe or ctx.options.mode != "rewrite":
        return
    for site in plan.sites.values():
        for cleanup in site.linked:
            if site.apply and not cleanup.apply:
                site.reason, site.apply = "its ResourceCleanup is not rewritten (suppressed)", False
            if cleanup.apply and not site.apply:
                cleanup.reason, cleanup.apply = "a setup_infra call it covers is not rewritten (suppressed)", False
        if site.cleanup is not None and not site.cleanup.apply and site.cleanup not in site.linked:
            site.cleanup = None  # contained in a block that stays: close with try/finally instead


# -- the rewrite -------------------------------------------------------------------------------


class SetupInfraToService(Codemod):
    CODES = ("FTM050", "FTM051", "FTM052")

    def analyze(self) -> None:
        ctx = self.ctx
        self.plan = plan = build_plan(ctx)
        ctx.shared["service_plan"] = plan
        self.portable = {id(s.statement) for s in plan.sites.values() if s.reason is None}
        self.rewritten = {id(s.statement) for s in plan.sites.values() if s.apply}
        self._remove_managers()
        for site in plan.sites.values():
            self._report(site)
        for use, site in plan.uses.items():
            self._use(site, use)
        for node, ref in ctx.references("legacy", "setup_infra", "Infra"):
            if node not in plan.calls and not ctx.in_import(node):
                self._reference(node, ref.name)
        for site in plan.sites.values():
            if site.apply:
                self._port(site)
                self._close(site)
                for loop in site.loops:
                    self._close_loop(site, loop)

    def _remove_managers(self) -> None:
        """Managers built only to feed ``setup_infra`` / ``ResourceCleanup`` go, with their imports."""
        ctx = self.ctx
        consumed: list[ast.AST] = []
        kept: set[str] = set()
        for site in self.plan.sites.values():
            if site.apply:
                consumed.extend(site.args[n].value for n in ("rlor_mgr", "deploy_mgr") if n in site.args)
                if site.kept_manager is not None:
                    kept.add(site.kept_manager.id)
        for cleanup in self.plan.cleanups:
            if cleanup.apply:
                consumed.append(cleanup.rlor_mgr)  # type: ignore[arg-type]
                if not cleanup.keeps_callbacks:
                    consumed.append(cleanup.deploy_mgr)  # type: ignore[arg-type]
        ids = {id(n) for n in consumed}
        for inline in [n for n in consumed if isinstance(n, ast.Call) and _manager_call(ctx, n)]:
            ctx.drop_imports_of(inline.func)
        done: set[int] = set()
        for name in [n for n in consumed if isinstance(n, ast.Name) and n.id not in kept]:
            call = _constructed(ctx, name)
            bindings = _bindings(ctx, name)
            stmt = bindings[0].statement if bindings else None
            if call is None or not isinstance(stmt, ast.Assign) or not ctx.alone_on_line(stmt) or id(stmt) in done:
                continue
            uses = ctx.reads_of(bindings[0])
            if uses and all(id(u) in ids for u in uses):
                done.add(id(stmt))
                ctx.remove_statement(stmt)
                ctx.drop_imports_of(call.func)

    # -- reports -----------------------------------------------------------------------------

    def _report(self, site: InfraSite) -> None:
        ctx = self.ctx
        if site.reason is not None:
            ctx.report(
                site.call,
                "FTM050",
                f"setup_infra is gone at target {self.ctx.options.target} and this call cannot be ported automatically: {site.reason}",
                help=f"port it by hand to build_service_client(...). {TEMPLATE[:1].upper()}{TEMPLATE[1:]}",
            )
            return
        applied = ctx.report(
            site.call,
            "FTM050",
            f"setup_infra is gone at target {self.ctx.options.target}: provision with build_service_client(...); {_lifecycle(site)}",
            fix=UNSAFE,
            help=TEMPLATE,
        )
        for name, why in DROPPED_ARGUMENTS.items():
            if name in site.args:
                ctx.report(
                    site.args[name],
                    "FTM051",
                    f"setup_infra({name}=...) has no build_service_client equivalent and was dropped: it {why}",
                    help=f"record the dropped {name}={ctx.flat(site.args[name].value)}. It {why}",
                    todo=applied,
                    anchor=site.call,  # the TODOs of the call, in the order they are reported
                )
        if site.endpoint is None:
            ctx.report(
                site.args["rlor_mgr"],
                "FTM052",
                "build_service_client needs base_url= and additional_headers=, and the trainer manager they came from"
                f" is not built in this scope: {PLACEHOLDERS['base_url']} / {PLACEHOLDERS['additional_headers']} mark them",
                help=(
                    "pass your TrainerJobManager's URL and headers. Replace the placeholders"
                    f" {PLACEHOLDERS['base_url']} / {PLACEHOLDERS['additional_headers']} with the base URL and headers the"
                    " TrainerJobManager passed as rlor_mgr= was built with"
                ),
                todo=applied,
                anchor=site.call,
            )
        if applied:
            ctx.drop_imports_of(site.call.func)

    def _reference(self, node: ast.AST, name: str) -> None:
        """``setup_infra`` / ``Infra`` anywhere but the function of a call the plan covers."""
        stmt = self.ctx.statement_of(node)
        if name == "Infra" and id(stmt) in self.portable:
            if id(stmt) in self.rewritten:
                self.ctx.drop_imports_of(node)  # the annotation of a rewritten binding
            return
        self.ctx.report(
            node,
            "FTM050",
            f"{name} is gone at target {self.ctx.options.target}: pass the service from build_service_client(...) and the clients"
            " it created instead",
            help=f"pass the service and its clients instead. {TEMPLATE[:1].upper()}{TEMPLATE[1:]}",
        )

    def _use(self, site: InfraSite, node: ast.Attribute) -> None:
        """``infra.<attr>``: the service property, the client, or None."""
        ctx = self.ctx
        name = node.attr
        if name in NO_REPLACEMENT:
            applied = site.apply
            ctx.report(
                node,
                "FTM051",
                f"Infra.{name} has no replacement on the service{' and reads None now' if applied else ''}: {NO_REPLACEMENT[name]}",
                help=(
                    f"{name} reads None now: remove its use. {NO_REPLACEMENT[name][:1].upper()}{NO_REPLACEMENT[name][1:]}"
                    if applied
                    else f"remove the use of .{name}. {NO_REPLACEMENT[name][:1].upper()}{NO_REPLACEMENT[name][1:]}"
                ),
                todo=applied,
            )
            if applied:
                _replace(ctx, node, "None")
            return
        if not site.apply or node in _receivers(site):
            return
        if name in CLIENTS:
            inplace = site.inplace.get(name)
            if inplace is not None and inplace.value is node:
                ctx.edit(node, _replace_with(self._client(site, name)))
            else:
                _replace(ctx, node, site.names.get(name, "None"))  # None: Infra.reference without needs_reference
            return
        prop = f"{site.service}.{SERVICE_PROPERTIES[name]}"
        known = site.flag("needs_inference") if name == "deployment_id" else True
        if known is not None:
            _replace(ctx, node, prop if known else "None")
            return
        # ``service.deployment_id if needs_inference else None``, in parentheses where an
        # operator around it would otherwise take part of it.
        test = ctx.code(site.value("needs_inference"))  # type: ignore[arg-type]
        wrap = not _delimited(ctx, node)

        def conditional(original: Any, updated: Any) -> Any:
            value = cst.IfExp(test=_atom(_expression(test)), body=_expression(prop), orelse=cst.Name("None"))
            return value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]) if wrap else value

        ctx.edit(node, conditional)

    # -- statements --------------------------------------------------------------------------

    def _port(self, site: InfraSite) -> None:
        """``infra = setup_infra(...)`` -> ``service = build_service_client(...)``."""
        ctx = self.ctx
        assert site.statement is not None
        spell = ctx.target_name(site.call.func, "build_service_client", legacy=ctx.legacy(site.call.func))
        endpoint = site.endpoint or PLACEHOLDERS
        inference = site.flag("needs_inference")
        deploy = site.value("deploy_cfg")
        tokenizer = _tokenizer_form(ctx, deploy)
        cleanup_on_close = site.cleanup_on_close
        service = site.service
        trainer = self._trainer(site)
        respell = ctx.profile.spelling.get("build_service_client", {})
        target_signature = _service_signature(ctx.options.target)

        def port(original: Any, updated: Any) -> Any:
            call = updated.value
            given = {a.keyword.value: a for a in call.args if a.keyword is not None}
            deploy_arg = given.get("deploy_cfg")
            if deploy_arg is None or inference is False:
                deployment = cst.Name("None")
            elif inference:
                deployment = deploy_arg.value
            else:
                deployment = cst.IfExp(test=_atom(given["needs_inference"].value), body=deploy_arg.value, orelse=cst.Name("None"))
            values: dict[str, tuple[Any, Any]] = {
                "api_key": (given["api_key"].value, given["api_key"]),
                "base_url": (_expression(endpoint["base_url"]), None),
                "additional_headers": (_expression(endpoint["additional_headers"]), None),
                "base_model": (given["base_model"].value, given["base_model"]),
                "tokenizer_model": (tokenizer(deploy_arg.value if deploy_arg is not None else None), None),
                "lora_rank": _given(given, "lora_rank"),
                "max_context_length": _given(given, "max_seq_len"),
                "learning_rate": _given(given, "learning_rate"),
                "trainer": (trainer(given), given["infra_cfg"]),
                "deployment": (deployment, deploy_arg or given.get("needs_inference")),
                "cleanup_trainer_on_close": (cst.Name(str(cleanup_on_close)), given.get("cleanup")),
                "reference_required": _given(given, "needs_reference"),
            }
            # Spelled as the target spells them (2026-08: lora_rank is max_lora_rank).
            values = {respell.get(name, name): value for name, value in values.items()}
            signature, required = target_signature
            assert required <= set(values) <= set(signature)
            arguments = [(name, *values[name]) for name in signature if name in values]
            new_call = _multiline(spell(call.func), arguments, call)
            return cst.Assign(targets=[cst.AssignTarget(cst.Name(service))], value=new_call)

        ctx.edit(site.statement, port)

    def _trainer(self, site: InfraSite) -> Callable[[dict[str, Any]], Any]:
        """How ``trainer=`` is written: the ``infra_cfg`` value with the job ids folded in (into an
        inline config call, else through ``dataclasses.replace``)."""
        ids = [
            (field_name, name)
            for name, field_name in (("policy_job_id", "job_id"), ("reference_job_id", "reference_job_id"))
            if name in site.args and not _is_none(site.args[name].value)
        ]
        original = site.value("infra_cfg")
        inline = isinstance(original, ast.Call) and self._is_config_call(original)
        replace = self.ctx.replace_function() if ids and not inline else None

        def trainer(given: dict[str, Any]) -> Any:
            value = given["infra_cfg"].value
            if not ids:
                return value
            if replace is None and isinstance(value, cst.Call):
                for field_name, name in ids:
                    value = cstutil.set_keyword(value, field_name, given[name].value)
                return value
            return cst.Call(
                func=_expression(replace or "dataclasses.replace"),
                args=[cst.Arg(value), *(cst.Arg(keyword=cst.Name(k), value=given[n].value, equal=_equal()) for k, n in ids)],
            )

        return trainer

    def _is_config_call(self, call: ast.Call) -> bool:
        ref = self.ctx.ref(call.func)
        return ref is not None and ref.name in ("InfraConfig", "TrainerConfig") and not any(isinstance(a, ast.Starred) for a in call.args) and not any(kw.arg is None for kw in call.keywords)

    def _close(self, site: InfraSite) -> None:
        """The client bindings after the service, and the close on every path."""
        ctx = self.ctx
        assert site.statement is not None
        service = site.service
        cleanup = site.cleanup.name.id if site.cleanup is not None and site.cleanup.name is not None else None
        provision = "policy" not in site.names and not ("reference" in site.names and site.flag("needs_reference"))
        training_client = self._training_client(site) if provision else None
        clients = [(site.names[c], self._client(site, c)) for c in CLIENTS if c in site.names and c not in site.inplace]

        def make() -> list[Any]:
            new: list[Any] = []
            if cleanup is not None:
                new.append(_statement(f"{cleanup}.callback({service}.close)"))
            if training_client is not None:
                # No client is created for certain, but setup_infra provisioned at once: keep that.
                new.append(cst.SimpleStatementLine([cst.Expr(training_client())]))
            for name, client in clients:
                new.append(cst.SimpleStatementLine([cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=client())]))
            return new

        if site.existing_try is not None:
            ctx.insert_statements(site.existing_try.body[0], make, before=True)
            return
        ctx.insert_statements(site.statement, make)
        if site.cleanup is None:
            ctx.guard_rest(site.statement, lambda: [_statement(f"{service}.close()")])

    def _training_client(self, site: InfraSite) -> Callable[[], Any]:
        service, base_model, lora_rank = site.service, self._base_model(site), self._lora_rank(site)

        def make() -> Any:
            return cst.Call(
                func=cst.Attribute(value=cst.Name(service), attr=cst.Name("create_training_client")),
                args=[cst.Arg(_expression(base_model)), cst.Arg(keyword=cst.Name("lora_rank"), value=_expression(lora_rank), equal=_equal())],
            )

        return make

    def _client(self, site: InfraSite, client: str) -> Callable[[], Any]:
        """How the client is created (a function giving the LibCST expression)."""
        ctx = self.ctx
        service, base_model, lora_rank = site.service, self._base_model(site), self._lora_rank(site)
        if client == "reference":
            # The policy client goes with it where the target takes it and it is bound first.
            policy = site.names.get("policy") if "policy" not in site.inplace and "reference" not in site.inplace else None
            policy = policy if policy is not None and takes_policy_client(ctx) else None
            return _when(ctx, site, "needs_reference", lambda: reference_call(service, base_model, lora_rank, policy))
        spell = ctx.target_name(site.call.func, "ReconnectableClient", legacy=ctx.legacy(site.call.func))
        func_code = ctx.code(site.call.func)
        step_timeout = site.value("step_timeout")
        default = str(_signatures()[3])
        if step_timeout is None or _is_none(step_timeout):
            timeout = (default, "default")
        elif literal(step_timeout)[0]:
            timeout = (ctx.code(step_timeout), "literal")
        else:
            timeout = (ctx.code(step_timeout), "or")
        training_client = self._training_client(site)

        def make() -> Any:
            code, form = timeout
            if form == "or":
                value: Any = cst.BooleanOperation(left=_atom(_expression(code)), operator=cst.Or(), right=cst.Integer(default))
            else:
                value = _expression(code)
            func = cst.Attribute(value=spell(_expression(func_code)), attr=cst.Name("from_training_client"))
            arguments: list[tuple[str | None, Any, Any]] = [
                (None, training_client(), None),
                ("base_model", _expression(base_model), None),
                ("lora_rank", _expression(lora_rank), None),
                ("job_id", cst.Attribute(value=cst.Name(service), attr=cst.Name("trainer_job_id")), None),
                ("service", cst.Name(service), None),
                ("default_timeout", value, None),
            ]
            return _multiline(func, arguments, None)

        return make

    def _base_model(self, site: InfraSite) -> str:
        return self.ctx.code(site.value("base_model"))  # type: ignore[arg-type]

    def _lora_rank(self, site: InfraSite) -> str:
        value = site.value("lora_rank")
        return self.ctx.code(value) if value is not None else str(SETUP_INFRA_PARAMS["lora_rank"])

    def _close_loop(self, site: InfraSite, loop: ast.For) -> None:
        """``for c in infra.closeables: c.close()`` -> ``service.close()`` (or nothing, when the
        new close runs right after it anyway)."""
        if self._redundant(site, loop):
            self.ctx.remove_statement(loop)
            return
        service = site.service

        def close(original: Any, updated: Any) -> Any:
            return _statement(f"{service}.close()").with_changes(leading_lines=updated.leading_lines)

        self.ctx.edit(loop, close)

    def _redundant(self, site: InfraSite, loop: ast.For) -> bool:
        """A close loop at the very end of what the new close already covers."""
        if site.existing_try is not None:
            return False
        if site.cleanup is None:
            block = site.block
        else:
            block = site.cleanup.with_node.body if site.block is site.cleanup.with_node.body else None
        return bool(block) and block[-1] is loop  # type: ignore[index]


# -- shared with reference_client ---------------------------------------------------------------


def reference_call(service: str, base_model: str, lora_rank: str, policy_client: str | None = None) -> Any:
    """``service.create_reference_client(base_model, lora_rank=...)`` (from the code of each part),
    with ``policy_client=`` at a target that takes it (2026-08: the policy's training client)."""
    args = [cst.Arg(_expression(base_model)), cst.Arg(keyword=cst.Name("lora_rank"), value=_expression(lora_rank), equal=_equal())]
    if policy_client is not None:
        args.append(cst.Arg(keyword=cst.Name("policy_client"), value=_expression(policy_client), equal=_equal()))
    return cst.Call(func=cst.Attribute(value=cst.Name(service), attr=cst.Name("create_reference_client")), args=args)


def takes_policy_client(ctx: Analysis) -> bool:
    """Whether the target's ``create_reference_client`` takes ``policy_client=`` (2026-08)."""
    return "policy_client" in ctx.profile.signature("create_reference_client").parameters


def in_scope_of(ctx: Analysis, site: InfraSite, node: ast.AST) -> bool:
    """Whether ``node`` runs where the site's service is bound and open."""
    if site.statement is None or ctx.scope(node) is not ctx.scope(site.call):
        return False
    if site.existing_try is not None:
        return in_block(ctx, node, site.existing_try.body)
    return _after(ctx, site, node)


# -- helpers -----------------------------------------------------------------------------------


def _equal() -> Any:
    return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _expression(code: str) -> Any:
    """The LibCST expression for ``code`` (the exact text of an ``ast`` node)."""
    try:
        return cst.parse_expression(code)
    except cst.ParserSyntaxError:  # an implicitly continued string over lines, say
        return cst.parse_expression(f"({code})")


def _replace_with(make: Callable[[], Any]) -> Callable[[Any, Any], Any]:
    return lambda original, updated: make()


def _replace(ctx: Analysis, node: ast.AST, code: str) -> None:
    """Replace ``node`` by ``code`` (a name or a dotted name): as text where nothing else in its
    statement needs LibCST."""
    ctx.replace_node(node, code, _replace_with(lambda: _expression(code)))


def _delimited(ctx: Analysis, node: ast.AST) -> bool:
    """Whether ``node`` stands where any expression can stand without parentheses (an argument,
    an element, the value of an assignment, a return, a statement, an f-string field)."""
    parent = ctx.parent(node)
    if isinstance(parent, ast.Call):
        return node is not parent.func
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return, ast.Expr)):
        return getattr(parent, "value", None) is node
    return isinstance(parent, (ast.keyword, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.FormattedValue))


def _names(ctx: Analysis) -> set[str]:
    """Every identifier the module uses as a variable, function, class or import name (not
    attribute names, not keyword-argument names)."""
    names = {node.id for node in ctx.nodes(ast.Name)}
    names |= ctx.resolver.bound_names()
    for node in ctx.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        names.add(node.name)
    for node in ctx.nodes(ast.arg):
        names.add(node.arg)
    for node in ctx.nodes(ast.alias):
        names.add(node.name.split(".")[0])
        if node.asname:
            names.add(node.asname)
    for node in ctx.nodes(ast.ImportFrom):
        if node.module:
            names.add(node.module.split(".")[0])
    for node in ctx.nodes(ast.Global, ast.Nonlocal):
        names.update(node.names)
    return names


def _bindings(ctx: Analysis, name: ast.Name) -> list[Binding]:
    """The distinct bindings of the name read at ``name``."""
    return list({id(b.node): b for b in ctx.bindings(name) or []}.values())


def _fresh(taken: set[str], base: str) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def _simple(expr: ast.AST | None) -> bool:
    """A side-effect-free expression that can be written twice (names, attributes, literals)."""
    if isinstance(expr, ast.Name):
        return True
    if isinstance(expr, ast.Constant):
        return expr.value is not ... and not isinstance(expr.value, complex)
    if isinstance(expr, ast.Attribute):
        return _simple(expr.value)
    if isinstance(expr, ast.UnaryOp):
        operand = expr.operand
        return isinstance(operand, ast.Constant) and isinstance(operand.value, (int, float)) and not isinstance(operand.value, bool)
    if isinstance(expr, ast.Subscript):
        index = expr.slice
        elements = index.elts if isinstance(index, ast.Tuple) else [index]
        return _simple(expr.value) and all(not isinstance(e, ast.Slice) and _simple(e) for e in elements)
    return False


def _atom(expr: Any) -> Any:
    """``expr`` (LibCST), parenthesised unless it binds tighter than any operator around it."""
    if isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float, cst.SimpleString)):
        return expr
    if expr.lpar:
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _when(ctx: Analysis, site: InfraSite, flag: str, make: Callable[[], Any]) -> Callable[[], Any]:
    """``value`` when the site's ``flag`` is true: ``value``, ``None`` or ``value if flag else None``."""
    known = site.flag(flag)
    if known is True:
        return make
    if known is False:
        return lambda: cst.Name("None")
    test = ctx.code(site.value(flag))  # type: ignore[arg-type]
    return lambda: cst.IfExp(test=_atom(_expression(test)), body=make(), orelse=cst.Name("None"))


def _tokenizer_form(ctx: Analysis, deploy: ast.expr | None) -> Callable[[Any], Any]:
    """How ``tokenizer_model=`` is written, as a function of the ``deploy_cfg`` value as the
    rewrite left it: the ``tokenizer_model`` an inline DeployConfig passes (a plain value),
    ``deploy_cfg.tokenizer_model``, else None."""
    if isinstance(deploy, ast.Call):
        kw = keyword(deploy, "tokenizer_model")
        if kw is not None and _simple(kw.value):
            def inline(value: Any) -> Any:
                arg = next((a for a in getattr(value, "args", ()) if a.keyword is not None and a.keyword.value == "tokenizer_model"), None)
                return arg.value.deep_clone() if arg is not None else cst.Name("None")

            return inline
    elif deploy is not None and _simple(deploy):
        return lambda value: cst.Attribute(value=value.deep_clone(), attr=cst.Name("tokenizer_model"))
    return lambda value: cst.Name("None")


def _given(given: dict[str, Any], name: str) -> tuple[Any, Any]:
    if name in given:
        return given[name].value, given[name]
    return _python_literal(SETUP_INFRA_PARAMS[name]), None


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _python_literal(value: object) -> Any:
    """A default value as code (``1e-5``, not ``1e-05``)."""
    text = format(value, "g").replace("e-0", "e-") if isinstance(value, float) else repr(value)
    return cst.parse_expression(text)


def _statement(code: str) -> Any:
    return cst.parse_statement(code + "\n")


def _target(stmt: ast.Assign) -> str:
    return stmt.targets[0].id  # type: ignore[attr-defined]


def _receivers(site: InfraSite) -> list[ast.AST]:
    """The ``infra.policy`` nodes that only receive ``.create_base_reference()``."""
    return [call.func.value for call in site.base_references]  # type: ignore[attr-defined]


def _index(body: list[ast.stmt], stmt: ast.AST) -> int:
    return next(i for i, s in enumerate(body) if s is stmt)


def _indented(ctx: Analysis, body: list[ast.stmt]) -> bool:
    """Whether a block starts on a line of its own (not ``try: x``)."""
    first = body[0]
    line = ctx.source.line(first.lineno)
    return not line[: ctx.source.column(first.lineno, first.col_offset)].strip()


def _top(ctx: Analysis, node: ast.AST, block: list[ast.stmt] | None) -> ast.stmt | None:
    """The statement of ``block`` that contains ``node``."""
    ids = {id(s) for s in block or ()}
    current: ast.AST | None = node
    while current is not None:
        if id(current) in ids:
            return current  # type: ignore[return-value]
        current = ctx.parent(current)
    return None


def _after(ctx: Analysis, site: InfraSite, node: ast.AST) -> bool:
    """Whether ``node`` is in a statement that follows the site's, in the same block."""
    top = _top(ctx, node, site.block)
    if top is None:
        return False
    return _index(site.block, top) > _index(site.block, site.statement)  # type: ignore[arg-type]


def _how_used(ctx: Analysis, node: ast.AST) -> str:
    parent = ctx.parent(node)
    if isinstance(parent, ast.Return):
        return "is returned"
    if isinstance(parent, ast.keyword) or (isinstance(parent, ast.Call) and parent.func is not node):
        return "is passed to a call"
    if isinstance(parent, ast.Starred) and isinstance(ctx.parent(parent), ast.Call):
        return "is passed to a call"
    if isinstance(parent, (ast.Yield, ast.YieldFrom, ast.Await)):
        return "is yielded"
    if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        return "is bound to another name"
    return "is used as a value"


def _is_close_loop(ctx: Analysis, loop: ast.AST | None, attr: ast.Attribute) -> bool:
    if not isinstance(loop, ast.For) or loop.iter is not attr or loop.orelse:
        return False
    if not isinstance(loop.target, ast.Name) or len(loop.body) != 1 or not _indented(ctx, loop.body):
        return False
    stmt = loop.body[0]
    if not isinstance(stmt, ast.Expr):
        return False
    call = stmt.value
    return (
        isinstance(call, ast.Call)
        and not call.args
        and not call.keywords
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "close"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == loop.target.id
    )


def _unpacked(ctx: Analysis, node: ast.AST) -> bool:
    """``a, b = infra.policy, infra.reference``: an element of a tuple assigned to several names."""
    tuple_ = ctx.parent(node)
    if not isinstance(tuple_, (ast.Tuple, ast.List)):
        return False
    assign = ctx.parent(tuple_)
    return isinstance(assign, ast.Assign) and assign.value is tuple_ and all(isinstance(t, (ast.Tuple, ast.List)) for t in assign.targets)


def _escapes(ctx: Analysis, node: ast.AST, generator: bool) -> bool:
    """Whether the value at ``node`` is returned (from a non-generator) or stored on an object.
    A value only read through (``x.method()``, ``x[i]``) does not escape; what is read does not
    matter here."""
    child, parent = node, ctx.parent(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is child:
            return False
        child, parent = parent, ctx.parent(parent)
    stmt = ctx.statement_of(node)
    if isinstance(stmt, ast.Return) and stmt.value is not None and ctx.within(node, stmt.value):
        return not generator
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None and ctx.within(node, stmt.value):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if not all(isinstance(t, ast.Name) for t in targets):
            return True
    return False


def _function_of(ctx: Analysis, node: ast.AST | None) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    current = ctx.parent(node) if node is not None else None
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        current = ctx.parent(current)
    return current if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _is_generator(ctx: Analysis, fn: ast.FunctionDef | ast.AsyncFunctionDef | None) -> bool:
    """Whether ``fn`` yields (itself: not through a nested function, lambda or class)."""
    if fn is None:
        return False
    generators = ctx.shared.get("generator_functions")
    if generators is None:
        generators = ctx.shared["generator_functions"] = set()
        for node in [*ctx.nodes(ast.Yield), *ctx.nodes(ast.YieldFrom)]:
            owner = ctx.parent(node)
            while owner is not None and not isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                owner = ctx.parent(owner)
            if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                generators.add(id(owner))
    return id(fn) in generators


def _lifecycle(site: InfraSite) -> str:
    """What legacy released and what the service releases, for this call (lifecycle report)."""
    reference = site.flag("needs_reference")
    inference = site.flag("needs_inference")
    if site.cleanup_on_close:
        parts = [
            "legacy cancelled the trainers setup_infra created on exit (ResourceCleanup, after a grace period);"
            " the service deletes them on close() (cleanup_trainer_on_close=True)"
        ]
    else:
        parts = ["legacy left the trainers setup_infra created running; the service leaves the policy trainer running"]
        if reference is not False:
            parts.append("it deletes a reference trainer it created on close() (TrainerConfig.cleanup_reference_on_close)")
    if "policy_job_id" in site.args or "reference_job_id" in site.args:
        parts.append("reattached job ids are never deleted, as before")
    if inference is not False:
        parts.append("the deployment is left running, as before")
    return "; ".join(parts)


# -- layout of the calls the rewrite writes (LibCST, at apply time) ------------------------------


def _comments(call: Any) -> dict[int, tuple[list[Any], Any]]:
    """Per argument (by id) of a multi-line ``call``: the comment lines above it and the comment
    at the end of its line."""
    if call is None:
        return {}
    out: dict[int, tuple[list[Any], Any]] = {}
    before = call.whitespace_before_args
    for arg in call.args:
        above = [line for line in before.empty_lines if line.comment is not None] if isinstance(before, cst.ParenthesizedWhitespace) else []
        after = arg.comma.whitespace_after if isinstance(arg.comma, cst.Comma) else arg.whitespace_after_arg
        eol = after.first_line if isinstance(after, cst.ParenthesizedWhitespace) and after.first_line.comment else None
        out[id(arg)] = (above, eol)
        before = after
    return out


def _indent(call: Any, default: str = "    ") -> str:
    if call is not None and isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
        return call.whitespace_before_args.last_line.value or default
    return default


def _multiline(func: Any, arguments: list[tuple[str | None, Any, Any]], source: Any) -> Any:
    """``func(`` one argument per line ``)``, keeping the comments the source arguments had."""
    comments = _comments(source)
    indent = _indent(source)
    args: list[Any] = []
    opening = source.whitespace_before_args if source is not None else None
    whitespace_before_args: Any = cst.ParenthesizedWhitespace(
        first_line=opening.first_line if isinstance(opening, cst.ParenthesizedWhitespace) else cst.TrailingWhitespace(),
        indent=True,
        last_line=cst.SimpleWhitespace(indent),
    )
    for index, (name, value, origin) in enumerate(arguments):
        above, eol = comments.get(id(origin), ([], None)) if origin is not None else ([], None)
        last = index == len(arguments) - 1
        following = arguments[index + 1][2] if not last else None
        next_above = comments.get(id(following), ([], None))[0] if following is not None else []
        whitespace = cst.ParenthesizedWhitespace(
            first_line=eol or cst.TrailingWhitespace(),
            empty_lines=next_above,
            indent=True,
            last_line=cst.SimpleWhitespace("" if last else indent),
        )
        if index == 0 and above:
            whitespace_before_args = whitespace_before_args.with_changes(empty_lines=above)
        args.append(
            cst.Arg(
                value=value,
                keyword=cst.Name(name) if name else None,
                equal=_equal() if name else cst.MaybeSentinel.DEFAULT,
                comma=cst.Comma(whitespace_after=whitespace),
            )
        )
    return cst.Call(func=func, args=args, whitespace_before_args=whitespace_before_args)
