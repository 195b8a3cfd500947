"""The 卷宗 (case file): scans filed with a case, and the completeness check run when a case is closed.

The file list is the committee's setting (`CommitteeSettings.dossier`, seeded with the county template); this
module knows, per code, what makes an item present. Documents the desk prints are present once the data they
print from exists (sessions recorded, agreement concluded, feedback sent); papers from outside (ID papers,
evidence, receipts, the court's ruling) once a scan of that kind is attached.
"""

import datetime as dt

from sqlalchemy import func, select
from sqlmodel import Session

from laopan.errors import DomainError, ValidationError
from laopan.labels import label
from laopan.models import Agent, Case, FollowUp, MediationSession, Party, PoliceReferral
from laopan.models.casefile import AttachmentKind, CaseAttachment, JudicialConfirmation
from laopan.models.enums import CaseStatus
from laopan.security.permissions import Action
from laopan.services import audit, locking
from laopan.services.actor import Actor
from laopan.services.cases import load_case
from laopan.services.committee import committee_settings
from laopan.services.followups import agreement_in_force, is_concluded, schedule_dates
from laopan.views.casefile import AttachmentView, DossierCheck, DossierLine

MAX_BYTES = 30 * 1024 * 1024
# The first bytes of the files a scan may be (a renamed .exe or .docx is not a scan).
_MAGIC = (("application/pdf", b"%PDF"), ("image/png", b"\x89PNG\r\n\x1a\n"), ("image/jpeg", b"\xff\xd8\xff"))
# Items that are papers from outside: present once a scan of their kind is attached.
_SCANNED = {k.value for k in AttachmentKind}


def sniff(data: bytes) -> str | None:
    return next((mime for mime, magic in _MAGIC if data.startswith(magic)), None)


def attach(session: Session, *, actor: Actor, case_id: int, kind: str, filename: str, data: bytes, note: str = "") -> AttachmentView:
    """File a scan with the case (also after closing: a ruling or a receipt often arrives later).

    Raises:
        ValidationError: Unknown kind, empty or oversized file, or not a PDF, JPEG or PNG by its first bytes.
    """
    code = next((k.value for k in AttachmentKind if (kind or "").strip() in (k.value, label(k))), None)
    if code is None:
        raise ValidationError("材料类型", f"应为{'、'.join(f'{k.value}（{label(k)}）' for k in AttachmentKind)}之一")
    if not data:
        raise ValidationError("扫描件", "文件为空")
    if len(data) > MAX_BYTES:
        raise ValidationError("扫描件", f"超过 {MAX_BYTES // (1024 * 1024)} MB，请降低扫描分辨率")
    mime = sniff(data)
    if mime is None:
        raise ValidationError("扫描件", "只接受 PDF、JPEG 或 PNG 文件")
    case = locking.lock_case(session, actor=actor, case_id=case_id, expected_version=None, allow_closed=True)
    name = (filename or "").strip()[-200:] or "scan"
    row = CaseAttachment(case_id=case.id, kind=code, filename=name, mime=mime, size=len(data), data=data,
                         note=(note or "").strip(), uploaded_by=actor.login, uploaded_at=actor.clock.now())
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="case.attach", entity="case", entity_id=case.id,
                 changes={"kind": code, "filename": name, "size": len(data)})
    return _attachment_view(row)


def _attachment_view(row: CaseAttachment) -> AttachmentView:
    return AttachmentView(row.id, row.kind, row.filename, row.mime, row.size, row.uploaded_by, row.uploaded_at)


def list_attachments(session: Session, *, actor: Actor, case_id: int) -> list[AttachmentView]:
    load_case(session, actor=actor, case_id=case_id)
    columns = (CaseAttachment.id, CaseAttachment.kind, CaseAttachment.filename, CaseAttachment.mime, CaseAttachment.size,
               CaseAttachment.uploaded_by, CaseAttachment.uploaded_at)  # not the bytes
    rows = session.execute(select(*columns).where(CaseAttachment.case_id == case_id).order_by(CaseAttachment.id))
    return [AttachmentView(*row) for row in rows]


def _path(case: Case) -> str:
    status = case.status_before_close if case.status == CaseStatus.CLOSED.value else case.status
    return status or CaseStatus.SETTLED.value


def check(session: Session, *, actor: Actor, case_id: int) -> DossierCheck:
    """The case's 卷宗 against the committee's file list for the path it closes from."""
    return _check(session, actor, load_case(session, actor=actor, case_id=case_id))


def _check(session: Session, actor: Actor, case: Case) -> DossierCheck:
    settings = committee_settings(session, actor.committee_id)
    today = actor.today(settings.time_zone)
    path = _path(case)
    kinds = dict(session.execute(select(CaseAttachment.kind, func.count()).where(CaseAttachment.case_id == case.id)
                                 .group_by(CaseAttachment.kind)).all())
    agreement = agreement_in_force(session, case.id)
    lines = []
    for item in settings.dossier:
        if item.paths and path not in item.paths:
            continue
        needed, present, detail = _rule(session, case, item.code, path, agreement, kinds, today)
        lines.append(DossierLine(item.code, item.title, item.required or needed, present, detail))
    return DossierCheck(case.id, path, tuple(lines))


def _rule(session, case: Case, code: str, path: str, agreement, kinds: dict, today: dt.date) -> tuple[bool, bool, str]:
    """(required by its own rule for this case, present, a note) for one item."""
    def exists(statement) -> bool:
        return session.execute(statement.limit(1)).first() is not None

    if code in ("application", "closing_report", "back_cover"):
        return False, True, "据登记信息生成" if code == "application" else "打印时生成"
    if code == "notice":
        return False, case.accepted_at is not None, "受理时告知" if case.accepted_at else "案件未经受理"
    if code == "session_record":
        count = session.execute(select(func.count()).select_from(MediationSession).where(MediationSession.case_id == case.id)).scalar_one()
        return False, count > 0, f"{count}次调解记录" if count else "尚无调解记录"
    if code == "agreement":
        if path == CaseStatus.TERMINATED.value:
            return False, case.termination_reason is not None, "调解终止记录"
        ok = agreement is not None and is_concluded(agreement)
        return False, ok, "" if ok else "协议尚未定稿编号"
    if code == "power":
        has_agent = exists(select(Agent.id).join(Party, Party.id == Agent.party_id).where(Party.case_id == case.id))
        return has_agent, has_agent or kinds.get(code, 0) > 0, "有委托代理人" if has_agent else ""
    if code == "followup":
        passed = [day for day in (schedule_dates(agreement) if agreement is not None else {}) if day < today]
        done = exists(select(FollowUp.id).where(FollowUp.case_id == case.id, FollowUp.done_on.is_not(None)))
        return bool(passed), done, f"履行期限 {min(passed).isoformat()} 已过" if passed and not done else ""
    if code == "police_feedback":
        referral = session.execute(select(PoliceReferral.feedback_at).where(PoliceReferral.case_id == case.id)).first()
        return referral is not None, referral is not None and referral[0] is not None, "警情移交案件" if referral else ""
    if code == "judicial":
        applied = exists(select(JudicialConfirmation.id).where(JudicialConfirmation.case_id == case.id,
                                                               JudicialConfirmation.result.is_not(None)))
        return applied, kinds.get(code, 0) > 0, "法院已裁定，须附裁定书" if applied else ""
    if code in _SCANNED:
        count = kinds.get(code, 0)
        return False, count > 0, f"{count}份扫描件" if count else "未上传扫描件"
    return False, kinds.get(code, 0) > 0, ""


class DossierIncomplete(DomainError):
    """Closing refused: the 卷宗 lacks `missing`; `may_force` says whether this actor may close anyway with a reason."""

    def __init__(self, message: str, *, missing: tuple[str, ...], may_force: bool):
        super().__init__(message)
        self.missing = missing
        self.may_force = may_force


def closing_guard(session: Session, *, actor: Actor, case: Case, force: bool = False, reason: str | None = None) -> str | None:
    """Run at the close move: refuse an incomplete 卷宗 naming what is missing, unless a supervisor forces the
    close with a reason. Returns the note for the close's audit entry (None when the file is complete).

    Raises:
        DomainError: Something required is missing (and the close is not forced), or a forced close has no reason.
        PermissionDenied: A forced close by someone other than a supervisor or admin.
    """
    result = _check(session, actor, case)
    if result.complete:
        return None
    missing = "、".join(result.missing)
    if not force:
        hint = "；主任可填写理由强制结案" if actor.may(Action.FORCE_CLOSE) else ""
        raise DossierIncomplete(f"卷宗不全，不能结案归档：缺少{missing}{hint}", missing=tuple(result.missing),
                                may_force=actor.may(Action.FORCE_CLOSE))
    actor.require(Action.FORCE_CLOSE)
    text = (reason or "").strip()
    if not text:
        raise DomainError("强制结案理由: 不能为空")
    return f"卷宗不全强制结案（缺少{missing}）：{text}"
