"""The code lists of the decision and case-file tables, without the tables: the CLI builds its parser from
them without importing SQLModel (issue 16 item 6). The table modules re-export them."""

from enum import StrEnum

from laopan.models.enums import LABELS


class TerminationReason(StrEnum):
    PARTY_REFUSED = "party_refused"
    PARTY_REQUESTED = "party_requested"
    TOO_FAR_APART = "too_far_apart"
    OTHER_CHANNEL = "other_channel"


class Destination(StrEnum):
    """Where a case goes when it leaves the street (转其他途径)."""

    COURT = "court"
    ARBITRATION = "arbitration"
    POLICE = "police"
    PETITION = "petition"
    ADMINISTRATIVE = "administrative"


class RecusalOutcome(StrEnum):
    KEPT = "kept"
    REPLACED = "replaced"


LABELS.update(
    {
        TerminationReason: {
            "party_refused": "一方拒绝调解",
            "party_requested": "当事人要求终止",
            "too_far_apart": "分歧过大",
            "other_channel": "转其他途径",
        },
        Destination: {"court": "法院", "arbitration": "仲裁", "police": "公安", "petition": "信访", "administrative": "行政机关"},
        RecusalOutcome: {"kept": "保留", "replaced": "更换"},
    }
)


class VisitMethod(StrEnum):
    """How a 回访 was made."""

    PHONE = "phone"
    VISIT = "visit"
    OTHER = "other"


class JudicialResult(StrEnum):
    """The court's ruling on an application for judicial confirmation."""

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class AttachmentKind(StrEnum):
    """What a scan filed in the 卷宗 is (the dossier check counts them by kind)."""

    ID_PROOF = "id_proof"
    POWER = "power"
    INVESTIGATION = "investigation"
    EVIDENCE = "evidence"
    PERFORMANCE_PROOF = "performance_proof"
    JUDICIAL = "judicial"
    EXPLANATION = "explanation"
    OTHER = "other"


LABELS.update(
    {
        VisitMethod: {"phone": "电话", "visit": "上门", "other": "其他"},
        JudicialResult: {"confirmed": "确认有效", "dismissed": "驳回"},
        AttachmentKind: {
            "id_proof": "当事人身份证明",
            "power": "授权委托书",
            "investigation": "调查记录",
            "evidence": "证据材料",
            "performance_proof": "履行凭证",
            "judicial": "司法确认材料",
            "explanation": "卷宗情况说明",
            "other": "其他材料",
        },
    }
)


# Who signs: a party (party_id set), the mediator, the recorder, or the committee's seal.
SIGNER_KINDS = ("party", "mediator", "recorder", "seal")
# How a party signs (人民调解法 Art. 29: 签名、盖章或者按指印).
SIGN_METHODS = ("signed", "sealed", "fingerprinted")
