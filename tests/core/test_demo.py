"""The demo data generator: deterministic, valid, consistent with the rules, and realistic in its mix."""

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap
from collections import Counter, defaultdict

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from laopan.clock import FixedClock, local_date
from laopan.demo import TABLES, demo_batches, generate_demo, prepare_demo, staff_size
from laopan.demo_names import amount_text, capital_yuan, credit_code, resident_id
from laopan.services import derived
from laopan.services.committee import init_committee
from laopan.services.numbering import parse_number
from laopan.settings import CommitteeSettings
from laopan.storage.engine import make_engine, session_scope
from laopan.storage.migrate import upgrade
from laopan.validation import check_credit_code, check_phone, check_resident_id

CLOCK = FixedClock()
SETTINGS = CommitteeSettings()
TODAY = local_date(CLOCK.now(), SETTINGS.time_zone)
CASES = 1_500


def _fresh_engine(path):
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(engine) as session:
        committee_id = init_committee(session, clock=FixedClock()).id
    return engine, committee_id


@pytest.fixture
def demo_engine(tmp_path):
    """A fresh SQLite database holding the default committee; yields (engine, committee id)."""
    engine, committee_id = _fresh_engine(tmp_path / "d.db")
    yield engine, committee_id
    engine.dispose()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """One generated data set, read (never changed) by the checks below; yields (engine, committee id, report)."""
    engine, committee_id = _fresh_engine(tmp_path_factory.mktemp("demo") / "d.db")
    report = generate_demo(engine, committee_id=committee_id, cases=CASES, seed=7, clock=CLOCK)
    yield engine, committee_id, report
    engine.dispose()


def rows(engine, sql, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).all()


def digest(engine) -> str:
    """A hash of every case and party row (ids included)."""
    h = hashlib.sha256()
    for table in ("mediation_case", "party"):
        for row in rows(engine, f"SELECT * FROM {table} ORDER BY id"):
            h.update(repr(tuple(row)).encode())
    return h.hexdigest()


# --- determinism ---------------------------------------------------------------------------------------------


def test_same_seed_gives_identical_rows_and_another_seed_does_not(tmp_path):
    digests = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        engine, committee_id = _fresh_engine(tmp_path / f"{name}.db")
        generate_demo(engine, committee_id=committee_id, cases=300, seed=seed, clock=CLOCK)
        digests.append(digest(engine))
        engine.dispose()
    assert digests[0] == digests[1]
    assert digests[2] != digests[0]


@pytest.mark.slow
def test_rows_do_not_depend_on_the_string_hash_seed(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        from test_demo import _fresh_engine, digest, CLOCK
        from laopan.demo import generate_demo
        engine, committee_id = _fresh_engine(sys.argv[1])
        generate_demo(engine, committee_id=committee_id, cases=200, seed=5, clock=CLOCK)
        print(digest(engine))
        engine.dispose()
    """)
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path / f"h{hash_seed}.db")], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": hash_seed})
        for hash_seed in ("1", "2")
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert all(process.returncode == 0 for process in processes), [err for _out, err in outputs]
    assert outputs[0][0] == outputs[1][0]
    assert len(outputs[0][0].strip()) == 64


# --- counts and mix ------------------------------------------------------------------------------------------


def test_counts_match_the_report_and_the_request(demo_db):
    engine, _committee_id, report = demo_db
    assert report.cases == CASES == rows(engine, "SELECT count(*) FROM mediation_case")[0][0]
    assert report.parties == rows(engine, "SELECT count(*) FROM party")[0][0]
    assert 2.3 <= report.parties / CASES <= 2.75
    assert report.mediators == staff_size(CASES) == rows(engine, "SELECT count(*) FROM mediator")[0][0]
    assert report.seconds > 0


def test_police_referral_cases_have_exactly_one_referral_row(demo_db):
    engine, _committee_id, report = demo_db
    referral_cases = {r[0] for r in rows(engine, """SELECT c.id FROM mediation_case c JOIN case_source s
                                                      ON s.id = c.source_id WHERE s.code = 'police_referral'""")}
    referral_rows = [r[0] for r in rows(engine, "SELECT case_id FROM police_referral")]
    assert 0.07 <= len(referral_cases) / CASES <= 0.13
    assert sorted(referral_rows) == sorted(referral_cases)
    assert report.referrals == len(referral_rows)


def test_agreements_exist_exactly_for_settled_cases(demo_db):
    engine, _committee_id, _report = demo_db
    settled = {r[0] for r in rows(engine, """SELECT id FROM mediation_case
                                             WHERE status = 'settled' OR status_before_close = 'settled'""")}
    with_agreement = [r[0] for r in rows(engine, "SELECT case_id FROM agreement")]
    assert settled and sorted(with_agreement) == sorted(settled)
    kinds = Counter(r[0] for r in rows(engine, "SELECT kind FROM agreement"))
    assert kinds["written"] > kinds["oral"] > 0


def test_mix_of_parties_levels_types_and_statuses_is_realistic(demo_db):
    engine, _committee_id, _report = demo_db
    parties = rows(engine, "SELECT kind, (SELECT count(*) FROM agent a WHERE a.party_id = p.id) FROM party p")
    organisations = sum(kind == "organization" for kind, _a in parties) / len(parties)
    agents = sum(n for _k, n in parties) / len(parties)
    assert 0.08 <= organisations <= 0.18
    assert 0.10 <= agents <= 0.21
    levels = Counter(r[0] for r in rows(engine, "SELECT level FROM mediation_case"))
    assert levels["grid"] > levels["community"] > 0 and levels["grid"] > levels["street"] > 0
    types = Counter(r[0] for r in rows(engine, """SELECT t.code FROM mediation_case c
                                                   JOIN dispute_type t ON t.id = c.dispute_type_id"""))
    assert types.most_common(1)[0][0] == "neighbour"
    assert types["intellectual_property"] < 0.01 * CASES
    by_year = Counter(int(r[0][:4]) for r in rows(engine, "SELECT received_at FROM mediation_case"))
    assert by_year[TODAY.year - 1] > 2 * by_year[TODAY.year - 9]  # recent years denser
    statuses = Counter(r[0] for r in rows(engine, "SELECT status FROM mediation_case"))
    assert statuses["closed"] > 0.8 * CASES


def test_the_case_community_usually_matches_a_party_address(demo_db):
    engine, _committee_id, _report = demo_db
    cases = rows(engine, """SELECT c.id, m.name, group_concat(p.address, '|') FROM mediation_case c
                            JOIN community m ON m.id = c.community_id JOIN party p ON p.case_id = c.id GROUP BY c.id""")
    matching = sum(community in (addresses or "") for _id, community, addresses in cases)
    assert matching / len(cases) >= 0.8


# --- validity --------------------------------------------------------------------------------------------------


def test_every_id_number_phone_and_credit_code_is_valid(demo_db):
    engine, _committee_id, _report = demo_db
    people = rows(engine, "SELECT id_number, sex, birth_date, phone, credit_code, kind, id_number_rev, phone_rev FROM party")
    for id_number, sex, birth_date, phone, code, kind, id_rev, phone_rev in people:
        if kind == "person":
            assert check_resident_id(id_number, today=TODAY, sex=sex,
                                     birth_date=dt.date.fromisoformat(birth_date)).number == id_number
            assert code is None
        else:
            assert check_credit_code(code) == code and id_number is None and sex is None
        if phone is not None:
            check_phone(phone)
        assert id_rev == derived.reversed_or_none(id_number) and phone_rev == derived.phone_key(phone)
    others = rows(engine, """SELECT id_number, phone FROM agent UNION ALL SELECT id_number, phone FROM mediator
                             UNION ALL SELECT NULL, officer_phone FROM police_referral""")
    for id_number, phone in others:
        if id_number is not None:
            check_resident_id(id_number, today=TODAY)
        check_phone(phone)
    assert any(p[3] and p[3].startswith("0574-8") for p in people)  # some landlines


def test_different_people_never_share_an_id_number(demo_db):
    engine, _committee_id, _report = demo_db
    assert rows(engine, """SELECT id_number FROM party WHERE id_number IS NOT NULL
                           GROUP BY id_number HAVING count(DISTINCT name) > 1""") == []


def test_check_characters_and_amounts():
    assert resident_id("110105", dt.date(1949, 12, 31), 2) == "11010519491231002X"  # the standard's example
    assert check_credit_code(credit_code("91", "330212", "MA2GXY1P")) == credit_code("91", "330212", "MA2GXY1P")
    assert capital_yuan(6500) == "陆仟伍佰元整"
    assert capital_yuan(10005) == "壹万零伍元整"
    assert capital_yuan(100100) == "壹拾万零壹佰元整"
    assert capital_yuan(1200500) == "壹佰贰拾万零伍佰元整"
    assert capital_yuan(1010) == "壹仟零壹拾元整"
    assert amount_text(8000) == "人民币捌仟元整（￥8000.00）"


def test_amounts_in_agreement_clauses_agree_in_both_forms(demo_db):
    engine, _committee_id, _report = demo_db
    found = 0
    for (clauses,) in rows(engine, "SELECT clauses FROM agreement"):
        for capital, yuan in re.findall(r"人民币(\w+?元整)（￥(\d+)\.00）", "".join(json.loads(clauses))):
            assert capital_yuan(int(yuan)) == capital
            found += 1
    assert found > 100


# --- numbers ---------------------------------------------------------------------------------------------------


def _check_numbers(engine, committee_id, kind, template, sql):
    """Numbers are unique, gapless from 1 per year, in time order, and the sequence row holds the last one."""
    by_year = defaultdict(list)
    for number, at in rows(engine, sql):
        year, seq = parse_number(template, number)
        assert year == local_date(dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC), SETTINGS.time_zone).year
        by_year[year].append(seq)
    sequences = dict(rows(engine, "SELECT year, last_seq FROM number_sequence WHERE committee_id = :c AND kind = :k",
                          c=committee_id, k=kind))
    assert by_year and sequences == {year: len(seqs) for year, seqs in by_year.items()}
    for seqs in by_year.values():
        assert seqs == list(range(1, len(seqs) + 1))


def test_intake_numbers_are_gapless_per_year_in_received_order(demo_db):
    engine, committee_id, _report = demo_db
    _check_numbers(engine, committee_id, "intake", SETTINGS.intake_no_format,
                   "SELECT intake_no, received_at FROM mediation_case ORDER BY received_at, id")


def test_agreement_numbers_are_gapless_per_year_in_finalised_order(demo_db):
    engine, committee_id, _report = demo_db
    _check_numbers(engine, committee_id, "agreement", SETTINGS.agreement_no_format,
                   "SELECT number, finalised_at FROM agreement ORDER BY finalised_at, case_id")
    for signed, effective, finalised in rows(engine, "SELECT signed_on, effective_on, finalised_at FROM agreement"):
        assert signed == effective == str(local_date(dt.datetime.fromisoformat(finalised).replace(tzinfo=dt.UTC)))


def test_a_second_run_continues_ids_and_numbers(demo_engine):
    engine, committee_id = demo_engine
    generate_demo(engine, committee_id=committee_id, cases=150, seed=1, clock=CLOCK)
    generate_demo(engine, committee_id=committee_id, cases=150, seed=2, clock=CLOCK)
    assert rows(engine, "SELECT count(*) FROM mediation_case")[0][0] == 300
    by_year = defaultdict(list)
    for (number,) in rows(engine, "SELECT intake_no FROM mediation_case"):
        year, seq = parse_number(SETTINGS.intake_no_format, number)
        by_year[year].append(seq)
    sequences = dict(rows(engine, "SELECT year, last_seq FROM number_sequence WHERE kind = 'intake'"))
    for year, seqs in by_year.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)) and sequences[year] == len(seqs)
    assert rows(engine, "PRAGMA foreign_key_check") == []


# --- structure and consistency -----------------------------------------------------------------------------------


def test_foreign_keys_hold(demo_db):
    engine, _committee_id, _report = demo_db
    assert rows(engine, "PRAGMA foreign_key_check") == []


def test_every_case_has_an_applicant_and_a_respondent_in_seq_order(demo_db):
    engine, _committee_id, _report = demo_db
    parties = defaultdict(list)
    for case_id, seq, role, name in rows(engine, "SELECT case_id, seq, role, name FROM party ORDER BY case_id, seq"):
        parties[case_id].append((seq, role, name))
    assert len(parties) == CASES
    display = dict(rows(engine, "SELECT id, parties_display FROM mediation_case"))
    for case_id, members in parties.items():
        roles = [role for _s, role, _n in members]
        assert "applicant" in roles and "respondent" in roles and 2 <= len(members) <= 4
        assert [seq for seq, _r, _n in members] == list(range(len(members)))
        assert display[case_id] == derived.parties_display([n for _s, r, n in members if r == "applicant"],
                                                           [n for _s, r, n in members if r == "respondent"])


def test_name_grams_are_the_grams_of_the_party_names(demo_db):
    engine, _committee_id, _report = demo_db
    names, grams = defaultdict(list), defaultdict(set)
    for case_id, name in rows(engine, "SELECT case_id, name FROM party"):
        names[case_id].append(name)
    for gram, case_id in rows(engine, "SELECT gram, case_id FROM name_gram"):
        grams[case_id].add(gram)
    assert names.keys() == grams.keys()
    for case_id in sorted(names)[::7]:
        assert grams[case_id] == derived.case_grams(names[case_id])


def test_status_and_dates_follow_the_lifecycle(demo_db):
    engine, _committee_id, _report = demo_db
    now = CLOCK.now().replace(tzinfo=None)
    cases = rows(engine, """SELECT status, status_before_close, received_at, accepted_at, due_on, closed_at,
                            created_at, version, created_by FROM mediation_case""")
    for status, before, received, accepted, due_on, closed, created, version, created_by in cases:
        assert created == received and version == 1 and created_by == "demo"
        received = dt.datetime.fromisoformat(received)
        assert received <= now
        assert (status == "closed") == (closed is not None) == (before is not None)
        assert before in (None, "settled", "terminated", "rejected")
        reached = before or status
        assert (accepted is None) == (reached in ("registered", "rejected"))
        if accepted is not None:
            accepted_at = dt.datetime.fromisoformat(accepted)
            assert received <= accepted_at <= now
            assert due_on == str(derived.mediation_due_on(accepted_at.replace(tzinfo=dt.UTC), SETTINGS))
        else:
            assert due_on is None
        if closed is not None:
            assert received <= dt.datetime.fromisoformat(closed) <= now


def test_each_handled_case_has_one_lead_named_on_the_case(demo_db):
    engine, _committee_id, _report = demo_db
    leads = defaultdict(list)
    for case_id, name in rows(engine, """SELECT cm.case_id, m.name FROM case_mediator cm
                                         JOIN mediator m ON m.id = cm.mediator_id WHERE cm.role = 'lead'"""):
        leads[case_id].append(name)
    for case_id, status, lead_name in rows(engine, "SELECT id, status, lead_name FROM mediation_case"):
        if status == "registered":
            assert case_id not in leads and lead_name is None
        else:
            assert leads[case_id] == [lead_name]
    paired = rows(engine, """SELECT count(*) FROM case_mediator cm JOIN pairing p ON p.id = cm.pairing_id
                             WHERE cm.mediator_id NOT IN (p.senior_id, p.junior_id)""")
    assert paired == [(0,)]


def test_referrals_are_timed_and_numbered_like_the_station_does(demo_db):
    engine, _committee_id, _report = demo_db
    referrals = rows(engine, """SELECT r.incident_no, r.call_time, r.referred_at, r.received_at, c.received_at,
                                r.first_contact_due_at, r.feedback_due_at, s.name, r.risk_flags
                                FROM police_referral r JOIN mediation_case c ON c.id = r.case_id
                                JOIN police_station s ON s.id = r.station_id""")
    assert referrals
    for incident_no, call, referred, received, case_received, first_due, feedback_due, station, _flags in referrals:
        call, referred = (dt.datetime.fromisoformat(v).replace(tzinfo=dt.UTC) for v in (call, referred))
        assert re.fullmatch(r"JQ\d{12}", incident_no)
        assert incident_no[2:10] == f"{local_date(call, SETTINGS.time_zone):%Y%m%d}"
        assert call < referred and received == case_received
        assert referred < dt.datetime.fromisoformat(received).replace(tzinfo=dt.UTC)
        due = derived.referral_due_times(referred, SETTINGS)
        assert [first_due, feedback_due] == [f"{v.replace(tzinfo=None):%Y-%m-%d %H:%M:%S.%f}" for v in due]
        assert station == "东柳派出所"
    assert any(flags != "[]" for *_r, flags in referrals)


def test_mediators_pairings_and_specialties(demo_db):
    engine, _committee_id, _report = demo_db
    mediators = rows(engine, "SELECT id, rank, unit, community_id, mentor_id FROM mediator")
    ranks = Counter(rank for _i, rank, *_ in mediators)
    units = {unit for _i, _r, unit, *_ in mediators}
    assert ranks["senior"] and ranks["junior"] and ranks["unknown"] == 0
    assert {"grid", "community", "street", "police_office", "lawyer"} <= units
    assert all(community is not None for _i, _r, unit, community, _m in mediators if unit in ("grid", "community"))
    work_units = dict(rows(engine, "SELECT unit, work_unit FROM mediator WHERE unit IN ('police_office', 'street')"))
    assert work_units == {"police_office": "东柳派出所警调中心", "street": "东柳街道人民调解委员会"}
    pairings = rows(engine, """SELECT s.rank, j.rank, j.mentor_id = s.id FROM pairing p
                               JOIN mediator s ON s.id = p.senior_id JOIN mediator j ON j.id = p.junior_id""")
    assert pairings and all(row == ("senior", "junior", 1) for row in pairings)
    specialised = {r[0] for r in rows(engine, "SELECT mediator_id FROM mediator_specialty")}
    assert specialised == {m[0] for m in mediators}


def test_staff_size_scales_from_eight_to_sixty():
    assert staff_size(100) == 8
    assert staff_size(100_000) == 60
    assert staff_size(10_000_000) == 60


# --- the generation/insertion split ----------------------------------------------------------------------------


def test_batches_carry_every_column_and_report_progress(demo_engine):
    engine, committee_id = demo_engine
    with session_scope(engine) as session:
        plan = prepare_demo(session, committee_id=committee_id, cases=250, seed=9, clock=CLOCK)
    batches = list(demo_batches(plan.dicts, committee_id=committee_id, cases=250, seed=9, clock=CLOCK,
                                settings=plan.settings, first_ids=plan.first_ids, staff=plan.staff,
                                seq_start=plan.seq_start, batch_cases=100))
    assert [len(batch["mediation_case"]) for batch in batches] == [100, 100, 50]
    tables = SQLModel.metadata.tables
    for batch in batches:
        for name in TABLES:
            # A raw INSERT may list the keys of a row: they are columns, and cover every one the database needs.
            required = {c.name for c in tables[name].c if not c.nullable and c.server_default is None}
            for row in batch[name]:
                assert required <= set(row) <= set(tables[name].c.keys()), name
        for row in batch["party"]:
            assert row["birth_date"] is None or isinstance(row["birth_date"], dt.date)
        for row in batch["mediation_case"]:
            assert row["received_at"].tzinfo is not None and isinstance(row["claims"], list)
        assert batch["name_gram"] == sorted(batch["name_gram"], key=lambda r: (r["gram"], r["case_id"]))
    calls = []
    generate_demo(engine, committee_id=committee_id, cases=250, seed=9, clock=CLOCK, batch_cases=100,
                  progress=lambda done, total: calls.append((done, total)))
    assert calls == [(100, 250), (200, 250), (250, 250)]
