"""SFT launcher used by the eval team: reattach by id, base URL of a dev control plane."""
# corpus: argv=--job sft-dev-2 --base-url http://trainer.dev.internal:8080
# corpus: existing-trainers=sft-dev-2

import argparse

from training.recipes.sft_loop import Config, main as run_sft


def cli():
    parser = argparse.ArgumentParser()
    parser.add_argument("--job")
    parser.add_argument("--base-url")
    parser.add_argument("--epochs", type=int, default=3)
    return parser.parse_args()


if __name__ == "__main__":
    args = cli()
    config = Config(
        log_path="/tmp/sft-dev",
        epochs=args.epochs,
        trainer_job_id=args.job,
        trainer_base_url=args.base_url,
    )
    run_sft(config)
