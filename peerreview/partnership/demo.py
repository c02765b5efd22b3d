"""The demo partnership's schools, people, groups and memberships, through the ordinary write path.

``small`` is a town partnership of 12 schools; ``regional`` is the scale in DESIGN.md section 9
(600 schools in 60 groups, 3,000 people), the size every benchmark runs on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from peerreview.progress import CancelCheck, Progress, check_cancelled
from peerreview.sync.enrolment import found_partnership
from peerreview.sync.ids import new_id
from peerreview.sync.registry import DemoContext
from peerreview.sync.store import Edit, Store


@dataclass(frozen=True)
class DemoSize:
    name: str
    schools: int
    groups: int
    people: int


SIZES = {
    "small": DemoSize("small", 12, 4, 60),
    "regional": DemoSize("regional", 600, 60, 3000),
}

_PLACES = (
    "Coundon",
    "Holbrook",
    "Earlsdon",
    "Stoke",
    "Walsgrave",
    "Tile Hill",
    "Allesley",
    "Binley",
    "Wyken",
    "Radford",
    "Foleshill",
    "Canley",
    "Willenhall",
    "Whoberley",
    "Keresley",
    "Finham",
    "Cheylesmore",
    "Styvechale",
    "Ernesford",
    "Henley Green",
    "Hillfields",
    "Bell Green",
    "Longford",
    "Exhall",
    "Bedworth",
    "Kenilworth",
    "Leamington",
    "Warwick",
    "Rugby",
    "Nuneaton",
    "Atherstone",
    "Hinckley",
    "Southam",
    "Alcester",
    "Stratford",
    "Shipston",
    "Wellesbourne",
    "Kineton",
    "Dunchurch",
    "Bulkington",
    "Polesworth",
    "Coleshill",
    "Water Orton",
    "Hampton",
    "Knowle",
    "Balsall Common",
    "Meriden",
    "Berkswell",
    "Cubbington",
    "Lillington",
    "Whitnash",
    "Bishops Tachbrook",
    "Harbury",
    "Long Itchington",
    "Brinklow",
    "Wolston",
    "Ryton",
    "Baginton",
    "Stoneleigh",
    "Ansty",
)
_SAINTS = (
    "St Mary's",
    "St John's",
    "St Gregory's",
    "St Augustine's",
    "St Thomas More",
    "All Saints",
    "Holy Trinity",
    "Christ the King",
    "St Osburg's",
    "Sacred Heart",
    "St Andrew's",
    "St Peter's",
)
_PRIMARY = (
    "Primary School",
    "Junior School",
    "Infant School",
    "Church of England Primary School",
    "Catholic Primary School",
    "Academy",
    "Community Primary School",
)
_SECONDARY = (
    "Academy",
    "School",
    "High School",
    "Secondary School",
    "College",
    "Church of England Academy",
)
_FIRST = (
    "Amira",
    "Ben",
    "Chloe",
    "Daniel",
    "Eleri",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jessica",
    "Kwame",
    "Laura",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Priya",
    "Rhys",
    "Sarah",
    "Tomasz",
    "Usha",
    "Victoria",
    "William",
    "Yasmin",
    "Zoë",
    "Siân",
    "Dafydd",
    "Aoife",
    "Chidi",
    "Joanna",
    "Marek",
)
_LAST = (
    "Patel",
    "Smith",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Khan",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Clarke",
    "O'Brien",
    "Kowalski",
    "Okafor",
    "Ahmed",
    "Lewis",
)
_ROLES = (
    "Headteacher",
    "Deputy headteacher",
    "Assistant headteacher",
    "SENCo",
    "Subject leader",
    "Class teacher",
    "Phase leader",
    "Business manager",
)
_LAS = ("Coventry", "Warwickshire", "Solihull")
_GROUP_TYPES = ("Cluster", "Trio", "Hub", "Headteacher group", "Working group")


def build(store: Store, ctx: DemoContext) -> dict[str, int]:
    """Add the partnership's part of the demo: the partnership (if the database has none yet),
    its schools with their people, and groups with their member schools and people."""
    spec = SIZES[ctx.size]
    rng = ctx.rng
    progress, cancelled = ctx.progress, ctx.cancelled
    counts: dict[str, int] = {}
    steps = 4
    pid = store.partnership_id
    with store.transaction():
        if pid is None:
            pid = found_partnership(store)
        if not store.exists(pid):
            name = (
                "Coventry and Warwickshire Schools Partnership"
                if ctx.size == "small"
                else ("West Midlands Regional School Improvement Network")
            )
            store.write(
                [
                    Edit(pid, "partnership", "name", name),
                    Edit(
                        pid,
                        "partnership",
                        "description",
                        "Schools improving together through peer review and lesson study.",
                    ),
                ]
            )
    _step(progress, cancelled, 1, steps)

    schools = list(_schools(rng, spec.schools))
    _write_records(store, "school", schools, ("school", 1))
    counts["school"] = len(schools)
    _step(progress, cancelled, 2, steps)

    people: list[tuple[str, dict[str, Any]]] = []
    staff: dict[str, list[tuple[str, str]]] = {}  # each school's people: (id, role)
    heads: list[Edit] = []
    for i in range(spec.people):
        school_id, school = schools[i % len(schools)]
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        role = "Headteacher" if i < len(schools) else rng.choice(_ROLES[1:])
        values = {
            "name": f"{first} {last}",
            "role": role,
            "email": f"{first[0].lower()}.{last.lower().replace(chr(39), '')}{i}@example.sch.uk",
            "school": school_id,
        }
        pid_ = new_id()
        people.append((pid_, values))
        staff.setdefault(school_id, []).append((pid_, role))
        if role == "Headteacher":
            heads.append(Edit(school_id, "school", "headteacher", pid_))
            heads.append(Edit(school_id, "school", "headteacher_name", values["name"]))
    _write_records(store, "person", people, ("person", 1))
    with store.transaction():
        store.write(heads)
    counts["person"] = len(people)
    _step(progress, cancelled, 3, steps)

    groups: list[tuple[str, dict[str, Any]]] = []
    memberships: list[tuple[str, dict[str, Any]]] = []
    per_group = max(3, len(schools) // spec.groups)
    start = dt.date(2021, 9, 1)
    for g in range(spec.groups):
        gtype = _GROUP_TYPES[g % len(_GROUP_TYPES)]
        members = schools[g * per_group % len(schools) :][:per_group] or schools[:per_group]
        place = members[0][1]["town"] if gtype != "Working group" else ""
        name = {
            "Cluster": f"{place} cluster",
            "Trio": f"{place} trio",
            "Hub": f"{place} hub",
            "Headteacher group": f"{place} headteachers",
            "Working group": f"Teaching and learning working group {g + 1}",
        }[gtype]
        gid = new_id()
        groups.append(
            (
                gid,
                {"name": name, "type": gtype, "description": f"{gtype} of {len(members)} schools."},
            )
        )
        for school_id, _school in members:
            joined = start + dt.timedelta(days=rng.randrange(0, 3 * 365))
            membership: dict[str, Any] = {
                "group": gid,
                "school": school_id,
                "start": joined.isoformat(),
            }
            if rng.random() < 0.05:
                membership["end"] = (
                    joined + dt.timedelta(days=rng.randrange(200, 700))
                ).isoformat()
            memberships.append((new_id(), membership))
            # Headteacher groups meet as heads; a working group has a teacher from each school.
            wanted = {"Headteacher group": "Headteacher", "Working group": ""}.get(gtype)
            if wanted is None:
                continue
            person = next(
                (
                    pid_
                    for pid_, role in staff.get(school_id, [])
                    if (role == wanted if wanted else role != "Headteacher")
                ),
                None,
            )
            if person is not None:
                role = "Member" if wanted else "Subject lead"
                joined_as = {
                    "group": gid,
                    "person": person,
                    "role": role,
                    "start": membership["start"],
                }
                memberships.append((new_id(), joined_as))
    _write_records(store, "group", groups, ("group", 1))
    _write_records(store, "membership", memberships, None)
    counts["group"] = len(groups)
    counts["membership"] = len(memberships)

    _step(progress, cancelled, 4, steps)
    return counts


def _step(progress: Progress | None, cancelled: CancelCheck | None, n: int, total: int) -> None:
    check_cancelled(cancelled)
    if progress:
        progress(n, total)


def _write_records(
    store: Store,
    kind: str,
    records: list[tuple[str, dict[str, Any]]],
    form: tuple[str, int] | None,
    batch: int = 2000,
) -> None:
    for start in range(0, len(records), batch):
        edits: list[Edit] = []
        for rid, values in records[start : start + batch]:
            for name, value in values.items():
                edits.append(Edit(rid, kind, name, value))
            if form:
                edits.append(Edit(rid, kind, "form_id", form[0]))
                edits.append(Edit(rid, kind, "form_version", form[1]))
        with store.transaction():
            store.write(edits)


def _schools(rng: random.Random, n: int) -> Iterator[tuple[str, dict[str, Any]]]:
    used: set[str] = set()
    urn = 140000
    for i in range(n):
        secondary = i % 6 == 0
        special = i % 23 == 5
        while True:
            place = rng.choice(_PLACES)
            if special:
                name = f"{place} Special School"
            elif secondary:
                name = f"{place} {rng.choice(_SECONDARY)}"
            elif rng.random() < 0.25:
                name = f"{rng.choice(_SAINTS)} {rng.choice(_PRIMARY[4:5] + _PRIMARY[3:4])}"
                name = f"{name.split(' ', 1)[0]} {name.split(' ', 1)[1]}, {place}"
            else:
                name = f"{place} {rng.choice(_PRIMARY)}"
            if name not in used:
                used.add(name)
                break
            if len(used) > 5 * len(_PLACES) * len(_PRIMARY):
                name = f"{name} {i}"
                used.add(name)
                break
        urn += rng.randrange(1, 400)
        phase = "Special" if special else ("Secondary" if secondary else "Primary")
        pupils = rng.randrange(700, 1800) if secondary else rng.randrange(90, 630)
        yield (
            new_id(),
            {
                "urn": urn,
                "name": name,
                "phase": phase,
                "type": rng.choice(
                    (
                        "Academy converter",
                        "Community school",
                        "Voluntary aided school",
                        "Academy sponsor led",
                        "Foundation school",
                    )
                ),
                "status": "Open",
                "closed": False,
                "local_authority": _LAS[i % len(_LAS)] if n > 20 else "Coventry",
                "street": f"{rng.randrange(1, 200)} {rng.choice(_PLACES)} Road",
                "town": place,
                "postcode": f"CV{rng.randrange(1, 13)} {rng.randrange(1, 9)}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                "pupils": pupils,
                "low_age": 11 if secondary else 4,
                "high_age": 18 if secondary else 11,
            },
        )
