"""Who is acting, with which role, in which committee, and what time it is for them (DESIGN §2)."""

import datetime as dt
from dataclasses import dataclass, field

from laopan.clock import Clock, local_date, system_clock
from laopan.errors import PermissionDenied
from laopan.labels import label
from laopan.models.enums import Role


@dataclass(frozen=True)
class Actor:
    login: str
    role: Role
    committee_id: int
    display_name: str = ""
    mediator_id: int | None = None
    clock: Clock = field(default_factory=system_clock, compare=False)

    def today(self, time_zone: str) -> dt.date:
        """The day it is for this actor in the committee's zone: the one place "today" is worked out."""
        return local_date(self.clock.now(), time_zone)

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def joint_cases_only(self) -> bool:
        """Police liaisons see and edit joint (police-referred) cases only."""
        return self.role is Role.POLICE_LIAISON

    @property
    def may_reveal(self) -> bool:
        """Whether this role may unmask ID numbers, phones and addresses (each reveal is audited)."""
        return self.role in (Role.ADMIN, Role.SUPERVISOR, Role.MEDIATOR, Role.POLICE_LIAISON)

    def require(self, *roles: Role, action: str) -> None:
        if self.role not in roles:
            allowed = "、".join(label(role) for role in roles)
            raise PermissionDenied(f"{label(self.role)}无权{action}（仅限：{allowed}）")
