"""The skill an agent reads: its front matter, every command and link it names, its snippets,
and the ``ftmigrate skill`` command that installs it."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.skill.helpers import (
    README,
    REFERENCES,
    SKILL,
    SKILL_MD,
    agent_section,
    code_blocks,
    commands,
    front_matter,
    ftm,
    heredocs,
)

DOCS = {"SKILL.md": SKILL_MD.read_text(), **{f"references/{p.name}": p.read_text() for p in REFERENCES}}
DOCS["README.md (agent section)"] = agent_section(README.read_text())

#: What the description must mention for an agent to pick the skill up (issue 6).
TRIGGERS = (
    "InfraConfig",
    "setup_infra",
    "ResourceCleanup",
    "WeightSyncConfig",
    "Config(infra=...)",
    "TypeError ... unexpected keyword argument 'infra'",
    "'weight_sync'",
    "ImportError: cannot import name 'setup_infra'",
)


def test_front_matter_parses_and_says_when_to_use_the_skill() -> None:
    raw, body = front_matter(SKILL_MD.read_text())
    meta = yaml.safe_load(raw)
    assert isinstance(meta, dict) and set(meta) == {"name", "description"}
    assert meta["name"] == "ftmigrate" == SKILL.name
    # Agent skill limits: a lowercase-hyphen name of at most 64 characters, a description of at
    # most 1024 (longer ones are cut off when the agent lists its skills).
    assert re.fullmatch(r"[a-z0-9-]{1,64}", meta["name"])
    description = meta["description"]
    assert isinstance(description, str) and 0 < len(description) <= 1024
    assert description.startswith("Port") and "Use when" in description
    missing = [t for t in TRIGGERS if t not in description]
    assert not missing, f"the description does not mention {missing}"
    assert body.lstrip().startswith("# ")


def test_procedure_names_each_step_in_order() -> None:
    body = SKILL_MD.read_text()
    steps = [
        "ftmigrate lint --format json .",
        "ftmigrate rewrite --diff .",
        "ftmigrate rewrite --format json .",
        "ftmigrate rewrite --unsafe-fixes --diff .",
        "ftmigrate rewrite --unsafe-fixes --format json .",
        "ftmigrate explain CODE",
        "ftmigrate lint .",
        "ftmigrate verify --before START --run",
        'mount(surface="legacy", bundled_sdk=True)',
        "## Never",
    ]
    positions = [body.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions) if p == -1]
    assert positions == sorted(positions)
    never = body.split("## Never", 1)[1].split("\n## ", 1)[0]
    for rule in ("not create", "non-default value silently", "TODO(ftmigrate)", "vendored"):
        assert rule in never, rule


ALL_NAMED = [(doc, cmd) for doc, text in DOCS.items() for cmd in commands(text)]
#: Each distinct command once (with the first page naming it).
NAMED = list({tuple(cmd): (doc, cmd) for doc, cmd in reversed(ALL_NAMED)}.values())[::-1]


def test_the_docs_name_commands() -> None:
    assert len(ALL_NAMED) >= 20
    assert {tuple(cmd[:2]) for _, cmd in NAMED} >= {
        ("ftmigrate", sub) for sub in ("lint", "rewrite", "explain", "rules", "skill")
    }


@pytest.mark.parametrize(("doc", "cmd"), NAMED, ids=[f"{d}: {' '.join(c)}" for d, c in NAMED])
def test_every_named_command_exists_and_accepts_its_options(doc: str, cmd: list[str]) -> None:
    """Click parses the whole line before ``--help`` runs: an unknown command or option fails
    here; the values of the options are checked by the real runs below."""
    # A root option (`ftmigrate --version`) is eager too: check it against the root help.
    subcommand = [a for a in cmd[1:2] if not a.startswith("-")]
    result = ftm(*(cmd[1:] if subcommand else ()), "--help")
    assert result.returncode == 0, (doc, cmd, result.stderr)
    assert "Usage: ftmigrate" in result.stdout
    for option in (a.split("=", 1)[0] for a in cmd[1 + len(subcommand) :] if a.startswith("-")):
        assert option in result.stdout, f"{option} is not in `{' '.join(['ftmigrate', *subcommand])} --help`"


LEGACY = '''\
from training.recipes import rl_loop
from training.utils import InfraConfig, WeightSyncConfig

cfg = rl_loop.Config(
    log_path="/tmp/rl",
    infra=InfraConfig(ref_training_shape_id="accounts/fireworks/trainingShapes/ref", managed_by="ci"),
    weight_sync=WeightSyncConfig(weight_sync_interval=2),
)
'''


def _runnable(cmd: list[str], tmp_path: Path) -> list[str]:
    """The command as an agent runs it on the project at ``tmp_path``: placeholders filled in."""
    args = [a.replace("CODE", "FTM041").replace("START", "HEAD") for a in cmd[1:]]
    if "--install" in args:
        args[args.index("--install") + 1] = str(tmp_path / "agent-skills")
    positional = [a for i, a in enumerate(args[1:], 1) if not a.startswith("-") and not args[i - 1] in ("--format", "--install")]
    if args and args[0] in ("lint", "rewrite", "verify") and not positional:
        args.append(".")
    return args


@pytest.mark.parametrize(("doc", "cmd"), NAMED, ids=[f"{d}: {' '.join(c)}" for d, c in NAMED])
def test_every_named_command_runs_on_a_legacy_project(doc: str, cmd: list[str], tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(LEGACY)
    if cmd[1:2] == ["verify"]:
        # verify compares the port with the legacy commit: the project as step 6 has it.
        import subprocess

        for git in (["init", "-q"], ["add", "."], ["-c", "user.email=a@b.c", "-c", "user.name=a", "commit", "-qm", "legacy"]):
            subprocess.run(["git", *git], cwd=tmp_path, check=True, capture_output=True)
        assert ftm("rewrite", ".", cwd=tmp_path).returncode in (0, 1)
    result = ftm(*_runnable(cmd, tmp_path), cwd=tmp_path)
    # 0: nothing to do, 1: findings / changes / work left for a person; 2 would be a usage error.
    assert result.returncode in (0, 1), (cmd, result.stderr)
    assert "error" not in result.stderr.lower(), result.stderr
    if "json" in cmd:
        import json

        json.loads(result.stdout)


def test_links_between_the_pages_resolve() -> None:
    for name, text in DOCS.items():
        base = SKILL if not name.startswith("references/") else SKILL / "references"
        for target in re.findall(r"\]\(([^)#]+\.md)\)", text):
            if name.startswith("README"):
                continue
            assert (base / target).is_file(), f"{name} links to {target}, which does not exist"
    linked = set(re.findall(r"\(references/([\w-]+\.md)\)", SKILL_MD.read_text()))
    assert linked == {p.name for p in REFERENCES}, "SKILL.md must link every reference page"


def test_every_python_snippet_compiles() -> None:
    snippets = [s for text in DOCS.values() for s in code_blocks(text, "python")]
    snippets += [h.program for text in DOCS.values() for h in heredocs(text)]
    assert len(snippets) >= 8
    for snippet in snippets:
        ast.parse(snippet)


def test_json_example_matches_a_real_diagnostic(tmp_path: Path) -> None:
    import json

    (example,) = [json.loads(b) for b in code_blocks(SKILL_MD.read_text(), "json")]
    (tmp_path / "train.py").write_text(LEGACY)
    report = json.loads(ftm("lint", "--format", "json", ".", cwd=tmp_path).stdout)
    real = report["files"][0]["diagnostics"][0]
    assert set(example) == set(real)


# --- `ftmigrate skill` ------------------------------------------------------------------------


def test_skill_prints_the_installed_folder() -> None:
    result = ftm("skill")
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.strip())
    assert (folder / "SKILL.md").read_text() == SKILL_MD.read_text()
    assert sorted(p.name for p in (folder / "references").glob("*.md")) == [p.name for p in REFERENCES]


def test_skill_install_copies_the_skill_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / ".claude" / "skills"
    first = ftm("skill", "--install", str(target))
    assert first.returncode == 0, first.stderr
    installed = target / "ftmigrate"
    copied = sorted(str(p.relative_to(installed)) for p in installed.rglob("*") if p.is_file())
    assert copied == ["SKILL.md", *(f"references/{p.name}" for p in REFERENCES)]
    (installed / "SKILL.md").write_text("stale")
    again = ftm("skill", "--install", str(target))
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "--force" in again.stderr
    assert (installed / "SKILL.md").read_text() == "stale"
    forced = ftm("skill", "--install", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (installed / "SKILL.md").read_text() == SKILL_MD.read_text()


def test_skill_install_into_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("")
    result = ftm("skill", "--install", str(tmp_path / "not-a-folder"))
    assert result.returncode == 2
    assert result.stderr.startswith("ftmigrate: error: cannot install the skill in") and result.stderr.count("\n") == 1


@pytest.mark.slow
def test_the_wheel_carries_the_skill(tmp_path: Path) -> None:
    """Built from a clean copy (as tests/test_packaging.py does): every page is package data."""
    import subprocess
    import sys
    import zipfile

    from tests.skill.helpers import REPO

    source = tmp_path / "src"
    ignore = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "tests")
    shutil.copytree(REPO, source, ignore=ignore)
    out = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True, capture_output=True, timeout=600,
    )
    (wheel,) = out.glob("ftmigrate-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"ftmigrate/skills/ftmigrate/{p.relative_to(SKILL)}" for p in SKILL.rglob("*.md")}
    assert expected <= names, expected - names
