"""The partnership feature: its kinds, navigator folders, how its records are named, its demo."""

from __future__ import annotations

from peerreview.partnership import demo, kinds
from peerreview.partnership.memberships import member_schools
from peerreview.sync.records import Record
from peerreview.sync.registry import Description, Feature, Folder
from peerreview.sync.store import Store


def _person(store: Store, record: Record, hide_names: bool) -> Description:
    """A person by name, or by role when names are hidden (privacy mode)."""
    role = str(record.values.get("role") or "").strip()
    if hide_names:
        return Description(role or "Staff member")
    return Description(record.title, role, label=f"{record.title} ({role})" if role else "")


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
    title = record.title
    return Description(
        title, context, label=f"{title}, {town}" if town and town not in title else ""
    )


def _group(store: Store, record: Record, hide_names: bool) -> Description:
    return Description(record.title, str(record.values.get("type") or ""))


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
    describers={"person": _person, "school": _school, "group": _group},
    demo=demo.build,
    demo_weight=1,
)
