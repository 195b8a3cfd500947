"""At intake, under a party's fields: "此人另有 2 件案件 · 其中 1 件有民转刑风险" as soon as the ID number (or the
name and phone) identifies someone already on record. Read on the worker a moment after the typing stops."""

import shiboken6
from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QLabel

from laopan.services.actor import Actor
from laopan.services.people import person_history
from laopan.views.people import PersonHistory
from ui.common import style
from ui.common.party_editor import PartyEditor
from ui.common.worker import TaskRunner

DEBOUNCE_MS = 400
_IDENTITY = ("name", "id_number", "phone", "credit_code")


def hint_text(history: PersonHistory | None) -> str:
    if history is None or not history.cases:
        return ""
    text = f"此人另有 {len(history.cases)} 件案件（最近 {history.cases[0].intake_no}）"
    if history.risky:
        text += f" · 其中 {history.risky} 件有民转刑风险"
    referred = sum(1 for case in history.cases if case.referred)
    if referred:
        text += f" · {referred} 件为警情移交"
    return text


class RepeatHint(QObject):
    """Watches one party editor's identifying fields; `label` (added below the editor's fields) says what is known."""

    def __init__(self, editor: PartyEditor, runner: TaskRunner, actor: Actor):
        super().__init__(editor)
        self._editor, self._runner, self._actor = editor, runner, actor
        self._group = f"repeat-hint-{id(self)}"
        self._request = 0
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setVisible(False)
        editor.layout().addWidget(self.label, editor.layout().rowCount(), 0)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        for key in _IDENTITY:
            editor.fields[key].editor.textChanged.connect(self.timer.start)

    @Slot()
    def _on_timer_timeout(self) -> None:
        fields = self._editor.fields
        values = {key: fields[key].text() or None for key in _IDENTITY}
        if not self._editor.is_person:
            values["id_number"] = None
        else:
            values["credit_code"] = None
        self._runner.cancel(self._group)
        self._request += 1
        request, actor = self._request, self._actor
        self._runner.read(lambda session: person_history(session, actor=actor, **values), group=self._group,
                          on_done=lambda history: self._on_read(request, history))

    def _on_read(self, request: int, history: PersonHistory | None) -> None:
        if request != self._request or not shiboken6.isValid(self.label):
            return  # a newer lookup is under way, or the form closed while this one ran
        text = hint_text(history)
        self.label.setText(text)
        self.label.setStyleSheet(f"color: {(style.OVERDUE if history is not None and history.risky else style.MUTED).name()};")
        self.label.setVisible(bool(text))
