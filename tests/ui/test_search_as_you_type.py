"""Search as people type: every hit counted and grouped at once, described when shown, and worded
the same as if all were described with the search; privacy mode words them again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peerreview.sync.store import Store
from ui.shell.privacy import PrivacyMode
from ui.shell.search import FIRST_DESCRIBED, HTML_ROLE, LINES_ROLE, SearchResultsModel
from ui.shell.session import Session


@pytest.fixture
def session(demo_copy: Path, app: Any) -> Any:
    session = Session(Store.open(demo_copy), privacy=PrivacyMode())
    yield session
    session.store.close()


def _words(model: SearchResultsModel) -> list[tuple[str, str, int]]:
    out = []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            hit = model.index(r, 0, group)
            out.append((hit.data(), hit.data(HTML_ROLE), hit.data(LINES_ROLE)))
    return out


def test_hits_are_described_when_shown_and_worded_as_if_all_were(session: Any) -> None:
    model = SearchResultsModel(session)
    n = model.search("re")
    assert n > FIRST_DESCRIBED  # enough hits for some to wait until they are shown
    waiting = sum(1 for row in model._shown if row.hit is not None)
    assert waiting == n - FIRST_DESCRIBED
    lines_before = [
        model.index(r, 0, model.index(g, 0)).data(LINES_ROLE)
        for g in range(model.rowCount())
        for r in range(model.rowCount(model.index(g, 0)))
    ]
    shown = _words(model)  # asking for each describes it
    assert all(row.hit is None for row in model._shown)
    assert [lines for _t, _h, lines in shown] == lines_before  # sized right before described
    assert [html.count("<br>") + 1 for _t, html, _l in shown] == lines_before
    # The same words as the core's search, which describes every hit at once.
    results = session.searcher.search("re")
    assert len(results.found) == n
    titles = {f.record.id: f.description.title for f in results.found}
    for row in model._shown:
        assert row.title == titles[row.record_id]


def test_privacy_mode_words_the_hits_again(session: Any) -> None:
    store = session.store
    person = next(p for p in store.list("person") if p.get("role"))
    surname = str(person["name"]).split()[-1]
    model = SearchResultsModel(session)
    model.search(surname)
    assert any(surname in text for text, _h, _l in _words(model))
    session.privacy.set_enabled(True)
    assert not any(surname in text for text, _h, _l in _words(model))
    session.privacy.set_enabled(False)
    assert any(surname in text for text, _h, _l in _words(model))
