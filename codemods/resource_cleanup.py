"""``with ResourceCleanup(...) as cleanup:`` -> the service lifecycle (migration rule 10). Unsafe.

What: with ``--unsafe-fixes`` the ``ResourceCleanup(...)`` item of a ``with`` becomes
``contextlib.ExitStack()`` under the same name, and what was registered with it follows:

* ``cleanup.trainer(infra.policy_job_id)`` (and ``setup_infra(..., cleanup=cleanup)``, which
  registered the trainers it created) -> ``build_service_client(...,
  cleanup_trainer_on_close=True)``; the ``setup_infra`` rewrite registers
  ``cleanup.callback(service.close)``, so the service is closed when the block exits, on every
  path. Trainers that were never registered (reused ids) are never deleted, as before.
* ``cleanup.deployment(dep, action=...)`` -> ``cleanup.callback(deploy_mgr.delete, dep)`` /
  ``cleanup.callback(deploy_mgr.scale_to_zero, dep)``: the same explicit call, registered at the
  same point and run on exit newest first, as ``ResourceCleanup`` did. Without a deployment
  manager in scope it is removed and left as a TODO (FTM054).
* ``cleanup.cancel_trainer(job)`` / ``delete_trainer(job)`` (an early release) is removed and
  left as a TODO (FTM055).

An ``ExitStack`` keeps the other context managers of the ``with`` where they were, in the same
order, and keeps the legacy semantics exactly: only what was registered before the block
exited is released.

Why: at target 2026-06 ``ResourceCleanup`` is gone; the service releases what it created on
``close()``. Legacy *cancelled* trainers after a grace period (``FW_TRAINER_CANCEL_GRACE_PERIOD_S``,
30 s by default); the service *deletes* them at once -- every diagnostic says so.

Unsafe because the lifecycle changes (cancel after a grace period -> delete). A block that
registers anything ftmigrate cannot map (a trainer the service does not create, the cleanup
object passed elsewhere) is reported with the reason and left as it is. Which ``with`` blocks
can be ported is decided together with the ``setup_infra`` calls inside them, in
``ftmigrate.codemods.setup_infra`` (:func:`find_cleanups` is the half of that analysis that
concerns the ``with``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ftmigrate.cstutil import keyword, positional
from ftmigrate.diagnostics import NONE, UNSAFE
from ftmigrate.transform import Codemod, FileContext

#: What legacy did on exit, and what the service does instead (part of every FTM053 message).
GRACE = "after a grace period (FW_TRAINER_CANCEL_GRACE_PERIOD_S, 30 s by default)"
DEPLOYMENT_ACTIONS = ("delete", "scale_to_zero")
EARLY_RELEASE = ("cancel_trainer", "delete_trainer")
REGISTRATIONS = ("trainer", "deployment", *EARLY_RELEASE)


@dataclass(eq=False)
class Registration:
    """One ``cleanup.<method>(...)`` statement inside the ``with`` block."""

    method: str  # "trainer", "deployment", "cancel_trainer", "delete_trainer"
    call: cst.Call
    statement: cst.SimpleStatementLine
    #: For ``trainer``: the ``infra.<attr>`` it registers (``attr`` is the Infra attribute).
    infra_name: cst.Name | None = None
    infra_attr: str | None = None
    #: For ``deployment``: the id expression and the action ("delete" / "scale_to_zero").
    target: cst.BaseExpression | None = None
    action: str | None = None


@dataclass(eq=False)
class CleanupSite:
    """A ``with`` item ``ResourceCleanup(...) [as name]`` and what its block registers."""

    with_node: cst.With
    item: cst.WithItem
    call: cst.Call
    name: cst.Name | None
    rlor_mgr: cst.BaseExpression | None
    deploy_mgr: cst.BaseExpression | None
    registrations: list[Registration] = field(default_factory=list)
    #: ``setup_infra(..., cleanup=<name>)`` calls in the block.
    setup_calls: list[cst.Call] = field(default_factory=list)
    reason: str | None = None
    apply: bool = False

    @property
    def deployment_manager_usable(self) -> bool:
        """Whether ``deploy_mgr`` is a name or attribute the rewrite can call methods on."""
        return isinstance(self.deploy_mgr, (cst.Name, cst.Attribute))

    @property
    def keeps_callbacks(self) -> bool:
        """Whether deployment cleanup stays registered (the item becomes an ``ExitStack``);
        otherwise the item goes, and with it the ``with`` when it entered nothing else."""
        return self.deployment_manager_usable and any(r.method == "deployment" for r in self.registrations)


def find_cleanups(ctx: FileContext, module: cst.Module) -> list[CleanupSite]:
    """Every legacy ``ResourceCleanup(...)`` ``with`` item, with its registrations classified."""
    sites: list[CleanupSite] = []
    for node in ctx.nodes(cst.With):
        for item in node.items:
            call = item.item
            if isinstance(call, cst.Call) and ctx.legacy(call.func, "ResourceCleanup"):
                sites.append(_analyse(ctx, node, item, call))
    return sites


def _analyse(ctx: FileContext, with_node: cst.With, item: cst.WithItem, call: cst.Call) -> CleanupSite:
    name = item.asname.name if item.asname is not None and isinstance(item.asname.name, cst.Name) else None
    pos = positional(call)
    rlor = keyword(call, "rlor_mgr") or (pos[0] if pos else None)
    deploy = keyword(call, "deploy_mgr") or (pos[1] if len(pos) > 1 else None)
    site = CleanupSite(
        with_node=with_node,
        item=item,
        call=call,
        name=name,
        rlor_mgr=rlor.value if rlor is not None else None,
        deploy_mgr=deploy.value if deploy is not None and not _is_none(deploy.value) else None,
    )
    if with_node.asynchronous is not None:
        site.reason = "ResourceCleanup is entered with `async with`"
        return site
    if any(a.star for a in call.args):
        site.reason = "ResourceCleanup(*args / **kwargs) hides its managers"
        return site
    if name is None:
        return site
    scope = ctx.scope(name)
    assignments = list(scope.assignments[name.value]) if scope is not None else []
    if len(assignments) != 1:
        site.reason = f"`{name.value}` is bound more than once"
        return site
    for access in ctx.in_source_order(assignments[0].references):
        problem = _classify_use(ctx, site, access.node, scope)
        if problem:
            site.reason = problem
            return site
    return site


def _classify_use(ctx: FileContext, site: CleanupSite, node: cst.CSTNode, scope: object) -> str | None:
    if ctx.scope(node) is not scope or not ctx.within(node, site.with_node.body):
        return f"`{_name(site)}` is used outside its `with` block"
    parent = ctx.parent(node)
    if isinstance(parent, cst.Arg) and parent.keyword is not None and parent.keyword.value == "cleanup":
        call = ctx.parent(parent)
        if isinstance(call, cst.Call) and ctx.legacy(call.func, "setup_infra"):
            site.setup_calls.append(call)
            return None
    if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in REGISTRATIONS:
        call = ctx.parent(parent)
        stmt = ctx.parent(ctx.parent(call)) if isinstance(call, cst.Call) else None
        if (
            isinstance(call, cst.Call)
            and call.func is parent
            and isinstance(ctx.parent(call), cst.Expr)
            and isinstance(stmt, cst.SimpleStatementLine)
            and len(stmt.body) == 1
            and isinstance(ctx.parent(stmt), cst.IndentedBlock)
        ):
            return _registration(ctx, site, parent.attr.value, call, stmt)
    return f"`{_name(site)}` is used in a way ftmigrate cannot port"


def _registration(ctx: FileContext, site: CleanupSite, method: str, call: cst.Call, stmt: cst.SimpleStatementLine) -> str | None:
    reg = Registration(method, call, stmt)
    args = [a for a in call.args if not a.star]
    if len(args) != len(call.args):
        return f"{_name(site)}.{method}(*...) hides what it registers"
    if method in ("trainer", *EARLY_RELEASE):
        value = (positional(call) or [keyword(call, "job_id")])[0]
        if value is None:
            return f"{_name(site)}.{method}() has no job id"
        if method == "trainer":
            target = value.value
            if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)):
                return (
                    f"{_name(site)}.trainer(...) registers a trainer that setup_infra did not create;"
                    " port its provisioning to build_service_client(...) first"
                )
            reg.infra_name, reg.infra_attr = target.value, target.attr.value
        reg.target = value.value
    else:
        pos = positional(call)
        dep = keyword(call, "dep_id") or (pos[0] if pos else None)
        act = keyword(call, "action") or (pos[1] if len(pos) > 1 else None)
        if dep is None:
            return f"{_name(site)}.deployment() has no deployment id"
        action = "delete"
        if act is not None:
            if not isinstance(act.value, cst.SimpleString) or act.value.evaluated_value not in DEPLOYMENT_ACTIONS:
                return f"{_name(site)}.deployment(action=...) is not 'delete' or 'scale_to_zero'"
            action = str(act.value.evaluated_value)
        if site.deploy_mgr is None:
            return f"{_name(site)}.deployment() needs a deploy_mgr (legacy raised ValueError)"
        reg.target, reg.action = dep.value, action
    site.registrations.append(reg)
    return None


def _name(site: CleanupSite) -> str:
    return site.name.value if site.name is not None else "cleanup"


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def lifecycle(site: CleanupSite) -> str:
    """What legacy released on exit and what the port releases, for the FTM053 message."""
    deployments = [r for r in site.registrations if r.method == "deployment"]
    trainers = site.setup_calls or any(r.method == "trainer" for r in site.registrations)
    legacy = f"legacy cancelled the trainers setup_infra created on exit {GRACE}" if trainers else "legacy had no trainer registered"
    if deployments:
        actions = sorted({"deleted" if r.action == "delete" else "scaled to zero" for r in deployments})
        legacy += f" and {' / '.join(actions)} the registered deployment{'s' if len(deployments) > 1 else ''}"
    new = "the service deletes the trainers it created on close() and leaves reattached ones running"
    if site.keeps_callbacks:
        new += "; the deployment cleanup stays an explicit call on exit"
    elif deployments:
        new += "; the service leaves the deployment running"
    return f"{legacy}; {new}"


class ResourceCleanupToService(Codemod):
    CODES = ("FTM053", "FTM054", "FTM055")

    def prepare(self, module: cst.Module) -> None:
        plan = self.ctx.shared.get("service_plan")
        self.sites = {site.call: site for site in plan.cleanups} if plan is not None else {}
        self.infra_uses = plan.uses if plan is not None else {}
        self.registrations = {r.statement: (site, r) for site in self.sites.values() for r in site.registrations}
        for site in self.sites.values():
            if site.apply:
                for reg in site.registrations:
                    if reg.method != "deployment" or not site.deployment_manager_usable:
                        self.ctx.remove_statement(reg.statement)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        self._reference(original)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        self._reference(original)
        return updated

    def _reference(self, node: cst.BaseExpression) -> None:
        """A ``ResourceCleanup`` reference that is not a ``with`` item (passed, subclassed ...)."""
        if self.ctx.legacy(node, "ResourceCleanup") is None or self.ctx.in_import(node):
            return
        call = self.ctx.parent(node)
        if isinstance(call, cst.Call) and call.func is node and isinstance(self.ctx.parent(call), cst.WithItem):
            return
        self.ctx.report(
            node,
            "FTM053",
            "ResourceCleanup is gone at target 2026-06: the service deletes the trainers it created on close()"
            f" (legacy cancelled them {GRACE})",
            help="build_service_client(..., cleanup_trainer_on_close=True) and close the service in a finally block",
        )

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        site = self.sites.get(original)
        if site is not None:
            return self._with_item(site, original, updated)
        return updated

    def _with_item(self, site: CleanupSite, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if site.reason is not None:
            self.ctx.report(
                original,
                "FTM053",
                f"ResourceCleanup is gone at target 2026-06 and this block cannot be ported: {site.reason}",
                help=f"{lifecycle(site)}; port by hand: build_service_client(..., cleanup_trainer_on_close=True),"
                " service.close() in a finally block",
            )
            self._judgment_points(site, todo=True)
            return updated
        applied = self.ctx.report(
            original,
            "FTM053",
            f"ResourceCleanup is gone at target 2026-06: {lifecycle(site)}",
            fix=UNSAFE,
            help="the with item becomes contextlib.ExitStack() and each deployment cleanup a callback on it"
            if site.keeps_callbacks
            else "the with item goes; the service from setup_infra's rewrite is closed in a finally block",
        )
        self._judgment_points(site, todo=applied)
        if not (applied and site.apply):
            return updated
        self.ctx.drop_imports_of(original.func)
        if not site.keeps_callbacks:
            return updated  # the item goes (leave_With)
        self.ctx.add_import("contextlib")
        return cst.Call(func=cst.Attribute(value=cst.Name("contextlib"), attr=cst.Name("ExitStack")))

    def leave_With(self, original: cst.With, updated: cst.With) -> cst.With:
        """Drop the items whose ResourceCleanup has nothing left to do; a ``with`` left with no
        item at all is replaced by its body."""
        gone = [
            i
            for i, item in enumerate(original.items)
            if isinstance(item.item, cst.Call)
            and (site := self.sites.get(item.item)) is not None
            and site.apply
            and not site.keeps_callbacks
        ]
        if not gone:
            return updated
        if len(gone) == len(original.items):
            self.ctx.unwrap(original)
            return updated
        items = [item for i, item in enumerate(updated.items) if i not in gone]
        last = original.items[-1].comma
        items[-1] = items[-1].with_changes(comma=last)
        return updated.with_changes(items=items)

    def _judgment_points(self, site: CleanupSite, *, todo: bool) -> None:
        """FTM054 for each deployment cleanup (kept explicit, or a TODO), FTM055 for early
        releases, FTM053 for a reused id registered by hand. The TODOs of removed registrations
        go where they were (above the statement after them, or above the ``with``)."""
        for reg in site.registrations:
            fix = NONE
            if reg.method == "deployment":
                code = "FTM054"
                verb = "deleted" if reg.action == "delete" else "scaled to zero"
                message = f"legacy {verb} the deployment registered here (cleanup.deployment) on exit; the service does not"
                if site.reason is None and site.keeps_callbacks:
                    fix = UNSAFE
                    message += f": kept as an explicit {self.ctx.code(site.deploy_mgr)}.{reg.action}(...) run on exit"
                elif site.reason is None:
                    message += ", and no deployment manager is in scope to do it explicitly"
            elif reg.method == "trainer" and self._maybe_reused(reg):
                code = "FTM053"
                message = (
                    f"legacy cancelled the trainer registered here on exit even when {reg.infra_attr} was a reused id;"
                    " the service never deletes a trainer it reattached"
                )
            elif reg.method in EARLY_RELEASE:
                code = "FTM055"
                message = (
                    f"legacy cancelled a trainer here ({reg.method}, an early release); the service keeps it until"
                    " close() and deletes it then only if it created it"
                )
            else:
                continue
            self.ctx.report(
                reg.call,
                code,
                message,
                fix=fix,
                help="delete the job / deployment explicitly when it is no longer needed (TrainerJobManager.delete,"
                " DeploymentManager.delete / scale_to_zero), after service.close()",
                todo=todo,
                anchor=self._after(site, reg.statement) if site.apply and todo and fix == NONE else None,
            )

    def _maybe_reused(self, reg: Registration) -> bool:
        """Whether ``cleanup.trainer(infra.<id>)`` may register a trainer setup_infra reattached."""
        site = self.infra_uses.get(reg.target)
        given = site.args.get(reg.infra_attr or "") if site is not None else None
        return given is not None and not (isinstance(given.value, cst.Name) and given.value.value == "None")

    def _after(self, site: CleanupSite, stmt: cst.CSTNode) -> cst.CSTNode:
        block = self.ctx.parent(stmt)
        body = list(getattr(block, "body", ()))
        later = [s for s in body[next(i for i, s in enumerate(body) if s is stmt) + 1 :] if s not in self.ctx.removed]
        return later[0] if later else self.ctx.statement_of(self.ctx.parent(block)) or site.with_node

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        found = self.registrations.get(original)
        if found is None:
            return updated
        site, reg = found
        if not site.apply or reg.method != "deployment" or not site.deployment_manager_usable:
            return updated
        assert site.name is not None and site.deploy_mgr is not None
        call = updated.body[0].value  # type: ignore[union-attr]
        pos = positional(call)
        target = (keyword(call, "dep_id") or pos[0]).value  # the id as other codemods left it
        callback = cst.Call(
            func=cst.Attribute(value=cst.Name(site.name.value), attr=cst.Name("callback")),
            args=[
                cst.Arg(cst.Attribute(value=site.deploy_mgr.deep_clone(), attr=cst.Name(reg.action or "delete"))),
                cst.Arg(target),
            ],
        )
        self.ctx.touched.add(original)
        return updated.with_changes(body=[cst.Expr(callback)])
