"""CPU one warm process spends on each file: ``engine.process_source``, repeated, no start-up.

    python bench/inprocess.py [--mode lint|rewrite] [--runs N] FILE...

What the command-line figures cannot separate from a process start: a 65 KB file costs
0.02-0.04 s beyond start-up, inside the start-up's own noise. Here each file is processed once
to warm the imports and caches, then ``--runs`` times on the clock (the median is printed, or the fastest with ``--min``),
with the per-file time budget off and the work on the calling thread.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--mode", choices=("lint", "rewrite"), default="lint")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--min", action="store_true", help="print the fastest run, not the median (steadier on a shared machine)")
    args = parser.parse_args(argv)
    minimum = args.min

    from ftmigrate import engine
    from ftmigrate.rules import registry
    from ftmigrate.transform import Options

    engine._BigStack.get = classmethod(lambda cls: None)  # type: ignore[method-assign]  # (the clock is per thread)
    settings = engine.RunSettings(options=Options(mode=args.mode, enabled=frozenset(registry()), unsafe=True), file_budget=0)
    print(f"{'file':40} {'KB':>6} {'CPU s':>8} {'ms/KB':>7}")
    for path in args.files:
        data = path.read_bytes()
        engine.process_source(data, str(path), settings)
        times = []
        for _ in range(args.runs):
            start = time.process_time()
            engine.process_source(data, str(path), settings)
            times.append(time.process_time() - start)
        cpu = min(times) if minimum else statistics.median(times)
        print(f"{str(path):40} {len(data) / 1024:6.0f} {cpu:8.3f} {cpu * 1000 / (len(data) / 1024):7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
