"""The review workspace's visual vocabulary: cards, badges, scale pickers, area pills, flow layout.

Kept in one place so every page looks the same, and the style sheet is scoped to the workspace (the
rest of the app keeps its own look).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

from peerreview.review.reviews import Sharing, Status
from ui.shell.signals import emit

ACCENT = QColor(47, 123, 191)
GAP = QColor(224, 161, 0)

STYLE = """
QFrame[card="true"] { background: palette(base); border: 1px solid palette(mid);
                      border-radius: 8px; }
QFrame[card="true"] QLabel { background: transparent; }
QFrame[card="true"] QScrollArea, QWidget#evidenceNotes { background: transparent; }
QFrame[tone="agreed"] { border: 2px solid #2f7bbf; }
QFrame[tone="warning"] { background: rgba(224, 161, 0, 0.16); border: 1px solid #e0a100;
                         border-radius: 6px; }
QFrame[tone="info"] { background: rgba(47, 123, 191, 0.10);
                      border: 1px solid rgba(47, 123, 191, 0.45);
                      border-radius: 6px; }
QLabel[role="cardTitle"] { font-weight: bold; font-size: 11pt; }
QLabel[role="pageTitle"] { font-weight: bold; font-size: 15pt; }
QLabel[role="eyebrow"] { color: palette(placeholder-text); font-size: 8.5pt; font-weight: bold; }
QLabel[role="muted"] { color: palette(placeholder-text); }
QLabel[role="big"] { font-size: 12pt; font-weight: bold; }
QLabel[badge="true"] { border-radius: 11px; padding: 3px 10px; font-weight: bold; }
QLabel[scope="host"] { background: #efe4f8; color: #55287a; border: 1px solid #cdb5e2; }
QLabel[scope="host_coordinator"] { background: #e3eefa; color: #1d4f80; border: 1px solid #aac8e8; }
QLabel[scope="partnership"] { background: #e2f3e6; color: #1e6332; border: 1px solid #a8d5b4; }
QLabel[status="planned"], QLabel[status="draft"] { background: palette(button);
                                                    color: palette(text);
                                                    border: 1px solid palette(mid); }
QLabel[status="visit"] { background: #fff1cc; color: #6b4a00; border: 1px solid #e6c567; }
QLabel[status="host_comments"] { background: #e3eefa; color: #1d4f80; border: 1px solid #aac8e8; }
QLabel[status="agreed"] { background: #2f7bbf; color: white; border: 1px solid #2f7bbf; }
QLabel[status="changed"] { background: #fde3c8; color: #7a3b00; border: 1px solid #e39a4f; }
QFrame#scalePicker, QFrame#activityPicker { border: 2px solid transparent; border-radius: 8px; }
QFrame#scalePicker:focus, QFrame#activityPicker:focus { border: 2px solid palette(highlight); }
QFrame#scalePicker QPushButton, QFrame#activityPicker QPushButton {
    border: 1px solid palette(mid); border-radius: 6px; padding: 6px 12px;
    background: palette(base); text-align: left; }
QFrame#scalePicker QPushButton:checked, QFrame#activityPicker QPushButton:checked {
    background: #2f7bbf; color: white; border-color: #2f7bbf; }
QListWidget#areaList { border: 1px solid palette(mid); border-radius: 8px; padding: 4px;
                       background: palette(base); }
QListWidget#areaList::item { padding: 7px 8px; border-radius: 6px; margin: 1px 0; }
QListWidget#areaList::item:selected { background: #2f7bbf; color: white; }
QPushButton[primary="true"] { background: #2f7bbf; color: white; border: 1px solid #2f7bbf;
                              border-radius: 6px; padding: 6px 14px; font-weight: bold; }
QPushButton[primary="true"]:hover { background: #3a88cf; }
QLabel[note="true"] { padding: 8px 4px; border-bottom: 1px solid palette(midlight); }
QTabWidget#reviewTabs::pane { border-top: 1px solid palette(mid); top: -1px; }
QTabWidget#reviewTabs > QTabBar::tab { padding: 8px 18px; min-width: 90px; }
"""


def scaled_font(font: QFont, factor: float) -> QFont:
    """The font ``factor`` times bigger (or smaller), whether it is sized in points or pixels."""
    out = QFont(font)
    if font.pointSizeF() > 0:
        out.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        out.setPixelSize(max(6, round(font.pixelSize() * factor)))
    return out


def card(title: str = "", *, tone: str = "", margins: int = 14) -> tuple[QFrame, QVBoxLayout]:
    """A rounded panel with an optional bold title; returns the frame and its layout."""
    frame = QFrame()
    frame.setProperty("card", True)
    if tone:
        frame.setProperty("tone", tone)
    box = QVBoxLayout(frame)
    box.setContentsMargins(margins, margins - 2, margins, margins)
    box.setSpacing(8)
    if title:
        box.addWidget(label(title, "cardTitle"))
    return frame, box


def label(text: str, role: str = "", *, wrap: bool = True, selectable: bool = False) -> QLabel:
    w = QLabel(text)
    if role:
        w.setProperty("role", role)
    w.setWordWrap(wrap)
    if selectable:
        w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return w


def banner(text: str, tone: str = "info") -> tuple[QFrame, QLabel]:
    """A coloured strip with a sentence (a warning or a hint)."""
    frame = QFrame()
    frame.setProperty("tone", tone)
    row = QHBoxLayout(frame)
    row.setContentsMargins(12, 8, 12, 8)
    text_label = label(text)
    text_label.setTextFormat(Qt.TextFormat.PlainText)
    row.addWidget(text_label, 1)
    return frame, text_label


def restyle(widget: QWidget) -> None:
    """Apply the style sheet again after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class SharingBadge(QLabel):
    """Who may see this review ("Host school only"), on every tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("badge", True)
        self.setAccessibleName("Sharing scope")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def set_sharing(self, value: str | None) -> None:
        sharing = Sharing.of(value) or Sharing.HOST
        self.setText(f"Sharing: {sharing.label}")
        self.setToolTip(
            "Who may see this review and its report. The host school decides; it is printed on "
            "every page of the report. Change it on the Plan tab."
        )
        self.setAccessibleDescription(sharing.label)
        self.setProperty("scope", sharing.value)
        restyle(self)


class StatusBadge(QLabel):
    """Where the review is in its cycle ("Visit under way")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("badge", True)
        self.setAccessibleName("Status")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def set_status(self, value: str | Status | None, *, changed: bool = False) -> None:
        """Show a status; ``changed``: the report was edited after it was agreed (that is said
        instead, in amber, until it is agreed again)."""
        status = value if isinstance(value, Status) else Status.of(value) or Status.PLANNED
        if changed:
            self.setText("Changed after agreement")
            self.setToolTip(
                "The report has been edited since it was agreed. Agree it again (Report tab) "
                "before sharing it."
            )
            self.setProperty("status", "changed")
        else:
            self.setText(status.label)
            self.setToolTip("")
            self.setProperty("status", status.value)
        restyle(self)


def status_combo() -> QComboBox:
    """The review's status; "Report agreed" is shown but only the Agree report button sets it."""
    combo = QComboBox()
    combo.setAccessibleName("Status")
    for st in Status:
        combo.addItem(st.label, st.value)
    model = combo.model()
    if isinstance(model, QStandardItemModel):
        model.item(combo.findData(Status.AGREED.value)).setEnabled(False)
    return combo


class ScalePicker(QFrame):
    """A judgement on a scale as a row of buttons: click, or keys 1-n, arrows, Delete to clear."""

    changed = Signal()

    def __init__(
        self, levels: Sequence[tuple[str, str]], name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scalePicker")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(name)
        self.levels = list(levels)  # (value, label)
        self._value: str | None = None
        row = FlowLayout(self)  # the levels wrap onto a second line in a narrow pane
        row.setContentsMargins(2, 2, 2, 2)
        self.buttons: list[QPushButton] = []
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        keys = ", ".join(str(i) for i in range(1, len(self.levels) + 1))
        self.setToolTip(f"Choose with the mouse or the keys {keys}; Delete clears it")
        self.setAccessibleDescription(
            "Levels: "
            + ", ".join(lbl for _v, lbl in self.levels)
            + f". Keys {keys}; Delete clears."
        )
        for n, (value, text) in enumerate(self.levels, start=1):
            b = QPushButton(text)
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setToolTip(f"{text} (key {n})")
            b.clicked.connect(lambda _c=False, v=value: self._clicked(v))
            self.group.addButton(b)
            self.buttons.append(b)
            row.add(b)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def value(self) -> str | None:
        return self._value

    def set_value(self, value: str | None) -> None:
        self._value = value if any(v == value for v, _ in self.levels) else None
        for b, (v, _t) in zip(self.buttons, self.levels, strict=True):
            b.setChecked(v == self._value)
        chosen = next((t for v, t in self.levels if v == self._value), "not set")
        self.setAccessibleDescription(f"{self.accessibleName()}: {chosen}")

    def _choose(self, value: str | None) -> None:
        if value != self._value:
            self.set_value(value)
            emit(self.changed)
        else:
            self.set_value(value)

    def _clicked(self, value: str) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._choose(None if value == self._value else value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        values = [v for v, _ in self.levels]
        current = values.index(self._value) if self._value in values else -1
        if (
            Qt.Key.Key_1 <= key <= Qt.Key.Key_9
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            n = key - Qt.Key.Key_1
            if n < len(values):
                self._choose(values[n])
                return
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._choose(values[min(current + 1, len(values) - 1)])
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Up) and current > 0:
            self._choose(values[current - 1])
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_0):
            self._choose(None)
            return
        super().keyPressEvent(event)


class AreaPill(QAbstractButton):
    """An area with its evidence count; checkable as a chip (Alt+n) or shown as coverage."""

    def __init__(
        self,
        title: str,
        count: int = 0,
        key_hint: str = "",
        *,
        checkable: bool = True,
        max_text: int = 260,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.title = title
        self.count = count
        self.key_hint = key_hint
        self.max_text = max_text
        self.show_count = True
        self.setCheckable(checkable)
        self.setText(title)
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if checkable else Qt.CursorShape.ArrowCursor
        )
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus if checkable else Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self._describe()

    def set_count(self, count: int) -> None:
        if count != self.count:
            self.count = count
            self._describe()
            self.updateGeometry()
            self.update()

    def set_show_count(self, on: bool) -> None:
        if on != self.show_count:
            self.show_count = on
            self.updateGeometry()
            self.update()

    def _describe(self) -> None:
        notes = (
            "no evidence yet"
            if self.count == 0
            else f"{self.count} note" + ("" if self.count == 1 else "s")
        )
        self.setAccessibleName(self.title)
        self.setAccessibleDescription(notes)
        tip = f"{self.title}: {notes}"
        if self.key_hint:
            tip += f". {self.key_hint} toggles it for this note"
        self.setToolTip(tip)

    def _parts(self) -> tuple[QFont, QFont, str, str]:
        small = scaled_font(self.font(), 0.8)
        bold = QFont(small)
        bold.setBold(True)
        fm = QFontMetrics(self.font())
        text = fm.elidedText(self.title, Qt.TextElideMode.ElideRight, self.max_text)
        return small, bold, text, str(self.count)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        small, bold, text, count = self._parts()
        fm, fs, fb = QFontMetrics(self.font()), QFontMetrics(small), QFontMetrics(bold)
        w = 12 + fm.horizontalAdvance(text) + 12
        if self.show_count:
            w += max(fb.horizontalAdvance(count) + 12, 22) + 6
        if self.key_hint:
            w += fs.horizontalAdvance(self.key_hint) + 10
        return QSize(w, max(fm.height(), 18) + 14)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        small, bold, text, count = self._parts()
        r = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        on = self.isChecked()
        gap = self.count == 0 and self.show_count
        if on:
            fill, edge, ink = ACCENT, ACCENT, QColor("white")
        elif gap:
            fill = QColor(GAP)
            fill.setAlphaF(0.16)
            edge, ink = GAP, pal.color(QPalette.ColorRole.Text)
        else:
            fill, edge = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Mid)
            ink = pal.color(QPalette.ColorRole.Text)
        p.setPen(QPen(edge, 2 if self.hasFocus() else 1))
        if self.hasFocus():
            p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
        p.setBrush(fill)
        p.drawRoundedRect(r, r.height() / 2, r.height() / 2)
        x = 12
        if self.key_hint:
            p.setFont(small)
            p.setPen(
                QColor(255, 255, 255, 200) if on else pal.color(QPalette.ColorRole.PlaceholderText)
            )
            w = QFontMetrics(small).horizontalAdvance(self.key_hint)
            p.drawText(QRect(x, 0, w, self.height()), Qt.AlignmentFlag.AlignVCenter, self.key_hint)
            x += w + 10
        p.setFont(self.font())
        p.setPen(ink)
        w = QFontMetrics(self.font()).horizontalAdvance(text)
        p.drawText(QRect(x, 0, w + 2, self.height()), Qt.AlignmentFlag.AlignVCenter, text)
        x += w + 10
        if not self.show_count:
            p.end()
            return
        bw = max(QFontMetrics(bold).horizontalAdvance(count) + 12, 22)
        bubble = QRectF(x, (self.height() - 18) / 2, bw, 18)
        p.setPen(Qt.PenStyle.NoPen)
        if on:
            p.setBrush(QColor(255, 255, 255, 230))
            num = ACCENT
        elif gap:
            p.setBrush(GAP)
            num = QColor("black")
        else:
            p.setBrush(pal.color(QPalette.ColorRole.Button).darker(112))
            num = pal.color(QPalette.ColorRole.ButtonText)
        p.drawRoundedRect(bubble, 9, 9)
        p.setFont(bold)
        p.setPen(num)
        p.drawText(bubble, Qt.AlignmentFlag.AlignCenter, count)
        p.end()


class FlowLayout(QLayout):
    """Lays widgets left to right, wrapping onto new lines (chips and pills)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def add(self, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                x, y, line = area.x(), y + line + self._spacing, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()

    def clear(self) -> None:
        while self._items:
            item = self._items.pop()
            w = item.widget()
            if w is not None:
                w.hide()
                w.deleteLater()


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that resizes it to fit the width."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


def scroll_to(widget: QWidget) -> None:
    """Scroll every scroll area holding ``widget`` so that it is in sight."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 0, 40)
        parent = parent.parentWidget()


def scrolling_page(owner: QWidget, top: int = 0) -> QVBoxLayout:
    """Give ``owner`` a scrolling page body; returns the body's layout to fill, top to bottom."""
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, top, 0, 0)
    body = QWidget()
    box = QVBoxLayout(body)
    box.setContentsMargins(0, 0, 12, 12)
    box.setSpacing(12)
    outer.addWidget(scrolled(body))
    return box
