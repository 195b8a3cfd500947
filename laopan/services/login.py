"""Login: who is at the desk is whoever gives a login and its password (issue 11).

One generic refusal ("用户名或密码错误") for an unknown login, a wrong password and a login with no password set,
so a stranger learns nothing; the audit keeps the true reason. Repeated failures lock the login for a while. A
failed attempt is committed even though the login fails, or the lock-out could be dodged.
"""

import datetime as dt

from sqlmodel import Session, select

from laopan.clock import Clock, system_clock
from laopan.errors import DomainError, ValidationError
from laopan.models import User
from laopan.models.enums import Role
from laopan.security.permissions import Action
from laopan.security.passwords import check_new_password, hash_password, normalize_login, verify_password
from laopan.services import audit
from laopan.services.actor import Actor
from laopan.services.committee import committee_settings

WRONG = "用户名或密码错误"


class LoginFailed(DomainError):
    """The login was refused; the message says nothing about which of login/password was wrong."""


def _actor(user: User, clock: Clock) -> Actor:
    return Actor(
        login=user.login, role=Role(user.role), committee_id=user.committee_id, display_name=user.display_name,
        mediator_id=user.mediator_id, clock=clock,
    )


def find_user(session: Session, *, committee_id: int, login: str) -> User | None:
    return session.exec(select(User).where(User.committee_id == committee_id, User.login == normalize_login(login))).first()


def authenticate(session: Session, *, committee_id: int, login: str, password: str | None, clock: Clock | None = None,
                 audit_success: bool = True) -> Actor:
    """The Actor for `login` if `password` is its password; otherwise LoginFailed (after committing the failure).

    `audit_success=False`: the caller records the `login` entry itself (`record_login`), so that a desk that only
    reads never waits for another desk's long save just to log in (a success writes only to reset a counter)."""
    clock = clock or system_clock()
    now = clock.now()
    user = find_user(session, committee_id=committee_id, login=login)
    if user is None:
        verify_password(_decoy_hash(), password or "")  # as slow as a real check: timing tells no login apart
        stranger = Actor(login=normalize_login(login)[:64] or "?", role=Role.MEDIATOR, committee_id=committee_id, clock=clock)
        _fail(session, stranger, user=None, reason="unknown_login")
    assert user is not None
    actor = _actor(user, clock)
    if user.locked_until is not None and user.locked_until > now:
        _fail(session, actor, user=None, reason="locked", message=_locked_message(user.locked_until, committee_id, session))
    if not user.active:
        _fail(session, actor, user=None, reason="disabled", message=f"用户“{user.login}”已停用，请联系管理员")
    if user.password_hash is None:
        _fail(session, actor, user=user, reason="no_password")
    if not password or not verify_password(user.password_hash, password):
        _fail(session, actor, user=user, reason="wrong_password")
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins = 0
        user.locked_until = None
        session.add(user)
    if audit_success:
        record_login(session, actor=actor, user_id=user.id)
    if session.dirty or session.new:
        session.commit()
    return actor


def authenticate_reading(session: Session, *, committee_id: int, login: str, password: str | None, clock: Clock) -> Actor | None:
    """The Actor when `password` is right and the login needs nothing written (no failures to forget), else None
    (then `authenticate` decides and records). Lets a desk that only reads log in without taking the write lock."""
    user = find_user(session, committee_id=committee_id, login=login)
    if user is None or not user.active or user.failed_logins or user.locked_until is not None or not password:
        return None
    if not verify_password(user.password_hash, password):
        return None
    return _actor(user, clock)


def record_login(session: Session, *, actor: Actor, user_id: int | None = None) -> None:
    """The audit entry of a successful login (never with the password)."""
    if user_id is None:
        user = find_user(session, committee_id=actor.committee_id, login=actor.login)
        user_id = user.id if user else None
    audit.record(session, actor=actor, action="login", entity="user", entity_id=user_id)


_DECOY: list[str] = []


def _decoy_hash() -> str:
    if not _DECOY:
        _DECOY.append(hash_password("laopan-decoy-password"))
    return _DECOY[0]


def _fail(session: Session, actor: Actor, *, user: User | None, reason: str, message: str = WRONG) -> None:
    changes: dict = {"reason": reason}
    if user is not None:
        settings = committee_settings(session, actor.committee_id)
        user.failed_logins = (user.failed_logins or 0) + 1
        changes["failed_logins"] = user.failed_logins
        if user.failed_logins >= settings.login_max_failures:
            user.locked_until = actor.clock.now() + dt.timedelta(minutes=settings.login_lock_minutes)
            user.failed_logins = 0
            changes["locked_until"] = user.locked_until
            message = _locked_message(user.locked_until, actor.committee_id, session)
        session.add(user)
    audit.record(session, actor=actor, action="login.failed", entity="user", entity_id=user.id if user else None, changes=changes)
    session.commit()
    raise LoginFailed(message)


def _locked_message(until: dt.datetime, committee_id: int, session: Session) -> str:
    from zoneinfo import ZoneInfo

    local = until.astimezone(ZoneInfo(committee_settings(session, committee_id).time_zone))
    return f"密码错误次数过多，该用户已锁定至 {local:%Y年%m月%d日 %H:%M}，请稍后再试或联系管理员"


def set_password(session: Session, *, actor: Actor, login: str, new_password: str) -> None:
    """An administrator sets anyone's password; anyone else only their own. Audited without the password."""
    user = find_user(session, committee_id=actor.committee_id, login=login)
    if user is None:
        raise ValidationError("登录名", f"没有登录名为“{login}”的用户")
    if user.login != actor.login:
        actor.require(Action.MANAGE_USERS)
    check_new_password(new_password)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = actor.clock.now()
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    audit.record(session, actor=actor, action="user.passwd", entity="user", entity_id=user.id, changes={"login": user.login})
