"""The login dialog before the main window (and for switching user): login and password, Enter submits, a
refusal says only "用户名或密码错误" (or until when a login is locked) and the dialog stays open to try again."""

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from laopan.errors import DomainError


class LoginDialog(QDialog):
    """`attempt(login, password)` returns what logging in gives (a Desk) or raises DomainError with the sentence
    to show. After acceptance `result_value` holds it. No signals beyond QDialog's."""

    def __init__(self, attempt: Callable[[str, str], object], *, committee: str = "", login: str | None = None,
                 title: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._attempt = attempt
        self.result_value: object = None
        self.setWindowTitle(title or self.tr("老潘调解 · 登录"))
        heading = QLabel(committee or self.tr("老潘调解案件台账"))
        heading.setStyleSheet("font-size: 15pt; font-weight: bold")
        self.login_edit = QLineEdit(login or "")
        self.login_edit.setMaxLength(64)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("登录名"), self.login_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self._connect_signals()
        (self.password_edit if login else self.login_edit).setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.login_edit.returnPressed.connect(self._on_buttons_accepted)
        self.password_edit.returnPressed.connect(self._on_buttons_accepted)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        login = self.login_edit.text().strip()
        if not login:
            self.error_label.setText(self.tr("请输入登录名"))
            self.login_edit.setFocus()
            return
        try:
            self.result_value = self._attempt(login, self.password_edit.text())
        except DomainError as error:
            self.error_label.setText(str(error))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.password_edit.clear()
        self.accept()
