"""Killing ftmigrate, in any way, leaves no process behind; Ctrl-C is one line and exit 130.

Real signals on real process trees: ``python -m ftmigrate`` on a few hundred legacy files with
two workers, a signal once its workers run, then ``/proc`` is read (no psutil): every process
that carries this test's marker in its environment (the run, its pool workers, lint's warm
helper, which is not the run's descendant) must be gone within 2 seconds, and whoever reads
the run's stdout must see its end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.reliability.conftest import LEGACY, REWRITTEN, env, temp_files

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc (Linux)")

#: Enough work that two workers are busy for several seconds on a slow machine.
FILES = 300
BODY = LEGACY + b"".join(
    b'cfg%d = InfraConfig(region="us-ohio-%d", trainer_timeout_s=%d)\n' % (i, i, i) for i in range(40)
)


def _marked(mark: str) -> list[int]:
    """Live (not zombie) processes whose environment holds ``mark``."""
    needle = f"FTM_TEST_MARK={mark}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as fh:
                environ = fh.read()
            with open(f"/proc/{entry}/stat", "rb") as fh:
                state = fh.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in environ.split(b"\0") and state not in (b"Z", b"X"):
            found.append(int(entry))
    return found


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(predicate, timeout: float, step: float = 0.02) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@pytest.fixture
def big_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    for i in range(FILES):
        (root / f"m{i:03d}.py").write_bytes(BODY)
    return root


class Run:
    """``python -m ftmigrate ARGS`` started in the background, marked for ``_marked``."""

    def __init__(self, *args: str, cwd: Path, new_session: bool = False) -> None:
        self.mark = uuid.uuid4().hex
        environment = env()
        environment["FTM_TEST_MARK"] = self.mark
        environment.pop("FTMIGRATE_NO_WARM", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ftmigrate", *args],
            cwd=cwd,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=new_session,
            # A shell runs a background job (`.ci/run &`, some CI runners) with SIGINT ignored,
            # and ftmigrate keeps an ignored SIGINT ignored (as `nohup` asks): give the run the
            # default disposition a terminal would, so Ctrl-C is what these tests send.
            preexec_fn=_default_sigint,
        )

    def processes(self) -> list[int]:
        return _marked(self.mark)

    def wait_for_workers(self, count: int, timeout: float = 60) -> None:
        assert _wait_for(lambda: len(self.processes()) >= count, timeout), f"never saw {count} processes: {self.processes()}"
        time.sleep(0.3)  # the workers are busy now

    def finish(self, timeout: float) -> tuple[int, bytes, bytes, float]:
        start = time.monotonic()
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err, time.monotonic() - start

    def cleanup(self) -> None:
        for pid in self.processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()


@pytest.fixture
def runs():
    started: list[Run] = []
    yield started
    for run in started:
        run.cleanup()


def _start(runs: list, *args: str, cwd: Path, new_session: bool = False) -> Run:
    run = Run(*args, cwd=cwd, new_session=new_session)
    runs.append(run)
    return run


def _no_partial_files(tree: Path, killed: bool = False) -> int:
    """Every file holds the old bytes or the new ones (no torn file, no temporary one); the
    number rewritten. ``killed``: the workers died by SIGKILL with their parent, so one may have
    left the temporary file it was writing (nothing can run on SIGKILL): the next run removes it."""
    rewritten = 0
    for path in tree.iterdir():
        if path.name.endswith(".ftmigrate.tmp"):
            continue
        data = path.read_bytes()
        assert data == BODY or data.startswith(REWRITTEN.splitlines(keepends=True)[0]), path
        rewritten += data != BODY
    if killed and temp_files(tree):
        subprocess.run([sys.executable, "-m", "ftmigrate", "lint", "--exit-zero", "."], cwd=tree, capture_output=True, timeout=120, check=True)
    assert temp_files(tree) == []
    return rewritten


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_rewrite_parent_alone_ends_its_workers(big_tree: Path, runs: list, sig: int) -> None:
    run = _start(runs, "rewrite", "--jobs", "2", ".", cwd=big_tree)
    run.wait_for_workers(3)  # the run and two workers
    os.kill(run.proc.pid, sig)
    # Whoever reads stdout (`| tee`, a CI step, pre-commit) sees its end: no worker holds it.
    code, _, err, elapsed = run.finish(timeout=10)
    assert elapsed < 2, elapsed
    assert _wait_for(lambda: not run.processes(), 2), run.processes()
    assert code == -sig if sig == signal.SIGKILL else code == 128 + sig, (code, err)
    if sig == signal.SIGTERM:
        lines = err.decode().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ftmigrate: interrupted; "), err
    _no_partial_files(big_tree, killed=sig == signal.SIGKILL)


def test_ctrl_c_on_rewrite_is_one_line_exit_130_within_a_second(big_tree: Path, runs: list) -> None:
    # A terminal's Ctrl-C reaches the whole process group: the run and its workers.
    run = _start(runs, "rewrite", "--jobs", "2", ".", cwd=big_tree, new_session=True)
    run.wait_for_workers(3)
    sent = time.monotonic()
    os.killpg(run.proc.pid, signal.SIGINT)
    code, out, err, _ = run.finish(timeout=10)
    elapsed = time.monotonic() - sent
    assert code == 130, (code, err)
    assert elapsed < 1.0, elapsed
    lines = err.decode().splitlines()
    assert len(lines) == 1, err
    written = _no_partial_files(big_tree)
    noun = "file" if written == 1 else "files"
    assert lines[0] == f"ftmigrate: interrupted; {written} {noun} written, none partially"
    assert b"Traceback" not in out + err
    assert _wait_for(lambda: not run.processes(), 2), run.processes()


def test_sigint_to_the_rewrite_parent_alone_ends_its_pool(big_tree: Path, runs: list) -> None:
    run = _start(runs, "rewrite", "--jobs", "2", ".", cwd=big_tree)
    run.wait_for_workers(3)
    os.kill(run.proc.pid, signal.SIGINT)
    code, _, err, elapsed = run.finish(timeout=10)
    assert (code, elapsed < 1.0) == (130, True), (code, elapsed, err)
    assert len(err.decode().splitlines()) == 1, err
    assert _wait_for(lambda: not run.processes(), 2), run.processes()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_lint_warm_helper_and_its_workers_end_with_the_run(big_tree: Path, runs: list, sig: int) -> None:
    run = _start(runs, "lint", "--jobs", "2", ".", cwd=big_tree, new_session=True)
    run.wait_for_workers(4)  # the run, the warm helper and its two workers
    sent = time.monotonic()
    if sig == signal.SIGINT:
        os.killpg(run.proc.pid, sig)  # Ctrl-C (the helper is in a session of its own)
    else:
        os.kill(run.proc.pid, sig)
    code, out, err, _ = run.finish(timeout=10)
    assert time.monotonic() - sent < (1.0 if sig == signal.SIGINT else 2.0)
    assert _wait_for(lambda: not run.processes(), 2), run.processes()
    if sig == signal.SIGINT:
        assert code == 130, (code, err)
        assert err.decode().splitlines() == ["ftmigrate: interrupted; 0 files written, none partially"], err
        assert b"Traceback" not in out + err
