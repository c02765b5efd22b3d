"""Reads for search and lists: many records by id at once, a kind's titles, recent text matches.

Search reads a few hundred records per keystroke; one query per kind (not one per record) keeps
it under a frame. The full-text query lists matches newest first (``rowid`` order, which FTS5
walks without scoring every match): ranking tens of thousands of matches by relevance cost 30 to
110 ms on the regional database, and people typing want the latest notes, not the best-scored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from peerreview.sync.changes import DELETED
from peerreview.sync.kinds import Kind
from peerreview.sync.records import Record

#: SQLite's limit on bound parameters is 32,766 since 3.32; stay well below it.
_CHUNK = 900


@dataclass(frozen=True)
class TextMatch:
    """One field of one record whose text matched, with the match marked in ``snippet``."""

    record_id: str
    kind: str
    field: str
    snippet: str


#: Words shorter than this match whole words only ("RE", "PE", the 4 of "Year 4"): as prefixes
#: they would match a good share of the index, and cost 20 to 40 ms a search on the regional demo.
PREFIX_FROM = 3


def fts_query(text: str, max_words: int = 12) -> str:
    """The FTS5 query for what a person typed: every word, as a word prefix when it is three
    characters or longer, else as a whole word."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text).split() if w]
    return " ".join(
        '"' + w.replace('"', "") + ('"*' if len(w) >= PREFIX_FROM else '"')
        for w in words[:max_words]
    )


#: The full-text query the store runs (bench/search_bench.py times the same SQL as its floor).
RECENT_MATCHES_SQL = (
    "SELECT record, kind, field, snippet(search, 0, ?, ?, '…', 12) FROM search"
    " WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?"
)


def recent_matches(
    db: sqlite_utils.Database, text: str, marks: tuple[str, str], limit: int
) -> list[TextMatch]:
    """Fields whose text holds every word of ``text`` (as word prefixes), newest first."""
    query = fts_query(text)
    if not query:
        return []
    rows = db.conn.execute(RECENT_MATCHES_SQL, [marks[0], marks[1], query, limit]).fetchall()
    return [TextMatch(str(r), str(k), str(f), str(s)) for r, k, f, s in rows]


def kinds_of(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, str]:
    """{record id: kind} for those of ``ids`` that exist."""
    out: dict[str, str] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        out.update(
            db.conn.execute(f"SELECT id, kind FROM records WHERE id IN ({marks})", chunk).fetchall()
        )
    return out


def records_by_id(
    db: sqlite_utils.Database,
    kinds: Mapping[str, Kind],
    ids: Sequence[str],
    values_of: Callable[[Kind, Mapping[str, Any]], dict[str, Any]],
) -> dict[str, Record]:
    """The records with these ids (deleted ones too), one query per kind; unknown ids left out."""
    by_kind: dict[str, list[str]] = {}
    for record_id, kind in kinds_of(db, ids).items():
        if kind in kinds:
            by_kind.setdefault(kind, []).append(record_id)
    out: dict[str, Record] = {}
    ex = db.conn.execute
    for kind_name, wanted in by_kind.items():
        k = kinds[kind_name]
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            cur = ex(f'SELECT * FROM "{k.name}" WHERE id IN ({marks})', chunk)
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
            conflicts: dict[str, set[str]] = {}
            for record, field in ex(
                f"SELECT record, field FROM conflicts WHERE record IN ({marks})", chunk
            ):
                conflicts.setdefault(record, set()).add(field)
            dynamic: dict[str, dict[str, Any]] = {}
            if k.dynamic:
                for record, field, value in ex(
                    "SELECT record, field, value FROM dynamic_values"
                    f" WHERE record IN ({marks}) AND value IS NOT NULL",
                    chunk,
                ):
                    dynamic.setdefault(record, {})[field] = value
            for row in rows:
                raw = dict(zip(names, row, strict=True))
                values = values_of(k, raw)
                values.update(dynamic.get(raw["id"], {}))
                out[raw["id"]] = Record(
                    raw["id"],
                    k.name,
                    values,
                    bool(raw.get(DELETED)),
                    frozenset(conflicts.get(raw["id"], ())),
                )
    return out
