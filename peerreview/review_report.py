"""The peer review report: a pure function from a review in the store to a report model.

The host school owns the report. It states who it is for and how confidential it is, on the cover and
on every page, and it is developmental in tone: no grade for any individual teacher appears in it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from peerreview.forms import FormLibrary
from peerreview.records import Record
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
    long_date,
)
from peerreview.reviews import (
    Area,
    Framework,
    Sharing,
    Stage,
    Status,
    areas,
    carried_forward,
    changed_after_agreement,
    evidence,
    excellence,
    framework_of,
    get_view,
    schedule,
    team,
)
from peerreview.store import Store

DEVELOPMENTAL = "Developmental, not for accountability."


def _date(text: str | None) -> str:
    return long_date(dt.date.fromisoformat(text)) if text else ""


def visit_dates(review: Record) -> str:
    """ "3 and 4 March 2026", "3 March 2026" or "30 March to 1 April 2026"."""
    start = review.get("start_date")
    end = review.get("end_date") or start
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


def build_review_report(
    store: Store,
    library: FormLibrary,
    review_id: str,
    *,
    include_evidence: bool = True,
    today: dt.date | None = None,
) -> Report:
    """The report model of one review, in the framework it was made with."""
    review = store.get(review_id)
    fw = framework_of(library, review)
    school = (
        store.get(review["school"])
        if review.get("school") and store.exists(review["school"])
        else None
    )
    school_name = school.title if school else "Unknown school"
    partnership = store.title(store.partnership_id) if store.partnership_id else "PeerReview"
    sharing = Sharing(review.get("sharing", Sharing.HOST.value))
    status = Status(review.get("status", Status.PLANNED.value))
    members = team(store, review.id)
    review_areas = areas(store, fw, review.id)

    confidentiality = (
        f"Confidential: {sharing.label.lower()}. {DEVELOPMENTAL}"
        if sharing.confidential
        else f"Shared with the whole partnership by the host school. {DEVELOPMENTAL}"
    )
    audience = {
        Sharing.HOST: "For the host school's leaders and governors",
        Sharing.HOST_COORDINATOR: "For the host school's leaders and governors, and the partnership coordinator",
        Sharing.PARTNERSHIP: "For the host school and the schools of the partnership",
    }[sharing]
    lead = next((m for m in members if m["role"] == "Lead reviewer"), None)
    team_text = "; ".join(
        f"{m.get('name', '')} ({m['role'].lower()}"
        + (f", {store.title(m['school'])}" if m.get("school") and store.exists(m["school"]) else "")
        + ")"
        for m in members
    )
    facts: list[tuple[str, str]] = [
        ("Visit", visit_dates(review)),
        ("Framework", fw.title),
        ("Review team", team_text or "To be confirmed"),
        ("Sharing", sharing.label),
        ("Status", status.label),
    ]
    if status is Status.AGREED and review.get("agreed_by"):
        facts.append(("Agreed", f"{review['agreed_by']}, {_date(review.get('agreed_on'))}"))

    blocks: list[Block] = []
    if status is not Status.AGREED:
        blocks.append(
            Callout("Draft", "This report has not yet been agreed with the host school.", "info")
        )
    elif changed_after_agreement(store, review.id):
        blocks.append(
            Callout(
                "Changed after agreement",
                "This report has been edited since the host school agreed it on "
                f"{_date(review.get('agreed_on'))}. Agree it again before sharing it.",
                "development",
            )
        )
    blocks += _context(store, library, review, fw)
    blocks += _areas(store, review, fw, review_areas)
    blocks += _excellence(store, review)
    if review.get("host_comments"):
        blocks += [Heading("The host school's comments", 1), Paragraph(review["host_comments"])]
    if include_evidence:
        blocks += _evidence_log(store, review, review_areas)
    blocks += [
        Heading("Sign-off", 1),
        SignOff(
            (
                (lead.get("name", "") if lead else "", "Lead reviewer"),
                (review.get("agreed_by", ""), f"For {school_name}"),
            )
        ),
    ]
    return Report(
        title="Peer review report",
        subtitle=f"{fw.title}: {visit_dates(review)}",
        school_name=school_name,
        partnership_name=partnership,
        audience=audience,
        confidentiality=confidentiality,
        cover_facts=tuple(facts),
        blocks=tuple(blocks),
        generated_on=today or dt.date.today(),
    )


def _context(store: Store, library: FormLibrary, review: Record, fw: Framework) -> list[Block]:
    out: list[Block] = [Heading("Context and focus", 1)]
    if review.get("context"):
        out.append(Paragraph(review["context"]))
    pairs = []
    if review.get("focus"):
        pairs.append(("Focus", review["focus"]))
    if review.get("enquiry_question"):
        pairs.append(("Enquiry question", review["enquiry_question"]))
    if pairs:
        out.append(KeyValues(tuple(pairs)))
    if not fw.judged:
        lines = [a.title for a in areas(store, fw, review.id)]
        if lines:
            out += [Heading("Lines of enquiry", 2), BulletList(tuple(lines))]
    activities = schedule(store, review.id)
    if activities:
        counts = Counter(a.get("activity", "") for a in activities)
        summary = ", ".join(f"{n} × {name.lower()}" for name, n in counts.most_common())
        out.append(
            Paragraph(
                f"The team's activities, carried out jointly with the school's leaders: {summary}."
            )
        )
    followed = carried_forward(store, library, review.id)
    if followed:
        out += [
            Heading("Following up the last review", 2),
            Table(
                ("Area", "Next step from the last review"),
                tuple((c.area, c.text) for c in followed),
                widths=(1, 3),
            ),
        ]
    return out


def _areas(store: Store, review: Record, fw: Framework, review_areas: list[Area]) -> list[Block]:
    out: list[Block] = []
    if not review_areas:
        return [
            Heading("Findings", 1),
            Paragraph("No areas have been recorded for this review yet."),
        ]
    for area in review_areas:
        out.append(Heading(area.title, 1))
        own = get_view(store, review.id, area.id, Stage.SELF)
        agreed = get_view(store, review.id, area.id, Stage.AGREED)
        if own is not None and (own.get("judgement") or own.get("evidence_summary")):
            out.append(Heading("The school's self-evaluation", 2))
            if area.scale is not None and own.get("judgement"):
                out.append(KeyValues((("Self-evaluation", _label(area, own["judgement"])),)))
            if own.get("evidence_summary"):
                out.append(Paragraph(own["evidence_summary"]))
        if agreed is not None and agreed.get("evidence_summary"):
            out += [Heading("Evidence", 2), Paragraph(agreed["evidence_summary"])]
        if area.scale is not None:
            labels = tuple(level.label for level in area.scale.levels)
            value = agreed.get("judgement") if agreed is not None else None
            out.append(
                Judgement(
                    "Agreed judgement",
                    _label(area, value) if value else None,
                    labels,
                    agreed.get("rationale", "") if agreed is not None else "",
                )
            )
        elif agreed is not None and agreed.get("rationale"):
            out.append(Paragraph(agreed["rationale"]))
        good, better = (
            ("What went well", "Even better if")
            if fw.judged
            else ("Strengths", "Areas for development")
        )
        if agreed is not None and agreed.get("www"):
            out.append(Callout(good, agreed["www"], "strength"))
        if agreed is not None and agreed.get("ebi"):
            out.append(Callout(better, agreed["ebi"], "development"))
        if agreed is None:
            out.append(
                Note("The team and the school have not yet agreed an outcome for this area.")
            )
    return out


def _label(area: Area, value: str) -> str:
    if area.scale is None:
        return value
    try:
        return area.scale.level(value).label
    except KeyError:
        return value


def _excellence(store: Store, review: Record) -> list[Block]:
    items = excellence(store, review.id)
    if not items:
        return []
    out: list[Block] = [
        Heading("Areas of excellence", 1),
        Paragraph(
            "Practice the host school may offer to share with other schools in the partnership."
        ),
    ]
    for item in items:
        out.append(Callout(item.get("title", ""), item.get("description", ""), "strength"))
    return out


def _evidence_log(store: Store, review: Record, review_areas: list[Area]) -> list[Block]:
    notes = evidence(store, review.id)
    if not notes:
        return []
    titles = {a.id: a.title for a in review_areas}
    rows = []
    for n in notes:
        when = n.get("time", "")
        try:
            stamp = dt.datetime.fromisoformat(when)
            when = f"{stamp:%d/%m/%Y %H:%M}"
        except ValueError:
            pass
        where = ", ".join(x for x in (n.get("year_group", ""), n.get("subject", "")) if x)
        bears = ", ".join(titles.get(a, "") for a in n.get("areas", []) if a in titles)
        rows.append((when, n.get("activity", ""), where, n.get("note", ""), bears))
    return [
        PageBreak(),
        Heading("Appendix: evidence log", 1),
        Note(
            "Notes gathered jointly by the review team and the school's leaders. They describe provision "
            "and pupils' experience; they are not judgements of individual teachers."
        ),
        Table(
            ("When", "Activity", "Where", "Note", "Areas"),
            tuple(rows),
            widths=(1.1, 1.1, 1.1, 4, 1.6),
        ),
    ]
