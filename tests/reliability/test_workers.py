"""Faults inside the worker processes of ``engine.run``: a worker that dies (a native crash,
the OOM killer) costs only the file it was on; a RecursionError there is that file's error.

These drive ``engine.run`` in-process (forked workers inherit the patched functions), with the
pool threshold lowered so that a handful of small files goes to workers.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from ftmigrate import engine
from ftmigrate.discovery import discover
from ftmigrate.rules import registry
from ftmigrate.transform import Options
from tests.reliability.conftest import LEGACY, LEGACY_IMPORT, REWRITTEN

_ORIGINAL_CHUNK = engine._process_chunk


def _crashing_chunk(chunk, settings):  # runs in a worker
    if any(path.endswith("crash.py") for _, path, _ in chunk):
        os.kill(os.getpid(), signal.SIGKILL)  # as a native crash or the OOM killer would
    return _ORIGINAL_CHUNK(chunk, settings)


def _chunk_with_pid(chunk, settings):  # runs in a worker; says which process did the work
    out = _ORIGINAL_CHUNK(chunk, settings)
    for _, result, _ in out:
        result.after = str(os.getpid())
    return out


def _settings() -> engine.RunSettings:
    enabled = frozenset(code for code, rule in registry().items() if rule.default)
    return engine.RunSettings(options=Options(mode="rewrite", enabled=enabled), write=True, jobs=2)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
    for i in range(6):
        (tmp_path / f"ok{i}.py").write_bytes(LEGACY)
    return tmp_path


def test_a_worker_that_dies_costs_only_its_file(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "crash.py").write_bytes(LEGACY)
    monkeypatch.setattr(engine, "_process_chunk", _crashing_chunk)
    results = engine.run(list(discover([str(tree)])), _settings())
    by_name = {Path(r.path).name: r for r in results}
    crashed = by_name.pop("crash.py")
    assert crashed.status == "error" and crashed.internal
    assert crashed.error == "ftmigrate crashed while processing it; left as it is, please report it"
    assert (tree / "crash.py").read_bytes() == LEGACY
    for name, result in by_name.items():
        assert result.status == "changed", (name, result.error)
        assert (tree / name).read_bytes() == REWRITTEN


def test_recursion_in_a_worker_is_that_files_error(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "deep.py").write_bytes(LEGACY_IMPORT + b"x = InfraConfig(managed_by='team', region=" + b"-" * 700 + b"1)\n")
    monkeypatch.setattr(engine, "_process_chunk", _chunk_with_pid)
    results = engine.run(list(discover([str(tree)])), _settings())
    by_name = {Path(r.path).name: r for r in results}
    deep = by_name.pop("deep.py")
    assert deep.status == "error" and not deep.internal
    assert deep.error == "nesting too deep to process (Python's recursion limit was reached); left as it is"
    assert deep.after is not None and int(deep.after) != os.getpid()  # it was a worker
    for name, result in by_name.items():
        assert result.status == "changed" and (tree / name).read_bytes() == REWRITTEN, name
