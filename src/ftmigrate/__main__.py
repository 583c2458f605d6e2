"""Entry point. Kept lean: the lint fast path runs before typer, rich or libcst are imported."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] == "lint":
        from ftmigrate.fastpath import lint_fast

        code = lint_fast(args[1:])
        if code is not None:
            return code
    from ftmigrate.cli import run

    return run(args)


if __name__ == "__main__":
    import os

    # `python -m ftmigrate` puts the current folder first on sys.path: in a user's project their
    # own typer.py or rich.py would be imported -- run -- in place of ours. ftmigrate never
    # imports the code it reads.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    sys.exit(main())
