"""The desk window: navigation between the pages, the status bar, new cases, 台账 in and out, errors and closing.
The 案件 page (search, filters, the lazy case list and the case pane) is `ui.shell.case_list`.

The navigation is `self.sections` (ui.shell.sections): (key, title, page factory) in order (工作台, 案件, 警调, …);
a new section is one more entry in `_build_pages`. A page is built the first time it is shown.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from laopan.desk import Desk
from laopan.errors import DomainError
from laopan.models.enums import ReferralState, Role
from laopan.services.actor import Actor
from laopan.services.cases import CaseFilter
from laopan.services.sections import may_back_up, may_manage_users, may_see_audit, may_see_statistics
from ui.backup.wiring import build_backup_page, queue_exit_backup, start_daily_backup
from ui.cases.model import CASE_ID_ROLE, CaseTableModel
from ui.common import style
from ui.common.desk_info import DeskInfo, count_overdue, load_desk_info
from ui.common.incident import report_unexpected
from ui.common.worker import TaskRunner
from ui.shell.case_list import CaseListPart
from ui.shell.lock_wait import LockWaitIndicator
from ui.shell.sections import Sections

if TYPE_CHECKING:
    from ui.audit.page import AuditPage
    from ui.backup.page import BackupPage
    from ui.cases.intake_dialog import IntakeDialog
    from ui.liaison.page import LiaisonDesk
    from ui.mediators.page import MediatorsPage
    from ui.statistics.page import StatisticsPage
    from ui.users.page import UsersPage
    from ui.workbench.page import WorkbenchPage

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 250
DEFAULT_SIZE = (1366, 768)


def default_start_page(actor: Actor) -> str:
    """The page a user starts on until they leave the window elsewhere: 警调 for a liaison, 工作台 for mediators
    and supervisors, the case list for an administrator."""
    if actor.role is Role.POLICE_LIAISON:
        return "liaison"
    if actor.role is Role.ADMIN:
        return "cases"
    return "workbench"


class MainWindow(CaseListPart, QMainWindow):
    """The desk's main window over one open `Desk`.

    Signals:
        first_page_loaded(int): the first page of the case list arrived (the case count); emitted once.
        info_loaded(object): the committee's dictionaries and settings (a DeskInfo) arrived.
        overdue_counted(int): the number of overdue cases was counted again.
    """

    first_page_loaded = Signal(int)
    info_loaded = Signal(object)
    overdue_counted = Signal(int)

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.info: DeskInfo | None = None
        self.runner = TaskRunner(desk, self)
        self.model = CaseTableModel(self.runner, desk.actor, self)
        self._first_page_seen = False
        self._mine_only: int | None = None  # set by the status bar's count for a mediator: their own cases
        self._columns_sized = False
        self._select_after_reload: int | None = None
        self._extra_filters = CaseFilter()  # received_from/to, source, mediator_id: set by show_cases, no combo
        self._error_box: QMessageBox | None = None
        self.intake_dialog: IntakeDialog | None = None
        self.setWindowTitle(self.tr("老潘调解 · %1").replace("%1", desk.committee_name))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._build()
        self._connect_signals()
        self._load_info()
        self.model.reload()
        self._default_size()
        start_daily_backup(self)

    # ------------------------------------------------------------------ building

    def _default_size(self) -> None:
        """1366×768 or the screen's free area, whichever is smaller (restore_layout may override it)."""
        screen = self.screen()
        available = screen.availableGeometry() if screen is not None else None
        width, height = DEFAULT_SIZE
        if available is not None and available.width() > 0:
            width, height = min(width, available.width()), min(height, available.height())
        self.resize(width, height)

    @property
    def fills_small_screen(self) -> bool:
        """Whether the screen is no bigger than an office laptop's (the window then opens maximised)."""
        screen = self.screen()
        if screen is None:
            return False
        available = screen.availableGeometry()
        return available.width() <= DEFAULT_SIZE[0] or available.height() <= DEFAULT_SIZE[1]

    def _build(self) -> None:
        tr = self.tr
        self.nav = QListWidget()
        self.nav.setFixedWidth(self.fontMetrics().horizontalAdvance("调解员调解") + 24)
        self._build_case_page()
        self._build_pages()
        central = QWidget()
        outer = QHBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 0)
        outer.addWidget(self.nav)
        outer.addWidget(self.page_stack, 1)
        self.setCentralWidget(central)

        bar = self.statusBar()
        self.database_label = QLabel(self.desk.label)
        self.database_label.setToolTip(self.tr("当前打开的数据库"))
        actor = self.desk.actor
        self.user_label = QLabel(actor.display_name or actor.login)
        self.committee_label = QLabel(self.desk.committee_name)
        # A flat button: the count opens the list it counts (警调 已逾期 for a liaison, else the case list).
        self.overdue_label = QPushButton()
        self.overdue_label.setFlat(True)
        self.overdue_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.overdue_label.setToolTip(self.tr("点击查看逾期清单"))
        for number, widget in enumerate((self.database_label, self.user_label, self.committee_label, self.overdue_label)):
            if number:
                separator = QFrame()
                separator.setFrameShape(QFrame.Shape.VLine)
                separator.setFrameShadow(QFrame.Shadow.Sunken)
                bar.addPermanentWidget(separator)
            widget.setContentsMargins(6, 0, 6, 0)
            bar.addPermanentWidget(widget)
        self.lock_wait_indicator = LockWaitIndicator(self.runner, self)
        bar.addWidget(self.lock_wait_indicator)

        self._shortcuts = {
            "search_f": QShortcut(QKeySequence.StandardKey.Find, self),
            "search_k": QShortcut(QKeySequence("Ctrl+K"), self),
            "new_case": QShortcut(QKeySequence.StandardKey.New, self),
            "refresh": QShortcut(QKeySequence.StandardKey.Refresh, self),
        }

    # ------------------------------------------------------------------ navigation: a list of (title, page)

    def _build_pages(self) -> None:
        """The sections in navigation order. Only the case list is built now; every other page is built (and its
        module imported) the first time it is shown: `self.sections`, and the properties below."""
        tr, actor = self.tr, self.desk.actor
        self.page_stack = QStackedWidget()
        self.sections = Sections(self.nav, self.page_stack, self)
        self.sections.built.connect(self._on_section_built)
        runner = self.runner

        def workbench():
            from ui.workbench.page import WorkbenchPage

            return WorkbenchPage(runner, actor)

        def liaison():
            from ui.liaison.page import LiaisonDesk

            return LiaisonDesk(runner, actor, self.info)

        def mediators():
            from ui.mediators.page import MediatorsPage

            return MediatorsPage(runner, actor)

        def statistics():
            from ui.statistics.page import StatisticsPage

            return StatisticsPage(runner, actor)

        def audit():
            from ui.audit.page import AuditPage

            return AuditPage(runner, actor)

        def users():
            from ui.users.page import UsersPage

            return UsersPage(runner, self.desk)

        self.sections.add("workbench", tr("工作台"), workbench)
        self.sections.add("cases", tr("案件"), self.cases_page)
        self.sections.add("liaison", tr("警调"), liaison)
        self.sections.add("mediators", tr("调解员"), mediators)
        # 统计: supervisors and admins; a mediator sees their own cases; hidden for a police liaison.
        for key, title, may, factory in (("statistics", tr("统计"), may_see_statistics, statistics),
                                         ("audit", tr("审计日志"), may_see_audit, audit),
                                         ("users", tr("用户管理"), may_manage_users, users),
                                         ("backup", tr("备份"), may_back_up, lambda: build_backup_page(self))):
            if may(actor):
                self.sections.add(key, title, factory)
        # The case list loads either way (the "ready" line measures it); the page shown first is the role's.
        self.sections.show(default_start_page(actor))

    @property
    def pages(self) -> list[tuple[str, str]]:
        """(title, key) of every section, in navigation order."""
        return self.sections.entries()

    def _section(self, key: str) -> QWidget | None:
        return self.sections.page(key) if key in self.sections else None

    @property
    def workbench(self) -> WorkbenchPage:
        return self.sections.page("workbench")  # type: ignore[return-value]

    @property
    def liaison_desk(self) -> LiaisonDesk:
        return self.sections.page("liaison")  # type: ignore[return-value]

    @property
    def mediators_page(self) -> MediatorsPage:
        return self.sections.page("mediators")  # type: ignore[return-value]

    @property
    def statistics_page(self) -> StatisticsPage | None:
        return self._section("statistics")  # type: ignore[return-value]

    @property
    def audit_page(self) -> AuditPage | None:
        return self._section("audit")  # type: ignore[return-value]

    @property
    def users_page(self) -> UsersPage | None:
        return self._section("users")  # type: ignore[return-value]

    @property
    def backup_page(self) -> BackupPage | None:
        return self._section("backup")  # type: ignore[return-value]

    @Slot(str, QWidget)
    def _on_section_built(self, key: str, page: QWidget) -> None:
        """A page was just built: connect it to the window and hand it what the window has read already."""
        if key == "workbench":
            page.case_requested.connect(self._on_workbench_case_requested)
        elif key == "liaison":
            page.open_case_requested.connect(self._on_workbench_case_requested)
            page.status_message.connect(self._on_liaison_status_message)
        elif key == "statistics":
            page.cases_requested.connect(self.show_cases)
            page.status_message.connect(self._on_liaison_status_message)
        elif key == "audit":
            page.status_message.connect(self._on_liaison_status_message)
        if key in ("liaison", "mediators", "statistics"):
            self.info_loaded.connect(page.set_info)
            if self.info is not None and key != "liaison":  # the liaison desk is built with it
                page.set_info(self.info)

    def current_page_key(self) -> str:
        """The page shown, by key: what the desk settings remember per user as the next start page."""
        return self.sections.current_key()

    def show_page_key(self, key: str | None) -> None:
        """Show the remembered start page (an unknown or missing key keeps the role's)."""
        if key is not None and key in self.sections:
            self.sections.show(key)

    def show_page(self, page: QWidget) -> None:
        self.sections.show(self.sections.key_of(page))

    def open_case(self, case_id: int) -> None:
        """Show a case in the 案件 page (selected in the list when the list holds it)."""
        self.show_page(self.cases_page)
        row = self.model.find_row(case_id)
        if row is not None:
            self.select_row(row)
        else:
            self.view.clearSelection()
        if self.detail.case_id != case_id:
            self.detail.show_case(case_id)

    @Slot(int)
    def _on_workbench_case_requested(self, case_id: int) -> None:
        self.open_case(case_id)

    @Slot(str)
    def _on_liaison_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    def _refresh_pages(self) -> None:
        """The pages built so far (one not built yet reads everything when it is first shown)."""
        for page in self.sections.built_pages():
            if page is not self.cases_page and hasattr(page, "refresh"):
                page.refresh()

    # ------------------------------------------------------------------ signals

    def _connect_signals(self) -> None:
        self.overdue_label.clicked.connect(self._on_overdue_label_clicked)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        for box in (self.level_combo, self.status_combo, self.type_combo, self.community_combo, self.due_combo):
            box.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.new_case_button.clicked.connect(self._on_new_case_button_clicked)
        self.clear_extra_button.clicked.connect(self._on_clear_extra_button_clicked)
        self.import_ledger_button.clicked.connect(self._on_import_ledger_button_clicked)
        self.export_ledger_button.clicked.connect(self._on_export_ledger_button_clicked)
        self.print_centre_button.clicked.connect(self._on_print_centre_button_clicked)
        self.ledger_exporter.exported.connect(self._on_ledger_exporter_exported)
        self.ledger_exporter.export_failed.connect(self._on_ledger_exporter_export_failed)
        self.model.count_changed.connect(self._on_model_count_changed)
        self.model.first_block_loaded.connect(self._on_model_first_block_loaded)
        self.model.block_loaded.connect(self._on_model_block_loaded)
        self.model.load_failed.connect(self._on_task_failed)
        self.runner.task_error.connect(self._on_task_failed)
        self.runner.data_changed.connect(self._on_runner_data_changed)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self._shortcuts["search_f"].activated.connect(self._on_search_shortcut_activated)
        self._shortcuts["search_k"].activated.connect(self._on_search_shortcut_activated)
        self._shortcuts["new_case"].activated.connect(self._on_new_case_shortcut_activated)
        self._shortcuts["refresh"].activated.connect(self._on_refresh_shortcut_activated)

    # ------------------------------------------------------------------ loading

    def _load_info(self) -> None:
        actor, name = self.desk.actor, self.desk.committee_name
        self.runner.read(lambda session: load_desk_info(session, actor=actor, committee_name=name), on_done=self._on_info_loaded)
        # The overdue count is read once the first page is on screen (`_on_model_first_block_loaded`): the one
        # reading thread would otherwise make the list wait for it.

    def _count_overdue(self) -> None:
        actor = self.desk.actor
        self.runner.read(lambda session: count_overdue(session, actor=actor), on_done=self._on_overdue_counted)

    def refresh(self) -> None:
        """Read the list and the overdue count again (F5, and after a save)."""
        self.model.reload()
        self._count_overdue()
        if self._shown_case_id() is not None:
            self.detail.show_case(self._shown_case_id())
        self._refresh_pages()

    @Slot()
    def _on_refresh_shortcut_activated(self) -> None:
        self.refresh()

    def _on_info_loaded(self, info: DeskInfo) -> None:
        self.info = info
        for code, text in info.dispute_types:
            self.type_combo.addItem(text, code)
        for name in info.communities:
            self.community_combo.addItem(name, name)
        self.due_combo.setItemText(2, self.tr("%1天内到期").replace("%1", str(info.due_soon_days)))
        self.user_label.setText(f"{info.user_name}（{info.role_label}）")
        self.who_label.setText(f"{info.committee_name} · {info.user_name}")
        self.new_case_button.setEnabled(True)
        self.info_loaded.emit(info)

    @Slot()
    def _on_overdue_label_clicked(self) -> None:
        self.show_overdue()

    def show_overdue(self) -> None:
        """Open the list the status bar counts: 警调 已逾期 for a liaison, else the overdue cases in the user's scope."""
        from laopan.services.due import MINE, REFERRALS, due_scope

        actor = self.desk.actor
        scope = due_scope(actor)
        if scope == REFERRALS:
            self.show_page(self.liaison_desk)
            self.liaison_desk.set_state_filter(ReferralState.OVERDUE.value)
            return
        self._mine_only = actor.mediator_id if scope == MINE else None
        self.due_combo.blockSignals(True)
        self.due_combo.setCurrentIndex(self.due_combo.findData("overdue"))
        self.due_combo.blockSignals(False)
        self.show_page(self.cases_page)
        self._apply_filters()

    def _on_overdue_counted(self, count: int) -> None:
        self.overdue_label.setText(self.tr("%1 件逾期").replace("%1", str(count)))
        self.overdue_label.setStyleSheet(f"color: {style.OVERDUE.name()}; font-weight: bold;" if count else "")
        self.overdue_counted.emit(count)

    # ------------------------------------------------------------------ new case

    @Slot()
    def _on_new_case_shortcut_activated(self) -> None:
        """Ctrl+N: a police referral on the 警调 page, a case everywhere else."""
        if self.current_page_key() == "liaison":
            self.liaison_desk.open_intake()
        else:
            self._on_new_case_button_clicked()

    @Slot()
    def _on_new_case_button_clicked(self) -> None:
        if self.info is None:
            return
        if self.desk.actor.joint_cases_only:  # a liaison registers joint cases through the referral form
            self.show_page(self.liaison_desk)
            self.liaison_desk.open_intake()
            return
        if self.intake_dialog is not None and self.intake_dialog.isVisible():
            self.intake_dialog.raise_()
            self.intake_dialog.activateWindow()
            return
        from ui.cases.intake_dialog import IntakeDialog

        dialog = IntakeDialog(self.runner, self.desk.actor, self.info, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.case_registered.connect(self._on_intake_case_registered)
        dialog.destroyed.connect(self._on_intake_destroyed)
        self.intake_dialog = dialog
        dialog.open()

    @Slot()
    def _on_intake_destroyed(self) -> None:
        self.intake_dialog = None

    @Slot(object)
    def _on_intake_case_registered(self, registered) -> None:
        message = self.tr("已登记案件 %1").replace("%1", registered.intake_no)
        if registered.warnings:
            message += self.tr("（提示：%1）").replace("%1", "；".join(registered.warnings))
        self.statusBar().showMessage(message, 15000)
        self._select_after_reload = registered.id  # the list reloads through data_changed
        self.detail.show_case(registered.id)

    # ------------------------------------------------------------------ 台账 in and out

    @Slot()
    def _on_import_ledger_button_clicked(self) -> None:
        from ui.cases.ledger_import_dialog import LedgerImportDialog

        dialog = LedgerImportDialog(self.runner, self.desk.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ledger_import_dialog = dialog
        dialog.open()

    @Slot()
    def _on_export_ledger_button_clicked(self) -> None:
        if self.info is not None:
            self.ledger_exporter.ask_and_export(self.model.filters, self.info.time_zone)

    @Slot()
    def _on_print_centre_button_clicked(self) -> None:
        if self.info is not None:  # the committee's time zone gives "today"
            from ui.printing.centre import open_print_centre

            current = self.view.currentIndex()
            open_print_centre(self.runner, self.desk.actor, self.info.time_zone, self,
                              current.siblingAtColumn(0).data(CASE_ID_ROLE) if current.isValid() else None)

    @Slot(int, str)
    def _on_ledger_exporter_exported(self, count: int, path: str) -> None:
        self.statusBar().showMessage(
            self.tr("已导出 %1 个案件到 %2（身份证号、电话和住址已遮蔽）").replace("%1", str(count)).replace("%2", path), 15000)

    @Slot(str)
    def _on_ledger_exporter_export_failed(self, reason: str) -> None:
        self.statusBar().showMessage(self.tr("未导出台账：%1").replace("%1", reason), 15000)

    @Slot(object, object)
    def _on_runner_data_changed(self, kinds: frozenset, ids: frozenset) -> None:
        if "case" in kinds:
            self.model.reload()
            self._count_overdue()
            if self._shown_case_id() in ids and self._select_after_reload != self._shown_case_id():
                self.detail.show_case(self._shown_case_id())
        elif "audit" in kinds and self._shown_case_id() in ids:
            self.detail.refresh_history()

    # ------------------------------------------------------------------ errors and closing

    @Slot(object)
    def _on_task_failed(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            self.statusBar().showMessage(str(error), 15000)
            return
        # A bug, not a refusal: logged under a reference the user can quote; never shown as a Python repr.
        text = report_unexpected(error, "数据库操作失败")
        if self._error_box is not None and self._error_box.isVisible():
            return
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("出错了"), text, parent=self)
        box.setInformativeText(self.tr("请记下错误编号；可先按 F5 刷新后重试。"))
        self._error_box = box
        box.open()

    def layout_state(self) -> tuple[str, str]:
        """(geometry, splitter state) as base64 text for the desk settings."""
        return (
            bytes(self.saveGeometry().toBase64().data()).decode("ascii"),
            bytes(self.splitter.saveState().toBase64().data()).decode("ascii"),
        )

    def restore_layout(self, geometry: str | None, state: str | None) -> None:
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        if state:
            self.splitter.restoreState(QByteArray.fromBase64(state.encode("ascii")))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._search_timer.stop()
        queue_exit_backup(self)
        self.runner.stop()
        super().closeEvent(event)
