"""Who is acting, with which role, in which committee, and what time it is for them (DESIGN §2)."""

import datetime as dt
from dataclasses import dataclass, field

from laopan.clock import Clock, local_date, system_clock
from laopan.errors import PermissionDenied
from laopan.models.enums import Role
from laopan.security.permissions import ROLE_LABELS, Action, allowed, require


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
        """Supervisors and admins see every case of the committee (laopan.security.records)."""
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    @property
    def joint_cases_only(self) -> bool:
        """Police liaisons see and edit joint (police-referred) cases only."""
        return self.role is Role.POLICE_LIAISON

    @property
    def may_reveal(self) -> bool:
        """Whether this role may unmask ID numbers, phones and addresses (each reveal is audited)."""
        return self.may(Action.REVEAL)

    def may(self, action: "Action") -> bool:
        """Whether the permission table (laopan.security.permissions) lets this role do `action`."""
        return allowed(self, action)

    def require(self, what: "Action | Role", *roles: Role, action: str = "") -> None:
        """Refuse with the table's Chinese sentence unless this role may do `what` (an Action).

        The older form `require(Role.X, Role.Y, action="…")` is still accepted for code written before the table;
        new code names an Action so the README's table stays the whole truth."""
        if isinstance(what, Action):
            require(self, what)
        elif self.role not in (what, *roles):
            names = "、".join(ROLE_LABELS[r] for r in (what, *roles))
            raise PermissionDenied(f"{ROLE_LABELS[self.role]}无权{action}（仅限：{names}）")
