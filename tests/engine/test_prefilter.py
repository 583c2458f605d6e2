"""The byte prefilter never skips a file that can hold a legacy use.

Every rule resolves names through imports, so a file can only have a finding if it imports
from a checked root; hypothesis writes such imports in every syntactic form Python allows
(continuations, tabs, comma lists, aliases, parentheses, semicolons, nesting) and checks that
the prefilter says yes, and that it agrees with LibCST's own reading of the same source.
"""

from __future__ import annotations

import libcst as cst
from hypothesis import given, settings
from hypothesis import strategies as st

from ftmigrate.prefilter import Prefilter

ROOTS = ["training", "mypkg"]
names = st.sampled_from(["InfraConfig", "setup_infra", "rl_loop", "WeightSyncConfig", "x"])
gaps = st.sampled_from([" ", "  ", "\t", " \\\n    ", "\\\n", " \t "])
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
    place = draw(st.sampled_from(["top", "semicolon", "function", "class", "if", "try"]))
    if place == "semicolon":
        return f"x = 1; {stmt}\n" if "\n" not in stmt else stmt + "\n"
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
    for newline in ("\n", "\r\n"):
        data = source.replace("\n", newline).encode("utf-8")
        assert Prefilter(("mypkg.cookbook",))(data), source


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_skips_text_without_the_root_names(text: str) -> None:
    if "training" in text:
        return
    assert not Prefilter()(text.encode("utf-8", "surrogatepass"))


def test_skips_look_alike_imports() -> None:
    prefilter = Prefilter()
    for source in (
        "from fireworks.training.sdk import TrainerJobManager\n",
        "from .training import utils\n",
        "import mytraining.utils\n",
        "training_steps = 10  # training loop\n",
    ):
        assert not prefilter(source.encode()), source
