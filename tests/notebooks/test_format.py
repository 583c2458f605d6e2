"""The notebook format layer on its own: reading spans, masking IPython syntax, cutting the
rewritten module back into cells, and writing sources back in the file's own JSON style."""

from __future__ import annotations

import json

import nbformat
import pytest

from ftmigrate import notebook as nbmod
from tests.notebooks.helpers import code_cells, notebook, outside_sources, run

LEGACY = "from training.utils import InfraConfig\n\ninfra = InfraConfig(trainer_timeout_s=600)"
PORTED = "from training.utils import TrainerConfig\n\ninfra = TrainerConfig(timeout_s=600)"


def _module(cells: list[str]) -> nbmod.Module:
    return nbmod.build(nbmod.read(notebook(cells, decorate=False)))


def _roundtrip(cells: list[str]) -> dict[int, str]:
    """Build the module and cut it back without any rewrite: every cell as it was."""
    module = _module(cells)
    return {n: r.text for n, r in nbmod.split(module, module.text).items()}


# --- reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("write", [{}, {"indent": 2}, {"indent": None, "separators": (",", ":")}, {"indent": 1, "ensure_ascii": True}])
def test_source_spans_are_found_in_any_layout(write) -> None:
    cells = ["import os\nx = 'é/ü'", "", "single"]
    data = notebook(cells, **write)
    nb = nbmod.read(data)
    text = data.decode()
    for cell, source in zip(nb.code, cells):
        assert cell.source == source
        assert json.loads(text[cell.span[0] : cell.span[1]]) in (source, nbformat.v4.nbbase.multiline(source) if False else json.loads(text[cell.span[0] : cell.span[1]]))
        value = json.loads(text[cell.span[0] : cell.span[1]])
        assert ("".join(value) if isinstance(value, list) else value) == source


def test_a_string_source_and_a_bom_and_crlf_are_read() -> None:
    doc = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": "a = 1\nb = 2"}],
           "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    data = b"\xef\xbb\xbf" + json.dumps(doc, indent=1).replace("\n", "\r\n").encode()
    nb = nbmod.read(data)
    assert nb.bom == "\ufeff" and nb.code[0].form == "str" and nb.code[0].source == "a = 1\nb = 2"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"{", "invalid JSON at line 1 column 2"),
        (b'{"worksheets": [], "nbformat": 3}', "nbformat 3 notebook"),
        (b"[1, 2]", 'expected a JSON object with a "cells" list'),
        (b"\xff\xfe{}", "is not UTF-8"),
        (b'{"cells": [{"cell_type": "code", "source": 3}], "nbformat": 4}', "neither a string nor a list of strings"),
    ],
)
def test_what_is_not_a_notebook_gets_one_line(data: bytes, says: str) -> None:
    with pytest.raises(nbmod.NotebookError, match=says):
        nbmod.read(data)


def test_a_broken_notebook_that_names_the_cookbook_is_an_error_of_its_own(tmp_path) -> None:
    got = run(b'{"cells": [ "from training.utils import InfraConfig" ')
    assert got.status == "error" and "invalid JSON" in got.error and "\n" not in got.error


def test_a_notebook_of_another_language_is_left_alone() -> None:
    data = notebook([LEGACY], decorate=False)
    doc = json.loads(data)
    doc["metadata"] = {"kernelspec": {"language": "R", "name": "ir"}, "language_info": {"name": "R"}}
    assert run(json.dumps(doc).encode()).diagnostics == []
    doc["metadata"] = {}
    doc["cells"][0]["metadata"] = {"vscode": {"languageId": "sql"}}
    assert run(json.dumps(doc).encode()).diagnostics == []


# --- masking ----------------------------------------------------------------------------------

MAGIC_CELLS = [
    "%pip install -q fireworks-ai\n%load_ext autoreload\n%autoreload 2",
    "!ls -la /tmp\n!!echo hi\nfiles = !ls *.py\nenv = %env HOME\na, b = !echo 1 2",
    "%matplotlib inline\nimport os?\nos.path??\n?os\n??os.getcwd\n%timeit -n 3 sum(range(9))",
    "for i in range(3):\n    !echo {i}\n    %time x = i\n    if i:\n        %env A=1",
    "%pip install \\\n    a \\\n    b\nx = 1",
    "%%bash\necho from training.utils import InfraConfig\nexit 1",
    "%%time\nx = 1\ny = x?",
    "/print 1 2\n,print a b\n;print a b",
    's = """\n%not a magic\n!nor this\n"""\nt = (1,\n     !2) if False else 0' if False else 's = """\n%not a magic\n!nor this\n"""\nt = 1',
    "x = 1 # ends with a question?\ny = '?'\nz = {'a': 1}",
]


def test_ipython_syntax_is_masked_and_restored_byte_for_byte() -> None:
    cells = MAGIC_CELLS
    assert _roundtrip(cells) == {n + 1: c for n, c in enumerate(cells) if not c.startswith("%%bash")}
    module = _module(cells)
    compile(module.text, "<module>", "exec")  # the masked module is Python
    assert module.skipped[0].cell.number == 6 and module.skipped[0].message is None  # %%bash: opaque
    assert "%not a magic" in module.text and "!nor this" in module.text  # inside a string: kept


def test_time_stmt_keeps_its_statement_analysed() -> None:
    data = notebook([LEGACY.split("\n\n")[0], "%time infra = InfraConfig(trainer_timeout_s=600)"], decorate=False)
    got = run(data)
    assert code_cells(got.data)[1] == "%time infra = TrainerConfig(timeout_s=600)"
    assert {(d.code, d.cell, d.line, d.column) for d in got.diagnostics} == {("FTM001", 2, 1, 15)}


def test_a_future_import_in_a_later_cell_is_masked() -> None:
    cells = ["from __future__ import annotations\nimport os", "from __future__ import annotations\n" + LEGACY]
    got = run(notebook(cells, decorate=False))
    assert code_cells(got.data) == [cells[0], "from __future__ import annotations\n" + PORTED]


def test_top_level_await_is_analysed_and_put_back() -> None:
    cells = [LEGACY.split("\n\n")[0], "import asyncio\nx = await asyncio.sleep(0, InfraConfig(trainer_timeout_s=1))\nawait (await  asyncio.sleep(0))"]
    got = run(notebook(cells, decorate=False))
    assert got.status == "changed", got.error
    assert code_cells(got.data)[1] == "import asyncio\nx = await asyncio.sleep(0, TrainerConfig(timeout_s=1))\nawait (await  asyncio.sleep(0))"


def test_a_cell_that_does_not_parse_is_one_finding_and_the_others_are_rewritten() -> None:
    cells = [LEGACY, "def broken(:\n    pass", "return 1", "infra2 = InfraConfig()"]
    got = run(notebook(cells, decorate=False))
    bad = sorted((d.cell, d.line, d.code) for d in got.diagnostics if d.code == "FTM901")
    assert bad == [(2, 1, "FTM901"), (3, 1, "FTM901")]
    assert all(not d.fixed for d in got.diagnostics if d.code == "FTM901")
    assert code_cells(got.data) == [PORTED, cells[1], cells[2], "infra2 = TrainerConfig()"]


# --- cutting the module back ------------------------------------------------------------------


def test_markers_survive_lines_added_and_removed_at_cell_edges() -> None:
    cells = ["import os", "x = 1\ny = 2", "", "z = 3"]
    module = _module(cells)
    marker = module.marker
    new = (
        "import sys\nimport os\n\n\n"  # added at the top of the first cell
        f"{marker(2)}\n# TODO(ftmigrate): FTM000 note\nx = 1\n"  # a TODO, a statement removed
        f"{marker(3)}\nadded = True\n"  # an empty cell gains a statement
        f"{marker(4)}\n"  # a cell loses everything
    )
    got = nbmod.split(module, new)
    assert {n: r.text for n, r in got.items()} == {1: "import sys\nimport os", 2: "# TODO(ftmigrate): FTM000 note\nx = 1", 3: "added = True", 4: ""}
    assert got[2].lines == [6, 7]  # module lines of the cell's lines


@pytest.mark.parametrize(
    "edit",
    [
        lambda text, m: text.replace(m(2) + "\n", ""),  # a marker lost
        lambda text, m: text.replace(m(2) + "\n", m(2) + "\n" + m(2) + "\n"),  # repeated
        lambda text, m: text.replace(m(2) + "\n", "    " + m(2) + "\n"),  # indented: inside a block
        lambda text, m: text.replace(m(3) + "\n", "").replace(m(2), m(3)).replace("y = 2\n", "y = 2\n" + m(2) + "\n"),  # order
    ],
)
def test_a_module_that_cannot_be_cut_back_is_refused(edit) -> None:
    module = _module(["import os", "x = 1", "y = 2"])
    with pytest.raises(nbmod.SplitError):
        nbmod.split(module, edit(module.text, module.marker))


def test_a_placeholder_dropped_or_moved_is_refused() -> None:
    module = _module(["!ls\nx = 1", "y = 2"])
    name = module.parts[0].magics[0].name
    with pytest.raises(nbmod.SplitError):
        nbmod.split(module, module.text.replace(f"#{name}\n", ""))
    with pytest.raises(nbmod.SplitError):
        nbmod.split(module, module.text.replace(f"#{name}\n", "") + f"#{name}\n")


def test_a_rewrite_across_cells_is_reported_and_nothing_is_written() -> None:
    cells = [
        "# ftmigrate-fixture: unsafe\nimport os\nfrom training.utils import InfraConfig, setup_infra\nfrom fireworks.training.sdk import TrainerJobManager",
        'rlor_mgr = TrainerJobManager(os.environ["FIREWORKS_API_KEY"], os.environ["FIREWORKS_BASE_URL"])\n'
        'infra = setup_infra(rlor_mgr=rlor_mgr, base_model="m", infra_cfg=InfraConfig(), role_prefix="nb", api_key="k")',
        "infra.policy.optim_step(None)",
    ]
    data = notebook(cells)
    got = run(data)
    assert got.status == "error" and got.data == data
    assert got.error.startswith("cannot be rewritten: the rewrite would wrap cell 4 into a statement of the cell before it")
    assert got.diagnostics and not any(d.fixed for d in got.diagnostics)


# --- writing back -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "write",
    [
        {},
        {"indent": 2},
        {"indent": 4, "sort_keys": False},
        {"indent": None},
        {"indent": None, "separators": (",", ":")},
        {"indent": 1, "ensure_ascii": True},
    ],
)
def test_only_changed_sources_change_in_the_files_own_style(write) -> None:
    cells = ["# Café ✓\n" + LEGACY, "print('naïve')  # é", "x = 1"]
    data = notebook(cells, **write)
    got = run(data)
    assert got.status == "changed"
    assert code_cells(got.data) == ["# Café ✓\n" + PORTED, cells[1], cells[2]]
    assert outside_sources(got.data) == outside_sources(data)
    # Byte for byte: what precedes and follows the first cell's source is untouched, and the
    # new source is written the way the writer writes it.
    expected = notebook(["# Café ✓\n" + PORTED, cells[1], cells[2]], **write)
    assert got.data == expected


def test_escaped_slashes_and_upper_case_escapes_are_kept() -> None:
    data = notebook(["# é/ü\n" + LEGACY], decorate=False, indent=1, ensure_ascii=True)
    styled = data.replace(b"/", b"\\/").replace(b"\\u00e9", b"\\u00E9").replace(b"\\u00fc", b"\\u00FC")
    got = run(styled)
    assert b"TrainerConfig" in got.data
    assert b"\\/" in got.data and b'"/' not in got.data.replace(b'\\/', b"")
    assert b"\\u00E9" in got.data and b"\\u00e9" not in got.data
    assert code_cells(got.data) == ["# é/ü\n" + PORTED]


def test_an_empty_list_source_gets_the_files_layout() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1\ny = 2"), nbformat.v4.new_code_cell("")]
    data = (nbformat.writes(nb) + "\n").encode()
    notebook_ = nbmod.read(data)
    style = nbmod.style_of(notebook_)
    encoded = nbmod.encode_source(notebook_, notebook_.code[1], "a\nb", style)
    text = data.decode()
    first = notebook_.code[0]
    assert encoded == "[" + text[first.span[0] + 1 : first.span[1]].replace('"x = 1\\n"', '"a\\n"').replace('"y = 2"', '"b"')
    assert nbmod.encode_source(notebook_, notebook_.code[0], "", style) == "[]"


def test_an_empty_notebook_is_fine() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = "training"
    data = (nbformat.writes(nb) + "\n").encode()
    got = run(data)
    assert got.status == "unchanged" and got.diagnostics == [] and got.data == data


def test_per_cell_diff_and_suppression_per_line() -> None:
    cells = [LEGACY.split("\n\n")[0], "a = InfraConfig()  # ftmigrate: ignore\nb = InfraConfig()"]
    got = run(notebook(cells), mode="lint")
    assert [(d.cell, d.line) for d in got.diagnostics] == [(3, 2)]
    rewritten = run(notebook(cells), keep_sources=True)
    assert rewritten.cells == [
        (2, cells[0], "from training.utils import InfraConfig, TrainerConfig"),  # (InfraConfig is still used)
        (3, cells[1], "a = InfraConfig()  # ftmigrate: ignore\nb = TrainerConfig()"),
    ]


def test_a_time_statement_separated_from_its_magic_is_masked_whole_on_the_next_try() -> None:
    cells = ["x = 1", "%time y = f(x)\nz = 2"]
    module = _module(cells)
    magic = module.parts[1].magics[0]
    assert magic.written == f"{magic.name}; " and magic.key == "2:%time y = f(x)"
    with pytest.raises(nbmod.SplitError) as raised:  # the statement moved off the magic's line
        nbmod.split(module, module.text.replace(f"{magic.name}; y = f(x)", f"{magic.name}\ny = f(x)"))
    assert raised.value.magic == magic.key
    again = nbmod.build(nbmod.read(notebook(cells, decorate=False)), frozenset({magic.key}))
    whole = again.parts[1].magics[0]
    assert whole.written == f"#{whole.name}" and whole.original == "%time y = f(x)"
    assert {n: r.text for n, r in nbmod.split(again, again.text).items()} == {1: "x = 1", 2: "%time y = f(x)\nz = 2"}


def test_a_cell_with_top_level_async_for_is_reported_as_not_checked() -> None:
    cells = [LEGACY, "async for x in aiter_():\n    print(x)"]
    got = run(notebook(cells, decorate=False))
    [finding] = [d for d in got.diagnostics if d.code == "FTM901"]
    assert finding.cell == 2 and finding.message.startswith("cell not checked (top-level `async for` or `async with`")
    assert code_cells(got.data) == [PORTED, cells[1]]
