"""A legacy-dense corpus for the benchmark: training code written against the old cookbook
surface, the way teams write it, generated deterministically (seeded) from templates and from
the legacy fixtures (``fixtures/*/*.before.py``).

Six kinds of file, each drawn with its own choices (recipe, import forms, aliases, generation,
receivers, values, which sections and how many), so no two files are copies of each other:

- ``train``: a long training script (argparse, data loading, reward functions, config
  builders, ``main`` with managers and ``<recipe>.main(cfg, rlor_mgr=..., deploy_mgr=...)``);
- ``fork``: a fork of a recipe with its own ``@dataclass Config`` (``infra: InfraConfig``,
  ``weight_sync: WeightSyncConfig``) and hundreds of ``cfg.infra.x`` / ``cfg.weight_sync.x``
  reads, ``setup_infra`` under ``ResourceCleanup``, ``policy.create_base_reference()``;
- ``tests``: a pytest suite, fixtures returning ``InfraConfig``, parametrized recipe configs,
  ``dataclasses.replace``, ``monkeypatch`` of ``setup_infra``;
- ``sweep``: grids of configs, ``functools.partial(Config, infra=...)``, a thread pool of runs;
- ``runner``: classes holding managers, configs and cleanups on ``self``;
- ``launch``: a ``sys.path`` bootstrap, guarded imports, ``setup_infra`` / ``ResourceCleanup``
  flows and the low-level helpers (``create_trainer_job``, ``setup_deployment``, ...).

Most files also carry one or two fixtures' bodies (their imports hoisted), as the odds and ends
real modules accumulate. Every file compiles; ``build`` checks it.
"""

from __future__ import annotations

import ast
import io
import math
import random
import re
import textwrap
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Vocabulary.

MODELS = [
    "accounts/fireworks/models/qwen3-8b",
    "accounts/fireworks/models/qwen3-30b-a3b",
    "accounts/fireworks/models/qwen3-235b-a22b-instruct-2507",
    "accounts/fireworks/models/llama-v3p1-8b-instruct",
    "accounts/fireworks/models/llama-v3p3-70b-instruct",
    "accounts/fireworks/models/deepseek-v3",
]
SHAPES = [
    "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200",
    "accounts/fireworks/trainingShapes/qwen3-30b-a3b-64k-h200",
    "accounts/fireworks/trainingShapes/qwen3-235b-a22b-256k-b200",
    "accounts/fireworks/trainingShapes/llama-v3p1-8b-32k-h100",
    "accounts/fireworks/trainingShapes/llama-v3p3-70b-64k-h200",
]
REGIONS = ["us-ohio-1", "us-virginia-1", "us-iowa-1", "eu-frankfurt-1", "ap-tokyo-1", "us-texas-2"]
ACCELERATORS = ["NVIDIA_H100_80GB", "NVIDIA_H200_141GB", "NVIDIA_B200_180GB", "AMD_MI300X"]
TOKENIZERS = ["Qwen/Qwen3-8B", "Qwen/Qwen3-30B-A3B", "meta-llama/Llama-3.1-8B-Instruct", "deepseek-ai/DeepSeek-V3"]
DATASETS = ["gsm8k", "math500", "countdown", "hotpotqa", "ultrafeedback", "tulu3-sft", "codecontests", "alfworld"]
NOUNS = [
    "batch", "prompt", "rollout", "reward", "sample", "episode", "trajectory", "checkpoint", "metric",
    "dataset", "record", "completion", "answer", "window", "shard", "split", "example", "group",
    "token", "turn", "tool_call", "judgement", "preference", "pair", "step", "eval", "run",
]
VERBS = [
    "load", "build", "filter", "score", "render", "collect", "prepare", "normalize", "shuffle",
    "merge", "split", "check", "summarize", "format", "parse", "clip", "bucket", "dedupe", "pack",
]
TEAMS = ["research", "post-training", "evals", "platform", "agents", "search", "ml-infra"]

#: InfraConfig fields and value makers; the shape-owned ones only on the manual path.
INFRA_SHAPE_OWNED = ["custom_image_tag", "accelerator_type", "accelerator_count", "node_count"]
INFRA_READS = [
    "training_shape_id", "ref_training_shape_id", "region", "custom_image_tag", "accelerator_type",
    "accelerator_count", "node_count", "trainer_timeout_s", "extra_args", "trainer_replica_count",
    "purpose", "managed_by", "skip_validations",
]
WS_FIELDS = [
    "weight_sync_interval", "dcp_save_interval", "dcp_timeout", "first_checkpoint_type",
    "weight_sync_before_training", "weight_sync_timeout",
]
HOTLOAD_FIELDS = ["hot_load_interval", "hot_load_before_training", "hot_load_timeout", "dcp_save_interval", "dcp_timeout"]
DEPLOY_FIELDS = ["deployment_id", "deployment_shape", "deployment_region", "tokenizer_model", "deployment_timeout_s", "sample_timeout", "replica_count"]

#: Recipe -> (legacy-only Config fields, ordinary fields with a value maker key).
RECIPES = {
    "rl_loop": (
        ["infra", "weight_sync", "policy_job_id", "reference_job_id", "policy_base_url", "reference_base_url", "rollout_base_model"],
        ["learning_rate", "kl_beta", "completions_per_prompt", "max_completion_tokens", "temperature", "epochs", "max_rows", "lora_rank", "prompt_groups_per_step", "eps_clip"],
    ),
    "igpo_loop": (
        ["infra", "weight_sync", "policy_job_id", "reference_job_id", "policy_base_url", "reference_base_url"],
        ["learning_rate", "kl_beta", "completions_per_prompt", "max_completion_tokens", "temperature", "gamma", "ig_weight", "scoring_workers", "lora_rank"],
    ),
    "async_rl_loop": (
        ["infra", "weight_sync", "policy_job_id"],
        ["learning_rate", "kl_beta", "completions_per_prompt", "max_completion_tokens", "max_head_offpolicy_versions", "min_group_size", "seed", "lora_rank"],
    ),
    "dpo_loop": (
        ["infra", "policy_job_id", "reference_job_id"],
        ["beta", "learning_rate", "epochs", "batch_size", "max_pairs", "lora_rank", "ref_cache_concurrency"],
    ),
    "sft_loop": (
        ["infra", "trainer_job_id", "trainer_base_url"],
        ["learning_rate", "epochs", "batch_size", "max_examples", "lora_rank", "warmup_steps", "grad_clip_norm", "seed"],
    ),
    "orpo_loop": (
        ["infra", "job_id"],
        ["orpo_lambda", "learning_rate", "epochs", "batch_size", "seed", "max_pairs", "lora_rank", "warmup_ratio"],
    ),
}
RL_FAMILY = ("rl_loop", "igpo_loop", "async_rl_loop")
RECIPE_WEIGHTS = {"rl_loop": 5, "igpo_loop": 2, "async_rl_loop": 2, "dpo_loop": 3, "sft_loop": 3, "orpo_loop": 1}
SHORT = {"rl_loop": "rl", "igpo_loop": "igpo", "async_rl_loop": "async_rl", "dpo_loop": "dpo", "sft_loop": "sft", "orpo_loop": "orpo"}

STDLIB = ["argparse", "json", "logging", "math", "os", "random", "re", "sys", "time", "itertools", "collections", "statistics", "pathlib", "typing"]


# --------------------------------------------------------------------------------------------
# A module under construction.


@dataclass
class Module:
    """Import lines (stdlib, then third party), sections of code, and the names bound by
    imports (so a fixture whose imports would rebind one of them is not mixed in)."""

    std: list[str] = field(default_factory=list)
    third: list[str] = field(default_factory=list)
    bound: dict[str, str] = field(default_factory=dict)
    head: list[str] = field(default_factory=list)  # docstring, then constants
    sections: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)

    def imp(self, line: str, std: bool = False) -> None:
        group = self.std if std else self.third
        if line not in group:
            group.append(line)
        for name in bound_by(line):
            self.bound.setdefault(name, line)

    def text(self, boot: str | None = None) -> str:
        """The module: docstring, imports (merged per module and sorted, as isort leaves them),
        constants, sections, tail. With ``boot`` (a ``sys.path`` line), the cookbook imports
        come after it, guarded by ``try``/``except ImportError``."""
        std, third = merged(self.std), merged(self.third)
        if boot:
            guarded = [line for line in third if line.split()[1].startswith("training")]
            rest = [line for line in third if line not in guarded]
            guard = "try:\n" + "\n".join(textwrap.indent(line, "    ") for line in guarded)
            guard += '\nexcept ImportError as exc:  # the cookbook checkout is missing\n    raise SystemExit(f"cannot import the cookbook ({exc}); clone it next to this repo") from None'
            imports = "\n\n".join(p for p in ("\n".join(std), boot, "\n".join(rest), guard) if p)
        else:
            imports = "\n\n".join(p for p in ("\n".join(std), "\n".join(third)) if p)
        out = (self.head[0].rstrip() + "\n\n") if self.head else ""
        out += imports + "\n"
        for part in [*self.head[1:], *self.sections, *self.tail]:
            out += "\n\n" + part.strip("\n") + "\n"
        return out


def merged(lines: list[str]) -> list[str]:
    """Import lines with the ``from M import ...`` of one module merged, sorted by module;
    a line too long for 100 columns is parenthesized, one name a line."""
    plain, froms = [], {}
    for line in lines:
        node = ast.parse(line).body[0]
        if isinstance(node, ast.ImportFrom):
            names = froms.setdefault(node.module, [])
            names.extend(f"{a.name} as {a.asname}" if a.asname else a.name for a in node.names if (f"{a.name} as {a.asname}" if a.asname else a.name) not in names)
        else:
            plain.append(line)
    out = sorted(dict.fromkeys(plain), key=lambda s: (s.split()[1], s))  # no set order: seeded means seeded
    for module in sorted(froms):
        names = sorted(froms[module], key=str.lower)
        line = f"from {module} import {', '.join(names)}"
        if len(line) > 100:
            line = f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"
        out.append(line)
    return out


def bound_by(line: str) -> list[str]:
    """The names an import line binds."""
    node = ast.parse(line).body[0]
    if isinstance(node, ast.Import):
        return [a.asname or a.name.split(".")[0] for a in node.names]
    if isinstance(node, ast.ImportFrom):
        return [a.asname or a.name for a in node.names]
    return []


# --------------------------------------------------------------------------------------------
# The writer: one per file, holding its choices.


class Writer:
    def __init__(self, rng: random.Random, recipe: str | None = None) -> None:
        self.r = rng
        self.m = Module()
        self.n = 0
        self.recipe = recipe or self.weighted(RECIPE_WEIGHTS)
        self.legacy, self.fields = RECIPES[self.recipe]
        self.gen = self.weighted({"gen2": 8, "gen1": 3, "gen0": 1}) if self.recipe in RL_FAMILY else self.weighted({"gen2": 4, "gen1": 1})
        self.model = self.pick(MODELS)
        self.shape = self.pick(SHAPES)
        self.region = self.pick(REGIONS)
        #: What this file's authors call a config and a training client.
        self.recv = self.pick(["cfg", "cfg", "config", "run_cfg", "conf", "recipe_cfg"])
        self.client = self.pick(["policy", "policy", "trainer", "client", "policy_client"])
        self._names: dict[str, str] = {}

    def house_style(self, text: str) -> str:
        """``text`` with this file's own names for the config and the training client."""
        if self.recv != "cfg":
            text = re.sub(r"\bcfg\b", self.recv, text)
        if self.client != "policy":
            text = re.sub(r"\bpolicy\b(?!_)", self.client, text)
        return text

    # Choices.
    def pick(self, items):
        return self.r.choice(items)

    def weighted(self, weights: dict):
        return self.r.choices(list(weights), weights=list(weights.values()))[0]

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def uid(self) -> int:
        self.n += 1
        return self.n

    def fname(self, prefix: str | None = None) -> str:
        verb = prefix or self.pick(VERBS)
        return f"{verb}_{self.pick(NOUNS)}_{self.uid()}"

    # Names, imported on first use in the form this file chose.
    def util(self, name: str) -> str:
        """``InfraConfig`` and friends, in one of the import forms seen in the wild."""
        if name in self._names:
            return self._names[name]
        form = self._names.setdefault("__utils_form__", self.weighted({"from": 10, "config": 3, "alias_module": 2, "alias_name": 2}))
        if form == "alias_module" or (form == "config" and name not in ("InfraConfig", "WeightSyncConfig", "DeployConfig", "HotloadConfig")):
            if form == "alias_module":
                self.m.imp("import training.utils as tu")
                ref = f"tu.{name}"
            else:
                self.m.imp(f"from training.utils import {name}")
                ref = name
        elif form == "config":
            self.m.imp(f"from training.utils.config import {name}")
            ref = name
        elif form == "alias_name" and name in ("InfraConfig", "WeightSyncConfig"):
            alias = {"InfraConfig": "LegacyInfra", "WeightSyncConfig": "LegacyWeightSync"}[name]
            self.m.imp(f"from training.utils import {name} as {alias}")
            ref = alias
        else:
            self.m.imp(f"from training.utils import {name}")
            ref = name
        if name == "setup_infra" and self.chance(0.3) and form != "alias_module":
            self.m.third = [line for line in self.m.third if line != "from training.utils import setup_infra"]
            self.m.imp("from training.utils.rl import setup_infra")
        self._names[name] = ref
        return ref

    def recipe_ref(self, what: str = "Config", recipe: str | None = None) -> str:
        """The recipe's ``Config`` or ``main``, in one of the import forms seen in the wild."""
        recipe = recipe or self.recipe
        key = f"recipe:{recipe}"
        form = self._names.get(key)
        if form is None:
            form = self._names[key] = self.weighted({"package": 8, "module_alias": 3, "names": 3})
        short = SHORT[recipe]
        if form == "package":
            self.m.imp(f"from training.recipes import {recipe}")
            return f"{recipe}.{what}"
        if form == "module_alias":
            self.m.imp(f"import training.recipes.{recipe} as {short}")
            return f"{short}.{what}"
        alias = {"Config": f"{short.title().replace('_', '')}Config", "main": f"run_{short}"}[what]
        self.m.imp(f"from training.recipes.{recipe} import {what} as {alias}")
        return alias

    def managers(self) -> tuple[str, str]:
        self.m.imp("from fireworks.training.sdk import DeploymentManager, TrainerJobManager")
        return "TrainerJobManager", "DeploymentManager"

    # Values.
    def infra_value(self, name: str) -> str:
        r = self.r
        return {
            "training_shape_id": repr(self.pick(SHAPES)),
            "ref_training_shape_id": repr(self.pick(SHAPES) + "-forward"),
            "region": repr(self.pick(REGIONS)),
            "custom_image_tag": repr(f"0.{r.randint(20, 40)}.{r.randint(0, 9)}"),
            "accelerator_type": repr(self.pick(ACCELERATORS)),
            "accelerator_count": str(r.choice([1, 2, 4, 8])),
            "node_count": str(r.choice([1, 2, 4])),
            "trainer_timeout_s": str(r.choice([1800, 3600, 5400, 7200, 10800])),
            "extra_args": repr(r.sample(["--profile", "--nccl-debug", "--grad-ckpt", "--fsdp-offload"], r.randint(1, 2))),
            "trainer_replica_count": str(r.choice([1, 2, 4])),
            "purpose": repr(r.choice(["PURPOSE_PILOT", "PURPOSE_PRODUCTION", "PURPOSE_EVAL"])),
            "managed_by": repr(r.choice(TEAMS)),
            "skip_validations": r.choice(["True", "False"]),
        }[name]

    def ws_value(self, name: str) -> str:
        r = self.r
        return {
            "weight_sync_interval": str(r.choice([0, 1, 2, 4, 8])),
            "dcp_save_interval": str(r.choice([0, 10, 25, 50, 100])),
            "dcp_timeout": str(r.choice([1800, 2700, 3600])),
            "first_checkpoint_type": repr(r.choice(["base", "delta"])),
            "weight_sync_before_training": r.choice(["True", "False"]),
            "weight_sync_timeout": str(r.choice([300, 600, 900, 1200])),
            "hot_load_interval": str(r.choice([1, 2, 4])),
            "hot_load_before_training": r.choice(["True", "False"]),
            "hot_load_timeout": str(r.choice([600, 1200])),
        }[name]

    def field_value(self, name: str) -> str:
        r = self.r
        table = {
            "learning_rate": lambda: repr(r.choice([1e-5, 2e-5, 5e-6, 1e-4, 3e-5])),
            "kl_beta": lambda: repr(r.choice([0.0, 0.001, 0.01, 0.05])),
            "completions_per_prompt": lambda: str(r.choice([4, 8, 16])),
            "max_completion_tokens": lambda: str(r.choice([512, 1024, 2048, 4096])),
            "temperature": lambda: repr(r.choice([0.7, 0.9, 1.0])),
            "epochs": lambda: str(r.choice([1, 2, 3])),
            "max_rows": lambda: str(r.choice([100, 500, 2000])),
            "lora_rank": lambda: str(r.choice([0, 8, 16, 32, 64])),
            "prompt_groups_per_step": lambda: str(r.choice([1, 2, 4])),
            "eps_clip": lambda: repr(r.choice([0.2, 0.28])),
            "gamma": lambda: repr(r.choice([0.95, 0.99])),
            "ig_weight": lambda: repr(r.choice([0.5, 1.0])),
            "scoring_workers": lambda: str(r.choice([4, 8, 16])),
            "max_head_offpolicy_versions": lambda: str(r.choice([0, 1, 2])),
            "min_group_size": lambda: str(r.choice([1, 2])),
            "seed": lambda: str(r.randint(0, 9999)),
            "beta": lambda: repr(r.choice([0.05, 0.1, 0.2])),
            "batch_size": lambda: str(r.choice([4, 8, 16, 32, 64])),
            "max_pairs": lambda: str(r.choice([1000, 5000, 20000])),
            "ref_cache_concurrency": lambda: str(r.choice([8, 16, 32])),
            "max_examples": lambda: str(r.choice([1000, 10000])),
            "warmup_steps": lambda: str(r.choice([0, 10, 50])),
            "grad_clip_norm": lambda: repr(r.choice([0.5, 1.0])),
            "orpo_lambda": lambda: repr(r.choice([0.5, 1.0, 2.0])),
            "warmup_ratio": lambda: repr(r.choice([0.0, 0.03, 0.1])),
        }
        return table[name]()

    def infra_call(self, indent: int = 0, multiline: bool | None = None, args: dict[str, str] | None = None) -> str:
        """``InfraConfig(...)`` with a plausible set of keywords (shape path or manual path)."""
        kw = dict(args or {})
        if not kw:
            if self.chance(0.75):
                kw["training_shape_id"] = self.infra_value("training_shape_id")
                pool = ["ref_training_shape_id", "region", "trainer_timeout_s", "trainer_replica_count", "extra_args", "purpose", "managed_by", "skip_validations"]
            else:
                pool = ["region", "custom_image_tag", "accelerator_type", "accelerator_count", "node_count", "trainer_timeout_s", "extra_args", "managed_by"]
            for name in self.r.sample(pool, self.r.randint(1, min(5, len(pool)))):
                kw[name] = self.infra_value(name)
        return self.call(self.util("InfraConfig"), kw, indent, multiline)

    def ws_call(self, indent: int = 0, multiline: bool | None = None) -> str:
        if self.gen == "gen0":
            names = self.r.sample(HOTLOAD_FIELDS, self.r.randint(1, 3))
            return self.call(self.util("HotloadConfig"), {n: self.ws_value(n) for n in names}, indent, multiline)
        pool = WS_FIELDS if self.recipe != "async_rl_loop" else [f for f in WS_FIELDS if f != "weight_sync_interval"]
        names = self.r.sample(pool, self.r.randint(1, 4))
        return self.call(self.util("WeightSyncConfig"), {n: self.ws_value(n) for n in names}, indent, multiline)

    def deploy_call(self, indent: int = 0) -> str:
        kw = {"deployment_id": repr(f"{SHORT[self.recipe]}-{self.pick(DATASETS)}-{self.r.randint(1, 99)}"), "tokenizer_model": repr(self.pick(TOKENIZERS))}
        for name in self.r.sample(["deployment_shape", "deployment_region", "deployment_timeout_s", "sample_timeout", "replica_count"], self.r.randint(0, 2)):
            kw[name] = {
                "deployment_shape": repr(f"accounts/fireworks/deploymentShapes/{self.pick(DATASETS)}-h200"),
                "deployment_region": repr(self.region),
                "deployment_timeout_s": str(self.r.choice([3600, 5400])),
                "sample_timeout": str(self.r.choice([300, 600])),
                "replica_count": str(self.r.choice([1, 2])),
            }[name]
        return self.call(self.util("DeployConfig"), kw, indent)

    def call(self, func: str, kw: dict[str, str], indent: int = 0, multiline: bool | None = None) -> str:
        args = [f"{k}={v}" for k, v in kw.items()]
        one = f"{func}({', '.join(args)})"
        if multiline is None:
            multiline = len(one) + indent > 96
        if not multiline:
            return one
        pad = " " * (indent + 4)
        comment = self.chance(0.15)
        lines = [f"{func}("]
        for i, a in enumerate(args):
            lines.append(f"{pad}{a},{'  # ' + self.pick(['tuned on the last run', 'see the runbook', 'TODO: revisit', 'matches prod', 'for the first boot']) if comment and i == 0 else ''}")
        lines.append(" " * indent + ")")
        return "\n".join(lines)

    def recipe_config(self, indent: int = 0, infra: str | None = None, ws: str | None = None, log_path: str | None = None, job: str | None = None) -> str:
        """A recipe ``Config(...)`` call with legacy keywords."""
        kw: dict[str, str] = {"log_path": log_path or repr(f"/tmp/{SHORT[self.recipe]}-{self.pick(DATASETS)}-{self.uid()}")}
        if self.chance(0.7):
            kw["base_model"] = repr(self.model)
        for name in self.r.sample(self.fields, self.r.randint(1, 4)):
            kw[name] = self.field_value(name)
        if "infra" in self.legacy:
            kw["infra"] = infra or self.infra_call(indent + 4)
        if self.recipe in RL_FAMILY:
            if self.gen == "gen0":
                kw["hotload"] = ws or self.ws_call(indent + 4)
            elif self.chance(0.85):
                kw["weight_sync"] = ws or self.ws_call(indent + 4)
            if self.chance(0.5):
                kw["deployment"] = self.deploy_call(indent + 4)
        elif self.chance(0.1):
            kw["weight_sync"] = ws or self.ws_call(indent + 4)  # never valid for sft/dpo/orpo; real code has it
        for name in self.legacy:
            if name.endswith("job_id") and (job or self.chance(0.35)):
                kw[name] = job or repr(f"{SHORT[self.recipe]}-{name.split('_')[0]}-{self.r.randint(100, 999)}")
                job = None
            elif name.endswith("base_url") and self.chance(0.1):
                kw[name] = repr(f"https://trainer-{self.r.randint(1, 9)}.internal:8443")
            elif name == "rollout_base_model" and self.chance(0.15):
                kw[name] = repr(self.pick(MODELS))
        return self.call(self.recipe_ref("Config"), kw, indent, multiline=True)

    def main_call(self, cfg: str, mgr: str = "rlor_mgr", dmgr: str = "deploy_mgr", indent: int = 4) -> str:
        main = self.recipe_ref("main")
        if self.recipe == "async_rl_loop":
            return f"{main}(\n{' ' * (indent + 4)}{cfg},\n{' ' * (indent + 4)}rollout_fn_factory=make_rollout_fn,\n{' ' * (indent + 4)}cancel_on_exit={self.pick(['True', 'False', 'args.cancel_on_exit'])},\n{' ' * indent})"
        if self.recipe in ("sft_loop", "orpo_loop"):
            return f"{main}({cfg}, rlor_mgr={mgr})" if self.chance(0.6) else f"{main}({cfg}, {mgr})"
        if self.recipe == "dpo_loop":
            return f"{main}({cfg}, rlor_mgr={mgr}, deploy_mgr={dmgr})"
        flag = "cleanup_on_exit" if self.gen == "gen0" else "cancel_on_exit"
        if self.chance(0.5):
            return f"{main}({cfg}, rlor_mgr={mgr}, deploy_mgr={dmgr}, {flag}={self.pick(['True', 'False', 'args.cancel_on_exit', 'not keep_resources'])})"
        return f"{main}({cfg}, {mgr}, {dmgr})"

    # Reads of legacy attributes.
    def reads(self, recv: str, n: int) -> list[str]:
        """``n`` expressions reading ``recv.infra.x`` / ``recv.weight_sync.x``."""
        out = []
        for _ in range(n):
            if self.recipe in RL_FAMILY and self.gen != "gen0" and self.chance(0.4):
                out.append(f"{recv}.weight_sync.{self.pick(WS_FIELDS)}")
            elif self.recipe in RL_FAMILY and self.gen == "gen0" and self.chance(0.3):
                out.append(f"{recv}.hotload.{self.pick(HOTLOAD_FIELDS)}")
            else:
                out.append(f"{recv}.infra.{self.pick(INFRA_READS)}")
        return out


def docstring(w: Writer, what: str) -> str:
    r = w.r
    first = {
        "train": f"Train {w.pick(['a policy', 'the assistant', 'a reasoning model', 'the agent'])} on {w.pick(DATASETS)} with {SHORT[w.recipe].upper()}.",
        "fork": f"A fork of the cookbook's {w.recipe} with our {w.pick(['reward shaping', 'data mixing', 'eval hooks', 'logging', 'curriculum'])}.",
        "tests": f"Tests for the {w.pick(DATASETS)} training configs.",
        "sweep": f"Sweep {w.pick(['learning rates', 'KL betas', 'LoRA ranks', 'shapes and regions'])} for {SHORT[w.recipe]} on {w.pick(DATASETS)}.",
        "runner": f"Experiment runners for the {w.pick(TEAMS)} team's {SHORT[w.recipe]} jobs.",
        "launch": f"Launch {SHORT[w.recipe]} runs from a checkout of the cookbook (no install needed).",
    }[what]
    extra = [
        "Run with --help for the options; the defaults are what we use in production.",
        f"Owner: {w.pick(TEAMS)}. Last tuned on {w.pick(MODELS).rsplit('/', 1)[1]}.",
        "The trainer and deployment are provisioned by the recipe (InfraConfig); see the runbook.",
        "Keep in sync with the configs under configs/ -- CI compares them.",
        f"Needs FIREWORKS_API_KEY; runs take about {r.randint(2, 30)} hours on {w.pick(ACCELERATORS)}.",
    ]
    body = "\n".join(r.sample(extra, r.randint(0, 3)))
    return f'"""{first}\n\n{body}\n"""' if body else f'"""{first}"""'


# --------------------------------------------------------------------------------------------
# Sections shared by several kinds (ordinary code, not legacy: real files are mostly this).


def sec_data_loader(w: Writer) -> str:
    w.m.imp("import json", std=True)
    w.m.imp("import random", std=True)
    w.m.imp("from pathlib import Path", std=True)
    name, key, limit = w.fname("load"), w.pick(["question", "prompt", "problem", "instruction"]), w.r.choice([1000, 5000, 20000])
    answer = w.pick(["answer", "solution", "target", "reference"])
    return f'''
def {name}(path: str | Path, limit: int = {limit}, seed: int = {w.r.randint(0, 999)}) -> list[dict]:
    """Rows of a JSONL file with a {key!r} and an {answer!r}, shuffled, at most ``limit``."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{{path}}:{{lineno}}: not JSON ({{exc}})") from None
            if {key!r} not in row or {answer!r} not in row:
                continue
            rows.append({{"prompt": row[{key!r}].strip(), "answer": str(row[{answer!r}]).strip(), "id": row.get("id", lineno)}})
    random.Random(seed).shuffle(rows)
    return rows[:limit]
'''


def sec_reward(w: Writer) -> str:
    w.m.imp("import re", std=True)
    name = w.fname("score")
    style = w.r.randint(0, 2)
    if style == 0:
        return f'''
_NUMBER_{w.n} = re.compile(r"-?\\d+(?:\\.\\d+)?")


def {name}(completion: str, answer: str) -> float:
    """1.0 when the last number in the completion equals the answer, {w.r.choice([0.1, 0.2, 0.0])} for a number at all."""
    found = _NUMBER_{w.n}.findall(completion.replace(",", ""))
    if not found:
        return 0.0
    try:
        return 1.0 if abs(float(found[-1]) - float(answer)) < 1e-6 else {w.r.choice([0.1, 0.2, 0.0])}
    except ValueError:
        return 0.0
'''
    if style == 1:
        tag = w.pick(["answer", "final", "result"])
        return f'''
def {name}(completion: str, answer: str, max_chars: int = {w.r.choice([2000, 4000, 8000])}) -> float:
    """Format and correctness: the answer inside <{tag}>...</{tag}>, with a length penalty."""
    match = re.search(r"<{tag}>(.*?)</{tag}>", completion, re.S)
    reward = 0.0
    if match:
        reward += {w.r.choice([0.1, 0.2])}
        if match.group(1).strip().lower() == answer.strip().lower():
            reward += 1.0
    if len(completion) > max_chars:
        reward -= min(0.5, (len(completion) - max_chars) / max_chars)
    return reward
'''
    return f'''
def {name}(completions: list[str], answers: list[str]) -> list[float]:
    """Group-normalized rewards (mean 0, unit variance) of exact matches."""
    raw = [1.0 if c.strip().endswith(a.strip()) else 0.0 for c, a in zip(completions, answers)]
    mean = sum(raw) / max(len(raw), 1)
    var = sum((x - mean) ** 2 for x in raw) / max(len(raw), 1)
    std = var ** 0.5 or 1.0
    return [(x - mean) / std for x in raw]
'''


def sec_batching(w: Writer) -> str:
    w.m.imp("import itertools", std=True)
    name = w.fname("pack")
    return f'''
def {name}(rows: list[dict], batch_size: int = {w.r.choice([8, 16, 32])}, max_tokens: int = {w.r.choice([4096, 8192, 16384])}):
    """Batches of at most ``batch_size`` rows and ``max_tokens`` (approximated by words x 1.3)."""
    batch, tokens = [], 0
    for row in rows:
        size = int(len(row["prompt"].split()) * 1.3) + 1
        if batch and (len(batch) == batch_size or tokens + size > max_tokens):
            yield batch
            batch, tokens = [], 0
        batch.append(row)
        tokens += size
    if batch:
        yield batch


def {name}_count(rows: list[dict], batch_size: int) -> int:
    return sum(1 for _ in itertools.islice({name}(rows, batch_size), 1_000_000))
'''


def sec_metrics(w: Writer) -> str:
    w.m.imp("import statistics", std=True)
    w.m.imp("import logging", std=True)
    name = w.fname("summarize")
    keys = w.r.sample(["reward", "kl", "loss", "entropy", "length", "accuracy", "clip_frac"], 3)
    return f'''
def {name}(history: list[dict], window: int = {w.r.choice([10, 20, 50])}) -> dict:
    """Moving means of {', '.join(keys)} over the last ``window`` steps."""
    recent = history[-window:]
    out = {{}}
    for key in {keys!r}:
        values = [h[key] for h in recent if key in h]
        if values:
            out[key] = statistics.fmean(values)
            out[key + "_std"] = statistics.pstdev(values) if len(values) > 1 else 0.0
    logging.getLogger(__name__).info("step %d: %s", len(history), ", ".join(f"{{k}}={{v:.4f}}" for k, v in out.items()))
    return out
'''


# --------------------------------------------------------------------------------------------
# Legacy sections.


def sec_config_builder(w: Writer) -> str:
    """A function building the recipe Config from argparse values."""
    name = w.fname("build")
    ws = ""
    infra_kw = {"training_shape_id": "args.shape or " + repr(w.shape), "region": "args.region", "trainer_timeout_s": "args.trainer_timeout"}
    if w.chance(0.5):
        infra_kw["ref_training_shape_id"] = "args.ref_shape"
    if w.chance(0.3):
        infra_kw["trainer_replica_count"] = "args.replicas"
    infra = w.infra_call(8, multiline=True, args=infra_kw)
    if w.recipe in RL_FAMILY and w.gen != "gen0":
        ws = f"    weight_sync = {w.util('WeightSyncConfig')}(weight_sync_interval=args.sync_every, dcp_save_interval=args.save_every)\n" if w.recipe != "async_rl_loop" else f"    weight_sync = {w.util('WeightSyncConfig')}(dcp_save_interval=args.save_every)\n"
    cfg = w.recipe_config(4, infra="infra", ws="weight_sync" if ws else None, log_path="args.log_path", job="args.resume_job")
    return f'''
def {name}(args) -> {w.recipe_ref("Config")}:
    """The recipe config for one run, from the command line."""
    infra = {infra}
{ws}    cfg = {cfg}
    if args.debug:
        cfg.infra.trainer_timeout_s = 600
        cfg.max_seq_len = 2048
    return cfg
'''


def sec_describe(w: Writer, recv: str = "cfg", ann: str | None = None) -> str:
    """A function reading many legacy attributes (logging the run's settings)."""
    name = w.fname("describe")
    reads = w.reads(recv, w.r.randint(3, 10))
    lines = "\n".join(f'        "{e.split(".", 1)[1].replace(".", "/")}": {e},' for e in dict.fromkeys(reads))
    ann = ann or w.recipe_ref("Config")
    return f'''
def {name}({recv}: {ann}) -> dict:
    """The settings worth logging with every run."""
    return {{
        "base_model": {recv}.base_model,
{lines}
    }}
'''


def sec_checks(w: Writer, recv: str = "cfg", ann: str | None = None) -> str:
    name = w.fname("check")
    ann = ann or w.recipe_ref("Config")
    body = []
    for e in w.reads(recv, w.r.randint(3, 8)):
        field_ = e.rsplit(".", 1)[1]
        if field_ in ("trainer_timeout_s", "weight_sync_timeout", "dcp_timeout", "hot_load_timeout"):
            body.append(f'    if {e} is not None and {e} < 60:\n        problems.append("{field_} under a minute: {{}}".format({e}))')
        elif field_ in ("weight_sync_interval", "dcp_save_interval", "hot_load_interval"):
            body.append(f'    if {e} < 0:\n        problems.append("{field_} must be >= 0")')
        elif field_ in ("training_shape_id", "ref_training_shape_id"):
            body.append(f'    if {e} and not {e}.startswith("accounts/"):\n        problems.append("{field_} must be a full resource name")')
        else:
            body.append(f"    seen.append(({field_!r}, {e}))")
    joined = "\n".join(body)
    return f'''
def {name}({recv}: "{ann}") -> list[str]:
    """What is wrong with a config, before we pay for a trainer."""
    problems: list[str] = []
    seen = []
{joined}
    if not {recv}.log_path:
        problems.append("log_path is required")
    return problems
'''


def sec_infra_helper(w: Writer) -> str:
    w.m.imp("import dataclasses", std=True)
    name = w.fname("make")
    infra = w.util("InfraConfig")
    field_a, field_b = w.r.sample(["region", "trainer_timeout_s", "trainer_replica_count", "ref_training_shape_id", "managed_by"], 2)
    return f'''
def {name}(base: {infra} | None = None, *, long_run: bool = False, region: str | None = None) -> {infra}:
    """The trainer settings of a run, derived from the team's defaults."""
    infra = base or {w.infra_call(4)}
    if long_run:
        infra = dataclasses.replace(infra, trainer_timeout_s=max(infra.trainer_timeout_s or 0, {w.r.choice([7200, 14400, 28800])}))
    if region is not None:
        infra = dataclasses.replace(infra, region=region)
    if infra.{field_a} is None:
        infra.{field_a} = {w.infra_value(field_a)}
    print("trainer:", infra.training_shape_id, infra.{field_b})
    return infra
'''


def sec_setup_flow(w: Writer) -> str:
    """setup_infra under ResourceCleanup, a reference from the policy, closeables closed."""
    name = w.fname("train")
    cleanup, setup = w.util("ResourceCleanup"), w.util("setup_infra")
    steps = w.r.choice([10, 50, 100, 500])
    role = w.pick(["sft", "dpo", "grpo", "orpo", "rl"])
    needs_ref = w.chance(0.5)
    ref_lines = "        reference = policy.create_base_reference()\n" if needs_ref and w.chance(0.6) else ("        reference = infra.reference\n" if needs_ref else "        reference = None\n")
    deploy = "deploy_mgr=deploy_mgr,\n            deploy_cfg=" + w.deploy_call(12) + ",\n            needs_inference=True,\n            " if w.chance(0.5) else ""
    return f'''
def {name}(rlor_mgr, deploy_mgr, api_key: str, steps: int = {steps}, lora_rank: int = {w.r.choice([0, 8, 16, 32])}):
    """Provision, train for ``steps``, and release everything on the way out."""
    with {cleanup}(rlor_mgr, deploy_mgr) as cleanup:
        infra = {setup}(
            rlor_mgr=rlor_mgr,
            {deploy}base_model={w.model!r},
            infra_cfg={w.infra_call(12)},
            lora_rank=lora_rank,
            learning_rate={w.field_value("learning_rate")},
            needs_reference={needs_ref},
            role_prefix={role!r},
            api_key=api_key,
            cleanup=cleanup,
        )
        policy = infra.policy
{ref_lines}        try:
            for step in range(steps):
                result = policy.forward_backward_custom([step], lambda data, logprobs: (0.0, {{}}))
                if reference is not None and step % {w.r.choice([5, 10])} == 0:
                    reference.forward([step], "cross_entropy")
                policy.optim_step(None)
                if step and step % {w.r.choice([25, 50, 100])} == 0:
                    policy.save_state(f"step-{{step}}")
        finally:
            for closeable in infra.closeables:
                closeable.close()
    return infra.policy_job_id
'''


def sec_low_level(w: Writer) -> str:
    w.m.imp("from concurrent.futures import ThreadPoolExecutor", std=True)
    helpers = w.r.sample(["create_trainer_job", "setup_deployment", "wait_trainer_job", "get_deployment_gpu_count", "setup_or_reattach_deployment"], 2)
    a, b = (w.util(h) for h in helpers)
    name = w.fname("provision")
    return f'''
def {name}(rlor_mgr, deploy_mgr, base_model: str = {w.model!r}):
    """The old hand-rolled provisioning: trainer and deployment in parallel."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit({a}, rlor_mgr, base_model)
        second = pool.submit({b}, deploy_mgr, base_model)
        return first.result(timeout={w.r.choice([1800, 3600])}), second.result()
'''


def sec_validate(w: Writer) -> str:
    validate = w.util("validate_config")
    name = w.fname("check")
    return f'''
def {name}(dataset: str, deploy_cfg=None) -> None:
    {validate}({w.model!r}, dataset, {w.ws_call(4) if w.gen != "gen0" else w.util("WeightSyncConfig") + "(dcp_save_interval=10)"}, deploy_cfg)
'''


# --------------------------------------------------------------------------------------------
# Kinds of file.


def kind_train(w: Writer, target: int) -> Module:
    m = w.m
    m.head.append(docstring(w, "train"))
    for mod in ("argparse", "logging", "os"):
        m.imp(f"import {mod}", std=True)
    m.head.append(f'logger = logging.getLogger({w.pick(["__name__", repr("train")])})\n\nBASE_MODEL = {w.model!r}\nDATASET = {("data/" + w.pick(DATASETS) + ".jsonl")!r}')
    makers = [sec_data_loader, sec_data_loader, sec_reward, sec_reward, sec_reward, sec_batching, sec_metrics, sec_metrics, sec_config_builder, sec_describe, sec_checks, sec_infra_helper]
    if w.recipe == "async_rl_loop":
        m.head.append("def make_rollout_fn(cfg):\n    return lambda rows: [{\"completion\": r[\"prompt\"][::-1]} for r in rows]")
    fill(w, makers, target, reserve=3500)
    mgr, dmgr = w.managers()
    args = argparse_block(w)
    cfg_kw = w.recipe_config(4, log_path="args.log_path", job="args.resume_job" if w.chance(0.5) else None)
    reads = "\n".join(f"    logger.info({(e.split('.', 1)[1] + ' = %s')!r}, {e})" for e in dict.fromkeys(w.reads("cfg", w.r.randint(3, 8))))
    cleanup = w.chance(0.4)
    run = w.main_call("cfg", indent=8 if cleanup else 4)
    if cleanup:
        run = f"with {w.util('ResourceCleanup')}(rlor_mgr, deploy_mgr):\n        {run}"
    m.tail.append(args)
    m.tail.append(f'''
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO)
    api_key = os.environ.get("FIREWORKS_API_KEY") or args.api_key
    rlor_mgr = {mgr}(api_key=api_key, base_url=args.base_url)
    deploy_mgr = {dmgr}(api_key=api_key)
    keep_resources = args.keep
    cfg = {cfg_kw}
{reads}
    {run}
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
''')
    return m


def argparse_block(w: Writer) -> str:
    opts = [
        ('"--log-path"', f'default={("/tmp/" + SHORT[w.recipe])!r}'),
        ('"--api-key"', 'default=None, help="defaults to $FIREWORKS_API_KEY"'),
        ('"--base-url"', 'default="https://api.fireworks.ai"'),
        ('"--shape"', "default=None, help=\"training shape (full resource name)\""),
        ('"--ref-shape"', "default=None"),
        ('"--region"', f"default={w.region!r}"),
        ('"--trainer-timeout"', f"type=int, default={w.r.choice([3600, 7200])}"),
        ('"--replicas"', "type=int, default=1"),
        ('"--sync-every"', "type=int, default=1"),
        ('"--save-every"', f"type=int, default={w.r.choice([0, 25, 50])}"),
        ('"--resume-job"', 'default=None, help="reattach to this trainer job"'),
        ('"--cancel-on-exit"', 'action="store_true"'),
        ('"--keep"', 'action="store_true", help="leave the trainer running"'),
        ('"--debug"', 'action="store_true"'),
        ('"--lr"', f"type=float, default={w.field_value('learning_rate')}"),
        ('"--epochs"', "type=int, default=1"),
        ('"--lora-rank"', f"type=int, default={w.field_value('lora_rank')}"),
        ('"--max-rows"', "type=int, default=None"),
        ('"--wandb-project"', f"default={('fw-' + w.pick(TEAMS))!r}"),
        ('"--seed"', "type=int, default=0"),
    ]
    lines = "\n".join(f"    parser.add_argument({a}, {b})" for a, b in opts)
    return f'''
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
{lines}
    return parser.parse_args(argv)
'''


def kind_fork(w: Writer, target: int) -> Module:
    m = w.m
    m.head.append(docstring(w, "fork"))
    m.imp("from dataclasses import dataclass, field", std=True)
    m.imp("import logging", std=True)
    m.imp("import time", std=True)
    infra, deploy = w.util("InfraConfig"), w.util("DeployConfig")
    ws_name = "hotload" if w.gen == "gen0" else "weight_sync"
    ws_type = w.util("HotloadConfig") if w.gen == "gen0" else w.util("WeightSyncConfig")
    values = {f: w.field_value(f) for f in w.r.sample(w.fields, w.r.randint(len(w.fields) // 2, len(w.fields)))}
    fields = [f"    {f}: {'float' if '.' in v or 'e-' in v else 'int'} = {v}" for f, v in values.items()]
    ours = [
        f"    reward_fn: str = {w.pick(['exact_match', 'math_verify', 'format_and_answer', 'judge'])!r}",
        f"    eval_dataset: str | None = {w.pick(['None', repr('gs://data/' + w.pick(DATASETS) + '-eval.jsonl')])}",
        f"    max_eval_rows: int = {w.r.choice([64, 128, 500])}",
        f"    log_every: int = {w.r.choice([1, 5, 10])}",
        f"    curriculum: list[str] = field(default_factory=lambda: {w.r.sample(DATASETS, 2)!r})",
        f"    wandb_project: str = {('fw-' + w.pick(TEAMS))!r}",
        f"    keep_checkpoints: int = {w.r.choice([2, 3, 5])}",
        f"    max_grad_norm: float = {w.r.choice([0.5, 1.0, 2.0])}",
        f"    tags: tuple[str, ...] = {tuple(w.r.sample(TEAMS, 2))!r}",
    ]
    fields += w.r.sample(ours, w.r.randint(2, 6))
    w.r.shuffle(fields)
    cfg_fields = "\n".join(fields)
    m.head.append(f'''logger = logging.getLogger(__name__)


@dataclass
class Config:
    """Our copy of the recipe's config, plus the knobs we added."""

    log_path: str
    base_model: str = {w.model!r}
    dataset: str = {("gs://data/" + w.pick(DATASETS) + ".jsonl")!r}
{cfg_fields}
    max_seq_len: int | None = None
    infra: {infra} = field(default_factory={infra})
    {ws_name}: {ws_type} = field(default_factory={ws_type})
    deployment: {deploy} = field(default_factory={deploy})
    policy_job_id: str | None = None
    reference_job_id: str | None = None
    eval_every: int = {w.r.choice([10, 20, 50])}
    max_steps: int | None = None''')
    makers = [sec_fork_loop_part, sec_fork_loop_part, sec_fork_trainer_kwargs, sec_fork_should, sec_describe_fork, sec_reward, sec_metrics, sec_checks_fork]
    fill(w, makers, target, reserve=3500)
    cleanup, setup = w.util("ResourceCleanup"), w.util("setup_infra")
    reads = "\n".join(f"    logger.info({(e.split('.', 1)[1] + ': %s')!r}, {e})" for e in dict.fromkeys(w.reads("config", w.r.randint(6, 14))))
    flag = "cleanup_on_exit" if w.gen == "gen0" else "cancel_on_exit"
    m.tail.append(f'''
def main(config: Config, rlor_mgr=None, deploy_mgr=None, {flag}: bool = False):
    """Provision the trainers (and the deployment), train, clean up."""
{reads}
    with {cleanup}(rlor_mgr, deploy_mgr) as cleanup:
        infra = {setup}(
            rlor_mgr=rlor_mgr,
            deploy_mgr=deploy_mgr,
            base_model=config.base_model,
            infra_cfg=config.infra,
            deploy_cfg=config.deployment,
            max_seq_len=config.max_seq_len,
            policy_job_id=config.policy_job_id,
            reference_job_id=config.reference_job_id,
            needs_reference=True,
            needs_inference={w.recipe in RL_FAMILY},
            role_prefix={SHORT[w.recipe]!r},
            api_key=os.environ["FIREWORKS_API_KEY"],
            cleanup=cleanup if {flag} else None,
        )
        policy = infra.policy
        reference = infra.reference or policy.create_base_reference()
        step = 0
        while config.max_steps is None or step < config.max_steps:
            started = time.monotonic()
            policy.forward_backward_custom([step], lambda data, logprobs: (0.0, {{}}))
            reference.forward([step], "cross_entropy")
            policy.optim_step(None)
            if config.{ws_name}.dcp_save_interval and step % config.{ws_name}.dcp_save_interval == 0:
                policy.save_state(f"step-{{step}}", timeout=config.{ws_name}.dcp_timeout)
            logger.info("step %d took %.1fs (trainer %s)", step, time.monotonic() - started, infra.policy_job_id)
            step += 1
    return infra
''')
    m.imp("import os", std=True)
    m.tail = [w.house_style(t) for t in m.tail]
    return m


def sec_fork_loop_part(w: Writer) -> str:
    """A piece of the fork's training loop: many reads of config.infra / config.weight_sync."""
    name = w.fname(w.pick(["run", "maybe", "handle", "sync", "save", "eval"]))
    ws = "hotload" if w.gen == "gen0" else "weight_sync"
    interval = "hot_load_interval" if w.gen == "gen0" else "weight_sync_interval"
    timeout = "hot_load_timeout" if w.gen == "gen0" else "weight_sync_timeout"
    before = "hot_load_before_training" if w.gen == "gen0" else "weight_sync_before_training"
    extra = "\n".join(f"    state.setdefault({e.rsplit('.', 1)[1]!r}, {e})" for e in dict.fromkeys(w.reads("cfg", w.r.randint(3, 9))))
    return f'''
def {name}(cfg: Config, policy, step: int, state: dict) -> dict:
    """One step's bookkeeping: sync the sampler, save, evaluate, as the config says."""
    if step == 0 and cfg.{ws}.{before}:
        policy.save_weights_for_sampler_ext("base", checkpoint_type=cfg.{ws}.first_checkpoint_type if hasattr(cfg.{ws}, "first_checkpoint_type") else "base", timeout=cfg.{ws}.{timeout})
    if cfg.{ws}.{interval} and step % cfg.{ws}.{interval} == 0:
        started = time.monotonic()
        policy.save_weights_for_sampler_ext(f"sync-{{step}}", timeout=cfg.{ws}.{timeout})
        state["last_sync"] = step
        state["sync_seconds"] = time.monotonic() - started
        if state["sync_seconds"] > 0.8 * cfg.{ws}.{timeout}:
            logger.warning("weight sync took %.0fs of %ds on %s", state["sync_seconds"], cfg.{ws}.{timeout}, cfg.infra.region)
    if cfg.{ws}.dcp_save_interval and step and step % cfg.{ws}.dcp_save_interval == 0:
        policy.save_state(f"dcp-{{step}}", timeout=cfg.{ws}.dcp_timeout)
    if cfg.infra.trainer_timeout_s and time.monotonic() - state.get("started", time.monotonic()) > cfg.infra.trainer_timeout_s:
        raise TimeoutError(f"trainer {{cfg.infra.training_shape_id}} in {{cfg.infra.region}} ran past {{cfg.infra.trainer_timeout_s}}s")
{extra}
    return state
'''


def sec_fork_trainer_kwargs(w: Writer) -> str:
    name = w.fname("trainer")
    items = "\n".join(f"        {f!r}: cfg.infra.{f}," for f in w.r.sample(INFRA_READS, w.r.randint(6, len(INFRA_READS))))
    return f'''
def {name}_kwargs(cfg: Config) -> dict:
    """What the trainer job is created with."""
    kwargs = {{
{items}
    }}
    if cfg.infra.training_shape_id is None:
        kwargs["accelerator_type"] = cfg.infra.accelerator_type or {w.pick(ACCELERATORS)!r}
        kwargs["accelerator_count"] = cfg.infra.accelerator_count or {w.r.choice([1, 8])}
    return {{k: v for k, v in kwargs.items() if v is not None}}
'''


def sec_fork_should(w: Writer) -> str:
    ws = "hotload" if w.gen == "gen0" else "weight_sync"
    f = w.pick(HOTLOAD_FIELDS if w.gen == "gen0" else WS_FIELDS)
    name = w.fname("should")
    return f'''
def {name}(cfg: Config, step: int) -> bool:
    every = cfg.{ws}.dcp_save_interval
    return bool(every) and step > 0 and step % every == 0 and cfg.{ws}.{f} is not None


def {name}_deadline(cfg: Config) -> float:
    return time.monotonic() + (cfg.infra.trainer_timeout_s or 3600) + cfg.{ws}.dcp_timeout
'''


def sec_describe_fork(w: Writer) -> str:
    return sec_describe(w, "cfg", ann="Config")


def sec_checks_fork(w: Writer) -> str:
    return sec_checks(w, "cfg", ann="Config")


def kind_tests(w: Writer, target: int) -> Module:
    m = w.m
    m.head.append(docstring(w, "tests"))
    m.imp("import dataclasses", std=True)
    m.imp("import pytest")
    infra = w.util("InfraConfig")
    fixture = f'''
@pytest.fixture
def infra_cfg() -> {infra}:
    return {w.infra_call(4)}


@pytest.fixture
def cfg(tmp_path, infra_cfg):
    return {w.recipe_config(4, infra="infra_cfg", log_path="str(tmp_path)")}
'''
    m.head.append(w.house_style(fixture))
    makers = [sec_test_reads, sec_test_reads, sec_test_replace, sec_test_param, sec_test_monkeypatch, sec_test_class]
    fill(w, makers, target, reserve=400)
    return m


def sec_test_reads(w: Writer) -> str:
    name = w.fname("test")
    asserts = "\n".join(f"    assert {e} == {e}" if w.chance(0.3) else f"    assert {e} is not None or {e} is None" for e in w.reads("cfg", w.r.randint(2, 6)))
    return f'''
def {name}(cfg):
{asserts}
    assert cfg.infra.training_shape_id is None or cfg.infra.training_shape_id.startswith("accounts/")
'''


def sec_test_replace(w: Writer) -> str:
    name = w.fname("test")
    fld = w.pick(["trainer_timeout_s", "trainer_replica_count", "region", "ref_training_shape_id"])
    value = w.infra_value(fld)
    return f'''
def {name}(infra_cfg):
    changed = dataclasses.replace(infra_cfg, {fld}={value})
    assert changed.{fld} == {value}
    assert changed.training_shape_id == infra_cfg.training_shape_id
    again = dataclasses.replace(changed, trainer_timeout_s=changed.trainer_timeout_s * 2)
    assert again.trainer_timeout_s == 2 * changed.trainer_timeout_s
'''


def sec_test_param(w: Writer) -> str:
    name = w.fname("test")
    shapes = w.r.sample(SHAPES, 3)
    return f'''
@pytest.mark.parametrize("shape", {shapes!r})
def {name}(tmp_path, shape):
    infra = {w.util("InfraConfig")}(training_shape_id=shape, trainer_timeout_s={w.infra_value("trainer_timeout_s")})
    cfg = {w.recipe_config(4, infra="infra", log_path="str(tmp_path)")}
    assert cfg.infra.training_shape_id == shape
    assert cfg.infra is infra
'''


def sec_test_monkeypatch(w: Writer) -> str:
    name = w.fname("test")
    setup = w.util("setup_infra")
    return f'''
def {name}(monkeypatch, cfg):
    calls = []

    def fake_setup_infra(**kwargs):
        calls.append(kwargs)
        raise RuntimeError("no trainer in tests")

    monkeypatch.setattr("training.utils.setup_infra", fake_setup_infra)
    with pytest.raises(RuntimeError):
        {setup}(rlor_mgr=None, base_model=cfg.base_model, infra_cfg=cfg.infra, role_prefix="test", api_key="k")
    assert calls == [] or calls[0]["infra_cfg"].region == cfg.infra.region
'''


def sec_test_class(w: Writer) -> str:
    name = f"Test{w.pick(NOUNS).title().replace('_', '')}{w.uid()}"
    methods = []
    for _ in range(w.r.randint(2, 4)):
        reads = "\n".join(f"        assert {e} == {e}" for e in w.reads("cfg", w.r.randint(2, 5)))
        methods.append(f"    def {w.fname('test')}(self, cfg):\n{reads}")
    joined = "\n\n".join(methods)
    return f'''
class {name}:
    """Grouped checks of one run's config."""

{joined}
'''


def kind_sweep(w: Writer, target: int) -> Module:
    m = w.m
    m.head.append(docstring(w, "sweep"))
    m.imp("import functools", std=True)
    m.imp("import itertools", std=True)
    m.imp("import os", std=True)
    m.imp("from concurrent.futures import ThreadPoolExecutor, as_completed", std=True)
    m.head.append(f"BASE_INFRA = {w.infra_call(0)}\nREGIONS = {w.r.sample(REGIONS, 3)!r}")
    makers = [sec_sweep_grid, sec_sweep_grid, sec_describe, sec_metrics, sec_infra_helper]
    fill(w, makers, target, reserve=1800)
    mgr, dmgr = w.managers()
    run = w.main_call("cfg", mgr="rlor_mgr", dmgr="deploy_mgr", indent=4).replace("args.cancel_on_exit", "True").replace("not keep_resources", "False")
    m.tail.append(f'''
def run_one(cfg, rlor_mgr, deploy_mgr):
    return {run}


def main(max_workers: int = {w.r.choice([2, 4, 8])}) -> None:
    api_key = os.environ["FIREWORKS_API_KEY"]
    rlor_mgr, deploy_mgr = {mgr}(api_key=api_key), {dmgr}(api_key=api_key)
    configs = [cfg for grid in GRIDS for cfg in grid()]
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        futures = {{pool.submit(run_one, cfg, rlor_mgr, deploy_mgr): cfg for cfg in configs}}
        for future in as_completed(futures):
            cfg = futures[future]
            print(cfg.log_path, cfg.infra.region, future.exception() or "ok")


if __name__ == "__main__":
    main()
''')
    grids = [s.split("def ", 1)[1].split("(", 1)[0] for s in m.sections if "def grid_" in s]
    m.tail.insert(0, f"GRIDS = [{', '.join(grids)}]")
    if w.recipe == "async_rl_loop":
        m.head.append("def make_rollout_fn(cfg):\n    return lambda rows: [{\"completion\": r[\"prompt\"]} for r in rows]")
    return m


def sec_sweep_grid(w: Writer) -> str:
    name = f"grid_{w.pick(NOUNS)}_{w.uid()}"
    a, b = w.r.sample(w.fields, 2)
    va = sorted({w.field_value(a) for _ in range(4)})
    vb = sorted({w.field_value(b) for _ in range(3)})
    ws = ""
    ws_kw = ""
    if w.recipe in RL_FAMILY and w.gen != "gen0":
        ws = f"    cadence = {w.ws_call(4)}\n"
        ws_kw = ", weight_sync=cadence"
    form = w.r.randint(0, 2)
    if form == 0:
        body = f'''    make = functools.partial({w.recipe_ref("Config")}, base_model={w.model!r}, infra=BASE_INFRA{ws_kw})
    return [
        make(log_path=f"/tmp/sweep/{name}/{{i}}", {a}={a}_, {b}={b}_)
        for i, ({a}_, {b}_) in enumerate(itertools.product({a.upper()}_VALUES_{w.n}, {b.upper()}_VALUES_{w.n}))
    ]'''
    elif form == 1:
        body = f'''    out = []
    for i, region in enumerate(REGIONS):
        infra = dataclasses.replace(BASE_INFRA, region=region, trainer_timeout_s=BASE_INFRA.trainer_timeout_s + 600 * i)
        for {a}_ in {a.upper()}_VALUES_{w.n}:
            out.append({w.recipe_ref("Config")}(log_path=f"/tmp/sweep/{name}/{{region}}-{{{a}_}}", infra=infra{ws_kw}, {a}={a}_))
    return out'''
        w.m.imp("import dataclasses", std=True)
    else:
        body = f'''    base = {w.recipe_config(4, infra="BASE_INFRA", ws="cadence" if ws else None)}
    out = []
    for {b}_ in {b.upper()}_VALUES_{w.n}:
        cfg = dataclasses.replace(base, {b}={b}_, log_path=f"{{base.log_path}}/{b}-{{{b}_}}")
        cfg.infra = dataclasses.replace(base.infra, managed_by="sweep")
        out.append(cfg)
    return out'''
        w.m.imp("import dataclasses", std=True)
    return f'''
{a.upper()}_VALUES_{w.n} = [{", ".join(va)}]
{b.upper()}_VALUES_{w.n} = [{", ".join(vb)}]


def {name}():
    """One grid of the sweep ({a} x {b})."""
{ws}{body}
'''


def kind_runner(w: Writer, target: int) -> Module:
    m = w.m
    m.head.append(docstring(w, "runner"))
    m.imp("import logging", std=True)
    m.imp("import os", std=True)
    m.head.append("log = logging.getLogger(__name__)")
    if w.recipe == "async_rl_loop":
        m.head.append("def make_rollout_fn(cfg):\n    return lambda rows: rows")
    w.managers()
    fill(w, [sec_runner_class, sec_runner_class, sec_describe, sec_reward], target, reserve=200)
    return m


def sec_runner_class(w: Writer) -> str:
    name = f"{w.pick(NOUNS).title().replace('_', '')}Runner{w.uid()}"
    cleanup, setup = w.util("ResourceCleanup"), w.util("setup_infra")
    reads = "\n".join(f"        log.info({(e.split('.', 2)[2] + ' = %s')!r}, {e})" for e in dict.fromkeys(w.reads("self.cfg", w.r.randint(3, 8))))
    props = "\n\n".join(
        f"    @property\n    def {f}(self):\n        return self.cfg.infra.{f}" for f in w.r.sample(INFRA_READS, w.r.randint(1, 4))
    )
    run = w.main_call("self.cfg", mgr="self.rlor_mgr", dmgr="self.deploy_mgr", indent=8).replace("args.cancel_on_exit", "self.cancel_on_exit").replace("not keep_resources", "self.cancel_on_exit")
    cfg = w.recipe_config(8)
    return f'''
class {name}:
    """Holds the managers, the config and the cleanup of one experiment."""

    def __init__(self, api_key: str | None = None, cancel_on_exit: bool = True) -> None:
        api_key = api_key or os.environ["FIREWORKS_API_KEY"]
        self.rlor_mgr = TrainerJobManager(api_key=api_key)
        self.deploy_mgr = DeploymentManager(api_key=api_key)
        self.cleanup = {cleanup}(self.rlor_mgr, self.deploy_mgr)
        self.cancel_on_exit = cancel_on_exit
        self.cfg = {cfg}
        self.infra = None

    def __enter__(self):
        self.cleanup.__enter__()
        return self

    def __exit__(self, *exc):
        return self.cleanup.__exit__(*exc)

{props}

    def provision(self):
{reads}
        self.infra = {setup}(
            rlor_mgr=self.rlor_mgr,
            deploy_mgr=self.deploy_mgr,
            base_model=self.cfg.base_model,
            infra_cfg=self.cfg.infra,
            role_prefix={SHORT[w.recipe]!r},
            api_key=os.environ["FIREWORKS_API_KEY"],
            cleanup=self.cleanup,
        )
        self.cleanup.trainer(self.infra.policy_job_id)
        return self.infra

    def run(self):
        return {run}

    def extend(self, seconds: int) -> None:
        self.cfg.infra.trainer_timeout_s = (self.cfg.infra.trainer_timeout_s or 0) + seconds
'''


def kind_launch(w: Writer, target: int) -> Module:
    m = w.m
    m.head.append(docstring(w, "launch"))
    m.imp("import os", std=True)
    m.imp("import sys", std=True)
    # The bootstrap must come before the cookbook imports: it lives in the docstring's slot's
    # neighbour, so build the import block by hand here.
    depth = w.r.choice(["..", "../..", "../../third_party"])
    boot = f'sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), {depth!r}, "cookbook"))'
    w._names["__boot__"] = boot
    makers = [sec_setup_flow, sec_setup_flow, sec_low_level, sec_validate, sec_infra_helper, sec_data_loader, sec_data_loader, sec_reward, sec_batching, sec_describe]
    fill(w, makers, target, reserve=1500)
    mgr, dmgr = w.managers()
    run = w.main_call("cfg", indent=4).replace("args.cancel_on_exit", "True").replace("not keep_resources", "False")
    m.tail.append(f'''
def main() -> None:
    api_key = os.environ["FIREWORKS_API_KEY"]
    rlor_mgr = {mgr}(api_key=api_key)
    deploy_mgr = {dmgr}(api_key=api_key)
    cfg = {w.recipe_config(4)}
    {run}


if __name__ == "__main__":
    main()
''')
    if w.recipe == "async_rl_loop":
        m.head.append("def make_rollout_fn(cfg):\n    return lambda rows: rows")
    return m


KINDS = {"train": (kind_train, 5), "fork": (kind_fork, 3), "tests": (kind_tests, 3), "sweep": (kind_sweep, 2), "runner": (kind_runner, 2), "launch": (kind_launch, 2)}
FOLDERS = {"train": "train", "fork": "recipes", "tests": "tests", "sweep": "sweeps", "runner": "lib", "launch": "scripts"}


def fill(w: Writer, makers, target: int, reserve: int) -> None:
    """Add sections until the file would pass ``target`` bytes (``reserve`` kept for the tail)."""
    size = len(w.m.text())
    while True:
        section = w.house_style(w.pick(makers)(w))
        if size + len(section) + reserve > target and w.m.sections:
            break
        w.m.sections.append(section)
        size += len(section) + 2
        if size + reserve > target:
            break


# --------------------------------------------------------------------------------------------
# Fixtures mixed in.


@dataclass
class Fixture:
    name: str
    imports: list[str]
    body: str
    defines: set[str]


def load_fixtures(paths: list[Path]) -> list[Fixture]:
    """The legacy fixtures that can be mixed into another module: their top-level imports (to
    hoist) and the rest, without docstring or marker comment. Not the no-op ones, not those
    with ``from __future__`` or a star import."""
    out = []
    for path in paths:
        text = path.read_text()
        if path.name.startswith("noop") or "__future__" in text or "import *" in text:
            continue
        tree = ast.parse(text)
        lines = text.splitlines()
        imports, keep, defines = [], [], set()
        for i, node in enumerate(tree.body):
            if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(ast.unparse(node))
                continue
            start = node.lineno - 1
            if getattr(node, "decorator_list", None):
                start = min(d.lineno for d in node.decorator_list) - 1
            while start > 0 and lines[start - 1].lstrip().startswith("#") and "ftmigrate-fixture" not in lines[start - 1]:
                start -= 1
            keep.append("\n".join(lines[start : node.end_lineno]))
            for target in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else [node]:
                if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    defines.add(target.name)
                elif isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                    defines.add(target.id)
        if keep:
            out.append(Fixture(f"{path.parent.name}/{path.name}", imports, "\n\n\n".join(keep), defines))
    return out


def mix_fixture(w: Writer, fx: Fixture, defined: set[str]) -> bool:
    """Append ``fx`` to the module if its imports and names do not rebind any of the module's."""
    for line in fx.imports:
        for name in bound_by(line):
            if name in w.m.bound and w.m.bound[name] != line and not _same_binding(w.m.bound[name], line, name):
                return False
            if name in defined:
                return False
    if fx.defines & (set(w.m.bound) | defined):
        return False
    for line in fx.imports:
        std = line.split()[1].split(".")[0] in {"dataclasses", "functools", "copy", "contextlib", "concurrent", "os", "sys", "typing", "itertools"}
        w.m.imp(line, std=std)
    w.m.sections.append(f"# --- {fx.name.split('/')[0].replace('_', ' ')} ---\n\n{fx.body}")
    return True


def _same_binding(a: str, b: str, name: str) -> bool:
    """Whether two import lines bind ``name`` to the same thing."""
    def target(line: str) -> str:
        node = ast.parse(line).body[0]
        for alias in node.names:
            if (alias.asname or (alias.name.split(".")[0] if isinstance(node, ast.Import) else alias.name)) == name:
                if isinstance(node, ast.Import):
                    return alias.name if alias.asname else alias.name.split(".")[0]
                return f"{node.module}.{alias.name}"
        return line
    return target(a) == target(b)


def defined_names(text: str) -> set[str]:
    tree = ast.parse(text)
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for t in ast.walk(node):
                if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store):
                    names.add(t.id)
    return names


# --------------------------------------------------------------------------------------------
# Files.


def render(w: Writer) -> str:
    return double_quotes(w.m.text(boot=w._names.get("__boot__")))


def double_quotes(text: str) -> str:
    """Single-quoted string literals (``repr`` makes them) in double quotes, as black does."""
    lines = text.splitlines(keepends=True)
    edits = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.STRING and tok.start[0] == tok.end[0]:
            body = tok.string.lstrip("rbfuRBFU")
            prefix = tok.string[: len(tok.string) - len(body)]
            if body.startswith("'") and not body.startswith("'''") and '"' not in body and "\\" not in body:
                edits.append((tok.start, tok.end, prefix + '"' + body[1:-1] + '"'))
    for (row, c0), (_, c1), new in reversed(edits):
        line = lines[row - 1]
        lines[row - 1] = line[:c0] + new + line[c1:]
    return "".join(lines)


def legacy_file(rng: random.Random, kind: str, target: int, fixtures: list[Fixture], recipe: str | None = None) -> str:
    w = Writer(rng, recipe)
    KINDS[kind][0](w, target)
    # Odds and ends: one or two fixtures' bodies, before the tail (main stays last).
    if fixtures and kind != "tests" or fixtures and rng.random() < 0.3:
        defined = set()
        for s in w.m.head + w.m.sections + w.m.tail:
            try:
                defined |= defined_names(s)
            except SyntaxError:
                pass
        for fx in rng.sample(fixtures, min(len(fixtures), 6)):
            if sum(s.startswith("# --- ") for s in w.m.sections) >= rng.choice([1, 2]):
                break
            if mix_fixture(w, fx, defined):
                defined |= fx.defines
    return render(w)


def scaled_family(seed: int, target: int, factor: int = 4) -> dict[str, str]:
    """Three versions of one recipe fork, the same density: ``base`` (the header, the Config
    and main, no section), ``x1`` (about ``target`` bytes of sections) and ``x<factor>``
    (``factor`` times the sections). Section names are unique across all of them."""
    rng = random.Random(seed)
    w = Writer(rng, "rl_loop")
    w.gen = "gen2"
    kind_fork(w, 0)  # head and tail, one section
    makers = [sec_fork_loop_part, sec_fork_loop_part, sec_fork_trainer_kwargs, sec_fork_should, sec_describe_fork, sec_reward, sec_metrics, sec_checks_fork, sec_setup_flow]
    w.m.sections = []
    budget = target - len(render(w))
    pool: list[str] = []
    # The kinds of section in turn (not drawn at random): the first ``cut`` sections and the
    # first ``factor * cut`` hold each kind in the same proportion, so the larger file has the
    # same mix of edits (text-only renames, statements LibCST must rewrite) as the smaller one.
    while sum(len(s) + 2 for s in pool) < budget * factor:
        pool.append(makers[len(pool) % len(makers)](w))
    base_text = render(w)  # with every import the sections added
    cut, acc = 0, 0
    for i, s in enumerate(pool):
        acc += len(s) + 2
        if acc >= budget:
            cut = i + 1
            break
    one = pool[:cut]
    many = pool[: cut * factor] if len(pool) >= cut * factor else pool
    while len(many) < cut * factor:
        many.append(makers[len(many) % len(makers)](w))
    out = {"base": base_text}
    w.m.sections = one
    out["x1"] = render(w)
    w.m.sections = many
    out[f"x{factor}"] = render(w)
    return out


def config_lines_file(n: int) -> str:
    """The pathological case of issue 13: ``n`` recipe ``Config(...)`` calls, one per line
    (a sweep written out; 20,000 lines are about 1.5 MB)."""
    head = (
        '"""Every run of the sweep, written out (generated by tools/expand_sweep.py)."""\n\n'
        "from training.recipes.rl_loop import Config\n"
        "from training.utils import InfraConfig\n\n"
        'INFRA = InfraConfig(training_shape_id="accounts/fireworks/trainingShapes/qwen3-8b-128k-h200")\n\n'
    )
    lrs = ["1e-05", "2e-05", "5e-06", "3e-05"]
    lines = [f'c{i:05d} = Config(log_path="/runs/{i:05d}", infra=INFRA, learning_rate={lrs[i % 4]})\n' for i in range(n)]
    return head + "".join(lines)


def corpus(seed: int, total_bytes: int, low: int, high: int, fixture_paths: list[Path]) -> list[tuple[str, str]]:
    """(relative path, text) of a legacy-dense corpus of about ``total_bytes``: file sizes drawn
    log-uniform in [low, high], kinds by weight, several projects."""
    rng = random.Random(seed)
    fixtures = load_fixtures(fixture_paths)
    files, size, i = [], 0, 0
    kinds = list(KINDS)
    weights = [KINDS[k][1] for k in kinds]
    while size < total_bytes:
        kind = rng.choices(kinds, weights=weights)[0]
        target = int(math.exp(rng.uniform(math.log(low), math.log(high))))
        text = legacy_file(random.Random(rng.getrandbits(64)), kind, target, fixtures)
        if len(text) > high:  # a section can overshoot a little: keep the files within range
            continue
        project = f"project_{i % max(1, total_bytes // 500_000)}"
        name = f"{kind}_{i:04d}.py" if kind != "tests" else f"test_{i:04d}.py"
        files.append((f"{project}/{FOLDERS[kind]}/{name}", text))
        size += len(text)
        i += 1
    return files
