"""The audit viewer's service and `laopan audit`: newest first, filters, keyset pages, export audited."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from laopan.errors import PermissionDenied, ValidationError
from laopan.models import AuditEntry
from laopan.services.audit_log import AuditFilter, audit_page, export_audit
from laopan.services.cases import case_detail
from laopan.models.enums import Role
from tests.helpers.scenarios import mediator, register, user


def _add(desk, *, login="admin", action="case.update", entity="case", entity_id=None, at=None, changes=None):
    with desk.session() as session:
        session.add(AuditEntry(committee_id=desk.actor.committee_id, at=at or desk.actor.clock.now(), login=login,
                               action=action, entity=entity, entity_id=entity_id, changes=changes or {}))


@pytest.mark.both_engines
def test_entries_newest_first_filtered_and_paged(desk):
    case_id = register(desk)
    with desk.session() as session:
        case_detail(session, actor=desk.actor, case_id=case_id, reveal=True)  # a real reveal
    now = desk.actor.clock.now()
    for day in range(1, 6):
        _add(desk, login="pan", action="agreement.print", at=now - dt.timedelta(days=day), entity_id=case_id)
    _add(desk, login="li", action="login.failed", entity="user", at=now - dt.timedelta(days=10))
    with desk.reading() as session:
        everything = audit_page(session, actor=desk.actor)
        assert [r.at for r in everything] == sorted((r.at for r in everything), reverse=True)
        reveal = audit_page(session, actor=desk.actor, filters=AuditFilter(group="查看隐私"))
        assert [(r.action, r.action_label, r.intake_no) for r in reveal] == [("case.reveal", "查看完整个人信息", "DL2026-00001")]
        printed = audit_page(session, actor=desk.actor, filters=AuditFilter(login="PAN", group="打印"))
        assert len(printed) == 5 and {r.intake_no for r in printed} == {"DL2026-00001"}
        first = audit_page(session, actor=desk.actor, filters=AuditFilter(login="pan"), limit=2)
        rest = audit_page(session, actor=desk.actor, filters=AuditFilter(login="pan"), after=first[-1].key, limit=10)
        assert [r.id for r in first + rest] == [r.id for r in printed], "pages follow on without gap or repeat"
        today = now.date()
        window = audit_page(session, actor=desk.actor, filters=AuditFilter(login="pan", date_from=today - dt.timedelta(days=3),
                                                                             date_to=today - dt.timedelta(days=2)))
        assert len(window) == 2
        assert [r.group for r in audit_page(session, actor=desk.actor, filters=AuditFilter(group="登录失败"))] == ["登录失败"]
        with pytest.raises(ValidationError, match="受理编号"):
            audit_page(session, actor=desk.actor, filters=AuditFilter(intake_no="DL2099-00001"))


def test_only_supervisors_and_admins_see_the_log(desk, tmp_path):
    mediator(desk, "潘明杰")
    pan = user(desk, "pan", Role.MEDIATOR, "潘明杰", mediator_name="潘明杰")
    li = user(desk, "li", Role.POLICE_LIAISON, "李联络")
    with desk.session() as session:
        for who in (pan, li):
            with pytest.raises(PermissionDenied, match="无权查看审计日志"):
                audit_page(session, actor=who)
            with pytest.raises(PermissionDenied, match="无权查看审计日志"):
                export_audit(session, actor=who, path=str(tmp_path / "a.csv"))
    assert not (tmp_path / "a.csv").exists()


@pytest.mark.both_engines
def test_export_writes_the_file_then_audits_the_export(desk, tmp_path):
    register(desk)
    out = tmp_path / "audit.xlsx"
    with desk.session() as session:
        count = export_audit(session, actor=desk.actor, path=str(out))
    sheet = load_workbook(out).active
    assert sheet.cell(2, 1).value == "时间" and sheet.max_row == count + 2
    with desk.reading() as session:
        assert audit_page(session, actor=desk.actor, limit=1)[0].action == "audit.export"
        before = len(audit_page(session, actor=desk.actor))
    with pytest.raises(ValidationError, match="无法写入"):
        with desk.session() as session:
            export_audit(session, actor=desk.actor, path=str(tmp_path / "无此目录" / "a.csv"))
    with desk.reading() as session:
        assert len(audit_page(session, actor=desk.actor)) == before


def test_cli_lists_and_exports(cli, desk, tmp_path):
    register(desk)
    code, out, err = cli("audit", "--case", "DL2026-00001")
    assert (code, err) == (0, "") and "登记案件" in out and "DL2026-00001" in out
    code, out, _ = cli("audit", "--export", str(tmp_path / "a.csv"))
    assert code == 0 and "已导出" in out
    assert "审计日志" not in (tmp_path / "a.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    code, out, _ = cli("audit", "--action", "导出")
    assert "导出审计日志" in out
