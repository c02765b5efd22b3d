"""Action plans' tests: a store with a school, its people, and an agreed review with EBIs."""

from review_world import store, world

__all__ = ["store", "world"]
