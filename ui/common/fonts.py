"""The bundled CJK font, registered with Qt before any window exists (PITFALLS: no CJK font → boxes)."""

import logging

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from laopan import resources

log = logging.getLogger(__name__)

UI_POINT_SIZE = 10

_family: str | None = None


def register_main_font() -> str | None:
    """Register the bundled font once per process; returns its family name (None if Qt refused it)."""
    global _family
    if _family is not None:
        return _family
    font_id = QFontDatabase.addApplicationFont(str(resources.path(resources.MAIN_FONT)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.error("无法加载内置字体 %s", resources.MAIN_FONT)
        return None
    _family = families[0]
    return _family


def install_app_font(app: QApplication) -> str | None:
    """Make the bundled font the application's family, keeping the platform's font as a fallback."""
    family = register_main_font()
    if family is None:
        return None
    font = app.font()
    fallback = [name for name in font.families() if name != family]
    font.setFamilies([family, *fallback])
    font.setPointSize(UI_POINT_SIZE)
    app.setFont(font)
    return family
