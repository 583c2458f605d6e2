"""Placeholder: being written (issue 2)."""
class ReconnectableClient: pass
