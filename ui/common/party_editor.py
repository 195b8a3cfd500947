"""One party of the intake dialog, edited in place: a compact group box (person or organisation, optional agent).

Each field is checked when the user leaves it, with the same validators the intake service uses, so the
message under the field is the one the service would give. Typing a complete resident ID number fills sex and
birth date.
"""

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from laopan.labels import choices
from laopan.models.enums import IdType, PartyKind, PartyRole, Sex
from laopan.validation import ValidationError, check_credit_code, check_day_not_after_today, check_phone, check_resident_id
from ui.common.fields import TOP, FieldBox, combo, field_label, line_edit, select_code

ETHNICITIES = ("汉族", "回族", "满族", "蒙古族", "壮族", "藏族", "维吾尔族", "苗族", "彝族", "土家族", "朝鲜族", "畲族")
_RESIDENT = (IdType.RESIDENT_ID.value, IdType.RESIDENT_ID_15.value)
PERSON_ONLY = ("sex", "ethnicity", "birth_date", "id_type", "id_number", "occupation")
ORGANIZATION_ONLY = ("credit_code", "representative")


def _labels(enum: type) -> list[tuple[str, str | None]]:
    return choices(enum)


class PartyEditor(QGroupBox):
    """A party's fields. `fields` maps interchange keys ("name", "id_number", "agent.phone") to their FieldBox.

    Signals:
        remove_requested(): the user clicked 删除 on this party.
    """

    remove_requested = Signal()

    def __init__(self, *, today: dt.date, role: PartyRole = PartyRole.APPLICANT, parent: QWidget | None = None):
        super().__init__(parent)
        self._today = today
        self.fields: dict[str, FieldBox] = {}
        self._labels: dict[str, QLabel] = {}
        self._build(role)
        self._connect_signals()
        self._on_kind_combo_changed()

    # ------------------------------------------------------------------ building

    def _build(self, role: PartyRole) -> None:
        tr = self.tr
        self.role_combo = combo(_labels(PartyRole))
        select_code(self.role_combo, role.value)
        self.kind_combo = combo(_labels(PartyKind))
        self.remove_button = QPushButton(tr("删除"))
        self.remove_button.setToolTip(tr("删除这名当事人"))

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("角色")))
        top.addWidget(self.role_combo)
        top.addWidget(self.kind_combo)
        top.addStretch(1)
        top.addWidget(self.remove_button)

        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(4)
        sex = combo([("", None), *_labels(Sex)])
        ethnicity = combo([("", None), *((name, name) for name in ETHNICITIES)], editable=True)
        id_type = combo(_labels(IdType))
        layout = [
            # (key, label, editor, row, column)
            ("name", tr("姓名"), line_edit(tr("必填"), max_length=100), 0, 0),
            ("sex", tr("性别"), sex, 0, 1),
            ("ethnicity", tr("民族"), ethnicity, 0, 2),
            ("id_type", tr("证件类型"), id_type, 1, 0),
            ("id_number", tr("证件号码"), line_edit(tr("18位身份证号"), max_length=40), 1, 1),
            ("birth_date", tr("出生日期"), line_edit("1978-03-01", max_length=10), 1, 2),
            ("occupation", tr("职业"), line_edit(max_length=64), 2, 0),
            ("credit_code", tr("统一社会信用代码"), line_edit(tr("18位"), max_length=18), 2, 0),
            ("representative", tr("法定代表人"), line_edit(max_length=64), 2, 1),
            ("phone", tr("电话"), line_edit(tr("手机或 0574-87654321"), max_length=30), 2, 2),
            ("address", tr("住址"), line_edit(max_length=200), 3, 0),
        ]
        for key, text, editor, row, column in layout:
            box = FieldBox(editor)
            label = field_label(text, editor)
            self.fields[key] = box
            self._labels[key] = label
            span = 5 if key == "address" else 1
            self._grid.addWidget(label, row, column * 2, TOP)
            self._grid.addWidget(box, row, column * 2 + 1, 1, span, TOP)
        for column in (1, 3, 5):
            self._grid.setColumnStretch(column, 1)

        self.agent_box = QGroupBox(tr("代理人"))
        self.agent_box.setCheckable(True)
        self.agent_box.setChecked(False)
        agent_grid = QGridLayout(self.agent_box)
        agent_grid.setVerticalSpacing(2)
        for column, (key, text, editor) in enumerate(
            [
                ("agent.name", tr("姓名"), line_edit(max_length=100)),
                ("agent.relation", tr("关系"), line_edit(tr("如：兄弟、律师"), max_length=32)),
                ("agent.phone", tr("电话"), line_edit(max_length=30)),
            ]
        ):
            box = FieldBox(editor)
            self.fields[key] = box
            agent_grid.addWidget(field_label(text, editor), 0, column * 2, TOP)
            agent_grid.addWidget(box, 0, column * 2 + 1, TOP)
            agent_grid.setColumnStretch(column * 2 + 1, 1)

        self.error_label = QLabel()  # errors about the party as a whole (e.g. from the service)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setVisible(False)

        outer = QGridLayout(self)
        outer.setVerticalSpacing(4)
        outer.addLayout(top, 0, 0)
        outer.addLayout(self._grid, 1, 0)
        outer.addWidget(self.agent_box, 2, 0)
        outer.addWidget(self.error_label, 3, 0)

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.role_combo.currentIndexChanged.connect(self._on_role_combo_changed)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.agent_box.toggled.connect(self._on_agent_box_toggled)
        self.fields["id_number"].editor.textEdited.connect(self._on_id_number_edited)
        for key, box in self.fields.items():
            box.left.connect(lambda key=key: self.validate_field(key))

    def tab_chain(self) -> list[QWidget]:
        """The party's widgets in reading order (hidden ones are skipped by Qt); 删除 last, so Tab from 角色
        does not land on it first."""
        fields = [self.fields[key].editor for key in (
            "name", "sex", "ethnicity", "id_type", "id_number", "birth_date", "occupation", "credit_code",
            "representative", "phone", "address")]
        agent = [self.fields[key].editor for key in ("agent.name", "agent.relation", "agent.phone")]
        return [self.role_combo, self.kind_combo, *fields, self.agent_box, *agent, self.remove_button]

    # ------------------------------------------------------------------ state

    @property
    def is_person(self) -> bool:
        return self.kind_combo.currentData() == PartyKind.PERSON.value

    def set_index(self, index: int) -> None:
        """Number the box ("当事人 2") after parties are added or removed."""
        self.setTitle(self.tr("当事人 %1").replace("%1", str(index + 1)))

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit()

    @Slot()
    def _on_role_combo_changed(self) -> None:
        self.error_label.setVisible(False)

    @Slot()
    def _on_kind_combo_changed(self) -> None:
        person = self.is_person
        for key in PERSON_ONLY:
            self.fields[key].setVisible(person)
            self._labels[key].setVisible(person)
            if not person:
                self.fields[key].set_error(None)
        for key in ORGANIZATION_ONLY:
            self.fields[key].setVisible(not person)
            self._labels[key].setVisible(not person)
            if person:
                self.fields[key].set_error(None)
        self._labels["name"].setText(self.tr("姓名") if person else self.tr("名称"))
        self._labels["address"].setText(self.tr("住址") if person else self.tr("住所"))

    @Slot(bool)
    def _on_agent_box_toggled(self, on: bool) -> None:
        if not on:
            for key in ("agent.name", "agent.relation", "agent.phone"):
                self.fields[key].set_error(None)

    @Slot(str)
    def _on_id_number_edited(self, text: str) -> None:
        """A complete, valid resident ID fills sex and birth date; errors wait until the user leaves the field."""
        digits = text.replace(" ", "")
        if self.fields["id_type"].text() not in _RESIDENT or len(digits) not in (15, 18):
            return
        try:
            resident = check_resident_id(digits, today=self._today)
        except ValidationError:
            return
        self.fields["id_number"].set_error(None)
        select_code(self.fields["sex"].editor, resident.sex)
        self.fields["birth_date"].editor.setText(resident.birth_date.isoformat())
        self.fields["birth_date"].set_error(None)
        if resident.legacy and self.fields["id_type"].text() != IdType.RESIDENT_ID_15.value:
            select_code(self.fields["id_type"].editor, IdType.RESIDENT_ID_15.value)

    # ------------------------------------------------------------------ validation

    def _birth_date(self) -> dt.date | None:
        text = self.fields["birth_date"].text()
        return dt.date.fromisoformat(text) if text else None

    def check_field(self, key: str) -> str | None:
        """The error message for one field as it stands, or None."""
        box = self.fields[key]
        value = box.text()
        tr = self.tr
        if key in PERSON_ONLY and not self.is_person or key in ORGANIZATION_ONLY and self.is_person:
            return None
        if key.startswith("agent.") and not self.agent_box.isChecked():
            return None
        try:
            if key == "name" and not value:
                return tr("名称不能为空") if not self.is_person else tr("姓名不能为空")
            if key == "agent.name" and not value:
                return tr("代理人姓名不能为空（不需要代理人请取消勾选）")
            if key == "id_number" and value and self.fields["id_type"].text() in _RESIDENT:
                check_resident_id(value, today=self._today)
            if key == "birth_date" and value:
                try:
                    born = dt.date.fromisoformat(value)
                except ValueError:
                    return tr("日期格式应为 2026-10-08")
                check_day_not_after_today(born, today=self._today, field=key, what="出生日期")
                return self._id_agreement()
            if key == "sex" and value:
                return self._id_agreement()
            if key in ("phone", "agent.phone") and value:
                check_phone(value)
            if key == "credit_code" and value:
                check_credit_code(value)
        except ValidationError as error:
            return error.message
        return None

    def _id_agreement(self) -> str | None:
        """Sex and birth date typed by hand must agree with a valid resident ID (as the service checks)."""
        number = self.fields["id_number"].text()
        if not number or self.fields["id_type"].text() not in _RESIDENT:
            return None
        try:
            born = self._birth_date()
        except ValueError:
            return None
        try:
            check_resident_id(number, today=self._today, sex=self.fields["sex"].text() or None, birth_date=born)
        except ValidationError as error:
            return error.message if error.message.startswith("与") else None
        return None

    def validate_field(self, key: str) -> bool:
        message = self.check_field(key)
        self.fields[key].set_error(message)
        return message is None

    def validate(self) -> bool:
        results = [self.validate_field(key) for key in self.fields]
        return all(results)

    def show_error(self, key: str | None, message: str) -> bool:
        """Show a service error at `key` (a key of `fields`, or None for the party as a whole)."""
        if key in self.fields and self.fields[key].isVisibleTo(self):
            self.fields[key].set_error(message)
            return True
        if key is None:
            self.error_label.setText(message)
            self.error_label.setVisible(True)
            return True
        return False

    def clear_errors(self) -> None:
        for box in self.fields.values():
            box.set_error(None)
        self.error_label.setVisible(False)

    # ------------------------------------------------------------------ data

    def data(self) -> dict[str, Any]:
        """The party in the interchange shape (DESIGN §7); empty values are left out."""
        values: dict[str, Any] = {"role": self.role_combo.currentData(), "kind": self.kind_combo.currentData()}
        keys = ["name", "phone", "address"] + list(PERSON_ONLY if self.is_person else ORGANIZATION_ONLY)
        for key in keys:
            value = self.fields[key].text()
            if value:
                values[key] = value
        if "id_number" not in values:
            values.pop("id_type", None)
        if self.agent_box.isChecked():
            agent = {key.split(".")[1]: self.fields[key].text() for key in ("agent.name", "agent.relation", "agent.phone")}
            values["agent"] = {key: value for key, value in agent.items() if value}
        return values
