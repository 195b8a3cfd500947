"""What later work records (level history, sessions, outcome reasons, referral feedback, police reports) joins
`laopan.case/1` as optional keys, so a case that lived through the workflow exports and imports losslessly."""

import datetime as dt

import pytest

from laopan.desk import open_desk
from tests.helpers.accounts import TEST_PASSWORD
from laopan.interchange.export import export_cases
from laopan.models.enums import FeedbackResult
from laopan.services import lifecycle, referrals, sessions
from laopan.services.cases import case_detail
from laopan.services.intake import import_cases, register_case
from tests.helpers.databases import engine_for

BEIJING = dt.timezone(dt.timedelta(hours=8))


def lived_case(desk, clock) -> int:
    with desk.session() as session:
        case_id = register_case(session, actor=desk.actor, data={
            "received_at": (clock.now() - dt.timedelta(days=3)).isoformat(), "source": "police_referral",
            "dispute_type": "neighbour", "level": "grid", "community": "华光城", "grid": "华光城第1网格",
            "summary": "邻居因停车位争执，110出警后移交。",
            "parties": [{"role": "applicant", "name": "韩梅"}, {"role": "respondent", "name": "魏东", "phone": "13912345678"}],
            "police_referral": {"incident_no": "JQ202611240003", "station": "东柳派出所",
                                "referred_at": (clock.now() - dt.timedelta(days=3)).isoformat()},
        }).id
    actor = desk.actor
    with desk.session() as session:
        version = lifecycle.accept(session, actor=actor, case_id=case_id, expected_version=1).version
        version = lifecycle.start_mediating(session, actor=actor, case_id=case_id, expected_version=version).version
        version = lifecycle.escalate(session, actor=actor, case_id=case_id, expected_version=version, reason="网格调解两次未果").version
        sessions.add_session(session, actor=actor, case_id=case_id, held_at=clock.now() - dt.timedelta(days=1),
                             place="东柳街道调解中心", mediators=["潘明杰"], parties_present=["韩梅", "魏东"],
                             participants=["社区书记"], statements="韩梅：车位是我先租的。魏东：物业同意我停。", result="双方分歧较大")
        lifecycle.terminate(session, actor=actor, case_id=case_id, expected_version=version, reason="other_channel", destination="court")
        referrals.record_first_contact(session, actor=actor, case_id=case_id, expected_version=None, at=clock.now() - dt.timedelta(days=2))
        referrals.record_feedback(session, actor=actor, case_id=case_id, expected_version=None, result=FeedbackResult.NOT_SETTLED,
                                  content="调解不成，当事人拟起诉", at=clock.now() - dt.timedelta(hours=2))
        referrals.report_to_police(session, actor=actor, case_id=case_id, reported_to="东柳派出所值班民警", note="魏东情绪激动")
    return case_id


@pytest.mark.both_engines
def test_a_case_with_its_whole_history_round_trips(desk, clock, new_db_url):
    case_id = lived_case(desk, clock)
    with desk.session() as session:
        exported = export_cases(session, actor=desk.actor, case_ids=[case_id])
    case = exported["cases"][0]
    assert case["status"] == "terminated"
    assert (case["termination_reason"], case["termination_destination"]) == ("other_channel", "court")
    assert [(e["from_level"], e["to_level"], e["reason"]) for e in case["escalations"]] == [("grid", "community", "网格调解两次未果")]
    assert case["sessions"][0]["participants"] == ["社区书记"]
    assert case["police_referral"]["feedback_result"] == "not_settled"
    assert case["police_reports"][0]["note"] == "魏东情绪激动"

    engine = engine_for(new_db_url())  # another committee office's desk
    try:
        other = open_desk(engine=engine, login="admin", password=TEST_PASSWORD, clock=clock)
        with other.session() as session:
            [registered] = import_cases(session, actor=other.actor, document=exported).registered
            assert export_cases(session, actor=other.actor, case_ids=[registered.id]) == exported
            detail = case_detail(session, actor=other.actor, case_id=registered.id)
        assert [e.reason for e in detail.escalations] == ["网格调解两次未果"]
        assert detail.referral.feedback_content == "调解不成，当事人拟起诉"
    finally:
        engine.dispose()


def test_outcome_reasons_must_fit_the_status(desk):
    from laopan.errors import Refused

    base = {"source": "party_application", "dispute_type": "contract", "level": "grid", "community": "安居",
            "summary": "装修款纠纷。", "parties": [{"role": "applicant", "name": "孙华"}, {"role": "respondent", "name": "李工"}]}
    with desk.session() as session:
        try:
            register_case(session, actor=desk.actor, data={**base, "status": "mediating", "termination_reason": "too_far_apart"})
        except Refused as exc:
            messages = [str(e) for e in exc.errors]
        else:
            raise AssertionError("a mediating case with a termination reason must be refused")
    assert messages == ["termination_reason: 只有调解终止的案件才有终止原因"]
    with desk.session() as session:
        try:
            register_case(session, actor=desk.actor, data={**base, "status": "terminated", "termination_reason": "other_channel"})
        except Refused as exc:
            messages = [str(e) for e in exc.errors]
    assert messages == ["termination_destination: 转其他途径须写明去向"]


def test_case_show_prints_the_history_a_desk_recorded(desk, clock, capsys):
    from laopan.cli.main import main as cli

    lived_case(desk, clock)
    capsys.readouterr()
    assert cli(["case", "show", "DL2026-00001", "--database", str(desk.engine.url), "--as", "admin"], clock=clock) == 0
    out = capsys.readouterr().out
    for expected in ("终止原因：转其他途径（法院）", "调解记录", "参加人：社区书记", "结果：双方分歧较大",
                     "报告公安机关", "报告东柳派出所值班民警：魏东情绪激动", "反馈结果：调解未成", "层级变化", "网格→社区"):
        assert expected in out, expected
