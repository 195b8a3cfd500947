"""The domain model of DESIGN §3 as SQLModel tables.

The package imports its table modules on first use of a name (`from laopan.models import Case`), not when a
submodule such as `laopan.models.enums` is imported: the CLI parses its arguments from the code lists without
paying for SQLModel and every table (issue 16 item 6). `load_all()` registers every table in the metadata.
"""

from importlib import import_module

_MODULES = {
    "Agreement": "laopan.models.agreement",
    "AgreementRevision": "laopan.models.agreement_records",
    "AgreementScan": "laopan.models.agreement_records",
    "AgreementSignature": "laopan.models.agreement_records",
    "AuditEntry": "laopan.models.audit",
    "Agent": "laopan.models.case",
    "Case": "laopan.models.case",
    "NameGram": "laopan.models.case",
    "NamePinyin": "laopan.models.case",
    "Party": "laopan.models.case",
    "CaseAttachment": "laopan.models.casefile",
    "JudicialConfirmation": "laopan.models.casefile",
    "CaseSource": "laopan.models.committee",
    "Committee": "laopan.models.committee",
    "Community": "laopan.models.committee",
    "DisputeType": "laopan.models.committee",
    "Grid": "laopan.models.committee",
    "NumberSequence": "laopan.models.committee",
    "PoliceStation": "laopan.models.committee",
    "User": "laopan.models.committee",
    "DeadlineExtension": "laopan.models.decisions",
    "RecusalDecision": "laopan.models.decisions",
    "ReviewNote": "laopan.models.decisions",
    "CaseMediator": "laopan.models.mediator",
    "Mediator": "laopan.models.mediator",
    "MediatorSpecialty": "laopan.models.mediator",
    "Pairing": "laopan.models.mediator",
    "PoliceReport": "laopan.models.police",
    "Escalation": "laopan.models.workflow",
    "FollowUp": "laopan.models.workflow",
    "MediationSession": "laopan.models.workflow",
    "PoliceReferral": "laopan.models.workflow",
}

__all__ = [
    "Agent", "Agreement", "AuditEntry", "Case", "CaseMediator", "CaseSource", "Committee", "Community",
    "DisputeType", "Escalation", "FollowUp", "Grid", "MediationSession", "Mediator", "MediatorSpecialty",
    "NameGram", "NamePinyin", "NumberSequence", "Pairing", "Party", "PoliceReferral", "PoliceStation", "User",
    "DeadlineExtension", "RecusalDecision", "ReviewNote", "PoliceReport",
    "AgreementRevision", "AgreementScan", "AgreementSignature", "CaseAttachment", "JudicialConfirmation",
]


def load_all() -> None:
    """Import every table module, so SQLModel.metadata knows every table."""
    for module in sorted(set(_MODULES.values())):
        import_module(module)


def __getattr__(name: str):
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'laopan.models' has no attribute {name!r}")
    load_all()  # a table class is used: its foreign keys may name any other table
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
