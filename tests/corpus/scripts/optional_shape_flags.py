"""Pick hardware from flags: a training shape, or the manual path for new accelerators."""
# corpus: argv=--nodes 2 --gpus 8 --accelerator NVIDIA_B200_180GB

import argparse

from training.recipes import sft_loop
from training.utils import InfraConfig


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", default=None)
    parser.add_argument("--nodes", type=int, default=None)
    parser.add_argument("--gpus", type=int, default=None)
    parser.add_argument("--accelerator", default=None)
    args = parser.parse_args()
    infra = InfraConfig(
        training_shape_id=args.shape,
        node_count=args.nodes,
        accelerator_count=args.gpus,
        accelerator_type=args.accelerator,
    )
    cfg = sft_loop.Config(log_path="/tmp/manual", infra=infra)
    return sft_loop.main(cfg)


if __name__ == "__main__":
    main()
