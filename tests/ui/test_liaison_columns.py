"""The 警调 list shows whole 警情编号, however long a station's numbers are."""

from PySide6.QtCore import Qt

from laopan.services.intake import register_case
from tests.helpers import scenarios
from ui.liaison.model import COL_INCIDENT_NO
from ui.liaison.page import LiaisonDesk

LONG_NUMBER = "JQ3302120000202611270012-0003"  # longer than the column's JQ202611270012 sample


def test_the_incident_number_column_fits_the_longest_number_shown(desk, runner, qtbot):
    data = scenarios.case_data(source="police_referral")
    data["police_referral"] = {**data["police_referral"], "incident_no": LONG_NUMBER}
    with desk.session() as session:
        register_case(session, actor=desk.actor, data=data)
    page = LiaisonDesk(runner, desk.actor)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: page.liaison is not None and not page.loading and page.model.rowCount() == 1)
    assert page.model.index(0, COL_INCIDENT_NO).data(Qt.ItemDataRole.DisplayRole) == LONG_NUMBER
    width = page.view.horizontalHeader().sectionSize(COL_INCIDENT_NO)
    assert width >= page.view.fontMetrics().horizontalAdvance(LONG_NUMBER) + 2 * page.view.style().pixelMetric(
        page.view.style().PixelMetric.PM_FocusFrameHMargin)
    qtbot.waitUntil(lambda: not runner.busy)
