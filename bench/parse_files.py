"""Parse every ``.py`` file under a folder in one process, and nothing else: the references the
benchmark measures ftmigrate against on the legacy-dense corpus.

    python bench/parse_files.py ast ROOT      # CPython's parser (the floor)
    python bench/parse_files.py libcst ROOT   # LibCST's parser (what a rewrite cannot avoid)

Files are walked in sorted order and read as bytes, as ftmigrate reads them; the count of files
parsed is printed. Run it with the Python of the venv being measured (LibCST comes with
ftmigrate).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("ast", "libcst"):
        print("usage: parse_files.py ast|libcst ROOT", file=sys.stderr)
        return 2
    mode, root = argv
    if mode == "ast":
        import ast

        parse = ast.parse
    else:
        import libcst

        parse = libcst.parse_module
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                with open(os.path.join(folder, name), "rb") as f:
                    parse(f.read())
                count += 1
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
