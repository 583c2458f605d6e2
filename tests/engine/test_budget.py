"""The per-file time budget, and the cost of pathological files.

A file built to be slow becomes one result, "too slow to analyse (over N s); skipped, left as
it is", and the run goes on: through the cooperative ``budget.check()`` where the analysis calls
it, and through the engine's hard backstop where it does not (today's LibCST analysis never
does). The linearity tests hold the cost of the two known quadratic shapes to the file's size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ftmigrate import budget, engine
from ftmigrate.rules import registry
from ftmigrate.transform import Options

LEGACY_IMPORT = b"from training.utils import InfraConfig\n"


def assignments(n: int) -> bytes:
    """A legacy import and ``n`` assignments to one name (quadratic in LibCST's scope pass)."""
    return LEGACY_IMPORT + b"".join(b"x = InfraConfig(region='r%d')\n" % i for i in range(n))


def comparisons(n: int) -> bytes:
    """A legacy import and one expression of ``n`` chained comparisons."""
    return LEGACY_IMPORT + b"x = " + b" < ".join(b"a%d" % i for i in range(n)) + b"\n"


def _settings(seconds: float | None, mode: str = "lint") -> engine.RunSettings:
    enabled = frozenset(code for code, rule in registry().items() if rule.default)
    return engine.RunSettings(options=Options(mode=mode, enabled=enabled), file_budget=seconds)


# --- the Deadline object ----------------------------------------------------------------------


def test_deadline_checks_are_cheap_and_raise_once_spent() -> None:
    roomy = budget.Deadline(60)
    start = time.perf_counter()
    for _ in range(100_000):
        roomy.check()
        budget.check()
    assert time.perf_counter() - start < 1.0  # well under a microsecond each
    deadline = budget.Deadline(0.05)
    time.sleep(0.06)
    with pytest.raises(budget.TooSlow) as caught:
        deadline.check()
    assert caught.value.message == "too slow to analyse (over 0.05 s); skipped, left as it is"
    budget.Deadline(0).check()  # 0: no budget
    assert budget.Deadline(None).unlimited


def test_module_check_follows_the_armed_deadline() -> None:
    budget.check()  # outside the engine: never expires
    with budget.armed(budget.Deadline(0.01)):
        time.sleep(0.02)
        with pytest.raises(budget.TooSlow):
            budget.check()
    budget.check()


def test_budget_from_the_environment() -> None:
    assert budget.seconds_from_env({}) == budget.DEFAULT_SECONDS
    assert budget.seconds_from_env({"FTMIGRATE_FILE_BUDGET": "2.5"}) == 2.5
    assert budget.seconds_from_env({"FTMIGRATE_FILE_BUDGET": "0"}) == 0
    for bad in ("soon", "-1", "nan", "inf"):
        with pytest.raises(ValueError, match="is not a number of seconds"):
            budget.seconds_from_env({"FTMIGRATE_FILE_BUDGET": bad})


# --- the engine turns it into one result --------------------------------------------------------


def test_cooperative_check_becomes_the_files_result(monkeypatch: pytest.MonkeyPatch) -> None:
    # An analysis that checks its deadline in its loop (as the new resolver will).
    def slow(data, path, settings):
        while True:
            budget.check()

    monkeypatch.setattr(engine, "_process", slow)
    start = time.monotonic()
    result, new = engine.process_source(assignments(1), "slow.py", _settings(0.2))
    assert time.monotonic() - start < 3.0  # 0.2 s, and a loaded machine
    assert (result.status, result.error, new) == ("error", "too slow to analyse (over 0.2 s); skipped, left as it is", None)
    assert not result.internal


def test_backstop_stops_an_analysis_that_never_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    def stuck(data, path, settings):  # pure Python that never calls budget.check()
        n = 0
        while True:
            n += 1

    monkeypatch.setattr(engine, "_process", stuck)
    start = time.monotonic()
    result, new = engine.process_source(assignments(1), "stuck.py", _settings(0.3))
    elapsed = time.monotonic() - start
    assert result.error == "too slow to analyse (over 0.3 s); skipped, left as it is" and new is None
    assert elapsed < budget.hard_limit(0.3) + engine.STOP_GRACE_S + 1
    # The next file is processed normally (on a fresh thread if the old one was left behind).
    monkeypatch.undo()
    result, _ = engine.process_source(assignments(1), "next.py", _settings(5))
    assert result.status != "error", result.error


@pytest.mark.slow
def test_a_pathological_file_costs_one_line_in_a_real_run(tmp_path: Path) -> None:
    # A file that costs several seconds (400,000 assignments, linear but large) under a budget
    # of a fraction of one: it is cut off with one line; the other file is processed; nothing
    # stalls.
    slow = assignments(400_000)
    (tmp_path / "slow.py").write_bytes(slow)
    (tmp_path / "ok.py").write_bytes(LEGACY_IMPORT + b"InfraConfig()\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["FTMIGRATE_FILE_BUDGET"] = "0.5"  # ok.py takes a few ms, slow.py seconds
    for command in ("lint", "rewrite"):
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "ftmigrate", command, "--jobs", "1", "."], cwd=tmp_path, capture_output=True, env=env, timeout=60)
        out = proc.stdout.decode()
        assert time.monotonic() - start < 30, command
        assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr
        prefix = "./slow.py: FTM901 error: " if command == "lint" else "./slow.py: error: "
        assert f"{prefix}too slow to analyse (over 0.5 s); skipped, left as it is" in out.splitlines(), out
        if command == "lint":
            assert any(line.startswith("./ok.py:2:1: FTM001") for line in out.splitlines()), out
        else:
            assert "1 file(s) changed" in out and b"TrainerConfig" in (tmp_path / "ok.py").read_bytes()
    assert (tmp_path / "slow.py").read_bytes() == slow


# --- cost linear in the file's size -------------------------------------------------------------


def _lint_seconds(data: bytes, tmp_path: Path, limit: float) -> float:
    """Wall time of a real ``ftmigrate lint`` of ``data`` with no budget; ``limit`` past it
    the run is killed and counted as taking ``inf``."""
    path = tmp_path / f"case{len(data)}.py"
    path.write_bytes(data)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["FTMIGRATE_FILE_BUDGET"] = "0"
    start = time.monotonic()
    try:
        subprocess.run([sys.executable, "-m", "ftmigrate", "lint", "--jobs", "1", str(path)], capture_output=True, env=env, timeout=limit)
    except subprocess.TimeoutExpired:
        return float("inf")
    return time.monotonic() - start


def _baseline(tmp_path: Path) -> float:
    """What starting ftmigrate and linting a trivial legacy file costs (subtracted)."""
    return min(_lint_seconds(LEGACY_IMPORT + b"x = 1\n" * (i + 1), tmp_path, 60) for i in range(2))


#: Cost may grow this much faster than the size before the test calls it superlinear: wide
#: enough for a loaded 2-core CI machine, far below the quadratic (64x at 8x the size).
SLACK = 3.0
#: A run is killed (and counted as too slow) past this: the quadratic cases fail within it
#: instead of running for minutes; a linear engine needs a few seconds for the largest case.
KILL_AFTER_S = 45.0


@pytest.mark.slow
def test_many_assignments_to_one_name_cost_linear_time(tmp_path: Path) -> None:
    base = _baseline(tmp_path)
    small = max(_lint_seconds(assignments(2000), tmp_path, KILL_AFTER_S) - base, 0.05)
    assert small < KILL_AFTER_S, "N=2000 alone took too long"
    for n in (8000, 16000):
        ratio = n / 2000
        allowed = small * ratio * SLACK
        cost = _lint_seconds(assignments(n), tmp_path, min(base + allowed + 5, KILL_AFTER_S)) - base
        assert cost <= allowed, f"N={n}: {cost:.1f} s, linear would be about {small * ratio:.1f} s"


@pytest.mark.slow
def test_long_chained_comparison_costs_linear_time(tmp_path: Path) -> None:
    base = _baseline(tmp_path)
    small = max(_lint_seconds(comparisons(5000), tmp_path, KILL_AFTER_S) - base, 0.05)
    assert small < KILL_AFTER_S, "5,000 comparisons alone took too long"
    allowed = small * 10 * SLACK
    cost = _lint_seconds(comparisons(50000), tmp_path, min(base + allowed + 5, KILL_AFTER_S)) - base
    assert len(comparisons(50000)) > 200_000
    assert cost <= allowed, f"50,000 comparisons: {cost:.1f} s, linear would be about {small * 10:.1f} s"


def test_a_stop_that_lands_after_its_file_ended_is_not_a_traceback(monkeypatch) -> None:
    # The backstop stops a file's parse thread with an asynchronous exception. When the file
    # ended meanwhile, it lands between tasks, in the thread's own loop: the thread must take it
    # quietly (it is abandoned already), not print "Exception in thread ftmigrate-parse".
    import queue
    import threading

    from ftmigrate.engine import _BigStack

    uncaught = []
    monkeypatch.setattr(threading, "excepthook", lambda args: uncaught.append(args.exc_type))
    worker = _BigStack(os.getpid())
    worker._stop()  # pending: it fires when the thread next runs Python code, after get()
    reply: queue.SimpleQueue = queue.SimpleQueue()
    worker.tasks.put((lambda: (1,), (), reply))
    worker.tasks.put(None)
    worker.thread.join(timeout=10)
    assert not worker.thread.is_alive()
    assert uncaught == []


def test_a_processed_file_leaves_no_cycle_for_the_collector() -> None:
    # Files are processed with the cyclic collector off; what a file leaves in reference cycles
    # (scopes and their bindings, plans that point back at their pass) would make the next
    # collection traverse its whole tree. Each pass breaks its cycles: reference counting frees
    # it all, in lint and in a rewrite of several passes.
    import gc

    from ftmigrate import engine
    from ftmigrate.rules import registry
    from ftmigrate.transform import Options

    data = (Path(__file__).resolve().parents[2] / "fixtures/setup_infra/nested_in_method.before.py").read_bytes()
    for mode in ("lint", "rewrite"):
        settings = engine.RunSettings(options=Options(mode=mode, enabled=frozenset(registry()), unsafe=True), file_budget=0)
        engine.process_source(data, "case.py", settings)  # imports and caches, made once
        gc.collect()
        gc.disable()
        try:
            result, new = engine.process_source(data, "case.py", settings)
            assert result.diagnostics and (new is not None) == (mode == "rewrite")
            del result, new
            assert gc.collect() == 0, mode
        finally:
            gc.enable()
