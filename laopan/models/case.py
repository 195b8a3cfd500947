"""纠纷案件 and its parties. One case = one file (一案一卷)."""

import datetime as dt

from sqlalchemy import JSON, BigInteger, CheckConstraint, Index, Integer, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from laopan.models.base import Versioned, one_of
from laopan.models.enums import CaseStatus, IdType, Level, PartyKind, PartyRole, Sex
from laopan.models.types import UTCDateTime


class Case(Versioned, table=True):
    """A dispute case. `parties_display` and `lead_name` are denormalised for the list page."""

    __tablename__ = "mediation_case"
    __table_args__ = (
        UniqueConstraint("committee_id", "intake_no"),
        one_of("level", Level),
        one_of("status", CaseStatus),
        one_of("status_before_close", CaseStatus, nullable=True),
        CheckConstraint("amount_fen IS NULL OR amount_fen >= 0", name="amount_fen"),
        # The list page: newest first, optionally narrowed by one filter column.
        Index("ix_case_committee_received", "committee_id", "received_at", "id"),
        Index("ix_case_committee_status_received", "committee_id", "status", "received_at"),
        Index("ix_case_committee_level_received", "committee_id", "level", "received_at"),
        Index("ix_case_committee_type_received", "committee_id", "dispute_type_id", "received_at"),
        Index("ix_case_committee_community_received", "committee_id", "community_id", "received_at"),
        Index("ix_case_committee_source_received", "committee_id", "source_id", "received_at"),
        # What is overdue or due soon: the open cases only (an index on the date alone reads the closed ones too).
        Index("ix_case_committee_status_due", "committee_id", "status", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", ondelete="CASCADE")
    intake_no: str = Field(max_length=40)
    received_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    source_id: int = Field(foreign_key="case_source.id")
    dispute_type_id: int = Field(foreign_key="dispute_type.id")
    level: str = Field(max_length=12)
    community_id: int = Field(foreign_key="community.id")
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    summary: str
    claims: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    # 64-bit on PostgreSQL (up to ¥999,999,999.99; a 32-bit column stopped at ¥21,474,836.47); SQLite's
    # INTEGER is already 64-bit, so the variant keeps its DDL (and migration 0006 leaves it alone).
    amount_fen: int | None = Field(
        default=None, sa_type=BigInteger().with_variant(Integer(), "sqlite"), description="标的额, in fen (1/100 yuan), exact"
    )
    status: str = Field(default=CaseStatus.REGISTERED.value, max_length=12)
    status_before_close: str | None = Field(default=None, max_length=12)
    accepted_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    due_on: dt.date | None = Field(default=None, description="mediation deadline, committee calendar day")
    closed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    parties_display: str = Field(default="", max_length=200)
    lead_name: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime = Field(sa_type=UTCDateTime, nullable=False)
    created_by: str = Field(max_length=64)
    # Added by migration 0002 (workflow). Codes are checked by the lifecycle service: a CHECK constraint here
    # would make SQLite rebuild this table, which every child table references.
    rejection_reason: str | None = None
    termination_reason: str | None = Field(default=None, max_length=20, description="TerminationReason code")
    termination_destination: str | None = Field(default=None, max_length=20, description="Destination code")
    # Added by migration 0005: outcomes the monthly report to the 司法所 counts (防止民转刑, 防止群体性上访).
    prevented_criminal: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    prevented_group_petition: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class Party(Versioned, table=True):
    """当事人: a person or an organisation on one side of a case."""

    __tablename__ = "party"
    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        one_of("role", PartyRole),
        one_of("kind", PartyKind),
        one_of("sex", Sex, nullable=True),
        one_of("id_type", IdType, nullable=True),
        # Search: ID prefix and tail, phone tail (reversed strings make a tail a prefix, so an index serves it),
        # each range the committee's own (migration 0013: in a district of ten, a range of every committee's
        # parties is ten times what one committee's search can match), and the case at the end, so the range
        # answers "which cases" from the index alone (PostgreSQL read 437 heap blocks for 138's 452 parties).
        Index("ix_party_id_number", "committee_id", "id_number", "case_id"),
        Index("ix_party_id_number_rev", "committee_id", "id_number_rev", "case_id"),
        Index("ix_party_phone_rev", "committee_id", "phone_rev", "case_id"),
        Index("ix_party_credit_code", "committee_id", "credit_code"),
        Index("ix_party_name", "name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", index=True, ondelete="CASCADE")
    committee_id: int = Field(description="the case's committee, copied so that the search indexes lead with it")
    seq: int = Field(description="order within the case, from 0")
    role: str = Field(max_length=12)
    kind: str = Field(max_length=12)
    name: str = Field(max_length=100)
    sex: str | None = Field(default=None, max_length=8)
    ethnicity: str | None = Field(default=None, max_length=20)
    birth_date: dt.date | None = None
    id_type: str | None = Field(default=None, max_length=32)
    id_number: str | None = Field(default=None, max_length=40)
    id_number_rev: str | None = Field(default=None, max_length=40)
    occupation: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, max_length=20)
    phone_rev: str | None = Field(default=None, max_length=20)
    address: str | None = Field(default=None, max_length=200)
    credit_code: str | None = Field(default=None, max_length=18)
    representative: str | None = Field(default=None, max_length=64)
    # Added by migration 0008: an organisation's kind decides 法定代表人 or 负责人; a person's capacity when the
    # birth date alone does not tell it (an adult without full capacity, a self-supporting 16–17-year-old).
    org_kind: str | None = Field(default=None, max_length=24)
    capacity: str | None = Field(default=None, max_length=20)


class Agent(Versioned, table=True):
    """代理人 of a party."""

    __tablename__ = "agent"
    __table_args__ = (
        # An agent's phone tail, the committee's own (migration 0013, as the party's numbers).
        Index("ix_agent_phone_rev", "committee_id", "phone_rev"),
    )

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", unique=True, ondelete="CASCADE")
    committee_id: int = Field(description="the case's committee, copied so that the phone index leads with it")
    name: str = Field(max_length=64)
    relation: str | None = Field(default=None, max_length=30)
    phone: str | None = Field(default=None, max_length=20)
    phone_rev: str | None = Field(default=None, max_length=20)  # digits reversed: a tail is a prefix
    id_number: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=200)
    # Added by migration 0008: 法定代理人 or 委托代理人, the 授权委托书's scope, and the ID's kind.
    kind: str = Field(default="entrusted", max_length=12, sa_column_kwargs={"server_default": "entrusted"})
    scope: str | None = Field(default=None, max_length=12)
    id_type: str | None = Field(default=None, max_length=32)


@event.listens_for(Agent, "before_insert")
@event.listens_for(Agent, "before_update")
def _agent_phone_key(_mapper, _connection, agent: Agent) -> None:
    """Every ORM write of an agent keeps its phone searchable by tail (Core bulk writers set it themselves)."""
    from laopan.services.derived import phone_key

    agent.phone_rev = phone_key(agent.phone)


class NameGram(SQLModel, table=True):
    """Every single character and character pair of each party's name, per case.

    Short Chinese names defeat trigram indexes (PITFALLS); this table answers 1- and 2-character fragments
    at once, and longer fragments by their first pair, confirmed with LIKE.
    """

    __tablename__ = "name_gram"
    __table_args__ = ({"sqlite_with_rowid": False},)

    # The committee leads (migration 0013): a gram's range is one committee's cases, not a district's.
    committee_id: int = Field(primary_key=True, description="the case's committee, copied")
    gram: str = Field(max_length=2, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", primary_key=True, ondelete="CASCADE")


class NamePinyin(SQLModel, table=True):
    """The pinyin keys of each party's name, per case: the full reading run together and the initials
    (张伟 → zhangwei, zw; laopan.services.pinyin). A Latin search matches them by prefix."""

    __tablename__ = "name_pinyin"
    __table_args__ = (
        # The walk newest-first asks "has this case a key in the range": the case's own few keys, in order.
        Index("ix_name_pinyin_case", "case_id", "key"),
        {"sqlite_with_rowid": False},
    )

    committee_id: int = Field(primary_key=True, description="the case's committee, copied (as in name_gram)")
    key: str = Field(max_length=60, primary_key=True)
    case_id: int = Field(foreign_key="mediation_case.id", primary_key=True, ondelete="CASCADE")
