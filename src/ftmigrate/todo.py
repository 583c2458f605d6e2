"""The ``# TODO(ftmigrate)`` comments a rewrite leaves for a person: short, actionable, stable.

One finding is one line of at most :data:`WIDTH` characters after the indentation: what to
write instead -- the first sentence of the finding's ``help``, long code in it elided -- then
the command that explains the rest, which names the code::

    # TODO(ftmigrate): record the dropped managed_by="team-a" (ftmigrate explain FTM002)

Several findings on one statement share one block: the first line carries the prefix, the
others are indented under it::

    # TODO(ftmigrate): scale the deployment to zero after main() (ftmigrate explain FTM041)
    #   delete a created trainer after main() returns (ftmigrate explain FTM042)

An entry (``text (ftmigrate explain CODE)``) is what identifies a TODO: a second run parses the
blocks above a statement and adds only the entries that are not there, continuing the block
right above the statement when there is one, so it neither duplicates nor moves them;
``engine._locate_todos`` finds each diagnostic's line by its entry. Plain text, no LibCST.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

PREFIX = "# TODO(ftmigrate): "
#: The lines of a block after its first one.
CONTINUATION = "#   "
#: The longest TODO line, after its indentation.
WIDTH = 100

#: The end of every entry: the pointer to the rest (it names the code).
_POINTER = re.compile(r"\(ftmigrate explain FTM\d{3}\)$")
#: A sentence ends at ". " (not in "e.g. " / "i.e. ").
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)\.\s+(?=\S)")
#: A string literal in code (its quote not an apostrophe: not right after a letter).
_STRING = re.compile(r"""(?<![A-Za-z0-9_])(?P<q>["'])(?P<body>(?:\\.|(?!(?P=q)).)*)(?P=q)""")


def pointer(code: str) -> str:
    return f"(ftmigrate explain {code})"


def entry(code: str, help: str, message: str) -> str:
    """``<what to write instead> (ftmigrate explain CODE)``, short enough that the block's first
    line -- the longest -- fits :data:`WIDTH`."""
    room = WIDTH - len(PREFIX) - 1 - len(pointer(code))
    return f"{action(help or message, room)} {pointer(code)}"


def action(text: str, room: int) -> str:
    """The first sentence of ``text``, in at most ``room`` characters: long strings and long
    argument lists in it are elided first (``"accounts/f..."``, ``f(...)``), then later clauses
    dropped; a word cut is the last resort."""
    first = _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0].rstrip(".")
    if len(first) <= room:
        return first
    first = _elide_strings(first)
    while len(first) > room:
        shorter = _elide_longest_call(first)
        if shorter == first:
            break
        first = shorter
    if len(first) <= room:
        return first
    for separator in ("; ", ": ", " -- ", ", ", " ("):
        cut = first.rfind(separator, 0, room + 1)
        while cut > room // 3:
            head = first[:cut].rstrip(" ,;:")
            if _balanced(head) and len(head) <= room:
                return head
            cut = first.rfind(separator, 0, cut)
    words = first[: room - 3].rsplit(" ", 1)[0]
    return words.rstrip(" ,;:") + "..."


def _elide_strings(text: str, keep: int = 10) -> str:
    def shorten(m: re.Match[str]) -> str:
        body = m.group("body")
        return m.group(0) if len(body) <= keep + 3 else f"{m.group('q')}{body[:keep]}...{m.group('q')}"

    return _STRING.sub(shorten, text)


def _elide_longest_call(text: str) -> str:
    """``text`` with the longest parenthesised group (more than a few characters) as ``(...)``."""
    best: tuple[int, int] | None = None
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in "([":
            stack.append(i)
        elif ch in ")]" and stack:
            start = stack.pop()
            if i - start - 1 > 5 and text[start + 1 : i] != "..." and (best is None or i - start > best[1] - best[0]):
                best = (start, i)
    if best is None:
        return text
    start, end = best
    return text[: start + 1] + "..." + text[end:]


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in "(["
        depth -= ch in ")]"
        if depth < 0:
            return False
    return depth == 0 and text.count("`") % 2 == 0 and text.count('"') % 2 == 0


def parse(comments: Iterable[str]) -> tuple[set[str], bool]:
    """The entries of the TODO blocks among ``comments`` (comment lines, stripped, in order;
    a blank line as ``""``), and whether the last lines are a block a new entry can continue."""
    found: set[str] = set()
    in_block = False
    for comment in comments:
        if comment.startswith(PREFIX):
            found.add(comment[len(PREFIX) :].strip())
            in_block = True
        elif in_block and comment.startswith(CONTINUATION) and _POINTER.search(comment):
            found.add(comment[len(CONTINUATION) :].strip())
        else:
            in_block = False
    return found, in_block


def lines(entries: Sequence[str], above: Sequence[str]) -> list[str]:
    """The comment lines to put right above a statement for ``entries``, given the comment
    lines already above it (stripped, in order, blank lines as ``""``): only the entries not
    there yet, continuing the block that ends right above the statement, if any."""
    present, continues = parse(above)
    new = [e for e in dict.fromkeys(entries) if e not in present]
    if not new:
        return []
    if continues:
        return [CONTINUATION + e for e in new]
    return [PREFIX + new[0], *(CONTINUATION + e for e in new[1:])]


def is_todo_comment(comment: str) -> bool:
    """A line of a TODO block (the first, or one under it) -- never a comment of the user's."""
    return comment.startswith(PREFIX) or (comment.startswith(CONTINUATION) and bool(_POINTER.search(comment.rstrip())))


def locate(code: str) -> dict[str, list[int]]:
    """Each entry of the TODO blocks in ``code``, with the lines (1-based) it stands on."""
    found: dict[str, list[int]] = {}
    in_block = False
    for number, text in enumerate(code.splitlines(), start=1):
        stripped = text.strip()
        if stripped.startswith(PREFIX):
            found.setdefault(stripped[len(PREFIX) :].strip(), []).append(number)
            in_block = True
        elif in_block and stripped.startswith(CONTINUATION) and _POINTER.search(stripped):
            found.setdefault(stripped[len(CONTINUATION) :].strip(), []).append(number)
        else:
            in_block = False
    return found
