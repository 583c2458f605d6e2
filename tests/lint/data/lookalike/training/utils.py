"""The project's own `training/utils.py` (a folder that happens to be called training).

It defines names of its own; nothing in it imports the cookbook.
"""


class InfraConfig:
    def __init__(self, **fields):
        self.fields = fields


def setup_infra(**kwargs):
    return InfraConfig(**kwargs)
