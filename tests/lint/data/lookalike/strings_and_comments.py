"""Mentions only: `from training.utils import InfraConfig` in a docstring is not a use.

The old code called setup_infra(rlor_mgr, ...) and ResourceCleanup(...); see the changelog.
"""

# A real import of the cookbook, so the rules read the mentions below (the prefilter alone would
# skip a file that only mentions it).
from training.utils import TrainerConfig

# from training.utils import InfraConfig, setup_infra
NOTE = "replace InfraConfig(...) with TrainerConfig(...) and drop weight_sync=WeightSyncConfig()"
TRAINER = TrainerConfig
