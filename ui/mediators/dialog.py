"""添加调解员 / 编辑调解员: one registry entry — rank, unit, place, contact and personal details, specialties,
declared relatives (the recusal check compares them with the parties) and whether the mediator is active.

Phone and ID number are checked when the user leaves the field, with the validators the services use, so the
message under the field is the one the service would give. The dialog only collects values: the page saves them
on the worker (`add_mediator`, or `update_mediator` with the version the dialog was opened with) and hands a
refusal back through `show_refusal`, which puts it under its field.
"""

from typing import Any

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from laopan.errors import DomainError, ValidationError
from laopan.labels import choices
from laopan.models.enums import MediatorRank, MediatorUnit
from laopan.views.mediators import MediatorView
from laopan.validation import check_phone, check_resident_id
from ui.common.desk_info import DeskInfo
from ui.common.fields import TOP, FieldBox, combo, field_label, line_edit, select_code
from ui.common.submit_dialog import SubmitDialog, muted

CODE_ROLE = Qt.ItemDataRole.UserRole + 1

# The Chinese field names the services put before their messages ("社区: 网格、社区调解员须指定所属社区").
FIELD_LABELS = {
    "name": "姓名", "rank": "级别", "unit": "单位", "community": "社区", "grid": "网格", "phone": "电话",
    "id_number": "身份证号", "address": "住址", "work_unit": "工作单位", "relatives": "申报亲属",
}


def _labels(enum: type) -> list[tuple[str, str | None]]:
    return choices(enum)


def split_lines(text: str) -> list[str]:
    """One name per line; blank lines and surrounding spaces dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class MediatorDialog(SubmitDialog):
    """Add a mediator (`mediator` None) or edit one (a fresh, revealed `MediatorView`).

    `values()` gives the keywords of `add_mediator`, or of `update_mediator` (mediator_id, expected_version and
    only the fields that changed, so a masked value shown in the form is never written back).

    Signals: those of `SubmitDialog`.
    """

    def __init__(self, info: DeskInfo, mediator: MediatorView | None = None, parent: QWidget | None = None):
        tr = self.tr
        title = tr("编辑调解员 · %1").replace("%1", mediator.name) if mediator else tr("添加调解员")
        super().__init__(title, tr("保存") if mediator else tr("添加"), parent)
        self._info = info
        self.mediator = mediator
        self.fields: dict[str, FieldBox] = {}
        self._build()
        self._load()
        self._connect_signals()
        self.resize(720, 500)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        tr = self.tr
        info = self._info
        editors: dict[str, tuple[str, QWidget]] = {
            "name": (tr("姓名"), line_edit(tr("必填"), max_length=64)),
            "rank": (tr("级别"), combo(_labels(MediatorRank))),
            "unit": (tr("单位"), combo(_labels(MediatorUnit))),
            "community": (tr("社区"), combo([(tr("（无）"), None), *((name, name) for name in info.communities)])),
            "grid": (tr("网格"), combo([(tr("（不指定）"), None)])),
            "phone": (tr("电话"), line_edit(tr("手机或 0574-87654321"), max_length=30)),
            "id_number": (tr("身份证号"), line_edit(tr("18位身份证号"), max_length=40)),
            "address": (tr("住址"), line_edit(tr("用于回避审查：与当事人同楼栋会提示"), max_length=200)),
            "work_unit": (tr("工作单位"), line_edit(max_length=100)),
        }
        for key, (_, editor) in editors.items():
            self.fields[key] = FieldBox(editor)
        self.active_box = QCheckBox(tr("在岗"))
        self.active_box.setToolTip(tr("取消勾选即停用：停用的调解员不再被推荐，也不能分配新案件"))
        self.active_box.setChecked(True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        pairs = [("name", "rank"), ("unit", None), ("community", "grid"), ("phone", "id_number"), ("address",), ("work_unit",)]
        for row, keys in enumerate(pairs):
            for column, key in enumerate(keys):
                if key is None:
                    continue
                text, editor = editors[key]
                span = 3 if len(keys) == 1 else 1
                grid.addWidget(field_label(text, editor), row, column * 2, TOP)
                grid.addWidget(self.fields[key], row, column * 2 + 1, 1, span, TOP)
        grid.addWidget(self.active_box, 1, 3, TOP)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.specialty_model = QStandardItemModel(self)
        for code, text in info.dispute_types:
            self._add_specialty(code, text)
        self.specialty_view = QListView()
        self.specialty_view.setModel(self.specialty_model)
        self.specialty_view.setFlow(QListView.Flow.LeftToRight)
        self.specialty_view.setWrapping(True)
        self.specialty_view.setResizeMode(QListView.ResizeMode.Adjust)
        metrics = self.specialty_view.fontMetrics()
        widest = max((metrics.horizontalAdvance(text) for _, text in info.dispute_types), default=60)
        # A fixed cell fits the longest label beside its check box, so the choices line up in columns.
        self.specialty_view.setGridSize(QSize(widest + 40, metrics.height() + 10))
        self.specialty_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.specialty_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.relatives_edit = QPlainTextEdit()
        self.relatives_edit.setPlaceholderText(tr("每行一个姓名，如：\n潘大\n王五"))
        self.relatives_edit.setTabChangesFocus(True)
        self.fields["relatives"] = FieldBox(self.relatives_edit)

        lists = QGridLayout()
        lists.setHorizontalSpacing(12)
        lists.addWidget(QLabel(tr("专长（可多选）")), 0, 0)
        lists.addWidget(QLabel(tr("申报亲属")), 0, 1)
        lists.addWidget(self.specialty_view, 1, 0)
        lists.addWidget(self.fields["relatives"], 1, 1)
        lists.addWidget(muted(tr("推荐时优先考虑擅长该类纠纷的调解员。")), 2, 0)
        lists.addWidget(muted(tr("当事人与申报亲属同名时，分配前提示回避。")), 2, 1)
        lists.setColumnStretch(0, 3)
        lists.setColumnStretch(1, 2)
        lists.setRowStretch(1, 1)

        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(False)
        column = QVBoxLayout()
        column.addWidget(self.note_label)
        column.addLayout(grid)
        column.addLayout(lists, 1)
        self.content.addLayout(column)

    def _add_specialty(self, code: str, text: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(code, CODE_ROLE)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.specialty_model.appendRow(item)
        return item

    def _load(self) -> None:
        m = self.mediator
        if m is None:
            select_code(self.fields["rank"].editor, MediatorRank.SENIOR.value)
            select_code(self.fields["unit"].editor, MediatorUnit.STREET.value)
            self.active_box.setVisible(False)  # a new mediator starts active
            return
        name = self.fields["name"].editor
        name.setText(m.name)
        name.setReadOnly(True)
        name.setToolTip(self.tr("姓名不可修改；同名的另一位调解员请另行添加"))
        select_code(self.fields["rank"].editor, m.rank)
        select_code(self.fields["unit"].editor, m.unit)
        community = self.fields["community"].editor
        if m.community and community.findData(m.community) < 0:
            community.addItem(m.community, m.community)  # renamed or added since the dictionaries were read
        select_code(community, m.community)
        self._fill_grids(m.community, keep=m.grid)
        for key in ("phone", "id_number", "address", "work_unit"):
            self.fields[key].editor.setText(getattr(m, key) or "")
        for code in m.specialty_codes:
            if self._specialty(code) is None:
                self._add_specialty(code, code)
            self._specialty(code).setCheckState(Qt.CheckState.Checked)
        self.relatives_edit.setPlainText("\n".join(m.declared_relatives))
        self.active_box.setChecked(m.active)
        if m.rank == MediatorRank.UNKNOWN.value:
            who = self.tr("导入的调解员，") if m.imported else ""
            self.note_label.setText(who + self.tr("级别未定：设定为老潘（主调）或小潘（辅调）后才会被推荐。"))
            self.note_label.setStyleSheet("color: #b26a00;")
            self.note_label.setVisible(True)

    def _specialty(self, code: str) -> QStandardItem | None:
        for row in range(self.specialty_model.rowCount()):
            item = self.specialty_model.item(row)
            if item.data(CODE_ROLE) == code:
                return item
        return None

    def _fill_grids(self, community: str | None, *, keep: str | None = None) -> None:
        box = self.fields["grid"].editor
        box.blockSignals(True)
        box.clear()
        box.addItem(self.tr("（不指定）"), None)
        for name in self._info.grids.get(community or "", ()):
            box.addItem(name, name)
        if keep and box.findData(keep) < 0:
            box.addItem(keep, keep)
        select_code(box, keep)
        box.setEnabled(bool(community))
        box.blockSignals(False)

    def _connect_signals(self) -> None:
        self.fields["community"].editor.currentIndexChanged.connect(self._on_community_combo_changed)
        for key, box in self.fields.items():
            box.left.connect(lambda key=key: self.validate_field(key))

    @Slot()
    def _on_community_combo_changed(self) -> None:
        self._fill_grids(self.fields["community"].text() or None)
        self.fields["community"].set_error(None)

    # ------------------------------------------------------------------ checking

    def check_field(self, key: str) -> str | None:
        """The message for one field as it stands, or None."""
        value = self.fields[key].text()
        if key == "name" and not value:
            return self.tr("不能为空")
        try:
            if key == "phone" and value and value != self._shown("phone"):
                check_phone(value, field=FIELD_LABELS["phone"])
            if key == "id_number" and value and value != self._shown("id_number"):
                check_resident_id(value, field=FIELD_LABELS["id_number"], today=self._info.today)
        except ValidationError as error:
            return error.message
        return None

    def _shown(self, key: str) -> str:
        """What the form was opened with (a masked value is not re-checked: it is only sent if edited)."""
        return (getattr(self.mediator, key) or "") if self.mediator is not None else ""

    def validate_field(self, key: str) -> bool:
        message = self.check_field(key)
        self.fields[key].set_error(message)
        return message is None

    def show_refusal(self, error: DomainError) -> None:
        """A service's refusal: under its field when it names one ("电话: …"), else above the buttons."""
        if isinstance(error, ValidationError):
            field, message = error.field, error.message
        else:
            field, _, message = str(error).partition(": ")
            if not message:
                field, message = "", str(error)
        key = next((k for k, text in FIELD_LABELS.items() if text == field and k in self.fields), None)
        if key is not None:
            self.fields[key].set_error(message)
            self.set_error(None)
        else:
            self.set_error(str(error))

    # ------------------------------------------------------------------ values

    def specialty_codes(self) -> tuple[str, ...]:
        items = (self.specialty_model.item(row) for row in range(self.specialty_model.rowCount()))
        return tuple(item.data(CODE_ROLE) for item in items if item.checkState() == Qt.CheckState.Checked)

    def values(self) -> dict[str, Any] | None:
        checks = [self.validate_field(key) for key in self.fields]
        if not all(checks):
            self.set_error(self.tr("请先改正标红的项目"))
            return None
        form: dict[str, Any] = {
            "rank": self.fields["rank"].text(), "unit": self.fields["unit"].text(),
            "community": self.fields["community"].text() or None, "grid": self.fields["grid"].text() or None,
            "phone": self.fields["phone"].text() or None, "id_number": self.fields["id_number"].text() or None,
            "address": self.fields["address"].text() or None, "work_unit": self.fields["work_unit"].text() or None,
            "specialties": self.specialty_codes(), "declared_relatives": split_lines(self.relatives_edit.toPlainText()),
        }
        m = self.mediator
        if m is None:
            form.update(name=self.fields["name"].text(), rank=MediatorRank(form["rank"]), unit=MediatorUnit(form["unit"]))
            return form
        before: dict[str, Any] = {
            "rank": m.rank, "unit": m.unit, "community": m.community, "grid": m.grid, "phone": m.phone,
            "id_number": m.id_number, "address": m.address, "work_unit": m.work_unit,
            "specialties": tuple(sorted(m.specialty_codes)), "declared_relatives": list(m.declared_relatives),
        }
        form["specialties"] = tuple(sorted(form["specialties"]))
        changed = {key: value for key, value in form.items() if value != before[key]}
        if "community" in changed:
            changed["grid"] = form["grid"]  # the grid belongs to the community: send them together
        if self.active_box.isChecked() != m.active:
            changed["active"] = self.active_box.isChecked()
        return {"mediator_id": m.id, "expected_version": m.version, **changed}
