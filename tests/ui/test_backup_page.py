"""The 备份 page: an administrator backs up with one click and sees the copy listed with its cases; the window
made its daily backup when it opened and makes one on exit; a mediator has no 备份 page."""

from laopan import paths
from laopan.models.enums import Role
from laopan.storage import backup as store
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
