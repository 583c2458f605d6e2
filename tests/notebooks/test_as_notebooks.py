"""Every ``.py`` fixture of every codemod, cut into cells at its top-level statement boundaries
and written as a Jupyter notebook (a title, outputs with an image, execution counts, metadata),
rewrites as the ``.py`` does:

* the notebook's code cells, joined, are the ``.py`` rewrite of the joined cells, line for
  line (but for the blank lines a ``.py`` rewrite leaves at the end of a cell: a cell that
  ended without a newline still does);
* everything but the code cells' sources is left as it was (outputs, counts, ids, metadata,
  the markdown cell), and nbformat validates the result;
* each diagnostic is the ``.py``'s, at the same text: the cell line it names holds the line
  the ``.py`` diagnostic names; a TODO comment lands in the diagnostic's own cell;
* a second run changes nothing.

The one exception is a rewrite that cannot be written into cells: a module-level
``setup_infra`` ported with ``--unsafe-fixes`` wraps the statements after it in
``try: ... finally: service.close()``, and a ``try`` cannot span cells. The notebook is then
reported (one line naming the cell) and left byte for byte as it was.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import nbformat
import pytest

from tests.helpers import run as run_py
from tests.notebooks.helpers import cells_of, code_cells, joined, notebook, outside_sources, run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = sorted(FIXTURES.glob("*/*.before.py"))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name.removesuffix('.before.py')}"


@pytest.mark.parametrize("before", CASES, ids=_id)
def test_a_fixture_as_a_notebook_rewrites_as_the_py(before: Path) -> None:
    cells = cells_of(before.read_text())
    source = joined(cells)
    data = notebook(cells)
    expected = run_py(source, path="case.py")
    got = run(data, path="case.ipynb")
    if got.error is not None and "cannot be rewritten" in got.error:
        # Only a rewrite that reaches across cells may be refused, and then nothing is written.
        assert "try:" in expected.code and "finally:" in expected.code, got.error
        assert got.data == data
        assert all(not d.fixed for d in got.diagnostics)
        return
    assert got.error == expected.error
    new_cells = code_cells(got.data)
    assert _code_lines(joined(new_cells)) == _code_lines(expected.code)
    assert all(not c.endswith("\n") for c in new_cells)
    nbformat.validate(nbformat.reads(got.data.decode(), as_version=4))
    assert outside_sources(got.data) == outside_sources(data)
    assert len(new_cells) == len(cells)

    # The same findings, at the same text.
    assert Counter((d.code, d.message, d.fixed) for d in got.diagnostics) == Counter(
        (d.code, d.message, d.fixed) for d in expected.diagnostics
    )
    py_lines = source.splitlines()
    for d in got.diagnostics:
        assert d.cell is not None
        cell_lines = cells[d.cell - 2].splitlines()  # cell 1 is the title
        text = cell_lines[d.line - 1]
        assert any(py_lines[e.line - 1] == text and e.code == d.code for e in expected.diagnostics), (d, text)
        if d.todo_line is not None:
            assert f"(ftmigrate explain {d.code})" in new_cells[d.cell - 2].splitlines()[d.todo_line - 1]
    assert sum(d.todo_line is not None for d in got.diagnostics) == sum(d.todo_line is not None for d in expected.diagnostics)

    again = run(got.data, path="case.ipynb")
    assert again.data == got.data, "a second run changed the notebook"


def _code_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]
