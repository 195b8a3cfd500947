"""The status bar's "正在等待另一台电脑保存…" (issue 10 item 1).

Another desk saving holds SQLite's write lock for as long as its save lasts (a long import: many seconds). A save
of this window then waits on the worker thread; the form that asked for it stays disabled, and this indicator
says why and that it is still trying. Either the other save ends and this one is saved, or the wait passes the
busy timeout and the form shows "另一台电脑正在保存，请稍后重试" with everything typed still in it.
"""

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from ui.common.worker import TaskRunner


class LockWaitIndicator(QWidget):
    """A label and a busy bar, shown only while a write of `runner` waits for another desk."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self.tr("正在等待另一台电脑保存…"))
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: how long the other save lasts is not known
        self.bar.setMaximumWidth(120)
        self.bar.setTextVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.setToolTip(self.tr("另一台电脑正在保存数据库；它保存完毕后，这里的修改会自动保存"))
        self.hide()
        runner.lock_wait.connect(self._on_runner_lock_wait)

    @Slot(bool)
    def _on_runner_lock_wait(self, waiting: bool) -> None:
        self.setVisible(waiting)
