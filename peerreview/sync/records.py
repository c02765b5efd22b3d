"""Read-side values: a record as the store currently shows it, and an open conflict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Record:
    """A record's current (provisional where conflicted) values."""

    id: str
    kind: str
    values: Mapping[str, Any]
    deleted: bool = False
    conflicts: frozenset[str] = field(default_factory=frozenset)

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value

    @property
    def title(self) -> str:
        """A short human name for lists and messages."""
        name = next(
            (
                self.values[k]
                for k in ("name", "title", "filename", "caption", "text")
                if self.values.get(k)
            ),
            None,
        )
        return str(name) if name else f"{self.kind} {self.id[:8]}"


@dataclass(frozen=True)
class ConflictValue:
    """One of the competing values of a conflicted field, and who wrote it where and when."""

    change_id: str
    value: Any
    author: str
    device_id: str
    device_name: str
    hlc: int
    winner: bool


@dataclass(frozen=True)
class Conflict:
    """A field with concurrent values (or a record deleted on one laptop and edited on another)."""

    record_id: str
    kind: str
    field: str
    record_title: str
    values: tuple[ConflictValue, ...]
    #: for a delete conflict: the fields edited without seeing the delete
    edited_fields: tuple[str, ...] = ()

    @property
    def is_delete(self) -> bool:
        return self.field == "deleted"


@dataclass(frozen=True)
class ApplyResult:
    """What applying a batch of changes did."""

    new: int
    known: int
    conflicts: int  # fields (and deleted records) newly in conflict after this batch


#: Marks around the matched words in a SearchHit snippet (the UI turns them into highlighting).
MATCH_START = "\x02"
MATCH_END = "\x03"


@dataclass(frozen=True)
class SearchHit:
    """One record's field that matched a search, with the match marked in ``snippet``."""

    record_id: str
    kind: str
    field: str
    title: str
    snippet: str
