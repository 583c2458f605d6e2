"""bench/run.py stays runnable (its measurements are not tests: no timing is asserted anywhere)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def test_the_benchmark_script_parses_its_command_line() -> None:
    proc = subprocess.run([sys.executable, str(BENCH), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "--quick" in proc.stdout and "--rounds" in proc.stdout
