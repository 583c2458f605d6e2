"""Issue 6, "done when": following SKILL.md step by step on a small legacy project, an agent
reaches lint-clean code that builds and provisions what the legacy code did, using only the
commands the skill names and the report's help texts.

This test is that agent. It runs the real CLI, with the commands read from SKILL.md (not
copied), on a git repository made from ``data/legacy_project``, and resolves each remaining
diagnostic the way the skill's table says, from the ``help`` text alone.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from tests.skill.helpers import SKILL_MD, commands, ftm

PROJECT = Path(__file__).parent / "data" / "legacy_project"


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr  # 1: `git grep` found nothing
    return result.stdout


def report(result: subprocess.CompletedProcess[str]) -> list[tuple[str, dict]]:
    return [(f["path"].removeprefix("./"), d) for f in json.loads(result.stdout)["files"] for d in f["diagnostics"]]


# --- resolving what is left, as the skill's table and each help text say ---------------------


def _replace_todo(path: Path, line: int, code: str, new: list[str]) -> None:
    lines = path.read_text().splitlines(keepends=True)
    todo = lines[line - 1]
    # A TODO line says what to write and ends with the command for the rest (the first line of
    # a block has the prefix, the others are indented under it).
    assert todo.strip().startswith(("# TODO(ftmigrate): ", "#   ")), (path, line, todo)
    assert todo.rstrip().endswith(f"(ftmigrate explain {code})"), (path, line, todo)
    indent = todo[: len(todo) - len(todo.lstrip())]
    lines[line - 1 : line] = [f"{indent}{text}\n" if text else "" for text in new]
    path.write_text("".join(lines))


def _note(path: Path, d: dict, why: str) -> None:
    _replace_todo(path, d["todo_line"], d["code"], [f"# NOTE(ftmigrate): {d['code']} {why}"])


def resolve(root: Path, rel: str, d: dict, imports: list[tuple[Path, str]]) -> str:
    """Resolve one diagnostic; return what was done. Imports to add go to ``imports`` (added
    last, so that the TODO lines still to resolve do not move)."""
    path, code, help_ = root / rel, d["code"], d["help"]
    if code == "FTM002":
        # "if nothing in the project reads the tag, note the dropped value"
        value = re.match(r"record the dropped managed_by=(.+?)\. ", help_).group(1)
        readers = [m for m in git("grep", "-n", "-F", value, cwd=root).splitlines() if "TODO(ftmigrate)" not in m]
        assert not readers, f"something reads {value}: ask the user"
        _note(path, d, f"dropped managed_by={value}: nothing in this project reads the tag.")
        return "noted"
    if code == "FTM012":
        # "nothing replaces it; note the dropped value"
        dropped = re.match(r"record the dropped (\S+?)\. ", help_).group(1)
        _note(path, d, f"dropped {dropped}: the service owns it at target 2026-06; nothing here depended on it.")
        return "noted"
    if code == "FTM041":
        # "release after main() exactly what the legacy call released (the help names it)"
        call = re.search(r"after (\S+\(\S*\)) returns, in a finally: (DeploymentManager\(api_key=\.\.\.\)\.scale_to_zero\(\S+\))", help_)
        assert call, help_
        main_call, cleanup = call.groups()
        assert "is reattached: the legacy call never cancelled it, leave it running" in help_
        text = path.read_text()
        api_key = "api_key" if re.search(r"^\s*api_key = ", text, re.M) else 'os.environ["FIREWORKS_API_KEY"]'
        cleanup = cleanup.replace("api_key=...", f"api_key={api_key}")
        assert text.splitlines()[d["todo_line"]].strip() == main_call  # the call is under its TODO
        _wrap_statement(path, d["todo_line"] + 1, ["try:", f"    {main_call}", "finally:", f"    {cleanup}"])
        _replace_todo(path, d["todo_line"], code, [])
        imports.append((path, "from fireworks.training.sdk import DeploymentManager"))
        return "explicit cleanup"
    if code == "FTM051":
        # "read it from your TrainerConfig / DeployConfig, or drop the use": the rewrite dropped it.
        dropped = re.match(r"setup_infra\((\w+)=\.\.\.\) has no build_service_client equivalent and was dropped: (.*)", d["message"])
        assert dropped, d["message"]
        _note(path, d, f"dropped setup_infra({dropped.group(1)}=...): {dropped.group(2)}.")
        return "noted"
    raise AssertionError(f"the skill's table has no resolution for {code} here: {help_}")


def _wrap_statement(path: Path, line: int, block: list[str]) -> None:
    """Replace the statement on ``line`` by ``block``, at its indentation."""
    lines = path.read_text().splitlines(keepends=True)
    index = line - 1
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines[index : index + 1] = [f"{indent}{line}\n" for line in block]
    path.write_text("".join(lines))


def _add_import(path: Path, statement: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith(("from training", "import training")))
    lines.insert(first, statement + "\n")
    path.write_text("".join(lines))


# --- the walk-through ---------------------------------------------------------------------------


def test_following_the_skill_ports_the_project(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    git("init", "-q", cwd=root)
    git("add", ".", cwd=root)
    git("-c", "user.email=agent@example.com", "-c", "user.name=agent", "commit", "-qm", "legacy", cwd=root)
    skill = SKILL_MD.read_text()
    # The verify command of step 6, as the skill writes it (START: the commit of step 0).
    [verify] = [c for c in commands(skill) if c[1:2] == ["verify"] and "--format" in c]
    assert verify[-1] == "."

    # 0. Before anything changes: the commit to compare with.
    start = git("rev-parse", "--short", "HEAD", cwd=root).strip()

    # 1. Find.
    found = ftm("lint", "--format", "json", ".", cwd=root)
    assert found.returncode == 1 and len(report(found)) >= 20

    # 2. Preview: a diff, nothing written.
    preview = ftm("rewrite", "--diff", ".", cwd=root)
    assert preview.returncode == 1 and "+    trainer=" in preview.stdout
    assert git("status", "--porcelain", cwd=root) == ""

    # 3. The safe fixes; the report keeps the help of what is left.
    safe = ftm("rewrite", "--format", "json", ".", cwd=root)
    assert safe.returncode == 1, safe.stderr
    # Left for step 5: what is marked with a TODO; the rest waits for the unsafe fixes.
    left = [(path, d) for path, d in report(safe) if not d["fixed"] and "todo_line" in d]
    assert {d["code"] for _, d in report(safe) if d["fix"] == "unsafe"} >= {"FTM050", "FTM053"}

    # 4. The unsafe fixes, after reviewing them.
    review = ftm("rewrite", "--unsafe-fixes", "--diff", ".", cwd=root)
    assert review.returncode == 1 and "+        service = build_service_client(" in review.stdout
    unsafe = ftm("rewrite", "--unsafe-fixes", "--format", "json", ".", cwd=root)
    assert unsafe.returncode == 1, unsafe.stderr
    left += [(path, d) for path, d in report(unsafe) if not d["fixed"]]
    custom = (root / "train_custom.py").read_text()
    # As references/service-rewrite.md says: closed on every path, never `with service:`, the
    # trainers it created deleted on close, the deployment scaled to zero as before.
    assert "cleanup_trainer_on_close=True" in custom and "with service" not in custom
    assert "cleanup.callback(service.close)" in custom and "scale_to_zero" in custom

    # 5. What is left: the reports' unfixed diagnostics, the lint, and the TODO comments -- the
    # same sites, each TODO where its diagnostic's todo_line says.
    assert ftm("lint", "--format", "json", ".", cwd=root).returncode == 0
    todos = {
        (m.split(":", 2)[0], int(m.split(":", 2)[1]))
        for m in git("grep", "-n", "ftmigrate explain FTM", cwd=root).splitlines()
    }
    assert todos == {(path, d["todo_line"]) for path, d in left}
    assert sorted(d["code"] for _, d in left) == ["FTM002", "FTM002", "FTM012", "FTM041", "FTM051"]
    # Bottom-up within a file, so that edits do not move the TODO lines still to resolve.
    imports: list[tuple[Path, str]] = []
    done = [resolve(root, path, d, imports) for path, d in sorted(left, key=lambda x: (x[0], -x[1]["todo_line"]))]
    for path, statement in imports:
        _add_import(path, statement)
    assert done.count("noted") == 4 and "explicit cleanup" in done
    assert ftm("rewrite", ".", cwd=root).returncode == 0  # nothing more to port

    # 6. Verify.
    assert ftm("lint", ".", cwd=root).returncode == 0
    assert ftm("rewrite", "--check", ".", cwd=root).returncode == 0
    assert git("grep", "-n", "-e", "TODO(ftmigrate)", "-e", "ftmigrate explain FTM", "-e", "FTMIGRATE_TODO_", cwd=root) == ""
    git("add", ".", cwd=root)
    git("-c", "user.email=agent@example.com", "-c", "user.name=agent", "commit", "-qm", "port", cwd=root)
    result = ftm(*[a.replace("START", start) for a in verify[1:]], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert {p: f["mode"] for p, f in files.items()} == {
        "common.py": "import", "tests/test_configs.py": "pytest",
        "train_custom.py": "run", "train_rl.py": "run", "train_sft.py": "run",
    }
    # Every difference is one the agent decided on in step 5: the values it noted as dropped.
    # The lifecycle (FTM041) is no difference any more: the agent kept the legacy cleanup.
    explained = sorted((p, d["finding"]["code"]) for p, f in files.items() for d in f["differences"])
    assert all(f["status"] in ("same", "expected") for f in files.values()), explained
    assert {code for _, code in explained} == {"FTM002", "FTM012"}
    assert files["train_rl.py"]["differences"] and not any(d["kind"] == "plan" for f in files.values() for d in f["differences"])
    assert "tests: 1 passed" in files["tests/test_configs.py"]["notes"]

    # The port reads as the skill says: the legacy values at their new names, the decisions noted.
    rl = (root / "train_rl.py").read_text()
    assert 'DeploymentManager(api_key=api_key).scale_to_zero("rl-serving")' in rl
    assert "weight_sync_interval=2" in rl and 'job_id="rl-policy-1"' in rl
    assert "# NOTE(ftmigrate): FTM012 dropped dcp_timeout=5400" in rl
    # sft reattaches "sft-nightly", which the legacy recipe never cancelled: no lifecycle note at all
    assert "FTM042" not in (root / "train_sft.py").read_text()
