"""The peer review report: what a review's report prints, read from the store, laid out as a model.

Two steps. :func:`read_review` reads everything the report prints into a :class:`ReviewContent`
(plain frozen values), and :func:`layout` turns that into a report model without touching the
store. Because the model is a pure function of the content, the agreement hash
(:func:`content_hash`, the SHA-256 of the content) covers exactly what is printed: an edit to
anything in the report after agreement shows as "changed after agreement", and an edit to
something the report does not print (a reviewer's provisional view, who was present) does not.

The host school owns the report. It states who it is for and how confidential it is, on the cover
and on every page, and it is developmental in tone: no grade for any individual teacher appears in
it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

import orjson

from peerreview.errors import ValidationError
from peerreview.forms import FormLibrary
from peerreview.reports.model import (
    Block,
    BulletList,
    Callout,
    Heading,
    Judgement,
    KeyValues,
    Note,
    PageBreak,
    Paragraph,
    Report,
    SignOff,
    Table,
    clock_time,
    long_date,
)
from peerreview.review.reviews import (
    Area,
    Sharing,
    Stage,
    Status,
    areas,
    carried_forward,
    evidence,
    excellence,
    framework_of,
    get_view,
    schedule,
    team,
)
from peerreview.sync.records import Record
from peerreview.sync.store import Store

DEVELOPMENTAL = "Developmental, not for accountability."
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: An appendix starts on a new page only when less than this share of the page is left.
APPENDIX_ROOM = 0.15


def _date(text: str | None) -> str:
    return long_date(dt.date.fromisoformat(text)) if text else ""


def day_title(day: dt.date) -> str:
    """ "Tuesday 3 March 2026"."""
    return f"{_WEEKDAYS[day.weekday()]} {long_date(day)}"


def visit_dates(review: Record) -> str:
    """ "3 and 4 March 2026", "3 March 2026" or "30 March to 1 April 2026"."""
    return _visit_dates(review.get("start_date") or "", review.get("end_date") or "")


def _visit_dates(start: str, end: str) -> str:
    end = end or start
    if not start:
        return "Dates to be agreed"
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if a == b:
        return long_date(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day} and {long_date(b)}" if (b - a).days == 1 else f"{a.day} to {long_date(b)}"
    if a.year == b.year:
        return f"{a.day} {long_date(a).split(' ', 1)[1].rsplit(' ', 1)[0]} to {long_date(b)}"
    return f"{long_date(a)} to {long_date(b)}"


# ===================================================================== what the report prints


@dataclass(frozen=True, slots=True)
class AreaContent:
    """One area as printed: the school's view, the agreed outcome (labels, not stored values)."""

    title: str
    scale: tuple[str, ...]  # the scale's labels, best first; empty for a line of enquiry
    self_judgement: str
    self_summary: str
    agreed: bool  # an agreed outcome exists (even an empty one)
    judgement: str
    evidence_summary: str
    rationale: str
    www: str
    ebi: str


@dataclass(frozen=True, slots=True)
class ActivityContent:
    """One row of the visit's schedule."""

    day: str
    start: str
    end: str
    activity: str
    description: str
    people: str


@dataclass(frozen=True, slots=True)
class EvidenceContent:
    """One evidence note as printed in the evidence log (who was present is not printed)."""

    time: str
    activity: str
    year_group: str
    subject: str
    note: str
    areas: tuple[str, ...]  # titles of the review's areas it bears on


@dataclass(frozen=True, slots=True)
class ReviewContent:
    """Everything the report of one review prints, and nothing else.

    The agreement hash is the hash of this value, so a field belongs here exactly when the report
    prints it. Who agreed, when and the status are not content: they are the agreement itself.
    """

    school_name: str
    partnership_name: str
    framework_title: str
    judged: bool
    start_date: str
    end_date: str
    sharing: str
    context: str
    focus: str
    enquiry_question: str
    host_comments: str
    team: tuple[tuple[str, str, str], ...]  # (name, role, school)
    areas: tuple[AreaContent, ...]
    carried_forward: tuple[tuple[str, str], ...]  # (area, next step from the last review)
    excellence: tuple[tuple[str, str], ...]  # (title, description)
    schedule: tuple[ActivityContent, ...]
    evidence: tuple[EvidenceContent, ...]


@dataclass(frozen=True, slots=True)
class AgreementState:
    """Where the review is and who agreed it: printed, but not part of what was agreed."""

    status: Status
    agreed_by: str
    agreed_on: str
    agreed_hash: str


def read_review(
    store: Store, library: FormLibrary, review_id: str
) -> tuple[ReviewContent, AgreementState]:
    """Read what the report of a review prints, in the framework (version) it was made with."""
    review = store.get(review_id)
    fw = framework_of(library, review)
    school = review.get("school")
    school_name = store.title(school) if school and store.exists(school) else "Unknown school"
    partnership = store.title(store.partnership_id) if store.partnership_id else "PeerReview"
    review_areas = areas(store, fw, review.id)
    titles = {a.id: a.title for a in review_areas}
    members = tuple(
        (
            m.get("name", ""),
            m.get("role", ""),
            store.title(m["school"]) if m.get("school") and store.exists(m["school"]) else "",
        )
        for m in team(store, review.id)
    )
    content = ReviewContent(
        school_name=school_name,
        partnership_name=partnership,
        framework_title=fw.title,
        judged=fw.judged,
        start_date=review.get("start_date") or "",
        end_date=review.get("end_date") or "",
        sharing=review.get("sharing", Sharing.HOST.value),
        context=review.get("context") or "",
        focus=review.get("focus") or "",
        enquiry_question=review.get("enquiry_question") or "",
        host_comments=review.get("host_comments") or "",
        team=members,
        areas=tuple(_area_content(store, review.id, a) for a in review_areas),
        carried_forward=tuple((c.area, c.text) for c in carried_forward(store, library, review.id)),
        excellence=tuple(
            (x.get("title", ""), x.get("description", "")) for x in excellence(store, review.id)
        ),
        schedule=tuple(
            ActivityContent(
                a.get("day") or "",
                a.get("start") or "",
                a.get("end") or "",
                a.get("activity") or "",
                a.get("description") or "",
                a.get("people") or "",
            )
            for a in schedule(store, review.id)
        ),
        evidence=tuple(
            EvidenceContent(
                n.get("time") or "",
                n.get("activity") or "",
                n.get("year_group") or "",
                n.get("subject") or "",
                n.get("note") or "",
                tuple(titles[a] for a in (n.get("areas") or []) if a in titles),
            )
            for n in evidence(store, review.id)
        ),
    )
    state = AgreementState(
        Status(review.get("status", Status.PLANNED.value)),
        review.get("agreed_by") or "",
        review.get("agreed_on") or "",
        review.get("agreed_hash") or "",
    )
    return content, state


def _area_content(store: Store, review: str, area: Area) -> AreaContent:
    own = get_view(store, review, area.id, Stage.SELF)
    agreed = get_view(store, review, area.id, Stage.AGREED)
    mine = own.values if own is not None else {}
    ours = agreed.values if agreed is not None else {}
    return AreaContent(
        title=area.title,
        scale=tuple(level.label for level in area.scale.levels) if area.scale else (),
        self_judgement=_label(area, mine.get("judgement") or ""),
        self_summary=mine.get("evidence_summary") or "",
        agreed=agreed is not None,
        judgement=_label(area, ours.get("judgement") or ""),
        evidence_summary=ours.get("evidence_summary") or "",
        rationale=ours.get("rationale") or "",
        www=ours.get("www") or "",
        ebi=ours.get("ebi") or "",
    )


def _label(area: Area, value: str) -> str:
    if area.scale is None or not value:
        return value
    try:
        return area.scale.level(value).label
    except KeyError:
        return value


# ===================================================================== agreement


def hash_content(content: ReviewContent) -> str:
    """SHA-256 of what a report prints (its canonical JSON: dataclass fields in order)."""
    return hashlib.sha256(orjson.dumps(content)).hexdigest()


def content_hash(store: Store, library: FormLibrary, review_id: str) -> str:
    """The hash of what the review's report prints, as agreed or as it stands now."""
    return hash_content(read_review(store, library, review_id)[0])


def agree(
    store: Store,
    library: FormLibrary,
    review_id: str,
    *,
    agreed_by: str,
    on: dt.date | None = None,
) -> None:
    """Record that the host school and the team agreed the report, with a hash of its content."""
    if not agreed_by.strip():
        raise ValidationError(
            "Say who agreed the report (for example the headteacher of the host school)."
        )
    store.update(
        review_id,
        {
            "status": Status.AGREED.value,
            "agreed_by": agreed_by.strip(),
            "agreed_on": (on or dt.date.today()).isoformat(),
            "agreed_hash": content_hash(store, library, review_id),
        },
    )


def changed_after_agreement(store: Store, library: FormLibrary, review_id: str) -> bool:
    """True when what the report prints differs from what was agreed."""
    content, state = read_review(store, library, review_id)
    return _changed(content, state)


def _changed(content: ReviewContent, state: AgreementState) -> bool:
    return bool(state.agreed_hash) and state.agreed_hash != hash_content(content)


# ===================================================================== before agreeing


@dataclass(frozen=True, slots=True)
class Check:
    """One thing a strong review has before its report is agreed."""

    done: bool
    #: as the checklist says it ("Every area has an agreed outcome.")
    text: str
    #: what is missing, said as the question before agreeing says it ("" when done)
    missing: str = ""
    #: True when agreeing without it is usual (the host school's comments may come later)
    optional: bool = False


def _which(titles: list[str]) -> str:
    return ", ".join(titles[:3]) + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")


def readiness(store: Store, library: FormLibrary, review_id: str) -> list[Check]:
    """What the review has, and lacks, before its report is agreed: an agreed outcome (a
    judgement, where the framework judges) for every area, a next step for every area (a review
    that ends without next steps is a weak review), the lead reviewer, the host's comments."""
    content, _state = read_review(store, library, review_id)
    areas_ = content.areas
    steps = "an even better if" if content.judged else "an area for development"
    steps_plural = "even better ifs" if content.judged else "areas for development"
    if content.judged:
        unsettled = [a.title for a in areas_ if a.scale and not a.judgement]
        unsettled += [a.title for a in areas_ if not a.scale and not _agreed_anything(a)]
    else:
        unsettled = [a.title for a in areas_ if not _agreed_anything(a)]
    no_steps = [a.title for a in areas_ if not a.ebi]
    lead = any(role == "Lead reviewer" and name for name, role, _school in content.team)
    n = len(areas_)
    outcome = "agreed judgement" if content.judged else "agreed findings"
    checks = [
        Check(
            bool(areas_) and not unsettled,
            "Every area has an agreed outcome."
            if areas_ and not unsettled
            else (
                "Add the areas first."
                if not areas_
                else f"No agreed outcome yet: {_which(unsettled)}."
            ),
            ""
            if areas_ and not unsettled
            else (
                "The review has no areas yet."
                if not areas_
                else f"{len(unsettled)} of {n} areas have no {outcome}: {_which(unsettled)}."
            ),
        ),
        Check(
            bool(areas_) and not no_steps,
            f"Every area has {steps}."
            if areas_ and not no_steps
            else f"Without {steps}: {_which(no_steps)}."
            if areas_
            else f"Every area needs {steps}.",
            ""
            if areas_ and not no_steps
            else (
                f"No area has {steps}: the school has no next steps to act on."
                if len(no_steps) == n
                else f"{len(no_steps)} of {n} areas have no {steps} ({_which(no_steps)})."
            )
            if areas_
            else f"There are no {steps_plural}.",
        ),
        Check(
            lead,
            "The lead reviewer is named." if lead else "Name the lead reviewer (Plan tab).",
            "" if lead else "No lead reviewer is named.",
        ),
        Check(
            bool(content.host_comments),
            "The host school's comments are recorded."
            if content.host_comments
            else "The host school has not commented yet (optional).",
            "" if content.host_comments else "The host school has not commented.",
            optional=True,
        ),
    ]
    return checks


def _agreed_anything(area: AreaContent) -> bool:
    return area.agreed and any(
        (area.judgement, area.rationale, area.www, area.ebi, area.evidence_summary)
    )


# ===================================================================== the report model


def build_review_report(
    store: Store,
    library: FormLibrary,
    review_id: str,
    *,
    include_evidence: bool = True,
    today: dt.date | None = None,
) -> Report:
    """The report model of one review, in the framework it was made with."""
    content, state = read_review(store, library, review_id)
    return layout(
        content,
        state,
        include_evidence=include_evidence,
        today=today,
        follow_ups=follow_up_texts(store, library, review_id),
    )


def follow_up_texts(store: Store, library: FormLibrary, review_id: str) -> tuple[str, ...] | None:
    """What was done about each of the last review's next steps (as the report prints it), in the
    order of ``ReviewContent.carried_forward``; None when no feature records that.

    Not part of the agreed content: it is where the school's plan stands on the day the report is
    made, and changes as the plan moves on without changing what the review says.
    """
    if not store.registry.follows_up("area_view"):
        return None
    return tuple(
        "\n".join(f"{f.title} ({f.status})" if f.status else f.title for f in c.follow_ups)
        or "No response recorded in the school's plan."
        for c in carried_forward(store, library, review_id)
    )


def layout(
    content: ReviewContent,
    state: AgreementState,
    *,
    include_evidence: bool = True,
    today: dt.date | None = None,
    follow_ups: tuple[str, ...] | None = None,
) -> Report:
    """The report model: a pure function of what the review says (no store here), and of what
    was done about the last review's next steps (``follow_ups``, if known)."""
    c = content
    sharing = Sharing(c.sharing)
    dates = _visit_dates(c.start_date, c.end_date)
    confidentiality = (
        f"Confidential: {sharing.label.lower()}. {DEVELOPMENTAL}"
        if sharing.confidential
        else f"Shared with the whole partnership by the host school. {DEVELOPMENTAL}"
    )
    audience = {
        Sharing.HOST: "For the host school's leaders and governors",
        Sharing.HOST_COORDINATOR: (
            "For the host school's leaders and governors, and the partnership coordinator"
        ),
        Sharing.PARTNERSHIP: "For the host school and the schools of the partnership",
    }[sharing]
    team_text = "; ".join(
        f"{name} ({role.lower()}" + (f", {school}" if school else "") + ")"
        for name, role, school in c.team
    )
    facts: list[tuple[str, str]] = [
        ("Visit", dates),
        ("Framework", c.framework_title),
        ("Review team", team_text or "To be confirmed"),
        ("Sharing", sharing.label),
        ("Status", state.status.label),
    ]
    if state.status is Status.AGREED and state.agreed_by:
        facts.append(("Agreed", f"{state.agreed_by}, {_date(state.agreed_on)}"))

    blocks: list[Block] = []
    draft = state.status is not Status.AGREED
    changed = not draft and _changed(c, state)
    if draft:
        # The areas with nothing agreed yet are named here together, not each under a heading
        # of its own on an almost empty page.
        waiting = [a.title for a in c.areas if not _has_content(a)]
        noun = "areas" if c.judged else "lines of enquiry"
        text = "This report has not yet been agreed with the host school."
        nothing = bool(waiting) and len(waiting) == len(c.areas)
        if nothing:
            text += f" No outcome has been agreed yet for any of its {noun}, which are:"
        elif waiting:
            listed = "; ".join(waiting)
            text += f" Not yet agreed, and so not set out below: {listed}."
        blocks.append(Callout("Draft", text, "info"))
        if nothing:  # what the review reports on, a short line each
            blocks += [Note(title) for title in waiting]
    elif changed:
        blocks.append(
            Callout(
                "Changed after agreement",
                "This report has been edited since the host school agreed it on "
                f"{_date(state.agreed_on)}. Agree it again before sharing it.",
                "development",
            )
        )
    blocks += _summary(c)
    blocks += _context(c, follow_ups)
    blocks += _areas(c, draft=draft)
    blocks += _excellence(c)
    if c.host_comments:
        blocks += [Heading("The host school's comments", 1), Paragraph(c.host_comments)]
    lead = next((name for name, role, _ in c.team if role == "Lead reviewer"), "")
    blocks += [
        Heading("Sign-off", 1),
        SignOff(((lead, "Lead reviewer"), (state.agreed_by, f"For {c.school_name}"))),
    ]
    blocks += _schedule(c)
    if include_evidence:
        blocks += _evidence_log(c)
    return Report(
        title="Peer review report",
        subtitle=f"{c.framework_title}: {dates}",
        school_name=c.school_name,
        partnership_name=c.partnership_name,
        audience=audience,
        confidentiality=confidentiality,
        cover_facts=tuple(facts),
        blocks=tuple(blocks),
        generated_on=today or dt.date.today(),
        marking="Draft" if draft else "Changed after agreement" if changed else "",
    )


def _context(c: ReviewContent, follow_ups: tuple[str, ...] | None = None) -> list[Block]:
    out: list[Block] = [Heading("Context and focus", 1)]
    if c.context:
        out.append(Paragraph(c.context))
    pairs = []
    if c.focus:
        pairs.append(("Focus", c.focus))
    if c.enquiry_question:
        pairs.append(("Enquiry question", c.enquiry_question))
    if pairs:
        out.append(KeyValues(tuple(pairs)))
    if not c.judged and c.areas:
        out += [Heading("Lines of enquiry", 2), BulletList(tuple(a.title for a in c.areas))]
    if c.schedule:
        counts = Counter(a.activity for a in c.schedule)
        summary = ", ".join(f"{n} × {name.lower()}" for name, n in counts.most_common())
        out.append(
            Paragraph(
                f"The team's activities, carried out jointly with the school's leaders: {summary}."
            )
        )
    if c.carried_forward and follow_ups is not None and len(follow_ups) == len(c.carried_forward):
        out += [
            Heading("Following up the last review", 2),
            Table(
                ("Area", "Next step from the last review", "What the school's plan did"),
                tuple((a, t, f) for (a, t), f in zip(c.carried_forward, follow_ups, strict=True)),
                widths=(1, 2, 2.4),
            ),
        ]
    elif c.carried_forward:
        out += [
            Heading("Following up the last review", 2),
            Table(("Area", "Next step from the last review"), c.carried_forward, widths=(1, 3)),
        ]
    return out


def _summary(c: ReviewContent) -> list[Block]:
    """One table at the front: each area's agreed judgement (or, for an enquiry, its findings),
    so a governor reads the outcome before the detail. None while nothing is agreed (the areas
    not yet agreed are listed together further on)."""
    if not any(_has_outcome(a) for a in c.areas):
        return []
    if c.judged:
        rows = tuple(
            (a.title, a.judgement if a.scale else ("Agreed" if _has_outcome(a) else ""))
            for a in c.areas
        )
        rows = tuple((title, value or "Not yet agreed") for title, value in rows)
        return [
            Heading("Summary of judgements", 1),
            Table(("Area", "Agreed judgement"), rows, widths=(3, 2)),
        ]
    rows = tuple(
        (a.title, a.rationale or a.www or ("Agreed" if _has_outcome(a) else "Not yet agreed"))
        for a in c.areas
    )
    return [
        Heading("Summary of findings", 1),
        Table(("Line of enquiry", "Summary of findings"), rows, widths=(2, 3)),
    ]


def _has_outcome(area: AreaContent) -> bool:
    return area.agreed and any(
        (area.judgement, area.rationale, area.www, area.ebi, area.evidence_summary)
    )


def _has_content(area: AreaContent) -> bool:
    """Anything to print about an area: the school's view, or an agreed outcome."""
    return bool(area.self_judgement or area.self_summary) or _has_outcome(area)


def _areas(c: ReviewContent, *, draft: bool = False) -> list[Block]:
    out: list[Block] = []
    if not c.areas:
        return [
            Heading("Findings", 1),
            Paragraph("No areas have been recorded for this review yet."),
        ]
    good, better = (
        ("What went well", "Even better if") if c.judged else ("Strengths", "Areas for development")
    )
    # A draft lists the areas with nothing to say yet together, not each under its own heading.
    waiting = [a.title for a in c.areas if draft and not _has_content(a)]
    for area in c.areas:
        if area.title in waiting:
            continue
        out.append(Heading(area.title, 1))
        if area.self_judgement or area.self_summary:
            out.append(Heading("The school's self-evaluation", 2))
            if area.scale and area.self_judgement:
                out.append(KeyValues((("Self-evaluation", area.self_judgement),)))
            if area.self_summary:
                out.append(Paragraph(area.self_summary))
        if area.evidence_summary:
            out += [Heading("Evidence", 2), Paragraph(area.evidence_summary)]
        if area.scale:
            value = area.judgement if area.judgement in area.scale else None
            out.append(Judgement("Agreed judgement", value, area.scale, area.rationale))
        elif area.rationale:
            out.append(Paragraph(area.rationale))
        if area.www:
            out.append(Callout(good, area.www, "strength"))
        if area.ebi:
            out.append(Callout(better, area.ebi, "development"))
        if not area.agreed:
            out.append(
                Note("The team and the school have not yet agreed an outcome for this area.")
            )
    return out


def _excellence(c: ReviewContent) -> list[Block]:
    if not c.excellence:
        return []
    out: list[Block] = [
        Heading("Areas of excellence", 1),
        Paragraph(
            "Practice the host school may offer to share with other schools in the partnership."
        ),
    ]
    for title, description in c.excellence:
        out.append(Callout(title, description, "strength"))
    return out


def _by_day(stamps: list[str]) -> list[tuple[str, list[int]]]:
    """Indexes of ``stamps`` grouped under a day heading, days in order (unreadable ones last)."""
    groups: dict[dt.date | None, list[int]] = {}
    for index, stamp in enumerate(stamps):
        try:
            day: dt.date | None = dt.date.fromisoformat(stamp[:10])
        except ValueError:
            day = None
        groups.setdefault(day, []).append(index)
    days = sorted(d for d in groups if d is not None) + ([None] if None in groups else [])
    return [(day_title(d) if d else "Day not recorded", groups[d]) for d in days]


def _schedule(c: ReviewContent) -> list[Block]:
    if not c.schedule:
        return []
    out: list[Block] = [
        PageBreak(if_less_than=APPENDIX_ROOM),
        Heading("Appendix: the visit", 1),
        Note("The activities of the visit, each carried out jointly with the school's leaders."),
    ]
    rows = c.schedule
    for title, indexes in _by_day([a.day for a in rows]):
        table_rows = []
        for i in indexes:
            a = rows[i]
            when = f"{a.start}–{a.end}" if a.start and a.end else a.start or a.end
            details = "\n".join(
                x for x in (a.description, f"With {a.people}" if a.people else "") if x
            )
            table_rows.append((when, a.activity, details))
        out += [
            Heading(title, 2),
            Table(("Time", "Activity", "Details"), tuple(table_rows), widths=(1.3, 1.8, 5.8)),
        ]
    return out


def _evidence_log(c: ReviewContent) -> list[Block]:
    if not c.evidence:
        return []
    out: list[Block] = [
        PageBreak(if_less_than=APPENDIX_ROOM),
        Heading("Appendix: evidence log", 1),
        Note(
            "Notes gathered jointly by the review team and the school's leaders. They describe "
            "provision and pupils' experience; they are not judgements of individual teachers."
        ),
    ]
    notes = c.evidence
    for title, indexes in _by_day([n.time for n in notes]):
        rows = []
        for i in indexes:
            n = notes[i]
            where = ", ".join(x for x in (n.year_group, n.subject) if x)
            rows.append((clock_time(n.time), n.activity, where, n.note, "\n".join(n.areas)))
        out += [
            Heading(title, 2),
            Table(
                ("Time", "Activity", "Where", "Note", "Areas"),
                tuple(rows),
                # The note widest: at 9.5 pt a line holds what a line held at 8.5 pt before.
                widths=(0.85, 1.1, 1.1, 4.8, 1.6),
                lists=(4,),  # each area a line of its own, set apart
            ),
        ]
    return out
