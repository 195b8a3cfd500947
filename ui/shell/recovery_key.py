"""The recovery key of a newly encrypted desk, shown once: the user must confirm having written it down (issue 11).

The key is not kept anywhere else in clear, so the dialog cannot be dismissed (Esc, the close button) until the
box saying it was written down is ticked. It offers no copy button: a copy on the clipboard or in a file on this
machine is what the recovery key must not be.
"""

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class RecoveryKeyDialog(QDialog):
    """Shows `code`; accepted only once `written_box` is ticked. No signals beyond QDialog's."""

    def __init__(self, code: str, *, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("老潘调解 · 恢复密钥"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        intro = QLabel(self.tr(
            "数据库已加密。请抄下恢复密钥并妥善保管（纸质保存，不要存放在这台电脑上）。"
            "所有密码都遗忘时，只有它能打开数据库；它只显示这一次。"))
        intro.setWordWrap(True)
        self.code_label = QLabel(code)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.4)
        font.setWeight(QFont.Weight.DemiBold)
        self.code_label.setFont(font)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.code_label.setStyleSheet("padding: 12px; border: 1px solid palette(mid);")
        self.written_box = QCheckBox(self.tr("我已抄下恢复密钥，并存放在这台电脑以外的安全地方"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("已抄下，继续"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.code_label)
        layout.addWidget(self.written_box)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._connect_signals()
        self._on_written_box_toggled(False)

    def _connect_signals(self) -> None:
        self.written_box.toggled.connect(self._on_written_box_toggled)
        self.buttons.accepted.connect(self.accept)

    @Slot(bool)
    def _on_written_box_toggled(self, checked: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(checked)

    def reject(self) -> None:
        """Esc does not dismiss the only showing of the recovery key before it was written down."""
        if self.written_box.isChecked():
            self.accept()


def show_recovery_key(code: str | None, parent: QWidget | None = None) -> None:
    """Shows the dialog for a newly issued recovery key (nothing when `code` is None)."""
    if code:
        RecoveryKeyDialog(code, parent=parent).exec()
