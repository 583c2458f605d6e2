"""Generated notebooks: the legacy snippets of ``tests/reliability/test_generated`` (recipe
Configs with InfraConfig / WeightSyncConfig in every form, imports every way, placed at module
level or in functions, classes and blocks, ``main()`` with managers), cut into cells at random
top-level statement boundaries, with markdown cells, IPython cells (``%pip``, ``!ls``) and
outputs around them, written in a random JSON style (nbformat's, other indents, compact,
``\\uXXXX`` escapes). For every notebook:

* the rewrite is a notebook ``nbformat.validate`` accepts, with everything but the code cells'
  sources as it was, and the IPython cells untouched;
* its Python cells, joined, are the ``.py`` rewrite of the joined cells, line for line (blank
  lines at the end of a cell aside), with the same findings;
* a second run leaves it alone.
"""

from __future__ import annotations

import json
from collections import Counter

import nbformat
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from tests.helpers import run as run_py
from tests.notebooks.helpers import PNG, cells_of, joined, outside_sources, run
from tests.reliability.test_generated import _consistent_imports, placed, snippets

IPYTHON = ["%pip install -q fireworks-ai", "!ls -la\nfiles = !ls", "%matplotlib inline\n%env A=1", "%load_ext autoreload\n%autoreload 2"]
STYLES = [{}, {"indent": 2}, {"indent": None, "separators": (",", ":")}, {"indent": 1, "ensure_ascii": True}]


@st.composite
def notebooks(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, str]]]:
    """The notebook's bytes, and its cells as (kind, source): "code", "ipython" or "markdown"."""
    count = draw(st.integers(1, 3))
    parts = [draw(snippets(k)) for k in range(count)]
    top: list[str] = []
    lines: list[str] = []
    for snippet, place in parts:
        top += [imp for imp in snippet.top_imports if imp not in top]
        lines += placed(snippet, place)
    assume(_consistent_imports(top))
    source = "\n".join(["import contextlib", *top, "", "RESULTS = []", "", *lines]) + "\n"
    pieces = cells_of(source)
    # Merge some neighbours: cells of several statements.
    cells: list[str] = []
    for piece in pieces:
        if cells and draw(st.integers(0, 3)) == 0:
            cells[-1] += "\n" + piece
        else:
            cells.append(piece)
    out: list[tuple[str, str]] = []
    for cell in cells:
        if draw(st.integers(0, 4)) == 0:
            out.append(("markdown", draw(st.sampled_from(["## Config", "Run the **loop**: `main(cfg)` ✓", ""]))))
        if draw(st.integers(0, 5)) == 0:
            # `files = !ls` is a statement (it binds `files`): above the imports it would end
            # the import block, and a new import would go above it, as in a .py file.
            choices = IPYTHON if any(k == "code" for k, _ in out) else [c for c in IPYTHON if "= !" not in c]
            out.append(("ipython", draw(st.sampled_from(choices))))
        out.append(("code", cell))
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    for k, (kind, text) in enumerate(out):
        if kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(text, id=f"m{k}"))
            continue
        cell = nbformat.v4.new_code_cell(text, id=f"c{k}", execution_count=draw(st.none() | st.integers(1, 99)))
        if draw(st.booleans()):
            cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": PNG}, metadata={})]
        nb.cells.append(cell)
    style = draw(st.sampled_from(STYLES))
    data = (nbformat.writes(nb) if not style else json.dumps(nb, **style)) + draw(st.sampled_from(["\n", ""]))
    return data.encode("utf-8"), out


def _code_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(notebooks())
def test_generated_notebooks_rewrite_like_the_joined_cells(case: tuple[bytes, list[tuple[str, str]]]) -> None:
    data, cells = case
    python = [text for kind, text in cells if kind == "code"]
    source = joined(python)
    note(data.decode())
    expected = run_py(source, path="case.py")
    got = run(data, path="case.ipynb")
    assert got.error == expected.error
    nb = nbformat.reads(got.data.decode(), as_version=4)
    nbformat.validate(nb)
    assert outside_sources(got.data) == outside_sources(data)
    new = [c.source for c in nb.cells if c.cell_type == "code"]
    kinds = [kind for kind, _ in cells if kind != "markdown"]
    assert [s for s, k in zip(new, kinds) if k == "ipython"] == [t for k, t in cells if k == "ipython"]
    assert _code_lines(joined([s for s, k in zip(new, kinds) if k == "code"])) == _code_lines(expected.code)
    assert Counter((d.code, d.message) for d in got.diagnostics) == Counter((d.code, d.message) for d in expected.diagnostics)
    assert run(got.data, path="case.ipynb").data == got.data, "a second run changed the notebook"
