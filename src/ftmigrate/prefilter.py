"""Decide from a file's bytes, before any parsing, whether it can hold a legacy use.

Every rule resolves names through imports, so a file can only hold a finding if it imports
from a checked module root (the cookbook's ``training`` package, or a vendored root listed in
``legacy-modules``). The check is two cheap steps: a substring search for the root names (C
speed, rejects almost every file), then, only on the files that contain one, a regular
expression for an import statement that imports the root itself (``import training.utils``,
``from training import x``), not a module that merely has it in its dotted name
(``import fireworks.training``, ``from fireworks import training``, ``from .training import
x``): real projects are full of those, and each one let through costs a LibCST parse.

It may say yes to a file without findings (a docstring line that reads ``from training import
x``), never no to a file with one: the property tests check that over generated import
statements in every syntactic form, and that on code made only of imports it is exact.

One finding needs no checked root: a vendored copy of the cookbook imported from a module that
``legacy-modules`` does not list (FTM067). Such an import names ``InfraConfig`` (the class
every legacy provisioning call takes) in the file's import header, so a file is also let
through when its first ``HINT_WINDOW`` bytes hold ``HINT``: one bounded search, a few
microseconds a file, and a name too specific to let look-alikes through.

And one kind of finding needs no import at all: a legacy field read on a Config that another
module of the project built (``LEGACY_ATTRIBUTES``).
"""

from __future__ import annotations

import re

DEFAULT_ROOTS = ("training",)

#: The name an unlisted vendored copy's import is recognised by, and how far into a file it is
#: looked for (the import header; ``LegacyReferences`` reports only imports there, so the two
#: agree).
HINT = b"InfraConfig"
HINT_WINDOW = 8192
#: Legacy fields read on a Config built in another module of the project (a test of
#: ``configs/base.py`` that reads ``cfg.infra.region``, ``cfg.policy_job_id``): such a file need
#: not import the cookbook, so it is let through on these spellings too (one regex, about as
#: fast as a substring search), and reported only where the value is known to come from a
#: project module that imports the cookbook. Only spellings nothing else uses: the SDK's own
#: objects have ``.trainer_job_id``, ``.reference_job_id``, ``.trainer_timeout_s`` and
#: ``.trainer_replica_count`` (its 226 KB client would be parsed for nothing in every venv).
LEGACY_ATTRIBUTE_SPELLINGS = (b".weight_sync.", b".hotload.", b".infra.", b".policy_job_id", b".ref_training_shape_id")
LEGACY_ATTRIBUTES = re.compile(b"|".join(re.escape(s) for s in LEGACY_ATTRIBUTE_SPELLINGS))

_NEWLINE = rb"(?:\r\n?|\n)"  # lone CR too: CPython reads it as a line end
_CONTINUATION = rb"\\" + _NEWLINE
#: Whitespace within a logical line, backslash continuations included.
_GAP = rb"(?:[ \t\f]|" + _CONTINUATION + rb")+"
#: Where a statement can start: the start of the file (after a BOM), of a line, after ``;``,
#: or after the ``:`` of a compound statement written on one line (``if x: import training``);
#: then indentation, and lines that hold only a continuation.
_START = rb"(?:\A(?:\xef\xbb\xbf)?|(?<=[\r\n;:]))[ \t\f]*(?:" + _CONTINUATION + rb"[ \t\f]*)*"


class Prefilter:
    """``prefilter(data)``: may these bytes import from a checked root?"""

    def __init__(self, legacy_modules: tuple[str, ...] = ()) -> None:
        self._roots = sorted({*DEFAULT_ROOTS, *(m.split(".", 1)[0] for m in legacy_modules)})
        self._needles = tuple(r.encode() for r in self._roots)
        self._compiled: re.Pattern[bytes] | None = None

    @property
    def roots(self) -> tuple[bytes, ...]:
        """The module roots looked for; a file without any of them is never parsed."""
        return self._needles

    @property
    def _import(self) -> re.Pattern[bytes]:
        """The regex for an import statement of a root; compiled when a file first holds a
        root's name (a clean pre-commit run never needs it)."""
        if self._compiled is None:
            names = rb"(?:" + b"|".join(re.escape(r.encode()) for r in self._roots) + rb")\b"
            self._compiled = re.compile(
                _START
                + rb"(?:from"
                + _GAP
                + names
                # ``import a, b as c, training.x``: the root is the first name or follows a
                # comma (an import statement holds no string, bracket or comment before its end).
                + rb"|import"
                + _GAP
                + rb"(?:(?:"
                + _CONTINUATION
                + rb"|[^\r\n;#])*?,(?:[ \t\f]|"
                + _CONTINUATION
                + rb")*)?"
                + names
                + rb")"
            )
        return self._compiled

    def __call__(self, data: bytes) -> bool:
        """True when ``data`` may hold a finding (so it must be parsed)."""
        return self.imports_root(data) or data.find(HINT, 0, HINT_WINDOW) != -1 or LEGACY_ATTRIBUTES.search(data) is not None

    def imports_root(self, data: bytes) -> bool:
        """True when ``data`` may import from a checked root."""
        for needle in self._needles:
            at = data.find(needle)
            # The root's name is on the logical line where its import statement starts (an
            # import cannot put a module name in brackets), so only those lines are searched:
            # a regex over the whole file costs more than everything else here.
            while at != -1:
                start = _logical_line_start(data, at)
                end = _line_end(data, at)
                if self._import.search(data, start, end) is not None:
                    return True
                at = data.find(needle, end)
        return False


def _line_end(data: bytes, at: int) -> int:
    end = data.find(b"\n", at)
    if end == -1:
        end = len(data)
    cr = data.find(b"\r", at, end)  # bounded: most files hold no CR at all
    return end if cr == -1 else cr


def _line_start(data: bytes, at: int) -> int:
    start = data.rfind(b"\n", 0, at) + 1
    return data.rfind(b"\r", start, at) + 1 or start


def _logical_line_start(data: bytes, at: int) -> int:
    """Where the logical line holding ``data[at]`` starts: after the last line end, moved back
    over the lines that end in a backslash continuation (a string's trailing backslash moves it
    back too: a longer search, never a missed import)."""
    start = _line_start(data, at)
    while start:
        end = start - 1  # the line end before ``start``: LF, CR or CRLF
        if data[end] == 0x0A and end and data[end - 1] == 0x0D:
            end -= 1
        if not end or data[end - 1] != 0x5C:  # backslash
            break
        start = _line_start(data, end - 1)
    return start


def not_python_source(data: bytes) -> str | None:
    """Why these bytes cannot be Python source at all (so cannot hold a legacy use), or None.

    CPython reads source as UTF-8 or as the encoding its coding cookie names, and refuses NUL
    bytes: UTF-16 and UTF-32 text (with a byte-order mark, or without one, when it is full of
    NULs) and binary files are never run as Python. The prefilter cannot see an import in them
    (the root names are spelled with NULs in between), so they would pass as clean; they are
    reported as skipped instead. Two C-speed checks per file.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 or UTF-32 text (a byte-order mark), which Python cannot run; convert it to UTF-8 to have it checked"
    if b"\x00" in data:
        return "holds NUL bytes (a binary file, or UTF-16/UTF-32 text without a byte-order mark), which Python cannot run; not checked"
    return None
