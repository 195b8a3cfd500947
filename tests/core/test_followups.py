"""回访: scheduled from the agreement's deadlines, recorded with the performance found, listed when due or
overdue (deadlines, 工作台), and offering next steps when the agreement is not performed."""

import dataclasses
import datetime as dt

import pytest

from laopan.cli.main import main
from laopan.errors import Conflict, ValidationError
from laopan.inputs import ClauseSpec
from laopan.models import Case, FollowUp
from laopan.services import followups
from laopan.services.workbench import workbench
from tests.helpers.casefile import effective_case
from tests.helpers.scenarios import DRAFT


def _schedule(desk, case_id):
    with desk.session() as session:
        return followups.schedule(session, actor=desk.actor, case_id=case_id)


def test_a_visit_is_planned_at_the_performance_deadline_and_at_each_payment(desk):
    draft = dataclasses.replace(DRAFT, clauses=DRAFT.clauses + (
        ClauseSpec(kind="payment", payer="被申请人李秀英", payee="申请人张伟", amount="2000.00", deadline=dt.date(2027, 1, 10),
                   method="现金"),))
    case_id = effective_case(desk, draft=draft)
    planned = _schedule(desk, case_id)
    assert [(v.planned_on, v.purpose) for v in planned] == [
        (dt.date(2026, 12, 10), "履行期限、第1条付款"), (dt.date(2027, 1, 10), "第3条付款")]
    assert _schedule(desk, case_id) == [], "scheduling again adds nothing"


def test_instalment_clauses_get_a_visit_per_instalment():
    from laopan.models import Agreement

    agreement = Agreement(committee_id=1, case_id=1, performance_deadline=dt.date(2027, 3, 1), clause_specs=[
        {"kind": "instalments", "instalments": [{"deadline": "2027-01-01", "amount": "100"}, {"deadline": "2027-02-01"}]}])
    assert followups.schedule_dates(agreement) == {
        dt.date(2027, 1, 1): "第1条第1期", dt.date(2027, 2, 1): "第1条第2期", dt.date(2027, 3, 1): "履行期限"}


def test_recording_a_visit_checks_its_fields_and_version(desk, clock):
    case_id = effective_case(desk)
    visit = _schedule(desk, case_id)[0]
    with desk.session() as session, pytest.raises(ValidationError, match="回访方式"):
        followups.record_followup(session, actor=desk.actor, followup_id=visit.id, expected_version=visit.version,
                                  done_on=dt.date(2026, 11, 27), visitor="潘明杰", method="短信", performance_status="已履行")
    with desk.session() as session, pytest.raises(ValidationError, match="回访日期"):
        followups.record_followup(session, actor=desk.actor, followup_id=visit.id, expected_version=visit.version,
                                  done_on=dt.date(2026, 11, 28), visitor="潘明杰", method="电话", performance_status="已履行")
    with desk.session() as session:
        done = followups.record_followup(session, actor=desk.actor, followup_id=visit.id, expected_version=visit.version,
                                         done_on=dt.date(2026, 11, 27), visitor="潘明杰", method="上门",
                                         performance_status="部分履行", notes="已付4000元")
    assert (done.method, done.performance_status, done.version) == ("visit", "partly", visit.version + 1)
    with desk.session() as session, pytest.raises(Conflict):
        followups.record_followup(session, actor=desk.actor, followup_id=visit.id, expected_version=visit.version,
                                  done_on=dt.date(2026, 11, 27), visitor="潘明杰", method="phone", performance_status="performed")


def test_due_and_overdue_visits_show_in_deadlines_and_on_the_workbench(desk, clock):
    case_id = effective_case(desk)
    _schedule(desk, case_id)
    with desk.reading() as session:
        assert followups.due_followups(session, actor=desk.actor) == [], "2026-12-10 is more than 3 days away"
    clock.advance(days=14)  # 2026-12-11: one day overdue
    with desk.reading() as session:
        [row] = followups.due_followups(session, actor=desk.actor)
        bench = workbench(session, actor=desk.actor)
    assert (row.case_id, row.days_left, row.purpose) == (case_id, -1, "履行期限、第1条付款")
    assert [r.case_id for r in bench.followups_due] == [case_id]


def test_laopan_deadlines_lists_the_visit_due(desk, clock, db_url, capsys):
    case_id = effective_case(desk)
    _schedule(desk, case_id)
    clock.advance(days=12)  # 2026-12-09
    with desk.reading() as session:
        intake_no = session.get(Case, case_id).intake_no
    assert main(["deadlines", "--database", db_url, "--as", "admin"], clock=clock) == 0
    out = capsys.readouterr().out
    assert f"剩1天\t{intake_no}\t2026-12-10\t" in out and out.rstrip().endswith("\t待回访\t履行期限、第1条付款\t待分配")


def test_an_unperformed_agreement_offers_the_next_steps(desk, clock):
    case_id = effective_case(desk)
    visit = _schedule(desk, case_id)[0]
    clock.advance(days=14)
    with desk.session() as session:
        followups.record_followup(session, actor=desk.actor, followup_id=visit.id, expected_version=None,
                                  done_on=dt.date(2026, 12, 11), visitor="潘明杰", method="电话", performance_status="未履行")
    with desk.reading() as session:
        listed = followups.list_followups(session, actor=desk.actor, case_id=case_id)
        assert session.get(FollowUp, visit.id).performance_status == "not_performed"
    assert listed.latest_status == "not_performed"
    steps = {s.code: s for s in listed.next_steps}
    assert [s.label for s in listed.next_steps] == ["再次调解", "告知诉讼", "司法确认"]
    assert steps["judicial"].enabled, "2026-12-11 is still within 30 days of 2026-11-27"
    clock.advance(days=20)  # 2026-12-31: the window closed on 2026-12-27
    with desk.reading() as session:
        steps = {s.code: s for s in followups.list_followups(session, actor=desk.actor, case_id=case_id).next_steps}
    assert not steps["judicial"].enabled and "已超过司法确认申请期限" in steps["judicial"].hint


def test_the_cli_adds_records_and_lists_visits(desk, clock, db_url, capsys):
    case_id = effective_case(desk)
    with desk.reading() as session:
        no = session.get(Case, case_id).intake_no
    run = lambda *args: (main([*args, "--database", db_url, "--as", "admin"], clock=clock), capsys.readouterr())  # noqa: E731
    code, out = run("followup", "add", no)
    assert code == 0 and out.out == "2026-12-10\t履行期限、第1条付款\n"
    code, out = run("followup", "record", no, "--date", "2026-11-27", "--visitor", "潘明杰", "--method", "电话", "--status", "未履行")
    assert code == 0
    code, out = run("followup", "list", no)
    assert out.out.splitlines()[0] == "1\t2026-12-10\t履行期限、第1条付款\t2026-11-27\t潘明杰\t电话\t未履行\t"
    assert out.out.splitlines()[1].startswith("协议未履行，可：再次调解、告知诉讼、司法确认")
