"""``ftmigrate explain CODE`` for every code ``ftmigrate rules`` lists: all sections, the rule's
own first INVALID case as the example, links in both directions."""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from ftmigrate.explain import SECTIONS, example_after, explain, related
from ftmigrate.rules import registry
from tests.skill.helpers import ftm

RULES = registry()
LISTED = [row["code"] for row in json.loads(ftm("rules", "--format", "json").stdout)]
#: Codes that need configuration or a broken file to show up (tests/rules exempts the same).
NO_EXAMPLE = {"FTM099", "FTM901"}


def _sections(text: str) -> dict[str, str]:
    """Section title -> body (dedented) of an explain output."""
    parts = re.split(r"^(\S[^\n]*)\n(?=    )", text, flags=re.M)
    return {title: textwrap.dedent(body).strip() for title, body in zip(parts[1::2], parts[2::2])}


def test_rules_lists_every_registered_code() -> None:
    assert LISTED == list(RULES)
    assert len(LISTED) >= 35


@pytest.mark.parametrize("code", LISTED)
def test_explain_has_every_section(code: str) -> None:
    rule = RULES[code]
    text = explain(code)
    assert text.splitlines()[0] == f"{code} ({rule.name})"
    sections = _sections(text)
    what, why = rule.sections()
    paragraphs = [what, *rule.details()]  # the summary, then how it works (per target)
    assert sections["What it does"] == "\n\n".join(textwrap.fill(p, 84, break_on_hyphens=False, break_long_words=False) for p in paragraphs)
    assert sections["Why it matters"] and sections["Use instead"] and sections["Fix safety"]
    assert " ".join(sections["Why it matters"].split()) == why
    if code in NO_EXAMPLE:
        assert not rule.INVALID and "Example" not in sections
    else:
        example = rule.INVALID[0]
        shown = textwrap.dedent(example.before).strip()
        if example.legacy_modules:  # the configuration it needs comes first
            listed = ", ".join(f'"{m}"' for m in example.legacy_modules)
            shown = f"# with [tool.ftmigrate] legacy-modules = [{listed}]\n{shown}"
        assert sections["Example"] == shown
        after = example_after(rule)
        if rule.fix != "none" or after is not None:
            assert after is not None and after != rule.INVALID[0].before, f"{code}: the rewrite changes nothing"
            titles = [t for t in sections if t.startswith("After `ftmigrate rewrite")]
            assert titles and sections[titles[0]] == after.strip()
    unknown = set(sections) - set(SECTIONS) - {t for t in sections if t.startswith("After `ftmigrate rewrite")}
    assert not unknown, unknown
    titles = [t for t in sections if not t.startswith("After")]
    assert titles == [t for t in SECTIONS if t in titles], "sections out of order"


def test_every_code_with_examples_has_one() -> None:
    assert {code for code, rule in RULES.items() if not rule.INVALID} == NO_EXAMPLE


@pytest.mark.parametrize("code", LISTED)
def test_related_links_go_both_ways(code: str) -> None:
    links = related(code)
    assert len(links) == len(set(links)) and code not in links
    for other in links:
        assert code in related(other), f"{other} is related to {code} but not the other way round"
    if links:
        listed = _sections(explain(code))["Related"]
        for other in links:
            assert f"{other} ({RULES[other].name})" in " ".join(listed.split())


def test_lifecycle_codes_point_at_the_lifecycle_page() -> None:
    for code in ("FTM041", "FTM042", "FTM053"):
        assert "references/lifecycle.md" in " ".join(_sections(explain(code))["More"].split())


def test_cli_explain_prints_the_same_text_and_takes_lowercase() -> None:
    result = ftm("explain", "ftm041")
    assert result.returncode == 0, result.stderr
    assert result.stdout == explain("FTM041") + "\n"


def test_cli_explain_unknown_code_is_a_one_line_usage_error() -> None:
    result = ftm("explain", "FTM999")
    assert result.returncode == 2
    # one digit off a real code: the closest code is suggested, as ruff suggests a close name
    assert result.stderr == "ftmigrate: error: unknown code 'FTM999' (see `ftmigrate rules`); did you mean 'FTM099'?\n"
