"""Write the ``fixtures/notebooks/*.before.ipynb`` notebooks (run it from the repository root:
``python -m tests.notebooks.build_fixtures``; then ``FTMIGRATE_UPDATE_FIXTURES=1 pytest
tests/notebooks/test_fixtures.py`` writes the ``.after.ipynb`` files: review every diff).

One notebook per codemod family, made of one of its ``.py`` fixtures cut into cells, and the
cases notebooks have of their own: IPython magics, statements that depend on each other across
cells (a cell emptied, an import in one cell for a use in another), an empty notebook, outputs
with images and an error traceback, a cell that does not parse, non-ASCII text (raw UTF-8, and
``\\uXXXX`` escapes as some writers write it), and a rewrite that cannot be put into cells.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from tests.notebooks.helpers import PNG, cells_of, notebook

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "notebooks"

FAMILIES = {
    "config_attributes": "reads_and_writes",
    "infra_config": "basic_call",
    "legacy_references": "low_level_helpers",
    "recipe_config": "infra_keyword",
    "recipe_main": "keyword_managers",
    "reference_client": "infra_policy",
    "resource_cleanup": "explicit_registration",
    "setup_infra": "two_services",
    "target_signatures": "wrong_shape",
    "target_upgrade": "2026-08/june_rl_script",  # (its directive runs it at target 2026-08)
    "weight_sync": "rl_inline",
}

MAGICS = [
    "%pip install -q 'fireworks-ai[training-sdk]'\n%load_ext autoreload\n%autoreload 2",
    "import os\n\nfrom training.recipes import rl_loop\nfrom training.utils import InfraConfig, WeightSyncConfig",
    "!nvidia-smi\nfiles = !ls /data/*.jsonl\nprint(len(files))",
    "%%time\ninfra = InfraConfig(region=\"US_OHIO_1\", trainer_timeout_s=3600)",
    "%time cfg = rl_loop.Config(log_path=\"/tmp/rl\", infra=infra, weight_sync=WeightSyncConfig(weight_sync_interval=2))",
    "cfg.infra.region?",
    "for shape in [\"a\", \"b\"]:\n    !echo {shape}\n    cfg.infra.training_shape_id = shape",
    "%%bash\n# not Python: left as it is\necho 'InfraConfig(trainer_timeout_s=1)'",
    "%env FIREWORKS_API_KEY=sk-test\n%matplotlib inline",
]

SPLIT = [
    "from fireworks.training.sdk import DeploymentManager, TrainerJobManager",
    "from training.recipes import rl_loop\nfrom training.utils import InfraConfig",
    "# Managers, only for main() below: removed with it (this cell ends up empty)\nrlor_mgr = TrainerJobManager(api_key=\"k\")\ndeploy_mgr = DeploymentManager(api_key=\"k\")",
    "infra = InfraConfig(\n    region=\"US_OHIO_1\",\n    trainer_timeout_s=600,  # ten minutes\n)",
    "cfg = rl_loop.Config(log_path=\"/tmp/rl\", infra=infra)",
    "cfg.infra.region = \"EU_FRANKFURT_1\"\nprint(cfg.infra.region)",
    "rl_loop.main(cfg, rlor_mgr=rlor_mgr, deploy_mgr=deploy_mgr)",
]

ACROSS = [
    "# ftmigrate-fixture: unsafe\nimport os\n\nfrom fireworks.training.sdk import TrainerJobManager\nfrom training.utils import InfraConfig, setup_infra",
    "rlor_mgr = TrainerJobManager(os.environ[\"FIREWORKS_API_KEY\"], os.environ[\"FIREWORKS_BASE_URL\"])\n"
    "infra = setup_infra(\n    rlor_mgr=rlor_mgr,\n    base_model=\"accounts/fireworks/models/qwen3-8b\",\n    infra_cfg=InfraConfig(),\n"
    "    role_prefix=\"notebook\",\n    api_key=os.environ[\"FIREWORKS_API_KEY\"],\n)",
    "print(\"policy trainer:\", infra.policy_job_id)",
]


def _write(name: str, data: bytes) -> None:
    (OUT / f"{name}.before.ipynb").write_bytes(data)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for family, case in FAMILIES.items():
        cells = cells_of((ROOT / "fixtures" / family / f"{case}.before.py").read_text())
        _write(family, notebook(cells))
    _write("magics", notebook(MAGICS))
    _write("split_across_cells", notebook(SPLIT))
    _write("setup_infra_across_cells", notebook(ACROSS))
    empty = nbformat.v4.new_notebook()
    empty.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}, "title": "training notes"}
    _write("empty", (nbformat.writes(empty) + "\n").encode())
    _write("syntax_error_cell", notebook([
        "from training.utils import InfraConfig",
        "def half_written(:\n    pass",
        "infra = InfraConfig(trainer_timeout_s=600)",
    ]))
    text = [
        "# Réglages d'entraînement — 训练配置 ✓\nfrom training.utils import InfraConfig",
        "infra = InfraConfig(region=\"ÉU\", trainer_timeout_s=600)  # délai ⏱",
        "print(\"naïve café\", infra)",
    ]
    _write("non_ascii", notebook(text))
    _write("non_ascii_escaped", notebook(text, indent=1, ensure_ascii=True, sort_keys=True))
    outputs = nbformat.reads(notebook(cells_of((ROOT / "fixtures" / "infra_config" / "known_values.before.py").read_text())).decode(), 4)
    code = [c for c in outputs.cells if c.cell_type == "code"]
    code[-1].outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "TrainerJob(…)", "text/html": "<b>job</b>"}, execution_count=9),
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "image/svg+xml": "<svg/>"}, metadata={"image/png": {"width": 640}}),
        nbformat.v4.new_output("error", ename="TypeError", evalue="InfraConfig() got an unexpected keyword",
                               traceback=["\u001b[0;31mTypeError\u001b[0m: InfraConfig(...)"]),
    ]
    outputs.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2, "version_minor": 0}}
    _write("outputs_and_images", (nbformat.writes(outputs) + "\n").encode())
    json.loads((OUT / "magics.before.ipynb").read_text())  # every file is JSON


if __name__ == "__main__":
    main()
