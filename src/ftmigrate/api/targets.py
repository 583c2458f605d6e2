"""The target surfaces ftmigrate knows, oldest first (standard library only, imports nothing).

The configuration loader validates ``target = "..."`` against this tuple on the lean lint path,
so it must stay free of imports; everything else about a target is in :mod:`ftmigrate.api.profiles`.
"""

#: Every target surface, oldest first. Each one after the first is the one before it plus its
#: recorded differences (``profiles.DIFFERENCES``).
TARGETS = ("2026-06", "2026-08")

#: What ``mount()``, ``lint`` and ``rewrite`` use when no target is named.
DEFAULT_TARGET = "2026-06"


def check_target(target: object) -> str:
    """Return ``target`` if it names a known target, else raise ``ValueError`` naming them all."""
    if not isinstance(target, str) or target not in TARGETS:
        known = ", ".join(repr(t) for t in TARGETS)
        raise ValueError(f"unknown target {target!r}: expected one of {known}")
    return target
