"""A throwaway feature, made only for tests: a school's contact log (calls and emails with it).

It is a folder with both sides of a feature, as an app's own would be: ``feature.py`` (the core:
its kind, migration, navigator folder, titles and report) and ``feature_ui.py`` (the window: how a
note opens, a menu command, a page button). ``tests/ui/test_a_feature_is_a_folder.py`` registers it
and uses it everywhere a feature shows, without a change to any file of the app.
"""
