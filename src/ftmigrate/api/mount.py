"""Placeholder: being written (issue 2)."""
def mount(force=False): raise NotImplementedError
