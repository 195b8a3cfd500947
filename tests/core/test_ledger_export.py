"""台账 export (issue 15 item 6): the filtered list to Excel, masked unless the role may reveal, audited only
once the file exists; and the `laopan ledger` commands end to end."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from laopan.cli.main import main
from laopan.errors import ValidationError
from laopan.ledger.export import COLUMNS, export_cases_xlsx
from laopan.models import AuditEntry
from laopan.models.enums import Role
from laopan.services.cases import CaseFilter
from laopan.services.intake import register_case
from laopan.services.users import actor_for, add_user
from tests.helpers.accounts import TEST_PASSWORD
from tests.helpers.ledgers import GOOD_ID, ledger_row, write_xlsx


@pytest.fixture
def two_cases(desk):
    with desk.session() as session:
        for community, phone in (("安居", "13812345678"), ("锦苑", "13900001111")):
            register_case(session, actor=desk.actor, data={
                "received_at": "2026-11-20T10:00:00+08:00", "source": "party_application", "dispute_type": "neighbour",
                "level": "community", "community": community, "summary": f"{community}漏水纠纷", "amount_yuan": "8000",
                "parties": [{"role": "applicant", "name": "张伟", "id_number": GOOD_ID, "phone": phone,
                             "address": "宁波市鄞州区东柳街道安居路8号"},
                            {"role": "respondent", "name": "李娜"}],
            })
        # a supervisor sees every case (a mediator's export holds only the cases the record rules give them)
        add_user(session, actor=desk.actor, login="pan", display_name="潘主任", role=Role.SUPERVISOR, password=TEST_PASSWORD)
    return desk


def exports(session) -> int:
    return session.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "cases.export_ledger")).scalar_one()


def read_back(path):
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[2]] == list(COLUMNS)
    assert sheet.freeze_panes == "A3" and sheet.page_setup.orientation == "landscape"
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]


def test_masked_by_default_revealed_on_request_and_audited(two_cases, clock, tmp_path):
    desk = two_cases
    with desk.session() as session:
        assert export_cases_xlsx(session, actor=desk.actor, filters=CaseFilter(community="安居"), path=tmp_path / "a.xlsx",
                                 reveal=True) == 1
        mediator = actor_for(session, committee_id=desk.committee_id, login="pan", clock=clock)
        assert export_cases_xlsx(session, actor=mediator, filters=CaseFilter(), path=tmp_path / "m.xlsx") == 2
    [full] = read_back(tmp_path / "a.xlsx")
    assert full[3] == GOOD_ID and full[4] == "13812345678" and full[5].endswith("8号")
    assert full[1] == dt.datetime(2026, 11, 20) and full[14] == 8000  # real date and number cells
    masked = read_back(tmp_path / "m.xlsx")
    assert {row[4] for row in masked} == {"*******5678", "*******1111"}
    assert all(GOOD_ID not in str(row) and not row[3].startswith("3302") and row[3].startswith("*") and "年生" in row[3] for row in masked)
    assert all(row[5].endswith("****") for row in masked)
    with desk.reading() as session:
        assert exports(session) == 2
        entries = session.execute(select(AuditEntry.login, AuditEntry.changes).where(AuditEntry.action == "cases.export_ledger")
                                  .order_by(AuditEntry.id)).all()
    assert [(login, changes["revealed"], changes["cases"]) for login, changes in entries] == [("admin", True, 1), ("pan", False, 2)]


def test_a_role_that_may_not_export_full_personal_data_is_refused(two_cases, tmp_path):
    from laopan.errors import PermissionDenied
    from laopan.services.actor import Actor

    mediator = Actor(login="m", role=Role.MEDIATOR, committee_id=two_cases.committee_id, clock=two_cases.actor.clock)
    with pytest.raises(PermissionDenied, match="^调解员无权导出含完整个人信息的案件数据"), two_cases.session() as session:
        export_cases_xlsx(session, actor=mediator, filters=CaseFilter(), path=tmp_path / "r.xlsx", reveal=True)
    assert not (tmp_path / "r.xlsx").exists()


def test_missing_folder_is_refused_in_chinese_and_not_audited(two_cases, tmp_path):
    desk = two_cases
    with pytest.raises(ValidationError) as refused:
        with desk.session() as session:
            export_cases_xlsx(session, actor=desk.actor, filters=CaseFilter(), path=tmp_path / "nope" / "x.xlsx")
    assert "文件夹不存在" in refused.value.message
    with desk.reading() as session:
        assert exports(session) == 0


def test_cli_mapping_dry_run_import_and_export(db_url, tmp_path, capsys, clock):
    rows = [ledger_row(n) for n in range(1, 6)]
    rows[2][6] = "打架斗殴"
    path = write_xlsx(tmp_path / "台账.xlsx", rows)
    base = ["--database", db_url, "--as", "admin"]
    assert main(["ledger", "mapping", str(path), "--out", str(tmp_path / "m.json"), *base], clock=clock) == 0
    assert '"G": "dispute_type"' in (tmp_path / "m.json").read_text(encoding="utf-8")
    assert main(["ledger", "import", str(path), "--dry-run", *base], clock=clock) == 2
    out = capsys.readouterr()
    assert "第4行 G列（纠纷类型） “打架斗殴”：错误：纠纷类型“打架斗殴”无法识别" in out.out
    assert "G列 纠纷类型 → 纠纷类型（dispute_type）" in out.err
    assert main(["ledger", "import", str(path), "--mapping", str(tmp_path / "m.json"), *base], clock=clock) == 2
    assert "未保存任何内容" in capsys.readouterr().err
    assert main(["ledger", "import", str(path), "--valid-only", *base], clock=clock) == 0
    assert "已导入 4 个案件" in capsys.readouterr().err
    assert main(["ledger", "export", "--out", str(tmp_path / "out.xlsx"), "--community", "华光城", *base], clock=clock) == 0
    assert len(read_back(tmp_path / "out.xlsx")) == 2  # n=1 and n=4 are 华光城
