"""Project configuration: ``[tool.ftmigrate]`` in ``pyproject.toml``.

Found by walking up from the paths given on the command line (the closest ``pyproject.toml``
that has a ``[tool.ftmigrate]`` table wins, as with ruff). Validated with pydantic; a bad key or
value is a :class:`ConfigError` whose text is one line naming it, and the CLI exits 2.

Kept lean: a ``pyproject.toml`` without ``[tool.ftmigrate]`` is recognised from its bytes and
never parsed, and pydantic is imported only when there is a table to validate.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

#: A dotted module name (``legacy-modules`` entries).
MODULE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def check_legacy_module(module: str) -> str:
    """Return ``module`` if it may be listed in ``legacy-modules``, else raise ``ValueError``."""
    if not MODULE_NAME.fullmatch(module):  # fullmatch: `$` would let a trailing newline in
        raise ValueError(f"{module!r} is not a dotted module name")
    if module == "training" or module.startswith("training."):
        raise ValueError(f"{module!r}: the cookbook's own `training` package is always checked")
    return module


def did_you_mean(value: str, allowed: list[str] | tuple[str, ...], cutoff: float = 0.7) -> str:
    """``"; did you mean 'X'?"`` for the one of ``allowed`` closest to ``value``, or ``""``.

    Names are compared without leading dashes and with ``_`` as ``-`` (``--formt``,
    ``legacy_modules``)."""
    import difflib

    def key(name: str) -> str:
        return name.lstrip("-").replace("_", "-").lower()

    keys = {key(a): a for a in allowed}
    if key(value) in keys and keys[key(value)] != value:
        return f"; did you mean '{keys[key(value)]}'?"
    close = difflib.get_close_matches(key(value), list(keys), n=1, cutoff=cutoff)
    return f"; did you mean '{keys[close[0]]}'?" if close else ""


class ConfigError(Exception):
    """A configuration problem, already phrased for the user (one line)."""


@dataclass(frozen=True)
class Settings:
    """Validated settings. Globs are relative to ``root`` (the folder of the pyproject)."""

    root: Path
    source: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    legacy_modules: tuple[str, ...] = ()
    #: ``target = "..."`` as written; None when the table does not say (the default target
    #: applies: ``ftmigrate.api.targets.DEFAULT_TARGET``, read only when needed, off the fast path).
    target: str | None = None
    #: Globs of the files a walk picks up (None: ``discovery.DEFAULT_INCLUDE``), and more.
    include: tuple[str, ...] | None = None
    extend_include: tuple[str, ...] = ()

    @property
    def includes(self) -> tuple[str, ...]:
        """The globs a walk picks files by (``include``, or the defaults, + ``extend-include``)."""
        from ftmigrate.discovery import DEFAULT_INCLUDE

        return (*(self.include if self.include is not None else DEFAULT_INCLUDE), *self.extend_include)


def find_pyproject(start: Path) -> Path | None:
    """The closest ``pyproject.toml`` at or above ``start`` that has a ``[tool.ftmigrate]``."""
    here = start if start.is_dir() else start.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        try:
            data = _read(candidate)
        except OSError:
            continue
        # Cheap byte test first; parse only a file that may hold the table (it can also be
        # spelled `[tool]` + `ftmigrate = {...}`, which the substring "tool.ftmigrate" misses).
        if b"ftmigrate" in data and _has_table(data):
            return candidate
    return None


def _has_table(data: bytes) -> bool:
    """Whether a pyproject's bytes hold a ``[tool.ftmigrate]`` table (invalid TOML: yes, so
    that the error is reported rather than the file silently skipped)."""
    if b"tool.ftmigrate" in data:
        return True
    import tomllib

    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, MemoryError):
        return True
    tool = parsed.get("tool")
    return isinstance(tool, dict) and "ftmigrate" in tool


def _read(path: Path) -> bytes:
    """A pyproject's bytes: a regular file of bounded size (never a FIFO or a device, which
    could hang the run or fill its memory); ``ConfigError`` otherwise, ``OSError`` when absent."""
    from ftmigrate.fileio import FileError, read_regular

    try:
        return read_regular(str(path))
    except FileError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load(paths: list[str], config_file: str | None = None) -> Settings:
    """Settings for a run over ``paths`` (or from ``config_file`` when given)."""
    if config_file is not None:
        source = Path(config_file)
        if not source.is_file():
            raise ConfigError(f"{config_file}: no such configuration file")
    else:
        starts = [Path(p) for p in paths if p != "-"] or [Path.cwd()]
        start = Path(os.path.commonpath([str(p.absolute()) for p in starts]))
        source = find_pyproject(start)
    if source is None:
        return Settings(root=Path.cwd())
    table = _read_table(source)
    if table is None:
        return Settings(root=source.parent.absolute(), source=source)
    return _validate(table, source)


def _read_table(source: Path) -> dict | None:
    import tomllib

    try:
        data = tomllib.loads(_read(source).decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML (not UTF-8: byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML ({exc})") from None
    except (RecursionError, MemoryError):
        raise ConfigError(f"{source}: values nested too deeply to read; flatten them") from None
    tool = data.get("tool", {})
    table = tool.get("ftmigrate") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.ftmigrate] must be a table")
    return table


def _validate(table: dict, source: Path) -> Settings:
    # A valid table is recognised without pydantic (importing it and building the model costs
    # ~100 ms, more than the rest of a clean pre-commit run); pydantic stays the validator of
    # record: whatever the lean check does not accept goes to it, which rejects it with its
    # one-line message. A property test checks that the lean check accepts nothing pydantic
    # rejects and builds the same Settings.
    lean = _lean_settings(table, source)
    if lean is not None:
        return lean
    return _pydantic_settings(table, source)


def _pydantic_settings(table: dict, source: Path) -> Settings:
    from ftmigrate._settings_model import SettingsModel, one_line_error

    try:
        model = SettingsModel.model_validate(table)
    except Exception as exc:  # pydantic.ValidationError, without importing it on the fast path
        raise ConfigError(f"{source}: [tool.ftmigrate] {one_line_error(exc)}") from None
    return Settings(
        root=source.parent.absolute(),
        source=source,
        select=tuple(model.select) if model.select is not None else None,
        extend_select=tuple(model.extend_select),
        ignore=tuple(model.ignore),
        exclude=tuple(model.exclude),
        per_file_ignores={k: tuple(v) for k, v in model.per_file_ignores.items()},
        legacy_modules=tuple(model.legacy_modules),
        target=model.target,
        include=tuple(model.include) if model.include is not None else None,
        extend_include=tuple(model.extend_include),
    )


_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "legacy-modules", "include", "extend-include")
_KEYS = frozenset({*_LIST_KEYS, "per-file-ignores", "target"})


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _lean_settings(table: dict, source: Path) -> Settings | None:
    """``Settings`` for a table that is plainly valid; ``None`` leaves the verdict to pydantic."""
    from ftmigrate.selection import SelectorError, check_selector

    if not set(table) <= _KEYS:
        return None
    if not all(_strings(table.get(key, [])) for key in _LIST_KEYS):
        return None
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict) or not all(isinstance(k, str) and _strings(v) for k, v in per_file.items()):
        return None
    target = table.get("target")
    if target is not None:
        from ftmigrate.api.targets import TARGETS

        if not isinstance(target, str) or target not in TARGETS:
            return None
    try:
        for key in ("select", "extend-select", "ignore"):
            for code in table.get(key, ()):
                check_selector(code)
        for codes in per_file.values():
            for code in codes:
                check_selector(code)
        for module in table.get("legacy-modules", ()):
            check_legacy_module(module)
    except (SelectorError, ValueError):
        return None
    select = table.get("select")
    include = table.get("include")
    return Settings(
        root=source.parent.absolute(),
        source=source,
        select=tuple(select) if select is not None else None,
        extend_select=tuple(table.get("extend-select", ())),
        ignore=tuple(table.get("ignore", ())),
        exclude=tuple(table.get("exclude", ())),
        per_file_ignores={k: tuple(v) for k, v in per_file.items()},
        legacy_modules=tuple(table.get("legacy-modules", ())),
        target=target,
        include=tuple(include) if include is not None else None,
        extend_include=tuple(table.get("extend-include", ())),
    )
