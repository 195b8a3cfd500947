"""Property tests (issue 10 item 8): whatever arrives — bytes for the interchange reader, text for the
validators and the agreement-number check, any JSON value in any field of an imported case — only a domain
error comes out, and a refused import leaves the database as it was. Derandomised so CI repeats the same
examples; modest example counts keep the file to seconds."""

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from laopan.errors import DomainError, Refused
from laopan.interchange.reading import parse_document
from laopan.models import Agreement, Case, Party
from laopan.services import numbering
from laopan.services.agreement_numbers import TakenNumbers, check_number
from laopan.services.intake import import_cases
from laopan.validation import check_credit_code, check_phone, check_resident_id, yuan_to_fen
from tests.helpers.scenarios import case_data

FAST = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEMPLATE = "（{year}）东柳人调字第{seq:03d}号"
TODAY = dt.date(2026, 11, 27)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@FAST
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_the_interchange_reader_refuses_any_bytes_with_a_domain_error(raw):
    try:
        parse_document(raw, name="x.json")
    except DomainError as exc:
        assert str(exc)


@FAST
@given(st.text(max_size=25))
def test_the_validators_answer_any_text_with_a_value_or_a_field_error(text):
    for check in (lambda t: check_resident_id(t, today=TODAY), check_phone, check_credit_code, yuan_to_fen):
        try:
            check(text)
        except DomainError as exc:
            assert exc.field


@FAST
@given(st.text(max_size=40))
def test_the_agreement_number_check_answers_any_text(text):
    parsed, why_not = check_number(text, template=TEMPLATE, this_year=2026, taken=TakenNumbers({}), path="p")
    assert (parsed is None) != (why_not is None)


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@FAST
@given(st.integers(1997, 2026), st.integers(1, 999_999), st.integers(0, 3), st.booleans())
def test_every_spelling_of_one_number_is_the_same_number(year, seq, padding, full_width):
    spelled = f"（{year}）东柳人调字第{'0' * padding}{seq}号"
    if full_width:
        spelled = spelled.translate(FULL_WIDTH)
    taken = TakenNumbers({})
    assert check_number(spelled, template=TEMPLATE, this_year=2026, taken=taken, path="cases[0]") == ((year, seq), None)
    canonical = numbering.format_number(TEMPLATE, year=year, seq=seq)
    _, why_not = check_number(canonical, template=TEMPLATE, this_year=2026, taken=taken, path="cases[1]")
    assert why_not == f"协议编号 {canonical} 与本文件 cases[0] 重复"


def _counts(desk) -> tuple[int, int, int]:
    with desk.reading() as session:
        return tuple(session.execute(select(func.count()).select_from(m)).scalar_one() for m in (Case, Party, Agreement))


FIELDS = ["received_at", "source", "dispute_type", "level", "community", "grid", "summary", "claims", "amount_yuan",
          "parties", "status", "agreement", "mediators", "police_referral", "sessions", "escalations"]


@settings(FAST, max_examples=30)
@given(st.sampled_from(FIELDS), json_values, st.integers(0, 1))
def test_any_value_in_any_field_is_imported_or_refused_leaving_nothing(desk, field, value, party_index):
    before = _counts(desk)
    case = case_data(received_at=f"2026-11-{1 + before[0] % 20:02d}T10:00:00+08:00")
    if field == "parties":
        case["parties"][party_index] = value  # one party replaced by anything
    else:
        case[field] = value
    document = json.loads(json.dumps({"format": "laopan.case/1", "cases": [case]}))
    try:
        with desk.session() as session:
            import_cases(session, actor=desk.actor, document=document)
    except Refused as exc:
        assert exc.errors and all(error.field for error in exc.errors)
        assert _counts(desk) == before
    else:
        assert _counts(desk)[0] == before[0] + 1
