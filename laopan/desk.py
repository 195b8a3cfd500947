"""Opening a desk: the database (upgraded on open), the committee it works in and who is acting.

The CLI and the window both start here, so they open the same database the same way.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from laopan.clock import Clock, system_clock
from laopan.errors import DomainError
from laopan.models import Committee, User
from laopan.models.enums import DEFAULT_COMMITTEE
from laopan.services.actor import Actor
from laopan.services.users import actor_for
from laopan.settings import DeskSettings, database_url, load_desk
from laopan.storage import backend_label, make_engine, read_session, session_scope
from laopan.storage.migrate import upgrade


class NotInitialised(DomainError):
    pass


@dataclass
class Desk:
    engine: Engine
    committee_id: int
    committee_name: str
    actor: Actor

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with read_session(self.engine) as session:
            yield session

    @property
    def label(self) -> str:
        return backend_label(self.engine)


def open_database(url: str | None = None, *, desk_settings: DeskSettings | None = None) -> Engine:
    """An engine on the configured database, its schema upgraded to this program's version."""
    engine = make_engine(url or database_url(desk_settings))
    upgrade(engine)
    return engine


def open_desk(
    *,
    url: str | None = None,
    login: str | None = None,
    committee: str | None = None,
    clock: Clock | None = None,
    engine: Engine | None = None,
) -> Desk:
    desk_settings = load_desk()
    engine = engine or open_database(url, desk_settings=desk_settings)
    with read_session(engine) as session:
        committees = session.exec(select(Committee).order_by(Committee.id)).all()
        if not committees:
            raise NotInitialised("数据库尚未初始化：请先运行 laopan init（或启动窗口按提示设置）")
        wanted = committee or desk_settings.committee
        chosen = next((c for c in committees if c.name == wanted), None) if wanted else committees[0] if len(committees) == 1 else None
        if chosen is None:
            names = "、".join(c.name for c in committees)
            raise DomainError(f"请指定调委会（--committee），本数据库有：{names}")
        login = login or desk_settings.current_user
        if login is None:
            admins = session.exec(select(User).where(User.committee_id == chosen.id, User.role == "admin").order_by(User.id)).all()
            if not admins:
                raise DomainError("请用 --as 指定当前用户")
            login = admins[0].login
        actor = actor_for(session, committee_id=chosen.id, login=login, clock=clock or system_clock())
        return Desk(engine=engine, committee_id=chosen.id, committee_name=chosen.name, actor=actor)


def set_up_desk(engine: Engine, *, committee: str = DEFAULT_COMMITTEE, admin_name: str = "管理员", admin_login: str = "admin",
                clock: Clock | None = None):
    """First start, the one way in for `laopan init`, `laopan demo` on an empty database and the window's
    first-start dialog: create the committee (with its dictionaries) and its administrator, and make them this
    desk's committee and user. Refused (DomainError) when a committee of that name already exists."""
    from laopan.services.committee import init_committee
    from laopan.settings import save_desk

    with session_scope(engine) as session:
        info = init_committee(session, name=committee, admin_login=admin_login, admin_name=admin_name, clock=clock)
    save_desk(load_desk().model_copy(update={"current_user": admin_login, "committee": info.name}))
    return info
