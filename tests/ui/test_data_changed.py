"""A write through the worker announces what it changed, once committed; pages refresh from that alone."""

import datetime as dt
from collections.abc import Iterator

import pytest

from laopan.services import agreements
from laopan.inputs import AgreementDraft, ClauseSpec
from laopan.services.cases import CaseFilter, CaseQuery
from laopan.services.intake import register_case
from ui.common.worker import TaskRunner

CASE = {
    "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "华光城",
    "summary": "楼上漏水致楼下吊顶受损。", "parties": [{"role": "applicant", "name": "张伟"}, {"role": "respondent", "name": "李秀英"}],
}
DRAFT = AgreementDraft(
    facts="楼上卫生间漏水，致楼下吊顶受损。", matters="维修责任。", responsibilities="被申请人负主要责任。",
    clauses=(ClauseSpec(kind="text", text="被申请人于2026年12月5日前修复卫生间防水层。"),),
    performance_method="当场履行", performance_place="东柳街道人民调解委员会", performance_deadline=dt.date(2026, 12, 10),
    signed_on=dt.date(2026, 11, 27),
)


@pytest.fixture
def runner(desk, qapp) -> Iterator[TaskRunner]:
    task_runner = TaskRunner(desk)
    yield task_runner
    task_runner.stop()


def test_a_write_announces_its_kinds_and_case_after_its_own_callback(runner, desk, qtbot):
    seen = []
    runner.data_changed.connect(lambda kinds, ids: seen.append(("changed", kinds, ids)))
    with qtbot.waitSignal(runner.data_changed, timeout=10_000) as changed:
        runner.write(lambda session: register_case(session, actor=desk.actor, data=CASE),
                     on_done=lambda registered: seen.append(("done", registered.id)))
    kinds, ids = changed.args
    [(_, case_id)] = [entry for entry in seen if entry[0] == "done"]
    assert kinds == {"case", "audit"} and ids == {case_id}
    assert [entry[0] for entry in seen] == ["done", "changed"], "the dialog has its answer before the pages reload"


def test_a_failed_write_or_a_read_announces_nothing(runner, desk, qtbot):
    def register_then_fail(session):
        register_case(session, actor=desk.actor, data=CASE)
        raise RuntimeError("断电")

    with qtbot.assertNotEmitted(runner.data_changed), qtbot.waitSignal(runner.task_error, timeout=10_000) as failed:
        runner.write(register_then_fail)
    assert str(failed.args[0]) == "断电"
    with qtbot.assertNotEmitted(runner.data_changed), qtbot.waitCallback(timeout=10_000) as read:
        runner.read(lambda session: CaseQuery(session, actor=desk.actor, filters=CaseFilter()).count(session), on_done=read)
    read.assert_called_with(0)
    with desk.reading() as session:
        assert CaseQuery(session, actor=desk.actor, filters=CaseFilter()).count(session) == 0, "the failed write rolled back"


def test_a_print_refreshes_the_history_tab_and_nothing_else(window, demo_desk, qtbot):
    desk = demo_desk
    with desk.session() as session:
        case_id = register_case(session, actor=desk.actor, data={**CASE, "status": "mediating"}).id
        agreements.save_draft(session, actor=desk.actor, case_id=case_id, draft=DRAFT, expected_version=None)
    with qtbot.waitSignal(window.detail.detail_loaded, timeout=10_000):
        window.detail.show_case(case_id)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
    history = window.detail.history_tab.timeline_model
    before = history.rowCount()

    with qtbot.assertNotEmitted(window.detail.detail_loaded), qtbot.assertNotEmitted(window.model.modelReset):
        window.runner.write(lambda s: agreements.render_agreement(s, actor=desk.actor, case_id=case_id, fmt="pdf", purpose="print"))
        qtbot.waitUntil(lambda: history.rowCount() == before + 1, timeout=10_000)
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
