"""Any bytes at all: legacy files cut short, with bytes flipped, inserted or dropped, and plain
noise behind a legacy import. Whatever comes in, the engine answers with one line of error and
no new bytes, or with a rewrite that compiles and that a second run leaves alone -- never an
exception, a crash or an internal error.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from ftmigrate.engine import RunSettings, process_source
from ftmigrate.rules import registry
from ftmigrate.transform import Options
from tests.reliability.conftest import LEGACY_IMPORT

SOURCES = [
    b"from training.recipes import rl_loop\n"
    b"from training.utils import InfraConfig, WeightSyncConfig\n\n"
    b'infra = InfraConfig(region="us", managed_by="team", trainer_timeout_s=60)\n'
    b"cfg = rl_loop.Config(\n"
    b'    log_path="/tmp/x",\n'
    b"    infra=infra,  # the trainer\n"
    b"    weight_sync=WeightSyncConfig(weight_sync_interval=2, dcp_timeout=10),\n"
    b'    policy_job_id="p1",\n'
    b")\n"
    b"rl_loop.main(cfg, rlor_mgr, deploy_mgr, cancel_on_exit=True)\n",
    b"import training.utils as tu\n\n\n"
    b"def build(region: str) -> tu.InfraConfig:\n"
    b'    """Docstring \xc3\xa9."""\n'
    b"    return tu.InfraConfig(region=region, ref_training_shape_id=SHAPE)\r\n",
]

#: How many inputs ran, and what became of them (printed with ``-s``).
COUNT = {"inputs": 0, "rewritten": 0, "refused": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    print(f"\nmutated inputs: {COUNT}")


def _settings() -> RunSettings:
    enabled = frozenset(code for code, rule in registry().items() if rule.default)
    return RunSettings(options=Options(mode="rewrite", enabled=enabled))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"(", b")", b"\n", b"\r", b"\t", b"#", b'"', b"\\", b"\x00", b"\xff", b" ", b":", b"lambda", b"\xef\xbb\xbf"]))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif action == "truncate":
            del data[at:]
    return bytes(data)


noise = st.binary(max_size=400).map(lambda b: LEGACY_IMPORT + b)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), noise))
def test_any_bytes_get_an_answer_never_an_exception(data: bytes) -> None:
    COUNT["inputs"] += 1
    note(repr(data))
    result, new = process_source(data, "case.py", _settings())
    assert not result.internal, result.error
    if result.status == "error":
        COUNT["refused"] += 1
        assert new is None and result.error and "\n" not in result.error
        return
    if new is not None:
        COUNT["rewritten"] += 1
        compile(new, "case.py", "exec", dont_inherit=True)
        again, newer = process_source(new, "case.py", _settings())
        assert again.status != "error" and newer is None, (again.error, newer)
