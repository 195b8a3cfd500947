"""The repeat-party line of the case detail: "张伟另有 3 件案件 · 其中 1 件有民转刑风险", and on 查看 the list of those
cases (a click opens one). Read with the detail on the worker (`laopan.services.people.repeat_parties`)."""

import html

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from laopan.labels import date_text, label
from laopan.models.enums import CaseStatus
from laopan.views.people import EarlierCase, RepeatParties
from ui.common import style


def summary_text(repeats: RepeatParties) -> str:
    """"张伟另有 3 件案件 · 其中 1 件有民转刑风险 · 同一双方另有 2 次警情移交" ("" when there is nothing to say)."""
    if not repeats.people:
        return ""
    parts = ["，".join(f"{p.name}另有 {len(p.cases)} 件案件" for p in repeats.people)]
    if repeats.risky:
        parts.append(f"其中 {repeats.risky} 件有民转刑风险")
    if repeats.repeat_referrals:
        parts.append(f"同一双方另有 {len(repeats.repeat_referrals)} 次警情移交")
    return " · ".join(parts)


def case_line(case: EarlierCase, zone) -> str:
    when = date_text(case.received_at.astimezone(zone).date())
    risk = "  ⚠ 民转刑风险" if case.criminal_risk else ""
    referred = "  警情移交" if case.referred else ""
    return f"{case.intake_no}  {label(CaseStatus, case.status)}  {when}  {case.parties}{referred}{risk}"


class RepeatPartiesBar(QFrame):
    """Hidden while the case's people have no other records.

    Signals:
        case_requested(int): the user clicked one of the other cases (its id).
    """

    case_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setVisible(False)
        self.list.setMaximumHeight(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(2)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.list)
        self.text = ""
        self.summary_label.linkActivated.connect(self._on_summary_label_link_activated)
        self.list.itemClicked.connect(self._on_list_item_clicked)
        self.setVisible(False)

    def set_repeats(self, repeats: RepeatParties | None, zone) -> None:
        self.text = summary_text(repeats) if repeats is not None else ""
        self.list.clear()
        self.list.setVisible(False)
        self.setVisible(bool(self.text))
        if not self.text:
            return
        colour = style.OVERDUE.name() if repeats.risky else style.MUTED.name()
        self.summary_label.setText(f"<span style='color:{colour}'>{html.escape(self.text)}</span>"
                                   f" <a href='show'>{html.escape(self.tr('查看'))}</a>")
        for case in (*repeats.cases, *(c for c in repeats.repeat_referrals if c.id not in {x.id for x in repeats.cases})):
            item = QListWidgetItem(case_line(case, zone))
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            self.list.addItem(item)

    @Slot(str)
    def _on_summary_label_link_activated(self, _link: str) -> None:
        self.list.setVisible(not self.list.isVisible())

    @Slot(QListWidgetItem)
    def _on_list_item_clicked(self, item: QListWidgetItem) -> None:
        self.case_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
