"""The features the desktop app shows: the one place a feature's UI is registered.

Each feature package of the UI (``ui/<feature>/feature.py``) declares one ``FEATURE_UI``; adding a
feature means adding it below as well as to ``peerreview/features.py``. docs/architecture.md walks
through it.
"""

from __future__ import annotations

from peerreview.sync.registry import Registry
from ui.shell import actions
from ui.shell.registry import FeatureUI, UIRegistry


def default_features() -> tuple[FeatureUI, ...]:
    """Every UI feature of this app."""
    from ui.lessonstudy.feature import FEATURE_UI as lessonstudy
    from ui.oversight.feature import FEATURE_UI as oversight
    from ui.partnership.feature import FEATURE_UI as partnership
    from ui.plans.feature import FEATURE_UI as plans
    from ui.review.feature import FEATURE_UI as review

    return (partnership, review, lessonstudy, plans, oversight)


def default_ui_registry(registry: Registry) -> UIRegistry:
    """This app's UI features over ``registry``: those whose core feature it has."""
    names = {f.name for f in registry.features}
    return UIRegistry(registry, [f for f in default_features() if f.name in names])


#: Every action of this app's window: the shell's own and its features' (for checks over them all).
SPECS = (*actions.SPECS, *(a.spec for f in default_features() for a in f.actions))
