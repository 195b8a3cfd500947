"""人民调解协议书: drafting, the statutory check (人民调解法 Art. 28–29), review, finalising with a number,
wet signatures and the effective date, corrections as revisions, and rendering (audited).
"""

import dataclasses
import datetime as dt
import re
from typing import Any, Literal

from sqlalchemy import func, select
from sqlmodel import Session

from laopan.clock import local_date
from laopan.errors import DomainError, NotFound, PermissionDenied, Refused, ValidationError
from laopan.models import Agreement, CaseMediator, Mediator, Pairing, Party
from laopan.models.agreement_records import SIGN_METHODS, AgreementRevision, AgreementScan, AgreementSignature
from laopan.models.enums import AgreementKind, CaseMediatorRole, CaseStatus, MediatorRank, PartyKind
from laopan.security.permissions import Action
from laopan.services import audit, locking, numbering
from laopan.services.actor import Actor
from laopan.services.agreement_rules import lone_amount_errors, payment_errors, representation_errors
from laopan.services.cases import agreement_view, build_detail, case_detail, load_case
from laopan.services.committee import committee_settings
from laopan.inputs import AgreementDraft, ClauseSpec
from laopan.views.agreements import AgreementCheck, AgreementDetail, AgreementState, ReviewRow, SignatureView

CONFUSABLE_TERMS = {
    "抚养": "抚养（长辈对子女）与扶养（夫妻、兄弟姐妹之间）不同，请确认",
    "扶养": "扶养（夫妻、兄弟姐妹之间）与抚养（长辈对子女）、赡养（子女对父母）不同，请确认",
    "补偿": "补偿（无过错的填补）与赔偿（因过错造成损害）不同，请确认",
    "赔偿": "赔偿（因过错造成损害）与补偿（无过错的填补）不同，请确认",
    "订金": "订金不具定金罚则效力；若约定“定金”，请写“定金”",
    "定金": "定金适用定金罚则（不得超过主合同标的额的20%）；与订金不同，请确认",
}
DRAFT_STATUSES = (CaseStatus.ACCEPTED.value, CaseStatus.MEDIATING.value, CaseStatus.SETTLED.value)
EDITABLE = ("kind", "facts", "matters", "responsibilities", "clauses", "clause_specs", "performance_method",
            "performance_place", "performance_deadline", "signed_on")


# ---------------------------------------------------------------- reading


def _agreement(session: Session, case_id: int, *, lock: bool = False) -> Agreement:
    """The agreement in force of a case (superseded ones stay on file beside it)."""
    statement = select(Agreement).where(Agreement.case_id == case_id, Agreement.superseded_at.is_(None))
    if lock:
        statement = statement.with_for_update()
    agreement = session.execute(statement).scalar_one_or_none()
    if agreement is None:
        raise NotFound("本案尚无调解协议，请先起草")
    return agreement


def _lead(session: Session, case_id: int) -> Mediator | None:
    return session.execute(
        select(Mediator).join(CaseMediator, CaseMediator.mediator_id == Mediator.id)
        .where(CaseMediator.case_id == case_id, CaseMediator.role == CaseMediatorRole.LEAD.value)
    ).scalars().first()


def _numbered(session: Session, case_id: int, number: str) -> Agreement:
    agreement = session.execute(select(Agreement).where(Agreement.case_id == case_id, Agreement.number == number)).scalar_one_or_none()
    if agreement is None:
        raise NotFound(f"本案没有编号为 {number} 的协议")
    return agreement


def find_agreement(session: Session, *, actor: Actor, number: str) -> tuple[int, str]:
    """(case id, agreement number) of an agreement of this committee by its number (in force or superseded)."""
    row = session.execute(select(Agreement.case_id, Agreement.number).where(
        Agreement.committee_id == actor.committee_id, Agreement.number == number.strip())).first()
    if row is None:
        raise NotFound(f"没有编号为 {number} 的协议")
    load_case(session, actor=actor, case_id=row[0])
    return row[0], row[1]


def _history(session: Session, case_id: int) -> list[tuple[str | None, bool]]:
    """Every agreement of the case, oldest first: (number, in force)."""
    return [(number, superseded is None) for number, superseded in session.execute(
        select(Agreement.number, Agreement.superseded_at).where(Agreement.case_id == case_id).order_by(Agreement.id))]


def needs_review(session: Session, case_id: int, agreement: Agreement) -> bool:
    """Junior-led agreements need the senior's or a supervisor's review (imported ones count as reviewed)."""
    if agreement.imported:
        return False
    lead = _lead(session, case_id)
    return lead is not None and lead.rank == MediatorRank.JUNIOR.value


def agreement_state(session: Session, *, actor: Actor, case_id: int, number: str | None = None) -> AgreementState:
    """The agreement in force, or with `number` any agreement of the case (a superseded one)."""
    case = load_case(session, actor=actor, case_id=case_id)
    agreement = _agreement(session, case_id) if number is None else _numbered(session, case_id, number)
    view = agreement_view(session, agreement)
    settings = committee_settings(session, actor.committee_id)
    parties = session.execute(select(Party).where(Party.case_id == case_id).order_by(Party.seq)).scalars().all()
    signed = {(s.signer_kind, s.party_id): s for s in session.execute(
        select(AgreementSignature).where(AgreementSignature.agreement_id == agreement.id)).scalars()}
    signatures = [
        SignatureView(f"{party.name}", party.id, "party", getattr(signed.get(("party", party.id)), "method", None),
                       getattr(signed.get(("party", party.id)), "signed_on", None),
                       getattr(signed.get(("party", party.id)), "signer_name", None))
        for party in parties
    ]
    for kind, text in (("mediator", "人民调解员"), ("recorder", "记录人"), ("seal", "调委会印章")):
        entry = signed.get((kind, None))
        signatures.append(SignatureView(text, None, kind, entry.method if entry else None, entry.signed_on if entry else None))
    has_scan = session.execute(select(AgreementScan.id).where(AgreementScan.agreement_id == agreement.id)).first() is not None
    effective = agreement.effective_on
    finalised = agreement.finalised_at is not None
    review_needed = needs_review(session, case_id, agreement)
    is_open = case.status != CaseStatus.CLOSED.value
    return AgreementState(
        case_id=case_id, version=agreement.version, kind=agreement.kind, number=agreement.number,
        finalised=agreement.finalised_at is not None, revision=agreement.revision,
        needs_review=needs_review(session, case_id, agreement), reviewed=agreement.reviewed_at is not None,
        copies=len(parties) + 1, effective_on=effective,
        judicial_confirmation_until=effective + dt.timedelta(days=settings.judicial_confirmation_days) if effective else None,
        signatures=tuple(signatures), has_scan=has_scan,
        clause_specs=tuple(ClauseSpec.from_json(spec) for spec in agreement.clause_specs),
        reviewed_by=agreement.reviewed_by,
        # A correction after finalising clears the review: the corrected text waits for one too.
        awaiting_review=review_needed and agreement.reviewed_at is None and agreement.superseded_at is None,
        may_review=may_review(session, actor=actor, case_id=case_id),
        may_edit=actor.may(Action.DRAFT) and not finalised and case.status in DRAFT_STATUSES,
        may_revise=actor.may(Action.FINALISE) and finalised and is_open,
        may_sign=actor.may(Action.SIGN) and finalised and is_open and agreement.kind == AgreementKind.WRITTEN.value
        and any(signature.method is None for signature in signatures) and agreement.superseded_at is None,
        superseded=agreement.superseded_at is not None, superseded_reason=agreement.superseded_reason,
        supersedes_number=view.supersedes_number, superseded_by_number=view.superseded_by_number,
        oral_register_no=agreement.oral_register_no,
        history=tuple(_history(session, case_id)),
    )


def agreement_detail(session: Session, *, actor: Actor, case_id: int) -> AgreementDetail:
    """Everything the 协议 tab shows, with what the actor may start from there."""
    detail = case_detail(session, actor=actor, case_id=case_id)
    try:
        state = agreement_state(session, actor=actor, case_id=case_id)
        check = check_agreement(session, actor=actor, case_id=case_id)
    except NotFound:  # the case was read above: it has no agreement yet
        state = check = None
    return AgreementDetail(
        detail=detail, state=state, check=check,
        may_draft=actor.may(Action.DRAFT) and state is None and detail.status in DRAFT_STATUSES,
        may_finalise=actor.may(Action.FINALISE) and state is not None and not state.finalised and not state.awaiting_review and check is not None and check.ok,
        today=actor.today(detail.time_zone),
    )


# ---------------------------------------------------------------- the statutory check


def check_agreement(session: Session, *, actor: Actor, case_id: int) -> AgreementCheck:
    """Every missing required element (refusals) and every recommended one or doubtful word (warnings)."""
    case = load_case(session, actor=actor, case_id=case_id)
    agreement = _agreement(session, case_id)
    detail = build_detail(session, actor=actor, case=case, reveal=True)
    errors: list[ValidationError] = []
    warnings: list[str] = []
    for index, party in enumerate(detail.parties, 1):
        where = f"当事人[{index}] {party.name}"
        if party.kind == PartyKind.ORGANIZATION.value:
            if not party.credit_code:
                errors.append(ValidationError(where, "缺少统一社会信用代码"))
        elif not party.id_number:
            errors.append(ValidationError(where, "缺少身份证件号码"))
        if not party.address and not party.phone:
            errors.append(ValidationError(where, "缺少住址或联系电话"))
    if not agreement.facts.strip():
        errors.append(ValidationError("纠纷主要事实", "不能为空"))
    if not agreement.matters.strip():
        errors.append(ValidationError("争议事项", "不能为空"))
    clauses = [clause for clause in agreement.clauses if clause.strip()]
    if not clauses:
        errors.append(ValidationError("协议条款", "至少需要一条"))
    if not (agreement.performance_method or "").strip():
        errors.append(ValidationError("履行方式", "不能为空"))
    if agreement.performance_deadline is None:
        errors.append(ValidationError("履行期限", "不能为空"))
    if not agreement.responsibilities.strip():
        warnings.append("各方责任: 建议写明各方应承担的责任")
    if not (agreement.performance_place or "").strip():
        warnings.append("履行地点: 建议写明")
    from laopan.documents.money import check_amounts

    for index, clause in enumerate(clauses, 1):
        errors.extend(check_amounts(clause, field=f"协议条款[{index}]"))
        errors.extend(lone_amount_errors(clause, f"协议条款[{index}]"))
    signed_on = _first_signature(session, agreement) or agreement.signed_on
    if agreement.kind == AgreementKind.WRITTEN.value:
        errors.extend(representation_errors(detail.parties, signed_on or actor.today(detail.time_zone)))
    errors.extend(payment_errors(agreement.clause_specs, detail.parties, signed_on))
    text = "\n".join([agreement.facts, agreement.matters, agreement.responsibilities, *clauses])
    for term, advice in CONFUSABLE_TERMS.items():
        if term in text:
            warnings.append(f"用词“{term}”: {advice}")
    return AgreementCheck(tuple(errors), tuple(warnings))


# ---------------------------------------------------------------- changing it


def save_draft(session: Session, *, actor: Actor, case_id: int, draft: AgreementDraft, expected_version: int | None) -> AgreementState:
    """Create or update the draft; payment clauses are rendered into text here. A finalised one is read-only."""
    actor.require(Action.DRAFT)
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    if case.status not in DRAFT_STATUSES:
        raise DomainError("只有受理、调解中或调解成功的案件可以起草协议")
    values = _draft_values(draft)
    agreement = session.execute(select(Agreement).where(Agreement.case_id == case_id).with_for_update()).scalar_one_or_none()
    if agreement is None:
        agreement = Agreement(committee_id=actor.committee_id, case_id=case_id, **values)
        session.add(agreement)
        session.flush()
        audit.record(session, actor=actor, action="agreement.draft", entity="case", entity_id=case_id, changes=values)
    else:
        locking.check_version(session, agreement, expected_version, actor=actor)
        if agreement.finalised_at is not None:
            raise DomainError(f"协议已定稿（{agreement.number}），只读；更正请另立修订")
        changes = locking.apply(agreement, values)
        if changes:
            locking.touch(agreement, actor=actor)
            audit.record(session, actor=actor, action="agreement.edit", entity="case", entity_id=case_id, changes=changes)
    return agreement_state(session, actor=actor, case_id=case_id)


def _draft_values(draft: AgreementDraft) -> dict[str, Any]:
    errors = []
    texts = []
    for index, spec in enumerate(draft.clauses, 1):
        try:
            text = spec.render(index)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if text:
            texts.append(text)
    if errors:
        raise Refused(errors)
    return {
        "kind": draft.kind.value, "facts": draft.facts.strip(), "matters": draft.matters.strip(),
        "responsibilities": draft.responsibilities.strip(), "clauses": texts,
        "clause_specs": [spec.as_json() for spec in draft.clauses if spec.kind != "text" or spec.text.strip()],
        "performance_method": draft.performance_method.strip() or None, "performance_place": draft.performance_place.strip() or None,
        "performance_deadline": draft.performance_deadline, "signed_on": draft.signed_on,
    }


def may_review(session: Session, *, actor: Actor, case_id: int) -> bool:
    """Supervisors, or the senior of a current pairing with the junior who leads the case."""
    if not actor.may(Action.REVIEW):
        return False
    if actor.is_supervisor:
        return True
    lead = _lead(session, case_id)
    if lead is None or actor.mediator_id is None:
        return False
    return session.execute(
        select(Pairing.id).where(Pairing.senior_id == actor.mediator_id, Pairing.junior_id == lead.id,
                                 *_current_pairing(session, actor))
    ).first() is not None


def _current_pairing(session: Session, actor: Actor) -> tuple:
    """A pairing counts for review from its start to its end day inclusive."""
    today = actor.today(committee_settings(session, actor.committee_id).time_zone)
    return Pairing.started_on <= today, (Pairing.ended_on.is_(None)) | (Pairing.ended_on >= today)


def review(session: Session, *, actor: Actor, case_id: int, expected_version: int | None, note: str = "") -> AgreementState:
    """The senior of the junior lead's pairing, or a supervisor, reviews a junior-led agreement."""
    actor.require(Action.REVIEW)
    locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    agreement = _agreement(session, case_id, lock=True)
    locking.check_version(session, agreement, expected_version, actor=actor)
    if not may_review(session, actor=actor, case_id=case_id):
        raise PermissionDenied("只有结对的老潘（主调）或主任可以审核小潘主持的协议")
    changes = locking.apply(agreement, {"reviewed_at": actor.clock.now(), "reviewed_by": actor.login, "review_note": note.strip() or None})
    locking.touch(agreement, actor=actor)
    audit.record(session, actor=actor, action="agreement.review", entity="case", entity_id=case_id, changes=changes)
    return agreement_state(session, actor=actor, case_id=case_id)


def finalise(session: Session, *, actor: Actor, case_id: int, expected_version: int | None) -> AgreementState:
    """Check, then number: the next number is allocated inside this transaction (unique and gapless across desks)."""
    actor.require(Action.FINALISE)
    locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    agreement = _agreement(session, case_id, lock=True)
    locking.check_version(session, agreement, expected_version, actor=actor)
    if agreement.finalised_at is not None:
        raise DomainError(f"协议已定稿（{agreement.number}）")
    check = check_agreement(session, actor=actor, case_id=case_id)
    if check.errors:
        raise Refused(list(check.errors), list(check.warnings))
    if needs_review(session, case_id, agreement) and agreement.reviewed_at is None:
        raise DomainError("本协议由小潘主持，须经结对老潘或主任审核后才能定稿")
    values = _numbering(session, actor, agreement)
    changes = locking.apply(agreement, values)
    locking.touch(agreement, actor=actor)
    audit.record(session, actor=actor, action="agreement.finalise", entity="case", entity_id=case_id, changes=changes)
    return agreement_state(session, actor=actor, case_id=case_id)


def _numbering(session: Session, actor: Actor, agreement: Agreement) -> dict[str, Any]:
    """A written agreement takes the next 协议编号; an oral one none in that series (Art. 28: it is registered),
    but the register's own number when the committee keeps one."""
    settings = committee_settings(session, actor.committee_id)
    now = actor.clock.now()
    year = local_date(now, settings.time_zone).year
    if agreement.kind == AgreementKind.ORAL.value:
        values: dict[str, Any] = {"finalised_at": now,
                                  "effective_on": agreement.confirmed_on or agreement.signed_on or local_date(now, settings.time_zone)}
        if settings.oral_register_no_format:
            seq = numbering.next_seq(session, committee_id=actor.committee_id, kind=numbering.ORAL, year=year)
            values["oral_register_no"] = numbering.format_number(settings.oral_register_no_format, year=year, seq=seq)
        return values
    seq = numbering.next_seq(session, committee_id=actor.committee_id, kind=numbering.AGREEMENT, year=year)
    return {"number": numbering.format_number(settings.agreement_no_format, year=year, seq=seq), "finalised_at": now}


def revise(session: Session, *, actor: Actor, case_id: int, expected_version: int | None, draft: AgreementDraft, reason: str) -> AgreementState:
    """Correct a finalised agreement.

    Before anyone signs: a new revision under the same number. After a signature: one number must never stand
    on two different signed texts, so the change is a new agreement with the next number that names the one it
    supersedes; the old one is marked 已作废 with the reason and stays on file, printable, with its signatures.
    """
    actor.require(Action.FINALISE)
    if not reason.strip():
        raise ValidationError("更正原因", "不能为空")
    locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    agreement = _agreement(session, case_id, lock=True)
    locking.check_version(session, agreement, expected_version, actor=actor)
    if agreement.finalised_at is None:
        raise DomainError("协议尚未定稿，直接修改草稿即可")
    signed = session.execute(select(AgreementSignature.id).where(AgreementSignature.agreement_id == agreement.id)).first()
    if signed is not None and agreement.kind == AgreementKind.WRITTEN.value:
        return _supersede(session, actor=actor, case_id=case_id, old=agreement, draft=draft, reason=reason.strip())
    snapshot = {name: getattr(agreement, name) for name in (*EDITABLE, "number", "effective_on")}
    session.add(AgreementRevision(agreement_id=agreement.id, revision=agreement.revision, content=audit._jsonable(snapshot),
                                  reason=reason.strip(), by_login=actor.login, at=actor.clock.now()))
    for signature in session.execute(select(AgreementSignature).where(AgreementSignature.agreement_id == agreement.id)).scalars():
        session.delete(signature)
    values = _draft_values(draft) | {"revision": agreement.revision + 1, "effective_on": None, **_REVIEW_CLEARED}
    changes = locking.apply(agreement, values)
    locking.touch(agreement, actor=actor)
    audit.record(session, actor=actor, action="agreement.revise", entity="case", entity_id=case_id, changes=changes, note=reason.strip())
    return agreement_state(session, actor=actor, case_id=case_id)


# A review approves one text: a corrected text needs its own (the review of the old stays in the audit trail).
_REVIEW_CLEARED = {"reviewed_at": None, "reviewed_by": None, "review_note": None}


def _supersede(session: Session, *, actor: Actor, case_id: int, old: Agreement, draft: AgreementDraft, reason: str) -> AgreementState:
    now = actor.clock.now()
    locking.apply(old, {"superseded_at": now, "superseded_reason": reason})
    locking.touch(old, actor=actor)
    session.flush()  # the old one leaves "in force" before the new one enters it (one in force per case)
    values = _draft_values(draft)
    values["kind"] = AgreementKind.WRITTEN.value
    # The new text was never reviewed: a junior-led agreement goes back to the senior (settling waits for it).
    new = Agreement(committee_id=old.committee_id, case_id=case_id, supersedes_id=old.id, **values)
    session.add(new)
    session.flush()
    check = check_agreement(session, actor=actor, case_id=case_id)
    if check.errors:
        raise Refused(list(check.errors), list(check.warnings))
    locking.apply(new, _numbering(session, actor, new))
    session.flush()
    audit.record(session, actor=actor, action="agreement.supersede", entity="case", entity_id=case_id,
                 changes={"number": [old.number, new.number], "superseded": [None, old.number]}, note=reason)
    return agreement_state(session, actor=actor, case_id=case_id)


def record_signature(
    session: Session, *, actor: Actor, case_id: int, signer_kind: str, signed_on: dt.date,
    party_id: int | None = None, method: str = "signed", signer_name: str | None = None,
    correct: bool = False, reason: str = "",
) -> AgreementState:
    """A wet signature (party: signed/sealed/fingerprinted; mediator; recorder; the committee seal).

    `signer_name` is who signed on the party's line: the party, its 法定代理人 (who must sign for a minor), a
    委托代理人 with 特别授权, or an organisation's 法定代表人/负责人. The date is no earlier than the agreement's
    finalising and the case's acceptance and not in the future. With `correct`, a supervisor changes the date of
    a recorded signature, giving a reason (audited); the effective date and the 司法确认 window move with it.
    """
    if signer_kind not in ("party", "mediator", "recorder", "seal"):
        raise ValidationError("签署人", "应为 party/mediator/recorder/seal")
    if signer_kind == "party" and method not in SIGN_METHODS:
        raise ValidationError("签署方式", "应为签名、盖章或按指印")
    actor.require(Action.CORRECT_SIGNATURE if correct else Action.SIGN)
    if correct and not reason.strip():
        raise ValidationError("更正原因", "更正签署日期须写明原因")
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    agreement = _agreement(session, case_id, lock=True)
    if agreement.finalised_at is None:
        raise DomainError("协议定稿编号后才能签署")
    if agreement.kind != AgreementKind.WRITTEN.value:
        raise DomainError("口头协议不签署协议书")
    zone = committee_settings(session, actor.committee_id).time_zone
    _check_signing_day(signed_on, today=actor.today(zone), finalised=local_date(agreement.finalised_at, zone),
                       accepted=local_date(case.accepted_at, zone) if case.accepted_at else None,
                       imported=agreement.imported)
    capacity = None
    if signer_kind == "party":
        party = session.get(Party, party_id) if party_id else None
        if party is None or party.case_id != case_id:
            raise ValidationError("当事人", "不是本案当事人")
        signer_name, capacity = _party_signer(session, actor, case_id, party, signer_name, signed_on)
    else:
        party_id, method, signer_name = None, {"seal": "sealed"}.get(signer_kind, "signed"), None
    existing = session.execute(select(AgreementSignature).where(
        AgreementSignature.agreement_id == agreement.id, AgreementSignature.signer_kind == signer_kind,
        AgreementSignature.party_id.is_(None) if party_id is None else AgreementSignature.party_id == party_id,
    )).scalar_one_or_none()
    if correct:
        if existing is None:
            raise DomainError("尚未登记该签署，无需更正")
        changes = {"signed_on": [existing.signed_on.isoformat(), signed_on.isoformat()]}
        existing.signed_on = signed_on
        existing.recorded_by, existing.recorded_at = actor.login, actor.clock.now()
        action, note = "agreement.sign_correct", reason.strip()
    else:
        if existing is not None:
            raise DomainError(f"已登记过该签署（{existing.signed_on.isoformat()}）；日期有误请由主任更正（--correct --reason）")
        session.add(AgreementSignature(agreement_id=agreement.id, signer_kind=signer_kind, party_id=party_id, method=method,
                                       signed_on=signed_on, recorded_by=actor.login, recorded_at=actor.clock.now(),
                                       signer_name=signer_name, signer_capacity=capacity))
        changes = {"signature": [None, f"{signer_kind}:{party_id or ''}:{signer_name or ''}:{method}:{signed_on.isoformat()}"]}
        action, note = "agreement.sign", None
    session.flush()
    changes |= locking.apply(agreement, {"effective_on": _effective_on(session, case_id, agreement)})
    locking.touch(agreement, actor=actor)
    audit.record(session, actor=actor, action=action, entity="case", entity_id=case_id, changes=changes, note=note)
    return agreement_state(session, actor=actor, case_id=case_id)


def _check_signing_day(day: dt.date, *, today: dt.date, finalised: dt.date, accepted: dt.date | None, imported: bool) -> None:
    if day > today:
        raise ValidationError("签署日期", f"晚于今天（{today.isoformat()}）：{day.isoformat()}")
    if accepted is not None and day < accepted:
        raise ValidationError("签署日期", f"{day.isoformat()} 早于案件受理日期 {accepted.isoformat()}")
    # An imported agreement was finalised elsewhere: its own finalising date on this desk says nothing.
    if not imported and day < finalised:
        raise ValidationError("签署日期", f"{day.isoformat()} 早于协议定稿日期 {finalised.isoformat()}（须先定稿编号再签署）")


def _party_signer(session: Session, actor: Actor, case_id: int, party: Party, name: str | None, day: dt.date) -> tuple[str | None, str]:
    """Who may sign on this party's line on `day`; refuses the child for a minor, a general-authority agent…"""
    from laopan.services.agreement_rules import entrusted_signing_error
    from laopan.services.representatives import signers_for

    view = next(p for p in build_detail(session, actor=actor, case=load_case(session, actor=actor, case_id=case_id),
                                        reveal=True).parties if p.id == party.id)
    allowed, why = signers_for(view, day)
    name = (name or "").strip() or (allowed[0].name if allowed else party.name)
    match = next((signer for signer in allowed if signer.name == name), None)
    if match is None:
        if why:
            raise ValidationError("签署人", why)
        if view.agent is not None and view.agent.name == name:
            error = entrusted_signing_error(view, view.agent)
            if error is not None:
                raise error
        names = "、".join(f"{signer.title}{signer.name}" for signer in allowed)
        if name == party.name:
            raise ValidationError("签署人", f"{party.name}须由{names}代为签署")
        raise ValidationError("签署人", f"“{name}”不能代{party.name}签署（可签署的是：{names}）")
    return (None if match.capacity == "self" else match.name), match.capacity


def _first_signature(session: Session, agreement: Agreement) -> dt.date | None:
    return session.execute(select(func.min(AgreementSignature.signed_on)).where(
        AgreementSignature.agreement_id == agreement.id)).scalar_one_or_none()


def _effective_on(session: Session, case_id: int, agreement: Agreement) -> dt.date | None:
    """Art. 29: effective once every party has signed, sealed or fingerprinted, the mediator signed and the seal is
    applied (the recorder's signature is tracked, not required)."""
    signatures = session.execute(select(AgreementSignature).where(AgreementSignature.agreement_id == agreement.id)).scalars().all()
    party_ids = set(session.execute(select(Party.id).where(Party.case_id == case_id)).scalars())
    signed_parties = {s.party_id for s in signatures if s.signer_kind == "party"}
    kinds = {s.signer_kind for s in signatures}
    if party_ids - signed_parties or not {"mediator", "seal"} <= kinds:
        return None
    return max(s.signed_on for s in signatures if s.signer_kind != "recorder")


def attach_scan(session: Session, *, actor: Actor, case_id: int, filename: str, data: bytes, mime: str) -> AgreementState:
    if not data:
        raise ValidationError("扫描件", "文件为空")
    if len(data) > 30 * 1024 * 1024:
        raise ValidationError("扫描件", "超过 30 MB，请降低扫描分辨率")
    if not re.fullmatch(r"(application/pdf|image/(png|jpeg|tiff))", mime) or not _looks_like(data, mime):
        raise ValidationError("扫描件", "只接受 PDF、PNG、JPEG 或 TIFF")
    locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None, allow_closed=True)
    agreement = _agreement(session, case_id)
    session.add(AgreementScan(agreement_id=agreement.id, revision=agreement.revision, filename=filename, mime=mime,
                              size=len(data), data=data, uploaded_by=actor.login, uploaded_at=actor.clock.now()))
    audit.record(session, actor=actor, action="agreement.scan", entity="case", entity_id=case_id,
                 changes={"filename": filename, "size": len(data)})
    return agreement_state(session, actor=actor, case_id=case_id)


_MAGIC = {"application/pdf": (b"%PDF",), "image/png": (b"\x89PNG",), "image/jpeg": (b"\xff\xd8\xff",),
          "image/tiff": (b"II*\x00", b"MM\x00*")}


def _looks_like(data: bytes, mime: str) -> bool:
    """The file's first bytes agree with its claimed type (a renamed .exe is not a scan)."""
    return any(data.startswith(magic) for magic in _MAGIC.get(mime, ()))


def latest_scan(session: Session, *, actor: Actor, case_id: int) -> tuple[str, str, bytes]:
    load_case(session, actor=actor, case_id=case_id)
    agreement = _agreement(session, case_id)
    scan = session.execute(select(AgreementScan).where(AgreementScan.agreement_id == agreement.id)
                           .order_by(AgreementScan.id.desc())).scalars().first()
    if scan is None:
        raise NotFound("尚未上传签署后的协议扫描件")
    audit.record(session, actor=actor, action="agreement.scan_open", entity="case", entity_id=case_id, changes={"filename": scan.filename})
    return scan.filename, scan.mime, scan.data


# ---------------------------------------------------------------- documents


def render_agreement(
    session: Session, *, actor: Actor, case_id: int, fmt: Literal["pdf", "docx"], purpose: str = "export",
    number: str | None = None, final: bool = False,
) -> bytes:
    """The 人民调解协议书 as PDF or DOCX, with full personal data; every print and export is audited.

    An agreement not yet finalised prints as a draft (草稿 watermark, no number, no seal); `final` refuses that,
    listing the check's errors. A finalised one prints only while the check passes (a party edited after
    finalising may have broken it). `number` prints a superseded agreement of the case (marked 已作废).
    """
    from laopan.documents import agreement_document, render_docx, render_pdf
    from laopan.models import Committee

    if fmt not in ("pdf", "docx"):
        raise ValidationError("格式", "应为 pdf 或 docx")
    if purpose not in ("print", "export", "preview"):
        raise ValueError(f"unknown purpose {purpose!r}")
    actor.require(Action.PRINT)
    case = load_case(session, actor=actor, case_id=case_id)
    agreement = _agreement(session, case_id) if number is None else _numbered(session, case_id, number)
    if agreement.kind == AgreementKind.ORAL.value:
        raise DomainError("本案为口头协议，应打印人民调解口头协议登记表（laopan doc oral），不出具书面协议书")
    if agreement.superseded_at is None and (final or agreement.finalised_at is not None):
        check = check_agreement(session, actor=actor, case_id=case_id)
        errors = list(check.errors)
        if agreement.finalised_at is None:
            errors.insert(0, ValidationError("协议", "尚未定稿编号，只能打印草稿"))
        if errors:
            raise Refused(errors, list(check.warnings))
    detail = build_detail(session, actor=actor, case=case, reveal=True)
    detail = dataclasses.replace(detail, agreement=agreement_view(session, agreement))
    committee = session.get(Committee, actor.committee_id)
    document = agreement_document(detail, committee.name, signed_by=_signed_by(session, agreement))
    data = render_pdf(document) if fmt == "pdf" else render_docx(document)
    audit.record(session, actor=actor, action=f"agreement.{purpose}", entity="case", entity_id=case_id,
                 changes={"format": fmt, "number": agreement.number, "draft": agreement.finalised_at is None})
    return data


def _signed_by(session: Session, agreement: Agreement) -> dict[int, str]:
    """party id → who signed for it (when someone other than the party did), as recorded."""
    return {party_id: name for party_id, name in session.execute(
        select(AgreementSignature.party_id, AgreementSignature.signer_name).where(
            AgreementSignature.agreement_id == agreement.id, AgreementSignature.signer_name.is_not(None)))}


def payment_deadlines(session: Session, case_id: int) -> list[dt.date]:
    """The days money falls due under the agreement in force, earliest first: each structured payment's deadline
    and each instalment's; with no structured payment, its performance deadline (none without an agreement).
    Follow-up visits are scheduled from these."""
    agreement = session.execute(select(Agreement).where(
        Agreement.case_id == case_id, Agreement.superseded_at.is_(None))).scalar_one_or_none()
    if agreement is None:
        return []
    days = {day for spec in agreement.clause_specs for day in ClauseSpec.from_json(spec).due_dates()}
    if not days and agreement.performance_deadline is not None:
        days.add(agreement.performance_deadline)
    return sorted(days)


NEEDS_AGREEMENT = "须先起草书面协议或登记口头协议"
NEEDS_REVIEW = "本案由小潘主持，协议须经结对老潘或主任审核后才能标记调解成功"
NEEDS_FINALISED = "书面协议尚未定稿：请先在“调解协议”页检查并定稿（编号）后再标记调解成功"
NEEDS_ORAL_CONFIRMATION = "口头协议尚未登记当事人确认：请先登记确认（laopan agreement oral）后再标记调解成功"


def settlement_ready(session: Session, actor: Actor, case_id: int) -> tuple[bool, str]:
    """May the case be settled (调解成功)? Else the Chinese sentence naming what is missing.

    The agreement in force must exist; a junior-led one must be reviewed; a written one finalised (numbered),
    an oral one confirmed by the parties. Imported agreements count as finalised and reviewed (DESIGN §4).
    """
    agreement = session.execute(select(Agreement).where(Agreement.case_id == case_id, Agreement.superseded_at.is_(None))).scalar_one_or_none()
    if agreement is None:
        return False, NEEDS_AGREEMENT
    if agreement.imported:
        return True, ""
    written = agreement.kind != AgreementKind.ORAL.value
    if written and agreement.finalised_at is None:  # finalising asks for the review itself
        return False, NEEDS_FINALISED
    if agreement.reviewed_at is None and needs_review(session, case_id, agreement):
        return False, NEEDS_REVIEW
    if agreement.finalised_at is None:
        return False, NEEDS_ORAL_CONFIRMATION
    return True, ""


__all__ = [
    "agreement_detail", "agreement_state", "attach_scan", "awaiting_review", "check_agreement", "finalise", "latest_scan",
    "needs_review", "payment_deadlines", "record_signature", "render_agreement", "review", "revise", "save_draft", "settlement_ready",
]


def awaiting_review(session: Session, *, actor: Actor) -> list[ReviewRow]:
    """Junior-led draft agreements not yet reviewed that this actor may review (工作台 "待我审核").

    Supervisors see all of them; a senior sees those led by the juniors paired with them.
    """
    from laopan.models import Case

    statement = (
        select(Case.id, Case.intake_no, Case.parties_display, Mediator.name, Agreement.updated_at, Case.level, Case.status,
               Case.due_on)
        .join(Agreement, Agreement.case_id == Case.id)
        .join(CaseMediator, (CaseMediator.case_id == Case.id) & (CaseMediator.role == CaseMediatorRole.LEAD.value))
        .join(Mediator, Mediator.id == CaseMediator.mediator_id)
        .where(Case.committee_id == actor.committee_id, Mediator.rank == MediatorRank.JUNIOR.value,
               Agreement.superseded_at.is_(None), Agreement.reviewed_at.is_(None), Agreement.imported.is_(False))
        .order_by(Case.received_at)
    )
    if not actor.is_supervisor:
        if actor.mediator_id is None:
            return []
        juniors = select(Pairing.junior_id).where(Pairing.senior_id == actor.mediator_id, *_current_pairing(session, actor))
        statement = statement.where(Mediator.id.in_(juniors))
    return [ReviewRow(*row) for row in session.execute(statement)]
