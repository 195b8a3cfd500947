"""The domain model of DESIGN §3 as SQLModel tables. Importing this package registers every table."""

from laopan.models.agreement import Agreement
from laopan.models.agreement_records import AgreementRevision, AgreementScan, AgreementSignature
from laopan.models.audit import AuditEntry
from laopan.models.case import Agent, Case, NameGram, NamePinyin, Party
from laopan.models.casefile import CaseAttachment, JudicialConfirmation
from laopan.models.committee import (
    CaseSource,
    Committee,
    Community,
    DisputeType,
    Grid,
    NumberSequence,
    PoliceStation,
    User,
)
from laopan.models.decisions import DeadlineExtension, RecusalDecision, ReviewNote
from laopan.models.mediator import CaseMediator, Mediator, MediatorSpecialty, Pairing
from laopan.models.police import PoliceReport
from laopan.models.workflow import Escalation, FollowUp, MediationSession, PoliceReferral

__all__ = [
    "Agent", "Agreement", "AuditEntry", "Case", "CaseMediator", "CaseSource", "Committee", "Community",
    "DisputeType", "Escalation", "FollowUp", "Grid", "MediationSession", "Mediator", "MediatorSpecialty",
    "NameGram", "NamePinyin", "NumberSequence", "Pairing", "Party", "PoliceReferral", "PoliceStation", "User",
    "DeadlineExtension", "RecusalDecision", "ReviewNote", "PoliceReport",
    "AgreementRevision", "AgreementScan", "AgreementSignature", "CaseAttachment", "JudicialConfirmation",
]
