"""The first start on an empty data dir: ask once for the committee's and the administrator's names, set up.

Runs before the main window exists (there is nothing else on screen to keep responsive), so the one-time
setup is done directly rather than on the worker.
"""

from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from laopan import paths
from laopan.models.enums import DEFAULT_COMMITTEE
from laopan.desk import set_up_desk
from laopan.views.committee import CommitteeView

ADMIN_LOGIN = "admin"


@dataclass(frozen=True)
class FirstStartAnswers:
    committee: str
    admin_name: str


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
        note = QLabel(self.tr("管理员的登录名为 admin，以后可以添加其他用户。"))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("调委会名称"), self.committee_edit)
        form.addRow(self.tr("管理员姓名"), self.admin_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("开始使用"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._connect_signals()
        self._on_name_edit_text_changed()
        self.admin_edit.setFocus()

    def _connect_signals(self) -> None:
        self.committee_edit.textChanged.connect(self._on_name_edit_text_changed)
        self.admin_edit.textChanged.connect(self._on_name_edit_text_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_name_edit_text_changed(self) -> None:
        ready = bool(self.committee_edit.text().strip() and self.admin_edit.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def answers(self) -> FirstStartAnswers:
        return FirstStartAnswers(committee=self.committee_edit.text().strip(), admin_name=self.admin_edit.text().strip())


def initialise(engine, answers: FirstStartAnswers, *, clock=None) -> CommitteeView:
    """Create the committee and its administrator, and make them this desk's committee and user."""
    return set_up_desk(engine, committee=answers.committee, admin_name=answers.admin_name, admin_login=ADMIN_LOGIN, clock=clock)


def data_location() -> str:
    return str(paths.data_dir())
