"""TODO comments a person can act on: one line of at most 100 characters after the indentation,
saying what to write instead and ending with the command that explains the rest; several on
one statement share one block; a second run neither duplicates nor moves them, and each
diagnostic's ``todo_line`` points at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftmigrate import todo
from tests.helpers import run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
AFTER = sorted(FIXTURES.glob("*/*.after.py"))
TODO_LINE = re.compile(r"^\s*(# TODO\(ftmigrate\): |#   .*\(ftmigrate explain FTM\d{3}\)$)")


@pytest.mark.parametrize("after", AFTER, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_todo_line_of_a_fixture_is_longer_than_100(after: Path) -> None:
    for number, line in enumerate(after.read_text().splitlines(), start=1):
        if TODO_LINE.match(line):
            assert len(line.lstrip()) <= todo.WIDTH, f"{after.name}:{number}: {len(line.lstrip())} characters"
            assert re.search(r"\(ftmigrate explain FTM\d{3}\)$", line), f"{after.name}:{number}: no pointer"


def test_the_fixtures_have_todo_blocks() -> None:
    # The property above is not vacuous: TODOs, and blocks of several, exist in the fixtures.
    lines = [line for after in AFTER for line in after.read_text().splitlines()]
    assert sum(line.lstrip().startswith(todo.PREFIX) for line in lines) > 80
    assert sum(line.lstrip().startswith(todo.CONTINUATION) and "(ftmigrate explain" in line for line in lines) >= 5


@given(st.text(min_size=1, max_size=400), st.integers(20, 80))
def test_an_action_always_fits(text: str, room: int) -> None:
    assert len(todo.action(text, room)) <= room


def test_an_action_is_the_first_sentence_with_long_code_elided() -> None:
    help = 'record the dropped rollout_base_model="accounts/fireworks/models/qwen3-8b-instruct". The deployment serves base_model'
    assert todo.action(help, 54) == 'record the dropped rollout_base_model="accounts/f..."'
    assert todo.action("annotate cfg (e.g. `cfg: rl_loop.Config`) and rerun. Then more", 54) == "annotate cfg (e.g. `cfg: rl_loop.Config`) and rerun"
    assert todo.action("call f(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) with everything set", 40) == "call f(...) with everything set"


SOURCE = """\
from training.recipes import igpo_loop


def go(cfg):
    igpo_loop.main(cfg, cancel_on_exit=True)
"""


def test_several_findings_on_one_statement_share_one_block() -> None:
    first = run(SOURCE)
    lines = first.code.splitlines()
    at = lines.index("    igpo_loop.main(cfg)")
    assert lines[at - 2].startswith("    # TODO(ftmigrate): ") and lines[at - 1].startswith("    #   ")
    left = sorted((d for d in first.diagnostics if d.todo_line), key=lambda d: d.todo_line)
    assert [d.todo_line for d in left] == [at - 1, at]  # todo_line is 1-based: the two block lines
    assert all(lines[d.todo_line - 1].endswith(f"(ftmigrate explain {d.code})") for d in left)
    assert run(first.code).code == first.code  # a second run neither duplicates nor moves them


def test_a_rerun_continues_an_existing_block_and_keeps_old_entries() -> None:
    entries = ["do a (ftmigrate explain FTM041)", "do b (ftmigrate explain FTM042)", "do c (ftmigrate explain FTM060)"]
    # nothing new: nothing written
    assert todo.lines(entries[:2], [todo.PREFIX + entries[0], todo.CONTINUATION + entries[1]]) == []
    # one new: it continues the block right above the statement
    assert todo.lines(entries, [todo.PREFIX + entries[0], todo.CONTINUATION + entries[1]]) == [todo.CONTINUATION + entries[2]]
    # a block that does not end right above the statement is not continued
    assert todo.lines(entries[2:], [todo.PREFIX + entries[0], "# a comment of the user's"]) == [todo.PREFIX + entries[2]]
    # an entry present as the continuation of a block is present
    assert todo.lines(entries[1:2], ["", todo.PREFIX + entries[0], todo.CONTINUATION + entries[1]]) == []
    # a comment that merely looks indented is not a TODO
    assert not todo.is_todo_comment("#   step 2: train")
    assert todo.is_todo_comment("#   do b (ftmigrate explain FTM042)")


def test_locate_finds_block_lines_and_only_them() -> None:
    code = (
        "# TODO(ftmigrate): do a (ftmigrate explain FTM041)\n"
        "#   do b (ftmigrate explain FTM042)\n"
        "x = 1\n"
        "#   do b (ftmigrate explain FTM042)\n"  # not under a TODO line: a comment of the user's
        "y = 2\n"
    )
    assert todo.locate(code) == {"do a (ftmigrate explain FTM041)": [1], "do b (ftmigrate explain FTM042)": [2]}
