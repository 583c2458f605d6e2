"""Issue 16, "done when", and the whole fixture corpus through `ftmigrate verify`.

The bundled example, as a user gets it (`ftmigrate example`, committed, `rewrite
--unsafe-fixes`), verifies as same or expected; a wrong hand edit is unexplained, with both
values. Every before/after pair of `fixtures/` -- the rewrites the codemods are tested against
-- verifies as same or expected, but for the cases listed here with their reason.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.lint.conftest import ftmigrate

from .conftest import git

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_the_example_verifies_and_a_wrong_edit_is_caught(tmp_path: Path) -> None:
    assert ftmigrate("example", "demo", cwd=tmp_path).code == 0
    demo = tmp_path / "demo"
    git("init", "-q", cwd=demo)
    git("add", ".", cwd=demo)
    git("commit", "-qm", "legacy", cwd=demo)
    assert ftmigrate("rewrite", "--unsafe-fixes", "demo", cwd=tmp_path).code == 1  # TODOs left
    run = ftmigrate("verify", "--format", "json", "demo", cwd=tmp_path)
    assert run.code == 0, run.out + run.err
    statuses = {f["path"]: f["status"] for f in run.json()["files"]}
    assert statuses == {
        "infra.py": "same", "train_async.py": "same", "train_grpo.py": "same", "train_sft.py": "same",
        "tests/test_configs.py": "expected",  # managed_by="ci" dropped: FTM002
    }
    # Running the scripts and the tests too: the lifecycle change is the one FTM041 names.
    run = ftmigrate("verify", "--run", "", "--pytest", "--format", "json", "demo", cwd=tmp_path)
    assert run.code == 0, run.out
    files = {f["path"]: f for f in run.json()["files"]}
    [lifecycle] = files["train_grpo.py"]["differences"]
    assert lifecycle["what"] == "deployment grpo-serving" and lifecycle["finding"]["code"] == "FTM041"
    assert {f["status"] for f in files.values()} == {"same", "expected"}
    # A wrong hand edit: unexplained, both values shown.
    script = demo / "train_grpo.py"
    script.write_text(script.read_text().replace('deployment_id="grpo-serving"', 'deployment_id="grpo-serve"'))
    run = ftmigrate("verify", "demo", cwd=tmp_path)
    assert run.code == 1
    assert "rl_loop.Config deployment.deployment_id: 'grpo-serving' before, 'grpo-serve' after -- unexplained" in run.out


#: Pairs that do not verify as same or expected, and why.
KNOWN = {
    # The legacy code imports target names (a half-ported file) or passes target keywords the
    # legacy recipe rejects: it could not run before the migration, so nothing matches it.
    "reference_client__existing_service.py": "unexplained",
    "target_signatures__service_calls.py": "unexplained",
    "weight_sync__conflict.py": "unexplained",
    "weight_sync__replace_recipe.py": "unexplained",
    # They import a project module the fixture does not have.
    "legacy_references__vendored.py": "not verified",
    "setup_infra__endpoint_unknown.py": "not verified",
}


def test_every_fixture_pair_verifies(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    pairs = sorted(FIXTURES.glob("*/*.before.py"))
    assert len(pairs) > 100
    for before in pairs:
        shutil.copyfile(before, root / f"{before.parent.name}__{before.name.removesuffix('.before.py')}.py")
    git("init", "-q", cwd=root)
    git("add", ".", cwd=root)
    git("commit", "-qm", "before", cwd=root)
    for before in pairs:
        after = before.with_name(before.name.replace(".before.py", ".after.py"))
        shutil.copyfile(after, root / f"{before.parent.name}__{before.name.removesuffix('.before.py')}.py")
    run = ftmigrate("verify", "--run", "", "--timeout", "60", "--format", "json", ".", cwd=root)
    assert run.code == 1, run.err  # the known unexplained ones
    report = run.json()
    odd = {f["path"]: f["status"] for f in report["files"] if f["status"] not in ("same", "expected", "unchanged")}
    assert odd == KNOWN, {p: [d["what"] for d in f["differences"]] for f in report["files"] for p in [f["path"]] if p in set(odd) ^ set(KNOWN)}
    assert report["summary"]["same"] + report["summary"]["expected"] >= 80
