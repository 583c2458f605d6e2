"""What `ftmigrate lint` finds: every legacy use in realistic legacy code, nothing in look-alike
or already-migrated code. Real CLI runs on copies of tests/lint/data/.

The legacy files mark each expected finding with an ``# expect: CODE ...`` comment on the line
the finding starts on (a code twice when it is reported twice there).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from .conftest import lint

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]
_MARK = re.compile(r"#\s*(?P<kind>expect|expect-later):\s*(?P<codes>FTM\d{3}(?:\s+FTM\d{3})*)\s*$")


def expectations(root: Path, kind: str = "expect") -> Counter:
    """``(path, line, code)`` -> count, read from the marker comments under ``root``."""
    found: Counter = Counter()
    for path in sorted(root.rglob("*.py")):
        for number, text in enumerate(path.read_text().splitlines(), start=1):
            m = _MARK.search(text)
            if m and m.group("kind") == kind:
                for code in m.group("codes").split():
                    found[(path.relative_to(root).as_posix(), number, code)] += 1
    return found


def reported(run) -> Counter:
    return Counter(
        (f["path"].removeprefix("./"), d["line"], d["code"]) for f in run.json()["files"] for d in f["diagnostics"]
    )


@pytest.fixture(scope="module")
def legacy_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("legacy") / "project"
    shutil.copytree(DATA / "legacy", root)
    return root, lint("--format", "json", "--select", "ALL", ".", cwd=root)


def test_every_legacy_use_is_reported_with_its_code_and_line(legacy_run) -> None:
    root, run = legacy_run
    assert run.code == 1, run.err
    expected = expectations(root)
    assert sum(expected.values()) >= 60  # the data really is the whole legacy surface
    got = reported(run)
    # Findings marked expect-later may appear (when the engine learns them), but only there.
    assert got - expected - expectations(root, "expect-later") == Counter(), "reported but not expected"
    assert expected - got == Counter(), "expected but not reported"
    assert all(f["error"] is None for f in run.json()["files"])


def test_the_expectations_cover_every_legacy_rule(legacy_run) -> None:
    # Every code of the rule catalog that describes legacy code (not hygiene, not the
    # vendored-copy rule that needs configuration, not the rewrite-only endpoint note) appears.
    from ftmigrate.rules import registry

    root, _ = legacy_run
    covered = {code for (_, _, code) in expectations(root) + expectations(root, "expect-later")}
    not_in_this_data = {
        "FTM052",  # the service endpoint is only undecidable while rewriting setup_infra
        "FTM063",  # needs `legacy-modules` (test_config.py)
        "FTM065",  # an unused legacy import: covered with its own file below
        "FTM067",  # an unlisted vendored copy: fixtures/legacy_references, test_prefilter.py
        "FTM099",  # suppression hygiene (test_suppressions.py)
        "FTM901",  # unreadable files (test_cli.py)
    }
    # The rules of a later target fire on code read at (or written for) 2026-08, not on this
    # legacy data read at the default target: each has its fixtures or lint tests there.
    later = {code for code in registry() if code == "FTM072" or "FTM080" <= code <= "FTM089"}
    from tests.helpers import run

    cases = [*(REPO / "fixtures").glob("*/2026-08/*.before.py"), REPO / "fixtures/target_signatures/newer_than_target.before.py"]
    in_fixtures = {d.code for case in cases for d in run(case.read_text(), mode="lint").diagnostics}
    assert later - in_fixtures == set(), "a 2026-08 rule no fixture shows"
    assert set(registry()) - not_in_this_data - later <= covered


def test_text_report_gives_path_line_column_and_code(legacy_run) -> None:
    root, _ = legacy_run
    run = lint("train_legacy.py", cwd=root)
    assert run.code == 1
    lines = run.out.splitlines()
    pattern = re.compile(r"^train_legacy\.py:(\d+):(\d+): (FTM\d{3}) \S")
    findings = [line for line in lines if pattern.match(line)]
    assert len(findings) == len(lines) - 1  # and the summary line
    assert "train_legacy.py:63:5: FTM010 rl_loop.Config(infra=...) is gone" in run.out
    assert re.match(r"Found \d+ finding\(s\) in 1 of 1 file\(s\)", lines[-1])


def test_unused_legacy_import_is_reported(tree) -> None:
    (tree / "a.py").write_text("from training.utils import ResourceCleanup, TrainerConfig\n\ntrainer = TrainerConfig()\n")
    run = lint("--format", "json", "a.py", cwd=tree)
    assert reported(run) == Counter({("a.py", 1, "FTM065"): 1})


LOOKALIKE = sorted(p.relative_to(DATA / "lookalike").as_posix() for p in (DATA / "lookalike").rglob("*.py"))
#: Known false positives (the lead's transform.value_kind cannot tell "known to be another
#: class" from "unknown").
_FALSE_POSITIVES: dict[str, str] = {}


@pytest.fixture(scope="module")
def lookalike_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("lookalike") / "project"
    shutil.copytree(DATA / "lookalike", root)
    return root, lint("--format", "json", "--select", "ALL", ".", cwd=root)


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(reason=_FALSE_POSITIVES[n])) if n in _FALSE_POSITIVES else n for n in LOOKALIKE],
)
def test_lookalike_code_reports_nothing(lookalike_run, name: str) -> None:
    root, run = lookalike_run
    assert run.code in (0, 1), run.err
    files = {f["path"].removeprefix("./"): f for f in run.json()["files"]}
    assert files[name]["diagnostics"] == [] and files[name]["error"] is None


def test_lookalike_files_are_parsed_not_just_prefiltered() -> None:
    # Otherwise the test above would pass for the wrong reason: each file names the cookbook.
    from ftmigrate.prefilter import Prefilter

    prefilter = Prefilter()
    for name in LOOKALIKE:
        if name.endswith("__init__.py") or name.startswith(("myproject/", "training/")):
            continue
        assert prefilter((DATA / "lookalike" / name).read_bytes()), name


def test_migrated_code_reports_nothing(tmp_path) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "migrated", root)
    run = lint("--select", "ALL", ".", cwd=root)
    assert (run.code, run.err) == (0, "")
    assert run.out == "All clear: no legacy cookbook usage in 1 file(s).\n"
