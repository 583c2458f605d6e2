"""``ftmigrate explain CODE``: a rule's documentation, generated from its class.

Sections as in ``ruff rule``: what it does, why it matters, an example (the rule's first
INVALID case, and what ``ftmigrate rewrite`` makes of it), what to use instead, fix safety,
related codes.
"""

from __future__ import annotations

import textwrap

from ftmigrate.rules import registry


def example_after(rule: type, index: int = 0) -> str | None:
    """What ``ftmigrate rewrite`` makes of the rule's example (computed, never written twice)."""
    example = rule.INVALID[index]
    if example.after is not None:
        return example.after
    if rule.fix == "none" and rule.codemod in ("engine", "transform"):
        return None
    from ftmigrate.engine import RunSettings, process_source
    from ftmigrate.transform import Options

    options = Options(mode="rewrite", enabled=frozenset(registry()), unsafe=example.unsafe or rule.fix == "unsafe")
    _, new = process_source(example.before.encode(), "example.py", RunSettings(options=options))
    return new.decode() if new is not None else None


def explain(code: str) -> str:
    rules = registry()
    rule = rules[code]
    what, why = rule.sections()
    out = [f"{rule.code} ({rule.name})", "", "What it does", _wrap(what), ""]
    if why:
        out += ["Why it matters", _wrap(why), ""]
    if rule.INVALID:
        out += ["Example", textwrap.indent(rule.INVALID[0].before.rstrip(), "    "), ""]
        after = example_after(rule)
        if after is not None:
            flag = " --unsafe-fixes" if rule.fix == "unsafe" or rule.INVALID[0].unsafe else ""
            out += [f"After `ftmigrate rewrite{flag}`", textwrap.indent(after.rstrip(), "    "), ""]
    out += ["Use instead", _wrap(rule.replacement), "", "Fix safety", _wrap(rule.fix_safety())]
    if rule.related:
        related = ", ".join(f"{c} ({rules[c].name})" for c in rule.related if c in rules)
        out += ["", "Related", _wrap(related)]
    return "\n".join(out)


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=88, initial_indent="    ", subsequent_indent="    ")
