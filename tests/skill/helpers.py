"""Reading the agent skill as an agent does: its front matter, the commands and snippets it
names, its tables; and running the real CLI."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SKILL = REPO / "skills" / "ftmigrate"
SKILL_MD = SKILL / "SKILL.md"
REFERENCES = sorted((SKILL / "references").glob("*.md"))
README = REPO / "README.md"


def ftm(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "ftmigrate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=300,
    )


def front_matter(text: str) -> tuple[str, str]:
    """(YAML front matter, body) of a SKILL.md."""
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    assert match, "SKILL.md must open with a --- delimited YAML front matter"
    return match.group(1), match.group(2)


def agent_section(readme: str) -> str:
    """The README section "Using ftmigrate from an agent"."""
    match = re.search(r"^## Using ftmigrate from an agent\n(.*?)(?=^## )", readme, re.S | re.M)
    assert match, "README.md has no '## Using ftmigrate from an agent' section"
    return match.group(1)


def code_blocks(markdown: str, lang: str | None = None) -> list[str]:
    """Fenced code blocks (of ``lang`` when given), dedented."""
    blocks = []
    for m in re.finditer(r"^( *)```(\w*)\n(.*?)^\1```", markdown, re.S | re.M):
        if lang is None or m.group(2) == lang:
            blocks.append(textwrap.dedent(m.group(3)))
    return blocks


@dataclass(frozen=True)
class Heredoc:
    """``python - ARGS <<'EOF' ... EOF`` in a shell block: the command line and the program."""

    command: str
    program: str


def heredocs(markdown: str) -> list[Heredoc]:
    found = []
    for block in code_blocks(markdown, "bash"):
        for m in re.finditer(r"^(python - .*?)<<'EOF'\n(.*?)^EOF$", block, re.S | re.M):
            found.append(Heredoc(m.group(1).strip(), m.group(2)))
    return found


def heredoc(markdown: str, first_line: str) -> Heredoc:
    """The heredoc whose program starts with the comment ``first_line``."""
    matches = [h for h in heredocs(markdown) if h.program.startswith(first_line)]
    assert len(matches) == 1, f"expected one snippet starting with {first_line!r}, found {len(matches)}"
    return matches[0]


_SHELL_END = re.compile(r"\s(?:>|\||&&|;|#|<<)")


def commands(markdown: str) -> list[list[str]]:
    """Every ``ftmigrate ...`` command line the text names: lines of code blocks and inline
    code spans that start with ``ftmigrate``, cut at shell redirections, pipes and comments."""
    lines: list[str] = []
    for block in code_blocks(markdown):
        lines += [line.strip() for line in block.splitlines()]
    prose = re.sub(r"^( *)```.*?^\1```", "", markdown, flags=re.S | re.M)
    lines += re.findall(r"`(ftmigrate [^`]+)`", prose)
    found = []
    for line in lines:
        if not line.startswith("ftmigrate ") and line != "ftmigrate":
            continue
        line = _SHELL_END.split(" " + line, maxsplit=1)[0].strip()
        found.append(shlex.split(line))
    return found


def table(markdown: str, header_start: str) -> list[list[str]]:
    """The rows (cells stripped, without header and rule) of the first table whose header line
    starts with ``header_start``."""
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(header_start):
            rows = []
            for row in lines[i + 2 :]:
                if not row.startswith("|"):
                    break
                cells = re.split(r"(?<!\\)\|", row.strip()[1:-1])
                rows.append([c.strip().replace("\\|", "|") for c in cells])
            return rows
    raise AssertionError(f"no table starting with {header_start!r}")


def unquote(cell: str) -> str:
    """A table cell without its code backticks."""
    return cell.replace("`", "")
