"""Number sequences (DESIGN §3 受理编号, §4 "Agreement number"): gapless per committee, kind and year, allocated in
the saving transaction, never lowered by an imported number, and written/read in the committee's format."""

import threading

import pytest

from laopan.clock import FixedClock
from laopan.services import numbering
from laopan.services.committee import init_committee
from laopan.settings import CommitteeSettings
from laopan.storage import session_scope
from tests.helpers.databases import engine_for

INTAKE_FORMAT = CommitteeSettings().intake_no_format
AGREEMENT_FORMAT = CommitteeSettings().agreement_no_format


@pytest.fixture
def engine(db_url):
    engine = engine_for(db_url)
    yield engine
    engine.dispose()


def allocate(engine, committee_id: int, kind: str, year: int) -> int:
    with session_scope(engine) as session:
        return numbering.next_seq(session, committee_id=committee_id, kind=kind, year=year)


def test_sequences_are_gapless_and_separate_per_committee_kind_and_year(engine, desk):
    cid = desk.committee_id
    with session_scope(engine) as session:
        other = init_committee(session, name="西柳街道人民调解委员会", admin_login="xiliu", clock=FixedClock()).id
    assert [allocate(engine, cid, numbering.INTAKE, 2026) for _ in range(3)] == [1, 2, 3]
    assert allocate(engine, cid, numbering.AGREEMENT, 2026) == 1
    assert allocate(engine, cid, numbering.INTAKE, 2027) == 1
    assert allocate(engine, other, numbering.INTAKE, 2026) == 1
    assert allocate(engine, cid, numbering.INTAKE, 2026) == 4
    assert allocate(engine, cid, numbering.AGREEMENT, 2026) == 2


def test_a_number_allocated_in_a_rolled_back_transaction_is_handed_out_again(engine, desk):
    assert allocate(engine, desk.committee_id, numbering.INTAKE, 2026) == 1
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            assert numbering.next_seq(session, committee_id=desk.committee_id, kind=numbering.INTAKE, year=2026) == 2
            raise RuntimeError("the save failed")
    assert allocate(engine, desk.committee_id, numbering.INTAKE, 2026) == 2


def test_move_past_skips_an_imported_number_and_never_lowers(engine, desk):
    cid = desk.committee_id
    with session_scope(engine) as session:
        numbering.move_past(session, committee_id=cid, kind=numbering.AGREEMENT, year=2026, seq=87)
    assert allocate(engine, cid, numbering.AGREEMENT, 2026) == 88
    with session_scope(engine) as session:
        numbering.move_past(session, committee_id=cid, kind=numbering.AGREEMENT, year=2026, seq=12)
        numbering.move_past(session, committee_id=cid, kind=numbering.AGREEMENT, year=2026, seq=88)
    assert allocate(engine, cid, numbering.AGREEMENT, 2026) == 89
    assert allocate(engine, cid, numbering.AGREEMENT, 2025) == 1, "another year is untouched"


def test_concurrent_desks_get_unique_gapless_numbers(db_url, desk):
    engines = [engine_for(db_url) for _ in range(3)]
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def desk_allocates(engine) -> None:
        try:
            for _ in range(8):
                number = allocate(engine, desk.committee_id, numbering.INTAKE, 2026)
                with lock:
                    results.append(number)
        except BaseException as exc:  # noqa: BLE001 — reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=desk_allocates, args=(engine,)) for engine in engines]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for engine in engines:
            engine.dispose()
    assert errors == []
    assert sorted(results) == list(range(1, 25))


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("seq", [1, 9, 87, 999, 1000, 12345])
def test_default_formats_round_trip(year, seq):
    intake = numbering.format_number(INTAKE_FORMAT, year=year, seq=seq)
    agreement = numbering.format_number(AGREEMENT_FORMAT, year=year, seq=seq)
    assert numbering.parse_number(INTAKE_FORMAT, intake) == (year, seq)
    assert numbering.parse_number(AGREEMENT_FORMAT, agreement) == (year, seq)


def test_default_formats_look_as_designed():
    assert numbering.format_number(INTAKE_FORMAT, year=2026, seq=1) == "DL2026-00001"
    assert numbering.format_number(AGREEMENT_FORMAT, year=2026, seq=87) == "（2026）东柳人调字第087号"


def test_parse_tolerates_surrounding_spaces_and_rejects_other_formats():
    assert numbering.parse_number(AGREEMENT_FORMAT, "  （2026）东柳人调字第087号 ") == (2026, 87)
    assert numbering.parse_number(AGREEMENT_FORMAT, "（2026）西柳人调字第087号") is None
    assert numbering.parse_number(AGREEMENT_FORMAT, "DL2026-00001") is None
    assert numbering.parse_number(INTAKE_FORMAT, "DL2026-") is None
    assert numbering.parse_number(INTAKE_FORMAT, "DL26-00001") is None


def test_a_custom_format_round_trips():
    template = "东柳受{year}-{seq:04d}"
    number = numbering.format_number(template, year=2026, seq=42)
    assert number == "东柳受2026-0042"
    assert numbering.parse_number(template, number) == (2026, 42)
