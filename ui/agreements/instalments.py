"""The instalment rows under a payment clause: 第n期, a date and an amount each, added and removed; kept numbered."""

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QToolButton, QVBoxLayout, QWidget

from laopan.inputs import Instalment


class InstalmentRows(QWidget):
    """Signals: changed(): a row was added, removed or edited."""

    changed = Signal()

    def __init__(self, today: dt.date, date_edit, clean_amount, parent: QWidget | None = None):
        super().__init__(parent)
        self._today, self._date_edit, self._clean = today, date_edit, clean_amount
        self.rows: list[tuple[QWidget, QLineEdit, QToolButton]] = []
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(2)
        self.add_button = QPushButton(self.tr("+ 分期"))
        self.add_button.setToolTip(self.tr("分期支付：每期一行，写明期限和金额"))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.grid)
        column.addWidget(self.add_button)
        column.setStretch(1, 0)
        self.add_button.clicked.connect(self._on_add_button_clicked)

    def values(self) -> tuple[Instalment, ...]:
        return tuple(Instalment(date.value(), self._clean(amount.text())) for date, amount, _ in self.rows)

    def set_values(self, items) -> None:
        while self.grid.count():  # rebuilt so the rows stay numbered 第1期, 第2期…
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.rows = []
        for item in items:
            date, amount, _ = self.add()
            date.set_value(item.deadline)
            amount.setText(item.amount)

    def add(self) -> tuple[QWidget, QLineEdit, QToolButton]:
        """One more row (第n期, 期限, 金额, 删除)."""
        date, amount, remove = self._date_edit(self._today), QLineEdit(), QToolButton()
        amount.setPlaceholderText(self.tr("如 3000.00"))
        amount.setMaxLength(20)
        remove.setText(self.tr("删除"))
        remove.setAutoRaise(True)
        row = len(self.rows)
        self.grid.addWidget(QLabel(self.tr("第%1期").replace("%1", str(row + 1))), row, 0)
        for column, widget in enumerate((date, amount, remove), 1):
            self.grid.addWidget(widget, row, column)
        self.rows.append((date, amount, remove))
        date.dateChanged.connect(lambda _day: self.changed.emit())
        amount.textChanged.connect(lambda _text: self.changed.emit())
        remove.clicked.connect(lambda: self._on_remove_clicked(remove))
        return date, amount, remove

    def set_read_only(self, read_only: bool) -> None:
        for date, amount, remove in self.rows:
            date.setReadOnly(read_only)
            amount.setReadOnly(read_only)
            remove.setVisible(not read_only)
        self.add_button.setVisible(not read_only)

    def _on_add_button_clicked(self) -> None:
        if not self.rows:  # a plan has two payments at least
            self.add()
        self.add()[0].setFocus()
        self.changed.emit()

    def _on_remove_clicked(self, button: QToolButton) -> None:
        self.set_values([item for item, (_, _, remove) in zip(self.values(), self.rows) if remove is not button])
        self.changed.emit()
