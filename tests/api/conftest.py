"""Shared fixtures: a clean local control plane for every test that provisions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ftmigrate.api.backend import LocalBackend
from ftmigrate.api.service import local_backend

BASE_MODEL = "accounts/fireworks/models/qwen3-8b"
SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200"
REFERENCE_SHAPE = "accounts/fireworks/trainingShapes/qwen3-8b-128k-h200-forward"


@pytest.fixture
def backend() -> Iterator[LocalBackend]:
    """The default ``local://`` control plane, emptied before and after the test."""
    plane = local_backend()
    plane.reset()
    yield plane
    plane.reset()


def kinds(backend: LocalBackend) -> list[tuple[str, str, str | None]]:
    """The event log as (kind, resource, role) triples: what happened, without the ids."""
    return [(e.kind, e.resource, e.role) for e in backend.events]
