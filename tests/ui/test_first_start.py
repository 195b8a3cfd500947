"""An empty data dir: the first-start dialog asks once, sets up the committee and the desk's user."""

import argparse

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from laopan import paths
from laopan.models.enums import DEFAULT_COMMITTEE
from laopan.security import keyfile
from laopan.settings import load_desk
from ui.shell.app import open_or_initialise
from tests.helpers.accounts import TEST_PASSWORD
from ui.shell.first_start import FirstStartDialog


def options(**values) -> argparse.Namespace:
    from laopan.cli.main import window_parser

    args = window_parser().parse_args([])
    for key, value in values.items():
        setattr(args, key, value)
    return args


def test_the_first_start_dialog_creates_the_committee_and_its_administrator(qtbot, _isolated_paths):
    asked = []

    def ask(committee):
        dialog = FirstStartDialog(committee=committee, location=str(paths.data_dir()))
        qtbot.addWidget(dialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert dialog.committee_edit.text() == DEFAULT_COMMITTEE
        assert not ok.isEnabled(), "the administrator's name is required"
        dialog.admin_edit.setText("潘明杰")
        assert not ok.isEnabled(), "the administrator's password is required (there is no default)"
        dialog.password_edit.setText(TEST_PASSWORD)
        dialog.password_again_edit.setText(TEST_PASSWORD[:-1])
        assert not ok.isEnabled() and dialog.problem_label.text() == "两次输入的密码不一致"
        dialog.password_again_edit.setText(TEST_PASSWORD)
        assert ok.isEnabled()
        ok.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
        asked.append(committee)
        return dialog.answers()

    shown = []
    desk = open_or_initialise(options(), ask=ask, recovery=shown.append)
    assert asked == [None]
    # the new desk is encrypted, and its recovery key is shown once (the dialog: tests/ui/test_recovery_key.py)
    assert desk.database_key and len(shown) == 1 and keyfile.unlock_with_recovery(paths.database_file(), shown[0]) == desk.database_key
    assert desk.committee_name == DEFAULT_COMMITTEE
    assert (desk.actor.login, desk.actor.display_name, desk.actor.role) == ("admin", "潘明杰", "admin")
    settings = load_desk()
    assert (settings.current_user, settings.committee) == ("admin", DEFAULT_COMMITTEE)
    desk.engine.dispose()

    def must_not_ask(_committee):
        raise AssertionError("asked twice")

    again = open_or_initialise(options(), ask=must_not_ask, recovery=shown.append)
    assert shown[1:] == [None]
    assert again.committee_name == DEFAULT_COMMITTEE and again.actor.display_name == "潘明杰"
    again.engine.dispose()


def test_a_committee_named_on_the_command_line_is_offered_and_cancel_leaves_nothing(qtbot):
    def cancel(committee):
        dialog = FirstStartDialog(committee=committee)
        qtbot.addWidget(dialog)
        assert dialog.committee_edit.text() == "西湖街道人民调解委员会"
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
        assert dialog.result() == QDialog.DialogCode.Rejected
        return None

    assert open_or_initialise(options(committee="西湖街道人民调解委员会"), ask=cancel) is None
    assert load_desk().current_user is None


@pytest.mark.parametrize("name", ["   "])
def test_blank_names_cannot_be_submitted(qtbot, name):
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    dialog.admin_edit.setText("潘明杰")
    dialog.password_edit.setText(TEST_PASSWORD)
    dialog.password_again_edit.setText(TEST_PASSWORD)
    dialog.committee_edit.setText(name)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
