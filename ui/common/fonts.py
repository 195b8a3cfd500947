"""The bundled fonts, registered with Qt before any window exists.

Without a CJK font on the machine Qt draws boxes (PITFALLS), so the main face (WenQuanYi Micro Hei) becomes the
application font. It lacks CJK Extension A and B (䶮, 𠮷), which real residents' names use; the same subset of
HanaMin the PDFs fall back to is registered too and put right behind the main family, so a name renders
in the list, the detail and every form exactly as it prints. Registering a font for reportlab does nothing
for Qt (PITFALLS "Qt: Chinese everywhere").
"""

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from laopan import resources

log = logging.getLogger(__name__)

UI_POINT_SIZE = 10

_families: dict[str, str | None] = {}


def _register(relative: str) -> str | None:
    """Register a bundled font file once per process; its family name, or None if Qt refused it."""
    if relative not in _families:
        font_id = QFontDatabase.addApplicationFont(str(resources.path(relative)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.error("无法加载内置字体 %s", relative)
        _families[relative] = families[0] if families else None
    return _families[relative]


def register_main_font() -> str | None:
    """The main face's family name (None if Qt refused it)."""
    return _register(resources.MAIN_FONT)


def register_fallback_font() -> str | None:
    """The Extension A/B fallback's family name (None if Qt refused it)."""
    return _register(resources.FALLBACK_FONT)


def ui_families(platform_families: list[str] | None = None) -> list[str]:
    """The family list every widget uses: main face, then the rare-character fallback, then the platform's."""
    main, fallback = register_main_font(), register_fallback_font()
    chosen = [name for name in (main, fallback) if name]
    return [*chosen, *(name for name in platform_families or [] if name not in chosen)]


def install_app_font(app: QApplication) -> str | None:
    """Make the bundled fonts the application's families, keeping the platform's font as a last fallback."""
    main = register_main_font()
    if main is None:
        return None
    font: QFont = app.font()
    font.setFamilies(ui_families(font.families()))
    font.setPointSize(UI_POINT_SIZE)
    app.setFont(font)
    fallback = register_fallback_font()
    if fallback:
        # Widgets that set their own family (monospace numbers, bold titles) still find the rare characters.
        QFont.insertSubstitution(main, fallback)
    return main
