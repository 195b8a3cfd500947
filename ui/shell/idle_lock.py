"""Idle lock and switching user (issue 11): after the committee's `idle_lock_minutes` without keyboard or mouse
input the window covers its content and asks for the password again; 切换用户… (Ctrl+L) locks at once. The same
user's password unlocks; another user's login and password open the window as that user (`switch_requested`).

The idle timer is a QTimer restarted by an application-wide event filter on input events, so any input in any of
the desk's windows and dialogs counts as activity.
"""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QFormLayout, QFrame, QLabel, QLineEdit, QMainWindow, QPushButton, QVBoxLayout, QWidget,
)

from laopan.errors import DomainError

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


class LockOverlay(QFrame):
    """Covers the whole window while locked: login (the current user's), password, 解锁. No signals of its own;
    the IdleLock reads its fields."""

    def __init__(self, parent: QWidget, *, login: str, display_name: str):
        super().__init__(parent)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockOverlay { background: #eef1f5; }")
        title = QLabel(self.tr("已锁定"))
        title.setStyleSheet("font-size: 18pt; font-weight: bold")
        hint = QLabel(self.tr("%1 长时间未操作或已锁定。请输入密码继续；换一个登录名即切换用户。").replace("%1", display_name or login))
        hint.setWordWrap(True)
        self.login_edit = QLineEdit(login)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        self.unlock_button = QPushButton(self.tr("解锁"))
        self.unlock_button.setDefault(True)
        form = QFormLayout()
        form.addRow(self.tr("登录名"), self.login_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        box = QFrame()
        box.setFixedWidth(420)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(hint)
        inner.addLayout(form)
        inner.addWidget(self.error_label)
        inner.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class IdleLock(QObject):
    """Locks `window` after `minutes` idle or on request; `attempt(login, password)` logs in (raising DomainError
    with the sentence to show).

    Signals:
        locked_changed(bool): the window was locked (True) or unlocked by its own user (False).
        switch_requested(object): another user logged in at the lock; the argument is their desk.
    """

    locked_changed = Signal(bool)
    switch_requested = Signal(object)

    def __init__(self, window: QMainWindow, *, login: str, display_name: str, minutes: float,
                 attempt: Callable[[str, str], object]):
        super().__init__(window)
        self._window = window
        self._login = login
        self._display_name = display_name
        self._attempt = attempt
        self.overlay: LockOverlay | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, round(minutes * 60_000)))
        self.switch_action = QAction(self.tr("切换用户…"), window)
        self.switch_action.setShortcut(QKeySequence("Ctrl+L"))
        self.switch_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(self.switch_action)
        self._connect_signals()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def _connect_signals(self) -> None:
        self.timer.timeout.connect(self._on_timer_timeout)
        self.switch_action.triggered.connect(self._on_switch_action_triggered)

    @property
    def locked(self) -> bool:
        return self.overlay is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in INPUT_EVENTS and not self.locked:
            self.timer.start()
        elif event.type() == QEvent.Type.Resize and watched is self._window and self.overlay is not None:
            self.overlay.setGeometry(self._window.rect())
        return False

    def lock(self) -> None:
        if self.overlay is not None:
            return
        self.timer.stop()
        overlay = LockOverlay(self._window, login=self._login, display_name=self._display_name)
        overlay.setGeometry(self._window.rect())
        overlay.unlock_button.clicked.connect(self._on_overlay_unlock_button_clicked)
        overlay.password_edit.returnPressed.connect(self._on_overlay_unlock_button_clicked)
        overlay.login_edit.returnPressed.connect(self._on_overlay_unlock_button_clicked)
        self.overlay = overlay
        overlay.show()
        overlay.raise_()
        overlay.password_edit.setFocus()
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        if self.overlay is None:
            return
        self.overlay.deleteLater()
        self.overlay = None
        self.timer.start()
        self.locked_changed.emit(False)

    def detach(self) -> None:
        """Stop watching input (the window is closing or being replaced)."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.lock()

    @Slot()
    def _on_switch_action_triggered(self) -> None:
        self.lock()

    @Slot()
    def _on_overlay_unlock_button_clicked(self) -> None:
        overlay = self.overlay
        if overlay is None:
            return
        login = overlay.login_edit.text().strip()
        try:
            desk = self._attempt(login, overlay.password_edit.text())
        except DomainError as error:
            overlay.error_label.setText(str(error))
            overlay.password_edit.clear()
            overlay.password_edit.setFocus()
            return
        overlay.password_edit.clear()
        if desk.actor.login == self._login:
            self.unlock()
        else:
            self.switch_requested.emit(desk)
