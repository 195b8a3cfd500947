"""The liaison's actions on one referral: 首次联系, 反馈结果, 退回公安, 报告公安.

Each dialog checks its fields as the user leaves them (a time not in the future and not before the referral, a
return reason, a feedback result), then runs the service on the worker with the `ReferralRow.version` it was
opened with. A refusal the service names a field for is shown under that field; a `Conflict` (someone else saved
the referral meanwhile) is shown in a message box, and the dialog closes so the list can be read again.
"""

import datetime as dt
from html import escape
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TR_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import Conflict, DomainError, Refused
from laopan.labels import choices
from laopan.models.enums import CaseStatus, FeedbackResult, PerformanceStatus
from laopan.services.actor import Actor
from laopan.services.cases import case_detail
from laopan.services.referrals import (
    police_reports,
    record_feedback,
    record_first_contact,
    report_to_police,
    return_to_police,
)
from laopan.validation import ValidationError, check_not_before, check_not_future
from laopan.views.referrals import ReferralRow
from ui.common import style
from ui.common.case_form import SavingFormDialog, datetime_edit, edited_instant, set_edited_instant
from ui.common.fields import FieldBox, combo, field_label, line_edit, select_code
from ui.liaison.model import local_text
from ui.common.worker import TaskRunner


USER_ERRORS = (DomainError, ValidationError)  # refusals a user can act on (ValidationError is no DomainError)


def _text_box(placeholder: str, height: int = 64) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


class ReferralActionDialog(SavingFormDialog):
    """What every action dialog shares: the referral summary, fields with errors underneath, saving, conflicts.

    Signals:
        saved(object): the service's answer (a ReferralRow, or a PoliceReportView for a report).
        stale(): the referral was changed elsewhere since it was read (the list should be read again).
    """

    saved = Signal(object)
    stale = Signal()

    TITLE = ""
    TIME_KEY = "at"
    TIME_LABEL = ""
    SERVICE_FIELDS: dict[str, str] = {}  # the service's field name → key of `fields`

    def __init__(self, runner: TaskRunner, actor: Actor, row: ReferralRow, time_zone: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self.row = row
        self._zone = ZoneInfo(time_zone)
        self.fields: dict[str, FieldBox] = {}
        self.conflict_box: QMessageBox | None = None
        self.answer: Any = None
        self._group = f"referral-dialog-{id(self)}"
        self.setWindowTitle(self.tr(self.TITLE))
        self._build()
        self._connect_signals()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字" * 34))

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        tr = self.tr
        row = self.row
        summary = QLabel(
            f"<b>{escape(row.intake_no)}</b>　{tr('警情')} {escape(row.incident_no)}　{escape(row.station)}<br>{escape(row.parties)}<br>"
            f"<span style='color:{style.MUTED.name()}'>{tr('移交')} {local_text(row.referred_at, self._zone)}　"
            f"{tr('首次联系')} {local_text(row.first_contact_at, self._zone) or tr('未联系')}</span>"
        )
        summary.setWordWrap(True)
        summary.setTextFormat(Qt.TextFormat.RichText)
        self._build_save_cancel()

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(6)
        self._one_line = QLineEdit()
        self._build_fields()
        self._add(self.TIME_KEY, self.tr(self.TIME_LABEL), datetime_edit(self._actor.clock.now(), self._zone))


        outer = QVBoxLayout(self)
        outer.addWidget(summary)
        outer.addWidget(self.banner)
        outer.addLayout(self.form)
        outer.addStretch(1)
        outer.addWidget(self.buttons)

    def _build_fields(self) -> None:
        """Add the dialog's own fields with `_add` (the time field comes last)."""

    def _add(self, key: str, text: str, editor: QWidget) -> FieldBox:
        box = FieldBox(editor)
        self.fields[key] = box
        self.form.addRow(field_label(text, self._one_line), box)  # level with a one-line editor, even for a text box
        return box

    def _connect_signals(self) -> None:
        for key, box in self.fields.items():
            box.left.connect(lambda key=key: self.validate_field(key))
        self._connect_save_cancel()

    # ------------------------------------------------------------------ values and checks

    def instant(self) -> dt.datetime:
        return edited_instant(self.fields[self.TIME_KEY].editor, self._zone)

    def set_instant(self, instant: dt.datetime) -> None:
        set_edited_instant(self.fields[self.TIME_KEY].editor, instant, self._zone)

    def earliest(self) -> tuple[dt.datetime, str] | None:
        """The earliest allowed time and what it is (default: the referral itself)."""
        return self.row.referred_at, self.tr("警情移交时间")

    def check_field(self, key: str) -> str | None:
        if key != self.TIME_KEY:
            return None
        at, field, earliest = self.instant(), self.tr(self.TIME_LABEL), self.earliest()
        try:  # the service's own rules (laopan.validation), checked as the user leaves the field
            check_not_future(at, now=self._actor.clock.now(), field=field)
            if earliest is not None:  # the editor shows whole minutes: the earlier event's own minute is allowed
                check_not_before(at, earliest[0].replace(second=0, microsecond=0), field=field, earliest_name=earliest[1],
                                 shown=local_text(earliest[0], self._zone))
        except ValidationError as error:
            return error.message
        return None

    def validate(self) -> bool:
        return all([self.validate_field(key) for key in self.fields])

    def _text(self, key: str) -> str | None:
        return self.fields[key].text() or None

    # ------------------------------------------------------------------ saving

    def task(self) -> Callable[[Any], Any]:
        """The service call to run on the worker (reads every value now, on the GUI thread)."""
        raise NotImplementedError

    def values(self) -> Callable[[Any], Any] | None:
        self.set_error(None)
        if not self.validate():
            self.set_error(self.tr(self.UNSAVED))
            return None
        return self.task()

    def send(self, values: object) -> None:
        self._runner.write(values, on_done=self._on_saved, on_error=self._on_save_failed, group=self._group)

    def _on_saved(self, answer: Any) -> None:
        self.set_busy(False)
        self.answer = answer
        self.saved.emit(answer)
        self._close_saved()

    def _on_save_failed(self, error: BaseException) -> None:
        self.set_busy(False)
        if isinstance(error, Conflict):
            self._show_conflict(str(error))
        elif isinstance(error, ValidationError) and error.field in self.SERVICE_FIELDS:
            self.show_refused(Refused([error]))
        else:
            self.show_save_failure(error, as_is=USER_ERRORS, log_message="保存警情操作失败")

    def _show_at(self, field: str, message: str) -> bool:
        if field not in self.SERVICE_FIELDS:
            return False
        self.fields[self.SERVICE_FIELDS[field]].set_error(message)
        return True

    def _show_conflict(self, message: str) -> None:
        self.stale.emit()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("未保存"),
                          self.tr("%1\n列表已重新读取，请核对后再操作。").replace("%1", message), parent=self)
        box.finished.connect(self._on_conflict_box_finished)
        self.conflict_box = box
        box.open()

    @Slot()
    def _on_conflict_box_finished(self) -> None:
        self.conflict_box = None
        self.reject()

    def reject(self) -> None:
        if self.busy:
            return
        self._runner.cancel(self._group)
        super().reject()


class FirstContactDialog(ReferralActionDialog):
    TITLE = QT_TR_NOOP("记录首次联系")
    TIME_LABEL = QT_TR_NOOP("联系时间")
    SERVICE_FIELDS = {"首次联系时间": "at"}

    def _build_fields(self) -> None:
        self._add("note", self.tr("联系情况"), _text_box(self.tr("如：电话联系双方，约定11月28日上午到警调中心调解")))

    def task(self) -> Callable[[Any], Any]:
        actor, row, at, note = self._actor, self.row, self.instant(), self._text("note")
        return lambda session: record_first_contact(session, actor=actor, case_id=row.case_id, expected_version=row.version, at=at, note=note)


class FeedbackDialog(ReferralActionDialog):
    """Feedback to the station. The result is required; 调解成功 fills in the case's agreement number."""

    TITLE = QT_TR_NOOP("向派出所反馈结果")
    TIME_LABEL = QT_TR_NOOP("反馈时间")
    SERVICE_FIELDS = {"反馈时间": "at"}

    case_agreement_no: str | None = None  # read from the case when the dialog opens
    case_status: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._load_case()

    def _build_fields(self) -> None:
        tr = self.tr
        self._add("result", tr("反馈结果"), combo([(tr("请选择"), None), *choices(FeedbackResult)]))
        self._add("agreement_no", tr("协议编号"), line_edit(tr("调解成功时填写"), max_length=64))
        self._add("performance", tr("履行情况"), combo([(tr("（不填）"), None), *choices(PerformanceStatus)]))
        self._add("content", tr("反馈内容"), _text_box(tr("向派出所说明调解经过与结果")))

    def _connect_signals(self) -> None:
        super()._connect_signals()
        self.fields["result"].editor.currentIndexChanged.connect(self._on_result_combo_changed)
        self._on_result_combo_changed()

    def _load_case(self) -> None:
        actor, case_id = self._actor, self.row.case_id
        self._runner.read(lambda session: case_detail(session, actor=actor, case_id=case_id, reveal=False),
                          on_done=self._on_case_loaded, on_error=self._on_save_failed, group=self._group)

    def _on_case_loaded(self, detail) -> None:
        self.case_status = detail.status
        self.case_agreement_no = detail.agreement.number if detail.agreement is not None else None
        outcome = detail.status_before_close if detail.status == CaseStatus.CLOSED.value else detail.status
        result = self.fields["result"].editor
        if result.currentData() is None:
            if outcome == CaseStatus.SETTLED.value:
                select_code(result, FeedbackResult.SETTLED.value)
            elif outcome in (CaseStatus.TERMINATED.value, CaseStatus.REJECTED.value):
                select_code(result, FeedbackResult.NOT_SETTLED.value)
        self._on_result_combo_changed()

    def earliest(self) -> tuple[dt.datetime, str] | None:
        if self.row.first_contact_at is None:
            return super().earliest()
        return self.row.first_contact_at, self.tr("首次联系时间")

    @property
    def result(self) -> FeedbackResult | None:
        code = self.fields["result"].editor.currentData()
        return FeedbackResult(code) if code else None

    @Slot()
    def _on_result_combo_changed(self) -> None:
        settled = self.result is FeedbackResult.SETTLED
        agreement = self.fields["agreement_no"].editor
        if settled and not agreement.text().strip() and self.case_agreement_no:
            agreement.setText(self.case_agreement_no)
        for key in ("agreement_no", "performance"):
            self.fields[key].editor.setEnabled(settled)
        if self.result is not None:
            self.fields["result"].set_error(None)

    def check_field(self, key: str) -> str | None:
        if key == "result" and self.result is None:
            return self.tr("请选择反馈结果")
        return super().check_field(key)

    def task(self) -> Callable[[Any], Any]:
        actor, row, at = self._actor, self.row, self.instant()
        result = self.result
        assert result is not None
        settled = result is FeedbackResult.SETTLED
        agreement_no = self._text("agreement_no") if settled else None
        performance_code = self.fields["performance"].editor.currentData() if settled else None
        performance = PerformanceStatus(performance_code) if performance_code else None
        content = self._text("content")
        return lambda session: record_feedback(
            session, actor=actor, case_id=row.case_id, expected_version=row.version, result=result, content=content,
            performance=performance, agreement_no=agreement_no, at=at,
        )


class ReturnDialog(ReferralActionDialog):
    TITLE = QT_TR_NOOP("退回公安机关")
    TIME_LABEL = QT_TR_NOOP("退回时间")
    SERVICE_FIELDS = {"退回原因": "reason"}

    def _build_fields(self) -> None:
        self._add("reason", self.tr("退回原因"), _text_box(self.tr("必填，如：一方拒绝调解，建议依法处理")))

    def check_field(self, key: str) -> str | None:
        if key == "reason" and not self.fields["reason"].text():
            return self.tr("请填写退回原因")
        return super().check_field(key)

    def task(self) -> Callable[[Any], Any]:
        actor, row, at, reason = self._actor, self.row, self.instant(), self.fields["reason"].text()
        return lambda session: return_to_police(session, actor=actor, case_id=row.case_id, expected_version=row.version, reason=reason, at=at)


class ReportDialog(ReferralActionDialog):
    """人民调解法 Art. 25: a dispute that may turn into a public-order or criminal case is reported to the police."""

    TITLE = QT_TR_NOOP("报告公安机关")
    TIME_LABEL = QT_TR_NOOP("报告时间")
    SERVICE_FIELDS = {"报告对象": "reported_to"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actor, case_id = self._actor, self.row.case_id
        self._runner.read(lambda session: police_reports(session, actor=actor, case_id=case_id),
                          on_done=self._on_reports_loaded, on_error=self._on_save_failed, group=self._group)

    def _build_fields(self) -> None:
        tr = self.tr
        edit = line_edit(tr("如：东柳派出所 值班民警"), max_length=100)
        edit.setText(self.row.station)
        self._add("reported_to", tr("报告对象"), edit)
        self._add("note", tr("报告内容"), _text_box(tr("可能激化的情形、已采取的措施")))
        self.earlier = QLabel()
        self.earlier.setWordWrap(True)
        self.earlier.setTextFormat(Qt.TextFormat.RichText)
        self.earlier.setStyleSheet(f"color: {style.MUTED.name()};")
        self.earlier.setVisible(False)
        self.form.addRow(self.earlier)

    def _on_reports_loaded(self, reports) -> None:
        if reports:
            lines = [escape(f"{local_text(r.reported_at, self._zone)}　{r.reported_to}　{r.note}") for r in reports]
            self.earlier.setText(self.tr("此前已报告：") + "<br>" + "<br>".join(lines))
            self.earlier.setVisible(True)

    def check_field(self, key: str) -> str | None:
        if key == "reported_to" and not self.fields["reported_to"].text():
            return self.tr("请填写报告对象")
        return super().check_field(key)

    def earliest(self) -> tuple[dt.datetime, str] | None:
        return None  # a report can concern any moment of the case

    def task(self) -> Callable[[Any], Any]:
        actor, row, at = self._actor, self.row, self.instant()
        reported_to, note = self.fields["reported_to"].text(), self.fields["note"].text()
        return lambda session: report_to_police(session, actor=actor, case_id=row.case_id, reported_to=reported_to, note=note, at=at)
