"""The pydantic model behind ``[tool.ftmigrate]`` (imported only when a table exists)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ftmigrate.api.targets import TARGETS
from ftmigrate.config import check_legacy_module
from ftmigrate.selection import check_selector


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class SettingsModel(BaseModel):
    """Keys of ``[tool.ftmigrate]``; spelled with dashes in the TOML, as ruff does."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, frozen=True)

    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    legacy_modules: list[str] = Field(default_factory=list)
    target: Literal[TARGETS] | None = None  # type: ignore[valid-type]  (the known targets)
    include: list[str] | None = None
    extend_include: list[str] = Field(default_factory=list)

    @field_validator("select", "extend_select", "ignore")
    @classmethod
    def _codes(cls, value: list[str] | None) -> list[str] | None:
        for code in value or ():
            check_selector(code)
        return value

    @field_validator("per_file_ignores")
    @classmethod
    def _per_file_codes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for codes in value.values():
            for code in codes:
                check_selector(code)
        return value

    @field_validator("legacy_modules")
    @classmethod
    def _modules(cls, value: list[str]) -> list[str]:
        for module in value:
            check_legacy_module(module)
        return value


def one_line_error(exc: Exception) -> str:
    """The first validation problem, as ``key: reason`` on one line."""
    if not isinstance(exc, ValidationError):
        return str(exc).splitlines()[0]
    from ftmigrate.config import did_you_mean

    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()))
    if err.get("type") == "extra_forbidden":
        keys = [_kebab(name) for name in SettingsModel.model_fields]
        return f"unknown key '{where}' [possible keys: {', '.join(keys)}]{did_you_mean(where, keys)}"
    given = err.get("input")
    if where == "target":
        return f"target: invalid value {given!r} [possible values: {', '.join(TARGETS)}]"
    message = err.get("msg", "invalid value").removeprefix("Value error, ")
    shown = f" (got {given!r})" if not isinstance(given, (dict, list)) and repr(given) not in message else ""
    return f"{where}: {message}{shown}"
