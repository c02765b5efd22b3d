"""The names search finds records by: a full-text table of this connection's own, kept in step.

Search finds the records people navigate to (schools, people, reviews...) by the start of any word
of their name, as it is typed. Keeping 33,600 names as Python strings cost 33 MB and a quarter of
every search's time on the regional demo, and reading them all again after any change made one
search take a second. Here they live in a TEMP full-text table (in memory: the store sets
``temp_store``) with prefix indexes for one to three letters, built from the kinds' tables in a
statement per kind, and brought up to date before each search from the change log: only the
records of these kinds written since (``changes.seq``) are read again. It is TEMP, not a table in
the file, so no migration, no import path and no other laptop needs to know about it
(docs/search.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import sqlite_utils

#: At most this many ids are bound in one statement.
_CHUNK = 500


def fold(text: str) -> str:
    """Text as search compares it: accents removed, case folded ("Straße" as "strasse")."""
    if text.isascii():  # most names and words: nothing to take apart
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _fold_sql(text: object) -> str | None:
    return fold(text) if isinstance(text, str) else None


class NameIndex:
    """The names of some kinds' records (``{kind: its name field}``), searchable by word prefix.

    One per connection and set of kinds; a record is in it while it is not deleted and its name
    is not empty.
    """

    def __init__(self, db: sqlite_utils.Database, fields: Mapping[str, str]) -> None:
        self.db = db
        self.fields = dict(fields)
        #: each kind's token in the ``kind`` column ("k0", "k1"...: one token, unlike "plan_x")
        self._token = {kind: f"k{i}" for i, kind in enumerate(sorted(self.fields))}
        #: the change log's last ``seq`` this index has caught up with (None: not built)
        self._seq: int | None = None
        self._builds = 0

    # ------------------------------------------------------------------ keeping it in step

    def refresh(self) -> None:
        """Build the index if it is not there, else read again the names of the records written
        since it last looked (by this connection or any other)."""
        ex = self.db.conn.execute
        top = ex("SELECT max(seq) FROM changes").fetchone()[0] or 0
        if self._seq is not None and top == self._seq:
            return
        if self._seq is None or top < self._seq or self._purged_since(self._seq):
            # First time; or the log is not the one read (a restored file); or a record was
            # purged: its name must not stay even in this connection's memory, so start afresh.
            for _ in self.build_steps():
                pass
            return
        kinds = list(self.fields)
        marks = ",".join("?" * len(kinds))
        written = ex(
            f"SELECT DISTINCT kind, record FROM changes WHERE seq > ? AND seq <= ?"
            f" AND kind IN ({marks})",
            [self._seq, top, *kinds],
        ).fetchall()
        by_kind: dict[str, list[str]] = {}
        for kind, record in written:
            by_kind.setdefault(kind, []).append(record)
        with _savepoint(self.db):
            for kind, records in by_kind.items():
                for start in range(0, len(records), _CHUNK):
                    self._reread(kind, records[start : start + _CHUNK])
        self._seq = top

    def _purged_since(self, seq: int) -> bool:
        row = self.db.conn.execute(
            "SELECT 1 FROM changes WHERE seq > ? AND field = 'purged' LIMIT 1", [seq]
        ).fetchone()
        return row is not None

    def build_steps(self) -> Iterator[None]:
        """Build the index afresh, a kind at a time (it is usable when the last step is done;
        a search meanwhile builds it whole, and this build then stops)."""
        self._seq = None
        self._builds += 1
        mine = self._builds
        ex = self.db.conn.execute
        top = ex("SELECT max(seq) FROM changes").fetchone()[0] or 0
        ex("DROP TABLE IF EXISTS temp.names")
        ex("DROP TABLE IF EXISTS temp.name_docs")
        # Names are indexed folded as what is typed is (``fold``: case and accents ignored),
        # and kept as written (``shown``); prefix indexes answer the first letters typed
        # without walking every word in the index.
        self.db.conn.create_function("peerreview_fold", 1, _fold_sql, deterministic=True)
        ex(
            "CREATE VIRTUAL TABLE temp.names USING fts5(folded, kind, record UNINDEXED,"
            " shown UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3',"
            " detail = 'column')"
        )
        ex("CREATE TABLE temp.name_docs (record TEXT PRIMARY KEY, docid INTEGER NOT NULL)")
        for kind in self.fields:
            yield
            if self._builds != mine:
                return
            with _savepoint(self.db):
                # What is written from ``top`` on is read again at the next refresh.
                self._add(kind)
        self._seq = top

    def _reread(self, kind: str, records: Sequence[str]) -> None:
        ex = self.db.conn.execute
        marks = ",".join("?" * len(records))
        ex(
            "DELETE FROM temp.names WHERE rowid IN"
            f" (SELECT docid FROM temp.name_docs WHERE record IN ({marks}))",
            records,
        )
        ex(f"DELETE FROM temp.name_docs WHERE record IN ({marks})", records)
        self._add(kind, f" AND id IN ({marks})", records)

    def _add(self, kind: str, where: str = "", params: Sequence[str] = ()) -> None:
        """Index the names of ``kind``'s records (those ``where`` says, else all), in one
        statement, and note each one's document in ``name_docs``."""
        ex = self.db.conn.execute
        field = self.fields[kind]
        last = ex("SELECT rowid FROM temp.names ORDER BY rowid DESC LIMIT 1").fetchone()
        ex(
            "INSERT INTO temp.names(folded, kind, record, shown)"
            f' SELECT peerreview_fold("{field}"), ?, id, "{field}" FROM main."{kind}"'
            f' WHERE deleted = 0 AND "{field}" IS NOT NULL AND "{field}" != \'\'{where}',
            [self._token[kind], *params],
        )
        ex(
            "INSERT INTO temp.name_docs(record, docid) SELECT record, rowid FROM temp.names"
            " WHERE rowid > ?",
            [last[0] if last else 0],
        )

    # ------------------------------------------------------------------ finding

    def find(self, kind: str, words: Sequence[str], limit: int) -> list[tuple[str, str]]:
        """(id, name) of at most ``limit`` records of ``kind`` with every one of ``words`` at the
        start of a word of their name, in the order they were read."""
        token = self._token.get(kind)
        terms = [fold(w).replace('"', "") for w in words if w.replace('"', "")]
        if token is None or not terms:
            return []
        match = "folded : (" + " AND ".join(f'"{t}"*' for t in terms) + f') AND kind : "{token}"'
        rows = self.db.conn.execute(
            "SELECT record, shown FROM temp.names WHERE names MATCH ? LIMIT ?", [match, limit]
        ).fetchall()
        return [(str(r), str(n)) for r, n in rows]


@contextmanager
def _savepoint(db: sqlite_utils.Database) -> Iterator[None]:
    """One transaction for many statements, nested in the store's own if one is open (a plain
    ``BEGIN`` would fail there, and committing would end the store's)."""
    ex = db.conn.execute
    ex("SAVEPOINT names")
    try:
        yield
    except BaseException:
        ex("ROLLBACK TO names")
        ex("RELEASE names")
        raise
    ex("RELEASE names")
