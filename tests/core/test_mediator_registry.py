"""The registry entry as the edit dialog sees it: version, masked personal details (revealed to maintainers,
audited), declared relatives and specialty codes; stale edits refused; ranking an imported mediator makes
them suggestible."""

import pytest
from sqlalchemy import select

from laopan.errors import Conflict, PermissionDenied
from laopan.models import AuditEntry
from laopan.models.enums import MediatorRank, MediatorUnit, Role
from laopan.services import assignment, pairings
from laopan.services.intake import register_case
from laopan.services.mediators import add_mediator, list_mediators, mediator_view
from tests.helpers.scenarios import ZHANG_ID, case_data, register, user

HOME = "宁波市鄞州区东柳街道华光城12幢1单元101室"


def add_pan(desk) -> int:
    with desk.session() as session:
        return add_mediator(
            session, actor=desk.actor, name="潘明杰", rank=MediatorRank.SENIOR, unit=MediatorUnit.COMMUNITY, community="华光城",
            grid="华光城第3网格", phone="13812345678", id_number=ZHANG_ID, address=HOME, work_unit="东柳街道办",
            specialties=("property_management", "neighbour"), declared_relatives=("潘大", " ", "潘二 "),
        ).id


def registry(desk) -> dict[str, object]:
    with desk.reading() as session:
        return {view.name: view for view in list_mediators(session, actor=desk.actor)}


def test_the_view_carries_version_masked_details_relatives_and_specialty_codes(desk):
    pan_id = add_pan(desk)
    view = registry(desk)["潘明杰"]
    assert (view.id, view.version, view.revealed) == (pan_id, 1, False)
    assert view.id_number == "**************0013（1978年生）", "masked by default, like a party's"
    assert view.address.endswith("****") and "12幢" not in view.address
    assert view.phone == "13812345678" and view.work_unit == "东柳街道办", "unchanged: the CLI list prints these"
    assert view.declared_relatives == ("潘大", "潘二")
    assert view.specialty_codes == ("neighbour", "property_management")
    assert len(view.specialties) == 2 and view.specialties[0] != "neighbour", "labels stay beside the codes"
    assert (view.community, view.grid) == ("华光城", "华光城第3网格") and view.community_id and view.grid_id

    with desk.session() as session:
        full = mediator_view(session, actor=desk.actor, mediator_id=pan_id, reveal=True)
    assert (full.id_number, full.address, full.revealed) == (ZHANG_ID, HOME, True)
    with desk.reading() as session:
        reveals = session.execute(select(AuditEntry).where(AuditEntry.action == "mediator.reveal")).scalars().all()
        assert [(entry.entity, entry.entity_id, entry.login) for entry in reveals] == [("mediator", pan_id, "admin")]

    clerk = user(desk, "pan", Role.MEDIATOR, "潘明杰", "潘明杰")
    with desk.session() as session, pytest.raises(PermissionDenied, match="调解员无权维护调解员名册"):
        mediator_view(session, actor=clerk, mediator_id=pan_id, reveal=True)
    with desk.reading() as session:
        assert mediator_view(session, actor=clerk, mediator_id=pan_id).id_number == "**************0013（1978年生）"


def test_an_update_with_the_views_version_bumps_it_and_a_stale_one_is_refused(desk):
    pan_id = add_pan(desk)
    seen = registry(desk)["潘明杰"]
    with desk.session() as session:
        change = pairings.update_mediator(session, actor=desk.actor, mediator_id=pan_id, expected_version=seen.version,
                                          declared_relatives=["潘大", "王五"], specialties=["neighbour"])
    assert change.version == seen.version + 1
    now = registry(desk)["潘明杰"]
    assert (now.version, now.declared_relatives, now.specialty_codes) == (2, ("潘大", "王五"), ("neighbour",))
    with desk.session() as session, pytest.raises(Conflict, match=r"^已被 管理员 于 2026-11-27 09:00 修改，请刷新$"):
        pairings.update_mediator(session, actor=desk.actor, mediator_id=pan_id, expected_version=seen.version, active=False)
    assert registry(desk)["潘明杰"].active, "the stale edit saved nothing"


def test_an_imported_mediator_is_suggested_once_an_admin_sets_the_rank(desk):
    with desk.session() as session:
        register_case(session, actor=desk.actor, data=case_data(status="accepted", mediators=[{"name": "潘导入", "role": "lead"}]))
    fresh = register(desk)
    imported = registry(desk)["潘导入"]
    assert (imported.imported, imported.rank, imported.version) == (True, "unknown", 1)

    def suggested() -> list[str]:
        with desk.reading() as session:
            return [s.name for s in assignment.suggest_mediators(session, actor=desk.actor, case_id=fresh, limit=50)]

    assert "潘导入" not in suggested()
    with desk.session() as session:
        pairings.update_mediator(session, actor=desk.actor, mediator_id=imported.id, expected_version=imported.version,
                                 rank=MediatorRank.SENIOR)
    assert "潘导入" in suggested()
    assert registry(desk)["潘导入"].rank == "senior"
