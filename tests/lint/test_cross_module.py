"""Legacy fields read on Configs that another module of the project built.

A test of ``configs/base.py`` need not import the cookbook itself, yet ``cfg.infra.region`` on a
Config from ``base.dpo_config()`` fails at the target. Such a file is read (the prefilter and
the bare pre-commit path let legacy field spellings through) and reported where the value is
known to come from a project module that imports the cookbook; a look-alike project's own
objects, or values of unknown origin in a file without the cookbook, stay silent.
"""

from __future__ import annotations

import json
from pathlib import Path

from ftmigrate.fastpath import BARE_LEGACY_ATTRIBUTES
from ftmigrate.prefilter import LEGACY_ATTRIBUTE_SPELLINGS, LEGACY_ATTRIBUTES
from tests.lint.conftest import ftmigrate

BASE = '''\
from training.recipes import dpo_loop, rl_loop
from training.utils import InfraConfig, WeightSyncConfig


def dpo_config(name, ref_job=None):
    return dpo_loop.Config(log_path=f"/tmp/{name}", infra=InfraConfig(region="US_VIRGINIA_1"), reference_job_id=ref_job)


def rl_config(name, job=None):
    return rl_loop.Config(log_path=f"/tmp/{name}", weight_sync=WeightSyncConfig(dcp_save_interval=50), policy_job_id=job)
'''

TEST = '''\
import pytest

from configs import base
from configs.base import rl_config


@pytest.fixture
def cfg():
    return base.dpo_config("t", ref_job="ref-7")


def test_region(cfg):
    assert cfg.infra.region == "US_VIRGINIA_1"
    assert cfg.reference_job_id == "ref-7"


def test_rl():
    c = rl_config("a", job="job-1")
    assert c.policy_job_id == "job-1"
    assert c.weight_sync.dcp_save_interval == 50


def unrelated(cluster):
    return cluster.infra.region  # a value of unknown origin, in a file without the cookbook
'''

LOOKALIKE = '''\
from dataclasses import dataclass, field


@dataclass
class Infra:
    region: str = "eu"


@dataclass
class Deployment:
    infra: Infra = field(default_factory=Infra)
    policy_job_id: str = "x"


def make():
    return Deployment()
'''

LOOKALIKE_USE = '''\
from platformlib.deploy import make

d = make()
print(d.infra.region, d.policy_job_id)
'''


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _codes(root: Path, *paths: str) -> list[tuple[str, int, str]]:
    run = ftmigrate("lint", "--format", "json", *paths, cwd=root)
    return sorted((f["path"].removeprefix("./"), d["line"], d["code"]) for f in json.loads(run.out)["files"] for d in f["diagnostics"])


def test_a_test_of_a_config_module_is_read_and_reported(tmp_path: Path) -> None:
    _write(tmp_path, {"configs/__init__.py": "", "configs/base.py": BASE, "tests/test_base.py": TEST})
    expected = [("tests/test_base.py", line, "FTM031") for line in (13, 14, 19, 20)]
    # the whole project, and the test file alone (the bare pre-commit path first looks at it)
    assert [c for c in _codes(tmp_path, ".") if c[0].startswith("tests/")] == expected
    assert _codes(tmp_path, "tests/test_base.py") == expected


def test_a_look_alike_project_module_stays_silent(tmp_path: Path) -> None:
    _write(tmp_path, {"platformlib/__init__.py": "", "platformlib/deploy.py": LOOKALIKE, "run.py": LOOKALIKE_USE})
    assert _codes(tmp_path, ".") == []
    assert _codes(tmp_path, "run.py") == []


def test_the_bare_path_looks_for_what_the_prefilter_looks_for() -> None:
    assert BARE_LEGACY_ATTRIBUTES == LEGACY_ATTRIBUTE_SPELLINGS
    assert all(LEGACY_ATTRIBUTES.search(b"cfg" + s + b"x") for s in LEGACY_ATTRIBUTE_SPELLINGS)
    assert not LEGACY_ATTRIBUTES.search(b"cfg.infra_region, job.trainer_job_id, import a.infra")
