"""The features this app is built with: the one place a new feature is registered.

Adding a feature: make its package (``peerreview/<feature>/`` with a ``FEATURE``, and
``ui/<feature>/`` with its ``FEATURE_UI``), then add it to the tuple below and to
``ui/features.py``. docs/architecture.md walks through it.
"""

from __future__ import annotations

from peerreview.sync.registry import Registry


def default_registry() -> Registry:
    """A registry of every feature of this app, in the order they build on each other."""
    from peerreview.lessonstudy.feature import FEATURE as lessonstudy
    from peerreview.oversight.feature import FEATURE as oversight
    from peerreview.partnership.feature import FEATURE as partnership
    from peerreview.plans.feature import FEATURE as plans
    from peerreview.review.feature import FEATURE as review

    return Registry((partnership, review, lessonstudy, plans, oversight))
