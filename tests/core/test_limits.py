"""Limits in the domain, identical on SQLite and PostgreSQL (issue 10): amounts up to ¥999,999,999.99 in
64-bit fen, field lengths checked before saving, received within 30 years and not in the future, at most 50
parties, control characters refused naming the field. tests/pg runs the same cases on PostgreSQL."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from laopan.cli.main import main
from laopan.errors import ValidationError
from laopan.models import Case
from laopan.storage import read_session, session_scope
from laopan.storage.limits import check_text
from tests.helpers.databases import engine_for


def case(**changes) -> dict:
    base = {
        "received_at": "2026-11-02T14:00:00+08:00", "source": "party_application", "dispute_type": "neighbour",
        "level": "grid", "community": "安居", "summary": "邻居装修噪音扰民。",
        "parties": [{"role": "applicant", "name": "周丽", "phone": "13812345678"}, {"role": "respondent", "name": "吴刚"}],
    }
    base.update(changes)
    return base


def party(**changes) -> list[dict]:
    return [{"role": "applicant", "name": "周丽", "phone": "13812345678", **changes}, {"role": "respondent", "name": "吴刚"}]


# name → (case, what stderr says; None: accepted)
LIMITS = {
    "largest_amount": (case(amount_yuan="999999999.99"), None),
    "amount_over_the_limit": (case(amount_yuan="1000000000.00"), "cases[0].amount_yuan: 金额过大"),
    "amount_1e15": (case(amount_yuan="1e15"), "cases[0].amount_yuan: 金额过大"),
    "address_too_long": (case(parties=party(address="东" * 100_000)), "当事人.address: 最多 200 个字（现有 100000 个）"),
    "occupation_too_long": (case(parties=party(occupation="职" * 51)), "当事人.occupation: 最多 50 个字"),
    "escape_in_a_name": (case(parties=party(name="周\x1b[31m丽")), "cases[0].parties[0].name: 含有控制字符 U+001B"),
    "nul_in_the_summary": (case(summary="噪音\x00扰民"), "cases[0].summary: 含有控制字符 U+0000"),
    "bidi_override": (case(summary="噪音\u202e扰民"), "cases[0].summary: 含有控制字符 U+202E"),
    "received_in_year_1": (case(received_at="0001-01-01T00:00:00+08:00"), "cases[0].received_at: 受理时间早于 30 年前"),
    "received_in_1900": (case(received_at="1900-01-01T00:00:00+08:00"), "cases[0].received_at: 受理时间早于 30 年前"),
    "received_in_the_future": (case(received_at="2099-01-01T00:00:00+08:00"), "cases[0].received_at: 受理时间晚于现在"),
    "fifty_one_parties": (
        case(parties=[{"role": "applicant", "name": f"周{i}"} for i in range(50)] + [{"role": "respondent", "name": "吴刚"}]),
        "cases[0].parties: 一个案件最多 50 名当事人（现有 51 名）",
    ),
    "fifty_parties": (case(parties=[{"role": "applicant", "name": f"周{i}"} for i in range(49)] + [{"role": "respondent", "name": "吴刚"}]), None),
}


def import_limit(database: str, name: str, tmp_path: Path, capsys, clock) -> tuple[int, str, str]:
    file = tmp_path / f"{name}.json"
    file.write_text(json.dumps({"format": "laopan.case/1", "cases": [LIMITS[name][0]]}, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    code = main(["--database", database, "--as", "admin", "case", "import", str(file)], clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


def check_limit(database: str, name: str, code: int, out: str, err: str) -> None:
    expected = LIMITS[name][1]
    assert "Traceback" not in err and "13812345678" not in err
    engine = engine_for(database)
    try:
        with read_session(engine) as session:
            amounts = session.execute(select(Case.amount_fen)).scalars().all()
    finally:
        engine.dispose()
    if expected is None:
        assert (code, out.split()) == (0, ["DL2026-00001"]), err
        assert len(amounts) == 1
        if name == "largest_amount":
            assert amounts == [99_999_999_999]
        return
    assert (code, out) == (2, ""), err
    assert expected in err
    assert amounts == [], "nothing was saved"


@pytest.mark.both_engines
@pytest.mark.parametrize("name", sorted(LIMITS))
def test_a_limit_is_checked_before_saving(name, db_url, tmp_path, capsys, clock):
    """The same answer on SQLite and PostgreSQL (¥999,999,999.99 fits the 64-bit amount column on both)."""
    check_limit(db_url, name, *import_limit(db_url, name, tmp_path, capsys, clock))


def test_every_write_path_is_checked_not_only_import(desk):
    """The flush-time check also guards the intake form and edits (field named by table and column)."""
    from laopan.models import Community

    with pytest.raises(ValidationError, match=r"^community.name: 最多 \d+ 个字"):
        with session_scope(desk.engine) as session:
            session.add(Community(committee_id=desk.committee_id, name="社" * 500))
    with pytest.raises(ValidationError, match=r"含有控制字符 U\+0007"):
        check_text("姓名", "周\a丽")
    check_text("摘要", "第一行\n第二行\t制表")  # line breaks and tabs are text, not controls
