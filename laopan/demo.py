"""Demo data: a decade of a street's mediation work, for trying the desk out and for the benchmarks (DESIGN §6).

Generation is split from insertion. `demo_batches` yields plain row dicts (column → Python value) per batch of
cases, so a benchmark can insert the very same rows another way; `insert_batches` writes them with SQLAlchemy
Core bulk inserts, one transaction per batch (PITFALLS: Core bulk, not ORM objects). Ids are assigned here,
after the tables' current maximum, so children reference parents without RETURNING.

A seed always gives the same rows: every draw comes from a `random.Random` seeded with a string (hashed with
SHA-512, so PYTHONHASHSEED does not matter), in a fixed order, and no set is iterated unsorted.
"""

import datetime as dt
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from laopan import demo_names as N
from laopan.clock import Clock, format_date_cn, start_of_day
from laopan.errors import DomainError, NotFound
from laopan.models import Committee, Mediator, MediatorSpecialty, NumberSequence, Pairing
from laopan.models.enums import DEFAULT_STATION, RiskFlag
from laopan.services import derived, pinyin
from laopan.services.committee import Dictionaries, committee_settings, load_dictionaries
from laopan.services.numbering import AGREEMENT, INTAKE, format_number, move_past
from laopan.settings import CommitteeSettings
from laopan.storage.engine import session_scope

BATCH_CASES = 5_000
YEARS = 10
CREATED_BY = "demo"
# Insertion order: parents before children.
TABLES = ("mediation_case", "party", "agent", "name_gram", "name_pinyin", "case_mediator", "police_referral", "agreement")
ID_TABLES = ("mediation_case", "party", "agent", "case_mediator", "police_referral", "agreement")

_BULK_CACHE_KIB = 128 * 1024
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MIN, _HOUR, _DAY = 60, 3_600, 86_400


@dataclass(frozen=True)
class DemoReport:
    cases: int
    parties: int
    mediators: int
    referrals: int
    seconds: float


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str
    rank: str
    unit: str
    community_id: int | None
    specialties: tuple[str, ...]


@dataclass(frozen=True)
class StaffPairing:
    id: int
    senior_id: int
    junior_id: int
    start_ts: int
    end_ts: int | None


@dataclass(frozen=True)
class DemoStaff:
    members: tuple[StaffMember, ...]
    pairings: tuple[StaffPairing, ...]


@dataclass(frozen=True)
class DemoPlan:
    """What `demo_batches` needs beyond its seed: read (and the mediators created) by `prepare_demo`."""

    committee_name: str
    settings: CommitteeSettings
    dicts: Dictionaries
    staff: DemoStaff
    first_ids: dict[str, int]
    seq_start: dict[tuple[str, int], int]


# --- public entry points -------------------------------------------------------------------------------------


def generate_demo(engine: Engine, *, committee_id: int, cases: int, seed: int = 1, clock: Clock,
                  progress: Callable[[int, int], None] | None = None, batch_cases: int = BATCH_CASES) -> DemoReport:
    """Create mediators, then `cases` cases with everything that belongs to them; `progress(done, total)` per batch."""
    if cases < 0:
        raise ValueError("cases must be >= 0")
    started = time.perf_counter()
    with session_scope(engine) as session:
        plan = prepare_demo(session, committee_id=committee_id, cases=cases, seed=seed, clock=clock)
    batches = demo_batches(plan.dicts, committee_id=committee_id, cases=cases, seed=seed, clock=clock,
                           settings=plan.settings, first_ids=plan.first_ids, staff=plan.staff,
                           seq_start=plan.seq_start, committee_name=plan.committee_name, batch_cases=batch_cases)
    counts = insert_batches(engine, batches, progress, total=cases)
    advance_id_sequences(engine, ID_TABLES)
    return DemoReport(cases=counts["mediation_case"], parties=counts["party"], mediators=len(plan.staff.members),
                      referrals=counts["police_referral"], seconds=time.perf_counter() - started)


def prepare_demo(session: Session, *, committee_id: int, cases: int, seed: int, clock: Clock) -> DemoPlan:
    """Read the committee's settings and dictionaries, create the mediators (ORM: few rows), find the first ids."""
    committee = session.get(Committee, committee_id)
    if committee is None:
        raise NotFound(f"找不到调委会 #{committee_id}")
    settings = committee_settings(session, committee_id)
    dicts = load_dictionaries(session, committee_id)
    if not dicts.communities:
        raise DomainError("演示数据需要至少一个社区：请先用 laopan dict add community 添加")
    staff = _create_staff(session, committee_id=committee_id, dicts=dicts, cases=cases, seed=seed, clock=clock,
                          settings=settings, street=_street(committee.name))
    tables = SQLModel.metadata.tables
    first_ids = {name: (session.execute(select(func.max(tables[name].c.id))).scalar() or 0) + 1 for name in ID_TABLES}
    rows = session.execute(select(NumberSequence.kind, NumberSequence.year, NumberSequence.last_seq)
                           .where(NumberSequence.committee_id == committee_id)).all()
    return DemoPlan(committee.name, settings, dicts, staff, first_ids, {(k, y): s for k, y, s in rows})


def demo_batches(dicts: Dictionaries, *, committee_id: int, cases: int, seed: int, clock: Clock,
                 settings: CommitteeSettings, first_ids: Mapping[str, int], staff: DemoStaff,
                 seq_start: Mapping[tuple[str, int], int] | None = None, committee_name: str = "东柳街道人民调解委员会",
                 batch_cases: int = BATCH_CASES) -> Iterator[dict[str, list[dict]]]:
    """Per batch of cases: table name → row dicts (aware UTC datetimes, dates, lists for JSON columns).

    Besides the tables of `TABLES`, each batch has "number_sequence": rows (committee_id, kind, year, last_seq)
    to move the allocators past — an upsert keeping the larger last_seq, not a plain insert.
    """
    generator = _CaseGenerator(dicts, committee_id=committee_id, seed=seed, clock=clock, settings=settings,
                               staff=staff, committee_name=committee_name)
    yield from generator.batches(cases, dict(first_ids), dict(seq_start or {}), max(1, batch_cases))


def insert_batches(engine: Engine, batches: Iterable[Mapping[str, list[dict]]],
                   progress: Callable[[int, int], None] | None = None, *, total: int | None = None) -> Counter[str]:
    """Insert each batch in one transaction with Core bulk inserts; returns the rows inserted per table."""
    tables = SQLModel.metadata.tables
    counts: Counter[str] = Counter()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # five party indexes and name_gram take random keys: a big page cache saves re-reading pages
            connection.exec_driver_sql(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
            connection.commit()
        try:
            for batch in batches:
                with connection.begin():
                    for name in TABLES:
                        if batch.get(name):
                            if sqlite:
                                connection.execute(tables[name].insert(), batch[name])
                            else:
                                _copy_rows(connection, tables[name], batch[name])
                            counts[name] += len(batch[name])
                    with Session(bind=connection) as session:
                        for row in batch.get("number_sequence", ()):
                            move_past(session, committee_id=row["committee_id"], kind=row["kind"], year=row["year"],
                                      seq=row["last_seq"])
                if progress is not None:
                    progress(counts["mediation_case"], total if total is not None else counts["mediation_case"])
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA cache_size=-2000")  # SQLite's default, for the pooled connection
                connection.commit()
    return counts


def _copy_rows(connection, table, rows: list[dict]) -> None:
    """PostgreSQL's COPY, in the batch's transaction: ~5× the rows per second of an executemany of INSERTs (the
    100k demo took 168 s that way). JSON columns go as JSON, not as PostgreSQL arrays."""
    from psycopg.types.json import Json
    from sqlalchemy import JSON

    names = list(rows[0])
    as_json = [isinstance(table.c[name].type, JSON) for name in names]
    columns = ", ".join(f'"{name}"' for name in names)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([Json(row[name]) if json and row[name] is not None else row[name]
                            for name, json in zip(names, as_json, strict=True)])


def advance_id_sequences(engine: Engine, tables: Iterable[str]) -> None:
    """After rows were inserted with explicit ids, PostgreSQL's id sequences must move past them, or the next
    case registered at a desk collides with a demo row ("duplicate key"). SQLite takes max(id) + 1 by itself."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        for name in tables:
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), GREATEST((SELECT max(id) FROM {name}), 1), "
                f"(SELECT max(id) FROM {name}) IS NOT NULL)"
            )


def staff_size(cases: int) -> int:
    """About 60 mediators for 100,000 cases, at least 8."""
    return max(8, min(60, 8 + round(52 * cases / 100_000)))


def _at(ts: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(seconds=ts)


def _street(committee_name: str) -> str:
    return committee_name.removesuffix("人民调解委员会") or "东柳街道"


# --- mediators -------------------------------------------------------------------------------------------------


def _create_staff(session: Session, *, committee_id: int, dicts: Dictionaries, cases: int, seed: int, clock: Clock,
                  settings: CommitteeSettings, street: str) -> DemoStaff:
    rng = N.Rng(f"laopan-demo:{seed}:staff")
    people = N.People(rng, street)
    now = clock.now()
    today = now.astimezone(ZoneInfo(settings.time_zone)).date()
    communities = list(dicts.communities.items())
    rng.shuffle(communities)
    grids = {cid: sorted(gid for (c, _name), gid in dicts.grids.items() if c == cid) for _n, cid in communities}
    slots = list(N.FIRST_SLOTS)
    for k in range(staff_size(cases) - len(slots)):
        unit, rank = N.MORE_SLOTS[k % len(N.MORE_SLOTS)]
        slots.append((unit or N.PROFESSIONS[(k // len(N.MORE_SLOTS)) % len(N.PROFESSIONS)], rank))
    placed = Counter()
    rows: list[tuple[Mediator, tuple[str, ...]]] = []
    for index, (unit, rank) in enumerate(slots):
        sex = "male" if rng.random() < 0.55 else "female"
        birth = dt.date(rng.randint(1956, 1978) if rank == "senior" else rng.randint(1978, 1998), rng.randint(1, 12),
                        rng.randint(1, 28))
        community_id = grid_id = None
        address = people.elsewhere()
        if unit in ("grid", "community"):
            community_name, community_id = communities[placed[unit] % len(communities)]
            placed[unit] += 1
            if unit == "grid" and grids[community_id]:
                grid_id = grids[community_id][placed["grid"] // len(communities) % len(grids[community_id])]
            address = people.home(community_name, rng.randint(1, 40))
            work_unit = f"{community_name}社区居委会"
        elif unit in N.WORK_UNITS:
            work_unit = rng.choice(N.WORK_UNITS[unit]).format(z=rng.choice(N.BRANDS))
        else:
            station = DEFAULT_STATION if DEFAULT_STATION in dicts.stations else min(dicts.stations, default="派出所")
            work_unit = f"{station}警调中心" if unit == "police_office" else f"{street}人民调解委员会"
        specialty_pool = [code for code in N.UNIT_SPECIALTIES[unit] if code in dicts.dispute_types]
        specialties = tuple(rng.sample(specialty_pool, min(len(specialty_pool), rng.randint(1, 3))))
        mediator = Mediator(committee_id=committee_id, name=people.name(sex, birth.year, "潘" if index == 0 else None),
                            rank=rank, unit=unit, community_id=community_id, grid_id=grid_id, phone=people.mobile(),
                            id_number=people.id_number(birth, sex), address=address, work_unit=work_unit,
                            created_at=now - dt.timedelta(days=365 * YEARS + rng.randint(30, 400)))
        session.add(mediator)
        rows.append((mediator, specialties))
    session.flush()
    for mediator, specialties in rows:
        for code in specialties:
            session.add(MediatorSpecialty(mediator_id=mediator.id, dispute_type_id=dicts.dispute_types[code]))
    seniors = [m for m, _s in rows if m.rank == "senior"]
    juniors = [m for m, _s in rows if m.rank == "junior"]
    pairings: list[tuple[Pairing, int, int | None]] = []
    for junior in juniors[: max(1, len(rows) // 6)]:
        free = [s for s in seniors if s.id not in {p.senior_id for p, _a, _b in pairings}] or seniors
        same = [s for s in free if s.unit == junior.unit]
        senior = rng.choice(same or free)
        started = today - dt.timedelta(days=rng.randint(180, 365 * 9))
        ended = started + dt.timedelta(days=rng.randint(365, 365 * 3)) if rng.random() < 0.25 else None
        ended = ended if ended is not None and ended < today else None
        pairing = Pairing(committee_id=committee_id, senior_id=senior.id, junior_id=junior.id, started_on=started,
                          ended_on=ended)
        junior.mentor_id = senior.id
        session.add(pairing)
        end_ts = int(start_of_day(ended + dt.timedelta(days=1), settings.time_zone).timestamp()) if ended else None
        pairings.append((pairing, int(start_of_day(started, settings.time_zone).timestamp()), end_ts))
    session.flush()
    members = tuple(StaffMember(m.id, m.name, m.rank, m.unit, m.community_id, s) for m, s in rows)
    return DemoStaff(members, tuple(StaffPairing(p.id, p.senior_id, p.junior_id, a, b) for p, a, b in pairings))


# --- cases -----------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    received: int
    source: str
    dispute_type: str
    status: str = "registered"
    before_close: str | None = None
    accepted: int | None = None
    decided: int | None = None
    closed: int | None = None
    intake_no: str = ""
    agreement_no: str | None = None
    seqs: tuple[tuple[str, int, int], ...] = ()  # (kind, year, seq) of the numbers this case took


class _CaseGenerator:
    def __init__(self, dicts: Dictionaries, *, committee_id: int, seed: int, clock: Clock,
                 settings: CommitteeSettings, staff: DemoStaff, committee_name: str):
        self.dicts, self.committee_id, self.settings = dicts, committee_id, settings
        self.committee_name, self.street = committee_name, _street(committee_name)
        self.rng = rng = N.Rng(f"laopan-demo:{seed}:cases")
        self._incidents: set[str] = set()
        self.people = N.People(rng, self.street)
        self.tz = ZoneInfo(settings.time_zone)
        self.now = int(clock.now().timestamp())
        self.today = clock.now().astimezone(self.tz).date()
        self.start_day = self.today - dt.timedelta(days=round(365.25 * YEARS))
        self.station_id = dicts.stations.get(DEFAULT_STATION) or min(dicts.stations.values(), default=None)
        sources = {k: w for k, w in N.SOURCE_MIX.items() if k in dicts.sources}
        if self.station_id is None:
            sources.pop("police_referral", None)
        self.pick_source = N.Pick(sources.items())
        self.pick_type = N.Pick((k, w) for k, w in N.DISPUTE_MIX.items() if k in dicts.dispute_types)
        grids_of = {cid: sorted(gid for (c, _n), gid in dicts.grids.items() if c == cid) for cid in dicts.community_names}
        self.communities = [(cid, name, grids_of[cid]) for name, cid in dicts.communities.items()]
        self.pick_community = N.Pick((c, max(1, len(c[2]))) for c in self.communities)
        self.pick_level, self.pick_nature = N.Pick(N.LEVEL_MIX), N.Pick(N.NATURES)
        self.pick_method = N.Pick(N.PERFORMANCE_METHODS)
        self.members = {m.id: m for m in staff.members}
        seniors = [m for m in staff.members if m.rank == "senior"]
        self.seniors, self.juniors = seniors, [m for m in staff.members if m.rank == "junior"]

        def by_community(unit: str) -> dict[int | None, list[StaffMember]]:
            pools: dict[int | None, list[StaffMember]] = {None: [m for m in seniors if m.unit == unit]}
            for m in pools[None]:
                pools.setdefault(m.community_id, []).append(m)
            return pools

        self.grid_seniors, self.community_seniors = by_community("grid"), by_community("community")
        self.street_seniors = [m for m in seniors if m.unit == "street"] or seniors
        self.police_seniors = [m for m in seniors if m.unit == "police_office"]
        self.experts = {code: [m for m in seniors if m.unit in N.PROFESSIONS and code in m.specialties]
                        for code in N.DISPUTE_MIX}
        self.pairings: dict[int, list[StaffPairing]] = {}
        for pairing in staff.pairings:
            self.pairings.setdefault(pairing.senior_id, []).append(pairing)
        self.officers = [(self.people.name("male", rng.randint(1965, 1995)), f"{rng.randrange(10 ** 6):06d}",
                          self.people.mobile()) for _ in range(12)]
        self.approvers = [self.people.name("male", rng.randint(1965, 1980)) for _ in range(3)] + list(N.OFFICER_TITLES)

    # planning: when each case arrived and how far it got, so numbers can follow time order
    def _unique_incident(self, day: str, drawn: int) -> str:
        """A 警情编号 no other demo referral has (a station numbers each call once; an import checks it): the drawn
        number, or the next free one that day — without another draw, so every other value stays as it was."""
        number = drawn
        while f"{day}{number:04d}" in self._incidents:
            number += 1
        self._incidents.add(f"{day}{number:04d}")
        return f"{day}{number:04d}"

    def _plan(self, cases: int, seq_start: dict[tuple[str, int], int]) -> list[_Plan]:
        plans = []
        for _ in range(cases):
            source, dispute_type = self.pick_source(self.rng), self.pick_type(self.rng)
            plan = _Plan(self._received(source == "police_referral"), source, dispute_type)
            self._timeline(plan)
            plans.append(plan)
        plans.sort(key=lambda p: p.received)
        last = Counter(seq_start)
        for plan in plans:
            year = self._local(plan.received).year
            last[(INTAKE, year)] += 1
            plan.intake_no = format_number(self.settings.intake_no_format, year=year, seq=last[(INTAKE, year)])
            plan.seqs = ((INTAKE, year, last[(INTAKE, year)]),)
        for plan in sorted((p for p in plans if "settled" in (p.status, p.before_close)), key=lambda p: p.decided):
            year = self._local(plan.decided).year
            last[(AGREEMENT, year)] += 1
            plan.agreement_no = format_number(self.settings.agreement_no_format, year=year, seq=last[(AGREEMENT, year)])
            plan.seqs += ((AGREEMENT, year, last[(AGREEMENT, year)]),)
        return plans

    def _received(self, police: bool) -> int:
        rng = self.rng
        x = (-1 + math.sqrt(1 + 15 * rng.random())) / 3  # density rises 1 → 4 over the decade
        day = min(self.today, self.start_day + dt.timedelta(days=int(x * (self.today - self.start_day).days)))
        weekday = day.weekday()
        if weekday >= 5 and not police and rng.random() < 0.75:
            monday = day + dt.timedelta(days=7 - weekday)
            day = monday if monday <= self.today and rng.random() < 0.5 else day - dt.timedelta(days=weekday - 4)
        u = rng.random()
        minute = rng.randint(0, 1439) if police else rng.randint(510, 1050) if u < 0.85 else rng.randint(1050, 1260)
        ts = int(dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=self.tz).timestamp())
        return ts if ts <= self.now else self.now - rng.randint(1, 600) * _MIN

    def _timeline(self, p: _Plan) -> None:
        rng, now = self.rng, self.now
        if rng.random() < 0.035:
            decided = self._office(p.received + rng.randint(1, 72) * _HOUR)
            if decided <= now:
                p.status, p.decided = "rejected", decided
                self._close(p, decided, 10)
            return
        u = rng.random()
        accepted = self._office(p.received + (rng.randint(5, 120) * _MIN if u < 0.4 else rng.randint(2, 24) * _HOUR
                                              if u < 0.85 else rng.randint(24, 72) * _HOUR))
        if accepted > now:
            return
        p.accepted = accepted
        u = rng.random()
        span = (rng.randint(30, 360) * _MIN if u < 0.3 else rng.randint(1, 7) * _DAY if u < 0.65
                else rng.randint(7, 30) * _DAY if u < 0.9 else rng.randint(30, 75) * _DAY)
        if accepted + span > now:
            p.status = "mediating" if now - accepted > 2 * _DAY or rng.random() < 0.5 else "accepted"
            return
        decided = self._office(accepted + span)
        if decided > now:
            p.status = "mediating"
            return
        settled = rng.random() < (0.88 if span <= 30 * _DAY else 0.6)
        p.status, p.decided = ("settled" if settled else "terminated"), decided
        self._close(p, p.decided, 30 if settled else 15)

    def _close(self, p: _Plan, at: int, max_days: int) -> None:
        closed = self._office(at + self.rng.randint(1, max_days) * _DAY + self.rng.randint(0, 480) * _MIN)
        if closed <= self.now and self.rng.random() < 0.985:
            p.before_close, p.status, p.closed = p.status, "closed", closed

    def _local(self, ts: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(ts, self.tz)

    def _office(self, ts: int) -> int:
        """The instant, or the next working morning if it falls outside 8:30–18:00 (committee time)."""
        local = self._local(ts)
        if dt.time(8, 30) <= local.time() <= dt.time(18):
            return ts
        day = local.date() + dt.timedelta(days=1 if local.hour >= 18 else 0)
        return int(dt.datetime.combine(day, dt.time(8, 30), tzinfo=self.tz).timestamp()) + self.rng.randint(0, 150) * _MIN

    def batches(self, cases: int, ids: dict[str, int], seq_start: dict[tuple[str, int], int],
                batch_cases: int) -> Iterator[dict[str, list[dict]]]:
        plans = self._plan(cases, seq_start)
        for start in range(0, len(plans), batch_cases):
            batch: dict[str, list[dict]] = {name: [] for name in TABLES}
            last: dict[tuple[str, int], int] = {}
            grams: list[tuple[str, int]] = []
            keys: list[tuple[str, int]] = []
            for plan in plans[start:start + batch_cases]:
                self._case(plan, ids, batch, grams, keys)
                for kind, year, seq in plan.seqs:
                    last[(kind, year)] = max(last.get((kind, year), 0), seq)
            grams.sort()  # in key order: kind to the B-tree, and no dependence on set order
            committee = self.committee_id
            batch["name_gram"] = [{"committee_id": committee, "gram": gram, "case_id": case_id} for gram, case_id in grams]
            keys.sort()
            batch["name_pinyin"] = [{"committee_id": committee, "key": key, "case_id": case_id} for key, case_id in keys]
            batch["number_sequence"] = [{"committee_id": self.committee_id, "kind": kind, "year": year, "last_seq": seq}
                                        for (kind, year), seq in sorted(last.items())]
            yield batch

    # one case and everything that belongs to it
    def _case(self, p: _Plan, ids: dict[str, int], batch: dict[str, list[dict]], grams: list[tuple[str, int]],
              keys: list[tuple[str, int]]) -> None:
        rng, dicts = self.rng, self.dicts
        case_id = ids["mediation_case"]
        ids["mediation_case"] += 1
        police = p.source == "police_referral"
        community_id, community, grids = self.pick_community(rng)
        level = self.pick_level(rng)
        if level == "grid" and (police or p.dispute_type in N.STREET_HEAVY) and rng.random() < 0.25:
            level = "street"
        grid_id = rng.choice(grids) if grids and (level != "street" or rng.random() < 0.7) else None
        scenario = rng.choice(N.SCENARIOS[p.dispute_type])
        day = self._local(p.received).date()
        building = rng.randint(1, 40)
        parties = self.people.parties(p.dispute_type, scenario, community, building, day)
        for seq, party in enumerate(parties):
            party.update(id=ids["party"], case_id=case_id, committee_id=self.committee_id, seq=seq, version=1, updated_at=None, updated_by=None,
                         id_number_rev=derived.reversed_or_none(party["id_number"]),
                         phone_rev=derived.phone_key(party["phone"]))
            ids["party"] += 1
            batch["party"].append(party)
            if rng.random() < (0.4 if party["kind"] == "organization" else 0.12):
                agent = self.people.agent(party, day)
                agent["phone_rev"] = derived.phone_key(agent["phone"])
                agent["committee_id"] = self.committee_id
                batch["agent"].append(self._next(ids, "agent", agent))
        names = [party["name"] for party in parties]
        grams.extend((gram, case_id) for gram in derived.case_grams(names))
        keys.extend((key, case_id) for key in pinyin.case_keys(names))
        a = next(x["name"] for x in parties if x["role"] == "applicant")
        b = next(x["name"] for x in parties if x["role"] == "respondent")
        low, high = scenario[5] or (0, 0)
        claimed = self._amount(low, high) if high else None
        ctx = {"a": a, "b": b, "c": community, "bld": building, "yuan": claimed, "months": rng.randint(2, 6),
               "years": rng.randint(1, 3), "job": rng.choice(N.JOBS), "road": rng.choice(N.DONGLIU_ROADS),
               "plate": "浙B" + "".join(rng.choice("0123456789ABCDEFGHJK") for _ in range(5))}
        summary = scenario[0].format_map(ctx)
        claims = list(scenario[1][:1] if len(scenario[1]) > 1 and rng.random() < 0.3 else scenario[1])
        lead = self._mediators(p, ids, batch, case_id, level, community_id) if p.status != "registered" else None
        batch["mediation_case"].append({
            "id": case_id, "committee_id": self.committee_id, "intake_no": p.intake_no, "received_at": _at(p.received),
            "source_id": dicts.sources[p.source], "dispute_type_id": dicts.dispute_types[p.dispute_type],
            "level": level, "community_id": community_id, "grid_id": grid_id, "summary": summary, "claims": claims,
            "amount_fen": claimed * 100 if claimed else None, "status": p.status, "status_before_close": p.before_close,
            "accepted_at": _at(p.accepted) if p.accepted else None,
            "due_on": derived.mediation_due_on(_at(p.accepted), self.settings) if p.accepted else None,
            "closed_at": _at(p.closed) if p.closed else None,
            "parties_display": derived.parties_display([x["name"] for x in parties if x["role"] == "applicant"],
                                                       [x["name"] for x in parties if x["role"] == "respondent"]),
            "lead_name": lead[0].name if lead else None, "created_at": _at(p.received), "created_by": CREATED_BY,
            "version": 1, "updated_at": None, "updated_by": None,
        })
        if police:
            batch["police_referral"].append(self._referral(p, ids, case_id, community, parties, lead))
        if p.agreement_no is not None:
            batch["agreement"].append(self._agreement(p, ids, case_id, scenario, ctx, claimed, community, lead))

    def _amount(self, low: int, high: int) -> int:
        value = math.exp(self.rng.uniform(math.log(low), math.log(high)))
        step = 100 if value >= 2000 else 10
        return max(step, int(round(value / step)) * step)

    def _mediators(self, p: _Plan, ids: dict[str, int], batch: dict[str, list[dict]], case_id: int, level: str,
                   community_id: int) -> tuple[StaffMember, int | None]:
        """Assign the lead (and sometimes an assistant and a recorder); returns (lead, pairing id)."""
        rng = self.rng
        if level == "grid":
            pool = self.grid_seniors.get(community_id) or self.community_seniors.get(community_id) or self.grid_seniors[None]
        elif level == "community":
            pool = self.community_seniors.get(community_id) or self.community_seniors[None]
        elif p.source == "police_referral" and self.police_seniors and rng.random() < 0.7:
            pool = self.police_seniors
        elif self.experts.get(p.dispute_type) and rng.random() < 0.25:
            pool = self.experts[p.dispute_type]
        else:
            pool = self.street_seniors
        senior = rng.choice(pool or self.seniors)
        at = p.accepted or p.decided
        team: list[tuple[StaffMember, str, int | None]] = [(senior, "lead", None)]
        active = [x for x in self.pairings.get(senior.id, ()) if x.start_ts <= at and (x.end_ts is None or at < x.end_ts)]
        if active and rng.random() < 0.5:
            pairing = active[0]
            junior = self.members[pairing.junior_id]
            pair = [(junior, "lead"), (senior, "assistant")] if rng.random() < 0.5 else [(senior, "lead"), (junior, "assistant")]
            team = [(member, role, pairing.id) for member, role in pair]
        elif self.juniors and rng.random() < 0.25:
            near = [m for m in self.juniors if m.community_id == community_id] or self.juniors
            team.append((rng.choice(near), "assistant", None))
        if rng.random() < 0.1:
            recorder = rng.choice(list(self.members.values()))
            if all(recorder.id != member.id for member, _r, _p in team):
                team.append((recorder, "recorder", None))
        for member, role, pairing_id in team:
            batch["case_mediator"].append({"id": ids["case_mediator"], "case_id": case_id, "mediator_id": member.id,
                                           "role": role, "pairing_id": pairing_id, "assigned_at": _at(at),
                                           "assigned_by": CREATED_BY})
            ids["case_mediator"] += 1
        return team[0][0], team[0][2]

    def _referral(self, p: _Plan, ids: dict[str, int], case_id: int, community: str, parties: list[dict],
                  lead: tuple[StaffMember, int | None] | None) -> dict:
        rng, now = self.rng, self.now
        referred = p.received - rng.randint(5, 90) * _MIN
        call = referred - rng.randint(20, 36 * 60) * _MIN
        first_due, feedback_due = derived.referral_due_times(_at(referred), self.settings)
        contact = p.received + rng.randint(30, 20 * 60 if rng.random() < 0.9 else 40 * 60) * _MIN
        officer, badge, officer_phone = rng.choice(self.officers)
        born = [x["birth_date"] for x in parties if x["birth_date"]]
        old = bool(born) and (self._local(p.received).date() - min(born)).days > 65 * 365
        flags = [f.value for f in RiskFlag if rng.random() < N.RISKS[f.value] or (f.value == "elderly" and old and rng.random() < 0.5)]
        feedback_at = content = returned = None
        if p.decided is not None and rng.random() < 0.92:
            sent = p.decided + rng.randint(30, 72 * 60) * _MIN
            if sent <= now:
                outcome = p.before_close or p.status
                feedback_at = _at(sent)
                content = N.FEEDBACK[outcome].format(station=self.dicts.station_names[self.station_id],
                                                     committee=self.committee_name,
                                                     day=format_date_cn(self._local(p.decided).date()))
                returned = _at(sent) if outcome == "rejected" or (outcome == "terminated" and "criminal_risk" in flags) else None
        row = {"id": ids["police_referral"], "case_id": case_id,
               "incident_no": self._unique_incident(f"JQ{self._local(call):%Y%m%d}", rng.randint(1, 400)), "call_time": _at(call),
               "incident_time": _at(call - rng.randint(0, 45) * _MIN),
               "incident_place": rng.choice((f"{self.street}{community}小区门口", f"{self.street}{rng.choice(N.DONGLIU_ROADS)}附近",
                                             parties[0]["address"] or f"{self.street}{community}")),
               "station_id": self.station_id, "officer": officer, "badge_no": badge, "officer_phone": officer_phone,
               "approver": rng.choice(self.approvers), "nature": self.pick_nature(rng), "risk_flags": flags,
               "consent": True if rng.random() < 0.9 else None, "referred_at": _at(referred),
               "received_by": lead[0].name if lead else None, "received_at": _at(p.received),
               "first_contact_due_at": first_due, "feedback_due_at": feedback_due,
               "first_contact_at": _at(contact) if contact <= now else None, "feedback_at": feedback_at,
               "feedback_content": content, "returned_to_police_at": returned,
               "version": 1, "updated_at": None, "updated_by": None}
        ids["police_referral"] += 1
        return row

    def _agreement(self, p: _Plan, ids: dict[str, int], case_id: int, scenario: N.Scenario, ctx: dict,
                   claimed: int | None, community: str, lead: tuple[StaffMember, int | None] | None) -> dict:
        rng = self.rng
        signed = self._local(p.decided).date()
        money = claimed is not None
        method = self.pick_method(rng) if money else rng.choice(N.NON_MONEY_METHODS)
        deadline = signed if method == "当场履行" else signed + dt.timedelta(days=rng.choice((3, 7, 10, 15, 20, 30, 45, 60)))
        agreed = max(100, int(round(claimed * rng.uniform(0.5, 1.0) / 100)) * 100) if money else 0
        ctx = dict(ctx, amt=N.amount_text(agreed), dl=format_date_cn(deadline))
        clauses = [clause.format_map(ctx) for clause in scenario[4]]
        oral = rng.random() < (0.1 if money else 0.3)
        if oral:
            clauses = clauses[:1]
        elif rng.random() < 0.8:
            clauses.append(rng.choice(N.GENERIC_CLAUSES))
        junior_led = lead is not None and lead[0].rank == "junior"
        finalised = _at(p.decided)
        return self._next(ids, "agreement", {
            "committee_id": self.committee_id, "case_id": case_id, "kind": "oral" if oral else "written",
            "number": p.agreement_no, "facts": scenario[0].format_map(ctx) + ("" if oral else N.COMMON_FACTS_TAIL),
            "matters": "双方争议焦点为" + scenario[2], "responsibilities": scenario[3].format_map(ctx),
            "clauses": clauses, "performance_method": method,
            "performance_place": rng.choice((self.committee_name, f"{community}社区人民调解室", "当事人住所")),
            "performance_deadline": deadline, "signed_on": signed, "effective_on": signed, "finalised_at": finalised,
            "imported": False, "reviewed_at": finalised - dt.timedelta(minutes=rng.randint(10, 120)) if junior_led else None,
            "reviewed_by": CREATED_BY if junior_led else None, "revision": 1,
            "version": 1, "updated_at": None, "updated_by": None})

    @staticmethod
    def _next(ids: dict[str, int], table: str, row: dict) -> dict:
        row = {"id": ids[table], **row}
        ids[table] += 1
        return row
