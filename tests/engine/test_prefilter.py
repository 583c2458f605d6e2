"""The byte prefilter never skips a file that can hold a legacy use.

Every rule resolves names through imports, so a file can only have a finding if it imports
from a checked root; hypothesis writes such imports in every syntactic form Python allows
(continuations, tabs, comma lists, aliases, parentheses, semicolons, nesting) and checks that
the prefilter says yes, and that it agrees with LibCST's own reading of the same source.
"""

from __future__ import annotations

import ast

import libcst as cst
from hypothesis import given, settings
from hypothesis import strategies as st

from ftmigrate.prefilter import Prefilter

ROOTS = ["training", "mypkg"]
names = st.sampled_from(["InfraConfig", "setup_infra", "rl_loop", "WeightSyncConfig", "x"])
GAPS = [" ", "  ", "\t", " \\\n    ", "\\\n", " \t "]
gaps = st.sampled_from(GAPS)
submodules = st.lists(st.sampled_from(["utils", "recipes", "config", "infra", "rl"]), max_size=3)


@st.composite
def imports(draw: st.DrawFn, root: str) -> str:
    module = ".".join([root, *draw(submodules)])
    g = draw(gaps)
    form = draw(st.sampled_from(["from", "from_paren", "import", "import_list", "import_as"]))
    if form == "from":
        stmt = f"from{g}{module}{draw(gaps)}import{g}{draw(names)}"
    elif form == "from_paren":
        stmt = f"from{g}{module} import (\n    {draw(names)},\n    {draw(names)} as alias,\n)"
    elif form == "import":
        stmt = f"import{g}{module}"
    elif form == "import_list":
        stmt = f"import os,{g}sys as system,{g}{module}"
    else:
        stmt = f"import{g}{module}{g}as{g}tu"
    return stmt


@st.composite
def programs(draw: st.DrawFn) -> str:
    stmt = draw(imports(draw(st.sampled_from(ROOTS))))
    place = draw(st.sampled_from(["top", "semicolon", "function", "class", "if", "try", "one_line", "continued", "form_feed"]))
    one_line = "\n" not in stmt
    if place == "semicolon":
        return f"x = 1;{draw(gaps)}{stmt}\n" if one_line else stmt + "\n"
    if place == "one_line":  # a compound statement and its body on one line
        header = draw(st.sampled_from(["if True:", "while False:", "with ctx:"]))
        return f"{header}{draw(st.sampled_from(['', ' ', *GAPS]))}{stmt}\n" if one_line else stmt + "\n"
    if place == "continued":  # the logical line starts with a lone continuation
        return f"\\\n{stmt}\n"
    if place == "form_feed":
        return f"\f{stmt}\n"
    if place == "top":
        return stmt + "\n"
    indented = "\n".join("    " + line if line else line for line in stmt.split("\n"))
    header = {
        "function": "def f():",
        "class": "class C:",
        "if": "if True:",
        "try": "try:",
    }[place]
    tail = "\nexcept ImportError:\n    pass\n" if place == "try" else "\n"
    return f"{header}\n{indented}{tail}"


@settings(max_examples=500, deadline=None)
@given(programs(), st.sampled_from(["", "\ufeff", "# -*- coding: utf-8 -*-\n", '"""doc"""\n']))
def test_never_skips_an_import_of_a_checked_root(program: str, prefix: str) -> None:
    source = prefix + program
    cst.parse_module(source)  # the generated program is valid Python
    for newline in ("\n", "\r\n", "\r"):  # lone CR: CPython reads it as a line end too
        data = source.replace("\n", newline).encode("utf-8")
        assert Prefilter(("mypkg.cookbook",))(data), source


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_skips_text_without_the_root_names(text: str) -> None:
    if "training" in text or "InfraConfig" in text:
        return
    assert not Prefilter()(text.encode("utf-8", "surrogatepass"))


def test_skips_look_alike_imports() -> None:
    prefilter = Prefilter()
    for source in (
        "from fireworks.training.sdk import TrainerJobManager\n",
        "from .training import utils\n",
        "from .. import training\n",
        "from fireworks import training\n",
        "import mytraining.utils\n",
        "import fireworks.training.sdk._core as core\n",
        "import os, fireworks.training\n",
        "import training_utils\n",
        "training_steps = 10  # training loop\n",
        "# from training import TrainerConfig (a comment)\n",
        "print('we import training data')\n",
    ):
        assert not prefilter(source.encode()), source


# Exactness on code made of imports only: every checked root imported (in any form) is found,
# and no look-alike is taken for one. Look-alikes are what real projects are full of (an SDK's
# ``fireworks.training`` package); each false yes costs a LibCST parse.
modules = st.sampled_from([
    "training", "training.utils", "mypkg", "mypkg.cookbook.infra",  # checked roots
    "fireworks.training", "fireworks.training.sdk", "mytraining", "training_data", "trainingx.y", "a.mypkg",
])


@st.composite
def import_statement(draw: st.DrawFn) -> str:
    module = draw(modules)
    g = draw(gaps)
    form = draw(st.sampled_from(["import", "import_as", "import_list", "from", "from_paren", "relative", "from_x_import"]))
    if form == "import":
        return f"import{g}{module}"
    if form == "import_as":
        return f"import{g}{module} as{g}m"
    if form == "import_list":
        return f"import{g}os as o,{g}{module},{g}sys"
    if form == "from":
        return f"from{g}{module}{g}import{g}x"
    if form == "from_paren":
        return f"from {module} import (\n    x,\n    y as z,\n)"
    if form == "relative":
        return f"from .{module} import x"
    return f"from os import{g}{module.split('.')[0]}"  # imports a name, not the module


def imports_a_checked_root(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in ROOTS for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] in ROOTS:
            return True
    return False


@settings(max_examples=500, deadline=None)
@given(st.lists(import_statement(), min_size=1, max_size=4), st.sampled_from(["\n", ";", "; ", "\n\n    \n"]))
def test_exact_on_import_statements(statements: list[str], separator: str) -> None:
    if separator.startswith(";"):
        statements = [s for s in statements if "\n" not in s] or ["import os"]
    source = separator.join(statements) + "\n"
    if separator.startswith("\n\n"):
        source = "if True:\n    " + source
        source = "\n".join(line if line.startswith("if") else "    " + line.lstrip() for line in source.split("\n"))
    try:
        expected = imports_a_checked_root(source)
    except SyntaxError:
        return
    for newline in ("\n", "\r\n", "\r"):
        assert Prefilter(("mypkg.cookbook",))(source.replace("\n", newline).encode()) is expected, source


# The regex runs only on the logical lines that hold a root's name (a whole-file search costs
# more than reading the file). That must change nothing: on any mix of the fragments that matter
# (line ends of every kind, continuations, statement separators, comments), the answer is the
# whole-file search's.
fragments = st.sampled_from([
    "import", "from", "training", "mypkg", "fireworks.", ".", ",", " ", "\t", "\f", ";", ":", "#",
    "\\", "\n", "\r", "\r\n", "\\\n", "\\\r\n", "\\\r", "x", "_", "(", "\ufeff", '"',
])


@settings(max_examples=1000, deadline=None)
@given(st.lists(fragments, max_size=40).map("".join))
def test_searching_lines_equals_searching_the_file(text: str) -> None:
    prefilter = Prefilter(("mypkg.cookbook",))
    data = text.encode()
    assert prefilter(data) is (prefilter._import.search(data) is not None), text


# An unlisted vendored copy (FTM067) is found without a checked root: the prefilter lets a file
# through when its header holds the names such an import needs, and the rule looks no further
# than the prefilter does. Padding of any size (non-ASCII too) before the import, and a
# byte-order mark, must never make the rule report a file the prefilter skipped.
@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 9000),
    st.sampled_from(["x", "é", "日本"]),
    st.sampled_from(["InfraConfig, setup_infra", "create_trainer_job, InfraConfig", "InfraConfig", "setup_infra, ResourceCleanup"]),
    st.sampled_from(["", "\ufeff"]),
)
def test_unlisted_vendored_copy_is_never_skipped(padding: int, char: str, names: str, bom: str) -> None:
    from tests.helpers import run

    filler = ("# " + char * 60 + "\n") * (padding // 60)
    source = f"{bom}{filler}from mylab.vendor.utils import {names}\n"
    data = source.encode()
    found = any(d.code == "FTM067" for d in run(source, mode="lint").diagnostics)
    if found:
        assert Prefilter()(data), (padding, char, names)
    if "," in names and "InfraConfig" in names and len(data) < 4000:
        assert found, source  # a header import of InfraConfig and another legacy name is reported
