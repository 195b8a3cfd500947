"""Small charts drawn with QPainter (no QtCharts: PySide6-Addons would add ~175 MB to every install).

Each chart is a model first: `set_data` takes plain `Bar`s, `bars()` returns where every bar is drawn, and
`bar_at(point)` says which bar a point hits — the tests use these, the paint code only draws them. A bar
carries a `payload` (the 统计 page puts the `CaseFilter` of the cases it counts there); clicking a bar emits
it. Colour always comes with text: bars have a legend or a label, and a tooltip with the figure.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui.common import style

AXIS = QColor("#9e9e9e")
GRID = QColor("#e0e0e0")
TEXT = QColor("#424242")
BAR = QColor("#1565c0")
LINE = QColor("#2e7d32")


@dataclass(frozen=True)
class Bar:
    """One bar (or one segment of a stacked bar): its label, value, colour, tooltip and what a click means."""

    label: str
    value: float
    colour: QColor = field(default_factory=lambda: QColor(BAR))
    tooltip: str = ""
    payload: object = None


@dataclass(frozen=True)
class Drawn:
    rect: QRectF
    bar: Bar


def nice_top(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 × 10ⁿ), so grid lines fall on readable numbers."""
    if value <= 0:
        return 1
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


class Chart(QWidget):
    """The shared parts: a title, an empty text, hit testing, tooltips and clicks.

    Signals:
        bar_clicked(object): a bar with a payload was clicked; the payload.
    """

    bar_clicked = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.empty_text = self.tr("本期没有案件")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._drawn: list[Drawn] = []

    def sizeHint(self) -> QSize:
        return QSize(420, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 150)

    # ---------------------------------------------------------------- model

    def bars(self) -> list[Drawn]:
        """Every bar with the rectangle it is drawn in, for the current size."""
        self._drawn = self._layout()
        return self._drawn

    def bar_at(self, point: QPointF) -> Bar | None:
        for drawn in self.bars():
            if drawn.rect.adjusted(-1, -1, 1, 1).contains(point):
                return drawn.bar
        return None

    def _layout(self) -> list[Drawn]:
        return []

    def _plot_area(self) -> QRectF:
        metrics = self.fontMetrics()
        return QRectF(self.rect()).adjusted(8, metrics.height() * 2 + 8, -8, -6)

    # ---------------------------------------------------------------- events

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            help_event: QHelpEvent = event  # type: ignore[assignment]
            bar = self.bar_at(QPointF(help_event.pos()))
            if bar is not None and bar.tooltip:
                QToolTip.showText(help_event.globalPos(), bar.tooltip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(event.position())
        clickable = bar is not None and bar.payload is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            bar = self.bar_at(event.position())
            if bar is not None and bar.payload is not None:
                self.bar_clicked.emit(bar.payload)
                return
        super().mousePressEvent(event)

    # ---------------------------------------------------------------- painting

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = self.fontMetrics()
        title_font = painter.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(TEXT)
        painter.drawText(QRectF(8, 4, self.width() - 16, metrics.height() + 2), Qt.AlignmentFlag.AlignLeft, self.title)
        title_font.setBold(False)
        painter.setFont(title_font)
        if not self.has_data():
            painter.setPen(style.MUTED)
            painter.drawText(self._plot_area(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
        else:
            self._paint(painter, metrics)
        painter.end()

    def has_data(self) -> bool:
        return any(drawn.bar.value for drawn in self.bars())

    def _paint(self, painter: QPainter, metrics: QFontMetrics) -> None:
        raise NotImplementedError

    def _legend(self, painter: QPainter, metrics: QFontMetrics, entries: Sequence[tuple[str, QColor]]) -> None:
        """Colour squares with their text, right-aligned on the title line."""
        x = self.width() - 8
        y = 4
        box = metrics.height() * 0.7
        for text, colour in reversed(entries):
            width = metrics.horizontalAdvance(text)
            x -= width
            painter.setPen(TEXT)
            painter.drawText(QRectF(x, y, width + 2, metrics.height() + 2), Qt.AlignmentFlag.AlignLeft, text)
            x -= box + 4
            painter.fillRect(QRectF(x, y + (metrics.height() - box) / 2 + 1, box, box), colour)
            x -= 12


class StackedBarChart(Chart):
    """Columns of stacked segments — cases per month, one segment per level (legend on the title line)."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self._columns: list[tuple[str, tuple[Bar, ...]]] = []
        self._legend_entries: list[tuple[str, QColor]] = []

    def set_data(self, columns: Sequence[tuple[str, Sequence[Bar]]], legend: Sequence[tuple[str, QColor]]) -> None:
        self._columns = [(label, tuple(bars)) for label, bars in columns]
        self._legend_entries = list(legend)
        self.update()

    def columns(self) -> list[tuple[str, tuple[Bar, ...]]]:
        return list(self._columns)

    def _geometry(self) -> tuple[QRectF, float]:
        metrics = self.fontMetrics()
        # Four grid steps of a round size, so the axis reads 0, 2, 4, 6, 8 rather than 2.5, 5, 7.5.
        top = 4 * nice_top(max((sum(bar.value for bar in bars) for _, bars in self._columns), default=0) / 4)
        area = self._plot_area()
        axis_width = metrics.horizontalAdvance(_number(top)) + 6
        return area.adjusted(axis_width, 0, 0, -(metrics.height() + 4)), top

    def _layout(self) -> list[Drawn]:
        if not self._columns:
            return []
        plot, top = self._geometry()
        slot = plot.width() / len(self._columns)
        width = max(4.0, slot * 0.62)
        drawn = []
        for number, (_label, bars) in enumerate(self._columns):
            x = plot.left() + slot * number + (slot - width) / 2
            y = plot.bottom()
            for bar in bars:
                height = plot.height() * bar.value / top
                if height > 0:
                    drawn.append(Drawn(QRectF(x, y - height, width, height), bar))
                y -= height
        return drawn

    def _paint(self, painter: QPainter, metrics: QFontMetrics) -> None:
        self._legend(painter, metrics, self._legend_entries)
        plot, top = self._geometry()
        _value_axis(painter, metrics, plot, top, lambda value: _number(value))
        for drawn in self.bars():
            painter.fillRect(drawn.rect, drawn.bar.colour)
        slot = plot.width() / len(self._columns)
        painter.setPen(TEXT)
        for number, (label, bars) in enumerate(self._columns):
            x = plot.left() + slot * number
            painter.drawText(QRectF(x - 4, plot.bottom() + 2, slot + 8, metrics.height() + 2), Qt.AlignmentFlag.AlignHCenter, label)
            total = sum(bar.value for bar in bars)
            if total and slot >= metrics.horizontalAdvance(_number(total)):
                height = plot.height() * total / top
                painter.drawText(QRectF(x, plot.bottom() - height - metrics.height() - 1, slot, metrics.height()),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, _number(total))


class HorizontalBarChart(Chart):
    """One labelled horizontal bar per category (cases by dispute type), the figure at the bar's end."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self._bars: list[Bar] = []

    def set_data(self, bars: Sequence[Bar]) -> None:
        self._bars = list(bars)
        self.update()

    def _geometry(self) -> tuple[QRectF, float, float]:
        metrics = self.fontMetrics()
        label_width = max((metrics.horizontalAdvance(bar.label) for bar in self._bars), default=0) + 8
        top = max((bar.value for bar in self._bars), default=0) or 1
        value_width = metrics.horizontalAdvance(_number(top)) + 8
        plot = self._plot_area().adjusted(label_width, 0, -value_width, 0)
        return plot, top, label_width

    def _layout(self) -> list[Drawn]:
        if not self._bars:
            return []
        plot, top, _ = self._geometry()
        slot = plot.height() / len(self._bars)
        height = max(3.0, min(slot * 0.7, self.fontMetrics().height() * 1.2))
        return [
            Drawn(QRectF(plot.left(), plot.top() + slot * number + (slot - height) / 2, max(1.0, plot.width() * bar.value / top), height), bar)
            for number, bar in enumerate(self._bars) if bar.value
        ]

    def _paint(self, painter: QPainter, metrics: QFontMetrics) -> None:
        plot, _top, label_width = self._geometry()
        slot = plot.height() / len(self._bars)
        painter.setPen(TEXT)
        for number, bar in enumerate(self._bars):
            row = QRectF(plot.left() - label_width, plot.top() + slot * number, label_width - 6, slot)
            painter.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, bar.label)
        for drawn in self.bars():
            painter.fillRect(drawn.rect, drawn.bar.colour)
            painter.setPen(TEXT)
            painter.drawText(QRectF(drawn.rect.right() + 4, drawn.rect.top() - 4, 80, drawn.rect.height() + 8),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, _number(drawn.bar.value))
        painter.setPen(QPen(AXIS))
        painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))


class LineChart(Chart):
    """A percentage per category (success rate per month); a month with no base (None) breaks the line."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self._points: list[tuple[str, float | None, str]] = []

    def set_data(self, points: Sequence[tuple[str, float | None, str]]) -> None:
        """(axis label, value 0–1 or None, tooltip) per category."""
        self._points = list(points)
        self.update()

    def has_data(self) -> bool:
        return any(value is not None for _, value, _ in self._points)

    def _geometry(self) -> QRectF:
        metrics = self.fontMetrics()
        return self._plot_area().adjusted(metrics.horizontalAdvance("100%") + 6, 0, -4, -(metrics.height() + 4))

    def _layout(self) -> list[Drawn]:
        """Each point as a small square hit area (the points are the chart's 'bars')."""
        if not self._points:
            return []
        plot = self._geometry()
        slot = plot.width() / len(self._points)
        drawn = []
        for number, (label, value, tooltip) in enumerate(self._points):
            if value is None:
                continue
            centre = QPointF(plot.left() + slot * (number + 0.5), plot.bottom() - plot.height() * value)
            drawn.append(Drawn(QRectF(centre.x() - 5, centre.y() - 5, 10, 10), Bar(label, value, LINE, tooltip)))
        return drawn

    def _paint(self, painter: QPainter, metrics: QFontMetrics) -> None:
        plot = self._geometry()
        _value_axis(painter, metrics, plot, 1.0, lambda value: f"{value:.0%}")
        slot = plot.width() / len(self._points)
        path = QPainterPath()
        started = False
        for number, (_label, value, _tip) in enumerate(self._points):
            if value is None:
                started = False
                continue
            point = QPointF(plot.left() + slot * (number + 0.5), plot.bottom() - plot.height() * value)
            if started:
                path.lineTo(point)
            else:
                path.moveTo(point)
                started = True
        painter.setPen(QPen(LINE, 2))
        painter.drawPath(path)
        painter.setBrush(LINE)
        for drawn in self.bars():
            painter.drawEllipse(drawn.rect.center(), 3, 3)
        painter.setPen(TEXT)
        for number, (label, _value, _tip) in enumerate(self._points):
            x = plot.left() + slot * number
            painter.drawText(QRectF(x - 4, plot.bottom() + 2, slot + 8, metrics.height() + 2), Qt.AlignmentFlag.AlignHCenter, label)


def _value_axis(painter: QPainter, metrics: QFontMetrics, plot: QRectF, top: float, text) -> None:
    """Four grid lines with their values on the left, and the base line."""
    for step in range(5):
        value = top * step / 4
        y = plot.bottom() - plot.height() * step / 4
        painter.setPen(QPen(GRID if step else AXIS))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(style.MUTED)
        painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - 4, metrics.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text(value))
