"""Search in people's words: what a person typed, found by name, by what it belongs to, and in text.

Three ways a record is found, in this order:

1. **by name**: the kinds people go to by name (the partnership, the folders under it and under
   a school: groups, schools, people, reviews, cycles, plans) whose name has every word typed at
   a word's start ("kin ac" finds Kineton Academy), accents and case ignored (the store's names
   index, ``Store.find_by_name``);
2. **by what it belongs to**: records a feature declares ``found_by`` a link (a review by its
   school), when what they link to was found by name: a school's name finds all its reviews;
3. **in its text**: the full-text index, the most recently written first.

Each record is described by its feature (``Registry.describe``): a title and whose it is, never a
kind's name or an id. ``find`` lists what was found without reading it, and ``describe`` words a
batch, reading everything it needs in a few queries (the records by id, then what they link to):
the search window describes only the hits it shows (docs/search.md, bench/search_bench.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from peerreview.sync.kinds import FieldType
from peerreview.sync.records import MATCH_END, MATCH_START, Record
from peerreview.sync.registry import Description, record_title_field
from peerreview.sync.storage.names import fold
from peerreview.sync.store import Store

#: How many text matches are read (the newest); more than anyone reads while typing.
TEXT_LIMIT = 50
#: How many records of one kind are found by name, and found by what they belong to.
NAME_LIMIT = 25


@dataclass(frozen=True)
class Found:
    """One record found, described as a person would say it."""

    record: Record
    description: Description
    #: the field whose text matched ("" when found by its name or by what it belongs to)
    field: str = ""
    #: that field's text around the match, the matched words marked (MATCH_START/MATCH_END)
    snippet: str = ""
    #: found because it belongs to this record, whose name was typed (a review's school)
    via: str = ""


@dataclass(frozen=True)
class Hit:
    """One record found, not yet read: what it is, and why it was found."""

    record_id: str
    kind: str
    #: the field whose text matched ("" when found by what it belongs to)
    field: str = ""
    #: that field's text around the match, marked (a name found: marked when described)
    snippet: str = ""
    #: found because it belongs to this record, whose name was typed
    via: str = ""
    #: the name that matched, when found by name
    name: str = ""


@dataclass(frozen=True)
class Hits:
    """What a search found, in the order found, not yet described (``Searcher.describe``)."""

    text: str
    #: the words typed, folded
    words: tuple[str, ...]
    hits: tuple[Hit, ...]
    #: True when more records matched than are listed
    more: bool = False


@dataclass(frozen=True)
class Results:
    """What a search found, in the order found (names, then what they hold, then text)."""

    text: str
    found: tuple[Found, ...]
    #: True when more records matched than are listed (more words narrow it down)
    more: bool = False


def words_of(text: str) -> list[str]:
    """The words of what was typed, folded (punctuation separates words)."""
    return "".join(ch if ch.isalnum() else " " for ch in fold(text)).split()


class Searcher:
    """Searches one store (its names index is the store's, shared by every searcher of it)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def search(
        self,
        text: str,
        *,
        hide_names: bool = False,
        text_limit: int = TEXT_LIMIT,
        name_limit: int = NAME_LIMIT,
    ) -> Results:
        """Records matching every word of ``text``, described (names hidden in privacy mode: a
        person found by name is described by role, and the app hides the name matched)."""
        hits = self.find(text, text_limit=text_limit, name_limit=name_limit)
        found = [
            f
            for f in self.describe(hits.hits, hits.words, hide_names=hide_names)
            if f is not None and not f.record.deleted
        ]
        return Results(text, tuple(found), hits.more)

    def find(
        self, text: str, *, text_limit: int = TEXT_LIMIT, name_limit: int = NAME_LIMIT
    ) -> Hits:
        """The records matching every word of ``text``, in the order ``search`` lists them, not
        yet described: what a window needs to group and count them, and to describe only those
        it shows (``describe``)."""
        words = words_of(text)
        if not words:
            return Hits(text, (), ())
        store, registry = self.store, self.store.registry
        order: dict[str, Hit] = {}
        more = False
        named: dict[str, list[str]] = {}
        by_name = store.find_by_name(self._name_kinds(), words, limit=name_limit + 1)
        for kind, found in by_name.items():
            more = more or len(found) > name_limit
            named[kind] = [record_id for record_id, _name in found[:name_limit]]
            field = record_title_field(registry.kind(kind)) or ""
            for record_id, name in found[:name_limit]:
                order.setdefault(record_id, Hit(record_id, kind, field, name=name))
        for kind, link in registry.found_by():
            spec = registry.kind(kind).spec(link)
            if spec is None or spec.ref_kind not in named or not named[spec.ref_kind]:
                continue
            held = store.list(
                kind,
                any_of={link: named[spec.ref_kind]},
                order_by=_first_date(store, kind),
                descending=True,
                limit=name_limit + 1,
            )
            more = more or len(held) > name_limit
            for record in held[:name_limit]:
                via = str(record.values.get(link) or "")
                order.setdefault(record.id, Hit(record.id, kind, via=via))
        matches = store.matches(text, limit=text_limit)
        more = more or len(matches) >= text_limit
        for m in matches:
            order.setdefault(m.record_id, Hit(m.record_id, m.kind, m.field, m.snippet))
        return Hits(text, tuple(words), tuple(order.values()), more)

    def describe(
        self, hits: Sequence[Hit], words: Sequence[str], *, hide_names: bool = False
    ) -> list[Found | None]:
        """Each hit described as a person would say it (None for a record no longer here),
        everything it needs read in a few queries: the records, then what they belong to."""
        store, registry = self.store, self.store.registry
        out: list[Found | None] = []
        with store.reading():
            records = store.get_many([h.record_id for h in hits])
            self._read_links(records.values())
            for hit in hits:
                got = records.get(hit.record_id)
                if got is None:
                    out.append(None)
                    continue
                description = registry.describe(store, got, hide_names=hide_names)
                snippet = mark(hit.name, list(words)) if hit.name else hit.snippet
                out.append(Found(got, description, hit.field, snippet, hit.via))
        return out

    # ------------------------------------------------------------------ finding by name

    def prepare(self) -> None:
        """Do ahead what the first search would (see ``prepare_steps``)."""
        for _ in self.prepare_steps():
            pass

    def prepare_steps(self) -> Iterator[None]:
        """Do ahead, a piece at a time, what the first search would: read the names, the
        index's first pages, and describe a record of each kind (describers may import modules
        or read forms). The app runs it after its window first paints."""
        store = self.store
        yield from store.index_names(self._name_kinds())
        store.matches("the", limit=1)
        yield
        for kind in store.registry.kinds:
            for record in store.list(kind, limit=1, order_by="id"):
                store.registry.describe(store, record)
            yield

    def _name_kinds(self) -> list[str]:
        """The kinds people go to by name: the partnership's own folders (groups, schools) and a
        school's (people, reviews, cycles, plans), those whose records have a name (a school's,
        a review's title). What sits deeper (a plan's priorities and actions, 23,000 on the
        regional demo, and their criteria and updates) is found by its text, from three
        letters: indexing those names too doubled the index for hits the text finds anyway."""
        registry = self.store.registry
        top = {registry.root_kind().name} if any(k.root for k in registry.kinds.values()) else set()
        school = registry.school_kind()
        near = top | ({school.name} if school is not None else set())
        under = {f.kind for f in registry.folders() if f.parent_kind in near}
        return [
            kind
            for kind in registry.named_kinds()
            if (kind in top or kind in under)
            and record_title_field(registry.kind(kind)) not in (None, "text")
        ]

    # ------------------------------------------------------------------ describing

    def _read_links(self, records: Iterable[Record]) -> None:
        """Read, in one go per kind, the records the found ones belong to (two steps deep: a
        note's review, and the review's school), so describing them reads nothing more."""
        registry = self.store.registry
        batch = list(records)
        for _depth in range(2):
            wanted = []
            for record in batch:
                kind = registry.kinds.get(record.kind)
                if kind is None:
                    continue
                for name in kind.owned_by:
                    value = record.values.get(name)
                    if isinstance(value, str) and value:
                        wanted.append(value)
            if not wanted:
                return
            batch = list(self.store.get_many(wanted).values())


def mark(name: str, words: list[str]) -> str:
    """``name`` with the words that start with a word typed marked as matched."""
    out = []
    for part in re.split(r"(\w+)", name):
        folded = fold(part) if part else ""
        if folded[:1].isalnum() and any(folded.startswith(w) for w in words):
            out.append(f"{MATCH_START}{part}{MATCH_END}")
        else:
            out.append(part)
    return "".join(out)


def _first_date(store: Store, kind: str) -> str:
    """The field to list a kind's records by, newest first: its first date field, else its id."""
    k = store.registry.kind(kind)
    return next((f.name for f in k.fields if f.type is FieldType.DATE), "id")
