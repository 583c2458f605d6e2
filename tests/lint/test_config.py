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

_CODES = st.sampled_from([*registry(), "FTM0", "FTM", "FTM9", "ALL", "FTM999", "FTM0x", "ftm001", "E501", "", "FTM001 "])
_MODULES = st.sampled_from(["vendored", "mypkg.cookbook", "a.b.c", "training", "training.x", "my-pkg", "1abc", "a..b", "a.", "pkg\n", "_x"])
_GLOBS = st.sampled_from(["build/**", "*.py", "tests/", "!keep.py", ""])
_JUNK = st.one_of(st.integers(), st.booleans(), st.none(), st.text(max_size=5), st.floats(allow_nan=False))


def _values(key: str) -> st.SearchStrategy:
    items = {"exclude": _GLOBS, "legacy-modules": _MODULES}.get(key, _CODES)
    valid = st.lists(items, max_size=4)
    return st.one_of(valid, valid, st.lists(st.one_of(items, _JUNK), max_size=3), _JUNK, items)


_KEYS = ["select", "extend-select", "ignore", "exclude", "legacy-modules", "per-file-ignores", "target"]
_OTHER_KEYS = ["extend_select", "Select", "bogus", "per_file_ignores"]


@st.composite
def tables(draw) -> dict:
    table = {}
    for key in draw(st.lists(st.sampled_from(_KEYS + _OTHER_KEYS * (draw(st.integers(0, 5)) == 0)), unique=True, max_size=6)):
        if key == "per-file-ignores":
            table[key] = draw(st.one_of(st.dictionaries(_GLOBS, st.one_of(st.lists(_CODES, max_size=3), _JUNK), max_size=3), _JUNK))
        elif key == "target":
            table[key] = draw(st.one_of(st.just("2026-06"), st.just("2025-01"), _JUNK))
        else:
            table[key] = draw(_values(key) if key in _KEYS else _JUNK)
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
    ],
)
def test_typical_tables_are_read_without_pydantic(text: str) -> None:
    table = tomllib.loads(text)
    assert config._lean_settings(table, SOURCE) == config._pydantic_settings(table, SOURCE)


def test_the_repositorys_own_table_is_read_without_pydantic() -> None:
    table = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["ftmigrate"]
    assert config._lean_settings(table, REPO / "pyproject.toml") is not None
