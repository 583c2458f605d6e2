#!/usr/bin/env python
"""Run from a checkout of the cookbook next to this repository (no install)."""
# corpus: argv=--job grpo-policy-3
# corpus: existing-trainers=grpo-policy-3

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fw-cookbook"))

from training.recipes import rl_loop  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--job", default=None)
    parser.add_argument("--kl", type=float, default=0.0)
    args = parser.parse_args()
    cfg = rl_loop.Config(
        log_path="/tmp/from-checkout",
        kl_beta=args.kl,
        policy_job_id=args.job,
        policy_base_url="http://localhost:8000",
    )
    return rl_loop.main(cfg)


if __name__ == "__main__":
    main()
