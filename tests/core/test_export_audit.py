"""An export is audited only once its file is written: to a folder that does not exist, the program says so in
Chinese and the audit holds no entry claiming the data left the desk."""

import pytest
from sqlalchemy import select

from laopan.errors import ValidationError
from laopan.ledger.export import export_cases_xlsx
from laopan.models import AuditEntry
from laopan.services.cases import CaseFilter
from laopan.services.station_ledger import export_ledger
from tests.helpers.scenarios import add_agreement, register


def _actions(desk) -> list[str]:
    with desk.session() as session:
        return list(session.execute(select(AuditEntry.action).where(AuditEntry.action.like("%export%"))).scalars())


def test_case_export_to_a_missing_folder_fails_in_chinese_and_is_not_audited(cli, desk, tmp_path):
    register(desk)
    code, _, err = cli("case", "export", "DL2026-00001", "--out", str(tmp_path / "无此目录" / "x.json"))
    assert code != 0 and "无法写入" in err and "未导出" in err
    assert _actions(desk) == []
    code, _, _ = cli("case", "export", "DL2026-00001", "--out", str(tmp_path / "x.json"))
    assert code == 0 and (tmp_path / "x.json").exists()
    assert _actions(desk) == ["case.export"]


def test_ledger_exports_to_a_missing_folder_are_not_audited(desk, tmp_path):
    register(desk)
    missing = tmp_path / "无此目录"
    for write in (
        lambda s: export_cases_xlsx(s, actor=desk.actor, filters=CaseFilter(), path=missing / "a.xlsx"),
        lambda s: export_ledger(s, actor=desk.actor, year=2026, month=11, path=str(missing / "b.xlsx")),
    ):
        with pytest.raises(ValidationError, match="无法写入|文件夹不存在"):
            with desk.session() as session:
                write(session)
    assert _actions(desk) == []


def test_a_document_to_a_missing_folder_fails_in_chinese_and_leaves_no_entry(cli, desk, tmp_path):
    add_agreement(desk, register(desk), kind="oral")
    before = len(_all(desk))
    code, _, err = cli("doc", "oral", "DL2026-00001", "--pdf", str(tmp_path / "无此目录" / "a.pdf"))
    assert code != 0 and "无法写入" in err and "未生成" in err
    assert len(_all(desk)) == before


def _all(desk) -> list[str]:
    """Every audit entry but the logins (each CLI run logs in, and that is audited)."""
    with desk.session() as session:
        return list(session.execute(select(AuditEntry.action).where(AuditEntry.action != "login")).scalars())
