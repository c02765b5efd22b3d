"""The partnership feature: its kinds, navigator folders, how its records are named, its demo."""

from __future__ import annotations

import datetime as dt

from peerreview.errors import PeerReviewError
from peerreview.partnership import demo, kinds
from peerreview.partnership.memberships import member_schools
from peerreview.sync.records import Record
from peerreview.sync.registry import Description, Feature, Folder
from peerreview.sync.store import Store


def _title_of(store: Store, record_id: object) -> str:
    """A linked record's name ("" when there is none)."""
    if not isinstance(record_id, str) or not record_id:
        return ""
    try:
        return store.get(record_id).title
    except PeerReviewError:
        return ""


def _person(store: Store, record: Record, hide_names: bool) -> Description:
    """A person by name, or by role when names are hidden (privacy mode); where they work."""
    role = str(record.values.get("role") or "").strip()
    school = _title_of(store, record.values.get("school"))
    where = f"{role or 'Staff'} at {school}" if school else role
    if hide_names:
        return Description(role or "Staff member", f"At {school}" if school else "")
    name = str(record.values.get("name") or "").strip() or "Name not yet given"
    return Description(name, where, label=f"{name} ({role})" if role else "")


def _school(store: Store, record: Record, hide_names: bool) -> Description:
    """A school by name, with its URN, phase, type and place; in lists, with its town."""
    v = record.values
    bits = [
        f"URN {v['urn']}" if v.get("urn") else "No URN",
        v.get("phase"),
        v.get("type"),
        v.get("town"),
        v.get("local_authority") and f"{v['local_authority']} LA",
    ]
    context = " · ".join(str(b) for b in dict.fromkeys(bits) if b)
    context += " · Closed" if v.get("closed") else ""
    town = str(v.get("town") or "")
    title = str(v.get("name") or "").strip() or "School not yet named"
    return Description(
        title, context, label=f"{title}, {town}" if town and town not in title else ""
    )


def _group(store: Store, record: Record, hide_names: bool) -> Description:
    name = str(record.values.get("name") or "").strip() or "Group not yet named"
    return Description(name, str(record.values.get("type") or ""))


def _membership(store: Store, record: Record, hide_names: bool) -> Description:
    """ "Wyken College in Coventry East trio", from 1 September 2024."""
    from peerreview.reports.model import long_date

    v = record.values
    member = _title_of(store, v.get("school"))
    if v.get("person"):
        member = "A member of staff" if hide_names else _title_of(store, v.get("person"))
    group = _title_of(store, v.get("group")) or "a group"
    dates = []
    for word, name in (("from", "start"), ("to", "end")):
        try:
            dates.append(f"{word} {long_date(dt.date.fromisoformat(str(v[name])))}")
        except (KeyError, ValueError):
            pass
    role = str(v.get("role") or "").strip()
    context = " ".join([f"Member{f' ({role})' if role else ''}", *dates])
    return Description(f"{member or 'A school'} in {group}", context)


def _partnership(store: Store, record: Record, hide_names: bool) -> Description:
    name = str(record.values.get("name") or "").strip() or "New partnership"
    return Description(name, "Partnership")


FEATURE = Feature(
    name="partnership",
    title="Partnership",
    kinds=kinds.KINDS,
    # The tables of these kinds were made by the engine's migrations 1 to 4 (written before
    # features had their own); this feature's own migrations start after them.
    migrations=(),
    folders=(
        Folder(
            "partnership",
            "group",
            "Groups",
            empty_text="No groups yet. Add a cluster, trio, hub or working group with Edit → "
            "New group (Ctrl+Shift+G), then add its member schools.",
            what=("group", "groups"),
        ),
        Folder(
            "partnership",
            "school",
            "Schools",
            empty_text="No schools yet. Import them from GIAS (File → Import schools from GIAS…) "
            "or add one (Ctrl+N).",
            what=("school", "schools"),
        ),
        Folder(
            "group",
            "school",
            "Member schools",
            inline=True,
            members=member_schools,
            watches=(("membership", "group"),),
            member_text="To take a school out of a group, open the group and end its membership.",
        ),
        Folder(
            "school",
            "person",
            "People",
            link_field="school",
            empty_text="No people recorded at this school yet. Add one with Edit → New person "
            "(Ctrl+Shift+N).",
            what=("person", "people"),
        ),
    ),
    describers={
        "partnership": _partnership,
        "person": _person,
        "school": _school,
        "group": _group,
        "membership": _membership,
    },
    demo=demo.build,
    demo_weight=1,
)
