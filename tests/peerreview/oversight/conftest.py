"""The partnership view's tests: a store with a school, its people and an agreed review."""

from review_world import store, world

__all__ = ["store", "world"]
