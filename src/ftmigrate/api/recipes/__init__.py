"""The six bundled recipes, importable as ``training.recipes.<name>`` under ``mount()``."""

RECIPES = ("sft_loop", "dpo_loop", "orpo_loop", "rl_loop", "igpo_loop", "async_rl_loop")
