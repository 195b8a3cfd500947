"""人民调解协议书: drafting, the statutory check (人民调解法 Art. 28–29), review, finalising with a number,
wet signatures and the effective date, corrections as revisions, and rendering (audited).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import select
from sqlmodel import Session

from laopan.clock import local_date
from laopan.errors import DomainError, NotFound, PermissionDenied, Refused, ValidationError
from laopan.models import Agreement, CaseMediator, Mediator, Pairing, Party
from laopan.models.agreement_records import SIGN_METHODS, AgreementRevision, AgreementScan, AgreementSignature
from laopan.models.enums import AgreementKind, CaseMediatorRole, CaseStatus, MediatorRank, PartyKind
from laopan.services import audit, locking, numbering
from laopan.services.actor import Actor
from laopan.services.cases import build_detail, load_case
from laopan.services.committee import committee_settings
from laopan.services.derived import MAX_YUAN

CONFUSABLE_TERMS = {
    "抚养": "抚养（长辈对子女）与扶养（夫妻、兄弟姐妹之间）不同，请确认",
    "扶养": "扶养（夫妻、兄弟姐妹之间）与抚养（长辈对子女）、赡养（子女对父母）不同，请确认",
    "补偿": "补偿（无过错的填补）与赔偿（因过错造成损害）不同，请确认",
    "赔偿": "赔偿（因过错造成损害）与补偿（无过错的填补）不同，请确认",
    "订金": "订金不具定金罚则效力；若约定“定金”，请写“定金”",
    "定金": "定金适用定金罚则（不得超过主合同标的额的20%）；与订金不同，请确认",
}
EDITABLE = ("kind", "facts", "matters", "responsibilities", "clauses", "clause_specs", "performance_method",
            "performance_place", "performance_deadline", "signed_on")


@dataclass(frozen=True)
class ClauseSpec:
    """One clause in the editor: free text, or a structured payment whose text is generated, not typed."""

    kind: Literal["text", "payment"]
    text: str = ""
    payer: str = ""
    payee: str = ""
    amount: str = ""
    deadline: dt.date | None = None
    method: str = ""

    def render(self, index: int) -> str:
        if self.kind == "text":
            return self.text.strip()
        from laopan.documents.money import payment_clause

        where = f"协议条款[{index}]"
        for name, value in (("付款人", self.payer), ("收款人", self.payee), ("支付方式", self.method)):
            if not value.strip():
                raise ValidationError(f"{where}.{name}", "不能为空")
        try:
            amount = Decimal(self.amount)
        except InvalidOperation:
            raise ValidationError(f"{where}.金额", "应为数字，如 8000.00") from None
        if amount.is_finite() and amount > MAX_YUAN:  # before quantize, which cannot hold 1e400
            raise ValidationError(f"{where}.金额", "金额过大：最多 999999999.99 元")
        if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(f"{where}.金额", "应为大于零、最多两位小数的金额")
        if self.deadline is None:
            raise ValidationError(f"{where}.期限", "不能为空")
        return payment_clause(self.payer.strip(), self.payee.strip(), amount, self.deadline, self.method)

    def as_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "text": self.text, "payer": self.payer, "payee": self.payee, "amount": self.amount,
                "deadline": self.deadline.isoformat() if self.deadline else None, "method": self.method}
        return {key: value for key, value in data.items() if value not in ("", None)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ClauseSpec":
        deadline = dt.date.fromisoformat(data["deadline"]) if data.get("deadline") else None
        return cls(kind=data["kind"], text=data.get("text", ""), payer=data.get("payer", ""), payee=data.get("payee", ""),
                   amount=data.get("amount", ""), deadline=deadline, method=data.get("method", ""))


@dataclass(frozen=True)
class AgreementDraft:
    kind: AgreementKind = AgreementKind.WRITTEN
    facts: str = ""
    matters: str = ""
    responsibilities: str = ""
    clauses: tuple[ClauseSpec, ...] = ()
    performance_method: str = ""
    performance_place: str = ""
    performance_deadline: dt.date | None = None
    signed_on: dt.date | None = None


@dataclass(frozen=True)
class AgreementCheck:
    errors: tuple[ValidationError, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SignatureState:
    label: str
    party_id: int | None
    signer_kind: str
    method: str | None
    signed_on: dt.date | None


@dataclass(frozen=True)
class AgreementState:
    case_id: int
    version: int
    kind: str
    number: str | None
    finalised: bool
    revision: int
    needs_review: bool
    reviewed: bool
    copies: int
    effective_on: dt.date | None
    judicial_confirmation_until: dt.date | None
    signatures: tuple[SignatureState, ...]
    has_scan: bool
    clause_specs: tuple[ClauseSpec, ...] = field(default=())
    reviewed_by: str | None = None
    may_review: bool = False


# ---------------------------------------------------------------- reading


def _agreement(session: Session, case_id: int, *, lock: bool = False) -> Agreement:
    statement = select(Agreement).where(Agreement.case_id == case_id)
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


def needs_review(session: Session, case_id: int, agreement: Agreement) -> bool:
    """Junior-led agreements need the senior's or a supervisor's review (imported ones count as reviewed)."""
    if agreement.imported:
        return False
    lead = _lead(session, case_id)
    return lead is not None and lead.rank == MediatorRank.JUNIOR.value


def agreement_state(session: Session, *, actor: Actor, case_id: int) -> AgreementState:
    load_case(session, actor=actor, case_id=case_id)
    agreement = _agreement(session, case_id)
    settings = committee_settings(session, actor.committee_id)
    parties = session.execute(select(Party).where(Party.case_id == case_id).order_by(Party.seq)).scalars().all()
    signed = {(s.signer_kind, s.party_id): s for s in session.execute(
        select(AgreementSignature).where(AgreementSignature.agreement_id == agreement.id)).scalars()}
    signatures = [
        SignatureState(f"{party.name}", party.id, "party", getattr(signed.get(("party", party.id)), "method", None),
                       getattr(signed.get(("party", party.id)), "signed_on", None))
        for party in parties
    ]
    for kind, text in (("mediator", "人民调解员"), ("recorder", "记录人"), ("seal", "调委会印章")):
        entry = signed.get((kind, None))
        signatures.append(SignatureState(text, None, kind, entry.method if entry else None, entry.signed_on if entry else None))
    has_scan = session.execute(select(AgreementScan.id).where(AgreementScan.agreement_id == agreement.id)).first() is not None
    effective = agreement.effective_on
    return AgreementState(
        case_id=case_id, version=agreement.version, kind=agreement.kind, number=agreement.number,
        finalised=agreement.finalised_at is not None, revision=agreement.revision,
        needs_review=needs_review(session, case_id, agreement), reviewed=agreement.reviewed_at is not None,
        copies=len(parties) + 1, effective_on=effective,
        judicial_confirmation_until=effective + dt.timedelta(days=settings.judicial_confirmation_days) if effective else None,
        signatures=tuple(signatures), has_scan=has_scan,
        clause_specs=tuple(ClauseSpec.from_json(spec) for spec in agreement.clause_specs),
        reviewed_by=agreement.reviewed_by,
        may_review=may_review(session, actor=actor, case_id=case_id),
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
    text = "\n".join([agreement.facts, agreement.matters, agreement.responsibilities, *clauses])
    for term, advice in CONFUSABLE_TERMS.items():
        if term in text:
            warnings.append(f"用词“{term}”: {advice}")
    return AgreementCheck(tuple(errors), tuple(warnings))


# ---------------------------------------------------------------- changing it


def save_draft(session: Session, *, actor: Actor, case_id: int, draft: AgreementDraft, expected_version: int | None) -> AgreementState:
    """Create or update the draft; payment clauses are rendered into text here. A finalised one is read-only."""
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    if case.status not in (CaseStatus.MEDIATING.value, CaseStatus.SETTLED.value, CaseStatus.ACCEPTED.value):
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
        "clause_specs": [spec.as_json() for spec in draft.clauses if spec.kind == "payment" or spec.text.strip()],
        "performance_method": draft.performance_method.strip() or None, "performance_place": draft.performance_place.strip() or None,
        "performance_deadline": draft.performance_deadline, "signed_on": draft.signed_on,
    }


def may_review(session: Session, *, actor: Actor, case_id: int) -> bool:
    """Supervisors, or the senior of a current pairing with the junior who leads the case."""
    if actor.is_supervisor:
        return True
    lead = _lead(session, case_id)
    if lead is None or actor.mediator_id is None:
        return False
    today = local_date(actor.clock.now(), committee_settings(session, actor.committee_id).time_zone)
    return session.execute(
        select(Pairing.id).where(Pairing.senior_id == actor.mediator_id, Pairing.junior_id == lead.id,
                                 Pairing.started_on <= today, (Pairing.ended_on.is_(None)) | (Pairing.ended_on >= today))
    ).first() is not None


def review(session: Session, *, actor: Actor, case_id: int, expected_version: int | None, note: str = "") -> AgreementState:
    """The senior of the junior lead's pairing, or a supervisor, reviews a junior-led agreement."""
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
    settings = committee_settings(session, actor.committee_id)
    now = actor.clock.now()
    year = local_date(now, settings.time_zone).year
    seq = numbering.next_seq(session, committee_id=actor.committee_id, kind=numbering.AGREEMENT, year=year)
    number = numbering.format_number(settings.agreement_no_format, year=year, seq=seq)
    values: dict[str, Any] = {"number": number, "finalised_at": now}
    if agreement.kind == AgreementKind.ORAL.value:
        values["effective_on"] = agreement.signed_on or local_date(now, settings.time_zone)
    changes = locking.apply(agreement, values)
    locking.touch(agreement, actor=actor)
    audit.record(session, actor=actor, action="agreement.finalise", entity="case", entity_id=case_id, changes=changes)
    return agreement_state(session, actor=actor, case_id=case_id)


def revise(session: Session, *, actor: Actor, case_id: int, expected_version: int | None, draft: AgreementDraft, reason: str) -> AgreementState:
    """Correct a finalised agreement: a new revision that keeps the number; signatures are collected again."""
    if not reason.strip():
        raise ValidationError("更正原因", "不能为空")
    locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    agreement = _agreement(session, case_id, lock=True)
    locking.check_version(session, agreement, expected_version, actor=actor)
    if agreement.finalised_at is None:
        raise DomainError("协议尚未定稿，直接修改草稿即可")
    snapshot = {name: getattr(agreement, name) for name in (*EDITABLE, "number", "effective_on")}
    session.add(AgreementRevision(agreement_id=agreement.id, revision=agreement.revision, content=audit._jsonable(snapshot),
                                  reason=reason.strip(), by_login=actor.login, at=actor.clock.now()))
    for signature in session.execute(select(AgreementSignature).where(AgreementSignature.agreement_id == agreement.id)).scalars():
        session.delete(signature)
    values = _draft_values(draft) | {"revision": agreement.revision + 1, "effective_on": None}
    changes = locking.apply(agreement, values)
    locking.touch(agreement, actor=actor)
    audit.record(session, actor=actor, action="agreement.revise", entity="case", entity_id=case_id, changes=changes, note=reason.strip())
    return agreement_state(session, actor=actor, case_id=case_id)


def record_signature(
    session: Session, *, actor: Actor, case_id: int, signer_kind: str, signed_on: dt.date,
    party_id: int | None = None, method: str = "signed",
) -> AgreementState:
    """A wet signature (party: signed/sealed/fingerprinted; mediator; recorder; the committee seal)."""
    if signer_kind not in ("party", "mediator", "recorder", "seal"):
        raise ValidationError("签署人", "应为 party/mediator/recorder/seal")
    if signer_kind == "party" and method not in SIGN_METHODS:
        raise ValidationError("签署方式", "应为签名、盖章或按指印")
    locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None)
    agreement = _agreement(session, case_id, lock=True)
    if agreement.finalised_at is None:
        raise DomainError("协议定稿编号后才能签署")
    if agreement.kind != AgreementKind.WRITTEN.value:
        raise DomainError("口头协议不签署协议书")
    zone = committee_settings(session, actor.committee_id).time_zone
    if signed_on > local_date(actor.clock.now(), zone):
        raise ValidationError("签署日期", "晚于今天")
    # Not checked against the finalising date: desks often enter an agreement signed on paper days earlier.
    if signer_kind == "party":
        party = session.get(Party, party_id) if party_id else None
        if party is None or party.case_id != case_id:
            raise ValidationError("当事人", "不是本案当事人")
    else:
        party_id, method = None, {"seal": "sealed"}.get(signer_kind, "signed")
    existing = session.execute(select(AgreementSignature).where(
        AgreementSignature.agreement_id == agreement.id, AgreementSignature.signer_kind == signer_kind,
        AgreementSignature.party_id.is_(None) if party_id is None else AgreementSignature.party_id == party_id,
    )).scalar_one_or_none()
    if existing is not None:
        raise DomainError("已登记过该签署")
    session.add(AgreementSignature(agreement_id=agreement.id, signer_kind=signer_kind, party_id=party_id, method=method,
                                   signed_on=signed_on, recorded_by=actor.login, recorded_at=actor.clock.now()))
    session.flush()
    effective = _effective_on(session, case_id, agreement)
    changes = {"signature": [None, f"{signer_kind}:{party_id or ''}:{method}:{signed_on.isoformat()}"]}
    changes |= locking.apply(agreement, {"effective_on": effective})
    locking.touch(agreement, actor=actor)
    audit.record(session, actor=actor, action="agreement.sign", entity="case", entity_id=case_id, changes=changes)
    return agreement_state(session, actor=actor, case_id=case_id)


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


def render_agreement(session: Session, *, actor: Actor, case_id: int, fmt: Literal["pdf", "docx"], purpose: str = "export") -> bytes:
    """The 人民调解协议书 as PDF or DOCX, with full personal data; every print and export is audited."""
    from laopan.documents import agreement_document, render_docx, render_pdf
    from laopan.models import Committee

    if fmt not in ("pdf", "docx"):
        raise ValidationError("格式", "应为 pdf 或 docx")
    if purpose not in ("print", "export", "preview"):
        raise ValueError(f"unknown purpose {purpose!r}")
    if not actor.may_reveal:
        raise PermissionDenied("当前角色无权打印或导出协议书（含完整个人信息）")
    case = load_case(session, actor=actor, case_id=case_id)
    detail = build_detail(session, actor=actor, case=case, reveal=True)
    committee = session.get(Committee, actor.committee_id)
    document = agreement_document(detail, committee.name)
    data = render_pdf(document) if fmt == "pdf" else render_docx(document)
    audit.record(session, actor=actor, action=f"agreement.{purpose}", entity="case", entity_id=case_id,
                 changes={"format": fmt, "number": detail.agreement.number if detail.agreement else None})
    return data


__all__ = [
    "AgreementCheck", "AgreementDraft", "AgreementState", "ClauseSpec", "agreement_state", "attach_scan", "check_agreement",
    "ReviewItem", "awaiting_review", "finalise", "latest_scan", "needs_review", "record_signature", "render_agreement",
    "review", "revise", "save_draft",
]


@dataclass(frozen=True)
class ReviewItem:
    case_id: int
    intake_no: str
    parties: str
    junior: str
    drafted_at: dt.datetime | None
    level: str
    status: str
    due_on: dt.date | None


def awaiting_review(session: Session, *, actor: Actor) -> list[ReviewItem]:
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
               Agreement.finalised_at.is_(None), Agreement.reviewed_at.is_(None), Agreement.imported.is_(False))
        .order_by(Case.received_at)
    )
    if not actor.is_supervisor:
        if actor.mediator_id is None:
            return []
        juniors = select(Pairing.junior_id).where(Pairing.senior_id == actor.mediator_id)
        statement = statement.where(Mediator.id.in_(juniors))
    return [ReviewItem(*row) for row in session.execute(statement)]
