"""The lean reading of ``[tool.ftmigrate]`` (no pydantic on the lint fast path) agrees with the
pydantic model, which stays the validator of record."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from ftmigrate import config
from ftmigrate.rules import registry

SOURCE = Path("/project/pyproject.toml")
REPO = Path(__file__).resolve().parents[2]

_GOOD_CODES = st.sampled_from([*registry(), "FTM0", "FTM", "FTM9", "ALL"])
_BAD_CODES = st.sampled_from(["FTM999", "FTM0x", "ftm001", "E501", "", "FTM001 ", "FTM1"])
_GOOD_MODULES = st.sampled_from(["vendored", "mypkg.cookbook", "a.b.c", "_x", "Pkg9"])
_BAD_MODULES = st.sampled_from(["training", "training.x", "my-pkg", "1abc", "a..b", "a.", "pkg\n", ""])
_GLOBS = st.sampled_from(["build/**", "*.py", "tests/", "!keep.py", ""])
_JUNK = st.one_of(st.integers(), st.booleans(), st.text(max_size=5), st.floats(allow_nan=False), st.dictionaries(st.text(max_size=2), st.integers(), max_size=1))

#: A valid value per key, and ways to spoil one.
_GOOD = {
    "select": st.lists(_GOOD_CODES, max_size=4),
    "extend-select": st.lists(_GOOD_CODES, max_size=3),
    "ignore": st.lists(_GOOD_CODES, max_size=3),
    "exclude": st.lists(_GLOBS, max_size=3),
    "legacy-modules": st.lists(_GOOD_MODULES, max_size=3),
    "per-file-ignores": st.dictionaries(_GLOBS, st.lists(_GOOD_CODES, max_size=3), max_size=3),
    "target": st.sampled_from(["2026-06", "2026-08"]),
}


def _spoiled(key: str) -> st.SearchStrategy:
    if key == "per-file-ignores":
        return st.one_of(
            _JUNK,
            st.dictionaries(_GLOBS, st.lists(st.one_of(_GOOD_CODES, _BAD_CODES), min_size=1, max_size=3).filter(lambda c: not all(x in registry() or x in ("FTM0", "FTM", "FTM9", "ALL") for x in c)), min_size=1, max_size=2),
            st.dictionaries(_GLOBS, _JUNK, min_size=1, max_size=1),
        )
    if key == "target":
        return st.one_of(st.just("2025-01"), _JUNK)
    bad_item = _BAD_MODULES if key == "legacy-modules" else _JUNK if key == "exclude" else _BAD_CODES
    good = _GOOD[key]
    return st.one_of(
        _JUNK,
        st.tuples(good, bad_item, good).map(lambda t: [*t[0], t[1], *t[2]]),
        st.tuples(good, _JUNK).map(lambda t: [*t[0], t[1]]),
    )


@st.composite
def tables(draw) -> dict:
    """A valid table, then (usually) exactly one thing wrong with it: the boundary where the
    lean reading and pydantic could disagree."""
    keys = draw(st.lists(st.sampled_from(sorted(_GOOD)), unique=True, max_size=7))
    table = {key: draw(_GOOD[key]) for key in keys}
    spoil = draw(st.sampled_from(["nothing", "value", "value", "value", "key"]))
    if spoil == "value":
        key = draw(st.sampled_from(sorted(_GOOD)))
        table[key] = draw(_spoiled(key))
    elif spoil == "key":
        table[draw(st.sampled_from(["extend_select", "Select", "bogus", "per_file_ignores", "exclude "]))] = draw(st.one_of(_JUNK, _GOOD["select"]))
    return table


@settings(max_examples=400)
@given(tables())
def test_the_lean_reading_accepts_only_what_pydantic_accepts_and_reads_it_the_same(table: dict) -> None:
    lean = config._lean_settings(table, SOURCE)
    try:
        strict = config._pydantic_settings(table, SOURCE)
    except config.ConfigError:
        event("rejected")
        assert lean is None, table
        return
    event("accepted by both" if lean is not None else "accepted by pydantic only")
    if lean is not None:
        assert lean == strict


@pytest.mark.parametrize(
    "text",
    [
        "",
        "select = ['FTM0']\nextend-select = ['FTM099']\nignore = ['FTM031']\n",
        "exclude = ['build/**', 'vendor/']\nper-file-ignores = {'tests/*' = ['FTM0'], 'scripts/x.py' = ['FTM001', 'FTM010']}\n",
        "legacy-modules = ['vendored_cookbook', 'mypkg.training']\ntarget = '2026-06'\n",
        "target = '2026-08'\n",
    ],
)
def test_typical_tables_are_read_without_pydantic(text: str) -> None:
    table = tomllib.loads(text)
    assert config._lean_settings(table, SOURCE) == config._pydantic_settings(table, SOURCE)


def test_the_repositorys_own_table_is_read_without_pydantic() -> None:
    table = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["ftmigrate"]
    assert config._lean_settings(table, REPO / "pyproject.toml") is not None
