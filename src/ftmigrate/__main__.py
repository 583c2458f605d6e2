"""Entry point. Kept lean: the lint fast path runs before typer, rich or libcst are imported."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from ftmigrate import _signals

    previous = _signals.install()
    try:
        code = _main(argv)
    except _signals.Interrupted as exc:
        code = _signals.report(exc)
    except BrokenPipeError:  # `ftmigrate lint . | head`: the reader has all it wanted
        _silence_stdout()
        return 1
    except Exception as exc:  # noqa: BLE001  (a bug: still one line, never a traceback)
        from ftmigrate.report import visible

        detail = visible(" ".join(str(exc).split()))
        sys.stderr.write(f"ftmigrate: internal error: {type(exc).__name__}: {detail} (please report it)\n")
        return 2
    finally:
        _signals.restore(previous)  # main() called in-process (tests, embedding) leaves no trace
    if argv is None and _signals.reported:
        _signals.exit_now(code)  # the program itself (not main() called in-process): end now
    return code


def _main(argv: list[str] | None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] == "lint":
        from ftmigrate.fastpath import lint_fast

        code = lint_fast(args[1:])
        if code is not None:
            return code
    from ftmigrate.cli import run

    return run(args)


def _silence_stdout() -> None:
    import os

    try:  # Python flushes stdout at exit: point it at /dev/null so that flush cannot fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    import os

    # `python -m ftmigrate` puts the current folder first on sys.path: in a user's project their
    # own typer.py or rich.py would be imported -- run -- in place of ours. ftmigrate never
    # imports the code it reads.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    sys.exit(main())
