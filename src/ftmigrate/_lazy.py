"""Modules imported when first used: the analysis (and so ``lint``) never pays for LibCST.

``from ftmigrate._lazy import cst`` gives an object that stands for ``libcst``: the first
attribute read imports it. Codemods build LibCST nodes only inside their edits, which run only
when a file is rewritten.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    def __init__(self, name: str) -> None:
        self.__name = name
        self.__module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self.__module is None:
            self.__module = importlib.import_module(self.__name)
        return getattr(self.__module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self.__name!r}>"


cst = LazyModule("libcst")
cstutil = LazyModule("ftmigrate.cstutil")
