"""The case list, its filters, paging and search, the detail's masking, and what a police liaison sees
(DESIGN §2 "Who is acting", §4 "Privacy", §6 search kinds). Expected results are computed in plain Python from
the data registered, not from the service."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from laopan.errors import NotFound, PermissionDenied
from laopan.models import AuditEntry
from laopan.services.cases import CaseFilter, CaseQuery, case_detail, count_cases, find_case_id, list_cases
from laopan.services.intake import import_cases
from laopan.services.mediators import list_mediators
from tests.helpers.scenarios import police_liaison

BEIJING = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 27)  # the FixedClock's 2026-11-27T01:00Z, in Beijing
DUE_SOON_DAYS = 3
MEDIATION_DAYS = 30


def person(role, name, id_number=None, phone=None, address=None):
    party = {"role": role, "name": name}
    party.update({k: v for k, v in (("id_number", id_number), ("phone", phone), ("address", address)) if v})
    return party


def org(role, name, credit_code=None, phone=None):
    party = {"role": role, "kind": "organization", "name": name}
    party.update({k: v for k, v in (("credit_code", credit_code), ("phone", phone)) if v})
    return party


def agreement(number):
    """A complete agreement (every element DESIGN §4 requires), so the import never hinges on a missing element."""
    return {"kind": "written", "facts": "事实。", "matters": "争议。", "responsibilities": "各负其责。", "clauses": ["按约履行。"],
            "performance": {"method": "银行转账", "place": "东柳街道人民调解委员会", "deadline": "2026-10-30"},
            "signed_on": "2026-10-20", "number": number}


# key, received_at, source, dispute_type, level, community, status, parties, mediators, agreement
SPECS = [
    dict(key="A", received_at="2026-10-20T10:00:00+08:00", source="police_referral", dispute_type="neighbour", level="grid",
         community="华光城", status="mediating",
         parties=[person("applicant", "张伟", "330212197803010013", "138 1234 5678", "宁波市鄞州区东柳街道华光城12幢2单元301室"),
                  person("respondent", "李秀英", "330204198506120026", "13712345678")],
         mediators=[{"name": "潘明杰", "role": "lead"}],
         police_referral={"incident_no": "JQ202610200001", "station": "东柳派出所", "referred_at": "2026-10-20T09:00:00+08:00"}),
    dict(key="B", received_at="2026-10-29T09:00:00+08:00", source="party_application", dispute_type="property_management",
         level="community", community="幸福苑", status="accepted",
         parties=[org("applicant", "宁波幸福物业管理有限公司", "91330212MA2CD4E5FX", "0574-88886666"),
                  person("respondent", "陈建华", "330227196001150030", "13900005555")],
         mediators=[{"name": "潘小", "role": "lead"}]),
    dict(key="C", received_at="2026-10-29T00:30:00+08:00", source="grid_report", dispute_type="marriage_family", level="grid",
         community="安居", status="accepted",
         parties=[person("applicant", "张小明"), person("respondent", "张大伟")]),
    dict(key="D", received_at="2026-11-20T10:00:00+08:00", source="party_application", dispute_type="contract", level="street",
         community="中兴", status="mediating",
         parties=[person("applicant", "孙华"), org("respondent", "钱多多装修队")],
         mediators=[{"name": "王芳", "role": "lead"}, {"name": "潘明杰", "role": "assistant"}]),
    dict(key="E", received_at="2026-10-01T10:00:00+08:00", source="police_referral", dispute_type="damages", level="community",
         community="东柳坊", status="settled",
         parties=[person("applicant", "王五", "330203197001010015", "13500001111", "宁波市鄞州区东柳街道东柳坊1幢"),
                  person("respondent", "赵六", "330203197202020025", "13600003333", "宁波市鄞州区东柳街道东柳坊2幢")],
         agreement=agreement("（2026）东柳人调字第087号")),
    dict(key="F", received_at="2026-11-26T08:00:00+08:00", source="party_application", dispute_type="neighbour", level="grid",
         community="安居", status="registered",
         parties=[person("applicant", "欧阳娜娜"), person("respondent", "司马光")]),
    dict(key="G", received_at="2026-11-01T23:30:00+08:00", source="committee_initiative", dispute_type="labour", level="grid",
         community="园丁", status="registered",
         parties=[person("applicant", "周丽", "330212199209090048"), person("respondent", "吴刚")]),
    dict(key="H", received_at="2026-11-02T00:30:00+08:00", source="party_application", dispute_type="consumer", level="community",
         community="锦苑", status="registered",
         parties=[org("applicant", "百分之百%便利店"), person("respondent", "王_芳")]),
    dict(key="I", received_at="2026-10-25T10:00:00+08:00", source="party_application", dispute_type="neighbour", level="grid",
         community="华侨城", status="terminated",
         parties=[person("applicant", "王小芳"), person("respondent", "张伟")]),
    dict(key="J", received_at="2026-09-15T10:00:00+08:00", source="court_entrusted", dispute_type="traffic", level="street",
         community="太古城", status="closed",
         parties=[person("applicant", "陈明", "330203198003030030", "13700004444", "宁波市鄞州区东柳街道太古城3幢"),
                  org("respondent", "宁波华光物业服务有限公司", "91330212MA2AB1C3XH", "0574-87650000")],
         agreement=agreement("（2026）东柳人调字第012号")),
    dict(key="K", received_at="2026-11-26T08:00:00+08:00", source="police_referral", dispute_type="neighbour", level="grid",
         community="安居", status="accepted",
         parties=[person("applicant", "马云飞"), person("respondent", "马化")],
         mediators=[{"name": "潘明杰", "role": "lead"}]),
]
BY_KEY = {spec["key"]: spec for spec in SPECS}
OPEN = ("accepted", "mediating")


def received(spec) -> dt.datetime:
    return dt.datetime.fromisoformat(spec["received_at"])


def received_day(spec) -> dt.date:
    return received(spec).astimezone(BEIJING).date()


def due_on(spec) -> dt.date | None:
    return received_day(spec) + dt.timedelta(days=MEDIATION_DAYS) if spec["status"] in OPEN else None


def newest_first(keys) -> list[str]:
    """Newest received first; the later registration first when two were received at the same instant."""
    order = {spec["key"]: index for index, spec in enumerate(SPECS)}
    return sorted(keys, key=lambda k: (received(BY_KEY[k]), order[k]), reverse=True)


def where(predicate) -> list[str]:
    return newest_first(spec["key"] for spec in SPECS if predicate(spec))


def digits(phone: str) -> str:
    return phone.replace(" ", "").replace("-", "")


@pytest.fixture
def cases(desk) -> dict[str, str]:
    """key → intake number of every case in SPECS, registered through one import."""
    document = {"format": "laopan.case/1", "cases": [
        {"summary": f"纠纷{spec['key']}。", **{k: v for k, v in spec.items() if k != "key"}} for spec in SPECS]}
    with desk.session() as session:
        report = import_cases(session, actor=desk.actor, document=document)
    return {spec["key"]: registered.intake_no for spec, registered in zip(SPECS, report.registered)}


def listed(desk, cases, filters=CaseFilter(), actor=None) -> list[str]:
    """The keys of the listed cases, in list order."""
    keys = {number: key for key, number in cases.items()}
    with desk.reading() as session:
        rows = list_cases(session, actor=actor or desk.actor, filters=filters, limit=1000)
        total = count_cases(session, actor=actor or desk.actor, filters=filters)
    assert total == len(rows), "the count agrees with the rows"
    return [keys[row.intake_no] for row in rows]


# --- list and filters ----------------------------------------------------------------------------------------------


def test_the_list_shows_every_case_newest_first(desk, cases):
    assert listed(desk, cases) == newest_first(BY_KEY)
    assert listed(desk, cases)[:2] == ["K", "F"], "same instant: the later registration first"


def test_a_row_carries_what_the_list_shows(desk, cases):
    with desk.reading() as session:
        rows = {row.intake_no: row for row in list_cases(session, actor=desk.actor)}
    a = rows[cases["A"]]
    assert (a.received_on, a.parties, a.dispute_type, a.level, a.status, a.lead_name, a.community) == (
        dt.date(2026, 10, 20), "张伟 诉 李秀英", "邻里", "grid", "mediating", "潘明杰", "华光城")
    for key, number in cases.items():
        row = rows[number]
        assert row.received_on == received_day(BY_KEY[key])
        expected_due = due_on(BY_KEY[key])
        assert row.days_left == ((expected_due - TODAY).days if expected_due else None), key


@pytest.mark.parametrize("level", ["grid", "community", "street"])
def test_filter_by_level(desk, cases, level):
    assert listed(desk, cases, CaseFilter(level=level)) == where(lambda s: s["level"] == level)


@pytest.mark.parametrize("status", ["registered", "accepted", "mediating", "settled", "terminated", "closed", "rejected"])
def test_filter_by_status(desk, cases, status):
    assert listed(desk, cases, CaseFilter(status=status)) == where(lambda s: s["status"] == status)


@pytest.mark.parametrize("dispute_type", ["neighbour", "contract", "traffic"])
def test_filter_by_dispute_type(desk, cases, dispute_type):
    assert listed(desk, cases, CaseFilter(dispute_type=dispute_type)) == where(lambda s: s["dispute_type"] == dispute_type)


@pytest.mark.parametrize("community", ["安居", "华光城", "月季"])
def test_filter_by_community(desk, cases, community):
    assert listed(desk, cases, CaseFilter(community=community)) == where(lambda s: s["community"] == community)


@pytest.mark.parametrize("source", ["police_referral", "party_application", "petition"])
def test_filter_by_source(desk, cases, source):
    assert listed(desk, cases, CaseFilter(source=source)) == where(lambda s: s["source"] == source)


@pytest.mark.parametrize(
    "start, end",
    [
        (dt.date(2026, 11, 2), dt.date(2026, 11, 20)),  # H was received 00:30 on 2 Nov in Beijing (1 Nov in UTC)
        (dt.date(2026, 11, 1), dt.date(2026, 11, 1)),  # G at 23:30 on 1 Nov in Beijing; H is the next day there
        (None, dt.date(2026, 10, 20)),
        (dt.date(2026, 11, 26), None),
    ],
)
def test_filter_by_received_date_counts_days_in_the_committee_time_zone(desk, cases, start, end):
    expected = where(lambda s: (start is None or received_day(s) >= start) and (end is None or received_day(s) <= end))
    assert expected, "the case data should make this range non-empty"
    assert listed(desk, cases, CaseFilter(received_from=start, received_to=end)) == expected


def test_filter_by_mediator_in_any_role(desk, cases):
    with desk.reading() as session:
        registry = {m.name: m.id for m in list_mediators(session, actor=desk.actor)}
    for name in ("潘明杰", "王芳", "潘小"):
        expected = where(lambda s: any(m["name"] == name for m in s.get("mediators", ())))
        assert listed(desk, cases, CaseFilter(mediator_id=registry[name])) == expected


def test_overdue_cases_are_open_cases_past_their_deadline(desk, cases):
    expected = where(lambda s: due_on(s) is not None and due_on(s) < TODAY)
    assert expected == ["A"]
    assert listed(desk, cases, CaseFilter(due="overdue")) == expected


def test_due_soon_cases_are_open_cases_due_within_the_warning_window(desk, cases):
    expected = where(lambda s: due_on(s) is not None and TODAY <= due_on(s) <= TODAY + dt.timedelta(days=DUE_SOON_DAYS))
    assert expected == ["B", "C"]
    assert listed(desk, cases, CaseFilter(due="due_soon")) == expected


def test_filters_combine(desk, cases):
    filters = CaseFilter(level="grid", status="accepted", community="安居")
    expected = where(lambda s: s["level"] == "grid" and s["status"] == "accepted" and s["community"] == "安居")
    assert expected == ["K", "C"]
    assert listed(desk, cases, filters) == expected


def test_pages_cover_every_row_once_in_a_stable_order(desk, cases):
    with desk.reading() as session:
        query = CaseQuery(session, actor=desk.actor, filters=CaseFilter())
        total = query.count(session)
        pages = [query.page(session, offset=offset, limit=4) for offset in range(0, total + 4, 4)]
        again = query.page(session, offset=4, limit=4)
    numbers = [row.intake_no for page in pages for row in page]
    assert total == len(SPECS)
    assert [len(page) for page in pages] == [4, 4, 3, 0]
    assert len(set(numbers)) == len(numbers) == total
    assert numbers == [cases[key] for key in newest_first(BY_KEY)]
    assert [row.intake_no for row in again] == numbers[4:8]


# --- search ----------------------------------------------------------------------------------------------------------


def names_containing(fragment: str) -> set[str]:
    return {s["key"] for s in SPECS if any(fragment.lower() in p["name"].lower() for p in s["parties"])}


def phones_ending(tail: str) -> set[str]:
    return {s["key"] for s in SPECS if any(digits(p.get("phone", "")).endswith(tail) and p.get("phone") for p in s["parties"])}


def ids_starting_or_ending(fragment: str) -> set[str]:
    return {
        s["key"] for s in SPECS
        if any(p.get("id_number") and (p["id_number"].startswith(fragment) or p["id_number"].endswith(fragment)) for p in s["parties"])
    }


def agreements_containing(fragment: str) -> set[str]:
    return {s["key"] for s in SPECS if fragment in s.get("agreement", {}).get("number", "")}


def intake_starting(cases, prefix: str) -> set[str]:
    return {key for key, number in cases.items() if number.startswith(prefix.upper())}


SEARCHES = {
    "one character": ("张", lambda c: names_containing("张")),
    "two characters": ("张伟", lambda c: names_containing("张伟")),
    "three characters": ("李秀英", lambda c: names_containing("李秀英")),
    "four-character full name": ("欧阳娜娜", lambda c: names_containing("欧阳娜娜")),
    "organisation fragment": ("华光物业", lambda c: names_containing("华光物业")),
    "organisation two characters": ("物业", lambda c: names_containing("物业")),
    "mobile tail": ("5678", lambda c: phones_ending("5678")),
    "landline tail": ("6666", lambda c: phones_ending("6666")),
    "ID first six": ("330212", lambda c: ids_starting_or_ending("330212")),
    "ID last four": ("0026", lambda c: ids_starting_or_ending("0026")),
    "full intake number": ("DL2026-00003", lambda c: intake_starting(c, "DL2026-00003")),
    "intake prefix": ("DL2026-0000", lambda c: intake_starting(c, "DL2026-0000")),
    "intake number lower-case": ("dl2026-00010", lambda c: intake_starting(c, "DL2026-00010")),
    "agreement number digits": ("087", lambda c: agreements_containing("087")),
    "agreement number words": ("东柳人调字第012", lambda c: agreements_containing("东柳人调字第012")),
    "percent sign": ("%", lambda c: names_containing("%")),
    "underscore": ("_", lambda c: names_containing("_")),
    "underscore inside a name": ("王_芳", lambda c: names_containing("王_芳")),
    "nothing": ("不存在的人", lambda c: set()),
}


@pytest.mark.parametrize("text, expected", SEARCHES.values(), ids=SEARCHES.keys())
def test_search_finds_exactly_the_matching_cases(desk, cases, text, expected):
    wanted = expected(cases)
    if text != "不存在的人":
        assert wanted and len(wanted) < len(SPECS), "the case data should make this search discriminating"
    assert listed(desk, cases, CaseFilter(text=text)) == newest_first(wanted)


def test_search_sanity_of_the_case_data():
    """The expectations above are only as good as the data: pin a few so a data edit cannot make them vacuous."""
    assert names_containing("张") == {"A", "C", "I"}
    assert names_containing("王_芳") == {"H"}, "王小芳 must not match: _ is not a wildcard"
    assert phones_ending("5678") == {"A"}
    assert ids_starting_or_ending("330212") == {"A", "G"}
    assert agreements_containing("087") == {"E"}


@pytest.mark.both_engines  # one search on PostgreSQL too: its LIKE and collation differ from SQLite's
def test_search_ignores_spaces_and_combines_with_filters(desk, cases):
    assert listed(desk, cases, CaseFilter(text=" 张 伟 ")) == newest_first(names_containing("张伟"))
    assert listed(desk, cases, CaseFilter(text="张", status="terminated")) == ["I"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("138-1234-5678", ["A"]),  # a mobile as people write it
        ("0574-88886666", ["B"]),  # a landline as stored and shown
        ("057488886666", ["B"]),  # the same landline without its dash
        ("(2026)东柳人调字第087号", ["E"]),  # an agreement number typed with ASCII parentheses
    ],
    ids=["mobile with dashes", "landline as shown", "landline without dash", "agreement with ASCII parentheses"],
)
def test_search_understands_numbers_as_people_type_them(desk, cases, text, expected):
    assert listed(desk, cases, CaseFilter(text=text)) == expected


def test_a_name_with_a_space_is_found_by_its_full_name(desk):
    document = {"format": "laopan.case/1", "cases": [{
        "source": "party_application", "dispute_type": "consumer", "level": "grid", "community": "安居", "summary": "退货纠纷。",
        "parties": [{"role": "applicant", "name": "David Smith"}, {"role": "respondent", "kind": "organization", "name": "东柳超市"}],
    }]}
    with desk.session() as session:
        (registered,) = import_cases(session, actor=desk.actor, document=document).registered
    for text in ("David", "David Smith", "david smith", "vid Sm"):
        with desk.reading() as session:
            assert [row.intake_no for row in list_cases(session, actor=desk.actor, filters=CaseFilter(text=text))] == [
                registered.intake_no], text


def test_a_blank_search_does_not_narrow_the_list(desk, cases):
    assert listed(desk, cases, CaseFilter(text="   ")) == newest_first(BY_KEY)


def test_find_case_id_by_intake_number(desk, cases):
    with desk.reading() as session:
        found = find_case_id(session, actor=desk.actor, intake_no=f"  {cases['C'].lower()} ")
        assert case_detail(session, actor=desk.actor, case_id=found).intake_no == cases["C"]
        with pytest.raises(NotFound, match="找不到受理编号为 DL2099-00001 的案件"):
            find_case_id(session, actor=desk.actor, intake_no="DL2099-00001")


# --- police liaison ----------------------------------------------------------------------------------------------------


@pytest.fixture
def liaison(desk):
    return police_liaison(desk)


def test_a_police_liaison_lists_only_joint_cases(desk, cases, liaison):
    joint = where(lambda s: s["source"] == "police_referral")
    assert joint == ["K", "A", "E"]
    assert listed(desk, cases, actor=liaison) == joint
    assert listed(desk, cases, CaseFilter(text="张"), actor=liaison) == ["A"]
    with pytest.raises(PermissionDenied, match="警调联络员只能查看公安机关移交的联合调解案件"):
        listed(desk, cases, CaseFilter(source="party_application"), actor=liaison)


def test_a_police_liaison_cannot_open_a_case_that_is_not_joint(desk, cases, liaison):
    with desk.session() as session:
        joint = case_detail(session, actor=liaison, case_id=find_case_id(session, actor=liaison, intake_no=cases["A"]))
        assert joint.referral.incident_no == "JQ202610200001"
        other = find_case_id(session, actor=desk.actor, intake_no=cases["B"])
        with pytest.raises(PermissionDenied, match="警调联络员只能查看公安机关移交的联合调解案件"):
            case_detail(session, actor=liaison, case_id=other)


# --- masking -------------------------------------------------------------------------------------------------------------


def _reveals(desk) -> list[tuple[str, int]]:
    with desk.session() as session:
        return [(e.login, e.entity_id) for e in session.execute(select(AuditEntry).where(AuditEntry.action == "case.reveal")).scalars()]


def test_the_detail_masks_id_numbers_phones_and_addresses_by_default(desk, cases):
    with desk.session() as session:
        detail = case_detail(session, actor=desk.actor, case_id=find_case_id(session, actor=desk.actor, intake_no=cases["A"]))
    zhang, li = detail.parties
    assert detail.revealed is False
    assert zhang.id_number == "**************0013（1978年生）"
    assert zhang.phone == "*******5678"
    assert zhang.address == "宁波市鄞州区东柳街道华光城****"
    assert li.phone == "*******5678"
    assert zhang.name == "张伟", "names are not masked"
    assert _reveals(desk) == []


def test_masking_covers_agents_and_landlines(desk):
    document = {"format": "laopan.case/1", "cases": [{
        "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "安居", "summary": "噪音。",
        "parties": [
            {"role": "applicant", "name": "周丽", "agent": {"name": "周强", "phone": "13900001111", "id_number": "330212199209090048",
                                                          "address": "宁波市鄞州区东柳街道安居小区"}},
            {"role": "respondent", "kind": "organization", "name": "某物业", "phone": "0574-87654321"},
        ],
    }]}
    with desk.session() as session:
        (registered,) = import_cases(session, actor=desk.actor, document=document).registered
        detail = case_detail(session, actor=desk.actor, case_id=registered.id)
    agent = detail.parties[0].agent
    assert (agent.phone, agent.id_number, agent.address) == ("*******1111", "**************0048（1992年生）", "宁波市鄞州区东柳街道安居小区****")
    assert detail.parties[1].phone == "********4321"


def test_reveal_shows_everything_and_is_audited(desk, cases):
    with desk.session() as session:
        case_id = find_case_id(session, actor=desk.actor, intake_no=cases["A"])
        detail = case_detail(session, actor=desk.actor, case_id=case_id, reveal=True)
    zhang = detail.parties[0]
    assert detail.revealed is True
    assert (zhang.id_number, zhang.phone, zhang.address) == ("330212197803010013", "13812345678", "宁波市鄞州区东柳街道华光城12幢2单元301室")
    assert _reveals(desk) == [("admin", case_id)]


def test_list_rows_carry_no_personal_numbers(desk, cases):
    with desk.reading() as session:
        rows = list_cases(session, actor=desk.actor)
    text = repr(rows)
    for spec in SPECS:
        for party in spec["parties"]:
            for key in ("id_number", "phone", "address"):
                if party.get(key):
                    assert digits(party[key]) not in digits(text)


def test_four_digits_are_a_phone_or_id_tail_not_every_resident_of_an_area(desk):
    """'3302' ends Zhao's phone; it also starts every Ningbo ID number, which must not flood the results."""
    from laopan.services.intake import register_case

    with desk.session() as session:
        for name, phone, id_number in (("赵一", "13900003302", "330212197803010013"), ("钱二", "13900001111", "330204198506120026")):
            register_case(session, actor=desk.actor, data={
                "source": "party_application", "dispute_type": "neighbour", "level": "grid", "community": "安居",
                "summary": "噪音。", "parties": [{"role": "applicant", "name": name, "phone": phone, "id_number": id_number},
                                               {"role": "respondent", "name": "孙三"}]})
    with desk.reading() as session:
        assert [row.parties for row in list_cases(session, actor=desk.actor, filters=CaseFilter(text="3302"))] == ["赵一 诉 孙三"]
        assert len(list_cases(session, actor=desk.actor, filters=CaseFilter(text="330204"))) == 1  # a full area code is a search
