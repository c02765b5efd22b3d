"""The partnership view in the window: its own window of figures (Ctrl+Shift+V), the partnership
report and the anonymous themes summary, the coverage CSV, and importing indicators."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QVBoxLayout, QWidget

from ui.shell.actions import IMPORT, ActionSpec
from ui.shell.registry import FeatureAction, FeatureUI, PageButton, Shell

MENU = "P&artnership"


def partnership_view(shell: Shell) -> QWidget:
    """Open (or bring forward) the partnership view: a window of its own beside the main one."""
    from ui.oversight.view import PartnershipView

    parent = shell.dialog_parent()
    existing = parent.findChild(QWidget, "partnershipWindow")
    if existing is not None:
        view = existing.findChild(PartnershipView)
        if view is not None:
            view.refresh()
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return existing
    window = QWidget(parent, Qt.WindowType.Window)
    window.setObjectName("partnershipWindow")
    window.setWindowTitle("Partnership view")
    box = QVBoxLayout(window)
    box.setContentsMargins(12, 8, 12, 8)
    view = PartnershipView(
        shell.session,
        open_record=shell.select_record,
        actions=(
            ("Coverage CSV…", lambda: export_coverage(shell)),
            ("Partnership report…", lambda: partnership_report(shell)),
            ("Themes summary…", lambda: themes_summary(shell)),
        ),
    )
    box.addWidget(view)
    # 1280 x 720, or nine tenths of a smaller screen (a laptop's, less its taskbar).
    screen = parent.screen().availableGeometry() if parent.screen() else None
    width, height = 1280, 720
    if screen is not None:
        width = min(width, int(screen.width() * 0.95))
        height = min(height, int(screen.height() * 0.9))
    window.resize(width, height)
    window.show()
    return window


def export_coverage(shell: Shell) -> None:
    from peerreview.oversight.figures import coverage, write_coverage_csv

    path, _ = QFileDialog.getSaveFileName(
        shell.dialog_parent(), "Export coverage", "coverage.csv", "CSV (*.csv)"
    )
    if path:
        write_coverage_csv(path, coverage(shell.session.store, dt.date.today()))
        shell.show_message(f"Wrote {path}.")


def partnership_report(shell: Shell) -> None:
    from peerreview.oversight.report import report_year
    from ui.shell.saving import save_report

    year = report_year(dt.date.today()).name
    save_report(shell, "partnership", year=year, name=f"Partnership report {year}")


def themes_summary(shell: Shell) -> None:
    from peerreview.oversight.report import report_year
    from ui.shell.saving import save_report

    year = report_year(dt.date.today()).name
    save_report(shell, "themes", year=year, name=f"Review themes {year}")


def import_indicators(shell: Shell) -> None:
    """Import a CSV of indicators, checked whole first (a bad row is named; nothing changes)."""
    from peerreview.oversight.indicators import import_indicators as run

    path, _ = QFileDialog.getOpenFileName(
        shell.dialog_parent(), "Import indicators", "", "CSV (*.csv)"
    )
    if not path:
        return
    shell.jobs.start(
        "Importing indicators…",
        run,
        shell.session.store,
        path,
        on_done=lambda result: shell.show_message(result.summary()),
    )


FEATURE_UI = FeatureUI(
    name="oversight",
    actions=(
        FeatureAction(
            ActionSpec(
                "partnership_view",
                "Partnership &view",
                ("Ctrl+Shift+V",),
                "Coverage, follow-through, laptops, themes, calendar and indicators",
            ),
            partnership_view,
            MENU,
        ),
        FeatureAction(
            ActionSpec("partnership_report", "Partnership &report…", (), "The board's report"),
            partnership_report,
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "themes_summary",
                "Anonymous &themes summary…",
                (),
                "The year's review themes, naming no school",
            ),
            themes_summary,
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "export_coverage", "Export &coverage as CSV…", (), "Every school's last contact"
            ),
            export_coverage,
            MENU,
        ),
        FeatureAction(
            ActionSpec(
                "import_indicators",
                "Import &indicators…",
                (),
                "Indicators per school from a CSV (URN, Measure, Date, Value, Source)",
            ),
            import_indicators,
            IMPORT,
        ),
    ),
    buttons=(PageButton("partnership_view", "partnership", order=10),),
    headings={"indicator": "Indicators", "contact": "Contacts"},
)
