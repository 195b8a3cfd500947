"""Users: adding, disabling, listing. Who is acting is settled by logging in (laopan/services/login.py);
`actor_for` is the internal way in for set-up code and tests."""


from sqlmodel import Session, select

from laopan.clock import Clock, system_clock
from laopan.errors import DomainError, NotFound, ValidationError
from laopan.labels import label
from laopan.models import Mediator, User
from laopan.models.enums import Role
from laopan.security.passwords import check_new_password, hash_password, normalize_login
from laopan.security.permissions import Action
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.views.committee import UserView


def actor_for(session: Session, *, committee_id: int, login: str, clock: Clock | None = None) -> Actor:
    login = normalize_login(login)
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
    session: Session, *, actor: Actor, login: str, display_name: str | None, role: Role, mediator_name: str | None = None,
    password: str | None = None,
) -> UserView:
    """Add a user; with `password` (checked, stored only as its hash) it can log in at once, without, once an
    administrator sets one (`set_password`)."""
    actor.require(Action.MANAGE_USERS)
    login = normalize_login(login)
    if not login:
        raise ValidationError("登录名", "登录名不能为空")
    if password is not None:
        check_new_password(password)
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
    if password is not None:
        user.password_hash = hash_password(password)
        user.password_changed_at = actor.clock.now()
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="user.add", entity="user", entity_id=user.id, changes={"login": login, "role": role.value})
    return _view(user, mediator_name)


def disable_user(session: Session, *, actor: Actor, login: str) -> UserView:
    """Stop a user logging in (their cases and audit entries stay). Not oneself: a desk must keep an administrator."""
    actor.require(Action.MANAGE_USERS)
    user = session.exec(select(User).where(User.committee_id == actor.committee_id, User.login == normalize_login(login))).first()
    if user is None:
        raise NotFound(f"没有登录名为“{login}”的用户（可用 laopan user list 查看）")
    if user.login == actor.login:
        raise DomainError("不能停用自己的账户")
    if user.active:
        user.active = False
        session.add(user)
        audit.record(session, actor=actor, action="user.disable", entity="user", entity_id=user.id, changes={"active": [True, False]})
    mediator = session.get(Mediator, user.mediator_id) if user.mediator_id else None
    return _view(user, mediator.name if mediator else None)


def list_users(session: Session, *, actor: Actor) -> list[UserView]:
    rows = session.exec(
        select(User, Mediator.name).join(Mediator, Mediator.id == User.mediator_id, isouter=True)
        .where(User.committee_id == actor.committee_id).order_by(User.login)
    ).all()
    return [_view(user, mediator_name, actor.clock.now()) for user, mediator_name in rows]


def _view(user: User, mediator_name: str | None, now=None) -> UserView:
    return UserView(
        id=user.id, login=user.login, display_name=user.display_name, role=user.role,
        role_label=label(Role(user.role)), mediator=mediator_name, active=user.active,
        locked_until=user.locked_until if user.locked_until and (now is None or user.locked_until > now) else None,
        has_password=user.password_hash is not None,
    )
