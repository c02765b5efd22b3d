"""Choices people pick from (a status, a rating, a source): the value records store and the words
people read for it, declared once, side by side."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, Self


class Choice(enum.Enum):
    """An enum whose members are ``NAME = "value", "Words people read"``; without words, the value
    capitalised with spaces for underscores ("in_progress" reads "In progress")."""

    _value_: str
    label: str

    if TYPE_CHECKING:  # the stored value is always text (Enum's own is typed Any)

        @property
        def value(self) -> str: ...

    def __new__(cls, value: str, label: str = "") -> Self:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label or value.replace("_", " ").capitalize()
        return member

    @classmethod
    def of(cls, value: Any) -> Self | None:
        """The member stored as ``value``; None for anything else (empty, or from a newer app)."""
        try:
            return cls(value)
        except ValueError:
            return None
