"""The partnership view's tests: a store with a school, its people and an agreed review."""

from review_world import library, store, world

__all__ = ["library", "store", "world"]
