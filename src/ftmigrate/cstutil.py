"""Small CST edits the codemods share: keyword arguments, keeping the call's layout.

Replacing, dropping or inserting keyword arguments must keep a call's formatting: one argument
per line stays one per line with the same indentation, a trailing comma stays, comments on the
lines of arguments that survive stay with them. The arguments are rebuilt as a list and the
separators re-derived from the original call.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None






def positional(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]


def make_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        keyword=cst.Name(name),
        value=value,
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def _separator(call: cst.Call) -> cst.Comma:
    """The comma (with its following whitespace) that separates arguments in ``call``."""
    for arg in call.args[:-1]:
        if isinstance(arg.comma, cst.Comma):
            ws = arg.comma.whitespace_after
            if isinstance(ws, cst.ParenthesizedWhitespace):
                # keep the line break and indentation, not a comment that belongs to that line
                ws = ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
            return arg.comma.with_changes(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=ws)
    before = call.whitespace_before_args
    if isinstance(before, cst.ParenthesizedWhitespace):
        return cst.Comma(
            whitespace_after=before.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
        )
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def separator(call: cst.Call) -> cst.Comma:
    """The comma (and the line break and indentation after it) between ``call``'s arguments,
    without the comment of any line: for codemods that lay out arguments themselves."""
    return _separator(call)


def with_args(call: cst.Call, args: Sequence[cst.Arg], *, keep_comment_of: dict[int, cst.Arg] | None = None) -> cst.Call:
    """``call`` with ``args`` (in order), separators and closing layout taken from ``call``.

    Arguments that come from ``call`` keep their own comma (and so the comment on their line)
    unless they become the last one; new arguments get the call's separator.
    """
    if not call.args:
        closing_comma: cst.Comma | cst.MaybeSentinel = cst.MaybeSentinel.DEFAULT
        closing_ws: cst.BaseParenthesizableWhitespace = cst.SimpleWhitespace("")
    else:
        closing_comma = call.args[-1].comma
        closing_ws = call.args[-1].whitespace_after_arg
    originals = {id(a) for a in call.args[:-1]}
    separator = _separator(call)
    out: list[cst.Arg] = []
    for i, arg in enumerate(args):
        if i == len(args) - 1:
            ws = closing_ws
            comma = closing_comma
            if id(arg) in originals and isinstance(arg.comma, cst.Comma) and not isinstance(closing_comma, cst.Comma):
                # it was followed by an argument that is gone: keep the comment on its line
                ws = _carry_comment_to(arg.comma, closing_ws)
            elif id(arg) in originals and isinstance(arg.comma, cst.Comma) and isinstance(closing_comma, cst.Comma):
                # the same with a trailing comma: the comment rides on the closing comma
                comma = closing_comma.with_changes(whitespace_after=_carry_comment_to(arg.comma, closing_comma.whitespace_after))
            out.append(arg.with_changes(comma=comma, whitespace_after_arg=ws))
            continue
        comma = arg.comma if id(arg) in originals and isinstance(arg.comma, cst.Comma) else separator
        if id(arg) not in originals and isinstance(arg.comma, cst.Comma):
            comma = _carry_comment(arg.comma, separator)
        out.append(arg.with_changes(comma=comma, whitespace_after_arg=cst.SimpleWhitespace("")))
    return call.with_changes(args=out)


def _carry_comment(own: cst.Comma, separator: cst.Comma) -> cst.Comma:
    """The separator, carrying the end-of-line comment ``own`` had (if the layout allows)."""
    own_ws, sep_ws = own.whitespace_after, separator.whitespace_after
    if (
        isinstance(own_ws, cst.ParenthesizedWhitespace)
        and own_ws.first_line.comment is not None
        and isinstance(sep_ws, cst.ParenthesizedWhitespace)
    ):
        return separator.with_changes(whitespace_after=sep_ws.with_changes(first_line=own_ws.first_line))
    return separator


def _carry_comment_to(own: cst.Comma, closing: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
    own_ws = own.whitespace_after
    if (
        isinstance(own_ws, cst.ParenthesizedWhitespace)
        and own_ws.first_line.comment is not None
        and isinstance(closing, cst.ParenthesizedWhitespace)
        and closing.first_line.comment is None
    ):
        return closing.with_changes(first_line=own_ws.first_line)
    return closing




#: The line length a call is joined back onto one line within (black's and ruff's default).
JOIN_WIDTH = 88


def joined(call: cst.Call, room: int, width: int = JOIN_WIDTH) -> cst.Call:
    """``call`` on one line (``main(\n    config,\n)`` -> ``main(config)``) when it spans
    several only through the whitespace between its arguments, holds no comment, and fits in
    ``width`` with ``room`` characters of its line taken by the code around it; else ``call``."""
    module = cst.Module([])
    if "\n" not in module.code_for_node(call) or _has_comment(call):
        return call
    args = [
        a.with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if i < len(call.args) - 1 else cst.MaybeSentinel.DEFAULT,
            whitespace_after_arg=cst.SimpleWhitespace(""),
        )
        for i, a in enumerate(call.args)
    ]
    flat = call.with_changes(args=args, whitespace_before_args=cst.SimpleWhitespace(""))
    code = module.code_for_node(flat)
    if "\n" in code or room + len(code) > width:
        return call
    return flat


def _has_comment(node: cst.CSTNode) -> bool:
    found = []

    class _Find(cst.CSTVisitor):
        def visit_Comment(self, comment: cst.Comment) -> None:
            found.append(comment)

    node.visit(_Find())
    return bool(found)


def drop_keywords(call: cst.Call, names: set[str]) -> cst.Call:
    return with_args(call, [a for a in call.args if not (a.keyword and a.keyword.value in names)])


def rename_keyword(arg: cst.Arg, name: str) -> cst.Arg:
    assert arg.keyword is not None
    return arg.with_changes(keyword=arg.keyword.with_changes(value=name))


def set_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """Set keyword ``name`` to ``value``: replace it where it is, or append it."""
    if keyword(call, name) is not None:
        return call.with_changes(
            args=[
                a.with_changes(value=value) if a.keyword is not None and a.keyword.value == name else a
                for a in call.args
            ]
        )
    return with_args(call, [*call.args, make_arg(name, value)])
