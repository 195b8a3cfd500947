"""Opening the window: parse the common options, register the font, open (or first set up) the desk, show it.

The desk's modules (SQLAlchemy, the models, the window's pages: ~1.3 s here) are imported only once they are
needed: an encrypted desk's login dialog shows without them, and they load in the background while it waits.

Logs two lines to stderr that scripts and tests wait for:
    laopan: window shown ms=…           (process start → window shown)
    laopan: ready cases=… ms=…          (process start → first page of the case list on screen)
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

import ui
from laopan import paths
from laopan.errors import DomainError
from laopan.settings import database_url, load_desk, save_desk
from ui.common import collector
from ui.common.fonts import install_app_font
from ui.common.translations import install_qt_translations
from ui.shell.recovery_key import show_recovery_key

if TYPE_CHECKING:
    from laopan.desk import Desk
    from ui.shell.first_start import FirstStartAnswers

log = logging.getLogger("laopan.ui")

def elapsed_ms() -> int:
    return round((time.perf_counter() - ui.STARTED) * 1000)


def _desk_module():
    import laopan.desk

    return laopan.desk


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


def _key_file_beside(url: str) -> bool:
    """Told without SQLAlchemy: a plain `sqlite:///path` URL whose key file is beside it is an encrypted desk
    (any other URL — a server, options — is left to `laopan.desk.is_encrypted_desk`)."""
    from laopan.security.keyfile import exists

    prefix = "sqlite:///"
    database = url[len(prefix):]
    return url.startswith(prefix) and "?" not in url and database not in ("", ":memory:") and exists(database)


def _warm_up() -> threading.Thread:
    """Import the desk's and the main window's modules (~1.3 s here) in the background, so the login dialog shows
    without waiting for them and the window opens sooner after 登录. Not a daemon: quitting at the dialog waits
    for the import to end rather than tearing the interpreter down under it."""
    thread = threading.Thread(target=importlib.import_module, args=("ui.shell.main_window",), name="laopan-warm-up")
    thread.start()
    return thread


def ask_login(attempt: Callable[[str, str], Desk], committee: str, login: str | None) -> Desk | None:
    from ui.shell.login import LoginDialog

    dialog = LoginDialog(attempt, committee=committee, login=login)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.result_value  # type: ignore[return-value]


def open_or_initialise(args, *, ask: Callable[[str | None], object] = ask_first_start,
                       login: Callable[..., Desk | None] = ask_login,
                       recovery: Callable[[str | None], None] = show_recovery_key) -> Desk | None:
    """The desk named by the options, once logged in; on an empty database ask `ask` for the names and the
    administrator's password and set it up first (an SQLite desk is created encrypted).

    A password given as the CLI takes it (LAOPAN_PASSWORD, --password-file; for scripts) is tried first; otherwise,
    or when it is refused, `login(attempt, committee, login)` asks. Every attempt opens the database afresh with
    the login's password: an encrypted desk is unlocked with it, a plain one encrypted at the first login. A
    recovery key issued by that (or by the first start) is shown once with `recovery`. Returns None when the
    user declines.
    """
    from laopan.cli.common import cli_login, cli_password

    settings = load_desk()
    url = args.database or database_url(settings)
    if not _key_file_beside(url) and not (desks := _desk_module()).is_encrypted_desk(url):
        try:  # is there a desk to log in to? (an encrypted one is: nothing in it can be read before the login)
            desks.open_database(url).dispose()
        except desks.NotInitialised:
            answers = ask(args.committee)
            if answers is None:
                return None
            # Only the answered first-start dialog creates the database (issue 10: opening never creates by accident).
            desk = desks.create_desk(url, committee=answers.committee, admin_name=answers.admin_name, admin_password=answers.admin_password)
            recovery(desk.recovery_code)
            return desk

    def attempt(user: str, typed: str) -> Desk:
        return _desk_module().open_desk(url=url, login=user, password=typed, committee=args.committee)

    wanted = cli_login(args) or settings.current_user
    password = cli_password(args)
    desk = None
    if wanted and password is not None:
        try:
            desk = attempt(wanted, password)
        except DomainError:
            pass
    if desk is None:
        desk = login(attempt, settings.committee or "", wanted)
    if desk is not None:
        recovery(desk.recovery_code)  # a plain desk encrypted at this login
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
    from laopan.cli.main import window_parser

    args = window_parser().parse_args(argv)
    paths.configure(args.data_dir)
    paths.keep_private()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = make_application(argv)
    collector.hold()  # for the process: the warm-up and database threads never free a widget (ui.common.collector)
    _warm_up()  # while the login dialog waits for typing, or the password's key derivations run (GIL released)
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

    window = show_window(desk)
    log_line(f"window shown ms={elapsed_ms()} db={desk.label}")
    _Readiness(window)
    _install_excepthook(window)
    current = [window]

    def save_layout() -> None:
        shown = current[0]
        geometry, state = shown.layout_state()
        try:
            settings = load_desk()
            pages = {**settings.start_pages, shown.desk.actor.login: shown.current_page_key()}
            save_desk(settings.model_copy(update={"window_geometry": geometry, "window_state": state, "start_pages": pages}))
        except OSError as error:
            log.warning("无法保存窗口布局：%s", error)

    def switch(new_desk: Desk) -> None:
        old = current[0]
        save_layout()
        old.idle_lock.detach()
        current[0] = show_window(new_desk, on_switch=switch)
        old.close()
        old.deleteLater()

    window.idle_lock.switch_requested.connect(switch)
    app.aboutToQuit.connect(save_layout)
    code = app.exec()
    current[0].runner.stop()
    desk.engine.dispose()
    return code


def idle_minutes(desk: Desk) -> float:
    from laopan.services.committee import committee_settings

    with desk.reading() as session:
        return committee_settings(session, desk.committee_id).idle_lock_minutes


def show_window(desk: Desk, *, on_switch: Callable[[Desk], None] | None = None):
    """The main window of `desk`, shown, with its idle lock (`window.idle_lock`) attached."""
    from ui.shell.idle_lock import IdleLock
    from ui.shell.main_window import MainWindow

    window = MainWindow(desk)
    settings = load_desk()
    window.restore_layout(settings.window_geometry, settings.window_state)
    window.show_page_key(settings.start_pages.get(desk.actor.login))

    def attempt(login: str, password: str) -> Desk:
        return _desk_module().open_desk(engine=desk.engine, login=login, password=password, committee=desk.committee_name)

    window.idle_lock = IdleLock(window, login=desk.actor.login, display_name=desk.actor.display_name,
                                minutes=idle_minutes(desk), attempt=attempt)
    if on_switch is not None:
        window.idle_lock.switch_requested.connect(on_switch)
    if not settings.window_geometry and window.fills_small_screen:
        window.showMaximized()
    else:
        window.show()
    return window
