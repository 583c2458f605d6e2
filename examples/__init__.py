"""The bundled example: a small project written against the legacy cookbook surface.

``ftmigrate example DIR`` copies it to ``DIR`` so ``ftmigrate rewrite DIR`` has something real
to port. The tests also run it: the legacy files under ``mount(surface="legacy")``, the
rewrite under ``mount()``, with the same values and the same provisioning plan.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PROJECT = "legacy_project"


def files() -> dict[str, bytes]:
    """Relative path -> bytes of every file of the example project."""
    out: dict[str, bytes] = {}
    root = resources.files(__name__).joinpath(PROJECT)

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name == "__pycache__":
                continue
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            else:
                out[rel] = child.read_bytes()

    walk(root, "")
    return out


def write_example(folder: Path, *, force: bool = False) -> list[Path]:
    """Write the example project into ``folder``, which must not exist or be empty; with
    ``force``, over an earlier copy (the example's own files are written again, in their
    legacy form; any other file in ``folder`` is left as it is)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} exists and is not a folder: name another folder")
    if not force and folder.exists() and any(folder.iterdir()):
        raise FileExistsError(
            f"{folder} exists and is not empty: pass --force to write the example's files over it"
            " again (other files are kept), or name another folder"
        )
    written = []
    for rel, data in files().items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
