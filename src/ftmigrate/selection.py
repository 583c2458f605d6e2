"""Which codes are on: ``--select`` / ``--ignore`` / ``extend-select`` / per-file ignores.

Selectors are full codes (``FTM001``), prefixes (``FTM0``, ``FTM``) or ``ALL``. As in ruff, the
more specific of a matching select and a matching ignore wins; equal specificity: ignore wins.
"""

from __future__ import annotations

import re

_SELECTOR = re.compile(r"^(ALL|FTM[0-9]{0,3})$")


class SelectorError(ValueError):
    """An unknown code or a malformed selector: ``str()`` is a sentence naming it, ``reason``
    the same without the selector (for "invalid value 'X' for '--select': <reason>")."""

    def __init__(self, selector: str, reason: str, verb: str = "is ") -> None:
        self.selector = selector
        self.reason = reason
        super().__init__(f"{selector!r} {verb}{reason}")


def check_selector(selector: str) -> str:
    """Return ``selector`` if valid, else raise :class:`SelectorError` with a one-line reason
    (and the closest code, when one is close)."""
    from ftmigrate.config import did_you_mean
    from ftmigrate.rules import registry

    codes = list(registry())
    if not _SELECTOR.match(selector):
        hint = did_you_mean(selector.upper(), codes, cutoff=0.8)
        raise SelectorError(selector, f"not a code or prefix (expected FTMnnn, FTMn.. or ALL){hint}")
    if len(selector) == 6 and selector not in registry():
        raise SelectorError(selector, f"not a known code (see `ftmigrate rules`){did_you_mean(selector, codes, cutoff=0.8)}")
    if selector != "ALL" and not any(code.startswith(selector) for code in registry()):
        raise SelectorError(selector, "matches no code (see `ftmigrate rules`)", verb="")
    return selector


def _specificity(code: str, selectors: tuple[str, ...]) -> int:
    best = -1
    for s in selectors:
        if s == "ALL":
            best = max(best, 0)
        elif code.startswith(s):
            best = max(best, len(s))
    return best


class Selection:
    """The enabled codes for a run, plus per-file ignores (globs relative to the config root)."""

    def __init__(
        self,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
        per_file_ignores: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        from ftmigrate.rules import registry

        rules = registry()
        enabled = set()
        for code, rule in rules.items():
            if select is None:
                # the default selection is as unspecific as ALL: any matching ignore wins
                sel = max(0 if rule.default else -1, _specificity(code, extend_select))
            else:
                sel = max(_specificity(code, select), _specificity(code, extend_select))
            if sel >= 0 and sel > _specificity(code, ignore):
                enabled.add(code)
        self.enabled = frozenset(enabled)
        self._per_file = [(glob, codes) for glob, codes in (per_file_ignores or {}).items()]
        self._matchers: list | None = None

    def for_file(self, relpath: str | None) -> frozenset[str]:
        """Codes enabled for a file (``relpath`` relative to the config root, POSIX style)."""
        if not self._per_file or relpath is None:
            return self.enabled
        if self._matchers is None:
            from ftmigrate.discovery import compile_globs

            self._matchers = [(compile_globs([glob], "per-file-ignores"), codes) for glob, codes in self._per_file]
        off: set[str] = set()
        for spec, codes in self._matchers:
            if spec.match_file(relpath):
                off.update(c for c in self.enabled if _specificity(c, codes) >= 0)
        return self.enabled - off
