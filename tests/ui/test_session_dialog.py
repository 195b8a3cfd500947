"""The sitting dialog picks its mediators and attendees from the case: the case's lead and every party ticked,
other mediators and participants typed, and each message goes as soon as what it names is filled in."""

import dataclasses
import datetime as dt

from laopan.services.cases import case_detail
from laopan.views.cases import CaseMediatorView, SessionView
from tests.helpers import scenarios
from ui.cases.sessions_tab import SessionDialog

TEAM = (CaseMediatorView(1, "潘明杰", "assistant", "senior"), CaseMediatorView(2, "王芳", "lead", "senior"))


def detail_with_team(desk):
    case_id = scenarios.mediating_case(desk)
    with desk.reading() as session:
        detail = case_detail(session, actor=desk.actor, case_id=case_id, reveal=False)
    return dataclasses.replace(detail, mediators=TEAM)


def test_a_new_sitting_ticks_the_lead_and_every_party(desk, clock, qtbot):
    detail = detail_with_team(desk)
    dialog = SessionDialog(detail, now=clock.now())
    qtbot.addWidget(dialog)
    assert [(box.text(), box.isChecked()) for box in dialog.mediator_boxes] == [("潘明杰", False), ("王芳", True)]
    assert [box.isChecked() for box in dialog.party_boxes] == [True] * len(detail.parties)
    assert [box.text() for box in dialog.party_boxes] == [p.name for p in detail.parties]

    dialog.submit()
    assert dialog.error == "调解地点: 不能为空"
    dialog.place_edit.setText("华光城社区调解室")
    assert dialog.error == "", "filling the place clears its message"

    dialog.mediator_boxes[1].setChecked(False)
    dialog.submit()
    assert dialog.error == "调解员: 至少勾选或填写一名"
    dialog.mediator_boxes[0].setChecked(True)
    assert dialog.error == ""
    dialog.other_mediators_edit.setText("李强、潘明杰")
    dialog.participants_edit.setText("楼道长陈国强")
    with qtbot.waitSignal(dialog.submitted) as sent:
        dialog.submit()
    values = sent.args[0]
    assert values.mediators == ("潘明杰", "李强"), "names, as the service takes them; a name ticked and typed counts once"
    assert values.parties_present == tuple(p.name for p in detail.parties)
    assert values.participants == ("楼道长陈国强",)


def test_editing_a_sitting_ticks_who_was_there_and_keeps_a_name_no_longer_on_the_case(desk, clock, qtbot):
    detail = detail_with_team(desk)
    earlier = SessionView(id=7, case_id=detail.id, held_at=clock.now() - dt.timedelta(days=1), place="调解室", mediators=("王芳", "赵磊"),
                          parties_present=(detail.parties[0].name,), participants=(), statements="", result="",
                          version=1, updated_by=None, updated_at=None)
    dialog = SessionDialog(detail, now=clock.now(), existing=earlier)
    qtbot.addWidget(dialog)
    assert [(box.text(), box.isChecked()) for box in dialog.mediator_boxes] == [("潘明杰", False), ("王芳", True), ("赵磊", True)]
    assert [box.isChecked() for box in dialog.party_boxes] == [True] + [False] * (len(detail.parties) - 1)
