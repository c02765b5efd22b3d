"""Peer review's tests: a new store for each test (the one plans' and oversight's tests use)."""

from review_world import store

__all__ = ["store"]
