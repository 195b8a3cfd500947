"""新建案件: every intake field of the interchange format, checked as the user leaves each field.

Nothing is saved until every field is valid. Saving builds the case in the interchange shape (DESIGN §7) and
calls `register_case` on the worker; a refusal's JSON paths are mapped back to the fields, and anything that has
no field is shown in the banner at the top. What this form shares with 新建警情 lives in `ui.common.case_form`.
"""

import datetime as dt
from typing import Any

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPlainTextEdit, QVBoxLayout, QWidget

from laopan.labels import choices
from laopan.models.enums import Level
from laopan.services.actor import Actor
from laopan.validation import ValidationError, check_not_future, yuan_to_fen
from ui.common.case_form import CaseFormDialog, datetime_edit, edited_instant, outcome_boxes, outcome_data
from ui.common.desk_info import DeskInfo
from ui.common.fields import TOP, FieldBox, combo, field_label, line_edit, select_code
from ui.common.worker import TaskRunner

TOP_FIELDS = ("received_at", "source", "dispute_type", "level", "community", "grid", "summary", "claims", "amount_yuan")


class IntakeDialog(CaseFormDialog):
    """Register a new case.

    Signals:
        case_registered(object): the case was saved (a `Registered`: id, intake number, warnings).
    """

    TITLE = QT_TR_NOOP("新建案件")
    DISCARD_TITLE = QT_TR_NOOP("放弃新建案件？")
    SIZE = (980, 700)
    FAILURE_LOG = "保存案件失败"

    def __init__(self, runner: TaskRunner, actor: Actor, info: DeskInfo, parent: QWidget | None = None):
        super().__init__(runner, actor, info, info.time_zone, parent)
        self._setup()

    # ------------------------------------------------------------------ building

    def _build_form(self, column: QVBoxLayout) -> None:
        tr = self.tr
        info = self._info
        editors: dict[str, tuple[str, QWidget]] = {
            "received_at": (tr("受理时间"), datetime_edit(self._actor.clock.now(), self._zone)),
            "source": (tr("来源"), combo([(text, code) for code, text in info.sources])),
            "dispute_type": (tr("纠纷类型"), combo([(text, code) for code, text in info.dispute_types])),
            "level": (tr("层级"), combo(choices(Level))),
            "community": (tr("社区"), combo([(tr("请选择社区"), None), *((name, name) for name in info.communities)])),
            "grid": (tr("网格"), combo([(tr("（不指定）"), None)])),
            "summary": (tr("纠纷概要"), QPlainTextEdit()),
            "claims": (tr("请求事项"), QPlainTextEdit()),
            "amount_yuan": (tr("标的额（元）"), line_edit(tr("如 12000.00，可不填"), max_length=20)),
        }
        select_code(editors["dispute_type"][1], "neighbour")
        editors["summary"][1].setPlaceholderText(tr("纠纷的主要事实和争议焦点"))
        editors["claims"][1].setPlaceholderText(tr("每行一项"))
        for key in ("summary", "claims"):
            editors[key][1].setFixedHeight(64)
            editors[key][1].setTabChangesFocus(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        for key, (text, editor) in editors.items():
            self.fields[key] = FieldBox(editor)
        # Short choices side by side, long texts on their own rows.
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for row, keys in ((row1, ("received_at", "source", "dispute_type")), (row2, ("level", "community", "grid"))):
            for key in keys:
                row.addWidget(field_label(editors[key][0], editors[key][1]), 0, TOP)
                row.addWidget(self.fields[key], 1, TOP)
        form.addRow(row1)
        form.addRow(row2)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        one_line = editors["amount_yuan"][1]
        for key in ("summary", "claims", "amount_yuan"):
            form.addRow(field_label(editors[key][0], one_line), self.fields[key])
        self.outcome_boxes = outcome_boxes(self)
        outcomes = QHBoxLayout()
        for box in self.outcome_boxes.values():
            outcomes.addWidget(box)
        outcomes.addStretch(1)
        form.addRow(field_label(tr("成效"), one_line), outcomes)
        column.addLayout(form)

    # ------------------------------------------------------------------ data

    def _received_at(self) -> dt.datetime:
        return edited_instant(self.fields["received_at"].editor, self._zone)

    def case_data(self) -> dict[str, Any]:
        """The case in the interchange shape (DESIGN §7), as `register_case` takes it."""
        data: dict[str, Any] = {"received_at": self._received_at().isoformat()}
        for key in ("source", "dispute_type", "level", "community", "grid", "summary", "amount_yuan"):
            value = self.fields[key].text()
            if value:
                data[key] = value
        claims = [line.strip() for line in self.fields["claims"].text().splitlines() if line.strip()]
        if claims:
            data["claims"] = claims
        data.update(outcome_data(self.outcome_boxes))
        data["parties"] = [editor.data() for editor in self.parties]
        return data

    # ------------------------------------------------------------------ validation

    def check_field(self, key: str) -> str | None:
        tr = self.tr
        value = self.fields[key].text() if key != "received_at" else ""
        if key == "community" and not value:
            return tr("请选择社区")
        if key == "summary" and not value:
            return tr("纠纷概要不能为空")
        try:  # the service's own rules (laopan.validation)
            if key == "received_at":
                check_not_future(self._received_at(), now=self._actor.clock.now(), field=key, what="受理时间")
            if key == "amount_yuan" and value:
                yuan_to_fen(value, field=key)
        except ValidationError as error:
            return error.message
        return None
