"""Each rule's examples are its test cases: INVALID ones produce the code (and, when an
``after`` is given, rewrite to exactly it), VALID ones do not. The documentation `ftmigrate
explain` prints is generated from the same classes, so docs and behaviour cannot drift."""

from __future__ import annotations

import pytest

from ftmigrate.rules import registry
from tests.helpers import run

RULES = registry()
INVALID = [(code, i) for code, rule in RULES.items() for i in range(len(rule.INVALID))]
VALID = [(code, i) for code, rule in RULES.items() for i in range(len(rule.VALID))]


@pytest.mark.parametrize(("code", "index"), INVALID, ids=[f"{c}-{i}" for c, i in INVALID])
def test_invalid_example_is_reported(code: str, index: int) -> None:
    example = RULES[code].INVALID[index]
    roots = example.legacy_modules or None
    target = RULES[code].example_target(example)
    result = run(example.before, mode="lint", legacy_modules=roots, target=target)
    assert code in {d.code for d in result.diagnostics}, result.diagnostics
    if example.after is not None:
        assert run(example.before, unsafe=example.unsafe, legacy_modules=roots, target=target).code == example.after


@pytest.mark.parametrize(("code", "index"), VALID, ids=[f"{c}-{i}" for c, i in VALID])
def test_valid_example_is_not_reported(code: str, index: int) -> None:
    import textwrap

    source = textwrap.dedent(RULES[code].VALID[index]).lstrip("\n")
    result = run(source, mode="lint", target=RULES[code].example_target())
    assert code not in {d.code for d in result.diagnostics}, result.diagnostics


def test_every_rule_is_documented() -> None:
    for code, rule in RULES.items():
        what, why = rule.sections()
        assert code.startswith("FTM") and len(code) == 6
        assert rule.fix in ("safe", "unsafe", "none"), code
        assert what and why, f"{code}: the docstring needs a summary and a 'Why:' paragraph"
        assert rule.replacement, code
        assert all(r in RULES for r in rule.related), code
        names = [r.name for r in RULES.values()]
        assert names.count(rule.name) == 1, f"duplicate rule name {rule.name}"


def test_every_reported_code_has_examples() -> None:
    """Codes a codemod can report have at least one INVALID example (FTM099 is off by default
    and FTM901 needs a broken file: both are covered by CLI tests)."""
    exempt = {"FTM099", "FTM901"}
    for code, rule in RULES.items():
        if code not in exempt:
            assert rule.INVALID, f"{code} has no INVALID example"


def test_codemods_declare_the_codes_they_report() -> None:
    from ftmigrate.codemods import CODEMODS

    declared = {code for codemod in CODEMODS for code in codemod.CODES}
    documented = {code for code, rule in RULES.items() if rule.codemod not in ("engine", "transform")}
    assert declared == documented
