"""Every fixture pair in ``fixtures/<codemod>/``: ``<case>.before.py`` rewrites to exactly
``<case>.after.py``, the rewrite of the after file changes nothing, and a no-op case (before
and after identical) gets no finding at all.

A fixture may carry directives in a comment: ``# ftmigrate-fixture: unsafe`` (rewrite with
``--unsafe-fixes``), ``# ftmigrate-fixture: legacy-modules=mypkg.training``,
``# ftmigrate-fixture: target=2026-08`` (rewrite at that target),
``# ftmigrate-fixture: expect=FTM067`` (the findings a no-op case must get). Fixtures of a target other
than the default live in a folder named after it, ``fixtures/<codemod>/2026-08/``, and carry
the directive: the folder makes the target visible, the directive makes the run use it.

``FTMIGRATE_UPDATE_FIXTURES=1 pytest tests/codemods`` writes the after files from the current
rewrite (review every diff before committing it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ftmigrate.api.targets import DEFAULT_TARGET, TARGETS
from tests.helpers import directives, run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = sorted([*FIXTURES.glob("*/*.before.py"), *FIXTURES.glob("*/*/*.before.py")])


def _id(path: Path) -> str:
    return f"{path.relative_to(FIXTURES).parent}/{path.name.removesuffix('.before.py')}"


def test_fixture_folders_match_codemods() -> None:
    codemods = {p.stem for p in (FIXTURES.parent / "codemods").glob("*.py") if p.stem != "__init__"}
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()} - {"notebooks"}  # (tests/notebooks)
    assert folders <= codemods, f"fixture folders without a codemod: {folders - codemods}"
    assert codemods <= folders, f"codemods without fixtures: {codemods - folders}"
    # Inside a codemod's folder, a subfolder holds the fixtures of one target and is named after it.
    subfolders = {p.name for folder in folders for p in (FIXTURES / folder).iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert subfolders <= set(TARGETS) - {DEFAULT_TARGET}, f"fixture subfolders that are not a later target: {subfolders}"


@pytest.mark.parametrize("before", CASES, ids=_id)
def test_the_folder_names_the_target_the_fixture_runs_at(before: Path) -> None:
    folder = before.parent.name if before.parent.parent != FIXTURES else DEFAULT_TARGET
    for path in (before, before.with_name(before.name.replace(".before.py", ".after.py"))):
        target = directives(path.read_text()).get("target", DEFAULT_TARGET)
        assert target == folder, f"{path.name} runs at target {target} but lives in the folder of {folder}"


@pytest.mark.parametrize("before", CASES, ids=_id)
def test_fixture(before: Path) -> None:
    after_path = before.with_name(before.name.replace(".before.py", ".after.py"))
    source = before.read_text()
    result = run(source, path=_id(before) + ".py")
    assert result.error is None, result.error
    if os.environ.get("FTMIGRATE_UPDATE_FIXTURES"):
        after_path.write_text(result.code)
    assert after_path.exists(), f"missing {after_path.name}"
    expected = after_path.read_text()
    assert result.code == expected

    again = run(expected, path=_id(before) + ".py")
    assert again.code == expected, "a second run changed the file"

    if source == expected:
        # A no-op case gets no finding, except the ones it names (`# ftmigrate-fixture:
        # expect=FTM067`): a hint that leaves the file untouched.
        expect = [c for c in directives(source).get("expect", "").split(",") if c]
        assert [d.code for d in result.diagnostics] == expect, "a no-op case must get no finding but the expected ones"
    else:
        assert result.diagnostics, "a rewritten case must be reported"
        compile(expected, str(after_path), "exec")
