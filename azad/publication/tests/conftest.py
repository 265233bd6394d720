from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from azad.cases.tests.factories import World, make_world


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _inline_builds(settings: Any) -> None:
    """Build the public dataset in the test's thread: no background thread, no waiting."""
    settings.AZAD_PUBLICATION_INLINE = True
