"""The case detail's repeat-party line: the people's other cases and 民转刑 risk, and a click opening one."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from laopan.services.cases import case_detail
from tests.helpers.scenarios import ZHANG_ID
from tests.helpers.windows import open_case, register, shown, type_into

REFERRAL = {"incident_no": "JQ202611200009", "station": "东柳派出所", "referred_at": "2026-11-20T09:00:00+08:00",
            "risk_flags": ["criminal_risk"]}


def test_the_detail_names_the_parties_other_cases_and_opens_one(desk_window, desk, qtbot):
    window = desk_window
    first = register(desk)
    referred = register(desk, source="police_referral", police_referral=REFERRAL)
    alone = register(desk, parties=[{"role": "applicant", "name": "周丽"}, {"role": "respondent", "name": "吴刚"}])
    window.model.reload()

    open_case(window, qtbot, alone)
    bar = window.detail.repeat_bar
    assert not bar.isVisible()  # nobody seen before: nothing said

    open_case(window, qtbot, first)
    assert bar.isVisible()
    assert bar.text == "张伟另有 1 件案件，李秀英另有 1 件案件 · 其中 1 件有民转刑风险 · 同一双方另有 1 次警情移交"
    bar.summary_label.linkActivated.emit("show")  # 查看
    assert bar.list.isVisible() and bar.list.count() == 1
    assert bar.list.item(0).text().startswith("DL2026-") and bar.list.item(0).text().endswith("警情移交  ⚠ 民转刑风险")
    rect = bar.list.visualItemRect(bar.list.item(0))
    QTest.mouseClick(bar.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: shown(window, referred), timeout=10_000)


def test_intake_says_who_is_already_on_record_as_the_id_is_typed(runner, desk, qtbot):
    from ui.cases.intake_dialog import IntakeDialog
    from ui.common.desk_info import load_desk_info

    referred = register(desk, source="police_referral", police_referral=REFERRAL)
    with desk.reading() as session:
        info = load_desk_info(session, actor=desk.actor, committee_name="东柳")
    dialog = IntakeDialog(runner, desk.actor, info)
    qtbot.addWidget(dialog)
    dialog.show()
    party = dialog.parties[0]
    hint = party.repeat_hint.label
    type_into(party.fields["name"].editor, "张伟")
    qtbot.waitUntil(lambda: not party.repeat_hint.timer.isActive() and not runner.busy, timeout=10_000)
    assert not hint.isVisible()  # a name alone identifies no one

    type_into(party.fields["id_number"].editor, ZHANG_ID)
    qtbot.waitUntil(hint.isVisible, timeout=10_000)
    with desk.reading() as session:
        intake_no = case_detail(session, actor=desk.actor, case_id=referred).intake_no
    assert hint.text() == f"此人另有 1 件案件（最近 {intake_no}） · 其中 1 件有民转刑风险 · 1 件为警情移交"
    dialog._initial = dialog.case_data()  # close without the discard question
