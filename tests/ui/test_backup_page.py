"""The 备份 page: an administrator backs up with one click and sees the copy listed with its cases; the window
made its daily backup when it opened and makes one on exit; a mediator has no 备份 page."""

from contextlib import closing

from laopan import paths
from laopan.models.enums import Role
from laopan.storage import backup as store
from tests.helpers.databases import sqlite_connection
from tests.helpers.scenarios import user
from tests.helpers.windows import open_window, register, show


def test_admin_backs_up_and_sees_it_listed_with_its_cases(desk, qtbot, clock):
    register(desk)
    window = open_window(desk, qtbot)
    page = window.backup_page
    show(window, page, qtbot)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1 and not window.runner.busy)
    assert page.table.item(0, 1).text() == "每日"  # made when the window opened

    clock.advance(minutes=30)
    page.backup_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 2 and page.backup_button.isEnabled(), timeout=10_000)
    assert page.status.text().startswith("已备份：") and "1 件案件" in page.status.text()
    assert [page.table.item(0, c).text() for c in (0, 1, 3)] == ["2026年11月27日 09:30:00", "手动", "1"]

    clock.advance(minutes=30)
    window.close()
    kinds = [store.kind_of(p) for p in store.list_backups(paths.backups_dir())]
    assert kinds == ["exit", "manual", "daily"]


def test_a_mediator_has_no_backup_page(desk, qtbot):
    mediator = user(desk, "wang", Role.MEDIATOR, "王芳")
    desk.actor = mediator
    window = open_window(desk, qtbot)
    assert window.backup_page is None
    assert "备份" not in [window.nav.item(i).text() for i in range(window.nav.count())]


def test_restore_verifies_asks_with_what_will_be_replaced_then_closes_the_window(desk, qtbot, clock, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import ui.backup.page
    import ui.backup.wiring
    from laopan.services.backups import make_backup

    written = make_backup(engine=desk.engine, actor=desk.actor)  # no case yet
    register(desk)
    asked, told = [], []
    monkeypatch.setattr(ui.backup.page.QMessageBox, "question",
                        lambda _parent, _title, text: asked.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(ui.backup.wiring.QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    window = open_window(desk, qtbot)
    show(window, window.backup_page, qtbot)
    clock.advance(minutes=10)
    window.backup_page.verify_then_confirm(written.path)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "0 件案件" in asked[0] and "laopan.db.before-restore" in asked[0]
    assert told[0].startswith("已恢复：") and "before-restore-20261127-091000" in told[0]
    assert not window.isVisible()
    with closing(sqlite_connection(f"sqlite:///{desk.engine.url.database}")) as restored:
        assert restored.execute("SELECT count(*) FROM mediation_case").fetchone() == (0,)
