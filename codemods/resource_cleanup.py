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

A ``ResourceCleanup`` held any other way -- bound to a name or to ``self._cleanup``, entered
and exited by hand, passed to an ``ExitStack`` or ``atexit`` -- is not ported; each place it
registers or releases something (``.trainer``, ``.deployment``, ``.cancel_trainer``,
``.__exit__``, ``with cleanup:``) is a finding at that line, because that is where the
behaviour changes (:func:`holder_uses`).

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

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ftmigrate._lazy import cst
from ftmigrate.analysis import Analysis, Codemod, has_splat, keyword, positional
from ftmigrate.diagnostics import NONE, UNSAFE

#: What legacy did on exit, and what the service does instead (part of every FTM053 message).
GRACE = "after a grace period (FW_TRAINER_CANCEL_GRACE_PERIOD_S, 30 s by default)"
DEPLOYMENT_ACTIONS = ("delete", "scale_to_zero")
EARLY_RELEASE = ("cancel_trainer", "delete_trainer")
REGISTRATIONS = ("trainer", "deployment", *EARLY_RELEASE)


@dataclass(eq=False)
class Registration:
    """One ``cleanup.<method>(...)`` statement inside the ``with`` block."""

    method: str  # "trainer", "deployment", "cancel_trainer", "delete_trainer"
    call: ast.Call
    statement: ast.Expr
    #: For ``trainer``: the ``infra.<attr>`` it registers (``attr`` is the Infra attribute).
    infra_name: ast.Name | None = None
    infra_attr: str | None = None
    #: For ``deployment``: the id expression and the action ("delete" / "scale_to_zero").
    target: ast.expr | None = None
    action: str | None = None


@dataclass(eq=False)
class CleanupSite:
    """A ``with`` item ``ResourceCleanup(...) [as name]`` and what its block registers."""

    with_node: ast.With | ast.AsyncWith
    item: ast.withitem
    call: ast.Call
    name: ast.Name | None
    rlor_mgr: ast.expr | None
    deploy_mgr: ast.expr | None
    registrations: list[Registration] = field(default_factory=list)
    #: ``setup_infra(..., cleanup=<name>)`` calls in the block.
    setup_calls: list[ast.Call] = field(default_factory=list)
    reason: str | None = None
    apply: bool = False

    @property
    def deployment_manager_usable(self) -> bool:
        """Whether ``deploy_mgr`` is a name or attribute the rewrite can call methods on."""
        return isinstance(self.deploy_mgr, (ast.Name, ast.Attribute))

    @property
    def keeps_callbacks(self) -> bool:
        """Whether deployment cleanup stays registered (the item becomes an ``ExitStack``);
        otherwise the item goes, and with it the ``with`` when it entered nothing else."""
        return self.deployment_manager_usable and any(r.method == "deployment" for r in self.registrations)


def find_cleanups(ctx: Analysis) -> list[CleanupSite]:
    """Every legacy ``ResourceCleanup(...)`` ``with`` item, with its registrations classified."""
    sites: list[CleanupSite] = []
    for node in ctx.nodes(ast.With, ast.AsyncWith):
        for item in node.items:
            call = item.context_expr
            if isinstance(call, ast.Call) and ctx.legacy(call.func, "ResourceCleanup"):
                sites.append(_analyse(ctx, node, item, call))
    return sites


def in_block(ctx: Analysis, node: ast.AST, block: list[ast.stmt]) -> bool:
    """Whether ``node`` lies inside one of the statements of ``block``."""
    return any(ctx.within(node, stmt) for stmt in block)


def _analyse(ctx: Analysis, with_node: ast.With | ast.AsyncWith, item: ast.withitem, call: ast.Call) -> CleanupSite:
    name = item.optional_vars if isinstance(item.optional_vars, ast.Name) else None
    pos = positional(call)
    rlor = _value(keyword(call, "rlor_mgr")) or (pos[0] if pos else None)
    deploy = _value(keyword(call, "deploy_mgr")) or (pos[1] if len(pos) > 1 else None)
    site = CleanupSite(
        with_node=with_node,
        item=item,
        call=call,
        name=name,
        rlor_mgr=rlor,
        deploy_mgr=deploy if deploy is not None and not _is_none(deploy) else None,
    )
    if isinstance(with_node, ast.AsyncWith):
        site.reason = "ResourceCleanup is entered with `async with`"
        return site
    if any(isinstance(a, ast.Starred) for a in call.args) or any(kw.arg is None for kw in call.keywords):
        site.reason = "ResourceCleanup(*args / **kwargs) hides its managers"
        return site
    if name is None:
        return site
    scope = ctx.scope(name)
    bindings = ctx.bindings_in(scope, name.id) if scope is not None else []
    if len(bindings) != 1:
        site.reason = f"`{name.id}` is bound more than once"
        return site
    for read in ctx.reads_of(bindings[0]):
        problem = _classify_use(ctx, site, read, scope)
        if problem and site.reason is None:
            site.reason = problem  # the first one is the reason; the registrations after it are still found
    return site


def _classify_use(ctx: Analysis, site: CleanupSite, node: ast.Name, scope: object) -> str | None:
    if ctx.scope(node) is not scope or not in_block(ctx, node, site.with_node.body):
        return f"`{_name(site)}` is used outside its `with` block"
    parent = ctx.parent(node)
    if isinstance(parent, ast.keyword) and parent.arg == "cleanup":
        call = ctx.parent(parent)
        if isinstance(call, ast.Call) and ctx.legacy(call.func, "setup_infra"):
            site.setup_calls.append(call)
            return None
    if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in REGISTRATIONS:
        call = ctx.parent(parent)
        stmt = ctx.parent(call) if isinstance(call, ast.Call) else None
        if isinstance(call, ast.Call) and call.func is parent and isinstance(stmt, ast.Expr) and ctx.alone_on_line(stmt):
            return _registration(ctx, site, parent.attr, call, stmt)
    return f"`{_name(site)}` is used in a way ftmigrate cannot port"


def _registration(ctx: Analysis, site: CleanupSite, method: str, call: ast.Call, stmt: ast.Expr) -> str | None:
    reg = Registration(method, call, stmt)
    if has_splat(call):
        return f"{_name(site)}.{method}(*...) hides what it registers"
    pos = positional(call)
    if method in ("trainer", *EARLY_RELEASE):
        value = pos[0] if pos else _value(keyword(call, "job_id"))
        if value is None:
            return f"{_name(site)}.{method}() has no job id"
        if method == "trainer":
            if not (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)):
                return (
                    f"{_name(site)}.trainer(...) registers a trainer that setup_infra did not create;"
                    " port its provisioning to build_service_client(...) first"
                )
            reg.infra_name, reg.infra_attr = value.value, value.attr
        reg.target = value
    else:
        dep = _value(keyword(call, "dep_id")) or (pos[0] if pos else None)
        act = _value(keyword(call, "action")) or (pos[1] if len(pos) > 1 else None)
        if dep is None:
            return f"{_name(site)}.deployment() has no deployment id"
        action = "delete"
        if act is not None:
            if not (_plain_string(ctx, act) and act.value in DEPLOYMENT_ACTIONS):  # type: ignore[attr-defined]
                return f"{_name(site)}.deployment(action=...) is not 'delete' or 'scale_to_zero'"
            action = str(act.value)  # type: ignore[attr-defined]
        if site.deploy_mgr is None:
            return f"{_name(site)}.deployment() needs a deploy_mgr (legacy raised ValueError)"
        reg.target, reg.action = dep, action
    site.registrations.append(reg)
    return None


def _plain_string(ctx: Analysis, node: ast.AST) -> bool:
    """A string literal written as one (not an f-string, not implicitly concatenated)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    body = ctx.code(node).lstrip("rRuU")
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    return bool(quote) and body.endswith(quote) and body.count(quote) == 2


def _value(kw: ast.keyword | None) -> ast.expr | None:
    return kw.value if kw is not None else None


def _name(site: CleanupSite) -> str:
    return site.name.id if site.name is not None else "cleanup"


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


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


#: Methods of a ResourceCleanup object that release, or register something to release.
LIFECYCLE_METHODS = (*REGISTRATIONS, "__exit__", "__enter__")


def holder_uses(ctx: Analysis, call: ast.Call) -> list[tuple[str, ast.AST]] | None:
    """Where a ``ResourceCleanup(...)`` that is not a ported ``with`` item is used, as
    (method, node): ``cleanup = ResourceCleanup(...)`` / ``self._cleanup = ...`` / ``x =
    stack.enter_context(ResourceCleanup(...))`` / ``with ResourceCleanup(...) as cleanup``, then
    ``cleanup.trainer(...)``, ``.deployment(...)``, ``.cancel_trainer(...)``, ``.__exit__(...)``
    called by hand (or passed on), ``with cleanup:``, ``stack.enter_context(cleanup)``. None when
    the object is not held by a name or attribute the file can follow."""
    holder: ast.AST = call
    parent = ctx.parent(call)
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is call and isinstance(parent.func, ast.Attribute) and parent.func.attr == "enter_context":
        holder, parent = parent, ctx.parent(parent)
    if isinstance(parent, ast.withitem):
        target = parent.optional_vars
    elif isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is holder:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        target = targets[0] if len(targets) == 1 else None
    else:
        return None
    reads: list[ast.AST] = []
    if isinstance(target, ast.Name):
        scope = ctx.scope(target)
        bindings = [b for b in ctx.bindings_in(scope, target.id) if b.node is target] if scope is not None else []
        if len(bindings) != 1:
            return None
        reads = list(ctx.reads_of(bindings[0]))
    elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        cls = ctx.method_class(target.value)
        if cls is None:
            return None
        reads = [
            node
            for node in ctx.nodes(ast.Attribute)
            if node.attr == target.attr and node is not target and ctx.method_class(node.value) is cls and type(node.ctx) is ast.Load
        ]
    else:
        return None
    uses: list[tuple[str, ast.AST]] = []
    for read in reads:
        up = ctx.parent(read)
        if isinstance(up, ast.Attribute) and up.value is read and up.attr in LIFECYCLE_METHODS:
            called = ctx.parent(up)
            uses.append((up.attr, called if isinstance(called, ast.Call) and called.func is up else up))
        elif isinstance(up, ast.withitem) and up.context_expr is read:
            uses.append(("with", ctx.parent(up)))  # type: ignore[arg-type]
        elif isinstance(up, ast.Call) and read in up.args and isinstance(up.func, ast.Attribute) and up.func.attr in ("enter_context", "push"):
            uses.append(("with", up))
    return uses


class ResourceCleanupToService(Codemod):
    CODES = ("FTM053", "FTM054", "FTM055")

    def analyze(self) -> None:
        ctx = self.ctx
        plan = ctx.shared.get("service_plan")
        self.sites: list[CleanupSite] = list(plan.cleanups) if plan is not None else []
        self.infra_uses = plan.uses if plan is not None else {}
        for site in self.sites:
            if site.apply:
                for reg in site.registrations:
                    if reg.method != "deployment" or not site.deployment_manager_usable:
                        ctx.remove_statement(reg.statement)
        items = {id(site.call) for site in self.sites}
        for node, _ in ctx.references("legacy", "ResourceCleanup"):
            if ctx.in_import(node):
                continue
            call = ctx.parent(node)
            if not (isinstance(call, ast.Call) and call.func is node and id(call) in items):
                self._reference(node)
        for site in self.sites:
            self._with_item(site)
        for site in self.sites:
            if site.apply:
                self._with(site)
                for reg in site.registrations:
                    if reg.method == "deployment" and site.deployment_manager_usable:
                        self._callback(site, reg)

    def _reference(self, node: ast.AST) -> None:
        """A ``ResourceCleanup`` reference that is not a ``with`` item (passed, subclassed,
        assigned ...), and what the object it builds releases, each at its line."""
        self.ctx.report(
            node,
            "FTM053",
            f"ResourceCleanup is gone at target {self.ctx.options.target}: the service deletes the trainers it created on close()"
            f" (legacy cancelled them {GRACE})",
            help=(
                "provision with build_service_client(...) instead. Pass cleanup_trainer_on_close=True and close the"
                " service in a finally block"
            ),
        )
        call = self.ctx.parent(node)
        if isinstance(call, ast.Call) and call.func is node:
            self._lifecycle_uses(holder_uses(self.ctx, call) or [], skip=())

    def _lifecycle_uses(self, uses: list[tuple[str, ast.AST]], skip: tuple[ast.AST, ...]) -> None:
        """Every place a ResourceCleanup the rewrite does not port registers or releases
        something: the behaviour that changes is there, so the finding is there too."""
        ctx = self.ctx
        for method, node in uses:
            if any(node is s for s in skip):
                continue
            call = node if isinstance(node, ast.Call) else None
            shown = ctx.flat(call.func) if call is not None and not isinstance(node, (ast.With, ast.AsyncWith)) else ctx.flat(node)[:60]
            if method == "deployment":
                action = "delete"
                if call is not None:
                    act = _value(keyword(call, "action")) or (positional(call)[1] if len(positional(call)) > 1 else None)
                    if isinstance(act, ast.Constant) and act.value in DEPLOYMENT_ACTIONS:
                        action = str(act.value)
                    elif act is not None:
                        action = "delete or scale_to_zero"
                verb = {"delete": "deleted", "scale_to_zero": "scaled to zero"}.get(action, "released")
                dep = ctx.flat(_value(keyword(call, "dep_id")) or positional(call)[0]) if call is not None and (positional(call) or keyword(call, "dep_id")) else "dep_id"
                ctx.report(
                    node,
                    "FTM054",
                    f"legacy {verb} the deployment registered here ({shown}) on exit; nothing does at the target",
                    help=(
                        f"{_release_deployment(action, dep)}. Call DeploymentManager.{action.split(' ')[0]}({dep}) yourself where"
                        " the legacy cleanup ran (in a finally, after service.close()); or keep the deployment on purpose and"
                        " say so in a NOTE"
                    ),
                )
            elif method == "trainer":
                ctx.report(
                    node,
                    "FTM053",
                    f"legacy cancelled the trainer registered here ({shown}) on exit {GRACE}; ResourceCleanup is gone at target {ctx.options.target}",
                    help=(
                        "let the service create it, then close the service. Create the trainer with build_service_client(...,"
                        " cleanup_trainer_on_close=True) and close the service in a finally (the service deletes what it"
                        " created); a trainer it reattached is never deleted"
                    ),
                )
            elif method in EARLY_RELEASE:
                ctx.report(
                    node,
                    "FTM055",
                    f"legacy cancelled a trainer here ({method}, an early release); ResourceCleanup is gone at target {ctx.options.target}",
                    help=(
                        "delete the job yourself when it is no longer needed. Call TrainerJobManager.delete(job_id) at this"
                        " point, or keep it until service.close()"
                    ),
                )
            elif method in ("__exit__", "with"):
                what = "here" if method == "__exit__" else "when this block exits"
                ctx.report(
                    node,
                    "FTM053",
                    f"legacy released what the ResourceCleanup registered {what} (cancelled trainers, cleaned deployments); ResourceCleanup is gone at target {ctx.options.target}",
                    help=(
                        "call service.close() here instead. The service deletes the trainers it created with"
                        " cleanup_trainer_on_close=True; delete or scale down the registered deployments yourself"
                    ),
                )

    def _with_item(self, site: CleanupSite) -> None:
        ctx = self.ctx
        if site.reason is not None:
            ctx.report(
                site.call,
                "FTM053",
                f"ResourceCleanup is gone at target {self.ctx.options.target} and this block cannot be ported: {site.reason}",
                help=f"port it by hand to the service lifecycle. {lifecycle(site)[:1].upper()}{lifecycle(site)[1:]}; port by hand:"
                " build_service_client(..., cleanup_trainer_on_close=True), service.close() in a finally block",
            )
            self._judgment_points(site, todo=True)
            registered = tuple(r.call for r in site.registrations)
            self._lifecycle_uses([u for u in holder_uses(ctx, site.call) or [] if u[0] != "__enter__"], skip=registered)
            return
        applied = ctx.report(
            site.call,
            "FTM053",
            f"ResourceCleanup is gone at target {self.ctx.options.target}: {lifecycle(site)}",
            fix=UNSAFE,
            help="the with item becomes contextlib.ExitStack() and each deployment cleanup a callback on it"
            if site.keeps_callbacks
            else "the with item goes; the service from setup_infra's rewrite is closed in a finally block",
        )
        self._judgment_points(site, todo=applied)
        if not (applied and site.apply):
            return
        ctx.drop_imports_of(site.call.func)
        if site.keeps_callbacks:
            ctx.add_import("contextlib")
            ctx.edit(site.call, _exit_stack)

    def _with(self, site: CleanupSite) -> None:
        """Drop the items whose ResourceCleanup has nothing left to do; a ``with`` left with no
        item at all is replaced by its body."""
        if site.keeps_callbacks:
            return
        with_node = site.with_node
        gone = {
            index
            for index, item in enumerate(with_node.items)
            if any(s.item is item and s.apply and not s.keeps_callbacks for s in self.sites)
        }
        if site.item is not with_node.items[min(gone)]:
            return  # one edit per ``with``: the first item that goes registers it
        if len(gone) == len(with_node.items):
            self.ctx.unwrap(with_node)
            return
        self.ctx.edit(with_node, _drop_items(gone))

    def _callback(self, site: CleanupSite, reg: Registration) -> None:
        """``cleanup.deployment(dep, action=...)`` -> ``cleanup.callback(deploy_mgr.<action>, dep)``."""
        assert site.name is not None and site.deploy_mgr is not None
        name, manager, action = site.name.id, self.ctx.code(site.deploy_mgr), reg.action or "delete"

        def callback(original: Any, updated: Any) -> Any:
            call = updated.value
            given = [a for a in call.args if a.keyword is not None and a.keyword.value == "dep_id"]
            target = (given or [a for a in call.args if a.keyword is None and not a.star])[0].value  # as other codemods left it
            new = cst.Call(
                func=cst.Attribute(value=cst.Name(name), attr=cst.Name("callback")),
                args=[cst.Arg(cst.Attribute(value=cst.parse_expression(manager), attr=cst.Name(action))), cst.Arg(target)],
            )
            return updated.with_changes(value=new)

        self.ctx.edit(reg.statement, callback)

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
                    message += f": kept as an explicit {self.ctx.code(site.deploy_mgr)}.{reg.action}(...) run on exit"  # type: ignore[arg-type]
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
                help=self._judgment_help(reg),
                todo=todo,
                anchor=self._after(site, reg.statement) if site.apply and todo and fix == NONE else None,
            )

    def _judgment_help(self, reg: Registration) -> str:
        rest = (
            "Delete the job / deployment explicitly when it is no longer needed (TrainerJobManager.delete,"
            " DeploymentManager.delete / scale_to_zero), after service.close()"
        )
        if reg.method == "deployment":
            return f"{_release_deployment(reg.action or 'delete', self.ctx.flat(reg.target))}. {rest}"  # type: ignore[arg-type]
        if reg.method == "trainer":
            return f"cancel the reused trainer yourself if it must go. {rest}"
        return f"delete the job yourself when it is no longer needed. {rest}"

    def _maybe_reused(self, reg: Registration) -> bool:
        """Whether ``cleanup.trainer(infra.<id>)`` may register a trainer setup_infra reattached."""
        site = self.infra_uses.get(reg.target)
        given = site.args.get(reg.infra_attr or "") if site is not None else None
        return given is not None and not _is_none(given.value)

    def _after(self, site: CleanupSite, stmt: ast.stmt) -> ast.AST:
        """The statement a removed registration's TODO goes above: the next one that stays in
        its block, else the statement that owns the block."""
        found = self.ctx.block_of(stmt)
        if found is None:
            return site.with_node
        owner, _, block = found
        index = next(i for i, s in enumerate(block) if s is stmt)
        later = [s for s in block[index + 1 :] if id(s) not in self.ctx.removed]
        if later:
            return later[0]
        return owner if isinstance(owner, ast.stmt) else site.with_node


def _release_deployment(action: str, dep: str) -> str:
    """``delete deployment "dep-1" on exit`` (short: it is what a TODO says)."""
    name = dep if len(dep) <= 16 else "the deployment"
    name = f"deployment {name}" if name != "the deployment" else name
    if action == "scale_to_zero":
        return f"scale {name} to zero on exit"
    if action == "delete":
        return f"delete {name} on exit"
    return f"release {name} on exit"


def _exit_stack(original: Any, updated: Any) -> Any:
    return cst.Call(func=cst.Attribute(value=cst.Name("contextlib"), attr=cst.Name("ExitStack")))


def _drop_items(gone: set[int]) -> Callable[[Any, Any], Any]:
    def drop(original: Any, updated: Any) -> Any:
        items = [item for i, item in enumerate(updated.items) if i not in gone]
        items[-1] = items[-1].with_changes(comma=original.items[-1].comma)
        return updated.with_changes(items=items)

    return drop
