"""Opening the window: parse the common options, register the font, open (or first set up) the desk, show it.

Logs two lines to stderr that scripts and tests wait for:
    laopan: window shown ms=…           (process start → window shown)
    laopan: ready cases=… ms=…          (process start → first page of the case list on screen)
"""

import logging
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

import ui
from laopan import paths
from laopan.desk import Desk, NotInitialised, open_database, open_desk, set_up_desk
from ui.shell.recovery_key import show_recovery_key
from laopan.errors import DomainError
from laopan.settings import load_desk, save_desk
from ui.common.fonts import install_app_font
from ui.common.translations import install_qt_translations

if TYPE_CHECKING:
    from ui.shell.first_start import FirstStartAnswers

log = logging.getLogger("laopan.ui")

def elapsed_ms() -> int:
    return round((time.perf_counter() - ui.STARTED) * 1000)


def log_line(text: str) -> None:
    print(f"laopan: {text}", file=sys.stderr, flush=True)


def make_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "laopan", *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("laopan")
    install_app_font(app)  # before any window (DESIGN §8: Chinese on machines without CJK fonts)
    install_qt_translations(app)  # Qt's own buttons and menus in Chinese
    return app


def ask_first_start(committee: str | None) -> "FirstStartAnswers | None":
    from ui.shell.first_start import FirstStartDialog, data_location

    dialog = FirstStartDialog(committee=committee, location=data_location())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.answers()


def open_or_initialise(args, *, ask: Callable[[str | None], object] = ask_first_start) -> Desk | None:
    """The desk named by the options; on an empty database ask `ask` for the names and set it up first.

    Returns None when the user declines the first-start dialog.
    """
    engine = None
    try:
        engine = open_database(args.database)
        desk = open_desk(engine=engine, login=args.as_login, committee=args.committee)
        show_recovery_key(desk.recovery_code)  # a plain desk encrypted at this login
        return desk
    except NotInitialised:
        if engine is not None:
            engine.dispose()
        answers = ask(args.committee)
        if answers is None:
            return None
        # Only the answered first-start dialog creates the database (issue 10: opening never creates by accident).
        engine = open_database(args.database, create=True)
        info = set_up_desk(engine, committee=answers.committee, admin_name=answers.admin_name)
        desk = open_desk(engine=engine, login=info.admin_login, committee=info.name)
        show_recovery_key(desk.recovery_code)
        return desk


class _Readiness(QObject):
    """Prints the ready line once the window is shown and its first page is loaded. No signals."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        window.first_page_loaded.connect(self._on_window_first_page_loaded)

    @Slot(int)
    def _on_window_first_page_loaded(self, count: int) -> None:
        log_line(f"ready cases={count} ms={elapsed_ms()}")


def _install_excepthook(window) -> None:
    """An exception escaping a slot is logged with its traceback and shown once in a dialog, never swallowed."""
    shown = []

    def hook(kind, value, trace) -> None:
        from ui.common.incident import record_unexpected, unexpected_text

        reference = record_unexpected(value.with_traceback(trace) if value is not None else kind(), "未处理的异常")
        if shown:
            return
        box = QMessageBox(QMessageBox.Icon.Critical, window.tr("出错了"), unexpected_text(reference), parent=window)
        shown.append(box)
        box.open()

    sys.excepthook = hook


def run(argv: list[str]) -> int:
    from laopan.cli.main import build_parser

    args = build_parser().parse_args(argv)
    paths.configure(args.data_dir)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = make_application(argv)
    title = QCoreApplication.translate("app", "老潘调解")
    try:
        desk = open_or_initialise(args)
    except DomainError as error:
        print(f"错误：{error}", file=sys.stderr, flush=True)
        QMessageBox.critical(None, title, str(error))
        return 1
    except Exception as error:  # noqa: BLE001 - e.g. the database server is unreachable: say so, then stop
        log.exception("无法打开数据库")
        QMessageBox.critical(None, title, QCoreApplication.translate("app", "无法打开数据库：%1").replace("%1", str(error)))
        return 1
    if desk is None:
        return 1

    from ui.shell.main_window import MainWindow

    window = MainWindow(desk)
    settings = load_desk()
    window.restore_layout(settings.window_geometry, settings.window_state)
    window.show_page_key(settings.start_pages.get(desk.actor.login))
    _Readiness(window)
    _install_excepthook(window)
    if not settings.window_geometry and window.fills_small_screen:
        window.showMaximized()
    else:
        window.show()
    log_line(f"window shown ms={elapsed_ms()} db={desk.label}")

    def save_layout() -> None:
        geometry, state = window.layout_state()
        try:
            current = load_desk()
            pages = {**current.start_pages, desk.actor.login: window.current_page_key()}
            save_desk(current.model_copy(update={"window_geometry": geometry, "window_state": state, "start_pages": pages}))
        except OSError as error:
            log.warning("无法保存窗口布局：%s", error)

    app.aboutToQuit.connect(save_layout)
    code = app.exec()
    window.runner.stop()
    desk.engine.dispose()
    return code
