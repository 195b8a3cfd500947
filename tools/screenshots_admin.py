"""Screenshots of the administrator's pages (kept out of tools/screenshots.py, which is long enough)."""

from pathlib import Path


def shoot_users(window, out_dir: Path) -> Path:
    """用户管理 at 1366×768, with the 添加用户 dialog (being filled in) drawn over the list."""
    from tools.screenshots import SIZES, settle, wait_until

    page = window.users_page
    window.resize(*SIZES[0])
    window.show_page(page)
    wait_until(lambda: page.table.rowCount() > 0 and not window.runner.busy)
    page.add_button.click()
    dialog = page.dialog
    dialog.login_edit.setText("xiaopan")
    dialog.name_edit.setText("潘小")
    settle()
    shot = window.grab()
    from PySide6.QtGui import QPainter

    painter = QPainter(shot)
    painter.drawPixmap(shot.width() - dialog.width() - 40, 80, dialog.grab())
    painter.end()
    dialog.reject()
    path = out_dir / "users.png"
    shot.save(str(path))
    return path
