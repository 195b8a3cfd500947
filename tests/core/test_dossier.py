"""The 卷宗: scans filed with a case (checked by their first bytes) and the completeness check at closing, with a
supervisor's forced close audited."""

import datetime as dt

import pytest
from sqlalchemy import select

from laopan.cli.main import main
from laopan.errors import DomainError, PermissionDenied, ValidationError
from laopan.models import AuditEntry, Case
from laopan.models.enums import MediatorUnit, Role
from laopan.services import dossier, followups, lifecycle, sessions
from tests.helpers.casefile import effective_case
from tests.helpers.scenarios import mediator as add_mediator_row
from tests.helpers.scenarios import user, version

PDF, PNG, JPEG = b"%PDF-1.4\n...", b"\x89PNG\r\n\x1a\n....", b"\xff\xd8\xff\xe0...."


def _attach(desk, case_id, kind, data, name="scan.pdf"):
    with desk.session() as session:
        return dossier.attach(session, actor=desk.actor, case_id=case_id, kind=kind, filename=name, data=data)


def _complete_but_followup(desk, case_id):
    with desk.session() as session:
        sessions.add_session(session, actor=desk.actor, case_id=case_id, held_at=dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC),
                             place="东柳街道人民调解委员会", mediators=["潘明杰"])
        case = session.get(Case, case_id)
        case.accepted_at = case.accepted_at or dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)
    _attach(desk, case_id, "id_proof", PNG, "身份证.png")


def _hua_guang_mediator(desk):
    """潘明杰, a mediator of 华光城 (the cases' community), so the record rules let him open them."""
    add_mediator_row(desk, "潘明杰", unit=MediatorUnit.COMMUNITY, community="华光城")
    return user(desk, "pan", Role.MEDIATOR, "潘明杰", "潘明杰")


def _close(desk, case_id, actor=None, **kwargs):
    with desk.session() as session:
        return lifecycle.close(session, actor=actor or desk.actor, case_id=case_id, expected_version=version(desk, case_id), **kwargs)


@pytest.mark.parametrize("data", [b"MZ\x90\x00", b"PK\x03\x04word", b"GIF89a", b""])
def test_attachments_must_be_pdf_jpeg_or_png_by_their_first_bytes(desk, data):
    case_id = effective_case(desk)
    with pytest.raises(ValidationError, match="扫描件"):
        _attach(desk, case_id, "evidence", data, "evidence.pdf")


def test_attachments_are_stored_with_the_type_their_bytes_show(desk):
    case_id = effective_case(desk)
    assert (_attach(desk, case_id, "evidence", JPEG, "收条.pdf").mime, _attach(desk, case_id, "履行凭证", PDF).kind) == (
        "image/jpeg", "performance_proof")
    with pytest.raises(ValidationError, match="材料类型"):
        _attach(desk, case_id, "selfie", PNG)


def test_closing_after_the_performance_deadline_without_a_followup_is_refused_naming_it(desk, clock):
    case_id = effective_case(desk)
    _complete_but_followup(desk, case_id)
    clock.advance(days=14)  # 2026-12-11: the performance deadline 2026-12-10 has passed
    mediator = _hua_guang_mediator(desk)
    with pytest.raises(DomainError, match="^卷宗不全，不能结案归档：缺少人民调解回访记录$"):
        _close(desk, case_id, actor=mediator)
    with desk.reading() as session:
        line = next(x for x in dossier.check(session, actor=desk.actor, case_id=case_id).lines if x.code == "followup")
    assert (line.required, line.present, line.detail) == (True, False, "履行期限 2026-12-10 已过")
    with desk.session() as session:
        [visit] = followups.schedule(session, actor=desk.actor, case_id=case_id)
        followups.record_followup(session, actor=desk.actor, followup_id=visit.id, expected_version=None,
                                  done_on=dt.date(2026, 12, 11), visitor="潘明杰", method="电话", performance_status="已履行")
    assert _close(desk, case_id, actor=mediator).status == "closed"


def test_before_the_deadline_the_followup_is_not_required(desk):
    case_id = effective_case(desk)
    _complete_but_followup(desk, case_id)
    with desk.reading() as session:
        assert dossier.check(session, actor=desk.actor, case_id=case_id).complete


def test_a_supervisor_may_force_the_close_with_a_reason_and_it_is_audited(desk):
    case_id = effective_case(desk)  # no sessions, no ID scans
    mediator = _hua_guang_mediator(desk)
    with pytest.raises(PermissionDenied):
        _close(desk, case_id, actor=mediator, force=True, reason="材料遗失")
    with pytest.raises(DomainError, match="强制结案理由"):
        _close(desk, case_id, force=True)
    with pytest.raises(DomainError, match="主任可填写理由强制结案"):
        _close(desk, case_id)
    _close(desk, case_id, force=True, reason="当事人身份证复印件另卷保存")
    with desk.reading() as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "case.close", AuditEntry.entity_id == case_id)).scalar_one()
        assert entry.note == "卷宗不全强制结案（缺少当事人身份证明、人民调解记录）：当事人身份证复印件另卷保存"


def test_the_cli_attaches_and_prints_the_checklist(desk, clock, db_url, capsys, tmp_path):
    case_id = effective_case(desk)
    with desk.reading() as session:
        no = session.get(Case, case_id).intake_no
    scan = tmp_path / "id.png"
    scan.write_bytes(PNG)
    run = lambda *args: (main([*args, "--database", db_url, "--as", "admin"], clock=clock), capsys.readouterr())  # noqa: E731
    code, out = run("case", "attach", no, "--kind", "id_proof", str(scan))
    assert (code, out.out) == (0, f"当事人身份证明\tid.png\t{len(PNG)}字节\n")
    code, out = run("case", "dossier", no)
    lines = out.out.splitlines()
    assert lines[2] == "✓\t当事人身份证明\t必须\t1份扫描件"
    assert "✗\t人民调解记录\t必须\t尚无调解记录" in lines
    assert lines[-1] == "缺少：人民调解记录"
    code, out = run("case", "close", no)
    assert code == 2 and "缺少人民调解记录" in out.err
    code, out = run("case", "close", no, "--force", "--reason", "记录另卷")
    assert code == 0 and "结案归档" in out.out
