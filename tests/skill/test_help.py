"""Every diagnostic of the JSON report carries a ``help`` with the concrete replacement for its
site, so an agent can act on it without reading ftmigrate's source."""

from __future__ import annotations

import ast
import json
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import run
from tests.skill.helpers import REPO, ftm

PROJECT = Path(__file__).parent / "data" / "legacy_project"
#: Realistic legacy code maintained for the linter's tests (every finding marked on its line).
LINT_DATA = REPO / "tests" / "lint" / "data" / "legacy"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("legacy")
    shutil.copytree(PROJECT, root / "project")
    shutil.copytree(LINT_DATA, root / "lint_data")
    return root


def _diagnostics(report: str) -> list[tuple[str, dict]]:
    return [(f["path"], d) for f in json.loads(report)["files"] for d in f["diagnostics"]]


def _assert_actionable(found: list[tuple[str, dict]]) -> None:
    assert found
    for path, d in found:
        where = f"{path}:{d['line']} {d['code']}"
        assert d["help"].strip(), f"{where} has no help"
        assert d["help"] != d["message"], f"{where}: the help only repeats the message"
        assert "\n" not in d["help"], f"{where}: the help is not one line"


@pytest.fixture(scope="module")
def lint_report(project: Path) -> list[tuple[str, dict]]:
    result = ftm("lint", "--format", "json", ".", cwd=project)
    assert result.returncode == 1, result.stderr
    return [(path.removeprefix("./"), d) for path, d in _diagnostics(result.stdout)]


def test_every_lint_diagnostic_has_a_help(lint_report: list[tuple[str, dict]]) -> None:
    found = lint_report
    _assert_actionable(found)
    assert len({d["code"] for _, d in found}) >= 30  # the realistic code covers most codes


def test_every_rewrite_diagnostic_has_a_help(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    result = ftm("rewrite", "--unsafe-fixes", "--format", "json", ".", cwd=copy)
    assert result.returncode == 1, result.stderr
    found = _diagnostics(result.stdout)
    _assert_actionable(found)
    left = [d for _, d in found if not d["fixed"]]
    assert left and all("todo_line" in d for d in left if d["code"] != "FTM065")


def _help(report: list[tuple[str, dict]], path: str, code: str, line: int | None = None) -> str:
    helps = [d["help"] for p, d in report if p == path and d["code"] == code and line in (None, d["line"])]
    assert helps, f"no {code} in {path}"
    return helps[0]


#: (file, code, line or None, texts the help must contain): the site's own values.
SITE_VALUES = [
    ("project/common.py", "FTM001", 11, ["TrainerConfig(training_shape_id=SHAPE, region=region, timeout_s=7200)"]),
    ("project/common.py", "FTM002", None, ['managed_by="platform-team"']),
    ("project/common.py", "FTM001", 9, ["-> TrainerConfig"]),
    ("project/train_rl.py", "FTM010", None, ['trainer=shared_infra(region="us-ohio-1")']),
    ("project/train_rl.py", "FTM011", None, ["weight_sync_interval=2, dcp_save_interval=50", "rl_loop.Config"]),
    ("project/train_rl.py", "FTM012", None, ["dcp_timeout=5400", "2700"]),
    ("project/train_rl.py", "FTM020", None, ['dataclasses.replace(shared_infra(region="us-ohio-1"), job_id="rl-policy-1")']),
    ("project/train_rl.py", "FTM040", None, ["rl_loop.main(cfg)"]),
    ("project/train_rl.py", "FTM041", None, ['scale_to_zero("rl-serving")', '"rl-policy-1" is reattached']),
    ("project/train_sft.py", "FTM010", None, ['TrainerConfig(training_shape_id=SHAPE, reference_training_shape_id=SHAPE + "-forward")']),
    ("project/train_sft.py", "FTM020", None, ['job_id="sft-nightly"']),
    ("project/tests/test_configs.py", "FTM030", None, ["cfg.trainer.reference_training_shape_id"]),
    ("project/tests/test_configs.py", "FTM001", 16, ["timeout_s=60"]),
    ("lint_data/train_legacy.py", "FTM003", None, ['accelerator_type="NVIDIA_H200_141GB"', "training_shape_id=SHAPE"]),
    ("lint_data/train_legacy.py", "FTM004", None, ["opts", "ref_training_shape_id -> reference_training_shape_id"]),
    ("lint_data/train_legacy.py", "FTM014", None, ["weight_sync_interval=ws.weight_sync_interval"]),
    ("lint_data/train_legacy.py", "FTM064", None, ["from_training_client(service.create_training_client(BASE_MODEL"]),
    ("lint_data/gen0_sweep.py", "FTM041", None, ["scale_to_zero(cfg.deployment.deployment_id)", "run_on_owned_trainer(rl_loop.main, cfg"]),
    ("lint_data/half_ported.py", "FTM070", None, ["valid keywords:"]),
    ("lint_data/star_imports.py", "FTM091", None, ["from training.recipes import rl_loop"]),
]


@pytest.mark.parametrize(("path", "code", "line", "texts"), SITE_VALUES, ids=[f"{p}-{c}-{l}" for p, c, l, _ in SITE_VALUES])
def test_help_names_the_site_s_values(lint_report, path: str, code: str, line: int | None, texts: list[str]) -> None:
    found = _help(lint_report, path, code, line)
    for text in texts:
        assert text in found, f"{code} help {found!r} lacks {text!r}"


def test_an_unknown_keyword_gets_a_suggestion() -> None:
    source = "from training.recipes import rl_loop\n\ncfg = rl_loop.Config(log_path='/tmp/x', dcp_save_intervall=5)\n"
    (d,) = [d for d in run(source, mode="lint").diagnostics if d.code == "FTM070"]
    assert "did you mean dcp_save_interval=?" in d.help


# --- the help of an InfraConfig call is exactly what the rewrite writes -----------------------

INFRA_VALUES = {
    "training_shape_id": st.just('"accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"'),
    "ref_training_shape_id": st.sampled_from(['"accounts/fireworks/trainingShapes/ref"', "REF_SHAPE", 'SHAPE + "-forward"']),
    "region": st.sampled_from(['"us-ohio-1"', "region", "None"]),
    "trainer_timeout_s": st.integers(1, 10_000).map(str),
    "extra_args": st.sampled_from(['["--a", "--b"]', "[\n        '--x',\n        '--y',\n    ]"]),
    "trainer_replica_count": st.integers(1, 8).map(str),
    "purpose": st.just('"PURPOSE_PILOT"'),
    "managed_by": st.sampled_from(['"team"', "owner"]),
    "skip_validations": st.booleans().map(str),
}


@st.composite
def infra_calls(draw) -> str:
    names = draw(st.lists(st.sampled_from(sorted(INFRA_VALUES)), unique=True, max_size=6))
    args = [f"{n}={draw(INFRA_VALUES[n])}" for n in names]
    comments = draw(st.lists(st.booleans(), min_size=len(args), max_size=len(args)))
    if draw(st.booleans()):  # one argument per line, some with comments, a trailing comma
        lines = [f"    {a},{'  # why' if c else ''}" for a, c in zip(args, comments)]
        body = "\n" + "\n".join(lines) + "\n" if lines else ""
        return f"InfraConfig({body})"
    return f"InfraConfig({', '.join(args)})"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(infra_calls())
def test_infra_config_help_is_the_call_the_rewrite_writes(call: str) -> None:
    source = f"from training.utils import InfraConfig\n\ninfra = {call}\n"
    linted = run(source, mode="lint")
    (d,) = [d for d in linted.diagnostics if d.code == "FTM001"]
    rewritten = run(source).code
    assert d.help.startswith("write ")
    # The help is the call the rewrite writes, on one line: the same expression.
    written = textwrap.dedent(rewritten.split("infra = ", 1)[1])
    assert ast.dump(ast.parse(d.help.removeprefix("write "), mode="eval")) == ast.dump(ast.parse(written, mode="eval"))
    assert "\n" not in d.help


def test_an_unused_suppression_says_which_comment_to_remove(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text("from training.utils import TrainerConfig\n\nx = TrainerConfig()  # noqa: FTM001\n")
    result = ftm("lint", "--select", "FTM099", "--format", "json", "train.py", cwd=tmp_path)
    (d,) = [d for _, d in _diagnostics(result.stdout)]
    assert d["code"] == "FTM099" and d["help"] == "remove the suppression comment on line 3: nothing on that line needs it"
