"""Recurring themes across a year's reviews: the areas and the themes with the most EBIs, strengths
and areas of excellence. Aggregates: a theme names no school; an example is quoted (and its school
named) only where the review's sharing scope allows it for the audience.

Themes are tags found in the text by keyword (a short vocabulary schools use): "reading" in an EBI
about phonics, "attendance" in one about persistent absence. Each EBI, strength or area of
excellence counts once per theme it mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from peerreview.forms import FormLibrary
from peerreview.oversight.scope import Audience, may_name, may_quote, scrub
from peerreview.review.reviews import Stage, Status, frameworks
from peerreview.schoolyear import SchoolYear
from peerreview.sync.store import Store

#: Theme -> words that show a text is about it (matched as whole words, any case).
VOCABULARY: Mapping[str, tuple[str, ...]] = {
    "Reading": ("reading", "read", "phonics", "books", "book", "texts", "text", "vocabulary"),
    "Writing": ("writing", "write", "wrote", "extended writing"),
    "Mathematics": ("mathematics", "maths", "fractions", "calculation", "mastery"),
    "Attendance": ("attendance", "absence", "absentees", "persistent absence"),
    "SEND and inclusion": ("send", "sen", "support plans", "adaptations", "senco", "ehc"),
    "Disadvantaged pupils": ("disadvantaged", "pupil premium", "free school meals"),
    "Feedback and assessment": (
        "feedback",
        "assessment",
        "checked understanding",
        "mini whiteboards",
    ),
    "Curriculum": ("curriculum", "sequenced", "sequence", "foundation subjects", "retrieval"),
    "Leadership and governance": (
        "leaders",
        "leadership",
        "governors",
        "governance",
        "middle leaders",
    ),
    "Behaviour and routines": ("behaviour", "routines", "lunchtimes", "calm"),
    "Personal development": ("clubs", "careers", "enrichment", "personal development"),
    "Early years": ("early years", "reception", "eyfs"),
    "Safeguarding": ("safeguarding", "single central record"),
    "Oracy": ("oracy", "talk", "sentence stems", "explain their reasoning"),
}
#: Each word (or phrase), the themes it belongs to.
_THEMES_OF: dict[str, set[str]] = {}
for _theme, _words in VOCABULARY.items():
    for _word in _words:
        _THEMES_OF.setdefault(_word.casefold(), set()).add(_theme)
_PHRASES = tuple((p, _THEMES_OF[p]) for p in _THEMES_OF if " " in p)
_WORD = re.compile(r"[a-z]+")
_ORDER = {theme: n for n, theme in enumerate(VOCABULARY)}


def tags(text: str) -> list[str]:
    """The themes a text mentions (whole words, any case), in the vocabulary's order."""
    lowered = text.casefold()
    found: set[str] = set()
    for word in set(_WORD.findall(lowered)):
        found |= _THEMES_OF.get(word, set())
    for phrase, themes_ in _PHRASES:
        if phrase in lowered:
            found |= themes_
    return sorted(found, key=_ORDER.__getitem__)


@dataclass(frozen=True)
class Example:
    """A quoted EBI or strength, with its school only where it may be named."""

    text: str
    area: str
    school: str  # "" when it may not be named
    review: str  # the review's record id ("" in the anonymous summary)


@dataclass(frozen=True)
class ThemeCount:
    name: str
    ebis: int
    strengths: int
    excellence: int
    reviews: int  # how many reviews mention it
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class Themes:
    year: SchoolYear
    audience: Audience
    reviews: int  # reviews of the year with agreed outcomes
    schools: int  # schools they were of
    areas: tuple[ThemeCount, ...]  # most EBIs first
    tags: tuple[ThemeCount, ...]  # most EBIs first


def themes(
    store: Store,
    library: FormLibrary,
    year: SchoolYear,
    audience: Audience,
    *,
    examples: int = 3,
) -> Themes:
    """The themes of the agreed reviews whose visit fell in ``year``."""
    titles: dict[str, str] = {}
    for fw in frameworks(library):
        for area in fw.areas:
            titles.setdefault(area.id, area.title)
    reviews = {
        rid: (school, sharing)
        for rid, school, sharing in store.rows(
            "review",
            ["id", "school", "sharing"],
            # Agreed reports only: a draft's words are not yet the school's to quote.
            where={"status": Status.AGREED.value},
            ranges={"start_date": (year.first_day.isoformat(), year.last_day.isoformat())},
        )
    }
    wanted = tuple(reviews)  # read through each kind's review index, not every row
    lines = {
        lid: str(text or "")
        for lid, text in store.rows("enquiry_line", ["id", "text"], where={"review": wanted})
    }
    names = {
        sid: str(name or "")
        for sid, name in store.rows(store.registry.school_kind().name, ["id", "name"])
    }
    area_counts: dict[str, Counter[str]] = {}
    tag_counts: dict[str, Counter[str]] = {}
    area_reviews: dict[str, set[str]] = {}
    tag_reviews: dict[str, set[str]] = {}
    area_examples: dict[str, list[Example]] = {}
    tag_examples: dict[str, list[Example]] = {}
    judged: set[str] = set()

    def example(rid: str, area: str, text: str) -> Example | None:
        school, sharing = reviews[rid]
        if not may_quote(sharing, audience):
            return None
        if audience is Audience.ANONYMOUS:
            return Example(scrub(text, names.values()), area, "", "")
        return Example(
            text, area, names.get(school, "") if may_name(sharing, audience) else "", rid
        )

    for rid, area, www, ebi in store.rows(
        "area_view",
        ["review", "area", "www", "ebi"],
        where={"review": wanted, "stage": Stage.AGREED.value},
    ):
        if rid not in reviews:
            continue
        judged.add(rid)
        # An enquiry's lines are the review's own: they are counted under their themes only.
        area_title = titles.get(area) if area not in lines else None
        for field, text in (
            ("ebis", str(ebi or "").strip()),
            ("strengths", str(www or "").strip()),
        ):
            if not text:
                continue
            if area_title:
                area_counts.setdefault(area_title, Counter())[field] += 1
                area_reviews.setdefault(area_title, set()).add(rid)
                if field == "ebis":
                    found = example(rid, area_title, text)
                    if found is not None:
                        area_examples.setdefault(area_title, []).append(found)
            for tag in tags(text):
                tag_counts.setdefault(tag, Counter())[field] += 1
                tag_reviews.setdefault(tag, set()).add(rid)
                if field == "ebis":
                    found = example(rid, area_title or lines.get(area, ""), text)
                    if found is not None:
                        tag_examples.setdefault(tag, []).append(found)
    for rid, title, description in store.rows(
        "excellence", ["review", "title", "description"], where={"review": wanted}
    ):
        if rid not in reviews:
            continue
        for tag in tags(f"{title or ''} {description or ''}"):
            tag_counts.setdefault(tag, Counter())["excellence"] += 1
            tag_reviews.setdefault(tag, set()).add(rid)

    def ranked(
        counts: dict[str, Counter[str]], seen: dict[str, set[str]], quotes: dict[str, list[Example]]
    ) -> tuple[ThemeCount, ...]:
        out = [
            ThemeCount(
                name,
                c["ebis"],
                c["strengths"],
                c["excellence"],
                len(seen.get(name, ())),
                tuple(sorted(quotes.get(name, []), key=lambda e: (e.school, e.text))[:examples]),
            )
            for name, c in counts.items()
        ]
        out.sort(key=lambda t: (-t.ebis, -t.strengths, -t.excellence, t.name))
        return tuple(out)

    return Themes(
        year=year,
        audience=audience,
        reviews=len(judged),
        schools=len({reviews[r][0] for r in judged}),
        areas=ranked(area_counts, area_reviews, area_examples),
        tags=ranked(tag_counts, tag_reviews, tag_examples),
    )


def current_year(today: dt.date) -> SchoolYear:
    return SchoolYear.of(today)
