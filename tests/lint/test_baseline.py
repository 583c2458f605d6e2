"""`--write-baseline` / `--baseline`: existing findings pass, new ones fail, and fingerprints
survive edits elsewhere in the file. Real CLI runs; the fingerprint properties with hypothesis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftmigrate import baseline
from ftmigrate.diagnostics import Diagnostic, FileResult

from .conftest import lint, write

LEGACY = '''\
"""A training script with legacy code that the team will port later."""

from training.recipes import rl_loop
from training.utils import InfraConfig

infra = InfraConfig(region="us-ohio-1")
cfg = rl_loop.Config(log_path="/tmp/rl", infra=infra, policy_job_id="job-1")
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write(tmp_path / "project", {"pyproject.toml": "[tool.ftmigrate]\n", "src/train.py": LEGACY, "src/clean.py": "x = 1\n"})


def _baselined(project: Path) -> Path:
    run = lint(".", "--write-baseline", "ftmigrate-baseline.json", cwd=project)
    assert run.code == 0, run.err
    assert run.out == "Wrote 3 finding(s) in 1 file(s) to ftmigrate-baseline.json.\n"
    return project / "ftmigrate-baseline.json"


def test_a_baseline_lets_existing_findings_through(project) -> None:
    path = _baselined(project)
    document = json.loads(path.read_text())
    assert document["version"] == baseline.VERSION and document["tool"] == "ftmigrate"
    assert {(f["path"], f["code"]) for f in document["findings"]} == {
        ("src/train.py", "FTM001"), ("src/train.py", "FTM010"), ("src/train.py", "FTM020"),
    }
    assert lint(".", cwd=project).code == 1  # without the baseline, the findings fail
    run = lint(".", "--baseline", path.name, cwd=project)
    # not "all clear": the baselined findings are still there, and the summary says how many
    assert (run.code, run.out) == (0, "No new legacy cookbook usage in 2 file(s); 3 finding(s) in the baseline not reported.\n")
    assert run.err == f"ftmigrate: 3 finding(s) in the baseline {path.name} not reported.\n"


def test_the_baseline_file_is_sorted_and_stable(project) -> None:
    path = _baselined(project)
    first = path.read_text()
    findings = json.loads(first)["findings"]
    keys = [(f["path"], f["code"], f["message"], f["fingerprint"], f["occurrence"]) for f in findings]
    assert keys == sorted(keys)
    assert first.endswith("\n")
    # Lines shift: the findings are the same, and so is the file, byte for byte.
    train = project / "src" / "train.py"
    train.write_text(train.read_text().replace("import InfraConfig\n", "import InfraConfig\n\nSEED = 1\n\n"))
    _baselined(project)
    assert path.read_text() == first


def test_lines_added_above_keep_findings_baselined(project) -> None:
    path = _baselined(project)
    train = project / "src" / "train.py"
    train.write_text("# Copyright the team.\n\nimport os\n\n" + train.read_text().replace("infra = ", "\n\ninfra = "))
    run = lint(".", "--baseline", path.name, cwd=project)
    assert run.code == 0, run.out


def test_reindenting_a_legacy_line_keeps_it_baselined(project) -> None:
    path = _baselined(project)
    train = project / "src" / "train.py"
    train.write_text(train.read_text().replace('infra = InfraConfig(region="us-ohio-1")', 'if True:\n    infra   =  InfraConfig(region="us-ohio-1")'))
    assert lint(".", "--baseline", path.name, cwd=project).code == 0


def test_changing_the_legacy_line_makes_a_new_finding(project) -> None:
    path = _baselined(project)
    train = project / "src" / "train.py"
    train.write_text(train.read_text().replace('region="us-ohio-1"', 'region="eu-west-1"'))
    run = lint(".", "--baseline", path.name, cwd=project)
    assert run.code == 1
    assert run.out.splitlines()[:-1] == ["./src/train.py:6:9: FTM001 InfraConfig is deprecated: use TrainerConfig [*]"]
    assert "2 finding(s) in the baseline" in run.err and "1 baseline entry not seen" in run.err


def test_a_duplicated_legacy_line_is_one_new_finding(project) -> None:
    path = _baselined(project)
    train = project / "src" / "train.py"
    text = train.read_text()
    train.write_text(text + 'infra = InfraConfig(region="us-ohio-1")\n')
    run = lint(".", "--format", "json", "--baseline", path.name, cwd=project)
    assert run.code == 1
    (finding,) = [(f["path"], d["line"], d["code"]) for f in run.json()["files"] for d in f["diagnostics"]]
    assert finding == ("./src/train.py", len(text.splitlines()) + 1, "FTM001")


def test_a_reworded_message_keeps_findings_baselined(project) -> None:
    # A later ftmigrate may word a message better; the baseline must survive the upgrade.
    path = _baselined(project)
    document = json.loads(path.read_text())
    for finding in document["findings"]:
        finding["message"] = "how an older ftmigrate put it"
    path.write_text(json.dumps(document))
    assert lint(".", "--baseline", path.name, cwd=project).code == 0


def test_a_new_file_with_legacy_code_fails(project) -> None:
    path = _baselined(project)
    write(project, {"src/new.py": "from training.utils import setup_infra\n\nsetup_infra(rlor_mgr=None)\n"})
    run = lint(".", "--baseline", path.name, cwd=project)
    assert run.code == 1 and "src/new.py:3:1: FTM050" in run.out


def test_paths_are_relative_to_the_config_root(project) -> None:
    # Run from a subfolder, naming the file: the baseline written at the root still matches.
    path = _baselined(project)
    run = lint("train.py", "--baseline", str(path), cwd=project / "src")
    assert run.code == 0, run.out


def test_an_unreadable_file_can_be_baselined_by_path(project) -> None:
    write(project, {"src/broken.py": "from training.utils import InfraConfig\ndef (:\n"})
    path = _baselined_with(project, 4)
    assert {"path": "src/broken.py", "code": "FTM901"}.items() <= json.loads(path.read_text())["findings"][0].items()
    write(project, {"src/broken.py": "from training.utils import InfraConfig\n\n\nclass :\n"})  # still broken, elsewhere
    assert lint(".", "--baseline", path.name, cwd=project).code == 0


def _baselined_with(project: Path, count: int) -> Path:
    run = lint(".", "--write-baseline", "b.json", cwd=project)
    assert run.code == 0 and run.out.startswith(f"Wrote {count} finding(s)"), run.out
    return project / "b.json"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "b.json: no such baseline file (create it with --write-baseline b.json)"),
        ("{", "b.json: not a ftmigrate baseline (invalid JSON at line 1 column 2)"),
        ('{"findings": []}', 'b.json: not a ftmigrate baseline (expected an object with "tool": "ftmigrate" and "findings")'),
        ('{"tool": "ftmigrate", "version": 9, "findings": []}', "b.json: unsupported baseline version 9 (this ftmigrate reads version 1; rewrite it with --write-baseline)"),
        ('{"tool": "ftmigrate", "version": 1, "findings": [{"path": "a.py"}]}', "b.json: not a ftmigrate baseline (finding 1 lacks a valid path, fingerprint or occurrence)"),
        ('{"tool": "ftmigrate", "version": 1, "findings": {}}', 'b.json: not a ftmigrate baseline ("findings" must be a list)'),
    ],
)
@pytest.mark.parametrize("tree_kind", ["legacy", "clean"])
def test_a_missing_or_corrupt_baseline_is_a_one_line_error(project, content, message, tree_kind) -> None:
    # "clean" goes through the lint fast path first: it must leave the error to the full CLI.
    if content is not None:
        (project / "b.json").write_text(content)
    target = "src/train.py" if tree_kind == "legacy" else "src/clean.py"
    run = lint(target, "--baseline", "b.json", cwd=project)
    assert (run.code, run.out, run.err) == (2, "", f"ftmigrate: error: {message}\n")


def test_baseline_and_write_baseline_together_is_a_usage_error(project) -> None:
    run = lint(".", "--baseline", "a.json", "--write-baseline", "b.json", cwd=project)
    assert run.code == 2 and run.err.count("\n") == 1 and "cannot be combined" in run.err


def test_a_clean_run_with_a_baseline_reports_its_stale_entries(project) -> None:
    path = _baselined(project)
    run = lint("src/clean.py", "--baseline", path.name, cwd=project)
    assert (run.code, run.out) == (0, "All clear: no legacy cookbook usage in 1 file(s).\n")
    assert run.err == (
        f"ftmigrate: 0 finding(s) in the baseline {path.name} not reported; 3 baseline entries not seen in this run"
        " (fixed? refresh it with --write-baseline).\n"
    )


# --- fingerprints, as properties ---------------------------------------------------------------

_LINE = st.text(alphabet=st.characters(blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", blacklist_categories=("Cs",)), max_size=30)


def _entries(lines: list[str], at: list[int], tmp_path: Path) -> list[baseline.Entry]:
    source = ("\n".join(lines) + "\n").encode()
    result = FileResult(path=str(tmp_path / "m.py"), diagnostics=[Diagnostic("FTM001", "msg", n, 1, n, 2) for n in at])
    return baseline.entries([result], tmp_path, {result.path: source})


@given(lines=st.lists(_LINE, min_size=1, max_size=8), above=st.lists(_LINE, max_size=5), pad=st.text(" \t", max_size=4))
def test_fingerprints_ignore_lines_above_and_indentation(tmp_path_factory, lines, above, pad) -> None:
    tmp = tmp_path_factory.getbasetemp()
    at = list(range(1, len(lines) + 1))
    before = _entries(lines, at, tmp)
    shifted = _entries(above + [pad + line for line in lines], [n + len(above) for n in at], tmp)
    assert before == shifted
    # Identical lines are told apart by their occurrence, so no two entries share a key.
    assert len({e.key for e in before}) == len(before)


@given(lines=st.lists(_LINE, min_size=1, max_size=8), data=st.data())
def test_editing_the_reported_line_changes_its_fingerprint(tmp_path_factory, lines, data) -> None:
    tmp = tmp_path_factory.getbasetemp()
    index = data.draw(st.integers(0, len(lines) - 1))
    edited = data.draw(_LINE.filter(lambda t: baseline.normalise(t) != baseline.normalise(lines[index])))
    (before,) = _entries(lines, [index + 1], tmp)
    (after,) = _entries(lines[:index] + [edited] + lines[index + 1:], [index + 1], tmp)
    assert before.fingerprint != after.fingerprint
