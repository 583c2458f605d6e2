"""A third-party backend that vendors the cookbook under its own package."""
# corpus: static
# corpus: legacy-modules=acme_rl.third_party.cookbook

from acme_rl.third_party.cookbook.utils import InfraConfig, ResourceCleanup, setup_infra
from acme_rl.third_party.cookbook.recipes import rl_loop


def launch(rlor_mgr, api_key):
    with ResourceCleanup(rlor_mgr) as cleanup:
        infra = setup_infra(rlor_mgr=rlor_mgr, base_model="m", infra_cfg=InfraConfig(), role_prefix="acme", api_key=api_key, cleanup=cleanup)
        return rl_loop.Config(log_path="/tmp/acme", infra=InfraConfig()), infra.policy_job_id
