"""Idempotent import (issue 10 item 5): a case already on the desk — same 警情编号, or same received time and
same parties (names and ID numbers) — is reported by JSON path with the existing intake number, and refused
(the default) or skipped (`--on-duplicate skip`); importing one file twice counts each case once."""

import json

import pytest
from sqlalchemy import func, select

from laopan.errors import Refused
from laopan.models import Case, PoliceReferral
from laopan.services.duplicates import OnDuplicate
from laopan.services.intake import import_cases
from tests.helpers.scenarios import case_data, plain_case


def document(*cases) -> dict:
    return {"format": "laopan.case/1", "cases": list(cases)}


def cases_on_desk(desk) -> int:
    with desk.reading() as session:
        return session.execute(select(func.count()).select_from(Case)).scalar_one()


def run_import(desk, doc, on_duplicate=OnDuplicate.REFUSE):
    with desk.session() as session:
        return import_cases(session, actor=desk.actor, document=doc, on_duplicate=on_duplicate)


FILE = document(
    case_data(),
    case_data(source="police_referral", received_at="2026-11-20T11:00:00+08:00"),
    plain_case(received_at="2026-11-19T15:00:00+08:00"),
)


@pytest.mark.both_engines
def test_importing_the_same_file_twice_with_skip_counts_each_case_once(desk):
    first = run_import(desk, FILE)
    assert [r.intake_no for r in first.registered] == ["DL2026-00001", "DL2026-00002", "DL2026-00003"]
    second = run_import(desk, FILE, OnDuplicate.SKIP)
    assert second.registered == []
    assert second.skipped == [
        "cases[0]: 与已有案件 DL2026-00001 是同一案件（受理时间和当事人相同），已跳过",
        "cases[1]: 与已有案件 DL2026-00002 是同一案件（警情编号相同），已跳过",
        "cases[2]: 与已有案件 DL2026-00003 是同一案件（受理时间和当事人相同），已跳过",
    ]
    assert cases_on_desk(desk) == 3
    with desk.reading() as session:
        assert session.execute(select(func.count()).select_from(PoliceReferral)).scalar_one() == 1


@pytest.mark.both_engines
def test_by_default_a_file_with_a_case_already_present_is_refused_whole_naming_it(desk):
    run_import(desk, document(case_data()))
    new_case = plain_case(received_at="2026-11-21T09:00:00+08:00")
    with pytest.raises(Refused) as info:
        run_import(desk, document(new_case, case_data()))
    assert [str(e) for e in info.value.errors] == [
        "cases[1]: 与已有案件 DL2026-00001 是同一案件（受理时间和当事人相同）；如需跳过已有案件，请选择“跳过重复”"
    ]
    assert cases_on_desk(desk) == 1


def test_skip_imports_the_new_cases_of_a_file_and_lists_the_old_ones(desk):
    run_import(desk, document(case_data()))
    report = run_import(desk, document(plain_case(), case_data()), OnDuplicate.SKIP)
    assert [r.intake_no for r in report.registered] == ["DL2026-00002"]
    assert report.skipped == ["cases[1]: 与已有案件 DL2026-00001 是同一案件（受理时间和当事人相同），已跳过"]


@pytest.mark.parametrize("change", [
    {"received_at": "2026-11-20T10:01:00+08:00"},  # another minute
    {"parties": [{"role": "applicant", "name": "周丽"}, {"role": "respondent", "name": "吴刚"}, {"role": "respondent", "name": "吴强"}]},
])
def test_another_time_or_other_parties_make_another_case(desk, change):
    run_import(desk, document(plain_case()))
    report = run_import(desk, document(plain_case(**change)))
    assert [r.intake_no for r in report.registered] == ["DL2026-00002"]


def test_the_same_instant_in_another_offset_is_the_same_case(desk):
    run_import(desk, document(plain_case()))
    report = run_import(desk, document(plain_case(received_at="2026-11-20T02:00:00+00:00")), OnDuplicate.SKIP)
    assert report.registered == [] and len(report.skipped) == 1


@pytest.mark.both_engines
def test_the_cli_flag_chooses_and_the_refusal_says_how_to_skip(cli, tmp_path):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(FILE, ensure_ascii=False), encoding="utf-8")
    assert cli("case", "import", str(path))[0] == 0
    code, out, err = cli("case", "import", str(path))
    assert code == 2 and out == ""
    assert "cases[1]: 与已有案件 DL2026-00002 是同一案件（警情编号相同）" in err
    code, out, err = cli("case", "import", str(path), "--on-duplicate", "skip")
    assert (code, out) == (0, "")
    assert "跳过：cases[0]: 与已有案件 DL2026-00001 是同一案件（受理时间和当事人相同），已跳过" in err.splitlines()
    assert cli("cases", "--count")[1].strip() == "3"
