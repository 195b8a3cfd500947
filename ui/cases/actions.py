"""The case's action bar and what its buttons do.

`ActionBar` shows exactly the moves `lifecycle.available_actions` returns for the case and the user (a move
whose precondition is missing is shown disabled with the reason as its tooltip); nothing else is offered.
`CaseActions` runs a move: it asks for what the move needs (a reason, a termination reason and destination, a
receiving mediator, new deadline and consent dates, a sitting), calls the service on the worker with the
version the screen showed; the write announces `data_changed` itself, so the list, the detail and the 工作台 refresh.
A refusal is shown in a dialog with the service's own words; a `Conflict` ("已被 … 修改，请刷新") also refreshes.
"""

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from laopan.errors import Conflict, DomainError
from laopan.labels import date_text
from laopan.services.dossier import DossierIncomplete
from laopan.services import assignment, deadlines, lifecycle, sessions
from laopan.services.actor import Actor
from laopan.services.lifecycle import DESTINATIONS, TERMINATION_REASONS
from laopan.views.cases import SessionView
from laopan.views.cases import CaseDetail
from laopan.views.workflow import ActionInfo
from ui.common import style
from ui.cases.assignment_dialog import AssignmentDialog
from ui.cases.escalation_dialog import EscalationDialog
from ui.cases.sessions_tab import SessionDialog
from ui.common.submit_dialog import SubmitDialog, date_edit, date_of, muted
from ui.common.worker import TaskRunner

log = logging.getLogger(__name__)

# Ctrl+Return runs the first of these the case offers: the move that takes it forward.
PRIMARY_ORDER = ("accept", "mediate", "settle", "close")
SHORTCUT_TEXT = {"escalate": "Ctrl+E", "assign": "Ctrl+Shift+A"}
OTHER_CHANNEL = "other_channel"
# Moves asked for confirmation, with what will happen, before the service is called.
CONFIRMED = frozenset({"settle", "terminate", "close", "reject"})


def primary_action(actions: list[ActionInfo]) -> ActionInfo | None:
    offered = {action.code: action for action in actions}
    return next((offered[code] for code in PRIMARY_ORDER if code in offered), None)


def done_text(code: str) -> str:
    from PySide6.QtCore import QCoreApplication

    texts = {
        "accept": "已受理", "reject": "已决定不予受理", "mediate": "已开始调解", "settle": "已记录调解成功",
        "terminate": "已终止调解", "close": "已结案归档", "reopen": "已重新打开", "escalate": "已上报",
        "return": "已退回下一级", "assign": "已指派调解员", "extend": "已延长调解期限", "add_session": "已新增调解记录",
        "edit_session": "已保存调解记录",
    }
    return QCoreApplication.translate("CaseActions", texts.get(code, "已保存"))


class ActionBar(QWidget):
    """One button per move the case offers, plus a short note on the right.

    Signals:
        triggered(str): the user pressed the button of this action code.
    """

    triggered = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(4)
        self.note_label = QLabel()
        self.note_label.setWordWrap(False)
        self._row.addStretch(1)
        self._row.addWidget(self.note_label)

    def set_actions(self, actions: list[ActionInfo]) -> None:
        for button in self.buttons.values():
            self._row.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        primary = primary_action(actions)
        for number, action in enumerate(actions):
            button = QPushButton(action.label + ("…" if action.needs_reason or action.code in _DIALOG_ACTIONS else ""))
            button.setObjectName(f"action_{action.code}")
            button.setEnabled(action.enabled)
            tips = [action.hint] if action.hint else []
            shortcut = "Ctrl+Return" if primary is not None and action.code == primary.code else SHORTCUT_TEXT.get(action.code)
            if shortcut:
                tips.append(self.tr("快捷键 %1").replace("%1", shortcut))
            button.setToolTip("\n".join(tips))
            if primary is not None and action.code == primary.code and action.enabled:
                button.setStyleSheet("font-weight: bold;")
            button.clicked.connect(lambda _checked=False, code=action.code: self.triggered.emit(code))
            self._row.insertWidget(number, button)
            button.show()  # the layout would only show it on the next event-loop turn
            self.buttons[action.code] = button

    def offered(self) -> list[tuple[str, bool]]:
        """(code, enabled) of the buttons shown, in order."""
        return [(code, button.isEnabled()) for code, button in self.buttons.items()]

    def show_note(self, text: str, *, error: bool = False) -> None:
        self.note_label.setText(text)
        self.note_label.setStyleSheet(style.ERROR_CSS if error else f"color: {style.MUTED.name()};")


_DIALOG_ACTIONS = frozenset({"escalate", "return", "assign", "extend", "add_session"})


class ReasonDialog(SubmitDialog):
    """A required free-text reason (不予受理, 重新打开)."""

    def __init__(self, title: str, ok_text: str, prompt: str, placeholder: str, parent: QWidget | None = None):
        super().__init__(title, ok_text, parent)
        self._prompt = prompt
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(placeholder)
        self.reason_edit.setTabChangesFocus(True)
        self.content.addWidget(QLabel(prompt))
        self.content.addWidget(self.reason_edit)
        self.resize(480, 260)

    def values(self) -> dict | None:
        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            self.set_error(self.tr("%1: 不能为空").replace("%1", self._prompt.rstrip("：")))
            return None
        return {"reason": reason}


class TerminateDialog(SubmitDialog):
    """调解终止: the reason from the code list and, for 转其他途径, where the case goes."""

    def __init__(self, intake_no: str, parent: QWidget | None = None):
        super().__init__(self.tr("调解终止 · %1").replace("%1", intake_no), self.tr("终止调解"), parent)
        self.reason_combo = QComboBox()
        self.reason_combo.addItem(self.tr("（请选择）"), None)
        for code, text in TERMINATION_REASONS.items():
            self.reason_combo.addItem(text, code)
        self.destination_combo = QComboBox()
        self.destination_combo.addItem(self.tr("（不适用）"), None)
        for code, text in DESTINATIONS.items():
            self.destination_combo.addItem(text, code)
        self.destination_combo.setEnabled(False)
        form = QFormLayout()
        form.addRow(self.tr("终止原因："), self.reason_combo)
        form.addRow(self.tr("去向："), self.destination_combo)
        self.content.addLayout(form)
        self.content.addWidget(muted(self.tr("案件离开街道（转法院、仲裁、公安、信访、行政机关）时，终止原因选“转其他途径”并选择去向。")))
        self.reason_combo.currentIndexChanged.connect(self._on_reason_combo_changed)
        self.resize(460, 220)

    @Slot(int)
    def _on_reason_combo_changed(self, _index: int) -> None:
        other = self.reason_combo.currentData() == OTHER_CHANNEL
        self.destination_combo.setEnabled(other)
        if not other:
            self.destination_combo.setCurrentIndex(0)

    def values(self) -> dict | None:
        reason = self.reason_combo.currentData()
        if reason is None:
            self.set_error(self.tr("终止原因: 请选择"))
            return None
        destination = self.destination_combo.currentData()
        if reason == OTHER_CHANNEL and destination is None:
            self.set_error(self.tr("去向: 转其他途径须选择去向"))
            return None
        return {"reason": reason, "destination": destination}


class ExtendDeadlineDialog(SubmitDialog):
    """延长调解期限: the new date and the dates both parties consented."""

    def __init__(self, detail: CaseDetail, *, today: dt.date, parent: QWidget | None = None):
        super().__init__(self.tr("延长调解期限 · %1").replace("%1", detail.intake_no), self.tr("延长"), parent)
        due = detail.due_on or today
        self.new_due_edit = date_edit(due + dt.timedelta(days=15), minimum=due + dt.timedelta(days=1))
        self.applicant_edit = date_edit(today, maximum=today)
        self.respondent_edit = date_edit(today, maximum=today)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("可选，如：双方同意待鉴定结果后再调"))
        form = QFormLayout()
        form.addRow(self.tr("当前期限："), QLabel(date_text(due)))
        form.addRow(self.tr("新期限："), self.new_due_edit)
        form.addRow(self.tr("申请人同意日期："), self.applicant_edit)
        form.addRow(self.tr("被申请人同意日期："), self.respondent_edit)
        form.addRow(self.tr("说明："), self.reason_edit)
        self.content.addLayout(form)
        self.content.addWidget(muted(self.tr("延长调解期限须经双方当事人同意，并记录同意日期。")))
        self.resize(440, 260)

    def values(self) -> dict:
        return {
            "new_due_on": date_of(self.new_due_edit), "applicant_consent_on": date_of(self.applicant_edit),
            "respondent_consent_on": date_of(self.respondent_edit), "reason": self.reason_edit.text().strip() or None,
        }


class CaseActions(QObject):
    """Runs one move at a time for the case shown in `parent`.

    Signals:
        done(str, object): an action code and the service's result, after the save (data_changed follows).
        refused(str, str): an action code and the refusal shown to the user.
    """

    done = Signal(str, object)
    refused = Signal(str, str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget):
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self._parent = parent
        self.dialog: QDialog | None = None
        self.message_box: QMessageBox | None = None
        self.confirm_box: QMessageBox | None = None

    # ------------------------------------------------------------------ asking

    def trigger(self, code: str, detail: CaseDetail, session_view: SessionView | None = None) -> None:
        """Start action `code` on the case as shown. The service decides whether it is allowed."""
        tr = self.tr
        if code in ("accept", "mediate"):
            self._submit(code, detail, {})
        elif code in ("settle", "close"):
            self._confirm(code, detail, {})
        elif code == "reject":
            self._open(code, detail, ReasonDialog(tr("不予受理 · %1").replace("%1", detail.intake_no), tr("不予受理"),
                                                  tr("不予受理理由："), tr("如：不属于民间纠纷，已告知当事人向法院起诉"), self._parent))
        elif code == "reopen":
            self._open(code, detail, ReasonDialog(tr("重新打开 · %1").replace("%1", detail.intake_no), tr("重新打开"),
                                                  tr("重新打开理由："), tr("如：当事人反映协议未履行，需继续调解"), self._parent))
        elif code == "terminate":
            self._open(code, detail, TerminateDialog(detail.intake_no, self._parent))
        elif code in ("escalate", "return"):
            self._open(code, detail, EscalationDialog(self._runner, self._actor, detail, down=code == "return", parent=self._parent))
        elif code == "assign":
            self._open(code, detail, AssignmentDialog(self._runner, self._actor, detail, self._parent))
        elif code == "extend":
            today = self._actor.today(detail.time_zone)
            self._open(code, detail, ExtendDeadlineDialog(detail, today=today, parent=self._parent))
        elif code in ("add_session", "edit_session"):
            existing = session_view if code == "edit_session" else None
            self._open(code, detail, SessionDialog(detail, now=self._actor.clock.now(), existing=existing, parent=self._parent))
        else:
            self._show_refusal(code, tr("未知的操作“%1”").replace("%1", code), title=tr("无法完成操作"))

    def _open(self, code: str, detail: CaseDetail, dialog: SubmitDialog) -> None:
        self._forget_dialog()
        self.dialog = dialog
        if code in CONFIRMED:
            dialog.submitted.connect(lambda values: self._confirm(code, detail, values, dialog))
        else:
            dialog.submitted.connect(lambda values: self._submit(code, detail, values, dialog))
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        dialog.open()

    def confirm_text(self, code: str, detail: CaseDetail, values: Any) -> str:
        """What the move will do, in the words the confirmation asks them (one sentence and 确定吗？)."""
        no = detail.intake_no
        if code == "settle":
            number = detail.agreement.number if detail.agreement is not None else None
            agreement = self.tr("协议编号%1").replace("%1", number) if number else self.tr("口头协议")
            return self.tr("将案件 %1 标记为调解成功后，案件进入结案前状态，只能结案归档；%2。确定吗？").replace("%1", no).replace("%2", agreement)
        if code == "terminate":
            reason = TERMINATION_REASONS.get(values.get("reason"), "")
            where = DESTINATIONS.get(values.get("destination") or "", "")
            said = reason + (f"（{where}）" if where else "")
            return self.tr("终止调解后，案件 %1 不再调解，只能结案归档；终止原因：%2。确定吗？").replace("%1", no).replace("%2", said)
        if code == "reject":
            return self.tr("决定不予受理后，案件 %1 不再调解，只能结案归档；理由：%2。确定吗？").replace("%1", no).replace(
                "%2", values.get("reason", ""))
        return self.tr("将案件 %1 结案归档？归档后案件只读，只有主任可以重新打开。").replace("%1", no)

    def _confirm(self, code: str, detail: CaseDetail, values: Any, dialog: SubmitDialog | None = None) -> None:
        """Settle, terminate, close and reject change what can happen to the case: ask first (shortcuts too)."""
        title = {"settle": "调解成功", "terminate": "调解终止", "reject": "不予受理", "close": "结案归档"}[code]
        parent = dialog if dialog is not None else self._parent
        box = QMessageBox(QMessageBox.Icon.Question, self.tr(title), self.confirm_text(code, detail, values), parent=parent)
        box.addButton(self.tr(title), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.accepted.connect(lambda: self._submit(code, detail, values, dialog))
        if dialog is not None:
            box.rejected.connect(lambda: dialog.set_busy(False))
        if self.confirm_box is not None and shiboken6.isValid(self.confirm_box):  # one asked inside a dialog died with it
            self.confirm_box.deleteLater()
        self.confirm_box = box
        box.open()

    def _forget_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _on_dialog_finished(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    # ------------------------------------------------------------------ saving

    def _call(self, code: str, detail: CaseDetail, values: Any) -> Callable[[Any], Any]:
        actor, case_id, version = self._actor, detail.id, detail.version
        common = {"actor": actor, "case_id": case_id, "expected_version": version}
        simple = {"accept": lifecycle.accept, "mediate": lifecycle.start_mediating, "settle": lifecycle.settle,
                  "close": lifecycle.close, "reject": lifecycle.reject, "reopen": lifecycle.reopen,
                  "terminate": lifecycle.terminate, "extend": deadlines.extend_deadline}
        if code in simple:
            service = simple[code]
            return lambda s: service(s, **common, **values)
        if code in ("escalate", "return"):
            service = lifecycle.escalate if code == "escalate" else lifecycle.return_down
            return lambda s: service(s, **common, reason=values.reason, to_mediator_id=values.to_mediator_id, recusal=values.recusal)
        if code == "assign":
            return lambda s: assignment.assign_mediator(s, **common, mediator_id=values.mediator_id, role=values.role,
                                                        pairing_id=values.pairing_id, recusal=values.recusal)
        fields = {"held_at": values.held_at, "place": values.place, "mediators": values.mediators,
                  "parties_present": values.parties_present, "participants": values.participants,
                  "statements": values.statements, "result": values.result}
        if code == "add_session":
            return lambda s: sessions.add_session(s, actor=actor, case_id=case_id, **fields)
        record = values.session
        return lambda s: sessions.update_session(s, actor=actor, session_id=record.id, expected_version=record.version, **fields)

    def _submit(self, code: str, detail: CaseDetail, values: Any, dialog: SubmitDialog | None = None) -> None:
        self._runner.write(
            self._call(code, detail, values),
            on_done=lambda result: self._on_saved(code, values, dialog, result),
            on_error=lambda error: self._on_failed(code, detail, dialog, error),
        )

    def _on_saved(self, code: str, values: Any, dialog: SubmitDialog | None, result: Any) -> None:
        if code == "assign" and not result.assigned:
            # A 更换 decision was recorded; the mediator was not assigned. Let the user pick another.
            if dialog is not None and self.dialog is dialog:
                dialog.set_busy(False)
                dialog.replaced(values.name)
            self.done.emit(code, result)
            return
        if dialog is not None:
            dialog.accept()
        self.done.emit(code, result)

    def _offer_forced_close(self, detail: CaseDetail, error: "DossierIncomplete") -> None:
        """A supervisor may close an incomplete 卷宗 anyway: the service asks for a reason and audits it."""
        tr = self.tr
        missing = "、".join(error.missing)
        dialog = ReasonDialog(tr("卷宗不全 · %1").replace("%1", detail.intake_no), tr("仍然结案归档"),
                              tr("强制结案理由："), tr("如：当事人拒绝提供身份证明复印件，已记录在案"), self._parent)
        dialog.content.insertWidget(0, QLabel(tr("卷宗缺少：%1。\n主任可以说明理由后仍然结案（记入操作日志）。").replace("%1", missing)))
        self._forget_dialog()
        self.dialog = dialog
        dialog.submitted.connect(lambda values: self._submit("close", detail, {"force": True, "reason": values["reason"]}, dialog))
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        dialog.open()

    def _on_failed(self, code: str, detail: CaseDetail, dialog: SubmitDialog | None, error: BaseException) -> None:
        if not isinstance(error, DomainError):
            if dialog is not None:
                dialog.set_busy(False)
            self._runner.task_error.emit(error)  # the window logs it and shows it once
            return
        message = str(error)
        if isinstance(error, DossierIncomplete) and error.may_force:
            self._offer_forced_close(detail, error)
            return
        if isinstance(error, Conflict):
            if dialog is not None:
                dialog.reject()
            self._show_refusal(code, message, title=self.tr("案件已被他人修改"))
            self._runner.announce_stale({"case"}, {detail.id})  # show what is there now
            return
        if dialog is not None and self.dialog is dialog:
            dialog.set_busy(False)
            dialog.set_error(message)
            self.refused.emit(code, message)
            return
        self._show_refusal(code, message, title=self.tr("无法完成操作"))

    def _show_refusal(self, code: str, message: str, *, title: str) -> None:
        parent = self.dialog if self.dialog is not None else self._parent
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if self.message_box is not None:
            self.message_box.deleteLater()
        self.message_box = box
        box.open()
        self.refused.emit(code, message)
