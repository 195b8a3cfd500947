"""用户管理 (issue 11): the administrator adds users, sets a forgotten password and disables a user who left,
without the command line. Each change goes through laopan.services.accounts, as `laopan user` does: on an
encrypted desk the user's copy of the database key is written (or removed) with it, and every change is audited."""

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import DomainError
from laopan.labels import choices
from laopan.models.enums import Role
from laopan.security.passwords import check_new_password
from laopan.services.accounts import add_account, disable_account, reset_password
from laopan.services.users import list_users
from laopan.views.committee import UserView
from ui.common.incident import report_unexpected

COLUMNS = ("登录名", "姓名", "角色", "关联调解员", "状态")


def _state(user: UserView) -> str:
    states = [text for flag, text in ((not user.active, "已停用"), (not user.has_password, "未设密码"),
                                      (user.locked_until is not None, "密码输错已锁定")) if flag]
    return "、".join(states) or "正常"


class PasswordDialog(QDialog):
    """A new password typed twice; with `new_user`, the login, name, role and linked mediator too.

    Signals:
        submitted(): the fields pass the form's own checks; the dialog stays open until the service has answered,
            so a refusal is shown in it and nothing typed is lost.
    """

    submitted = Signal()

    def __init__(self, title: str, *, new_user: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(360)
        form = QFormLayout(self)
        self.login_edit = QLineEdit()
        self.name_edit = QLineEdit()
        self.role_combo = QComboBox()
        for text, code in choices(Role):
            self.role_combo.addItem(text, code)
        self.mediator_edit = QLineEdit(placeholderText=self.tr("名册中的姓名，可不填"))
        if new_user:
            form.addRow(self.tr("登录名"), self.login_edit)
            form.addRow(self.tr("姓名"), self.name_edit)
            form.addRow(self.tr("角色"), self.role_combo)
            form.addRow(self.tr("关联调解员"), self.mediator_edit)
        self.password_edit = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.again_edit = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        form.addRow(self.tr("密码"), self.password_edit)
        form.addRow(self.tr("再输一次"), self.again_edit)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self._new_user = new_user

    @Slot()
    def _on_buttons_accepted(self) -> None:
        """Refused here, field by field, before anything is sent; the service checks again."""
        try:
            if self._new_user and not self.login_edit.text().strip():
                raise DomainError("登录名不能为空")
            check_new_password(self.password_edit.text())
            if self.password_edit.text() != self.again_edit.text():
                raise DomainError("两次输入的密码不一致")
        except DomainError as error:
            self.error_label.setText(str(error))
            return
        self.error_label.clear()
        self.submitted.emit()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)


class UsersPage(QWidget):
    """The committee's users in a table, with 添加用户… / 重设密码… / 停用 for the selected one."""

    loaded = Signal(int)
    changed = Signal(str)  # what was done, as shown in the status line

    def __init__(self, runner, desk, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._desk = desk
        self._users: list[UserView] = []
        tr = self.tr
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton(tr("添加用户…"))
        self.password_button = QPushButton(tr("重设密码…"))
        self.disable_button = QPushButton(tr("停用"))
        self.status_label = QLabel()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.password_button, self.disable_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.status_label)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.password_button.clicked.connect(self._on_password_button_clicked)
        self.disable_button.clicked.connect(self._on_disable_button_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.dialog: PasswordDialog | None = None
        self._update_buttons()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        actor = self._desk.actor
        self._runner.read(lambda session: list_users(session, actor=actor), on_done=self._on_users_read,
                          on_error=self._on_failed, group="users")

    def selected(self) -> UserView | None:
        rows = self.table.selectionModel().selectedRows()
        return self._users[rows[0].row()] if rows else None

    def select_login(self, login: str) -> None:
        for row, user in enumerate(self._users):
            if user.login == login:
                self.table.selectRow(row)

    def _on_users_read(self, users: list[UserView]) -> None:
        self._users = users
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            for column, value in enumerate((user.login, user.display_name, user.role_label, user.mediator or "", _state(user))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self._update_buttons()
        self.loaded.emit(len(users))

    def _update_buttons(self) -> None:
        user = self.selected()
        self.password_button.setEnabled(user is not None and user.active)
        self.disable_button.setEnabled(user is not None and user.active and user.login != self._desk.actor.login)

    def _on_failed(self, error: BaseException) -> None:
        # A refusal is its own sentence; a bug is logged under a reference the user can quote, never shown raw.
        text = str(error) if isinstance(error, DomainError) else report_unexpected(error, "用户管理操作失败")
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.show_error(text)
        else:
            self.status_label.setText(text)

    def _done(self, text: str) -> None:
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        self.status_label.setText(text)
        self.changed.emit(text)
        self.reload()

    # ------------------------------------------------------------------ actions

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.dialog = PasswordDialog(self.tr("添加用户"), new_user=True, parent=self)
        self.dialog.submitted.connect(self._on_add_dialog_submitted)
        self.dialog.open()

    @Slot()
    def _on_add_dialog_submitted(self) -> None:
        dialog, desk = self.dialog, self._desk
        login, name = dialog.login_edit.text().strip(), dialog.name_edit.text().strip() or None
        role, mediator = Role(dialog.role_combo.currentData()), dialog.mediator_edit.text().strip() or None
        password = dialog.password_edit.text()
        self._runner.write(
            lambda session: add_account(session, desk, login=login, display_name=name, role=role, mediator_name=mediator, password=password),
            on_done=lambda user: self._done(self.tr("已添加用户 %1（%2）").replace("%1", user.login).replace("%2", user.role_label)),
            on_error=self._on_failed,
        )

    @Slot()
    def _on_password_button_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        self.dialog = PasswordDialog(self.tr("重设 %1 的密码").replace("%1", user.login), new_user=False, parent=self)
        self.dialog.submitted.connect(lambda login=user.login: self._on_password_dialog_submitted(login))
        self.dialog.open()

    def _on_password_dialog_submitted(self, login: str) -> None:
        password, desk = self.dialog.password_edit.text(), self._desk
        self._runner.write(lambda session: reset_password(session, desk, login=login, password=password),
                           on_done=lambda stored: self._done(self.tr("已设置用户 %1 的密码").replace("%1", stored)),
                           on_error=self._on_failed)

    @Slot()
    def _on_disable_button_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        answer = QMessageBox.question(
            self, self.tr("停用用户"),
            self.tr("停用 %1 后，该用户不能再登录，也不能再打开加密的数据库；其案件和记录保留。确定停用？").replace("%1", user.login),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.disable(user.login)

    def disable(self, login: str) -> None:
        desk = self._desk
        self._runner.write(lambda session: disable_account(session, desk, login=login),
                           on_done=lambda user: self._done(self.tr("已停用用户 %1").replace("%1", user.login)),
                           on_error=self._on_failed)
