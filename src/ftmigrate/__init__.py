"""ftmigrate: port Fireworks training-cookbook code off the deprecated InfraConfig surface.

Importing this package is cheap on purpose: the lint fast path starts here, and libcst, typer,
rich and pydantic load only when a file actually needs them.
"""

__version__ = "0.1.0"
