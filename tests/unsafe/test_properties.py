"""Properties of the unsafe rewrites over generated legacy programs.

Hypothesis writes functions that provision through ``setup_infra`` -- managers built in the
function, passed in, built inline or out of sight; every optional argument given or not,
literal or a variable; inside ``ResourceCleanup`` (registering the trainers through
``cleanup=`` or ``cleanup.trainer(...)``, and the deployment), before a ``try/finally`` that
closes the closeables, or bare; reading any mix of ``Infra`` attributes; failing in the body or
not -- and checks that:

* the rewrite compiles, and a second run changes nothing;
* every ``build_service_client(...)`` it writes has every keyword the bundled signature
  requires, and no endpoint literal that the source did not contain;
* run on the local backend, the legacy program and its rewrite provision the same trainers,
  reference and deployment, close every service, and release everything legacy released
  (the port may also delete the separate reference trainer it created, as FTM050 says).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftmigrate.api.backend import LocalBackend
from ftmigrate.api.legacy.surface import INFRA_ATTRIBUTES
from ftmigrate.api.sdk import DeploymentManager, TrainerJobManager
from ftmigrate.api.service import local_backend
from ftmigrate.codemods.setup_infra import PLACEHOLDERS, _signatures
from tests.helpers import run

from .dryrun import LOCAL, Training, execute

KEY = "fw-test-key"
HEADER = '''\
from fireworks.training.sdk import DeploymentManager, TrainerJobManager
from training.utils import DeployConfig, InfraConfig, ResourceCleanup, setup_infra

BASE_MODEL = "accounts/fireworks/models/qwen3-8b"
REFERENCE_SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200-forward"


def opaque_manager():
    return TrainerJobManager(api_key="{key}", base_url="{url}")

'''.format(key=KEY, url=LOCAL)

#: A statement reading each Infra attribute (``seen`` collects what it read).
READS = {
    "policy": "infra.policy.optim_step(None)",
    "reference": "seen.append(infra.reference is None)",
    "closeables": None,  # the close loop is a shape of its own
    **{name: f"seen.append(infra.{name})" for name in INFRA_ATTRIBUTES if name not in ("policy", "reference", "closeables")},
}


@dataclass
class Program:
    source: str
    manager: str
    existing: list[str] = field(default_factory=list)


@st.composite
def programs(draw: st.DrawFn) -> Program:
    manager = draw(st.sampled_from(["built", "param", "inline", "opaque"]))
    wrapper = draw(st.sampled_from(["none", "cleanup_arg", "cleanup_trainer", "cleanup_deployment", "existing_try"]))
    inference = draw(st.sampled_from([None, "True", "False"]))
    reference = draw(st.sampled_from([None, "True", "False", "flag"]))
    lora = draw(st.sampled_from([None, "0", "16"]))
    reused = draw(st.booleans())
    args = {
        "rlor_mgr": {
            "built": "rlor_mgr",
            "param": "rlor_mgr",
            "inline": "TrainerJobManager(api_key, base_url)",
            "opaque": "opaque_manager()",
        }[manager],
        "base_model": "BASE_MODEL",
        "infra_cfg": draw(st.sampled_from(["InfraConfig()", "infra_cfg", "InfraConfig(ref_training_shape_id=REFERENCE_SHAPE)"])),
        "role_prefix": '"gen"',
        "api_key": "api_key",
    }
    if inference == "True" or draw(st.booleans()):
        args["deploy_mgr"] = "deploy_mgr"
        args["deploy_cfg"] = "deploy_cfg"
    if inference is not None:
        args["needs_inference"] = inference
    if reference is not None:
        args["needs_reference"] = reference
    if lora is not None:
        args["lora_rank"] = lora
    for name, value in (("max_seq_len", "4096"), ("step_timeout", "600"), ("learning_rate", "2e-5")):
        if draw(st.booleans()):
            args[name] = value
    if draw(st.booleans()):
        args["on_status"] = "print"
    existing = []
    if reused:
        args["policy_job_id"] = '"policy-existing"'
        existing.append("policy-existing")
    if wrapper in ("cleanup_arg", "cleanup_deployment"):
        args["cleanup"] = "cleanup"
    order = draw(st.permutations(list(args)))
    if draw(st.booleans()):
        call = "setup_infra(" + ", ".join(f"{k}={args[k]}" for k in order) + ")"
    else:  # one argument per line (indented with the body below)
        call = "setup_infra(\n" + "".join(f"    {k}={args[k]},\n" for k in order) + ")"

    reads = draw(st.lists(st.sampled_from([k for k, v in READS.items() if v]), unique=True, max_size=5))
    if inference != "True":
        reads = [r for r in reads if r not in ("deployment_id",)]
    body = [f"infra = {call}"]
    if draw(st.booleans()) and "policy" in reads:
        body.append("policy = infra.policy")
        reads.remove("policy")
        body.append("policy.optim_step(None)")
    if wrapper == "cleanup_trainer":
        body.append("cleanup.trainer(infra.policy_job_id)")
    if wrapper == "cleanup_deployment" and inference == "True":
        action = draw(st.sampled_from(["delete", "scale_to_zero"]))
        body.append(f'cleanup.deployment(infra.deployment_id, action="{action}")')
    if draw(st.booleans()) and lora == "16" and "REFERENCE_SHAPE" not in args["infra_cfg"]:
        # (otherwise the service's reference is a separate trainer: FTM056 says so, test_execution checks it)
        body.append('infra.policy.create_base_reference().forward([0], "cross_entropy")')
    if draw(st.booleans()) and "reference" in reads:
        reads.remove("reference")
        body.append("reference = infra.reference")
        body.append("seen.append(reference is None)")
    body += [READS[r] for r in reads]
    if draw(st.booleans()):
        body.append("if flag and not fail:\n    return -1")  # an early return
    body.append('if fail:\n    raise RuntimeError("injected")')
    close_loop = "for c in infra.closeables:\n    c.close()"
    if wrapper == "existing_try":
        body = [body[0], "try:\n" + _indent("\n".join(body[1:]) or "pass") + "\nfinally:\n" + _indent(close_loop)]
    elif draw(st.booleans()):
        body.append(close_loop)
        if draw(st.booleans()):
            body.append("seen.append(0)")  # closed before the end of the block
    body.append("return len(seen)")

    signature = "api_key, base_url, flag, fail" + (", rlor_mgr, deploy_mgr" if manager == "param" else "")
    lines = [f"def main({signature}):", "    seen = []"]
    if manager != "param":
        lines.append("    rlor_mgr = TrainerJobManager(api_key=api_key, base_url=base_url)" if manager == "built" else "    rlor_mgr = None")
        lines.append("    deploy_mgr = DeploymentManager(api_key=api_key, base_url=base_url)")
    lines.append('    deploy_cfg = DeployConfig(deployment_id="serving", tokenizer_model="Qwen/Qwen3-8B")')
    lines.append("    infra_cfg = InfraConfig(trainer_timeout_s=1800)")
    text = "\n".join(body)
    if wrapper.startswith("cleanup"):
        lines.append(f"    with ResourceCleanup({args['rlor_mgr']}, deploy_mgr) as cleanup:")
        lines.append(_indent(text, 8))
    else:
        lines.append(_indent(text, 4))
    return Program(HEADER + "\n".join(lines) + "\n", manager, existing)


def _indent(text: str, n: int = 4) -> str:
    return "\n".join((" " * n + line) if line else line for line in text.split("\n"))


@pytest.fixture
def backend() -> Iterator[LocalBackend]:
    plane = local_backend(LOCAL)
    plane.reset()
    yield plane
    plane.reset()


def check_static(program: Program) -> str:
    result = run(program.source, unsafe=True)
    assert result.error is None, result.error
    compile(result.code, "generated.py", "exec")
    assert run(result.code, unsafe=True).code == result.code, "a second run changed the file"
    tree = ast.parse(result.code)
    literals = set(re.findall(r'"[^"\n]*"', program.source))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "build_service_client":
            given_keywords = {k.arg for k in node.keywords}
            required = _signatures()[1]
            assert required <= given_keywords, required - given_keywords
            for k in node.keywords:
                if k.arg in PLACEHOLDERS and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str):
                    assert f'"{k.value.value}"' in literals or k.value.value == "https://api.fireworks.ai", k.value.value
    codes = {d.code for d in result.diagnostics}
    if any(isinstance(n, ast.Call) and getattr(n.func, "id", None) == "setup_infra" for n in ast.walk(tree)):
        assert any("cannot be ported" in d.message for d in result.diagnostics if d.code == "FTM050")
    if any(p in result.code for p in PLACEHOLDERS.values()):
        assert "FTM052" in codes
    return result.code


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(program=programs(), fail=st.booleans(), flag=st.booleans())
def test_generated_programs(program: Program, fail: bool, flag: bool, backend: LocalBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    after = check_static(program)
    if program.manager == "opaque":
        return  # the endpoint is a marked placeholder: a NameError if run (tested in test_execution)
    Training().install(monkeypatch)
    runs = []
    for source, surface in ((program.source, "legacy"), (after, "target")):
        backend.reset()
        for job_id in program.existing:
            backend.register_trainer(job_id, base_model="accounts/fireworks/models/qwen3-8b")
        kwargs = dict(api_key=KEY, base_url=LOCAL, flag=flag, fail=fail)
        if program.manager == "param":
            kwargs.update(rlor_mgr=TrainerJobManager(api_key=KEY, base_url=LOCAL), deploy_mgr=DeploymentManager(api_key=KEY, base_url=LOCAL))
        runs.append(execute(source, surface, backend, lambda ns, kwargs=kwargs: ns["main"](**kwargs)))
    legacy, port = runs
    assert type(port.error) is type(legacy.error), (legacy.error, port.error)
    assert port.provisioned == legacy.provisioned
    assert port.closed
    kept = legacy.released.keys() - port.released.keys()
    if kept:  # only a reused trainer registered by hand: the port never deletes it, and says so
        assert {job_id for _, _, job_id in kept} <= set(program.existing)
        assert any("reused id" in d.message for d in run(program.source, unsafe=True).diagnostics if d.code == "FTM053")
    for resource, role, job_id in port.released.keys() - legacy.released.keys():
        assert (resource, role) == ("trainer", "reference") and job_id not in program.existing
    assert {("trainer", j) for j in program.existing} <= port.running


LOOKALIKES = [
    "from myproject.infra import setup_infra, ResourceCleanup, make_reference_client\n",
    "from training_utils import setup_infra, ResourceCleanup, make_reference_client\n",
    "from mytraining.utils import setup_infra, ResourceCleanup, make_reference_client\n",
    "import training.utils as tu\n\n\ndef setup_infra(**kw):\n    return kw\n\n\nclass ResourceCleanup:\n    pass\n\n\ndef make_reference_client(*a):\n    return a\n",
]
USES = """

def main(rlor_mgr, deploy_mgr, api_key):
    with ResourceCleanup(rlor_mgr, deploy_mgr) as cleanup:
        infra = setup_infra(rlor_mgr=rlor_mgr, base_model="m", infra_cfg=None, role_prefix="x", api_key=api_key, cleanup=cleanup)
        cleanup.trainer(infra.policy_job_id)
        cleanup.deployment(infra.deployment_id, action="scale_to_zero")
        for c in infra.closeables:
            c.close()
        return make_reference_client(infra.policy, "m")
"""


@pytest.mark.parametrize("imports", LOOKALIKES, ids=["own-package", "other-root", "prefixed-root", "defined-here"])
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_lookalikes_are_untouched_byte_for_byte(imports: str, unsafe: bool) -> None:
    source = imports + USES
    result = run(source, unsafe=unsafe)
    assert result.code == source
    assert not [d for d in result.diagnostics if d.code.startswith("FTM05")]
