"""Decide from a file's bytes, before any parsing, whether it can hold a legacy use.

Every rule resolves names through imports, so a file can only hold a finding if it imports
from a checked module root (the cookbook's ``training`` package, or a vendored root listed in
``legacy-modules``). The check is two cheap steps: a substring search for the root names (C
speed, rejects almost every file), then a regular expression for an import statement whose
first module component is one of them. It may say yes to a file without findings (a comment
that reads "from training import"), never no to a file with one: the property tests check that
over generated import statements.
"""

from __future__ import annotations

import re

DEFAULT_ROOTS = ("training",)


class Prefilter:
    def __init__(self, legacy_modules: tuple[str, ...] = ()) -> None:
        roots = sorted({*DEFAULT_ROOTS, *(m.split(".", 1)[0] for m in legacy_modules)})
        self._needles = tuple(r.encode() for r in roots)
        names = b"|".join(re.escape(r.encode()) for r in roots)
        gap = rb"(?:[ \t\f]|\\\r?\n)+"  # whitespace within a logical line, continuations too
        self._import = re.compile(
            rb"\bfrom" + gap + rb"(?:" + names + rb")\b"
            rb"|\bimport" + gap + rb"(?:\\\r?\n|[^\r\n;#])*?\b(?:" + names + rb")\b"
        )

    def __call__(self, data: bytes) -> bool:
        """True when ``data`` may import from a checked root (so it must be parsed)."""
        if not any(n in data for n in self._needles):
            return False
        return self._import.search(data) is not None
