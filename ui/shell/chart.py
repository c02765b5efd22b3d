"""A chart in the window: the report's own picture, drawn in a process of its own.

:class:`ChartView` shows a report model's :class:`~peerreview.reports.model.Chart` as the PNG that
``peerreview.reports.charts.render_png`` makes for the PDF and the Word file, at the widget's width
and the screen's pixel ratio, so the chart on screen is the chart in the report. The picture is
drawn by matplotlib in a drawing process started with the first chart (about a second; on a worker
thread, importing matplotlib here, if it cannot start), and decoded on a worker thread; until it
arrives the chart's caption stands in for it, and it is also the picture's accessible description.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from peerreview.reports.charts import size_inches
from peerreview.reports.model import Chart
from ui.shell.signals import emit


def import_charts() -> None:
    """Import matplotlib (through ``reports.charts``) on the first chart drawn in this process.

    PySide6's import hook asks of every module imported whether it uses PySide6; through
    ``inspect.getsource`` that made importing matplotlib and numpy take 15 seconds instead of half
    of one. ``ui.shell.signals`` (imported above) answers that question from the module's file,
    read raw, for the whole session: nothing more is needed here.
    """
    if not charts_ready():
        _load()


def _load() -> None:
    from peerreview.reports import charts

    charts.setup()


def charts_ready() -> bool:
    module = sys.modules.get("peerreview.reports.charts")
    return bool(module is not None and module.ready())


# matplotlib draws in another process: its C code holds Python's lock for up to 20 ms a call, and
# the GUI thread needs that lock for every Python call while it lays out and paints (a 2 ms timer
# saw 40-150 ms stalls as a chart was drawn on a thread; none over 30 ms without). One process,
# started when the first chart is drawn, kept for the next; drawn in a thread if it cannot start.
_POOL_LOCK = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_broken = False


def _process_pool() -> ProcessPoolExecutor | None:
    global _pool, _pool_broken  # noqa: PLW0603 - one drawing process for the whole app
    with _POOL_LOCK:
        if _pool is None and not _pool_broken:
            try:
                _pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
                atexit.register(_stop_pool)
            except (OSError, ValueError):
                _pool_broken = True
        return _pool


def _stop_pool() -> None:
    global _pool  # noqa: PLW0603
    with _POOL_LOCK:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _render(chart: Chart, width: float, dpi: int) -> bytes:
    """The chart's PNG, drawn in the drawing process (in this thread if it cannot be used)."""
    global _pool_broken  # noqa: PLW0603
    from peerreview.reports.charts import render_png

    pool = _process_pool()
    if pool is not None:
        try:
            return pool.submit(render_png, chart, width=width, dpi=dpi).result()
        except (BrokenProcessPool, OSError, RuntimeError):
            _pool_broken = True
    import_charts()
    return render_png(chart, width=width, dpi=dpi)


class _Drawn(QObject):
    """The one object drawing threads answer on, living as long as the application: never deleted.

    Each chart had its own, deleted with it while a drawing thread emitted on it: a crash in
    libpyside6 (tests/ui/test_chart_drawing.py crashed in 5 runs of 5), as background.py's relay
    once did. This one lives in the window's thread and hands each picture to the chart that asked,
    if it still exists: looked up by the request's key, never reused.
    """

    done = Signal(int, object)  # (the request's key, the picture)

    def __init__(self) -> None:
        super().__init__()
        #: the chart waiting for each request's picture (dropped once it arrives)
        self.waiting: dict[int, ChartView] = {}
        self.keys = itertools.count(1)
        self.done.connect(self._arrived)

    def ask(self, view: ChartView) -> int:
        key = next(self.keys)
        self.waiting[key] = view
        return key

    def _arrived(self, key: int, picture: QImage) -> None:
        view = self.waiting.pop(key, None)
        if view is not None and shiboken6.isValid(view):  # (not closed meanwhile)
            view._arrived(key, picture)  # noqa: SLF001 - its own answer


_RELAY: _Drawn | None = None


def _relay() -> _Drawn:
    """The application's relay, made by the first chart (in the window's thread)."""
    global _RELAY  # noqa: PLW0603 - one for the whole app
    if _RELAY is None:
        _RELAY = _Drawn()
    return _RELAY


class _Draw(QRunnable):
    def __init__(self, chart: Chart, width: float, dpi: int, key: int, out: _Drawn) -> None:
        super().__init__()
        self.chart, self.width, self.dpi, self.key, self.out = chart, width, dpi, key, out

    def run(self) -> None:
        try:
            data = _render(self.chart, self.width, self.dpi)
            # Decoded here too (a QImage may be made on any thread): the window only shows it.
            picture = QImage.fromData(data)
        except Exception:  # noqa: BLE001 - a chart that cannot be drawn keeps its caption
            picture = QImage()
        try:
            emit(self.out.done, self.key, picture)
        except RuntimeError:
            pass  # the application is ending (its relay has gone)


class ChartView(QLabel):
    """Shows one chart, redrawn when it changes or the widget is resized."""

    #: the picture arrived (tests wait for it)
    drawn = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chart")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(320)
        self.chart: Chart | None = None
        self._token = 0  # the key of the picture asked for last
        self._width = 0
        #: the picture's height, known before it is drawn (0: no chart)
        self._expected = 0

    def reserve(self, chart: Chart) -> None:
        """Keep room for a chart of this shape before it comes (the page is laid out once)."""
        logical = self.logicalDpiX() or 96
        width = max(self.width(), self.minimumWidth())
        self._expected = round(size_inches(chart, width / logical)[1] * logical)
        self.updateGeometry()

    def set_chart(self, chart: Chart | None) -> None:
        self.chart = chart
        if chart is None:
            self.clear()
            self.setAccessibleDescription("")
            self._expected = 0
            self.updateGeometry()
            return
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(chart.caption)
        # Until the picture comes, its title (one line, not the whole caption, which a short
        # label would cut); the caption is its description and its tooltip.
        self.setToolTip(chart.caption)
        if self.pixmap().isNull():
            self.setText(chart.title or chart.caption)
        # Room for the picture at once, so the page is laid out once, not again when it comes.
        logical = self.logicalDpiX() or 96
        width = max(self.width(), self.minimumWidth())
        expected = round(size_inches(chart, width / logical)[1] * logical)
        if expected != self._expected:
            self._expected = expected
            self.updateGeometry()
        self._draw()

    def _draw(self) -> None:
        if self.chart is None:
            return
        self._width = max(self.width(), self.minimumWidth())
        ratio = self.devicePixelRatioF() or 1.0
        logical = self.logicalDpiX() or 96
        relay = _relay()
        self._token = key = relay.ask(self)
        width_in = self._width / logical
        QThreadPool.globalInstance().start(
            _Draw(self.chart, width_in, round(logical * ratio), key, relay)
        )

    def _arrived(self, token: int, picture: QImage) -> None:
        if token != self._token or picture.isNull():
            return
        pixmap = QPixmap.fromImage(picture)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF() or 1.0)
        self.setPixmap(pixmap)
        if round(pixmap.deviceIndependentSize().height()) != self._expected:
            self._expected = round(pixmap.deviceIndependentSize().height())
            self.updateGeometry()
        self.drawn.emit()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # A label asks for its whole picture; this one shrinks with the window and is redrawn.
        height = (
            self.pixmap().deviceIndependentSize().height() if not self.pixmap().isNull() else 60
        )
        return QSize(self.minimumWidth(), int(height))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSizeHint()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        # A wrapping label is as tall as its text; this one as tall as its picture will be.
        return self._expected or super().heightForWidth(width)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.chart is not None and abs(self.width() - self._width) > 24:
            self._draw()
