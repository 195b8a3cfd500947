"""历史: the case's level history (上报 / 退回, from `CaseDetail.escalations`) beside its full timeline
(`timeline.case_timeline`: every audited change, one Chinese line each)."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QGroupBox, QSplitter, QVBoxLayout, QWidget

from laopan.labels import instant_text, label
from laopan.models.enums import Level
from laopan.services.lifecycle import LEVELS
from laopan.views.cases import CaseDetail
from laopan.views.workflow import TimelineEntry
from ui.common import style
from ui.common.row_table import Column, RowTableModel, table_view
from ui.common.submit_dialog import muted


@dataclass(frozen=True)
class LevelRow:
    at: dt.datetime
    up: bool
    from_level: str
    to_level: str
    reason: str
    who: str


def level_rows(detail: CaseDetail, timeline: list[TimelineEntry]) -> list[LevelRow]:
    """The escalations with display names (the timeline knows each login's name)."""
    names = {entry.login: entry.who for entry in timeline}
    return [
        LevelRow(e.at, LEVELS.index(e.to_level) > LEVELS.index(e.from_level), e.from_level, e.to_level, e.reason,
                 names.get(e.by_login, e.by_login))
        for e in detail.escalations
    ]


class HistoryTab(QWidget):
    """Level history (left) and timeline (right) of the shown case. No signals."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self._zone = ZoneInfo("Asia/Shanghai")
        self.levels_model = RowTableModel([
            Column(tr("时间"), lambda r: self._when(r.at)),
            Column(tr("变更"), lambda r: tr("上报") if r.up else tr("退回")),
            Column(tr("层级"), lambda r: f"{label(Level, r.from_level)}→{label(Level, r.to_level)}",
                   colour=lambda r: style.LEVEL_COLOURS.get(r.to_level)),
            Column(tr("理由"), lambda r: r.reason, stretch=True, tooltip=lambda r: r.reason),
            Column(tr("经办人"), lambda r: r.who),
        ], self)
        self.timeline_model = RowTableModel([
            Column(tr("时间"), lambda e: self._when(e.at)),
            Column(tr("经办人"), lambda e: e.who),
            Column(tr("事项"), lambda e: e.description, stretch=True, tooltip=lambda e: e.description),
        ], self)
        self.levels_view = table_view(self.levels_model, wrap=True)
        self.timeline_view = table_view(self.timeline_model, wrap=True)
        self.levels_summary = muted()
        levels_box = QGroupBox(tr("层级变更"))
        levels_layout = QVBoxLayout(levels_box)
        levels_layout.addWidget(self.levels_summary)
        levels_layout.addWidget(self.levels_view, 1)
        self.timeline_box = QGroupBox(tr("操作记录"))
        timeline_layout = QVBoxLayout(self.timeline_box)
        timeline_layout.addWidget(self.timeline_view, 1)
        self.levels_box = levels_box
        split = QSplitter()
        split.addWidget(levels_box)
        split.addWidget(self.timeline_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    def _when(self, value: dt.datetime) -> str:
        return instant_text(value, self._zone)

    def set_history(self, detail: CaseDetail, timeline: list[TimelineEntry]) -> None:
        self._zone = ZoneInfo(detail.time_zone)
        rows = level_rows(detail, timeline)
        self.levels_model.set_rows(rows)
        self.timeline_model.set_rows(list(reversed(timeline)))  # newest first: what changed last is on top
        path = [rows[0].from_level, *(r.to_level for r in rows)] if rows else [detail.level]
        trail = "→".join(label(Level, level) for level in path)
        self.levels_summary.setText(
            self.tr("当前层级：%1（%2）").replace("%1", label(Level, detail.level)).replace("%2", trail) if rows
            else self.tr("当前层级：%1，未上报或退回").replace("%1", label(Level, detail.level))
        )
        self.levels_box.setTitle(self.tr("层级变更（%1）").replace("%1", str(len(rows))))
        self.timeline_box.setTitle(self.tr("操作记录（%1）").replace("%1", str(len(timeline))))
