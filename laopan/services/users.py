"""Users and who is acting. Until login lands the desk's settings (or the CLI's --as) name the user."""


from sqlmodel import Session, select

from laopan.clock import Clock, system_clock
from laopan.errors import DomainError, NotFound
from laopan.labels import label
from laopan.models import Mediator, User
from laopan.models.enums import Role
from laopan.security.permissions import Action
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.views.committee import UserView


def actor_for(session: Session, *, committee_id: int, login: str, clock: Clock | None = None) -> Actor:
    user = session.exec(select(User).where(User.committee_id == committee_id, User.login == login)).first()
    if user is None:
        raise NotFound(f"没有登录名为“{login}”的用户（可用 laopan user list 查看）")
    if not user.active:
        raise DomainError(f"用户“{login}”已停用")
    return Actor(
        login=user.login, role=Role(user.role), committee_id=committee_id, display_name=user.display_name,
        mediator_id=user.mediator_id, clock=clock or system_clock(),
    )


def add_user(
    session: Session, *, actor: Actor, login: str, display_name: str | None, role: Role, mediator_name: str | None = None
) -> UserView:
    actor.require(Action.MANAGE_USERS)
    login = login.strip()
    if not login:
        raise DomainError("登录名不能为空")
    if session.exec(select(User).where(User.committee_id == actor.committee_id, User.login == login)).first():
        raise DomainError(f"登录名“{login}”已被使用")
    mediator_id = None
    if mediator_name:
        mediator = session.exec(
            select(Mediator).where(Mediator.committee_id == actor.committee_id, Mediator.name == mediator_name)
        ).first()
        if mediator is None:
            raise NotFound(f"调解员名册中没有“{mediator_name}”")
        mediator_id = mediator.id
    user = User(
        committee_id=actor.committee_id, login=login, display_name=display_name or mediator_name or login,
        role=role.value, mediator_id=mediator_id, created_at=actor.clock.now(),
    )
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="user.add", entity="user", entity_id=user.id, changes={"login": login, "role": role.value})
    return _view(user, mediator_name)


def list_users(session: Session, *, actor: Actor) -> list[UserView]:
    rows = session.exec(
        select(User, Mediator.name).join(Mediator, Mediator.id == User.mediator_id, isouter=True)
        .where(User.committee_id == actor.committee_id).order_by(User.login)
    ).all()
    return [_view(user, mediator_name) for user, mediator_name in rows]


def _view(user: User, mediator_name: str | None) -> UserView:
    return UserView(
        id=user.id, login=user.login, display_name=user.display_name, role=user.role,
        role_label=label(Role(user.role)), mediator=mediator_name, active=user.active,
    )
