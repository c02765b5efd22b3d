"""A chart on screen is drawn in the drawing process, or on a thread when that cannot be used."""

from __future__ import annotations

from typing import Any

from peerreview.reports.model import Chart, Series
from ui.shell import chart as chart_module
from ui.shell.chart import ChartView

CHART = Chart(
    "EBIs by area",
    ("Leadership", "Behaviour"),
    (Series("Even better if", (3.0, 1.0), "development"),),
    kind="bar",
    caption="Leadership: 3; behaviour: 1.",
)


def _draw(qtbot: Any) -> ChartView:
    view = ChartView()
    qtbot.addWidget(view)
    view.resize(600, 200)
    view.show()
    with qtbot.waitSignal(view.drawn, timeout=60000):
        view.set_chart(CHART)
    assert not view.pixmap().isNull() and view.pixmap().width() > 300
    assert view.accessibleDescription() == CHART.caption
    return view


def test_a_chart_is_drawn_in_the_drawing_process(qtbot: Any) -> None:
    _draw(qtbot)
    assert chart_module._pool is not None  # noqa: SLF001 - the process that drew it


def test_without_the_drawing_process_a_chart_is_drawn_on_a_thread(
    qtbot: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(chart_module, "_process_pool", lambda: None)
    _draw(qtbot)
