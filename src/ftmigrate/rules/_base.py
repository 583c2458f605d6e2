"""What a rule is: one class whose docstring and examples are its documentation and its tests.

The detection (and the fix) lives in the codemod named by ``codemod``; the rule class carries
everything a person reads: ``ftmigrate rules``, ``ftmigrate explain CODE``, the SARIF rule
metadata and the agent skill are all generated from it. ``INVALID`` examples must produce the
code (and, when ``after`` is given, rewrite to exactly that); ``VALID`` examples must not.
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass
from typing import ClassVar

from ftmigrate.api.targets import TARGETS


@dataclass(frozen=True)
class Example:
    """A snippet that triggers the rule, and what ``ftmigrate rewrite`` makes of it."""

    before: str
    after: str | None = None
    #: Rewrite with ``--unsafe-fixes`` to get ``after``.
    unsafe: bool = False
    #: ``[tool.ftmigrate] legacy-modules`` the example needs (a vendored copy's roots).
    legacy_modules: tuple[str, ...] = ()
    #: The target the example is linted and rewritten at (None: the rule's, see ``Rule.example_target``).
    target: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "before", textwrap.dedent(self.before).lstrip("\n"))
        if self.after is not None:
            object.__setattr__(self, "after", textwrap.dedent(self.after).lstrip("\n"))


class Rule:
    """Base class; subclasses are collected by :func:`ftmigrate.rules.registry`."""

    code: ClassVar[str]
    #: Short kebab-case name, as in ruff (``infra-config``).
    name: ClassVar[str]
    #: ``safe``, ``unsafe`` or ``none`` (lint only / needs a person).
    fix: ClassVar[str]
    #: The codemod module (in ``codemods/``) that detects it.
    codemod: ClassVar[str]
    #: What to write instead (the "Use instead" section).
    replacement: ClassVar[str]
    #: Off unless selected explicitly (``--select``).
    default: ClassVar[bool] = True
    related: ClassVar[tuple[str, ...]] = ()
    #: The target surfaces (``--target`` / ``[tool.ftmigrate] target``) at which the rule
    #: applies; every target unless a rule says otherwise (e.g. a 2026-08 upgrade rule).
    targets: ClassVar[tuple[str, ...]] = TARGETS
    INVALID: ClassVar[tuple[Example, ...]] = ()
    VALID: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def summary(cls) -> str:
        """The docstring's first paragraph, on one line (a summary wrapped over two lines is
        still one sentence: ``rules``, JSON and SARIF show it whole)."""
        doc = inspect.cleandoc(cls.__doc__ or "")
        return " ".join(doc.split("\n\n", 1)[0].split())

    @classmethod
    def sections(cls) -> tuple[str, str]:
        """(what it does, why it matters) from the docstring's paragraphs."""
        doc = inspect.cleandoc(cls.__doc__ or "")
        paragraphs = [p.strip() for p in doc.split("\n\n") if p.strip()]
        what = " ".join(paragraphs[0].split()) if paragraphs else ""
        why_parts = [p for p in paragraphs[1:] if p.startswith("Why")]
        why = " ".join(why_parts[0].removeprefix("Why:").split()) if why_parts else ""
        return what, why[:1].upper() + why[1:]

    @classmethod
    def details(cls) -> list[str]:
        """The paragraphs between the first one and the "Why:" one (how the rule works, what it
        does at each target), each on one line."""
        doc = inspect.cleandoc(cls.__doc__ or "")
        paragraphs = [" ".join(p.split()) for p in doc.split("\n\n") if p.strip()]
        return [p for p in paragraphs[1:] if not p.startswith("Why")]

    @classmethod
    def targets_text(cls) -> str:
        """Which targets the rule applies to, in words (``ftmigrate rules`` / ``explain``)."""
        if tuple(cls.targets) == TARGETS:
            return f"Every target ({', '.join(TARGETS)})."
        only = ", ".join(cls.targets)
        return f"Only at target {only} (`--target {cls.targets[0]}`)." if len(cls.targets) == 1 else f"Targets {only}."

    @classmethod
    def example_target(cls, example: Example | None = None) -> str:
        """The target an example of the rule runs at: its own, else the default target when the
        rule applies there, else the rule's first target."""
        from ftmigrate.api.targets import DEFAULT_TARGET

        if example is not None and example.target is not None:
            return example.target
        return DEFAULT_TARGET if DEFAULT_TARGET in cls.targets else cls.targets[0]

    @classmethod
    def fix_safety(cls) -> str:
        if cls.fix == "safe":
            return "Safe: `ftmigrate rewrite` applies it by default; behaviour is unchanged."
        if cls.fix == "unsafe":
            return (
                "Unsafe: it changes structure or resource lifecycle, so `ftmigrate rewrite` applies"
                " it only with `--unsafe-fixes`, and leaves a TODO wherever judgment remains."
            )
        return "No automatic fix: a person decides. `ftmigrate rewrite` leaves a TODO comment."
