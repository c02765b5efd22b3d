"""Make the peer review screenshots in docs/screenshots (review-*.png) from the small demo.

    .venv/bin/python docs/screenshots/make_review.py

Runs offscreen (no display needed) in a temporary folder: builds the small demo partnership, opens a
ReviewWorkspace on a review whose visit is under way ("now" is 10:40 on its first day), and saves
each tab, visit mode and privacy mode with ``widget.grab()`` at 1280 x 800.
"""

from __future__ import annotations

import datetime as dt

import shots

WORK = shots.private_home("peerreview-review-shots-")

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from peerreview.demo import build_demo  # noqa: E402
from peerreview.forms import forms_dir, load_forms  # noqa: E402
from peerreview.review import reviews as rv  # noqa: E402
from peerreview.sync.store import Store  # noqa: E402
from ui.review.new_review import NewReviewDialog  # noqa: E402
from ui.review.workspace import ReviewWorkspace  # noqa: E402
from ui.shell.app import make_application  # noqa: E402
from ui.shell.privacy import PrivacyMode  # noqa: E402
from ui.shell.session import Session  # noqa: E402

SIZE = (1280, 800)


def save(app: QApplication, widget: QWidget, name: str) -> None:
    shots.save(app, widget, shots.HERE / f"review-{name}.png")


def visit_review(store: Store) -> str:
    """The Ofsted-style review whose visit is under way (the demo's 'today' is its first day)."""
    reviews = [r for r in store.list("review") if r.get("status") == rv.Status.VISIT.value]
    chosen = next((r for r in reviews if r.get("framework_id") == "review-ofsted"), reviews[0])
    return chosen.id


def dress(store: Store, review_id: str, now: dt.datetime) -> None:
    """A few things a real team would have entered by 10:40 on day one."""
    review = store.get(review_id)
    store.update(review_id, {"title": "Peer review 2026", "sharing": rv.Sharing.HOST.value})
    framework = rv.framework_of(load_forms(forms_dir()), review)
    areas = [a.id for a in framework.areas]
    notes = (
        (
            "Lesson visit",
            "Year 4",
            "Maths",
            "Pupils explained their reasoning to a partner before writing; most used the sentence "
            "stems on the board. Two pupils with EHC plans worked with the class, not apart.",
            [areas[1], areas[0]],
            9,
            10,
        ),
        (
            "Learning walk",
            "Year 2",
            "Phonics",
            "Every group was taught at the right phonics phase; the pace was brisk and adults used "
            "the same routines in each room.",
            [areas[1]],
            9,
            35,
        ),
        (
            "Pupil voice",
            "Year 5",
            "",
            "Six pupils could say what they were learning and why; they described the reading "
            "rewards with real enthusiasm.",
            [areas[4], areas[1]],
            10,
            5,
        ),
    )
    for activity, year, subject, text, bears, h, m in notes:
        rv.add_evidence(
            store,
            review_id,
            activity=activity,
            year_group=year,
            subject=subject,
            note=text,
            areas=bears,
            present="Hannah Green, Amira Patel",
            time=now.replace(hour=h, minute=m),
        )


def main() -> int:
    app = make_application()
    db = WORK / "demo.db"
    store = Store.init(
        db,
        device_name="Amira's laptop",
        author="Amira Patel",
        partnership_name="Coventry and Warwickshire Schools Partnership",
    )
    build_demo(store, "small")
    review_id = visit_review(store)
    start = dt.date.fromisoformat(store.get(review_id)["start_date"])
    now = dt.datetime.combine(start, dt.time(10, 40))
    dress(store, review_id, now)

    session = Session(store, privacy=PrivacyMode())
    ws = ReviewWorkspace(session, review_id, clock=lambda: now)
    ws.resize(*SIZE)
    ws.setContentsMargins(16, 12, 16, 12)
    ws.show()
    for tab in ("plan", "self_evaluation"):
        ws.show_tab(tab)
        save(app, ws, tab.replace("_", "-"))

    ws.show_tab("evidence")
    cap = ws.capture
    cap.start_new_note()
    cap.activity.choose("Lesson visit")
    QTest.keyClicks(cap.year_group, "6")
    QTest.keyClicks(cap.subject, "English")
    cap.note.setPlainText(
        "Pupils read a challenging text aloud in pairs; the teacher modelled "
        "expression first. Disadvantaged pupils had the vocabulary pre-taught"
    )
    cap.chips.toggle(2)
    cap.flush()
    cap.bindings[2].show("Year 6")
    cap.note.setFocus()
    save(app, ws, "evidence")
    cap.set_visit_mode(True)
    save(app, ws, "visit-mode")
    cap.set_visit_mode(False)

    ws.show_tab("judgements")
    ws.judgements.show_area(rv.framework_of(session.forms, store.get(review_id)).areas[1].id)
    panel = ws.judgements.panel
    if panel is not None and hasattr(panel, "agreed_fields"):
        panel.agreed_fields["rationale"].setPlainText(
            "Lessons are consistently well sequenced and adapted; pupils with SEND learn "
            "alongside their peers."
        )
        panel.agreed_fields["www"].setPlainText("Phonics is taught with remarkable consistency.")
        panel.agreed_fields["ebi"].setPlainText(
            "Feedback routines were applied consistently so pupils act on it in every class."
        )
        if panel.agreed_picker is not None:
            panel.agreed_picker._choose("strong-standard")
    save(app, ws, "judgements")
    session.privacy.set_enabled(True)
    ws.show_tab("judgements")
    save(app, ws, "privacy")
    session.privacy.set_enabled(False)

    ws.show_tab("report")
    save(app, ws, "report")

    school = store.get(review_id)["school"]
    dialog = NewReviewDialog(session, school, today=start + dt.timedelta(days=300))
    dialog.show()
    save(app, dialog, "new-review")
    dialog.close()
    ws.close()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
