"""What the speed work must not change: the LibCST speedup returns what LibCST would, and a lint
that parses loads LibCST without its codemod framework (which only rewrites need)."""

from __future__ import annotations

import subprocess
import sys

import libcst.metadata as meta
import pytest
from libcst._batched_visitor import BatchableCSTVisitor

from ftmigrate import _libcst_speedups, transform  # noqa: F401  (transform installs the speedup)

#: LibCST's batchable metadata providers (the others walk the tree with a visitor of their own).
PROVIDERS = [
    p for p in vars(meta).values()
    if isinstance(p, type) and issubclass(p, BatchableCSTVisitor) and not p.__name__.startswith("Base")
]


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.__name__)
def test_cached_visitor_methods_are_libcsts(provider) -> None:
    assert len(PROVIDERS) >= 3
    if _libcst_speedups._original is None:
        pytest.skip("this LibCST's get_visitors is not the one the speedup replaces")
    for _ in range(2):  # the first call fills the cache, the second reads it
        instance = provider.__new__(provider)  # some need a cache to be built; not to list methods
        assert instance.get_visitors() == _libcst_speedups._original(instance)


def imported(args: list[str], cwd) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ftmigrate", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    return {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:") and "|" in line}


def test_a_lint_that_parses_leaves_libcst_codemod_unloaded(tmp_path) -> None:
    (tmp_path / "old.py").write_text("from training.utils import InfraConfig\n\nInfraConfig(region='x')\n")
    names = imported(["lint", "old.py"], tmp_path)
    assert "libcst" in names and "ftmigrate.transform" in names  # the probe sees the parse
    assert not {"libcst.codemod", "libcst.matchers"} & names
    # The control: a rewrite that removes an import does load it.
    assert "libcst.codemod" in imported(["rewrite", "--check", "old.py"], tmp_path)
