"""Mentions only: `from training.utils import InfraConfig` in a docstring is not a use.

The old code called setup_infra(rlor_mgr, ...) and ResourceCleanup(...); see the changelog.
"""

# from training.utils import InfraConfig, setup_infra
NOTE = "replace InfraConfig(...) with TrainerConfig(...) and drop weight_sync=WeightSyncConfig()"
