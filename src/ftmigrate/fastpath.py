"""Placeholder for the lean lint path (issue 4/7)."""


def lint_fast(args):
    return None
