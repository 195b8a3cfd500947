"""The window speaks Chinese and draws every character of a name (issue 13, items 4–5)."""

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox

# U+F0000 is in Supplementary Private Use Area-A: no bundled or system font draws it, so it shows Qt's tofu.
TOFU = "\U000F0000"


def _grab(qtbot, text: str, widget_type=QLabel) -> QImage:
    widget = widget_type(text)
    qtbot.addWidget(widget)
    widget.resize(80, 40)
    return widget.grab().toImage()


def _inked(image: QImage) -> int:
    background = image.pixel(0, 0)
    return sum(image.pixel(x, y) != background for x in range(image.width()) for y in range(image.height()))


@pytest.mark.parametrize("character", ["𠮷", "䶮", "𡒄"])
@pytest.mark.parametrize("widget_type", [QLabel, QLineEdit])
def test_rare_name_characters_render_as_glyphs_not_tofu(qtbot, character, widget_type):
    drawn = _grab(qtbot, character, widget_type)
    tofu = _grab(qtbot, TOFU, widget_type)
    assert _inked(drawn) > 10, "the character drew nothing"
    assert drawn != tofu, f"{character} is drawn as the missing-glyph box"


def test_common_characters_still_use_the_main_face(qtbot):
    # The fallback sits behind the main face: 张 must not come from the Mincho subset (different shapes).
    from PySide6.QtGui import QFontInfo
    from ui.common.fonts import register_main_font

    label = QLabel("张伟")
    qtbot.addWidget(label)
    assert QFontInfo(label.font()).family() == register_main_font()


def test_standard_message_box_buttons_are_chinese(qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "确认", "要保存吗？",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel
                      | QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    texts = {box.button(b).text().replace("&", "") for b in (QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Cancel,
                                                             QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No)}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in texts), texts
    assert not {"OK", "Cancel", "Yes", "No"} & texts


def test_line_edit_context_menu_is_chinese(qtbot):
    edit = QLineEdit("王某")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    titles = [action.text().split("\t")[0].replace("&", "") for action in menu.actions() if action.text()]
    assert titles and not {"Undo", "Redo", "Cut", "Copy", "Paste", "Delete", "Select All"} & set(titles), titles
    menu.deleteLater()
