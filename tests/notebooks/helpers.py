"""Notebooks for the tests: a Python source cut into cells, written as Jupyter writes them
(``nbformat``), and run through the engine the way the CLI runs a ``.ipynb``."""

from __future__ import annotations

import ast
import base64
import json
from dataclasses import dataclass

import nbformat

from ftmigrate.api.targets import DEFAULT_TARGET
from ftmigrate.diagnostics import Diagnostic
from ftmigrate.engine import RunSettings, process_file
from ftmigrate.rules import registry
from ftmigrate.transform import Options
from tests.helpers import directives

#: A 1x1 PNG, as a notebook output carries an image (base64).
PNG = base64.b64encode(
    bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                  "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d3a1a30000000049454e44ae426082")
).decode()


def cells_of(source: str) -> list[str]:
    """``source`` cut at its top-level statement boundaries (comments go with the statement
    below them; consecutive imports share a cell), each cell as Jupyter stores it: no blank
    lines around it, no newline after its last line."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    starts: list[int] = []
    kinds: list[bool] = []
    for stmt in tree.body:
        first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", []))]) - 1
        while first > 0 and lines[first - 1].strip().startswith("#"):
            first -= 1
        if starts and first <= starts[-1]:
            continue
        starts.append(first)
        kinds.append(isinstance(stmt, (ast.Import, ast.ImportFrom)))
    if not starts:
        return [source.strip("\n")] if source.strip() else []
    starts[0] = 0
    chunks = ["".join(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)])]
    merged: list[tuple[str, bool]] = []
    for chunk, is_import in zip(chunks, kinds):
        if merged and is_import and merged[-1][1]:
            merged[-1] = (merged[-1][0] + chunk, True)
        else:
            merged.append((chunk, is_import))
    return [c.strip("\n") for c, _ in merged if c.strip("\n")]


def joined(cells: list[str]) -> str:
    """Code cells as one Python file: each cell, ended by a newline."""
    return "".join(c if c.endswith("\n") or not c else c + "\n" for c in cells)


def notebook(cells: list[str], *, decorate: bool = True, **write: object) -> bytes:
    """A notebook of these code cells as Jupyter writes it; ``decorate`` adds what real ones
    have around the code: a title, outputs (text, an image), execution counts, metadata."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.7"},
    }
    if decorate:
        nb.cells.append(nbformat.v4.new_markdown_cell("# Fine-tuning run\n\nPorted from the cookbook's quick-start.", id="title"))
    for k, source in enumerate(cells):
        cell = nbformat.v4.new_code_cell(source, id=f"code-{k}")
        if decorate:
            cell.execution_count = k + 1
            cell.metadata = {"tags": ["setup"]} if k == 0 else {}
            if k % 2:
                cell.outputs = [
                    nbformat.v4.new_output("stream", name="stdout", text=f"step {k}\nloss 0.{k}\n"),
                    nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}, metadata={}),
                ]
        nb.cells.append(cell)
    if write:
        return (json.dumps(nb, **write) + "\n").encode("utf-8")  # type: ignore[arg-type]
    return nbformat.writes(nb).encode("utf-8") + b"\n"


def code_cells(data: bytes) -> list[str]:
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


@dataclass
class Run:
    data: bytes  # the notebook after the run (the input when nothing changed)
    diagnostics: list[Diagnostic]
    status: str
    error: str | None
    cells: list[tuple[int, str, str]] | None


def run(data: bytes, *, mode: str = "rewrite", unsafe: bool | None = None, legacy_modules: tuple[str, ...] | None = None,
        path: str = "case.ipynb", keep_sources: bool = False) -> Run:
    """Process notebook bytes with every default rule on (fixture directives in the cells)."""
    try:
        found = directives("\n".join(code_cells(data)))
    except Exception:  # not a notebook nbformat reads: no directives
        found = {}
    if unsafe is None:
        unsafe = "unsafe" in found
    if legacy_modules is None:
        legacy_modules = tuple(m for m in found.get("legacy-modules", "").split(",") if m)
    enabled = frozenset(code for code, rule in registry().items() if rule.default)
    options = Options(mode=mode, enabled=enabled, unsafe=unsafe, vendored_roots=legacy_modules)
    settings = RunSettings(options=options, legacy_modules=legacy_modules, keep_sources=keep_sources, target=found.get("target") or DEFAULT_TARGET)
    result, new = process_file(data, path, settings)
    return Run(new if new is not None else data, result.diagnostics, result.status, result.error, result.cells)


def outside_sources(data: bytes) -> dict:
    """The notebook without its code cells' sources (what a rewrite must leave alone)."""
    nb = json.loads(data)
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code":
            cell.pop("source", None)
    return nb
