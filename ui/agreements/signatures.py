"""The signing step (`SignaturesPanel`) and 登记签署 (`SignatureDialog`): the wet signatures on the printed
agreement — who, how (签名 / 盖章 / 按指印) and on which day — the effective date and the signed scan.

A party signs, seals or fingerprints (人民调解法 Art. 29); the mediator and the recorder sign; the committee's
seal is applied. The dialog only collects the values; the tab records them through `record_signature` and
leaves the dialog open with the service's refusal when there is one.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from laopan.clock import DEFAULT_TZ
from laopan.labels import date_text, label
from laopan.models.enums import AgreementKind, CaseMediatorRole, PartyRole
from laopan.services.actor import Actor
from laopan.errors import DomainError
from laopan.services.agreements import attach_scan, record_signature
from laopan.validation import ValidationError
from laopan.views.agreements import AgreementState, SignatureView
from laopan.views.cases import CaseDetail
from ui.common import style
from ui.common.row_table import Column, RowTableModel, selected_row, table_view
from ui.common.submit_dialog import SubmitDialog, date_edit, date_of, muted
from ui.common.worker import TaskRunner

SCAN_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".tif": "image/tiff", ".tiff": "image/tiff"}
METHOD_LABELS = {"signed": "签名", "sealed": "盖章", "fingerprinted": "按指印"}
FIXED_METHODS = {"mediator": "signed", "recorder": "signed", "seal": "sealed"}


@dataclass(frozen=True)
class SignatureValues:
    signer_kind: str
    party_id: int | None
    method: str
    signed_on: dt.date


def signer_key(signature: SignatureView) -> tuple[str, int | None]:
    return signature.signer_kind, signature.party_id


def signer_names(detail: CaseDetail) -> dict[tuple[str, int | None], str]:
    """How the signers read: 申请人 张伟, 人民调解员 潘明杰, 记录人, 调委会印章 (by `signer_key`)."""
    names: dict[tuple[str, int | None], str] = {("party", p.id): f"{label(PartyRole, p.role)} {p.name}" for p in detail.parties}
    lead = next((m.name for m in detail.mediators if m.role == CaseMediatorRole.LEAD.value), "")
    recorder = next((m.name for m in detail.mediators if m.role == CaseMediatorRole.RECORDER.value), "")
    names[("mediator", None)] = f"人民调解员 {lead}".strip()
    names[("recorder", None)] = f"记录人 {recorder}".strip()
    names[("seal", None)] = "调委会印章"
    return names


def attach_scan_file(session, *, actor: Actor, case_id: int, path: Path) -> AgreementState:
    """Store the signed scan: the file is read here, on the worker; the service checks its type and size."""
    mime = SCAN_TYPES.get(path.suffix.lower())
    if mime is None:
        raise ValidationError("扫描件", "只接受 PDF、PNG、JPEG 或 TIFF")
    return attach_scan(session, actor=actor, case_id=case_id, filename=path.name, data=path.read_bytes(), mime=mime)


class SignatureDialog(SubmitDialog):
    """Record one signature of an agreement.

    Args:
        signers: Those who have not signed yet, in the order of the signature table.
        names: How each signer reads in the dialog ("被申请人 李秀英"), by `signer_key`.
        selected: The signer to start with (the row selected in the table), if any.
        today: The latest allowed date.
    """

    def __init__(self, number: str, signers: Sequence[SignatureView], names: Mapping[tuple[str, int | None], str], *,
                 today: dt.date, selected: SignatureView | None = None, parent: QWidget | None = None):
        tr = self.tr
        super().__init__(tr("登记签署 · %1").replace("%1", number), tr("登记"), parent)
        self.signer_combo = QComboBox()
        for signature in signers:
            self.signer_combo.addItem(names.get(signer_key(signature), signature.label), signature)
        if selected is not None:
            index = next((i for i, s in enumerate(signers) if signer_key(s) == signer_key(selected)), 0)
            self.signer_combo.setCurrentIndex(index)
        self.method_combo = QComboBox()
        for code, text in METHOD_LABELS.items():
            self.method_combo.addItem(tr(text), code)
        self.date_edit = date_edit(today, maximum=today)
        form = QFormLayout()
        form.addRow(tr("签署人："), self.signer_combo)
        form.addRow(tr("签署方式："), self.method_combo)
        form.addRow(tr("签署日期："), self.date_edit)
        self.content.addLayout(form)
        self.content.addWidget(muted(tr("当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起协议生效。")))
        self.signer_combo.currentIndexChanged.connect(self._on_signer_combo_changed)
        self._on_signer_combo_changed()
        self.resize(440, 220)

    @property
    def signer(self) -> SignatureView | None:
        return self.signer_combo.currentData()

    def set_method(self, method: str) -> None:
        self.method_combo.setCurrentIndex(self.method_combo.findData(method))

    def set_date(self, value: dt.date) -> None:
        self.date_edit.setDate(QDate(value.year, value.month, value.day))

    @Slot()
    def _on_signer_combo_changed(self) -> None:
        signer = self.signer
        fixed = FIXED_METHODS.get(signer.signer_kind) if signer is not None else None
        if fixed is not None:
            self.set_method(fixed)
        self.method_combo.setEnabled(fixed is None)

    def values(self) -> SignatureValues | None:
        signer = self.signer
        if signer is None:
            self.set_error(self.tr("签署人: 请选择"))
            return None
        return SignatureValues(signer.signer_kind, signer.party_id, self.method_combo.currentData(), date_of(self.date_edit))


class SignaturesPanel(QWidget):
    """The signing step: every signer with how and when they signed, the effective date, the signed scan.
    Signatures and scans are stored through the services on the worker.

    Signals:
        recorded(object): a signature or the scan was stored; the AgreementState after it.
        refused(str): the service refused (the message, also shown in the dialog or the note).
    """

    recorded = Signal(object)
    refused = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self._state: AgreementState | None = None
        self._today = actor.today(DEFAULT_TZ)  # until set_state brings the committee's own day
        self._names: Mapping[tuple[str, int | None], str] = {}
        self._can_sign = False
        self.dialog: SignatureDialog | None = None
        self.model = RowTableModel([
            Column(tr("签署人"), lambda s: self._names.get(signer_key(s), s.label), stretch=True),
            Column(tr("方式"), lambda s: tr(METHOD_LABELS.get(s.method or "", "")) if s.method else tr("未签署"),
                   colour=lambda s: None if s.method else style.MUTED),
            Column(tr("日期"), lambda s: date_text(s.signed_on)),
            Column(tr("生效要件"), lambda s: tr("不影响生效") if s.signer_kind == "recorder" else tr("必需")),
        ], self)
        self.view = table_view(self.model)
        self.sign_button = QPushButton(tr("登记签署…"))
        self.scan_button = QPushButton(tr("上传扫描件…"))
        self.scan_label = muted()
        self.note_label = muted()
        self.effective_label = QLabel()
        self.effective_label.setWordWrap(True)
        self.effective_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_button)
        buttons.addStretch(1)
        buttons.addWidget(self.scan_label)
        buttons.addWidget(self.scan_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note_label)
        layout.addWidget(self.effective_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.scan_button.clicked.connect(self._on_scan_button_clicked)
        self.view.doubleClicked.connect(self._on_sign_button_clicked)
        self.set_state(None, None, {}, today=self._today)

    def set_state(self, case_id: int | None, state: AgreementState | None, names: Mapping[tuple[str, int | None], str], *,
                  today: dt.date) -> None:
        tr = self.tr
        self._case_id, self._state, self._names, self._today = case_id, state, names, today
        rows = state.signatures if state is not None else ()
        self.model.set_rows(rows)
        written = state is not None and state.kind == AgreementKind.WRITTEN.value
        self._can_sign = state is not None and state.may_sign
        self.sign_button.setEnabled(self._can_sign)
        self.scan_button.setEnabled(state is not None and state.finalised)
        self.scan_label.setText(tr("已上传扫描件") if state is not None and state.has_scan else tr("尚未上传扫描件"))
        self.scan_label.setStyleSheet(f"color: {style.MUTED.name()};")
        if state is None:
            note = tr("保存草稿后，定稿编号并打印，再在此登记签署。")
        elif not written:
            note = tr("口头协议不签署协议书，定稿之日起生效。")
        elif not state.finalised:
            note = tr("协议定稿编号后才能登记签署。")
        else:
            note = tr("打印后请各方签署；份数：%1 份（当事人各执一份，调委会留存一份）。").replace("%1", str(state.copies))
        self.note_label.setText(note)
        self.effective_label.setText(effective_text(state, names) if state is not None else "")
        colour = "#2e7d32" if state is not None and state.effective_on else ("#b26a00" if state and state.finalised else "")
        self.effective_label.setStyleSheet(f"color: {colour};" if colour else "")

    @property
    def can_sign(self) -> bool:
        return self._can_sign

    def selected(self) -> SignatureView | None:
        return selected_row(self.view)

    @Slot()
    def _on_sign_button_clicked(self) -> None:
        self.open_dialog(self.selected())

    def open_dialog(self, selected: SignatureView | None = None) -> SignatureDialog | None:
        """登记签署, starting with `selected` (or the first signer still missing)."""
        if not self._can_sign or self._state is None:
            return None
        unsigned = [s for s in self._state.signatures if s.method is None]
        dialog = SignatureDialog(self._state.number or "", unsigned, self._names, today=self._today, selected=selected, parent=self)
        dialog.submitted.connect(lambda values: self._store(values, dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _store(self, values: "SignatureValues | Path", dialog: SignatureDialog | None = None) -> None:
        actor, case_id = self._actor, self._case_id
        if isinstance(values, Path):
            call = lambda s: attach_scan_file(s, actor=actor, case_id=case_id, path=values)  # noqa: E731
        else:
            call = lambda s: record_signature(s, actor=actor, case_id=case_id, signer_kind=values.signer_kind,  # noqa: E731
                                              party_id=values.party_id, method=values.method, signed_on=values.signed_on)
        self._runner.write(call, on_done=lambda state: self._on_stored(case_id, state, dialog),
                           on_error=lambda error: self._on_store_failed(case_id, error, dialog))

    def _on_stored(self, case_id: int, state: AgreementState, dialog: SignatureDialog | None) -> None:
        if dialog is not None:
            dialog.accept()
        if case_id == self._case_id:
            self.set_state(case_id, state, self._names, today=self._today)
            self.recorded.emit(state)

    def _on_store_failed(self, case_id: int, error: BaseException, dialog: SignatureDialog | None) -> None:
        if not isinstance(error, (DomainError, ValidationError, OSError)):
            if dialog is not None:
                dialog.set_busy(False)
            self._runner.task_error.emit(error)  # the window logs and shows unexpected errors once
            return
        message = f"{error.strerror}（{error.filename}）" if isinstance(error, OSError) else str(error)
        if dialog is not None and self.dialog is dialog:
            dialog.set_busy(False)
            dialog.set_error(message)
        elif case_id == self._case_id:
            self.scan_label.setText(message)
            self.scan_label.setStyleSheet(style.ERROR_CSS)
        self.refused.emit(message)

    @Slot()
    def _on_scan_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("上传签署后的协议扫描件"), str(Path.home()),
                                              self.tr("扫描件 (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"))
        if path:
            self.attach_scan(Path(path))

    def attach_scan(self, path: Path) -> None:
        """Store the scan of the signed copy (read on the worker; the service checks its type and size)."""
        if self._case_id is not None and self._state is not None:
            self._store(path)


def effective_text(state: AgreementState, names: Mapping[tuple[str, int | None], str]) -> str:
    """生效日期 and the 司法确认 deadline once effective; otherwise who has yet to sign."""
    if state.effective_on is not None:
        text = f"生效日期：{date_text(state.effective_on)}"
        if state.judicial_confirmation_until is not None:
            text += f"　司法确认申请截止：{date_text(state.judicial_confirmation_until)}"
        return text
    if not state.finalised or state.kind != AgreementKind.WRITTEN.value:
        return ""
    waiting = [names.get(signer_key(s), s.label) for s in state.signatures if s.method is None and s.signer_kind != "recorder"]
    return f"尚未生效：待 {'、'.join(waiting)} 签署" if waiting else ""
