"""What a person reads is whole and true: rule summaries are full sentences wherever they are
shown, and no message calls a name gone that the target still exports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ftmigrate.rules import registry
from tests.helpers import run

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.mark.parametrize("code", list(registry()))
def test_summary_is_a_whole_sentence(code: str) -> None:
    summary = registry()[code].summary()
    assert "\n" not in summary and "  " not in summary
    assert summary.endswith((".", ".)")), summary


def test_rules_listing_and_json_show_whole_summaries() -> None:
    listed = subprocess.run([sys.executable, "-m", "ftmigrate", "rules"], capture_output=True, text=True, check=True).stdout
    data = json.loads(subprocess.run([sys.executable, "-m", "ftmigrate", "rules", "--format", "json"], capture_output=True, text=True, check=True).stdout)
    by_code = {entry["code"]: entry["summary"] for entry in data}
    for code, rule in registry().items():
        assert by_code[code] == rule.summary()
        assert rule.summary() in listed, code
    assert "that the service does not provide." in by_code["FTM051"]


# At every target `InfraConfig` and `WeightSyncConfig` are still exported (deprecated shells no
# recipe Config accepts): a message saying they are gone sends a person after the wrong fix.
STILL_EXPORTED = ("InfraConfig", "WeightSyncConfig")


def test_no_message_calls_a_deprecated_name_gone() -> None:
    checked = 0
    for before in sorted(FIXTURES.glob("*/*.before.py")):
        for diag in run(before.read_text(), mode="lint").diagnostics:
            checked += 1
            for name in STILL_EXPORTED:
                for wording in (f"{name} is gone", f"{name} does not exist", f"{name}(...) is gone"):
                    assert wording not in diag.message, (before.name, diag.message)
    assert checked > 100


def test_weight_sync_config_message_says_what_is_true() -> None:
    source = "from training.utils import WeightSyncConfig\n\ndef cadence() -> WeightSyncConfig:\n    return WeightSyncConfig(weight_sync_interval=2)\n"
    messages = {d.message for d in run(source, mode="lint").diagnostics if d.code == "FTM015"}
    assert messages == {"WeightSyncConfig is deprecated, and not accepted by any recipe Config: its fields are top-level recipe Config keywords"}


def test_reference_deleted_on_exit_says_may_when_the_config_does_not_show_it() -> None:
    """FTM043 states the deletion when the Config shows a separate reference trainer (a KL
    penalty on a full-parameter run), and says the run may create one when the file does not
    show the Config, or not all of it (here kl_beta is an expression: it may be 0)."""
    source = (FIXTURES / "recipe_main" / "reference_hidden_configs.before.py").read_text()
    source += '\n\nrl_loop.main(rl_loop.Config(log_path="/tmp/full", infra=InfraConfig()))\n'
    messages = {d.line: d.message for d in run(source).diagnostics if d.code == "FTM043"}
    full = len(source.splitlines())
    assert messages.pop(full) == (
        "the target rl_loop.main deletes the separate reference trainer it creates on exit; legacy rl_loop.main left it running"
    )
    assert len(messages) == 5, messages
    for message in messages.values():
        assert message.startswith("the target rl_loop.main deletes on exit a separate reference trainer the run may create"), message
        assert message.endswith("; legacy rl_loop.main left it running"), message
    assert any("rl_loop.main is passed as a value" in m for m in messages.values())
    assert any("its Config is not shown here" in m for m in messages.values())
    assert any("the Config does not show whether it has one" in m for m in messages.values())
