"""bench/run.py stays runnable, and its legacy-dense corpus is what it claims to be (the
measurements are not tests: no timing is asserted anywhere)."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "run.py"
FIXTURES = sorted(ROOT.glob("fixtures/*/*.before.py"))


def _load_corpus_module():
    spec = importlib.util.spec_from_file_location("legacy_corpus", ROOT / "bench" / "legacy_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("legacy_corpus", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


lc = _load_corpus_module()


def test_the_benchmark_script_parses_its_command_line() -> None:
    proc = subprocess.run([sys.executable, str(BENCH), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "--quick" in proc.stdout and "--rounds" in proc.stdout
    for part in ("dense", "big", "huge"):
        assert part in proc.stdout


def test_the_legacy_dense_corpus_is_deterministic_and_varied() -> None:
    files = lc.corpus(5, 200_000, 1024, 20 * 1024, FIXTURES)
    assert files == lc.corpus(5, 200_000, 1024, 20 * 1024, FIXTURES)
    assert files != lc.corpus(6, 200_000, 1024, 20 * 1024, FIXTURES)
    total = sum(len(text) for _, text in files)
    assert 200_000 <= total < 230_000
    kinds = {path.split("/")[1] for path, _ in files}
    assert kinds == set(lc.FOLDERS.values())
    for path, text in files:
        ast.parse(text, path)  # every file compiles
        assert len(text) <= 20 * 1024, path
        assert re.search(r"^(from|import) training\.|^    from training\.", text, re.M), f"{path} does not use the cookbook"
    # Not copies of each other: the lines two files share (of the smaller one's) are few as a
    # rule; two short files of one kind share their template's boilerplate, never all of it.
    lines = {path: {line for line in text.splitlines() if line.strip()} for path, text in files}
    shared = sorted(len(lines[a] & lines[b]) / min(len(lines[a]), len(lines[b])) for a, b in combinations(lines, 2))
    assert shared[-1] < 0.85
    assert shared[len(shared) // 2] < 0.25


def test_the_corpus_does_not_depend_on_hash_order() -> None:
    """The same seed gives the same bytes in any process (no set or dict-of-str order leaks)."""
    code = (
        "import hashlib, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); import legacy_corpus as lc\n"
        "files = lc.corpus(3, 400_000, 1024, 40 * 1024, sorted(Path(sys.argv[2]).glob('fixtures/*/*.before.py')))\n"
        "print(hashlib.sha256(repr(files).encode()).hexdigest())\n"
        "print(lc.merged(['import training.utils as tu', 'import training.utils', 'import training.utils as u2', 'import training.utils as t3']))\n"
    )
    digests = {
        subprocess.run([sys.executable, "-c", code, str(ROOT / "bench"), str(ROOT)], capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_fixtures_are_mixed_in_without_rebinding_the_module_s_names() -> None:
    files = lc.corpus(7, 300_000, 2048, 30 * 1024, FIXTURES)
    mixed = [text for _, text in files if "\n# --- " in text]
    assert len(mixed) > len(files) // 3
    for text in mixed:
        tree = ast.parse(text)
        imported: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    name = alias.asname or alias.name
                    origin = f"{node.module}.{alias.name}"
                    # training.utils and training.utils.config export the same classes
                    origin = origin.replace("training.utils.config.", "training.utils.").replace("training.utils.rl.", "training.utils.")
                    assert imported.setdefault(name, origin) == origin, (name, origin, imported[name])


def test_the_scaled_family_keeps_its_density() -> None:
    family = lc.scaled_family(13, 64 * 1024, 4)
    base, one, four = (len(family[k]) for k in ("base", "x1", "x4"))
    assert 40 * 1024 <= one <= 80 * 1024
    assert 3.8 <= (four - base) / (one - base) <= 4.2
    for text in family.values():
        ast.parse(text)
    assert family["x1"].count("cfg.infra.") > 100


def test_the_config_lines_file_is_the_one_of_issue_13() -> None:
    text = lc.config_lines_file(20_000)
    assert 1.2e6 < len(text) < 1.5e6
    assert len(re.findall(r"^c\d{5} = Config\(.*infra=INFRA.*\)$", text, re.M)) == 20_000
    ast.parse(text)


def test_a_command_past_its_timeout_is_stopped_and_reported() -> None:
    # In a child process: importing run.py makes the importer the reaper of orphans.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import run\n"
        "s = run.measure(['sleep', '30'], timeout=0.5)\n"
        "print(s.timed_out, round(s.wall))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(BENCH.parent)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "1"] or proc.stdout.split() == ["True", "0"]


@pytest.mark.slow
def test_quick_runs_the_legacy_dense_parts(tmp_path: Path) -> None:
    """--quick on the new parts, with the ftmigrate of this venv (no bench venv, no ruff)."""
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--venv", sys.prefix, "--corpus-dir", str(tmp_path), "--only", "dense", "--only", "big", "--only", "huge"],
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    out = proc.stdout
    found = re.search(r"legacy-dense corpus: (\d+) files, (\d+) KB, (\d+) findings", out)
    assert found and int(found.group(1)) > 3 and int(found.group(3)) > 2 * int(found.group(2)), out
    assert "every changed file compiles" in out
    for command in ("ast.parse (the floor)", "libcst.parse_module", "ftmigrate lint", "ftmigrate rewrite --unsafe-fixes", "ftmigrate rewrite --check"):
        assert f"\n{command} " in out, command
    for target in (
        r"lint legacy-dense vs ast floor", r"rewrite --unsafe-fixes legacy-dense vs ast floor", r"moonshot",
        r"lint legacy-dense: wall/\(CPU/2\)", r"rewrite legacy-dense: wall/\(CPU/2\)", r"lint legacy-dense peak memory",
        r"lint one \d+ KB legacy file, wall", r"rewrite --unsafe-fixes one \d+ KB legacy file, wall",
        r"lint CPU, 4x larger file", r"rewrite CPU, 4x larger file", r"lint 160 Config lines", r"rewrite 160 Config lines",
    ):
        assert re.search(rf"^\s*{target}.*(PASS|FAIL|info)", out, re.M), target
    assert (tmp_path / "dense-quick" / "corpus.json").exists()
