"""导入台账: an old Excel/CSV 台账 into the desk in four steps — file, columns, check, result (issue 15 item 5).

Reading the file, the dry run and the import all run on the worker. The import is one write task (every row in
one transaction); its progress reaches the GUI thread through a signal and the Cancel button reaches the worker
through a `threading.Event` that the ledger service polls. Which rows are valid, all-or-nothing, duplicates and
who may import are the ledger service's rules (`laopan.ledger`); this dialog only shows what it answers.
"""

import json
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from laopan import paths
from laopan.errors import DomainError, Refused
from laopan.labels import label, source_label
from laopan.models.enums import Level, codes
from laopan.ledger.importing import Cancelled, LedgerPlan, LedgerReport, Problem, import_ledger, plan_import
from laopan.services.sections import may_import
from laopan.ledger.mapping import DEFAULTS, FIELDS, Mapping, guess_mapping, load_mapping
from laopan.ledger.reading import Table, column_letter, read_table, sheet_names
from laopan.services.actor import Actor
from ui.common import style
from ui.common.row_table import Column, RowTableModel, table_view
from ui.common.worker import TaskRunner

log = logging.getLogger(__name__)

STEP_FILE, STEP_MAPPING, STEP_CHECK, STEP_DONE = range(4)
GROUP = "ledger-import"
SAMPLES = 3  # first values shown beside each column
_ERROR = QColor("#c62828")


def _cell(value) -> str:
    text = "" if value is None else str(value).strip()
    return text if len(text) <= 16 else text[:15] + "…"


def _default_text(name: str, code: str) -> str:
    if name == "source":
        return source_label(code)
    if name == "level" and code in codes(Level):
        return label(Level, code)
    return code


def _where(problem: Problem) -> str:
    return f"{problem.column}（{problem.header}）" if problem.column else "—"


PROBLEM_COLUMNS = (
    Column("行", lambda p: str(p.row), sort=lambda p: p.row),
    Column("列", _where),
    Column("值", lambda p: p.value),
    Column("问题", lambda p: ("提示：" if p.warning else "") + p.message, colour=lambda p: None if p.warning else _ERROR,
           stretch=True),
)


class _Progress(QObject):
    """Emitted on the worker thread; created without a parent on the GUI thread, so Qt queues each emission to
    the GUI thread and the object outlives the dialog for as long as the task holds it.

    Signals:
        progressed(int, int): steps done, steps in all.
    """

    progressed = Signal(int, int)


class LedgerImportDialog(QDialog):
    """The 导入台账 wizard.

    Signals:
        table_loaded(object): the chosen sheet was read (a `Table`).
        planned(object): the dry run finished (a `LedgerPlan`).
        imported(object): the import committed (a `LedgerReport`); the list refreshes through data_changed.
        import_stopped(str): the import wrote nothing (refused, cancelled or failed); the reason.
    """

    table_loaded = Signal(object)
    planned = Signal(object)
    imported = Signal(object)
    import_stopped = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self.path: Path | None = None
        self.table: Table | None = None
        self.plan: LedgerPlan | None = None
        self.report: LedgerReport | None = None
        self.field_combos: list[QComboBox] = []
        self._defaults: dict[str, str] = dict(DEFAULTS)
        self._cancel: threading.Event | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._busy = False
        self.setWindowTitle(self.tr("导入台账"))
        self.resize(1000, 640)
        self._build()
        self._connect_signals()
        self._show_step(STEP_FILE)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        tr = self.tr
        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.error_label = QLabel()
        self.error_label.setStyleSheet(style.ERROR_CSS)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_file_page())
        self.pages.addWidget(self._build_mapping_page())
        self.pages.addWidget(self._build_check_page())
        self.pages.addWidget(self._build_done_page())

        self.back_button = QPushButton(tr("上一步"))
        self.next_button = QPushButton(tr("下一步"))
        self.next_button.setDefault(True)
        self.close_button = QPushButton(tr("关闭"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        if not may_import(self._actor):
            self._set_error(tr("当前角色无权导入台账（仅限主任和管理员）"))

    def _build_file_page(self) -> QWidget:
        tr = self.tr
        page = QWidget()
        self.choose_button = QPushButton(tr("选择文件…"))
        self.path_label = QLabel(tr("尚未选择文件。可导入 Excel 工作簿（.xlsx）或 CSV 文件。"))
        self.path_label.setWordWrap(True)
        self.sheet_combo = QComboBox()
        self.sheet_label = QLabel(tr("工作表"))
        self.table_label = QLabel()
        self.table_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addWidget(self.path_label, 1)
        sheets = QHBoxLayout()
        sheets.addWidget(self.sheet_label)
        sheets.addWidget(self.sheet_combo)
        sheets.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addLayout(sheets)
        layout.addWidget(self.table_label)
        hint = QLabel(tr("旧台账常有标题行、合并单元格和手写的日期、金额：程序会找到表头所在行，按表头猜测每列的含义，"
                         "下一步可以逐列核对和修改。"))
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {style.MUTED.name()};")
        layout.addWidget(hint)
        layout.addStretch(1)
        self._show_sheets([])
        return page

    def _build_mapping_page(self) -> QWidget:
        tr = self.tr
        page = QWidget()
        self.mapping_grid = QGridLayout()
        self.mapping_grid.setColumnStretch(2, 1)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(self.mapping_grid)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.load_mapping_button = QPushButton(tr("载入对应关系…"))
        self.save_mapping_button = QPushButton(tr("保存对应关系…"))
        self.defaults_label = QLabel()
        self.defaults_label.setStyleSheet(f"color: {style.MUTED.name()};")
        self.defaults_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.defaults_label, 1)
        row.addWidget(self.load_mapping_button)
        row.addWidget(self.save_mapping_button)
        layout = QVBoxLayout(page)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)
        return page

    def _build_check_page(self) -> QWidget:
        tr = self.tr
        page = QWidget()
        self.summary_label = QLabel()
        self.summary_label.setStyleSheet("font-weight: bold;")
        self.show_warnings_box = QCheckBox(tr("同时列出提示"))
        self.problem_model = RowTableModel(PROBLEM_COLUMNS, self)
        self.problem_view = table_view(self.problem_model)
        self.all_or_nothing_radio = QRadioButton(tr("全部导入或全部不导入（有一行错误就不导入）"))
        self.valid_only_radio = QRadioButton(tr("只导入无误的行，跳过有错误的行"))
        self.all_or_nothing_radio.setChecked(True)
        self.skip_duplicates_box = QCheckBox(tr("跳过已导入的行（不勾选则有已导入的行就不导入）"))
        self.skip_duplicates_box.setChecked(True)
        self._mode_group = QButtonGroup(self)
        self._mode_group.addButton(self.all_or_nothing_radio)
        self._mode_group.addButton(self.valid_only_radio)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.show_warnings_box)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.problem_view, 1)
        layout.addWidget(self.all_or_nothing_radio)
        layout.addWidget(self.valid_only_radio)
        layout.addWidget(self.skip_duplicates_box)
        return page

    def _build_done_page(self) -> QWidget:
        page = QWidget()
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_label, 1)
        return page

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)
        self.load_mapping_button.clicked.connect(self._on_load_mapping_button_clicked)
        self.save_mapping_button.clicked.connect(self._on_save_mapping_button_clicked)
        self.show_warnings_box.toggled.connect(self._on_show_warnings_box_toggled)
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.finished.connect(self._on_finished)

    # ------------------------------------------------------------------ steps

    @property
    def step(self) -> int:
        return self.pages.currentIndex()

    def _show_step(self, step: int) -> None:
        tr = self.tr
        titles = {
            STEP_FILE: tr("第 1 步，共 4 步：选择台账文件"),
            STEP_MAPPING: tr("第 2 步，共 4 步：核对每一列对应的案件信息"),
            STEP_CHECK: tr("第 3 步，共 4 步：检查结果（尚未导入）"),
            STEP_DONE: tr("第 4 步，共 4 步：导入完成"),
        }
        self.pages.setCurrentIndex(step)
        self.step_label.setText(titles[step])
        self.next_button.setText(tr("导入") if step == STEP_CHECK else tr("下一步"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        step, idle = self.step, not self._busy
        self.back_button.setVisible(step in (STEP_MAPPING, STEP_CHECK))
        self.back_button.setEnabled(idle)
        self.next_button.setVisible(step != STEP_DONE)
        ready = {STEP_FILE: self.table is not None, STEP_MAPPING: self.table is not None,
                 STEP_CHECK: self.plan is not None and may_import(self._actor)}
        self.next_button.setEnabled(idle and ready.get(step, False))
        self.close_button.setEnabled(idle)
        self.choose_button.setEnabled(idle)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _set_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    @Slot()
    def _on_back_button_clicked(self) -> None:
        self._set_error("")
        self._show_step(self.step - 1)

    @Slot()
    def _on_next_button_clicked(self) -> None:
        self._set_error("")
        if self.step == STEP_FILE:
            self._show_step(STEP_MAPPING)
        elif self.step == STEP_MAPPING:
            self.check()
        elif self.step == STEP_CHECK:
            self.start_import()

    def reject(self) -> None:
        if self._busy:  # an import in progress is stopped through the progress dialog's 取消, never by closing
            return
        super().reject()

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        self._runner.cancel(GROUP)  # a dry run still queued has no dialog to come back to

    # ------------------------------------------------------------------ step 1: the file

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        start = str(self.path.parent if self.path else Path.home())
        name, _filter = QFileDialog.getOpenFileName(self, self.tr("选择台账文件"), start,
                                                    self.tr("台账 (*.xlsx *.csv);;所有文件 (*)"))
        if name:
            self.open_file(name)

    def open_file(self, path: str | Path, sheet: str | None = None) -> None:
        """Read the file's sheet names and the chosen (or first) sheet on the worker."""
        path = Path(path)
        self.path, self.table, self.plan = path, None, None
        self.path_label.setText(str(path))
        self.table_label.setText(self.tr("正在读取…"))
        self._set_error("")
        self._set_busy(True)

        def read(_session):
            return sheet_names(path), read_table(path, sheet=sheet)

        self._runner.read(read, on_done=self._on_table_read, on_error=self._on_read_failed, group=GROUP)

    @Slot(int)
    def _on_sheet_combo_activated(self, _index: int) -> None:
        if self.path is not None:
            self.open_file(self.path, self.sheet_combo.currentText())

    def _show_sheets(self, names: list[str]) -> None:
        self.sheet_combo.clear()
        self.sheet_combo.addItems(names)
        several = len(names) > 1
        self.sheet_label.setVisible(several)
        self.sheet_combo.setVisible(several)

    def _on_table_read(self, result: tuple[list[str], Table]) -> None:
        names, table = result
        self._set_busy(False)
        self.table = table
        self._show_sheets(names)
        if names:
            self.sheet_combo.setCurrentText(table.name)
        where = self.tr("工作表“%1”").replace("%1", table.name) if names else self.tr("CSV 文件")
        if table.encoding:
            where += self.tr("（编码 %1）").replace("%1", table.encoding)
        self.table_label.setText(self.tr("%1：表头在第 %2 行，共 %3 行数据、%4 列。")
                                 .replace("%1", where).replace("%2", str(table.header_row))
                                 .replace("%3", str(len(table.rows))).replace("%4", str(len(table.headers))))
        self.set_mapping(guess_mapping(table))
        self._update_buttons()
        self.table_loaded.emit(table)

    def _on_read_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.table_label.setText("")
        if isinstance(error, DomainError):
            self._set_error(str(error))
        elif isinstance(error, OSError):
            self._set_error(self.tr("无法读取 %1（%2）").replace("%1", str(self.path)).replace("%2", error.strerror or str(error)))
        else:
            log.error("读取台账失败", exc_info=error)
            self._set_error(self.tr("无法读取这个文件：%1").replace("%1", repr(error)))

    # ------------------------------------------------------------------ step 2: the columns

    def set_mapping(self, mapping: Mapping) -> None:
        """One line per column of the sheet: letter, header, first values and the field it fills."""
        assert self.table is not None
        tr = self.tr
        grid = self.mapping_grid
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for column, title in enumerate((tr("列"), tr("表头"), tr("前几行的内容"), tr("对应的案件信息"))):
            heading = QLabel(title)
            heading.setStyleSheet("font-weight: bold;")
            grid.addWidget(heading, 0, column)
        self.field_combos = []
        rows = self.table.rows[:SAMPLES]
        for index, header in enumerate(self.table.headers):
            combo = QComboBox()
            combo.addItem(tr("（不导入）"), None)
            for code, text in FIELDS.items():
                combo.addItem(text, code)
            code = mapping.columns.get(index)
            combo.setCurrentIndex(combo.findData(code) if code else 0)
            samples = "；".join(t for t in (_cell(values[index]) for _n, values in rows) if t)
            sample_label = QLabel(samples or tr("（空）"))
            sample_label.setStyleSheet(f"color: {style.MUTED.name()};")
            grid.addWidget(QLabel(column_letter(index)), index + 1, 0)
            grid.addWidget(QLabel(header or tr("（无表头）")), index + 1, 1)
            grid.addWidget(sample_label, index + 1, 2)
            grid.addWidget(combo, index + 1, 3)
            self.field_combos.append(combo)
        self._defaults = dict(mapping.defaults)
        self.defaults_label.setText(tr("表中没有的信息按默认值：%1").replace(
            "%1", "，".join(f"{FIELDS[k]} {_default_text(k, v)}" for k, v in self._defaults.items())))
        self.plan = None

    def current_mapping(self) -> Mapping | None:
        """The columns as chosen, or None after saying which field was chosen twice."""
        columns: dict[int, str] = {}
        for index, combo in enumerate(self.field_combos):
            code = combo.currentData()
            if not code:
                continue
            taken = next((i for i, c in columns.items() if c == code), None)
            if taken is not None:
                self._set_error(self.tr("“%1”同时对应了 %2 列和 %3 列：每项信息只能对应一列")
                                .replace("%1", FIELDS[code]).replace("%2", column_letter(taken))
                                .replace("%3", column_letter(index)))
                return None
            columns[index] = code
        return Mapping(columns=columns, defaults=dict(self._defaults))

    @Slot()
    def _on_load_mapping_button_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, self.tr("载入对应关系"), str(paths.exports_dir()),
                                                    self.tr("对应关系 (*.json)"))
        if name:
            self.load_mapping_file(name)

    @Slot()
    def _on_save_mapping_button_clicked(self) -> None:
        default = paths.exports_dir() / "台账对应关系.json"
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("保存对应关系"), str(default),
                                                    self.tr("对应关系 (*.json)"))
        if name:
            self.save_mapping_file(name)

    def load_mapping_file(self, path: str | Path) -> bool:
        """A saved laopan.ledger-mapping/1 file, checked against this sheet (a tiny file: read here)."""
        self._set_error("")
        try:
            mapping = load_mapping(path, self.table)
        except DomainError as error:
            self._set_error(self.tr("无法载入对应关系 %1：%2").replace("%1", Path(path).name).replace("%2", str(error)))
            return False
        except OSError as error:
            self._set_error(self.tr("无法读取 %1（%2）").replace("%1", str(path)).replace("%2", error.strerror or str(error)))
            return False
        self.set_mapping(mapping)
        return True

    def save_mapping_file(self, path: str | Path) -> bool:
        mapping = self.current_mapping()
        if mapping is None:
            return False
        text = json.dumps(mapping.document(self.table), ensure_ascii=False, indent=2) + "\n"
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as error:
            self._set_error(self.tr("无法写入 %1（%2）").replace("%1", str(path)).replace("%2", error.strerror or str(error)))
            return False
        return True

    # ------------------------------------------------------------------ step 3: the dry run

    def check(self) -> None:
        """Check every row with the mapping as chosen, on the worker (nothing is written)."""
        mapping = self.current_mapping()
        if mapping is None or self.table is None:
            return
        actor, table = self._actor, self.table
        self._set_busy(True)
        self.next_button.setText(self.tr("正在检查…"))
        self._runner.read(lambda session: plan_import(session, actor=actor, table=table, mapping=mapping),
                          on_done=self._on_planned, on_error=self._on_check_failed, group=GROUP)

    def _on_planned(self, plan: LedgerPlan) -> None:
        self.plan = plan
        self._set_busy(False)
        invalid, warnings = len(plan.invalid_rows), sum(1 for p in plan.problems if p.warning)
        text = (self.tr("共 %1 行，可导入 %2 行，%3 行有问题").replace("%1", str(len(plan.rows)))
                .replace("%2", str(len(plan.valid_rows))).replace("%3", str(invalid)))
        if plan.duplicates:
            text += self.tr("，%1 行已导入过").replace("%1", str(len(plan.duplicates)))
        self.skip_duplicates_box.setVisible(bool(plan.duplicates))
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(f"font-weight: bold; color: {_ERROR.name()};" if invalid else "font-weight: bold;")
        self.show_warnings_box.setText(self.tr("同时列出提示（%1 条）").replace("%1", str(warnings)))
        self.show_warnings_box.setEnabled(bool(warnings))
        self._fill_problems()
        self.valid_only_radio.setText(self.tr("只导入无误的 %1 行，跳过有错误的 %2 行")
                                      .replace("%1", str(len(plan.valid_rows))).replace("%2", str(invalid)))
        self._show_step(STEP_CHECK)
        self.planned.emit(plan)

    def _fill_problems(self) -> None:
        if self.plan is None:
            return
        shown = self.plan.problems if self.show_warnings_box.isChecked() else self.plan.errors
        self.problem_model.set_rows(sorted(shown, key=lambda p: (p.row, p.warning, p.column)))

    @Slot(bool)
    def _on_show_warnings_box_toggled(self, _checked: bool) -> None:
        self._fill_problems()

    def _on_check_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_step(self.step)
        if isinstance(error, DomainError):
            self._set_error(str(error))
        else:
            log.error("检查台账失败", exc_info=error)
            self._set_error(self.tr("检查失败：%1").replace("%1", repr(error)))

    # ------------------------------------------------------------------ step 4: the import

    def start_import(self) -> None:
        """Import as the radio buttons say, in one write task; a progress dialog with 取消 stays up meanwhile."""
        mapping = self.current_mapping()
        if mapping is None or self.table is None:
            return
        actor, table, valid_only = self._actor, self.table, self.valid_only_radio.isChecked()
        skip_duplicates = self.skip_duplicates_box.isChecked()
        cancel = threading.Event()
        progress = _Progress()
        progress.progressed.connect(self._on_import_progressed)
        rows = max(len(table.rows), 1)
        self._cancel = cancel
        self._set_busy(True)
        self._show_progress(rows)

        def run(session):
            # Checked again inside the write: the database may have changed since the dry run.
            if cancel.is_set():
                raise Cancelled("已取消，未导入任何案件")
            plan = plan_import(session, actor=actor, table=table, mapping=mapping,
                               progress=lambda done, _total: progress.progressed.emit(done, 2 * rows))
            if cancel.is_set():
                raise Cancelled("已取消，未导入任何案件")

            def written(done: int, total: int) -> None:
                progress.progressed.emit(rows + done * rows // max(total, 1), 2 * rows)

            return import_ledger(session, actor=actor, plan=plan, valid_only=valid_only, progress=written,
                                 cancelled=cancel.is_set, skip_duplicates=skip_duplicates)

        self._runner.write(run, on_done=self._on_imported, on_error=self._on_import_failed, group=GROUP)

    def _show_progress(self, rows: int) -> None:
        dialog = QProgressDialog(self.tr("正在导入 %1 行台账…").replace("%1", str(rows)), self.tr("取消"), 0, 2 * rows, self)
        dialog.setWindowTitle(self.tr("导入台账"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        dialog.canceled.connect(self._on_progress_dialog_canceled)
        self.progress_dialog = dialog
        dialog.show()

    @Slot(int, int)
    def _on_import_progressed(self, done: int, total: int) -> None:
        if self.progress_dialog is not None and not self.progress_dialog.wasCanceled():
            self.progress_dialog.setMaximum(total)
            self.progress_dialog.setValue(min(done, total))

    @Slot()
    def _on_progress_dialog_canceled(self) -> None:
        if self._cancel is not None:
            self._cancel.set()  # the service stops at its next chunk and the transaction rolls back
        self._set_error(self.tr("正在取消…"))

    def cancel_import(self) -> None:
        """Press the progress dialog's 取消."""
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.emit()

    def _end_import(self) -> None:
        self._cancel = None
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self._on_progress_dialog_canceled)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self._set_busy(False)

    def _on_imported(self, report: LedgerReport) -> None:
        self._end_import()
        self._set_error("")
        self.report = report
        tr = self.tr
        lines = [tr("已导入 %1 个案件。").replace("%1", str(len(report.imported)))]
        if report.imported:
            lines.append(tr("受理编号 %1 至 %2。").replace("%1", report.imported[0][1]).replace("%2", report.imported[-1][1]))
        if report.skipped_duplicates:
            rows = "、".join(str(row) for row, _why in report.skipped_duplicates[:20])
            lines.append(tr("跳过已导入过的 %1 行（第 %2 行）。").replace("%1", str(len(report.skipped_duplicates))).replace("%2", rows))
        if report.skipped_invalid:
            rows = "、".join(str(row) for row in report.skipped_invalid[:20])
            lines.append(tr("跳过有错误的 %1 行（第 %2 行）。").replace("%1", str(len(report.skipped_invalid))).replace("%2", rows))
        if report.warnings:
            lines.append(tr("提示 %1 条，例如：").replace("%1", str(len(report.warnings))))
            lines.extend(f"　{warning}" for warning in report.warnings[:5])
        self.done_label.setText("\n".join(lines))
        self._show_step(STEP_DONE)
        self.imported.emit(report)

    def _on_import_failed(self, error: BaseException) -> None:
        self._end_import()
        if isinstance(error, Cancelled):
            reason = self.tr("已取消，未导入任何案件。")
        elif isinstance(error, Refused):
            reason = error.errors[-1].message if error.errors else str(error)
        elif isinstance(error, DomainError):
            reason = str(error)
        else:
            log.error("导入台账失败", exc_info=error)
            reason = self.tr("导入失败，未导入任何案件：%1").replace("%1", repr(error))
        self._set_error(reason)
        self.import_stopped.emit(reason)
