"""新建警情: register a police-referred joint case in one form — the 警情, the case, its parties.

The form builds the case in the interchange shape (DESIGN §7: source `police_referral` plus a `police_referral`
object) and calls `register_case` on the worker, exactly like the main intake (what both share lives in
`ui.common.case_form`). Fields are checked as the user leaves them with the service's own validators; a refusal's JSON
paths (`police_referral.officer_phone`, `parties[0].id_number`) are mapped back under their fields, anything else
goes to the banner.
"""

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from laopan.labels import choices, source_label
from laopan.models.enums import Level, ReferralNature, RiskFlag
from laopan.services.actor import Actor
from laopan.validation import ValidationError, check_not_after, check_not_future, check_phone
from ui.common.case_form import (
    CaseFormDialog,
    OptionalInstantEdit,
    datetime_edit,
    edited_instant,
    outcome_boxes,
    outcome_data,
    section_title,
)
from ui.common.desk_info import DeskInfo
from ui.common.fields import TOP, FieldBox, combo, field_label, line_edit, select_code
from ui.liaison.model import LiaisonInfo
from ui.liaison.dialogs import USER_ERRORS
from ui.common.worker import TaskRunner

POLICE_SOURCE = "police_referral"
OPTIONAL_TIMES = ("call_time", "incident_time")
_REFERRAL_PATH = re.compile(r"^police_referral\.(\w+)")


class ReferralIntakeDialog(CaseFormDialog):
    """Register a joint case from a police referral.

    Signals:
        case_registered(object): the case was saved (a `Registered`: id, intake number, warnings).
    """

    TITLE = QT_TR_NOOP("新建警情（警调联合案件）")
    DISCARD_TITLE = QT_TR_NOOP("放弃新建警情？")
    SIZE = (1000, 700)
    BANNER_ERRORS = USER_ERRORS
    FAILURE_LOG = "保存警情失败"

    def __init__(self, runner: TaskRunner, actor: Actor, info: DeskInfo, liaison: LiaisonInfo, parent: QWidget | None = None):
        super().__init__(runner, actor, info, liaison.time_zone, parent)
        self._liaison = liaison
        self.referral_fields: dict[str, FieldBox] = {}
        self.risk_boxes: dict[str, QCheckBox] = {}
        self._setup()

    # ------------------------------------------------------------------ building

    def _build_form(self, column: QVBoxLayout) -> None:
        tr = self.tr
        self._one_line = QLineEdit()  # labels are as tall as a one-line editor, even beside a text box

        station = combo([(tr("请选择派出所"), None), *((name, name) for name in self._liaison.stations)])
        select_code(station, self._liaison.default_station)
        now = self._actor.clock.now()
        referral = QGridLayout()
        self._grid_rows(referral, self.referral_fields, [
            [("incident_no", tr("警情编号"), line_edit(tr("必填，如 JQ202611270012"), max_length=40)),
             ("station", tr("派出所"), station),
             ("nature", tr("警情性质"), combo([(tr("（不填）"), None), *choices(ReferralNature)]))],
            [("call_time", tr("报警时间"), OptionalInstantEdit(now, self._zone)),
             ("incident_time", tr("案发时间"), OptionalInstantEdit(now, self._zone)),
             ("referred_at", tr("移交时间"), datetime_edit(now, self._zone))],
            [("officer", tr("民警"), line_edit(max_length=64)),
             ("badge_no", tr("警号"), line_edit(max_length=20)),
             ("officer_phone", tr("民警电话"), line_edit(tr("手机或 0574-87654321"), max_length=30))],
            [("approver", tr("审批领导"), line_edit(max_length=64)),
             ("incident_place", tr("案发地点"), line_edit(max_length=200))],
        ])
        risks = QHBoxLayout()
        for text, code in choices(RiskFlag):
            box = QCheckBox(text)
            self.risk_boxes[code] = box
            risks.addWidget(box)
        risks.addStretch(1)
        self.consent_box = QCheckBox(tr("当事人同意调解"))
        self.consent_box.setToolTip(tr("勾选：民警已确认双方当事人同意由人民调解委员会调解"))
        risks.addWidget(self.consent_box)
        risk_row = referral.rowCount()
        referral.addWidget(field_label(tr("风险标记"), self.consent_box), risk_row, 0)
        referral.addLayout(risks, risk_row, 1, 1, 5)

        case = QGridLayout()
        source = QLabel(source_label(POLICE_SOURCE))
        source.setToolTip(tr("警情登记的案件来源固定为公安机关移交"))
        summary = QPlainTextEdit()
        summary.setPlaceholderText(tr("纠纷的主要事实和争议焦点（可参照警情记录）"))
        summary.setFixedHeight(56)
        summary.setTabChangesFocus(True)
        self._grid_rows(case, self.fields, [
            [("dispute_type", tr("纠纷类型"), combo([(text, code) for code, text in self._info.dispute_types])),
             ("level", tr("层级"), combo(choices(Level))),
             ("community", tr("社区"), combo([(tr("请选择社区"), None), *((name, name) for name in self._info.communities)]))],
        ])
        grid = combo([(tr("（不指定）"), None)])
        self.fields["grid"] = FieldBox(grid)
        case.addWidget(field_label(tr("网格"), grid), 1, 0, TOP)
        case.addWidget(self.fields["grid"], 1, 1, TOP)
        case.addWidget(field_label(tr("来源"), grid), 1, 2, TOP)
        source.setMinimumHeight(grid.sizeHint().height())
        case.addWidget(source, 1, 3, 1, 3, TOP)
        self._grid_rows(case, self.fields, [[("summary", tr("纠纷概要"), summary)]])
        self.outcome_boxes = outcome_boxes(self)
        outcomes = QHBoxLayout()
        for box in self.outcome_boxes.values():
            outcomes.addWidget(box)
        outcomes.addStretch(1)
        outcome_row = case.rowCount()
        case.addWidget(field_label(tr("成效"), grid), outcome_row, 0)
        case.addLayout(outcomes, outcome_row, 1, 1, 5)
        select_code(self.fields["dispute_type"].editor, "neighbour")

        column.addWidget(section_title(tr("警情")))
        column.addLayout(referral)
        column.addWidget(section_title(tr("案件")))
        column.addLayout(case)

    def _grid_rows(self, grid: QGridLayout, boxes: dict[str, FieldBox], rows: list[list[tuple[str, str, QWidget]]]) -> None:
        """Label + field pairs, three to a row; the last field of a short row spans the rest of it."""
        start = grid.rowCount() if grid.count() else 0
        one_line = self._one_line
        for number, items in enumerate(rows):
            for column, (key, text, editor) in enumerate(items):
                box = FieldBox(editor)
                boxes[key] = box
                span = 1 + 2 * (3 - len(items)) if column == len(items) - 1 else 1
                grid.addWidget(field_label(text, one_line), start + number, column * 2, TOP)
                grid.addWidget(box, start + number, column * 2 + 1, 1, span, TOP)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)

    def _connect_signals(self) -> None:
        super()._connect_signals()
        for key, box in self.referral_fields.items():
            box.left.connect(lambda key=key: self.validate_referral_field(key))
        for key in OPTIONAL_TIMES:  # a picked time is checked at once (the picker has no "leaving" of its own)
            self.referral_fields[key].editor.changed.connect(lambda key=key: self.validate_referral_field(key))

    def _own_tab_chain(self) -> list[QWidget]:
        referral: list[QWidget] = []
        for key, box in self.referral_fields.items():
            editor = box.editor
            referral += [editor.edit, editor.unknown_box] if isinstance(editor, OptionalInstantEdit) else [editor]
        return [*referral, *self.risk_boxes.values(), self.consent_box,
                *(box.editor for box in self.fields.values()), *self.outcome_boxes.values()]

    # ------------------------------------------------------------------ data

    def referred_at(self) -> dt.datetime:
        return edited_instant(self.referral_fields["referred_at"].editor, self._zone)

    def optional_time(self, key: str) -> dt.datetime | None:
        """报警时间 / 案发时间 as entered, None while 未知."""
        editor = self.referral_fields[key].editor
        assert isinstance(editor, OptionalInstantEdit)
        return editor.instant()

    def referral_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"referred_at": self.referred_at().isoformat()}
        for key in ("incident_no", "station", "nature", "officer", "badge_no", "officer_phone", "approver", "incident_place"):
            value = self.referral_fields[key].text()
            if value:
                data[key] = value
        for key in OPTIONAL_TIMES:
            if (value := self.optional_time(key)) is not None:
                data[key] = value.isoformat()
        flags = [code for code, box in self.risk_boxes.items() if box.isChecked()]
        if flags:
            data["risk_flags"] = flags
        if self.consent_box.isChecked():
            data["consent"] = True
        return data

    def case_data(self) -> dict[str, Any]:
        """The joint case in the interchange shape (DESIGN §7), as `register_case` takes it."""
        data: dict[str, Any] = {"source": POLICE_SOURCE}
        for key in ("dispute_type", "level", "community", "grid", "summary"):
            value = self.fields[key].text()
            if value:
                data[key] = value
        data.update(outcome_data(self.outcome_boxes))
        data["parties"] = [editor.data() for editor in self.parties]
        data["police_referral"] = self.referral_data()
        return data

    # ------------------------------------------------------------------ validation

    def check_field(self, key: str) -> str | None:
        value = self.fields[key].text()
        if key == "community" and not value:
            return self.tr("请选择社区")
        if key == "summary" and not value:
            return self.tr("纠纷概要不能为空")
        return None

    def check_referral_field(self, key: str) -> str | None:
        tr = self.tr
        value = self.referral_fields[key].text() if key not in ("referred_at", *OPTIONAL_TIMES) else ""
        now = self._actor.clock.now()
        if key == "incident_no" and not value:
            return tr("警情编号不能为空")
        if key == "station" and not value:
            return tr("请选择派出所（字典中没有派出所时，请管理员先添加）")
        if key == "officer_phone" and value:
            try:
                check_phone(value)
            except ValidationError as error:
                return error.message
        try:  # the service's own rules (laopan.validation)
            if key == "referred_at":
                check_not_future(self.referred_at(), now=now, field=key, what="移交时间")
            if key in OPTIONAL_TIMES and (at := self.optional_time(key)) is not None:
                check_not_future(at, now=now, field=key)
                check_not_after(at, self.referred_at(), field=key, latest_name="移交时间")
        except ValidationError as error:
            return error.message
        return None

    def validate_referral_field(self, key: str) -> bool:
        message = self.check_referral_field(key)
        self.referral_fields[key].set_error(message)
        return message is None

    def validate(self) -> bool:
        """Check the 警情 fields, then the case's and the parties'; True when all are valid."""
        referral = [self.validate_referral_field(key) for key in self.referral_fields]
        rest = super().validate()
        return all(referral) and rest

    def _form_boxes(self) -> list[FieldBox]:
        return [*self.referral_fields.values(), *self.fields.values()]

    def _show_at(self, path: str, message: str) -> bool:
        referral = _REFERRAL_PATH.match(path)
        if referral and referral.group(1) in self.referral_fields:
            self.referral_fields[referral.group(1)].set_error(message)
            return True
        return super()._show_at(path, message)
