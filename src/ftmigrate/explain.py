"""``ftmigrate explain CODE``: a rule's documentation, generated from its class.

Sections as in ``ruff rule``: what it does, why it matters, an example (the rule's first
INVALID case, and what ``ftmigrate rewrite`` makes of it), what to use instead, fix safety,
the target surfaces it applies to, related codes (both directions: the ones this rule names and the ones naming it), and the page
of the agent skill that covers the code in depth.
"""

from __future__ import annotations

import textwrap

from ftmigrate.rules import registry

#: Pages of the agent skill (``skills/ftmigrate/references/``) and the codes each covers.
SKILL_REFERENCES: dict[str, tuple[str, ...]] = {
    "lifecycle.md": ("FTM040", "FTM041", "FTM042", "FTM043", "FTM053", "FTM054", "FTM055", "FTM086", "FTM087"),
    "targets.md": ("FTM072", "FTM080", "FTM081", "FTM082", "FTM083", "FTM084", "FTM085", "FTM086", "FTM087"),
    "cadence-fields.md": ("FTM011", "FTM012", "FTM013", "FTM014", "FTM015", "FTM032", "FTM062"),
    "service-rewrite.md": ("FTM050", "FTM051", "FTM052", "FTM053", "FTM054", "FTM055", "FTM056", "FTM060", "FTM061", "FTM064"),
}

#: Section titles, in order (tests check them).
SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Fix safety", "Targets", "Related", "More")


def example_after(rule: type, index: int = 0) -> str | None:
    """What ``ftmigrate rewrite`` makes of the rule's example (computed, never written twice)."""
    example = rule.INVALID[index]
    if example.after is not None:
        return example.after
    if rule.fix == "none" and rule.codemod in ("engine", "transform"):
        return None
    from ftmigrate.engine import RunSettings, process_source
    from ftmigrate.transform import Options

    options = Options(
        mode="rewrite",
        enabled=frozenset(registry()),
        unsafe=example.unsafe or rule.fix == "unsafe",
        vendored_roots=example.legacy_modules,
    )
    # A rule of a later target only is shown at that target.
    target = rule.example_target(example)
    settings = RunSettings(options=options, legacy_modules=example.legacy_modules, target=target)
    _, new = process_source(example.before.encode(), "example.py", settings)
    return new.decode() if new is not None else None


def related(code: str) -> list[str]:
    """Codes linked to ``code``: those its rule names first, then those whose rules name it."""
    rules = registry()
    own = [c for c in rules[code].related if c in rules]
    back = [c for c, rule in rules.items() if code in rule.related and c not in own and c != code]
    return own + back


def references(code: str) -> list[str]:
    """The skill's reference pages that cover ``code``."""
    return [page for page, codes in SKILL_REFERENCES.items() if code in codes]


def explain(code: str) -> str:
    """The documentation of ``code`` as plain text (raises KeyError for an unknown code)."""
    rules = registry()
    rule = rules[code]
    what, why = rule.sections()
    out = [f"{rule.code} ({rule.name})", "", "What it does", "\n\n".join(_wrap(p) for p in [what, *rule.details()]), ""]
    if why:
        out += ["Why it matters", _wrap(why), ""]
    if rule.INVALID:
        out += ["Example"]
        if rule.INVALID[0].legacy_modules:
            listed = ", ".join(f'"{m}"' for m in rule.INVALID[0].legacy_modules)
            out += [f"    # with [tool.ftmigrate] legacy-modules = [{listed}]"]
        out += [textwrap.indent(rule.INVALID[0].before.rstrip(), "    "), ""]
        after = example_after(rule)
        if after is not None:
            flag = " --unsafe-fixes" if rule.fix == "unsafe" or rule.INVALID[0].unsafe else ""
            out += [f"After `ftmigrate rewrite{flag}`", textwrap.indent(after.rstrip(), "    "), ""]
    out += ["Use instead", _wrap(rule.replacement), "", "Fix safety", _wrap(rule.fix_safety())]
    out += ["", "Targets", _wrap(rule.targets_text())]
    links = related(code)
    if links:
        out += ["", "Related", _wrap(", ".join(f"{c} ({rules[c].name})" for c in links))]
    pages = references(code)
    if pages:
        where = " and ".join(f"references/{page}" for page in pages)
        out += ["", "More", _wrap(f"{where} of the ftmigrate agent skill (`ftmigrate skill` prints its folder).")]
    return "\n".join(out)


def _wrap(text: str) -> str:
    # Never break inside a code name (FTM001 (infra-config) would split at the hyphen).
    return textwrap.fill(
        text, width=88, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False, break_long_words=False
    )
