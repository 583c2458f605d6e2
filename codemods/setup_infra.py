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

import functools
import inspect
import json
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ComprehensionScope

from ftmigrate.api.legacy.surface import INFRA_ATTRIBUTES, SETUP_INFRA_PARAMS
from ftmigrate.codemods.resource_cleanup import CleanupSite, find_cleanups
from ftmigrate.cstutil import literal, positional, set_keyword
from ftmigrate.diagnostics import UNSAFE
from ftmigrate.transform import Binding, Codemod, FileContext

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

    call: cst.Call
    args: dict[str, cst.Arg] = field(default_factory=dict)
    statement: cst.SimpleStatementLine | None = None
    block: cst.CSTNode | None = None  # the IndentedBlock / Module holding the statement
    var: cst.Name | None = None  # the name the Infra is bound to
    reason: str | None = None  # why it cannot be ported (None: it can)
    apply: bool = False
    uses: list[cst.Attribute] = field(default_factory=list)  # every ``infra.<attr>`` read
    loops: list[cst.For] = field(default_factory=list)  # ``for c in infra.closeables: c.close()``
    base_references: list[cst.Call] = field(default_factory=list)  # infra.policy.create_base_reference()
    cleanup: CleanupSite | None = None  # the ResourceCleanup whose ExitStack closes the service
    linked: list[CleanupSite] = field(default_factory=list)  # ResourceCleanups it must be ported with
    cleanup_on_close: bool = False
    existing_try: cst.Try | None = None  # a try/finally right after it that closes the closeables
    service: str = "service"
    names: dict[str, str] = field(default_factory=dict)  # "policy" / "reference" -> bound name
    inplace: dict[str, cst.SimpleStatementLine] = field(default_factory=dict)  # x = infra.policy
    endpoint: dict[str, cst.BaseExpression] | None = None  # None: not derivable (FTM052)
    kept_manager: cst.Name | None = None  # a manager the endpoint still reads

    def value(self, name: str) -> cst.BaseExpression | None:
        arg = self.args.get(name)
        return arg.value if arg is not None else None

    def flag(self, name: str) -> bool | None:
        """True / False for a literal (or absent) flag; None for an expression."""
        value = self.value(name)
        if value is None:
            return bool(SETUP_INFRA_PARAMS[name])
        known, result = literal(value)
        return bool(result) if known else None


@dataclass
class ServicePlan:
    """What the three service codemods do in one pass over a file."""

    sites: dict[cst.Call, InfraSite]
    cleanups: list[CleanupSite]
    #: ``infra.<attr>`` node -> its site, for every use of a site's result.
    uses: dict[cst.Attribute, InfraSite]
    #: Every ``setup_infra`` name / attribute node that is the function of a site's call.
    calls: set[cst.CSTNode]
    #: Identifiers the module already uses (new names avoid them).
    taken: set[str]
    #: Names given to services and clients, per scope.
    given: dict[object, set[str]] = field(default_factory=dict)


def build_plan(ctx: FileContext, module: cst.Module) -> ServicePlan:
    """Analyse every ``setup_infra`` call and ``ResourceCleanup`` block of the module together."""
    calls = [node for node in ctx.nodes(cst.Call) if ctx.legacy(node.func, "setup_infra")]
    cleanups = find_cleanups(ctx, module)
    plan = ServicePlan({}, cleanups, {}, {c.func for c in calls}, _names(ctx))
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


def _analyse(ctx: FileContext, call: cst.Call) -> InfraSite:
    site = InfraSite(call)
    if any(a.star or a.keyword is None for a in call.args):
        site.reason = "its arguments are not all visible keywords"
        return site
    site.args = {a.keyword.value: a for a in call.args if a.keyword is not None}
    unknown = sorted(set(site.args) - set(SETUP_INFRA_PARAMS))
    missing = sorted(REQUIRED_ARGUMENTS - set(site.args))
    if unknown or missing:
        site.reason = f"{'unknown' if unknown else 'missing'} argument {(unknown or missing)[0]}="
        return site
    stmt = ctx.statement_of(call)
    small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if isinstance(small, cst.Assign) and small.value is call and len(small.targets) == 1:
        site.var = small.targets[0].target if isinstance(small.targets[0].target, cst.Name) else None
    elif isinstance(small, cst.AnnAssign) and small.value is call:
        site.var = small.target if isinstance(small.target, cst.Name) else None
    elif not (isinstance(small, cst.Expr) and small.value is call):
        small = None
    if small is None or (site.var is None and not isinstance(small, cst.Expr)):
        site.reason = "the Infra it returns is not bound to a plain name"
        return site
    site.statement, site.block = stmt, ctx.parent(stmt)  # type: ignore[assignment]
    if not isinstance(site.block, (cst.IndentedBlock, cst.Module)):
        site.reason = "it is not a statement of its own block"
        return site
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


def _uses(ctx: FileContext, site: InfraSite) -> str | None:
    """Collect the uses of the Infra; a reason when one of them cannot be ported."""
    assert site.var is not None and site.statement is not None
    var = site.var.value
    scope = ctx.scope(site.var)
    assignments = list(scope.assignments[var]) if scope is not None else []
    if len(assignments) != 1:
        return f"`{var}` is bound more than once"
    generator = _is_generator(_function_of(ctx, site.statement))
    for access in ctx.in_source_order(assignments[0].references):
        node = access.node
        used_in = ctx.scope(node)
        if used_in is not scope and not isinstance(used_in, ComprehensionScope):
            return f"`{var}` is used inside a nested function or class"
        if not _after(ctx, site, node):
            return f"`{var}` is used outside the statements that follow it"
        attr = ctx.parent(node)
        if not (isinstance(attr, cst.Attribute) and attr.value is node):
            return f"the Infra escapes: `{var}` {_how_used(ctx, node)}"
        name = attr.attr.value
        if name not in INFRA_ATTRIBUTES:
            return f"{var}.{name} is not an Infra attribute"
        if _is_store(ctx, attr):
            return f"{var}.{name} is assigned"
        if name == "closeables":
            loop = ctx.parent(attr)
            if not _is_close_loop(loop, attr):
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
            and isinstance(receiver, cst.Attribute)
            and receiver.attr.value == "create_base_reference"
            and isinstance(call, cst.Call)
            and call.func is receiver
        ):
            site.base_references.append(call)
        site.uses.append(attr)
    return None


def _link(ctx: FileContext, plan: ServicePlan) -> None:
    """Tie each site to the ResourceCleanup blocks it must be ported with, then propagate
    "cannot be ported" across those ties until nothing changes."""
    for site in plan.sites.values():
        value = site.value("cleanup")
        if value is None or _is_none(value):
            continue
        owner = next((c for c in plan.cleanups if site.call in c.setup_calls), None)
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
    _propagate(ctx, plan)


def _propagate(ctx: FileContext, plan: ServicePlan) -> None:
    changed = True
    while changed:
        changed = False
        for site in plan.sites.values():
            for cleanup in site.linked:
                if site.reason is None and cleanup.reason is not None:
                    site.reason, changed = f"its ResourceCleanup cannot be ported: {cleanup.reason}", True
                if cleanup.reason is None and site.reason is not None:
                    cleanup.reason, changed = "a setup_infra call it covers cannot be ported", True


def _shape(ctx: FileContext, plan: ServicePlan, site: InfraSite) -> None:
    """How a portable site is closed, what its clients are called, where its endpoint comes from."""
    assert site.statement is not None and site.block is not None
    if site.cleanup is not None and not site.cleanup.keeps_callbacks:
        site.cleanup = None  # the with goes: the service gets its own try/finally
    if site.cleanup is None:
        site.cleanup = next(
            (
                c
                for c in plan.cleanups
                if c.reason is None and c.keeps_callbacks and ctx.within(site.statement, c.with_node.body)
                and ctx.scope(c.name) is ctx.scope(site.call)
            ),
            None,
        )
    body = list(site.block.body)  # type: ignore[attr-defined]
    index = _index(body, site.statement)
    following = body[index + 1] if index + 1 < len(body) else None
    if (
        site.cleanup is None
        and isinstance(following, cst.Try)
        and following.finalbody is not None
        and isinstance(following.body, cst.IndentedBlock)
        and any(loop in following.finalbody.body.body for loop in site.loops)  # type: ignore[attr-defined]
        and all(_top(ctx, use, site.block) is following for use in [*site.uses, *site.loops])
    ):
        site.existing_try = following
    region = list(site.existing_try.body.body) if site.existing_try is not None else body[index + 1 :]  # type: ignore[union-attr]
    region_block = site.existing_try.body if site.existing_try is not None else site.block
    _inplace(ctx, site, region, region_block)
    if site.reason is not None:
        return
    prefix = site.var.value[: -len("infra")] if site.var is not None and site.var.value.endswith("infra") else (
        f"{site.var.value}_" if site.var is not None else ""
    )
    # New names avoid every identifier of the module, and the names given before in this scope.
    taken = plan.taken | plan.given.setdefault(ctx.scope(site.call), set())
    site.service = _fresh(taken, prefix + "service")
    for client in CLIENTS:
        if client in site.inplace:
            site.names[client] = _target(site.inplace[client])
        elif client == "reference" and site.flag("needs_reference") is False:
            continue  # Infra.reference was None: reads become None
        elif any(u.attr.value == client and u not in _receivers(site) for u in site.uses):
            site.names[client] = _fresh(taken, prefix + client)
    plan.given[ctx.scope(site.call)] |= taken - plan.taken
    if "reference" in site.names and site.flag("needs_reference") is None and not _simple(site.value("needs_reference")):
        site.reason = "needs_reference= is an expression and the reference is used; bind it to a name first"
    uses_deployment_id = any(u.attr.value == "deployment_id" for u in site.uses)
    if uses_deployment_id and site.flag("needs_inference") is None and not _simple(site.value("needs_inference")):
        site.reason = "needs_inference= is an expression and the deployment id is used; bind it to a name first"
    site.endpoint = _endpoint(ctx, site)


def _inplace(ctx: FileContext, site: InfraSite, region: list[cst.CSTNode], block: cst.CSTNode) -> None:
    """``x = infra.policy`` statements before any other use become the client's one binding."""
    generator = _is_generator(_function_of(ctx, site.statement))
    used = {id(_top(ctx, u, block)) for u in [*site.uses, *site.loops]}
    for stmt in region:
        found = _client_binding(ctx, site, stmt)
        if found is not None and found[0] not in site.inplace:
            client, target = found
            for access in ctx.in_source_order(list(ctx.scope(target).assignments[target.value])[0].references):
                if _escapes(ctx, access.node, generator):
                    site.reason = (
                        f"`{target.value}` (the {client} client) is returned or stored, and would outlive the service's close()"
                    )
                    return
            site.inplace[client] = stmt  # type: ignore[assignment]
            continue
        if id(stmt) in used:
            return


def _client_binding(ctx: FileContext, site: InfraSite, stmt: cst.CSTNode) -> tuple[str, cst.Name] | None:
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign)):
        return None
    assign = stmt.body[0]
    value = assign.value
    if not (
        len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
        and isinstance(value, cst.Attribute)
        and value in site.uses
        and value.attr.value in CLIENTS
    ):
        return None
    target = assign.targets[0].target
    scope = ctx.scope(target)
    if scope is None or len(list(scope.assignments[target.value])) != 1:
        return None
    return value.attr.value, target


def _endpoint(ctx: FileContext, site: InfraSite) -> dict[str, cst.BaseExpression] | None:
    """``base_url`` / ``additional_headers`` as the trainer manager had them, or None."""
    manager = site.value("rlor_mgr")
    assert manager is not None
    construction = _manager_call(ctx, manager) if isinstance(manager, cst.Call) else _constructed(ctx, manager)
    if construction is not None:
        pos = positional(construction)
        found = {}
        for index, name in ((1, "base_url"), (2, "additional_headers")):
            arg = _keyword(construction, name) or (pos[index] if len(pos) > index else None)
            found[name] = arg.value if arg is not None else None
        inline = construction is manager
        if all(v is None or inline or _simple(v) for v in found.values()):
            return {
                "base_url": found["base_url"] or cst.SimpleString(json.dumps(_signatures()[2])),
                "additional_headers": found["additional_headers"] or cst.Name("None"),
            }
    if isinstance(manager, (cst.Name, cst.Attribute)) and _simple(manager):
        if isinstance(manager, cst.Name):
            site.kept_manager = manager
        return {name: cst.Attribute(value=manager, attr=cst.Name(name)) for name in PLACEHOLDERS}
    return None


def _constructed(ctx: FileContext, name: cst.BaseExpression) -> cst.Call | None:
    """The ``TrainerJobManager(...)`` / ``DeploymentManager(...)`` call ``name`` was bound to."""
    if not isinstance(name, cst.Name):
        return None
    bindings = _bindings(ctx, name)
    if len(bindings) != 1 or bindings[0].kind != "assign" or not isinstance(bindings[0].value, cst.Call):
        return None
    return _manager_call(ctx, bindings[0].value)


def _manager_call(ctx: FileContext, call: cst.Call) -> cst.Call | None:
    """``call`` when it builds a ``TrainerJobManager`` / ``DeploymentManager`` of the SDK."""
    ref = ctx.ref(call.func)
    return call if ref is not None and ref.kind == "sdk" and ref.name in MANAGER_CLASSES else None


def _decide(ctx: FileContext, plan: ServicePlan) -> None:
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

    def prepare(self, module: cst.Module) -> None:
        self.plan = build_plan(self.ctx, module)
        self.ctx.shared["service_plan"] = self.plan
        self.statements = {s.statement: s for s in self.plan.sites.values() if s.apply}
        self.portable = {s.statement for s in self.plan.sites.values() if s.reason is None}
        self.loops = {loop: s for s in self.plan.sites.values() if s.apply for loop in s.loops}
        self._remove_managers()

    def _remove_managers(self) -> None:
        """Managers built only to feed ``setup_infra`` / ``ResourceCleanup`` go, with their imports."""
        consumed: set[cst.CSTNode] = set()
        kept: set[str] = set()
        for site in self.plan.sites.values():
            if site.apply:
                consumed.update(site.args[n].value for n in ("rlor_mgr", "deploy_mgr") if n in site.args)
                if site.kept_manager is not None:
                    kept.add(site.kept_manager.value)
        for cleanup in self.plan.cleanups:
            if cleanup.apply:
                consumed.add(cleanup.rlor_mgr)  # type: ignore[arg-type]
                if not cleanup.keeps_callbacks:
                    consumed.add(cleanup.deploy_mgr)  # type: ignore[arg-type]
        for inline in [n for n in consumed if isinstance(n, cst.Call) and _manager_call(self.ctx, n)]:
            self.ctx.drop_imports_of(inline.func)
        for name in [n for n in consumed if isinstance(n, cst.Name) and n.value not in kept]:
            call = _constructed(self.ctx, name)
            bindings = _bindings(self.ctx, name)
            stmt = bindings[0].statement if bindings else None
            if call is None or not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            scope = self.ctx.scope(bindings[0].node)
            uses = [a.node for a in scope.accesses if any(getattr(r, "node", None) is bindings[0].node for r in a.referents)]
            if uses and all(u in consumed for u in uses):
                self.ctx.remove_statement(stmt)
                self.ctx.drop_imports_of(call.func)

    # -- reports -----------------------------------------------------------------------------

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        site = self.plan.sites.get(original)
        if site is not None:
            self._report(site)
        return updated

    def _report(self, site: InfraSite) -> None:
        ctx = self.ctx
        if site.reason is not None:
            ctx.report(
                site.call,
                "FTM050",
                f"setup_infra is gone at target 2026-06 and this call cannot be ported automatically: {site.reason}",
                help=TEMPLATE,
            )
            return
        applied = ctx.report(
            site.call,
            "FTM050",
            f"setup_infra is gone at target 2026-06: provision with build_service_client(...); {_lifecycle(site)}",
            fix=UNSAFE,
            help=TEMPLATE,
        )
        for name, why in DROPPED_ARGUMENTS.items():
            if name in site.args:
                ctx.report(
                    site.args[name],
                    "FTM051",
                    f"setup_infra({name}=...) has no build_service_client equivalent and was dropped: it {why}",
                    help=f"remove {name}=",
                    todo=applied,
                )
        if site.endpoint is None:
            ctx.report(
                site.args["rlor_mgr"],
                "FTM052",
                "build_service_client needs base_url= and additional_headers=, and the trainer manager they came from"
                f" is not built in this scope: {PLACEHOLDERS['base_url']} / {PLACEHOLDERS['additional_headers']} mark them",
                help="pass the base URL and headers your TrainerJobManager used",
                todo=applied,
            )
        if applied:
            ctx.drop_imports_of(site.call.func)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        self._reference(original)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        site = self.plan.uses.get(original)
        if site is not None:
            return self._use(site, original, updated)
        self._reference(original)
        return updated

    def _reference(self, node: cst.BaseExpression) -> None:
        """``setup_infra`` / ``Infra`` anywhere but the function of a call the plan covers."""
        ref = self.ctx.legacy(node, "setup_infra", "Infra")
        if ref is None or self.ctx.in_import(node) or node in self.plan.calls:
            return
        stmt = self.ctx.statement_of(node)
        if ref.name == "Infra" and stmt in self.portable:
            if stmt in self.statements:
                self.ctx.drop_imports_of(node)  # the annotation of a rewritten binding
            return
        self.ctx.report(
            node,
            "FTM050",
            f"{ref.name} is gone at target 2026-06: pass the service from build_service_client(...) and the clients"
            " it created instead",
            help=TEMPLATE,
        )

    def _use(self, site: InfraSite, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        name = original.attr.value
        if name in NO_REPLACEMENT:
            applied = site.apply
            self.ctx.report(
                original,
                "FTM051",
                f"Infra.{name} has no replacement on the service{' and reads None now' if applied else ''}: {NO_REPLACEMENT[name]}",
                help=f"remove the use of .{name}",
                todo=applied,
            )
            return cst.Name("None") if applied else updated
        if not site.apply or original in _receivers(site):
            return updated
        service = cst.Name(site.service)
        if name in CLIENTS:
            if site.inplace.get(name) is not None and _value_of(site.inplace[name]) is original:
                return self._client(site, name)
            if name not in site.names:
                return cst.Name("None")  # Infra.reference without needs_reference
            return cst.Name(site.names[name])
        prop = cst.Attribute(value=service, attr=cst.Name(SERVICE_PROPERTIES[name]))
        if name == "deployment_id" and site.flag("needs_inference") is not True:
            return _when(site, "needs_inference", prop)
        return prop

    # -- statements --------------------------------------------------------------------------

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        site = self.statements.get(original)
        if site is None:
            return updated
        call = updated.body[0].value  # type: ignore[union-attr]
        assert isinstance(call, cst.Call)
        ctx = self.ctx
        func = ctx.target_name(site.call.func, call.func, "build_service_client", legacy=ctx.legacy(site.call.func))
        new_call = _multiline(func, self._service_arguments(site, call), call)
        assign = cst.Assign(targets=[cst.AssignTarget(cst.Name(site.service))], value=new_call)
        self._close(site)
        return updated.with_changes(body=[assign])

    def _service_arguments(self, site: InfraSite, call: cst.Call) -> list[tuple[str, cst.BaseExpression, cst.Arg | None]]:
        """(keyword, value, the setup_infra argument it came from) in signature order."""
        given = {a.keyword.value: a for a in call.args if a.keyword is not None}
        endpoint = site.endpoint or {k: cst.Name(v) for k, v in PLACEHOLDERS.items()}
        deploy = given.get("deploy_cfg")
        inference = site.flag("needs_inference")
        if deploy is None or inference is False:
            deployment: cst.BaseExpression = cst.Name("None")
        elif inference:
            deployment = deploy.value
        else:
            deployment = cst.IfExp(
                test=_atom(given["needs_inference"].value), body=deploy.value, orelse=cst.Name("None")
            )
        values: dict[str, tuple[cst.BaseExpression, cst.Arg | None]] = {
            "api_key": (given["api_key"].value, given["api_key"]),
            "base_url": (endpoint["base_url"].deep_clone(), None),
            "additional_headers": (endpoint["additional_headers"].deep_clone(), None),
            "base_model": (given["base_model"].value, given["base_model"]),
            "tokenizer_model": (_tokenizer(deploy.value if deploy is not None else None), None),
            "lora_rank": self._given(given, "lora_rank"),
            "max_context_length": self._given(given, "max_seq_len"),
            "learning_rate": self._given(given, "learning_rate"),
            "trainer": (self._trainer(site, given), given["infra_cfg"]),
            "deployment": (deployment, deploy or given.get("needs_inference")),
            "cleanup_trainer_on_close": (cst.Name(str(site.cleanup_on_close)), given.get("cleanup")),
            "reference_required": self._given(given, "needs_reference"),
        }
        signature, required, _, _ = _signatures()
        assert required <= set(values) <= set(signature)
        return [(name, *values[name]) for name in signature if name in values]

    @staticmethod
    def _given(given: dict[str, cst.Arg], name: str) -> tuple[cst.BaseExpression, cst.Arg | None]:
        if name in given:
            return given[name].value, given[name]
        return _python_literal(SETUP_INFRA_PARAMS[name]), None

    def _trainer(self, site: InfraSite, given: dict[str, cst.Arg]) -> cst.BaseExpression:
        trainer = given["infra_cfg"].value
        ids = [
            (field_name, given[name].value)
            for name, field_name in (("policy_job_id", "job_id"), ("reference_job_id", "reference_job_id"))
            if name in given and not _is_none(given[name].value)
        ]
        if not ids:
            return trainer
        original = site.value("infra_cfg")
        if isinstance(trainer, cst.Call) and isinstance(original, cst.Call) and self._is_config_call(original):
            for field_name, value in ids:
                trainer = set_keyword(trainer, field_name, value)
            return trainer
        return cst.Call(
            func=self.ctx.replace_function(),
            args=[cst.Arg(trainer), *(cst.Arg(keyword=cst.Name(k), value=v, equal=_EQUAL) for k, v in ids)],
        )

    def _is_config_call(self, call: cst.Call) -> bool:
        ref = self.ctx.ref(call.func)
        return ref is not None and ref.name in ("InfraConfig", "TrainerConfig") and not any(a.star for a in call.args)

    def _close(self, site: InfraSite) -> None:
        """The client bindings after the service, and the close on every path."""
        ctx = self.ctx
        assert site.statement is not None
        new: list[cst.BaseStatement] = []
        if site.cleanup is not None:
            assert site.cleanup.name is not None
            new.append(_statement(f"{site.cleanup.name.value}.callback({site.service}.close)"))
        if "policy" not in site.names and not ("reference" in site.names and site.flag("needs_reference")):
            # No client is created for certain, but setup_infra provisioned at once: keep that.
            new.append(cst.SimpleStatementLine([cst.Expr(self._training_client(site))]))
        for client in CLIENTS:
            if client in site.names and client not in site.inplace:
                new.append(
                    cst.SimpleStatementLine(
                        [cst.Assign(targets=[cst.AssignTarget(cst.Name(site.names[client]))], value=self._client(site, client))]
                    )
                )
        if site.existing_try is not None:
            ctx.insert_statements(site.existing_try.body.body[0], new, before=True)  # type: ignore[union-attr]
            return
        ctx.insert_statements(site.statement, new)
        if site.cleanup is None:
            ctx.guard_rest(site.statement, [_statement(f"{site.service}.close()")])

    def _training_client(self, site: InfraSite) -> cst.Call:
        return cst.Call(
            func=cst.Attribute(value=cst.Name(site.service), attr=cst.Name("create_training_client")),
            args=[cst.Arg(self._base_model(site)), cst.Arg(keyword=cst.Name("lora_rank"), value=self._lora_rank(site), equal=_EQUAL)],
        )

    def _client(self, site: InfraSite, client: str) -> cst.BaseExpression:
        if client == "reference":
            reference = reference_call(cst.Name(site.service), self._base_model(site), self._lora_rank(site))
            return _when(site, "needs_reference", reference)
        legacy = self.ctx.legacy(site.call.func)
        wrapper = self.ctx.target_name(site.call.func, site.call.func, "ReconnectableClient", legacy=legacy)
        step_timeout = site.value("step_timeout")
        if step_timeout is None or _is_none(step_timeout):
            timeout: cst.BaseExpression = cst.Integer(str(_signatures()[3]))
        elif literal(step_timeout)[0]:
            timeout = step_timeout.deep_clone()
        else:
            timeout = cst.BooleanOperation(
                left=_atom(step_timeout.deep_clone()), operator=cst.Or(), right=cst.Integer(str(_signatures()[3]))
            )
        func = cst.Attribute(value=wrapper, attr=cst.Name("from_training_client"))
        service = cst.Name(site.service)
        arguments: list[tuple[str | None, cst.BaseExpression, cst.Arg | None]] = [
            (None, self._training_client(site), None),
            ("base_model", self._base_model(site), None),
            ("lora_rank", self._lora_rank(site), None),
            ("job_id", cst.Attribute(value=service, attr=cst.Name("trainer_job_id")), None),
            ("service", cst.Name(site.service), None),
            ("default_timeout", timeout, None),
        ]
        return _multiline(func, arguments, None)

    @staticmethod
    def _base_model(site: InfraSite) -> cst.BaseExpression:
        return site.value("base_model").deep_clone()  # type: ignore[union-attr]

    @staticmethod
    def _lora_rank(site: InfraSite) -> cst.BaseExpression:
        value = site.value("lora_rank")
        return value.deep_clone() if value is not None else cst.Integer(str(SETUP_INFRA_PARAMS["lora_rank"]))

    def leave_For(self, original: cst.For, updated: cst.For) -> cst.BaseStatement:
        site = self.loops.get(original)
        if site is None:
            return updated
        self.ctx.touched.add(original)
        if self._redundant(site, original):
            self.ctx.remove_statement(original)
            return updated
        return _statement(f"{site.service}.close()").with_changes(leading_lines=updated.leading_lines)

    def _redundant(self, site: InfraSite, loop: cst.For) -> bool:
        """A close loop at the very end of what the new close already covers."""
        if site.existing_try is not None:
            return False
        block = site.block if site.cleanup is None else (site.cleanup.with_node.body if site.block is site.cleanup.with_node.body else None)
        body = list(getattr(block, "body", ()))
        return bool(body) and body[-1] is loop


# -- shared with reference_client ---------------------------------------------------------------


def reference_call(service: cst.BaseExpression, base_model: cst.BaseExpression, lora_rank: cst.BaseExpression) -> cst.Call:
    """``service.create_reference_client(base_model, lora_rank=...)``."""
    return cst.Call(
        func=cst.Attribute(value=service, attr=cst.Name("create_reference_client")),
        args=[cst.Arg(base_model), cst.Arg(keyword=cst.Name("lora_rank"), value=lora_rank, equal=_EQUAL)],
    )


def in_scope_of(ctx: FileContext, site: InfraSite, node: cst.CSTNode) -> bool:
    """Whether ``node`` runs where the site's service is bound and open."""
    if site.statement is None or ctx.scope(node) is not ctx.scope(site.call):
        return False
    if site.existing_try is not None:
        return ctx.within(node, site.existing_try.body)
    return _after(ctx, site, node)


# -- helpers -----------------------------------------------------------------------------------

_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _names(ctx: FileContext) -> set[str]:
    """Every identifier the module uses as a variable, function, class or import name (not
    attribute names, not keyword-argument names)."""
    names: set[str] = set()
    for node in ctx.nodes(cst.Name):
        parent = ctx.parent(node)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            continue
        if isinstance(parent, cst.Arg) and parent.keyword is node:
            continue
        names.add(node.value)
    return names


def _bindings(ctx: FileContext, name: cst.Name) -> list[Binding]:
    """The distinct bindings of the name read at ``name``."""
    return list({id(b.node): b for b in ctx.bindings(name) or []}.values())


def _fresh(taken: set[str], base: str) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def _simple(expr: cst.BaseExpression | None) -> bool:
    """A side-effect-free expression that can be written twice (names, attributes, literals)."""
    if isinstance(expr, (cst.Name, cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(expr, cst.Attribute):
        return _simple(expr.value)
    if isinstance(expr, cst.UnaryOperation):
        return isinstance(expr.expression, (cst.Integer, cst.Float))
    if isinstance(expr, cst.Subscript):
        return _simple(expr.value) and all(
            isinstance(e.slice, cst.Index) and _simple(e.slice.value) for e in expr.slice
        )
    return False


def _atom(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``expr``, parenthesised unless it binds tighter than any operator around it."""
    if isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float, cst.SimpleString)):
        return expr
    if expr.lpar:
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _when(site: InfraSite, flag: str, value: cst.BaseExpression) -> cst.BaseExpression:
    """``value`` when the site's ``flag`` is true: ``value``, ``None`` or ``value if flag else None``."""
    known = site.flag(flag)
    if known is not None:
        return value if known else cst.Name("None")
    return cst.IfExp(test=_atom(site.value(flag).deep_clone()), body=value, orelse=cst.Name("None"))  # type: ignore[union-attr]


def _tokenizer(deploy: cst.BaseExpression | None) -> cst.BaseExpression:
    """``deploy_cfg.tokenizer_model`` (or the literal an inline DeployConfig passes), else None."""
    if deploy is None:
        return cst.Name("None")
    if isinstance(deploy, cst.Call):
        arg = _keyword(deploy, "tokenizer_model")
        return arg.value.deep_clone() if arg is not None and _simple(arg.value) else cst.Name("None")
    if _simple(deploy):
        return cst.Attribute(value=deploy.deep_clone(), attr=cst.Name("tokenizer_model"))
    return cst.Name("None")


def _keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _python_literal(value: object) -> cst.BaseExpression:
    """A default value as code (``1e-5``, not ``1e-05``)."""
    text = format(value, "g").replace("e-0", "e-") if isinstance(value, float) else repr(value)
    return cst.parse_expression(text)


def _statement(code: str) -> cst.SimpleStatementLine:
    return cst.parse_statement(code + "\n")  # type: ignore[return-value]


def _target(stmt: cst.SimpleStatementLine) -> str:
    return stmt.body[0].targets[0].target.value  # type: ignore[union-attr]


def _value_of(stmt: cst.SimpleStatementLine) -> cst.BaseExpression:
    return stmt.body[0].value  # type: ignore[union-attr]


def _receivers(site: InfraSite) -> set[cst.CSTNode]:
    """The ``infra.policy`` nodes that only receive ``.create_base_reference()``."""
    return {call.func.value for call in site.base_references}  # type: ignore[attr-defined]


def _index(body: list[cst.CSTNode], stmt: cst.CSTNode) -> int:
    return next(i for i, s in enumerate(body) if s is stmt)


def _top(ctx: FileContext, node: cst.CSTNode, block: cst.CSTNode | None) -> cst.CSTNode | None:
    """The statement of ``block`` that contains ``node``."""
    current: cst.CSTNode | None = node
    while current is not None:
        parent = ctx.parent(current)
        if parent is block:
            return current
        current = parent
    return None


def _after(ctx: FileContext, site: InfraSite, node: cst.CSTNode) -> bool:
    """Whether ``node`` is in a statement that follows the site's, in the same block."""
    top = _top(ctx, node, site.block)
    if top is None:
        return False
    body = list(site.block.body)  # type: ignore[union-attr]
    return _index(body, top) > _index(body, site.statement)  # type: ignore[arg-type]


def _how_used(ctx: FileContext, node: cst.CSTNode) -> str:
    parent = ctx.parent(node)
    if isinstance(parent, cst.Return):
        return "is returned"
    if isinstance(parent, cst.Arg):
        return "is passed to a call"
    if isinstance(parent, (cst.Yield, cst.Await)):
        return "is yielded"
    if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
        return "is bound to another name"
    return "is used as a value"


def _is_store(ctx: FileContext, attr: cst.Attribute) -> bool:
    parent = ctx.parent(attr)
    if isinstance(parent, (cst.AssignTarget, cst.Del)):
        return True
    return isinstance(parent, (cst.AugAssign, cst.AnnAssign, cst.For)) and parent.target is attr


def _is_close_loop(loop: cst.CSTNode | None, attr: cst.Attribute) -> bool:
    if not isinstance(loop, cst.For) or loop.iter is not attr or loop.orelse is not None or loop.asynchronous:
        return False
    if not isinstance(loop.target, cst.Name) or not isinstance(loop.body, cst.IndentedBlock) or len(loop.body.body) != 1:
        return False
    stmt = loop.body.body[0]
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr)):
        return False
    call = stmt.body[0].value
    return (
        isinstance(call, cst.Call)
        and not call.args
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "close"
        and isinstance(call.func.value, cst.Name)
        and call.func.value.value == loop.target.value
    )


def _unpacked(ctx: FileContext, node: cst.CSTNode) -> bool:
    """``a, b = infra.policy, infra.reference``: an element of a tuple assigned to several names."""
    parent = ctx.parent(node)
    if not isinstance(parent, cst.Element):
        return False
    tuple_ = ctx.parent(parent)
    assign = ctx.parent(tuple_) if isinstance(tuple_, (cst.Tuple, cst.List)) else None
    return isinstance(assign, cst.Assign) and assign.value is tuple_ and all(
        isinstance(t.target, (cst.Tuple, cst.List)) for t in assign.targets
    )


def _escapes(ctx: FileContext, node: cst.CSTNode, generator: bool) -> bool:
    """Whether the value at ``node`` is returned (from a non-generator) or stored on an object.
    A value only read through (``x.method()``, ``x[i]``) does not escape; what is read does not
    matter here."""
    child, parent = node, ctx.parent(node)
    while parent is not None and not isinstance(parent, cst.BaseSmallStatement):
        if isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is child:
            return False
        child, parent = parent, ctx.parent(parent)
    stmt = ctx.statement_of(node)
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if isinstance(small, cst.Return) and small.value is not None and ctx.within(node, small.value):
            return not generator
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None and ctx.within(node, small.value):
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
            if not all(isinstance(t, cst.Name) for t in targets):
                return True
    return False


def _function_of(ctx: FileContext, node: cst.CSTNode | None) -> cst.FunctionDef | None:
    current = ctx.parent(node) if node is not None else None
    while current is not None and not isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Module)):
        current = ctx.parent(current)
    return current if isinstance(current, cst.FunctionDef) else None


def _is_generator(fn: cst.FunctionDef | None) -> bool:
    if fn is None:
        return False
    found = False

    class Yields(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is fn

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Yield(self, node: cst.Yield) -> None:
            nonlocal found
            found = True

    fn.visit(Yields())
    return found


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


def _comments(call: cst.Call | None) -> dict[int, tuple[list[cst.EmptyLine], cst.TrailingWhitespace | None]]:
    """Per argument (by id) of a multi-line ``call``: the comment lines above it and the comment
    at the end of its line."""
    if call is None:
        return {}
    out: dict[int, tuple[list[cst.EmptyLine], cst.TrailingWhitespace | None]] = {}
    before: cst.BaseParenthesizableWhitespace = call.whitespace_before_args
    for arg in call.args:
        above = [line for line in before.empty_lines if line.comment is not None] if isinstance(before, cst.ParenthesizedWhitespace) else []
        after = arg.comma.whitespace_after if isinstance(arg.comma, cst.Comma) else arg.whitespace_after_arg
        eol = after.first_line if isinstance(after, cst.ParenthesizedWhitespace) and after.first_line.comment else None
        out[id(arg)] = (above, eol)
        before = after
    return out


def _indent(call: cst.Call | None, default: str = "    ") -> str:
    if call is not None and isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
        return call.whitespace_before_args.last_line.value or default
    return default


def _multiline(
    func: cst.BaseExpression,
    arguments: list[tuple[str | None, cst.BaseExpression, cst.Arg | None]],
    source: cst.Call | None,
) -> cst.Call:
    """``func(`` one argument per line ``)``, keeping the comments the source arguments had."""
    comments = _comments(source)
    indent = _indent(source)
    args: list[cst.Arg] = []
    opening = source.whitespace_before_args if source is not None else None
    whitespace_before_args: cst.BaseParenthesizableWhitespace = cst.ParenthesizedWhitespace(
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
            whitespace_before_args = whitespace_before_args.with_changes(empty_lines=above)  # type: ignore[union-attr]
        args.append(
            cst.Arg(
                value=value,
                keyword=cst.Name(name) if name else None,
                equal=_EQUAL if name else cst.MaybeSentinel.DEFAULT,
                comma=cst.Comma(whitespace_after=whitespace),
            )
        )
    return cst.Call(func=func, args=args, whitespace_before_args=whitespace_before_args)
