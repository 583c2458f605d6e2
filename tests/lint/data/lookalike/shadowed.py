"""Imports from the cookbook, then shadows the legacy names locally: the uses are not legacy."""

from training.utils import TrainerConfig


def build(InfraConfig=dict, setup_infra=print):
    setup_infra("local helper")
    return InfraConfig(region="us-ohio-1")


class rl_loop:
    @staticmethod
    def Config(**kwargs):
        return kwargs


cfg = rl_loop.Config(infra=build(), weight_sync=None, policy_job_id="j")
trainer = TrainerConfig(training_shape_id="accounts/fireworks/trainingShapes/s")
