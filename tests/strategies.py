"""Hypothesis strategies shared by the generated-program and equivalence suites."""

from __future__ import annotations

from hypothesis import strategies as st

#: Source text for a value of each legacy cadence field (WeightSyncConfig / HotloadConfig).
CADENCE = {
    "weight_sync_interval": st.integers(0, 10).map(str),
    "hot_load_interval": st.integers(0, 10).map(str),
    "dcp_save_interval": st.integers(0, 100).map(str),
    "dcp_timeout": st.integers(1, 9000).map(str),
    "first_checkpoint_type": st.sampled_from(['"base"', '"delta"']),
    "weight_sync_before_training": st.booleans().map(str),
    "hot_load_before_training": st.booleans().map(str),
    "weight_sync_timeout": st.integers(1, 3600).map(str),
    "hot_load_timeout": st.integers(1, 3600).map(str),
}
