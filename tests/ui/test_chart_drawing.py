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


def test_pictures_arriving_as_their_chart_is_deleted_are_dropped_cleanly(
    qtbot: Any, monkeypatch: Any
) -> None:
    """A drawing thread answers while the chart that asked is being deleted (a page closed, a
    window switched): the answer is dropped, never a crash (a thread emitting on an object the
    window's thread deletes crashed libpyside6: tests/ui/shell/test_background_close_race.py)."""
    import random
    import time

    import shiboken6
    from PySide6.QtCore import QBuffer, QCoreApplication, QThreadPool
    from PySide6.QtGui import QImage

    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(0)
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    png = bytes(buffer.data().data())
    rng = random.Random(13)

    def render(_chart: Chart, _width: float, _dpi: int) -> bytes:
        end = time.perf_counter() + rng.uniform(0, 0.0004)
        while time.perf_counter() < end:
            pass  # the picture arrives a little before, at, or after the deletion
        return png

    monkeypatch.setattr(chart_module, "_render", render)
    kept = ChartView()
    qtbot.addWidget(kept)
    for n in range(300):
        view = ChartView()
        view.set_chart(CHART)
        time.sleep(rng.uniform(0, 0.0006))
        if n % 2:
            shiboken6.delete(view)  # at once, as a parent deleting its children does
        else:
            view.deleteLater()
        QCoreApplication.processEvents()
    assert QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.processEvents()
    # A chart still shown gets its picture as before.
    with qtbot.waitSignal(kept.drawn, timeout=10_000):
        kept.set_chart(CHART)
    assert not kept.pixmap().isNull()
