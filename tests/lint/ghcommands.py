"""A reader of GitHub Actions workflow commands, written to GitHub's rules (the runner's
``ActionCommand.TryParseV2`` and the legacy ``TryParse``), to check what a CI log would run.

- ``::name key=value,key=value::data``: a command when the line, after leading whitespace
  (.NET's ``TrimStart``: Unicode white space), starts with ``::`` and has a second ``::``.
  Properties are split on ``,`` then on the first ``=``; values and data are unescaped
  (``%0D``, ``%0A``, ``%3A``, ``%2C``, ``%25``).
- ``##[name key=value;...]data``: the legacy form, recognised *anywhere* in a line.

:func:`commands` is deliberately broader than the runner (any name counts, registered or
not): a test that finds no command with it has found none GitHub could run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: .NET ``char.IsWhiteSpace``: what ``TrimStart()`` removes.
DOTNET_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

#: How the runner splits a process's output into lines (``StreamReader.ReadLine``).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Command:
    name: str
    properties: tuple[tuple[str, str], ...]
    data: str
    legacy: bool = False

    def prop(self, key: str) -> str | None:
        return dict(self.properties).get(key)


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def lines(output: str) -> list[str]:
    """The log lines the runner sees in ``output``."""
    return _LINE_BREAK.split(output.removesuffix("\n"))


def parse_v2(line: str) -> Command | None:
    message = line.lstrip(DOTNET_WHITESPACE)
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if not name:
        return None
    properties = []
    if space > 0:
        for item in info[space + 1 :].strip(DOTNET_WHITESPACE).split(","):
            pair = [part for part in item.split("=", 1) if part]
            if len(pair) == 2:
                properties.append((pair[0], unescape_property(pair[1])))
    return Command(name, tuple(properties), unescape_data(message[end + 2 :]))


def parse_v1(line: str) -> Command | None:
    start = line.find("##[")
    if start < 0:
        return None
    close = line.find("]", start)
    if close < 0:
        return None
    info = line[start + 3 : close]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if not name:
        return None
    properties = []
    if space > 0:
        for item in info[space + 1 :].split(";"):
            pair = [part.strip() for part in item.split("=", 1)]
            if len(pair) == 2 and pair[0]:
                properties.append((pair[0], pair[1]))
    return Command(name, tuple(properties), line[close + 1 :], legacy=True)


def parse(line: str) -> Command | None:
    """The command GitHub's runner would take ``line`` for, if any (v2 first, as it does)."""
    return parse_v2(line) or parse_v1(line)


def commands(output: str) -> list[Command]:
    """Every command a runner would find in ``output``, line by line."""
    return [command for line in lines(output) if (command := parse(line)) is not None]
