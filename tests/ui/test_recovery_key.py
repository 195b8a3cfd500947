"""The recovery key of a newly encrypted desk is shown once and cannot be waved away unread (issue 11)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from ui.shell.recovery_key import RecoveryKeyDialog

CODE = "7K2M-Q9XD-4HFA-0PZR-M3C8-VW1N-E6TB-JY5S"


def test_the_recovery_key_is_shown_and_cannot_be_dismissed_before_it_is_written_down(qtbot):
    dialog = RecoveryKeyDialog(CODE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.code_label.text() == CODE
    assert "请抄下恢复密钥并妥善保管" in dialog.findChild(type(dialog.code_label)).text()
    assert not ok.isEnabled()

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted

    dialog.written_box.setChecked(True)
    assert ok.isEnabled()
    ok.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
