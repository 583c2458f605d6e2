"""A module's text as the analysis reads it: positions, code of a node, the code on one line.

CPython's ``ast`` gives positions as line numbers and UTF-8 byte offsets within the line;
diagnostics and LibCST count characters. :class:`Source` converts, and gives the exact code of
a node (``code``) or its code on one line without comments (``flat``: for messages and help
texts, the way ftmigrate has always shown code in them), without LibCST.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

#: Tokens that carry no code (``flat`` drops them).
_SKIPPED = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER})
_OPENING = {"(": ")", "[": "]", "{": "}"}


class Source:
    """The text of one module, split in lines (line endings kept)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        # Python splits lines on \n, \r\n and \r only; str.splitlines also on \x0c, \x1c...
        if any(not line.endswith(("\n", "\r")) for line in self.lines[:-1]):
            self.lines = _python_lines(text)
        self._starts: list[int] | None = None
        self._flat: dict[int, str] = {}

    # --- positions ---------------------------------------------------------------------------

    def line(self, number: int) -> str:
        """Line ``number`` (1-based), with its line ending; '' past the end."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def column(self, line: int, byte_offset: int) -> int:
        """The 0-based character column of a UTF-8 byte offset on ``line``."""
        text = self.line(line)
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace"))

    def start(self, node: ast.AST) -> tuple[int, int]:
        """(line, 0-based character column) where ``node`` starts."""
        return node.lineno, self.column(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> tuple[int, int]:
        line = node.end_lineno  # type: ignore[attr-defined]
        return line, self.column(line, node.end_col_offset)  # type: ignore[attr-defined]

    def line_at(self, offset: int) -> int:
        """The 1-based line holding the character at ``offset`` of ``text``."""
        import bisect

        self.offset(1, 0)  # fills the line starts
        return bisect.bisect_right(self._starts, offset)  # type: ignore[arg-type]

    def offset(self, line: int, column: int) -> int:
        """The offset in ``text`` of (line, 0-based character column)."""
        if self._starts is None:
            starts, total = [], 0
            for text in self.lines:
                starts.append(total)
                total += len(text)
            starts.append(total)
            self._starts = starts
        return self._starts[min(line - 1, len(self._starts) - 1)] + column

    # --- code --------------------------------------------------------------------------------

    def code(self, node: ast.AST) -> str:
        """The exact code of ``node`` (without the parentheses around it)."""
        (l1, c1), (l2, c2) = self.start(node), self.end(node)
        if l1 == l2:
            return self.line(l1)[c1:c2]
        return self.line(l1)[c1:] + "".join(self.lines[l1 : l2 - 1]) + self.line(l2)[:c2]

    def flat(self, node: ast.AST) -> str:
        """The code of ``node`` on one line, without comments.

        Line breaks inside brackets disappear (a space after a comma), a backslash continuation
        becomes a space, and the trailing comma of a call, list or dict laid out over several
        lines with more than one item is dropped: ``Config(\\n    a=1,  # why\\n    b=2,\\n)``
        is ``Config(a=1, b=2)``.
        """
        key = id(node)
        if key not in self._flat:
            self._flat[key] = self._flatten(node)
        return self._flat[key]

    def _flatten(self, node: ast.AST) -> str:
        text = self.code(node)
        if "\n" not in text and "\r" not in text and "#" not in text:
            return text
        drop = {(line, column - 1) for line, column in map(self.end, _trailing_commas(node))}
        first_line, first_col = self.start(node)
        try:
            tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type not in _SKIPPED]
        except (tokenize.TokenError, SyntaxError, IndentationError):
            return " ".join(text.split())
        out: list[str] = []
        end: tuple[int, int] | None = None  # where the last token kept (or dropped comma) ends
        after_comma = False
        lines = text.splitlines(keepends=True)
        for index, tok in enumerate(tokens):
            if end is not None:
                (r1, c1), (r2, c2) = end, tok.start
                if r1 == r2:
                    out.append(lines[r1 - 1][c1:c2])
                else:
                    joined = after_comma and tok.string not in (")", "]", "}")
                    out.append(" " if "\\" in lines[r1 - 1][c1:] or joined else "")
            end = tok.end
            if tok.string == "," and index + 1 < len(tokens) and tokens[index + 1].string in (")", "]", "}"):
                row, col = tokens[index + 1].start
                if (first_line + row - 1, (first_col if row == 1 else 0) + col) in drop:
                    continue  # the trailing comma goes; what came before it stays as it was
            out.append(tok.string)
            after_comma = tok.string == ","
        return "".join(out)


def _python_lines(text: str) -> list[str]:
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def _trailing_commas(node: ast.AST) -> list[ast.AST]:
    """The calls, lists and dicts inside ``node`` laid out over several lines with more than one
    item: their trailing comma goes."""
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            count = len(sub.args) + len(sub.keywords)
        elif isinstance(sub, (ast.List, ast.Dict)):
            count = len(sub.elts) if isinstance(sub, ast.List) else len(sub.keys)
        else:
            continue
        if count > 1 and sub.end_lineno != sub.lineno:  # type: ignore[attr-defined]
            found.append(sub)
    return found


def literal(node: ast.AST) -> tuple[bool, object]:
    """(True, value) when ``node`` is a plain literal that can be compared with a default: a
    number, string, bytes, True / False / None, or a signed number."""
    if isinstance(node, ast.Constant):
        return True, node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not, ast.Invert)):
        known, value = literal(node.operand)
        if known and isinstance(node.op, (ast.USub, ast.UAdd)) and isinstance(value, (int, float, complex)) and not isinstance(value, bool):
            return True, -value if isinstance(node.op, ast.USub) else +value
    return False, None


__all__ = ["Source", "literal"]
