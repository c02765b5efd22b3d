"""The UI registry: what each feature declares for the window holds together, and the shell's
menus, page buttons and list headings come out of it as they did when they were written by hand."""

from __future__ import annotations

import pytest

from peerreview.features import default_registry
from peerreview.sync.registry import Registry
from ui.features import SPECS, default_features, default_ui_registry
from ui.shell.actions import ActionSpec
from ui.shell.registry import FeatureAction, FeatureUI, UIRegistry


def test_each_feature_shows_only_kinds_it_may_name() -> None:
    """A feature opens, asks for, decorates and heads its own kinds (or those of a feature it
    builds on), and its page buttons run actions that exist."""
    registry = default_registry()
    features = default_ui_registry(registry)
    names = {s.name for s in SPECS}
    known: set[str] = set()
    for ui in features.features:
        core = registry.feature(ui.name)
        known |= {k.name for k in core.kinds}
        for table in (ui.openers, ui.askers, ui.looks, ui.icons, ui.headings):
            assert set(table) <= known, (ui.name, set(table) - known)
        for button in ui.buttons:
            assert button.action in names, button
            assert button.kind in registry.kinds, button


def test_the_menus_hold_every_action_once_and_no_shortcut_twice() -> None:
    features = default_ui_registry(default_registry())
    listed = [n for _title, names in features.menus() for n in names if n not in ("-", "recent")]
    assert sorted(listed) == sorted(s.name for s in SPECS)
    keys = [str(k) for s in SPECS for k in s.shortcuts]
    assert len(keys) == len(set(keys))
    assert [title for title, _names in features.menus()] == [
        "&File",
        "&Edit",
        "&View",
        "&Review",
        "&Lesson study",
        "P&lans",
        "P&artnership",
        "&Help",
    ]
    edit = dict(features.menus())["&Edit"]
    assert edit == (
        "undo",
        "redo",
        "-",
        "new_school",
        "new_person",
        "new_group",
        "-",
        "delete",
        "purge",
    )


def test_page_buttons_and_list_headings() -> None:
    features = default_ui_registry(default_registry())
    assert features.buttons("school") == ["plan_review", "new_plan", "new_person"]
    assert features.buttons("school", folder=True) == ["new_school", "import_gias"]
    assert features.buttons("review") == ["improvement_workshop"]
    assert features.heading("membership") == "Group memberships"
    assert features.heading("evidence") == "Evidence notes"  # from the kind's own words
    assert features.heading_order(["attachment", "evidence", "partnership", "school"]) == [
        "school",
        "partnership",
        "evidence",
        "attachment",
    ]


def test_a_registry_without_a_feature_shows_none_of_it() -> None:
    partnership = default_registry().feature("partnership")
    features = default_ui_registry(Registry((partnership,)))
    assert [f.name for f in features.features] == ["partnership"]
    assert "&Review" not in dict(features.menus())
    assert features.opener("review") is None


def test_a_registry_refuses_what_does_not_fit() -> None:
    registry = default_registry()
    with pytest.raises(ValueError, match="no feature called 'nowhere'"):
        UIRegistry(registry, (FeatureUI("nowhere"),))
    clash = FeatureUI(
        "review",
        actions=(FeatureAction(ActionSpec("delete", "&Delete"), lambda shell: None, "&Review"),),
    )
    with pytest.raises(ValueError, match="Two actions are called 'delete'"):
        UIRegistry(registry, (clash,))
    with pytest.raises(ValueError, match="shown twice"):
        UIRegistry(registry, (*default_features(), default_features()[0]))
