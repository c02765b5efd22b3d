"""A feature's migrations, as data: the tables, columns and indexes each one makes.

A feature never writes SQL. Its migrations are frozen lists of steps, written out in full when the
migration is written (not read from today's kinds), so a database made years ago upgrades through
exactly what each release did. The storage layer (``peerreview.sync.migrations``) carries them out.

Every kind table also has the engine's common columns (``deleted``, ``form_id``,
``form_version``, ``purged``): the engine's own migrations add any new one to every kind table
there is, so a table made by a feature gets the engine's common columns of its day.
"""

from __future__ import annotations

from dataclasses import dataclass

#: SQL column types a feature may declare (the store's field types map onto these two).
COLUMN_TYPES = ("TEXT", "INTEGER")


@dataclass(frozen=True)
class CreateKindTable:
    """Make the table of a new kind: ``(name, type)`` columns besides id and the common ones."""

    kind: str
    columns: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AddColumns:
    """Add columns to a kind's table (fields are only ever added, never renamed or dropped)."""

    kind: str
    columns: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CreateIndex:
    """An index on a kind's table, for a query that follows a link."""

    kind: str
    fields: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.kind}_{'_'.join(self.fields)}"


Step = CreateKindTable | AddColumns | CreateIndex


@dataclass(frozen=True)
class Migration:
    """One schema change of a feature, numbered by its place in the feature's list (from 1)."""

    description: str
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        for step in self.steps:
            if not isinstance(step, CreateIndex):
                for name, sql_type in step.columns:
                    if sql_type not in COLUMN_TYPES or not name.isidentifier():
                        raise ValueError(f"{step.kind}.{name}: a column is a name and a type.")


def text(*names: str) -> tuple[tuple[str, str], ...]:
    """Text columns (text, dates, references and JSON are all stored as TEXT)."""
    return tuple((n, "TEXT") for n in names)


def integer(*names: str) -> tuple[tuple[str, str], ...]:
    """Integer columns (whole numbers and yes/no)."""
    return tuple((n, "INTEGER") for n in names)
