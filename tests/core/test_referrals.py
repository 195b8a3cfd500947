"""Police–mediation joint cases: the referral's feedback loop, the liaison's desk, the station ledger."""

import csv
import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from laopan.cli.main import main as cli
from laopan.demo import generate_demo
from laopan.errors import Conflict, DomainError, PermissionDenied
from laopan.models.enums import FeedbackResult, PerformanceStatus, ReferralState, Role
from laopan.services import referrals
from laopan.services.actor import Actor
from laopan.services.cases import CaseFilter, case_detail, list_cases
from laopan.services.intake import import_cases, register_case
from laopan.services.station_ledger import monthly_ledger
from tests.helpers import FIXTURES

BEIJING = dt.timezone(dt.timedelta(hours=8))


def joint_case(session, actor, *, referred_at: dt.datetime, incident_no: str = "JQ202611270001", name: str = "赵强") -> int:
    registered = register_case(session, actor=actor, data={
        "received_at": referred_at.isoformat(), "source": "police_referral", "dispute_type": "neighbour", "level": "grid",
        "community": "安居", "summary": "楼道堆物引发争吵，110出警后移交。",
        "parties": [{"role": "applicant", "name": name}, {"role": "respondent", "name": "钱芳"}],
        "police_referral": {"incident_no": incident_no, "station": "东柳派出所", "referred_at": referred_at.isoformat(),
                            "nature": "dispute_call", "risk_flags": ["repeat_call"]},
    })
    return registered.id


def other_case(session, actor) -> int:
    return register_case(session, actor=actor, data={
        "source": "party_application", "dispute_type": "contract", "level": "grid", "community": "安居",
        "summary": "装修款纠纷。", "parties": [{"role": "applicant", "name": "孙华"}, {"role": "respondent", "name": "李工"}],
    }).id


def liaison(actor: Actor) -> Actor:
    return Actor(login="jing", role=Role.POLICE_LIAISON, committee_id=actor.committee_id, display_name="警调联络员", clock=actor.clock)


def test_a_referral_moves_through_the_liaison_desk_states(desk, clock):
    with desk.session() as session:
        case_id = joint_case(session, desk.actor, referred_at=clock.now() - dt.timedelta(hours=2))
        [row] = referrals.list_referrals(session, actor=desk.actor)
    assert row.state == ReferralState.AWAITING_CONTACT.value
    assert row.due_at == clock.now() + dt.timedelta(hours=22)  # first contact within 24 h of the referral

    with desk.session() as session:
        row = referrals.record_first_contact(session, actor=desk.actor, case_id=case_id, expected_version=row.version)
    assert row.state == ReferralState.IN_MEDIATION.value
    assert row.due_at == clock.now() - dt.timedelta(hours=2) + dt.timedelta(days=5)  # feedback within 5 days

    clock.advance(days=4, hours=6)  # less than a day before the feedback deadline
    with desk.reading() as session:
        [row] = referrals.list_referrals(session, actor=desk.actor, due_only=True)
    assert row.state == ReferralState.FEEDBACK_DUE.value

    clock.advance(days=1)
    with desk.reading() as session:
        [row] = referrals.list_referrals(session, actor=desk.actor, state=ReferralState.OVERDUE)
    assert row.intake_no.startswith("DL2026-")

    with desk.session() as session:
        row = referrals.record_feedback(session, actor=desk.actor, case_id=case_id, expected_version=row.version,
                                        result=FeedbackResult.NOT_SETTLED, content="双方分歧较大，继续调解")
        assert referrals.list_referrals(session, actor=desk.actor, due_only=True) == []
    assert row.state == ReferralState.CLOSED.value and row.due_at is None


def test_an_imported_referral_shows_with_its_due_times(desk):
    document = json.loads((FIXTURES / "interchange" / "full.json").read_text(encoding="utf-8"))
    with desk.session() as session:
        import_cases(session, actor=desk.actor, document=document)
        [row] = referrals.list_referrals(session, actor=desk.actor)
    referred = dt.datetime(2026, 10, 8, 9, 20, tzinfo=BEIJING)
    assert (row.incident_no, row.station) == ("JQ202610080012", "东柳派出所")
    assert row.state == ReferralState.OVERDUE.value  # never contacted, and the clock is at 2026-11-27
    assert row.due_at == referred + dt.timedelta(hours=24)


def test_feedback_needs_a_first_contact_and_names_the_agreement(desk, clock):
    document = json.loads((FIXTURES / "interchange" / "full.json").read_text(encoding="utf-8"))
    with desk.session() as session:
        case_id = import_cases(session, actor=desk.actor, document=document).registered[0].id
    with desk.session() as session, pytest.raises(DomainError, match="请先记录与当事人的首次联系"):
        referrals.record_feedback(session, actor=desk.actor, case_id=case_id, expected_version=None, result=FeedbackResult.SETTLED)
    with desk.session() as session:
        referrals.record_first_contact(session, actor=desk.actor, case_id=case_id, expected_version=None,
                                       at=dt.datetime(2026, 10, 8, 15, 0, tzinfo=BEIJING))
        row = referrals.record_feedback(session, actor=desk.actor, case_id=case_id, expected_version=None,
                                        result=FeedbackResult.SETTLED, performance=PerformanceStatus.PERFORMED,
                                        at=dt.datetime(2026, 10, 12, 10, 0, tzinfo=BEIJING))
        detail = case_detail(session, actor=desk.actor, case_id=case_id)
    assert row.state == ReferralState.CLOSED.value
    assert detail.referral.feedback_at == dt.datetime(2026, 10, 12, 10, 0, tzinfo=BEIJING)
    with desk.reading() as session:
        from laopan.models import PoliceReferral
        from sqlalchemy import select

        stored = session.execute(
            select(PoliceReferral.feedback_agreement_no, PoliceReferral.feedback_performance).where(PoliceReferral.case_id == case_id)
        ).one()
    assert tuple(stored) == ("（2026）东柳人调字第087号", "performed")


def test_a_stale_screen_cannot_overwrite_the_referral(desk, clock):
    with desk.session() as session:
        case_id = joint_case(session, desk.actor, referred_at=clock.now() - dt.timedelta(hours=1))
        [row] = referrals.list_referrals(session, actor=desk.actor)
        referrals.record_first_contact(session, actor=desk.actor, case_id=case_id, expected_version=row.version)
    with desk.session() as session, pytest.raises(Conflict, match=r"已被 管理员 于 2026-11-27 09:00 修改，请刷新"):
        referrals.set_second_mediation(session, actor=desk.actor, case_id=case_id, expected_version=row.version)


def test_return_to_police_and_second_mediation_close_or_flag_the_referral(desk, clock):
    with desk.session() as session:
        case_id = joint_case(session, desk.actor, referred_at=clock.now() - dt.timedelta(hours=1))
        flagged = referrals.set_second_mediation(session, actor=desk.actor, case_id=case_id, expected_version=None)
        returned = referrals.return_to_police(session, actor=desk.actor, case_id=case_id, expected_version=None,
                                              reason="一方拒绝调解，退回派出所依法处理")
    assert flagged.second_mediation is True
    assert returned.returned and returned.state == ReferralState.CLOSED.value
    with desk.session() as session, pytest.raises(DomainError, match="已退回公安机关"):
        referrals.return_to_police(session, actor=desk.actor, case_id=case_id, expected_version=None, reason="再次")


def test_any_case_can_be_reported_to_the_police_and_it_is_audited(desk):
    with desk.session() as session:
        case_id = other_case(session, desk.actor)
        referrals.report_to_police(session, actor=desk.actor, case_id=case_id, reported_to="东柳派出所值班民警", note="当事人扬言报复")
        [report] = referrals.police_reports(session, actor=desk.actor, case_id=case_id)
        from laopan.models import AuditEntry
        from sqlalchemy import select

        actions = session.execute(select(AuditEntry.action).where(AuditEntry.entity_id == case_id)).scalars().all()
    assert report.reported_to == "东柳派出所值班民警" and report.note == "当事人扬言报复"
    assert "case.report_police" in actions


def test_a_liaison_sees_joint_cases_only(desk, clock):
    with desk.session() as session:
        joint = joint_case(session, desk.actor, referred_at=clock.now() - dt.timedelta(hours=1))
        other = other_case(session, desk.actor)
    officer = liaison(desk.actor)
    with desk.reading() as session:
        assert [row.id for row in list_cases(session, actor=officer)] == [joint]
        with pytest.raises(PermissionDenied, match="只能查看公安机关移交"):
            list_cases(session, actor=officer, filters=CaseFilter(source="party_application"))
        with pytest.raises(PermissionDenied, match="只能查看公安机关移交"):
            case_detail(session, actor=officer, case_id=other)
        assert case_detail(session, actor=officer, case_id=joint).referral.incident_no == "JQ202611270001"


def test_the_monthly_station_ledger_matches_an_independent_count(desk, clock):
    generate_demo(desk.engine, committee_id=desk.committee_id, cases=1500, seed=5, clock=clock)
    from tests.helpers.databases import sqlite_connection

    raw = sqlite_connection(desk.engine.url.render_as_string())  # the desk's file is encrypted: with its key
    rows = raw.execute(
        "SELECT r.referred_at, r.feedback_at, r.feedback_due_at, r.returned_to_police_at, r.second_mediation, c.status, c.status_before_close "
        "FROM police_referral r JOIN mediation_case c ON c.id = r.case_id"
    ).fetchall()
    raw.close()

    def instant(text):
        return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC) if text else None

    months: dict[tuple[int, int], list] = {}
    for referred, *rest in rows:
        local = instant(referred).astimezone(BEIJING)
        months.setdefault((local.year, local.month), []).append(rest)
    (year, month), month_rows = max(months.items(), key=lambda item: len(item[1]))
    now = clock.now()
    expected = {
        "received": len(month_rows),
        "settled": sum(status == "settled" or (status == "closed" and before == "settled") for *_, status, before in month_rows),
        "feedback_due": sum(fb is not None or instant(due) <= now for fb, due, *_ in month_rows),
        "feedback_on_time": sum(fb is not None and instant(fb) <= instant(due) for fb, due, *_ in month_rows),
        "returned": sum(ret is not None for _, _, ret, *_ in month_rows),
        "second_mediation": sum(bool(second) for _, _, _, second, *_ in month_rows),
    }
    with desk.reading() as session:
        ledger = monthly_ledger(session, actor=desk.actor, year=year, month=month)
    total = ledger[-1]
    assert total.station == "合计"
    assert {key: getattr(total, key) for key in expected} == expected
    assert [row.station for row in ledger[:-1]] == ["东柳派出所"]
    assert expected["received"] > 5, "the demo month should be busy enough to be a real check"


def test_the_ledger_exports_to_excel_and_csv(desk, clock, tmp_path):
    with desk.session() as session:
        joint_case(session, desk.actor, referred_at=clock.now() - dt.timedelta(hours=1))
    assert cli(["referral", "ledger", "--month", "2026-11", "--out", str(tmp_path / "l.xlsx"), "--database", str(desk.engine.url), "--as", "admin"], clock=clock) == 0
    assert cli(["referral", "ledger", "--month", "2026-11", "--out", str(tmp_path / "l.csv"), "--database", str(desk.engine.url), "--as", "admin"], clock=clock) == 0
    sheet = load_workbook(tmp_path / "l.xlsx").active
    assert sheet["A1"].value == "2026年11月 警调对接月度台账"
    assert [cell.value for cell in sheet[3]][:3] == ["东柳派出所", 1, 0]
    with (tmp_path / "l.csv").open(encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert table[0][0] == "派出所" and table[-1][:2] == ["合计", "1"]


def test_referral_list_prints_one_line_per_referral(desk, clock, capsys):
    with desk.session() as session:
        joint_case(session, desk.actor, referred_at=clock.now() - dt.timedelta(hours=2))
        joint_case(session, desk.actor, referred_at=clock.now() - dt.timedelta(days=3), incident_no="JQ202611240009", name="周敏")
    capsys.readouterr()
    assert cli(["referral", "list", "--database", str(desk.engine.url), "--as", "admin"], clock=clock) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1:3] for line in lines] == [["JQ202611240009", "已逾期"], ["JQ202611270001", "待首次联系"]]
    assert lines[1].split("\t")[0] == "DL2026-00001"


def test_return_and_report_times_cannot_be_in_the_future_or_before_the_referral(desk, clock):
    from laopan.errors import ValidationError

    with desk.session() as session:
        case_id = joint_case(session, desk.actor, referred_at=clock.now() - dt.timedelta(hours=1))
    for at, message in ((clock.now() + dt.timedelta(hours=1), "退回时间: 晚于现在"), (clock.now() - dt.timedelta(hours=2), "退回时间: 早于警情移交时间")):
        with desk.session() as session, pytest.raises(ValidationError) as refused:
            referrals.return_to_police(session, actor=desk.actor, case_id=case_id, expected_version=None, reason="调解不成", at=at)
        assert str(refused.value) == message
    with desk.session() as session, pytest.raises(ValidationError, match="报告时间: 晚于现在"):
        referrals.report_to_police(session, actor=desk.actor, case_id=case_id, reported_to="值班民警", at=clock.now() + dt.timedelta(minutes=5))
