"""A partnership adapts a framework without code: copy it, edit it, use it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peerreview.cli import main
from peerreview.errors import FormError
from peerreview.form_library import copy_form, library
from peerreview.review import reviews as rv
from peerreview.review.report import build_review_report
from peerreview.sync.store import Store


def test_copied_framework_is_edited_and_used(tmp_path: Path) -> None:
    own = tmp_path / "forms"
    path = copy_form("review-estimates", "our-review", title="Our partnership's review", folder=own)
    text = path.read_text(encoding="utf-8").replace(
        'title = "Leadership at all levels"', 'title = "Leadership and culture"'
    )
    path.write_text(text, encoding="utf-8")
    lib = library(own)
    fw = rv.Framework.from_form(lib.get("our-review"))
    assert fw.title == "Our partnership's review" and fw.version == 1
    assert fw.areas[0].title == "Leadership and culture"
    store = Store.init(tmp_path / "a.db", device_name="A", partnership_name="P")
    school = store.create("school", {"name": "Coundon Court", "urn": 1})
    rid = rv.plan_review(store, fw, school=school, start_date=dt.date(2026, 3, 3))
    assert store.get(rid)["framework_id"] == "our-review"
    report = build_review_report(store, lib, rid)
    assert "Leadership and culture" in [getattr(b, "text", "") for b in report.blocks]


def test_copy_refuses_bad_or_taken_ids(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="cannot be a form id"):
        copy_form("review-estimates", "Our Review", folder=tmp_path)
    with pytest.raises(FormError, match="already a form"):
        copy_form("review-estimates", "review-ofsted", folder=tmp_path)
    with pytest.raises(FormError):
        copy_form("no-such-form", "x-form", folder=tmp_path)


def test_forms_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("peerreview.form_library.user_forms_dir", lambda: tmp_path / "own")
    assert main(["forms", "copy", "review-enquiry", "--as", "our-enquiry"]) == 0
    assert main(["forms", "list"]) == 0
    out = capsys.readouterr().out
    assert "our-enquiry (version 1, review)" in out and "review-ofsted" in out
    assert main(["forms", "copy", "review-enquiry", "--as", "our-enquiry"]) == 1
    assert "already a form" in capsys.readouterr().err
