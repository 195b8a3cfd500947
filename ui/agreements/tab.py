"""协议: the case's 人民调解协议书 from the first draft to the signed scan.

起草 (the editor, saved on the worker a moment after each edit and on Ctrl+S; `check_agreement` is shown after
every save) → 审核 when a junior leads the case → 定稿编号 (`finalise` allocates the number) → print, 签署, scan.
A finalised agreement is read-only; 更正 makes a revision with a reason (signatures are collected again).
The preview is the real PDF (`render_agreement(purpose="preview")`, audited), drawn by pypdfium2 on the worker.
It is drawn again after an explicit save, finalising or a correction, not after every automatic save, so the
audit log gets one preview per deliberate step rather than one per pause in typing. Ctrl+P prints through the
system dialog with one copy per party plus one; 导出 writes PDF or DOCX (ui/printing.py).
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from laopan.clock import DEFAULT_TZ
from laopan.errors import Conflict, DomainError, Refused
from laopan.labels import label
from laopan.models.enums import CaseStatus
from laopan.security.permissions import Action
from laopan.services import agreements
from laopan.services.actor import Actor
from laopan.validation import ValidationError
from laopan.views.agreements import AgreementDetail, AgreementState
from ui.common import style
from ui.agreements.editor import AgreementEditor, party_titles
from ui.agreements.preview import AgreementPreview, CheckPanel, displayable, refusal_text
from ui.common.fields import FieldBox
from ui.agreements.printing import AgreementOutput
from ui.agreements.signatures import SignaturesPanel, signer_names
from ui.common.scrolling import scrolled
from ui.common.submit_dialog import muted
from ui.common.worker import TaskRunner

AUTOSAVE_MS = 1500
STEP_DRAFT = 0  # the 起草 page of `steps`
BANNER_CSS = "background: #fdecea; color: #b71c1c; padding: 4px; border: 1px solid #f5c6cb;"


class AgreementTab(QWidget):
    """The 协议 tab of the case detail; `set_case` shows a case (None: nothing).

    Signals:
        loaded(object): an AgreementDetail is shown.
        saved(object): a write of this tab finished; the AgreementState after it.
        refused(str): a refusal was shown to the user (the message).
        party_fix_requested(int, str): a check error about a party was clicked (去补全): the party's 0-based index
            and the party editor's field to fill; the case detail opens the party editor there.
    The preview (`preview.pages_shown`), printing and exporting (`output.printed`, `output.exported`) and the
    signing step (`signatures.recorded`) report through their own widgets.
    """

    loaded = Signal(object)
    saved = Signal(object)
    refused = Signal(str)
    party_fix_requested = Signal(int, str)

    def __init__(self, runner: TaskRunner, actor: Actor, *, time_zone: str = DEFAULT_TZ, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._group = f"agreement-tab-{id(self)}"
        self._case_id: int | None = None
        self._bundle: AgreementDetail | None = None
        self._request = 0
        self._stale = False
        self._drafting = False  # the editor is open on a case that has no agreement yet
        self._dirty = self._saving = self._resave = self._revising = False
        self._editor_version: int | None = None  # the agreement version the editor shows (0: a new blank draft)
        self._preview_wanted = False
        self._preview_version: int | None = None
        self.confirm_box: QMessageBox | None = None
        self.output = AgreementOutput(runner, actor, self)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._build(actor.today(time_zone))
        self._connect_signals()

    # ------------------------------------------------------------------ building

    def _build(self, today: dt.date) -> None:
        tr = self.tr
        self.empty_label = QLabel(tr("请选择案件"))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.draft_button = QPushButton(tr("起草协议"))
        empty = QWidget()
        empty_column = QVBoxLayout(empty)
        empty_column.addStretch(1)
        empty_column.addWidget(self.empty_label)
        empty_column.addWidget(self.draft_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_column.addStretch(2)

        self.status_label = QLabel()
        bold = self.status_label.font()
        bold.setBold(True)
        self.status_label.setFont(bold)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_label = QLabel()
        buttons = {
            "save_button": (tr("保存"), tr("保存草稿（Ctrl+S）；编辑后也会自动保存")), "review_button": (tr("审核"), ""),
            "finalise_button": (tr("定稿编号"), ""), "revise_button": (tr("更正…"), tr("更正已定稿的协议（须写明原因）")),
        }
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.status_label)
        bar.addWidget(self.review_label)
        bar.addStretch(1)
        for name, (text, tip) in buttons.items():
            button = QPushButton(text)
            button.setToolTip(tip)
            setattr(self, name, button)
            bar.addWidget(button)
        bar.addWidget(self.output)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)
        self.reason_box = FieldBox(QLineEdit())
        self.reason_box.editor.setPlaceholderText(tr("更正原因（必填），如：当事人住址笔误"))
        self.submit_revision_button = QPushButton(tr("提交更正"))
        self.cancel_revision_button = QPushButton(tr("取消更正"))
        self.revision_bar = QWidget()
        revision_row = QHBoxLayout(self.revision_bar)
        revision_row.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((QLabel(tr("更正原因")), 0), (self.reason_box, 1), (muted(tr("编号不变，签署须重新收集")), 0),
                                (self.submit_revision_button, 0), (self.cancel_revision_button, 0)):
            revision_row.addWidget(widget, stretch, Qt.AlignmentFlag.AlignTop)
        self.revision_bar.setVisible(False)

        self.editor = AgreementEditor(today)
        self.editor_scroll = scrolled(self.editor)
        self.check_panel = CheckPanel()
        draft_split = self._splitter(Qt.Orientation.Vertical, (self.editor_scroll, 4), (self.check_panel, 1))
        self.signatures = SignaturesPanel(self._runner, self._actor)
        self.steps = QTabWidget()
        self.steps.addTab(draft_split, tr("起草"))
        self.steps.addTab(scrolled(self.signatures), tr("签署"))  # its notes wrap: they must not set the pane's height
        self.preview = AgreementPreview(self._runner, self._actor)
        self.split = self._splitter(Qt.Orientation.Horizontal, (self.steps, 5), (self.preview, 4))

        main = QWidget()
        column = QVBoxLayout(main)
        column.setContentsMargins(4, 4, 4, 0)
        column.setSpacing(4)
        column.addLayout(bar)
        column.addWidget(self.banner)
        column.addWidget(self.revision_bar)
        column.addWidget(self.split, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(main)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        # Window-wide key, but Qt ignores shortcuts of hidden widgets: active only while this tab is shown.
        self._save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)

    @staticmethod
    def _splitter(orientation: Qt.Orientation, *parts: tuple[QWidget, int]) -> QSplitter:
        split = QSplitter(orientation)
        for number, (widget, stretch) in enumerate(parts):
            split.addWidget(widget)
            split.setStretchFactor(number, stretch)
        split.setChildrenCollapsible(False)
        return split

    def _connect_signals(self) -> None:
        self.draft_button.clicked.connect(self._on_draft_button_clicked)
        self.save_button.clicked.connect(self._on_save_requested)
        self._save_shortcut.activated.connect(self._on_save_requested)
        self.review_button.clicked.connect(self._on_review_button_clicked)
        self.finalise_button.clicked.connect(self._on_finalise_button_clicked)
        self.revise_button.clicked.connect(self._on_revise_button_clicked)
        self.submit_revision_button.clicked.connect(self.submit_revision)
        self.cancel_revision_button.clicked.connect(self._on_cancel_revision_button_clicked)
        self.editor.edited.connect(self._on_editor_edited)
        self.check_panel.field_activated.connect(self._on_check_panel_field_activated)
        self.check_panel.party_fix_requested.connect(self.party_fix_requested)
        self._autosave.timeout.connect(self._on_autosave_timeout)
        self.signatures.recorded.connect(self._on_signatures_recorded)
        self.preview.refresh_requested.connect(self._on_preview_refresh_requested)
        self.preview.refused.connect(self.refused.emit)
        self.output.printed.connect(self._on_output_printed)
        self.output.exported.connect(self._on_output_exported)
        self.output.failed.connect(self._on_output_failed)

    # ------------------------------------------------------------------ the case shown

    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def state(self) -> AgreementState | None:
        return self._bundle.state if self._bundle is not None else None

    @property
    def saving(self) -> bool:
        return self._saving

    @property
    def editable(self) -> bool:
        bundle = self._bundle
        if bundle is None:
            return False
        if bundle.state is None:
            return self._drafting and bundle.may_draft
        return (self._revising and bundle.state.may_revise) or bundle.state.may_edit

    def set_case(self, case_id: int | None) -> None:
        """Show this case's agreement (read when the tab is visible). The same case again: read it again."""
        if case_id is not None and case_id == self._case_id:
            self.refresh()
            return
        self._flush_edits()
        self._runner.cancel(self._group)
        self._request += 1
        self._case_id, self._bundle, self._editor_version, self._preview_version = case_id, None, None, None
        self._drafting = self._dirty = self._revising = self._resave = False
        self._preview_wanted = True
        self.banner.setVisible(False)
        self.revision_bar.setVisible(False)
        self.preview.show_message(self.tr("尚无协议书可预览"), case_id=case_id or 0)
        self.empty_label.setText(self.tr("请选择案件") if case_id is None else self.tr("正在读取…"))
        self.draft_button.setVisible(False)
        self.stack.setCurrentIndex(0)
        self.refresh()

    def refresh(self) -> None:
        """Read the agreement again now if shown, else when next shown; unsaved edits stay in the editor."""
        if self._case_id is None:
            return
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._request += 1
        request, actor, case_id = self._request, self._actor, self._case_id
        self._runner.read(lambda s: agreements.agreement_detail(s, actor=actor, case_id=case_id), group=self._group,
                          on_done=lambda bundle: self._on_loaded(request, bundle),
                          on_error=lambda error: self._on_load_failed(request, error))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_loaded(self, request: int, bundle: AgreementDetail) -> None:
        if request == self._request and bundle.detail.id == self._case_id:
            self._show(bundle)

    def _on_load_failed(self, request: int, error: BaseException) -> None:
        if request != self._request:
            return
        if self._bundle is None and isinstance(error, (DomainError, ValidationError)):
            self.empty_label.setText(str(error))  # e.g. a liaison opening a case that is not a joint one
            self.refused.emit(str(error))
        else:
            self._show_refusal(error, self.tr("读取失败"))

    def _show(self, bundle: AgreementDetail) -> None:
        tr = self.tr
        self._bundle = bundle
        state, detail = bundle.state, bundle.detail
        if state is None and not self._drafting:
            allowed = bundle.may_draft
            self.empty_label.setText(tr("本案尚无调解协议。") if allowed else tr("本案没有调解协议（案件状态：%1；受理或调解中的案件可以起草协议）。")
                                     .replace("%1", label(CaseStatus, detail.status)))
            self.draft_button.setVisible(allowed)
            self.stack.setCurrentIndex(0)
            self.loaded.emit(bundle)
            return
        self.stack.setCurrentIndex(1)
        version = state.version if state else 0
        if not self._dirty and not self._revising and version != self._editor_version:
            self.editor.load(detail.agreement, state.clause_specs if state else (), party_titles(detail.parties))
            self._editor_version = version
        self.editor.set_read_only(not self.editable)
        if bundle.check is not None:
            if not self._dirty:
                self.editor.clear_errors()
                self.editor.show_errors(bundle.check.errors)
            self.check_panel.set_check(bundle.check.errors, bundle.check.warnings, finalised=bool(state and state.finalised),
                                       may_number=self._actor.may(Action.FINALISE))
        else:
            self.check_panel.set_note(tr("保存草稿后显示协议要素检查（编辑后会自动保存）"))
        self.signatures.set_state(detail.id, state, signer_names(detail), today=bundle.today)
        self._update_controls()
        if state is None:
            self.preview.show_message(tr("保存草稿后在此预览协议书"))
        elif self._preview_wanted:
            self._preview_wanted = False
            self._preview_version = state.version
            self.preview.render(detail.id)
        elif state.version != self._preview_version:
            self.preview.set_stale(True)
        self.loaded.emit(bundle)

    def _update_controls(self) -> None:
        tr = self.tr
        bundle = self._bundle
        state = bundle.state if bundle else None
        finalised = state is not None and state.finalised
        if state is None:
            status = tr("新协议")
        elif finalised:
            status = state.number or ""
            if state.revision > 1:
                status += tr(" · 第%1次更正").replace("%1", str(state.revision - 1))
        else:
            status = tr("草稿")
        note = tr(" · 正在更正") if self._revising else tr(" · 正在保存…") if self._saving else tr(" · 未保存") if self._dirty else ""
        self.status_label.setText(status + note)
        waiting_review = state is not None and state.awaiting_review
        self.review_label.setText(tr("须经老潘或主任审核") if waiting_review else tr("已审核"))
        self.review_label.setStyleSheet(style.badge_css(style.DUE_SOON if waiting_review else style.LEVEL_COLOURS["grid"]))
        self.review_label.setVisible(state is not None and state.needs_review and (waiting_review or state.reviewed))
        may_review = state is not None and state.may_review
        self.review_button.setVisible(waiting_review)
        self.review_button.setEnabled(may_review)
        self.review_button.setToolTip(tr("审核后才能定稿") if may_review else tr("只有结对的老潘（主调）或主任可以审核小潘主持的协议"))
        editable = self.editable
        self.save_button.setVisible(editable and not self._revising)
        self.finalise_button.setVisible(state is not None and not finalised and self._actor.may(Action.FINALISE))
        ready = bundle is not None and bundle.check is not None and bundle.check.ok
        busy = self._dirty or self._saving
        self.finalise_button.setEnabled(bundle is not None and bundle.may_finalise and not busy and editable)
        self.finalise_button.setToolTip(
            tr("协议要素齐全后才能定稿") if not ready else tr("须先审核") if waiting_review else
            tr("请先保存") if busy else tr("定稿并分配协议编号（之后只读）"))
        self.revise_button.setVisible(state is not None and state.may_revise and not self._revising)
        name = f"人民调解协议书 {state.number or bundle.detail.intake_no}" if state else ""
        self.output.set_agreement(bundle.detail.id if state else None, copies=state.copies if state else 1, name=name)
        self.revision_bar.setVisible(self._revising)

    # ------------------------------------------------------------------ drafting and saving

    @Slot()
    def _on_draft_button_clicked(self) -> None:
        if self._bundle is not None:
            self._drafting = True
            self._show(self._bundle)
            self.steps.setCurrentIndex(STEP_DRAFT)
            self.editor.fields["facts"].editor.setFocus()

    @Slot()
    def _on_editor_edited(self) -> None:
        self._dirty = True
        self.preview.set_stale(True)
        if not self._revising:
            self._autosave.start()
        self._update_controls()

    @Slot()
    def _on_autosave_timeout(self) -> None:
        self.save(explicit=False)

    @Slot()
    def _on_save_requested(self) -> None:
        if self._revising:
            self.submit_revision()
        else:
            self.save()

    def save(self, *, explicit: bool = True) -> None:
        """Save the draft on the worker, then show the check. `explicit` (Ctrl+S, 保存) also redraws the preview."""
        self._autosave.stop()
        if not self.editable or self._revising or self._case_id is None:
            return
        self._preview_wanted |= explicit
        if self._saving:
            self._resave = True
            return
        if not self._dirty and self.state is not None:
            if explicit:
                self.refresh()  # nothing to save: show the check and the preview again
            return
        state, actor, case_id, draft = self.state, self._actor, self._case_id, self.editor.draft()
        version = state.version if state else None
        self._saving, self._dirty = True, False
        self._update_controls()
        self._write(self.tr("草稿未保存"),
                    lambda s: agreements.save_draft(s, actor=actor, case_id=case_id, draft=draft, expected_version=version),
                    saving=True)

    def _flush_edits(self) -> None:
        """Leaving a case with edits not yet saved: save them now (a failure is reported by the window)."""
        if self._dirty and self.editable and not self._revising and not self._saving:
            self.save(explicit=False)
        self._autosave.stop()

    def _write(self, what: str, call: Callable[[Any], Any], *, saving: bool = False,
               on_done: Callable[[], None] | None = None) -> None:
        """Run `call(session)`, read the bundle again in the same unit of work and show it (the write announces
        what it changed: an edit of the draft only the agreement, so the case detail around the editor stays)."""
        actor, case_id = self._actor, self._case_id

        def task(session) -> AgreementDetail:
            call(session)
            return agreements.agreement_detail(session, actor=actor, case_id=case_id)

        self._runner.write(task, on_done=lambda bundle: self._on_written(case_id, bundle, saving, on_done),
                           on_error=lambda error: self._on_write_failed(case_id, what, error, saving))

    def _on_written(self, case_id: int, bundle: AgreementDetail, saving: bool, on_done) -> None:
        if saving:
            self._saving = False
        if case_id == self._case_id:
            self.banner.setVisible(False)
            if on_done is not None:
                on_done()
            if saving:
                self._drafting = False
                self._editor_version = bundle.state.version  # the editor holds what was saved (or newer edits): no reload
            self._show(bundle)
            self.saved.emit(bundle.state)
        if saving and self._resave:  # edits made meanwhile (perhaps of the next case) waited for this save
            self._resave = False
            self.save(explicit=self._preview_wanted)

    def _on_write_failed(self, case_id: int, what: str, error: BaseException, saving: bool) -> None:
        if saving:
            self._saving, resave, self._resave = False, self._resave, False
            if case_id == self._case_id:
                self._dirty = True
            elif resave:
                self.save(explicit=False)
        if case_id != self._case_id:  # edits of a case the user has left: the window reports it
            failed = f"{what}：{error}" if isinstance(error, (DomainError, ValidationError)) else None
            self._runner.task_error.emit(DomainError(failed) if failed else error)
            return
        if isinstance(error, Conflict):
            self._dirty, self._editor_version = False, None
            self._show_banner(self.tr("%1。已重新读取，未保存的修改没有写入。").replace("%1", str(error)))
            self.refresh()
        else:
            self._show_refusal(error, what)
        self._update_controls()

    # ------------------------------------------------------------------ review, finalise, correct

    @Slot()
    def _on_review_button_clicked(self) -> None:
        state, actor, case_id = self.state, self._actor, self._case_id
        if state is not None:
            self._write(self.tr("未能审核"), lambda s: agreements.review(s, actor=actor, case_id=case_id, expected_version=state.version))

    @Slot()
    def _on_finalise_button_clicked(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("定稿编号"),
                          self.tr("定稿后分配协议编号，协议只读；以后的修改须作为更正并写明原因。现在定稿吗？"), parent=self)
        box.addButton(self.tr("定稿编号"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole))
        box.accepted.connect(self.finalise)
        self.confirm_box = box
        box.open()

    def finalise(self) -> None:
        """Number the agreement (the service checks the required elements and the review again)."""
        state, actor, case_id = self.state, self._actor, self._case_id
        if state is not None and not state.finalised:
            self._preview_wanted = True
            self._write(self.tr("未能定稿"), lambda s: agreements.finalise(s, actor=actor, case_id=case_id, expected_version=state.version))

    @Slot()
    def _on_revise_button_clicked(self) -> None:
        self._revising = True
        self.reason_box.set_error(None)
        self.editor.set_read_only(False)
        self.steps.setCurrentIndex(STEP_DRAFT)
        self._update_controls()
        self.reason_box.editor.setFocus()

    @Slot()
    def submit_revision(self) -> None:
        """Save the edited content as a new revision; the reason is required (also by the service)."""
        reason = self.reason_box.text()
        self.reason_box.set_error(None if reason else self.tr("不能为空：请写明更正原因"))
        state, actor, case_id, draft = self.state, self._actor, self._case_id, self.editor.draft()
        if not reason or state is None:
            self.reason_box.editor.setFocus()
            return
        self._preview_wanted = True

        def finish() -> None:
            self._revising, self._dirty, self._editor_version = False, False, None
            self.reason_box.editor.clear()

        self._write(self.tr("更正未保存"), lambda s: agreements.revise(s, actor=actor, case_id=case_id, expected_version=state.version,
                                                                    draft=draft, reason=reason), on_done=finish)

    @Slot()
    def _on_cancel_revision_button_clicked(self) -> None:
        self._revising, self._dirty, self._editor_version = False, False, None
        self.reason_box.set_error(None)
        if self._bundle is not None:
            self._show(self._bundle)

    @Slot(object)
    def _on_signatures_recorded(self, _state: AgreementState) -> None:
        self.refresh()

    # ------------------------------------------------------------------ preview, print, export

    @Slot()
    def _on_preview_refresh_requested(self) -> None:
        if self._dirty and self.editable and not self._revising:
            self.save(explicit=True)  # the preview shows what is saved: save first, the preview follows
        elif self.state is not None:
            self._preview_version = self.state.version
            self.preview.render(self._case_id)

    @Slot(bool, str)
    def _on_output_printed(self, ok: bool, message: str) -> None:
        self._show_banner(self.tr("已发送打印：%1").replace("%1", message) if ok else message, error=not ok)

    @Slot(str)
    def _on_output_exported(self, path: str) -> None:
        self._show_banner(self.tr("已导出 %1").replace("%1", path), error=False)

    @Slot(str)
    def _on_output_failed(self, message: str) -> None:
        self._show_banner(message)
        self.refused.emit(message)

    # ------------------------------------------------------------------ messages

    @Slot(str)
    def _on_check_panel_field_activated(self, path: str) -> None:
        widget = self.editor.focus_field(path)
        if widget is not None:
            self.steps.setCurrentIndex(STEP_DRAFT)
            self.editor_scroll.ensureWidgetVisible(widget)

    def _show_refusal(self, error: BaseException, what: str) -> None:
        """A refusal under its fields (what maps to no field goes to the banner); unexpected errors to the window."""
        if isinstance(error, Refused):
            self.editor.clear_errors()
            unmapped = self.editor.show_errors(error.errors)
            text = refusal_text(Refused(unmapped), what) if unmapped else self.tr("%1：请改正标红的项目。").replace("%1", what)
        elif isinstance(error, (DomainError, ValidationError)):
            if isinstance(error, ValidationError) and error.field == "更正原因":
                self.reason_box.set_error(error.message)
            elif isinstance(error, ValidationError):
                self.editor.show_errors([error])
            text = f"{what}：{error}"
        else:
            self._runner.task_error.emit(error)  # the window logs and shows unexpected errors once
            return
        self._show_banner(text)
        self.refused.emit(text)

    def _show_banner(self, text: str, *, error: bool = True) -> None:
        self.banner.setText(displayable(text, self.banner.fontMetrics()))  # 〓 for a glyph the UI font lacks
        self.banner.setStyleSheet(BANNER_CSS if error else f"color: {style.MUTED.name()}; padding: 2px;")
        self.banner.setVisible(True)
