"""Typed errors of the core, each carrying a plain-English sentence for the person using the app."""

from __future__ import annotations


class PeerReviewError(Exception):
    """Base of every error a person may see. ``message`` is what to show them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StoreError(PeerReviewError):
    """The database cannot be opened or used as asked."""


class NewerDatabaseError(StoreError):
    """The database was written by a newer version of PeerReview."""


class DatabaseLockedError(StoreError):
    """Another PeerReview window already has this database open."""


class PurgeError(StoreError):
    """A record could not be erased for good (a full disk, a read-only file), or not completely."""


class RecordNotFound(PeerReviewError):
    """No record with that id (or URN) exists."""


class ValidationError(PeerReviewError):
    """A value does not fit the field it is meant for."""


class ConflictError(PeerReviewError):
    """A conflict cannot be resolved as asked."""


class BundleError(PeerReviewError):
    """A bundle file was refused; the database was not changed."""


class GiasError(PeerReviewError):
    """A file is not a usable GIAS establishment CSV."""


class FormError(PeerReviewError):
    """A form definition in forms/ is not valid."""


class Cancelled(PeerReviewError):
    """The person cancelled a long operation; nothing was changed."""

    def __init__(self, message: str = "Cancelled. Nothing was changed.") -> None:
        super().__init__(message)
