"""Hypothesis profiles for the whole suite, and a private cache folder for the CLI runs.

``ci`` (the default) bounds the examples of every property test that does not fix its own
count, so a run stays fast; ``long`` runs many more on demand:
``HYPOTHESIS_PROFILE=long python -m pytest tests/reliability`` (or ``--hypothesis-profile=long``).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, print_blob=True)
settings.register_profile("long", max_examples=2000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The lint fast path caches a validated [tool.ftmigrate] table (ftmigrate._cache): the suite
# keeps its cache in a folder of its own, never the user's ~/.cache.
if "FTMIGRATE_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["FTMIGRATE_CACHE_DIR"] = tempfile.mkdtemp(prefix="ftmigrate-test-cache-")
