"""The first start on an empty data dir: ask once for the committee's and the administrator's names and the
administrator's password (twice; there is no default), set up.

Runs before the main window exists (there is nothing else on screen to keep responsive), so the one-time
setup (`laopan.desk.set_up_desk`, the same as `laopan init`) is done directly rather than on the worker.
"""

from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from laopan import paths
from laopan.models.enums import DEFAULT_COMMITTEE


@dataclass(frozen=True)
class FirstStartAnswers:
    committee: str
    admin_name: str
    admin_password: str


class FirstStartDialog(QDialog):
    """Asks for the committee's name and the administrator's name. No signals beyond QDialog's."""

    def __init__(self, *, committee: str | None = None, location: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("老潘调解 · 首次使用"))
        intro = QLabel(
            self.tr("欢迎使用老潘调解案件台账。首次使用请填写调委会名称和管理员姓名。")
            + (self.tr("\n数据保存在：%1").replace("%1", location) if location else "")
        )
        intro.setWordWrap(True)
        self.committee_edit = QLineEdit(committee or DEFAULT_COMMITTEE)
        self.committee_edit.setMaxLength(100)
        self.admin_edit = QLineEdit()
        self.admin_edit.setPlaceholderText(self.tr("如：潘明杰"))
        self.admin_edit.setMaxLength(64)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("至少 8 个字符"))
        self.password_again_edit = QLineEdit()
        self.password_again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color: #b00020")
        self.problem_label.setWordWrap(True)
        note = QLabel(self.tr("管理员的登录名为 admin，以后可以添加其他用户。请记住这个密码：没有默认密码，也无法找回。"))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("调委会名称"), self.committee_edit)
        form.addRow(self.tr("管理员姓名"), self.admin_edit)
        form.addRow(self.tr("管理员密码"), self.password_edit)
        form.addRow(self.tr("再输一遍密码"), self.password_again_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("开始使用"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._connect_signals()
        self._on_name_edit_text_changed()
        self.admin_edit.setFocus()

    def _connect_signals(self) -> None:
        self.committee_edit.textChanged.connect(self._on_name_edit_text_changed)
        self.admin_edit.textChanged.connect(self._on_name_edit_text_changed)
        self.password_edit.textChanged.connect(self._on_name_edit_text_changed)
        self.password_again_edit.textChanged.connect(self._on_name_edit_text_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_name_edit_text_changed(self) -> None:
        problem = self.password_problem()
        self.problem_label.setText(problem if self.password_again_edit.text() else "")
        ready = bool(self.committee_edit.text().strip() and self.admin_edit.text().strip()) and not problem
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def password_problem(self) -> str:
        """What is wrong with the two password entries ("" when nothing)."""
        from laopan.errors import ValidationError
        from laopan.security.passwords import check_new_password

        password = self.password_edit.text()
        try:
            check_new_password(password)
        except ValidationError as error:
            return error.message
        if password != self.password_again_edit.text():
            return self.tr("两次输入的密码不一致")
        return ""

    def answers(self) -> FirstStartAnswers:
        return FirstStartAnswers(committee=self.committee_edit.text().strip(), admin_name=self.admin_edit.text().strip(),
                                 admin_password=self.password_edit.text())


def data_location() -> str:
    return str(paths.data_dir())
