"""备份 (administrators and supervisors): the backups with time, kind, size and cases; 立即备份, 备份到… (a folder,
e.g. a USB stick), 从备份恢复… (verified first, confirmed with what will be replaced, then the window closes so
the desk is reopened on the restored database). The copying runs on the worker; the busy bar shows it."""

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from laopan.services.actor import Actor
from laopan.services.backups import BackupRow, backup_now, backups_folder, list_backups, verify_backup
from ui.common.submit_dialog import muted
from ui.common.worker import TaskRunner

HEADERS = ("时间", "类型", "大小", "案件数", "文件")


class BackupPage(QWidget):
    """Signals:
        restore_confirmed(str): the user confirmed restoring this verified backup; the window does it (it must
            stop the worker and let go of the database first) and closes.
    """

    restore_confirmed = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, keep: int = 10, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.keep = keep
        self.rows: list[BackupRow] = []
        layout = QVBoxLayout(self)
        title = QLabel("备份与恢复")
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(muted(f"备份保存在 {backups_folder()}，保留最新 {keep} 份。每天第一次打开和关闭窗口时自动备份，"
                               "升级数据库结构前也会备份。备份到 U 盘请用“备份到…”。"))
        buttons = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        self.backup_to_button = QPushButton("备份到…")
        self.restore_button = QPushButton("从备份恢复…")
        for button in (self.backup_button, self.backup_to_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the backup API reports no useful fraction for a small file
        self.progress.setMaximumHeight(8)
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.backup_to_button.clicked.connect(self._on_backup_to_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self._loaded = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        self._loaded = True
        actor = self.actor
        self.runner.read(lambda session: list_backups(actor=actor, engine=session.get_bind()), on_done=self._show_rows, on_error=self._failed, group="backups")

    def _show_rows(self, rows: list[BackupRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cases = "无法读取" if row.case_count is None else str(row.case_count)
            for c, text in enumerate((row.made_at, row.kind, row.size, cases, row.path)):
                item = QTableWidgetItem(text)
                if c in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        if not rows:
            self.status.setText("还没有备份。")

    def _busy(self, text: str) -> None:
        self.progress.show()
        self.status.setText(text)
        for button in (self.backup_button, self.backup_to_button, self.restore_button):
            button.setEnabled(False)

    def _idle(self, text: str) -> None:
        self.progress.hide()
        self.status.setText(text)
        for button in (self.backup_button, self.backup_to_button, self.restore_button):
            button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self._idle(f"失败：{error}")

    @Slot()
    def _on_backup_button_clicked(self) -> None:
        self._start_backup(None)

    @Slot()
    def _on_backup_to_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "备份到文件夹（如 U 盘）")
        if folder:
            self._start_backup(folder)

    def _start_backup(self, folder: str | None) -> None:
        self._busy("正在备份…")
        actor, keep = self.actor, self.keep
        self.runner.read(lambda session: backup_now(session, actor=actor, folder=folder, keep=keep),
                         on_done=self._on_backed_up, on_error=self._failed, group="backups")

    def _on_backed_up(self, row: BackupRow) -> None:
        self._idle(f"已备份：{row.path}（{row.size}，{row.case_count} 件案件）")
        self.refresh()

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        selected = self.table.currentRow()
        start = self.rows[selected].path if 0 <= selected < len(self.rows) else str(backups_folder())
        path, _ = QFileDialog.getOpenFileName(self, "选择要恢复的备份", start, "数据库备份 (*.db)")
        if path:
            self.verify_then_confirm(path)

    def verify_then_confirm(self, path: str) -> None:
        self._busy("正在检查备份…")
        actor = self.actor
        self.runner.read(lambda session: verify_backup(path, actor=actor, engine=session.get_bind()), on_done=lambda text: self._confirm(path, text),
                         on_error=self._failed, group="backups")

    def _confirm(self, path: str, verified: str) -> None:
        self._idle(f"已检查：{verified}")
        answer = QMessageBox.question(
            self, "从备份恢复",
            f"将用这份备份替换当前数据库：\n{verified}\n\n当前数据库将另存为 laopan.db.before-restore-时间，"
            "其他工作站须先关闭本程序。恢复后本窗口将关闭，请重新打开。\n\n确定恢复吗？",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_confirmed.emit(path)
