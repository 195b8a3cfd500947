"""The window's side of backups: the 备份 page for administrators and supervisors, the daily backup when the
window opens, the backup on exit (both on the worker, SQLite only, per the desk settings), and the restore the
page asks for (the worker stopped and the database let go first, then the window closes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from laopan.settings import load_desk

if TYPE_CHECKING:
    from ui.backup.page import BackupPage


def build_backup_page(window) -> BackupPage:
    """The 备份 page of `window` (built when first shown, for a user who may back up)."""
    from ui.backup.page import BackupPage

    page = BackupPage(window.runner, window.desk.actor, keep=load_desk().backup_keep)
    page.restore_confirmed.connect(lambda path: restore_and_close(window, path))
    return page


def start_daily_backup(window) -> None:
    settings = load_desk()
    if settings.backup_daily:
        actor, keep = window.desk.actor, settings.backup_keep
        from laopan.services.backups import automatic_backup

        window.runner.read(lambda session: automatic_backup(session, actor=actor, kind="daily", keep=keep),
                           on_error=lambda _exc: None, group="auto-backup")


def queue_exit_backup(window) -> None:
    """Queued as a write so that stopping the worker waits for it (it changes no row)."""
    settings = load_desk()
    if settings.backup_daily and not getattr(window, "_restored", False):
        actor, keep = window.desk.actor, settings.backup_keep
        from laopan.services.backups import automatic_backup

        window.runner.write(lambda session: automatic_backup(session, actor=actor, kind="exit", keep=keep),
                            on_error=lambda _exc: None, group="auto-backup")


def restore_and_close(window, path: str) -> None:
    from laopan.services.backups import restore_backup

    window.runner.stop()
    try:
        result = restore_backup(path, engine=window.desk.engine, actor=window.desk.actor)
    except Exception as exc:  # noqa: BLE001 - shown to the user; the window must be reopened either way
        QMessageBox.warning(window, "恢复失败", f"{exc}\n\n请关闭并重新打开本程序。")
        window._restored = True
        window.close()
        return
    kept = f"\n原数据库已另存为：{result.kept}" if result.kept else ""
    QMessageBox.information(window, "已恢复", f"已恢复：{result.verified}{kept}\n\n请重新打开本程序。")
    window._restored = True
    window.close()
