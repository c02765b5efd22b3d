"""The partnership report for the board, and the anonymous summary of review themes.

The partnership report follows the four aspects of one partnership's reporting programme:
implementation and impact; improvement in the quality of teaching across schools; pupil and school
outcomes; schools' feedback on the services provided. Its charts are aggregates: no school is
ranked. A school's review narrative appears only where its sharing scope allows the whole
partnership to see it; everything else is counted, not quoted.

The anonymous summary names no school at all: counts, themes and examples from reviews shared with
the partnership with every school's name taken out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from peerreview.forms import FormLibrary
from peerreview.oversight.figures import indicator_overview, quiet_schools
from peerreview.oversight.scope import Audience, may_name, may_quote
from peerreview.oversight.themes import ThemeCount, Themes, themes
from peerreview.plans.followthrough import follow_through
from peerreview.plans.plans import ActionStatus, Impact, ProviderType, Rag
from peerreview.reports.model import (
    Block,
    BulletList,
    Chart,
    Heading,
    KeyValues,
    Note,
    PageBreak,
    Paragraph,
    Report,
    Series,
    Table,
    long_date,
)
from peerreview.review.reviews import Status
from peerreview.schoolyear import SchoolYear
from peerreview.sync.store import Store

DEVELOPMENTAL = "Developmental, not for accountability: no school is ranked."


def report_year(today: dt.date) -> SchoolYear:
    """The school year a report is of when none is named: this one, or in its autumn term (when
    this year's reviews have barely begun) the one just finished."""
    year = SchoolYear.of(today)
    return year.previous() if today.month >= 9 else year


def _partnership(store: Store) -> str:
    return store.title(store.partnership_id) if store.partnership_id else "PeerReview"


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "none"


def _in_year(day: str | None, year: SchoolYear) -> bool:
    return bool(day) and year.first_day.isoformat() <= str(day) <= year.last_day.isoformat()


def build_partnership_report(
    store: Store,
    library: FormLibrary,
    year: SchoolYear,
    *,
    today: dt.date | None = None,
) -> Report:
    """The board's report on the partnership's year."""
    today = today or dt.date.today()
    as_of = min(today, year.last_day)
    school_kind = store.registry.school_kind().name
    open_schools = [sid for sid, closed in store.rows(school_kind, ["id", "closed"]) if not closed]
    names = {sid: str(n or "") for sid, n in store.rows(school_kind, ["id", "name"])}
    reviews = [
        r
        for r in store.rows("review", ["id", "school", "start_date", "status", "sharing"])
        if _in_year(r[2], year)
    ]
    reviewed = {r[1] for r in reviews}
    year_themes = themes(store, library, year, Audience.PARTNERSHIP)
    blocks: list[Block] = [
        Heading("The year at a glance", 1),
        KeyValues(
            (
                ("Schools in the partnership", str(len(open_schools))),
                ("Peer reviews this year", str(len(reviews))),
                (
                    "Schools reviewed this year",
                    f"{len(reviewed)} ({_pct(len(reviewed), len(open_schools))})",
                ),
                ("Reviews agreed", str(sum(1 for r in reviews if r[3] == Status.AGREED.value))),
            )
        ),
        Paragraph(
            "This report follows the partnership's four aspects of accountability. Figures are "
            "counted across schools; a school's own findings are quoted only where the school "
            "chose to share its review with the whole partnership."
        ),
    ]
    blocks += _implementation(store, year, as_of, open_schools)
    blocks += _teaching(store, year, year_themes)
    blocks += _outcomes(store)
    blocks += _services(store, year)
    blocks += _shared_reviews(store, library, reviews, names)
    return Report(
        title="Partnership report",
        subtitle=f"School year {year.name}",
        school_name=_partnership(store),
        partnership_name=_partnership(store),
        audience="For the partnership board and the headteachers of its schools",
        confidentiality=f"For the partnership's schools and board. {DEVELOPMENTAL}",
        cover_facts=(
            (
                "School year",
                f"{year.name} (1 September {year.start_year} to 31 August {year.start_year + 1})",
            ),
            ("Position on", long_date(as_of)),
            ("Schools", str(len(open_schools))),
        ),
        blocks=tuple(blocks),
        generated_on=today,
    )


def _implementation(
    store: Store, year: SchoolYear, as_of: dt.date, schools: Sequence[str]
) -> list[Block]:
    follow = follow_through(store, as_of)
    quiet = quiet_schools(store, as_of, 12)
    statuses: Counter[ActionStatus] = Counter()
    rags: Counter[str] = Counter()
    plans_this_year = {
        pid for pid, sy in store.rows("plan", ["id", "school_year"]) if sy == year.name
    }
    for plan, status, rag in store.rows("action", ["plan", "status", "rag"]):
        if plan not in plans_this_year:
            continue
        state = ActionStatus.of(status)
        statuses[state] += 1
        if state.open:
            found = Rag.of(rag)
            rags[found.label if found else "Not rated"] += 1
    impact: Counter[str] = Counter()
    for day, rating in store.rows("impact_review", ["date", "impact"]):
        found_impact = Impact.of(rating)
        if _in_year(day, year) and found_impact is not None:
            impact[found_impact.label] += 1
    ebis = sum(s.ebis for s in follow.schools)
    answered = ebis - follow.unanswered
    out: list[Block] = [
        PageBreak(if_less_than=0.3),
        Heading("1. Implementation and impact", 1),
        KeyValues(
            (
                ("Action plans this year", str(len(plans_this_year))),
                (
                    "EBIs of schools' latest reviews with a response in their plan",
                    f"{answered} of {ebis} ({_pct(answered, ebis)})",
                ),
                ("Reviews waiting for their improvement workshop", str(follow.reviews_waiting)),
                (
                    "Schools with overdue actions",
                    f"{follow.schools_overdue} of {len(follow.schools)}",
                ),
                (
                    "Schools with no review, visit or contact for 12 months",
                    str(len(quiet)),
                ),
            )
        ),
    ]
    order = list(ActionStatus)
    if statuses:
        out.append(
            Chart(
                "This year's actions by status",
                tuple(s.label for s in order),
                (Series("Actions", tuple(float(statuses[s]) for s in order), "accent"),),
                kind="bar",
                unit="actions",
                caption="Actions of this year's plans: "
                + ", ".join(f"{statuses[s]} {s.label.lower()}" for s in order if statuses[s])
                + ".",
            )
        )
    labels = ("Red", "Amber", "Green", "Not rated")
    if rags:
        out.append(
            Chart(
                "Open actions by RAG rating",
                ("Open actions",),
                tuple(
                    Series(name, (float(rags[name]),), tone)
                    for name, tone in zip(labels, ("red", "amber", "green", "grey"), strict=True)
                ),
                kind="stacked",
                unit="actions",
                caption="Open actions of this year's plans by their latest rating: "
                + ", ".join(f"{rags[n]} {n.lower()}" for n in labels if rags[n])
                + ".",
            )
        )
    if impact:
        levels = [i.label for i in Impact]
        out.append(
            Chart(
                "What impact reviews found this year",
                tuple(levels),
                (Series("Impact reviews", tuple(float(impact[i]) for i in levels), "accent"),),
                kind="bar",
                unit="impact reviews",
                caption=", ".join(f"{impact[i]} {i.lower()}" for i in levels if impact[i]) + ".",
            )
        )
    return out


def _teaching(store: Store, year: SchoolYear, found: Themes) -> list[Block]:
    out: list[Block] = [
        PageBreak(if_less_than=0.3),
        Heading("2. Improvement in the quality of teaching across schools", 1),
        Paragraph(
            f"What {found.reviews} reviews of {found.schools} schools this year found, across "
            "framework areas and the themes that recur in their findings."
        ),
    ]
    areas = found.areas[:8]
    if areas:
        out.append(
            Chart(
                "Areas with the most EBIs and strengths",
                tuple(a.name for a in areas),
                (
                    Series("Even better if", tuple(float(a.ebis) for a in areas), "development"),
                    Series("What went well", tuple(float(a.strengths) for a in areas), "strength"),
                ),
                kind="bar",
                unit="reviews",
                caption="Framework areas by the number of EBIs agreed this year: "
                + "; ".join(f"{a.name} {a.ebis}" for a in areas[:5])
                + ".",
            )
        )
    out += _theme_table(found.tags[:10])
    quoted = [t for t in found.tags[:6] if t.examples]
    if quoted:
        out.append(
            Note(
                "In the words of reviews their schools shared with the whole partnership "
                "(no other review is quoted):"
            )
        )
        for t in quoted[:4]:
            out += [
                Heading(t.name, 3),
                BulletList(
                    tuple(f"{e.school}: {e.text}" if e.school else e.text for e in t.examples)
                ),
            ]
    lesson_study = [
        e
        for e in store.registry.events(store, year.first_day, year.last_day)
        if e.category in ("lesson study", "research lesson")
    ]
    if lesson_study:
        out.append(
            Paragraph(
                f"Lesson study: {len(lesson_study)} research lessons and cycles in "
                f"{len({e.school for e in lesson_study})} schools this year."
            )
        )
    return out


def _theme_table(tags: Sequence[ThemeCount]) -> list[Block]:
    if not tags:
        return []
    return [
        Heading("Recurring themes", 2),
        Table(
            ("Theme", "EBIs", "Strengths", "Areas of excellence", "Reviews"),
            tuple(
                (t.name, str(t.ebis), str(t.strengths), str(t.excellence), str(t.reviews))
                for t in tags
            ),
            widths=(3, 1, 1, 1.5, 1),
        ),
    ]


def _outcomes(store: Store) -> list[Block]:
    overview = indicator_overview(store)
    out: list[Block] = [
        PageBreak(if_less_than=0.3),
        Heading("3. Pupil and school outcomes", 1),
        Paragraph(
            "Indicators schools have shared, read beside what the partnership knows of each "
            "school. They are counted here by how they moved, never ranked."
        ),
    ]
    if not overview:
        return out + [Note("No indicators have been recorded yet.")]
    out.append(
        Table(
            ("Measure", "Schools with figures", "Latest", "Improved", "No change", "Declined"),
            tuple(
                (
                    o.measure.label,
                    str(o.schools),
                    long_date(o.latest) if o.latest else "",
                    str(o.improved),
                    str(o.unchanged),
                    str(o.declined),
                )
                for o in overview
            ),
            widths=(2.9, 1.1, 1.5, 1.25, 1.15, 1.15),
        )
    )
    moving = [o for o in overview if o.improved + o.declined + o.unchanged]
    if moving:
        out.append(
            Chart(
                "How schools' indicators moved since their previous figure",
                tuple(o.measure.label for o in moving),
                (
                    Series("Improved", tuple(float(o.improved) for o in moving), "green"),
                    Series("No change", tuple(float(o.unchanged) for o in moving), "grey"),
                    Series("Declined", tuple(float(o.declined) for o in moving), "red"),
                ),
                kind="stacked",
                unit="schools",
                caption="; ".join(
                    f"{o.measure.label}: {o.improved} improved, {o.declined} declined"
                    for o in moving
                )
                + ".",
            )
        )
    return out


def _services(store: Store, year: SchoolYear) -> list[Block]:
    rows = [
        r
        for r in store.rows(
            "support",
            ["provider_type", "start_date", "end_date", "cost", "impact_rating", "feedback"],
        )
        if _in_year(r[1], year) or _in_year(r[2], year)
    ]
    out: list[Block] = [
        PageBreak(if_less_than=0.3),
        Heading("4. Schools' feedback on the services provided", 1),
    ]
    if not rows:
        return out + [Paragraph("No support was brokered or commissioned this year.")]
    kinds = Counter(r[0] for r in rows)
    cost = sum(int(r[3]) for r in rows if isinstance(r[3], int))
    rated: Counter[str] = Counter()
    for r in rows:
        found = Impact.of(r[4])
        if found is not None:
            rated[found.label] += 1
    out.append(
        KeyValues(
            (
                ("Support arrangements", str(len(rows))),
                *((p.label, str(kinds[p.value])) for p in ProviderType if kinds[p.value]),
                ("Cost", f"£{cost:,}"),
            )
        )
    )
    if rated:
        levels = [i.label for i in Impact]
        out.append(
            Chart(
                "Impact of the support, as evaluated",
                tuple(levels),
                (Series("Support arrangements", tuple(float(rated[i]) for i in levels), "accent"),),
                kind="bar",
                unit="support arrangements",
                caption=", ".join(f"{rated[i]} {i.lower()}" for i in levels if rated[i]) + ".",
            )
        )
    quotes = sorted({str(r[5]) for r in rows if r[5]})
    if quotes:
        out += [Heading("What schools said", 2), BulletList(tuple(quotes[:8]))]
    return out


def _shared_reviews(
    store: Store, library: FormLibrary, reviews: Sequence[tuple[object, ...]], names: dict[str, str]
) -> list[Block]:
    """The findings of reviews the host schools shared with the whole partnership."""
    shared = [
        r for r in reviews if r[3] == Status.AGREED.value and may_name(r[4], Audience.PARTNERSHIP)
    ]
    kept = sum(
        1
        for r in reviews
        if r[3] == Status.AGREED.value and not may_quote(r[4], Audience.PARTNERSHIP)
    )
    out: list[Block] = [
        PageBreak(if_less_than=0.3),
        Heading("Reviews shared with the partnership", 1),
        Paragraph(
            f"{len(shared)} schools shared their review with the whole partnership this year; "
            f"{kept} kept theirs to the school (or the school and the coordinator), as is their "
            "right: those are counted above but not quoted."
        ),
    ]
    if not shared:
        return out
    wanted = tuple(str(r[0]) for r in shared)
    offered: dict[str, list[str]] = {}
    for rid, title in store.rows("excellence", ["review", "title"], where={"review": wanted}):
        offered.setdefault(rid, []).append(str(title or ""))
    rows = tuple(
        (
            names.get(str(r[1]), "A school"),
            long_date(dt.date.fromisoformat(str(r[2]))),
            "\n".join(sorted(offered.get(str(r[0]), []))) or "None recorded",
        )
        for r in sorted(shared, key=lambda r: (names.get(str(r[1]), ""), str(r[2])))
    )
    out += [
        Paragraph(
            "Their findings are quoted under the themes above; the practice they offer to share "
            "with other schools is below."
        ),
        Table(("School", "Review", "Areas of excellence offered"), rows, widths=(2.2, 1.4, 3.6)),
    ]
    return out


# ===================================================================== anonymous themes summary


def build_themes_summary(
    store: Store,
    library: FormLibrary,
    year: SchoolYear,
    *,
    today: dt.date | None = None,
) -> Report:
    """What the year's reviews found across schools, naming none of them."""
    today = today or dt.date.today()
    found = themes(store, library, year, Audience.ANONYMOUS, examples=2)
    blocks: list[Block] = [
        Heading("About this summary", 1),
        Paragraph(
            f"This summary draws on {found.reviews} peer reviews carried out in {found.schools} "
            f"schools in the school year {year.name}. It names no school: findings are counted "
            "across schools, and examples are quoted only from reviews their schools shared with "
            "the whole partnership, with names taken out."
        ),
    ]
    areas = found.areas[:8]
    if areas:
        blocks += [
            Heading("Areas most often identified for development", 1),
            Chart(
                "EBIs and strengths by framework area",
                tuple(a.name for a in areas),
                (
                    Series("Even better if", tuple(float(a.ebis) for a in areas), "development"),
                    Series("What went well", tuple(float(a.strengths) for a in areas), "strength"),
                ),
                kind="bar",
                unit="reviews",
                caption="; ".join(
                    f"{a.name}: {a.ebis} EBIs, {a.strengths} strengths" for a in areas
                )
                + ".",
            ),
        ]
        for area in areas[:4]:
            if area.examples:
                blocks += [
                    Heading(area.name, 2),
                    BulletList(tuple(e.text for e in area.examples)),
                ]
    if found.tags:
        blocks += [Heading("Recurring themes", 1), *_theme_table(found.tags[:12])]
        excellence = [t for t in found.tags if t.excellence]
        if excellence:
            blocks.append(
                Paragraph(
                    "Areas of excellence schools offered to share this year were most often about "
                    + ", ".join(t.name.lower() for t in excellence[:4])
                    + "."
                )
            )
    if not found.reviews:
        blocks.append(Note("No reviews with agreed outcomes this year yet."))
    return Report(
        title="Themes from this year's peer reviews",
        subtitle=f"An anonymous summary, school year {year.name}",
        school_name=_partnership(store),
        partnership_name=_partnership(store),
        audience="For anyone in the partnership, and beyond it",
        confidentiality="Anonymous: names no school. " + DEVELOPMENTAL,
        cover_facts=(
            ("School year", year.name),
            ("Reviews", str(found.reviews)),
            ("Schools", str(found.schools)),
        ),
        blocks=tuple(blocks),
        generated_on=today,
    )
