"""How peer review's records are named to people: in the navigator, search, conflicts and imports.

Every record says what it is and whose it is in the words of the review ("Evidence note, lesson
visit, Year 9 science" in "Kineton Academy review, 14 May 2026"), never a kind's name or an id.
Names of staff are left out when ``hide_names`` is set (privacy mode): a reviewer is their role.
"""

from __future__ import annotations

import datetime as dt
import functools

from peerreview.errors import PeerReviewError
from peerreview.forms import FormLibrary
from peerreview.reports.model import long_date
from peerreview.sync.records import Record
from peerreview.sync.registry import Description
from peerreview.sync.store import Store

#: How each stage of a view of an area is named.
_STAGES = {"self": "Self-evaluation", "provisional": "Reviewer's view", "agreed": "Agreed outcome"}


def _get(store: Store, record_id: object) -> Record | None:
    if not isinstance(record_id, str) or not record_id:
        return None
    try:
        return store.get(record_id)
    except PeerReviewError:
        return None


def school_name(store: Store, review: Record) -> str:
    school = _get(store, review.get("school"))
    return school.title if school is not None else "Unknown school"


def _visit_dates(review: Record) -> str:
    from peerreview.review.report import visit_dates  # the report's own wording of the dates

    return visit_dates(review)


def review_words(store: Store, review_id: object, day: dt.date | None = None) -> str:
    """ "Kineton Academy review, 14 May 2026": whose review a record belongs to (on ``day``)."""
    review = _get(store, review_id)
    if review is None:
        return "A peer review"
    when = long_date(day) if day is not None else _visit_dates(review)
    return f"{school_name(store, review)} review, {when}"


def _day(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def describe_review(store: Store, record: Record, hide_names: bool) -> Description:
    """ "Peer review of Grace Academy · 3 and 4 March 2026", in "Grace Academy · Report agreed"."""
    from peerreview.review.reviews import Status

    title = record.get("title") or f"Peer review of {school_name(store, record)}"
    status = Status.of(record.get("status") or Status.PLANNED.value)
    status_words = status.label if status else ""
    context = " · ".join(x for x in (school_name(store, record), status_words) if x)
    return Description(f"{title} · {_visit_dates(record)}", context, short=title)


def describe_member(store: Store, record: Record, hide_names: bool) -> Description:
    """ "Amira Patel, lead reviewer" (or "Lead reviewer" in privacy mode)."""
    role = str(record.get("role") or "Team member")
    name = str(record.get("name") or "").strip()
    title = role if hide_names or not name else f"{name}, {role[0].lower()}{role[1:]}"
    return Description(title, review_words(store, record.get("review")))


def describe_activity(store: Store, record: Record, hide_names: bool) -> Description:
    """ "Lesson visit, 10:40 on 14 May 2026" in the review's words."""
    what = str(record.get("activity") or "Activity")
    day = _day(record.get("day"))
    when = " ".join(
        x for x in (str(record.get("start") or ""), f"on {long_date(day)}" if day else "") if x
    )
    title = f"{what}, {when}" if when else what
    return Description(title, review_words(store, record.get("review")))


def describe_line(store: Store, record: Record, hide_names: bool) -> Description:
    text = str(record.get("text") or "").strip() or "(not yet written)"
    return Description(
        f"Line of enquiry: {text}", review_words(store, record.get("review")), short=text
    )


def describe_evidence(store: Store, record: Record, hide_names: bool) -> Description:
    """ "Evidence note: Lesson visit, Year 9 Science" in "Peer review of Kineton Academy, 14 May
    2026" (who was present is never in its name)."""
    what = ", ".join(
        x
        for x in (
            str(record.get("activity") or "").strip(),
            " ".join(str(record.get(f) or "").strip() for f in ("year_group", "subject")).strip(),
        )
        if x
    )
    review = _get(store, record.get("review"))
    day = _day(record.get("time"))
    if review is None:
        context = "A peer review"
    else:
        when = long_date(day) if day is not None else _visit_dates(review)
        context = f"Peer review of {school_name(store, review)}, {when}"
    return Description(f"Evidence note: {what}" if what else "Evidence note", context)


def describe_view(store: Store, record: Record, hide_names: bool) -> Description:
    """ "Agreed outcome: Leadership and governance", "Amira Patel's view: Inclusion"."""
    review = _get(store, record.get("review"))
    area = area_title(store, review, str(record.get("area") or ""))
    stage = str(record.get("stage") or "")
    who = _STAGES.get(stage, "View")
    name = str(record.get("reviewer_name") or "").strip()
    if stage == "provisional" and name and not hide_names:
        who = f"{name}'s view"
    return Description(f"{who}: {area}", review_words(store, record.get("review")), short=area)


def describe_excellence(store: Store, record: Record, hide_names: bool) -> Description:
    title = str(record.get("title") or "").strip() or "(not yet named)"
    return Description(
        f"Area of excellence: {title}", review_words(store, record.get("review")), short=title
    )


def area_title(store: Store, review: Record | None, area: str) -> str:
    """An area's title: its line of enquiry's text, or its section's title in the framework."""
    line = _get(store, area) if len(area) == 36 else None
    if line is not None and line.kind == "enquiry_line":
        return str(line.get("text") or "Line of enquiry")
    if review is not None:
        titles = _framework_titles(
            str(review.get("framework_id") or ""), int(review.get("framework_version") or 0)
        )
        if area in titles:
            return titles[area]
    return area.replace("_", " ").replace("-", " ").strip().capitalize() or "An area"


@functools.lru_cache(maxsize=64)
def _framework_titles(form_id: str, version: int) -> dict[str, str]:
    """{area id: title} of a framework."""
    try:
        form = _forms().get(form_id, version or None)
    except (PeerReviewError, KeyError):
        return {}
    return {section.id: section.title for section in form.sections}


@functools.lru_cache(maxsize=1)
def _forms() -> FormLibrary:
    """The forms on this laptop, read once (they change only when a form is copied, and a form
    once installed keeps its sections: a new version is a new one)."""
    from peerreview.form_library import library
    from peerreview.forms import forms_dir, load_forms

    try:
        return library()
    except PeerReviewError:
        return load_forms(forms_dir())


DESCRIBERS = {
    "review": describe_review,
    "review_member": describe_member,
    "review_activity": describe_activity,
    "enquiry_line": describe_line,
    "evidence": describe_evidence,
    "area_view": describe_view,
    "excellence": describe_excellence,
}
