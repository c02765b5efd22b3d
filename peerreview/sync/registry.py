"""The feature registry: what each feature contributes, declared in one place and asked by all.

A feature (the partnership, peer review, lesson study, action plans) is a package that declares one
:class:`Feature`: its kinds of record and the migrations that make their tables, its folders in the
navigator, how its records are described to people (in the navigator, search results, the
conflict dialog and import summaries), its report builders and its demo builder; and what it
offers other features without their importing it: the follow-ups of another feature's records
(what a school's plan did about a review's EBI), its dated events (for coverage and the calendar)
and its commands. The engine, the
command line and the app ask the :class:`Registry` and never branch on a kind's name.

There is no global registry: a store is opened with one (``Store.open(path, registry=...)``), and
everything that needs to know the kinds asks the store's. ``peerreview.features`` lists the
features this app is built with.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from peerreview.errors import ValidationError
from peerreview.sync.kinds import ENGINE_KINDS, Kind
from peerreview.sync.records import Record
from peerreview.sync.schema import Migration

if TYPE_CHECKING:
    import argparse

    from peerreview.forms import FormLibrary
    from peerreview.progress import CancelCheck, Progress
    from peerreview.reports.model import Report
    from peerreview.sync.store import Store


@dataclass(frozen=True)
class Description:
    """A record as a person would name it: what it is, and where it belongs.

    ``title`` names the record ("Evidence note, lesson visit, Year 9 science"); ``context`` says
    whose it is ("Kineton Academy review, 14 May 2026"), "" when the title says enough.
    """

    title: str
    context: str = ""
    #: how it reads in a list of records of its kind, where two may share a name ("Asha Patel
    #: (Headteacher)", "Grace Academy, Coventry"); the title when not given
    label: str = ""
    #: its name where its kind and place are plain already (a folder of the navigator); the title
    #: when not given
    short: str = ""

    @property
    def list_label(self) -> str:
        return self.label or self.title

    @property
    def short_title(self) -> str:
        return self.short or self.title


#: Describes a record of a kind; ``hide_names`` is privacy mode (people shown by role only).
Describer = Callable[["Store", Record, bool], Description]


#: The ids of the records a folder lists under each of the given parents: {parent id: ids}.
Members = Callable[["Store", Sequence[str]], Mapping[str, list[str]]]


@dataclass(frozen=True)
class Folder:
    """Records of ``kind`` listed under a record of ``parent_kind`` in the navigator.

    A folder under the partnership lists every record of its kind (``link_field`` ""); under a
    record, those whose ``link_field`` names it. ``members`` replaces that query (a group's
    current member schools); ``inline`` shows the records straight under the parent, with no folder
    row; ``watches`` are kinds whose edits can change what the folder holds (memberships, for a
    group's members).

    ``members`` is asked about many parents at once (the navigator reads every group's member
    schools in one call when it opens) and answers with the ids of each parent's records (the
    navigator has most of them at hand already: a group's member schools are in Schools).
    """

    parent_kind: str
    kind: str
    title: str
    link_field: str = ""
    empty_text: str = ""
    inline: bool = False
    members: Members | None = field(default=None, compare=False)
    #: (kind, field): an edit of such a record changes the folder of the parent its field names
    watches: tuple[tuple[str, str], ...] = ()
    #: when there is nothing here, the one-line page says how to add one
    what: tuple[str, str] = ("record", "records")
    #: an inline folder's records live elsewhere too: how one is taken out of this folder (said
    #: when someone tries to delete it from here)
    member_text: str = ""


@dataclass(frozen=True)
class ReportRequest:
    """What a report is of: a record, a school, a school year; and which variant."""

    record_id: str | None = None
    school: str | None = None  # a school's record id
    year: str | None = None  # an English school year, "2025-26"
    summary: bool = False
    #: the day the report is of (what is due and overdue is judged against it); None for today
    today: dt.date | None = None


#: Builds a report model from the store (pure: reads only).
ReportBuild = Callable[["Store", "FormLibrary", ReportRequest], "Report"]


@dataclass(frozen=True)
class ReportBuilder:
    """One report a feature offers: ``peerreview report --kind <name>``."""

    name: str
    title: str
    build: ReportBuild = field(compare=False)
    #: the kind of record ``--id`` names; None when the report is not of one record
    record_kind: str | None = None
    #: True when the report is of a school (``--school URN``)
    of_school: bool = False


@dataclass(frozen=True)
class DemoContext:
    """What a feature's demo builder is given: the size, the random numbers every feature draws
    from in turn (so the same seed makes the same partnership), and where to report progress."""

    size: str
    rng: random.Random
    progress: Progress | None = None
    cancelled: CancelCheck | None = None


#: A feature's rule about a local edit of one of its records that spans records (a research
#: lesson is not dated before its cycle): given the store, the record's kind, its id, its values
#: before the edit ({} for a new record) and the edited fields, raises ValidationError to refuse.
EditCheck = Callable[["Store", str, str, Mapping[str, Any], Mapping[str, Any]], None]

#: Adds a feature's part of the demo partnership; returns what it made ({"reviews": 24}).
DemoBuild = Callable[["Store", DemoContext], Mapping[str, int]]


@dataclass(frozen=True)
class FollowUp:
    """What was done about a record, as another feature knows it: an EBI of a review turned into a
    school's action ("Action: governors' reports focus on three priorities", "In progress, Amber,
    due 3 March 2026"). A feature asks for them without knowing which feature answers."""

    title: str
    status: str = ""
    #: the record that holds it (to open), "" when there is none
    record_id: str = ""


#: The follow-ups of one record of a kind (``Feature.follow_ups`` maps a kind to one of these).
FollowUps = Callable[["Store", str], Sequence[FollowUp]]


@dataclass(frozen=True)
class Event:
    """Something that happened, or will happen, at a school on a day: a peer review, a research
    lesson, an improvement workshop, an impact review, a contact. The partnership view's coverage
    and calendar are made of every feature's events."""

    day: dt.date
    school: str  # the school's record id
    category: str  # what coverage counts it as: "review", "lesson study", "visit", "contact", ...
    title: str
    record_id: str = ""


#: A feature's events between two days (both included; None leaves that end open).
EventSource = Callable[["Store", "dt.date | None", "dt.date | None"], Iterable[Event]]


@dataclass(frozen=True)
class Command:
    """A command a feature adds to the ``peerreview`` command line (``peerreview actions``).

    ``configure`` adds its arguments to the command's parser (``--db`` is there already);
    ``run`` does it with the database open and returns the exit code.
    """

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None] = field(compare=False)
    run: Callable[[argparse.Namespace, Store], int] = field(compare=False)


@dataclass(frozen=True)
class Feature:
    """Everything one feature contributes, declared once."""

    name: str
    title: str
    kinds: tuple[Kind, ...] = ()
    #: this feature's migrations, oldest first; each makes what it made when it was written
    migrations: tuple[Migration, ...] = ()
    folders: tuple[Folder, ...] = ()
    describers: Mapping[str, Describer] = field(default_factory=dict, compare=False)
    #: (kind, field): records of ``kind`` are also found by searching for the name of the record
    #: their ``field`` links to (a school's name finds its reviews)
    found_by: tuple[tuple[str, str], ...] = ()
    reports: tuple[ReportBuilder, ...] = ()
    demo: DemoBuild | None = field(default=None, compare=False)
    #: rules checked on every local create and update of a kind's records, by kind name (edits
    #: arriving in bundles are not checked: two laptops may merge into what neither typed)
    checks: Mapping[str, EditCheck] = field(default_factory=dict, compare=False)
    #: how much of the demo this feature's builder is (for one progress bar over all of them)
    demo_weight: int = 1
    #: for a kind (of any feature): what this feature records was done about one of its records
    follow_ups: Mapping[str, FollowUps] = field(default_factory=dict, compare=False)
    #: where this feature's dated events come from (for coverage and the calendar)
    events: EventSource | None = field(default=None, compare=False)
    #: commands this feature adds to the command line
    commands: tuple[Command, ...] = ()


class Registry:
    """The features an app is built with, and what they declare, looked up by kind or name."""

    def __init__(self, features: Sequence[Feature]) -> None:
        self.features: tuple[Feature, ...] = tuple(features)
        kinds: dict[str, Kind] = {}
        owner: dict[str, Feature | None] = {}
        names: set[str] = set()
        for feature in self.features:
            if feature.name in names or feature.name == "engine":
                raise ValueError(f"Two features are called {feature.name!r}.")
            names.add(feature.name)
            for kind in feature.kinds:
                if kind.name in kinds:
                    raise ValueError(f"Two features declare the kind {kind.name!r}.")
                kinds[kind.name] = kind
                owner[kind.name] = feature
        for kind in ENGINE_KINDS:  # the engine's own, after the features' (attachments)
            if kind.name in kinds:
                raise ValueError(f"A feature declares the engine's kind {kind.name!r}.")
            kinds[kind.name] = kind
            owner[kind.name] = None
        self.kinds: Mapping[str, Kind] = kinds
        self._owner = owner
        self._describers: dict[str, Describer] = {}
        for feature in self.features:
            self._describers.update(feature.describers)
        self._reports = {r.name: r for f in self.features for r in f.reports}
        self._checks: dict[str, list[EditCheck]] = {}
        for feature in self.features:
            for kind_name, rule in feature.checks.items():
                self._checks.setdefault(kind_name, []).append(rule)

    # ------------------------------------------------------------------ kinds

    def kind(self, name: str) -> Kind:
        """The kind called ``name``.

        Raises:
            ValidationError: no such kind (a bundle from a newer app, or a typo).
        """
        try:
            return self.kinds[name]
        except KeyError:
            raise ValidationError(f"There is no kind of record called {name!r}.") from None

    def feature_of(self, kind: str) -> Feature | None:
        """The feature that declares ``kind`` (None for the engine's own kinds)."""
        return self._owner.get(kind)

    def feature(self, name: str) -> Feature:
        return next(f for f in self.features if f.name == name)

    def root_kind(self) -> Kind:
        """The kind whose one record is the partnership itself."""
        found = [k for k in self.kinds.values() if k.root]
        if len(found) != 1:
            raise ValidationError("These features declare no kind of record for the partnership.")
        return found[0]

    def school_kind(self) -> Kind:
        """The kind that is a school (the one whose records are their own school)."""
        found = [k for k in self.kinds.values() if k.school_field == "id"]
        if len(found) != 1:
            raise ValidationError("These features declare no kind of record that is a school.")
        return found[0]

    def owners(self, kind: str) -> Iterator[tuple[Kind, str]]:
        """(kind, field) pairs whose records go with a deleted record of ``kind``."""
        for k in self.kinds.values():
            for name in sorted(k.owned_by):
                spec = k.spec(name)
                if spec is not None and spec.ref_kind in (None, kind):
                    yield k, name

    def check_edit(
        self,
        store: Store,
        kind: str,
        record_id: str,
        current: Mapping[str, Any],
        edits: Mapping[str, Any],
    ) -> None:
        """Run the features' rules on a local edit; each refuses with one sentence."""
        for rule in self._checks.get(kind, ()):
            rule(store, kind, record_id, current, edits)

    # ------------------------------------------------------------------ people's words

    def describe(self, store: Store, record: Record, *, hide_names: bool = False) -> Description:
        """How a record is named to people, with where it belongs."""
        describer = self._describers.get(record.kind)
        if describer is not None:
            return describer(store, record, hide_names)
        label = self.kinds[record.kind].label if record.kind in self.kinds else record.kind
        title = record.values.get(record_title_field(self.kinds.get(record.kind)) or "")
        return Description(str(title) if title else label.capitalize())

    def found_by(self) -> tuple[tuple[str, str], ...]:
        """Every feature's (kind, field) pairs: records found by the name of what they link to."""
        return tuple(pair for f in self.features for pair in f.found_by)

    def named_kinds(self) -> tuple[str, ...]:
        """Kinds people find by name: the partnership's and those of the navigator's folders."""
        kinds = [self.root_kind().name] if any(k.root for k in self.kinds.values()) else []
        for folder in self.folders():
            if folder.kind not in kinds:
                kinds.append(folder.kind)
        return tuple(kinds)

    def label(self, kind: str, *, plural: bool = False) -> str:
        """A kind's name in words ("evidence note", "evidence notes")."""
        k = self.kinds.get(kind)
        text = k.label if k is not None else kind.replace("_", " ")
        return (k.plural if k is not None else text + "s") if plural else text

    # ------------------------------------------------------------------ navigator

    def folders(self) -> tuple[Folder, ...]:
        """Every feature's folders, in registration order."""
        return tuple(f for feature in self.features for f in feature.folders)

    def folders_under(self, parent_kind: str) -> tuple[Folder, ...]:
        return tuple(f for f in self.folders() if f.parent_kind == parent_kind)

    # ------------------------------------------------------------------ reports

    @property
    def reports(self) -> Mapping[str, ReportBuilder]:
        return self._reports

    def report(self, name: str) -> ReportBuilder:
        try:
            return self._reports[name]
        except KeyError:
            raise ValidationError(
                f"There is no {name} report. Choose one of: {', '.join(self._reports)}."
            ) from None

    # ------------------------------------------------------------------ links between features

    def follows_up(self, kind: str) -> bool:
        """True when some feature records what is done about records of ``kind``."""
        return any(kind in f.follow_ups for f in self.features)

    def follow_ups(self, store: Store, record: Record) -> list[FollowUp]:
        """What every feature records was done about ``record`` (empty when nothing yet)."""
        out: list[FollowUp] = []
        for feature in self.features:
            source = feature.follow_ups.get(record.kind)
            if source is not None:
                out.extend(source(store, record.id))
        return out

    def events(
        self, store: Store, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[Event]:
        """Every feature's events from ``start`` to ``end`` (both included), in date order."""
        found = [
            e for f in self.features if f.events is not None for e in f.events(store, start, end)
        ]
        return sorted(found, key=lambda e: (e.day, e.category, e.record_id))

    def commands(self) -> tuple[Command, ...]:
        """The commands features add to the command line, in registration order."""
        return tuple(c for f in self.features for c in f.commands)

    # ------------------------------------------------------------------ schema

    def migrations(self) -> Mapping[str, tuple[Migration, ...]]:
        """Each feature's migrations, by feature name."""
        return {f.name: f.migrations for f in self.features}

    def feature_versions(self) -> dict[str, int]:
        """The schema version of each feature this app writes (bundles carry it)."""
        return {f.name: len(f.migrations) for f in self.features}


def record_title_field(kind: Kind | None) -> str | None:
    """The field that names a record of ``kind`` (name, title, file name, caption or text)."""
    if kind is None:
        return None
    return next(
        (c for c in ("name", "title", "filename", "caption", "text") if c in kind.by_name), None
    )
