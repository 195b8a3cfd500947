"""The committee itself: its identity, its dictionary entries and its users."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CommitteeView:
    id: int
    name: str
    admin_login: str


@dataclass(frozen=True)
class DictEntry:
    kind: str
    code: str | None
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class UserView:
    id: int
    login: str
    display_name: str
    role: str
    role_label: str
    mediator: str | None
    active: bool
    locked_until: dt.datetime | None = None
    """Set while repeated wrong passwords keep the login locked."""
    has_password: bool = True
