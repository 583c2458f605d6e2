"""The parts of `ftmigrate verify` that need no subprocess: the legacy -> target views (read from
the bundled API), the recorder's sites, the line map, the plan and the explanations."""

from __future__ import annotations

import dataclasses
import importlib
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftmigrate.api import _record
from ftmigrate.api.config import HotloadConfig, InfraConfig, TrainerConfig, WeightSyncConfig, migration_target
from ftmigrate.api.mount import mount
from ftmigrate.api.recipes import RECIPES
from ftmigrate.api.recipes._base import LEGACY_KEYWORDS
from ftmigrate.verify import Difference, Finding, LineMap, _resources
from ftmigrate.verify_runner import Views, kind_of

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def view(obj: object) -> dict:
    return Views({}, {}, {}).view(obj)


# --- the views: legacy values under their target names --------------------------------------


def test_infra_config_fields_go_where_migration_target_says() -> None:
    values = {  # every field, none at its default (the manual path: no training shape)
        "ref_training_shape_id": "accounts/a/trainingShapes/ref", "region": "us-ohio-1", "custom_image_tag": "v2",
        "accelerator_type": "NVIDIA_H200_141GB", "accelerator_count": 8, "node_count": 2, "trainer_timeout_s": 7200,
        "extra_args": ["--x"], "trainer_replica_count": 2, "purpose": "PURPOSE_PILOT", "managed_by": "ci",
        "skip_validations": True,
    }
    assert set(values) == {f.name for f in dataclasses.fields(InfraConfig)} - {"training_shape_id"}
    infra = InfraConfig(**values)
    got = view(infra)
    for name, value in values.items():
        target = migration_target(InfraConfig, name)
        if target is None:
            assert got[name] == {"value": value, "default": None, "legacy": name, "dropped": True}
            assert name == "managed_by"
        else:
            entry = got[target.removeprefix("trainer.")]
            assert entry["value"] == value
            assert entry.get("legacy", target.removeprefix("trainer.")) == name
    # ...which are TrainerConfig's own names: a ported TrainerConfig has the same view
    trainer = TrainerConfig(**{migration_target(InfraConfig, k).removeprefix("trainer."): v for k, v in values.items() if migration_target(InfraConfig, k)})
    ported = view(trainer)
    assert {k: v["value"] for k, v in got.items() if not v.get("dropped")} == {k: ported[k]["value"] for k in got if not got[k].get("dropped")}


@pytest.mark.parametrize("cls", [WeightSyncConfig, HotloadConfig])
def test_cadence_fields_go_to_the_recipe_config(cls: type) -> None:
    got = view(cls())
    for f in dataclasses.fields(cls):
        target = migration_target(cls, f.name)
        assert (got[f.name]["dropped"] if target is None else target in got)


@pytest.mark.parametrize("recipe", RECIPES)
def test_legacy_and_target_defaults_are_the_same_values(recipe: str) -> None:
    """A legacy recipe Config and the target one, both at their defaults, hold the same values at
    every target name (what only one side has is at its default there)."""
    legacy = view(importlib.import_module(f"ftmigrate.api.legacy.recipes.{recipe}").Config(log_path="/tmp/x"))
    target = view(importlib.import_module(f"ftmigrate.api.recipes.{recipe}").Config(log_path="/tmp/x"))
    for path in {*legacy, *target}:
        a, b = legacy.get(path), target.get(path)
        if a is not None and b is not None:
            assert a["value"] == b["value"], path
        else:
            entry = a or b
            assert entry["value"] == entry["default"], path


@given(
    interval=st.integers(0, 50),
    save=st.integers(0, 500),
    job=st.text("abc-1", min_size=1, max_size=8),
    region=st.sampled_from(["us-ohio-1", "eu-frankfurt-1", None]),
)
def test_a_legacy_rl_config_maps_to_the_ported_one(interval: int, save: int, job: str, region: str | None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        legacy_rl = importlib.import_module("ftmigrate.api.legacy.recipes.rl_loop")
        target_rl = importlib.import_module("ftmigrate.api.recipes.rl_loop")
        before = legacy_rl.Config(
            log_path="/tmp/rl", infra=InfraConfig(region=region, trainer_timeout_s=60),
            weight_sync=WeightSyncConfig(weight_sync_interval=interval, dcp_save_interval=save), policy_job_id=job,
        )
        after = target_rl.Config(
            log_path="/tmp/rl", trainer=TrainerConfig(region=region, timeout_s=60, job_id=job),
            weight_sync_interval=interval, dcp_save_interval=save,
        )
    a, b = view(before), view(after)
    shared = set(a) & set(b)
    assert {p: a[p]["value"] for p in shared} == {p: b[p]["value"] for p in shared}
    assert a["trainer.job_id"]["legacy"] == "policy_job_id" and a["trainer.timeout_s"]["legacy"] == "infra.trainer_timeout_s"
    assert a["weight_sync_interval"]["legacy"] == "weight_sync.weight_sync_interval"
    assert "policy_base_url" not in a  # the legacy recipe ignored it: nothing to compare
    assert LEGACY_KEYWORDS["policy_job_id"] == "trainer.job_id"


def test_kinds() -> None:
    legacy_sft = importlib.import_module("ftmigrate.api.legacy.recipes.sft_loop")
    assert kind_of(InfraConfig()) == kind_of(TrainerConfig()) == "TrainerConfig"
    assert kind_of(legacy_sft.Config(log_path="x")) == "sft_loop.Config"
    assert kind_of(WeightSyncConfig()) == "cadence"

    @dataclasses.dataclass
    class Mine:
        x: int = 1

    assert kind_of(Mine()) is None


# --- the recorder ---------------------------------------------------------------------------


USER_CODE = '''\
import dataclasses
from training.recipes import rl_loop
from training.utils import TrainerConfig

base = TrainerConfig(
    region="us-ohio-1",
)
copy = dataclasses.replace(base, job_id="j")
cfg = rl_loop.Config(log_path="/tmp/rl", trainer=copy)
cfg.weight_sync_interval = 3
'''


def test_the_recorder_keeps_the_user_lines(tmp_path: Path) -> None:
    (tmp_path / "user_code_for_recorder.py").write_text(USER_CODE)
    sys.path.insert(0, str(tmp_path))
    recorder = _record.start(str(tmp_path))
    try:
        with mount(bundled_sdk=True):
            importlib.import_module("user_code_for_recorder")
    finally:
        _record.stop()
        sys.path.remove(str(tmp_path))
        sys.modules.pop("user_code_for_recorder", None)
    sites = [(type(obj).__name__, site.line, site.end_line) for obj, site, _ in recorder.configs]
    # the multi-line call spans its lines; the recipe's own default configs (deployment=...) are
    # built by the API, not the user, and not recorded
    assert sites == [("TrainerConfig", 5, 7), ("TrainerConfig", 8, 8), ("Config", 9, 9)]
    base, copy, cfg = (obj for obj, _, _ in recorder.configs)
    assert recorder.configs[1][2] is base  # a dataclasses.replace copy knows what it copies
    assert id(copy) in recorder.held  # taken by the Config when it was built
    assert [(name, site.line) for name, site in recorder.assignments[id(cfg)]] == [("weight_sync_interval", 10)]
    assert _record.active is None


# --- lines before -> lines after ------------------------------------------------------------


@given(st.lists(st.text("abc", max_size=3), max_size=30), st.data())
def test_line_map_of_an_insertion(lines: list[str], data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(lines)))
    inserted = data.draw(st.lists(st.just("# TODO(ftmigrate): FTM999 inserted"), min_size=1, max_size=3))
    new = lines[:at] + inserted + lines[at:]

    def text(lines: list[str]) -> bytes:
        return "".join(f"{line}\n" for line in lines).encode()

    lines_map = LineMap(text(lines), text(new))
    assert LineMap(text(lines), text(lines)).lines == {i: i for i in range(1, len(lines) + 1)}
    mapped = [lines_map(i) for i in range(1, len(lines) + 1)]
    # every line lands on a line of the new text, in order; with no repeated line, on itself
    # (repeated lines may be aligned either way: difflib may call one inserted, another deleted)
    assert all(1 <= j <= len(new) for j in mapped) and mapped == sorted(mapped)
    if len(set(lines)) == len(lines):
        assert mapped == [i if i <= at else i + len(inserted) for i in range(1, len(lines) + 1)]


def test_line_map_of_a_rewritten_call_skips_the_todo_above_it() -> None:
    old = b'x = 1\nreturn InfraConfig(ref_training_shape_id="r", managed_by="ci")\n'
    new = b'x = 1\n# TODO(ftmigrate): FTM002 InfraConfig.managed_by="ci" ...\nreturn TrainerConfig(reference_training_shape_id="r")\n'
    assert LineMap(old, new)(2) == 3


# --- the plan ---------------------------------------------------------------------------------


def event(kind: str, resource: str, id: str, role: str | None = None, detail: str | None = None, line: int = 1) -> dict:
    return {"kind": kind, "resource": resource, "id": id, "role": role, "detail": detail, "source": "x", "site": {"path": "t.py", "line": line, "end_line": line}}


def test_cancel_and_delete_both_release_a_trainer_and_made_up_ids_match_by_role() -> None:
    legacy = [event("created", "trainer", "trainer-0002", "reference"), event("cancelled", "trainer", "trainer-0002", "reference")]
    target = [event("created", "trainer", "trainer-0001", "reference"), event("deleted", "trainer", "trainer-0001", "reference")]
    a, b = _resources(legacy), _resources(target)
    assert list(a) == list(b) == [("trainer", "new reference #1")]
    assert a[("trainer", "new reference #1")]["compare"] == b[("trainer", "new reference #1")]["compare"]
    assert a[("trainer", "new reference #1")]["state"] == "created, released on exit (cancelled)"


class _Findings:
    """``Findings`` over a fixed list (no engine run)."""

    def __init__(self, found: list[Finding]) -> None:
        self.found = found

    def of(self, side: str, rel: str) -> list[Finding]:
        return [f for f in self.found if f.side == side and f.path == rel]

    def explain(self, sites, mentions=()):
        from ftmigrate.verify import Findings

        return Findings.explain(self, sites, mentions)  # type: ignore[arg-type]


def test_a_difference_is_explained_only_by_a_finding_left_at_its_site_that_names_it() -> None:
    drop = Finding("FTM002", 'InfraConfig.managed_by="ci" has no TrainerConfig field', "", "t.py", 4, 4, "before")
    fixed = Finding("FTM001", "InfraConfig is deprecated: use TrainerConfig (region=...)", "", "t.py", 4, 4, "before", fixed=True)
    found = _Findings([drop, fixed])
    site = {"path": "t.py", "line": 3, "end_line": 5}
    assert found.explain({"before": [site]}, [["managed_by"]]) is drop
    assert found.explain({"before": [site]}, [["region"]]) is None  # a fix applied explains nothing
    assert found.explain({"before": [{"path": "t.py", "line": 5, "end_line": 9}]}, [["managed_by"]]) is None
    assert found.explain({"after": [site]}, [["managed_by"]]) is None
    assert found.explain({"before": [site]}, [["InfraConfig"], ["dropped", "has no"]]) is drop
    assert found.explain({"before": [site]}, [["InfraConfig"], ["running"]]) is None


def test_steps_the_stopped_side_never_reached_are_no_difference_and_lines_map_back() -> None:
    from ftmigrate.verify import Comparison

    # The import raised after the port: the builder it would have called next is part of that
    # difference, not one of its own.
    before = [{"step": "import a.py"}, {"step": "build_config()"}]
    error = {"type": "AttributeError", "message": "no .infra", "site": {"path": "a.py", "line": 7, "end_line": 7}}
    after = [{"step": "import a.py", "error": error}]
    comparison = Comparison(_Findings([]), {})
    comparison.steps(before, after)
    assert [d.what for d in comparison.differences] == ["import a.py"]
    # A finding the rewrite made at the lines that became an after-side site explains it (the
    # site's own findings, lint's included, come first).
    moved = Finding("FTM023", "policy_job_id=j moves into rl.trainer", "", "a.py", 3, 3, "before")
    lines = LineMap(b"x = 1\n\ncfg = f(policy_job_id=j)\n", b"x = 1\n\n# TODO(ftmigrate)\ncfg = f(trainer=T(job_id=j))\n")
    comparison = Comparison(_Findings([moved]), {"a.py": lines})
    assert comparison.unmap({"path": "a.py", "line": 4, "end_line": 4}) == {"path": "a.py", "line": 3, "end_line": 3}
    diff = Difference("value", "x", None, "j", {"path": "a.py", "line": 4, "end_line": 4})
    comparison.add(diff, {"after": [{"path": "a.py", "line": 4, "end_line": 4}]}, [["job_id", "policy_job_id"]])
    assert diff.finding is moved


def test_the_text_report_prints_user_values_as_one_visible_line_each() -> None:
    from ftmigrate.verify import Difference, FileReport, Verification, render_text

    diff = Difference("value", "TrainerConfig region", "us\n::error::forged", "eu\x1b[31m", {"path": "t.py", "line": 3, "end_line": 3})
    text = render_text(Verification("HEAD", "2026-06", [FileReport("::warning::t.py", "unexplained", differences=[diff])]))
    lines = text.splitlines()
    assert len(lines) == 3 and text.endswith("\n")
    assert not any(line.lstrip().startswith("::") for line in lines)
    assert "\\n::error::forged" in lines[1] and "\\x1b[31m" in lines[1]
