"""Who may import a ledger, and what an import announces (the window refreshes from it)."""

import pytest

from laopan import changes
from laopan.errors import PermissionDenied
from laopan.ledger.importing import import_ledger, plan_import
from laopan.services.sections import may_import
from laopan.ledger.mapping import guess_mapping
from laopan.ledger.reading import read_table, sheet_names
from laopan.models.enums import Role
from laopan.services.users import actor_for, add_user
from tests.helpers.accounts import TEST_PASSWORD
from tests.helpers.ledgers import ledger_row, write_xlsx


@pytest.fixture
def small_ledger(tmp_path):
    return write_xlsx(tmp_path / "台账.xlsx", [ledger_row(n) for n in range(1, 6)])


def test_only_supervisors_and_admins_may_import(desk, clock, small_ledger):
    with desk.session() as session:
        add_user(session, actor=desk.actor, login="pan", display_name="潘调解", role=Role.MEDIATOR, password=TEST_PASSWORD)
    with desk.session() as session:
        mediator = actor_for(session, committee_id=desk.committee_id, login="pan", clock=clock)
        assert may_import(desk.actor) and not may_import(mediator)
        table = read_table(small_ledger)
        plan = plan_import(session, actor=mediator, table=table, mapping=guess_mapping(table))
        with pytest.raises(PermissionDenied, match="导入台账"):
            import_ledger(session, actor=mediator, plan=plan, valid_only=True)


def test_an_import_notes_the_cases_it_wrote(session, actor, small_ledger):
    table = read_table(small_ledger)
    assert sheet_names(small_ledger) == ["台账"]
    changes.take(session)
    report = import_ledger(session, actor=actor, plan=plan_import(session, actor=actor, table=table,
                                                                   mapping=guess_mapping(table)), valid_only=True)
    noted = changes.take(session)
    assert len(report.imported) == 5 and {"case", "audit", "mediator"} <= noted.kinds and len(noted.case_ids) == 5
