"""Repeat parties: the same person's other cases (matched by ID number, else by name and phone), police referrals
that keep bringing the same pair of people, and 民转刑 risk markers from earlier records — shown when a case is
opened and while a party is typed at intake.

A person is matched only on what identifies them: a name alone (张伟) would join strangers. Within one committee,
and for a police liaison only the joint (police-referred) cases that role may see.
"""

from collections import defaultdict

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from laopan.models import Case, Party, PoliceReferral
from laopan.models.enums import RiskFlag
from laopan.security.records import case_clause
from laopan.services import derived
from laopan.services.actor import Actor
from laopan.services.cases import load_case
from laopan.views.people import EarlierCase, PersonHistory, RepeatParties

MAX_CASES = 50  # per person: enough to see a pattern, bounded for a person with a long history


def _condition(id_number: str | None, name: str | None, phone: str | None, credit_code: str | None = None):
    """By ID number (an organisation: credit code); by name and phone where a record has no ID number (a walk-in
    noted with name and phone)."""
    if credit_code and credit_code.strip():
        return Party.credit_code == credit_code.strip().upper(), "credit_code"
    number = (id_number or "").strip().upper()
    key = derived.phone_key(phone)
    by_phone = and_(Party.name == name.strip(), Party.phone_rev == key) if name and name.strip() and key else None
    if number:
        by_id = Party.id_number == number
        return (by_id if by_phone is None else or_(by_id, and_(Party.id_number.is_(None), by_phone))), "id_number"
    return by_phone, "name_phone" if by_phone is not None else ""


def _visible(session: Session, actor: Actor):
    return [case_clause(session, actor)]


def _earlier(session: Session, case_ids: set[int]) -> dict[int, EarlierCase]:
    if not case_ids:
        return {}
    referrals = {r.case_id: r for r in session.execute(select(PoliceReferral).where(PoliceReferral.case_id.in_(case_ids))).scalars()}
    out = {}
    for case in session.execute(select(Case).where(Case.id.in_(case_ids))).scalars():
        referral = referrals.get(case.id)
        flagged = referral is not None and RiskFlag.CRIMINAL_RISK.value in (referral.risk_flags or [])
        out[case.id] = EarlierCase(id=case.id, intake_no=case.intake_no, status=case.status, received_at=case.received_at,
                                   parties=case.parties_display or "", criminal_risk=flagged or bool(case.prevented_criminal),
                                   referred=referral is not None)
    return out


def _case_ids(session: Session, actor: Actor, condition, exclude_case_id: int | None) -> set[int]:
    # The party's own committee too: its ID, phone and credit-code indexes lead with it (migration 0013).
    query = (select(Party.case_id).join(Case, Case.id == Party.case_id)
             .where(Party.committee_id == actor.committee_id, condition, *_visible(session, actor)))
    if exclude_case_id is not None:
        query = query.where(Party.case_id != exclude_case_id)
    return set(session.execute(query.order_by(Case.received_at.desc()).limit(MAX_CASES)).scalars())


def _sorted(cases) -> tuple[EarlierCase, ...]:
    return tuple(sorted(cases, key=lambda c: (c.received_at, c.id), reverse=True))


def person_history(session: Session, *, actor: Actor, name: str | None = None, id_number: str | None = None,
                   phone: str | None = None, credit_code: str | None = None, exclude_case_id: int | None = None) -> PersonHistory | None:
    """The other cases of the person with this ID number (else this name and phone); None when the details do not
    identify anyone (no ID, and not both a name and a phone) or nobody matches."""
    condition, matched_by = _condition(id_number, name, phone, credit_code)
    if condition is None:
        return None
    cases = _earlier(session, _case_ids(session, actor, condition, exclude_case_id))
    if not cases:
        return None
    return PersonHistory(name=(name or "").strip(), matched_by=matched_by, cases=_sorted(cases.values()))


def repeat_parties(session: Session, *, actor: Actor, case_id: int) -> RepeatParties:
    """Each of the case's parties seen in other cases, and the other police referrals naming two of them."""
    load_case(session, actor=actor, case_id=case_id)  # the visibility rules
    parties = session.execute(select(Party).where(Party.case_id == case_id).order_by(Party.seq)).scalars().all()
    matched: dict[int, set[int]] = {}
    how: dict[int, str] = {}
    for party in parties:
        condition, matched_by = _condition(party.id_number, party.name, party.phone, party.credit_code)
        if condition is not None:
            matched[party.id] = _case_ids(session, actor, condition, case_id)
            how[party.id] = matched_by
    cases = _earlier(session, set().union(*matched.values()) if matched else set())
    people = tuple(
        PersonHistory(name=party.name, matched_by=how[party.id], cases=_sorted(cases[i] for i in matched[party.id]))
        for party in parties if matched.get(party.id)
    )
    seen_with: dict[int, int] = defaultdict(int)
    for ids in matched.values():
        for other in ids:
            seen_with[other] += 1
    pairs = _sorted(cases[i] for i, count in seen_with.items() if count >= 2 and cases[i].referred)
    return RepeatParties(people=people, repeat_referrals=pairs)
