"""Action plans' tests: a store with a school, its people, and an agreed review with EBIs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from review_world import World, make_world

from peerreview.forms import FormLibrary, forms_dir, load_forms
from peerreview.sync.store import Store


@pytest.fixture(scope="session")
def library() -> FormLibrary:
    return load_forms(forms_dir())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.init(
        tmp_path / "a.db",
        device_name="Mrs Patel's laptop",
        author="Mrs Patel",
        partnership_name="Coventry Schools Partnership",
    )
    yield s
    s.close()


@pytest.fixture
def world(store: Store, library: FormLibrary) -> World:
    return make_world(store, library)
