"""A module that took the cookbook wholesale (test data for tests/lint)."""

from training.recipes.rl_loop import *  # expect: FTM090
from training.utils import *  # expect: FTM090

cfg = Config(log_path="/tmp/rl", infra=None)  # expect: FTM091
