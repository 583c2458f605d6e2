"""Helpers for the reliability tests: temp trees, the real CLI in a subprocess, file snapshots.

Every test here runs ``python -m ftmigrate`` as a user would, and checks the files on disk
byte for byte (and by mtime, inode and mode) afterwards.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

#: A legacy file and what ``ftmigrate rewrite`` makes of it (rules 1: rename and keywords).
LEGACY = b'from training.utils import InfraConfig\n\ncfg = InfraConfig(region="us-ohio-1", trainer_timeout_s=60)\n'
REWRITTEN = b'from training.utils import TrainerConfig\n\ncfg = TrainerConfig(region="us-ohio-1", timeout_s=60)\n'
#: A file with nothing to migrate.
CLEAN = b'"""Nothing legacy here."""\n\nimport os\n\nprint(os.sep)\n'
#: What a bad file holds so that the byte prefilter lets it through to the parser.
LEGACY_IMPORT = b"from training.utils import InfraConfig\n"


@dataclass
class Run:
    """A finished ``ftmigrate`` process."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return (self.out + self.err).splitlines()

    def about(self, name: str) -> list[str]:
        """The report lines about the file or folder ``name`` (relative to the run's cwd)."""
        prefixes = (f"./{name}:", f"{name}:")
        return [line for line in self.lines if line.startswith(prefixes)]


def env() -> dict[str, str]:
    """The environment of a user's shell: no CI hint, no pytest leftovers."""
    out = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CI", "FORCE_COLOR", "HYPOTHESIS_PROFILE")}
    out["PYTHONDONTWRITEBYTECODE"] = "1"
    return out


def ftmigrate(*args: str | os.PathLike, cwd: Path, timeout: float = 600, **kw: object) -> Run:
    """Run ``python -m ftmigrate ARGS`` in ``cwd``; a traceback on any stream fails the test."""
    proc = subprocess.run(
        [sys.executable, "-m", "ftmigrate", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        env=env(),
        timeout=timeout,
        **kw,  # type: ignore[arg-type]
    )
    run = Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
    return run


@dataclass(frozen=True)
class State:
    """What must not change on a file ftmigrate leaves alone."""

    data: bytes
    mtime_ns: int
    ctime_ns: int
    inode: int
    mode: int


def state(path: Path) -> State:
    st = path.lstat()
    data = path.read_bytes() if stat.S_ISREG(st.st_mode) and st.st_mode & 0o444 else b""
    return State(data, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode)


def state_as_root(path: Path) -> State:
    """``state`` even of a file whose mode forbids reading (the tests run as root)."""
    st = path.lstat()
    data = b""
    if stat.S_ISREG(st.st_mode):
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read()
    return State(data, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode)


def temp_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob(".*.ftmigrate.tmp"))


def rewrite_in_process(data: bytes, path: str = "case.py") -> bytes:
    """What ``ftmigrate rewrite`` (default rules, safe fixes) should write for ``data``,
    computed by the engine in this process -- independently of the CLI under test."""
    from ftmigrate.engine import RunSettings, process_source
    from ftmigrate.rules import registry
    from ftmigrate.transform import Options

    enabled = frozenset(code for code, rule in registry().items() if rule.default)
    result, new = process_source(data, path, RunSettings(options=Options(mode="rewrite", enabled=enabled)))
    assert result.error is None, result.error
    return data if new is None else new


# --------------------------------------------------------------------------------------------
# Running without the power to ignore file permissions (the sandbox runs as root).

NOBODY = 65534
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER = 1, 2, 3
_PR_CAPBSET_DROP = 24


def _drop_dac_capabilities() -> None:  # runs in the child, between fork and exec
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@dataclass(frozen=True)
class Unprivileged:
    """How to start a process that file permission bits apply to, and the uid it runs as."""

    uid: int
    how: str
    popen: dict

    @property
    def other_uid(self) -> int:
        """A uid that is not the process's (to own files it must not write)."""
        return 0 if self.uid == NOBODY else NOBODY


def _probe(popen: dict, probe: Path) -> bool:
    try:
        proc = subprocess.run(
            [sys.executable, "-c", f"open({str(probe)!r}).read()"], capture_output=True, timeout=120, env=env(), **popen
        )
    except OSError:  # the interpreter itself is out of reach of that user
        return False
    return proc.returncode != 0 and b"PermissionError" in proc.stderr


def find_unprivileged(folder: Path) -> Unprivileged | None:
    """``nobody`` when it can run this interpreter, else root without the capabilities that
    bypass permission bits (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER), else None."""
    if os.geteuid() != 0:
        return Unprivileged(os.geteuid(), "the current user", {})
    probe = folder / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        nobody = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
        if _probe(nobody, probe):
            return Unprivileged(NOBODY, "user nobody", nobody)
        caps = {"preexec_fn": _drop_dac_capabilities}
        if _probe(caps, probe):
            return Unprivileged(0, "root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH/CAP_FOWNER", caps)
        return None
    finally:
        probe.unlink()


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary folder every user can reach (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="ftmigrate-rel-", dir="/tmp" if os.path.isdir("/tmp") else None))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                os.chmod(path, 0o777 if path.is_dir() else 0o666)
        shutil.rmtree(folder)


@pytest.fixture
def unprivileged(shared_tmp: Path) -> Unprivileged:
    found = find_unprivileged(shared_tmp)
    if found is None:
        pytest.skip("no way to run a process that file permissions apply to (not as nobody, not by dropping capabilities)")
    return found
