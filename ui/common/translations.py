"""Qt's own strings in Chinese: OK/Cancel, Show Details…, the Undo/Cut/Paste menu, the print dialog.

PySide6-Essentials ships `qtbase_zh_CN.qm` in Qt's translations folder (`qt_zh_CN.qm` there is only a pointer
to it); nothing is downloaded. Without it a mediator meets English in every message box (PITFALLS).
"""

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

CATALOGUES = ("qtbase",)


def install_qt_translations(app: QApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Load Qt's zh_CN catalogues into `app`; returns the installed translators (kept alive by the app)."""
    locale = locale or QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(locale)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for catalogue in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(locale, catalogue, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("Qt 中文翻译 %s 未找到（%s），标准按钮将显示英文", catalogue, folder)
    return installed
