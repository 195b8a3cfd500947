"""Accounts with their copy of the database key (issue 11): adding a user, setting a password and disabling one
change both the user table and, on an encrypted desk, the key file beside the database — the CLI's `laopan user`
and the window's 用户管理 page do it the same way, through these three functions."""

from sqlmodel import Session

from laopan.models.enums import Role
from laopan.security import protection
from laopan.security.passwords import normalize_login
from laopan.services.login import set_password
from laopan.services.users import add_user, disable_user
from laopan.views.committee import UserView


def add_account(session: Session, desk, *, login: str, display_name: str | None, role: Role, mediator_name: str | None = None,
                password: str | None = None) -> UserView:
    """A new user; with a password it can log in (and open an encrypted desk) at once."""
    user = add_user(session, actor=desk.actor, login=login, display_name=display_name, role=role, mediator_name=mediator_name,
                    password=password)
    if password is not None:
        protection.enroll_user(desk, login=user.login, password=password)
    return user


def reset_password(session: Session, desk, *, login: str, password: str) -> str:
    """Set `login`'s password (an administrator for anyone, a user for themselves); returns the login as stored."""
    login = normalize_login(login)
    set_password(session, actor=desk.actor, login=login, new_password=password)
    protection.enroll_user(desk, login=login, password=password)
    return login


def disable_account(session: Session, desk, *, login: str) -> UserView:
    """The user can no longer log in, nor open an encrypted desk (its copy of the key is removed); cases stay."""
    user = disable_user(session, actor=desk.actor, login=login)
    protection.forget_user(desk, user.login)
    return user
